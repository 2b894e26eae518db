"""The notice editor (信息登记). Saving happens inside the dialog: if the operation refuses the
input — or the disk is full, or the save fails with an I/O error — the message is shown and the
dialog stays open with everything the user typed, marked unsaved, and a draft is kept beside the
database (B9, gui.drafts). Typing autosaves that draft; opening the same notice (or a new one)
again offers it back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.drafts import KIND_LABELS, draft_key, quoted
from govdesk.core.notices import (
    WITHHOLD_GROUNDS,
    Disclosure,
    Notice,
    NoticeInput,
    NoticeStatus,
    PeriodUnit,
    PostingPeriod,
    compute_publish_due,
)
from govdesk.gui import messages
from govdesk.gui.drafts import DraftKeeper, attempt_save
from govdesk.gui.widgets import pydate, qdate
from govdesk.operations import lists, screening
from govdesk.operations.context import Context

BODY_HINT = (
    "每段一行。标题层次按公文格式书写：“一、”“（一）”“1.”“（1）”。\n"
    "表格每行用竖线分隔，如：姓名|村别|金额"
)


def _date_edit(d: date) -> QDateEdit:
    edit = QDateEdit(qdate(d))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class NoticeEditorDialog(QDialog):
    def __init__(self, ctx: Context, notice: Notice | None,
                 save: Callable[[NoticeInput], Notice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._save = save
        self.result_notice: Notice | None = None
        self.setWindowTitle("修改信息" if notice else "登记新信息")
        self.resize(860, 720)

        self.categories = lists.categories(ctx, active_only=True)
        self.owners = lists.owners(ctx)
        self.channels = lists.channels(ctx, active_only=True)

        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("如：关于柳河村2025年第三季度低保对象的公示")
        self.doc_number_edit = QLineEdit()
        self.doc_number_edit.setPlaceholderText("正式公文填写，如：云政发〔2025〕5号")
        self.category_combo = QComboBox()
        for c in self.categories:
            self.category_combo.addItem(f"{c.name}（{c.publish_limit_days}个工作日）", c.id)
        self.owner_combo = QComboBox()
        for label, unit_id, community_id in self.owners:
            self.owner_combo.addItem(label, (unit_id, community_id))
        self.disclosure_combo = QComboBox()
        for d in Disclosure:
            self.disclosure_combo.addItem(d.value, d)
        self.ground_combo = QComboBox()
        self.ground_combo.addItem("（请选择不公开或依申请公开的理由）", "")
        for g in WITHHOLD_GROUNDS:
            self.ground_combo.addItem(g, g)
        today = ctx.today()
        self.formed_edit = _date_edit(today)
        self.due_label = QLabel()
        self.due_label.setTextFormat(Qt.TextFormat.PlainText)

        channel_box = QWidget()
        grid = QGridLayout(channel_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.channel_checks: dict[int, QCheckBox] = {}
        for i, ch in enumerate(self.channels):
            box = QCheckBox(ch.name)
            self.channel_checks[ch.id] = box
            grid.addWidget(box, i // 4, i % 4)

        self.period_group = QGroupBox("公示期（张贴公示的信息填写）")
        self.period_group.setCheckable(True)
        self.period_group.setChecked(False)
        self.period_start = _date_edit(today)
        self.period_length = QSpinBox()
        self.period_length.setRange(1, 365)
        self.period_length.setValue(7)
        self.period_unit = QComboBox()
        for u in PeriodUnit:
            self.period_unit.addItem(u.value, u)
        self.period_end_label = QLabel()
        row = QHBoxLayout(self.period_group)
        row.addWidget(QLabel("自"))
        row.addWidget(self.period_start)
        row.addWidget(QLabel("起，共"))
        row.addWidget(self.period_length)
        row.addWidget(self.period_unit)
        row.addWidget(self.period_end_label, 1)

        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("如：（此件公开发布）")
        self.body_edit = QPlainTextEdit()
        self.body_edit.setPlaceholderText(BODY_HINT)
        self.body_edit.setTabChangesFocus(True)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("标题 *", self.title_edit)
        form.addRow("文号", self.doc_number_edit)
        two = QHBoxLayout()
        two.addWidget(self.category_combo, 1)
        two.addWidget(QLabel("责任单位 *"))
        two.addWidget(self.owner_combo, 1)
        form.addRow("类别 *", two)
        three = QHBoxLayout()
        three.addWidget(self.disclosure_combo)
        three.addWidget(self.ground_combo, 1)
        form.addRow("公开属性 *", three)
        four = QHBoxLayout()
        four.addWidget(self.formed_edit)
        four.addWidget(QLabel("公开时限："))
        four.addWidget(self.due_label, 1)
        form.addRow("信息形成（变更）日期 *", four)
        form.addRow("公开方式", channel_box)
        form.addRow(self.period_group)
        form.addRow("附注", self.note_edit)
        form.addRow("正文", self.body_edit)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        # The drafter's own 个人信息检查 and 一键遮盖, before submitting (not only at 保密审查).
        self.check_button = buttons.addButton("个人信息检查…",
                                              QDialogButtonBox.ButtonRole.ActionRole)
        self.check_button.setToolTip("检查标题、正文、文号、附注中的身份证号、手机号、银行卡号、"
                                     "密级标志和敏感词，可一键遮盖")
        self.check_button.clicked.connect(self.check_personal_info)

        layout = QVBoxLayout(self)
        self.review_note = QLabel()
        self.review_note.setWordWrap(True)
        self.review_note.setStyleSheet("color: #8a5a00; background: #fff4d6; padding: 6px;")
        self.review_note.setVisible(False)
        if notice is not None and notice.status in (NoticeStatus.PENDING, NoticeStatus.APPROVED):
            state = "已审批通过" if notice.status is NoticeStatus.APPROVED else "正在审批"
            self.review_note.setText(f"这条信息{state}。保存修改后，原审批单作废（留档备查），"
                                     "修改后的内容自动重新提交审批，从第一个环节开始。")
            self.review_note.setVisible(True)
        layout.addWidget(self.review_note)
        layout.addLayout(form)
        # B9: the red "not saved" marker sits right above the button that failed.
        self._marker_slot = layout.count()
        layout.addWidget(buttons)

        for signal in (self.category_combo.currentIndexChanged, self.formed_edit.dateChanged):
            signal.connect(self._update_due)
        for signal in (self.period_start.dateChanged, self.period_length.valueChanged,
                       self.period_unit.currentIndexChanged, self.period_group.toggled):
            signal.connect(self._update_period_end)
        self.disclosure_combo.currentIndexChanged.connect(self._update_ground)

        if notice is not None:
            self._load(notice)
        else:
            web = next((c for c in self.channels if c.name == "门户网站"), None)
            if web:
                self.channel_checks[web.id].setChecked(True)
        self._update_due()
        self._update_period_end()
        self._update_ground()

        self.drafts = DraftKeeper(
            self, ctx, draft_key("notice", notice.id if notice else None),
            collect=self.draft_fields, apply=self.apply_draft,
            label=lambda f: KIND_LABELS["notice"] + quoted(str(f.get("title", ""))),
            existing=notice is not None)
        layout.insertWidget(self._marker_slot, self.drafts.marker)
        self.drafts.watch_all(self)

    # ---- state ----------------------------------------------------------------------------

    def _load(self, n: Notice) -> None:
        self.title_edit.setText(n.title)
        self.doc_number_edit.setText(n.doc_number)
        self._select(self.category_combo, n.category_id)
        self._select(self.owner_combo, (n.unit_id, n.community_id))
        self._select(self.disclosure_combo, n.disclosure)
        self._select(self.ground_combo, n.withhold_ground)
        self.formed_edit.setDate(qdate(n.formed_on))
        for cid, box in self.channel_checks.items():
            box.setChecked(cid in n.channel_ids)
        if n.period is not None:
            self.period_group.setChecked(True)
            self.period_start.setDate(qdate(n.period.start))
            self._select(self.period_unit, n.period.unit)
            self.period_length.setValue(max(1, n.period.length(self._ctx.calendar)))
        self.note_edit.setText(n.note)
        self.body_edit.setPlainText(n.body)

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        for i in range(combo.count()):
            if combo.itemData(i) == value:
                combo.setCurrentIndex(i)
                return

    def _update_due(self) -> None:
        cid = self.category_combo.currentData()
        cat = next((c for c in self.categories if c.id == cid), None)
        if cat is None:
            self.due_label.setText("")
            return
        due = compute_publish_due(pydate(self.formed_edit.date()), cat.publish_limit_days,
                                  self._ctx.calendar)
        self.due_label.setText(f"{due:%Y-%m-%d}（形成之日起{cat.publish_limit_days}个工作日，条例第二十六条）")

    def _period(self) -> PostingPeriod | None:
        if not self.period_group.isChecked():
            return None
        start = pydate(self.period_start.date())
        # Qt hands enum item data back as plain str: convert at the edge.
        unit = PeriodUnit(self.period_unit.currentData())
        end = self._ctx.calendar.period_end(start, self.period_length.value(), unit.value)
        return PostingPeriod(start, end, unit)

    def _update_period_end(self) -> None:
        period = self._period()
        self.period_end_label.setText(f"至 {period.end:%Y-%m-%d} 止" if period else "")

    def _update_ground(self) -> None:
        proactive = Disclosure(self.disclosure_combo.currentData()) is Disclosure.PROACTIVE
        self.ground_combo.setEnabled(not proactive)
        if proactive:
            self.ground_combo.setCurrentIndex(0)

    def value(self) -> NoticeInput:
        unit_id, community_id = self.owner_combo.currentData() or (None, None)
        return NoticeInput(
            title=self.title_edit.text(),
            body=self.body_edit.toPlainText(),
            doc_number=self.doc_number_edit.text(),
            category_id=self.category_combo.currentData(),
            disclosure=Disclosure(self.disclosure_combo.currentData()),
            withhold_ground=self.ground_combo.currentData() or "",
            unit_id=unit_id,
            community_id=community_id,
            formed_on=pydate(self.formed_edit.date()),
            channel_ids=tuple(cid for cid, box in self.channel_checks.items() if box.isChecked()),
            period=self._period(),
            note=self.note_edit.text(),
        )

    # ---- 个人信息检查 ------------------------------------------------------------------------

    def _typed(self) -> dict[str, str]:
        return {"标题": self.title_edit.text(), "正文": self.body_edit.toPlainText(),
                "文号": self.doc_number_edit.text(), "附注": self.note_edit.text()}

    def check_personal_info(self) -> None:
        """Screen what is typed as 保密审查 will; offer to mask the personal numbers here."""
        typed = self._typed()
        found = screening.screen_typed(self._ctx, typed)
        if not found:
            messages.info(self, "未发现身份证号、手机号、银行卡号、密级标志或敏感词。", "个人信息检查")
            return
        maskable = [f for f in found if f.maskable]
        others = [f for f in found if not f.maskable]
        lines = [f"· {f.describe()}" for f in found[:12]]
        if len(found) > 12:
            lines.append(f"……共 {len(found)} 处")
        text = "发现以下内容：\n" + "\n".join(lines)
        if others:
            text += "\n\n密级标志和敏感词不能自动遮盖，请人工修改，或提交后由保密审查人填写理由放行。"
        if not maskable:
            messages.warn(self, text, "个人信息检查")
            return
        text += (f"\n\n一键遮盖会把其中 {len(maskable)} 处号码按本单位规则遮盖"
                 "（如 110105********002X、138****1234），保存后生效。")
        if not messages.choose(self, text, "个人信息检查", yes="一键遮盖", no="暂不遮盖"):
            return
        masked = screening.mask_typed(typed, maskable)
        self.title_edit.setText(masked["标题"])
        self.doc_number_edit.setText(masked["文号"])
        self.note_edit.setText(masked["附注"])
        if masked["正文"] != typed["正文"]:
            self.body_edit.setPlainText(masked["正文"])

    # ---- drafts (B9) ------------------------------------------------------------------------

    def draft_fields(self) -> dict[str, object]:
        """Everything typed or chosen, as JSON data."""
        unit_id, community_id = self.owner_combo.currentData() or (None, None)
        return {
            "title": self.title_edit.text(),
            "doc_number": self.doc_number_edit.text(),
            "category_id": self.category_combo.currentData(),
            "owner": [unit_id, community_id],
            "disclosure": Disclosure(self.disclosure_combo.currentData()).value,
            "withhold_ground": self.ground_combo.currentData() or "",
            "formed_on": pydate(self.formed_edit.date()).isoformat(),
            "channel_ids": sorted(cid for cid, box in self.channel_checks.items()
                                  if box.isChecked()),
            "period": {
                "on": self.period_group.isChecked(),
                "start": pydate(self.period_start.date()).isoformat(),
                "length": self.period_length.value(),
                "unit": PeriodUnit(self.period_unit.currentData()).value,
            },
            "note": self.note_edit.text(),
            "body": self.body_edit.toPlainText(),
        }

    def apply_draft(self, f: dict) -> None:
        self.title_edit.setText(f["title"])
        self.doc_number_edit.setText(f["doc_number"])
        self._select(self.category_combo, f["category_id"])
        self._select(self.owner_combo, tuple(f["owner"]))
        self._select(self.disclosure_combo, Disclosure(f["disclosure"]))
        self._select(self.ground_combo, f["withhold_ground"])
        self.formed_edit.setDate(qdate(date.fromisoformat(f["formed_on"])))
        for cid, box in self.channel_checks.items():
            box.setChecked(cid in f["channel_ids"])
        period = f["period"]
        self.period_group.setChecked(bool(period["on"]))
        self.period_start.setDate(qdate(date.fromisoformat(period["start"])))
        self._select(self.period_unit, PeriodUnit(period["unit"]))
        self.period_length.setValue(int(period["length"]))
        self.note_edit.setText(f["note"])
        self.body_edit.setPlainText(f["body"])

    # ---- closing ------------------------------------------------------------------------------

    def accept(self) -> None:
        # Nothing is lost on failure: the dialog stays open with what the user typed, marked
        # unsaved, and the draft is on disk (attempt_save).
        notice = attempt_save(self.drafts, lambda: self._save(self.value()))
        if notice is None:
            return
        self.result_notice = notice
        self.drafts.saved()
        super().accept()

    def reject(self) -> None:
        # 取消, Esc and the close box. Unsaved edits are thrown away only when the user says so.
        if self.drafts.is_dirty() and not messages.confirm(
                self, "填写的内容还没有保存，关闭后将丢失。确定放弃修改吗？", ok="放弃修改"):
            return
        self.drafts.discard()
        super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, notice: Notice | None,
            save: Callable[[NoticeInput], Notice]) -> Notice | None:
        dialog = cls(ctx, notice, save, parent)
        dialog.drafts.offer()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.result_notice
        return None
