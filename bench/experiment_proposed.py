"""Measure the PROPOSED register changes on a copy of a generated database (nothing in govdesk/
is changed: the store functions are monkeypatched in this process only).

    python bench/experiment_proposed.py --db bench/out/bench-120k.db \\
        --copy bench/out/proposed-120k.db [--stats fixed|analyze|analyze400|none] \\
        [--code proposed|current] [--repeat 5] [--out bench/out/proposed-120k.md]

What is proposed (see docs/benchmarks.md, "Recommendations"):

1. notice_store.query fetches the page's ids first — ``SELECT n.id … ORDER BY … LIMIT ? OFFSET ?``
   touches only index entries — and computes the summary columns (3 joins and the channel
   sub-select) for those 100–200 rows only ("late row lookup");
2. notice_store._where writes its membership tests as ``+n.id IN (SELECT …)`` (search, board,
   channel — the channel test was a correlated EXISTS): the unary + keeps SQLite from seeking
   every matching rowid in the wide notice table (1.5 KB rows) and lets it walk the sort index
   and probe the list instead;
3. _SORT_SQL: "status" → "n.status, n.publish_due" and "category" → "n.category_id,
   n.formed_on", so that ``ORDER BY …, n.id`` is exactly an existing index's order;
4. a new migration step (0003) with indexes for the remaining sortable columns
   (MIGRATION_0003 below) and …
5. … planner statistics: fixed sqlite_stat1 rows (STAT1_120K below, measured by ANALYZE on the
   120k database) so plans do not depend on when ANALYZE last ran, or ANALYZE itself.

The copy is made with SQLite's backup API, then MIGRATION_0003 and the statistics are applied
to it, then bench_register's scenarios and deep-scroll walks run against it. --code current
runs the unchanged store code on the copy (to separate the effect of the schema from the code).
--verify compares every scenario's first page with the current code's (ids, order) first.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_register  # noqa: E402

from govdesk.store import notice_store as S  # noqa: E402

MIGRATION_0003 = """
CREATE INDEX IF NOT EXISTS notice_title ON notice(title);
CREATE INDEX IF NOT EXISTS notice_doc_number ON notice(doc_number);
CREATE INDEX IF NOT EXISTS notice_disclosure ON notice(disclosure);
CREATE INDEX IF NOT EXISTS notice_publish_due ON notice(publish_due);
CREATE INDEX IF NOT EXISTS notice_owner ON notice(unit_id, community_id);
CREATE INDEX IF NOT EXISTS posting_board_notice ON posting(board_id, notice_id);
"""

# sqlite_stat1 as ANALYZE wrote it on the 120k-notice benchmark database (after MIGRATION_0003).
STAT1_120K = [
    ("notice", "sqlite_autoindex_notice_1", "120000 1"),
    ("notice", "sqlite_autoindex_notice_2", "120000 120000"),
    ("notice", "notice_year", "120000 12000 49"),
    ("notice", "notice_formed", "120000 49"),
    ("notice", "notice_status", "120000 20000 11"),
    ("notice", "notice_category", "120000 10000 5"),
    ("notice", "notice_unit", "120000 13334 7"),
    ("notice", "notice_community", "120000 3871 4"),
    ("notice", "notice_published", "120000 33"),
    ("notice", "notice_title", "120000 12"),
    ("notice", "notice_doc_number", "120000 31"),
    ("notice", "notice_disclosure", "120000 40000"),
    ("notice", "notice_publish_due", "120000 49"),
    ("notice", "notice_owner", "120000 13334 3158"),
    ("notice_channel", "notice_channel", "240043 3 1"),
    ("notice_channel", "notice_channel_channel", "240043 30006 1"),
    ("posting", "posting_board", "400000 6667 3"),
    ("posting", "posting_notice", "400000 5"),
    ("posting", "posting_current", "400000 110 10"),
    ("posting", "posting_board_notice", "400000 6667 1"),
]

_ORIG_WHERE = S._where
_ORIG_QUERY = S.query
_ORIG_SORT = dict(S._SORT_SQL)


def where_proposed(f):
    where, params = _ORIG_WHERE(f)
    replacements = {
        "EXISTS (SELECT 1 FROM notice_channel nc WHERE nc.notice_id = n.id"
        " AND nc.channel_id = ?)": "+n.id IN (SELECT notice_id FROM notice_channel"
        " WHERE channel_id = ?)",
        "n.id IN (SELECT notice_id FROM posting WHERE board_id = ?)":
            "+n.id IN (SELECT notice_id FROM posting WHERE board_id = ?)",
        "n.id IN (SELECT rowid FROM notice_search WHERE notice_search MATCH ?)":
            "+n.id IN (SELECT rowid FROM notice_search WHERE notice_search MATCH ?)",
    }
    for old, new in replacements.items():
        where = where.replace(old, new)
    return where, params


def query_proposed(db, f, *, sort="formed_on", descending=True, offset=0, limit=200):
    where, params = S._where(f)
    direction = "DESC" if descending else "ASC"
    order = ", ".join(f"{part} {direction}" for part in S._SORT_SQL[sort].split(", "))
    order += f", n.id {direction}"
    page = f"SELECT n.id FROM notice n{where} ORDER BY {order} LIMIT ? OFFSET ?"
    sql = f"{S._SUMMARY_SELECT} WHERE n.id IN ({page}) ORDER BY {order}"
    return [S._summary(r) for r in db.execute(sql, [*params, limit, offset])]


def use_code(code: str, sortmap: bool = True) -> None:
    S._SORT_SQL.clear()
    S._SORT_SQL.update(_ORIG_SORT)
    if code == "current":
        S._where, S.query = _ORIG_WHERE, _ORIG_QUERY
        return
    S._where, S.query = where_proposed, query_proposed
    if sortmap:
        S._SORT_SQL.update({"status": "n.status, n.publish_due",
                            "category": "n.category_id, n.formed_on"})


def make_copy(src: Path, dst: Path, stats: str, indexes: bool = True) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    s = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    d = sqlite3.connect(str(dst))
    s.backup(d)
    s.close()
    t1 = time.perf_counter()
    if indexes:
        d.executescript(MIGRATION_0003)
    t2 = time.perf_counter()
    if stats == "fixed":
        d.execute("ANALYZE sqlite_schema")  # creates sqlite_stat1 if missing (cheap)
        d.execute("DELETE FROM sqlite_stat1")
        names = {r[0] for r in d.execute("SELECT name FROM sqlite_schema WHERE type = 'index'")}
        d.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                      [r for r in STAT1_120K if r[1] in names or r[0] == r[1]])
        d.commit()
        d.execute("ANALYZE sqlite_schema")  # reload the statistics
    elif stats in ("analyze", "analyze400"):
        if stats == "analyze400":
            d.execute("PRAGMA analysis_limit=400")
        d.execute("ANALYZE")
    d.commit()
    t3 = time.perf_counter()
    d.execute("PRAGMA journal_mode=WAL")
    d.close()
    print(f"copy {t1 - t0:.1f} s, MIGRATION_0003 indexes {'%.2f s' % (t2 - t1) if indexes else 'not applied'}, stats ({stats})"
          f" {t3 - t2:.2f} s", file=sys.stderr)


def verify(db_path: str) -> int:
    """Same first page (ids, order) and count as the current code, for every scenario."""
    from govdesk.store import database

    db = database.connect(db_path)
    bad = 0
    for s in bench_register.scenarios(db):
        if "1-char" in s.group:
            continue
        use_code("current")
        a = [r.id for r in S.query(db, s.f, sort=s.sort, descending=s.descending, limit=100)]
        na = S.count(db, s.f)
        use_code("proposed", sortmap=False)
        b = [r.id for r in S.query(db, s.f, sort=s.sort, descending=s.descending, limit=100)]
        nb = S.count(db, s.f)
        if a != b or na != nb:
            bad += 1
            print(f"DIFFERENT: {s.name}", file=sys.stderr)
    database.close(db)
    print(f"verify: {bad} scenarios differ from the current code", file=sys.stderr)
    return bad


COLD_SCENARIOS = [
    ("no filter, formed_on desc", {}, "formed_on", True),
    ("sort title asc", {}, "title", False),
    ("search “低保”", {"search": "低保"}, "formed_on", True),
    ("search “扶贫资金”", {"search": "扶贫资金"}, "formed_on", True),
    ("search “公示”", {"search": "公示"}, "formed_on", True),
]


def cold_first_screens(path: str, code: str) -> str:
    """First screen with the file evicted from the OS page cache before each scenario.

    Opened with a plain sqlite3 connection: database.connect() runs PRAGMA quick_check, which
    reads the whole file and so would warm the cache before the first query.
    """
    from sqlite_utils import Database

    from govdesk.core.notices import NoticeFilter

    use_code(code)
    lines = [f"| scenario ({code} code) | cold: query+count ms | warm again ms | count |",
             "|---|---:|---:|---:|"]
    for name, kw, sort, desc in COLD_SCENARIOS:
        bench_register.evict_from_os_cache(path)
        conn = sqlite3.connect(path)
        db = Database(conn)
        f = NoticeFilter(**kw)
        times = []
        for _ in range(2):
            t0 = time.perf_counter()
            S.query(db, f, sort=sort, descending=desc, limit=100)
            n = S.count(db, f)
            times.append((time.perf_counter() - t0) * 1000)
        conn.close()
        lines.append(f"| {name} | {times[0]:.0f} | {times[1]:.1f} | {n:,} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--copy", required=True, type=Path)
    ap.add_argument("--stats", choices=["fixed", "analyze", "analyze400", "none"],
                    default="fixed")
    ap.add_argument("--code", choices=["proposed", "current"], default="proposed")
    ap.add_argument("--no-indexes", action="store_true", help="do not apply MIGRATION_0003")
    ap.add_argument("--reuse", action="store_true", help="the copy is already prepared")
    ap.add_argument("--verify", action="store_true")
    ap.add_argument("--cold", action="store_true",
                    help="only: first screens with a cold OS cache (current code on --db, "
                         "proposed code on --copy)")
    ap.add_argument("--no-scroll", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out")
    ap.add_argument("--scroll-child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    use_code(args.code)
    if args.scroll_child:
        sort, desc, search, every = args.scroll_child
        print(json.dumps(bench_register.scroll(str(args.copy), sort, desc == "1", search,
                                               int(every))))
        return 0
    if not args.reuse:
        make_copy(args.db, args.copy, args.stats, indexes=not args.no_indexes)
    if args.cold:
        # today's code on the original database, the proposed code on the prepared copy
        text = "\n".join([cold_first_screens(str(args.db), "current"),
                          cold_first_screens(str(args.copy), "proposed")])
        print(text)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
        return 0
    if args.verify and verify(str(args.copy)):
        return 1
    use_code(args.code)
    out = Path(args.out) if args.out else None
    bench_register.main(["--db", str(args.copy), "--repeat", str(args.repeat), "--no-scroll",
                         *(["--out", str(out)] if out else [])])
    if args.no_scroll:
        return 0
    rows = []
    for sort, desc, search, every in bench_register.SCROLLS:
        res = subprocess.run(
            [sys.executable, __file__, "--db", str(args.db), "--copy", str(args.copy),
             "--code", args.code, "--scroll-child", sort, desc, search, every],
            capture_output=True, text=True, check=True)
        rows.append(json.loads(res.stdout))
    text = (f"\nDeep scroll ({args.code} code): pages of {bench_register.SCROLL_PAGE} by offset,"
            f" LRU of {bench_register.LRU_PAGES} pages, fresh process per walk.\n\n"
            + bench_register.scroll_table(rows) + "\n")
    print(text)
    if out:
        with out.open("a", encoding="utf-8") as fh:
            fh.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
