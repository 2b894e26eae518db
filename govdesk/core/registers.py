"""The four registers that feed the reports (issue 8 §4): 政策解读, 舆情与热线, 建议提案 and
培训与会议 — what one entry is, how it is validated, and the counts and rates per period that the
annual report (年报 “围绕扩大政务参与加强解读回应”, “建议和提案办理结果”) and the 落实情况 report quote
(seed 004: “共收到51890来访件68件，办结66件，办结率97%”).

Decisions:

* One frozen dataclass per register; ``id`` is None for an entry not yet saved. ``problems()``
  lists every problem, each naming its field in Chinese.
* The handling unit (承办/解读/组织单位) is a unit (站所科室) or a community (社区/村), never both.
* 舆情与热线 keeps no caller: no name, no telephone (个人信息保护法第三十四条: not beyond what the
  duty needs). The subject is free text; the audit log redacts numbers in it (A11).
* 办理时限 defaults to a number of working days after receipt, per channel
  (:data:`DEFAULT_HOTLINE_CHANNELS`, editable by the office). These numbers are defaults chosen
  here, not rules: 12345/51890 work orders 5 working days (the usual 12345 热线 工单 time limit),
  书记信箱/市长信箱 15 working days, 网络舆情 2 working days (国办发〔2016〕61号: respond to a
  政务舆情 within 48 hours at the latest), 其他 15 working days.
* Rates are :class:`~fractions.Fraction` or None when there is nothing to divide by, shown as
  “—” and never as “0%” (:func:`format_rate`).
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Union

from govdesk.core.errors import UserError

if TYPE_CHECKING:
    from govdesk.core.calendar import WorkCalendar

__all__ = [
    "DEFAULT_HOTLINE_CHANNELS",
    "HotlineCase",
    "HotlineChannel",
    "HotlineStats",
    "HotlineTally",
    "Interpretation",
    "InterpretationForm",
    "InterpretationStats",
    "Meeting",
    "MeetingKind",
    "MeetingStats",
    "Period",
    "Proposal",
    "ProposalKind",
    "ProposalStats",
    "RegisterKind",
    "RegisterRecord",
    "Satisfaction",
    "closure_rate",
    "default_due",
    "format_rate",
    "hotline_stats",
    "interpretation_stats",
    "meeting_stats",
    "on_time_rate",
    "parse_kind",
    "proposal_stats",
    "rate",
]

MAX_TEXT = 200
MAX_NOTE = 2000
MAX_PARTICIPANTS = 100_000


class RegisterKind(enum.StrEnum):
    INTERPRETATION = "政策解读"
    HOTLINE = "舆情热线"
    PROPOSAL = "建议提案"
    MEETING = "培训会议"

    @property
    def label(self) -> str:
        """The register's name in titles: 政策解读 / 舆情与热线 / 建议提案 / 培训与会议."""
        return _LABELS[self]

    @property
    def english(self) -> str:
        return _ENGLISH[self]


_LABELS = {RegisterKind.INTERPRETATION: "政策解读", RegisterKind.HOTLINE: "舆情与热线",
           RegisterKind.PROPOSAL: "建议提案", RegisterKind.MEETING: "培训与会议"}
_ENGLISH = {RegisterKind.INTERPRETATION: "interpretation", RegisterKind.HOTLINE: "hotline",
            RegisterKind.PROPOSAL: "proposal", RegisterKind.MEETING: "meeting"}
_KIND_NAMES: dict[str, RegisterKind] = {}
for _k in RegisterKind:
    for _name in (_k.value, _LABELS[_k], _ENGLISH[_k]):
        _KIND_NAMES[_name.casefold()] = _k
_KIND_NAMES.update({"舆情": RegisterKind.HOTLINE, "热线": RegisterKind.HOTLINE,
                    "培训": RegisterKind.MEETING, "会议": RegisterKind.MEETING,
                    "建议": RegisterKind.PROPOSAL, "提案": RegisterKind.PROPOSAL,
                    "解读": RegisterKind.INTERPRETATION})


def parse_kind(text: str) -> RegisterKind:
    """A register named in Chinese (政策解读, 舆情热线, 建议提案, 培训会议, or the full names) or
    by its English alias (interpretation, hotline, proposal, meeting)."""
    found = _KIND_NAMES.get(unicodedata.normalize("NFKC", text).strip().casefold())
    if found is None:
        names = "、".join(f"{k.value}（{k.english}）" for k in RegisterKind)
        raise UserError(f"没有“{text}”这种登记簿，可选：{names}", field="登记簿")
    return found


class InterpretationForm(enum.StrEnum):
    TEXT = "文字"
    GRAPHIC = "图解"
    AUDIO_VIDEO = "音视频"
    ONLINE_INTERVIEW = "在线访谈"
    PRESS_CONFERENCE = "新闻发布会"


class Satisfaction(enum.StrEnum):
    SATISFIED = "满意"
    BASICALLY = "基本满意"
    DISSATISFIED = "不满意"
    UNRATED = "未评价"

    @property
    def satisfied(self) -> bool:
        """Counted as satisfied in a 满意率 (满意 + 基本满意, as the 12345 statistics do)."""
        return self in (Satisfaction.SATISFIED, Satisfaction.BASICALLY)


class ProposalKind(enum.StrEnum):
    DEPUTY = "人大代表建议"
    MEMBER = "政协委员提案"


class MeetingKind(enum.StrEnum):
    TRAINING = "培训"
    LEADING_GROUP = "领导小组会议"
    TOPICAL = "专题会议"


@dataclass(frozen=True, slots=True)
class HotlineChannel:
    """A channel cases come in by, and the default 办理时限 in working days after receipt."""

    name: str
    days: int


DEFAULT_HOTLINE_CHANNELS: tuple[HotlineChannel, ...] = (
    HotlineChannel("12345热线", 5),
    HotlineChannel("51890热线", 5),
    HotlineChannel("市长信箱", 15),
    HotlineChannel("书记信箱", 15),
    HotlineChannel("网络舆情", 2),  # 国办发〔2016〕61号: respond within 48 hours at the latest
    HotlineChannel("其他", 15),
)
MAX_CHANNEL_DAYS = 60


def channel_problems(channels: Sequence[HotlineChannel]) -> list[UserError]:
    """Problems of an office's channel list: names given, unique, ≤ 20 characters; days 0–60."""
    out: list[UserError] = []
    if not channels:
        out.append(UserError("至少要有一个渠道", field="渠道"))
    seen: set[str] = set()
    for c in channels:
        name = c.name.strip()
        if not name:
            out.append(UserError("渠道名称不能为空", field="渠道"))
        elif len(name) > 20:
            out.append(UserError(f"渠道名称“{name}”超过20个字", field="渠道"))
        elif name in seen:
            out.append(UserError(f"渠道“{name}”重复", field="渠道"))
        seen.add(name)
        if not 0 <= c.days <= MAX_CHANNEL_DAYS:
            out.append(UserError(f"渠道“{name}”的办理时限应为0至{MAX_CHANNEL_DAYS}个工作日",
                                 field="办理时限"))
    return out


def default_due(received_on: date, channel: str, calendar: WorkCalendar,
                channels: Sequence[HotlineChannel] = DEFAULT_HOTLINE_CHANNELS) -> date:
    """The default 办理时限: the channel's number of working days after receipt, the day of
    receipt not counted (民法典第二百零一条, as WorkCalendar.add_workdays counts). A channel
    not in the list takes the time limit of “其他”, else 15 working days."""
    days = {c.name: c.days for c in channels}
    n = days.get(channel, days.get("其他", 15))
    return calendar.add_workdays(received_on, n)


# ---- records -------------------------------------------------------------------------------------


def _text_problems(out: list[UserError], values: Iterable[tuple[str, str, bool]]) -> None:
    for value, label, required in values:
        if required and not value.strip():
            out.append(UserError(f"请填写{label}", field=label))
        elif len(value.strip()) > MAX_TEXT:
            out.append(UserError(f"{label}最多{MAX_TEXT}个字", field=label))


def _owner_problems(out: list[UserError], unit_id: int | None, community_id: int | None,
                    label: str, required: bool) -> None:
    if unit_id is not None and community_id is not None:
        out.append(UserError(f"{label}只能选一个站所科室或一个社区/村", field=label))
    if required and unit_id is None and community_id is None:
        out.append(UserError(f"请选择{label}", field=label))


def _note_problems(out: list[UserError], note: str) -> None:
    if len(note.strip()) > MAX_NOTE:
        out.append(UserError(f"备注最多{MAX_NOTE}个字", field="备注"))


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True, slots=True)
class Interpretation:
    """政策解读: one interpretation of a policy, published on a day in one form. It interprets a
    notice of the register (``notice_id``) or a policy named by ``policy_title`` (e.g. a county
    document the township re-publishes the interpretation of, seed 002)."""

    published_on: date
    title: str
    form: InterpretationForm = InterpretationForm.TEXT
    notice_id: int | None = None
    policy_title: str = ""  # 解读的政策文件, when it is not in the register
    unit_id: int | None = None  # 解读单位
    community_id: int | None = None
    note: str = ""
    id: int | None = None

    kind = RegisterKind.INTERPRETATION

    def __post_init__(self) -> None:
        object.__setattr__(self, "form", InterpretationForm(self.form))

    @property
    def on(self) -> date:
        return self.published_on

    def problems(self) -> list[UserError]:
        out: list[UserError] = []
        _text_problems(out, ((self.title, "解读标题", True),
                             (self.policy_title, "解读的政策文件", False)))
        if self.notice_id is None and not self.policy_title.strip():
            out.append(UserError("请选择所解读的政策（登记簿中的信息），或填写政策文件名称",
                                 field="解读的政策文件"))
        _owner_problems(out, self.unit_id, self.community_id, "解读单位", False)
        _note_problems(out, self.note)
        return out

    def cleaned(self) -> Interpretation:
        return replace(self, title=self.title.strip(), policy_title=self.policy_title.strip(),
                       note=self.note.strip())

    def describe(self) -> str:
        return f"政策解读“{self.title}”"


@dataclass(frozen=True, slots=True)
class HotlineCase:
    """舆情与热线: one case (a 12345/51890 work order, a 书记信箱 letter, a 网络舆情 incident).
    Open exactly while ``closed_on`` is None; 结果反馈 and 满意度 come after closing."""

    received_on: date
    channel: str
    subject: str
    unit_id: int | None = None  # 承办单位
    community_id: int | None = None
    due_on: date | None = None  # 办理时限; None = the channel's default (operations fills it)
    closed_on: date | None = None
    fed_back: bool = False  # 结果是否反馈
    satisfaction: Satisfaction = Satisfaction.UNRATED
    case_number: str = ""  # 工单编号
    note: str = ""
    id: int | None = None

    kind = RegisterKind.HOTLINE

    def __post_init__(self) -> None:
        object.__setattr__(self, "satisfaction", Satisfaction(self.satisfaction))

    @property
    def on(self) -> date:
        return self.received_on

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    def closed_on_time(self) -> bool:
        """Closed on or before its 办理时限 (the deadline day itself counts as on time)."""
        return (self.closed_on is not None and self.due_on is not None
                and self.closed_on <= self.due_on)

    def overdue(self, today: date) -> bool:
        """Still open after its 办理时限."""
        return self.closed_on is None and self.due_on is not None and today > self.due_on

    def state(self, today: date) -> str:
        if self.closed_on is not None:
            return "已办结"
        return "已超期" if self.overdue(today) else "办理中"

    def problems(self) -> list[UserError]:
        out: list[UserError] = []
        _text_problems(out, ((self.channel, "渠道", True), (self.subject, "事项", True),
                             (self.case_number, "工单编号", False)))
        _owner_problems(out, self.unit_id, self.community_id, "承办单位", True)
        if self.due_on is not None and self.due_on < self.received_on:
            out.append(UserError(f"办理时限（{_cn(self.due_on)}）不能早于受理日期"
                                 f"（{_cn(self.received_on)}）", field="办理时限"))
        if self.closed_on is not None and self.closed_on < self.received_on:
            out.append(UserError(f"办结日期（{_cn(self.closed_on)}）不能早于受理日期"
                                 f"（{_cn(self.received_on)}）", field="办结日期"))
        if self.closed_on is None and self.fed_back:
            out.append(UserError("尚未办结的事项不能标为已反馈结果；请先填写办结日期",
                                 field="结果是否反馈"))
        if self.closed_on is None and self.satisfaction is not Satisfaction.UNRATED:
            out.append(UserError("尚未办结的事项没有满意度评价；请先填写办结日期",
                                 field="满意度"))
        _note_problems(out, self.note)
        return out

    def cleaned(self) -> HotlineCase:
        return replace(self, channel=self.channel.strip(), subject=self.subject.strip(),
                       case_number=self.case_number.strip(), note=self.note.strip())

    def describe(self) -> str:
        return f"{self.channel}事项{self.case_number or '（' + _cn(self.received_on) + '受理）'}"


@dataclass(frozen=True, slots=True)
class Proposal:
    """建议提案: a 人大代表建议 or 政协委员提案 assigned to the township (交办) for an answer.
    ``lead`` is the 领衔人: a deputy or member, named as a public office-holder (not personal
    information to mask). Answered exactly when ``replied_on`` is set; 满意度 only then."""

    kind_of: ProposalKind
    number: str  # 编号, e.g. 第12号 (unique per kind and year)
    title: str
    received_on: date  # 交办日期: the register counts by it
    lead: str = ""  # 领衔人
    unit_id: int | None = None  # 承办单位
    community_id: int | None = None
    replied_on: date | None = None
    satisfaction: Satisfaction | None = None  # 满意 / 基本满意 / 不满意 (no 未评价 here)
    note: str = ""
    id: int | None = None

    kind = RegisterKind.PROPOSAL

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind_of", ProposalKind(self.kind_of))
        if self.satisfaction is not None:
            object.__setattr__(self, "satisfaction", Satisfaction(self.satisfaction))

    @property
    def on(self) -> date:
        return self.received_on

    @property
    def is_replied(self) -> bool:
        return self.replied_on is not None

    def state(self, today: date) -> str:  # noqa: ARG002 - same signature as HotlineCase.state
        return "已答复" if self.replied_on is not None else "未答复"

    def problems(self) -> list[UserError]:
        out: list[UserError] = []
        _text_problems(out, ((self.number, "编号", True), (self.title, "标题", True),
                             (self.lead, "领衔人", False)))
        _owner_problems(out, self.unit_id, self.community_id, "承办单位", True)
        if self.replied_on is not None and self.replied_on < self.received_on:
            out.append(UserError(f"答复日期（{_cn(self.replied_on)}）不能早于交办日期"
                                 f"（{_cn(self.received_on)}）", field="答复日期"))
        if self.satisfaction is Satisfaction.UNRATED:
            out.append(UserError("满意度只能是满意、基本满意或不满意；未评价的请留空",
                                 field="满意度"))
        elif self.satisfaction is not None and self.replied_on is None:
            out.append(UserError("尚未答复的建议提案没有满意度；请先填写答复日期",
                                 field="满意度"))
        _note_problems(out, self.note)
        return out

    def cleaned(self) -> Proposal:
        return replace(self, number=self.number.strip(), title=self.title.strip(),
                       lead=self.lead.strip(), note=self.note.strip())

    def describe(self) -> str:
        return f"{self.kind_of.value}{self.number}"


@dataclass(frozen=True, slots=True)
class Meeting:
    """培训与会议: a training or a meeting (领导小组会议, 专题会议) on 政务公开."""

    kind_of: MeetingKind
    held_on: date
    topic: str
    participants: int = 0
    unit_id: int | None = None  # 组织单位
    community_id: int | None = None
    note: str = ""
    id: int | None = None

    kind = RegisterKind.MEETING

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind_of", MeetingKind(self.kind_of))

    @property
    def on(self) -> date:
        return self.held_on

    def problems(self) -> list[UserError]:
        out: list[UserError] = []
        _text_problems(out, ((self.topic, "主题", True),))
        if isinstance(self.participants, bool) or not isinstance(self.participants, int) \
                or not 0 <= self.participants <= MAX_PARTICIPANTS:
            out.append(UserError(f"参加人数应为0至{MAX_PARTICIPANTS}的整数", field="参加人数"))
        _owner_problems(out, self.unit_id, self.community_id, "组织单位", False)
        _note_problems(out, self.note)
        return out

    def cleaned(self) -> Meeting:
        return replace(self, topic=self.topic.strip(), note=self.note.strip())

    def describe(self) -> str:
        return f"{self.kind_of.value}“{self.topic}”"


RegisterRecord = Union[Interpretation, HotlineCase, Proposal, Meeting]  # noqa: UP007
RECORD_TYPES: dict[RegisterKind, type] = {
    RegisterKind.INTERPRETATION: Interpretation, RegisterKind.HOTLINE: HotlineCase,
    RegisterKind.PROPOSAL: Proposal, RegisterKind.MEETING: Meeting,
}


# ---- periods -------------------------------------------------------------------------------------

_QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


@dataclass(frozen=True, slots=True)
class Period:
    """A closed range of days a statistic covers, with its Chinese name."""

    start: date
    end: date
    label: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise UserError(f"结束日期（{_cn(self.end)}）不能早于开始日期（{_cn(self.start)}）",
                            field="日期范围")
        if not self.label:
            object.__setattr__(self, "label", f"{_cn(self.start)}至{_cn(self.end)}")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), f"{year}年")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if quarter not in (1, 2, 3, 4):
            raise UserError("季度应为1至4", field="季度")
        start = date(year, 3 * quarter - 2, 1)
        return cls(start, _month_end(year, 3 * quarter), f"{year}年{_QUARTERS[quarter - 1]}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise UserError("月份应为1至12", field="月份")
        return cls(date(year, month, 1), _month_end(year, month), f"{year}年{month}月")

    @classmethod
    def of(cls, year: int, *, quarter: int | None = None, month: int | None = None) -> Period:
        if quarter is not None and month is not None:
            raise UserError("季度和月份只能选一个", field="统计期间")
        if quarter is not None:
            return cls.quarter(year, quarter)
        if month is not None:
            return cls.month(year, month)
        return cls.year(year)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _in(records: Iterable[RegisterRecord], period: Period | None) -> list:
    return [r for r in records if period is None or r.on in period]


# ---- rates ---------------------------------------------------------------------------------------


def rate(part: int, whole: int) -> Fraction | None:
    """``part / whole``, or None when ``whole`` is 0 (a rate of nothing is undefined, not 0)."""
    if part < 0 or whole < 0 or part > whole:
        raise ValueError(f"rate {part}/{whole}")
    return Fraction(part, whole) if whole else None


def _closed(case: HotlineCase, as_of: date | None) -> bool:
    return case.closed_on is not None and (as_of is None or case.closed_on <= as_of)


def closure_rate(cases: Iterable[HotlineCase], period: Period | None = None, *,
                 as_of: date | None = None) -> Fraction | None:
    """办结率 = cases received in ``period`` and closed (by ``as_of`` when given) / cases
    received in ``period``; None when none was received."""
    cohort = _in(cases, period)
    return rate(sum(_closed(c, as_of) for c in cohort), len(cohort))


def on_time_rate(cases: Iterable[HotlineCase], period: Period | None = None, *,
                 as_of: date | None = None) -> Fraction | None:
    """按时办结率 = of the cases received in ``period`` and closed, those closed on or before
    their 办理时限 / those closed.

    The denominator is 办结数, not 受理数, as the 12345 热线 statistics count it: an open case
    lowers 办结率, not 按时办结率 (overdue open cases are counted apart, HotlineTally.overdue_open).
    So 按时办结数 ≤ 办结数 ≤ 受理数 always, and the rate is None while nothing is closed."""
    closed = [c for c in _in(cases, period) if _closed(c, as_of)]
    return rate(sum(c.closed_on_time() for c in closed), len(closed))


def format_rate(value: Fraction | None, decimals: int = 0) -> str:
    """“97%”, “97.1%” (``decimals=1``; a trailing .0 dropped), “—” for None. Rounded half up,
    except that a rate short of 1 never shows as 100% and a rate above 0 never as 0%."""
    if value is None:
        return "—"
    if not 0 <= value <= 1:
        raise ValueError(f"rate out of range: {value}")
    scale = 10 ** decimals
    units = value * 100 * scale
    shown = int(units + Fraction(1, 2))  # half up
    if shown == 100 * scale and value < 1:
        shown = 100 * scale - 1
    if shown == 0 and value > 0:
        shown = 1
    whole, frac = divmod(shown, scale)
    text = f"{whole}.{frac:0{decimals}d}" if decimals else str(shown)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "%"


# ---- counts by period ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InterpretationStats:
    period: Period
    total: int
    by_form: tuple[tuple[str, int], ...]  # every form, in order, zero counts included


def interpretation_stats(records: Iterable[Interpretation], period: Period
                         ) -> InterpretationStats:
    chosen = _in(records, period)
    return InterpretationStats(period, len(chosen), tuple(
        (f.value, sum(r.form is f for r in chosen)) for f in InterpretationForm))


@dataclass(frozen=True, slots=True)
class HotlineTally:
    received: int = 0  # 受理
    closed: int = 0  # 办结
    closed_on_time: int = 0  # 按时办结
    overdue_open: int = 0  # 超期未办结 (as of the day asked)
    fed_back: int = 0  # 已反馈结果
    satisfied: int = 0  # 满意 + 基本满意
    rated: int = 0  # 已评价 (满意度 other than 未评价)

    @property
    def closure_rate(self) -> Fraction | None:
        return rate(self.closed, self.received)

    @property
    def on_time_rate(self) -> Fraction | None:
        # denominator 办结数 (see on_time_rate())
        return rate(self.closed_on_time, self.closed)

    @property
    def feedback_rate(self) -> Fraction | None:
        return rate(self.fed_back, self.closed)

    @property
    def satisfaction_rate(self) -> Fraction | None:
        return rate(self.satisfied, self.rated)


def _tally(cases: Sequence[HotlineCase], today: date, as_of: date | None) -> HotlineTally:
    closed = [c for c in cases if _closed(c, as_of)]
    return HotlineTally(
        received=len(cases), closed=len(closed),
        closed_on_time=sum(c.closed_on_time() for c in closed),
        overdue_open=sum(not _closed(c, as_of) and c.due_on is not None and today > c.due_on
                         for c in cases),
        fed_back=sum(c.fed_back for c in closed),
        satisfied=sum(c.satisfaction.satisfied for c in closed),
        rated=sum(c.satisfaction is not Satisfaction.UNRATED for c in closed))


@dataclass(frozen=True, slots=True)
class HotlineStats:
    period: Period
    total: HotlineTally
    by_channel: tuple[tuple[str, HotlineTally], ...] = field(default=())


def hotline_stats(cases: Iterable[HotlineCase], period: Period, *, today: date,
                  channels: Sequence[str] = (), as_of: date | None = None) -> HotlineStats:
    """Counts and rates of the cases received in ``period``: in total and per channel (the
    ``channels`` given, in that order, then any other channel found, by name)."""
    chosen = _in(cases, period)
    names = list(dict.fromkeys([*channels, *sorted({c.channel for c in chosen})]))
    return HotlineStats(period, _tally(chosen, today, as_of), tuple(
        (n, _tally([c for c in chosen if c.channel == n], today, as_of)) for n in names))


@dataclass(frozen=True, slots=True)
class ProposalStats:
    period: Period
    total: int
    replied: int
    satisfied: int
    rated: int
    by_kind: tuple[tuple[str, int, int], ...]  # (类型, 件数, 已答复)

    @property
    def reply_rate(self) -> Fraction | None:
        return rate(self.replied, self.total)

    @property
    def satisfaction_rate(self) -> Fraction | None:
        return rate(self.satisfied, self.rated)


def proposal_stats(records: Iterable[Proposal], period: Period) -> ProposalStats:
    chosen = _in(records, period)
    rated = [r for r in chosen if r.satisfaction is not None]
    return ProposalStats(
        period, len(chosen), sum(r.is_replied for r in chosen),
        sum(r.satisfaction is not None and r.satisfaction.satisfied for r in rated), len(rated),
        tuple((k.value, sum(r.kind_of is k for r in chosen),
               sum(r.kind_of is k and r.is_replied for r in chosen)) for k in ProposalKind))


@dataclass(frozen=True, slots=True)
class MeetingStats:
    period: Period
    total: int
    participants: int
    by_kind: tuple[tuple[str, int, int], ...]  # (类型, 次数, 人次)


def meeting_stats(records: Iterable[Meeting], period: Period) -> MeetingStats:
    chosen = _in(records, period)
    return MeetingStats(
        period, len(chosen), sum(r.participants for r in chosen),
        tuple((k.value, sum(r.kind_of is k for r in chosen),
               sum(r.participants for r in chosen if r.kind_of is k)) for k in MeetingKind))
