"""备份与恢复 as user actions: schedule without a feedback loop, failures audited (B7), copies
(B8), retention applied (B6), restore round trip (B4), newer-schema refusal, recovery (D8)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import as_user, notice_input

from govdesk.core.backup_schedule import Health, Trigger
from govdesk.core.errors import DiskFull, PermissionDenied, UserError
from govdesk.core.org import Role
from govdesk.operations import backups as ops
from govdesk.operations import notices as notice_ops
from govdesk.operations.context import Context
from govdesk.store import audit_store, search
from govdesk.store import backup as store
from govdesk.store.database import connect, path_of


def reopen(ctx: Context) -> Context:
    """Read back through a fresh connection (target D6)."""
    return Context(connect(path_of(ctx.db)), clock=ctx.clock, files_dir=ctx.files_dir)


def _actions(ctx: Context) -> list[str]:
    fresh = reopen(ctx)
    try:
        return [e.action for e in audit_store.iter_entries(fresh.db)]
    finally:
        fresh.db.close()


def _later(clock, **delta) -> None:
    clock.now = clock.now + timedelta(**delta)


def test_backup_now_writes_a_verified_backup_beside_the_database(ctx, users, org, db_path):
    result = ops.backup_now(ctx)
    assert result.path.parent == db_path.with_name("govdesk-backups")
    assert result.path.parent == ops.backup_dir_for(db_path)
    assert "校验通过" in result.message and result.path.name in result.message
    rows = ops.list_backups(ctx)
    assert [(r.name, r.verified, r.trigger, r.keep) for r in rows] == [
        (result.path.name, True, "手动", "48小时内")]
    assert _actions(ctx)[-1] == "backup"


def test_periodic_backups_follow_changes_and_do_not_feed_themselves(ctx, users, org, clock):
    first = ops.backup_if_due(ctx)
    assert first is not None and first.manifest.trigger == "定时"
    _later(clock, minutes=31)
    assert ops.backup_if_due(ctx) is None  # nothing changed
    ops.backup_now(ctx)  # a manual backup writes an audit row ...
    _later(clock, minutes=31)
    assert ops.backup_if_due(ctx) is None  # ... which is not a change to back up
    ops.verify_backup(ctx, first.path.name)
    _later(clock, minutes=31)
    assert ops.backup_if_due(ctx) is None
    notice_ops.create_notice(ctx, notice_input(ctx))
    assert ops.backup_if_due(ctx) is not None  # changed, last backup over 30 min old
    notice_ops.create_notice(ctx, notice_input(ctx, title="关于柳河村道路硬化工程的公示"))
    _later(clock, minutes=10)
    assert ops.backup_if_due(ctx) is None  # changed, but the last backup is 10 min old
    _later(clock, minutes=20)
    assert ops.backup_if_due(ctx) is not None
    assert ops.backup_on_exit(ctx) is None
    notice_ops.create_notice(ctx, notice_input(ctx, title="关于云溪社区道路维修的通知"))
    on_exit = ops.backup_on_exit(ctx)
    assert on_exit is not None and on_exit.manifest.trigger == "退出时"


def test_a_failing_backup_folder_is_audited_and_not_retried_every_tick(ctx, users, org, clock,
                                                                        db_path):
    ops.backup_dir_for(db_path).write_text("a file where the folder should be", "utf-8")
    with pytest.raises(store.BackupFailed, match="备份文件夹"):
        ops.backup_if_due(ctx)
    assert _actions(ctx)[-1] == "backup_failed"
    _later(clock, minutes=1)
    assert ops.backup_if_due(ctx) is None  # the next try waits a period
    _later(clock, minutes=30)
    with pytest.raises(store.BackupFailed):
        ops.backup_if_due(ctx)
    assert _actions(ctx).count("backup_failed") == 2


def test_health_warns_after_a_day_with_changes_and_blocks_after_a_week(ctx, users, org, clock):
    assert ops.backup_health(ctx).health is Health.BLOCKING  # data, and no backup at all
    ops.backup_now(ctx)
    assert ops.backup_health(ctx).health is Health.OK
    _later(clock, hours=25)
    assert ops.backup_health(ctx).health is Health.OK  # old, but nothing changed
    notice_ops.create_notice(ctx, notice_input(ctx))
    assert ops.backup_health(ctx).health is Health.WARNING
    _later(clock, days=7)
    report = ops.backup_health(ctx)
    assert report.health is Health.BLOCKING and "7 天" in report.message


def test_verify_again_finds_a_changed_file_and_stops_counting_it(ctx, users, org):
    result = ops.backup_now(ctx)
    assert ops.verify_backup(ctx, result.path.name).ok
    data = bytearray(result.path.read_bytes())
    data[-100] ^= 0x55
    result.path.write_bytes(bytes(data))
    verdict = ops.verify_backup(ctx, result.path.name)
    assert not verdict.ok and "SHA-256" in verdict.message
    assert store.read_manifest(result.path).verified is False
    assert [r.verified for r in ops.list_backups(ctx)] == [False]
    last = json.loads(audit_store.last_entry(reopen(ctx).db).payload)
    assert last["ok"] is False
    with pytest.raises(UserError, match="不存在"):
        ops.verify_backup(ctx, "govdesk-19990101-000000.db")


def test_copy_to_a_stick_needs_the_administrator_and_is_audited(ctx, users, org, tmp_path):
    result = ops.backup_now(ctx)
    stick = tmp_path / "U盘"
    with pytest.raises(PermissionDenied):
        ops.copy_backup_to(ctx, result.path.name, stick)
    admin = as_user(ctx, users[Role.ADMIN])
    copied = ops.copy_backup_to(admin, result.path.name, stick)
    assert store.sha256_file(copied) == result.manifest.sha256
    assert _actions(ctx)[-1] == "copy_backup"


def test_thinning_keeps_the_tiers_and_deletes_the_rest(ctx, users, org, clock):
    made = []
    for day in range(20):
        notice_ops.create_notice(ctx, notice_input(ctx, title=f"第{day}天的公示事项"))
        made.append(ops.backup_now(ctx, Trigger.PERIODIC).path.name)
        _later(clock, days=1)
    with pytest.raises(PermissionDenied):
        ops.thin_backups(ctx)
    deleted = ops.thin_backups(as_user(ctx, users[Role.ADMIN]))
    # now = the 20th backup + 1 day: the newest (1 day old) is recent; the 14 before it are
    # the daily tier; of the 5 oldest, the newest of each earlier Monday–Sunday week stays.
    kept = [r.name for r in ops.list_backups(ctx)]
    assert set(kept) | set(deleted) == set(made) and not set(kept) & set(deleted)
    assert made[-15:] == sorted(kept)[-15:]
    assert deleted and all(name in made[:5] for name in deleted)
    assert _actions(ctx)[-1] == "thin_backups"
    assert ops.thin_backups(as_user(ctx, users[Role.ADMIN])) == []  # twice = once


def _notice_digests(ctx: Context) -> int:
    expr = search.match_expression("低保")
    return ctx.db.execute("SELECT count(*) FROM notice_search WHERE notice_search MATCH ?",
                          [expr]).fetchone()[0]


def test_restore_round_trip_digests_equal_the_manifest(ctx, users, org, clock, db_path):
    """B4: back up, change the data, restore: every table equals the backup's, the replaced
    data is in a 恢复前 backup, and the restore is in the restored database's audit log."""
    notice_ops.create_notice(ctx, notice_input(ctx))
    backup = ops.backup_now(ctx).manifest
    source = ops.backup_dir_for(db_path) / backup.name
    # the source's digests, computed now (routine manifests carry none: too slow at scale)
    expected = store.verify(source, expected=backup, digests=True).table_digests
    assert expected and backup.table_digests == {}
    _later(clock, hours=2)
    extra = notice_ops.create_notice(ctx, notice_input(ctx, title="恢复前新增的低保公示"))
    admin = as_user(ctx, users[Role.ADMIN])
    with pytest.raises(PermissionDenied):
        ops.restore(ctx, source)
    result = ops.restore(admin, source)
    assert "请重新登录" in result.message and admin.user is None
    fresh = reopen(admin)
    try:
        seq = backup.row_counts["audit_log"]
        assert store.table_digests(fresh.db.conn, audit_upto=seq) == expected
        entries = list(audit_store.iter_entries(fresh.db))
        assert len(entries) == seq + 1
        last = entries[-1]
        payload = json.loads(last.payload)
        assert last.action == "restore" and last.actor_id == users[Role.ADMIN].id
        assert payload["source"] == backup.name and payload["pre_backup"] == result.pre_backup.name
        assert fresh.db.execute("SELECT count(*) FROM notice WHERE id = ?",
                                [extra.id]).fetchone()[0] == 0
        assert _notice_digests(fresh) == 1  # the search index came back with the data
        from govdesk.core.audit import verify_chain

        assert verify_chain(audit_store.iter_entries(fresh.db)) is None
    finally:
        fresh.db.close()
    pre = store.read_manifest(result.pre_backup)
    assert pre.trigger == "恢复前" and pre.row_counts["notice"] == 2
    assert pre.checks == "quick_check" and pre.verified
    # verifying it later runs the full checks (and it passes them)
    assert ops.verify_backup(admin, result.pre_backup.name).ok
    # the context works on the restored database
    assert admin.db.execute("SELECT count(*) FROM notice").fetchone()[0] == 1


def _replaced_then_restored(ctx, users, clock, db_path):
    """A backup, then a change, then the 恢复前 state's digests, then the restore."""
    notice_ops.create_notice(ctx, notice_input(ctx))
    source = ops.backup_now(ctx).path
    _later(clock, hours=2)
    notice_ops.create_notice(ctx, notice_input(ctx, title="恢复前新增的低保公示"))
    before = store.table_digests(ctx.db.conn)
    admin = as_user(ctx, users[Role.ADMIN])
    result = ops.restore(admin, source)
    return admin, before, result


def test_the_replaced_database_is_kept_whole_as_the_restore_backup(ctx, users, org, clock,
                                                                   db_path):
    """The 恢复前 backup is the replaced file itself (a hard link, no copy): every table as it
    was, a self-contained rollback-mode file, no longer the live file, with its sidecar."""
    admin, before, result = _replaced_then_restored(ctx, users, clock, db_path)
    pre = result.pre_backup
    assert not Path(str(pre) + "-wal").exists()
    assert not pre.samefile(db_path) and pre.stat().st_nlink == 1
    conn = store.open_file(pre)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert store.table_digests(conn) == before
    finally:
        conn.close()
    manifest = store.read_manifest(pre)
    assert manifest.verified and manifest.checks == "quick_check"
    assert manifest.sha256 == store.sha256_file(pre) and manifest.row_counts["notice"] == 2
    # later changes to the live database never reach it
    admin2 = as_user(admin, users[Role.ADMIN])
    notice_ops.create_notice(admin2, notice_input(admin2, title="恢复后新增"))
    assert store.sha256_file(pre) == manifest.sha256


def test_without_hard_links_the_restore_backup_is_a_copy(ctx, users, org, clock, db_path,
                                                         monkeypatch):
    """FAT32/exFAT have no hard links: the replaced database is copied as before."""
    import os

    def no_links(*_a, **_k):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    admin, before, result = _replaced_then_restored(ctx, users, clock, db_path)
    conn = store.open_file(result.pre_backup)
    try:
        assert store.table_digests(conn) == before
    finally:
        conn.close()
    manifest = store.read_manifest(result.pre_backup)
    assert manifest.verified and manifest.checks == "quick_check"
    assert manifest.sha256 == store.sha256_file(result.pre_backup)


def test_a_failed_swap_leaves_the_database_and_no_false_backup(ctx, users, org, clock, db_path,
                                                               monkeypatch):
    notice_ops.create_notice(ctx, notice_input(ctx))
    source = ops.backup_now(ctx).path
    backups = sorted(p.name for p in ops.backup_dir_for(db_path).iterdir())
    before = store.table_digests(ctx.db.conn)

    def refuse(tmp, path):
        raise store.BackupFailed("替换数据库文件失败（文件被其他程序占用），原数据库未改动")

    monkeypatch.setattr(store, "swap_in", refuse)
    admin = as_user(ctx, users[Role.ADMIN])
    with pytest.raises(store.BackupFailed, match="原数据库未改动"):
        ops.restore(admin, source)
    assert sorted(p.name for p in ops.backup_dir_for(db_path).iterdir()) == backups
    assert _actions(admin)[-1] == "restore_failed"
    assert store.table_digests(admin.db.conn, audit_upto=len(_actions(admin)) - 1) == before


def test_a_restore_killed_before_the_swap_leaves_no_backup_that_is_the_live_file(
        ctx, users, org, clock, db_path):
    """A crash between keep_replaced and swap_in: the next start removes the link, which would
    otherwise change with the live database; real backups stay."""
    notice_ops.create_notice(ctx, notice_input(ctx))
    real = ops.backup_now(ctx).path
    ctx.db.close()
    link = store.final_name(ops.backup_dir_for(db_path), clock() + timedelta(hours=1))
    assert store.keep_replaced(db_path, link)
    assert link.samefile(db_path)
    removed = ops.startup_cleanup(db_path)
    assert removed == [link] and not link.exists()
    assert real.exists() and store.sidecar_of(real).exists()
    db = connect(db_path)
    try:
        assert db.execute("SELECT count(*) FROM notice").fetchone()[0] == 1
    finally:
        db.close()


def test_a_newer_backup_is_refused_and_nothing_changes(ctx, users, org, db_path):
    source = ops.backup_now(ctx).path
    conn = store.open_file(source, readonly=False)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                 " VALUES ('govdesk', '9999_later', '2030-01-01')")
    conn.commit()
    conn.close()
    before = store.table_digests(ctx.db.conn)
    admin = as_user(ctx, users[Role.ADMIN])
    with pytest.raises(UserError, match="这个备份由更新版本的 govdesk 创建"):
        ops.restore(admin, source)
    assert store.table_digests(admin.db.conn, audit_upto=len(_actions(ctx)) - 1) == before
    assert _actions(ctx)[-1] == "restore_failed"
    assert not [p for p in db_path.parent.iterdir() if store.TEMP_RE.search(p.name)]


def test_a_changed_backup_is_refused_before_anything_is_touched(ctx, users, org, db_path):
    source = ops.backup_now(ctx).path
    data = bytearray(source.read_bytes())
    data[-50] ^= 1
    source.write_bytes(bytes(data))
    backups_before = sorted(p.name for p in ops.backup_dir_for(db_path).iterdir())
    with pytest.raises(store.BackupFailed, match="SHA-256"):
        ops.restore(as_user(ctx, users[Role.ADMIN]), source)
    assert sorted(p.name for p in ops.backup_dir_for(db_path).iterdir()) == backups_before


def test_recovery_moves_the_damaged_database_aside_and_restores(ctx, users, org, clock,
                                                                db_path):
    notice_ops.create_notice(ctx, notice_input(ctx))
    source = ops.backup_now(ctx).path
    ctx.db.close()
    db_path.write_bytes(b"\0" * 8192)  # the database is beyond use
    with pytest.raises(UserError):
        connect(db_path)
    result = ops.restore(db_path, source)
    assert result.moved_aside is not None and result.moved_aside.read_bytes() == b"\0" * 8192
    assert result.moved_aside.name in result.message
    db = connect(db_path)
    try:
        assert db.execute("SELECT count(*) FROM notice").fetchone()[0] == 1
        last = audit_store.last_entry(db)
        assert last.action == "restore" and last.actor_id is None
        assert json.loads(last.payload)["recovery"] is True
    finally:
        db.close()


def test_a_recovery_killed_before_the_swap_leaves_the_damaged_file_in_place(
        ctx, users, org, clock, db_path, monkeypatch):
    """The path is never empty: killed between setting the damaged file aside and the swap,
    the next start finds the (damaged) database where it was, and recovery works again."""
    notice_ops.create_notice(ctx, notice_input(ctx))
    source = ops.backup_now(ctx).path
    ctx.db.close()
    damaged = b"\0" * 8192
    db_path.write_bytes(damaged)

    class Killed(BaseException):
        pass

    def killed(tmp, path):
        raise Killed

    monkeypatch.setattr(store, "swap_in", killed)
    with pytest.raises(Killed):
        ops.restore(db_path, source)
    monkeypatch.undo()
    assert db_path.read_bytes() == damaged
    [aside] = [p for p in db_path.parent.iterdir() if ".damaged-" in p.name]
    assert aside.read_bytes() == damaged
    ops.startup_cleanup(db_path)
    result = ops.restore(db_path, source)  # the same second: the second copy gets its own name
    assert result.moved_aside.read_bytes() == damaged
    db = connect(db_path)
    try:
        assert db.execute("SELECT count(*) FROM notice").fetchone()[0] == 1
    finally:
        db.close()


def test_a_full_disk_while_preparing_a_restore_says_so_and_changes_nothing(
        ctx, users, org, db_path, monkeypatch):
    """D4 for the restore: the prepared copy beside the database cannot be written."""
    source = ops.backup_now(ctx).path
    before = store.table_digests(ctx.db.conn)
    real_open = store.open_file

    def small_disk(path, *, readonly=True):
        conn = real_open(path, readonly=readonly)
        if not readonly:
            conn.execute("PRAGMA max_page_count=8")
        return conn

    monkeypatch.setattr(store, "open_file", small_disk)
    admin = as_user(ctx, users[Role.ADMIN])
    with pytest.raises(DiskFull, match="磁盘空间不足"):
        ops.restore(admin, source)
    monkeypatch.undo()
    assert not [p for p in db_path.parent.iterdir() if store.TEMP_RE.search(p.name)]
    assert store.table_digests(admin.db.conn, audit_upto=len(_actions(admin)) - 1) == before


def test_describe_a_backup_for_the_restore_dialog(ctx, users, org):
    notice_ops.create_notice(ctx, notice_input(ctx))
    d = ops.describe(ops.backup_now(ctx).path)
    assert d.counts["信息"] == 1 and d.counts["用户"] == 6
    assert d.first_date <= "2025-11-03" <= d.last_date


def test_startup_cleanup_removes_leftovers_of_a_killed_process(tmp_path):
    db_path = tmp_path / "govdesk.db"
    folder = ops.backup_dir_for(db_path)
    folder.mkdir()
    left = [folder / "govdesk-20250101-000000.db.999999999-abcdef.tmp",
            tmp_path / "govdesk.db.999999999-abcdef.tmp"]
    for p in left:
        p.write_bytes(b"x")
    assert sorted(ops.startup_cleanup(db_path)) == sorted(left)
    assert not any(p.exists() for p in left)


def test_backup_module_paths_are_under_the_tmp_folder(db_path: Path):
    assert ops.backup_dir_for(db_path).name == "govdesk-backups"


# ---- before risky operations (B5) ----------------------------------------------------------------


def test_a_deletion_and_an_import_back_up_what_changed_first(ctx, users, tmp_path):
    from govdesk.operations import notices as notice_ops
    from govdesk.store import backup as store_backup

    def triggers() -> list[str]:
        return [m.trigger for _, m in store_backup.list_backups(ops.backup_folder(ctx))
                if m is not None]

    first = notice_ops.create_notice(ctx, notice_input(ctx, title="第一条草稿"))
    notice_ops.delete_draft(ctx, first.id)
    assert triggers() == [Trigger.DELETE.value]
    # The deletion and the new draft are changes since that backup: the next deletion backs
    # up again.
    second = notice_ops.create_notice(ctx, notice_input(ctx, title="第二条草稿"))
    notice_ops.delete_draft(ctx, second.id)
    assert triggers().count(Trigger.DELETE.value) == 2

    from govdesk.operations import ledger

    path = tmp_path / "台账.csv"
    path.write_text("标题,类别,责任单位,形成日期,公开方式\n关于道路的公示,社会救助,民政办,"
                    "2025-03-01,公开栏\n", encoding="utf-8")
    ledger.import_notices(ctx, path)
    assert Trigger.IMPORT.value in triggers()


def test_a_failed_backup_stops_the_risky_operation(ctx, users, monkeypatch):
    from govdesk.operations import notices as notice_ops
    from govdesk.store import backup as store_backup

    draft = notice_ops.create_notice(ctx, notice_input(ctx, title="草稿"))

    def fail(*_a, **_k):
        raise store_backup.BackupFailed("备份失败：磁盘空间不足")

    monkeypatch.setattr(store_backup, "backup_database", fail)
    with pytest.raises(UserError, match="备份失败"):
        notice_ops.delete_draft(ctx, draft.id)
    assert notice_ops.get_notice(ctx, draft.id) is not None


def test_the_monthly_reminder_to_copy_a_backup_to_a_stick(ctx, users, tmp_path):
    admin = as_user(ctx, users[Role.ADMIN])
    start = ctx.clock()
    assert ops.offsite_copy_reminder(admin) == ""  # govdesk in use for less than a month
    admin.clock = lambda: start + timedelta(days=31)
    assert "复制到U盘" in ops.offsite_copy_reminder(admin)
    clerk = as_user(ctx, users[Role.CLERK])
    clerk.clock = admin.clock
    assert ops.offsite_copy_reminder(clerk) == ""  # copying backups is the admin's task
    made = ops.backup_now(admin)
    stick = tmp_path / "U盘"
    stick.mkdir()
    ops.copy_backup_to(admin, made.path.name, stick)
    assert ops.offsite_copy_reminder(admin) == ""
    admin.clock = lambda: start + timedelta(days=63)
    assert "一个多月" in ops.offsite_copy_reminder(admin)
