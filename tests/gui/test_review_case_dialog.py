"""The 行政复议/行政诉讼 cases of an application on a real temporary database: added, corrected
and deleted through the dialogs (the editor driven field by field, its ask patched in the list),
refused input kept in the form, and read-only without the permission."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date  # noqa: E402

import pytest  # noqa: E402
from conftest import as_user  # noqa: E402
from PySide6.QtCore import QDate, Qt  # noqa: E402
from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from govdesk.core.annual_report import AppealKind, AppealResult  # noqa: E402
from govdesk.core.org import Role, Township  # noqa: E402
from govdesk.core.requests import ApplicantKind, Channel, RequestInput  # noqa: E402
from govdesk.core.review_cases import ReviewCaseInput  # noqa: E402
from govdesk.gui import messages  # noqa: E402
from govdesk.gui.dialogs import review_case_dialog as module  # noqa: E402
from govdesk.gui.dialogs.review_case_dialog import ReviewCaseDialog, ReviewCaseEditor  # noqa: E402
from govdesk.gui.widgets import select_row  # noqa: E402
from govdesk.operations import org as org_ops  # noqa: E402
from govdesk.operations import requests as request_ops  # noqa: E402
from govdesk.operations import review_cases as ops  # noqa: E402


def type_chinese(widget, text: str) -> None:
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture(autouse=True)
def shown(monkeypatch):
    out: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "info", lambda parent, text, title="提示": out.append(("info", text)))
    monkeypatch.setattr(messages, "warn", lambda parent, text, title="提示": out.append(("warn", text)))
    monkeypatch.setattr(messages, "confirm",
                        lambda parent, text, title="请确认", ok="确定": out.append(("confirm", text))
                        or True)
    return out


@pytest.fixture
def request_id(ctx, users) -> int:
    org_ops.update_township(as_user(ctx, users[Role.ADMIN]),
                            Township(full_name="青山县云溪镇人民政府"))
    return request_ops.register_request(ctx, RequestInput(
        channel=Channel.IN_PERSON, submitted_on=date(2025, 3, 3),
        applicant_kind=ApplicantKind.PERSON, applicant_name="张三",
        content="2024年度柳河村低保资金发放情况")).id


def _editor(qtbot, ctx, request_id, case=None) -> ReviewCaseEditor:
    editor = ReviewCaseEditor(None, ctx, request_id, case)
    qtbot.addWidget(editor)
    return editor


def test_editor_adds_a_case_with_the_settings_authority(qtbot, ctx, request_id):
    editor = _editor(qtbot, ctx, request_id)
    assert editor.authority_edit.text() == "青山县人民政府"
    assert not editor.decided_edit.isEnabled() and editor.decided_edit.value() is None
    editor.kind_combo.setCurrentIndex(1)  # 未经复议直接起诉
    assert editor.authority_edit.text() == "青山县人民法院"
    editor.filed_edit.setDate(QDate(2025, 5, 6))
    type_chinese(editor.number_edit, "（2025）青0102行初45号")
    editor.accept()
    [case] = ops.review_cases_of_request(ctx, request_id)
    assert (case.kind, case.filed_on, case.case_number, case.authority) == (
        AppealKind.DIRECT_SUIT, date(2025, 5, 6), "（2025）青0102行初45号", "青山县人民法院")
    assert case.is_pending and editor.saved == case


def test_editor_decides_and_keeps_refused_input(qtbot, ctx, request_id, shown):
    case = ops.add_review_case(ctx, ReviewCaseInput(AppealKind.REVIEW, date(2025, 5, 6),
                                                    request_id=request_id))
    editor = _editor(qtbot, ctx, request_id, case)
    editor.result_combo.setCurrentIndex(list(AppealResult).index(AppealResult.CORRECTED))
    assert editor.decided_edit.isEnabled() and editor.decided_edit.value() == date(2025, 11, 20)
    editor.decided_edit.set_value(date(2025, 5, 1))
    editor.accept()
    assert shown[-1][0] == "warn" and "不能早于立案日期" in shown[-1][1]
    assert editor.saved is None and editor.decided_edit.value() == date(2025, 5, 1)
    editor.decided_edit.set_value(date(2025, 7, 1))
    editor.accept()
    assert ops.get_review_case(ctx, case.id).result is AppealResult.CORRECTED


def test_list_adds_edits_and_deletes(qtbot, ctx, request_id, shown, monkeypatch):
    made = []

    def fake_ask(cls, parent, c, rid, case=None):
        data = ReviewCaseInput(AppealKind.REVIEW, date(2025, 5, 6), request_id=rid,
                               case_number="青政复〔2025〕12号")
        if case is None:
            made.append(ops.add_review_case(c, data))
        else:
            made.append(ops.update_review_case(c, case.id, ReviewCaseInput(
                AppealKind.REVIEW, date(2025, 5, 6), AppealResult.UPHELD, date(2025, 7, 1),
                request_id=rid, case_number=case.case_number)))
        return made[-1]

    monkeypatch.setattr(ReviewCaseEditor, "ask", classmethod(fake_ask))
    dialog = ReviewCaseDialog(ctx, request_id)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0 and not dialog.edit_button.isEnabled()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 1 and dialog.changed
    assert dialog.selected() == made[0] and dialog.edit_button.isEnabled()
    qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
    assert dialog.model.index(0, 4).data() == "结果维持"
    assert dialog.model.index(0, 5).data() == "2025年7月1日"
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert "青政复〔2025〕12号" in shown[-1][1]
    assert dialog.model.rowCount() == 0
    assert ops.review_cases_of_request(ctx, request_id) == []


def test_ask_returns_whether_anything_changed(qtbot, ctx, request_id, monkeypatch):
    monkeypatch.setattr(module.ReviewCaseDialog, "exec", lambda self: 0)
    assert ReviewCaseDialog.ask(None, ctx, request_id) is False


def test_read_only_without_the_permission(qtbot, ctx, users, request_id):
    ops.add_review_case(ctx, ReviewCaseInput(AppealKind.REVIEW, date(2025, 5, 6),
                                             request_id=request_id))
    dialog = ReviewCaseDialog(as_user(ctx, users[Role.UNIT_HEAD]), request_id)
    qtbot.addWidget(dialog)
    select_row(dialog.table, 0)
    assert dialog.model.rowCount() == 1
    assert not any(b.isEnabled() for b in
                   (dialog.add_button, dialog.edit_button, dialog.delete_button))
