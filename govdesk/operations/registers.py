"""The registers of issue 8 §4 as user actions: 政策解读, 舆情与热线, 建议提案, 培训与会议 — add,
correct, delete, list with filters, counts and rates per period, xlsx export, the import
template and the all-or-nothing import.

Decisions:

* Permission: changing a register needs "notice.edit" (登记和修改信息: admin, clerk and 科室负责人,
  who register what their unit interprets, answers or holds); reading needs no account (the
  registers hold no personal information: a hotline case keeps no caller, a 领衔人 is a public
  office-holder). The hotline channel list with its default time limits is a setting
  ("settings.manage").
* Every change is one transaction with its audit entry (ctx.audit redacts numbers, A11);
  deletions and imports make a backup first (issue 7).
* A date the register records as having happened (解读日期, 受理日期, 办结日期, 交办日期, 答复日期,
  会议日期) may not be after today; a 办理时限 may.
* The import reads the first sheet after the shared pre-flight (export.xlsx_safety: I1–I3, via
  operations.ledger.read_table_rows), matches headers by name (with synonyms, I4), reports every
  problem as “第 N 行 C 列“列名”：…”, and writes nothing while any row is wrong. A row already
  imported (same identity: see ``_identity``) is skipped, so the same file twice changes nothing
  (I5); one audit entry names the file and its SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path

from govdesk.core.backup_schedule import Trigger
from govdesk.core.documents import cn_date
from govdesk.core.errors import NotFound, UserError, ValidationErrors
from govdesk.core.registers import (
    DEFAULT_HOTLINE_CHANNELS,
    HotlineCase,
    HotlineChannel,
    HotlineStats,
    Interpretation,
    InterpretationForm,
    InterpretationStats,
    Meeting,
    MeetingKind,
    MeetingStats,
    Period,
    Proposal,
    ProposalKind,
    ProposalStats,
    RegisterKind,
    RegisterRecord,
    Satisfaction,
    channel_problems,
    default_due,
    format_rate,
    hotline_stats,
    interpretation_stats,
    meeting_stats,
    proposal_stats,
)
from govdesk.operations.backups import backup_first
from govdesk.operations.context import Context, requires
from govdesk.store import org_store, register_store
from govdesk.store.register_store import ListFilter

PERMISSION = "notice.edit"
CHANNELS_SETTING = "hotline_channels"

__all__ = [
    "ImportResult",
    "ListFilter",
    "add_record",
    "delete_record",
    "export_register",
    "get_record",
    "hotline_channel_use",
    "hotline_channels",
    "import_register",
    "list_records",
    "notice_labels",
    "record_years",
    "register_stats",
    "save_hotline_channels",
    "set_hotline_channels",
    "update_record",
    "write_register_template",
]

OBJECT_TYPES = {RegisterKind.INTERPRETATION: "policy_interpretation",
                RegisterKind.HOTLINE: "hotline_case", RegisterKind.PROPOSAL: "proposal",
                RegisterKind.MEETING: "meeting"}
# The field named in a record's problem → the message's title word
_TITLES = {RegisterKind.INTERPRETATION: "政策解读", RegisterKind.HOTLINE: "舆情热线事项",
           RegisterKind.PROPOSAL: "建议提案", RegisterKind.MEETING: "培训会议"}


def _summary(record: RegisterRecord) -> dict[str, object]:
    out = {k: (v.isoformat() if isinstance(v, date) else getattr(v, "value", v))
           for k, v in asdict(record).items()}
    out.pop("id", None)
    return out


# ---- the hotline channels (an office setting) -----------------------------------------------------


def hotline_channels(ctx: Context) -> tuple[HotlineChannel, ...]:
    """The office's channels with their default 办理时限 (working days), or the defaults."""
    raw = org_store.get_setting(ctx.db, CHANNELS_SETTING)
    if not raw:
        return DEFAULT_HOTLINE_CHANNELS
    try:
        return tuple(HotlineChannel(str(n), int(d)) for n, d in json.loads(raw))
    except (ValueError, TypeError):  # a hand-edited setting: fall back rather than fail
        return DEFAULT_HOTLINE_CHANNELS


@requires("settings.manage")
def set_hotline_channels(ctx: Context, channels: Sequence[HotlineChannel]
                         ) -> tuple[HotlineChannel, ...]:
    """Replace the list (names and default time limits). Cases already registered keep their
    channel and 办理时限."""
    channels = tuple(HotlineChannel(c.name.strip(), c.days) for c in channels)
    problems = channel_problems(channels)
    if problems:
        raise ValidationErrors([p.message for p in problems], title="渠道设置有误，未保存")
    before = hotline_channels(ctx)
    if channels == before:
        return before
    with ctx.db.atomic():
        org_store.set_setting(ctx.db, CHANNELS_SETTING, json.dumps(
            [[c.name, c.days] for c in channels], ensure_ascii=False))
        ctx.audit("set_hotline_channels", "setting", CHANNELS_SETTING,
                  before=[[c.name, c.days] for c in before],
                  after=[[c.name, c.days] for c in channels])
    return channels


def hotline_channel_use(ctx: Context) -> dict[str, int]:
    """How many cases of the register (any year) each channel name has."""
    return {str(name): int(n) for name, n in ctx.db.execute(
        "SELECT channel, COUNT(*) FROM hotline_case GROUP BY channel").fetchall()}


@requires("settings.manage")
def save_hotline_channels(ctx: Context, channels: Sequence[HotlineChannel]
                          ) -> tuple[HotlineChannel, ...]:
    """``set_hotline_channels`` for the settings page: a channel that registered cases use
    cannot be dropped from the list (their 渠道 would no longer be offered when they are
    edited); rename it instead only when no case uses it either."""
    kept = {c.name.strip() for c in channels}
    use = hotline_channel_use(ctx)
    gone = [c.name for c in hotline_channels(ctx) if c.name not in kept and use.get(c.name)]
    if gone:
        raise UserError("、".join(f"渠道“{n}”已有{use[n]}件登记事项使用" for n in gone)
                        + "，不能删除或改名。", field="渠道")
    return set_hotline_channels(ctx, channels)


# ---- add / update / delete -----------------------------------------------------------------------


def _check(ctx: Context, record: RegisterRecord, old: RegisterRecord | None = None
           ) -> RegisterRecord:
    record = record.cleaned()
    if isinstance(record, HotlineCase) and record.due_on is None:
        record = replace(record, due_on=default_due(record.received_on, record.channel,
                                                    ctx.calendar, hotline_channels(ctx)))
    problems = record.problems()
    problems += _context_problems(ctx, record, old)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationErrors([p.message for p in problems],
                               title=f"{_TITLES[record.kind]}信息有误，未保存")
    return record


def _context_problems(ctx: Context, record: RegisterRecord, old: RegisterRecord | None
                      ) -> list[UserError]:
    """What needs the database or today: past dates, the linked notice and the handling unit
    exist, the channel is in the office's list, a proposal's 编号 is free."""
    out: list[UserError] = []
    today = ctx.today()
    for label, day in _happened(record):
        if day is not None and day > today:
            out.append(UserError(f"{label}（{cn_date(day)}）不能晚于今天", field=label))
    if record.unit_id is not None and record.unit_id not in {u.id for u in
                                                             org_store.list_units(ctx.db)}:
        out.append(UserError("所选站所科室不存在", field="单位"))
    if record.community_id is not None and record.community_id not in {
            c.id for c in org_store.list_communities(ctx.db)}:
        out.append(UserError("所选社区/村不存在", field="单位"))
    if isinstance(record, Interpretation) and record.notice_id is not None \
            and register_store.notice_title(ctx.db, record.notice_id) is None:
        out.append(UserError("所解读的信息不在登记簿中（可能已删除）", field="解读的政策文件"))
    if isinstance(record, HotlineCase):
        names = [c.name for c in hotline_channels(ctx)]
        kept = isinstance(old, HotlineCase) and old.channel == record.channel
        if record.channel and record.channel not in names and not kept:
            out.append(UserError(f"渠道“{record.channel}”不在渠道列表中，可选：{'、'.join(names)}",
                                 field="渠道"))
    if isinstance(record, Proposal) and record.number and register_store.proposal_number_taken(
            ctx.db, record.kind_of.value, record.received_on.year, record.number, record.id):
        out.append(UserError(f"{record.received_on.year}年的{record.kind_of.value}"
                             f"已有编号“{record.number}”", field="编号"))
    return out


def _happened(record: RegisterRecord) -> list[tuple[str, date | None]]:
    if isinstance(record, Interpretation):
        return [("解读日期", record.published_on)]
    if isinstance(record, HotlineCase):
        return [("受理日期", record.received_on), ("办结日期", record.closed_on)]
    if isinstance(record, Proposal):
        return [("交办日期", record.received_on), ("答复日期", record.replied_on)]
    return [("日期", record.held_on)]


def get_record(ctx: Context, kind: RegisterKind, record_id: int) -> RegisterRecord:
    found = register_store.get(ctx.db, kind, record_id)
    if found is None:
        raise NotFound(f"这条{kind.label}记录不存在（可能已被删除）")
    return found


@requires(PERMISSION)
def add_record(ctx: Context, record: RegisterRecord) -> RegisterRecord:
    """Register an entry (its ``id`` is ignored). A hotline case without 办理时限 gets the
    channel's default."""
    record = _check(ctx, replace(record, id=None))
    with ctx.db.atomic():
        new_id = register_store.insert(ctx.db, record, created_by=ctx.actor_id,
                                       now=ctx.now_utc())
        ctx.audit("create", OBJECT_TYPES[record.kind], new_id, after=_summary(record))
    return get_record(ctx, record.kind, new_id)


@requires(PERMISSION)
def update_record(ctx: Context, record: RegisterRecord) -> RegisterRecord:
    """Correct an entry (``record.id`` names it)."""
    if record.id is None:
        raise NotFound("要修改的记录尚未保存")
    old = get_record(ctx, record.kind, record.id)
    record = _check(ctx, record, old)
    if record == old:
        return old
    with ctx.db.atomic():
        register_store.update(ctx.db, record, now=ctx.now_utc())
        ctx.audit("update", OBJECT_TYPES[record.kind], record.id, before=_summary(old),
                  after=_summary(record))
    return get_record(ctx, record.kind, record.id)


@requires(PERMISSION)
@backup_first(Trigger.DELETE)
def delete_record(ctx: Context, kind: RegisterKind, record_id: int) -> None:
    old = get_record(ctx, kind, record_id)
    with ctx.db.atomic():
        register_store.delete(ctx.db, kind, record_id)
        ctx.audit("delete", OBJECT_TYPES[kind], record_id, before=_summary(old))


# ---- list and statistics -------------------------------------------------------------------------


def list_records(ctx: Context, kind: RegisterKind, f: ListFilter | None = None, *,
                 period: Period | None = None, limit: int | None = None
                 ) -> list[RegisterRecord]:
    """The entries of a register: filtered by ``f`` (unit, channel/kind/form, state, text) and
    by ``period`` (its start and end replace those of ``f``)."""
    f = f or ListFilter()
    if period is not None:
        f = replace(f, start=period.start, end=period.end)
    if f.today is None:
        f = replace(f, today=ctx.today())
    states = {RegisterKind.HOTLINE: ("办理中", "已超期", "已办结"),
              RegisterKind.PROPOSAL: ("未答复", "已答复")}.get(kind, ())
    if f.state and f.state not in states:
        raise UserError(f"“{f.state}”不是{kind.label}的状态" +
                        (f"，可选：{'、'.join(states)}" if states else ""), field="状态")
    return register_store.list_records(ctx.db, kind, f, limit=limit)


def record_years(ctx: Context, kind: RegisterKind) -> list[int]:
    """The years a register has entries in, newest first (for a year selector)."""
    return sorted({r.on.year for r in list_records(ctx, kind)}, reverse=True)


def notice_labels(ctx: Context, notice_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """(索引号, 标题) of the notices that 政策解读 entries link to (those that still exist)."""
    return register_store.notice_labels(ctx.db, notice_ids)


Stats = InterpretationStats | HotlineStats | ProposalStats | MeetingStats


def register_stats(ctx: Context, kind: RegisterKind, period: Period, *,
                   as_of: date | None = None) -> Stats:
    """Counts (and rates) of the entries in ``period``: 政策解读 by form, 舆情热线 by channel
    with 办结率/按时办结率 (cases closed by ``as_of`` when given), 建议提案 by kind with 答复率,
    培训会议 by kind with 人次."""
    records = list_records(ctx, kind, period=period)
    if kind is RegisterKind.INTERPRETATION:
        return interpretation_stats(records, period)  # type: ignore[arg-type]
    if kind is RegisterKind.HOTLINE:
        return hotline_stats(records, period, today=ctx.today(),  # type: ignore[arg-type]
                             channels=[c.name for c in hotline_channels(ctx)], as_of=as_of)
    if kind is RegisterKind.PROPOSAL:
        return proposal_stats(records, period)  # type: ignore[arg-type]
    return meeting_stats(records, period)  # type: ignore[arg-type]


def stats_summary(stats: Stats) -> str:
    """One sentence in the style of the annual reports (seed 004)."""
    p = stats.period.label
    if isinstance(stats, InterpretationStats):
        forms = "，".join(f"{f}{n}条" for f, n in stats.by_form if n)
        return f"{p}共发布政策解读{stats.total}条" + (f"（{forms}）" if forms else "")
    if isinstance(stats, HotlineStats):
        t = stats.total
        return (f"{p}共受理{t.received}件，办结{t.closed}件，办结率{format_rate(t.closure_rate)}，"
                f"按时办结率{format_rate(t.on_time_rate)}")
    if isinstance(stats, ProposalStats):
        return (f"{p}共承办建议提案{stats.total}件，已答复{stats.replied}件，"
                f"答复率{format_rate(stats.reply_rate)}")
    return f"{p}共举办培训和会议{stats.total}次，参加{stats.participants}人次"


# ---- columns shared by export, template and import -------------------------------------------------


@dataclass(frozen=True)
class _Col:
    key: str
    title: str  # the Chinese header (and the field name core problems use)
    kind: str  # date | text | int | bool | owner | notice | enum | channel
    required: bool = False
    synonyms: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    width: float = 12


_FORMS = tuple(f.value for f in InterpretationForm)
_SATISFACTION = tuple(s.value for s in Satisfaction)

COLUMNS: dict[RegisterKind, tuple[_Col, ...]] = {
    RegisterKind.INTERPRETATION: (
        _Col("published_on", "解读日期", "date", True, ("发布日期", "日期")),
        _Col("title", "解读标题", "text", True, ("标题", "解读名称"), width=30),
        _Col("form", "解读形式", "enum", True, ("形式", "解读方式"), _FORMS),
        _Col("notice", "政策信息索引号", "notice", False, ("索引号", "关联信息索引号"), width=20),
        _Col("policy_title", "解读的政策文件", "text", False, ("政策文件", "政策名称"), width=30),
        _Col("owner", "解读单位", "owner", False, ("发布单位", "单位")),
        _Col("note", "备注", "text", False, (), width=20),
    ),
    RegisterKind.HOTLINE: (
        _Col("received_on", "受理日期", "date", True, ("收到日期", "来件日期", "日期")),
        _Col("channel", "渠道", "channel", True, ("来源", "来件渠道", "类别")),
        _Col("case_number", "工单编号", "text", False, ("编号", "工单号")),
        _Col("subject", "事项", "text", True, ("内容", "诉求内容", "反映问题", "标题"), width=30),
        _Col("owner", "承办单位", "owner", True, ("办理单位", "责任单位")),
        _Col("due_on", "办理时限", "date", False, ("办理期限", "期限")),
        _Col("closed_on", "办结日期", "date", False, ("办结时间",)),
        _Col("fed_back", "结果是否反馈", "bool", False, ("是否反馈", "结果反馈")),
        _Col("satisfaction", "满意度", "enum", False, ("满意度评价",), _SATISFACTION),
        _Col("note", "备注", "text", False, (), width=20),
    ),
    RegisterKind.PROPOSAL: (
        _Col("kind_of", "类型", "enum", True, ("类别",), tuple(k.value for k in ProposalKind),
             width=14),
        _Col("number", "编号", "text", True, ("建议编号", "提案编号", "案号")),
        _Col("title", "标题", "text", True, ("案由", "题目", "内容"), width=30),
        _Col("lead", "领衔人", "text", False, ("提出人", "代表", "委员")),
        _Col("received_on", "交办日期", "date", True, ("收到日期", "日期")),
        _Col("owner", "承办单位", "owner", True, ("办理单位", "责任单位")),
        _Col("replied_on", "答复日期", "date", False, ("办结日期",)),
        _Col("satisfaction", "满意度", "enum", False, ("满意度评价",), _SATISFACTION[:3]),
        _Col("note", "备注", "text", False, (), width=20),
    ),
    RegisterKind.MEETING: (
        _Col("kind_of", "类型", "enum", True, ("类别",), tuple(k.value for k in MeetingKind)),
        _Col("held_on", "日期", "date", True, ("会议日期", "培训日期", "举办日期")),
        _Col("topic", "主题", "text", True, ("内容", "名称", "会议主题", "培训主题"), width=30),
        _Col("participants", "参加人数", "int", False, ("人数", "参会人数", "参训人数")),
        _Col("owner", "组织单位", "owner", False, ("主办单位", "单位")),
        _Col("note", "备注", "text", False, (), width=20),
    ),
}
_YES = {"是", "已反馈", "已", "Y", "y", "yes", "√", "1", "TRUE", "True", "true"}
_NO = {"否", "未反馈", "未", "N", "n", "no", "×", "0", "FALSE", "False", "false", ""}


def _owner_names(ctx: Context) -> tuple[dict[int, str], dict[int, str]]:
    return ({u.id: u.name for u in org_store.list_units(ctx.db)},
            {c.id: c.name for c in org_store.list_communities(ctx.db)})


def _cells(ctx: Context, kind: RegisterKind, records: Sequence[RegisterRecord]
           ) -> list[list[object]]:
    units, communities = _owner_names(ctx)
    notices = register_store.notice_labels(
        ctx.db, [r.notice_id for r in records
                 if isinstance(r, Interpretation) and r.notice_id is not None])
    rows = []
    for r in records:
        row: list[object] = []
        for c in COLUMNS[kind]:
            if c.key == "owner":
                value: object = units.get(r.unit_id or 0) or communities.get(
                    r.community_id or 0) or ""
            elif c.key == "notice":
                value = notices.get(r.notice_id or 0, ("", ""))[0]  # type: ignore[union-attr]
            elif c.key == "policy_title" and isinstance(r, Interpretation):
                value = r.policy_title or notices.get(r.notice_id or 0, ("", ""))[1]
            else:
                value = getattr(r, c.key)
            if isinstance(value, bool):
                value = "是" if value else "否"
            elif value is not None and hasattr(value, "value"):
                value = value.value
            row.append(value)
        rows.append(row)
    return rows


def export_register(ctx: Context, kind: RegisterKind, period: Period, path: str | Path, *,
                    f: ListFilter | None = None) -> int:
    """The entries of ``period`` (and filter) as a formatted .xlsx, with the period's counts
    under the title; the columns are the import's, so the file can be imported again. Returns
    the number of rows."""
    from govdesk.export.tables import Column, Table, write_xlsx

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError("只能导出为 .xlsx 文件", field="文件名")
    records = list_records(ctx, kind, f, period=period)
    columns = [Column(c.title, c.width, "date" if c.kind == "date" else
                      "int" if c.kind == "int" else "wrap" if c.width >= 30 else "text")
               for c in COLUMNS[kind]]
    rows = _cells(ctx, kind, records)
    if kind is RegisterKind.HOTLINE:
        columns.append(Column("状态", 8))
        today = ctx.today()
        for row, r in zip(rows, records, strict=True):
            row.append(r.state(today))  # type: ignore[union-attr]
    stats = register_stats(ctx, kind, period)
    table = Table(title=f"{period.label}{kind.label}登记表", columns=tuple(columns), rows=rows,
                  subtitle=stats_summary(stats))
    write_xlsx(path, table, sheet_names=[kind.label])
    return len(records)


def write_register_template(kind: RegisterKind, path: str | Path) -> Path:
    """An .xlsx with the register's headers, one example row and a sheet saying what each
    column accepts."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise UserError("模板只能保存为 .xlsx 文件", field="文件名")
    wb = Workbook()
    ws = wb.active
    ws.title = kind.label
    cols = COLUMNS[kind]
    ws.append([c.title for c in cols])
    ws.append(list(EXAMPLES[kind]))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for i, (cell, c) in enumerate(zip(ws[1], cols, strict=True), 1):
        cell.font, cell.fill = bold, fill
        letter = ws.cell(row=1, column=i).column_letter
        ws.column_dimensions[letter].width = c.width * 2.2 + 1
        for data_cell in ws[letter]:
            data_cell.number_format = "@"  # dates and numbers stay as typed
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 70
    notes.append(["项目", "可填写的内容"])
    for cell in notes[1]:
        cell.font, cell.fill = bold, fill
    notes.append(["说明", "第一张工作表每行一条记录；第2行是示例，导入前请删除或改成实际内容。"])
    notes.append(["说明", "任何一行有错误都不会导入，错误逐行逐列列出；同一文件重复导入不会重复登记。"])
    notes.append(["日期", "写成 2025-03-01 或 2025年3月1日；已发生的日期不能晚于今天。"])
    for c in cols:
        need = "必填" if c.required else "可不填"
        if c.choices:
            notes.append([c.title, f"{need}；可选：{'、'.join(c.choices)}"])
        elif c.kind == "owner":
            notes.append([c.title, f"{need}；填站所科室或社区/村的名称，须与设置中的名称一致"])
        elif c.kind == "bool":
            notes.append([c.title, "是 / 否（不填为否）；须先有办结日期"])
        elif c.kind == "notice":
            notes.append([c.title, "所解读信息在登记簿中的索引号；与“解读的政策文件”至少填一项"])
    if kind is RegisterKind.HOTLINE:
        for ch in DEFAULT_HOTLINE_CHANNELS:
            notes.append(["渠道", f"{ch.name}（办理时限未填时默认受理后{ch.days}个工作日，可在设置中修改）"])
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    wb.save(tmp)
    tmp.replace(target)
    return target


EXAMPLES: dict[RegisterKind, tuple[str, ...]] = {
    RegisterKind.INTERPRETATION: ("2025-03-12", "一图读懂2025年城乡居民医疗保险参保缴费政策", "图解",
                                  "", "关于做好2025年度城乡居民基本医疗保险参保缴费工作的通知",
                                  "党政办", ""),
    RegisterKind.HOTLINE: ("2025-04-07", "12345热线", "GD20250407001",
                           "反映云溪路路灯不亮，夜间出行不便", "城建办", "", "2025-04-10", "是",
                           "满意", ""),
    RegisterKind.PROPOSAL: ("人大代表建议", "第3号", "关于改善柳河村道路通行条件的建议", "王建国",
                            "2025-03-20", "城建办", "2025-06-15", "满意", ""),
    RegisterKind.MEETING: ("培训", "2025-05-16", "政务公开业务培训（公开栏规范化建设）", "45",
                           "党政办", ""),
}


# ---- import --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    skipped: int  # rows imported (or, for 建议提案, registered) before: not duplicated


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")


def _identity(kind: RegisterKind, r: RegisterRecord) -> str:
    if isinstance(r, Interpretation):
        basis = [r.published_on.isoformat(), r.title]
    elif isinstance(r, HotlineCase):
        basis = [r.channel, r.case_number] if r.case_number else [
            r.received_on.isoformat(), r.channel, r.subject]
    elif isinstance(r, Proposal):
        basis = [r.kind_of.value, str(r.received_on.year), r.number]
    else:
        basis = [r.kind_of.value, r.held_on.isoformat(), r.topic]
    return hashlib.sha256("\x1f".join([kind.value, *basis]).encode()).hexdigest()


@requires(PERMISSION)
@backup_first(Trigger.IMPORT)
def import_register(ctx: Context, kind: RegisterKind, path: str | Path) -> ImportResult:
    """Import a sheet into a register: every row or none (each problem named by row and
    column); rows imported before are skipped."""
    from govdesk.operations.ledger import match_columns, read_table_rows

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError("只能导入 .xlsx 文件（可先用模板：govdesk registers template）",
                        field="文件")
    cols = COLUMNS[kind]
    headers = {c.key: (c.title, *c.synonyms) for c in cols}
    header, rows = read_table_rows(
        path, header_marks=[n for c in cols if c.required for n in (c.title, *c.synonyms)],
        missing_header=f"找不到表头：“{path.name}”的第一张工作表中没有"
                       f"“{'”“'.join(c.title for c in cols if c.required)}”等列"
                       "（可先生成导入模板）")
    if not rows:
        raise UserError(f"“{path.name}”中没有{kind.label}记录")
    columns = match_columns(header, headers, [c.key for c in cols if c.required])
    title = f"“{path.name}”中有错误，未导入任何数据"
    parsed, problems = _parse(ctx, kind, columns, rows)
    if problems:
        raise ValidationErrors(problems, title=title)
    keys = [k for _line, k, _r in parsed]
    db = ctx.db
    created = skipped = 0
    with db.atomic():
        done = register_store.existing_import_keys(db, kind, keys)
        for _line, key, record in parsed:
            if key in done or (isinstance(record, Proposal) and
                               register_store.proposal_number_taken(
                                   db, record.kind_of.value, record.received_on.year,
                                   record.number, None)):
                skipped += 1
                continue
            register_store.insert(db, record, created_by=ctx.actor_id, now=ctx.now_utc(),
                                  import_key=key)
            created += 1
        ctx.audit("import_register", "file", path.name, register=kind.label, created=created,
                  skipped=skipped, sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    return ImportResult(created, skipped)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _parse(ctx: Context, kind: RegisterKind, columns: dict[str, int],
           rows: list[tuple[int, list[str]]]
           ) -> tuple[list[tuple[int, str, RegisterRecord]], list[str]]:
    cols = COLUMNS[kind]
    units, communities = _owner_names(ctx)
    owners: dict[str, tuple[int | None, int | None]] = {}
    for cid, name in communities.items():
        owners[_fold(name)] = (None, cid)
    for uid, name in units.items():  # a unit wins over a community of the same name
        owners[_fold(name)] = (uid, None)
    channels = hotline_channels(ctx)
    channel_names = {_fold(c.name): c.name for c in channels}
    problems: list[str] = []
    parsed: list[tuple[int, str, RegisterRecord]] = []
    seen: dict[str, int] = {}
    by_title = {c.title: c for c in cols}
    for line, raw in rows:
        row_problems: list[str] = []

        def bad(col: _Col, message: str, line: int = line,
                row_problems: list[str] = row_problems) -> None:
            where = f"{_letter(columns[col.key])} 列" if col.key in columns else ""
            row_problems.append(f"第 {line} 行 {where}“{col.title}”：{message}")

        values: dict[str, object] = {}
        for c in cols:
            text = raw[columns[c.key]] if c.key in columns and columns[c.key] < len(raw) else ""
            values[c.key] = _value(c, text, bad, owners, channel_names)
            if c.kind == "notice" and values[c.key]:
                values["notice_id"] = register_store.notice_by_index(ctx.db, text)
                if values["notice_id"] is None:
                    bad(c, f"登记簿中没有索引号为“{text}”的信息")
        if row_problems:
            problems.extend(row_problems)
            continue
        record = _record(kind, values)
        if isinstance(record, HotlineCase) and record.due_on is None:
            record = replace(record, due_on=default_due(record.received_on, record.channel,
                                                        ctx.calendar, channels))
        for p in [*record.problems(), *_import_context_problems(ctx, record)]:
            col = by_title.get(p.field or "") or _owner_col(cols, p.field)
            if col is not None:
                bad(col, p.message)
            else:
                row_problems.append(f"第 {line} 行：{p.message}")
        if row_problems:
            problems.extend(row_problems)
            continue
        key = _identity(kind, record)
        if key in seen:
            problems.append(f"第 {line} 行：与第 {seen[key]} 行是同一条记录（重复）")
            continue
        seen[key] = line
        parsed.append((line, key, record))
    return parsed, problems


def _owner_col(cols: Sequence[_Col], field: str | None) -> _Col | None:
    if field in ("单位", "解读单位", "承办单位", "组织单位"):
        return next((c for c in cols if c.key == "owner"), None)
    return None


def _import_context_problems(ctx: Context, record: RegisterRecord) -> list[UserError]:
    # the same checks as a typed entry, except the 编号 (an existing one is skipped, I5)
    out = _context_problems(ctx, record, None)
    return [p for p in out if p.field != "编号"]


def _value(c: _Col, text: str, bad: Callable[[_Col, str], None],
           owners: dict[str, tuple[int | None, int | None]],
           channel_names: dict[str, str]) -> object:
    from govdesk.operations.ledger import parse_date

    if not text:
        if c.required:
            bad(c, "不能为空")
        return None
    if c.kind == "date":
        try:
            return parse_date(text)
        except ValueError:
            bad(c, f"“{text}”不是日期，应写成 2025-03-01")
            return None
    if c.kind == "int":
        digits = text[:-2] if text.endswith(".0") else text  # Excel's 45.0
        if not digits.isdigit():
            bad(c, f"“{text}”不是人数（应为0或正整数）")
            return None
        return int(digits)
    if c.kind == "bool":
        if text in _YES:
            return True
        if text in _NO:
            return False
        bad(c, f"“{text}”应填“是”或“否”")
        return None
    if c.kind == "enum":
        if _fold(text) in {_fold(x) for x in c.choices}:
            return next(x for x in c.choices if _fold(x) == _fold(text))
        bad(c, f"“{text}”不是{c.title}，可选：{'、'.join(c.choices)}")
        return None
    if c.kind == "owner":
        found = owners.get(_fold(text))
        if found is None:
            bad(c, f"“{text}”不在站所科室或社区/村名单中（请与设置中的名称一致）")
        return found
    if c.kind == "channel":
        name = channel_names.get(_fold(text))
        if name is None:
            bad(c, f"“{text}”不是渠道，可选：{'、'.join(channel_names.values())}")
        return name
    return text  # text, and the 索引号 (looked up by _parse)


def _record(kind: RegisterKind, v: dict[str, object]) -> RegisterRecord:
    unit_id, community_id = v.get("owner") or (None, None)  # type: ignore[misc]
    text = {k: (x if isinstance(x, str) else "") for k, x in v.items()}
    if kind is RegisterKind.INTERPRETATION:
        return Interpretation(published_on=v["published_on"], title=text["title"],  # type: ignore[arg-type]
                              form=v["form"], notice_id=v.get("notice_id"),  # type: ignore[arg-type]
                              policy_title=text["policy_title"], unit_id=unit_id,
                              community_id=community_id, note=text["note"])
    if kind is RegisterKind.HOTLINE:
        return HotlineCase(received_on=v["received_on"], channel=text["channel"],  # type: ignore[arg-type]
                           case_number=text["case_number"], subject=text["subject"],
                           unit_id=unit_id, community_id=community_id,
                           due_on=v["due_on"], closed_on=v["closed_on"],  # type: ignore[arg-type]
                           fed_back=bool(v["fed_back"]),
                           satisfaction=v["satisfaction"] or Satisfaction.UNRATED,  # type: ignore[arg-type]
                           note=text["note"])
    if kind is RegisterKind.PROPOSAL:
        return Proposal(kind_of=v["kind_of"], number=text["number"], title=text["title"],  # type: ignore[arg-type]
                        lead=text["lead"], received_on=v["received_on"],  # type: ignore[arg-type]
                        unit_id=unit_id, community_id=community_id,
                        replied_on=v["replied_on"], satisfaction=v["satisfaction"],  # type: ignore[arg-type]
                        note=text["note"])
    return Meeting(kind_of=v["kind_of"], held_on=v["held_on"], topic=text["topic"],  # type: ignore[arg-type]
                   participants=v["participants"] or 0, unit_id=unit_id,  # type: ignore[arg-type]
                   community_id=community_id, note=text["note"])
