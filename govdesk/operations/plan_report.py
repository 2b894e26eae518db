"""The year-end 落实情况 report of the work plan as user actions (issue 8 §3): draft it from the
plan's tasks (states, progress notes, evidence, notices published under their categories) and
the registers' counts, save the office's edited texts and 成文日期, export it as an editable
.docx or a GB/T 9704 PDF.

Decisions:

* The edited texts live in their own table ``plan_report`` (migration 0014), one row per year:
  the 年报's ``annual_report`` row has other sections and is saved by another page. A text saved
  blank goes back to the draft (as the 年报's); None leaves it unchanged.
* Saving is "plan.manage" (the 党政办 writes the plan and reports on it), one transaction with
  its audit entry (before/after). Reading and exporting need no permission, as the plan's own
  export; the export is audited.
* 成文日期: the saved one, else today.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from govdesk.core.errors import UserError
from govdesk.core.implementation_report import (
    TEXT_KEYS,
    ImplementationReport,
    TaskRecord,
    build_report,
    draft_texts,
)
from govdesk.operations.annual_report import _place, register_figures
from govdesk.operations.context import Context, requires
from govdesk.operations.work_plan import EDIT, plan_view
from govdesk.store import org_store, plan_report_store, plan_store
from govdesk.store.plan_report_store import SavedPlanReport

__all__ = [
    "EXPORT_SUFFIXES",
    "OBJECT_TYPE",
    "build_plan_report",
    "export_plan_report",
    "plan_report_drafts",
    "save_plan_report",
    "task_records",
]

OBJECT_TYPE = "plan_report"
EXPORT_SUFFIXES = (".docx", ".pdf")
TEXT_MAX = 50_000


def task_records(ctx: Context, year: int) -> list[TaskRecord]:
    """Every task of ``year``'s plan with its progress notes and evidence counts."""
    view = plan_view(ctx, year)
    out = []
    for task in view.tasks:
        evidence = plan_store.evidence_of_task(ctx.db, task.id)
        out.append(TaskRecord(
            task, tuple(plan_store.progress_of_task(ctx.db, task.id)),
            linked_notices=sum(e.is_notice for e in evidence),
            attachments=sum(not e.is_notice for e in evidence),
            published=view.notice_counts.get(task.id)))
    return out


def build_plan_report(ctx: Context, year: int) -> ImplementationReport:
    """The report of ``year``: the saved texts where the office saved any, drafts elsewhere."""
    view = plan_view(ctx, year)  # NotFound (Chinese) when there is no plan that year
    township = org_store.get_township(ctx.db)
    saved = plan_report_store.get(ctx.db, year)
    texts = {k: getattr(saved, k) for k in TEXT_KEYS} if saved else {}
    return build_report(
        view.plan, view.sections, task_records(ctx, year), register_figures(ctx, year),
        township=township.short_name or township.full_name,
        place=_place(township.short_name or township.full_name),
        issuer=township.full_name or township.short_name,
        dated=(saved.dated if saved and saved.dated else ctx.today()), saved=texts)


def plan_report_drafts(ctx: Context, year: int) -> tuple[str, str, str]:
    """The drafted 概述, 实施措施 and 存在的主要问题及改进措施 of ``year`` from today's data,
    whatever the office saved (the page's 重新生成草稿)."""
    view = plan_view(ctx, year)
    township = org_store.get_township(ctx.db)
    return draft_texts(view.plan, view.sections, task_records(ctx, year),
                       register_figures(ctx, year),
                       place=_place(township.short_name or township.full_name))


def _clean(key: str, value: object) -> str | None:
    if not isinstance(value, str):
        raise UserError(f"“{key}”应为文字", field=key)
    text = "\n".join(line.rstrip() for line in value.strip().splitlines())
    if len(text) > TEXT_MAX:
        raise UserError(f"报告文字不能超过{TEXT_MAX}字", field=key)
    return text or None


@requires(EDIT)
def save_plan_report(ctx: Context, year: int, *, overview: str | None = None,
                     measures: str | None = None, problems: str | None = None,
                     dated: date | None = None, clear_date: bool = False) -> ImplementationReport:
    """Save the edited 概述 (``overview``), 实施措施 (``measures``) and 存在的主要问题及改进措施
    (``problems``) and the 成文日期. None leaves a text unchanged, "" clears it (the draft is
    used again). ``clear_date`` forgets the saved date (today's is used). One transaction, one
    audit entry with before and after; nothing written when nothing changed."""
    plan_view(ctx, year)
    new: dict[str, object] = {}
    for key, value in (("overview", overview), ("measures", measures), ("problems", problems)):
        if value is not None:
            new[key] = _clean(key, value)
    if dated is not None:
        if dated < date(year, 1, 1):
            raise UserError(f"{year}年落实情况报告的成文日期不能早于{year}年", field="成文日期")
        new["dated"] = dated
    elif clear_date:
        new["dated"] = None
    with ctx.db.atomic():
        old = plan_report_store.get(ctx.db, year) or SavedPlanReport(year)
        before = {k: getattr(old, k) for k in new}
        if before != new:
            row = SavedPlanReport(year, **{k: new.get(k, getattr(old, k))  # type: ignore[arg-type]
                                           for k in ("overview", "measures", "problems",
                                                     "dated")},
                                  updated_by=ctx.actor_id, updated_at=ctx.now_utc())
            plan_report_store.save(ctx.db, row)

            def show(values: dict[str, object]) -> dict[str, object]:
                return {k: v.isoformat() if isinstance(v, date) else v
                        for k, v in values.items()}

            ctx.audit("update", OBJECT_TYPE, year, before=show(before), after=show(new))
    return build_plan_report(ctx, year)


def export_plan_report(ctx: Context, year: int, path: str | os.PathLike[str], *,
                       invariant: bool = False) -> int | None:
    """Write ``year``'s report to ``path`` by extension: .docx (editable) or .pdf (GB/T 9704,
    returns its pages). Atomic; audited."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise UserError("落实情况报告只能导出为 .docx（Word）或 .pdf 文件", field="文件名")
    report = build_plan_report(ctx, year)
    pages = None
    if suffix == ".pdf":
        from govdesk.export.fonts import resolve_fonts
        from govdesk.export.plan_report_docs import plan_report_pdf
        from govdesk.operations.printing import font_overrides

        pages = plan_report_pdf(report, target, fonts=resolve_fonts(font_overrides(ctx)),
                                invariant=invariant)
    else:
        from govdesk.export.plan_report_docs import plan_report_docx

        plan_report_docx(report, target)
    with ctx.db.atomic():
        ctx.audit("export", OBJECT_TYPE, year, format=suffix[1:], file=target.name,
                  sources=dict(zip(TEXT_KEYS, report.sources, strict=True)))
    return pages
