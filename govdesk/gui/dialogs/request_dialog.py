"""登记申请 / 修改登记: one 政府信息公开申请 as the clerk types it.

The receipt date is not typed: it follows from the channel and its dates (条例第三十一条), and
the dialog shows it — with the reply deadline it starts (条例第三十三条) — while the clerk types.

What is typed is kept as a draft file beside the database (B9, gui.drafts): autosaved while
typing, written at once when 保存 fails (a refused input, disk full, I/O error), offered back when
the same form is opened again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from govdesk.core.drafts import KIND_LABELS, draft_key
from govdesk.core.errors import UserError
from govdesk.core.requests import (
    BASE_DAYS,
    ApplicantKind,
    Channel,
    Request,
    RequestInput,
    receipt_date,
)
from govdesk.gui import messages
from govdesk.gui.dialogs.org_item_dialog import SaveOnAcceptDialog
from govdesk.gui.drafts import DraftKeeper, keeping
from govdesk.gui.widgets import pydate, qdate
from govdesk.operations import requests as request_ops
from govdesk.operations.context import Context

_EMPTY = QDate(2000, 1, 1)  # an OptionalDateEdit at this date shows “未填写” and means None
_HINT_STYLE = "color: #555;"


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def date_edit(d: date, *, latest: date | None = None) -> QDateEdit:
    edit = QDateEdit(qdate(d))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy年M月d日")
    if latest is not None:
        edit.setMaximumDate(qdate(latest))
    return edit


class OptionalDateEdit(QDateEdit):
    """A date that may be left empty: its lowest value reads “未填写” and means None."""

    def __init__(self, d: date | None = None, *, latest: date | None = None) -> None:
        super().__init__()
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy年M月d日")
        self.setMinimumDate(_EMPTY)
        self.setSpecialValueText("未填写")
        if latest is not None:
            self.setMaximumDate(qdate(latest))
            # The popup opens on today rather than on the year 2000.
            self.calendarWidget().setSelectedDate(qdate(latest))
        self.set_value(d)

    def value(self) -> date | None:
        q = self.date()
        return None if q == _EMPTY else pydate(q)

    def set_value(self, d: date | None) -> None:
        self.setDate(_EMPTY if d is None else qdate(d))


def applicant_kind_text(kind: ApplicantKind) -> str:
    return kind.value if not kind.is_organisation else f"法人或其他组织：{kind.value}"


class RequestDialog(SaveOnAcceptDialog):
    """申请方式, 提交日期 and 签收日期 / 确认日期 by channel, the computed 收到申请日期 and
    答复期限, 申请人类型, 姓名或名称, 联系方式, 申请内容."""

    def __init__(self, parent: QWidget | None, ctx: Context,
                 request: Request | None = None) -> None:
        super().__init__(parent, "修改申请登记" if request else "登记政府信息公开申请")
        self._ctx = ctx
        self._request = request
        self._save = self._save_values
        self.saved: Request | None = None  # set once 保存 succeeded
        today = ctx.today()
        self.setMinimumWidth(600)

        self.channel_combo = QComboBox()
        for channel in Channel:
            self.channel_combo.addItem(channel.value, channel.value)
        self._add("申请方式", "申请方式", self.channel_combo)
        self.submitted_edit = date_edit(today, latest=today)
        self._add("提交日期", "收到日期", self.submitted_edit)
        self.signed_edit = OptionalDateEdit(latest=today)
        self._add("签收日期", "signed_on", self.signed_edit)
        self.confirmed_edit = OptionalDateEdit(latest=today)
        self._add("确认日期", "confirmed_on", self.confirmed_edit)
        self.rule_label = QLabel()
        self.rule_label.setWordWrap(True)
        self.rule_label.setStyleSheet(_HINT_STYLE)
        # A wrapped label in a form row is otherwise squeezed to the date fields' width.
        self.rule_label.setMinimumWidth(420)
        self.form.addRow("", self.rule_label)
        self.clock_label = QLabel()
        self.clock_label.setWordWrap(True)
        self.clock_label.setMinimumWidth(420)
        self.form.addRow("", self.clock_label)

        self.kind_combo = QComboBox()
        for kind in ApplicantKind:
            self.kind_combo.addItem(applicant_kind_text(kind), kind.value)
        self._add("申请人类型", "申请人类型", self.kind_combo)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(100)
        self.name_edit.setPlaceholderText("自然人写姓名；法人或其他组织写全称")
        self._add("姓名或名称", "申请人", self.name_edit)
        self.contact_edit = QLineEdit()
        self.contact_edit.setMaxLength(200)
        self.contact_edit.setPlaceholderText("电话、通讯地址或电子邮箱")
        self._add("联系方式", "联系方式", self.contact_edit)
        self.content_edit = QPlainTextEdit()
        self.content_edit.setPlaceholderText("申请公开的政府信息的名称、文号或者便于查询的其他特征性描述")
        self.content_edit.setMinimumHeight(110)
        self._add("申请内容", "申请内容", self.content_edit)

        if request is not None:
            self.channel_combo.setCurrentIndex(self.channel_combo.findData(request.channel.value))
            self.submitted_edit.setDate(qdate(request.submitted_on))
            self.signed_edit.set_value(request.signed_on)
            self.confirmed_edit.set_value(request.confirmed_on)
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(request.applicant_kind.value))
            self.name_edit.setText(request.applicant_name)
            self.contact_edit.setText(request.applicant_contact)
            self.content_edit.setPlainText(request.content)

        self.channel_combo.currentIndexChanged.connect(self._update)
        for edit in (self.submitted_edit, self.signed_edit, self.confirmed_edit):
            edit.dateChanged.connect(self._update)
        self._update()

        self.drafts = DraftKeeper(
            self, ctx, draft_key("request", request.id if request else None),
            collect=self.draft_fields, apply=self.apply_draft,
            label=lambda f: KIND_LABELS["request"] + (
                f"（{f['name']}）" if str(f.get("name", "")).strip() else ""),
            existing=request is not None)
        layout = self.layout()
        layout.insertWidget(layout.indexOf(self.buttons), self.drafts.marker)
        self.drafts.watch(self._fields.values())

    def _add(self, label: str, key: str, widget: QWidget) -> None:
        self.form.addRow(f"{label}：", widget)
        self._fields[key] = widget

    # ---- live ----------------------------------------------------------------------------

    def channel(self) -> Channel:
        return Channel(self.channel_combo.currentData())

    def _update(self, *_: object) -> None:
        channel = self.channel()
        post = channel is Channel.REGISTERED_POST
        confirm = channel not in (Channel.IN_PERSON, Channel.REGISTERED_POST)
        self.form.setRowVisible(self.signed_edit, post)
        self.form.setRowVisible(self.confirmed_edit, confirm)
        submitted_label = {Channel.IN_PERSON: "提交日期：", Channel.REGISTERED_POST: "寄达日期："}
        label = self.form.labelForField(self.submitted_edit)
        if isinstance(label, QLabel):
            label.setText(submitted_label.get(channel, "收到日期："))
        self.rule_label.setText(f"条例第三十一条：{channel.value}提交的，{channel.receipt_rule}。")
        self.clock_label.setText(self.clock_text())

    def clock_text(self) -> str:
        """收到申请日期 and 答复期限 for what is typed, or what is still missing."""
        try:
            received = receipt_date(self.channel(), pydate(self.submitted_edit.date()),
                                    self.signed_edit.value(), self.confirmed_edit.value())
        except UserError as exc:
            return f"<span style='color:#b3261e'>{exc.message}</span>"
        due = self._ctx.calendar.add_workdays(received, BASE_DAYS)
        return (f"收到申请日期：<b>{cn_date(received)}</b>　答复期限：<b>{cn_date(due)}</b>"
                f"<span style='color:#555'>（自次日起{BASE_DAYS}个工作日，条例第三十三条）</span>")

    # ---- values ----------------------------------------------------------------------------

    def request_input(self) -> RequestInput:
        channel = self.channel()
        return RequestInput(
            channel=channel,
            submitted_on=pydate(self.submitted_edit.date()),
            applicant_kind=ApplicantKind(self.kind_combo.currentData()),
            applicant_name=self.name_edit.text().strip(),
            content=self.content_edit.toPlainText().strip(),
            applicant_contact=self.contact_edit.text().strip(),
            # Only the date the channel uses is kept (a hidden row may hold an old value).
            signed_on=self.signed_edit.value() if channel is Channel.REGISTERED_POST else None,
            confirmed_on=(self.confirmed_edit.value()
                          if channel not in (Channel.IN_PERSON, Channel.REGISTERED_POST)
                          else None),
        )

    def values(self) -> dict[str, Any]:
        return {"input": self.request_input()}

    def draft_fields(self) -> dict[str, Any]:
        """Everything typed or chosen, as JSON data (the draft, B9)."""
        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "channel": self.channel_combo.currentData(),
            "submitted_on": pydate(self.submitted_edit.date()).isoformat(),
            "signed_on": iso(self.signed_edit.value()),
            "confirmed_on": iso(self.confirmed_edit.value()),
            "applicant_kind": self.kind_combo.currentData(),
            "name": self.name_edit.text(),
            "contact": self.contact_edit.text(),
            "content": self.content_edit.toPlainText(),
        }

    def apply_draft(self, f: dict[str, Any]) -> None:
        def day(text: str | None) -> date | None:
            return date.fromisoformat(text) if text else None

        self.channel_combo.setCurrentIndex(self.channel_combo.findData(f["channel"]))
        self.submitted_edit.setDate(qdate(date.fromisoformat(f["submitted_on"])))
        self.signed_edit.set_value(day(f["signed_on"]))
        self.confirmed_edit.set_value(day(f["confirmed_on"]))
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(f["applicant_kind"]))
        self.name_edit.setText(f["name"])
        self.contact_edit.setText(f["contact"])
        self.content_edit.setPlainText(f["content"])

    def check(self) -> UserError | None:
        # Every problem at once, the first one's field focused (RequestInput.problems).
        problems = self.request_input().problems()
        if not problems:
            return None
        self.drafts.save_failed()  # not saved: the draft is written and the form marked
        if len(problems) == 1:
            return problems[0]
        text = "申请登记有误，未保存：\n" + "\n".join(p.message for p in problems)
        return UserError(text, field=problems[0].field)

    def reject(self) -> None:
        # 取消, Esc and the close box: unsaved typing is thrown away only when the user says so.
        if self.drafts.is_dirty() and not messages.confirm(
                self, "登记的内容还没有保存，关闭后将丢失。确定放弃修改吗？", ok="放弃修改"):
            return
        self.drafts.discard()
        super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context,
            request: Request | None = None) -> Request | None:
        """Register a new application (``request`` None) or correct an open one; returns the
        saved application, or None when cancelled."""
        dialog = cls(parent, ctx, request)
        dialog.drafts.offer()
        dialog.run_modal()
        return dialog.saved

    def _save_values(self, values: dict[str, Any]) -> None:
        data: RequestInput = values["input"]
        request = self._request
        if request is None:
            saved = keeping(self.drafts, lambda: request_ops.register_request(self._ctx, data))
        else:
            saved = keeping(self.drafts,
                            lambda: request_ops.update_request(self._ctx, request.id, data))
        self.saved = saved
        self.drafts.saved()
