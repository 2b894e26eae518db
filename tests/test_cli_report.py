"""`govdesk report annual YEAR -o FILE` and `govdesk report check YEAR` on a real database: the
files by extension, sign-in, and the exit codes (0 balanced, 6 unbalanced, 2 usage errors)."""

from __future__ import annotations

import json

import docx
import pytest
from conftest import PASSWORD

from govdesk import cli
from govdesk.core.org import Township
from govdesk.operations import annual_report as ops
from govdesk.store import org_store


@pytest.fixture
def signed(monkeypatch):
    monkeypatch.setenv("GOVDESK_USER", "clerk")
    monkeypatch.setenv("GOVDESK_PASSWORD", PASSWORD)


def add_request(ctx, number, kind, received, closed=None, outcome=None):
    ctx.db.execute(
        "INSERT INTO request (number, year, seq, channel, submitted_on, received_on,"
        " applicant_kind, applicant_name, content, outcome, closed_on, created_at, updated_at)"
        " VALUES (?, ?, ?, '当面', ?, ?, ?, '申请人', '某信息', ?, ?, 'x', 'x')",
        [number, int(received[:4]), int(number[1:]), received, received, kind, outcome, closed])


@pytest.fixture
def data(ctx, users):
    org_store.update_township(ctx.db, Township("青山县云溪镇人民政府", "云溪镇"))
    add_request(ctx, "R1", "自然人", "2024-12-20")
    add_request(ctx, "R2", "商业企业", "2025-03-01", "2025-03-20", "1")
    return ctx


def test_check_balanced_text_and_json(data, db_path, capsys):
    assert cli.main(["report", "check", "2025", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out == "表三勾稽关系正确\n"
    assert cli.main(["report", "check", "2025年", "--db", str(db_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"year": 2025, "balanced": True,
                                                   "problems": []}


def test_unbalanced_report_check_and_refused_export(data, db_path, tmp_path, signed, capsys):
    ops.save_report_figures(data, 2024, {"carry_forward": [2, 0, 0, 0, 0, 0, 2]})
    assert cli.main(["report", "check", "2025", "--db", str(db_path)]) == cli.EXIT_UNBALANCED == 6
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["表三“自然人”列：二、上年结转（1）≠ 上年报告四、结转下年度继续办理（2）",
                     "表三“总计”列：二、上年结转（1）≠ 上年报告四、结转下年度继续办理（2）"]
    assert cli.main(["report", "check", "2025", "--db", str(db_path), "--json"]) == 6
    out = json.loads(capsys.readouterr().out)
    assert out["balanced"] is False and out["problems"][0]["cells"] == [
        {"table": "表三", "row": "CARRIED", "column": "PERSON"}]

    target = tmp_path / "年报.docx"
    assert cli.main(["report", "annual", "2025", "-o", str(target), "--db", str(db_path)]) == 6
    err = capsys.readouterr().err
    assert err.startswith("错误：2025年度报告表三勾稽关系不符") and lines[0] in err
    assert not target.exists()

    target = tmp_path / "年报.json"
    assert cli.main(["report", "annual", "2025", "-o", str(target), "--db", str(db_path)]) == 0
    captured = capsys.readouterr()
    assert "已导出2025年政府信息公开工作年度报告" in captured.out
    assert "表三勾稽关系有 2 处不符" in captured.err
    assert len(json.loads(target.read_text("utf-8"))["problems"]) == 2


def test_annual_docx_and_pdf(data, db_path, tmp_path, signed, capsys):
    target = tmp_path / "年报.docx"
    assert cli.main(["report", "annual", "2025", "-o", str(target), "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.strip() == f"已导出2025年政府信息公开工作年度报告到 {target}"
    tables = docx.Document(str(target)).tables
    assert [tables[1].cell(4, 3 + c).text for c in range(7)] == ["1", "0", "0", "0", "0", "0", "1"]

    target = tmp_path / "年报.pdf"
    assert cli.main(["report", "annual", "2025", "-o", str(target), "--db", str(db_path),
                     "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["format"] == "pdf" and out["pages"] >= 3 and out["problems"] == []
    assert target.read_bytes().startswith(b"%PDF")


def test_usage_errors(data, db_path, tmp_path, signed, capsys, monkeypatch):
    assert cli.main(["report", "annual", "2025", "-o", str(tmp_path / "r.xlsx"),
                     "--db", str(db_path)]) == cli.EXIT_USER_ERROR
    assert "只能导出为 .docx" in capsys.readouterr().err
    assert cli.main(["report", "check", "二〇二五", "--db", str(db_path)]) == cli.EXIT_USER_ERROR
    monkeypatch.delenv("GOVDESK_USER")
    assert cli.main(["report", "annual", "2025", "-o", str(tmp_path / "r.json"),
                     "--db", str(db_path)]) == cli.EXIT_USER_ERROR
    assert "--user" in capsys.readouterr().err
    assert cli.main(["report", "annual", "2025", "-o", str(tmp_path / "r.json"),
                     "--user", "head", "--db", str(db_path)]) == cli.EXIT_USER_ERROR
    assert "没有编写政府信息公开年度报告的权限" in capsys.readouterr().err
