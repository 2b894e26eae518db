"""The app's single connection factory (target D1) and opening a database file safely."""

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

    Before pending migrations run on a database that already holds data, a copy is written next
    to it through SQLite's backup API (never a file copy, which could catch a half-written WAL).
    Foreign keys are switched on after migrating, as migrations may rebuild tables.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = _raw_connect(path)
    except (OSError, sqlite3.OperationalError) as exc:
        raise UserError(f"无法打开数据库文件：{path}（{exc}）") from None
    except sqlite3.DatabaseError as exc:
        raise UserError(f"数据库文件已损坏或不是 govdesk 数据库：{path}（{exc}）") from None
    # No sqlite-utils plugins: nothing from other installed packages runs inside the app, and
    # start-up does not scan every installed distribution's metadata for them.
    db = Database(conn, execute_plugins=False)
    try:
        # The GUI opens with check=False and runs quick_check_file() in the background: on a
        # ten-year database quick_check takes over a second, which start-up must not wait for.
        ok = conn.execute("PRAGMA quick_check" if check else "PRAGMA schema_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise UserError(f"数据库文件已损坏或不是 govdesk 数据库：{path}（{exc}）") from None
    if check and ok != "ok":
        conn.close()
        raise UserError(f"数据库文件已损坏：{path}（{ok}）")
    applied = {m.name for m in migrations.applied(db)}
    unknown = applied - set(known_names())
    if unknown:
        conn.close()
        raise UserError("这个数据库由更新版本的 govdesk 创建，请先升级 govdesk 再打开。")
    if migrate:
        pending = migrations.pending(db)
        if pending and applied:
            backup_before_migration(conn, path)
        if pending:
            migrations.apply(db)
    conn.execute("PRAGMA foreign_keys=ON")
    return db


def quick_check_file(path: str | Path) -> str:
    """Run PRAGMA quick_check on its own connection (safe from a worker thread); "ok" if sound."""
    conn = _raw_connect(Path(path))
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()
    return "ok" if rows == [("ok",)] else "; ".join(r[0] for r in rows[:5])


def backup_before_migration(conn: sqlite3.Connection, path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.before-migration-{stamp}{path.suffix or '.db'}")
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def path_of(db: Database) -> Path:
    return Path(db.conn.execute("PRAGMA database_list").fetchone()[2])


def close(db: Database) -> None:
    """Close cleanly: checkpoint the WAL so the -wal file is empty after exit (target D12)."""
    try:
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        pass
    db.conn.close()
