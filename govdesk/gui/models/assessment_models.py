"""Table models for 季度考核 and 年度汇总: the quarter's ranking, the drill-down of one
community's lost points, the quarter's 加分/扣分 items and the year's table. They show core
records as the operations return them; numbers are rounded only here, for display
(ROUND_HALF_UP, as core.scoring rounds)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from govdesk.core.scoring import (
    Adjustment,
    AdjustmentKind,
    Grade,
    LostPoint,
    QuarterResult,
    Scheme,
    YearScore,
    competition_ranks,
    round_half_up,
)

_Index = QModelIndex | QPersistentModelIndex

# Records behind a row, for the page (and tests): model.data(index, RECORD_ROLE).
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
# Exact values behind a number cell (Decimal or Fraction): model.data(index, VALUE_ROLE).
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_BOLD = QFont()
_BOLD.setBold(True)
_GREY = QBrush(QColor("#8a8a8a"))

# 等次 colours: text on a light tint, readable in print-like screenshots and for colour-blind
# users (the word is always there; the colour only helps the eye).
GRADE_COLOURS: Mapping[Grade, tuple[str, str]] = {
    Grade.EXCELLENT: ("#1b6e34", "#e3f4e8"),
    Grade.GOOD: ("#1d4f91", "#e4edf9"),
    Grade.PASS: ("#8a5a00", "#fbf0d9"),
    Grade.FAIL: ("#a61b1b", "#fbe3e3"),
}


def one_decimal(value: Decimal | Fraction | int) -> str:
    return f"{round_half_up(value, 1):.1f}"


def two_decimals(value: Decimal | Fraction | int) -> str:
    return f"{round_half_up(value, 2):.2f}"


def points_text(value: Decimal | Fraction | int) -> str:
    """Points as a person writes them: 5, 0.5, 12.5 (no trailing .0)."""
    text = f"{round_half_up(value, 1):f}"
    return text[:-2] if text.endswith(".0") else text


def rank_texts(ranks: Sequence[int]) -> list[str]:
    """"2（并列）" for a rank shared with another row, else the plain number."""
    counts: dict[int, int] = {}
    for r in ranks:
        counts[r] = counts.get(r, 0) + 1
    return [f"{r}（并列）" if counts[r] > 1 else str(r) for r in ranks]


class _Table(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def _headers(self) -> Sequence[str]:
        return self.HEADERS

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._row_count()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers())

    def _row_count(self) -> int:
        raise NotImplementedError

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self._headers()
            if 0 <= section < len(headers):
                return headers[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


# --------------------------------------------------------------------------- the ranking


class RankingModel(_Table):
    """One row per community assessed, in rank order: 排名, 社区, each 一级 indicator, 加分,
    扣分, 总分, 等次, 计分方式."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._results: tuple[QuarterResult, ...] = ()
        self._tops: tuple[tuple[str, str, Decimal], ...] = ()  # (code, name, max)
        self._ranks: list[str] = []

    def set_results(self, scheme: Scheme | None, results: Sequence[QuarterResult]) -> None:
        self.beginResetModel()
        self._tops = tuple((t.code, t.name, t.max_points) for t in scheme.indicators) \
            if scheme is not None else ()
        self._results = tuple(sorted(results, key=lambda r: (r.rank, r.score.name)))
        self._ranks = rank_texts([r.rank for r in self._results])
        self.endResetModel()

    def _headers(self) -> Sequence[str]:
        return ("排名", "社区（村）",
                *(f"{name}（{points_text(mx)}）" for _, name, mx in self._tops),
                "加分", "扣分", "总分", "等次", "计分方式")

    def _row_count(self) -> int:
        return len(self._results)

    def result(self, row: int) -> QuarterResult | None:
        return self._results[row] if 0 <= row < len(self._results) else None

    def row_of(self, community_id: int) -> int | None:
        return next((i for i, r in enumerate(self._results)
                     if r.score.community_id == community_id), None)

    def _cell(self, r: QuarterResult, row: int, col: int) -> tuple[str, Any]:
        s = r.score
        n = len(self._tops)
        if col == 0:
            return self._ranks[row], r.rank
        if col == 1:
            return s.name, s.name
        if 2 <= col < 2 + n:
            value = s.indicator_scores.get(self._tops[col - 2][0], Fraction(0))
            return one_decimal(value), value
        k = col - 2 - n
        if k == 0:
            return (points_text(s.bonus) if s.bonus else ""), s.bonus
        if k == 1:
            return (one_decimal(s.penalty) if s.penalty else ""), s.penalty
        if k == 2:
            return f"{s.total:.1f}", s.total
        if k == 3:
            text = r.grade.value + ("（否决）" if s.vetoed else "")
            return text, r.grade
        return s.basis, s.basis

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._results):
            return None
        r = self._results[index.row()]
        col = index.column()
        n = len(self._tops)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._cell(r, index.row(), col)[0]
            if role == Qt.ItemDataRole.ToolTipRole and col == 1 and r.score.monthly:
                return "、".join(f"{m}月 {points_text(v)}分" for m, v in r.score.monthly)
            return text
        if role == VALUE_ROLE:
            return self._cell(r, index.row(), col)[1]
        if role == RECORD_ROLE:
            return r
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == 1 or col == 2 + n + 4:
                return _LEFT
            if col == 0 or col == 2 + n + 3:
                return _CENTER
            return _RIGHT
        if role == Qt.ItemDataRole.FontRole and col == 2 + n + 2:
            return _BOLD
        if col == 2 + n + 3 and role in (Qt.ItemDataRole.ForegroundRole,
                                         Qt.ItemDataRole.BackgroundRole):
            fg, bg = GRADE_COLOURS[r.grade]
            return QBrush(QColor(fg if role == Qt.ItemDataRole.ForegroundRole else bg))
        if role == Qt.ItemDataRole.ForegroundRole and col == 2 + n + 4:
            return _GREY
        return None


# --------------------------------------------------------------------------- the drill-down


class LostPointModel(_Table):
    """Every lost point of one community in the quarter (core.scoring.explain)."""

    HEADERS = ("月份", "一级指标", "二级指标", "扣分原因", "扣分", "影响季度得分", "证据")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: tuple[LostPoint, ...] = ()

    def set_lines(self, lines: Sequence[LostPoint]) -> None:
        self.beginResetModel()
        self._lines = tuple(lines)
        self.endResetModel()

    def lines(self) -> tuple[LostPoint, ...]:
        return self._lines

    def _row_count(self) -> int:
        return len(self._lines)

    @staticmethod
    def _month(p: LostPoint) -> str:
        if p.month is None:
            return "—"
        if p.kind is not None and p.kind.value == "季度检查":
            return f"{p.month}月（季度检查）"
        return f"{p.month}月"

    @staticmethod
    def _evidence(p: LostPoint) -> str:
        if p.auto is not None:
            return f"【系统发现·{p.auto.value}】" + (f"{p.evidence}" if p.evidence else "")
        return p.evidence

    def _text(self, p: LostPoint, col: int) -> str:
        path = p.indicator_path
        if col == 0:
            return self._month(p)
        if col == 1:
            return path[0] if path else ""
        if col == 2:
            return path[1] if len(path) > 1 else ""
        if col == 3:
            return p.reason
        if col == 4:
            return points_text(p.taken)
        if col == 5:
            return two_decimals(p.lost)
        return self._evidence(p)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        p = self._lines[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(p, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 5 and p.lost != p.taken:
                return (f"本次检查扣{points_text(p.taken)}分，按该次检查在季度得分中所占比重"
                        f"折算，影响季度得分{two_decimals(p.lost)}分")
            if col == 4 and p.lost == 0 and p.taken:
                return "已达扣分上限或该项已扣完，不再影响得分"
            return self._text(p, col) or None
        if role == VALUE_ROLE:
            return {4: p.taken, 5: p.lost}.get(col)
        if role == RECORD_ROLE:
            return p
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col in (4, 5) else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 6 and p.auto is not None:
                return QBrush(QColor("#1d4f91"))
            if p.lost == 0:
                return _GREY
        return None


# --------------------------------------------------------------------------- 加分 / 扣分


class AdjustmentModel(_Table):
    """The quarter's awarded 加分/扣分 items: 社区, 类别, 项目, 分值, 理由."""

    HEADERS = ("社区（村）", "类别", "项目", "分值", "理由")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[int, Adjustment, str, str, AdjustmentKind | None, Decimal | None]] = []

    def set_adjustments(self, rows: Sequence[tuple[int, Adjustment]], names: Mapping[int, str],
                        scheme: Scheme | None) -> None:
        self.beginResetModel()
        self._rows = []
        for aid, adj in rows:
            item_name, kind, points = adj.item_code, None, None
            if scheme is not None:
                item = next((i for i in (*scheme.bonuses, *scheme.penalties)
                             if i.code == adj.item_code), None)
                if item is not None:
                    item_name, kind, points = item.name, item.kind, item.points
            self._rows.append((aid, adj, names.get(adj.community_id, f"#{adj.community_id}"),
                               item_name, kind, points))
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self._rows)

    def adjustment_id(self, row: int) -> int | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def describe(self, row: int) -> str:
        _aid, _adj, name, item, kind, points = self._rows[row]
        sign = "+" if kind is AdjustmentKind.BONUS else "−"
        return f"{name}“{item}”（{sign}{points_text(points) if points is not None else '?'}分）"

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        aid, adj, name, item, kind, points = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return name
            if col == 1:
                return kind.value if kind is not None else ""
            if col == 2:
                return item
            if col == 3:
                if points is None:
                    return ""
                return ("+" if kind is AdjustmentKind.BONUS else "−") + points_text(points)
            return adj.reason
        if role == RECORD_ROLE:
            return (aid, adj)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col == 3 else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole and col == 3 and kind is not None:
            return QBrush(QColor("#1b6e34" if kind is AdjustmentKind.BONUS else "#a61b1b"))
        return None


# --------------------------------------------------------------------------- the year


class YearModel(_Table):
    """Per community: 第一…第四季度 (blank when not assessed), 全年得分, 年终考核得分（N分）,
    排名 (by the year score; 并列 shared)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[int, YearScore]] = []
        self._ranks: list[str] = []
        self._weight = Decimal(5)

    def set_scores(self, scores: Sequence[YearScore], weight: Decimal) -> None:
        self.beginResetModel()
        self._weight = weight
        self._rows = competition_ranks(
            scores, score=lambda y: y.score, name=lambda y: f"{y.name}\x00{y.community_id:012d}")
        self._ranks = rank_texts([r for r, _ in self._rows])
        self.endResetModel()

    def _headers(self) -> Sequence[str]:
        return ("社区（村）", "第一季度", "第二季度", "第三季度", "第四季度", "全年得分",
                f"年终考核得分（{points_text(self._weight)}分）", "排名")

    def _row_count(self) -> int:
        return len(self._rows)

    def score(self, row: int) -> YearScore:
        return self._rows[row][1]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        rank, y = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return y.name
            if 1 <= col <= 4:
                q = y.quarters.get(col)
                return "" if q is None else f"{q:.1f}"
            if col == 5:
                return f"{y.score:.1f}"
            if col == 6:
                return f"{y.year_end_points:.2f}"
            return self._ranks[index.row()]
        if role == VALUE_ROLE:
            if 1 <= col <= 4:
                return y.quarters.get(col)
            return {5: y.score, 6: y.year_end_points, 7: rank}.get(col)
        if role == RECORD_ROLE:
            return y
        if role == Qt.ItemDataRole.ToolTipRole and 1 <= col <= 4 and col not in y.quarters:
            return "本季度未参加考核（不计入全年平均）"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if col == 0 else (_CENTER if col == 7 else _RIGHT)
        if role == Qt.ItemDataRole.FontRole and col in (5, 6):
            return _BOLD
        return None
