"""备份与恢复: the user actions over backups (issue 7, targets B1–B8, D8).

Where backups live: ``backup_dir_for(db_path)`` = a folder ``<stem>-backups`` beside the database
(``%LOCALAPPDATA%\\govdesk\\govdesk-backups`` for the default database), the same way
``paths.files_dir_for`` places managed files. It follows the database, so a test database or a
second township's file never mixes its backups with another's, and it stays out of Documents and
cloud-sync folders (paths.data_dir). It is on the same disk: it protects against damage and
mistakes, not against a dead disk — that is what the monthly copy to a USB stick is for (B8).

Permissions and the audit log:

* ``backup_now``, ``backup_if_due``, ``backup_on_exit``, ``list_backups``, ``verify_backup``,
  ``describe`` and ``backup_health`` need no permission: they change no record, and automatic
  backups must run whoever is signed in (or nobody, on a recovery start).
* ``copy_backup_to`` (the whole database leaves the PC, applicants' personal data included),
  ``thin_backups`` (deletes files) and ``restore`` need "settings.manage" (the administrator).
  Recovery from a damaged database (``restore`` given a path) cannot check anyone: nobody can
  sign in to a database that cannot be read, and whoever can run it could copy files anyway.
* Audit rows: every failure (B7), manual backups, verifications, copies, thinning that deleted
  something, and restores (written into the *restored* database, in the same file that is
  swapped in). Automatic backups that succeed are recorded in their manifest only. The change
  marker that decides whether a backup is due ignores these actions
  (store.backup.MARKER_IGNORED_ACTIONS): otherwise recording a backup would itself make the next
  one due.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from govdesk.core import retention
from govdesk.core.backup_schedule import (
    HealthReport,
    LastBackup,
    Trigger,
    exit_due,
    health,
    periodic_due,
)
from govdesk.core.errors import DiskFull, UserError
from govdesk.operations.context import (
    DISK_FULL,
    Context,
    can,
    is_disk_full,
    requires,
    utc_now,
)
from govdesk.store import backup as store
from govdesk.store import database

BACKUP_DIR_SUFFIX = "-backups"
Progress = Callable[[int, int], bool]


def backup_dir_for(db_path: Path) -> Path:
    return store.backup_dir_for(db_path)  # (defined in store: connect() backs up before migrating)


def _folder(ctx: Context) -> Path:
    return backup_dir_for(database.path_of(ctx.db))


def startup_cleanup(db_path: Path) -> list[Path]:
    """At start: remove temporary files a killed govdesk left in the backup folder and beside the
    database (B3), a 恢复前 backup that is still the live file (store.drop_links_to_live), and
    the temporary files of draft writes (B9).
    Call before opening the database."""
    db_path = Path(db_path)
    from govdesk.operations.drafts import cleanup_temp_files

    return (store.cleanup_orphans(backup_dir_for(db_path)) + store.cleanup_orphans(db_path.parent)
            + store.drop_links_to_live(db_path) + cleanup_temp_files(db_path))


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: store.Manifest

    @property
    def message(self) -> str:
        return (f"已备份并校验通过：{self.path.name}（{_size(self.manifest.size)}），"
                f"保存在 {self.path.parent}")


def _size(n: int) -> str:
    if n >= 1 << 30:
        return f"{n / (1 << 30):.1f} GB"
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    return f"{max(1, n // 1024)} KB"


def _audit_quietly(ctx: Context, action: str, object_id: object, **payload: object) -> None:
    """Record a failure even when the database is the thing that fails: the error the user sees
    must not be replaced by a second one from the audit write."""
    try:
        with ctx.db.atomic():
            ctx.audit(action, "backup", object_id, **payload)
    except Exception:  # noqa: BLE001 - the original failure is what gets reported
        pass


def backup_now(ctx: Context, trigger: Trigger = Trigger.MANUAL, *, folder: Path | None = None,
               target: Path | None = None, progress: Progress | None = None) -> BackupResult:
    """A verified backup of the open database into its backup folder (or ``folder``, or exactly
    the file ``target``). Raises BackupFailed (a UserError with the reason) after recording
    the failure."""
    folder = Path(target).parent if target is not None else (folder or _folder(ctx))
    try:
        path, manifest = store.backup_database(ctx.db.conn, folder, trigger=trigger.value,
                                               now=ctx.clock(), progress=progress, target=target)
    except store.BackupFailed as exc:
        _audit_quietly(ctx, "backup_failed", trigger.value, trigger=trigger.value,
                       folder=str(target or folder), reason=exc.message,
                       marker=store.change_marker(ctx.db.conn))
        raise
    if trigger is Trigger.MANUAL:
        try:
            with ctx.db.atomic():
                ctx.audit("backup", "backup", path.name, trigger=trigger.value,
                          size=manifest.size, sha256=manifest.sha256)
        except sqlite3.OperationalError as exc:
            # D4: the backup itself is made and verified; only its log line did not fit.
            if is_disk_full(exc):
                raise DiskFull(f"备份已完成并校验通过（{path.name}），但{DISK_FULL}") from exc
            raise
    return BackupResult(path, manifest)


# ---- schedule (B5) and health (B7) ---------------------------------------------------------------


def _manifest_time(path: Path, manifest: store.Manifest | None) -> datetime | None:
    if manifest is not None:
        try:
            return datetime.fromisoformat(manifest.time_utc)
        except ValueError:
            pass
    return store.time_from_name(path.name)


def _last_attempt(ctx: Context) -> LastBackup | None:
    """The newest backup or failed attempt: after a failure the next try waits a full period."""
    last: LastBackup | None = None
    for path, manifest in store.list_backups(_folder(ctx)):
        when = _manifest_time(path, manifest)
        if when is not None and manifest is not None:
            last = LastBackup(when, manifest.marker)
            break
    failed = _last_failure(ctx)
    if failed is not None and (last is None or failed.time > last.time):
        return failed
    return last


def _last_failure(ctx: Context) -> LastBackup | None:
    # Only the newest few hundred entries: a failure older than that is older than any period,
    # and audit_log has no index on action (a full scan of a ten-year log is not free).
    row = ctx.db.execute(
        "SELECT ts_utc FROM audit_log WHERE seq > (SELECT coalesce(max(seq), 0) - 500"
        " FROM audit_log) AND action = 'backup_failed' ORDER BY seq DESC LIMIT 1").fetchone()
    if row is None:
        return None
    try:
        # Marker -1: a failed attempt backed nothing up, so the data still counts as changed
        # and the next try comes one period later (not every tick, not never).
        return LastBackup(datetime.fromisoformat(row[0]), -1)
    except ValueError:
        return None


def backup_if_due(ctx: Context) -> BackupResult | None:
    """For the app's timer (once a minute is plenty): a 定时 backup if the data changed and the
    last backup is 30 minutes old; then old backups are thinned. None when nothing was due."""
    if ctx.db.conn.in_transaction:
        return None  # never in the middle of someone's change; the next tick will do
    marker = store.change_marker(ctx.db.conn)
    if not periodic_due(ctx.clock(), _last_attempt(ctx), marker):
        return None
    result = backup_now(ctx, Trigger.PERIODIC)
    _thin(ctx)
    return result


def backup_on_exit(ctx: Context) -> BackupResult | None:
    """On exit, before database.close(): a backup if anything changed since the last one."""
    return backup_if_changed(ctx, Trigger.EXIT)


def backup_if_changed(ctx: Context, trigger: Trigger) -> BackupResult | None:
    """A backup for ``trigger`` if anything changed since the newest verified one (B5); None
    when nothing did, or when called inside a transaction (the operation that opened it
    backed up before starting)."""
    if ctx.db.conn.in_transaction:
        return None
    marker = store.change_marker(ctx.db.conn)
    last = None
    for path, manifest in store.list_backups(_folder(ctx)):
        if manifest is not None and manifest.verified:
            last = LastBackup(_manifest_time(path, manifest) or ctx.clock(), manifest.marker)
            break
    if not exit_due(last, marker):
        return None
    return backup_now(ctx, trigger)


def backup_first(trigger: Trigger):
    """Decorates a risky operation (an import, a deletion): a verified backup of what changed
    since the last one is made before it runs (issue 7: "before every risky operation"), and a
    backup that fails stops it. Put it under @requires, so a refused call backs nothing up."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(ctx: Context, *args, **kwargs):
            backup_if_changed(ctx, trigger)
            return func(ctx, *args, **kwargs)

        return wrapper

    return decorate


def backup_health(ctx: Context) -> HealthReport:
    """For the status bar and the start-up reminder (B7)."""
    newest = next(((p, m) for p, m in store.list_backups(_folder(ctx))
                   if m is not None and m.verified), None)
    marker = store.change_marker(ctx.db.conn)
    if newest is None:
        return health(ctx.clock(), None, marker > 0)
    path, manifest = newest
    when = _manifest_time(path, manifest)
    local = when.astimezone() if when else None
    return health(ctx.clock().astimezone(), local, marker != manifest.marker)


OFFSITE_EVERY = timedelta(days=30)
OFFSITE_REMINDER = ("已经一个多月没有把备份复制到U盘了。电脑硬盘坏了，电脑里的备份也会一起丢失："
                    "请在“备份与恢复”中点“复制到U盘或文件夹…”，复制后把U盘放在别处妥善保管。")


def offsite_copy_reminder(ctx: Context) -> str:
    """B8's monthly prompt (导出备份到U盘), for whoever may copy backups (the administrator):
    the reminder when the last copy to a stick or folder is over a month old — or there was
    none and govdesk has been in use for a month — else ""."""
    if not can(ctx.user, "settings.manage"):
        return ""
    from govdesk.store import audit_store

    now = ctx.clock()
    found = audit_store.query(ctx.db, object_type="backup", action="copy_backup", limit=1)
    if found:
        since = _utc(found[0][0].ts_utc)
    else:
        first = audit_store.get_entry(ctx.db, 1)
        if first is None:
            return ""
        since = _utc(first.ts_utc)
    return OFFSITE_REMINDER if now - since > OFFSITE_EVERY else ""


def _utc(iso: str) -> datetime:
    when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


# ---- listing, verifying, copying, thinning -------------------------------------------------------


@dataclass(frozen=True)
class BackupRow:
    path: Path
    name: str
    time: str  # local "YYYY-MM-DD HH:MM:SS"
    size: int
    size_text: str
    verified: bool
    trigger: str
    schema_version: str
    keep: str  # why retention keeps it, or 可清理


def _infos(rows: list[tuple[Path, store.Manifest | None]]) -> list[retention.BackupInfo]:
    out = []
    for path, manifest in rows:
        when = _manifest_time(path, manifest)
        if when is None:
            continue
        out.append(retention.BackupInfo(when.astimezone(),
                                        bool(manifest and manifest.verified), path.name))
    return out


def backup_folder(ctx: Context) -> Path:
    """Where the open database's backups are (``backup_dir_for`` its file)."""
    return _folder(ctx)


def newer_schema_message(path: Path) -> str:
    """The refusal of a file made by a newer govdesk (for dialogs that show it up front)."""
    return store.newer_schema_message(path)


def list_backups(ctx: Context) -> list[BackupRow]:
    """Every backup in the folder, newest first, with what retention will do with it."""
    return list_backups_for(database.path_of(ctx.db), now=ctx.clock())


def list_backups_for(db_path: Path, *, now: datetime | None = None) -> list[BackupRow]:
    """The backups of the database file ``db_path`` without opening it — for the 数据恢复
    dialog, when the database itself cannot be read."""
    rows = store.list_backups(backup_dir_for(Path(db_path)))
    when_now = (now or utc_now()).astimezone()
    reasons = {d.backup.name: d.reason.label for d in retention.thin(_infos(rows), when_now)}
    out = []
    for path, manifest in rows:
        when = _manifest_time(path, manifest)
        size = manifest.size if manifest else path.stat().st_size
        out.append(BackupRow(
            path=path, name=path.name,
            time=when.astimezone().strftime("%Y-%m-%d %H:%M:%S") if when else "",
            size=size, size_text=_size(size), verified=bool(manifest and manifest.verified),
            trigger=manifest.trigger if manifest else "未知",
            schema_version=manifest.schema_version if manifest else "",
            keep=reasons.get(path.name, retention.Reason.UNVERIFIED.label),
        ))
    return out


def _resolve(ctx: Context, name: str | Path) -> Path:
    path = Path(name)
    if not path.is_absolute() and path.parent == Path("."):
        path = _folder(ctx) / path
    if not path.is_file():
        raise UserError(f"备份文件“{name}”不存在；请从备份列表中选择", field="backup")
    return path


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    problems: list[str]
    message: str


def verify_backup(ctx: Context, name: str | Path) -> VerifyResult:
    """Check a backup again (integrity, foreign keys, and its SHA-256 against its manifest),
    and write the result into its manifest: a backup that fails is no longer counted as
    verified, so retention will not rely on it."""
    path = _resolve(ctx, name)
    manifest = store.read_manifest(path)
    result = store.verify(path, expected=manifest, digests=manifest is None)
    problems = list(store.iter_problems(result))
    if manifest is None and result.ok:
        when = store.time_from_name(path.name) or ctx.clock()
        manifest = store.Manifest(
            name=path.name, time_utc=when.astimezone(UTC).isoformat(timespec="seconds"),
            trigger="未知",
            size=result.size, sha256=result.sha256, schema=result.schema,
            row_counts=result.row_counts, table_digests=result.table_digests, verified=True,
            marker=0)
    if manifest is not None and path.parent == _folder(ctx):
        updated = replace(manifest, verified=result.ok, problems=result.problems)
        with contextlib.suppress(OSError):
            store.write_manifest(path, updated)
    with ctx.db.atomic():
        ctx.audit("verify_backup", "backup", path.name, ok=result.ok, problems=problems[:5])
    if result.ok and not result.newer_schema:
        message = f"备份 {path.name} 校验通过：文件完整，内容与备份时一致。"
    elif result.ok:
        message = problems[-1]
    else:
        message = f"备份 {path.name} 校验未通过：" + "；".join(problems[:5])
    return VerifyResult(result.ok, problems, message)


@requires("settings.manage")
def copy_backup_to(ctx: Context, name: str | Path, folder: Path) -> Path:
    """导出备份到U盘 (B8): copy, read back, verify; only then report success."""
    path = _resolve(ctx, name)
    try:
        copied = store.copy_verified(path, Path(folder))
    except store.BackupFailed as exc:
        _audit_quietly(ctx, "backup_failed", path.name, step="copy", folder=str(folder),
                       reason=exc.message)
        raise
    with ctx.db.atomic():
        ctx.audit("copy_backup", "backup", path.name, folder=str(folder))
    return copied


def _thin(ctx: Context) -> list[str]:
    folder = _folder(ctx)
    rows = store.list_backups(folder)
    by_name = {p.name: (p, m) for p, m in rows}
    doomed = retention.to_delete(_infos(rows), ctx.clock().astimezone())
    if not doomed:
        return []
    # Only ever delete when a verified backup that still exists as described supersedes it.
    newest = next(((p, m) for p, m in rows if m is not None and m.verified), None)
    if newest is None or not newest[0].is_file() or newest[0].stat().st_size != newest[1].size:
        return []
    deleted = []
    for info in doomed:
        path, _m = by_name[info.name]
        try:
            store.delete_backup(path)
        except OSError:
            continue  # open in another program: next time
        deleted.append(info.name)
    if deleted:
        with ctx.db.atomic():
            ctx.audit("thin_backups", "backup", folder.name, deleted=deleted)
    return deleted


@requires("settings.manage")
def thin_backups(ctx: Context) -> list[str]:
    """Apply the retention rule (B6) now; returns the names deleted."""
    return _thin(ctx)


def describe(path: Path) -> store.FileDescription:
    """What a backup or any govdesk file holds, for the restore dialog."""
    return store.describe_file(Path(path))


# ---- restore (B4) --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    pre_backup: Path | None  # the 恢复前 backup of the database that was replaced
    moved_aside: Path | None  # a damaged database, renamed (recovery only)
    schema_before: str  # the source's schema version
    schema_after: str
    message: str


def _check_source(source: Path) -> store.FileDescription:
    """Before anything is touched: readable, a govdesk file, not newer. That the bytes are the
    ones that were verified (SHA-256 against the manifest) is checked while they are copied
    (store.prepare_restore_hashed: one read of the file), before the database is touched; the
    full checks run on the copy."""
    source = Path(source)
    description = store.describe_file(source)
    if description.newer_schema:
        raise UserError(store.newer_schema_message(source), field="source")
    return description


def _prepare(source: Path, db_path: Path) -> tuple[Path, str]:
    manifest = store.read_manifest(source)
    return store.prepare_restore_hashed(source, db_path,
                                        expected_sha256=manifest.sha256 if manifest else None)


def _record_restore(tmp: Path, clock: Callable[[], datetime], user_login: str | None,
                    user_id: int | None, **payload: object) -> None:
    """Write the restore into the audit log of the database about to be swapped in, so the
    record and the data arrive together (or not at all)."""
    from govdesk.store import user_store

    db = database.connect(tmp, migrate=False, check=False)
    try:
        actor = None
        if user_id is not None:
            found = user_store.get_user(db, user_id)
            if found is not None and found.login == user_login:
                actor = found
        tmp_ctx = Context(db, user=actor, clock=clock)
        with db.atomic():
            tmp_ctx.audit("restore", "backup", payload.get("source", ""), **payload)
    finally:
        database.close(db)


def restore(ctx_or_path: Context | Path | str, source: Path | str) -> RestoreResult:
    """Restore ``source`` over the database: with a Context, as the signed-in administrator;
    with a database path, as recovery from a damaged file (the app's 数据恢复 dialog)."""
    if isinstance(ctx_or_path, Context):
        return restore_as_user(ctx_or_path, Path(source))
    return restore_in_recovery(Path(ctx_or_path), Path(source))


@requires("settings.manage")
def restore_as_user(ctx: Context, source: Path) -> RestoreResult:
    """After it the context holds a connection to the restored database and nobody is signed
    in: the restored database's accounts apply, so the user signs in again."""
    db_path = database.path_of(ctx.db)
    source = Path(source)
    if source.resolve() == db_path.resolve():
        raise UserError("不能用正在使用的数据库恢复它自己；请选择一个备份文件", field="source")
    try:
        description = _check_source(source)
        tmp, source_sha256 = _prepare(source, db_path)
    except UserError as exc:
        _audit_quietly(ctx, "restore_failed", source.name, source=str(source),
                       reason=exc.message)
        raise
    now = ctx.clock()
    pre_path = store.final_name(_folder(ctx), now)
    linked = False
    try:
        user = ctx.user
        _record_restore(tmp, ctx.clock, user.login if user else None, user.id if user else None,
                        source=source.name, source_sha256=source_sha256,
                        pre_backup=pre_path.name, schema_before=description.schema_version,
                        by=f"{user.name}（{user.login}）" if user else "")
        database.close(ctx.db)
        try:
            # The 恢复前 backup is the replaced file itself, kept under a backup name (a hard
            # link, no copy: store.backup's module doc); a copy only where links are missing.
            linked = store.keep_replaced(db_path, pre_path)
            if not linked:
                _copy_replaced(db_path, pre_path, now)
            store.swap_in(tmp, db_path)
        except store.BackupFailed as exc:
            if linked:
                # Not swapped: the link is the live database, not a backup of it.
                store.delete_backup(pre_path)
            ctx.db = database.connect(db_path, check=False)
            _audit_quietly(ctx, "restore_failed", source.name, source=str(source),
                           reason=exc.message)
            raise
    finally:
        store.discard(tmp)
    kept_note = ""
    if linked:
        try:
            kept = store.describe_kept(pre_path, trigger=Trigger.RESTORE.value, now=now)
            if not kept.verified:
                kept_note = "（恢复前的数据库检查发现问题，已原样保留，未标为已校验）"
        except (OSError, sqlite3.Error):
            # The restore is done; the kept file is listed as unverified until verified again.
            kept_note = "（恢复前备份的说明文件未能写入，可在备份页重新校验）"
    # No quick_check on this open: the file passed integrity_check moments ago (prepare) and
    # only the restore's audit row was written since; at 120,000 notices that saves ≈ 1 s.
    ctx.db = database.connect(db_path, check=False)
    ctx.user = None
    ctx.authenticated_at = None
    ctx.reload_calendar()
    after = store.applied_migrations(ctx.db.conn)
    return RestoreResult(
        source=source, pre_backup=pre_path, moved_aside=None,
        schema_before=description.schema_version, schema_after=after[-1] if after else "",
        message=(f"已从 {source.name} 恢复数据库。恢复前的数据已备份为 {pre_path.name}"
                 f"{kept_note}。请重新登录。"),
    )


def _copy_replaced(db_path: Path, target: Path, now: datetime) -> None:
    """The 恢复前 backup as a copy, on file systems without hard links (quick_check only, as
    store.backup's module doc argues)."""
    conn = store.open_file(db_path)
    try:
        store.backup_database(conn, target.parent, trigger=Trigger.RESTORE.value, now=now,
                              target=target, check="quick")
    finally:
        conn.close()


def restore_in_recovery(db_path: Path, source: Path,
                        clock: Callable[[], datetime] = utc_now) -> RestoreResult:
    """The database cannot be opened: the damaged file is moved aside (``*.damaged-<time>``,
    D8: never overwritten, never deleted) and the source takes its place."""
    db_path = Path(db_path)
    description = _check_source(source)
    tmp, source_sha256 = _prepare(source, db_path)
    now = clock()
    try:
        _record_restore(tmp, clock, None, None, source=source.name,
                        source_sha256=source_sha256, recovery=True,
                        damaged=store.damaged_name(db_path, now).name if db_path.exists() else "",
                        schema_before=description.schema_version)
        moved = store.move_aside(db_path, now)
        store.swap_in(tmp, db_path)
    finally:
        store.discard(tmp)
    db = database.connect(db_path)
    try:
        after = store.applied_migrations(db.conn)
    finally:
        database.close(db)
    aside = f"损坏的数据库已改名保存为 {moved.name}。" if moved else ""
    return RestoreResult(
        source=source, pre_backup=None, moved_aside=moved,
        schema_before=description.schema_version, schema_after=after[-1] if after else "",
        message=f"已从 {source.name} 恢复数据库。{aside}",
    )


# ---- checking the live database (govdesk check) --------------------------------------------------


@dataclass(frozen=True)
class CheckReport:
    ok: bool
    problems: list[str]
    message: str
    audit_entries: int | None = None  # with full=True


def check_database(db_path: Path, *, full: bool = False) -> CheckReport:
    """``govdesk check``: quick_check (seconds on a ten-year database), or with ``full``
    integrity_check + foreign_key_check + the audit chain (A2). Read-only and unaudited, so a
    scheduled task can run it without an account."""
    from govdesk.core.audit import verify_chain
    from govdesk.store import audit_store

    db_path = Path(db_path)
    if not db_path.is_file():
        raise UserError(f"数据库文件不存在：{db_path}", field="db")
    if not full:
        try:
            # mmap: govdesk check is its own process (database.quick_check_file says why)
            result = database.quick_check_file(db_path, mmap=True)
        except Exception as exc:  # noqa: BLE001 - sqlite3.DatabaseError: not even a database
            result = str(exc)
        if result == "ok":
            return CheckReport(True, [], f"快速检查通过：{db_path.name}")
        return CheckReport(False, [result], f"快速检查发现问题：{db_path.name}：{result}")
    conn = store.open_file(db_path)
    try:
        problems = store.check_connection(conn)
        entries = None
        if not problems and not store.applied_migrations(conn):
            problems.append("不是 govdesk 数据库（没有数据库版本记录）")
        if not problems:
            from sqlite_utils import Database

            db = Database(conn, execute_plugins=False)
            entries = audit_store.count(db)
            bad = verify_chain(audit_store.iter_entries(db))
            if bad is not None:
                problems.append(f"操作日志第{bad}条起被改动、删除或调换了顺序（哈希链校验未通过）")
    finally:
        conn.close()
    if problems:
        return CheckReport(False, problems, f"完整检查发现问题：{db_path.name}：" +
                           "；".join(problems[:5]), entries)
    return CheckReport(True, [], f"完整检查通过：{db_path.name}：文件完整、外键一致，"
                                 f"操作日志 {entries} 条逐条校验无误", entries)
