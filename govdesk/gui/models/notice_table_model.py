"""The register as a lazily fetched table model.

Rows are fetched from the store a page at a time when the view asks for them, and only a bounded
number of pages is kept (an LRU), so 120,000 notices cost what a few screens cost — scrolling the
whole register never holds it all in memory.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from govdesk.core.notices import (
    DISCLOSED_STATUSES,
    REGISTER_COLUMNS,
    Disclosure,
    NoticeFilter,
    NoticeStatus,
    NoticeSummary,
)
from govdesk.operations import notices as notice_ops
from govdesk.operations.context import Context

PAGE_SIZE = 200
MAX_PAGES = 12

_STATUS_COLOURS = {
    NoticeStatus.DRAFT: QColor("#666666"),
    NoticeStatus.PENDING: QColor("#b36b00"),
    NoticeStatus.APPROVED: QColor("#1d6fb8"),
    NoticeStatus.PUBLISHED: QColor("#1a7f37"),
    NoticeStatus.TAKEN_DOWN: QColor("#555555"),
    NoticeStatus.EXPIRED: QColor("#999999"),
}
_OVERDUE = QBrush(QColor("#fde2e1"))
_DATE_KEYS = {"formed_on", "publish_due", "published_on"}


class NoticeTableModel(QAbstractTableModel):
    def __init__(self, ctx: Context, parent=None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._filter = NoticeFilter()
        self._sort_key = "formed_on"
        self._descending = True
        self._count = 0
        self._pages: OrderedDict[int, list[NoticeSummary]] = OrderedDict()
        self._today = ctx.today()
        self.pages_fetched = 0  # for tests and benchmarks

    # ---- what to show ----------------------------------------------------------------------

    @property
    def notice_filter(self) -> NoticeFilter:
        return self._filter

    def set_filter(self, f: NoticeFilter) -> None:
        self._filter = f
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._today = self._ctx.today()
        self._count = notice_ops.count(self._ctx, self._filter)
        self.endResetModel()

    @property
    def sort_key(self) -> str:
        return self._sort_key

    @property
    def descending(self) -> bool:
        return self._descending

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(REGISTER_COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort_key = REGISTER_COLUMNS[column][0]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._pages.clear()
        self.layoutChanged.emit()

    # ---- rows ------------------------------------------------------------------------------

    def _page(self, number: int) -> list[NoticeSummary]:
        page = self._pages.get(number)
        if page is None:
            page = notice_ops.query(
                self._ctx, self._filter, sort=self._sort_key, descending=self._descending,
                offset=number * PAGE_SIZE, limit=PAGE_SIZE,
            )
            self.pages_fetched += 1
            self._pages[number] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page

    @property
    def cached_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    def notice_at(self, row: int) -> NoticeSummary | None:
        if not 0 <= row < self._count:
            return None
        page = self._page(row // PAGE_SIZE)
        i = row % PAGE_SIZE
        return page[i] if i < len(page) else None

    def row_of(self, notice_id: int) -> int | None:
        for number, page in self._pages.items():
            for i, n in enumerate(page):
                if n.id == notice_id:
                    return number * PAGE_SIZE + i
        return None

    # ---- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(REGISTER_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(REGISTER_COLUMNS):
            return REGISTER_COLUMNS[section][1]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        notice = self.notice_at(index.row())
        if notice is None:
            return None
        key = REGISTER_COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            value = notice.value(key)
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, (Disclosure, NoticeStatus)):
                return value.value
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "publish_due" and self._overdue(notice):
                return "已超过公开时限仍未公开（条例第二十六条：信息形成或变更之日起20个工作日内公开）"
            if key == "title":
                return notice.title
            return None
        if role == Qt.ItemDataRole.ForegroundRole and key == "status":
            return QBrush(_STATUS_COLOURS[notice.status])
        if role == Qt.ItemDataRole.BackgroundRole and key == "publish_due" and self._overdue(notice):
            return _OVERDUE
        if role == Qt.ItemDataRole.UserRole:
            return notice.id
        return None

    def _overdue(self, n: NoticeSummary) -> bool:
        return (n.disclosure is Disclosure.PROACTIVE and n.status not in DISCLOSED_STATUSES
                and self._today > n.publish_due)
