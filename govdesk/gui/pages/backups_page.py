"""备份与恢复: the backups of this database (time, size, verified, why made, why kept) and the
actions on them — 立即备份, 重新校验, 复制到U盘或文件夹…, 恢复…, 整理旧备份.

Everyone can look, back up and verify (they change no record); copying (the whole database
leaves the PC), restoring and thinning need "settings.manage", so those buttons are disabled
with a tooltip for other roles (the operations check again). Every action runs off the GUI
thread with its own connection, except the restore itself, which must swap the main context's
connection (``backups.restore`` closes and reopens ``ctx.db``): it runs on a worker thread
while the window waits, after ``restore_starting`` let the main window stop automatic backups.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from govdesk.gui import messages, ui_state
from govdesk.gui.background import run_with_progress, worker_context
from govdesk.gui.backup_status import backup_now_with_progress
from govdesk.gui.dialogs.restore_dialog import RestoreDialog
from govdesk.gui.widgets import data_table, select_row
from govdesk.operations import backups
from govdesk.operations.context import Context, can

ADMIN_ONLY = "只有管理员可以{what}"
OK_COLOR = "#1a7f37"
BAD_COLOR = "#b00020"
NOTE_STYLE = "color: #555;"
FILE_FILTER = "govdesk 数据库 (*.db);;所有文件 (*)"
_Index = QModelIndex | QPersistentModelIndex


class BackupTableModel(QAbstractTableModel):
    HEADERS = ("备份时间", "大小", "校验", "备份原因", "保留原因", "文件名")
    VERIFIED_COLUMN = 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[backups.BackupRow] = []

    def set_rows(self, rows: list[backups.BackupRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> backups.BackupRow:
        return self._rows[index]

    def rows(self) -> list[backups.BackupRow]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            verified = "✓ 已校验" if r.verified else "✗ 未通过/未校验"
            return (r.time, r.size_text, verified, r.trigger, r.keep, r.name)[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == self.VERIFIED_COLUMN:
            return QColor(OK_COLOR if r.verified else BAD_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.VERIFIED_COLUMN and not r.verified:
                return "这个备份没有通过校验（或还没有校验），恢复时不要优先选它；可以点“重新校验”"
            if column == 4 and r.keep == "可清理":
                return "按保留规则这个备份已经不需要了，“整理旧备份”时会删除"
            return str(r.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None


class BackupsPage(QWidget):
    changed = Signal()  # a backup was made, verified, copied or deleted: the status bar refreshes
    restore_starting = Signal()  # connected directly: automatic backups stop before the swap
    restore_failed = Signal()
    restored = Signal(str)  # the engine's message; the main window signs everyone out

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        admin = can(ctx.user, "settings.manage")

        self.health_label = QLabel()
        self.health_label.setWordWrap(True)
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_label.setStyleSheet(NOTE_STYLE)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rule = QLabel(
            "有改动时每 30 分钟自动备份一次，退出程序时也会备份；每个备份都会检查一遍，"
            "通过后才算数。旧备份按规则保留：两天内的全部保留，之后每天、每周、每月各留一份，"
            "每年留一份长期保存。电脑硬盘坏了备份也会一起丢失，所以请每月把最新的备份"
            "复制到U盘，放在别处保管。")
        rule.setWordWrap(True)
        rule.setStyleSheet(NOTE_STYLE)

        self.backup_button = QPushButton("立即备份")
        self.verify_button = QPushButton("重新校验")
        self.copy_button = QPushButton("复制到U盘或文件夹…")
        self.restore_button = QPushButton("恢复…")
        self.thin_button = QPushButton("整理旧备份")
        self.backup_button.setToolTip("现在就备份一次并校验")
        self.verify_button.setToolTip("重新检查选中的备份文件是否完整、是否被改动过")
        tips = {self.copy_button: ("复制备份", "把选中的备份复制到U盘或其他文件夹，复制后会读回校验"),
                self.restore_button: ("恢复数据", "用一个备份文件替换当前的数据（恢复前会先备份当前数据）"),
                self.thin_button: ("整理旧备份", "按保留规则删除不再需要的旧备份")}
        for button, (what, tip) in tips.items():
            button.setEnabled(admin)
            button.setToolTip(tip if admin else ADMIN_ONLY.format(what=what))
        self.backup_button.clicked.connect(self.backup_now)
        self.verify_button.clicked.connect(self.verify_selected)
        self.copy_button.clicked.connect(self.copy_selected)
        self.restore_button.clicked.connect(self.choose_and_restore)
        self.thin_button.clicked.connect(self.thin)
        buttons = QHBoxLayout()
        for b in (self.backup_button, self.verify_button, self.copy_button,
                  self.restore_button, self.thin_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.model = BackupTableModel(self)
        self.table = data_table(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.empty_label = QLabel("还没有备份。点“立即备份”做第一份备份。")
        self.empty_label.setStyleSheet(NOTE_STYLE)
        self.admin_note = QLabel("复制、恢复和整理旧备份只有管理员可以操作。")
        self.admin_note.setStyleSheet(NOTE_STYLE)
        self.admin_note.setVisible(not admin)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel("<h2>备份与恢复</h2>")
        layout.addWidget(title)
        layout.addWidget(self.health_label)
        layout.addWidget(self.folder_label)
        layout.addWidget(rule)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.admin_note)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh()

    # ---- showing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.selected()
        rows = backups.list_backups(self.ctx)
        self.model.set_rows(rows)
        names = [r.name for r in rows]
        if selected is not None and selected.name in names:
            select_row(self.table, names.index(selected.name))
        elif rows:
            select_row(self.table, 0)
        self.empty_label.setVisible(not rows)
        report = backups.backup_health(self.ctx)
        color = {"正常": OK_COLOR, "提醒": "#8a6100"}.get(report.health.value, BAD_COLOR)
        self.health_label.setText(f"<span style='color:{color}; font-size:11pt'>"
                                  f"{report.message}</span>")
        self.folder_label.setText(f"备份保存在：{self.folder()}")
        self._update_buttons()

    def folder(self) -> Path:
        # operations.backups has no public name for "this context's backup folder" yet (the
        # lead is asked for one); _folder is the engine's own rule (backup_dir_for the file).
        return backups.backup_folder(self.ctx)

    def selected(self) -> backups.BackupRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        admin = can(self.ctx.user, "settings.manage")
        self.verify_button.setEnabled(has)
        self.copy_button.setEnabled(has and admin)

    # ---- actions ----------------------------------------------------------------------------

    def backup_now(self) -> backups.BackupResult | None:
        result = backup_now_with_progress(self, self.ctx)
        self.refresh()
        self.changed.emit()
        if result is not None:
            messages.info(self, result.message, "备份完成")
        return result

    def _in_worker(self, label: str, fn):
        def work():
            worker = worker_context(self.ctx)
            try:
                return fn(worker)
            finally:
                worker.db.close()

        return run_with_progress(self, label, work)

    def verify_selected(self) -> backups.VerifyResult | None:
        row = self.selected()
        if row is None:
            return None
        result = self._in_worker("正在校验备份……",
                                 lambda w: backups.verify_backup(w, row.name))
        self.refresh()
        self.changed.emit()
        if result is None:
            return None
        if result.ok:
            messages.info(self, result.message, "校验通过")
        else:
            messages.error(self, result.message, "校验未通过")
        return result

    def copy_selected(self, folder: str | None = None) -> Path | None:
        row = self.selected()
        if row is None:
            return None
        if folder is None:
            start = ui_state.last_dir("backup_copy", str(Path.home()))
            folder = QFileDialog.getExistingDirectory(self, "选择U盘或文件夹", start)
            if not folder:
                return None
            ui_state.set_last_dir("backup_copy", folder)
        copied = self._in_worker("正在复制并读回校验……",
                                 lambda w: backups.copy_backup_to(w, row.name, Path(folder)))
        self.refresh()
        self.changed.emit()
        if copied is not None:
            messages.info(self, f"已复制到 {copied}，并且读回校验通过。\n\n"
                                "如果复制到的是U盘，请先在电脑右下角点“安全弹出”U盘，"
                                "看到可以安全移除的提示后再拔出，否则副本可能没有真正写好。",
                          "复制完成")
        return copied

    def thin(self) -> list[str] | None:
        if not messages.confirm(self, "按保留规则删除不再需要的旧备份吗？\n\n"
                                      "两天内的备份、每天/每周/每月保留的备份、年度归档和"
                                      "最新的已校验备份都不会被删除。", ok="整理"):
            return None
        deleted = self._in_worker("正在整理旧备份……", backups.thin_backups)
        self.refresh()
        self.changed.emit()
        if deleted is not None:
            text = (f"已删除 {len(deleted)} 个不再需要的旧备份。" if deleted
                    else "没有需要删除的旧备份。")
            messages.info(self, text, "整理旧备份")
        return deleted

    def choose_and_restore(self) -> None:
        row = self.selected()
        start = str(row.path) if row is not None else str(self.folder())
        path, _ = QFileDialog.getOpenFileName(self, "选择用来恢复的备份文件", start, FILE_FILTER)
        if path:
            self.restore_from(Path(path))

    def restore_from(self, path: Path) -> backups.RestoreResult | None:
        description = run_with_progress(self, "正在读取备份文件……",
                                        lambda: backups.describe(path))
        if description is None:
            return None
        row = next((r for r in self.model.rows() if r.path == path), None)
        if not RestoreDialog.ask(self, description, row):
            return None
        self.restore_starting.emit()
        result = run_with_progress(
            self, "正在恢复数据……\n请不要关闭程序或关机。",
            lambda: backups.restore(self.ctx, path))
        if result is None:
            self.restore_failed.emit()
            self.refresh()
            return None
        self.restored.emit(result.message)
        return result
