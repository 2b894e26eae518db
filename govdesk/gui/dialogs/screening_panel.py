"""保密审查辅助: what the screening found in a notice under review (身份证号, 手机号, 银行卡号, 密级
标志, 敏感词), shown masked, with 一键遮盖 and 放行 for the 保密审查 step.

The panel sits in the 审批单 dialog. It is interactive only while the slip waits for 保密审查;
elsewhere it is a read-only list. Numbers are never shown in full (screening.shown).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.approvals import SlipStatus, Stage
from govdesk.gui import guard, messages
from govdesk.gui.models.org_models import Column, RecordTableModel
from govdesk.gui.widgets import data_table
from govdesk.operations import screening
from govdesk.operations.context import Context, can
from govdesk.operations.screening import ScreenedFinding

_PENDING = QColor("#b3261e")
_PASSED = QColor("#2e7d32")
# Kinds that carry a check digit (GB 11643 MOD 11-2, Luhn): the 校验 column says whether it fits.
_CHECKED_KINDS = {"身份证号", "银行卡号"}
COMMON_PASS_REASONS = (
    "号码为单位办公电话，依法应当公开",
    "公示对象的身份信息依法须公示，已核实无误",
    "经核实为示例号码，不指向真实个人",
)


def _validity(s: ScreenedFinding) -> str:
    f = s.finding
    if f.kind.value not in _CHECKED_KINDS:
        return "—"
    return "校验位正确" if f.valid else "校验位不符，疑似录入错误"


def _status(s: ScreenedFinding) -> str:
    return f"已放行（{s.passed_reason}）" if s.resolved else "待处理"


class FindingTableModel(RecordTableModel):
    columns = (
        Column("类型", lambda s: s.finding.kind.value),
        Column("位置", lambda s: f"{s.finding.field}第{s.finding.start + 1}个字起"),
        Column("内容（遮挡显示）", lambda s: screening.shown(s.finding)),
        Column("校验", _validity),
        Column("状态", _status),
    )

    def record(self, row: int) -> ScreenedFinding:
        return self._records[row]

    def foreground(self, record: Any) -> QColor | None:
        return _PASSED if record.resolved else _PENDING

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.ToolTipRole and index.isValid()
                and 0 <= index.row() < len(self._records)):
            s = self._records[index.row()]
            text = s.describe()
            if s.resolved:
                text += f"\n已由{s.passed_by}放行，理由：{s.passed_reason}"
            return text
        return super().data(index, role)


def ask_pass_reason(parent: QWidget | None, finding: ScreenedFinding) -> str | None:
    """The reason for letting ``finding`` through unmasked, or None if cancelled (tests patch
    this)."""
    text, ok = QInputDialog.getItem(
        parent, "放行（不遮盖）",
        f"{finding.describe()}\n\n不遮盖而放行须填写理由（将印在审批单的保密审查栏）：",
        list(COMMON_PASS_REASONS), -1, True)
    return text if ok else None


class ScreeningPanel(QGroupBox):
    masked = Signal(int)  # notice id: its content is a new version now
    passed = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__("保密审查辅助：个人信息和密级筛查", parent)
        self._ctx = ctx
        self._view = None
        self._may_pass = False
        self._may_mask = False
        self.model = FindingTableModel(self)
        self.table = data_table(self.model)
        self.table.setMinimumHeight(90)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.mask_button = QPushButton("一键遮盖…")
        self.mask_button.setToolTip(
            "遮盖选中的个人信息；未选中时遮盖全部身份证号、手机号、银行卡号。"
            "遮盖后形成新版本，须重新审批")
        self.pass_button = QPushButton("放行…")
        self.pass_button.setToolTip("不遮盖，填写理由后放行选中的一项（仅保密审查人）")
        self.mask_button.clicked.connect(lambda _=False: self.mask())
        self.pass_button.clicked.connect(lambda _=False: self.pass_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary_label, 1)
        buttons.addWidget(self.mask_button)
        buttons.addWidget(self.pass_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    # ---- state -------------------------------------------------------------------------------

    def set_slip(self, view, *, holder: bool) -> None:
        """Show the findings for ``view``'s notice. ``holder``: the signed-in user may decide
        the current step (only the 保密审查 holder may 放行)."""
        self._view = view
        at_secrecy = (view.state.status is SlipStatus.IN_REVIEW
                      and view.current_stage is Stage.SECRECY)
        self._may_pass = at_secrecy and holder
        self._may_mask = at_secrecy and can(self._ctx.user, "screening.mask")
        found = guard.attempt(self, lambda: screening.screen_notice(self._ctx, view.notice.id))
        self.model.set_records(found or [])
        pending = self.unresolved_count()
        if not self.model.rowCount():
            self.summary_label.setText("未发现身份证号、手机号、银行卡号、密级标志或敏感词。")
            self.summary_label.setStyleSheet("color: #2e7d32;")
        else:
            text = f"发现 {self.model.rowCount()} 处"
            text += f"，其中 {pending} 处待处理" if pending else "，均已放行"
            if at_secrecy and pending:
                text += "：请遮盖，或由保密审查人填写理由放行"
            elif not at_secrecy:
                text += "（仅在保密审查环节处理）"
            self.summary_label.setText(text)
            self.summary_label.setStyleSheet("color: #b3261e;" if pending else "color: #2e7d32;")
        self._update_buttons()

    def unresolved_count(self) -> int:
        return sum(1 for s in self.model.records() if not s.resolved)

    def selected(self) -> ScreenedFinding | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _maskable(self) -> list[ScreenedFinding]:
        chosen = self.selected()
        if chosen is not None:
            return [chosen] if chosen.maskable else []
        return [s for s in self.model.records() if s.maskable]

    def _update_buttons(self) -> None:
        self.mask_button.setVisible(self._may_mask)
        self.pass_button.setVisible(self._may_pass)
        self.mask_button.setEnabled(self._may_mask and bool(self._maskable()))
        chosen = self.selected()
        self.pass_button.setEnabled(self._may_pass and chosen is not None and not chosen.resolved)

    # ---- actions -----------------------------------------------------------------------------

    def mask(self) -> None:
        view = self._view
        targets = self._maskable()
        if view is None or not targets:
            return
        examples = "、".join(f"{s.finding.kind.value}“{screening.shown(s.finding)}”"
                            for s in targets[:3])
        more = f"等 {len(targets)} 处" if len(targets) > 3 else f"共 {len(targets)} 处"
        text = (f"将按本办规则遮盖{examples}{more}。\n\n"
                "遮盖会修改信息内容，形成新版本：当前审批单作废（留档），"
                "新版本从第一个审批环节重新审批，并再次经过保密审查。\n\n确定遮盖吗？")
        if not messages.confirm(self, text, "一键遮盖", ok="遮盖"):
            return
        chosen = self.selected()
        fingerprints = [chosen.finding.fingerprint] if chosen is not None else None
        notice_id = view.notice.id
        done = guard.attempt(
            self, lambda: screening.mask_findings(self._ctx, notice_id, fingerprints))
        if done is not None:
            self.masked.emit(notice_id)

    def pass_selected(self) -> None:
        view = self._view
        chosen = self.selected()
        if view is None or chosen is None or chosen.resolved:
            return
        reason = ask_pass_reason(self, chosen)
        if reason is None:
            return
        done = guard.attempt(self, lambda: screening.pass_finding(
            self._ctx, view.id, chosen.finding.fingerprint, reason))
        if done is not None:
            self.passed.emit()
