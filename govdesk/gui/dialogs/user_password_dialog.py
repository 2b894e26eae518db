"""重置密码: an admin sets a new password for someone who forgot theirs (the lock is cleared)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from govdesk.core.errors import UserError
from govdesk.core.org import User
from govdesk.gui.dialogs.org_item_dialog import Save, SaveOnAcceptDialog
from govdesk.gui.dialogs.user_dialog import PASSWORD_HINT, password_edit


class ResetPasswordDialog(SaveOnAcceptDialog):
    def __init__(self, parent: QWidget | None, user: User, save: Save | None = None) -> None:
        super().__init__(parent, "重置密码", save)
        self.add_field("用户", QLabel(f"{user.name}（{user.login}）"))
        self.password_edit = password_edit()
        self.add_field("新密码", self.password_edit)
        self.confirm_edit = password_edit()
        self.add_field("确认密码", self.confirm_edit, hint=PASSWORD_HINT)
        self._fields["密码"] = self.password_edit  # operations name the field “密码”

    def values(self) -> dict[str, Any]:
        return {"password": self.password_edit.text()}

    def check(self) -> UserError | None:
        if self.password_edit.text() != self.confirm_edit.text():
            return UserError("两次输入的密码不一致，请重新输入", field="确认密码")
        return None

    @classmethod
    def ask(
        cls, parent: QWidget | None, user: User, *, save: Save | None = None
    ) -> dict[str, Any] | None:
        """Show the dialog; returns {"password": ...} once ``save`` has succeeded."""
        return cls(parent, user, save).run_modal()
