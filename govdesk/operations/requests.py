"""依申请公开 as user actions: register an application (登记申请), record the facts of its legal
clock (补正, 征求意见, 延期, 收费 …), close it with its 办理结果, and read the clock ledger.

Decisions:

* The clock is never stored. Every read folds the application's stored facts with today's
  working-day calendar (core.requests.ledger), so what the office sees always follows the law
  and the current holiday data; a fact that would make the clock impossible (a correction
  without a request, a second extension …) is refused before it is written.
* Personal information (申请人姓名、联系方式 of a 自然人) is shown only to the roles that handle
  applications (permission "request.manage"); others see the name masked and no contact. An
  organisation's name is not personal information and is shown.
* A holiday change re-dates the open applications by itself; set_calendar_day logs, for each
  one whose deadline moved, the old and the new date (issue 6, item 2).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from govdesk.core.backup_schedule import Trigger
from govdesk.core.calendar import WorkCalendar
from govdesk.core.errors import NotFound, UserError, ValidationErrors
from govdesk.core.requests import (
    ApplicantKind,
    ClockEvent,
    ClockEventKind,
    Ledger,
    Outcome,
    Request,
    RequestInput,
    ledger,
    redated,
)
from govdesk.operations.backups import backup_first
from govdesk.operations.context import Context, can, requires
from govdesk.store import request_store

PERMISSION = "request.manage"
_CLOSING = (ClockEventKind.REPLIED, ClockEventKind.WITHDRAWN)


# --------------------------------------------------------------------------- reading

def _mask_name(name: str) -> str:
    # 张三 → 张*, 欧阳明月 → 欧***: enough to tell applications apart on a list.
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def for_viewer(ctx: Context, request: Request) -> Request:
    """``request`` as the signed-in user may see it (personal information of a 自然人 only for
    the roles that handle applications)."""
    if can(ctx.user, PERMISSION) or request.applicant_kind is not ApplicantKind.PERSON:
        return request
    return replace(request, applicant_name=_mask_name(request.applicant_name),
                   applicant_contact="", masked=True)


def get_request(ctx: Context, request_id: int) -> Request:
    found = request_store.get_request(ctx.db, request_id)
    if found is None:
        raise NotFound("这件政府信息公开申请不存在")
    return for_viewer(ctx, found)


def find_request(ctx: Context, ref: str) -> Request:
    """By id or by 申请编号 (〔2025〕第3号, also 2025-3 / 2025第3号)."""
    text = ref.strip()
    if text.isdigit():
        return get_request(ctx, int(text))
    import re

    m = re.fullmatch(r"[〔\[(（]?(\d{4})[〕\])）]?\s*[-第]?\s*(\d+)号?", text)
    if m:
        found = request_store.find_by_number(ctx.db, f"〔{m[1]}〕第{int(m[2])}号")
        if found is not None:
            return for_viewer(ctx, found)
    raise NotFound(f"没有编号为“{ref}”的政府信息公开申请")


def clock_of(ctx: Context, request_id: int, today: date | None = None) -> Ledger:
    events = [e for _, e in request_store.events(ctx.db, request_id)]
    return ledger(events, ctx.calendar, today or ctx.today())


@dataclass(frozen=True)
class RequestView:
    """An application with its clock as of today and its stored facts (event id, event)."""

    request: Request
    ledger: Ledger
    events: tuple[tuple[int, ClockEvent], ...]


def request_view(ctx: Context, request_id: int) -> RequestView:
    request = get_request(ctx, request_id)
    events = tuple(request_store.events(ctx.db, request_id))
    return RequestView(request, ledger([e for _, e in events], ctx.calendar, ctx.today()),
                       events)


@dataclass(frozen=True)
class RequestSummary:
    request: Request
    ledger: Ledger


def request_summaries(ctx: Context, *, year: int | None = None, open_only: bool = False,
                      attention_only: bool = False) -> list[RequestSummary]:
    """Applications newest first with their clocks. ``attention_only``: open ones due within
    5 working days or overdue (the 工作台's list)."""
    requests = request_store.list_requests(ctx.db, year=year,
                                           open_only=open_only or attention_only)
    events = request_store.events_of(ctx.db, (r.id for r in requests))
    today = ctx.today()
    out = []
    for r in requests:
        state = ledger(events[r.id], ctx.calendar, today)
        if attention_only and not (state.due_soon or state.overdue
                                   or state.implied_outcome is not None):
            continue
        out.append(RequestSummary(for_viewer(ctx, r), state))
    return out


def request_years(ctx: Context) -> list[int]:
    return request_store.years(ctx.db)


# --------------------------------------------------------------------------- registering

def _summary(data: RequestInput) -> dict:
    return {"channel": data.channel.value, "submitted_on": data.submitted_on.isoformat(),
            "signed_on": data.signed_on.isoformat() if data.signed_on else None,
            "confirmed_on": data.confirmed_on.isoformat() if data.confirmed_on else None,
            "applicant_kind": data.applicant_kind.value, "applicant": data.applicant_name,
            "content": data.content}


def _require_valid(data: RequestInput) -> None:
    problems = data.problems()
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationErrors([p.message for p in problems], title="申请登记有误，未保存")


@requires(PERMISSION)
def register_request(ctx: Context, data: RequestInput, *, import_key: str | None = None
                     ) -> Request:
    """登记申请: number it in the year of its receipt date and start its clock on that day
    (条例第三十一条、第三十三条)."""
    _require_valid(data)
    received = data.received_on
    if received > ctx.today():
        raise UserError("收到申请的日期不能晚于今天", field="收到日期")
    now = ctx.now_utc()
    with ctx.db.atomic():
        rid = request_store.insert_request(ctx.db, data, handler_id=ctx.actor_id,
                                           created_by=ctx.actor_id, now=now,
                                           import_key=import_key)
        request_store.insert_event(ctx.db, rid, ClockEvent.received(received),
                                   created_by=ctx.actor_id, now=now)
        request = request_store.get_request(ctx.db, rid)
        assert request is not None
        ctx.audit("create", "request", rid, number=request.number,
                  received_on=received.isoformat(), after=_summary(data))
    return request


@requires(PERMISSION)
def update_request(ctx: Context, request_id: int, data: RequestInput) -> Request:
    """Correct the registration of an open application; the clock follows a changed receipt
    date, and a change that would put recorded facts before the receipt is refused."""
    old = request_store.get_request(ctx.db, request_id)
    if old is None:
        raise NotFound("这件政府信息公开申请不存在")
    if not old.is_open:
        raise UserError(f"申请{old.number}已办结，不能修改登记内容")
    _require_valid(data)
    received = data.received_on
    events = [e if e.kind is not ClockEventKind.RECEIVED else replace(e, on=received)
              for _, e in request_store.events(ctx.db, request_id)]
    ledger(events, ctx.calendar, ctx.today())  # refuses facts that now precede the receipt
    with ctx.db.atomic():
        request_store.update_request(ctx.db, request_id, data, now=ctx.now_utc())
        request_store.replace_received(ctx.db, request_id, received)
        ctx.audit("update", "request", request_id, number=old.number, after=_summary(data))
    return get_request(ctx, request_id)


# --------------------------------------------------------------------------- the clock

def _open_request(ctx: Context, request_id: int) -> Request:
    request = request_store.get_request(ctx.db, request_id)
    if request is None:
        raise NotFound("这件政府信息公开申请不存在")
    if not request.is_open:
        raise UserError(f"申请{request.number}已于{request.closed_on:%Y年%m月%d日}办结")
    return request


def _event_summary(e: ClockEvent) -> dict:
    out: dict[str, object] = {"kind": e.kind.value, "on": e.on.isoformat()}
    for name in ("days", "approver", "party", "note"):
        value = getattr(e, name)
        if value:
            out[name] = value
    for name in ("until", "approved_on", "delivered_on"):
        value = getattr(e, name)
        if value:
            out[name] = value.isoformat()
    if e.consultee is not None:
        out["consultee"] = e.consultee.value
    return out


@requires(PERMISSION)
def record_event(ctx: Context, request_id: int, event: ClockEvent) -> Ledger:
    """Record one fact of the clock (告知补正, 收到补正, 征求意见, 延期答复, 收费通知 …). The
    whole clock is recomputed with it first: a fact the law does not allow is refused with the
    reason, and nothing is written."""
    request = _open_request(ctx, request_id)
    if event.kind in _CLOSING:
        raise UserError("答复或撤回请用“办结”，以便同时记录办理结果")
    if event.kind is ClockEventKind.RECEIVED:
        raise UserError("收到申请的日期在登记时已记录，如有错误请修改登记内容")
    if event.on > ctx.today():
        raise UserError("不能记录今天以后的事项", field="日期")
    events = [e for _, e in request_store.events(ctx.db, request_id)] + [event]
    state = ledger(events, ctx.calendar, ctx.today())
    with ctx.db.atomic():
        eid = request_store.insert_event(ctx.db, request_id, event, created_by=ctx.actor_id,
                                         now=ctx.now_utc())
        ctx.audit("clock", "request", request_id, number=request.number, event_id=eid,
                  event=_event_summary(event),
                  due_on=state.due_on.isoformat() if state.due_on else None)
    return state


@requires(PERMISSION)
@backup_first(Trigger.DELETE)
def remove_event(ctx: Context, event_id: int) -> Ledger:
    """Take back a fact recorded by mistake (not the receipt, not on a closed application)."""
    found = request_store.event_request(ctx.db, event_id)
    if found is None:
        raise NotFound("这条记录不存在")
    request_id, event = found
    request = _open_request(ctx, request_id)
    if event.kind is ClockEventKind.RECEIVED:
        raise UserError("收到申请的记录不能删除，如有错误请修改登记内容")
    rest = [e for i, e in request_store.events(ctx.db, request_id) if i != event_id]
    state = ledger(rest, ctx.calendar, ctx.today())
    with ctx.db.atomic():
        request_store.delete_event(ctx.db, event_id)
        ctx.audit("delete", "request_event", event_id, number=request.number,
                  before=_event_summary(event))
    return state


@requires(PERMISSION)
def close_request(ctx: Context, request_id: int, outcome: Outcome, *, on: date | None = None,
                  detail: str = "") -> Request:
    """办结: the reply (or the 告知 that ends the procedure) went out on ``on`` with ``outcome``,
    one row of 年报 表三. A withdrawal by the applicant is closed as （六）3.其他."""
    request = _open_request(ctx, request_id)
    on = on or ctx.today()
    if on > ctx.today():
        raise UserError("办结日期不能晚于今天", field="办结日期")
    outcome = Outcome(outcome)
    kind = ClockEventKind.REPLIED
    events = [e for _, e in request_store.events(ctx.db, request_id)]
    closing = ClockEvent(kind=kind, on=on, note=detail.strip())
    state = ledger([*events, closing], ctx.calendar, ctx.today())
    with ctx.db.atomic():
        request_store.insert_event(ctx.db, request_id, closing, created_by=ctx.actor_id,
                                   now=ctx.now_utc())
        request_store.set_outcome(ctx.db, request_id, outcome, detail.strip(), on,
                                  now=ctx.now_utc())
        ctx.audit("close", "request", request_id, number=request.number, outcome=outcome.code,
                  outcome_label=outcome.label, closed_on=on.isoformat(),
                  late_days=state.late_days, detail=detail.strip())
    return get_request(ctx, request_id)


@requires(PERMISSION)
def withdraw_request(ctx: Context, request_id: int, *, on: date | None = None,
                     note: str = "") -> Request:
    """申请人撤回申请: closes it as 表三 （六）其他处理 3.其他."""
    request = _open_request(ctx, request_id)
    on = on or ctx.today()
    if on > ctx.today():
        raise UserError("撤回日期不能晚于今天", field="日期")
    event = ClockEvent.withdrawn(on, note.strip())
    ledger([e for _, e in request_store.events(ctx.db, request_id)] + [event], ctx.calendar,
           ctx.today())
    detail = note.strip() or "申请人撤回申请"
    with ctx.db.atomic():
        request_store.insert_event(ctx.db, request_id, event, created_by=ctx.actor_id,
                                   now=ctx.now_utc())
        request_store.set_outcome(ctx.db, request_id, Outcome.OTHER, detail, on,
                                  now=ctx.now_utc())
        ctx.audit("close", "request", request_id, number=request.number,
                  outcome=Outcome.OTHER.code, outcome_label=Outcome.OTHER.label,
                  closed_on=on.isoformat(), detail=detail)
    return get_request(ctx, request_id)


@requires(PERMISSION)
def reopen_request(ctx: Context, request_id: int, reason: str) -> Request:
    """Undo a 办结 recorded by mistake: the closing fact and the outcome go; the reason is
    kept in the 操作日志."""
    request = request_store.get_request(ctx.db, request_id)
    if request is None:
        raise NotFound("这件政府信息公开申请不存在")
    if request.is_open:
        raise UserError(f"申请{request.number}尚未办结")
    if not reason.strip():
        raise UserError("请说明撤销办结的原因", field="原因")
    closing = [i for i, e in request_store.events(ctx.db, request_id) if e.kind in _CLOSING]
    with ctx.db.atomic():
        for event_id in closing:
            request_store.delete_event(ctx.db, event_id)
        request_store.set_outcome(ctx.db, request_id, None, "", None, now=ctx.now_utc())
        ctx.audit("reopen", "request", request_id, number=request.number,
                  before={"outcome": request.outcome.code if request.outcome else None,
                          "closed_on": request.closed_on.isoformat()
                          if request.closed_on else None},
                  reason=reason.strip())
    return get_request(ctx, request_id)


# --------------------------------------------------------------------------- holidays

def redate_open_requests(ctx: Context, old: WorkCalendar, new: WorkCalendar) -> int:
    """After the holiday data changed: log, for every open application whose deadlines moved,
    each old and new date (issue 6, item 2). The dates themselves follow by themselves, as the
    clock is computed from the calendar on every read. Returns how many applications moved.
    Runs inside the caller's transaction."""
    today = ctx.today()
    requests = request_store.list_requests(ctx.db, open_only=True)
    events = request_store.events_of(ctx.db, (r.id for r in requests))
    moved = 0
    for r in requests:
        changes = redated(events[r.id], old, new, today)
        if changes:
            moved += 1
            ctx.audit("redate", "request", r.id, number=r.number,
                      changes=[c.describe() for c in changes])
    return moved


def numbers_due(summaries: Iterable[RequestSummary]) -> tuple[int, int]:
    """(due within 5 working days, overdue) among ``summaries``."""
    soon = overdue = 0
    for s in summaries:
        if s.ledger.overdue:
            overdue += 1
        elif s.ledger.due_soon:
            soon += 1
    return soon, overdue
