import sqlite3

import pytest

from govdesk.core.errors import UserError
from govdesk.store import database
from govdesk.store.database import close, connect
from govdesk.store.migrations import migrations


def test_connection_contract(tmp_path):
    db = connect(tmp_path / "a.db")
    pragma = lambda name: db.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 5000
    assert tuple(int(x) for x in sqlite3.sqlite_version.split(".")) >= (3, 35)


def test_missing_file_is_created_and_migrated(tmp_path):
    path = tmp_path / "sub" / "new.db"
    db = connect(path)
    assert path.exists()
    assert {m.name for m in migrations.applied(db)} == {
        "0001_initial", "0002_default_lists", "0003_register_indexes",
        "0004_search_single_characters", "0005_dashboard_index", "0006_board_paper",
        "0007_approval_slips", "0008_assessment", "0009_requests_and_annual_report",
        "0010_letter_approval_slips", "0011_letter_party", "0012_registers", "0013_work_plan",
        "0014_plan_report"}
    assert db.execute("SELECT count(*) FROM channel").fetchone()[0] == 8


def _with_data(path):
    db = connect(path)
    db.execute("INSERT INTO unit (name) VALUES ('测试办')")
    close(db)


def _tables(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_verified_backup_is_made_before_pending_migrations_run(tmp_path):
    """D11: a verified backup (迁移前) in the backup folder, of the database as it was."""
    from govdesk.store import backup as bk

    path = tmp_path / "a.db"
    _with_data(path)
    before = [m.name for m in migrations._migrations]

    def m9999_test(db):
        db.execute("CREATE TABLE extra (x)")

    migrations(name="9999_test")(m9999_test)
    try:
        db = connect(path)
        assert "extra" in _tables(db.conn)
        close(db)
        found = bk.list_backups(bk.backup_dir_for(path))
        assert len(found) == 1
        final, manifest = found[0]
        assert final.parent == tmp_path / "a-backups"
        assert manifest.trigger == "迁移前" and manifest.verified
        assert manifest.checks == "integrity_check+foreign_key_check"
        assert manifest.schema == before  # the old version, before 9999_test
        result = bk.verify(final, expected=manifest)
        assert result.ok, result.problems
        copy = bk.open_file(final)
        assert copy.execute("SELECT count(*) FROM unit WHERE name='测试办'").fetchone()[0] == 1
        assert "extra" not in _tables(copy)
        copy.close()
        assert not list(tmp_path.glob("*before-migration*"))  # the old unchecked copy is gone
        close(connect(path))  # nothing pending: no second backup
        assert len(bk.list_backups(bk.backup_dir_for(path))) == 1
    finally:
        migrations._migrations.pop()


def test_a_new_database_needs_no_backup_before_its_first_migrations(tmp_path):
    from govdesk.store import backup as bk

    close(connect(tmp_path / "a.db"))
    assert not bk.backup_dir_for(tmp_path / "a.db").exists()


def test_no_migration_without_its_backup(tmp_path):
    """The backup folder cannot be made (a file has its name): the database is not migrated
    and does not open, with a message that says so."""
    from govdesk.store import backup as bk

    path = tmp_path / "a.db"
    _with_data(path)
    bk.backup_dir_for(path).write_text("a file where the folder should be", "utf-8")

    def m9999_test(db):
        db.execute("CREATE TABLE extra (x)")

    migrations(name="9999_test")(m9999_test)
    try:
        with pytest.raises(UserError, match="备份没有完成，数据库未升级"):
            connect(path)
    finally:
        migrations._migrations.pop()
    db = connect(path, migrate=False)
    assert "extra" not in _tables(db.conn)
    assert "9999_test" not in {m.name for m in migrations.applied(db)}
    close(db)


def test_pending_migrations_apply_all_or_nothing(tmp_path):
    """The runner applies every pending migration in one transaction: the second one failing
    leaves the first undone too (the database stays at its old version)."""
    path = tmp_path / "a.db"
    _with_data(path)

    def m9998_test(db):
        db.executescript("CREATE TABLE extra (x); INSERT INTO extra VALUES (1);")

    def m9999_test(db):
        db.execute("INSERT INTO extra VALUES (2)")
        raise RuntimeError("a migration that fails")

    migrations(name="9998_test")(m9998_test)
    migrations(name="9999_test")(m9999_test)
    try:
        with pytest.raises(RuntimeError, match="fails"):
            connect(path)
    finally:
        del migrations._migrations[-2:]
    db = connect(path)
    assert "extra" not in _tables(db.conn)
    assert not {"9998_test", "9999_test"} & {m.name for m in migrations.applied(db)}
    assert db.execute("SELECT count(*) FROM unit WHERE name = '测试办'").fetchone()[0] == 1
    close(db)


def test_database_from_a_newer_version_is_refused(tmp_path):
    """D11: never migrate down; the file is left exactly as it was (no backup either)."""
    from govdesk.store import backup as bk

    path = tmp_path / "a.db"
    db = connect(path)
    db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
               " VALUES ('govdesk', '9999_future', 'x')")
    close(db)
    data = path.read_bytes()
    with pytest.raises(UserError, match="更新版本的 govdesk 创建，请先升级"):
        connect(path)
    assert path.read_bytes() == data
    assert not bk.backup_dir_for(path).exists()


def test_not_a_database_gives_a_chinese_message(tmp_path):
    path = tmp_path / "a.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(UserError, match="损坏|不是"):
        connect(path)


def test_clean_close_leaves_an_empty_wal(tmp_path):
    path = tmp_path / "a.db"
    db = connect(path)
    db.execute("INSERT INTO unit (name) VALUES ('测试办')")
    close(db)
    wal = path.with_name("a.db-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_audit_log_is_append_only(tmp_path):
    from govdesk.store import audit_store

    db = connect(tmp_path / "a.db")
    audit_store.append(db, ts_utc="2025-01-01T00:00:00+00:00", actor_id=None, action="x",
                       object_type="t", object_id=1, payload={})
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE audit_log SET action = 'y'")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("DELETE FROM audit_log")
    assert database  # module imported for monkeypatch-free access
