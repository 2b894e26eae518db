"""Printing (打印): a notice as a GB/T 9704 PDF, a batch of notices behind a cover list, the
checklist for a 公开栏 and the register as a table.

The office chooses its own print fonts (设置 → 打印字体): :func:`set_font_override` stores a
TrueType file per role (settings key ``print_font.<role>``), :func:`font_status` says which file
each role resolved to, and every print function here uses them.

Printing changes nothing, so it needs no permission; every printed notice leaves an audit row
"print" (which file name, which paper). Before a notice is printed every function in
:data:`PRE_PRINT_CHECKS` is asked for problems (e.g. personal information that must not go on
a board); any problem stops the whole print with a UserError and no file is written.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from govdesk.core.documents import cn_date, notice_document
from govdesk.core.errors import NotFound, UserError
from govdesk.core.notices import Notice, NoticeFilter, NoticeStatus, Posting
from govdesk.operations.context import Context, requires
from govdesk.store import notice_store, org_store

if TYPE_CHECKING:
    from govdesk.export.fonts import FontStatus, ResolvedFont

__all__ = [
    "PRE_PRINT_CHECKS",
    "board_sheet_rows",
    "font_overrides",
    "font_status",
    "print_batch",
    "print_board_sheet",
    "print_ledger",
    "print_notice",
    "print_notices",
    "set_font_override",
]

PrePrintCheck = Callable[[Context, Notice], list[str]]
# Registered by other modules (e.g. the personal-information check); empty by default.
PRE_PRINT_CHECKS: list[PrePrintCheck] = []

Progress = Callable[[int, int], bool]
PAPERS = ("A4", "A3")


FONT_SETTING_PREFIX = "print_font."


def font_overrides(ctx: Context) -> dict[str, str]:
    """The office's own print fonts from the settings: role → file (roles without one left out)."""
    from govdesk.export.fonts import ROLES

    found = {role: org_store.get_setting(ctx.db, FONT_SETTING_PREFIX + role) for role in ROLES}
    return {role: path for role, path in found.items() if path}


def font_status(ctx: Context) -> list[FontStatus]:
    """Which font file each role resolved to, for the settings page (never raises for a
    missing font: the row carries the problem instead)."""
    from govdesk.export.fonts import describe

    return describe(font_overrides(ctx))


def _fonts(ctx: Context) -> dict[str, ResolvedFont]:
    from govdesk.export.fonts import resolve_fonts

    return resolve_fonts(font_overrides(ctx))


@requires("settings.manage")
def set_font_override(ctx: Context, role: str, path: str | os.PathLike[str] | None) -> None:
    """Use the TrueType file ``path`` for ``role`` when printing; None (or "") goes back to
    the automatic choice. The file must exist and be embeddable by reportlab (TrueType
    outlines, a licence that allows embedding); otherwise a Chinese UserError and nothing
    is stored."""
    from govdesk.export.fonts import ROLE_LABELS, ROLES, describe

    if role not in ROLES:
        raise UserError(f"未知的字体用途“{role}”", field="打印字体")
    value = os.fspath(path).strip() if path is not None else ""
    if value:
        value = os.path.abspath(value)
        if not os.path.isfile(value):
            raise UserError(f"{ROLE_LABELS[role]}：字体文件“{value}”不存在", field="打印字体")
        # The same checks (and reportlab registration) printing will apply.
        status = next(s for s in describe({role: value}) if s.role == role)
        if status.font is None:
            raise UserError(status.problem, field="打印字体")
    with ctx.db.atomic():
        org_store.set_setting(ctx.db, FONT_SETTING_PREFIX + role, value)
        ctx.audit("set_print_font", "setting", role, path=value or None)


def _paper(paper: str) -> str:
    if paper not in PAPERS:
        raise UserError(f"纸张“{paper}”不支持，只能是 A4 或 A3")
    return paper


def _get(ctx: Context, notice_id: int) -> Notice:
    notice = notice_store.get_notice(ctx.db, notice_id)
    if notice is None:
        raise NotFound(f"编号为 {notice_id} 的信息不存在或已被删除")
    return notice


def _check(ctx: Context, notices: Sequence[Notice]) -> None:
    """Printing for posting: the current content must be fully approved (先审查后公开) and
    every pre-print check (the personal-information screening) must pass."""
    import govdesk.operations.screening  # noqa: F401 - registers the screening check
    from govdesk.operations.approvals import publication_problem

    problems: list[str] = []
    for notice in notices:
        gate = publication_problem(ctx, notice.id)
        if gate:
            problems.append(gate)
            continue
        found = [p for check in PRE_PRINT_CHECKS for p in check(ctx, notice) if p]
        if found:
            problems.append(f"“{notice.title}”：" + "；".join(found))
    if problems:
        raise UserError("以下信息不能打印张贴：\n" + "\n".join(problems))


REVIEW_COPY_MARK = "审阅稿（未经审批，不得张贴）"
REVIEW_COPY_WATERMARK = ("审阅稿", "未经审批　不得张贴")


def _footer_code(ctx: Context) -> str:
    # A3: the 审计校验码 on every printed notice ties the paper to the log as it was.
    from govdesk.operations.audit import audit_code

    code = audit_code(ctx)
    return f"审计校验码 {code}" if code else ""


def _document(ctx: Context, notice: Notice, red_header: bool):
    township = org_store.get_township(ctx.db)
    kind = None
    if notice.community_id is not None:
        kind = next((c.kind for c in org_store.list_communities(ctx.db)
                     if c.id == notice.community_id), None)
    return notice_document(notice, township, ctx.calendar, community_kind=kind,
                           red_header=red_header)


def _audit_prints(ctx: Context, notices: Sequence[Notice], paper: str,
                  path: str | os.PathLike[str], *, review_copy: bool = False) -> None:
    name = Path(os.fspath(path)).name
    with ctx.db.atomic():
        for n in notices:
            if review_copy:
                ctx.audit("print", "notice", n.id, paper=paper, path_name=name,
                          review_copy=True)
            else:
                ctx.audit("print", "notice", n.id, paper=paper, path_name=name)


def print_notice(ctx: Context, notice_id: int, path: str | os.PathLike[str], *,
                 paper: str = "A4", red_header: bool = False, invariant: bool = False,
                 review_copy: bool = False) -> int:
    """Print one notice to ``path``; returns its pages.

    For posting (the default) the notice's current content must be fully approved and pass the
    pre-print screening. ``review_copy=True`` prints a 审阅稿 of any version for reading and
    signing off on paper, marked 审阅稿（未经审批，不得张贴） on every page."""
    from govdesk.export.notice_pdf import notice_pdf

    _paper(paper)
    notice = _get(ctx, notice_id)
    if not review_copy:
        _check(ctx, [notice])
    footer = REVIEW_COPY_MARK if review_copy else _footer_code(ctx)
    pages = notice_pdf(_document(ctx, notice, red_header), path, paper=paper,
                       fonts=_fonts(ctx), invariant=invariant, footer_code=footer,
                       watermark=REVIEW_COPY_WATERMARK if review_copy else None)
    _audit_prints(ctx, [notice], paper, path, review_copy=review_copy)
    return pages


def _period_text(notice: Notice) -> str:
    p = notice.period
    return f"{cn_date(p.start)}至{cn_date(p.end)}" if p else "—"


def _print_many(ctx: Context, notices: Sequence[Notice], path: str | os.PathLike[str], *,
                paper: str, cover_title: str, progress: Progress | None,
                invariant: bool) -> int:
    from pypdf import PdfReader, PdfWriter

    from govdesk.export.notice_pdf import notice_pdf_bytes
    from govdesk.export.pdf_write import write_atomically
    from govdesk.export.sheets_pdf import cover_sheet_pdf

    _paper(paper)
    if not notices:
        raise UserError("没有需要打印的信息")
    _check(ctx, notices)
    fonts = _fonts(ctx)
    parts: list[bytes] = []
    rows: list[tuple[str, str, str, str]] = []
    total = len(notices)
    footer = _footer_code(ctx)
    for i, notice in enumerate(notices, 1):
        data, pages = notice_pdf_bytes(_document(ctx, notice, False), paper=paper, fonts=fonts,
                                       invariant=invariant, footer_code=footer)
        parts.append(data)
        rows.append((notice.index_number, notice.title, str(pages), _period_text(notice)))
        if progress is not None and progress(i, total) is False:
            raise UserError("已取消打印")
    township = org_store.get_township(ctx.db)
    cover = io.BytesIO()
    cover_sheet_pdf(cover, title=cover_title or "打印信息目录", printed_on=ctx.today(),
                    rows=rows, township=township.full_name or township.short_name,
                    paper=paper, fonts=fonts, invariant=invariant)
    writer = PdfWriter()
    for data in (cover.getvalue(), *parts):
        writer.append(PdfReader(io.BytesIO(data)))
    writer.add_metadata({"/Title": cover_title or "打印信息目录", "/Creator": "govdesk"})
    out = io.BytesIO()
    writer.write(out)
    pages = len(writer.pages)
    write_atomically(path, lambda fh: fh.write(out.getvalue()))
    _audit_prints(ctx, notices, paper, path)
    return pages


def print_notices(ctx: Context, notice_ids: Sequence[int], path: str | os.PathLike[str], *,
                  paper: str = "A4", cover_title: str = "", progress: Progress | None = None,
                  invariant: bool = False) -> int:
    """Several notices in ONE PDF behind a cover list (封面清单); each notice starts on a new
    page and is numbered from — 1 —. ``progress(done, total)`` is called after each notice;
    returning False cancels (UserError "已取消打印", no file). Returns all pages, cover
    included."""
    notices = [_get(ctx, i) for i in dict.fromkeys(notice_ids)]
    return _print_many(ctx, notices, path, paper=paper, cover_title=cover_title,
                       progress=progress, invariant=invariant)


def _board(ctx: Context, board_id: int):
    board = org_store.get_board(ctx.db, board_id)
    if board is None:
        raise NotFound("所选公开栏不存在")
    return board


def batch_notices(ctx: Context, *, board_id: int | None = None, start: date | None = None,
                  end: date | None = None) -> tuple[list[Notice], str]:
    """What print_batch prints, and its cover title: the notices now on board ``board_id``
    (by posting date; ``start``/``end`` limit the posting date), or else the 已批准/已公开
    notices formed in [start, end] (by formed_on)."""
    if board_id is not None:
        board = _board(ctx, board_id)
        postings = [
            p for p in notice_store.postings_on_board(ctx.db, board_id, current_only=True)
            if (start is None or p.posted_on >= start) and (end is None or p.posted_on <= end)
        ]
        postings.sort(key=lambda p: (p.posted_on, p.id))
        ids = list(dict.fromkeys(p.notice_id for p in postings))
        return [_get(ctx, i) for i in ids], f"{board.name} 在栏信息"
    if start is None or end is None:
        raise UserError("请选择公开栏，或填写起止日期")
    if end < start:
        raise UserError("结束日期不能早于开始日期")
    found: list[Notice] = []
    for year in range(start.year, end.year + 1):
        for status in (NoticeStatus.APPROVED, NoticeStatus.PUBLISHED):
            for nid in notice_store.ids(ctx.db, NoticeFilter(year=year, status=status)):
                n = _get(ctx, nid)
                if start <= n.formed_on <= end:
                    found.append(n)
    found.sort(key=lambda n: (n.formed_on, n.id))
    return found, f"{cn_date(start)}至{cn_date(end)} 公开信息"


def print_batch(ctx: Context, path: str | os.PathLike[str], *, board_id: int | None = None,
                start: date | None = None, end: date | None = None, paper: str | None = None,
                progress: Progress | None = None, invariant: bool = False) -> int:
    """Everything due to go up on one board (the notices now posted on it), or the approved
    and published notices formed in a date range, as one PDF behind a cover list. Without a
    ``paper``, a board's batch uses the board's own paper (A3 for a large board), else A4."""
    if paper is None:
        paper = _board(ctx, board_id).paper if board_id is not None else "A4"
    notices, title = batch_notices(ctx, board_id=board_id, start=start, end=end)
    if not notices:
        raise UserError("没有需要打印的信息")
    return _print_many(ctx, notices, path, paper=paper, cover_title=title, progress=progress,
                       invariant=invariant)


def posting_status(posting: Posting, today: date) -> str:
    """在栏 / 今天撤下 / 逾期N天."""
    planned = posting.planned_removal
    if planned is None or today < planned:
        return "在栏"
    if today == planned:
        return "今天撤下"
    return f"逾期{(today - planned).days}天"


def board_sheet_rows(ctx: Context, board_id: int) -> tuple[list[tuple[str, ...]],
                                                             list[tuple[str, ...]]]:
    """(rows, overdue) of the board checklist: (索引号, 标题, 张贴日期, 计划撤下, 状态) and
    (索引号, 标题, 计划撤下, 逾期天数)."""
    today = ctx.today()
    postings = notice_store.postings_on_board(ctx.db, board_id, current_only=True)
    postings.sort(key=lambda p: (p.posted_on, p.id))
    rows, overdue = [], []
    for p in postings:
        planned = p.planned_removal.isoformat() if p.planned_removal else "—"
        rows.append((p.notice_index, p.notice_title, p.posted_on.isoformat(), planned,
                     posting_status(p, today)))
        if p.is_overdue(today):
            assert p.planned_removal is not None
            overdue.append((p.notice_index, p.notice_title, planned,
                            f"{(today - p.planned_removal).days}天"))
    return rows, overdue


def print_board_sheet(ctx: Context, board_id: int, path: str | os.PathLike[str], *,
                      invariant: bool = False) -> int:
    """公开栏清单 for the person who checks the board; returns pages."""
    from govdesk.export.sheets_pdf import board_sheet_pdf

    board = _board(ctx, board_id)
    rows, overdue = board_sheet_rows(ctx, board_id)
    return board_sheet_pdf(path, board_name=board.name, board_code=board.code,
                           location=board.location, printed_on=ctx.today(), rows=rows,
                           overdue=overdue, fonts=_fonts(ctx), invariant=invariant)


def print_ledger(ctx: Context, notice_filter: NoticeFilter, path: str | os.PathLike[str], *,
                 filter_text: str = "", invariant: bool = False) -> int:
    """The filtered register as a landscape table; returns pages."""
    from govdesk.export.sheets_pdf import ledger_pdf
    from govdesk.operations.ledger import ledger_table

    table = ledger_table(ctx, notice_filter, filter_text=filter_text)
    township = org_store.get_township(ctx.db)
    period = f"{notice_filter.year}年度" if notice_filter.year else "全部年度"
    return ledger_pdf(table, path, township=township.full_name or township.short_name,
                      period_text=period, fonts=_fonts(ctx), invariant=invariant)
