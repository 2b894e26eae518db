"""D11: every schema version's fixture (tests/fixtures/schemas/, made by
scripts/make_schema_fixtures.py) migrates to the current schema soundly, after a verified
backup; a kill at any moment of a migration leaves the database at its old version untouched or
complete at the new one."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from govdesk.core.audit import verify_chain
from govdesk.store import audit_store
from govdesk.store import backup as bk
from govdesk.store.database import close, connect
from govdesk.store.migrations import known_names

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "schemas"
# Tables whose rows a later migration adds to on purpose (backfills), beside its own record;
# 0002 writes the default lists.
GROWN_BY_MIGRATIONS = {"_sqlite_migrations", "approval_slip", "approval"}
DEFAULT_LISTS = {"category", "channel", "unit"}


def _grown(before_schema: list[str]) -> set[str]:
    return GROWN_BY_MIGRATIONS | (DEFAULT_LISTS if "0002_default_lists" not in before_schema
                                  else set())


def _fixtures() -> list[Path]:
    return sorted(FIXTURES.glob("*.db"))


def _raw(path: Path) -> sqlite3.Connection:
    """Read a database without connect() (which would migrate it)."""
    return bk.open_file(path)


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


def _preserved_digests(conn: sqlite3.Connection, columns: dict[str, list[str]]) -> dict[str, str]:
    """SHA-256 of each table's rows over the given (the old) columns, ordered by all of them
    (some tables are WITHOUT ROWID)."""
    out = {}
    for table, cols in columns.items():
        h = hashlib.sha256()
        select = ", ".join(f'"{c}"' for c in cols)
        order = ", ".join(str(i) for i in range(1, len(cols) + 1))
        for row in conn.execute(f'SELECT {select} FROM "{table}" ORDER BY {order}'):
            h.update(repr(row).encode("utf-8"))
        out[table] = h.hexdigest()
    return out


def test_there_is_a_fixture_for_every_schema_version():
    names = [p.stem for p in _fixtures()]
    assert names == known_names(), (
        "tests/fixtures/schemas/ must hold one database per migration: run "
        "`python scripts/make_schema_fixtures.py` after adding a migration")
    for p in _fixtures():
        assert p.stat().st_size < 1_000_000, p.name


@pytest.mark.parametrize("fixture", _fixtures(), ids=lambda p: p.stem)
def test_each_fixture_migrates_to_the_current_schema(fixture: Path, tmp_path: Path):
    path = tmp_path / "govdesk.db"
    shutil.copyfile(fixture, path)  # a fixture file, not a live database (D12 is about those)
    old = _raw(path)
    try:
        before_schema = bk.applied_migrations(old)
        before_counts = bk.row_counts(old)
        old_columns = {t: _columns(old, t) for t in before_counts
                       if t not in _grown(before_schema)}
        before_digests = _preserved_digests(old, old_columns)
    finally:
        old.close()
    assert before_schema == known_names()[: known_names().index(fixture.stem) + 1]
    assert before_counts["notice"] >= 4 and before_counts["audit_log"] >= 7  # realistic rows

    db = connect(path)
    try:
        conn = db.conn
        assert bk.applied_migrations(conn) == known_names()
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        after_counts = bk.row_counts(conn)
        for table, n in before_counts.items():
            if table in _grown(before_schema):
                assert after_counts[table] >= n, table
            else:
                assert after_counts[table] == n, table
        assert _preserved_digests(conn, old_columns) == before_digests
        assert verify_chain(audit_store.iter_entries(db)) is None
        # the published notices' slips (0007's backfill, or the fixture's own) are there
        assert after_counts["approval_slip"] >= 2
    finally:
        close(db)

    backups = bk.list_backups(bk.backup_dir_for(path))
    if before_schema == known_names():
        assert backups == []  # nothing to migrate, no backup
    else:
        assert len(backups) == 1
        final, manifest = backups[0]
        assert manifest.trigger == "迁移前" and manifest.schema == before_schema
        assert bk.verify(final, expected=manifest).ok


KILL_CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from govdesk.store.database import close, connect
    print("ready", flush=True)
    close(connect(Path(sys.argv[1])))
    print("done", flush=True)
""")


def _state(path: Path) -> tuple[list[str], dict[str, str] | None]:
    conn = _raw(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        schema = bk.applied_migrations(conn)
        tables = {t: _columns(conn, t) for t in bk.row_counts(conn)}
        return schema, _preserved_digests(conn, tables)
    finally:
        conn.close()


@pytest.mark.slow
def test_a_kill_during_migration_leaves_old_or_new_never_between(tmp_path: Path):
    """20 SIGKILLs at random moments of ``connect()`` migrating the oldest fixture (backup
    first, then every migration): each time the file is sound and either exactly the old
    database or completely migrated; leftovers of the backup are removed as after any kill."""
    oldest = _fixtures()[0]
    script = tmp_path / "child.py"
    script.write_text(KILL_CHILD, "utf-8")
    original = tmp_path / "original.db"
    shutil.copyfile(oldest, original)
    old_state = _state(original)
    # How long the child takes from "ready" to the end here, so that the kills spread over it.
    probe = tmp_path / "probe.db"
    shutil.copyfile(oldest, probe)
    child = subprocess.Popen([sys.executable, str(script), str(probe)], stdout=subprocess.PIPE,
                             text=True)
    assert child.stdout.readline().strip() == "ready"
    t0 = time.perf_counter()
    assert child.stdout.readline().strip() == "done"
    window = time.perf_counter() - t0
    child.wait()
    child.stdout.close()
    rng = random.Random(11)
    outcomes = {"old": 0, "old, backup made": 0, "new": 0}
    for it in range(20):
        work = tmp_path / f"run{it}"
        work.mkdir()
        path = work / "govdesk.db"
        shutil.copyfile(oldest, path)
        child = subprocess.Popen([sys.executable, str(script), str(path)],
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready"
        try:
            child.wait(timeout=rng.uniform(0, window * 1.5))
        except subprocess.TimeoutExpired:
            child.kill()
        child.wait()
        child.stdout.close()
        bk.cleanup_orphans(bk.backup_dir_for(path))
        schema, digests = _state(path)
        if schema == old_state[0]:
            assert digests == old_state[1], f"run {it}: old version, but rows changed"
            outcomes["old"] += 1
            # killed after its 迁移前 backup was complete: inside the migration (or just before)
            outcomes["old, backup made"] += any(
                m is not None for _p, m in bk.list_backups(bk.backup_dir_for(path)))
        else:
            assert schema == known_names(), f"run {it}: stopped between versions at {schema[-1]}"
            outcomes["new"] += 1
        for final, manifest in bk.list_backups(bk.backup_dir_for(path)):
            if manifest is not None:  # a kill between rename and manifest leaves none
                assert bk.verify(final, expected=manifest).ok
        # and whatever state it is in, the next start finishes the job
        db = connect(path)
        assert bk.applied_migrations(db.conn) == known_names()
        close(db)
    # Some kill must have landed after the backup and before the commit, or nothing was tested
    # (on a loaded machine every child may be slower than the probe: no completed run needed).
    assert outcomes["old, backup made"], outcomes
