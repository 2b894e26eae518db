"""`govdesk audit verify` and `govdesk audit check-code`, run as real processes on copies of a
demo database (password from the environment, never an argument)."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest

PY = [sys.executable, "-m", "govdesk"]
DEMO_PASSWORD = "Demo-pass-2025"
ADMIN_ENV = {"GOVDESK_USER": "admin", "GOVDESK_PASSWORD": DEMO_PASSWORD}


def run(args, env_extra=None):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env_extra or {})}
    for name in ("GOVDESK_USER", "GOVDESK_PASSWORD"):
        if name not in (env_extra or {}):
            env.pop(name, None)
    return subprocess.run(PY + args, capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-audit") / "demo.db"
    out = run(["demo", "--db", str(path), "--password", DEMO_PASSWORD, "--json"])
    assert out.returncode == 0, out.stderr
    accounts = json.loads(out.stdout)
    admin = next(a["login"] for a in accounts if a["role"] == "admin")
    clerk = next(a["login"] for a in accounts if a["role"] == "clerk")
    return path, admin, clerk


def _copy(src, dst, *tamper):
    """A consistent copy through the backup API, then raw edits with the triggers dropped."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    conn = sqlite3.connect(dst)
    if tamper:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("DROP TRIGGER audit_log_no_delete")
        for sql in tamper:
            conn.execute(sql)
        conn.commit()
    conn.close()
    return dst


def _env(login):
    return {**ADMIN_ENV, "GOVDESK_USER": login}


def test_verify_intact_log_exits_zero_with_json_and_text(demo, tmp_path):
    path, admin, _ = demo
    db = str(_copy(path, tmp_path / "ok.db"))
    out = run(["audit", "verify", "--db", db, "--json"], _env(admin))
    assert out.returncode == 0, out.stderr
    verdict = json.loads(out.stdout)
    assert set(verdict) == {"ok", "entries", "first_bad_seq", "head_code", "message"}
    assert verdict["ok"] is True and verdict["first_bad_seq"] is None and verdict["entries"] > 100
    assert len(verdict["head_code"]) == 12
    text = run(["audit", "verify", "--db", db], _env(admin))
    assert text.returncode == 0 and text.stdout.startswith("操作日志完整")
    check = run(["audit", "check-code", verdict["head_code"].lower(), "--db", db, "--json"],
                _env(admin))
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout)["found"] is True


def test_verify_tampered_log_exits_three_naming_the_entry(demo, tmp_path):
    path, admin, _ = demo
    db = str(_copy(path, tmp_path / "bad.db",
                   "UPDATE audit_log SET action = 'delete' WHERE seq = 10"))
    out = run(["audit", "verify", "--db", db, "--json"], _env(admin))
    assert out.returncode == 3, out.stderr
    verdict = json.loads(out.stdout)
    assert verdict["ok"] is False and verdict["first_bad_seq"] == 10
    assert "操作日志第10条" in verdict["message"]
    text = run(["audit", "verify", "--db", db], _env(admin))
    assert text.returncode == 3 and "从这一条起的记录不可信" in text.stdout


def test_truncation_passes_verify_but_the_printed_code_does_not(demo, tmp_path):
    path, admin, _ = demo
    src = _copy(path, tmp_path / "before.db")
    conn = sqlite3.connect(src)
    (printed,) = conn.execute("SELECT entry_hash FROM audit_log ORDER BY seq DESC").fetchone()
    conn.close()
    db = str(_copy(src, tmp_path / "cut.db",
                   "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)"))
    assert run(["audit", "verify", "--db", db], _env(admin)).returncode == 0
    out = run(["audit", "check-code", printed[:12], "--db", db], _env(admin))
    assert out.returncode == 3
    assert out.stdout.strip() == (f"校验码 {printed[:12].upper()} 与操作日志不符："
                                  "打印之后日志可能被截断或改写。")


def test_non_admin_and_bad_input_are_user_errors(demo, tmp_path):
    path, admin, clerk = demo
    db = str(_copy(path, tmp_path / "perm.db"))
    out = run(["audit", "verify", "--db", db], _env(clerk))
    assert out.returncode == 2 and "没有查看和校验操作日志的权限" in out.stderr
    out = run(["audit", "check-code", "not-a-code", "--db", db], _env(admin))
    assert out.returncode == 2 and "12 位" in out.stderr
    out = run(["audit", "verify", "--db", db], {"GOVDESK_USER": admin})
    assert out.returncode == 2 and "GOVDESK_PASSWORD" in out.stderr
