"""The quarter's 通报 (issue 5, item 7): what it says, built from the scoring results. Pure: no
I/O, no reportlab; export.bulletin_pdf renders it through the notice (GB/T 9704) machinery.

The 通报 is a notice document: title, 主送 line, an opening paragraph generated from the data,
"一、考核结果" with the ranking table (排名、社区、得分、等次) and the charts, "二、考核等次"
with the 等次 lists, "三、存在的主要问题" with the most frequent deduction reasons counted,
"四、下一步工作要求", then 署名 and date.

Editing: :func:`bulletin_text` gives the whole document as plain text in the notice body markup
(the title on the first line, paragraphs, "一、" headings, ``|``-tables, and the 署名 and date
on the last two lines); :func:`parse_bulletin_text` reads an edited text back, so the office can
change any word before printing and the renderer prints what they wrote.

Decisions:

* The checks counted are those of the quarter (月抽查 and 季度检查) of the communities assessed.
* A problem's count is the number of findings: a deduction entered as "发现3次" counts 3, one
  entered as points counts 1. Reasons are compared after trimming spaces and trailing
  punctuation; the top 5 are listed, most frequent first, ties in code-point order of the text.
* The trend chart lists the current quarter's communities in rank order, with their published
  scores in every quarter given (None where a community was not assessed that quarter).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from govdesk.core.errors import UserError
from govdesk.core.notices import BodyBlock, BodyTable, Heading, Paragraph, parse_body
from govdesk.core.scoring import (
    CheckKind,
    Grade,
    QuarterResult,
    Scheme,
    SpotCheck,
    quarter_months,
)

__all__ = [
    "ADDRESSEE",
    "RANKING_HEADER",
    "TOP_PROBLEMS",
    "Bulletin",
    "BulletinCharts",
    "Problem",
    "RankingRow",
    "build_bulletin",
    "bulletin_text",
    "common_problems",
    "parse_bulletin_text",
    "quarter_label",
]

CN_QUARTER = "一二三四"
ADDRESSEE = "各社区（村）、镇直各部门："
RANKING_HEADER = ("排名", "社区", "得分", "等次")
TOP_PROBLEMS = 5
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_TRIM = " \t\u3000。；;，,、.！!"


def quarter_label(year: int, quarter: int, *, with_year: bool = True) -> str:
    """2017, 3 → "2017年第三季度" (or "第三季度")."""
    quarter_months(quarter)  # validates 1..4
    q = f"第{CN_QUARTER[quarter - 1]}季度"
    return f"{year}年{q}" if with_year else q


def _score_text(score: Decimal) -> str:
    return f"{score:.1f}"


@dataclass(frozen=True)
class RankingRow:
    rank: int
    name: str
    score: Decimal
    grade: Grade


@dataclass(frozen=True)
class Problem:
    reason: str
    count: int

    @property
    def text(self) -> str:
        return f"{self.reason}（{self.count}次）"


@dataclass(frozen=True)
class BulletinCharts:
    """What the charts show. ``ranking``: (name, score) best first. ``quarters``: the trend's
    quarter labels, oldest first; ``trend``: (name, score per quarter or None) in rank order
    of the current quarter; empty when no previous quarter was given. ``axis_max``: the value
    axis runs 0 … axis_max (100, or the highest score rounded up to 10 when bonuses pass it)."""

    period: str
    ranking: tuple[tuple[str, Decimal], ...]
    quarters: tuple[str, ...] = ()
    trend: tuple[tuple[str, tuple[Decimal | None, ...]], ...] = ()
    axis_max: Decimal = Decimal(100)

    @property
    def has_trend(self) -> bool:
        return len(self.quarters) > 1 and bool(self.trend)


@dataclass(frozen=True)
class Bulletin:
    """The 通报 as a document (title, body blocks, 署名, date) plus the data it was made from."""

    title: str
    blocks: tuple[BodyBlock, ...]
    issuer: str
    issued_on: date
    charts: BulletinCharts | None = None
    ranking: tuple[RankingRow, ...] = ()
    grades: Mapping[Grade, tuple[str, ...]] | None = None
    problems: tuple[Problem, ...] = ()
    communities: int = 0
    checks: int = 0

    @property
    def date_text(self) -> str:
        d = self.issued_on
        return f"{d.year}年{d.month}月{d.day}日"

    def with_text(self, text: str) -> Bulletin:
        """This bulletin with title, body, 署名 and date taken from an edited text."""
        title, blocks, issuer, dated = parse_bulletin_text(text)
        return replace(self, title=title, blocks=blocks, issuer=issuer,
                       issued_on=dated or self.issued_on)


def _normal_reason(reason: str) -> str:
    return " ".join(reason.split()).strip(_TRIM)


def common_problems(checks: Iterable[SpotCheck], top: int = TOP_PROBLEMS) -> tuple[Problem, ...]:
    """The most frequent deduction reasons of ``checks``, counted by findings (a deduction of
    "发现3次" counts 3), most frequent first, ties by text; at most ``top``."""
    counts: Counter[str] = Counter()
    for c in checks:
        for d in c.deductions:
            reason = _normal_reason(d.reason)
            if reason:
                counts[reason] += d.count if d.count and d.count > 0 else 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(Problem(r, n) for r, n in ordered[:top])


def _trend(results: Sequence[QuarterResult], year: int, quarter: int,
           previous: Iterable[Sequence[QuarterResult]]) -> tuple[tuple[str, ...], tuple]:
    by_quarter: dict[tuple[int, int], dict[int, Decimal]] = {}
    for group in previous:
        for r in group:
            key = (r.score.year, r.score.quarter)
            if key != (year, quarter):
                by_quarter.setdefault(key, {})[r.score.community_id] = r.score.total
    if not by_quarter:
        return (), ()
    by_quarter[(year, quarter)] = {r.score.community_id: r.score.total for r in results}
    keys = sorted(by_quarter)
    same_year = all(y == year for y, _ in keys)
    labels = tuple(quarter_label(y, q, with_year=not same_year) for y, q in keys)
    trend = tuple((r.score.name, tuple(by_quarter[k].get(r.score.community_id) for k in keys))
                  for r in results)
    return labels, trend


def build_bulletin(scheme: Scheme, results: Sequence[QuarterResult],
                   checks: Iterable[SpotCheck], *, township: str, year: int, quarter: int,
                   issuer: str, issued_on: date,
                   previous: Iterable[Sequence[QuarterResult]] | None = None) -> Bulletin:
    """The 通报 of ``year``/``quarter`` from :func:`~govdesk.core.scoring.assess_quarter`'s
    ``results`` (in rank order) and the checks they were made from. ``previous``: results of
    earlier quarters (one sequence per quarter) for the trend chart."""
    months = quarter_months(quarter)
    period = quarter_label(year, quarter)
    results = sorted(results, key=lambda r: (r.rank, r.score.name))
    assessed = {r.score.community_id for r in results}
    mine = [c for c in checks
            if c.year == year and c.quarter == quarter and c.community_id in assessed]
    monthly = [c for c in mine if c.kind is CheckKind.MONTHLY]
    quarterly = [c for c in mine if c.kind is not CheckKind.MONTHLY]
    rounds = sorted({c.month for c in monthly})

    ranking = tuple(RankingRow(r.rank, r.score.name, r.score.total, r.grade) for r in results)
    grades = {g: tuple(row.name for row in ranking if row.grade is g) for g in Grade}
    problems = common_problems(mine)

    # ---- opening
    n = len(results)
    done = "、".join(f"{m}月" for m in rounds)
    opening = (f"根据《{scheme.name}》，{township}政务公开工作领导小组于{year}年{months[0]}月至"
               f"{months[2]}月对全镇{n}个社区（村）的政务公开工作进行了检查考核。")
    if monthly:
        opening += (f"本季度共开展月抽查{len(rounds)}次（{done}），"
                    f"累计检查{len(monthly)}个社区（村）次")
        if quarterly:
            opening += f"，另开展季度检查{len(quarterly)}个社区（村）次"
        opening += "。"
    elif quarterly:
        opening += f"本季度开展季度检查{len(quarterly)}个社区（村）次。"
    opening += "现将考核情况通报如下："

    blocks: list[BodyBlock] = [Paragraph(ADDRESSEE), Paragraph(opening),
                               Heading(1, "一、考核结果")]
    if ranking:
        blocks.append(Paragraph(f"{period}各社区（村）考核得分及排名情况如下："))
        blocks.append(BodyTable((RANKING_HEADER, *(
            (str(row.rank), row.name, _score_text(row.score), row.grade.value)
            for row in ranking))))
    else:
        blocks.append(Paragraph("本季度无社区（村）参加考核。"))

    blocks.append(Heading(1, "二、考核等次"))
    blocks.append(Paragraph("根据考核得分，评定等次如下："))
    for g in Grade:
        names = grades[g]
        blocks.append(Paragraph(f"{g.value}：{'、'.join(names) if names else '无'}。"))

    blocks.append(Heading(1, "三、存在的主要问题"))
    if problems:
        blocks.append(Paragraph("从检查情况看，各社区（村）政务公开工作总体规范，"
                                "但仍存在一些共性问题，主要有："))
        for i, p in enumerate(problems, 1):
            end = "。" if i == len(problems) else "；"
            blocks.append(Heading(3, f"{i}.{p.text}{end}"))
    else:
        blocks.append(Paragraph("本季度检查中未发现扣分问题。"))

    blocks.append(Heading(1, "四、下一步工作要求"))
    blocks.append(Paragraph(
        "各社区（村）要对照检查中发现的问题，逐条认真整改，整改情况于通报印发之日起10个工作日内"
        f"报镇党政办。考核得分排名靠后的社区（村）要认真查找原因，切实加以改进。{township}将继续"
        "坚持月抽查、季考核制度，考核结果纳入年终综合考核。"))

    axis_max = Decimal(100)
    labels, trend = _trend(results, year, quarter, previous or ())
    top = max([row.score for row in ranking] +
              [s for _, scores in trend for s in scores if s is not None], default=Decimal(0))
    if top > axis_max:
        axis_max = Decimal((int(top) // 10 + 1) * 10)
    charts = BulletinCharts(period=period,
                            ranking=tuple((row.name, row.score) for row in ranking),
                            quarters=labels, trend=trend, axis_max=axis_max)
    return Bulletin(
        title=f"关于{year}年第{CN_QUARTER[quarter - 1]}季度社区政务公开考核情况的通报",
        blocks=tuple(blocks), issuer=issuer, issued_on=issued_on, charts=charts,
        ranking=ranking, grades=grades, problems=problems, communities=n,
        checks=len(mine),
    )


# ---- text round trip ---------------------------------------------------------------------------

def _block_text(block: BodyBlock) -> str:
    if isinstance(block, BodyTable):
        return "\n".join("| " + " | ".join(row) + " |" for row in block.rows)
    return block.text


def bulletin_text(b: Bulletin) -> str:
    """The whole 通报 as editable text: the title, a blank line, the body in the notice body
    markup (tables separated by blank lines), a blank line, the 署名 and the date."""
    parts = [b.title, ""]
    for block in b.blocks:
        if isinstance(block, BodyTable):
            parts += ["", _block_text(block), ""]
        else:
            parts.append(_block_text(block))
    parts += ["", b.issuer, b.date_text]
    text = "\n".join(parts)
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"


def parse_bulletin_text(text: str) -> tuple[str, tuple[BodyBlock, ...], str, date | None]:
    """(title, body blocks, 署名, date) of an edited 通报 text. The title is the first non-empty
    line; if the last line is a date (2017年10月10日) it is the 成文日期 and the line before it,
    when short and not a sentence, the 署名. Raises UserError when there is no title."""
    lines = [ln.strip() for ln in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        raise UserError("通报内容为空：第一行应为标题。")
    title = lines.pop(0)
    if "|" in title:
        raise UserError("通报的第一行应为标题，不能是表格。")
    dated: date | None = None
    issuer = ""
    if lines and (m := _DATE_LINE.match(lines[-1])):
        try:
            dated = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise UserError(f"成文日期“{lines[-1]}”不是有效日期。") from None
        lines.pop()
        if (lines and lines[-1] and len(lines[-1]) <= 30 and "|" not in lines[-1]
                and not re.search(r"[。：；，]", lines[-1])):
            issuer = lines.pop()
    return title, tuple(parse_body("\n".join(lines))), issuer, dated
