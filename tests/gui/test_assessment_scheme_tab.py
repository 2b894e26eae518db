"""考核细则 tab (issue 5, item 1) on a real temporary database: create the year's scheme, edit
the tree with live problems, save and read back, versions in use, copy, set current, delete,
read-only users, and the models under the model tester."""

# ruff: noqa: E402  (Qt must not start before the platform is chosen)
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDoubleSpinBox,
    QLineEdit,
    QWidget,
)

from govdesk.core.org import Role
from govdesk.core.scoring import Deduction, SpotCheck
from govdesk.gui import messages
from govdesk.gui.models.scheme_models import (
    COL_NAME,
    COL_PER,
    COL_POINTS,
    COL_STANDARD,
    SchemeTreeModel,
    SchemeVersionTableModel,
)
from govdesk.gui.pages.assessment_scheme_tab import (
    DISCARD_TEXT,
    IN_USE_NOTE,
    READ_ONLY_NOTE,
    SchemeTab,
)
from govdesk.operations import scoring as ops
from tests.conftest import as_user

TOTAL_PROBLEM = "一级指标合计95分，与考核细则总分100分不符"


@pytest.fixture
def warnings(monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda parent, text, title="提示": seen.append(text))
    return seen


@pytest.fixture
def confirms(monkeypatch):
    """Every confirmation is answered yes; the questions are recorded."""
    asked: list[str] = []

    def confirm(parent, text, title="请确认", *, ok="确定"):
        asked.append(text)
        return True

    monkeypatch.setattr(messages, "confirm", confirm)
    return asked


def make_tab(qtbot, ctx) -> SchemeTab:
    tab = SchemeTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1200, 720)
    tab.show()
    tab.refresh()
    return tab


def type_chinese(widget, text: str) -> None:
    """Type the way an input method commits text (keyClicks aborts on non-ASCII)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def open_editor(tab: SchemeTab, key, column):
    index = tab.model.index_of(key, column)
    assert index.isValid(), key
    tab.tree.setCurrentIndex(index)
    tab.tree.edit(index)
    editors = [w for w in tab.tree.viewport().findChildren(QWidget) if w.isVisible() and (
        isinstance(w, QDoubleSpinBox)
        or (isinstance(w, QLineEdit) and not isinstance(w.parent(), QDoubleSpinBox)))]
    assert len(editors) == 1, editors
    return editors[0]


def commit(qtbot, tab: SchemeTab, editor) -> None:
    """Press Enter in the cell editor, as the office does, and wait until it is closed."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.tree.state() != QAbstractItemView.State.EditingState)


def edit_points(qtbot, tab: SchemeTab, key, value: float, column=COL_POINTS) -> None:
    editor = open_editor(tab, key, column)
    assert isinstance(editor, QDoubleSpinBox)
    assert editor.decimals() == 1
    editor.setValue(value)
    commit(qtbot, tab, editor)


def edit_text(qtbot, tab: SchemeTab, key, text: str, column=COL_NAME) -> None:
    editor = open_editor(tab, key, column)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    type_chinese(editor, text)
    commit(qtbot, tab, editor)


def type_into_open_editor(qtbot, tab: SchemeTab, text: str) -> None:
    """The add buttons open the new row's name for typing."""
    editors = [w for w in tab.tree.viewport().findChildren(QLineEdit) if w.isVisible()]
    assert len(editors) == 1
    editors[0].selectAll()
    type_chinese(editors[0], text)
    commit(qtbot, tab, editors[0])


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def created(qtbot, ctx) -> SchemeTab:
    tab = make_tab(qtbot, ctx)
    click(qtbot, tab.create_button)
    assert tab.version is not None
    return tab


def use_version(ctx, org, scheme_id: int) -> None:
    """A July check scored by ``scheme_id``: the version is in use from then on."""
    ops.save_month(ctx, 2025, 7, [SpotCheck(org["liuhe"], 2025, 7, deductions=(
        Deduction("2.3", "7月财务收支未公开", count=1, rule=0),), checker="刘欣",
        checked_on=date(2025, 7, 20))], scheme_id=scheme_id)


# ---- creating and editing --------------------------------------------------------------------


def test_create_edit_see_the_problem_fix_save_and_read_back(qtbot, ctx, users, warnings):
    tab = make_tab(qtbot, ctx)
    assert tab.year == 2025
    assert tab.create_button.isVisible() and "尚未建立考核细则" in tab.empty_label.text()
    assert tab.version is None and tab.model.rowCount() == 0

    click(qtbot, tab.create_button)
    v = tab.version
    assert v is not None and v.version == 1 and v.current
    assert not tab.create_button.isVisible()
    assert tab.version_model.rowCount() == 1
    assert tab.version_model.index(0, 0).data() == "第1版"
    assert tab.version_model.index(0, 2).data() == "当前使用"
    assert tab.problem_texts() == ["未发现问题，可以保存。"]
    assert not tab.save_button.isEnabled()

    edit_points(qtbot, tab, ("ind", "1.1"), 5)
    assert tab.model.index_of(("ind", "1"), COL_POINTS).data() == "15"
    assert tab.problem_texts() == [TOTAL_PROBLEM]
    assert "一级指标合计 95 分" in tab.total_label.text()
    assert tab.save_button.isEnabled() and tab.revert_button.isEnabled()

    click(qtbot, tab.save_button)  # refused: every problem shown, nothing typed is lost
    assert len(warnings) == 1 and TOTAL_PROBLEM in warnings[0]
    assert tab.model.index_of(("ind", "1.1"), COL_POINTS).data() == "5"
    assert ops.get_scheme(ctx, v.id).scheme.indicator("1.1").max_points == 10

    edit_points(qtbot, tab, ("ind", "2.3"), 20)
    assert tab.problem_texts() == ["未发现问题，可以保存。"]
    edit_text(qtbot, tab, ("ind", "2.3"), "财务收支逐笔公开")
    edit_text(qtbot, tab, ("ind", "2.3"), "每月公开一次，逐笔逐项", column=COL_STANDARD)
    edit_points(qtbot, tab, ("rule", "2.2", 1), 0.5, column=COL_PER)
    click(qtbot, tab.save_button)
    assert len(warnings) == 1
    assert tab.saved_label.text() == "已保存"
    assert not tab.save_button.isEnabled()

    stored = ops.get_scheme(ctx, v.id).scheme
    assert stored.indicator("1.1").max_points == 5
    assert stored.indicator("1").max_points == 15
    assert stored.indicator("2.3").max_points == 20
    assert stored.indicator("2.3").name == "财务收支逐笔公开"
    assert stored.indicator("2.3").standard == "每月公开一次，逐笔逐项"
    assert stored.indicator("2.2").rules[1].points_per_finding == Decimal("0.5")

    again = make_tab(qtbot, ctx)  # a fresh tab reads the same back
    assert again.model.index_of(("ind", "2.3"), COL_NAME).data() == "财务收支逐笔公开"


def test_add_a_second_level_indicator_a_rule_and_items(qtbot, ctx, users, warnings):
    tab = created(qtbot, ctx)
    tab.tree.setCurrentIndex(tab.model.index_of(("ind", "2")))
    click(qtbot, tab.add_child_button)
    assert tab.model.key(tab.tree.currentIndex()) == ("ind", "2.5")
    type_into_open_editor(qtbot, tab, "公开栏照片存档")
    assert "一级指标合计101分，与考核细则总分100分不符" in tab.problem_texts()

    click(qtbot, tab.add_rule_button)
    assert tab.model.key(tab.tree.currentIndex()) == ("rule", "2.5", 0)
    type_into_open_editor(qtbot, tab, "未拍照存档的，每次扣0.5分")
    edit_points(qtbot, tab, ("rule", "2.5", 0), 0.5, column=COL_PER)
    edit_points(qtbot, tab, ("ind", "2.4"), 9)
    assert tab.problem_texts() == ["未发现问题，可以保存。"]

    click(qtbot, tab.add_bonus_button)
    assert tab.model.key(tab.tree.currentIndex()) == ("item", "B2")
    type_into_open_editor(qtbot, tab, "市级表彰")
    click(qtbot, tab.add_veto_button)
    type_into_open_editor(qtbot, tab, "公开内容泄露个人隐私")
    click(qtbot, tab.add_top_button)
    assert tab.model.key(tab.tree.currentIndex()) == ("ind", "6")
    type_into_open_editor(qtbot, tab, "临时指标")
    click(qtbot, tab.remove_button)  # a 一级 indicator without 二级: no question asked
    assert tab.model.index_of(("ind", "6")).isValid() is False

    # Reorder: 2.5 up one place, codes unchanged.
    tab.tree.setCurrentIndex(tab.model.index_of(("ind", "2.5")))
    click(qtbot, tab.up_button)
    assert tab.model.index_of(("ind", "2.5")).row() == 3
    assert tab.model.key(tab.tree.currentIndex()) == ("ind", "2.5")

    click(qtbot, tab.save_button)
    assert warnings == []
    stored = ops.get_scheme(ctx, tab.version.id).scheme
    two = stored.indicator("2")
    assert [c.code for c in two.children] == ["2.1", "2.2", "2.3", "2.5", "2.4"]
    assert stored.indicator("2.5").name == "公开栏照片存档"
    rule = stored.indicator("2.5").rules[0]
    assert (rule.text, rule.points_per_finding, rule.cap) == (
        "未拍照存档的，每次扣0.5分", Decimal("0.5"), None)
    assert [(b.code, b.name) for b in stored.bonuses] == [("B1", "通报表彰"), ("B2", "市级表彰")]
    assert [(x.code, x.name) for x in stored.vetoes] == [("V1", "公开内容泄露个人隐私")]


def test_scoring_settings_are_saved(qtbot, ctx, users, warnings):
    tab = created(qtbot, ctx)
    tab.method_combo.setCurrentIndex(1)
    assert tab.monthly_pct.isEnabled()
    tab.monthly_pct.setValue(40)
    assert "月抽查平均分×40%＋季度检查得分×60%" in tab.rule_label.text()
    tab.excellent_spin.setValue(85)
    tab.good_spin.setValue(90)  # above 优秀: a live problem
    assert "等次分数线应为：优秀 > 良好 > 合格 ≥ 0" in tab.problem_texts()
    tab.good_spin.setValue(75)
    tab.year_end_spin.setValue(4)
    tab.bonus_cap_auto.setChecked(False)
    tab.bonus_cap_spin.setValue(5)
    assert tab.model.index_of(("group", "bonus"), COL_STANDARD).data() == "加分上限：5分"
    click(qtbot, tab.save_button)
    assert warnings == []
    v = ops.get_scheme(ctx, tab.version.id)
    assert v.rule.monthly_weight == Decimal("0.4")
    assert (v.grades.excellent, v.grades.good, v.grades.passing) == (85, 75, 60)
    assert v.year_end_weight == 4 and v.scheme.bonus_cap == 5


def test_unsaved_edits_survive_refresh_and_revert_reloads(qtbot, ctx, users, confirms):
    tab = created(qtbot, ctx)
    edit_points(qtbot, tab, ("ind", "1.1"), 5)
    tab.refresh()
    assert tab.model.index_of(("ind", "1.1"), COL_POINTS).data() == "5"
    click(qtbot, tab.revert_button)
    assert confirms == ["当前版本有尚未保存的修改，放弃这些修改吗？"]
    assert tab.model.index_of(("ind", "1.1"), COL_POINTS).data() == "10"
    assert not tab.revert_button.isEnabled()

    edit_points(qtbot, tab, ("ind", "1.1"), 5)
    tab.year_spin.setValue(2026)  # switching year asks first
    assert confirms[-1] == DISCARD_TEXT and tab.version is None


def test_text_typed_without_enter_is_saved_and_removals(qtbot, ctx, users, confirms, warnings):
    tab = created(qtbot, ctx)
    editor = open_editor(tab, ("ind", "3.2"), COL_NAME)
    editor.selectAll()
    type_chinese(editor, "及时撤栏")
    click(qtbot, tab.remove_button)  # a structural edit first commits the open cell
    assert tab.model.index_of(("ind", "3.2"), COL_NAME).data() is None  # 3.2 was removed
    assert "一级指标合计95分，与考核细则总分100分不符" in tab.problem_texts()
    assert tab.model.key(tab.tree.currentIndex()) == ("ind", "3.1")  # the row above

    editor = open_editor(tab, ("ind", "3.1"), COL_POINTS)
    editor.setValue(15)
    click(qtbot, tab.save_button)  # saved with the value still in the editor
    assert warnings == []
    assert ops.get_scheme(ctx, tab.version.id).scheme.indicator("3").max_points == 15

    tab.tree.setCurrentIndex(tab.model.index_of(("rule", "1.1", 0)))
    click(qtbot, tab.remove_button)
    assert tab.model.key(tab.tree.currentIndex()) == ("rule", "1.1", 0)
    assert "无防雨" in tab.model.index_of(("rule", "1.1", 0), COL_NAME).data()
    asked = len(confirms)
    tab.tree.setCurrentIndex(tab.model.index_of(("ind", "5")))
    click(qtbot, tab.remove_button)  # a 一级 indicator with 二级 ones: asked first
    assert len(confirms) == asked + 1 and "群众满意度" in confirms[-1]
    assert not tab.model.index_of(("ind", "5.1")).isValid()
    assert "一级指标合计90分，与考核细则总分100分不符" in tab.problem_texts()


# ---- versions ----------------------------------------------------------------------------------


def test_a_version_in_use_is_read_only_copy_set_current_and_delete(qtbot, ctx, users, org,
                                                                   confirms):
    first = ops.ensure_scheme(ctx, 2025)
    use_version(ctx, org, first.id)
    tab = make_tab(qtbot, ctx)
    assert tab.version.id == first.id and tab.version.in_use
    assert IN_USE_NOTE in tab.note_label.text() and tab.note_label.isVisible()
    assert tab.version_model.index(0, 3).data() == "已用于记分"
    assert "font-weight: bold" in tab.copy_button.styleSheet()
    assert not tab.model.editable
    index = tab.model.index_of(("ind", "1.1"), COL_POINTS)
    assert not tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not tab.model.setData(index, 5.0)
    for b in (tab.add_top_button, tab.add_bonus_button, tab.save_button, tab.delete_button,
              tab.current_button):
        assert not b.isEnabled(), b.text()
    assert tab.name_edit.isReadOnly()

    click(qtbot, tab.copy_button)
    second = tab.version
    assert second.version == 2 and not second.current and not second.in_use
    assert tab.model.editable and tab.copy_button.styleSheet() == ""
    assert tab.delete_button.isEnabled()
    edit_points(qtbot, tab, ("ind", "1.1"), 8)
    edit_points(qtbot, tab, ("ind", "2.3"), 17)
    click(qtbot, tab.save_button)
    assert ops.get_scheme(ctx, second.id).scheme.indicator("1.1").max_points == 8
    assert ops.get_scheme(ctx, first.id).scheme.indicator("1.1").max_points == 10

    click(qtbot, tab.current_button)
    assert ops.current_scheme(ctx, 2025).id == second.id
    assert tab.version.current and not tab.current_button.isEnabled()
    assert not tab.delete_button.isEnabled()  # the current version is kept

    click(qtbot, tab.copy_button)
    third = tab.version
    assert third.version == 3
    click(qtbot, tab.delete_button)
    assert "第3版" in confirms[-1]
    assert sorted(v.version for v in ops.schemes(ctx, 2025)) == [1, 2]
    assert tab.version_model.rowCount() == 2
    assert tab.version.id == second.id  # back on the current version


def test_read_only_for_a_unit_head(qtbot, ctx, users):
    ops.ensure_scheme(ctx, 2025)
    head = as_user(ctx, users[Role.UNIT_HEAD])
    tab = make_tab(qtbot, head)
    assert tab.version is not None
    assert tab.note_label.text() == READ_ONLY_NOTE
    assert not tab.model.editable
    for b in (tab.add_top_button, tab.add_child_button, tab.add_rule_button, tab.save_button,
              tab.copy_button, tab.current_button, tab.delete_button):
        assert not b.isEnabled(), b.text()
    tab.year_spin.setValue(2026)
    assert tab.create_button.isVisible() and not tab.create_button.isEnabled()


def test_models_pass_the_model_tester(qtmodeltester, qtbot, ctx, users):
    tab = created(qtbot, ctx)
    qtmodeltester.check(tab.model, force_py=True)
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.version_model, force_py=True)
    qtmodeltester.check(tab.version_model)
    empty = SchemeTreeModel()
    qtmodeltester.check(empty, force_py=True)
    qtmodeltester.check(SchemeVersionTableModel(), force_py=True)
