"""政府信息公开工作年度报告 (条例第五十条) as user actions: build a year's report from the registers,
check 表三's 勾稽关系, save the office's texts, figures and 成文日期, and export the report as an
editable .docx, the GB/T 9704 PDF, or JSON.

Decisions (issue 6, items 5 and 7):

* Viewing (build_report, report_problems) needs no permission — leaders read the report; writing
  it (saving texts, figures, the date) and exporting it need ``report.annual`` (党政办).
* Texts: a section the office saved is used as saved; otherwise 一 is drafted from the year's
  figures (core.annual_report.draft_overview), 五 is last year's saved text under the line
  :data:`LAST_YEAR_MARK` (the problems of one year are the starting point of the next, but must
  not be printed unread), 六 is the 信息处理费 sentence of 国办函〔2020〕109号 from the entered
  amount. Sections 二、三、四 carry only their tables. Saving "" clears a section (back to the
  draft); None leaves it unchanged.
* 成文日期: the saved one, else today (the day the report is drafted and printed).
* Figures the registers do not hold (表二 行政许可/行政处罚/行政强制 decisions, the
  行政事业性收费 amount in 万元, the 信息处理费 actually collected in 元, training and
  accountability counts) are entered by the office; they default to 0 (the training and
  accountability counts to "unknown": the draft then leaves the sentence out).
* 上年结转: 表三 二 of a year is checked against last year's 四 as *published* — the
  ``carry_forward`` figures saved when last year's final report (.docx/.pdf) was exported, or
  entered by hand for a year reported on paper before govdesk — and, when none was saved and
  last year has applications in the database, against last year's table recomputed from it.
  A mismatch therefore shows that last year's facts were changed after its report went out
  (or that applications carried over from before govdesk are missing).
* "A report that does not balance cannot be exported as final": .docx and .pdf are refused,
  naming every problem, while any 勾稽关系 problem remains; .json is always written and lists
  the problems. The PDF (the print) is also refused while 五 still carries last year's text
  unreviewed; the .docx is the editable draft and may carry it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from govdesk.core.annual_report import (
    COLUMN_KEYS,
    COLUMN_LABELS,
    AnnualReport,
    OverviewFigures,
    ProactiveFigures,
    Problem,
    RegisterFigures,
    Table3,
    Table4,
    check_table3,
    draft_overview,
    format_amount,
    report_json,
    tally_table3,
    tally_table4,
)
from govdesk.core.errors import UserError, ValidationErrors
from govdesk.operations.context import Context, requires
from govdesk.store import notice_store, org_store, report_store

__all__ = [
    "FIGURE_LABELS",
    "LAST_YEAR_MARK",
    "PERMISSION",
    "REPORT_KIND",
    "ExportResult",
    "ReportFigures",
    "UnbalancedReport",
    "build_report",
    "export_annual_report",
    "overview_figures",
    "parse_figures",
    "previous_carry_over",
    "proactive_figures",
    "register_figures",
    "report_figures",
    "report_problems",
    "save_report_date",
    "save_report_figures",
    "save_report_texts",
    "table3_of",
    "table4_of",
    "text_sources",
]

PERMISSION = "report.annual"
REPORT_KIND = "政府信息公开工作年度报告"
OBJECT_TYPE = "annual_report"
LAST_YEAR_MARK = "【以下为上年度报告的内容，请按本年度情况修改后保存】"
FEE_BASIS = "依据《政府信息公开信息处理费管理办法》规定，"
EXPORT_SUFFIXES = (".docx", ".pdf", ".json")


def _check_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise UserError(f"年度“{year}”不正确，应写成如 2025", field="年度")
    return year


# ---- the figures the office enters ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportFigures:
    """Numbers of a year's report that no register holds. ``carry_forward`` is 表三 四 (the 7
    columns 自然人 … 总计) as the year's report was published: saved on export of the final
    report, or entered for a year reported on paper; next year's 上年结转 is checked against
    it."""

    licensing_decisions: int = 0  # 表二 第二十条第（五）项 行政许可
    penalty_decisions: int = 0  # 第（六）项 行政处罚
    coercion_decisions: int = 0  # 第（六）项 行政强制
    fee_amount: Decimal = Decimal("0")  # 第（八）项 行政事业性收费, 万元
    fees_collected: int = 0  # 信息处理费 actually collected, 元 (section 六)
    trainings: int | None = None  # 业务培训 sessions (总体情况 监督保障)
    trainees: int | None = None  # 参训人次
    accountability: int | None = None  # 责任追究 cases
    carry_forward: tuple[int, ...] | None = None


FIGURE_LABELS: Mapping[str, str] = {
    "licensing_decisions": "行政许可本年处理决定数量",
    "penalty_decisions": "行政处罚本年处理决定数量",
    "coercion_decisions": "行政强制本年处理决定数量",
    "fee_amount": "行政事业性收费本年收费金额（万元）",
    "fees_collected": "实际收取的信息处理费（元）",
    "trainings": "业务培训次数",
    "trainees": "参训人次",
    "accountability": "责任追究件数",
    "carry_forward": "表三“四、结转下年度继续办理”",
}
_OPTIONAL = frozenset({"trainings", "trainees", "accountability", "carry_forward"})


def _count(value: object, label: str, problems: list[str]) -> int | None:
    if isinstance(value, bool):
        problems.append(f"“{label}”应为不小于0的整数")
        return None
    if isinstance(value, str):
        text = value.strip()
        value = int(text) if text.isascii() and text.isdigit() else text
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if not isinstance(value, int) or value < 0:
        problems.append(f"“{label}”应为不小于0的整数（填写的是“{value}”）")
        return None
    return value


def _amount(value: object, label: str, problems: list[str]) -> Decimal | None:
    if isinstance(value, bool) or isinstance(value, float):
        # a float has already lost the decimal the office typed; ask for text
        problems.append(f"“{label}”请以文字形式填写金额，如 12.5")
        return None
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        problems.append(f"“{label}”应为数字（填写的是“{value}”）")
        return None
    if not amount.is_finite() or amount < 0:
        problems.append(f"“{label}”应为不小于0的数字（填写的是“{value}”）")
        return None
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        # 万元 to 4 decimals is one 元; finer is a typing error
        problems.append(f"“{label}”最多保留4位小数（单位为万元，4位小数即1元）")
        return None
    return amount


def _carry(value: object, label: str, problems: list[str]) -> tuple[int, ...] | None:
    if isinstance(value, Mapping):
        value = [value.get(k, 0) for k in COLUMN_KEYS]
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) \
            or len(value) != len(COLUMN_KEYS):
        problems.append(f"{label}应为{len(COLUMN_KEYS)}个数字（"
                        + "、".join(COLUMN_LABELS[k] for k in COLUMN_KEYS) + "）")
        return None
    numbers = [_count(v, f"{label}{COLUMN_LABELS[k]}列", problems)
               for k, v in zip(COLUMN_KEYS, value, strict=True)]
    if any(n is None for n in numbers):
        return None
    ints = tuple(int(n) for n in numbers if n is not None)
    if ints[-1] != sum(ints[:-1]):
        problems.append(f"{label}：总计（{ints[-1]}）≠ 自然人至其他各列之和（{sum(ints[:-1])}）")
        return None
    return ints


def parse_figures(values: Mapping[str, object], base: ReportFigures | None = None
                  ) -> ReportFigures:
    """``base`` (default: all zero) with the fields in ``values`` changed. Counts are
    non-negative integers (int or digits), the 万元 amount a Decimal or decimal text with at most
    4 decimals; an optional field given as None or "" is cleared. Every problem is reported at
    once, in Chinese, naming the field (ValidationErrors); nothing is changed then."""
    current = base or ReportFigures()
    known = {f.name for f in fields(ReportFigures)}
    problems: list[str] = []
    changes: dict[str, Any] = {}
    for name, value in values.items():
        if name not in known:
            problems.append(f"未知的数字项“{name}”")
            continue
        label = FIGURE_LABELS[name]
        if value is None or (isinstance(value, str) and not value.strip()):
            if name in _OPTIONAL:
                changes[name] = None
            else:
                problems.append(f"请填写“{label}”（没有请填0）")
            continue
        if name == "fee_amount":
            changes[name] = _amount(value, label, problems)
        elif name == "carry_forward":
            changes[name] = _carry(value, label, problems)
        else:
            changes[name] = _count(value, label, problems)
    if problems:
        raise ValidationErrors(problems, title="年报数字有误，未保存")
    return replace(current, **changes)


def _figures_json(f: ReportFigures) -> str:
    data: dict[str, Any] = asdict(f)
    data["fee_amount"] = format_amount(f.fee_amount)
    data["carry_forward"] = list(f.carry_forward) if f.carry_forward is not None else None
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _figures_dict(f: ReportFigures) -> dict[str, Any]:
    return json.loads(_figures_json(f))


def _saved(ctx: Context, year: int) -> report_store.SavedReport | None:
    return report_store.get_report(ctx.db, year)


def report_figures(ctx: Context, year: int) -> ReportFigures:
    """The figures saved for ``year`` (all zero when none were)."""
    saved = _saved(ctx, _check_year(year))
    if saved is None:
        return ReportFigures()
    data = json.loads(saved.figures_json or "{}")
    known = {f.name for f in fields(ReportFigures)}
    return parse_figures({k: v for k, v in data.items() if k in known})


# ---- tables --------------------------------------------------------------------------------------


def table3_of(ctx: Context, year: int) -> Table3:
    return tally_table3(report_store.application_facts(ctx.db, year), year)


def table4_of(ctx: Context, year: int) -> Table4:
    return tally_table4(report_store.appeal_facts(ctx.db, year), year)


def proactive_figures(ctx: Context, year: int,
                      figures: ReportFigures | None = None) -> ProactiveFigures:
    """表二: 规章 / 行政规范性文件 from the register, the rest as entered."""
    f = figures if figures is not None else report_figures(ctx, year)
    return replace(report_store.register_figures(ctx.db, year),
                   licensing_decisions=f.licensing_decisions,
                   penalty_decisions=f.penalty_decisions,
                   coercion_decisions=f.coercion_decisions, fee_amount=f.fee_amount)


def previous_carry_over(ctx: Context, year: int) -> tuple[int, ...] | None:
    """Last year's 表三 四 as published (saved figures), else recomputed from the database when
    last year has applications there, else None (nothing to check 二 against)."""
    last = year - 1
    published = report_figures(ctx, last).carry_forward
    if published is not None:
        return published
    if report_store.any_applications(ctx.db, last):
        return table3_of(ctx, last).row("CARRY_FORWARD")
    return None


def report_problems(ctx: Context, year: int) -> list[Problem]:
    """表三's 勾稽关系 problems (empty when the table balances), including 二、上年结转 against
    last year's 四 (see :func:`previous_carry_over`)."""
    _check_year(year)
    return check_table3(table3_of(ctx, year), previous_carry_over(ctx, year))


# ---- texts ---------------------------------------------------------------------------------------


def _place(name: str) -> str:
    name = name.removesuffix("人民政府").removesuffix("办事处")
    if name.endswith("街道"):
        return "街道"
    return "乡" if name.endswith("乡") else "镇"


def _year_bounds_utc(year: int) -> tuple[str, str]:
    from govdesk.operations.secrecy_report import month_bounds_utc

    return month_bounds_utc(year, 1)[0], month_bounds_utc(year, 12)[1]


def overview_figures(ctx: Context, year: int, *, table3: Table3 | None = None,
                     table4: Table4 | None = None,
                     figures: ReportFigures | None = None) -> OverviewFigures:
    """The year's figures for the 一、总体情况 draft, from the register, the boards and
    postings, the approval slips, the spot checks and 表三/表四."""
    db = ctx.db
    t3 = table3 if table3 is not None else table3_of(ctx, year)
    t4 = table4 if table4 is not None else table4_of(ctx, year)
    f = figures if figures is not None else report_figures(ctx, year)
    township = org_store.get_township(db)
    start, end = date(year, 1, 1), date(year, 12, 31)
    removals = report_store.posting_removals(db, year)
    # 公示期满按时撤栏: taken down after the 公示期's last day and by the next working day
    # (the rule the 月抽查 auto-findings use).
    on_time = sum(1 for planned, removed in removals
                  if removed is not None and planned <= removed <= ctx.calendar.next_workday(planned))
    slips, screened = report_store.approval_counts(db, *_year_bounds_utc(year))
    months, quarters = report_store.spot_check_rounds(db, year)
    total = COLUMN_KEYS.index("TOTAL")
    return OverviewFigures(
        place=_place(township.short_name or township.full_name),
        notices=notice_store.disclosed_total(db, start, end),
        by_channel=tuple(notice_store.disclosed_counts(db, start, end, "channel")),
        by_category=tuple(notice_store.disclosed_counts(db, start, end, "category")),
        communities=len(org_store.list_communities(db, active_only=True)),
        boards=len(org_store.list_boards(db, active_only=True)),
        postings=report_store.posting_count(db, year),
        taken_down=on_time,
        slips=slips,
        screened=screened,
        requests_received=t3.row("NEW")[total],
        requests_carried=t3.row("CARRIED")[total],
        requests_answered=t3.row("RESULTS_TOTAL")[total],
        requests_on_time=_answered_on_time(ctx, year),
        appeals=t4.review.total + t4.direct_suit.total + t4.suit_after_review.total,
        spot_checks=months if months else None,
        assessments=quarters if quarters else None,
        trainings=f.trainings,
        trainees=f.trainees,
        accountability=f.accountability,
        registers=register_figures(ctx, year),
    )


def register_figures(ctx: Context, year: int) -> RegisterFigures:
    """The year's counts of the four registers (政策解读, 舆情与热线, 建议提案, 培训与会议),
    for the 总体情况 draft and the 落实情况 report. Hotline rates count the cases closed by the
    end of the year (a case received in December and closed in January is open in the report of
    its year)."""
    from govdesk.core.registers import Period, RegisterKind
    from govdesk.operations.registers import register_stats

    period = Period.year(year)
    stats = {kind: register_stats(ctx, kind, period, as_of=period.end) for kind in RegisterKind}
    return RegisterFigures.of(stats[RegisterKind.INTERPRETATION],  # type: ignore[arg-type]
                              stats[RegisterKind.HOTLINE],  # type: ignore[arg-type]
                              stats[RegisterKind.PROPOSAL],  # type: ignore[arg-type]
                              stats[RegisterKind.MEETING])  # type: ignore[arg-type]


def _answered_on_time(ctx: Context, year: int) -> int:
    """Applications closed in ``year`` whose reply went out within the 法定期限 (条例第三十三条,
    with 补正, 征求意见 and 延期 as the clock ledger counts them)."""
    from govdesk.core.errors import UserError
    from govdesk.core.requests import ClockEvent, ClockEventKind, ledger
    from govdesk.store import request_store

    closed = [r for r in request_store.list_requests(ctx.db)
              if r.closed_on is not None and r.closed_on.year == year]
    events = request_store.events_of(ctx.db, (r.id for r in closed))
    today = ctx.today()
    on_time = 0
    for r in closed:
        facts = list(events[r.id])
        # Applications imported or entered before their facts were kept: the receipt and
        # the reply are all the register knows, and that is enough for the count.
        if not any(e.kind is ClockEventKind.RECEIVED for e in facts):
            facts.insert(0, ClockEvent.received(r.received_on))
        if not any(e.kind in (ClockEventKind.REPLIED, ClockEventKind.WITHDRAWN) for e in facts):
            assert r.closed_on is not None
            facts.append(ClockEvent.replied(r.closed_on))
        try:
            on_time += ledger(facts, ctx.calendar, today).late_days == 0
        except UserError:
            continue  # an impossible history is not counted as answered in time
    return on_time


def _fees_text(fees_collected: int) -> str:
    if fees_collected == 0:
        return f"{FEE_BASIS}本年度未收取信息处理费。"
    return f"{FEE_BASIS}本年度实际收取信息处理费共计{fees_collected}元。"


def _last_year_problems(ctx: Context, year: int) -> str:
    last = _saved(ctx, year - 1)
    text = (last.problems or "").strip() if last is not None else ""
    if not text:
        return ""
    if text.startswith(LAST_YEAR_MARK):
        text = text[len(LAST_YEAR_MARK):].lstrip("\n")
    return f"{LAST_YEAR_MARK}\n{text}"


def text_sources(ctx: Context, year: int) -> dict[str, str]:
    """Where each editable section's text comes from: "saved", "draft" (generated) or
    "last_year" (五 offered from last year's report) — for the GUI to say so."""
    saved = _saved(ctx, _check_year(year))
    out = {}
    for name in ("overview", "problems", "other"):
        if saved is not None and getattr(saved, name) is not None:
            out[name] = "saved"
        elif name == "problems" and _last_year_problems(ctx, year):
            out[name] = "last_year"
        else:
            out[name] = "draft"
    return out


def _contact(ctx: Context) -> str:
    t = org_store.get_township(ctx.db)
    parts = []
    if t.address.strip():
        parts.append(f"地址：{t.address.strip()}")
    if t.phone.strip():
        parts.append(f"电话：{t.phone.strip()}")
    if not parts:
        return ""
    office = f"{t.short_name or t.full_name.removesuffix('人民政府')}党政办"
    return "，".join([office, *parts])


def build_report(ctx: Context, year: int) -> AnnualReport:
    """The report of ``year`` as it stands: the tables from the registers, the saved texts or
    the drafts, the township's full name as the 报告机关, its address and phone as the contact,
    the saved 成文日期 or today. Reading needs no permission and is not audited."""
    _check_year(year)
    saved = _saved(ctx, year)
    figures = report_figures(ctx, year)
    t3, t4 = table3_of(ctx, year), table4_of(ctx, year)
    if saved is not None and saved.overview is not None:
        overview = saved.overview
    else:
        overview = draft_overview(year, overview_figures(ctx, year, table3=t3, table4=t4,
                                                         figures=figures))
    if saved is not None and saved.problems is not None:
        problems = saved.problems
    else:
        problems = _last_year_problems(ctx, year)
    other = saved.other if saved is not None and saved.other is not None \
        else _fees_text(figures.fees_collected)
    township = org_store.get_township(ctx.db)
    return AnnualReport(
        year=year,
        organ=township.full_name or township.short_name,
        texts=(overview, "", "", "", problems, other),
        table2=proactive_figures(ctx, year, figures),
        table3=t3,
        table4=t4,
        dated=saved.dated if saved is not None and saved.dated else ctx.today(),
        contact=_contact(ctx),
    )


# ---- saving --------------------------------------------------------------------------------------


def _row(ctx: Context, year: int) -> report_store.SavedReport:
    return _saved(ctx, year) or report_store.SavedReport(year)


def _store(ctx: Context, row: report_store.SavedReport) -> None:
    report_store.save_report(ctx.db, replace(row, updated_by=ctx.actor_id,
                                             updated_at=ctx.now_utc()))


@requires(PERMISSION)
def save_report_texts(ctx: Context, year: int, *, overview: str | None = None,
                      problems: str | None = None, other: str | None = None) -> None:
    """Save the texts of 一、总体情况 (``overview``), 五、存在的主要问题及改进情况
    (``problems``) and 六、其他需要报告的事项 (``other``). None leaves a section as it is; ""
    clears it (the draft is used again). One transaction, one audit entry with before/after."""
    _check_year(year)
    new = {}
    for name, value in (("overview", overview), ("problems", problems), ("other", other)):
        if value is None:
            continue
        if not isinstance(value, str):
            raise UserError(f"“{name}”应为文字", field=name)
        text = "\n".join(line.rstrip() for line in value.strip().splitlines())
        new[name] = text or None
    with ctx.db.atomic():
        row = _row(ctx, year)
        before = {k: getattr(row, k) for k in new}
        if before == new:
            return
        _store(ctx, replace(row, **new))
        ctx.audit("update", OBJECT_TYPE, year, before=before, after=new)


@requires(PERMISSION)
def save_report_date(ctx: Context, year: int, dated: date | None) -> None:
    """The 成文日期 under the 署名 (None: today's date is used when printing). It must not be
    before the year is over."""
    _check_year(year)
    if dated is not None and dated <= date(year, 12, 31):
        raise UserError(f"{year}年度报告的成文日期应在{year}年12月31日之后", field="dated")
    with ctx.db.atomic():
        row = _row(ctx, year)
        if row.dated == dated:
            return
        _store(ctx, replace(row, dated=dated))
        ctx.audit("update", OBJECT_TYPE, year,
                  before={"dated": row.dated.isoformat() if row.dated else None},
                  after={"dated": dated.isoformat() if dated else None})


@requires(PERMISSION)
def save_report_figures(ctx: Context, year: int,
                        figures: ReportFigures | Mapping[str, object]) -> ReportFigures:
    """Save the entered figures: a whole :class:`ReportFigures`, or a mapping of the fields to
    change (see :func:`parse_figures` for the rules). Validated first: on any problem nothing is
    saved. One transaction, audited with before/after. Returns the figures now saved."""
    _check_year(year)
    with ctx.db.atomic():
        old = report_figures(ctx, year)
        if isinstance(figures, ReportFigures):
            new = parse_figures({f.name: getattr(figures, f.name)
                                 for f in fields(ReportFigures)})
        else:
            new = parse_figures(figures, old)
        if new == old and _saved(ctx, year) is not None:
            return new
        _store(ctx, replace(_row(ctx, year), figures_json=_figures_json(new)))
        ctx.audit("update", OBJECT_TYPE, year, before=_figures_dict(old),
                  after=_figures_dict(new))
    return new


# ---- export --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    format: str  # docx / pdf / json
    pages: int | None = None  # the PDF's
    problems: tuple[Problem, ...] = field(default_factory=tuple)  # only a JSON has any


class UnbalancedReport(UserError):
    """A final report (.docx/.pdf) was refused because 表三 does not balance; ``problems`` are
    the 勾稽关系 problems, one message each."""

    def __init__(self, year: int, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{year}年度报告表三勾稽关系不符，不能导出正式报告（可先导出 .json 核对）：\n"
                         + "\n".join(p.message for p in self.problems), field="表三")


def _problems_json(problems: Sequence[Problem]) -> list[dict[str, Any]]:
    return [{"message": p.message,
             "cells": [{"table": c.table, "row": c.row, "column": c.column} for c in p.cells]}
            for p in problems]


@requires(PERMISSION)
def export_annual_report(ctx: Context, year: int, path: str | os.PathLike[str], *,
                         invariant: bool = False) -> ExportResult:
    """Write the report of ``year`` to ``path`` by its extension: .docx (editable), .pdf (the
    GB/T 9704 print) or .json (every text and cell, and the 勾稽关系 problems). A final report
    (.docx/.pdf) is refused while 表三 does not balance, listing every problem; exporting one
    records its 四、结转下年度继续办理 as published (next year's 上年结转 is checked against
    it). Atomic; audited."""
    _check_year(year)
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise UserError("年度报告只能导出为 .docx（Word）、.pdf 或 .json 文件", field="文件名")
    report = build_report(ctx, year)
    problems = report_problems(ctx, year)
    final = suffix != ".json"
    if final and problems:
        raise UnbalancedReport(year, problems)
    if suffix == ".pdf" and LAST_YEAR_MARK in report.texts[4]:
        raise UserError("“五、存在的主要问题及改进情况”仍是上年度报告的内容，请修改并保存后再打印"
                        "（可先导出 .docx 修改）。", field="problems")
    pages = None
    if suffix == ".docx":
        from govdesk.export.annual_report_docx import annual_report_docx

        annual_report_docx(report, target)
    elif suffix == ".pdf":
        from govdesk.export.annual_report_pdf import annual_report_pdf
        from govdesk.export.fonts import resolve_fonts
        from govdesk.operations.printing import font_overrides

        pages = annual_report_pdf(report, target, fonts=resolve_fonts(font_overrides(ctx)),
                                  invariant=invariant)
    else:
        from govdesk.export.pdf_write import write_atomically

        data = report_json(report)
        data["problems"] = _problems_json(problems)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        write_atomically(target, lambda fh: fh.write(text.encode("utf-8")), action="导出")
    carry = list(report.table3.row("CARRY_FORWARD"))
    with ctx.db.atomic():
        # Only a report of a year that is over publishes its 结转下年度: a draft exported in
        # November would otherwise pin a carry-over that December's applications change.
        if final and ctx.today() > date(year, 12, 31):
            old = report_figures(ctx, year)
            if old.carry_forward != tuple(carry):
                _store(ctx, replace(_row(ctx, year),
                                    figures_json=_figures_json(replace(
                                        old, carry_forward=tuple(carry)))))
        ctx.audit("export", "file", target.name, kind=REPORT_KIND, year=year,
                  format=suffix[1:], carry_forward=carry, problems=len(problems),
                  **({"pages": pages} if pages is not None else {}))
    return ExportResult(target, suffix[1:], pages, tuple(problems) if not final else ())
