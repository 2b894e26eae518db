"""考核细则: the year's scheme versions and the tree editor of one version (issue 5, item 1).

Left: the year, its versions (设为当前版本 / 复制为新版本 / 删除 / 建立本年度细则) and how the
version is applied (计分办法: quarter rule, 等次, 年终考核分值, 加分上限, 总分). Right: the version
as a tree — 考核指标 (一级 → 二级 → 扣分规则), 加分项, 扣分项, 否决项 — edited in place, with the
problems of the edited scheme (core.scoring.validate_scheme) shown live under it.

Decisions:

* A version that a check already uses is shown read-only (the store refuses to change it, so a
  circulated quarter always recomputes to what was circulated); the way forward is to copy it.
* Nothing typed is lost on a failed save: the edits stay in the tree until saved or 撤销修改, and
  switching version or year with unsaved edits asks first.
* Users without "assessment.manage" (科室/社区负责人, leaders) can look but not change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from govdesk.core import scoring
from govdesk.core.scoring import (
    DEFAULT_YEAR_END_WEIGHT,
    GradeThresholds,
    QuarterRule,
    Scheme,
    SchemeVersion,
    validate_scheme,
)
from govdesk.gui import guard, messages
from govdesk.gui.models.scheme_models import (
    COL_CAP,
    COL_CODE,
    COL_NAME,
    COL_PER,
    COL_POINTS,
    GROUP_INDICATORS,
    Key,
    PointsDelegate,
    SchemeTreeModel,
    SchemeVersionTableModel,
    points_text,
)
from govdesk.operations import scoring as scoring_ops
from govdesk.operations.context import Context, can

PERMISSION = scoring_ops.PERMISSION
IN_USE_NOTE = ("已用于检查记分，不能直接修改：请先“复制为新版本”，再修改新版本"
               "（新版本从尚未检查的季度起使用）")
READ_ONLY_NOTE = "只读：您没有修改考核细则的权限，如需修改请联系党政办。"
EDIT_NOTE = "双击单元格修改名称、分值和评分标准；分值可保留一位小数。修改后请点“保存”。"
NO_SCHEME_TEXT = ("{year}年尚未建立考核细则。“建立本年度细则”将复制上一年度正在使用的细则；"
                  "没有上一年度的细则时，使用默认的100分细则。")
DISCARD_TEXT = "当前版本有尚未保存的修改，放弃这些修改吗？"
NO_PROBLEMS_TEXT = "未发现问题，可以保存。"
BANNER_STYLE = ("background: #fff4ce; border: 1px solid #e0c060; border-radius: 3px;"
                " padding: 6px 10px;")
HIGHLIGHT_STYLE = ("QPushButton { font-weight: bold; background: #fff4ce;"
                   " border: 1px solid #c89b00; border-radius: 3px; padding: 4px 10px; }")
NOTE_STYLE = "color: #666;"
PROBLEM_COLOR = "#b00020"
OK_COLOR = "#2e7d32"

METHOD_MONTHLY, METHOD_WEIGHTED, METHOD_QUARTERLY = range(3)
METHOD_LABELS = ("月抽查平均分", "月抽查与季度检查加权", "季度检查得分")

TREE_WIDTHS = {COL_CODE: 96, COL_NAME: 360, COL_POINTS: 52, COL_PER: 68, COL_CAP: 56}


def _spin(minimum: float, maximum: float, suffix: str = " 分") -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setDecimals(1)
    spin.setSingleStep(0.5)
    spin.setRange(minimum, maximum)
    spin.setSuffix(suffix)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    return spin


def _dec(value: float) -> Decimal:
    """A spin box's value as exact points: 5 stays "5", 0.5 stays "0.5" (never 5.0 in storage)."""
    d = Decimal(f"{value:.1f}")
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


class SchemeTab(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.can_manage = can(ctx.user, PERMISSION)
        self._version: SchemeVersion | None = None
        self._loading = False
        self._last_year = ctx.today().year

        # ---- left: year, versions, 计分办法
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(self._last_year)
        self.year_spin.setSuffix(" 年")
        self.create_button = QPushButton("建立本年度细则")
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet(NOTE_STYLE)

        self.version_model = SchemeVersionTableModel(self)
        self.version_view = QTableView()
        self.version_view.setModel(self.version_model)
        self.version_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.version_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.version_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.version_view.verticalHeader().setVisible(False)
        self.version_view.verticalHeader().setDefaultSectionSize(
            self.version_view.fontMetrics().height() + 10)
        self.version_view.setWordWrap(False)
        vheader = self.version_view.horizontalHeader()
        vheader.setHighlightSections(False)
        vheader.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        vheader.setStretchLastSection(True)
        self.version_view.setMaximumHeight(
            self.version_view.verticalHeader().defaultSectionSize() * 3
            + self.version_view.horizontalHeader().sizeHint().height() + 4)

        self.current_button = QPushButton("设为当前版本")
        self.copy_button = QPushButton("复制为新版本")
        self.delete_button = QPushButton("删除")

        self.name_edit = QLineEdit()
        self.total_spin = _spin(1, 1000)
        self.method_combo = QComboBox()
        self.method_combo.addItems(METHOD_LABELS)
        self.monthly_pct = QSpinBox()
        self.monthly_pct.setRange(1, 99)
        self.monthly_pct.setSuffix(" %")
        self.monthly_pct.setPrefix("月抽查 ")
        self.rule_label = QLabel()
        self.rule_label.setStyleSheet(NOTE_STYLE)
        self.rule_label.setWordWrap(True)
        self.excellent_spin = _spin(0, 1000)
        self.good_spin = _spin(0, 1000)
        self.passing_spin = _spin(0, 1000)
        self.year_end_spin = _spin(0.1, 100)
        self.bonus_cap_auto = QCheckBox("按加分项合计")
        self.bonus_cap_spin = _spin(0, 1000)

        # ---- right: note, editing buttons, tree, problems
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.add_top_button = QPushButton("添加一级指标")
        self.add_child_button = QPushButton("添加二级指标")
        self.add_rule_button = QPushButton("添加扣分规则")
        self.add_bonus_button = QPushButton("添加加分项")
        self.add_penalty_button = QPushButton("添加扣分项")
        self.add_veto_button = QPushButton("添加否决项")
        self.remove_button = QPushButton("删除所选")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        self.save_button = QPushButton("保存")
        self.revert_button = QPushButton("撤销修改")

        self.model = SchemeTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setItemDelegate(PointsDelegate(self.tree))
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.tree.setIndentation(16)
        theader = self.tree.header()
        theader.setStretchLastSection(True)
        theader.setHighlightSections(False)
        theader.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        theader.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for col, width in TREE_WIDTHS.items():
            self.tree.setColumnWidth(col, width)

        self.total_label = QLabel()
        self.problems = QListWidget()
        self.problems.setWordWrap(True)
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet(NOTE_STYLE)

        self._lay_out()
        self._connect()
        self._sync_buttons()

    # ---- layout ---------------------------------------------------------------------------

    def _lay_out(self) -> None:
        top_row = QHBoxLayout()
        top_row.addWidget(QLabel("年度"))
        top_row.addWidget(self.year_spin)
        top_row.addWidget(self.create_button)
        top_row.addWidget(self.empty_label, 1)
        top_row.addStretch(0)
        for b in (self.current_button, self.copy_button, self.delete_button):
            top_row.addWidget(b)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 6, 0)
        lv.addWidget(self.note_label)
        row1 = QHBoxLayout()
        for b in (self.add_top_button, self.add_child_button, self.add_rule_button,
                  self.add_bonus_button, self.add_penalty_button, self.add_veto_button):
            row1.addWidget(b)
        row1.addStretch(1)
        for b in (self.remove_button, self.up_button, self.down_button):
            row1.addWidget(b)
        lv.addLayout(row1)
        lv.addWidget(self.tree, 1)
        lv.addWidget(self.total_label)

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(6, 0, 0, 0)
        box = QGroupBox("计分办法")
        form = QFormLayout(box)
        form.addRow("细则名称", self.name_edit)
        form.addRow("总分", self.total_spin)
        form.addRow("季度得分", self.method_combo)
        form.addRow("", self.monthly_pct)
        form.addRow("", self.rule_label)
        form.addRow("优秀 ≥", self.excellent_spin)
        form.addRow("良好 ≥", self.good_spin)
        form.addRow("合格 ≥", self.passing_spin)
        form.addRow("年终考核分值", self.year_end_spin)
        cap_row = QHBoxLayout()
        cap_row.addWidget(self.bonus_cap_spin, 1)
        cap_row.addWidget(self.bonus_cap_auto)
        form.addRow("加分上限", cap_row)
        rv.addWidget(box)
        rv.addWidget(QLabel("检查结果"))
        rv.addWidget(self.problems, 1)
        save_row = QHBoxLayout()
        save_row.addWidget(self.saved_label, 1)
        save_row.addWidget(self.revert_button)
        save_row.addWidget(self.save_button)
        rv.addLayout(save_row)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([860, 340])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top_row)
        layout.addWidget(self.version_view)
        layout.addWidget(splitter, 1)

    def _connect(self) -> None:
        def click(button: QPushButton, slot: Callable[[], Any]) -> None:
            button.clicked.connect(lambda _checked=False: slot())

        self.year_spin.valueChanged.connect(lambda _v: self._year_changed())
        click(self.create_button, self.create_year_scheme)
        click(self.current_button, self.make_current)
        click(self.copy_button, self.copy_version)
        click(self.delete_button, self.delete_version)
        click(self.add_top_button, lambda: self.add_indicator(top=True))
        click(self.add_child_button, lambda: self.add_indicator(top=False))
        click(self.add_rule_button, self.add_rule)
        click(self.add_bonus_button, lambda: self.add_item("bonus"))
        click(self.add_penalty_button, lambda: self.add_item("penalty"))
        click(self.add_veto_button, lambda: self.add_item("veto"))
        click(self.remove_button, self.remove_selected)
        click(self.up_button, lambda: self.move_selected(-1))
        click(self.down_button, lambda: self.move_selected(+1))
        click(self.save_button, self.save)
        click(self.revert_button, self.revert)
        self.version_view.selectionModel().selectionChanged.connect(
            lambda *_: self._version_selected())
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._sync_buttons())
        self.model.schemeEdited.connect(self._edited)
        self.name_edit.textChanged.connect(lambda _t: self._settings_changed())
        for spin in (self.total_spin, self.excellent_spin, self.good_spin, self.passing_spin,
                     self.year_end_spin, self.bonus_cap_spin):
            spin.valueChanged.connect(lambda _v: self._settings_changed())
        self.monthly_pct.valueChanged.connect(lambda _v: self._settings_changed())
        self.method_combo.currentIndexChanged.connect(lambda _i: self._settings_changed())
        self.bonus_cap_auto.toggled.connect(lambda _c: self._settings_changed())

    # ---- loading --------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.year_spin.value()

    @property
    def version(self) -> SchemeVersion | None:
        return self._version

    @property
    def editable(self) -> bool:
        return self.can_manage and self._version is not None and not self._version.in_use

    def refresh(self) -> None:
        """Reload the year's versions; unsaved edits of the version shown are kept."""
        self.can_manage = can(self.ctx.user, PERMISSION)  # the user may have signed in anew
        keep = self._version.id if self._version is not None else None
        self._load_versions(keep, keep_edits=True)

    def _load_versions(self, select_id: int | None, *, keep_edits: bool = False) -> None:
        versions = scoring_ops.schemes(self.ctx, self.year)
        dirty = keep_edits and self.is_dirty()
        self._loading = True
        try:
            self.version_model.set_versions(versions)
            row = self.version_model.row_of_id(select_id)
            if row is None:
                current = [v.id for v in versions if v.current]
                row = self.version_model.row_of_id(current[0] if current else None)
            if row is None and versions:
                row = len(versions) - 1
            if row is not None:
                self.version_view.selectRow(row)
        finally:
            self._loading = False
        self.version_view.resizeColumnsToContents()
        for col in range(self.version_model.columnCount() - 1):
            self.version_view.setColumnWidth(col, self.version_view.columnWidth(col) + 24)
        chosen = self.version_model.version(row) if row is not None else None
        if dirty and chosen is not None and self._version is not None \
                and chosen.id == self._version.id:
            self._version = chosen  # new flags (current, in use); the edits stay
            if chosen.in_use:
                self._show_version(chosen)  # used meanwhile: edits cannot be saved any more
        else:
            self._show_version(chosen)
        self.empty_label.setText(NO_SCHEME_TEXT.format(year=self.year) if not versions else "")
        self.empty_label.setVisible(not versions)
        self._sync_buttons()

    def _show_version(self, version: SchemeVersion | None) -> None:
        self._version = version
        self._loading = True
        try:
            editable = self.editable
            self.model.set_scheme(version.scheme if version else None, editable=editable)
            self.tree.expandAll()
            if version is not None:
                s = version.scheme
                self.name_edit.setText(s.name)
                self.total_spin.setValue(float(s.total))
                w = version.rule.monthly_weight
                method = (METHOD_MONTHLY if w == 1 else METHOD_QUARTERLY if w == 0
                          else METHOD_WEIGHTED)
                self.method_combo.setCurrentIndex(method)
                self.monthly_pct.setValue(int(w * 100) if method == METHOD_WEIGHTED else 80)
                self.excellent_spin.setValue(float(version.grades.excellent))
                self.good_spin.setValue(float(version.grades.good))
                self.passing_spin.setValue(float(version.grades.passing))
                self.year_end_spin.setValue(float(version.year_end_weight))
                self.bonus_cap_auto.setChecked(s.bonus_cap is None)
                self.bonus_cap_spin.setValue(float(s.effective_bonus_cap))
            else:
                self.name_edit.clear()
                self.year_end_spin.setValue(float(DEFAULT_YEAR_END_WEIGHT))
            for w_ in (self.name_edit,):
                w_.setReadOnly(not editable)
            for spin in (self.total_spin, self.excellent_spin, self.good_spin,
                         self.passing_spin, self.year_end_spin, self.bonus_cap_spin,
                         self.monthly_pct):
                spin.setReadOnly(not editable)
                spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows if editable
                                      else QAbstractSpinBox.ButtonSymbols.NoButtons)
            self.method_combo.setEnabled(editable)
            self.bonus_cap_auto.setEnabled(editable)
        finally:
            self._loading = False
        self.saved_label.clear()
        self._update_problems()
        self._sync_buttons()

    # ---- the edited version ---------------------------------------------------------------

    def edited_scheme(self) -> Scheme | None:
        """The tree's scheme with the form's name, total and 加分上限."""
        s = self.model.scheme
        if s is None:
            return None
        cap = None if self.bonus_cap_auto.isChecked() else _dec(self.bonus_cap_spin.value())
        return replace(s, name=self.name_edit.text().strip(), total=_dec(self.total_spin.value()),
                       bonus_cap=cap)

    def edited_rule(self) -> QuarterRule:
        method = self.method_combo.currentIndex()
        if method == METHOD_MONTHLY:
            return QuarterRule(Decimal(1))
        if method == METHOD_QUARTERLY:
            return QuarterRule(Decimal(0))
        return QuarterRule(Decimal(self.monthly_pct.value()) / 100)

    def edited_grades(self) -> GradeThresholds:
        return GradeThresholds(_dec(self.excellent_spin.value()), _dec(self.good_spin.value()),
                               _dec(self.passing_spin.value()))

    def edited_year_end_weight(self) -> Decimal:
        return _dec(self.year_end_spin.value())

    def problems_now(self) -> list[str]:
        scheme = self.edited_scheme()
        if scheme is None:
            return []
        problems = validate_scheme(scheme)
        for build in (self.edited_rule, self.edited_grades):
            try:
                build()
            except ValueError as exc:
                problems.append(str(exc))
        return problems

    def is_dirty(self) -> bool:
        v = self._version
        scheme = self.edited_scheme()
        if v is None or scheme is None or not self.editable:
            return False
        if scheme != v.scheme or self.edited_year_end_weight() != v.year_end_weight:
            return True
        try:
            return self.edited_rule() != v.rule or self.edited_grades() != v.grades
        except ValueError:
            return True

    def _edited(self) -> None:
        self.saved_label.clear()
        self._update_problems()
        self._sync_buttons()

    def _settings_changed(self) -> None:
        if self._loading:
            return
        self.monthly_pct.setEnabled(self.method_combo.currentIndex() == METHOD_WEIGHTED)
        self.bonus_cap_spin.setEnabled(not self.bonus_cap_auto.isChecked())
        scheme = self.edited_scheme()
        if scheme is not None and self.editable:
            self.model.update_scheme(scheme)
        self._edited()

    def _update_problems(self) -> None:
        self.monthly_pct.setEnabled(self.method_combo.currentIndex() == METHOD_WEIGHTED
                                    and self.editable)
        self.bonus_cap_spin.setEnabled(not self.bonus_cap_auto.isChecked() and self.editable)
        try:
            self.rule_label.setText(f"季度得分 = {self.edited_rule().label}")
        except ValueError:
            self.rule_label.clear()
        self.problems.clear()
        scheme = self.edited_scheme()
        if scheme is None:
            self.total_label.clear()
            return
        tops = sum((t.max_points for t in scheme.indicators), Decimal(0))
        self.total_label.setText(
            f"一级指标合计 {points_text(tops)} 分　考核细则总分 {points_text(scheme.total)} 分　"
            f"加分上限 {points_text(scheme.effective_bonus_cap)} 分　"
            f"二级指标 {len(scheme.leaves)} 项")
        problems = self.problems_now()
        for text in problems:
            item = QListWidgetItem(text)
            item.setForeground(Qt.GlobalColor.darkRed)
            self.problems.addItem(item)
        if not problems:
            item = QListWidgetItem(NO_PROBLEMS_TEXT if self.editable else "未发现问题。")
            item.setForeground(Qt.GlobalColor.darkGreen)
            self.problems.addItem(item)

    def problem_texts(self) -> list[str]:
        """What the problems panel lists (for tests and the status of the save button)."""
        return [self.problems.item(i).text() for i in range(self.problems.count())]

    # ---- buttons --------------------------------------------------------------------------

    def _selected_key(self) -> Key | None:
        return self.model.key(self.tree.currentIndex())

    def _sync_buttons(self) -> None:
        v = self._version
        manage = self.can_manage
        self.create_button.setVisible(not self.version_model.versions())
        self.create_button.setEnabled(manage)
        self.current_button.setEnabled(manage and v is not None and not v.current)
        self.copy_button.setEnabled(manage and v is not None)
        self.delete_button.setEnabled(manage and v is not None and not v.in_use and not v.current)
        in_use = v is not None and v.in_use
        self.copy_button.setStyleSheet(HIGHLIGHT_STYLE if in_use and manage else "")
        if v is None:
            note = ""
        elif not manage:
            note = READ_ONLY_NOTE
        elif in_use:
            note = f"第{v.version}版{IN_USE_NOTE}"
        else:
            note = EDIT_NOTE
        self.note_label.setText(note)
        self.note_label.setStyleSheet(BANNER_STYLE if note and note != EDIT_NOTE else NOTE_STYLE)
        self.note_label.setVisible(bool(note))

        editable = self.editable
        key = self._selected_key()
        for b in (self.add_top_button, self.add_bonus_button, self.add_penalty_button,
                  self.add_veto_button):
            b.setEnabled(editable)
        self.add_child_button.setEnabled(editable and self._parent_for_child(key) is not None)
        self.add_rule_button.setEnabled(editable and self._indicator_for_rule(key) is not None)
        movable = editable and key is not None and key[0] != "group"
        self.remove_button.setEnabled(movable)
        index = self.tree.currentIndex()
        self.up_button.setEnabled(movable and index.row() > 0)
        self.down_button.setEnabled(
            movable and index.row() < self.model.rowCount(index.parent()) - 1)
        dirty = self.is_dirty()
        self.save_button.setEnabled(editable and dirty)
        self.revert_button.setEnabled(editable and dirty)

    def _parent_for_child(self, key: Key | None) -> str | None:
        """The 一级 indicator a new 二级 one goes under, from the selected row."""
        if key is None or key[0] not in ("ind", "rule"):
            return None
        return str(key[1]).split(".")[0] if "." in str(key[1]) else str(key[1])

    def _indicator_for_rule(self, key: Key | None) -> str | None:
        """The indicator a new rule goes on: a 二级 one, or a 一级 one without 二级."""
        s = self.model.scheme
        if s is None or key is None or key[0] not in ("ind", "rule"):
            return None
        code = str(key[1])
        return code if s.indicator(code).is_leaf else None

    # ---- tree edits -----------------------------------------------------------------------

    def _commit_editor(self) -> None:
        """Commit a cell still being edited, so a button press never drops what was typed."""
        if self.tree.state() != QAbstractItemView.State.EditingState:
            return
        # The editor is the viewport's child that holds the focus (a spin box's inner line
        # edit has the focus itself, so walk up to the viewport's child).
        editor = QApplication.focusWidget()
        viewport = self.tree.viewport()
        while editor is not None and editor.parentWidget() is not viewport:
            editor = editor.parentWidget()
        if editor is None:
            editors = [w for w in viewport.children()
                       if isinstance(w, (QLineEdit, QAbstractSpinBox)) and w.isVisible()]
            editor = editors[0] if len(editors) == 1 else None
        if editor is not None:
            self.tree.commitData(editor)
            self.tree.closeEditor(editor, PointsDelegate.EndEditHint.NoHint)

    def _apply(self, scheme: Scheme, select: Key | None, *, edit_name: bool = False) -> None:
        """Show the structurally changed ``scheme`` and select (and maybe start editing) a row."""
        self.model.set_scheme(scheme)
        self.tree.expandAll()
        index = self.model.index_of(select)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.selectionModel().select(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.tree.scrollTo(index)
            if edit_name:
                self.tree.edit(self.model.index_of(select, COL_NAME))
        self._edited()

    def _structural(self, edit: Callable[[Scheme], tuple[Scheme, Key | None]],
                    edit_name: bool = False) -> None:
        self._commit_editor()
        scheme = self.edited_scheme()
        if scheme is None or not self.editable:
            return
        result = guard.attempt(self, lambda: edit(scheme))
        if result is not None:
            self._apply(result[0], result[1], edit_name=edit_name)

    def add_indicator(self, *, top: bool) -> None:
        parent = None if top else self._parent_for_child(self._selected_key())
        if not top and parent is None:
            return

        def edit(s: Scheme) -> tuple[Scheme, Key]:
            new, code = scoring.add_indicator(s, parent, "新一级指标" if top else "新二级指标")
            return new, ("ind", code)

        self._structural(edit, edit_name=True)

    def add_rule(self) -> None:
        code = self._indicator_for_rule(self._selected_key())
        if code is None:
            return

        def edit(s: Scheme) -> tuple[Scheme, Key]:
            new, n = scoring.add_rule(s, code)
            return new, ("rule", code, n)

        self._structural(edit, edit_name=True)

    def add_item(self, kind: str) -> None:
        def edit(s: Scheme) -> tuple[Scheme, Key]:
            new, code = scoring.add_item(s, kind)
            return new, ("item", code)

        self._structural(edit, edit_name=True)

    def remove_selected(self) -> None:
        key = self._selected_key()
        if key is None or key[0] == "group":
            return
        index = self.tree.currentIndex()
        label = self.model.index(index.row(), COL_NAME, index.parent()).data()
        if key[0] == "ind" and self.model.rowCount(index.siblingAtColumn(0)) and \
                not messages.confirm(self, f"删除“{label}”及其下的二级指标和扣分规则吗？",
                                     ok="删除"):
            return

        def edit(s: Scheme) -> tuple[Scheme, Key | None]:
            if key[0] == "ind":
                new = scoring.remove_indicator(s, key[1])
            elif key[0] == "rule":
                new = scoring.remove_rule(s, key[1], key[2])
            else:
                new = scoring.remove_item(s, key[1])
            return new, self._neighbour_key(new, index)

        self._structural(edit)

    def _neighbour_key(self, new: Scheme, removed: QModelIndex) -> Key | None:
        """After a removal: the row that took its place, else the one above, else the parent."""
        parent_key = self.model.key(removed.parent())
        siblings = [k for k in self._child_keys(new, parent_key)]
        if siblings:
            return siblings[min(removed.row(), len(siblings) - 1)]
        return parent_key

    @staticmethod
    def _child_keys(s: Scheme, parent: Key | None) -> list[Key]:
        if parent is None:
            return []
        if parent == ("group", GROUP_INDICATORS):
            return [("ind", t.code) for t in s.indicators]
        if parent[0] == "group":
            items = {"bonus": s.bonuses, "penalty": s.penalties, "veto": s.vetoes}[parent[1]]
            return [("item", i.code) for i in items]
        if parent[0] == "ind":
            ind = s.indicator(parent[1])
            return [("ind", c.code) for c in ind.children] + [
                ("rule", ind.code, n) for n in range(len(ind.rules))]
        return []

    def move_selected(self, delta: int) -> None:
        key = self._selected_key()
        if key is None or key[0] == "group":
            return

        def edit(s: Scheme) -> tuple[Scheme, Key]:
            if key[0] == "ind":
                return scoring.move_indicator(s, key[1], delta), key
            if key[0] == "rule":
                new, n = scoring.move_rule(s, key[1], key[2], delta)
                return new, ("rule", key[1], n)
            return scoring.move_item(s, key[1], delta), key

        self._structural(edit)

    # ---- version actions ------------------------------------------------------------------

    def _may_discard(self) -> bool:
        return not self.is_dirty() or messages.confirm(self, DISCARD_TEXT, ok="放弃修改")

    def _year_changed(self) -> None:
        if self.year == self._last_year:
            return
        if not self._may_discard():
            self.year_spin.blockSignals(True)
            self.year_spin.setValue(self._last_year)
            self.year_spin.blockSignals(False)
            return
        self._last_year = self.year
        self._load_versions(None)

    def _version_selected(self) -> None:
        if self._loading:
            return
        rows = self.version_view.selectionModel().selectedRows()
        chosen = self.version_model.version(rows[0].row()) if rows else None
        if chosen is not None and self._version is not None and chosen.id == self._version.id:
            return
        if not self._may_discard():
            self._loading = True
            row = self.version_model.row_of_id(self._version.id if self._version else None)
            if row is not None:
                self.version_view.selectRow(row)
            self._loading = False
            return
        self._show_version(chosen)

    def create_year_scheme(self) -> None:
        created = guard.attempt(self, lambda: scoring_ops.ensure_scheme(self.ctx, self.year))
        if created is not None:
            self._load_versions(created.id)

    def make_current(self) -> None:
        v = self._version
        if v is None:
            return
        done = guard.attempt(self, lambda: scoring_ops.set_current_scheme(self.ctx, v.id))
        if done is not None:
            self._load_versions(v.id, keep_edits=True)

    def copy_version(self) -> None:
        v = self._version
        if v is None or not self._may_discard():
            return
        created = guard.attempt(self, lambda: scoring_ops.copy_scheme(self.ctx, v.id))
        if created is not None:
            self._load_versions(created.id)
            self.saved_label.setText(f"已复制为第{created.version}版，可以修改")

    def delete_version(self) -> None:
        v = self._version
        if v is None:
            return
        if not messages.confirm(self, f"删除《{v.scheme.name}》第{v.version}版吗？删除后不能恢复。",
                                ok="删除"):
            return
        self._version = None  # its edits go with it
        if guard.attempt(self, lambda: scoring_ops.delete_scheme(self.ctx, v.id)) is None:
            self._version = v
        self._load_versions(None if self._version is None else v.id)

    def save(self) -> None:
        self._commit_editor()
        v = self._version
        scheme = self.edited_scheme()
        if v is None or scheme is None or not self.editable:
            return
        try:
            rule, grades = self.edited_rule(), self.edited_grades()
        except ValueError as exc:
            messages.warn(self, str(exc))
            return
        saved = guard.attempt(self, lambda: scoring_ops.save_scheme(
            self.ctx, v.id, scheme, rule=rule, grades=grades,
            year_end_weight=self.edited_year_end_weight()))
        if saved is None:
            return  # the message was shown; the edits stay
        key = self._selected_key()
        self._load_versions(saved.id)
        index = self.model.index_of(key)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        self.saved_label.setText("已保存")

    def revert(self) -> None:
        self._commit_editor()
        if self._version is not None and self._may_discard():
            key = self._selected_key()
            self._show_version(self._version)
            index = self.model.index_of(key)
            if index.isValid():
                self.tree.setCurrentIndex(index)
