"""The forms of the 工作台账 page (issue 8 §4): one per register — 政策解读, 舆情与热线, 建议提案,
培训与会议 — the quick 办结 of a hotline case, the picker of the policy notice a 政策解读
interprets, and the list of a refused import's problems.

Every form is a SaveOnAcceptDialog: 保存 runs operations.registers.add_record/update_record, and a
refused save (a UserError naming its field) keeps what was typed and focuses that field. The
dialogs return the saved record through ``ask``; tests build them directly or patch ``ask``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.errors import UserError
from govdesk.core.registers import (
    MAX_NOTE,
    MAX_PARTICIPANTS,
    MAX_TEXT,
    HotlineCase,
    Interpretation,
    InterpretationForm,
    Meeting,
    MeetingKind,
    Proposal,
    ProposalKind,
    RegisterKind,
    RegisterRecord,
    Satisfaction,
    default_due,
)
from govdesk.gui.dialogs.notice_picker_dialog import NoticePickerDialog
from govdesk.gui.dialogs.org_item_dialog import SaveOnAcceptDialog
from govdesk.gui.dialogs.request_dialog import OptionalDateEdit, date_edit, pydate, qdate
from govdesk.operations import lists
from govdesk.operations import registers as register_ops
from govdesk.operations.context import Context

_Index = QModelIndex | QPersistentModelIndex
_HINT_STYLE = "color: #555;"
_WIDE = 520  # the forms' text fields: room for a 30-character Chinese title


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _note_edit(text: str = "", placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(64)
    return edit


def _line(text: str = "", placeholder: str = "", limit: int = MAX_TEXT) -> QLineEdit:
    edit = QLineEdit(text)
    edit.setMaxLength(limit)
    edit.setPlaceholderText(placeholder)
    return edit


class OwnerCombo(QComboBox):
    """A unit (站所科室) or a community (社区/村), or — when optional — none."""

    def __init__(self, ctx: Context, *, required: bool, none_text: str = "",
                 unit_id: int | None = None, community_id: int | None = None) -> None:
        super().__init__()
        self._owners: list[tuple[int | None, int | None]] = [(None, None)]
        self.addItem(none_text or ("（请选择）" if required else "（不填）"))
        current = {(o[1], o[2]) for o in lists.owners(ctx, active_only=True)}
        everyone = lists.owners(ctx, active_only=False)
        for label, uid, cid in everyone:
            # Inactive owners only when the entry names one already.
            if (uid, cid) in current or (uid, cid) == (unit_id, community_id):
                kind = "站所科室" if uid is not None else "社区/村"
                self.addItem(label)
                self.setItemData(self.count() - 1, kind, Qt.ItemDataRole.ToolTipRole)
                self._owners.append((uid, cid))
        self.setMaxVisibleItems(20)
        self.setMinimumWidth(160)
        self.set_owner(unit_id, community_id)

    def set_owner(self, unit_id: int | None, community_id: int | None) -> None:
        key = (unit_id, community_id)
        self.setCurrentIndex(self._owners.index(key) if key in self._owners else 0)

    def owner(self) -> tuple[int | None, int | None]:
        return self._owners[max(self.currentIndex(), 0)]

    def select_name(self, name: str) -> bool:
        index = self.findText(name)
        if index >= 0:
            self.setCurrentIndex(index)
        return index >= 0


class _RecordDialog(SaveOnAcceptDialog):
    """What the four forms share: the context, the entry being corrected, saving."""

    KIND: RegisterKind

    def __init__(self, parent: QWidget | None, ctx: Context, record: Any | None) -> None:
        label = self.KIND.label
        super().__init__(parent, f"修改{label}记录" if record is not None else f"新增{label}记录")
        self._ctx = ctx
        self._record = record
        self._save = self._save_values
        self.saved: RegisterRecord | None = None
        self.today = ctx.today()
        self.setMinimumWidth(620)

    def hint(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet(_HINT_STYLE)
        label.setMinimumWidth(_WIDE - 60)
        self.form.addRow("", label)
        return label

    def record(self) -> RegisterRecord:
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        return {"record": self.record()}

    def _save_values(self, values: dict[str, Any]) -> None:
        record = values["record"]
        if self._record is None:
            self.saved = register_ops.add_record(self._ctx, record)
        else:
            self.saved = register_ops.update_record(self._ctx, replace(record,
                                                                       id=self._record.id))

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context,
            record: Any | None = None) -> RegisterRecord | None:
        """A new entry (``record`` None) or a correction; the saved entry, or None."""
        dialog = cls(parent, ctx, record)
        dialog.run_modal()
        return dialog.saved


# ---- 舆情与热线 --------------------------------------------------------------------------------


class HotlineDialog(_RecordDialog):
    """受理日期, 渠道, 工单编号, 事项, 承办单位, 办理时限 (the channel's default shown as it will be
    computed), 办结日期, 结果反馈, 满意度, 备注. No caller's name or telephone is kept."""

    KIND = RegisterKind.HOTLINE

    def __init__(self, parent: QWidget | None, ctx: Context,
                 record: HotlineCase | None = None) -> None:
        super().__init__(parent, ctx, record)
        today = self.today
        self.channels = register_ops.hotline_channels(ctx)
        self.received_edit = date_edit(today, latest=today)
        self.add_field("受理日期", self.received_edit)
        self.channel_combo = QComboBox()
        for c in self.channels:
            self.channel_combo.addItem(f"{c.name}（{c.days}个工作日）", c.name)
        self.add_field("渠道", self.channel_combo)
        self.number_edit = _line(placeholder="如：GD20251103001（可不填）", limit=60)
        self.add_field("工单编号", self.number_edit)
        self.subject_edit = _note_edit(placeholder="反映的问题或舆情事项（不要填写来电人姓名、电话）")
        self.add_field("事项", self.subject_edit)
        self.owner_combo = OwnerCombo(ctx, required=True)
        self.owner_combo.setMinimumWidth(160)
        self.add_field("承办单位", self.owner_combo)

        self.due_default = QCheckBox("按渠道默认时限")
        self.due_edit = date_edit(today)
        due_row = QWidget()
        row = QHBoxLayout(due_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.due_edit)
        row.addWidget(self.due_default)
        row.addStretch(1)
        self.form.addRow("办理时限：", due_row)
        self._fields["办理时限"] = self.due_edit
        self.due_label = self.hint("")

        self.closed_edit = OptionalDateEdit(latest=today)
        self.add_field("办结日期", self.closed_edit)
        self.fed_back_check = QCheckBox("已向来件人（来电人）反馈办理结果")
        self.add_field("结果是否反馈", self.fed_back_check)
        self.satisfaction_combo = QComboBox()
        self.satisfaction_combo.setMinimumWidth(130)
        for s in Satisfaction:
            self.satisfaction_combo.addItem(s.value, s.value)
        self.add_field("满意度", self.satisfaction_combo)
        self.note_edit = _note_edit()
        self.add_field("备注", self.note_edit)
        self.subject_edit.setMinimumWidth(_WIDE - 100)

        if record is not None:
            self.received_edit.setDate(qdate(record.received_on))
            if self.channel_combo.findData(record.channel) < 0:  # a channel since removed
                self.channel_combo.addItem(record.channel, record.channel)
            self.channel_combo.setCurrentIndex(self.channel_combo.findData(record.channel))
            self.number_edit.setText(record.case_number)
            self.subject_edit.setPlainText(record.subject)
            self.owner_combo.set_owner(record.unit_id, record.community_id)
            self.due_default.setChecked(record.due_on == self.default_due())
            if record.due_on is not None:
                self.due_edit.setDate(qdate(record.due_on))
            self.closed_edit.set_value(record.closed_on)
            self.fed_back_check.setChecked(record.fed_back)
            self.satisfaction_combo.setCurrentIndex(
                self.satisfaction_combo.findData(record.satisfaction.value))
            self.note_edit.setPlainText(record.note)
        else:
            self.due_default.setChecked(True)

        for signal in (self.received_edit.dateChanged, self.channel_combo.currentIndexChanged,
                       self.due_default.toggled, self.closed_edit.dateChanged,
                       self.due_edit.dateChanged):
            signal.connect(self._update)
        self._update()

    def channel(self) -> str:
        return str(self.channel_combo.currentData())

    def default_due(self) -> date:
        return default_due(pydate(self.received_edit.date()), self.channel(),
                           self._ctx.calendar, self.channels)

    def _update(self, *_: object) -> None:
        received = pydate(self.received_edit.date())
        self.due_edit.setMinimumDate(qdate(received))
        if self.due_default.isChecked():
            self.due_edit.blockSignals(True)
            self.due_edit.setDate(qdate(self.default_due()))
            self.due_edit.blockSignals(False)
        self.due_edit.setEnabled(not self.due_default.isChecked())
        days = {c.name: c.days for c in self.channels}.get(self.channel())
        due = pydate(self.due_edit.date())
        text = (f"{self.channel()}默认受理后{days}个工作日：{cn_date(self.default_due())}"
                "（已扣除节假日）" if days is not None
                else f"默认办理时限：{cn_date(self.default_due())}")
        closed = self.closed_edit.value()
        if closed is not None:
            text += ("<br><span style='color:#1d6b35'>按时办结</span>" if closed <= due
                     else f"<br><span style='color:#b3261e'>超过办理时限{(closed - due).days}天"
                          "办结（不计入按时办结）</span>")
        elif self.today > due:
            text += (f"<br><span style='color:#b3261e'>已超过办理时限{(self.today - due).days}天"
                     "，尚未办结</span>")
        self.due_label.setText(text)
        is_closed = closed is not None
        self.fed_back_check.setEnabled(is_closed)
        self.satisfaction_combo.setEnabled(is_closed)
        if not is_closed:
            self.fed_back_check.setChecked(False)
            self.satisfaction_combo.setCurrentIndex(
                self.satisfaction_combo.findData(Satisfaction.UNRATED.value))

    def record(self) -> HotlineCase:
        unit_id, community_id = self.owner_combo.owner()
        return HotlineCase(
            received_on=pydate(self.received_edit.date()), channel=self.channel(),
            subject=self.subject_edit.toPlainText().strip(), unit_id=unit_id,
            community_id=community_id,
            due_on=None if self.due_default.isChecked() else pydate(self.due_edit.date()),
            closed_on=self.closed_edit.value(), fed_back=self.fed_back_check.isChecked(),
            satisfaction=Satisfaction(self.satisfaction_combo.currentData()),
            case_number=self.number_edit.text().strip(),
            note=self.note_edit.toPlainText().strip())

    def check(self) -> UserError | None:
        if len(self.note_edit.toPlainText().strip()) > MAX_NOTE:
            return UserError(f"备注最多{MAX_NOTE}个字", field="备注")
        return None


class HotlineCloseDialog(SaveOnAcceptDialog):
    """办结 from the table: the day it was closed, whether the result was fed back, and the
    caller's satisfaction."""

    def __init__(self, parent: QWidget | None, ctx: Context, case: HotlineCase) -> None:
        super().__init__(parent, "办结")
        self._ctx = ctx
        self._case = case
        self._save = self._save_values
        self.saved: HotlineCase | None = None
        today = ctx.today()
        self.setMinimumWidth(480)
        head = QLabel(f"{case.channel}　{case.case_number}".strip() + f"\n{case.subject}")
        head.setWordWrap(True)
        head.setStyleSheet("font-weight: bold;")
        self.form.addRow(head)
        due = f"受理日期：{cn_date(case.received_on)}"
        if case.due_on is not None:
            due += f"　办理时限：{cn_date(case.due_on)}"
        self.form.addRow(QLabel(due))
        self.closed_edit = date_edit(today, latest=today)
        self.closed_edit.setMinimumDate(qdate(case.received_on))
        self.add_field("办结日期", self.closed_edit)
        self.timing_label = QLabel()
        self.form.addRow("", self.timing_label)
        self.fed_back_check = QCheckBox("已向来件人（来电人）反馈办理结果")
        self.fed_back_check.setChecked(True)
        self.add_field("结果是否反馈", self.fed_back_check)
        self.satisfaction_combo = QComboBox()
        self.satisfaction_combo.setMinimumWidth(130)
        for s in Satisfaction:
            self.satisfaction_combo.addItem(s.value, s.value)
        self.satisfaction_combo.setCurrentIndex(
            self.satisfaction_combo.findData(Satisfaction.UNRATED.value))
        self.add_field("满意度", self.satisfaction_combo)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("办结")
        self.closed_edit.dateChanged.connect(self._update)
        self._update()

    def _update(self, *_: object) -> None:
        closed, due = pydate(self.closed_edit.date()), self._case.due_on
        if due is None or closed <= due:
            self.timing_label.setText("按时办结")
            self.timing_label.setStyleSheet("color: #1d6b35;")
        else:
            self.timing_label.setText(f"超过办理时限{(closed - due).days}天办结（不计入按时办结）")
            self.timing_label.setStyleSheet("color: #b3261e;")

    def values(self) -> dict[str, Any]:
        return {"closed_on": pydate(self.closed_edit.date()),
                "fed_back": self.fed_back_check.isChecked(),
                "satisfaction": Satisfaction(self.satisfaction_combo.currentData())}

    def _save_values(self, values: dict[str, Any]) -> None:
        self.saved = register_ops.update_record(self._ctx, replace(self._case, **values))

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, case: HotlineCase) -> HotlineCase | None:
        dialog = cls(parent, ctx, case)
        dialog.run_modal()
        return dialog.saved


# ---- 政策解读 ----------------------------------------------------------------------------------


class InterpretationDialog(_RecordDialog):
    """解读日期, 解读标题, 解读形式, the notice interpreted (or a policy named by its title),
    解读单位, 备注."""

    KIND = RegisterKind.INTERPRETATION

    def __init__(self, parent: QWidget | None, ctx: Context,
                 record: Interpretation | None = None) -> None:
        super().__init__(parent, ctx, record)
        self.notice_id: int | None = None
        self._notice_text = ""
        self.published_edit = date_edit(self.today, latest=self.today)
        self.add_field("解读日期", self.published_edit)
        self.title_edit = _line(placeholder="如：一图读懂2025年城乡居民医疗保险参保缴费政策")
        self.title_edit.setMinimumWidth(_WIDE - 100)
        self.add_field("解读标题", self.title_edit)
        self.form_combo = QComboBox()
        for f in InterpretationForm:
            self.form_combo.addItem(f.value, f.value)
        self.add_field("解读形式", self.form_combo)

        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.pick_button = QPushButton("选择信息…")
        self.clear_button = QPushButton("取消关联")
        notice_row = QWidget()
        row = QHBoxLayout(notice_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.notice_label, 1)
        row.addWidget(self.pick_button)
        row.addWidget(self.clear_button)
        self.form.addRow("所解读的信息：", notice_row)
        self.policy_edit = _line(placeholder="不在登记簿中的政策（如县里的文件），填写文件名称")
        self.add_field("解读的政策文件", self.policy_edit)
        self.hint("所解读的政策在“信息登记”中登记过的，请选择该条信息；否则填写政策文件名称。")
        self.owner_combo = OwnerCombo(ctx, required=False)
        self.add_field("解读单位", self.owner_combo)
        self.note_edit = _note_edit()
        self.add_field("备注", self.note_edit)

        if record is not None:
            self.published_edit.setDate(qdate(record.published_on))
            self.title_edit.setText(record.title)
            self.form_combo.setCurrentIndex(self.form_combo.findData(record.form.value))
            if record.notice_id is not None:
                labels = register_ops.notice_labels(ctx, [record.notice_id])
                index, title = labels.get(record.notice_id, ("", "（该信息已删除）"))
                self.set_notice(record.notice_id, index, title)
            self.policy_edit.setText(record.policy_title if record.notice_id is None else "")
            self.owner_combo.set_owner(record.unit_id, record.community_id)
            self.note_edit.setPlainText(record.note)
        self.pick_button.clicked.connect(self.pick_notice)
        self.clear_button.clicked.connect(lambda: self.set_notice(None))
        self._show_notice()

    def set_notice(self, notice_id: int | None, index: str = "", title: str = "") -> None:
        self.notice_id = notice_id
        self._notice_text = f"{title}（{index}）" if index else title
        self._show_notice()

    def _show_notice(self) -> None:
        linked = self.notice_id is not None
        self.notice_label.setText(self._notice_text if linked else "未关联")
        self.notice_label.setStyleSheet("" if linked else _HINT_STYLE)
        self.clear_button.setEnabled(linked)
        self.policy_edit.setEnabled(not linked)
        if linked:
            self.policy_edit.clear()

    def pick_notice(self) -> None:
        chosen = NoticePickerDialog.ask(self, self._ctx, title="选择所解读的政策（登记簿中的信息）",
                                        published_only=False)
        if chosen is not None:
            self.set_notice(chosen.id, chosen.index_number, chosen.title)

    def record(self) -> Interpretation:
        unit_id, community_id = self.owner_combo.owner()
        return Interpretation(
            published_on=pydate(self.published_edit.date()), title=self.title_edit.text().strip(),
            form=InterpretationForm(self.form_combo.currentData()), notice_id=self.notice_id,
            policy_title="" if self.notice_id is not None else self.policy_edit.text().strip(),
            unit_id=unit_id, community_id=community_id,
            note=self.note_edit.toPlainText().strip())


# ---- 建议提案 ----------------------------------------------------------------------------------


class ProposalDialog(_RecordDialog):
    """类型, 编号, 标题, 领衔人, 交办日期, 承办单位, 答复日期, 满意度, 备注."""

    KIND = RegisterKind.PROPOSAL
    _NO_RATING = "（未评价）"

    def __init__(self, parent: QWidget | None, ctx: Context,
                 record: Proposal | None = None) -> None:
        super().__init__(parent, ctx, record)
        self.kind_combo = QComboBox()
        for k in ProposalKind:
            self.kind_combo.addItem(k.value, k.value)
        self.add_field("类型", self.kind_combo)
        self.number_edit = _line(placeholder="如：第12号", limit=40)
        self.add_field("编号", self.number_edit)
        self.title_edit = _line(placeholder="如：关于改善柳河村道路通行条件的建议")
        self.title_edit.setMinimumWidth(_WIDE - 100)
        self.add_field("标题", self.title_edit)
        self.lead_edit = _line(placeholder="领衔的人大代表或政协委员", limit=40)
        self.add_field("领衔人", self.lead_edit)
        self.received_edit = date_edit(self.today, latest=self.today)
        self.add_field("交办日期", self.received_edit)
        self.owner_combo = OwnerCombo(ctx, required=True)
        self.add_field("承办单位", self.owner_combo)
        self.replied_edit = OptionalDateEdit(latest=self.today)
        self.add_field("答复日期", self.replied_edit)
        self.satisfaction_combo = QComboBox()
        self.satisfaction_combo.setMinimumWidth(130)
        self.satisfaction_combo.addItem(self._NO_RATING, None)
        for s in (Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.DISSATISFIED):
            self.satisfaction_combo.addItem(s.value, s.value)
        self.add_field("满意度", self.satisfaction_combo)
        self.note_edit = _note_edit()
        self.add_field("备注", self.note_edit)
        if record is not None:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(record.kind_of.value))
            self.number_edit.setText(record.number)
            self.title_edit.setText(record.title)
            self.lead_edit.setText(record.lead)
            self.received_edit.setDate(qdate(record.received_on))
            self.owner_combo.set_owner(record.unit_id, record.community_id)
            self.replied_edit.set_value(record.replied_on)
            if record.satisfaction is not None:
                self.satisfaction_combo.setCurrentIndex(
                    self.satisfaction_combo.findData(record.satisfaction.value))
            self.note_edit.setPlainText(record.note)
        self.replied_edit.dateChanged.connect(self._update)
        self._update()

    def _update(self, *_: object) -> None:
        replied = self.replied_edit.value() is not None
        self.satisfaction_combo.setEnabled(replied)
        if not replied:
            self.satisfaction_combo.setCurrentIndex(0)

    def record(self) -> Proposal:
        unit_id, community_id = self.owner_combo.owner()
        s = self.satisfaction_combo.currentData()
        return Proposal(
            kind_of=ProposalKind(self.kind_combo.currentData()),
            number=self.number_edit.text().strip(), title=self.title_edit.text().strip(),
            received_on=pydate(self.received_edit.date()), lead=self.lead_edit.text().strip(),
            unit_id=unit_id, community_id=community_id, replied_on=self.replied_edit.value(),
            satisfaction=Satisfaction(s) if s else None,
            note=self.note_edit.toPlainText().strip())


# ---- 培训与会议 --------------------------------------------------------------------------------


class MeetingDialog(_RecordDialog):
    """类型, 日期, 主题, 参加人数, 组织单位, 备注."""

    KIND = RegisterKind.MEETING

    def __init__(self, parent: QWidget | None, ctx: Context,
                 record: Meeting | None = None) -> None:
        super().__init__(parent, ctx, record)
        self.kind_combo = QComboBox()
        for k in MeetingKind:
            self.kind_combo.addItem(k.value, k.value)
        self.add_field("类型", self.kind_combo)
        self.held_edit = date_edit(self.today, latest=self.today)
        self.add_field("日期", self.held_edit)
        self.topic_edit = _line(placeholder="如：政务公开业务培训（公开栏规范化建设）")
        self.topic_edit.setMinimumWidth(_WIDE - 100)
        self.add_field("主题", self.topic_edit)
        self.participants_spin = QSpinBox()
        self.participants_spin.setRange(0, MAX_PARTICIPANTS)
        self.participants_spin.setSuffix(" 人")
        self.participants_spin.setMinimumWidth(120)
        self.add_field("参加人数", self.participants_spin)
        self.owner_combo = OwnerCombo(ctx, required=False)
        self.add_field("组织单位", self.owner_combo)
        self.note_edit = _note_edit()
        self.add_field("备注", self.note_edit)
        if record is not None:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(record.kind_of.value))
            self.held_edit.setDate(qdate(record.held_on))
            self.topic_edit.setText(record.topic)
            self.participants_spin.setValue(record.participants)
            self.owner_combo.set_owner(record.unit_id, record.community_id)
            self.note_edit.setPlainText(record.note)

    def record(self) -> Meeting:
        unit_id, community_id = self.owner_combo.owner()
        return Meeting(kind_of=MeetingKind(self.kind_combo.currentData()),
                       held_on=pydate(self.held_edit.date()),
                       topic=self.topic_edit.text().strip(),
                       participants=self.participants_spin.value(), unit_id=unit_id,
                       community_id=community_id, note=self.note_edit.toPlainText().strip())


DIALOGS: dict[RegisterKind, type[_RecordDialog]] = {
    RegisterKind.INTERPRETATION: InterpretationDialog, RegisterKind.HOTLINE: HotlineDialog,
    RegisterKind.PROPOSAL: ProposalDialog, RegisterKind.MEETING: MeetingDialog,
}


# ---- a refused import ------------------------------------------------------------------------


class ImportProblemsDialog(QDialog):
    """Every problem of a refused import, one a line, in a list that scrolls; 复制全部 puts
    them on the clipboard for whoever fixes the sheet."""

    def __init__(self, parent: QWidget | None, title: str, problems: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle("未能导入")
        self.resize(680, 420)
        self.title_label = QLabel(f"{title}。共 {len(problems)} 处问题，请在表格中改正后重新导入：")
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("color: #8c1d18; font-weight: bold;")
        self.list_edit = QPlainTextEdit("\n".join(problems))
        self.list_edit.setReadOnly(True)
        self.list_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        copy = QPushButton("复制全部")
        copy.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.list_edit.toPlainText()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.list_edit, 1)
        layout.addWidget(buttons)

    @classmethod
    def show_problems(cls, parent: QWidget | None, title: str, problems: list[str]) -> None:
        dialog = cls(parent, title, problems)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
