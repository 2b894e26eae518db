"""The annual report at the scale of a township with 20 years of data (issue 6: 2,000
applications, 200,000 notices): its tables in ≤ 1 s, the .docx in ≤ 3 s.

    python bench/generate.py --db bench/out/bench-200k.db --notices 200000 --postings-audit 200000
    python bench/bench_annual_report.py --db bench/out/bench-200k.db [--runs 5]

Works on a copy of --db (the register: notices, boards, postings, audit rows, from
bench/generate.py). Into the copy it adds, through the requests store, ``--requests``
applications received over the 20 years 2006-2025 (every applicant kind, outcomes over every
表三 row, some with 补正 and extensions in their clock facts, a few carried over a year end),
a 行政复议/行政诉讼 case every ~40 applications, and marks 1 % of the notices as
行政规范性文件 (some of them 失效). Then, for the year 2025, it times:

* ``tables``: 表三 (with last year's carry-over check), 表四 and 表二 from the database —
  ``report_problems``, ``table4_of`` and ``proactive_figures`` as the 年度报告 page calls them;
* ``build``: the whole report as the page shows it (tables, the 总体情况 draft's figures from the
  register, postings, slips, spot checks and every closed application's clock);
* ``docx``: ``export_annual_report`` to a .docx (build + python-docx + atomic write);
* ``pdf``: the same to a PDF (fonts resolved once before, as in the running app).

Each is the median of --runs after one warm-up run (first-run figures printed too).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from govdesk.core.calendar import WorkCalendar
from govdesk.core.org import Role, User
from govdesk.core.requests import (
    ApplicantKind,
    Channel,
    ClockEvent,
    Outcome,
    RequestInput,
)
from govdesk.operations import annual_report as report_ops
from govdesk.operations.context import Context
from govdesk.store import database, org_store, request_store

YEARS = range(2006, 2026)
NOW = datetime(2026, 1, 20, 2, 0, tzinfo=UTC)


def add_requests(db, n: int, seed: int) -> None:
    rng = random.Random(seed)
    cal = WorkCalendar(org_store.calendar_overrides(db))
    kinds = list(ApplicantKind)
    outcomes = list(Outcome)
    now = NOW.isoformat(timespec="seconds")
    with db.atomic():
        for i in range(n):
            year = YEARS[i * len(YEARS) // n]
            received = date(year, 1, 2) + timedelta(days=rng.randrange(360))
            received = cal.add_workdays(received, 0)
            data = RequestInput(
                channel=Channel.IN_PERSON, submitted_on=received,
                applicant_kind=kinds[0] if rng.random() < 0.8 else rng.choice(kinds[1:]),
                applicant_name=f"申请人{i:04d}", content="关于本村低保资金发放情况的信息")
            rid = request_store.insert_request(db, data, handler_id=1, created_by=1, now=now)
            events = [ClockEvent.received(received)]
            start = received
            if rng.random() < 0.1:
                sent = cal.add_workdays(received, 3)
                back = cal.add_workdays(sent, 5)
                events += [ClockEvent.correction_requested(sent, cal.add_workdays(sent, 10)),
                           ClockEvent.correction_received(back)]
                start = back
            if rng.random() < 0.05:
                events.append(ClockEvent.extension(cal.add_workdays(start, 15), 10, "王建华"))
            replied = cal.add_workdays(start, rng.randint(3, 19))
            if year == 2025 and rng.random() < 0.1:
                replied = None  # still open at the end of the year: 结转下年度
            for e in events:
                request_store.insert_event(db, rid, e, created_by=1, now=now)
            if replied is not None:
                request_store.insert_event(db, rid, ClockEvent.replied(replied), created_by=1,
                                           now=now)
                request_store.set_outcome(db, rid, rng.choice(outcomes), "", replied, now=now)
            if i % 40 == 0 and replied is not None:
                db.execute(
                    "INSERT INTO review_case (request_id, kind, filed_on, result, decided_on,"
                    " created_at, updated_at) VALUES (?, '行政复议', ?, '结果维持', ?, ?, ?)",
                    [rid, (replied + timedelta(days=20)).isoformat(),
                     (replied + timedelta(days=80)).isoformat(), now, now])
        # 1 % of the notices are 行政规范性文件; a fifth of those 失效 some years later.
        db.execute("UPDATE notice SET doc_kind = '行政规范性文件' WHERE id % 100 = 7")
        db.execute("UPDATE notice SET status = '已失效', expired_on = date(formed_on, '+700 days')"
                   " WHERE id % 500 = 7 AND published_on IS NOT NULL")


def timed(fn, runs: int) -> tuple[float, float]:
    t0 = time.perf_counter()
    fn()
    first = time.perf_counter() - t0
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return first, statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=6)
    args = ap.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db} does not exist: make it with bench/generate.py first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="govdesk-bench-report-") as tmp:
        path = Path(tmp) / "report.db"
        src = sqlite3.connect(str(args.db))
        dst = sqlite3.connect(str(path))
        src.backup(dst)
        src.close()
        dst.close()
        db = database.connect(path)  # migrates the copy if the generator's file is older
        notices = db.execute("SELECT count(*) FROM notice").fetchone()[0]
        t0 = time.perf_counter()
        add_requests(db, args.requests, args.seed)
        print(f"{notices} notices; added {args.requests} applications over 2006-2025 in"
              f" {time.perf_counter() - t0:.1f} s")
        db.execute("ANALYZE")
        user = User(1, "admin", "管理员", Role.ADMIN)
        ctx = Context(db, user=user, clock=lambda: NOW, files_dir=Path(tmp) / "files")
        problems = report_ops.report_problems(ctx, 2025)
        print(f"表三 2025 balances: {not problems}")

        def tables() -> None:
            report_ops.report_problems(ctx, 2025)
            report_ops.table4_of(ctx, 2025)
            report_ops.proactive_figures(ctx, 2025)

        from govdesk.export.fonts import resolve_fonts
        from govdesk.operations.printing import font_overrides

        resolve_fonts(font_overrides(ctx))
        report_ops.save_report_date(ctx, 2025, date(2026, 1, 20))
        out = Path(tmp) / "out"
        out.mkdir()
        rows = [
            ("tables (表二、表三 with carry-over check、表四)", timed(tables, args.runs), 1.0),
            ("build (tables + 总体情况 figures)",
             timed(lambda: report_ops.build_report(ctx, 2025), args.runs), None),
            ("docx export", timed(lambda: report_ops.export_annual_report(
                ctx, 2025, out / "r.docx"), args.runs), 3.0),
            ("pdf export", timed(lambda: report_ops.export_annual_report(
                ctx, 2025, out / "r.pdf"), args.runs), None),
        ]
        print(f"{'what':<46} {'first':>9} {'median':>9}  target")
        for name, (first, median), target in rows:
            goal = f"≤ {target:g} s: {'met' if median <= target else 'NOT met'}" if target else ""
            print(f"{name:<46} {first * 1000:>7.0f}ms {median * 1000:>7.0f}ms  {goal}")
        database.close(db)
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
