"""操作日志 (admin only): every recorded action, filtered and paged, with the full before/after
of the selected entry, the current 审计校验码 and a 校验操作日志 button.

``verify_and_show`` is the one helper behind both 校验操作日志 buttons (this page and 设置): it
verifies on a worker thread with its own connection and shows the verdict in green or red.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from govdesk.gui import messages
from govdesk.gui.background import run_with_steps, worker_context
from govdesk.gui.guard import attempt
from govdesk.gui.widgets import data_table
from govdesk.operations import audit as audit_ops
from govdesk.operations import auth
from govdesk.operations.audit import ACTION_LABELS, OBJECT_LABELS, PAGE_SIZE, AuditRow
from govdesk.operations.context import Context

VERIFY_TITLE = "校验操作日志"
ALL = "全部"
NO_DATE = "不限"
OK_COLOR = "#1a7f37"
BAD_COLOR = "#b00020"
# Aliases kept for older logs; the combo offers each label once.
_COMBO_ACTIONS = tuple(a for a in ACTION_LABELS if a not in ("sign_in", "sign_in_failed"))
_MIN_DATE = QDate(2000, 1, 1)
_Index = QModelIndex | QPersistentModelIndex


# ---- verifying (shared with the 设置 page) ----------------------------------------------------------


def verdict_html(verdict: audit_ops.AuditVerdict) -> str:
    if verdict.ok:
        color, head = OK_COLOR, "✔ 操作日志校验通过"
    else:
        color, head = BAD_COLOR, "✘ 操作日志校验未通过"
    return (f"<p style='color:{color}; font-size:13pt; font-weight:bold'>{head}</p>"
            f"<p style='color:{color}'>{html.escape(verdict.message)}</p>")


def verify_and_show(parent: QWidget | None, ctx: Context) -> audit_ops.AuditVerdict | None:
    """Verify the whole log off the GUI thread (with a bar and 取消), then show the verdict."""

    def work(progress):
        worker = worker_context(ctx)
        try:
            return audit_ops.verify_audit(worker, progress)
        finally:
            worker.db.close()

    verdict = run_with_steps(parent, "正在校验操作日志……", work)
    if verdict is None:
        return None
    if verdict.ok:
        messages.info(parent, verdict_html(verdict), VERIFY_TITLE)
    else:
        messages.error(parent, verdict_html(verdict), VERIFY_TITLE)
    return verdict


# ---- table model -------------------------------------------------------------------------------


class AuditTableModel(QAbstractTableModel):
    """One page of entries (at most PAGE_SIZE rows), as list_audit returned them."""

    HEADERS = ("序号", "时间", "操作人", "操作", "对象", "摘要", "标记")
    SUMMARY_COLUMN = 5
    FLAG_COLUMN = 6

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditRow] = []

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> AuditRow:
        return self._rows[index]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def _text(self, r: AuditRow, column: int) -> str:
        return (str(r.seq), r.time, r.actor, r.action_label, r.object_label, r.summary,
                r.clock_flag)[column]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.SUMMARY_COLUMN:
            return r.summary
        if role == Qt.ItemDataRole.ToolTipRole and column == self.FLAG_COLUMN and r.clock_flag:
            return "记录时电脑时间早于上一条记录：电脑时钟可能被调回过，请核对。"
        if role == Qt.ItemDataRole.ForegroundRole and (
                column == self.FLAG_COLUMN or r.action == "denied"):
            return QColor(BAD_COLOR)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None


# ---- the page ----------------------------------------------------------------------------------


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(_MIN_DATE)
    edit.setSpecialValueText(NO_DATE)  # the minimum date means "no bound"
    edit.setDate(_MIN_DATE)
    edit.setMinimumWidth(118)
    return edit


class AuditPage(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._loaded = False
        self.offset = 0
        self.total = 0

        root = QVBoxLayout(self)
        root.setContentsMargins(16, 12, 16, 12)
        root.setSpacing(10)
        top = QHBoxLayout()
        title = QLabel("操作日志")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        top.addWidget(title)
        top.addStretch(1)
        self.code_label = QLabel()
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.setToolTip("当前审计校验码：打印的公示和审批单页脚印有此码，"
                                   "日后可用来核验打印之后日志是否被截断或改写。")
        top.addWidget(self.code_label)
        top.addSpacing(12)
        self.verify_button = QPushButton(VERIFY_TITLE)
        self.verify_button.setToolTip("逐条校验操作日志的哈希链，发现被改动、删除或调换顺序的记录")
        top.addWidget(self.verify_button)
        root.addLayout(top)

        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(QLabel("用户"))
        self.user_combo = QComboBox()
        self.user_combo.setMinimumWidth(110)
        bar.addWidget(self.user_combo)
        bar.addSpacing(8)
        bar.addWidget(QLabel("日期"))
        self.start_edit = _date_edit()
        self.end_edit = _date_edit()
        bar.addWidget(self.start_edit)
        bar.addWidget(QLabel("至"))
        bar.addWidget(self.end_edit)
        bar.addSpacing(8)
        bar.addWidget(QLabel("对象"))
        self.type_combo = QComboBox()
        self.type_combo.addItem(ALL, None)
        for key, label in OBJECT_LABELS.items():
            self.type_combo.addItem(label, key)
        self.type_combo.setMaxVisibleItems(len(OBJECT_LABELS) + 1)
        bar.addWidget(self.type_combo)
        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText("编号")
        self.id_edit.setMaximumWidth(80)
        self.id_edit.setClearButtonEnabled(True)
        bar.addWidget(self.id_edit)
        bar.addSpacing(8)
        bar.addWidget(QLabel("操作"))
        self.action_combo = QComboBox()
        self.action_combo.addItem(ALL, None)
        for key in _COMBO_ACTIONS:
            self.action_combo.addItem(ACTION_LABELS[key], key)
        self.action_combo.setMaxVisibleItems(20)
        bar.addWidget(self.action_combo)
        bar.addSpacing(8)
        self.reset_button = QPushButton("重置")
        bar.addWidget(self.reset_button)
        bar.addStretch(1)
        root.addLayout(bar)

        self.model = AuditTableModel(self)
        self.view = data_table(self.model)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(AuditTableModel.SUMMARY_COLUMN, QHeaderView.ResizeMode.Stretch)
        metrics = self.view.fontMetrics()
        for column, sample in enumerate(("100000", "2026-11-20 10:31:00", "管理员甲",
                                         "校验操作日志", "审批单 #1000", "", "时间倒退")):
            if sample:
                self.view.setColumnWidth(column, metrics.horizontalAdvance(sample) + 16)

        self.detail_title = QLabel("选中一条记录，查看修改前后的完整内容")
        self.detail_title.setWordWrap(True)
        self.detail_title.setStyleSheet("color: #555;")
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.detail.setFont(mono)
        self.detail.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.detail_title)
        side_layout.addWidget(self.detail, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([780, 320])
        root.addWidget(splitter, 1)

        pager = QHBoxLayout()
        self.page_label = QLabel()
        pager.addWidget(self.page_label)
        pager.addStretch(1)
        self.prev_button = QPushButton("上一页")
        self.next_button = QPushButton("下一页")
        pager.addWidget(self.prev_button)
        pager.addWidget(self.next_button)
        root.addLayout(pager)

        self.verify_button.clicked.connect(self.verify)
        self.reset_button.clicked.connect(self.reset_filters)
        self.prev_button.clicked.connect(lambda: self.go(self.offset - PAGE_SIZE))
        self.next_button.clicked.connect(lambda: self.go(self.offset + PAGE_SIZE))
        for combo in (self.user_combo, self.type_combo, self.action_combo):
            combo.currentIndexChanged.connect(self._filters_changed)
        for edit in (self.start_edit, self.end_edit):
            edit.dateChanged.connect(self._filters_changed)
        self.id_edit.editingFinished.connect(self._filters_changed)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_detail())

    # ---- filters ------------------------------------------------------------------------------

    def _load_users(self) -> None:
        current = self.user_combo.currentData()
        self.user_combo.blockSignals(True)
        self.user_combo.clear()
        self.user_combo.addItem(ALL, None)
        for user in auth.list_users(self._ctx):
            self.user_combo.addItem(f"{user.name}（{user.login}）", user.id)
        index = self.user_combo.findData(current)
        self.user_combo.setCurrentIndex(max(index, 0))
        self.user_combo.blockSignals(False)

    @staticmethod
    def _date(edit: QDateEdit) -> date | None:
        d = edit.date()
        return None if d == _MIN_DATE else date(d.year(), d.month(), d.day())

    def filters(self) -> dict[str, Any]:
        return {
            "user_id": self.user_combo.currentData(),
            "start": self._date(self.start_edit),
            "end": self._date(self.end_edit),
            "object_type": self.type_combo.currentData(),
            "object_id": self.id_edit.text().strip() or None,
            "action": self.action_combo.currentData(),
        }

    def set_user(self, user_id: int | None) -> None:
        self.user_combo.setCurrentIndex(max(self.user_combo.findData(user_id), 0))

    def reset_filters(self) -> None:
        widgets = (self.user_combo, self.type_combo, self.action_combo, self.start_edit,
                   self.end_edit, self.id_edit)
        for w in widgets:
            w.blockSignals(True)
        for combo in (self.user_combo, self.type_combo, self.action_combo):
            combo.setCurrentIndex(0)
        self.start_edit.setDate(_MIN_DATE)
        self.end_edit.setDate(_MIN_DATE)
        self.id_edit.clear()
        for w in widgets:
            w.blockSignals(False)
        self._filters_changed()

    def _filters_changed(self, *_: object) -> None:
        if self._loaded:
            self.go(0)

    # ---- loading ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._loaded = True
        self._load_users()
        self.go(self.offset)

    def go(self, offset: int) -> None:
        f = self.filters()

        def load() -> tuple[int, list[AuditRow]]:
            total = audit_ops.count_audit(self._ctx, **f)
            start = max(0, min(offset, (max(total, 1) - 1) // PAGE_SIZE * PAGE_SIZE))
            return total, audit_ops.list_audit(self._ctx, limit=PAGE_SIZE, offset=start, **f)

        loaded = attempt(self, load)
        if loaded is None:
            return
        self.total, rows = loaded
        self.offset = max(0, min(offset, (max(self.total, 1) - 1) // PAGE_SIZE * PAGE_SIZE))
        self.model.set_rows(rows)
        pages = max(1, -(-self.total // PAGE_SIZE))
        self.page_label.setText(f"第 {self.offset // PAGE_SIZE + 1} / {pages} 页，"
                                f"共 {self.total} 条" if self.total else "没有符合条件的记录")
        self.prev_button.setEnabled(self.offset > 0)
        self.next_button.setEnabled(self.offset + PAGE_SIZE < self.total)
        code = audit_ops.audit_code(self._ctx)
        self.code_label.setText(f"审计校验码：{code}" if code else "")
        self._show_detail()

    # ---- detail -------------------------------------------------------------------------------

    def selected(self) -> AuditRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _show_detail(self) -> None:
        r = self.selected()
        if r is None:
            self.detail_title.setText("选中一条记录，查看修改前后的完整内容")
            self.detail.clear()
            return
        flag = f" · {r.clock_flag}" if r.clock_flag else ""
        self.detail_title.setText(
            f"第{r.seq}条 · {r.time} · {r.actor} · {r.action_label} · {r.object_label}{flag}")
        self.detail.setPlainText(r.detail)

    # ---- verify -------------------------------------------------------------------------------

    def verify(self) -> audit_ops.AuditVerdict | None:
        verdict = verify_and_show(self, self._ctx)
        if verdict is not None:
            self.refresh()  # the check itself is a new entry
        return verdict
