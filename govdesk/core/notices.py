"""Notices (公开信息), their 公开属性, status workflow, 公开时限 and 公示期, and postings on boards."""

from __future__ import annotations

import enum
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from govdesk.core.calendar import WorkCalendar
from govdesk.core.errors import UserError, ValidationErrors

# 条例第二十六条: 主动公开 information is published within 20 working days of its formation or change.
DEFAULT_PUBLISH_LIMIT_DAYS = 20


class Disclosure(enum.StrEnum):
    PROACTIVE = "主动公开"
    ON_REQUEST = "依申请公开"
    WITHHELD = "不予公开"

    @classmethod
    def from_text(cls, text: str) -> Disclosure:
        text = text.strip()
        for d in cls:
            if text in (d.value, d.name.lower()):
                return d
        raise ValueError(f"公开属性“{text}”不正确，可选：主动公开、依申请公开、不予公开")


# 国办发〔2016〕80号: 依申请公开 and 不予公开 must carry a reason, taken from 条例第十四/十五/十六条.
WITHHOLD_GROUNDS: tuple[str, ...] = (
    "条例第十四条：依法确定为国家秘密",
    "条例第十四条：法律、行政法规禁止公开",
    "条例第十四条：公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    "条例第十五条：涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
    "条例第十六条第一款：内部事务信息（人事管理、后勤管理、内部工作流程）",
    "条例第十六条第二款：过程性信息（讨论记录、过程稿、磋商信函、请示报告）",
    "条例第十六条第二款：行政执法案卷信息",
)


class NoticeStatus(enum.StrEnum):
    DRAFT = "草稿"
    PENDING = "待审批"
    APPROVED = "已批准"
    PUBLISHED = "已公开"
    TAKEN_DOWN = "已撤下"
    EXPIRED = "已失效"

    @classmethod
    def from_text(cls, text: str) -> NoticeStatus:
        text = text.strip()
        for s in cls:
            if text in (s.value, s.name.lower()):
                return s
        allowed = "、".join(s.value for s in cls)
        raise ValueError(f"状态“{text}”不正确，可选：{allowed}")


class NoticeAction(enum.StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    PUBLISH = "publish"
    TAKE_DOWN = "take_down"
    EXPIRE = "expire"
    REPUBLISH = "republish"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    NoticeAction.SUBMIT: "提交审批",
    NoticeAction.APPROVE: "批准",
    NoticeAction.RETURN: "退回修改",
    NoticeAction.PUBLISH: "公开发布",
    NoticeAction.TAKE_DOWN: "撤下",
    NoticeAction.EXPIRE: "标记失效",
    NoticeAction.REPUBLISH: "重新公开",
}

# The workflow as data. The GUI enables its buttons from this same table, and the approval-slip
# workflow (审批单) plugs in behind SUBMIT/APPROVE/RETURN: 先审查后公开 means nothing reaches
# 已公开 without passing 已批准.
TRANSITIONS: Mapping[NoticeStatus, Mapping[NoticeAction, NoticeStatus]] = {
    NoticeStatus.DRAFT: {NoticeAction.SUBMIT: NoticeStatus.PENDING},
    NoticeStatus.PENDING: {
        NoticeAction.APPROVE: NoticeStatus.APPROVED,
        NoticeAction.RETURN: NoticeStatus.DRAFT,
    },
    NoticeStatus.APPROVED: {
        NoticeAction.PUBLISH: NoticeStatus.PUBLISHED,
        NoticeAction.RETURN: NoticeStatus.DRAFT,
    },
    NoticeStatus.PUBLISHED: {
        NoticeAction.TAKE_DOWN: NoticeStatus.TAKEN_DOWN,
        NoticeAction.EXPIRE: NoticeStatus.EXPIRED,
    },
    NoticeStatus.TAKEN_DOWN: {
        NoticeAction.REPUBLISH: NoticeStatus.PUBLISHED,
        NoticeAction.EXPIRE: NoticeStatus.EXPIRED,
    },
    NoticeStatus.EXPIRED: {},
}

# Statuses in which the notice has been made public at some point (counted in statistics).
DISCLOSED_STATUSES = frozenset(
    {NoticeStatus.PUBLISHED, NoticeStatus.TAKEN_DOWN, NoticeStatus.EXPIRED}
)
# Content can be edited only before review starts; after that a new version must go through review.
# A pending or approved notice can be edited too: the edit is a new version whose approval slip
# starts over (operations.approvals.supersede_for_edit). Published content is frozen.
EDITABLE_STATUSES = frozenset(
    {NoticeStatus.DRAFT, NoticeStatus.PENDING, NoticeStatus.APPROVED}
)


def allowed_actions(status: NoticeStatus) -> tuple[NoticeAction, ...]:
    return tuple(TRANSITIONS[status])


def next_status(status: NoticeStatus, action: NoticeAction) -> NoticeStatus:
    try:
        return TRANSITIONS[status][action]
    except KeyError:
        raise UserError(f"“{status.value}”状态的信息不能执行“{action.label}”") from None


class PeriodUnit(enum.StrEnum):
    DAYS = "天"
    WORKDAYS = "工作日"


@dataclass(frozen=True, slots=True)
class PostingPeriod:
    """公示期: start and end dates, with the length expressed in 天 or 工作日 as printed."""

    start: date
    end: date
    unit: PeriodUnit = PeriodUnit.DAYS

    def length(self, calendar: WorkCalendar) -> int:
        if self.unit is PeriodUnit.DAYS:
            return (self.end - self.start).days + 1
        return calendar.workdays_between(self.start, self.end) + (
            1 if calendar.is_workday(self.start) else 0
        )

    def describe(self, calendar: WorkCalendar) -> str:
        s, e = self.start, self.end
        return (
            f"{s.year}年{s.month}月{s.day}日至{e.year}年{e.month}月{e.day}日，"
            f"共{self.length(calendar)}个{self.unit.value}"
            if self.unit is PeriodUnit.WORKDAYS
            else f"{s.year}年{s.month}月{s.day}日至{e.year}年{e.month}月{e.day}日，共{self.length(calendar)}天"
        )


@dataclass(frozen=True, slots=True)
class NoticeInput:
    """What the user types in the notice editor (or a CSV row); validated by validate_notice()."""

    title: str
    body: str = ""
    doc_number: str = ""
    category_id: int | None = None
    disclosure: Disclosure = Disclosure.PROACTIVE
    withhold_ground: str = ""
    unit_id: int | None = None
    community_id: int | None = None
    formed_on: date | None = None
    channel_ids: tuple[int, ...] = ()
    period: PostingPeriod | None = None
    note: str = ""
    # An explicit 公开时限; None means computed from formed_on and the category's limit.
    publish_due: date | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    id: int
    index_number: str
    title: str
    body: str
    doc_number: str
    category_id: int | None
    category: str
    disclosure: Disclosure
    withhold_ground: str
    unit_id: int | None
    community_id: int | None
    owner: str  # unit or community name, for display
    formed_on: date
    publish_due: date
    channel_ids: tuple[int, ...]
    channels: tuple[str, ...]
    period: PostingPeriod | None
    note: str
    status: NoticeStatus
    published_on: date | None
    created_by: int | None
    created_at: str
    updated_at: str

    @property
    def year(self) -> int:
        return self.formed_on.year

    def is_overdue(self, today: date) -> bool:
        """Past its 公开时限 and still not public (条例第二十六条)."""
        return (
            self.disclosure is Disclosure.PROACTIVE
            and self.status not in DISCLOSED_STATUSES
            and today > self.publish_due
        )


@dataclass(frozen=True, slots=True)
class Posting:
    """张贴记录: a notice on a board."""

    id: int
    notice_id: int
    board_id: int
    posted_on: date
    planned_removal: date | None
    removed_on: date | None
    posted_by: int | None
    removed_by: int | None
    photo: str = ""  # file name inside the app's managed photo folder
    notice_title: str = ""
    notice_index: str = ""
    board_name: str = ""
    posted_by_name: str = ""

    @property
    def is_current(self) -> bool:
        return self.removed_on is None

    def is_overdue(self, today: date) -> bool:
        return self.removed_on is None and self.planned_removal is not None and today > self.planned_removal


def compute_publish_due(formed_on: date, limit_days: int, calendar: WorkCalendar) -> date:
    # 条例第二十六条: "自该政府信息形成或者变更之日起20个工作日内及时公开" — counted in working days.
    return calendar.add_workdays(formed_on, limit_days)


TITLE_MAX = 200
DOC_NUMBER_MAX = 60


def validate_notice(
    data: NoticeInput,
    *,
    category_ids: Iterable[int],
    unit_ids: Iterable[int],
    community_ids: Iterable[int],
    channel_ids: Iterable[int],
) -> None:
    """Raise ValidationErrors listing every bad field by its Chinese label; return None if fine."""
    problems: list[str] = []
    title = data.title.strip()
    if not title:
        problems.append("“标题”不能为空")
    elif len(title) > TITLE_MAX:
        problems.append(f"“标题”最多 {TITLE_MAX} 个字，现在 {len(title)} 个字")
    if len(data.doc_number.strip()) > DOC_NUMBER_MAX:
        problems.append(f"“文号”最多 {DOC_NUMBER_MAX} 个字")
    if data.category_id is None:
        problems.append("请选择“类别”")
    elif data.category_id not in set(category_ids):
        problems.append("“类别”不存在或已停用")
    if data.unit_id is None and data.community_id is None:
        problems.append("请选择“责任单位”（站所科室或社区/村）")
    if data.unit_id is not None and data.unit_id not in set(unit_ids):
        problems.append("“责任单位”不存在或已停用")
    if data.community_id is not None and data.community_id not in set(community_ids):
        problems.append("“责任社区/村”不存在或已停用")
    if data.formed_on is None:
        problems.append("请填写“信息形成（变更）日期”")
    if data.disclosure is not Disclosure.PROACTIVE and not data.withhold_ground.strip():
        problems.append(f"“{data.disclosure.value}”须选择理由（条例第十四、十五、十六条）")
    known_channels = set(channel_ids)
    bad = [c for c in data.channel_ids if c not in known_channels]
    if bad:
        problems.append("“公开方式”中有不存在或已停用的渠道")
    if data.disclosure is Disclosure.PROACTIVE and not data.channel_ids:
        problems.append("主动公开的信息请至少选择一种“公开方式”")
    if data.period is not None:
        if data.period.end < data.period.start:
            problems.append("“公示期”的结束日期不能早于开始日期")
    if problems:
        raise ValidationErrors(problems, title="信息未保存")


# ---- 索引号 -------------------------------------------------------------------------------------

_PATTERN_FIELDS = {"code", "year", "seq", "category"}


def check_index_pattern(pattern: str) -> None:
    """An index pattern must contain {seq} (so numbers never collide) and only known fields."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None]
    except ValueError as exc:
        raise UserError(f"索引号格式有误：{exc}", field="索引号格式") from None
    unknown = [f for f in fields if f not in _PATTERN_FIELDS]
    if unknown:
        raise UserError(
            "索引号格式中只能使用 {code}（统一社会信用代码）、{year}（年份）、"
            "{category}（类别）和 {seq}（流水号），如 {code}/{year}-{seq:05}",
            field="索引号格式",
        )
    if "seq" not in fields:
        raise UserError("索引号格式必须包含流水号 {seq}", field="索引号格式")
    format_index_number(pattern, code="X", year=2025, seq=1, category="类别")


def format_index_number(pattern: str, *, code: str, year: int, seq: int, category: str) -> str:
    try:
        return pattern.format(code=code, year=year, seq=seq, category=category)
    except (ValueError, KeyError, IndexError) as exc:
        raise UserError(f"索引号格式有误：{exc}", field="索引号格式") from None


# ---- 正文 structure ------------------------------------------------------------------------------
# The body is plain text: one paragraph per line; headings are recognised by their official
# numbering (GB/T 9704 7.3.3: "一、" "（一）" "1." "（1）"); a run of lines containing "|" is a table.

_CN_NUM = "一二三四五六七八九十百零〇"
_HEADING_PATTERNS = (
    (1, re.compile(rf"^[{_CN_NUM}]+、")),
    (2, re.compile(rf"^（[{_CN_NUM}]+）")),
    (3, re.compile(r"^\d+[\.．](?!\d)")),
    (4, re.compile(r"^（\d+）")),
)


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class BodyTable:
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)


BodyBlock = Heading | Paragraph | BodyTable


def heading_level(line: str) -> int | None:
    for level, pattern in _HEADING_PATTERNS:
        if pattern.match(line):
            return level
    return None


def is_addressee(text: str) -> bool:
    """A 主送机关 line such as "各社区（村），镇直各部门：" — GB/T 9704 7.3.2 sets it flush left
    under the title, ending with a full-width colon."""
    text = text.strip()
    return text.endswith("：") and len(text) <= 40 and "。" not in text


def parse_body(text: str) -> list[BodyBlock]:
    blocks: list[BodyBlock] = []
    table: list[tuple[str, ...]] = []

    def flush_table() -> None:
        if table:
            blocks.append(BodyTable(tuple(table)))
            table.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush_table()
            continue
        if "|" in line:
            cells = line.strip("|").split("|")
            if all(set(c.strip()) <= set("-:") for c in cells):
                continue  # a markdown-style separator line: |---|---|
            table.append(tuple(c.strip() for c in cells))
            continue
        flush_table()
        level = heading_level(line)
        blocks.append(Heading(level, line) if level else Paragraph(line))
    flush_table()
    return blocks


# ---- register queries ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoticeFilter:
    """The register's filters; None means "any"."""

    year: int | None = None
    category_id: int | None = None
    disclosure: Disclosure | None = None
    status: NoticeStatus | None = None
    unit_id: int | None = None
    community_id: int | None = None
    channel_id: int | None = None
    board_id: int | None = None
    search: str = ""
    overdue_on: date | None = None  # only notices past their 公开时限 on that day and unpublished

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """A Chinese summary of the active filters, for export subtitles."""
        names = names or {}
        parts = []
        if self.year:
            parts.append(f"年度={self.year}")
        for key, label in (
            ("category", "类别"),
            ("unit", "责任单位"),
            ("community", "社区/村"),
            ("channel", "公开方式"),
            ("board", "公开栏"),
        ):
            if names.get(key):
                parts.append(f"{label}={names[key]}")
        if self.disclosure:
            parts.append(f"公开属性={self.disclosure.value}")
        if self.status:
            parts.append(f"状态={self.status.value}")
        if self.search:
            parts.append(f"关键词={self.search}")
        return "，".join(parts) if parts else "全部"


# The register's columns: key → Chinese header. The store maps the keys to SQL for sorting.
REGISTER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("index_number", "索引号"),
    ("title", "标题"),
    ("doc_number", "文号"),
    ("category", "类别"),
    ("disclosure", "公开属性"),
    ("owner", "责任单位"),
    ("formed_on", "形成日期"),
    ("publish_due", "公开时限"),
    ("channels", "公开方式"),
    ("status", "状态"),
    ("published_on", "公开日期"),
)


@dataclass(frozen=True, slots=True)
class NoticeSummary:
    """One register row: what the table shows, without the body."""

    id: int
    index_number: str
    title: str
    doc_number: str
    category: str
    disclosure: Disclosure
    owner: str
    formed_on: date
    publish_due: date
    channels: str
    status: NoticeStatus
    published_on: date | None

    def value(self, key: str) -> object:
        return getattr(self, key)
