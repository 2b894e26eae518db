"""The table of one register of issue 8 §4 (政策解读, 舆情与热线, 建议提案, 培训与会议).

A township keeps tens to a few hundred entries of each a year, so the model holds the records
the page hands it (operations.registers.list_records reads them). Dates read 2025-11-03; an
open hotline case past its 办理时限 is red and says 已超期. ``SORT_ROLE`` gives each cell a value
that sorts right (ISO dates, numbers) for the page's QSortFilterProxyModel.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from govdesk.core.registers import (
    HotlineCase,
    Interpretation,
    Proposal,
    RegisterKind,
    RegisterRecord,
)

_Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole
OVERDUE_TEXT = QColor("#b3261e")
OVERDUE_BRUSH = QBrush(QColor("#fde2e1"))
CLOSED_TEXT = QColor("#555555")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter


def iso(d: date | None) -> str:
    return d.isoformat() if d else ""


class Names:
    """What the table needs besides the records: owner names, linked notices, today."""

    def __init__(self, units: Mapping[int, str] | None = None,
                 communities: Mapping[int, str] | None = None,
                 notices: Mapping[int, tuple[str, str]] | None = None,
                 today: date | None = None) -> None:
        self.units = dict(units or {})
        self.communities = dict(communities or {})
        self.notices = dict(notices or {})
        self.today = today or date.today()

    def owner(self, r: RegisterRecord) -> str:
        if r.unit_id is not None:
            return self.units.get(r.unit_id, "")
        if r.community_id is not None:
            return self.communities.get(r.community_id, "")
        return ""

    def policy(self, r: Interpretation) -> str:
        if r.notice_id is not None and r.notice_id in self.notices:
            index, title = self.notices[r.notice_id]
            return f"{title}（{index}）" if index else title
        return r.policy_title


# (header, display, sort value, right-aligned)
Column = tuple[str, Callable[[Any, Names], str], Callable[[Any, Names], object], bool]


def _col(header: str, show: Callable[[Any, Names], object], *,
         sort: Callable[[Any, Names], object] | None = None, right: bool = False) -> Column:
    def display(r: Any, n: Names) -> str:
        v = show(r, n)
        return iso(v) if isinstance(v, date) or v is None else str(v)

    def key(r: Any, n: Names) -> object:
        if sort is not None:
            return sort(r, n)
        v = show(r, n)
        return iso(v) if isinstance(v, date) or v is None else v

    return header, display, key, right


def _satisfaction(r: HotlineCase | Proposal) -> str:
    if r.satisfaction is None or (isinstance(r, HotlineCase) and not r.is_closed):
        return ""
    return r.satisfaction.value


COLUMNS: dict[RegisterKind, tuple[Column, ...]] = {
    RegisterKind.INTERPRETATION: (
        _col("解读日期", lambda r, _n: r.published_on),
        _col("解读标题", lambda r, _n: r.title),
        _col("形式", lambda r, _n: r.form.value),
        _col("所解读的政策", lambda r, n: n.policy(r)),
        _col("解读单位", lambda r, n: n.owner(r)),
        _col("备注", lambda r, _n: r.note),
    ),
    RegisterKind.HOTLINE: (
        _col("受理日期", lambda r, _n: r.received_on),
        _col("渠道", lambda r, _n: r.channel),
        _col("工单编号", lambda r, _n: r.case_number),
        _col("事项", lambda r, _n: r.subject),
        _col("承办单位", lambda r, n: n.owner(r)),
        _col("办理时限", lambda r, _n: r.due_on),
        _col("办结日期", lambda r, _n: r.closed_on),
        _col("状态", lambda r, n: r.state(n.today)),
        _col("结果反馈", lambda r, _n: ("已反馈" if r.fed_back else "未反馈") if r.is_closed
             else ""),
        _col("满意度", lambda r, _n: _satisfaction(r)),
    ),
    RegisterKind.PROPOSAL: (
        _col("类型", lambda r, _n: r.kind_of.value),
        _col("编号", lambda r, _n: r.number),
        _col("标题", lambda r, _n: r.title),
        _col("领衔人", lambda r, _n: r.lead),
        _col("交办日期", lambda r, _n: r.received_on),
        _col("承办单位", lambda r, n: n.owner(r)),
        _col("答复日期", lambda r, _n: r.replied_on),
        _col("状态", lambda r, n: r.state(n.today)),
        _col("满意度", lambda r, _n: _satisfaction(r)),
    ),
    RegisterKind.MEETING: (
        _col("类型", lambda r, _n: r.kind_of.value),
        _col("日期", lambda r, _n: r.held_on),
        _col("主题", lambda r, _n: r.topic),
        _col("参加人数", lambda r, _n: r.participants, right=True),
        _col("组织单位", lambda r, n: n.owner(r)),
        _col("备注", lambda r, _n: r.note),
    ),
}
# The columns that share the spare width (the long texts).
WIDE_COLUMNS = {RegisterKind.INTERPRETATION: (1, 3), RegisterKind.HOTLINE: (3,),
                RegisterKind.PROPOSAL: (2,), RegisterKind.MEETING: (2,)}
STATE_COLUMN = {RegisterKind.HOTLINE: 7, RegisterKind.PROPOSAL: 7}


class RegisterTableModel(QAbstractTableModel):
    """The entries of one register, in the order given; read-only."""

    def __init__(self, kind: RegisterKind, parent: Any = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._columns = COLUMNS[kind]
        self._rows: list[RegisterRecord] = []
        self._names = Names()

    def set_records(self, records: Sequence[RegisterRecord], names: Names) -> None:
        self.beginResetModel()
        self._rows = list(records)
        self._names = names
        self.endResetModel()

    def record(self, row: int) -> RegisterRecord | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == record_id), None)

    def records(self) -> list[RegisterRecord]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section][0] if 0 <= section < len(self._columns) else None
        return section + 1

    def _overdue(self, r: RegisterRecord) -> bool:
        return isinstance(r, HotlineCase) and r.overdue(self._names.today)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        if not 0 <= index.column() < len(self._columns):
            return None
        _header, display, key, right = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(r, self._names)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = display(r, self._names)
            if self._overdue(r):
                assert isinstance(r, HotlineCase) and r.due_on is not None
                late = (self._names.today - r.due_on).days
                return f"已超过办理时限{late}天仍未办结" + (f"：{text}" if text else "")
            return text or None
        if role == SORT_ROLE:
            return key(r, self._names)
        if role == ID_ROLE:
            return r.id
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._overdue(r):
                return OVERDUE_TEXT
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return OVERDUE_BRUSH if self._overdue(r) else None
        if role == Qt.ItemDataRole.FontRole and self._overdue(r) \
                and index.column() == STATE_COLUMN.get(self.kind):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if right else None
        return None
