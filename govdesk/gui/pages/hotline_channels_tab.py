"""设置 → 热线渠道: the channels the 舆情热线 register takes cases from (12345热线, 市长信箱 …) and
each one's default 办理时限 in working days, which a new case's 办理时限 is counted from.

Everyone can look; only an admin ("settings.manage") adds, renames, changes the days or removes
— each change saved at once through operations.registers.save_hotline_channels, which refuses
to remove or rename a channel that registered cases use (the tab says so before asking).

A tab of the settings page with the same protocol as its other tabs: ``changed``,
``refresh()``, ``set_editable(bool)``."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.registers import MAX_CHANNEL_DAYS, HotlineChannel
from govdesk.gui import messages
from govdesk.gui.guard import attempt
from govdesk.operations import registers as ops
from govdesk.operations.context import Context

INTRO = ("登记“舆情热线”事项时按渠道自动计算办理时限：受理之日起第几个工作日（不含受理当日，"
         "跳过节假日）。已登记的事项保留原来的渠道和办理时限。有登记事项的渠道不能删除或改名，"
         "只能修改默认办理时限。")
NO_EDIT_TIP = "只有管理员可以修改热线渠道"
HEADERS = ("渠道", "默认办理时限（工作日）", "已登记事项")


class ChannelDialog(QDialog):
    """A channel's name and default days."""

    def __init__(self, parent: QWidget | None, channel: HotlineChannel | None = None, *,
                 used: int = 0) -> None:
        super().__init__(parent)
        self.setWindowTitle("修改热线渠道" if channel else "新增热线渠道")
        self.name_edit = QLineEdit(channel.name if channel else "")
        self.name_edit.setMaxLength(20)
        self.name_edit.setPlaceholderText("如：12345热线、镇长信箱")
        self.days_spin = QSpinBox()
        self.days_spin.setRange(0, MAX_CHANNEL_DAYS)
        self.days_spin.setSuffix(" 个工作日")
        self.days_spin.setValue(channel.days if channel else 15)
        form = QFormLayout()
        form.addRow("渠道名称：", self.name_edit)
        if used:
            self.name_edit.setReadOnly(True)
            note = QLabel(f"已有{used}件登记事项使用这个渠道，名称不能修改。")
            note.setStyleSheet("color: #666;")
            form.addRow("", note)
        form.addRow("默认办理时限：", self.days_spin)
        hint = QLabel("0 表示当日办结；最多60个工作日。")
        hint.setStyleSheet("color: #666;")
        form.addRow("", hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def value(self) -> HotlineChannel:
        return HotlineChannel(self.name_edit.text().strip(), self.days_spin.value())

    @classmethod
    def ask(cls, parent: QWidget | None, channel: HotlineChannel | None = None, *,
            used: int = 0) -> HotlineChannel | None:
        dialog = cls(parent, channel, used=used)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class HotlineChannelsTab(QWidget):
    changed = Signal()

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.editable = False
        self.channels: tuple[HotlineChannel, ...] = ()
        self.use: dict[str, int] = {}
        self.model = QStandardItemModel(0, len(HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(HEADERS))
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 260)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())

        self.add_button = QPushButton("新增渠道…")
        self.edit_button = QPushButton("修改…")
        self.remove_button = QPushButton("删除…")
        self.add_button.clicked.connect(lambda _=False: self.add_channel())
        self.edit_button.clicked.connect(lambda _=False: self.edit_selected())
        self.remove_button.clicked.connect(lambda _=False: self.remove_selected())
        row = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        self.refresh()

    # ---- state --------------------------------------------------------------------------------

    def refresh(self) -> None:
        keep = self.selected()
        self.channels = ops.hotline_channels(self.ctx)
        self.use = ops.hotline_channel_use(self.ctx)
        self.model.removeRows(0, self.model.rowCount())
        for c in self.channels:
            used = self.use.get(c.name, 0)
            cells = [QStandardItem(c.name), QStandardItem(f"{c.days} 个工作日"),
                     QStandardItem(f"{used} 件" if used else "—")]
            self.model.appendRow(cells)
        if keep is not None:
            self.select_name(keep.name)
        self.update_buttons()

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self.update_buttons()

    def update_buttons(self) -> None:
        has = self.selected() is not None
        self.add_button.setEnabled(self.editable)
        self.edit_button.setEnabled(self.editable and has)
        self.remove_button.setEnabled(self.editable and has)
        for b in (self.add_button, self.edit_button, self.remove_button):
            b.setToolTip("" if self.editable else NO_EDIT_TIP)

    def selected(self) -> HotlineChannel | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.channels):
            return None
        return self.channels[rows[0].row()]

    def select_name(self, name: str) -> None:
        for i, c in enumerate(self.channels):
            if c.name == name:
                self.view.selectRow(i)
                return
        self.view.clearSelection()

    # ---- changes ------------------------------------------------------------------------------

    def _save(self, channels: list[HotlineChannel], select: str | None) -> bool:
        if attempt(self, lambda: ops.save_hotline_channels(self.ctx, channels)) is None:
            return False
        self.refresh()
        if select is not None:
            self.select_name(select)
        self.changed.emit()
        return True

    def add_channel(self) -> bool:
        if not self.editable:
            return False
        new = ChannelDialog.ask(self)
        if new is None:
            return False
        return self._save([*self.channels, new], new.name.strip())

    def edit_selected(self) -> bool:
        old = self.selected()
        if old is None or not self.editable:
            return False
        new = ChannelDialog.ask(self, old, used=self.use.get(old.name, 0))
        if new is None or new == old:
            return False
        return self._save([new if c == old else c for c in self.channels], new.name.strip())

    def remove_selected(self) -> bool:
        old = self.selected()
        if old is None or not self.editable:
            return False
        used = self.use.get(old.name, 0)
        if used:
            messages.warn(self, f"渠道“{old.name}”已有{used}件登记事项使用，不能删除。"
                                "如不再使用，可以保留它；也可以修改它的默认办理时限。")
            return False
        if not messages.confirm(self, f"确定删除渠道“{old.name}”吗？删除后登记新事项时不再可选。",
                                ok="删除"):
            return False
        return self._save([c for c in self.channels if c != old], None)
