"""Models for the 年度报告 page: the report tables (表二/表三/表四) as fixed-format display grids in
their official layouts (core.annual_report.Grid, merged cells and all — the view sets the spans
the model lists), and the list of 表三 勾稽关系 problems."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from govdesk.core.annual_report import (
    COLUMN_KEYS,
    COLUMN_LABELS,
    ROW_KEYS,
    TABLE3_ROWS,
    CellRef,
    Grid,
    GridCell,
    Problem,
)

_Index = QModelIndex | QPersistentModelIndex

CELL_ROLE = Qt.ItemDataRole.UserRole + 1  # the GridCell whose top-left slot this is
REF_ROLE = Qt.ItemDataRole.UserRole + 2  # the CellRef of a 表三 number cell
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 3  # the Problem of a problem-list row

_CENTER = Qt.AlignmentFlag.AlignCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_HEADER_BRUSH = QBrush(QColor("#eef1f5"))
_CAPTION_BRUSH = QBrush(QColor("#f7f8fa"))
_PROBLEM_BRUSH = QBrush(QColor("#fde2e2"))
_FOCUS_BRUSH = QBrush(QColor("#f5a3a3"))
_PROBLEM_TEXT = QBrush(QColor("#b00020"))
_BOLD = QFont()
_BOLD.setBold(True)


def cell_name(ref: CellRef) -> str:
    """A 表三 cell as a message names it: 表三“二、上年结转政府信息公开申请数量”行“自然人”列."""
    row = next((r for r in TABLE3_ROWS if r.key == ref.row), None)
    row_name = row.name if row is not None else ref.row
    return f"{ref.table}“{row_name}”行“{COLUMN_LABELS.get(ref.column, ref.column)}”列"


def table3_refs(grid: Grid) -> dict[tuple[int, int], CellRef]:
    """The slot of every 表三 number cell → its CellRef (data rows follow TABLE3_ROWS below the
    header rows, data columns follow COLUMN_KEYS right of the three label columns)."""
    label_cols = grid.cols - len(COLUMN_KEYS)
    return {(c.row, c.col): CellRef("表三", ROW_KEYS[c.row - grid.header_rows],
                                    COLUMN_KEYS[c.col - label_cols])
            for c in grid.cells if c.kind == "number"}


class ReportGridModel(QAbstractTableModel):
    """One report table in its printed layout: every slot of the grid is an index; a merged
    cell's text sits in its top-left slot and the slots it covers are empty (the view spans
    them, see :meth:`spans`). Cells involved in a 勾稽关系 problem are red, with the problems
    as tooltip; the cells of the problem the user picked are darker."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._grid: Grid | None = None
        self._slots: dict[tuple[int, int], GridCell] = {}
        self._refs: dict[tuple[int, int], CellRef] = {}
        self._slot_of: dict[CellRef, tuple[int, int]] = {}
        self._problems: dict[CellRef, list[str]] = {}
        self._focus: frozenset[CellRef] = frozenset()

    # ---- content ------------------------------------------------------------------------------

    def set_grid(self, grid: Grid, refs: dict[tuple[int, int], CellRef] | None = None) -> None:
        self.beginResetModel()
        self._grid = grid
        self._slots = {(c.row, c.col): c for c in grid.cells}
        self._refs = dict(refs or {})
        self._slot_of = {ref: slot for slot, ref in self._refs.items()}
        self.endResetModel()

    def grid(self) -> Grid | None:
        return self._grid

    def spans(self) -> list[tuple[int, int, int, int]]:
        """(row, column, rowspan, colspan) of every merged cell, for QTableView.setSpan."""
        if self._grid is None:
            return []
        return [(c.row, c.col, c.rowspan, c.colspan) for c in self._grid.cells
                if c.rowspan > 1 or c.colspan > 1]

    def set_problems(self, problems: Sequence[Problem]) -> None:
        found: dict[CellRef, list[str]] = {}
        for p in problems:
            for ref in p.cells:
                found.setdefault(ref, []).append(p.message)
        self._problems = found
        self._focus = frozenset()
        self._changed_all()

    def set_focus(self, problem: Problem | None) -> None:
        """Darken the cells of ``problem`` (the one picked in the list); None clears."""
        self._focus = frozenset(problem.cells) if problem is not None else frozenset()
        self._changed_all()

    def index_of(self, ref: CellRef) -> QModelIndex:
        slot = self._slot_of.get(ref)
        return self.index(*slot) if slot is not None else QModelIndex()

    def cell_at(self, row: int, col: int) -> GridCell | None:
        return self._slots.get((row, col))

    def problem_cells(self) -> list[CellRef]:
        return [ref for ref in self._problems if ref in self._slot_of]

    def _changed_all(self) -> None:
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1))

    # ---- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._grid is None else self._grid.rows

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._grid is None else self._grid.cols

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._grid is None:
            return None
        slot = (index.row(), index.column())
        cell = self._slots.get(slot)
        if cell is None:
            return None  # covered by a merged cell
        ref = self._refs.get(slot)
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(cell.lines)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            # Captions and one-row labels read left to right; headers, numbers and the tall
            # merged labels (三、本年度办理结果, （三）不予公开 …) are centred as printed.
            if cell.kind == "caption" or (cell.kind == "label" and cell.rowspan == 1):
                return int(_LEFT)
            return int(_CENTER)
        if role == Qt.ItemDataRole.BackgroundRole:
            if ref is not None and ref in self._focus:
                return _FOCUS_BRUSH
            if ref is not None and ref in self._problems:
                return _PROBLEM_BRUSH
            if cell.kind == "header":
                return _HEADER_BRUSH
            if cell.kind == "caption":
                return _CAPTION_BRUSH
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if ref is not None and ref in self._problems:
                return _PROBLEM_TEXT
            return None
        if role == Qt.ItemDataRole.FontRole:
            if cell.kind in ("header", "caption") or (ref is not None and ref in self._problems):
                return _BOLD
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if ref is not None and ref in self._problems:
                return "\n".join(self._problems[ref])
            return cell.text if cell.kind != "number" else None
        if role == CELL_ROLE:
            return cell
        if role == REF_ROLE:
            return ref
        return None


class ProblemListModel(QAbstractListModel):
    """表三's 勾稽关系 problems, one message a row (red), for the list the user clicks to find
    the cell to correct."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._problems: tuple[Problem, ...] = ()

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self.beginResetModel()
        self._problems = tuple(problems)
        self.endResetModel()

    def problem(self, row: int) -> Problem | None:
        return self._problems[row] if 0 <= row < len(self._problems) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._problems)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._problems):
            return None
        p = self._problems[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{index.row() + 1}. {p.message}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return "点击定位到表三中的单元格：" + cell_name(p.cell)
        if role == Qt.ItemDataRole.ForegroundRole:
            return _PROBLEM_TEXT
        if role == PROBLEM_ROLE:
            return p
        return None
