"""Sign in (登录), and the first-run choice when the database has no account yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.errors import UserError
from govdesk.core.org import Role, User
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


class FirstRunDialog(QDialog):
    """No account yet: create the administrator, or fill the database with the demo township."""

    DEMO = 2

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle("欢迎使用 govdesk")
        intro = QLabel(
            "<h3>首次使用</h3><p>请创建管理员账号。管理员负责设置本镇信息、站所科室、社区/村、"
            "公开栏和用户。</p><p>如只想先看看，可以生成一个演示乡镇（虚构数据）。</p>"
        )
        intro.setWordWrap(True)
        self.login_edit = QLineEdit("admin")
        self.name_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("登录名", self.login_edit)
        form.addRow("姓名", self.name_edit)
        form.addRow("密码（至少8位）", self.password_edit)
        form.addRow("再次输入密码", self.confirm_edit)
        create = QPushButton("创建管理员")
        create.setDefault(True)
        create.clicked.connect(self.accept)
        demo = QPushButton("生成演示乡镇")
        demo.clicked.connect(lambda: self.done(self.DEMO))
        buttons = QDialogButtonBox()
        buttons.addButton(create, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(demo, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole).clicked.connect(
            self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def accept(self) -> None:
        if self.password_edit.text() != self.confirm_edit.text():
            self.error_label.setText("两次输入的密码不一致")
            return
        try:
            auth.create_user(self._ctx, self.login_edit.text(), self.name_edit.text(),
                             Role.ADMIN, self.password_edit.text())
        except UserError as exc:
            self.error_label.setText(exc.message)
            return
        super().accept()
