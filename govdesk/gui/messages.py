"""The only place that builds QMessageBox. Tests patch these functions, so no test blocks."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def info(parent: QWidget | None, text: str, title: str = "提示") -> None:
    QMessageBox.information(parent, title, text)


def warn(parent: QWidget | None, text: str, title: str = "提示") -> None:
    QMessageBox.warning(parent, title, text)


def error(parent: QWidget | None, text: str, title: str = "出错了") -> None:
    QMessageBox.critical(parent, title, text)


def confirm(parent: QWidget | None, text: str, title: str = "请确认", *, ok: str = "确定") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(ok, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)
    box.exec()
    return box.clickedButton() is yes
