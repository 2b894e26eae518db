"""依申请公开 (disclosure on application): the channels an application arrives by, the kinds of
applicant, and the outcomes — one per row of 年报 表三 (国办公开办函〔2021〕30号). The legal clock
(答复期限) is built on these below.

The outcome labels are the table's own, character for character
(../shared/domain/rules-and-formats.md §2.3): the annual report prints them and the reply letters
quote them, so they are written once, here.

The legal clock (issue 6): ledger() turns an application's dated events (ClockEvent) into the
lines of its 台账 and its state as of today. Decisions, with the clause each one rests on
(../shared/domain/rules-and-formats.md §1.1):

* Receipt date (收到申请之日) by channel, 条例第三十一条: in person the day submitted; registered
  post the day the office signs for it; ordinary letter, internet, fax and e-mail the day
  receipt is confirmed with the applicant. See receipt_date().
* Counting: a period of N working days "自…之日起" does not count its first day (民法典 rule,
  as WorkCalendar.add_workdays does), so the reply is due on add_workdays(received, 20)
  (条例第三十三条) and the 补正 notice must go out by add_workdays(received, 7) (条例第三十条).
* 补正 restarts the clock (条例第三十条 "答复期限自行政机关收到补正的申请之日起计算"): the reply
  is then due on add_workdays(correction_received, 20), and while the applicant has not
  corrected there is no reply deadline at all. 第三十条 says the notice is given 一次性, so a
  second request is refused; it must come before any extension, consultation or fee notice.
  If the correction has not arrived by the stated date the application is deemed abandoned:
  表三 其他处理 row 1 (Outcome.NO_CORRECTION). A stated date that is a day off is read as the
  next working day (民法典第二百零三条: a period ending on a 法定休假日 ends the day after).
* Consultation (征求意见) of a third party (第三十二条) or another agency (第三十四条) is not
  counted (第三十三条第二款). The letter goes out on day S and the answer arrives on day E:
  the working days d with S < d <= E are excluded, i.e. workdays_between(S, E) — the same
  "first day not counted" rule, so day S itself is a day of the running clock. Equivalently
  the due date is the (20 + extension)-th *counted* working day after the start, counted days
  being working days outside every consultation. Consequences: overlapping consultations
  exclude their union once; a consultation that starts on or after the due date excludes
  nothing (the period had already run out); a pause moves the due date by exactly the working
  days it covered, so a deadline stays a working day and is never earlier than before.
  The consultee has 15 working days from receiving the letter (第三十二条、第三十四条; for an
  agency silence then counts as consent). We therefore exclude at most those 15 days: when no
  answer has arrived by then the ledger closes the consultation itself on that 15th day and
  the clock runs again. The letter's delivery date is used when recorded, else the day it
  was sent (which gives the applicant the earlier reply date).
* Extension (延期答复, 第三十三条): one only, 1-20 working days, approved by the
  政府信息公开工作机构负责人 (the approver's name is required) and notified to the applicant;
  ``on`` is the notification date. It adds exactly its working days to the count. Notified
  after the due date it is recorded with a warning and does not move the date (a late
  extension cannot cure an overdue reply).
* Deferral (延迟答复, 第三十五条): for excessive applications with a reasonable reason the office
  may fix a reasonable later date; that date (rolled forward to a working day) becomes the due
  date and later consultations no longer move it.
* Fees (国办函〔2020〕109号): "申请人应当在收到收费通知次日起20个工作日内缴纳费用，逾期未缴纳的视为
  放弃申请". "次日起 20 个工作日" is the first-day-not-counted rule again, so payment is due on
  add_workdays(notice_received, 20), where ``on`` of FEE_NOTICE is the day the applicant
  received the notice (送达). Unpaid by then → 其他处理 row 2 (Outcome.FEE_UNPAID). Whether the
  reply clock stops while a fee notice is outstanding is [UNCONFIRMED] in our reference (the
  full text of 109号 was not read): we take the conservative reading that it does NOT stop,
  and warn when the payment deadline falls after the reply deadline.
* Withdrawal by the applicant closes the application: 其他处理 row 3 (Outcome.OTHER).
* Errors (UserError) never depend on the holiday calendar — only on the order and content of
  the events — so a changed holiday notice can re-date a stored history (redated()) but can
  never make it invalid. Calendar-dependent lapses (a late 补正 notice, a late extension, a
  late correction or payment accepted by the office) are warnings on the ledger.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from govdesk.core.calendar import WorkCalendar
from govdesk.core.errors import UserError

__all__ = [
    "ApplicantKind",
    "BASE_DAYS",
    "CONSULTATION_DAYS",
    "CORRECTION_NOTICE_DAYS",
    "Channel",
    "ClockEvent",
    "ClockEventKind",
    "Consultee",
    "DUE_SOON_DAYS",
    "DeadlineChange",
    "FEE_PAYMENT_DAYS",
    "FeeMethod",
    "LEDGER_HEADERS",
    "Ledger",
    "LedgerLine",
    "MAX_EXTENSION_DAYS",
    "Outcome",
    "OutcomeGroup",
    "fee_by_items",
    "fee_by_pages",
    "information_fee",
    "ledger",
    "receipt_date",
    "redated",
    "Request",
    "RequestInput",
    "request_number",
]


class Channel(enum.StrEnum):
    """How the application arrived; it decides the receipt date (条例第三十一条)."""

    IN_PERSON = "当面"
    REGISTERED_POST = "邮寄"
    ORDINARY_LETTER = "平常信函"
    INTERNET = "互联网/网上"
    FAX = "传真"
    EMAIL = "电子邮件"

    @property
    def receipt_rule(self) -> str:
        """What 第三十一条 makes the receipt date for this channel."""
        return _RECEIPT_RULES[self]


_RECEIPT_RULES = {
    # 条例第三十一条（一）
    Channel.IN_PERSON: "以提交之日为收到申请之日",
    # 条例第三十一条（二）
    Channel.REGISTERED_POST: "以行政机关签收之日为收到申请之日",
    Channel.ORDINARY_LETTER: "以与申请人确认之日为收到申请之日",
    # 条例第三十一条（三）
    Channel.INTERNET: "以双方确认之日为收到申请之日",
    Channel.FAX: "以双方确认之日为收到申请之日",
    Channel.EMAIL: "以双方确认之日为收到申请之日",
}


class ApplicantKind(enum.StrEnum):
    """The applicant columns of 表三: 自然人, then the five kinds of 法人或其他组织."""

    PERSON = "自然人"
    BUSINESS = "商业企业"
    RESEARCH = "科研机构"
    PUBLIC_WELFARE = "社会公益组织"
    LEGAL_SERVICE = "法律服务机构"
    OTHER = "其他"

    @property
    def is_organisation(self) -> bool:
        return self is not ApplicantKind.PERSON


class OutcomeGroup(enum.StrEnum):
    """The 二级 rows of 表三 三、本年度办理结果 that have 三级 rows or stand alone."""

    DISCLOSED = "（一）予以公开"
    PARTLY = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    WITHHELD = "（三）不予公开"
    UNAVAILABLE = "（四）无法提供"
    NOT_PROCESSED = "（五）不予处理"
    OTHER = "（六）其他处理"


class Outcome(enum.Enum):
    """办理结果: exactly one row of 表三. ``code`` is stable (storage, imports, JSON); ``label``
    is the 三级 row label (or the 二级 one for 予以公开 / 部分公开), as printed in the table."""

    DISCLOSED = ("1", OutcomeGroup.DISCLOSED, "")
    PARTLY_DISCLOSED = ("2", OutcomeGroup.PARTLY, "")
    STATE_SECRET = ("3.1", OutcomeGroup.WITHHELD, "1.属于国家秘密")
    FORBIDDEN_BY_LAW = ("3.2", OutcomeGroup.WITHHELD, "2.其他法律行政法规禁止公开")
    ENDANGERS_SAFETY = ("3.3", OutcomeGroup.WITHHELD, "3.危及“三安全一稳定”")
    THIRD_PARTY_RIGHTS = ("3.4", OutcomeGroup.WITHHELD, "4.保护第三方合法权益")
    INTERNAL_AFFAIRS = ("3.5", OutcomeGroup.WITHHELD, "5.属于三类内部事务信息")
    PROCESS_INFO = ("3.6", OutcomeGroup.WITHHELD, "6.属于四类过程性信息")
    ENFORCEMENT_FILE = ("3.7", OutcomeGroup.WITHHELD, "7.属于行政执法案卷")
    ADMIN_QUERY = ("3.8", OutcomeGroup.WITHHELD, "8.属于行政查询事项")
    NOT_HELD = ("4.1", OutcomeGroup.UNAVAILABLE, "1.本机关不掌握相关政府信息")
    NEEDS_CREATION = ("4.2", OutcomeGroup.UNAVAILABLE, "2.没有现成信息需要另行制作")
    STILL_UNCLEAR = ("4.3", OutcomeGroup.UNAVAILABLE, "3.补正后申请内容仍不明确")
    PETITION = ("5.1", OutcomeGroup.NOT_PROCESSED, "1.信访举报投诉类申请")
    REPEAT = ("5.2", OutcomeGroup.NOT_PROCESSED, "2.重复申请")
    PUBLICATION = ("5.3", OutcomeGroup.NOT_PROCESSED, "3.要求提供公开出版物")
    EXCESSIVE = ("5.4", OutcomeGroup.NOT_PROCESSED, "4.无正当理由大量反复申请")
    CONFIRMATION = ("5.5", OutcomeGroup.NOT_PROCESSED, "5.要求行政机关确认或重新出具已获取信息")
    NO_CORRECTION = (
        "6.1",
        OutcomeGroup.OTHER,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    )
    FEE_UNPAID = (
        "6.2",
        OutcomeGroup.OTHER,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    )
    OTHER = ("6.3", OutcomeGroup.OTHER, "3.其他")

    def __init__(self, code: str, group: OutcomeGroup, row_label: str) -> None:
        self.code = code
        self.group = group
        self.row_label = row_label

    @property
    def label(self) -> str:
        """The row as a reader names it: "不予公开：1.属于国家秘密", or "予以公开"."""
        group = _short(self.group)
        return f"{group}：{self.row_label}" if self.row_label else group

    @classmethod
    def from_code(cls, code: str) -> Outcome:
        for outcome in cls:
            if outcome.code == code.strip():
                return outcome
        allowed = "、".join(o.code for o in cls)
        raise ValueError(f"办理结果编号“{code}”不存在，可选：{allowed}")


def _short(group: OutcomeGroup) -> str:
    # "（二）部分公开（区分处理的，…）" → "部分公开"; "（三）不予公开" → "不予公开".
    text = group.value[3:]
    return text.split("（", 1)[0]


#: 条例第三十三条: reply within 20 working days of receipt.
BASE_DAYS = 20
#: 条例第三十三条: the extension is at most 20 working days.
MAX_EXTENSION_DAYS = 20
#: 条例第三十条: the 补正 notice goes out within 7 working days of receipt.
CORRECTION_NOTICE_DAYS = 7
#: 条例第三十二条、第三十四条: the consultee answers within 15 working days of receiving the letter.
CONSULTATION_DAYS = 15
#: 国办函〔2020〕109号: payment within 20 working days from the day after the fee notice arrives.
FEE_PAYMENT_DAYS = 20
#: Issue 6: the dashboard shows an application in red when at most this many working days remain.
DUE_SOON_DAYS = 5

#: Column headings of the printed ledger (台账), in the order of LedgerLine.row().
LEDGER_HEADERS = ("日期", "事项", "天数", "答复期限")


def _cn(d: date) -> str:
    # GB/T 9704 7.3.5.4 style, as everywhere else in the app: 2024年1月26日.
    return f"{d.year}年{d.month}月{d.day}日"


# --- receipt date ----------------------------------------------------------------------------


def receipt_date(
    channel: Channel,
    submitted_on: date,
    signed_on: date | None = None,
    confirmed_on: date | None = None,
) -> date:
    """收到申请之日 for an application that arrived by ``channel`` (条例第三十一条).

    ``submitted_on`` is the day the applicant handed it in, or the day the letter, fax, e-mail or
    online form reached the office. Registered post needs ``signed_on`` (签收日期); ordinary
    letters, internet, fax and e-mail need ``confirmed_on`` (与申请人确认之日). Neither may be
    earlier than ``submitted_on``.
    """
    channel = Channel(channel)
    # 条例第三十一条（一）: 当面提交 — the day it was submitted.
    if channel is Channel.IN_PERSON:
        return submitted_on
    if channel is Channel.REGISTERED_POST:
        # 条例第三十一条（二）: 邮寄 — the day the office signed for it.
        if signed_on is None:
            raise UserError(
                "邮寄的申请以本机关签收之日为收到申请之日（条例第三十一条第二项），请填写签收日期",
                field="signed_on",
            )
        if signed_on < submitted_on:
            raise UserError(
                f"签收日期（{_cn(signed_on)}）不能早于寄达日期（{_cn(submitted_on)}）",
                field="signed_on",
            )
        return signed_on
    # 条例第三十一条（二）平常信函等无需签收 and（三）互联网渠道或传真 (e-mail likewise):
    # the day receipt is confirmed with the applicant.
    if confirmed_on is None:
        raise UserError(
            f"以“{channel.value}”方式提交的申请，以与申请人确认之日为收到申请之日"
            "（条例第三十一条），请填写确认日期",
            field="confirmed_on",
        )
    if confirmed_on < submitted_on:
        raise UserError(
            f"确认日期（{_cn(confirmed_on)}）不能早于收到日期（{_cn(submitted_on)}）",
            field="confirmed_on",
        )
    return confirmed_on


# --- events ----------------------------------------------------------------------------------


class ClockEventKind(enum.StrEnum):
    """One fact on an application's clock. Values are stable storage codes; ``label`` is shown."""

    RECEIVED = "received"
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECEIVED = "correction_received"
    CONSULTATION_STARTED = "consultation_started"
    CONSULTATION_ENDED = "consultation_ended"
    EXTENSION = "extension"
    DEFERRED = "deferred"
    FEE_NOTICE = "fee_notice"
    FEE_PAID = "fee_paid"
    REPLIED = "replied"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ClockEventKind.RECEIVED: "收到申请",
    ClockEventKind.CORRECTION_REQUESTED: "告知补正",
    ClockEventKind.CORRECTION_RECEIVED: "收到补正",
    ClockEventKind.CONSULTATION_STARTED: "征求意见",
    ClockEventKind.CONSULTATION_ENDED: "征求意见结束",
    ClockEventKind.EXTENSION: "延期答复",
    ClockEventKind.DEFERRED: "延迟答复",
    ClockEventKind.FEE_NOTICE: "收费通知",
    ClockEventKind.FEE_PAID: "缴纳费用",
    ClockEventKind.REPLIED: "答复",
    ClockEventKind.WITHDRAWN: "撤回申请",
}

# Kinds that end the application.
_CLOSING = frozenset({ClockEventKind.REPLIED, ClockEventKind.WITHDRAWN})


class Consultee(enum.StrEnum):
    """Whose opinion is asked; both get 15 working days and neither counts on the clock."""

    THIRD_PARTY = "third_party"  # 条例第三十二条
    AGENCY = "agency"  # 条例第三十四条

    @property
    def label(self) -> str:
        return "第三方" if self is Consultee.THIRD_PARTY else "其他机关"

    @property
    def article(self) -> str:
        return "条例第三十二条" if self is Consultee.THIRD_PARTY else "条例第三十四条"


@dataclass(frozen=True, slots=True)
class ClockEvent:
    """One dated fact. Use the named constructors; the fields a kind does not use stay empty.

    ``on`` is: the receipt date (RECEIVED, CORRECTION_RECEIVED), the day a letter or notice was
    sent (CORRECTION_REQUESTED, CONSULTATION_STARTED), the day the applicant was notified
    (EXTENSION, DEFERRED), the day the applicant received the fee notice (FEE_NOTICE), or simply
    the day it happened.
    """

    kind: ClockEventKind
    on: date
    days: int = 0  # EXTENSION: working days added
    until: date | None = None  # CORRECTION_REQUESTED: 补正期限; DEFERRED: the new reply date
    approver: str = ""  # EXTENSION: 政府信息公开工作机构负责人
    approved_on: date | None = None  # EXTENSION: day the 负责人 agreed
    party: str = ""  # CONSULTATION_*: who was consulted (matches STARTED to ENDED)
    consultee: Consultee | None = None  # CONSULTATION_STARTED
    delivered_on: date | None = None  # CONSULTATION_STARTED: 征求意见书 reached the consultee
    note: str = ""

    def __post_init__(self) -> None:
        # The store hands back plain strings; coerce them so ``kind.label`` always works.
        object.__setattr__(self, "kind", ClockEventKind(self.kind))
        if self.consultee is not None:
            object.__setattr__(self, "consultee", Consultee(self.consultee))

    @classmethod
    def received(cls, on: date, note: str = "") -> ClockEvent:
        return cls(ClockEventKind.RECEIVED, on, note=note)

    @classmethod
    def correction_requested(cls, on: date, correct_by: date, note: str = "") -> ClockEvent:
        return cls(ClockEventKind.CORRECTION_REQUESTED, on, until=correct_by, note=note)

    @classmethod
    def correction_received(cls, on: date, note: str = "") -> ClockEvent:
        return cls(ClockEventKind.CORRECTION_RECEIVED, on, note=note)

    @classmethod
    def consultation_started(
        cls,
        on: date,
        party: str = "",
        consultee: Consultee = Consultee.THIRD_PARTY,
        delivered_on: date | None = None,
        note: str = "",
    ) -> ClockEvent:
        return cls(
            ClockEventKind.CONSULTATION_STARTED,
            on,
            party=party,
            consultee=consultee,
            delivered_on=delivered_on,
            note=note,
        )

    @classmethod
    def consultation_ended(cls, on: date, party: str = "", note: str = "") -> ClockEvent:
        return cls(ClockEventKind.CONSULTATION_ENDED, on, party=party, note=note)

    @classmethod
    def extension(
        cls,
        on: date,
        days: int,
        approver: str,
        approved_on: date | None = None,
        note: str = "",
    ) -> ClockEvent:
        return cls(
            ClockEventKind.EXTENSION,
            on,
            days=days,
            approver=approver,
            approved_on=approved_on,
            note=note,
        )

    @classmethod
    def deferred(cls, on: date, until: date, note: str = "") -> ClockEvent:
        return cls(ClockEventKind.DEFERRED, on, until=until, note=note)

    @classmethod
    def fee_notice(cls, on: date, note: str = "") -> ClockEvent:
        return cls(ClockEventKind.FEE_NOTICE, on, note=note)

    @classmethod
    def fee_paid(cls, on: date, note: str = "") -> ClockEvent:
        return cls(ClockEventKind.FEE_PAID, on, note=note)

    @classmethod
    def replied(cls, on: date, note: str = "") -> ClockEvent:
        return cls(ClockEventKind.REPLIED, on, note=note)

    @classmethod
    def withdrawn(cls, on: date, note: str = "") -> ClockEvent:
        return cls(ClockEventKind.WITHDRAWN, on, note=note)

    def describe(self) -> str:
        """Names the event in an error message: “2024年1月26日 延期答复”."""
        return f"{_cn(self.on)} {self.kind.label}"


# --- the ledger --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One line of the clock's arithmetic, as the 台账 prints it.

    ``days``: working days the line puts on the clock — 20 for the start (or restart), the
    extension's days, the working days a consultation excluded, or how far a 第三十五条 deferral
    moved the date; None for lines that do not move the date. ``due_on`` is the reply date after
    the line (None while the clock waits for a 补正 or is paused; ``due_text`` says which).
    """

    on: date
    kind: ClockEventKind
    text: str
    days: int | None
    due_on: date | None
    due_text: str
    starts_clock: bool = False

    @property
    def days_text(self) -> str:
        if self.days is None:
            return ""
        return str(self.days) if self.starts_clock else f"+{self.days}"

    def row(self) -> tuple[str, str, str, str]:
        """(日期, 事项, 天数, 答复期限), matching LEDGER_HEADERS."""
        return (_cn(self.on), self.text, self.days_text, self.due_text)


@dataclass(frozen=True, slots=True)
class Ledger:
    """The clock of one application as of ``today``: its lines and where it stands.

    ``days_left``: working days after today up to the due date (0 on the due date itself),
    the remaining days while paused, negative (at least -1) once the due date has passed, None
    when there is no running reply clock (waiting for 补正, closed, or decided by the clock).
    """

    lines: tuple[LedgerLine, ...]
    today: date
    received_on: date
    clock_start: date  # receipt, or the day the corrected application arrived
    due_on: date | None
    correction_notice_by: date | None  # while a 补正 notice may still be sent (第三十条)
    correction_by: date | None  # while waiting for the applicant's 补正
    fee_due_on: date | None  # while a fee is unpaid (109号)
    paused: bool
    awaiting_correction: bool
    extension_days: int
    excluded_days: int  # working days consultations took off the clock since clock_start
    days_left: int | None
    due_soon: bool
    overdue: bool
    closed_on: date | None
    closed_by: ClockEventKind | None
    late_days: int  # for a reply: working days after the due date (0 when in time)
    implied_outcome: Outcome | None
    warnings: tuple[str, ...] = field(default=())

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def deadlines(self) -> dict[str, date | None]:
        """The open deadlines by their Chinese names, for re-dating and reminders."""
        return {
            "答复期限": self.due_on,
            "补正告知期限": self.correction_notice_by,
            "补正期限": self.correction_by,
            "缴费期限": self.fee_due_on,
        }

    def rows(self) -> list[tuple[str, str, str, str]]:
        return [line.row() for line in self.lines]


@dataclass(slots=True)
class _Consultation:
    party: str
    consultee: Consultee
    start: date
    cap: date  # 15th working day after the letter arrived


class _Clock:
    """Mutable working state of ledger(); never leaves this module."""

    def __init__(self, calendar: WorkCalendar, received: date) -> None:
        self.cal = calendar
        self.received_on = received
        self.anchor = received
        self.extension = 0
        self.extension_seen = False
        self.closed: list[tuple[date, date]] = []  # excluded intervals (a, b] since anchor
        self.running: dict[str, _Consultation] = {}
        self.expired: dict[str, date] = {}  # party -> day its 15 days ran out, answer pending
        self.consulted = False
        self.correction_requested_on: date | None = None
        self.correct_by: date | None = None
        self.correction_received_on: date | None = None
        self.deferred_until: date | None = None
        self.deferred_seen = False
        self.fee_notice_on: date | None = None
        self.fee_due: date | None = None
        self.fee_paid_on: date | None = None
        self.closed_on: date | None = None
        self.closed_by: ClockEventKind | None = None
        self.lines: list[LedgerLine] = []
        self.warnings: list[str] = []

    # -- arithmetic ------------------------------------------------------------------------

    @property
    def awaiting_correction(self) -> bool:
        return self.correction_requested_on is not None and self.correction_received_on is None

    def shifted_due(self, intervals: Iterable[tuple[date, date]]) -> date:
        # 条例第三十三条: 20 (+ extension) working days, consultation time not counted. Merge the
        # excluded intervals, then move the due date past each one that starts before it by the
        # working days it covers (see the module notes: this is the N-th counted working day).
        due = self.cal.add_workdays(self.anchor, BASE_DAYS + self.extension)
        merged: list[tuple[date, date]] = []
        for a, b in sorted(intervals):
            if merged and a <= merged[-1][1]:
                if b > merged[-1][1]:
                    merged[-1] = (merged[-1][0], b)
            else:
                merged.append((a, b))
        for a, b in merged:
            if a >= due:
                break
            due = self.cal.add_workdays(due, self.cal.workdays_between(a, b))
        return due

    def base_due(self) -> date | None:
        """Due date from the closed consultations only (None while waiting for 补正)."""
        if self.awaiting_correction:
            return None
        if self.deferred_until is not None:
            return self.deferred_until
        return self.shifted_due(self.closed)

    def pause_start(self) -> date | None:
        """Start of the running pause, if a consultation that began before the due date is open."""
        due = self.base_due()
        if due is None or self.deferred_until is not None:
            return None
        starts = [c.start for c in self.running.values() if c.start < due]
        return min(starts) if starts else None

    def counted(self, a: date, b: date) -> int:
        return self.cal.workdays_between(a, b)

    def due_view(self) -> tuple[date | None, str]:
        if self.awaiting_correction:
            assert self.correct_by is not None
            return None, f"待补正（补正期限{_cn(self.correct_by)}）"
        due = self.base_due()
        assert due is not None
        start = self.pause_start()
        if start is not None:
            left = self.counted(start, due)
            return None, f"暂停计算（尚余{left}个工作日）"
        return due, _cn(due)

    # -- lines -------------------------------------------------------------------------------

    def add_line(
        self,
        on: date,
        kind: ClockEventKind,
        text: str,
        days: int | None = None,
        starts_clock: bool = False,
    ) -> None:
        due, due_text = self.due_view()
        self.lines.append(LedgerLine(on, kind, text, days, due, due_text, starts_clock))

    def close_consultation(self, c: _Consultation, end: date, kind_text: str) -> None:
        before = self.base_due()
        end = min(end, c.cap)
        self.closed.append((c.start, end))
        after = self.base_due()
        assert before is not None and after is not None
        # Working days this consultation took off the clock (0 if it began after the due date,
        # or was wholly inside another one).
        days = self.counted(before, after)
        self.add_line(end, ClockEventKind.CONSULTATION_ENDED, kind_text, days)

    def expire_until(self, day: date) -> None:
        """Close every consultation whose 15 working days ran out before ``day``."""
        for party, c in sorted(self.running.items(), key=lambda item: item[1].cap):
            if c.cap < day:
                del self.running[party]
                self.expired[party] = c.cap
                self.close_consultation(
                    c,
                    c.cap,
                    f"征求{_who(c)}意见期满（{c.consultee.article}：{CONSULTATION_DAYS}个工作日），"
                    "此后恢复计算答复期限",
                )


def _who(c: _Consultation) -> str:
    return f"{c.consultee.label}（{c.party}）" if c.party else c.consultee.label


def _sorted(events: Iterable[ClockEvent]) -> list[ClockEvent]:
    # Chronological. On one day the kinds go in a fixed order — receipt first, a reply or
    # withdrawal last, a consultation's start before its end — so the ledger does not depend on
    # the order the store returns rows in; consultations of one day go by party name.
    return sorted(events, key=lambda e: (e.on, _DAY_ORDER[ClockEventKind(e.kind)], e.party))


_DAY_ORDER = {kind: i for i, kind in enumerate(ClockEventKind)}


def ledger(events: Iterable[ClockEvent], calendar: WorkCalendar, today: date) -> Ledger:
    """The clock of one application: every event as a ledger line, and the state as of ``today``.

    A pure function of the events and the calendar (and ``today``): when the holiday data
    changes, computing it again with the new calendar re-dates every open deadline.
    Raises UserError (Chinese) for an impossible sequence of events.
    """
    evs = _sorted(events)
    if not evs:
        raise UserError("没有收到申请的记录，无法计算答复期限")
    first = evs[0]
    if first.kind is not ClockEventKind.RECEIVED:
        raise UserError(
            f"“{first.describe()}”早于收到申请之日：请先录入收到申请的日期（条例第三十一条）"
        )
    for e in evs:
        if e.on > today:
            raise UserError(f"“{e.describe()}”的日期晚于今天（{_cn(today)}），请核对")

    cal = calendar
    clock = _Clock(cal, first.on)
    notice_by = cal.add_workdays(first.on, CORRECTION_NOTICE_DAYS)
    clock.add_line(
        first.on,
        ClockEventKind.RECEIVED,
        f"收到申请，自次日起计算{BASE_DAYS}个工作日（条例第三十三条）",
        BASE_DAYS,
        starts_clock=True,
    )

    for e in evs[1:]:
        clock.expire_until(e.on)
        _apply(clock, e, notice_by)

    if clock.closed_on is None:
        # Consultations whose 15 days ran out before today resume the clock today.
        clock.expire_until(today)
    return _finish(clock, notice_by, today)


def _apply(clock: _Clock, e: ClockEvent, notice_by: date) -> None:
    cal = clock.cal
    kind = ClockEventKind(e.kind)

    def fail(message: str) -> UserError:
        return UserError(f"“{e.describe()}”：{message}")

    if clock.closed_on is not None:
        assert clock.closed_by is not None
        raise fail(
            f"申请已于{_cn(clock.closed_on)}{clock.closed_by.label}办结，之后不能再有其他事项"
        )

    if kind is ClockEventKind.RECEIVED:
        raise fail("一件申请只能有一个收到申请之日；补正后重新计算请录入“收到补正”")

    if kind is ClockEventKind.CORRECTION_REQUESTED:
        # 条例第三十条: 一次性告知, within 7 working days of receipt, with a reasonable deadline.
        if clock.correction_requested_on is not None:
            raise fail("补正应当一次性告知（条例第三十条），本申请已告知过补正")
        if clock.extension_seen or clock.consulted or clock.fee_notice_on or clock.deferred_seen:
            raise fail(
                "告知补正应在延期、征求意见、收费通知之前（条例第三十条：收到申请之日起7个工作日内）"
            )
        if e.until is None:
            raise fail("请填写补正期限（条例第三十条：说明需要补正的事项和合理的补正期限）")
        if e.until < e.on:
            raise fail(f"补正期限（{_cn(e.until)}）不能早于告知日期")
        clock.correction_requested_on = e.on
        # 民法典第二百零三条: a period whose last day is a day off ends on the next working day.
        clock.correct_by = cal.add_workdays(e.until, 0)
        if e.on > notice_by:
            clock.warnings.append(
                f"补正告知晚于法定期限：应于{_cn(notice_by)}前告知（条例第三十条：收到申请之日起"
                f"{CORRECTION_NOTICE_DAYS}个工作日内）"
            )
        rolled = "" if clock.correct_by == e.until else f"（逢休息日顺延至{_cn(clock.correct_by)}）"
        clock.add_line(
            e.on,
            kind,
            f"告知申请人补正，补正期限{_cn(e.until)}{rolled}；答复期限自收到补正之日起重新计算"
            "（条例第三十条）",
        )
        return

    if kind is ClockEventKind.CORRECTION_RECEIVED:
        if clock.correction_requested_on is None:
            raise fail("没有告知补正的记录，不能录入收到补正")
        if clock.correction_received_on is not None:
            raise fail("已录入过收到补正")
        assert clock.correct_by is not None
        if e.on > clock.correct_by:
            clock.warnings.append(
                f"申请人逾期补正（补正期限{_cn(clock.correct_by)}）；无正当理由逾期不补正的，"
                "视为放弃申请（条例第三十条）"
            )
        # 条例第三十条: 答复期限自行政机关收到补正的申请之日起计算 — a restart, not a pause.
        clock.correction_received_on = e.on
        clock.anchor = e.on
        clock.add_line(
            e.on,
            kind,
            f"收到补正，答复期限自次日起重新计算{BASE_DAYS}个工作日（条例第三十条）",
            BASE_DAYS,
            starts_clock=True,
        )
        return

    if clock.awaiting_correction and kind in (
        ClockEventKind.CONSULTATION_STARTED,
        ClockEventKind.EXTENSION,
        ClockEventKind.DEFERRED,
        ClockEventKind.FEE_NOTICE,
    ):
        raise fail("申请人尚未补正，答复期限尚未起算（条例第三十条）")

    if kind is ClockEventKind.CONSULTATION_STARTED:
        party = e.party.strip()
        if party in clock.running or party in clock.expired:
            who = f"“{party}”" if party else "（未写名称的）被征求意见方"
            raise fail(f"{who}的征求意见尚未结束；同时征求多方意见时请分别写明名称")
        consultee = Consultee(e.consultee) if e.consultee is not None else Consultee.THIRD_PARTY
        if e.delivered_on is not None and e.delivered_on < e.on:
            raise fail("征求意见书送达日期不能早于发出日期")
        # 条例第三十二条、第三十四条: the consultee answers within 15 working days of receiving it.
        cap = cal.add_workdays(e.delivered_on or e.on, CONSULTATION_DAYS)
        c = _Consultation(party, consultee, e.on, cap)
        due = clock.base_due()
        assert due is not None
        was_paused = clock.pause_start() is not None
        clock.running[party] = c
        clock.consulted = True
        text = f"书面征求{_who(c)}意见（{consultee.article}），应于{_cn(cap)}前提出意见"
        if clock.deferred_until is not None:
            text += "；已确定延迟答复期限，不再暂停计算"
        elif e.on >= due:
            text += "；答复期限已届满，征求意见时间不再扣除"
            clock.warnings.append(
                f"{_cn(e.on)}征求{_who(c)}意见时答复期限（{_cn(due)}）已届满，不能据此顺延"
            )
        elif was_paused:
            text += "；答复期限继续暂停计算"
        else:
            text += f"；答复期限暂停计算（已用{BASE_DAYS + clock.extension - clock.counted(e.on, due)}个工作日）"
        clock.add_line(e.on, kind, text)
        return

    if kind is ClockEventKind.CONSULTATION_ENDED:
        party = e.party.strip()
        if not party and len(clock.running) + len(clock.expired) == 1:
            party = next(iter([*clock.running, *clock.expired]))
        if party in clock.expired:
            cap = clock.expired.pop(party)
            clock.add_line(
                e.on,
                kind,
                f"收到{party or '被征求意见方'}意见（征求意见期已于{_cn(cap)}届满，按届满日计算）",
                0,
            )
            return
        if party not in clock.running:
            if not clock.running:
                raise fail("没有正在进行的征求意见")
            names = "、".join(p or "（未写名称）" for p in clock.running)
            raise fail(f"请写明收到哪一方的意见：正在征求意见的有{names}")
        c = clock.running.pop(party)
        clock.close_consultation(
            c, e.on, f"收到{_who(c)}意见，征求意见所需时间不计入答复期限（条例第三十三条第二款）"
        )
        return

    if kind is ClockEventKind.EXTENSION:
        # 条例第三十三条: 经政府信息公开工作机构负责人同意并告知申请人，最长不得超过20个工作日.
        if clock.extension_seen:
            raise fail("答复期限只能延长一次（条例第三十三条），本申请已经延期")
        if clock.deferred_seen:
            raise fail("已确定延迟答复期限（条例第三十五条），不能再延期")
        days = operator.index(e.days)
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            raise fail(
                f"延长的期限应为1至{MAX_EXTENSION_DAYS}个工作日（条例第三十三条），填写的是{days}个"
            )
        if not e.approver.strip():
            raise fail("延期须经政府信息公开工作机构负责人同意（条例第三十三条），请填写同意人")
        if e.approved_on is not None and e.approved_on > e.on:
            raise fail("告知申请人的日期不能早于负责人同意的日期")
        clock.extension_seen = True
        due = clock.base_due()
        assert due is not None
        paused = clock.pause_start() is not None
        who = e.approver.strip()
        if e.on > due and not paused:
            clock.warnings.append(
                f"延期告知日期（{_cn(e.on)}）晚于答复期限（{_cn(due)}），不能顺延（条例第三十三条）"
            )
            clock.add_line(
                e.on,
                kind,
                f"经{who}同意延期{days}个工作日并告知申请人，但告知时答复期限已届满，不予顺延",
                0,
            )
            return
        before = due
        clock.extension = days
        after = clock.base_due()
        assert after is not None
        clock.add_line(
            e.on,
            kind,
            f"经政府信息公开工作机构负责人{who}同意，延长答复期限{days}个工作日并告知申请人"
            "（条例第三十三条）",
            clock.counted(before, after),
        )
        return

    if kind is ClockEventKind.DEFERRED:
        # 条例第三十五条: a reasonable later date for an excessive but reasonable application.
        if clock.deferred_seen:
            raise fail("已确定过延迟答复期限")
        if e.until is None:
            raise fail("请填写确定的延迟答复期限（条例第三十五条）")
        if e.until <= e.on:
            raise fail("延迟答复期限应晚于告知日期")
        before = clock.base_due()
        assert before is not None
        until = cal.add_workdays(e.until, 0)  # 民法典第二百零三条
        clock.deferred_seen = True
        if until <= before:
            # Calendar-dependent, so a warning rather than an error (see the module notes).
            clock.warnings.append(
                f"延迟答复期限（{_cn(until)}）不晚于答复期限（{_cn(before)}），按原答复期限计算"
            )
            clock.add_line(
                e.on, kind, f"确定延迟答复期限{_cn(e.until)}，不晚于原答复期限，不予调整", 0
            )
            return
        clock.deferred_until = until
        rolled = "" if until == e.until else f"（逢休息日顺延至{_cn(until)}）"
        clock.add_line(
            e.on,
            kind,
            f"申请数量、频次明显超过合理范围，确定延迟答复期限{_cn(e.until)}{rolled}并告知申请人"
            "（条例第三十五条）",
            clock.counted(before, until),
        )
        return

    if kind is ClockEventKind.FEE_NOTICE:
        if clock.fee_notice_on is not None:
            raise fail("本申请已发出过收费通知")
        clock.fee_notice_on = e.on
        # 国办函〔2020〕109号: 收到收费通知次日起20个工作日内缴纳 — first day not counted.
        clock.fee_due = cal.add_workdays(e.on, FEE_PAYMENT_DAYS)
        due = clock.base_due()
        if due is not None and clock.fee_due > due:
            clock.warnings.append(
                f"缴费期限（{_cn(clock.fee_due)}）晚于答复期限（{_cn(due)}）：收费期间是否停止计算"
                "答复期限，参考资料未能确认，本系统按不停止计算"
            )
        clock.add_line(
            e.on,
            kind,
            f"申请人收到收费通知，应于{_cn(clock.fee_due)}前缴纳信息处理费；答复期限照常计算"
            "（国办函〔2020〕109号）",
        )
        return

    if kind is ClockEventKind.FEE_PAID:
        if clock.fee_notice_on is None:
            raise fail("没有收费通知的记录，不能录入缴费")
        if clock.fee_paid_on is not None:
            raise fail("已录入过缴费")
        assert clock.fee_due is not None
        if e.on > clock.fee_due:
            clock.warnings.append(
                f"申请人逾期缴费（缴费期限{_cn(clock.fee_due)}），逾期未缴纳的视为放弃申请"
                "（国办函〔2020〕109号）"
            )
        clock.fee_paid_on = e.on
        clock.add_line(e.on, kind, "申请人缴纳信息处理费")
        return

    if kind in _CLOSING:
        # A reply with consultations still open ends them on the reply day.
        for party, c in list(clock.running.items()):
            del clock.running[party]
            clock.close_consultation(c, e.on, f"答复时征求{_who(c)}意见随之结束")
        clock.expired.clear()
        due = clock.base_due()
        clock.closed_on = e.on
        clock.closed_by = kind
        if kind is ClockEventKind.WITHDRAWN:
            clock.add_line(e.on, kind, "申请人撤回申请，办结")
            return
        if due is None:
            text = "答复（申请人未补正），办结"
        elif e.on <= due:
            text = f"答复，办结（期限内，用{_used(clock, e.on, due)}个工作日）"
        else:
            late = max(1, clock.counted(due, e.on))
            text = f"答复，办结（逾期{late}个工作日）"
            clock.warnings.append(f"答复日期晚于答复期限（{_cn(due)}）{late}个工作日")
        clock.add_line(e.on, kind, text)
        return

    raise AssertionError(f"unhandled clock event kind {kind!r}")  # pragma: no cover


def _used(clock: _Clock, on: date, due: date) -> int:
    # Counted working days between the clock start and ``on``: the total minus what was left.
    total = clock.counted(clock.anchor, due) - _excluded(clock)
    return total - clock.counted(on, due)


def _excluded(clock: _Clock) -> int:
    if clock.deferred_until is not None:
        return 0
    return clock.counted(clock.anchor, clock.shifted_due(clock.closed)) - (
        BASE_DAYS + clock.extension
    )


def _finish(clock: _Clock, notice_by: date, today: date) -> Ledger:
    cal = clock.cal
    closed = clock.closed_on is not None
    ref = clock.closed_on if closed else today
    assert ref is not None

    # The outcome the clock decides by itself: the first lapse, or the withdrawal.
    lapses: list[tuple[date, Outcome]] = []
    if clock.awaiting_correction:
        assert clock.correct_by is not None
        if ref > clock.correct_by:
            # 条例第三十条: 无正当理由逾期不补正的，视为放弃申请 — 表三 其他处理 1.
            lapses.append((clock.correct_by + timedelta(days=1), Outcome.NO_CORRECTION))
    if clock.fee_due is not None and clock.fee_paid_on is None and ref > clock.fee_due:
        # 国办函〔2020〕109号: 逾期未缴纳的视为放弃申请 — 表三 其他处理 2.
        lapses.append((clock.fee_due + timedelta(days=1), Outcome.FEE_UNPAID))
    if clock.closed_by is ClockEventKind.WITHDRAWN:
        assert clock.closed_on is not None
        lapses.append((clock.closed_on, Outcome.OTHER))
    implied = min(lapses, key=lambda item: item[0])[1] if lapses else None

    due = clock.base_due()
    pause = None if closed else clock.pause_start()
    paused = pause is not None
    days_left: int | None = None
    due_soon = overdue = False
    late_days = 0
    if closed:
        if clock.closed_by is ClockEventKind.REPLIED and due is not None and ref > due:
            late_days = max(1, cal.workdays_between(due, ref))
    elif implied is None and due is not None:
        if paused:
            assert pause is not None
            days_left = cal.workdays_between(pause, due)
        elif today <= due:
            days_left = cal.workdays_between(today, due)
            due_soon = days_left <= DUE_SOON_DAYS
        else:
            # On a day off right after the due date there is no working day yet, but the
            # application is overdue all the same.
            days_left = -max(1, cal.workdays_between(due, today))
            overdue = True

    correction_notice_by = None
    if not closed and clock.correction_requested_on is None and today <= notice_by:
        correction_notice_by = notice_by

    excluded = 0 if due is None else _excluded(clock)
    return Ledger(
        lines=tuple(clock.lines),
        today=today,
        received_on=clock.received_on,
        clock_start=clock.anchor,
        due_on=None if paused else due,
        correction_notice_by=correction_notice_by,
        correction_by=clock.correct_by if clock.awaiting_correction and not closed else None,
        fee_due_on=(
            clock.fee_due
            if clock.fee_due is not None and clock.fee_paid_on is None and not closed
            else None
        ),
        paused=paused,
        awaiting_correction=clock.awaiting_correction and not closed,
        extension_days=clock.extension,
        excluded_days=excluded,
        days_left=days_left,
        due_soon=due_soon,
        overdue=overdue,
        closed_on=clock.closed_on,
        closed_by=clock.closed_by,
        late_days=late_days,
        implied_outcome=implied,
        warnings=tuple(clock.warnings),
    )


# --- re-dating after a holiday change --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeadlineChange:
    """One deadline of an open application that a new holiday calendar moves."""

    label: str  # 答复期限, 补正告知期限, 补正期限, 缴费期限
    old: date | None
    new: date | None

    def describe(self) -> str:
        old = _cn(self.old) if self.old else "无"
        new = _cn(self.new) if self.new else "无"
        return f"{self.label}由{old}调整为{new}"


def redated(
    events: Sequence[ClockEvent],
    old_calendar: WorkCalendar,
    new_calendar: WorkCalendar,
    today: date,
) -> tuple[DeadlineChange, ...]:
    """What a change of holiday data does to one application's open deadlines.

    ledger() already re-dates by itself (it is a pure function of the calendar); this only
    reports the difference so that operations can write it to the audit log. Closed
    applications report nothing: their history is not rewritten.
    """
    old = ledger(events, old_calendar, today)
    if not old.is_open:
        return ()
    new = ledger(events, new_calendar, today)
    before, after = old.deadlines(), new.deadlines()
    return tuple(
        DeadlineChange(label, before[label], after[label])
        for label in before
        if before[label] != after[label]
    )


# --- 信息处理费 (国办函〔2020〕109号) -------------------------------------------------------------


class FeeMethod(enum.StrEnum):
    """109号第三条: per application or per page, one or the other for a given application."""

    BY_ITEM = "按件计收"
    BY_PAGE = "按量计收"


def _item_rate(nth: int) -> int:
    # 109号第四条: the nth application of one applicant in one calendar month.
    if nth <= 10:
        return 0  # 10件以下（含10件）不收费
    if nth <= 30:
        return 100  # 11—30件（含30件）的部分：100元/件
    # 31件以上的部分：以10件为一档，每增加一档，收费标准提高100元/件 (31-40: 200, 41-50: 300 …)
    return 100 + 100 * ((nth - 30 + 9) // 10)


def fee_by_items(count: int, *, earlier_in_month: int = 0) -> int:
    """Fee in 元 for ``count`` applications of one applicant, when the same applicant already
    filed ``earlier_in_month`` in the same calendar month (超额累进, 109号第四条)."""
    count = operator.index(count)
    earlier_in_month = operator.index(earlier_in_month)
    if count < 0 or earlier_in_month < 0:
        raise UserError("申请件数不能为负数")
    return sum(_item_rate(n) for n in range(earlier_in_month + 1, earlier_in_month + count + 1))


def fee_by_pages(pages: int) -> int:
    """Fee in 元 for one application of ``pages`` pages (超额累进, 109号第五条)."""
    pages = operator.index(pages)
    if pages < 0:
        raise UserError("页数不能为负数")
    return (
        10 * max(0, min(pages, 100) - 30)  # 31—100页（含100页）的部分：10元/页
        + 20 * max(0, min(pages, 200) - 100)  # 101—200页（含200页）的部分：20元/页
        + 40 * max(0, pages - 200)  # 201页以上的部分：40元/页
    )


def information_fee(method: FeeMethod, quantity: int, *, earlier_in_month: int = 0) -> int:
    """信息处理费 in 元 by ``method``: ``quantity`` is applications (按件) or pages (按量)."""
    method = FeeMethod(method)
    if method is FeeMethod.BY_ITEM:
        return fee_by_items(quantity, earlier_in_month=earlier_in_month)
    if earlier_in_month:
        raise UserError("按量计收只按本件申请的页数计算，不累计本月其他申请")
    return fee_by_pages(quantity)


# --- the register's records ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RequestInput:
    """What the clerk types when registering (登记申请). The receipt date is not typed: it
    follows from the channel and the dates (receipt_date, 条例第三十一条)."""

    channel: Channel
    submitted_on: date
    applicant_kind: ApplicantKind
    applicant_name: str
    content: str
    applicant_contact: str = ""
    signed_on: date | None = None
    confirmed_on: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "channel", Channel(self.channel))
        object.__setattr__(self, "applicant_kind", ApplicantKind(self.applicant_kind))

    def problems(self) -> list[UserError]:
        """Every problem of the input, each naming its field (nothing is saved if any)."""
        out: list[UserError] = []
        if not self.applicant_name.strip():
            out.append(UserError("请填写申请人姓名或名称", field="申请人"))
        elif len(self.applicant_name) > 100:
            out.append(UserError("申请人姓名或名称最多100个字", field="申请人"))
        if not self.content.strip():
            out.append(UserError("请填写申请公开的政府信息内容", field="申请内容"))
        elif len(self.content) > 4000:
            out.append(UserError("申请内容最多4000个字；更长的请附原件扫描件", field="申请内容"))
        if len(self.applicant_contact) > 200:
            out.append(UserError("联系方式最多200个字", field="联系方式"))
        try:
            receipt_date(self.channel, self.submitted_on, self.signed_on, self.confirmed_on)
        except UserError as exc:
            out.append(exc)
        return out

    @property
    def received_on(self) -> date:
        return receipt_date(self.channel, self.submitted_on, self.signed_on, self.confirmed_on)


@dataclass(frozen=True, slots=True)
class Request:
    """One registered 政府信息公开申请. ``applicant_name``/``applicant_contact`` are personal
    information: the operations layer blanks or masks them for roles that do not handle
    applications (reliability target P-series); ``masked`` says it did."""

    id: int
    number: str  # 申请编号, e.g. 〔2025〕第3号
    channel: Channel
    submitted_on: date
    received_on: date
    applicant_kind: ApplicantKind
    applicant_name: str
    content: str
    applicant_contact: str = ""
    signed_on: date | None = None
    confirmed_on: date | None = None
    handler_id: int | None = None
    outcome: Outcome | None = None
    outcome_detail: str = ""
    closed_on: date | None = None
    masked: bool = False

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


def request_number(year: int, seq: int) -> str:
    """申请编号 in the form township offices write it: 〔2025〕第3号."""
    return f"〔{year}〕第{seq}号"
