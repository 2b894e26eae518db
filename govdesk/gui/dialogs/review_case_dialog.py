"""行政复议 / 行政诉讼 cases of one application (issue 6, item 4): the list, and a form to add,
correct or delete a case — 类型, 立案日期, 复议机关或法院, 案号, 审理结果, 审结日期, 备注.
年报 表四 counts these cases."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.annual_report import AppealKind, AppealResult
from govdesk.core.documents import cn_date
from govdesk.core.review_cases import ReviewCase, ReviewCaseInput
from govdesk.gui import messages
from govdesk.gui.dialogs.org_item_dialog import SaveOnAcceptDialog
from govdesk.gui.dialogs.request_dialog import OptionalDateEdit, date_edit, pydate
from govdesk.gui.guard import attempt
from govdesk.gui.models.org_models import Column, RecordTableModel
from govdesk.gui.widgets import data_table, select_row
from govdesk.operations import request_letters, review_cases
from govdesk.operations.context import Context, can
from govdesk.operations.requests import get_request

_CENTER = Qt.AlignmentFlag.AlignCenter


def _date(d: date | None) -> str:
    return cn_date(d) if d else ""


class ReviewCaseTableModel(RecordTableModel):
    columns = (
        Column("类型", lambda c: c.kind.value),
        Column("立案日期", lambda c: _date(c.filed_on), _CENTER),
        Column("复议机关或法院", lambda c: c.authority),
        Column("案号", lambda c: c.case_number),
        Column("审理结果", lambda c: c.result.value, _CENTER),
        Column("审结日期", lambda c: _date(c.decided_on), _CENTER),
        Column("备注", lambda c: c.note.replace("\n", " ")),
    )


class ReviewCaseEditor(SaveOnAcceptDialog):
    """One case as the clerk types it; saving runs the operation (the form stays open with
    what was typed when it is refused)."""

    def __init__(self, parent: QWidget | None, ctx: Context, request_id: int | None,
                 case: ReviewCase | None = None) -> None:
        super().__init__(parent, "修改案件" if case else "登记行政复议或行政诉讼案件")
        self.ctx = ctx
        self.request_id = request_id
        self.case = case
        self.saved: ReviewCase | None = None
        settings = request_letters.letter_settings(ctx)
        self._authorities = {AppealKind.REVIEW: settings.review_body,
                             AppealKind.DIRECT_SUIT: settings.court,
                             AppealKind.SUIT_AFTER_REVIEW: settings.court}
        today = ctx.today()
        self.kind_combo = QComboBox()
        for kind in AppealKind:
            self.kind_combo.addItem(kind.value, kind)
        self.filed_edit = date_edit(case.filed_on if case else today, latest=today)
        self.authority_edit = QLineEdit(case.authority if case else "")
        self.authority_edit.setPlaceholderText("如：青山县人民政府 / 青山县人民法院")
        self.number_edit = QLineEdit(case.case_number if case else "")
        self.number_edit.setPlaceholderText("如：青政复〔2025〕12号、（2025）青0102行初45号")
        self.result_combo = QComboBox()
        for result in AppealResult:
            self.result_combo.addItem(result.value, result)
        self.decided_edit = OptionalDateEdit(case.decided_on if case else None, latest=today)
        self.note_edit = QPlainTextEdit(case.note if case else "")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().height() * 4 + 12)

        self.add_field("类型", self.kind_combo)
        self.add_field("立案日期", self.filed_edit, "申请行政复议或提起诉讼的日期（以受理/立案日期为准）")
        self.add_field("复议机关或法院", self.authority_edit)
        self.add_field("案号", self.number_edit)
        self.add_field("审理结果", self.result_combo)
        self.add_field("审结日期", self.decided_edit, "尚未审结的案件不填审结日期")
        self.add_field("备注", self.note_edit)

        if case is not None:
            self.kind_combo.setCurrentIndex(list(AppealKind).index(case.kind))
            self.result_combo.setCurrentIndex(list(AppealResult).index(case.result))
        else:
            self.result_combo.setCurrentIndex(list(AppealResult).index(AppealResult.PENDING))
            self.authority_edit.setText(self._authorities[AppealKind.REVIEW])
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.result_combo.currentIndexChanged.connect(self._result_changed)
        self._result_changed()
        self._save = self._store

    def _kind_changed(self, *_: object) -> None:
        # Follow the kind only while the authority is still one of the defaults.
        if self.authority_edit.text().strip() in ("", *self._authorities.values()):
            self.authority_edit.setText(self._authorities[self.kind()])

    def _result_changed(self, *_: object) -> None:
        pending = self.result() is AppealResult.PENDING
        if pending:
            self.decided_edit.set_value(None)
        elif self.decided_edit.value() is None:
            self.decided_edit.set_value(self.ctx.today())
        self.decided_edit.setEnabled(not pending)

    def kind(self) -> AppealKind:
        return AppealKind(self.kind_combo.currentData())

    def result(self) -> AppealResult:
        return AppealResult(self.result_combo.currentData())

    def values(self) -> dict[str, Any]:
        return {"kind": self.kind(), "filed_on": pydate(self.filed_edit.date()),
                "authority": self.authority_edit.text(), "case_number": self.number_edit.text(),
                "result": self.result(), "decided_on": self.decided_edit.value(),
                "note": self.note_edit.toPlainText(), "request_id": self.request_id}

    def _store(self, values: dict[str, Any]) -> None:
        data = ReviewCaseInput(**values)
        if self.case is None:
            self.saved = review_cases.add_review_case(self.ctx, data)
        else:
            self.saved = review_cases.update_review_case(self.ctx, self.case.id, data)

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, request_id: int | None,
            case: ReviewCase | None = None) -> ReviewCase | None:
        """The saved case, or None when cancelled."""
        dialog = cls(parent, ctx, request_id, case)
        try:
            return dialog.saved if dialog.exec() else None
        finally:
            dialog.deleteLater()


class ReviewCaseDialog(QDialog):
    """The cases of one application, with 新增 / 修改 / 删除."""

    def __init__(self, ctx: Context, request_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id = request_id
        self.changed = False
        self.allowed = can(ctx.user, review_cases.PERMISSION)
        request = get_request(ctx, request_id)
        self.setWindowTitle(f"行政复议和行政诉讼（申请{request.number}）")
        self.resize(880, 360)

        intro = QLabel(f"申请{request.number}引起的行政复议、行政诉讼案件。"
                       "政府信息公开工作年度报告表四按这里登记的案件统计。")
        intro.setWordWrap(True)
        self.model = ReviewCaseTableModel(self)
        self.table = data_table(self.model)
        self.empty_label = QLabel("尚未登记案件。")
        self.empty_label.setStyleSheet("color: #666;")
        self.add_button = QPushButton("新增…")
        self.edit_button = QPushButton("修改…")
        self.delete_button = QPushButton("删除")
        self.close_button = QPushButton("关闭")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
            if not self.allowed:
                b.setToolTip("当前账号没有办理政府信息公开申请的权限")
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(lambda _checked=False: self.add())
        self.edit_button.clicked.connect(lambda _checked=False: self.edit())
        self.delete_button.clicked.connect(lambda _checked=False: self.delete())
        self.close_button.clicked.connect(self.accept)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        cases = review_cases.review_cases_of_request(self.ctx, self.request_id)
        self.model.set_records(cases)
        self.table.resizeColumnsToContents()
        self.empty_label.setVisible(not cases)
        select_row(self.table, self.model.row_of(lambda c: c.id == select_id))
        self._update_buttons()

    def selected(self) -> ReviewCase | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _update_buttons(self, *_: object) -> None:
        chosen = self.selected() is not None
        self.add_button.setEnabled(self.allowed)
        self.edit_button.setEnabled(self.allowed and chosen)
        self.delete_button.setEnabled(self.allowed and chosen)

    def add(self) -> None:
        saved = ReviewCaseEditor.ask(self, self.ctx, self.request_id)
        if saved is not None:
            self.changed = True
            self.refresh(saved.id)

    def edit(self) -> None:
        case = self.selected()
        if case is None or not self.allowed:
            return
        saved = ReviewCaseEditor.ask(self, self.ctx, self.request_id, case)
        if saved is not None:
            self.changed = True
            self.refresh(saved.id)

    def delete(self) -> None:
        case = self.selected()
        if case is None:
            return
        if not messages.confirm(self, f"删除案件“{case.describe()}”？删除后年度报告表四不再统计它。",
                                ok="删除"):
            return
        if attempt(self, lambda: review_cases.delete_review_case(self.ctx, case.id)
                   or True) is None:
            return
        self.changed = True
        self.refresh()

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, request_id: int) -> bool:
        """Open the list; True if a case was added, changed or deleted."""
        if attempt(parent, lambda: get_request(ctx, request_id)) is None:
            return False
        dialog = cls(ctx, request_id, parent)
        dialog.exec()
        return dialog.changed
