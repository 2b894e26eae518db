"""The approval slip (信息公开审批单) as a one-page A4 PDF: a ruled paper form (表格式审批单) with
the information fields filled in and one signature box per step of the approval chain.

Plain data in (:class:`~govdesk.core.slip_form.SlipForm`), a PDF out; no Qt, no database.
Layout, top to bottom, inside 20 mm side and 15 mm top/bottom margins:

* ``{township}信息公开审批单`` centred in 黑体 (18 pt, shrunk to fit one line, wrapped only
  if even 14 pt is too wide); under it ``编号：…`` on the left, ``状态：…`` centred (not on a
  blank slip) and ``填表日期：2026年3月1日`` on the right;
* the information grid, four columns (label | value | label | value), labels in 黑体 and
  values in the body face (仿宋): 信息名称 | 文号; 承办单位 | 经办人; 载体形式 | 公开范围 as
  tick boxes; 内容摘要; 公开属性 as tick boxes (+ 理由和依据 unless 主动公开); 公开方式 (one
  ticked box per channel, □其他 when there is none); 拟公开时间; 公示期;
* one row per step in chain order: the stage name + 意见 as the label; in the box the
  decision and opinion, the notes in smaller type, and ``签名：…  日期：…`` at the bottom right
  (with ``（纸质签批（代录），录入人：…）`` under it for a decision copied from paper). A step not
  decided yet — every step on a blank slip — is left empty, at least 28 mm tall, for a pen;
* the footer: 审批单编号 · 内容校验码 (· 审计校验码) and a 22 mm QR code of
  ``govdesk-slip:{number}:{short_hash}`` at the bottom right.

A slip is one sheet: when the content is too long the summary and opinions are set smaller,
then the summary (and, for absurd input, the opinions and the title) are cut with "……".

Tick boxes are the ☑/□ characters when the body font has both glyphs; otherwise (宋体, 仿宋,
AR PL UMing… lack ☑) they are drawn as small squares with a stroked tick.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import BinaryIO

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from govdesk.core.errors import UserError
from govdesk.core.slip_form import SlipBox, SlipForm
from govdesk.export.fonts import ResolvedFont, resolve_fonts
from govdesk.export.gbt9704 import Line, balanced_lines, fontify, layout_text, text_width
from govdesk.export.pdf_write import write_atomically

__all__ = ["slip_pdf", "slip_qr_drawing", "slip_qr_payload", "uses_tick_glyphs"]

Target = str | os.PathLike[str] | BinaryIO

MM = 72 / 25.4
PAGE_W, PAGE_H = A4
LEFT = 20 * MM
RIGHT = 20 * MM
TOP = 15 * MM
BOTTOM = 15 * MM
TABLE_W = PAGE_W - LEFT - RIGHT  # 170 mm

# Grid columns: label | value | label | value.
COL_LABEL = 30 * MM
COL_LABEL2 = 24 * MM
COL_VALUE2 = 46 * MM
COL_VALUE1 = TABLE_W - COL_LABEL - COL_LABEL2 - COL_VALUE2  # 70 mm

PAD_X = 2.0 * MM
PAD_Y = 1.6 * MM
LEADING = 1.45
ROW_MIN = 8.5 * MM
LINE_W = 0.6  # grid rules
FRAME_W = 1.0  # outer frame

TITLE_SIZE = 18.0
TITLE_MIN = 14.0
HEADER_SIZE = 11.0
LABEL_SIZE = 11.0
VALUE_SIZE = 11.0
SMALL_SIZE = 9.0
FOOTER_SIZE = 9.0

PENDING_MIN = 28 * MM  # room for a pen signature
QR_SIZE = 22 * MM
QR_GAP = 3 * MM  # between the grid and the QR code

TICKED, UNTICKED = "\u2611", "\u25a1"  # ☑ □
ELLIPSIS = "……"
DASH = "—"
PENDING_SIGNATURE = "签名：____________　　日期：______年____月____日"


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def slip_qr_payload(form: SlipForm) -> str:
    """What the slip's QR code encodes: its number and the short content hash."""
    return f"govdesk-slip:{form.number}:{form.short_hash}"


def slip_qr_drawing(form: SlipForm, size: float = QR_SIZE, font_name: str | None = None) -> Drawing:
    """A ``size`` × ``size`` drawing of the slip's QR code (level M, two-module quiet zone).

    ``font_name``: the drawing's initial font (it draws no text, but reportlab's renderer
    selects one, which would add an unembedded Helvetica to the page otherwise)."""
    widget = QrCodeWidget(slip_qr_payload(form), barWidth=size, barHeight=size, barBorder=2,
                          barLevel="M")
    drawing = Drawing(size, size, **({"initialFontName": font_name} if font_name else {}))
    drawing.add(widget)
    return drawing


def uses_tick_glyphs(font_name: str) -> bool:
    """True when the registered font has both ☑ and □ (else the boxes are drawn as lines)."""
    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    table = getattr(face, "charToGlyph", None)
    if table is None:  # a standard (non-TrueType) font: no CJK anyway
        return False
    return ord(TICKED) in table and ord(UNTICKED) in table


# ---- measured blocks -----------------------------------------------------------------------------

Draw = Callable[[Canvas, float, float], None]  # (canvas, x, top)


@dataclass(frozen=True)
class _Block:
    """Something laid out for a width: its height and how to draw it from a top-left corner."""

    height: float
    draw: Draw


_EMPTY = _Block(0.0, lambda c, x, top: None)


def _pitch(size: float) -> float:
    return size * LEADING


def _baseline(top: float, size: float) -> float:
    """Baseline of a line whose cell starts at ``top``: the em box centred in the line pitch
    (Chinese faces sit about 0.12 em below the baseline)."""
    pitch = _pitch(size)
    return top - pitch + (pitch - size) / 2 + 0.12 * size


def _draw_line(canv: Canvas, line: Line, x: float, baseline: float) -> None:
    if not line.runs:
        return
    tx = canv.beginText(x + line.x, baseline)
    tx.setCharSpace(line.char_space)
    for text, font in line.runs:
        tx.setFont(font, line.size)
        tx.textOut(text)
    canv.drawText(tx)


def _width(text: str, chain: Sequence[str], size: float) -> float:
    """Drawn width of ``text`` set with font fallback along ``chain``."""
    return sum(text_width(t, f, size) for t, f in fontify(text, chain))


def _lines_block(lines: Sequence[Line], size: float) -> _Block:
    pitch = _pitch(size)

    def draw(canv: Canvas, x: float, top: float) -> None:
        for i, line in enumerate(lines):
            _draw_line(canv, line, x, _baseline(top - i * pitch, size))

    return _Block(len(lines) * pitch, draw)


def _text(text: str, chain: Sequence[str], size: float, width: float,
          align: str = "left") -> _Block:
    text = " ".join(text.split()) if "\n" not in text else text
    lines: list[Line] = []
    for para in text.split("\n"):
        laid = layout_text(fontify(para, chain), size, width, align=align,
                           max_stretch=2 * size)
        lines.extend(laid or [Line((), size)])
    return _lines_block(lines, size)


def _stack(*blocks: _Block, gap: float = 0.0) -> _Block:
    shown = [b for b in blocks if b.height > 0]
    if not shown:
        return _EMPTY

    def draw(canv: Canvas, x: float, top: float) -> None:
        y = top
        for b in shown:
            b.draw(canv, x, y)
            y -= b.height + gap

    return _Block(sum(b.height for b in shown) + gap * (len(shown) - 1), draw)


def _options(options: Sequence[tuple[bool, str]], chain: Sequence[str], size: float,
             width: float, glyphs: bool) -> _Block:
    """Tick boxes with their labels, flowing onto a new line when the width is used up."""
    box = size * 0.82
    after_box = size * 0.2
    between = size * 1.2
    placed: list[list[tuple[float, bool, str]]] = [[]]  # lines of (x, ticked, label)
    x = 0.0
    for ticked, label in options:
        w = box + after_box + _width(label, chain, size)
        if glyphs:
            w = _width((TICKED if ticked else UNTICKED) + label, chain, size)
        if placed[-1] and x + w > width:
            placed.append([])
            x = 0.0
        placed[-1].append((x, ticked, label))
        x += w + between
    pitch = _pitch(size)

    def draw(canv: Canvas, x0: float, top: float) -> None:
        for i, line in enumerate(placed):
            base = _baseline(top - i * pitch, size)
            for x, ticked, label in line:
                if glyphs:
                    text = (TICKED if ticked else UNTICKED) + label
                    _draw_line(canv, Line(tuple(fontify(text, chain)), size), x0 + x, base)
                    continue
                bx, by = x0 + x + size * 0.06, base - 0.08 * size
                canv.saveState()
                canv.setLineWidth(0.6)
                canv.rect(bx, by, box, box, stroke=1, fill=0)
                if ticked:
                    canv.setLineWidth(1.1)
                    canv.setLineCap(1)
                    canv.setLineJoin(1)
                    p = canv.beginPath()
                    p.moveTo(bx + box * 0.18, by + box * 0.52)
                    p.lineTo(bx + box * 0.42, by + box * 0.22)
                    p.lineTo(bx + box * 0.86, by + box * 0.84)
                    canv.drawPath(p, stroke=1, fill=0)
                canv.restoreState()
                _draw_line(canv, Line(tuple(fontify(label, chain)), size),
                           x0 + x + box + after_box + size * 0.06, base)

    return _Block(len(placed) * pitch, draw)


def _truncate(text: str, keep: int | None) -> str:
    if keep is None or len(text) <= keep:
        return text
    return text[:keep].rstrip() + ELLIPSIS


# ---- rows ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    width: float
    block: _Block
    centred: bool = False  # horizontally (labels)


@dataclass(frozen=True)
class _Row:
    height: float
    cells: tuple[_Cell, ...]
    # For a signature box: drawn at the bottom of the last cell instead of centred content.
    bottom: _Block | None = None


def _row(cells: Sequence[_Cell], min_height: float = ROW_MIN) -> _Row:
    h = max(c.block.height for c in cells) + 2 * PAD_Y
    return _Row(max(h, min_height), tuple(cells))


@dataclass(frozen=True)
class _Fit:
    """What may be given up to keep the slip on one page, in the order it is given up."""

    summary_size: float = VALUE_SIZE
    opinion_size: float = VALUE_SIZE
    title_size: float = VALUE_SIZE
    done_min: float = 20 * MM  # a decided box
    pending_min: float = PENDING_MIN
    summary_keep: int | None = None  # characters of the summary kept, None = all
    opinion_keep: int | None = None
    title_keep: int | None = None


class _Layout:
    def __init__(self, form: SlipForm, fonts: Mapping[str, ResolvedFont], blank: bool) -> None:
        self.form, self.blank = form, blank
        body, hei = fonts["body"].name, fonts["heading1"].name
        others = [f.name for f in fonts.values()]
        self.body = list(dict.fromkeys([body, hei, *others]))
        self.hei = list(dict.fromkeys([hei, body, *others]))
        self.glyphs = uses_tick_glyphs(body)

    # -- pieces
    def label(self, text: str, width: float) -> _Cell:
        """A 黑体 label, centred; a long one (a stage name) on lines of near-equal length."""
        lines = balanced_lines(text, self.hei, LABEL_SIZE, width - 2 * PAD_X,
                               min_size=LABEL_SIZE - 1.5)
        size = lines[0].size if lines else LABEL_SIZE
        return _Cell(width, _lines_block(lines, size), True)

    def value(self, text: str, width: float, size: float = VALUE_SIZE) -> _Cell:
        return _Cell(width, _text(text or DASH, self.body, size, width - 2 * PAD_X))

    def ticks(self, options: Sequence[tuple[bool, str]], width: float) -> _Cell:
        return _Cell(width, _options(options, self.body, VALUE_SIZE, width - 2 * PAD_X,
                                     self.glyphs))

    # -- the information grid
    def info_rows(self, fit: _Fit) -> list[_Row]:
        f = self.form
        wide = COL_VALUE1 + COL_LABEL2 + COL_VALUE2
        rows = [
            _row([self.label("信息名称", COL_LABEL),
                  self.value(_truncate(f.title, fit.title_keep), COL_VALUE1, fit.title_size),
                  self.label("文号", COL_LABEL2), self.value(f.doc_number, COL_VALUE2)]),
            _row([self.label("承办单位", COL_LABEL), self.value(f.unit, COL_VALUE1),
                  self.label("经办人", COL_LABEL2), self.value(f.drafter, COL_VALUE2)]),
            _row([self.label("载体形式", COL_LABEL),
                  self.ticks([(f.carrier == c, c) for c in ("公文类", "非公文类")], COL_VALUE1),
                  self.label("公开范围", COL_LABEL2),
                  self.ticks([(f.scope == s, s) for s in ("全社会", "特定群众")], COL_VALUE2)]),
            _row([self.label("内容摘要", COL_LABEL),
                  _Cell(wide, _text(_truncate(f.summary, fit.summary_keep) or DASH, self.body,
                                    fit.summary_size, wide - 2 * PAD_X, "justify"))],
                 min_height=2 * ROW_MIN),
            _row([self.label("公开属性", COL_LABEL),
                  self.ticks([(f.disclosure == d, d) for d in ("主动公开", "依申请公开", "不予公开")],
                             wide)]),
        ]
        if f.disclosure != "主动公开":
            rows.append(_row([self.label("理由和依据", COL_LABEL),
                              self.value(f.disclosure_reason, wide)]))
        channels = [(True, c) for c in f.channels] or [(False, "其他")]
        rows += [
            _row([self.label("公开方式", COL_LABEL), self.ticks(channels, wide)]),
            _row([self.label("拟公开时间", COL_LABEL),
                  self.value(_cn_date(f.planned_on) if f.planned_on else "", wide)]),
            _row([self.label("公示期", COL_LABEL), self.value(f.period, wide)]),
        ]
        return rows

    # -- signature boxes
    def box_row(self, box: SlipBox, fit: _Fit) -> _Row:
        stage = box.stage if box.stage.endswith("意见") else box.stage + "意见"
        label = self.label(stage, COL_LABEL)
        wide = TABLE_W - COL_LABEL
        inner = wide - 2 * PAD_X
        if self.blank or not box.signer:
            sig = _text(PENDING_SIGNATURE, self.body, VALUE_SIZE, inner, "right")
            content = _Cell(wide, _EMPTY)
            h = max(fit.pending_min, label.block.height + 2 * PAD_Y)
            return _Row(h, (label, content), sig)
        opinion = _truncate(box.opinion.strip(), fit.opinion_keep)
        runs: list[tuple[str, str]] = []
        if box.decision and not opinion.startswith(box.decision):
            runs += fontify(box.decision + ("。" if opinion else ""), self.hei)
        runs += fontify(opinion, self.body)
        size = fit.opinion_size
        said = _lines_block(layout_text(runs, size, inner, align="justify",
                                        max_stretch=2 * size), size) if runs else _EMPTY
        notes = [_text(n, self.body, SMALL_SIZE, inner) for n in box.notes if n.strip()]
        top = _stack(said, _stack(*notes), gap=0.8 * MM)
        when = _cn_date(box.signed_on) if box.signed_on else "______年____月____日"
        sig_line = _text(f"签名：{box.signer}　　日期：{when}", self.body, VALUE_SIZE, inner,
                         "right")
        if box.paper:
            who = box.entered_by or "______"
            sig_line = _stack(sig_line, _text(f"（纸质签批（代录），录入人：{who}）", self.body,
                                              SMALL_SIZE, inner, "right"))
        content = _Cell(wide, top)
        h = top.height + (1.5 * MM if top.height else 0) + sig_line.height + 2 * PAD_Y
        h = max(h, fit.done_min, label.block.height + 2 * PAD_Y)
        return _Row(h, (label, content), sig_line)

    def rows(self, fit: _Fit) -> list[_Row]:
        return self.info_rows(fit) + [self.box_row(b, fit) for b in self.form.boxes]


def _draw_rows(canv: Canvas, rows: Sequence[_Row], top: float) -> float:
    """Draw the ruled grid from ``top`` down; returns its bottom."""
    y = top
    canv.setStrokeColor(black)
    canv.setFillColor(black)
    for r in rows:
        bottom = y - r.height
        x = LEFT
        for i, cell in enumerate(r.cells):
            if r.bottom is not None and i == len(r.cells) - 1:
                cell.block.draw(canv, x + PAD_X, y - PAD_Y)
                r.bottom.draw(canv, x + PAD_X, bottom + PAD_Y + r.bottom.height)
            else:
                block_top = y - (r.height - cell.block.height) / 2
                cell.block.draw(canv, x + PAD_X, block_top)
            x += cell.width
            if i < len(r.cells) - 1:
                canv.setLineWidth(LINE_W)
                canv.line(x, y, x, bottom)
        y = bottom
        if r is not rows[-1]:
            canv.setLineWidth(LINE_W)
            canv.line(LEFT, y, LEFT + TABLE_W, y)
    canv.setLineWidth(FRAME_W)
    canv.rect(LEFT, y, TABLE_W, top - y, stroke=1, fill=0)
    return y


# ---- fitting to one sheet --------------------------------------------------------------------


def _total(rows: Sequence[_Row]) -> float:
    return sum(r.height for r in rows)


def _fit(layout: _Layout, available: float) -> list[_Row]:
    """The rows at the first setting that fits ``available``; giving up, in order, full-size
    summary and opinions, then summary characters, then opinion and title characters, then
    pen room in undecided boxes."""
    form = layout.form
    steps = [
        _Fit(),
        _Fit(summary_size=10.5, opinion_size=10.5, done_min=18 * MM),
        _Fit(summary_size=10, opinion_size=10, done_min=16 * MM),
        _Fit(summary_size=9, opinion_size=9, title_size=10, done_min=14 * MM),
    ]
    for fit in steps:
        rows = layout.rows(fit)
        if _total(rows) <= available:
            return rows
    fit = steps[-1]

    def best_keep(make: Callable[[int], _Fit], full: int) -> tuple[_Fit, list[_Row]] | None:
        """The most characters kept (binary search) that fit; None if not even 0 does."""
        rows0 = layout.rows(make(0))
        if _total(rows0) > available:
            return None
        lo, hi = 0, full  # lo fits
        best = rows0
        while lo < hi:
            mid = (lo + hi + 1) // 2
            rows = layout.rows(make(mid))
            if _total(rows) <= available:
                lo, best = mid, rows
            else:
                hi = mid - 1
        return make(lo), best

    found = best_keep(lambda k: replace(fit, summary_keep=k), len(form.summary))
    if found:
        return found[1]
    fit = replace(fit, summary_keep=0)
    longest = max((len(b.opinion) for b in form.boxes), default=0)
    found = best_keep(lambda k: replace(fit, opinion_keep=k), longest)
    if found:
        return found[1]
    fit = replace(fit, opinion_keep=0)
    found = best_keep(lambda k: replace(fit, title_keep=k), len(form.title))
    if found:
        return found[1]
    fit = replace(fit, title_keep=0)
    for pending in (24 * MM, 20 * MM, 16 * MM, 12 * MM):
        rows = layout.rows(replace(fit, pending_min=pending, done_min=12 * MM))
        if _total(rows) <= available:
            return rows
    raise UserError(
        f"审批单{form.number}的审批环节过多（{len(form.boxes)}个），无法在一页纸上打印。"
    )


def _fill(rows: list[_Row], available: float) -> list[_Row]:
    """Share the height left over among the signature boxes (more room to write), so the
    form fills the sheet like a printed one."""
    boxes = [i for i, r in enumerate(rows) if r.bottom is not None]
    extra = available - _total(rows)
    if not boxes or extra <= 0:
        return rows
    each = extra / len(boxes)
    return [replace(r, height=r.height + each) if i in boxes else r for i, r in enumerate(rows)]


# ---- the page ------------------------------------------------------------------------------------


def _title_lines(text: str, chain: Sequence[str]) -> list[Line]:
    w = _width(text, chain, TITLE_SIZE)
    size = TITLE_SIZE if w <= TABLE_W else max(TITLE_MIN, TITLE_SIZE * TABLE_W / w - 0.05)
    return layout_text(fontify(text, chain), size, TABLE_W, align="center")


def _render(form: SlipForm, fonts: Mapping[str, ResolvedFont], blank: bool,
            invariant: bool) -> bytes:
    layout = _Layout(form, fonts, blank)
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=A4, invariant=1 if invariant else 0, pageCompression=1,
                  initialFontName=fonts["body"].name, initialFontSize=VALUE_SIZE)
    title = f"{form.township}信息公开审批单"
    canv.setTitle(f"{title} {form.number}")
    canv.setSubject(form.title)
    canv.setCreator("govdesk")
    canv.setFillColor(black)

    # Title and header line.
    y = PAGE_H - TOP
    title_lines = _title_lines(title, layout.hei)
    tsize = title_lines[0].size if title_lines else TITLE_SIZE
    _lines_block(title_lines, tsize).draw(canv, LEFT, y)
    y -= len(title_lines) * _pitch(tsize) + 1.5 * MM
    base = _baseline(y, HEADER_SIZE)

    def put(text: str, align: str) -> None:
        line = Line(tuple(fontify(text, layout.body)), HEADER_SIZE)
        w = _width(text, layout.body, HEADER_SIZE)
        x = {"left": LEFT, "center": LEFT + (TABLE_W - w) / 2, "right": LEFT + TABLE_W - w}
        _draw_line(canv, line, x[align], base)

    put(f"编号：{form.number}", "left")
    if form.status and not blank:
        put(f"状态：{form.status}", "center")
    put(f"填表日期：{_cn_date(form.filled_on)}", "right")
    y -= _pitch(HEADER_SIZE) + 1.0 * MM

    # The grid, as much of the page as is left above the footer.
    footer_top = BOTTOM + QR_SIZE + QR_GAP
    rows = _fill(_fit(layout, y - footer_top), y - footer_top)
    _draw_rows(canv, rows, y)

    # Footer: codes at the left, the QR code at the bottom right.
    codes = f"审批单编号 {form.number} · 内容校验码 {form.short_hash}"
    if form.audit_code:
        codes += f" · 审计校验码 {form.audit_code}"
    room = TABLE_W - QR_SIZE - 4 * MM
    code_block = _text(codes, layout.body, FOOTER_SIZE, room)
    code_block.draw(canv, LEFT, BOTTOM + code_block.height + 0.5 * MM)
    renderPDF.draw(slip_qr_drawing(form, font_name=fonts["body"].name), canv, LEFT + TABLE_W - QR_SIZE, BOTTOM)

    canv.showPage()
    canv.save()
    return buf.getvalue()


def slip_pdf(form: SlipForm, target: Target, *, blank: bool = False,
             fonts: Mapping[str, ResolvedFont] | None = None, invariant: bool = False) -> int:
    """Print ``form`` as a one-page A4 approval slip to ``target`` (a path, written atomically,
    or a binary file object). ``blank=True`` leaves every signature box empty for signing by
    hand (the information fields are still filled). Returns the page count, always 1.

    Raises UserError (Chinese) when the file cannot be written or no print font is found."""
    fonts = resolve_fonts() if fonts is None else fonts
    data = _render(form, fonts, blank, invariant)
    if hasattr(target, "write"):
        target.write(data)  # type: ignore[union-attr]
    else:
        write_atomically(target, lambda fh: fh.write(data))  # type: ignore[arg-type]
    return 1
