"""The 首次使用向导 (issue 7, item 6) driven offscreen on a real temporary database: the three
choices, problems shown on their page and row with nothing typed lost, the import path, and
FirstRunDialog's exec() contract with app.py (1 set up, DEMO, anything else quits)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import PASSWORD
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog

from govdesk.core.org import Role, Township
from govdesk.core.setup_plan import PlanAccount, PlanBoard, PlanCommunity, PlanUnit, SetupPlan
from govdesk.gui import messages
from govdesk.gui.dialogs.login_dialog import FirstRunDialog
from govdesk.gui.dialogs.setup_wizard import (
    P_ADMIN,
    P_BOARDS,
    P_COMMUNITIES,
    P_DONE,
    P_SUMMARY,
    P_TOWNSHIP,
    P_UNITS,
    P_WELCOME,
    SetupWizard,
)
from govdesk.operations import auth, setup
from govdesk.operations.context import Context
from govdesk.store import org_store
from govdesk.store.database import connect

SHOTS = os.environ.get("GOVDESK_WIZARD_SHOTS")  # e.g. /tmp/wizard-shots to look at the pages


def type_chinese(widget, text: str) -> None:
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def shot(w, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        w.grab().save(str(Path(SHOTS) / f"{name}.png"))


@pytest.fixture
def wizard(qtbot, ctx):
    w = FirstRunDialog(ctx)  # not qtbot.addWidget: its close() at teardown would ask to confirm
    w.resize(880, 660)
    w.show()
    yield w
    w.done(0)
    w.deleteLater()


def fill_to_admin(w) -> None:
    w.next()
    assert w.currentId() == P_TOWNSHIP
    type_chinese(w.township_page.form.edits["full_name"], "青山县云溪镇人民政府")
    w.township_page.form.edits["credit_code"].setText("91350100M000100Y43")
    w.next()
    assert w.currentId() == P_UNITS
    w.next()
    assert w.currentId() == P_COMMUNITIES
    w.communities.add_row(("柳河村", "村"))
    w.communities.add_row(("云溪社区", "社区"))
    w.next()
    assert w.currentId() == P_BOARDS


def test_setting_up_page_by_page(wizard, db_path, ctx):
    w = wizard
    assert isinstance(w, SetupWizard) and FirstRunDialog.DEMO == SetupWizard.DEMO
    shot(w, "01-welcome")
    fill_to_admin(w)
    # Suggested boards: the office's own and one per community, named by kind.
    assert [(r[0], r[2], r[4]) for r in w.boards.rows] == [
        ("GB-01", "政务公开栏", "党政办"), ("CW-01", "村务公开栏", "柳河村"),
        ("SQ-01", "居务公开栏", "云溪社区")]
    w.next()
    assert w.currentId() == P_ADMIN
    a = w.admin_page
    type_chinese(a.name_edit, "孙立伟")
    a.password_edit.setText(PASSWORD)
    a.confirm_edit.setText(PASSWORD)
    w.accounts.add_row(("liuxin", "刘欣", "经办人", "党政办"))
    w.next()
    assert w.currentId() == P_SUMMARY
    assert "柳河村" in w.summary_page.overview.text()
    assert not auth.has_users(ctx)  # nothing written before 开始设置
    w.next()
    assert w.currentId() == P_DONE
    assert [r[0] for r in w.done_page.accounts.rows] == ["liuxin"]
    w.accept()
    assert w.result() == QDialog.DialogCode.Accepted == 1
    fresh = Context(connect(db_path))
    admin = auth.sign_in(fresh, "admin", PASSWORD)
    assert admin.role is Role.ADMIN and admin.unit_id is not None
    assert org_store.get_township(fresh.db).full_name == "青山县云溪镇人民政府"
    assert {b.code for b in org_store.list_boards(fresh.db)} == {"GB-01", "CW-01", "SQ-01"}
    otp = w.done_page.accounts.rows[0][3]
    assert auth.sign_in(fresh, "liuxin", otp).role is Role.CLERK


def test_problems_stay_on_their_page_and_row_and_nothing_typed_is_lost(wizard):
    w = wizard
    w.next()
    w.township_page.form.edits["credit_code"].setText("91350100M000100Y44")
    w.next()
    assert w.currentId() == P_TOWNSHIP  # 全称 missing, check character wrong
    text = w.township_page.error_label.text()
    assert "全称" in text and "校验位" in text
    assert w.township_page.form.edits["credit_code"].text() == "91350100M000100Y44"
    w.township_page.form.edits["credit_code"].setText("")
    type_chinese(w.township_page.form.edits["full_name"], "青山县云溪镇人民政府")
    w.next()
    w.units.add_row(("党政办",))
    w.next()
    assert w.currentId() == P_UNITS
    assert "第 11 行" in w.units_page.error_label.text() and "重复" in \
        w.units_page.error_label.text()
    assert 10 in w.units.marks  # the row is marked (0-based)
    w.units.remove_rows([10])
    w.next()
    w.communities.add_row(("柳河村", "村"))
    w.next()
    w.boards.add_row(("CW-01", "栏", "宣传栏", "", "无此村", "A4"))
    w.next()
    assert w.currentId() == P_BOARDS
    shot(w, "05b-boards-problems")
    err = w.boards_page.error_label.text()
    assert "第 3 行" in err and "宣传栏" in err and "无此村" in err and "重复" in err
    assert set(w.boards.marks) == {2}
    # Going back and forth keeps what was typed.
    w.back()
    w.back()
    w.back()
    assert w.currentId() == P_TOWNSHIP
    assert w.township_page.form.edits["full_name"].text() == "青山县云溪镇人民政府"
    w.next()
    w.next()
    w.next()
    assert w.boards.rows[2][:3] == ["CW-01", "栏", "宣传栏"]


def test_password_rules_are_checked_on_the_admin_page(wizard, ctx):
    w = wizard
    fill_to_admin(w)
    w.next()
    a = w.admin_page
    type_chinese(a.name_edit, "孙立伟")
    a.password_edit.setText(PASSWORD)
    a.confirm_edit.setText(PASSWORD + "x")
    w.next()
    assert w.currentId() == P_ADMIN and "不一致" in a.error_label.text()
    a.password_edit.setText("12345678")
    a.confirm_edit.setText("12345678")
    w.next()
    assert w.currentId() == P_ADMIN and "过于简单" in a.error_label.text()
    w.accounts.add_row(("ADMIN", "某人", "经办人", ""))
    a.password_edit.setText(PASSWORD)
    a.confirm_edit.setText(PASSWORD)
    w.next()
    assert w.currentId() == P_ADMIN and "与管理员的登录名相同" in a.error_label.text()
    assert not auth.has_users(ctx)


def test_a_problem_in_the_summary_leads_back_to_its_page(wizard):
    w = wizard
    fill_to_admin(w)
    w.next()
    a = w.admin_page
    type_chinese(a.name_edit, "孙立伟")
    a.password_edit.setText(PASSWORD)
    a.confirm_edit.setText(PASSWORD)
    w.next()
    assert w.currentId() == P_SUMMARY
    # A community renamed behind the boards' back (e.g. in an earlier page's table): the
    # summary's full check finds the board whose owner is gone.
    w.communities.rows[0][0] = "柳河新村"
    w.next()
    assert w.currentId() == P_SUMMARY
    assert w.summary_page.problems.count() == 1
    assert "所属" in w.summary_page.problems.item(0).text()
    w.summary_page.problems.setCurrentRow(0)
    w.summary_page._go_to_problem()
    assert w.currentId() == P_BOARDS
    assert w.boards_page.editor.view.selectionModel().isRowSelected(1)


def test_import_goes_through_the_summary_then_the_password(wizard, tmp_path, db_path, ctx):
    w = wizard
    plan = SetupPlan(
        township=Township("青山县云溪镇人民政府", "云溪镇"),
        units=(PlanUnit("党政办"), PlanUnit("民政办")),
        communities=(PlanCommunity("柳河村", "屯"),),
        boards=(PlanBoard("CW-01", "柳河村村务公开栏", "村务公开栏", "门口", "柳河村"),),
        admin=PlanAccount("sunliwei", "孙立伟", "管理员", "党政办"),
        accounts=(PlanAccount("liuxin", "刘欣", "经办人", "党政办"),),
    )
    path = setup.write_setup_template(tmp_path / "设置.xlsx", plan)
    w.welcome.import_radio.setChecked(True)
    assert not w.button(w.WizardButton.NextButton).isEnabled()  # no file yet
    w.welcome.path_edit.setText(str(tmp_path / "missing.xlsx"))
    w.next()
    assert w.currentId() == P_WELCOME and "找不到文件" in w.welcome.error_label.text()
    w.welcome.path_edit.setText(str(path))
    w.next()
    assert w.currentId() == P_SUMMARY
    shot(w, "09-import-summary")
    # The file's mistake (村 typed as 屯) is listed and can be corrected right there.
    assert w.summary_page.problems.count() == 1
    assert "屯" in w.summary_page.problems.item(0).text()
    w.next()
    assert w.currentId() == P_SUMMARY
    w.communities.setData(w.communities.index(0, 1), "村")
    w.next()
    assert w.currentId() == P_ADMIN
    assert w.admin_page.login_edit.text() == "sunliwei"
    assert w.admin_page.name_edit.text() == "孙立伟"
    assert [r[0] for r in w.accounts.rows] == ["liuxin"]
    w.admin_page.password_edit.setText(PASSWORD)
    w.admin_page.confirm_edit.setText(PASSWORD)
    shot(w, "10-import-admin")
    w.next()
    assert w.currentId() == P_DONE
    w.accept()
    assert w.result() == 1
    fresh = Context(connect(db_path))
    assert auth.sign_in(fresh, "sunliwei", PASSWORD).name == "孙立伟"
    assert [(c.name, c.kind.value) for c in org_store.list_communities(fresh.db)] == [
        ("柳河村", "村")]


def test_an_unreadable_file_is_explained_on_the_welcome_page(wizard, tmp_path):
    w = wizard
    bad = tmp_path / "旧表.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    w.welcome.import_radio.setChecked(True)
    w.welcome.path_edit.setText(str(bad))
    w.next()
    assert w.currentId() == P_WELCOME
    assert "旧版 Excel" in w.welcome.error_label.text()


def test_demo_choice_returns_demo(wizard, ctx):
    w = wizard
    w.welcome.demo_radio.setChecked(True)
    assert w.welcome.nextId() == -1
    assert w.button(w.WizardButton.FinishButton).isVisible()
    w.button(w.WizardButton.FinishButton).click()
    assert w.result() == FirstRunDialog.DEMO
    assert not auth.has_users(ctx)  # app.py builds the demo


def test_closing_quits_and_asks_once_something_was_typed(wizard, monkeypatch, ctx):
    w = wizard
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: asked.append(a) or False)
    w.next()
    w.reject()
    assert asked and w.isVisible()  # the office said no: still there
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    w.reject()
    assert w.result() not in (1, FirstRunDialog.DEMO)
    assert not auth.has_users(ctx)


def test_closing_on_the_welcome_page_quits_without_asking(wizard, monkeypatch):
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: pytest.fail("asked"))
    wizard.reject()
    assert wizard.result() == 0


def test_an_already_set_up_database_is_refused_with_a_message(wizard, ctx):
    # Someone else set the database up while the wizard was open (a second govdesk).
    auth.create_user(ctx, "other", "另一人", Role.ADMIN, PASSWORD)
    w = wizard
    fill_to_admin(w)
    w.next()
    a = w.admin_page
    type_chinese(a.name_edit, "孙立伟")
    a.password_edit.setText(PASSWORD)
    a.confirm_edit.setText(PASSWORD)
    w.next()
    w.next()
    assert w.currentId() == P_SUMMARY
    assert "已经设置过" in w.summary_page.error_label.text()
