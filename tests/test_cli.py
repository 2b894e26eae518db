"""The command line, run as a real process on real files."""

import json
import os
import subprocess
import sys

import pytest

PY = [sys.executable, "-m", "govdesk"]


def run(args, env_extra=None, check=True):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env_extra or {})}
    out = subprocess.run(PY + args, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    if check and out.returncode != 0:
        raise AssertionError(out.stderr)
    return out


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    out = run(["demo", "--db", str(path), "--password", "Demo-pass-2025", "--json"])
    return path, json.loads(out.stdout)


def test_version():
    assert run(["--version"]).stdout.startswith("govdesk ")


def test_demo_prints_accounts_for_every_role(demo_db):
    _path, accounts = demo_db
    roles = {a["role"] for a in accounts}
    assert roles == {"admin", "clerk", "unit_head", "secrecy_officer", "deputy_leader",
                     "principal_leader"}
    assert all(a["login"] and a["name"] for a in accounts)


def test_list_search_and_stats_json(demo_db):
    path, _ = demo_db
    rows = json.loads(run(["notices", "list", "--db", str(path), "--json", "--search", "低保"]).stdout)
    assert rows
    assert set(rows[0]) >= {"id", "index_number", "title", "category", "unit", "status"}
    stats = json.loads(run(["stats", "--db", str(path), "--year", "2026", "--json"]).stdout)
    assert stats["items"] > 0 and sum(stats["by_channel"].values()) == stats["total"]


def test_users_add_needs_admin_password_from_environment(tmp_path):
    db = str(tmp_path / "u.db")
    run(["users", "add", "admin", "--name", "管理员", "--role", "管理员", "--db", db],
        {"GOVDESK_NEW_PASSWORD": "Admin-pass-2025"})
    out = run(["users", "add", "liuxin", "--name", "刘欣", "--role", "clerk", "--unit", "党政办",
               "--user", "admin", "--db", db, "--json"],
              {"GOVDESK_PASSWORD": "wrong-password", "GOVDESK_NEW_PASSWORD": "Clerk-pass-2025"},
              check=False)
    assert out.returncode != 0 and "用户名或密码错误" in out.stderr
    out = run(["users", "add", "liuxin", "--name", "刘欣", "--role", "clerk", "--unit", "党政办",
               "--user", "admin", "--db", db, "--json"],
              {"GOVDESK_PASSWORD": "Admin-pass-2025", "GOVDESK_NEW_PASSWORD": "Clerk-pass-2025"})
    assert json.loads(out.stdout)["role"] == "clerk"


def test_notices_add_import_and_list(tmp_path):
    db = str(tmp_path / "n.db")
    env = {"GOVDESK_NEW_PASSWORD": "Admin-pass-2025", "GOVDESK_PASSWORD": "Admin-pass-2025"}
    run(["users", "add", "admin", "--name", "管理员", "--role", "admin", "--db", db], env)
    body = tmp_path / "body.txt"
    body.write_text("一、预算情况\n2025年全镇一般公共预算收入3200万元。", encoding="utf-8")
    out = run(["notices", "add", "--title", "云溪镇2025年财政预算公开", "--body-file", str(body),
               "--category", "财政资金", "--unit", "财政所", "--formed-on", "2025-03-03",
               "--user", "admin", "--db", db, "--json"], env)
    notice = json.loads(out.stdout)
    assert notice["title"] == "云溪镇2025年财政预算公开"
    assert notice["status"] == "草稿" and notice["publish_due"] == "2025-03-31"
    # Import: all-or-nothing with every bad row listed.
    bad = tmp_path / "bad.csv"
    bad.write_text("标题,类别,责任单位,形成日期\n好的一行,财政资金,财政所,2025-03-01\n"
                   ",不存在,财政所,2025-13-01\n", encoding="utf-8-sig")
    out = run(["notices", "import", str(bad), "--user", "admin", "--db", db], env, check=False)
    assert out.returncode == 2
    assert "第 3 行“标题”" in out.stderr and "第 3 行“类别”" in out.stderr
    assert "第 3 行“形成日期”" in out.stderr
    rows = json.loads(run(["notices", "list", "--db", db, "--json"]).stdout)
    assert len(rows) == 1
    good = tmp_path / "good.csv"
    good.write_text("标题,类别,责任单位,形成日期,公开方式\n"
                    "关于柳河村低保的公示,社会救助,民政办,2025-03-01,公开栏、门户网站\n"
                    "=cmd|' /C calc'!A0,新闻发布,党政办,2025-03-02,微信公众号\n",
                    encoding="gb18030")
    first = json.loads(run(["notices", "import", str(good), "--user", "admin", "--db", db,
                            "--json"], env).stdout)
    again = json.loads(run(["notices", "import", str(good), "--user", "admin", "--db", db,
                            "--json"], env).stdout)
    assert first == {"created": 2, "skipped": 0} and again == {"created": 0, "skipped": 2}
    rows = json.loads(run(["notices", "list", "--db", db, "--json", "--search", "低保"]).stdout)
    assert [r["channels"] for r in rows] == [["公开栏", "门户网站"]]


def test_errors_are_chinese_on_stderr_with_nonzero_exit(tmp_path):
    out = run(["notices", "add", "--title", "x", "--category", "财政资金", "--unit", "财政所",
               "--db", str(tmp_path / "e.db")], check=False)
    assert out.returncode == 2 and out.stderr.startswith("错误：")


def test_smoke_test_opens_the_window_offscreen(tmp_path):
    out = run(["--smoke-test", "--db", str(tmp_path / "s.db")])
    assert out.returncode == 0
