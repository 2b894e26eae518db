"""The main window: navigation on the left, one page at a time, the signed-in user and the age of
the last verified backup in the status bar. Pages are built the first time they are shown, so
start-up opens only the first page.

Backups (B5, B7): ``start_backups()`` — called by app.run once the window shows, not by the
constructor, so the many windows tests build start no timers or threads — shows the blocking
reminder when the newest verified backup is over 7 days old and starts the once-a-minute
automatic backup. A restore from the 备份与恢复 page, or damage found by the start-up check,
ends the session: ``outcome`` tells app.run to sign in again (RESTART) or to offer 数据恢复
(RECOVER); the exit backup itself is app.run's job (see there)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from govdesk import __version__
from govdesk.core.backup_schedule import Health
from govdesk.gui import messages, ui_state
from govdesk.gui.backup_status import (
    FAILED_TITLE,
    AutoBackup,
    BackupStatus,
    backup_now_with_progress,
    failure_text,
)
from govdesk.operations import backups, drafts, lists
from govdesk.operations.context import Context, can


def _dashboard(ctx: Context, parent: QWidget) -> QWidget:
    from govdesk.gui.pages.dashboard_page import DashboardPage

    return DashboardPage(ctx, parent)


def _notices(ctx: Context, parent: QWidget) -> QWidget:
    from govdesk.gui.pages.notices_page import NoticesPage

    return NoticesPage(ctx, parent)


def _requests(ctx: Context, parent: QWidget) -> QWidget:
    from govdesk.gui.pages.requests_page import RequestsPage

    return RequestsPage(ctx, parent)


def _registers(ctx: Context, parent: QWidget) -> QWidget:
    from govdesk.gui.pages.registers_page import RegistersPage

    return RegistersPage(ctx, parent)


def _plan(ctx: Context, parent: QWidget) -> QWidget:
    from govdesk.gui.pages.plan_page import PlanPage

    return PlanPage(ctx, parent)


def _boards(ctx: Context, parent: QWidget) -> QWidget:
    from govdesk.gui.pages.boards_page import BoardsPage

    return BoardsPage(ctx, parent)


def _stats(ctx: Context, parent: QWidget) -> QWidget:
    from govdesk.gui.pages.stats_page import StatsPage

    return StatsPage(ctx, parent)


def _annual_report(ctx: Context, parent: QWidget) -> QWidget:
    from govdesk.gui.pages.annual_report_page import AnnualReportPage

    return AnnualReportPage(ctx, parent)


def _assessment(ctx: Context, parent: QWidget) -> QWidget:
    from govdesk.gui.pages.assessment_page import AssessmentPage

    return AssessmentPage(ctx, parent)


def _settings(ctx: Context, parent: QWidget) -> QWidget:
    from govdesk.gui.pages.settings_page import SettingsPage

    return SettingsPage(ctx, parent)


def _backups(ctx: Context, parent: QWidget) -> QWidget:
    from govdesk.gui.pages.backups_page import BackupsPage

    return BackupsPage(ctx, parent)


def _audit(ctx: Context, parent: QWidget) -> QWidget:
    from govdesk.gui.pages.audit_page import AuditPage

    return AuditPage(ctx, parent)


PAGES: tuple[tuple[str, str, Callable[[Context, QWidget], QWidget]], ...] = (
    ("dashboard", "工作台", _dashboard),
    ("notices", "信息登记", _notices),
    ("requests", "依申请公开", _requests),
    ("registers", "工作台账", _registers),
    ("boards", "公开栏", _boards),
    ("stats", "统计", _stats),
    ("plan", "实施方案", _plan),
    ("annual_report", "年度报告", _annual_report),
    ("assessment", "考核", _assessment),
    ("settings", "设置", _settings),
    ("backups", "备份与恢复", _backups),
    ("audit", "操作日志", _audit),
)

# How a session ended (MainWindow.outcome), for app.run.
QUIT, RESTART, RECOVER = "quit", "restart", "recover"

# Pages only some roles see (the operations check the permission again on every call).
PAGE_PERMISSIONS = {"audit": "audit.view"}


def page_allowed(ctx: Context, key: str) -> bool:
    return key not in PAGE_PERMISSIONS or can(ctx.user, PAGE_PERMISSIONS[key])


class MainWindow(QMainWindow):
    def __init__(self, ctx: Context, db_label: str = "") -> None:
        super().__init__()
        self.ctx = ctx
        self.outcome = QUIT
        self.recovery_reason = ""
        self._force_close = False
        self.auto_backup: AutoBackup | None = None
        township = lists.township(ctx)
        name = township.short_name or township.full_name
        self.setWindowTitle(f"{name + ' · ' if name else ''}govdesk 政务公开工作台")
        self.nav = QListWidget()
        self.nav.setFixedWidth(132)
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.nav.setStyleSheet(
            "QListWidget { font-size: 15px; border: none; background: #f3f5f8; outline: 0; }"
            "QListWidget::item { padding: 12px 16px; }"
            "QListWidget::item:selected { background: #dbe7f7; color: #0b3d91; }")
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self._placeholders: dict[str, QWidget] = {}
        for key, label, _factory in PAGES:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
            item.setHidden(not page_allowed(ctx, key))
            placeholder = QWidget()
            self._placeholders[key] = placeholder
            self.stack.addWidget(placeholder)
        # 使用指南 under the pages (and on F1): the daily tasks, step by step, with pictures.
        self.guide_button = QPushButton("使用指南（F1）")
        self.guide_button.setFlat(True)
        self.guide_button.setStyleSheet(
            "QPushButton { font-size: 13px; padding: 10px 16px; text-align: left;"
            " background: #f3f5f8; border: none; color: #0b3d91; }"
            "QPushButton:hover { background: #e6edf7; }")
        self.guide_button.setFixedWidth(132)
        self.guide_button.clicked.connect(self.open_guide)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        side.addWidget(self.nav, 1)
        side.addWidget(self.guide_button)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(side)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        user = ctx.user
        who = f"当前用户：{user.name}（{user.role.label}）" if user else "未登录（只读）"
        self.user_label = QLabel(who)
        self.db_label = QLabel(f"数据库：{db_label}" if db_label else "")
        self.backup_status = BackupStatus(ctx)
        self.backup_status.clicked.connect(lambda: self.show_page("backups"))
        self.statusBar().addWidget(self.user_label)
        # B9: drafts left by a failed save or a crash, named once after sign-in.
        self.drafts_label = QLabel(drafts.startup_note(ctx))
        self.drafts_label.setStyleSheet("color: #a15c00;")
        self.drafts_label.setToolTip(self.drafts_label.text())  # (clipped on narrow windows)
        self.drafts_label.setMinimumWidth(1)
        self.drafts_label.setVisible(bool(self.drafts_label.text()))
        self.statusBar().addWidget(self.drafts_label, 1)
        self.statusBar().addPermanentWidget(self.backup_status)
        self.statusBar().addPermanentWidget(self.db_label)
        self.statusBar().addPermanentWidget(QLabel(f"版本 {__version__}"))

        for i, (key, _label, _f) in enumerate(PAGES):
            if not page_allowed(ctx, key) or i >= 9:  # Ctrl+1 … Ctrl+9
                continue
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _=False, k=key: self.show_page(k))
            self.addAction(action)

        help_action = QAction(self)
        help_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        help_action.triggered.connect(self.open_guide)
        self.addAction(help_action)

        self.nav.currentRowChanged.connect(self._on_nav)
        self.resize(1280, 800)
        geometry = ui_state.load_bytes("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.nav.setCurrentRow(0)

    def open_guide(self) -> None:
        from govdesk.gui.dialogs.guide_dialog import GuideDialog

        GuideDialog.show_guide(self)

    def page(self, key: str) -> QWidget:
        """The page for ``key``, built on first use."""
        if key not in self.pages:
            factory = next(f for k, _l, f in PAGES if k == key)
            page = factory(self.ctx, self)
            self.pages[key] = page
            placeholder = self._placeholders.pop(key)
            index = self.stack.indexOf(placeholder)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            if hasattr(page, "open_notice"):
                page.open_notice.connect(self.open_notice)
            if hasattr(page, "open_plan_task"):
                page.open_plan_task.connect(self.open_plan_task)
            if hasattr(page, "open_requests"):
                page.open_requests.connect(lambda: self.show_page("requests"))
            if hasattr(page, "changed"):
                page.changed.connect(self._mark_stale)
            if hasattr(page, "restored"):
                page.changed.connect(self.backup_status.refresh)
                page.restore_starting.connect(self._stop_backups_for_restore)
                page.restore_failed.connect(self._resume_backups)
                page.restored.connect(self._after_restore)
        return self.pages[key]

    def show_page(self, key: str) -> QWidget:
        row = next(i for i, (k, _l, _f) in enumerate(PAGES) if k == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        return self.pages[key]

    def _on_nav(self, row: int) -> None:
        if row < 0:
            return
        key = PAGES[row][0]
        fresh = key not in self.pages
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        if not fresh and hasattr(page, "refresh"):
            page.refresh()

    def _mark_stale(self) -> None:
        # Pages refresh when shown; nothing to do eagerly.
        pass

    def open_notice(self, notice_id: int) -> None:
        page = self.show_page("notices")
        page.select_notice(notice_id)  # type: ignore[attr-defined]

    def open_plan_task(self, task_id: int) -> None:
        page = self.show_page("plan")
        page.select_task(task_id)  # type: ignore[attr-defined]

    # ---- backups (B5, B7) ------------------------------------------------------------------

    def start_backups(self, *, remind: bool = True, auto: AutoBackup | None = None) -> None:
        """At start: the 7-day reminder, then automatic backups (the first check at once: a
        database with data and no backup at all gets its first one now, without a nag)."""
        if remind:
            self.remind_if_stale()
        self.auto_backup = auto or AutoBackup(self.ctx, self)
        self.auto_backup.succeeded.connect(self._auto_succeeded)
        self.auto_backup.failed.connect(self._auto_failed)
        self.auto_backup.finished.connect(self.backup_status.refresh)
        self.auto_backup.start()

    def stop_backups(self) -> None:
        """Stop the timer and wait for a running backup (before exit, restore or recovery)."""
        if self.auto_backup is not None:
            self.auto_backup.stop()

    def remind_if_stale(self) -> bool:
        """B7: a blocking reminder at start when the newest verified backup is over 7 days old.
        True when it was shown."""
        report = backups.backup_health(self.ctx)
        self.backup_status.refresh()
        has_verified = any(r.verified for r in backups.list_backups(self.ctx))
        if report.health is not Health.BLOCKING or not has_verified:
            return False
        if messages.confirm(self, f"{report.message}。\n\n电脑硬盘出问题时，没有近期备份就会丢失"
                                  "这些天录入的全部内容。建议现在就备份一次。",
                            "备份提醒", ok="立即备份"):
            if backup_now_with_progress(self, self.ctx) is not None:
                self.backup_status.failure = None
            self.backup_status.refresh()
        return True

    def _auto_succeeded(self, _result: object) -> None:
        self.backup_status.failure = None
        self.backup_status.refresh()
        page = self.pages.get("backups")
        if page is not None and page.isVisible():
            page.refresh()  # type: ignore[attr-defined]

    def _auto_failed(self, reason: str) -> None:
        # B7: every failure is reported at once (the engine has audited it already).
        self.backup_status.failure = reason
        self.backup_status.refresh()
        messages.warn(self, failure_text(reason), FAILED_TITLE)

    def _stop_backups_for_restore(self) -> None:
        self.stop_backups()

    def _resume_backups(self) -> None:
        if self.auto_backup is not None:
            self.auto_backup.start(now=False)

    def _after_restore(self, message: str) -> None:
        """The database was replaced and nobody is signed in: sign in again on a new window."""
        messages.info(self, message, "恢复完成")
        self.end_session(RESTART)

    def begin_recovery(self, reason: str) -> None:
        """The start-up check found damage: close this window (asking about unsaved work) so
        that app.run can offer 数据恢复."""
        messages.error(self, f"数据库检查发现文件有损坏：{reason}\n\n"
                             "接下来会关闭主窗口并打开“数据恢复”，可以用最近的备份恢复。",
                       "数据库检查")
        self.recovery_reason = reason
        self.outcome = RECOVER
        if not self.close():
            self.outcome = QUIT  # the user kept the window for unsaved work; next start offers it

    def end_session(self, outcome: str) -> None:
        self.outcome = outcome
        self._force_close = True
        self.close()

    def bring_to_front(self) -> None:
        """A second launch on this database asked for this window (D10)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        unsaved = [] if self._force_close else [
            name for page in self.pages.values()
            for name in getattr(page, "unsaved_work", lambda: [])()]
        if unsaved and not messages.confirm(
                self, f"“{'”“'.join(unsaved)}”有未保存的修改，退出后这些修改将丢失。确定退出吗？",
                ok="不保存，退出"):
            event.ignore()
            return
        ui_state.save_bytes("main/geometry", self.saveGeometry())
        if self.auto_backup is not None:
            self.auto_backup.timer.stop()  # a running one finishes; app.run waits for it
        super().closeEvent(event)


def show_crash(parent: QWidget | None, details: str) -> None:
    messages.error(parent, "程序遇到意外错误。您的数据已保存到出错前的最后一步。\n\n"
                           "请把下面的信息告诉技术支持：\n" + details[-2000:], "意外错误")
