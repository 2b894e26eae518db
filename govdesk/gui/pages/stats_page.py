"""统计: disclosed items of a year, quarter or month by category × channel and category × month,
with 合计, and an Excel export of both tables; and the monthly 保密审查汇总表 (xlsx or PDF) for
filing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.stats import DisclosureStats
from govdesk.gui import messages, ui_state
from govdesk.gui.background import run_with_progress, worker_context
from govdesk.gui.guard import attempt
from govdesk.gui.models.stats_models import CategoryChannelModel, CategoryMonthModel
from govdesk.gui.widgets import data_table
from govdesk.operations import dashboard as dashboard_ops
from govdesk.operations import ledger as ledger_ops
from govdesk.operations import secrecy_report
from govdesk.operations.context import Context, can

LAST_DIR_KEY = "stats/last_dir"
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
# The period combo: (label, kind, number) — kind "year", "quarter" or "month".
PERIODS: tuple[tuple[str, str, int], ...] = (
    (("全年", "year", 0),)
    + tuple((q, "quarter", i) for i, q in enumerate(QUARTERS, 1))
    + tuple((f"{m}月", "month", m) for m in range(1, 13))
)


def period_dates(year: int, kind: str, number: int) -> tuple[date, date]:
    """First and last day of a year, a quarter (1–4) or a month (1–12)."""
    if kind == "year":
        return date(year, 1, 1), date(year, 12, 31)
    first_month = (number - 1) * 3 + 1 if kind == "quarter" else number
    last_month = first_month + 2 if kind == "quarter" else number
    start = date(year, first_month, 1)
    end = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return start, end - timedelta(days=1)


def period_label(year: int, kind: str, number: int) -> str:
    if kind == "year":
        return f"{year}年"
    if kind == "quarter":
        return f"{year}年{QUARTERS[number - 1]}"
    return f"{year}年{number}月"


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def summary_text(stats: DisclosureStats, today: date) -> str:
    s, e = stats.start, stats.end
    text = f"统计期间 {cn_date(s)}至{cn_date(e)}"
    if s > today:
        return text + "：这段时间还没有开始。"
    if e > today:
        text += f"（截至今天 {today.month}月{today.day}日）"
    return text + f"，公开信息 {stats.items} 条，各渠道发布合计 {stats.total} 条次。"


class StatsPage(QWidget):
    # No notice rows here; the signal is part of every page's interface.
    open_notice = Signal(int)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._loaded = False
        self.stats: DisclosureStats | None = None
        today = ctx.today()

        self.channel_model = CategoryChannelModel(self)
        self.month_model = CategoryMonthModel(self)

        root = QVBoxLayout(self)
        root.setContentsMargins(16, 12, 16, 12)
        root.setSpacing(10)
        title = QLabel("统计")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        root.addWidget(title)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度"))
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, today.year + 1)
        self.year_spin.setValue(today.year)
        self.year_spin.setSuffix(" 年")
        self.year_spin.setMinimumWidth(100)
        bar.addWidget(self.year_spin)
        bar.addSpacing(12)
        bar.addWidget(QLabel("期间"))
        self.period_combo = QComboBox()
        for label, kind, number in PERIODS:
            self.period_combo.addItem(label, (kind, number))
        self.period_combo.setMaxVisibleItems(len(PERIODS))
        self.period_combo.setMinimumWidth(110)
        bar.addWidget(self.period_combo)
        bar.addStretch(1)
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.setToolTip("把两张统计表导出为一个 Excel 工作簿（两个工作表）")
        bar.addWidget(self.export_button)
        root.addLayout(bar)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setStyleSheet(
            "background: #f5f7fa; border-radius: 4px; padding: 8px 10px; font-size: 11pt;"
        )
        root.addWidget(self.summary)

        self.tabs = QTabWidget()
        self.channel_view = data_table(self.channel_model, select_rows=False)
        self.month_view = data_table(self.month_model, select_rows=False)
        self.tabs.addTab(self.channel_view, "按类别和公开方式")
        self.tabs.addTab(self.month_view, "按类别和月份")
        root.addWidget(self.tabs, 1)

        note = QLabel(
            "说明：按信息的公开日期统计已公开（含已撤下、已失效）的信息。一条信息通过几个渠道公开，"
            "就按几条次计入各渠道，所以“条次”合计可能大于信息条数。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        root.addWidget(note)

        # 保密审查汇总表: filed monthly, usually early the next month, so last month by default.
        secrecy_box = QGroupBox("保密审查汇总表")
        secrecy_bar = QHBoxLayout(secrecy_box)
        secrecy_bar.addWidget(QLabel("月份"))
        self.secrecy_month = QDateEdit()
        self.secrecy_month.setDisplayFormat("yyyy年M月")
        self.secrecy_month.setMinimumDate(QDate(2000, 1, 1))
        self.secrecy_month.setMaximumDate(QDate(today.year + 1, 12, 1))
        last_month = today.replace(day=1) - timedelta(days=1)
        self.secrecy_month.setDate(QDate(last_month.year, last_month.month, 1))
        self.secrecy_month.setMinimumWidth(110)
        secrecy_bar.addWidget(self.secrecy_month)
        secrecy_bar.addSpacing(12)
        self.secrecy_button = QPushButton("导出保密审查汇总表…")
        self.secrecy_button.setToolTip(
            "把所选月份的全部保密审查结论导出为 Excel 或 PDF（横向 A4，带签字栏），供每月归档"
        )
        allowed = can(ctx.user, secrecy_report.REPORT_PERMISSION)
        self.secrecy_button.setEnabled(allowed)
        if not allowed:
            self.secrecy_button.setToolTip("当前账号没有导出保密审查汇总表的权限")
        secrecy_bar.addWidget(self.secrecy_button)
        secrecy_bar.addStretch(1)
        root.addWidget(secrecy_box)

        self.year_spin.valueChanged.connect(self._period_changed)
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self.export_button.clicked.connect(self._export)
        self.secrecy_button.clicked.connect(self._export_secrecy)

    # ---- period -------------------------------------------------------------------------------

    def period(self) -> tuple[date, date]:
        kind, number = self.period_combo.currentData()
        return period_dates(self.year_spin.value(), kind, number)

    def period_label(self) -> str:
        kind, number = self.period_combo.currentData()
        return period_label(self.year_spin.value(), kind, number)

    def set_period(self, year: int, label: str = "全年") -> None:
        """Choose a period by its combo label (全年, 第一季度 … 第四季度, 1月 … 12月)."""
        self.year_spin.blockSignals(True)
        self.year_spin.setValue(year)
        self.year_spin.blockSignals(False)
        self.period_combo.setCurrentIndex(self.period_combo.findText(label))
        self.refresh()

    def _period_changed(self, *_: object) -> None:
        if self._loaded:
            self.refresh()

    # ---- loading ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._loaded = True
        start, end = self.period()
        stats = dashboard_ops.disclosure_stats(self._ctx, start, end)
        self.stats = stats
        self.summary.setText(summary_text(stats, self._ctx.today()))
        self.channel_model.set_stats(stats)
        self.month_model.set_stats(stats)
        for view in (self.channel_view, self.month_view):
            header = view.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.export_button.setEnabled(True)

    # ---- export -------------------------------------------------------------------------------

    def _settings(self) -> QSettings:
        return ui_state.settings()

    def _choose_save_path(self) -> str | None:
        """Ask where to save the workbook; tests replace this method."""
        folder = str(self._settings().value(LAST_DIR_KEY, "") or "")
        suggested = f"政务公开统计_{self.period_label()}.xlsx"
        start = str(Path(folder) / suggested) if folder else suggested
        path, _ = QFileDialog.getSaveFileName(self, "导出统计", start, "Excel 工作簿 (*.xlsx)")
        return path or None

    def _export(self) -> None:
        if self.stats is None:
            self.refresh()
        stats = self.stats
        assert stats is not None
        chosen = self._choose_save_path()
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")

        def write() -> Path:
            # The exporter turns OS errors (no permission, full USB stick) into a UserError.
            ledger_ops.export_stats(self._ctx, stats, path)
            return path

        if attempt(self, write) is None:
            return
        self._settings().setValue(LAST_DIR_KEY, str(path.parent))
        messages.info(self, f"已导出到 {path}")

    # ---- 保密审查汇总表 -------------------------------------------------------------------------

    def secrecy_period(self) -> tuple[int, int]:
        d = self.secrecy_month.date()
        return d.year(), d.month()

    def set_secrecy_month(self, year: int, month: int) -> None:
        self.secrecy_month.setDate(QDate(year, month, 1))

    def _choose_secrecy_path(self) -> str | None:
        """Ask where to save the summary (.xlsx or .pdf); tests replace this method."""
        year, month = self.secrecy_period()
        folder = str(self._settings().value(LAST_DIR_KEY, "") or "")
        suggested = f"保密审查汇总表_{year}年{month}月.pdf"
        start = str(Path(folder) / suggested) if folder else suggested
        path, _ = QFileDialog.getSaveFileName(
            self, "导出保密审查汇总表", start, "PDF 文件 (*.pdf);;Excel 工作簿 (*.xlsx)"
        )
        return path or None

    def _export_secrecy(self) -> None:
        year, month = self.secrecy_period()
        chosen = self._choose_secrecy_path()
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() not in (".xlsx", ".pdf"):
            path = path.with_name(path.name + ".pdf")

        def work() -> int:
            worker = worker_context(self._ctx)
            try:
                return secrecy_report.export_secrecy_summary(worker, year, month, path)
            finally:
                worker.db.close()

        rows = run_with_progress(self, f"正在生成{year}年{month}月保密审查汇总表……", work)
        if rows is None:
            return
        self._settings().setValue(LAST_DIR_KEY, str(path.parent))
        messages.info(self, f"已导出{year}年{month}月保密审查汇总表（{rows} 条审查记录）到：\n{path}")
