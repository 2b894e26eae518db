"""The registers as user actions (issue 8 §4): audited changes read back through a fresh
connection, permissions, filters, stats, export read back with openpyxl, and the all-or-nothing
import."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest
from openpyxl import Workbook, load_workbook

from govdesk.core.errors import PermissionDenied, UserError, ValidationErrors
from govdesk.core.org import Role
from govdesk.core.registers import (
    HotlineCase,
    HotlineChannel,
    Interpretation,
    Meeting,
    Period,
    Proposal,
    RegisterKind,
)
from govdesk.operations import registers as ops
from govdesk.store import audit_store
from govdesk.store.database import close, connect, path_of
from govdesk.store.register_store import ListFilter
from tests.conftest import as_user

HOTLINE = RegisterKind.HOTLINE


def _audit(ctx, object_type):
    return [(e.action, e.object_id) for e in audit_store.iter_entries(ctx.db)
            if e.object_type == object_type]


def test_add_edit_delete_audited_and_read_back_fresh(ctx, users, org):
    case = ops.add_record(ctx, HotlineCase(date(2025, 9, 30), "12345热线", "反映云溪路路灯不亮",
                                           community_id=org["yunxi"], case_number="GD001"))
    # the default 办理时限: 5 working days over the National Day holiday
    assert case.due_on == date(2025, 10, 14)
    closed = ops.update_record(ctx, replace(case, closed_on=date(2025, 10, 13), fed_back=True,
                                            satisfaction="满意"))
    fresh = connect(path_of(ctx.db), migrate=False)
    try:
        got = ops.get_record(replace(ctx, db=fresh), HOTLINE, case.id)
    finally:
        close(fresh)
    assert got == closed and got.closed_on_time()
    ops.delete_record(ctx, HOTLINE, case.id)
    with pytest.raises(UserError, match="不存在"):
        ops.get_record(ctx, HOTLINE, case.id)
    assert _audit(ctx, "hotline_case") == [("create", str(case.id)), ("update", str(case.id)),
                                           ("delete", str(case.id))]


def test_the_audit_log_keeps_no_mobile_number(ctx, users):
    ops.add_record(ctx, HotlineCase(date(2025, 3, 3), "12345热线", "来电人13812345678反映噪音",
                                    unit_id=1))
    payloads = [json.dumps(e.payload, ensure_ascii=False)
                for e in audit_store.iter_entries(ctx.db) if e.object_type == "hotline_case"]
    assert payloads and not any("13812345678" in p for p in payloads)


def test_validation_and_context_problems(ctx, users, org):
    with pytest.raises(ValidationErrors) as info:
        ops.add_record(ctx, HotlineCase(date(2025, 12, 1), "来电", "x", unit_id=1))
    text = "\n".join(info.value.problems)
    assert "受理日期" in text and "不能晚于今天" in text and "渠道“来电”" in text
    ops.add_record(ctx, Proposal("人大代表建议", "第3号", "关于改善道路的建议", date(2025, 3, 20),
                                 lead="王建国", unit_id=5))
    with pytest.raises(UserError, match="已有编号"):
        ops.add_record(ctx, Proposal("人大代表建议", "第3号", "另一件", date(2025, 4, 1), unit_id=5))
    # another kind, or another year, may use the same 编号
    ops.add_record(ctx, Proposal("政协委员提案", "第3号", "另一件", date(2025, 4, 1), unit_id=5))
    with pytest.raises(UserError, match="不在登记簿"):
        ops.add_record(ctx, Interpretation(date(2025, 3, 3), "解读", notice_id=999))


def test_permissions(ctx, users):
    leader = as_user(ctx, users[Role.PRINCIPAL_LEADER])
    with pytest.raises(PermissionDenied):
        ops.add_record(leader, Meeting("培训", date(2025, 5, 16), "政务公开培训", 45))
    head = as_user(ctx, users[Role.UNIT_HEAD])
    assert ops.add_record(head, Meeting("培训", date(2025, 5, 16), "政务公开培训", 45)).id
    with pytest.raises(PermissionDenied):
        ops.set_hotline_channels(ctx, [HotlineChannel("12345热线", 3)])


def test_office_channel_list_sets_the_default_deadline(ctx, users):
    admin = as_user(ctx, users[Role.ADMIN])
    ops.set_hotline_channels(admin, [HotlineChannel("12345热线", 3), HotlineChannel("来信", 10)])
    case = ops.add_record(ctx, HotlineCase(date(2025, 3, 3), "来信", "x", unit_id=1))
    assert case.due_on == date(2025, 3, 17)
    with pytest.raises(UserError, match="不在渠道列表"):
        ops.add_record(ctx, HotlineCase(date(2025, 3, 3), "书记信箱", "x", unit_id=1))
    with pytest.raises(ValidationErrors):
        ops.set_hotline_channels(admin, [HotlineChannel("a", 99), HotlineChannel("a", 1)])


def _seed_hotline(ctx, n_received=68, n_closed=66):
    for i in range(n_received):
        closed = date(2025, 3, 5) if i < n_closed else None
        ops.add_record(ctx, HotlineCase(date(2025, 3, 3), "51890热线", f"来访件{i}", unit_id=1,
                                        closed_on=closed))


def test_stats_and_filters(ctx, users, org):
    _seed_hotline(ctx, 68, 66)
    stats = ops.register_stats(ctx, HOTLINE, Period.year(2025))
    assert (stats.total.received, stats.total.closed) == (68, 66)
    assert stats.total.closure_rate == Fraction(66, 68)
    assert ops.stats_summary(stats).startswith("2025年共受理68件，办结66件，办结率97%")
    empty = ops.register_stats(ctx, HOTLINE, Period.quarter(2025, 2))
    assert "办结率—" in ops.stats_summary(empty)
    assert len(ops.list_records(ctx, HOTLINE, ListFilter(state="已超期"))) == 2
    assert len(ops.list_records(ctx, HOTLINE, ListFilter(state="已办结"))) == 66
    assert len(ops.list_records(ctx, HOTLINE, ListFilter(text="来访件1"))) == 11  # 1, 10–19
    assert ops.list_records(ctx, HOTLINE, ListFilter(unit_id=2)) == []
    assert ops.list_records(ctx, HOTLINE, ListFilter(category="12345热线")) == []
    with pytest.raises(UserError, match="可选"):
        ops.list_records(ctx, HOTLINE, ListFilter(state="完成"))


def test_export_reads_back_and_imports_again(ctx, users, org, tmp_path):
    _seed_hotline(ctx, 3, 2)
    path = tmp_path / "热线.xlsx"
    assert ops.export_register(ctx, HOTLINE, Period.year(2025), path) == 3
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "2025年舆情与热线登记表"
    assert "办结率67%" in rows[1][0]
    assert rows[2][:5] == ("受理日期", "渠道", "工单编号", "事项", "承办单位")
    assert rows[3][1] == "51890热线" and rows[3][4] == "党政办"
    for r in ops.list_records(ctx, HOTLINE):
        ops.delete_record(ctx, HOTLINE, r.id)
    assert ops.import_register(ctx, HOTLINE, path) == ops.ImportResult(3, 0)
    assert ops.import_register(ctx, HOTLINE, path) == ops.ImportResult(0, 3)  # I5
    assert len(ops.list_records(ctx, HOTLINE)) == 3


def _sheet(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["类型", "日期", "主题", "参加人数", "组织单位", "备注"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_a_sheet_with_errors_in_rows_3_and_7_changes_nothing(ctx, users, org, tmp_path):
    good = ["培训", "2025-05-16", "政务公开业务培训", "45", "党政办", ""]
    rows = [good, ["培训", "2025-13-01", "x", "1", "党政办", ""]]  # row 3: no such date
    rows += [[*good[:2], f"主题{i}", *good[3:]] for i in range(3)]
    rows += [["例会", "2025-05-16", "y", "-2", "不存在的单位", ""]]  # row 7
    path = _sheet(tmp_path / "培训.xlsx", rows)
    before = list(audit_store.iter_entries(ctx.db))
    with pytest.raises(ValidationErrors) as info:
        ops.import_register(ctx, RegisterKind.MEETING, path)
    problems = info.value.problems
    assert any(p.startswith("第 3 行 B 列“日期”") for p in problems)
    assert any(p.startswith("第 7 行 A 列“类型”") for p in problems)
    assert any(p.startswith("第 7 行 D 列“参加人数”") for p in problems)
    assert any(p.startswith("第 7 行 E 列“组织单位”") for p in problems)
    assert all(p.startswith(("第 3 行", "第 7 行")) for p in problems)
    assert ops.list_records(ctx, RegisterKind.MEETING) == []
    assert list(audit_store.iter_entries(ctx.db)) == before


def test_a_good_sheet_imports_and_duplicates_in_it_are_named(ctx, users, org, tmp_path):
    path = _sheet(tmp_path / "ok.xlsx", [["培训", "2025年5月16日", "业务培训", 45.0, "柳河村", ""],
                                         ["领导小组会议", "2025-02-10", "部署全年工作", "12", "", ""]])
    assert ops.import_register(ctx, RegisterKind.MEETING, path) == ops.ImportResult(2, 0)
    got = ops.list_records(ctx, RegisterKind.MEETING)
    assert [(m.kind_of.value, m.participants, m.community_id) for m in got] == [
        ("领导小组会议", 12, None), ("培训", 45, org["liuhe"])]
    assert ops.register_stats(ctx, RegisterKind.MEETING, Period.year(2025)).participants == 57
    dup = _sheet(tmp_path / "dup.xlsx", [["培训", "2025-06-01", "t", "1", "", ""]] * 2)
    with pytest.raises(ValidationErrors, match="与第 2 行是同一条记录"):
        ops.import_register(ctx, RegisterKind.MEETING, dup)


@pytest.mark.parametrize("kind", list(RegisterKind))
def test_every_template_imports_its_example(ctx, users, tmp_path, kind):
    path = ops.write_register_template(kind, tmp_path / f"{kind.english}.xlsx")
    assert ops.import_register(ctx, kind, path) == ops.ImportResult(1, 0)
    assert len(ops.list_records(ctx, kind)) == 1


def test_a_csv_or_renamed_file_is_refused(ctx, users, tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("受理日期,渠道\n2025-01-01,12345热线\n", "utf-8")
    with pytest.raises(UserError, match="无法导入"):
        ops.import_register(ctx, HOTLINE, bad)
    with pytest.raises(UserError, match=".xlsx"):
        ops.import_register(ctx, HOTLINE, tmp_path / "x.csv")


def test_a_unit_named_in_a_register_cannot_be_deleted_only_deactivated(ctx, users, org):
    """The registers name a 承办单位: deleting the unit is refused with what uses it, in
    Chinese (not a foreign-key crash), as for notices and boards."""
    from govdesk.core.registers import HotlineCase
    from govdesk.operations import org as org_ops

    clerk = as_user(ctx, users[Role.CLERK])
    ops.add_record(clerk, HotlineCase(received_on=date(2025, 11, 3), channel="12345热线",
                                      subject="路灯不亮", community_id=org["liuhe"]))
    admin = as_user(ctx, users[Role.ADMIN])
    with pytest.raises(UserError, match="1 件舆情与热线事项使用，不能删除"):
        org_ops.delete_org_item(admin, "community", org["liuhe"])
