"""The 落实情况 report's user actions on a real database: drafted from the plan's tracking and
the registers, edited, saved (audited, plan.manage), read back through a fresh connection,
exported (audited)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import as_user

from govdesk.core.errors import NotFound, PermissionDenied, UserError
from govdesk.core.org import Role
from govdesk.core.registers import HotlineCase, Interpretation, Meeting, Proposal
from govdesk.core.work_plan import Deadline, TaskInput, TaskState
from govdesk.operations import plan_report as ops
from govdesk.operations import registers as reg_ops
from govdesk.operations import work_plan as plan_ops
from govdesk.operations.context import Context
from govdesk.store import audit_store
from govdesk.store.database import connect


def fresh(ctx: Context) -> Context:
    return Context(connect(ctx.db.conn.execute("PRAGMA database_list").fetchone()[2]),
                   clock=ctx.clock, files_dir=ctx.files_dir)


@pytest.fixture
def plan(ctx, users, org):
    p = plan_ops.create_plan(ctx, 2025, "青山镇2025年政务公开工作实施方案")
    s1 = plan_ops.add_section(ctx, p.id, "围绕民生改善推进公开")
    s2 = plan_ops.add_section(ctx, p.id, "围绕扩大政务参与加强解读回应")
    t1 = plan_ops.add_task(ctx, s1.id, TaskInput("推进社会救助信息公开", Deadline(on=date(2025, 10, 31)),
                                                 unit_ids=(2,)))
    t2 = plan_ops.add_task(ctx, s1.id, TaskInput("推进农村危房改造信息公开",
                                                 Deadline(on=date(2025, 9, 30)), unit_ids=(1,)))
    t3 = plan_ops.add_task(ctx, s2.id, TaskInput("积极回应社会关切，做好政务舆情回应",
                                                 Deadline(wording="长期坚持"), all_units=True))
    plan_ops.add_progress(ctx, t1.id, "每月公示低保名单", date(2025, 5, 6))
    plan_ops.set_task_state(ctx, t1.id, TaskState.DONE)
    plan_ops.set_task_state(ctx, t2.id, TaskState.NOT_DONE, "县级补助资金未下达")
    plan_ops.set_task_state(ctx, t3.id, TaskState.IN_PROGRESS)
    for received, closed in ((date(2025, 3, 3), date(2025, 3, 6)),
                             (date(2025, 5, 6), date(2025, 5, 8)),
                             (date(2025, 11, 3), None)):
        reg_ops.add_record(ctx, HotlineCase(received, "12345热线", "反映路灯不亮", unit_id=1,
                                            closed_on=closed))
    reg_ops.add_record(ctx, HotlineCase(date(2025, 6, 3), "网络舆情", "网传停水", unit_id=1,
                                        closed_on=date(2025, 6, 4)))
    return {"plan": p, "t1": t1, "t2": t2, "t3": t3}


def test_draft_from_the_plan_and_the_registers(ctx, plan):
    r = ops.build_plan_report(ctx, 2025)
    assert r.title == "青山镇2025年政务公开工作实施方案落实情况"
    assert r.sources == ("draft", "draft", "draft")
    assert r.dated == ctx.today()
    measures = r.texts[1]
    assert "一是推进社会救助信息公开。每月公示低保名单。" in measures
    assert "全年共监测处置政务舆情1起，均已妥善处置。" in measures
    assert "全年共受理“12345”热线来件3件，办结2件，办结率67%" in measures
    assert "县级补助资金未下达" in r.texts[2]
    assert [row.outcome for _, rows in r.appendix for row in rows] == [
        "已完成", "未完成（原因：县级补助资金未下达）", "推进中"]


def test_edit_save_reload_audited(ctx, users, plan):
    draft = ops.build_plan_report(ctx, 2025)
    edited = draft.texts[0] + "全镇政务公开工作取得明显成效。"
    ops.save_plan_report(ctx, 2025, overview=edited + "  \n", dated=date(2026, 1, 12))
    entry = audit_store.last_entry(ctx.db)
    assert (entry.action, entry.object_type, entry.object_id) == ("update", "plan_report", "2025")
    payload = json.loads(entry.payload)
    assert payload["before"] == {"overview": None, "dated": None}
    assert payload["after"] == {"overview": edited, "dated": "2026-01-12"}
    other = fresh(ctx)
    try:
        again = ops.build_plan_report(other, 2025)
    finally:
        other.db.close()
    assert again.texts[0] == edited
    assert again.sources == ("saved", "draft", "draft")
    assert again.dated == date(2026, 1, 12)
    # nothing changed: no entry; "" goes back to the draft
    count = audit_store.count(ctx.db)
    ops.save_plan_report(ctx, 2025, overview=edited)
    assert audit_store.count(ctx.db) == count
    ops.save_plan_report(ctx, 2025, overview="")
    assert ops.build_plan_report(ctx, 2025).sources[0] == "draft"


def test_only_the_office_saves(ctx, users, plan):
    head = as_user(ctx, users[Role.UNIT_HEAD])
    with pytest.raises(PermissionDenied):
        ops.save_plan_report(head, 2025, problems="x")
    assert audit_store.last_entry(ctx.db).action == "denied"
    # everyone reads the draft
    assert ops.build_plan_report(as_user(ctx, users[Role.PRINCIPAL_LEADER]), 2025).task_count == 3


def test_no_plan_and_bad_inputs(ctx, users, plan):
    with pytest.raises(NotFound, match="还没有2024年"):
        ops.build_plan_report(ctx, 2024)
    with pytest.raises(UserError, match="成文日期不能早于2025年"):
        ops.save_plan_report(ctx, 2025, dated=date(2024, 12, 31))
    with pytest.raises(UserError, match=r"\.docx（Word）或 \.pdf"):
        ops.export_plan_report(ctx, 2025, ctx.files_dir / "x.xlsx")


def test_export_is_audited(ctx, users, plan, tmp_path):
    target = tmp_path / "落实情况.docx"
    assert ops.export_plan_report(ctx, 2025, target) is None
    assert target.stat().st_size > 0
    entry = audit_store.last_entry(ctx.db)
    assert (entry.action, entry.object_type) == ("export", "plan_report")
    assert json.loads(entry.payload)["format"] == "docx"


def test_interpretations_proposals_and_trainings_in_the_report(ctx, users, plan):
    reg_ops.add_record(ctx, Interpretation(date(2025, 4, 1), "一图读懂低保政策", "图解",
                                           policy_title="县低保办法"))
    reg_ops.add_record(ctx, Proposal("人大代表建议", "第1号", "修缮村道", date(2025, 3, 1),
                                     unit_id=1, replied_on=date(2025, 5, 1), satisfaction="满意"))
    reg_ops.add_record(ctx, Meeting("培训", date(2025, 6, 1), "政务公开业务培训", 40))
    text = "\n".join(ops.build_plan_report(ctx, 2025).texts)
    assert "全年共发布政策解读信息1条，均为图解。" in text
    assert "全年共承办人大代表建议1件，已全部答复，满意率100%。" in text
    assert "组织政务公开业务培训1次，参训40人次" in text
