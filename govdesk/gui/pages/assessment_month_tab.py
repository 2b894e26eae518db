"""月抽查: the month grid. Communities × leaf indicators of the 考核细则, the points deducted in
each cell, entered from the keyboard like a spreadsheet; a detail panel for the deduction lines
of the current cell (扣分原因, rule and count, evidence); the month's 检查人 and 检查日期; and
the actions 复制上月, 自动发现, 导入记分表, 保存 and 撤销修改.

Keyboard (the office enters a paper sheet per community, row by row):

* Tab moves right, wrapping to the next row; Shift+Tab moves back. Enter moves down, and from
  the last row to the top of the next column. Both skip the read-only 得分 column.
* Typing a number on an indicator cell starts editing it; Tab or Enter sets the cell's
  deduction (``deduction_for_points``: 5 on 财务收支公开 is one finding under 每少公开一次扣5分)
  and moves on. A value that is not a number or is above the indicator's max is refused with a
  message and the editor stays open with the typed text, so nothing is lost; Esc gives it up.
* Delete or Backspace clears a cell. On the 检查 column Space (or 1 / 0) ticks the community as
  checked; a number typed on a row ticks it too.

Nothing typed is lost silently: the tab shows 未保存 while the grid differs from what is
stored, switching month asks first, and a refused save keeps everything as typed."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QKeySequence, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.errors import UserError, ValidationErrors
from govdesk.core.scoring import Deduction, Indicator, SpotCheck
from govdesk.gui import messages
from govdesk.gui.guard import attempt
from govdesk.gui.models.spot_check_models import (
    CHECK_COLUMN,
    DeductionLinesModel,
    SpotCheckGridModel,
    parse_points,
    points_text,
    rule_text,
)
from govdesk.gui.widgets import data_table
from govdesk.operations import scoring as scoring_ops
from govdesk.operations.context import PERMISSION_LABELS, Context, can

PERMISSION = scoring_ops.PERMISSION
NO_SCHEME_TEXT = "尚未建立本年度考核细则，保存时将按默认细则建立"
DIRECT = -1  # the rule combo's "直接扣分" entry
_NO_DATE = QDate(2000, 1, 1)  # the date edit's minimum, shown as 未填写
CURRENT_FRAME = QColor("#1d6fd1")


def last_month(today: date) -> tuple[int, int]:
    d = today.replace(day=1) - timedelta(days=1)
    return d.year, d.month


# --------------------------------------------------------------------------- the grid

class _CellDelegate(QStyledItemDelegate):
    """A line edit for an indicator cell that refuses bad values before they reach the model:
    on Tab/Enter the text is checked; a refusal is reported (``refused``) and the editor stays
    open with the typed text. A good value is committed and the view moves on (``moved``)."""

    refused = Signal(str)
    moved = Signal(str)  # "next", "previous", "down", "up"

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        # The current cell gets a frame, as in a spreadsheet, instead of a fill: the fill would
        # hide the cell's own colour (auto-finding amber, problem red).
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        opt = QStyleOptionViewItem(option)
        opt.state &= ~(QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus)
        super().paint(painter, opt, index)
        if selected:
            painter.save()
            painter.setPen(QPen(CURRENT_FRAME, 2))
            painter.drawRect(option.rect.adjusted(1, 1, -1, -1))
            painter.restore()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        editor.setMaxLength(12)
        editor.setFrame(False)
        editor.cell = QPersistentModelIndex(index)  # type: ignore[attr-defined]
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.selectAll()  # typing replaces the value, as in a spreadsheet

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QLineEdit) and isinstance(model, SpotCheckGridModel)
        leaf = model.leaf_at(index.column())
        if leaf is None or self._problem(model, index, editor.text()) is not None:
            return
        model.set_points(index.row(), index.column(), parse_points(leaf, editor.text()))

    @staticmethod
    def _problem(model: SpotCheckGridModel, index: QModelIndex | QPersistentModelIndex,
                 text: str) -> str | None:
        leaf = model.leaf_at(index.column())
        if leaf is None:
            return None
        if text.strip() == str(index.data(Qt.ItemDataRole.EditRole) or ""):
            return None  # unchanged (e.g. a cell above max by two lines): nothing to refuse
        try:
            parse_points(leaf, text)
        except UserError as exc:
            return exc.message
        return None

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if not isinstance(editor, QLineEdit) or not hasattr(editor, "cell"):
            return super().eventFilter(editor, event)
        cell: QPersistentModelIndex = editor.cell  # type: ignore[attr-defined]
        model = cell.model()
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            moves = {Qt.Key.Key_Tab: "next", Qt.Key.Key_Backtab: "previous",
                     Qt.Key.Key_Return: "down", Qt.Key.Key_Enter: "down"}
            if key in moves and event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier
                                                      | Qt.KeyboardModifier.KeypadModifier) == \
                    Qt.KeyboardModifier.NoModifier:
                direction = moves[key]
                if key == Qt.Key.Key_Tab and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    direction = "previous"
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                        event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    direction = "up"
                problem = self._problem(model, cell, editor.text())
                if problem is not None:
                    self.refused.emit(problem + "\n（输入的内容仍在单元格中，可修改后回车；按 Esc 放弃。）")
                    editor.setFocus()
                    return True
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
                self.moved.emit(direction)
                return True
        elif event.type() == QEvent.Type.FocusOut and isinstance(event, QFocusEvent):
            if event.reason() in (Qt.FocusReason.ActiveWindowFocusReason,
                                  Qt.FocusReason.PopupFocusReason):
                # A message box or a menu took the focus for a moment: keep editing.
                return False
            problem = self._problem(model, cell, editor.text())
            if problem is not None:
                self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.RevertModelCache)
                self.refused.emit(problem + "\n这次输入未录入，单元格保持原值。")
                return False
        return super().eventFilter(editor, event)


class SpotCheckGridView(QTableView):
    """The month grid with spreadsheet keys (see the module docstring)."""

    refused = Signal(str)

    def __init__(self, model: SpotCheckGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.grid = model
        self.delegate = _CellDelegate(self)
        self.setItemDelegate(self.delegate)
        self.delegate.moved.connect(self.step)
        self.delegate.refused.connect(self.refused)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        header = self.horizontalHeader()
        header.setHighlightSections(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setSectionsClickable(False)
        header.setStretchLastSection(True)  # 得分 takes the rest: no grey gap on the right
        vertical = self.verticalHeader()
        vertical.setHighlightSections(True)
        vertical.setSectionsClickable(False)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 14)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def fit_columns(self) -> None:
        """Columns as narrow as their (wrapped) headers allow, so the whole sheet fits."""
        fm = self.horizontalHeader().fontMetrics()
        for col in range(self.grid.columnCount()):
            text = str(self.grid.headerData(col, Qt.Orientation.Horizontal) or "")
            width = max(fm.horizontalAdvance(line) for line in text.split("\n")) + 18
            self.setColumnWidth(col, max(width, 46 if col == CHECK_COLUMN else 56))
        lines = max((str(self.grid.headerData(c, Qt.Orientation.Horizontal) or "").count("\n")
                     for c in range(self.grid.columnCount())), default=0) + 1
        self.horizontalHeader().setFixedHeight(fm.lineSpacing() * lines + 12)
        names = [str(self.grid.headerData(r, Qt.Orientation.Vertical) or "")
                 for r in range(self.grid.rowCount())]
        vfm = self.verticalHeader().fontMetrics()
        self.verticalHeader().setFixedWidth(
            max([vfm.horizontalAdvance(n) for n in names] + [vfm.horizontalAdvance("社区名称")]) + 20)

    def open_editor(self) -> QLineEdit | None:
        if self.state() != QAbstractItemView.State.EditingState:
            return None
        found = [w for w in self.viewport().findChildren(QLineEdit) if hasattr(w, "cell")]
        return found[0] if found else None

    def commit_editor(self) -> bool:
        """Finish an open cell editor before an action reads the grid: a good value is
        entered, a refused one is reported and stays in the editor. True if nothing is open
        any more."""
        editor = self.open_editor()
        if editor is None:
            return True
        cell = editor.cell  # type: ignore[attr-defined]
        problem = self.delegate._problem(self.grid, cell, editor.text())
        if problem is not None:
            self.refused.emit(problem + "\n（输入的内容仍在单元格中，请修改或按 Esc 放弃。）")
            return False
        self.delegate.commitData.emit(editor)
        self.delegate.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
        return True

    # ---- moving -----------------------------------------------------------------------------

    def _entry_columns(self) -> list[int]:
        return [c for c in range(self.grid.columnCount()) if self.grid.is_entry_column(c)]

    def step(self, direction: str) -> None:
        """Move the current cell: next/previous (Tab, wrapping rows) or down/up (Enter,
        wrapping columns). The 得分 column is skipped."""
        current = self.currentIndex()
        rows, cols = self.grid.rowCount(), self._entry_columns()
        if not rows or not cols:
            return
        row = current.row() if current.isValid() else 0
        col = current.column() if current.isValid() else cols[0]
        if col not in cols:
            col = cols[-1]
        cells = [(r, c) for r in range(rows) for c in cols]
        if direction in ("down", "up"):
            cells = [(r, c) for c in cols for r in range(rows)]
        at = cells.index((row, col))
        at = min(at + 1, len(cells) - 1) if direction in ("next", "down") else max(at - 1, 0)
        target = self.grid.index(*cells[at])
        self.selectionModel().setCurrentIndex(
            target, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(target)

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab never leaves the grid while a cell is current (as in a spreadsheet).
        if self.state() == QAbstractItemView.State.EditingState:
            return super().focusNextPrevChild(next)
        self.step("next" if next else "previous")
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() == QAbstractItemView.State.EditingState:
            super().keyPressEvent(event)
            return
        key, index = event.key(), self.currentIndex()
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier in (
            Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            up = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.step("up" if up else "down")
            return
        if not index.isValid() or not self.grid.editable:
            super().keyPressEvent(event)
            return
        row, col = index.row(), index.column()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if col == CHECK_COLUMN:
                self.grid.set_checked(row, False)
            elif self.grid.leaf_at(col) is not None:
                self.grid.set_lines(row, col, [])
            return
        if col == CHECK_COLUMN and plain:
            if key == Qt.Key.Key_Space:
                self.grid.set_checked(row, not self.grid.is_checked(row))
                return
            if event.text() in ("1", "y", "Y"):
                self.grid.set_checked(row, True)
                return
            if event.text() in ("0", "n", "N"):
                self.grid.set_checked(row, False)
                return
        super().keyPressEvent(event)


# --------------------------------------------------------------------------- the tab

class MonthTab(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editable = can(ctx.user, PERMISSION)
        self.sheet: scoring_ops.MonthSheet | None = None
        self._baseline: tuple = ()
        self._filling = False  # the detail form is being filled from the model
        self._postings: dict[int, str] = {}
        self._postings_for: tuple[int, int, int] | None = None
        self.year, self.month = last_month(ctx.today())

        self.model = SpotCheckGridModel(self)
        self.lines_model = DeductionLinesModel(self)

        root = QVBoxLayout(self)
        root.setContentsMargins(12, 10, 12, 10)
        root.setSpacing(8)
        root.addLayout(self._build_month_bar())

        self.scheme_label = QLabel()
        self.scheme_label.setWordWrap(True)
        self.scheme_label.setStyleSheet("color: #444;")
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(
            "background: #fff8e1; border-radius: 4px; padding: 6px 8px; color: #6b4e00;")
        self.readonly_label = QLabel(
            "当前账号只能查看月抽查记录；录入和修改需要“"
            f"{PERMISSION_LABELS[PERMISSION]}”的权限（党政办经办人）。")
        self.readonly_label.setWordWrap(True)
        self.readonly_label.setStyleSheet(
            "background: #f0f2f5; border-radius: 4px; padding: 6px 8px; color: #555;")
        self.readonly_label.setVisible(not self.editable)
        root.addWidget(self.scheme_label)
        root.addWidget(self.note_label)
        root.addWidget(self.readonly_label)

        self.view = SpotCheckGridView(self.model)
        self.view.refused.connect(lambda text: messages.warn(self, text, "未录入"))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.view)
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([450, 220])  # the grid first: the panel needs only a few lines
        root.addWidget(splitter, 1)
        root.addLayout(self._build_buttons())

        hint = QLabel("录入：输入扣分数后按 Tab（向右）或回车（向下）；Delete 清除；"
                      "“检查”列按空格勾选。橙色单元格为系统自动发现的问题，红色表示需要补充扣分原因。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #777;")
        hint.setVisible(self.editable)
        root.addWidget(hint)

        self.model.edited.connect(self._model_edited)
        self.model.modelReset.connect(self._fill_detail)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._fill_detail())
        self.lines_view.selectionModel().currentChanged.connect(lambda *_: self._fill_line())
        self.checker_edit.textChanged.connect(lambda _t: self._update_dirty())
        self.date_edit.dateChanged.connect(lambda _d: self._update_dirty())
        self.year_spin.valueChanged.connect(lambda _v: self._month_picked())
        self.month_combo.currentIndexChanged.connect(lambda _i: self._month_picked())

        self._apply_permission()
        self.load_month(self.year, self.month)

    # ---- building -------------------------------------------------------------------------------

    def _build_month_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(QLabel("月份"))
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, self.ctx.today().year + 1)
        self.year_spin.setSuffix(" 年")
        self.year_spin.setValue(self.year)
        self.year_spin.setMinimumWidth(90)
        bar.addWidget(self.year_spin)
        self.month_combo = QComboBox()
        for m in range(1, 13):
            self.month_combo.addItem(f"{m}月", m)
        self.month_combo.setCurrentIndex(self.month - 1)
        self.month_combo.setMaxVisibleItems(12)
        bar.addWidget(self.month_combo)
        bar.addSpacing(16)
        bar.addWidget(QLabel("检查人"))
        self.checker_edit = QLineEdit()
        self.checker_edit.setPlaceholderText("如：王建华、刘欣")
        self.checker_edit.setMinimumWidth(160)
        self.checker_edit.setToolTip("本月抽查的检查人，保存时写入每个已检查社区（村）的记录")
        bar.addWidget(self.checker_edit)
        bar.addSpacing(8)
        bar.addWidget(QLabel("检查日期"))
        self.date_edit = QDateEdit()
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setMinimumDate(_NO_DATE)
        self.date_edit.setSpecialValueText("未填写")
        self.date_edit.setMinimumWidth(130)
        self.date_edit.setToolTip("本月抽查的日期，保存时写入每个已检查社区（村）的记录")
        bar.addWidget(self.date_edit)
        bar.addStretch(1)
        self.dirty_label = QLabel("未保存")
        self.dirty_label.setStyleSheet(
            "color: white; background: #c0392b; border-radius: 3px; padding: 2px 8px;")
        self.dirty_label.setToolTip("表格中有尚未保存的修改")
        self.dirty_label.setVisible(False)
        bar.addWidget(self.dirty_label)
        return bar

    def _build_detail(self) -> QWidget:
        box = QGroupBox("扣分明细")
        self.detail_box = box
        layout = QHBoxLayout(box)
        left = QVBoxLayout()
        self.cell_label = QLabel()
        self.cell_label.setWordWrap(True)
        self.cell_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left.addWidget(self.cell_label)
        self.lines_view = data_table(self.lines_model)
        self.lines_view.setMinimumHeight(90)
        left.addWidget(self.lines_view, 1)
        line_buttons = QHBoxLayout()
        self.add_line_button = QPushButton("新增一条扣分")
        self.remove_line_button = QPushButton("删除此条")
        line_buttons.addWidget(self.add_line_button)
        line_buttons.addWidget(self.remove_line_button)
        line_buttons.addStretch(1)
        left.addLayout(line_buttons)
        layout.addLayout(left, 5)

        form_box = QWidget()
        form = QFormLayout(form_box)
        form.setContentsMargins(8, 0, 0, 0)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("扣分原因，将出现在季度通报中")
        form.addRow("扣分原因", self.reason_edit)
        self.rule_combo = QComboBox()
        self.rule_combo.setMinimumContentsLength(16)
        self.rule_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        form.addRow("扣分依据", self.rule_combo)
        amount = QHBoxLayout()
        self.count_spin = QSpinBox()
        self.count_spin.setRange(1, 99)
        self.count_spin.setSuffix(" 次")
        amount.addWidget(self.count_spin)
        amount.addSpacing(8)
        amount.addWidget(QLabel("直接扣分"))
        self.points_edit = QLineEdit()
        self.points_edit.setMaximumWidth(70)
        self.points_edit.setPlaceholderText("分值")
        amount.addWidget(self.points_edit)
        amount.addStretch(1)
        form.addRow("次数/分值", amount)
        self.evidence_edit = QLineEdit()
        self.evidence_edit.setPlaceholderText("佐证说明或照片")
        form.addRow("佐证", self.evidence_edit)
        evidence_row = QHBoxLayout()
        self.photo_button = QPushButton("选择照片…")
        self.photo_button.setToolTip("选择公开栏照片，复制到本系统的资料文件夹并记入佐证")
        evidence_row.addWidget(self.photo_button)
        self.posting_combo = QComboBox()
        self.posting_combo.setMinimumContentsLength(18)
        self.posting_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.posting_combo.setToolTip("关联本月在该社区（村）公开栏上的一次张贴")
        evidence_row.addWidget(self.posting_combo, 1)
        form.addRow("", evidence_row)
        layout.addWidget(form_box, 4)

        self.add_line_button.clicked.connect(self._add_line)
        self.remove_line_button.clicked.connect(self._remove_line)
        self.reason_edit.textChanged.connect(self._reason_changed)
        self.rule_combo.currentIndexChanged.connect(lambda _i: self._amount_changed())
        self.count_spin.valueChanged.connect(lambda _v: self._amount_changed())
        self.points_edit.editingFinished.connect(self._amount_changed)
        self.evidence_edit.textChanged.connect(self._evidence_changed)
        self.photo_button.clicked.connect(self._choose_photo)
        self.posting_combo.activated.connect(lambda _i: self._posting_chosen())
        return box

    def _build_buttons(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.copy_button = QPushButton("复制上月")
        self.copy_button.setToolTip("以上月的抽查记录为底稿（不含系统发现），修改后保存")
        self.auto_button = QPushButton("自动发现")
        self.auto_button.setToolTip("从登记台账中找出逾期公开、逾期未撤栏和空白月，加入已检查的社区（村）")
        self.import_button = QPushButton("导入记分表…")
        self.import_button.setToolTip("导入填好的月抽查记分表（Excel）")
        self.template_button = QPushButton("下载记分表模板…")
        self.template_button.setToolTip("生成本月的空白记分表，发给检查组填写后导入")
        # Shown only when the 考核细则 has 否决项 (most offices' have none).
        self.veto_button = QPushButton("否决项…")
        self.veto_button.setToolTip("记录当前社区（村）本次检查发现的否决项")
        self.veto_button.setVisible(False)
        self.revert_button = QPushButton("撤销修改")
        self.revert_button.setToolTip("放弃未保存的修改，重新载入本月已保存的记录")
        self.save_button = QPushButton("保存")
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip("保存本月全部已勾选“检查”的社区（村）（Ctrl+S）")
        for b in (self.copy_button, self.auto_button, self.import_button, self.template_button,
                  self.veto_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        self.copy_button.clicked.connect(self._copy_last_month)
        self.auto_button.clicked.connect(self._auto_findings)
        self.import_button.clicked.connect(self._import_sheet)
        self.template_button.clicked.connect(self._write_template)
        self.veto_button.clicked.connect(self._edit_vetoes)
        self.revert_button.clicked.connect(self._revert)
        self.save_button.clicked.connect(self.save)
        return bar

    def _apply_permission(self) -> None:
        self.model.set_editable(self.editable)
        for w in (self.checker_edit, self.date_edit, self.copy_button, self.auto_button,
                  self.import_button, self.template_button, self.save_button,
                  self.revert_button, self.veto_button):
            w.setEnabled(self.editable)
        self.checker_edit.setReadOnly(not self.editable)
        if not self.editable:
            tip = "当前账号没有录入考核检查的权限"
            for b in (self.copy_button, self.auto_button, self.import_button,
                      self.template_button, self.save_button):
                b.setToolTip(tip)

    # ---- month ------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Called when the tab is shown: reload from the database unless something is typed."""
        if not self.is_dirty():
            self.load_month(self.year, self.month)

    def is_dirty(self) -> bool:
        return self.sheet is not None and self._state() != self._baseline

    def has_unsaved_changes(self) -> bool:
        return self.is_dirty()

    def _state(self) -> tuple:
        return (self.model.snapshot(), self.checker_edit.text().strip(), self.checked_on())

    def checked_on(self) -> date | None:
        d = self.date_edit.date()
        return None if d == _NO_DATE else date(d.year(), d.month(), d.day())

    def set_month(self, year: int, month: int) -> bool:
        """Show another month; with unsaved changes the user is asked first. True if shown."""
        if (year, month) == (self.year, self.month):
            return True
        if not self.view.commit_editor():
            self._show_month_widgets()
            return False
        if self.is_dirty() and not messages.confirm(
                self, f"{self.year}年{self.month}月的抽查记录有未保存的修改。\n"
                      f"切换到{year}年{month}月将放弃这些修改，是否继续？",
                "未保存的修改", ok="放弃修改并切换"):
            self._show_month_widgets()
            return False
        self.load_month(year, month)
        return True

    def _month_picked(self) -> None:
        self.set_month(self.year_spin.value(), self.month_combo.currentData())

    def _show_month_widgets(self) -> None:
        for w in (self.year_spin, self.month_combo):
            w.blockSignals(True)
        self.year_spin.setValue(self.year)
        self.month_combo.setCurrentIndex(self.month - 1)
        for w in (self.year_spin, self.month_combo):
            w.blockSignals(False)

    def load_month(self, year: int, month: int) -> None:
        sheet = attempt(self, lambda: scoring_ops.month_sheet(self.ctx, year, month))
        if sheet is None:
            self._show_month_widgets()
            return
        current = self.view.currentIndex()
        self.sheet = sheet
        self.year, self.month = year, month
        self._show_month_widgets()
        self._postings_for = None
        self.model.load(sheet.preview_scheme, sheet.communities, sheet.checks)
        checks = list(sheet.checks.values())
        checkers = Counter(c.checker for c in checks if c.checker)
        dates = Counter(c.checked_on for c in checks if c.checked_on)
        self._filling = True
        self.checker_edit.setText(checkers.most_common(1)[0][0] if checkers else "")
        on = dates.most_common(1)[0][0] if dates else None
        self.date_edit.setDate(QDate(on.year, on.month, on.day) if on else _NO_DATE)
        self._filling = False
        self._baseline = self._state()
        if sheet.scheme is not None:
            self.scheme_label.setText(f"考核细则：{sheet.scheme.label}")
        elif sheet.carried_over is not None:
            self.scheme_label.setText(f"尚未建立本年度考核细则，保存时将沿用上一年度细则建立"
                                      f"《{sheet.carried_over.name}》")
        else:
            self.scheme_label.setText(NO_SCHEME_TEXT)
        self.note_label.setText(sheet.note)
        self.note_label.setVisible(bool(sheet.note))
        self.veto_button.setVisible(bool(sheet.preview_scheme.vetoes))
        self.view.fit_columns()
        row = min(max(current.row(), 0), self.model.rowCount() - 1)
        if self.model.rowCount():
            col = current.column() if 0 <= current.column() < self.model.columnCount() else 1
            self.view.setCurrentIndex(self.model.index(row, col))
        self._update_dirty()
        self._fill_detail()

    def _model_edited(self) -> None:
        self._update_dirty()
        self._fill_detail()

    def _update_dirty(self) -> None:
        if self._filling:
            return
        dirty = self.is_dirty()
        self.dirty_label.setVisible(dirty)
        self.revert_button.setEnabled(self.editable and dirty)

    # ---- actions ----------------------------------------------------------------------------------

    def current_checks(self) -> list[SpotCheck]:
        return self.model.checks(self.year, self.month, self.checker_edit.text().strip(),
                                 self.checked_on())

    def save(self) -> bool:
        """Save every checked community of the month; on a refusal everything stays as typed."""
        if not self.editable or self.sheet is None:
            return False
        if not self.view.commit_editor():  # Ctrl+S with a value still in the editor
            return False
        checks = self.current_checks()
        sheet = self.sheet
        if not checks and not sheet.checks:
            messages.info(self, "本月还没有勾选任何检查的社区（村），没有可保存的内容。")
            return False
        if not checks and not messages.confirm(
                self, f"没有勾选任何社区（村）。保存将删除{self.year}年{self.month}月"
                      f"全部{len(sheet.checks)}条已保存的抽查记录，是否继续？", ok="删除并保存"):
            return False
        sid = sheet.scheme.id if sheet.scheme is not None else None
        try:
            result = scoring_ops.save_month(self.ctx, self.year, self.month, checks,
                                            scheme_id=sid)
        except ValidationErrors as exc:
            messages.warn(self, exc.message + "\n\n表格中的内容都已保留，请修改后再保存。",
                          "未能保存")
            return False
        except UserError as exc:
            messages.warn(self, exc.message, "未能保存")
            return False
        self.load_month(self.year, self.month)
        parts = [f"已保存{self.year}年{self.month}月的抽查记录：{len(checks)}个社区（村）"]
        if result.saved and result.unchanged:
            parts.append(f"其中{result.saved}个有改动")
        elif not result.saved and not result.removed:
            parts.append("与已保存的内容相同，未做改动")
        if result.removed:
            parts.append(f"删除了{result.removed}个未勾选社区（村）的记录")
        messages.info(self, "，".join(parts) + "。", "已保存")
        return True

    def _revert(self) -> None:
        if self.is_dirty() and not messages.confirm(
                self, "放弃全部未保存的修改，重新载入本月已保存的记录？", ok="撤销修改"):
            return
        self.load_month(self.year, self.month)

    def _copy_last_month(self) -> None:
        scheme = self.model.scheme
        if scheme is None or not self.view.commit_editor():
            return
        py, pm = scoring_ops.previous_month(self.year, self.month)
        copied = attempt(self, lambda: scoring_ops.copy_last_month(
            self.ctx, self.year, self.month, scheme))
        if copied is None:
            return
        if not copied:
            messages.info(self, f"上月（{py}年{pm}月）没有抽查记录，无可复制。")
            return
        if self.model.has_entries() or (self.sheet is not None and self.sheet.checks):
            what = "未保存的修改和" if self.is_dirty() else ""
            if not messages.confirm(
                    self, f"复制上月（{py}年{pm}月）的抽查记录将替换表格中{what}"
                          f"本月已录入的内容（保存后才写入数据库）。是否继续？",
                    "复制上月", ok="复制并替换"):
                return
        self.model.replace_all(copied)
        checkers = Counter(c.checker for c in copied.values() if c.checker)
        if checkers and not self.checker_edit.text().strip():
            self.checker_edit.setText(checkers.most_common(1)[0][0])
        lines = sum(len(c.deductions) for c in copied.values())
        messages.info(self, f"已复制上月{len(copied)}个社区（村）的记录（{lines}条扣分），"
                            "系统发现的问题未复制，可点“自动发现”重新查找。请核对后保存。")

    def _auto_findings(self) -> None:
        scheme = self.model.scheme
        if scheme is None or not self.view.commit_editor():
            return
        ids = self.model.checked_ids()
        if not ids:
            n = self.model.rowCount()
            if not n or not messages.confirm(
                    self, f"本月还没有勾选检查的社区（村）。\n是否把全部{n}个社区（村）"
                          "都作为本月检查对象，查找系统发现的问题？", "自动发现",
                    ok="全部查找"):
                return
            ids = self.model.community_ids()
            for row in range(n):
                self.model.set_checked(row, True)
        found = attempt(self, lambda: scoring_ops.auto_findings(
            self.ctx, self.year, self.month, scheme, ids))
        if found is None:
            return
        self.model.apply_auto({cid: f.deductions for cid, f in found.items()})
        total = sum(len(f.deductions) for f in found.values())
        hit = sum(1 for f in found.values() if f.deductions)
        unbooked = sorted({k.value for f in found.values() for k in f.unbooked})
        text = (f"系统从登记台账中发现{total}处问题，涉及{hit}个社区（村），已用橙色标出。"
                if total else "系统未从登记台账中发现问题。")
        text += f"（已查找{len(ids)}个已勾选检查的社区（村）。）"
        today = self.ctx.today()
        if (self.year, self.month) >= (today.year, today.month):
            text += "\n本月尚未结束，暂不判断空白月。"
        if unbooked:
            text += ("\n以下问题在考核细则中没有对应的扣分规则，未计入：" + "、".join(unbooked)
                     + "。如需计分，请在考核细则中设置。")
        messages.info(self, text, "自动发现")

    def _confirm_reload(self, what: str) -> bool:
        if not self.view.commit_editor():
            return False
        return not self.is_dirty() or messages.confirm(
            self, f"{what}后将重新载入表格，当前未保存的修改会丢失。是否继续？",
            "未保存的修改", ok="继续")

    def _choose_import_path(self) -> str | None:
        """Ask for the filled-in sheet; tests replace this method."""
        path, _ = QFileDialog.getOpenFileName(self, "导入记分表", "",
                                              "Excel 工作簿 (*.xlsx)")
        return path or None

    def _choose_template_path(self) -> str | None:
        """Ask where to save the blank sheet; tests replace this method."""
        suggested = f"月抽查记分表_{self.year}年{self.month}月.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "下载记分表模板", suggested,
                                              "Excel 工作簿 (*.xlsx)")
        return path or None

    def _import_sheet(self) -> None:
        if not self._confirm_reload("导入记分表"):
            return
        chosen = self._choose_import_path()
        if not chosen:
            return
        # Written alongside this tab (issue 5); imported when used.
        from govdesk.operations import score_import

        plan = attempt(self, lambda: score_import.read_plan(self.ctx, chosen))
        if plan is None:
            return
        try:
            result = score_import.import_sheet(self.ctx, chosen)
        except score_import.MonthAlreadyChecked as exc:
            if not messages.confirm(self, exc.message, "导入记分表", ok="替换"):
                return
            result = attempt(self, lambda: score_import.import_sheet(self.ctx, chosen,
                                                                     replace=True))
            if result is None:
                return
        except ValidationErrors as exc:
            messages.warn(self, exc.message, "未能导入")
            return
        except UserError as exc:
            messages.warn(self, exc.message, "未能导入")
            return
        self.load_month(plan.year, plan.month)
        if result.saved or result.removed:
            done = f"写入{result.saved}个社区（村）的记录"
            if result.removed:
                done += f"，删除{result.removed}个社区（村）的原有记录"
        else:
            done = "与已保存的记录相同，未做改动"
        messages.info(self, f"已导入记分表“{Path(chosen).name}”（{plan.period}）：{done}。",
                      "导入记分表")

    def _write_template(self) -> None:
        chosen = self._choose_template_path()
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        from govdesk.operations import score_import

        count = attempt(self, lambda: score_import.write_template(
            self.ctx, self.year, self.month, path))
        if count is None:
            return
        if self.sheet is not None and self.sheet.scheme is None and not self.is_dirty():
            self.load_month(self.year, self.month)  # the template created the year's scheme
        messages.info(self, f"已生成{self.year}年{self.month}月的记分表模板"
                            f"（{count}个社区（村））：\n{path}")

    # ---- detail panel -----------------------------------------------------------------------------

    def _edit_vetoes(self) -> None:
        from govdesk.gui.dialogs.veto_dialog import VetoDialog

        cell = self.current_cell()
        scheme = self.model.scheme
        if cell is None or scheme is None or not scheme.vetoes or not self.editable:
            return
        row = cell[0]
        _cid, name = self.model.community_at(row)
        found = VetoDialog.ask(self, scheme, name, self.model.vetoes(row))
        if found is not None:
            self.model.set_vetoes(row, found)

    def current_cell(self) -> tuple[int, int] | None:
        index = self.view.currentIndex()
        return (index.row(), index.column()) if index.isValid() else None

    def current_leaf(self) -> Indicator | None:
        cell = self.current_cell()
        return self.model.leaf_at(cell[1]) if cell else None

    def _postings_of(self, row: int) -> dict[int, str]:
        cid, _ = self.model.community_at(row)
        key = (cid, self.year, self.month)
        if self._postings_for != key:
            found = scoring_ops.evidence_postings(self.ctx, cid, self.year, self.month)
            self._postings = {pid: f"《{title}》{board} {on.month}月{on.day}日张贴"
                              for pid, title, board, on in found}
            self._postings_for = key
        return self._postings

    def _fill_detail(self) -> None:
        cell = self.current_cell()
        scheme = self.model.scheme
        if cell is None or scheme is None or not self.model.rowCount():
            self.cell_label.setText("请在上面的表格中选择一个单元格。")
            self.lines_model.set_lines(scheme, [])
            self._fill_line()
            return
        row, col = cell
        _, name = self.model.community_at(row)
        leaf = self.model.leaf_at(col)
        postings = self._postings_of(row)
        selected = self.lines_view.currentIndex().row()
        self.lines_model.set_lines(scheme, self.model.lines(row, col), postings)
        if leaf is None:
            score = self.model.score(row)
            state = (f"本月得分 {points_text(score)} 分" if score is not None
                     else "本月未检查（不计入本月）")
            self.cell_label.setText(f"<b>{name}</b>：{state}。下面是本月全部扣分；"
                                    "选择一个指标单元格可以修改。")
        else:
            rules = "<br>".join(f"{n + 1}. {rule_text(leaf, n)}" for n in range(len(leaf.rules)))
            pts = self.model.cell_points(row, col)
            taken = f"已扣 {points_text(pts)} 分" if pts is not None else "未扣分"
            self.cell_label.setText(
                f"<b>{name}</b> · {' › '.join(scheme.path(leaf.code))}"
                f"（满分 {points_text(leaf.max_points)} 分，{taken}）"
                + (f"<br><span style='color:#666'>{rules}</span>" if rules else ""))
        n = self.lines_model.rowCount()
        if n:
            self.lines_view.setCurrentIndex(self.lines_model.index(min(max(selected, 0), n - 1), 1))
        self.lines_view.resizeColumnsToContents()
        self.lines_view.horizontalHeader().setStretchLastSection(True)
        for c, width in ((0, 130), (1, 260), (4, 200)):
            self.lines_view.setColumnWidth(c, min(max(self.lines_view.columnWidth(c), 80), width))
        self._fill_line()

    def current_line(self) -> tuple[int, int, int, Deduction] | None:
        """(grid row, grid column, line number within the cell, the line) being edited."""
        cell = self.current_cell()
        if cell is None or self.model.leaf_at(cell[1]) is None:
            return None
        n = self.lines_view.currentIndex().row()
        lines = self.model.lines(*cell)
        if not 0 <= n < len(lines):
            return None
        return cell[0], cell[1], n, lines[n]

    def _fill_line(self) -> None:
        found = self.current_line()
        leaf = self.current_leaf()
        self._filling = True
        try:
            self.rule_combo.clear()
            self.posting_combo.clear()
            if leaf is not None:
                for n in range(len(leaf.rules)):
                    self.rule_combo.addItem(f"第{n + 1}条：{rule_text(leaf, n)}", n)
                    self.rule_combo.setItemData(n, rule_text(leaf, n),
                                                Qt.ItemDataRole.ToolTipRole)
                self.rule_combo.addItem("直接扣分（不按规则）", DIRECT)
            cell = self.current_cell()
            if cell is not None and self.model.rowCount():
                self.posting_combo.addItem("关联张贴：（不关联）", None)
                for pid, text in self._postings_of(cell[0]).items():
                    self.posting_combo.addItem(text, pid)
            if found is None:
                for w in (self.reason_edit, self.evidence_edit, self.points_edit):
                    w.clear()
                self.count_spin.setValue(1)
            else:
                d = found[3]
                self.reason_edit.setText(d.reason)
                self.evidence_edit.setText(d.evidence)
                rule = DIRECT if d.points is not None or d.rule is None else d.rule
                self.rule_combo.setCurrentIndex(max(self.rule_combo.findData(rule), 0))
                self.count_spin.setValue(d.count or 1)
                self.points_edit.setText(points_text(d.points) if d.points is not None else "")
                at = self.posting_combo.findData(d.posting_id) if d.posting_id else 0
                self.posting_combo.setCurrentIndex(max(at, 0))
        finally:
            self._filling = False
        editing = self.editable and found is not None
        for w in (self.reason_edit, self.rule_combo, self.evidence_edit, self.photo_button,
                  self.posting_combo, self.remove_line_button):
            w.setEnabled(editing)
        direct = self.rule_combo.currentData() == DIRECT
        self.count_spin.setEnabled(editing and not direct)
        self.points_edit.setEnabled(editing and direct)
        self.add_line_button.setEnabled(self.editable and leaf is not None)

    def _replace_line(self, new: Deduction) -> None:
        found = self.current_line()
        if found is None:
            return
        row, col, n, old = found
        if new != old:
            self.model.set_line(row, col, n, new)

    def _reason_changed(self, text: str) -> None:
        found = self.current_line()
        if self._filling or found is None:
            return
        # An auto-finding edited by hand keeps its tag: it is still the register's finding.
        self._replace_line(replace(found[3], reason=text.strip()))

    def _evidence_changed(self, text: str) -> None:
        found = self.current_line()
        if self._filling or found is None:
            return
        self._replace_line(replace(found[3], evidence=text.strip()))

    def _amount_changed(self) -> None:
        found = self.current_line()
        leaf = self.current_leaf()
        if self._filling or found is None or leaf is None:
            return
        d = found[3]
        rule = self.rule_combo.currentData()
        if rule == DIRECT:
            self.count_spin.setEnabled(False)
            self.points_edit.setEnabled(self.editable)
            text = self.points_edit.text()
            if not text.strip():
                if d.points is None:  # just switched to 直接扣分: start from what it took
                    pts = d.taken_raw(self.model.scheme) if self.model.scheme else Decimal(0)
                    self._filling = True
                    self.points_edit.setText(points_text(pts))
                    self._filling = False
                    text = self.points_edit.text()
                else:
                    return
            try:
                points = parse_points(leaf, text)
            except UserError as exc:
                messages.warn(self, exc.message, "未录入")
                return
            if points is None:
                messages.warn(self, "扣分应大于0；不扣分请删除此条。", "未录入")
                return
            self._replace_line(replace(d, points=points, count=None, rule=None))
        else:
            self.count_spin.setEnabled(self.editable)
            self.points_edit.setEnabled(False)
            reason = d.reason
            if d.rule != rule and (not reason or (d.rule is not None and
                                                  reason == leaf.rules[d.rule].text)):
                reason = leaf.rules[rule].text  # the rule's wording follows the rule
            self._replace_line(replace(d, points=None, rule=rule, count=self.count_spin.value(),
                                       reason=reason))

    def _add_line(self) -> None:
        cell = self.current_cell()
        leaf = self.current_leaf()
        if cell is None or leaf is None:
            return
        lines = self.model.lines(*cell)
        if leaf.rules:
            new = Deduction(leaf.code, leaf.rules[0].text, count=1, rule=0)
        else:
            new = Deduction(leaf.code, "", points=min(Decimal(1), leaf.max_points))
        self.model.set_lines(cell[0], cell[1], [*lines, new])
        self.lines_view.setCurrentIndex(self.lines_model.index(len(lines), 1))
        self.reason_edit.setFocus()
        self.reason_edit.selectAll()

    def _remove_line(self) -> None:
        found = self.current_line()
        if found is None:
            return
        row, col, n, _ = found
        self.model.set_line(row, col, n, None)

    def _choose_photo_path(self) -> str | None:
        """Ask for a photo of the board; tests replace this method."""
        path, _ = QFileDialog.getOpenFileName(self, "选择公开栏照片", "",
                                              "图片 (*.jpg *.jpeg *.png)")
        return path or None

    def _choose_photo(self) -> None:
        if self.current_line() is None:
            return
        chosen = self._choose_photo_path()
        if not chosen:
            return
        name = attempt(self, lambda: scoring_ops.store_evidence_photo(self.ctx, chosen))
        found = self.current_line()
        if name is None or found is None:
            return
        d = found[3]
        evidence = f"{d.evidence}；照片：{name}" if d.evidence else f"照片：{name}"
        self._replace_line(replace(d, evidence=evidence))

    def _posting_chosen(self) -> None:
        found = self.current_line()
        if self._filling or found is None:
            return
        self._replace_line(replace(found[3], posting_id=self.posting_combo.currentData()))

    # ---- for tests and the main window ------------------------------------------------------------

    def select_cell(self, row: int, column: int) -> None:
        self.view.setCurrentIndex(self.model.index(row, column))
