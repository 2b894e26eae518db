"""Editor for a 公开栏 (设置 → 公开栏): 编号, 名称, 类型, 位置 and whom it belongs to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from govdesk.core.org import BoardKind, Community, Unit
from govdesk.gui.dialogs.org_item_dialog import Save, SaveOnAcceptDialog

NO_OWNER = "请选择……"


def owner_key(kind: str, row_id: int) -> str:
    """The combo's item data for an owner: "community:3" or "unit:1"."""
    return f"{kind}:{row_id}"


def owner_choices(
    communities: Sequence[Community],
    units: Sequence[Unit],
    current: str | None = None,
) -> list[tuple[str, str]]:
    """Combo entries (text, key) for 所属: active communities, then active units, plus the
    current owner even when it has been 停用 (so editing an old board does not move it)."""
    out: list[tuple[str, str]] = []
    for c in communities:
        key = owner_key("community", c.id)
        if c.active or current == key:
            out.append((f"社区/村：{c.name}" + ("" if c.active else "（已停用）"), key))
    for u in units:
        key = owner_key("unit", u.id)
        if u.active or current == key:
            out.append((f"单位：{u.name}" + ("" if u.active else "（已停用）"), key))
    return out


class BoardDialog(SaveOnAcceptDialog):
    def __init__(
        self,
        parent: QWidget | None,
        communities: Sequence[Community],
        units: Sequence[Unit],
        values: Mapping[str, Any] | None = None,
        save: Save | None = None,
    ) -> None:
        super().__init__(parent, "编辑公开栏" if values else "新增公开栏", save)
        values = values or {}
        self.code_edit = QLineEdit(str(values.get("code", "")))
        self.code_edit.setPlaceholderText("如：GK-01")
        self.add_field("编号", self.code_edit)
        self.name_edit = QLineEdit(str(values.get("name", "")))
        self.name_edit.setMaxLength(40)
        self.name_edit.setPlaceholderText("如：柳河村村务公开栏")
        self.add_field("名称", self.name_edit)
        self.kind_combo = QComboBox()
        for kind in BoardKind:
            self.kind_combo.addItem(kind.value, kind.value)
        self.kind_combo.setCurrentIndex(
            max(self.kind_combo.findData(str(values.get("kind", BoardKind.GOVERNMENT))), 0)
        )
        self.add_field("类型", self.kind_combo)
        self.location_edit = QLineEdit(str(values.get("location", "")))
        self.location_edit.setPlaceholderText("如：村委会大院东墙")
        self.add_field("位置", self.location_edit)
        self.paper_combo = QComboBox()
        self.paper_combo.addItem("A4（普通公开栏）", "A4")
        self.paper_combo.addItem("A3（大幅公开栏，整体放大）", "A3")
        self.paper_combo.setCurrentIndex(max(self.paper_combo.findData(values.get("paper", "A4")), 0))
        self.add_field("打印纸张", self.paper_combo)

        current: str | None = None
        if values.get("community_id") is not None:
            current = owner_key("community", int(values["community_id"]))
        elif values.get("unit_id") is not None:
            current = owner_key("unit", int(values["unit_id"]))
        self.owner_combo = QComboBox()
        self.owner_combo.addItem(NO_OWNER, "")
        for text, key in owner_choices(communities, units, current):
            self.owner_combo.addItem(text, key)
        if current is not None:
            self.owner_combo.setCurrentIndex(max(self.owner_combo.findData(current), 0))
        self.add_field("所属", self.owner_combo)

    def select_owner(self, kind: str, row_id: int) -> None:
        index = self.owner_combo.findData(owner_key(kind, row_id))
        if index < 0:
            raise LookupError(owner_key(kind, row_id))
        self.owner_combo.setCurrentIndex(index)

    def values(self) -> dict[str, Any]:
        kind, _, row_id = (self.owner_combo.currentData() or "").partition(":")
        return {
            "code": self.code_edit.text(),
            "name": self.name_edit.text(),
            "kind": self.kind_combo.currentData(),
            "location": self.location_edit.text(),
            "paper": self.paper_combo.currentData(),
            "community_id": int(row_id) if kind == "community" else None,
            "unit_id": int(row_id) if kind == "unit" else None,
        }

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        communities: Sequence[Community],
        units: Sequence[Unit],
        values: Mapping[str, Any] | None = None,
        *,
        save: Save | None = None,
    ) -> dict[str, Any] | None:
        """Show the editor; returns the values once ``save`` has succeeded, None if cancelled."""
        return cls(parent, communities, units, values, save).run_modal()
