"""保密审查汇总表 on a real database built through the operations, written to real files and read
back (openpyxl, pypdf): rows, order, conclusions, totals, the month's bounds in local time, no
personal information anywhere, the layout of a multi-page PDF, refusals."""

from __future__ import annotations

import json
import os
import re
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import approve_all, as_user, notice_input
from openpyxl import load_workbook
from pypdf import PdfReader

from govdesk.core.approvals import Decision, Stage
from govdesk.core.errors import PermissionDenied, UserError
from govdesk.core.org import Role
from govdesk.operations import approvals, screening
from govdesk.operations import notices as notice_ops
from govdesk.operations import secrecy_report as report
from govdesk.operations.context import PERMISSIONS
from govdesk.store import audit_store

ID_NUMBER = "11010519491231002X"
ID_MASKED = "110105********002X"
PASS_REASON = "本人书面同意公开，见附件"
HEADER = list(report.HEADERS)


def at(clock, *args: int) -> None:
    clock.now = datetime(*args, tzinfo=UTC)


def tick(clock, minutes: int = 1) -> None:
    clock.now = clock.now + timedelta(minutes=minutes)


def to_secrecy(ctx, users, title: str, **overrides):
    """A notice submitted and approved by the unit head: waiting for 保密审查."""
    n = notice_ops.create_notice(ctx, notice_input(ctx, title=title, **overrides))
    slip = approvals.submit_for_approval(ctx, n.id)
    slip = approvals.decide(as_user(ctx, users[Role.UNIT_HEAD]), slip.id, Decision.APPROVE)
    assert slip.current_stage is Stage.SECRECY
    return slip


def secrecy(ctx, users):
    return as_user(ctx, users[Role.SECRECY_OFFICER])


@pytest.fixture
def month(ctx, users, org, clock):
    """October: one approval (must not show). November: a straight approval, a 不同意, a
    退回修改, a pass with reason then 同意, a paper 同意. December: one approval (must not show).
    Returns the November slip numbers in decision order."""
    from govdesk.core.org import Township
    from govdesk.operations import org as org_ops

    org_ops.update_township(as_user(ctx, users[Role.ADMIN]),
                            Township(full_name="青山县柳河镇人民政府", short_name="柳河镇"))
    at(clock, 2025, 10, 15, 3, 0)
    approve_all(ctx, users, notice_ops.create_notice(ctx, notice_input(ctx, title="十月的公示")).id)

    at(clock, 2025, 11, 5, 2, 0)
    straight = approve_all(ctx, users,
                           notice_ops.create_notice(ctx, notice_input(ctx, title="直接通过的公示")).id)
    tick(clock)
    rejected = to_secrecy(ctx, users, "涉及内部事项的通知", doc_number="柳政发〔2025〕8号")
    tick(clock)
    approvals.decide(secrecy(ctx, users), rejected.id, Decision.REJECT, "涉及工作秘密，不予公开")
    tick(clock)
    returned = to_secrecy(ctx, users, "需要修改的公示")
    tick(clock)
    approvals.decide(secrecy(ctx, users), returned.id, Decision.RETURN, "请删去家庭住址后重新提交")
    tick(clock)
    body = f"经审核，现予以公示。\n姓名|身份证号\n王*明|{ID_NUMBER}\n"
    passed = to_secrecy(ctx, users, "依申请人同意公开的公示", body=body)
    findings = screening.screen_notice(ctx, passed.notice.id)
    assert [f.finding.kind.value for f in findings] == ["身份证号"]
    tick(clock)
    screening.pass_finding(secrecy(ctx, users), passed.id, findings[0].finding.fingerprint,
                           PASS_REASON)
    tick(clock)
    approvals.decide(secrecy(ctx, users), passed.id, Decision.APPROVE)
    tick(clock)
    paper = to_secrecy(ctx, users, "纸质签批的公示")
    at(clock, 2025, 11, 7, 2, 0)  # the clerk enters on the 7th what was signed on the 6th
    approvals.record_paper_decision(as_user(ctx, users[Role.CLERK]), paper.id,
                                    signer_id=users[Role.SECRECY_OFFICER].id,
                                    decision=Decision.APPROVE, opinion="同意公开",
                                    signed_on=date(2025, 11, 6))

    at(clock, 2025, 12, 10, 3, 0)
    approve_all(ctx, users, notice_ops.create_notice(ctx, notice_input(ctx, title="十二月的公示")).id)
    at(clock, 2025, 12, 12, 3, 0)
    return [straight.number, rejected.number, returned.number, passed.number, paper.number]


def test_rows_order_conclusions_and_totals(ctx, month):
    s = report.secrecy_summary(ctx, 2025, 11)
    assert [r.seq for r in s.rows] == [1, 2, 3, 4, 5]
    assert [r.slip_number for r in s.rows] == month
    assert [r.title for r in s.rows] == ["直接通过的公示", "涉及内部事项的通知", "需要修改的公示",
                                         "依申请人同意公开的公示", "纸质签批的公示"]
    assert [r.conclusion for r in s.rows] == ["可以公开", "不予公开", "退回修改", "可以公开",
                                              "可以公开"]
    assert [r.opinion for r in s.rows] == ["同意", "涉及工作秘密，不予公开",
                                           "请删去家庭住址后重新提交", "同意", "同意公开"]
    assert {r.reviewer for r in s.rows} == {"孙丽"}
    assert [r.paper for r in s.rows] == [False, False, False, False, True]
    # The paper slip shows the date written on it; the others the local date of the decision.
    assert [r.reviewed_on for r in s.rows] == [date(2025, 11, 5)] * 4 + [date(2025, 11, 6)]
    assert s.rows[1].doc_number == "柳政发〔2025〕8号"
    assert all(r.unit for r in s.rows)
    assert [r.findings for r in s.rows] == ["无", "无", "无", f"身份证号1处（放行：{PASS_REASON}）",
                                            "无"]
    assert (s.total, s.approved, s.returned, s.rejected, s.passes) == (5, 3, 1, 1, 1)
    assert s.totals_text() == ("审查总数 5 件，其中可以公开 3 件，退回修改 1 件，不予公开 1 件；"
                               "放行 1 条")
    # The other months hold only their own decision.
    assert [r.title for r in report.secrecy_summary(ctx, 2025, 10).rows] == ["十月的公示"]
    assert [r.title for r in report.secrecy_summary(ctx, 2025, 12).rows] == ["十二月的公示"]
    assert report.secrecy_summary(ctx, 2025, 9).rows == ()


def test_month_bounds_follow_local_time(ctx, users, org, clock, monkeypatch):
    """Beijing time is the PC's time: 2025-11-30 17:00 UTC is 1 December 01:00 there."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert report.month_bounds_utc(2025, 12) == ("2025-11-30T16:00:00+00:00",
                                                     "2025-12-31T16:00:00+00:00")
        at(clock, 2025, 10, 31, 16, 30)  # 1 November 00:30 in Beijing
        early = to_secrecy(ctx, users, "十一月一日凌晨审查")
        approvals.decide(secrecy(ctx, users), early.id, Decision.APPROVE)
        at(clock, 2025, 11, 30, 17, 0)  # 1 December 01:00 in Beijing
        late = to_secrecy(ctx, users, "十二月一日凌晨审查")
        approvals.decide(secrecy(ctx, users), late.id, Decision.APPROVE)
        nov = report.secrecy_summary(ctx, 2025, 11)
        dec = report.secrecy_summary(ctx, 2025, 12)
        assert [(r.title, r.reviewed_on) for r in nov.rows] == [("十一月一日凌晨审查",
                                                                 date(2025, 11, 1))]
        assert [(r.title, r.reviewed_on) for r in dec.rows] == [("十二月一日凌晨审查",
                                                                 date(2025, 12, 1))]
        assert report.secrecy_summary(ctx, 2025, 10).rows == ()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_xlsx_reads_back_with_title_header_rows_and_totals(ctx, month, tmp_path):
    path = tmp_path / "保密审查汇总表.xlsx"
    assert report.export_secrecy_summary(ctx, 2025, 11, path) == 5
    wb = load_workbook(path)
    assert wb.sheetnames == ["2025年11月"]
    ws = wb.active
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0][0] == "柳河镇2025年11月保密审查汇总表"
    assert values[1][0].startswith("统计期间：2025年11月1日至11月30日")
    header = values.index(HEADER)
    body = values[header + 1:]
    assert [r[1] for r in body[:-1]] == month
    assert [r[0] for r in body[:-1]] == [1, 2, 3, 4, 5]
    assert [r[7] for r in body[:-1]] == ["可以公开", "不予公开", "退回修改", "可以公开", "可以公开"]
    assert isinstance(body[0][5], datetime) and body[0][5].date() == date(2025, 11, 5)
    assert body[3][9] == f"身份证号1处（放行：{PASS_REASON}）"
    assert [r[10] for r in body[:-1]] == ["否", "否", "否", "否", "是"]
    assert body[-1][0] == "合计"
    assert body[-1][2] == "审查总数 5 件，其中可以公开 3 件，退回修改 1 件，不予公开 1 件；放行 1 条"
    assert ws.print_title_rows and ws.page_setup.orientation == "landscape"
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width * 4
    every_cell = "\n".join(str(v) for r in values for v in r if v is not None)
    assert ID_NUMBER not in every_cell and ID_NUMBER[6:14] not in every_cell
    wb.close()
    entry = audit_store.last_entry(ctx.db)
    assert (entry.action, entry.object_type, entry.object_id) == ("export", "file", path.name)
    assert json.loads(entry.payload) == {"kind": "保密审查汇总表", "month": "2025-11", "rows": 5,
                                         "format": "xlsx"}


def _pdf_pages(path) -> list[str]:
    return [p.extract_text() for p in PdfReader(path).pages]


def test_pdf_has_title_header_totals_and_signature_lines(ctx, month, tmp_path):
    path = tmp_path / "汇总.pdf"
    assert report.export_secrecy_summary(ctx, 2025, 11, path, invariant=True) == 5
    pages = _pdf_pages(path)
    text = "\n".join(pages)
    flat = text.replace("\n", "").replace(" ", "")
    lines = pages[0].splitlines()
    assert lines[0] == "柳河镇2025年11月保密审查汇总表"
    assert "青山县柳河镇人民政府　　2025年11月保密审查汇总表" in pages[0]  # the running head
    assert "".join(HEADER) in flat
    for number in month:
        assert number in text
    assert "审查总数 5 件，其中可以公开 3 件，退回修改 1 件，不予公开 1 件；放行 1 条" in text
    assert "审查人（签字）" in text and "分管领导（签字）" in text and "日期：" in text
    assert f"第 1 页 共 {len(pages)} 页" in pages[0]
    assert ID_NUMBER not in flat and ID_NUMBER[6:14] not in flat
    assert PASS_REASON in flat
    assert PdfReader(path).pages[0].mediabox.width > PdfReader(path).pages[0].mediabox.height
    entry = audit_store.last_entry(ctx.db)
    assert entry.action == "export" and json.loads(entry.payload)["format"] == "pdf"
    # Same input, same bytes (invariant): nothing random in the file.
    again = tmp_path / "again.pdf"
    report.export_secrecy_summary(ctx, 2025, 11, again, invariant=True)
    assert again.read_bytes() == path.read_bytes()


def test_many_reviews_make_pages_that_each_repeat_the_header(ctx, users, org, clock, tmp_path):
    at(clock, 2025, 11, 3, 1, 0)
    for i in range(40):
        n = notice_ops.create_notice(ctx, notice_input(
            ctx, title=f"关于柳河村第{i + 1}批困难群众临时救助资金发放情况的公示（第{i + 1}号）"))
        approve_all(ctx, users, n.id)
        tick(clock, 7)
    path = tmp_path / "多页.pdf"
    assert report.export_secrecy_summary(ctx, 2025, 11, path) == 40
    pages = _pdf_pages(path)
    assert len(pages) >= 2
    for i, page in enumerate(pages, start=1):
        assert "2025年11月保密审查汇总表" in page  # the running head
        assert f"第 {i} 页 共 {len(pages)} 页" in page
    seen = []
    for page in pages:  # every page holding rows starts them with the header row
        flat = page.replace("\n", "").replace(" ", "")
        numbers = re.findall(r"SP2025-\d{4}", flat)
        if numbers:
            assert flat.index("".join(HEADER)) < flat.index(numbers[0])
        seen += numbers
    assert seen == [f"SP2025-{i:04d}" for i in range(1, 41)]  # in order, none lost
    assert "审查总数 40 件" in pages[-1] and "分管领导（签字）" in pages[-1]


def test_opinions_and_titles_never_carry_numbers_in_full(ctx, users, org, clock, tmp_path):
    at(clock, 2025, 11, 6, 2, 0)
    slip = to_secrecy(ctx, users, "需要删除身份证号的公示",
                      body=f"公示对象：王*明，{ID_NUMBER}。")
    approvals.decide(secrecy(ctx, users), slip.id, Decision.RETURN,
                     f"正文第一段的身份证号{ID_NUMBER}须删除，手机13812345678也不应公开")
    row = report.secrecy_summary(ctx, 2025, 11).rows[0]
    assert ID_NUMBER not in row.opinion and ID_MASKED in row.opinion
    assert "13812345678" not in row.opinion and "138****5678" in row.opinion
    path = tmp_path / "掩码.xlsx"
    report.export_secrecy_summary(ctx, 2025, 11, path)
    wb = load_workbook(path, read_only=True)
    cells = "".join(str(v) for r in wb.active.iter_rows(values_only=True) for v in r if v)
    wb.close()
    assert ID_NUMBER not in cells and "13812345678" not in cells


def test_an_empty_month_still_files_a_sheet(ctx, users, org, tmp_path):
    s = report.secrecy_summary(ctx, 2025, 3)
    assert (s.rows, s.total, s.passes) == ((), 0, 0)
    path = tmp_path / "空.pdf"
    assert report.export_secrecy_summary(ctx, 2025, 3, path) == 0
    text = "".join(_pdf_pages(path))
    assert "本月没有保密审查记录" in text and "审查总数 0 件" in text


def test_other_suffixes_are_refused_in_chinese(ctx, month, tmp_path):
    for name in ("汇总.docx", "汇总.csv", "汇总"):
        with pytest.raises(UserError, match=r"\.xlsx.*\.pdf"):
            report.export_secrecy_summary(ctx, 2025, 11, tmp_path / name)
        assert not (tmp_path / name).exists()
    with pytest.raises(UserError, match="月份"):
        report.secrecy_summary(ctx, 2025, 13)


def test_a_role_without_the_permission_is_refused_and_logged(ctx, users, org, tmp_path):
    allowed = PERMISSIONS[report.REPORT_PERMISSION]
    assert {Role.CLERK, Role.SECRECY_OFFICER} <= allowed
    refused = [r for r in Role if r not in allowed]
    assert refused, "the report permission grants every role"
    for role in refused:
        who = as_user(ctx, users[role])
        before = audit_store.count(ctx.db, "denied")
        with pytest.raises(PermissionDenied):
            report.secrecy_summary(who, 2025, 11)
        with pytest.raises(PermissionDenied):
            report.export_secrecy_summary(who, 2025, 11, tmp_path / "x.xlsx")
        assert audit_store.count(ctx.db, "denied") == before + 2
    assert not (tmp_path / "x.xlsx").exists()
    for role in allowed:
        report.secrecy_summary(as_user(ctx, users[role]), 2025, 11)


@pytest.mark.skipif(not os.environ.get("GOVDESK_PRINT_REFERENCE"),
                    reason="set GOVDESK_PRINT_REFERENCE=folder to keep a reference PDF")
def test_reference_pdf(ctx, month):
    report.export_secrecy_summary(ctx, 2025, 11, os.path.join(
        os.environ["GOVDESK_PRINT_REFERENCE"], "secrecy-summary.pdf"), invariant=True)
