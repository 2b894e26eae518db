"""工作台账 page (issue 8 §4) on a real temporary database (ctx's clock: Thursday 2025-11-20):
a hotline case added and closed through the dialogs while the 办结率 changes, the overdue case
in red and under 已超期, a 政策解读 linked to a notice, 建议提案 and 培训与会议 added, corrected and
deleted, imports (a good sheet from the template, a broken one that changes nothing), the
export read back, and the buttons of a read-only account."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from conftest import as_user, notice_input
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from govdesk.core.org import Role
from govdesk.core.registers import (
    HotlineCase,
    Meeting,
    Proposal,
    RegisterKind,
    Satisfaction,
)
from govdesk.gui import messages, ui_state
from govdesk.gui.dialogs.notice_picker_dialog import NoticePickerDialog
from govdesk.gui.dialogs.register_dialogs import (
    HotlineCloseDialog,
    HotlineDialog,
    ImportProblemsDialog,
    InterpretationDialog,
    MeetingDialog,
    ProposalDialog,
)
from govdesk.gui.models.register_models import (
    OVERDUE_TEXT,
    Names,
    RegisterTableModel,
)
from govdesk.gui.pages.registers_page import RegistersPage
from govdesk.operations import notices as notice_ops
from govdesk.operations import registers as register_ops
from govdesk.store.database import close, connect, path_of

TODAY = date(2025, 11, 20)
HOTLINE = RegisterKind.HOTLINE
FG = Qt.ItemDataRole.ForegroundRole


def type_chinese(widget, text: str) -> None:
    """Type the way an input method commits text (keyClicks aborts on non-ASCII)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def qd(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


@pytest.fixture
def shown(monkeypatch) -> dict[str, list[str]]:
    """messages.* recorded instead of shown; confirm says yes; no folder remembered."""
    out: dict[str, list[str]] = {"warn": [], "info": [], "confirm": []}
    monkeypatch.setattr(messages, "warn", lambda _p, text, *_a, **_k: out["warn"].append(text))
    monkeypatch.setattr(messages, "info", lambda _p, text, *_a, **_k: out["info"].append(text))

    def confirm(_p, text, *_a, **_k):
        out["confirm"].append(text)
        return True

    monkeypatch.setattr(messages, "confirm", confirm)
    monkeypatch.setattr(ui_state, "last_dir", lambda _k, default="": default)
    monkeypatch.setattr(ui_state, "set_last_dir", lambda *_a: None)
    return out


def make_page(qtbot, ctx) -> RegistersPage:
    page = RegistersPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    return page


def drive(monkeypatch, cls, fill):
    """Replace ``cls.ask`` so the page's button builds the real dialog, ``fill`` types into it,
    and 保存 is pressed — no exec()."""
    made = []

    def ask(_cls, parent, *args, **kwargs):
        dialog = cls(parent, *args, **kwargs)
        made.append(dialog)
        fill(dialog)
        dialog.accept()
        return dialog.saved

    monkeypatch.setattr(cls, "ask", classmethod(ask))
    return made


def column(tab, header: str) -> int:
    m = tab.model
    return next(c for c in range(m.columnCount())
                if m.headerData(c, Qt.Orientation.Horizontal) == header)


def cell(tab, row: int, header: str) -> str:
    """The text shown in a row of the (sorted) table."""
    return tab.proxy.index(row, column(tab, header)).data()


def rows(tab) -> int:
    return tab.proxy.rowCount()


def select(tab, record_id: int) -> None:
    assert tab.select_record(record_id)


def fresh(ctx):
    db = connect(path_of(ctx.db), migrate=False)
    return db, replace(ctx, db=db)


# ---- 舆情与热线: add, close, watch the rate ---------------------------------------------------


def test_add_and_close_a_hotline_case_changes_the_closure_rate(qtbot, ctx, users, org,
                                                                 monkeypatch, shown):
    page = make_page(qtbot, ctx)
    tab = page.show_register(HOTLINE)
    assert page.tabs.tabText(page.tabs.currentIndex()) == "舆情与热线"
    assert "2025年：受理 0 件，办结 0 件，办结率 —，按时办结率 —" in tab.summary_label.text()

    def fill(d: HotlineDialog) -> None:
        # default: today received, 12345热线, the channel's 办理时限 shown as computed
        assert d.received_edit.date() == qd(TODAY)
        assert d.due_default.isChecked() and not d.due_edit.isEnabled()
        d.received_edit.setDate(qd(date(2025, 11, 17)))
        assert d.channel() == "12345热线"
        due = ctx.calendar.add_workdays(date(2025, 11, 17), 5)
        assert d.due_edit.date() == qd(due)
        assert f"{due.year}年{due.month}月{due.day}日" in d.due_label.text()
        type_chinese(d.subject_edit, "反映云溪路路灯不亮，夜间出行不便")
        type_chinese(d.number_edit, "GD20251117001")
        # no 承办单位 yet: refused, the typing stays, the dialog stays open
        d.accept()
        assert shown["warn"] and "承办单位" in shown["warn"][-1]
        assert d.saved is None and d.result() != d.DialogCode.Accepted
        assert d.subject_edit.toPlainText() == "反映云溪路路灯不亮，夜间出行不便"
        assert not d.fed_back_check.isEnabled()  # not closed: no feedback yet
        assert d.owner_combo.select_name("城建办")

    made = drive(monkeypatch, HotlineDialog, fill)
    tab.add_button.click()
    assert len(made) == 1 and made[0].saved is not None
    case = made[0].saved
    assert case.due_on == ctx.calendar.add_workdays(date(2025, 11, 17), 5)
    assert rows(tab) == 1 and tab.selected_id() == case.id
    assert cell(tab, 0, "受理日期") == "2025-11-17"
    assert cell(tab, 0, "状态") == "办理中" and cell(tab, 0, "承办单位") == "城建办"
    assert "受理 1 件，办结 0 件，办结率 0%，按时办结率 —" in tab.summary_label.text()
    assert tab.close_button.isEnabled()

    def close_it(d: HotlineCloseDialog) -> None:
        assert d.closed_edit.date() == qd(TODAY) and d.fed_back_check.isChecked()
        assert d.timing_label.text() == "按时办结"
        d.satisfaction_combo.setCurrentIndex(d.satisfaction_combo.findData("满意"))

    drive(monkeypatch, HotlineCloseDialog, close_it)
    tab.close_button.click()
    qtbot.waitUntil(lambda: "办结率 100%" in tab.summary_label.text())
    text = tab.summary_label.text()
    assert "受理 1 件，办结 1 件，办结率 100%，按时办结率 100%" in text
    assert "结果反馈率 100%，满意率 100%" in text
    assert cell(tab, 0, "状态") == "已办结" and cell(tab, 0, "办结日期") == "2025-11-20"
    assert cell(tab, 0, "满意度") == "满意"
    assert not tab.close_button.isEnabled()  # closed: 办结 once

    db, other = fresh(ctx)
    try:
        got = register_ops.get_record(other, HOTLINE, case.id)
    finally:
        close(db)
    assert got.closed_on == TODAY and got.fed_back and got.satisfaction is Satisfaction.SATISFIED
    assert got.subject == "反映云溪路路灯不亮，夜间出行不便" and got.unit_id == 5


def test_an_overdue_open_case_is_red_and_filtered_by_overdue(qtbot, ctx, users, org, shown):
    late = register_ops.add_record(ctx, HotlineCase(date(2025, 10, 9), "网络舆情",
                                                    "网传柳河村垃圾清运不及时", community_id=org["liuhe"]))
    register_ops.add_record(ctx, HotlineCase(date(2025, 11, 19), "12345热线", "噪音扰民", unit_id=8))
    register_ops.add_record(ctx, HotlineCase(date(2025, 10, 20), "市长信箱", "道路破损",
                                             unit_id=5, closed_on=date(2025, 10, 30)))
    page = make_page(qtbot, ctx)
    tab = page.show_register(HOTLINE)
    assert rows(tab) == 3
    assert "超期未办结 1 件" in tab.summary_label.text()
    select(tab, late.id)
    row = tab.table.selectionModel().selectedRows()[0].row()
    assert cell(tab, row, "状态") == "已超期"
    assert tab.proxy.index(row, 0).data(FG) == OVERDUE_TEXT
    assert "已超过办理时限" in tab.proxy.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    others = [r for r in range(3) if r != row]
    assert all(tab.proxy.index(r, 0).data(FG) is None for r in others)

    tab.state_combo.setCurrentIndex(tab.state_combo.findData("已超期"))
    assert rows(tab) == 1 and cell(tab, 0, "事项") == "网传柳河村垃圾清运不及时"
    assert "已筛选" in tab.count_label.text()
    tab.state_combo.setCurrentIndex(tab.state_combo.findData("办理中"))
    assert rows(tab) == 1 and cell(tab, 0, "事项") == "噪音扰民"
    tab.state_combo.setCurrentIndex(0)
    tab.category_combo.setCurrentIndex(tab.category_combo.findData("市长信箱"))
    assert rows(tab) == 1 and cell(tab, 0, "状态") == "已办结"
    tab.category_combo.setCurrentIndex(0)
    tab.period_combo.setCurrentIndex(tab.period_combo.findText("11月"))
    assert rows(tab) == 1 and "2025年11月：受理 1 件" in tab.summary_label.text()
    tab.period_combo.setCurrentIndex(0)
    type_chinese(tab.search_edit, "垃圾")
    qtbot.waitUntil(lambda: rows(tab) == 1)
    assert cell(tab, 0, "承办单位") == "柳河村"


def test_table_sorts_by_date_and_the_model_passes_the_tester(qtbot, qtmodeltester, ctx, users):
    for d, subject in ((date(2025, 3, 3), "三月"), (date(2025, 9, 9), "九月"),
                       (date(2025, 1, 1), "一月")):
        register_ops.add_record(ctx, HotlineCase(d, "12345热线", subject, unit_id=1))
    page = make_page(qtbot, ctx)
    tab = page.show_register(HOTLINE)
    assert [cell(tab, r, "事项") for r in range(3)] == ["九月", "三月", "一月"]  # newest first
    tab.table.sortByColumn(column(tab, "受理日期"), Qt.SortOrder.AscendingOrder)
    assert [cell(tab, r, "事项") for r in range(3)] == ["一月", "三月", "九月"]
    model = RegisterTableModel(HOTLINE)
    model.set_records(register_ops.list_records(ctx, HOTLINE), Names({1: "党政办"}, today=TODAY))
    qtmodeltester.check(model)


# ---- 政策解读 linked to a notice --------------------------------------------------------------


def test_add_an_interpretation_linked_to_a_notice(qtbot, ctx, users, org, monkeypatch, shown):
    notice = notice_ops.create_notice(ctx, notice_input(ctx))
    notice_ops.create_notice(ctx, notice_input(ctx, title="关于2025年秋季征兵工作的通告"))
    page = make_page(qtbot, ctx)
    tab = page.show_register(RegisterKind.INTERPRETATION)
    assert "发布政策解读 0 条" in tab.summary_label.text()

    def pick(_cls, parent, ctx_, **options):
        picker = NoticePickerDialog(parent, ctx_, **options)
        assert picker.model.rowCount() == 2
        type_chinese(picker.search_edit, "低保")
        qtbot.waitUntil(lambda: picker.model.rowCount() == 1)
        assert picker.ok_button.isEnabled()
        chosen = picker.selected()
        picker.deleteLater()
        return chosen

    monkeypatch.setattr(NoticePickerDialog, "ask", classmethod(pick))

    def fill(d: InterpretationDialog) -> None:
        d.published_edit.setDate(qd(date(2025, 11, 12)))
        type_chinese(d.title_edit, "一图读懂柳河村低保对象公示")
        d.form_combo.setCurrentIndex(d.form_combo.findData("图解"))
        assert d.notice_label.text() == "未关联" and not d.clear_button.isEnabled()
        d.pick_button.click()
        assert d.notice_id == notice.id
        assert notice.title in d.notice_label.text()
        assert not d.policy_edit.isEnabled()

    made = drive(monkeypatch, InterpretationDialog, fill)
    tab.add_button.click()
    saved = made[0].saved
    assert saved is not None and saved.notice_id == notice.id and saved.policy_title == ""
    assert rows(tab) == 1
    assert cell(tab, 0, "所解读的政策") == f"{notice.title}（{notice.index_number}）"
    assert cell(tab, 0, "形式") == "图解" and cell(tab, 0, "解读日期") == "2025-11-12"
    assert "发布政策解读 1 条（图解 1 条）" in tab.summary_label.text()

    # 修改 (double-click): unlink and name a county document instead
    def edit(d: InterpretationDialog) -> None:
        assert d.notice_id == notice.id and d.title_edit.text() == "一图读懂柳河村低保对象公示"
        d.clear_button.click()
        assert d.policy_edit.isEnabled()
        type_chinese(d.policy_edit, "县民政局关于调整城乡低保标准的通知")

    drive(monkeypatch, InterpretationDialog, edit)
    select(tab, saved.id)
    index = tab.table.selectionModel().selectedRows()[0]
    tab.table.doubleClicked.emit(index)
    got = register_ops.get_record(ctx, RegisterKind.INTERPRETATION, saved.id)
    assert got.notice_id is None and got.policy_title == "县民政局关于调整城乡低保标准的通知"
    assert cell(tab, 0, "所解读的政策") == "县民政局关于调整城乡低保标准的通知"


# ---- 建议提案 and 培训与会议: add, edit, delete ----------------------------------------------------


def test_proposal_add_edit_delete(qtbot, ctx, users, org, monkeypatch, shown):
    page = make_page(qtbot, ctx)
    tab = page.show_register(RegisterKind.PROPOSAL)

    def fill(d: ProposalDialog) -> None:
        d.kind_combo.setCurrentIndex(d.kind_combo.findData("政协委员提案"))
        type_chinese(d.number_edit, "第7号")
        type_chinese(d.title_edit, "关于加快农村生活污水治理的提案")
        type_chinese(d.lead_edit, "李淑芬")
        d.received_edit.setDate(qd(date(2025, 4, 2)))
        d.owner_combo.select_name("农业农村办")
        assert not d.satisfaction_combo.isEnabled()  # not answered yet

    made = drive(monkeypatch, ProposalDialog, fill)
    tab.add_button.click()
    p = made[0].saved
    assert isinstance(p, Proposal) and p.number == "第7号" and p.replied_on is None
    assert cell(tab, 0, "状态") == "未答复" and cell(tab, 0, "领衔人") == "李淑芬"
    assert "承办建议提案 1 件（政协委员提案 1 件），已答复 0 件，答复率 0%，满意率 —" \
        in tab.summary_label.text()

    def answer(d: ProposalDialog) -> None:
        assert d.number_edit.text() == "第7号"
        d.replied_edit.setDate(qd(date(2025, 6, 20)))
        assert d.satisfaction_combo.isEnabled()
        d.satisfaction_combo.setCurrentIndex(d.satisfaction_combo.findData("基本满意"))

    drive(monkeypatch, ProposalDialog, answer)
    select(tab, p.id)
    tab.edit_button.click()
    assert cell(tab, 0, "状态") == "已答复" and cell(tab, 0, "满意度") == "基本满意"
    assert "答复率 100%，满意率 100%" in tab.summary_label.text()

    select(tab, p.id)
    tab.delete_button.click()
    assert shown["confirm"] and "第7号" in shown["confirm"][-1]
    qtbot.waitUntil(lambda: rows(tab) == 0)
    assert register_ops.list_records(ctx, RegisterKind.PROPOSAL) == []


def test_meeting_add_edit_delete(qtbot, ctx, users, org, monkeypatch, shown):
    page = make_page(qtbot, ctx)
    tab = page.show_register(RegisterKind.MEETING)

    def fill(d: MeetingDialog) -> None:
        assert d.held_edit.date() == qd(TODAY)
        d.kind_combo.setCurrentIndex(d.kind_combo.findData("领导小组会议"))
        d.held_edit.setDate(qd(date(2025, 3, 6)))
        type_chinese(d.topic_edit, "2025年政务公开工作领导小组第一次会议")
        d.participants_spin.setValue(12)
        d.owner_combo.select_name("党政办")

    made = drive(monkeypatch, MeetingDialog, fill)
    tab.add_button.click()
    m = made[0].saved
    assert isinstance(m, Meeting) and m.participants == 12 and m.unit_id == 1
    assert cell(tab, 0, "参加人数") == "12" and cell(tab, 0, "日期") == "2025-03-06"
    assert "举办培训和会议 1 次（领导小组会议 1 次），参加 12 人次" in tab.summary_label.text()

    def edit(d: MeetingDialog) -> None:
        assert d.participants_spin.value() == 12
        d.participants_spin.setValue(15)

    drive(monkeypatch, MeetingDialog, edit)
    select(tab, m.id)
    tab.edit_button.click()
    assert register_ops.get_record(ctx, RegisterKind.MEETING, m.id).participants == 15
    assert "参加 15 人次" in tab.summary_label.text()

    # 一季度 holds it; 二季度 does not
    tab.period_combo.setCurrentIndex(tab.period_combo.findText("二季度"))
    assert rows(tab) == 0 and "2025年第二季度：举办培训和会议 0 次" in tab.summary_label.text()
    tab.period_combo.setCurrentIndex(tab.period_combo.findText("一季度"))
    assert rows(tab) == 1

    select(tab, m.id)
    tab.delete_button.click()
    qtbot.waitUntil(lambda: rows(tab) == 0)
    assert register_ops.list_records(ctx, RegisterKind.MEETING) == []


# ---- import and export ----------------------------------------------------------------------


def test_import_a_sheet_made_from_the_template(qtbot, ctx, users, org, monkeypatch, shown,
                                               tmp_path):
    page = make_page(qtbot, ctx)
    tab = page.show_register(RegisterKind.MEETING)
    template = tmp_path / "培训模板"  # the suffix is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(template), ""))
    tab.template_button.click()
    path = template.with_name("培训模板.xlsx")
    assert path.exists() and "已保存培训与会议导入模板" in shown["info"][-1]

    wb = load_workbook(path)
    ws = wb.worksheets[0]
    ws.append(["专题会议", "2025-08-21", "政务公开重点领域信息发布专题会", "20", "柳河村", ""])
    wb.save(path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    tab.import_button.click()
    qtbot.waitUntil(lambda: rows(tab) == 2)
    assert "导入培训与会议2次" in shown["info"][-1]
    assert "举办培训和会议 2 次" in tab.summary_label.text()
    assert "参加 65 人次" in tab.summary_label.text()  # the example's 45 and 20

    # the same file again: nothing doubled
    tab.import_button.click()
    qtbot.waitUntil(lambda: "已跳过" in shown["info"][-1])
    assert "导入培训与会议0次；2次此前已登记" in shown["info"][-1]
    assert len(register_ops.list_records(ctx, RegisterKind.MEETING)) == 2


def test_a_broken_sheet_shows_every_error_and_imports_nothing(qtbot, ctx, users, org,
                                                              monkeypatch, shown, tmp_path):
    path = register_ops.write_register_template(HOTLINE, tmp_path / "热线.xlsx")
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    ws.append(["2025-10-08", "12345热线", "GD2", "路面积水", "城建办", "", "", "否", "未评价", ""])
    ws.append(["2025-13-40", "来电", "GD3", "噪音", "不存在办", "", "", "否", "未评价", ""])
    wb.save(path)
    page = make_page(qtbot, ctx)
    tab = page.show_register(HOTLINE)
    problems: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(ImportProblemsDialog, "show_problems",
                        classmethod(lambda _c, _p, title, found: problems.append((title, found))))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    tab.import_button.click()
    qtbot.waitUntil(lambda: bool(problems))
    title, found = problems[0]
    assert "未导入任何数据" in title and "热线.xlsx" in title
    text = "\n".join(found)
    assert "第 4 行 A 列“受理日期”" in text
    assert "第 4 行 B 列“渠道”" in text and "第 4 行 E 列“承办单位”" in text
    assert all(p.startswith("第 4 行") for p in found)
    assert register_ops.list_records(ctx, HOTLINE) == [] and rows(tab) == 0
    assert not shown["info"]

    # the dialog lists them all, in a list that scrolls
    dialog = ImportProblemsDialog(None, title, found)
    qtbot.addWidget(dialog)
    assert dialog.list_edit.toPlainText().splitlines() == found
    assert f"共 {len(found)} 处问题" in dialog.title_label.text()


def test_export_reads_back(qtbot, ctx, users, org, monkeypatch, shown, tmp_path):
    register_ops.add_record(ctx, HotlineCase(date(2025, 11, 3), "51890热线", "反映自来水停水",
                                             unit_id=5, case_number="GD11",
                                             closed_on=date(2025, 11, 5), fed_back=True,
                                             satisfaction="满意"))
    register_ops.add_record(ctx, HotlineCase(date(2025, 10, 9), "网络舆情", "网传垃圾清运不及时",
                                             community_id=org["liuhe"]))
    page = make_page(qtbot, ctx)
    tab = page.show_register(HOTLINE)
    target = tmp_path / "out.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    tab.export_button.click()
    qtbot.waitUntil(lambda: bool(shown["info"]))
    assert "已导出2025年舆情与热线2件" in shown["info"][-1]
    ws = load_workbook(target).worksheets[0]
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    flat = [str(v) for row in values for v in row if v is not None]
    assert any("2025年舆情与热线登记表" in v for v in flat)
    assert any("办结率50%" in v for v in flat)
    at = next(i for i, row in enumerate(values) if "受理日期" in row)
    header = values[at]
    assert header[:2] == ["受理日期", "渠道"] and "状态" in header
    data = [dict(zip(header, row, strict=True)) for row in values[at + 1:] if any(row)]
    assert len(data) == 2
    by_subject = {d["事项"]: d for d in data}
    assert by_subject["反映自来水停水"]["状态"] == "已办结"
    assert by_subject["网传垃圾清运不及时"]["状态"] == "已超期"
    assert by_subject["网传垃圾清运不及时"]["承办单位"] == "柳河村"


# ---- permissions ----------------------------------------------------------------------------


def test_a_read_only_account_sees_disabled_buttons(qtbot, ctx, users, shown):
    register_ops.add_record(ctx, HotlineCase(date(2025, 11, 3), "12345热线", "路灯", unit_id=5))
    leader = as_user(ctx, users[Role.DEPUTY_LEADER])
    page = make_page(qtbot, leader)
    for kind, tab in page.tab.items():
        assert not tab.add_button.isEnabled(), kind
        assert not tab.import_button.isEnabled()
        assert "没有登记和修改工作台账的权限" in tab.add_button.toolTip()
        assert tab.export_button.isEnabled() and tab.template_button.isEnabled()
        assert tab.readonly_note.isVisibleTo(tab)
    tab = page.show_register(HOTLINE)
    select(tab, register_ops.list_records(ctx, HOTLINE)[0].id)
    for b in (tab.edit_button, tab.delete_button, tab.close_button):
        assert not b.isEnabled() and "没有登记和修改工作台账的权限" in b.toolTip()
    # double-click does nothing either
    tab.table.doubleClicked.emit(tab.table.selectionModel().selectedRows()[0])
    clerk_page = make_page(qtbot, ctx)
    assert clerk_page.tab[HOTLINE].add_button.isEnabled()
    assert not clerk_page.tab[HOTLINE].readonly_note.isVisibleTo(clerk_page.tab[HOTLINE])


def test_the_page_is_in_the_navigation(qtbot, ctx, users):
    from govdesk.gui import main_window

    keys = [k for k, _l, _f in main_window.PAGES]
    labels = dict((k, label) for k, label, _f in main_window.PAGES)
    assert labels["registers"] == "工作台账"
    assert keys.index("registers") == keys.index("requests") + 1
    factory = next(f for k, _l, f in main_window.PAGES if k == "registers")
    page = factory(ctx, None)
    qtbot.addWidget(page)
    assert isinstance(page, RegistersPage)
    assert [page.tabs.tabText(i) for i in range(4)] == ["政策解读", "舆情与热线", "建议提案", "培训与会议"]
