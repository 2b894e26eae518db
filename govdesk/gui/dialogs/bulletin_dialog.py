"""The quarter's 通报 editor (issue 5, item 7): the whole text as generated from the results
(or as the office last saved it), editable word by word, saved back, reset to the generated
text, and previewed/printed with the ranking and trend charts — the print uses the text in the
editor, saved or not, so a draft can be looked at before it is kept.

What is typed is also kept as a draft file beside the database (B9, gui.drafts): autosaved
while typing, written at once when 保存修改 fails (disk full, I/O error), offered back when the
same quarter's 通报 is opened again."""

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

from govdesk.core.bulletin import bulletin_text, quarter_label
from govdesk.core.drafts import draft_key
from govdesk.gui import messages, printing_actions
from govdesk.gui.drafts import DraftKeeper, attempt_save
from govdesk.gui.guard import attempt
from govdesk.operations import scoring
from govdesk.operations.context import Context, can

EDITED_NOTE = "这是办公室修改过的通报文本（已保存）。点“恢复生成的文本”可回到按考核结果生成的文本。"
GENERATED_NOTE = "这是按考核结果自动生成的通报文本，可直接修改后点“保存修改”。"
READ_ONLY_NOTE = "当前账号没有修改通报的权限，只能查看和打印。"


class BulletinDialog(QDialog):
    def __init__(self, ctx: Context, year: int, quarter: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year = year
        self.quarter = quarter
        self.period = quarter_label(year, quarter)
        self.changed = False  # the saved text changed while the dialog was open
        self.allowed = can(ctx.user, scoring.PERMISSION)
        self.setWindowTitle(f"{self.period}考核通报")
        self.resize(860, 700)

        self.note = QLabel()
        self.note.setWordWrap(True)
        self.editor = QPlainTextEdit()
        font = QFont(self.editor.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.5))
        self.editor.setFont(font)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setReadOnly(not self.allowed)
        hint = QLabel("格式：第一行为标题；“一、”开头的行为一级标题；表格每行以“|”分隔；"
                      "倒数第二行为署名，最后一行为成文日期（如2025年11月20日）。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")

        self.save_button = QPushButton("保存修改")
        self.reset_button = QPushButton("恢复生成的文本")
        self.print_button = QPushButton("预览/打印…")
        self.close_button = QPushButton("关闭")
        for b in (self.save_button, self.reset_button):
            b.setEnabled(self.allowed)
            if not self.allowed:
                b.setToolTip("当前账号没有修改通报的权限")
        self.print_button.setToolTip("按编辑框中的文本（含排名图和趋势图）生成PDF，预览后打印")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.editor, 1)
        layout.addWidget(hint)
        marker_slot = layout.count()
        layout.addLayout(buttons)

        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset_to_generated)
        self.print_button.clicked.connect(self.preview)
        self.close_button.clicked.connect(self.reject)
        self.editor.modificationChanged.connect(self._update_state)
        self._saved_text = ""
        self.edited = False
        self.drafts: DraftKeeper | None = None
        self.load()
        self.drafts = DraftKeeper(
            self, ctx, draft_key("bulletin", f"{year}Q{quarter}"),
            collect=lambda: {"text": self.text()},
            apply=self._apply_draft,
            label=lambda _f: f"{self.period}考核通报", existing=True, enabled=self.allowed)
        layout.insertWidget(marker_slot, self.drafts.marker)
        self.drafts.watch([self.editor])

    # ---- state --------------------------------------------------------------------------------

    def load(self) -> None:
        """The 通报 as it stands: the saved edited text, or the generated one."""
        bulletin, edited = scoring.bulletin_for(self.ctx, self.year, self.quarter)
        self.edited = edited
        self._saved_text = bulletin_text(bulletin)
        self.editor.setPlainText(self._saved_text)
        self.editor.document().setModified(False)
        self._update_state()
        if self.drafts is not None:  # the editor shows the saved 通报 again
            self.drafts.saved()

    def _apply_draft(self, fields: dict) -> None:
        self.editor.setPlainText(str(fields["text"]))
        self.editor.document().setModified(True)
        self._update_state()

    def text(self) -> str:
        return self.editor.toPlainText()

    def is_dirty(self) -> bool:
        return self.text() != self._saved_text

    def _update_state(self, *_: object) -> None:
        note = EDITED_NOTE if self.edited else GENERATED_NOTE
        if not self.allowed:
            note += READ_ONLY_NOTE
        if self.is_dirty():
            note += "　（有未保存的修改）"
        self.note.setText(note)
        self.note.setStyleSheet(
            "background: %s; border-radius: 4px; padding: 6px 8px;"
            % ("#fff4dc" if self.edited else "#eef3f8"))
        self.reset_button.setEnabled(self.allowed and (self.edited or self.is_dirty()))

    # ---- actions ------------------------------------------------------------------------------

    def save(self) -> bool:
        """Keep the editor's text; a text that does not parse is refused with a message and
        stays in the editor."""
        text = self.text()
        assert self.drafts is not None
        if attempt_save(self.drafts, lambda: scoring.save_bulletin_text(
                self.ctx, self.year, self.quarter, text) or True) is None:
            return False
        self.changed = True
        self.load()
        # The operation stores None for a text identical to the generated one.
        messages.info(self, "通报修改已保存。" if self.edited
                      else "文本与自动生成的一致，已按生成的文本保存。")
        return True

    def reset_to_generated(self) -> None:
        if not messages.confirm(self, "恢复为按考核结果生成的通报文本？办公室修改过的内容将被丢弃。",
                                ok="恢复"):
            return
        if attempt(self, lambda: scoring.save_bulletin_text(
                self.ctx, self.year, self.quarter, None) or True) is None:
            return
        self.changed = True
        self.load()

    def preview(self) -> None:
        text = self.text()
        year, quarter = self.year, self.quarter
        printing_actions.preview_job(
            self, self.ctx, f"bulletin-{year}Q{quarter}", f"{self.period}考核通报.pdf",
            "正在生成通报……",
            lambda w, path: scoring.print_bulletin(w, year, quarter, path, text=text))

    def _may_close(self) -> bool:
        if self.is_dirty() and not messages.confirm(
                self, "通报有未保存的修改，关闭后这些修改将丢失。确定关闭吗？", ok="放弃修改并关闭"):
            return False
        if self.drafts is not None:
            self.drafts.discard()
        return True

    def reject(self) -> None:
        # Esc, 关闭 and the window's close box all come here (QDialog.closeEvent calls reject
        # and keeps the window open if it is still visible).
        if self._may_close():
            super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, year: int, quarter: int) -> bool:
        """Open the editor; True if the saved 通报 text changed. A quarter without checks is a
        message, not a dialog."""
        dialog = attempt(parent, lambda: cls(ctx, year, quarter, parent))
        if dialog is None:
            return False
        if dialog.drafts is not None:
            dialog.drafts.offer()
        dialog.exec()
        return dialog.changed
