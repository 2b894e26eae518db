"""One-character search: today's LIKE scan vs an FTS5 prefix query on the bigram index.

    python bench/experiment_one_char.py --db bench/out/bench-120k.db [--repeat 5]

Read-only. A bigram token is "<hex>g<hex>", so every bigram that starts with character c
matches the FTS5 prefix query ``<hex(c)>g*``. That finds c wherever it is followed by another
character of the same run; it misses c when c is only ever the last character of a run (the
end of a title, of a body line, of 文号 …) — the counts below show how many. Making it exact
needs grams() to also write one "<hex>g" token for each run's last character (and for
one-character runs), i.e. a new migration step that rebuilds notice_search.
"""

from __future__ import annotations

import argparse
import statistics
import time

from govdesk.core.notices import NoticeFilter
from govdesk.store import database, notice_store

CHARS = [("镇", "in almost every notice"), ("低", "common"), ("号", "very common, often last"),
         ("矿", "rare")]


def timed(fn, repeat):
    ts, value = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        ts.append((time.perf_counter() - t) * 1000)
    return statistics.median(ts), value


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    db = database.connect(args.db)
    page_sql = (
        "SELECT n.id FROM notice n WHERE +n.id IN (SELECT rowid FROM notice_search"
        " WHERE notice_search MATCH ?) ORDER BY n.formed_on DESC, n.id DESC LIMIT 100")
    count_sql = "SELECT count(*) FROM notice_search WHERE notice_search MATCH ?"
    print("| char | LIKE: query(100)+count ms (today) | LIKE count | FTS prefix: page ids ms |"
          " FTS prefix: count ms | prefix count | missed by prefix |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for ch, what in CHARS:
        f = NoticeFilter(search=ch)
        like_ms, _ = timed(lambda f=f: notice_store.query(db, f, limit=100), args.repeat)
        count_ms, like_n = timed(lambda f=f: notice_store.count(db, f), args.repeat)
        expr = f"{ord(ch):x}g*"
        page_ms, _ = timed(lambda e=expr: db.execute(page_sql, [e]).fetchall(), args.repeat)
        fts_ms, fts_n = timed(lambda e=expr: db.execute(count_sql, [e]).fetchone()[0],
                              args.repeat)
        print(f"| {ch} ({what}) | {like_ms + count_ms:.1f} | {like_n:,} | {page_ms:.1f} |"
              f" {fts_ms:.1f} | {fts_n:,} | {like_n - fts_n:,} |")
    database.close(db)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
