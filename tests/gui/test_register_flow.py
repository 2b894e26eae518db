"""The register as a user drives it: sign in, create a notice, submit and approve it, post it on
two boards, take it down, search, export — on a real database, read back through fresh
connections and real files."""

import csv
from datetime import date

import pytest
from conftest import PASSWORD, approve_all, notice_input
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog

from govdesk.core.notices import REGISTER_COLUMNS, NoticeAction, NoticeFilter, NoticeStatus
from govdesk.core.org import Role
from govdesk.gui import messages
from govdesk.gui.dialogs.login_dialog import LoginDialog
from govdesk.gui.dialogs.notice_editor_dialog import NoticeEditorDialog
from govdesk.gui.dialogs.post_dialog import PostDialog
from govdesk.gui.models.notice_table_model import PAGE_SIZE, NoticeTableModel
from govdesk.gui.pages.notices_page import NoticesPage
from govdesk.operations import notices as ops
from govdesk.operations import postings
from govdesk.operations.context import Context
from govdesk.store.database import connect


def type_chinese(widget, text):
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def captured(monkeypatch):
    seen = []
    for name in ("info", "warn", "error"):
        monkeypatch.setattr(messages, name, lambda _p, text, *_a, n=name: seen.append((n, text)))
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)
    return seen


def test_sign_in_dialog(qtbot, ctx, users):
    login_ctx = Context(ctx.db, clock=ctx.clock)
    dialog = LoginDialog(login_ctx)
    qtbot.addWidget(dialog)
    dialog.login_edit.setText("clerk")
    dialog.password_edit.setText("wrong")
    dialog.accept()
    assert dialog.error_label.text() == "用户名或密码错误"
    assert dialog.result() != QDialog.DialogCode.Accepted
    dialog.password_edit.setText(PASSWORD)
    dialog.accept()
    assert dialog.user is not None and dialog.user.name == "刘欣"
    assert login_ctx.user.role is Role.CLERK


def test_create_post_take_down_search_export(qtbot, ctx, users, org, captured, monkeypatch,
                                             tmp_path, db_path):
    page = NoticesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)

    def fill_and_save(dialog):
        type_chinese(dialog.title_edit, "关于石桥村2025年度高龄津贴发放对象的公示")
        dialog.body_edit.setPlainText("一、发放对象\n王*明|石桥村|90岁")
        dialog.period_group.setChecked(True)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(NoticeEditorDialog, "exec", fill_and_save)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert captured == []
    assert page.model.rowCount() == 1
    nid = page.selected_id()
    assert nid is not None
    fresh = Context(connect(db_path))
    notice = ops.get_notice(fresh, nid)
    assert notice.title == "关于石桥村2025年度高龄津贴发放对象的公示"
    assert notice.status is NoticeStatus.DRAFT and notice.period is not None

    # Buttons follow the transition table: a draft can be submitted, not published.
    assert page.action_buttons[NoticeAction.SUBMIT].isEnabled()
    assert not page.action_buttons[NoticeAction.PUBLISH].isEnabled()
    assert NoticeAction.APPROVE not in page.action_buttons  # approving is on the 审批单
    assert not page.slip_button.isEnabled()  # nothing submitted yet
    page.action_buttons[NoticeAction.SUBMIT].click()
    assert page.slip_button.isEnabled()
    approve_all(ctx, users, nid, submit=False)
    page.model.reload()
    page.select_notice(nid)
    assert page.post_button.isEnabled()

    def post_on_two(dialog):
        dialog.check_boards([org["b_gov"], org["b_liuhe"]])
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(PostDialog, "exec", post_on_two)
    page.post_button.click()
    fresh = Context(connect(db_path))
    assert {p.board_id for p in postings.postings_on_board(fresh, org["b_gov"])} == {org["b_gov"]}
    assert len(postings.postings_of_notice(fresh, nid)) == 2
    assert ops.get_notice(fresh, nid).status is NoticeStatus.PUBLISHED

    page.select_notice(nid)
    page.action_buttons[NoticeAction.TAKE_DOWN].click()
    fresh = Context(connect(db_path))
    assert ops.get_notice(fresh, nid).status is NoticeStatus.TAKEN_DOWN
    assert all(p.removed_on is not None for p in postings.postings_of_notice(fresh, nid))

    # Search: a two-character word in the middle of the title.
    ops.create_notice(ctx, notice_input(ctx, title="关于扶贫资金使用情况的公告"))
    page.refresh()
    assert page.model.rowCount() == 2
    type_chinese(page.search_edit, "津贴")
    page.apply_filters()
    assert page.model.rowCount() == 1
    assert page.model.notice_at(0).id == nid
    assert page.count_label.text() == "共 1 条"

    # Export the filtered register to xlsx and CSV and read them back.
    xlsx = tmp_path / "台账.xlsx"
    monkeypatch.setattr(page, "_choose_export_file", lambda: str(xlsx))
    page.export_ledger()
    ws = load_workbook(xlsx).active
    assert "台账" in ws["A1"].value
    headers = [c.value for c in ws[3]]
    assert headers == [title for _k, title in REGISTER_COLUMNS]
    assert ws.cell(4, 2).value == "关于石桥村2025年度高龄津贴发放对象的公示"
    assert ws.cell(5, 1).value is None
    assert ws.cell(4, 7).value.date() == date(2025, 11, 20)  # formed_on: a real date
    csv_path = tmp_path / "台账.csv"
    monkeypatch.setattr(page, "_choose_export_file", lambda: str(csv_path))
    page.export_ledger()
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][1] == "标题" and rows[1][1].endswith("的公示") and len(rows) == 2
    assert captured[-1][0] == "info"


def test_failed_save_keeps_the_dialog_open_with_what_was_typed(qtbot, ctx, users, org,
                                                               captured, db_path):
    dialog = NoticeEditorDialog(ctx, None, lambda data: ops.create_notice(ctx, data))
    qtbot.addWidget(dialog)
    dialog.body_edit.setPlainText("正文已经写了很多内容")
    dialog.accept()  # title is empty
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert captured and "标题" in captured[-1][1]
    assert dialog.body_edit.toPlainText() == "正文已经写了很多内容"
    assert ops.count(Context(connect(db_path)), NoticeFilter()) == 0


def test_delete_key_asks_before_deleting_a_draft(qtbot, ctx, users, org, monkeypatch, db_path):
    n = ops.create_notice(ctx, notice_input(ctx))
    page = NoticesPage(ctx)
    qtbot.addWidget(page)
    page.select_notice(n.id)
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: asked.append(a) or False)
    page.delete_selected()
    assert asked and ops.count(Context(connect(db_path)), NoticeFilter()) == 1
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    page.delete_selected()
    assert ops.count(Context(connect(db_path)), NoticeFilter()) == 0


def test_model_passes_modeltester_and_keeps_memory_bounded(qtmodeltester, ctx, users, org):
    from govdesk.store import notice_store

    values = []
    for i in range(PAGE_SIZE * 15 + 7):
        values.append(({"index_number": f"X/{i}", "title": f"测试信息{i}", "formed_on": "2025-01-02",
                        "publish_due": "2025-02-01", "year": 2025, "status": "草稿",
                        "created_at": "t", "updated_at": "t", "category_id": 1,
                        "unit_id": 1}, [1]))
    with ctx.db.atomic():
        notice_store.insert_many(ctx.db, values)
    model = NoticeTableModel(ctx)
    model.reload()
    qtmodeltester.check(model)
    assert model.rowCount() == PAGE_SIZE * 15 + 7
    for row in range(0, model.rowCount(), 50):
        assert model.data(model.index(row, 1)) is not None
    assert model.cached_rows <= 12 * PAGE_SIZE  # never the whole register
    last = model.data(model.index(model.rowCount() - 1, 1))
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, 1)) == "测试信息0"
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 1)) == "测试信息999"
    assert last


def test_first_run_creates_the_administrator(qtbot, ctx, db_path):
    """The first-run wizard (tests/gui/test_setup_wizard.py drives every page): the shortest
    way through it creates the administrator, and exec()'s result is 1 for app.py."""
    from govdesk.gui.dialogs.login_dialog import FirstRunDialog
    from govdesk.operations import auth

    dialog = FirstRunDialog(ctx)
    dialog.show()
    dialog.next()
    type_chinese(dialog.township_page.form.edits["full_name"], "青山县云溪镇人民政府")
    for _ in range(4):  # 乡镇信息 → 科室站所 → 社区和村 → 公开栏 → 管理员账号
        dialog.next()
    admin = dialog.admin_page
    type_chinese(admin.name_edit, "孙立伟")
    admin.password_edit.setText(PASSWORD)
    admin.confirm_edit.setText(PASSWORD + "x")
    dialog.next()
    assert "两次输入的密码不一致" in admin.error_label.text()
    admin.confirm_edit.setText(PASSWORD)
    dialog.next()  # → 确认
    dialog.next()  # 开始设置 → 完成
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    fresh = Context(connect(db_path), clock=ctx.clock)
    assert auth.sign_in(fresh, "admin", PASSWORD).role is Role.ADMIN
    dialog.deleteLater()
