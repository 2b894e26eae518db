"""The 政府信息公开工作年度报告 as a GB/T 9704 PDF (the print; annual_report_docx is the
editable copy).

The text — title, opening paragraph with the statistics period, the six headings and their
texts, 署名 and 成文日期 — goes through the notice machinery (:func:`notice_story` on the
:class:`GBT9704DocTemplate` page), so it sits on the same 22 × 28 grid as every other document
govdesk prints. The three tables are drawn here from core.annual_report's grids, with the
official merged headers as reportlab SPANs: 五号 (10.5 pt) 仿宋, headers in 黑体, tight
leading so that 表三's 28 rows fit one A4 portrait page under its heading; 表四's 15 columns
(29 pt each) take two characters a line, so its headers stack ("结果/维持"). Header rows repeat
when a table continues on the next page, and a heading never stays behind without its table.

Where each table goes: the text document carries a one-cell placeholder table under the
headings 二、三、四; the placeholders' flowables are swapped for the real tables.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from govdesk.core.annual_report import (
    SECTION_TITLES,
    AnnualReport,
    Grid,
    GridCell,
    table2_grid,
    table3_grid,
    table4_grid,
)
from govdesk.core.documents import NoticeDocument
from govdesk.core.errors import UserError
from govdesk.core.notices import BodyBlock, BodyTable, Heading, Paragraph, heading_level
from govdesk.export.fonts import ResolvedFont, resolve_fonts
from govdesk.export.gbt9704 import (
    BODY_HEIGHT,
    BODY_WIDTH,
    LINE_PITCH,
    LINES_PER_PAGE,
    SIZE_2,
    CellText,
    GBT9704DocTemplate,
    GridLines,
    Line,
    fontify,
    layout_text,
)
from govdesk.export.notice_pdf import SQUEEZE_LINES_PER_PAGE, SQUEEZE_MAX_LINES, notice_story
from govdesk.export.pdf_write import write_atomically

__all__ = [
    "TABLE_SIZE",
    "annual_report_pdf",
    "annual_report_pdf_bytes",
    "report_document",
    "table_flowable",
]

TABLE_SIZE = 10.5  # 五号
TABLE_LEADING = 12.6  # 1.2 × 五号: 表三 on one page under its heading
PAD_X = 2.0
PAD_Y = 1.6
GRID_WIDTH = 0.5
PLACEHOLDER = "〔表格〕"


def section_blocks(text: str) -> list[BodyBlock]:
    """A section's text, one block per line; 一、/（一）/1. lines are headings (7.3.3)."""
    out: list[BodyBlock] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line:
            level = heading_level(line)
            out.append(Heading(level, line) if level else Paragraph(line))
    return out


def report_document(report: AnnualReport) -> NoticeDocument:
    """The text of the report as a :class:`NoticeDocument`, with a placeholder table under the
    headings 二、三、四 where the real tables go."""
    if report.dated is None:
        raise UserError("请先填写年度报告的成文日期，再打印。", field="dated")
    blocks: list[BodyBlock] = [Paragraph(report.opening)]
    for i, (title, text) in enumerate(zip(SECTION_TITLES, report.texts, strict=True)):
        blocks.append(Heading(1, title))
        blocks += section_blocks(text)
        if i in (1, 2, 3):
            blocks.append(BodyTable(((PLACEHOLDER,),)))
    return NoticeDocument(index_number="", title=report.title, blocks=tuple(blocks),
                          issuer=report.organ, dated=report.dated)


# ---- tables ------------------------------------------------------------------------------------


def _chain(fonts: Mapping[str, ResolvedFont], first: str) -> list[str]:
    names = [fonts[r].name for r in ("body", "page_number", "heading1", "heading2", "title")]
    return list(dict.fromkeys([fonts[first].name, *names]))


def _cell(gc: GridCell, width: float, fonts: Mapping[str, ResolvedFont], size: float,
          leading: float) -> CellText:
    role = "heading1" if gc.kind in ("header", "caption") else "body"
    chain = _chain(fonts, role)
    inner = width - 2 * PAD_X
    # Row labels and captions flush left, as in the published tables; headers, numbers and the
    # tall merged labels (三、本年度办理结果, （三）不予公开 …) centred.
    left = gc.kind == "caption" or (gc.kind == "label" and gc.rowspan == 1)
    lines = []
    for part in gc.lines:
        lines += layout_text(fontify(part, chain), size, inner,
                             align="left" if left else "center", char_space=0.0)
    return CellText(lines, leading, inner)


def table_flowable(grid: Grid, fonts: Mapping[str, ResolvedFont], *,
                   size: float = TABLE_SIZE, leading: float = TABLE_LEADING) -> Table:
    """``grid`` as a reportlab Table the width of the 版心, merged cells as SPANs, the header
    rows repeated on a new page."""
    total = sum(grid.widths)
    widths = [BODY_WIDTH * w / total for w in grid.widths]
    data: list[list[Any]] = [["" for _ in range(grid.cols)] for _ in range(grid.rows)]
    style: list[tuple[Any, ...]] = [
        # the Table selects a cell font even for flowable cells: name an embedded one
        ("FONT", (0, 0), (-1, -1), fonts["body"].name, size),
        ("GRID", (0, 0), (-1, -1), GRID_WIDTH, black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y),
    ]
    for gc in grid.cells:
        width = sum(widths[gc.col: gc.col + gc.colspan])
        data[gc.row][gc.col] = _cell(gc, width, fonts, size, leading)
        if gc.rowspan > 1 or gc.colspan > 1:
            style.append(("SPAN", (gc.col, gc.row),
                          (gc.col + gc.colspan - 1, gc.row + gc.rowspan - 1)))
    table = Table(data, colWidths=widths, repeatRows=grid.header_rows, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def _insert_tables(story: list[Flowable], tables: Sequence[Table]) -> list[Flowable]:
    """Swap the placeholder tables for the real ones; the lines just above a table (its heading,
    perhaps a short remark) are kept on a page with it."""
    out: list[Flowable] = []
    queue = list(tables)
    for f in story:
        if isinstance(f, Table) and queue:
            table = queue.pop(0)
            before = out[-1] if out else None
            if isinstance(before, GridLines) and len(before.lines) <= 4:
                out[-1] = KeepTogether([before, table])
            else:
                out.append(table)
        else:
            out.append(f)
    if queue:  # pragma: no cover - report_document always puts three placeholders
        raise AssertionError("placeholder tables missing from the story")
    return out


def _story(report: AnnualReport, fonts: Mapping[str, ResolvedFont],
           lines_per_page: int) -> list[Flowable]:
    doc = report_document(report)
    story = notice_story(doc, fonts, lines_per_page=lines_per_page)
    title = _title_lines(report, fonts)
    if title and isinstance(story[0], GridLines):
        # 7.3.1 "回行时，要做到词意完整": break after the organ's name (青山县云溪镇人民政府 /
        # 2025年政府信息公开工作年度报告), not inside "2025年" as the balancer might.
        story[0] = GridLines([*title, None], BODY_HEIGHT / lines_per_page)
    tables = [table_flowable(g, fonts) for g in (table2_grid(report.table2),
                                                 table3_grid(report.table3),
                                                 table4_grid(report.table4))]
    return _insert_tables(story, tables)


def _title_lines(report: AnnualReport, fonts: Mapping[str, ResolvedFont]) -> list[Line]:
    """The title as organ / "YYYY年政府信息公开工作年度报告" when it needs two lines and each
    part fits one; [] to keep the notice machinery's balanced title."""
    chain = _chain(fonts, "title")
    whole = layout_text(fontify(report.title, chain), SIZE_2, BODY_WIDTH, align="center")
    if len(whole) <= 1 or not report.title.startswith(report.organ):
        return []
    parts = [report.organ, report.title[len(report.organ):]]
    lines = [layout_text(fontify(p, chain), SIZE_2, BODY_WIDTH, align="center") for p in parts]
    return [ls[0] for ls in lines] if all(len(ls) == 1 for ls in lines) else []


class _LayoutOnlyCanvas(Canvas):
    """Pages are laid out and drawn, but nothing is written (page-count trials)."""

    def save(self) -> None:
        pass


def annual_report_pdf_bytes(report: AnnualReport, *,
                            fonts: Mapping[str, ResolvedFont] | None = None,
                            invariant: bool = False) -> tuple[bytes, int]:
    """The report as a PDF in memory and its number of pages. ``fonts`` defaults to
    :func:`~govdesk.export.fonts.resolve_fonts`; ``invariant=True`` gives the same bytes for
    the same report (tests). UserError (Chinese) for missing fonts or a missing date."""
    fonts = resolve_fonts() if fonts is None else fonts
    report_document(report)  # the date check, before any font work

    def render(lines_per_page: int, *, layout_only: bool = False) -> tuple[bytes, int, float]:
        story = _story(report, fonts, lines_per_page)
        buf = io.BytesIO()
        template = GBT9704DocTemplate(
            buf, page_number_font=fonts["page_number"].name, footer_font=fonts["body"].name,
            invariant=invariant, title=report.title, author=report.organ,
            subject="政府信息公开工作年度报告",
        )
        try:
            template.build(story, canvasmaker=_LayoutOnlyCanvas if layout_only else Canvas)
        except LayoutError as exc:
            raise UserError(f"“{report.title}”无法排版：有内容比一整页还长。请拆分后重试。") from exc
        return buf.getvalue(), int(template.page), template.last_page_fill

    # As notice_pdf (GB/T 9704 7.3.5.5): a last page holding only the 署名 and a line or two is
    # avoided with 23 or 24 lines a page, kept only if that saves the page.
    data, pages, fill = render(LINES_PER_PAGE)
    if pages > 1 and fill <= SQUEEZE_MAX_LINES * LINE_PITCH + 0.01:
        for lines in SQUEEZE_LINES_PER_PAGE:
            if render(lines, layout_only=True)[1] < pages:
                data, pages, _ = render(lines)
                break
    return data, pages


def annual_report_pdf(report: AnnualReport, path: str | os.PathLike[str], *,
                      fonts: Mapping[str, ResolvedFont] | None = None,
                      invariant: bool = False) -> int:
    """Print the report to ``path`` (written atomically: temporary file, then os.replace);
    returns the number of pages. A bad folder or a file open elsewhere gives a UserError."""
    data, pages = annual_report_pdf_bytes(report, fonts=fonts, invariant=invariant)
    write_atomically(path, lambda fh: fh.write(data))
    return pages
