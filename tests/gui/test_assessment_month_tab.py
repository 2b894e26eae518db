"""The 月抽查 month grid on a real temporary database: keyboard entry and saving read back from
the store, refused values, Delete, the detail panel, 复制上月, 自动发现, a refused save that keeps
the grid, read-only accounts, the unsaved-changes prompt, and the import buttons."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date  # noqa: E402
from decimal import Decimal  # noqa: E402

import pytest  # noqa: E402
from conftest import approve_all, as_user, notice_input  # noqa: E402
from PySide6.QtCore import QDate, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit  # noqa: E402

from govdesk.core.org import Role  # noqa: E402
from govdesk.core.scoring import AutoFinding, CheckKind, Deduction, SpotCheck  # noqa: E402
from govdesk.gui import messages  # noqa: E402
from govdesk.gui.models.spot_check_models import (  # noqa: E402
    AUTO_BACKGROUND,
    DeductionLinesModel,
    SpotCheckGridModel,
    header_lines,
)
from govdesk.gui.pages.assessment_month_tab import MonthTab, last_month  # noqa: E402
from govdesk.operations import scoring as ops  # noqa: E402
from govdesk.store import score_store  # noqa: E402

KEY = Qt.Key


@pytest.fixture(autouse=True)
def shown(tmp_path, monkeypatch):
    """QSettings in the test's folder, and no real message box ever: every message is kept."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    out: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "info",
                        lambda parent, text, title="提示": out.append(("info", text)))
    monkeypatch.setattr(messages, "warn",
                        lambda parent, text, title="提示": out.append(("warn", text)))
    monkeypatch.setattr(messages, "error",
                        lambda parent, text, title="出错了": out.append(("error", text)))
    return out


@pytest.fixture
def confirms(monkeypatch):
    """messages.confirm answering from ``confirms.answers`` (default yes); questions kept."""

    class Confirms:
        asked: list[str] = []
        answer = True

    box = Confirms()
    box.asked = []

    def confirm(parent, text, title="请确认", *, ok="确定"):
        box.asked.append(text)
        return box.answer

    monkeypatch.setattr(messages, "confirm", confirm)
    return box


def open_tab(qtbot, ctx) -> MonthTab:
    tab = MonthTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def type_chinese(widget, text: str) -> None:
    """Type the way an input method commits text (keyClicks aborts on non-ASCII)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def editor(tab: MonthTab) -> QLineEdit | None:
    """The open cell editor, if any. (Offscreen windows never become active, so the focus
    widget cannot be used: keys go to the editor the way focus would send them.)"""
    if tab.view.state() != QAbstractItemView.State.EditingState:
        return None
    found = [w for w in tab.view.viewport().findChildren(QLineEdit) if w.isVisible()]
    return found[0] if found else None


def press(tab: MonthTab, *keys) -> None:
    """Keys to the grid, or to the cell editor it opened; a str is typed character by
    character (ASCII only)."""
    for k in keys:
        for one in (k if isinstance(k, str) else [k]):
            QTest.keyClick(editor(tab) or tab.view, one)


def cell(tab: MonthTab, row: int, code: str) -> str:
    return tab.model.index(row, tab.model.column_of(code)).data()


def stored(ctx, year=2025, month=10) -> dict[int, SpotCheck]:
    return {r.check.community_id: r.check
            for r in score_store.checks_in_months(ctx.db, year, [month], CheckKind.MONTHLY)}


def test_default_month_is_last_month_and_headers_describe_the_indicators(qtbot, ctx, users, org):
    assert last_month(date(2025, 1, 5)) == (2024, 12)
    tab = open_tab(qtbot, ctx)
    assert (tab.year, tab.month) == (2025, 10)
    assert tab.scheme_label.text() == "尚未建立本年度考核细则，保存时将按默认细则建立"
    assert not tab.note_label.isVisible() and not tab.dirty_label.isVisible()
    m = tab.model
    assert [m.headerData(r, Qt.Orientation.Vertical) for r in range(m.rowCount())] == [
        "柳河村", "云溪社区"]
    h = Qt.Orientation.Horizontal
    assert m.headerData(0, h) == "检查" and m.headerData(m.columnCount() - 1, h) == "得分"
    assert m.headerData(1, h) == "公开栏设置\n10分"
    col = m.column_of("2.3")
    assert m.headerData(col, h) == "财务收支\n公开\n15分"
    tip = m.headerData(col, h, Qt.ItemDataRole.ToolTipRole)
    assert "公开内容" in tip and "财务收支做到一月一公开" in tip and "每少公开一次扣5分" in tip
    assert header_lines("公示期满及时撤栏") == "公示期满\n及时撤栏"
    assert m.index(0, m.score_column).data() == "未检查"


def test_keyboard_entry_and_save_read_back(qtbot, ctx, users, org, shown):
    tab = open_tab(qtbot, ctx)
    m = tab.model
    tab.select_cell(0, 0)
    # 柳河村: Space ticks 检查; Tab to 公开栏设置, "2" = one finding of 每处扣2分; then on to
    # 财务收支公开 (column 6) with Tab, "5" = 每少公开一次扣5分 once; Enter moves down.
    press(tab, KEY.Key_Space, KEY.Key_Tab, "2", KEY.Key_Tab)
    assert tab.view.currentIndex().column() == 2 and editor(tab) is None
    press(tab, KEY.Key_Tab, KEY.Key_Tab, KEY.Key_Tab, KEY.Key_Tab)
    assert tab.view.currentIndex().column() == m.column_of("2.3")
    press(tab, "5", KEY.Key_Return)
    assert (tab.view.currentIndex().row(), tab.view.currentIndex().column()) == (
        1, m.column_of("2.3"))
    # 云溪社区: 10 on 财务收支 (two findings), a typed number ticks the row by itself.
    press(tab, "10", KEY.Key_Enter)
    # From the last row Enter goes to the top of the next column.
    assert (tab.view.currentIndex().row(), tab.view.currentIndex().column()) == (
        0, m.column_of("2.4"))
    assert cell(tab, 0, "1.1") == "2" and cell(tab, 0, "2.3") == "5" and cell(tab, 1, "2.3") == "10"
    assert m.is_checked(0) and m.is_checked(1)
    assert m.index(0, m.score_column).data() == "93" and m.index(1, m.score_column).data() == "90"
    assert tab.dirty_label.isVisible()
    # Tab wraps from the last indicator to the next row's 检查 (skipping 得分).
    tab.select_cell(0, m.score_column - 1)
    press(tab, KEY.Key_Tab)
    assert (tab.view.currentIndex().row(), tab.view.currentIndex().column()) == (1, 0)

    QTest.keyClicks(tab.checker_edit, "Wang Jianhua")
    tab.date_edit.setDate(QDate(2025, 10, 28))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert shown[-1][0] == "info" and "已保存2025年10月的抽查记录：2个社区（村）" in shown[-1][1]
    assert not tab.dirty_label.isVisible()
    checks = stored(ctx)
    liuhe = checks[org["liuhe"]]
    assert (liuhe.checker, liuhe.checked_on) == ("Wang Jianhua", date(2025, 10, 28))
    assert [(d.indicator_code, d.count, d.rule, d.reason) for d in liuhe.deductions] == [
        ("1.1", 1, 1, "无防雨、防损设施或栏面破损、内容脱落的，每处扣2分"),
        ("2.3", 1, 0, "财务收支每少公开一次扣5分")]
    assert [(d.indicator_code, d.count, d.rule) for d in checks[org["yunxi"]].deductions] == [
        ("2.3", 2, 0)]
    assert tab.scheme_label.text() == "考核细则：2025年社区政务公开考核细则（第1版）"
    view = ops.quarter_view(ctx, 2025, 4)
    assert {r.score.name: r.score.total for r in view.results} == {
        "柳河村": Decimal("93.0"), "云溪社区": Decimal("90.0")}
    # Saving again unchanged changes nothing.
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "未做改动" in shown[-1][1]


def test_a_value_above_max_or_not_a_number_is_refused_and_kept(qtbot, ctx, users, org, shown):
    tab = open_tab(qtbot, ctx)
    m = tab.model
    tab.select_cell(0, m.column_of("1.2"))  # 监督电话, 5 points
    press(tab, "8", KEY.Key_Tab)
    assert shown[-1][0] == "warn" and "满分5分，不能扣8分" in shown[-1][1]
    ed = editor(tab)
    assert ed is not None and ed.text() == "8"  # still editing, the typed text kept
    assert cell(tab, 0, "1.2") == "" and not tab.dirty_label.isVisible()
    ed.selectAll()
    press(tab, "x", KEY.Key_Return)
    assert "“x”不是分值" in shown[-1][1] and editor(tab).text() == "x"
    editor(tab).selectAll()
    press(tab, "3", KEY.Key_Return)
    assert editor(tab) is None and cell(tab, 0, "1.2") == "3"
    [line] = m.lines(0, m.column_of("1.2"))
    assert (line.rule, line.count) == (1, 1)  # 监督举报电话有误…扣3分
    # Esc gives a refused value up; the cell keeps its value.
    tab.select_cell(0, m.column_of("1.2"))
    press(tab, "9", KEY.Key_Tab, KEY.Key_Escape)
    assert editor(tab) is None and cell(tab, 0, "1.2") == "3"


def test_saving_with_a_cell_still_being_edited(qtbot, ctx, users, org, shown):
    tab = open_tab(qtbot, ctx)
    m = tab.model
    tab.select_cell(0, m.column_of("1.3"))
    press(tab, "9")  # 意见箱 is 5 points: refused, nothing saved, the editor keeps "9"
    assert not tab.save()
    assert "满分5分，不能扣9分" in shown[-1][1] and editor(tab).text() == "9"
    assert stored(ctx) == {}
    editor(tab).selectAll()
    press(tab, "1")  # Ctrl+S with "1" in the editor: entered, then saved
    assert tab.save()
    assert editor(tab) is None
    [d] = stored(ctx)[org["liuhe"]].deductions
    assert (d.indicator_code, d.count, d.rule) == ("1.3", 1, 1)


def test_delete_clears_a_cell_and_unticks_on_the_check_column(qtbot, ctx, users, org):
    tab = open_tab(qtbot, ctx)
    m = tab.model
    m.set_points(0, m.column_of("2.3"), Decimal(10))
    m.set_points(0, m.column_of("1.3"), Decimal(5))
    tab.select_cell(0, m.column_of("2.3"))
    press(tab, KEY.Key_Delete)
    assert cell(tab, 0, "2.3") == "" and m.lines(0, m.column_of("2.3")) == []
    tab.select_cell(0, m.column_of("1.3"))
    press(tab, KEY.Key_Backspace)
    assert cell(tab, 0, "1.3") == ""
    assert m.is_checked(0)
    tab.select_cell(0, 0)
    press(tab, KEY.Key_Delete)
    assert not m.is_checked(0)
    press(tab, "1")
    assert m.is_checked(0)


def test_detail_panel_edits_reason_evidence_and_lines(qtbot, ctx, users, org, tmp_path, shown):
    tab = open_tab(qtbot, ctx)
    m = tab.model
    col = m.column_of("2.1")  # 内容完整性: "每缺一项扣2分"; 3 is not a multiple → direct points
    tab.select_cell(0, col)
    press(tab, "3", KEY.Key_Tab)
    [line] = m.lines(0, col)
    assert (line.points, line.reason) == (Decimal(3), "")
    # A direct deduction without a reason is marked red and refused on save.
    assert m.cell_problems(0, col)
    tab.select_cell(0, col)
    assert tab.lines_model.rowCount() == 1 and tab.reason_edit.isEnabled()
    assert tab.points_edit.text() == "3" and tab.rule_combo.currentData() == -1
    tab.reason_edit.setFocus()
    type_chinese(tab.reason_edit, "公开目录缺少低保名单和工程项目")
    assert m.lines(0, col)[0].reason == "公开目录缺少低保名单和工程项目"
    assert not m.cell_problems(0, col)
    assert tab.lines_model.index(0, 1).data() == "公开目录缺少低保名单和工程项目"

    # Evidence: a photo copied into the managed folder, and a link to a posting.
    photo = tmp_path / "board.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 64)
    tab._choose_photo_path = lambda: str(photo)
    qtbot.mouseClick(tab.photo_button, Qt.MouseButton.LeftButton)
    evidence = m.lines(0, col)[0].evidence
    assert evidence.startswith("照片：") and (ctx.files_dir / "photos" /
                                             evidence.removeprefix("照片：")).exists()

    # A second line under rule 1 (每缺一项扣2分), count 2: the cell shows 3 + 4.
    qtbot.mouseClick(tab.add_line_button, Qt.MouseButton.LeftButton)
    assert len(m.lines(0, col)) == 2 and tab.lines_view.currentIndex().row() == 1
    tab.count_spin.setValue(2)
    assert cell(tab, 0, "2.1") == "7"
    assert m.lines(0, col)[1] == Deduction("2.1", "居务公开目录内应公开事项每缺一项扣2分",
                                           count=2, rule=0)
    qtbot.mouseClick(tab.remove_line_button, Qt.MouseButton.LeftButton)
    assert cell(tab, 0, "2.1") == "3"

    QTest.keyClicks(tab.checker_edit, "Liu")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    [d] = stored(ctx)[org["liuhe"]].deductions
    assert (d.reason, d.points, d.evidence) == ("公开目录缺少低保名单和工程项目", Decimal(3), evidence)


def test_a_refused_save_keeps_everything_typed(qtbot, ctx, users, org, shown):
    tab = open_tab(qtbot, ctx)
    m = tab.model
    tab.select_cell(1, m.column_of("2.1"))
    press(tab, "3", KEY.Key_Tab)  # direct points, no reason
    tab.select_cell(0, m.column_of("2.3"))
    press(tab, "5", KEY.Key_Tab)
    before = m.snapshot()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    kind, text = shown[-1]
    assert kind == "warn" and "云溪社区：指标2.1“内容完整性”的扣分缺少扣分原因" in text
    assert "表格中的内容都已保留" in text
    assert m.snapshot() == before and tab.dirty_label.isVisible()
    assert stored(ctx) == {}


def test_copy_last_month_asks_before_replacing(qtbot, ctx, users, org, shown, confirms):
    ops.save_month(ctx, 2025, 9, [SpotCheck(org["liuhe"], 2025, 9, checker="王建华", deductions=(
        Deduction("1.1", "公开栏破损", count=1, rule=1),
        Deduction("3.1", "当月无任何公开内容（空白月）", count=1, rule=1,
                  auto=AutoFinding.BLANK_MONTH)))])
    tab = open_tab(qtbot, ctx)
    m = tab.model
    m.set_points(1, m.column_of("2.3"), Decimal(5))  # typed, not saved
    confirms.answer = False
    qtbot.mouseClick(tab.copy_button, Qt.MouseButton.LeftButton)
    assert len(confirms.asked) == 1 and "未保存的修改" in confirms.asked[0]
    assert cell(tab, 1, "2.3") == "5"
    confirms.answer = True
    qtbot.mouseClick(tab.copy_button, Qt.MouseButton.LeftButton)
    assert m.is_checked(0) and not m.is_checked(1)
    assert cell(tab, 0, "1.1") == "2" and cell(tab, 0, "3.1") == "" and cell(tab, 1, "2.3") == ""
    assert tab.checker_edit.text() == "王建华"
    assert "已复制上月1个社区（村）的记录（1条扣分）" in shown[-1][1]
    assert tab.dirty_label.isVisible() and stored(ctx) == {}
    # Nothing in the month before: said so, nothing asked.
    tab.set_month(2025, 8)  # confirms.answer is True: leave the copy
    asked = len(confirms.asked)
    qtbot.mouseClick(tab.copy_button, Qt.MouseButton.LeftButton)
    assert len(confirms.asked) == asked and "没有抽查记录" in shown[-1][1]


@pytest.fixture
def register(ctx, users, org):
    """柳河村: a notice due 2025-10-09 published on 10-15, its posting taken down 4 days late.
    云溪社区 published nothing in October."""
    from govdesk.operations import notices as notice_ops
    from govdesk.operations import postings

    late = notice_ops.create_notice(ctx, notice_input(
        ctx, community_id=org["liuhe"], unit_id=None, formed_on=date(2025, 10, 1), period=None))
    ctx.db.execute("UPDATE notice SET publish_due = '2025-10-09' WHERE id = ?", [late.id])
    approve_all(ctx, users, late.id)
    [posting] = postings.post_notice(ctx, late.id, [org["b_liuhe"]], posted_on=date(2025, 10, 15),
                                     planned_removal=date(2025, 10, 20))
    postings.take_down(ctx, posting.id, removed_on=date(2025, 10, 24))
    return posting


def test_auto_findings_are_added_marked_and_replaced(qtbot, ctx, users, org, register, shown,
                                                    confirms):
    tab = open_tab(qtbot, ctx)
    m = tab.model
    m.set_points(0, m.column_of("3.1"), Decimal(2))  # typed by hand: kept
    m.set_checked(1, True)
    qtbot.mouseClick(tab.auto_button, Qt.MouseButton.LeftButton)
    assert confirms.asked == []
    assert "系统从登记台账中发现3处问题，涉及2个社区（村）" in shown[-1][1]
    col31, col32 = m.column_of("3.1"), m.column_of("3.2")
    assert cell(tab, 0, "3.1") == "4" and cell(tab, 0, "3.2") == "1" and cell(tab, 1, "3.1") == "5"
    bg = m.index(0, col32).data(Qt.ItemDataRole.BackgroundRole)
    assert bg.color() == AUTO_BACKGROUND
    tip = m.index(0, col32).data(Qt.ItemDataRole.ToolTipRole)
    assert "系统发现：公示期满未及时撤栏" in tip and "10月24日撤下" in tip
    assert m.lines(0, col32)[0].posting_id == register.id
    # Running it again replaces the earlier auto lines instead of adding them twice.
    qtbot.mouseClick(tab.auto_button, Qt.MouseButton.LeftButton)
    assert cell(tab, 0, "3.1") == "4" and len(m.lines(0, col31)) == 2
    tab.select_cell(0, col32)
    assert tab.lines_model.index(0, 5).data() == "系统发现·逾期未撤栏"
    assert "柳河村村务公开栏" in tab.lines_model.index(0, 4).data()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    autos = {d.auto for d in stored(ctx)[org["liuhe"]].deductions if d.auto}
    assert autos == {AutoFinding.OVERDUE_PUBLISH, AutoFinding.OVERDUE_TAKE_DOWN}


def test_auto_findings_with_nothing_ticked_ask_first(qtbot, ctx, users, org, shown, confirms):
    tab = open_tab(qtbot, ctx)
    confirms.answer = False
    qtbot.mouseClick(tab.auto_button, Qt.MouseButton.LeftButton)
    assert "还没有勾选检查的社区" in confirms.asked[0] and not tab.model.checked_ids()
    confirms.answer = True
    qtbot.mouseClick(tab.auto_button, Qt.MouseButton.LeftButton)
    # Neither published anything in October: 空白月 for both.
    assert cell(tab, 0, "3.1") == "5" and cell(tab, 1, "3.1") == "5"
    assert "发现2处问题" in shown[-1][1]


def test_read_only_for_a_unit_head(qtbot, ctx, users, org):
    ops.save_month(ctx, 2025, 10, [SpotCheck(org["liuhe"], 2025, 10, deductions=(
        Deduction("2.3", "财务收支每少公开一次扣5分", count=1, rule=0),))])
    tab = open_tab(qtbot, as_user(ctx, users[Role.UNIT_HEAD]))
    m = tab.model
    assert tab.readonly_label.isVisible() and "只能查看" in tab.readonly_label.text()
    for b in (tab.save_button, tab.copy_button, tab.auto_button, tab.import_button,
              tab.template_button, tab.revert_button):
        assert not b.isEnabled()
    assert not m.flags(m.index(0, m.column_of("2.3"))) & Qt.ItemFlag.ItemIsEditable
    assert not m.flags(m.index(0, 0)) & Qt.ItemFlag.ItemIsUserCheckable
    tab.select_cell(0, m.column_of("2.3"))
    press(tab, "9", KEY.Key_Delete)
    assert editor(tab) is None and cell(tab, 0, "2.3") == "5"
    assert not tab.reason_edit.isEnabled() and not tab.add_line_button.isEnabled()
    assert not tab.dirty_label.isVisible()


def test_switching_month_with_unsaved_changes_asks(qtbot, ctx, users, org, confirms):
    ops.save_month(ctx, 2025, 9, [SpotCheck(org["yunxi"], 2025, 9)])
    tab = open_tab(qtbot, ctx)
    m = tab.model
    # No changes: no question.
    tab.month_combo.setCurrentIndex(8)
    assert confirms.asked == [] and (tab.year, tab.month) == (2025, 9)
    assert m.is_checked(1) and not m.is_checked(0)
    m.set_points(0, m.column_of("2.3"), Decimal(5))
    assert tab.dirty_label.isVisible()
    confirms.answer = False
    tab.month_combo.setCurrentIndex(9)
    assert len(confirms.asked) == 1 and "2025年9月的抽查记录有未保存的修改" in confirms.asked[0]
    assert (tab.year, tab.month) == (2025, 9) and tab.month_combo.currentData() == 9
    assert cell(tab, 0, "2.3") == "5"
    tab.refresh()  # shown again: the typing stays
    assert cell(tab, 0, "2.3") == "5"
    confirms.answer = True
    tab.year_spin.setValue(2024)
    assert (tab.year, tab.month) == (2024, 9) and cell(tab, 0, "2.3") == ""
    assert not tab.dirty_label.isVisible()
    # 检查人 typed is a change too; 撤销修改 reloads.
    tab.set_month(2025, 9)
    QTest.keyClicks(tab.checker_edit, "Zhao")
    assert tab.dirty_label.isVisible() and tab.revert_button.isEnabled()
    qtbot.mouseClick(tab.revert_button, Qt.MouseButton.LeftButton)
    assert tab.checker_edit.text() == "" and not tab.dirty_label.isVisible()


def test_the_month_keeps_its_scheme_version_and_shows_the_note(qtbot, ctx, users, org):
    ops.save_month(ctx, 2025, 7, [SpotCheck(org["liuhe"], 2025, 7)])
    v1 = ops.current_scheme(ctx, 2025)
    ops.copy_scheme(ctx, v1.id, make_current=True)
    tab = open_tab(qtbot, ctx)
    tab.set_month(2025, 8)
    assert tab.scheme_label.text() == f"考核细则：{v1.label}"
    assert tab.note_label.isVisible() and "沿用" in tab.note_label.text()


def test_a_new_year_previews_last_years_scheme(qtbot, ctx, users, org):
    from dataclasses import replace

    v = ops.ensure_scheme(ctx, 2024)
    top = v.scheme.indicators[4]
    renamed = replace(top, children=(replace(top.children[0], name="意见建议答复"),
                                     *top.children[1:]))
    ops.save_scheme(ctx, v.id, replace(v.scheme, indicators=(*v.scheme.indicators[:4], renamed)))
    tab = open_tab(qtbot, ctx)
    assert "沿用上一年度细则" in tab.scheme_label.text()
    m = tab.model
    assert m.headerData(m.column_of("5.1"), Qt.Orientation.Horizontal).startswith("意见建议\n答复")


def fill_sheet(template, out, scores: dict[tuple[str, str], object], checker="刘欣"):
    """Fill the downloaded 记分表 as a person would: points by (community, indicator code)."""
    from openpyxl import load_workbook

    from govdesk.export import score_sheet as ss

    wb = load_workbook(template)
    ws = wb[ss.GRID_SHEET]
    columns = {r[2]: r[1] for r in wb[ss.META_SHEET].iter_rows(values_only=True)
               if r[0] == "indicator"}
    rows = {ws.cell(row=r, column=2).value: r
            for r in range(ss.FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(row=r, column=2).value}
    ws["C3"], ws["C4"] = checker, date(2025, 9, 25)
    for (name, code), value in scores.items():
        ws.cell(row=rows[name], column=columns[code], value=value)
    wb.save(out)
    return out


def test_import_and_template_buttons(qtbot, ctx, users, org, tmp_path, shown, confirms):
    pytest.importorskip("govdesk.operations.score_import")
    tab = open_tab(qtbot, ctx)
    tab.set_month(2025, 9)
    template = tmp_path / "模板"
    tab._choose_template_path = lambda: str(template)
    qtbot.mouseClick(tab.template_button, Qt.MouseButton.LeftButton)
    template = tmp_path / "模板.xlsx"
    assert template.exists() and "已生成2025年9月的记分表模板（2个社区（村））" in shown[-1][1]
    # The template created the year's scheme: the tab says which version it is.
    assert tab.scheme_label.text().startswith("考核细则：2025年社区政务公开考核细则")

    # Imported while October is shown: the tab goes to the sheet's month.
    tab.set_month(2025, 10)
    first = fill_sheet(template, tmp_path / "九月.xlsx", {("柳河村", "2.3"): 5})
    tab._choose_import_path = lambda: str(first)
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert "已导入记分表“九月.xlsx”（2025年9月）" in shown[-1][1]
    assert (tab.year, tab.month) == (2025, 9) and cell(tab, 0, "2.3") == "5"
    assert tab.checker_edit.text() == "刘欣" and not tab.dirty_label.isVisible()

    # A different sheet for the same month: asked, 替换 refused → nothing changes.
    second = fill_sheet(template, tmp_path / "九月改.xlsx", {("柳河村", "2.3"): 10})
    tab._choose_import_path = lambda: str(second)
    confirms.answer = False
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert "已有" in confirms.asked[-1] and cell(tab, 0, "2.3") == "5"
    assert stored(ctx, 2025, 9)[org["liuhe"]].deductions[0].count == 1
    confirms.answer = True
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert cell(tab, 0, "2.3") == "10" and stored(ctx, 2025, 9)[org["liuhe"]].deductions[0].count == 2

    # Unsaved typing is not thrown away by an import without asking.
    tab.model.set_points(1, tab.model.column_of("1.1"), Decimal(2))
    confirms.answer = False
    asked = len(confirms.asked)
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert "未保存的修改会丢失" in confirms.asked[asked] and cell(tab, 1, "1.1") == "2"

    # A broken file is a message, nothing else.
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    tab.model.set_points(1, tab.model.column_of("1.1"), None)
    tab._choose_import_path = lambda: str(bad)
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert shown[-1][0] == "warn"


def test_models_pass_the_model_tester(qtmodeltester, qtbot, ctx, users, org):
    tab = open_tab(qtbot, ctx)
    m = tab.model
    m.set_points(0, m.column_of("2.3"), Decimal(5))
    m.apply_auto({org["yunxi"]: [Deduction("3.1", "当月无任何公开内容（空白月）", count=1, rule=1,
                                           auto=AutoFinding.BLANK_MONTH)]})
    tab.select_cell(0, m.score_column)
    qtmodeltester.check(m, force_py=True)
    qtmodeltester.check(m)
    qtmodeltester.check(tab.lines_model, force_py=True)
    qtmodeltester.check(tab.lines_model)
    empty = SpotCheckGridModel()
    qtmodeltester.check(empty, force_py=True)
    qtmodeltester.check(DeductionLinesModel(), force_py=True)


def test_veto_findings_are_recorded_from_the_grid_and_fail_the_quarter(qtbot, ctx, users, org,
                                                                      shown, monkeypatch):
    from dataclasses import replace

    from govdesk.core.scoring import VetoFinding, VetoItem
    from govdesk.gui.dialogs.veto_dialog import VetoDialog

    version = ops.ensure_scheme(ctx, 2025)
    ops.save_scheme(ctx, version.id, replace(
        version.scheme, vetoes=(VetoItem("V1", "公开栏泄露个人隐私"),)))
    tab = open_tab(qtbot, ctx)
    assert not tab.veto_button.isHidden()

    # The dialog: a tick without saying what was found is refused, with the message.
    dialog = VetoDialog(tab, tab.model.scheme, "柳河村", ())
    qtbot.addWidget(dialog)
    [(code, box, reason)] = dialog.rows
    box.setChecked(True)
    dialog.accept()
    assert shown[-1] == ("warn", "请写明“V1 公开栏泄露个人隐私”发现的情况")
    reason.setFocus()
    type_chinese(reason, "低保公示名单公布了完整身份证号")
    assert dialog.findings() == (VetoFinding("V1", "低保公示名单公布了完整身份证号"),)

    row = tab.model.row_of(org["liuhe"])
    tab.select_cell(row, 2)
    monkeypatch.setattr(VetoDialog, "ask", classmethod(
        lambda cls, parent, scheme, community, current: (
            VetoFinding("V1", f"{community}公示名单公布了完整身份证号"),)))
    tab.veto_button.click()
    score = tab.model.index(row, tab.model.score_column).data()
    assert score == "100（否决）"
    assert tab.save()
    [stored] = score_store.checks_in_months(ctx.db, 2025, [10])
    assert stored.check.vetoes == (VetoFinding("V1", "柳河村公示名单公布了完整身份证号"),)
    result = ops.quarter_view(ctx, 2025, 4).result_of(org["liuhe"])
    assert result.score.total == 100 and result.grade.value == "不合格"
