"""Backup files (B1–B4, B8, D8) on real temporary SQLite files."""

from __future__ import annotations

import json
import os
import random
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from govdesk.core.errors import UserError
from govdesk.store import backup as bk
from govdesk.store.database import close, connect
from govdesk.store.migrations import known_names

NOW = datetime(2025, 11, 20, 4, 0, tzinfo=UTC)


def _fill(db, rows: int = 200, width: int = 400) -> None:
    """Records of the office's kind plus a table of bulk rows (a bigger file for stepping)."""
    with db.atomic():
        db.execute("UPDATE township SET full_name = '青山镇人民政府' WHERE id = 1")
        db.execute("CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, v TEXT)")
        for i in range(rows):
            db.execute("INSERT INTO filler (v) VALUES (?)", [f"{i:06d}" + "政务公开" * width])


@pytest.fixture
def live(tmp_path):
    db = connect(tmp_path / "govdesk.db")
    _fill(db)
    yield db
    db.close()


def test_each_step_of_a_backup_has_its_effect(live, tmp_path):
    folder = tmp_path / "backups"
    seen: dict[str, dict] = {}

    def on_step(step: str, path: Path) -> None:
        head = path.read_bytes()[:100]
        seen[step] = {
            "path": path, "exists": path.exists(),
            "finals": sorted(p.name for p in folder.glob("govdesk-*.db")),
            "rollback_mode": head[18:20] == b"\x01\x01",
            "companions": [p.name for p in folder.iterdir()
                           if p.name.endswith(("-journal", "-wal", "-shm"))],
        }

    final, manifest = bk.backup_database(live.conn, folder, trigger="手动", now=NOW,
                                         on_step=on_step)
    # copied into a temporary file; nothing under a final name yet; one self-contained file
    assert bk.TEMP_RE.search(seen["copied"]["path"].name)
    assert seen["copied"]["finals"] == [] and seen["copied"]["rollback_mode"]
    assert seen["copied"]["companions"] == []
    assert seen["checked"]["finals"] == [] and seen["synced"]["finals"] == []
    # renamed to the final name (local time), the temporary file gone
    stamp = NOW.astimezone().strftime("%Y%m%d-%H%M%S")
    assert final.name == f"govdesk-{stamp}.db"
    assert seen["renamed"]["finals"] == [final.name]
    assert not seen["copied"]["path"].exists()
    # the manifest describes exactly this file and the source's content
    assert sorted(p.name for p in folder.iterdir()) == [final.name, final.name + ".json"]
    stored = json.loads((folder / (final.name + ".json")).read_text("utf-8"))
    assert stored["verified"] is True and stored["trigger"] == "手动"
    assert stored["sha256"] == bk.sha256_file(final) and stored["size"] == final.stat().st_size
    assert stored["schema"] == known_names() and manifest.schema_version == known_names()[-1]
    assert stored["row_counts"] == bk.row_counts(live.conn)
    assert stored["row_counts"]["filler"] == 200
    assert stored["checks"] == "integrity_check+foreign_key_check"
    # no per-table digests in a routine backup (slow at scale); verify computes them on demand
    assert stored["table_digests"] == {}
    assert bk.read_manifest(final) == manifest
    again = bk.verify(final, expected=manifest, digests=True)
    assert again.ok and again.table_digests == bk.table_digests(live.conn)
    assert again.sha256 == manifest.sha256


def test_a_copy_that_fails_its_checks_is_deleted_and_reported(live, tmp_path):
    folder = tmp_path / "backups"

    def damage(step: str, path: Path) -> None:
        if step == "copied":  # a bad sector in the copy
            with open(path, "r+b") as f:
                size = f.seek(0, 2)
                f.seek(size // 2)
                f.write(os.urandom(8192))

    with pytest.raises(bk.BackupFailed, match="未通过检查|损坏"):
        bk.backup_database(live.conn, folder, trigger="定时", now=NOW, on_step=damage)
    assert list(folder.iterdir()) == []


def test_a_foreign_key_violation_fails_the_backup(live, tmp_path):
    live.conn.execute("PRAGMA foreign_keys=OFF")
    live.conn.execute("INSERT INTO board (code, name, kind, community_id) VALUES "
                      "('X-1', '无主公开栏', '村务公开栏', 999)")
    live.conn.commit()
    with pytest.raises(bk.BackupFailed, match="外键检查.*board"):
        bk.backup_database(live.conn, tmp_path / "b", trigger="定时", now=NOW)
    assert list((tmp_path / "b").iterdir()) == []


def test_two_backups_in_one_second_get_two_names(live, tmp_path):
    a, _ = bk.backup_database(live.conn, tmp_path / "b", trigger="定时", now=NOW)
    b, _ = bk.backup_database(live.conn, tmp_path / "b", trigger="手动", now=NOW)
    assert a != b and b.name.endswith("-2.db")
    assert [p.name for p, _m in bk.list_backups(tmp_path / "b")] == [b.name, a.name]


B2_RUNS = 50
B2_OPS = 1000


@pytest.mark.slow
def test_live_backup_is_consistent_while_a_writer_commits(tmp_path, monkeypatch):
    """B2: 50 runs; in each, a writer thread on its own connection commits 1,000 operations
    while a stepped backup (64 pages a step) of the live database runs. Every backup passes
    its checks (verify: integrity_check, foreign_key_check, SHA-256 against its manifest) and
    holds a consistent snapshot of the model — counter == row count == highest id, total ==
    sum — taken while the backup ran (between the counts before and after it).

    In even runs the backup waits, between two steps, for the writer to commit more: every
    such run restarts the stepped copy (a write through another connection) until the
    one-step fallback (store.backup, MAX_RESTARTS) copies it whole while the writer goes on.
    Odd runs wait for one commit after the first step only, then let the two race freely.

    Each run is cheap on purpose: one database and schema for all runs, the writer a thread in
    this process, and the writer's connection at synchronous=NORMAL. At FULL every one of the
    50,000 commits waits for an fsync of the WAL (≈ 2.5 ms on CI's disk: over 2 minutes);
    NORMAL keeps WAL's atomicity and isolation, which is what B2 is about — only durability
    across a power cut differs, and D2/D3 test that."""
    monkeypatch.setattr(bk, "STEP_PAGES", 64)
    path = tmp_path / "govdesk.db"
    db = connect(path)
    _fill(db, rows=300)  # ≈ 350 pages: six steps of 64
    with db.atomic():
        db.execute("CREATE TABLE op (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL, v TEXT)")
        db.execute("CREATE TABLE tally (id INTEGER PRIMARY KEY CHECK (id = 1),"
                   " ops INTEGER NOT NULL, total INTEGER NOT NULL)")
        db.execute("INSERT INTO tally VALUES (1, 0, 0)")
    rng = random.Random(20251120)
    restarted_runs = mid_writer = 0
    for run in range(B2_RUNS):
        cond = threading.Condition()
        state = {"done": 0, "finished": False, "error": None}
        amounts = [rng.randrange(1, 1000) for _ in range(B2_OPS)]

        def write(state=state, cond=cond, amounts=amounts) -> None:
            w = connect(path, migrate=False, check=False)
            try:
                w.conn.execute("PRAGMA synchronous=NORMAL")  # see the docstring
                for amount in amounts:
                    with w.atomic():
                        w.execute("INSERT INTO op (amount, v) VALUES (?, 'op')", [amount])
                        w.execute("UPDATE tally SET ops = ops + 1, total = total + ?"
                                  " WHERE id = 1", [amount])
                    with cond:
                        state["done"] += 1
                        cond.notify_all()
            except BaseException as exc:  # noqa: BLE001 - reported by the test thread
                state["error"] = exc
            finally:
                w.close()
                with cond:
                    state["finished"] = True
                    cond.notify_all()

        def wait_for_writer(more: int, state=state, cond=cond) -> None:
            with cond:
                target = state["done"] + more
                assert cond.wait_for(
                    lambda: state["done"] >= target or state["finished"], timeout=120)

        steps: list[int] = []

        def gate(done: int, total: int, steps=steps, run=run) -> bool:
            steps.append(done)
            if run % 2 == 0 or len(steps) == 1:
                wait_for_writer(25 if run % 2 == 0 else 1)  # commits between two steps
            return True

        writer = threading.Thread(target=write, name=f"b2-writer-{run}")
        writer.start()
        try:
            wait_for_writer(1)  # the writer is under way when the backup starts
            low = state["done"]
            final, manifest = bk.backup_database(db.conn, tmp_path / "b", trigger="定时",
                                                 now=NOW + timedelta(seconds=run),
                                                 progress=gate)
            high = state["done"]
        finally:
            writer.join()
        assert state["error"] is None, state["error"]
        assert state["done"] == B2_OPS
        if any(b <= a for a, b in zip(steps, steps[1:], strict=False)):
            restarted_runs += 1
        result = bk.verify(final, expected=manifest)
        assert result.ok, (run, result.problems)
        copy = bk.open_file(final)
        try:
            ops, total = copy.execute("SELECT ops, total FROM tally").fetchone()
            count, top, summed = copy.execute(
                "SELECT count(*), coalesce(max(id), 0), coalesce(sum(amount), 0) FROM op"
            ).fetchone()
        finally:
            copy.close()
        assert ops == count == top and total == summed, (run, ops, count, top, total, summed)
        assert manifest.row_counts["op"] == count
        # taken while the backup ran: after the commits counted before it started, and not
        # after more than were committed by the time it returned (+1: one commit may be done
        # but not yet counted)
        base = run * B2_OPS
        assert base + low <= count <= base + high + 1, (run, low, count - base, high)
        if run % 2 == 0 and count - base < B2_OPS:
            mid_writer += 1
    db.close()
    # every gated run really had its stepped copy restarted by the writer's commits, and
    # the fallback copied a snapshot from the middle of the writer's run instead of chasing
    # it until it stopped (most gated runs: a loaded machine may let the writer race ahead)
    assert restarted_runs >= B2_RUNS // 2, restarted_runs
    assert mid_writer >= B2_RUNS // 4, mid_writer


# B3 (kills during a backup, 100 iterations with a forking child) is in
# tests/reliability/test_backup_kill.py, beside the kill loops of D2 and of restores.


def test_cleanup_leaves_temporary_files_of_a_running_process(tmp_path):
    mine = bk.temp_path(tmp_path / "govdesk-20250101-000000.db")
    mine.write_bytes(b"in progress")
    dead = tmp_path / "govdesk-20250101-000001.db.999999999-abcdef.tmp"
    dead.write_bytes(b"left by a kill")
    (tmp_path / (dead.name + "-journal")).write_bytes(b"j")
    other = tmp_path / "notes.tmp"
    other.write_bytes(b"not ours")
    removed = bk.cleanup_orphans(tmp_path)
    assert sorted(p.name for p in removed) == sorted([dead.name, dead.name + "-journal"])
    assert mine.exists() and other.exists()


def test_verify_finds_changed_bytes_and_damaged_pages(live, tmp_path):
    final, manifest = bk.backup_database(live.conn, tmp_path / "b", trigger="手动", now=NOW)
    assert bk.verify(final, expected=manifest).ok
    data = bytearray(final.read_bytes())
    data[-10] ^= 0xFF  # one byte of row content
    final.write_bytes(bytes(data))
    result = bk.verify(final, expected=manifest)
    assert not result.ok and any("SHA-256" in p for p in result.problems)
    data[4096 * 3: 4096 * 3 + 200] = os.urandom(200)  # a damaged b-tree page
    final.write_bytes(bytes(data))
    result = bk.verify(final)
    assert not result.ok and result.problems


def _mark_newer(path: Path) -> None:
    conn = bk.open_file(path, readonly=False)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                 " VALUES ('govdesk', '9999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()


def test_describe_a_file_and_flag_a_newer_schema(live, tmp_path):
    final, _m = bk.backup_database(live.conn, tmp_path / "b", trigger="手动", now=NOW)
    d = bk.describe_file(final)
    assert d.township == "青山镇人民政府"
    assert d.counts["用户"] == 0 and d.counts["信息"] == 0
    assert d.schema_version == known_names()[-1] and d.newer_schema == []
    _mark_newer(final)
    assert bk.describe_file(final).newer_schema == ["9999_from_the_future"]
    v = bk.verify(final)
    assert v.newer_schema == ["9999_from_the_future"]
    assert "更新版本的 govdesk" in list(bk.iter_problems(v))[-1]
    (tmp_path / "x.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(UserError, match="x.db"):
        bk.describe_file(tmp_path / "x.db")


def test_copy_to_a_usb_stick_is_read_back(live, tmp_path):
    final, manifest = bk.backup_database(live.conn, tmp_path / "b", trigger="手动", now=NOW)
    stick = tmp_path / "U盘"
    copied = bk.copy_verified(final, stick)
    assert copied == stick / final.name
    assert bk.sha256_file(copied) == manifest.sha256
    assert bk.read_manifest(copied) == manifest
    assert sorted(p.name for p in stick.iterdir()) == [final.name, final.name + ".json"]


def test_a_stick_that_lies_about_its_sync_is_reported_as_failure(live, tmp_path):
    """B8: the copy is read back; a mismatch is a failure, and no final-named file is left."""
    final, _m = bk.backup_database(live.conn, tmp_path / "b", trigger="手动", now=NOW)

    def lying_stick(path: Path) -> None:
        with open(path, "r+b") as f:
            f.seek(path.stat().st_size - 4096)
            f.write(b"\0" * 4096)  # the last page never reached the flash

    stick = tmp_path / "U盘"
    with pytest.raises(bk.BackupFailed, match="读回校验失败"):
        bk.copy_verified(final, stick, after_write=lying_stick)
    assert list(stick.iterdir()) == []


def test_prepare_and_swap_in_restore_every_table(tmp_path):
    """B4 at the file level: the restored database's tables equal the backup's."""
    path = tmp_path / "govdesk.db"
    db = connect(path)
    _fill(db)
    final, manifest = bk.backup_database(db.conn, tmp_path / "b", trigger="手动", now=NOW)
    expected = bk.verify(final, expected=manifest, digests=True).table_digests
    db.execute("DELETE FROM filler WHERE id > 10")
    db.conn.commit()
    close(db)
    tmp, digest = bk.prepare_restore_hashed(final, path, expected_sha256=manifest.sha256)
    assert digest == manifest.sha256
    assert tmp.parent == path.parent and bk.TEMP_RE.search(tmp.name)
    bk.swap_in(tmp, path)
    assert not tmp.exists()
    restored = connect(path)
    assert bk.table_digests(restored.conn) == expected
    assert restored.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    restored.close()


def test_swap_in_refuses_while_the_database_is_open_elsewhere(tmp_path):
    path = tmp_path / "govdesk.db"
    db = connect(path)
    _fill(db, rows=5)
    final, _m = bk.backup_database(db.conn, tmp_path / "b", trigger="手动", now=NOW)
    other = connect(path, migrate=False)
    other.execute("INSERT INTO filler (v) VALUES ('unsaved in the wal')")
    other.conn.commit()
    tmp = bk.prepare_restore(final, path)
    with pytest.raises(bk.BackupFailed, match="其他窗口"):
        bk.swap_in(tmp, path)
    assert other.execute("SELECT count(*) FROM filler").fetchone()[0] == 6
    other.close()
    db.close()


def test_an_older_backup_is_migrated_when_prepared(tmp_path):
    from sqlite_utils import Database

    from govdesk.store.migrations import migrations

    old = tmp_path / "old.db"
    conn = bk.open_file(old, readonly=False)
    migrations.apply(Database(conn), stop_before=known_names()[5])
    conn.close()
    assert bk.describe_file(old).schema == known_names()[:5]
    tmp = bk.prepare_restore(old, tmp_path / "govdesk.db")
    try:
        assert bk.describe_file(tmp).schema == known_names()
    finally:
        tmp.unlink()


def test_a_damaged_database_is_moved_aside_not_overwritten(tmp_path):
    path = tmp_path / "govdesk.db"
    path.write_bytes(b"damaged" * 1000)
    (tmp_path / "govdesk.db-wal").write_bytes(b"wal")
    moved = bk.move_aside(path, NOW)
    assert moved.name.startswith("govdesk.db.damaged-") and moved.read_bytes()[:7] == b"damaged"
    assert (tmp_path / (moved.name + "-wal")).read_bytes() == b"wal"
    # the path is never empty: the damaged file stays there until swap_in replaces it
    assert path.read_bytes() == moved.read_bytes() and not (tmp_path / "govdesk.db-wal").exists()
    assert bk.move_aside(path, NOW) != moved  # a second one in the same second: its own name
