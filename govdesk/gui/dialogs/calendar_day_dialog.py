"""Adding a day off (放假日) or a make-up working day (调休上班日) from the State Council notice."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QDateEdit, QLineEdit, QWidget

from govdesk.core.errors import UserError
from govdesk.gui.dialogs.org_item_dialog import Save, SaveOnAcceptDialog

WEEKDAYS = "一二三四五六日"


def chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日（星期{WEEKDAYS[d.weekday()]}）"


class CalendarDayDialog(SaveOnAcceptDialog):
    def __init__(
        self,
        parent: QWidget | None,
        is_workday: bool,
        day: date,
        save: Save | None = None,
    ) -> None:
        super().__init__(parent, "添加调休上班日" if is_workday else "添加放假日", save)
        self.is_workday = is_workday
        self.date_edit = QDateEdit(QDate(day.year, day.month, day.day))
        self.date_edit.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        self.date_edit.setDisplayFormat("yyyy年M月d日 dddd")
        self.date_edit.setCalendarPopup(True)
        self.add_field(
            "日期", self.date_edit,
            hint=(
                "国务院办公厅通知中需要上班的周六或周日。"
                if is_workday
                else "国务院办公厅通知中放假的周一至周五；周末本来就休息，不必录入。"
            ),
        )
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("如：春节调休上班" if is_workday else "如：春节")
        self.add_field("备注", self.note_edit)

    def day(self) -> date:
        q = self.date_edit.date()
        return date(q.year(), q.month(), q.day())

    def set_day(self, d: date) -> None:
        self.date_edit.setDate(QDate(d.year, d.month, d.day))

    def values(self) -> dict[str, Any]:
        return {"day": self.day(), "is_workday": self.is_workday, "note": self.note_edit.text()}

    def check(self) -> UserError | None:
        d = self.day()
        weekend = d.weekday() >= 5
        if self.is_workday and not weekend:
            return UserError(
                f"{chinese_date(d)}本来就是工作日；调休上班日应是周六或周日，请核对日期。",
                field="日期",
            )
        if not self.is_workday and weekend:
            return UserError(
                f"{chinese_date(d)}本来就是休息日，不必录入；放假日应是周一至周五，请核对日期。",
                field="日期",
            )
        return None

    @classmethod
    def ask(
        cls, parent: QWidget | None, is_workday: bool, day: date, *, save: Save | None = None
    ) -> dict[str, Any] | None:
        """Show the dialog; returns {"day", "is_workday", "note"} once ``save`` has succeeded."""
        return cls(parent, is_workday, day, save).run_modal()
