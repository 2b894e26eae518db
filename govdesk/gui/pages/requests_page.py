"""依申请公开: the register of 政府信息公开申请 with each one's legal clock (issue 6).

Top: filters and the list — due within 5 working days amber, overdue red. Bottom: the selected
application — its registration, deadlines and warnings, the clock ledger (台账) line by line,
the facts recorded on it, and the actions that record the next fact (告知补正, 征求意见, 延期答复 …)
or close it with its 表三 outcome. Every action goes through operations.requests and the page
reloads from what was saved.
"""

from __future__ import annotations

import importlib
from html import escape
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.requests import ClockEventKind, Request
from govdesk.gui import messages
from govdesk.gui.dialogs.request_close_dialog import RequestCloseDialog
from govdesk.gui.dialogs.request_dialog import RequestDialog
from govdesk.gui.dialogs.request_event_dialog import ReopenDialog, RequestEventDialog
from govdesk.gui.guard import attempt
from govdesk.gui.models.request_models import (
    EventTableModel,
    LedgerTableModel,
    RequestTableModel,
    cn_date,
    days_left_text,
    status_text,
)
from govdesk.gui.widgets import data_table, select_row
from govdesk.operations import requests as request_ops
from govdesk.operations.context import Context, can
from govdesk.operations.requests import RequestSummary, RequestView

NOT_INSTALLED = "该功能尚未安装"

# The clock facts, in the order a case runs (button label → kind).
_EVENT_BUTTONS: tuple[tuple[str, ClockEventKind], ...] = (
    ("告知补正…", ClockEventKind.CORRECTION_REQUESTED),
    ("收到补正…", ClockEventKind.CORRECTION_RECEIVED),
    ("征求意见…", ClockEventKind.CONSULTATION_STARTED),
    ("意见收到…", ClockEventKind.CONSULTATION_ENDED),
    ("延期答复…", ClockEventKind.EXTENSION),
    ("延迟答复…", ClockEventKind.DEFERRED),
    ("收费通知…", ClockEventKind.FEE_NOTICE),
    ("已缴费…", ClockEventKind.FEE_PAID),
)

_INFO_STYLE = "QLabel { background: #f5f7fa; border-radius: 4px; padding: 8px; }"
_WARN_STYLE = ("QLabel { background: #fde2e1; color: #8c1d18; border: 1px solid #f0b4ae;"
               " border-radius: 4px; padding: 6px 8px; }")
_NOTE_STYLE = ("QLabel { background: #fff3bf; color: #5c4400; border: 1px solid #e6c84d;"
               " border-radius: 4px; padding: 6px 10px; }")


def _load_dialog(module: str, name: str) -> Any | None:
    """A dialog class another part of the app provides, or None when it is not installed."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def _letter_kinds() -> list[Any]:
    try:
        from govdesk.core.letters import LetterKind
    except ImportError:
        return []
    return [k for k in LetterKind if k.value != "受理回执"]


def open_parties(view: RequestView) -> list[str]:
    """Parties consulted whose answer is not recorded yet (for 意见收到)."""
    started: list[str] = []
    for _eid, e in view.events:
        if e.kind is ClockEventKind.CONSULTATION_STARTED:
            started.append(e.party)
        elif e.kind is ClockEventKind.CONSULTATION_ENDED and e.party in started:
            started.remove(e.party)
    return started


class RequestsPage(QWidget):
    changed = Signal()  # something was written: other pages may refresh

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._loading = False
        self.view: RequestView | None = None
        self._all: list[RequestSummary] = []
        self.model = RequestTableModel(self)
        self.ledger_model = LedgerTableModel(self)
        self.event_model = EventTableModel(self)

        # ---- filters and registering -------------------------------------------------------
        self.year_combo = QComboBox()
        self.year_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.open_only_check = QCheckBox("只看未办结")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索编号、申请人、申请内容")
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.new_button = QPushButton("登记申请…")
        self.edit_button = QPushButton("修改登记…")
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year_combo)
        top.addWidget(self.open_only_check)
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)

        self.readonly_note = QLabel(
            "当前账号只能查看依申请公开登记（申请人个人信息已隐去）；登记和办理申请请由党政办经办人操作。")
        self.readonly_note.setWordWrap(True)
        self.readonly_note.setStyleSheet(_NOTE_STYLE)

        self.table = data_table(self.model)
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        for col in range(self.model.columnCount()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        # 申请内容 keeps a fixed share; 状态 takes the rest so "已办结：…" is never cut.
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(5, 300)
        header.setStretchLastSection(True)

        # ---- detail --------------------------------------------------------------------------
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title_label.setFont(font)
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.info_label.setTextFormat(Qt.TextFormat.RichText)
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info_label.setStyleSheet(_INFO_STYLE)
        self.info_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.deadline_label = QLabel()
        self.deadline_label.setWordWrap(True)
        self.deadline_label.setTextFormat(Qt.TextFormat.RichText)
        self.deadline_label.setStyleSheet(_INFO_STYLE)
        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(_WARN_STYLE)

        self.ledger_view = data_table(self.ledger_model)
        self.ledger_view.setWordWrap(True)
        lh = self.ledger_view.horizontalHeader()
        lh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        lh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        lh.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        lh.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.ledger_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.event_view = data_table(self.event_model)
        eh = self.event_view.horizontalHeader()
        eh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        eh.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        eh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.ledger_view, "计时台账")
        self.tabs.addTab(self.event_view, "已录入事项")

        # ---- actions -------------------------------------------------------------------------
        self.event_buttons: dict[ClockEventKind, QPushButton] = {}
        actions = QGridLayout()
        actions.setHorizontalSpacing(6)
        actions.setVerticalSpacing(4)
        for i, (label, kind) in enumerate(_EVENT_BUTTONS):
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, k=kind: self.record(k))
            self.event_buttons[kind] = button
            actions.addWidget(button, 0, i)
        self.remove_button = QPushButton("删除所选记录")
        self.remove_button.setToolTip("在“已录入事项”中选中一条录错的记录后删除（收到申请不能删除）")
        actions.addWidget(self.remove_button, 0, len(_EVENT_BUTTONS))
        self.close_button = QPushButton("办结…")
        self.withdraw_button = QPushButton("申请人撤回…")
        self.reopen_button = QPushButton("撤销办结…")
        self.receipt_button = QPushButton("打印受理回执…")
        self.letters_button = QPushButton("文书…")
        self.letters_menu = QMenu(self.letters_button)
        # Built when opened: a consultation letter is listed once per party consulted.
        self.letters_menu.aboutToShow.connect(self._fill_letters_menu)
        self._fill_letters_menu()
        self.letters_button.setMenu(self.letters_menu)
        self.review_button = QPushButton("复议/诉讼…")
        for i, b in enumerate((self.close_button, self.withdraw_button, self.reopen_button)):
            actions.addWidget(b, 1, i)
        for i, b in enumerate((self.receipt_button, self.letters_button, self.review_button)):
            actions.addWidget(b, 1, len(_EVENT_BUTTONS) - 2 + i)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 4, 0, 0)
        detail_layout.setSpacing(6)
        detail_layout.addWidget(self.title_label)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.deadline_label)
        left.addWidget(self.warning_label)
        left.addWidget(self.info_label)
        left.addStretch(1)
        columns.addLayout(left, 2)
        columns.addWidget(self.tabs, 3)
        detail_layout.addLayout(columns, 1)
        detail_layout.addLayout(actions)
        self.empty_label = QLabel("在上方列表中选中一件申请，这里显示它的登记内容、答复期限和计时台账。")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #777;")
        detail_layout.addWidget(self.empty_label)
        self.detail = detail

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([400, 320])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.readonly_note)
        layout.addWidget(splitter, 1)

        # ---- wiring --------------------------------------------------------------------------
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self._apply_search)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self._apply_search)
        self.year_combo.currentIndexChanged.connect(self._reload)
        self.open_only_check.toggled.connect(self._reload)
        self.new_button.clicked.connect(self.register)
        self.edit_button.clicked.connect(self.edit_selected)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        self.event_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.remove_button.clicked.connect(self.remove_selected_event)
        self.close_button.clicked.connect(self.close_selected)
        self.withdraw_button.clicked.connect(
            lambda: self.record(ClockEventKind.WITHDRAWN))
        self.reopen_button.clicked.connect(self.reopen_selected)
        self.receipt_button.clicked.connect(self.print_receipt)
        self.review_button.clicked.connect(self.open_review_cases)

        self.refresh()

    # ---- loading -------------------------------------------------------------------------------

    @property
    def can_manage(self) -> bool:
        return can(self._ctx.user, request_ops.PERMISSION)

    def refresh(self) -> None:
        """Reload the years and the list, keeping the filters and the selection."""
        self._loading = True
        try:
            current = self.year_combo.currentData()
            self.year_combo.clear()
            self.year_combo.addItem("全部", None)
            for y in reversed(request_ops.request_years(self._ctx)):
                self.year_combo.addItem(f"{y}年", y)
            index = self.year_combo.findData(current) if current is not None else 0
            self.year_combo.setCurrentIndex(max(index, 0))
        finally:
            self._loading = False
        self._reload()

    def _reload(self, *_: object) -> None:
        if self._loading:
            return
        selected = self.selected_id()
        self._all = request_ops.request_summaries(
            self._ctx, year=self.year_combo.currentData(),
            open_only=self.open_only_check.isChecked())
        self._apply_search(selected)

    def _apply_search(self, keep: int | None = None) -> None:
        self._search_timer.stop()
        if not isinstance(keep, int):
            keep = self.selected_id()
        words = self.search_edit.text().split()
        rows = [s for s in self._all if all(self._matches(s.request, w) for w in words)]
        self.model.set_summaries(rows)
        soon = sum(1 for s in rows if s.ledger.due_soon)
        overdue = sum(1 for s in rows if s.ledger.overdue)
        text = f"共 {len(rows)} 件"
        if soon or overdue:
            text += f"（即将到期 {soon} 件，已逾期 {overdue} 件）"
        self.count_label.setText(text)
        if keep is not None and self.model.row_of(keep) is not None:
            select_row(self.table, self.model.row_of(keep))
        self._show_selected()

    @staticmethod
    def _matches(r: Request, word: str) -> bool:
        return any(word in text for text in (r.number, r.applicant_name, r.content,
                                             r.channel.value, r.applicant_kind.value))

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.summary(rows[0].row()) if rows else None
        return summary.request.id if summary else None

    def select_request(self, request_id: int) -> None:
        row = self.model.row_of(request_id)
        if row is None:
            self._loading = True
            self.year_combo.setCurrentIndex(0)
            self.open_only_check.setChecked(False)
            self._loading = False
            self.search_edit.blockSignals(True)
            self.search_edit.clear()
            self.search_edit.blockSignals(False)
            self._reload()
            row = self.model.row_of(request_id)
        select_row(self.table, row)
        if row is not None:
            self.table.scrollTo(self.model.index(row, 0))

    def _show_selected(self, *_: object) -> None:
        rid = self.selected_id()
        self.view = attempt(self, lambda: request_ops.request_view(self._ctx, rid)) \
            if rid is not None else None
        view = self.view
        for w in (self.title_label, self.info_label, self.deadline_label, self.tabs):
            w.setVisible(view is not None)
        self.empty_label.setVisible(view is None)
        self.ledger_model.set_ledger(view.ledger if view else None)
        self.event_model.set_events(view.events if view else ())
        if view is None:
            self.warning_label.hide()
            self._update_buttons()
            return
        r, lg = view.request, view.ledger
        self.title_label.setText(f"申请{r.number}　{status_text(r)}")
        self.info_label.setText(self.registration_html(r))
        self.deadline_label.setText(self.deadlines_html(view))
        self.warning_label.setText("\n".join(f"⚠ {w}" for w in lg.warnings))
        self.warning_label.setVisible(bool(lg.warnings))
        self._update_buttons()

    @staticmethod
    def registration_html(r: Request) -> str:
        def row(label: str, value: str) -> str:
            return (f"<tr><td style='color:#555; padding-right:8px' nowrap>{label}</td>"
                    f"<td>{escape(value)}</td></tr>")

        dates = f"{cn_date(r.submitted_on)}提交"
        if r.signed_on:
            dates += f"，{cn_date(r.signed_on)}签收"
        if r.confirmed_on:
            dates += f"，{cn_date(r.confirmed_on)}确认"
        name = r.applicant_name + ("（已隐去）" if r.masked else "")
        rows = [
            row("申请方式", f"{r.channel.value}（{dates}）"),
            row("收到日期", cn_date(r.received_on)),
            row("申请人", f"{name}（{r.applicant_kind.value}）"),
        ]
        if r.applicant_contact:
            rows.append(row("联系方式", r.applicant_contact))
        rows.append(row("申请内容", r.content))
        if not r.is_open and r.outcome is not None:
            rows.append(row("办理结果", f"{r.outcome.label}（{cn_date(r.closed_on)}答复）"
                            if r.closed_on else r.outcome.label))
            if r.outcome_detail:
                rows.append(row("办理说明", r.outcome_detail))
        return "<table cellspacing=2>" + "".join(rows) + "</table>"

    @staticmethod
    def deadlines_html(view: RequestView) -> str:
        lg = view.ledger
        if not lg.is_open:
            text = f"已于{cn_date(lg.closed_on)}办结"
            if lg.late_days:
                text += f"，<b style='color:#b3261e'>逾期{lg.late_days}个工作日</b>"
            return text
        colour = "#b3261e" if lg.overdue else ("#8a5a00" if lg.due_soon else "#1d4f8c")
        head = days_left_text(lg)
        if lg.paused and lg.days_left is not None:
            head += f"，尚余{lg.days_left}个工作日"
        parts = [f"<b style='color:{colour}'>{head}</b>"]
        for label, d in lg.deadlines().items():
            if d is not None:
                parts.append(f"{label}：{cn_date(d)}")
        if lg.extension_days:
            parts.append(f"已延期{lg.extension_days}个工作日")
        if lg.excluded_days:
            parts.append(f"征求意见不计入{lg.excluded_days}个工作日")
        if lg.implied_outcome is not None:
            parts.append(f"<span style='color:#8a5a00'>应按“{lg.implied_outcome.label}”办结</span>")
        return "　".join(parts)

    def _update_buttons(self, *_: object) -> None:
        manage = self.can_manage
        self.readonly_note.setVisible(not manage)
        self.new_button.setEnabled(manage)
        view = self.view
        is_open = view is not None and view.request.is_open
        self.edit_button.setEnabled(manage and is_open)
        for button in self.event_buttons.values():
            button.setEnabled(manage and is_open)
        if view is not None and is_open:
            lg = view.ledger
            k = ClockEventKind
            kinds = {e.kind for _i, e in view.events}
            self.event_buttons[k.CORRECTION_RECEIVED].setEnabled(
                manage and lg.awaiting_correction)
            self.event_buttons[k.CORRECTION_REQUESTED].setEnabled(
                manage and k.CORRECTION_REQUESTED not in kinds)
            self.event_buttons[k.CONSULTATION_ENDED].setEnabled(
                manage and bool(open_parties(view)))
            self.event_buttons[k.EXTENSION].setEnabled(
                manage and not lg.awaiting_correction and k.EXTENSION not in kinds)
            self.event_buttons[k.DEFERRED].setEnabled(
                manage and not lg.awaiting_correction and k.DEFERRED not in kinds)
            self.event_buttons[k.FEE_NOTICE].setEnabled(
                manage and not lg.awaiting_correction and k.FEE_NOTICE not in kinds)
            self.event_buttons[k.FEE_PAID].setEnabled(
                manage and k.FEE_NOTICE in kinds and k.FEE_PAID not in kinds)
        fact = self._selected_event()
        self.remove_button.setEnabled(
            manage and is_open and fact is not None and fact[1].kind is not ClockEventKind.RECEIVED)
        self.close_button.setEnabled(manage and is_open)
        self.withdraw_button.setEnabled(manage and is_open)
        self.reopen_button.setEnabled(manage and view is not None and not is_open)
        for b in (self.receipt_button, self.letters_button, self.review_button):
            b.setEnabled(manage and view is not None)
        if not manage:
            for b in (self.new_button, *self.event_buttons.values(), self.close_button):
                b.setToolTip("当前账号没有登记和办理政府信息公开申请的权限")

    def _selected_event(self) -> tuple[int, Any] | None:
        rows = self.event_view.selectionModel().selectedRows()
        return self.event_model.fact(rows[0].row()) if rows else None

    def _after_change(self, request_id: int | None) -> None:
        self.refresh()
        if request_id is not None:
            self.select_request(request_id)
        self.changed.emit()

    # ---- actions -------------------------------------------------------------------------------

    def register(self) -> None:
        if not self.can_manage:
            messages.warn(self, "当前账号没有登记政府信息公开申请的权限")
            return
        saved = RequestDialog.ask(self, self._ctx)
        if saved is not None:
            self._after_change(saved.id)

    def edit_selected(self) -> None:
        view = self.view
        if view is None or not self.can_manage or not view.request.is_open:
            return
        saved = RequestDialog.ask(self, self._ctx, view.request)
        if saved is not None:
            self._after_change(saved.id)

    def record(self, kind: ClockEventKind) -> None:
        view = self.view
        if view is None:
            return
        if RequestEventDialog.ask(self, self._ctx, view.request, kind, open_parties(view)):
            self._after_change(view.request.id)

    def remove_selected_event(self) -> None:
        view, fact = self.view, self._selected_event()
        if view is None or fact is None:
            return
        eid, event = fact
        if not messages.confirm(
                self, f"确定删除“{cn_date(event.on)} {event.kind.label}”这条记录吗？"
                      "答复期限将按其余记录重新计算，删除记入操作日志。", ok="删除"):
            return
        if attempt(self, lambda: request_ops.remove_event(self._ctx, eid)) is not None:
            self._after_change(view.request.id)

    def close_selected(self) -> None:
        view = self.view
        if view is None:
            return
        if RequestCloseDialog.ask(self, self._ctx, view.request, view.ledger):
            self._after_change(view.request.id)

    def reopen_selected(self) -> None:
        view = self.view
        if view is None:
            return
        if ReopenDialog.ask(self, self._ctx, view.request):
            self._after_change(view.request.id)

    # ---- letters and review cases (provided by their own modules) -----------------------------

    def print_receipt(self) -> None:
        self.open_letter(None)

    def _fill_letters_menu(self) -> None:
        from govdesk.operations.request_letters import consulted_parties

        self.letters_menu.clear()
        view = self.view
        for kind in _letter_kinds():
            parties = (consulted_parties(self._ctx, view.request.id, kind)
                       if view is not None and kind.per_party else [])
            if not parties:
                self.letters_menu.addAction(kind.value, lambda k=kind: self.open_letter(k))
            for party in parties:
                self.letters_menu.addAction(f"{kind.value}（致{party}）",
                                            lambda k=kind, p=party: self.open_letter(k, p))

    def open_letter(self, kind: Any | None, party: str = "") -> None:
        view = self.view
        if view is None:
            return
        dialog = _load_dialog("govdesk.gui.dialogs.letter_dialog", "LetterDialog")
        if dialog is None:
            messages.warn(self, NOT_INSTALLED)
            return
        if kind is None:
            from govdesk.core.letters import LetterKind

            kind = LetterKind.RECEIPT
        dialog.ask(self, self._ctx, view.request.id, kind, party)
        self._after_change(view.request.id)

    def open_review_cases(self) -> None:
        view = self.view
        if view is None:
            return
        dialog = _load_dialog("govdesk.gui.dialogs.review_case_dialog", "ReviewCaseDialog")
        if dialog is None:
            messages.warn(self, NOT_INSTALLED)
            return
        dialog.ask(self, self._ctx, view.request.id)
        self._after_change(view.request.id)
