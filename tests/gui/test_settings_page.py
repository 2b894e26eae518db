"""设置 page: township profile, org lists, users and the 节假日 calendar, on a real database."""

# ruff: noqa: E402  (Qt must not start before the platform is chosen)
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QTableView

from govdesk.core.errors import UserError
from govdesk.core.org import BoardKind, Role, Township
from govdesk.gui import messages
from govdesk.gui.dialogs.calendar_day_dialog import CalendarDayDialog
from govdesk.gui.dialogs.org_board_dialog import BoardDialog
from govdesk.gui.dialogs.org_item_dialog import OrgItemDialog
from govdesk.gui.dialogs.user_dialog import UserDialog
from govdesk.gui.dialogs.user_password_dialog import ResetPasswordDialog
from govdesk.gui.models.org_models import (
    BoardTableModel,
    CalendarDayTableModel,
    CategoryTableModel,
    ChannelTableModel,
    CommunityTableModel,
    UnitTableModel,
    UserTableModel,
    calendar_days,
)
from govdesk.gui.pages.settings_page import (
    MISSING_YEAR_TEXT,
    READ_ONLY_NOTE,
    SettingsPage,
)
from govdesk.operations import auth, lists
from govdesk.operations import calendar_days as calendar_ops
from govdesk.operations import org as org_ops
from govdesk.operations.context import Context
from govdesk.store import database

PASSWORD = "Zz-test-pass-1"
# 16 November 2026: time to enter 2027's holidays, which chinese_calendar 1.11 does not know.
NOW = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)


# ---- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def ctx(tmp_path):
    db = database.connect(tmp_path / "t.db")
    ctx = Context(db, files_dir=tmp_path, clock=lambda: NOW)
    ctx.user = auth.create_user(ctx, "admin", "管理员甲", Role.ADMIN, PASSWORD)
    yield ctx
    database.close(db)


@pytest.fixture
def page(qtbot, ctx):
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    return page


@pytest.fixture
def warnings(monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda parent, text, title="提示": seen.append(text))
    return seen


@pytest.fixture
def infos(monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(messages, "info", lambda parent, text, title="提示": seen.append(text))
    return seen


def answer_confirm(monkeypatch, answer: bool) -> list[str]:
    asked: list[str] = []

    def confirm(parent, text, title="请确认", *, ok="确定"):
        asked.append(text)
        return answer

    monkeypatch.setattr(messages, "confirm", confirm)
    return asked


def type_chinese(widget, text: str) -> None:
    """Type the way an input method commits text (keyClicks aborts on non-ASCII)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def drive(monkeypatch, dialog_cls: type[QDialog], fill: Callable[[QDialog], None]) -> list:
    """Let the real ask() run, but instead of blocking in exec() fill the widgets and press 保存.

    Returns (window title, result) of each dialog shown; ask() disposes of the dialog itself.
    """
    shown: list[tuple[str, int]] = []

    def fake_exec(self):
        fill(self)
        self.accept()
        shown.append((self.windowTitle(), self.result()))
        return self.result()

    monkeypatch.setattr(dialog_cls, "exec", fake_exec)
    return shown


def select(view: QTableView, predicate) -> None:
    row = view.model().row_of(predicate)
    assert row is not None
    view.selectRow(row)


def click(qtbot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def column_texts(model, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


# ---- 本镇信息 --------------------------------------------------------------------------------


def test_township_profile_edited_and_saved(qtbot, page, ctx, tmp_path, warnings):
    tab = page.township_tab
    page.show()
    tab.full_name_edit.clear()
    type_chinese(tab.full_name_edit, "沂水县柳河镇人民政府")
    assert tab.full_name_edit.text() == "沂水县柳河镇人民政府"
    type_chinese(tab.short_name_edit, "柳河镇")
    tab.credit_code_edit.clear()
    qtbot.keyClicks(tab.credit_code_edit, "11371323mb2845917w")
    type_chinese(tab.address_edit, "柳河镇政府路 1 号")
    qtbot.keyClicks(tab.phone_edit, "0539-2251234")
    tab.pattern_edit.setText("{code}-{year}-{seq:04}")
    assert tab.preview_label.text().startswith("11371323MB2845917W-2026-0001")

    click(qtbot, tab.save_button)

    assert warnings == []
    assert tab.saved_label.text() == "已保存"
    fresh = database.connect(tmp_path / "t.db")
    try:
        saved = Context(fresh)
        t = lists.township(saved)
    finally:
        database.close(fresh)
    assert t.full_name == "沂水县柳河镇人民政府"
    assert t.short_name == "柳河镇"
    assert t.credit_code == "11371323MB2845917W"  # typed in lower case, stored as the standard
    assert t.address == "柳河镇政府路 1 号"
    assert t.phone == "0539-2251234"
    assert t.index_pattern == "{code}-{year}-{seq:04}"


def test_township_error_keeps_what_was_typed(qtbot, page, ctx, warnings):
    tab = page.township_tab
    tab.full_name_edit.setText("柳河镇人民政府")
    tab.credit_code_edit.setText("12345")
    click(qtbot, tab.save_button)
    assert warnings == ["“统一社会信用代码”应为 18 位数字或大写字母"]
    assert tab.full_name_edit.text() == "柳河镇人民政府"
    assert tab.credit_code_edit.text() == "12345"
    assert tab.saved_label.text() == ""
    assert lists.township(ctx).full_name == ""


def test_unsaved_township_edits_survive_a_refresh(qtbot, page, ctx, warnings):
    tab = page.township_tab
    tab.full_name_edit.setText("柳河镇人民政府")
    page.refresh()  # the window refreshes a page each time it is shown
    assert tab.full_name_edit.text() == "柳河镇人民政府"
    with qtbot.waitSignal(page.changed, timeout=1000):
        click(qtbot, tab.save_button)
    assert not tab.is_dirty()
    org_ops.update_township(ctx, Township(full_name="柳河镇政府（改）"))
    page.refresh()
    assert tab.full_name_edit.text() == "柳河镇政府（改）"


def test_index_pattern_preview_reports_a_bad_pattern(page):
    tab = page.township_tab
    tab.pattern_edit.setText("{code}/{year}")
    assert "必须包含流水号" in tab.preview_label.text()
    tab.pattern_edit.setText("{code}/{year}/{category}-{seq:05}")
    assert "/2026/机构职能-00001" in tab.preview_label.text()


# ---- org lists -------------------------------------------------------------------------------


def test_add_community_and_board_through_dialogs(qtbot, page, ctx, monkeypatch, warnings):
    def fill_community(dlg: OrgItemDialog):
        type_chinese(dlg.name_edit, "柳河村")
        dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("村"))

    drive(monkeypatch, OrgItemDialog, fill_community)
    communities = page.list_tabs["community"]
    click(qtbot, communities.new_button)

    assert warnings == []
    assert column_texts(communities.model, 0) == ["柳河村"]
    assert column_texts(communities.model, 1) == ["村"]
    assert communities.selected().name == "柳河村"
    village = lists.communities(ctx)[0]

    def fill_board(dlg: BoardDialog):
        dlg.code_edit.setText("GK-01")
        type_chinese(dlg.name_edit, "柳河村村务公开栏")
        dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData(BoardKind.VILLAGE.value))
        type_chinese(dlg.location_edit, "村委会大院东墙")
        owners = [dlg.owner_combo.itemText(i) for i in range(dlg.owner_combo.count())]
        assert "社区/村：柳河村" in owners and "单位：党政办" in owners
        dlg.select_owner("community", village.id)

    drive(monkeypatch, BoardDialog, fill_board)
    boards = page.list_tabs["board"]
    click(qtbot, boards.new_button)

    assert warnings == []
    [board] = lists.boards(ctx)
    assert (board.code, board.name, board.kind, board.location, board.community_id) == (
        "GK-01", "柳河村村务公开栏", BoardKind.VILLAGE, "村委会大院东墙", village.id,
    )
    assert [boards.model.index(0, c).data() for c in range(7)] == [
        "GK-01", "柳河村村务公开栏", "村务公开栏", "村委会大院东墙", "柳河村", "A4", "启用",
    ]


def test_board_without_owner_keeps_the_dialog_open(qtbot, ctx, warnings):
    saved: list[int] = []
    dlg = BoardDialog(
        None, lists.communities(ctx), lists.units(ctx),
        save=lambda v: saved.append(org_ops.save_org_item(ctx, "board", v)),
    )
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.code_edit.setText("GK-02")
    dlg.name_edit.setText("政府大院政务公开栏")
    dlg.accept()
    assert warnings == ["请选择公开栏的“所属社区/村或单位”"]
    assert dlg.isVisible() and dlg.result() == 0
    assert dlg.code_edit.text() == "GK-02" and dlg.name_edit.text() == "政府大院政务公开栏"

    dlg.select_owner("unit", lists.units(ctx)[0].id)
    dlg.accept()
    assert not dlg.isVisible() and dlg.result() == QDialog.DialogCode.Accepted.value
    assert len(saved) == 1
    assert lists.boards(ctx)[0].owner_name == "党政办"


def test_item_dialog_stays_open_until_save_succeeds(qtbot, ctx, warnings):
    dlg = OrgItemDialog(
        None, "unit", save=lambda v: org_ops.save_org_item(ctx, "unit", v)
    )
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.name_edit.setText("民政办")  # already in the default list
    dlg.accept()
    assert warnings == ["站所科室的名称“民政办”已存在"]
    assert dlg.isVisible() and dlg.name_edit.text() == "民政办"
    dlg.name_edit.setText("退役军人服务站")
    dlg.accept()
    assert not dlg.isVisible()
    assert "退役军人服务站" in [u.name for u in lists.units(ctx)]


def test_category_dialog_saves_publish_limit(qtbot, page, ctx, monkeypatch, warnings):
    def fill(dlg: OrgItemDialog):
        dlg.name_edit.setText("乡村振兴")
        dlg.days_spin.setValue(15)

    drive(monkeypatch, OrgItemDialog, fill)
    click(qtbot, page.list_tabs["category"].new_button)
    category = next(c for c in lists.categories(ctx) if c.name == "乡村振兴")
    assert category.publish_limit_days == 15


def test_double_click_edits(qtbot, page, ctx, monkeypatch, warnings):
    shown = drive(monkeypatch, OrgItemDialog, lambda dlg: dlg.name_edit.setText("财政经管所"))
    tab = page.list_tabs["unit"]
    page.show()
    page.tabs.setCurrentWidget(tab)
    row = tab.model.row_of(lambda u: u.name == "财政所")
    rect = tab.view.visualRect(tab.model.index(row, 0))
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert shown == [("编辑站所科室", QDialog.DialogCode.Accepted.value)]
    names = [u.name for u in lists.units(ctx)]
    assert "财政经管所" in names and "财政所" not in names
    assert tab.selected().name == "财政经管所"


def test_deleting_a_unit_in_use_is_refused(qtbot, page, ctx, monkeypatch, warnings):
    office = lists.units(ctx)[0]
    auth.create_user(ctx, "clerk", "经办人乙", Role.CLERK, PASSWORD, unit_id=office.id)
    page.refresh()
    asked = answer_confirm(monkeypatch, True)
    tab = page.list_tabs["unit"]
    select(tab.view, lambda u: u.id == office.id)
    before = lists.units(ctx)

    click(qtbot, tab.delete_button)

    assert asked == ["确定删除站所科室“党政办”吗？删除后不能恢复。"]
    assert len(warnings) == 1
    assert warnings[0].startswith("站所科室“党政办”已被 1 个用户使用，不能删除")
    assert "停用" in warnings[0]
    assert lists.units(ctx) == before
    assert tab.model.rowCount() == len(before)


def test_deleting_an_unused_channel(qtbot, page, ctx, monkeypatch, warnings):
    tab = page.list_tabs["channel"]
    select(tab.view, lambda c: c.name == "电视报纸")
    answer_confirm(monkeypatch, False)
    click(qtbot, tab.delete_button)
    assert "电视报纸" in [c.name for c in lists.channels(ctx)]

    answer_confirm(monkeypatch, True)
    click(qtbot, tab.delete_button)
    assert warnings == []
    assert "电视报纸" not in [c.name for c in lists.channels(ctx)]
    assert "电视报纸" not in column_texts(tab.model, 0)
    assert not tab.delete_button.isEnabled()  # nothing selected any more


def test_deactivate_and_activate(qtbot, page, ctx, warnings):
    tab = page.list_tabs["unit"]
    select(tab.view, lambda u: u.name == "民政办")
    assert tab.toggle_button.text() == "停用"

    with qtbot.waitSignal(page.changed, timeout=1000):
        click(qtbot, tab.toggle_button)

    assert warnings == []
    unit = next(u for u in lists.units(ctx) if u.name == "民政办")
    assert unit.active is False
    row = tab.model.row_of(lambda u: u.name == "民政办")
    assert tab.model.index(row, 1).data() == "停用"
    assert tab.model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert tab.selected().name == "民政办"  # the selection survives the refresh
    assert tab.toggle_button.text() == "启用"

    click(qtbot, tab.toggle_button)
    assert next(u for u in lists.units(ctx) if u.name == "民政办").active is True
    assert tab.toggle_button.text() == "停用"


def test_board_owner_list_skips_inactive_units_but_keeps_the_current_owner(qapp, ctx):
    units = lists.units(ctx)
    org_ops.set_org_item_active(ctx, "unit", units[1].id, False)
    units = lists.units(ctx)
    fresh = BoardDialog(None, [], units)
    texts = [fresh.owner_combo.itemText(i) for i in range(fresh.owner_combo.count())]
    assert f"单位：{units[1].name}" not in texts
    old = BoardDialog(None, [], units, {"code": "GK-09", "name": "旧栏", "kind": "电子屏",
                                        "unit_id": units[1].id})
    assert old.owner_combo.currentText() == f"单位：{units[1].name}（已停用）"
    assert old.values()["unit_id"] == units[1].id
    fresh.deleteLater()
    old.deleteLater()


# ---- permissions -----------------------------------------------------------------------------


def test_non_admin_sees_disabled_buttons(qtbot, ctx):
    ctx.user = auth.create_user(ctx, "clerk", "经办人乙", Role.CLERK, PASSWORD)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)

    assert not page.readonly_note.isHidden()
    assert page.readonly_note.text() == READ_ONLY_NOTE
    assert not page.township_tab.save_button.isEnabled()
    assert page.township_tab.full_name_edit.isReadOnly()
    for tab in (*page.list_tabs.values(), page.users_tab, page.calendar_tab):
        if tab.model.rowCount():
            tab.view.selectRow(0)
        buttons = tab.findChildren(QPushButton)
        assert buttons
        assert [b.text() for b in buttons if b.isEnabled()] == []
    assert page.users_tab.model.rowCount() == 2  # can still look

    ctx.user = auth.list_users(ctx)[0]  # the admin signs in on the same window
    page.refresh()
    assert page.readonly_note.isHidden()
    assert page.township_tab.save_button.isEnabled()
    assert page.list_tabs["unit"].new_button.isEnabled()


# ---- 用户 ------------------------------------------------------------------------------------


def test_add_user_then_sign_in(qtbot, page, ctx, monkeypatch, warnings):
    office = lists.units(ctx)[1]

    def fill(dlg: UserDialog):
        dlg.login_edit.setText("zhangsan")
        type_chinese(dlg.name_edit, "张三")
        dlg.role_combo.setCurrentIndex(dlg.role_combo.findData(Role.UNIT_HEAD.value))
        dlg.unit_combo.setCurrentIndex(dlg.unit_combo.findData(office.id))
        dlg.password_edit.setText("Liuhe-2026-zs")
        dlg.confirm_edit.setText("Liuhe-2026-zs")

    drive(monkeypatch, UserDialog, fill)
    tab = page.users_tab
    click(qtbot, tab.add_user_button)

    assert warnings == []
    row = tab.model.row_of(lambda u: u.login == "zhangsan")
    assert [tab.model.index(row, c).data() for c in range(5)] == [
        "zhangsan", "张三", "科室负责人", office.name, "启用",
    ]
    assert tab.selected().login == "zhangsan"
    other = Context(ctx.db)
    user = auth.sign_in(other, "ZhangSan", "Liuhe-2026-zs")
    assert (user.name, user.role, user.unit_id) == ("张三", Role.UNIT_HEAD, office.id)


def test_user_dialog_password_mismatch_and_weak_password_stay_open(qtbot, ctx, warnings):
    created = []
    dlg = UserDialog(
        None, lists.units(ctx),
        save=lambda v: created.append(auth.create_user(
            ctx, v["login"], v["name"], v["role"], v["password"], v["unit_id"])),
    )
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.login_edit.setText("lisi")
    dlg.name_edit.setText("李四")
    dlg.password_edit.setText("Liuhe-2026-ls")
    dlg.confirm_edit.setText("Liuhe-2026-xx")
    dlg.accept()
    assert warnings == ["两次输入的密码不一致，请重新输入"]
    assert dlg.isVisible() and created == []

    dlg.password_edit.setText("12345678")
    dlg.confirm_edit.setText("12345678")
    dlg.accept()
    assert warnings[-1].startswith("密码过于简单")
    assert dlg.isVisible() and dlg.login_edit.text() == "lisi" and dlg.name_edit.text() == "李四"

    dlg.password_edit.setText("Liuhe-2026-ls")
    dlg.confirm_edit.setText("Liuhe-2026-ls")
    dlg.accept()
    assert not dlg.isVisible() and len(created) == 1


def test_edit_user_deactivates(qtbot, page, ctx, monkeypatch, warnings):
    auth.create_user(ctx, "wangwu", "王五", Role.CLERK, PASSWORD)
    page.refresh()
    tab = page.users_tab
    select(tab.view, lambda u: u.login == "wangwu")
    shown = drive(monkeypatch, UserDialog, lambda dlg: dlg.active_check.setChecked(False))
    click(qtbot, tab.edit_button)
    assert shown == [("编辑用户", QDialog.DialogCode.Accepted.value)]
    row = tab.model.row_of(lambda u: u.login == "wangwu")
    assert tab.model.index(row, 4).data() == "停用"
    with pytest.raises(UserError):
        auth.sign_in(Context(ctx.db), "wangwu", PASSWORD)


def test_last_admin_cannot_demote_themself(qtbot, page, ctx, monkeypatch, warnings):
    tab = page.users_tab
    select(tab.view, lambda u: u.login == "admin")

    def fill(dlg: UserDialog):
        dlg.role_combo.setCurrentIndex(dlg.role_combo.findData(Role.CLERK.value))

    shown = drive(monkeypatch, UserDialog, fill)
    click(qtbot, tab.edit_button)
    assert warnings == ["至少要保留一个启用的管理员账号"]
    assert shown == [("编辑用户", 0)]  # stayed open: ask() returned None
    assert ctx.user.role is Role.ADMIN
    assert page.readonly_note.isHidden()


def test_locked_user_is_shown_and_unlocked_and_password_reset(
    qtbot, page, ctx, monkeypatch, warnings, infos
):
    auth.create_user(ctx, "zhaoliu", "赵六", Role.CLERK, PASSWORD)
    other = Context(ctx.db, clock=lambda: NOW)
    for _ in range(5):
        with pytest.raises(UserError):
            auth.sign_in(other, "zhaoliu", "wrong-password")
    page.refresh()
    tab = page.users_tab
    select(tab.view, lambda u: u.login == "zhaoliu")
    row = tab.model.row_of(lambda u: u.login == "zhaoliu")
    assert tab.model.index(row, 4).data() == "已锁定"

    click(qtbot, tab.unlock_button)
    assert tab.model.index(row, 4).data() == "启用"
    assert not tab.unlock_button.isEnabled()

    def fill(dlg: ResetPasswordDialog):
        dlg.password_edit.setText("New-pass-2026")
        dlg.confirm_edit.setText("New-pass-2026")

    drive(monkeypatch, ResetPasswordDialog, fill)
    click(qtbot, tab.reset_button)
    assert warnings == []
    assert infos and "赵六" in infos[0]
    assert auth.sign_in(other, "zhaoliu", "New-pass-2026").login == "zhaoliu"


# ---- 节假日 ----------------------------------------------------------------------------------


def test_calendar_warns_about_next_year_and_adds_days(qtbot, page, ctx, monkeypatch, warnings):
    tab = page.calendar_tab
    assert tab.year() == 2026
    assert not tab.warning_label.isHidden()
    assert tab.warning_label.text() == MISSING_YEAR_TEXT.format(year=2027)
    assert tab.model.rowCount() > 10  # 2026 from the built-in notices
    assert not tab.delete_button.isEnabled()

    tab.year_spin.setValue(2027)
    assert tab.model.rowCount() == 0
    assert "尚未录入" in tab.summary_label.text()

    def fill_off(dlg: CalendarDayDialog):
        dlg.set_day(date(2027, 1, 1))
        type_chinese(dlg.note_edit, "元旦")

    drive(monkeypatch, CalendarDayDialog, fill_off)
    click(qtbot, tab.add_off_button)

    def fill_workday(dlg: CalendarDayDialog):
        dlg.set_day(date(2027, 2, 20))  # a Saturday
        dlg.note_edit.setText("春节调休上班")

    drive(monkeypatch, CalendarDayDialog, fill_workday)
    click(qtbot, tab.add_workday_button)

    assert warnings == []
    assert calendar_ops.list_overrides(ctx) == [
        (date(2027, 1, 1), False, "元旦"), (date(2027, 2, 20), True, "春节调休上班"),
    ]
    assert not ctx.calendar.is_workday(date(2027, 1, 1))
    assert ctx.calendar.is_workday(date(2027, 2, 20))
    assert [[tab.model.index(r, c).data() for c in range(5)] for r in range(2)] == [
        ["2027年1月1日", "星期五", "放假", "本办录入", "元旦"],
        ["2027年2月20日", "星期六", "调休上班", "本办录入", "春节调休上班"],
    ]
    assert tab.warning_label.isHidden()  # 2027 now counts as entered

    select(tab.view, lambda d: d.day == date(2027, 1, 1))
    answer_confirm(monkeypatch, True)
    click(qtbot, tab.delete_button)
    assert calendar_ops.list_overrides(ctx) == [(date(2027, 2, 20), True, "春节调休上班")]
    assert ctx.calendar.is_workday(date(2027, 1, 1))


def test_calendar_dialog_refuses_a_weekday_as_make_up_day(qtbot, ctx, warnings):
    saved = []
    dlg = CalendarDayDialog(None, True, date(2027, 2, 17), save=saved.append)  # a Wednesday
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.accept()
    assert warnings == [
        "2027年2月17日（星期三）本来就是工作日；调休上班日应是周六或周日，请核对日期。"
    ]
    assert dlg.isVisible() and saved == []


def test_calendar_days_merge_built_in_and_entered(ctx):
    org_ops.set_calendar_day(ctx, date(2026, 10, 9), False, "本地加放")
    days = calendar_days(ctx.calendar, calendar_ops.list_overrides(ctx), 2026)
    by_day = {d.day: d for d in days}
    assert by_day[date(2026, 10, 9)].entered and by_day[date(2026, 10, 9)].note == "本地加放"
    assert not by_day[date(2026, 10, 1)].entered
    assert [d.day for d in days] == sorted(by_day)


# ---- models ----------------------------------------------------------------------------------


def test_models_pass_the_model_tester(qtmodeltester, ctx):
    org_ops.save_org_item(ctx, "community", {"name": "柳河村", "kind": "村"})
    community = lists.communities(ctx)[0]
    org_ops.save_org_item(ctx, "board", {"code": "GK-01", "name": "村务公开栏", "kind": "村务公开栏",
                                         "community_id": community.id})
    org_ops.set_org_item_active(ctx, "unit", lists.units(ctx)[2].id, False)
    cases = [
        (UnitTableModel(), lists.units(ctx)),
        (CommunityTableModel(), lists.communities(ctx)),
        (BoardTableModel(), lists.boards(ctx)),
        (CategoryTableModel(), lists.categories(ctx)),
        (ChannelTableModel(), lists.channels(ctx)),
        (CalendarDayTableModel(),
         calendar_days(ctx.calendar, calendar_ops.list_overrides(ctx), 2026)),
    ]
    for model, records in cases:
        assert records
        model.set_records(records)
        qtmodeltester.check(model, force_py=True)
        qtmodeltester.check(model)
    users = UserTableModel()
    users.set_users(auth.list_users(ctx), {u.id: u.name for u in lists.units(ctx)}, NOW)
    qtmodeltester.check(users, force_py=True)
    qtmodeltester.check(users)
    empty = UnitTableModel()
    qtmodeltester.check(empty, force_py=True)


# ---- how it looks ----------------------------------------------------------------------------


def test_every_tab_renders(qtbot, page, ctx, tmp_path):
    org_ops.save_org_item(ctx, "community", {"name": "柳河村", "kind": "村"})
    org_ops.save_org_item(ctx, "board", {"code": "GK-01", "name": "柳河村村务公开栏",
                                         "kind": "村务公开栏", "location": "村委会大院东墙",
                                         "community_id": lists.communities(ctx)[0].id})
    page.refresh()
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    target = os.environ.get("GOVDESK_SCREENSHOT_DIR")
    for i in range(page.tabs.count()):
        page.tabs.setCurrentIndex(i)
        image = page.grab()
        assert not image.isNull() and image.width() == 1100
        image.save(str(tmp_path / f"settings-{i}.png"))
        if target:
            image.save(os.path.join(target, f"settings_{i}.png"))


def test_cancelled_dialog_changes_nothing(qtbot, page, ctx, monkeypatch):
    def fake_exec(self):
        self.name_edit.setText("不会保存")
        self.reject()
        return self.result()

    monkeypatch.setattr(OrgItemDialog, "exec", fake_exec)
    before = lists.units(ctx)
    click(qtbot, page.list_tabs["unit"].new_button)
    assert lists.units(ctx) == before


def test_operations_refuse_a_non_admin_with_a_message(qtbot, ctx, warnings):
    ctx.user = auth.create_user(ctx, "clerk", "经办人乙", Role.CLERK, PASSWORD)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    tab = page.list_tabs["unit"]
    select(tab.view, lambda u: u.name == "民政办")
    tab.toggle_active()  # the button is disabled; the operation still checks
    assert warnings == ["经办人“经办人乙”没有修改设置的权限"]
    assert all(u.active for u in lists.units(ctx))


# ---- 打印字体 --------------------------------------------------------------------------------

UKAI = "/usr/share/fonts/truetype/arphic/ukai.ttc"
needs_ukai = pytest.mark.skipif(not os.path.isfile(UKAI), reason="AR PL UKai not installed")


@pytest.fixture
def fresh_fonts():
    from govdesk.export import fonts

    fonts.clear_caches()
    yield
    fonts.clear_caches()


def fonts_tab_of(page):
    tab = page.fonts_tab
    index = page.tabs.indexOf(tab)
    assert page.tabs.tabText(index) == "打印字体"
    assert page.tabs.tabText(index - 1) == "节假日"
    return tab


def test_fonts_tab_lists_every_role(qtbot, page, fresh_fonts):
    from govdesk.export.fonts import ROLE_LABELS, ROLES

    tab = fonts_tab_of(page)
    model = tab.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "用途", "当前字体", "文件", "来源/说明"
    ]
    assert column_texts(model, 0) == [ROLE_LABELS[r] for r in ROLES]
    for row, status in enumerate(model.records()):
        if status.font is not None:
            assert model.index(row, 2).data() == status.font.path
            assert status.font.source in model.index(row, 3).data()
        else:
            assert model.index(row, 3).data() == status.problem
    assert not tab.choose_button.isEnabled()  # nothing selected yet


@needs_ukai
def test_fonts_tab_choose_and_clear(qtbot, page, ctx, monkeypatch, warnings, fresh_fonts):
    from govdesk.gui.pages.settings_page import FontsTab
    from govdesk.operations import printing

    tab = fonts_tab_of(page)
    asked: list[str] = []

    def fake_choose(self, label, start):
        asked.append(label)
        return UKAI

    monkeypatch.setattr(FontsTab, "_choose_font_file", fake_choose)
    changed: list[bool] = []
    page.changed.connect(lambda: changed.append(True))
    select(tab.view, lambda s: s.role == "body")
    assert not tab.clear_button.isEnabled()  # automatic already
    click(qtbot, tab.choose_button)
    assert asked == ["正文（仿宋）"] and warnings == [] and changed == [True]
    assert printing.font_overrides(ctx) == {"body": UKAI}
    row = tab.model.row_of(lambda s: s.role == "body")
    assert tab.model.index(row, 2).data() == UKAI
    assert tab.model.index(row, 3).data() == "设置中指定"
    assert tab.selected().role == "body"

    click(qtbot, tab.clear_button)
    assert printing.font_overrides(ctx) == {}
    assert tab.model.index(row, 3).data() != "设置中指定"
    assert not tab.clear_button.isEnabled()


def test_fonts_tab_refuses_a_bad_file_with_a_message(
    qtbot, page, ctx, monkeypatch, warnings, tmp_path, fresh_fonts
):
    from govdesk.gui.pages.settings_page import FontsTab
    from govdesk.operations import printing

    fake = tmp_path / "fake.ttf"
    fake.write_bytes(b"not a font at all" * 10)
    monkeypatch.setattr(FontsTab, "_choose_font_file", lambda self, label, start: str(fake))
    tab = fonts_tab_of(page)
    select(tab.view, lambda s: s.role == "title")
    click(qtbot, tab.choose_button)
    assert len(warnings) == 1 and "fake.ttf" in warnings[0]
    assert printing.font_overrides(ctx) == {}


def test_fonts_tab_cancelled_dialog_changes_nothing(qtbot, page, ctx, monkeypatch, fresh_fonts):
    from govdesk.gui.pages.settings_page import FontsTab
    from govdesk.operations import printing

    monkeypatch.setattr(FontsTab, "_choose_font_file", lambda self, label, start: "")
    tab = fonts_tab_of(page)
    select(tab.view, lambda s: s.role == "body")
    click(qtbot, tab.choose_button)
    assert printing.font_overrides(ctx) == {}


def test_fonts_tab_is_read_only_for_a_non_admin(qtbot, ctx, fresh_fonts):
    ctx.user = auth.create_user(ctx, "clerk", "经办人乙", Role.CLERK, PASSWORD)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    tab = fonts_tab_of(page)
    assert tab.model.rowCount() == 5
    select(tab.view, lambda s: s.role == "body")
    assert not tab.choose_button.isEnabled() and not tab.clear_button.isEnabled()


def test_font_status_model_passes_the_model_tester(qtmodeltester, ctx, fresh_fonts):
    from govdesk.gui.models.org_models import FontStatusTableModel
    from govdesk.operations import printing

    model = FontStatusTableModel()
    model.set_records(printing.font_status(ctx))
    assert model.rowCount() == 5
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    qtmodeltester.check(FontStatusTableModel(), force_py=True)
