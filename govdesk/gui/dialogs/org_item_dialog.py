"""Editor for a unit, community, category or channel (设置 → 站所科室 / 社区/村 / 公开目录类别 /
公开方式), and the base class the other settings dialogs share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.errors import UserError
from govdesk.core.org import CommunityKind
from govdesk.gui import guard, messages

Save = Callable[[dict[str, Any]], object]


class SaveOnAcceptDialog(QDialog):
    """A form dialog that runs its ``save`` callable when the user presses 保存.

    The dialog closes only when saving succeeds; on a UserError the message is shown (through
    guard.attempt), the field it names gets the focus, and everything typed stays in place.
    """

    def __init__(self, parent: QWidget | None, title: str, save: Save | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self._save = save
        self._fields: dict[str, QWidget] = {}
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def add_field(self, label: str, widget: QWidget, hint: str = "") -> QWidget:
        """Add a labelled row; ``label`` is also the UserError.field name that focuses it."""
        self.form.addRow(f"{label}：", widget)
        self._fields[label] = widget
        if hint:
            note = QLabel(hint)
            note.setWordWrap(True)
            note.setStyleSheet("color: #666;")
            self.form.addRow("", note)
        return widget

    def field(self, label: str) -> QWidget:
        return self._fields[label]

    def focus_field(self, label: str | None) -> None:
        widget = self._fields.get(label or "")
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    # ---- subclasses ---------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def check(self) -> UserError | None:
        """Checks only the dialog can make (e.g. two password fields agree)."""
        return None

    # ---- saving -------------------------------------------------------------------------------

    def accept(self) -> None:
        values = self.values()
        problem = self.check()
        if problem is not None:
            messages.warn(self, problem.message)
            self.focus_field(problem.field)
            return
        if self._save is not None:
            save = self._save

            def run() -> bool:
                try:
                    save(values)
                except UserError as exc:
                    self.focus_field(exc.field)
                    raise
                return True

            if guard.attempt(self, run) is None:
                return  # stay open with what the user typed
        super().accept()

    def run_modal(self) -> dict[str, Any] | None:
        """exec(), then the values if saved; the dialog is disposed of either way."""
        try:
            return self.values() if self.exec() else None
        finally:
            self.deleteLater()


class OrgItemDialog(SaveOnAcceptDialog):
    """名称 (and 类型 for a community, 公开时限 for a category)."""

    KINDS: Mapping[str, tuple[str, str]] = {
        "unit": ("站所科室", "如：民政办"),
        "community": ("社区/村", "如：柳河村"),
        "category": ("公开目录类别", "如：社会救助"),
        "channel": ("公开方式", "如：门户网站"),
    }

    def __init__(
        self,
        parent: QWidget | None,
        table: str,
        values: Mapping[str, Any] | None = None,
        save: Save | None = None,
    ) -> None:
        label, example = self.KINDS[table]
        super().__init__(parent, ("编辑" if values else "新增") + label, save)
        self.table = table
        values = values or {}
        self.name_edit = QLineEdit(str(values.get("name", "")))
        self.name_edit.setMaxLength(40)
        self.name_edit.setPlaceholderText(example)
        self.add_field("名称", self.name_edit)
        self.kind_combo: QComboBox | None = None
        self.days_spin: QSpinBox | None = None
        if table == "community":
            self.kind_combo = QComboBox()
            for kind in CommunityKind:
                self.kind_combo.addItem(kind.value, kind.value)
            current = self.kind_combo.findData(str(values.get("kind", CommunityKind.VILLAGE)))
            self.kind_combo.setCurrentIndex(max(current, 0))
            self.add_field("类型", self.kind_combo)
        if table == "category":
            self.days_spin = QSpinBox()
            self.days_spin.setRange(0, 365)
            self.days_spin.setSuffix(" 个工作日")
            self.days_spin.setValue(int(values.get("publish_limit_days", 20)))
            self.add_field(
                "公开时限", self.days_spin,
                hint="条例第二十六条：自信息形成或者变更之日起 20 个工作日内公开；"
                     "法律、法规对期限另有规定的，从其规定。",
            )

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name_edit.text()}
        if self.kind_combo is not None:
            out["kind"] = self.kind_combo.currentData()
        if self.days_spin is not None:
            out["publish_limit_days"] = self.days_spin.value()
        return out

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        table: str,
        values: Mapping[str, Any] | None = None,
        *,
        save: Save | None = None,
    ) -> dict[str, Any] | None:
        """Show the editor; returns the values once ``save`` has succeeded, None if cancelled."""
        return cls(parent, table, values, save).run_modal()
