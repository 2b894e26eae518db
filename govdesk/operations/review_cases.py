"""行政复议 / 行政诉讼 cases as user actions (issue 6, item 4): add, correct and delete a case,
linked to an application or not, and list those of an application or of a year (年报 表四).

Decisions:

* A case is validated before it is written: 尚未审结 exactly while there is no decision date,
  the decision not before the filing, neither in the future, and a case about an application
  not filed before that application was received.
* Everyone may read the cases (they hold no personal information: the applicant is on the
  application, which masks its name for other roles); changing them needs "request.manage".
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from govdesk.core.backup_schedule import Trigger
from govdesk.core.documents import cn_date
from govdesk.core.errors import NotFound, UserError, ValidationErrors
from govdesk.core.review_cases import ReviewCase, ReviewCaseInput
from govdesk.operations.backups import backup_first
from govdesk.operations.context import Context, requires
from govdesk.store import request_store, review_store

PERMISSION = "request.manage"

__all__ = [
    "add_review_case",
    "delete_review_case",
    "get_review_case",
    "review_cases_of_request",
    "review_cases_of_year",
    "update_review_case",
]


def _summary(data: ReviewCaseInput | ReviewCase) -> dict[str, object]:
    out = {k: (v.isoformat() if isinstance(v, date) else getattr(v, "value", v))
           for k, v in asdict(data).items()}
    out.pop("id", None)
    return out


def _checked(ctx: Context, data: ReviewCaseInput) -> ReviewCaseInput:
    data = data.cleaned()
    problems = data.problems()
    today = ctx.today()
    if data.filed_on > today:
        problems.append(UserError("立案日期不能晚于今天", field="立案日期"))
    if data.decided_on is not None and data.decided_on > today:
        problems.append(UserError("审结日期不能晚于今天", field="审结日期"))
    if data.request_id is not None:
        request = request_store.get_request(ctx.db, data.request_id)
        if request is None:
            raise NotFound("这件政府信息公开申请不存在")
        if data.filed_on < request.received_on:
            problems.append(UserError(
                f"立案日期不能早于申请{request.number}的收到日期"
                f"（{cn_date(request.received_on)}）", field="立案日期"))
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationErrors([p.message for p in problems], title="案件信息有误，未保存")
    return data


def get_review_case(ctx: Context, case_id: int) -> ReviewCase:
    found = review_store.get_case(ctx.db, case_id)
    if found is None:
        raise NotFound("这件行政复议或行政诉讼案件不存在")
    return found


def review_cases_of_request(ctx: Context, request_id: int) -> list[ReviewCase]:
    return review_store.cases_of_request(ctx.db, request_id)


def review_cases_of_year(ctx: Context, year: int) -> list[ReviewCase]:
    """The cases 表四 of ``year`` counts: before the authority at some time in that year."""
    return review_store.cases_pending_in(ctx.db, year)


@requires(PERMISSION)
def add_review_case(ctx: Context, data: ReviewCaseInput) -> ReviewCase:
    data = _checked(ctx, data)
    with ctx.db.atomic():
        case_id = review_store.insert_case(ctx.db, data, created_by=ctx.actor_id,
                                           now=ctx.now_utc())
        ctx.audit("create", "review_case", case_id, after=_summary(data))
    return get_review_case(ctx, case_id)


@requires(PERMISSION)
def update_review_case(ctx: Context, case_id: int, data: ReviewCaseInput) -> ReviewCase:
    old = get_review_case(ctx, case_id)
    data = _checked(ctx, data)
    if data == old.as_input():
        return old
    with ctx.db.atomic():
        review_store.update_case(ctx.db, case_id, data, now=ctx.now_utc())
        ctx.audit("update", "review_case", case_id, before=_summary(old),
                  after=_summary(data))
    return get_review_case(ctx, case_id)


@requires(PERMISSION)
@backup_first(Trigger.DELETE)
def delete_review_case(ctx: Context, case_id: int) -> None:
    old = get_review_case(ctx, case_id)
    with ctx.db.atomic():
        review_store.delete_case(ctx.db, case_id)
        ctx.audit("delete", "review_case", case_id, before=_summary(old))
