"""Table models for the 设置 page: units, communities, boards, categories, channels, users,
the working-day calendar of one year and the print fonts.

These lists are a few dozen rows at most, so each model holds all of its records; the page loads
them through operations and hands them over with ``set_records``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from govdesk.core.calendar import WorkCalendar
from govdesk.core.org import Board, Category, Channel, Community, Unit, User
from govdesk.export.fonts import FontStatus

ACTIVE_TEXT = {True: "启用", False: "停用"}
LOCKED_TEXT = "已锁定"
WEEKDAYS = "一二三四五六日"

_DIMMED = QColor("#808080")
_WARNING = QColor("#b00020")
_CENTER = Qt.AlignmentFlag.AlignCenter

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    text: Callable[[Any], str]
    align: Qt.AlignmentFlag | None = None


class RecordTableModel(QAbstractTableModel):
    """Read-only table over a list of frozen records, one column per ``Column``."""

    columns: tuple[Column, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[Any] = []

    # ---- data in and out ----------------------------------------------------------------------

    def set_records(self, records: Iterable[Any]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[Any]:
        return list(self._records)

    def record(self, row: int) -> Any:
        return self._records[row]

    def row_of(self, predicate: Callable[[Any], bool]) -> int | None:
        return next((i for i, r in enumerate(self._records) if predicate(r)), None)

    # ---- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align is not None:
            return int(column.align)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(record)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.columns):
                return self.columns[section].header
            return None
        return section + 1

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def foreground(self, record: Any) -> QColor | None:
        # 停用 rows stay listed (history refers to them) but read as inactive.
        return None if getattr(record, "active", True) else _DIMMED


def _status(record: Any) -> str:
    return ACTIVE_TEXT[bool(record.active)]


_STATUS = Column("状态", _status)


class UnitTableModel(RecordTableModel):
    columns = (Column("名称", lambda u: u.name), _STATUS)

    def record(self, row: int) -> Unit:
        return self._records[row]


class CommunityTableModel(RecordTableModel):
    columns = (
        Column("名称", lambda c: c.name),
        Column("类型", lambda c: c.kind.value, _CENTER),
        _STATUS,
    )

    def record(self, row: int) -> Community:
        return self._records[row]


class BoardTableModel(RecordTableModel):
    columns = (
        Column("编号", lambda b: b.code),
        Column("名称", lambda b: b.name),
        Column("类型", lambda b: b.kind.value),
        Column("位置", lambda b: b.location),
        Column("所属", lambda b: b.owner_name),
        Column("打印纸张", lambda b: b.paper, _CENTER),
        _STATUS,
    )

    def record(self, row: int) -> Board:
        return self._records[row]


class CategoryTableModel(RecordTableModel):
    columns = (
        Column("名称", lambda c: c.name),
        Column("公开时限（工作日）", lambda c: str(c.publish_limit_days), _CENTER),
        _STATUS,
    )

    def record(self, row: int) -> Category:
        return self._records[row]


class ChannelTableModel(RecordTableModel):
    columns = (Column("名称", lambda c: c.name), _STATUS)

    def record(self, row: int) -> Channel:
        return self._records[row]


def is_locked(user: User, now: datetime) -> bool:
    """True while the account is locked after too many wrong passwords (S3)."""
    if not user.locked_until:
        return False
    try:
        return now < datetime.fromisoformat(user.locked_until)
    except (TypeError, ValueError):
        return False


class UserTableModel(RecordTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._unit_names: dict[int, str] = {}
        self._now: datetime | None = None
        self.columns = (
            Column("登录名", lambda u: u.login),
            Column("姓名", lambda u: u.name),
            Column("角色", lambda u: u.role.label),
            Column("所在单位", lambda u: self._unit_names.get(u.unit_id, "") if u.unit_id else ""),
            Column("状态", self.status_text),
        )

    def set_users(self, users: Iterable[User], unit_names: Mapping[int, str], now: datetime) -> None:
        self._unit_names = dict(unit_names)
        self._now = now
        self.set_records(users)

    def record(self, row: int) -> User:
        return self._records[row]

    def locked(self, user: User) -> bool:
        return self._now is not None and is_locked(user, self._now)

    def status_text(self, user: User) -> str:
        if self.locked(user):
            return LOCKED_TEXT
        return ACTIVE_TEXT[user.active]

    def foreground(self, record: Any) -> QColor | None:
        if self.locked(record):
            return _WARNING
        return super().foreground(record)


# ---- 节假日 -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One exception to the Monday-Friday week in a year, as the 节假日 tab lists it."""

    day: date
    is_workday: bool
    entered: bool  # entered by the office (an override) rather than from the built-in notices
    note: str = ""

    @property
    def kind_text(self) -> str:
        weekend = self.day.weekday() >= 5
        if self.is_workday:
            return "调休上班" if weekend else "上班"
        return "休息" if weekend else "放假"


def calendar_days(
    calendar: WorkCalendar, overrides: Sequence[tuple[date, bool, str]], year: int
) -> list[CalendarDay]:
    """The year's days off on weekdays and working weekend days, plus every office entry."""
    entered = {d: (w, note) for d, w, note in overrides if d.year == year}
    days = {d: CalendarDay(d, False, False) for d in calendar.days_off_in(year)}
    days.update((d, CalendarDay(d, True, False)) for d in calendar.makeup_workdays_in(year))
    for d, (workday, note) in entered.items():
        days[d] = CalendarDay(d, workday, True, note)
    return [days[d] for d in sorted(days)]


class CalendarDayTableModel(RecordTableModel):
    columns = (
        Column("日期", lambda c: f"{c.day.year}年{c.day.month}月{c.day.day}日"),
        Column("星期", lambda c: "星期" + WEEKDAYS[c.day.weekday()], _CENTER),
        Column("安排", lambda c: c.kind_text, _CENTER),
        Column("来源", lambda c: "本办录入" if c.entered else "国务院通知（内置）"),
        Column("备注", lambda c: c.note),
    )

    def record(self, row: int) -> CalendarDay:
        return self._records[row]

    def foreground(self, record: Any) -> QColor | None:
        return None


def _font_face(s: FontStatus) -> str:
    f = s.font
    if f is None:
        return "（未找到）"
    if f.path.lower().endswith(".ttc"):
        return f"{f.family}（集合中的第{f.subfont_index + 1}个）"
    return f.family


def _font_source(s: FontStatus) -> str:
    f = s.font
    if f is None:
        return s.problem
    text = f.source + ("，替代字体" if f.substitute else "")
    return text + (f"（未采用的字体：{f.note}）" if f.note else "")


class FontStatusTableModel(RecordTableModel):
    """设置 → 打印字体: which file each GB/T 9704 role resolved to."""

    columns = (
        Column("用途", lambda s: s.label),
        Column("当前字体", _font_face),
        Column("文件", lambda s: s.font.path if s.font is not None else ""),
        Column("来源/说明", _font_source),
    )

    def record(self, row: int) -> FontStatus:
        return self._records[row]

    def foreground(self, record: Any) -> QColor | None:
        return _WARNING if record.font is None else None
