"""工作台: what needs doing today, for an office worker who opens the app in the morning.

Top to bottom: the 节假日 banner (only when next year's holidays are missing), count cards, the
approval lists (待我审批 for approvers, 被退回 for drafters), then two columns — the work lists on the left (信息 past their 公开时限, 公示 to take down), the boards
and this year's disclosure counts on the right.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.approvals import Decision, SlipStatus
from govdesk.core.calendar import WorkCalendar
from govdesk.core.notices import NoticeSummary, Posting
from govdesk.gui import messages
from govdesk.gui.dialogs.slip_dialog import SlipDialog, local_time
from govdesk.gui.guard import attempt
from govdesk.gui.models.board_models import (
    NOTICE_ID_ROLE,
    BoardSummaryModel,
    TakedownTableModel,
    cn_date,
)
from govdesk.gui.models.org_models import Column, RecordTableModel
from govdesk.gui.models.plan_models import TASK_ID_ROLE, PlanDueModel
from govdesk.gui.models.request_models import days_left_text
from govdesk.gui.models.stats_models import CountTableModel
from govdesk.gui.widgets import ElideMiddleDelegate, data_table, select_row
from govdesk.operations import approvals, backups
from govdesk.operations import dashboard as dashboard_ops
from govdesk.operations import postings as posting_ops
from govdesk.operations.context import Context, can
from govdesk.operations.dashboard import Dashboard

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_OVERDUE = QBrush(QColor("#fde2e1"))
WEEKDAYS = "一二三四五六日"
INDEX_COLUMN_MAX = 150  # px; 索引号 are ~30 characters

_CARD_STYLE = """
QFrame#card { background: #ffffff; border: 1px solid #dcdfe4; border-radius: 6px; }
QFrame#card[alert="true"] { background: #fff5f4; border: 1px solid #f0b4ae; }
"""


def workdays_over(calendar: WorkCalendar, due: date, today: date) -> int:
    # 条例第二十六条 counts the 公开时限 in working days, so the lateness is told in them too.
    return calendar.workdays_between(due, today)


class OverdueNoticeModel(QAbstractTableModel):
    """超过公开时限仍未公开: 索引号, 标题, 责任单位, 形成日期, 公开时限, 逾期天数 (工作日)."""

    HEADERS = ("索引号", "标题", "责任单位", "形成日期", "公开时限", "逾期天数")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._notices: list[NoticeSummary] = []
        self._over: list[int] = []

    def set_notices(
        self, notices: list[NoticeSummary], calendar: WorkCalendar, today: date
    ) -> None:
        self.beginResetModel()
        self._notices = list(notices)
        self._over = [workdays_over(calendar, n.publish_due, today) for n in self._notices]
        self.endResetModel()

    def notice(self, row: int) -> NoticeSummary | None:
        return self._notices[row] if 0 <= row < len(self._notices) else None

    def workdays_over(self, row: int) -> int:
        return self._over[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._notices)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._notices):
            return None
        n = self._notices[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                n.index_number,
                n.title,
                n.owner,
                n.formed_on.isoformat(),
                n.publish_due.isoformat(),
                f"{self._over[index.row()]}个工作日",
            )[col]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col == 5 else (_CENTER if col in (3, 4) else None)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 0:
                return n.index_number
            if col == 1:
                return f"{n.title}\n状态：{n.status.value}（双击打开）"
            if col in (4, 5):
                return (
                    f"信息形成于 {cn_date(n.formed_on)}，应在 {cn_date(n.publish_due)} 前公开"
                    f"（条例第二十六条：20个工作日内），现已超过 {self._over[index.row()]} 个工作日。"
                )
            return None
        if role == Qt.ItemDataRole.BackgroundRole and col == 5:
            return _OVERDUE
        if role == NOTICE_ID_ROLE:
            return n.id
        return None


def _slip_time(view: Any) -> str:
    return local_time(view.slip.created_at)


def _returned_by(view: Any) -> Any:
    """The decision that sent a returned slip back (the latest 退回修改)."""
    return next((r for r in reversed(view.events)
                 if r.event.decision is Decision.RETURN), None)


class SlipListModel(RecordTableModel):
    """待我审批: 审批单编号, 名称 (a notice's title, or a letter's kind and application),
    当前环节, 经办人, 提交时间 (records are SlipViews)."""

    columns = (
        Column("审批单编号", lambda v: v.number),
        Column("信息或文书名称", lambda v: v.title),
        Column("当前环节", lambda v: v.current_stage.value if v.current_stage else v.status_text),
        Column("经办人", lambda v: v.drafter_name),
        Column("提交时间", _slip_time, _CENTER),
    )

    def foreground(self, record: Any) -> Any:
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.ToolTipRole and index.isValid()
                and 0 <= index.row() < len(self._records)):
            v = self._records[index.row()]
            return f"{v.title}\n审批单 {v.number}：{v.status_text}（双击打开审批单）"
        if role == NOTICE_ID_ROLE and index.isValid():
            notice = self._records[index.row()].notice
            return notice.id if notice is not None else None
        return super().data(index, role)


class ReturnedSlipModel(SlipListModel):
    """被退回: the drafter's slips sent back for changes, with who returned them and why."""

    columns = (
        Column("审批单编号", lambda v: v.number),
        Column("信息或文书名称", lambda v: v.title),
        Column("退回环节", lambda v: (r.stage if (r := _returned_by(v)) else "")),
        Column("退回意见", lambda v: (r.event.opinion if (r := _returned_by(v)) else "")),
        Column("提交时间", _slip_time, _CENTER),
    )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.ToolTipRole and index.isValid()
                and 0 <= index.row() < len(self._records)):
            v = self._records[index.row()]
            r = _returned_by(v)
            why = f"{r.actor_name}（{r.stage}）退回：{r.event.opinion}\n" if r else ""
            if v.letter is not None:
                return f"{v.title}\n{why}双击打开文书修改，改好后点“提交审批”"
            return f"{v.title}\n{why}双击到“信息登记”中修改，改好后点“重新提交审批”"
        return super().data(index, role)


def _section_title(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setBold(True)
    label.setFont(font)
    return label


def _empty_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet(
        "color: #2e7d32; background: #f3f8f3; border: 1px dashed #b9d8bb;"
        " border-radius: 6px; padding: 14px;"
    )
    return label


class _Card(QFrame):
    """One count: a big number over a short label."""

    def __init__(self, label: str, *, urgent: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._urgent = urgent
        self.number = QLabel("0")
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.number.setFont(font)
        self.label = QLabel(label)
        self.label.setStyleSheet("color: #555;")
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        layout.addWidget(self.number)
        layout.addWidget(self.label)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_count(self, n: int, text: str | None = None) -> None:
        self.number.setText(text or str(n))
        alert = self._urgent and n > 0
        colour = "#b3261e" if alert else ("#2e7d32" if self._urgent else "#1d4f8c")
        self.number.setStyleSheet(f"color: {colour};")
        self.setProperty("alert", "true" if alert else "false")
        self.style().unpolish(self)
        self.style().polish(self)


class _RequestsCard(QFrame):
    """依申请公开：3件即将到期、1件已逾期 — red when any is overdue, amber otherwise; a double
    click (or its button) opens the 依申请公开 page."""

    activated = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("requestsCard")
        self.text = QLabel()
        font = self.text.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.text.setFont(font)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.button = QPushButton("打开依申请公开…")
        self.button.clicked.connect(self.activated)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(self.text)
        column.addWidget(self.detail)
        layout.addLayout(column, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setToolTip("双击打开“依申请公开”")

    def set_requests(self, d: Dashboard) -> None:
        lapsed = len(d.requests_attention) - d.requests_due_soon - d.requests_overdue
        parts = []
        if d.requests_due_soon:
            parts.append(f"{d.requests_due_soon}件即将到期")
        if d.requests_overdue:
            parts.append(f"{d.requests_overdue}件已逾期")
        if lapsed:
            parts.append(f"{lapsed}件申请人逾期未补正或未缴费、待办结")
        self.text.setText("依申请公开：" + "、".join(parts))
        names = [f"{s.request.number}（{days_left_text(s.ledger)}）" for s in d.requests_attention[:6]]
        more = f"等{len(d.requests_attention)}件" if len(d.requests_attention) > 6 else ""
        self.detail.setText("、".join(names) + more)
        red = d.requests_overdue > 0
        colour, background, border = (("#b3261e", "#fde2e1", "#f0b4ae") if red
                                      else ("#8a5a00", "#fff1c2", "#e6c84d"))
        self.text.setStyleSheet(f"color: {colour};")
        self.detail.setStyleSheet("color: #444;")
        self.setStyleSheet(f"QFrame#requestsCard {{ background: {background};"
                           f" border: 1px solid {border}; border-radius: 6px; }}")
        self.setVisible(bool(d.requests_attention))

    def mouseDoubleClickEvent(self, event: Any) -> None:
        self.activated.emit()
        super().mouseDoubleClickEvent(event)


class DashboardPage(QWidget):
    open_notice = Signal(int)
    open_requests = Signal()  # the 依申请公开 card asks for its page
    open_plan_task = Signal(int)  # 实施方案任务: the main window opens the plan at the task

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._loaded = False
        self.dashboard: Dashboard | None = None
        today = ctx.today()

        self.overdue_model = OverdueNoticeModel(self)
        self.takedown_model = TakedownTableModel(today, self)
        self.board_model = BoardSummaryModel(self)
        self.channel_model = CountTableModel("公开方式", "条数", self)
        self.category_model = CountTableModel("类别", "条数", self)

        self.setStyleSheet(_CARD_STYLE)
        root = QVBoxLayout(self)
        root.setContentsMargins(16, 12, 16, 12)
        root.setSpacing(10)

        header = QHBoxLayout()
        title = QLabel("工作台")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        self.date_label = QLabel()
        self.date_label.setStyleSheet("color: #555;")
        header.addWidget(title)
        header.addSpacing(12)
        header.addWidget(self.date_label, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        root.addLayout(header)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #fff3bf; color: #5c4400; border: 1px solid #e6c84d;"
            " border-radius: 4px; padding: 8px 12px;"
        )
        self.banner.hide()
        root.addWidget(self.banner)

        cards = QHBoxLayout()
        cards.setSpacing(10)
        self.card_overdue_unpublished = _Card("超过公开时限未公开", urgent=True)
        self.card_takedowns_due = _Card("今日及近3日应撤下", urgent=True)
        self.card_takedowns_overdue = _Card("逾期未撤下", urgent=True)
        self.card_drafts = _Card("草稿", urgent=False)
        self.card_pending = _Card("待审批", urgent=False)
        self.card_my_queue = _Card("待我审批", urgent=True)
        self.card_returned = _Card("被退回待修改", urgent=True)
        for card in (
            self.card_my_queue,
            self.card_returned,
            self.card_overdue_unpublished,
            self.card_takedowns_due,
            self.card_takedowns_overdue,
            self.card_drafts,
            self.card_pending,
        ):
            cards.addWidget(card)
        root.addLayout(cards)

        self.requests_card = _RequestsCard()
        self.requests_card.hide()
        self.requests_card.activated.connect(self.show_requests)
        root.addWidget(self.requests_card)

        # ---- the approval lists: what waits for me, what came back to me
        self.queue_model = SlipListModel(self)
        self.returned_model = ReturnedSlipModel(self)
        slips = QHBoxLayout()
        slips.setSpacing(16)
        self.queue_section = QWidget()
        queue_box = QVBoxLayout(self.queue_section)
        queue_box.setContentsMargins(0, 0, 0, 0)
        queue_box.setSpacing(6)
        queue_box.addWidget(_section_title("待我审批"))
        self.queue_view = data_table(self.queue_model)
        self.queue_view.setToolTip("双击一行打开审批单")
        self.queue_stack = QStackedWidget()
        self.queue_stack.addWidget(self.queue_view)
        self.queue_stack.addWidget(_empty_label("没有等待您审批的审批单。"))
        queue_box.addWidget(self.queue_stack, 1)
        self.returned_section = QWidget()
        returned_box = QVBoxLayout(self.returned_section)
        returned_box.setContentsMargins(0, 0, 0, 0)
        returned_box.setSpacing(6)
        returned_box.addWidget(_section_title("被退回修改"))
        self.returned_view = data_table(self.returned_model)
        self.returned_view.setToolTip("双击一行修改：信息到“信息登记”中，文书在文书窗口中")
        self.returned_stack = QStackedWidget()
        self.returned_stack.addWidget(self.returned_view)
        self.returned_stack.addWidget(_empty_label("没有被退回的审批单。"))
        returned_box.addWidget(self.returned_stack, 1)
        slips.addWidget(self.queue_section, 3)
        slips.addWidget(self.returned_section, 2)
        self.slips_row = QWidget()
        self.slips_row.setLayout(slips)
        slips.setContentsMargins(0, 0, 0, 0)
        root.addWidget(self.slips_row, 2)

        body = QHBoxLayout()
        body.setSpacing(16)
        root.addLayout(body, 5)

        # ---- left: the work lists
        left = QVBoxLayout()
        left.setSpacing(6)
        body.addLayout(left, 3)
        left.addWidget(_section_title("超过公开时限仍未公开（条例第二十六条）"))
        self.overdue_view = data_table(self.overdue_model)
        self.overdue_view.setItemDelegateForColumn(0, ElideMiddleDelegate(self.overdue_view))
        self.overdue_view.setToolTip("双击一行打开这条信息")
        self.overdue_stack = QStackedWidget()
        self.overdue_stack.addWidget(self.overdue_view)
        self.overdue_stack.addWidget(_empty_label("没有超过公开时限仍未公开的信息。"))
        left.addWidget(self.overdue_stack, 1)

        takedown_header = QHBoxLayout()
        takedown_header.addWidget(_section_title("应撤下的公示"))
        hint = QLabel("公示期已结束或3天内结束")
        hint.setStyleSheet("color: #777;")
        takedown_header.addWidget(hint, 0, Qt.AlignmentFlag.AlignBottom)
        takedown_header.addStretch(1)
        self.take_down_button = QPushButton("撤下所选…")
        self.take_down_button.setToolTip("在表中选中一条，到现场撤下后点这里登记")
        self.take_down_button.clicked.connect(self._take_down_selected)
        takedown_header.addWidget(self.take_down_button)
        left.addLayout(takedown_header)
        self.takedown_view = data_table(self.takedown_model)
        self.takedown_view.setToolTip("双击一行打开这条信息")
        self.takedown_stack = QStackedWidget()
        self.takedown_stack.addWidget(self.takedown_view)
        self.takedown_stack.addWidget(_empty_label("近期没有需要撤下的公示。"))
        left.addWidget(self.takedown_stack, 1)

        # 实施方案任务 (issue 8 §2): open tasks overdue or due within 15 days
        plan_header = QHBoxLayout()
        plan_header.addWidget(_section_title("实施方案任务"))
        plan_hint = QLabel("已超期或15天内到期")
        plan_hint.setStyleSheet("color: #777;")
        plan_header.addWidget(plan_hint, 0, Qt.AlignmentFlag.AlignBottom)
        plan_header.addStretch(1)
        left.addLayout(plan_header)
        self.plan_model = PlanDueModel(self)
        self.plan_view = data_table(self.plan_model)
        self.plan_view.setToolTip("双击一行打开实施方案中的这项任务")
        self.plan_view.doubleClicked.connect(self._open_plan_row)
        self.plan_stack = QStackedWidget()
        self.plan_stack.addWidget(self.plan_view)
        self.plan_stack.addWidget(_empty_label("实施方案中没有已超期或15天内到期的任务。"))
        left.addWidget(self.plan_stack, 1)

        # ---- right: boards and this year's numbers
        right = QVBoxLayout()
        right.setSpacing(6)
        body.addLayout(right, 2)
        right.addWidget(_section_title("各公开栏"))
        self.board_view = data_table(self.board_model)
        right.addWidget(self.board_view, 1)

        self.year_title = _section_title("今年公开情况")
        right.addWidget(self.year_title)
        self.year_sentence = QLabel()
        self.year_sentence.setWordWrap(True)
        self.year_sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.year_sentence.setStyleSheet("background: #f5f7fa; border-radius: 4px; padding: 8px;")
        right.addWidget(self.year_sentence)
        counts = QHBoxLayout()
        self.channel_view = data_table(self.channel_model)
        self.category_view = data_table(self.category_model)
        counts.addWidget(self.channel_view)
        counts.addWidget(self.category_view)
        right.addLayout(counts, 1)

        for view in (self.overdue_view, self.takedown_view):
            view.doubleClicked.connect(self._open_row)
        self.returned_view.doubleClicked.connect(self._open_returned_row)
        self.queue_view.doubleClicked.connect(self._open_slip_row)
        self.takedown_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # ---- loading ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        ctx = self._ctx
        self._loaded = True
        d = dashboard_ops.dashboard(ctx, ctx.today())
        self.dashboard = d
        today = d.today
        self.date_label.setText(f"{cn_date(today)}　星期{WEEKDAYS[today.weekday()]}")

        notes = []
        if d.calendar_missing_year is not None:
            notes.append(
                f"{d.calendar_missing_year}年节假日安排尚未录入，期限按周一至周五计算。"
                "请在“设置 → 节假日”中录入。"
            )
        if d.spot_check_missing is not None and can(ctx.user, "assessment.manage"):
            y, m = d.spot_check_missing
            notes.append(f"{y}年{m}月的月抽查尚未录入。请在“考核 → 月抽查”中录入，"
                         "或导入检查组填好的记分表。")
        reminder = backups.offsite_copy_reminder(ctx)  # B8: once a month, to a USB stick
        if reminder:
            notes.append(reminder)
        self.banner.setText("\n".join(notes))
        self.banner.setVisible(bool(notes))

        self.card_overdue_unpublished.set_count(d.overdue_unpublished_count)
        self.card_takedowns_due.set_count(d.takedowns_due_count)
        self.card_takedowns_overdue.set_count(d.takedowns_overdue_count)
        self.card_drafts.set_count(d.drafts)
        self.card_pending.set_count(d.pending)
        self.card_pending.setToolTip(
            f"等待领导审批的信息；另有已批准待公开 {d.approved_unpublished} 条"
        )

        self._refresh_slips()
        self.requests_card.set_requests(d)

        self.overdue_model.set_notices(d.overdue_unpublished, ctx.calendar, today)
        self.overdue_stack.setCurrentIndex(0 if d.overdue_unpublished else 1)

        selected = self._selected_posting()
        self.takedown_model.set_postings(d.takedowns_overdue + d.takedowns_due, today=today)
        self.takedown_stack.setCurrentIndex(0 if self.takedown_model.rowCount() else 1)
        if selected is not None:
            self._select_posting(selected.id)

        self.plan_model.set_records(dashboard_ops.plan_tasks_attention(ctx, today))
        self.plan_stack.setCurrentIndex(0 if self.plan_model.rowCount() else 1)

        # Boards with something overdue first; otherwise in 编号 order (the sort is stable).
        self.board_model.set_records(sorted(d.boards, key=lambda s: s.overdue == 0))
        self.year_title.setText(f"今年公开情况（{today.year}年）")
        self.year_sentence.setText(self.year_text(d))
        self.channel_model.set_counts((k, v) for k, v in d.by_channel.items() if v)
        self.category_model.set_counts((k, v) for k, v in d.by_category.items() if v)

        self._fit_columns(self.queue_view, stretch=1)
        self._fit_columns(self.returned_view, stretch=3)
        self._fit_columns(self.overdue_view, stretch=1, caps={0: INDEX_COLUMN_MAX})
        self._fit_columns(self.takedown_view, stretch=1)
        self._fit_columns(self.plan_view, stretch=0)
        self._fit_columns(self.board_view, stretch=0)
        self._fit_columns(self.channel_view, stretch=0)
        self._fit_columns(self.category_view, stretch=0)
        self._update_buttons()

    def _refresh_slips(self) -> None:
        """待我审批 (approvers) and 被退回 (the drafter's own returned slips)."""
        ctx = self._ctx
        user = ctx.user
        approver = can(user, "notice.approve")
        drafter = can(user, "notice.edit") or can(user, "request.manage")
        queue = approvals.my_queue(ctx) if approver else []
        returned = [
            v for v in approvals.open_slips(ctx)
            if v.state.status is SlipStatus.RETURNED and user is not None
            and v.slip.drafter_id == user.id
        ] if drafter else []
        self.queue_model.set_records(queue)
        self.returned_model.set_records(returned)
        self.queue_stack.setCurrentIndex(0 if queue else 1)
        self.returned_stack.setCurrentIndex(0 if returned else 1)
        self.queue_section.setVisible(approver)
        self.returned_section.setVisible(drafter)
        self.slips_row.setVisible(approver or drafter)
        self.card_my_queue.setVisible(approver)
        self.card_returned.setVisible(drafter)
        self.card_my_queue.set_count(len(queue))
        self.card_returned.set_count(len(returned))
        self.card_my_queue.setToolTip("等待您签署意见的审批单（双击下方列表打开）")
        self.card_returned.setToolTip("您提交、被审批人退回修改的审批单")

    @staticmethod
    def year_text(d: Dashboard) -> str:
        """The year's numbers as the annual reports quote them."""
        if d.disclosed_items == 0:
            return "今年还没有已公开的政府信息。"
        parts = [f"{name} {n} 条" for name, n in d.by_channel.items() if n]
        text = f"今年已主动公开政府信息 {d.disclosed_items} 条"
        if parts:
            text += "，其中通过" + "、".join(parts)
        return text + "。"

    @staticmethod
    def _fit_columns(view: QTableView, stretch: int, caps: dict[int, int] | None = None) -> None:
        """Size columns to their contents, one stretching; a capped column (the long 索引号) is
        cut in the middle at its cap so the 标题 keeps the room — the tooltip shows it whole."""
        header = view.horizontalHeader()
        model = view.model()
        for c in range(model.columnCount()):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if c == stretch
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(c, mode)
        for c, cap in (caps or {}).items():
            if c < model.columnCount():
                width = min(max(view.sizeHintForColumn(c), header.sectionSizeHint(c)), cap)
                header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(c, width)

    # ---- actions ------------------------------------------------------------------------------

    def show_requests(self) -> None:
        self.open_requests.emit()  # the main window shows the 依申请公开 page

    def _open_row(self, index: QModelIndex) -> None:
        notice_id = index.siblingAtColumn(0).data(NOTICE_ID_ROLE)
        if notice_id is not None:
            self.open_notice.emit(int(notice_id))

    def _open_plan_row(self, index: QModelIndex) -> None:
        task_id = index.siblingAtColumn(0).data(TASK_ID_ROLE) if index.isValid() else None
        if task_id is not None:
            self.open_plan_task.emit(int(task_id))

    def _open_returned_row(self, index: QModelIndex) -> None:
        """A returned notice opens in 信息登记; a returned letter opens in its editor, where the
        drafter fixes it and submits it again."""
        if not index.isValid():
            return
        view = self.returned_model.record(index.row())
        if view.letter is None:
            self._open_row(index)
            return
        from govdesk.gui.dialogs.letter_dialog import LetterDialog

        letter = view.letter.letter
        if LetterDialog.ask(self, self._ctx, letter.request_id, letter.kind, letter.party):
            self.refresh()

    def _open_slip_row(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        view = self.queue_model.record(index.row())
        self.open_slip(view.id)

    def open_slip(self, slip_id: int) -> None:
        if SlipDialog.show_slip(self, self._ctx, slip_id):
            self.refresh()

    def _selected_posting(self) -> Posting | None:
        rows = self.takedown_view.selectionModel().selectedRows()
        return self.takedown_model.posting(rows[0].row()) if rows else None

    def _select_posting(self, posting_id: int) -> None:
        select_row(self.takedown_view, self.takedown_model.row_of(lambda p: p.id == posting_id))

    def _update_buttons(self, *_: object) -> None:
        allowed = can(self._ctx.user, "posting.manage")
        self.take_down_button.setEnabled(allowed and self._selected_posting() is not None)
        if not allowed:
            self.take_down_button.setToolTip("当前账号没有张贴和撤下的权限")

    def _take_down_selected(self) -> None:
        posting = self._selected_posting()
        if posting is None:
            messages.info(self, "请先在“应撤下的公示”表中选中一条。")
            return
        today = self._ctx.today()
        text = (
            f"确定已把“{posting.notice_title}”从“{posting.board_name}”撤下吗？\n"
            f"撤下日期记为今天（{cn_date(today)}）。"
        )
        if posting.planned_removal is not None and posting.planned_removal > today:
            text += f"\n\n注意：公示期到 {cn_date(posting.planned_removal)} 才结束，现在撤下是提前撤下。"
        if not messages.confirm(self, text, "撤下公示", ok="撤下"):
            return
        if attempt(self, lambda: posting_ops.take_down(self._ctx, posting.id)) is not None:
            self.refresh()
