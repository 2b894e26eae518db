"""Composition root: open the store, build the QApplication and the main window."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from govdesk.core.errors import UserError


def _font_setup(app) -> None:
    from PySide6.QtGui import QFont, QFontDatabase

    families = set(QFontDatabase.families())
    for family in ("Microsoft YaHei UI", "Microsoft YaHei", "WenQuanYi Micro Hei",
                   "Noto Sans CJK SC", "Source Han Sans SC"):
        if family in families:
            app.setFont(QFont(family, 10))
            return


def make_app():
    from PySide6.QtWidgets import QApplication

    from govdesk.gui import ui_state

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ui_state.ORGANISATION)
    app.setApplicationName(ui_state.APPLICATION)
    app.setApplicationDisplayName("govdesk 政务公开工作台")
    _font_setup(app)
    return app


def start_integrity_check(db_path: Path):
    """Check the database file in a worker thread while the user signs in (target D8)."""
    import threading

    from PySide6.QtCore import QObject, Signal

    from govdesk.store.database import quick_check_file

    class Checker(QObject):
        finished = Signal(str)

        def __init__(self) -> None:
            super().__init__()
            self.result: str | None = None
            self.reported = False  # set by the receiver: report once however it arrives

        def run(self) -> None:
            self.result = quick_check_file(db_path)
            self.finished.emit(self.result)

        def deliver_if_done(self) -> None:
            if self.result is not None and not self.reported:
                self.finished.emit(self.result)

    checker = Checker()
    threading.Thread(target=checker.run, daemon=True).start()
    return checker


def _report_check(parent, db_path: Path, result: str, checker) -> None:
    if checker.reported:
        return
    checker.reported = True
    if result != "ok":
        from govdesk.gui import messages

        messages.error(parent, f"数据库完整性检查发现问题：{result}\n\n请立即备份 {db_path}，"
                               "并联系技术支持。", "数据库检查")


def run(db_path: Path, *, smoke_test: bool = False, demo: bool = False) -> int:
    if smoke_test:
        # A scratch database, one PDF, one xlsx and the main window offscreen; the database at
        # db_path is only read (see govdesk.smoke). ``demo`` does not apply: it always builds one.
        from govdesk.smoke import run_smoke_test

        return run_smoke_test(db_path)
    app = make_app()

    from govdesk.gui import messages
    from govdesk.gui.dialogs.login_dialog import FirstRunDialog, LoginDialog
    from govdesk.gui.main_window import MainWindow, show_crash
    from govdesk.operations import auth
    from govdesk.operations.context import Context
    from govdesk.paths import files_dir_for
    from govdesk.store.database import close, connect

    try:
        # Opening migrates an older database first, which can take a minute on ten years of
        # records: do it off the GUI thread so a progress window shows instead of nothing.
        from govdesk.gui.background import run_with_progress

        opened = run_with_progress(
            None, "正在打开数据库……\n如果是升级后第一次打开，可能需要一两分钟，请勿关闭。",
            lambda: connect(db_path, check=False), raise_user_errors=True)
        assert opened is not None
        db = opened
    except UserError as exc:
        messages.error(None, exc.message, "无法打开数据库")
        return 1
    ctx = Context(db, files_dir=files_dir_for(db_path))

    def excepthook(kind, value, tb) -> None:
        details = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(details)
        if isinstance(value, UserError):
            messages.warn(None, value.message)
        else:
            show_crash(None, details)

    previous_hook, sys.excepthook = sys.excepthook, excepthook
    try:
        if demo and not auth.has_users(ctx):
            from govdesk.operations.demo import build_demo

            build_demo(db, files_dir=ctx.files_dir)
        if not auth.has_users(ctx):
            choice = FirstRunDialog(ctx).exec()
            if choice == FirstRunDialog.DEMO:
                from govdesk.operations.demo import build_demo

                build_demo(db, files_dir=ctx.files_dir)
            elif choice != 1:
                return 0
        checker = start_integrity_check(db_path)
        login = LoginDialog(ctx)
        if demo:
            login.login_edit.setText("admin")
        if login.exec() != 1:
            return 0
        window = MainWindow(ctx, str(db_path))
        window.show()
        checker.finished.connect(lambda result: _report_check(window, db_path, result, checker))
        checker.deliver_if_done()  # the check may have finished before anyone listened
        return app.exec()
    finally:
        sys.excepthook = previous_hook
        close(db)
