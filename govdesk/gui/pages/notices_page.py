"""信息登记: the register — filters, Chinese search, the lazily fetched table and the actions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.approvals import SlipStatus
from govdesk.core.notices import (
    REGISTER_COLUMNS,
    Disclosure,
    NoticeAction,
    NoticeFilter,
    NoticeStatus,
    allowed_actions,
)
from govdesk.gui import messages, printing_actions, ui_state
from govdesk.gui.background import run_with_progress, worker_context
from govdesk.gui.dialogs.notice_editor_dialog import NoticeEditorDialog
from govdesk.gui.dialogs.post_dialog import PostDialog, PostRequest
from govdesk.gui.dialogs.slip_dialog import SlipDialog
from govdesk.gui.guard import attempt
from govdesk.gui.models.notice_table_model import NoticeTableModel
from govdesk.operations import approvals, ledger, lists
from govdesk.operations import notices as notice_ops
from govdesk.operations import postings as posting_ops
from govdesk.operations.context import Context, can

# Approving and returning happen on the 审批单 (slip dialog), step by step; the register keeps
# the transitions a clerk makes: 提交审批 and 公开/撤下/失效.
_ACTION_PERMISSION = {
    NoticeAction.SUBMIT: "notice.edit",
    NoticeAction.PUBLISH: "notice.publish",
    NoticeAction.TAKE_DOWN: "notice.publish",
    NoticeAction.EXPIRE: "notice.publish",
    NoticeAction.REPUBLISH: "notice.publish",
}
_WIDTHS = {"index_number": 235, "title": 340, "doc_number": 120, "category": 90,
           "disclosure": 80, "owner": 90, "formed_on": 90, "publish_due": 90, "channels": 150,
           "status": 60, "published_on": 90}


class NoticesPage(QWidget):
    changed = Signal()  # something was written: other pages may refresh

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.model = NoticeTableModel(ctx, self)

        # ---- filters ---------------------------------------------------------------------
        self.year_combo = QComboBox()
        self.category_combo = QComboBox()
        self.disclosure_combo = QComboBox()
        self.status_combo = QComboBox()
        self.owner_combo = QComboBox()
        self.channel_combo = QComboBox()
        self.board_combo = QComboBox()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索标题、正文、文号、索引号（Ctrl+F），如：低保")
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(300)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self.apply_filters)

        filters = QHBoxLayout()
        for label, combo in (("年度", self.year_combo), ("类别", self.category_combo),
                             ("公开属性", self.disclosure_combo), ("状态", self.status_combo),
                             ("责任单位", self.owner_combo), ("公开方式", self.channel_combo),
                             ("公开栏", self.board_combo)):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        filters.addStretch(1)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.count_label)

        # ---- actions ---------------------------------------------------------------------
        self.new_button = QPushButton("新建信息")
        self.edit_button = QPushButton("打开")
        self.delete_button = QPushButton("删除草稿")
        self.action_buttons: dict[NoticeAction, QPushButton] = {}
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        for action in (NoticeAction.SUBMIT, NoticeAction.PUBLISH, NoticeAction.TAKE_DOWN,
                       NoticeAction.EXPIRE):
            button = QPushButton(action.label)
            button.clicked.connect(lambda _=False, a=action: self.run_action(a))
            self.action_buttons[action] = button
            buttons.addWidget(button)
            if action is NoticeAction.SUBMIT:
                self.slip_button = QPushButton("审批单…")
                self.slip_button.setToolTip("查看这条信息的审批单：各环节意见、审批记录；审批人在此签署")
                self.slip_button.clicked.connect(lambda _=False: self.open_slip())
                buttons.addWidget(self.slip_button)
        self.submit_button = self.action_buttons[NoticeAction.SUBMIT]
        self.post_button = QPushButton("张贴到公开栏…")
        buttons.addWidget(self.post_button)
        self.print_button = QPushButton("打印")
        print_menu = QMenu(self.print_button)
        print_menu.setToolTipsVisible(True)
        # Printing for posting needs the current content fully approved (先审查后公开); before
        # that, a 审阅稿 marked on every page is what can be printed, for reading and sign-off.
        self.print_gate_action = print_menu.addAction("")
        self.print_gate_action.setEnabled(False)
        self.print_a4_action = print_menu.addAction("打印（张贴用，A4）…",
                                                    lambda: self.print_selected("A4"))
        self.print_a3_action = print_menu.addAction("打印为海报（张贴用，A3）…",
                                                    lambda: self.print_selected("A3"))
        self.print_red_action = print_menu.addAction(
            "打印为正式公文（带红头）…", lambda: self.print_selected("A4", red_header=True))
        self.print_review_action = print_menu.addAction(
            "打印审阅稿（未经审批，不得张贴）…", self.print_review_copy)
        self.print_review_action.setToolTip("每页注明“审阅稿（未经审批，不得张贴）”，供审阅、纸质签批用")
        print_menu.addSeparator()
        print_menu.addAction("按日期范围批量打印…", self.print_date_range)
        print_menu.addAction("打印台账（按当前筛选）…", self.print_ledger)
        self.print_button.setMenu(print_menu)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        self.import_button = QPushButton("导入…")
        self.export_button = QPushButton("导出台账…")
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)

        # ---- table -----------------------------------------------------------------------
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(
            [k for k, _ in REGISTER_COLUMNS].index("formed_on"), Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, (key, _) in enumerate(REGISTER_COLUMNS):
            self.table.setColumnWidth(i, _WIDTHS[key])
        saved = ui_state.load_bytes("register/header")
        if saved is not None:
            header.restoreState(saved)
        header.sectionResized.connect(self._save_header)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(search_row)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

        # ---- wiring ----------------------------------------------------------------------
        self.new_button.clicked.connect(self.new_notice)
        self.edit_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.post_button.clicked.connect(self.post_selected)
        self.import_button.clicked.connect(self.import_file)
        self.export_button.clicked.connect(self.export_ledger)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_count)
        for combo in (self.year_combo, self.category_combo, self.disclosure_combo,
                      self.status_combo, self.owner_combo, self.channel_combo, self.board_combo):
            combo.currentIndexChanged.connect(self.apply_filters)
        self._add_shortcut(QKeySequence.StandardKey.New, self.new_notice)
        self._add_shortcut(QKeySequence.StandardKey.Find, self.focus_search)
        self._add_shortcut(QKeySequence(Qt.Key.Key_Return), self.open_selected, self.table)
        self._add_shortcut(QKeySequence(Qt.Key.Key_Enter), self.open_selected, self.table)
        self._add_shortcut(QKeySequence(Qt.Key.Key_Delete), self.delete_selected, self.table)

        self._loading = False
        self._slip_id: int | None = None
        self.refresh()

    def _add_shortcut(self, key, slot, widget: QWidget | None = None) -> None:
        action = QAction(widget or self)
        action.setShortcut(key)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        (widget or self).addAction(action)

    # ---- filters -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the pick lists and the rows, keeping the current choices."""
        self._loading = True
        try:
            self._fill(self.year_combo, [(f"{y}年", y) for y in lists.notice_years(self._ctx)])
            self._fill(self.category_combo, [(c.name, c.id) for c in lists.categories(self._ctx)])
            self._fill(self.disclosure_combo, [(d.value, d) for d in Disclosure])
            self._fill(self.status_combo, [(s.value, s) for s in NoticeStatus])
            self._fill(self.owner_combo, [(label, (u, c)) for label, u, c
                                          in lists.owners(self._ctx, active_only=False)])
            self._fill(self.channel_combo, [(c.name, c.id) for c in lists.channels(self._ctx)])
            self._fill(self.board_combo, [(f"{b.code} {b.name}", b.id)
                                          for b in lists.boards(self._ctx)])
        finally:
            self._loading = False
        self.apply_filters()

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[str, object]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("全部", None)
        for label, value in items:
            combo.addItem(label, value)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def current_filter(self) -> NoticeFilter:
        owner = self.owner_combo.currentData() or (None, None)
        # Qt hands enum item data back as plain str: convert at the edge.
        disclosure = self.disclosure_combo.currentData()
        status = self.status_combo.currentData()
        return NoticeFilter(
            year=self.year_combo.currentData(),
            category_id=self.category_combo.currentData(),
            disclosure=Disclosure(disclosure) if disclosure else None,
            status=NoticeStatus(status) if status else None,
            unit_id=owner[0],
            community_id=owner[1],
            channel_id=self.channel_combo.currentData(),
            board_id=self.board_combo.currentData(),
            search=self.search_edit.text().strip(),
        )

    def filter_text(self) -> str:
        names = {}
        for key, combo in (("category", self.category_combo), ("unit", self.owner_combo),
                           ("channel", self.channel_combo), ("board", self.board_combo)):
            if combo.currentData() is not None:
                names[key] = combo.currentText()
        return self.current_filter().describe(names)

    def apply_filters(self) -> None:
        if self._loading:
            return
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def _update_count(self) -> None:
        self.count_label.setText(f"共 {self.model.rowCount()} 条")

    def _save_header(self) -> None:
        ui_state.save_bytes("register/header", self.table.horizontalHeader().saveState())

    # ---- selection and actions ---------------------------------------------------------------

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        notice = self.model.notice_at(rows[0].row())
        return notice.id if notice else None

    def select_notice(self, notice_id: int) -> None:
        row = self.model.row_of(notice_id)
        if row is None:
            # Not on the loaded pages (e.g. filtered out): show everything, newest first.
            self.search_edit.blockSignals(True)
            self.search_edit.clear()
            self.search_edit.blockSignals(False)
            for combo in (self.year_combo, self.category_combo, self.disclosure_combo,
                          self.status_combo, self.owner_combo, self.channel_combo,
                          self.board_combo):
                combo.blockSignals(True)
                combo.setCurrentIndex(0)
                combo.blockSignals(False)
            self.apply_filters()
            self.model.notice_at(0)
            row = self.model.row_of(notice_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _selected_notice(self):
        """The selected notice read afresh (it may have changed since the list was loaded)."""
        nid = self.selected_id()
        if nid is None:
            return None
        return attempt(self, lambda: notice_ops.get_notice(self._ctx, nid))

    def _update_buttons(self) -> None:
        user = self._ctx.user
        nid = self.selected_id()
        notice = None
        if nid is not None:
            rows = self.table.selectionModel().selectedRows()
            notice = self.model.notice_at(rows[0].row())
        status = notice.status if notice else None
        allowed = allowed_actions(status) if status else ()
        for action, button in self.action_buttons.items():
            button.setEnabled(action in allowed and can(user, _ACTION_PERMISSION[action]))
        self.new_button.setEnabled(can(user, "notice.edit"))
        self.import_button.setEnabled(can(user, "notice.edit"))
        self.edit_button.setEnabled(notice is not None)
        slip = approvals.latest_slip(self._ctx, notice.id) if notice is not None else None
        self._slip_id = slip.id if slip is not None else None
        self.slip_button.setEnabled(slip is not None)
        self.slip_button.setToolTip(
            f"审批单 {slip.number}：{slip.status_text}（各环节意见、审批记录；审批人在此签署）"
            if slip is not None else "这条信息还没有提交审批")
        self.submit_button.setText(NoticeAction.SUBMIT.label)
        self.submit_button.setToolTip("把这条信息送审：按本办审批流程逐级审批")
        if slip is not None and slip.state.status is SlipStatus.RETURNED \
                and status is NoticeStatus.DRAFT:
            self.submit_button.setText("重新提交审批")
            self.submit_button.setToolTip(
                f"审批单 {slip.number} 已退回修改：修改后重新提交，从退回的环节继续审批")
        gate = approvals.publication_problem(self._ctx, notice.id) if notice is not None else ""
        for action in (self.print_a4_action, self.print_a3_action, self.print_red_action):
            action.setEnabled(notice is not None and not gate)
            action.setToolTip(gate)
        self.print_review_action.setEnabled(notice is not None and bool(gate))
        self.print_gate_action.setVisible(bool(gate))
        self.print_gate_action.setText("未经完整审批：只能打印审阅稿" if gate else "")
        self.print_button.setText("打印（审阅稿）" if gate else "打印")
        self.print_button.setToolTip(
            f"{gate}\n只能打印审阅稿（每页注明“未经审批，不得张贴”）" if gate
            else "打印张贴用的信息、按日期批量打印或打印台账")
        self.delete_button.setEnabled(
            status is NoticeStatus.DRAFT and can(user, "notice.edit"))
        self.post_button.setEnabled(
            status in (NoticeStatus.APPROVED, NoticeStatus.PUBLISHED)
            and can(user, "posting.manage"))

    def _after_change(self, notice_id: int | None = None) -> None:
        self.model.reload()
        if notice_id is not None:
            self.select_notice(notice_id)
        self.changed.emit()

    def new_notice(self) -> None:
        if not can(self._ctx.user, "notice.edit"):
            messages.warn(self, "当前账号没有登记信息的权限")
            return
        notice = NoticeEditorDialog.ask(
            self, self._ctx, None, lambda data: notice_ops.create_notice(self._ctx, data))
        if notice is not None:
            self.refresh()
            self.select_notice(notice.id)
            self.changed.emit()

    def open_selected(self) -> None:
        notice = self._selected_notice()
        if notice is None:
            return
        nid = notice.id
        if notice.status is not NoticeStatus.DRAFT or not can(self._ctx.user, "notice.edit"):
            from govdesk.gui.dialogs.notice_view_dialog import NoticeViewDialog

            # Under review or approved (not yet published): 修改… there leads to the editor.
            if not NoticeViewDialog.show_notice(self, self._ctx, notice):
                return
        before = approvals.latest_slip(self._ctx, nid)
        saved = NoticeEditorDialog.ask(
            self, self._ctx, notice,
            lambda data: notice_ops.update_notice(self._ctx, nid, data))
        if saved is None:
            return
        self._after_change(nid)
        after = approvals.latest_slip(self._ctx, nid)
        if before is not None and after is not None and after.id != before.id:
            messages.info(self, f"已保存修改。原审批单 {before.number} 已作废，新的审批单 "
                                f"{after.number} 已提交，当前环节：{after.status_text}。")

    def delete_selected(self) -> None:
        notice = self._selected_notice()
        if notice is None:
            return
        nid = notice.id
        if notice.status is not NoticeStatus.DRAFT:
            messages.warn(self, "只能删除草稿；已提交或已公开的信息会保留在台账中")
            return
        if not messages.confirm(self, f"确定删除草稿“{notice.title}”吗？删除后不能恢复。",
                                ok="删除"):
            return
        deleted = attempt(self, lambda: notice_ops.delete_draft(self._ctx, nid) or True)
        if deleted:
            self._after_change()

    def run_action(self, action: NoticeAction) -> None:
        nid = self.selected_id()
        if nid is None:
            return
        if action is NoticeAction.SUBMIT:
            self.submit_selected()
            return
        if action in (NoticeAction.TAKE_DOWN, NoticeAction.EXPIRE) and not messages.confirm(
                self, f"确定对选中的信息执行“{action.label}”吗？"
                      "仍在公开栏上的张贴会一并记为撤下。"):
            return
        done = attempt(self, lambda: notice_ops.ACTION_FUNCTIONS[action](self._ctx, nid))
        if done is not None:
            self._after_change(nid)

    def submit_selected(self) -> None:
        """提交审批: open a slip for the current content (or send a returned slip's fix back
        to the step that returned it)."""
        nid = self.selected_id()
        if nid is None:
            return
        slip = attempt(self, lambda: approvals.submit_for_approval(self._ctx, nid))
        if slip is not None:
            self._after_change(nid)
            messages.info(self, f"已提交审批，审批单 {slip.number}，当前环节：{slip.status_text}。")

    def open_slip(self) -> None:
        nid = self.selected_id()
        slip_id = self._slip_id
        if nid is None or slip_id is None:
            return
        if SlipDialog.show_slip(self, self._ctx, slip_id):
            self._after_change(nid)

    def post_selected(self) -> None:
        notice = self._selected_notice()
        if notice is None:
            return
        nid = notice.id

        def save(req: PostRequest):
            return posting_ops.post_notice(
                self._ctx, nid, req.board_ids, posted_on=req.posted_on,
                planned_removal=req.planned_removal, photo=req.photo)

        if PostDialog.ask(self, self._ctx, notice, save):
            self._after_change(nid)

    def print_selected(self, paper: str = "A4", *, red_header: bool = False) -> None:
        rows = self.table.selectionModel().selectedRows()
        notice = self.model.notice_at(rows[0].row()) if rows else None
        if notice is None:
            return
        printing_actions.preview_notice(self, self._ctx, notice.id, notice.index_number,
                                        paper=paper, red_header=red_header)

    def print_review_copy(self) -> None:
        """打印审阅稿: any version, for reading and signing off on paper; every page says it
        is not approved and must not be posted."""
        rows = self.table.selectionModel().selectedRows()
        notice = self.model.notice_at(rows[0].row()) if rows else None
        if notice is None:
            return
        printing_actions.preview_notice(self, self._ctx, notice.id, notice.index_number,
                                        review_copy=True)

    def print_date_range(self) -> None:
        from govdesk.gui.dialogs.date_range_dialog import DateRangeDialog

        today = self._ctx.today()
        picked = DateRangeDialog.ask(
            self, "按日期范围批量打印",
            "打印信息形成日期在这个范围内、已批准或已公开的全部信息，合成一个 PDF，前附目录。",
            today.replace(day=1), today)
        if picked is not None:
            printing_actions.preview_date_range_batch(self, self._ctx, *picked)

    def print_ledger(self) -> None:
        printing_actions.preview_ledger(self, self._ctx, self.current_filter(),
                                        self.filter_text())

    # ---- files -------------------------------------------------------------------------------

    def _choose_import_file(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self, "导入台账", ui_state.last_dir("import"), "台账文件 (*.xlsx *.csv)")
        return path

    def _choose_export_file(self) -> str:
        default = str(Path(ui_state.last_dir("export")) / "政府信息公开台账.xlsx")
        path, _ = QFileDialog.getSaveFileName(
            self, "导出台账", default, "Excel 工作簿 (*.xlsx);;CSV 文件（UTF-8） (*.csv)")
        return path

    def import_file(self) -> None:
        path = self._choose_import_file()
        if not path:
            return
        ui_state.set_last_dir("import", str(Path(path).parent))
        def work():
            worker = worker_context(self._ctx)
            try:
                return ledger.import_notices(worker, path)
            finally:
                worker.db.close()

        result = run_with_progress(self, "正在导入台账……", work)
        if result is not None:
            messages.info(self, f"导入完成：新增 {result.created} 条，"
                                f"已导入过而跳过 {result.skipped} 条。")
            self.refresh()
            self.changed.emit()

    def export_ledger(self) -> None:
        path = self._choose_export_file()
        if not path:
            return
        if not path.lower().endswith((".xlsx", ".csv")):
            path += ".xlsx"
        ui_state.set_last_dir("export", str(Path(path).parent))
        f = self.current_filter()
        text, sort, descending = self.filter_text(), self.model.sort_key, self.model.descending

        def work() -> int:
            worker = worker_context(self._ctx)
            try:
                return ledger.export_ledger(worker, f, path, filter_text=text, sort=sort,
                                            descending=descending)
            finally:
                worker.db.close()

        n = run_with_progress(self, "正在导出台账……", work)
        if n is not None:
            messages.info(self, f"已导出 {n} 条到：\n{path}")

    def current_index(self) -> QModelIndex:
        return self.table.currentIndex()
