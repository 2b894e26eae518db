"""办结: the 办理结果 — one row of 年报 表三, picked under its group (一)…(六) with the table's
own labels — the reply date and the 办理说明 / 法律依据.

When the clock has decided the outcome by itself (逾期不补正, 逾期未缴费) that row is picked
already and the dialog says why.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from govdesk.core.errors import UserError
from govdesk.core.requests import Ledger, Outcome, OutcomeGroup, Request
from govdesk.gui.dialogs.org_item_dialog import SaveOnAcceptDialog
from govdesk.gui.dialogs.request_dialog import cn_date, date_edit, pydate
from govdesk.operations import requests as request_ops
from govdesk.operations.context import Context

_OUTCOME_ROLE = Qt.ItemDataRole.UserRole


def implied_reason(ledger: Ledger) -> str:
    """Why the clock picked the outcome, in the words of the clause."""
    o = ledger.implied_outcome
    if o is Outcome.NO_CORRECTION:
        by = f"（补正期限{cn_date(ledger.correction_by)}）" if ledger.correction_by else ""
        return f"申请人未在补正期限内补正{by}，依条例第三十条视为放弃申请。"
    if o is Outcome.FEE_UNPAID:
        by = f"（缴费期限{cn_date(ledger.fee_due_on)}）" if ledger.fee_due_on else ""
        return f"申请人逾期未缴纳信息处理费{by}，依国办函〔2020〕109号视为放弃申请。"
    return ""


class RequestCloseDialog(SaveOnAcceptDialog):
    def __init__(self, parent: QWidget | None, ctx: Context, request: Request,
                 ledger: Ledger | None = None) -> None:
        super().__init__(parent, f"办结（申请{request.number}）")
        self._save = self._save_values
        self._ctx = ctx
        self._request = request
        self.saved = False
        today = ctx.today()
        self.setMinimumWidth(760)

        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setMinimumHeight(405)
        self._items: dict[Outcome, QTreeWidgetItem] = {}
        groups: dict[OutcomeGroup, QTreeWidgetItem] = {}
        for outcome in Outcome:
            group = groups.get(outcome.group)
            if group is None:
                group = QTreeWidgetItem(self.tree, [outcome.group.value])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                groups[outcome.group] = group
            if outcome.row_label:
                item = QTreeWidgetItem(group, [outcome.row_label])
            else:
                # 予以公开 and 部分公开 are rows of their own: the group line is the choice.
                item = group
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setData(0, _OUTCOME_ROLE, outcome.code)
            item.setToolTip(0, outcome.label)
            self._items[outcome] = item
        self.tree.expandAll()
        self.form.addRow("办理结果：", self.tree)
        self._fields["办理结果"] = self.tree

        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        self.reason_label.setStyleSheet(
            "background: #fff1c2; color: #5c4400; border-radius: 4px; padding: 6px;")
        self.reason_label.setMinimumWidth(560)
        self.reason_label.hide()
        self.form.addRow("", self.reason_label)

        self.on_edit = date_edit(today, latest=today)
        self.form.addRow("答复日期：", self.on_edit)
        self._fields["办结日期"] = self.on_edit
        self.detail_edit = QPlainTextEdit()
        self.detail_edit.setFixedHeight(80)
        self.detail_edit.setPlaceholderText("如：已向申请人提供《……》复印件；依据条例第十四条不予公开")
        self.form.addRow("办理说明/法律依据：", self.detail_edit)
        self._fields["办理说明"] = self.detail_edit

        if ledger is not None and ledger.implied_outcome is not None:
            self.select(ledger.implied_outcome)
            self.tree.scrollToItem(self._items[ledger.implied_outcome])
            self.reason_label.setText(
                f"已按计时结果预选“{ledger.implied_outcome.label}”：{implied_reason(ledger)}")
            self.reason_label.show()
        if ledger is not None and ledger.due_on is not None and ledger.due_on < today:
            self.on_edit.setToolTip(f"答复期限为{cn_date(ledger.due_on)}")

    def select(self, outcome: Outcome) -> None:
        self.tree.setCurrentItem(self._items[outcome])

    def outcome(self) -> Outcome | None:
        item = self.tree.currentItem()
        code = item.data(0, _OUTCOME_ROLE) if item is not None else None
        return Outcome.from_code(code) if code else None

    def values(self) -> dict[str, Any]:
        return {"outcome": self.outcome(), "on": pydate(self.on_edit.date()),
                "detail": self.detail_edit.toPlainText().strip()}

    def check(self) -> UserError | None:
        if self.outcome() is None:
            return UserError("请选择办理结果（年报表三中的一项）", field="办理结果")
        return None

    def _save_values(self, values: dict[str, Any]) -> None:
        request_ops.close_request(self._ctx, self._request.id, values["outcome"],
                                  on=values["on"], detail=values["detail"])
        self.saved = True

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, request: Request,
            ledger: Ledger | None = None) -> bool:
        dialog = cls(parent, ctx, request, ledger)
        dialog.run_modal()
        return dialog.saved
