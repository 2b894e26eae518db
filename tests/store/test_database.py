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
        "0010_letter_approval_slips", "0011_letter_party"}
    assert db.execute("SELECT count(*) FROM channel").fetchone()[0] == 8


def test_database_is_copied_before_pending_migrations_run(tmp_path):
    path = tmp_path / "a.db"
    db = connect(path)
    db.execute("INSERT INTO unit (name) VALUES ('测试办')")
    close(db)

    def m9999_test(db):
        db.execute("CREATE TABLE extra (x)")

    migrations(name="9999_test")(m9999_test)
    try:
        db = connect(path)
        backups = list(tmp_path.glob("a.before-migration-*.db"))
        assert len(backups) == 1
        copy = sqlite3.connect(backups[0])
        assert copy.execute("SELECT count(*) FROM unit WHERE name='测试办'").fetchone()[0] == 1
        assert copy.execute(
            "SELECT count(*) FROM sqlite_master WHERE name='extra'").fetchone()[0] == 0
        copy.close()
        assert db.execute("SELECT count(*) FROM sqlite_master WHERE name='extra'").fetchone()[0]
        close(db)
    finally:
        migrations._migrations.pop()


def test_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "a.db"
    db = connect(path)
    db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
               " VALUES ('govdesk', '9999_future', 'x')")
    close(db)
    with pytest.raises(UserError, match="更新版本"):
        connect(path)


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
