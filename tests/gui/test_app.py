"""The composition root, end to end: open (in the background), build the demo, sign in, show
the main window — with only the blocking exec() calls replaced."""

from PySide6.QtWidgets import QApplication

from govdesk import app as app_module
from govdesk.gui.dialogs.login_dialog import LoginDialog
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


def test_unreadable_database_shows_a_message_and_exits(qtbot, tmp_path, monkeypatch):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database" * 1000)
    errors = []
    monkeypatch.setattr("govdesk.gui.messages.error", lambda _p, text, *a: errors.append(text))
    assert app_module.run(bad) == 1
    assert errors and "不是 govdesk 数据库" in errors[0]
