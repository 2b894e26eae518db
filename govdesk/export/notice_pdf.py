"""A notice as a GB/T 9704 PDF (PDF step two of three: core.documents builds the content, this
module maps it to flowables, gbt9704 owns the page geometry).

Layout, with the clauses of GB/T 9704-2012 it follows:

* optional red 版头 (7.2.4, 7.2.5, 7.2.7): 发文机关标志 in red 小标宋, 发文字号 under it, a red
  line the width of the 版心 4 mm under that; the title two lines under the line (7.3.1);
* title (7.3.1): 2号 小标宋, centred, long titles on lines of near-equal length; one blank line;
* 正文 (7.3.3): 3号 仿宋, 2-character first-line indent, 22 lines × 28 characters; headings
  "一、" 黑体, "（一）" 楷体, "1." "（1）" 仿宋; tables in 仿宋 with grid lines, the header row
  repeated on every page;
* a 公示 adds the objection clause, the 公示时间 line and the 监督电话 line;
* 发文机关署名 and 成文日期 without a seal (7.3.5.2), 附注 (7.3.6), kept on a page together
  with the last lines of the body (7.3.5.5);
* page numbers "— 1 —" (7.5), a grey 索引号/audit-code line in the bottom margin.

The text is set in embedded TrueType subsets, so it can be searched and copied.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from govdesk.core.documents import NoticeDocument
from govdesk.core.errors import UserError
from govdesk.core.notices import BodyTable, Heading, Paragraph, is_addressee
from govdesk.export.fonts import ResolvedFont, resolve_fonts

# Importing gbt9704 applies the Chinese line-start rule to reportlab (see its
# _extend_reportlab_kinsoku): done once, here, where the paragraphs are built.
from govdesk.export.gbt9704 import (
    BODY_HEIGHT,
    BODY_WIDTH,
    CHAR_PITCH,
    CHAR_SPACE,
    LINE_PITCH,
    MM,
    RED,
    SIZE_2,
    SIZE_3,
    SIZE_4,
    CellText,
    GBT9704DocTemplate,
    GridLines,
    Line,
    SnapToGrid,
    balanced_lines,
    break_units,
    fontify,
    layout_text,
    text_width,
)
from govdesk.export.pdf_write import write_atomically

__all__ = ["MAX_TABLE_COLUMNS", "notice_pdf", "notice_story"]

INDENT = 2 * CHAR_PITCH  # 正文 and headings: 首行缩进二字; 署名/日期/附注 空二字
MAX_TABLE_COLUMNS = 8  # more than this cannot be read on an A4 portrait page at 4号
CELL_PAD_X = 4.0
CELL_PAD_Y = 4.0
# 发文机关标志: the standard sets no size ("醒目、美观、庄重"); 44 pt, squeezed to fit the 版心
MARK_SIZE = 2 * SIZE_2
MARK_MIN_HSCALE = 0.6


class Faces:
    """Registered font names per role, with fallbacks for characters a face lacks."""

    def __init__(self, fonts: Mapping[str, ResolvedFont]) -> None:
        self.title = fonts["title"].name
        self.body = fonts["body"].name
        self.hei = fonts["heading1"].name
        self.kai = fonts["heading2"].name
        self.song = fonts["page_number"].name
        chain = [self.body, self.song, self.hei, self.kai, self.title]
        self._chain = list(dict.fromkeys(chain))

    def chain(self, first: str) -> list[str]:
        return [first] + [f for f in self._chain if f != first]


# ---- blocks --------------------------------------------------------------------------------------


def _paragraph(runs: list[tuple[str, str]]) -> list[Line]:
    return layout_text(runs, SIZE_3, BODY_WIDTH, first_indent=INDENT, char_space=CHAR_SPACE)


def _heading(block: Heading, faces: Faces) -> list[Line]:
    """7.3.3: "一、" 黑体, "（一）" 楷体, "1." and "（1）" 仿宋. When a level-1/2 heading runs on
    into text on the same line ("（一）加强领导。各村要……"), only the heading sentence takes
    the heading face."""
    text = block.text
    face = {1: faces.hei, 2: faces.kai}.get(block.level, faces.body)
    head, rest = text, ""
    if face != faces.body:
        cut = text.find("。")
        if 0 <= cut < len(text) - 1:
            head, rest = text[: cut + 1], text[cut + 1 :]
    runs = fontify(head, faces.chain(face)) + (
        fontify(rest, faces.chain(faces.body)) if rest else []
    )
    return _paragraph(runs)


def _body_text(text: str, faces: Faces) -> list[Line]:
    return _paragraph(fontify(text, faces.chain(faces.body)))


def _table_name(table: BodyTable, number: int) -> str:
    header = [c for c in (table.rows[0] if table.rows else ()) if c][:4]
    shown = "、".join(header) + ("……" if len(table.rows[0]) > 4 else "") if header else ""
    return f"正文第{number}个表格" + (f"（表头：{shown}）" if shown else "")


def cell_lines(text: str, faces: Faces, size: float, width: float, header: bool) -> list[Line]:
    runs = fontify(text, faces.chain(faces.body))
    lines = layout_text(runs, size, width, align="left", char_space=0.0)
    if len(lines) == 1 or header:  # a one-line cell (and every header cell) is centred
        lines = layout_text(runs, size, width, align="center", char_space=0.0)
    return lines


def _column_widths(
    rows: Sequence[Sequence[str]], faces: Faces, size: float
) -> tuple[list[float], list[float], list[float]]:
    """(minimum, preferred, header-unbroken) widths of each column at ``size``, padding included."""
    ncols = len(rows[0])
    mins = [2 * size + 2 * CELL_PAD_X] * ncols  # never narrower than two characters
    prefs = list(mins)
    heads = list(mins)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if not cell:
                continue
            runs = fontify(cell, faces.chain(faces.body))
            chars = "".join(t for t, _ in runs)
            fonts = [f for t, f in runs for _ in t]
            widest_unit = max(text_width(chars[a:b], fonts[a], size) for a, b in break_units(chars))
            full = sum(text_width(t, f, size) for t, f in runs)
            mins[c] = max(mins[c], widest_unit + 2 * CELL_PAD_X)
            prefs[c] = max(prefs[c], full + 2 * CELL_PAD_X)
            if r == 0:
                heads[c] = max(heads[c], full + 2 * CELL_PAD_X)
    return mins, prefs, heads


def _fit_columns(mins: list[float], prefs: list[float], total: float) -> list[float] | None:
    if sum(mins) > total + 1e-6:
        return None
    if sum(prefs) <= total:  # everything on one line: share the spare width in proportion
        spare = total - sum(prefs)
        return [p + spare * p / sum(prefs) for p in prefs]
    # Some cells wrap: every column gets its minimum, the rest goes where text is longest.
    room = total - sum(mins)
    want = [p - m for p, m in zip(prefs, mins, strict=True)]
    return [m + room * x / sum(want) for m, x in zip(mins, want, strict=True)]


def _table(
    block: BodyTable, number: int, faces: Faces, pitch: float
) -> tuple[list[Flowable], Any]:
    """The table flowables, and (rows, widths, size) to rebuild its last row for the closing."""
    name = _table_name(block, number)
    ncols = max(len(r) for r in block.rows)
    if ncols > MAX_TABLE_COLUMNS:
        raise UserError(
            f"{name}有{ncols}列，超过A4纸竖排所能容纳的{MAX_TABLE_COLUMNS}列，无法打印。"
            "请减少列数或把表格拆成两个后重试。"
        )
    rows = [tuple(r) + ("",) * (ncols - len(r)) for r in block.rows]
    widths = None
    for size in (SIZE_3, SIZE_4):  # 3号 when nothing has to wrap, else 4号
        mins, prefs, heads = _column_widths(rows, faces, size)
        if sum(prefs) <= BODY_WIDTH or size == SIZE_4:
            # headers on one line when there is room, else at least their first four characters
            cap = 4 * size + 2 * CELL_PAD_X
            whole = [max(m, h) for m, h in zip(mins, heads, strict=True)]
            four = [max(m, min(h, cap)) for m, h in zip(mins, heads, strict=True)]
            widths = (
                _fit_columns(whole, prefs, BODY_WIDTH)
                or _fit_columns(four, prefs, BODY_WIDTH)
                or _fit_columns(mins, prefs, BODY_WIDTH)
            )
            if widths is not None:
                break
    if widths is None:
        col = max(range(ncols), key=lambda c: mins[c])
        raise UserError(
            f"{name}太宽，超出版心：第{col + 1}列有无法换行的长内容（如长数字或英文）。"
            "请缩短该列内容或拆分表格后重试。"
        )
    flowables = _table_flowables(rows, widths, size, faces, pitch, header=True)
    return flowables, (rows, widths, size)


def _table_flowables(
    rows: Sequence[Sequence[str]],
    widths: list[float],
    size: float,
    faces: Faces,
    pitch: float,
    *,
    header: bool,
) -> list[Flowable]:
    leading = pitch - 2 * CELL_PAD_Y  # a one-line row is exactly one grid line tall
    data = [
        [
            CellText(
                cell_lines(cell, faces, size, w - 2 * CELL_PAD_X, header and r == 0),
                leading,
                w - 2 * CELL_PAD_X,
            )
            for cell, w in zip(row, widths, strict=True)
        ]
        for r, row in enumerate(rows)
    ]
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                # Table selects its cell font before drawing each cell, even flowable ones:
                # without this every page would reference (unembedded) Helvetica.
                ("FONT", (0, 0), (-1, -1), faces.body, size),
                ("GRID", (0, 0), (-1, -1), 0.5, black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
                ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
                ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
            ]
        )
    )
    return [table, SnapToGrid(pitch)]


# ---- title, 版头, closing -----------------------------------------------------------------------------


def _title(doc: NoticeDocument, faces: Faces) -> list[Line | None]:
    lines: list[Line | None] = list(
        balanced_lines(doc.title, faces.chain(faces.title), SIZE_2, BODY_WIDTH)
    )
    return lines + [None]  # 7.3.2: the next element one blank line under the title


class RedHeader(Flowable):
    """版头: 发文机关标志 (top edge 35 mm below the top of the 版心, centred, red 小标宋), the
    发文字号 two lines under it, a red line the width of the 版心 4 mm under the 发文字号, and
    two blank lines before the title (7.2.4: the 35 mm is for 下行文/平行文)."""

    MARK_TOP = 35 * MM
    RULE_GAP = 4 * MM
    RULE_WIDTH = 1.0  # ≈ 0.35 mm

    def __init__(self, name: str, number: str, faces: Faces, pitch: float = LINE_PITCH) -> None:
        super().__init__()
        self.mark = name
        self.number = number
        self.faces = faces
        self.pitch = pitch
        size = MARK_SIZE
        natural = text_width(name, faces.title, size)
        hscale = min(1.0, BODY_WIDTH / natural) if natural else 1.0
        if hscale < MARK_MIN_HSCALE:  # very long names: squeeze to 60 %, then shrink
            size *= hscale / MARK_MIN_HSCALE
            hscale = MARK_MIN_HSCALE
        self.size = size
        self.hscale = hscale
        self.mark_width = natural * (size / MARK_SIZE) * hscale
        # from the top: 35 mm, the mark, 空二行, the number line, 4 mm, the rule, 空二行
        self.number_top = self.MARK_TOP + size + 2 * pitch
        self.rule_y = self.number_top + (pitch + SIZE_3) / 2 + self.RULE_GAP
        self.height = self.rule_y + 2 * pitch
        self.width = BODY_WIDTH

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        from reportlab.pdfbase import pdfmetrics

        c = self.canv
        h = self.height
        face = pdfmetrics.getFont(self.faces.title).face
        descent = face.descent / 1000
        baseline = h - self.MARK_TOP - self.size - descent * self.size
        c.saveState()  # the red fill must not leak into the 发文字号 (black, 3号仿宋)
        tx = c.beginText((BODY_WIDTH - self.mark_width) / 2, baseline)
        tx.setFillColor(RED)
        tx.setHorizScale(self.hscale * 100)
        tx.setFont(self.faces.title, self.size)
        tx.textOut(self.mark)
        c.drawText(tx)
        c.restoreState()
        if self.number:
            runs = fontify(self.number, self.faces.chain(self.faces.body))
            line = layout_text(runs, SIZE_3, BODY_WIDTH, align="center", char_space=0.0)[0]
            g = GridLines([line], self.pitch)
            g.wrap(BODY_WIDTH, self.pitch)
            g.drawOn(c, 0, h - self.number_top - self.pitch)
        c.saveState()
        c.setStrokeColor(RED)
        c.setLineWidth(self.RULE_WIDTH)
        c.line(0, h - self.rule_y, BODY_WIDTH, h - self.rule_y)
        c.restoreState()


def closing_lines(doc: NoticeDocument, faces: Faces) -> list[Line | None]:
    """7.3.5.2 (不加盖印章): 署名 右空二字 one blank line under the body; the date on the next line,
    its first character two characters right of the 署名's; if the date is longer than the
    署名, the date 右空二字 and the 署名 moved left to keep the two-character offset.
    7.3.6: the 附注 in parentheses on the line after the date, 居左空二字."""
    chain = faces.chain(faces.body)
    issuer = fontify(doc.issuer, chain)
    date = fontify(doc.date_text, chain)
    iw = _runs_width(issuer)
    dw = _runs_width(date)
    right = BODY_WIDTH - INDENT
    if dw > iw:
        date_x = right - dw
        issuer_x = date_x - INDENT
    else:
        issuer_x = max(0.0, right - iw)  # (an issuer longer than 26 characters starts flush left)
        date_x = issuer_x + INDENT
    lines: list[Line | None] = []
    if doc.issuer:
        lines.append(Line(tuple(issuer), SIZE_3, issuer_x, CHAR_SPACE))
    lines.append(Line(tuple(date), SIZE_3, date_x if doc.issuer else right - dw, CHAR_SPACE))
    if doc.note.strip():
        note = doc.note.strip()
        if not (note.startswith("（") and note.endswith("）")):
            note = f"（{note.strip('()（）')}）"
        note_lines = layout_text(
            fontify(note, chain), SIZE_3, BODY_WIDTH - INDENT, char_space=CHAR_SPACE
        )
        lines += [_shift(line, INDENT) for line in note_lines]
    return lines


def _runs_width(runs: Sequence[tuple[str, str]]) -> float:
    """Width of 3号 text at the grid's character spacing."""
    chars = sum(len(t) for t, _ in runs)
    glyphs = sum(text_width(t, f, SIZE_3) for t, f in runs)
    return glyphs + CHAR_SPACE * (chars - 1) if chars else 0.0


def _shift(line: Line, dx: float) -> Line:
    return Line(line.runs, line.size, line.x + dx, line.char_space, line.color)


# ---- story ---------------------------------------------------------------------------------------


def notice_story(
    doc: NoticeDocument, fonts: Mapping[str, ResolvedFont], *, lines_per_page: int = 22
) -> list[Flowable]:
    """The flowables of a notice, in A4 版心 coordinates, on a grid of ``lines_per_page``
    lines (22 by 5.2.3; more only to keep the 署名 and date on the page, 7.3.5.5)."""
    pitch = BODY_HEIGHT / lines_per_page
    faces = Faces(fonts)
    story: list[Flowable] = []
    if doc.header_name:
        story.append(RedHeader(doc.header_name, doc.doc_number, faces, pitch))
    title = _title(doc, faces)

    body: list[Any] = []  # list[Line | None] for text, or a (flowables, rebuild-info) table
    headings: set[int] = set()
    tables = 0
    for position, block in enumerate(doc.blocks):
        if position == 0 and isinstance(block, Paragraph) and is_addressee(block.text):
            # 7.3.2: 主送机关 flush left, no paragraph indent
            body.append(layout_text(fontify(block.text, faces.chain(faces.body)), SIZE_3,
                                    BODY_WIDTH, char_space=CHAR_SPACE, align="left"))
        elif isinstance(block, Heading):
            heading = _heading(block, faces)
            body.append(heading)
            headings.add(id(heading))
        elif isinstance(block, Paragraph):
            body.append(_body_text(block.text, faces))
        elif isinstance(block, BodyTable) and block.rows:
            tables += 1
            body.append(_table(block, tables, faces, pitch))
    if doc.is_public_notice:
        for text in (doc.objection, doc.period_line, doc.phone_line):
            if text:
                body.append(_body_text(text, faces))
    body = [b for b in body if b]
    # A heading never ends a page: it travels with the first two lines of the text under it.
    keeps: list[int] = []
    merged: list[Any] = []
    i = 0
    while i < len(body):
        item = body[i]
        nxt = body[i + 1] if i + 1 < len(body) else None
        if id(item) in headings and nxt is not None and not isinstance(nxt, tuple):
            merged.append(item + nxt)
            keeps.append(len(item) + min(2, len(nxt)))
            i += 2
        else:
            merged.append(item)
            keeps.append(0)
            i += 1
    body = merged

    closing = closing_lines(doc, faces)
    if not body:
        # no body: the title's blank line already separates the title from the 署名
        story.append(KeepTogether([GridLines(title + closing, pitch)]))
        return story
    story.append(GridLines(title, pitch))
    # 7.3.5.5: the 署名 and date never stand alone on a page — they go with the last lines of
    # the body (two lines of text, or the last row of a table).
    for item, keep in zip(body[:-1], keeps[:-1], strict=True):
        story.extend(item[0] if isinstance(item, tuple) else [GridLines(item, pitch, keep)])
    last = body[-1]
    if isinstance(last, tuple):
        table = last[0][0]
        story.append(TableThenClosing(table, GridLines([None, *closing], pitch), pitch))
    else:
        head, tail_lines = last[:-2], last[-2:]
        if head:
            story.append(GridLines(head, pitch, min(keeps[-1], len(head))))
        story.append(KeepTogether([GridLines([*tail_lines, None, *closing], pitch)]))
    return story


class TableThenClosing(Flowable):
    """A table that ends the body, then the closing (署名, date, 附注) — never apart: when they
    don't fit on the page together, the table is split so at least its last row goes over
    with the closing, and every part after the first repeats the header row (the Table's
    repeatRows). The closing starts on the next grid line below the table."""

    def __init__(self, table: Table, closing: Flowable, pitch: float) -> None:
        super().__init__()
        self.table, self.closing, self.pitch = table, closing, pitch

    def _snap(self, table_height: float) -> float:
        # The table starts on a grid line (after grid text, or at the top of the 版心).
        r = math.fmod(table_height, self.pitch)
        return 0.0 if r < 0.01 or self.pitch - r < 0.01 else self.pitch - r

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        _, th = self.table.wrap(availWidth, availHeight)
        _, ch = self.closing.wrap(availWidth, availHeight)
        self._table_height, self._gap, self._closing_height = th, self._snap(th), ch
        self.width, self.height = availWidth, th + self._gap + ch
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        parts = self.table.split(availWidth, availHeight)
        if len(parts) != 2 and self._table_height <= availHeight:
            # All the rows fit but the closing doesn't: leave the last row off this page.
            # (_rowHeights: Table has no public accessor; it is set by the wrap above.)
            last_row = self.table._rowHeights[-1]
            parts = self.table.split(availWidth, self._table_height - last_row - 0.01)
        if len(parts) != 2:
            return []  # not even one row fits beside the header: all of it on the next page
        first, rest = parts
        return [first, SnapToGrid(self.pitch), TableThenClosing(rest, self.closing, self.pitch)]

    def draw(self) -> None:
        self.table.drawOn(self.canv, 0, self._gap + self._closing_height)
        self.closing.drawOn(self.canv, 0, 0)


# 7.3.5.5 "当公文排版后所剩空白处不能容下印章或签发人签名章、成文日期时，可以采取调整行距、字距的措施解决":
# when the last page would hold no more than this many lines (the closing block and a line or
# two of body), the notice is set again with 23, then 24 lines per page; the tighter setting
# is kept only if it saves that page.
SQUEEZE_MAX_LINES = 7
SQUEEZE_LINES_PER_PAGE = (23, 24)


def _page_count(render, lines: int) -> int:
    return render(lines, layout_only=True)[1]


class _LayoutOnlyCanvas(Canvas):
    """Pages are laid out and drawn as usual, but nothing is written at the end."""

    def save(self) -> None:
        pass


def notice_pdf(
    doc: NoticeDocument,
    path: str | os.PathLike[str],
    *,
    paper: str = "A4",
    fonts: Mapping[str, ResolvedFont] | None = None,
    invariant: bool = False,
    footer_code: str = "",
    watermark: tuple[str, str] | None = None,
) -> int:
    """Print ``doc`` to ``path`` (written atomically) and return the number of pages; the
    arguments are those of :func:`notice_pdf_bytes`."""
    data, pages = notice_pdf_bytes(
        doc, paper=paper, fonts=fonts, invariant=invariant, footer_code=footer_code,
        watermark=watermark,
    )
    write_atomically(path, lambda fh: fh.write(data))
    return pages


def notice_pdf_bytes(
    doc: NoticeDocument,
    *,
    paper: str = "A4",
    fonts: Mapping[str, ResolvedFont] | None = None,
    invariant: bool = False,
    footer_code: str = "",
    watermark: tuple[str, str] | None = None,
) -> tuple[bytes, int]:
    """``doc`` as a PDF in memory, and its number of pages.

    ``paper="A3"`` scales the A4 layout as a whole for a 公开栏 poster (same line breaks).
    ``fonts`` defaults to :func:`~govdesk.export.fonts.resolve_fonts` (system fonts).
    ``invariant=True`` gives byte-identical output for identical input (tests).
    ``footer_code`` (e.g. an audit code) is printed after the 索引号 in the grey footer line.
    ``watermark`` (large text, small text) is set diagonally across every page (a 审阅稿).
    Raises UserError (Chinese) for missing fonts or a table too wide for the 版心."""
    if paper not in ("A4", "A3"):
        raise ValueError(f"paper must be 'A4' or 'A3', not {paper!r}")
    fonts = resolve_fonts() if fonts is None else fonts
    footer = "　　".join(
        p for p in (f"索引号：{doc.index_number}" if doc.index_number else "", footer_code) if p
    )

    def render(lines_per_page: int, *, layout_only: bool = False) -> tuple[bytes, int, float]:
        story = notice_story(doc, fonts, lines_per_page=lines_per_page)
        buf = io.BytesIO()
        template = GBT9704DocTemplate(
            buf,
            page_number_font=fonts["page_number"].name,
            footer_font=fonts["body"].name,
            footer=footer,
            paper=paper,
            invariant=invariant,
            watermark=watermark,
            title=doc.title,
            author=doc.issuer,
            subject=doc.index_number,
        )
        try:
            template.build(story, canvasmaker=_LayoutOnlyCanvas if layout_only else Canvas)
        except LayoutError as exc:
            raise UserError(
                f"“{doc.title}”无法排版：有内容（如表格中的一行）比一整页还长。请拆分后重试。"
            ) from exc
        return buf.getvalue(), int(template.page), template.last_page_fill

    data, pages, fill = render(22)
    if pages > 1 and fill <= SQUEEZE_MAX_LINES * LINE_PITCH + 0.01:
        # Trials only need the page count: lay out without writing the file, which (embedding
        # the font subsets) is most of a render. The tightest setting goes first: if 24 lines
        # don't save the page, 23 can't, and a notice that can't be squeezed (the usual case)
        # costs one trial, not two.
        if _page_count(render, SQUEEZE_LINES_PER_PAGE[-1]) < pages:
            for lines in SQUEEZE_LINES_PER_PAGE:
                if lines == SQUEEZE_LINES_PER_PAGE[-1] or _page_count(render, lines) < pages:
                    data, pages, _ = render(lines)
                    break
    return data, pages
