"""`govdesk setup template|import` through govdesk.cli_setup, with a parser built the way
govdesk/cli.py builds its own (a ``common`` parent with --db and --json)."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from govdesk import cli
from govdesk.operations import auth
from govdesk.operations.context import Context
from govdesk.store import org_store
from govdesk.store.database import close, connect

ADMIN_PASSWORD = "云溪镇党政办-2025 春"


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """Through govdesk's own entry point, so the command's wiring is tested too."""
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def fill(path) -> None:
    wb = load_workbook(path)
    for ws in wb:
        ws.protection.sheet = False
    wb["乡镇信息"]["B2"] = "青山县云溪镇人民政府"
    wb["乡镇信息"]["B4"] = "91350100M000100Y43"
    wb["社区村"].append(["柳河村", "村"])
    wb["公开栏"]["A2"], wb["公开栏"]["B2"], wb["公开栏"]["C2"], wb["公开栏"]["E2"] = (
        "CW-01", "柳河村村务公开栏", "村务公开栏", "柳河村")
    wb["用户"]["B2"] = "孙立伟"
    wb["用户"]["A3"], wb["用户"]["B3"], wb["用户"]["C3"], wb["用户"]["D3"] = (
        "liuxin", "刘欣", "经办人", "党政办")
    wb.save(path)


def test_template_then_import(tmp_path, capsys):
    sheet = tmp_path / "设置.xlsx"
    code, out, _ = run(["setup", "template", "-o", str(sheet)], capsys)
    assert code == 0 and "已生成" in out and sheet.exists()
    fill(sheet)
    pw_file = tmp_path / "pw.txt"
    pw_file.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    db = tmp_path / "g.db"
    code, out, err = run(["setup", "import", str(sheet), "--db", str(db),
                          "--admin-password-file", str(pw_file)], capsys)
    assert code == 0, err
    assert "设置完成" in out and "liuxin" in out
    ctx = Context(connect(db))
    try:
        assert auth.sign_in(ctx, "admin", ADMIN_PASSWORD).name == "孙立伟"
        assert [c.name for c in org_store.list_communities(ctx.db)] == ["柳河村"]
    finally:
        close(ctx.db)
    assert ADMIN_PASSWORD not in out + err
    # A second import is refused: the database is not empty any more.
    code, _, err = run(["setup", "import", str(sheet), "--db", str(db),
                        "--admin-password-file", str(pw_file)], capsys)
    assert code == 2 and "已经设置过" in err


def test_json_output_carries_the_one_time_passwords(tmp_path, capsys):
    sheet = tmp_path / "s.xlsx"
    run(["setup", "template", "-o", str(sheet)], capsys)
    fill(sheet)
    pw_file = tmp_path / "pw.txt"
    pw_file.write_text(ADMIN_PASSWORD, encoding="utf-8")
    code, out, _ = run(["setup", "import", str(sheet), "--db", str(tmp_path / "g.db"), "--json",
                        "--admin-password-file", str(pw_file)], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["admin"] == "admin"
    assert [a["login"] for a in data["accounts"]] == ["liuxin"]
    assert len(data["accounts"][0]["password"]) == 12


def test_mistakes_are_listed_by_cell_with_exit_2_and_nothing_created(tmp_path, capsys):
    sheet = tmp_path / "s.xlsx"
    run(["setup", "template", "-o", str(sheet)], capsys)
    db = tmp_path / "g.db"
    pw_file = tmp_path / "pw.txt"
    pw_file.write_text(ADMIN_PASSWORD, encoding="utf-8")
    code, out, err = run(["setup", "import", str(sheet), "--db", str(db),
                          "--admin-password-file", str(pw_file)], capsys)
    assert code == 2
    assert "乡镇信息!B2（全称）" in err and "用户!B2（姓名）" in err
    assert not db.exists()  # refused before the database was even opened


def test_no_password_without_a_terminal(tmp_path, capsys, monkeypatch):
    sheet = tmp_path / "s.xlsx"
    run(["setup", "template", "-o", str(sheet)], capsys)
    fill(sheet)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _, err = run(["setup", "import", str(sheet), "--db", str(tmp_path / "g.db")], capsys)
    assert code == 2 and "--admin-password-file" in err


def test_a_weak_password_is_refused(tmp_path, capsys):
    sheet = tmp_path / "s.xlsx"
    run(["setup", "template", "-o", str(sheet)], capsys)
    fill(sheet)
    pw_file = tmp_path / "pw.txt"
    pw_file.write_text("12345678", encoding="utf-8")
    code, _, err = run(["setup", "import", str(sheet), "--db", str(tmp_path / "g.db"),
                        "--admin-password-file", str(pw_file)], capsys)
    assert code == 2 and "管理员密码" in err


def test_a_bad_file_is_a_user_error(tmp_path, capsys):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    code, _, err = run(["setup", "import", str(bad), "--db", str(tmp_path / "g.db")], capsys)
    assert code == 2 and "密码" in err
