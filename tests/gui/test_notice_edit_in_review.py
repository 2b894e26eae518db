"""信息登记 after submitting: an approved (or pending) notice opens read-only with 修改…, which
voids its slip and starts a new one for the edited text; the editor's own 个人信息检查 masks
personal numbers before anything is submitted; a published notice has no 修改…."""

from __future__ import annotations

import pytest
from conftest import approve_all, notice_input

from govdesk.core.approvals import SlipStatus
from govdesk.core.notices import NoticeStatus
from govdesk.gui import messages
from govdesk.gui.dialogs.notice_editor_dialog import NoticeEditorDialog
from govdesk.gui.dialogs.notice_view_dialog import NoticeViewDialog
from govdesk.gui.pages.notices_page import NoticesPage
from govdesk.operations import approvals
from govdesk.operations import notices as ops
from govdesk.operations.context import Context
from govdesk.store.database import connect

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def shown(monkeypatch):
    seen: list[tuple[str, str]] = []
    for name in ("info", "warn", "error"):
        monkeypatch.setattr(messages, name, lambda _p, text, *_a, n=name: seen.append((n, text)))
    monkeypatch.setattr(messages, "confirm",
                        lambda _p, text, *_a, **_k: seen.append(("confirm", text)) or True)
    monkeypatch.setattr(messages, "choose",
                        lambda _p, text, *_a, **_k: seen.append(("choose", text)) or True)
    return seen


def _page(qtbot, ctx, nid) -> NoticesPage:
    page = NoticesPage(ctx)
    qtbot.addWidget(page)
    page.select_notice(nid)
    return page


def test_an_approved_notice_is_edited_through_its_view_and_approved_again(
        qtbot, ctx, users, org, shown, monkeypatch, db_path):
    n = ops.create_notice(ctx, notice_input(ctx))
    old = approve_all(ctx, users, n.id)
    page = _page(qtbot, ctx, n.id)
    views: list[NoticeViewDialog] = []

    def view_exec(dialog):
        views.append(dialog)
        assert dialog.edit_button is not None
        dialog.edit_button.click()
        return dialog.result()

    def edit_exec(dialog):
        assert dialog.review_note.text().startswith("这条信息已审批通过")
        dialog.body_edit.setPlainText(dialog.body_edit.toPlainText() + "\n补充：公示期满无异议后发放。")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(NoticeViewDialog, "exec", view_exec)
    monkeypatch.setattr(NoticeEditorDialog, "exec", edit_exec)
    page.open_selected()
    assert views and any(k == "confirm" and "原审批单作废" in t for k, t in shown)
    fresh = Context(connect(db_path), clock=ctx.clock)
    try:
        notice = ops.get_notice(fresh, n.id)
        assert notice.status is NoticeStatus.PENDING and "公示期满无异议" in notice.body
        new = approvals.latest_slip(fresh, n.id)
        assert new.id != old.id and new.state.status is not SlipStatus.APPROVED
        assert approvals.get_slip(fresh, old.id).state.status is SlipStatus.SUPERSEDED
    finally:
        fresh.db.close()
    assert any(k == "info" and f"原审批单 {old.number} 已作废" in t for k, t in shown)


def test_declining_the_edit_changes_nothing(qtbot, ctx, users, org, shown, monkeypatch):
    n = ops.create_notice(ctx, notice_input(ctx))
    approve_all(ctx, users, n.id)
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: False)
    opened: list[NoticeEditorDialog] = []
    monkeypatch.setattr(NoticeEditorDialog, "exec", lambda d: opened.append(d) or 0)

    def view_exec(dialog):
        dialog.edit_button.click()  # asks, the user says no: the view stays
        return 0

    monkeypatch.setattr(NoticeViewDialog, "exec", view_exec)
    _page(qtbot, ctx, n.id).open_selected()
    assert opened == []
    assert ops.get_notice(ctx, n.id).status is NoticeStatus.APPROVED


def test_a_published_notice_has_no_edit(qtbot, ctx, users, org):
    n = ops.create_notice(ctx, notice_input(ctx))
    approve_all(ctx, users, n.id)
    ops.publish_notice(ctx, n.id)
    view = NoticeViewDialog(ctx, ops.get_notice(ctx, n.id))
    qtbot.addWidget(view)
    assert view.edit_button is None


def test_the_editor_masks_personal_numbers_before_submitting(qtbot, ctx, users, org, shown):
    dialog = NoticeEditorDialog(ctx, None, lambda data: ops.create_notice(ctx, data))
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("关于王某明低保的公示")
    dialog.body_edit.setPlainText(f"王某明，身份证号{ID_NUMBER}，联系电话13812345678。")
    dialog.check_button.click()
    asked = [t for k, t in shown if k == "choose"]
    assert asked and "身份证号" in asked[-1] and ID_NUMBER not in asked[-1]
    assert "110105********002X" in dialog.body_edit.toPlainText()
    assert "138****5678" in dialog.body_edit.toPlainText()
    dialog.check_button.click()  # nothing left
    assert shown[-1][0] == "info" and "未发现" in shown[-1][1]
