"""数据恢复 (target D8): the database cannot be opened, or the start-up check found damage.

Instead of a crash, the office gets three choices: restore the newest verified backup, choose
another backup file, or quit (and, when the database still opens, carry on for now to copy out
what can be read). The engine (``backups.restore(db_path, source)``) never overwrites the
damaged file: it renames it ``*.damaged-<time>`` beside the database, for a technician.

Nobody can sign in to a database that cannot be read, so this works from the database path
alone, before any Context exists. The backups are listed by the engine from the database path
(``backups.list_backups_for``: the backup folder and each backup's manifest) — the restore
re-checks the file's SHA-256 and its integrity anyway before anything is replaced.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.errors import UserError
from govdesk.gui import messages
from govdesk.gui.background import run_with_progress
from govdesk.gui.dialogs.restore_dialog import RestoreDialog
from govdesk.operations import backups

FILE_FILTER = "govdesk 数据库 (*.db);;所有文件 (*)"
REASON_STYLE = "color: #666; font-size: 9pt;"
GOOD_STYLE = ("background: #e8f5ec; border: 1px solid #9ccfab; border-radius: 3px;"
              " padding: 8px 10px;")
NONE_STYLE = ("background: #fff4ce; border: 1px solid #e0c060; border-radius: 3px;"
              " padding: 8px 10px;")


def newest_verified(db_path: Path) -> backups.BackupRow | None:
    """The newest verified backup of ``db_path`` (read from the backup folder and the
    manifests, without opening the damaged database)."""
    try:
        rows = backups.list_backups_for(Path(db_path))
    except (OSError, UserError):
        return None
    return next((r for r in rows if r.verified), None)


class RecoveryDialog(QDialog):
    """``exec()`` returns Accepted after a successful restore (``self.result_value`` holds the
    engine's RestoreResult), CONTINUE when the user carries on with the damaged database (only
    offered when it still opens), Rejected to quit."""

    CONTINUE = 2

    def __init__(self, db_path: Path, reason: str, parent: QWidget | None = None, *,
                 allow_continue: bool = False) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.reason = reason
        self.result_value: backups.RestoreResult | None = None
        self.newest = newest_verified(self.db_path)
        self.setWindowTitle("数据恢复")

        heading = QLabel("<h2>数据库文件损坏，暂时不能正常使用</h2>")
        explain = QLabel(
            "可能是上次使用时突然断电、强行关机，或者硬盘出了问题。<br>"
            "<b>不用担心</b>：损坏的文件不会被覆盖或删除。恢复时它会被改名"
            "（文件名后面加上“damaged”和当时的日期时间），留在原来的文件夹里，"
            "以后可以交给技术人员查看。")
        explain.setWordWrap(True)
        reason_label = QLabel(f"数据库：{html.escape(str(self.db_path))}<br>"
                              f"检查结果：{html.escape(reason)}")
        reason_label.setWordWrap(True)
        reason_label.setStyleSheet(REASON_STYLE)
        reason_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        if self.newest is not None:
            offer = QLabel(
                f"找到最近一次校验通过的备份：<b>{self.newest.time}</b>"
                f"（{html.escape(self.newest.trigger)}）<br>"
                "用它恢复后，这个时间之后录入的内容需要重新录入。")
            offer.setStyleSheet(GOOD_STYLE)
        else:
            offer = QLabel("没有在备份文件夹里找到校验通过的备份。<br>"
                           "如果以前把备份复制到过U盘或其他文件夹，请点“选择其他备份文件…”。")
            offer.setStyleSheet(NONE_STYLE)
        offer.setWordWrap(True)

        self.restore_button = QPushButton("用最近的备份恢复")
        self.restore_button.setEnabled(self.newest is not None)
        self.restore_button.setDefault(self.newest is not None)
        self.choose_button = QPushButton("选择其他备份文件…")
        self.continue_button = QPushButton("暂不恢复，继续使用")
        self.continue_button.setToolTip("数据库还能打开：可以先把需要的内容打印或导出，"
                                        "再关闭程序恢复。不建议继续录入新内容。")
        self.continue_button.setVisible(allow_continue)
        self.quit_button = QPushButton("退出")
        self.restore_button.clicked.connect(self.restore_newest)
        self.choose_button.clicked.connect(self.choose_file)
        self.continue_button.clicked.connect(self._carry_on)
        self.quit_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for b in (self.restore_button, self.choose_button, self.continue_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addWidget(offer)
        layout.addWidget(reason_label)
        layout.addLayout(buttons)
        self.setMinimumWidth(620)

    # ---- actions ----------------------------------------------------------------------------

    def _carry_on(self) -> None:
        self.done(self.CONTINUE)

    def restore_newest(self) -> backups.RestoreResult | None:
        if self.newest is None:
            return None
        return self.restore_from(self.newest.path)

    def choose_file(self) -> None:
        start = self.newest.path if self.newest else backups.backup_dir_for(self.db_path)
        path, _ = QFileDialog.getOpenFileName(self, "选择用来恢复的备份文件", str(start),
                                              FILE_FILTER)
        if not path:
            return
        description = run_with_progress(self, "正在读取备份文件……",
                                         lambda: backups.describe(Path(path)))
        if description is None:
            return
        if RestoreDialog.ask(self, description, recovery=True):
            self.restore_from(Path(path))

    def restore_from(self, source: Path) -> backups.RestoreResult | None:
        if Path(source).resolve() == self.db_path.resolve():
            messages.warn(self, "不能用损坏的数据库恢复它自己，请选择一个备份文件。")
            return None
        result = run_with_progress(self, "正在恢复数据……\n请不要关闭程序或关机。",
                                   lambda: backups.restore(self.db_path, source))
        if result is None:
            return None  # the engine's reason was shown; the damaged file is untouched
        self.result_value = result
        messages.info(self, result.message + "\n\n请重新登录。", "恢复完成")
        self.accept()
        return result

    @classmethod
    def ask(cls, db_path: Path, reason: str, parent: QWidget | None = None, *,
            allow_continue: bool = False) -> int:
        """Accepted (restored), CONTINUE, or Rejected (quit)."""
        return cls(db_path, reason, parent, allow_continue=allow_continue).exec()
