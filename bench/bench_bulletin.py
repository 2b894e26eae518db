"""通报 PDF with charts: 50 communities × a 30-indicator-like default scheme, three months per
quarter, four quarters (trend chart). Issue 5's budget: the 通报 PDF with chart ≤ 2 s.

    .venv/bin/python bench/bench_bulletin.py [communities] [-o out.pdf]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from govdesk.core.bulletin import build_bulletin  # noqa: E402
from govdesk.core.scoring import (  # noqa: E402
    Deduction,
    QuarterRule,
    SpotCheck,
    assess_quarter,
    default_scheme,
    quarter_months,
)
from govdesk.export.bulletin_pdf import bulletin_pdf  # noqa: E402
from govdesk.export.fonts import resolve_fonts  # noqa: E402

FINDINGS = (
    ("3.2", 0, "公示期满未及时撤栏"),
    ("2.3", 0, "财务收支未按月公开"),
    ("4.2", 0, "公开前未经审批"),
    ("1.1", 1, "公开栏栏面破损、内容脱落"),
    ("2.2", 1, "公开数据有明显错误"),
    ("3.1", 0, "超过公开时限公开"),
    ("5.1", 0, "群众意见未登记答复"),
    ("4.3", 0, "公开资料未归档"),
)
NAMES = ("云溪", "柳河", "青山", "金星", "河湾", "松林", "桃源", "石桥", "新华", "东风", "红旗",
         "向阳", "长安", "和平", "光明", "幸福", "团结", "胜利", "建设", "前进")


def community_names(n: int) -> dict[int, str]:
    out = {}
    for i in range(n):
        base = NAMES[i % len(NAMES)]
        suffix = "" if i < len(NAMES) else str(i // len(NAMES) + 1)
        out[i + 1] = f"{base}{suffix}{'社区' if i % 3 else '村'}"
    return out


def sample(n: int = 50, year: int = 2017, quarters=(1, 2, 3), seed: int = 7):
    """(scheme, communities, checks) with random realistic findings."""
    rng = random.Random(seed)
    scheme = default_scheme(year)
    communities = community_names(n)
    checks = []
    for q in quarters:
        for m in quarter_months(q):
            for cid in communities:
                ds = [Deduction(code, reason, count=rng.randint(1, 3), rule=rule)
                      for code, rule, reason in rng.sample(FINDINGS, rng.choice((0, 1, 2, 3, 4, 6, 8)))]
                checks.append(SpotCheck(cid, year, m, tuple(ds)))
    return scheme, communities, checks


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("communities", nargs="?", type=int, default=50)
    ap.add_argument("-o", "--output")
    args = ap.parse_args()
    scheme, communities, checks = sample(args.communities)
    fonts = resolve_fonts()
    t0 = time.perf_counter()
    prev = [assess_quarter(scheme, QuarterRule(), 2017, q, communities, checks) for q in (1, 2)]
    results = assess_quarter(scheme, QuarterRule(), 2017, 3, communities, checks)
    b = build_bulletin(scheme, results, checks, township="金星镇", year=2017, quarter=3,
                       issuer="金星镇人民政府", issued_on=date(2017, 10, 12), previous=prev)
    t1 = time.perf_counter()
    out = args.output or str(Path(tempfile.mkdtemp()) / "bulletin.pdf")
    pages = bulletin_pdf(b, out, fonts=fonts)
    t2 = time.perf_counter()
    print(f"communities={args.communities} pages={pages} assess+build={1000 * (t1 - t0):.0f} ms "
          f"pdf={1000 * (t2 - t1):.0f} ms (budget 2000 ms) -> {out}")


if __name__ == "__main__":
    main()
