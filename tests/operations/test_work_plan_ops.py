"""The work plan's user actions on a real database: create, edit, reorder, copy, track, delete
(with a backup), permissions, audit entries, the dashboard queries, what each unit owes and the
notices counted under a task's category — read back through a fresh connection."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import approve_all, as_user, notice_input

from govdesk.core.errors import PermissionDenied, UserError, ValidationErrors
from govdesk.core.org import Role
from govdesk.core.work_plan import Deadline, TaskInput, TaskState
from govdesk.operations import backups, lists
from govdesk.operations import notices as notice_ops
from govdesk.operations import work_plan as ops
from govdesk.operations.context import Context
from govdesk.store import audit_store
from govdesk.store.database import connect


def fresh(ctx: Context) -> Context:
    return Context(connect(ctx.db.conn.execute("PRAGMA database_list").fetchone()[2]),
                   clock=ctx.clock, files_dir=ctx.files_dir)


def last_audit(ctx: Context):
    return audit_store.last_entry(ctx.db)


@pytest.fixture
def plan(ctx, users, org):
    """A 2025 plan of two sections and three tasks, made by the clerk."""
    p = ops.create_plan(ctx, 2025, "青山镇2025年政务公开工作实施方案", "为进一步推进政务公开……")
    s1 = ops.add_section(ctx, p.id, "围绕深化改革推进公开")
    s2 = ops.add_section(ctx, p.id, "围绕民生改善推进公开")
    social = {c.name: c.id for c in lists.categories(ctx)}["社会救助"]
    t1 = ops.add_task(ctx, s1.id, TaskInput("全面公开权力清单和责任清单", Deadline(on=date(2025, 11, 28)),
                                            unit_ids=(1,), all_communities=True))
    t2 = ops.add_task(ctx, s2.id, TaskInput("公开低保、特困救助金发放情况", Deadline(on=date(2025, 10, 31)),
                                            unit_ids=(2,), category_id=social))
    t3 = ops.add_task(ctx, s2.id, TaskInput("及时回应社会关切", Deadline(wording="长期坚持"),
                                            unit_ids=(1, 2), community_ids=(org["liuhe"],)))
    return {"plan": p, "s1": s1, "s2": s2, "t1": t1, "t2": t2, "t3": t3, "social": social}


def test_create_and_read_back_through_a_fresh_connection(ctx, plan):
    other = fresh(ctx)
    try:
        view = ops.plan_view(other, 2025)
    finally:
        other.db.close()
    assert view.plan.title == "青山镇2025年政务公开工作实施方案"
    assert [s.title for s in view.sections] == ["围绕深化改革推进公开", "围绕民生改善推进公开"]
    t1, t2, t3 = view.tasks
    assert (t1.responsible, t1.deadline.text, t1.state) == ("党政办、各村（社区）", "2025年11月28日",
                                                             TaskState.NOT_STARTED)
    assert t2.category == "社会救助" and t3.deadline.wording == "长期坚持"
    assert t3.responsible == "党政办、民政办、柳河村"
    entry = last_audit(ctx)
    assert (entry.action, entry.object_type, entry.object_id) == ("create", "plan_task",
                                                                  str(plan["t3"].id))


def test_only_the_office_edits_the_plan_and_staff_track(ctx, users, plan):
    head = as_user(ctx, users[Role.UNIT_HEAD])
    with pytest.raises(PermissionDenied, match="没有编制政务公开工作实施方案的权限"):
        ops.add_section(head, plan["plan"].id, "新板块")
    assert last_audit(ctx).action == "denied"
    # the 科室负责人 records progress and closes the task
    ops.add_progress(head, plan["t2"].id, "已在公开栏公示第三季度低保名单", date(2025, 11, 3))
    done = ops.set_task_state(head, plan["t2"].id, TaskState.DONE)
    assert done.state is TaskState.DONE
    leader = as_user(ctx, users[Role.PRINCIPAL_LEADER])
    with pytest.raises(PermissionDenied):
        ops.set_task_state(leader, plan["t1"].id, TaskState.IN_PROGRESS)


def test_states_need_a_reason_for_not_done_and_are_audited(ctx, plan):
    tid = plan["t1"].id
    with pytest.raises(UserError, match="请填写原因"):
        ops.set_task_state(ctx, tid, TaskState.NOT_DONE)
    ops.set_task_state(ctx, tid, TaskState.IN_PROGRESS)
    t = ops.set_task_state(ctx, tid, TaskState.NOT_DONE, "上级清单尚未下发")
    assert (t.state, t.reason) == (TaskState.NOT_DONE, "上级清单尚未下发")
    entry = last_audit(ctx)
    assert entry.action == "set_task_state"
    assert json.loads(entry.payload)["after"] == {"state": "未完成", "reason": "上级清单尚未下发"}
    reopened = ops.set_task_state(ctx, tid, TaskState.IN_PROGRESS)
    assert reopened.reason == ""
    # the database refuses 未完成 without a reason even past the operations
    with pytest.raises(Exception, match="CHECK"):
        ctx.db.execute("UPDATE plan_task SET state = '未完成', reason = '' WHERE id = ?", [tid])


def test_progress_and_evidence(ctx, users, plan, tmp_path):
    tid = plan["t2"].id
    n = ops.add_progress(ctx, tid, "  完成第三季度公示  ")
    assert (n.on, n.text, n.by_name) == (date(2025, 11, 20), "完成第三季度公示", "刘欣")
    with pytest.raises(UserError, match="不能晚于今天"):
        ops.add_progress(ctx, tid, "明天的事", date(2025, 11, 21))
    notice = notice_ops.create_notice(ctx, notice_input(ctx))
    e = ops.link_notice(ctx, tid, notice.id)
    assert e.is_notice and e.label == notice.title
    with pytest.raises(UserError, match="已是这项任务的佐证"):
        ops.link_notice(ctx, tid, notice.id)
    scan = tmp_path / "公示照片.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 100)
    f = ops.attach_file(ctx, tid, scan)
    assert f.label == "公示照片.png" and ops.evidence_path(ctx, f).read_bytes() == scan.read_bytes()
    bad = tmp_path / "x.png"
    bad.write_bytes(b"not a png")
    with pytest.raises(UserError, match="不是有效的 PNG"):
        ops.attach_file(ctx, tid, bad)
    assert [x.id for x in ops.evidence(ctx, tid)] == [e.id, f.id]
    ops.remove_evidence(ctx, e.id)
    assert [x.id for x in ops.evidence(ctx, tid)] == [f.id]
    actions = [a.action for a in audit_store.iter_entries(ctx.db)][-5:]
    assert "link_notice" in actions and "attach_evidence" in actions and \
        actions[-1] == "remove_evidence"


def test_edit_reorder_move_and_delete_with_backup(ctx, plan):
    pid = plan["plan"].id
    ops.reorder_sections(ctx, pid, [plan["s2"].id, plan["s1"].id])
    with pytest.raises(UserError, match="全部板块"):
        ops.reorder_sections(ctx, pid, [plan["s2"].id])
    moved = ops.move_task(ctx, plan["t3"].id, plan["s2"].id, 1)
    assert moved.seq == 1
    ops.move_task(ctx, plan["t1"].id, plan["s2"].id, 2)
    view = ops.plan_view(ctx, 2025)
    assert [s.title for s in view.sections] == ["围绕民生改善推进公开", "围绕深化改革推进公开"]
    assert [t.id for t in view.tasks] == [plan["t3"].id, plan["t1"].id, plan["t2"].id]
    edited = ops.update_task(ctx, plan["t1"].id, TaskInput(
        "全面公开权力清单", Deadline.parse("每季度"), unit_ids=(3,)))
    assert (edited.responsible, edited.deadline.text) == ("财政所", "每季度")
    with pytest.raises(ValidationErrors):
        ops.update_task(ctx, plan["t1"].id, TaskInput("", Deadline.parse("2030-01-01")))
    before = len(backups.list_backups(ctx))
    ops.delete_section(ctx, plan["s2"].id)
    view = ops.plan_view(ctx, 2025)
    assert [s.title for s in view.sections] == ["围绕深化改革推进公开"] and view.tasks == []
    assert ctx.db.execute("SELECT count(*) FROM plan_task_owner").fetchone()[0] == 0
    entry = last_audit(ctx)
    assert (entry.action, entry.object_type) == ("delete", "plan_section")
    assert len(json.loads(entry.payload)["before"]["tasks"]) == 3
    assert len(backups.list_backups(ctx)) == before + 1  # 删除前 backup


def test_copy_last_years_plan(ctx, plan):
    ops.set_task_state(ctx, plan["t1"].id, TaskState.DONE)
    ops.add_progress(ctx, plan["t1"].id, "已公开")
    new = ops.copy_plan(ctx, 2025, 2026)
    assert new.title == "青山镇2026年政务公开工作实施方案"
    view = ops.plan_view(ctx, 2026)
    assert [s.title for s in view.sections] == ["围绕深化改革推进公开", "围绕民生改善推进公开"]
    assert [t.deadline.text for t in view.tasks] == ["2026年11月28日", "2026年10月31日", "长期坚持"]
    assert {t.state for t in view.tasks} == {TaskState.NOT_STARTED}
    assert all(ops.progress_notes(ctx, t.id) == [] for t in view.tasks)
    assert view.tasks[2].responsible == "党政办、民政办、柳河村"
    assert last_audit(ctx).action == "copy_plan"
    with pytest.raises(UserError, match="已经存在"):
        ops.copy_plan(ctx, 2025, 2026)


def test_due_soon_overdue_and_what_each_unit_owes(ctx, plan):
    # today 2025-11-20: t1 due 11-28 (soon), t2 due 10-31 (overdue), t3 a wording
    assert [t.id for t in ops.tasks_due_soon(ctx)] == [plan["t1"].id]
    assert [t.id for t in ops.overdue_tasks(ctx)] == [plan["t2"].id]
    owed = ops.open_tasks_by_owner(ctx, 2025)
    assert {k: [t.id for t in v] for k, v in owed.items()} == {
        "党政办": [plan["t1"].id, plan["t3"].id],
        "民政办": [plan["t2"].id, plan["t3"].id],
        "柳河村": [plan["t1"].id, plan["t3"].id],
        "云溪社区": [plan["t1"].id],
    }
    ops.set_task_state(ctx, plan["t2"].id, TaskState.DONE)
    assert ops.overdue_tasks(ctx) == []
    assert [t.id for t in ops.open_tasks_by_owner(ctx, 2025)["民政办"]] == [plan["t3"].id]


def test_notices_published_under_the_category_are_counted(ctx, users, plan):
    tid = plan["t2"].id
    assert ops.task_notice_count(ctx, tid) == 0
    assert ops.task_notice_count(ctx, plan["t1"].id) is None  # no category
    published = notice_ops.create_notice(ctx, notice_input(ctx))
    approve_all(ctx, users, published.id)
    notice_ops.publish_notice(ctx, published.id)
    notice_ops.create_notice(ctx, notice_input(ctx, title="另一条未公开的低保公示"))  # a draft
    other = notice_ops.create_notice(ctx, notice_input(ctx, title="政策文件",
                                                       category_id=plan["social"] - 1))
    approve_all(ctx, users, other.id)
    notice_ops.publish_notice(ctx, other.id)
    assert ops.task_notice_count(ctx, tid) == 1
    assert ops.plan_view(ctx, 2025).notice_counts == {tid: 1}
    # a notice published in another year does not count for this plan
    ctx.db.execute("UPDATE notice SET published_on = '2024-12-31' WHERE id = ?", [published.id])
    assert ops.task_notice_count(ctx, tid) == 0


def test_export_is_audited_and_refuses_other_formats(ctx, plan, tmp_path):
    with pytest.raises(UserError, match="只能导出为"):
        ops.export_plan(ctx, 2025, tmp_path / "plan.csv")
    ops.export_plan(ctx, 2025, tmp_path / "plan.xlsx")
    entry = last_audit(ctx)
    assert (entry.action, entry.object_type) == ("export", "work_plan")
    with pytest.raises(UserError, match="还没有2024年"):
        ops.export_plan(ctx, 2024, tmp_path / "plan.xlsx")
