"""保密审查汇总表: the monthly summary of every 保密审查 decision, filed with the office's
records (rules-and-formats §4.3 A: "a monthly 《保密审查汇总表》 is filed"; §4.1: "信息公开保密审查
审批记录应归档保存备查").

One row per 保密审查 decision (同意 / 退回修改 / 不同意) recorded in a local-time month, in the
order they were recorded, with what the screening let through and why. The report never carries
personal information (§7, A11): findings are given as kinds and counts with the reviewer's reason,
and every free text taken from the records (titles, 文号, opinions, reasons) goes through the
screener's masking first, so a number typed into an opinion is masked here too.
"""

from __future__ import annotations

import calendar
import os
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from govdesk.core.approvals import Decision, EventKind, Stage
from govdesk.core.errors import UserError
from govdesk.core.screening import MASKABLE_KINDS, mask, mask_token, screen
from govdesk.operations import approvals
from govdesk.operations.context import Context, requires
from govdesk.store import approval_store, org_store
from govdesk.store.approval_store import PassRow

__all__ = [
    "CONCLUSIONS",
    "REPORT_KIND",
    "REPORT_PERMISSION",
    "SecrecyRow",
    "SecrecySummary",
    "export_secrecy_summary",
    "month_bounds_utc",
    "secrecy_summary",
    "summary_table",
]

# Who may read and export the summary: staff, the 保密审查员 and the leaders.
REPORT_PERMISSION = "report.secrecy"
REPORT_KIND = "保密审查汇总表"

CONCLUSIONS: dict[Decision, str] = {
    Decision.APPROVE: "可以公开",
    Decision.RETURN: "退回修改",
    Decision.REJECT: "不予公开",
}

HEADERS = ("序号", "审批单编号", "信息名称", "文号", "承办单位", "审查日期", "审查人", "结论",
           "审查意见", "筛查发现", "纸质签批")


@dataclass(frozen=True)
class SecrecyRow:
    seq: int  # 序号
    slip_number: str  # 审批单编号
    title: str  # 信息名称
    doc_number: str  # 文号
    unit: str  # 承办单位
    reviewed_on: date  # 审查日期 (the date on the paper for a paper signature, else the local date)
    reviewer: str  # 审查人
    conclusion: str  # 结论
    opinion: str  # 审查意见
    findings: str  # 筛查发现: kinds, counts and how each was resolved; "无"
    paper: bool  # 纸质签批
    at_utc: str  # when the decision was recorded (the order of the rows)

    def cells(self) -> list[object]:
        return [self.seq, self.slip_number, self.title, self.doc_number, self.unit,
                self.reviewed_on, self.reviewer, self.conclusion, self.opinion, self.findings,
                "是" if self.paper else "否"]


@dataclass(frozen=True)
class SecrecySummary:
    township: str  # short name (柳河镇) for the title
    township_full: str  # full name (××县柳河镇人民政府) for the running head
    year: int
    month: int
    rows: tuple[SecrecyRow, ...]
    passes: int  # 放行条数: findings let through unmasked with a reason (each counted once)

    @property
    def total(self) -> int:  # 审查总数
        return len(self.rows)

    def count(self, conclusion: str) -> int:
        return sum(1 for r in self.rows if r.conclusion == conclusion)

    @property
    def approved(self) -> int:  # 可以公开
        return self.count(CONCLUSIONS[Decision.APPROVE])

    @property
    def returned(self) -> int:  # 退回修改
        return self.count(CONCLUSIONS[Decision.RETURN])

    @property
    def rejected(self) -> int:  # 不予公开
        return self.count(CONCLUSIONS[Decision.REJECT])

    @property
    def title(self) -> str:
        return f"{self.township}{self.year}年{self.month}月{REPORT_KIND}"

    @property
    def period_text(self) -> str:
        return f"{self.year}年{self.month}月"

    def totals_text(self) -> str:
        return (f"审查总数 {self.total} 件，其中可以公开 {self.approved} 件，退回修改 {self.returned} 件，"
                f"不予公开 {self.rejected} 件；放行 {self.passes} 条")


def month_bounds_utc(year: int, month: int) -> tuple[str, str]:
    """[first local midnight of the month, first local midnight of the next) as UTC strings in
    the form the approval events are stored (ctx.now_utc): the office PC runs on Beijing time."""
    if not 1 <= month <= 12:
        raise UserError("月份须在1至12之间", field="月份")
    if not 2000 <= year <= 9998:
        raise UserError("年份不正确", field="年份")
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)

    def utc(y: int, m: int) -> str:
        return datetime(y, m, 1).astimezone().astimezone(UTC).isoformat(timespec="seconds")

    return utc(year, month), utc(*nxt)


def _local_date(utc_iso: str) -> date:
    return datetime.fromisoformat(utc_iso.replace("Z", "+00:00")).astimezone().date()


class _Deidentifier:
    """Masks ID, mobile and bank-card numbers in free text by the office's masking policy (the
    township's public numbers stay, as on the notices)."""

    def __init__(self, ctx: Context) -> None:
        from govdesk.operations.screening import public_numbers

        self._allowed = public_numbers(ctx)
        self._today = ctx.today()

    def __call__(self, text: str) -> str:
        if not text:
            return ""
        found = [f for f in screen({"t": text}, allowed_numbers=self._allowed, today=self._today)
                 if f.kind in MASKABLE_KINDS]
        if not found:
            return text
        try:
            return mask(text, found)
        except ValueError:
            # A token the policy cannot mask (odd layout, overlapping marks): hide it whole.
            out = text
            for f in sorted(found, key=lambda f: f.start, reverse=True):
                try:
                    shown = mask_token(f.kind, f.text)
                except ValueError:
                    shown = "*" * (f.end - f.start)
                out = out[:f.start] + shown + out[f.end:]
            return out


def _findings_text(passes: list[PassRow], clean) -> str:
    """“身份证号2处（放行：理由）；手机号1处（放行：理由）”, or “无”. Passes are grouped by kind
    and reason, in the order they were recorded."""
    if not passes:
        return "无"
    groups = Counter((p.kind, clean(p.reason.strip())) for p in passes)
    return "；".join(f"{kind}{n}处（放行：{reason}）" for (kind, reason), n in groups.items())


def _letter_office(ctx: Context) -> str:
    from govdesk.operations.request_letters import letter_settings

    return letter_settings(ctx).office


@requires(REPORT_PERMISSION)
def secrecy_summary(ctx: Context, year: int, month: int) -> SecrecySummary:
    """Every 保密审查 decision recorded in the local-time month ``year``-``month``, in the order
    recorded, with the totals. Reading changes nothing and is not audited; exporting is."""
    start, end = month_bounds_utc(year, month)
    clean = _Deidentifier(ctx)
    township = org_store.get_township(ctx.db)
    found: list[tuple[str, int, SecrecyRow]] = []
    counted: set[tuple[int, str, str]] = set()
    for slip_id in approval_store.reviewed_between(ctx.db, start, end):
        view = approvals.get_slip(ctx, slip_id)
        passes = approval_store.passes_of_slip(ctx.db, slip_id)
        notice = view.notice
        if notice is not None:
            title, doc_number, unit = clean(notice.title), clean(notice.doc_number), notice.owner
        else:  # a 依申请公开 letter: the office's, with no 文号 of its own
            title, doc_number, unit = clean(view.title), "", _letter_office(ctx)
        for row in view.events:
            ev = row.event
            if (ev.kind is not EventKind.DECIDE or ev.decision is None
                    or row.stage != Stage.SECRECY.value or not start <= row.at_utc < end):
                continue
            # The passes that stood for the content this decision was about, made before it.
            mine = [p for p in passes
                    if p.content_hash == ev.content_hash and p.at_utc <= row.at_utc]
            counted.update((slip_id, p.fingerprint, p.content_hash) for p in mine)
            found.append((row.at_utc, row.id, SecrecyRow(
                seq=0, slip_number=view.number, title=title,
                doc_number=doc_number, unit=unit,
                reviewed_on=ev.signed_on if ev.paper and ev.signed_on else _local_date(row.at_utc),
                reviewer=row.actor_name, conclusion=CONCLUSIONS[ev.decision],
                opinion=clean(ev.opinion), findings=_findings_text(mine, clean),
                paper=ev.paper, at_utc=row.at_utc,
            )))
    found.sort(key=lambda t: (t[0], t[1]))
    rows = tuple(replace(r, seq=i) for i, (_, _, r) in enumerate(found, start=1))
    return SecrecySummary(
        township=township.short_name or township.full_name,
        township_full=township.full_name or township.short_name, year=year, month=month, rows=rows,
        passes=len(counted),
    )


# Widths in Chinese characters (export.tables.Column): latin text and digits are half as wide.
_COLUMNS = (
    ("序号", 4, "int"), ("审批单编号", 8, "text"), ("信息名称", 32, "wrap"),
    ("文号", 11, "wrap"), ("承办单位", 9, "wrap"), ("审查日期", 7, "date"),
    ("审查人", 6, "text"), ("结论", 6, "text"), ("审查意见", 18, "wrap"),
    ("筛查发现", 20, "wrap"), ("纸质签批", 5, "text"),
)


def summary_table(ctx: Context, summary: SecrecySummary, *, totals_row: bool = True):
    """The summary as an export Table: the rows, then (``totals_row``) a 合计 row whose 信息名称
    cell carries the totals sentence."""
    from govdesk.export.tables import Column, Table

    columns = tuple(Column(title, width, kind) for title, width, kind in _COLUMNS)
    assert tuple(c.title for c in columns) == HEADERS
    rows: list[list[object]] = [r.cells() for r in summary.rows]
    if totals_row:
        totals: list[object] = [None] * len(columns)
        totals[0], totals[2] = "合计", summary.totals_text()
        rows.append(totals)
    last_day = calendar.monthrange(summary.year, summary.month)[1]
    now = ctx.clock().astimezone()
    subtitle = (f"统计期间：{summary.year}年{summary.month}月1日至{summary.month}月{last_day}日"
                f"（按保密审查签批的录入时间）　导出时间：{now.year}年{now.month}月{now.day}日")
    return Table(title=summary.title, columns=columns, rows=rows, subtitle=subtitle)


@requires(REPORT_PERMISSION)
def export_secrecy_summary(ctx: Context, year: int, month: int, path: str | os.PathLike[str], *,
                           invariant: bool = False) -> int:
    """Write the month's summary to ``path``: .xlsx (title row, header row, the rows, a 合计 row)
    or .pdf (landscape A4, header row on every page, page numbers, signature lines for filing),
    by the file's extension. Atomic; audited. Returns the number of review rows."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        raise UserError("保密审查汇总表只能导出为 .xlsx（Excel）或 .pdf 文件", field="文件名")
    summary = secrecy_summary(ctx, year, month)
    if suffix == ".xlsx":
        from govdesk.export.tables import write_xlsx

        write_xlsx(target, summary_table(ctx, summary), sheet_names=[f"{year}年{month}月"])
    else:
        from govdesk.export.fonts import resolve_fonts
        from govdesk.export.secrecy_report_pdf import secrecy_summary_pdf
        from govdesk.operations.printing import font_overrides

        secrecy_summary_pdf(summary_table(ctx, summary, totals_row=False), target, township=summary.township_full,
                            period_text=summary.period_text, totals=summary.totals_text(),
                            fonts=resolve_fonts(font_overrides(ctx)), invariant=invariant)
    with ctx.db.atomic():
        # "print" (打印) is the action every file made from the records is logged under; the
        # audit page has no label for a separate "export" action.
        ctx.audit("export", "file", target.name, kind=REPORT_KIND, month=f"{year}-{month:02d}",
                  rows=summary.total, format=suffix[1:])
    return summary.total
