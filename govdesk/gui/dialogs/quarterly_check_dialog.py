"""季度检查: a separate quarterly check of one community, for offices whose quarter rule mixes
the monthly mean with it (e.g. 月抽查40%、季度检查60%). One line per scored indicator: the points
deducted and the 扣分原因."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QWidget,
)

from govdesk.core.errors import UserError
from govdesk.core.scoring import (
    CheckKind,
    Scheme,
    SpotCheck,
    deduction_for_points,
    quarter_months,
)
from govdesk.gui.dialogs.org_item_dialog import Save, SaveOnAcceptDialog


def _fmt(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class QuarterlyCheckDialog(SaveOnAcceptDialog):
    def __init__(self, parent: QWidget | None, scheme: Scheme, year: int, quarter: int,
                 communities: list[tuple[int, str]], checker: str = "",
                 save: Save | None = None) -> None:
        super().__init__(parent, f"录入{year}年第{'一二三四'[quarter - 1]}季度检查", save)
        self.scheme = scheme
        self.year, self.quarter = year, quarter
        months = quarter_months(quarter)
        self.community_box = QComboBox()
        for cid, name in communities:
            self.community_box.addItem(name, cid)
        self.add_field("社区", self.community_box)
        self.date_edit = QDateEdit(QDate(year, months[2], 1))
        self.date_edit.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        self.date_edit.setCalendarPopup(True)
        last_day = calendar.monthrange(year, months[2])[1]
        self.date_edit.setDateRange(QDate(year, months[0], 1), QDate(year, months[2], last_day))
        self.add_field("检查日期", self.date_edit)
        self.checker_edit = QLineEdit(checker)
        self.checker_edit.setPlaceholderText("如：镇政务公开领导小组 张三、李四")
        self.add_field("检查人", self.checker_edit)

        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.addWidget(QLabel("<b>考核指标</b>"), 0, 0)
        grid.addWidget(QLabel("<b>扣分</b>"), 0, 1)
        grid.addWidget(QLabel("<b>扣分原因</b>"), 0, 2)
        self.lines: list[tuple[str, QDoubleSpinBox, QLineEdit]] = []
        for row, leaf in enumerate(scheme.leaves, 1):
            path = "／".join(scheme.path(leaf.code))
            label = QLabel(f"{leaf.code} {path}（{_fmt(leaf.max_points)}分）")
            label.setToolTip(leaf.standard)
            spin = QDoubleSpinBox()
            spin.setDecimals(1)
            spin.setSingleStep(0.5)
            spin.setRange(0, float(leaf.max_points))
            spin.setSpecialValueText("—")
            reason = QLineEdit()
            reason.setPlaceholderText("不填则按相应评分标准的原文")
            grid.addWidget(label, row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(reason, row, 2)
            self.lines.append((leaf.code, spin, reason))
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(self.lines) + 1, 1)
        scroll = QScrollArea()
        scroll.setWidget(grid_host)
        scroll.setWidgetResizable(True)
        scroll.setMinimumHeight(320)
        self.form.addRow(scroll)
        self.setMinimumWidth(720)

    def check_record(self) -> SpotCheck:
        q = self.date_edit.date()
        day = date(q.year(), q.month(), q.day())
        deductions = []
        for code, spin, reason in self.lines:
            points = Decimal(str(round(spin.value(), 1)))
            if points > 0:
                # What the inspector wrote wins; blank takes the matching rule's wording.
                deductions.append(deduction_for_points(self.scheme, code, points,
                                                       reason.text().strip()))
        return SpotCheck(int(self.community_box.currentData()), self.year, day.month,
                         deductions=tuple(deductions), kind=CheckKind.QUARTERLY,
                         checker=self.checker_edit.text().strip(), checked_on=day)

    def values(self) -> dict[str, Any]:
        return {"check": self.check_record()}

    def check(self) -> UserError | None:
        if self.community_box.currentData() is None:
            return UserError("请选择社区（村）", field="社区")
        if not self.checker_edit.text().strip():
            return UserError("请填写检查人", field="检查人")
        return None

    @classmethod
    def ask(cls, parent: QWidget | None, scheme: Scheme, year: int, quarter: int,
            communities: list[tuple[int, str]], *, checker: str = "",
            save: Save | None = None) -> dict[str, Any] | None:
        """Show the dialog; {"check": SpotCheck} once ``save`` has succeeded."""
        return cls(parent, scheme, year, quarter, communities, checker, save).run_modal()
