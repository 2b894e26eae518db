"""B9 — never lose what the user typed, driven through the real dialogs on a real temporary
database: a save that hits a full disk (D4: ``PRAGMA max_page_count`` at the current size) or
an I/O error (D5: OSError from the save) keeps the dialog open with every field as typed, marks
it unsaved and writes the draft file; a new dialog on a new connection (a restart) offers the
draft and restores it exactly; a successful save or a deliberate discard removes it."""

from __future__ import annotations

import contextlib
import errno
import os
from datetime import date

import pytest
from conftest import as_user, notice_input
from PySide6.QtCore import QDate, QSettings
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from govdesk.core.bulletin import bulletin_text
from govdesk.core.letters import LetterKind
from govdesk.core.notices import NoticeFilter
from govdesk.core.org import Role, Township
from govdesk.core.requests import ApplicantKind, Channel, ClockEvent, RequestInput
from govdesk.core.scoring import Deduction, SpotCheck
from govdesk.gui import drafts as gui_drafts
from govdesk.gui import messages
from govdesk.gui.dialogs.bulletin_dialog import BulletinDialog
from govdesk.gui.dialogs.letter_dialog import LetterDialog
from govdesk.gui.dialogs.notice_editor_dialog import NoticeEditorDialog
from govdesk.gui.dialogs.request_dialog import RequestDialog
from govdesk.operations import drafts as draft_files
from govdesk.operations import notices as notice_ops
from govdesk.operations import org as org_ops
from govdesk.operations import request_letters, scoring
from govdesk.operations import requests as request_ops
from govdesk.operations.context import Context
from govdesk.store.database import connect

NO_LIMIT = 1_073_741_823


def type_chinese(widget, text: str) -> None:
    """As an input method commits Chinese text."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


class Shown(list):
    """Every message the dialogs showed; ``restore`` answers the 恢复/放弃 question."""

    restore = True


@pytest.fixture(autouse=True)
def shown(tmp_path, monkeypatch) -> Shown:
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    out = Shown()
    for name in ("info", "warn", "error"):
        monkeypatch.setattr(messages, name,
                            lambda _p, text, *_a, n=name, **_k: out.append((n, text)))
    monkeypatch.setattr(messages, "confirm",
                        lambda _p, text, *_a, **_k: out.append(("confirm", text)) or True)
    monkeypatch.setattr(messages, "choose",
                        lambda _p, text, *_a, **_k: out.append(("choose", text)) or out.restore)
    return out


@contextlib.contextmanager
def disk_full(ctx: Context):
    """D4: no page may be added to the database file while inside."""
    conn = ctx.db.conn
    size = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count={size}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA max_page_count={NO_LIMIT}")


def restarted(db_path, user, clock) -> Context:
    """The same database file through a new connection, as after a restart."""
    return Context(connect(db_path), user=user, clock=clock, authenticated_at=clock())


def enospc(*_a, **_k):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def draft_path(ctx: Context, key: str):
    from govdesk.core.drafts import SUFFIX, file_stem

    return draft_files.drafts_dir(ctx) / (file_stem(ctx.actor_id, key) + SUFFIX)


def assert_marked_unsaved(dialog) -> None:
    assert dialog.isVisible()
    assert dialog.windowTitle().endswith("（未保存）")
    assert dialog.drafts.marker.isVisibleTo(dialog)
    assert "保存失败，内容未保存；已自动存为草稿" in dialog.drafts.marker.text()


# ---- 信息登记 ------------------------------------------------------------------------------


def _fill_notice(dialog: NoticeEditorDialog) -> None:
    type_chinese(dialog.title_edit, "关于石桥村2025年度高龄津贴发放对象的公示")
    dialog.doc_number_edit.setText("云政发〔2025〕9号")
    dialog.category_combo.setCurrentIndex(2)
    dialog.owner_combo.setCurrentIndex(1)
    dialog.formed_edit.setDate(QDate(2025, 11, 12))
    for box in dialog.channel_checks.values():
        box.setChecked(True)
    dialog.period_group.setChecked(True)
    dialog.period_start.setDate(QDate(2025, 11, 14))
    dialog.period_length.setValue(9)
    dialog.note_edit.setText("（此件公开发布）")
    dialog.body_edit.setFocus()
    type_chinese(dialog.body_edit, "一、发放对象\n王*明|石桥村|90岁\n二、如有异议，请向镇民政办反映。")


def _notice_dialog(qtbot, ctx, notice=None, save=None) -> NoticeEditorDialog:
    if save is None:
        if notice is None:
            save = lambda data: notice_ops.create_notice(ctx, data)  # noqa: E731
        else:
            nid = notice.id
            save = lambda data: notice_ops.update_notice(ctx, nid, data)  # noqa: E731
    dialog = NoticeEditorDialog(ctx, notice, save)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.mark.parametrize("fault", ["disk_full", "os_error"])
def test_new_notice_survives_a_failed_save_and_a_restart(qtbot, ctx, users, org, shown,
                                                         db_path, clock, fault):
    dialog = _notice_dialog(qtbot, ctx)
    _fill_notice(dialog)
    typed = dialog.draft_fields()
    if fault == "disk_full":
        with disk_full(ctx):
            dialog.accept()
        assert "磁盘空间不足" in shown[-1][1]
    else:
        dialog._save = enospc
        dialog.accept()
        assert "磁盘空间不足" in shown[-1][1] and "仍在窗口中" in shown[-1][1]
    assert notice_ops.count(restarted(db_path, ctx.user, clock), NoticeFilter()) == 0
    assert_marked_unsaved(dialog)
    assert dialog.draft_fields() == typed  # nothing typed was lost or reset
    assert dialog.body_edit.toPlainText().startswith("一、发放对象")
    assert draft_files.load(ctx, "notice-new").fields == typed
    dialog.close()  # the close box: the edits are unsaved, so it asks (the test says 放弃修改)
    assert shown[-1][0] == "confirm" and not dialog.isVisible()
    assert not draft_path(ctx, "notice-new").exists()


@pytest.mark.parametrize("fault", ["disk_full", "os_error"])
def test_notice_draft_is_offered_after_a_restart_and_restored_exactly(
        qtbot, ctx, users, org, shown, db_path, clock, fault):
    dialog = _notice_dialog(qtbot, ctx)
    _fill_notice(dialog)
    typed = dialog.draft_fields()
    if fault == "disk_full":
        with disk_full(ctx):
            dialog.accept()
    else:
        dialog._save = enospc
        dialog.accept()
    assert_marked_unsaved(dialog)
    # The process dies here (no close, no discard): only the draft file is left.
    dialog.drafts.timer.stop()
    dialog.removeEventFilter(dialog.drafts)
    dialog.hide()

    again = restarted(db_path, users[Role.CLERK], clock)
    fresh = _notice_dialog(qtbot, again)
    assert fresh.draft_fields() != typed
    assert fresh.drafts.offer() is True
    question = shown[-1]
    assert question[0] == "choose" and "发现上次未保存的草稿（保存于 2025-11-20" in question[1]
    assert "已被修改" not in question[1]
    assert fresh.draft_fields() == typed
    assert fresh.windowTitle().endswith("（未保存）")
    fresh.accept()
    assert not fresh.isVisible()
    assert not draft_path(again, "notice-new").exists()
    saved = notice_ops.get_notice(again, fresh.result_notice.id)
    assert saved.title == "关于石桥村2025年度高龄津贴发放对象的公示"
    assert saved.body == typed["body"] and saved.note == "（此件公开发布）"


def test_editing_a_notice_keeps_its_own_draft_and_says_when_the_record_changed(
        qtbot, ctx, users, org, shown, db_path, clock):
    n = notice_ops.create_notice(ctx, notice_input(ctx))
    dialog = _notice_dialog(qtbot, ctx, n)
    # Long enough to need new pages: an edit that fits the file's free space cannot hit D4.
    type_chinese(dialog.body_edit, "补充：公示期满无异议的，按程序发放。" * 300)
    typed = dialog.draft_fields()
    with disk_full(ctx):
        dialog.accept()
    assert "磁盘空间不足" in shown[-1][1]
    assert_marked_unsaved(dialog)
    assert draft_path(ctx, f"notice-{n.id}").exists()
    assert not draft_path(ctx, "notice-new").exists()
    dialog.drafts.timer.stop()
    dialog.removeEventFilter(dialog.drafts)
    dialog.hide()

    # Someone else changes the notice in the meantime.
    notice_ops.update_notice(ctx, n.id, notice_input(ctx, title="关于柳河村低保对象的公示（更正）"))
    again = restarted(db_path, users[Role.CLERK], clock)
    current = notice_ops.get_notice(again, n.id)
    fresh = _notice_dialog(qtbot, again, current)
    assert fresh.drafts.offer() is True
    assert "已被修改" in shown[-1][1]
    assert fresh.draft_fields() == typed


def test_declining_the_draft_deletes_it_and_keeps_the_form(qtbot, ctx, users, org, shown):
    dialog = _notice_dialog(qtbot, ctx)
    _fill_notice(dialog)
    assert dialog.drafts.autosave()
    assert draft_path(ctx, "notice-new").exists()
    dialog.drafts.timer.stop()
    dialog.removeEventFilter(dialog.drafts)
    dialog.hide()

    shown.restore = False
    fresh = _notice_dialog(qtbot, ctx)
    blank = fresh.draft_fields()
    assert fresh.drafts.offer() is False
    assert fresh.draft_fields() == blank
    assert not draft_path(ctx, "notice-new").exists()


def test_typing_autosaves_after_a_pause(qtbot, ctx, users, org, shown, monkeypatch):
    dialog = _notice_dialog(qtbot, ctx)
    dialog.drafts.timer.setInterval(50)
    type_chinese(dialog.title_edit, "关于镇区道路改造的公告")
    assert dialog.drafts.timer.isActive()
    assert not draft_path(ctx, "notice-new").exists()
    qtbot.waitUntil(lambda: draft_path(ctx, "notice-new").exists(), timeout=3000)
    assert draft_files.load(ctx, "notice-new").fields["title"] == "关于镇区道路改造的公告"
    # Typed back to the untouched form: no draft is worth keeping.
    dialog.title_edit.clear()
    qtbot.waitUntil(lambda: not draft_path(ctx, "notice-new").exists(), timeout=3000)
    assert gui_drafts.AUTOSAVE_MS == 2000


def test_a_successful_save_and_a_deliberate_discard_remove_the_draft(qtbot, ctx, users, org,
                                                                     shown):
    dialog = _notice_dialog(qtbot, ctx)
    _fill_notice(dialog)
    with disk_full(ctx):
        dialog.accept()
    assert draft_path(ctx, "notice-new").exists()
    dialog.accept()  # the disk has room again
    assert dialog.result_notice is not None and not dialog.isVisible()
    assert not draft_path(ctx, "notice-new").exists()

    other = _notice_dialog(qtbot, ctx)
    _fill_notice(other)
    assert other.drafts.autosave() and draft_path(ctx, "notice-new").exists()
    other.reject()  # 取消 → 放弃修改 (confirm says yes)
    assert shown[-1][0] == "confirm" and "放弃修改" in shown[-1][1]
    assert not other.isVisible()
    assert not draft_path(ctx, "notice-new").exists()


def test_cancel_without_confirming_keeps_dialog_and_draft(qtbot, ctx, users, org, shown,
                                                          monkeypatch):
    dialog = _notice_dialog(qtbot, ctx)
    _fill_notice(dialog)
    assert dialog.drafts.autosave()
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: False)
    dialog.reject()
    assert dialog.isVisible()
    assert draft_path(ctx, "notice-new").exists()


def test_a_draft_that_cannot_be_written_does_not_break_the_form(qtbot, ctx, users, org, shown,
                                                                monkeypatch):
    import govdesk.export.pdf_write as pdf_write

    dialog = _notice_dialog(qtbot, ctx)
    _fill_notice(dialog)
    typed = dialog.draft_fields()
    monkeypatch.setattr(pdf_write.os, "fsync", enospc)  # the disk is really full: no draft
    with disk_full(ctx):
        dialog.accept()
    assert dialog.isVisible() and dialog.draft_fields() == typed
    assert "草稿也没能写入磁盘" in dialog.drafts.marker.text()
    assert not draft_path(ctx, "notice-new").exists()
    assert list(draft_files.drafts_dir(ctx).iterdir()) == []  # no temporary file left


def test_ask_offers_the_draft_before_the_dialog_shows(qtbot, ctx, users, org, shown,
                                                      monkeypatch):
    dialog = _notice_dialog(qtbot, ctx)
    _fill_notice(dialog)
    typed = dialog.draft_fields()
    assert dialog.drafts.autosave()
    dialog.drafts.timer.stop()
    dialog.removeEventFilter(dialog.drafts)
    dialog.hide()

    seen = {}

    def fake_exec(d):
        seen["fields"] = d.draft_fields()
        return 0

    monkeypatch.setattr(NoticeEditorDialog, "exec", fake_exec)
    assert NoticeEditorDialog.ask(None, ctx, None, lambda data: None) is None
    assert seen["fields"] == typed
    assert shown[-1][0] == "choose"


def test_notice_draft_dates_and_choices_round_trip(qtbot, ctx, users, org, shown):
    dialog = _notice_dialog(qtbot, ctx)
    _fill_notice(dialog)
    f = dialog.draft_fields()
    assert f["formed_on"] == date(2025, 11, 12).isoformat()
    assert f["period"] == {"on": True, "start": "2025-11-14", "length": 9, "unit": f["period"]["unit"]}
    assert len(f["channel_ids"]) == len(dialog.channel_checks)


# ==== the other dialogs ==========================================================================

LONG = "经核查，申请公开的信息由镇财政所制作并保存，现予以公开。" * 200  # needs new pages (D4)


def _die(dialog) -> None:
    """The process ends with the dialog open: nothing more is written."""
    dialog.drafts.timer.stop()
    dialog.removeEventFilter(dialog.drafts)
    dialog.hide()


# ---- 依申请公开 letters ------------------------------------------------------------------------


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


@pytest.mark.parametrize("fault", ["disk_full", "os_error"])
def test_letter_text_survives_a_failed_save_and_a_restart(qtbot, ctx, users, request_id, shown,
                                                          db_path, clock, monkeypatch, fault):
    dialog = LetterDialog(ctx, request_id, LetterKind.EXTENSION)
    qtbot.addWidget(dialog)
    dialog.show()
    cursor = dialog.editor.textCursor()  # the end of the first body paragraph
    cursor.movePosition(cursor.MoveOperation.Start)
    cursor.movePosition(cursor.MoveOperation.NextBlock, n=3)
    cursor.movePosition(cursor.MoveOperation.EndOfBlock)
    dialog.editor.setTextCursor(cursor)
    type_chinese(dialog.editor, LONG)
    typed = dialog.text()
    key = f"letter-{request_id}-extension"
    if fault == "disk_full":
        with disk_full(ctx):
            assert dialog.save() is False
        assert "磁盘空间不足" in shown[-1][1]
    else:
        with monkeypatch.context() as m:
            m.setattr(request_letters, "save_letter", enospc)
            assert dialog.save() is False
        assert "磁盘空间不足" in shown[-1][1] and "仍在窗口中" in shown[-1][1]
    assert_marked_unsaved(dialog)
    assert dialog.text() == typed
    assert draft_path(ctx, key).exists()
    assert request_letters.stored_letter(ctx, request_id, LetterKind.EXTENSION) is None
    _die(dialog)

    again = restarted(db_path, users[Role.CLERK], clock)
    fresh = LetterDialog(again, request_id, LetterKind.EXTENSION)
    qtbot.addWidget(fresh)
    assert fresh.text() != typed
    assert fresh.drafts.offer() is True
    assert "发现上次未保存的草稿" in shown[-1][1] and "已被修改" not in shown[-1][1]
    assert fresh.text() == typed
    assert "有未保存的修改" in fresh.note.text()
    assert fresh.save() is True
    assert not draft_path(again, key).exists()
    assert not fresh.windowTitle().endswith("（未保存）")
    assert request_letters.stored_letter(again, request_id, LetterKind.EXTENSION).text == typed


def test_closing_a_letter_on_purpose_removes_its_draft(qtbot, ctx, users, request_id, shown):
    dialog = LetterDialog(ctx, request_id, LetterKind.EXTENSION)
    qtbot.addWidget(dialog)
    dialog.show()
    type_chinese(dialog.editor, "补充一句。")
    assert dialog.drafts.autosave()
    key = f"letter-{request_id}-extension"
    assert draft_path(ctx, key).exists()
    dialog.reject()  # 关闭 → 放弃修改并关闭
    assert shown[-1][0] == "confirm" and not dialog.isVisible()
    assert not draft_path(ctx, key).exists()


# ---- 季度通报 ------------------------------------------------------------------------------------


@pytest.fixture
def quarter(ctx, users, org):
    """Q3 2025 with one check per month for both communities."""
    for month in (7, 8, 9):
        scoring.save_month(ctx, 2025, month, [
            SpotCheck(org["liuhe"], 2025, month, checker="刘欣", checked_on=date(2025, month, 20),
                      deductions=(Deduction("1.1", "公开栏破损、内容脱落", count=1, rule=1),)),
            SpotCheck(org["yunxi"], 2025, month, checker="刘欣", checked_on=date(2025, month, 20)),
        ])


@pytest.mark.parametrize("fault", ["disk_full", "os_error"])
def test_bulletin_text_survives_a_failed_save_and_a_restart(qtbot, ctx, users, quarter, shown,
                                                            db_path, clock, monkeypatch, fault):
    dialog = BulletinDialog(ctx, 2025, 3)
    qtbot.addWidget(dialog)
    dialog.show()
    cursor = dialog.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.Start)
    cursor.movePosition(cursor.MoveOperation.Down)
    dialog.editor.setTextCursor(cursor)
    type_chinese(dialog.editor, LONG + "\n")
    typed = dialog.text()
    if fault == "disk_full":
        with disk_full(ctx):
            assert dialog.save() is False
        assert "磁盘空间不足" in shown[-1][1]
    else:
        with monkeypatch.context() as m:
            m.setattr(scoring, "save_bulletin_text", enospc)
            assert dialog.save() is False
        assert "磁盘空间不足" in shown[-1][1] and "仍在窗口中" in shown[-1][1]
    assert_marked_unsaved(dialog)
    assert dialog.text() == typed
    assert draft_path(ctx, "bulletin-2025Q3").exists()
    _die(dialog)

    again = restarted(db_path, users[Role.CLERK], clock)
    fresh = BulletinDialog(again, 2025, 3)
    qtbot.addWidget(fresh)
    assert fresh.text() != typed
    assert fresh.drafts.offer() is True
    assert fresh.text() == typed
    assert "有未保存的修改" in fresh.note.text()
    assert fresh.save() is True
    assert not draft_path(again, "bulletin-2025Q3").exists()
    stored, edited = scoring.bulletin_for(again, 2025, 3)
    assert edited is True and LONG in bulletin_text(stored)


# ---- 申请登记 ------------------------------------------------------------------------------------


def _fill_request(dialog: RequestDialog) -> None:
    dialog.channel_combo.setCurrentIndex(dialog.channel_combo.findData(Channel.REGISTERED_POST.value))
    dialog.submitted_edit.setDate(QDate(2025, 11, 14))
    dialog.signed_edit.setDate(QDate(2025, 11, 17))
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(ApplicantKind.BUSINESS.value))
    type_chinese(dialog.name_edit, "云溪建筑工程有限公司")
    type_chinese(dialog.contact_edit, "柳河村三组 0537-7654321")
    type_chinese(dialog.content_edit, "镇政府2024年三公经费决算及说明。" * 40)


@pytest.mark.parametrize("fault", ["disk_full", "os_error"])
def test_request_form_survives_a_failed_save_and_a_restart(qtbot, ctx, users, shown, db_path,
                                                           clock, monkeypatch, fault):
    dialog = RequestDialog(None, ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill_request(dialog)
    typed = dialog.draft_fields()
    if fault == "disk_full":
        with disk_full(ctx):
            dialog.accept()
        assert "磁盘空间不足" in shown[-1][1]
    else:
        with monkeypatch.context() as m:
            m.setattr(request_ops, "register_request", enospc)
            dialog.accept()
        assert "磁盘空间不足" in shown[-1][1] and "仍在窗口中" in shown[-1][1]
    assert dialog.saved is None
    assert_marked_unsaved(dialog)
    assert dialog.draft_fields() == typed
    assert draft_path(ctx, "request-new").exists()
    assert request_ops.request_summaries(ctx) == []
    _die(dialog)

    again = restarted(db_path, users[Role.CLERK], clock)
    fresh = RequestDialog(None, again)
    qtbot.addWidget(fresh)
    fresh.show()
    assert fresh.drafts.offer() is True
    assert fresh.draft_fields() == typed
    fresh.accept()
    assert fresh.saved is not None and not fresh.isVisible()
    assert fresh.saved.applicant_name == "云溪建筑工程有限公司"
    assert fresh.saved.received_on == date(2025, 11, 17)
    assert not draft_path(again, "request-new").exists()


def test_a_refused_request_is_kept_as_a_draft_too(qtbot, ctx, users, shown):
    dialog = RequestDialog(None, ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    type_chinese(dialog.content_edit, "2025年镇区道路改造工程招标文件")
    dialog.accept()  # no applicant name
    assert dialog.isVisible() and dialog.saved is None
    assert_marked_unsaved(dialog)
    assert draft_path(ctx, "request-new").exists()
    dialog.reject()  # 取消 → 放弃修改
    assert not dialog.isVisible() and not draft_path(ctx, "request-new").exists()


# ---- start-up ------------------------------------------------------------------------------------


def test_the_main_window_names_waiting_drafts_after_sign_in(qtbot, ctx, users, org, quarter,
                                                            shown, db_path, clock):
    from govdesk.gui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.drafts_label.isHidden()  # nothing waiting: nothing said

    dialog = _notice_dialog(qtbot, ctx)
    _fill_notice(dialog)
    with disk_full(ctx):
        dialog.accept()
    _die(dialog)
    bulletin = BulletinDialog(ctx, 2025, 3)
    qtbot.addWidget(bulletin)
    type_chinese(bulletin.editor, "补充说明。")
    assert bulletin.drafts.autosave()
    _die(bulletin)

    again = restarted(db_path, users[Role.CLERK], clock)
    window = MainWindow(again)
    qtbot.addWidget(window)
    assert not window.drafts_label.isHidden()
    assert window.drafts_label.text() == (
        "有 2 份未保存的草稿：2025年第三季度考核通报、信息登记《关于石桥村2025年度高龄津贴发放对象的公示》，"
        "打开对应的表单即可恢复。")
    # another account's drafts are not named to this one
    admin = restarted(db_path, users[Role.ADMIN], clock)
    window = MainWindow(admin)
    qtbot.addWidget(window)
    assert window.drafts_label.isHidden()


# ---- 年度报告 ------------------------------------------------------------------------------


def _report_page(qtbot, ctx):
    from govdesk.gui.pages.annual_report_page import AnnualReportPage

    page = AnnualReportPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.refresh()
    if page.year != 2025:  # (set_year reloads the saved texts, as choosing a year does)
        page.set_year(2025)
    return page


def test_the_annual_report_keeps_its_texts_through_a_full_disk_and_a_restart(
        qtbot, ctx, users, org, db_path, clock, shown):
    from govdesk.store import org_store

    org_store.update_township(ctx.db, Township("青山县云溪镇人民政府", "云溪镇", "",
                                               "云溪镇人民路1号", "0731-8888 1234"))
    clerk = as_user(ctx, users[Role.CLERK])
    page = _report_page(qtbot, clerk)
    assert page.report is not None, page.status_label.text()
    text = ("一是对照《条例》逐项梳理公开目录，部分社区公开栏更新不及时；二是政策解读形式单一。"
            "下一步将加强培训，落实月抽查、季考核制度。\n") * 40
    page.problems_text.editor.setPlainText(text)
    with disk_full(clerk):
        assert page.save() is False
    assert "磁盘空间不足" in shown[-1][1]
    assert page.problems_text.text() == text
    assert page.drafts.marker.isVisibleTo(page)
    assert "已自动存为草稿" in page.drafts.marker.text()
    assert draft_path(clerk, "annual_report-2025").exists()

    again_ctx = restarted(db_path, clerk.user, clock)
    again = _report_page(qtbot, again_ctx)
    assert [t for k, t in shown if k == "choose"], "the draft was not offered"
    assert again.problems_text.text() == text and again.is_dirty()
    assert again.save(quiet=True)
    assert not draft_path(again_ctx, "annual_report-2025").exists()
    assert not again.drafts.marker.isVisibleTo(again)
