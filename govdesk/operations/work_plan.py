"""The year's work plan as user actions (issue 8 §1–§2): create a plan or copy last year's, edit
its sections and tasks, track each task (state, progress notes, evidence), the dashboard's
due-soon / overdue lists, what each unit owes, and the plan's export.

Permissions (operations.context.PERMISSIONS):

* writing the plan itself (plan, sections, tasks, copying) is "plan.manage": the 党政办
  (管理员, 经办人) compiles the 实施方案 as it compiles the 年度报告 (条例第四条);
* tracking (state, 原因, progress notes, evidence) is "notice.edit": the 党政办 and the
  科室负责人 who report their unit's progress — the people who register notices, which are the
  usual evidence;
* reading and exporting need no permission (the plan is read by everyone); exports are audited.

Each action runs in one transaction with its audit entry; deletions take a backup first.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from govdesk.core.backup_schedule import Trigger
from govdesk.core.errors import NotFound, UserError, ValidationErrors
from govdesk.core.work_plan import (
    DUE_SOON_DAYS,
    TITLE_MAX,
    Evidence,
    PlanDocument,
    PlanSection,
    PlanTask,
    ProgressNote,
    TaskInput,
    TaskState,
    WorkPlan,
    check_transition,
    copied_plan,
    due_soon,
    overdue,
    plan_document,
    task_problems,
)
from govdesk.core.work_plan import open_tasks_by_owner as _open_by_owner
from govdesk.operations.backups import backup_first
from govdesk.operations.context import Context, requires
from govdesk.operations.files import JPEG, PDF, PNG, store_file, stored_path
from govdesk.store import org_store, plan_store

EDIT = "plan.manage"
TRACK = "notice.edit"
EVIDENCE_FOLDER = "plan_evidence"
ZIP = b"PK\x03\x04"
EVIDENCE_KINDS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".docx": ZIP,
                  ".xlsx": ZIP}
EXPORT_SUFFIXES = (".pdf", ".docx", ".xlsx")
PROGRESS_MAX = 2000


@dataclass(frozen=True)
class PlanView:
    """A plan with its sections and tasks, and for each task linked to a 公开目录 category the
    notices published under that category in the plan's year (counted automatically)."""

    plan: WorkPlan
    sections: list[PlanSection]
    tasks: list[PlanTask]
    notice_counts: dict[int, int] = field(default_factory=dict)  # task id → count

    def tasks_of(self, section_id: int) -> list[PlanTask]:
        return [t for t in self.tasks if t.section_id == section_id]


# ---- reading ----------------------------------------------------------------------------------


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise UserError(f"年度“{year}”不正确", field="年度")


def plan_years(ctx: Context) -> list[int]:
    return plan_store.plan_years(ctx.db)


def find_plan(ctx: Context, year: int) -> WorkPlan | None:
    return plan_store.plan_of_year(ctx.db, year)


def _plan_by_year(ctx: Context, year: int) -> WorkPlan:
    plan = plan_store.plan_of_year(ctx.db, year)
    if plan is None:
        raise NotFound(f"还没有{year}年的政务公开工作实施方案")
    return plan


def _plan(ctx: Context, plan_id: int) -> WorkPlan:
    plan = plan_store.get_plan(ctx.db, plan_id)
    if plan is None:
        raise NotFound("这份实施方案不存在")
    return plan


def _section(ctx: Context, section_id: int) -> PlanSection:
    section = plan_store.get_section(ctx.db, section_id)
    if section is None:
        raise NotFound("实施方案中没有这个板块")
    return section


def get_task(ctx: Context, task_id: int) -> PlanTask:
    task = plan_store.get_task(ctx.db, task_id)
    if task is None:
        raise NotFound("实施方案中没有这项任务")
    return task


def plan_view(ctx: Context, year: int) -> PlanView:
    plan = _plan_by_year(ctx, year)
    tasks = plan_store.tasks_of_plan(ctx.db, plan.id)
    counts = plan_store.published_counts_by_category(ctx.db, plan.year)
    return PlanView(plan, plan_store.sections_of_plan(ctx.db, plan.id), tasks,
                    {t.id: counts.get(t.category_id, 0) for t in tasks
                     if t.category_id is not None})


def task_notice_count(ctx: Context, task_id: int) -> int | None:
    """Notices published in the plan's year under the task's category (None: no category)."""
    task = get_task(ctx, task_id)
    if task.category_id is None:
        return None
    plan = _plan(ctx, plan_store.plan_id_of_task(ctx.db, task_id))
    return plan_store.published_counts_by_category(ctx.db, plan.year).get(task.category_id, 0)


def progress_notes(ctx: Context, task_id: int) -> list[ProgressNote]:
    return plan_store.progress_of_task(ctx.db, task_id)


def evidence(ctx: Context, task_id: int) -> list[Evidence]:
    return plan_store.evidence_of_task(ctx.db, task_id)


def evidence_path(ctx: Context, item: Evidence) -> Path | None:
    """Where an attached file is (None for a linked notice or a missing file)."""
    return stored_path(ctx, EVIDENCE_FOLDER, item.file_name) if item.file_name else None


@dataclass(frozen=True)
class TaskTracking:
    """What the plan page's 进展 and 佐证 columns show for one task."""

    last_note: date | None = None  # the latest progress note's date
    evidence: int = 0  # linked notices and attachments


def tracking_of_plan(ctx: Context, year: int) -> dict[int, TaskTracking]:
    """Each task of ``year``'s plan (by id): its latest progress note date and evidence count.
    Read only; one small query per task (a plan has a few dozen)."""
    plan = _plan_by_year(ctx, year)
    out = {}
    for task in plan_store.tasks_of_plan(ctx.db, plan.id):
        notes = plan_store.progress_of_task(ctx.db, task.id)
        out[task.id] = TaskTracking(max((n.on for n in notes), default=None),
                                    len(plan_store.evidence_of_task(ctx.db, task.id)))
    return out


def year_of_task(ctx: Context, task_id: int) -> int:
    """The year of the plan a task belongs to (the dashboard opens the plan page at it)."""
    get_task(ctx, task_id)
    return _plan(ctx, plan_store.plan_id_of_task(ctx.db, task_id)).year


def tasks_due_soon(ctx: Context, today: date | None = None) -> list[PlanTask]:
    """Open tasks due within 15 calendar days (core.work_plan.DUE_SOON_DAYS), soonest first."""
    today = today or ctx.today()
    candidates = plan_store.open_tasks_due_by(ctx.db, today + timedelta(DUE_SOON_DAYS))
    return due_soon(candidates, today, ctx.calendar)


def overdue_tasks(ctx: Context, today: date | None = None) -> list[PlanTask]:
    """Open tasks past their 完成时限 (a date on a day off runs to the next working day)."""
    today = today or ctx.today()
    return overdue(plan_store.open_tasks_due_by(ctx.db, today), today, ctx.calendar)


def open_tasks_by_owner(ctx: Context, year: int) -> dict[str, list[PlanTask]]:
    """What each unit and community owes in ``year``'s plan: its open tasks, units first."""
    plan = _plan_by_year(ctx, year)
    units = {u.id: u.name for u in org_store.list_units(ctx.db, active_only=True)}
    communities = {c.id: c.name for c in org_store.list_communities(ctx.db, active_only=True)}
    return _open_by_owner(plan_store.tasks_of_plan(ctx.db, plan.id), units, communities)


# ---- the plan ---------------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise UserError("请填写实施方案标题", field="标题")
    if len(title) > TITLE_MAX:
        raise UserError(f"标题不能超过{TITLE_MAX}字", field="标题")
    return title


@requires(EDIT)
def create_plan(ctx: Context, year: int, title: str, intro: str = "",
                issued_on: date | None = None) -> WorkPlan:
    _check_year(year)
    title = _clean_title(title)
    if plan_store.plan_of_year(ctx.db, year) is not None:
        raise UserError(f"{year}年的实施方案已经存在", field="年度")
    with ctx.db.atomic():
        plan_id = plan_store.insert_plan(ctx.db, year, title, intro.strip(), issued_on,
                                         created_by=ctx.actor_id, now=ctx.now_utc())
        ctx.audit("create", "work_plan", plan_id, year=year, title=title)
    return _plan(ctx, plan_id)


@requires(EDIT)
def update_plan(ctx: Context, plan_id: int, title: str, intro: str,
                issued_on: date | None = None) -> WorkPlan:
    old = _plan(ctx, plan_id)
    title, intro = _clean_title(title), intro.strip()
    if (title, intro, issued_on) == (old.title, old.intro, old.issued_on):
        return old
    with ctx.db.atomic():
        plan_store.update_plan(ctx.db, plan_id, title, intro, issued_on, now=ctx.now_utc())
        ctx.audit("update", "work_plan", plan_id,
                  before={"title": old.title, "intro": old.intro,
                          "issued_on": old.issued_on.isoformat() if old.issued_on else None},
                  after={"title": title, "intro": intro,
                         "issued_on": issued_on.isoformat() if issued_on else None})
    return _plan(ctx, plan_id)


@requires(EDIT)
def copy_plan(ctx: Context, from_year: int, to_year: int) -> WorkPlan:
    """Start ``to_year``'s plan from ``from_year``'s: the same sections and tasks with their
    dates moved to the new year; states, notes and evidence are not copied."""
    _check_year(to_year)
    source = _plan_by_year(ctx, from_year)
    if plan_store.plan_of_year(ctx.db, to_year) is not None:
        raise UserError(f"{to_year}年的实施方案已经存在，不能再复制", field="年度")
    title, intro, drafts = copied_plan(source, plan_store.sections_of_plan(ctx.db, source.id),
                                       plan_store.tasks_of_plan(ctx.db, source.id), to_year)
    now = ctx.now_utc()
    with ctx.db.atomic():
        plan_id = plan_store.insert_plan(ctx.db, to_year, title, intro, None,
                                         created_by=ctx.actor_id, now=now)
        tasks = 0
        for draft in drafts:
            section_id = plan_store.insert_section(ctx.db, plan_id, draft.title)
            for data in draft.tasks:
                plan_store.insert_task(ctx.db, section_id, data, created_by=ctx.actor_id,
                                       now=now)
                tasks += 1
        ctx.audit("copy_plan", "work_plan", plan_id, from_year=from_year, year=to_year,
                  title=title, sections=len(drafts), tasks=tasks)
    return _plan(ctx, plan_id)


# ---- sections ---------------------------------------------------------------------------------


def _clean_section_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise UserError("请填写板块名称", field="板块")
    if len(title) > TITLE_MAX:
        raise UserError(f"板块名称不能超过{TITLE_MAX}字", field="板块")
    return title


@requires(EDIT)
def add_section(ctx: Context, plan_id: int, title: str) -> PlanSection:
    _plan(ctx, plan_id)
    title = _clean_section_title(title)
    with ctx.db.atomic():
        section_id = plan_store.insert_section(ctx.db, plan_id, title)
        ctx.audit("create", "plan_section", section_id, plan_id=plan_id, title=title)
    return _section(ctx, section_id)


@requires(EDIT)
def rename_section(ctx: Context, section_id: int, title: str) -> PlanSection:
    old = _section(ctx, section_id)
    title = _clean_section_title(title)
    if title == old.title:
        return old
    with ctx.db.atomic():
        plan_store.rename_section(ctx.db, section_id, title)
        ctx.audit("update", "plan_section", section_id, before={"title": old.title},
                  after={"title": title})
    return _section(ctx, section_id)


@requires(EDIT)
def reorder_sections(ctx: Context, plan_id: int, section_ids: list[int]) -> list[PlanSection]:
    """Put the plan's sections in the order given (every section exactly once)."""
    current = plan_store.sections_of_plan(ctx.db, _plan(ctx, plan_id).id)
    if sorted(section_ids) != sorted(s.id for s in current):
        raise UserError("调整顺序时须列出本方案的全部板块，且每个只列一次")
    with ctx.db.atomic():
        plan_store.set_section_order(ctx.db, section_ids)
        ctx.audit("reorder", "work_plan", plan_id, before=[s.id for s in current],
                  after=list(section_ids))
    return plan_store.sections_of_plan(ctx.db, plan_id)


@requires(EDIT)
@backup_first(Trigger.DELETE)
def delete_section(ctx: Context, section_id: int) -> None:
    """Delete a section with its tasks (and their notes and evidence)."""
    old = _section(ctx, section_id)
    tasks = [t.text for t in plan_store.tasks_of_plan(ctx.db, old.plan_id)
             if t.section_id == section_id]
    with ctx.db.atomic():
        plan_store.delete_section(ctx.db, section_id)
        ctx.audit("delete", "plan_section", section_id, plan_id=old.plan_id,
                  before={"title": old.title, "tasks": tasks})


# ---- tasks ------------------------------------------------------------------------------------


def _task_summary(data: TaskInput | PlanTask) -> dict[str, object]:
    out = {k: v for k, v in asdict(data).items()
           if k in ("text", "unit_ids", "community_ids", "all_units", "all_communities",
                    "category_id")}
    out["deadline"] = data.deadline.text
    return out


def _checked(ctx: Context, section: PlanSection, data: TaskInput) -> TaskInput:
    data = data.cleaned()
    plan = _plan(ctx, section.plan_id)
    problems = task_problems(data, plan.year)
    units = {u.id for u in org_store.list_units(ctx.db)}
    communities = {c.id for c in org_store.list_communities(ctx.db)}
    if any(u not in units for u in data.unit_ids):
        problems.append("所选责任单位不存在")
    if any(c not in communities for c in data.community_ids):
        problems.append("所选村（社区）不存在")
    if data.category_id is not None and data.category_id not in {
            c.id for c in org_store.list_categories(ctx.db)}:
        problems.append("所选公开目录类别不存在")
    if len(problems) == 1:
        raise UserError(problems[0])
    if problems:
        raise ValidationErrors(problems, title="任务信息有误，未保存")
    return data


@requires(EDIT)
def add_task(ctx: Context, section_id: int, data: TaskInput) -> PlanTask:
    section = _section(ctx, section_id)
    data = _checked(ctx, section, data)
    with ctx.db.atomic():
        task_id = plan_store.insert_task(ctx.db, section_id, data, created_by=ctx.actor_id,
                                         now=ctx.now_utc())
        ctx.audit("create", "plan_task", task_id, section_id=section_id,
                  after=_task_summary(data))
    return get_task(ctx, task_id)


@requires(EDIT)
def update_task(ctx: Context, task_id: int, data: TaskInput) -> PlanTask:
    old = get_task(ctx, task_id)
    data = _checked(ctx, _section(ctx, old.section_id), data)
    if data == old.as_input():
        return old
    with ctx.db.atomic():
        plan_store.update_task(ctx.db, task_id, data, now=ctx.now_utc())
        ctx.audit("update", "plan_task", task_id, before=_task_summary(old),
                  after=_task_summary(data))
    return get_task(ctx, task_id)


@requires(EDIT)
def move_task(ctx: Context, task_id: int, section_id: int, position: int) -> PlanTask:
    """Move a task to ``position`` (1-based) in ``section_id`` (its own or another section of
    the same plan); the other tasks keep their order."""
    task = get_task(ctx, task_id)
    target = _section(ctx, section_id)
    if target.plan_id != _section(ctx, task.section_id).plan_id:
        raise UserError("任务只能在同一份实施方案的板块之间移动")
    others = [t.id for t in plan_store.tasks_of_plan(ctx.db, target.plan_id)
              if t.section_id == section_id and t.id != task_id]
    position = max(1, min(position, len(others) + 1))
    order = others[: position - 1] + [task_id] + others[position - 1:]
    with ctx.db.atomic():
        plan_store.move_task(ctx.db, task_id, section_id, order)
        ctx.audit("reorder", "plan_task", task_id,
                  before={"section_id": task.section_id, "seq": task.seq},
                  after={"section_id": section_id, "seq": position})
    return get_task(ctx, task_id)


@requires(EDIT)
@backup_first(Trigger.DELETE)
def delete_task(ctx: Context, task_id: int) -> None:
    old = get_task(ctx, task_id)
    with ctx.db.atomic():
        plan_store.delete_task(ctx.db, task_id)
        ctx.audit("delete", "plan_task", task_id, section_id=old.section_id,
                  before={**_task_summary(old), "state": old.state.value})


# ---- tracking ---------------------------------------------------------------------------------


@requires(TRACK)
def set_task_state(ctx: Context, task_id: int, state: TaskState, reason: str = "") -> PlanTask:
    """Change a task's state; 未完成 needs a 原因 (core.work_plan.check_transition)."""
    old = get_task(ctx, task_id)
    reason = check_transition(old.state, state, reason)
    with ctx.db.atomic():
        plan_store.set_state(ctx.db, task_id, state, reason, ctx.today(), now=ctx.now_utc())
        ctx.audit("set_task_state", "plan_task", task_id,
                  before={"state": old.state.value, "reason": old.reason},
                  after={"state": state.value, "reason": reason})
    return get_task(ctx, task_id)


@requires(TRACK)
def add_progress(ctx: Context, task_id: int, text: str, on: date | None = None) -> ProgressNote:
    get_task(ctx, task_id)
    text = text.strip()
    on = on or ctx.today()
    if not text:
        raise UserError("请填写工作进展", field="进展")
    if len(text) > PROGRESS_MAX:
        raise UserError(f"工作进展不能超过{PROGRESS_MAX}字", field="进展")
    if on > ctx.today():
        raise UserError("进展日期不能晚于今天", field="日期")
    with ctx.db.atomic():
        note_id = plan_store.insert_progress(ctx.db, task_id, on, text,
                                             created_by=ctx.actor_id, now=ctx.now_utc())
        ctx.audit("add_progress", "plan_task", task_id, note_id=note_id, on=on.isoformat(),
                  text=text)
    return next(n for n in plan_store.progress_of_task(ctx.db, task_id) if n.id == note_id)


@requires(TRACK)
def link_notice(ctx: Context, task_id: int, notice_id: int) -> Evidence:
    """A notice from the register as evidence of a task."""
    get_task(ctx, task_id)
    title = plan_store.notice_title(ctx.db, notice_id)
    if title is None:
        raise NotFound("这条信息不存在")
    if plan_store.has_notice_evidence(ctx.db, task_id, notice_id):
        raise UserError(f"“{title}”已是这项任务的佐证")
    with ctx.db.atomic():
        evidence_id = plan_store.insert_evidence(ctx.db, task_id, notice_id=notice_id,
                                                 created_by=ctx.actor_id, now=ctx.now_utc())
        ctx.audit("link_notice", "plan_task", task_id, evidence_id=evidence_id,
                  notice_id=notice_id, title=title)
    return plan_store.get_evidence(ctx.db, evidence_id)


@requires(TRACK)
def attach_file(ctx: Context, task_id: int, source: str | os.PathLike[str]) -> Evidence:
    """A file (PDF, picture, Word or Excel) as evidence, copied into the managed files folder
    under a name made from its content (operations.files)."""
    get_task(ctx, task_id)
    name = store_file(ctx, source, folder=EVIDENCE_FOLDER, kinds=EVIDENCE_KINDS,
                      label="佐证材料", allowed="PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）文件")
    label = Path(source).name
    with ctx.db.atomic():
        evidence_id = plan_store.insert_evidence(ctx.db, task_id, file_name=name, label=label,
                                                 created_by=ctx.actor_id, now=ctx.now_utc())
        ctx.audit("attach_evidence", "plan_task", task_id, evidence_id=evidence_id,
                  file=name, label=label)
    return plan_store.get_evidence(ctx.db, evidence_id)


@requires(TRACK)
@backup_first(Trigger.DELETE)
def remove_evidence(ctx: Context, evidence_id: int) -> None:
    """Unlink a notice or an attachment (the stored file stays: another task may use it, and
    backups refer to it)."""
    old = plan_store.get_evidence(ctx.db, evidence_id)
    if old is None:
        raise NotFound("这项佐证材料不存在")
    with ctx.db.atomic():
        plan_store.delete_evidence(ctx.db, evidence_id)
        ctx.audit("remove_evidence", "plan_task", old.task_id, evidence_id=evidence_id,
                  notice_id=old.notice_id, file=old.file_name, label=old.label)


# ---- export -----------------------------------------------------------------------------------


def document_of(ctx: Context, year: int) -> PlanDocument:
    view = plan_view(ctx, year)
    issuer = org_store.get_township(ctx.db).full_name
    return plan_document(view.plan, view.sections, view.tasks, issuer=issuer)


def export_plan(ctx: Context, year: int, path: str | os.PathLike[str], *,
                invariant: bool = False) -> int | None:
    """Write ``year``'s plan to ``path`` by extension: .pdf (GB/T 9704, returns its pages),
    .docx (editable) or .xlsx (with each task's 状态). Atomic; audited."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise UserError("实施方案只能导出为 .pdf、.docx（Word）或 .xlsx（Excel）文件",
                        field="文件名")
    doc = document_of(ctx, year)
    pages = None
    if suffix == ".pdf":
        from govdesk.export.fonts import resolve_fonts
        from govdesk.export.plan_docs import plan_pdf
        from govdesk.operations.printing import font_overrides

        pages = plan_pdf(doc, target, fonts=resolve_fonts(font_overrides(ctx)),
                         invariant=invariant)
    elif suffix == ".docx":
        from govdesk.export.plan_docs import plan_docx

        plan_docx(doc, target)
    else:
        from govdesk.export.plan_docs import plan_xlsx

        plan_xlsx(doc, target)
    with ctx.db.atomic():
        ctx.audit("export", "work_plan", _plan_by_year(ctx, year).id, year=year,
                  format=suffix[1:], file=target.name)
    return pages
