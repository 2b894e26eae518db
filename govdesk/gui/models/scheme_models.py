"""Models of the 考核细则 tab: the versions of a year (a table) and one version as an editable
tree — 考核指标 (一级 → 二级 → 扣分规则), 加分项, 扣分项, 否决项.

The tree model holds an immutable :class:`~govdesk.core.scoring.Scheme`; an edit in a cell goes
through the pure editing functions of ``core.scoring`` and replaces it, so the model never holds a
half-valid tree of its own and the problems panel can validate exactly what is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QDoubleSpinBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from govdesk.core import scoring
from govdesk.core.errors import UserError
from govdesk.core.scoring import Scheme, SchemeVersion

_Index = QModelIndex | QPersistentModelIndex
_DIMMED = QColor("#707070")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
NO_CAP_TEXT = "不限"
MAX_POINTS = 1000.0


def points_text(value: Decimal | None) -> str:
    """5, 0.5, 12.5 — as the 细则 prints points (no trailing .0)."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def to_points(value: Any) -> Decimal | None:
    """A value from a spin box or a typed text as exact points with one decimal, or None."""
    if isinstance(value, float):
        d = Decimal(f"{value:.1f}")
        return d.quantize(Decimal(1)) if d == d.to_integral_value() else d
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def local_time(iso_utc: str) -> str:
    """A stored UTC timestamp in the office's local time, to the minute."""
    if not iso_utc:
        return ""
    try:
        return datetime.fromisoformat(iso_utc).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso_utc


# ---- the versions of a year ----------------------------------------------------------------


class SchemeVersionTableModel(QAbstractTableModel):
    HEADERS = ("版本", "名称", "当前使用", "已用于记分", "修改时间")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._versions: list[SchemeVersion] = []

    def set_versions(self, versions: Iterable[SchemeVersion]) -> None:
        self.beginResetModel()
        self._versions = sorted(versions, key=lambda v: v.version)
        self.endResetModel()

    def version(self, row: int) -> SchemeVersion:
        return self._versions[row]

    def versions(self) -> list[SchemeVersion]:
        return list(self._versions)

    def row_of_id(self, scheme_id: int | None) -> int | None:
        for row, v in enumerate(self._versions):
            if v.id == scheme_id:
                return row
        return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._versions)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        v = self._versions[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (f"第{v.version}版", v.scheme.name, "当前使用" if v.current else "",
                    "已用于记分" if v.in_use else "", local_time(v.updated_at))[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 3 and v.in_use:
            return "已有检查按这个版本记分，不能再修改；如需修改请复制为新版本"
        if role == Qt.ItemDataRole.FontRole and v.current:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


# ---- one version as a tree -------------------------------------------------------------------

COL_CODE, COL_NAME, COL_POINTS, COL_PER, COL_CAP, COL_STANDARD = range(6)
TREE_HEADERS = ("编号", "名称 / 扣分规则说明", "分值", "每次扣分", "最多扣", "评分标准")
POINT_COLUMNS = (COL_POINTS, COL_PER, COL_CAP)

GROUP_INDICATORS = "indicators"
GROUP_LABELS = {GROUP_INDICATORS: "考核指标", "bonus": "加分项", "penalty": "扣分项",
                "veto": "否决项（一票否决）"}
GROUPS = tuple(GROUP_LABELS)

# A node's key says what it shows and survives a rebuild: ("group", name), ("ind", code),
# ("rule", code, index), ("item", code).
Key = tuple[Any, ...]


@dataclass
class _Node:
    key: Key
    parent: int  # node id of the parent, -1 for top-level rows
    row: int
    children: list[int] = field(default_factory=list)


class SchemeTreeModel(QAbstractItemModel):
    """The scheme as a tree. Editable cells (when :attr:`editable`): names, 评分标准, the points
    of 二级 indicators (and of 一级 ones without 二级), rules' 说明/每次扣分/最多扣, items'
    names and points. A 一级 indicator with 二级 ones shows their sum, greyed."""

    schemeEdited = Signal()  # a cell edit replaced the scheme (not emitted by set_scheme)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._scheme: Scheme | None = None
        self._nodes: list[_Node] = []
        self._top: list[int] = []
        self._by_key: dict[Key, int] = {}
        self.editable = False

    # ---- data in and out ----------------------------------------------------------------

    @property
    def scheme(self) -> Scheme | None:
        return self._scheme

    def set_scheme(self, scheme: Scheme | None, *, editable: bool | None = None) -> None:
        """Show ``scheme`` (structure may differ: the model is reset)."""
        self.beginResetModel()
        self._scheme = scheme
        if editable is not None:
            self.editable = editable
        self._build()
        self.endResetModel()

    def update_scheme(self, scheme: Scheme) -> None:
        """Show ``scheme`` with the same structure (name, total or 加分上限 changed): no reset,
        so expansion, selection and scrolling stay."""
        self._scheme = scheme
        self._build()
        last = len(TREE_HEADERS) - 1
        for row in range(len(self._top)):
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def _build(self) -> None:
        self._nodes, self._top, self._by_key = [], [], {}
        s = self._scheme
        if s is None:
            return

        def add(key: Key, parent: int) -> int:
            siblings = self._top if parent < 0 else self._nodes[parent].children
            node_id = len(self._nodes)
            self._nodes.append(_Node(key, parent, len(siblings)))
            siblings.append(node_id)
            self._by_key[key] = node_id
            return node_id

        group = add(("group", GROUP_INDICATORS), -1)
        for top in s.indicators:
            top_id = add(("ind", top.code), group)
            for child in top.children:
                child_id = add(("ind", child.code), top_id)
                for n in range(len(child.rules)):
                    add(("rule", child.code, n), child_id)
            for n in range(len(top.rules)):
                add(("rule", top.code, n), top_id)
        for kind, items in (("bonus", s.bonuses), ("penalty", s.penalties), ("veto", s.vetoes)):
            group = add(("group", kind), -1)
            for item in items:
                add(("item", item.code), group)

    def key(self, index: _Index) -> Key | None:
        if not index.isValid():
            return None
        return self._nodes[index.internalId()].key

    def index_of(self, key: Key | None, column: int = 0) -> QModelIndex:
        node_id = self._by_key.get(key) if key is not None else None
        if node_id is None:
            return QModelIndex()
        return self.createIndex(self._nodes[node_id].row, column, node_id)

    def keys(self) -> list[Key]:
        return [n.key for n in self._nodes]

    # ---- structure ------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(TREE_HEADERS) or row < 0:
            return QModelIndex()
        siblings = self._nodes[parent.internalId()].children if parent.isValid() else self._top
        if row >= len(siblings):
            return QModelIndex()
        return self.createIndex(row, column, siblings[row])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        parent_id = self._nodes[index.internalId()].parent
        if parent_id < 0:
            return QModelIndex()
        return self.createIndex(self._nodes[parent_id].row, 0, parent_id)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._top)
        if parent.column() != 0:
            return 0
        return len(self._nodes[parent.internalId()].children)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(TREE_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return TREE_HEADERS[section]
        return None

    # ---- cells ------------------------------------------------------------------------------

    def _cell(self, key: Key, col: int) -> tuple[str, Any]:
        """(display text, edit value or None when the cell is not editable)."""
        s = self._scheme
        assert s is not None
        kind = key[0]
        if kind == "group":
            name = key[1]
            if col == COL_NAME:
                return GROUP_LABELS[name], None
            if col == COL_POINTS and name == GROUP_INDICATORS:
                tops = sum((t.max_points for t in s.indicators), Decimal(0))
                return points_text(tops), None
            if col == COL_STANDARD:
                if name == GROUP_INDICATORS:
                    return f"考核细则总分{points_text(s.total)}分", None
                if name == "bonus":
                    cap = points_text(s.effective_bonus_cap)
                    how = "（按加分项合计）" if s.bonus_cap is None else ""
                    return f"加分上限：{cap}分{how}", None
            return "", None
        if kind == "ind":
            ind = s.indicator(key[1])
            if col == COL_CODE:
                return ind.code, None
            if col == COL_NAME:
                return ind.name, ind.name
            if col == COL_POINTS:
                text = points_text(ind.max_points)
                return text, None if ind.children else float(ind.max_points)
            if col == COL_STANDARD:
                return ind.standard, ind.standard
            return "", None
        if kind == "rule":
            rule = s.indicator(key[1]).rules[key[2]]
            if col == COL_NAME:
                return f"（{key[2] + 1}）{rule.text}", rule.text
            if col == COL_PER:
                return points_text(rule.points_per_finding), float(rule.points_per_finding)
            if col == COL_CAP:
                return ((NO_CAP_TEXT if rule.cap is None else points_text(rule.cap)),
                        0.0 if rule.cap is None else float(rule.cap))
            return "", None
        item_kind = scoring.item_kind(s, key[1])
        item = s.veto_item(key[1]) if item_kind == "veto" else s.adjustment_item(key[1])
        if col == COL_CODE:
            return item.code, None
        if col == COL_NAME:
            return item.name, item.name
        if col == COL_POINTS and item_kind != "veto":
            points = item.points  # type: ignore[union-attr]
            sign = "+" if item_kind == "bonus" else "−"
            return sign + points_text(points), float(points)
        return "", None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._scheme is None:
            return None
        key = self._nodes[index.internalId()].key
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text, _ = self._cell(key, col)
            if role == Qt.ItemDataRole.ToolTipRole:
                if key[0] == "ind" and col == COL_POINTS and \
                        self._scheme.indicator(key[1]).children:
                    return "一级指标的分值是其二级指标的合计"
                if col == COL_CAP and key[0] == "rule" and text == NO_CAP_TEXT:
                    return "这条规则不单独设上限：扣完该指标分值为止"
                return text if len(text) > 12 else None
            return text
        if role == Qt.ItemDataRole.EditRole:
            return self._cell(key, col)[1]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in POINT_COLUMNS:
            return int(_RIGHT)
        if role == Qt.ItemDataRole.FontRole and (key[0] == "group" or (
                key[0] == "ind" and "." not in key[1] and col in (COL_CODE, COL_NAME))):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if key[0] == "rule" or (key[0] == "ind" and col == COL_POINTS
                                    and self._scheme.indicator(key[1]).children):
                return QBrush(_DIMMED)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and self._scheme is not None:
            key = self._nodes[index.internalId()].key
            if self._cell(key, index.column())[1] is not None:
                base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid() or self._scheme is None
                or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable)):
            return False
        key = self._nodes[index.internalId()].key
        try:
            edited = self._edited(self._scheme, key, index.column(), value)
        except (UserError, ValueError, TypeError, IndexError):
            return False
        if edited is None or edited == self._scheme:
            return edited is not None
        self._scheme = edited
        self._build()  # same structure: the same node ids
        self._changed_up(index)
        self.schemeEdited.emit()
        return True

    def _edited(self, s: Scheme, key: Key, col: int, value: Any) -> Scheme | None:
        if col in (COL_NAME, COL_STANDARD):
            text = str(value).strip()
            if key[0] == "ind":
                if col == COL_NAME:
                    return scoring.update_indicator(s, key[1], name=text)
                return scoring.update_indicator(s, key[1], standard=text)
            if key[0] == "rule":
                return scoring.update_rule(s, key[1], key[2], text=text)
            return scoring.update_item(s, key[1], name=text)
        points = to_points(value)
        if points is None:
            return None
        if key[0] == "ind":
            return scoring.update_indicator(s, key[1], max_points=points)
        if key[0] == "rule":
            if col == COL_PER:
                return scoring.update_rule(s, key[1], key[2], points_per_finding=points)
            return scoring.update_rule(s, key[1], key[2], cap=points if points > 0 else None)
        return scoring.update_item(s, key[1], points=points)

    def _changed_up(self, index: _Index) -> None:
        """The edited row and every row above it (sums and the group's total) changed."""
        last = len(TREE_HEADERS) - 1
        current = QModelIndex(index)
        while current.isValid():
            self.dataChanged.emit(current.siblingAtColumn(0), current.siblingAtColumn(last))
            current = current.parent()
        # The 加分项 group shows the bonus cap; cheap enough to refresh all group rows.
        for row in range(len(self._top)):
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))


class PointsDelegate(QStyledItemDelegate):
    """Points are edited in a spin box with one decimal (0.5-point deductions are common);
    in the 最多扣 column 0 means 不限."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: _Index) -> QWidget:
        if index.column() not in POINT_COLUMNS:
            return super().createEditor(parent, option, index)
        spin = QDoubleSpinBox(parent)
        spin.setDecimals(1)
        spin.setSingleStep(0.5)
        spin.setRange(0.0, MAX_POINTS)
        spin.setAlignment(_RIGHT)
        if index.column() == COL_CAP:
            spin.setSpecialValueText(NO_CAP_TEXT)
        else:
            spin.setMinimum(0.1)
        return spin

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QDoubleSpinBox):
            editor.setValue(float(index.data(Qt.ItemDataRole.EditRole) or 0.0))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if isinstance(editor, QDoubleSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)
