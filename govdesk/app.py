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
    """The background quick check's verdict: damage ends the session and offers 数据恢复 (D8)."""
    if checker.reported:
        return
    checker.reported = True
    if result != "ok":
        parent.begin_recovery(result)


def _location_allowed(db_path: Path) -> bool:
    """D9: refuse a network share; warn once (per path) about a USB stick or a sync folder."""
    import hashlib

    from govdesk.core.locations import Verdict, classify
    from govdesk.gui import messages, ui_state

    check = classify(db_path)
    if check.verdict is Verdict.REFUSED:
        messages.error(None, check.message, "数据库位置不能使用")
        return False
    if check.verdict is Verdict.WARNING:
        key = "location_warned/" + hashlib.sha256(
            f"{db_path.resolve()}|{check.kind}".encode()).hexdigest()[:16]
        settings = ui_state.settings()
        if not settings.value(key):
            messages.warn(None, check.message + "\n\n（这个提醒只显示一次。）", "数据库位置提醒")
            settings.setValue(key, 1)
    return True


def _looks_damaged(db_path: Path) -> bool:
    """After a failed open: is the file there but damaged (→ 数据恢复), rather than missing,
    unwritable or from a newer govdesk (→ just the message)?"""
    from govdesk.operations import backups

    if not db_path.is_file():
        return False
    try:
        return not backups.check_database(db_path).ok
    except UserError:
        return False


def _open_or_recover(db_path: Path, reason: str | None = None):
    """Open (migrating, in the background); on damage, the 数据恢复 dialog instead of a crash.
    ``reason``: damage already found (by the start-up check of the previous session). Returns
    the Database, or None to quit."""
    from govdesk.gui import messages
    from govdesk.gui.background import run_with_progress
    from govdesk.gui.dialogs.recovery_dialog import RecoveryDialog
    from govdesk.store.database import connect

    while True:
        if reason is not None:
            choice = RecoveryDialog.ask(db_path, reason, allow_continue=True)
            if choice not in (RecoveryDialog.DialogCode.Accepted, RecoveryDialog.CONTINUE):
                return None
            reason = None
        try:
            # Opening migrates an older database first, which can take a minute on ten years
            # of records: do it off the GUI thread so a progress window shows instead of nothing.
            opened = run_with_progress(
                None, "正在打开数据库……\n如果是升级后第一次打开，可能需要一两分钟，请勿关闭。",
                lambda: connect(db_path, check=False), raise_user_errors=True)
            assert opened is not None
            return opened
        except UserError as exc:
            if not _looks_damaged(db_path):
                messages.error(None, exc.message, "无法打开数据库")
                return None
            if RecoveryDialog.ask(db_path, exc.message) != RecoveryDialog.DialogCode.Accepted:
                return None
            # restored: open the restored file on the next pass


def _backup_on_exit(ctx) -> None:
    """B5: a backup on exit if anything changed since the last one.

    Here, in app.run after app.exec() returned, rather than in MainWindow.closeEvent: the
    window has closed only after every page agreed (closeEvent), no operation can be running
    any more, so no transaction is open; closeEvent also runs when a session ends for a
    restore or a recovery (no exit backup wanted then: the restore made its own) and in every
    widget test; and app.run owns the connection, which it closes (WAL checkpoint, D12) right
    after this. It runs on its own connection so the progress window paints."""
    from govdesk.gui import messages
    from govdesk.gui.background import run_with_progress, worker_context
    from govdesk.gui.backup_status import FAILED_TITLE
    from govdesk.operations import backups

    def work():
        worker = worker_context(ctx)
        try:
            return backups.backup_on_exit(worker)
        finally:
            worker.db.close()

    try:
        run_with_progress(None, "正在备份今天的改动，请稍候……", work, raise_user_errors=True)
    except UserError as exc:
        messages.error(None, f"退出时的备份没有成功：{exc.message}\n\n已经录入的数据没有丢失；"
                             "下次打开程序时会再备份。", FAILED_TITLE)


def run(db_path: Path, *, smoke_test: bool = False, demo: bool = False) -> int:
    if smoke_test:
        # A scratch database, one PDF, one xlsx and the main window offscreen; the database at
        # db_path is only read (see govdesk.smoke). ``demo`` does not apply: it always builds one.
        from govdesk.smoke import run_smoke_test

        return run_smoke_test(db_path)
    app = make_app()

    from govdesk.gui import messages
    from govdesk.gui.instance_lock import (
        ActivationServer,
        InstanceLock,
        ask_first_instance_to_show,
        refused_message,
    )
    from govdesk.operations import backups

    db_path = Path(db_path)
    # Start-up order: the location first (not even a lock file on a network share, D9), then
    # the lock (D10), and only the lock holder removes leftovers of a killed run (B3) and
    # opens the file.
    if not _location_allowed(db_path):
        return 1
    lock = InstanceLock(db_path)
    if not lock.acquire():
        ask_first_instance_to_show(db_path)
        messages.warn(None, refused_message(lock, db_path), "govdesk 已经打开")
        return 1
    activation = ActivationServer(db_path)
    activation.listen()
    try:
        backups.startup_cleanup(db_path)
        return _run_locked(app, db_path, demo, activation)
    finally:
        activation.close()
        lock.release()


def _run_locked(app, db_path: Path, demo: bool, activation) -> int:
    from govdesk.gui import messages
    from govdesk.gui.main_window import RECOVER, RESTART, show_crash
    from govdesk.operations.context import Context
    from govdesk.paths import files_dir_for
    from govdesk.store.database import close

    def excepthook(kind, value, tb) -> None:
        details = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(details)
        if isinstance(value, UserError):
            messages.warn(None, value.message)
        else:
            show_crash(None, details)

    previous_hook, sys.excepthook = sys.excepthook, excepthook
    reason: str | None = None
    try:
        while True:
            db = _open_or_recover(db_path, reason)
            if db is None:
                return 1
            ctx = Context(db, files_dir=files_dir_for(db_path))
            try:
                outcome, code, reason = _session(app, ctx, db_path, demo, activation)
            finally:
                close(ctx.db)  # a restore replaced ctx.db: close the one in use now
            if outcome not in (RESTART, RECOVER):
                return code
    finally:
        sys.excepthook = previous_hook


def _session(app, ctx, db_path: Path, demo: bool, activation) -> tuple[str, int, str | None]:
    """First run, sign-in, the main window until it closes. Returns (outcome, exit code,
    damage found by the start-up check or None)."""
    from PySide6.QtCore import QEvent

    from govdesk.gui.dialogs.login_dialog import FirstRunDialog, LoginDialog
    from govdesk.gui.main_window import QUIT, RECOVER, RESTART, MainWindow
    from govdesk.operations import auth

    if demo and not auth.has_users(ctx):
        from govdesk.operations.demo import build_demo

        build_demo(ctx.db, files_dir=ctx.files_dir)
    if not auth.has_users(ctx):
        choice = FirstRunDialog(ctx).exec()
        if choice == FirstRunDialog.DEMO:
            from govdesk.operations.demo import build_demo

            build_demo(ctx.db, files_dir=ctx.files_dir)
        elif choice != 1:
            return QUIT, 0, None
    checker = start_integrity_check(db_path)
    login = LoginDialog(ctx)
    if demo:
        login.login_edit.setText("admin")
    if login.exec() != 1:
        return QUIT, 0, None
    if checker.result is not None and checker.result != "ok":
        checker.reported = True
        return RECOVER, 1, checker.result  # found while signing in: no window first
    window = MainWindow(ctx, str(db_path))
    activation.activate.connect(window.bring_to_front)
    window.show()
    checker.finished.connect(lambda result: _report_check(window, db_path, result, checker))
    checker.deliver_if_done()  # the check may have finished before anyone listened
    if window.outcome == QUIT:  # (a damage report may already have closed it)
        window.start_backups()
    # The window may have closed already (damage reported during the reminder): exec() would
    # then wait for a close that never comes.
    code = app.exec() if window.isVisible() else 0
    window.stop_backups()
    activation.activate.disconnect(window.bring_to_front)
    outcome, reason = window.outcome, window.recovery_reason
    # The window and its pages go now: a restart builds new ones on the restored database.
    window.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if outcome == RESTART:
        return RESTART, code, None
    if outcome == RECOVER:
        return RECOVER, 1, reason
    _backup_on_exit(ctx)
    return QUIT, code, None
