"""Print preview for any PDF the app makes: page through it, zoom, print, save a copy, or hand it
to the system's PDF reader.

Printing renders each page to an image at the printer's resolution (capped, see ``MAX_PRINT_DPI``)
and paints it on the printer, so what comes out of the printer is exactly what the preview shows,
whatever driver the office has.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QEvent, QMarginsF, QPointF, QRect, QSize, QSizeF, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QShortcut,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from govdesk.gui import messages, ui_state

GEOMETRY_KEY = "preview/geometry"
SAVE_DIR_KEY = "pdf_save"
# 1200 dpi (QPrinter's HighResolution on most drivers) would make a 550 MB image per A4 page;
# 300 dpi is what office laser printers print text at and keeps a page near 35 MB.
MAX_PRINT_DPI = 300
ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 4.0

LOAD_ERRORS = {
    QPdfDocument.Error.FileNotFound: "找不到这个文件，可能已被移动或删除。",
    QPdfDocument.Error.InvalidFileFormat: "文件已损坏，或者不是 PDF 文件。",
    QPdfDocument.Error.IncorrectPassword: "文件设有密码，无法打开。",
    QPdfDocument.Error.UnsupportedSecurityScheme: "文件的加密方式不受支持，无法打开。",
    QPdfDocument.Error.DataNotYetAvailable: "文件还没有写完，请稍后再试。",
}


class PdfPreviewDialog(QDialog):
    """Shows one PDF file. Use :meth:`show_pdf`; the file itself is never changed."""

    def __init__(
        self,
        pdf_path: str | Path,
        title: str = "打印预览",
        parent: QWidget | None = None,
        suggested_name: str = "",
    ) -> None:
        super().__init__(parent)
        self.pdf_path = Path(pdf_path)
        self.suggested_name = suggested_name or self.pdf_path.name
        self.setWindowTitle(f"{title} — {self.suggested_name}")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.document = QPdfDocument(self)
        error = self.document.load(str(self.pdf_path))
        self.loaded = error == QPdfDocument.Error.None_ and self.document.pageCount() > 0

        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setDocument(self.document)
        self.navigator = self.view.pageNavigator()

        self._build_ui()
        self._restore_geometry()

        if not self.loaded:
            reason = LOAD_ERRORS.get(error, "文件里没有可显示的页面。")
            messages.warn(parent, f"无法预览“{self.pdf_path.name}”：{reason}", title="无法预览")
            for button in (self.print_button, self.save_button, self.open_button):
                button.setEnabled(False)
        self._update_page_controls()
        self._update_zoom_controls()

    # ---------------------------------------------------------------- layout
    def _build_ui(self) -> None:
        def button(text: str, tip: str, slot, *, checkable: bool = False) -> QPushButton:
            b = QPushButton(text)
            b.setToolTip(tip)
            b.setCheckable(checkable)
            b.setAutoDefault(False)
            b.clicked.connect(slot)
            return b

        def separator() -> QFrame:
            line = QFrame()
            line.setFrameShape(QFrame.Shape.VLine)
            line.setFrameShadow(QFrame.Shadow.Sunken)
            return line

        self.prev_button = button("上一页", "翻到上一页（PgUp）", self.previous_page)
        self.next_button = button("下一页", "翻到下一页（PgDn）", self.next_page)
        self.page_label = QLabel()
        self.page_label.setMinimumWidth(120)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.zoom_out_button = button("－", "缩小（Ctrl+减号）", self.zoom_out)
        self.zoom_in_button = button("＋", "放大（Ctrl+加号）", self.zoom_in)
        for b in (self.zoom_out_button, self.zoom_in_button):
            b.setFixedWidth(36)
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.actual_size_button = button("100%", "按实际大小显示", self.zoom_actual_size)
        self.fit_width_button = button(
            "适合宽度", "页面宽度铺满窗口", self.fit_width, checkable=True
        )
        self.fit_page_button = button("适合页面", "整页显示在窗口内", self.fit_page, checkable=True)

        top = QHBoxLayout()
        for w in (
            self.prev_button,
            self.next_button,
            self.page_label,
            separator(),
            self.zoom_out_button,
            self.zoom_label,
            self.zoom_in_button,
            self.actual_size_button,
            self.fit_width_button,
            self.fit_page_button,
        ):
            top.addWidget(w)
        top.addStretch(1)

        self.status_label = QLabel()
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = button(
            "用系统程序打开", "用电脑上的 PDF 阅读器打开", self._open_external
        )
        self.save_button = button("另存为…", "把这份 PDF 另存一份", self._save_as)
        self.print_button = button("打印…", "选择打印机并打印（Ctrl+P）", self._print)
        self.close_button = button("关闭", "关闭预览", self.reject)

        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        for w in (self.open_button, self.save_button, self.print_button, self.close_button):
            bottom.addWidget(w)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

        self.navigator.currentPageChanged.connect(self._update_page_controls)
        self.view.zoomModeChanged.connect(self._update_zoom_controls)
        self.view.zoomFactorChanged.connect(self._update_zoom_controls)
        self.view.viewport().installEventFilter(self)

        for keys, slot in (
            (QKeySequence.StandardKey.Print, self._print),
            (QKeySequence.StandardKey.ZoomIn, self.zoom_in),
            (QKeySequence.StandardKey.ZoomOut, self.zoom_out),
            (QKeySequence(Qt.Key.Key_PageUp), self.previous_page),
            (QKeySequence(Qt.Key.Key_PageDown), self.next_page),
        ):
            QShortcut(keys, self, activated=slot)

    def _restore_geometry(self) -> None:
        saved = ui_state.load_bytes(GEOMETRY_KEY)
        if saved is None or not self.restoreGeometry(saved):
            self.resize(900, 1000)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self.loaded:
            # The warning has been shown; an empty preview is no use to anyone.
            QTimer.singleShot(0, self.reject)

    def done(self, result: int) -> None:
        ui_state.save_bytes(GEOMETRY_KEY, self.saveGeometry())
        super().done(result)

    # ------------------------------------------------------------ navigation
    @property
    def page_count(self) -> int:
        return self.document.pageCount() if self.loaded else 0

    @property
    def current_page(self) -> int:
        """The page shown, counted from 1 as the label shows it."""
        return self.navigator.currentPage() + 1

    def go_to_page(self, page: int) -> None:
        """Jump to ``page`` (from 1); out-of-range pages are clamped."""
        if not self.page_count:
            return
        index = max(0, min(page - 1, self.page_count - 1))
        self.navigator.jump(index, QPointF(), self.navigator.currentZoom())
        self._update_page_controls()

    def previous_page(self) -> None:
        self.go_to_page(self.current_page - 1)

    def next_page(self) -> None:
        self.go_to_page(self.current_page + 1)

    def _update_page_controls(self) -> None:
        count = self.page_count
        page = self.current_page if count else 0
        self.page_label.setText(f"第 {page} 页 / 共 {count} 页")
        self.prev_button.setEnabled(page > 1)
        self.next_button.setEnabled(0 < page < count)

    # ------------------------------------------------------------------ zoom
    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._update_zoom_controls()

    def fit_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self._update_zoom_controls()

    def zoom_actual_size(self) -> None:
        self._set_custom_zoom(1.0)

    def zoom_in(self) -> None:
        self._set_custom_zoom(self.effective_zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_custom_zoom(self.effective_zoom() / ZOOM_STEP)

    def _set_custom_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, factor)))
        self._update_zoom_controls()

    def effective_zoom(self) -> float:
        """The zoom on screen, also in the fit modes (where QPdfView keeps zoomFactor unchanged)."""
        mode = self.view.zoomMode()
        if mode == QPdfView.ZoomMode.Custom or not self.page_count:
            return self.view.zoomFactor()
        page = self.document.pagePointSize(max(0, self.navigator.currentPage()))
        # QPdfView lays pages out at screen dpi: 1.0 means one point is dpi/72 pixels.
        scale = self.view.logicalDpiX() / 72.0
        margins = self.view.documentMargins()
        width = self.view.viewport().width() - margins.left() - margins.right()
        height = self.view.viewport().height() - margins.top() - margins.bottom()
        if page.width() <= 0 or page.height() <= 0 or width <= 0:
            return self.view.zoomFactor()
        factor = width / (page.width() * scale)
        if mode == QPdfView.ZoomMode.FitInView and height > 0:
            factor = min(factor, height / (page.height() * scale))
        return factor

    def _update_zoom_controls(self) -> None:
        mode = self.view.zoomMode()
        self.fit_width_button.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.fit_page_button.setChecked(mode == QPdfView.ZoomMode.FitInView)
        self.zoom_label.setText(f"{round(self.effective_zoom() * 100)}%")
        enabled = self.page_count > 0
        factor = self.effective_zoom()
        self.zoom_in_button.setEnabled(enabled and factor < ZOOM_MAX - 1e-6)
        self.zoom_out_button.setEnabled(enabled and factor > ZOOM_MIN + 1e-6)
        for b in (self.actual_size_button, self.fit_width_button, self.fit_page_button):
            b.setEnabled(enabled)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._update_zoom_controls()  # the fit modes change their zoom with the window
        return super().eventFilter(watched, event)

    # -------------------------------------------------------------- printing
    def _new_printer(self) -> QPrinter:
        """A high-resolution printer whose paper matches the PDF's first page (A4 if unknown)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        size = self.document.pagePointSize(0) if self.page_count else QSizeF()
        if size.width() > 0 and size.height() > 0:
            portrait = QSizeF(min(size.width(), size.height()), max(size.width(), size.height()))
            page_size = QPageSize(
                portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch
            )
            orientation = (
                QPageLayout.Orientation.Landscape
                if size.width() > size.height()
                else QPageLayout.Orientation.Portrait
            )
        else:
            page_size = QPageSize(QPageSize.PageSizeId.A4)
            orientation = QPageLayout.Orientation.Portrait
        printer.setPageLayout(QPageLayout(page_size, orientation, QMarginsF()))
        # The PDF carries its own margins (GB/T 9704 for documents); print it edge to edge.
        printer.setFullPage(True)
        printer.setFromTo(1, self.page_count)
        return printer

    def _ask_printer(self) -> QPrinter | None:
        """The printer the user chose, with page range and copies, or None if they cancelled."""
        printer = self._new_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        dialog.setMinMax(1, self.page_count)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _print(self) -> None:
        if not self.page_count:
            return
        printer = self._ask_printer()
        if printer is None:
            return
        # fromPage/toPage are 0 when the user chose "all pages".
        from_page = printer.fromPage() or 1
        to_page = printer.toPage() or None
        printed = self.print_to(printer, from_page, to_page)
        if printed:
            self.status_label.setText(f"已送打印：{printed} 页")

    def print_to(self, printer: QPrinter, from_page: int = 1, to_page: int | None = None) -> int:
        """Print pages ``from_page``..``to_page`` (from 1, inclusive) on ``printer``.

        Copies are made here when the printer cannot make them itself (PDF output, some drivers),
        collated: 1-2-3, 1-2-3. Returns the number of sheets painted, 0 on failure (after a
        warning)."""
        count = self.page_count
        if not count:
            return 0
        first = max(1, from_page)
        last = min(count, to_page if to_page else count)
        if first > last:
            messages.warn(self, f"页码范围不对：这份文件共 {count} 页。", title="无法打印")
            return 0
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        dpi = min(printer.resolution(), MAX_PRINT_DPI)

        painter = QPainter()
        if not painter.begin(printer):
            messages.warn(
                self,
                "无法开始打印：打印机没有响应。请检查打印机是否开机、已连接，"
                "或者换一台打印机再试。",
                title="无法打印",
            )
            return 0
        sheets = 0
        try:
            for _ in range(copies):
                for page in range(first - 1, last):
                    if sheets and not printer.newPage():
                        raise OSError("newPage failed")
                    self._paint_page(painter, printer, page, dpi)
                    sheets += 1
        except OSError:
            painter.end()
            messages.warn(
                self, "打印中途出错，没有全部打完。请检查打印机后重新打印。", title="打印出错"
            )
            return 0
        painter.end()
        return sheets

    def _paint_page(self, painter: QPainter, printer: QPrinter, page: int, dpi: int) -> None:
        points = self.document.pagePointSize(page)
        pixels = QSize(
            max(1, round(points.width() * dpi / 72)), max(1, round(points.height() * dpi / 72))
        )
        image = self.document.render(page, pixels)
        if image.isNull():
            raise OSError(f"could not render page {page + 1}")
        # Fit the page in the paper, keeping its proportions, centred (a no-op when sizes match).
        paper = printer.pageLayout().fullRectPixels(printer.resolution())
        if not printer.fullPage():
            paper = printer.pageLayout().paintRectPixels(printer.resolution())
            paper.moveTo(0, 0)
        scaled = pixels.scaled(paper.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, scaled.width(), scaled.height())
        target.moveCenter(QRect(0, 0, paper.width(), paper.height()).center())
        painter.drawImage(target, image)

    # -------------------------------------------------------- save and open
    def _choose_save_path(self) -> str:
        """Where to save a copy; '' if the user cancelled."""
        start = Path(ui_state.last_dir(SAVE_DIR_KEY, str(Path.home()))) / self.suggested_name
        path, _ = QFileDialog.getSaveFileName(self, "另存为", str(start), "PDF 文件 (*.pdf)")
        return path

    def _save_as(self) -> None:
        chosen = self._choose_save_path()
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        if self.save_copy(target):
            ui_state.set_last_dir(SAVE_DIR_KEY, str(target.parent))
            self.status_label.setText(f"已另存为：{target}")

    def save_copy(self, target: Path) -> bool:
        """Copy the PDF to ``target`` atomically: a half-written file never takes its place."""
        temp_name = ""
        try:
            data = self.pdf_path.read_bytes()
            fd, temp_name = tempfile.mkstemp(
                prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent
            )
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp_name, target)
        except OSError as exc:
            if temp_name:
                Path(temp_name).unlink(missing_ok=True)
            reason = exc.strerror or str(exc)
            messages.warn(
                self,
                f"无法保存“{target.name}”：{reason}\n"
                "请检查文件夹是否存在、是否有写入权限，或者这个文件是否正被其他程序打开，"
                "然后换个位置或文件名再试。",
                title="保存失败",
            )
            return False
        return True

    def _open_external(self) -> None:
        url = QUrl.fromLocalFile(str(self.pdf_path.resolve()))
        if not QDesktopServices.openUrl(url):
            messages.warn(
                self,
                f"没能用系统程序打开“{self.pdf_path.name}”。"
                "这台电脑可能还没有安装 PDF 阅读器，可以先“另存为”再打开。",
                title="无法打开",
            )

    # ------------------------------------------------------------------ entry
    @classmethod
    def show_pdf(
        cls,
        parent: QWidget | None,
        pdf_path: str | Path,
        title: str = "打印预览",
        suggested_name: str = "",
    ) -> None:
        dialog = cls(pdf_path, title, parent, suggested_name)
        if dialog.loaded:
            dialog.exec()
        dialog.deleteLater()
