"""Table models for 依申请公开: the list of applications with their legal clocks, the clock
ledger (台账) of one application, and the facts recorded on it (for 删除所选记录).

The register of one township holds tens to a few hundred applications a year, so each model
holds the rows the page hands it (operations.requests.request_summaries does the reading).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from govdesk.core.requests import (
    LEDGER_HEADERS,
    ClockEvent,
    ClockEventKind,
    Ledger,
    Outcome,
    Request,
)
from govdesk.operations.requests import RequestSummary

_Index = QModelIndex | QPersistentModelIndex
_CENTER = Qt.AlignmentFlag.AlignCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

REQUEST_ID_ROLE = Qt.ItemDataRole.UserRole  # every row answers its request id here
EVENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1

# Issue 6: due within 5 working days amber, overdue red (as the 工作台 shows them).
DUE_SOON_BRUSH = QBrush(QColor("#fff1c2"))
OVERDUE_BRUSH = QBrush(QColor("#fde2e1"))
OVERDUE_TEXT = QColor("#b3261e")
DUE_SOON_TEXT = QColor("#8a5a00")
CLOSED_TEXT = QColor("#666666")
CONTENT_CHARS = 28  # 申请内容 is cut to this many characters on the list

# The outcome the clock decides by itself, as the list says it in a few characters.
_LAPSE_TEXT = {
    Outcome.NO_CORRECTION: "逾期未补正",
    Outcome.FEE_UNPAID: "逾期未缴费",
}


def cn_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def elide(text: str, limit: int = CONTENT_CHARS) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def days_left_text(ledger: Ledger) -> str:
    """剩余工作日 as the list says it: 还剩3个工作日 / 今天到期 / 逾期2个工作日 / 等待补正 /
    暂停计算（征求意见）."""
    if not ledger.is_open:
        return f"逾期{ledger.late_days}个工作日答复" if ledger.late_days else "—"
    if ledger.implied_outcome is not None:
        return _LAPSE_TEXT.get(ledger.implied_outcome, ledger.implied_outcome.label)
    if ledger.awaiting_correction:
        return "等待补正"
    if ledger.paused:
        return "暂停计算（征求意见）"
    if ledger.days_left is None:
        return ""
    if ledger.overdue:
        return f"逾期{-ledger.days_left}个工作日"
    if ledger.days_left == 0:
        return "今天到期"
    return f"还剩{ledger.days_left}个工作日"


def due_text(ledger: Ledger) -> str:
    """答复期限: the date, or a dash while the clock waits (补正) or is paused (征求意见)."""
    if ledger.due_on is not None:
        return cn_date(ledger.due_on)
    # Waiting for 补正 or paused: no date yet; 剩余工作日 and the tooltip say why.
    return "—"


def status_text(request: Request) -> str:
    if request.is_open:
        return "办理中"
    if request.outcome is None:
        return "已办结"
    return f"已办结：{request.outcome.label}"


def needs_attention(ledger: Ledger) -> bool:
    return ledger.is_open and (ledger.implied_outcome is not None or ledger.due_soon)


class _ReadOnlyTable(QAbstractTableModel):
    """Rows in ``_rows``, columns named by ``HEADERS``: read-only and selectable."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return section + 1

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class RequestTableModel(_ReadOnlyTable):
    """编号, 收到日期, 申请方式, 申请人, 申请人类型, 申请内容, 答复期限, 剩余工作日, 状态."""

    HEADERS = ("编号", "收到日期", "申请方式", "申请人", "申请人类型", "申请内容", "答复期限",
               "剩余工作日", "状态")
    DAYS_COLUMN = 7

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RequestSummary] = []

    def set_summaries(self, summaries: Iterable[RequestSummary]) -> None:
        self.beginResetModel()
        self._rows = list(summaries)
        self.endResetModel()

    def summary(self, row: int) -> RequestSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, request_id: int) -> int | None:
        return next((i for i, s in enumerate(self._rows) if s.request.id == request_id), None)


    def _text(self, s: RequestSummary, col: int) -> str:
        r, lg = s.request, s.ledger
        if col == 0:
            return r.number
        if col == 1:
            return cn_date(r.received_on)
        if col == 2:
            return r.channel.value
        if col == 3:
            return r.applicant_name
        if col == 4:
            return r.applicant_kind.value
        if col == 5:
            return elide(r.content)
        if col == 6:
            return due_text(lg)
        if col == 7:
            return days_left_text(lg)
        return status_text(r)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        s = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(s, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 5:
                return s.request.content
            if col in (6, 7):
                return self._clock_tip(s.ledger)
            if col == 3 and s.request.masked:
                return "申请人个人信息仅对登记和办理申请的人员显示"
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if s.ledger.overdue:
                return OVERDUE_BRUSH
            if needs_attention(s.ledger):
                return DUE_SOON_BRUSH
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if s.ledger.overdue and col == self.DAYS_COLUMN:
                return OVERDUE_TEXT
            if needs_attention(s.ledger) and col == self.DAYS_COLUMN:
                return DUE_SOON_TEXT
            if not s.request.is_open:
                return CLOSED_TEXT
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2, 4):
            return int(_CENTER)
        if role == REQUEST_ID_ROLE:
            return s.request.id
        return None

    @staticmethod
    def _clock_tip(lg: Ledger) -> str:
        parts = [f"收到申请：{cn_date(lg.received_on)}"]
        if lg.clock_start != lg.received_on:
            parts.append(f"收到补正，重新起算：{cn_date(lg.clock_start)}")
        if lg.extension_days:
            parts.append(f"延期{lg.extension_days}个工作日")
        if lg.excluded_days:
            parts.append(f"征求意见不计入{lg.excluded_days}个工作日")
        if lg.paused and lg.days_left is not None:
            parts.append(f"征求意见期间暂停计算，尚余{lg.days_left}个工作日")
        for label, d in lg.deadlines().items():
            if d is not None:
                parts.append(f"{label}：{cn_date(d)}")
        return "\n".join(parts)


class LedgerTableModel(_ReadOnlyTable):
    """The clock's arithmetic line by line: 日期, 事项, 天数, 答复期限 (LEDGER_HEADERS)."""

    HEADERS = LEDGER_HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str, str]] = []

    def set_ledger(self, ledger: Ledger | None) -> None:
        self.beginResetModel()
        self._rows = ledger.rows() if ledger is not None else []
        self.endResetModel()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(_RIGHT)
        return None


def event_detail(e: ClockEvent) -> str:
    """What was recorded, in words (the ledger says what it did to the clock)."""
    parts: list[str] = []
    if e.kind is ClockEventKind.CORRECTION_REQUESTED and e.until:
        parts.append(f"补正期限{cn_date(e.until)}")
    if e.kind is ClockEventKind.DEFERRED and e.until:
        parts.append(f"延迟至{cn_date(e.until)}")
    if e.consultee is not None:
        parts.append(e.consultee.label)
    if e.party:
        parts.append(e.party)
    if e.delivered_on:
        parts.append(f"{cn_date(e.delivered_on)}送达")
    if e.days:
        parts.append(f"{e.days}个工作日")
    if e.approver:
        parts.append(f"同意人：{e.approver}")
    if e.approved_on:
        parts.append(f"{cn_date(e.approved_on)}同意")
    if e.note:
        parts.append(e.note)
    return "；".join(parts)


class EventTableModel(_ReadOnlyTable):
    """The facts recorded on one application (日期, 事项, 内容), as stored — for removing one."""

    HEADERS = ("日期", "事项", "内容")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[int, ClockEvent]] = []

    def set_events(self, events: Sequence[tuple[int, ClockEvent]]) -> None:
        self.beginResetModel()
        self._rows = sorted(events, key=lambda item: (item[1].on, item[0]))
        self.endResetModel()

    def fact(self, row: int) -> tuple[int, ClockEvent] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None


    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        eid, e = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (cn_date(e.on), e.kind.label, event_detail(e))[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and e.kind is ClockEventKind.RECEIVED:
            return CLOSED_TEXT  # not removable: the receipt is changed through 修改登记
        if role == EVENT_ID_ROLE:
            return eid
        return None
