from datetime import date, timedelta

import pytest
from conftest import approve_all, as_user, notice_input

from govdesk.core.approvals import Decision
from govdesk.core.audit import verify_chain
from govdesk.core.errors import PermissionDenied, UserError, ValidationErrors
from govdesk.core.notices import NoticeFilter, NoticeStatus
from govdesk.core.org import Role, Township
from govdesk.operations import approvals, postings
from govdesk.operations import notices as ops
from govdesk.operations import org as org_ops
from govdesk.operations.context import REGISTRY, Context
from govdesk.store import audit_store, notice_store
from govdesk.store.database import connect


def reopen(ctx: Context) -> Context:
    """Read back through a fresh connection (target D6)."""
    path = ctx.db.conn.execute("PRAGMA database_list").fetchone()[2]
    return Context(connect(path), clock=ctx.clock, files_dir=ctx.files_dir)


def test_create_assigns_index_number_and_publish_due(ctx, users, org):
    admin = as_user(ctx, users[Role.ADMIN])
    org_ops.update_township(admin, Township(full_name="青山县云溪镇人民政府", short_name="云溪镇",
                                            credit_code="11371012MB28530924"))
    n1 = ops.create_notice(ctx, notice_input(ctx))
    n2 = ops.create_notice(ctx, notice_input(ctx, title="第二条"))
    assert n1.index_number == "11371012MB28530924/2025-00001"
    assert n2.index_number == "11371012MB28530924/2025-00002"
    # formed 2025-11-03 (Mon) + 20 working days, no holidays in that stretch
    assert n1.publish_due == date(2025, 12, 1)
    assert n1.status is NoticeStatus.DRAFT
    fresh = reopen(ctx)
    got = ops.get_notice(fresh, n1.id)
    assert got.title == n1.title and got.channels == ("公开栏", "门户网站")
    assert got.period is not None and got.period.end == date(2025, 11, 16)


def test_index_numbers_are_never_reused_after_deleting_a_draft(ctx, users, org):
    n1 = ops.create_notice(ctx, notice_input(ctx))
    ops.delete_draft(ctx, n1.id)
    n2 = ops.create_notice(ctx, notice_input(ctx))
    assert n2.index_number != n1.index_number
    assert n2.index_number.endswith("00002")


def test_bad_input_changes_nothing_and_names_the_fields(ctx, users, org):
    before = notice_store.count(ctx.db, NoticeFilter())
    audit_before = audit_store.count(ctx.db)
    with pytest.raises(ValidationErrors) as info:
        ops.create_notice(ctx, notice_input(ctx, title="", channel_ids=()))
    assert "标题" in info.value.message and "公开方式" in info.value.message
    fresh = reopen(ctx)
    assert notice_store.count(fresh.db, NoticeFilter()) == before
    assert audit_store.count(fresh.db) == audit_before


def test_workflow_post_on_two_boards_and_take_down(ctx, users, org):
    n = ops.create_notice(ctx, notice_input(ctx))
    ops.submit_notice(ctx, n.id)
    slip = approvals.latest_slip(ctx, n.id)
    with pytest.raises(PermissionDenied):  # the clerk cannot approve
        approvals.decide(as_user(ctx, users[Role.CLERK]), slip.id, Decision.APPROVE)
    approve_all(ctx, users, n.id, submit=False)
    posted = postings.post_notice(ctx, n.id, [org["b_gov"], org["b_liuhe"]],
                                  posted_on=date(2025, 11, 10))
    assert [p.planned_removal for p in posted] == [date(2025, 11, 16)] * 2
    fresh = reopen(ctx)
    assert ops.get_notice(fresh, n.id).status is NoticeStatus.PUBLISHED
    assert ops.get_notice(fresh, n.id).published_on == date(2025, 11, 10)
    on_board = postings.postings_on_board(fresh, org["b_liuhe"])
    assert [p.notice_id for p in on_board] == [n.id]
    assert on_board[0].is_overdue(date(2025, 11, 20))
    with pytest.raises(UserError):  # already on that board
        postings.post_notice(ctx, n.id, [org["b_liuhe"]])
    postings.take_down(ctx, posted[1].id, removed_on=date(2025, 11, 17))
    fresh = reopen(ctx)
    assert postings.postings_on_board(fresh, org["b_liuhe"]) == []
    assert len(postings.postings_on_board(fresh, org["b_gov"])) == 1
    assert notice_store.ids(fresh.db, NoticeFilter(board_id=org["b_liuhe"])) == [n.id]
    assert verify_chain(audit_store.iter_entries(fresh.db)) is None


def test_unapproved_notice_cannot_be_posted(ctx, users, org):
    n = ops.create_notice(ctx, notice_input(ctx))
    with pytest.raises(UserError, match="审批"):
        postings.post_notice(ctx, n.id, [org["b_gov"]])


def test_drafter_cannot_approve_own_notice(ctx, users, org):
    head = as_user(ctx, users[Role.UNIT_HEAD])
    n = ops.create_notice(head, notice_input(ctx))
    slip = approvals.submit_for_approval(head, n.id)
    with pytest.raises(PermissionDenied, match="自己"):
        approvals.decide(head, slip.id, Decision.APPROVE)


def test_permission_denied_is_audited(ctx, users, org):
    secrecy = as_user(ctx, users[Role.SECRECY_OFFICER])
    with pytest.raises(PermissionDenied):
        ops.create_notice(secrecy, notice_input(ctx))
    assert audit_store.count(reopen(ctx).db, "denied") == 1


def test_every_mutating_operation_declares_a_permission():
    import govdesk.operations.approvals
    import govdesk.operations.auth
    import govdesk.operations.ledger
    import govdesk.operations.notices
    import govdesk.operations.org
    import govdesk.operations.postings  # noqa: F401

    names = set(REGISTRY)
    for expected in ("create_notice", "update_notice", "delete_draft", "decide",
                     "record_paper_decision", "withdraw", "submit_for_approval",
                     "post_notice", "take_down", "import_notices", "save_org_item",
                     "delete_org_item", "update_township", "reset_password", "update_user"):
        assert any(n.endswith("." + expected) for n in names), expected


def test_one_audit_entry_per_change(ctx, users, org):
    before = audit_store.count(ctx.db)
    n = ops.create_notice(ctx, notice_input(ctx))
    ops.submit_notice(ctx, n.id)
    assert audit_store.count(ctx.db) == before + 2
    actions = [e.action for e in audit_store.entries_for(ctx.db, "notice", n.id)]
    assert actions == ["create", "submit"]


def test_org_item_in_use_cannot_be_deleted_but_can_be_deactivated(ctx, users, org):
    admin = as_user(ctx, users[Role.ADMIN])
    ops.create_notice(ctx, notice_input(ctx, community_id=org["liuhe"], unit_id=None))
    with pytest.raises(UserError, match="停用"):
        org_ops.delete_org_item(admin, "community", org["liuhe"])
    org_ops.set_org_item_active(admin, "community", org["liuhe"], False)
    fresh = reopen(ctx)
    assert fresh.db.execute("SELECT active FROM community WHERE id=?",
                            [org["liuhe"]]).fetchone()[0] == 0
    with pytest.raises(UserError):  # a deactivated community is no longer offered
        ops.create_notice(ctx, notice_input(ctx, community_id=org["liuhe"], unit_id=None))


def test_overdue_unpublished_on_dashboard(ctx, users, org):
    from govdesk.operations.dashboard import dashboard

    late = ops.create_notice(ctx, notice_input(ctx, formed_on=date(2025, 9, 1)))
    ops.create_notice(ctx, notice_input(ctx, formed_on=date(2025, 11, 18)))
    d = dashboard(ctx, date(2025, 11, 20))
    assert [n.id for n in d.overdue_unpublished] == [late.id]
    assert d.drafts == 2


def test_takedowns_due_and_overdue(ctx, users, org):
    from govdesk.operations.dashboard import dashboard

    n = ops.create_notice(ctx, notice_input(ctx))
    approve_all(ctx, users, n.id)
    postings.post_notice(ctx, n.id, [org["b_gov"]], posted_on=date(2025, 11, 10),
                         planned_removal=date(2025, 11, 16))
    postings.post_notice(ctx, n.id, [org["b_liuhe"]], posted_on=date(2025, 11, 10),
                         planned_removal=date(2025, 11, 21))
    d = dashboard(ctx, date(2025, 11, 20))
    assert [p.board_id for p in d.takedowns_overdue] == [org["b_gov"]]
    assert [p.board_id for p in d.takedowns_due] == [org["b_liuhe"]]
    assert d.by_channel == {"公开栏": 1, "门户网站": 1}
    assert date(2025, 11, 20) - timedelta(days=1)


def test_take_down_notice_removes_it_from_every_board(ctx, users, org):
    n = ops.create_notice(ctx, notice_input(ctx))
    approve_all(ctx, users, n.id)
    postings.post_notice(ctx, n.id, [org["b_gov"], org["b_yunxi"]], posted_on=date(2025, 11, 10))
    ops.take_down_notice(ctx, n.id, on=date(2025, 11, 17))
    fresh = reopen(ctx)
    assert ops.get_notice(fresh, n.id).status is NoticeStatus.TAKEN_DOWN
    assert all(p.removed_on == date(2025, 11, 17) for p in postings.postings_of_notice(fresh, n.id))


def test_preview_index_number_uses_no_number(ctx, users, org):
    ops.create_notice(ctx, notice_input(ctx))
    first, seq = ops.preview_index_number(ctx, "{code}/{year}-{seq:05}", "C", 2025, "财政资金")
    again, _ = ops.preview_index_number(ctx, "{code}/{year}-{seq:05}", "C", 2025, "财政资金")
    assert first == again == "C/2025-00002" and seq == 2
    n = ops.create_notice(ctx, notice_input(ctx))
    assert n.index_number.endswith("2025-00002")


def test_import_keeps_index_numbers_and_round_trips_our_own_export(ctx, users, org, tmp_path):
    from govdesk.operations import ledger

    n = ops.create_notice(ctx, notice_input(ctx))
    approve_all(ctx, users, n.id)
    ops.publish_notice(ctx, n.id, on=date(2025, 11, 12))
    ops.create_notice(ctx, notice_input(ctx, title="=HYPERLINK(\"http://x\")"))
    for suffix in ("csv", "xlsx"):
        path = tmp_path / f"ledger.{suffix}"
        assert ledger.export_ledger(ctx, NoticeFilter(), path) == 2
        other = Context(connect(tmp_path / f"other-{suffix}.db"), clock=ctx.clock)
        from conftest import PASSWORD

        from govdesk.operations import auth

        other.user = auth.create_user(other, "admin", "管理员", Role.ADMIN, PASSWORD)
        result = ledger.import_notices(other, path)
        assert (result.created, result.skipped) == (2, 0)
        rows = {r.index_number: r for r in ops.query(other, NoticeFilter())}
        assert set(rows) == {n.index_number, n.index_number[:-1] + "2"}
        assert rows[n.index_number].status is NoticeStatus.PUBLISHED
        assert rows[n.index_number].published_on == date(2025, 11, 12)
        assert any(r.title == "=HYPERLINK(\"http://x\")" for r in rows.values())
        again = ledger.import_notices(other, path)
        assert (again.created, again.skipped) == (0, 2)
