"""Table models for 统计: cross tables with 合计 (category × channel, category × month) and the
small count lists of the 工作台."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from govdesk.core.stats import DisclosureStats

_Index = QModelIndex | QPersistentModelIndex

TOTAL = "合计"
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_TOTAL_BRUSH = QBrush(QColor("#f0f2f5"))
_ZERO_BRUSH = QBrush(QColor("#a0a0a0"))
_BOLD = QFont()
_BOLD.setBold(True)


class CrossTableModel(QAbstractTableModel):
    """Row labels × column labels with a 合计 column on the right and a 合计 row at the bottom.

    Column 0 holds the row label; ``value(row_label, column_label)`` gives a cell. Zeros are
    shown (a statistics table states its zeros) but greyed so the real numbers stand out.
    """

    def __init__(self, corner: str = "", parent: Any = None) -> None:
        super().__init__(parent)
        self._corner = corner
        self._rows: tuple[str, ...] = ()
        self._cols: tuple[str, ...] = ()
        self._col_headers: tuple[str, ...] = ()
        self._cells: list[list[int]] = []
        self._unit = "条"

    def set_table(
        self,
        rows: Sequence[str],
        cols: Sequence[str],
        value: Callable[[str, str], int],
        *,
        col_headers: Sequence[str] | None = None,
        unit: str = "条",
    ) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self._cols = tuple(cols)
        self._col_headers = tuple(col_headers) if col_headers is not None else self._cols
        self._unit = unit
        self._cells = [[value(r, c) for c in self._cols] for r in self._rows]
        self.endResetModel()

    # ---- values, including totals --------------------------------------------------------------

    def value(self, row: int, column: int) -> int:
        """The number shown at (row, column); column 0 (labels) is not a number."""
        n_rows, n_cols = len(self._rows), len(self._cols)
        c = column - 1
        if row < n_rows and c < n_cols:
            return self._cells[row][c]
        if row < n_rows:  # 合计 column
            return sum(self._cells[row])
        if c < n_cols:  # 合计 row
            return sum(r[c] for r in self._cells)
        return sum(sum(r) for r in self._cells)

    def row_label(self, row: int) -> str:
        return self._rows[row] if row < len(self._rows) else TOTAL

    def column_label(self, column: int) -> str:
        if column == 0:
            return self._corner
        c = column - 1
        return self._col_headers[c] if c < len(self._cols) else TOTAL

    def as_rows(self) -> list[list[object]]:
        """What the view shows, as plain values (header row first) — for tests and copying."""
        out: list[list[object]] = [[self.column_label(c) for c in range(self.columnCount())]]
        for r in range(self.rowCount()):
            out.append(
                [self.row_label(r)] + [self.value(r, c) for c in range(1, self.columnCount())]
            )
        return out

    # ---- QAbstractTableModel -----------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self._cols and not self._rows else len(self._rows) + 1

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cols) + 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self.columnCount():
            if role == Qt.ItemDataRole.DisplayRole:
                return self.column_label(section)
            if role == Qt.ItemDataRole.FontRole and section == self.columnCount() - 1:
                return _BOLD
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1) if section < len(self._rows) else ""
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < self.rowCount() and 0 <= col < self.columnCount()):
            return None
        is_total = row == len(self._rows) or col == self.columnCount() - 1
        if role == Qt.ItemDataRole.DisplayRole:
            return self.row_label(row) if col == 0 else str(self.value(row, col))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if col == 0 else _RIGHT
        if role == Qt.ItemDataRole.FontRole and is_total:
            return _BOLD
        if role == Qt.ItemDataRole.BackgroundRole and is_total:
            return _TOTAL_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole and col > 0 and self.value(row, col) == 0:
            return _ZERO_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole and col > 0:
            r, c = self.row_label(row), self.column_label(col)
            return f"{r} · {c}：{self.value(row, col)} {self._unit}"
        if role == Qt.ItemDataRole.UserRole and col > 0:
            return self.value(row, col)
        return None


class CategoryChannelModel(CrossTableModel):
    """类别 × 公开方式, counted in 条次 (a notice on three channels counts once per channel)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("类别", parent)

    def set_stats(self, stats: DisclosureStats) -> None:
        self.set_table(stats.categories, stats.channels, stats.category_channel, unit="条次")


class CategoryMonthModel(CrossTableModel):
    """类别 × 月份 (by the month the item was made public), in 条次 like the channel table."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("类别", parent)

    def set_stats(self, stats: DisclosureStats) -> None:
        months = [str(m) for m in stats.months]
        self.set_table(
            stats.categories,
            months,
            lambda c, m: stats.category_month(c, int(m)),
            col_headers=[f"{m}月" for m in stats.months],
            unit="条次",
        )


class CountTableModel(QAbstractTableModel):
    """A two-column list: name and count (e.g. 公开方式 | 条数)."""

    def __init__(self, name_header: str, count_header: str = "条数", parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = (name_header, count_header)
        self._items: list[tuple[str, int]] = []

    def set_counts(self, items: Iterable[tuple[str, int]]) -> None:
        self.beginResetModel()
        self._items = [(str(k), int(v)) for k, v in items]
        self.endResetModel()

    def counts(self) -> dict[str, int]:
        return dict(self._items)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and section in (0, 1):
            return self._headers[section]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        name, n = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return name if index.column() == 0 else str(n)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if index.column() == 0 else _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1 and n == 0:
            return _ZERO_BRUSH
        if role == Qt.ItemDataRole.UserRole and index.column() == 1:
            return n
        return None
