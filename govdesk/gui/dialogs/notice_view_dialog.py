"""A read-only view of a notice that is no longer a draft: its fields, body and postings."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from govdesk.core.notices import Notice
from govdesk.operations import postings as posting_ops
from govdesk.operations.context import Context


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


class NoticeViewDialog(QDialog):
    def __init__(self, ctx: Context, notice: Notice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"信息详情 — {notice.index_number}")
        self.resize(760, 680)
        self.browser = QTextBrowser()
        self.browser.setHtml(notice_html(ctx, notice))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    @classmethod
    def show_notice(cls, parent: QWidget | None, ctx: Context, notice: Notice) -> None:
        cls(ctx, notice, parent).exec()
