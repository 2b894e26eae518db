"""The 月抽查记分表 as user actions (issue 5, item 8): write the fill-in template of a month, read
a filled-in one into a plan (every problem at once, with sheet, row and column), and import it
all-or-nothing through :func:`govdesk.operations.scoring.save_month`.

Decisions:

* A file is judged against the 考核细则 version its month is scored by (the quarter's version,
  else the year's current one — what :func:`~govdesk.operations.scoring.month_sheet` shows), not
  against the version recorded in the file: a template downloaded before the scheme changed
  still imports if its indicators still exist, and an indicator that no longer exists is named.
* A month that already has checks is never replaced silently: :func:`import_sheet` raises
  :class:`MonthAlreadyChecked` and the caller asks, then calls again with ``replace=True``.
  Replacing means the file becomes the month (a community marked 否 or left out loses its
  stored check), as with saving the grid.
* A file whose checks equal the stored ones is a no-op: nothing is written, not even an audit
  entry, so importing the same file twice changes nothing.
* Numbers typed as text ("5", "1.5") are accepted, since pasting from another sheet often gives
  text; any other text in a score cell is a problem. 0 means nothing deducted, like an empty cell.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from govdesk.core.backup_schedule import Trigger
from govdesk.core.errors import UserError, ValidationErrors
from govdesk.core.scoring import (
    Deduction,
    Scheme,
    SchemeVersion,
    SpotCheck,
    deduction_for_points,
)
from govdesk.export import score_sheet
from govdesk.operations import scoring
from govdesk.operations.backups import backup_first
from govdesk.operations.context import Context, requires
from govdesk.operations.ledger import parse_date
from govdesk.store import org_store

__all__ = ["MonthAlreadyChecked", "SheetPlan", "import_sheet", "read_plan", "write_template"]

PERMISSION = scoring.PERMISSION
MAX_REASON_CHARS = 200
MAX_CHECKER_CHARS = 50


class MonthAlreadyChecked(UserError):
    """The month of the file already has (different) checks; importing would replace them."""

    def __init__(self, year: int, month: int, count: int) -> None:
        super().__init__(
            f"{year}年{month}月已有{count}个社区（村）的抽查记录，与文件中的不同。"
            "如需用文件中的数据替换这个月的全部抽查记录，请选择“替换”"
            "（命令行加 --replace）后重新导入。")
        self.year = year
        self.month = month
        self.count = count


@dataclass(frozen=True)
class SheetPlan:
    """What importing the file would do, judged without writing anything."""

    file_name: str
    sha256: str
    year: int
    month: int
    scheme: SchemeVersion | None  # None: the year has no scheme yet (created on import)
    preview_scheme: Scheme  # the scheme the checks were validated against
    checks: tuple[SpotCheck, ...]
    names: dict[int, str]  # community id → name, for the checks
    existing: int  # communities of the month already checked in the database
    identical: bool  # the stored checks are exactly the file's (importing changes nothing)

    @property
    def period(self) -> str:
        return f"{self.year}年{self.month}月"


# --------------------------------------------------------------------------- template

def _township(ctx: Context) -> str:
    t = org_store.get_township(ctx.db)
    return t.full_name or t.short_name or ""


@requires(PERMISSION)
def write_template(ctx: Context, year: int, month: int, path: str | os.PathLike[str]) -> int:
    """Write the 月抽查记分表 of ``year``/``month`` to ``path`` (.xlsx): the month's communities
    and the indicators of the version the month is scored by (the year's scheme is created from
    last year's or the default if it has none). Returns the number of communities. Audited."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise UserError("记分表只能保存为 .xlsx 文件", field="文件名")
    sheet = scoring.month_sheet(ctx, year, month)
    if not sheet.communities:
        raise UserError("还没有登记社区（村）：请先在“设置”中添加社区（村），再生成记分表")
    with ctx.db.atomic():
        # One transaction: if the file cannot be written, a scheme created for it is undone.
        version = sheet.scheme if sheet.scheme is not None else scoring.ensure_scheme(ctx, year)
        score_sheet.write_template(
            target, scheme=version.scheme, communities=sheet.communities, year=year,
            month=month, township=_township(ctx), scheme_id=version.id,
            scheme_version=version.version)
        ctx.audit("export", "file", target.name, kind="月抽查记分表", month=f"{year}-{month:02d}",
                  communities=len(sheet.communities), scheme_id=version.id)
    return len(sheet.communities)


# --------------------------------------------------------------------------- reading a file

def _scheme_for(ctx: Context, year: int, month: int) -> tuple[SchemeVersion | None, Scheme]:
    """The version the month is scored by, or (None, what the first save will create)."""
    sheet = scoring.month_sheet(ctx, year, month)
    return sheet.scheme, sheet.preview_scheme


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _month(value: object) -> tuple[int, int] | None:
    if isinstance(value, datetime | date):
        return value.year, value.month
    if isinstance(value, str):
        try:
            return scoring.parse_month(value)
        except UserError:
            return None
    return None


def _date(value: object) -> date | None:
    """A typed date: a date cell, or text 2017-07-25 / 2017/7/25 / 2017年7月25日; else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value)  # the 台账 imports' reading of a typed date
        except ValueError:
            return None
    return None


_CHECKED = {"是": True, "√": True, "✓": True, "y": True, "yes": True,
            "否": False, "×": False, "n": False, "no": False}


def _points(value: object) -> Decimal | str:
    """The points typed in a score cell, or the problem (without the cell) in Chinese."""
    if isinstance(value, bool):
        return "应填写扣分（数字），不能是逻辑值"
    if isinstance(value, int):
        points = Decimal(value)
    elif isinstance(value, float):
        # repr gives the shortest text that round-trips: 0.5 → "0.5", 0.1+0.2 → "0.30000000000000004"
        points = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace("，", ".").replace("。", ".")
        text = text.translate(str.maketrans("０１２３４５６７８９．－", "0123456789.-"))
        try:
            points = Decimal(text)
        except InvalidOperation:
            return f"“{value.strip()[:20]}”不是数字：请只填写扣分分值，如 5 或 1.5，原因写在“扣分原因”表中"
        if not points.is_finite():
            return f"“{value.strip()[:20]}”不是数字"
    elif isinstance(value, datetime | date):
        return "是日期，应填写扣分分值（数字）"
    else:
        return f"“{value}”不是数字"
    if points < 0:
        return f"扣分不能是负数（现为{_plain(points)}），请填写扣掉的分数，如 5"
    if (points * 10) != (points * 10).to_integral_value():
        return f"扣分最多保留一位小数（现为{_plain(points)}）"
    return points


def _code_of(text: str) -> str:
    """"2.3 财务收支公开" (the drop-down) or "2.3" → "2.3"."""
    return text.split()[0] if text.split() else ""


def _clean(text: str) -> str:
    return " ".join(text.split())


def read_plan(ctx: Context, path: str | os.PathLike[str]) -> SheetPlan:
    """Read a filled-in 月抽查记分表 and judge it against the database and the month's 考核细则,
    writing nothing. Every problem is collected with its sheet, row and column and raised as
    one :class:`ValidationErrors`; structural problems (not an xlsx, not our template, too
    big) are a :class:`UserError` from :func:`govdesk.export.score_sheet.read_sheet`."""
    path = Path(path)
    raw = score_sheet.read_sheet(path)
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()  # read_sheet capped the size
    problems: list[str] = []

    ym = _month(raw.month)
    if raw.month is None:
        problems.append(f"{raw.month_where}：检查月份为空，应为如 2017-07 的月份（请重新下载模板）")
    elif ym is None or not 2000 <= ym[0] <= 2100:
        problems.append(f"{raw.month_where}：检查月份“{raw.month}”不正确，应为如 2017-07 的月份")
        ym = None
    elif ym > (ctx.today().year, ctx.today().month):
        problems.append(f"{raw.month_where}：检查月份{ym[0]}年{ym[1]}月还没有到，不能导入检查结果")
    if ym is None:
        # Keep judging the rest against the month the template was made for, so every problem
        # is reported at once; the file is refused anyway.
        if raw.meta_year and raw.meta_month and 2000 <= raw.meta_year <= 2100 \
                and 1 <= raw.meta_month <= 12:
            ym = (raw.meta_year, raw.meta_month)
        else:
            raise ValidationErrors(problems, title=f"“{path.name}”中有错误，未导入任何数据")
    year, month = ym
    version, scheme = _scheme_for(ctx, year, month)
    leaves = {leaf.code: leaf for leaf in scheme.leaves}
    scheme_label = f"《{scheme.name}》" + (f"第{version.version}版" if version else "")

    checker = ""
    if raw.checker is not None:
        checker = _clean(str(raw.checker))
        if len(checker) > MAX_CHECKER_CHARS:
            problems.append(f"{raw.checker_where}：检查人太长（{len(checker)}个字），"
                            f"最多{MAX_CHECKER_CHARS}个字")
    checked_on = None
    if raw.checked_on is not None:
        checked_on = _date(raw.checked_on)
        if checked_on is None:
            problems.append(f"{raw.checked_on_where}：检查日期“{raw.checked_on}”不是日期，"
                            "应写成如 2017-07-25")
        elif checked_on > ctx.today():
            problems.append(f"{raw.checked_on_where}：检查日期{checked_on.isoformat()}晚于今天")

    for where, value in raw.stray:
        problems.append(f"{where}：这一列不是考核指标列，不能填写（现为“{str(value)[:20]}”）")
    used_columns = {v.code for row in raw.rows for v in row.values}
    for col in raw.columns:
        if col.code in used_columns and col.code not in leaves:
            header = score_sheet.Where(score_sheet.GRID_SHEET, score_sheet.FIRST_DATA_ROW - 1,
                                       col.column)
            problems.append(f"{header}：指标“{col.code}”不在{scheme_label}中，这一列的扣分无法"
                            "导入（考核细则已改动，请重新下载记分表模板后填写）")

    communities = {c.name: c for c in org_store.list_communities(ctx.db)}
    grid_rows: dict[str, score_sheet.RawRow] = {}
    for row in raw.rows:
        if row.community and row.community not in grid_rows:
            grid_rows[row.community] = row

    # 扣分原因: (community, code) → reasons in sheet order.
    reasons: dict[tuple[str, str], list[str]] = defaultdict(list)
    filled = {(row.community, v.code) for row in raw.rows for v in row.values
              if isinstance(_points(v.value), Decimal) and _points(v.value) != 0}
    for line in raw.reasons:
        code = _code_of(line.indicator)
        ok = True
        if not line.community:
            problems.append(f"{line.community_where}：请选择社区（村）")
            ok = False
        elif line.community not in grid_rows:
            problems.append(f"{line.community_where}：社区（村）“{line.community}”不在记分表中")
            ok = False
        if not code:
            problems.append(f"{line.indicator_where}：请选择指标")
            ok = False
        elif code not in leaves:
            problems.append(f"{line.indicator_where}：指标“{line.indicator}”不在{scheme_label}中，"
                            "请从下拉列表中选择二级指标")
            ok = False
        text = _clean(line.reason)
        if not text:
            problems.append(f"{line.reason_where}：扣分原因为空（不需要时请删去这一行）")
            ok = False
        elif len(text) > MAX_REASON_CHARS:
            problems.append(f"{line.reason_where}：扣分原因太长（{len(text)}个字），"
                            f"最多{MAX_REASON_CHARS}个字")
            ok = False
        if ok and (line.community, code) not in filled:
            problems.append(f"{line.reason_where}：记分表中{line.community}的指标{code}没有扣分，"
                            "这条扣分原因没有对应的扣分（请在记分表中填写扣分，或删去这一行）")
            ok = False
        if ok:
            reasons[(line.community, code)].append(text)

    checks: list[SpotCheck] = []
    names: dict[int, str] = {}
    seen: dict[str, int] = {}
    for row in raw.rows:
        row_ok = True
        if not row.community:
            problems.append(f"{row.where}：社区（村）名称为空，这一行的扣分无法对应")
            row_ok = False
        elif row.community not in communities:
            problems.append(f"{row.where}：社区（村）“{row.community}”不存在，"
                            "请使用系统中登记的名称（可重新下载模板）")
            row_ok = False
        elif row.community in seen:
            problems.append(f"{row.where}：社区（村）“{row.community}”重复（第{seen[row.community]}"
                            "行已有），每个社区（村）每月只有一次月抽查")
            row_ok = False
        else:
            seen[row.community] = row.where.row
        checked = True
        if row.checked is not None:
            flag = _CHECKED.get(str(row.checked).strip().lower())
            if flag is None:
                problems.append(f"{row.checked_where}：是否抽查只能填“是”或“否”"
                                f"（现为“{str(row.checked)[:10]}”）")
                row_ok = False
            else:
                checked = flag
        deductions: list[Deduction] = []
        for v in row.values:
            points = _points(v.value)
            if isinstance(points, str):
                problems.append(f"{v.where}：{points}")
                row_ok = False
                continue
            leaf = leaves.get(v.code)
            if leaf is None:
                row_ok = False  # reported once per column above
                continue
            if points == 0:
                continue
            if not checked:
                problems.append(f"{v.where}：{row.community}标为本月未抽查（“否”），"
                                "却填写了扣分：请改为“是”，或删去扣分")
                row_ok = False
                continue
            if points > leaf.max_points:
                problems.append(f"{v.where}：指标{leaf.code}“{leaf.name}”扣{_plain(points)}分，"
                                f"超过该指标分值{_plain(leaf.max_points)}分（应为0到"
                                f"{_plain(leaf.max_points)}）")
                row_ok = False
                continue
            reason = "；".join(reasons.get((row.community, v.code), ()))
            d = deduction_for_points(scheme, v.code, points, reason)
            if d.points is not None and not reason:
                problems.append(
                    f"{v.where}：{row.community}指标{leaf.code}“{leaf.name}”扣{_plain(points)}分，"
                    "不是任何一条扣分规则的整数倍，请在工作表“扣分原因”中写明这项扣分的原因")
                row_ok = False
                continue
            deductions.append(d)
        if row_ok and checked:
            cid = communities[row.community].id
            names[cid] = row.community
            checks.append(SpotCheck(cid, year, month, deductions=tuple(deductions),
                                    checker=checker, checked_on=checked_on))
    if not problems and not checks:
        problems.append(f"工作表“{score_sheet.GRID_SHEET}”中没有本月抽查的社区（村）："
                        "请至少有一个社区（村）的“是否抽查”为“是”")
    if problems:
        raise ValidationErrors(problems, title=f"“{path.name}”中有{len(problems)}处错误，"
                                               "未导入任何数据")

    stored = scoring.month_sheet(ctx, year, month).checks
    mine = {c.community_id: c for c in checks}
    return SheetPlan(
        file_name=path.name, sha256=sha256, year=year, month=month, scheme=version,
        preview_scheme=scheme, checks=tuple(checks), names=names, existing=len(stored),
        identical=bool(stored) and dict(stored) == mine)


# --------------------------------------------------------------------------- import

@requires(PERMISSION)
@backup_first(Trigger.IMPORT)
def import_sheet(ctx: Context, path: str | os.PathLike[str], *,
                 replace: bool = False) -> scoring.SaveResult:
    """Import a filled-in 月抽查记分表: all of it or nothing. A month with different stored
    checks raises :class:`MonthAlreadyChecked` unless ``replace``; the same data again is a
    no-op (nothing written, nothing audited)."""
    path = Path(path)
    plan = read_plan(ctx, path)
    if plan.identical:
        assert plan.scheme is not None  # stored checks imply a stored scheme
        return scoring.SaveResult(saved=0, unchanged=len(plan.checks), removed=0,
                                  scheme=plan.scheme)
    if plan.existing and not replace:
        raise MonthAlreadyChecked(plan.year, plan.month, plan.existing)
    with ctx.db.atomic():
        # save_month audits every changed check; one summary entry names the file (and its
        # hash, which is also each check's source) so the 操作日志 shows where they came from.
        result = scoring.save_month(
            ctx, plan.year, plan.month, list(plan.checks), replace_existing=replace,
            source=f"import:{plan.sha256}",
            scheme_id=plan.scheme.id if plan.scheme is not None else None)
        ctx.audit("import_scores", "file", path.name, month=f"{plan.year}-{plan.month:02d}",
                  sha256=plan.sha256, communities=len(plan.checks), saved=result.saved,
                  unchanged=result.unchanged, removed=result.removed,
                  replaced=plan.existing if replace else 0, scheme_id=result.scheme.id)
    return result
