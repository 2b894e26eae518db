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


def test_dashboard_banner_reminds_the_clerk_of_last_month(qtbot, ctx, users, org):
    from govdesk.core.scoring import SpotCheck
    from govdesk.gui.pages.dashboard_page import DashboardPage
    from govdesk.operations import scoring

    scoring.save_month(ctx, 2025, 9, [SpotCheck(org["liuhe"], 2025, 9)])
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    assert not page.banner.isHidden()
    assert "2025年10月的月抽查尚未录入" in page.banner.text()


def test_the_dashboards_requests_card_opens_the_requests_page(qtbot, ctx, users):
    from datetime import date

    from govdesk.core.requests import ApplicantKind, Channel, RequestInput
    from govdesk.gui.pages.requests_page import RequestsPage
    from govdesk.operations import requests as request_ops

    # Received 2025-10-20: due 2025-11-17, overdue on 2025-11-20.
    request_ops.register_request(ctx, RequestInput(
        channel=Channel.IN_PERSON, submitted_on=date(2025, 10, 20),
        applicant_kind=ApplicantKind.PERSON, applicant_name="王小明", content="低保名单"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    dashboard = window.show_page("dashboard")
    dashboard.refresh()
    dashboard.show_requests()
    assert isinstance(window.stack.currentWidget(), RequestsPage)
