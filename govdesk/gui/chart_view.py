"""Charts on screen, drawn by the same code as the printed 通报 (export.bulletin_pdf): the
reportlab Drawings are written to a small PDF in memory on a worker thread (the CJK font is
resolved and parsed there, ~0.2 s the first time) and QtPdf renders each page to an image at
the widget's width. So the screen shows exactly the chart that will be printed, Chinese labels
included, without QtCharts (PySide6-Addons is not a dependency).

Rendering is lazy: a chart source set while the widget is hidden is only made when the widget
is first shown. Resizing re-renders the pages from the PDF already made (a few ms each).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFontInfo, QImage, QPainter, QPaintEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

__all__ = ["ChartPage", "ChartView", "charts_pdf", "ranking_chart", "trend_chart"]

CAPTION_GAP = 6
PAGE_GAP = 18
MAX_SCALE = 1.8  # pixels per PDF point: beyond this the labels look oversized
CHART_LABEL_PT = 10.0  # export.bulletin_pdf.LABEL_SIZE (not imported: reportlab stays lazy)


@dataclass(frozen=True)
class ChartPage:
    """One chart: its caption (shown above it) and a function making the reportlab Drawing.
    ``make`` runs on a worker thread and gets the resolved fonts (export.fonts)."""

    caption: str
    make: Callable[[Any], Any]


def ranking_chart(caption: str, ranking: Sequence[tuple[str, Decimal]],
                  axis_max: Decimal) -> ChartPage:
    """The 通报's 图1: a horizontal bar per community, best first."""

    def make(fonts: Any) -> Any:
        from govdesk.export.bulletin_pdf import label_width, ranking_drawing

        font = fonts["body"].name
        names = [n for n, _ in ranking]
        return ranking_drawing(names, [float(s) for _, s in ranking], float(axis_max), font,
                               label_width(names, font))

    return ChartPage(caption, make)


def trend_chart(caption: str, quarters: Sequence[str],
                trend: Sequence[tuple[str, Sequence[Decimal | None]]],
                axis_max: Decimal) -> ChartPage:
    """The 通报's 图2: a row per community, a marker per quarter."""

    def make(fonts: Any) -> Any:
        from govdesk.export.bulletin_pdf import label_width, trend_drawing

        font = fonts["body"].name
        names = [n for n, _ in trend]
        series = [[None if v is None else float(v) for v in s] for _, s in trend]
        return trend_drawing(names, series, list(quarters), float(axis_max), font,
                             label_width(names, font))

    return ChartPage(caption, make)


def charts_pdf(pages: Sequence[ChartPage], font_overrides: dict[str, str] | None = None) -> bytes:
    """A PDF with one page per chart, each page the size of its drawing. No Qt: worker-safe."""
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    from govdesk.export.fonts import resolve_fonts

    fonts = resolve_fonts(font_overrides or None)
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    for page in pages:
        drawing = page.make(fonts)
        canvas.setPageSize((drawing.width, drawing.height))
        renderPDF.draw(drawing, canvas, 0, 0)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


class _Carrier(QObject):
    done = Signal(int, object, object)  # generation, pdf bytes or None, error or None


def _run(carrier: _Carrier, generation: int, fn: Callable[[], bytes]) -> None:
    """The worker thread's body: plain data in, plain data out, no widget touched; the result
    goes back to the GUI thread by a queued signal."""
    try:
        data, error = fn(), None
    except Exception as exc:  # shown in the widget, never lost on the worker
        data, error = None, exc
    carrier.done.emit(generation, data, error)


# Carriers of jobs still running: kept alive here (not by the widget, which may be closed
# before its job ends) and dropped on the GUI thread when their result arrives.
_PENDING: set[_Carrier] = set()


class ChartView(QWidget):
    """Shows chart pages one under another, each captioned, scaled to the widget's width."""

    rendered = Signal()  # the images are on screen (or the empty/error text is)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(self.backgroundRole(), QColor("white"))
        self.setPalette(pal)
        self._pages: tuple[ChartPage, ...] = ()
        self._overrides: dict[str, str] | None = None
        self._text = ""
        self._generation = 0
        self._dirty = False
        self._busy = False
        self._doc: Any = None  # QPdfDocument of the current pages
        self._buffer: QBuffer | None = None
        self._images: list[QImage] = []
        self._sizes: list[tuple[float, float]] = []  # page sizes in points
        self._rendered_width = -1

    # ---- input --------------------------------------------------------------------------------

    def set_charts(self, pages: Sequence[ChartPage], *, empty_text: str = "",
                   font_overrides: dict[str, str] | None = None) -> None:
        """Show ``pages`` (made lazily, off the GUI thread), or ``empty_text`` when none."""
        self._generation += 1
        self._pages = tuple(pages)
        self._overrides = font_overrides
        self._clear_doc()
        self._text = "" if self._pages else empty_text
        self._dirty = bool(self._pages)
        self._busy = False
        if not self._pages:
            self._update_height()
            self.update()
            self.rendered.emit()
        elif self.isVisible():
            self._start()
        else:
            self.update()

    def is_ready(self) -> bool:
        """True when nothing is pending: the images (or the text) are what is shown."""
        return not self._dirty and not self._busy

    def images(self) -> list[QImage]:
        return list(self._images)

    def message(self) -> str:
        return self._text

    # ---- work ---------------------------------------------------------------------------------

    def _start(self) -> None:
        self._dirty = False
        self._busy = True
        self._text = "正在生成统计图……"
        self.update()
        pages, overrides = self._pages, self._overrides
        carrier = _Carrier()
        _PENDING.add(carrier)
        carrier.done.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        threading.Thread(target=_run, name="chart-view", daemon=True,
                         args=(carrier, self._generation,
                               lambda: charts_pdf(pages, overrides))).start()

    def _finished(self, generation: int, data: bytes | None, error: BaseException | None
                  ) -> None:
        carrier = self.sender()
        if isinstance(carrier, _Carrier):
            _PENDING.discard(carrier)
            carrier.deleteLater()
        if generation != self._generation:
            return  # superseded by newer data
        self._busy = False
        if error is not None or data is None:
            from govdesk.core.errors import UserError

            detail = error.message if isinstance(error, UserError) else str(error)
            self._text = f"统计图生成失败：{detail}"
            self.update()
            self.rendered.emit()
            return
        from PySide6.QtPdf import QPdfDocument

        self._buffer = QBuffer()
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._doc = QPdfDocument(self)
        self._doc.load(self._buffer)
        self._sizes = [(self._doc.pagePointSize(i).width(), self._doc.pagePointSize(i).height())
                       for i in range(self._doc.pageCount())]
        self._text = ""
        self._rendered_width = -1
        self._render_images()
        self.rendered.emit()

    def _clear_doc(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc.deleteLater()
        self._doc = None
        self._buffer = None
        self._images = []
        self._sizes = []
        self._rendered_width = -1

    # ---- layout and painting ------------------------------------------------------------------

    def _columns(self, width: int) -> int:
        """Two charts side by side when each still gets its printed size (1 px per point)."""
        if len(self._sizes) < 2:
            return 1
        widest = max(w for w, _ in self._sizes)
        return 2 if width >= 2 * widest + 3 * 8 else 1

    def _scale(self, width: int) -> float:
        widest = max((w for w, _ in self._sizes), default=1.0)
        cols = self._columns(width)
        room = (width - 8 * (cols + 1)) / cols
        return max(0.3, min(self._max_scale(), room / widest))

    def _max_scale(self) -> float:
        """Never larger than the text around it: the chart's labels at most the size of the
        widget's own font (a wide window otherwise blew them up to half again its size)."""
        text_px = QFontInfo(self.font()).pixelSize()
        return min(MAX_SCALE, max(1.0, text_px / CHART_LABEL_PT))

    def _caption_height(self) -> int:
        return self.fontMetrics().height() + CAPTION_GAP

    def _slots(self, width: int) -> list[QRect]:
        """Where each page goes (caption included): a column, or two side by side."""
        scale = self._scale(width)
        cols = self._columns(width)
        cell_w = (width - 8 * (cols + 1)) // cols
        out: list[QRect] = []
        y = 8
        for row_start in range(0, len(self._sizes), cols):
            row = self._sizes[row_start:row_start + cols]
            row_h = max(round(h * scale) for _, h in row) + self._caption_height()
            for k in range(len(row)):
                out.append(QRect(8 + k * (cell_w + 8), y, cell_w, row_h))
            y += row_h + PAGE_GAP
        return out

    def _layout_height(self, width: int) -> int:
        if not self._sizes:
            return self.fontMetrics().height() * 3
        slots = self._slots(width)
        return max(r.bottom() for r in slots) + 8

    def _update_height(self) -> None:
        self.setMinimumHeight(self._layout_height(max(self.width(), 200)))

    def _render_images(self) -> None:
        if self._doc is None:
            return
        width = max(self.width(), 200)
        if width == self._rendered_width:
            return
        self._rendered_width = width
        scale = self._scale(width)
        ratio = self.devicePixelRatioF()
        self._images = []
        for i, (w, h) in enumerate(self._sizes):
            size = QSize(max(1, round(w * scale * ratio)), max(1, round(h * scale * ratio)))
            image = self._doc.render(i, size)
            image.setDevicePixelRatio(ratio)
            self._images.append(image)
        self._update_height()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(640, self._layout_height(640))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self._start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._doc is not None and event.size().width() != event.oldSize().width():
            self._render_images()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self._text or not self._images:
            painter.setPen(QColor("#666666"))
            painter.drawText(self.rect().adjusted(12, 12, -12, -12),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                             | Qt.TextFlag.TextWordWrap, self._text)
            return
        captions = [p.caption for p in self._pages]
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#333333"))
        ch = self._caption_height()
        for i, (image, slot) in enumerate(zip(self._images, self._slots(self.width()),
                                              strict=False)):
            caption = captions[i] if i < len(captions) else ""
            painter.drawText(QRect(slot.x(), slot.y(), slot.width(), ch),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, caption)
            painter.drawImage(slot.x(), slot.y() + ch, image)
