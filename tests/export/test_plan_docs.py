"""The plan's files read back: PDF text (title, table, header repeated on page 2 of a long
plan), xlsx cells (openpyxl) and docx table cells (python-docx)."""

from __future__ import annotations

import io
from datetime import date

import docx
import openpyxl
import pdfplumber
import pytest

from govdesk.core.work_plan import (
    Deadline,
    PlanSection,
    PlanTask,
    TaskState,
    WorkPlan,
    plan_document,
)
from govdesk.export.plan_docs import plan_docx, plan_pdf_bytes, plan_xlsx

LONG = ("公开我镇低保、优抚、重度残疾人等困难群体救助金发放情况、发放人数及发放标准；"
        "及时发布灾情、救灾工作进展及救灾物资调拨使用等情况。")


def document(tasks_per_section: int):
    plan = WorkPlan(1, 2026, "青山镇2026年政务公开工作实施方案",
                    "为进一步推动政务公开工作，结合我镇实际，特制订本方案。", date(2026, 2, 21))
    sections = [PlanSection(1, 1, 1, "围绕深化改革推进公开"), PlanSection(2, 1, 2, "围绕民生改善推进公开")]
    tasks = []
    for s in sections:
        for k in range(tasks_per_section):
            tasks.append(PlanTask(
                len(tasks) + 1, s.id, k + 1, f"第{s.id}板块任务{k + 1}：{LONG}",
                Deadline(on=date(2026, 6, 30)) if k % 2 else Deadline(wording="长期坚持"),
                owner_names=("党政办", "民政办"), all_communities=k == 0,
                state=TaskState.DONE if k == 1 else TaskState.NOT_STARTED))
    return plan_document(plan, sections, tasks, issuer="青山镇人民政府")


def pages_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(p.extract_text() or "").replace(" ", "") for p in pdf.pages]


def test_pdf_has_title_table_and_closing():
    data, pages = plan_pdf_bytes(document(1), invariant=True)
    assert pages == 1
    text = pages_text(data)[0]
    for expected in ("青山镇2026年政务公开工作实施方案", "工作任务", "责任部门", "完成时限",
                     "一、围绕深化改革推进公开", "二、围绕民生改善推进公开", "党政办、民政办",
                     "长期坚持", "青山镇人民政府", "2026年2月21日"):
        assert expected in text, expected
    assert "救灾物资调拨使用等情况。" in text.replace("\n", "")  # wrapped in its cell, not cut
    assert plan_pdf_bytes(document(1), invariant=True)[0] == data  # reproducible


def test_long_plan_repeats_the_header_row_on_every_page():
    data, pages = plan_pdf_bytes(document(8), invariant=True)
    assert pages >= 3
    texts = pages_text(data)
    for page in texts[1:]:
        head = page.splitlines()[0]
        assert ("工作任务" in head and "责任部门" in head and "完成时限" in head), head
    assert "第2板块任务8" in "".join(texts)


def test_xlsx_read_back(tmp_path):
    path = tmp_path / "plan.xlsx"
    plan_xlsx(document(2), path)
    ws = openpyxl.load_workbook(path).active
    rows = [[c for c in r] for r in ws.iter_rows(values_only=True) if any(r)]
    header = next(r for r in rows if r[0] == "序号")
    assert header == ["序号", "板块", "工作任务", "责任部门", "完成时限", "状态"]
    data = rows[rows.index(header) + 1:]
    assert [r[0] for r in data] == ["1.1", "1.2", "2.1", "2.2"]
    assert data[0][1:] == ["一、围绕深化改革推进公开", f"第1板块任务1：{LONG}",
                           "党政办、民政办、各村（社区）", "长期坚持", "未开始"]
    assert data[1][4:] == ["2026年6月30日", "已完成"]
    assert rows[0][0] == "青山镇2026年政务公开工作实施方案"


def test_docx_read_back(tmp_path):
    path = tmp_path / "plan.docx"
    plan_docx(document(2), path)
    d = docx.Document(str(path))
    paragraphs = [p.text for p in d.paragraphs]
    assert "青山镇2026年政务公开工作实施方案" in "".join(paragraphs)
    assert "青山镇人民政府" in paragraphs and "2026年2月21日" in paragraphs
    table = d.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["工作任务", "责任部门", "完成时限"]
    assert cells[1] == ["一、围绕深化改革推进公开"] * 3  # merged across the row
    assert cells[2] == [f"1. 第1板块任务1：{LONG}", "党政办、民政办、各村（社区）", "长期坚持"]
    assert cells[3][2] == "2026年6月30日" and len(cells) == 1 + 2 * 3
    assert table.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None


@pytest.mark.parametrize("n", [0])
def test_empty_plan_prints_title_only(n):
    doc = document(n)
    data, pages = plan_pdf_bytes(doc, invariant=True)
    assert pages == 1 and "青山镇2026年政务公开工作实施方案" in pages_text(data)[0]
