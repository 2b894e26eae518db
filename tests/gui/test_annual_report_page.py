"""年度报告 page on a real temporary database: applications registered and closed through the
requests operations in 2024 and 2025 (one carried over), 表三 on screen equal to
core.annual_report.tally_table3 of the same facts and drawn with the official spans, 总体情况
typed, saved and reloaded, the figures form refusing a negative count, the .docx export read
back, and an unbalanced 表三 (last year's published 四 differs) shown cell by cell and refused
as Word."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import docx  # noqa: E402
import pytest  # noqa: E402
from conftest import as_user  # noqa: E402
from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtGui import QInputMethodEvent, QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog  # noqa: E402

from govdesk.core.annual_report import (  # noqa: E402
    COLUMN_KEYS,
    ROW_KEYS,
    TABLE3_CORNER,
    ApplicationFact,
    CellRef,
    tally_table3,
)
from govdesk.core.org import Role, Township  # noqa: E402
from govdesk.core.requests import ApplicantKind, Channel, Outcome, RequestInput  # noqa: E402
from govdesk.gui import messages, ui_state  # noqa: E402
from govdesk.gui.main_window import MainWindow  # noqa: E402
from govdesk.gui.models.annual_report_models import CELL_ROLE  # noqa: E402
from govdesk.gui.pages import annual_report_page as page_module  # noqa: E402
from govdesk.gui.pages.annual_report_page import (  # noqa: E402
    BALANCED_TEXT,
    TABLE3_TAB,
    AnnualReportPage,
)
from govdesk.operations import annual_report as ops  # noqa: E402
from govdesk.operations import requests as requests_ops  # noqa: E402
from govdesk.store import org_store  # noqa: E402

# (applicant kind, received, closed, outcome): what the page has to count.
FACTS = [
    (ApplicantKind.PERSON, date(2024, 3, 4), date(2024, 3, 20), Outcome.DISCLOSED),
    # received in 2024, answered in 2025: 2024's 四 and 2025's 二
    (ApplicantKind.BUSINESS, date(2024, 12, 20), date(2025, 1, 10), Outcome.PARTLY_DISCLOSED),
    (ApplicantKind.PERSON, date(2025, 2, 10), date(2025, 3, 3), Outcome.NOT_HELD),
    (ApplicantKind.RESEARCH, date(2025, 6, 2), date(2025, 6, 20), Outcome.STATE_SECRET),
    (ApplicantKind.PERSON, date(2025, 11, 3), None, None),  # open: 2025's 四
]


def type_chinese(widget, text: str) -> None:
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture(autouse=True)
def shown(tmp_path, monkeypatch):
    """QSettings in the test's folder, and no real message box (confirm says yes unless a test
    says otherwise)."""
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


@pytest.fixture
def registered(ctx, users):
    org_store.update_township(ctx.db, Township("青山县云溪镇人民政府", "云溪镇", "",
                                               "云溪镇人民路1号", "0731-8888 1234"))
    for kind, received, closed, outcome in FACTS:
        request = requests_ops.register_request(ctx, RequestInput(
            channel=Channel.IN_PERSON, submitted_on=received, applicant_kind=kind,
            applicant_name="张三", content="2024年度柳河村低保资金发放情况"))
        assert request.received_on == received
        if closed is not None:
            requests_ops.close_request(ctx, request.id, outcome, on=closed)


def _facts() -> list[ApplicationFact]:
    return [ApplicationFact(kind, received, closed, outcome)
            for kind, received, closed, outcome in FACTS]


def _page(qtbot, ctx, year: int | None = 2025) -> AnnualReportPage:
    page = AnnualReportPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.refresh()
    if year is not None:
        page.set_year(year)
    return page


def _cell_text(page: AnnualReportPage, row: str, col: str) -> str:
    return page.model3.index_of(CellRef("表三", row, col)).data()


# ---- tables ---------------------------------------------------------------------------------------


def test_opens_on_last_year_and_table3_matches_the_tally(qtbot, ctx, registered):
    page = _page(qtbot, ctx, year=None)
    assert page.year == 2024 and page.year_spin.value() == 2024
    for year in (2024, 2025):
        page.set_year(year)
        expected = tally_table3(_facts(), year)
        shown = {(r, c): _cell_text(page, r, c) for r in ROW_KEYS for c in COLUMN_KEYS}
        assert shown == {(r, c): str(expected.cell(r, c)) for r in ROW_KEYS for c in COLUMN_KEYS}
        assert page.status_label.text() == BALANCED_TEXT
        assert not page.problem_view.isVisible()
    # 2025 by hand: B carried over and answered, C and G answered, the November one open.
    assert _cell_text(page, "CARRIED", "BUSINESS") == "1"
    assert _cell_text(page, "NEW", "TOTAL") == "3"
    assert _cell_text(page, "RESULTS_TOTAL", "TOTAL") == "3"
    assert _cell_text(page, "CARRY_FORWARD", "PERSON") == "1"
    assert page.title_label.text() == "青山县云溪镇人民政府2025年政府信息公开工作年度报告"
    assert page.period_label.text() == "本报告中所列数据统计期限为2025年1月1日至12月31日"


def test_tables_have_the_official_spans(qtbot, ctx, registered):
    page = _page(qtbot, ctx)
    v3, m3 = page.view3, page.model3
    assert (m3.rowCount(), m3.columnCount()) == (3 + len(ROW_KEYS), 10)
    # the 勾稽关系 corner 3 × 3, 申请人情况 over 7, 自然人/总计 over 2 header rows,
    # 法人或其他组织 over 5
    assert (v3.rowSpan(0, 0), v3.columnSpan(0, 0)) == (3, 3)
    assert m3.index(0, 0).data() == TABLE3_CORNER
    assert v3.columnSpan(0, 3) == 7 and m3.index(0, 3).data() == "申请人情况"
    assert v3.rowSpan(1, 3) == 2 and v3.rowSpan(1, 9) == 2
    assert v3.columnSpan(1, 4) == 5 and m3.index(1, 4).data() == "法人或其他组织"
    # 一 over the 3 label columns; 三、本年度办理结果 over its 22 rows; （三）不予公开 over 8
    assert v3.columnSpan(3, 0) == 3
    assert v3.rowSpan(5, 0) == 22 and m3.index(5, 0).data(CELL_ROLE).text == "三、本年度办理结果"
    assert v3.columnSpan(5, 1) == 2  # （一）予以公开
    assert v3.rowSpan(7, 1) == 8 and m3.index(7, 1).data() == "（三）\n不予公开"
    assert v3.rowSpan(15, 1) == 3 and v3.rowSpan(18, 1) == 5 and v3.rowSpan(23, 1) == 3
    assert v3.columnSpan(26, 1) == 2 and m3.index(26, 1).data() == "（七）总计"
    assert v3.columnSpan(27, 0) == 3 and m3.index(27, 0).data() == "四、结转下年度继续办理"
    # covered slots are empty
    assert m3.index(1, 0).data() is None and m3.index(6, 0).data() is None
    # 表二: captions across all 4 columns, 本年处理决定数量 over 3
    v2, m2 = page.view2, page.model2
    assert v2.columnSpan(0, 0) == 4 and m2.index(0, 0).data() == "第二十条第（一）项"
    assert v2.columnSpan(5, 1) == 3 and m2.index(5, 1).data() == "本年处理决定数量"
    # 表四: 行政复议 over 5, 行政诉讼 over 10, its two groups over 5 each
    v4, m4 = page.view4, page.model4
    assert (v4.columnSpan(0, 0), v4.columnSpan(0, 5)) == (5, 10)
    assert (v4.columnSpan(1, 5), v4.columnSpan(1, 10), v4.rowSpan(1, 0)) == (5, 5, 2)
    assert [m4.index(3, c).data() for c in range(15)] == ["0"] * 15


def test_models_pass_qtmodeltester(qtbot, qtmodeltester, ctx, registered):
    ops.save_report_figures(ctx, 2024, {"carry_forward": [0, 0, 0, 0, 0, 0, 0]})
    page = _page(qtbot, ctx)
    assert page.problem_model.rowCount() == 2
    for model in (page.model2, page.model3, page.model4, page.problem_model):
        qtmodeltester.check(model)


# ---- texts, figures, date ----------------------------------------------------------------------


def test_overview_typed_saved_and_reloaded(qtbot, ctx, registered, shown):
    page = _page(qtbot, ctx)
    assert ops.text_sources(ctx, 2025)["overview"] == "draft"
    assert page.overview.source.text().startswith("文本来源：按本年数据生成的草稿")
    assert page.unsaved_work() == []
    editor = page.overview.editor
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    type_chinese(editor, "\n全年还组织了一次政务公开开放日活动。")
    assert page.unsaved_work() == ["年度报告"]
    assert "有未保存的修改" in page.overview.source.text()
    page.date_edit.setDate(date(2026, 1, 15))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert shown[-1] == ("info", "2025年度报告已保存。")
    assert page.unsaved_work() == []
    assert ops.text_sources(ctx, 2025)["overview"] == "saved"
    report = ops.build_report(ctx, 2025)
    assert report.texts[0].endswith("全年还组织了一次政务公开开放日活动。")
    assert report.dated == date(2026, 1, 15)

    again = _page(qtbot, ctx)
    assert again.overview.text() == report.texts[0]
    assert again.overview.source.text() == "文本来源：已保存"
    assert again.date_edit.date().toPython() == date(2026, 1, 15)

    # 重新生成草稿 (confirmed) puts the draft back; saving it unchanged follows the data again
    qtbot.mouseClick(again.regenerate_button, Qt.MouseButton.LeftButton)
    assert "重新生成" in shown[-1][1]
    assert "开放日" not in again.overview.text()
    assert "已重新生成" in again.overview.source.text()
    assert again.save()
    assert ops.text_sources(ctx, 2025)["overview"] == "draft"


def test_section_five_offered_from_last_years_report(qtbot, ctx, registered):
    page = _page(qtbot, ctx)
    assert page.problems_text.text() == ""
    assert page.problems_text.source.text().startswith("尚未填写")
    ops.save_report_texts(ctx, 2024, problems="公开栏更新不够及时。")
    page.refresh()
    assert ops.text_sources(ctx, 2025)["problems"] == "last_year"
    assert page.problems_text.text() == f"{ops.LAST_YEAR_MARK}\n公开栏更新不够及时。"
    assert page.problems_text.source.text().startswith("文本来源：上年度报告的内容")


def test_date_in_the_report_year_is_refused_and_kept_on_screen(qtbot, ctx, registered, shown):
    page = _page(qtbot, ctx)
    page.date_edit.setDate(date(2025, 12, 1))
    assert not page.save()
    assert shown[-1] == ("warn", "2025年度报告的成文日期应在2025年12月31日之后")
    assert page.date_edit.date().toPython() == date(2025, 12, 1)
    assert page.unsaved_work() == ["年度报告"]


def test_negative_count_is_shown_and_nothing_saved(qtbot, ctx, registered, shown):
    page = _page(qtbot, ctx)
    page.tabs.setCurrentIndex(0)
    type_chinese(page.overview.editor, "本年新写的总体情况。")
    edit = page.figure_edits["licensing_decisions"]
    edit.setText("")
    qtbot.keyClicks(edit, "-3")
    page.figure_edits["fee_amount"].setText("12.5")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    kind, text = shown[-1]
    assert kind == "warn"
    assert text.startswith("年报数字有误，未保存")
    assert "“行政许可本年处理决定数量”应为不小于0的整数（填写的是“-3”）" in text
    assert page.tabs.currentIndex() == 1  # the form is shown
    assert "d32f2f" in edit.styleSheet() and page.figure_edits["fee_amount"].styleSheet() == ""
    # nothing saved: neither the figures nor the text typed meanwhile
    assert ops.report_figures(ctx, 2025) == ops.ReportFigures()
    assert ops.text_sources(ctx, 2025)["overview"] == "draft"
    assert edit.text() == "-3" and page.unsaved_work() == ["年度报告"]

    edit.setText("3")
    assert page.save()
    saved = ops.report_figures(ctx, 2025)
    assert saved.licensing_decisions == 3 and str(saved.fee_amount) == "12.5"
    assert page.model2.index(6, 1).data() == "3"  # 行政许可 in 表二
    assert page.model2.index(13, 1).data() == "12.5"  # 行政事业性收费 (万元)


def test_switching_year_with_unsaved_edits_asks(qtbot, ctx, registered, shown, monkeypatch):
    page = _page(qtbot, ctx)
    type_chinese(page.other_text.editor, "另：")
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: False)
    page.year_spin.setValue(2024)
    assert page.year == 2025 and page.year_spin.value() == 2025
    assert page.unsaved_work() == ["年度报告"]
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    page.year_spin.setValue(2024)
    assert page.year == 2024 and page.unsaved_work() == []


# ---- export ---------------------------------------------------------------------------------------


def test_export_docx_read_back(qtbot, ctx, registered, shown, tmp_path, monkeypatch):
    page = _page(qtbot, ctx)
    asked = []

    def fake_save(parent, title, start, filters):
        asked.append((start, filters))
        return str(tmp_path / "out" / "年报"), filters  # no extension typed

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    qtbot.mouseClick(page.export_buttons["docx"], Qt.MouseButton.LeftButton)
    assert asked == [("2025年政府信息公开工作年度报告.docx", "Word 文档 (*.docx)")]
    path = tmp_path / "out" / "年报.docx"
    assert shown[-1] == ("info", f"已导出2025年度报告到：\n{path}")
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    # the title is set on two lines: the organ, then the year and the report's name
    assert "青山县云溪镇人民政府\n2025年政府信息公开工作年度报告" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert TABLE3_CORNER in cells and "三、本年度办理结果" in cells
    assert ui_state.last_dir(page_module.LAST_DIR_KEY) == str(tmp_path / "out")
    # the next export starts in the folder used
    qtbot.mouseClick(page.export_buttons["json"], Qt.MouseButton.LeftButton)
    assert Path(asked[-1][0]) == tmp_path / "out" / "2025年政府信息公开工作年度报告.json"


def test_unbalanced_table_is_shown_and_refused(qtbot, ctx, registered, shown, tmp_path,
                                               monkeypatch):
    # 2024's report was "published" with no carry-over: 2025's 二 (B, 商业企业) no longer agrees.
    ops.save_report_figures(ctx, 2024, {"carry_forward": [0, 0, 0, 0, 0, 0, 0]})
    page = _page(qtbot, ctx)
    assert page.status_label.text().startswith("表三勾稽关系有2处不符")
    assert page.problem_view.isVisible() and page.problem_model.rowCount() == 2
    first = page.problem_model.index(0, 0).data()
    assert first == "1. 表三“商业企业”列：二、上年结转（1）≠ 上年报告四、结转下年度继续办理（0）"
    bad = page.model3.index_of(CellRef("表三", "CARRIED", "BUSINESS"))
    good = page.model3.index_of(CellRef("表三", "CARRIED", "PERSON"))
    assert bad.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert good.data(Qt.ItemDataRole.BackgroundRole) is None
    assert "上年结转（1）" in bad.data(Qt.ItemDataRole.ToolTipRole)

    # clicking the problem selects its cell in 表三
    page.tabs.setCurrentIndex(0)
    rect = page.problem_view.visualRect(page.problem_model.index(0, 0))
    qtbot.mouseClick(page.problem_view.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())
    assert page.tabs.currentIndex() == TABLE3_TAB
    assert page.view3.currentIndex() == bad
    focused = bad.data(Qt.ItemDataRole.BackgroundRole).color().name()
    other_problem = page.model3.index_of(CellRef("表三", "CARRIED", "TOTAL"))
    assert other_problem.data(Qt.ItemDataRole.BackgroundRole).color().name() != focused

    # Word is refused before any file is asked for, naming the cells and the list
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a: pytest.fail("no file dialog for an unbalanced report"))
    page.tabs.setCurrentIndex(0)
    qtbot.mouseClick(page.export_buttons["docx"], Qt.MouseButton.LeftButton)
    kind, text = shown[-1]
    assert kind == "warn" and "表三勾稽关系不符，不能导出正式报告" in text
    assert "表三“二、上年结转政府信息公开申请数量”行“商业企业”列" in text
    assert "问题列表" in text
    assert page.tabs.currentIndex() == TABLE3_TAB

    # and if the page's view were stale, the operation's refusal says the same
    path = tmp_path / "2025.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(path), ""))
    page.problems = []
    qtbot.mouseClick(page.export_buttons["docx"], Qt.MouseButton.LeftButton)
    assert shown[-1][0] == "warn" and "问题列表" in shown[-1][1]
    assert not path.exists() and len(page.problems) == 2

    # JSON is written, with the problems
    json_path = tmp_path / "2025.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(json_path), ""))
    qtbot.mouseClick(page.export_buttons["json"], Qt.MouseButton.LeftButton)
    assert shown[-1][0] == "info" and "2处问题" in shown[-1][1]
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert [c["column"] for c in data["problems"][0]["cells"]] == ["BUSINESS"]


# ---- permissions and the main window ----------------------------------------------------------


def test_read_only_without_the_permission(qtbot, ctx, registered, users):
    leader = as_user(ctx, users[Role.DEPUTY_LEADER])
    page = _page(qtbot, leader)
    assert _cell_text(page, "CARRIED", "BUSINESS") == "1"
    assert not page.save_button.isEnabled() and not page.regenerate_button.isEnabled()
    assert not any(b.isEnabled() for b in page.export_buttons.values())
    assert not page.date_edit.isEnabled()
    assert all(s.editor.isReadOnly() for s in page.sections.values())
    assert all(e.isReadOnly() for e in page.figure_edits.values())
    assert "只能查看年度报告" in page.state_note.text()


def test_in_the_main_window_after_the_work_plan(qtbot, ctx, registered):
    """The year's plan, then the year's report (issue 8), after 统计."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels.index("统计") < labels.index("实施方案") < labels.index("年度报告")
    assert labels[labels.index("实施方案") + 1] == "年度报告"
    page = window.show_page("annual_report")
    assert isinstance(page, AnnualReportPage) and page.year == 2024
