"""Table models for the 月抽查 month grid: communities × leaf indicators with the points deducted
in each cell (the working copy of the month's checks, edited in place and saved as a whole),
and the deduction lines of one cell for the detail panel.

The grid keeps the deductions of each community as one list in entry order (the order the
store gives back), so that a month loaded and saved unchanged compares equal to what is stored
and ``save_month`` leaves it alone. Typing a number into a cell goes through
:func:`~govdesk.core.scoring.deduction_for_points`; the score column is
:func:`~govdesk.core.scoring.check_score`, recomputed on every change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from govdesk.core.errors import UserError
from govdesk.core.scoring import (
    CheckKind,
    Deduction,
    Indicator,
    Scheme,
    SpotCheck,
    VetoFinding,
    check_score,
    deduction_for_points,
    validate_spot_check,
)

_Index = QModelIndex | QPersistentModelIndex

CHECK_COLUMN = 0

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_BOLD = QFont()
_BOLD.setBold(True)

# Cell colours. Auto-findings are amber, problems (e.g. a missing 扣分原因) red; the 一级
# indicator groups alternate white and a faint blue so a column is easy to follow by eye.
AUTO_BACKGROUND = QColor("#ffe9c7")
AUTO_FOREGROUND = QColor("#8a4b00")
PROBLEM_BACKGROUND = QColor("#fbdede")
PROBLEM_FOREGROUND = QColor("#a61b1b")
GROUP_TINT = QColor("#f3f6fb")
GROUP_HEADER_TINT = QColor("#e3eaf5")
UNCHECKED_BACKGROUND = QColor("#f1f1f1")
UNCHECKED_FOREGROUND = QColor("#9a9a9a")
VETO_FOREGROUND = QColor("#b71c1c")
SCORE_BACKGROUND = QColor("#eef5ee")


def points_text(value: Decimal) -> str:
    """5, 0.5, 12.5 — no trailing .0, as the office writes points on the sheet."""
    return f"{value.normalize():f}"


def header_lines(name: str) -> str:
    """An indicator name for a narrow column header: up to five characters on one line, longer
    names broken after the fourth character (内容真实/准确, 公示期满/及时撤栏)."""
    return name if len(name) <= 5 else f"{name[:4]}\n{name[4:]}"


def rule_text(ind: Indicator, n: int) -> str:
    rule = ind.rules[n]
    cap = f"，最多扣{points_text(rule.cap)}分" if rule.cap is not None else ""
    return f"{rule.text}（每次{points_text(rule.points_per_finding)}分{cap}）"


def indicator_tooltip(scheme: Scheme, ind: Indicator) -> str:
    path = scheme.path(ind.code)
    lines = [f"{' › '.join(path)}（{ind.code}，{points_text(ind.max_points)}分）"]
    if ind.standard:
        lines.append(f"评分标准：{ind.standard}")
    if ind.rules:
        lines.append("扣分规则：")
        lines += [f"{n + 1}. {rule_text(ind, n)}" for n in range(len(ind.rules))]
    lines.append("输入扣分数即可录入，如 5 或 0.5；Delete 清除。")
    return "\n".join(lines)


def parse_points(ind: Indicator, text: str) -> Decimal | None:
    """The points typed into a cell of ``ind``: None for an empty cell; a UserError in Chinese
    for anything that is not 0 … max with at most one decimal (the typed text is quoted)."""
    t = text.strip().replace("，", ".").replace("。", ".").replace("．", ".")
    if t.endswith("分"):
        t = t[:-1].strip()
    if not t:
        return None
    try:
        value = Decimal(t)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise UserError(f"“{text.strip()}”不是分值：请输入{ind.name}扣的分数，"
                        f"如 5 或 0.5（0～{points_text(ind.max_points)}分）。")
    if value < 0:
        raise UserError(f"扣分不能为负数（输入的是“{text.strip()}”）。")
    if value * 10 != (value * 10).to_integral_value():
        raise UserError(f"“{text.strip()}”：扣分最多保留一位小数，如 0.5。")
    if value > ind.max_points:
        raise UserError(f"“{ind.name}”满分{points_text(ind.max_points)}分，"
                        f"不能扣{points_text(value)}分（输入的是“{text.strip()}”）。"
                        f"请改为0～{points_text(ind.max_points)}之间的分值。")
    return value if value != 0 else None


def line_points(ind: Indicator, d: Deduction) -> Decimal:
    """What a line asks for before caps (count × rule, or the points given)."""
    if d.points is not None:
        return d.points
    if d.count is not None and d.rule is not None and 0 <= d.rule < len(ind.rules):
        return ind.rules[d.rule].points_per_finding * d.count
    return Decimal(0)


def auto_text(d: Deduction) -> str:
    assert d.auto is not None
    return f"系统发现：{d.reason}" + (f"（{d.evidence}）" if d.evidence else "")


@dataclass
class _Row:
    community_id: int
    name: str
    checked: bool
    deductions: list[Deduction] = field(default_factory=list)
    vetoes: tuple[VetoFinding, ...] = ()


class SpotCheckGridModel(QAbstractTableModel):
    """Rows: communities; columns: 检查, one per leaf indicator, 得分. The community names are
    the vertical header, so they stay in view when the grid scrolls sideways."""

    # Any change of the working copy (for the 未保存 mark and the detail panel).
    edited = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._scheme: Scheme | None = None
        self._leaves: tuple[Indicator, ...] = ()
        self._groups: dict[str, int] = {}
        self._rows: list[_Row] = []
        self._editable = True

    # ---- loading ------------------------------------------------------------------------------

    def load(self, scheme: Scheme, communities: Sequence[tuple[int, str]],
             checks: Mapping[int, SpotCheck]) -> None:
        self.beginResetModel()
        self._scheme = scheme
        self._leaves = scheme.leaves
        self._groups = {}
        for n, top in enumerate(scheme.indicators):
            for leaf in (top.children or (top,)):
                self._groups[leaf.code] = n
        self._rows = []
        for cid, name in communities:
            check = checks.get(cid)
            self._rows.append(_Row(cid, name, check is not None,
                                   list(check.deductions) if check else [],
                                   check.vetoes if check else ()))
        self.endResetModel()

    def set_editable(self, editable: bool) -> None:
        self.beginResetModel()
        self._editable = editable
        self.endResetModel()

    @property
    def scheme(self) -> Scheme | None:
        return self._scheme

    @property
    def editable(self) -> bool:
        return self._editable

    # ---- columns ------------------------------------------------------------------------------

    @property
    def score_column(self) -> int:
        return len(self._leaves) + 1

    def leaf_at(self, column: int) -> Indicator | None:
        if 1 <= column <= len(self._leaves):
            return self._leaves[column - 1]
        return None

    def column_of(self, code: str) -> int:
        for n, leaf in enumerate(self._leaves, 1):
            if leaf.code == code:
                return n
        raise KeyError(code)

    def row_of(self, community_id: int) -> int:
        for n, r in enumerate(self._rows):
            if r.community_id == community_id:
                return n
        raise KeyError(community_id)

    def community_at(self, row: int) -> tuple[int, str]:
        r = self._rows[row]
        return r.community_id, r.name

    def community_ids(self) -> list[int]:
        return [r.community_id for r in self._rows]

    def is_entry_column(self, column: int) -> bool:
        return 0 <= column < self.score_column

    # ---- the working copy ----------------------------------------------------------------------

    def is_checked(self, row: int) -> bool:
        return self._rows[row].checked

    def checked_ids(self) -> list[int]:
        return [r.community_id for r in self._rows if r.checked]

    def has_entries(self) -> bool:
        return any(r.checked or r.deductions for r in self._rows)

    def lines(self, row: int, column: int) -> list[Deduction]:
        leaf = self.leaf_at(column)
        if leaf is None:
            return list(self._rows[row].deductions)
        return [d for d in self._rows[row].deductions if d.indicator_code == leaf.code]

    def row_deductions(self, row: int) -> list[Deduction]:
        return list(self._rows[row].deductions)

    def cell_points(self, row: int, column: int) -> Decimal | None:
        leaf = self.leaf_at(column)
        if leaf is None:
            return None
        found = [line_points(leaf, d) for d in self.lines(row, column)]
        return sum(found, Decimal(0)) if found else None

    def score(self, row: int) -> Decimal | None:
        r = self._rows[row]
        if not r.checked or self._scheme is None:
            return None
        try:
            return check_score(self._scheme, self._check_of(r, self._scheme.year, 1))
        except UserError:
            return None

    def cell_problems(self, row: int, column: int) -> list[str]:
        leaf = self.leaf_at(column)
        if leaf is None or self._scheme is None:
            return []
        r = self._rows[row]
        check = SpotCheck(r.community_id, self._scheme.year, 1,
                          deductions=tuple(self.lines(row, column)))
        return validate_spot_check(self._scheme, check)

    def snapshot(self) -> tuple:
        """What the grid holds, comparable with an earlier snapshot (unsaved-changes mark)."""
        return tuple((r.community_id, r.checked, tuple(r.deductions)) for r in self._rows)

    def set_checked(self, row: int, checked: bool) -> None:
        r = self._rows[row]
        if r.checked == checked:
            return
        r.checked = checked
        self._row_changed(row)

    def vetoes(self, row: int) -> tuple[VetoFinding, ...]:
        return self._rows[row].vetoes

    def set_vetoes(self, row: int, vetoes: Iterable[VetoFinding]) -> None:
        """The row's 否决项 findings; recording one marks the row as checked."""
        r = self._rows[row]
        new = tuple(vetoes)
        if new == r.vetoes:
            return
        r.vetoes = new
        if new:
            r.checked = True
        self._row_changed(row)

    def set_lines(self, row: int, column: int, lines: Iterable[Deduction]) -> None:
        """Replace the lines of one cell, keeping them where the cell's first line was (entry
        order is kept for everything else). Entering a deduction marks the row as checked."""
        leaf = self.leaf_at(column)
        assert leaf is not None
        new = list(lines)
        r = self._rows[row]
        out: list[Deduction] = []
        placed = False
        for d in r.deductions:
            if d.indicator_code == leaf.code:
                if not placed:
                    out += new
                    placed = True
                continue
            out.append(d)
        if not placed:
            out += new
        if out == r.deductions:
            return
        r.deductions = out
        if new:
            r.checked = True
        self._row_changed(row)

    def set_line(self, row: int, column: int, n: int, line: Deduction | None) -> None:
        """Replace (or with None remove) the n-th line of a cell."""
        lines = self.lines(row, column)
        if line is None:
            del lines[n]
        else:
            lines[n] = line
        self.set_lines(row, column, lines)

    def set_points(self, row: int, column: int, points: Decimal | None) -> None:
        """A number typed into a cell: the cell's lines become the one deduction it means
        (``deduction_for_points``); None or 0 clears the cell. A reason typed earlier for a
        single direct deduction and any evidence (photo, posting) are carried over."""
        leaf = self.leaf_at(column)
        assert leaf is not None and self._scheme is not None
        old = self.lines(row, column)
        if points is None:
            self.set_lines(row, column, [])
            return
        if self.cell_points(row, column) == points:
            return
        reason = old[0].reason if len(old) == 1 and old[0].points is not None else ""
        evidence = "；".join(d.evidence for d in old if d.evidence and d.auto is None)
        posting = next((d.posting_id for d in old if d.posting_id is not None), None)
        line = deduction_for_points(self._scheme, leaf.code, points, reason,
                                    evidence=evidence, posting_id=posting)
        self.set_lines(row, column, [line])

    def apply_auto(self, found: Mapping[int, Sequence[Deduction]]) -> None:
        """The register's findings for these communities: earlier auto lines are replaced."""
        for n, r in enumerate(self._rows):
            if r.community_id not in found:
                continue
            kept = [d for d in r.deductions if d.auto is None]
            new = kept + list(found[r.community_id])
            if new != r.deductions:
                r.deductions = new
                if found[r.community_id]:
                    r.checked = True
                self._row_changed(n)

    def replace_all(self, checks: Mapping[int, SpotCheck]) -> None:
        """The grid becomes exactly ``checks`` (copy last month): other rows are unchecked."""
        self.beginResetModel()
        for r in self._rows:
            check = checks.get(r.community_id)
            r.checked = check is not None
            r.deductions = list(check.deductions) if check else []
            r.vetoes = check.vetoes if check else ()
        self.endResetModel()
        self.edited.emit()

    def checks(self, year: int, month: int, checker: str,
               checked_on: date | None) -> list[SpotCheck]:
        """The month's 月抽查 for saving: one per checked community."""
        return [self._check_of(r, year, month, checker, checked_on)
                for r in self._rows if r.checked]

    @staticmethod
    def _check_of(r: _Row, year: int, month: int, checker: str = "",
                  checked_on: date | None = None) -> SpotCheck:
        return SpotCheck(r.community_id, year, month, deductions=tuple(r.deductions),
                         kind=CheckKind.MONTHLY, vetoes=r.vetoes, checker=checker,
                         checked_on=checked_on)

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.edited.emit()

    # ---- QAbstractTableModel -------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._scheme is None else len(self._leaves) + 2

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if not 0 <= section < len(self._rows):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return self._rows[section].name
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _LEFT
            return None
        if not 0 <= section < self.columnCount():
            return None
        leaf = self.leaf_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if section == CHECK_COLUMN:
                return "检查"
            if leaf is None:
                return "得分"
            return f"{header_lines(leaf.name)}\n{points_text(leaf.max_points)}分"
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == CHECK_COLUMN:
                return "本月检查了这个社区（村）就勾选（空格键切换）；未勾选的不计入本月，不是记0分"
            if leaf is None:
                return "本月抽查得分（按考核细则计算，扣完为止）"
            assert self._scheme is not None
            return indicator_tooltip(self._scheme, leaf)
        if role == Qt.ItemDataRole.FontRole and leaf is None and section != CHECK_COLUMN:
            return _BOLD
        if role == Qt.ItemDataRole.BackgroundRole and leaf is not None and \
                self._groups.get(leaf.code, 0) % 2:
            return QBrush(GROUP_HEADER_TINT)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self._editable:
            return base
        if index.column() == CHECK_COLUMN:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if self.leaf_at(index.column()) is not None:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= col < self.columnCount()):
            return None
        r = self._rows[row]
        if col == CHECK_COLUMN:
            return self._check_data(r, role)
        leaf = self.leaf_at(col)
        if leaf is None:
            return self._score_data(row, role)
        lines = self.lines(row, col)
        pts = self.cell_points(row, col)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return points_text(pts) if pts is not None else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTER
        has_auto = any(d.auto is not None for d in lines)
        problems = self.cell_problems(row, col) if lines else []
        if role == Qt.ItemDataRole.BackgroundRole:
            if problems:
                return QBrush(PROBLEM_BACKGROUND)
            if has_auto:
                return QBrush(AUTO_BACKGROUND)
            if not r.checked:
                return QBrush(UNCHECKED_BACKGROUND)
            if self._groups.get(leaf.code, 0) % 2:
                return QBrush(GROUP_TINT)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if problems:
                return QBrush(PROBLEM_FOREGROUND)
            if has_auto:
                return QBrush(AUTO_FOREGROUND)
            if not r.checked:
                return QBrush(UNCHECKED_FOREGROUND)
            return None
        if role == Qt.ItemDataRole.FontRole and has_auto:
            return _BOLD
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._cell_tooltip(r, leaf, lines, problems)
        return None

    def _check_data(self, r: _Row, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTER
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if r.checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{r.name}：本月已检查" if r.checked else f"{r.name}：本月未检查（不计入本月）"
        return None

    def _score_data(self, row: int, role: int) -> Any:
        score = self.score(row)
        vetoes = self._rows[row].vetoes if score is not None else ()
        if role == Qt.ItemDataRole.DisplayRole:
            if score is None:
                return "未检查" if not self._rows[row].checked else "—"
            # A 否决项 makes the quarter 不合格 whatever the points: say so beside them.
            return points_text(score) + ("（否决）" if vetoes else "")
        if role == Qt.ItemDataRole.ToolTipRole and vetoes:
            names = {v.code: v.name for v in self._scheme.vetoes} if self._scheme else {}
            return "否决项：" + "；".join(f"{names.get(v.code, v.code)}——{v.reason}"
                                       for v in vetoes)
        if role == Qt.ItemDataRole.ForegroundRole and vetoes:
            return QBrush(VETO_FOREGROUND)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT
        if role == Qt.ItemDataRole.FontRole and score is not None:
            return _BOLD
        if role == Qt.ItemDataRole.ForegroundRole and score is None:
            return QBrush(UNCHECKED_FOREGROUND)
        if role == Qt.ItemDataRole.BackgroundRole and score is not None:
            return QBrush(SCORE_BACKGROUND)
        if role == Qt.ItemDataRole.UserRole:
            return score
        return None

    def _cell_tooltip(self, r: _Row, leaf: Indicator, lines: list[Deduction],
                      problems: list[str]) -> str:
        head = f"{r.name} · {leaf.name}（满分{points_text(leaf.max_points)}分）"
        if not lines:
            return head + "\n未扣分"
        out = [head]
        for d in lines:
            pts = points_text(line_points(leaf, d))
            if d.auto is not None:
                out.append(f"扣{pts}分 — {auto_text(d)}")
            else:
                out.append(f"扣{pts}分 — {d.reason or '（未填扣分原因）'}")
        out += [f"⚠ {p}" for p in problems]
        if not r.checked:
            out.append("本行未勾选“检查”，保存时不计入本月")
        return "\n".join(out)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not self._editable:
            return False
        row, col = index.row(), index.column()
        if col == CHECK_COLUMN and role == Qt.ItemDataRole.CheckStateRole:
            state = value.value if isinstance(value, Qt.CheckState) else int(value)
            self.set_checked(row, state == Qt.CheckState.Checked.value)
            return True
        leaf = self.leaf_at(col)
        if leaf is None or role != Qt.ItemDataRole.EditRole:
            return False
        try:
            points = value if isinstance(value, Decimal) else parse_points(leaf, str(value))
        except UserError:
            return False
        self.set_points(row, col, points)
        return True


LINE_HEADERS = ("指标", "扣分原因", "扣分依据", "扣分", "佐证", "来源")


class DeductionLinesModel(QAbstractTableModel):
    """The deduction lines of the current cell (or of the whole row when the 检查 or 得分
    column is current), for the detail panel."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._scheme: Scheme | None = None
        self._lines: list[Deduction] = []
        self._postings: dict[int, str] = {}

    def set_lines(self, scheme: Scheme | None, lines: Sequence[Deduction],
                  postings: Mapping[int, str] | None = None) -> None:
        self.beginResetModel()
        self._scheme = scheme
        self._lines = list(lines)
        self._postings = dict(postings or {})
        self.endResetModel()

    def line(self, row: int) -> Deduction:
        return self._lines[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(LINE_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(LINE_HEADERS):
            return LINE_HEADERS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._lines):
            return str(section + 1)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._scheme is None:
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._lines) and 0 <= col < len(LINE_HEADERS)):
            return None
        d = self._lines[row]
        try:
            ind = self._scheme.indicator(d.indicator_code)
        except UserError:
            ind = None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(d, ind, col)
        if role == Qt.ItemDataRole.ToolTipRole and col in (1, 2, 4):
            return self._text(d, ind, col) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col == 3 else _LEFT
        if role == Qt.ItemDataRole.BackgroundRole and d.auto is not None:
            return QBrush(AUTO_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and col == 1 and not d.reason.strip():
            return QBrush(PROBLEM_FOREGROUND)
        return None

    def _text(self, d: Deduction, ind: Indicator | None, col: int) -> str:
        if col == 0:
            return f"{d.indicator_code} {ind.name}" if ind else d.indicator_code
        if col == 1:
            return d.reason or "（请填写扣分原因）"
        if col == 2:
            if d.points is not None or ind is None:
                return "直接扣分"
            if d.rule is not None and 0 <= d.rule < len(ind.rules):
                return f"第{d.rule + 1}条 × {d.count}次"
            return "？"
        if col == 3:
            return points_text(line_points(ind, d)) if ind else ""
        if col == 4:
            parts = [d.evidence] if d.evidence else []
            if d.posting_id is not None:
                parts.append(self._postings.get(d.posting_id, f"张贴记录#{d.posting_id}"))
            return "；".join(parts)
        return f"系统发现·{d.auto.value}" if d.auto is not None else "录入"
