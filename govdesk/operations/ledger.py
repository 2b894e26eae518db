"""台账: exporting the register and the statistics, and importing an existing ledger."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from govdesk.core.backup_schedule import Trigger
from govdesk.core.errors import DiskFull, UserError, ValidationErrors
from govdesk.core.notices import (
    REGISTER_COLUMNS,
    WITHHOLD_GROUNDS,
    Disclosure,
    NoticeFilter,
    NoticeInput,
    NoticeStatus,
    PeriodUnit,
    PostingPeriod,
)
from govdesk.core.stats import DisclosureStats
from govdesk.operations import approvals as approval_ops
from govdesk.operations import notices as notice_ops
from govdesk.operations.backups import backup_first
from govdesk.operations.context import Context, requires
from govdesk.store import notice_store, org_store

_WIDTHS = {
    "index_number": 16, "title": 36, "doc_number": 14, "category": 10, "disclosure": 8,
    "owner": 10, "formed_on": 9, "publish_due": 9, "channels": 16, "status": 6,
    "published_on": 9,
}
_KINDS = {"formed_on": "date", "publish_due": "date", "published_on": "date", "title": "wrap"}
EXPORT_BATCH = 2000


def ledger_table(ctx: Context, f: NoticeFilter, *, sort: str = "formed_on",
                 descending: bool = False, filter_text: str = ""):
    """The register as an export Table; rows are streamed from the store in batches."""
    from govdesk.export.tables import Column, Table

    township = org_store.get_township(ctx.db)
    columns = tuple(
        Column(title, width=_WIDTHS[key], kind=_KINDS.get(key, "text"))
        for key, title in REGISTER_COLUMNS
    )

    def rows():
        offset = 0
        while True:
            batch = notice_store.query(ctx.db, f, sort=sort, descending=descending,
                                       offset=offset, limit=EXPORT_BATCH)
            for n in batch:
                yield [
                    n.index_number, n.title, n.doc_number, n.category, n.disclosure.value,
                    n.owner, n.formed_on, n.publish_due, n.channels, n.status.value,
                    n.published_on,
                ]
            if len(batch) < EXPORT_BATCH:
                return
            offset += EXPORT_BATCH

    year = f"（{f.year}年）" if f.year else ""
    now = ctx.clock().astimezone()
    return Table(
        title=f"{township.short_name or township.full_name}政府信息公开台账{year}",
        columns=columns,
        rows=rows(),
        subtitle=f"导出时间：{now.year}年{now.month}月{now.day}日　筛选：{filter_text or '全部'}",
    )


def export_ledger(ctx: Context, f: NoticeFilter, path: str | Path, *, filter_text: str = "",
                  sort: str = "formed_on", descending: bool = False) -> int:
    """Write the filtered register to .xlsx or .csv (by the file's extension); returns rows."""
    from govdesk.export.tables import write_csv, write_xlsx

    path = Path(path)
    total = notice_store.count(ctx.db, f)
    table = ledger_table(ctx, f, sort=sort, descending=descending, filter_text=filter_text)
    if path.suffix.lower() == ".csv":
        write_csv(path, table)
    elif path.suffix.lower() == ".xlsx":
        write_xlsx(path, table, sheet_names=["台账"])
    else:
        raise UserError("只能导出为 .xlsx 或 .csv 文件", field="文件名")
    return total


def stats_tables(ctx: Context, stats: DisclosureStats):
    from govdesk.export.tables import Column, Table

    township = org_store.get_township(ctx.db)
    s, e = stats.start, stats.end
    period = f"{s.year}年{s.month}月{s.day}日至{e.year}年{e.month}月{e.day}日"
    name = township.short_name or township.full_name
    cols = (Column("类别", 14),) + tuple(Column(ch, 8, "int") for ch in stats.channels) + (
        Column("合计", 8, "int"),
    )
    rows = []
    for c in stats.categories:
        values = [stats.category_channel(c, ch) for ch in stats.channels]
        rows.append([c, *values, sum(values)])
    by_channel = stats.by_channel()
    rows.append(["合计", *[by_channel[ch] for ch in stats.channels], stats.total])
    t1 = Table(
        title=f"{name}主动公开政府信息统计（按类别和公开方式）",
        subtitle=f"统计期间：{period}　公开信息 {stats.items} 条，各渠道发布合计 {stats.total} 条次",
        columns=cols, rows=rows,
    )
    mcols = (Column("类别", 14),) + tuple(Column(f"{m}月", 6, "int") for m in stats.months) + (
        Column("合计", 8, "int"),
    )
    mrows = []
    for c in stats.categories:
        values = [stats.category_month(c, m) for m in stats.months]
        mrows.append([c, *values, sum(values)])
    by_month = stats.by_month()
    mrows.append(["合计", *[by_month[m] for m in stats.months], stats.total])
    t2 = Table(
        title=f"{name}主动公开政府信息统计（按类别和月份）",
        subtitle=f"统计期间：{period}（按各渠道发布条次计）", columns=mcols, rows=mrows,
    )
    return [t1, t2]


def export_stats(ctx: Context, stats: DisclosureStats, path: str | Path) -> None:
    from govdesk.export.tables import write_xlsx

    write_xlsx(Path(path), stats_tables(ctx, stats), sheet_names=["按公开方式", "按月份"])


# ---- import ----------------------------------------------------------------------------------------

# Chinese headers accepted for each field; the first is the one our own CSV export writes.
HEADERS: dict[str, tuple[str, ...]] = {
    "index_number": ("索引号",),
    "title": ("标题", "信息名称", "名称"),
    "body": ("正文", "内容", "内容摘要"),
    "doc_number": ("文号", "发文字号"),
    "category": ("类别", "信息类别", "公开目录类别"),
    "disclosure": ("公开属性",),
    "withhold_ground": ("理由", "不公开理由", "不予公开理由"),
    "owner": ("责任单位", "发布机构", "责任单位或社区"),
    "formed_on": ("形成日期", "信息形成（变更）日期", "信息形成日期", "成文日期"),
    "channels": ("公开方式", "公开渠道"),
    "period_start": ("公示开始", "公示期开始"),
    "period_end": ("公示结束", "公示期结束"),
    "period_unit": ("公示期单位",),
    "note": ("附注",),
    "status": ("状态",),
    "published_on": ("公开日期", "发布日期"),
}
REQUIRED = ("title", "category", "owner", "formed_on")
MAX_IMPORT_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    skipped: int  # rows already imported before (same content): not duplicated


def _norm(text: object) -> str:
    if text is None:
        return ""
    if isinstance(text, datetime):
        return text.date().isoformat()
    if isinstance(text, date):
        return text.isoformat()
    value = unicodedata.normalize("NFKC", str(text)).strip()
    # I7: our CSV export puts one ' before a cell that starts like a formula; only that one is
    # taken off again (a title that really starts with ' keeps it).
    if value[:1] == "'" and value[1:2] and value[1] in "=+-@\t\r\n":
        return value[1:]
    return value


def read_table_rows(path: Path, *, header_marks: Iterable[str], missing_header: str
                    ) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-empty rows (row number, normalised values) of a CSV (UTF-8 or
    GBK) or of the first sheet of an xlsx. The header is the first row holding one of
    ``header_marks`` (a title row above it, as our own exports have, is skipped);
    ``missing_header`` is the message when none does. Every refusal is a Chinese UserError:
    missing or empty file, over 20 MB or MAX_IMPORT_ROWS rows, unknown encoding, and for xlsx everything the shared
    pre-flight refuses (export.xlsx_safety: renamed files, zip and XML bombs, formulas saved
    without a computed value)."""
    from govdesk.export import xlsx_safety

    marks = set(header_marks)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = xlsx_safety.check_file(path).read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):  # gb18030 reads GBK files as well
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UserError("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV")
        if "\x00" in text:
            # Python's csv module no longer refuses NUL; such a file is not a table an office
            # saved, and a NUL would end up inside a title.
            raise UserError(f"“{path.name}”中含有空字符（NUL），不是正常的 CSV 文件；"
                            "请用 Excel 或 WPS 打开后重新“另存为” CSV")
        try:
            rows: Iterable[Sequence[object]] = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise UserError(f"CSV 格式有误：{exc}") from None
        return _header_and_body(rows, marks, missing_header)
    if suffix == ".xlsx":
        with xlsx_safety.open_xlsx(path, read_only=True) as (values, formulas):
            rows = list(values.worksheets[0].iter_rows(values_only=True))
            xlsx_safety.refuse_uncached_formulas(path, xlsx_safety.uncached_formulas(
                rows, formulas.worksheets[0].iter_rows(values_only=True)))
            return _header_and_body(rows, marks, missing_header)
    raise UserError("只能导入 .csv 或 .xlsx 文件")


def _header_and_body(rows: Iterable[Sequence[object]], marks: set[str], missing_header: str
                     ) -> tuple[list[str], list[tuple[int, list[str]]]]:
    header: list[str] | None = None
    body: list[tuple[int, list[str]]] = []
    for i, r in enumerate(rows, 1):
        values = [_norm(v) for v in r]
        if header is None:
            if marks.intersection(values):
                header = values
            continue
        if any(values):
            body.append((i, values))
    if header is None:
        raise UserError(missing_header)
    if len(body) > MAX_IMPORT_ROWS:
        raise UserError(f"一次最多导入 {MAX_IMPORT_ROWS} 行，这个文件有 {len(body)} 行")
    return header, body


def match_columns(header: Sequence[str], headers: dict[str, tuple[str, ...]],
                  required: Iterable[str]) -> dict[str, int]:
    """Each field's column (0-based): the first header cell that is one of its accepted names.
    A required field without a column is refused, naming every missing column."""
    columns: dict[str, int] = {}
    for key, names in headers.items():
        for i, h in enumerate(header):
            if h in names:
                columns[key] = i
                break
    missing = [headers[k][0] for k in required if k not in columns]
    if missing:
        raise UserError(f"文件缺少必需的列：{'、'.join(missing)}")
    return columns


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    return read_table_rows(path, header_marks=HEADERS["title"],
                           missing_header="找不到表头：第一张工作表中没有“标题”列")


def parse_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?", text)
    if not m:
        raise ValueError
    return date(int(m[1]), int(m[2]), int(m[3]))


@requires("notice.edit")
@backup_first(Trigger.IMPORT)
def import_notices(ctx: Context, path: str | Path) -> ImportResult:
    """Import a ledger file: all rows or none. Every bad row and field is listed. Rows imported
    before (same content) are skipped, so importing the same file twice duplicates nothing."""
    path = Path(path)
    header, rows = _read_rows(path)
    columns = match_columns(header, HEADERS, REQUIRED)
    db = ctx.db
    categories = {c.name: c for c in org_store.list_categories(db, active_only=True)}
    units = {u.name: u.id for u in org_store.list_units(db, active_only=True)}
    communities = {c.name: c.id for c in org_store.list_communities(db, active_only=True)}
    channels = {c.name: c.id for c in org_store.list_channels(db, active_only=True)}
    problems: list[str] = []
    parsed: list[tuple[NoticeInput, str, NoticeStatus, date | None, str, str]] = []
    seen_keys: set[str] = set()
    for line, values in rows:
        def get(key: str, values: list[str] = values) -> str:
            i = columns.get(key)
            return values[i] if i is not None and i < len(values) else ""

        row_problems: list[str] = []

        def bad(label: str, msg: str, line: int = line, row_problems: list[str] = row_problems) -> None:
            row_problems.append(f"第 {line} 行“{label}”：{msg}")

        title = get("title")
        if not title:
            bad("标题", "不能为空")
        cat = categories.get(get("category"))
        if cat is None:
            bad("类别", f"“{get('category')}”不存在，可选：{'、'.join(categories)}")
        owner = get("owner")
        unit_id, community_id = units.get(owner), communities.get(owner)
        if unit_id is None and community_id is None:
            bad("责任单位", f"“{owner}”不是已登记的站所科室或社区/村")
        try:
            formed_on = parse_date(get("formed_on"))
            if formed_on is None:
                bad("形成日期", "不能为空")
        except ValueError:
            formed_on = None
            bad("形成日期", f"“{get('formed_on')}”不是日期，应写成 2025-03-01")
        disclosure = Disclosure.PROACTIVE
        if get("disclosure"):
            try:
                disclosure = Disclosure.from_text(get("disclosure"))
            except ValueError as exc:
                bad("公开属性", str(exc))
        ground = get("withhold_ground")
        if disclosure is not Disclosure.PROACTIVE:
            match = [g for g in WITHHOLD_GROUNDS if ground and (ground in g or g in ground)]
            if not match:
                bad("理由", f"“{disclosure.value}”须写明条例第十四、十五、十六条的理由")
            else:
                ground = match[0]
        chan_ids = []
        for name in re.split(r"[、,，;；/\s]+", get("channels")):
            if not name:
                continue
            if name not in channels:
                bad("公开方式", f"“{name}”不存在，可选：{'、'.join(channels)}")
            else:
                chan_ids.append(channels[name])
        period = None
        try:
            ps, pe = parse_date(get("period_start")), parse_date(get("period_end"))
            if ps and pe:
                unit = PeriodUnit(get("period_unit") or "天")
                period = PostingPeriod(ps, pe, unit)
            elif ps or pe:
                bad("公示期", "开始和结束日期须同时填写")
        except ValueError:
            bad("公示期", "日期应写成 2025-03-01，单位只能是“天”或“工作日”")
        status = NoticeStatus.DRAFT
        if get("status"):
            try:
                status = NoticeStatus.from_text(get("status"))
            except ValueError as exc:
                bad("状态", str(exc))
        published_on = None
        try:
            published_on = parse_date(get("published_on"))
        except ValueError:
            bad("公开日期", f"“{get('published_on')}”不是日期")
        if status in (NoticeStatus.PUBLISHED, NoticeStatus.TAKEN_DOWN, NoticeStatus.EXPIRED) and (
            published_on is None
        ):
            bad("公开日期", f"状态为“{status.value}”时须填写公开日期")
        if row_problems:
            problems.extend(row_problems)
            continue
        assert formed_on is not None and cat is not None
        data = NoticeInput(
            title=title, body=get("body"), doc_number=get("doc_number"), category_id=cat.id,
            disclosure=disclosure, withhold_ground=ground if disclosure is not Disclosure.PROACTIVE else "",
            unit_id=unit_id, community_id=community_id if unit_id is None else None,
            formed_on=formed_on, channel_ids=tuple(chan_ids), period=period, note=get("note"),
        )
        # The row's identity for re-imports: its content, not its position in the file.
        key = hashlib.sha256(
            "\x1f".join([title, get("doc_number"), cat.name, owner, formed_on.isoformat(),
                         get("index_number")]).encode()
        ).hexdigest()
        if key in seen_keys:
            problems.append(f"第 {line} 行：与前面的行完全重复")
            continue
        seen_keys.add(key)
        parsed.append((data, key, status, published_on, str(line), get("index_number")))
    if problems:
        raise ValidationErrors(problems, title=f"“{path.name}”中有错误，未导入任何数据")
    created = skipped = 0
    with db.atomic():
        for data, key, status, published_on, line, index in parsed:
            if notice_store.find_by_import_key(db, key) is not None:
                skipped += 1
                continue
            try:
                notice = notice_ops.create_notice(ctx, data, import_key=key,
                                                  index_number=index or None)
            except DiskFull:
                raise  # no row is to blame
            except UserError as exc:
                problems = exc.problems if isinstance(exc, ValidationErrors) else [exc.message]
                raise ValidationErrors(
                    [f"第 {line} 行：{p}" for p in problems],
                    title=f"“{path.name}”中有错误，未导入任何数据",
                ) from None
            if status is NoticeStatus.PENDING:
                approval_ops.submit_for_approval(ctx, notice.id)
            elif status is not NoticeStatus.DRAFT:
                # A historical ledger row keeps the status and date it already has; its approval
                # happened on paper before govdesk, and is recorded as such.
                approval_ops.record_prior_approval(ctx, notice.id, "台账导入：导入前已审批")
                notice_store.set_status(db, notice.id, status, published_on=published_on,
                                        updated_at=ctx.now_utc())
                ctx.audit("import_status", "notice", notice.id, status=status.value,
                          published_on=published_on.isoformat() if published_on else None)
            created += 1
        ctx.audit("import", "file", path.name, created=created, skipped=skipped,
                  sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    return ImportResult(created, skipped)
