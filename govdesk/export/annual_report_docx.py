"""The 政府信息公开工作年度报告 as an editable Word document (python-docx): the office edits the
wording before it is signed and published, so this is the working copy; the PDF
(annual_report_pdf) is the print.

Layout after GB/T 9704-2012 as far as a word processor document carries it:

* A4, 天头 37 mm, 订口 28 mm, bottom 35 mm, right 26 mm (版心 156 × 225 mm), 3号 仿宋 body at an
  exact 28.95 pt line pitch (22 lines a page), paragraphs indented two characters;
* title in 2号 小标宋, centred, broken after the organ's name when it does not fit one line;
* section headings "一、" in 3号 黑体, "（一）" headings in 楷体 (the heading sentence only);
* the three tables with the official merged headers (core.annual_report's grids), 五号 (10.5
  pt) 仿宋 with 黑体 headers, 9 pt for the 15 columns of 表四; header rows repeat on a new
  page; numbers centred as plain digits;
* 署名 and 成文日期 without a seal (7.3.5.2), page numbers "— 1 —" in 4号 宋体, odd pages
  right and even pages left (7.5).

Chinese faces are set through ``w:eastAsia`` (python-docx's ``font.name`` only sets the Latin
ones), and the document language is zh-CN so that Word and WPS apply Chinese line breaking.
"""

from __future__ import annotations

import io
import os

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from govdesk.core.annual_report import (
    SECTION_TITLES,
    AnnualReport,
    Grid,
    table2_grid,
    table3_grid,
    table4_grid,
)
from govdesk.core.documents import cn_date
from govdesk.core.notices import heading_level
from govdesk.export.pdf_write import write_atomically

__all__ = ["FACES", "annual_report_docx", "annual_report_docx_bytes"]

# The names Word knows them by on a Chinese Windows (仿宋, 黑体, 楷体, 宋体 ship with it;
# 方正小标宋简体 is what offices install for titles — Word substitutes a Song face without it).
FACES = {
    "title": "方正小标宋简体",
    "body": "仿宋",
    "heading1": "黑体",
    "heading2": "楷体",
    "page_number": "宋体",
}
LATIN = "Times New Roman"

SIZE_TITLE = Pt(22)  # 2号
SIZE_BODY = Pt(16)  # 3号
SIZE_PAGE = Pt(14)  # 4号
SIZE_TABLE = Pt(10.5)  # 五号
SIZE_WIDE_TABLE = Pt(9)  # 小五: the 15 columns of 表四
LINE = Pt(28.95)  # 225 mm / 22 lines, in whole twentieths of a point
INDENT = Pt(32)  # two 3号 characters
BODY_WIDTH_MM = 156
TITLE_CHARS = 20  # 156 mm of 22 pt characters


def _set_faces(rpr_owner, face: str) -> None:
    """Latin and East Asian faces of a run or style (``rpr_owner`` has get_or_add_rPr)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:eastAsia"), face)
    fonts.set(qn("w:cs"), LATIN)
    fonts.set(qn("w:hint"), "eastAsia")


def styled_run(paragraph, text: str, face: str, size) -> None:
    run = paragraph.add_run(text)
    run.font.size = size
    _set_faces(run._r, face)


def body_format(paragraph, *, indent: bool = True, align=WD_ALIGN_PARAGRAPH.JUSTIFY) -> None:
    pf = paragraph.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = INDENT if indent else None
    paragraph.alignment = align


def text_paragraph(doc, text: str) -> None:
    """One line of a section's text: "（一）" headings in 楷体 up to their first 。, "一、"
    headings in 黑体, everything else 仿宋 (7.3.3)."""
    p = doc.add_paragraph()
    body_format(p)
    level = heading_level(text)
    face = {1: FACES["heading1"], 2: FACES["heading2"]}.get(level or 0)
    if face:
        cut = text.find("。")
        head, rest = (text[: cut + 1], text[cut + 1 :]) if 0 <= cut < len(text) - 1 else (text, "")
        styled_run(p, head, face, SIZE_BODY)
        if rest:
            styled_run(p, rest, FACES["body"], SIZE_BODY)
    else:
        styled_run(p, text, FACES["body"], SIZE_BODY)


def title_lines(title: str, organ: str) -> list[str]:
    """7.3.1: a long title breaks where the meaning allows — after the organ's name."""
    if len(title) <= TITLE_CHARS or not title.startswith(organ):
        return [title]
    rest = title[len(organ):]
    return [organ, rest] if len(organ) <= TITLE_CHARS and len(rest) <= TITLE_CHARS else [title]


def _width_in_chars(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def closing(doc, report: AnnualReport) -> None:
    """7.3.5.2 (不加盖印章): one blank line, the 署名 右空二字, the date under it starting two
    characters further right (the date 右空二字 and the 署名 moved left when the date is longer)."""
    if report.dated is None:
        return
    date_text = cn_date(report.dated)
    organ_w, date_w = _width_in_chars(report.organ), _width_in_chars(date_text)
    if date_w > organ_w:
        date_right, organ_right = 2.0, 2.0 + date_w + 2.0 - organ_w
    else:
        organ_right, date_right = 2.0, max(0.0, organ_w - 2.0 - date_w + 2.0)
    blank = doc.add_paragraph()
    body_format(blank, indent=False)
    for text, right in ((report.organ, organ_right), (date_text, date_right)):
        p = doc.add_paragraph()
        body_format(p, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(16 * right)
        styled_run(p, text, FACES["body"], SIZE_BODY)


# ---- tables ----------------------------------------------------------------------------------------


def cell_margins(table: Table, mm: float) -> None:
    tbl_pr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:w"), str(round((mm if side in ("left", "right") else 0.3) * 56.7)))
        e.set(qn("w:type"), "dxa")
        mar.append(e)
    tbl_pr.append(mar)


def mark_row(row, *, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page


def _grid_table(doc, grid: Grid, size) -> Table:
    table = doc.add_table(rows=grid.rows, cols=grid.cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    cell_margins(table, 0.6 if grid.cols > 10 else 1.0)
    total = sum(grid.widths)
    widths = [Mm(BODY_WIDTH_MM * w / total) for w in grid.widths]
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    for i, column in enumerate(table.columns):
        column.width = widths[i]
    for r, row in enumerate(table.rows):
        mark_row(row, header=r < grid.header_rows)
    for gc in grid.cells:
        cell = table.cell(gc.row, gc.col)
        if gc.rowspan > 1 or gc.colspan > 1:
            cell = cell.merge(table.cell(gc.row + gc.rowspan - 1, gc.col + gc.colspan - 1))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        for extra in cell.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        pf = p.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.first_line_indent = None
        # Row labels read left-aligned (they wrap); headers, captions, numbers and the tall
        # merged labels (三、本年度办理结果, （三）不予公开 …) are centred as in the format.
        left = (gc.kind == "label" and gc.rowspan == 1) or gc.kind == "caption"
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
        face = FACES["heading1"] if gc.kind in ("header", "caption") else FACES["body"]
        for n, part in enumerate(gc.lines):
            if n:
                p.runs[-1].add_break()
            styled_run(p, part, face, size)
    return table


# ---- document -------------------------------------------------------------------------------------


def setup_document(doc, report: AnnualReport) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(24)  # puts the 一字线 of "— 1 —" about 7 mm under the 版心
    normal = doc.styles["Normal"]
    normal.font.size = SIZE_BODY
    _set_faces(normal.element, FACES["body"])
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    props = doc.core_properties
    props.title = report.title
    props.author = report.organ
    props.subject = "政府信息公开工作年度报告"
    props.comments = ""
    # 7.5: page numbers odd right, even left, each 空一字
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        p.alignment = align
        if align is WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = SIZE_PAGE
        else:
            p.paragraph_format.left_indent = SIZE_PAGE
        styled_run(p, "— ", FACES["page_number"], SIZE_PAGE)
        _page_field(p)
        styled_run(p, " —", FACES["page_number"], SIZE_PAGE)


def _page_field(paragraph) -> None:
    run = paragraph.add_run()
    run.font.size = SIZE_PAGE
    _set_faces(run._r, FACES["page_number"])
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind:
            e = OxmlElement("w:fldChar")
            e.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            e = OxmlElement("w:instrText")
            e.set(qn("xml:space"), "preserve")
            e.text = text
        else:
            e = OxmlElement("w:t")
            e.text = text
        run._r.append(e)


def build_document(report: AnnualReport):
    """The python-docx Document of ``report`` (not saved)."""
    doc = Document()
    setup_document(doc, report)
    body = doc.paragraphs[0]._p if doc.paragraphs else None
    if body is not None:  # the default template starts with no paragraph; be safe anyway
        body.getparent().remove(body)
    for line in title_lines(report.title, report.organ):
        p = doc.add_paragraph()
        body_format(p, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.line_spacing = Pt(36)
        styled_run(p, line, FACES["title"], SIZE_TITLE)
    blank = doc.add_paragraph()
    body_format(blank, indent=False)
    text_paragraph(doc, report.opening)
    grids = {1: (table2_grid(report.table2), SIZE_TABLE),
             2: (table3_grid(report.table3), SIZE_TABLE),
             3: (table4_grid(report.table4), SIZE_WIDE_TABLE)}
    for i, (title, text) in enumerate(zip(SECTION_TITLES, report.texts, strict=True)):
        heading = doc.add_paragraph()
        body_format(heading)
        heading.paragraph_format.keep_with_next = True
        if i - 1 in grids:  # a little air between a table and the next heading
            heading.paragraph_format.space_before = Pt(8)
        styled_run(heading, title, FACES["heading1"], SIZE_BODY)
        for line in (s.strip() for s in text.splitlines()):
            if line:
                text_paragraph(doc, line)
        if i in grids:
            grid, size = grids[i]
            _grid_table(doc, grid, size)
    closing(doc, report)
    return doc


def annual_report_docx_bytes(report: AnnualReport) -> bytes:
    buf = io.BytesIO()
    build_document(report).save(buf)
    return buf.getvalue()


def annual_report_docx(report: AnnualReport, path: str | os.PathLike[str]) -> None:
    """Write ``report`` to ``path`` as .docx, atomically (a temporary file in the same folder,
    then os.replace): a failed export never leaves half a file or destroys the old one. A
    missing folder, a read-only place or a file open in Word gives a Chinese UserError."""
    data = annual_report_docx_bytes(report)
    write_atomically(path, lambda fh: fh.write(data), action="导出")
