"""The quarter's 通报 as a GB/T 9704 PDF (issue 5, item 7): the notice machinery lays out the
text (title, 主送, body, ranking table with its header repeated, 署名 and date); this module
adds the charts after the ranking table.

Charts are reportlab graphics (no new dependency), drawn as vectors in the 版心 width:

* 图1 the quarter's ranking: a horizontal bar chart, one row per community in rank order, the
  score at the end of each bar, value axis 0–100 (or up to the highest score with bonuses);
* 图2 (when previous quarters are given) the trend: one row per community in the same order,
  a marker per quarter on the same axis (a dot plot, readable with 50 communities where a
  line per community would not be).

Rows are 13 pt apart (closed up to 11 pt so that 50 communities fit a page) with 10 pt 仿宋
labels; a chart still taller than a page is continued in a second chart "（续）". Every string of a chart is set in the resolved CJK body font, so the PDF
references no unembedded base-14 font.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.colors import Color, HexColor, white
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table
from reportlab.platypus.doctemplate import LayoutError

from govdesk.core.bulletin import RANKING_HEADER, Bulletin, BulletinCharts, parse_bulletin_text
from govdesk.core.documents import NoticeDocument
from govdesk.core.errors import UserError
from govdesk.core.notices import BodyTable
from govdesk.export.fonts import ResolvedFont, resolve_fonts
from govdesk.export.gbt9704 import (
    BODY_HEIGHT,
    BODY_WIDTH,
    LINE_PITCH,
    LINES_PER_PAGE,
    SIZE_3,
    GBT9704DocTemplate,
    GridLines,
    fontify,
    layout_text,
    text_width,
)
from govdesk.export.notice_pdf import (
    SQUEEZE_LINES_PER_PAGE,
    SQUEEZE_MAX_LINES,
    notice_story,
)
from govdesk.export.pdf_write import write_atomically

__all__ = ["FROM_BULLETIN", "bulletin_pdf", "bulletin_pdf_bytes", "chart_flowables"]

FROM_BULLETIN: Any = object()  # charts=FROM_BULLETIN (default): the charts the Bulletin carries

LABEL_SIZE = 10.0  # community names and axis labels: 仿宋 10 pt
VALUE_SIZE = 9.0
ROW = 13.0  # one community per row
MIN_ROW = 11.0
AXIS_BAND = 22.0  # value-axis labels under the plot
LEGEND_BAND = 20.0
VALUE_ROOM = 30.0  # right of the plot, for the score printed at the end of a full bar
BAR = HexColor("#4a6fa5")
GRID = Color(0.82, 0.82, 0.82)
SERIES = (HexColor("#9aa5b1"), HexColor("#6b8cbf"), HexColor("#e0913a"), HexColor("#c0392b"),
          HexColor("#2e8b57"), HexColor("#7d3c98"))
MARKERS = ("FilledCircle", "FilledSquare", "FilledDiamond", "FilledTriangle", "FilledCross",
           "FilledStarSix")


def _snap(height: float, pitch: float) -> float:
    """Up to a whole number of grid lines, so the text under a chart stays on the grid."""
    return math.ceil(height / pitch - 1e-6) * pitch


def _finish(chart: Any, width: float, height: float, font: str,
            extra: Sequence[Any] = ()) -> Drawing:
    # The renderer starts every drawing with the base font (Helvetica, unembedded) unless told
    # otherwise, even when every string names its own font.
    d = Drawing(width, height, initialFontName=font, initialFontSize=LABEL_SIZE)
    d.add(chart)
    for e in extra:
        d.add(e)
    d.hAlign = "LEFT"
    return d


def _step(axis_max: float) -> float:
    return 10.0 if axis_max <= 120 else 20.0


def label_width(names: Sequence[str], font: str) -> float:
    widest = max((text_width(n, font, LABEL_SIZE) for n in names), default=0.0)
    return min(widest + 8.0, BODY_WIDTH / 3)


def _room(pitch: float) -> float:
    """Height for the rows of a chart alone on a page under its caption and legend."""
    return _snap(BODY_HEIGHT, pitch) - pitch - AXIS_BAND - LEGEND_BAND - 8


def _layout(n: int, pitch: float) -> tuple[float, list[tuple[int, int]]]:
    """(row pitch, row ranges per chart): rows 13 pt apart, closed up to 11 pt to keep a chart
    on one page (50 communities fit); beyond that the chart is continued, balanced."""
    row = min(ROW, max(MIN_ROW, _room(pitch) / max(n, 1)))
    per = max(1, int(_room(pitch) // row))
    parts = max(1, math.ceil(n / per))
    size = max(1, math.ceil(n / parts))
    return row, [(a, min(n, a + size)) for a in range(0, n, size)]


def ranking_drawing(names: Sequence[str], scores: Sequence[float], axis_max: float,
                    font: str, label_w: float, row: float = ROW,
                    pitch: float = LINE_PITCH) -> Drawing:
    n = len(names)
    plot_h = n * row
    height = _snap(plot_h + AXIS_BAND + 6, pitch)
    bc = HorizontalBarChart()
    bc.x = label_w
    bc.y = height - plot_h - 4
    bc.width = BODY_WIDTH - label_w - VALUE_ROOM
    bc.height = plot_h
    bc.data = [list(scores)]
    bc.bars[0].fillColor = BAR
    bc.bars[0].strokeColor = None
    bc.barWidth = row * 0.62
    bc.groupSpacing = row * 0.38
    bc.categoryAxis.categoryNames = list(names)
    bc.categoryAxis.reverseDirection = 1  # rank 1 at the top
    bc.categoryAxis.labels.fontName = font
    bc.categoryAxis.labels.fontSize = LABEL_SIZE
    bc.categoryAxis.labels.boxAnchor = "e"
    bc.categoryAxis.labels.dx = -4
    bc.categoryAxis.tickLeft = 0
    _score_axis(bc.valueAxis, axis_max, font)
    bc.barLabelFormat = "%.1f"
    bc.barLabels.fontName = font
    bc.barLabels.fontSize = VALUE_SIZE
    bc.barLabels.boxAnchor = "w"
    bc.barLabels.dx = 3
    return _finish(bc, BODY_WIDTH, height, font)


def _score_axis(axis, axis_max: float, font: str) -> None:
    """The score axis both charts share: 0 to the maximum, whole-number labels, a light grid."""
    axis.valueMin = 0
    axis.valueMax = axis_max
    axis.valueStep = _step(axis_max)
    axis.labels.fontName = font
    axis.labels.fontSize = LABEL_SIZE
    axis.labelTextFormat = "%d"
    axis.visibleGrid = 1
    axis.gridStrokeColor = GRID
    axis.gridStrokeWidth = 0.4


def trend_drawing(names: Sequence[str], series: Sequence[Sequence[float | None]],
                  quarters: Sequence[str], axis_max: float, font: str,
                  label_w: float, row: float = ROW, pitch: float = LINE_PITCH) -> Drawing:
    n = len(names)
    plot_h = n * row
    height = _snap(plot_h + AXIS_BAND + LEGEND_BAND + 6, pitch)
    lp = LinePlot()
    lp.x = label_w
    lp.y = AXIS_BAND - 2 + (height - plot_h - AXIS_BAND - LEGEND_BAND - 2)
    lp.width = BODY_WIDTH - label_w - VALUE_ROOM
    lp.height = plot_h
    data = []
    for q in range(len(quarters)):
        points = [(float(s[q]), float(n - 1 - i)) for i, s in enumerate(series)
                  if s[q] is not None]
        data.append(points or [(0.0, -10.0)])  # an empty quarter: one point off the plot
    lp.data = data
    lp.joinedLines = 0
    for q in range(len(quarters)):
        lp.lines[q].strokeColor = SERIES[q % len(SERIES)]
        lp.lines[q].symbol = makeMarker(MARKERS[q % len(MARKERS)], size=7,
                                        fillColor=SERIES[q % len(SERIES)],
                                        strokeColor=white, strokeWidth=0.3)
    _score_axis(lp.xValueAxis, axis_max, font)
    lp.yValueAxis.valueMin = -0.5
    lp.yValueAxis.valueMax = n - 0.5
    lp.yValueAxis.valueSteps = list(range(n))
    lp.yValueAxis.labelTextFormat = lambda v: names[n - 1 - round(v)] if 0 <= round(v) < n else ""
    lp.yValueAxis.labels.fontName = font
    lp.yValueAxis.labels.fontSize = LABEL_SIZE
    lp.yValueAxis.labels.boxAnchor = "e"
    lp.yValueAxis.labels.dx = -4
    lp.yValueAxis.tickLeft = 0
    lp.yValueAxis.visibleGrid = 1
    lp.yValueAxis.gridStrokeColor = GRID
    lp.yValueAxis.gridStrokeWidth = 0.3
    lp.yValueAxis.gridStrokeDashArray = (1, 2)

    legend = Legend()
    legend.fontName = font
    legend.fontSize = LABEL_SIZE
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.boxAnchor = "nw"
    legend.x = label_w
    legend.y = height - 2
    legend.deltax = 0
    legend.dx = 8
    legend.dy = 8
    legend.dxTextSpace = 4
    legend.swdx = 0
    legend.strokeColor = None
    legend.colorNamePairs = [(SERIES[q % len(SERIES)], label) for q, label in enumerate(quarters)]
    legend.subCols.minWidth = 0
    return _finish(lp, BODY_WIDTH, height, font, [legend])


def _caption(text: str, font_chain: Sequence[str], pitch: float) -> GridLines:
    line = layout_text(fontify(text, list(font_chain)), SIZE_3, BODY_WIDTH, align="center",
                       char_space=0.0)
    return GridLines(line, pitch)


def chart_flowables(charts: BulletinCharts, fonts: Mapping[str, ResolvedFont], *,
                    pitch: float = LINE_PITCH) -> list[Flowable]:
    """The ranking chart and, with previous quarters, the trend chart; each above its caption,
    kept on one page with it, continued "（续）" when a chart would be taller than a page."""
    font = fonts["body"].name
    chain = list(dict.fromkeys([font, fonts["page_number"].name, fonts["heading1"].name]))
    if not charts.ranking:
        return []
    names = [n for n, _ in charts.ranking]
    label_w = label_width(names, font)
    axis_max = float(charts.axis_max)
    out: list[Flowable] = []
    number = 0

    def add(caption: str, drawings: list[Drawing]) -> None:
        # 图题 under the figure, as Chinese documents set it; blank grid lines before the first
        # figure and after every caption stay outside the KeepTogether, so a figure moved to a
        # new page starts at the top of the 版心.
        for i, d in enumerate(drawings):
            text = caption + ("（续）" if i else "")
            if not out:
                out.append(Spacer(BODY_WIDTH, pitch))
            out.append(KeepTogether([d, _caption(text, chain, pitch)]))
            out.append(Spacer(BODY_WIDTH, pitch))

    number += 1
    row, parts = _layout(len(names), pitch)
    add(f"图{number}　{charts.period}各社区（村）考核得分排名",
        [ranking_drawing(names[a:b], [float(s) for _, s in charts.ranking[a:b]], axis_max,
                         font, label_w, row, pitch) for a, b in parts])
    if charts.has_trend:
        tnames = [n for n, _ in charts.trend]
        tseries = [[None if v is None else float(v) for v in s] for _, s in charts.trend]
        number += 1
        row, parts = _layout(len(tnames), pitch)
        add(f"图{number}　各社区（村）分季度考核得分",
            [trend_drawing(tnames[a:b], tseries[a:b], charts.quarters, axis_max, font,
                           label_width(tnames, font), row, pitch) for a, b in parts])
    return out


def _insert_charts(story: list[Flowable], doc: NoticeDocument,
                   charts: list[Flowable]) -> list[Flowable]:
    """``charts`` right after the ranking table (the first table headed 排名), else after the
    last table, else before the closing paragraph."""
    if not charts:
        return story
    tables = [b for b in doc.blocks if isinstance(b, BodyTable) and b.rows]
    target = next((i for i, t in enumerate(tables) if t.rows[0][:1] == RANKING_HEADER[:1]),
                  len(tables) - 1)
    seen = -1
    for pos, f in enumerate(story):
        if isinstance(f, Table):
            seen += 1
            if seen == target:  # a Table is followed by its SnapToGrid
                return story[: pos + 2] + charts + story[pos + 2 :]
    return story[:-1] + charts + story[-1:]


class _LayoutOnlyCanvas(Canvas):
    """Pages are laid out and drawn, but nothing is written (page-count trials)."""

    def save(self) -> None:
        pass


def _document(b: Bulletin) -> NoticeDocument:
    return NoticeDocument(index_number="", title=b.title, blocks=b.blocks, issuer=b.issuer,
                          dated=b.issued_on)


def bulletin_pdf_bytes(bulletin_or_text: Bulletin | str, *,
                       charts: BulletinCharts | None = FROM_BULLETIN,
                       fonts: Mapping[str, ResolvedFont] | None = None,
                       invariant: bool = False) -> tuple[bytes, int]:
    """The 通报 as a PDF in memory and its number of pages. ``bulletin_or_text``: a
    :class:`Bulletin`, or its (edited) :func:`~govdesk.core.bulletin.bulletin_text`. ``charts``:
    by default those of the Bulletin (none for a text); None for no chart."""
    if isinstance(bulletin_or_text, str):
        title, blocks, issuer, dated = parse_bulletin_text(bulletin_or_text)
        if dated is None:
            raise UserError("通报最后一行应为成文日期（如2017年10月10日）。")
        doc = NoticeDocument(index_number="", title=title, blocks=blocks, issuer=issuer,
                             dated=dated)
        if charts is FROM_BULLETIN:
            charts = None
    else:
        doc = _document(bulletin_or_text)
        if charts is FROM_BULLETIN:
            charts = bulletin_or_text.charts
    fonts = resolve_fonts() if fonts is None else fonts

    def render(lines_per_page: int, *, layout_only: bool = False) -> tuple[bytes, int, float]:
        pitch = BODY_HEIGHT / lines_per_page
        story = notice_story(doc, fonts, lines_per_page=lines_per_page)
        figures = chart_flowables(charts, fonts, pitch=pitch) if charts else []
        story = _insert_charts(story, doc, figures)
        buf = io.BytesIO()
        template = GBT9704DocTemplate(
            buf, page_number_font=fonts["page_number"].name, footer_font=fonts["body"].name,
            invariant=invariant, title=doc.title, author=doc.issuer,
        )
        try:
            template.build(story, canvasmaker=_LayoutOnlyCanvas if layout_only else Canvas)
        except LayoutError as exc:
            raise UserError(f"“{doc.title}”无法排版：有内容比一整页还长。请拆分后重试。") from exc
        return buf.getvalue(), int(template.page), template.last_page_fill

    # As notice_pdf (GB/T 9704 7.3.5.5): a last page holding only the closing and a line or two
    # is avoided by setting 23 or 24 lines per page, kept only if that saves the page.
    data, pages, fill = render(LINES_PER_PAGE)
    if pages > 1 and fill <= SQUEEZE_MAX_LINES * LINE_PITCH + 0.01:
        for lines in SQUEEZE_LINES_PER_PAGE:
            if render(lines, layout_only=True)[1] < pages:
                data, pages, _ = render(lines)
                break
    return data, pages


def bulletin_pdf(bulletin_or_text: Bulletin | str, path: str | os.PathLike[str], *,
                 charts: BulletinCharts | None = FROM_BULLETIN,
                 fonts: Mapping[str, ResolvedFont] | None = None,
                 invariant: bool = False) -> int:
    """Print the 通报 to ``path`` (written atomically); the number of pages. See
    :func:`bulletin_pdf_bytes`."""
    data, pages = bulletin_pdf_bytes(bulletin_or_text, charts=charts, fonts=fonts,
                                     invariant=invariant)
    write_atomically(path, lambda fh: fh.write(data))
    return pages
