"""Table models for the 实施方案 page: the plan as a grouped table (a section row spanning the
columns, then its tasks), what each unit owes, and the task dialog's notes and evidence. A plan has a few dozen tasks, so the models hold all their records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from govdesk.core.calendar import WorkCalendar
from govdesk.core.documents import cn_date
from govdesk.core.work_plan import (
    PlanSection,
    PlanTask,
    TaskState,
    effective_due,
    is_due_soon,
    is_overdue,
    section_number,
)
from govdesk.gui.models.org_models import Column, RecordTableModel

_Index = QModelIndex | QPersistentModelIndex
_CENTER = Qt.AlignmentFlag.AlignCenter

DONE_COLOUR = QColor("#1b7a2e")
NOT_DONE_COLOUR = QColor("#b3261e")
OVERDUE_COLOUR = QColor("#b3261e")
DUE_SOON_COLOUR = QColor("#8a5a00")
DONE_BRUSH = QBrush(QColor("#e3f3e5"))
NOT_DONE_BRUSH = QBrush(QColor("#fde2e1"))
DUE_SOON_BRUSH = QBrush(QColor("#fff1c2"))
SECTION_BRUSH = QBrush(QColor("#eef2f8"))

TASK_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def short_date(d: date | None, year: int | None = None) -> str:
    """11月3日 within ``year``, 2025年11月3日 otherwise; — for none."""
    if d is None:
        return "—"
    return f"{d.month}月{d.day}日" if d.year == year else cn_date(d)


@dataclass(frozen=True, slots=True)
class TaskTiming:
    """How a task stands against its 完成时限 today."""

    overdue: bool = False
    due_soon: bool = False
    days: int = 0  # past the effective deadline (overdue) or left (due soon)


def timing(task: PlanTask, today: date, calendar: WorkCalendar) -> TaskTiming:
    if is_overdue(task, today, calendar):
        due = effective_due(task.deadline, calendar) or today
        return TaskTiming(overdue=True, days=(today - due).days)
    if is_due_soon(task, today) and task.deadline.on is not None:
        return TaskTiming(due_soon=True, days=(task.deadline.on - today).days)
    return TaskTiming()


def state_text(task: PlanTask, t: TaskTiming) -> str:
    if t.overdue:
        return f"{task.state.value}（已超期 {t.days} 天）"
    if t.due_soon:
        return f"{task.state.value}（{'今天到期' if t.days == 0 else f'还有 {t.days} 天'}）"
    return task.state.value


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One line of the grouped table: a section heading (task None) or a task."""

    section: PlanSection
    number: str  # 一、 for a section, 1 for a task
    task: PlanTask | None = None

    @property
    def is_section(self) -> bool:
        return self.task is None


class PlanTableModel(QAbstractTableModel):
    """序号 | 工作任务 | 责任单位 | 完成时限 | 状态 | 进展 | 佐证."""

    HEADERS = ("序号", "工作任务", "责任单位", "完成时限", "状态", "进展", "佐证")
    TEXT, OWNERS, DEADLINE, STATE, PROGRESS, EVIDENCE = 1, 2, 3, 4, 5, 6

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PlanRow] = []
        self._timing: dict[int, TaskTiming] = {}
        self._notes: Mapping[int, date | None] = {}
        self._evidence: Mapping[int, int] = {}
        self._notices: Mapping[int, int] = {}
        self._year: int | None = None

    def set_plan(self, rows: Iterable[PlanRow], *, year: int, today: date,
                 calendar: WorkCalendar, notes: Mapping[int, date | None],
                 evidence: Mapping[int, int], notices: Mapping[int, int]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._year = year
        self._timing = {r.task.id: timing(r.task, today, calendar)
                        for r in self._rows if r.task is not None}
        self._notes, self._evidence, self._notices = notes, evidence, notices
        self.endResetModel()

    def row(self, row: int) -> PlanRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[PlanRow]:
        return list(self._rows)

    def row_of_task(self, task_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows)
                     if r.task is not None and r.task.id == task_id), None)

    def row_of_section(self, section_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows)
                     if r.is_section and r.section.id == section_id), None)

    def timing_of(self, task_id: int) -> TaskTiming:
        return self._timing.get(task_id, TaskTiming())

    def evidence_text(self, task: PlanTask) -> str:
        own = self._evidence.get(task.id, 0)
        if task.category_id is None:
            return str(own)
        return f"{own}（目录 {self._notices.get(task.id, 0)} 条）"

    # ---- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if r.task is None:
            return self._section_data(r, col, role)
        task = r.task
        t = self._timing.get(task.id, TaskTiming())
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.number, task.text, task.responsible, task.deadline.text,
                    state_text(task, t), short_date(self._notes.get(task.id), self._year),
                    self.evidence_text(task))[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.TEXT:
                return task.text + (f"\n公开目录类别：{task.category}" if task.category else "")
            if col == self.STATE and task.reason:
                return f"未完成原因：{task.reason}"
            if col == self.EVIDENCE:
                tip = f"关联的信息和附件 {self._evidence.get(task.id, 0)} 项"
                if task.category_id is not None:
                    tip += (f"；本年度在“{task.category}”类别下已公开的信息 "
                            f"{self._notices.get(task.id, 0)} 条（自动统计）")
                return tip
            if col == self.PROGRESS:
                return "最近一次记录进展的日期（双击查看和记录进展）"
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_CENTER) if col in (0, self.DEADLINE, self.PROGRESS, self.EVIDENCE) else None
        if role == Qt.ItemDataRole.ForegroundRole and col in (self.STATE, self.DEADLINE):
            if task.state is TaskState.DONE:
                return DONE_COLOUR if col == self.STATE else None
            if task.state is TaskState.NOT_DONE:
                return NOT_DONE_COLOUR if col == self.STATE else None
            if t.overdue:
                return OVERDUE_COLOUR
            if t.due_soon:
                return DUE_SOON_COLOUR
            return None
        if role == Qt.ItemDataRole.BackgroundRole and col == self.STATE:
            if task.state is TaskState.DONE:
                return DONE_BRUSH
            if task.state is TaskState.NOT_DONE or t.overdue:
                return NOT_DONE_BRUSH
            if t.due_soon:
                return DUE_SOON_BRUSH
            return None
        if role == TASK_ID_ROLE:
            return task.id
        return None

    def _section_data(self, r: PlanRow, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{r.number}{r.section.title}" if col == 0 else ""
        if role == Qt.ItemDataRole.BackgroundRole:
            return SECTION_BRUSH
        if role == Qt.ItemDataRole.FontRole:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None


def plan_rows(sections: Iterable[PlanSection], tasks: Iterable[PlanTask],
              keep: Any = None, *, keep_empty_sections: bool = True) -> list[PlanRow]:
    """Sections in order, each followed by its tasks (those ``keep(task)`` accepts); numbering
    follows the whole plan (a filter does not renumber)."""
    tasks = list(tasks)
    out: list[PlanRow] = []
    for i, section in enumerate(sorted(sections, key=lambda s: (s.seq, s.id)), 1):
        own = sorted((t for t in tasks if t.section_id == section.id), key=lambda t: (t.seq, t.id))
        shown = [(n, t) for n, t in enumerate(own, 1) if keep is None or keep(t)]
        if not shown and not keep_empty_sections:
            continue
        out.append(PlanRow(section, f"{section_number(i)}、"))
        out.extend(PlanRow(section, str(n), t) for n, t in shown)
    return out


@dataclass(frozen=True, slots=True)
class OwedTask:
    owner: str
    task: PlanTask
    first: bool  # the owner's first row (its name is shown once)
    count: int


class OwedTaskModel(RecordTableModel):
    """各单位任务: 责任单位 | 未完成任务 | 工作任务 | 完成时限 | 状态 (open tasks by owner)."""

    columns = (
        Column("责任单位", lambda o: o.owner if o.first else ""),
        Column("未完成任务", lambda o: f"{o.count} 项" if o.first else "", _CENTER),
        Column("工作任务", lambda o: o.task.text),
        Column("完成时限", lambda o: o.task.deadline.text, _CENTER),
        Column("状态", lambda o: o.task.state.value, _CENTER),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._timing: dict[int, TaskTiming] = {}

    def set_owed(self, owed: Mapping[str, list[PlanTask]], today: date,
                 calendar: WorkCalendar) -> None:
        self._timing = {t.id: timing(t, today, calendar) for ts in owed.values() for t in ts}
        self.set_records(OwedTask(owner, t, i == 0, len(ts))
                         for owner, ts in owed.items() for i, t in enumerate(ts))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        o = self._records[index.row()]
        t = self._timing.get(o.task.id, TaskTiming())
        if role == Qt.ItemDataRole.DisplayRole and index.column() == 4:
            return state_text(o.task, t)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() in (3, 4):
            return OVERDUE_COLOUR if t.overdue else (DUE_SOON_COLOUR if t.due_soon else None)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            return f"{o.task.text}\n责任单位：{o.task.responsible}（双击打开）"
        if role == TASK_ID_ROLE:
            return o.task.id
        if role == Qt.ItemDataRole.FontRole and index.column() == 0 and o.first:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)

    def foreground(self, record: Any) -> QColor | None:
        return None


class NoteModel(RecordTableModel):
    """进展记录: 日期 | 工作进展 | 记录人."""

    columns = (
        Column("日期", lambda n: cn_date(n.on), _CENTER),
        Column("工作进展", lambda n: n.text),
        Column("记录人", lambda n: n.by_name, _CENTER),
    )

    def foreground(self, record: Any) -> QColor | None:
        return None


class EvidenceModel(RecordTableModel):
    """佐证材料: 类型 | 名称."""

    columns = (
        Column("类型", lambda e: "关联信息" if e.is_notice else "附件", _CENTER),
        Column("名称", lambda e: e.label or e.file_name),
    )

    def foreground(self, record: Any) -> QColor | None:
        return None


class PlanDueModel(RecordTableModel):
    """工作台 · 实施方案任务: 工作任务 | 责任单位 | 完成时限 | 情况 (records: PlanTaskDue)."""

    columns = (
        Column("工作任务", lambda d: d.task.text),
        Column("责任单位", lambda d: d.task.responsible),
        Column("完成时限", lambda d: d.task.deadline.text, _CENTER),
        Column("情况", lambda d: d.when_text, _CENTER),
    )

    def foreground(self, record: Any) -> QColor | None:
        return OVERDUE_COLOUR if record.overdue else DUE_SOON_COLOUR

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and 0 <= index.row() < len(self._records):
            d = self._records[index.row()]
            if role == TASK_ID_ROLE:
                return d.task.id
            if role == Qt.ItemDataRole.ToolTipRole:
                return (f"{d.task.text}\n责任单位：{d.task.responsible}　完成时限："
                        f"{d.task.deadline.text}　{d.when_text}（双击打开实施方案）")
            if role == Qt.ItemDataRole.ForegroundRole and index.column() < 2:
                return None
        return super().data(index, role)
