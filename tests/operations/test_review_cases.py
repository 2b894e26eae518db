"""行政复议 / 行政诉讼 cases on a real temporary database: validated, audited, listed by
application and by the year 表四 counts them in (today is Thursday 2025-11-20)."""

from __future__ import annotations

from datetime import date

import pytest

from govdesk.core.annual_report import AppealKind, AppealResult, tally_table4
from govdesk.core.errors import NotFound, PermissionDenied, UserError, ValidationErrors
from govdesk.core.org import Role
from govdesk.core.requests import ApplicantKind, Channel, RequestInput
from govdesk.core.review_cases import ReviewCaseInput
from govdesk.operations import requests as request_ops
from govdesk.operations import review_cases as ops
from govdesk.store import audit_store
from tests.conftest import as_user


@pytest.fixture
def request_id(ctx, users) -> int:
    return request_ops.register_request(ctx, RequestInput(
        channel=Channel.IN_PERSON, submitted_on=date(2025, 3, 3),
        applicant_kind=ApplicantKind.PERSON, applicant_name="张三",
        content="2024年度柳河村低保资金发放情况")).id


def _case(**overrides) -> ReviewCaseInput:
    values = dict(kind=AppealKind.REVIEW, filed_on=date(2025, 5, 6), authority="青山县人民政府",
                  case_number="青政复〔2025〕12号")
    values.update(overrides)
    return ReviewCaseInput(**values)


def test_add_update_delete_are_audited(ctx, request_id):
    before = audit_store.count(ctx.db)
    case = ops.add_review_case(ctx, _case(request_id=request_id, note="  申请人不服答复  "))
    assert case.is_pending and case.note == "申请人不服答复" and case.request_id == request_id
    decided = ops.update_review_case(ctx, case.id, _case(
        request_id=request_id, result=AppealResult.UPHELD, decided_on=date(2025, 7, 1)))
    assert (decided.result, decided.decided_on) == (AppealResult.UPHELD, date(2025, 7, 1))
    # An unchanged case writes nothing.
    ops.update_review_case(ctx, case.id, decided.as_input())
    ops.delete_review_case(ctx, case.id)
    actions = [e.action for e in audit_store.entries_for(ctx.db, "review_case", case.id)]
    assert actions == ["create", "update", "delete"]
    assert audit_store.count(ctx.db) == before + 3
    with pytest.raises(NotFound):
        ops.get_review_case(ctx, case.id)


def test_result_and_decision_date_go_together(ctx, request_id):
    with pytest.raises(UserError, match="请填写审结日期") as err:
        ops.add_review_case(ctx, _case(result=AppealResult.CORRECTED))
    assert err.value.field == "审结日期"
    with pytest.raises(UserError, match="尚未审结的案件不填审结日期"):
        ops.add_review_case(ctx, _case(decided_on=date(2025, 6, 1)))
    with pytest.raises(UserError, match="不能早于立案日期"):
        ops.add_review_case(ctx, _case(result=AppealResult.OTHER, decided_on=date(2025, 5, 5)))
    with pytest.raises(UserError, match="立案日期不能晚于今天"):
        ops.add_review_case(ctx, _case(filed_on=date(2025, 11, 21)))
    with pytest.raises(ValidationErrors) as errs:
        ops.add_review_case(ctx, _case(filed_on=date(2025, 11, 21), result=AppealResult.OTHER,
                                       decided_on=date(2025, 11, 22)))
    assert len(errs.value.problems) == 2
    with pytest.raises(UserError, match="不能早于申请〔2025〕第1号的收到日期"):
        ops.add_review_case(ctx, _case(request_id=request_id, filed_on=date(2025, 3, 1)))
    with pytest.raises(NotFound):
        ops.add_review_case(ctx, _case(request_id=999))
    assert ops.review_cases_of_year(ctx, 2025) == []


def test_lists_by_request_and_by_year(ctx, request_id):
    old = ops.add_review_case(ctx, _case(kind=AppealKind.DIRECT_SUIT, filed_on=date(2024, 10, 8),
                                         result=AppealResult.CORRECTED,
                                         decided_on=date(2025, 2, 10), authority="青山县人民法院"))
    done_2024 = ops.add_review_case(ctx, _case(filed_on=date(2024, 3, 1),
                                               result=AppealResult.UPHELD,
                                               decided_on=date(2024, 6, 1)))
    linked = ops.add_review_case(ctx, _case(request_id=request_id))
    assert ops.review_cases_of_request(ctx, request_id) == [linked]
    assert ops.review_cases_of_year(ctx, 2025) == [old, linked]
    assert ops.review_cases_of_year(ctx, 2024) == [done_2024, old]
    table = tally_table4([c.fact() for c in ops.review_cases_of_year(ctx, 2025)], 2025)
    assert table.review.pending == 1 and table.direct_suit.corrected == 1


def test_only_the_office_changes_cases(ctx, users, request_id):
    head = as_user(ctx, users[Role.UNIT_HEAD])
    with pytest.raises(PermissionDenied):
        ops.add_review_case(head, _case())
    case = ops.add_review_case(ctx, _case())
    assert ops.review_cases_of_year(head, 2025) == [case]
    with pytest.raises(PermissionDenied):
        ops.delete_review_case(head, case.id)
