"""Table models for 公开栏 and 张贴记录: the board list, what is on one board, what has to come
down (工作台), and the per-board summary (工作台).

These lists are small (a township has a few dozen boards, a board a few dozen postings), so each
model holds its records; pages load them through operations and hand them over with a setter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from govdesk.core.notices import Posting
from govdesk.operations.dashboard import BoardStatus

_Index = QModelIndex | QPersistentModelIndex

OVERDUE_BRUSH = QBrush(QColor("#fde2e1"))  # same light red as the register's overdue cells
DUE_TODAY_BRUSH = QBrush(QColor("#fff4d6"))
_RED = QBrush(QColor("#b3261e"))
_AMBER = QBrush(QColor("#8a5a00"))
_DIMMED = QBrush(QColor("#808080"))
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter

NOTICE_ID_ROLE = Qt.ItemDataRole.UserRole  # every posting row answers its notice id here
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # and its posting (or board) id here


def iso(d: date | None) -> str:
    return d.isoformat() if d else "—"


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def takedown_status(planned: date | None, today: date) -> str:
    """逾期N天 / 今天 / 明天 / N天后, counted in calendar days (公示期 in 天 ends on a date)."""
    if planned is None:
        return "长期"
    days = (planned - today).days
    if days < 0:
        return f"逾期{-days}天"
    if days == 0:
        return "今天"
    if days == 1:
        return "明天"
    return f"{days}天后"


def overdue_tooltip(p: Posting, today: date) -> str:
    assert p.planned_removal is not None
    days = (today - p.planned_removal).days
    return (
        f"公示期已于 {cn_date(p.planned_removal)} 结束，至今已过 {days} 天仍在栏上。"
        "请到现场撤下后，在这里点“撤下”登记。"
    )


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    text: Callable[[Any], str]
    align: Qt.AlignmentFlag | None = None
    tooltip: Callable[[Any], str | None] | None = None


class _RecordModel(QAbstractTableModel):
    """Read-only table over a list of frozen records, one column per ``Column``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[Any] = []
        self._columns: tuple[Column, ...] = self._make_columns()

    # subclasses: the columns, and optional per-row styling
    def _make_columns(self) -> tuple[Column, ...]:
        raise NotImplementedError

    def _row_background(self, record: Any) -> QBrush | None:
        return None

    def _row_foreground(self, record: Any, column: int) -> QBrush | None:
        return None

    def _row_tooltip(self, record: Any) -> str | None:
        return None

    def _record_ids(self, record: Any) -> tuple[int | None, int | None]:
        """(notice id, record id) for the UserRoles."""
        return None, None

    # ---- data in and out ----------------------------------------------------------------------

    def set_records(self, records: Iterable[Any]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self._columns = self._make_columns()
        self.endResetModel()

    def records(self) -> list[Any]:
        return list(self._records)

    def record(self, row: int) -> Any | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def row_of(self, predicate: Callable[[Any], bool]) -> int | None:
        return next((i for i, r in enumerate(self._records) if predicate(r)), None)

    def headers(self) -> list[str]:
        return [c.header for c in self._columns]

    # ---- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._columns[section].header
            if role == Qt.ItemDataRole.TextAlignmentRole and self._columns[section].align:
                return self._columns[section].align
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        record = self._records[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align if column.align is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            row_tip = self._row_tooltip(record)
            cell_tip = column.tooltip(record) if column.tooltip else None
            return "\n".join(t for t in (cell_tip, row_tip) if t) or None
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._row_background(record)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._row_foreground(record, index.column())
        if role in (NOTICE_ID_ROLE, RECORD_ID_ROLE):
            notice_id, record_id = self._record_ids(record)
            return notice_id if role == NOTICE_ID_ROLE else record_id
        return None


# ---- 公开栏 list -----------------------------------------------------------------------------------


class BoardTableModel(_RecordModel):
    """公开栏 with counts: 编号, 名称, 类型, 所属, 在栏, 逾期. Records are BoardStatus."""

    def _make_columns(self) -> tuple[Column, ...]:
        return (
            Column("编号", lambda s: s.board.code),
            Column(
                "名称",
                lambda s: s.board.name + ("（已停用）" if not s.board.active else ""),
                tooltip=lambda s: (
                    s.board.name + (f"\n位置：{s.board.location}" if s.board.location else "")
                ),
            ),
            Column("类型", lambda s: s.board.kind.value),
            Column("所属", lambda s: s.board.owner_name),
            Column(
                "在栏",
                lambda s: str(s.on_board),
                _RIGHT,
                tooltip=lambda s: f"目前张贴在这个公开栏上的信息：{s.on_board} 条",
            ),
            Column("逾期", lambda s: str(s.overdue), _RIGHT),
        )

    def board_id(self, row: int) -> int | None:
        status = self.record(row)
        return status.board.id if status else None

    def _row_background(self, record: BoardStatus) -> QBrush | None:
        return OVERDUE_BRUSH if record.overdue else None

    def _row_foreground(self, record: BoardStatus, column: int) -> QBrush | None:
        if column == 5 and record.overdue:
            return _RED
        if not record.board.active:
            return _DIMMED
        return None

    def _row_tooltip(self, record: BoardStatus) -> str | None:
        if record.overdue:
            return f"有 {record.overdue} 条信息公示期已结束仍在栏上，请及时撤下"
        return None

    def _record_ids(self, record: BoardStatus) -> tuple[int | None, int | None]:
        return None, record.board.id


# ---- what is on one board ------------------------------------------------------------------------


class PostingTableModel(_RecordModel):
    """张贴记录 of one board: 索引号, 标题, 张贴日期, 计划撤下, 张贴人, 照片 (+ 撤下日期 when the
    history is shown). Overdue rows are light red with a tooltip saying why."""

    def __init__(self, today: date, parent: Any = None) -> None:
        self._today = today
        self._show_removed = False
        super().__init__(parent)

    def set_postings(self, postings: Iterable[Posting], *, today: date, show_removed: bool) -> None:
        self._today = today
        self._show_removed = show_removed
        self.set_records(postings)

    @property
    def show_removed(self) -> bool:
        return self._show_removed

    def _make_columns(self) -> tuple[Column, ...]:
        columns = [
            Column("索引号", lambda p: p.notice_index, tooltip=lambda p: p.notice_index),
            Column("标题", lambda p: p.notice_title, tooltip=lambda p: p.notice_title),
            Column("张贴日期", lambda p: iso(p.posted_on), _CENTER),
            Column(
                "计划撤下",
                lambda p: iso(p.planned_removal),
                _CENTER,
                tooltip=lambda p: None if p.planned_removal else "未设公示期，长期张贴",
            ),
            Column("张贴人", lambda p: p.posted_by_name or "—"),
            Column(
                "照片",
                lambda p: "有" if p.photo else "无",
                _CENTER,
                tooltip=lambda p: (
                    "已存张贴照片，可点“查看照片”" if p.photo else "还没有张贴照片，可点“添加照片”"
                ),
            ),
        ]
        if self._show_removed:
            columns.append(Column("撤下日期", lambda p: iso(p.removed_on), _CENTER))
        return tuple(columns)

    def posting(self, row: int) -> Posting | None:
        return self.record(row)

    def _row_background(self, record: Posting) -> QBrush | None:
        return OVERDUE_BRUSH if record.is_overdue(self._today) else None

    def _row_foreground(self, record: Posting, column: int) -> QBrush | None:
        return _DIMMED if record.removed_on is not None else None

    def _row_tooltip(self, record: Posting) -> str | None:
        if record.removed_on is not None:
            return f"已于 {cn_date(record.removed_on)} 撤下"
        if record.is_overdue(self._today):
            return overdue_tooltip(record, self._today)
        return None

    def _record_ids(self, record: Posting) -> tuple[int | None, int | None]:
        return record.notice_id, record.id


# ---- 工作台: what has to come down ----------------------------------------------------------------


class TakedownTableModel(_RecordModel):
    """应撤下的公示: 公开栏, 标题, 张贴日期, 计划撤下, 状态 (逾期N天 / 今天 / N天后)."""

    def __init__(self, today: date, parent: Any = None) -> None:
        self._today = today
        super().__init__(parent)

    def set_postings(self, postings: Iterable[Posting], *, today: date) -> None:
        self._today = today
        self.set_records(postings)

    def _make_columns(self) -> tuple[Column, ...]:
        return (
            Column("公开栏", lambda p: p.board_name),
            Column("标题", lambda p: p.notice_title, tooltip=lambda p: p.notice_title),
            Column("张贴日期", lambda p: iso(p.posted_on), _CENTER),
            Column("计划撤下", lambda p: iso(p.planned_removal), _CENTER),
            Column("状态", lambda p: takedown_status(p.planned_removal, self._today), _CENTER),
        )

    def posting(self, row: int) -> Posting | None:
        return self.record(row)

    def _row_background(self, record: Posting) -> QBrush | None:
        if record.is_overdue(self._today):
            return OVERDUE_BRUSH
        if record.planned_removal == self._today:
            return DUE_TODAY_BRUSH
        return None

    def _row_foreground(self, record: Posting, column: int) -> QBrush | None:
        if column != 4:
            return None
        if record.is_overdue(self._today):
            return _RED
        if record.planned_removal == self._today:
            return _AMBER
        return None

    def _row_tooltip(self, record: Posting) -> str | None:
        if record.is_overdue(self._today):
            return overdue_tooltip(record, self._today)
        if record.planned_removal is not None:
            return f"公示期到 {cn_date(record.planned_removal)} 结束，之后请撤下"
        return None

    def _record_ids(self, record: Posting) -> tuple[int | None, int | None]:
        return record.notice_id, record.id


# ---- 工作台: per-board summary ----------------------------------------------------------------------


class BoardSummaryModel(_RecordModel):
    """公开栏, 在栏信息, 逾期未撤 — one row per board in use."""

    def _make_columns(self) -> tuple[Column, ...]:
        return (
            Column(
                "公开栏",
                lambda s: s.board.name,
                tooltip=lambda s: f"{s.board.code}　{s.board.kind.value}　{s.board.owner_name}",
            ),
            Column("在栏信息", lambda s: str(s.on_board), _RIGHT),
            Column("逾期未撤", lambda s: str(s.overdue), _RIGHT),
        )

    def _row_background(self, record: BoardStatus) -> QBrush | None:
        return OVERDUE_BRUSH if record.overdue else None

    def _row_foreground(self, record: BoardStatus, column: int) -> QBrush | None:
        return _RED if column == 2 and record.overdue else None

    def _row_tooltip(self, record: BoardStatus) -> str | None:
        if record.overdue:
            return f"有 {record.overdue} 条信息公示期已结束仍在栏上"
        return None

    def _record_ids(self, record: BoardStatus) -> tuple[int | None, int | None]:
        return None, record.board.id
