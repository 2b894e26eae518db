"""Print buttons: make the PDF on a worker thread (fonts load once, ~0.5 s), then open the
preview, from which the user prints, saves or opens it elsewhere."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QWidget

from govdesk.core.notices import NoticeFilter
from govdesk.gui.background import run_with_progress, run_with_steps, worker_context
from govdesk.operations import printing
from govdesk.operations.context import Context


# Tests replace this to inspect the PDF instead of opening the (modal) preview.
def _show(parent: QWidget | None, path: Path, suggested_name: str) -> None:
    from govdesk.gui.dialogs.pdf_preview_dialog import PdfPreviewDialog

    PdfPreviewDialog.show_pdf(parent, path, suggested_name=suggested_name)


show_preview: Callable[[QWidget | None, Path, str], None] = _show


def _temp_pdf(stem: str) -> Path:
    folder = Path(tempfile.gettempdir()) / "govdesk-print"
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in stem)[:60]
    return folder / f"{safe}-{datetime.now():%Y%m%d-%H%M%S-%f}.pdf"


def _in_worker(ctx: Context, job: Callable[[Context], object]) -> Callable[[], object]:
    def work() -> object:
        worker = worker_context(ctx)
        try:
            return job(worker)
        finally:
            worker.db.close()

    return work


def preview_notice(parent: QWidget | None, ctx: Context, notice_id: int, index_number: str, *,
                   paper: str = "A4", red_header: bool = False,
                   review_copy: bool = False) -> None:
    """The notice for posting, or (``review_copy``) a 审阅稿 of any version."""
    stem = index_number + ("-review" if review_copy else "")
    name = index_number.replace("/", "-") + ("-审阅稿" if review_copy else "") + ".pdf"
    preview_job(parent, ctx, stem, name,
                "正在生成审阅稿……" if review_copy else "正在生成打印文件……",
                lambda w, path: printing.print_notice(w, notice_id, path, paper=paper,
                                                      red_header=red_header,
                                                      review_copy=review_copy))


def preview_slip(parent: QWidget | None, ctx: Context, slip_id: int, number: str, *,
                 blank: bool = False) -> None:
    """The 审批单 as a one-page form, completed or blank for pen signatures."""
    from govdesk.operations import approvals

    suffix = "-空白" if blank else ""
    preview_job(parent, ctx, f"slip-{number}{suffix}", f"审批单{number}{suffix}.pdf",
                "正在生成空白审批单……" if blank else "正在生成审批单……",
                lambda w, path: approvals.print_slip(w, slip_id, path, blank=blank))


def preview_job(parent: QWidget | None, ctx: Context, stem: str, suggested_name: str,
                label: str, job: Callable[[Context, Path], object]) -> None:
    """Make a PDF with ``job(worker_ctx, path)`` off the GUI thread, then open the preview."""
    path = _temp_pdf(stem)
    if run_with_progress(parent, label, _in_worker(ctx, lambda w: job(w, path))) is not None:
        show_preview(parent, path, suggested_name)


def preview_board_sheet(parent: QWidget | None, ctx: Context, board_id: int, code: str) -> None:
    path = _temp_pdf(f"board-{code}")
    done = run_with_progress(parent, "正在生成公开栏清单……", _in_worker(
        ctx, lambda w: printing.print_board_sheet(w, board_id, path)))
    if done is not None:
        show_preview(parent, path, f"公开栏清单-{code}.pdf")


def preview_board_batch(parent: QWidget | None, ctx: Context, board_id: int, code: str,
                        paper: str | None = None) -> None:
    path = _temp_pdf(f"batch-{code}")

    def job(progress: Callable[[int, int], bool]) -> object:
        return _in_worker(ctx, lambda w: printing.print_batch(
            w, path, board_id=board_id, paper=paper, progress=progress))()

    if run_with_steps(parent, "正在生成在栏信息……", job) is not None:
        show_preview(parent, path, f"在栏信息-{code}.pdf")


def preview_date_range_batch(parent: QWidget | None, ctx: Context, start, end) -> None:
    path = _temp_pdf(f"batch-{start:%Y%m%d}-{end:%Y%m%d}")

    def job(progress: Callable[[int, int], bool]) -> object:
        return _in_worker(ctx, lambda w: printing.print_batch(
            w, path, start=start, end=end, progress=progress))()

    if run_with_steps(parent, "正在生成打印文件……", job) is not None:
        show_preview(parent, path, f"批量打印-{start:%Y%m%d}-{end:%Y%m%d}.pdf")


def preview_ledger(parent: QWidget | None, ctx: Context, f: NoticeFilter,
                   filter_text: str) -> None:
    path = _temp_pdf("ledger")
    done = run_with_progress(parent, "正在生成台账……", _in_worker(
        ctx, lambda w: printing.print_ledger(w, f, path, filter_text=filter_text)))
    if done is not None:
        show_preview(parent, path, "政府信息公开台账.pdf")
