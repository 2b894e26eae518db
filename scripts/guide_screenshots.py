"""Regenerate every picture of the user guide (docs/guide/images/) on the demo township.

    python scripts/guide_screenshots.py [--out docs/guide/images] [--only NAME ...]

Runs offscreen with the demo's date pinned (2026-11-20, 10:00 Beijing time), window state kept in
a scratch folder and message boxes answered without blocking (the way the tests patch
``govdesk.gui.messages``), so the pictures are the same on every run. Each picture is written as a
256-colour PNG (a screenshot of text and flat colours loses nothing visible) and kept under about
250 KB. The guide's markdown (docs/guide/*.md) names the files; run this after a change to the UI
and look at the pictures again before committing them.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["TZ"] = "Asia/Shanghai"  # times on screen read as the office sees them
if hasattr(time, "tzset"):
    time.tzset()

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 20)
NOW_UTC = datetime(TODAY.year, TODAY.month, TODAY.day, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
WINDOW = (1366, 800)
MAX_BYTES = 250_000


class Shooter:
    """Grab widgets, crop or scale them, and save compact PNGs."""

    def __init__(self, out: Path, only: set[str]) -> None:
        self.out = out
        self.only = only
        self.saved: list[Path] = []

    def wanted(self, name: str) -> bool:
        return not self.only or name in self.only

    def settle(self, rounds: int = 6) -> None:
        from PySide6.QtWidgets import QApplication

        for _ in range(rounds):
            QApplication.processEvents()

    def image(self, widget):
        self.settle()
        return widget.grab().toImage()

    def save(self, name: str, image, *, crop=None, width: int | None = None) -> None:
        """Save ``image`` (a QImage or a widget) as ``name``.png; ``crop`` is (x, y, w, h)."""
        from PySide6.QtCore import QRect, Qt
        from PySide6.QtGui import QImage

        if not self.wanted(name):
            return
        if not isinstance(image, QImage):
            image = self.image(image)
        if crop is not None:
            image = image.copy(QRect(*crop))
        if width is not None and image.width() > width:
            image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        path = self.out / f"{name}.png"
        _write_png(image, path)
        self.saved.append(path)
        size = path.stat().st_size
        flag = "  (over the size budget)" if size > MAX_BYTES else ""
        print(f"  {path.name:34} {image.width()}×{image.height()}  {size // 1024} KB{flag}")


def _write_png(image, path: Path) -> None:
    """A 256-colour PNG when Pillow is there (it comes with reportlab), else Qt's own PNG."""
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    data = bytes(buffer.data())
    try:
        from PIL import Image
    except ImportError:
        path.write_bytes(data)
        return
    picture = Image.open(io.BytesIO(data)).convert("RGB")
    small = picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                             dither=Image.Dither.NONE)
    small.save(path, "PNG", optimize=True)


def quiet_messages(log: list[str]) -> None:
    """Message boxes never block: information is logged, questions are answered yes."""
    from govdesk.gui import messages

    def note(kind: str) -> Callable[..., None]:
        return lambda parent, text, title="": log.append(f"{kind}: {title} {text}")

    messages.info = note("info")
    messages.warn = note("warn")
    messages.error = note("error")
    messages.confirm = lambda parent, text, title="", **kw: log.append(f"confirm: {text}") or True


def isolate_settings(folder: Path) -> None:
    """Window sizes and last folders go to a scratch folder, not the user's own settings."""
    from PySide6.QtCore import QSettings

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder / "settings"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)


def pdf_page(pdf: Path, page: int = 0, width: int = 900):
    """Render one page of a PDF to a QImage (white background)."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    doc.load(str(pdf))
    size = doc.pagePointSize(page)
    height = round(width * size.height() / size.width())
    rendered = doc.render(page, QSize(width, height))
    image = QImage(rendered.size(), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    doc.close()
    return image


def framed(image, border: int = 1):
    """A thin grey frame round a page image, so white paper stands out on a white page."""
    from PySide6.QtGui import QColor, QImage, QPainter

    framed_image = QImage(image.width() + 2 * border, image.height() + 2 * border,
                          QImage.Format.Format_RGB32)
    framed_image.fill(QColor("#9aa3ad"))
    painter = QPainter(framed_image)
    painter.drawImage(border, border, image)
    painter.end()
    return framed_image

# ---- the story the pictures tell ------------------------------------------------------------
#
# One new 公示 goes through the whole day's work: 刘欣 (经办人) registers it, submits it, the
# 保密审查员 returns it for a 身份证号, 刘欣 masks it and submits again, the leaders sign (one on
# paper, entered by 刘欣), it is printed and posted. The other chapters use the demo's own records.

NEW_TITLE = "柳河村2026年第四季度城乡居民最低生活保障对象公示"
NEW_BODY = (
    "根据《社会救助暂行办法》和省、市、县有关规定，经本人申请、村民委员会入户调查、"
    "民主评议和镇人民政府审核，拟将以下人员纳入城乡居民最低生活保障范围，现予公示。\n"
    "户主姓名|身份证号|家庭人口|保障类别|月保障金额（元）\n"
    "王某某|371312195806124514|2|农村低保|620\n"
    "李某某|371312196512030021|1|农村低保|450"
)


class State:
    """What the scenes share: the context, the scratch folder and the notice of the story."""

    def __init__(self, shots: Shooter, ctx, scratch: Path, db_path: Path) -> None:
        self.shots = shots
        self.ctx = ctx
        self.scratch = scratch
        self.db_path = db_path
        self.notice_id: int | None = None
        self.slip_id: int | None = None
        self.windows: list = []

    def sign_in(self, login: str) -> None:
        from govdesk.operations import auth
        from govdesk.operations.demo import DEMO_PASSWORD

        auth.sign_in(self.ctx, login, DEMO_PASSWORD)

    def window(self, login: str, page: str = "dashboard"):
        """The main window as ``login``, 1366×800, showing ``page``."""
        from govdesk.gui.main_window import MainWindow

        for old in self.windows:
            old.close()
            old.deleteLater()
        self.windows.clear()
        self.sign_in(login)
        window = MainWindow(self.ctx, "演示数据库")
        window.resize(*WINDOW)
        window.show()
        window.show_page(page)
        self.windows.append(window)
        self.shots.settle()
        return window

    def dialog(self, dialog, size: tuple[int, int] | None = None):
        if size is not None:
            dialog.resize(*size)
        else:
            dialog.adjustSize()
        dialog.show()
        self.shots.settle()
        return dialog


def _find(combo, text: str) -> None:
    for i in range(combo.count()):
        if text in combo.itemText(i):
            combo.setCurrentIndex(i)
            return
    raise LookupError(f"no “{text}” in the list")


def _pdf(state: State, name: str) -> Path:
    return state.scratch / f"{name}.pdf"


# ---- README: 快速上手 ----------------------------------------------------------------------------

def scene_quickstart(state: State) -> None:
    from govdesk.gui.dialogs.login_dialog import LoginDialog

    shots = state.shots
    login = LoginDialog(state.ctx)
    login.login_edit.setText("liuxin")
    state.dialog(login)
    shots.save("login", login)
    login.close()

    window = state.window("liuxin")
    shots.save("dashboard-clerk", window)


# ---- 01 登记信息 ---------------------------------------------------------------------------------

def scene_register(state: State) -> None:
    from govdesk.core.notices import PeriodUnit
    from govdesk.gui.dialogs.notice_editor_dialog import NoticeEditorDialog
    from govdesk.gui.widgets import select_row
    from govdesk.operations import notices as notice_ops

    shots, ctx = state.shots, state.ctx
    window = state.window("liuxin", "notices")
    page = window.pages["notices"]
    select_row(page.table, 0)
    shots.save("notices-page", window)

    editor = NoticeEditorDialog(ctx, None, lambda data: notice_ops.create_notice(ctx, data), page)
    editor.title_edit.setText(NEW_TITLE)
    _find(editor.category_combo, "社会救助")
    _find(editor.owner_combo, "柳河村")
    editor.formed_edit.setDate(editor.formed_edit.date().fromString("2026-11-18", "yyyy-MM-dd"))
    for box in editor.channel_checks.values():
        box.setChecked(box.text() in ("公开栏", "门户网站"))
    editor.period_group.setChecked(True)
    editor.period_start.setDate(editor.period_start.date().fromString("2026-11-20", "yyyy-MM-dd"))
    editor.period_length.setValue(7)
    _find(editor.period_unit, PeriodUnit.DAYS.value)
    editor.body_edit.setPlainText(NEW_BODY)
    state.dialog(editor, (860, 720))
    shots.save("notice-editor", editor)
    editor.accept()
    state.notice_id = editor.result_notice.id
    page.refresh()
    page.select_notice(state.notice_id)
    shots.save("notices-draft-buttons", window, crop=(132, 0, WINDOW[0] - 132, 98))


# ---- 02 审批 -------------------------------------------------------------------------------------

def scene_approve(state: State) -> None:
    from govdesk.core.approvals import Decision
    from govdesk.gui.dialogs.paper_sign_dialog import PaperSignDialog
    from govdesk.gui.dialogs.slip_dialog import SlipDialog
    from govdesk.operations import approvals, auth, printing
    from govdesk.operations.demo import DEMO_PASSWORD

    shots, ctx = state.shots, state.ctx
    nid = state.notice_id
    assert nid is not None
    state.sign_in("liuxin")
    # The 审阅稿 before any approval.
    pdf = _pdf(state, "review")
    printing.print_notice(ctx, nid, pdf, review_copy=True)
    # The foot of the page, enlarged: the 审阅稿 mark is printed in the footer of every page.
    page = pdf_page(pdf, 0, 1300)
    w, h = page.width(), page.height()
    shots.save("review-copy", framed(page.copy(int(w * 0.08), int(h * 0.895), int(w * 0.84),
                                               int(h * 0.075))))

    view = approvals.submit_for_approval(ctx, nid)
    state.slip_id = view.id
    slip = state.dialog(SlipDialog(ctx, view.id), (1100, 780))
    shots.save("slip-submitted", slip)
    slip.close()

    # 科室负责人 sees it in 待我审批 and agrees.
    window = state.window("zhaojianguo")
    shots.save("dashboard-queue", window, crop=(132, 0, WINDOW[0] - 132, 470))
    slip = state.dialog(SlipDialog(ctx, view.id), (1100, 780))
    slip.decision_buttons[Decision.APPROVE].setChecked(True)
    slip.opinion_edit.setPlainText("情况属实，同意公示。")
    slip.password_edit.setText(DEMO_PASSWORD)
    shots.save("slip-decide", slip)
    slip.sign()
    slip.close()

    # 保密审查: the screening finds the 身份证号; the officer returns it to the drafter.
    state.sign_in("chenjing")
    slip = state.dialog(SlipDialog(ctx, view.id), (1100, 860))
    shots.save("slip-secrecy", slip)
    slip.decision_buttons[Decision.RETURN].setChecked(True)
    _find(slip.return_combo, "经办人")
    slip.opinion_edit.setPlainText("公示表中有完整身份证号，请按规定遮盖后重新提交。")
    slip.password_edit.setText(DEMO_PASSWORD)
    shots.save("slip-return", slip)
    slip.sign()
    slip.close()

    # 刘欣 sees it came back, masks the numbers and submits again.
    window = state.window("liuxin")
    shots.save("dashboard-returned", window, crop=(132, 0, WINDOW[0] - 132, 330))
    from govdesk.gui.dialogs.notice_editor_dialog import NoticeEditorDialog
    from govdesk.operations import notices as notice_ops

    editor = NoticeEditorDialog(ctx, notice_ops.get_notice(ctx, nid),
                                lambda data: notice_ops.update_notice(ctx, nid, data))
    editor.body_edit.setPlainText(NEW_BODY.replace("195806124514", "********4514")
                                  .replace("196512030021", "********0021"))
    editor.accept()
    approvals.submit_for_approval(ctx, nid)  # 重新提交审批: on from 保密审查

    state.sign_in("chenjing")
    approvals.decide(ctx, view.id, Decision.APPROVE, "已遮盖个人信息，同意公开。",
                     password=DEMO_PASSWORD)

    # The leaders sign on paper; 刘欣 enters what they wrote.
    state.sign_in("liuxin")
    pdf = _pdf(state, "slip-blank")
    approvals.print_slip(ctx, view.id, pdf, blank=True)
    first = True
    while True:
        current = approvals.get_slip(ctx, view.id)
        stage = current.state.current
        if stage is None:
            break
        dialog = PaperSignDialog(ctx, current)
        dialog.date_edit.setDate(dialog.date_edit.date().fromString("2026-11-20", "yyyy-MM-dd"))
        dialog.decision_radios[Decision.APPROVE].setChecked(True)
        dialog.opinion_edit.setPlainText("同意公示。")
        dialog.password_edit.setText(DEMO_PASSWORD)
        if first:
            state.dialog(dialog)
            shots.save("paper-sign", dialog)
            first = False
        signer = dialog.signer_combo.currentData()
        dialog.close()
        approvals.record_paper_decision(
            ctx, view.id, signer_id=signer, decision=Decision.APPROVE, opinion="同意公示。",
            signed_on=TODAY, password=DEMO_PASSWORD)
    auth.sign_in(ctx, "liuxin", DEMO_PASSWORD)
    slip = state.dialog(SlipDialog(ctx, view.id), (1100, 780))
    shots.save("slip-approved", slip)
    slip.close()
    pdf = _pdf(state, "slip")
    approvals.print_slip(ctx, view.id, pdf)
    page = pdf_page(pdf, 0, 760)
    shots.save("slip-printed", framed(page))


# ---- 03 打印与张贴 -------------------------------------------------------------------------------

def scene_print_post(state: State) -> None:
    from govdesk.gui.dialogs.pdf_preview_dialog import PdfPreviewDialog
    from govdesk.gui.dialogs.post_dialog import PostDialog
    from govdesk.gui.widgets import select_row
    from govdesk.operations import lists, postings, printing
    from govdesk.operations import notices as notice_ops

    shots, ctx = state.shots, state.ctx
    nid = state.notice_id
    window = state.window("liuxin", "notices")
    page = window.pages["notices"]
    page.refresh()
    page.select_notice(nid)
    shots.save("notices-approved-buttons", window, crop=(132, 0, WINDOW[0] - 132, 98))

    pdf = _pdf(state, "notice")
    printing.print_notice(ctx, nid, pdf)
    preview = PdfPreviewDialog(pdf, suggested_name="公示.pdf")
    state.dialog(preview, (900, 1000))
    for _ in range(40):  # the pages render in the background
        shots.settle()
        time.sleep(0.05)
    shots.save("print-preview", preview, width=760)
    preview.close()

    notice = notice_ops.get_notice(ctx, nid)
    saved = []
    dialog = PostDialog(ctx, notice, lambda req: saved.append(req) or True)
    boards = {b.code: b.id for b in lists.boards(ctx, active_only=True)}
    dialog.check_boards([boards["CW-01"]])
    state.dialog(dialog)
    shots.save("post-dialog", dialog)
    dialog.close()

    postings.post_notice(ctx, nid, [boards["CW-01"]])
    window = state.window("liuxin", "boards")
    bpage = window.pages["boards"]
    bpage.select_board(boards["GB-01"])
    shots.settle()
    select_row(bpage.posting_view, 1)
    shots.save("boards-page", window)
    # A taller window, so the 应撤下 table (sharing the left column with 实施方案任务) shows
    # a few rows; the picture is that table with its heading and button.
    window = state.window("liuxin")
    window.resize(WINDOW[0], 1000)
    shots.settle()
    takedown = window.pages["dashboard"].takedown_view
    select_row(takedown, 1)
    shots.save("dashboard-takedown", window,
               crop=_widget_rect(takedown, window, pad=6, above=30))


# ---- 04 月抽查与季度考核 --------------------------------------------------------------------------

def scene_assessment(state: State) -> None:
    from govdesk.gui.dialogs.bulletin_dialog import BulletinDialog
    from govdesk.gui.widgets import select_row

    shots, ctx = state.shots, state.ctx
    window = state.window("liuxin", "assessment")
    page = window.pages["assessment"]
    month = page.month_tab
    month.set_month(2026, 10)
    shots.settle()
    names = [month.model.headerData(r, _vertical(), 0) for r in range(month.model.rowCount())]
    row = next((r for r, n in enumerate(names) if n and "石桥村" in str(n)), 0)
    column = _column_with_value(month, row)
    month.select_cell(row, column)
    shots.save("assessment-month", window)

    results = page.results_tab
    results.set_period(2026, 3)
    page.tabs.setCurrentIndex(1)
    shots.settle()
    select_row(results.ranking_view, results.ranking_model.rowCount() - 1)
    shots.save("assessment-quarter", window)

    page.tabs.setCurrentIndex(2)
    _wait_for_chart(shots, page.year_tab.chart_view)
    shots.save("assessment-year", window)

    bulletin = BulletinDialog(ctx, 2026, 3)
    state.dialog(bulletin, (1000, 760))
    shots.save("bulletin", bulletin)
    bulletin.close()


def _vertical():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Vertical


def _column_with_value(month, row: int) -> int:
    """The first indicator column of ``row`` with a deduction in it (else the first column)."""
    model = month.model
    for column in range(2, model.columnCount() - 1):
        value = model.index(row, column).data()
        if value not in (None, ""):
            return column
    return 2


def _wait_for_chart(shots: Shooter, chart) -> None:
    deadline = time.monotonic() + 15
    while hasattr(chart, "is_ready") and not chart.is_ready() and time.monotonic() < deadline:
        shots.settle()
        time.sleep(0.02)
    shots.settle()


# ---- 05 依申请公开 -------------------------------------------------------------------------------

def scene_requests(state: State) -> None:
    from govdesk.core.letters import LetterKind
    from govdesk.core.requests import ClockEventKind, Outcome
    from govdesk.gui.dialogs.letter_dialog import LetterDialog
    from govdesk.gui.dialogs.request_close_dialog import RequestCloseDialog
    from govdesk.gui.dialogs.request_dialog import RequestDialog
    from govdesk.gui.dialogs.request_event_dialog import RequestEventDialog
    from govdesk.gui.dialogs.review_case_dialog import ReviewCaseDialog
    from govdesk.operations import requests as request_ops
    from govdesk.operations import review_cases

    shots, ctx = state.shots, state.ctx
    window = state.window("liuxin", "requests")
    page = window.pages["requests"]

    dialog = RequestDialog(page, ctx)
    _find(dialog.channel_combo, "当面")
    _find(dialog.kind_combo, "自然人")
    dialog.name_edit.setText("孙建军")
    dialog.contact_edit.setText("云溪镇柳河村三组")
    dialog.content_edit.setPlainText("柳河村2026年村内道路硬化工程的招标公告、中标结果和工程款拨付情况。")
    state.dialog(dialog)
    shots.save("request-new", dialog)
    dialog.accept()
    dialog.close()

    summaries = request_ops.request_summaries(ctx)
    by_number = {s.request.number: s for s in summaries}
    r12 = by_number["〔2026〕第12号"].request
    r13 = by_number["〔2026〕第13号"].request
    page.refresh()
    page.select_request(r12.id)
    shots.save("requests-page", window)

    event = RequestEventDialog(page, ctx, r12, ClockEventKind.EXTENSION)
    event.days_spin.setValue(15)
    event.approver_edit.setText("赵建国")
    event.note_edit.setPlainText("需调取项目资金拨付档案")
    state.dialog(event)
    shots.save("request-extension", event)
    event.accept()
    event.close()
    page.refresh()
    page.select_request(r12.id)
    page.tabs.setCurrentIndex(0)
    shots.save("requests-ledger", window, crop=(132, 446, WINDOW[0] - 132, 329))

    letter = LetterDialog(ctx, r12.id, LetterKind.EXTENSION)
    state.dialog(letter, (860, 720))
    shots.save("letter-new", letter)
    letter.submit()
    shots.save("letter-review", letter)
    letter.close()

    close = RequestCloseDialog(page, ctx, r13, request_ops.clock_of(ctx, r13.id))
    close.select(Outcome.DISCLOSED)
    close.detail_edit.setPlainText("已向申请人提供项目招标公告、中标通知书和资金拨付凭证复印件。")
    state.dialog(close)
    shots.save("request-close", close)
    close.close()

    with_case = next((s.request for s in summaries
                      if review_cases.review_cases_of_request(ctx, s.request.id)), None)
    if with_case is not None:
        cases = ReviewCaseDialog(ctx, with_case.id)
        state.dialog(cases, (900, 420))
        shots.save("review-cases", cases)
        cases.close()


# ---- 06 年度报告 ---------------------------------------------------------------------------------

def scene_annual(state: State) -> None:
    shots = state.shots
    window = state.window("liuxin", "annual_report")
    page = window.pages["annual_report"]
    page.set_year(2025)
    page.tabs.setFocus()  # no blinking text cursor in the year box: the same picture every run
    shots.settle()
    shots.save("annual-overview", window)
    for index, name in ((1, "annual-table2"), (2, "annual-table3")):
        page.tabs.setCurrentIndex(index)
        shots.save(name, window)
    page.tabs.setCurrentIndex(0)


# ---- 09 实施方案与工作台账 ---------------------------------------------------------------------------

def _widget_rect(widget, window, pad: int = 0, above: int = 0) -> tuple[int, int, int, int]:
    """(x, y, w, h) of ``widget`` inside ``window``, ``pad`` pixels round it and ``above`` more
    on top (for the heading over a table)."""
    from PySide6.QtCore import QPoint

    top_left = widget.mapTo(window, QPoint(0, 0))
    x, y = max(top_left.x() - pad, 0), max(top_left.y() - pad - above, 0)
    w = min(widget.width() + 2 * pad, window.width() - x)
    h = min(widget.height() + 2 * pad + above, window.height() - y)
    return x, y, w, h


def scene_plan(state: State) -> None:
    from govdesk.core.work_plan import TaskState
    from govdesk.gui.dialogs.plan_dialogs import TaskTrackDialog
    from govdesk.operations import work_plan as plan_ops

    shots, ctx = state.shots, state.ctx
    year = TODAY.year
    window = state.window("liuxin", "plan")
    page = window.pages["plan"]
    page.set_year(year)
    shots.settle()
    view = plan_ops.plan_view(ctx, year)
    tracking = plan_ops.tracking_of_plan(ctx, year)
    # The task of the pictures: one still 推进中 with notices linked as evidence.
    candidates = [t for t in view.tasks if t.state is TaskState.IN_PROGRESS]
    task = max(candidates or view.tasks,
               key=lambda t: (tracking.get(t.id, plan_ops.TaskTracking()).evidence, -t.id))
    page.select_task(task.id)
    page.table.setFocus()
    shots.save("plan-page", window)

    track = TaskTrackDialog(window, ctx, task.id)
    _find(track.state_combo, TaskState.DONE.value)
    track.note_edit.setText("已公开第三季度督查整改落实情况")
    track.note_edit.setCursorPosition(0)
    state.dialog(track, (980, 540))
    shots.save("plan-task-track", track)
    track.close()
    track.deleteLater()

    page.tabs.setCurrentIndex(1)
    shots.save("plan-owed", window)
    page.tabs.setCurrentIndex(0)

    # Next year has no plan yet: the page offers to copy this year's.
    page.set_year(year + 1)
    page.year_combo.clearFocus()
    page.copy_button.setFocus()
    shots.save("plan-copy", window)
    page.set_year(year)

    window = state.window("liuxin")
    dash = window.pages["dashboard"]
    shots.save("dashboard-plan", window,
               crop=_widget_rect(dash.plan_stack, window, pad=6, above=30))


def scene_registers(state: State) -> None:
    from govdesk.core.errors import ValidationErrors
    from govdesk.core.registers import HotlineCase, RegisterKind
    from govdesk.gui.dialogs.register_dialogs import HotlineCloseDialog, ImportProblemsDialog
    from govdesk.operations import registers as register_ops

    shots, ctx = state.shots, state.ctx
    window = state.window("liuxin", "registers")
    page = window.pages["registers"]
    tab = page.show_register(RegisterKind.HOTLINE)
    shots.settle()
    # An open case past its 办理时限 (red in the list) is the one to close.
    open_case = next((r for r in (tab.model.record(i) for i in range(tab.model.rowCount()))
                      if isinstance(r, HotlineCase) and not r.is_closed), None)
    if open_case is not None:
        tab.select_record(open_case.id)
    tab.table.setFocus()
    shots.save("registers-hotline", window)

    if open_case is not None:
        close = HotlineCloseDialog(tab, ctx, open_case)
        _find(close.satisfaction_combo, "满意")
        state.dialog(close)
        shots.save("hotline-close", close)
        close.close()
        close.deleteLater()

    # A filled-in template with the usual mistakes: the import refuses the whole sheet.
    from openpyxl import load_workbook

    sheet = register_ops.write_register_template(RegisterKind.HOTLINE,
                                                 state.scratch / "热线导入.xlsx")
    book = load_workbook(sheet)
    ws = book.worksheets[0]
    headers = [c.value for c in ws[1]]
    example = [c.value for c in ws[2]]

    def row(**changes: object) -> list[object]:
        values = list(example)
        for name, value in changes.items():
            for i, h in enumerate(headers):
                if h and name in str(h):
                    values[i] = value
        return values

    ws.append(row(受理日期="2026-11-31"))
    ws.append(row(渠道="微信群"))
    ws.append(row(事项=""))
    book.save(sheet)
    try:
        register_ops.import_register(ctx, RegisterKind.HOTLINE, sheet)
        print("  (the broken sheet was imported: no import-errors picture)")
    except ValidationErrors as exc:
        problems = ImportProblemsDialog(tab, exc.message.split("：\n", 1)[0], exc.problems)
        state.dialog(problems, (680, 230))
        shots.save("registers-import-errors", problems)
        problems.close()
        problems.deleteLater()


# ---- 07 备份与恢复 -------------------------------------------------------------------------------

BACKUP_TIMES = (  # (Beijing time, what made it)
    ("2026-09-30 17:40", "退出时"), ("2026-10-31 17:35", "退出时"),
    ("2026-11-13 17:32", "退出时"), ("2026-11-16 17:45", "退出时"),
    ("2026-11-18 11:20", "导入前"), ("2026-11-19 17:38", "退出时"),
    ("2026-11-20 09:30", "定时"),
)


def make_backups(state: State) -> None:
    """A few backups over the last weeks, so the status bar and the backups page look lived-in."""
    from zoneinfo import ZoneInfo

    from govdesk.core.backup_schedule import Trigger
    from govdesk.operations import backups
    from govdesk.operations.context import Context

    beijing = ZoneInfo("Asia/Shanghai")
    for text, trigger in BACKUP_TIMES:
        when = datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=beijing).astimezone(UTC)
        at = Context(state.ctx.db, clock=lambda w=when: w, files_dir=state.ctx.files_dir)
        backups.backup_now(at, Trigger(trigger))


def scene_backups(state: State) -> None:
    from govdesk.operations import backups

    shots, ctx = state.shots, state.ctx
    try:
        from govdesk.gui.dialogs.restore_dialog import RestoreDialog
        from govdesk.gui.pages.backups_page import BackupsPage  # noqa: F401
    except ImportError:
        print("  (no 备份与恢复 page in this version: skipped)")
        return
    from govdesk.gui.main_window import PAGES

    if not any(key == "backups" for key, _label, _factory in PAGES):
        print("  (备份与恢复 is not in the main window yet: skipped)")
        return
    window = state.window("admin", "backups")
    shots.save("backups-page", window)
    rows = backups.list_backups(ctx)
    if rows:
        newest = rows[0]
        restore = RestoreDialog(backups.describe(newest.path), newest)
        state.dialog(restore)
        shots.save("restore-dialog", restore)
        restore.close()
    try:
        from govdesk.gui.dialogs.recovery_dialog import RecoveryDialog
    except ImportError:
        return
    # A damaged copy of the database, with its backups beside it: the reason shown is the
    # one govdesk itself gives when it cannot open the file.
    from govdesk.core.errors import UserError
    from govdesk.store.database import connect

    damaged = state.scratch / "damaged" / "govdesk.db"
    damaged.parent.mkdir()
    shutil.copy(state.db_path, damaged)
    shutil.copytree(backups.backup_dir_for(state.db_path), backups.backup_dir_for(damaged))
    with damaged.open("r+b") as f:
        f.write(b"\0" * 4096)
    try:
        connect(damaged, check=False).close()
        reason = "数据库文件已损坏"
    except UserError as exc:
        reason = exc.message
    recovery = RecoveryDialog(damaged, reason)
    state.dialog(recovery)
    shots.save("recovery-dialog", recovery)
    recovery.close()


SCENES = (make_backups, scene_quickstart, scene_register, scene_approve, scene_print_post,
          scene_assessment, scene_requests, scene_annual, scene_plan, scene_registers,
          scene_backups)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "guide" / "images"))
    parser.add_argument("--only", nargs="*", default=[], help="picture names (without .png)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    # A fixed scratch folder, so the paths shown on the backup pictures are the same every run.
    scratch = Path(tempfile.gettempdir()) / "govdesk-guide"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    os.environ.setdefault("GOVDESK_CACHE_DIR", str(scratch / "cache"))
    sys.path.insert(0, str(ROOT))

    from govdesk.app import make_app

    app = make_app()  # noqa: F841 - kept until the script ends
    isolate_settings(scratch)
    log: list[str] = []
    quiet_messages(log)

    from govdesk.operations.context import Context
    from govdesk.operations.demo import build_demo
    from govdesk.store.database import connect

    db_path = scratch / "demo.db"
    db = connect(db_path)
    build_demo(db, today=TODAY, files_dir=scratch / "files")
    ctx = Context(db, clock=lambda: NOW_UTC, files_dir=scratch / "files")
    shots = Shooter(out, set(args.only))
    print(f"pictures for the guide → {out}")
    state = State(shots, ctx, scratch, db_path)
    for scene in SCENES:
        print(f"{scene.__name__}:")
        scene(state)
    total = sum(p.stat().st_size for p in shots.saved)
    print(f"{len(shots.saved)} pictures, {total / 1024 / 1024:.2f} MB")
    if log and os.environ.get("GUIDE_SHOTS_VERBOSE"):
        print("\n".join(log))
    for window in state.windows:
        window.close()
    shots.settle()
    sys.stdout.flush()
    shutil.rmtree(scratch, ignore_errors=True)
    # Leave without tearing down Qt object by object (offscreen teardown can abort); the
    # pictures are written and nothing else is kept.
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
