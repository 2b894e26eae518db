"""The app's single connection factory (target D1) and opening a database file safely.

Migrations (target D11): before pending migrations run on a database that already holds data, a
*verified* backup (store.backup, trigger 迁移前: integrity_check + foreign_key_check on the copy,
SHA-256 in its manifest) is written into the database's backup folder; if it cannot be made the
database is not migrated and does not open. Then every pending migration runs in one transaction
(``apply_migrations``), so a crash or a kill leaves the database either untouched at its old
version or complete at the new one, never between two migrations. A database made by a newer
govdesk (migrations this version does not know) is refused with a message and never migrated
down.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from govdesk.core.errors import UserError
from govdesk.store.migrations import known_names, migrations

BUSY_TIMEOUT_MS = 10_000


def _raw_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    # Power is often cut at the wall in township offices: FULL makes a commit the user saw
    # succeed survive it (reliability target D1).
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def connect(path: str | Path, *, migrate: bool = True, check: bool = True) -> Database:
    """Open (creating if missing) and migrate the database at ``path``.

    Before pending migrations run on a database that already holds data, a verified backup is
    made in its backup folder (``backup_before_migration``; never a file copy, which could catch
    a half-written WAL). Foreign keys are switched on after migrating, as migrations may rebuild
    tables.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = _raw_connect(path)
    except (OSError, sqlite3.OperationalError) as exc:
        raise UserError(f"无法打开数据库文件：{path}（{sqlite_reason(exc)}）") from None
    except sqlite3.DatabaseError as exc:
        raise UserError(f"数据库文件已损坏或不是 govdesk 数据库：{path}（{sqlite_reason(exc)}）"
                        ) from None
    # No sqlite-utils plugins: nothing from other installed packages runs inside the app, and
    # start-up does not scan every installed distribution's metadata for them.
    db = Database(conn, execute_plugins=False)
    try:
        # The GUI opens with check=False and runs quick_check_file() in the background: on a
        # ten-year database quick_check takes over a second, which start-up must not wait for.
        ok = conn.execute("PRAGMA quick_check" if check else "PRAGMA schema_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise UserError(f"数据库文件已损坏或不是 govdesk 数据库：{path}（{sqlite_reason(exc)}）"
                        ) from None
    if check and ok != "ok":
        conn.close()
        raise UserError(f"数据库文件已损坏：{path}（完整性检查未通过）")
    applied = {m.name for m in migrations.applied(db)}
    unknown = applied - set(known_names())
    if unknown:
        conn.close()
        raise UserError("这个数据库由更新版本的 govdesk 创建，请先升级 govdesk 再打开。")
    if migrate:
        pending = migrations.pending(db)
        if pending and applied:
            try:
                backup_before_migration(conn, path)
            except UserError as exc:  # store.backup.BackupFailed
                conn.close()
                raise UserError(f"升级数据库版本前的备份没有完成，数据库未升级、未改动：{exc.message}"
                                ) from None
            except BaseException:
                conn.close()
                raise
        if pending:
            try:
                apply_migrations(db)
            except BaseException:
                conn.close()  # rolled back: the file is as it was
                raise
    conn.execute("PRAGMA foreign_keys=ON")
    return db


def apply_migrations(db: Database) -> None:
    """Apply every pending migration in one transaction (module doc). sqlite-utils wraps each
    migration in ``db.atomic()``, which nests as a savepoint inside this one, and its
    ``executescript`` runs statement by statement inside an open transaction instead of
    committing first (sqlite3's executescript would). A migration that cannot run inside a
    transaction (``transactional=False``, e.g. VACUUM) makes the runner fall back to one
    transaction per migration."""
    pending = migrations.pending(db)
    if not pending:
        return
    if not all(m.transactional for m in pending):
        migrations.apply(db)
        return
    with db.atomic():
        migrations.apply(db)
    if db.conn.in_transaction:  # a migration committed on its own: say so, loudly
        raise RuntimeError("a migration ended the migration transaction")


MMAP_BYTES = 1 << 32  # map up to 4 GB: a ten-year database is about 1.3 GB


# SQLite's messages are English; the office reads the reason in Chinese. Unknown ones are kept
# as they are (they go to technical support).
_SQLITE_REASONS = (
    ("file is not a database", "不是数据库文件，或文件头已损坏"),
    ("database disk image is malformed", "文件内容已损坏"),
    ("unable to open database file", "路径不存在或没有访问权限"),
    ("disk i/o error", "磁盘读写出错"),
    ("database is locked", "文件正被其他程序使用"),
    ("database or disk is full", "磁盘空间不足"),
    ("attempt to write a readonly database", "文件是只读的"),
)


def sqlite_reason(exc: BaseException | str) -> str:
    """SQLite's error message as the office can read it."""
    text = str(exc)
    low = text.lower()
    for english, chinese in _SQLITE_REASONS:
        if english in low:
            return chinese
    return text


def quick_check_file(path: str | Path, *, mmap: bool = False) -> str:
    """Run PRAGMA quick_check on its own connection (safe from a worker thread); "ok" if sound.

    ``mmap=True`` reads the file through a memory map: at 120,000 notices quick_check takes
    ≈ 0.8 s instead of ≈ 1.2 s with the file in the OS cache, and ≈ 2 s instead of ≈ 20 s
    when it is not (docs/benchmarks.md, "Backups"). The price (SQLite, mmap.html): a read
    error from the disk becomes a bus error that ends the process instead of an error message.
    So only ``govdesk check`` (its own short-lived process, whose scheduled task sees the
    non-zero exit) asks for it; the app's background check keeps plain reads, so that a bad
    sector shows the 数据恢复 dialog instead of closing the app.
    """
    conn = _raw_connect(Path(path))
    try:
        if mmap:
            conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()
    return "ok" if rows == [("ok",)] else "; ".join(r[0] for r in rows[:5])


def backup_before_migration(conn: sqlite3.Connection, path: Path) -> Path:
    """D11: a verified backup (trigger 迁移前) in the database's backup folder before pending
    migrations run. Raises store.backup.BackupFailed (a UserError with the reason) when it
    cannot be made; connect() then leaves the database as it is."""
    from govdesk.core.backup_schedule import Trigger
    from govdesk.store import backup as store

    final, _manifest = store.backup_database(conn, store.backup_dir_for(path),
                                             trigger=Trigger.MIGRATION.value,
                                             now=datetime.now(UTC))
    return final


def path_of(db: Database) -> Path:
    return Path(db.conn.execute("PRAGMA database_list").fetchone()[2])


def close(db: Database) -> None:
    """Close cleanly: checkpoint the WAL so the -wal file is empty after exit (target D12)."""
    try:
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        pass
    db.conn.close()
