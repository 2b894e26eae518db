"""Backups at scale (issue 7: at 120,000 notices a backup ≤ 10 s, `govdesk check` quick ≤ 2 s,
restore ≤ 20 s; the backup's size stated).

    python bench/generate.py --db bench/out/backup-120k.db --notices 120000 \
        --postings-audit 1000000 --seed 1
    python bench/bench_backup.py --db bench/out/backup-120k.db [--repeat 3] [--index-costs]

Times, on the given database (migrated first if it is older; use a private copy):

* ``store.backup.backup_database`` with each step timed through its ``on_step`` hook: the
  stepped copy, the checks on the copy (integrity_check, foreign_key_check, row counts and the
  per-table digests), fsync + rename, and the manifest (SHA-256 of the file);
* ``govdesk check`` quick (``database.quick_check_file``) and ``--full``;
* ``operations.backups.restore`` as the administrator: verify the source, copy and check it
  beside the database, back up the current database (恢复前), record, swap in;
* with ``--index-costs``: what leaving the search index out would save (size after deleting it
  and VACUUM, and the time that takes) and cost (rebuilding it at restore).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from govdesk.core.org import Role
from govdesk.operations import backups as ops
from govdesk.operations.context import Context
from govdesk.store import backup as store
from govdesk.store import database, user_store


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB"


def timed_backup(db, folder: Path) -> tuple[float, dict[str, float], Path, int]:
    marks: dict[str, float] = {}
    t0 = time.perf_counter()

    def on_step(step: str, _path: Path) -> None:
        marks[step] = time.perf_counter() - t0

    from datetime import UTC, datetime

    final, manifest = store.backup_database(db.conn, folder, trigger="手动",
                                            now=datetime.now(UTC), on_step=on_step)
    total = time.perf_counter() - t0
    steps = {
        "copy (backup API)": marks["copied"],
        "checks + counts + digests": marks["checked"] - marks["copied"],
        "fsync + rename": marks["renamed"] - marks["checked"],
        "manifest (SHA-256)": marks["manifest"] - marks["renamed"],
    }
    return total, steps, final, manifest.size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--index-costs", action="store_true")
    args = ap.parse_args()

    db = database.connect(args.db, check=False)
    notices = db.execute("SELECT count(*) FROM notice").fetchone()[0]
    print(f"database {args.db}: {notices:,} notices, {_mb(args.db.stat().st_size)}")
    folder = ops.backup_dir_for(args.db)

    totals = []
    last = None
    for i in range(args.repeat):
        total, steps, final, size = timed_backup(db, folder)
        totals.append(total)
        print(f"backup {i + 1}: {total:.1f} s, {_mb(size)} — " +
              ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()))
        if last is not None:
            store.delete_backup(last)
        last = final
    print(f"backup: median {statistics.median(totals):.1f} s (target ≤ 10 s)")

    quick = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        assert database.quick_check_file(args.db) == "ok"
        quick.append(time.perf_counter() - t0)
    print(f"check quick: median {statistics.median(quick):.2f} s (target ≤ 2 s)")
    t0 = time.perf_counter()
    report = ops.check_database(args.db, full=True)
    print(f"check --full: {time.perf_counter() - t0:.1f} s, ok={report.ok}, "
          f"{report.audit_entries:,} audit entries")

    admin = next(u for u in user_store.list_users(db) if u.role is Role.ADMIN)
    ctx = Context(db, user=admin)
    t0 = time.perf_counter()
    result = ops.restore(ctx, last)
    restore_s = time.perf_counter() - t0
    print(f"restore (verify source, copy + check beside the database, 恢复前 backup, swap): "
          f"{restore_s:.1f} s (target ≤ 20 s); pre-restore backup {result.pre_backup.name}")
    store.delete_backup(result.pre_backup)
    store.delete_backup(last)

    if args.index_costs:
        from sqlite_utils import Database

        from govdesk.store.notice_store import rebuild_search_index

        probe = args.db.with_name(args.db.stem + "-noindex.db")
        store.discard(probe)
        src = store.open_file(args.db)
        dest = store.open_file(probe, readonly=False)
        src.backup(dest)
        src.close()
        t0 = time.perf_counter()
        dest.execute("INSERT INTO notice_search (notice_search) VALUES ('delete-all')")
        dest.commit()
        dest.execute("VACUUM")
        drop_s = time.perf_counter() - t0
        dest.close()
        print(f"without the search index: {_mb(probe.stat().st_size)} "
              f"(delete + VACUUM {drop_s:.1f} s)")
        conn = store.open_file(probe, readonly=False)
        t0 = time.perf_counter()
        with Database(conn).atomic():
            rebuild_search_index(Database(conn))
        print(f"rebuilding the search index at restore: {time.perf_counter() - t0:.1f} s")
        conn.close()
        store.discard(probe)
    database.close(ctx.db)


if __name__ == "__main__":
    main()
