"""审批单 in the GUI, on a real database: submit from the register, decide from the 待我审批 list
with the password, screening at 保密审查 (一键遮盖 starts a new version), a return to an earlier
step, a paper signature entered by the clerk, the printed slip read back; the wrong password,
取回, the settings tabs for the chain and the screening lists; screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import pypdf
import pytest
from conftest import PASSWORD, as_user, notice_input
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QTableView

from govdesk.core.approvals import DRAFTER, Decision, SlipStatus, Stage
from govdesk.core.notices import NoticeStatus
from govdesk.core.org import Role
from govdesk.gui import messages, printing_actions
from govdesk.gui.dialogs import screening_panel
from govdesk.gui.dialogs.paper_sign_dialog import PaperSignDialog
from govdesk.gui.dialogs.slip_dialog import WRONG_PASSWORD, SlipDialog
from govdesk.gui.pages.dashboard_page import DashboardPage
from govdesk.gui.pages.notices_page import NoticesPage
from govdesk.gui.pages.settings_page import SettingsPage
from govdesk.operations import approvals, lists, screening
from govdesk.operations import notices as notice_ops
from govdesk.operations.context import Context
from govdesk.store.database import connect

ID_NUMBER = "11010519491231002X"
MASKED = "110105********002X"
BODY = (f"经村民代表评议，拟将王某明（身份证号{ID_NUMBER}）列为低保对象，现予以公示。\n"
        "公示期间如有异议，请向镇民政办反映。")


@pytest.fixture
def seen(monkeypatch):
    """Messages shown, PDFs previewed; every confirm answered 确定."""
    shown: list[tuple[str, object]] = []
    for name in ("info", "warn", "error"):
        monkeypatch.setattr(messages, name,
                            lambda _p, text, *_a, n=name: shown.append((n, text)))
    monkeypatch.setattr(messages, "confirm", lambda _p, text, *_a, **_k:
                        shown.append(("confirm", text)) or True)
    monkeypatch.setattr(printing_actions, "show_preview",
                        lambda _parent, path, name: shown.append(("pdf", (path, name))))
    return shown


def fresh(db_path, clock) -> Context:
    """A second connection to the same file: what was really recorded."""
    return Context(connect(db_path), clock=clock)


def drive_slip_dialog(monkeypatch, script) -> list[SlipDialog]:
    """Make SlipDialog.exec run ``script(dialog)`` instead of blocking."""
    opened: list[SlipDialog] = []

    def fake_exec(dialog):
        opened.append(dialog)
        script(dialog)
        return 0

    monkeypatch.setattr(SlipDialog, "exec", fake_exec)
    return opened


def sign(dialog: SlipDialog, decision: Decision, opinion: str = "", *, password=PASSWORD,
         return_to: int | None = None) -> None:
    assert dialog.holder, "the signed-in user should hold the current step"
    dialog.choose(decision)
    if opinion:
        dialog.opinion_edit.setPlainText(opinion)
    if return_to is not None:
        dialog.return_combo.setCurrentIndex(dialog.return_combo.findData(return_to))
    dialog.password_edit.setText(password)
    dialog.sign_button.click()


def open_dialog(qtbot, ctx, slip_id) -> SlipDialog:
    dialog = SlipDialog(ctx, slip_id)
    qtbot.addWidget(dialog)
    return dialog


def double_click_row(qtbot, view: QTableView, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def step_texts(dialog: SlipDialog) -> list[str]:
    return [label.text() for label in dialog.step_labels]


def pdf_text(path) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


# ---- the whole chain -----------------------------------------------------------------------------


def test_full_approval_run_through_every_step(qtbot, ctx, users, org, seen, monkeypatch,
                                              db_path, clock, tmp_path):
    clerk = ctx
    head = as_user(ctx, users[Role.UNIT_HEAD])
    secrecy = as_user(ctx, users[Role.SECRECY_OFFICER])
    deputy = as_user(ctx, users[Role.DEPUTY_LEADER])
    n = notice_ops.create_notice(clerk, notice_input(ctx, body=BODY))

    # The clerk submits from the register. Printing for posting is refused before approval;
    # the print menu offers the 审阅稿 instead.
    register = NoticesPage(clerk)
    qtbot.addWidget(register)
    register.select_notice(n.id)
    assert register.submit_button.isEnabled() and not register.slip_button.isEnabled()
    register.submit_button.click()
    first = approvals.latest_slip(fresh(db_path, clock), n.id)
    assert first is not None and first.status_text == "待科室（社区）负责人审核"
    assert seen[-1][0] == "info" and first.number in seen[-1][1]
    assert register.slip_button.isEnabled()
    assert not register.print_a4_action.isEnabled() and register.print_review_action.isEnabled()
    assert register.print_button.text() == "打印（审阅稿）"

    # 科室负责人 finds it in 待我审批 on the 工作台 and approves with the password.
    dash = DashboardPage(head)
    qtbot.addWidget(dash)
    dash.resize(1200, 760)
    dash.show()
    qtbot.waitExposed(dash)
    dash.refresh()
    assert dash.queue_model.rowCount() == 1 and dash.card_my_queue.number.text() == "1"
    assert dash.queue_model.data(dash.queue_model.index(0, 2)) == Stage.UNIT_HEAD.value
    opened = drive_slip_dialog(monkeypatch, lambda d: sign(d, Decision.APPROVE))
    double_click_row(qtbot, dash.queue_view, 0)
    assert len(opened) == 1 and opened[0].windowTitle() == f"审批单 {first.number}"
    assert dash.queue_model.rowCount() == 0  # refreshed after the decision
    assert approvals.get_slip(fresh(db_path, clock), first.id).current_stage is Stage.SECRECY

    # 保密审查: the ID number is found, shown masked; 同意 stays disabled while it is pending.
    dialog = open_dialog(qtbot, secrecy, first.id)
    panel = dialog.screening
    assert dialog.holder and not panel.isHidden()
    assert panel.model.rowCount() == 1
    assert panel.model.data(panel.model.index(0, 0)) == "身份证号"
    assert panel.model.data(panel.model.index(0, 2)) == MASKED
    assert panel.model.data(panel.model.index(0, 4)) == "待处理"
    assert not dialog.decision_buttons[Decision.APPROVE].isEnabled()
    assert "待处理" in dialog.approve_block_label.text()
    assert all(ID_NUMBER not in label.text() for label in dialog.findChildren(QLabel))

    # 一键遮盖 (by the drafter, see test_secrecy_officer_can_still_review_after_masking):
    # confirmed, the notice is a new version and its slip starts over.
    drafter_view = open_dialog(qtbot, clerk, first.id)
    assert drafter_view.screening.mask_button.isEnabled()
    assert drafter_view.screening.pass_button.isHidden()  # 放行 is the 保密审查's
    drafter_view.screening.mask_button.click()
    assert seen[-1][0] == "confirm" and "新版本" in seen[-1][1]
    assert MASKED in notice_ops.get_notice(fresh(db_path, clock), n.id).body
    restarted = drafter_view.view
    assert restarted.id != first.id and restarted.current_stage is Stage.UNIT_HEAD
    assert approvals.get_slip(fresh(db_path, clock), first.id).state.status \
        is SlipStatus.SUPERSEDED
    dialog.load(approvals.get_slip(secrecy, first.id))
    assert "已作废" in dialog.banner.text() and not dialog.latest_button.isHidden()
    assert not dialog.decision_group.isVisibleTo(dialog)

    sign(open_dialog(qtbot, head, restarted.id), Decision.APPROVE)
    dialog = open_dialog(qtbot, secrecy, restarted.id)
    assert dialog.screening.model.rowCount() == 0
    assert dialog.decision_buttons[Decision.APPROVE].isEnabled()
    dialog.choose(Decision.APPROVE)
    common = dialog.common_combo.findText("经审查，不涉及国家秘密、工作秘密和个人隐私，同意公开")
    dialog.common_combo.setCurrentIndex(common)
    dialog.common_combo.activated.emit(common)
    dialog.password_edit.setText(PASSWORD)
    dialog.sign_button.click()
    assert dialog.result_label.text() == "已签署：同意"
    assert dialog.view.current_stage is Stage.DEPUTY

    # 分管领导 sends it back to 科室 with an opinion; 科室 approves again and it resumes there.
    dialog = open_dialog(qtbot, deputy, restarted.id)
    dialog.choose(Decision.RETURN)
    assert dialog.return_combo.isVisibleTo(dialog)
    assert [dialog.return_combo.itemData(i) for i in range(dialog.return_combo.count())] == \
        [DRAFTER, 0, 1]
    sign(dialog, Decision.RETURN, "请科室核实保障人数", return_to=0)
    after = approvals.get_slip(fresh(db_path, clock), restarted.id)
    assert after.current_stage is Stage.UNIT_HEAD
    assert "退回到：科室（社区）负责人审核" in dialog.event_model.data(
        dialog.event_model.index(dialog.event_model.rowCount() - 1, 1))
    sign(open_dialog(qtbot, head, restarted.id), Decision.APPROVE, "已核实")
    assert approvals.get_slip(fresh(db_path, clock), restarted.id).current_stage is Stage.DEPUTY
    sign(open_dialog(qtbot, deputy, restarted.id), Decision.APPROVE)

    # 主要领导 signed on paper; the clerk enters it through the paper dialog.
    scan = tmp_path / "审批单扫描-0001.png"
    scan.write_bytes(b"\x89PNG\r\n")

    def fill_paper(paper: PaperSignDialog):
        assert "代录：将以签批人名义记录，并注明由您录入" in paper.banner.text()
        assert paper.signer_combo.count() == 1 and paper.signer_combo.currentText() == "陈志远"
        assert paper.date_edit.maximumDate() == paper.date_edit.date()  # today, not later
        paper.choose(Decision.APPROVE)
        paper.opinion_edit.setPlainText("同意，请按程序公示")
        paper._choose_scan_file = lambda: str(scan)
        paper._pick_scan()
        paper.password_edit.setText(PASSWORD)
        paper.ok_button.click()
        return paper.result()

    monkeypatch.setattr(PaperSignDialog, "exec", fill_paper)
    dialog = open_dialog(qtbot, clerk, restarted.id)
    assert dialog.paper_button.isEnabled() and not dialog.decision_group.isVisibleTo(dialog)
    dialog.paper_button.click()
    assert dialog.view.state.status is SlipStatus.APPROVED
    assert dialog.status_label.text() == "已批准"
    principal_box = step_texts(dialog)[-1]
    assert "陈志远" in principal_box and "纸质签批（代录），录入人：刘欣" in principal_box
    assert "扫描件：已存档" in principal_box
    recorded = approvals.get_slip(fresh(db_path, clock), restarted.id)
    last = recorded.events[-1]
    assert last.event.paper and last.actor_name == "陈志远" and last.scan.endswith(".png")
    stored = approvals.scan_path(ctx, last.scan)
    assert stored is not None and stored.read_bytes() == scan.read_bytes()
    assert notice_ops.get_notice(fresh(db_path, clock), n.id).status is NoticeStatus.APPROVED

    # The printed slip, made through the button and read back.
    dialog.print_button.click()
    kind, (path, name) = seen[-1]
    assert kind == "pdf" and name == f"审批单{restarted.number}.pdf"
    text = pdf_text(path).replace(" ", "").replace("\n", "")
    for signer in ("赵国强", "孙丽", "王建华", "陈志远"):
        assert signer in text
    assert "纸质签批（代录）" in text

    # Back in the register: now printable for posting.
    register.model.reload()
    register.select_notice(n.id)
    assert register.print_a4_action.isEnabled() and not register.print_review_action.isEnabled()
    assert register.print_button.text() == "打印"


# ---- single behaviours ----------------------------------------------------------------------------


def test_wrong_password_keeps_the_opinion_and_records_nothing(qtbot, ctx, users, org, seen,
                                                             db_path, clock):
    n = notice_ops.create_notice(ctx, notice_input(ctx))
    slip = approvals.submit_for_approval(ctx, n.id)
    dialog = open_dialog(qtbot, as_user(ctx, users[Role.UNIT_HEAD]), slip.id)
    assert f"《{n.title}》" in dialog.signing_label.text()
    assert slip.state.content_hash[:12] in dialog.signing_label.text()
    sign(dialog, Decision.RETURN, "请补充公示期及监督电话", password="not-my-password",
         return_to=DRAFTER)
    assert dialog.error_label.text() == WRONG_PASSWORD
    assert dialog.opinion_edit.toPlainText() == "请补充公示期及监督电话"
    assert dialog.chosen_decision() is Decision.RETURN
    again = approvals.get_slip(fresh(db_path, clock), slip.id)
    assert len(again.events) == 1 and again.current_stage is Stage.UNIT_HEAD

    # An opinion is needed for 退回修改: said inline, nothing sent.
    dialog.opinion_edit.clear()
    dialog.password_edit.setText(PASSWORD)
    dialog.sign_button.click()
    assert "须填写意见" in dialog.error_label.text()
    assert len(approvals.get_slip(fresh(db_path, clock), slip.id).events) == 1


def test_drafter_withdraws_before_anyone_acts_and_not_after(qtbot, ctx, users, org, seen,
                                                          db_path, clock):
    n = notice_ops.create_notice(ctx, notice_input(ctx))
    slip = approvals.submit_for_approval(ctx, n.id)
    other = open_dialog(qtbot, as_user(ctx, users[Role.ADMIN]), slip.id)
    assert not other.withdraw_button.isEnabled()  # only the drafter
    dialog = open_dialog(qtbot, ctx, slip.id)
    assert dialog.withdraw_button.isEnabled()
    dialog.withdraw_button.click()
    assert seen[-1][0] == "confirm"
    assert dialog.view.state.status is SlipStatus.WITHDRAWN
    assert "取回" in dialog.banner.text() and not dialog.withdraw_button.isEnabled()
    assert notice_ops.get_notice(fresh(db_path, clock), n.id).status is NoticeStatus.DRAFT

    slip = approvals.submit_for_approval(ctx, n.id)
    approvals.decide(as_user(ctx, users[Role.UNIT_HEAD]), slip.id, Decision.APPROVE)
    dialog = open_dialog(qtbot, ctx, slip.id)
    assert not dialog.withdraw_button.isEnabled()


def test_secrecy_pass_with_reason_enables_approval(qtbot, ctx, users, org, seen, monkeypatch):
    n = notice_ops.create_notice(ctx, notice_input(ctx, body=BODY))
    slip = approvals.submit_for_approval(ctx, n.id)
    approvals.decide(as_user(ctx, users[Role.UNIT_HEAD]), slip.id, Decision.APPROVE)
    # Elsewhere than at 保密审查 the list is read-only.
    clerk_view = open_dialog(qtbot, ctx, slip.id)
    secrecy = as_user(ctx, users[Role.SECRECY_OFFICER])
    dialog = open_dialog(qtbot, secrecy, slip.id)
    panel = dialog.screening
    assert not panel.pass_button.isEnabled()  # nothing selected yet
    panel.table.selectRow(0)
    assert panel.pass_button.isEnabled()
    monkeypatch.setattr(screening_panel, "ask_pass_reason",
                        lambda _p, _f: "公示对象的身份信息依法须公示，已核实无误")
    panel.pass_button.click()
    assert panel.model.data(panel.model.index(0, 4)).startswith("已放行（公示对象")
    assert dialog.decision_buttons[Decision.APPROVE].isEnabled()
    assert dialog.approve_block_label.text() == ""
    sign(dialog, Decision.APPROVE)
    assert dialog.view.current_stage is Stage.DEPUTY
    clerk_view.reload()
    assert clerk_view.screening.mask_button.isHidden()  # past 保密审查: read-only


def test_returned_slip_is_listed_for_its_drafter(qtbot, ctx, users, org, seen, monkeypatch):
    n = notice_ops.create_notice(ctx, notice_input(ctx))
    slip = approvals.submit_for_approval(ctx, n.id)
    approvals.decide(as_user(ctx, users[Role.UNIT_HEAD]), slip.id, Decision.RETURN,
                     "文字有误，请修改", return_to=DRAFTER)
    dash = DashboardPage(ctx)
    qtbot.addWidget(dash)
    dash.refresh()
    assert dash.queue_section.isHidden()  # a clerk approves nothing
    assert dash.returned_model.rowCount() == 1 and dash.card_returned.number.text() == "1"
    assert dash.returned_model.data(dash.returned_model.index(0, 3)) == "文字有误，请修改"

    register = NoticesPage(ctx)
    qtbot.addWidget(register)
    register.select_notice(n.id)
    assert register.submit_button.text() == "重新提交审批"
    register.submit_button.click()
    assert approvals.get_slip(ctx, slip.id).state.status is SlipStatus.IN_REVIEW
    dash.refresh()
    assert dash.returned_model.rowCount() == 0


def test_review_copy_prints_from_the_register(qtbot, ctx, users, org, seen):
    n = notice_ops.create_notice(ctx, notice_input(ctx))
    register = NoticesPage(ctx)
    qtbot.addWidget(register)
    register.select_notice(n.id)
    assert "只能打印审阅稿" in register.print_gate_action.text()
    register.print_review_action.trigger()
    kind, (path, name) = seen[-1]
    assert kind == "pdf" and name.endswith("审阅稿.pdf")
    assert "审阅稿" in pdf_text(path)


def test_secrecy_officer_can_still_review_after_masking(qtbot, ctx, users, org, seen):
    n = notice_ops.create_notice(ctx, notice_input(ctx, body=BODY))
    slip = approvals.submit_for_approval(ctx, n.id)
    head = as_user(ctx, users[Role.UNIT_HEAD])
    approvals.decide(head, slip.id, Decision.APPROVE)
    secrecy = as_user(ctx, users[Role.SECRECY_OFFICER])
    dialog = open_dialog(qtbot, secrecy, slip.id)
    dialog.screening.mask_button.click()
    approvals.decide(head, dialog.view.id, Decision.APPROVE)
    dialog.reload()
    assert dialog.holder


# ---- settings --------------------------------------------------------------------------------------


def test_settings_chain_tab_saves_and_refuses_an_invalid_chain(qtbot, ctx, users, org, seen):
    admin = as_user(ctx, users[Role.ADMIN])
    page = SettingsPage(admin)
    qtbot.addWidget(page)
    tab = page.chain_tab
    page.tabs.setCurrentWidget(tab)
    assert page.tabs.tabText(page.tabs.currentIndex()) == "审批流程"
    assert not tab.stage_checks[Stage.SECRECY].isEnabled()  # mandatory
    tab.stage_checks[Stage.DEPUTY].setChecked(False)
    tab.stage_checks[Stage.PRINCIPAL].setChecked(False)
    assert tab.problem_label.text() == "审批流程的最后一个环节必须是分管领导或主要领导"
    assert not tab.save()
    assert approvals.chain_config(ctx).stages == tuple(Stage)

    tab.stage_checks[Stage.DEPUTY].setChecked(True)
    assert tab.problem_label.text() == ""
    relief = next(c.id for c in lists.categories(ctx) if c.name == "社会救助")
    for i in range(tab.routine_list.count()):
        item = tab.routine_list.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == relief:
            item.setCheckState(Qt.CheckState.Checked)
    tab.double_check.setChecked(True)
    tab.save_button.click()
    config = approvals.chain_config(ctx)
    assert config.stages == (Stage.UNIT_HEAD, Stage.SECRECY, Stage.DEPUTY)
    assert config.routine_categories == frozenset({relief})
    assert config.allow_double_signing
    assert tab.saved_label.text().startswith("已保存")

    shown = page.screening_tab
    shown.words_edit.setPlainText("未定稿\n\n 内部掌握 \n")
    shown.numbers_edit.setPlainText("0537-1234568")
    shown.save_button.click()
    assert screening.sensitive_words(ctx) == ["未定稿", "内部掌握"]
    assert "0537-1234568" in screening.public_numbers(ctx)


def test_settings_tabs_are_read_only_for_others(qtbot, ctx, users, org):
    page = SettingsPage(ctx)  # the clerk
    qtbot.addWidget(page)
    assert not page.chain_tab.save_button.isEnabled()
    assert not page.chain_tab.stage_checks[Stage.UNIT_HEAD].isEnabled()
    assert page.screening_tab.words_edit.isReadOnly()


def test_models_pass_the_model_tester(qtmodeltester, qtbot, ctx, users, org):
    n = notice_ops.create_notice(ctx, notice_input(ctx, body=BODY))
    slip = approvals.submit_for_approval(ctx, n.id)
    approvals.decide(as_user(ctx, users[Role.UNIT_HEAD]), slip.id, Decision.APPROVE)
    dialog = open_dialog(qtbot, as_user(ctx, users[Role.SECRECY_OFFICER]), slip.id)
    qtmodeltester.check(dialog.event_model)
    qtmodeltester.check(dialog.screening.model)
    dash = DashboardPage(as_user(ctx, users[Role.SECRECY_OFFICER]))
    qtbot.addWidget(dash)
    dash.refresh()
    qtmodeltester.check(dash.queue_model)
    qtmodeltester.check(dash.returned_model)


# ---- screenshots -----------------------------------------------------------------------------------


def test_approval_screenshots(qtbot, ctx, users, org, seen, tmp_path):
    """The slip dialog at 保密审查 with a finding, the paper dialog and the 工作台 with a
    queue; set GOVDESK_SCREENSHOT_DIR to keep the images."""
    out = Path(os.environ.get("GOVDESK_SCREENSHOT_DIR") or tmp_path)
    app = QApplication.instance()
    old_font = app.font()
    app.setFont(QFont("WenQuanYi Micro Hei", 10))
    try:
        n = notice_ops.create_notice(ctx, notice_input(ctx, body=BODY))
        slip = approvals.submit_for_approval(ctx, n.id)
        other = notice_ops.create_notice(ctx, notice_input(
            ctx, title="关于云溪社区2025年度高龄津贴发放对象的公示"))
        approvals.submit_for_approval(ctx, other.id)
        head = as_user(ctx, users[Role.UNIT_HEAD])
        approvals.decide(head, slip.id, Decision.APPROVE, "同意，请保密审查")
        secrecy = as_user(ctx, users[Role.SECRECY_OFFICER])

        dialog = open_dialog(qtbot, secrecy, slip.id)
        dialog.choose(Decision.RETURN)
        dialog.opinion_edit.setPlainText("个人信息未去标识化，请处理后重新提交")
        dialog.show()
        qtbot.waitExposed(dialog)
        QApplication.processEvents()
        assert dialog.grab().save(str(out / "slip-dialog.png"))
        dialog.close()

        paper = PaperSignDialog(ctx, approvals.get_slip(ctx, slip.id))
        qtbot.addWidget(paper)
        paper.opinion_edit.setPlainText("经审查，不涉及国家秘密、工作秘密，同意公开")
        paper.show()
        qtbot.waitExposed(paper)
        QApplication.processEvents()
        assert paper.grab().save(str(out / "paper-sign.png"))
        paper.close()

        dash = DashboardPage(head)
        qtbot.addWidget(dash)
        dash.resize(1200, 760)
        dash.show()
        qtbot.waitExposed(dash)
        dash.refresh()
        QApplication.processEvents()
        assert dash.queue_model.rowCount() == 1
        assert dash.grab().save(str(out / "dashboard-queue.png"))
        dash.close()
    finally:
        app.setFont(old_font)
