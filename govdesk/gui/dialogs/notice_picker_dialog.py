"""Pick a notice from the register (信息登记簿): searched by 标题, 索引号 or 文号 as one types.
Used wherever a record points at a notice: a 实施方案 task's evidence, the policy a 政策解读
interprets."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.documents import cn_date
from govdesk.core.notices import NoticeFilter, NoticeStatus, NoticeSummary
from govdesk.gui.models.org_models import Column, RecordTableModel
from govdesk.gui.widgets import data_table, select_row
from govdesk.operations import notices as notice_ops
from govdesk.operations.context import Context

LIMIT = 200
_CENTER = Qt.AlignmentFlag.AlignCenter


class NoticePickModel(RecordTableModel):
    """索引号 | 标题 | 类别 | 状态 | 公开日期 (records: NoticeSummary)."""

    columns = (
        Column("索引号", lambda n: n.index_number),
        Column("标题", lambda n: n.title),
        Column("类别", lambda n: n.category, _CENTER),
        Column("状态", lambda n: n.status.value, _CENTER),
        Column("公开日期", lambda n: cn_date(n.published_on) if n.published_on else "—", _CENTER),
    )


class NoticePickerDialog(QDialog):
    """``ask`` returns the chosen notice, or None."""

    def __init__(self, parent: QWidget | None, ctx: Context, *, title: str = "选择已登记的信息",
                 ok_text: str = "选择", published_only: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.ctx = ctx
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("输入标题、索引号或文号中的字词")
        self.search_edit.setClearButtonEnabled(True)
        self.published_check = QCheckBox("只看已公开的")
        self.published_check.setChecked(published_only)
        self.model = NoticePickModel(self)
        self.table = data_table(self.model)
        header = self.table.horizontalHeader()
        for c in range(self.model.columnCount()):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #666;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.published_check)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)  # search once typing pauses, not on every keystroke
        self._timer.timeout.connect(self.search)
        self.search_edit.textChanged.connect(self._timer.start)
        self.published_check.toggled.connect(self.search)
        self.table.doubleClicked.connect(lambda _i: self.accept())
        self.table.selectionModel().selectionChanged.connect(self._update)
        self.resize(860, 520)
        self.search()

    def search(self, *_: object) -> None:
        self._timer.stop()
        f = NoticeFilter(search=self.search_edit.text().strip(),
                         status=NoticeStatus.PUBLISHED if self.published_check.isChecked()
                         else None)
        rows = notice_ops.query(self.ctx, f, limit=LIMIT)
        self.model.set_records(rows)
        self.count_label.setText(f"找到 {len(rows)} 条" + (f"（只列出前{LIMIT}条，请输入更多字词）"
                                                        if len(rows) >= LIMIT else ""))
        if rows:
            select_row(self.table, 0)
        self._update()

    def _update(self, *_: object) -> None:
        self.ok_button.setEnabled(self.selected() is not None)

    def selected(self) -> NoticeSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def accept(self) -> None:
        if self.selected() is not None:
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, **options: object) -> NoticeSummary | None:
        dialog = cls(parent, ctx, **options)  # type: ignore[arg-type]
        try:
            return dialog.selected() if dialog.exec() else None
        finally:
            dialog.deleteLater()
