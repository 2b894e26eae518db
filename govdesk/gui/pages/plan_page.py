"""实施方案: the year's 政务公开工作实施方案 (issue 8 §1–§2) — its sections and tasks as a grouped
table with each task's state against its 完成时限, filters, editing for the 党政办 ("plan.manage"),
tracking for whoever registers notices ("notice.edit": state, progress, evidence, in the task
dialog), what each unit owes, and the plan's export (PDF preview, Word, Excel).

A year without a plan shows what can be done about it: 新建实施方案… or 复制上一年度的方案….
Every action goes through operations.work_plan and the page reloads from what was saved.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.work_plan import PlanSection, PlanTask, TaskState
from govdesk.gui import messages, printing_actions, ui_state
from govdesk.gui.background import run_with_progress, worker_context
from govdesk.gui.dialogs.plan_dialogs import (
    PlanInfoDialog,
    SectionDialog,
    TaskDialog,
    TaskTrackDialog,
    copy_summary,
)
from govdesk.gui.guard import attempt
from govdesk.gui.models.plan_models import (
    TASK_ID_ROLE,
    OwedTaskModel,
    PlanRow,
    PlanTableModel,
    plan_rows,
    timing,
)
from govdesk.gui.widgets import data_table, select_row
from govdesk.operations import lists
from govdesk.operations import work_plan as ops
from govdesk.operations.context import Context, can

LAST_DIR_KEY = "plan_export"
NO_EDIT_TIP = "当前账号没有编制实施方案的权限（由党政办经办人或管理员编制）"
_NOTE_STYLE = ("QLabel { background: #fff3bf; color: #5c4400; border: 1px solid #e6c84d;"
               " border-radius: 4px; padding: 6px 10px; }")
_EMPTY_STYLE = ("QLabel { color: #444; background: #f5f7fa; border: 1px dashed #c9d1dc;"
                " border-radius: 6px; padding: 24px; }")
EXPORTS = {"docx": ("导出为 Word", "Word 文档 (*.docx)"),
           "xlsx": ("导出为 Excel", "Excel 工作簿 (*.xlsx)")}


class PlanPage(QWidget):
    changed = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._loading = False
        self.view: ops.PlanView | None = None
        self.tracking: dict[int, ops.TaskTracking] = {}
        self.model = PlanTableModel(self)
        self.owed_model = OwedTaskModel(self)

        # ---- top: year, title -----------------------------------------------------------------
        self.year_combo = QComboBox()
        self.year_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title_label.setFont(font)
        self.info_button = QPushButton("修改标题和说明…")
        self.export_button = QPushButton("导出")
        export_menu = QMenu(self.export_button)
        export_menu.addAction("打印预览（PDF）…", self.preview_pdf)
        export_menu.addAction("导出为 Word（.docx）…", lambda: self.export("docx"))
        export_menu.addAction("导出为 Excel（.xlsx）…", lambda: self.export("xlsx"))
        self.export_button.setMenu(export_menu)
        # The year-end report is on the whole plan, so it sits with the plan's title and 导出
        # (a task's own "任务落实情况…" is below the table).
        self.report_button = QPushButton("落实情况报告…")
        self.report_button.setToolTip("年终的实施方案落实情况报告：概述、实施措施、存在的问题及改进措施，"
                                      "附各项任务的完成情况；可修改、保存，导出 Word 或 PDF")
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year_combo)
        top.addSpacing(12)
        top.addWidget(self.title_label, 1)
        top.addWidget(self.info_button)
        top.addWidget(self.report_button)
        top.addWidget(self.export_button)

        self.readonly_note = QLabel("当前账号只能查看实施方案和记录任务进展；编制和修改方案请由党政办经办人操作。")
        self.readonly_note.setWordWrap(True)
        self.readonly_note.setStyleSheet(_NOTE_STYLE)

        # ---- empty state -------------------------------------------------------------------------
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet(_EMPTY_STYLE)
        self.create_button = QPushButton("新建实施方案…")
        self.copy_button = QPushButton("复制上一年度的方案…")
        for b in (self.create_button, self.copy_button):
            b.setMinimumHeight(36)
            b.setMinimumWidth(180)
        empty = QWidget()
        el = QVBoxLayout(empty)
        el.addStretch(1)
        el.addWidget(self.empty_label)
        brow = QHBoxLayout()
        brow.addStretch(1)
        brow.addWidget(self.create_button)
        brow.addSpacing(12)
        brow.addWidget(self.copy_button)
        brow.addStretch(1)
        el.addSpacing(12)
        el.addLayout(brow)
        el.addStretch(2)

        # ---- the plan: filters, table, buttons ------------------------------------------------
        self.owner_combo = QComboBox()
        self.state_combo = QComboBox()
        self.state_combo.addItem("全部状态", None)
        for s in TaskState:
            self.state_combo.addItem(s.value, s.value)
        self.due_check = QCheckBox("只看到期和超期")
        self.due_check.setToolTip("未办结且已超过完成时限，或15天内到期的任务")
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555;")
        filters = QHBoxLayout()
        filters.addWidget(QLabel("责任单位"))
        filters.addWidget(self.owner_combo)
        filters.addWidget(QLabel("状态"))
        filters.addWidget(self.state_combo)
        filters.addWidget(self.due_check)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        self.table = data_table(self.model)
        self.table.setWordWrap(True)
        self.table.setToolTip("双击任务查看和记录落实情况")
        header = self.table.horizontalHeader()
        for col in range(self.model.columnCount()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PlanTableModel.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PlanTableModel.OWNERS, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(PlanTableModel.OWNERS, 200)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.add_section_button = QPushButton("新增板块…")
        self.add_task_button = QPushButton("新增任务…")
        self.edit_button = QPushButton("修改…")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        self.delete_button = QPushButton("删除…")
        self.track_button = QPushButton("任务落实情况…")
        self.track_button.setToolTip("任务状态、工作进展和佐证材料")
        self.write_buttons = (self.add_section_button, self.add_task_button, self.edit_button,
                              self.up_button, self.down_button, self.delete_button,
                              self.info_button)
        actions = QHBoxLayout()
        for b in self.write_buttons[:-1]:
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.track_button)

        tasks_tab = QWidget()
        tl = QVBoxLayout(tasks_tab)
        tl.setContentsMargins(0, 6, 0, 0)
        tl.addLayout(filters)
        tl.addWidget(self.table, 1)
        tl.addLayout(actions)

        self.owed_view = data_table(self.owed_model)
        self.owed_view.setWordWrap(True)
        oh = self.owed_view.horizontalHeader()
        for col in range(self.owed_model.columnCount()):
            oh.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        oh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.owed_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.owed_view.setToolTip("双击任务查看和记录落实情况")
        self.owed_label = QLabel()
        self.owed_label.setWordWrap(True)
        self.owed_label.setStyleSheet("color: #555;")
        owed_tab = QWidget()
        ol = QVBoxLayout(owed_tab)
        ol.setContentsMargins(0, 6, 0, 0)
        ol.addWidget(self.owed_label)
        ol.addWidget(self.owed_view, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(tasks_tab, "任务分解")
        self.tabs.addTab(owed_tab, "各单位任务")

        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(self.tabs)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.readonly_note)
        layout.addWidget(self.stack, 1)

        # ---- wiring --------------------------------------------------------------------------
        self.year_combo.currentIndexChanged.connect(self._reload)
        self.owner_combo.currentIndexChanged.connect(self._apply_filters)
        self.state_combo.currentIndexChanged.connect(self._apply_filters)
        self.due_check.toggled.connect(self._apply_filters)
        self.create_button.clicked.connect(self.create_plan)
        self.copy_button.clicked.connect(self.copy_last_year)
        self.info_button.clicked.connect(self.edit_info)
        self.add_section_button.clicked.connect(self.add_section)
        self.add_task_button.clicked.connect(self.add_task)
        self.edit_button.clicked.connect(self.edit_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.delete_button.clicked.connect(self.delete_selected)
        self.track_button.clicked.connect(self.track_selected)
        self.report_button.clicked.connect(self.open_report)
        self.table.doubleClicked.connect(self._double_clicked)
        self.owed_view.doubleClicked.connect(self._owed_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.refresh()

    # ---- state -----------------------------------------------------------------------------------

    @property
    def can_edit(self) -> bool:
        return can(self._ctx.user, ops.EDIT)

    @property
    def can_track(self) -> bool:
        return can(self._ctx.user, ops.TRACK)

    @property
    def year(self) -> int:
        data = self.year_combo.currentData()
        return int(data) if data is not None else self._ctx.today().year

    def set_year(self, year: int) -> None:
        index = self.year_combo.findData(year)
        if index < 0:
            self._fill_years(extra=year)
            index = self.year_combo.findData(year)
        self.year_combo.setCurrentIndex(index)

    def _fill_years(self, extra: int | None = None) -> None:
        today = self._ctx.today().year
        years = set(ops.plan_years(self._ctx)) | {today, today + 1}
        if extra is not None:
            years.add(extra)
        current = self.year_combo.currentData()
        self._loading = True
        try:
            self.year_combo.clear()
            for y in sorted(years, reverse=True):
                self.year_combo.addItem(f"{y}年", y)
            wanted = current if current is not None else today
            self.year_combo.setCurrentIndex(max(self.year_combo.findData(wanted), 0))
        finally:
            self._loading = False

    # ---- loading ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._fill_years()
        self._reload()

    def _reload(self, *_: object) -> None:
        if self._loading:
            return
        ctx, year = self._ctx, self.year
        keep = self.selected_row()
        plan = ops.find_plan(ctx, year)
        if plan is None:
            self.view = None
            self.tracking = {}
            self.title_label.setText(f"{year}年实施方案")
            self._show_empty(year)
        else:
            self.view = ops.plan_view(ctx, year)
            self.tracking = ops.tracking_of_plan(ctx, year)
            self.title_label.setText(plan.title)
            self.stack.setCurrentIndex(1)
            self._fill_owners()
            self._apply_filters(keep=keep)
            self._load_owed()
        self._update_buttons()

    def _show_empty(self, year: int) -> None:
        previous = ops.find_plan(self._ctx, year - 1)
        text = f"还没有{year}年的政务公开工作实施方案。"
        if previous is not None:
            last = ops.plan_view(self._ctx, year - 1)
            text += (f"\n\n可以复制{year - 1}年的方案（{len(last.sections)} 个板块、"
                     f"{len(last.tasks)} 项任务）作为起点，再按今年的工作要点修改；也可以从头新建。")
        else:
            text += "\n\n新建方案后，按县政务公开工作要点添加板块和任务，写明责任单位和完成时限。"
        self.empty_label.setText(text)
        self.copy_button.setVisible(previous is not None)
        self.copy_button.setText(f"复制{year - 1}年的方案…")
        self.stack.setCurrentIndex(0)
        self.model.set_plan([], year=year, today=self._ctx.today(), calendar=self._ctx.calendar,
                            notes={}, evidence={}, notices={})

    def _fill_owners(self) -> None:
        current = self.owner_combo.currentData()
        self.owner_combo.blockSignals(True)
        self.owner_combo.clear()
        self.owner_combo.addItem("全部单位", None)
        for u in lists.units(self._ctx, active_only=True):
            self.owner_combo.addItem(u.name, ("unit", u.id))
        for c in lists.communities(self._ctx, active_only=True):
            self.owner_combo.addItem(c.name, ("community", c.id))
        index = self.owner_combo.findData(current) if current is not None else 0
        self.owner_combo.setCurrentIndex(max(index, 0))
        self.owner_combo.blockSignals(False)

    def _keep(self, task: PlanTask) -> bool:
        owner = self.owner_combo.currentData()
        if owner is not None:
            kind, oid = owner
            if kind == "unit" and not (task.all_units or oid in task.unit_ids):
                return False
            if kind == "community" and not (task.all_communities or oid in task.community_ids):
                return False
        state = self.state_combo.currentData()
        if state is not None and task.state.value != state:
            return False
        if self.due_check.isChecked():
            t = timing(task, self._ctx.today(), self._ctx.calendar)
            if not (t.overdue or t.due_soon):
                return False
        return True

    @property
    def filtered(self) -> bool:
        return (self.owner_combo.currentData() is not None
                or self.state_combo.currentData() is not None or self.due_check.isChecked())

    def _apply_filters(self, *_: object, keep: PlanRow | None = None) -> None:
        view = self.view
        if view is None:
            return
        if keep is None:
            keep = self.selected_row()
        rows = plan_rows(view.sections, view.tasks, self._keep if self.filtered else None,
                         keep_empty_sections=not self.filtered)
        self.model.set_plan(
            rows, year=view.plan.year, today=self._ctx.today(), calendar=self._ctx.calendar,
            notes={k: v.last_note for k, v in self.tracking.items()},
            evidence={k: v.evidence for k, v in self.tracking.items()},
            notices=view.notice_counts)
        self.table.clearSpans()
        for i, r in enumerate(rows):
            if r.is_section:
                self.table.setSpan(i, 0, 1, self.model.columnCount())
        shown = sum(1 for r in rows if not r.is_section)
        today = self._ctx.today()
        timings = [timing(t, today, self._ctx.calendar) for t in view.tasks]
        done = sum(1 for t in view.tasks if t.state is TaskState.DONE)
        text = f"共 {len(view.sections)} 个板块、{len(view.tasks)} 项任务，已完成 {done} 项"
        over, soon = sum(t.overdue for t in timings), sum(t.due_soon for t in timings)
        if over or soon:
            text += f"（已超期 {over} 项，15天内到期 {soon} 项）"
        if self.filtered:
            text = f"筛选出 {shown} 项任务；" + text
        self.count_label.setText(text)
        if keep is not None:
            self._select(keep.task.id if keep.task else None, keep.section.id)
        self._update_buttons()

    def _load_owed(self) -> None:
        owed = attempt(self, lambda: ops.open_tasks_by_owner(self._ctx, self.year)) or {}
        self.owed_model.set_owed(owed, self._ctx.today(), self._ctx.calendar)
        if owed:
            self.owed_label.setText("各单位尚未完成的任务（含“各部门”“各村（社区）”的任务）："
                                    + "、".join(f"{k} {len(v)} 项" for k, v in owed.items()))
        else:
            self.owed_label.setText("各单位的任务都已办结。")

    # ---- selection -------------------------------------------------------------------------------

    def selected_row(self) -> PlanRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def selected_task(self) -> PlanTask | None:
        r = self.selected_row()
        return r.task if r is not None else None

    def selected_section(self) -> PlanSection | None:
        r = self.selected_row()
        return r.section if r is not None else None

    def _select(self, task_id: int | None, section_id: int | None = None) -> None:
        row = (self.model.row_of_task(task_id) if task_id is not None
               else self.model.row_of_section(section_id) if section_id is not None else None)
        if row is not None:
            select_row(self.table, row)
            self.table.scrollTo(self.model.index(row, 0))

    def select_task(self, task_id: int) -> bool:
        """Show the plan of the task's year with the task selected (the dashboard's double
        click); filters that would hide it are cleared. False when the task is gone."""
        year = attempt(self, lambda: ops.year_of_task(self._ctx, task_id))
        if year is None:
            return False
        self.tabs.setCurrentIndex(0)
        for w in (self.owner_combo, self.state_combo, self.due_check):
            w.blockSignals(True)
        self.owner_combo.setCurrentIndex(0)
        self.state_combo.setCurrentIndex(0)
        self.due_check.setChecked(False)
        for w in (self.owner_combo, self.state_combo, self.due_check):
            w.blockSignals(False)
        if self.year != year:
            self.set_year(year)
        else:
            self._reload()
        self._select(task_id)
        return self.selected_task() is not None and self.selected_task().id == task_id

    def _update_buttons(self, *_: object) -> None:
        edit = self.can_edit
        has_plan = self.view is not None
        r = self.selected_row()
        self.readonly_note.setVisible(not edit)
        self.create_button.setEnabled(edit)
        self.copy_button.setEnabled(edit)
        self.info_button.setEnabled(edit and has_plan)
        self.export_button.setEnabled(has_plan)
        self.report_button.setEnabled(has_plan)
        self.add_section_button.setEnabled(edit and has_plan)
        self.add_task_button.setEnabled(edit and has_plan and bool(self.view and
                                                                    self.view.sections))
        self.edit_button.setEnabled(edit and r is not None)
        self.delete_button.setEnabled(edit and r is not None)
        self.up_button.setEnabled(edit and r is not None and not self.filtered)
        self.down_button.setEnabled(edit and r is not None and not self.filtered)
        self.track_button.setEnabled(r is not None and r.task is not None)
        if not edit:
            for b in (*self.write_buttons, self.create_button, self.copy_button):
                b.setToolTip(NO_EDIT_TIP)
        elif self.filtered:
            for b in (self.up_button, self.down_button):
                b.setToolTip("清除筛选后才能调整顺序")
        else:
            for b in (self.up_button, self.down_button):
                b.setToolTip("")

    def _after_change(self, task_id: int | None = None, section_id: int | None = None) -> None:
        self.refresh()
        if task_id is not None or section_id is not None:
            self._select(task_id, section_id)
        self.changed.emit()

    # ---- the plan ------------------------------------------------------------------------------

    def create_plan(self) -> None:
        if not self.can_edit:
            return
        year = self.year
        if PlanInfoDialog.ask(self, self._ctx, year) is not None:
            self._after_change()

    def copy_last_year(self) -> None:
        if not self.can_edit:
            return
        year = self.year
        source = attempt(self, lambda: ops.plan_view(self._ctx, year - 1))
        if source is None:
            return
        if not messages.confirm(self, copy_summary(source, year), "复制上一年度的方案",
                                ok="复制"):
            return
        if attempt(self, lambda: ops.copy_plan(self._ctx, year - 1, year)) is not None:
            self._after_change()

    def edit_info(self) -> None:
        if self.view is None or not self.can_edit:
            return
        if PlanInfoDialog.ask(self, self._ctx, self.year, self.view.plan) is not None:
            self._after_change()

    # ---- sections and tasks ----------------------------------------------------------------------

    def add_section(self) -> None:
        if self.view is None or not self.can_edit:
            return
        saved = SectionDialog.ask(self, self._ctx, self.view.plan.id)
        if saved is not None:
            self._after_change(section_id=saved.id)

    def add_task(self) -> None:
        view = self.view
        if view is None or not self.can_edit or not view.sections:
            return
        section = self.selected_section() or sorted(view.sections, key=lambda s: s.seq)[-1]
        saved = TaskDialog.ask(self, self._ctx, section, view.plan.year)
        if saved is not None:
            self._after_change(task_id=saved.id)

    def edit_selected(self) -> None:
        r = self.selected_row()
        if r is None or self.view is None or not self.can_edit:
            return
        if r.task is None:
            saved_section = SectionDialog.ask(self, self._ctx, self.view.plan.id, r.section)
            if saved_section is not None:
                self._after_change(section_id=saved_section.id)
            return
        saved = TaskDialog.ask(self, self._ctx, r.section, self.view.plan.year, r.task)
        if saved is not None:
            self._after_change(task_id=saved.id)

    def move_selected(self, step: int) -> None:
        r, view = self.selected_row(), self.view
        if r is None or view is None or not self.can_edit or self.filtered:
            return
        if r.task is None:
            order = [s.id for s in sorted(view.sections, key=lambda s: (s.seq, s.id))]
            i = order.index(r.section.id)
            j = i + step
            if not 0 <= j < len(order):
                return
            order[i], order[j] = order[j], order[i]
            if attempt(self, lambda: ops.reorder_sections(self._ctx, view.plan.id, order)):
                self._after_change(section_id=r.section.id)
            return
        task = r.task
        own = [t.id for t in sorted(view.tasks_of(task.section_id), key=lambda t: (t.seq, t.id))]
        position = own.index(task.id) + 1 + step
        if not 1 <= position <= len(own):
            return
        if attempt(self, lambda: ops.move_task(self._ctx, task.id, task.section_id, position)):
            self._after_change(task_id=task.id)

    def delete_selected(self) -> None:
        r, view = self.selected_row(), self.view
        if r is None or view is None or not self.can_edit:
            return
        if r.task is None:
            n = len(view.tasks_of(r.section.id))
            text = f"确定删除板块“{r.section.title}”吗？"
            if n:
                text += f"\n\n其中的 {n} 项任务及其进展记录和佐证材料将一并删除。"
            text += "\n删除前会自动备份，删除记入操作日志。"
            if messages.confirm(self, text, "删除板块", ok="删除") and attempt(
                    self, lambda: ops.delete_section(self._ctx, r.section.id) or True):
                self._after_change()
            return
        task = r.task
        text = (f"确定删除任务“{task.text[:60]}”吗？\n\n它的进展记录和佐证材料将一并删除；"
                "删除前会自动备份，删除记入操作日志。")
        if messages.confirm(self, text, "删除任务", ok="删除") and attempt(
                self, lambda: ops.delete_task(self._ctx, task.id) or True):
            self._after_change(section_id=task.section_id)

    # ---- tracking ------------------------------------------------------------------------------

    def _double_clicked(self, index: object) -> None:
        r = self.selected_row()
        if r is None:
            return
        if r.task is None:
            self.edit_selected()
        else:
            self.track_selected()

    def _owed_double_clicked(self, index: object) -> None:
        task_id = index.siblingAtColumn(0).data(TASK_ID_ROLE)  # type: ignore[attr-defined]
        if task_id is not None:
            self.select_task(int(task_id))
            self.track_selected()

    def track_selected(self) -> None:
        task = self.selected_task()
        if task is None:
            return
        if TaskTrackDialog.ask(self, self._ctx, task.id):
            self._after_change(task_id=task.id)

    # ---- the year-end report ----------------------------------------------------------------------

    def open_report(self) -> None:
        if self.view is None:
            return
        from govdesk.gui.pages.plan_report_view import PlanReportDialog

        PlanReportDialog.ask(self, self._ctx, self.year)

    # ---- export --------------------------------------------------------------------------------

    def preview_pdf(self) -> None:
        if self.view is None:
            return
        year = self.year
        printing_actions.preview_job(
            self, self._ctx, f"plan-{year}", f"{self.view.plan.title}.pdf",
            "正在生成实施方案……", lambda w, path: ops.export_plan(w, year, path))

    def export(self, fmt: str) -> Path | None:
        if self.view is None:
            return None
        title, filters = EXPORTS[fmt]
        folder = ui_state.last_dir(LAST_DIR_KEY)
        name = f"{self.view.plan.title}.{fmt}"
        start = str(Path(folder) / name) if folder else name
        chosen, _selected = QFileDialog.getSaveFileName(self, f"{title}（{self.year}年实施方案）",
                                                        start, filters)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
        ctx, year = self._ctx, self.year

        def work() -> bool:
            worker = worker_context(ctx)
            try:
                ops.export_plan(worker, year, path)
                return True
            finally:
                worker.db.close()

        if run_with_progress(self, "正在导出实施方案……", work) is None:
            return None
        ui_state.set_last_dir(LAST_DIR_KEY, str(path.parent))
        messages.info(self, f"已导出到：\n{path}")
        return path
