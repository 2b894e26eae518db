"""The letter editor on a real temporary database: the generated letter, an edit typed the way
an input method types Chinese, saved and reloaded, reset, printed through the (patched)
preview, recorded as sent, read-only without the permission, and the unsaved-change prompt."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from conftest import as_user  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtGui import QInputMethodEvent, QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from govdesk.core.letters import LetterKind  # noqa: E402
from govdesk.core.org import Role, Township  # noqa: E402
from govdesk.core.requests import ApplicantKind, Channel, ClockEvent, RequestInput  # noqa: E402
from govdesk.gui import messages, printing_actions  # noqa: E402
from govdesk.gui.dialogs.letter_dialog import LetterDialog  # noqa: E402
from govdesk.operations import org as org_ops  # noqa: E402
from govdesk.operations import request_letters as ops  # noqa: E402
from govdesk.operations import requests as request_ops  # noqa: E402


def type_chinese(widget, text: str) -> None:
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture(autouse=True)
def shown(tmp_path, monkeypatch):
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    out: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "info", lambda parent, text, title="提示": out.append(("info", text)))
    monkeypatch.setattr(messages, "warn", lambda parent, text, title="提示": out.append(("warn", text)))
    monkeypatch.setattr(messages, "error",
                        lambda parent, text, title="出错了": out.append(("error", text)))
    monkeypatch.setattr(messages, "confirm",
                        lambda parent, text, title="请确认", ok="确定": out.append(("confirm", text))
                        or True)
    return out


@pytest.fixture
def request_id(ctx, users) -> int:
    org_ops.update_township(as_user(ctx, users[Role.ADMIN]),
                            Township(full_name="青山县云溪镇人民政府", phone="0537-1234567"))
    r = request_ops.register_request(ctx, RequestInput(
        channel=Channel.IN_PERSON, submitted_on=date(2025, 11, 3),
        applicant_kind=ApplicantKind.PERSON, applicant_name="张三",
        content="2024年度柳河村低保资金发放情况"))
    request_ops.record_event(ctx, r.id, ClockEvent.extension(date(2025, 11, 20), 10, "李主任"))
    return r.id


def _dialog(qtbot, ctx, request_id, kind=LetterKind.EXTENSION) -> LetterDialog:
    dialog = LetterDialog(ctx, request_id, kind)
    qtbot.addWidget(dialog)
    return dialog


def _type_after_title(dialog: LetterDialog, text: str) -> None:
    cursor = dialog.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfLine)
    dialog.editor.setTextCursor(cursor)
    type_chinese(dialog.editor, text)


def test_edit_save_reload_and_reset(qtbot, ctx, request_id, shown):
    dialog = _dialog(qtbot, ctx, request_id)
    assert dialog.text().startswith("政府信息公开申请延期答复告知书\n\n张三：\n")
    assert "2025年12月15日前作出答复" in dialog.text()
    assert "自动生成" in dialog.note.text() and not dialog.reset_button.isEnabled()
    assert not dialog.sent_button.isEnabled()
    _type_after_title(dialog, "（修订稿）")
    assert dialog.is_dirty() and "未保存" in dialog.note.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert shown[-1] == ("info", "延期答复告知书已保存。")
    assert not dialog.is_dirty() and dialog.changed and dialog.edited

    again = _dialog(qtbot, ctx, request_id)
    assert again.text().startswith("政府信息公开申请延期答复告知书（修订稿）\n")
    assert "已保存的文书" in again.note.text() and again.reset_button.isEnabled()

    qtbot.mouseClick(again.reset_button, Qt.MouseButton.LeftButton)
    assert shown[-1][0] == "confirm"
    assert not again.edited
    assert again.text().startswith("政府信息公开申请延期答复告知书\n")
    assert ops.stored_letter(ctx, request_id, LetterKind.EXTENSION) is None


def test_text_that_is_not_a_letter_is_kept_in_the_editor(qtbot, ctx, request_id, shown):
    dialog = _dialog(qtbot, ctx, request_id)
    dialog.editor.setPlainText("标题\n\n张三：\n正文")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert shown[-1][0] == "warn" and "成文日期" in shown[-1][1]
    assert dialog.text() == "标题\n\n张三：\n正文"
    assert ops.stored_letter(ctx, request_id, LetterKind.EXTENSION) is None


def test_preview_prints_the_editor_text(qtbot, ctx, request_id, monkeypatch):
    shown_pdf = []
    monkeypatch.setattr(printing_actions, "show_preview",
                        lambda parent, path, name: shown_pdf.append((Path(path), name)))
    dialog = _dialog(qtbot, ctx, request_id)
    _type_after_title(dialog, "（征求意见稿）")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    [(path, name)] = shown_pdf
    assert name == "延期答复告知书-2025-第1号.pdf"
    text = "".join(p.extract_text() for p in PdfReader(path).pages)
    assert "征求意见稿" in text and "2025年12月15日前" in text
    assert ops.stored_letter(ctx, request_id, LetterKind.EXTENSION) is None  # not saved


def _approve(ctx, users, view) -> None:
    from govdesk.core.approvals import Decision
    from govdesk.operations import approvals

    while view.current_stage is not None:
        view = approvals.decide(as_user(ctx, users[view.current_stage.role]), view.id,
                                Decision.APPROVE)


def test_a_letter_is_submitted_and_goes_out_once_approved(qtbot, ctx, users, request_id, shown):
    dialog = _dialog(qtbot, ctx, request_id)
    assert dialog.approval_label.text().startswith("未保存，未提交审批")
    assert dialog.print_button.text() == "预览/打印审阅稿…"
    assert dialog.slip_button.isHidden() and dialog.submit_button.isEnabled()
    _type_after_title(dialog, "（一）")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    # Submitting saved the editor's text first, then opened the slip.
    stored = ops.stored_letter(ctx, request_id, LetterKind.EXTENSION)
    assert stored is not None and "告知书（一）" in stored.text
    assert shown[-1][0] == "info" and "已提交审批：审批单 SP2025-0001" in shown[-1][1]
    assert dialog.approval_label.text().startswith("待科室（社区）负责人审核")
    assert not dialog.submit_button.isEnabled() and not dialog.sent_button.isEnabled()
    assert not dialog.slip_button.isHidden()
    assert "尚未审批完成" in dialog.sent_button.toolTip()

    _approve(ctx, users, dialog.approval.slip)
    dialog.load()
    assert dialog.approval_label.text().startswith("审批通过")
    assert dialog.print_button.text() == "预览/打印…" and dialog.sent_button.isEnabled()
    _type_after_title(dialog, "改")
    assert "保存后须重新审批" in dialog.approval_label.text()
    assert dialog.print_button.text() == "预览/打印审阅稿…" and not dialog.sent_button.isEnabled()


def test_sending_date_locks_the_text(qtbot, ctx, users, request_id, shown):
    dialog = _dialog(qtbot, ctx, request_id)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.sent_button.isEnabled()  # 先审查后发出
    assert "还没有提交审批" in dialog.sent_button.toolTip()
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    _approve(ctx, users, dialog.approval.slip)
    dialog.load()
    assert dialog.sent_button.isEnabled()
    dialog.sent_edit.set_value(date(2025, 11, 20))
    qtbot.mouseClick(dialog.sent_button, Qt.MouseButton.LeftButton)
    assert dialog.sent and dialog.editor.isReadOnly() and not dialog.save_button.isEnabled()
    assert "已于2025年11月20日发出" in dialog.note.text()
    assert ops.stored_letter(ctx, request_id, LetterKind.EXTENSION).sent_on == date(2025, 11, 20)
    dialog.sent_edit.set_value(None)
    qtbot.mouseClick(dialog.sent_button, Qt.MouseButton.LeftButton)
    assert not dialog.sent and not dialog.editor.isReadOnly()


def test_a_receipt_needs_no_approval(qtbot, ctx, request_id, shown):
    dialog = _dialog(qtbot, ctx, request_id, LetterKind.RECEIPT)
    assert "无需审批" in dialog.approval_label.text() and dialog.submit_button.isHidden()
    assert dialog.print_button.text() == "预览/打印…"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.sent_button.isEnabled()


def test_closing_with_unsaved_edits_asks(qtbot, ctx, request_id, monkeypatch):
    dialog = _dialog(qtbot, ctx, request_id)
    dialog.show()
    _type_after_title(dialog, "改")
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: asked.append(a[1]) or False)
    dialog.reject()
    assert dialog.isVisible() and "未保存" in asked[0]
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    dialog.reject()
    assert not dialog.isVisible()


def test_read_only_without_the_permission(qtbot, ctx, users, request_id):
    dialog = _dialog(qtbot, as_user(ctx, users[Role.UNIT_HEAD]), request_id)
    assert dialog.editor.isReadOnly() and "张三" not in dialog.text()
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()
    assert "只能查看" in dialog.note.text()


def test_ask_shows_what_to_record_first(qtbot, ctx, request_id, shown):
    assert LetterDialog.ask(None, ctx, request_id, LetterKind.FEE) is False
    assert shown[-1][0] == "warn" and "收费通知" in shown[-1][1]
