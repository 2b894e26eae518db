"""Approval slips through the operations, on a real database file: the chain, returns, paper
signatures, the content lock, the publication gate in operations and in the database."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, timedelta

import pytest
from conftest import PASSWORD, approve_all, as_user, notice_input

from govdesk.core.approvals import DRAFTER, Decision, SlipStatus, Stage
from govdesk.core.audit import verify_chain
from govdesk.core.errors import PermissionDenied, UserError
from govdesk.core.notices import NoticeStatus
from govdesk.core.org import Role
from govdesk.operations import approvals, ledger, postings
from govdesk.operations import notices as ops
from govdesk.operations.context import Context
from govdesk.store import audit_store
from govdesk.store.database import connect, path_of


def signer(ctx, users, stage: Stage) -> Context:
    return as_user(ctx, users[stage.role])


def decide_current(ctx, users, slip, decision=Decision.APPROVE, opinion="", **kw):
    return approvals.decide(signer(ctx, users, slip.current_stage), slip.id, decision, opinion,
                            **kw)


def test_full_chain_sets_the_notice_status_at_each_end(ctx, users, org):
    n = ops.create_notice(ctx, notice_input(ctx))
    slip = approvals.submit_for_approval(ctx, n.id)
    assert slip.number == "SP2025-0001" and slip.chain == tuple(Stage)
    assert ops.get_notice(ctx, n.id).status is NoticeStatus.PENDING
    assert slip.status_text == "待科室（社区）负责人审核"
    for expected in (Stage.UNIT_HEAD, Stage.SECRECY, Stage.DEPUTY, Stage.PRINCIPAL):
        assert slip.current_stage is expected
        assert [v.id for v in approvals.my_queue(signer(ctx, users, expected))] == [slip.id]
        assert approvals.my_queue(ctx) == []  # the clerk's queue
        slip = decide_current(ctx, users, slip)
    assert slip.state.status is SlipStatus.APPROVED
    assert ops.get_notice(ctx, n.id).status is NoticeStatus.APPROVED
    assert approvals.publication_problem(ctx, n.id) == ""
    decisions = [r for r in slip.events if r.stage]
    assert [r.actor_name for r in decisions] == ["赵国强", "孙丽", "王建华", "陈志远"]
    assert all(r.event.opinion == "同意" and r.at_utc for r in decisions)


def test_routine_categories_skip_the_principal_leader(ctx, users, org):
    cats = {c.name: c.id for c in __import__("govdesk.operations.lists").operations.lists.categories(ctx)}
    from govdesk.core.approvals import ChainConfig

    approvals.set_chain_config(as_user(ctx, users[Role.ADMIN]),
                               ChainConfig(routine_categories=frozenset({cats["社会救助"]})))
    n = ops.create_notice(ctx, notice_input(ctx))
    slip = approve_all(ctx, users, n.id)
    assert slip.chain == (Stage.UNIT_HEAD, Stage.SECRECY, Stage.DEPUTY)
    assert slip.state.status is SlipStatus.APPROVED


def test_unpublished_content_is_refused_with_the_missing_steps(ctx, users, org):
    n = ops.create_notice(ctx, notice_input(ctx))
    with pytest.raises(UserError, match="还没有提交审批"):
        postings.post_notice(ctx, n.id, [org["b_gov"]])
    slip = approvals.submit_for_approval(ctx, n.id)
    slip = decide_current(ctx, users, slip)
    slip = decide_current(ctx, users, slip)
    problem = approvals.publication_problem(ctx, n.id)
    assert "还差：分管领导审核、主要领导审批" in problem and slip.number in problem
    with pytest.raises(UserError, match="还差：分管领导审核、主要领导审批"):
        ops.publish_notice(ctx, n.id)


def test_return_to_an_earlier_step_and_to_the_drafter(ctx, users, org):
    n = ops.create_notice(ctx, notice_input(ctx))
    slip = approvals.submit_for_approval(ctx, n.id)
    slip = decide_current(ctx, users, slip)  # 科室
    slip = decide_current(ctx, users, slip)  # 保密审查
    with pytest.raises(UserError, match="须填写意见"):
        decide_current(ctx, users, slip, Decision.RETURN, "  ", return_to=0)
    choices = dict(approvals.stage_choices(slip))
    assert choices[DRAFTER].startswith("经办人") and choices[0] == Stage.UNIT_HEAD.value
    slip = decide_current(ctx, users, slip, Decision.RETURN, "请科室核实金额", return_to=0)
    assert slip.current_stage is Stage.UNIT_HEAD
    slip = decide_current(ctx, users, slip)
    assert slip.current_stage is Stage.DEPUTY  # resumes where it was sent back from
    # 分管领导 returns it to the drafter: the notice is a draft again, editable
    slip = decide_current(ctx, users, slip, Decision.RETURN, "公示期写错了")
    assert slip.state.status is SlipStatus.RETURNED
    assert ops.get_notice(ctx, n.id).status is NoticeStatus.DRAFT
    fixed = notice_input(ctx, note="（此件公开发布）")
    ops.update_notice(ctx, n.id, fixed)
    again = approvals.submit_for_approval(ctx, n.id)
    assert again.id == slip.id  # the same slip, resumed
    assert again.current_stage is Stage.SECRECY  # content changed: 保密审查 sees it first
    again = decide_current(ctx, users, again)
    assert again.current_stage is Stage.DEPUTY
    again = decide_current(ctx, users, again)
    again = decide_current(ctx, users, again)
    assert again.state.status is SlipStatus.APPROVED
    assert approvals.publication_problem(ctx, n.id) == ""


def test_reject_and_secrecy_rejection_block_that_content(ctx, users, org):
    n = ops.create_notice(ctx, notice_input(ctx))
    slip = approvals.submit_for_approval(ctx, n.id)
    slip = decide_current(ctx, users, slip)
    slip = decide_current(ctx, users, slip, Decision.REJECT, "涉及个人隐私，不予公开")
    assert slip.state.status is SlipStatus.REJECTED
    assert ops.get_notice(ctx, n.id).status is NoticeStatus.DRAFT
    with pytest.raises(UserError, match="保密审查已认定"):
        approvals.submit_for_approval(ctx, n.id)
    ops.update_notice(ctx, n.id, notice_input(ctx, body="名单已去标识化处理。"))
    assert approvals.submit_for_approval(ctx, n.id).id != slip.id


def test_withdraw_before_the_holder_acts(ctx, users, org):
    n = ops.create_notice(ctx, notice_input(ctx))
    slip = approvals.submit_for_approval(ctx, n.id)
    with pytest.raises(UserError, match="经办人本人"):
        approvals.withdraw(as_user(ctx, users[Role.ADMIN]), slip.id)
    slip = approvals.withdraw(ctx, slip.id)
    assert slip.state.status is SlipStatus.WITHDRAWN
    assert ops.get_notice(ctx, n.id).status is NoticeStatus.DRAFT
    slip = approvals.submit_for_approval(ctx, n.id)
    decide_current(ctx, users, slip)
    with pytest.raises(UserError, match="已有审批人处理"):
        approvals.withdraw(ctx, slip.id)


def test_editing_a_pending_or_approved_notice_starts_a_new_slip(ctx, users, org):
    n = ops.create_notice(ctx, notice_input(ctx))
    first = approve_all(ctx, users, n.id)
    ops.update_notice(ctx, n.id, notice_input(ctx, title="关于柳河村2025年第三季度低保对象的公示（更正）"))
    slips = approvals.slips_of_notice(ctx, n.id)
    assert [s.state.status for s in slips] == [SlipStatus.SUPERSEDED, SlipStatus.IN_REVIEW]
    assert slips[0].id == first.id  # the old slip stays on record
    assert slips[1].slip.notice_version == 2
    assert ops.get_notice(ctx, n.id).status is NoticeStatus.PENDING
    with pytest.raises(UserError, match="还差"):
        postings.post_notice(ctx, n.id, [org["b_gov"]])
    # an edit that changes nothing published keeps the slip
    ops.update_notice(ctx, n.id, notice_input(
        ctx, title="关于柳河村2025年第三季度低保对象的公示（更正）"))
    assert len(approvals.slips_of_notice(ctx, n.id)) == 2


def test_paper_signature_is_marked_and_checked_like_an_on_screen_one(ctx, users, org):
    n = ops.create_notice(ctx, notice_input(ctx))
    slip = approvals.submit_for_approval(ctx, n.id)
    for _ in range(3):
        slip = decide_current(ctx, users, slip)
    leader = users[Role.PRINCIPAL_LEADER]
    with pytest.raises(UserError, match="不能晚于今天"):
        approvals.record_paper_decision(ctx, slip.id, signer_id=leader.id,
                                        decision=Decision.APPROVE, opinion="同意",
                                        signed_on=ctx.today() + timedelta(days=1))
    with pytest.raises(PermissionDenied):  # the signer must hold the step's role
        approvals.record_paper_decision(ctx, slip.id, signer_id=users[Role.DEPUTY_LEADER].id,
                                        decision=Decision.APPROVE, opinion="同意",
                                        signed_on=ctx.today())
    with pytest.raises(PermissionDenied):  # only staff enter paper slips
        approvals.record_paper_decision(as_user(ctx, users[Role.SECRECY_OFFICER]), slip.id,
                                        signer_id=leader.id, decision=Decision.APPROVE,
                                        opinion="同意", signed_on=ctx.today())
    with pytest.raises(UserError, match="扫描件只能是"):
        approvals.record_paper_decision(ctx, slip.id, signer_id=leader.id,
                                        decision=Decision.APPROVE, opinion="同意",
                                        signed_on=ctx.today(), scan=__file__)
    scan = ctx.files_dir.parent / "签批页.pdf"
    scan.write_bytes(b"%PDF-1.4\n%scan\n")
    slip = approvals.record_paper_decision(ctx, slip.id, signer_id=leader.id,
                                           decision=Decision.APPROVE, opinion="同意，请按程序公示",
                                           signed_on=ctx.today(), scan=scan)
    last = slip.events[-1]
    assert last.event.paper and last.event.entered_by == users[Role.CLERK].id
    assert last.actor_name == "陈志远" and last.event.signed_on == ctx.today()
    assert approvals.scan_path(ctx, last.scan).read_bytes() == scan.read_bytes()
    assert "签批页" not in last.scan  # stored under a content-derived name
    assert slip.state.status is SlipStatus.APPROVED
    entry = audit_store.entries_for(ctx.db, "approval_slip", slip.id)[-1]
    assert entry.actor_id == users[Role.CLERK].id and '"paper":true' in entry.payload


def test_decision_needs_a_fresh_password(ctx, users, org, clock):
    n = ops.create_notice(ctx, notice_input(ctx))
    slip = approvals.submit_for_approval(ctx, n.id)
    head = signer(ctx, users, Stage.UNIT_HEAD)
    clock.now += timedelta(minutes=6)  # signed in six minutes ago
    with pytest.raises(UserError, match="密码"):
        approvals.decide(head, slip.id, Decision.APPROVE)
    assert approvals.get_slip(ctx, slip.id).current_stage is Stage.UNIT_HEAD
    with pytest.raises(UserError):
        approvals.decide(head, slip.id, Decision.APPROVE, password="wrong-password")
    slip = approvals.decide(head, slip.id, Decision.APPROVE, password=PASSWORD)
    assert slip.current_stage is Stage.SECRECY


def test_sod_violation_is_refused_and_audited(ctx, users, org):
    head = as_user(ctx, users[Role.UNIT_HEAD])
    n = ops.create_notice(head, notice_input(ctx))
    slip = approvals.submit_for_approval(head, n.id)
    before = audit_store.count(ctx.db, "denied")
    with pytest.raises(PermissionDenied, match="自己提交"):
        approvals.decide(head, slip.id, Decision.APPROVE)
    assert audit_store.count(ctx.db, "denied") == before + 1
    with pytest.raises(PermissionDenied):  # the admin never approves content
        approvals.decide(as_user(ctx, users[Role.ADMIN]), slip.id, Decision.APPROVE)


# ---- the database enforces the gate too -----------------------------------------------------


def _raw(ctx) -> sqlite3.Connection:
    return sqlite3.connect(path_of(ctx.db))


def test_raw_sql_cannot_publish_or_post_unapproved_content(ctx, users, org):
    n = ops.create_notice(ctx, notice_input(ctx))
    con = _raw(ctx)
    with pytest.raises(sqlite3.IntegrityError, match="unapproved-content"):
        con.execute("UPDATE notice SET status = '已公开' WHERE id = ?", [n.id])
    with pytest.raises(sqlite3.IntegrityError, match="unapproved-content"):
        con.execute("INSERT INTO posting (notice_id, board_id, posted_on, created_at)"
                    " VALUES (?, ?, '2025-11-20', '2025-11-20')", [n.id, org["b_gov"]])
    con.close()
    approve_all(ctx, users, n.id)
    con = _raw(ctx)
    # the body changed behind govdesk's back, hash untouched: refused
    with pytest.raises(sqlite3.IntegrityError, match="content-changed-without-hash"):
        con.execute("UPDATE notice SET body = body || '身份证号110105194912310021' WHERE id = ?",
                    [n.id])
    # and with a forged hash the gate no longer finds an approval for it
    con.execute("UPDATE notice SET body = 'x', content_hash = 'forged' WHERE id = ?", [n.id])
    with pytest.raises(sqlite3.IntegrityError, match="unapproved-content"):
        con.execute("UPDATE notice SET status = '已公开' WHERE id = ?", [n.id])
    con.rollback()
    con.close()


@pytest.mark.parametrize("table", ["approval", "approval_slip"])
def test_approval_tables_are_append_only(ctx, users, org, table):
    n = ops.create_notice(ctx, notice_input(ctx))
    approvals.submit_for_approval(ctx, n.id)
    con = _raw(ctx)
    column = "opinion" if table == "approval" else "content_hash"
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute(f"UPDATE {table} SET {column} = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute(f"DELETE FROM {table}")
    con.close()


def test_append_only_triggers_exist_after_every_migration(ctx):
    names = {r[0] for r in ctx.db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    for table in ("audit_log", "approval", "approval_slip", "screening_pass"):
        assert {f"{table}_no_update", f"{table}_no_delete"} <= names, table
    assert {"notice_publish_gate", "posting_publish_gate", "notice_content_needs_new_hash"} <= names


# ---- history: upgrades and imported ledgers -----------------------------------------------------


def test_upgrade_keeps_approved_notices_publishable(tmp_path, clock):
    from govdesk.store import migrations as mig

    path = tmp_path / "old.db"
    db = connect(path, migrate=False)
    mig.migrations.apply(db, stop_before="0007_approval_slips")
    db.execute("INSERT INTO user (login, name, role, password_hash, created_at)"
               " VALUES ('clerk', '刘欣', 'clerk', 'x', '2025-01-01')")
    for i, status in enumerate(("草稿", "待审批", "已批准", "已公开"), 1):
        db.execute(
            "INSERT INTO notice (index_number, title, formed_on, publish_due, status, year,"
            " created_by, created_at, updated_at) VALUES (?, ?, '2025-03-01', '2025-03-28', ?,"
            " 2025, 1, '2025-03-01', '2025-03-01')", [f"X/2025-{i:05}", f"信息{i}", status])
    db.conn.commit()
    db.close()
    db = connect(path)  # runs 0007
    ctx = Context(db, clock=clock)
    by_title = {r[1]: r[0] for r in db.execute("SELECT id, title FROM notice")}
    assert approvals.latest_slip(ctx, by_title["信息1"]) is None
    pending = approvals.latest_slip(ctx, by_title["信息2"])
    assert pending.state.status is SlipStatus.IN_REVIEW and pending.chain == tuple(Stage)
    for title in ("信息3", "信息4"):
        view = approvals.latest_slip(ctx, by_title[title])
        assert view.state.recorded and approvals.publication_problem(ctx, by_title[title]) == ""
    assert all(len(r[0]) == 64 for r in db.execute("SELECT content_hash FROM notice"))
    db.close()


def test_imported_published_rows_record_their_prior_approval(ctx, users, org, tmp_path):
    n = ops.create_notice(ctx, notice_input(ctx))
    approve_all(ctx, users, n.id)
    postings.post_notice(ctx, n.id, [org["b_gov"]], posted_on=date(2025, 11, 10))
    out = tmp_path / "ledger.csv"
    ledger.export_ledger(ctx, __import__("govdesk.core.notices").core.notices.NoticeFilter(), out)
    other = Context(connect(tmp_path / "other.db"), clock=ctx.clock)
    from govdesk.operations import auth

    other.user = auth.create_user(other, "admin", "管理员", Role.ADMIN, PASSWORD)
    clerk = auth.create_user(other, "clerk", "刘欣", Role.CLERK, PASSWORD)
    other.user = clerk
    ledger.import_notices(other, out)
    (nid,) = [r[0] for r in other.db.execute("SELECT id FROM notice")]
    view = approvals.latest_slip(other, nid)
    assert view.state.recorded and "台账导入" in view.events[0].event.opinion
    assert approvals.publication_problem(other, nid) == ""
    other.db.close()


def test_audit_chain_verifies_after_a_full_run(ctx, users, org):
    n = ops.create_notice(ctx, notice_input(ctx))
    slip = approvals.submit_for_approval(ctx, n.id)
    slip = decide_current(ctx, users, slip)
    slip = decide_current(ctx, users, slip, Decision.RETURN, "请补充", return_to=DRAFTER)
    ops.update_notice(ctx, n.id, replace(notice_input(ctx), note="补充说明"))
    approve_all(ctx, users, n.id)
    postings.post_notice(ctx, n.id, [org["b_gov"]], posted_on=date(2025, 11, 10))
    assert verify_chain(audit_store.iter_entries(ctx.db)) is None


def test_no_personal_numbers_in_the_audit_log(ctx, users, org):
    """A11: an ID, a mobile and a card number typed into a notice never reach the log in full,
    not in the create/update images and not after masking."""
    from govdesk.operations import screening

    secrets_ = ("11010519491231002X", "13812345678", "6222021234567890123")
    body = f"申请人身份证号{secrets_[0]}，电话{secrets_[1]}，卡号{secrets_[2]}。"
    n = ops.create_notice(ctx, notice_input(ctx, body=body))
    ops.update_notice(ctx, n.id, notice_input(ctx, body=body + "补充。"))
    screening.mask_findings(ctx, n.id)
    assert "110105********002X" in ops.get_notice(ctx, n.id).body
    raw = "\n".join(e.payload for e in audit_store.iter_entries(ctx.db))
    for secret in secrets_:
        assert secret not in raw
    assert verify_chain(audit_store.iter_entries(ctx.db)) is None


def test_screening_gates_the_secrecy_approval_and_printing(ctx, users, org, tmp_path):
    from govdesk.operations import printing, screening

    n = ops.create_notice(ctx, notice_input(ctx, body="联系人手机13812345678，监督电话见下。"))
    slip = approvals.submit_for_approval(ctx, n.id)
    slip = decide_current(ctx, users, slip)
    with pytest.raises(UserError, match="手机号"):
        decide_current(ctx, users, slip)  # 保密审查 cannot say 同意 yet
    (finding,) = screening.unresolved(ctx, n.id)
    assert screening.shown(finding.finding) == "138****5678"
    with pytest.raises(PermissionDenied):  # only the 保密审查 holder passes a finding
        screening.pass_finding(as_user(ctx, users[Role.DEPUTY_LEADER]), slip.id,
                               finding.finding.fingerprint, "公开联系电话")
    with pytest.raises(UserError, match="理由"):
        screening.pass_finding(signer(ctx, users, Stage.SECRECY), slip.id,
                               finding.finding.fingerprint, " ")
    screening.pass_finding(signer(ctx, users, Stage.SECRECY), slip.id,
                           finding.finding.fingerprint, "村委会公开的联系电话")
    slip = decide_current(ctx, users, slip)
    slip = decide_current(ctx, users, slip)
    slip = decide_current(ctx, users, slip)
    assert slip.state.status is SlipStatus.APPROVED
    printing.print_notice(ctx, n.id, tmp_path / "ok.pdf")  # passed with a reason: printable
    form = approvals.slip_form(ctx, slip.id)
    secrecy_box = form.boxes[1]
    assert any("村委会公开的联系电话" in note for note in secrecy_box.notes)


def test_printing_for_a_board_refuses_unapproved_content_but_prints_a_review_copy(
        ctx, users, org, tmp_path):
    import pypdf

    from govdesk.operations import printing

    n = ops.create_notice(ctx, notice_input(ctx))
    with pytest.raises(UserError, match="还没有提交审批"):
        printing.print_notice(ctx, n.id, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
    printing.print_notice(ctx, n.id, tmp_path / "review.pdf", review_copy=True)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "review.pdf").pages)
    assert "审阅稿（未经审批，不得张贴）" in text  # the footer
    assert "未经审批　不得张贴" in text  # and the large diagonal mark across the page
    approve_all(ctx, users, n.id)
    printing.print_notice(ctx, n.id, tmp_path / "post.pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "post.pdf").pages)
    from govdesk.operations.audit import audit_code

    assert "审计校验码" in text and "审阅稿" not in text
    assert len(audit_code(ctx)) == 12


def test_the_editor_screens_and_masks_what_is_typed_without_storing_it(ctx, users, org):
    """个人信息检查 in 信息登记: the findings 保密审查 would show, masked in the form; saving the
    masked text stores no secret anywhere."""
    from govdesk.operations import screening

    typed = {"标题": "关于李某低保的公示", "正文": "身份证号110105194912310021，电话13812345678。",
             "文号": "", "附注": "联系人13900001111"}
    found = screening.screen_typed(ctx, typed)
    assert sorted((s.finding.field, s.finding.kind.value) for s in found) == [
        ("正文", "手机号"), ("正文", "身份证号"), ("附注", "手机号")]
    assert all("13812345678" not in s.describe() for s in found)
    masked = screening.mask_typed(typed, found)
    assert masked["标题"] == typed["标题"]
    assert "110105********0021" in masked["正文"] and "138****5678" in masked["正文"]
    assert masked["附注"] == "联系人139****1111"
    assert screening.screen_typed(ctx, masked) == []
    assert ctx.db.execute("SELECT count(*) FROM notice").fetchone()[0] == 0
    n = ops.create_notice(ctx, notice_input(ctx, body=masked["正文"], note=masked["附注"]))
    raw = ops.get_notice(ctx, n.id).body + "\n".join(
        e.payload for e in audit_store.iter_entries(ctx.db))
    assert "13812345678" not in raw and "110105194912310021" not in raw
