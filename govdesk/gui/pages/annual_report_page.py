"""年度报告 (issue 6, item 5): the year's 政府信息公开工作年度报告 on screen — title, statistics
period and the 表三 勾稽关系 status at the top (each problem clickable to find its cell), the six
sections as tabs (一、五、六 editable; 表二/表三/表四 drawn in their official layouts with merged
cells; the figures the office enters), the 成文日期, 保存 and the exports.

The page only shows what operations.annual_report builds (build_report, report_problems,
text_sources) and saves through its operations (save_report_texts, save_report_figures,
save_report_date); exports run off the GUI thread. A report whose 表三 does not balance cannot be
exported as Word/PDF (the operation refuses; the page says so before asking for a file)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.annual_report import (
    SECTION_TITLES,
    AnnualReport,
    Problem,
    draft_overview,
    format_amount,
    table2_grid,
    table3_grid,
    table4_grid,
)
from govdesk.core.drafts import draft_key
from govdesk.core.errors import UserError
from govdesk.gui import messages, ui_state
from govdesk.gui.background import run_with_progress, worker_context
from govdesk.gui.drafts import DraftKeeper, keeping
from govdesk.gui.guard import attempt
from govdesk.gui.models.annual_report_models import (
    ProblemListModel,
    ReportGridModel,
    cell_name,
    table3_refs,
)
from govdesk.operations import annual_report as ops
from govdesk.operations.context import PERMISSION_LABELS, Context, can

PAGE_NAME = "年度报告"
LAST_DIR_KEY = "annual_report"
BALANCED_TEXT = "表三勾稽关系正确"
TAB_LABELS = ("一、总体情况", "二、主动公开", "三、依申请公开", "四、复议诉讼", "五、问题及改进",
              "六、其他事项")
TABLE3_TAB = 2
EXPORT_FORMATS = {
    "docx": ("导出 Word", "Word 文档 (*.docx)"),
    "pdf": ("导出 PDF", "PDF 文件 (*.pdf)"),
    "json": ("导出 JSON", "JSON 文件 (*.json)"),
}
# The figures the office types (operations.annual_report.ReportFigures, less carry_forward which
# is recorded on export): 表二's, then the ones the texts of 一 and 六 use.
TABLE2_FIELDS = ("licensing_decisions", "penalty_decisions", "coercion_decisions", "fee_amount")
OTHER_FIELDS = ("fees_collected", "trainings", "trainees", "accountability")
FIGURE_FIELDS = TABLE2_FIELDS + OTHER_FIELDS

SOURCE_TEXT = {
    "saved": "文本来源：已保存",
    "draft": "文本来源：按本年数据生成的草稿（请核对修改后保存）",
    "last_year": "文本来源：上年度报告的内容——请按本年度情况修改后保存（未修改前不能导出PDF）",
    "empty": "尚未填写（上年度报告没有可沿用的内容），请填写后保存",
}
_SOURCE_STYLE = {
    "saved": "background: #eaf5ea;",
    "draft": "background: #eef3f8;",
    "last_year": "background: #fff4dc;",
    "empty": "background: #fff4dc;",
}
_NOTE_STYLE = "border-radius: 4px; padding: 5px 8px;"
_OK_STYLE = "color: #1b7f3b; font-weight: bold;"
_BAD_STYLE = "color: #b00020; font-weight: bold;"
_ERROR_FIELD = "QLineEdit { border: 1px solid #d32f2f; background: #fff3f3; }"


def default_file_name(year: int, fmt: str) -> str:
    return f"{year}年政府信息公开工作年度报告.{fmt}"


def unbalanced_text(exc: ops.UnbalancedReport) -> str:
    """The refusal as the operation words it, the cells to check, and where to find them."""
    cells: list[str] = []
    for p in exc.problems:
        name = cell_name(p.cell)
        if name not in cells:
            cells.append(name)
    return (exc.message + "\n\n需要核对的单元格：\n" + "\n".join(cells)
            + "\n\n请在页面上方的勾稽关系问题列表中逐项点击，即可定位到表三中的单元格；"
              "表三按依申请公开登记簿统计，请到“依申请公开”中核对有关申请。")


def _figure_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return format_amount(value)  # type: ignore[arg-type]


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold


class GridView(QTableView):
    """A report table in its printed layout: no header sections (the grid carries its own
    headers), merged cells as spans, column widths in the grid's proportions across the width,
    rows as tall as their wrapped text."""

    def __init__(self, model: ReportGridModel, *, fit_height: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._model = model
        self._fit_height = fit_height
        self.horizontalHeader().setVisible(False)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setCornerButtonEnabled(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # A see-through selection: the red of a problem cell still shows under it.
        self.setStyleSheet("QTableView { gridline-color: #9aa3ad; selection-color: black;"
                           " selection-background-color: rgba(40, 90, 200, 70); }")
        self._min_row = self.fontMetrics().height() + 12

    def apply_layout(self) -> None:
        """Set the spans of the model's grid (after set_grid) and size the table."""
        self.clearSpans()
        for row, col, rows, cols in self._model.spans():
            self.setSpan(row, col, rows, cols)
        self.fit()

    def fit(self) -> None:
        grid = self._model.grid()
        if grid is None:
            return
        width = max(self.viewport().width(), 400)
        total = sum(grid.widths)
        used = 0
        for col, share in enumerate(grid.widths):
            w = int(width * share / total) if col < grid.cols - 1 else width - used
            self.setColumnWidth(col, max(w, 36))
            used += w
        # Row heights from the text of the one-row cells; a merged cell only adds height to
        # its last row when its rows together are too short for it (resizeRowsToContents
        # would give the whole height of "（三）\n不予公开" to the group's first row).
        normal, bold = QFontMetrics(self.font()), QFontMetrics(_bold(self.font()))
        heights = [self._min_row] * grid.rows
        flags = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft)
        for cell in sorted(grid.cells, key=lambda c: c.rowspan):
            width = sum(self.columnWidth(c) for c in range(cell.col, cell.col + cell.colspan))
            fm = bold if cell.kind in ("header", "caption") else normal
            need = fm.boundingRect(QRect(0, 0, max(width - 12, 12), 100_000), flags,
                                   "\n".join(cell.lines)).height() + 12
            last = cell.row + cell.rowspan - 1
            have = sum(heights[cell.row:last + 1])
            if need > have:
                heights[last] += need - have
        for row, height in enumerate(heights):
            self.setRowHeight(row, height)
        if self._fit_height:
            height = sum(self.rowHeight(r) for r in range(grid.rows)) + 2 * self.frameWidth()
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit()


class TextSection(QWidget):
    """一、五、六: the section's full title, where its text comes from, and the editor."""

    def __init__(self, title: str, allowed: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(title)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.heading.setFont(font)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.editor = QPlainTextEdit()
        efont = QFont(self.editor.font())
        efont.setPointSizeF(max(efont.pointSizeF(), 10.5))
        self.editor.setFont(efont)
        self.editor.setReadOnly(not allowed)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.source)
        layout.addWidget(self.editor, 1)
        layout.addLayout(self.buttons)
        self.kind = "draft"

    def set_source(self, kind: str, dirty: bool, extra: str = "") -> None:
        self.kind = kind
        text = SOURCE_TEXT[kind] + extra
        if dirty:
            text += "　（有未保存的修改）"
        self.source.setText(text)
        self.source.setStyleSheet(_SOURCE_STYLE[kind] + _NOTE_STYLE)

    def text(self) -> str:
        return self.editor.toPlainText()

    def replace_text(self, text: str) -> None:
        """Replace the whole text as one undoable edit."""
        cursor = self.editor.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    return label


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #666;")
    return label


class AnnualReportPage(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.allowed = can(ctx.user, ops.PERMISSION)
        self.year = ctx.today().year
        self.report: AnnualReport | None = None
        self.problems: list[Problem] = []
        self.sources: dict[str, str] = {}
        self._defaulted = False
        self._loading = False
        self._base_texts: dict[str, str] = {}
        self._base_figures: dict[str, str] = {}
        self._base_date: date | None = None
        self._overview_draft: str | None = None  # set by 重新生成草稿 until saved

        # ---- bar: year, 成文日期, actions
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, ctx.today().year)
        self.year_spin.setValue(self.year)
        self.year_spin.setSuffix(" 年")
        self.year_spin.setMinimumWidth(96)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        self.date_edit.setToolTip("署名下的成文日期，应在报告年度结束之后；未保存时按今天的日期")
        self.save_button = QPushButton("保存")
        self.save_button.setToolTip("保存总体情况、问题及改进、其他事项的文字，填写的数字和成文日期")
        self.export_buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度"))
        bar.addWidget(self.year_spin)
        bar.addSpacing(12)
        bar.addWidget(QLabel("成文日期"))
        bar.addWidget(self.date_edit)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        bar.addSpacing(8)
        for fmt, (label, _f) in EXPORT_FORMATS.items():
            button = QPushButton(label + "…")
            button.clicked.connect(lambda _=False, f=fmt: self.export(f))
            self.export_buttons[fmt] = button
            bar.addWidget(button)
        self.export_buttons["docx"].setToolTip("导出可编辑的 Word 文档（表三勾稽关系不符时不能导出）")
        self.export_buttons["pdf"].setToolTip("按 GB/T 9704 版式导出 PDF，用于打印和公开")
        self.export_buttons["json"].setToolTip("导出全部文字和表格数字（含勾稽关系问题），便于核对")

        # ---- header: title, period, balance status and problems
        self.title_label = QLabel()
        tfont = self.title_label.font()
        tfont.setBold(True)
        tfont.setPointSizeF(tfont.pointSizeF() * 1.35)
        self.title_label.setFont(tfont)
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.period_label = QLabel()
        self.period_label.setStyleSheet("color: #444;")
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.problem_model = ProblemListModel(self)
        self.problem_view = QListView()
        self.problem_view.setModel(self.problem_model)
        self.problem_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problem_view.setWordWrap(True)
        self.problem_view.setCursor(Qt.CursorShape.PointingHandCursor)
        self.problem_view.setStyleSheet("QListView { background: #fff7f7; border: 1px solid "
                                        "#f0c4c4; } QListView::item { padding: 2px; }")
        self.problem_view.clicked.connect(lambda i: self.show_problem(i.row()))
        self.problem_view.activated.connect(lambda i: self.show_problem(i.row()))
        header = QFrame()
        header.setStyleSheet("QFrame#reportHeader { background: #f5f7fa; border-radius: 4px; }")
        header.setObjectName("reportHeader")
        hl = QVBoxLayout(header)
        hl.setContentsMargins(10, 8, 10, 8)
        hl.setSpacing(4)
        hl.addWidget(self.title_label)
        hl.addWidget(self.period_label)
        hl.addWidget(self.status_label)
        hl.addWidget(self.problem_view)
        self.state_note = QLabel()
        self.state_note.setWordWrap(True)
        self.state_note.setStyleSheet("color: #8a5a00;")

        # ---- sections
        self.tabs = QTabWidget()
        self.overview = TextSection(SECTION_TITLES[0], self.allowed)
        self.regenerate_button = QPushButton("重新生成草稿")
        self.regenerate_button.setToolTip("按本年的登记、张贴、审批、考核等数据重新生成总体情况的草稿")
        self.regenerate_button.clicked.connect(self.regenerate_overview)
        self.overview.buttons.addWidget(self.regenerate_button)
        self.tabs.addTab(self.overview, TAB_LABELS[0])

        self.model2 = ReportGridModel(self)
        self.view2 = GridView(self.model2, fit_height=True)
        self.figure_edits: dict[str, QLineEdit] = {}
        self.tabs.addTab(self._table2_tab(), TAB_LABELS[1])

        self.model3 = ReportGridModel(self)
        self.view3 = GridView(self.model3)
        self.table3_status = QLabel()
        self.table3_status.setWordWrap(True)
        t3 = QWidget()
        l3 = QVBoxLayout(t3)
        l3.setContentsMargins(8, 8, 8, 8)
        l3.addWidget(_heading(SECTION_TITLES[2]))
        l3.addWidget(self.table3_status)
        l3.addWidget(self.view3, 1)
        l3.addWidget(_hint("表三按“依申请公开”登记簿自动统计：收到日期在本年的计入“一”，上年收到、"
                           "本年1月1日仍未办结的计入“二”，本年办结的按办理结果计入“三”，"
                           "12月31日仍未办结的计入“四”。数字不对时，请到“依申请公开”核对有关申请。"))
        self.tabs.addTab(t3, TAB_LABELS[2])

        self.model4 = ReportGridModel(self)
        self.view4 = GridView(self.model4, fit_height=True)
        t4 = QWidget()
        l4 = QVBoxLayout(t4)
        l4.setContentsMargins(8, 8, 8, 8)
        l4.addWidget(_heading(SECTION_TITLES[3]))
        l4.addWidget(self.view4)
        l4.addWidget(_hint("表四按申请登记的行政复议、行政诉讼案件统计：本年内处于审理中的案件都计入，"
                           "本年审结的按结果计入，12月31日尚未审结的计入“尚未审结”。"))
        l4.addStretch(1)
        self.tabs.addTab(t4, TAB_LABELS[3])

        self.problems_text = TextSection(SECTION_TITLES[4], self.allowed)
        self.problems_text.editor.setPlaceholderText(
            "写本年度政府信息公开工作存在的主要问题，以及上年度问题的改进情况和下一步的改进措施。")
        self.tabs.addTab(self.problems_text, TAB_LABELS[4])
        self.other_text = TextSection(SECTION_TITLES[5], self.allowed)
        self.other_text.layout().insertWidget(  # type: ignore[union-attr]
            3, _hint("未修改时按“二、主动公开”页填写的实际收取信息处理费金额生成。"))
        self.tabs.addTab(self.other_text, TAB_LABELS[5])
        self.sections = {"overview": self.overview, "problems": self.problems_text,
                         "other": self.other_text}

        root = QVBoxLayout(self)
        root.setContentsMargins(8, 8, 8, 8)
        root.addLayout(bar)
        root.addWidget(header)
        root.addWidget(self.state_note)
        self._marker_slot = root.count()
        root.addWidget(self.tabs, 1)
        # B9: the texts, figures and 成文日期 typed here are kept as a draft of the year's
        # report (autosaved; written at once when a save fails; offered back on the next load).
        self._offered: set[int] = set()
        self.drafts = DraftKeeper(
            self, ctx, draft_key("annual_report", self.year), collect=self._draft_fields,
            apply=self._apply_draft, label=lambda _f: f"{self.year}年度报告", existing=True,
            enabled=self.allowed)
        root.insertWidget(self._marker_slot, self.drafts.marker)
        self.drafts.watch([*(s.editor for s in self.sections.values()),
                           *self.figure_edits.values(), self.date_edit])

        for section in self.sections.values():
            section.editor.textChanged.connect(self._update_state)
        for edit in self.figure_edits.values():
            edit.textChanged.connect(self._update_state)
        self.date_edit.dateChanged.connect(self._update_state)
        self.year_spin.valueChanged.connect(self._year_changed)
        self.save_button.clicked.connect(self.save)
        self._apply_permission()
        # The main window refreshes a page when it is shown again, not when it is built.
        self.refresh()

    def _table2_tab(self) -> QWidget:
        form_box = QGroupBox("办公室填写的数字")
        form = QFormLayout(form_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in FIGURE_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setReadOnly(not self.allowed)
            edit.setMaximumWidth(160)
            if name in ("trainings", "trainees", "accountability"):
                edit.setPlaceholderText("不填则草稿不写")
            self.figure_edits[name] = edit
            if name == OTHER_FIELDS[0]:
                form.addRow(_hint("以下数字不进表二：信息处理费写入“六、其他需要报告的事项”，"
                                  "培训和责任追究写入“一、总体情况”的草稿。"))
            form.addRow(ops.FIGURE_LABELS[name], edit)
        form.addRow(_hint("件数填不小于0的整数；收费金额单位为万元，最多4位小数。填好后点上方“保存”。"))
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(_heading(SECTION_TITLES[1]))
        row = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.view2)
        left.addWidget(_hint("规章、行政规范性文件的件数来自“信息登记”（乡镇人民政府不制定规章）；"
                             "行政许可、行政处罚、行政强制和行政事业性收费按右侧填写的数字。"))
        left.addStretch(1)
        row.addLayout(left, 3)
        row.addWidget(form_box, 2, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row, 1)
        return tab

    def _apply_permission(self) -> None:
        self.date_edit.setEnabled(self.allowed)
        if self.allowed:
            return
        why = f"当前账号只能查看年度报告（编写和导出需要“{PERMISSION_LABELS[ops.PERMISSION]}”权限）"
        for b in (self.save_button, self.regenerate_button, *self.export_buttons.values()):
            b.setEnabled(False)
            b.setToolTip(why)

    # ---- year ---------------------------------------------------------------------------------

    def default_year(self) -> int:
        """Last year when it has anything to report (the report is written early in the next
        year), else this year."""
        last = self.ctx.today().year - 1
        table3 = ops.table3_of(self.ctx, last)
        has = (any(table3.row("NEW")) or any(table3.row("CARRIED"))
               or any(ops.table4_of(self.ctx, last).numbers())
               or "saved" in ops.text_sources(self.ctx, last).values())
        return last if has else last + 1

    def refresh(self) -> None:
        if not self._defaulted:
            self._defaulted = True
            self.set_year(self.default_year())
        elif self.is_dirty():
            self._load(keep_edits=True)  # registers may have changed; the edits stay
        else:
            self._load()

    def set_year(self, year: int) -> None:
        self._defaulted = True
        self.year_spin.blockSignals(True)
        self.year_spin.setValue(year)
        self.year_spin.blockSignals(False)
        self.year = year
        self._load()

    def _year_changed(self, year: int) -> None:
        if year == self.year:
            return
        if self.is_dirty() and not messages.confirm(
                self, f"{self.year}年度报告有未保存的修改，切换年度后这些修改将丢失。确定切换吗？",
                ok="不保存，切换"):
            self.year_spin.blockSignals(True)
            self.year_spin.setValue(self.year)
            self.year_spin.blockSignals(False)
            return
        self.drafts.discard()  # the edits of the year left were thrown away on purpose
        self.set_year(year)

    # ---- loading ------------------------------------------------------------------------------

    def _load(self, keep_edits: bool = False) -> None:
        year = self.year
        try:
            report = ops.build_report(self.ctx, year)
            problems = ops.report_problems(self.ctx, year)
            sources = ops.text_sources(self.ctx, year)
            figures = ops.report_figures(self.ctx, year)
        except UserError as exc:
            self._show_unavailable(exc.message)
            return
        self.report, self.problems = report, problems
        self.title_label.setText(report.title)
        self.period_label.setText(report.period_line)
        self._load_tables(report, problems)
        if not keep_edits:
            self._loading = True
            self.sources = sources
            self._overview_draft = None
            for i, (name, section) in enumerate(self.sections.items()):
                text = report.texts[(0, 4, 5)[i]]
                section.editor.setPlainText(text)
                section.editor.document().clearUndoRedoStacks()
                self._base_texts[name] = section.text()
            self._base_figures = {name: _figure_text(getattr(figures, name))
                                  for name in FIGURE_FIELDS}
            for name, edit in self.figure_edits.items():
                edit.setText(self._base_figures[name])
                edit.setStyleSheet("")
            self._base_date = report.dated
            if report.dated is not None:
                self.date_edit.setDate(QDate(report.dated.year, report.dated.month,
                                             report.dated.day))
            self._loading = False
            self._follow_year_drafts(year)
        self._set_enabled(True)
        self._update_state()

    # ---- drafts (B9) --------------------------------------------------------------------------

    def _follow_year_drafts(self, year: int) -> None:
        """The page now shows ``year`` as saved: that is the keeper's base; a draft of that year
        left by a failed save or a crash is offered once per session."""
        keeper = getattr(self, "drafts", None)
        if keeper is None:
            return  # still being built: __init__ creates the keeper after the first load
        keeper.timer.stop()
        keeper.key = draft_key("annual_report", year)
        keeper.failed = keeper.restored = False
        keeper.marker.setVisible(False)
        keeper.rebase()
        if year not in self._offered:
            self._offered.add(year)
            if keeper.offer():
                self._update_state()

    def _draft_fields(self) -> dict[str, object]:
        return {"texts": {name: s.text() for name, s in self.sections.items()},
                "figures": {name: e.text() for name, e in self.figure_edits.items()},
                "date": self._date().isoformat()}

    def _apply_draft(self, fields: dict) -> None:
        for name, text in fields["texts"].items():
            if name in self.sections:
                self.sections[name].replace_text(str(text))
        for name, text in fields["figures"].items():
            if name in self.figure_edits:
                self.figure_edits[name].setText(str(text))
        d = date.fromisoformat(fields["date"])
        self.date_edit.setDate(QDate(d.year, d.month, d.day))

    def _load_tables(self, report: AnnualReport, problems: list[Problem]) -> None:
        self.model2.set_grid(table2_grid(report.table2))
        grid3 = table3_grid(report.table3)
        self.model3.set_grid(grid3, table3_refs(grid3))
        self.model3.set_problems(problems)
        self.model4.set_grid(table4_grid(report.table4))
        for view in (self.view2, self.view3, self.view4):
            view.apply_layout()
        self.problem_model.set_problems(problems)
        self.problem_view.setVisible(bool(problems))
        if problems:
            rows = self.problem_view.sizeHintForRow(0) * min(len(problems), 5)
            self.problem_view.setFixedHeight(rows + 2 * self.problem_view.frameWidth() + 6)
        if problems:
            text = (f"表三勾稽关系有{len(problems)}处不符，不能导出正式报告（Word/PDF）。"
                    "点击下面的问题可定位到表三中的单元格：")
            style = _BAD_STYLE
        else:
            text, style = BALANCED_TEXT, _OK_STYLE
        for label in (self.status_label, self.table3_status):
            label.setText(text if label is self.status_label or not problems
                          else f"表三勾稽关系有{len(problems)}处不符，标红的单元格需要核对"
                               "（鼠标停在单元格上可看到原因）。")
            label.setStyleSheet(style)

    def _show_unavailable(self, message: str) -> None:
        self.report = None
        self.problems = []
        self.title_label.setText(f"{self.year}年政府信息公开工作年度报告")
        self.period_label.setText("")
        self.status_label.setText(message)
        self.status_label.setStyleSheet(_BAD_STYLE)
        self.problem_view.setVisible(False)
        self._set_enabled(False)

    def _set_enabled(self, on: bool) -> None:
        self.tabs.setEnabled(on)
        writable = on and self.allowed
        for b in (self.save_button, self.regenerate_button, *self.export_buttons.values()):
            b.setEnabled(writable)
        self.date_edit.setEnabled(writable)

    # ---- state --------------------------------------------------------------------------------

    def _date(self) -> date:
        d = self.date_edit.date()
        return date(d.year(), d.month(), d.day())

    def _dirty_parts(self) -> dict[str, bool]:
        if self.report is None:
            return {}
        return {
            **{name: s.text() != self._base_texts.get(name, "")
               for name, s in self.sections.items()},
            "figures": any(e.text().strip() != self._base_figures.get(n, "")
                           for n, e in self.figure_edits.items()),
            "date": self._base_date is not None and self._date() != self._base_date,
        }

    def is_dirty(self) -> bool:
        return any(self._dirty_parts().values())

    def unsaved_work(self) -> list[str]:
        """Asked by the main window before it closes."""
        return [PAGE_NAME] if self.is_dirty() else []

    def _update_state(self, *_: object) -> None:
        if self._loading or self.report is None:
            return
        dirty = self._dirty_parts()
        for name, section in self.sections.items():
            kind = self.sources.get(name, "draft")
            extra = ""
            if name == "overview" and self._overview_draft is not None:
                kind, extra = "draft", "，已重新生成，保存后生效"
            elif kind == "draft" and not self._base_texts.get(name, "").strip():
                kind = "empty"  # no draft to offer (五 without last year's text)
            section.set_source(kind, dirty[name], extra)
        notes = []
        if not self.allowed:
            notes.append("当前账号只能查看年度报告（编写、保存和导出需要“"
                         f"{PERMISSION_LABELS[ops.PERMISSION]}”权限）。")
        if any(dirty.values()):
            notes.append("有未保存的修改，点“保存”后生效。")
        self.state_note.setText("".join(notes))
        self.state_note.setVisible(bool(notes))

    # ---- problems -----------------------------------------------------------------------------

    def show_problem(self, row: int) -> None:
        """Show 表三 with the problem's cells darkened and its first cell selected."""
        problem = self.problem_model.problem(row)
        if problem is None:
            return
        self.tabs.setCurrentIndex(TABLE3_TAB)
        self.model3.set_focus(problem)
        index = self.model3.index_of(problem.cell)
        if index.isValid():
            self.view3.setCurrentIndex(index)
            self.view3.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
            self.view3.setFocus()

    def selected_table3_cell(self) -> QModelIndex:
        return self.view3.currentIndex()

    # ---- editing ------------------------------------------------------------------------------

    def regenerate_overview(self) -> None:
        if not messages.confirm(self, "按本年数据重新生成“一、总体情况”的草稿？编辑框中现有的文字将被"
                                      "替换（可撤销），保存后才生效。", ok="重新生成"):
            return
        year = self.year

        def draft() -> str:
            return draft_overview(year, ops.overview_figures(self.ctx, year))

        text = attempt(self, draft)
        if text is None:
            return
        self._overview_draft = text
        self.overview.replace_text(text)
        self._update_state()

    def _figure_values(self) -> dict[str, str]:
        return {n: e.text().strip() for n, e in self.figure_edits.items()}

    def _mark_figure_errors(self) -> None:
        for name, edit in self.figure_edits.items():
            try:
                ops.parse_figures({name: edit.text().strip()})
            except UserError:
                edit.setStyleSheet(_ERROR_FIELD)
            else:
                edit.setStyleSheet("")

    def save(self, *, quiet: bool = False) -> bool:
        """Save what changed — figures, then texts, then the 成文日期 — each through its
        operation. The figures are checked first, so a wrong number saves nothing; on any
        error the message is shown and the edits stay on screen."""
        if self.report is None or not self.allowed:
            return False
        year = self.year
        dirty = self._dirty_parts()
        if not any(dirty.values()):
            if not quiet:
                messages.info(self, "没有需要保存的修改。")
            return True
        values = self._figure_values()
        if dirty["figures"]:
            self._mark_figure_errors()
            if attempt(self, lambda: keeping(self.drafts,
                                             lambda: ops.parse_figures(values))) is None:
                self.tabs.setCurrentIndex(1)
                return False
            if attempt(self, lambda: keeping(
                    self.drafts, lambda: ops.save_report_figures(self.ctx, year, values))) is None:
                return False
        texts: dict[str, str] = {}
        for name, section in self.sections.items():
            if not dirty[name]:
                continue
            text = section.text()
            if name == "overview" and self._overview_draft is not None \
                    and text.strip() == self._overview_draft.strip():
                text = ""  # the regenerated draft unchanged: keep following the year's data
            texts[name] = text
        if texts and attempt(self, lambda: keeping(
                self.drafts, lambda: ops.save_report_texts(self.ctx, year, **texts) or True)
                ) is None:
            return False
        if dirty["date"]:
            dated = self._date()
            if attempt(self, lambda: keeping(
                    self.drafts, lambda: ops.save_report_date(self.ctx, year, dated) or True)
                    ) is None:
                return False
        self._load()
        self.drafts.saved()
        if not quiet:
            messages.info(self, f"{year}年度报告已保存。")
        return True

    # ---- export -------------------------------------------------------------------------------

    def _choose_path(self, fmt: str) -> Path | None:
        title, filters = EXPORT_FORMATS[fmt]
        folder = ui_state.last_dir(LAST_DIR_KEY)
        name = default_file_name(self.year, fmt)
        start = str(Path(folder) / name) if folder else name
        chosen, _selected = QFileDialog.getSaveFileName(self, f"{title}（{self.year}年度报告）",
                                                        start, filters)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
        return path

    def _show_unbalanced(self, exc: ops.UnbalancedReport) -> None:
        messages.warn(self, unbalanced_text(exc), "表三勾稽关系不符")
        if exc.problems:
            self.show_problem(0)

    def export(self, fmt: str) -> ops.ExportResult | None:
        if self.report is None or not self.allowed:
            return None
        year = self.year
        if fmt != "json" and self.problems:
            # The operation would refuse too; say so before asking for a file.
            self._show_unbalanced(ops.UnbalancedReport(year, self.problems))
            return None
        if self.is_dirty():
            if not messages.confirm(self, "年度报告有未保存的修改。导出前先保存这些修改吗？",
                                    ok="保存并导出"):
                return None
            if not self.save(quiet=True):
                return None
        path = self._choose_path(fmt)
        if path is None:
            return None
        ctx = self.ctx

        def work() -> ops.ExportResult:
            worker = worker_context(ctx)
            try:
                return ops.export_annual_report(worker, year, path)
            finally:
                worker.db.close()

        try:
            result = run_with_progress(self, f"正在导出{year}年度报告……", work,
                                       raise_user_errors=True)
        except ops.UnbalancedReport as exc:
            self._load()
            self._show_unbalanced(exc)
            return None
        except UserError as exc:
            messages.warn(self, exc.message)
            return None
        if result is None:
            return None
        ui_state.set_last_dir(LAST_DIR_KEY, str(path.parent))
        text = f"已导出{year}年度报告到：\n{path}"
        if result.pages:
            text += f"\n（共{result.pages}页）"
        if result.problems:
            text += f"\n文件中列出了表三勾稽关系的{len(result.problems)}处问题。"
        messages.info(self, text)
        self._load()
        return result
