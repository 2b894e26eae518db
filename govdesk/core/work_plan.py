"""The year's work plan (年度政务公开工作实施方案, issue 8 §1–§2): sections, tasks with their
责任单位 and 完成时限, task states, progress notes and evidence, and the rules on them.

Pure Python: no Qt, no SQL. The store turns rows into these records; the operations apply the
rules here before writing.

Decisions:

* 完成时限 is either a date or an explicit wording ("长期坚持", "每季度" …) — never both, never
  neither. A wording is never "due" or "overdue": the office tracks it by progress notes.
* "Due within 15 days" counts calendar days (see :data:`DUE_SOON_DAYS`); "overdue" uses the
  WorkCalendar: a 完成时限 falling on a weekend or holiday runs to the next working day.
* 责任单位 are units and communities by id; "各部门" / "各村（社区）" are flags, so a unit or
  community added later is included, as the plan's wording means.
"""

from __future__ import annotations

import calendar as _std_calendar
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from govdesk.core.calendar import WorkCalendar
from govdesk.core.documents import cn_date
from govdesk.core.errors import UserError

__all__ = [
    "ALL_COMMUNITIES_LABEL",
    "ALL_UNITS_LABEL",
    "DEADLINE_WORDINGS",
    "DUE_SOON_DAYS",
    "Deadline",
    "Evidence",
    "OPEN_STATES",
    "PlanDocument",
    "PlanDocumentSection",
    "PlanRow",
    "PlanSection",
    "PlanTask",
    "ProgressNote",
    "SectionDraft",
    "TaskInput",
    "TaskState",
    "WorkPlan",
    "allowed_states",
    "check_transition",
    "copied_plan",
    "default_title",
    "due_soon",
    "effective_due",
    "is_due_soon",
    "is_overdue",
    "open_tasks_by_owner",
    "overdue",
    "plan_document",
    "section_number",
    "shift_date",
    "task_problems",
]

# "Due within 15 days" (issue 8 §2) counts calendar days: the office reads 完成时限 off a
# calendar ("6月30日前"), and a fixed 15-day window gives the same warning time whatever the
# holidays — in working days the window would stretch to three weeks over 春节 or 国庆 and
# warn too early. Working days matter where the deadline itself falls on a day off: see
# effective_due().
DUE_SOON_DAYS = 15

ALL_UNITS_LABEL = "各部门"
ALL_COMMUNITIES_LABEL = "各村（社区）"

# Wordings offered for a 完成时限 that is not a date (seed 003 and county 任务分解表 use these);
# any other short wording may be typed.
DEADLINE_WORDINGS: tuple[str, ...] = (
    "长期坚持", "持续推进", "每月", "每季度", "每半年", "按规定时限", "及时公开",
)
DEADLINE_WORDING_MAX = 30
TASK_TEXT_MAX = 2000
TITLE_MAX = 100
REASON_MAX = 500


class TaskState(enum.StrEnum):
    NOT_STARTED = "未开始"
    IN_PROGRESS = "推进中"
    DONE = "已完成"
    NOT_DONE = "未完成"  # closed without being done; always with a 原因

    @classmethod
    def from_text(cls, text: str) -> TaskState:
        text = text.strip()
        for s in cls:
            if text in (s.value, s.name.lower()):
                return s
        raise UserError(f"任务状态“{text}”不正确，可选：" + "、".join(s.value for s in cls))


OPEN_STATES = frozenset({TaskState.NOT_STARTED, TaskState.IN_PROGRESS})

# Which state may follow which. A closed task (已完成 / 未完成) can be reopened to 推进中 when it
# was closed by mistake or work resumes; nothing goes back to 未开始 once work was recorded.
TRANSITIONS: Mapping[TaskState, frozenset[TaskState]] = {
    TaskState.NOT_STARTED: frozenset({TaskState.IN_PROGRESS, TaskState.DONE,
                                      TaskState.NOT_DONE}),
    TaskState.IN_PROGRESS: frozenset({TaskState.DONE, TaskState.NOT_DONE}),
    TaskState.DONE: frozenset({TaskState.IN_PROGRESS}),
    TaskState.NOT_DONE: frozenset({TaskState.IN_PROGRESS, TaskState.DONE}),
}


def allowed_states(state: TaskState) -> tuple[TaskState, ...]:
    """The states a task in ``state`` may be set to, in display order (for the GUI's buttons)."""
    return tuple(s for s in TaskState if s in TRANSITIONS[state])


def check_transition(old: TaskState, new: TaskState, reason: str) -> str:
    """The cleaned 原因 to store for ``old`` → ``new``; UserError when not allowed. 未完成 needs
    a 原因 (the 落实情况 report lists it); other states carry none."""
    if new is old:
        raise UserError(f"任务已是“{old.value}”状态")
    if new not in TRANSITIONS[old]:
        raise UserError(f"“{old.value}”的任务不能改为“{new.value}”")
    reason = reason.strip()
    if new is TaskState.NOT_DONE:
        if not reason:
            raise UserError("标为“未完成”时请填写原因", field="原因")
        if len(reason) > REASON_MAX:
            raise UserError(f"原因不能超过{REASON_MAX}字", field="原因")
        return reason
    return ""


@dataclass(frozen=True, slots=True)
class Deadline:
    """完成时限: a date, or a wording such as 长期坚持 / 每季度 (exactly one of the two)."""

    on: date | None = None
    wording: str = ""

    def __post_init__(self) -> None:
        if (self.on is None) == (not self.wording.strip()):
            raise ValueError("a deadline is a date or a wording, exactly one")

    @classmethod
    def parse(cls, text: str) -> Deadline:
        """From what the user typed: an ISO date, “2026年6月30日”, or a wording."""
        text = text.strip()
        if not text:
            raise UserError("请填写完成时限（日期，或“长期坚持”“每季度”等）", field="完成时限")
        for candidate in (text, text.replace("年", "-").replace("月", "-").rstrip("日")):
            parts = candidate.split("-")
            if len(parts) == 3 and all(p.isdigit() for p in parts):
                try:
                    return cls(on=date(int(parts[0]), int(parts[1]), int(parts[2])))
                except ValueError:
                    raise UserError(f"完成时限“{text}”不是有效日期", field="完成时限") from None
        if len(text) > DEADLINE_WORDING_MAX:
            raise UserError(f"完成时限不能超过{DEADLINE_WORDING_MAX}字", field="完成时限")
        return cls(wording=text)

    @property
    def text(self) -> str:
        return cn_date(self.on) if self.on is not None else self.wording.strip()


@dataclass(frozen=True, slots=True)
class WorkPlan:
    id: int
    year: int
    title: str
    intro: str = ""
    issued_on: date | None = None  # 成文日期, printed under the 署名 when set


@dataclass(frozen=True, slots=True)
class PlanSection:
    id: int
    plan_id: int
    seq: int
    title: str  # as in seed 003: 围绕深化改革推进公开 (numbering is added when printed)


@dataclass(frozen=True, slots=True)
class TaskInput:
    """What the task editor (or a copy) gives: validated by :func:`task_problems`."""

    text: str
    deadline: Deadline
    unit_ids: tuple[int, ...] = ()
    community_ids: tuple[int, ...] = ()
    all_units: bool = False
    all_communities: bool = False
    category_id: int | None = None

    def cleaned(self) -> TaskInput:
        return replace(self, text=self.text.strip(),
                       unit_ids=tuple(dict.fromkeys(self.unit_ids)),
                       community_ids=tuple(dict.fromkeys(self.community_ids)))


@dataclass(frozen=True, slots=True)
class PlanTask:
    id: int
    section_id: int
    seq: int
    text: str
    deadline: Deadline
    unit_ids: tuple[int, ...] = ()
    community_ids: tuple[int, ...] = ()
    all_units: bool = False
    all_communities: bool = False
    category_id: int | None = None
    state: TaskState = TaskState.NOT_STARTED
    reason: str = ""
    # filled by the store for display
    owner_names: tuple[str, ...] = ()
    category: str = ""

    @property
    def responsible(self) -> str:
        """责任单位 as printed: named units and communities, then 各部门 / 各村（社区）."""
        names = list(self.owner_names)
        if self.all_units:
            names.append(ALL_UNITS_LABEL)
        if self.all_communities:
            names.append(ALL_COMMUNITIES_LABEL)
        return "、".join(names)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def as_input(self) -> TaskInput:
        return TaskInput(self.text, self.deadline, self.unit_ids, self.community_ids,
                         self.all_units, self.all_communities, self.category_id)


@dataclass(frozen=True, slots=True)
class ProgressNote:
    id: int
    task_id: int
    on: date
    text: str
    by_id: int | None = None
    by_name: str = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """A notice from the register, or an attached file (stored by operations.files)."""

    id: int
    task_id: int
    notice_id: int | None = None
    file_name: str = ""  # stored name inside the managed files folder
    label: str = ""  # the notice's title, or the attachment's original file name

    @property
    def is_notice(self) -> bool:
        return self.notice_id is not None


def task_problems(data: TaskInput, plan_year: int) -> list[str]:
    """Everything wrong with a task, in Chinese (empty when it can be saved)."""
    problems = []
    if not data.text.strip():
        problems.append("请填写工作任务")
    elif len(data.text.strip()) > TASK_TEXT_MAX:
        problems.append(f"工作任务不能超过{TASK_TEXT_MAX}字")
    if not (data.unit_ids or data.community_ids or data.all_units or data.all_communities):
        problems.append("请至少选择一个责任单位")
    on = data.deadline.on
    # A plan's tasks fall in its year; "次年1月底前" (year-end summaries) is allowed.
    if on is not None and not (plan_year <= on.year <= plan_year + 1):
        problems.append(f"完成时限{cn_date(on)}不在{plan_year}年度内")
    return problems


def effective_due(deadline: Deadline, calendar: WorkCalendar) -> date | None:
    """The last day the task may be finished on: its date, or — when that falls on a weekend
    or holiday — the next working day (民法典第二百零三条: a period whose last day is a 法定休假日
    ends on the day after it). None for a wording."""
    if deadline.on is None:
        return None
    d = deadline.on
    return d if calendar.is_workday(d) else calendar.next_workday(d)


def is_overdue(task: PlanTask, today: date, calendar: WorkCalendar) -> bool:
    """Past its 完成时限 and still open (未完成 is closed: its 原因 was recorded)."""
    due = effective_due(task.deadline, calendar)
    return task.is_open and due is not None and today > due


def is_due_soon(task: PlanTask, today: date) -> bool:
    """Open and due today or within the next :data:`DUE_SOON_DAYS` calendar days (an overdue
    task is not "due soon": it is overdue)."""
    on = task.deadline.on
    return task.is_open and on is not None and today <= on <= today + timedelta(DUE_SOON_DAYS)


def due_soon(tasks: Iterable[PlanTask], today: date, calendar: WorkCalendar) -> list[PlanTask]:
    """Open tasks due within 15 days and not overdue, soonest first."""
    found = [t for t in tasks if is_due_soon(t, today) and not is_overdue(t, today, calendar)]
    return sorted(found, key=lambda t: (t.deadline.on, t.section_id, t.seq, t.id))


def overdue(tasks: Iterable[PlanTask], today: date, calendar: WorkCalendar) -> list[PlanTask]:
    """Open tasks past their 完成时限, longest overdue first."""
    found = [t for t in tasks if is_overdue(t, today, calendar)]
    return sorted(found, key=lambda t: (t.deadline.on, t.section_id, t.seq, t.id))


def open_tasks_by_owner(
    tasks: Iterable[PlanTask],
    units: Mapping[int, str],
    communities: Mapping[int, str],
) -> dict[str, list[PlanTask]]:
    """"What each unit owes": for every unit and community (names by id, in display order) the
    open tasks it answers for, directly or through 各部门 / 各村（社区）. Owners with nothing
    open are left out."""
    out: dict[str, list[PlanTask]] = {}
    tasks = [t for t in tasks if t.is_open]
    for owners, flag, ids_of in ((units, "all_units", "unit_ids"),
                                 (communities, "all_communities", "community_ids")):
        for owner_id, name in owners.items():
            owed = [t for t in tasks if getattr(t, flag) or owner_id in getattr(t, ids_of)]
            if owed:
                out[name] = owed
    return out


# ---- copying last year's plan ---------------------------------------------------------------


def _is_last_of_february(d: date) -> bool:
    return d.month == 2 and d.day == _std_calendar.monthrange(d.year, 2)[1]


def shift_date(d: date, years: int) -> date:
    """``d`` moved by ``years`` years, same month and day; the last day of February stays the
    last day of February (28 ↔ 29), as "2月底前" means."""
    year = d.year + years
    if _is_last_of_february(d):
        return date(year, 2, _std_calendar.monthrange(year, 2)[1])
    return date(year, d.month, d.day)


def default_title(township_short_name: str, year: int) -> str:
    return f"{township_short_name}{year}年政务公开工作实施方案"


@dataclass(frozen=True, slots=True)
class SectionDraft:
    title: str
    tasks: tuple[TaskInput, ...] = ()


def copied_plan(
    plan: WorkPlan,
    sections: Sequence[PlanSection],
    tasks: Sequence[PlanTask],
    to_year: int,
) -> tuple[str, str, list[SectionDraft]]:
    """Last year's plan as the start of ``to_year``'s: (title, intro, sections with tasks).
    Same sections and tasks in the same order, dates moved by the difference in years (29
    February handled), 责任单位 and categories kept. States, 原因, progress notes and evidence
    are not part of a draft: the new year starts 未开始 with nothing recorded. The year in the
    title is replaced; the intro is kept as written (it quotes documents by their 文号)."""
    if to_year == plan.year:
        raise UserError(f"{to_year}年的实施方案不能复制到同一年")
    years = to_year - plan.year
    title = plan.title.replace(f"{plan.year}年", f"{to_year}年")
    if title == plan.title:
        title = f"{to_year}年{plan.title}"
    drafts = []
    for section in sorted(sections, key=lambda s: (s.seq, s.id)):
        own = sorted((t for t in tasks if t.section_id == section.id), key=lambda t: (t.seq, t.id))
        drafts.append(SectionDraft(section.title, tuple(
            replace(t.as_input(), deadline=Deadline(on=shift_date(t.deadline.on, years))
                    if t.deadline.on is not None else t.deadline)
            for t in own)))
    return title, plan.intro, drafts


# ---- the printed plan -----------------------------------------------------------------------

CN_NUMBERS = "一二三四五六七八九十"


def section_number(i: int) -> str:
    """一、二、… 十一、… for section ``i`` (1-based), 7.3.3's first-level numbering."""
    if i <= 10:
        return CN_NUMBERS[i - 1]
    tens, ones = divmod(i, 10)
    return (CN_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMBERS[ones - 1] if ones else "")


@dataclass(frozen=True, slots=True)
class PlanRow:
    number: str  # "1"
    text: str
    responsible: str
    deadline: str
    state: str


@dataclass(frozen=True, slots=True)
class PlanDocumentSection:
    heading: str  # "一、围绕深化改革推进公开"
    title: str
    rows: tuple[PlanRow, ...]


@dataclass(frozen=True, slots=True)
class PlanDocument:
    """The plan as printed and exported (PDF, docx, xlsx): built here, laid out by export."""

    year: int
    title: str
    intro: tuple[str, ...]  # paragraphs
    sections: tuple[PlanDocumentSection, ...]
    issuer: str = ""  # 发文机关署名: the township's full name
    dated: date | None = None  # 成文日期
    headers: tuple[str, str, str] = ("工作任务", "责任部门", "完成时限")
    state_header: str = "状态"

    @property
    def date_text(self) -> str:
        return cn_date(self.dated) if self.dated else ""

    @property
    def note(self) -> str:  # no 附注 (read by the shared closing layout)
        return ""

    @property
    def task_count(self) -> int:
        return sum(len(s.rows) for s in self.sections)


def plan_document(plan: WorkPlan, sections: Sequence[PlanSection], tasks: Sequence[PlanTask],
                  *, issuer: str = "") -> PlanDocument:
    out = []
    for i, section in enumerate(sorted(sections, key=lambda s: (s.seq, s.id)), 1):
        own = sorted((t for t in tasks if t.section_id == section.id), key=lambda t: (t.seq, t.id))
        rows = tuple(PlanRow(str(n), t.text, t.responsible, t.deadline.text, t.state.value)
                     for n, t in enumerate(own, 1))
        out.append(PlanDocumentSection(f"{section_number(i)}、{section.title}", section.title,
                                       rows))
    intro = tuple(p.strip() for p in plan.intro.splitlines() if p.strip())
    return PlanDocument(plan.year, plan.title, intro, tuple(out), issuer=issuer,
                        dated=plan.issued_on)
