"""实施方案 page on a real temporary database (ctx's clock: Thursday 2025-11-20): copying last
year's plan, tracking a task (a linked notice, 已完成; 未完成 needs 原因), the 工作台's 实施方案任务
block opening the page at a task, the exports, and a read-only account."""

from __future__ import annotations

import io
from datetime import date

import docx
import openpyxl
import pdfplumber
import pytest
from conftest import approve_all, as_user, notice_input
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from govdesk.core.org import Role
from govdesk.core.work_plan import Deadline, TaskInput, TaskState
from govdesk.gui import messages, printing_actions
from govdesk.gui.dialogs import plan_dialogs
from govdesk.gui.dialogs.notice_picker_dialog import NoticePickerDialog
from govdesk.gui.dialogs.plan_dialogs import TaskDialog, TaskTrackDialog
from govdesk.gui.main_window import MainWindow
from govdesk.gui.models.plan_models import PlanTableModel
from govdesk.gui.pages.dashboard_page import DashboardPage
from govdesk.gui.pages.plan_page import PlanPage
from govdesk.operations import lists
from govdesk.operations import notices as notice_ops
from govdesk.operations import work_plan as ops
from govdesk.operations.context import Context
from govdesk.store.database import connect


@pytest.fixture
def shown(monkeypatch) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"warn": [], "info": [], "confirm": []}
    monkeypatch.setattr(messages, "warn", lambda _p, text, *_a, **_k: out["warn"].append(text))
    monkeypatch.setattr(messages, "info", lambda _p, text, *_a, **_k: out["info"].append(text))

    def confirm(_p, text, *_a, **_k):
        out["confirm"].append(text)
        return True

    monkeypatch.setattr(messages, "confirm", confirm)
    return out


@pytest.fixture
def plan(ctx, users, org):
    """A 2025 plan (seed 003's first sections): one task done, one due in 10 days, one 10 days
    overdue, one with a wording and a 公开目录 category."""
    units = {u.name: u.id for u in lists.units(ctx)}
    social = {c.name: c.id for c in lists.categories(ctx)}["社会救助"]
    p = ops.create_plan(ctx, 2025, "青山镇2025年政务公开工作实施方案", "为进一步推进政务公开……")
    s1 = ops.add_section(ctx, p.id, "围绕深化改革推进公开")
    s2 = ops.add_section(ctx, p.id, "围绕民生改善推进公开")
    t1 = ops.add_task(ctx, s1.id, TaskInput("全面公开权力清单和责任清单", Deadline(on=date(2025, 6, 30)),
                                            unit_ids=(units["党政办"],)))
    t2 = ops.add_task(ctx, s2.id, TaskInput("公开扶贫资金、项目安排等工作信息",
                                            Deadline(on=date(2025, 11, 30)),
                                            unit_ids=(units["民政办"],)))
    t3 = ops.add_task(ctx, s2.id, TaskInput("推动公开就业补贴申领条件、申领程序",
                                            Deadline(on=date(2025, 11, 10)),
                                            unit_ids=(units["劳动站"],)))
    t4 = ops.add_task(ctx, s2.id, TaskInput("公开低保、特困救助金发放情况", Deadline(wording="每季度"),
                                            unit_ids=(units["民政办"],), community_ids=(org["liuhe"],),
                                            category_id=social))
    ops.set_task_state(ctx, t1.id, TaskState.DONE)
    return {"plan": p, "s1": s1, "s2": s2, "t1": t1, "t2": t2, "t3": t3, "t4": t4}


def make_page(qtbot, ctx, year: int = 2025) -> PlanPage:
    page = PlanPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.show()
    page.set_year(year)
    return page


def task_cells(page: PlanPage, task_id: int) -> list[str]:
    row = page.model.row_of_task(task_id)
    assert row is not None
    return [page.model.index(row, c).data() for c in range(page.model.columnCount())]


def fresh(ctx: Context) -> Context:
    path = ctx.db.conn.execute("PRAGMA database_list").fetchone()[2]
    return Context(connect(path), clock=ctx.clock, files_dir=ctx.files_dir)


def published_notice(ctx, users, title: str) -> int:
    nid = notice_ops.create_notice(ctx, notice_input(ctx, title=title)).id
    approve_all(ctx, users, nid)
    notice_ops.publish_notice(ctx, nid, date(2025, 11, 10))
    return nid


# ---- copying last year's plan ----------------------------------------------------------------


def test_empty_year_copies_last_years_plan(qtbot, ctx, plan, shown):
    page = make_page(qtbot, ctx, 2026)
    assert page.stack.currentIndex() == 0
    assert "还没有2026年的政务公开工作实施方案" in page.empty_label.text()
    assert "2 个板块、4 项任务" in page.empty_label.text()
    assert page.copy_button.isVisible() and page.copy_button.isEnabled()

    page.copy_button.click()

    summary = shown["confirm"][-1]
    assert "复制 2 个板块、4 项任务" in summary
    assert "顺延到2026年" in summary and "未开始" in summary
    assert page.stack.currentIndex() == 1
    assert page.title_label.text() == "青山镇2026年政务公开工作实施方案"
    sections = [r for r in page.model.rows() if r.is_section]
    tasks = [r.task for r in page.model.rows() if not r.is_section]
    assert [page.model.index(page.model.row_of_section(r.section.id), 0).data()
            for r in sections] == ["一、围绕深化改革推进公开", "二、围绕民生改善推进公开"]
    assert [t.text for t in tasks] == [plan[k].text for k in ("t1", "t2", "t3", "t4")]
    first = task_cells(page, tasks[0].id)
    assert first[PlanTableModel.DEADLINE] == "2026年6月30日"
    assert first[PlanTableModel.STATE] == "未开始"  # was 已完成 in 2025
    assert task_cells(page, tasks[3].id)[PlanTableModel.DEADLINE] == "每季度"

    other = fresh(ctx)
    try:
        view = ops.plan_view(other, 2026)
    finally:
        other.db.close()
    assert [s.title for s in view.sections] == ["围绕深化改革推进公开", "围绕民生改善推进公开"]
    assert [t.deadline.on for t in view.tasks] == [date(2026, 6, 30), date(2026, 11, 30),
                                                   date(2026, 11, 10), None]
    assert {t.state for t in view.tasks} == {TaskState.NOT_STARTED}


def test_new_plan_then_section_and_task_through_the_dialogs(qtbot, ctx, users, org, shown,
                                                            monkeypatch):
    page = make_page(qtbot, ctx, 2026)
    assert not page.copy_button.isVisible()  # no 2025 plan to copy

    def drive(cls, fill):
        def ask(_cls, parent, *args):
            dialog = cls(parent, *args)
            fill(dialog)
            dialog.accept()
            return dialog.saved

        monkeypatch.setattr(cls, "ask", classmethod(ask))

    drive(plan_dialogs.PlanInfoDialog, lambda d: d.intro_edit.setPlainText("为做好2026年政务公开工作……"))
    page.create_button.click()
    assert page.stack.currentIndex() == 1
    assert not page.add_task_button.isEnabled()  # a task needs a section first
    drive(plan_dialogs.SectionDialog, lambda d: d.title_edit.setText("围绕民生改善推进公开"))
    page.add_section_button.click()

    refused = []

    def fill_task(d: TaskDialog) -> None:
        d.text_edit.setPlainText("公开低保资金发放情况")
        d.accept()  # no 责任单位 yet: refused, the dialog keeps the text
        refused.append((list(shown["warn"]), d.text_edit.toPlainText(), d.saved))
        d.check_owner("民政办")
        d.check_owner("柳河村")
        d.wording_radio.setChecked(True)
        d.wording_combo.setCurrentText("每季度")

    drive(TaskDialog, fill_task)
    page.add_task_button.click()
    assert refused == [(["请至少选择一个责任单位"], "公开低保资金发放情况", None)]
    task = page.selected_task()
    assert task is not None
    cells = task_cells(page, task.id)
    assert cells[1:4] == ["公开低保资金发放情况", "民政办、柳河村", "每季度"]


# ---- tracking ----------------------------------------------------------------------------------


def test_mark_a_task_done_with_a_linked_notice(qtbot, ctx, users, plan, shown, monkeypatch):
    nid = published_notice(ctx, users, "关于2025年第三季度扶贫资金使用情况的公示")
    page = make_page(qtbot, ctx)
    t2 = plan["t2"]
    assert task_cells(page, t2.id)[PlanTableModel.EVIDENCE] == "0"

    def pick(_cls, parent, ctx_, **options):
        picker = NoticePickerDialog(parent, ctx_, **options)
        picker.search_edit.setText("扶贫资金")
        picker.search()
        assert [n.id for n in picker.model.records()] == [nid]
        picker.accept()
        return picker.selected()

    monkeypatch.setattr(NoticePickerDialog, "ask", classmethod(pick))

    def track(_cls, parent, ctx_, task_id):
        d = TaskTrackDialog(parent, ctx_, task_id)
        d.link_button.click()
        assert [e.label for e in d.evidence_model.records()] == [
            "关于2025年第三季度扶贫资金使用情况的公示"]
        d.note_edit.setText("已在门户网站公开第三季度扶贫资金使用情况")
        d.note_button.click()
        d.state_combo.setCurrentIndex(d.state_combo.findData(TaskState.DONE.value))
        assert not d.reason_edit.isVisibleTo(d)
        d.state_button.click()
        assert d.state_label.text() == "已完成"
        return d.changed

    monkeypatch.setattr(TaskTrackDialog, "ask", classmethod(track))
    page.select_task(t2.id)
    page.track_button.click()

    assert shown["warn"] == []
    cells = task_cells(page, t2.id)
    assert cells[PlanTableModel.STATE] == "已完成"
    assert cells[PlanTableModel.EVIDENCE] == "1"
    assert cells[PlanTableModel.PROGRESS] == "11月20日"
    row = page.model.row_of_task(t2.id)
    colour = page.model.index(row, PlanTableModel.STATE).data(Qt.ItemDataRole.ForegroundRole)
    assert colour.name() == "#1b7a2e"
    assert page.selected_task().id == t2.id
    other = fresh(ctx)
    try:
        assert ops.get_task(other, t2.id).state is TaskState.DONE
        assert [e.notice_id for e in ops.evidence(other, t2.id)] == [nid]
    finally:
        other.db.close()


def test_not_done_needs_a_reason_and_keeps_what_was_typed(qtbot, ctx, plan, shown):
    t3 = plan["t3"]
    d = TaskTrackDialog(None, ctx, t3.id)
    qtbot.addWidget(d)
    d.show()
    d.note_edit.setText("劳动站正在整理申领材料")
    d.state_combo.setCurrentIndex(d.state_combo.findData(TaskState.NOT_DONE.value))
    assert d.reason_edit.isVisible()
    d.state_button.click()
    assert shown["warn"] == ["标为“未完成”时请填写原因"]
    assert d.state_combo.currentData() == TaskState.NOT_DONE.value
    assert d.note_edit.text() == "劳动站正在整理申领材料"
    assert d.reason_edit.isVisible()
    qtbot.waitUntil(d.reason_edit.hasFocus)
    assert ops.get_task(ctx, t3.id).state is TaskState.NOT_STARTED

    d.reason_edit.setPlainText("县人社局申领系统调整，年内未能上线")
    d.state_button.click()
    task = ops.get_task(ctx, t3.id)
    assert (task.state, task.reason) == (TaskState.NOT_DONE, "县人社局申领系统调整，年内未能上线")
    assert d.changed and "未完成" in d.state_label.text()


def test_state_colours_and_due_filter(qtbot, ctx, plan, shown):
    page = make_page(qtbot, ctx)
    fg = Qt.ItemDataRole.ForegroundRole
    due = task_cells(page, plan["t2"].id)[PlanTableModel.STATE]
    over = task_cells(page, plan["t3"].id)[PlanTableModel.STATE]
    assert due == "未开始（还有 10 天）" and over == "未开始（已超期 10 天）"
    assert page.model.index(page.model.row_of_task(plan["t3"].id), PlanTableModel.STATE) \
        .data(fg).name() == "#b3261e"
    assert page.model.index(page.model.row_of_task(plan["t2"].id), PlanTableModel.STATE) \
        .data(fg).name() == "#8a5a00"
    assert task_cells(page, plan["t4"].id)[PlanTableModel.EVIDENCE] == "0（目录 0 条）"
    page.due_check.setChecked(True)
    shown_tasks = [r.task.id for r in page.model.rows() if r.task is not None]
    assert shown_tasks == [plan["t2"].id, plan["t3"].id]
    assert not page.up_button.isEnabled() or page.selected_row() is None
    page.due_check.setChecked(False)
    page.owner_combo.setCurrentIndex(page.owner_combo.findText("柳河村"))
    assert [r.task.id for r in page.model.rows() if r.task is not None] == [plan["t4"].id]
    # 各单位任务: what each unit owes (open tasks only: 党政办's task is done)
    owners = [o.owner for o in page.owed_model.records() if o.first]
    assert "党政办" not in owners and {"民政办", "劳动站", "柳河村"} <= set(owners)


# ---- the 工作台 --------------------------------------------------------------------------------


def test_dashboard_lists_due_and_overdue_tasks_and_opens_the_plan(qtbot, ctx, plan, shown):
    dash = DashboardPage(ctx)
    qtbot.addWidget(dash)
    dash.refresh()
    rows = [[dash.plan_model.index(r, c).data() for c in range(4)]
            for r in range(dash.plan_model.rowCount())]
    assert rows == [
        ["推动公开就业补贴申领条件、申领程序", "劳动站", "2025年11月10日", "已超期 10 天"],
        ["公开扶贫资金、项目安排等工作信息", "民政办", "2025年11月30日", "还有 10 天"],
    ]
    assert dash.plan_stack.currentIndex() == 0

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    board = window.page("dashboard")
    board.refresh()
    with qtbot.waitSignal(board.open_plan_task) as signal:
        board.plan_view.doubleClicked.emit(board.plan_model.index(1, 0))
    assert signal.args == [plan["t2"].id]
    page = window.pages["plan"]
    assert window.stack.currentWidget() is page
    assert page.year == 2025 and page.selected_task().id == plan["t2"].id


def test_dashboard_block_is_empty_without_due_tasks(qtbot, ctx, users):
    dash = DashboardPage(ctx)
    qtbot.addWidget(dash)
    dash.refresh()
    assert dash.plan_model.rowCount() == 0 and dash.plan_stack.currentIndex() == 1


# ---- exports -----------------------------------------------------------------------------------


def test_exports_pdf_preview_docx_and_xlsx(qtbot, ctx, plan, shown, monkeypatch, tmp_path):
    page = make_page(qtbot, ctx)
    previews = []
    monkeypatch.setattr(printing_actions, "show_preview",
                        lambda _p, path, name: previews.append((path, name)))
    page.preview_pdf()
    assert len(previews) == 1
    path, name = previews[0]
    assert name == "青山镇2025年政务公开工作实施方案.pdf"
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert "青山镇2025年政务公开工作实施方案" in text and "公开扶贫资金" in text

    for fmt in ("docx", "xlsx"):
        target = tmp_path / f"方案-{fmt}"  # no suffix typed: the page adds it
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *_a, t=target: (str(t), ""))
        written = page.export(fmt)
        assert written == tmp_path / f"方案-{fmt}.{fmt}" and written.exists()
    d = docx.Document(str(tmp_path / "方案-docx.docx"))
    cells = [[c.text for c in row.cells] for row in d.tables[0].rows]
    assert cells[0] == ["工作任务", "责任部门", "完成时限"]
    assert ["1. 公开扶贫资金、项目安排等工作信息", "民政办", "2025年11月30日"] in cells
    ws = openpyxl.load_workbook(tmp_path / "方案-xlsx.xlsx").active
    rows = [list(r) for r in ws.iter_rows(values_only=True) if any(r)]
    assert ["1.1", "一、围绕深化改革推进公开", "全面公开权力清单和责任清单", "党政办",
            "2025年6月30日", "已完成"] in rows
    assert len(shown["info"]) == 2


# ---- permissions -------------------------------------------------------------------------------


def test_read_only_account_sees_disabled_writing_buttons(qtbot, ctx, users, plan, shown):
    leader = as_user(ctx, users[Role.PRINCIPAL_LEADER])  # neither plan.manage nor notice.edit
    page = make_page(qtbot, leader)
    page.select_task(plan["t2"].id)
    assert page.readonly_note.isVisible()
    for b in (page.add_section_button, page.add_task_button, page.edit_button, page.up_button,
              page.down_button, page.delete_button, page.info_button):
        assert not b.isEnabled(), b.text()
        assert "没有编制实施方案的权限" in b.toolTip()
    assert page.track_button.isEnabled() and page.export_button.isEnabled()  # reading is open
    d = TaskTrackDialog(page, leader, plan["t2"].id)
    qtbot.addWidget(d)
    for b in (d.state_button, d.note_button, d.link_button, d.attach_button):
        assert not b.isEnabled() and "没有记录任务进展的权限" in b.toolTip()

    empty = make_page(qtbot, leader, 2026)
    assert not empty.create_button.isEnabled() and not empty.copy_button.isEnabled()

    head = as_user(ctx, users[Role.UNIT_HEAD])  # tracks, does not edit
    d2 = TaskTrackDialog(page, head, plan["t2"].id)
    qtbot.addWidget(d2)
    assert d2.state_button.isEnabled() and d2.link_button.isEnabled()
    assert not make_page(qtbot, head).add_task_button.isEnabled()
