"""Sign in (登录), and the first-run choice when the database has no account yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.errors import UserError
from govdesk.core.org import User
from govdesk.gui.dialogs.setup_wizard import SetupWizard
from govdesk.operations import auth
from govdesk.operations.context import Context


class LoginDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.user: User | None = None
        self.setWindowTitle("登录 govdesk 政务公开工作台")
        township = auth.township_name(ctx)
        heading = QLabel(f"<h2>{township or '政务公开工作台'}</h2><p>请登录后使用</p>")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.login_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("登录名", self.login_edit)
        form.addRow("密码", self.password_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登录")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def accept(self) -> None:
        try:
            self.user = auth.sign_in(self._ctx, self.login_edit.text(),
                                     self.password_edit.text())
        except UserError as exc:
            self.error_label.setText(exc.message)
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        super().accept()


class FirstRunDialog(SetupWizard):
    """No account yet: the 首次使用向导 sets up the township (or imports it from a setup sheet),
    or chooses the demo. ``exec()`` returns 1 when set up, :attr:`DEMO` for the demo township
    (app.py builds it), anything else to quit."""

    DEMO = SetupWizard.DEMO
