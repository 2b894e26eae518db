"""The only place that builds QMessageBox. Tests patch these functions, so no test blocks."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget


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


def question_box(parent: QWidget | None, text: str, title: str, *, yes: str,
                 no: str) -> tuple[QMessageBox, QPushButton]:
    """A question with two named answers (e.g. 恢复 / 放弃); the box and its "yes" button."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_button)
    return box, yes_button


def choose(parent: QWidget | None, text: str, title: str = "请选择", *, yes: str = "确定",
           no: str = "取消") -> bool:
    """True when the user picks ``yes``; ``no``, Esc or the close box give False."""
    box, yes_button = question_box(parent, text, title, yes=yes, no=no)
    box.exec()
    return box.clickedButton() is yes_button
