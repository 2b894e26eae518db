"""导入申请台账 on a real temporary database (today is Thursday 2025-11-20): a good file is
registered and closed through the operations, every broken row is named by row and column with
nothing written, a second import changes nothing, GBK CSV and the template work."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from govdesk.core.errors import PermissionDenied, ValidationErrors
from govdesk.core.org import Role
from govdesk.core.requests import ApplicantKind, Channel, Outcome
from govdesk.operations import requests as request_ops
from govdesk.operations.request_import import (
    TEMPLATE_HEADERS,
    import_requests,
    parse_outcome,
    write_import_template,
)
from govdesk.store import request_store
from tests.conftest import as_user

HEAD = list(TEMPLATE_HEADERS)
GOOD = [
    ["", "当面", "2025-03-03", "", "", "自然人", "张某某", "柳河村三组",
     "2024年度柳河村低保资金发放名单", "2025-03-20", "予以公开", "已提供复印件"],
    ["Y-2", "邮寄", "2025/4/1", "2025年4月3日", "", "法律服务机构", "青山县正衡律师事务所", "",
     "王家庄村拆迁安置方案", "2025-04-25", "不予公开：4.保护第三方合法权益", ""],
    ["", "互联网/网上", "2025-05-06", "", "2025-05-07", "商业企业", "青山县宏远建设工程有限公司",
     "", "柳河村主街道路硬化工程中标结果", "2025-05-20", "3.7", ""],
    ["", "电子邮件", "2025-11-10", "", "2025-11-11", "科研机构", "省农村发展研究院课题组", "",
     "全镇耕地地力保护补贴发放汇总数据", "", "", ""],
]


def _csv(path, rows, encoding="utf-8-sig", head=HEAD):
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(head)
        w.writerows(rows)
    return path


def _xlsx(path, rows, head=HEAD):
    wb = Workbook()
    ws = wb.active
    ws.append(["云溪镇政府信息公开申请台账"])  # a title row above the header
    ws.append(head)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _count(ctx):
    return ctx.db.execute("SELECT count(*) FROM request").fetchone()[0]


def _audit_count(ctx):
    return ctx.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def test_good_file_registers_and_closes_through_the_operations(ctx, users, tmp_path):
    result = import_requests(ctx, _xlsx(tmp_path / "台账.xlsx", GOOD))
    assert (result.created, result.closed, result.skipped) == (4, 3, 0)
    assert result.numbers == ("〔2025〕第1号", "〔2025〕第2号", "〔2025〕第3号", "〔2025〕第4号")
    rows = {r.content: r for r in request_store.list_requests(ctx.db)}
    post = rows["王家庄村拆迁安置方案"]
    assert post.channel is Channel.REGISTERED_POST and post.received_on == date(2025, 4, 3)
    assert post.outcome is Outcome.THIRD_PARTY_RIGHTS and post.closed_on == date(2025, 4, 25)
    web = rows["柳河村主街道路硬化工程中标结果"]
    assert web.received_on == date(2025, 5, 7) and web.outcome is Outcome.ENFORCEMENT_FILE
    assert rows["2024年度柳河村低保资金发放名单"].outcome_detail == "已提供复印件"
    still = rows["全镇耕地地力保护补贴发放汇总数据"]
    assert still.is_open and still.applicant_kind is ApplicantKind.RESEARCH
    assert request_ops.request_view(ctx, still.id).ledger.due_on is not None
    actions = [r[0] for r in ctx.db.execute("SELECT action FROM audit_log ORDER BY seq")]
    assert actions.count("import_requests") == 1 and actions.count("create") >= 4
    assert actions.count("close") == 3


def test_reimport_changes_nothing_and_a_later_copy_closes_what_is_now_closed(ctx, users,
                                                                             tmp_path):
    path = _csv(tmp_path / "a.csv", GOOD)
    import_requests(ctx, path)
    before = ctx.db.execute("SELECT * FROM request ORDER BY id").fetchall()
    again = import_requests(ctx, path)
    assert (again.created, again.closed, again.skipped) == (0, 0, 4)
    assert ctx.db.execute("SELECT * FROM request ORDER BY id").fetchall() == before
    later = [*GOOD[:3], [*GOOD[3][:9], "2025-11-19", "无法提供：1.本机关不掌握相关政府信息", ""]]
    result = import_requests(ctx, _csv(tmp_path / "b.csv", later))
    assert (result.created, result.closed, result.skipped) == (0, 1, 3)
    closed = request_store.find_by_number(ctx.db, "〔2025〕第4号")
    assert closed.outcome is Outcome.NOT_HELD and closed.closed_on == date(2025, 11, 19)


def test_every_broken_row_is_named_and_nothing_is_written(ctx, users, tmp_path):
    bad = [
        GOOD[0],
        ["", "飞鸽传书", "2025-03-03", "", "", "自然人", "李某", "", "征地补偿标准", "", "", ""],
        ["", "邮寄", "2025-03-03", "", "", "自然人", "王某", "", "危房改造名单", "", "", ""],
        ["", "当面", "2025-03-03", "", "", "自然人", "赵某", "", "村集体经济收支",
         "2025-03-10", "批准公开", ""],
        ["", "当面", "2025-03-03", "", "", "自然人", "钱某", "", "拆迁安置方案", "2025-03-10",
         "", ""],
        ["", "当面", "2026-01-05", "", "", "自然人", "孙某", "", "低保资金发放", "", "", ""],
        GOOD[0],
        ["", "当面", "2025-13-01", "", "", "公司", "", "", "", "", "", ""],
    ]
    path = _csv(tmp_path / "bad.csv", bad)
    audits = _audit_count(ctx)
    with pytest.raises(ValidationErrors) as err:
        import_requests(ctx, path)
    problems = err.value.problems
    text = "\n".join(problems)
    assert "第 3 行“申请方式”：“飞鸽传书”不是申请方式" in text
    assert "第 4 行“签收日期”" in text and "签收" in text
    assert "第 5 行“办理结果”：“批准公开”不是年报表三的办理结果" in text
    assert "第 6 行“办理结果”：填写了办结日期，须同时填写办理结果" in text
    assert "第 7 行“提交日期”：2026年1月5日晚于今天" in text
    assert "第 8 行：与第 2 行内容重复" in text
    assert "第 9 行“提交日期”：“2025-13-01”不是日期" in text
    assert "第 9 行“申请人”：不能为空" in text and "第 9 行“申请内容”：不能为空" in text
    assert not any(p.startswith("第 2 行") for p in problems)
    assert "未导入任何数据" in err.value.message
    assert _count(ctx) == 0 and _audit_count(ctx) == audits


def test_outcome_without_date_and_reply_before_receipt(ctx, users, tmp_path):
    rows = [
        ["", "当面", "2025-03-03", "", "", "自然人", "李某", "", "征地补偿标准", "", "1", ""],
        ["", "当面", "2025-03-03", "", "", "自然人", "王某", "", "危房改造名单", "2025-03-01",
         "1", ""],
        ["7", "当面", "2025-03-03", "", "", "自然人", "周某", "", "甲", "", "", ""],
        ["7", "当面", "2025-03-04", "", "", "自然人", "吴某", "", "乙", "", "", ""],
    ]
    with pytest.raises(ValidationErrors) as err:
        import_requests(ctx, _xlsx(tmp_path / "x.xlsx", rows))
    text = "\n".join(err.value.problems)
    assert "第 3 行“办结日期”：填写了办理结果，须同时填写办结日期" in text
    assert "第 4 行“办结日期”：早于收到申请之日" in text
    assert "第 6 行：与第 5 行编号重复" in text
    assert _count(ctx) == 0


def test_missing_columns_and_wrong_files(ctx, users, tmp_path):
    with pytest.raises(Exception, match="缺少必需的列：申请内容"):
        import_requests(ctx, _csv(tmp_path / "c.csv", [GOOD[0][:8]], head=HEAD[:8]))
    other = tmp_path / "notes.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(Exception, match="只能导入"):
        import_requests(ctx, other)
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(Exception, match="不是有效的 .xlsx 文件"):
        import_requests(ctx, fake)


def test_gbk_csv(ctx, users, tmp_path):
    path = _csv(tmp_path / "gbk.csv", GOOD[:2], encoding="gbk")
    result = import_requests(ctx, path)
    assert result.created == 2
    names = {r.applicant_name for r in request_store.list_requests(ctx.db)}
    assert names == {"张某某", "青山县正衡律师事务所"}


def test_needs_the_right_to_handle_applications(ctx, users, tmp_path):
    path = _csv(tmp_path / "a.csv", GOOD)
    with pytest.raises(PermissionDenied):
        import_requests(as_user(ctx, users[Role.UNIT_HEAD]), path)
    assert _count(ctx) == 0


@pytest.mark.parametrize("text, outcome", [
    ("3.1", Outcome.STATE_SECRET), ("不予公开：1.属于国家秘密", Outcome.STATE_SECRET),
    ("不予公开:1.属于国家秘密", Outcome.STATE_SECRET), ("予以公开", Outcome.DISCLOSED),
    ("部分公开", Outcome.PARTLY_DISCLOSED), ("1.本机关不掌握相关政府信息", Outcome.NOT_HELD),
    ("其他处理：3.其他", Outcome.OTHER), ("6.1", Outcome.NO_CORRECTION),
])
def test_outcome_by_code_or_label(text, outcome):
    assert parse_outcome(text) is outcome


def test_template_has_the_headers_and_an_example_that_imports(ctx, users, tmp_path):
    path = write_import_template(tmp_path / "模板.xlsx")
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == HEAD
    assert ws.max_row == 2
    assert "填写说明" in wb.sheetnames
    result = import_requests(ctx, path)
    assert (result.created, result.closed) == (1, 1)
