"""Editor for a user account (设置 → 用户): new accounts get an initial password."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from govdesk.core.auth import LOGIN_MAX, PASSWORD_MIN
from govdesk.core.errors import UserError
from govdesk.core.org import Role, Unit, User
from govdesk.gui.dialogs.org_item_dialog import Save, SaveOnAcceptDialog

PASSWORD_HINT = (
    f"至少 {PASSWORD_MIN} 位，不能用 12345678、88888888 这类简单密码。"
    "请当面告知本人，并提醒其登录后修改。"
)


def password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def unit_combo(units: Sequence[Unit], current: int | None) -> QComboBox:
    combo = QComboBox()
    combo.addItem("（不指定）", 0)
    for u in units:
        if u.active or u.id == current:
            combo.addItem(u.name + ("" if u.active else "（已停用）"), u.id)
    if current is not None:
        combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


class UserDialog(SaveOnAcceptDialog):
    """New account (``user`` None) or edit of an existing one (登录名 cannot change)."""

    def __init__(
        self,
        parent: QWidget | None,
        units: Sequence[Unit],
        user: User | None = None,
        save: Save | None = None,
    ) -> None:
        super().__init__(parent, "编辑用户" if user else "新增用户", save)
        self.user = user
        if user is None:
            self.login_edit: QLineEdit | None = QLineEdit()
            self.login_edit.setMaxLength(LOGIN_MAX)
            self.login_edit.setPlaceholderText("登录时输入，如：zhangsan")
            self.add_field("登录名", self.login_edit)
        else:
            self.login_edit = None
            self.add_field("登录名", QLabel(user.login))
        self.name_edit = QLineEdit(user.name if user else "")
        self.name_edit.setMaxLength(20)
        self.name_edit.setPlaceholderText("如：张三")
        self.add_field("姓名", self.name_edit)
        self.role_combo = QComboBox()
        for role in Role:
            self.role_combo.addItem(role.label, role.value)
        role_now = user.role if user else Role.CLERK
        self.role_combo.setCurrentIndex(self.role_combo.findData(role_now.value))
        self.add_field("角色", self.role_combo)
        self.unit_combo = unit_combo(units, user.unit_id if user else None)
        self.add_field("所在单位", self.unit_combo)
        self.password_edit: QLineEdit | None = None
        self.confirm_edit: QLineEdit | None = None
        self.active_check: QCheckBox | None = None
        if user is None:
            self.password_edit = password_edit()
            self.add_field("初始密码", self.password_edit)
            self.confirm_edit = password_edit()
            self.add_field("确认密码", self.confirm_edit, hint=PASSWORD_HINT)
            self._fields["密码"] = self.password_edit  # operations name the field “密码”
        else:
            self.active_check = QCheckBox("启用（停用后不能登录，历史记录保留）")
            self.active_check.setChecked(user.active)
            self.add_field("状态", self.active_check)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name_edit.text(),
            "role": Role(self.role_combo.currentData()),
            "unit_id": self.unit_combo.currentData() or None,
        }
        if self.login_edit is not None and self.password_edit is not None:
            out["login"] = self.login_edit.text()
            out["password"] = self.password_edit.text()
        if self.active_check is not None:
            out["active"] = self.active_check.isChecked()
        return out

    def check(self) -> UserError | None:
        if self.password_edit is not None and self.confirm_edit is not None:
            if self.password_edit.text() != self.confirm_edit.text():
                return UserError("两次输入的密码不一致，请重新输入", field="确认密码")
        return None

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        units: Sequence[Unit],
        user: User | None = None,
        *,
        save: Save | None = None,
    ) -> dict[str, Any] | None:
        """Show the editor; returns the values once ``save`` has succeeded, None if cancelled."""
        return cls(parent, units, user, save).run_modal()
