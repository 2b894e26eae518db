"""考核: the community assessment (月抽查、季考核) in four tabs — the month grid, the quarter's
results with its 通报, the year, and the 考核细则. Each tab is its own module; this page only
holds them and refreshes the one shown."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from govdesk.operations.context import Context


class AssessmentPage(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from govdesk.gui.pages.assessment_month_tab import MonthTab
        from govdesk.gui.pages.assessment_results_tab import ResultsTab, YearTab
        from govdesk.gui.pages.assessment_scheme_tab import SchemeTab

        self.ctx = ctx
        self.tabs = QTabWidget()
        self.month_tab = MonthTab(ctx)
        self.results_tab = ResultsTab(ctx)
        self.year_tab = YearTab(ctx)
        self.scheme_tab = SchemeTab(ctx)
        self.tabs.addTab(self.month_tab, "月抽查")
        self.tabs.addTab(self.results_tab, "季度考核")
        self.tabs.addTab(self.year_tab, "年度汇总")
        self.tabs.addTab(self.scheme_tab, "考核细则")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())

    def unsaved_work(self) -> list[str]:
        """Names of the tabs holding edits not saved yet (asked about before the app closes)."""
        out = []
        for tab, name in ((self.month_tab, "月抽查"), (self.scheme_tab, "考核细则")):
            dirty = getattr(tab, "is_dirty", None)
            if callable(dirty) and dirty():
                out.append(name)
        return out

    def _refresh_current(self) -> None:
        tab = self.tabs.currentWidget()
        refresh = getattr(tab, "refresh", None)
        if callable(refresh):
            refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._refresh_current()
