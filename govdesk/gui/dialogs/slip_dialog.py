"""审批单 {number}: one approval slip — what was submitted (WYSIWYS: title and content hash), the
chain with each step's latest decision, the full history, the 保密审查 screening, and the
actions the signed-in user may take: decide the current step (with the password, always), 取回,
纸质签批（代录）, and print the slip (completed, or blank for pen signatures).

Buttons are enabled from what the operations expose: deciding from ``approvals.why_not_decide``
(the same rule ``decide`` applies, with its reason shown when it says no), 取回 from the slip's
folded state; every operation checks again.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.approvals import COMMON_OPINIONS, DRAFTER, Decision, EventKind, SlipStatus, Stage
from govdesk.core.auth import GENERIC_FAILURE
from govdesk.core.errors import UserError
from govdesk.gui import guard, messages, printing_actions
from govdesk.gui.dialogs.screening_panel import ScreeningPanel
from govdesk.gui.models.org_models import Column, RecordTableModel
from govdesk.gui.widgets import data_table
from govdesk.operations import approvals, auth
from govdesk.operations.approvals import SlipView
from govdesk.operations.context import Context, can

CIRCLED = "①②③④⑤⑥⑦⑧⑨"
WRONG_PASSWORD = "密码不正确，未签署。请重新输入本人登录密码。"
STATUS_COLOURS = {
    SlipStatus.IN_REVIEW: "#1d4f8c",
    SlipStatus.RETURNED: "#a15c00",
    SlipStatus.APPROVED: "#2e7d32",
    SlipStatus.REJECTED: "#b3261e",
    SlipStatus.WITHDRAWN: "#666666",
    SlipStatus.SUPERSEDED: "#666666",
}
BANNER = "border-radius: 4px; padding: 6px 10px;"
INFO_BANNER = "background: #eef4fb; border: 1px solid #b8cde6; color: #1d3f66;" + BANNER
DONE_BANNER = "background: #eef7ee; border: 1px solid #b9d8bb; color: #1e5b22;" + BANNER
CLOSED_BANNER = "background: #f3f3f3; border: 1px solid #cfcfcf; color: #444;" + BANNER
ERROR_STYLE = "color: #b3261e;"
CHOICE_STYLE = ("QPushButton:checked { background: #dbe7f7; border: 1px solid #5b8fd6;"
                " border-radius: 3px; padding: 4px 12px; font-weight: bold; color: #0b3d91; }")


# ---- small pure helpers ----------------------------------------------------------------------


def local_time(utc_iso: str) -> str:
    """An event's UTC time as the office reads it (the PC's local time, to the minute)."""
    if not utc_iso:
        return ""
    when = datetime.fromisoformat(utc_iso.replace("Z", "+00:00")).astimezone()
    return f"{when:%Y-%m-%d %H:%M}"


def short_hash(digest: str) -> str:
    return digest[:12]


def return_target(view: SlipView, target: int | None) -> str:
    if target is None or target == DRAFTER:
        return "经办人"
    return view.chain[target].value if 0 <= target < len(view.chain) else "?"


def event_text(view: SlipView, row: Any) -> str:
    """What an event was, in words (提交审批 / 同意 / 退回修改（退回到：经办人） / 取回 …)."""
    ev = row.event
    if ev.kind is EventKind.DECIDE and ev.decision is not None:
        text = ev.decision.value
        if ev.decision is Decision.RETURN:
            text += f"（退回到：{return_target(view, ev.return_to)}）"
        return text + ("（纸质签批代录）" if ev.paper else "")
    return ev.kind.label


def paper_note(row: Any, names: dict[int, str]) -> str:
    ev = row.event
    if not ev.paper:
        return ""
    text = f"纸质签批（代录），录入人：{names.get(ev.entered_by or -1, '未知')}"
    if ev.signed_on:
        text += f"；签批日期 {ev.signed_on:%Y-%m-%d}"
    if row.scan:
        text += "；扫描件：已存档"
    return text


def latest_decisions(view: SlipView) -> dict[int, Any]:
    """Each step's latest decision (the box on the printed slip shows the same)."""
    out: dict[int, Any] = {}
    for row in view.events:
        if row.event.kind is EventKind.DECIDE and row.event.step is not None:
            out[row.event.step] = row
    return out


# ---- the history table -------------------------------------------------------------------------


class SlipEventModel(RecordTableModel):
    """审批记录: every event of the slip, oldest first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.view: SlipView | None = None
        self.names: dict[int, str] = {}
        self.columns = (
            Column("时间", lambda r: local_time(r.at_utc)),
            Column("事项", lambda r: event_text(self.view, r) if self.view else ""),
            Column("环节", lambda r: r.stage or "—"),
            Column("办理人", self._person),
            Column("意见", lambda r: r.event.opinion),
        )

    def _person(self, row: Any) -> str:
        who = row.actor_name + (f"（{row.actor_role}）" if row.actor_role else "")
        if row.event.paper:
            who += f"，{self.names.get(row.event.entered_by or -1, '')}代录"
        return who

    def set_slip(self, view: SlipView, names: dict[int, str]) -> None:
        self.view = view
        self.names = names
        self.set_records(view.events)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.ToolTipRole and index.isValid()
                and 0 <= index.row() < len(self._records)):
            row = self._records[index.row()]
            parts = [self.columns[c].text(row) for c in range(len(self.columns))]
            note = paper_note(row, self.names)
            return "\n".join(p for p in (*parts, note) if p)
        return super().data(index, role)

    def foreground(self, record: Any):
        return None


# ---- the dialog --------------------------------------------------------------------------------


class SlipDialog(QDialog):
    changed = Signal()  # something was recorded: callers refresh their lists

    def __init__(self, ctx: Context, slip_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.view: SlipView = approvals.get_slip(ctx, slip_id)
        self.changed_anything = False
        self.holder = False
        self.resize(1080, 860)

        # ---- header: what is being approved (WYSIWYS) ---------------------------------------
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.number_label = QLabel()
        self.drafter_label = QLabel()
        self.submitted_label = QLabel()
        self.hash_label = QLabel()
        self.hash_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history_combo = QComboBox()
        self.history_combo.setToolTip("这条信息的历次审批单（内容修改后重新审批会产生新的审批单）")
        self.history_combo.activated.connect(self._history_chosen)
        header = QGridLayout()
        header.setHorizontalSpacing(14)
        header.addWidget(self.title_label, 0, 0, 1, 6)
        for col, (label, widget) in enumerate((
                ("状态", self.status_label), ("审批单编号", self.number_label),
                ("经办人", self.drafter_label))):
            header.addWidget(self._caption(label), 1, col * 2)
            header.addWidget(widget, 1, col * 2 + 1)
        for col, (label, widget) in enumerate((
                ("提交时间", self.submitted_label), ("内容指纹", self.hash_label),
                ("历次审批单", self.history_combo))):
            header.addWidget(self._caption(label), 2, col * 2)
            header.addWidget(widget, 2, col * 2 + 1)
        header.setColumnStretch(5, 1)
        self.history_caption = header.itemAtPosition(2, 4).widget()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.latest_button = QPushButton("查看最新审批单")
        self.latest_button.clicked.connect(lambda _=False: self._show_latest())
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.latest_button)

        # ---- the chain -----------------------------------------------------------------------
        self.steps_box = QWidget()
        self.steps_layout = QVBoxLayout(self.steps_box)
        self.steps_layout.setContentsMargins(0, 0, 0, 0)
        self.steps_layout.setSpacing(8)
        self.step_labels: list[QLabel] = []
        steps_scroll = QScrollArea()
        steps_scroll.setWidgetResizable(True)
        steps_scroll.setFrameShape(QFrame.Shape.NoFrame)
        steps_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        steps_scroll.setWidget(self.steps_box)
        chain_group = QGroupBox("审批环节")
        QVBoxLayout(chain_group).addWidget(steps_scroll)

        # ---- history and screening ---------------------------------------------------------
        self.event_model = SlipEventModel(self)
        self.event_view = data_table(self.event_model)
        events_header = self.event_view.horizontalHeader()
        events_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        events_header.setStretchLastSection(True)
        history_group = QGroupBox("审批记录")
        QVBoxLayout(history_group).addWidget(self.event_view)
        self.screening = ScreeningPanel(ctx)
        self.screening.masked.connect(self._after_mask)
        self.screening.passed.connect(self._after_pass)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(history_group)
        right.addWidget(self.screening)
        right.setChildrenCollapsible(False)
        middle = QSplitter(Qt.Orientation.Horizontal)
        middle.addWidget(chain_group)
        middle.addWidget(right)
        middle.setStretchFactor(0, 2)
        middle.setStretchFactor(1, 3)
        middle.setChildrenCollapsible(False)
        middle.setSizes([420, 640])
        right.setSizes([260, 220])

        # ---- the decision --------------------------------------------------------------------
        self.decision_group = QGroupBox("签署审批意见")
        self.decision_buttons: dict[Decision, QPushButton] = {}
        self.decision_group_buttons = QButtonGroup(self)
        self.decision_group_buttons.setExclusive(True)
        choice_row = QHBoxLayout()
        for decision in Decision:
            button = QPushButton(decision.value)
            button.setCheckable(True)
            button.setMinimumWidth(96)
            button.setStyleSheet(CHOICE_STYLE)
            button.toggled.connect(lambda on, d=decision: on and self._decision_chosen(d))
            self.decision_group_buttons.addButton(button)
            self.decision_buttons[decision] = button
            choice_row.addWidget(button)
        self.approve_block_label = QLabel()
        self.approve_block_label.setStyleSheet(ERROR_STYLE)
        self.approve_block_label.setWordWrap(True)
        choice_row.addWidget(self.approve_block_label, 1)
        self.common_combo = QComboBox()
        self.common_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.common_combo.activated.connect(self._common_chosen)
        self.opinion_edit = QPlainTextEdit()
        self.opinion_edit.setFixedHeight(self.fontMetrics().height() * 3 + 14)
        self.return_combo = QComboBox()
        self.return_label = QLabel("退回到：")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("本人登录密码")
        self.password_edit.setMaximumWidth(220)
        self.password_edit.returnPressed.connect(self.sign)
        self.signing_label = QLabel()
        self.signing_label.setWordWrap(True)
        self.signing_label.setStyleSheet("color: #555;")
        self.sign_button = QPushButton("签署")
        self.sign_button.setDefault(False)
        self.sign_button.setAutoDefault(False)
        self.sign_button.clicked.connect(lambda _=False: self.sign())
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        form = QFormLayout(self.decision_group)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("结论：", choice_row)
        return_row = QHBoxLayout()
        return_row.addWidget(self.common_combo)
        return_row.addSpacing(16)
        return_row.addWidget(self.return_label)
        return_row.addWidget(self.return_combo)
        return_row.addStretch(1)
        form.addRow("常用意见：", return_row)
        form.addRow("意见：", self.opinion_edit)
        password_row = QHBoxLayout()
        password_row.addWidget(self.password_edit)
        password_row.addWidget(self.signing_label, 1)
        password_row.addWidget(self.sign_button)
        form.addRow("密码：", password_row)
        form.addRow("", self.error_label)
        self.holder_note = QLabel()
        self.holder_note.setWordWrap(True)
        self.holder_note.setStyleSheet("color: #555;")
        self.result_label = QLabel()
        self.result_label.setStyleSheet("color: #2e7d32; font-weight: bold;")

        # ---- other actions -------------------------------------------------------------------
        self.withdraw_button = QPushButton("取回")
        self.withdraw_button.setToolTip("经办人在当前审批人处理之前取回审批单，信息回到草稿")
        self.paper_button = QPushButton("纸质签批（代录）…")
        self.paper_button.setToolTip("领导在纸质审批单上签批后，由您代为录入（注明由您录入）")
        self.print_button = QPushButton("打印审批单")
        self.print_blank_button = QPushButton("打印空白审批单")
        self.print_blank_button.setToolTip("信息内容已填好、各审批栏空白，供领导在纸上签批")
        self.close_button = QPushButton("关闭")
        self.withdraw_button.clicked.connect(lambda _=False: self.withdraw())
        self.paper_button.clicked.connect(lambda _=False: self.record_paper())
        self.print_button.clicked.connect(lambda _=False: self.print_slip(blank=False))
        self.print_blank_button.clicked.connect(lambda _=False: self.print_slip(blank=True))
        self.close_button.clicked.connect(self.accept)
        actions = QHBoxLayout()
        for b in (self.withdraw_button, self.paper_button, self.print_button,
                  self.print_blank_button):
            b.setAutoDefault(False)
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.result_label)
        actions.addSpacing(12)
        actions.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(banner_row)
        layout.addWidget(middle, 1)
        layout.addWidget(self.holder_note)
        layout.addWidget(self.decision_group)
        layout.addLayout(actions)
        self.load(self.view)

    @staticmethod
    def _caption(text: str) -> QLabel:
        label = QLabel(text + "：")
        label.setStyleSheet("color: #666;")
        return label

    # ---- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        self.load(approvals.get_slip(self._ctx, self.view.id))

    def load(self, view: SlipView) -> None:
        self.view = view
        state = view.state
        self.setWindowTitle(f"审批单 {view.number}")
        names = {u.id: u.name for u in auth.list_users(self._ctx)}
        self.title_label.setText(view.title)
        self.title_label.setToolTip(view.reference)
        colour = STATUS_COLOURS.get(state.status, "#333")
        self.status_label.setText(view.status_text)
        self.status_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.number_label.setText(view.number)
        self.drafter_label.setText(view.drafter_name or "—")
        self.submitted_label.setText(local_time(view.slip.created_at))
        self.hash_label.setText(short_hash(state.content_hash))
        self.hash_label.setToolTip(
            f"送审内容的 SHA-256：{state.content_hash}\n签署的就是这一版本；内容一改，指纹就变。")
        slips = approvals.slips_of_subject(self._ctx, view)
        self.history_combo.clear()
        for s in slips:
            self.history_combo.addItem(f"{s.number}（{s.status_text}）", s.id)
        self.history_combo.setCurrentIndex(max(self.history_combo.findData(view.id), 0))
        self.history_combo.setVisible(len(slips) > 1)
        self.history_caption.setVisible(len(slips) > 1)
        newest = slips[-1] if slips else None
        self._newest_id = newest.id if newest is not None and newest.id != view.id else None
        self.latest_button.setVisible(self._newest_id is not None)

        self._fill_steps(view, names)
        self.event_model.set_slip(view, names)
        self.event_view.scrollToBottom()

        self.not_holder_reason = approvals.why_not_decide(self._ctx, view)
        self.holder = state.status is SlipStatus.IN_REVIEW and not self.not_holder_reason
        self._fill_banner(view)
        # The personal-information screening is about what gets published: notices only (a
        # letter is addressed to the applicant by name).
        shows_screening = state.status in (SlipStatus.IN_REVIEW, SlipStatus.RETURNED,
                                           SlipStatus.APPROVED) and self._newest_id is None \
            and view.notice is not None
        self.screening.setVisible(shows_screening)
        if shows_screening:
            self.screening.set_slip(view, holder=self.holder)
        self._fill_decision(view)
        self._update_actions(view)

    def _fill_banner(self, view: SlipView) -> None:
        state = view.state
        text, style = "", INFO_BANNER
        letter = view.letter is not None
        where = "在文书窗口中" if letter else "在“信息登记”中"
        if state.recorded:
            text, style = ("补录的原有审批（启用本系统前已审批或台账导入），只能查看。",
                           CLOSED_BANNER)
        elif state.status is SlipStatus.SUPERSEDED:
            text, style = (f"此审批单已作废：{view.subject_kind}内容修改后已重新提交审批，"
                           "这里只能查看。", CLOSED_BANNER)
        elif state.status is SlipStatus.WITHDRAWN:
            text, style = (f"经办人已取回此审批单，只能查看；修改后请{where}重新提交审批。",
                           CLOSED_BANNER)
        elif state.status is SlipStatus.REJECTED:
            text, style = ("审批结论为“不同意”，此审批单已办结，只能查看。", CLOSED_BANNER)
        elif state.status is SlipStatus.APPROVED:
            text, style = ("审批完成，各环节均已同意，这一版本可以"
                           + ("打印发出。" if letter else "公开。"), DONE_BANNER)
        elif state.status is SlipStatus.RETURNED:
            who = (view.chain[state.returned_by].value
                   if state.returned_by is not None else "审批人")
            text = (f"{who}已退回经办人修改。经办人修改后{where}点“提交审批”，"
                    "审批单从退回的环节继续。")
        elif view.current_stage is not None:
            stage = view.current_stage
            text = f"当前环节：{stage.value}（由{stage.role.label}审批）。"
            if self.holder:
                text += "请您审阅后签署意见。"
        self.banner.setText(text)
        self.banner.setStyleSheet(style)
        self.banner.setVisible(bool(text))

    def _fill_steps(self, view: SlipView, names: dict[int, str]) -> None:
        for label in self.step_labels:
            self.steps_layout.removeWidget(label)
            label.deleteLater()
        self.step_labels = []
        while self.steps_layout.count():
            self.steps_layout.takeAt(0)
        state = view.state
        latest = latest_decisions(view)
        first = QLabel(f"<b>经办人拟稿</b>　{escape(view.drafter_name)}"
                       f"　<span style='color:#666'>{local_time(view.slip.created_at)} 提交</span>")
        first.setStyleSheet("QLabel { border: 1px solid #dcdfe4; border-radius: 5px;"
                            " padding: 6px 10px; background: #fafafa; }")
        self.step_labels.append(first)
        self.steps_layout.addWidget(first)
        for i, stage in enumerate(view.chain):
            row = latest.get(i)
            current = state.status is SlipStatus.IN_REVIEW and state.current == i
            if current:
                mark, colour, border = "待审批（当前环节）", "#1d4f8c", "#5b8fd6"
            elif i in state.approvals:
                mark, colour, border = "已同意", "#2e7d32", "#b9d8bb"
            elif row is not None and row.event.decision is not None:
                mark = row.event.decision.value
                colour = "#b3261e" if row.event.decision is Decision.REJECT else "#a15c00"
                border = "#e6c2a0"
            else:
                mark, colour, border = "未到", "#888888", "#dcdfe4"
            html = (f"<b>{CIRCLED[i]} {escape(stage.value)}</b>"
                    f"　<span style='color:{colour}'>{mark}</span>")
            if row is not None:
                ev = row.event
                if current:
                    html += "<br><span style='color:#666'>上次意见：</span>"
                else:
                    html += "<br>意见："
                html += escape(ev.opinion or (ev.decision.value if ev.decision else ""))
                if ev.decision is Decision.RETURN:
                    html += f"（退回到：{escape(return_target(view, ev.return_to))}）"
                when = (f"{ev.signed_on:%Y-%m-%d}" if ev.paper and ev.signed_on
                        else local_time(row.at_utc))
                html += (f"<br>签名：{escape(row.actor_name)}"
                         f"<span style='color:#666'>（{escape(row.actor_role)}）　{when}</span>")
                note = paper_note(row, names)
                if note:
                    html += f"<br><span style='color:#8a5a00'>{escape(note)}</span>"
            label = QLabel(html)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            background = "#f2f7fd" if current else "#ffffff"
            width = 2 if current else 1
            label.setStyleSheet(f"QLabel {{ border: {width}px solid {border}; border-radius: 5px;"
                                f" padding: 6px 10px; background: {background}; }}")
            self.step_labels.append(label)
            self.steps_layout.addWidget(label)
        self.steps_layout.addStretch(1)

    def _fill_decision(self, view: SlipView) -> None:
        holder = self.holder
        self.decision_group.setVisible(holder)
        stage = view.current_stage
        if view.state.status is SlipStatus.IN_REVIEW and stage is not None and not holder:
            self.holder_note.setText(
                f"当前环节“{stage.value}”由{stage.role.label}审批。您不能签署：{self.not_holder_reason}。"
                "这里只能查看。")
            self.holder_note.show()
        else:
            self.holder_note.hide()
        if not holder:
            return
        self.decision_group.setTitle(f"签署审批意见：{stage.value if stage else ''}")
        self.return_combo.clear()
        for value, text in approvals.stage_choices(view):
            self.return_combo.addItem(text, value)
        self.signing_label.setText(
            f"签署《{view.title}》（内容指纹 {short_hash(view.state.content_hash)}）")
        self.signing_label.setToolTip(view.state.content_hash)
        blocked = ""
        if stage is Stage.SECRECY:
            pending = self.screening.unresolved_count()
            if pending:
                blocked = (f"还有 {pending} 处筛查发现待处理（见“保密审查辅助”）："
                           "遮盖或填写理由放行后才能同意。")
        self.approve_block_label.setText(blocked)
        approve = self.decision_buttons[Decision.APPROVE]
        if blocked and approve.isChecked():
            self._clear_choice()
        approve.setEnabled(not blocked)
        if self.chosen_decision() is None:
            self._decision_chosen(None)

    def _update_actions(self, view: SlipView) -> None:
        state = view.state
        user = self._ctx.user
        in_review = state.status is SlipStatus.IN_REVIEW
        self.withdraw_button.setEnabled(
            user is not None and user.id == view.slip.drafter_id and in_review
            and not state.acted_since_submit
            and can(user, "notice.edit" if view.notice is not None else "request.manage"))
        self.paper_button.setEnabled(in_review and can(user, "slip.record_paper"))
        self.print_button.setEnabled(True)
        self.print_blank_button.setEnabled(in_review)

    # ---- the decision form -----------------------------------------------------------------

    def chosen_decision(self) -> Decision | None:
        return next((d for d, b in self.decision_buttons.items() if b.isChecked()), None)

    def choose(self, decision: Decision) -> None:
        self.decision_buttons[decision].setChecked(True)

    def _clear_choice(self) -> None:
        self.decision_group_buttons.setExclusive(False)
        for b in self.decision_buttons.values():
            b.setChecked(False)
        self.decision_group_buttons.setExclusive(True)

    def _decision_chosen(self, decision: Decision | None) -> None:
        self.common_combo.clear()
        self.common_combo.addItem("（选择常用意见，也可直接填写）", "")
        for text in COMMON_OPINIONS.get(decision.value if decision else "", ()):
            self.common_combo.addItem(text, text)
        returning = decision is Decision.RETURN
        self.return_label.setVisible(returning)
        self.return_combo.setVisible(returning)
        self.opinion_edit.setPlaceholderText({
            Decision.APPROVE: "可不填，记为“同意”",
            Decision.RETURN: "请写明退回修改的理由（必填）",
            Decision.REJECT: "请写明不同意的理由（必填）",
        }.get(decision, "先在上面选择结论") if decision else "先在上面选择结论")
        self.sign_button.setText(f"签署：{decision.value}" if decision else "签署")
        self.sign_button.setEnabled(decision is not None)
        self.error_label.clear()

    def _common_chosen(self, index: int) -> None:
        text = self.common_combo.itemData(index)
        if text:
            self.opinion_edit.setPlainText(text)

    def _show_error(self, text: str, focus: QWidget | None = None) -> None:
        self.error_label.setText(text)
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(focus, QLineEdit):
                focus.selectAll()

    def sign(self) -> None:
        """签署: record the chosen decision for the current step, with the password."""
        decision = self.chosen_decision()
        if not self.holder or decision is None:
            self._show_error("请先选择“同意”“退回修改”或“不同意”。")
            return
        opinion = self.opinion_edit.toPlainText().strip()
        if decision is not Decision.APPROVE and not opinion:
            self._show_error(f"选择“{decision.value}”时须填写意见（理由）。", self.opinion_edit)
            return
        password = self.password_edit.text()
        if not password:
            self._show_error("请输入本人登录密码确认签署。", self.password_edit)
            return
        return_to = self.return_combo.currentData() if decision is Decision.RETURN else None
        try:
            view = approvals.decide(self._ctx, self.view.id, decision, opinion,
                                    password=password, return_to=return_to)
        except UserError as exc:
            # Everything typed stays; only the password is selected for retyping.
            if exc.message == GENERIC_FAILURE:
                self._show_error(WRONG_PASSWORD, self.password_edit)
            else:
                focus = {"密码": self.password_edit, "意见": self.opinion_edit,
                         "退回到": self.return_combo}.get(exc.field or "")
                self._show_error(exc.message, focus)
            return
        self.password_edit.clear()
        self.opinion_edit.clear()
        self._clear_choice()
        self.result_label.setText(f"已签署：{decision.value}")
        self._changed()
        self.load(view)

    # ---- other actions ---------------------------------------------------------------------

    def _changed(self) -> None:
        self.changed_anything = True
        self.changed.emit()

    def withdraw(self) -> None:
        view = self.view
        if not messages.confirm(
                self, f"确定取回审批单 {view.number} 吗？\n取回后信息回到草稿，可以修改后重新提交审批。",
                "取回审批单", ok="取回"):
            return
        done = guard.attempt(self, lambda: approvals.withdraw(self._ctx, view.id))
        if done is not None:
            self.result_label.setText("已取回")
            self._changed()
            self.load(done)

    def record_paper(self) -> None:
        from govdesk.gui.dialogs.paper_sign_dialog import PaperSignDialog

        done = PaperSignDialog.ask(self, self._ctx, self.view)
        if done is not None:
            self.result_label.setText("已录入纸质签批")
            self._changed()
            self.load(done)
        else:
            self.reload()  # someone may have decided meanwhile

    def print_slip(self, *, blank: bool) -> None:
        printing_actions.preview_slip(self, self._ctx, self.view.id, self.view.number,
                                      blank=blank)

    def _after_mask(self, notice_id: int) -> None:
        self._changed()
        latest = approvals.latest_slip(self._ctx, notice_id)
        self.result_label.setText("已遮盖，形成新版本，重新审批")
        self.load(latest if latest is not None else approvals.get_slip(self._ctx, self.view.id))

    def _after_pass(self) -> None:
        self._changed()
        self.result_label.setText("已放行")
        self.reload()

    def _history_chosen(self, index: int) -> None:
        slip_id = self.history_combo.itemData(index)
        if slip_id is not None and slip_id != self.view.id:
            self.load(approvals.get_slip(self._ctx, int(slip_id)))

    def _show_latest(self) -> None:
        if self._newest_id is not None:
            self.load(approvals.get_slip(self._ctx, self._newest_id))

    # ---- opening ---------------------------------------------------------------------------

    @classmethod
    def show_slip(cls, parent: QWidget | None, ctx: Context, slip_id: int) -> bool:
        """Open the slip; True when something was recorded (callers refresh)."""
        dialog = cls(ctx, slip_id, parent)
        try:
            dialog.exec()
            return dialog.changed_anything
        finally:
            dialog.deleteLater()
