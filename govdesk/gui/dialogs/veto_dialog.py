"""否决项 found in one community's check: tick the item, say what was found. A 否决项 makes the
quarter 不合格 whatever the points (core.scoring.grade_for)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.scoring import Scheme, VetoFinding
from govdesk.gui import messages


class VetoDialog(QDialog):
    def __init__(self, parent: QWidget | None, scheme: Scheme, community: str,
                 current: Sequence[VetoFinding]) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{community}：否决项")
        self.setModal(True)
        found = {v.code: v for v in current}
        note = QLabel("勾选本次检查发现的否决项并写明情况。有否决项的社区（村）本季度评为“不合格”。")
        note.setWordWrap(True)
        grid = QGridLayout()
        self.rows: list[tuple[str, QCheckBox, QLineEdit]] = []
        for n, item in enumerate(scheme.vetoes):
            box = QCheckBox(f"{item.code} {item.name}")
            reason = QLineEdit()
            reason.setPlaceholderText("发现的情况，如：公示名单公布了完整身份证号")
            if item.code in found:
                box.setChecked(True)
                reason.setText(found[item.code].reason)
            grid.addWidget(box, n, 0)
            grid.addWidget(reason, n, 1)
            self.rows.append((item.code, box, reason))
        grid.setColumnStretch(1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(grid)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def findings(self) -> tuple[VetoFinding, ...]:
        return tuple(VetoFinding(code, reason.text().strip())
                     for code, box, reason in self.rows if box.isChecked())

    def accept(self) -> None:
        missing = [box.text() for code, box, reason in self.rows
                   if box.isChecked() and not reason.text().strip()]
        if missing:
            # The 通报 and the drill-down quote this text: a bare tick explains nothing.
            messages.warn(self, f"请写明“{missing[0]}”发现的情况")
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, scheme: Scheme, community: str,
            current: Sequence[VetoFinding]) -> tuple[VetoFinding, ...] | None:
        """The findings after 确定, or None if cancelled."""
        dialog = cls(parent, scheme, community, current)
        try:
            return dialog.findings() if dialog.exec() else None
        finally:
            dialog.deleteLater()
