"""``govdesk --smoke-test`` (govdesk/smoke.py): real work in a scratch database, one PDF, one
xlsx, the main window offscreen; the user's own database is only ever read."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys

from govdesk.smoke import run_smoke_test


def _table_digest(path) -> dict[str, list]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
        # Virtual tables (the search index) are left out: their shadow tables hold the data.
        # Sorted, not ORDER BY rowid: some tables are WITHOUT ROWID.
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in tables}
    finally:
        conn.close()


def test_smoke_test_in_process_makes_a_pdf_and_an_xlsx(qapp, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    assert run_smoke_test(tmp_path / "scratch.db", out=out, err=err) == 0, err.getvalue()
    line = out.getvalue()
    assert "smoke test OK" in line
    assert "PDF 1 页" in line and "xlsx 台账" in line and "主窗口已打开并关闭" in line
    # A path that did not exist stays that way: the scratch database lives in a temp folder.
    assert not (tmp_path / "scratch.db").exists()
    assert os.listdir(tmp_path) == []


def test_an_existing_database_is_opened_as_a_copy_and_left_unchanged(qapp, ctx, users, db_path):
    before = _table_digest(db_path)
    out, err = io.StringIO(), io.StringIO()
    # ctx keeps the database open, as a running govdesk would.
    assert run_smoke_test(db_path, out=out, err=err) == 0, err.getvalue()
    assert "现有数据库可打开" in out.getvalue()
    assert _table_digest(db_path) == before


def test_a_damaged_database_fails_with_the_step_named(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not an SQLite file" * 100)
    out, err = io.StringIO(), io.StringIO()
    assert run_smoke_test(bad, out=out, err=err) == 1
    assert out.getvalue() == ""
    assert "smoke test FAILED" in err.getvalue() and "打开现有数据库的副本" in err.getvalue()


def test_a_windowed_build_without_stdout_and_stderr_still_reports_by_exit_status(
        tmp_path, monkeypatch):
    # PyInstaller's windowed (no console) Windows build sets both streams to None.
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"x" * 4096)
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert run_smoke_test(bad) == 1


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "govdesk", *args], capture_output=True,
                          text=True, env=env, stdin=subprocess.DEVNULL, timeout=300)


def test_cli_smoke_test_passes_and_does_not_create_the_database(tmp_path):
    target = tmp_path / "new.db"
    out = _cli("--smoke-test", "--db", str(target))
    assert out.returncode == 0, out.stderr
    assert "smoke test OK" in out.stdout
    assert not target.exists()


def test_cli_smoke_test_fails_on_a_damaged_database(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\0garbage" * 512)
    out = _cli("--smoke-test", "--db", str(bad))
    assert out.returncode != 0
    assert "smoke test FAILED" in out.stderr
