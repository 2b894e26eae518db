"""`govdesk backup/restore/check/backups …` through the handlers of govdesk.cli_backup, with a
parser built the way govdesk/cli.py builds its own (a ``common`` parent with --db and --json)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import PASSWORD, notice_input

from govdesk import cli
from govdesk.cli_backup import EXIT_CHECK_FAILED
from govdesk.operations import backups as ops
from govdesk.operations import notices as notice_ops
from govdesk.store import backup as store
from govdesk.store.database import close, connect


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """Through govdesk's own entry point, so the command's wiring is tested too."""
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def office(ctx, users, org, db_path, monkeypatch):
    """A database with a notice, closed (a CLI command is its own process)."""
    notice_ops.create_notice(ctx, notice_input(ctx))
    close(ctx.db)
    monkeypatch.delenv("GOVDESK_USER", raising=False)
    monkeypatch.setenv("GOVDESK_PASSWORD", PASSWORD)
    return db_path


def test_backup_to_a_file_is_verified(office, tmp_path, capsys):
    target = tmp_path / "计划任务" / "每日.db"
    code, out, err = run(["backup", "--db", str(office), "-o", str(target)], capsys)
    assert code == 0, err
    assert "校验通过" in out and target.name in out
    assert store.verify(target, expected=store.read_manifest(target)).ok
    # the next day's task replaces the file atomically
    code, out, _ = run(["backup", "--db", str(office), "-o", str(target), "--json"], capsys)
    assert code == 0 and json.loads(out)["sha256"] == store.sha256_file(target)


def test_check_quick_and_full(office, capsys):
    code, out, _ = run(["check", "--db", str(office)], capsys)
    assert code == 0 and "快速检查通过" in out
    code, out, _ = run(["check", "--db", str(office), "--full", "--json"], capsys)
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["audit_entries"] > 0


def test_full_check_finds_a_rewritten_audit_entry(office, capsys):
    conn = sqlite3.connect(office)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET object_id = '99' WHERE seq = 2")
    conn.commit()
    conn.close()
    code, _, err = run(["check", "--db", str(office)], capsys)
    assert code == 0  # the file itself is sound
    code, _, err = run(["check", "--db", str(office), "--full"], capsys)
    assert code == EXIT_CHECK_FAILED and "操作日志第2条" in err


def test_check_of_a_damaged_file_fails_with_a_message(tmp_path, capsys):
    bad = tmp_path / "坏.db"
    bad.write_bytes(b"SQLite format 3\0" + b"\xff" * 5000)
    code, _, err = run(["check", "--db", str(bad)], capsys)
    assert code == EXIT_CHECK_FAILED and err.startswith("错误：") and "坏.db" in err
    code, _, err = run(["check", "--db", str(tmp_path / "无.db")], capsys)
    assert code == 2 and "不存在" in err


def test_backups_list_verify_and_thin(office, capsys, monkeypatch):
    db = connect(office)
    from govdesk.operations.context import Context

    made = ops.backup_now(Context(db)).path
    close(db)
    code, out, _ = run(["backups", "list", "--db", str(office), "--json"], capsys)
    rows = json.loads(out)
    assert code == 0 and [r["name"] for r in rows] == [made.name] and rows[0]["verified"]
    code, out, _ = run(["backups", "verify", made.name, "--db", str(office)], capsys)
    assert code == 0 and "校验通过" in out
    data = bytearray(made.read_bytes())
    data[-20] ^= 1
    made.write_bytes(bytes(data))
    code, _, err = run(["backups", "verify", made.name, "--db", str(office)], capsys)
    assert code == EXIT_CHECK_FAILED and "SHA-256" in err
    code, _, err = run(["backups", "thin", "--db", str(office)], capsys)
    assert code == 2 and "--user" in err
    code, out, _ = run(["backups", "thin", "--db", str(office), "--user", "clerk"], capsys)
    assert code == 2
    code, out, err = run(["backups", "thin", "--db", str(office), "--user", "admin"], capsys)
    assert code == 0 and "没有需要清理的备份" in out, err


def test_restore_as_admin_and_refusals(office, tmp_path, capsys):
    source = tmp_path / "copy.db"
    assert run(["backup", "--db", str(office), "-o", str(source)], capsys)[0] == 0
    code, _, err = run(["restore", str(source), "--db", str(office), "--user", "clerk"], capsys)
    assert code == 2 and "没有修改设置的权限" in err
    code, out, err = run(["restore", str(source), "--db", str(office), "--user", "admin"],
                         capsys)
    assert code == 0 and "已从 copy.db 恢复数据库" in out, err
    db = connect(office)
    assert [e for e in db.execute("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")] == [
        ("restore",)]
    close(db)
    conn = sqlite3.connect(source)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                 " VALUES ('govdesk', '9999_later', '2030-01-01')")
    conn.commit()
    conn.close()
    code, _, err = run(["restore", str(source), "--db", str(office), "--user", "admin"], capsys)
    assert code == 2 and "这个备份由更新版本的 govdesk 创建" in err


def test_restore_over_a_damaged_database_needs_no_account(office, tmp_path, capsys):
    source = tmp_path / "good.db"
    assert run(["backup", "--db", str(office), "-o", str(source)], capsys)[0] == 0
    office.write_bytes(b"\0" * 4096)
    code, out, err = run(["restore", str(source), "--db", str(office), "--json"], capsys)
    assert code == 0, err
    result = json.loads(out)
    assert result["moved_aside"] and result["pre_backup"] is None
    db = connect(office)
    assert db.execute("SELECT count(*) FROM notice").fetchone()[0] == 1
    close(db)
