"""Backups the office can see (B7) and that happen by themselves (B5).

* ``BackupStatus``: the status-bar label "上次备份：10分钟前", yellow once the newest verified
  backup is over 24 hours old and the data changed since, red when it is over 7 days old (or
  there is none while there is data). Clicking it opens 备份与恢复.
* ``AutoBackup``: a QTimer (once a minute) that calls ``backups.backup_if_due`` on a worker
  thread with its own connection (``open_like``), so the window never waits for a copy and no
  backup ever runs inside a transaction of the GUI's connection. The engine decides whether one
  is due (30 minutes and a change). Every failure is reported at once (``failed``): Vorta's
  lesson is that a backup that fails silently is as bad as none.
* ``backup_now_with_progress``: 立即备份 with a progress window, shared by the start-up reminder
  and the backups page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

from govdesk.core.backup_schedule import Health, HealthReport, Trigger
from govdesk.core.errors import UserError
from govdesk.gui.background import run_with_steps, worker_context
from govdesk.operations import backups
from govdesk.operations.context import Context

CHECK_INTERVAL_MS = 60_000
WARNING_STYLE = ("QLabel { background: #fff4ce; color: #6b4e00; border: 1px solid #e0c060;"
                 " border-radius: 3px; padding: 1px 8px; }")
BLOCKING_STYLE = ("QLabel { background: #fde7e9; color: #b00020; border: 1px solid #e8a0a8;"
                  " border-radius: 3px; padding: 1px 8px; }")
OK_STYLE = "QLabel { color: #444; padding: 1px 8px; }"
FAILED_TITLE = "备份失败"


def when_text(now: datetime, when: datetime | None) -> str:
    """How long ago, the way people say it: 刚刚, 10分钟前, 今天 09:30, 昨天 18:02, 11月3日 09:30,
    2024年11月3日. Both times are local."""
    if when is None:
        return "还没有备份"
    age = now - when
    if timedelta(0) <= age < timedelta(minutes=1):
        return "刚刚"
    if timedelta(0) <= age < timedelta(hours=1):
        return f"{int(age.total_seconds() // 60)}分钟前"
    day = (now.date() - when.date()).days
    if day == 0:
        return f"今天 {when:%H:%M}"
    if day == 1:
        return f"昨天 {when:%H:%M}"
    if when.year == now.year:
        return f"{when.month}月{when.day}日 {when:%H:%M}"
    return f"{when.year}年{when.month}月{when.day}日"


def last_verified(ctx: Context) -> datetime | None:
    """Local time of the newest verified backup."""
    for row in backups.list_backups(ctx):
        if row.verified and row.time:
            try:
                return datetime.strptime(row.time, "%Y-%m-%d %H:%M:%S").astimezone()
            except ValueError:
                continue
    return None


class BackupStatus(QLabel):
    """The permanent status-bar entry for backups."""

    clicked = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: HealthReport | None = None
        self.failure: str | None = None  # the last automatic failure, until a backup succeeds
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.report = backups.backup_health(self.ctx)
            when = last_verified(self.ctx)
        except Exception as exc:  # noqa: BLE001 - a status line must never take the window down
            self.report = HealthReport(Health.BLOCKING, f"无法读取备份情况：{exc}")
            when = None
        now = self.ctx.clock().astimezone()
        text = f"上次备份：{when_text(now, when)}"
        tip = self.report.message
        level = self.report.health
        if self.failure:
            text += "（上次自动备份失败）"
            tip = f"上次自动备份失败：{self.failure}\n{tip}"
            level = Health.BLOCKING if level is Health.BLOCKING else Health.WARNING
        if level is Health.WARNING:
            text = "⚠ " + text
            self.setStyleSheet(WARNING_STYLE)
        elif level is Health.BLOCKING:
            text = "⚠ " + text
            self.setStyleSheet(BLOCKING_STYLE)
        else:
            self.setStyleSheet(OK_STYLE)
        self.level = level
        self.setText(text)
        self.setToolTip(tip + "\n点击打开“备份与恢复”")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)


class AutoBackup(QObject):
    """``tick()`` starts ``backup_if_due`` on a worker thread unless one is still running; the
    result arrives on the GUI thread as ``succeeded(BackupResult)``, ``failed(message)``, and
    always ``finished()``. ``open_context`` and ``run`` are injectable for tests."""

    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, ctx: Context, parent: QObject | None = None, *,
                 interval_ms: int = CHECK_INTERVAL_MS,
                 run: Callable[[Context], object] = backups.backup_if_due,
                 open_context: Callable[[Context], Context] = worker_context) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._run = run
        self._open = open_context
        self._thread: threading.Thread | None = None
        self._running = False  # cleared before ``finished``, so a tick from its slot may start
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.tick)

    def start(self, *, now: bool = True) -> None:
        self.timer.start()
        if now:
            self.tick()

    def stop(self) -> None:
        """Stop the timer and wait for a running backup to end (before a restore or exit)."""
        self.timer.stop()
        self.join()

    def busy(self) -> bool:
        return self._running

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def tick(self) -> bool:
        """Start one check; False if the previous one is still running."""
        if self.busy():
            return False
        self._running = True
        self._thread = threading.Thread(target=self._work, name="govdesk-auto-backup",
                                        daemon=True)
        self._thread.start()
        return True

    def _work(self) -> None:
        # Runs on the worker thread: no widgets here, only signals (queued to the GUI thread).
        try:
            worker = self._open(self.ctx)
            try:
                result = self._run(worker)
            finally:
                worker.db.close()
        except UserError as exc:
            self.failed.emit(exc.message)
        except Exception as exc:  # noqa: BLE001 - reported to the user, never silent
            self.failed.emit(f"自动备份出错：{exc}")
        else:
            if result is not None:
                self.succeeded.emit(result)
        self._running = False
        self.finished.emit()


def failure_text(reason: str) -> str:
    return (f"自动备份没有成功：{reason}\n\n已经录入的数据没有丢失，但新的改动还没有备份。"
            "请打开“备份与恢复”点“立即备份”再试一次；如果仍然失败，请检查磁盘空间，"
            "或联系技术支持。")


def backup_now_with_progress(parent: QWidget | None, ctx: Context,
                             trigger: Trigger = Trigger.MANUAL) -> backups.BackupResult | None:
    """立即备份 off the GUI thread with a bar; a failure is shown (and was audited by the
    engine). Returns the result, or None after a failure."""

    def work(progress):
        worker = worker_context(ctx)
        try:
            return backups.backup_now(worker, trigger, progress=progress)
        finally:
            worker.db.close()

    return run_with_steps(parent, "正在备份并校验……", work)
