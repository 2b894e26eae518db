"""落实情况报告 on screen (issue 8 §3) on a real temporary database (ctx's clock: Thursday
2025-11-20), and B9 for the plan's task dialog: the report of a year with a plan, an edited
存在的主要问题 saved and read back through a fresh connection, 重新生成草稿 as one undoable edit,
a save on a full disk (D4) that keeps the text and its draft, offered back by a fresh view, the
exports (Word read back, PDF to the preview), a read-only account, and the task dialog's draft
of a progress note whose save failed."""

from __future__ import annotations

import contextlib
from datetime import date

import docx
import pytest
from conftest import as_user
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

from govdesk.core.org import Role
from govdesk.core.work_plan import Deadline, TaskInput, TaskState
from govdesk.gui import messages, printing_actions
from govdesk.gui.dialogs.plan_dialogs import TaskTrackDialog
from govdesk.gui.drafts import UNSAVED_SUFFIX
from govdesk.gui.pages.plan_page import PlanPage
from govdesk.gui.pages.plan_report_view import PlanReportDialog, PlanReportView
from govdesk.operations import drafts as draft_files
from govdesk.operations import lists
from govdesk.operations import plan_report as report_ops
from govdesk.operations import work_plan as ops
from govdesk.operations.context import Context
from govdesk.store.database import connect

NO_LIMIT = 1_073_741_823
PROBLEMS = "一是部分任务推进较慢。\n二是佐证材料归档不及时。\n下一步将加强督办。"


class Shown(list):
    restore = True


@pytest.fixture(autouse=True)
def shown(tmp_path, monkeypatch) -> Shown:
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    out = Shown()
    for name in ("info", "warn", "error"):
        monkeypatch.setattr(messages, name,
                            lambda _p, text, *_a, n=name, **_k: out.append((n, text)))
    monkeypatch.setattr(messages, "confirm",
                        lambda _p, text, *_a, **_k: out.append(("confirm", text)) or True)
    monkeypatch.setattr(messages, "choose",
                        lambda _p, text, *_a, **_k: out.append(("choose", text)) or out.restore)
    return out


@pytest.fixture
def plan(ctx, users, org):
    """A 2025 plan: one task done, one 未完成 with its 原因, one still 推进中."""
    units = {u.name: u.id for u in lists.units(ctx)}
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
    ops.set_task_state(ctx, t1.id, TaskState.DONE)
    ops.set_task_state(ctx, t3.id, TaskState.NOT_DONE, "劳动站人员调整，材料未能按期整理")
    ops.add_progress(ctx, t2.id, "已公开第三季度扶贫项目安排", date(2025, 10, 15))
    return {"plan": p, "t1": t1, "t2": t2, "t3": t3}


@contextlib.contextmanager
def disk_full(ctx: Context):
    """D4: no page may be added to the database file while inside."""
    conn = ctx.db.conn
    size = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count={size}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA max_page_count={NO_LIMIT}")


def restarted(db_path, user, clock) -> Context:
    return Context(connect(db_path), user=user, clock=clock, authenticated_at=clock())


def make_view(qtbot, ctx, year: int = 2025) -> PlanReportView:
    view = PlanReportView(ctx, year)
    qtbot.addWidget(view)
    view.resize(1100, 760)
    view.show()
    return view


def test_plan_page_opens_the_report_of_its_year(qtbot, ctx, plan, monkeypatch):
    page = PlanPage(ctx)
    qtbot.addWidget(page)
    page.set_year(2025)
    assert page.report_button.isEnabled()
    opened = []
    monkeypatch.setattr(PlanReportDialog, "ask", classmethod(
        lambda cls, parent, c, year: opened.append(year)))
    page.report_button.click()
    assert opened == [2025]
    page.set_year(2026)  # no plan that year
    assert not page.report_button.isEnabled()


def test_report_shows_texts_and_every_task_and_saves_problems(qtbot, ctx, plan, shown,
                                                              db_path, clock):
    view = make_view(qtbot, ctx)
    assert view.title_label.text() == "青山镇2025年政务公开工作实施方案落实情况"
    assert "3项" in view.sections["overview"].text()
    assert "劳动站人员调整" in view.sections["problems"].text()
    assert "按本年数据生成的草稿" in view.sections["problems"].source.text()
    model = view.appendix_model
    cells = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
    assert cells[0][0] == "一、围绕深化改革推进公开"
    assert ["1", "全面公开权力清单和责任清单", "党政办", "已完成"] == cells[1]
    assert any(row[1] == "推动公开就业补贴申领条件、申领程序" and row[3].startswith("未完成")
               for row in cells)
    assert model.rowCount() == 2 + 3  # two section rows, three tasks
    assert not model.item(1, 3).isEditable()

    view.sections["problems"].editor.setPlainText(PROBLEMS)
    assert view.is_dirty() and "有未保存的修改" in view.state_note.text()
    assert view.save()
    assert shown[-1][0] == "info" and "已保存" in shown[-1][1]
    assert not view.is_dirty()
    assert "已保存" in view.sections["problems"].source.text()
    fresh = restarted(db_path, ctx.user, clock)
    report = report_ops.build_plan_report(fresh, 2025)
    assert report.texts[2] == PROBLEMS
    assert report.sources == ("draft", "draft", "saved")
    assert draft_files.load(ctx, "plan_report-2025") is None


def test_regenerate_replaces_the_text_as_one_undoable_edit(qtbot, ctx, plan, shown):
    report_ops.save_plan_report(ctx, 2025, problems=PROBLEMS)
    view = make_view(qtbot, ctx)
    editor = view.sections["problems"].editor
    assert editor.toPlainText() == PROBLEMS
    view.regenerate_buttons["problems"].click()
    assert shown[-1][0] == "confirm" and "重新生成" in shown[-1][1]
    assert "劳动站人员调整" in editor.toPlainText()
    assert "已重新生成" in view.sections["problems"].source.text()
    assert view.tabs.tabText(2) == "三、问题及改进 *"
    editor.undo()
    assert editor.toPlainText() == PROBLEMS
    editor.redo()
    assert view.save()  # the regenerated draft unchanged: saved blank, follows the data
    assert report_ops.build_plan_report(ctx, 2025).sources[2] == "draft"


def test_a_save_on_a_full_disk_keeps_the_text_and_a_fresh_view_offers_it(
        qtbot, ctx, plan, shown, db_path, clock):
    view = make_view(qtbot, ctx)
    long_text = "存在的主要问题：" + "部分单位公开不及时，佐证材料归档不全。" * 800
    view.sections["problems"].editor.setPlainText(long_text)
    with disk_full(ctx):
        assert not view.save()
    assert any(kind == "warn" and "磁盘空间不足" in text for kind, text in shown)
    assert view.sections["problems"].text() == long_text
    assert view.drafts.marked_unsaved and view.windowTitle().endswith(UNSAVED_SUFFIX)
    draft = draft_files.load(ctx, "plan_report-2025")
    assert draft is not None and draft.fields["texts"]["problems"] == long_text
    fresh = restarted(db_path, ctx.user, clock)
    assert report_ops.build_plan_report(fresh, 2025).sources[2] == "draft"  # nothing saved
    view.close()

    again = make_view(qtbot, fresh)
    assert again.sections["problems"].text() != long_text
    assert again.offer_draft()
    assert shown[-1][0] == "choose" and "是否恢复" in shown[-1][1]
    assert again.sections["problems"].text() == long_text
    assert again.save()
    assert report_ops.build_plan_report(ctx, 2025).texts[2] == long_text
    assert draft_files.load(ctx, "plan_report-2025") is None


def test_exports_word_and_pdf_preview(qtbot, ctx, plan, shown, monkeypatch, tmp_path):
    report_ops.save_plan_report(ctx, 2025, problems=PROBLEMS)
    view = make_view(qtbot, ctx)
    target = tmp_path / "out" / "报告"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: (str(target), "Word 文档 (*.docx)"))
    path = view.export_docx()
    assert path == target.with_name("报告.docx") and path.exists()
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "青山镇2025年政务公开工作实施方案落实情况" in text
    assert "佐证材料归档不及时" in text
    tables = docx.Document(str(path)).tables
    assert tables and any("推动公开就业补贴申领条件、申领程序" in c.text
                          for t in tables for row in t.rows for c in row.cells)

    previews = []
    monkeypatch.setattr(printing_actions, "show_preview",
                        lambda _p, p, name: previews.append((p, name)))
    view.preview_pdf()
    assert len(previews) == 1
    pdf, name = previews[0]
    assert name == "青山镇2025年政务公开工作实施方案落实情况.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_unsaved_edits_are_saved_before_an_export(qtbot, ctx, plan, shown, monkeypatch):
    view = make_view(qtbot, ctx)
    view.sections["problems"].editor.setPlainText(PROBLEMS)
    previews = []
    monkeypatch.setattr(printing_actions, "show_preview",
                        lambda _p, p, name: previews.append(p))
    view.preview_pdf()
    assert any(k == "confirm" and "导出前先保存" in t for k, t in shown)
    assert report_ops.build_plan_report(ctx, 2025).texts[2] == PROBLEMS
    assert len(previews) == 1


def test_read_only_account_sees_and_exports_but_cannot_save(qtbot, ctx, users, plan,
                                                           monkeypatch):
    reader = as_user(ctx, users[Role.UNIT_HEAD])
    view = make_view(qtbot, reader)
    assert not view.save_button.isEnabled() and "权限" in view.save_button.toolTip()
    assert not any(b.isEnabled() for b in view.regenerate_buttons.values())
    assert all(s.editor.isReadOnly() for s in view.sections.values())
    assert view.word_button.isEnabled() and view.pdf_button.isEnabled()
    assert not view.drafts.enabled
    assert not view.save()


def test_closing_the_dialog_with_edits_asks_and_discards_the_draft(qtbot, ctx, plan, shown):
    dialog = PlanReportDialog(None, ctx, 2025)
    qtbot.addWidget(dialog)
    dialog.view.sections["overview"].editor.setPlainText("改写的概述")
    dialog.view.drafts.write()
    assert draft_files.load(ctx, "plan_report-2025") is not None
    dialog.reject()
    assert shown[-1][0] == "confirm" and "关闭后将丢失" in shown[-1][1]
    assert draft_files.load(ctx, "plan_report-2025") is None


# ---- the task dialog (B9) --------------------------------------------------------------------


def test_task_dialog_keeps_a_progress_note_whose_save_failed(qtbot, ctx, plan, shown,
                                                              db_path, clock):
    task_id = plan["t2"].id
    dialog = TaskTrackDialog(None, ctx, task_id)
    qtbot.addWidget(dialog)
    note = "已在镇政府门户网站公开第四季度扶贫资金安排。" + "详细说明。" * 370
    dialog.note_edit.setText(note)
    with disk_full(ctx):
        dialog.add_note()
    assert any(kind == "warn" and "磁盘空间不足" in text for kind, text in shown)
    assert dialog.note_edit.text() == note
    assert dialog.drafts.marked_unsaved
    draft = draft_files.load(ctx, f"plan_task-{task_id}")
    assert draft is not None and draft.fields["note"] == note
    fresh = restarted(db_path, ctx.user, clock)
    assert len(ops.progress_notes(fresh, task_id)) == 1  # only the fixture's note

    again = TaskTrackDialog(None, fresh, task_id)
    qtbot.addWidget(again)
    assert again.drafts.offer()
    assert shown[-1][0] == "choose" and "是否恢复" in shown[-1][1]
    assert again.note_edit.text() == note
    again.add_note()
    assert len(ops.progress_notes(fresh, task_id)) == 2
    assert again.note_edit.text() == ""
    assert draft_files.load(fresh, f"plan_task-{task_id}") is None


def test_task_dialog_keeps_the_reason_while_a_note_is_recorded(qtbot, ctx, plan, shown):
    task_id = plan["t2"].id
    dialog = TaskTrackDialog(None, ctx, task_id)
    qtbot.addWidget(dialog)
    dialog.state_combo.setCurrentIndex(dialog.state_combo.findData(TaskState.NOT_DONE.value))
    dialog.reason_edit.setPlainText("资金下达较晚")
    dialog.note_edit.setText("已整理第四季度材料")
    dialog.add_note()
    assert dialog.note_edit.text() == ""
    draft = draft_files.load(ctx, f"plan_task-{task_id}")
    assert draft is not None and draft.fields == {"note": "", "reason": "资金下达较晚"}
    dialog.reject()  # asks (the test says 放弃), the draft goes
    assert shown[-1][0] == "confirm"
    assert draft_files.load(ctx, f"plan_task-{task_id}") is None
