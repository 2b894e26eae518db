"""The PDF preview dialog: paging, zoom, printing to a PDF-file printer, save-as, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter

from govdesk.gui import messages
from govdesk.gui.dialogs import pdf_preview_dialog as module
from govdesk.gui.dialogs.pdf_preview_dialog import PdfPreviewDialog

A4_POINTS = (595.28, 841.89)


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """QSettings in the test's folder; warnings recorded instead of shown."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    warnings: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda parent, text, title="提示": warnings.append(text))
    return warnings


@pytest.fixture
def pdf_file(tmp_path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "三页通知.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for n in range(1, 4):
        c.setFont("Helvetica-Bold", 120)
        c.drawCentredString(A4[0] / 2, A4[1] / 2, f"Page {n}")
        c.setFont("Helvetica", 24)
        c.drawString(72, A4[1] - 100, "govdesk preview test")
        c.rect(50, 50, A4[0] - 100, A4[1] - 100)
        c.showPage()
    c.save()
    return path


@pytest.fixture
def dialog(qtbot, pdf_file):
    dlg = PdfPreviewDialog(pdf_file, suggested_name="通知.pdf")
    qtbot.addWidget(dlg)
    dlg.resize(900, 1000)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(150)  # keeps the embedded page images small and the test fast
    return printer


def assert_a4(page) -> None:
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert width == pytest.approx(A4_POINTS[0], abs=2)
    assert height == pytest.approx(A4_POINTS[1], abs=2)


def test_loads_and_shows_page_count(dialog, isolated):
    assert dialog.loaded
    assert dialog.page_label.text() == "第 1 页 / 共 3 页"
    assert dialog.view.pageMode() == QPdfView.PageMode.MultiPage
    assert not dialog.prev_button.isEnabled()
    assert dialog.next_button.isEnabled()
    assert isolated == []


def test_next_and_previous_move_the_page(dialog, qtbot):
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.page_label.text() == "第 2 页 / 共 3 页")
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.page_label.text() == "第 3 页 / 共 3 页")
    assert not dialog.next_button.isEnabled()
    dialog.prev_button.click()
    qtbot.waitUntil(lambda: dialog.page_label.text() == "第 2 页 / 共 3 页")
    assert dialog.prev_button.isEnabled()


def test_zoom_buttons_change_the_view(dialog):
    view = dialog.view
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert dialog.fit_width_button.isChecked()

    dialog.fit_page_button.click()
    assert view.zoomMode() == QPdfView.ZoomMode.FitInView
    assert dialog.fit_page_button.isChecked() and not dialog.fit_width_button.isChecked()

    dialog.actual_size_button.click()
    assert view.zoomMode() == QPdfView.ZoomMode.Custom
    assert view.zoomFactor() == pytest.approx(1.0)
    assert dialog.zoom_label.text() == "100%"

    dialog.zoom_in_button.click()
    assert view.zoomFactor() == pytest.approx(1.25)
    dialog.zoom_out_button.click()
    dialog.zoom_out_button.click()
    assert view.zoomFactor() == pytest.approx(0.8)

    dialog.fit_width_button.click()
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    fit = dialog.effective_zoom()
    dialog.zoom_in_button.click()  # zooms from what is on screen, not from a stale factor
    assert view.zoomFactor() == pytest.approx(fit * 1.25, rel=0.01)


def test_print_to_pdf_printer_writes_all_pages(dialog, tmp_path):
    out = tmp_path / "printed.pdf"
    assert dialog.print_to(pdf_printer(out)) == 3
    reader = PdfReader(out)
    assert len(reader.pages) == 3
    for page in reader.pages:
        assert_a4(page)


def test_print_page_range(dialog, tmp_path):
    out = tmp_path / "range.pdf"
    assert dialog.print_to(pdf_printer(out), 2, 3) == 2
    assert len(PdfReader(out).pages) == 2


def test_print_button_uses_chosen_printer_range_and_copies(dialog, tmp_path, monkeypatch):
    out = tmp_path / "chosen.pdf"
    printer = dialog._new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(150)
    printer.setFromTo(2, 2)
    printer.setCopyCount(2)
    monkeypatch.setattr(dialog, "_ask_printer", lambda: printer)
    dialog.print_button.click()
    reader = PdfReader(out)
    assert len(reader.pages) == 2  # page 2, twice
    assert_a4(reader.pages[0])
    assert "2" in dialog.status_label.text()


def test_cancelled_print_dialog_prints_nothing(dialog, monkeypatch):
    monkeypatch.setattr(dialog, "_ask_printer", lambda: None)
    monkeypatch.setattr(dialog, "print_to", lambda *a: pytest.fail("printed after cancel"))
    dialog.print_button.click()


def test_save_as_copies_bytes_exactly(dialog, pdf_file, tmp_path, monkeypatch, isolated):
    target = tmp_path / "存档" / "另存的通知"
    target.parent.mkdir()
    monkeypatch.setattr(dialog, "_choose_save_path", lambda: str(target))
    dialog.save_button.click()
    saved = target.with_name("另存的通知.pdf")
    assert saved.read_bytes() == pdf_file.read_bytes()
    assert sorted(p.name for p in target.parent.iterdir()) == ["另存的通知.pdf"]
    assert isolated == []
    assert QSettings("govdesk", "govdesk").value(f"dirs/{module.SAVE_DIR_KEY}") == str(
        target.parent
    )


def test_save_as_unwritable_target_warns_and_leaves_no_temp(
    dialog, tmp_path, monkeypatch, isolated
):
    folder = tmp_path / "out"
    folder.mkdir()
    blocked = folder / "占用.pdf"
    blocked.mkdir()  # a folder where the file should go: os.replace must fail
    monkeypatch.setattr(dialog, "_choose_save_path", lambda: str(blocked))
    dialog.save_button.click()
    assert len(isolated) == 1 and "占用.pdf" in isolated[0]
    assert [p.name for p in folder.iterdir()] == ["占用.pdf"]
    assert blocked.is_dir()


def test_save_as_into_missing_folder_warns(dialog, tmp_path, monkeypatch, isolated):
    monkeypatch.setattr(dialog, "_choose_save_path", lambda: str(tmp_path / "无" / "a.pdf"))
    dialog.save_button.click()
    assert len(isolated) == 1 and "a.pdf" in isolated[0]


def test_cancelled_save_does_nothing(dialog, monkeypatch, isolated):
    monkeypatch.setattr(dialog, "_choose_save_path", lambda: "")
    dialog.save_button.click()
    assert isolated == [] and dialog.status_label.text() == ""


def test_open_external_hands_the_file_to_the_system(dialog, pdf_file, monkeypatch):
    opened = []
    monkeypatch.setattr(module.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog.open_button.click()
    assert [u.toLocalFile() for u in opened] == [str(pdf_file.resolve())]


def test_corrupt_pdf_warns_and_closes(qtbot, tmp_path, isolated, monkeypatch):
    bad = tmp_path / "坏文件.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda self: pytest.fail("exec on a bad file"))
    PdfPreviewDialog.show_pdf(None, bad)
    assert len(isolated) == 1 and "坏文件.pdf" in isolated[0]

    dlg = PdfPreviewDialog(bad)
    qtbot.addWidget(dlg)
    assert not dlg.loaded and not dlg.print_button.isEnabled()
    assert dlg.page_label.text() == "第 0 页 / 共 0 页"
    assert dlg.print_to(pdf_printer(tmp_path / "x.pdf")) == 0
    dlg.show()
    qtbot.waitUntil(lambda: not dlg.isVisible())


def test_missing_file_warns(qtbot, tmp_path, isolated):
    dlg = PdfPreviewDialog(tmp_path / "不存在.pdf")
    qtbot.addWidget(dlg)
    assert not dlg.loaded
    assert "不存在.pdf" in isolated[0] and "找不到" in isolated[0]


def test_window_size_is_remembered(qtbot, pdf_file):
    first = PdfPreviewDialog(pdf_file)
    qtbot.addWidget(first)
    first.resize(820, 700)
    first.show()
    qtbot.waitExposed(first)
    first.reject()
    second = PdfPreviewDialog(pdf_file)
    qtbot.addWidget(second)
    # The offscreen screen is 800 px wide and restoreGeometry keeps windows on screen, so only
    # the height is exact; the width just has to differ from the 900 px default.
    assert second.height() == 700 and second.width() < 900


def test_screenshot(dialog, qtbot):
    dialog.resize(900, 1000)
    qtbot.waitUntil(lambda: dialog.view.viewport().width() > 600)
    assert dialog.zoom_label.text() != "100%"  # fit to width on a 900 px window

    def page_drawn() -> bool:  # QPdfView renders pages in a worker thread
        image = dialog.view.viewport().grab().toImage()
        centre = image.pixelColor(image.width() // 2, image.height() // 2)
        return (
            any(
                image.pixelColor(x, image.height() // 3).lightness() < 100
                for x in range(0, image.width(), 2)
            )
            or centre.lightness() < 100
        )

    qtbot.waitUntil(page_drawn, timeout=5000)
    assert dialog.grab().save(str(Path("/tmp/preview.png")))
