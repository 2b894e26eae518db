"""季度考核 and 年度汇总 tabs and the 通报 editor, on a real temporary database: ranks with
并列 and 等次, the drill-down that adds up, 加分/扣分 changing the ranking, the exports read back,
the edited 通报 saved and printed, the charts drawn, and the empty states."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date  # noqa: E402
from decimal import Decimal  # noqa: E402
from fractions import Fraction  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from conftest import as_user  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtGui import QInputMethodEvent, QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog  # noqa: E402

from govdesk.core.org import Role  # noqa: E402
from govdesk.core.scoring import Deduction, SpotCheck, round_half_up  # noqa: E402
from govdesk.gui import messages, printing_actions  # noqa: E402
from govdesk.gui.dialogs.bulletin_dialog import BulletinDialog  # noqa: E402
from govdesk.gui.models.assessment_models import RECORD_ROLE, VALUE_ROLE  # noqa: E402
from govdesk.gui.pages import assessment_results_tab as tab_module  # noqa: E402
from govdesk.gui.pages.assessment_results_tab import ResultsTab, YearTab  # noqa: E402
from govdesk.gui.widgets import select_row  # noqa: E402
from govdesk.operations import scoring as ops  # noqa: E402
from govdesk.operations.org import save_org_item  # noqa: E402


def type_chinese(widget, text: str) -> None:
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture(autouse=True)
def shown(tmp_path, monkeypatch):
    """QSettings in the test's folder, and no real message box ever (confirm says yes unless a
    test says otherwise)."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    out: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "info", lambda parent, text, title="提示": out.append(("info", text)))
    monkeypatch.setattr(messages, "warn", lambda parent, text, title="提示": out.append(("warn", text)))
    monkeypatch.setattr(messages, "error",
                        lambda parent, text, title="出错了": out.append(("error", text)))
    monkeypatch.setattr(messages, "confirm",
                        lambda parent, text, title="请确认", ok="确定": out.append(("confirm", text))
                        or True)
    return out


def _check(cid: int, month: int, *deductions: Deduction) -> SpotCheck:
    return SpotCheck(cid, 2025, month, deductions=deductions, checker="刘欣",
                     checked_on=date(2025, month, 20))


@pytest.fixture
def scored(ctx, users, org):
    """Q3 2025: 云溪社区 100; 柳河村 and 青石村 both 97.7 (并列 2nd, from different months);
    东坪社区 75 from one month (合格). Q2: 柳河村 100 in June only."""
    admin = as_user(ctx, users[Role.ADMIN])
    ids = dict(org)
    ids["qingshi"] = save_org_item(admin, "community", {"name": "青石村", "kind": "村"})
    ids["dongping"] = save_org_item(admin, "community", {"name": "东坪社区", "kind": "社区"})
    finance = Deduction("2.3", "财务收支未按月公开", count=1, rule=0, evidence="照片 IMG_0712.jpg")
    board = Deduction("1.1", "公开栏破损、内容脱落", count=1, rule=1)
    ops.save_month(ctx, 2025, 6, [_check(ids["liuhe"], 6)])
    ops.save_month(ctx, 2025, 7, [
        _check(ids["liuhe"], 7, finance), _check(ids["yunxi"], 7), _check(ids["qingshi"], 7),
        _check(ids["dongping"], 7, Deduction("2.3", "财务收支未按月公开", count=3, rule=0),
               Deduction("2.1", "居务公开目录事项缺项", count=5, rule=0)),
    ])
    ops.save_month(ctx, 2025, 8, [
        _check(ids["liuhe"], 8), _check(ids["yunxi"], 8), _check(ids["qingshi"], 8, finance, board),
    ])
    ops.save_month(ctx, 2025, 9, [
        _check(ids["liuhe"], 9, board), _check(ids["yunxi"], 9), _check(ids["qingshi"], 9),
    ])
    return ids


def _column(model, header: str) -> int:
    for c in range(model.columnCount()):
        if model.headerData(c, Qt.Orientation.Horizontal) == header:
            return c
    raise AssertionError(f"no column {header}")


def _rows(model, *headers: str) -> list[tuple]:
    cols = [_column(model, h) for h in headers]
    return [tuple(model.index(r, c).data() for c in cols) for r in range(model.rowCount())]


def _tab(qtbot, ctx) -> ResultsTab:
    tab = ResultsTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    return tab


# --------------------------------------------------------------------------- the ranking


def test_defaults_to_the_latest_quarter_with_checks_and_ranks_with_ties(qtbot, ctx, scored):
    tab = _tab(qtbot, ctx)
    assert tab.period() == (2025, 3)  # today is 2025-11-20 (Q4, nothing checked yet)
    m = tab.ranking_model
    assert _rows(m, "排名", "社区（村）", "总分", "等次") == [
        ("1", "云溪社区", "100.0", "优秀"),
        ("2（并列）", "柳河村", "97.7", "优秀"),
        ("2（并列）", "青石村", "97.7", "优秀"),
        ("4", "东坪社区", "75.0", "合格"),
    ]
    assert [m.index(r, 0).data(VALUE_ROLE) for r in range(4)] == [1, 2, 2, 4]
    # Every 一级 indicator has its column, one decimal.
    assert _rows(m, "公开内容（40）")[1] == ("38.3",)
    assert _rows(m, "计分方式")[3] == ("月抽查平均分（本季度抽查1个月）",)
    # 等次 is coloured, differently for 优秀 and 合格.
    grade = _column(m, "等次")
    colours = {m.index(r, grade).data(Qt.ItemDataRole.BackgroundRole).color().name()
               for r in (0, 3)}
    assert len(colours) == 2
    assert tab.summary.text().startswith("2025年第三季度共4个社区（村）参加考核：优秀3个、合格1个")
    assert "2025年社区政务公开考核细则（第1版）" in tab.scheme_label.text()
    assert "月抽查平均分" in tab.scheme_label.text()
    assert tab.export_button.isEnabled() and tab.bulletin_button.isEnabled()


def test_selecting_a_community_explains_every_lost_point(qtbot, ctx, scored):
    tab = _tab(qtbot, ctx)
    row = tab.ranking_model.row_of(scored["liuhe"])
    select_row(tab.ranking_view, row)
    result = tab.ranking_model.result(row)
    lm = tab.lost_model
    assert _rows(lm, "月份", "一级指标", "二级指标", "扣分原因", "扣分", "影响季度得分") == [
        ("7月", "公开内容", "财务收支公开", "财务收支未按月公开", "5", "1.67"),
        ("9月", "公开栏建设", "公开栏设置", "公开栏破损、内容脱落", "2", "0.67"),
    ]
    assert lm.index(0, _column(lm, "证据")).data() == "照片 IMG_0712.jpg"
    lost = sum((lm.index(r, 5).data(VALUE_ROLE) for r in range(lm.rowCount())), Fraction(0))
    assert lost == 100 - result.score.exact
    assert round_half_up(lost, 1) == Decimal(100) - result.score.total == Decimal("2.3")
    text = tab.reconcile.text()
    assert "满分100 − 各项失分合计2.33 = 基础得分97.67" in text
    assert "7月95分、8月100分、9月98分" in text
    assert "总分97.7分" in text
    assert "柳河村" in tab.lost_title.text()

    select_row(tab.ranking_view, tab.ranking_model.row_of(scored["yunxi"]))
    assert lm.rowCount() == 0
    assert "本季度各次检查均未扣分" in tab.reconcile.text()


def test_an_auto_finding_is_tagged_in_the_evidence(qtbot, ctx, scored):
    from govdesk.core.scoring import AutoFinding

    ops.save_month(ctx, 2025, 9, [
        _check(scored["liuhe"], 9, Deduction("3.2", "公示期满未及时撤栏", count=1, rule=0,
                                             auto=AutoFinding.OVERDUE_TAKE_DOWN,
                                             evidence="《低保公示》应于9月5日撤下，至月底未撤下")),
        _check(scored["yunxi"], 9), _check(scored["qingshi"], 9),
    ])
    tab = _tab(qtbot, ctx)
    select_row(tab.ranking_view, tab.ranking_model.row_of(scored["liuhe"]))
    lm = tab.lost_model
    evidence = [lm.index(r, _column(lm, "证据")).data() for r in range(lm.rowCount())]
    assert "【系统发现·逾期未撤栏】《低保公示》应于9月5日撤下，至月底未撤下" in evidence


def test_adding_and_removing_an_adjustment_reranks(qtbot, ctx, scored, shown):
    tab = _tab(qtbot, ctx)
    assert tab.add_button.isEnabled()
    assert not tab.remove_button.isEnabled()  # nothing selected
    tab.adjust_community.setCurrentIndex(tab.adjust_community.findText("青石村"))
    assert tab.adjust_item.currentText() == "加分：通报表彰（+3分）"
    type_chinese(tab.adjust_reason, "县政府办8月通报表彰")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)

    m = tab.ranking_model
    assert _rows(m, "排名", "社区（村）", "加分", "总分") == [
        ("1", "青石村", "3", "100.7"), ("2", "云溪社区", "", "100.0"),
        ("3", "柳河村", "", "97.7"), ("4", "东坪社区", "", "75.0"),
    ]
    am = tab.adjust_model
    assert _rows(am, "社区（村）", "类别", "项目", "分值", "理由") == [
        ("青石村", "加分", "通报表彰", "+3", "县政府办8月通报表彰")]
    assert tab.adjust_reason.text() == ""
    assert [a.reason for _, a in ops.adjustments(ctx, 2025, 3)] == ["县政府办8月通报表彰"]

    # A 扣分 item pushes 云溪社区 down, and its drill-down lists it.
    tab.adjust_community.setCurrentIndex(tab.adjust_community.findText("云溪社区"))
    tab.adjust_item.setCurrentIndex(tab.adjust_item.findData("P1"))
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert _rows(m, "社区（村）", "扣分", "总分")[:3] == [
        ("青石村", "", "100.7"), ("柳河村", "", "97.7"), ("云溪社区", "3.0", "97.0")]
    select_row(tab.ranking_view, m.row_of(scored["yunxi"]))
    assert _rows(tab.lost_model, "一级指标", "二级指标", "扣分原因", "影响季度得分") == [
        ("扣分项", "通报批评", "通报批评", "3.00")]

    # Remove the 加分 (after confirming): back to the tie.
    select_row(tab.adjust_view, 0 if am.index(0, 0).data() == "青石村" else 1)
    assert tab.remove_button.isEnabled()
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert shown[-1][0] == "confirm" and "青石村“通报表彰”（+3分）" in shown[-1][1]
    assert _rows(m, "排名", "社区（村）")[:2] == [("1（并列）", "柳河村"), ("1（并列）", "青石村")]
    assert [a.item_code for _, a in ops.adjustments(ctx, 2025, 3)] == ["P1"]


def test_removing_needs_a_yes(qtbot, ctx, scored, monkeypatch):
    ops.add_adjustment(ctx, scored["liuhe"], 2025, 3, "B1", "表彰")
    tab = _tab(qtbot, ctx)
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: False)
    select_row(tab.adjust_view, 0)
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert len(ops.adjustments(ctx, 2025, 3)) == 1


def test_without_the_permission_adjustments_are_read_only(qtbot, ctx, users, scored):
    ops.add_adjustment(ctx, scored["liuhe"], 2025, 3, "B1", "表彰")
    tab = _tab(qtbot, as_user(ctx, users[Role.UNIT_HEAD]))
    assert tab.adjust_model.rowCount() == 1
    for w in (tab.add_button, tab.remove_button, tab.adjust_community, tab.adjust_reason):
        assert not w.isEnabled()
    assert "只能查看" in tab.adjust_note.text()
    assert tab.export_button.isEnabled()  # reading and exporting stay open


def test_changing_the_period(qtbot, ctx, scored):
    tab = _tab(qtbot, ctx)
    tab.quarter_combo.setCurrentIndex(1)  # 第二季度
    assert tab.period() == (2025, 2)
    assert _rows(tab.ranking_model, "排名", "社区（村）", "总分") == [("1", "柳河村", "100.0")]
    tab.year_spin.setValue(2024)
    assert tab.stack.currentWidget() is tab.empty
    assert not tab.export_button.isEnabled()


# --------------------------------------------------------------------------- export


@pytest.mark.parametrize("typed, written", [("汇总表.xlsx", "汇总表.xlsx"), ("汇总表", "汇总表.xlsx")])
def test_export_writes_the_quarter_table(qtbot, ctx, scored, tmp_path, shown, monkeypatch,
                                         typed, written):
    tab = _tab(qtbot, ctx)
    asked = []

    def fake_save(parent, title, start, filters):
        asked.append(start)
        return str(tmp_path / typed), "Excel 工作簿 (*.xlsx)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert asked == ["2025年第三季度社区政务公开考核汇总表.xlsx"]
    path = tmp_path / written
    assert shown[-1] == ("info", f"已导出2025年第三季度考核汇总表（4个社区（村））到：\n{path}")
    wb = load_workbook(path, read_only=True)
    cells = [v for row in wb.active.iter_rows(values_only=True) for v in row if v is not None]
    wb.close()
    for name in ("云溪社区", "柳河村", "青石村", "东坪社区", "合格"):
        assert name in cells
    assert 97.7 in cells and 75 in cells
    # The folder is offered next time.
    asked.clear()
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert asked == [str(tmp_path / "2025年第三季度社区政务公开考核汇总表.xlsx")]


def test_export_cancelled_does_nothing(qtbot, ctx, scored, shown, monkeypatch):
    tab = _tab(qtbot, ctx)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert shown == []


# --------------------------------------------------------------------------- 通报


def _dialog(qtbot, ctx) -> BulletinDialog:
    dialog = BulletinDialog(ctx, 2025, 3)
    qtbot.addWidget(dialog)
    return dialog


def _type_after_title(dialog: BulletinDialog, text: str) -> None:
    cursor = dialog.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfLine)
    dialog.editor.setTextCursor(cursor)
    type_chinese(dialog.editor, text)


def test_bulletin_edit_save_and_reload(qtbot, ctx, scored, shown):
    dialog = _dialog(qtbot, ctx)
    assert dialog.text().startswith("关于2025年第三季度社区政务公开考核情况的通报\n")
    assert "| 2 | 柳河村 | 97.7 | 优秀 |" in dialog.text()
    assert "自动生成" in dialog.note.text()
    assert not dialog.reset_button.isEnabled()
    _type_after_title(dialog, "（修订稿）")
    assert dialog.is_dirty()
    assert "未保存" in dialog.note.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert shown[-1] == ("info", "通报修改已保存。")
    assert not dialog.is_dirty() and dialog.changed

    again = _dialog(qtbot, ctx)
    assert again.text().startswith("关于2025年第三季度社区政务公开考核情况的通报（修订稿）\n")
    assert again.edited and "修改过" in again.note.text()
    assert again.reset_button.isEnabled()

    # 恢复生成的文本 after confirming.
    qtbot.mouseClick(again.reset_button, Qt.MouseButton.LeftButton)
    assert shown[-1][0] == "confirm"
    assert not again.edited
    assert again.text().startswith("关于2025年第三季度社区政务公开考核情况的通报\n")
    assert ops.bulletin_for(ctx, 2025, 3)[1] is False


def test_bulletin_text_that_does_not_parse_is_kept(qtbot, ctx, scored, shown):
    dialog = _dialog(qtbot, ctx)
    dialog.editor.setPlainText("| 表格 | 不能 | 做标题 |\n正文")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert shown[-1] == ("warn", "通报的第一行应为标题，不能是表格。")
    assert dialog.text() == "| 表格 | 不能 | 做标题 |\n正文"
    assert ops.bulletin_for(ctx, 2025, 3)[1] is False


def test_bulletin_preview_prints_the_editor_text(qtbot, ctx, scored, monkeypatch):
    shown_pdf = []
    monkeypatch.setattr(printing_actions, "show_preview",
                        lambda parent, path, name: shown_pdf.append((Path(path), name)))
    dialog = _dialog(qtbot, ctx)
    _type_after_title(dialog, "（征求意见稿）")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    [(path, name)] = shown_pdf
    assert name == "2025年第三季度考核通报.pdf"
    text = "".join(p.extract_text() for p in PdfReader(path).pages)
    assert "征求意见稿" in text and "青石村" in text
    assert ops.bulletin_for(ctx, 2025, 3)[1] is False  # printing does not save


def test_closing_with_unsaved_edits_asks(qtbot, ctx, scored, monkeypatch):
    dialog = _dialog(qtbot, ctx)
    dialog.show()
    _type_after_title(dialog, "改")
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: asked.append(a[1]) or False)
    dialog.reject()
    assert dialog.isVisible() and "未保存" in asked[0]
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    dialog.reject()
    assert not dialog.isVisible()


def test_bulletin_button_opens_the_editor(qtbot, ctx, scored, monkeypatch):
    opened = []
    monkeypatch.setattr(BulletinDialog, "ask",
                        classmethod(lambda cls, parent, c, y, q: opened.append((y, q)) or False))
    tab = _tab(qtbot, ctx)
    qtbot.mouseClick(tab.bulletin_button, Qt.MouseButton.LeftButton)
    assert opened == [(2025, 3)]


def test_bulletin_is_read_only_without_the_permission(qtbot, ctx, users, scored):
    dialog = _dialog(qtbot, as_user(ctx, users[Role.UNIT_HEAD]))
    assert dialog.editor.isReadOnly()
    assert not dialog.save_button.isEnabled() and dialog.print_button.isEnabled()


# --------------------------------------------------------------------------- charts


def _variety(image) -> int:
    step = max(1, image.width() // 200)
    return len({image.pixel(x, y) for x in range(0, image.width(), step)
                for y in range(0, image.height(), step)})


def test_a_wide_window_never_draws_chart_labels_larger_than_its_text(qtbot):
    """The chart's 10 pt labels at most the widget font's pixel size, however wide the window
    (at 1.8 px per point they were half again the size of the table beside them)."""
    from PySide6.QtGui import QFontInfo

    from govdesk.gui.chart_view import ChartView, ranking_chart

    view = ChartView()
    qtbot.addWidget(view)
    view.resize(2400, 600)
    view.set_charts([ranking_chart("图1", [("云溪社区", Decimal(98)), ("北坡村", Decimal(86))],
                                   Decimal(100))])
    view.show()
    qtbot.waitUntil(view.is_ready, timeout=15000)
    [image] = view.images()
    points = view._sizes[0][0]
    px_per_point = image.width() / image.devicePixelRatio() / points
    assert px_per_point <= QFontInfo(view.font()).pixelSize() / 10.0 + 0.01
    assert px_per_point >= 1.0  # and never smaller than its printed size


def test_the_charts_render_when_their_tab_is_shown(qtbot, ctx, scored):
    tab = _tab(qtbot, ctx)
    tab.resize(1280, 760)
    tab.show()
    qtbot.waitExposed(tab)
    assert not tab.chart_view.images()  # lazy: nothing made before the tab is shown
    tab.details.setCurrentIndex(tab.chart_index)
    qtbot.waitUntil(tab.chart_view.is_ready, timeout=15000)
    images = tab.chart_view.images()
    assert len(images) == 2  # ranking, and the trend (Q2 and Q3)
    assert all(_variety(i) > 20 for i in images)
    grabbed = tab.chart_view.grab().toImage()
    assert _variety(grabbed) > 20
    # A new period replaces the charts.
    tab.set_period(2025, 2)
    qtbot.waitUntil(tab.chart_view.is_ready, timeout=15000)
    assert len(tab.chart_view.images()) == 1  # Q2 has no earlier quarter: no trend


# --------------------------------------------------------------------------- the year


def test_year_table(qtbot, ctx, scored, shown, tmp_path, monkeypatch):
    tab = YearTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    assert tab.year() == 2025
    m = tab.model
    assert m.headerData(6, Qt.Orientation.Horizontal) == "年终考核得分（5分）"
    assert _rows(m, "社区（村）", "第一季度", "第二季度", "第三季度", "第四季度", "全年得分",
                 "年终考核得分（5分）", "排名") == [
        ("云溪社区", "", "", "100.0", "", "100.0", "5.00", "1"),
        ("柳河村", "", "100.0", "97.7", "", "98.9", "4.94", "2"),
        ("青石村", "", "", "97.7", "", "97.7", "4.89", "3"),
        ("东坪社区", "", "", "75.0", "", "75.0", "3.75", "4"),
    ]
    assert m.index(0, 0).data(RECORD_ROLE).name == "云溪社区"
    assert "已有第二季度（目前检查了6月）、第三季度的考核结果" in tab.summary.text()
    assert "最高5分" in tab.summary.text()

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda parent, title, start, filters: (str(tmp_path / "年度.csv"), ""))
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert shown[-1][0] == "info"
    text = (tmp_path / "年度.csv").read_text(encoding="utf-8-sig")
    assert "柳河村" in text and "98.9" in text


def test_year_trend_chart(qtbot, ctx, scored):
    tab = YearTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1280, 760)
    tab.show()
    tab.refresh()
    qtbot.waitUntil(tab.chart_view.is_ready, timeout=15000)
    [image] = tab.chart_view.images()
    assert _variety(image) > 20


# --------------------------------------------------------------------------- empty states


def test_empty_states(qtbot, ctx, users, org):
    tab = _tab(qtbot, ctx)
    assert tab.period() == (2025, 4)  # nothing checked: today's quarter
    assert tab.stack.currentWidget() is tab.empty
    assert "本季度还没有检查记录，请先在“月抽查”中录入" in tab.empty.label.text()
    for b in (tab.export_button, tab.bulletin_button, tab.add_button, tab.remove_button):
        assert not b.isEnabled()
    tab.export()  # a stray call is harmless
    tab.open_bulletin()

    year = YearTab(ctx)
    qtbot.addWidget(year)
    year.refresh()
    assert year.stack.currentWidget() is year.empty
    assert "本年度还没有检查记录" in year.empty.label.text()
    assert not year.export_button.isEnabled()


def test_empty_state_leads_to_the_month_tab(qtbot, ctx, users, org):
    from govdesk.gui.pages.assessment_page import AssessmentPage

    page = AssessmentPage(ctx)
    qtbot.addWidget(page)
    page.tabs.setCurrentIndex(1)
    page.results_tab.refresh()
    assert page.results_tab.empty.button.isVisibleTo(page.results_tab)
    qtbot.mouseClick(page.results_tab.empty.button, Qt.MouseButton.LeftButton)
    assert page.tabs.tabText(page.tabs.currentIndex()) == "月抽查"


# --------------------------------------------------------------------------- models


@pytest.fixture
def keep():
    """Widgets kept alive until after qtmodeltester's teardown (which disconnects from the
    last model checked): set up before it, so torn down after it."""
    held: list = []
    yield held


def test_models_pass_the_model_tester(keep, qtmodeltester, qtbot, ctx, scored):
    ops.add_adjustment(ctx, scored["liuhe"], 2025, 3, "B1", "表彰")
    tab = _tab(qtbot, ctx)
    select_row(tab.ranking_view, tab.ranking_model.row_of(scored["liuhe"]))
    year = YearTab(ctx)
    qtbot.addWidget(year)
    year.refresh()
    keep += [tab, year]
    for model in (tab.ranking_model, tab.lost_model, tab.adjust_model, year.model):
        assert model.rowCount() > 0
        qtmodeltester.check(model, force_py=True)
        qtmodeltester.check(model)


def test_tab_module_texts():
    assert tab_module.quarter_empty_text(2025, 4).startswith("2025年第四季度：本季度还没有检查记录")
