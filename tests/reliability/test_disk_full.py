"""D4 disk full, simulated with ``PRAGMA max_page_count``: the limit is set to the current size
+ k pages for k = 0, 1, 2 … so that the write fails on every page boundary the operation crosses
(a sample of them for the 500-row import, each for the approval). Every failure must give the
Chinese message 磁盘空间不足, leave every table exactly as before (per-table digest),
integrity_check ok and no transaction open; once the limit is lifted the same operation
succeeds on the same connection and is read back through a fresh one (D6).

Writing a backup is the third case (see the section at the end): there the destination's disk
fills up, not the live database's, and the criteria are the backup's own: 磁盘空间不足
(DiskFull), nothing left of the failed backup, earlier backups untouched, the live database
unchanged and usable, and the next backup good once there is room again."""

from __future__ import annotations

import csv
import errno
import os
import sqlite3
from pathlib import Path

import pytest
from conftest import approve_all, as_user, notice_input
from reliability_world import database_problems, table_digest

import govdesk.store.backup as store_backup
from govdesk.core.approvals import Decision
from govdesk.core.backup_schedule import Trigger
from govdesk.core.errors import DiskFull, UserError
from govdesk.operations import approvals, backups, ledger
from govdesk.operations import notices as notice_ops
from govdesk.operations.context import Context
from govdesk.store import database
from govdesk.store.database import close, connect

NO_LIMIT = 1_073_741_823
ROWS = 500


def ledger_csv(path: Path, rows: int = ROWS) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["标题", "类别", "责任单位", "形成日期", "公开方式", "正文"])
        for i in range(rows):
            w.writerow([f"关于柳河村第{i + 1}号事项的公示", "社会救助", "民政办", "2025-03-01",
                        "公开栏", "经村民代表评议、镇人民政府审核，现予以公示。" * 4])
    return path


def pages(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA page_count").fetchone()[0]


def sweep(ctx: Context, run, ks):
    """Run ``run`` with the limit at size + k for each k until it succeeds; returns (k, result,
    number of failures). Checks every failure."""
    conn = ctx.db.conn
    before = table_digest(conn)
    base = pages(conn)
    failures = 0
    for k in ks:
        conn.execute(f"PRAGMA max_page_count={base + k}")
        try:
            result = run()
        except UserError as exc:
            assert "磁盘空间不足" in exc.message, exc.message
            assert not conn.in_transaction, f"k={k}: a transaction was left open"
            assert table_digest(conn) == before, f"k={k}: the failed write changed tables"
            assert database_problems(conn) == [], k
            failures += 1
            continue
        finally:
            conn.execute(f"PRAGMA max_page_count={NO_LIMIT}")
        return k, result, failures
    raise AssertionError(f"still failing at k={k}")


def fresh(ctx: Context):
    """The same database through a new connection (D6)."""
    return connect(ctx.db.conn.execute("PRAGMA database_list").fetchone()[2])


def test_a_500_row_import_fails_cleanly_on_every_page_boundary(ctx, users, tmp_path):
    source = ledger_csv(tmp_path / "台账.csv")
    # How many pages the import needs: a dry run on a copy made with the backup API.
    copy = tmp_path / "copy" / "govdesk.db"
    copy.parent.mkdir()
    dst = sqlite3.connect(copy)
    ctx.db.conn.backup(dst)
    dst.close()
    db2 = connect(copy)
    try:
        before = pages(db2.conn)
        assert ledger.import_notices(as_user(Context(db2, clock=ctx.clock), ctx.user),
                                     source).created == ROWS
        needed = pages(db2.conn) - before
    finally:
        close(db2)
    assert needed > 50  # the import really spans many page boundaries
    ks = sorted({0, 1, 2, 3, *range(5, needed, max(1, needed // 8)), needed - 2, needed - 1,
                 *range(needed, needed + 200)})
    k, result, failures = sweep(ctx, lambda: ledger.import_notices(ctx, source), ks)
    assert result.created == ROWS and failures >= 10
    print(f"import: {needed} pages needed, {failures} failures, succeeded at k={k}")
    db = fresh(ctx)
    try:
        assert db.execute("SELECT count(*) FROM notice").fetchone()[0] == ROWS
        assert database_problems(db.conn) == []
    finally:
        close(db)


def test_an_approval_fails_cleanly_on_every_page_boundary(ctx, users):
    notice = notice_ops.create_notice(ctx, notice_input(ctx))
    notice_ops.submit_notice(ctx, notice.id)
    view = approvals.latest_slip(ctx, notice.id)
    signer = as_user(ctx, users[view.current_stage.role])
    k, view, failures = sweep(ctx, lambda: approvals.decide(signer, view.id, Decision.APPROVE),
                              range(0, 200))
    assert view.state.current == 1 and failures >= 1
    db = fresh(ctx)
    try:
        assert db.execute("SELECT count(*) FROM approval WHERE kind='decide'").fetchone()[0] == 1
        assert db.execute("SELECT count(*) FROM audit_log WHERE action='approve'"
                          ).fetchone()[0] == 1
        assert database_problems(db.conn) == []
    finally:
        close(db)
    approve_all(ctx, users, notice.id, submit=False)  # and the chain goes on from there


# ---- writing a backup ------------------------------------------------------------------------
#
# A backup writes a *separate* file, so the source's max_page_count never bites: the disk that
# fills up is the backup folder's. Two ways it shows, both swept over every failure point:
# SQLite filling the temporary copy (max_page_count on the destination connection the backup
# opens: k = 1 … the source's page count), and ENOSPC from the file steps outside SQLite
# (the fsync of the copy, its rename, the manifest's write/flush/fsync/rename, the folder
# fsyncs), from the k-th such call on — a full disk stays full — until the backup succeeds.


class FullDisk:
    """ENOSPC from OS call number ``at`` on, for write/flush/fsync/replace (unlink, which frees
    space, still works). ``at=0`` only counts the calls."""

    def __init__(self, at: int) -> None:
        self.at, self.calls, self.fired = at, 0, []

    def tick(self, what: str) -> None:
        self.calls += 1
        if self.at and self.calls >= self.at:
            self.fired.append(what)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def install(self, monkeypatch) -> None:
        real_fsync, real_replace, real_open = os.fsync, os.replace, open

        def fsync(fd):
            self.tick("fsync")
            return real_fsync(fd)

        def replace(src, dst, **kw):
            self.tick("replace")
            return real_replace(src, dst, **kw)

        def open_(file, mode="r", *args, **kw):
            f = real_open(file, mode, *args, **kw)
            return _FullFile(f, self) if "w" in mode else f

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)
        monkeypatch.setattr(store_backup, "open", open_, raising=False)


class _FullFile:
    def __init__(self, real, disk: FullDisk) -> None:
        self._real, self._disk = real, disk

    def write(self, data):
        self._disk.tick("write")
        return self._real.write(data)

    def flush(self):
        self._disk.tick("flush")
        return self._real.flush()

    def fileno(self):
        return self._real.fileno()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._real.close()


def limit_backup_copy(monkeypatch, folder: Path, limit: int) -> None:
    """The backup folder's disk has room for ``limit`` pages: the page limit is set on the
    temporary copy's connection, the one the backup API writes through."""
    real = store_backup.open_file

    def open_file(path, *, readonly=True):
        conn = real(path, readonly=readonly)
        if not readonly and Path(path).parent == folder and store_backup.TEMP_RE.search(
                Path(path).name):
            conn.execute(f"PRAGMA max_page_count={limit}")
        return conn

    monkeypatch.setattr(store_backup, "open_file", open_file)


def folder_state(folder: Path) -> dict[str, str]:
    return {p.name: store_backup.sha256_file(p) for p in sorted(folder.iterdir())}


def test_a_backup_on_a_full_disk_fails_cleanly_at_every_point(ctx, users, tmp_path):
    for i in range(3):  # some records, and a few pages to copy
        notice_ops.create_notice(ctx, notice_input(ctx, title=f"关于第{i + 1}批低保对象的公示"))
    conn = ctx.db.conn
    db_path = database.path_of(ctx.db)
    folder = backups.backup_dir_for(db_path)
    for _ in range(2):  # earlier backups, which no failure may touch
        backups.backup_now(ctx, Trigger.MANUAL)
    source_pages = pages(conn)
    counting = FullDisk(0)
    with pytest.MonkeyPatch.context() as mp:
        counting.install(mp)
        backups.backup_now(ctx, Trigger.MANUAL)
    os_calls = counting.calls
    assert os_calls >= 6  # fsync + rename of the copy, the manifest's write … rename

    def attempt(fault) -> str:
        """One backup with ``fault`` installed; checks a failure, returns how it went."""
        earlier = folder_state(folder)
        tables = {t: d for t, d in table_digest(conn).items() if t != "audit_log"}
        last_seq = conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
        log = conn.execute("SELECT * FROM audit_log ORDER BY seq").fetchall()
        with pytest.MonkeyPatch.context() as mp:
            fault(mp)
            try:
                result = backups.backup_now(ctx, Trigger.MANUAL)
            except UserError as exc:
                failure = exc
            else:
                failure = None
        if failure is None:  # a fault the backup may ignore (a folder fsync): a good backup
            assert store_backup.verify(result.path, expected=result.manifest).ok
            return "ok"
        assert isinstance(failure, DiskFull), repr(failure)
        assert "磁盘空间不足" in failure.message, failure.message
        # nothing under a final name, no manifest, no temporary file; earlier backups intact
        assert folder_state(folder) == earlier
        assert backups.startup_cleanup(db_path) == []
        assert folder_state(folder) == earlier
        assert not [p for p in db_path.parent.iterdir() if store_backup.TEMP_RE.search(p.name)]
        # the live database: every table as before; the log only gained the failure (B7)
        assert not conn.in_transaction
        assert {t: d for t, d in table_digest(conn).items() if t != "audit_log"} == tables
        assert conn.execute("SELECT * FROM audit_log WHERE seq <= ? ORDER BY seq",
                            [last_seq]).fetchall() == log
        assert [r[0] for r in conn.execute("SELECT action FROM audit_log WHERE seq > ?",
                                           [last_seq])] == ["backup_failed"]
        assert database_problems(conn) == []
        return "full"

    outcomes = [attempt(lambda mp, k=k: limit_backup_copy(mp, folder, k))
                for k in range(1, source_pages + 1)]
    assert outcomes[:source_pages - 1] == ["full"] * (source_pages - 1)  # every page boundary
    seen = []
    for k in range(1, os_calls + 1):
        disk = FullDisk(k)
        outcomes.append(attempt(disk.install))
        seen.append((disk.fired[:1], outcomes[-1]))
    assert sum(o == "full" for o in outcomes) >= source_pages - 1 + os_calls - 2, seen
    assert {w[0] for w, _o in seen if w} >= {"fsync", "replace", "write"}, seen
    # space is back: the next backup succeeds and verifies; the app opens the database
    result = backups.backup_now(ctx, Trigger.MANUAL)
    assert store_backup.verify(result.path, expected=result.manifest).ok
    db = connect(db_path)
    try:
        assert database_problems(db.conn) == []
        assert db.execute("SELECT count(*) FROM notice").fetchone()[0] == 3
    finally:
        close(db)
    print(f"backup: {source_pages} pages, {os_calls} OS calls; "
          f"{outcomes.count('full')} clean failures, {outcomes.count('ok')} ignorable faults")
