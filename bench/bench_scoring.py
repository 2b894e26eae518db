"""Community assessment at the issue's scale: 50 communities × 12 months × a 30-indicator scheme.
Times ranking one quarter (target ≤ 50 ms), the quarterly xlsx (target ≤ 1 s) and the 通报 PDF
with its charts (target ≤ 2 s).

    python bench/bench_scoring.py [--runs 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from govdesk.core.scoring import (
    Deduction,
    DeductionRule,
    Indicator,
    QuarterRule,
    Scheme,
    SpotCheck,
    assess_quarter,
)


def scheme_30(year: int) -> Scheme:
    """Six 一级 indicators of five 二级 each: 20 leaves of 3 points and 10 of 4 (total 100)."""
    groups = []
    n = 0
    for g in range(1, 7):
        leaves = []
        for k in range(1, 6):
            n += 1
            points = 4 if n % 3 == 0 else 3
            leaves.append(Indicator(f"{g}.{k}", f"指标{g}.{k}", points, rules=(
                DeductionRule("每发现一处扣1分", 1), DeductionRule("每少公开一次扣0.5分", "0.5", 2))))
        groups.append(Indicator(str(g), f"一级指标{g}", sum(leaf.max_points for leaf in leaves),
                                children=tuple(leaves)))
    return Scheme(year, "基准测试细则", tuple(groups))


def checks_for(scheme: Scheme, communities: int, year: int, rng: random.Random) -> list[SpotCheck]:
    out = []
    leaves = [leaf.code for leaf in scheme.leaves]
    for cid in range(1, communities + 1):
        for month in range(1, 13):
            deductions = tuple(
                Deduction(code, "公开栏内容未及时更新", count=rng.randint(1, 3), rule=rng.randint(0, 1))
                for code in rng.sample(leaves, rng.randint(0, 6))
            )
            out.append(SpotCheck(cid, year, month, deductions, checked_on=date(year, month, 20)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    year = 2026
    scheme = scheme_30(year)
    communities = {cid: f"第{cid}社区" for cid in range(1, 51)}
    checks = checks_for(scheme, 50, year, random.Random(7))
    rule = QuarterRule()

    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        results = assess_quarter(scheme, rule, year, 3, communities, checks)
        times.append(time.perf_counter() - t)
    print(f"rank one quarter (50 communities, {len(checks)} checks in the year, 30 indicators): "
          f"median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms "
          "(target ≤ 50 ms)")

    from govdesk.export.assessment_tables import quarter_table, write_quarter_xlsx

    out = Path(tempfile.mkdtemp(prefix="govdesk-bench-scoring-"))
    times = []
    for i in range(args.runs):
        t = time.perf_counter()
        table = quarter_table(scheme, results, township="基准镇", year=year, quarter=3)
        write_quarter_xlsx(table, out / f"q{i}.xlsx")
        times.append(time.perf_counter() - t)
    print(f"quarterly xlsx: median {statistics.median(times) * 1000:.0f} ms (target ≤ 1 s)")

    from govdesk.core.bulletin import build_bulletin
    from govdesk.export.bulletin_pdf import bulletin_pdf

    previous = [assess_quarter(scheme, rule, year, q, communities, checks) for q in (1, 2)]
    times = []
    for i in range(args.runs):
        t = time.perf_counter()
        b = build_bulletin(scheme, results, checks, township="基准镇", year=year, quarter=3,
                           issuer="基准镇人民政府", issued_on=date(year, 10, 15),
                           previous=previous)
        bulletin_pdf(b, out / f"b{i}.pdf")
        times.append(time.perf_counter() - t)
    print(f"通报 PDF with both charts: median {statistics.median(times) * 1000:.0f} ms, first "
          f"{times[0] * 1000:.0f} ms (target ≤ 2 s)")


if __name__ == "__main__":
    main()
