"""依申请公开 as user actions on a real temporary database: registering by channel, the clock
facts refused or recorded, closing and reopening, personal information by role, and the
holiday change that re-dates open applications (today is Thursday 2025-11-20)."""

from __future__ import annotations

from datetime import date

import pytest

from govdesk.core.errors import PermissionDenied, UserError, ValidationErrors
from govdesk.core.org import Role
from govdesk.core.requests import (
    ApplicantKind,
    Channel,
    ClockEvent,
    ClockEventKind,
    Outcome,
    RequestInput,
)
from govdesk.operations import audit as audit_ops
from govdesk.operations import org as org_ops
from govdesk.operations import requests as ops
from govdesk.store import request_store
from tests.conftest import as_user


def _input(**overrides) -> RequestInput:
    values = dict(channel=Channel.IN_PERSON, submitted_on=date(2025, 11, 3),
                  applicant_kind=ApplicantKind.PERSON, applicant_name="张三",
                  content="2024年度柳河村低保资金发放情况", applicant_contact="13812345678")
    values.update(overrides)
    return RequestInput(**values)


def test_register_numbers_by_receipt_year_and_starts_the_clock(ctx, users):
    first = ops.register_request(ctx, _input())
    second = ops.register_request(ctx, _input(submitted_on=date(2025, 11, 5)))
    assert (first.number, second.number) == ("〔2025〕第1号", "〔2025〕第2号")
    view = ops.request_view(ctx, first.id)
    # 2025-11-03 + 20 working days (11-04…11-28 are 19 of them) = Monday 2025-12-01.
    assert view.ledger.due_on == date(2025, 12, 1)
    assert view.ledger.days_left == 7 and not view.ledger.due_soon
    assert [e.kind for _, e in view.events] == [ClockEventKind.RECEIVED]


def test_receipt_date_follows_the_channel(ctx, users):
    with pytest.raises(UserError, match="请填写签收日期") as err:
        ops.register_request(ctx, _input(channel=Channel.REGISTERED_POST))
    assert err.value.field == "signed_on"
    posted = ops.register_request(ctx, _input(channel=Channel.REGISTERED_POST,
                                              signed_on=date(2025, 11, 6)))
    assert posted.received_on == date(2025, 11, 6)
    online = ops.register_request(ctx, _input(channel=Channel.INTERNET,
                                              confirmed_on=date(2025, 11, 4)))
    assert online.received_on == date(2025, 11, 4)
    with pytest.raises(ValidationErrors) as errs:
        ops.register_request(ctx, _input(applicant_name=" ", content=""))
    assert errs.value.problems == ["请填写申请人姓名或名称", "请填写申请公开的政府信息内容"]
    assert len(request_store.list_requests(ctx.db)) == 2


def test_correction_restarts_and_bad_facts_are_refused(ctx, users):
    r = ops.register_request(ctx, _input())
    state = ops.record_event(ctx, r.id, ClockEvent.correction_requested(
        date(2025, 11, 5), date(2025, 11, 12)))
    assert state.awaiting_correction and state.due_on is None
    with pytest.raises(UserError):
        ops.record_event(ctx, r.id, ClockEvent.correction_requested(
            date(2025, 11, 6), date(2025, 11, 13)))  # 一次性告知: only once
    state = ops.record_event(ctx, r.id, ClockEvent.correction_received(date(2025, 11, 10)))
    # Restarted on 2025-11-10: 20 working days → Monday 2025-12-08.
    assert state.due_on == date(2025, 12, 8)
    with pytest.raises(UserError, match="今天以后"):
        ops.record_event(ctx, r.id, ClockEvent.fee_notice(date(2025, 11, 21)))
    assert len(request_store.events(ctx.db, r.id)) == 3


def test_extension_needs_its_approver_and_adds_its_days(ctx, users):
    r = ops.register_request(ctx, _input())
    with pytest.raises(UserError):
        ops.record_event(ctx, r.id, ClockEvent(kind=ClockEventKind.EXTENSION,
                                               on=date(2025, 11, 18), days=10))
    state = ops.record_event(ctx, r.id, ClockEvent.extension(
        date(2025, 11, 18), 10, "王建华", approved_on=date(2025, 11, 17)))
    assert state.due_on == date(2025, 12, 15)  # 12-01 + 10 working days
    [(event_id, ext)] = [(i, e) for i, e in request_store.events(ctx.db, r.id)
                         if e.kind is ClockEventKind.EXTENSION]
    assert ext.approver == "王建华"
    assert ops.remove_event(ctx, event_id).due_on == date(2025, 12, 1)


def test_close_reopen_and_withdraw(ctx, users):
    r = ops.register_request(ctx, _input())
    closed = ops.close_request(ctx, r.id, Outcome.NOT_HELD, on=date(2025, 11, 19),
                               detail="由县民政局负责公开")
    assert (closed.outcome, closed.closed_on) == (Outcome.NOT_HELD, date(2025, 11, 19))
    with pytest.raises(UserError, match="已于2025年11月19日办结"):
        ops.record_event(ctx, r.id, ClockEvent.fee_notice(date(2025, 11, 19)))
    with pytest.raises(UserError, match="请说明撤销办结的原因"):
        ops.reopen_request(ctx, r.id, "")
    reopened = ops.reopen_request(ctx, r.id, "办理结果选错")
    assert reopened.is_open and reopened.outcome is None
    assert [e.kind for _, e in request_store.events(ctx.db, r.id)] == [ClockEventKind.RECEIVED]
    withdrawn = ops.withdraw_request(ctx, r.id, on=date(2025, 11, 20))
    assert withdrawn.outcome is Outcome.OTHER and withdrawn.outcome_detail == "申请人撤回申请"


def test_personal_information_only_for_those_who_handle_applications(ctx, users):
    person = ops.register_request(ctx, _input())
    firm = ops.register_request(ctx, _input(applicant_kind=ApplicantKind.BUSINESS,
                                            applicant_name="云溪农业科技有限公司"))
    head = as_user(ctx, users[Role.UNIT_HEAD])
    seen = ops.get_request(head, person.id)
    assert (seen.applicant_name, seen.applicant_contact, seen.masked) == ("张*", "", True)
    assert ops.get_request(head, firm.id).applicant_name == "云溪农业科技有限公司"
    assert ops.get_request(ctx, person.id).applicant_contact == "13812345678"
    with pytest.raises(PermissionDenied):
        ops.register_request(head, _input())
    with pytest.raises(PermissionDenied):
        ops.close_request(head, person.id, Outcome.DISCLOSED)


def test_attention_list_and_overdue(ctx, users):
    late = ops.register_request(ctx, _input(submitted_on=date(2025, 10, 20)))
    ops.register_request(ctx, _input())
    [s] = ops.request_summaries(ctx, attention_only=True)
    # 2025-10-20 + 20 working days = Monday 2025-11-17: three working days ago.
    assert s.request.id == late.id and s.ledger.due_on == date(2025, 11, 17)
    assert s.ledger.overdue
    assert ops.numbers_due(ops.request_summaries(ctx, open_only=True)) == (0, 1)
    assert ops.find_request(ctx, "〔2025〕第1号").id == late.id
    assert ops.find_request(ctx, "2025-1").id == late.id


def test_a_holiday_change_redates_open_applications_and_says_so(ctx, users):
    r = ops.register_request(ctx, _input())
    admin = as_user(ctx, users[Role.ADMIN])
    org_ops.set_calendar_day(admin, date(2025, 11, 26), False, "临时调整（测试）")
    assert ops.clock_of(ctx, r.id).due_on == date(2025, 12, 2)
    entries = [e for e in audit_ops.list_audit(admin, limit=20) if e.action == "redate"]
    assert entries and "2025年12月1日" in entries[0].detail
    assert "2025年12月2日" in entries[0].detail


def test_correcting_the_registration_moves_the_clock(ctx, users):
    r = ops.register_request(ctx, _input())
    fixed = ops.update_request(ctx, r.id, _input(submitted_on=date(2025, 11, 4)))
    assert fixed.received_on == date(2025, 11, 4) and fixed.number == r.number
    assert ops.clock_of(ctx, r.id).due_on == date(2025, 12, 2)
    ops.record_event(ctx, r.id, ClockEvent.fee_notice(date(2025, 11, 10)))
    with pytest.raises(UserError):
        ops.update_request(ctx, r.id, _input(submitted_on=date(2025, 11, 12)))
