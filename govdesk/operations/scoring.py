"""Community assessment (月抽查、季考核) as user actions: 考核细则 versions, a month's spot checks
(the grid and the imported sheet both save through :func:`save_month`), the register's
auto-findings, 加分/扣分 items, the quarter's and the year's results, the drill-down, the 通报
and the exports.

Decisions:

* A quarter is scored by one 考核细则 version: a month is entered with the version its quarter
  already uses, else the year's current version. A new version (copy, then edit) therefore
  applies from the next quarter not yet checked, and a circulated quarter always recomputes to
  what was circulated (the store refuses to change a version in use).
* Saving a month replaces the month's 月抽查 as a whole, in one transaction, with an audit entry
  for each community whose check changed; a check identical to the stored one is left alone, so
  saving or importing the same data twice changes nothing.
* Months not yet over get no 空白月 finding; the other auto-findings are judged as of today.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from govdesk.core.backup_schedule import Trigger
from govdesk.core.bulletin import Bulletin, build_bulletin, bulletin_text
from govdesk.core.errors import NotFound, UserError, ValidationErrors
from govdesk.core.scoring import (
    DEFAULT_YEAR_END_WEIGHT,
    Adjustment,
    AdjustmentKind,
    AutoFinding,
    CheckKind,
    CheckRecord,
    Deduction,
    GradeThresholds,
    LostPoint,
    QuarterResult,
    QuarterRule,
    Scheme,
    SchemeVersion,
    SpotCheck,
    YearScore,
    assess_quarter,
    auto_deductions,
    default_scheme,
    explain,
    quarter_months,
    quarter_of,
    require_valid_scheme,
    scheme_to_json,
    validate_spot_check,
)
from govdesk.operations.backups import backup_first
from govdesk.operations.context import Context, requires
from govdesk.store import org_store, score_store

PERMISSION = "assessment.manage"


# --------------------------------------------------------------------------- 考核细则

def schemes(ctx: Context, year: int | None = None) -> list[SchemeVersion]:
    return score_store.list_schemes(ctx.db, year)


def get_scheme(ctx: Context, scheme_id: int) -> SchemeVersion:
    found = score_store.get_scheme(ctx.db, scheme_id)
    if found is None:
        raise NotFound("这个考核细则版本不存在")
    return found


def current_scheme(ctx: Context, year: int) -> SchemeVersion | None:
    return score_store.current_scheme(ctx.db, year)


def _for_year(scheme: Scheme, year: int) -> Scheme:
    name = re.sub(r"^\d{4}年", f"{year}年", scheme.name)
    if name == scheme.name and str(year) not in name:
        name = f"{year}年{scheme.name}"
    return replace(scheme, year=year, name=name)


def _audit_scheme(ctx: Context, action: str, v: SchemeVersion, **extra: object) -> None:
    ctx.audit(action, "scheme", v.id, year=v.year, version=v.version, name=v.scheme.name,
              monthly_weight=str(v.rule.monthly_weight),
              grades=[str(v.grades.excellent), str(v.grades.good), str(v.grades.passing)],
              year_end_weight=str(v.year_end_weight), **extra)


@requires(PERMISSION)
def ensure_scheme(ctx: Context, year: int) -> SchemeVersion:
    """The year's current 考核细则, created if the year has none: a copy of the latest earlier
    year's current version (renamed for ``year``), or the seeded default (100 points)."""
    found = score_store.current_scheme(ctx.db, year)
    if found is not None:
        return found
    with ctx.db.atomic():
        previous = score_store.latest_current_before(ctx.db, year)
        if previous is not None:
            base = replace(previous, scheme=_for_year(previous.scheme, year))
            values = score_store.scheme_values(base, copied_from=previous.id)
        else:
            values = score_store.scheme_values(None, year=year)
            scheme = default_scheme(year)
            from govdesk.core.audit import canonical_json

            values.update(name=scheme.name, body=canonical_json(scheme_to_json(scheme)))
        now = ctx.now_utc()
        values.update(version=score_store.next_scheme_version(ctx.db, year), current=1,
                      created_by=ctx.actor_id, created_at=now, updated_at=now)
        sid = score_store.insert_scheme(ctx.db, values)
        created = get_scheme(ctx, sid)
        _audit_scheme(ctx, "create", created,
                      basis="copy" if previous is not None else "default",
                      body=scheme_to_json(created.scheme))
    return created


@requires(PERMISSION)
def save_scheme(ctx: Context, scheme_id: int, scheme: Scheme, *, rule: QuarterRule | None = None,
                grades: GradeThresholds | None = None,
                year_end_weight: Decimal | None = None) -> SchemeVersion:
    """Change a version that no check uses yet. Every problem of the scheme is reported at once
    (:func:`~govdesk.core.scoring.validate_scheme`) and nothing changes."""
    old = get_scheme(ctx, scheme_id)
    if old.in_use:
        raise UserError(f"《{old.scheme.name}》第{old.version}版已用于检查记分，不能直接修改："
                        "请先“复制为新版本”，再修改新版本（新版本从尚未检查的季度起使用）。")
    if scheme.year != old.year:
        raise UserError(f"考核细则的年度不能改动（应为{old.year}年）", field="年度")
    require_valid_scheme(scheme)
    weight = old.year_end_weight if year_end_weight is None else year_end_weight
    if not weight.is_finite() or weight <= 0 or weight > 100:
        raise UserError("年终考核分值应大于0、不超过100分", field="年终考核分值")
    new = replace(old, scheme=scheme, rule=rule or old.rule, grades=grades or old.grades,
                  year_end_weight=weight)
    with ctx.db.atomic():
        try:
            score_store.update_scheme(ctx.db, scheme_id, score_store.scheme_values(
                new, updated_at=ctx.now_utc()))
        except sqlite3.IntegrityError as exc:
            if "scheme-in-use" in str(exc):
                raise UserError("这个版本刚刚已被用于检查记分，不能再修改：请复制为新版本。") from None
            raise
        _audit_scheme(ctx, "update", new, before=scheme_to_json(old.scheme),
                      after=scheme_to_json(scheme))
    return get_scheme(ctx, scheme_id)


@requires(PERMISSION)
def copy_scheme(ctx: Context, scheme_id: int, *, year: int | None = None,
                make_current: bool = False) -> SchemeVersion:
    """A new version of a scheme (for ``year``, by default the same year) to edit."""
    src = get_scheme(ctx, scheme_id)
    year = src.year if year is None else year
    base = replace(src, scheme=_for_year(src.scheme, year) if year != src.year else src.scheme)
    now = ctx.now_utc()
    with ctx.db.atomic():
        values = score_store.scheme_values(
            base, version=score_store.next_scheme_version(ctx.db, year), current=0,
            copied_from=src.id, created_by=ctx.actor_id, created_at=now, updated_at=now)
        sid = score_store.insert_scheme(ctx.db, values)
        if make_current or score_store.current_scheme(ctx.db, year) is None:
            score_store.set_current_scheme(ctx.db, year, sid)
        created = get_scheme(ctx, sid)
        _audit_scheme(ctx, "copy", created, copied_from=src.id)
    return created


@requires(PERMISSION)
def set_current_scheme(ctx: Context, scheme_id: int) -> SchemeVersion:
    v = get_scheme(ctx, scheme_id)
    with ctx.db.atomic():
        score_store.set_current_scheme(ctx.db, v.year, scheme_id)
        _audit_scheme(ctx, "activate", v)
    return get_scheme(ctx, scheme_id)


@requires(PERMISSION)
@backup_first(Trigger.DELETE)
def delete_scheme(ctx: Context, scheme_id: int) -> None:
    v = get_scheme(ctx, scheme_id)
    if v.in_use:
        raise UserError(f"《{v.scheme.name}》第{v.version}版已用于检查记分，不能删除")
    if v.current:
        raise UserError("这是本年度正在使用的版本，不能删除：请先把另一个版本设为当前版本")
    with ctx.db.atomic():
        score_store.delete_scheme(ctx.db, scheme_id)
        _audit_scheme(ctx, "delete", v)


# --------------------------------------------------------------------------- a month's checks

@dataclass(frozen=True)
class MonthSheet:
    """What the month grid shows: the scheme version the month is scored by (None if the year
    has no scheme yet: it is created from the default or last year's on the first save), the
    communities (active ones plus any inactive one that was checked), and the stored checks."""

    year: int
    month: int
    scheme: SchemeVersion | None
    communities: tuple[tuple[int, str], ...]
    checks: Mapping[int, SpotCheck]
    note: str = ""
    # Without a scheme: what the first save will create (last year's copied forward), if any.
    carried_over: Scheme | None = None

    @property
    def preview_scheme(self) -> Scheme:
        if self.scheme is not None:
            return self.scheme.scheme
        return self.carried_over or default_scheme(self.year)


def _validate_month(year: int, month: int) -> None:
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        raise UserError(f"月份“{year}-{month:02d}”不正确", field="月份")


def _quarter_scheme_id(ctx: Context, year: int, month: int) -> int | None:
    """The version the month's quarter is already scored by, if any month of it is checked."""
    records = score_store.checks_in_months(ctx.db, year, quarter_months(quarter_of(month)))
    ids = [r.scheme_id for r in records if r.check.month == month] or \
          [r.scheme_id for r in records]
    return ids[0] if ids else None


def month_sheet(ctx: Context, year: int, month: int) -> MonthSheet:
    _validate_month(year, month)
    sid = _quarter_scheme_id(ctx, year, month)
    note = ""
    version = score_store.get_scheme(ctx.db, sid) if sid is not None else \
        score_store.current_scheme(ctx.db, year)
    current = score_store.current_scheme(ctx.db, year)
    if version is not None and current is not None and version.id != current.id:
        note = (f"本季度已按《{version.scheme.name}》第{version.version}版记分，本月沿用该版；"
                f"当前版本（第{current.version}版）从下一个尚未检查的季度起使用。")
    records = score_store.checks_in_months(ctx.db, year, [month], CheckKind.MONTHLY)
    checks = {r.check.community_id: r.check for r in records}
    communities = [(c.id, c.name) for c in org_store.list_communities(ctx.db)
                   if c.active or c.id in checks]
    carried_over = None
    if version is None:
        # ensure_scheme (run by the first save) copies the latest earlier year's version
        # forward: the grid must be entered against that, not against the default.
        previous = score_store.latest_current_before(ctx.db, year)
        carried_over = _for_year(previous.scheme, year) if previous is not None else None
    return MonthSheet(year=year, month=month, scheme=version, communities=tuple(communities),
                      checks=checks, note=note, carried_over=carried_over)


def _check_problems(scheme: Scheme, check: SpotCheck, name: str) -> list[str]:
    return [f"{name}：{p}" for p in validate_spot_check(scheme, check)]


def _check_summary(check: SpotCheck) -> dict:
    return {
        "month": f"{check.year}-{check.month:02d}", "kind": check.kind.value,
        "checker": check.checker,
        "checked_on": check.checked_on.isoformat() if check.checked_on else None,
        "deductions": [
            {"indicator": d.indicator_code, "reason": d.reason, "count": d.count,
             "rule": d.rule, "points": str(d.points) if d.points is not None else None,
             **({"auto": d.auto.value} if d.auto else {})}
            for d in check.deductions],
        "vetoes": [{"code": v.code, "reason": v.reason} for v in check.vetoes],
    }


@dataclass(frozen=True)
class SaveResult:
    saved: int  # checks written (new or changed)
    unchanged: int
    removed: int
    scheme: SchemeVersion


@requires(PERMISSION)
def save_month(ctx: Context, year: int, month: int, checks: Sequence[SpotCheck], *,
               replace_existing: bool = True, source: str = "",
               scheme_id: int | None = None) -> SaveResult:
    """Save the month's 月抽查: ``checks`` (one per community checked) become the month's
    checks; a community of the month not in ``checks`` loses its check (with
    ``replace_existing``). With ``replace_existing=False`` a month that already has checks is
    refused (the import asks first, never replaces silently). All or nothing: every problem of
    every check is reported (:class:`ValidationErrors`) and nothing is written."""
    _validate_month(year, month)
    names = {c.id: c.name for c in org_store.list_communities(ctx.db)}
    existing_ids = score_store.monthly_check_ids(ctx.db, year, month)
    if existing_ids and not replace_existing:
        raise UserError(f"{year}年{month}月已有{len(existing_ids)}个社区（村）的抽查记录。"
                        "如需用新数据替换，请确认替换后重新导入。")
    quarter_sid = _quarter_scheme_id(ctx, year, month)
    if scheme_id is None:
        scheme_id = quarter_sid
    version: SchemeVersion | None
    if scheme_id is None:
        # The year's scheme is created only together with the first checks that pass: a
        # refused save leaves the database exactly as it was.
        version = score_store.current_scheme(ctx.db, year)
        scheme = version.scheme if version is not None else month_sheet(
            ctx, year, month).preview_scheme
    else:
        version = get_scheme(ctx, scheme_id)
        scheme = version.scheme
    if quarter_sid is not None and version is not None and version.id != quarter_sid:
        other = get_scheme(ctx, quarter_sid)
        if any(r.check.month != month for r in score_store.checks_in_months(
                ctx.db, year, quarter_months(quarter_of(month))) if r.scheme_id == other.id):
            raise UserError(f"本季度其他月份已按《{other.scheme.name}》第{other.version}版记分，"
                            "同一季度的检查须使用同一版考核细则。")
    problems: list[str] = []
    seen: set[int] = set()
    for check in checks:
        name = names.get(check.community_id, f"社区（村）#{check.community_id}")
        if check.community_id not in names:
            problems.append(f"{name}不存在")
            continue
        if check.community_id in seen:
            problems.append(f"{name}在本月出现了两次，每个社区（村）每月只有一次月抽查")
        seen.add(check.community_id)
        if (check.year, check.month) != (year, month) or check.kind is not CheckKind.MONTHLY:
            problems.append(f"{name}：检查记录不是{year}年{month}月的月抽查")
        problems += _check_problems(scheme, check, name)
    if problems:
        raise ValidationErrors(problems, title=f"{year}年{month}月的抽查记录有误，未做任何修改")

    stored = {r.check.community_id: r for r in score_store.checks_in_months(
        ctx.db, year, [month], CheckKind.MONTHLY)}
    saved = unchanged = removed = 0
    now = ctx.now_utc()
    with ctx.db.atomic():
        if version is None:
            version = ensure_scheme(ctx, year)
        for check in checks:
            old = stored.get(check.community_id)
            if old is not None and old.check == check and old.scheme_id == version.id:
                unchanged += 1
                continue
            if old is not None:
                score_store.delete_check(ctx.db, old.id)
            cid = score_store.insert_check(ctx.db, version.id, check, source=source,
                                           created_by=ctx.actor_id, now=now)
            ctx.audit("update" if old else "create", "spot_check", cid,
                      community=names[check.community_id], scheme_id=version.id,
                      source=source or "录入",
                      **({"before": _check_summary(old.check)} if old else {}),
                      after=_check_summary(check))
            saved += 1
        if replace_existing:
            for community_id, old in stored.items():
                if community_id not in seen:
                    score_store.delete_check(ctx.db, old.id)
                    ctx.audit("delete", "spot_check", old.id, community=names.get(community_id),
                              before=_check_summary(old.check))
                    removed += 1
    return SaveResult(saved=saved, unchanged=unchanged, removed=removed,
                      scheme=get_scheme(ctx, version.id))


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def copy_last_month(ctx: Context, year: int, month: int, scheme: Scheme) -> dict[int, SpotCheck]:
    """Last month's checks as a starting point for ``year``/``month`` (not saved): the entered
    findings re-dated, without the auto-findings (they are recomputed from the register) and
    without findings ``scheme`` has no place for."""
    py, pm = previous_month(year, month)
    out: dict[int, SpotCheck] = {}
    for r in score_store.checks_in_months(ctx.db, py, [pm], CheckKind.MONTHLY):
        base = SpotCheck(r.check.community_id, year, month, checker=r.check.checker)
        kept = []
        for d in r.check.deductions:
            if d.auto is not None:
                continue
            if not validate_spot_check(scheme, replace(base, deductions=(d,))):
                kept.append(d)
        vetoes = [v for v in r.check.vetoes if v.code in {x.code for x in scheme.vetoes}]
        out[r.check.community_id] = replace(base, deductions=tuple(kept), vetoes=tuple(vetoes))
    return out


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, nxt - timedelta(days=1)


@dataclass(frozen=True)
class AutoFindings:
    deductions: tuple[Deduction, ...]
    unbooked: tuple[AutoFinding, ...]  # found, but the scheme has no rule to book them on


def _taken_down_late(ctx: Context, *, planned: date, removed: date | None,
                     cutoff: date) -> bool:
    """公示期满及时撤栏: the planned take-down day is the 公示期's last day, through which the
    notice must stay up; taking it down on the next working day is on time, later is not."""
    grace = ctx.calendar.next_workday(planned)
    return removed > grace if removed is not None else cutoff > grace


def auto_findings(ctx: Context, year: int, month: int, scheme: Scheme,
                  community_ids: Iterable[int]) -> dict[int, AutoFindings]:
    """The register's findings for each community in the month (issue 5, item 2): notices
    past their 公开时限, overdue take-downs, and 空白月 (only for a month that is over)."""
    _validate_month(year, month)
    first, last = _month_bounds(year, month)
    cutoff = min(last, ctx.today())
    out: dict[int, AutoFindings] = {}
    if first > ctx.today():
        return {cid: AutoFindings((), ()) for cid in community_ids}
    for cid in community_ids:
        facts = score_store.month_facts(ctx.db, cid, year, month, first=first, last=last,
                                        cutoff=cutoff)
        facts = replace(facts, late_take_downs=tuple(
            row for row in facts.late_take_downs
            if _taken_down_late(ctx, planned=row[3], removed=row[4], cutoff=cutoff)))
        deductions, unbooked = auto_deductions(scheme, facts)
        out[cid] = AutoFindings(deductions, unbooked)
    return out


def evidence_postings(ctx: Context, community_id: int, year: int, month: int
                      ) -> list[tuple[int, str, str, date]]:
    """Postings on the community's boards up during the month, to link a finding to."""
    first, last = _month_bounds(year, month)
    return score_store.postings_of_community(ctx.db, community_id, first, last)


@requires(PERMISSION)
def store_evidence_photo(ctx: Context, source: str | Path) -> str:
    """Copy a photo of the board into the managed folder; the name to put in the evidence."""
    from govdesk.operations.postings import store_photo

    return store_photo(ctx, source)


# --------------------------------------------------------------------------- quarterly checks

@requires(PERMISSION)
def save_quarterly_check(ctx: Context, check: SpotCheck) -> int:
    """Record a separate 季度检查 (used by a weighted quarter rule); it is scored by the
    quarter's scheme version. A community has one 季度检查 a quarter: entering it again
    replaces the earlier one (that is how a mistake is corrected)."""
    if check.kind is not CheckKind.QUARTERLY:
        raise UserError("这不是季度检查记录")
    names = {c.id: c.name for c in org_store.list_communities(ctx.db)}
    if check.community_id not in names:
        raise UserError("所选社区（村）不存在", field="社区")
    sid = _quarter_scheme_id(ctx, check.year, check.month)
    version = get_scheme(ctx, sid) if sid is not None else ensure_scheme(ctx, check.year)
    problems = _check_problems(version.scheme, check, names[check.community_id])
    if problems:
        raise ValidationErrors(problems, title="季度检查记录有误，未做任何修改")
    earlier = [r for r in quarterly_checks(ctx, check.year, check.quarter)
                if r.check.community_id == check.community_id]
    with ctx.db.atomic():
        for old in earlier:
            score_store.delete_check(ctx.db, old.id)
        cid = score_store.insert_check(ctx.db, version.id, check, source="",
                                       created_by=ctx.actor_id, now=ctx.now_utc())
        ctx.audit("update" if earlier else "create", "spot_check", cid,
                  community=names[check.community_id], scheme_id=version.id,
                  **({"before": _check_summary(earlier[0].check)} if earlier else {}),
                  after=_check_summary(check))
    return cid


def quarterly_checks(ctx: Context, year: int, quarter: int) -> list[CheckRecord]:
    """The quarter's separate 季度检查 records (for the weighted rule), oldest first."""
    return score_store.checks_in_months(ctx.db, year, quarter_months(quarter),
                                        CheckKind.QUARTERLY)


def quarter_scheme(ctx: Context, year: int, quarter: int) -> SchemeVersion | None:
    """The version the quarter is scored by: the one its checks use, else the current one."""
    sid = _quarter_scheme_id(ctx, year, quarter_months(quarter)[0])
    return get_scheme(ctx, sid) if sid is not None else score_store.current_scheme(ctx.db, year)


@requires(PERMISSION)
@backup_first(Trigger.DELETE)
def delete_check(ctx: Context, check_id: int) -> None:
    found = score_store.get_check(ctx.db, check_id)
    if found is None:
        raise NotFound("这条检查记录不存在")
    with ctx.db.atomic():
        score_store.delete_check(ctx.db, check_id)
        ctx.audit("delete", "spot_check", check_id, before=_check_summary(found.check))


# --------------------------------------------------------------------------- 加分 / 扣分 items

def adjustments(ctx: Context, year: int, quarter: int | None = None
                ) -> list[tuple[int, Adjustment]]:
    return score_store.adjustments(ctx.db, year, quarter)


@requires(PERMISSION)
def add_adjustment(ctx: Context, community_id: int, year: int, quarter: int, item_code: str,
                   reason: str = "") -> int:
    """Award a 加分 item (通报表彰 …) or a 扣分 item (通报批评 …) of the quarter's scheme."""
    quarter_months(quarter)
    names = {c.id: c.name for c in org_store.list_communities(ctx.db)}
    if community_id not in names:
        raise UserError("所选社区（村）不存在", field="社区")
    sid = _quarter_scheme_id(ctx, year, quarter_months(quarter)[0])
    version = get_scheme(ctx, sid) if sid is not None else ensure_scheme(ctx, year)
    item = version.scheme.adjustment_item(item_code)
    adj = Adjustment(community_id, year, quarter, item_code, reason.strip())
    with ctx.db.atomic():
        aid = score_store.insert_adjustment(ctx.db, adj, created_by=ctx.actor_id,
                                            now=ctx.now_utc())
        ctx.audit("create", "adjustment", aid, community=names[community_id],
                  quarter=f"{year}Q{quarter}", item=item.name, kind=item.kind.value,
                  points=str(item.points), reason=adj.reason)
    return aid


@requires(PERMISSION)
@backup_first(Trigger.DELETE)
def remove_adjustment(ctx: Context, adjustment_id: int) -> None:
    adj = score_store.get_adjustment(ctx.db, adjustment_id)
    if adj is None:
        raise NotFound("这条加分/扣分记录不存在")
    with ctx.db.atomic():
        score_store.delete_adjustment(ctx.db, adjustment_id)
        ctx.audit("delete", "adjustment", adjustment_id, community_id=adj.community_id,
                  quarter=f"{adj.year}Q{adj.quarter}", item=adj.item_code, reason=adj.reason)


# --------------------------------------------------------------------------- results

@dataclass(frozen=True)
class QuarterView:
    """A quarter's assessment: the version it was scored by (None when nothing was checked),
    the ranked results, and what they were made from."""

    year: int
    quarter: int
    scheme: SchemeVersion | None
    results: tuple[QuarterResult, ...]
    checks: tuple[SpotCheck, ...]
    adjustments: tuple[Adjustment, ...]

    @property
    def period(self) -> str:
        from govdesk.core.bulletin import quarter_label

        return quarter_label(self.year, self.quarter)

    def result_of(self, community_id: int) -> QuarterResult | None:
        return next((r for r in self.results if r.score.community_id == community_id), None)


def parse_quarter(text: str) -> tuple[int, int]:
    """'2017Q3' (also 2017-Q3, 2017q3, 2017年第三季度) → (2017, 3)."""
    t = text.strip().upper().replace("-", "").replace(" ", "")
    m = re.fullmatch(r"(\d{4})Q([1-4])", t)
    if m:
        return int(m[1]), int(m[2])
    m = re.fullmatch(r"(\d{4})年第([一二三四1-4])季度", text.strip())
    if m:
        q = "一二三四".find(m[2]) + 1 if m[2] in "一二三四" else int(m[2])
        return int(m[1]), q
    raise UserError(f"季度“{text}”不正确，应写成如 2017Q3", field="季度")


def parse_month(text: str) -> tuple[int, int]:
    """'2017-07' (also 2017-7, 201707, 2017年7月) → (2017, 7)."""
    m = re.fullmatch(r"(\d{4})(?:-|年|/)?(\d{1,2})月?", text.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise UserError(f"月份“{text}”不正确，应写成如 2017-07", field="月份")
    return int(m[1]), int(m[2])


def _community_names(ctx: Context) -> dict[int, str]:
    return {c.id: c.name for c in org_store.list_communities(ctx.db)}


def quarter_view(ctx: Context, year: int, quarter: int) -> QuarterView:
    """The quarter's scores, ranks and 等次 by the version the quarter was checked with."""
    months = quarter_months(quarter)
    records = score_store.checks_in_months(ctx.db, year, months)
    adjs = tuple(a for _, a in score_store.adjustments(ctx.db, year, quarter))
    if not records:
        return QuarterView(year, quarter, None, (), (), adjs)
    version = get_scheme(ctx, records[-1].scheme_id)
    checks = tuple(r.check for r in records)
    results = assess_quarter(version.scheme, version.rule, year, quarter, _community_names(ctx),
                             checks, adjs, version.grades)
    return QuarterView(year, quarter, version, results, checks, adjs)


def explain_community(ctx: Context, view: QuarterView, community_id: int) -> tuple[LostPoint, ...]:
    """Every lost point of a community in the quarter: indicator, finding, month."""
    result = view.result_of(community_id)
    if result is None or view.scheme is None:
        return ()
    return explain(view.scheme.scheme, result.score, view.adjustments)


@dataclass(frozen=True)
class YearView:
    year: int
    quarters: Mapping[int, QuarterView]
    scores: tuple[YearScore, ...]
    weight: Decimal


def year_view(ctx: Context, year: int) -> YearView:
    from govdesk.export.assessment_tables import year_scores_from_quarters

    quarters = {q: quarter_view(ctx, year, q) for q in range(1, 5)}
    used = [v.scheme for v in quarters.values() if v.scheme is not None]
    source = used[-1] if used else score_store.current_scheme(ctx.db, year)
    weight = source.year_end_weight if source is not None else DEFAULT_YEAR_END_WEIGHT
    scores = year_scores_from_quarters(
        {q: v.results for q, v in quarters.items() if v.results}, year, weight)
    return YearView(year, quarters, tuple(scores), weight)


def _num(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def scores_json(ctx: Context, year: int, quarter: int) -> dict:
    """The quarter as plain data (``govdesk scores show 2017Q3 --json``): per community total,
    rank, 等次 and the score of every indicator (rounded to one decimal as in the table)."""
    from govdesk.core.scoring import round_half_up

    view = quarter_view(ctx, year, quarter)
    out: dict = {"year": year, "quarter": quarter, "period": view.period,
                 "scheme": None, "communities": []}
    if view.scheme is None:
        return out
    scheme = view.scheme.scheme
    out["scheme"] = {"id": view.scheme.id, "name": scheme.name, "version": view.scheme.version,
                     "rule": view.scheme.rule.label}
    for r in view.results:
        s = r.score
        out["communities"].append({
            "community_id": s.community_id, "name": s.name, "total": _num(s.total),
            "rank": r.rank, "grade": r.grade.value, "bonus": _num(s.bonus),
            "penalty": _num(round_half_up(s.penalty, 1)), "basis": s.basis,
            "months": {str(m): _num(v) for m, v in s.monthly},
            "vetoed": s.vetoed,
            "indicators": {
                code: {"name": scheme.indicator(code).name,
                       "score": _num(round_half_up(v, 1)),
                       "max": _num(scheme.indicator(code).max_points)}
                for code, v in s.indicator_scores.items()},
        })
    return out


# --------------------------------------------------------------------------- 通报

def _township(ctx: Context) -> tuple[str, str]:
    t = org_store.get_township(ctx.db)
    return t.full_name or t.short_name or "本镇", t.short_name or t.full_name or "本镇"


def build_quarter_bulletin(ctx: Context, year: int, quarter: int, *,
                           issued_on: date | None = None, issuer: str | None = None) -> Bulletin:
    """The 通报 of the quarter built from the data (with the year's earlier quarters for the
    trend chart). The office's edited text, if saved, is applied by :func:`bulletin_for`."""
    view = quarter_view(ctx, year, quarter)
    if view.scheme is None:
        raise UserError(f"{view.period}还没有检查记录，无法生成通报")
    full, _short = _township(ctx)
    previous = [quarter_view(ctx, year, q).results for q in range(1, quarter)]
    return build_bulletin(view.scheme.scheme, view.results, view.checks, township=full,
                          year=year, quarter=quarter,
                          issuer=issuer or f"{full}政务公开工作领导小组办公室",
                          issued_on=issued_on or ctx.today(),
                          previous=[p for p in previous if p])


def bulletin_for(ctx: Context, year: int, quarter: int) -> tuple[Bulletin, bool]:
    """The 通报 to show or print and whether it carries the office's edited text."""
    built = build_quarter_bulletin(ctx, year, quarter)
    saved = score_store.bulletin_text(ctx.db, year, quarter)
    if saved is None:
        return built, False
    return built.with_text(saved), True


@requires(PERMISSION)
def save_bulletin_text(ctx: Context, year: int, quarter: int, text: str | None) -> None:
    """Keep the office's edited 通报 text (None: go back to the generated one). The text must
    parse: a title line first and the date line last."""
    quarter_months(quarter)
    if text is not None:
        from govdesk.core.bulletin import parse_bulletin_text

        parse_bulletin_text(text)
        built = build_quarter_bulletin(ctx, year, quarter)
        if text.strip() == bulletin_text(built).strip():
            text = None
    with ctx.db.atomic():
        old = score_store.bulletin_text(ctx.db, year, quarter)
        if old == text:
            return
        score_store.save_bulletin_text(ctx.db, year, quarter, text, user_id=ctx.actor_id,
                                       now=ctx.now_utc())
        ctx.audit("update", "bulletin", f"{year}Q{quarter}",
                  before=old, after=text)


def print_bulletin(ctx: Context, year: int, quarter: int, path: str | os.PathLike[str], *,
                   text: str | None = None, invariant: bool = False) -> int:
    """The 通报 as a GB/T 9704 PDF (with the ranking and trend charts); ``text`` overrides the
    saved or generated text. Returns the number of pages; audited as a print."""
    from govdesk.export.bulletin_pdf import bulletin_pdf
    from govdesk.export.fonts import resolve_fonts
    from govdesk.operations.printing import font_overrides

    bulletin, _edited = bulletin_for(ctx, year, quarter)
    if text is not None:
        bulletin = bulletin.with_text(text)
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        raise UserError("通报只能打印为 .pdf 文件", field="文件名")
    pages = bulletin_pdf(bulletin, target, fonts=resolve_fonts(font_overrides(ctx)),
                         invariant=invariant)
    with ctx.db.atomic():
        ctx.audit("print", "bulletin", f"{year}Q{quarter}", path_name=target.name, pages=pages)
    return pages


# --------------------------------------------------------------------------- exports

EXPORT_SUFFIXES = (".xlsx", ".csv", ".pdf")


def _export_target(path: str | os.PathLike[str], what: str) -> tuple[Path, str]:
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise UserError(f"{what}只能导出为 .xlsx（Excel）、.csv 或 .pdf 文件", field="文件名")
    return target, suffix


def _write_table(ctx: Context, table, target: Path, suffix: str, invariant: bool) -> None:
    from govdesk.export import assessment_tables as tables

    if suffix == ".xlsx":
        tables.write_xlsx(table, target)
    elif suffix == ".csv":
        tables.write_csv(table, target)
    else:
        from govdesk.export.fonts import resolve_fonts
        from govdesk.operations.printing import font_overrides

        tables.write_pdf(table, target, fonts=resolve_fonts(font_overrides(ctx)),
                         invariant=invariant)


def quarter_table_of(ctx: Context, view: QuarterView):
    from govdesk.export.assessment_tables import quarter_table

    if view.scheme is None:
        raise UserError(f"{view.period}还没有检查记录，无法导出考核汇总表")
    full, _ = _township(ctx)
    return quarter_table(view.scheme.scheme, view.results, township=full, year=view.year,
                         quarter=view.quarter)


def export_quarter(ctx: Context, year: int, quarter: int, path: str | os.PathLike[str], *,
                   invariant: bool = False) -> int:
    """The 季度考核汇总表 as xlsx, CSV (UTF-8 with BOM) or PDF by the file's extension; the
    number of communities in it. Audited."""
    target, suffix = _export_target(path, "季度考核汇总表")
    view = quarter_view(ctx, year, quarter)
    table = quarter_table_of(ctx, view)
    _write_table(ctx, table, target, suffix, invariant)
    with ctx.db.atomic():
        ctx.audit("export", "file", target.name, kind="季度考核汇总表",
                  quarter=f"{year}Q{quarter}", rows=len(table.rows), format=suffix[1:])
    return len(table.rows)


def export_year(ctx: Context, year: int, path: str | os.PathLike[str], *,
                invariant: bool = False) -> int:
    """The 年度考核汇总表 (four quarters, year score, year-end points) by extension."""
    from govdesk.export.assessment_tables import year_table

    target, suffix = _export_target(path, "年度考核汇总表")
    view = year_view(ctx, year)
    if not view.scores:
        raise UserError(f"{year}年还没有季度考核结果，无法导出年度考核汇总表")
    full, _ = _township(ctx)
    table = year_table(view.scores, township=full, year=year, weight=view.weight)
    _write_table(ctx, table, target, suffix, invariant)
    with ctx.db.atomic():
        ctx.audit("export", "file", target.name, kind="年度考核汇总表", year=year,
                  rows=len(table.rows), format=suffix[1:])
    return len(table.rows)


def grade_counts(results: Sequence[QuarterResult]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in results:
        out[r.grade.value] = out.get(r.grade.value, 0) + 1
    return out


def bonus_items(version: SchemeVersion) -> list[tuple[str, str, AdjustmentKind]]:
    s = version.scheme
    return [(i.code, i.name, i.kind) for i in (*s.bonuses, *s.penalties)]
