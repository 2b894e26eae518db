"""govdesk registers import|stats|export|template through govdesk.cli.main, on a real database."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook, load_workbook

from govdesk.cli import build_parser, main
from govdesk.core.registers import RegisterKind
from govdesk.operations import registers as ops
from tests.conftest import PASSWORD


@pytest.fixture
def db(ctx, users, db_path, monkeypatch):
    monkeypatch.setenv("GOVDESK_PASSWORD", PASSWORD)
    monkeypatch.delenv("GOVDESK_USER", raising=False)
    return str(db_path)


def _hotline_sheet(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["受理日期", "渠道", "事项", "承办单位", "办结日期", "办理时限"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return str(path)


def test_template_import_stats_export(db, tmp_path, capsys, ctx):
    template = tmp_path / "模板.xlsx"
    assert main(["registers", "template", "hotline", "-o", str(template)]) == 0
    assert load_workbook(template).active["A1"].value == "受理日期"
    assert "导入模板" in capsys.readouterr().out

    rows = [["2024-03-04", "51890热线", f"来访件{i}", "党政办",
             "2024-03-06" if i < 66 else None, None] for i in range(68)]
    sheet = _hotline_sheet(tmp_path / "51890.xlsx", rows)
    assert main(["registers", "import", "舆情热线", sheet, "--db", db, "--user", "clerk",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "register": "舆情与热线", "file": sheet, "created": 68, "skipped": 0}

    assert main(["registers", "stats", "hotline", "--year", "2024", "--json", "--db", db]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["received"], out["closed"], out["closure_rate_text"]) == (68, 66, "97%")
    assert out["closure_rate"] == 97.1 and out["on_time_rate_text"] == "100%"
    assert out["by_channel"]["51890热线"]["received"] == 68
    assert out["by_channel"]["12345热线"]["closure_rate"] is None  # no cases: null, not 0
    assert out["by_channel"]["12345热线"]["closure_rate_text"] == "—"

    assert main(["registers", "stats", "舆情与热线", "--year", "2024", "--quarter", "2",
                 "--db", db]) == 0
    assert "办结率—" in capsys.readouterr().out

    target = tmp_path / "导出.xlsx"
    assert main(["registers", "export", "hotline", "--year", "2024", "-o", str(target),
                 "--db", db]) == 0
    assert load_workbook(target).active.max_row == 3 + 68


def test_an_import_with_errors_names_rows_and_changes_nothing(db, tmp_path, capsys, ctx):
    sheet = _hotline_sheet(tmp_path / "bad.xlsx", [
        ["2024-03-04", "12345热线", "a", "党政办", None, None],
        ["2024-03-04", "热线电话", "b", "党政办", None, None],
        ["2024-03-04", "12345热线", "c", "党政办", "2024-03-01", None]])
    assert main(["registers", "import", "hotline", sheet, "--db", db, "--user", "clerk"]) == 2
    err = capsys.readouterr().err
    assert "未导入任何数据" in err
    assert "第 3 行 B 列“渠道”" in err and "第 4 行 E 列“办结日期”" in err
    assert ops.list_records(ctx, RegisterKind.HOTLINE) == []


def test_kinds_and_meeting_stats(db, capsys, ctx):
    assert main(["registers", "stats", "信访", "--year", "2024", "--db", db]) == 2
    assert "可选" in capsys.readouterr().err
    for kind in ("政策解读", "proposal", "培训会议"):
        assert main(["registers", "stats", kind, "--year", "2024", "--json", "--db", db]) == 0
        assert json.loads(capsys.readouterr().out)["total"] == 0


def test_the_parser_knows_the_commands():
    args = build_parser().parse_args(["registers", "stats", "hotline", "--year", "2025",
                                      "--month", "3"])
    assert (args.kind, args.year, args.month, args.quarter) == ("hotline", 2025, 3, None)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["registers", "stats", "hotline", "--year", "2025",
                                   "--month", "3", "--quarter", "1"])
