"""操作日志 page on a real database: admin-only navigation, filters, the JSON detail, paging, and
the 校验操作日志 button (here and on 设置) against an intact and a tampered log."""

# ruff: noqa: E402  (Qt must not start before the platform is chosen)
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from govdesk.core.org import Role
from govdesk.gui import messages
from govdesk.gui.main_window import MainWindow
from govdesk.gui.pages import audit_page
from govdesk.gui.pages.audit_page import AuditPage, AuditTableModel
from govdesk.gui.pages.settings_page import SettingsPage
from govdesk.operations import audit as audit_ops
from govdesk.operations import notices as notice_ops
from govdesk.operations.context import Context
from govdesk.store import database
from tests.conftest import as_user, notice_input

SCREENSHOT_DIR = os.environ.get("GOVDESK_SCREENSHOT_DIR")


@pytest.fixture
def shown(monkeypatch):
    """What the message functions were asked to show: (kind, text)."""
    seen: list[tuple[str, str]] = []
    for kind in ("info", "warn", "error"):
        monkeypatch.setattr(messages, kind,
                            lambda _p, text, _t="", k=kind: seen.append((k, text)))
    return seen


@pytest.fixture
def admin(ctx, users, org):
    n = notice_ops.create_notice(ctx, notice_input(ctx))
    notice_ops.submit_notice(ctx, n.id)
    return as_user(ctx, users[Role.ADMIN])


def _page(qtbot, ctx) -> AuditPage:
    page = AuditPage(ctx)
    qtbot.addWidget(page)
    page.resize(1180, 680)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    return page


def test_only_the_admin_sees_the_page_in_the_navigation(qtbot, ctx, users):
    for role, visible in ((Role.ADMIN, True), (Role.CLERK, False), (Role.UNIT_HEAD, False)):
        window = MainWindow(as_user(ctx, users[role]))
        qtbot.addWidget(window)
        items = [window.nav.item(i) for i in range(window.nav.count())]
        audit_item = next(i for i in items if i.text() == "操作日志")
        assert audit_item.isHidden() is not visible
    window = MainWindow(as_user(ctx, users[Role.ADMIN]))
    qtbot.addWidget(window)
    assert isinstance(window.show_page("audit"), AuditPage)


def test_filter_select_detail_and_verify(qtbot, admin, users, shown, tmp_path):
    page = _page(qtbot, admin)
    assert page.model.rowCount() == audit_ops.count_audit(admin)
    assert page.code_label.text() == f"审计校验码：{audit_ops.audit_code(admin)}"
    clerk = users[Role.CLERK]
    page.set_user(clerk.id)
    rows = [page.model.row(i) for i in range(page.model.rowCount())]
    assert rows and {r.actor for r in rows} == {"刘欣"}
    assert page.page_label.text() == f"第 1 / 1 页，共 {len(rows)} 条"

    page.view.selectRow(0)  # newest first: the submit
    assert page.detail_title.text().startswith(f"第{rows[0].seq}条")
    detail = json.loads(page.detail.toPlainText())
    assert detail["before"] == {"status": "草稿"} and detail["after"]["status"] == "待审批"
    assert "\n  " in page.detail.toPlainText()  # pretty-printed

    page.action_combo.setCurrentIndex(page.action_combo.findData("create"))
    assert [page.model.row(i).action for i in range(page.model.rowCount())] == ["create"]
    page.reset_filters()
    assert page.user_combo.currentData() is None

    before = audit_ops.count_audit(admin)
    qtbot.mouseClick(page.verify_button, audit_page.Qt.MouseButton.LeftButton)
    assert [k for k, _t in shown] == ["info"]
    assert "校验通过" in shown[0][1] and audit_page.OK_COLOR in shown[0][1]
    assert f"共 {before} 条" in shown[0][1]
    assert page.model.row(0).action_label == "校验操作日志"  # refreshed with the check itself
    page.grab().save(str(tmp_path / "audit-page.png"))
    if SCREENSHOT_DIR:
        page.grab().save(str(Path(SCREENSHOT_DIR) / "audit-page-test.png"))


def test_paging(qtbot, admin, monkeypatch):
    monkeypatch.setattr(audit_page, "PAGE_SIZE", 5)
    for i in range(8):
        admin.audit("print", "notice", i, paper="A4")
    page = _page(qtbot, admin)
    total = audit_ops.count_audit(admin)
    pages = -(-total // 5)
    assert page.model.rowCount() == 5 and not page.prev_button.isEnabled()
    first = page.model.row(0).seq
    page.next_button.click()
    assert page.model.row(0).seq == first - 5 and page.prev_button.isEnabled()
    assert page.page_label.text() == f"第 2 / {pages} 页，共 {total} 条"
    while page.next_button.isEnabled():
        page.next_button.click()
    assert page.model.row(page.model.rowCount() - 1).seq == 1
    page.prev_button.click()
    assert page.page_label.text().startswith(f"第 {pages - 1} / {pages} 页")


def test_tampered_copy_is_reported_with_its_seq(qtbot, ctx, admin, shown, tmp_path):
    path = database.path_of(ctx.db)
    database.close(ctx.db)
    copy = tmp_path / "tampered.db"
    shutil.copyfile(path, copy)
    conn = sqlite3.connect(copy)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor_id = 3 WHERE seq = 4")
    conn.commit()
    conn.close()
    db = database.connect(copy)
    try:
        page = _page(qtbot, Context(db, user=admin.user, clock=ctx.clock))
        verdict = page.verify()
        assert verdict is not None and verdict.first_bad_seq == 4
        assert [k for k, _t in shown] == ["error"]
        assert "操作日志第4条" in shown[0][1] and audit_page.BAD_COLOR in shown[0][1]
    finally:
        database.close(db)


def test_settings_page_button_uses_the_same_check(qtbot, ctx, users, shown):
    admin_page = SettingsPage(as_user(ctx, users[Role.ADMIN]))
    qtbot.addWidget(admin_page)
    assert admin_page.verify_audit_button.isEnabled()
    admin_page.verify_audit_button.click()
    assert len(shown) == 1 and shown[0][0] == "info" and "校验通过" in shown[0][1]
    clerk_page = SettingsPage(as_user(ctx, users[Role.CLERK]))
    qtbot.addWidget(clerk_page)
    assert not clerk_page.verify_audit_button.isEnabled()


def test_table_model_passes_the_model_tester(qtmodeltester, admin):
    model = AuditTableModel()
    model.set_rows(audit_ops.list_audit(admin))
    qtmodeltester.check(model)
