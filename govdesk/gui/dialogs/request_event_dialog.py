"""The facts of an application's legal clock, one small form each: 告知补正, 收到补正, 征求意见,
意见收到, 延期答复, 延迟答复, 收费通知, 已缴费, and 申请人撤回 / 撤销办结.

Every form saves through operations.requests, which recomputes the whole clock first: a fact
the law does not allow is refused with its reason, and the form stays open with what was typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from govdesk.core.errors import UserError
from govdesk.core.requests import (
    MAX_EXTENSION_DAYS,
    ClockEvent,
    ClockEventKind,
    Consultee,
    Request,
)
from govdesk.gui.dialogs.org_item_dialog import SaveOnAcceptDialog
from govdesk.gui.dialogs.request_dialog import OptionalDateEdit, date_edit, pydate
from govdesk.operations import requests as request_ops
from govdesk.operations.context import Context

#: (window title, label of the date the event is dated by, hint with its clause)
_FORMS: dict[ClockEventKind, tuple[str, str, str]] = {
    ClockEventKind.CORRECTION_REQUESTED: (
        "告知补正", "告知日期",
        "条例第三十条：申请内容不明确的，应当自收到申请之日起7个工作日内一次性告知申请人作出补正，"
        "说明需要补正的事项和合理的补正期限。答复期限自收到补正的申请之日起计算；"
        "无正当理由逾期不补正的，视为放弃申请。"),
    ClockEventKind.CORRECTION_RECEIVED: (
        "收到补正", "收到补正日期",
        "条例第三十条：答复期限自行政机关收到补正的申请之日起重新计算20个工作日。"),
    ClockEventKind.CONSULTATION_STARTED: (
        "征求意见", "发出日期",
        "条例第三十二条（第三方）、第三十四条（其他机关）：书面征求意见，被征求意见方自收到之日起"
        "15个工作日内提出意见。征求意见所需时间不计入答复期限（第三十三条第二款）。"),
    ClockEventKind.CONSULTATION_ENDED: (
        "收到意见", "收到意见日期",
        "收到意见之日恢复计算答复期限；超过15个工作日未收到的，按期满之日恢复计算。"),
    ClockEventKind.EXTENSION: (
        "延期答复", "告知申请人日期",
        "条例第三十三条：不能在20个工作日内答复的，经政府信息公开工作机构负责人同意并告知申请人，"
        f"可以延长答复期限，延长的期限最长不得超过{MAX_EXTENSION_DAYS}个工作日，且只能延长一次。"),
    ClockEventKind.DEFERRED: (
        "延迟答复", "告知申请人日期",
        "条例第三十五条：申请公开政府信息的数量、频次明显超过合理范围的，可以要求申请人说明理由；"
        "认为理由合理，但是无法在第三十三条规定的期限内答复的，可以确定延迟答复的合理期限并告知"
        "申请人。理由不合理的，告知申请人不予处理（办结时选“不予处理：4.无正当理由大量反复申请”）。"),
    ClockEventKind.FEE_NOTICE: (
        "收费通知", "申请人收到通知日期",
        "国办函〔2020〕109号：申请人应当在收到收费通知次日起20个工作日内缴纳费用，"
        "逾期未缴纳的视为放弃申请。"),
    ClockEventKind.FEE_PAID: ("已缴费", "缴费日期", "申请人缴纳信息处理费的日期。"),
    ClockEventKind.WITHDRAWN: (
        "申请人撤回", "撤回日期",
        "申请人撤回申请的，本申请办结，年报表三计入“（六）其他处理：3.其他”。"),
}

_NOTE_LABELS = {
    ClockEventKind.CORRECTION_REQUESTED: "需要补正的事项",
    ClockEventKind.CONSULTATION_ENDED: "意见",
    ClockEventKind.DEFERRED: "申请数量、频次情况和申请人说明的理由",
    ClockEventKind.FEE_NOTICE: "收费金额等",
    ClockEventKind.WITHDRAWN: "撤回方式、理由",
}

KINDS = tuple(_FORMS)


class RequestEventDialog(SaveOnAcceptDialog):
    """One clock fact for the application ``request``; saved through record_event (or
    withdraw_request for 申请人撤回)."""

    def __init__(self, parent: QWidget | None, ctx: Context, request: Request,
                 kind: ClockEventKind, parties: Sequence[str] = ()) -> None:
        title, date_label, hint = _FORMS[kind]
        super().__init__(parent, f"{title}（申请{request.number}）")
        self._save = self._save_values
        self._ctx = ctx
        self._request = request
        self.kind = kind
        self.saved = False
        today = ctx.today()
        self.setMinimumWidth(520)

        note = QLabel(hint)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.form.addRow(note)

        self.on_edit = date_edit(today, latest=today)
        self.until_edit = None
        self.consultee_combo = None
        self.party_edit: QLineEdit | None = None
        self.party_combo: QComboBox | None = None
        self.delivered_edit = None
        self.days_spin = None
        self.approver_edit = None
        self.approved_edit = None

        if kind is ClockEventKind.CONSULTATION_STARTED:
            self.consultee_combo = QComboBox()
            for c in Consultee:
                self.consultee_combo.addItem(f"{c.label}（{c.article}）", c.value)
            self._add("征求对象", "征求对象", self.consultee_combo)
            self.party_edit = QLineEdit()
            self.party_edit.setMaxLength(100)
            self.party_edit.setPlaceholderText("如：某某建筑工程有限公司；同时征求多方时分别登记")
            self._add("名称", "名称", self.party_edit)
        if kind is ClockEventKind.CONSULTATION_ENDED:
            self.party_combo = QComboBox()
            self.party_combo.setEditable(True)
            for p in parties:
                self.party_combo.addItem(p)
            self._add("意见方", "名称", self.party_combo)
        if kind is ClockEventKind.EXTENSION:
            self.days_spin = QSpinBox()
            self.days_spin.setRange(1, MAX_EXTENSION_DAYS)
            self.days_spin.setValue(MAX_EXTENSION_DAYS)
            self.days_spin.setSuffix(" 个工作日")
            self._add("延长期限", "延长期限", self.days_spin)
            self.approver_edit = QLineEdit()
            self.approver_edit.setMaxLength(40)
            self.approver_edit.setPlaceholderText("政府信息公开工作机构负责人姓名")
            self._add("同意人", "同意人", self.approver_edit)
            self.approved_edit = date_edit(today, latest=today)
            self._add("同意日期", "同意日期", self.approved_edit)

        self._add(date_label, "日期", self.on_edit)

        if kind is ClockEventKind.CORRECTION_REQUESTED:
            # A reasonable period; 15 days is what township offices usually write.
            self.until_edit = date_edit(today + timedelta(days=15))
            self._add("补正期限", "补正期限", self.until_edit)
        if kind is ClockEventKind.DEFERRED:
            # 第三十五条 sets no length: the office fixes a reasonable date and tells the applicant.
            self.until_edit = date_edit(ctx.calendar.add_workdays(today, 20))
            self._add("延迟答复至", "答复期限", self.until_edit)
        if kind is ClockEventKind.CONSULTATION_STARTED:
            self.delivered_edit = OptionalDateEdit(latest=today)
            self.delivered_edit.setToolTip("征求意见书送达被征求意见方的日期；不知道时留空，按发出日期计算")
            self._add("送达日期", "送达日期", self.delivered_edit)

        self.note_edit = QPlainTextEdit()
        self.note_edit.setFixedHeight(64)
        self._add(_NOTE_LABELS.get(kind, "备注"), "备注", self.note_edit)

    def _add(self, label: str, key: str, widget: QWidget) -> None:
        self.form.addRow(f"{label}：", widget)
        self._fields[key] = widget

    def event_value(self) -> ClockEvent:
        k = ClockEventKind
        on = pydate(self.on_edit.date())
        note = self.note_edit.toPlainText().strip()
        kind = self.kind
        if kind is k.CORRECTION_REQUESTED:
            assert self.until_edit is not None
            return ClockEvent.correction_requested(on, pydate(self.until_edit.date()), note)
        if kind is k.DEFERRED:
            assert self.until_edit is not None
            return ClockEvent.deferred(on, pydate(self.until_edit.date()), note)
        if kind is k.CONSULTATION_STARTED:
            assert self.consultee_combo is not None and self.party_edit is not None
            assert self.delivered_edit is not None
            return ClockEvent.consultation_started(
                on, self.party_edit.text().strip(), Consultee(self.consultee_combo.currentData()),
                self.delivered_edit.value(), note)
        if kind is k.CONSULTATION_ENDED:
            assert self.party_combo is not None
            return ClockEvent.consultation_ended(on, self.party_combo.currentText().strip(), note)
        if kind is k.EXTENSION:
            assert self.days_spin is not None and self.approver_edit is not None
            assert self.approved_edit is not None
            return ClockEvent.extension(on, self.days_spin.value(),
                                        self.approver_edit.text().strip(),
                                        pydate(self.approved_edit.date()), note)
        return ClockEvent(kind, on, note=note)

    def values(self) -> dict[str, Any]:
        return {"event": self.event_value()}

    def check(self) -> UserError | None:
        if self.approver_edit is not None and not self.approver_edit.text().strip():
            return UserError("延期须经政府信息公开工作机构负责人同意（条例第三十三条），请填写同意人",
                             field="同意人")
        return None

    def _save_values(self, values: dict[str, Any]) -> None:
        event: ClockEvent = values["event"]
        if event.kind is ClockEventKind.WITHDRAWN:
            request_ops.withdraw_request(self._ctx, self._request.id, on=event.on,
                                         note=event.note)
        else:
            request_ops.record_event(self._ctx, self._request.id, event)
        self.saved = True

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, request: Request, kind: ClockEventKind,
            parties: Sequence[str] = ()) -> bool:
        """True when the fact was saved."""
        dialog = cls(parent, ctx, request, kind, parties)
        dialog.run_modal()
        return dialog.saved


class ReopenDialog(SaveOnAcceptDialog):
    """撤销办结: the reason is required and goes to the 操作日志."""

    def __init__(self, parent: QWidget | None, ctx: Context, request: Request) -> None:
        super().__init__(parent, f"撤销办结（申请{request.number}）")
        self._save = self._save_values
        self._ctx = ctx
        self._request = request
        self.saved = False
        outcome = request.outcome.label if request.outcome else ""
        note = QLabel(f"本申请已于{request.closed_on:%Y年%m月%d日}办结（{outcome}）。撤销办结后，"
                      "答复记录和办理结果将删除，申请恢复为办理中；原因记入操作日志。"
                      if request.closed_on else "")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.form.addRow(note)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setFixedHeight(80)
        self.reason_edit.setPlaceholderText("如：办结日期录错，应为……")
        self.form.addRow("原因：", self.reason_edit)
        self._fields["原因"] = self.reason_edit

    def values(self) -> dict[str, Any]:
        return {"reason": self.reason_edit.toPlainText().strip()}

    def _save_values(self, values: dict[str, Any]) -> None:
        request_ops.reopen_request(self._ctx, self._request.id, values["reason"])
        self.saved = True

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, request: Request) -> bool:
        dialog = cls(parent, ctx, request)
        dialog.run_modal()
        return dialog.saved
