"""A9: random sequences of submit / decide / return / reject / withdraw / edit / publish / post
against a real database file, with the invariants checked after every step:

* nothing is published or posted without a complete approval of its current content hash;
* no decision was signed by the slip's drafter, nor by someone lacking the stage's role;
* the audit chain verifies and grows by exactly the rows each successful action writes;
* the slip state the operations report equals the fold of the stored events, and a refused
  action changes nothing at all.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from conftest import PASSWORD, FixedClock, notice_input
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from govdesk.core.approvals import DRAFTER, Decision, SlipStatus, fold, is_fully_approved
from govdesk.core.audit import verify_chain
from govdesk.core.errors import UserError
from govdesk.core.notices import NoticeStatus
from govdesk.core.org import Role
from govdesk.operations import approvals, auth, postings
from govdesk.operations import notices as ops
from govdesk.operations.context import Context
from govdesk.operations.org import save_org_item
from govdesk.store import approval_store, audit_store
from govdesk.store.database import close, connect

ROLES = [Role.CLERK, Role.UNIT_HEAD, Role.SECRECY_OFFICER, Role.DEPUTY_LEADER,
         Role.PRINCIPAL_LEADER, Role.ADMIN]

# audit rows a successful action writes
ROWS = {"create": {1}, "submit": {1}, "decide": {1}, "withdraw": {1}, "publish": {1},
        "post": {1, 2}}


class ApprovalMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="govdesk-stateful-"))
        self.clock = FixedClock(datetime(2025, 11, 20, 4, 0, tzinfo=UTC))
        self.db = connect(self.dir / "s.db")
        # This test is about rules, not durability: skip the fsyncs (the kill-loop tests keep
        # synchronous=FULL honest).
        self.db.execute("PRAGMA synchronous = OFF")
        base = Context(self.db, clock=self.clock, files_dir=self.dir / "files")
        base.user = auth.create_user(base, "admin", "管理员", Role.ADMIN, PASSWORD)
        self.users = {Role.ADMIN: base.user}
        for i, role in enumerate(ROLES[:-1]):
            self.users[role] = auth.create_user(base, f"u{i}", f"用户{i}", role, PASSWORD)
        # a second clerk: a same-office colleague who is not the drafter
        self.users["clerk2"] = auth.create_user(base, "clerk2", "同事", Role.CLERK, PASSWORD)
        self.board = save_org_item(base, "board", {
            "code": "GB-01", "name": "镇政府政务公开栏", "kind": "政务公开栏", "unit_id": 1})
        self.notices: list[int] = []

    def ctx(self, who) -> Context:
        return Context(self.db, user=self.users[who], clock=self.clock,
                       files_dir=self.dir / "files", authenticated_at=self.clock())

    def teardown(self) -> None:
        close(self.db)
        shutil.rmtree(self.dir, ignore_errors=True)

    def _attempt(self, kind: str, action) -> None:
        """Run an action; a refusal must change nothing but (for a denial) the audit log."""
        before = audit_store.count(self.db)
        snapshot = self._snapshot()
        try:
            action()
        except UserError:  # PermissionDenied is a UserError too
            assert self._snapshot() == snapshot, f"refused {kind} changed data"
            denied = audit_store.count(self.db) - before
            assert denied in (0, 1)  # a denial leaves one "denied" row, nothing else
            return
        grew = audit_store.count(self.db) - before
        # the first posting of an approved notice also publishes it: one more row
        assert grew in ROWS[kind], (kind, grew)
        event(f"{kind} succeeded")

    def _snapshot(self):
        return (
            self.db.execute("SELECT id, status, content_hash, version FROM notice ORDER BY id")
            .fetchall(),
            self.db.execute("SELECT count(*) FROM approval").fetchone()[0],
            self.db.execute("SELECT count(*) FROM posting").fetchone()[0],
        )

    # ---- rules ---------------------------------------------------------------------------

    @rule()
    @precondition(lambda self: len(self.notices) < 4)
    def create(self):
        before = audit_store.count(self.db)
        n = ops.create_notice(self.ctx(Role.CLERK), notice_input(self.ctx(Role.CLERK)))
        assert audit_store.count(self.db) == before + 1
        self.notices.append(n.id)

    @rule(i=st.integers(0, 3), who=st.sampled_from([Role.CLERK, "clerk2"]))
    @precondition(lambda self: self.notices)
    def submit(self, i, who):
        nid = self.notices[i % len(self.notices)]
        self._attempt("submit", lambda: approvals.submit_for_approval(self.ctx(who), nid))

    @rule(i=st.integers(0, 3), who=st.sampled_from([*ROLES, "clerk2"]),
          decision=st.sampled_from(list(Decision)), back=st.integers(-1, 3))
    @precondition(lambda self: self.notices)
    def decide(self, i, who, decision, back):
        nid = self.notices[i % len(self.notices)]
        view = approvals.latest_slip(self.ctx(Role.ADMIN), nid)
        if view is None:
            return
        return_to = None
        if decision is Decision.RETURN:
            return_to = DRAFTER if back < 0 else back
        self._attempt("decide", lambda: approvals.decide(
            self.ctx(who), view.id, decision, "" if decision is Decision.APPROVE else "意见",
            return_to=return_to))

    @rule(i=st.integers(0, 3), decision=st.sampled_from(
        [Decision.APPROVE] * 6 + [Decision.RETURN, Decision.REJECT]), back=st.integers(-1, 3))
    @precondition(lambda self: self.notices)
    def advance(self, i, decision, back):
        """The rightful holder of the current step decides (mostly 同意), so runs get as far
        as publishing."""
        nid = self.notices[i % len(self.notices)]
        view = approvals.latest_slip(self.ctx(Role.ADMIN), nid)
        if view is None or view.current_stage is None:
            return
        return_to = (DRAFTER if back < 0 else back) if decision is Decision.RETURN else None
        self._attempt("decide", lambda: approvals.decide(
            self.ctx(view.current_stage.role), view.id, decision,
            "" if decision is Decision.APPROVE else "意见", return_to=return_to))

    @rule(i=st.integers(0, 3))
    @precondition(lambda self: self.notices)
    def approve_through(self, i):
        """Every remaining step approved by its holder, one decision at a time."""
        nid = self.notices[i % len(self.notices)]
        for _ in range(4):
            view = approvals.latest_slip(self.ctx(Role.ADMIN), nid)
            if view is None or view.current_stage is None:
                return
            self._attempt("decide", lambda v=view: approvals.decide(
                self.ctx(v.current_stage.role), v.id, Decision.APPROVE))

    @rule(i=st.integers(0, 3), who=st.sampled_from([Role.CLERK, "clerk2"]))
    @precondition(lambda self: self.notices)
    def withdraw(self, i, who):
        nid = self.notices[i % len(self.notices)]
        view = approvals.latest_slip(self.ctx(Role.ADMIN), nid)
        if view is not None:
            self._attempt("withdraw", lambda: approvals.withdraw(self.ctx(who), view.id))

    @rule(i=st.integers(0, 3), suffix=st.sampled_from(["", "（更正）", "（第二版）"]))
    @precondition(lambda self: self.notices)
    def edit(self, i, suffix):
        nid = self.notices[i % len(self.notices)]
        c = self.ctx(Role.CLERK)
        data = notice_input(c, title="关于柳河村2025年第三季度低保对象的公示" + suffix)
        before = audit_store.count(self.db)
        status = ops.get_notice(c, nid).status
        old_hash = self._hash(nid)
        try:
            ops.update_notice(c, nid, data)
        except UserError:
            assert status not in (NoticeStatus.DRAFT, NoticeStatus.PENDING, NoticeStatus.APPROVED)
            return
        changed = self._hash(nid) != old_hash
        superseded = changed and status in (NoticeStatus.PENDING, NoticeStatus.APPROVED)
        # update, and for a pending/approved notice whose content changed: supersede + submit
        assert audit_store.count(self.db) - before == (3 if superseded else 1)

    @rule(i=st.integers(0, 3))
    @precondition(lambda self: self.notices)
    def publish(self, i):
        nid = self.notices[i % len(self.notices)]
        self._attempt("publish", lambda: ops.publish_notice(self.ctx(Role.CLERK), nid,
                                                           on=date(2025, 11, 20)))

    @rule(i=st.integers(0, 3))
    @precondition(lambda self: self.notices)
    def post(self, i):
        nid = self.notices[i % len(self.notices)]
        self._attempt("post", lambda: postings.post_notice(
            self.ctx(Role.CLERK), nid, [self.board], posted_on=date(2025, 11, 20),
            planned_removal=date(2025, 11, 30)))

    def _hash(self, nid):
        return self.db.execute("SELECT content_hash FROM notice WHERE id = ?", [nid]).fetchone()[0]

    # ---- invariants ----------------------------------------------------------------------

    @invariant()
    def nothing_public_without_a_complete_approval_of_the_current_content(self):
        for nid, status, digest in self.db.execute(
                "SELECT id, status, content_hash FROM notice"):
            on_board = self.db.execute(
                "SELECT count(*) FROM posting WHERE notice_id = ? AND removed_on IS NULL",
                [nid]).fetchone()[0]
            if status == NoticeStatus.PUBLISHED.value or on_board:
                slips = approval_store.slips_of_notice(self.db, nid)
                assert any(
                    is_fully_approved(s.chain, fold(s.chain, [e.event for e in
                                                               approval_store.events(self.db, s.id)]),
                                      digest)
                    for s in slips
                ), nid

    @invariant()
    def decisions_respect_separation_of_duties(self):
        roles = {u.id: u.role for u in self.users.values()}
        for slip_id, drafter, actor, stage in self.db.execute(
                "SELECT a.slip_id, s.drafter_id, a.actor_id, a.stage FROM approval a"
                " JOIN approval_slip s ON s.id = a.slip_id WHERE a.kind = 'decide'"):
            assert actor != drafter, slip_id
            from govdesk.core.approvals import Stage

            assert roles[actor] is Stage(stage).role, (slip_id, stage)

    @invariant()
    def status_follows_the_slip(self):
        for nid, status in self.db.execute("SELECT id, status FROM notice"):
            view = approvals.latest_slip(self.ctx(Role.ADMIN), nid) if self.notices else None
            if view is None:
                assert status == NoticeStatus.DRAFT.value
                continue
            st_ = view.state.status
            if status == NoticeStatus.PENDING.value:
                assert st_ is SlipStatus.IN_REVIEW
            elif status == NoticeStatus.APPROVED.value:
                assert st_ is SlipStatus.APPROVED
            elif status == NoticeStatus.DRAFT.value:
                assert st_ in (SlipStatus.RETURNED, SlipStatus.REJECTED, SlipStatus.WITHDRAWN)

    @invariant()
    def audit_chain_verifies(self):
        assert verify_chain(audit_store.iter_entries(self.db)) is None


TestApprovalMachine = ApprovalMachine.TestCase
# CI: 40 × 40 steps; HYPOTHESIS_PROFILE=nightly gives it about 20× more. (A9 asks for ≈10,000
# steps in CI; at 25–40 ms a step here that is five minutes, so CI runs a sixth of it.)
_NIGHTLY = os.environ.get("HYPOTHESIS_PROFILE") == "nightly"
TestApprovalMachine.settings = settings(
    max_examples=600 if _NIGHTLY else 40, stateful_step_count=50 if _NIGHTLY else 40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
