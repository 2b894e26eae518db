"""`govdesk plan show|export|copy` through govdesk.cli.main on a real database."""

from __future__ import annotations

import json
from datetime import date

import docx
import openpyxl
import pytest
from conftest import PASSWORD

from govdesk import cli
from govdesk.core.work_plan import Deadline, TaskInput, TaskState
from govdesk.operations import work_plan as ops


@pytest.fixture
def plan(ctx, users, org):
    p = ops.create_plan(ctx, 2025, "青山镇2025年政务公开工作实施方案", "结合我镇实际，特制订本方案。")
    s = ops.add_section(ctx, p.id, "围绕民生改善推进公开")
    t1 = ops.add_task(ctx, s.id, TaskInput("公开低保救助金发放情况", Deadline(on=date(2025, 10, 31)),
                                           unit_ids=(2,)))
    ops.add_task(ctx, s.id, TaskInput("回应社会关切", Deadline(wording="长期坚持"), all_units=True))
    ops.set_task_state(ctx, t1.id, TaskState.IN_PROGRESS)
    return p


def test_show_json_and_text(plan, db_path, capsys):
    assert cli.main(["plan", "show", "2025", "--db", str(db_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["title"] == "青山镇2025年政务公开工作实施方案"
    tasks = out["sections"][0]["tasks"]
    assert [(t["text"], t["responsible"], t["deadline"], t["state"], t["overdue"])
            for t in tasks] == [
        ("公开低保救助金发放情况", "民政办", "2025年10月31日", "推进中", True),
        ("回应社会关切", "各部门", "长期坚持", "未开始", False)]
    assert cli.main(["plan", "show", "2025年", "--db", str(db_path)]) == 0
    text = capsys.readouterr().out
    assert "一、围绕民生改善推进公开" in text and "（已逾期）" in text


def test_show_missing_year_is_a_user_error(plan, db_path, capsys):
    assert cli.main(["plan", "show", "2030", "--db", str(db_path)]) == cli.EXIT_USER_ERROR
    assert "还没有2030年" in capsys.readouterr().err


def test_export_each_format(plan, db_path, tmp_path, capsys):
    for name in ("方案.xlsx", "方案.docx", "方案.pdf"):
        target = tmp_path / name
        assert cli.main(["plan", "export", "2025", "-o", str(target), "--db", str(db_path)]) == 0
        assert target.stat().st_size > 0
    assert "共 1 页" in capsys.readouterr().out
    ws = openpyxl.load_workbook(tmp_path / "方案.xlsx").active
    assert any("公开低保救助金发放情况" in (c or "") for r in ws.iter_rows(values_only=True)
               for c in r if isinstance(c, str))
    assert docx.Document(str(tmp_path / "方案.docx")).tables[0].rows[2].cells[1].text == "民政办"
    assert cli.main(["plan", "export", "2025", "-o", str(tmp_path / "x.txt"),
                     "--db", str(db_path)]) == cli.EXIT_USER_ERROR


def test_copy_signs_in_and_copies(plan, db_path, monkeypatch, capsys):
    monkeypatch.setenv("GOVDESK_PASSWORD", PASSWORD)
    assert cli.main(["plan", "copy", "2025", "2026", "--user", "clerk", "--db", str(db_path),
                     "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "year": 2026, "title": "青山镇2026年政务公开工作实施方案", "sections": 1, "tasks": 2}
    assert cli.main(["plan", "copy", "2025", "2026", "--user", "clerk",
                     "--db", str(db_path)]) == cli.EXIT_USER_ERROR
    # a leader may not write the plan
    assert cli.main(["plan", "copy", "2025", "2027", "--user", "leader",
                     "--db", str(db_path)]) == cli.EXIT_USER_ERROR
    assert "没有" in capsys.readouterr().err


def test_report_docx_and_pdf(plan, db_path, tmp_path, capsys):
    import pdfplumber

    target = tmp_path / "落实情况.docx"
    assert cli.main(["plan", "report", "2025", "-o", str(target), "--db", str(db_path)]) == 0
    assert "已导出2025年政务公开工作实施方案落实情况报告" in capsys.readouterr().out
    document = docx.Document(str(target))
    assert any(p.text == "二、实施措施" for p in document.paragraphs)
    assert [c.text for c in document.tables[-1].rows[0].cells] == ["工作任务", "责任单位", "完成情况"]
    pdf = tmp_path / "落实情况.pdf"
    assert cli.main(["plan", "report", "2025", "-o", str(pdf), "--db", str(db_path),
                     "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["title"] == "青山镇2025年政务公开工作实施方案落实情况" and out["tasks"] == 2
    assert out["texts"] == {"overview": "draft", "measures": "draft", "problems": "draft"}
    with pdfplumber.open(str(pdf)) as doc:
        assert len(doc.pages) == out["pages"]
        assert "落实情况" in (doc.pages[0].extract_text() or "")


def test_report_refuses_other_formats_and_missing_years(plan, db_path, tmp_path, capsys):
    bad = ["plan", "report", "2025", "-o", str(tmp_path / "r.xlsx"), "--db", str(db_path)]
    assert cli.main(bad) == cli.EXIT_USER_ERROR
    assert ".docx（Word）或 .pdf" in capsys.readouterr().err
    missing = ["plan", "report", "2030", "-o", str(tmp_path / "r.docx"), "--db", str(db_path)]
    assert cli.main(missing) == cli.EXIT_USER_ERROR
    assert "还没有2030年" in capsys.readouterr().err
