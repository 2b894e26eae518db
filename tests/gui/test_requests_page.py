"""依申请公开 page on a real temporary database (ctx's clock: Thursday 2025-11-20): registering
through the dialog, the list's clock columns and colours, 补正 / 延期 / 办结 through their
dialogs, the read-only view of a unit head, the models, and the 工作台 card."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import as_user
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from govdesk.core.org import Role
from govdesk.core.requests import (
    ApplicantKind,
    Channel,
    ClockEvent,
    ClockEventKind,
    Outcome,
    RequestInput,
)
from govdesk.gui import messages
from govdesk.gui.dialogs import request_close_dialog, request_dialog, request_event_dialog
from govdesk.gui.dialogs.request_close_dialog import RequestCloseDialog
from govdesk.gui.dialogs.request_dialog import RequestDialog
from govdesk.gui.dialogs.request_event_dialog import RequestEventDialog
from govdesk.gui.models.request_models import (
    DUE_SOON_BRUSH,
    OVERDUE_BRUSH,
    EventTableModel,
    LedgerTableModel,
    RequestTableModel,
)
from govdesk.gui.pages import requests_page
from govdesk.gui.pages.dashboard_page import DashboardPage
from govdesk.gui.pages.requests_page import RequestsPage
from govdesk.operations import requests as request_ops

TODAY = date(2025, 11, 20)
BG = Qt.ItemDataRole.BackgroundRole


def type_chinese(widget, text: str) -> None:
    """Type the way an input method commits text (keyClicks aborts on non-ASCII)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def qd(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _p, text, *_a, **_k: shown.append(text))
    monkeypatch.setattr(messages, "info", lambda *_a, **_k: None)
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)
    return shown


def register(ctx, submitted: date, name: str = "张三", **kw):
    values = dict(channel=Channel.IN_PERSON, submitted_on=submitted,
                  applicant_kind=ApplicantKind.PERSON, applicant_name=name,
                  content="申请公开柳河村2024年度集体土地征收补偿费发放明细")
    values.update(kw)
    return request_ops.register_request(ctx, RequestInput(**values))


def make_page(qtbot, ctx) -> RequestsPage:
    page = RequestsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.show()
    return page


def row_texts(page: RequestsPage, request_id: int) -> list[str]:
    row = page.model.row_of(request_id)
    assert row is not None
    return [page.model.index(row, c).data() for c in range(page.model.columnCount())]


def drive(monkeypatch, cls, fill):
    """Replace ``cls.ask`` so the page's button builds the real dialog, ``fill`` types into it,
    and 保存 is pressed — no exec()."""
    made = []

    def ask(parent, *args, **kwargs):
        dialog = cls(parent, *args, **kwargs)
        made.append(dialog)
        fill(dialog)
        dialog.accept()
        return dialog.saved

    monkeypatch.setattr(cls, "ask", classmethod(lambda _cls, *a, **k: ask(*a, **k)))
    return made


# ---- registering --------------------------------------------------------------------------


def test_registering_by_post_needs_the_signing_date_and_keeps_the_input(
        qtbot, ctx, users, warnings):
    dialog = RequestDialog(None, ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.channel_combo.setCurrentIndex(dialog.channel_combo.findData(Channel.REGISTERED_POST.value))
    assert dialog.signed_edit.isVisibleTo(dialog)
    assert not dialog.confirmed_edit.isVisibleTo(dialog)
    assert "以行政机关签收之日为收到申请之日" in dialog.rule_label.text()
    dialog.submitted_edit.setDate(qd(date(2025, 11, 14)))
    type_chinese(dialog.name_edit, "王小明")
    type_chinese(dialog.contact_edit, "柳河村三组")
    type_chinese(dialog.content_edit, "2025年镇区道路改造工程招标文件")
    assert "请填写签收日期" in dialog.clock_label.text()

    dialog.accept()
    assert warnings and "签收日期" in warnings[-1]
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.saved is None
    assert dialog.name_edit.text() == "王小明"
    assert dialog.content_edit.toPlainText() == "2025年镇区道路改造工程招标文件"
    qtbot.waitUntil(lambda: dialog.signed_edit.hasFocus())
    assert request_ops.request_summaries(ctx) == []

    # Signed for on Monday 17 November: received that day, due 20 working days later.
    dialog.signed_edit.setDate(qd(date(2025, 11, 17)))
    due = ctx.calendar.add_workdays(date(2025, 11, 17), 20)
    assert "2025年11月17日" in dialog.clock_label.text()
    assert f"{due.year}年{due.month}月{due.day}日" in dialog.clock_label.text()
    dialog.accept()
    saved = dialog.saved
    assert saved is not None and saved.received_on == date(2025, 11, 17)
    assert saved.signed_on == date(2025, 11, 17) and saved.confirmed_on is None
    assert saved.applicant_contact == "柳河村三组"

    page = make_page(qtbot, ctx)
    texts = row_texts(page, saved.id)
    assert texts[:5] == [saved.number, "2025年11月17日", "邮寄", "王小明", "自然人"]
    assert texts[6] == f"{due.year}年{due.month}月{due.day}日"
    left = ctx.calendar.workdays_between(TODAY, due)
    assert texts[7] == f"还剩{left}个工作日"
    assert texts[8] == "办理中"


def test_register_button_saves_and_selects_the_new_application(
        qtbot, ctx, users, warnings, monkeypatch):
    page = make_page(qtbot, ctx)

    def fill(d: RequestDialog) -> None:
        d.kind_combo.setCurrentIndex(d.kind_combo.findData(ApplicantKind.BUSINESS.value))
        type_chinese(d.name_edit, "云溪建筑工程有限公司")
        type_chinese(d.content_edit, "镇政府2024年三公经费决算")

    drive(monkeypatch, RequestDialog, fill)
    page.new_button.click()
    assert warnings == []
    assert page.model.rowCount() == 1
    assert page.view is not None
    assert page.view.request.applicant_name == "云溪建筑工程有限公司"
    assert "商业企业" in page.info_label.text()
    assert page.ledger_model.rowCount() == 1


def test_editing_an_open_application_moves_its_clock(qtbot, ctx, users, warnings, monkeypatch):
    r = register(ctx, date(2025, 11, 10))
    page = make_page(qtbot, ctx)
    page.select_request(r.id)
    drive(monkeypatch, RequestDialog,
          lambda d: d.submitted_edit.setDate(qd(date(2025, 11, 12))))
    page.edit_button.click()
    assert warnings == []
    assert page.view.request.received_on == date(2025, 11, 12)
    assert page.view.ledger.due_on == ctx.calendar.add_workdays(date(2025, 11, 12), 20)


# ---- the list -----------------------------------------------------------------------------


def test_overdue_is_red_and_due_soon_amber(qtbot, ctx, users):
    overdue = register(ctx, date(2025, 10, 20), "王小明")  # due 17 November
    soon = register(ctx, date(2025, 10, 30), "孙八")
    fresh = register(ctx, date(2025, 11, 19), "李四")
    page = make_page(qtbot, ctx)
    m = page.model

    row = m.row_of(overdue.id)
    assert m.index(row, 0).data(BG) == OVERDUE_BRUSH
    late = ctx.calendar.workdays_between(ctx.calendar.add_workdays(date(2025, 10, 20), 20), TODAY)
    assert m.index(row, 7).data() == f"逾期{late}个工作日"

    lg = request_ops.request_view(ctx, soon.id).ledger
    assert lg.due_soon and not lg.overdue
    assert m.index(m.row_of(soon.id), 0).data(BG) == DUE_SOON_BRUSH
    assert m.index(m.row_of(fresh.id), 0).data(BG) is None
    assert "已逾期 1 件" in page.count_label.text()

    page.open_only_check.setChecked(True)
    assert m.rowCount() == 3
    page.search_edit.setText("孙八")
    page._apply_search()
    assert m.rowCount() == 1 and m.summary(0).request.id == soon.id


# ---- the clock through the dialogs ---------------------------------------------------------


def test_correction_request_and_receipt_restart_the_clock(
        qtbot, ctx, users, warnings, monkeypatch):
    r = register(ctx, date(2025, 11, 10))
    page = make_page(qtbot, ctx)
    page.select_request(r.id)
    assert not page.event_buttons[ClockEventKind.CORRECTION_RECEIVED].isEnabled()

    def ask_correction(d: RequestEventDialog) -> None:
        d.on_edit.setDate(qd(date(2025, 11, 11)))
        d.until_edit.setDate(qd(date(2025, 11, 25)))
        type_chinese(d.note_edit, "请写明具体村别和年度")

    drive(monkeypatch, RequestEventDialog, ask_correction)
    page.event_buttons[ClockEventKind.CORRECTION_REQUESTED].click()
    assert warnings == []
    assert page.view.ledger.awaiting_correction
    assert row_texts(page, r.id)[6:8] == ["—", "等待补正"]
    assert "补正期限：2025年11月25日" in page.deadline_label.text()
    assert not page.event_buttons[ClockEventKind.CORRECTION_REQUESTED].isEnabled()
    assert page.event_buttons[ClockEventKind.CORRECTION_RECEIVED].isEnabled()

    drive(monkeypatch, RequestEventDialog,
          lambda d: d.on_edit.setDate(qd(date(2025, 11, 18))))
    page.event_buttons[ClockEventKind.CORRECTION_RECEIVED].click()
    assert warnings == []
    lg = page.view.ledger
    assert not lg.awaiting_correction
    assert lg.clock_start == date(2025, 11, 18)
    assert lg.due_on == ctx.calendar.add_workdays(date(2025, 11, 18), 20)
    kinds = [page.ledger_model.index(i, 1).data() for i in range(page.ledger_model.rowCount())]
    assert any("收到补正" in k for k in kinds)
    assert page.event_model.rowCount() == 3

    # A fact recorded by mistake can be taken back (not the receipt itself).
    page.tabs.setCurrentIndex(1)
    last = page.event_model.rowCount() - 1
    page.event_view.selectRow(0)
    assert not page.remove_button.isEnabled()  # 收到申请
    page.event_view.selectRow(last)
    assert page.remove_button.isEnabled()
    page.remove_button.click()
    assert page.view.ledger.awaiting_correction


def test_a_refused_fact_keeps_the_dialog_open_with_its_input(qtbot, ctx, users, warnings):
    r = register(ctx, date(2025, 11, 10))
    dialog = RequestEventDialog(None, ctx, r, ClockEventKind.EXTENSION)
    qtbot.addWidget(dialog)
    dialog.days_spin.setValue(25)  # capped at 20 by the spin box
    assert dialog.days_spin.value() == 20
    dialog.days_spin.setValue(10)
    dialog.accept()  # no approver
    assert "同意人" in warnings[-1]
    assert not dialog.saved and dialog.days_spin.value() == 10

    type_chinese(dialog.approver_edit, "陈志远")
    dialog.on_edit.setDate(qd(date(2025, 11, 12)))
    dialog.approved_edit.setDate(qd(date(2025, 11, 13)))  # agreed after the applicant was told
    dialog.accept()
    assert "不能早于负责人同意的日期" in warnings[-1]
    assert not dialog.saved and dialog.approver_edit.text() == "陈志远"


def test_extension_adds_its_working_days(qtbot, ctx, users, warnings, monkeypatch):
    r = register(ctx, date(2025, 11, 3))
    before = request_ops.request_view(ctx, r.id).ledger.due_on
    page = make_page(qtbot, ctx)
    page.select_request(r.id)

    def fill(d: RequestEventDialog) -> None:
        d.days_spin.setValue(10)
        type_chinese(d.approver_edit, "陈志远")
        d.approved_edit.setDate(qd(date(2025, 11, 18)))
        d.on_edit.setDate(qd(date(2025, 11, 19)))

    drive(monkeypatch, RequestEventDialog, fill)
    page.event_buttons[ClockEventKind.EXTENSION].click()
    assert warnings == []
    lg = page.view.ledger
    assert lg.extension_days == 10
    assert lg.due_on == ctx.calendar.add_workdays(before, 10)
    assert "已延期10个工作日" in page.deadline_label.text()
    assert not page.event_buttons[ClockEventKind.EXTENSION].isEnabled()  # only once


def test_a_deferred_reply_date_under_article_35(qtbot, ctx, users, warnings, monkeypatch):
    r = register(ctx, date(2025, 11, 3))
    page = make_page(qtbot, ctx)
    page.select_request(r.id)

    def fill(d: RequestEventDialog) -> None:
        assert d.until_edit is not None
        d.on_edit.setDate(qd(date(2025, 11, 19)))
        d.until_edit.setDate(qd(date(2026, 1, 30)))
        type_chinese(d.note_edit, "一个月内提交申请86件，申请人说明系课题研究需要")

    drive(monkeypatch, RequestEventDialog, fill)
    page.event_buttons[ClockEventKind.DEFERRED].click()
    assert warnings == []
    assert page.view.ledger.due_on == date(2026, 1, 30)
    assert not page.event_buttons[ClockEventKind.DEFERRED].isEnabled()  # only once
    kinds = [page.ledger_model.index(i, 1).data() for i in range(page.ledger_model.rowCount())]
    assert any("延迟答复" in k for k in kinds)


def test_consultation_pauses_the_clock(qtbot, ctx, users, warnings, monkeypatch):
    r = register(ctx, date(2025, 11, 3))
    page = make_page(qtbot, ctx)
    page.select_request(r.id)

    def fill(d: RequestEventDialog) -> None:
        d.consultee_combo.setCurrentIndex(1)  # 其他机关
        type_chinese(d.party_edit, "县自然资源局")
        d.on_edit.setDate(qd(date(2025, 11, 10)))

    drive(monkeypatch, RequestEventDialog, fill)
    page.event_buttons[ClockEventKind.CONSULTATION_STARTED].click()
    assert warnings == []
    assert page.view.ledger.paused
    assert row_texts(page, r.id)[7] == "暂停计算（征求意见）"
    assert page.event_buttons[ClockEventKind.CONSULTATION_ENDED].isEnabled()

    made = drive(monkeypatch, RequestEventDialog,
                 lambda d: d.on_edit.setDate(qd(date(2025, 11, 17))))
    page.event_buttons[ClockEventKind.CONSULTATION_ENDED].click()
    assert made[0].party_combo.currentText() == "县自然资源局"
    assert warnings == []
    assert not page.view.ledger.paused
    assert page.view.ledger.excluded_days == 5


def test_closing_with_an_outcome(qtbot, ctx, users, warnings, monkeypatch):
    r = register(ctx, date(2025, 11, 3))
    page = make_page(qtbot, ctx)
    page.select_request(r.id)

    def fill(d: RequestCloseDialog) -> None:
        d.accept()  # nothing picked yet
        assert "请选择办理结果" in warnings[-1]
        d.select(Outcome.THIRD_PARTY_RIGHTS)
        d.on_edit.setDate(qd(date(2025, 11, 19)))
        type_chinese(d.detail_edit, "依据条例第十五条不予公开")

    drive(monkeypatch, RequestCloseDialog, fill)
    page.close_button.click()
    req = page.view.request
    assert req.outcome is Outcome.THIRD_PARTY_RIGHTS and req.closed_on == date(2025, 11, 19)
    assert row_texts(page, r.id)[8] == "已办结：不予公开：4.保护第三方合法权益"
    assert not page.close_button.isEnabled()
    assert not any(b.isEnabled() for b in page.event_buttons.values())
    assert page.reopen_button.isEnabled()

    drive(monkeypatch, request_event_dialog.ReopenDialog,
          lambda d: type_chinese(d.reason_edit, "办结日期录错"))
    page.reopen_button.click()
    assert page.view.request.is_open


def test_close_dialog_preselects_the_outcome_the_clock_decided(qtbot, ctx, users, warnings):
    r = register(ctx, date(2025, 11, 3))
    request_ops.record_event(
        ctx, r.id, ClockEvent.correction_requested(date(2025, 11, 4), date(2025, 11, 14)))
    view = request_ops.request_view(ctx, r.id)
    assert view.ledger.implied_outcome is Outcome.NO_CORRECTION
    dialog = RequestCloseDialog(None, ctx, view.request, view.ledger)
    qtbot.addWidget(dialog)
    assert dialog.outcome() is Outcome.NO_CORRECTION
    assert dialog.reason_label.isVisibleTo(dialog)
    assert "补正期限2025年11月14日" in dialog.reason_label.text()
    assert "条例第三十条" in dialog.reason_label.text()
    # The groups of 表三 are there with their own labels; 予以公开 is a row of its own.
    groups = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert groups[0] == "（一）予以公开" and groups[-1] == "（六）其他处理"


def test_withdrawal(qtbot, ctx, users, warnings, monkeypatch):
    r = register(ctx, date(2025, 11, 3))
    page = make_page(qtbot, ctx)
    page.select_request(r.id)
    drive(monkeypatch, RequestEventDialog, lambda d: type_chinese(d.note_edit, "电话撤回"))
    page.withdraw_button.click()
    assert page.view.request.outcome is Outcome.OTHER


# ---- who sees what ------------------------------------------------------------------------


def test_unit_head_sees_a_masked_name_and_cannot_act(qtbot, ctx, users):
    r = register(ctx, date(2025, 11, 10), "王小明", applicant_contact="13800000000")
    head = as_user(ctx, users[Role.UNIT_HEAD])
    page = make_page(qtbot, head)
    assert row_texts(page, r.id)[3] == "王**"
    assert page.readonly_note.isVisible()
    assert not page.new_button.isEnabled()
    page.select_request(r.id)
    assert page.view is not None and page.view.request.masked
    assert "13800000000" not in page.info_label.text()
    buttons = [page.edit_button, page.close_button, page.withdraw_button, page.remove_button,
               page.receipt_button, page.letters_button, page.review_button,
               *page.event_buttons.values()]
    assert not any(b.isEnabled() for b in buttons)


def test_models_pass_the_model_tester(qtmodeltester, qtbot, ctx, users):
    r = register(ctx, date(2025, 11, 3))
    request_ops.record_event(ctx, r.id, ClockEvent.consultation_started(date(2025, 11, 5), "甲"))
    register(ctx, date(2025, 10, 20), "李四")
    view = request_ops.request_view(ctx, r.id)
    models = RequestTableModel(), LedgerTableModel(), EventTableModel()
    models[0].set_summaries(request_ops.request_summaries(ctx))
    models[1].set_ledger(view.ledger)
    models[2].set_events(view.events)
    for model in models:
        assert model.rowCount() >= 2
        qtmodeltester.check(model, force_py=True)
        qtmodeltester.check(model)


# ---- letters and review cases --------------------------------------------------------------


def test_letter_buttons_say_when_the_feature_is_missing(qtbot, ctx, users, warnings, monkeypatch):
    r = register(ctx, date(2025, 11, 3))
    page = make_page(qtbot, ctx)
    page.select_request(r.id)
    monkeypatch.setattr(requests_page, "_load_dialog", lambda *_a: None)
    page.receipt_button.click()
    page.review_button.click()
    assert warnings == [requests_page.NOT_INSTALLED] * 2


def test_receipt_button_opens_the_letter_dialog(qtbot, ctx, users, warnings, monkeypatch):
    letter_dialog = pytest.importorskip("govdesk.gui.dialogs.letter_dialog")
    from govdesk.core.letters import LetterKind

    calls = []
    monkeypatch.setattr(letter_dialog.LetterDialog, "ask",
                        classmethod(lambda _c, *a, **_k: calls.append(a)))
    r = register(ctx, date(2025, 11, 3))
    page = make_page(qtbot, ctx)
    page.select_request(r.id)
    page.receipt_button.click()
    assert calls and calls[0][2:] == (r.id, LetterKind.RECEIPT, "")


def test_the_letters_menu_lists_a_consultation_letter_per_party(qtbot, ctx, users, warnings):
    from govdesk.core.requests import Consultee

    r = register(ctx, date(2025, 11, 3))
    for party, who in (("云溪建材有限公司", Consultee.THIRD_PARTY),
                       ("柳河村民李某某", Consultee.THIRD_PARTY),
                       ("青山县自然资源局", Consultee.AGENCY)):
        request_ops.record_event(ctx, r.id, ClockEvent.consultation_started(
            date(2025, 11, 5), party=party, consultee=who))
    page = make_page(qtbot, ctx)
    page.select_request(r.id)
    page._fill_letters_menu()
    texts = [a.text() for a in page.letters_menu.actions()]
    assert "第三方意见征询函（致云溪建材有限公司）" in texts
    assert "第三方意见征询函（致柳河村民李某某）" in texts
    assert "征求意见函（致青山县自然资源局）" in texts
    assert "第三方意见征询函" not in texts and "补正告知书" in texts


# ---- the 工作台 ----------------------------------------------------------------------------


class _Host(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []

    def show_page(self, key: str) -> None:
        self.shown.append(key)


def test_dashboard_card_counts_due_soon_and_overdue(qtbot, ctx, users):
    host = _Host()
    qtbot.addWidget(host)
    page = DashboardPage(ctx, host)
    page.refresh()
    assert not page.requests_card.isVisibleTo(page)  # nothing to say

    register(ctx, date(2025, 10, 20), "王小明")  # overdue
    register(ctx, date(2025, 10, 30), "孙八")  # due soon
    register(ctx, date(2025, 11, 19), "李四")  # plenty of time
    page.refresh()
    assert page.dashboard.requests_due_soon == 1 and page.dashboard.requests_overdue == 1
    assert page.requests_card.isVisibleTo(page)
    assert page.requests_card.text.text() == "依申请公开：1件即将到期、1件已逾期"
    assert "#b3261e" in page.requests_card.text.styleSheet()  # red: one is overdue
    # The main window connects open_requests to its page (tested with the real window in
    # tests/gui/test_assessment_page.py).
    with qtbot.waitSignal(page.open_requests):
        page.requests_card.button.click()


def test_modules_are_importable():
    # The dialogs and the close dialog are separate modules the page imports.
    assert request_dialog.RequestDialog and request_close_dialog.RequestCloseDialog


def test_review_button_opens_the_review_cases(qtbot, ctx, users, warnings, monkeypatch):
    review = pytest.importorskip("govdesk.gui.dialogs.review_case_dialog")
    calls = []
    monkeypatch.setattr(review.ReviewCaseDialog, "ask",
                        classmethod(lambda _c, *a, **_k: calls.append(a) or False))
    r = register(ctx, date(2025, 11, 3))
    page = make_page(qtbot, ctx)
    page.select_request(r.id)
    page.review_button.click()
    assert warnings == [] and calls and calls[0][2] == r.id
