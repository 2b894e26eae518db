"""工作台账: the four registers that feed the reports (issue 8 §4) — 政策解读, 舆情与热线,
建议提案, 培训与会议 — one tab each.

Each tab: the period (年度, then 全年 / a quarter / a month), filters (unit, 渠道/形式/类型,
状态, text), the entries as a sortable table (an open hotline case past its 办理时限 red, 已超期),
the period's counts and rates from operations.registers.register_stats (“—” where a rate is
undefined), and the actions 新增 / 修改 / 删除 / 办结 / 导入 / 导出 / 下载导入模板. Everything goes
through operations.registers; imports and exports run off the GUI thread (gui.background).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.errors import UserError, ValidationErrors
from govdesk.core.registers import (
    HotlineCase,
    HotlineStats,
    InterpretationForm,
    InterpretationStats,
    MeetingKind,
    MeetingStats,
    Period,
    ProposalKind,
    ProposalStats,
    RegisterKind,
    RegisterRecord,
    format_rate,
)
from govdesk.gui import messages, ui_state
from govdesk.gui.background import run_with_progress, worker_context
from govdesk.gui.dialogs.register_dialogs import (
    DIALOGS,
    HotlineCloseDialog,
    ImportProblemsDialog,
)
from govdesk.gui.guard import attempt
from govdesk.gui.models.register_models import (
    SORT_ROLE,
    WIDE_COLUMNS,
    Names,
    RegisterTableModel,
)
from govdesk.gui.widgets import data_table
from govdesk.operations import lists
from govdesk.operations import registers as register_ops
from govdesk.operations.context import Context, can
from govdesk.operations.registers import ListFilter

LAST_DIR_KEY = "registers"
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
NO_PERMISSION = "当前账号没有登记和修改工作台账的权限（需要“登记和修改信息”权限）"
_SUMMARY_STYLE = ("QLabel { background: #f5f7fa; border-radius: 4px; padding: 6px 10px; }")
_NOTE_STYLE = ("QLabel { background: #fff3bf; color: #5c4400; border: 1px solid #e6c84d;"
               " border-radius: 4px; padding: 6px 10px; }")

# The tabs, in the order the brief and the reports name them.
TABS: tuple[RegisterKind, ...] = (RegisterKind.INTERPRETATION, RegisterKind.HOTLINE,
                                  RegisterKind.PROPOSAL, RegisterKind.MEETING)
_OWNER_LABEL = {RegisterKind.INTERPRETATION: "解读单位", RegisterKind.HOTLINE: "承办单位",
                RegisterKind.PROPOSAL: "承办单位", RegisterKind.MEETING: "组织单位"}
_CATEGORY_LABEL = {RegisterKind.INTERPRETATION: "形式", RegisterKind.HOTLINE: "渠道",
                   RegisterKind.PROPOSAL: "类型", RegisterKind.MEETING: "类型"}
_STATES = {RegisterKind.HOTLINE: ("办理中", "已超期", "已办结"),
           RegisterKind.PROPOSAL: ("未答复", "已答复")}
_DATE_COLUMN = {RegisterKind.INTERPRETATION: 0, RegisterKind.HOTLINE: 0,
                RegisterKind.PROPOSAL: 4, RegisterKind.MEETING: 1}
_SEARCH_HINT = {RegisterKind.INTERPRETATION: "搜索标题、政策文件、备注",
                RegisterKind.HOTLINE: "搜索事项、工单编号、备注",
                RegisterKind.PROPOSAL: "搜索标题、编号、领衔人",
                RegisterKind.MEETING: "搜索主题、备注"}
_UNIT_WORD = {RegisterKind.INTERPRETATION: "条", RegisterKind.HOTLINE: "件",
              RegisterKind.PROPOSAL: "件", RegisterKind.MEETING: "次"}
_QUARTERS = ("一季度", "二季度", "三季度", "四季度")


def summary_text(stats: object) -> str:
    """The period's counts and rates in one line (“—” for a rate of nothing)."""
    def pct(value: object) -> str:
        return format_rate(value, 1)  # type: ignore[arg-type]

    if isinstance(stats, HotlineStats):
        t = stats.total
        text = (f"受理 {t.received} 件，办结 {t.closed} 件，办结率 {pct(t.closure_rate)}，"
                f"按时办结率 {pct(t.on_time_rate)}")
        if t.overdue_open:
            text += f"，超期未办结 {t.overdue_open} 件"
        return text + (f"，结果反馈率 {pct(t.feedback_rate)}，满意率 {pct(t.satisfaction_rate)}")
    if isinstance(stats, InterpretationStats):
        forms = "，".join(f"{f} {n} 条" for f, n in stats.by_form if n)
        return f"发布政策解读 {stats.total} 条" + (f"（{forms}）" if forms else "")
    if isinstance(stats, ProposalStats):
        kinds = "，".join(f"{k} {n} 件" for k, n, _r in stats.by_kind if n)
        return (f"承办建议提案 {stats.total} 件" + (f"（{kinds}）" if kinds else "")
                + f"，已答复 {stats.replied} 件，答复率 {pct(stats.reply_rate)}，"
                f"满意率 {pct(stats.satisfaction_rate)}")
    if isinstance(stats, MeetingStats):
        kinds = "，".join(f"{k} {n} 次" for k, n, _p in stats.by_kind if n)
        return (f"举办培训和会议 {stats.total} 次" + (f"（{kinds}）" if kinds else "")
                + f"，参加 {stats.participants} 人次")
    return ""


class RegisterTab(QWidget):
    """One register: period and filters, the table, the summary line, the actions."""

    changed = Signal()

    def __init__(self, ctx: Context, kind: RegisterKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.kind = kind
        self._loading = False
        self.model = RegisterTableModel(kind, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)

        # ---- period and filters -----------------------------------------------------------
        self.year_combo = QComboBox()
        self.year_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.period_combo = QComboBox()
        self.period_combo.addItem("全年", (None, None))
        for q, name in enumerate(_QUARTERS, 1):
            self.period_combo.addItem(name, (q, None))
        for m in range(1, 13):
            self.period_combo.addItem(f"{m}月", (None, m))
        self.period_combo.setMaxVisibleItems(17)
        self.owner_combo = QComboBox()
        self.owner_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.owner_combo.setMaxVisibleItems(20)
        self.category_combo = QComboBox()
        self.category_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.state_combo = QComboBox()
        self.state_combo.addItem("全部", None)
        for s in _STATES.get(kind, ()):
            self.state_combo.addItem(s, s)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(_SEARCH_HINT[kind])
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(180)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("年度"))
        filters.addWidget(self.year_combo)
        filters.addWidget(self.period_combo)
        filters.addSpacing(10)
        filters.addWidget(QLabel(_OWNER_LABEL[kind]))
        filters.addWidget(self.owner_combo)
        filters.addWidget(QLabel(_CATEGORY_LABEL[kind]))
        filters.addWidget(self.category_combo)
        self.state_label = QLabel("状态")
        filters.addWidget(self.state_label)
        filters.addWidget(self.state_combo)
        self.state_label.setVisible(kind in _STATES)
        self.state_combo.setVisible(kind in _STATES)
        filters.addWidget(self.search_edit, 1)

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setStyleSheet(_SUMMARY_STYLE)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555;")

        self.readonly_note = QLabel(NO_PERMISSION + "，只能查看和导出。")
        self.readonly_note.setWordWrap(True)
        self.readonly_note.setStyleSheet(_NOTE_STYLE)

        # ---- table ------------------------------------------------------------------------
        self.table = data_table(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(_DATE_COLUMN[kind], Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        for col in WIDE_COLUMNS[kind]:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicatorShown(True)

        # ---- actions ----------------------------------------------------------------------
        self.add_button = QPushButton("新增…")
        self.edit_button = QPushButton("修改…")
        self.delete_button = QPushButton("删除")
        self.close_button = QPushButton("办结…")
        self.close_button.setToolTip("填写办结日期、结果反馈和满意度")
        self.close_button.setVisible(kind is RegisterKind.HOTLINE)
        self.import_button = QPushButton("导入…")
        self.export_button = QPushButton("导出…")
        self.template_button = QPushButton("下载导入模板…")
        actions = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button, self.close_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.count_label)
        actions.addSpacing(12)
        for b in (self.import_button, self.export_button, self.template_button):
            actions.addWidget(b)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.readonly_note)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

        # ---- wiring -----------------------------------------------------------------------
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.reload)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self.reload)
        for combo in (self.year_combo, self.period_combo, self.owner_combo,
                      self.category_combo, self.state_combo):
            combo.currentIndexChanged.connect(self.reload)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.close_button.clicked.connect(self.close_selected)
        self.import_button.clicked.connect(self.import_sheet)
        self.export_button.clicked.connect(self.export_sheet)
        self.template_button.clicked.connect(self.write_template)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.refresh()

    # ---- loading ------------------------------------------------------------------------------

    @property
    def can_manage(self) -> bool:
        return can(self._ctx.user, register_ops.PERMISSION)

    def refresh(self) -> None:
        """Reload the choices (years, units, channels) and the list, keeping the filters."""
        self._loading = True
        try:
            today = self._ctx.today()
            year = self.year_combo.currentData()
            years = sorted({today.year, *register_ops.record_years(self._ctx, self.kind)},
                           reverse=True)
            self.year_combo.clear()
            for y in years:
                self.year_combo.addItem(f"{y}年", y)
            self.year_combo.setCurrentIndex(max(self.year_combo.findData(
                year if year is not None else today.year), 0))

            owner = self.owner_combo.currentData()
            self.owner_combo.clear()
            self.owner_combo.addItem("全部", None)
            for label, uid, cid in lists.owners(self._ctx, active_only=False):
                self.owner_combo.addItem(label, (uid, cid))
            self.owner_combo.setCurrentIndex(max(self.owner_combo.findData(owner), 0))

            category = self.category_combo.currentData()
            self.category_combo.clear()
            self.category_combo.addItem("全部", None)
            for name in self.categories():
                self.category_combo.addItem(name, name)
            self.category_combo.setCurrentIndex(max(self.category_combo.findData(category), 0))
        finally:
            self._loading = False
        self.reload()

    def categories(self) -> list[str]:
        if self.kind is RegisterKind.HOTLINE:
            return [c.name for c in register_ops.hotline_channels(self._ctx)]
        if self.kind is RegisterKind.INTERPRETATION:
            return [f.value for f in InterpretationForm]
        if self.kind is RegisterKind.PROPOSAL:
            return [k.value for k in ProposalKind]
        return [k.value for k in MeetingKind]

    def period(self) -> Period:
        year = self.year_combo.currentData() or self._ctx.today().year
        quarter, month = self.period_combo.currentData() or (None, None)
        return Period.of(year, quarter=quarter, month=month)

    def list_filter(self) -> ListFilter:
        uid, cid = self.owner_combo.currentData() or (None, None)
        return ListFilter(unit_id=uid, community_id=cid,
                          category=self.category_combo.currentData(),
                          state=self.state_combo.currentData() if self.kind in _STATES else None,
                          text=self.search_edit.text().strip())

    def reload(self, *_: object) -> None:
        if self._loading:
            return
        self._search_timer.stop()
        keep = self.selected_id()
        ctx, period = self._ctx, self.period()
        records = register_ops.list_records(ctx, self.kind, self.list_filter(), period=period)
        units = {u.id: u.name for u in lists.units(ctx)}
        communities = {c.id: c.name for c in lists.communities(ctx)}
        notices = register_ops.notice_labels(ctx, [
            r.notice_id for r in records if getattr(r, "notice_id", None) is not None])
        self.model.set_records(records, Names(units, communities, notices, ctx.today()))
        stats = register_ops.register_stats(ctx, self.kind, period)
        self.summary_label.setText(f"{period.label}：{summary_text(stats)}")
        word = _UNIT_WORD[self.kind]
        shown = f"列表 {len(records)} {word}"
        if self.list_filter() != ListFilter():
            shown += "（已筛选）"
        self.count_label.setText(shown)
        self._fit_columns()
        if keep is not None:
            self.select_record(keep, widen=False)
        self._update_buttons()

    def _fit_columns(self) -> None:
        """Short columns fit their contents with room to spare (sized to the text alone, dates
        and names run into the next column); the long texts share what is left."""
        header = self.table.horizontalHeader()
        wide = WIDE_COLUMNS[self.kind]
        for col in range(self.model.columnCount()):
            if col not in wide:
                self.table.resizeColumnToContents(col)
                header.resizeSection(col, header.sectionSize(col) + 14)

    # ---- selection ----------------------------------------------------------------------------

    def selected(self) -> RegisterRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.record(self.proxy.mapToSource(rows[0]).row())

    def selected_id(self) -> int | None:
        r = self.selected()
        return r.id if r is not None else None

    def select_record(self, record_id: int, *, widen: bool = True) -> bool:
        """Select an entry; with ``widen``, clear the filters and move to its year when it is
        not listed. True when it is shown."""
        row = self.model.row_of(record_id)
        if row is None and widen:
            try:
                record = register_ops.get_record(self._ctx, self.kind, record_id)
            except UserError:
                return False
            self._loading = True
            for combo in (self.period_combo, self.owner_combo, self.category_combo,
                          self.state_combo):
                combo.setCurrentIndex(0)
            self.search_edit.blockSignals(True)
            self.search_edit.clear()
            self.search_edit.blockSignals(False)
            index = self.year_combo.findData(record.on.year)
            if index >= 0:
                self.year_combo.setCurrentIndex(index)
            self._loading = False
            self.reload()
            row = self.model.row_of(record_id)
        if row is None:
            self.table.clearSelection()
            return False
        proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(proxy_index.row())
        self.table.scrollTo(proxy_index)
        return True

    def _update_buttons(self, *_: object) -> None:
        manage = self.can_manage
        record = self.selected()
        self.readonly_note.setVisible(not manage)
        self.add_button.setEnabled(manage)
        self.edit_button.setEnabled(manage and record is not None)
        self.delete_button.setEnabled(manage and record is not None)
        self.import_button.setEnabled(manage)
        self.close_button.setEnabled(
            manage and isinstance(record, HotlineCase) and not record.is_closed)
        for b in (self.add_button, self.edit_button, self.delete_button, self.import_button,
                  self.close_button):
            if not manage:
                b.setToolTip(NO_PERMISSION)
        if manage:
            self.add_button.setToolTip(f"登记一条{self.kind.label}记录")
            self.edit_button.setToolTip("修改所选记录（也可双击该行）")
            self.delete_button.setToolTip("删除所选记录（删除前自动备份数据库）")
            self.import_button.setToolTip("从按模板填写的 Excel 表格导入；有任何错误都不会导入")
            if isinstance(record, HotlineCase) and record.is_closed:
                self.close_button.setToolTip("所选事项已办结；要更正办结信息请用“修改…”")
            else:
                self.close_button.setToolTip("填写办结日期、结果反馈和满意度")

    def _after_change(self, record_id: int | None) -> None:
        self.refresh()
        if record_id is not None:
            self.select_record(record_id)
        self.changed.emit()

    # ---- add / edit / delete / 办结 -------------------------------------------------------------

    def add(self) -> None:
        if not self.can_manage:
            messages.warn(self, NO_PERMISSION)
            return
        saved = DIALOGS[self.kind].ask(self, self._ctx)
        if saved is not None:
            self._after_change(saved.id)

    def edit_selected(self) -> None:
        record = self.selected()
        if record is None or not self.can_manage:
            return
        saved = DIALOGS[self.kind].ask(self, self._ctx, record)
        if saved is not None:
            self._after_change(saved.id)

    def close_selected(self) -> None:
        record = self.selected()
        if not isinstance(record, HotlineCase) or record.is_closed or not self.can_manage:
            return
        saved = HotlineCloseDialog.ask(self, self._ctx, record)
        if saved is not None:
            self._after_change(saved.id)

    def delete_selected(self) -> None:
        record = self.selected()
        if record is None or record.id is None or not self.can_manage:
            return
        if not messages.confirm(
                self, f"确定删除{record.describe()}吗？\n删除前会自动备份数据库，删除记入操作日志。",
                "删除记录", ok="删除"):
            return
        kind, record_id = self.kind, record.id

        def work() -> bool:
            worker = worker_context(self._ctx)
            try:
                register_ops.delete_record(worker, kind, record_id)
            finally:
                worker.db.close()
            return True

        if run_with_progress(self, "正在备份并删除……", work):
            self._after_change(None)

    # ---- files --------------------------------------------------------------------------------

    def _start_dir(self) -> str:
        return ui_state.last_dir(LAST_DIR_KEY, str(Path.home()))

    def _remember(self, path: Path) -> None:
        ui_state.set_last_dir(LAST_DIR_KEY, str(path.parent))

    @staticmethod
    def _xlsx(chosen: str) -> Path:
        path = Path(chosen)
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

    def export_sheet(self) -> None:
        period, f, kind = self.period(), self.list_filter(), self.kind
        suggested = Path(self._start_dir()) / f"{period.label}{kind.label}登记表.xlsx"
        chosen, _ = QFileDialog.getSaveFileName(self, f"导出{kind.label}", str(suggested),
                                                XLSX_FILTER)
        if not chosen:
            return
        path = self._xlsx(chosen)

        def work() -> int:
            worker = worker_context(self._ctx)
            try:
                return register_ops.export_register(worker, kind, period, path, f=f)
            finally:
                worker.db.close()

        count = run_with_progress(self, "正在导出……", work)
        if count is None:
            return
        self._remember(path)
        scope = "（按当前筛选条件）" if f != ListFilter() else ""
        messages.info(self, f"已导出{period.label}{kind.label}{count}{_UNIT_WORD[kind]}"
                            f"{scope}：\n{path}", "导出完成")

    def write_template(self) -> None:
        kind = self.kind
        suggested = Path(self._start_dir()) / f"{kind.label}导入模板.xlsx"
        chosen, _ = QFileDialog.getSaveFileName(self, f"下载{kind.label}导入模板",
                                                str(suggested), XLSX_FILTER)
        if not chosen:
            return
        path = self._xlsx(chosen)
        if attempt(self, lambda: register_ops.write_register_template(kind, path)) is None:
            return
        self._remember(path)
        messages.info(self, f"已保存{kind.label}导入模板：\n{path}\n\n第2行是示例，填写前请删除或改成"
                            "实际内容；“填写说明”工作表列出了每一列可以填写的内容。", "导入模板")

    def import_sheet(self) -> None:
        if not self.can_manage:
            messages.warn(self, NO_PERMISSION)
            return
        kind = self.kind
        chosen, _ = QFileDialog.getOpenFileName(self, f"导入{kind.label}", self._start_dir(),
                                                XLSX_FILTER)
        if not chosen:
            return
        path = Path(chosen)

        def work() -> register_ops.ImportResult:
            worker = worker_context(self._ctx)
            try:
                return register_ops.import_register(worker, kind, path)
            finally:
                worker.db.close()

        try:
            result = run_with_progress(self, "正在检查并导入……", work, raise_user_errors=True)
        except ValidationErrors as exc:
            title = exc.message.split("：\n", 1)[0]
            ImportProblemsDialog.show_problems(self, title, exc.problems)
            return
        except UserError as exc:
            messages.warn(self, exc.message + "\n\n未导入任何数据。", "未能导入")
            return
        if result is None:
            return
        self._remember(path)
        self.refresh()
        self.changed.emit()
        word = _UNIT_WORD[kind]
        text = f"已从“{path.name}”导入{kind.label}{result.created}{word}"
        if result.skipped:
            text += f"；{result.skipped}{word}此前已登记，已跳过（没有重复登记）"
        messages.info(self, text + "。", "导入完成")


class RegistersPage(QWidget):
    """工作台账: one tab per register."""

    changed = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.tabs = QTabWidget()
        self.tab: dict[RegisterKind, RegisterTab] = {}
        for kind in TABS:
            tab = RegisterTab(ctx, kind, self)
            tab.changed.connect(self.changed)
            self.tab[kind] = tab
            self.tabs.addTab(tab, kind.label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        for tab in self.tab.values():
            tab.refresh()

    def show_register(self, kind: RegisterKind) -> RegisterTab:
        self.tabs.setCurrentWidget(self.tab[kind])
        return self.tab[kind]

