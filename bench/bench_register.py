"""Benchmark the register (信息台账) queries on a generated database.

    python bench/bench_register.py --db bench/out/bench-120k.db [--repeat 7] [--plans]
        [--cold] [--out bench/out/register.md] [--only SUBSTRING] [--no-scroll]

For every scenario it times what the register's first screen costs: ``notice_store.query(db, f,
sort=…, descending=…, offset=0, limit=100)`` followed by ``notice_store.count(db, f)``, through
a connection from ``govdesk.store.database.connect(path, check=False)`` (the app's own
connection factory, opened the way the GUI opens it: quick_check runs in the background there).
Each scenario runs --repeat times; the table reports the median and the maximum of
query+count, and the medians of each part. The first run of a scenario is included (the OS file
cache is warm from the previous scenarios, SQLite's own page cache is the default 2 MB).

The store code is called as it is: this script measures whatever govdesk/store does today.
One-character searches are checked for exactness against a LIKE scan of the four searched
columns (title, body, 文号, 索引号), which is what the app did before migration 0004.

The deep-scroll test (run in a fresh child process, so that its peak RSS is its own) walks the
whole register the way the GUI model will: pages of 200 rows by offset from notice_store.query,
kept in an LRU of 10 pages; it reports the time per page at several depths and the peak RSS
(resource.getrusage) against the RSS right after connecting.

--cold times ``database.connect()`` with the file evicted from the OS page cache (as after a
reboot), both with the default quick_check and with check=False (the GUI), then a few first
screens, each with the file evicted again just before.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from govdesk.core.notices import REGISTER_COLUMNS, Disclosure, NoticeFilter, NoticeStatus
from govdesk.store import database, notice_store
from govdesk.store import search as store_search

FIRST_PAGE = 100
SCROLL_PAGE = 200
LRU_PAGES = 10
TARGET_MS = 100.0
SEARCH_TARGET_MS = 150.0
# deep-scroll walks: (sort, descending "1"/"0", search, walk every n-th page)
SCROLLS = [("formed_on", "1", "", "1"), ("formed_on", "1", "公示", "1"), ("title", "0", "", "1")]


@dataclass
class Scenario:
    group: str
    name: str
    f: NoticeFilter
    sort: str = "formed_on"
    descending: bool = True
    target_ms: float = TARGET_MS
    results: dict = field(default_factory=dict)


def as_of(db) -> date:
    r = db.execute("SELECT value FROM setting WHERE key = 'bench.generated'").fetchone()
    return date.fromisoformat(json.loads(r[0])["as_of"]) if r else date.today()


def one(db, sql: str, params=()) -> int:
    r = db.execute(sql, params).fetchone()
    if r is None:
        raise SystemExit(f"the database lacks what the scenario needs: {sql} {params}")
    return r[0]


def scenarios(db) -> list[Scenario]:
    today = as_of(db)
    ids = {
        "category": one(db, "SELECT id FROM category WHERE name = '社会救助'"),
        "unit": one(db, "SELECT id FROM unit WHERE name = '民政办'"),
        "community": one(db, "SELECT id FROM community ORDER BY sort, id LIMIT 1"),
        "channel": one(db, "SELECT id FROM channel WHERE name = '微信公众号'"),
        # the busiest board (a township board) and a village board
        "board_big": one(db, "SELECT board_id FROM posting GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"),
        "board_small": one(db, "SELECT id FROM board WHERE community_id IS NOT NULL ORDER BY id LIMIT 1"),
    }
    out: list[Scenario] = [Scenario("default", "no filter, formed_on desc", NoticeFilter())]
    for key, label in REGISTER_COLUMNS:
        for desc in (False, True):
            out.append(Scenario("sort", f"sort {key} ({label}) {'desc' if desc else 'asc'}",
                                NoticeFilter(), sort=key, descending=desc))
    filters = [
        ("year = 2020", NoticeFilter(year=2020)),
        ("category = 社会救助", NoticeFilter(category_id=ids["category"])),
        ("disclosure = 依申请公开", NoticeFilter(disclosure=Disclosure.ON_REQUEST)),
        ("disclosure = 主动公开", NoticeFilter(disclosure=Disclosure.PROACTIVE)),
        ("status = 已公开", NoticeFilter(status=NoticeStatus.PUBLISHED)),
        ("status = 待审批", NoticeFilter(status=NoticeStatus.PENDING)),
        ("unit = 民政办", NoticeFilter(unit_id=ids["unit"])),
        ("community = first (东坪村)", NoticeFilter(community_id=ids["community"])),
        ("channel = 微信公众号", NoticeFilter(channel_id=ids["channel"])),
        ("board = busiest (township)", NoticeFilter(board_id=ids["board_big"])),
        ("board = a village board", NoticeFilter(board_id=ids["board_small"])),
        (f"overdue on {today}", NoticeFilter(overdue_on=today)),
        ("year 2024 + status 已公开 + unit 民政办",
         NoticeFilter(year=2024, status=NoticeStatus.PUBLISHED, unit_id=ids["unit"])),
    ]
    for name, f in filters:
        out.append(Scenario("filter", name, f))
    out.append(Scenario("filter", "overdue, sort publish_due asc (dashboard list)",
                        NoticeFilter(overdue_on=today), sort="publish_due", descending=False))
    out.append(Scenario("filter", "year = 2020, sort title asc", NoticeFilter(year=2020),
                        sort="title", descending=False))
    out.append(Scenario("filter", "status = 已公开, sort published_on desc",
                        NoticeFilter(status=NoticeStatus.PUBLISHED), sort="published_on"))
    for word, what in [
        ("公示", "2-char, very common"), ("资金", "2-char, very common"),
        ("低保", "2-char, common"), ("扶贫", "2-char, common"), ("补贴", "2-char, common"),
        ("沼气", "2-char, rare"), ("尾矿", "2-char, rare"),
        ("低保对象", "4-char, common"), ("扶贫资金", "4-char, common"),
        ("古树名木", "4-char, rare"), ("核电站", "3-char, no hit"),
        ("低保 资金", "two words (AND)"),
    ]:
        out.append(Scenario("search", f"search “{word}” ({what})", NoticeFilter(search=word),
                            target_ms=SEARCH_TARGET_MS))
    combos = [
        ("search “低保” + year 2024, sort title asc",
         NoticeFilter(search="低保", year=2024), "title", False),
        ("search “公示” + community, sort publish_due desc",
         NoticeFilter(search="公示", community_id=ids["community"]), "publish_due", True),
        ("search “资金” + status 已公开, sort status asc",
         NoticeFilter(search="资金", status=NoticeStatus.PUBLISHED), "status", False),
        ("search “扶贫资金” + channel 微信公众号, sort index_number desc",
         NoticeFilter(search="扶贫资金", channel_id=ids["channel"]), "index_number", True),
        ("search “公示”, sort title asc", NoticeFilter(search="公示"), "title", False),
    ]
    for name, f, sort, desc in combos:
        out.append(Scenario("search+filter+sort", name, f, sort, desc, SEARCH_TARGET_MS))
    for word, what in ONE_CHAR:
        out.append(Scenario("search 1-char (FTS prefix)", f"search “{word}” ({what})",
                            NoticeFilter(search=word), target_ms=SEARCH_TARGET_MS))
    return out


ONE_CHAR = [("镇", "1-char, in almost every notice"), ("矿", "1-char, rare"),
            ("低", "1-char, common"), ("号", "1-char, very common, often last in a run")]


def one_char_exactness(db) -> str:
    """Compare each one-character search's count with a LIKE scan (the pre-0004 behaviour)."""
    lines = ["| char | count() (FTS prefix) | LIKE scan of title/body/文号/索引号 | differ | LIKE ms |",
             "|---|---:|---:|:-:|---:|"]
    bad = 0
    for word, _ in ONE_CHAR:
        fts = notice_store.count(db, NoticeFilter(search=word))
        t0 = time.perf_counter()
        like = db.execute(
            "SELECT count(*) FROM notice WHERE title LIKE ?1 OR body LIKE ?1 OR doc_number LIKE ?1"
            " OR index_number LIKE ?1", [f"%{word}%"]).fetchone()[0]
        ms = (time.perf_counter() - t0) * 1000
        bad += fts != like
        lines.append(f"| {word} | {fts:,} | {like:,} | {'**yes**' if fts != like else 'no'} |"
                     f" {ms:.0f} |")
    return "\n".join(lines) + f"\n\n{bad} of {len(ONE_CHAR)} one-character counts differ from LIKE.\n"


def run(db, s: Scenario, repeat: int) -> None:
    totals, queries, counts = [], [], []
    rows = n = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = len(notice_store.query(db, s.f, sort=s.sort, descending=s.descending, offset=0,
                                      limit=FIRST_PAGE))
        t1 = time.perf_counter()
        n = notice_store.count(db, s.f)
        t2 = time.perf_counter()
        queries.append((t1 - t0) * 1000)
        counts.append((t2 - t1) * 1000)
        totals.append((t2 - t0) * 1000)
    s.results = {
        "median": statistics.median(totals), "max": max(totals),
        "query": statistics.median(queries), "count_ms": statistics.median(counts),
        "rows": rows, "count": n,
    }


def plan(db, s: Scenario) -> str:
    """The page query's plan (notice_store.page_plan: the ids-only inner query of query()) and
    the count's (the FTS table alone when the search is the only filter, as count() does)."""
    lines = ["page ids:"] + [f"    {step}" for step in
                             notice_store.page_plan(db, s.f, sort=s.sort, descending=s.descending)]
    if s.f.search.strip() and s.f == NoticeFilter(search=s.f.search):
        sql = "SELECT count(*) FROM notice_search WHERE notice_search MATCH ?"
        params = [store_search.match_expression(s.f.search)]
    else:
        where, params = notice_store._where(s.f)
        sql = f"SELECT count(*) FROM notice n{where}"
    lines += ["count:"] + [f"    {r[3]}" for r in db.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    return "\n".join(lines)


def table(results: list[Scenario]) -> str:
    out = ["| group | scenario | rows | count | query ms | count ms | total median ms |"
           " total max ms | target | met |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|:-:|"]
    for s in results:
        r = s.results
        met = "yes" if r["max"] <= s.target_ms else ("median only" if r["median"] <= s.target_ms
                                                      else "**NO**")
        out.append(
            f"| {s.group} | {s.name} | {r['rows']} | {r['count']:,} | {r['query']:.1f} |"
            f" {r['count_ms']:.1f} | {r['median']:.1f} | {r['max']:.1f} | ≤ {s.target_ms:.0f} |"
            f" {met} |")
    return "\n".join(out)


def evict_from_os_cache(path: str) -> None:
    """Drop the database file's pages from the OS page cache (Linux), as after a reboot."""
    for suffix in ("", "-wal", "-shm"):
        p = Path(path + suffix)
        if p.exists():
            fd = os.open(p, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


# ---- deep scroll ---------------------------------------------------------------------------------


def rss_now_kb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def scroll(path: str, sort: str, descending: bool, search: str, sample_every: int) -> dict:
    """Walk the whole register in pages of 200 by offset, keeping an LRU of 10 pages."""
    db = database.connect(path, check=False)
    f = NoticeFilter(search=search)
    rss_start = rss_now_kb()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    total = notice_store.count(db, f)
    cache: OrderedDict[int, list] = OrderedDict()
    times: list[tuple[int, float]] = []
    t_all = time.perf_counter()
    offsets = list(range(0, total, SCROLL_PAGE))
    if sample_every > 1:  # optionally sample pages instead of walking all of them
        sampled = offsets[::sample_every]
        offsets = sampled + ([offsets[-1]] if sampled[-1] != offsets[-1] else [])
    for offset in offsets:
        t0 = time.perf_counter()
        page = notice_store.query(db, f, sort=sort, descending=descending, offset=offset,
                                  limit=SCROLL_PAGE)
        times.append((offset, (time.perf_counter() - t0) * 1000))
        cache[offset] = page
        cache.move_to_end(offset)
        while len(cache) > LRU_PAGES:
            cache.popitem(last=False)
    elapsed = time.perf_counter() - t_all
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    database.close(db)

    def near(x: int) -> float:
        return min(times, key=lambda t: abs(t[0] - x))[1]

    return {
        "sort": f"{sort} {'desc' if descending else 'asc'}", "search": search, "rows": total,
        "pages": len(times), "walk_s": elapsed,
        "first_ms": times[0][1], "mid_ms": near(total // 2), "last_ms": times[-1][1],
        "max_ms": max(t for _, t in times),
        "depths": [[o, round(near(o), 1)] for o in
                   (0, total // 4, total // 2, 3 * total // 4, times[-1][0])],
        "rss_start_mb": rss_start / 1024, "peak_before_mb": peak_before / 1024,
        "peak_mb": peak / 1024,
    }


def scroll_table(rows: list[dict]) -> str:
    out = ["| sort | search | rows | pages walked | walk s | ms/page at offset 0 | mid | last |"
           " max | RSS after connect MB | peak RSS MB |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(
            f"| {r['sort']} | {r['search'] or '—'} | {r['rows']:,} | {r['pages']} |"
            f" {r['walk_s']:.1f} | {r['first_ms']:.1f} | {r['mid_ms']:.1f} | {r['last_ms']:.1f} |"
            f" {r['max_ms']:.1f} | {r['rss_start_mb']:.0f} | {r['peak_mb']:.0f} |")
    return "\n".join(out)


COLD_SCENARIOS = [
    ("no filter, formed_on desc", NoticeFilter(), "formed_on", True),
    ("sort title asc", NoticeFilter(), "title", False),
    ("status = 已公开", NoticeFilter(status=NoticeStatus.PUBLISHED), "formed_on", True),
    ("search “低保”", NoticeFilter(search="低保"), "formed_on", True),
    ("search “扶贫资金”", NoticeFilter(search="扶贫资金"), "formed_on", True),
    ("search “公示”", NoticeFilter(search="公示"), "formed_on", True),
    ("search “低” (1-char)", NoticeFilter(search="低"), "formed_on", True),
]


def cold(path: str) -> str:
    """connect() and first screens with the file evicted from the OS page cache before each."""
    lines = ["Cold OS page cache (file evicted with posix_fadvise DONTNEED before each line):\n",
             "| what | cold ms | then warm ms | count |", "|---|---:|---:|---:|"]
    for label, kw in [("`database.connect(path)` (with quick_check)", {}),
                      ("`database.connect(path, check=False)` (the GUI)", {"check": False})]:
        times = []
        for i in range(2):
            if i == 0:
                evict_from_os_cache(path)
            t0 = time.perf_counter()
            database.close(database.connect(path, **kw))
            times.append((time.perf_counter() - t0) * 1000)
        lines.append(f"| {label} | {times[0]:,.0f} | {times[1]:,.1f} | |")
    for name, f, sort, desc in COLD_SCENARIOS:
        evict_from_os_cache(path)
        db = database.connect(path, check=False)
        times = []
        for _ in range(2):
            t0 = time.perf_counter()
            notice_store.query(db, f, sort=sort, descending=desc, limit=FIRST_PAGE)
            n = notice_store.count(db, f)
            times.append((time.perf_counter() - t0) * 1000)
        database.close(db)
        lines.append(f"| first screen: {name} | {times[0]:,.0f} | {times[1]:.1f} | {n:,} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--only", default="", help="run scenarios whose name contains this")
    ap.add_argument("--plans", action="store_true", help="print EXPLAIN QUERY PLAN per scenario")
    ap.add_argument("--no-scroll", action="store_true")
    ap.add_argument("--cold", action="store_true",
                    help="also time connect() and some first screens with the file evicted"
                         " from the OS page cache")
    ap.add_argument("--out", help="also write the markdown to this file")
    ap.add_argument("--scroll-child", nargs=4, metavar=("SORT", "DESC", "SEARCH", "EVERY"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.scroll_child:
        sort, desc, search, every = args.scroll_child
        print(json.dumps(scroll(args.db, sort, desc == "1", search, int(every))))
        return 0

    md: list[str] = []
    if args.cold:
        md.append(cold(args.db))
        print(md[-1], file=sys.stderr)
    # connect(path) first: its quick_check reads the whole file, so what follows is warm
    t0 = time.perf_counter()
    database.close(database.connect(args.db))
    connect_checked_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    check = database.quick_check_file(args.db)
    quick_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    db = database.connect(args.db, check=False)
    connect_ms = (time.perf_counter() - t0) * 1000
    n = db.execute("SELECT count(*) FROM notice").fetchone()[0]
    size = Path(args.db).stat().st_size
    md.append(f"Database: `{args.db}`, {n:,} notices, {size / 1e6:,.0f} MB. "
              f"`database.connect(path)` with its quick_check took {connect_checked_ms:,.0f} ms; "
              f"then, warm, `database.quick_check_file()` (the GUI's background check) "
              f"{quick_ms:,.0f} ms (result: {check}) and `database.connect(path, check=False)` "
              f"(the GUI) {connect_ms:.1f} ms.\n")
    todo = [s for s in scenarios(db) if args.only in s.name]
    for s in todo:
        run(db, s, args.repeat)
        r = s.results
        print(f"{s.group:>20} | {s.name:<58} {r['median']:8.1f} ms median {r['max']:8.1f} max"
              f"  ({r['count']:,})", file=sys.stderr, flush=True)
        if args.plans:
            print(plan(db, s), file=sys.stderr)
    md.append(f"First screen = `query(limit={FIRST_PAGE})` + `count()`, {args.repeat} runs each.\n")
    md.append(table(todo))
    missed = [s for s in todo if s.results["median"] > s.target_ms]
    md.append(f"\n{len(todo) - len(missed)} of {len(todo)} scenarios meet their target at the "
              f"median; {sum(s.results['max'] > s.target_ms for s in todo)} exceed it at the max.")
    if any("1-char" in s.group for s in todo):
        md.append("\nOne-character search, exactness (count vs LIKE):\n")
        md.append(one_char_exactness(db))
    database.close(db)

    if not args.no_scroll:
        rows = []
        for sort, desc, search, every in SCROLLS:
            out = subprocess.run(
                [sys.executable, __file__, "--db", args.db, "--scroll-child", sort, desc, search,
                 every], capture_output=True, text=True, check=True)
            r = json.loads(out.stdout)
            rows.append(r)
            print(f"scroll {r['sort']} {search or ''}: {r['pages']} pages in {r['walk_s']:.1f} s,"
                  f" depths {r['depths']}, peak RSS {r['peak_mb']:.0f} MB", file=sys.stderr)
        md.append(f"\nDeep scroll: pages of {SCROLL_PAGE} by offset, LRU of {LRU_PAGES} pages, each "
                  "walk in a fresh process, every page.\n")
        md.append(scroll_table(rows))
        md.append("\nms per page by offset: " + "; ".join(
            f"{r['sort']}{' “' + r['search'] + '”' if r['search'] else ''}: "
            + ", ".join(f"{o:,}→{t}" for o, t in r["depths"]) for r in rows))
    text = "\n".join(md) + "\n"
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
