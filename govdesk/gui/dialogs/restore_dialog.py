"""恢复数据: what a backup (or any govdesk file) holds, before it replaces the database.

Shows the township, the date range, the counts and the database version from
``backups.describe``; a file made by a newer govdesk is refused here (the engine refuses it
again). Confirming needs a tick: restoring replaces everything in the current database.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from govdesk.operations import backups

WARNING_STYLE = ("background: #fff4ce; border: 1px solid #e0c060; border-radius: 3px;"
                 " padding: 8px 10px;")
REFUSED_STYLE = ("background: #fde7e9; color: #b00020; border: 1px solid #e8a0a8;"
                 " border-radius: 3px; padding: 8px 10px;")


def version_text(schema_version: str) -> str:
    """``0011_letter_party`` → 第 11 版."""
    m = re.match(r"(\d+)", schema_version or "")
    return f"第 {int(m.group(1))} 版" if m else "未知"


def size_text(n: int) -> str:
    if n >= 1 << 30:
        return f"{n / (1 << 30):.1f} GB"
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    return f"{max(1, n // 1024)} KB"


def newer_schema_text(name: str) -> str:
    return backups.newer_schema_message(Path(name))


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class RestoreDialog(QDialog):
    def __init__(self, description, row: backups.BackupRow | None = None,
                 parent: QWidget | None = None, *, recovery: bool = False) -> None:
        super().__init__(parent)
        self.description = description
        self.setWindowTitle("恢复数据")
        self.refused = bool(description.newer_schema)
        d = description

        layout = QVBoxLayout(self)
        heading = QLabel("<h3>要用这个文件恢复数据吗？</h3>")
        layout.addWidget(heading)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("文件：", _label(d.path.name))
        form.addRow("位置：", _label(str(d.path.parent)))
        form.addRow("大小：", _label(size_text(d.size)))
        if row is not None:
            checked = "已校验 ✓" if row.verified else "未校验"
            form.addRow("备份时间：", _label(f"{row.time}（{row.trigger}，{checked}）"))
        form.addRow("乡镇（街道）：", _label(d.township or "（未填写）"))
        if d.first_date or d.last_date:
            span = f"{d.first_date} 至 {d.last_date}"
        else:
            span = "（没有记录）"
        form.addRow("数据时间范围：", _label(span))
        form.addRow("数据库版本：", _label(version_text(d.schema_version)))
        layout.addLayout(form)

        box = QGroupBox("文件里的数据")
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(24)
        for i, (label, count) in enumerate(d.counts.items()):
            name = QLabel(label)
            value = QLabel(f"{count:,}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(name, i // 3, (i % 3) * 2)
            grid.addWidget(value, i // 3, (i % 3) * 2 + 1)
        layout.addWidget(box)

        self.confirm_box = QCheckBox("我已了解：当前数据库的全部内容将被这个文件的内容替换")
        buttons = QDialogButtonBox()
        if self.refused:
            note = _label(html.escape(newer_schema_text(d.path.name)))
            note.setStyleSheet(REFUSED_STYLE)
            layout.addWidget(note)
            self.confirm_box.setVisible(False)
            self.ok_button = None
            close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
            close.setDefault(True)
        else:
            if recovery:
                text = ("损坏的数据库文件不会被覆盖：它会被改名（文件名后面加上“damaged”和"
                        "当时的日期时间），留在原来的文件夹里。恢复完成后需要重新登录。")
            else:
                text = ("恢复前，程序会先把当前的数据自动备份一份（在备份列表里显示为“恢复前”），"
                        "如果恢复错了，可以再用那一份恢复回来。\n"
                        "恢复完成后需要重新登录；其他页面里还没保存的修改会丢失。")
            note = _label(text)
            note.setStyleSheet(WARNING_STYLE)
            layout.addWidget(note)
            layout.addWidget(self.confirm_box)
            self.ok_button = buttons.addButton("开始恢复", QDialogButtonBox.ButtonRole.AcceptRole)
            self.ok_button.setEnabled(False)
            self.confirm_box.toggled.connect(self.ok_button.setEnabled)
            buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def accept(self) -> None:
        if self.refused or not self.confirm_box.isChecked():
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, description,
            row: backups.BackupRow | None = None, *, recovery: bool = False) -> bool:
        """True when the user confirmed the restore (never for a newer-schema file)."""
        dialog = cls(description, row, parent, recovery=recovery)
        return dialog.exec() == QDialog.DialogCode.Accepted
