"""The approval chain as pure rules: the slip state machine over every status × event, and
separation of duties over every combination of roles, steps and earlier signatures."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdesk.core.approvals import (
    DEFAULT_CHAIN,
    DRAFTER,
    ChainConfig,
    Decision,
    EventKind,
    Signer,
    SlipError,
    SlipEvent,
    SlipStatus,
    Stage,
    chain_problem,
    content_hash,
    decide_problem,
    fold,
    is_fully_approved,
    notice_content,
    withdraw_problem,
)
from govdesk.core.org import Role

H1, H2 = "a" * 64, "b" * 64
DRAFTER_ID = 1
SIGNER_FOR = {Stage.UNIT_HEAD: 2, Stage.SECRECY: 3, Stage.DEPUTY: 4, Stage.PRINCIPAL: 5}


def submit(h=H1):
    return SlipEvent(EventKind.SUBMIT, DRAFTER_ID, content_hash=h)


def approve(step, actor=None, h=H1):
    return SlipEvent(EventKind.DECIDE, actor or SIGNER_FOR[DEFAULT_CHAIN[step]], step=step,
                     decision=Decision.APPROVE, content_hash=h)


def ret(step, to=DRAFTER, h=H1):
    return SlipEvent(EventKind.DECIDE, SIGNER_FOR[DEFAULT_CHAIN[step]], step=step,
                     decision=Decision.RETURN, return_to=to, content_hash=h, opinion="请修改")


def reject(step):
    return SlipEvent(EventKind.DECIDE, SIGNER_FOR[DEFAULT_CHAIN[step]], step=step,
                     decision=Decision.REJECT, content_hash=H1, opinion="不宜公开")


def test_straight_through_approval():
    events = [submit()]
    for step in range(4):
        state = fold(DEFAULT_CHAIN, events)
        assert state.status is SlipStatus.IN_REVIEW and state.current == step
        events.append(approve(step))
    state = fold(DEFAULT_CHAIN, events)
    assert state.status is SlipStatus.APPROVED and state.current is None
    assert is_fully_approved(DEFAULT_CHAIN, state, H1)
    assert not is_fully_approved(DEFAULT_CHAIN, state, H2)  # other content: not approved


def test_return_to_an_earlier_step_resumes_at_the_step_that_returned_it():
    events = [submit(), approve(0), approve(1), ret(2, to=0)]
    state = fold(DEFAULT_CHAIN, events)
    assert state.current == 0 and state.status is SlipStatus.IN_REVIEW
    state = fold(DEFAULT_CHAIN, [*events, approve(0)])
    assert state.current == 2  # 保密审查 (step 1) is not asked again: its approval stands
    state = fold(DEFAULT_CHAIN, [*events, approve(0), approve(2), approve(3)])
    assert state.status is SlipStatus.APPROVED and is_fully_approved(DEFAULT_CHAIN, state, H1)


def test_return_to_the_drafter_and_resubmit_unchanged_resumes_at_the_returning_step():
    events = [submit(), approve(0), approve(1), approve(2), ret(3)]
    state = fold(DEFAULT_CHAIN, events)
    assert state.status is SlipStatus.RETURNED and state.returned_by == 3
    resub = SlipEvent(EventKind.RESUBMIT, DRAFTER_ID, content_hash=H1)
    assert fold(DEFAULT_CHAIN, [*events, resub]).current == 3


def test_changed_content_after_a_return_goes_through_secrecy_review_again():
    events = [submit(), approve(0), approve(1), approve(2), ret(3)]
    resub = SlipEvent(EventKind.RESUBMIT, DRAFTER_ID, content_hash=H2)
    state = fold(DEFAULT_CHAIN, [*events, resub])
    assert state.current == 1 and state.content_hash == H2  # 保密审查 first
    state = fold(DEFAULT_CHAIN, [*events, resub, approve(1, h=H2)])
    assert state.current == 3  # then straight back to 主要领导
    state = fold(DEFAULT_CHAIN, [*events, resub, approve(1, h=H2), approve(3, h=H2)])
    assert is_fully_approved(DEFAULT_CHAIN, state, H2)
    assert not is_fully_approved(DEFAULT_CHAIN, state, H1)


def test_nested_returns_unwind_in_order():
    events = [submit(), approve(0), approve(1), ret(2, to=1)]
    events.append(SlipEvent(EventKind.DECIDE, SIGNER_FOR[Stage.SECRECY], step=1,
                            decision=Decision.RETURN, return_to=0, content_hash=H1,
                            opinion="请科室再核"))
    state = fold(DEFAULT_CHAIN, events)
    assert state.current == 0 and state.resume == (2, 1)
    assert fold(DEFAULT_CHAIN, [*events, approve(0)]).current == 1
    assert fold(DEFAULT_CHAIN, [*events, approve(0), approve(1)]).current == 2


@pytest.mark.parametrize("step", range(4))
def test_reject_closes_the_slip(step):
    events = [submit(), *(approve(i) for i in range(step)), reject(step)]
    state = fold(DEFAULT_CHAIN, events)
    assert state.status is SlipStatus.REJECTED and state.closed
    with pytest.raises(SlipError):
        fold(DEFAULT_CHAIN, [*events, approve(step)])


# ---- every status × every event ---------------------------------------------------------------

# Histories reaching each status, and for each event kind whether it may follow.
HISTORIES = {
    "审批中（未处理）": [submit()],
    "审批中（已有人处理）": [submit(), approve(0)],
    SlipStatus.RETURNED: [submit(), approve(0), ret(1)],
    SlipStatus.APPROVED: [submit(), *(approve(i) for i in range(4))],
    SlipStatus.REJECTED: [submit(), reject(0)],
    SlipStatus.WITHDRAWN: [submit(), SlipEvent(EventKind.WITHDRAW, DRAFTER_ID, content_hash=H1)],
    SlipStatus.SUPERSEDED: [submit(), SlipEvent(EventKind.SUPERSEDE, DRAFTER_ID)],
}

ALLOWED = {
    # state: events that may follow (decide = a decision for the current step)
    "审批中（未处理）": {"decide", "withdraw", "supersede"},
    "审批中（已有人处理）": {"decide", "supersede"},
    SlipStatus.RETURNED: {"resubmit", "supersede"},
    SlipStatus.APPROVED: {"supersede"},  # an edit of the approved notice voids it
    SlipStatus.REJECTED: set(),
    SlipStatus.WITHDRAWN: set(),
    SlipStatus.SUPERSEDED: set(),
}


def _next_event(kind: str, events):
    state = fold(DEFAULT_CHAIN, events)
    step = state.current if state.current is not None else 0
    return {
        "submit": submit(),
        "decide": approve(step),
        "withdraw": SlipEvent(EventKind.WITHDRAW, DRAFTER_ID, content_hash=H1),
        "resubmit": SlipEvent(EventKind.RESUBMIT, DRAFTER_ID, content_hash=H1),
        "supersede": SlipEvent(EventKind.SUPERSEDE, DRAFTER_ID, content_hash=H1),
        "record": SlipEvent(EventKind.RECORD, DRAFTER_ID, content_hash=H1),
    }[kind]


@pytest.mark.parametrize(("state_name", "kind"), list(itertools.product(
    HISTORIES, ["submit", "decide", "withdraw", "resubmit", "supersede", "record"])))
def test_transition_table_is_exhaustive(state_name, kind):
    events = HISTORIES[state_name]
    nxt = _next_event(kind, events)
    if kind in ALLOWED[state_name]:
        fold(DEFAULT_CHAIN, [*events, nxt])
    else:
        with pytest.raises(SlipError):
            fold(DEFAULT_CHAIN, [*events, nxt])


def test_a_decision_for_a_step_that_is_not_waiting_is_refused():
    with pytest.raises(SlipError):
        fold(DEFAULT_CHAIN, [submit(), approve(1)])
    with pytest.raises(SlipError):  # returning "forward"
        fold(DEFAULT_CHAIN, [submit(), ret(0, to=2)])


# ---- separation of duties -----------------------------------------------------------------------

ROLES = list(Role)


def _signer(uid, role, unit=None):
    return Signer(uid, role, unit)


@pytest.mark.parametrize(("step", "role", "is_drafter"), list(itertools.product(
    range(4), ROLES, [False, True])))
def test_only_the_stage_role_decides_and_never_the_drafter(step, role, is_drafter):
    events = [submit(), *(approve(i) for i in range(step))]
    state = fold(DEFAULT_CHAIN, events)
    uid = DRAFTER_ID if is_drafter else 99
    problem = decide_problem(DEFAULT_CHAIN, state, events, _signer(uid, role),
                             drafter_id=DRAFTER_ID, notice_unit_id=None, config=ChainConfig())
    allowed = role is DEFAULT_CHAIN[step].role and not is_drafter
    assert (problem == "") is allowed, (step, role, is_drafter, problem)
    if role is Role.ADMIN:
        assert problem  # the admin never approves content (相互制约)


@pytest.mark.parametrize(("first", "second", "double"), [
    (a, b, d) for a in range(4) for b in range(4) if a < b for d in (False, True)])
def test_one_person_signing_two_steps(first, second, double):
    """Someone who signed step ``first`` now holds step ``second`` too (a small township where
    one account has been given, over time, both duties): allowed only with the office setting,
    and never 保密审查 together with the final approval."""
    person = 77
    events = [submit()]
    for i in range(second):
        events.append(approve(i, actor=person if i == first else None))
    state = fold(DEFAULT_CHAIN, events)
    signer = _signer(person, DEFAULT_CHAIN[second].role)
    problem = decide_problem(DEFAULT_CHAIN, state, events, signer, drafter_id=DRAFTER_ID,
                             notice_unit_id=None,
                             config=ChainConfig(allow_double_signing=double))
    forbidden_pair = {first, second} == {1, 3}
    assert (problem == "") is (double and not forbidden_pair), (first, second, double, problem)


def test_unit_head_reviews_only_their_own_unit():
    events = [submit()]
    state = fold(DEFAULT_CHAIN, events)
    own = decide_problem(DEFAULT_CHAIN, state, events, _signer(2, Role.UNIT_HEAD, unit=5),
                         drafter_id=DRAFTER_ID, notice_unit_id=5, config=ChainConfig())
    other = decide_problem(DEFAULT_CHAIN, state, events, _signer(2, Role.UNIT_HEAD, unit=6),
                           drafter_id=DRAFTER_ID, notice_unit_id=5, config=ChainConfig())
    assert own == "" and "本科室" in other


def test_withdraw_only_by_the_drafter_before_anyone_acts():
    state = fold(DEFAULT_CHAIN, [submit()])
    assert withdraw_problem(state, DRAFTER_ID, DRAFTER_ID) == ""
    assert withdraw_problem(state, 42, DRAFTER_ID)
    acted = fold(DEFAULT_CHAIN, [submit(), approve(0)])
    assert "已有审批人处理" in withdraw_problem(acted, DRAFTER_ID, DRAFTER_ID)


# ---- configuration and content -------------------------------------------------------------------


def test_chain_configuration_rules():
    assert chain_problem(DEFAULT_CHAIN) == ""
    assert "保密审查" in chain_problem((Stage.UNIT_HEAD, Stage.DEPUTY))
    assert chain_problem((Stage.SECRECY,))  # must end with a leader
    assert chain_problem((Stage.DEPUTY, Stage.SECRECY))  # order
    routine = ChainConfig(routine_categories=frozenset({7}))
    assert routine.chain_for(7) == (Stage.UNIT_HEAD, Stage.SECRECY, Stage.DEPUTY)
    assert routine.chain_for(8) == DEFAULT_CHAIN
    assert ChainConfig.from_json(routine.to_json()) == routine
    with pytest.raises(ValueError):
        ChainConfig(stages=(Stage.UNIT_HEAD,))


@given(st.text(max_size=40), st.text(max_size=40))
def test_content_hash_changes_with_any_published_field(title, body):
    row = {"title": title, "body": body, "formed_on": "2026-11-20", "category_id": 3}
    h = content_hash(notice_content(row, [2, 1]))
    assert h == content_hash(notice_content(dict(row), [1, 2]))  # channel order is not content
    assert h != content_hash(notice_content({**row, "title": title + "。"}, [1, 2]))
    assert h != content_hash(notice_content({**row, "body": body + "x"}, [1, 2]))
    assert h != content_hash(notice_content(row, [1, 2, 3]))
