"""依申请公开 letters on approval slips (issue 6: "letters go through the approvals workflow like
notices"), on a real temporary database: the chain a letter takes, the gate on sending and on
final printing (in the operations and in SQL), edits voiding a slip, 退回修改 and resubmission,
the queue, the printed slip, and the upgrade of a database from before letters had slips."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest
from pypdf import PdfReader

from govdesk.core.approvals import Decision, SlipStatus, Stage
from govdesk.core.errors import PermissionDenied, UserError
from govdesk.core.letters import LetterKind, letter_text
from govdesk.core.org import Role, Township
from govdesk.core.requests import ApplicantKind, Channel, ClockEvent, Outcome, RequestInput
from govdesk.operations import approvals
from govdesk.operations import org as org_ops
from govdesk.operations import request_letters as ops
from govdesk.operations import requests as request_ops
from govdesk.store import audit_store, letter_store
from tests.conftest import approve_letter, as_user

FULL = (Stage.UNIT_HEAD, Stage.SECRECY, Stage.DEPUTY, Stage.PRINCIPAL)


@pytest.fixture
def township(ctx, users):
    org_ops.update_township(as_user(ctx, users[Role.ADMIN]), Township(
        full_name="青山县云溪镇人民政府", short_name="云溪镇", address="青山县云溪镇府前路1号",
        phone="0537-1234567"))


@pytest.fixture
def request_id(ctx, township) -> int:
    r = request_ops.register_request(ctx, RequestInput(
        channel=Channel.IN_PERSON, submitted_on=date(2025, 11, 3),
        applicant_kind=ApplicantKind.PERSON, applicant_name="张三",
        content="2024年度柳河村低保资金发放情况", applicant_contact="13812345678"))
    request_ops.record_event(ctx, r.id, ClockEvent.extension(date(2025, 11, 20), 10, "李主任"))
    return r.id


def _save(ctx, rid, kind, extra: str = "") -> int:
    text = letter_text(ops.generated_letter(ctx, rid, kind))
    if extra:
        lines = text.splitlines()
        lines.insert(3, extra)
        text = "\n".join(lines)
    return ops.save_letter(ctx, rid, kind, text)


def _pdf_text(path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def test_procedural_letters_skip_the_principal_and_the_reply_takes_the_whole_chain(
        ctx, users, request_id):
    ext = _save(ctx, request_id, LetterKind.EXTENSION)
    view = approvals.submit_letter(ctx, ext)
    assert view.chain == (Stage.UNIT_HEAD, Stage.SECRECY, Stage.DEPUTY)
    assert view.notice is None and view.letter is not None and view.letter.id == ext
    assert view.title == "延期答复告知书（申请〔2025〕第1号）"
    assert view.status_text == "待科室（社区）负责人审核"
    entry = audit_store.last_entry(ctx.db)
    assert (entry.action, entry.object_type, entry.object_id) == ("submit", "request_letter",
                                                                  str(ext))

    request_ops.close_request(ctx, request_id, Outcome.DISCLOSED, on=date(2025, 11, 20))
    reply = _save(ctx, request_id, LetterKind.REPLY)
    assert approvals.submit_letter(ctx, reply).chain == FULL


def test_a_letter_goes_out_only_once_its_text_is_approved(ctx, users, request_id, tmp_path):
    ext = _save(ctx, request_id, LetterKind.EXTENSION)
    with pytest.raises(UserError, match="还没有提交审批"):
        ops.mark_sent(ctx, ext, date(2025, 11, 20))
    draft = tmp_path / "draft.pdf"
    ops.print_letter(ctx, request_id, LetterKind.EXTENSION, draft)
    assert "审阅稿（未经审批，不得发出）" in _pdf_text(draft)
    assert "未经审批　不得发出" in _pdf_text(draft)  # the diagonal mark
    assert json.loads(audit_store.last_entry(ctx.db).payload)["review_copy"] is True

    view = approvals.submit_letter(ctx, ext)
    head = as_user(ctx, users[Role.UNIT_HEAD])
    approvals.decide(head, view.id, Decision.APPROVE)
    with pytest.raises(UserError, match="还差：保密审查、分管领导审核"):
        ops.mark_sent(ctx, ext, date(2025, 11, 20))
    approval = ops.letter_approval(ctx, request_id, LetterKind.EXTENSION)
    assert not approval.approved and approval.status_text.startswith("待保密审查")

    view = approvals.decide(as_user(ctx, users[Role.SECRECY_OFFICER]), view.id, Decision.APPROVE)
    approvals.decide(as_user(ctx, users[Role.DEPUTY_LEADER]), view.id, Decision.APPROVE)
    approval = ops.letter_approval(ctx, request_id, LetterKind.EXTENSION)
    assert approval.approved and approval.status_text.startswith("审批通过")
    final = tmp_path / "final.pdf"
    ops.print_letter(ctx, request_id, LetterKind.EXTENSION, final)
    text = _pdf_text(final)
    assert "审阅稿" not in text and "审计校验码" in text
    # The editor's unsaved changes are not what was approved: still a 审阅稿.
    edited = letter_store.get_letter(ctx.db, ext).text.replace("特此告知", "特此告知！")
    ops.print_letter(ctx, request_id, LetterKind.EXTENSION, tmp_path / "e.pdf", text=edited)
    assert "审阅稿" in _pdf_text(tmp_path / "e.pdf")
    assert ops.mark_sent(ctx, ext, date(2025, 11, 20)).sent_on == date(2025, 11, 20)


def test_editing_a_letter_under_review_voids_its_slip_and_keeps_the_drafter(
        ctx, users, request_id):
    ext = _save(ctx, request_id, LetterKind.EXTENSION)
    first = approvals.submit_letter(ctx, ext)
    approvals.decide(as_user(ctx, users[Role.UNIT_HEAD]), first.id, Decision.APPROVE)
    admin = as_user(ctx, users[Role.ADMIN])
    _save(admin, request_id, LetterKind.EXTENSION, "（补充说明）")
    assert approvals.get_slip(ctx, first.id).state.status is SlipStatus.SUPERSEDED
    new = approvals.latest_letter_slip(ctx, ext)
    assert new.id != first.id and new.state.status is SlipStatus.IN_REVIEW
    assert new.current_stage is Stage.UNIT_HEAD
    assert new.slip.drafter_id == first.slip.drafter_id == ctx.user.id
    assert new.slip.notice_version == 2 and new.slip.content["text"].count("补充说明") == 1


def test_an_approved_letter_edited_needs_approval_again(ctx, users, request_id):
    ext = _save(ctx, request_id, LetterKind.EXTENSION)
    approve_letter(ctx, users, ext)
    assert ops.letter_approval(ctx, request_id, LetterKind.EXTENSION).approved
    _save(ctx, request_id, LetterKind.EXTENSION, "（补充说明）")
    approval = ops.letter_approval(ctx, request_id, LetterKind.EXTENSION)
    assert not approval.approved and approval.slip.state.status is SlipStatus.IN_REVIEW
    with pytest.raises(UserError, match="尚未审批完成"):
        ops.mark_sent(ctx, ext, date(2025, 11, 20))


def test_return_to_the_drafter_and_resubmit_the_fixed_text(ctx, users, request_id):
    ext = _save(ctx, request_id, LetterKind.EXTENSION)
    view = approvals.submit_letter(ctx, ext)
    head = as_user(ctx, users[Role.UNIT_HEAD])
    view = approvals.decide(head, view.id, Decision.RETURN, "延期理由写具体")
    assert view.state.status is SlipStatus.RETURNED
    assert "已退回经办人修改" in ops.letter_approval(ctx, request_id,
                                                LetterKind.EXTENSION).status_text
    _save(ctx, request_id, LetterKind.EXTENSION, "因需调取2024年度档案，")
    assert approvals.latest_letter_slip(ctx, ext).id == view.id  # a return is not voided
    again = ops.submit_letter(ctx, request_id, LetterKind.EXTENSION)
    assert again.id == view.id and again.state.status is SlipStatus.IN_REVIEW
    assert again.current_stage is Stage.UNIT_HEAD
    # Only the drafter resubmits a returned slip.
    approvals.decide(head, view.id, Decision.RETURN, "再改")
    _save(ctx, request_id, LetterKind.EXTENSION, "另：")
    with pytest.raises(PermissionDenied, match="经办人本人"):
        approvals.submit_letter(as_user(ctx, users[Role.ADMIN]), ext)


def test_the_printed_slip_shows_the_version_resubmitted_after_a_return(ctx, users, request_id):
    ext = _save(ctx, request_id, LetterKind.EXTENSION)
    view = approvals.submit_letter(ctx, ext)
    approvals.decide(as_user(ctx, users[Role.UNIT_HEAD]), view.id, Decision.RETURN, "写具体")
    _save(ctx, request_id, LetterKind.EXTENSION, "因需调取2024年度档案，")
    view = approve_letter(ctx, users, ext)
    fixed = letter_store.get_letter(ctx.db, ext)
    assert view.state.content_hash == fixed.content_hash != view.slip.content_hash
    form = approvals.slip_form(ctx, view.id)
    assert form.content_hash == fixed.content_hash
    assert "因需调取2024年度档案" in form.summary


def test_the_letter_queue_and_refusals(ctx, users, request_id):
    receipt = _save(ctx, request_id, LetterKind.RECEIPT)
    with pytest.raises(UserError, match="受理回执不需要审批"):
        approvals.submit_letter(ctx, receipt)
    assert ops.mark_sent(ctx, receipt, date(2025, 11, 3)).sent_on == date(2025, 11, 3)

    ext = _save(ctx, request_id, LetterKind.EXTENSION)
    view = approvals.submit_letter(ctx, ext)
    with pytest.raises(UserError, match="已在审批中"):
        approvals.submit_letter(ctx, ext)
    head = as_user(ctx, users[Role.UNIT_HEAD])
    assert [v.id for v in approvals.my_queue(head)] == [view.id]
    assert approvals.my_queue(as_user(ctx, users[Role.SECRECY_OFFICER])) == []
    assert view.id in [v.id for v in approvals.open_slips(ctx)]
    with pytest.raises(PermissionDenied):
        approvals.submit_letter(head, ext)  # only those who handle applications submit
    # 取回 before anyone acted, then the slip is closed and the letter not sendable.
    approvals.withdraw(ctx, view.id)
    assert approvals.my_queue(head) == []
    assert "已取回，须重新提交审批" in approvals.letter_send_problem(ctx, ext)
    assert ops.letter_approval(ctx, request_id, LetterKind.EXTENSION).status_text.startswith(
        "已取回")
    assert approvals.submit_letter(ctx, ext).state.status is SlipStatus.IN_REVIEW


def test_secrecy_review_of_a_letter_needs_no_screening_pass(ctx, users, request_id):
    # A letter is addressed to the applicant by name, with the contact the office gives:
    # the personal-information screening is for what gets published.
    ext = _save(ctx, request_id, LetterKind.EXTENSION, "联系电话13812345678。")
    view = approve_letter(ctx, users, ext)
    assert view.state.status is SlipStatus.APPROVED


def test_going_back_to_the_generated_text_keeps_a_letter_on_a_slip(ctx, users, request_id):
    generated = letter_text(ops.generated_letter(ctx, request_id, LetterKind.EXTENSION))
    ext = _save(ctx, request_id, LetterKind.EXTENSION, "（补充说明）")
    first = approvals.submit_letter(ctx, ext)
    assert ops.discard_letter(ctx, request_id, LetterKind.EXTENSION) is True
    kept = letter_store.get_letter(ctx.db, ext)
    assert kept is not None and kept.text == generated.strip() + "\n" and kept.version == 2
    assert approvals.get_slip(ctx, first.id).state.status is SlipStatus.SUPERSEDED


def test_the_database_refuses_what_the_operations_refuse(ctx, users, request_id):
    ext = _save(ctx, request_id, LetterKind.EXTENSION)
    with pytest.raises(sqlite3.IntegrityError, match="unapproved-letter"):
        ctx.db.execute("UPDATE request_letter SET sent_on = '2025-11-20' WHERE id = ?", [ext])
    with pytest.raises(sqlite3.IntegrityError, match="content-changed-without-hash"):
        ctx.db.execute("UPDATE request_letter SET text = text || '改' WHERE id = ?", [ext])
    approve_letter(ctx, users, ext)
    with pytest.raises(sqlite3.IntegrityError, match="letter-on-slip"):
        ctx.db.execute("DELETE FROM request_letter WHERE id = ?", [ext])
    ops.mark_sent(ctx, ext, date(2025, 11, 20))
    with pytest.raises(sqlite3.IntegrityError, match="sent-letter"):
        ctx.db.execute("UPDATE request_letter SET text = 'x', content_hash = 'y' WHERE id = ?",
                       [ext])
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        ctx.db.execute("INSERT INTO approval_slip (number, notice_version, content_hash, content,"
                       " chain, created_at) VALUES ('SP2025-9999', 1, 'h', '{}', '[]', 'now')")


def test_the_printed_slip_of_a_letter(ctx, users, request_id, tmp_path):
    request_ops.close_request(ctx, request_id, Outcome.PARTLY_DISCLOSED, on=date(2025, 11, 20),
                              detail="涉及个人隐私的部分")
    reply = _save(ctx, request_id, LetterKind.REPLY)
    view = approve_letter(ctx, users, reply)
    form = approvals.slip_form(ctx, view.id)
    assert form.title == "答复书（申请〔2025〕第1号）" and form.disclosure == "依申请公开"
    assert form.scope == "特定群众" and form.channels == ("送达申请人",)
    assert "部分公开" in form.disclosure_reason and form.unit == "党政综合办公室"
    assert [b.stage for b in form.boxes] == [s.value for s in FULL]
    assert all(b.signer for b in form.boxes)
    path = tmp_path / "slip.pdf"
    assert approvals.print_slip(ctx, view.id, path) == 1
    text = _pdf_text(path)
    assert "答复书（申请〔2025〕第1号）" in text and view.number in text


def test_upgrade_records_letters_sent_before_slips_existed(tmp_path):
    from govdesk.store.database import connect
    from govdesk.store.migrations import migrations

    path = tmp_path / "old.db"
    db = connect(path, migrate=False)
    migrations.apply(db, stop_before="0010_letter_approval_slips")
    db.execute("INSERT INTO user (id, login, name, role, password_hash, created_at) VALUES"
               " (1, 'clerk', '刘欣', 'clerk', 'x', '2025-01-01')")
    db.execute("INSERT INTO request (id, number, year, seq, channel, submitted_on, received_on,"
               " applicant_kind, applicant_name, content, created_at, updated_at) VALUES"
               " (1, '〔2025〕第1号', 2025, 1, '当面', '2025-11-03', '2025-11-03', '自然人',"
               " '张三', '低保', 'now', 'now')")
    for lid, kind, sent in ((1, "答复书", "2025-11-20"), (2, "补正告知书", None),
                            (3, "受理回执", "2025-11-03")):
        db.execute("INSERT INTO request_letter (id, request_id, kind, text, sent_on, created_by,"
                   " created_at, updated_at) VALUES (?, 1, ?, ?, ?, 1, 'now', 'now')",
                   [lid, kind, f"{kind}正文", sent])
    db.conn.commit()
    db.conn.close()

    db = connect(path)
    hashes = dict(db.execute("SELECT id, content_hash FROM request_letter").fetchall())
    assert all(len(h) == 64 for h in hashes.values())
    slips = db.execute("SELECT letter_id, notice_id, content_hash FROM approval_slip").fetchall()
    assert slips == [(1, None, hashes[1])]  # the sent reply: a recorded approval; no others
    kind, completes, opinion = db.execute(
        "SELECT kind, completes, opinion FROM approval").fetchone()
    assert (kind, completes, opinion) == ("record", 1, "升级前已发出")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The gates of 0007 still find the rebuilt table.
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE request_letter SET sent_on = '2025-11-20' WHERE id = 2")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM approval_slip")
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert {"notice_publish_gate", "posting_publish_gate", "approval_slip_no_update",
            "request_letter_send_gate"} <= triggers
    db.conn.close()
