"""One 依申请公开 letter (受理回执, 补正告知书, 延期答复告知书, 第三方意见征询函, 收费通知书,
答复书/告知书) as editable text (issue 6, item 3): generated from the application, its clock and
its outcome (or as the office last saved it), edited word by word, saved, reset to the
generated text, previewed and printed — the print uses the text in the editor, saved or not —
submitted for approval (先审查后发出: every letter but the 受理回执 goes through an approval slip
like a notice; until its saved text is approved it prints only as a 审阅稿 and cannot be
recorded as sent), and, once approved, the day it went out recorded.

Without "request.manage" the letter is shown read-only, with the applicant's name masked, and
cannot be printed (it is addressed to the applicant by name).

What is typed is kept as a draft beside the database (B9, gui.drafts): autosaved while typing,
written at once when 保存 or 提交审批 fails (disk full, I/O error), offered back when the same
letter is opened again."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.approvals import SlipStatus
from govdesk.core.documents import cn_date
from govdesk.core.drafts import draft_key
from govdesk.core.letters import LetterKind, StoredLetter, letter_text
from govdesk.gui import messages, printing_actions
from govdesk.gui.dialogs.request_dialog import OptionalDateEdit
from govdesk.gui.drafts import DraftKeeper, attempt_save
from govdesk.gui.guard import attempt
from govdesk.operations import request_letters as ops
from govdesk.operations.context import Context
from govdesk.operations.requests import get_request

EDITED_NOTE = "这是已保存的文书，打印、审批、发出的都是这一文本。点“恢复生成的文本”可回到按申请办理记录生成的文本。"
GENERATED_NOTE = "这是按申请登记、办理记录和办理结果自动生成的文书，可直接修改后点“保存”。"
READ_ONLY_NOTE = "当前账号没有办理政府信息公开申请的权限，只能查看（申请人姓名已遮盖）。"
SENT_NOTE = "已于{date}发出，文本不能再修改；如需更正，请先清空发出日期并点“登记发出”。"
APPROVAL_COLOURS = {"approved": "#2e7d32", "waiting": "#a15c00", "none": "#b3261e",
                    "free": "#555555"}
FORMAT_HINT = ("格式：第一行为标题，第二行为主送（以“：”结尾）；表格每行以“|”分隔；"
               "倒数第二行为署名，最后一行为成文日期（如2025年11月20日），其后可有一行括号内的附注。")


class LetterDialog(QDialog):
    def __init__(self, ctx: Context, request_id: int, kind: LetterKind,
                 parent: QWidget | None = None, party: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id = request_id
        self.kind = LetterKind(kind)
        self.party = party  # consultation letters: to whom (default: the last one consulted)
        self.request = get_request(ctx, request_id)
        self.allowed = ops.may_edit(ctx)
        self.changed = False  # something was saved while the dialog was open
        self.stored: StoredLetter | None = None
        self._saved_text = ""
        to = f"致{party}，" if party else ""
        self.setWindowTitle(f"{self.kind.value}（{to}申请{self.request.number}）")
        self.resize(860, 720)

        self.note = QLabel()
        self.note.setWordWrap(True)
        self.editor = QPlainTextEdit()
        font = QFont(self.editor.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.5))
        self.editor.setFont(font)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        hint = QLabel(FORMAT_HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")

        self.save_button = QPushButton("保存")
        self.reset_button = QPushButton("恢复生成的文本")
        self.print_button = QPushButton("预览/打印…")
        self.print_button.setToolTip("按编辑框中的文本生成PDF（GB/T 9704格式），预览后打印")
        self.close_button = QPushButton("关闭")
        self.approval_label = QLabel()
        self.approval_label.setWordWrap(True)
        self.submit_button = QPushButton("提交审批")
        self.submit_button.setToolTip("保存编辑框中的文本并提交审批（先审查后发出）")
        self.slip_button = QPushButton("审批单…")
        self.slip_button.setToolTip("查看审批单：各环节意见、打印纸质审批单")
        self.sent_edit = OptionalDateEdit(latest=ctx.today())
        self.sent_edit.setToolTip("文书寄出或送达申请人的日期；清空后点“登记发出”可撤销")
        self.sent_button = QPushButton("登记发出")
        if not self.allowed:
            for b in (self.save_button, self.reset_button, self.print_button, self.sent_button,
                      self.submit_button):
                b.setToolTip("当前账号没有办理政府信息公开申请的权限")

        approval_row = QHBoxLayout()
        approval_row.addWidget(QLabel("审批："))
        approval_row.addWidget(self.approval_label, 1)
        approval_row.addWidget(self.submit_button)
        approval_row.addWidget(self.slip_button)

        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reset_button)
        buttons.addSpacing(16)
        buttons.addWidget(QLabel("发出日期："))
        buttons.addWidget(self.sent_edit)
        buttons.addWidget(self.sent_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(approval_row)
        layout.addWidget(self.editor, 1)
        layout.addWidget(hint)
        marker_slot = layout.count()
        layout.addLayout(buttons)

        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.reset_button.clicked.connect(lambda _checked=False: self.reset_to_generated())
        self.print_button.clicked.connect(lambda _checked=False: self.preview())
        self.sent_button.clicked.connect(lambda _checked=False: self.record_sent())
        self.submit_button.clicked.connect(lambda _checked=False: self.submit())
        self.slip_button.clicked.connect(lambda _checked=False: self.open_slip())
        self.close_button.clicked.connect(self.reject)
        self.editor.textChanged.connect(self._update_state)
        self.drafts: DraftKeeper | None = None
        self.load()
        self.drafts = DraftKeeper(
            self, ctx, draft_key("letter", request_id, self.kind.name.lower(),
                                 *([party] if party else [])),
            collect=lambda: {"text": self.text()}, apply=self._apply_draft,
            label=lambda _f: f"{self.kind.value}（{to}申请{self.request.number}）",
            existing=True, enabled=self.allowed and not self.sent)
        layout.insertWidget(marker_slot, self.drafts.marker)
        self.drafts.watch([self.editor])

    # ---- state --------------------------------------------------------------------------------

    def load(self) -> None:
        """The letter as it stands: the saved text, or the generated one. Raises UserError
        when there is no saved text and the letter cannot be generated yet."""
        self.stored = ops.stored_letter(self.ctx, self.request_id, self.kind, self.party)
        if self.stored is not None:
            text = self.stored.text
        else:
            text = letter_text(ops.generated_letter(self.ctx, self.request_id, self.kind,
                                                    self.party))
        self._saved_text = text
        self.approval = ops.letter_approval(self.ctx, self.request_id, self.kind, self.party)
        self.editor.setPlainText(text)
        self.sent_edit.set_value(self.stored.sent_on if self.stored else None)
        self._update_state()
        if self.drafts is not None:  # the editor shows the saved letter again
            self.drafts.enabled = self.allowed and not self.sent
            self.drafts.saved()

    def _apply_draft(self, fields: dict) -> None:
        self.editor.setPlainText(str(fields["text"]))

    @property
    def edited(self) -> bool:
        return self.stored is not None

    @property
    def sent(self) -> bool:
        return self.stored is not None and self.stored.sent_on is not None

    def text(self) -> str:
        return self.editor.toPlainText()

    def is_dirty(self) -> bool:
        return self.text() != self._saved_text

    def _update_state(self, *_: object) -> None:
        if not self.allowed:
            note = READ_ONLY_NOTE
        elif self.sent:
            assert self.stored is not None and self.stored.sent_on is not None
            note = SENT_NOTE.format(date=cn_date(self.stored.sent_on))
        else:
            note = EDITED_NOTE if self.edited else GENERATED_NOTE
        if self.is_dirty():
            note += "　（有未保存的修改）"
        self.note.setText(note)
        self.note.setStyleSheet(
            "background: %s; border-radius: 4px; padding: 6px 8px;"
            % ("#fff4dc" if self.edited else "#eef3f8"))
        editable = self.allowed and not self.sent
        self.editor.setReadOnly(not editable)
        self.save_button.setEnabled(editable)
        self.reset_button.setEnabled(editable and (self.edited or self.is_dirty()))
        self.print_button.setEnabled(self.allowed)
        approval = self.approval
        # What the editor shows is what was approved only while it is unchanged.
        cleared = approval.approved and not self.is_dirty()
        self.print_button.setText("预览/打印…" if cleared else "预览/打印审阅稿…")
        self.print_button.setToolTip(
            "按编辑框中的文本生成PDF（GB/T 9704格式），预览后打印" if cleared else
            "未经审批的文书只能打印审阅稿（每页注明“审阅稿（未经审批，不得发出）”），"
            "供审阅、纸质签批用")
        self._show_approval()
        self.submit_button.setVisible(approval.needs_approval)
        self.slip_button.setVisible(approval.slip is not None)
        waiting = approval.slip is not None and approval.slip.state.status in (
            SlipStatus.IN_REVIEW, SlipStatus.APPROVED) and not self.is_dirty() \
            and approval.slip.state.content_hash == approval.content_hash
        self.submit_button.setEnabled(editable and approval.needs_approval and not waiting)
        self.sent_edit.setEnabled(self.allowed and self.edited and (cleared or self.sent))
        self.sent_button.setEnabled(self.allowed and self.edited and not self.is_dirty()
                                    and (approval.approved or self.sent))
        if self.allowed:  # (without the permission the tooltip says so, set once)
            tip = ""
            if not self.edited:
                tip = ("请先保存文书" + ("并提交审批，审批通过后" if approval.needs_approval
                                      else "，") + "再登记发出日期")
            elif not approval.approved and not self.sent:
                tip = approval.problem
            self.sent_button.setToolTip(tip)

    def _show_approval(self) -> None:
        approval = self.approval
        if not approval.needs_approval:
            text, tone = "受理回执无需审批，可直接打印、发出", "free"
        elif approval.approved:
            text, tone = approval.status_text, "approved"
            if self.is_dirty():
                text += "；编辑框中的修改保存后须重新审批"
                tone = "waiting"
        elif approval.slip is not None and approval.slip.state.status is SlipStatus.IN_REVIEW:
            text, tone = approval.status_text, "waiting"
        else:
            text = approval.status_text + "（先审查后发出：审批通过后才能打印正式文书、登记发出）"
            tone = "none"
        self.approval_label.setText(text)
        self.approval_label.setStyleSheet(f"color: {APPROVAL_COLOURS[tone]}; font-weight: bold;")

    # ---- actions ------------------------------------------------------------------------------

    def save(self) -> bool:
        """Keep the editor's text; a text that does not read as a letter is refused with the
        reason and stays in the editor."""
        text = self.text()
        assert self.drafts is not None
        if attempt_save(self.drafts, lambda: ops.save_letter(
                self.ctx, self.request_id, self.kind, text, self.party)) is None:
            return False
        self.changed = True
        self.load()
        messages.info(self, f"{self.kind.value}已保存。")
        return True

    def reset_to_generated(self) -> None:
        if not messages.confirm(self, "恢复为按申请办理记录生成的文本？办公室修改过的内容将被丢弃。",
                                ok="恢复"):
            return
        if self.edited:
            if attempt(self, lambda: ops.discard_letter(self.ctx, self.request_id,
                                                        self.kind, self.party)) is None:
                return
            self.changed = True
        attempt(self, self.load)

    def preview(self) -> None:
        text = self.text()
        request_id, kind, party = self.request_id, self.kind, self.party
        number = self.request.number.replace("〔", "").replace("〕", "-")
        printing_actions.preview_job(
            self, self.ctx, f"letter-{request_id}-{kind.name.lower()}",
            f"{kind.value}-{number}.pdf", f"正在生成{kind.value}……",
            lambda w, path: ops.print_letter(w, request_id, kind, path, text=text, party=party))

    def submit(self) -> None:
        """提交审批: saves the editor's text first (a changed text is a new version)."""
        text = self.text()
        assert self.drafts is not None
        view = attempt_save(self.drafts, lambda: ops.submit_letter(
            self.ctx, self.request_id, self.kind, text, self.party))
        if view is None:
            return
        self.changed = True
        self.load()
        step = view.current_stage
        messages.info(self, f"已提交审批：审批单 {view.number}"
                            + (f"，下一步：{step.value}。" if step is not None else "。"))

    def open_slip(self) -> None:
        slip = self.approval.slip
        if slip is None:
            return
        from govdesk.gui.dialogs.slip_dialog import SlipDialog

        if SlipDialog.show_slip(self, self.ctx, slip.id):
            self.changed = True
        # Keep what is being typed: only the approval state is read again.
        self.approval = ops.letter_approval(self.ctx, self.request_id, self.kind, self.party)
        self._update_state()

    def record_sent(self) -> None:
        stored = self.stored
        if stored is None:
            return
        on = self.sent_edit.value()
        if attempt(self, lambda: ops.mark_sent(self.ctx, stored.id, on)) is None:
            return
        self.changed = True
        self.load()

    def _may_close(self) -> bool:
        if self.is_dirty() and not messages.confirm(
                self, "文书有未保存的修改，关闭后这些修改将丢失。确定关闭吗？", ok="放弃修改并关闭"):
            return False
        if self.drafts is not None:
            self.drafts.discard()
        return True

    def reject(self) -> None:
        # Esc, 关闭 and the window's close box all come here.
        if self._may_close():
            super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, request_id: int,
            kind: LetterKind, party: str = "") -> bool:
        """Open the letter; True if its saved text or sending date changed. A letter that
        cannot be drafted yet (e.g. its fact is not recorded) is a message, not a dialog."""
        # Checked before any widget exists: a dialog that fails half-built leaves Qt objects
        # to the garbage collector.
        if attempt(parent, lambda: ops.draft_letter(ctx, request_id, kind, party)) is None:
            return False
        dialog = attempt(parent, lambda: cls(ctx, request_id, kind, parent, party))
        if dialog is None:
            return False
        if dialog.drafts is not None:
            dialog.drafts.offer()
        dialog.exec()
        return dialog.changed
