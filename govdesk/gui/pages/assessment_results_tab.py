"""季度考核 and 年度汇总 (issue 5, items 3–7): the quarter's ranking with 并列 and 等次, the
drill-down that explains every lost point, the quarter's 加分/扣分 items, the charts of the
printed 通报, the 汇总表 export and the 通报 editor; and the year's table (four quarters, the
year score and its year-end points) with its trend chart.

The tab only shows what operations.scoring computes (quarter_view, explain_community,
year_view); every number is rounded for display only. A quarter or a year without checks says
so and points to the 月抽查 tab: no button leads to an error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.bulletin import CN_QUARTER, quarter_label
from govdesk.core.scoring import AdjustmentKind, Grade, QuarterResult, competition_ranks
from govdesk.gui import messages, ui_state
from govdesk.gui.background import run_with_progress, worker_context
from govdesk.gui.chart_view import ChartPage, ChartView, ranking_chart, trend_chart
from govdesk.gui.guard import attempt
from govdesk.gui.models.assessment_models import (
    AdjustmentModel,
    LostPointModel,
    RankingModel,
    YearModel,
    points_text,
    two_decimals,
)
from govdesk.gui.widgets import data_table, select_row
from govdesk.operations import scoring
from govdesk.operations.context import Context, can
from govdesk.operations.scoring import QuarterView, YearView

LAST_DIR_KEY = "assessment"
MONTH_TAB_TITLE = "月抽查"
EXPORT_FILTERS = "Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv);;PDF 文件 (*.pdf)"
_SUMMARY_STYLE = "background: #f5f7fa; border-radius: 4px; padding: 8px 10px;"


def quarter_empty_text(year: int, quarter: int) -> str:
    return (f"{quarter_label(year, quarter)}：本季度还没有检查记录，请先在“{MONTH_TAB_TITLE}”中录入"
            "每月的抽查结果，录入后这里会显示排名、等次和扣分明细。")


def year_empty_text(year: int) -> str:
    return (f"{year}年：本年度还没有检查记录，请先在“{MONTH_TAB_TITLE}”中录入每月的抽查结果，"
            "有了季度考核结果后这里会汇总全年得分。")


def grade_summary(period: str, results: Sequence[QuarterResult]) -> str:
    """"2025年第三季度共8个社区（村）参加考核：优秀3个、良好4个、合格1个"."""
    counts = scoring.grade_counts(results)
    parts = "、".join(f"{g.value}{counts[g.value]}个" for g in Grade if counts.get(g.value))
    return f"{period}共{len(results)}个社区（村）参加考核：{parts}"


def _axis_max(values: Sequence[Decimal]) -> Decimal:
    # As core.bulletin: 0–100, or up to the next ten when bonuses pass 100.
    top = max(values, default=Decimal(0))
    return Decimal(100) if top <= 100 else Decimal((int(top) // 10 + 1) * 10)


def _month_tab_of(widget: QWidget) -> tuple[QTabWidget, int] | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QTabWidget):
            for i in range(parent.count()):
                if parent.tabText(i) == MONTH_TAB_TITLE:
                    return parent, i
        parent = parent.parentWidget()
    return None


class EmptyState(QFrame):
    """The message shown instead of a table, with the way out: 转到“月抽查”."""

    go_to_month = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.label.setFont(font)
        self.label.setStyleSheet("color: #555;")
        self.button = QPushButton(f"转到“{MONTH_TAB_TITLE}”")
        self.button.clicked.connect(self._go)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addSpacing(8)
        layout.addLayout(row)
        layout.addStretch(2)

    def set_text(self, text: str) -> None:
        self.label.setText(text)
        self.button.setVisible(_month_tab_of(self) is not None)

    def _go(self) -> None:
        self.go_to_month.emit()
        found = _month_tab_of(self)
        if found is not None:
            found[0].setCurrentIndex(found[1])


def _choose_save_path(parent: QWidget, title: str, suggested: str) -> Path | None:
    """Ask where to save (the folder last used is offered); the extension picks the format, and
    a name without one gets the chosen filter's."""
    folder = ui_state.last_dir(LAST_DIR_KEY)
    start = str(Path(folder) / suggested) if folder else suggested
    chosen, selected = QFileDialog.getSaveFileName(parent, title, start, EXPORT_FILTERS)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() not in scoring.EXPORT_SUFFIXES:
        suffix = next((s for s in scoring.EXPORT_SUFFIXES if s in (selected or "")), ".xlsx")
        path = path.with_name(path.name + suffix)
    return path


def _export(parent: QWidget, ctx: Context, label: str, job: Callable[[Context], int],
            path: Path, what: str) -> int | None:
    def work() -> int:
        worker = worker_context(ctx)
        try:
            return job(worker)
        finally:
            worker.db.close()

    rows = run_with_progress(parent, label, work)
    if rows is None:
        return None
    ui_state.set_last_dir(LAST_DIR_KEY, str(path.parent))
    messages.info(parent, f"已导出{what}（{rows}个社区（村））到：\n{path}")
    return rows


def _scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def _results_area(table: QWidget, below: QWidget
                  ) -> tuple[QSplitter, EmptyState, QStackedWidget]:
    """The results table over its details, in a stack whose other page is the empty state."""
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(table)
    splitter.addWidget(below)
    splitter.setStretchFactor(0, 0)  # the table keeps its rows' height (_fit_table)
    splitter.setStretchFactor(1, 1)
    splitter.setChildrenCollapsible(False)
    empty = EmptyState()
    stack = QStackedWidget()
    stack.addWidget(empty)
    stack.addWidget(splitter)
    return splitter, empty, stack


def _fit_table(splitter: QSplitter, view: QTableView, rows: int, share: float) -> None:
    """Give the table of a vertical splitter the height of its rows (at most ``share`` of the
    splitter), the rest to the panel below: no scrolling through eight rows while the panel
    under them is half empty."""
    # Before the first show the splitter has no real height yet: size for a typical window;
    # the stretch factors (table 0, panel 1) then give any extra height to the panel.
    total = splitter.height() if splitter.isVisible() and splitter.height() > 100 else 600
    need = (view.horizontalHeader().sizeHint().height()
            + view.verticalHeader().defaultSectionSize() * max(rows, 3) + 2 * view.frameWidth()
            + (view.horizontalScrollBar().sizeHint().height()
               if view.horizontalScrollBar().isVisible() else 0) + 2)
    top = min(need, int(total * share))
    splitter.setSizes([top, max(total - top, 100)])


def _year_spin(ctx: Context) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(2000, ctx.today().year + 1)
    spin.setValue(ctx.today().year)
    spin.setSuffix(" 年")
    spin.setMinimumWidth(96)
    return spin


# =========================================================================== 季度考核


class ResultsTab(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: QuarterView | None = None
        self._defaulted = False
        self._charts_stale = True
        self._sized = False
        self.allowed = can(ctx.user, scoring.PERMISSION)

        # ---- period and actions
        self.year_spin = _year_spin(ctx)
        self.quarter_combo = QComboBox()
        for i in range(1, 5):
            self.quarter_combo.addItem(f"第{CN_QUARTER[i - 1]}季度", i)
        self.quarter_combo.setCurrentIndex((ctx.today().month - 1) // 3)
        self.export_button = QPushButton("导出汇总表…")
        self.export_button.setToolTip("导出本季度考核汇总表：按文件扩展名保存为 Excel、CSV 或 PDF")
        self.bulletin_button = QPushButton("通报…")
        self.bulletin_button.setToolTip("查看、修改并打印本季度考核情况的通报（含排名图和趋势图）")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度"))
        bar.addWidget(self.year_spin)
        bar.addSpacing(8)
        bar.addWidget(QLabel("季度"))
        bar.addWidget(self.quarter_combo)
        bar.addStretch(1)
        # Only offices whose quarter rule mixes in a separate 季度检查 see this button.
        self.quarterly_button = QPushButton("季度检查…")
        self.quarterly_button.setToolTip("录入（或重新录入）一个社区（村）本季度的季度检查")
        self.quarterly_button.clicked.connect(self.enter_quarterly_check)
        self.quarterly_button.setVisible(False)
        bar.addWidget(self.quarterly_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.bulletin_button)

        self.scheme_label = QLabel()
        self.scheme_label.setWordWrap(True)
        self.scheme_label.setStyleSheet("color: #555;")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setStyleSheet(_SUMMARY_STYLE + " font-size: 11pt;")

        # ---- ranking
        self.ranking_model = RankingModel(self)
        self.ranking_view = data_table(self.ranking_model)
        self.ranking_view.setMinimumHeight(120)

        # ---- drill-down
        self.lost_model = LostPointModel(self)
        self.lost_view = data_table(self.lost_model)
        self.lost_title = QLabel()
        font = self.lost_title.font()
        font.setBold(True)
        self.lost_title.setFont(font)
        self.reconcile = QLabel()
        self.reconcile.setWordWrap(True)
        self.reconcile.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reconcile.setStyleSheet(_SUMMARY_STYLE)
        drill = QWidget()
        dl = QVBoxLayout(drill)
        dl.setContentsMargins(6, 6, 6, 6)
        dl.addWidget(self.lost_title)
        dl.addWidget(self.reconcile)
        dl.addWidget(self.lost_view, 1)

        # ---- 加分/扣分
        self.adjust_model = AdjustmentModel(self)
        self.adjust_view = data_table(self.adjust_model)
        self.adjust_community = QComboBox()
        self.adjust_community.setMinimumWidth(110)
        self.adjust_item = QComboBox()
        self.adjust_item.setMinimumWidth(170)
        self.adjust_reason = QLineEdit()
        self.adjust_reason.setPlaceholderText("理由，如：县政府办2025年8月通报表彰")
        self.add_button = QPushButton("添加")
        self.remove_button = QPushButton("删除所选")
        self.adjust_note = QLabel()
        self.adjust_note.setWordWrap(True)
        self.adjust_note.setStyleSheet("color: #666;")
        form = QHBoxLayout()
        form.addWidget(QLabel("社区（村）"))
        form.addWidget(self.adjust_community)
        form.addWidget(QLabel("项目"))
        form.addWidget(self.adjust_item)
        form.addWidget(self.adjust_reason, 1)
        form.addWidget(self.add_button)
        form.addSpacing(12)
        form.addWidget(self.remove_button)
        adjust = QWidget()
        al = QVBoxLayout(adjust)
        al.setContentsMargins(6, 6, 6, 6)
        al.addLayout(form)
        al.addWidget(self.adjust_note)
        al.addWidget(self.adjust_view, 1)
        for w in (self.adjust_community, self.adjust_item, self.adjust_reason, self.add_button,
                  self.remove_button):
            w.setEnabled(self.allowed)
        if not self.allowed:
            self.adjust_note.setText("当前账号只能查看加分、扣分项（修改需要“录入考核检查和修改考核细则”权限）。")

        # ---- charts
        self.chart_view = ChartView()

        self.details = QTabWidget()
        self.details.addTab(drill, "扣分明细")
        self.details.addTab(adjust, "加分/扣分")
        self.details.addTab(_scroll(self.chart_view), "统计图")
        self.chart_index = 2

        self.splitter, self.empty, self.stack = _results_area(self.ranking_view, self.details)

        root = QVBoxLayout(self)
        root.setContentsMargins(8, 8, 8, 8)
        root.addLayout(bar)
        root.addWidget(self.scheme_label)
        root.addWidget(self.summary)
        root.addWidget(self.stack, 1)

        self.year_spin.valueChanged.connect(self._period_changed)
        self.quarter_combo.currentIndexChanged.connect(self._period_changed)
        self.ranking_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.adjust_view.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons())
        self.details.currentChanged.connect(lambda _i: self._maybe_load_charts())
        self.add_button.clicked.connect(self.add_adjustment)
        self.remove_button.clicked.connect(self.remove_adjustment)
        self.export_button.clicked.connect(self.export)
        self.bulletin_button.clicked.connect(self.open_bulletin)
        self._update_buttons()

    # ---- period -------------------------------------------------------------------------------

    def period(self) -> tuple[int, int]:
        return self.year_spin.value(), int(self.quarter_combo.currentData())

    def set_period(self, year: int, quarter: int) -> None:
        self._defaulted = True
        for w in (self.year_spin, self.quarter_combo):
            w.blockSignals(True)
        self.year_spin.setValue(year)
        self.quarter_combo.setCurrentIndex(quarter - 1)
        for w in (self.year_spin, self.quarter_combo):
            w.blockSignals(False)
        self.load()

    def _default_period(self) -> tuple[int, int]:
        """The latest quarter with checks (looking back two years), else today's quarter."""
        today = self.ctx.today()
        year, quarter = today.year, (today.month - 1) // 3 + 1
        y, q = year, quarter
        for _ in range(8):
            if scoring.quarter_view(self.ctx, y, q).scheme is not None:
                return y, q
            y, q = (y, q - 1) if q > 1 else (y - 1, 4)
        return year, quarter

    def _period_changed(self, *_: object) -> None:
        self._defaulted = True
        self.load()

    def refresh(self) -> None:
        if not self._defaulted:
            self.set_period(*self._default_period())
        else:
            self.load()

    # ---- loading ------------------------------------------------------------------------------

    def selected_community(self) -> int | None:
        rows = self.ranking_view.selectionModel().selectedRows()
        result = self.ranking_model.result(rows[0].row()) if rows else None
        return result.score.community_id if result else None

    def load(self) -> None:
        year, quarter = self.period()
        keep = self.selected_community()
        view = scoring.quarter_view(self.ctx, year, quarter)
        self.view = view
        self._charts_stale = True
        rule_scheme = scoring.quarter_scheme(self.ctx, year, quarter)
        self.quarterly_button.setVisible(
            rule_scheme is not None and rule_scheme.rule.monthly_weight < 1)
        self.quarterly_button.setEnabled(self.allowed)
        scheme = view.scheme
        self.ranking_model.set_results(scheme.scheme if scheme else None, view.results)
        self.summary.setVisible(scheme is not None)
        self.scheme_label.setVisible(scheme is not None)
        if scheme is None or not view.results:
            self.scheme_label.setText("")
            self.summary.setText("")
            self.empty.set_text(quarter_empty_text(year, quarter))
            self.stack.setCurrentWidget(self.empty)
            self.lost_model.set_lines(())
            self.adjust_model.set_adjustments((), {}, None)
            self.chart_view.set_charts((), empty_text="本季度还没有检查记录，无法绘制统计图。")
            self._update_buttons()
            return
        g = scheme.grades
        self.scheme_label.setText(
            f"考核细则：{scheme.label}　计分方式：{scheme.rule.label}　"
            f"等次：优秀≥{points_text(g.excellent)}分、良好≥{points_text(g.good)}分、"
            f"合格≥{points_text(g.passing)}分")
        months = sorted({c.month for c in view.checks})
        self.summary.setText(grade_summary(view.period, view.results)
                             + f"（已检查{'、'.join(f'{m}月' for m in months)}）")
        self.stack.setCurrentIndex(1)
        header = self.ranking_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._load_adjustments()
        if not self._sized:
            self._sized = True
            _fit_table(self.splitter, self.ranking_view, len(view.results), 0.55)
        row = self.ranking_model.row_of(keep) if keep is not None else None
        select_row(self.ranking_view, 0 if row is None else row)
        self._show_drill_down()
        self._maybe_load_charts()
        self._update_buttons()

    def _names(self) -> dict[int, str]:
        assert self.view is not None
        return {r.score.community_id: r.score.name for r in self.view.results}

    def _load_adjustments(self) -> None:
        view = self.view
        assert view is not None and view.scheme is not None
        year, quarter = view.year, view.quarter
        self.adjust_model.set_adjustments(scoring.adjustments(self.ctx, year, quarter),
                                          self._names(), view.scheme.scheme)
        self.adjust_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.adjust_view.horizontalHeader().setStretchLastSection(True)
        keep_c = self.adjust_community.currentData()
        keep_i = self.adjust_item.currentData()
        self.adjust_community.clear()
        for r in sorted(view.results, key=lambda r: r.score.name):
            self.adjust_community.addItem(r.score.name, r.score.community_id)
        self.adjust_item.clear()
        scheme = view.scheme.scheme
        for code, name, kind in scoring.bonus_items(view.scheme):
            sign = "+" if kind is AdjustmentKind.BONUS else "−"
            points = points_text(scheme.adjustment_item(code).points)
            self.adjust_item.addItem(f"{kind.value}：{name}（{sign}{points}分）", code)
        for combo, keep in ((self.adjust_community, keep_c), (self.adjust_item, keep_i)):
            i = combo.findData(keep)
            if i >= 0:
                combo.setCurrentIndex(i)
        if self.allowed:
            cap = scheme.effective_bonus_cap
            self.adjust_note.setText(
                f"加分、扣分计在100分之外，加分合计最多{points_text(cap)}分；总分不低于0分。"
                if scheme.bonuses else "本考核细则没有加分项。")

    # ---- drill-down ---------------------------------------------------------------------------

    def _selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        self._show_drill_down()

    def _show_drill_down(self) -> None:
        view = self.view
        cid = self.selected_community()
        result = view.result_of(cid) if view is not None and cid is not None else None
        if view is None or view.scheme is None or result is None:
            self.lost_model.set_lines(())
            self.lost_title.setText("在上表中选择一个社区（村），查看每一处扣分。")
            self.reconcile.setText("")
            return
        lines = scoring.explain_community(self.ctx, view, result.score.community_id)
        self.lost_model.set_lines(lines)
        header = self.lost_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        s = result.score
        self.lost_title.setText(f"{s.name}　{view.period}扣分明细（第{result.rank}名，"
                                f"{result.grade.value}）")
        self.reconcile.setText(self.reconcile_text(result, lines))

    def reconcile_text(self, result: QuarterResult, lines: Sequence) -> str:
        """满分 − Σ 失分 = 基础得分, ＋ 加分 − 扣分 = 总分, in the words of the table."""
        assert self.view is not None and self.view.scheme is not None
        s = result.score
        total = self.view.scheme.scheme.total
        lost = sum((p.lost for p in lines if p.month is not None), Fraction(0))
        months = "、".join(f"{m}月{points_text(v)}分" for m, v in s.monthly)
        basis = s.basis + (f"：{months}" if months else "")
        if s.quarterly_check is not None:
            basis += f"，季度检查{two_decimals(s.quarterly_check)}分"
        first = (f"满分{points_text(total)} − 各项失分合计{two_decimals(lost)} = "
                 f"基础得分{two_decimals(s.base)}（{basis}）")
        second = (f"基础得分{two_decimals(s.base)} ＋ 加分{points_text(s.bonus)} − "
                  f"扣分{two_decimals(s.penalty)} = {two_decimals(s.exact)}，"
                  f"四舍五入保留一位小数，总分{s.total:.1f}分")
        text = first + "\n" + second
        if not lines:
            text = "本季度各次检查均未扣分。\n" + text
        if s.vetoed:
            text += "\n否决项：" + "；".join(v.reason or v.code for v in s.vetoes) + \
                "（一票否决，等次为不合格）"
        return text

    # ---- 加分/扣分 ------------------------------------------------------------------------------

    def add_adjustment(self) -> None:
        view = self.view
        cid = self.adjust_community.currentData()
        code = self.adjust_item.currentData()
        if view is None or cid is None or code is None:
            return
        reason = self.adjust_reason.text()
        if attempt(self, lambda: scoring.add_adjustment(self.ctx, cid, view.year, view.quarter,
                                                        code, reason)) is None:
            return
        self.adjust_reason.clear()
        self.load()

    def remove_adjustment(self) -> None:
        rows = self.adjust_view.selectionModel().selectedRows()
        if not rows:
            return
        aid = self.adjust_model.adjustment_id(rows[0].row())
        if aid is None:
            return
        what = self.adjust_model.describe(rows[0].row())
        if not messages.confirm(self, f"删除{what}？删除后本季度得分和排名随之重算。", ok="删除"):
            return
        # remove_adjustment returns None: "or True" tells success from a shown UserError.
        if attempt(self, lambda: scoring.remove_adjustment(self.ctx, aid) or True) is None:
            return
        self.load()

    # ---- charts -------------------------------------------------------------------------------

    def _maybe_load_charts(self) -> None:
        """Charts are made only when their tab is shown (and then off the GUI thread)."""
        if not self._charts_stale or self.details.currentIndex() != self.chart_index:
            return
        self._charts_stale = False
        view = self.view
        if view is None or view.scheme is None:
            return
        charts = attempt(self, lambda: scoring.build_quarter_bulletin(
            self.ctx, view.year, view.quarter).charts)
        if charts is None or not charts.ranking:
            self.chart_view.set_charts((), empty_text="本季度没有可绘制的考核结果。")
            return
        pages: list[ChartPage] = [ranking_chart(
            f"图1　{charts.period}各社区（村）考核得分排名", charts.ranking, charts.axis_max)]
        if charts.has_trend:
            pages.append(trend_chart("图2　各社区（村）分季度考核得分", charts.quarters,
                                     charts.trend, charts.axis_max))
        from govdesk.operations.printing import font_overrides

        self.chart_view.set_charts(pages, font_overrides=font_overrides(self.ctx))

    # ---- buttons ------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        has = self.view is not None and self.view.scheme is not None and bool(self.view.results)
        self.export_button.setEnabled(has)
        self.bulletin_button.setEnabled(has)
        tip = "" if has else "本季度还没有检查记录"
        for b in (self.export_button, self.bulletin_button):
            if not has:
                b.setToolTip(tip)
        self.add_button.setEnabled(self.allowed and has and self.adjust_item.count() > 0)
        self.remove_button.setEnabled(
            self.allowed and has and bool(self.adjust_view.selectionModel().selectedRows()))

    def export(self) -> None:
        view = self.view
        if view is None or view.scheme is None:
            return
        year, quarter = view.year, view.quarter
        path = _choose_save_path(self, "导出季度考核汇总表",
                                 f"{view.period}社区政务公开考核汇总表.xlsx")
        if path is None:
            return
        _export(self, self.ctx, f"正在导出{view.period}考核汇总表……",
                lambda w: scoring.export_quarter(w, year, quarter, path), path,
                f"{view.period}考核汇总表")

    def enter_quarterly_check(self) -> None:
        from govdesk.gui.dialogs.quarterly_check_dialog import QuarterlyCheckDialog
        from govdesk.operations import lists

        year, quarter = self.period()
        version = scoring.quarter_scheme(self.ctx, year, quarter)
        if version is None:
            return
        communities = [(c.id, c.name) for c in lists.communities(self.ctx, active_only=True)]
        saved = QuarterlyCheckDialog.ask(
            self, version.scheme, year, quarter, communities,
            checker=self.ctx.user.name if self.ctx.user else "",
            save=lambda v: scoring.save_quarterly_check(self.ctx, v["check"]))
        if saved is not None:
            self.load()

    def open_bulletin(self) -> None:
        view = self.view
        if view is None or view.scheme is None:
            return
        from govdesk.gui.dialogs.bulletin_dialog import BulletinDialog

        BulletinDialog.ask(self, self.ctx, view.year, view.quarter)


# =========================================================================== 年度汇总


class YearTab(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: YearView | None = None
        self._defaulted = False
        self._sized = False

        self.year_spin = _year_spin(ctx)
        self.export_button = QPushButton("导出年度表…")
        self.export_button.setToolTip("导出年度考核汇总表：按文件扩展名保存为 Excel、CSV 或 PDF")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度"))
        bar.addWidget(self.year_spin)
        bar.addStretch(1)
        bar.addWidget(self.export_button)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setStyleSheet(_SUMMARY_STYLE + " font-size: 11pt;")

        self.model = YearModel(self)
        self.table: QTableView = data_table(self.model)
        self.table.setMinimumHeight(120)
        self.chart_view = ChartView()

        self.splitter, self.empty, self.stack = _results_area(self.table,
                                                              _scroll(self.chart_view))

        root = QVBoxLayout(self)
        root.setContentsMargins(8, 8, 8, 8)
        root.addLayout(bar)
        root.addWidget(self.summary)
        root.addWidget(self.stack, 1)

        self.year_spin.valueChanged.connect(self._year_changed)
        self.export_button.clicked.connect(self.export)
        self.export_button.setEnabled(False)

    def year(self) -> int:
        return self.year_spin.value()

    def set_year(self, year: int) -> None:
        self._defaulted = True
        self.year_spin.blockSignals(True)
        self.year_spin.setValue(year)
        self.year_spin.blockSignals(False)
        self.load()

    def _year_changed(self, *_: object) -> None:
        self._defaulted = True
        self.load()

    def refresh(self) -> None:
        if not self._defaulted:
            # This year; early in a year with nothing checked yet, last year's table.
            year = self.ctx.today().year
            if not scoring.year_view(self.ctx, year).scores and \
                    scoring.year_view(self.ctx, year - 1).scores:
                year -= 1
            self.set_year(year)
        else:
            self.load()

    def load(self) -> None:
        year = self.year()
        view = scoring.year_view(self.ctx, year)
        self.view = view
        self.model.set_scores(view.scores, view.weight)
        self.summary.setVisible(bool(view.scores))
        if not view.scores:
            self.summary.setText("")
            self.empty.set_text(year_empty_text(year))
            self.stack.setCurrentWidget(self.empty)
            self.export_button.setEnabled(False)
            self.export_button.setToolTip("本年度还没有季度考核结果")
            self.chart_view.set_charts((), empty_text="")
            return
        self.stack.setCurrentIndex(1)
        self.export_button.setEnabled(True)
        assessed = [q for q, v in sorted(view.quarters.items()) if v.results]
        parts = []
        for q in assessed:
            label = quarter_label(year, q, with_year=False)
            months = sorted({c.month for c in view.quarters[q].checks})
            if len(months) < 3:
                label += f"（目前检查了{'、'.join(f'{m}月' for m in months)}）"
            parts.append(label)
        weight = points_text(view.weight)
        self.summary.setText(
            f"{year}年已有{'、'.join(parts)}的考核结果，共{len(view.scores)}个社区（村）。"
            f"全年得分为已考核季度得分的平均值（未考核的季度不计入）；"
            f"年终考核得分＝全年得分÷100×{weight}分，最高{weight}分。")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        if not self._sized:
            self._sized = True
            _fit_table(self.splitter, self.table, len(view.scores), 0.5)
        self._load_chart(view, assessed)

    def _load_chart(self, view: YearView, assessed: list[int]) -> None:
        ranked = competition_ranks(view.scores, score=lambda y: y.score,
                                   name=lambda y: f"{y.name}\x00{y.community_id:012d}")
        trend = tuple((y.name, tuple(y.quarters.get(q) for q in assessed)) for _, y in ranked)
        values = [v for _, s in trend for v in s if v is not None]
        labels = tuple(quarter_label(view.year, q, with_year=False) for q in assessed)
        from govdesk.operations.printing import font_overrides

        self.chart_view.set_charts(
            [trend_chart(f"{view.year}年各社区（村）分季度考核得分（按全年得分排序）", labels, trend,
                         _axis_max(values))],
            font_overrides=font_overrides(self.ctx))

    def export(self) -> None:
        view = self.view
        if view is None or not view.scores:
            return
        year = view.year
        path = _choose_save_path(self, "导出年度考核汇总表", f"{year}年度社区政务公开考核汇总表.xlsx")
        if path is None:
            return
        _export(self, self.ctx, f"正在导出{year}年度考核汇总表……",
                lambda w: scoring.export_year(w, year, path), path, f"{year}年度考核汇总表")
