"""Bring an existing benchmark database up to the current schema, timing each part.

Opens the database once with the app's own ``govdesk.store.database.connect(path)`` (the same
call the app makes, with the default quick_check), which writes a ``.before-migration-…`` copy
next to it and applies the pending migration steps. Each step's function and the backup are
wrapped with a timer in this process only; nothing else is changed.

    python bench/migrate_timed.py --db bench/out/bench-120k.db --delete-backup
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

from govdesk.store import database
from govdesk.store.migrations import migrations


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--delete-backup", action="store_true",
                    help="delete the .before-migration-… copy connect() writes")
    args = ap.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} does not exist")

    timings: list[tuple[str, float]] = []
    backups: list[Path] = []

    def timed(name, fn):
        @functools.wraps(fn)
        def inner(*a, **kw):
            t0 = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                timings.append((name, time.perf_counter() - t0))
        return inner

    original_backup = database.backup_before_migration

    def backup(conn, path):
        target = original_backup(conn, path)
        backups.append(target)
        return target

    database.backup_before_migration = timed("backup (.before-migration copy)", backup)
    for m in migrations._migrations:
        m.fn = timed(f"migration {m.name}", m.fn)

    t0 = time.perf_counter()
    db = database.connect(args.db)
    total = time.perf_counter() - t0
    database.close(db)
    total_close = time.perf_counter() - t0

    print(f"database: {args.db} ({args.db.stat().st_size / 1e6:,.0f} MB after)")
    for name, secs in timings:
        print(f"  {name:<45} {secs:8.1f} s")
    rest = total - sum(s for _, s in timings)
    print(f"  {'rest (quick_check, bookkeeping)':<45} {rest:8.1f} s")
    print(f"  {'connect() in all':<45} {total:8.1f} s")
    print(f"  {'+ close (WAL checkpoint)':<45} {total_close:8.1f} s")
    if not timings:
        print("  (no pending migrations: nothing to do)")
    for b in backups:
        size = b.stat().st_size / 1e6
        if args.delete_backup:
            b.unlink()
            print(f"  deleted {b} ({size:,.0f} MB)")
        else:
            print(f"  kept {b} ({size:,.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
