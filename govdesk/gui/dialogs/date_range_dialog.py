"""Pick a date range (e.g. for printing every notice formed in it)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from govdesk.gui.dialogs.notice_editor_dialog import _date_edit, pydate


class DateRangeDialog(QDialog):
    def __init__(self, title: str, hint: str, start: date, end: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.start_edit = _date_edit(start)
        self.end_edit = _date_edit(end)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("从", self.start_edit)
        form.addRow("到", self.end_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel(hint)
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def value(self) -> tuple[date, date]:
        return pydate(self.start_edit.date()), pydate(self.end_edit.date())

    def accept(self) -> None:
        start, end = self.value()
        if end < start:
            self.error_label.setText("结束日期不能早于开始日期")
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, hint: str, start: date,
            end: date) -> tuple[date, date] | None:
        dialog = cls(title, hint, start, end, parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
