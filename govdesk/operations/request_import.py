"""导入申请台账: bring an existing 政府信息公开申请 register (.xlsx or .csv) into govdesk, and write
the blank template for it.

Decisions:

* All or nothing, like the 台账 import of notices (operations.ledger): every bad row is named by
  its row number and column, in Chinese, and nothing is written while any row is wrong.
* Every application goes through operations.requests (register_request, then close_request when
  the row has a 办结日期), so an imported application is numbered, clocked and logged exactly
  like one typed in; one summary entry in the 操作日志 names the file and its hash.
* A row's identity is its 编号 when the office gave one, else the hash of what identifies the
  application (channel, dates, applicant, content) — not its result. Importing the same file again
  changes nothing; importing a later copy of the register, in which an application that was open
  has since been closed, closes it (its registration is not touched).
* The receipt date (收到申请之日) is never typed: it follows from 申请方式 and the dates
  (条例第三十一条, core.requests.receipt_date), so 邮寄 needs 签收日期 and the online channels
  need 确认日期.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from govdesk.core.backup_schedule import Trigger
from govdesk.core.errors import UserError, ValidationErrors
from govdesk.core.requests import (
    ApplicantKind,
    Channel,
    Outcome,
    RequestInput,
    receipt_date,
)
from govdesk.operations import requests as request_ops
from govdesk.operations.backups import backup_first
from govdesk.operations.context import Context, requires
from govdesk.operations.ledger import (
    match_columns,
    parse_date,
    read_table_rows,
)
from govdesk.store import request_store

# Chinese headers accepted for each field; the first is the one the template writes.
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("编号", "申请编号"),
    "channel": ("申请方式", "提交方式", "申请渠道"),
    "submitted_on": ("提交日期", "申请日期"),
    "signed_on": ("签收日期",),
    "confirmed_on": ("确认日期",),
    "applicant_kind": ("申请人类型", "申请人类别"),
    "applicant": ("申请人", "申请人姓名或名称", "申请人姓名"),
    "contact": ("联系方式", "联系电话", "通讯地址"),
    "content": ("申请内容", "申请公开的内容"),
    "closed_on": ("办结日期", "答复日期"),
    "outcome": ("办理结果",),
    "detail": ("办理说明", "备注"),
}
REQUIRED = ("channel", "submitted_on", "applicant_kind", "applicant", "content")
TEMPLATE_HEADERS = tuple(names[0] for names in HEADERS.values())

# What offices write besides the exact names (after NFKC, so full-width forms are folded).
_CHANNEL_ALIASES = {
    "当面提交": Channel.IN_PERSON, "现场": Channel.IN_PERSON, "现场提交": Channel.IN_PERSON,
    "来访": Channel.IN_PERSON,
    "挂号信": Channel.REGISTERED_POST, "邮政": Channel.REGISTERED_POST, "快递": Channel.REGISTERED_POST,
    "EMS": Channel.REGISTERED_POST,
    "信函": Channel.ORDINARY_LETTER, "平信": Channel.ORDINARY_LETTER,
    "互联网": Channel.INTERNET, "网上": Channel.INTERNET, "网上申请": Channel.INTERNET,
    "网络": Channel.INTERNET,
    "邮件": Channel.EMAIL, "电子邮箱": Channel.EMAIL, "Email": Channel.EMAIL,
    "email": Channel.EMAIL, "E-mail": Channel.EMAIL,
}
_KIND_ALIASES = {
    "个人": ApplicantKind.PERSON, "公民": ApplicantKind.PERSON,
    "企业": ApplicantKind.BUSINESS, "公司": ApplicantKind.BUSINESS,
    "律师事务所": ApplicantKind.LEGAL_SERVICE, "公益组织": ApplicantKind.PUBLIC_WELFARE,
    "其他组织": ApplicantKind.OTHER,
}
_DATE_FIELDS = ("submitted_on", "signed_on", "confirmed_on", "closed_on")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def _choices(values: dict[str, object]) -> dict[str, object]:
    return {_fold(k): v for k, v in values.items()}


_CHANNELS = _choices({**{c.value: c for c in Channel}, "互联网": Channel.INTERNET,
                      **_CHANNEL_ALIASES})
_KINDS = _choices({**{k.value: k for k in ApplicantKind}, **_KIND_ALIASES})


def _outcomes() -> dict[str, Outcome]:
    # The code ("3.1"), the label as a reader names it ("不予公开：1.属于国家秘密"), the group
    # alone for the two rows without 三级 rows ("予以公开", "（二）部分公开（…）"), and a 三级 row
    # label without its group ("1.属于国家秘密", "属于国家秘密") where that is unambiguous.
    out: dict[str, Outcome] = {}
    rows: dict[str, list[Outcome]] = {}
    for o in Outcome:
        out[_fold(o.code)] = o
        out[_fold(o.label)] = o
        if not o.row_label:
            out[_fold(o.group.value)] = o
            continue
        for text in (o.row_label, o.row_label.split(".", 1)[1]):
            rows.setdefault(_fold(text), []).append(o)
    for text, found in rows.items():
        if len(found) == 1:
            out.setdefault(text, found[0])
    return out


_OUTCOMES = _outcomes()


def parse_outcome(text: str) -> Outcome:
    """办理结果 from a 台账 cell: the 表三 row's code or its label."""
    found = _OUTCOMES.get(_fold(text))
    if found is None:
        raise ValueError(
            f"“{text}”不是年报表三的办理结果，可填编号（如 3.1）或名称（如“不予公开：1.属于国家秘密”）"
        )
    return found


@dataclass(frozen=True, slots=True)
class RequestImportResult:
    created: int  # applications registered
    closed: int  # of which, or of earlier imported open ones, closed with their result
    skipped: int  # rows imported before, with nothing new
    numbers: tuple[str, ...] = ()  # 申请编号 given to the new applications


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    key: str
    data: RequestInput
    closed_on: date | None
    outcome: Outcome | None
    detail: str
    number: str


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (the first row naming 申请方式) and the non-empty rows of the file."""
    return read_table_rows(
        path, header_marks=HEADERS["channel"],
        missing_header=f"找不到表头：“{path.name}”中没有“申请方式”列（可先用模板：govdesk 生成的"
                       "申请台账导入模板）")


def _identity(values: dict[str, str]) -> str:
    # The 编号 when given; else what identifies the application, not its result (so a later copy
    # of the register with the result filled in is the same application).
    if values["number"]:
        basis = ["编号", values["number"]]
    else:
        basis = [values[k] for k in ("channel", "submitted_on", "signed_on", "confirmed_on",
                                     "applicant_kind", "applicant", "contact", "content")]
    return hashlib.sha256("\x1f".join(basis).encode()).hexdigest()


def _parse(ctx: Context, header: list[str], rows: list[tuple[int, list[str]]]
           ) -> tuple[list[_Row], list[str]]:
    columns = match_columns(header, HEADERS, REQUIRED)
    today = ctx.today()
    problems: list[str] = []
    parsed: list[_Row] = []
    seen: dict[str, int] = {}
    for line, raw in rows:
        values = {k: (raw[i] if i < len(raw) else "") for k, i in columns.items()}
        for k in HEADERS:
            values.setdefault(k, "")
        row_problems: list[str] = []

        def bad(column: str, message: str, line: int = line,
                row_problems: list[str] = row_problems) -> None:
            row_problems.append(f"第 {line} 行“{column}”：{message}")

        channel = _CHANNELS.get(_fold(values["channel"]))
        if not values["channel"]:
            bad("申请方式", "不能为空")
        elif channel is None:
            bad("申请方式", f"“{values['channel']}”不是申请方式，可选："
                f"{'、'.join(c.value for c in Channel)}")
        kind = _KINDS.get(_fold(values["applicant_kind"]))
        if not values["applicant_kind"]:
            bad("申请人类型", "不能为空")
        elif kind is None:
            bad("申请人类型", f"“{values['applicant_kind']}”不是申请人类型，可选："
                f"{'、'.join(k.value for k in ApplicantKind)}")
        dates: dict[str, date | None] = {}
        for key in _DATE_FIELDS:
            column = HEADERS[key][0]
            try:
                dates[key] = parse_date(values[key])
            except ValueError:
                dates[key] = None
                bad(column, f"“{values[key]}”不是日期，应写成 2025-03-01")
                continue
            except (TypeError, OverflowError):  # pragma: no cover - defensive
                dates[key] = None
                bad(column, f"“{values[key]}”不是日期")
                continue
            d = dates[key]
            if d is not None and d > today:
                bad(column, f"{d.year}年{d.month}月{d.day}日晚于今天，请核对")
                dates[key] = None
        submitted = dates["submitted_on"]
        if submitted is None and not values["submitted_on"]:
            bad("提交日期", "不能为空")
        outcome = None
        if values["outcome"]:
            try:
                outcome = parse_outcome(values["outcome"])
            except ValueError as exc:
                bad("办理结果", str(exc))
        closed_on = dates["closed_on"]
        if values["closed_on"] and not values["outcome"]:
            bad("办理结果", "填写了办结日期，须同时填写办理结果（年报表三的一行）")
        if values["outcome"] and not values["closed_on"]:
            bad("办结日期", "填写了办理结果，须同时填写办结日期")
        data = None
        if channel is not None and kind is not None and submitted is not None:
            data = RequestInput(
                channel=channel, submitted_on=submitted, applicant_kind=kind,
                applicant_name=values["applicant"], content=values["content"],
                applicant_contact=values["contact"], signed_on=dates["signed_on"],
                confirmed_on=dates["confirmed_on"])
            for p in data.problems():
                bad(_COLUMN_OF_FIELD.get(p.field or "", p.field or "申请"), p.message)
            if not any(p.field in ("signed_on", "confirmed_on") for p in data.problems()):
                received = receipt_date(channel, submitted, dates["signed_on"],
                                        dates["confirmed_on"])
                if closed_on is not None and closed_on < received:
                    bad("办结日期", f"早于收到申请之日（{received.year}年{received.month}月"
                        f"{received.day}日）")
        else:
            for field, column in (("applicant", "申请人"), ("content", "申请内容")):
                if not values[field]:
                    bad(column, "不能为空")
        if row_problems:
            problems.extend(row_problems)
            continue
        assert data is not None
        key = _identity(values)
        if key in seen:
            what = "编号" if values["number"] else "内容"
            problems.append(f"第 {line} 行：与第 {seen[key]} 行{what}重复")
            continue
        seen[key] = line
        parsed.append(_Row(line, key, data, closed_on, outcome, values["detail"],
                           values["number"]))
    return parsed, problems


_COLUMN_OF_FIELD = {"申请人": "申请人", "申请内容": "申请内容", "联系方式": "联系方式",
                    "signed_on": "签收日期", "confirmed_on": "确认日期"}


@requires(request_ops.PERMISSION)
@backup_first(Trigger.IMPORT)
def import_requests(ctx: Context, path: str | Path) -> RequestImportResult:
    """Import a register of applications: every row or none (each problem named by row and
    column). Rows imported before are skipped, or closed when the file now has their result."""
    path = Path(path)
    header, rows = _read_rows(path)
    if not rows:
        raise UserError(f"“{path.name}”中没有申请记录")
    parsed, problems = _parse(ctx, header, rows)
    title = f"“{path.name}”中有错误，未导入任何数据"
    if problems:
        raise ValidationErrors(problems, title=title)
    created = closed = skipped = 0
    numbers: list[str] = []
    db = ctx.db
    with db.atomic():
        for row in parsed:
            try:
                existing = request_store.find_by_import_key(db, row.key)
                if existing is not None:
                    request = request_store.get_request(db, existing)
                    assert request is not None
                    if request.is_open and row.outcome is not None:
                        request_ops.close_request(ctx, existing, row.outcome, on=row.closed_on,
                                                  detail=row.detail)
                        closed += 1
                    else:
                        skipped += 1
                    continue
                request = request_ops.register_request(ctx, row.data, import_key=row.key)
                numbers.append(request.number)
                created += 1
                if row.outcome is not None:
                    request_ops.close_request(ctx, request.id, row.outcome, on=row.closed_on,
                                              detail=row.detail)
                    closed += 1
            except UserError as exc:
                found = exc.problems if isinstance(exc, ValidationErrors) else [exc.message]
                raise ValidationErrors([f"第 {row.line} 行：{p}" for p in found],
                                       title=title) from None
        ctx.audit("import_requests", "file", path.name, created=created, closed=closed,
                  skipped=skipped, numbers=numbers,
                  sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    return RequestImportResult(created, closed, skipped, tuple(numbers))


# ---- the template ------------------------------------------------------------------------------

EXAMPLE_ROW = ("", "邮寄", "2025-03-03", "2025-03-05", "", "自然人", "张某某",
               "云溪镇柳河村三组", "2024年度柳河村农村低保资金发放名单及发放标准", "2025-03-20",
               "予以公开", "已向申请人提供2024年度低保资金发放公示材料复印件")


def write_import_template(path: str | Path) -> Path:
    """An .xlsx with the import's headers and one example row, and a sheet listing what each
    column accepts (申请方式, 申请人类型, 办理结果 by code and label)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise UserError("模板只能保存为 .xlsx 文件", field="文件名")
    wb = Workbook()
    ws = wb.active
    ws.title = "申请台账"
    ws.append(list(TEMPLATE_HEADERS))
    ws.append(list(EXAMPLE_ROW))
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
    widths = {"申请内容": 40, "办理结果": 28, "办理说明": 30, "联系方式": 20, "申请人": 16}
    for i, name in enumerate(TEMPLATE_HEADERS, 1):
        letter = ws.cell(row=1, column=i).column_letter
        ws.column_dimensions[letter].width = widths.get(name, 12)
        # Dates and codes stay text: Excel would turn "3.1" into a number.
        for cell in ws[letter]:
            cell.number_format = "@"
    ws.freeze_panes = "A2"

    notes = wb.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 70
    lines: list[tuple[str, str]] = [
        ("说明", "第一张工作表每行一件申请；第2行是示例，导入前请删除或改成实际内容。"),
        ("说明", "有错误的行会逐行列出，文件中任何一行有错都不会导入；同一文件重复导入不会重复登记。"),
        ("编号", "可不填；填写的，作为该件申请的识别号，再次导入时据此判断是否已导入。"),
        ("日期", "写成 2025-03-01 或 2025年3月1日；不能晚于今天。"),
        ("签收日期", "邮寄的申请必填（以签收之日为收到申请之日，条例第三十一条）。"),
        ("确认日期", "平常信函、互联网/网上、传真、电子邮件必填（以与申请人确认之日为收到申请之日）。"),
        ("办结日期", "已办结的申请填写，须同时填写办理结果；未办结的两项都不填。"),
    ]
    lines += [("申请方式", c.value) for c in Channel]
    lines += [("申请人类型", k.value) for k in ApplicantKind]
    lines += [("办理结果", f"{o.code}　{o.label}") for o in Outcome]
    notes.append(["项目", "可填写的内容"])
    for cell in notes[1]:
        cell.font = bold
        cell.fill = fill
    for item in lines:
        notes.append(list(item))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    wb.save(tmp)
    tmp.replace(target)
    return target
