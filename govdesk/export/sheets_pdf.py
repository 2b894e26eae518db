"""Working sheets as PDF: the cover list of a print batch (封面清单), the checklist for the person
who walks to a 公开栏 (公开栏清单) and the register (台账) as a landscape table.

Plain data in, a PDF out: nothing here touches the database. These are office working papers,
not 公文, so they use plain reportlab layouts (no GB/T 9704 grid) in the body (仿宋) and 黑体
faces that :func:`~govdesk.export.fonts.resolve_fonts` found for the notices.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, BinaryIO

from reportlab.lib.colors import Color, black
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from govdesk.core.errors import UserError
from govdesk.export.fonts import ResolvedFont, resolve_fonts
from govdesk.export.pdf_write import write_atomically

__all__ = ["board_sheet_pdf", "cover_sheet_pdf", "ledger_pdf"]

MM = 72 / 25.4
HEADER_FILL = Color(0.85, 0.85, 0.85)
Target = str | os.PathLike[str] | BinaryIO


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def esc(text: object) -> str:
    """Text for a reportlab Paragraph (which reads a little markup)."""
    s = "" if text is None else str(text)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Styles:
    def __init__(self, fonts: Mapping[str, ResolvedFont], size: float = 11.0) -> None:
        body = fonts["body"].name
        hei = fonts["heading1"].name
        self.body_font, self.hei_font = body, hei
        lead = size * 1.3
        self.title = ParagraphStyle("t", fontName=hei, fontSize=18, leading=26,
                                    alignment=TA_CENTER, wordWrap="CJK", spaceAfter=4)
        self.info = ParagraphStyle("i", fontName=body, fontSize=size + 1, leading=(size + 1) * 1.5,
                                   alignment=TA_LEFT, wordWrap="CJK")
        self.section = ParagraphStyle("s", fontName=hei, fontSize=size + 2,
                                      leading=(size + 2) * 1.6, wordWrap="CJK", spaceBefore=8,
                                      spaceAfter=4)
        self.cell = ParagraphStyle("c", fontName=body, fontSize=size, leading=lead,
                                   wordWrap="CJK")
        self.cell_c = ParagraphStyle("cc", parent=self.cell, alignment=TA_CENTER)
        self.head = ParagraphStyle("h", fontName=hei, fontSize=size, leading=lead,
                                   alignment=TA_CENTER, wordWrap="CJK")


def grid(rows: Sequence[Sequence[str]], headers: Sequence[str], widths: Sequence[float],
         st: Styles, centred: Sequence[int] = ()) -> Table:
    data: list[list[Any]] = [[Paragraph(esc(h), st.head) for h in headers]]
    for row in rows:
        data.append([
            Paragraph(esc(v), st.cell_c if i in centred else st.cell) for i, v in enumerate(row)
        ])
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), st.body_font, st.cell.fontSize),
        ("GRID", (0, 0), (-1, -1), 0.5, black),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def share(weights: Sequence[float], total: float) -> list[float]:
    s = sum(weights)
    return [total * w / s for w in weights]


def _fixed(widths: Sequence[float | None], total: float) -> list[float]:
    """Fixed widths in points; the one None column takes what is left."""
    rest = total - sum(w for w in widths if w is not None)
    return [rest if w is None else w for w in widths]


def _numbered_canvas(font: str, size: float, header: str = "") -> type[Canvas]:
    """A canvas that holds each page until the end, then stamps "第 N 页 共 M 页" (and an
    optional header line) on every page."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._stamp(total)
                super().showPage()
            super().save()

        def _stamp(self, total: int) -> None:
            w, h = self._pagesize
            self.saveState()
            self.setFont(font, size)
            self.drawCentredString(w / 2, 8 * MM, f"第 {self._pageNumber} 页 共 {total} 页")
            if header:
                self.drawString(15 * MM, h - 10 * MM, header)
            self.restoreState()

    return NumberedCanvas


def build(target: Target, story: list[Any], *, pagesize: tuple[float, float], title: str,
          fonts: Mapping[str, ResolvedFont], invariant: bool, margins: float = 18 * MM,
          top: float | None = None, header: str = "") -> int:
    """Lay out ``story`` and write it to ``target`` (a path: atomically; a file: directly)."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=pagesize, leftMargin=margins, rightMargin=margins,
        topMargin=top if top is not None else margins, bottomMargin=margins,
        title=title, creator="govdesk", invariant=1 if invariant else 0,
        initialFontName=fonts["body"].name,
    )
    maker = _numbered_canvas(fonts["body"].name, 9, header)
    try:
        doc.build(story, canvasmaker=maker)
    except LayoutError as exc:
        raise UserError(f"“{title}”无法排版：有一行内容比一整页还长。") from exc
    data = buf.getvalue()
    if hasattr(target, "write"):
        target.write(data)  # type: ignore[union-attr]
    else:
        write_atomically(target, lambda fh: fh.write(data))  # type: ignore[arg-type]
    return int(doc.page)


# ---- 封面清单 ---------------------------------------------------------------------------------------

COVER_HEADERS = ("序号", "索引号", "标题", "页数", "公示期")


def cover_sheet_pdf(
    target: Target,
    *,
    title: str,
    printed_on: date,
    rows: Sequence[Sequence[str]],
    township: str = "",
    paper: str = "A4",
    fonts: Mapping[str, ResolvedFont] | None = None,
    invariant: bool = False,
) -> int:
    """The cover of a batch: ``rows`` are (索引号, 标题, 页数, 公示期) per notice in print
    order; 序号 is added here. Returns pages."""
    fonts = resolve_fonts() if fonts is None else fonts
    st = Styles(fonts, size=10.0)
    pagesize = A4 if paper == "A4" else A3
    width = pagesize[0] - 2 * 18 * MM
    total_pages = 0
    for r in rows:
        try:
            total_pages += int(r[2])
        except (ValueError, IndexError):
            pass
    info = f"打印日期：{_cn_date(printed_on)}　　共 {len(rows)} 份信息，{total_pages} 页（不含本页）"
    if township:
        info = f"{township}　　{info}"
    story: list[Any] = [
        Paragraph(esc(title), st.title),
        Paragraph(esc(info), st.info),
        Spacer(1, 4 * MM),
        grid([(str(i), *r) for i, r in enumerate(rows, 1)], COVER_HEADERS,
             _fixed((26, 112, None, 30, 118), width), st, centred=(0, 3)),
        Spacer(1, 10 * MM),
        Paragraph(esc("张贴人：＿＿＿＿＿＿　　张贴日期：＿＿＿＿＿＿"), st.info),
    ]
    return build(target, story, pagesize=pagesize, title=title, fonts=fonts,
                 invariant=invariant)


# ---- 公开栏清单 -------------------------------------------------------------------------------------

BOARD_HEADERS = ("序号", "索引号", "标题", "张贴日期", "计划撤下", "状态")
OVERDUE_HEADERS = ("序号", "索引号", "标题", "计划撤下", "逾期天数")


def board_sheet_pdf(
    target: Target,
    *,
    board_name: str,
    board_code: str,
    location: str,
    printed_on: date,
    rows: Sequence[Sequence[str]],
    overdue: Sequence[Sequence[str]],
    fonts: Mapping[str, ResolvedFont] | None = None,
    invariant: bool = False,
) -> int:
    """公开栏清单, A4 portrait. ``rows``: (索引号, 标题, 张贴日期, 计划撤下, 状态);
    ``overdue``: (索引号, 标题, 计划撤下, 逾期天数). Returns pages."""
    fonts = resolve_fonts() if fonts is None else fonts
    st = Styles(fonts, size=10.0)
    width = A4[0] - 2 * 18 * MM
    title = f"{board_name}（{board_code}）在栏信息清单"
    story: list[Any] = [
        Paragraph(esc(title), st.title),
        Paragraph(esc(f"位置：{location or '（未填写）'}"), st.info),
        Paragraph(esc(f"打印日期：{_cn_date(printed_on)}　　在栏 {len(rows)} 份，"
                      f"逾期未撤下 {len(overdue)} 份"), st.info),
        Spacer(1, 3 * MM),
    ]
    if rows:
        story.append(grid([(str(i), *r) for i, r in enumerate(rows, 1)], BOARD_HEADERS,
                          _fixed((26, 104, None, 64, 64, 58), width), st,
                          centred=(0, 3, 4, 5)))
    else:
        story.append(Paragraph("该公开栏目前没有在栏信息。", st.info))
    story.append(Paragraph("逾期未撤下", st.section))
    if overdue:
        story.append(grid([(str(i), *r) for i, r in enumerate(overdue, 1)], OVERDUE_HEADERS,
                          _fixed((26, 104, None, 64, 58), width), st,
                          centred=(0, 3, 4)))
    else:
        story.append(Paragraph("无。", st.info))
    story += [
        Spacer(1, 12 * MM),
        Paragraph(esc("检查人：＿＿＿＿＿＿　　检查日期：＿＿＿＿＿＿"), st.info),
    ]
    return build(target, story, pagesize=A4, title=title, fonts=fonts, invariant=invariant)


# ---- 台账 -------------------------------------------------------------------------------------------


def ledger_pdf(
    table: Any,
    path: Target,
    *,
    township: str,
    period_text: str,
    invariant: bool = False,
    fonts: Mapping[str, ResolvedFont] | None = None,
) -> int:
    """The register (an :class:`govdesk.export.tables.Table`) as a landscape A4 table: the
    header row repeated on every page, "第 N 页 共 M 页" at the foot, the township and period
    at the head of each page. Returns pages."""
    fonts = resolve_fonts() if fonts is None else fonts
    st = Styles(fonts, size=8.0)
    pagesize = landscape(A4)
    margin = 12 * MM
    width = pagesize[0] - 2 * margin
    columns = table.columns
    widths = share([c.width for c in columns], width)
    rows = [[cell_text(v) for v in row] for row in table.rows]
    centred = [i for i, c in enumerate(columns) if c.kind in ("date", "int", "decimal")]
    story: list[Any] = [Paragraph(esc(table.title), st.title)]
    if table.subtitle:
        story.append(Paragraph(esc(table.subtitle), st.info))
    story.append(Spacer(1, 2 * MM))
    if rows:
        story.append(grid(rows, [c.title for c in columns], widths, st, centred=centred))
    else:
        story.append(Paragraph("没有符合条件的信息。", st.info))
    header = "　　".join(p for p in (township, period_text) if p)
    return build(path, story, pagesize=pagesize, title=table.title, fonts=fonts,
                 invariant=invariant, margins=margin, top=16 * MM, header=header)
