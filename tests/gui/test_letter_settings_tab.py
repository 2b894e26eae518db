"""设置 → 答复文书: defaults from the township's name, a saved value typed the input-method way,
the live remedy sentence, the refused empty 复议机关, and read-only for non-admins."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from conftest import as_user  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from govdesk.core.org import Role, Township  # noqa: E402
from govdesk.gui import messages  # noqa: E402
from govdesk.gui.pages.letter_settings_tab import LetterSettingsTab  # noqa: E402
from govdesk.operations import org as org_ops  # noqa: E402
from govdesk.operations import request_letters as ops  # noqa: E402


def type_chinese(widget, text: str) -> None:
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture(autouse=True)
def shown(monkeypatch):
    out: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "warn", lambda parent, text, title="提示": out.append(("warn", text)))
    return out


@pytest.fixture
def admin(ctx, users):
    admin = as_user(ctx, users[Role.ADMIN])
    org_ops.update_township(admin, Township(full_name="青山县云溪镇人民政府",
                                            phone="0537-1234567"))
    return admin


def _tab(qtbot, ctx, editable=True) -> LetterSettingsTab:
    tab = LetterSettingsTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    tab.set_editable(editable)
    return tab


def test_defaults_and_saving(qtbot, ctx, admin, shown):
    tab = _tab(qtbot, admin)
    assert tab.review_body_edit.text() == "青山县人民政府"
    assert tab.court_edit.text() == "青山县人民法院"
    assert tab.office_edit.text() == "党政综合办公室" and tab.phone_edit.text() == "0537-1234567"
    assert "向青山县人民政府申请行政复议" in tab.preview_label.text()
    assert "署名：青山县云溪镇人民政府（党政综合办公室）" in tab.preview_label.text()
    type_chinese(tab.contact_edit, "刘欣")
    assert tab.is_dirty()
    tab.refresh()  # switching pages keeps what was typed
    assert tab.contact_edit.text() == "刘欣"
    changed = []
    tab.changed.connect(lambda: changed.append(True))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.saved_label.text() == "已保存" and changed and not tab.is_dirty()
    assert ops.letter_settings(ctx).contact == "刘欣"


def test_empty_review_body_is_refused_and_defaults_fill_it(qtbot, ctx, admin, shown):
    tab = _tab(qtbot, admin)
    tab.review_body_edit.clear()
    assert "请填写行政复议机关和人民法院" in tab.preview_label.text()
    assert tab.save() is False
    assert "请填写行政复议机关" in shown[-1][1]
    qtbot.mouseClick(tab.defaults_button, Qt.MouseButton.LeftButton)
    assert tab.review_body_edit.text() == "青山县人民政府"
    assert tab.save() is True


def test_read_only_for_other_roles(qtbot, ctx, users, admin):
    tab = _tab(qtbot, ctx, editable=False)
    assert tab.review_body_edit.isReadOnly() and not tab.save_button.isEnabled()
    assert not tab.defaults_button.isEnabled()


def test_the_settings_page_has_the_letters_tab(qtbot, ctx, users):
    from govdesk.gui.pages.settings_page import SettingsPage

    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert "答复文书" in titles
    assert page.tabs.widget(titles.index("答复文书")) is page.letter_tab
