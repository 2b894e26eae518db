"""The 工作台 (dashboard) queries one by one, as ``operations.dashboard.dashboard`` makes them.

    python bench/bench_dashboard.py --db bench/out/bench-120k.db [--repeat 5] [--today 2026-11-22]
        [--cold]

In a fresh process, on a ``database.connect(path, check=False)`` connection: each query's first
call (SQLite's page cache empty, OS cache as it is) and the minimum of --repeat more, with the
rows returned. Then two EXPERIMENTS (not today's code): ``postings_due`` with ``LIMIT 200`` and
the single count the cards would need instead (with --cold, evicted again before each), and —
inside a transaction that is rolled back,
so the database is unchanged — a covering index ``notice(status, disclosure, publish_due)`` with
a ``sqlite_stat1`` row, for the overdue count and the 已批准 count. --today defaults to the
machine's date, as the app's. --cold first evicts the file from the OS page cache (as after a
reboot; bench_register.evict_from_os_cache); without it the queries first run once on another
connection, so that "first call" means SQLite's cache empty, the OS cache warm.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, timedelta

from govdesk.core.notices import NoticeFilter, NoticeStatus
from govdesk.operations.context import Context
from govdesk.operations.dashboard import DUE_SOON_DAYS
from govdesk.store import database, notice_store, org_store


def timed(fn, repeat: int) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    r = fn()
    first = (time.perf_counter() - t0) * 1000
    best = first
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - t0) * 1000)
    n = len(r) if isinstance(r, (list, dict)) else 1
    return first, best, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--today", type=date.fromisoformat)
    ap.add_argument("--cold", action="store_true", help="evict the file from the OS cache first")
    args = ap.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_register import evict_from_os_cache

    if args.cold:
        evict_from_os_cache(args.db)
    else:  # warm the OS cache: the same queries once on another connection
        warm = database.connect(args.db, check=False)
        t = args.today or Context(warm).today()
        notice_store.postings_due(warm, None, t + timedelta(days=DUE_SOON_DAYS))
        notice_store.board_counts(warm, t)
        notice_store.overdue_unpublished(warm, t)
        notice_store.count(warm, NoticeFilter(overdue_on=t))
        notice_store.count_by_status(warm, NoticeStatus.APPROVED, proactive_only=True)
        database.close(warm)
    db = database.connect(args.db, check=False)
    ctx = Context(db)
    today = args.today or ctx.today()
    until = today + timedelta(days=DUE_SOON_DAYS)
    ys, ye = date(today.year, 1, 1), date(today.year, 12, 31)
    rows = [
        ("postings_due (overdue, first 200)",
         lambda: notice_store.postings_due(db, None, today - timedelta(days=1))),
        ("postings_due (due soon, first 200)", lambda: notice_store.postings_due(db, today, until)),
        ("count_postings_due (overdue)",
         lambda: notice_store.count_postings_due(db, None, today - timedelta(days=1))),
        ("board_counts", lambda: notice_store.board_counts(db, today)),
        ("list_boards", lambda: org_store.list_boards(db, active_only=True)),
        ("overdue_unpublished (list, 200)", lambda: notice_store.overdue_unpublished(db, today)),
        ("count(overdue)", lambda: notice_store.count(db, NoticeFilter(overdue_on=today))),
        ("count_by_status 草稿", lambda: notice_store.count_by_status(db, NoticeStatus.DRAFT)),
        ("count_by_status 待审批", lambda: notice_store.count_by_status(db, NoticeStatus.PENDING)),
        ("count_by_status 已批准 主动公开", lambda: notice_store.count_by_status(
            db, NoticeStatus.APPROVED, proactive_only=True)),
        ("disclosed_counts channel", lambda: notice_store.disclosed_counts(db, ys, ye, "channel")),
        ("disclosed_counts category", lambda: notice_store.disclosed_counts(db, ys, ye,
                                                                             "category")),
        ("disclosed_total", lambda: notice_store.disclosed_total(db, ys, ye)),
    ]
    print(f"`python bench/bench_dashboard.py --db {args.db}{' --cold' if args.cold else ''}`"
          f" — today = {today}\n")
    print("| query | first call ms | then, best of "
          f"{args.repeat} ms | rows |")
    print("|---|---:|---:|---:|")
    total_first = total_best = 0.0
    for name, fn in rows:
        first, best, n = timed(fn, args.repeat)
        total_first += first
        total_best += best
        print(f"| {name} | {first:.1f} | {best:.1f} | {n:,} |")
    print(f"| **all** | **{total_first:.0f}** | **{total_best:.0f}** | |")

    print("\nEXPERIMENTS (not today's code):\n")
    print("| query | first call ms | then, best of "
          f"{args.repeat} ms | rows |")
    print("|---|---:|---:|---:|")
    limited = (notice_store._POSTING_SELECT + " WHERE p.removed_on IS NULL"
               " AND p.planned_removal IS NOT NULL AND p.planned_removal <= ?"
               " ORDER BY p.planned_removal, b.code LIMIT 200")
    cards = ("SELECT count(*), sum(planned_removal < ?) FROM posting WHERE removed_on IS NULL"
             " AND planned_removal IS NOT NULL AND planned_removal <= ?")
    for name, fn in [
        ("postings_due with LIMIT 200",
         lambda: db.execute(limited, [until.isoformat()]).fetchall()),
        ("the cards' count of due / overdue take-downs",
         lambda: db.execute(cards, [today.isoformat(), until.isoformat()]).fetchall()),
    ]:
        if args.cold:  # evicted again: its first call as cold as today's
            evict_from_os_cache(args.db)
        first, best, n = timed(fn, args.repeat)
        print(f"| {name} | {first:.1f} | {best:.1f} | {n:,} |")
    # (building the index reads the notice table, so these first calls are never cold)
    db.execute("BEGIN")
    try:
        db.execute("CREATE INDEX bench_status_disclosure ON notice(status, disclosure, publish_due)")
        db.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES"
                   " ('notice', 'bench_status_disclosure', '120000 20000 10000 11')")
        db.execute("ANALYZE sqlite_schema")
        for name, fn in [
            ("count(overdue) with index (status, disclosure, publish_due)",
             lambda: notice_store.count(db, NoticeFilter(overdue_on=today))),
            ("count_by_status 已批准 主动公开 with that index",
             lambda: notice_store.count_by_status(db, NoticeStatus.APPROVED,
                                                  proactive_only=True)),
        ]:
            first, best, n = timed(fn, args.repeat)
            print(f"| {name} | {first:.1f} | {best:.1f} | {n:,} |")
    finally:
        db.execute("ROLLBACK")
        db.execute("ANALYZE sqlite_schema")
    database.close(db)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
