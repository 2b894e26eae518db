"""The composition root, end to end: open (in the background), build the demo, sign in, show
the main window — with only the blocking exec() calls replaced."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from govdesk import app as app_module
from govdesk.gui.dialogs.login_dialog import LoginDialog
from govdesk.gui.dialogs.recovery_dialog import RecoveryDialog
from govdesk.gui.main_window import MainWindow
from govdesk.operations.demo import DEMO_PASSWORD


def test_demo_start_signs_in_and_shows_the_dashboard(qtbot, tmp_path, monkeypatch):
    shown = {}

    def login_exec(dialog):
        assert dialog.login_edit.text() == "admin"  # prefilled for the demo
        dialog.password_edit.setText(DEMO_PASSWORD)
        dialog.accept()
        return dialog.result()

    def app_exec():
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        shown["title"] = window.windowTitle()
        shown["user"] = window.user_label.text()
        shown["page"] = type(window.stack.currentWidget()).__name__
        window.close()
        return 0

    monkeypatch.setattr(LoginDialog, "exec", login_exec)
    monkeypatch.setattr(QApplication, "exec", staticmethod(app_exec))
    assert app_module.run(tmp_path / "demo.db", demo=True) == 0
    assert shown["title"].startswith("云溪镇")
    assert shown["user"] == "当前用户：孙立伟（管理员）"
    assert shown["page"] == "DashboardPage"


def test_unreadable_database_offers_recovery_and_quitting_exits(qtbot, tmp_path, monkeypatch):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database" * 1000)
    offered = []

    def recovery_exec(dialog):
        offered.append((dialog.reason, dialog.restore_button.isEnabled()))
        return QDialog.DialogCode.Rejected  # 退出

    monkeypatch.setattr(RecoveryDialog, "exec", recovery_exec)
    assert app_module.run(bad) == 1
    assert offered and "不是 govdesk 数据库" in offered[0][0]
    assert offered[0][1] is False  # no backup to offer
    assert bad.read_bytes() == b"not a database" * 1000  # never overwritten


def test_a_database_from_a_newer_govdesk_is_refused_without_recovery(qtbot, tmp_path,
                                                                      monkeypatch):
    from govdesk.store.database import close, connect

    path = tmp_path / "newer.db"
    db = connect(path)
    db["_sqlite_migrations"].insert({"migration_set": "govdesk", "name": "9999_future",
                                     "applied_at": "2030-01-01"})
    close(db)
    errors = []
    monkeypatch.setattr("govdesk.gui.messages.error", lambda _p, text, *a: errors.append(text))
    monkeypatch.setattr(RecoveryDialog, "exec", lambda d: pytest.fail("no recovery offer"))
    assert app_module.run(path) == 1
    assert errors and "更新版本" in errors[0]


def test_a_network_share_is_refused_before_anything_is_opened(qtbot, tmp_path, monkeypatch):
    errors = []
    monkeypatch.setattr("govdesk.gui.messages.error", lambda _p, text, *a: errors.append(text))
    assert app_module.run(Path("//server/share/govdesk.db")) == 1
    assert errors and "网络" in errors[0]


def test_a_second_start_on_the_same_database_is_refused(qtbot, tmp_path, monkeypatch):
    from govdesk.gui.instance_lock import InstanceLock

    path = tmp_path / "govdesk.db"
    first = InstanceLock(path)
    assert first.acquire()
    warnings = []
    monkeypatch.setattr("govdesk.gui.messages.warn", lambda _p, text, *a: warnings.append(text))
    try:
        assert app_module.run(path) == 1
    finally:
        first.release()
    assert warnings and "已经在这台电脑上打开了这个数据库" in warnings[0]
    assert not path.exists()  # refused before opening
