"""Community assessment at the issue's scale: 50 communities × 12 months × a 30-indicator scheme.
Times ranking one quarter (target ≤ 50 ms), the quarterly xlsx (target ≤ 1 s) and the 通报 PDF
with its charts (target ≤ 2 s); the same quarter ranked from a database
(operations.scoring.quarter_view on a temporary database filled through store.score_store); and
the peer: LibreOffice converting the same quarterly table, written as CSV, to xlsx
(``soffice --headless --convert-to xlsx``, a throwaway profile, one warm-up conversion first,
one govdesk export and one conversion alternating). Without soffice/libreoffice on PATH the
peer is skipped with a note.

    python bench/bench_scoring.py [--runs 7] [--no-peer]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import replace
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


def quarter_from_database(scheme: Scheme, checks: list[SpotCheck], communities: int, year: int,
                          folder: Path, runs: int) -> tuple[list[float], list[tuple]]:
    """operations.scoring.quarter_view on a temporary database filled through the store: the
    checks and deductions read back and ranked, as the 考核 page and the exports do."""
    from govdesk.core.audit import canonical_json
    from govdesk.core.scoring import scheme_to_json
    from govdesk.operations import scoring as scoring_ops
    from govdesk.operations.context import Context
    from govdesk.store import org_store, score_store
    from govdesk.store.database import close, connect

    db = connect(folder / "scoring.db")
    try:
        with db.atomic():
            ids = {}
            for cid in range(1, communities + 1):
                ids[cid] = org_store.insert_row(db, "community", {
                    "name": f"第{cid}社区", "kind": "社区", "sort": cid})
            values = score_store.scheme_values(None, year=year)
            values.update(name=scheme.name, body=canonical_json(scheme_to_json(scheme)),
                          version=1, current=1, created_at="2026-01-05T01:00:00+00:00",
                          updated_at="2026-01-05T01:00:00+00:00")
            sid = score_store.insert_scheme(db, values)
            for c in checks:
                score_store.insert_check(db, sid, replace(c, community_id=ids[c.community_id]),
                                         source="", created_by=None,
                                         now="2026-01-05T01:00:00+00:00")
        ctx = Context(db)
        view = scoring_ops.quarter_view(ctx, year, 3)  # warm: the page cache
        assert len(view.results) == communities
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            view = scoring_ops.quarter_view(ctx, year, 3)
            times.append(time.perf_counter() - t)
        return times, [(r.rank, r.score.name, r.score.total) for r in view.results]
    finally:
        close(db)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--no-peer", action="store_true", help="skip the LibreOffice peer")
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
    times, ranked = quarter_from_database(scheme, checks, 50, year, out, args.runs)
    assert ranked == [(r.rank, r.score.name, r.score.total) for r in results]  # same table
    print(f"rank one quarter from the database (operations.scoring.quarter_view, "
          f"{len(checks)} checks stored): median {statistics.median(times) * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms")

    from govdesk.export.assessment_tables import write_csv

    soffice = None if args.no_peer else (shutil.which("soffice") or shutil.which("libreoffice"))
    if soffice:
        # the same table as CSV (UTF-8 with BOM, the export's own CSV writer)
        table = quarter_table(scheme, results, township="基准镇", year=year, quarter=3)
        write_csv(table, out / "q.csv")
        lo_out = out / "lo"
        # 44 = comma, 34 = double quote, 76 = UTF-8, 1 = start at the first line
        base = [soffice, f"-env:UserInstallation=file://{out / 'lo-profile'}", "--headless",
                "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(lo_out),
                str(out / "q.csv")]
        subprocess.run(base, check=True, capture_output=True)  # warm-up: creates the profile
        assert (lo_out / "q.xlsx").stat().st_size > 0
    times, peer = [], []
    for i in range(args.runs):
        t = time.perf_counter()
        table = quarter_table(scheme, results, township="基准镇", year=year, quarter=3)
        write_quarter_xlsx(table, out / f"q{i}.xlsx")
        times.append(time.perf_counter() - t)
        if soffice:
            t = time.perf_counter()
            subprocess.run(base, check=True, capture_output=True)
            peer.append(time.perf_counter() - t)
    ours = statistics.median(times)
    print(f"quarterly xlsx: median {ours * 1000:.0f} ms (target ≤ 1 s)")
    if soffice:
        theirs = statistics.median(peer)
        print(f"peer: LibreOffice CSV → xlsx of the same table (whole process): median "
              f"{theirs * 1000:.0f} ms, min {min(peer) * 1000:.0f} ms; ratio LibreOffice / "
              f"govdesk xlsx = {theirs / ours:.1f}× (medians of {args.runs})")
    else:
        print("peer: skipped (" + ("--no-peer" if args.no_peer else
                                   "no soffice or libreoffice on PATH") + ")")

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
