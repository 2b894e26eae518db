"""Backup files: making a verified copy of the live database (B1–B3), checking any govdesk file
again (verify, describe), copying a backup off the machine with a read-back (B8), and the file
work of a restore (B4).

How a backup is made (B1), each step so that a crash at any moment leaves either nothing under a
final name or a complete, checked file:

1. SQLite's online backup API (``Connection.backup``) copies the database, in steps of
   ``STEP_PAGES`` pages, into a temporary file in the backup folder. In WAL mode a reader never
   blocks the writer; a write through *another* connection restarts a stepped copy, so after
   ``MAX_RESTARTS`` restarts the copy is made in one step (a single read snapshot, which WAL
   writers do not wait for either) rather than chasing a busy writer for ever. The temporary
   file has no journal while it is written (``journal_mode=OFF``, ``synchronous=OFF``): a crash
   leaves a temporary file that is never used, so a journal would only cost time.
2. The copy is switched to the rollback journal (``journal_mode=DELETE``): a backup is one
   self-contained file, never a ``.db`` that needs a ``-wal`` beside it.
3. ``integrity_check`` and ``foreign_key_check`` run on the copy (integrity_check does not
   check foreign keys). Any finding: the copy is deleted and the backup fails. While
   integrity_check runs (one core, the slowest step), a second thread reads the file once for
   its SHA-256, fsyncs it and runs foreign_key_check and the row counts on a second connection:
   SQLite and hashlib release the GIL, so on a two-core PC the hash, the fsync and the other
   checks cost no extra time. Nothing writes the file after step 2, so the SHA-256 taken here
   is the final file's.
4. The file is (already) fsynced, renamed with ``os.replace`` to ``govdesk-YYYYMMDD-HHMMSS.db``
   (local time), and the folder is fsynced where the OS supports it (not on Windows).
5. Its manifest is written: size, SHA-256, applied migrations, row counts per table, the
   change marker and which checks passed (``checks``).

The manifest has no per-table digests for routine backups (``table_digests`` is empty): at
120,000 notices hashing every row in Python took about 11 s of a 23 s backup, and the file's
SHA-256 together with integrity_check already proves the file is the one that was checked.
``verify(..., digests=True)`` computes them when they are wanted (a file adopted without a
manifest, B4 comparisons in tests).

The 恢复前 backup a restore makes of the database it is about to replace is made differently,
argued against the targets. The file is going to be replaced, not changed, so it is not copied:
once every connection is closed, ``keep_replaced`` switches it to the rollback journal and
hard-links it into the backup folder under its final name, then ``swap_in`` puts the restored
file in its place, and the old file lives on as the backup, byte for byte what the office had.
Its sidecar (``describe_kept``) follows the swap, after ``quick_check`` and its SHA-256. Why:

* at 120,000 notices a copy + checks cost ≈ 8 s of the 20 s restore budget; a link costs
  nothing, and the checks of the kept file take about 2 s;
* quick_check, not integrity_check (``checks: "quick_check"``): its job is to keep what is being
  replaced — often a database the office already distrusts — not to be the office's reference
  copy. ``verify`` always runs the full checks, so verifying it later (the backups page,
  ``govdesk backups verify``) upgrades it. A kept file that fails the check stays, marked
  unverified with its problems: deleting it would lose the only copy of what was replaced;
* a crash between the link and the swap leaves a sidecar-less backup that *is* the live file;
  ``drop_links_to_live`` removes it at the next start (nothing was replaced, nothing is lost);
  a crash after the swap leaves a complete backup listed as unverified until verified again;
* file systems without hard links (FAT32/exFAT sticks, which D9 warns about) get a copy made
  like any backup, with quick_check.

Every other backup (定时, 退出时, 手动, 迁移前 …) keeps the full B1 checks.

The manifest is a *sidecar* per backup (``govdesk-….db.json``), written atomically (temporary
file, fsync, ``os.replace``), rather than one ``manifest.json`` for the folder, because:

* two processes back up the same database (the app's 30-minute timer and a scheduled
  ``govdesk backup`` task): one shared file would need locking to avoid a lost update, a
  sidecar is written by the one process that made its backup;
* a backup copied to a USB stick or mailed to the county takes its description with it;
* deleting a backup deletes its two files; a crash damages at most one description, and a
  backup whose sidecar is missing (a crash between steps 4 and 5) is simply listed as
  unverified until it is verified again, which rewrites the sidecar.

Temporary files carry the writing process's id (``<final name>.<pid>-<hex>.tmp``):
``cleanup_orphans`` removes those whose process is gone (B3: a kill leaves one behind), and never
one that a running govdesk is still writing.

The search index (``notice_search``, FTS5, about a fifth of a 120,000-notice database) is kept
in backups: the backup API copies pages and cannot leave a table out, leaving it out would
need ``VACUUM INTO`` plus a delete (slower to make), and rebuilding it at restore takes about a
minute at that size, three times the restore target. docs/benchmarks.md ("Backups") has the
figures.

Backups and copies are opened through ``open_file`` only: they are single files in rollback
mode, so the live database's factory (``database.connect``, WAL) is not the right one for them;
checks open them read-only so that verifying never changes a byte (the SHA-256 stays valid).
No code copies a live ``.db`` as a file (D12): the only byte copy here is ``copy_verified``, of a
finished, closed, rollback-mode backup file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from govdesk import __version__
from govdesk.core.errors import DiskFull, UserError
from govdesk.processes import pid_alive
from govdesk.store.migrations import known_names, migrations

PREFIX = "govdesk-"
SUFFIX = ".db"
SIDECAR = ".json"
NAME_RE = re.compile(r"^govdesk-(\d{8})-(\d{6})(?:-(\d+))?\.db$")
TEMP_RE = re.compile(r"\.(\d+)-[0-9a-f]{6}\.tmp(?:-journal|-wal|-shm)?$")
STEP_PAGES = 4096  # 16 MB a step with 4 KB pages (fewer lock round trips than 4 MB steps)
MAX_RESTARTS = 3
CHUNK = 1 << 20
FULL_CHECKS = "integrity_check+foreign_key_check"
QUICK_CHECKS = "quick_check"

# Audit actions that are not changes to the office's records: they do not make a backup due
# (operations.backups writes some of them; without this a recorded backup would itself be a
# change, and the next backup would always be due).
MARKER_IGNORED_ACTIONS = (
    "backup", "backup_failed", "verify_backup", "copy_backup", "thin_backups",
    "login", "sign_in", "reauth", "verify_audit", "check_code",
)

# progress(done, total) → False to cancel
Progress = Callable[[int, int], bool]


class BackupFailed(UserError):
    """A backup, verification, copy or restore step failed; the message says which and why."""


class BackupDiskFull(BackupFailed, DiskFull):
    """The backup folder's disk filled up while a backup was written (D4): nothing of that
    backup is left behind (no file under a final name, no manifest, no temporary file)."""


def _disk_full(exc: BaseException) -> bool:
    """ENOSPC from a file step, or SQLITE_FULL from the copy (a full disk, or the destination
    connection's max_page_count in the D4 tests)."""
    import errno

    if isinstance(exc, OSError):
        return exc.errno == errno.ENOSPC
    return isinstance(exc, sqlite3.OperationalError) and (
        getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
        or "database or disk is full" in str(exc))


def _full_message(folder: Path) -> str:
    return (f"备份到 {folder} 失败：磁盘空间不足，未留下不完整的备份。"
            "请清理备份所在的磁盘（删除不需要的文件、清空回收站）后再试")


# ---- small file helpers --------------------------------------------------------------------------


def temp_path(final: Path) -> Path:
    return final.with_name(f"{final.name}.{os.getpid()}-{secrets.token_hex(3)}.tmp")


def discard(path: Path) -> None:
    """Delete a temporary database file with its -journal/-wal/-shm, if any."""
    _remove_with_companions(path)


def _remove_with_companions(path: Path) -> None:
    for p in (path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable. Windows cannot open a directory for fsync (NTFS journals the
    rename itself), so there this does nothing."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def sha256_file(path: Path, *, uncached: bool = False) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        if uncached and hasattr(os, "posix_fadvise"):
            # Read from the device, not from the page cache the write just filled: a USB stick
            # that lied about its sync shows up here (B8). Windows has no cheap equivalent.
            os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = temp_path(path)
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    fsync_dir(path.parent)


def cleanup_orphans(folder: Path) -> list[Path]:
    """Remove temporary files left by a govdesk process that was killed or crashed (B3)."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for p in folder.iterdir():
        m = TEMP_RE.search(p.name)
        if not m or pid_alive(int(m.group(1))):
            continue
        try:
            p.unlink()
        except FileNotFoundError:
            continue
        except OSError:
            continue  # still open somewhere (Windows): next start
        removed.append(p)
    return removed


# ---- opening and reading database files ---------------------------------------------------------


def open_file(path: Path, *, readonly: bool = True) -> sqlite3.Connection:
    """The factory for backup files and copies (not the live database: see the module doc)."""
    if readonly:
        uri = "file:" + quote(str(Path(path).resolve()).replace("\\", "/"), safe="/:") + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def _tables(conn: sqlite3.Connection) -> list[tuple[str, bool]]:
    """Ordinary tables (name, without_rowid): no sqlite_ internals, no FTS shadow tables."""
    rows = conn.execute("PRAGMA main.table_list").fetchall()
    return sorted((r[1], bool(r[4])) for r in rows
                  if r[2] == "table" and not r[1].startswith("sqlite_"))


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {_q(t)}").fetchone()[0]
            for t, _wr in _tables(conn)}


def table_digests(conn: sqlite3.Connection, *, audit_upto: int | None = None) -> dict[str, str]:
    """SHA-256 of each table's rows in key order: equal digests mean equal content, whatever
    the page layout (a restored or vacuumed file differs byte-wise, not row-wise).

    ``audit_upto`` digests only the audit entries up to that seq: a restore appends its own
    entry to the restored log, and the rows before it must still equal the backup's.
    """
    out: dict[str, str] = {}
    for t, without_rowid in _tables(conn):
        if without_rowid:
            ncol = len(conn.execute(f"PRAGMA table_info({_q(t)})").fetchall())
            order = ", ".join(str(i) for i in range(1, ncol + 1))
        else:
            order = "rowid"
        where = ""
        params: list[object] = []
        if t == "audit_log" and audit_upto is not None:
            where, params = " WHERE seq <= ?", [audit_upto]
        h = hashlib.sha256()
        for row in conn.execute(f"SELECT * FROM {_q(t)}{where} ORDER BY {order}", params):
            h.update(repr(row).encode("utf-8"))
            h.update(b"\n")
        out[t] = h.hexdigest()
    return out


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    try:
        rows = conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ?"
                            " ORDER BY id", [migrations.name]).fetchall()
    except sqlite3.OperationalError:
        return []  # not a govdesk database, or an empty one
    return [r[0] for r in rows]


def change_marker(conn: sqlite3.Connection) -> int:
    """Grows with every change to the records (core.backup_schedule): the seq of the newest
    audit entry that is not about backups or sign-ins. 0 for an empty database."""
    marks = ",".join("?" * len(MARKER_IGNORED_ACTIONS))
    try:
        row = conn.execute(f"SELECT seq FROM audit_log WHERE action NOT IN ({marks})"
                           " ORDER BY seq DESC LIMIT 1", MARKER_IGNORED_ACTIONS).fetchone()
    except sqlite3.OperationalError:
        return 0
    return row[0] if row else 0


def check_connection(conn: sqlite3.Connection) -> list[str]:
    """integrity_check + foreign_key_check; each finding as a Chinese line (empty when sound)."""
    return _page_check(conn, "integrity_check") or _fk_check(conn)


def _page_check(conn: sqlite3.Connection, pragma: str) -> list[str]:
    """integrity_check or quick_check; findings as Chinese lines."""
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
    except sqlite3.DatabaseError as exc:
        return [f"文件已损坏或不是 SQLite 数据库（{exc}）"]
    return [] if rows == ["ok"] else [f"完整性检查发现问题：{r}" for r in rows[:10]]


def _fk_check(conn: sqlite3.Connection) -> list[str]:
    try:
        rows = conn.execute("PRAGMA foreign_key_check").fetchall()[:10]
    except sqlite3.DatabaseError as exc:
        return [f"文件已损坏或不是 SQLite 数据库（{exc}）"]
    return [f"外键检查发现问题：表 {table} 第 {rowid} 行引用的 {parent} 记录不存在"
            for table, rowid, parent, _fk in rows]


@dataclass
class _Findings:
    problems: list[str]
    sha256: str = ""
    schema: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    marker: int = 0


def _check_file(path: Path, *, level: str = "full", sync: bool = False,
                describe: bool = True, digest: bool = True) -> _Findings:
    """The checks of a closed, finished file, on two cores (module doc, step 3): this thread runs
    integrity_check (or quick_check with ``level="quick"``); a second one hashes the file,
    fsyncs it if asked, and runs foreign_key_check (full level), the schema, the row counts and
    the change marker on its own read-only connection."""
    import threading

    side: dict[str, object] = {}

    def other() -> None:
        try:
            if digest:
                side["sha256"] = sha256_file(path)
            if sync:
                fsync_file(path)
            conn = open_file(path)
            try:
                side["fk"] = _fk_check(conn) if level == "full" else []
                if describe:
                    side["schema"] = applied_migrations(conn)
                    side["counts"] = row_counts(conn)
                    side["marker"] = change_marker(conn)
            finally:
                conn.close()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            side["error"] = exc

    worker = threading.Thread(target=other, name="backup-check", daemon=True)
    worker.start()
    try:
        conn = open_file(path)
        try:
            problems = _page_check(conn, "integrity_check" if level == "full" else "quick_check")
        finally:
            conn.close()
    finally:
        worker.join()
    error = side.get("error")
    if isinstance(error, sqlite3.Error):
        # A damaged file that integrity_check already reported may fail the counts as well.
        problems = problems or [f"文件已损坏或不是 SQLite 数据库（{error}）"]
    elif error is not None:
        raise error  # type: ignore[misc]  # OSError: the caller words it
    problems = problems + [p for p in side.get("fk", []) if p not in problems]  # type: ignore[union-attr]
    return _Findings(problems, str(side.get("sha256", "")),
                     list(side.get("schema", [])),  # type: ignore[arg-type]
                     dict(side.get("counts", {})),  # type: ignore[arg-type]
                     int(side.get("marker", 0)))  # type: ignore[arg-type]


# ---- manifests -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Manifest:
    name: str
    time_utc: str
    trigger: str  # core.backup_schedule.Trigger value: 定时, 退出时, 迁移前 …
    size: int
    sha256: str
    schema: list[str]  # applied migration names; the last one is the schema version
    row_counts: dict[str, int]
    table_digests: dict[str, str]  # empty for routine backups (module doc); set by verify
    verified: bool
    marker: int  # change marker of the source when copied
    app_version: str = __version__
    problems: list[str] = field(default_factory=list)
    search_index: str = "included"
    checks: str = FULL_CHECKS  # which checks it passed: FULL_CHECKS or QUICK_CHECKS

    @property
    def schema_version(self) -> str:
        return self.schema[-1] if self.schema else ""

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1,
                          sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        raw = json.loads(data.decode("utf-8"))
        names = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in raw.items() if k in names})


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR)


def write_manifest(path: Path, manifest: Manifest) -> None:
    _write_atomically(sidecar_of(path), manifest.to_json())


def read_manifest(path: Path) -> Manifest | None:
    try:
        return Manifest.from_json(sidecar_of(path).read_bytes())
    except (OSError, ValueError, TypeError):
        return None


def time_from_name(name: str) -> datetime | None:
    """The local time in a backup's file name, as an aware datetime."""
    m = NAME_RE.match(name)
    if not m:
        return None
    try:
        return datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S").astimezone()
    except ValueError:
        return None


def list_backups(folder: Path) -> list[tuple[Path, Manifest | None]]:
    """Backup files in the folder (newest name first) with their manifest, if any."""
    if not folder.is_dir():
        return []
    found = [(m.group(1), m.group(2), int(m.group(3) or 1), p) for p in folder.iterdir()
             if (m := NAME_RE.match(p.name)) and p.is_file()]
    return [(p, read_manifest(p)) for *_key, p in sorted(found, reverse=True)]


def delete_backup(path: Path) -> None:
    for p in (sidecar_of(path), path):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
    fsync_dir(path.parent)


# ---- making a backup -----------------------------------------------------------------------------


class _Restarted(Exception):
    pass


def _copy_pages(source: sqlite3.Connection, target: Path, progress: Progress | None) -> None:
    """Step 1: the online backup API, stepped, giving up stepping after MAX_RESTARTS."""
    state = {"remaining": None, "restarts": 0}

    def on_step(_status: int, remaining: int, total: int) -> None:
        last = state["remaining"]
        # Another connection wrote: SQLite started over. A step always copies pages, so
        # "not fewer remaining" is a restart — also one right after the first step, which
        # leaves exactly as many remaining as before (B2 caught ">" missing those).
        if last is not None and remaining >= last:
            state["restarts"] += 1
            if state["restarts"] > MAX_RESTARTS:
                raise _Restarted
        state["remaining"] = remaining
        if progress is not None and progress(total - remaining, total) is False:
            raise BackupFailed("已取消备份")

    def open_dest() -> sqlite3.Connection:
        # A temporary file: no journal and no syncs while it is written (module doc, step 1);
        # it is fsynced once, after its checks.
        conn = open_file(target, readonly=False)
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA journal_mode=OFF")
        return conn

    dest = open_dest()
    try:
        try:
            source.backup(dest, pages=STEP_PAGES, progress=on_step, sleep=0.05)
        except _Restarted:
            # Without a journal the abandoned copy cannot be rolled back: start from an empty
            # file rather than over a half-written one.
            dest.close()
            _remove_with_companions(target)
            dest = open_dest()
            source.backup(dest, pages=-1)
        # Step 2: one self-contained file (the copied header still says WAL).
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()


def final_name(folder: Path, now: datetime) -> Path:
    stamp = now.astimezone().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{PREFIX}{stamp}{SUFFIX}"
    n = 2
    while path.exists() or sidecar_of(path).exists():
        path = folder / f"{PREFIX}{stamp}-{n}{SUFFIX}"
        n += 1
    return path


def backup_dir_for(db_path: Path) -> Path:
    """A database's backup folder: ``<stem>-backups`` beside it (operations.backups explains
    why). Here, not in operations, so that database.connect can back up before migrating."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + "-backups")


def backup_database(source: sqlite3.Connection, folder: Path, *, trigger: str, now: datetime,
                    progress: Progress | None = None,
                    on_step: Callable[[str, Path], None] | None = None,
                    target: Path | None = None, check: str = "full") -> tuple[Path, Manifest]:
    """Make a verified backup of ``source`` (an open connection to the live database) in
    ``folder`` (or exactly as ``target``, replaced atomically if it exists: ``govdesk backup
    -o FILE`` from a daily scheduled task). Returns the final path and its manifest; raises
    BackupFailed and leaves no temporary file when any step fails.

    ``on_step(step, path)`` is called after each step ("copied", "checked", "synced",
    "renamed", "manifest") — for tests of B1 and B3.

    ``check="quick"`` runs quick_check instead of integrity_check + foreign_key_check: only for
    the 恢复前 backup (module doc).
    """
    if check not in ("full", "quick"):
        raise ValueError(f"check must be 'full' or 'quick', not {check!r}")
    if source.in_transaction:
        # A backup taken inside a write transaction would contain uncommitted changes.
        raise RuntimeError("backup_database called inside a transaction")
    if target is not None:
        folder = Path(target).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupFailed(f"无法创建备份文件夹 {folder}：{exc}") from None
    final = Path(target) if target is not None else final_name(folder, now)
    tmp = temp_path(final)
    try:
        _copy_pages(source, tmp, progress)
        if on_step:
            on_step("copied", tmp)
        found = _check_file(tmp, level=check, sync=True)
        if found.problems:
            raise BackupFailed(f"备份副本 {final.name} 未通过检查，已删除："
                               + "；".join(found.problems))
        if on_step:
            on_step("checked", tmp)
        # (fsynced by _check_file, alongside the checks)
        if on_step:
            on_step("synced", tmp)
        size = tmp.stat().st_size
        os.replace(tmp, final)
        fsync_dir(folder)
        if on_step:
            on_step("renamed", final)
    except (sqlite3.Error, OSError) as exc:
        if _disk_full(exc):
            raise BackupDiskFull(_full_message(folder)) from None
        if isinstance(exc, OSError):
            raise BackupFailed(f"备份到 {folder} 失败（{_os_reason(exc)}）") from None
        raise BackupFailed(f"备份到 {folder} 失败：{exc}") from None
    finally:
        _remove_with_companions(tmp)
    manifest = Manifest(
        name=final.name, time_utc=now.astimezone(UTC).isoformat(timespec="seconds"),
        trigger=trigger, size=size, sha256=found.sha256, schema=found.schema,
        row_counts=found.counts, table_digests={}, verified=True, marker=found.marker,
        checks=FULL_CHECKS if check == "full" else QUICK_CHECKS,
    )
    try:
        write_manifest(final, manifest)
    except OSError as exc:
        if _disk_full(exc) and target is None:
            # D4: a backup reported as failed leaves nothing behind, and gives its space back.
            with contextlib.suppress(OSError):
                delete_backup(final)
            raise BackupDiskFull(_full_message(folder)) from None
        raise (BackupDiskFull if _disk_full(exc) else BackupFailed)(
            f"备份 {final.name} 已写入，但说明文件写入失败（{_os_reason(exc)}）；"
            "可在备份页重新校验") from None
    if on_step:
        on_step("manifest", final)
    return final, manifest


def _os_reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENOSPC:
        return "磁盘空间不足"
    if exc.errno in (errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
        return "没有写入权限，或文件被其他程序占用"
    return str(exc)


# ---- verifying and describing any file -----------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    path: Path
    ok: bool
    problems: list[str]
    sha256: str
    size: int
    schema: list[str]
    newer_schema: list[str]  # migrations this govdesk does not know: made by a newer version
    row_counts: dict[str, int]
    table_digests: dict[str, str]


def verify(path: Path, *, expected: Manifest | None = None, digests: bool = False) -> Verification:
    """Check a backup (or any govdesk file) again: integrity, foreign keys, the schema, and,
    with a manifest, that the bytes are still the ones that were verified (SHA-256). Always the
    full checks, whatever the backup passed when it was made; ``digests`` adds the per-table
    digests (slow: every row through SHA-256)."""
    path = Path(path)
    if not path.is_file():
        return Verification(path, False, [f"文件不存在：{path}"], "", 0, [], [], {}, {})
    size = path.stat().st_size
    problems: list[str] = []
    try:
        found = _check_file(path, level="full")
    except OSError as exc:
        problems.append(f"无法读取 {path.name}（{_os_reason(exc)}）")
        return Verification(path, False, problems, "", size, [], [], {}, {})
    if expected is not None and expected.sha256 != found.sha256:
        problems.append(f"文件 {path.name} 的内容与备份时记录的 SHA-256 不一致（文件已被改动或损坏）")
    problems.extend(found.problems)
    schema: list[str] = []
    counts: dict[str, int] = {}
    table_sums: dict[str, str] = {}
    if not found.problems:
        schema, counts = found.schema, found.counts
        if not schema:
            problems.append(f"{path.name} 不是 govdesk 数据库（没有数据库版本记录）")
        if digests:
            conn = open_file(path)
            try:
                table_sums = table_digests(conn)
            finally:
                conn.close()
    newer = [n for n in schema if n not in set(known_names())]
    return Verification(path, not problems, problems, found.sha256, size, schema, newer, counts,
                        table_sums)


@dataclass(frozen=True)
class FileDescription:
    path: Path
    township: str
    first_date: str  # earliest record date (信息形成日期 or 操作日志), "" when none
    last_date: str
    counts: dict[str, int]  # Chinese label → number
    schema: list[str]
    newer_schema: list[str]
    size: int

    @property
    def schema_version(self) -> str:
        return self.schema[-1] if self.schema else ""


COUNTED = (("notice", "信息"), ("posting", "张贴记录"), ("approval_slip", "审批单"),
           ("request", "政府信息公开申请"), ("spot_check", "考核检查"), ("user", "用户"),
           ("community", "社区/村"), ("board", "公开栏"), ("audit_log", "操作日志"))


def describe_file(path: Path) -> FileDescription:
    """What a govdesk file holds, read-only: township, date range, counts, schema version."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"文件不存在：{path}")
    try:
        conn = open_file(path)
        try:
            tables = {t for t, _ in _tables(conn)}
            schema = applied_migrations(conn)
            if not schema or "township" not in tables:
                raise UserError(f"{path.name} 不是 govdesk 数据库文件")
            row = conn.execute("SELECT full_name, short_name FROM township WHERE id = 1").fetchone()
            township = (row[0] or row[1]) if row else ""
            counts = {label: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t, label in COUNTED if t in tables}
            dates: list[str] = []
            if "notice" in tables:
                dates += [d for d in conn.execute(
                    "SELECT min(formed_on), max(formed_on) FROM notice").fetchone() if d]
            if "audit_log" in tables:
                first = conn.execute("SELECT ts_utc FROM audit_log ORDER BY seq LIMIT 1").fetchone()
                last = conn.execute(
                    "SELECT ts_utc FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
                dates += [r[0][:10] for r in (first, last) if r]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"{path.name} 已损坏或不是 govdesk 数据库文件（{exc}）") from None
    known = set(known_names())
    return FileDescription(
        path=path, township=township, first_date=min(dates) if dates else "",
        last_date=max(dates) if dates else "", counts=counts, schema=schema,
        newer_schema=[n for n in schema if n not in known], size=path.stat().st_size,
    )


# ---- copying off the machine (B8) ----------------------------------------------------------------


def copy_verified(src: Path, folder: Path, *,
                  after_write: Callable[[Path], None] | None = None) -> Path:
    """Copy a finished backup file (and its manifest) into ``folder`` — a USB stick, say — and
    read the copy back: SHA-256 equal to the source's and integrity_check ok, or BackupFailed.

    ``after_write(path)`` runs after the copy is synced and before it is read back; tests use it
    to play a USB stick that lies about its sync.
    """
    src = Path(src)
    folder = Path(folder)
    if not src.is_file():
        raise BackupFailed(f"备份文件不存在：{src}")
    if src.with_name(src.name + "-journal").exists() or src.with_name(src.name + "-wal").exists():
        raise BackupFailed(f"{src.name} 正在被写入，不能复制；请选择一个已完成的备份")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupFailed(f"无法打开目标文件夹 {folder}（{_os_reason(exc)}）") from None
    expected = sha256_file(src)
    final = folder / src.name
    tmp = temp_path(final)
    try:
        with open(src, "rb") as fin, open(tmp, "wb") as fout:
            while chunk := fin.read(CHUNK):
                fout.write(chunk)
            fout.flush()
            os.fsync(fout.fileno())
        if after_write:
            after_write(tmp)
        got = sha256_file(tmp, uncached=True)
        if got != expected:
            raise BackupFailed(f"复制到 {folder} 后读回校验失败：副本与原备份的 SHA-256 不一致。"
                               "U盘可能已损坏或空间不足，请换一个U盘再试")
        conn = open_file(tmp)
        try:
            problems = check_connection(conn)
        finally:
            conn.close()
        if problems:
            raise BackupFailed(f"复制到 {folder} 后读回校验失败：" + "；".join(problems))
        os.replace(tmp, final)
        fsync_dir(folder)
        manifest = read_manifest(src)
        if manifest is not None:
            write_manifest(final, manifest)
    except OSError as exc:
        raise BackupFailed(f"复制到 {folder} 失败（{_os_reason(exc)}）") from None
    finally:
        _remove_with_companions(tmp)
    return final


# ---- restore: the file work ----------------------------------------------------------------------


def prepare_restore(source: Path, db_path: Path, *, expected_sha256: str | None = None) -> Path:
    """Copy ``source`` (read-only, through the backup API, so a WAL-mode file is read whole)
    into a temporary file beside the database, check it and migrate it if it is older.
    Returns the temporary file, ready for ``swap_in``; nothing else has been touched."""
    return prepare_restore_hashed(source, db_path, expected_sha256=expected_sha256)[0]


def prepare_restore_hashed(source: Path, db_path: Path, *,
                           expected_sha256: str | None = None) -> tuple[Path, str]:
    """``prepare_restore``, also returning the source's SHA-256, read in a second thread while
    the copy is made (one pass over the file for both). With ``expected_sha256`` (the source's
    manifest) a file whose bytes changed since it was verified is refused (BackupFailed) and
    the temporary file removed. The copy then gets the full checks (integrity_check and
    foreign_key_check, in parallel) before anything is swapped in."""
    import threading

    source = Path(source)
    tmp = temp_path(db_path)
    side: dict[str, object] = {}

    def hash_source() -> None:
        try:
            side["sha256"] = sha256_file(source)
        except OSError as exc:
            side["error"] = exc

    try:
        worker = threading.Thread(target=hash_source, name="restore-hash", daemon=True)
        worker.start()
        try:
            src = open_file(source)
            try:
                dest = open_file(tmp, readonly=False)
                try:
                    dest.execute("PRAGMA synchronous=OFF")  # a temporary file, checked below
                    dest.execute("PRAGMA journal_mode=OFF")
                    src.backup(dest, pages=-1)
                    dest.execute("PRAGMA journal_mode=DELETE")
                finally:
                    dest.close()
            finally:
                src.close()
        finally:
            worker.join()
        if "error" in side:
            raise BackupFailed(f"无法读取 {source.name}（{_os_reason(side['error'])}）")  # type: ignore[arg-type]
        digest = str(side["sha256"])
        if expected_sha256 is not None and digest != expected_sha256:
            raise BackupFailed(f"备份文件 {source.name} 与备份时记录的 SHA-256 不一致"
                               "（文件已被改动或损坏），不能用于恢复；请选择另一个备份")
        found = _check_file(tmp, level="full", describe=False, digest=False)
        if found.problems:
            raise BackupFailed("恢复用的副本未通过检查：" + "；".join(found.problems))
        conn = open_file(tmp, readonly=False)
        try:
            db = Database(conn, execute_plugins=False)
            if migrations.pending(db):
                from govdesk.store.database import apply_migrations

                apply_migrations(db)
                problems = check_connection(conn)
                if problems:
                    raise BackupFailed("升级备份的数据库版本后检查未通过：" + "；".join(problems))
            conn.execute("PRAGMA journal_mode=WAL")  # the live database's mode (D1)
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        _remove_with_companions(tmp)
        if _disk_full(exc):
            # D4: the copy is made beside the database, so that disk is the full one.
            raise BackupDiskFull(f"恢复失败：数据库所在的磁盘空间不足（{db_path.parent}），"
                                 "原数据库未改动。请清理磁盘后再试") from None
        if isinstance(exc, OSError):
            raise BackupFailed(f"恢复失败（{_os_reason(exc)}），原数据库未改动") from None
        raise BackupFailed(f"读取 {source.name} 失败：{exc}") from None
    except BaseException:
        _remove_with_companions(tmp)
        raise
    return tmp, digest


def swap_in(tmp: Path, db_path: Path) -> None:
    """Atomically put a prepared file in place of the database. Every connection to it must be
    closed: a ``-wal`` left beside the database would be replayed onto the restored file."""
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise BackupFailed("数据库仍被其他窗口或程序打开（存在未写入的 -wal 文件），"
                           "请关闭其他 govdesk 窗口后再恢复")
    for p in (wal, db_path.with_name(db_path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
    try:
        fsync_file(tmp)
        os.replace(tmp, db_path)
    except OSError as exc:
        _remove_with_companions(tmp)
        raise BackupFailed(f"替换数据库文件失败（{_os_reason(exc)}），原数据库未改动") from None
    fsync_dir(db_path.parent)


def keep_replaced(db_path: Path, final: Path) -> bool:
    """The 恢复前 backup without copying a byte (module doc, "The 恢复前 backup"): the closed
    database is switched to the rollback journal and hard-linked as ``final`` in its backup
    folder, so that after ``swap_in`` the file it replaced lives on there, unchanged. Returns
    False where the file system has no hard links (FAT32/exFAT sticks): the caller then copies.

    Every connection to the database must be closed. ``final`` gets no sidecar here: until
    ``describe_kept`` writes it, a crash leaves a backup that is listed as unverified, and
    ``drop_links_to_live`` removes it at the next start if the swap never happened (then it is
    the live database itself, not a backup)."""
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise BackupFailed("数据库仍被其他窗口或程序打开（存在未写入的 -wal 文件），"
                           "请关闭其他 govdesk 窗口后再恢复")
    try:
        conn = open_file(db_path, readonly=False)
        try:
            # A backup is one self-contained file in rollback mode; the header change is the
            # only write, and harmless if the restore stops here (connect sets WAL again, D1).
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupFailed(f"无法准备恢复前备份：{exc}") from None
    if str(mode).lower() != "delete":
        raise BackupFailed("数据库仍被其他窗口或程序打开，请关闭其他 govdesk 窗口后再恢复")
    final.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(db_path, final)
    except (OSError, NotImplementedError):
        return False
    fsync_dir(final.parent)
    return True


def describe_kept(final: Path, *, trigger: str, now: datetime) -> Manifest:
    """The sidecar of a backup made by ``keep_replaced``, once the swap is done: quick_check
    (as the copied 恢复前 backup), SHA-256 and counts on two cores. A file that fails the check
    is kept all the same, marked unverified with its problems: it is what the office had, and
    deleting it (as a failed copy is deleted) would lose the only copy of it."""
    found = _check_file(final, level="quick", sync=True)
    manifest = Manifest(
        name=final.name, time_utc=now.astimezone(UTC).isoformat(timespec="seconds"),
        trigger=trigger, size=final.stat().st_size, sha256=found.sha256, schema=found.schema,
        row_counts=found.counts, table_digests={}, verified=not found.problems,
        marker=found.marker, problems=found.problems, checks=QUICK_CHECKS,
    )
    write_manifest(final, manifest)
    return manifest


def drop_links_to_live(db_path: Path) -> list[Path]:
    """At start: a backup without a sidecar that is the live database's own file (a restore
    was killed between ``keep_replaced`` and ``swap_in``) is not a backup: the live database
    would keep changing it. The database was not replaced, so nothing is lost by removing it."""
    removed: list[Path] = []
    folder = backup_dir_for(db_path)
    if not db_path.is_file() or not folder.is_dir():
        return removed
    for p in folder.glob(f"{PREFIX}*{SUFFIX}"):
        try:
            if sidecar_of(p).exists() or p.stat().st_nlink < 2 or not os.path.samefile(p, db_path):
                continue
            p.unlink()
        except OSError:
            continue
        removed.append(p)
    return removed


def damaged_name(db_path: Path, now: datetime) -> Path:
    """The name a damaged database is kept under: the first free one of that second."""
    base = f"{db_path.name}.damaged-{now.astimezone():%Y%m%d-%H%M%S}"
    path, n = db_path.with_name(base), 2
    while path.exists():
        path, n = db_path.with_name(f"{base}-{n}"), n + 1
    return path


def move_aside(db_path: Path, now: datetime) -> Path | None:
    """D8: a damaged database is kept as ``*.damaged-<timestamp>`` (with its -wal), never
    overwritten and never deleted — without a moment when the database path is empty: the file
    is hard-linked (copied where links are missing) under the new name and its -wal moved
    beside it, and the path keeps the damaged file until ``swap_in`` replaces it atomically.
    (Renaming it away first left nothing at the path if the process died before the swap, and
    the next start would have removed the prepared copy as an orphan.)"""
    if not db_path.exists():
        return None
    target = damaged_name(db_path, now)
    try:
        os.link(db_path, target)
    except (OSError, NotImplementedError):
        import shutil

        shutil.copyfile(db_path, target)  # bytes, not SQLite: the file may not open at all
        fsync_file(target)
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    fsync_dir(db_path.parent)
    return target


def iter_problems(v: Verification) -> Iterator[str]:
    yield from v.problems
    if v.newer_schema:
        yield newer_schema_message(v.path)


def newer_schema_message(path: Path) -> str:
    return (f"这个备份由更新版本的 govdesk 创建（{Path(path).name} 含有本版本不认识的数据库版本），"
            "不能用本版本恢复或打开；请先把 govdesk 升级到最新版本")

