"""依申请公开 letters as user actions (issue 6, item 3): the facts of a letter gathered from the
application, its clock and its outcome; the letter drafted, edited, saved, printed and recorded
as sent; and the township's letter settings (复议机关, 人民法院, 政府信息公开工作机构, contact).

Decisions:

* The facts come from the register, never typed twice: the reply date of the receipt and the
  new date of an extension are read off the clock ledger (core.requests.ledger) as it stood
  after that fact, the 补正期限 from the recorded 告知补正, the payment date from the recorded
  收费通知 (国办函〔2020〕109号: 20 working days, first day not counted). Particulars the clock
  does not hold are taken from the notes of the recorded facts: the items to correct (one a
  line, or separated by "；"), the reason for an extension, the fee amount ("…120元…"), and
  for a reply the 办理结果 and its explanation (for 部分公开: which parts are withheld).
  A letter whose fact is not recorded yet is refused with what to record first.
* One saved text per application and kind (for a reply: per 办理结果, so a reply written
  before a 撤销办结 is not offered for a different outcome). A saved text wins over the
  generated one until the office goes back to the generated text. A letter recorded as sent
  is not changed any more (undo the sending date first): the text kept is what went out.
* Letters carry the applicant's name: saving and printing need "request.manage"; other roles
  may read a draft with the name masked, as the application shows it to them.
* Letters go through approval slips like notices (谁公开谁审查、先审查后公开): a saved letter is
  submitted (operations.approvals.submit_letter), decided on the same chain — procedural letters
  without 主要领导, the reply with the whole chain — and only a letter whose current text is
  approved prints without the 审阅稿 mark and can be recorded as sent (the database refuses it
  too, migration 0010). Editing a letter under review or approved voids its slip and starts a
  new one for the new text. The 受理回执 is the exception: it is handed over the day the
  application arrives and only confirms receipt.
* Settings live in the database under "letters.*" (org_store.get_setting). A key never saved
  follows the township's profile (county_of its full name, its 监督电话), so a township that
  renames itself gets new defaults; a saved value, even an empty one, is kept as saved.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from govdesk.core.approvals import SlipStatus
from govdesk.core.backup_schedule import Trigger
from govdesk.core.documents import cn_date
from govdesk.core.errors import NotFound, UserError, ValidationErrors
from govdesk.core.letters import (
    LetterContext,
    LetterDraft,
    LetterFacts,
    LetterKind,
    StoredLetter,
    build_letter,
    default_letter_context,
    letter_text,
    parse_letter_text,
)
from govdesk.core.requests import (
    CONSULTATION_DAYS,
    FEE_PAYMENT_DAYS,
    ClockEvent,
    ClockEventKind,
    Consultee,
    Ledger,
    Outcome,
    Request,
    ledger,
)
from govdesk.operations import approvals
from govdesk.operations.backups import backup_first
from govdesk.operations.context import Context, can, requires
from govdesk.operations.requests import for_viewer
from govdesk.store import approval_store, letter_store, org_store, request_store, user_store

PERMISSION = "request.manage"
SETTINGS_PERMISSION = "settings.manage"

#: LetterContext field → settings key.
SETTING_KEYS = {
    "review_body": "letters.review_body",
    "court": "letters.court",
    "office": "letters.office",
    "contact": "letters.contact",
    "phone": "letters.phone",
}
SETTING_LABELS = {
    "review_body": "行政复议机关",
    "court": "人民法院",
    "office": "政府信息公开工作机构",
    "contact": "联系人",
    "phone": "联系电话",
}
MAX_SETTING = 60

#: Which recorded fact each procedural letter rests on.
_FACT_OF = {
    LetterKind.CORRECTION: ClockEventKind.CORRECTION_REQUESTED,
    LetterKind.EXTENSION: ClockEventKind.EXTENSION,
    LetterKind.THIRD_PARTY: ClockEventKind.CONSULTATION_STARTED,
    LetterKind.AGENCY: ClockEventKind.CONSULTATION_STARTED,
    LetterKind.FEE: ClockEventKind.FEE_NOTICE,
}
_RECORD_FIRST = {
    LetterKind.CORRECTION: "请先在办理记录中登记“告知补正”（日期、补正期限，备注中写明需要补正的事项，"
                           "每行一项），再生成补正告知书。",
    LetterKind.EXTENSION: "请先在办理记录中登记“延期答复”（告知日期、延长天数、同意的负责人），"
                          "再生成延期答复告知书。",
    LetterKind.THIRD_PARTY: "请先在办理记录中登记向第三方“征求意见”（发函日期、第三方名称），"
                            "再生成第三方意见征询函。",
    LetterKind.AGENCY: "请先在办理记录中登记向其他机关“征求意见”（条例第三十四条：发函日期、机关名称），"
                       "再生成征求意见函。",
    LetterKind.FEE: "请先在办理记录中登记“收费通知”（备注中写明金额，如“信息处理费120元，"
                    "按量计收共42页”），再生成收费通知书。",
}

__all__ = [
    "available_kinds",
    "consulted_parties",
    "discard_letter",
    "draft_letter",
    "generated_letter",
    "letter_approval",
    "letter_facts",
    "letter_setting_defaults",
    "letter_settings",
    "letters_of_request",
    "mark_sent",
    "print_letter",
    "save_letter",
    "save_letter_settings",
    "stored_letter",
    "submit_letter",
]


# --------------------------------------------------------------------------- settings


def letter_setting_defaults(ctx: Context) -> LetterContext:
    """What the settings are before the office saves any (from the township's profile)."""
    township = org_store.get_township(ctx.db)
    return default_letter_context(township.full_name, address=township.address,
                                  phone=township.phone)


def letter_settings(ctx: Context) -> LetterContext:
    """The township's details as its letters print them."""
    defaults = letter_setting_defaults(ctx)
    values = {name: org_store.get_setting(ctx.db, key, getattr(defaults, name))
              for name, key in SETTING_KEYS.items()}
    return replace(defaults, **values)


@requires(SETTINGS_PERMISSION)
def save_letter_settings(ctx: Context, *, review_body: str, court: str, office: str,
                         contact: str, phone: str) -> LetterContext:
    """Keep the letter settings. The 复议机关 and the 人民法院 are required: every reply names
    them (行政复议法、行政诉讼法 remedy sentence)."""
    values = {"review_body": review_body, "court": court, "office": office,
              "contact": contact, "phone": phone}
    values = {k: " ".join(v.split()) for k, v in values.items()}
    problems = []
    for name in ("review_body", "court"):
        if not values[name]:
            example = "××县人民政府" if name == "review_body" else "××县人民法院"
            problems.append(UserError(f"请填写{SETTING_LABELS[name]}（如{example}），"
                                      "答复书告知救济途径时要写明", field=SETTING_LABELS[name]))
    for name, value in values.items():
        if len(value) > MAX_SETTING:
            problems.append(UserError(f"{SETTING_LABELS[name]}最多{MAX_SETTING}个字",
                                      field=SETTING_LABELS[name]))
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationErrors([p.message for p in problems], title="文书设置有误，未保存")
    before = letter_settings(ctx)
    old = {name: getattr(before, name) for name in SETTING_KEYS}
    with ctx.db.atomic():
        for name, key in SETTING_KEYS.items():
            org_store.set_setting(ctx.db, key, values[name])
        if old != values:
            ctx.audit("update", "setting", "letters", before=old, after=values)
    return letter_settings(ctx)


# --------------------------------------------------------------------------- facts


def _request(ctx: Context, request_id: int) -> Request:
    found = request_store.get_request(ctx.db, request_id)
    if found is None:
        raise NotFound("这件政府信息公开申请不存在")
    return found


def _last(events: list[ClockEvent], kind: ClockEventKind,
          consultee: Consultee | None = None) -> ClockEvent | None:
    found = [e for e in events if e.kind is kind
             and (consultee is None or e.consultee in (None, consultee))]
    return found[-1] if found else None


def _due_after(state: Ledger, kind: ClockEventKind) -> date | None:
    """The reply date the ledger showed right after its last line of ``kind`` (or, when the
    clock was paused then, the last date it showed before)."""
    lines = state.lines
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].kind is kind:
            for line in reversed(lines[: i + 1]):
                if line.due_on is not None:
                    return line.due_on
            return None
    return None


_NUMBERING = re.compile(r"^(?:\d+[.．、)）]|[（(]\d+[)）]|[一二三四五六七八九十]+、)\s*")


def _items(note: str) -> tuple[str, ...]:
    """The items to correct from the 告知补正 note: one a line, or separated by "；"."""
    parts = re.split(r"[\n；;]", note)
    return tuple(p for p in (_NUMBERING.sub("", part.strip()).strip() for part in parts) if p)


_AMOUNT = re.compile(r"(\d+(?:\.\d{1,2})?)\s*元")


def _fee(note: str) -> tuple[Decimal | None, str]:
    """(amount, basis) from the 收费通知 note: "信息处理费120元，按量计收共42页" → (120,
    "按量计收共42页")."""
    m = _AMOUNT.search(note)
    if not m:
        return None, ""
    try:
        amount = Decimal(m[1])
    except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
        return None, ""
    basis = [p.strip() for p in re.split(r"[，,；;。]", note) if p.strip().startswith("按")]
    return amount, "，".join(basis)


_CONSULTEE = {LetterKind.THIRD_PARTY: Consultee.THIRD_PARTY, LetterKind.AGENCY: Consultee.AGENCY}


def consulted_parties(ctx: Context, request_id: int, kind: LetterKind) -> list[str]:
    """Whom the application's recorded 征求意见 asked, in the order asked, for the consultation
    letter ``kind`` (third parties, or other agencies under 条例第三十四条)."""
    consultee = _CONSULTEE.get(LetterKind(kind))
    out: list[str] = []
    for _, e in request_store.events(ctx.db, request_id):
        if (e.kind is ClockEventKind.CONSULTATION_STARTED and e.consultee is consultee
                and e.party.strip() and e.party.strip() not in out):
            out.append(e.party.strip())
    return out


def _party(ctx: Context, request_id: int, kind: LetterKind, party: str) -> str:
    """The party a letter of ``kind`` is for: "" unless it is a consultation letter, whose
    party defaults to the last one consulted and must be one that was."""
    if not kind.per_party:
        return ""
    parties = consulted_parties(ctx, request_id, kind)
    party = party.strip()
    if not party:
        return parties[-1] if parties else ""
    if party not in parties:
        raise UserError(f"办理记录中没有向“{party}”征求意见的记录，请先登记征求意见。")
    return party


def letter_facts(ctx: Context, request_id: int, kind: LetterKind,
                 party: str = "") -> LetterFacts:
    """What the letter of ``kind`` must say about the application, from the register (for a
    consultation letter: to ``party``, by default the last one consulted). Raises UserError
    (Chinese) saying what to record first when the fact it rests on is missing."""
    kind = LetterKind(kind)
    party = _party(ctx, request_id, kind, party)
    request = for_viewer(ctx, _request(ctx, request_id))
    events = [e for _, e in request_store.events(ctx.db, request_id)]
    state = ledger(events, ctx.calendar, ctx.today())
    cal = ctx.calendar
    facts = LetterFacts(number=request.number, applicant=request.applicant_name,
                        received_on=request.received_on, asked=request.content,
                        channel=request.channel, applicant_kind=request.applicant_kind)
    if kind is LetterKind.RECEIPT:
        handler = (user_store.get_user(ctx.db, request.handler_id)
                   if request.handler_id is not None else None)
        return replace(facts, reply_due=_due_after(state, ClockEventKind.RECEIVED),
                       handler=handler.name if handler else "")
    if kind is LetterKind.REPLY:
        return _reply_facts(request, events, facts)
    if kind.per_party:
        found = [e for e in events if e.kind is ClockEventKind.CONSULTATION_STARTED
                 and e.consultee is _CONSULTEE[kind] and e.party.strip() == party]
        event = found[-1] if found else None
    else:
        event = _last(events, _FACT_OF[kind])
    if event is None:
        raise UserError(_RECORD_FIRST[kind])
    facts = replace(facts, dated=event.on)
    if kind is LetterKind.CORRECTION:
        items = _items(event.note)
        if not items:
            raise UserError("请在“告知补正”记录的备注中写明需要补正的事项（每行一项），"
                            "再生成补正告知书。")
        return replace(facts, correction_items=items, correction_due=event.until)
    if kind is LetterKind.EXTENSION:
        return replace(facts, extension_days=event.days,
                       new_due=_due_after(state, ClockEventKind.EXTENSION),
                       extension_reason=event.note.strip())
    if kind.per_party:
        if not event.party.strip():
            raise UserError("“征求意见”记录中没有写明征求对象的名称，请先补充，再生成征询函。")
        # 条例第三十二条、第三十四条: 15 working days from receiving the letter; the date only
        # when the delivery day is recorded.
        due = (cal.add_workdays(event.delivered_on, CONSULTATION_DAYS)
               if event.delivered_on else None)
        return replace(facts, third_party=event.party.strip(), third_party_due=due)
    amount, basis = _fee(event.note)
    if amount is None:
        raise UserError(_RECORD_FIRST[LetterKind.FEE])
    # 国办函〔2020〕109号: 收到收费通知次日起20个工作日内缴纳.
    return replace(facts, fee_amount=amount, fee_basis=basis,
                   fee_due=cal.add_workdays(event.on, FEE_PAYMENT_DAYS))


def _reply_facts(request: Request, events: list[ClockEvent], facts: LetterFacts
                 ) -> LetterFacts:
    if request.outcome is None or request.closed_on is None:
        raise UserError("申请尚未办结：请先办结并选择办理结果（答复日期即成文日期），"
                        "再生成答复书。")
    detail = request.outcome_detail.strip()
    asked = _last(events, ClockEventKind.CORRECTION_REQUESTED)
    corrected = _last(events, ClockEventKind.CORRECTION_RECEIVED)
    fee = _last(events, ClockEventKind.FEE_NOTICE)
    consulted = _last(events, ClockEventKind.CONSULTATION_STARTED, Consultee.THIRD_PARTY)
    facts = replace(
        facts, outcome=request.outcome, dated=request.closed_on,
        correction_sent_on=asked.on if asked else None,
        correction_due=asked.until if asked else None,
        corrected_on=corrected.on if corrected else None,
        fee_notice_on=fee.on if fee else None,
        third_party=consulted.party.strip() if consulted else "",
    )
    if request.outcome is Outcome.PARTLY_DISCLOSED:
        # The explanation of a 部分公开 says which parts are withheld.
        return replace(facts, withheld_parts=detail)
    return replace(facts, reason=detail)


# --------------------------------------------------------------------------- drafts


def _outcome_of(kind: LetterKind, request: Request) -> Outcome | None:
    return request.outcome if kind is LetterKind.REPLY else None


def _stored(ctx: Context, request: Request, kind: LetterKind,
            party: str = "") -> StoredLetter | None:
    if kind is LetterKind.REPLY and request.outcome is None:
        return None
    return letter_store.find_letter(ctx.db, request.id, kind, _outcome_of(kind, request),
                                    _party(ctx, request.id, kind, party))


def _masked_text(ctx: Context, request: Request, text: str) -> str:
    shown = for_viewer(ctx, request)
    if shown.masked and request.applicant_name:
        return text.replace(request.applicant_name, shown.applicant_name)
    return text


def stored_letter(ctx: Context, request_id: int, kind: LetterKind,
                  party: str = "") -> StoredLetter | None:
    """The office's saved letter of ``kind`` (for a reply: of the current 办理结果; for a
    consultation letter: to ``party``), if any; the applicant's name masked for roles that do
    not handle applications."""
    request = _request(ctx, request_id)
    found = _stored(ctx, request, LetterKind(kind), party)
    if found is None:
        return None
    return replace(found, text=_masked_text(ctx, request, found.text))


def letters_of_request(ctx: Context, request_id: int) -> list[StoredLetter]:
    """Every saved letter of an application, oldest first."""
    request = _request(ctx, request_id)
    return [replace(s, text=_masked_text(ctx, request, s.text))
            for s in letter_store.letters_of(ctx.db, request_id)]


def generated_letter(ctx: Context, request_id: int, kind: LetterKind,
                     party: str = "") -> LetterDraft:
    """The letter as built from the register and the settings, ignoring any saved text."""
    kind = LetterKind(kind)
    return build_letter(kind, letter_facts(ctx, request_id, kind, party), letter_settings(ctx))


def draft_letter(ctx: Context, request_id: int, kind: LetterKind,
                 party: str = "") -> LetterDraft:
    """The letter of ``kind``: the office's saved text if there is one, else built."""
    kind = LetterKind(kind)
    saved = stored_letter(ctx, request_id, kind, party)
    if saved is not None:
        return parse_letter_text(saved.text, kind=kind)
    return generated_letter(ctx, request_id, kind, party)


def available_kinds(ctx: Context, request_id: int) -> list[LetterKind]:
    """The letters whose facts are recorded, in LetterKind order (the receipt always; the
    reply once the application is closed)."""
    request = _request(ctx, request_id)
    recorded = {e.kind for _, e in request_store.events(ctx.db, request_id)}
    out = []
    for kind in LetterKind:
        if kind is LetterKind.RECEIPT:
            out.append(kind)
        elif kind is LetterKind.REPLY:
            if request.outcome is not None:
                out.append(kind)
        elif kind.per_party:
            if consulted_parties(ctx, request_id, kind):
                out.append(kind)
        elif _FACT_OF[kind] in recorded:
            out.append(kind)
    return out


def _letter_summary(request: Request, kind: LetterKind, party: str = "") -> dict[str, object]:
    out: dict[str, object] = {"request_id": request.id, "number": request.number,
                              "kind": kind.value}
    if kind is LetterKind.REPLY and request.outcome is not None:
        out["outcome"] = request.outcome.code
    if party:
        out["party"] = party
    return out


@requires(PERMISSION)
def save_letter(ctx: Context, request_id: int, kind: LetterKind, text: str,
                party: str = "") -> int:
    """Keep the office's edited text of the letter of ``kind`` (a consultation letter: to
    ``party``); returns the letter's id. The text must read as a letter (parse_letter_text:
    title, 主送, body, 署名, 成文日期)."""
    kind = LetterKind(kind)
    request = _request(ctx, request_id)
    if kind is LetterKind.REPLY and request.outcome is None:
        raise UserError("申请尚未办结：请先办结并选择办理结果，再保存答复书。")
    party = _party(ctx, request_id, kind, party)
    parse_letter_text(text, kind=kind)
    text = text.strip() + "\n"
    existing = _stored(ctx, request, kind, party)
    now = ctx.now_utc()
    with ctx.db.atomic():
        if existing is None:
            letter_id = letter_store.insert_letter(ctx.db, request_id, kind, text,
                                                   _outcome_of(kind, request),
                                                   created_by=ctx.actor_id, now=now,
                                                   party=party)
            ctx.audit("create", "request_letter", letter_id,
                      **_letter_summary(request, kind, party), after=text)
            return letter_id
        if existing.sent_on is not None:
            raise UserError(f"该{kind.value}已于{cn_date(existing.sent_on)}发出，不能再修改；"
                            "如需更正，请先撤销发出日期。")
        if existing.text != text:
            letter_store.update_text(ctx.db, existing.id, text, now=now)
            ctx.audit("update", "request_letter", existing.id,
                      **_letter_summary(request, kind, party), before=existing.text, after=text)
            approvals.supersede_letter_for_edit(ctx, existing.id)
    return existing.id


@requires(PERMISSION)
@backup_first(Trigger.DELETE)
def discard_letter(ctx: Context, request_id: int, kind: LetterKind, party: str = "") -> bool:
    """Go back to the generated text (恢复生成的文本): the saved text is removed. A letter
    recorded as sent is kept. Returns whether a saved text was removed."""
    kind = LetterKind(kind)
    request = _request(ctx, request_id)
    party = _party(ctx, request_id, kind, party)
    existing = _stored(ctx, request, kind, party)
    if existing is None:
        return False
    if existing.sent_on is not None:
        raise UserError(f"该{kind.value}已于{cn_date(existing.sent_on)}发出，保存的文本"
                        "就是发出的文书，不能丢弃；如需更正，请先撤销发出日期。")
    if approval_store.slips_of_letter(ctx.db, existing.id):
        # The slips keep what was submitted, so the letter stays; going back to the generated
        # text is a new version of it (and a new slip when one was open or approved).
        save_letter(ctx, request_id, kind,
                    letter_text(generated_letter(ctx, request_id, kind, party)), party)
        return True
    with ctx.db.atomic():
        letter_store.delete_letter(ctx.db, existing.id)
        ctx.audit("delete", "request_letter", existing.id,
                  **_letter_summary(request, kind, party), before=existing.text)
    return True


REVIEW_COPY_MARK = "审阅稿（未经审批，不得发出）"
REVIEW_COPY_WATERMARK = ("审阅稿", "未经审批　不得发出")


@dataclass(frozen=True)
class LetterApproval:
    """Where a letter stands on its way out: its saved id (None while only generated), its
    latest slip, and "" or the reason it may not go out yet (letter_send_problem)."""

    letter_id: int | None
    slip: approvals.SlipView | None
    problem: str
    needs_approval: bool
    content_hash: str = ""  # of the saved text

    @property
    def approved(self) -> bool:
        return not self.problem

    @property
    def status_text(self) -> str:
        if not self.needs_approval:
            return "无需审批"
        if self.letter_id is None:
            return "未保存，未提交审批"
        if not self.problem:
            return f"审批通过（审批单 {self.slip.number}）" if self.slip else "审批通过"
        slip = self.slip
        if slip is None or slip.state.content_hash != self.content_hash and slip.state.closed:
            return "未提交审批"
        return f"{slip.status_text}（审批单 {slip.number}）"


def letter_approval(ctx: Context, request_id: int, kind: LetterKind,
                    party: str = "") -> LetterApproval:
    """The approval state of the saved letter of ``kind`` (to ``party``)."""
    kind = LetterKind(kind)
    request = _request(ctx, request_id)
    stored = _stored(ctx, request, kind, party)
    if stored is None:
        problem = ("" if not kind.needs_approval
                   else f"该{kind.value}还没有保存，保存后提交审批，审批通过才能发出（先审查后发出）")
        return LetterApproval(None, None, problem, kind.needs_approval)
    return LetterApproval(stored.id, approvals.latest_letter_slip(ctx, stored.id),
                          approvals.letter_send_problem(ctx, stored.id), kind.needs_approval,
                          stored.content_hash)


@requires(PERMISSION)
def submit_letter(ctx: Context, request_id: int, kind: LetterKind,
                  text: str | None = None, party: str = "") -> approvals.SlipView:
    """提交审批: save ``text`` (when given) and put the saved letter of ``kind`` on a slip."""
    kind = LetterKind(kind)
    if text is not None:
        letter_id = save_letter(ctx, request_id, kind, text, party)
    else:
        stored = _stored(ctx, _request(ctx, request_id), kind, party)
        if stored is None:
            letter_id = save_letter(
                ctx, request_id, kind,
                letter_text(generated_letter(ctx, request_id, kind, party)), party)
        else:
            letter_id = stored.id
    letter = letter_store.get_letter(ctx.db, letter_id)
    latest = approvals.latest_letter_slip(ctx, letter_id)
    if (letter is not None and latest is not None
            and latest.state.content_hash == letter.content_hash
            and latest.state.status in (SlipStatus.IN_REVIEW, SlipStatus.APPROVED)):
        return latest  # saving the new text already restarted its approval (or nothing changed)
    return approvals.submit_letter(ctx, letter_id)


@requires(PERMISSION)
def print_letter(ctx: Context, request_id: int, kind: LetterKind,
                 path: str | os.PathLike[str], *, text: str | None = None,
                 invariant: bool = False, party: str = "") -> int:
    """The letter as a GB/T 9704 PDF at ``path``: ``text`` (e.g. the editor's, saved or not),
    else the saved or generated letter. Returns the number of pages; audited as a print.

    先审查后发出: unless the letter needs no approval (受理回执) or ``text`` is exactly the saved
    text whose approval is complete, the print is a 审阅稿 marked on every page
    (审阅稿（未经审批，不得发出）); a final print carries the 审计校验码."""
    from govdesk.export.fonts import resolve_fonts
    from govdesk.export.letters_pdf import letter_pdf
    from govdesk.operations.printing import _footer_code, font_overrides

    kind = LetterKind(kind)
    request = _request(ctx, request_id)
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        raise UserError("文书只能打印为 .pdf 文件", field="文件名")
    party = _party(ctx, request_id, kind, party)
    draft = (parse_letter_text(text, kind=kind) if text is not None
             else draft_letter(ctx, request_id, kind, party))
    review_copy = False
    if kind.needs_approval:
        stored = _stored(ctx, request, kind, party)
        same = stored is not None and (text is None
                                       or text.strip() + "\n" == stored.text)
        review_copy = not same or bool(approvals.letter_send_problem(ctx, stored.id))
    footer = REVIEW_COPY_MARK if review_copy else _footer_code(ctx)
    pages = letter_pdf(draft, target, fonts=resolve_fonts(font_overrides(ctx)),
                       invariant=invariant, footer_code=footer,
                       watermark=REVIEW_COPY_WATERMARK if review_copy else None)
    with ctx.db.atomic():
        ctx.audit("print", "request", request_id, **_letter_summary(request, kind, party),
                  path_name=target.name, pages=pages, review_copy=review_copy)
    return pages


@requires(PERMISSION)
def mark_sent(ctx: Context, letter_id: int, on: date | None) -> StoredLetter:
    """Record the day a saved letter went out (送达/寄出); None takes the record back."""
    found = letter_store.get_letter(ctx.db, letter_id)
    if found is None:
        raise NotFound("这份文书不存在，请先保存文书")
    request = _request(ctx, found.request_id)
    if on is not None:
        if on > ctx.today():
            raise UserError("发出日期不能晚于今天", field="发出日期")
        dated = parse_letter_text(found.text, kind=found.kind).dated
        if on < dated:
            raise UserError(f"发出日期不能早于文书的成文日期（{cn_date(dated)}）",
                            field="发出日期")
        problem = approvals.letter_send_problem(ctx, letter_id)
        if problem:
            raise UserError(problem)
    if on == found.sent_on:
        return found
    with ctx.db.atomic():
        letter_store.set_sent(ctx.db, letter_id, on, now=ctx.now_utc())
        ctx.audit("mark_sent", "request_letter", letter_id,
                  **_letter_summary(request, found.kind, found.party),
                  before=found.sent_on.isoformat() if found.sent_on else None,
                  after=on.isoformat() if on else None)
    stored = letter_store.get_letter(ctx.db, letter_id)
    assert stored is not None
    return stored


def may_edit(ctx: Context) -> bool:
    """Whether the signed-in user may save, print and send letters."""
    return can(ctx.user, PERMISSION)
