"""操作日志 operations on a real database: listing and filters, labels and summaries, verifying,
the 审计校验码, the clock-rollback flag (A10) and who may do any of it."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

import govdesk.operations
from govdesk.core.errors import PermissionDenied, UserError
from govdesk.core.notices import NoticeAction
from govdesk.core.org import Role
from govdesk.operations import audit as audit_ops
from govdesk.operations import auth
from govdesk.operations import notices as notice_ops
from govdesk.store import audit_store
from tests.conftest import PASSWORD, as_user, notice_input


@pytest.fixture
def admin(ctx, users):
    return as_user(ctx, users[Role.ADMIN])


def test_list_shows_newest_first_with_names_labels_and_local_time(admin, ctx, users, org):
    n = notice_ops.create_notice(ctx, notice_input(ctx))
    notice_ops.submit_notice(ctx, n.id)
    rows = audit_ops.list_audit(admin, limit=3)
    assert [r.seq for r in rows] == sorted((r.seq for r in rows), reverse=True)
    top = rows[0]
    assert (top.action, top.action_label, top.actor) == ("submit", "提交审批", "刘欣")
    assert top.object_label == f"信息 #{n.id}"
    assert top.summary.startswith("状态：草稿 → 待审批")
    local = datetime(2025, 11, 20, 4, 0, tzinfo=UTC).astimezone()
    assert top.time == local.strftime("%Y-%m-%d %H:%M:%S")
    assert json.loads(top.detail)["after"]["status"] == "待审批"
    created = rows[1]
    assert created.action_label == "新建" and "标题：关于柳河村" in created.summary
    assert audit_ops.count_audit(admin) == audit_store.count(ctx.db)


def test_filters_by_user_action_object_and_local_dates(admin, ctx, clock, users, org):
    first = notice_ops.create_notice(ctx, notice_input(ctx))
    clock.now += timedelta(days=3)
    second = notice_ops.create_notice(ctx, notice_input(ctx, title="第二条"))
    clerk_id = users[Role.CLERK].id
    mine = audit_ops.list_audit(admin, user_id=clerk_id)
    assert mine and {r.actor_id for r in mine} == {clerk_id}
    assert audit_ops.count_audit(admin, user_id=clerk_id) == len(mine) == 2
    assert [r.object_id for r in audit_ops.list_audit(admin, object_type="notice",
                                                      object_id=first.id)] == [str(first.id)]
    assert audit_ops.count_audit(admin, action="create", object_type="notice") == 2
    day1 = clock.now.astimezone().date() - timedelta(days=3)
    only_first = audit_ops.list_audit(admin, start=day1, end=day1, object_type="notice")
    assert [r.object_id for r in only_first] == [str(first.id)]
    later = audit_ops.list_audit(admin, start=day1 + timedelta(days=1), object_type="notice")
    assert [r.object_id for r in later] == [str(second.id)]
    assert audit_ops.list_audit(admin, end=day1 - timedelta(days=1)) == []
    with pytest.raises(UserError, match="结束日期早于开始日期"):
        audit_ops.list_audit(admin, start=day1, end=day1 - timedelta(days=1))


def test_paging(admin, ctx, users):
    for i in range(7):
        ctx.audit("print", "notice", i, paper="A4")
    total = audit_ops.count_audit(admin)
    pages = [audit_ops.list_audit(admin, limit=3, offset=o) for o in range(0, total, 3)]
    seqs = [r.seq for page in pages for r in page]
    assert seqs == list(range(total, 0, -1))


def test_password_hashes_never_shown_and_unknown_actions_as_is(admin, ctx, users):
    ctx.audit("mystery", "user", 9, before={"password_hash": "$argon2id$v=19$secret"},
              after={"password_hash": "$argon2id$v=19$other", "name": "甲"}, password="pw")
    row = audit_ops.list_audit(admin, limit=1)[0]
    assert row.action_label == "mystery"
    for text in (row.summary, row.detail):
        assert "argon2" not in text and "secret" not in text and '"pw"' not in text
    assert audit_ops.REDACTED in row.detail
    assert row.object_label == "用户 #9"


def test_every_action_written_by_the_operations_has_a_chinese_label():
    folder = Path(govdesk.operations.__file__).parent
    used = set()
    for source in folder.glob("*.py"):
        used |= set(re.findall(r'ctx\.audit\(\s*"([a-z_]+)"', source.read_text("utf-8")))
        used |= set(re.findall(r'"(activate|deactivate|login_locked|login_failed)"',
                               source.read_text("utf-8")))
    used |= {a.value for a in NoticeAction}
    assert used, "no audit actions found"
    missing = used - set(audit_ops.ACTION_LABELS)
    assert not missing


def test_verify_reports_ok_and_records_itself_afterwards(admin, ctx, users):
    before = audit_store.count(ctx.db)
    verdict = audit_ops.verify_audit(admin)
    assert verdict.ok and verdict.first_bad_seq is None and verdict.entries == before
    assert verdict.head_code == audit_store.get_entry(ctx.db, before).entry_hash[:12].upper()
    assert f"共 {before} 条" in verdict.message and verdict.head_code in verdict.message
    last = audit_store.last_entry(ctx.db)
    assert (last.seq, last.action, last.actor_id) == (before + 1, "verify_audit", admin.user.id)
    assert json.loads(last.payload)["ok"] is True
    # The recorded check is itself part of a chain that still verifies.
    assert audit_ops.verify_audit(admin).entries == before + 1


def test_verify_reports_progress_and_can_be_cancelled(admin, ctx, users, monkeypatch):
    monkeypatch.setattr(audit_ops, "PROGRESS_EVERY", 2)
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return True

    verdict = audit_ops.verify_audit(admin, progress)
    assert calls[-1] == (verdict.entries, verdict.entries)
    before = audit_store.count(ctx.db)
    with pytest.raises(UserError, match="已取消"):
        audit_ops.verify_audit(admin, lambda done, total: False)
    assert audit_store.count(ctx.db) == before  # a cancelled check records nothing


def test_empty_log_has_no_code(ctx):
    assert audit_ops.audit_code(ctx) == ""


def test_audit_code_is_the_head_and_check_code_accepts_typed_forms(admin, ctx, users):
    code = audit_ops.audit_code(ctx)
    head = audit_store.last_entry(ctx.db)
    assert re.fullmatch(r"[0-9A-F]{12}", code) and code == head.entry_hash[:12].upper()
    typed = f"{code[:4].lower()} {code[4:8]}-{code[8:]}"
    result = audit_ops.check_code(admin, typed)
    assert result.ok and result.found and result.seq == head.seq and result.chain_ok
    assert audit_store.last_entry(ctx.db).action == "check_code"
    missing = audit_ops.check_code(admin, "ABCDEF012345")
    assert not missing.ok and not missing.found
    assert missing.message == "校验码 ABCDEF012345 与操作日志不符：打印之后日志可能被截断或改写。"
    with pytest.raises(UserError, match="12 位"):
        audit_ops.check_code(admin, "XYZ")


def test_clock_rollback_is_flagged_recorded_and_the_chain_still_verifies(admin, ctx, clock,
                                                                           users):
    """A10: the PC's clock set back a day; the entry is kept, flagged, and the chain verifies."""
    clock.now -= timedelta(days=1)
    auth.create_user(admin, "late", "晚到", Role.CLERK, PASSWORD)
    row = audit_ops.list_audit(admin, limit=1)[0]
    assert (row.action, row.clock_flag) == ("create", audit_ops.CLOCK_ROLLBACK)
    assert row.ts_utc < audit_store.get_entry(ctx.db, row.seq - 1).ts_utc
    assert audit_ops.list_audit(admin, limit=2)[1].clock_flag == ""
    assert audit_ops.verify_audit(admin).ok


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_only_the_admin_reads_or_verifies_the_log(ctx, users, role):
    other = as_user(ctx, users[role])
    code = audit_ops.audit_code(ctx)  # the footer code itself is no secret
    calls = [
        lambda: audit_ops.list_audit(other),
        lambda: audit_ops.count_audit(other),
        lambda: audit_ops.verify_audit(other),
        lambda: audit_ops.check_code(other, code),
    ]
    for call in calls:
        before = audit_store.count(ctx.db)
        with pytest.raises(PermissionDenied, match="查看和校验操作日志"):
            call()
        last = audit_store.last_entry(ctx.db)
        assert audit_store.count(ctx.db) == before + 1
        assert (last.action, last.actor_id) == ("denied", users[role].id)
        assert json.loads(last.payload) == {"permission": "audit.view"}


def test_signed_out_cannot_verify(ctx, users):
    ctx.user = None
    with pytest.raises(PermissionDenied, match="请先登录"):
        audit_ops.verify_audit(ctx)


def test_dates_are_local_days(admin, ctx, clock, users):
    # An entry at 23:30 local time belongs to that local day, whatever the UTC date.
    local_evening = datetime.combine(date(2025, 11, 21), datetime.min.time()).astimezone()
    clock.now = (local_evening + timedelta(hours=23, minutes=30)).astimezone(UTC)
    ctx.audit("print", "notice", 77)
    day = date(2025, 11, 21)
    assert [r.object_id for r in audit_ops.list_audit(admin, start=day, end=day)] == ["77"]
    assert audit_ops.list_audit(admin, start=day + timedelta(days=1)) == []
