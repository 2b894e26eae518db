"""The 考核 page in the main window: reachable from the navigation, and unsaved 月抽查 edits
are asked about before the app closes."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from govdesk.gui import messages  # noqa: E402
from govdesk.gui.main_window import MainWindow  # noqa: E402
from govdesk.gui.pages.assessment_page import AssessmentPage  # noqa: E402


def test_closing_with_unsaved_month_edits_asks_first(qtbot, ctx, users, org, monkeypatch):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("assessment")
    assert isinstance(page, AssessmentPage)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "月抽查", "季度考核", "年度汇总", "考核细则"]
    assert page.unsaved_work() == []

    edit = page.month_tab.checker_edit
    edit.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString("李检查")
    QApplication.sendEvent(edit, event)
    assert page.unsaved_work() == ["月抽查"]

    asked = []
    monkeypatch.setattr(messages, "confirm",
                        lambda parent, text, title="请确认", ok="确定": asked.append(text) or False)
    window.close()
    assert window.isVisible() and "“月抽查”有未保存的修改" in asked[0]

    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    window.close()
    assert not window.isVisible()
