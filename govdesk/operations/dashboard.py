"""工作台: what needs doing today, and this year's disclosure counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from govdesk.core.notices import NoticeFilter, NoticeStatus, NoticeSummary, Posting
from govdesk.core.org import Board
from govdesk.core.stats import DisclosureStats
from govdesk.core.work_plan import PlanTask
from govdesk.operations.context import Context
from govdesk.operations.requests import RequestSummary, numbers_due, request_summaries
from govdesk.store import notice_store, org_store, score_store

DUE_SOON_DAYS = 3


@dataclass(frozen=True, slots=True)
class BoardStatus:
    board: Board
    on_board: int
    overdue: int


@dataclass(frozen=True, slots=True)
class Dashboard:
    today: date
    overdue_unpublished: list[NoticeSummary]  # past 公开时限, not yet public (条例第二十六条)
    overdue_unpublished_count: int  # all of them; the list above is capped
    takedowns_overdue: list[Posting]  # 公示期 over, still on the board (the earliest ones)
    takedowns_due: list[Posting]  # coming down today or within DUE_SOON_DAYS
    takedowns_overdue_count: int  # all of them; the lists above are capped
    takedowns_due_count: int
    drafts: int
    pending: int
    approved_unpublished: int
    boards: list[BoardStatus]
    by_channel: dict[str, int]
    by_category: dict[str, int]
    disclosed_items: int
    calendar_missing_year: int | None
    # Last month (year, month) when it has no 月抽查 yet, for an office that enters its checks
    # in govdesk (it has entered at least one); None otherwise.
    spot_check_missing: tuple[int, int] | None = None
    # 依申请公开 (issue 6): open applications due within 5 working days or overdue, or that the
    # clock has decided (逾期不补正 / 逾期未缴费) and wait to be closed; most urgent first.
    requests_attention: list[RequestSummary] = field(default_factory=list)
    requests_due_soon: int = 0
    requests_overdue: int = 0


def disclosure_stats(ctx: Context, start: date, end: date) -> DisclosureStats:
    db = ctx.db
    return DisclosureStats.from_rows(
        start, end, notice_store.disclosed_cube(db, start, end),
        categories=[c.name for c in org_store.list_categories(db)],
        channels=[c.name for c in org_store.list_channels(db)],
        items=notice_store.disclosed_total(db, start, end),
    )


def dashboard(ctx: Context, today: date | None = None) -> Dashboard:
    db = ctx.db
    today = today or ctx.today()
    yesterday, soon = today - timedelta(days=1), today + timedelta(days=DUE_SOON_DAYS)
    counts = notice_store.board_counts(db, today)
    boards = [
        BoardStatus(b, *counts.get(b.id, (0, 0))) for b in org_store.list_boards(db, active_only=True)
    ]
    year_start, year_end = date(today.year, 1, 1), date(today.year, 12, 31)
    attention = _request_attention(ctx)
    requests_soon, requests_overdue = numbers_due(attention)
    return Dashboard(
        today=today,
        overdue_unpublished=notice_store.overdue_unpublished(db, today),
        overdue_unpublished_count=notice_store.count(db, NoticeFilter(overdue_on=today)),
        takedowns_overdue=notice_store.postings_due(db, None, yesterday),
        takedowns_due=notice_store.postings_due(db, today, soon),
        takedowns_overdue_count=notice_store.count_postings_due(db, None, yesterday),
        takedowns_due_count=notice_store.count_postings_due(db, today, soon),
        drafts=notice_store.count_by_status(db, NoticeStatus.DRAFT),
        pending=notice_store.count_by_status(db, NoticeStatus.PENDING),
        approved_unpublished=notice_store.count_by_status(db, NoticeStatus.APPROVED,
                                                          proactive_only=True),
        boards=boards,
        by_channel=dict(notice_store.disclosed_counts(db, year_start, year_end, "channel")),
        by_category=dict(notice_store.disclosed_counts(db, year_start, year_end, "category")),
        disclosed_items=notice_store.disclosed_total(db, year_start, year_end),
        calendar_missing_year=ctx.calendar.missing_next_year(today),
        spot_check_missing=_spot_check_missing(ctx, today),
        requests_attention=attention,
        requests_due_soon=requests_soon,
        requests_overdue=requests_overdue,
    )


def _request_attention(ctx: Context) -> list[RequestSummary]:
    attention = request_summaries(ctx, attention_only=True)
    # Overdue first (most days over first), then by days left; lapsed ones last.
    attention.sort(key=lambda s: (s.ledger.days_left is None,
                                  s.ledger.days_left if s.ledger.days_left is not None else 0))
    return attention


def _spot_check_missing(ctx: Context, today: date) -> tuple[int, int] | None:
    db = ctx.db
    last = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    if not score_store.any_checks(db) or score_store.monthly_check_ids(db, *last):
        return None
    if not org_store.list_communities(db, active_only=True):
        return None
    return last


# ---- 实施方案任务 (issue 8 §2) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanTaskDue:
    """An open task of a 实施方案 that is overdue or due within 15 days."""

    task: PlanTask
    year: int  # of its plan (the dashboard opens the plan page at it)
    overdue: bool
    days: int  # calendar days past the 完成时限 (overdue) or left until it (0: due today)

    @property
    def when_text(self) -> str:
        if self.overdue:
            return f"已超期 {self.days} 天"
        return "今天到期" if self.days == 0 else f"还有 {self.days} 天"


def plan_tasks_attention(ctx: Context, today: date | None = None) -> list[PlanTaskDue]:
    """Overdue tasks (longest overdue first), then those due within 15 days (soonest first).
    "Overdue" counts from the effective 完成时限 (a deadline on a day off runs to the next
    working day), as core.work_plan.is_overdue does."""
    from govdesk.core.work_plan import effective_due
    from govdesk.operations import work_plan

    today = today or ctx.today()
    years: dict[int, int] = {}

    def year(task: PlanTask) -> int:
        if task.section_id not in years:
            years[task.section_id] = work_plan.year_of_task(ctx, task.id)
        return years[task.section_id]

    out = []
    for task in work_plan.overdue_tasks(ctx, today):
        due = effective_due(task.deadline, ctx.calendar) or today
        out.append(PlanTaskDue(task, year(task), True, (today - due).days))
    for task in work_plan.tasks_due_soon(ctx, today):
        on = task.deadline.on or today
        out.append(PlanTaskDue(task, year(task), False, (on - today).days))
    return out
