"""A read-only view of a notice that is no longer a draft: its fields, body and postings; for a
notice still under review or approved but not yet published, a 修改… button leads to the editor
(the edit voids the slip and the new version is approved again: operations.notices.save_content).
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from govdesk.core.notices import EDITABLE_STATUSES, Notice, NoticeStatus
from govdesk.gui import messages
from govdesk.operations import postings as posting_ops
from govdesk.operations.context import Context, can


def notice_html(ctx: Context, n: Notice) -> str:
    rows = [
        ("索引号", n.index_number), ("文号", n.doc_number or "—"), ("类别", n.category),
        ("公开属性", n.disclosure.value + (f"（{n.withhold_ground}）" if n.withhold_ground else "")),
        ("责任单位", n.owner), ("信息形成（变更）日期", f"{n.formed_on:%Y-%m-%d}"),
        ("公开时限", f"{n.publish_due:%Y-%m-%d}"), ("公开方式", "、".join(n.channels) or "—"),
        ("公示期", n.period.describe(ctx.calendar) if n.period else "—"),
        ("状态", n.status.value + (f"（{n.published_on:%Y-%m-%d} 公开）" if n.published_on else "")),
        ("附注", n.note or "—"),
    ]
    table = "".join(f"<tr><th align='right'>{escape(k)}：</th><td>{escape(v)}</td></tr>"
                    for k, v in rows)
    body = "".join(f"<p>{escape(line)}</p>" for line in n.body.splitlines() if line.strip())
    postings = posting_ops.postings_of_notice(ctx, n.id)
    plist = "".join(
        f"<li>{escape(p.board_name)}：{p.posted_on:%Y-%m-%d} 张贴"
        + (f"，计划 {p.planned_removal:%Y-%m-%d} 撤下" if p.planned_removal else "")
        + (f"，{p.removed_on:%Y-%m-%d} 已撤下" if p.removed_on else "，仍在栏")
        + "</li>"
        for p in postings
    ) or "<li>未张贴</li>"
    return (f"<h2>{escape(n.title)}</h2><table cellspacing='4'>{table}</table>"
            f"<h3>正文</h3>{body or '<p>（无）</p>'}<h3>张贴记录</h3><ul>{plist}</ul>")


def may_edit(ctx: Context, notice: Notice) -> bool:
    """Under review or approved, not yet published, and the user may edit notices."""
    return notice.status in EDITABLE_STATUSES and notice.status is not NoticeStatus.DRAFT \
        and can(ctx.user, "notice.edit")


def edit_warning(notice: Notice) -> str:
    state = "已审批通过" if notice.status is NoticeStatus.APPROVED else "正在审批"
    return (f"“{notice.title}”{state}。修改内容后，原审批单作废（留档备查），"
            "修改后的内容要重新提交审批，审批通过后才能打印张贴。确定要修改吗？")


class NoticeViewDialog(QDialog):
    """``exec()`` returns ``EDIT`` when the user chose 修改… and confirmed it."""

    EDIT = 2

    def __init__(self, ctx: Context, notice: Notice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notice = notice
        self.setWindowTitle(f"信息详情 — {notice.index_number}")
        self.resize(760, 680)
        self.browser = QTextBrowser()
        self.browser.setHtml(notice_html(ctx, notice))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        self.edit_button = None
        if may_edit(ctx, notice):
            self.edit_button = buttons.addButton("修改…", QDialogButtonBox.ButtonRole.ActionRole)
            self.edit_button.setToolTip("修改后原审批单作废，需要重新审批")
            self.edit_button.clicked.connect(self.ask_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    def ask_edit(self) -> None:
        if messages.confirm(self, edit_warning(self._notice), "修改信息", ok="修改"):
            self.done(self.EDIT)

    @classmethod
    def show_notice(cls, parent: QWidget | None, ctx: Context, notice: Notice) -> bool:
        """Show the notice; True when the user chose to edit it."""
        return cls(ctx, notice, parent).exec() == cls.EDIT
