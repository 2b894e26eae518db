"""Dialogs of the 实施方案 page: the plan's title and intro, a section's name, a task (工作任务,
责任单位, 完成时限, 公开目录类别), a task's tracking (state with 原因, progress notes, evidence) and
the notice picker. Each saves through operations.work_plan; a refused input keeps the dialog
open with what was typed (SaveOnAcceptDialog, guard.attempt)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.drafts import KIND_LABELS, draft_key, quoted
from govdesk.core.errors import UserError
from govdesk.core.work_plan import (
    ALL_COMMUNITIES_LABEL,
    ALL_UNITS_LABEL,
    DEADLINE_WORDINGS,
    Deadline,
    PlanSection,
    PlanTask,
    TaskInput,
    TaskState,
    WorkPlan,
    allowed_states,
)
from govdesk.gui import messages, ui_state
from govdesk.gui.dialogs.notice_picker_dialog import NoticePickerDialog
from govdesk.gui.dialogs.org_item_dialog import SaveOnAcceptDialog
from govdesk.gui.drafts import DraftKeeper, attempt_save
from govdesk.gui.guard import attempt
from govdesk.gui.models.plan_models import EvidenceModel, NoteModel
from govdesk.gui.widgets import data_table, pydate, qdate
from govdesk.operations import lists
from govdesk.operations import work_plan as ops
from govdesk.operations.context import Context, can

EVIDENCE_DIR_KEY = "plan_evidence"
_NOTE_STYLE = "color: #666;"


def _date_edit(d: date) -> QDateEdit:
    edit = QDateEdit(qdate(d))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy年M月d日")
    return edit


def _hint(dialog: SaveOnAcceptDialog, text: str) -> None:
    """A one-line note under a field (a word-wrapped one is squeezed by the form layout)."""
    note = QLabel(text)
    note.setStyleSheet(_NOTE_STYLE)
    dialog.form.addRow("", note)


class PlanInfoDialog(SaveOnAcceptDialog):
    """新建实施方案 (year given) or 修改标题和说明 of an existing one."""

    def __init__(self, parent: QWidget | None, ctx: Context, year: int,
                 plan: WorkPlan | None = None) -> None:
        super().__init__(parent, f"修改{year}年实施方案的标题和说明" if plan else
                         f"新建{year}年政务公开工作实施方案", self._store)
        self.ctx, self.year, self.plan = ctx, year, plan
        self.saved: WorkPlan | None = None
        township = lists.township(ctx)
        name = township.short_name or township.full_name
        self.title_edit = QLineEdit(plan.title if plan else f"{name}{year}年政务公开工作实施方案")
        self.title_edit.setMaxLength(100)
        self.add_field("标题", self.title_edit)
        self.intro_edit = QPlainTextEdit(plan.intro if plan else "")
        self.intro_edit.setPlaceholderText("开头的说明，如：为深入贯彻落实《中华人民共和国政府信息公开条例》"
                                           "和县政务公开工作要点，结合我镇实际，制定本方案。")
        self.intro_edit.setMinimumHeight(140)
        self.add_field("前言", self.intro_edit)
        _hint(self, "每段一行；打印时放在任务分解表前。")
        self.dated_check = QCheckBox("填写成文日期")
        self.dated_edit = _date_edit(plan.issued_on if plan and plan.issued_on else ctx.today())
        self.dated_check.setChecked(bool(plan and plan.issued_on))
        self.dated_edit.setEnabled(self.dated_check.isChecked())
        self.dated_check.toggled.connect(self.dated_edit.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.dated_check)
        row.addWidget(self.dated_edit, 1)
        holder = QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.add_field("成文日期", holder)
        self.setMinimumWidth(620)

    def values(self) -> dict[str, Any]:
        return {"title": self.title_edit.text(), "intro": self.intro_edit.toPlainText(),
                "issued_on": pydate(self.dated_edit.date()) if self.dated_check.isChecked()
                else None}

    def _store(self, v: dict[str, Any]) -> None:
        if self.plan is None:
            self.saved = ops.create_plan(self.ctx, self.year, v["title"], v["intro"],
                                         v["issued_on"])
        else:
            self.saved = ops.update_plan(self.ctx, self.plan.id, v["title"], v["intro"],
                                         v["issued_on"])

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, year: int,
            plan: WorkPlan | None = None) -> WorkPlan | None:
        dialog = cls(parent, ctx, year, plan)
        return dialog.saved if dialog.run_modal() is not None else None


class SectionDialog(SaveOnAcceptDialog):
    """新增板块 / 修改板块名称."""

    def __init__(self, parent: QWidget | None, ctx: Context, plan_id: int,
                 section: PlanSection | None = None) -> None:
        super().__init__(parent, "修改板块名称" if section else "新增板块", self._store)
        self.ctx, self.plan_id, self.section = ctx, plan_id, section
        self.saved: PlanSection | None = None
        self.title_edit = QLineEdit(section.title if section else "")
        self.title_edit.setMaxLength(100)
        self.title_edit.setPlaceholderText("如：围绕深化改革推进公开（序号打印时自动加）")
        self.add_field("板块", self.title_edit)

    def values(self) -> dict[str, Any]:
        return {"title": self.title_edit.text()}

    def _store(self, v: dict[str, Any]) -> None:
        if self.section is None:
            self.saved = ops.add_section(self.ctx, self.plan_id, v["title"])
        else:
            self.saved = ops.rename_section(self.ctx, self.section.id, v["title"])

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, plan_id: int,
            section: PlanSection | None = None) -> PlanSection | None:
        dialog = cls(parent, ctx, plan_id, section)
        return dialog.saved if dialog.run_modal() is not None else None


class TaskDialog(SaveOnAcceptDialog):
    """新增任务 / 修改任务: 工作任务, 责任单位 (units, communities, 各部门, 各村（社区）),
    完成时限 (a date or a wording such as 长期坚持) and the 公开目录类别 it publishes under."""

    def __init__(self, parent: QWidget | None, ctx: Context, section: PlanSection, year: int,
                 task: PlanTask | None = None) -> None:
        super().__init__(parent, "修改任务" if task else f"新增任务（{section.title}）", self._store)
        self.ctx, self.section, self.year, self.task = ctx, section, year, task
        self.saved: PlanTask | None = None
        self.text_edit = QPlainTextEdit(task.text if task else "")
        self.text_edit.setPlaceholderText("如：全面公开政府部门权力清单和责任清单，公开取消、下放、保留的"
                                          "行政审批事项。")
        self.text_edit.setMinimumHeight(110)
        self.add_field("工作任务", self.text_edit)

        self.owner_list = QListWidget()
        self.owner_list.setMinimumHeight(130)
        chosen_units = set(task.unit_ids) if task else set()
        chosen_communities = set(task.community_ids) if task else set()
        for kind, items, chosen in (("unit", lists.units(ctx, active_only=True), chosen_units),
                                    ("community", lists.communities(ctx, active_only=True),
                                     chosen_communities)):
            for it in items:
                item = QListWidgetItem(it.name)
                item.setData(Qt.ItemDataRole.UserRole, (kind, it.id))
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if it.id in chosen
                                   else Qt.CheckState.Unchecked)
                self.owner_list.addItem(item)
        self.all_units_check = QCheckBox(ALL_UNITS_LABEL)
        self.all_units_check.setChecked(bool(task and task.all_units))
        self.all_communities_check = QCheckBox(ALL_COMMUNITIES_LABEL)
        self.all_communities_check.setChecked(bool(task and task.all_communities))
        owners = QVBoxLayout()
        owners.setContentsMargins(0, 0, 0, 0)
        owners.addWidget(self.owner_list)
        flags = QHBoxLayout()
        flags.addWidget(self.all_units_check)
        flags.addWidget(self.all_communities_check)
        flags.addStretch(1)
        owners.addLayout(flags)
        owner_box = QWidget()
        owner_box.setLayout(owners)
        self.add_field("责任单位", owner_box)
        _hint(self, "“各部门”“各村（社区）”也包括以后新增的单位。")

        self.on_date_radio = QRadioButton("日期")
        self.wording_radio = QRadioButton("表述")
        group = QButtonGroup(self)
        group.addButton(self.on_date_radio)
        group.addButton(self.wording_radio)
        deadline = task.deadline if task else None
        self.date_edit = _date_edit(deadline.on if deadline and deadline.on
                                    else date(year, 12, 31))
        self.wording_combo = QComboBox()
        self.wording_combo.setEditable(True)
        self.wording_combo.addItems(DEADLINE_WORDINGS)
        self.wording_combo.setCurrentText(deadline.wording if deadline and deadline.wording
                                          else DEADLINE_WORDINGS[0])
        (self.wording_radio if deadline and deadline.wording else self.on_date_radio).setChecked(True)
        self.on_date_radio.toggled.connect(self._deadline_mode)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.on_date_radio)
        row.addWidget(self.date_edit, 1)
        row.addSpacing(12)
        row.addWidget(self.wording_radio)
        row.addWidget(self.wording_combo, 1)
        deadline_box = QWidget()
        deadline_box.setLayout(row)
        self.add_field("完成时限", deadline_box)
        self._deadline_mode()

        self.category_combo = QComboBox()
        self.category_combo.addItem("（不关联）", None)
        for c in lists.categories(ctx, active_only=True):
            self.category_combo.addItem(c.name, c.id)
        if task and task.category_id is not None:
            self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(
                task.category_id)))
        self.add_field("公开目录类别", self.category_combo)
        _hint(self, "选择后，本年度在该类别下公开的信息自动计入佐证。")
        self.setMinimumWidth(640)
        self.adjustSize()

    def _deadline_mode(self, *_: object) -> None:
        on_date = self.on_date_radio.isChecked()
        self.date_edit.setEnabled(on_date)
        self.wording_combo.setEnabled(not on_date)

    def owners(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        units, communities = [], []
        for i in range(self.owner_list.count()):
            item = self.owner_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                kind, oid = item.data(Qt.ItemDataRole.UserRole)
                (units if kind == "unit" else communities).append(oid)
        return tuple(units), tuple(communities)

    def check_owner(self, name: str, checked: bool = True) -> None:
        """Tick (or untick) the unit or community called ``name``."""
        for i in range(self.owner_list.count()):
            item = self.owner_list.item(i)
            if item.text() == name:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                return
        raise KeyError(name)

    def values(self) -> dict[str, Any]:
        units, communities = self.owners()
        return {"text": self.text_edit.toPlainText(), "unit_ids": units,
                "community_ids": communities, "all_units": self.all_units_check.isChecked(),
                "all_communities": self.all_communities_check.isChecked(),
                "on": pydate(self.date_edit.date()) if self.on_date_radio.isChecked() else None,
                "wording": self.wording_combo.currentText(),
                "category_id": self.category_combo.currentData()}

    def task_input(self, v: dict[str, Any]) -> TaskInput:
        if v["on"] is not None:
            deadline = Deadline(on=v["on"])
        else:
            if not v["wording"].strip():
                raise UserError("请填写完成时限的表述，如“长期坚持”", field="完成时限")
            deadline = Deadline.parse(v["wording"])
        return TaskInput(v["text"], deadline, v["unit_ids"], v["community_ids"],
                         v["all_units"], v["all_communities"], v["category_id"])

    def _store(self, v: dict[str, Any]) -> None:
        data = self.task_input(v)
        if self.task is None:
            self.saved = ops.add_task(self.ctx, self.section.id, data)
        else:
            self.saved = ops.update_task(self.ctx, self.task.id, data)

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, section: PlanSection, year: int,
            task: PlanTask | None = None) -> PlanTask | None:
        dialog = cls(parent, ctx, section, year, task)
        return dialog.saved if dialog.run_modal() is not None else None


class TaskTrackDialog(QDialog):
    """落实情况 of one task: its state (未完成 needs 原因), progress notes and evidence. Each
    button saves at once through operations.work_plan; a refused input keeps what was typed."""

    def __init__(self, parent: QWidget | None, ctx: Context, task_id: int) -> None:
        super().__init__(parent)
        self.ctx, self.task_id = ctx, task_id
        self.changed = False
        self.setWindowTitle("任务落实情况")
        self.can_track = can(ctx.user, ops.TRACK)

        self.task_label = QLabel()
        self.task_label.setWordWrap(True)
        self.task_label.setTextFormat(Qt.TextFormat.RichText)
        self.task_label.setStyleSheet("QLabel { background: #f5f7fa; border-radius: 4px;"
                                      " padding: 8px; }")

        # ---- state
        self.state_label = QLabel()
        self.state_combo = QComboBox()
        self.reason_label = QLabel("原因：")
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText("必填：没有完成的原因，年底的落实情况报告会列出。")
        self.reason_edit.setFixedHeight(64)
        self.state_button = QPushButton("更新状态")
        state_box = QGroupBox("任务状态")
        grid = QGridLayout(state_box)
        grid.addWidget(QLabel("当前："), 0, 0)
        grid.addWidget(self.state_label, 0, 1)
        grid.addWidget(QLabel("改为："), 0, 2)
        grid.addWidget(self.state_combo, 0, 3)
        grid.addWidget(self.state_button, 0, 4)
        grid.setColumnStretch(1, 1)
        grid.addWidget(self.reason_label, 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.reason_edit, 1, 1, 1, 4)

        # ---- progress
        self.note_date = _date_edit(ctx.today())
        self.note_date.setMaximumDate(qdate(ctx.today()))
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("如：已在镇政府门户网站公开第三季度低保资金发放情况")
        self.note_button = QPushButton("记录进展")
        self.note_model = NoteModel(self)
        self.note_view = data_table(self.note_model)
        nh = self.note_view.horizontalHeader()
        nh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        nh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        nh.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        note_box = QGroupBox("工作进展")
        nl = QVBoxLayout(note_box)
        row = QHBoxLayout()
        row.addWidget(self.note_date)
        row.addWidget(self.note_edit, 1)
        row.addWidget(self.note_button)
        nl.addLayout(row)
        nl.addWidget(self.note_view)

        # ---- evidence
        self.evidence_model = EvidenceModel(self)
        self.evidence_view = data_table(self.evidence_model)
        eh = self.evidence_view.horizontalHeader()
        eh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        eh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.link_button = QPushButton("关联信息…")
        self.attach_button = QPushButton("添加附件…")
        self.open_button = QPushButton("打开")
        self.remove_button = QPushButton("移除")
        self.auto_label = QLabel()
        self.auto_label.setStyleSheet(_NOTE_STYLE)
        self.auto_label.setWordWrap(True)
        evidence_box = QGroupBox("佐证材料")
        el = QVBoxLayout(evidence_box)
        el.addWidget(self.evidence_view)
        brow = QHBoxLayout()
        for b in (self.link_button, self.attach_button, self.open_button, self.remove_button):
            brow.addWidget(b)
        brow.addStretch(1)
        el.addLayout(brow)
        el.addWidget(self.auto_label)

        self.readonly_note = QLabel("当前账号只能查看；记录进展和佐证请由党政办或科室负责人操作。")
        self.readonly_note.setStyleSheet("color: #8a5a00;")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.task_label)
        marker_slot = layout.count()
        layout.addWidget(state_box)
        columns = QHBoxLayout()
        columns.addWidget(note_box, 3)
        columns.addWidget(evidence_box, 2)
        layout.addLayout(columns, 1)
        layout.addWidget(self.readonly_note)
        layout.addWidget(close)

        self.state_combo.currentIndexChanged.connect(self._reason_visibility)
        self.state_button.clicked.connect(self.set_state)
        self.note_button.clicked.connect(self.add_note)
        self.note_edit.returnPressed.connect(self.add_note)
        self.link_button.clicked.connect(self.link_notice)
        self.attach_button.clicked.connect(self.attach)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.evidence_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.evidence_view.doubleClicked.connect(lambda _i: self.open_selected())
        self.resize(980, 620)
        self.load()
        # B9: the progress note and the 原因 being typed are kept as a draft of this task
        # (autosaved; written at once when a save fails; offered back when it is opened again).
        self.drafts = DraftKeeper(
            self, ctx, draft_key("plan_task", task_id), collect=self.draft_fields,
            apply=self.apply_draft,
            label=lambda _f: KIND_LABELS["plan_task"] + quoted(self.task.text[:30]),
            existing=False, enabled=self.can_track)
        layout.insertWidget(marker_slot, self.drafts.marker)
        self.drafts.watch([self.note_edit, self.reason_edit])

    # ---- loading ------------------------------------------------------------------------------

    def load(self) -> None:
        ctx = self.ctx
        task = ops.get_task(ctx, self.task_id)
        self.task = task
        from html import escape

        parts = [f"<b>{escape(task.text)}</b>",
                 f"责任单位：{escape(task.responsible)}　完成时限：{escape(task.deadline.text)}"]
        if task.category:
            parts[-1] += f"　公开目录类别：{escape(task.category)}"
        self.task_label.setText("<br>".join(parts))
        text = task.state.value + (f"（原因：{task.reason}）" if task.reason else "")
        self.state_label.setText(text)
        colour = {TaskState.DONE: "#1b7a2e", TaskState.NOT_DONE: "#b3261e"}.get(task.state, "#333")
        self.state_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        wanted = self.state_combo.currentData()
        self.state_combo.blockSignals(True)
        self.state_combo.clear()
        for s in allowed_states(task.state):
            self.state_combo.addItem(s.value, s.value)
        index = self.state_combo.findData(wanted)
        self.state_combo.setCurrentIndex(max(index, 0))
        self.state_combo.blockSignals(False)
        self._reason_visibility()
        self.note_model.set_records(sorted(ops.progress_notes(ctx, task.id),
                                           key=lambda n: (n.on, n.id), reverse=True))
        self.evidence_model.set_records(ops.evidence(ctx, task.id))
        counted = ops.task_notice_count(ctx, task.id)
        self.auto_label.setText(
            f"另有本年度在“{task.category}”类别下已公开的信息 {counted} 条，自动计入。"
            if counted is not None else "")
        self.auto_label.setVisible(counted is not None)
        self._update_buttons()

    # ---- drafts (B9) --------------------------------------------------------------------------

    def draft_fields(self) -> dict[str, str]:
        return {"note": self.note_edit.text(), "reason": self.reason_edit.toPlainText()}

    def apply_draft(self, fields: dict) -> None:
        self.note_edit.setText(str(fields.get("note", "")))
        reason = str(fields.get("reason", ""))
        if reason:
            index = self.state_combo.findData(TaskState.NOT_DONE.value)
            if index >= 0:
                self.state_combo.setCurrentIndex(index)
        self.reason_edit.setPlainText(reason)

    def _kept(self) -> None:
        """One field was saved and cleared: the draft keeps only what is still typed."""
        self.drafts.saved()
        self.drafts.base_fields = {"note": "", "reason": ""}
        if self.drafts.is_dirty():
            self.drafts.write()

    def _reason_visibility(self, *_: object) -> None:
        needed = self.state_combo.currentData() == TaskState.NOT_DONE.value
        self.reason_label.setVisible(needed)
        self.reason_edit.setVisible(needed)

    def _update_buttons(self, *_: object) -> None:
        track = self.can_track
        for w in (self.state_combo, self.state_button, self.reason_edit, self.note_date,
                  self.note_edit, self.note_button, self.link_button, self.attach_button):
            w.setEnabled(track)
        selected = self.selected_evidence()
        self.remove_button.setEnabled(track and selected is not None)
        self.open_button.setEnabled(selected is not None)
        self.readonly_note.setVisible(not track)
        if not track:
            for b in (self.state_button, self.note_button, self.link_button, self.attach_button,
                      self.remove_button):
                b.setToolTip("当前账号没有记录任务进展的权限")

    def selected_evidence(self) -> Any:
        rows = self.evidence_view.selectionModel().selectedRows()
        return self.evidence_model.record(rows[0].row()) if rows else None

    def _done(self) -> None:
        self.changed = True
        self.load()

    # ---- actions ------------------------------------------------------------------------------

    def set_state(self) -> None:
        value = self.state_combo.currentData()
        if value is None:
            return
        state = TaskState(value)
        reason = self.reason_edit.toPlainText() if state is TaskState.NOT_DONE else ""

        def run() -> object:
            try:
                return ops.set_task_state(self.ctx, self.task_id, state, reason)
            except UserError as exc:
                if exc.field == "原因":
                    self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)
                raise

        if attempt_save(self.drafts, run) is not None:
            self.reason_edit.clear()
            self._kept()
            self._done()

    def add_note(self) -> None:
        text, on = self.note_edit.text(), pydate(self.note_date.date())
        if attempt_save(self.drafts,
                        lambda: ops.add_progress(self.ctx, self.task_id, text, on)) is not None:
            self.note_edit.clear()
            self._kept()
            self._done()

    def link_notice(self) -> None:
        notice = NoticePickerDialog.ask(self, self.ctx, title="关联已登记的信息", ok_text="关联")
        if notice is None:
            return
        notice_id = notice.id
        if attempt(self, lambda: ops.link_notice(self.ctx, self.task_id, notice_id)) is not None:
            self._done()

    def attach(self) -> None:
        folder = ui_state.last_dir(EVIDENCE_DIR_KEY)
        chosen, _f = QFileDialog.getOpenFileName(
            self, "选择佐证材料", folder,
            "佐证材料 (*.pdf *.jpg *.jpeg *.png *.docx *.xlsx);;所有文件 (*)")
        if not chosen:
            return
        ui_state.set_last_dir(EVIDENCE_DIR_KEY, str(Path(chosen).parent))
        if attempt(self, lambda: ops.attach_file(self.ctx, self.task_id, chosen)) is not None:
            self._done()

    def open_selected(self) -> None:
        item = self.selected_evidence()
        if item is None:
            return
        if item.is_notice:
            messages.info(self, f"关联的信息：{item.label}\n可在“信息登记”中按标题查到。")
            return
        path = ops.evidence_path(self.ctx, item)
        if path is None or not path.exists():
            messages.warn(self, "找不到这个附件文件，可能已被移动或删除。")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def remove_selected(self) -> None:
        item = self.selected_evidence()
        if item is None:
            return
        what = "关联的信息" if item.is_notice else "附件"
        if not messages.confirm(self, f"确定从这项任务移除{what}“{item.label}”吗？"
                                      "（信息本身和已保存的文件不会删除）", ok="移除"):
            return
        if attempt(self, lambda: ops.remove_evidence(self.ctx, item.id)) is not None:
            self._done()

    def reject(self) -> None:
        # 关闭, Esc and the close box: a typed note or 原因 not yet recorded is thrown away
        # only when the user says so.
        if self.drafts.is_dirty() and not messages.confirm(
                self, "填写的工作进展或原因还没有保存，关闭后将丢失。确定放弃吗？", ok="放弃"):
            return
        self.drafts.discard()
        super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, task_id: int) -> bool:
        """Show the task's tracking; True when anything was recorded."""
        dialog = cls(parent, ctx, task_id)
        try:
            dialog.drafts.offer()
            dialog.exec()
            return dialog.changed
        finally:
            dialog.deleteLater()


def copy_summary(view: ops.PlanView, to_year: int) -> str:
    """What 复制上一年度的方案 will copy, for the confirmation."""
    dated = sum(1 for t in view.tasks if t.deadline.on is not None)
    text = (f"将以{view.plan.year}年的《{view.plan.title}》为基础，新建{to_year}年的实施方案：\n\n"
            f"· 复制 {len(view.sections)} 个板块、{len(view.tasks)} 项任务，责任单位和公开目录类别不变；\n")
    if dated:
        text += f"· {dated} 项任务的完成时限顺延到{to_year}年的同月同日（2月底仍为2月底）；\n"
    text += ("· 所有任务的状态重置为“未开始”，进展记录和佐证材料不复制；\n"
             f"· 标题中的“{view.plan.year}年”改为“{to_year}年”，前言照录，请按新的文件修改。")
    return text

