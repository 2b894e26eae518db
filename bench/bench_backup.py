"""Backups at scale (issue 7: at 120,000 notices a backup ≤ 10 s, `govdesk check` quick ≤ 2 s,
restore ≤ 20 s; the backup's size stated).

    python bench/generate.py --db bench/out/backup-120k.db --notices 120000 \
        --postings-audit 1000000 --seed 1
    python bench/bench_backup.py --db bench/out/backup-120k.db [--repeat 3] [--cold] \
        [--index-costs]

Times, on the given database (migrated first if it is older, which makes a 迁移前 backup; use a
private copy):

* ``store.backup.backup_database`` with its steps timed through its ``on_step`` hook: the
  stepped copy through the online backup API, then the checks on the copy — integrity_check on
  one core while a second thread reads the file for its SHA-256, fsyncs it and runs
  foreign_key_check and the row counts — and rename + manifest;
* ``govdesk check`` quick (``operations.backups.check_database``, quick_check through a memory
  map) and the app's background check (``database.quick_check_file`` without mmap), and
  ``--full``;
* ``operations.backups.restore`` as the administrator, each phase timed: checks of the source
  (describe), copy + SHA-256 + full checks beside the database (prepare), the 恢复前 backup
  (the replaced file hard-linked, then quick_check + SHA-256 of it), recording + swap,
  reopening;
* with ``--cold``: the same backup, quick check and restore with the database file (and the
  backup restored from) first dropped from the OS page cache (``posix_fadvise(DONTNEED)``,
  Linux): the first backup after a PC starts;
* with ``--index-costs``: what leaving the search index out would save (size after deleting it
  and VACUUM, and the time that takes) and cost (rebuilding it at restore).
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import statistics
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from govdesk.core.org import Role
from govdesk.operations import backups as ops
from govdesk.operations.context import Context
from govdesk.store import backup as store
from govdesk.store import database, user_store


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB"


def evict(*paths: Path) -> None:
    """Drop the files from the OS page cache (cold start); a no-op where it is not supported."""
    for path in paths:
        if not hasattr(os, "posix_fadvise") or not path.exists():
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def timed_backup(db, folder: Path) -> tuple[float, dict[str, float], Path, int]:
    marks: dict[str, float] = {}
    t0 = time.perf_counter()

    def on_step(step: str, _path: Path) -> None:
        marks[step] = time.perf_counter() - t0

    final, manifest = store.backup_database(db.conn, folder, trigger="手动",
                                            now=datetime.now(UTC), on_step=on_step)
    total = time.perf_counter() - t0
    steps = {
        "copy (backup API)": marks["copied"],
        "checks ∥ SHA-256 + fsync": marks["synced"] - marks["copied"],
        "rename + manifest": marks["manifest"] - marks["synced"],
    }
    return total, steps, final, manifest.size


def timed_restore(ctx: Context, source: Path) -> tuple[float, dict[str, float], Path]:
    """ops.restore with its phases timed by wrapping the functions it calls."""
    phases: dict[str, float] = {}
    originals = []

    def wrap(module, name: str, label: str) -> None:
        fn = getattr(module, name)
        originals.append((module, name, fn))

        @functools.wraps(fn)
        def timed(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                phases[label] = phases.get(label, 0.0) + time.perf_counter() - t

        setattr(module, name, timed)

    wrap(store, "describe_file", "describe source")
    wrap(store, "prepare_restore_hashed", "copy + SHA-256 + full checks (prepare)")
    wrap(store, "keep_replaced", "恢复前 backup: journal mode + hard link")
    wrap(ops, "_copy_replaced", "恢复前 backup: copy (no hard links)")
    wrap(store, "describe_kept", "恢复前 backup: quick_check + SHA-256 + sidecar")
    wrap(ops, "_record_restore", "record in the restored log")
    wrap(store, "swap_in", "swap in (fsync + rename)")
    wrap(database, "connect", "reopen")
    t0 = time.perf_counter()
    try:
        result = ops.restore(ctx, source)
    finally:
        for module, name, fn in originals:
            setattr(module, name, fn)
    return time.perf_counter() - t0, phases, result.pre_backup


def timed_quick(path: Path, *, mmap: bool) -> float:
    t0 = time.perf_counter()
    if mmap:
        assert ops.check_database(path).ok
    else:
        assert database.quick_check_file(path) == "ok"
    return time.perf_counter() - t0


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        cpu = next((line.split(":", 1)[1].strip() for line in out.splitlines()
                    if line.startswith("Model name")), cpu)
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cold", action="store_true")
    ap.add_argument("--index-costs", action="store_true")
    args = ap.parse_args()

    print(f"machine: {machine()}; load average before: {os.getloadavg()[0]:.2f}")
    db = database.connect(args.db, check=False)
    notices = db.execute("SELECT count(*) FROM notice").fetchone()[0]
    print(f"database {args.db}: {notices:,} notices, {_mb(args.db.stat().st_size)}")
    folder = ops.backup_dir_for(args.db)

    totals = []
    last = None
    runs = [("warm", i) for i in range(args.repeat)] + ([("cold", 0)] if args.cold else [])
    for kind, i in runs:
        if kind == "cold":
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            evict(args.db)
        total, steps, final, size = timed_backup(db, folder)
        if kind == "warm":
            totals.append(total)
        print(f"backup {kind} {i + 1}: {total:.1f} s, {_mb(size)} — " +
              ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()))
        if last is not None:
            store.delete_backup(last)
        last = final
    print(f"backup: median {statistics.median(totals):.1f} s of {len(totals)} warm (target ≤ 10 s)")

    for mmap, label in ((True, "govdesk check (mmap)"), (False, "app background check (no mmap)")):
        warm = [timed_quick(args.db, mmap=mmap) for _ in range(args.repeat)]
        line = f"{label}: warm median {statistics.median(warm):.2f} s"
        if args.cold:
            evict(args.db)
            line += f", cold {timed_quick(args.db, mmap=mmap):.2f} s"
        print(line + " (target ≤ 2 s)")
    t0 = time.perf_counter()
    report = ops.check_database(args.db, full=True)
    print(f"check --full: {time.perf_counter() - t0:.1f} s, ok={report.ok}, "
          f"{report.audit_entries:,} audit entries")

    admin = next(u for u in user_store.list_users(db) if u.role is Role.ADMIN)
    ctx = Context(db, user=admin)
    for kind in ["warm"] + (["cold"] if args.cold else []):
        if kind == "cold":
            ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            evict(args.db, last)
        ctx.user = admin
        restore_s, phases, pre = timed_restore(ctx, last)
        print(f"restore {kind}: {restore_s:.1f} s (target ≤ 20 s) — " +
              ", ".join(f"{k} {v:.1f} s" for k, v in phases.items()))
        store.delete_backup(pre)
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
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    database.close(ctx.db)


if __name__ == "__main__":
    main()
