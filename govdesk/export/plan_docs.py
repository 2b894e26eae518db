"""The year's work plan (政务公开工作实施方案) as files: a GB/T 9704 PDF, an editable docx and an
xlsx (issue 8 §1). core.work_plan.plan_document builds the content; this module lays it out.

The PDF reuses the notice machinery (gbt9704's grid, line breaking and page template, and
notice_pdf's fonts-by-role, cell text and closing): title 2号 小标宋 on balanced lines (7.3.1),
the intro in 3号 仿宋 on the 22 × 28 grid (5.2.3), then the 任务分解表 — 工作任务 | 责任部门 |
完成时限 — in 4号 仿宋 with a 黑体 header row repeated on every page and each section as a
full-width row (一、围绕深化改革推进公开), long text wrapped with the Chinese line-start rules;
the 署名 and 成文日期 (7.3.5.2) stay with the table's last row (7.3.5.5).
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from reportlab.lib.colors import black
from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from govdesk.core.errors import UserError
from govdesk.core.work_plan import PlanDocument
from govdesk.export.fonts import ResolvedFont, resolve_fonts
from govdesk.export.gbt9704 import (
    BODY_WIDTH,
    CHAR_SPACE,
    LINE_PITCH,
    SIZE_2,
    SIZE_3,
    SIZE_4,
    CellText,
    GBT9704DocTemplate,
    GridLines,
    Line,
    SnapToGrid,
    balanced_lines,
    fontify,
    layout_text,
    text_width,
)
from govdesk.export.notice_pdf import (
    CELL_PAD_X,
    CELL_PAD_Y,
    INDENT,
    Faces,
    TableThenClosing,
    cell_lines,
    closing_lines,
)
from govdesk.export.pdf_write import write_atomically

__all__ = ["docx_task_table", "plan_docx", "plan_docx_bytes", "plan_pdf", "plan_pdf_bytes",
           "plan_xlsx", "task_table"]

TABLE_SIZE = SIZE_4  # 4号 in the table: 28 lines of 3号 would leave 工作任务 three characters wide
# 责任部门 and 完成时限 get what their longest cell needs, within these shares of the 版心;
# 工作任务 gets the rest.
MAX_SHARE = {"responsible": 0.30, "deadline": 0.25}


# ---- PDF ------------------------------------------------------------------------------------------


def _natural(text: str, faces: Faces, size: float) -> float:
    return sum(text_width(t, f, size) for t, f in fontify(text, faces.chain(faces.body)))


def _widths(doc: PlanDocument, faces: Faces) -> list[float]:
    def need(texts: list[str], share: float) -> float:
        longest = max((_natural(t, faces, TABLE_SIZE) for t in texts), default=0.0)
        return min(max(longest, 4 * TABLE_SIZE) + 2 * CELL_PAD_X + 1, BODY_WIDTH * share)

    rows = [r for s in doc.sections for r in s.rows]
    responsible = need([doc.headers[1], *(r.responsible for r in rows)],
                       MAX_SHARE["responsible"])
    deadline = need([doc.headers[2], *(r.deadline for r in rows)], MAX_SHARE["deadline"])
    return [BODY_WIDTH - responsible - deadline, responsible, deadline]


def task_table(doc: PlanDocument, faces: Faces, pitch: float) -> Table:
    """The 任务分解表 of ``doc`` (its three headers; each section a full-width row), also the
    落实情况 report's appendix table (export.plan_report_docs)."""
    widths = _widths(doc, faces)
    leading = pitch * TABLE_SIZE / SIZE_3 - 2 * CELL_PAD_Y  # a 4号 line ≈ 4/5 of a grid line
    leading = max(leading, TABLE_SIZE * 1.35)

    def cell(text: str, width: float, *, header: bool = False, face: str | None = None,
             centred: bool = False) -> CellText:
        inner = width - 2 * CELL_PAD_X
        if face is None and not centred:
            lines = cell_lines(text, faces, TABLE_SIZE, inner, header)
        else:  # headers, and 责任部门 / 完成时限 centred on every line (short, often wrapped)
            lines = layout_text(fontify(text, faces.chain(face or faces.body)), TABLE_SIZE,
                                inner, align="center" if header or centred else "left",
                                char_space=0.0)
        return CellText(lines, leading, inner)

    data: list[list[Any]] = [[cell(h, w, header=True, face=faces.hei)
                              for h, w in zip(doc.headers, widths, strict=True)]]
    spans = []
    for section in doc.sections:
        spans.append(len(data))
        data.append([cell(section.heading, BODY_WIDTH, face=faces.hei), "", ""])
        for row in section.rows:
            data.append([cell(f"{row.number}. {row.text}", widths[0]),
                         cell(row.responsible, widths[1], centred=True),
                         cell(row.deadline, widths[2], centred=True)])
    style = [
        # Table selects its cell font before drawing each cell: without this every page would
        # reference (unembedded) Helvetica.
        ("FONT", (0, 0), (-1, -1), faces.body, TABLE_SIZE),
        ("GRID", (0, 0), (-1, -1), 0.5, black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
    ]
    for r in spans:
        style.append(("SPAN", (0, r), (-1, r)))
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def plan_story(doc: PlanDocument, fonts: Mapping[str, ResolvedFont]) -> list[Flowable]:
    faces = Faces(fonts)
    pitch = LINE_PITCH
    story: list[Flowable] = []
    title: list[Line | None] = list(balanced_lines(doc.title, faces.chain(faces.title), SIZE_2,
                                                   BODY_WIDTH))
    story.append(GridLines([*title, None], pitch))  # 7.3.2: one blank line under the title
    for paragraph in doc.intro:
        lines = layout_text(fontify(paragraph, faces.chain(faces.body)), SIZE_3, BODY_WIDTH,
                            first_indent=INDENT, char_space=CHAR_SPACE)
        story.append(GridLines(lines, pitch))
    if doc.intro:
        story.append(GridLines([None], pitch))
    if not doc.sections:
        return story
    table = task_table(doc, faces, pitch)
    if doc.issuer and doc.dated:  # (as the docx: a 署名 goes with its 成文日期)
        story.append(TableThenClosing(table, GridLines([None, *closing_lines(doc, faces)], pitch),
                                      pitch))
    else:
        story += [table, SnapToGrid(pitch)]
    return story


def plan_pdf_bytes(doc: PlanDocument, *, fonts: Mapping[str, ResolvedFont] | None = None,
                   invariant: bool = False) -> tuple[bytes, int]:
    """The plan as a PDF in memory, and its number of pages."""
    fonts = resolve_fonts() if fonts is None else fonts
    buf = io.BytesIO()
    template = GBT9704DocTemplate(
        buf, page_number_font=fonts["page_number"].name, footer_font=fonts["body"].name,
        invariant=invariant, title=doc.title, author=doc.issuer, subject="政务公开工作实施方案")
    try:
        template.build(plan_story(doc, fonts))
    except LayoutError as exc:
        raise UserError(f"“{doc.title}”无法排版：有一项任务比一整页还长，请拆分后重试。") from exc
    return buf.getvalue(), int(template.page)


def plan_pdf(doc: PlanDocument, path: str | os.PathLike[str], *,
             fonts: Mapping[str, ResolvedFont] | None = None, invariant: bool = False) -> int:
    """Print ``doc`` to ``path`` (atomically); the number of pages."""
    data, pages = plan_pdf_bytes(doc, fonts=fonts, invariant=invariant)
    write_atomically(path, lambda fh: fh.write(data), action="导出")
    return pages


# ---- xlsx -----------------------------------------------------------------------------------------


def plan_xlsx(doc: PlanDocument, path: str | os.PathLike[str]) -> None:
    """One sheet: 序号, 板块, 工作任务, 责任部门, 完成时限, 状态 — a row per task, the section as a
    column (so the office can filter and sort by it)."""
    from govdesk.export.tables import Column, write_xlsx
    from govdesk.export.tables import Table as SheetTable

    rows = [(f"{i}.{row.number}", section.heading, row.text, row.responsible, row.deadline,
             row.state)
            for i, section in enumerate(doc.sections, 1) for row in section.rows]
    columns = (Column("序号", 6), Column("板块", 18, "wrap"), Column(doc.headers[0], 50, "wrap"),
               Column(doc.headers[1], 18, "wrap"), Column(doc.headers[2], 14),
               Column(doc.state_header, 8))
    subtitle = f"共{len(doc.sections)}个板块、{doc.task_count}项任务"
    write_xlsx(path, SheetTable(doc.title, columns, rows, subtitle=subtitle),
               sheet_names=[f"{doc.year}年实施方案"])


# ---- docx -----------------------------------------------------------------------------------------


def docx_task_table(document, doc: PlanDocument):
    """Add the 任务分解表 of ``doc`` to a python-docx ``document`` (header row repeated on every
    page, each section a merged row); also the 落实情况 report's appendix table."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    from govdesk.export import annual_report_docx as ar

    size = Pt(TABLE_SIZE)
    rows = 1 + sum(1 + len(s.rows) for s in doc.sections)
    table = document.add_table(rows=rows, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    ar.cell_margins(table, 1.0)
    shares = (0.56, 0.26, 0.18)
    widths = [Mm(ar.BODY_WIDTH_MM * s) for s in shares]
    for row in table.rows:
        for c, width in zip(row.cells, widths, strict=True):
            c.width = width

    def put(cell, text: str, face: str, align) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        pf = p.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.first_line_indent = None
        p.alignment = align
        ar.styled_run(p, text, face, size)

    for c, header in enumerate(doc.headers):
        put(table.cell(0, c), header, ar.FACES["heading1"], WD_ALIGN_PARAGRAPH.CENTER)
    ar.mark_row(table.rows[0], header=True)  # repeated at the top of every page
    r = 1
    for section in doc.sections:
        merged = table.cell(r, 0).merge(table.cell(r, 2))
        put(merged, section.heading, ar.FACES["heading1"], WD_ALIGN_PARAGRAPH.LEFT)
        ar.mark_row(table.rows[r], header=False)
        r += 1
        for row in section.rows:
            put(table.cell(r, 0), f"{row.number}. {row.text}", ar.FACES["body"],
                WD_ALIGN_PARAGRAPH.LEFT)
            put(table.cell(r, 1), row.responsible, ar.FACES["body"], WD_ALIGN_PARAGRAPH.CENTER)
            put(table.cell(r, 2), row.deadline, ar.FACES["body"], WD_ALIGN_PARAGRAPH.CENTER)
            ar.mark_row(table.rows[r], header=False)
            r += 1
    return table


def _docx_document(doc: PlanDocument):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    # The annual report's docx already carries GB/T 9704 as far as Word does (page, faces,
    # grid pitch, page numbers, closing): the plan is set with the same helpers.
    from govdesk.export import annual_report_docx as ar

    meta = SimpleNamespace(title=doc.title, organ=doc.issuer, dated=doc.dated)
    document = Document()
    ar.setup_document(document, meta)
    document.core_properties.subject = "政务公开工作实施方案"
    for line in ar.title_lines(doc.title, doc.issuer):
        p = document.add_paragraph()
        ar.body_format(p, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.line_spacing = Pt(36)
        ar.styled_run(p, line, ar.FACES["title"], ar.SIZE_TITLE)
    ar.body_format(document.add_paragraph(), indent=False)
    for paragraph in doc.intro:
        ar.text_paragraph(document, paragraph)

    docx_task_table(document, doc)
    if doc.issuer:
        ar.closing(document, meta)
    return document


def plan_docx_bytes(doc: PlanDocument) -> bytes:
    buf = io.BytesIO()
    _docx_document(doc).save(buf)
    return buf.getvalue()


def plan_docx(doc: PlanDocument, path: str | os.PathLike[str]) -> None:
    """Write the plan as an editable .docx, atomically."""
    data = plan_docx_bytes(doc)
    write_atomically(path, lambda fh: fh.write(data), action="导出")
