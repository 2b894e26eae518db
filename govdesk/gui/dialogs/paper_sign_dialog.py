"""纸质签批（代录）: a clerk enters what a leader wrote and signed on a printed 审批单 — the signer,
the date on the paper, the decision and the opinion as written, optionally a scan — confirmed
with the clerk's own password. The record says who entered it; the signer must be allowed to
decide the step exactly as on screen (the operation checks)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.approvals import Decision
from govdesk.core.auth import GENERIC_FAILURE
from govdesk.core.errors import UserError
from govdesk.gui import ui_state
from govdesk.operations import approvals, auth
from govdesk.operations.approvals import SlipView
from govdesk.operations.context import Context

BANNER_STYLE = ("background: #fff3bf; color: #5c4400; border: 1px solid #e6c84d;"
                " border-radius: 4px; padding: 8px 12px;")
SCAN_FILTER = "扫描件 (*.pdf *.jpg *.jpeg *.png)"


def _qdate(d) -> QDate:
    return QDate(d.year, d.month, d.day)


class PaperSignDialog(QDialog):
    def __init__(self, ctx: Context, view: SlipView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.view = view
        self.result_view: SlipView | None = None
        self.scan = ""
        stage = view.current_stage
        self.setWindowTitle("纸质签批（代录）")
        self.setMinimumWidth(560)
        clerk = ctx.user.name if ctx.user else ""

        self.banner = banner = QLabel(f"代录：将以签批人名义记录，并注明由您录入（录入人：{clerk}）。\n"
                        "请对照领导签字的纸质审批单逐项录入，意见照纸面原文填写。")
        banner.setWordWrap(True)
        banner.setStyleSheet(BANNER_STYLE)
        info = QLabel(f"<b>{view.title}</b><br>审批单 {view.number}"
                      f"　当前环节：{stage.value if stage else '—'}"
                      f"　内容指纹 {view.state.content_hash[:12]}")
        info.setWordWrap(True)

        self.signer_combo = QComboBox()
        if stage is not None:
            for u in auth.list_users(ctx):
                if u.active and u.role is stage.role:
                    self.signer_combo.addItem(u.name, u.id)
        self.no_signer_label = QLabel()
        self.no_signer_label.setStyleSheet("color: #b3261e;")
        if stage is not None and not self.signer_combo.count():
            self.no_signer_label.setText(
                f"没有在用的“{stage.role.label}”账号，请管理员先在“设置 → 用户”中添加。")
        self.no_signer_label.setVisible(bool(self.no_signer_label.text()))

        today = ctx.today()
        self.date_edit = QDateEdit(_qdate(today))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(_qdate(today))
        submitted = view.slip.created_at[:10]
        y, m, d = (int(p) for p in submitted.split("-"))
        self.date_edit.setMinimumDate(QDate(y, m, d))

        self.decision_radios: dict[Decision, QRadioButton] = {}
        radio_group = QButtonGroup(self)
        radio_row = QHBoxLayout()
        for decision in Decision:
            radio = QRadioButton(decision.value)
            radio.toggled.connect(lambda on: on and self._decision_changed())
            radio_group.addButton(radio)
            self.decision_radios[decision] = radio
            radio_row.addWidget(radio)
        radio_row.addStretch(1)

        self.return_combo = QComboBox()
        for value, text in approvals.stage_choices(view):
            self.return_combo.addItem(text, value)
        self.return_label = QLabel("退回到：")
        self.opinion_edit = QPlainTextEdit()
        self.opinion_edit.setPlaceholderText("照纸面原文录入，如：同意，请按程序公示")
        self.opinion_edit.setFixedHeight(self.fontMetrics().height() * 3 + 14)

        self.scan_label = QLabel("未选择（可选）")
        self.scan_label.setStyleSheet("color: #666;")
        choose = QPushButton("选择扫描件…")
        choose.setAutoDefault(False)
        choose.clicked.connect(lambda _=False: self._pick_scan())
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan_label, 1)
        scan_row.addWidget(choose)

        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(f"{clerk}的登录密码")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("签批人：", self.signer_combo)
        form.addRow("", self.no_signer_label)
        form.addRow("签批日期：", self.date_edit)
        form.addRow("签批结论：", radio_row)
        form.addRow(self.return_label, self.return_combo)
        form.addRow("签批意见：", self.opinion_edit)
        form.addRow("扫描件：", scan_row)
        form.addRow("录入人密码：", self.password_edit)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("录入")
        self.ok_button.setEnabled(self.signer_combo.count() > 0)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(banner)
        layout.addWidget(info)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.decision_radios[Decision.APPROVE].setChecked(True)  # then _decision_changed

    # ---- the form ----------------------------------------------------------------------------

    def decision(self) -> Decision:
        return next(d for d, r in self.decision_radios.items() if r.isChecked())

    def choose(self, decision: Decision) -> None:
        self.decision_radios[decision].setChecked(True)

    def _decision_changed(self) -> None:
        returning = self.decision() is Decision.RETURN
        self.return_label.setVisible(returning)
        self.return_combo.setVisible(returning)

    def _choose_scan_file(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self, "选择纸质审批单的扫描件", ui_state.last_dir("scans"), SCAN_FILTER)
        return path

    def _pick_scan(self) -> None:
        path = self._choose_scan_file()
        if path:
            ui_state.set_last_dir("scans", str(Path(path).parent))
            self.scan = path  # stored by the operation under a content-derived name
            self.scan_label.setText(Path(path).name)
            self.scan_label.setToolTip(path)

    def signed_on(self) -> date:
        d = self.date_edit.date()
        return date(d.year(), d.month(), d.day())

    def accept(self) -> None:
        signer_id = self.signer_combo.currentData()
        decision = self.decision()
        opinion = self.opinion_edit.toPlainText().strip()
        if signer_id is None:
            self.error_label.setText("请选择签批人。")
            return
        if decision is not Decision.APPROVE and not opinion:
            self.error_label.setText(f"纸面结论为“{decision.value}”时须照录领导写的理由。")
            self.opinion_edit.setFocus()
            return
        if not self.password_edit.text():
            self.error_label.setText("请输入您本人的登录密码确认录入。")
            self.password_edit.setFocus()
            return
        try:
            self.result_view = approvals.record_paper_decision(
                self._ctx, self.view.id, signer_id=int(signer_id), decision=decision,
                opinion=opinion, signed_on=self.signed_on(), password=self.password_edit.text(),
                return_to=self.return_combo.currentData() if decision is Decision.RETURN
                else None,
                scan=self.scan)
        except UserError as exc:
            message = exc.message
            if message == GENERIC_FAILURE:
                message = "密码不正确，未录入。请重新输入您本人的登录密码。"
                self.password_edit.setFocus()
                self.password_edit.selectAll()
            self.error_label.setText(message)
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, view: SlipView) -> SlipView | None:
        """Show the form; the slip after the entry, or None if cancelled."""
        dialog = cls(ctx, view, parent)
        try:
            return dialog.result_view if dialog.exec() else None
        finally:
            dialog.deleteLater()
