"""Print buttons produce the PDF off the GUI thread and hand it to the preview."""

from datetime import date

import pypdf
import pytest
from conftest import approve_all, notice_input

from govdesk.gui import messages, printing_actions
from govdesk.gui.pages.boards_page import BoardsPage
from govdesk.gui.pages.notices_page import NoticesPage
from govdesk.operations import notices as ops
from govdesk.operations import postings


@pytest.fixture
def previews(monkeypatch):
    shown = []
    monkeypatch.setattr(printing_actions, "show_preview",
                        lambda _parent, path, name: shown.append((path, name)))
    monkeypatch.setattr(messages, "warn", lambda _p, text, *a: shown.append(("warn", text)))
    return shown


@pytest.fixture
def posted(ctx, users, org):
    n = ops.create_notice(ctx, notice_input(ctx))
    approve_all(ctx, users, n.id)
    postings.post_notice(ctx, n.id, [org["b_liuhe"]], posted_on=date(2025, 11, 10))
    return n


def _text(path):
    return "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def test_print_notice_a4_and_a3(qtbot, ctx, posted, previews):
    page = NoticesPage(ctx)
    qtbot.addWidget(page)
    page.select_notice(posted.id)
    page.print_a4_action.trigger()
    path, name = previews[-1]
    assert name.endswith(".pdf") and "/" not in name
    reader = pypdf.PdfReader(path)
    assert round(float(reader.pages[0].mediabox.width)) == 595
    assert "低保对象" in _text(path)
    page.print_a3_action.trigger()
    assert round(float(pypdf.PdfReader(previews[-1][0]).pages[0].mediabox.width)) == 842


def test_print_ledger_from_the_register(qtbot, ctx, posted, previews):
    page = NoticesPage(ctx)
    qtbot.addWidget(page)
    page.print_ledger()
    path, _name = previews[-1]
    first = pypdf.PdfReader(path).pages[0]
    assert float(first.mediabox.width) > float(first.mediabox.height)  # landscape
    assert posted.title[:8] in _text(path)


def test_board_sheet_and_batch(qtbot, ctx, org, posted, previews):
    page = BoardsPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    rows = [r for r in range(page.board_model.rowCount())
            if page.board_model.record(r).board.id == org["b_liuhe"]]
    page.board_view.selectRow(rows[0])
    assert page.print_sheet_button.isEnabled() and page.print_batch_button.isEnabled()
    page.print_sheet_button.click()
    assert "柳河村村务公开栏" in _text(previews[-1][0])
    page.print_batch_button.click()
    batch = previews[-1][0]
    assert len(pypdf.PdfReader(batch).pages) >= 2  # cover list + the notice
    assert posted.title[:8] in _text(batch)


def test_date_range_batch_from_the_register(qtbot, ctx, posted, previews, monkeypatch):
    from govdesk.gui.dialogs.date_range_dialog import DateRangeDialog

    monkeypatch.setattr(DateRangeDialog, "ask",
                        classmethod(lambda cls, *a: (date(2025, 11, 1), date(2025, 11, 30))))
    page = NoticesPage(ctx)
    qtbot.addWidget(page)
    page.print_date_range()
    path, name = previews[-1]
    assert name == "批量打印-20251101-20251130.pdf"
    assert posted.title[:8] in _text(path)


def test_date_range_dialog_refuses_a_reversed_range(qtbot):
    from govdesk.gui.dialogs.date_range_dialog import DateRangeDialog

    dialog = DateRangeDialog("t", "h", date(2025, 11, 30), date(2025, 11, 1))
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.error_label.text() == "结束日期不能早于开始日期"
    assert dialog.result() != DateRangeDialog.DialogCode.Accepted
