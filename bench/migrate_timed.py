"""Bring an existing benchmark database up to the current schema, timing each part.

Opens the database once with the app's own ``govdesk.store.database.connect(path)`` (the same
call the app makes, with the default quick_check), which writes a verified 迁移前 backup into the
database's backup folder (``<stem>-backups/``, with its ``.json`` manifest) and applies the pending
migration steps. Each step's function and the backup are
wrapped with a timer in this process only; nothing else is changed.

    python bench/migrate_timed.py --db bench/out/bench-120k.db --delete-backup

On a database that is already up to date this does nothing. ``--redo`` re-times the two register
steps on it instead (to reproduce the figures without a pre-0003 database): the backup copy
(to a file next to the database, deleted afterwards), then, each in one transaction as
sqlite-utils runs a step, 0003's six indexes dropped and step 0003 re-run (only the step is
timed), and step 0004 re-run (it rebuilds the whole search index). The schema and the search
index end up exactly as before.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

from govdesk.store import database
from govdesk.store.migrations import migrations

REGISTER_INDEXES = ["notice_title", "notice_doc_number", "notice_disclosure",
                    "notice_publish_due", "notice_owner", "posting_board_notice"]


def _delete_backup(path: Path) -> None:
    """A backup and its sidecar manifest (store.backup keeps one JSON file per backup)."""
    path.unlink()
    path.with_name(path.name + ".json").unlink(missing_ok=True)


def redo(path: Path) -> int:
    steps = {m.name: m.fn for m in migrations._migrations}
    db = database.connect(path, check=False)
    applied = {m.name for m in migrations.applied(db)}
    need = {"0003_register_indexes", "0004_search_single_characters"}
    if not need <= applied:
        sys.exit(f"--redo needs a database with {sorted(need)} applied")
    print(f"database: {path} ({path.stat().st_size / 1e6:,.0f} MB), re-timing the steps")
    t0 = time.perf_counter()
    target = database.backup_before_migration(db.conn, path)
    secs = time.perf_counter() - t0
    size = target.stat().st_size / 1e6
    _delete_backup(target)
    print(f"  {'backup (verified 迁移前 backup)':<45} {secs:8.1f} s  ({size:,.0f} MB, deleted)")
    with db.atomic():
        for name in REGISTER_INDEXES:
            db.execute(f"DROP INDEX {name}")
        t0 = time.perf_counter()
        steps["0003_register_indexes"](db)
        secs = time.perf_counter() - t0
    print(f"  {'migration 0003_register_indexes':<45} {secs:8.1f} s  (+ commit: "
          f"{time.perf_counter() - t0:.1f} s)")
    t0 = time.perf_counter()
    with db.atomic():
        steps["0004_search_single_characters"](db)
        secs = time.perf_counter() - t0
    print(f"  {'migration 0004_search_single_characters':<45} {secs:8.1f} s  (+ commit: "
          f"{time.perf_counter() - t0:.1f} s)")
    t0 = time.perf_counter()
    database.close(db)
    print(f"  {'close (WAL checkpoint)':<45} {time.perf_counter() - t0:8.1f} s")
    t0 = time.perf_counter()
    result = database.quick_check_file(path)
    print(f"  {'quick_check_file (right after)':<45} {time.perf_counter() - t0:8.1f} s  ({result})")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--delete-backup", action="store_true",
                    help="delete the 迁移前 backup (and its manifest) connect() writes")
    ap.add_argument("--redo", action="store_true",
                    help="up-to-date database: re-time the backup and steps 0003 and 0004")
    args = ap.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} does not exist")
    if args.redo:
        return redo(args.db)

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

    database.backup_before_migration = timed("backup (verified 迁移前 backup)", backup)
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
            _delete_backup(b)
            print(f"  deleted {b} ({size:,.0f} MB)")
        else:
            print(f"  kept {b} ({size:,.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
