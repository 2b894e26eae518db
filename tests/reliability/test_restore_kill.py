"""Kill during restore: a child process restores a backup over the database through the app's
restore path (operations.backups.restore as the signed-in administrator: prepare and check a
copy, record the restore in it, keep the replaced file as the 恢复前 backup, swap in) and is
SIGKILLed at a random moment, 50 times (GOVDESK_RELIABILITY_FULL=1: 1,000, for a nightly or
pre-release run). After every kill the next start's cleanup (operations.backups.
startup_cleanup) runs, the app opens the database (database.connect: migrations, quick_check),
and then:

* the database at the original path is either the complete old one (every table's digest
  equal to the old database's) or the complete restored one (every table equal to the backup's,
  plus exactly one audit row, the restore's), never a mix, never missing;
* integrity_check, foreign_key_check and the audit chain pass;
* no temporary file is left beside the database or in its backup folder;
* every file under a final backup name verifies; after a restore, the replaced data is still
  there as a backup (a backup whose tables equal the old database's).

The child (backup_child.py) imports the store and operations.backups once and forks a worker per
kill; the kill lands uniformly within 1.3 × one restore's duration, calibrated on this machine
by three restores that are not killed (the median)."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from child_io import ForkServer
from reliability_world import PASSWORD, FixedClock, database_problems

from govdesk.core.backup_schedule import Trigger
from govdesk.core.org import Role
from govdesk.operations import auth
from govdesk.operations.backups import backup_dir_for, backup_now, startup_cleanup
from govdesk.operations.context import Context
from govdesk.store import backup as bk
from govdesk.store.database import close, connect

HERE = Path(__file__).resolve().parent
FULL = os.environ.get("GOVDESK_RELIABILITY_FULL") == "1"
ITERATIONS = 1000 if FULL else 50

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="a fork server (POSIX)")


def fresh_copy(pristine: Path, target: Path) -> Path:
    """A copy of the prepared database through SQLite's backup API (never a file copy)."""
    target.parent.mkdir(parents=True)
    src, dst = sqlite3.connect(pristine), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def temp_files(*folders: Path) -> list[str]:
    return [p.name for f in folders if f.is_dir() for p in f.iterdir()
            if bk.TEMP_RE.search(p.name)]


def digests_of(path: Path) -> dict[str, str]:
    conn = bk.open_file(path)
    try:
        return bk.table_digests(conn)
    finally:
        conn.close()


@pytest.mark.slow
def test_killing_a_restore_leaves_the_old_or_the_restored_database(tmp_path):
    # The backup to restore: a township with an administrator and some records …
    pristine = tmp_path / "pristine" / "govdesk.db"
    db = connect(pristine)
    ctx = Context(db, clock=FixedClock())
    ctx.user = auth.create_user(ctx, "admin", "管理员", Role.ADMIN, PASSWORD)
    with db.atomic():
        db.execute("UPDATE township SET full_name = '青山镇人民政府' WHERE id = 1")
        db.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, v TEXT)")
        for i in range(400):  # ≈ 1.5 MB: the restore's copy and checks take a while
            db.execute("INSERT INTO filler (v) VALUES (?)", [f"{i:06d}" + "政务公开" * 100])
    source_seq = db.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    source = backup_now(ctx, Trigger.MANUAL).path  # (its audit row comes after the copy)
    # … and the "old" database it is restored over: changed since.
    with db.atomic():
        db.execute("UPDATE township SET full_name = '青山镇' WHERE id = 1")
        db.execute("DELETE FROM filler WHERE id % 3 = 0")
        db.execute("INSERT INTO filler (v) VALUES ('恢复前才有的一行')")
        ctx.audit("create", "filler", 401)
    close(db)
    source_sha = bk.sha256_file(source)
    restored = bk.verify(source, expected=bk.read_manifest(source), digests=True)
    assert restored.ok
    old = digests_of(pristine)
    assert old != restored.table_digests

    def outcome(path: Path) -> str:
        """'old' or 'restored', after checking the database the app opens at ``path``."""
        db = connect(path)  # the app's start: migrations, quick_check, pragmas
        try:
            problems = database_problems(db.conn)
            assert problems == [], problems
            if bk.table_digests(db.conn) == old:
                return "old"
            assert bk.table_digests(db.conn, audit_upto=source_seq) == \
                restored.table_digests, "neither the old nor the restored database"
            added = [r[0] for r in db.execute(
                "SELECT action FROM audit_log WHERE seq > ?", [source_seq])]
            assert added == ["restore"], added
            return "restored"
        finally:
            close(db)

    seed = int(os.environ.get("GOVDESK_KILL_SEED", random.SystemRandom().randrange(2**32)))
    print(f"restore kill loop seed {seed} (GOVDESK_KILL_SEED to repeat)")
    rng = random.Random(seed)
    seen: dict[str, int] = {"old": 0, "restored": 0}
    cut_with_temp_files = 0
    server = ForkServer(HERE / "backup_child.py")
    try:
        # Calibration: three restores, not killed; the median (one slow run on a loaded
        # machine must not widen every kill window).
        durations = []
        for c in range(3):
            path = fresh_copy(pristine, tmp_path / f"calibrate{c}" / "govdesk.db")
            pid = server.start("restore", path, source)
            t0 = time.monotonic()
            got, done = server.run_for(300, stop="done")
            durations.append(time.monotonic() - t0)
            got += server.kill(pid)
            assert done, got
            assert outcome(path) == "restored"
        duration = sorted(durations)[1]
        for it in range(ITERATIONS):
            folder = tmp_path / f"it{it}"
            path = fresh_copy(pristine, folder / "govdesk.db")
            pid = server.start("restore", path, source)
            got, _ = server.run_for(rng.uniform(0, 1.3 * duration))
            got += server.kill(pid)
            assert not [line for line in got if line.startswith("error")], got
            backups = backup_dir_for(path)
            cut_with_temp_files += bool(temp_files(folder, backups))
            startup_cleanup(path)  # the next start
            assert temp_files(folder, backups) == [], (it, temp_files(folder, backups))
            result = outcome(path)
            seen[result] += 1
            if "done" in got:
                assert result == "restored", (it, "acknowledged restore lost")
            kept = []
            for p, manifest in bk.list_backups(backups):
                # a backup is never the live file itself (a link left by a cut restore)
                assert not os.path.samefile(p, path), (it, p.name, "is the live database")
                v = bk.verify(p, expected=manifest, digests=True)
                assert v.ok, (it, p.name, v.problems)
                kept.append(v.table_digests == old)
            if result == "restored":  # the replaced data survives as the 恢复前 backup
                assert any(kept), (it, "the replaced database was not kept")
            shutil.rmtree(folder)
    finally:
        server.close()
    assert bk.sha256_file(source) == source_sha  # the source is never changed
    print(f"restore: {ITERATIONS} kills: {seen}; {cut_with_temp_files} left temporary files; "
          f"{duration * 1000:.0f} ms a restore")
    # The loop really cut restores at both ends: before the swap and after it.
    assert seen["old"] >= ITERATIONS // 10 and seen["restored"] >= 1, seen
    assert cut_with_temp_files >= 1
