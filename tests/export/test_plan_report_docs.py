"""The 落实情况 report as files, read back: the docx's paragraphs and appendix table (python-docx),
the PDF's text (pdfplumber), same bytes for the same report with ``invariant``."""

from __future__ import annotations

import io
from datetime import date

import docx
import pdfplumber
import pytest

from govdesk.core.annual_report import RegisterFigures
from govdesk.core.errors import UserError
from govdesk.core.implementation_report import TaskRecord, build_report
from govdesk.core.work_plan import Deadline, PlanSection, PlanTask, TaskState, WorkPlan
from govdesk.export.plan_report_docs import (
    plan_report_docx,
    plan_report_docx_bytes,
    plan_report_pdf,
    plan_report_pdf_bytes,
)

PLAN = WorkPlan(1, 2025, "云溪镇2025年政务公开工作实施方案")
SECTIONS = [PlanSection(1, 1, 1, "围绕民生改善推进公开"), PlanSection(2, 1, 2, "围绕扩大政务参与加强解读回应")]


def _task(tid, section, text, state=TaskState.DONE, reason="", owners=("党政办",)):
    return TaskRecord(PlanTask(tid, section, tid, text, Deadline(wording="长期坚持"), unit_ids=(1,),
                               state=state, reason=reason, owner_names=owners))


RECORDS = [_task(i, 1 + i % 2, f"第{i}项工作任务：推进重点领域信息公开，按月更新公开栏内容",
                 owners=("民政办", "各村（社区）")) for i in range(1, 25)]
RECORDS[3] = _task(4, 1, "推进农村危房改造信息公开", TaskState.NOT_DONE, "县级补助资金下达推迟",
                   owners=("城建办",))
FIGURES = RegisterFigures(hotline_received=68, hotline_closed=66, hotline_on_time=66,
                          hotline_channels=("51890热线",), opinions=5, opinions_closed=5)


@pytest.fixture
def report():
    return build_report(PLAN, SECTIONS, RECORDS, FIGURES, township="云溪镇",
                        issuer="青山县云溪镇人民政府", dated=date(2026, 1, 10))


def test_docx_paragraphs_and_appendix_table(report, tmp_path):
    path = tmp_path / "r.docx"
    plan_report_docx(report, path)
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[0] == "青山县云溪镇人民政府" or texts[0].startswith("云溪镇2025年")
    assert "一、概述" in texts and "二、实施措施" in texts
    assert "三、存在的主要问题及改进措施" in texts
    assert "（一）围绕民生改善推进公开" in texts
    assert "附件：2025年政务公开工作任务落实情况表" in texts
    assert "2026年1月10日" in texts
    assert "附件" in texts
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["工作任务", "责任单位", "完成情况"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert rows[0][0] == "一、围绕民生改善推进公开"  # merged section row
    outcomes = [r[2] for r in rows if not r[0].startswith(("一、", "二、"))]
    assert len(outcomes) == 24
    assert "未完成（原因：县级补助资金下达推迟）" in outcomes
    assert ["2. 推进农村危房改造信息公开", "城建办", "未完成（原因：县级补助资金下达推迟）"] in rows
    assert document.core_properties.subject == "政务公开工作实施方案落实情况"


def test_pdf_text_and_appendix_on_its_own_page(report, tmp_path):
    path = tmp_path / "r.pdf"
    pages = plan_report_pdf(report, path, invariant=True)
    with pdfplumber.open(str(path)) as pdf:
        assert len(pdf.pages) == pages >= 3
        texts = [(p.extract_text() or "").replace(" ", "") for p in pdf.pages]
    whole = "".join(texts)
    assert "云溪镇2025年政务公开工作实施方案" in texts[0] and "落实情况" in texts[0]
    assert "现将2025年政务公开工作实施方案落实情况汇报如下" in whole.replace("\n", "")
    assert "一、概述" in whole and "二、实施措施" in whole
    assert "办结率97%" in whole.replace("\n", "")
    first_appendix = next(i for i, t in enumerate(texts) if t.startswith("附件\n"))
    assert "2026年1月10日" in texts[first_appendix - 1]  # the closing before the appendix
    assert "工作任务" in texts[first_appendix] and "完成情况" in texts[first_appendix]
    assert "县级补助资金下达推迟" in "".join(texts[first_appendix:]).replace("\n", "")
    # the header row repeats on the appendix's next page
    if first_appendix + 1 < len(texts):
        assert "完成情况" in texts[first_appendix + 1]
    data, _ = plan_report_pdf_bytes(report, invariant=True)
    assert data == path.read_bytes()


def test_no_tasks_no_appendix_and_date_needed(report):
    empty = build_report(PLAN, SECTIONS, [], RegisterFigures(), township="云溪镇",
                         issuer="青山县云溪镇人民政府", dated=date(2026, 1, 10))
    document = docx.Document(io.BytesIO(plan_report_docx_bytes(empty)))
    assert not document.tables
    assert not any(p.text.startswith("附件") for p in document.paragraphs)
    undated = build_report(PLAN, SECTIONS, RECORDS, FIGURES, township="云溪镇")
    with pytest.raises(UserError, match="成文日期"):
        plan_report_pdf_bytes(undated)
