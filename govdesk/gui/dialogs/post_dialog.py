"""张贴到公开栏: choose boards, the posting day, the planned take-down and an optional photo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.errors import UserError
from govdesk.core.notices import Notice
from govdesk.gui import messages, ui_state
from govdesk.gui.dialogs.notice_editor_dialog import _date_edit, pydate
from govdesk.operations import lists
from govdesk.operations.context import Context


@dataclass(frozen=True)
class PostRequest:
    board_ids: list[int]
    posted_on: date
    planned_removal: date | None
    photo: str | None


class PostDialog(QDialog):
    def __init__(self, ctx: Context, notice: Notice, save: Callable[[PostRequest], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle("张贴到公开栏")
        self.resize(560, 520)
        title = QLabel(f"<b>{notice.title}</b><br>索引号：{notice.index_number}")
        title.setWordWrap(True)
        self.board_list = QListWidget()
        for b in lists.boards(ctx, active_only=True):
            item = QListWidgetItem(f"{b.code}　{b.name}（{b.kind.value}，{b.owner_name}）")
            item.setData(Qt.ItemDataRole.UserRole, b.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.board_list.addItem(item)
        today = ctx.today()
        self.posted_edit = _date_edit(today)
        default_end = notice.period.end if notice.period else today
        self.removal_edit = _date_edit(default_end)
        self.photo: str | None = None
        self.photo_label = QLabel("未选择（可选）")
        choose = QPushButton("选择照片…")
        choose.clicked.connect(self._pick_photo)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photo_label, 1)
        photo_row.addWidget(choose)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("张贴日期", self.posted_edit)
        hint = "（公示期截止日）" if notice.period else ""
        form.addRow(f"计划撤下日期{hint}", self.removal_edit)
        form.addRow("现场照片", photo_row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("张贴")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(QLabel("张贴到哪些公开栏（可多选）："))
        layout.addWidget(self.board_list, 1)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def check_boards(self, board_ids: list[int]) -> None:
        for i in range(self.board_list.count()):
            item = self.board_list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) in board_ids:
                item.setCheckState(Qt.CheckState.Checked)

    def _choose_photo_file(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self, "选择现场照片", ui_state.last_dir("photos"), "图片 (*.jpg *.jpeg *.png)"
        )
        return path

    def _pick_photo(self) -> None:
        path = self._choose_photo_file()
        if path:
            self.photo = path
            self.photo_label.setText(path.replace("\\", "/").rsplit("/", 1)[-1])

    def value(self) -> PostRequest:
        ids = [
            self.board_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.board_list.count())
            if self.board_list.item(i).checkState() == Qt.CheckState.Checked
        ]
        return PostRequest(ids, pydate(self.posted_edit.date()),
                           pydate(self.removal_edit.date()), self.photo)

    def accept(self) -> None:
        try:
            self._save(self.value())
        except UserError as exc:
            messages.warn(self, exc.message, "未张贴")
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, notice: Notice,
            save: Callable[[PostRequest], object]) -> bool:
        return cls(ctx, notice, save, parent).exec() == QDialog.DialogCode.Accepted
