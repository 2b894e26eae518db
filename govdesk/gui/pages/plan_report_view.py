"""落实情况报告 (issue 8 §3): the year-end report on the 实施方案 in seed 000's shape — its title,
成文日期, the three texts the office edits (一、概述, 二、实施措施, 三、存在的主要问题及改进措施; each
says whether it is the saved text or the draft from the year's data and can be drafted again),
and the appendix 任务落实情况表 (工作任务 | 责任单位 | 完成情况) read-only, as it will be printed.

保存 needs "plan.manage" (operations.plan_report.save_plan_report, one transaction); reading and
exporting (Word, or PDF through the preview) need none. What is typed is kept by a DraftKeeper
(B9): autosaved, written at once when a save fails, offered back the next time the same year's
report is opened.

Opened from the 实施方案 page's "落实情况报告…" button as ``PlanReportDialog``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.drafts import draft_key
from govdesk.core.errors import UserError
from govdesk.core.implementation_report import (
    APPENDIX_HEADERS,
    PART_TITLES,
    TEXT_KEYS,
    ImplementationReport,
)
from govdesk.gui import messages, printing_actions, ui_state
from govdesk.gui.background import run_with_progress, worker_context
from govdesk.gui.drafts import DraftKeeper, attempt_save
from govdesk.gui.guard import attempt
from govdesk.gui.pages.annual_report_page import TextSection
from govdesk.operations import plan_report as ops
from govdesk.operations.context import PERMISSION_LABELS, Context, can
from govdesk.operations.work_plan import EDIT

LAST_DIR_KEY = "plan_report"
TAB_LABELS = ("一、概述", "二、实施措施", "三、问题及改进", "附件：任务落实情况表")
PLACEHOLDERS = {
    "overview": "概括本年实施方案的落实情况：任务总数、已完成、推进中、未完成的项数，主要成效。",
    "measures": "按实施方案的板块逐项写落实的措施；以“（一）”开头的行作为二级标题。",
    "problems": "写存在的主要问题（没有完成的任务及其原因）和下一步的改进措施。",
}
_NOTE_STYLE = "color: #8a5a00;"
_OUTCOME_COLOURS = {"未完成": "#b3261e", "已完成": "#1b7a2e"}


def default_file_name(report: ImplementationReport, fmt: str) -> str:
    return f"{report.title}.{fmt}"


class AppendixModel(QStandardItemModel):
    """附件 as printed: a row per section heading (spanning), then its tasks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setHorizontalHeaderLabels(["序号", *APPENDIX_HEADERS])
        self.section_rows: list[int] = []

    def set_report(self, report: ImplementationReport) -> None:
        self.removeRows(0, self.rowCount())
        self.section_rows = []
        for heading, rows in report.appendix:
            item = QStandardItem(heading)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            self.section_rows.append(self.rowCount())
            self.appendRow([item, QStandardItem(), QStandardItem(), QStandardItem()])
            for row in rows:
                cells = [QStandardItem(row.number), QStandardItem(row.text),
                         QStandardItem(row.responsible), QStandardItem(row.outcome)]
                colour = next((c for k, c in _OUTCOME_COLOURS.items()
                               if row.outcome.startswith(k)), None)
                if colour:
                    cells[3].setForeground(QColor(colour))
                self.appendRow(cells)
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                it = self.item(r, c)
                it.setEditable(False)
                it.setToolTip(it.text())


class PlanReportView(QWidget):
    """One year's 落实情况报告 (the year's plan must exist)."""

    def __init__(self, ctx: Context, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year = year
        self.allowed = can(ctx.user, EDIT)
        self.report: ImplementationReport | None = None
        self._base_texts: dict[str, str] = {}
        self._base_date: date | None = None
        self._regenerated: dict[str, str] = {}  # key → the draft put in by 重新生成草稿
        self._loading = False
        self.setWindowTitle(f"{year}年实施方案落实情况报告")

        # ---- bar
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        self.date_edit.setMinimumDate(QDate(year, 1, 1))
        self.date_edit.setToolTip("署名下的成文日期；未保存时按今天的日期")
        self.save_button = QPushButton("保存")
        self.save_button.setToolTip("保存三部分文字和成文日期")
        self.word_button = QPushButton("导出 Word…")
        self.word_button.setToolTip("导出可编辑的 Word 文档（含附件任务落实情况表）")
        self.pdf_button = QPushButton("导出 PDF…")
        self.pdf_button.setToolTip("按 GB/T 9704 版式生成 PDF，先预览，可打印或另存")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("成文日期"))
        bar.addWidget(self.date_edit)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        bar.addSpacing(8)
        bar.addWidget(self.word_button)
        bar.addWidget(self.pdf_button)

        self.title_label = QLabel()
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.35)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.opening_label = QLabel()
        self.opening_label.setWordWrap(True)
        self.opening_label.setStyleSheet("color: #444;")
        self.state_note = QLabel()
        self.state_note.setWordWrap(True)
        self.state_note.setStyleSheet(_NOTE_STYLE)

        # ---- texts and appendix
        self.tabs = QTabWidget()
        self.sections: dict[str, TextSection] = {}
        self.regenerate_buttons: dict[str, QPushButton] = {}
        for i, key in enumerate(TEXT_KEYS):
            section = TextSection(PART_TITLES[i], self.allowed)
            section.editor.setPlaceholderText(PLACEHOLDERS[key])
            button = QPushButton("重新生成草稿")
            button.setToolTip(f"按实施方案各项任务的状态、进展和登记簿数据重新生成“{PART_TITLES[i]}”")
            button.clicked.connect(lambda _=False, k=key: self.regenerate(k))
            section.buttons.addWidget(button)
            self.sections[key] = section
            self.regenerate_buttons[key] = button
            self.tabs.addTab(section, TAB_LABELS[i])
        self.appendix_model = AppendixModel(self)
        self.appendix_view = QTableView()
        self.appendix_view.setModel(self.appendix_model)
        self.appendix_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.appendix_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.appendix_view.setWordWrap(True)
        self.appendix_view.verticalHeader().setVisible(False)
        header = self.appendix_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 180)
        header.resizeSection(3, 220)
        self.appendix_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.appendix_title = QLabel()
        afont = self.appendix_title.font()
        afont.setBold(True)
        self.appendix_title.setFont(afont)
        appendix = QWidget()
        al = QVBoxLayout(appendix)
        al.setContentsMargins(8, 8, 8, 8)
        al.addWidget(self.appendix_title)
        al.addWidget(self.appendix_view, 1)
        hint = QLabel("完成情况按各项任务的状态生成（未完成的写明原因），只能在“实施方案”中修改任务状态。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        al.addWidget(hint)
        self.tabs.addTab(appendix, TAB_LABELS[3])

        root = QVBoxLayout(self)
        root.setContentsMargins(8, 8, 8, 8)
        root.addLayout(bar)
        root.addWidget(self.title_label)
        root.addWidget(self.opening_label)
        root.addWidget(self.state_note)
        self._marker_slot = root.count()
        root.addWidget(self.tabs, 1)

        self._load()
        # B9: the texts and 成文日期 typed here are the draft of this year's report.
        self.drafts = DraftKeeper(
            self, ctx, draft_key("plan_report", year), collect=self._draft_fields,
            apply=self._apply_draft, label=lambda _f: f"{year}年实施方案落实情况报告",
            existing=True, enabled=self.allowed and self.report is not None)
        root.insertWidget(self._marker_slot, self.drafts.marker)
        self.drafts.watch([*(s.editor for s in self.sections.values()), self.date_edit])
        for section in self.sections.values():
            section.editor.textChanged.connect(self._update_state)
        self.date_edit.dateChanged.connect(self._update_state)
        self.save_button.clicked.connect(lambda _=False: self.save())
        self.word_button.clicked.connect(lambda _=False: self.export_docx())
        self.pdf_button.clicked.connect(lambda _=False: self.preview_pdf())
        self._apply_permission()
        self._update_state()

    # ---- loading ------------------------------------------------------------------------------

    def _load(self) -> None:
        report = attempt(self, lambda: ops.build_plan_report(self.ctx, self.year))
        self.report = report
        if report is None:
            self.title_label.setText(f"{self.year}年实施方案落实情况")
            self.tabs.setEnabled(False)
            for b in (self.save_button, self.word_button, self.pdf_button,
                      *self.regenerate_buttons.values()):
                b.setEnabled(False)
            return
        self._loading = True
        self.title_label.setText(report.title)
        self.opening_label.setText(report.opening)
        for key, text in zip(TEXT_KEYS, report.texts, strict=True):
            editor = self.sections[key].editor
            editor.setPlainText(text)
            editor.document().clearUndoRedoStacks()
            self._base_texts[key] = editor.toPlainText()
        self._regenerated = {}
        self._base_date = report.dated
        if report.dated is not None:
            self.date_edit.setDate(QDate(report.dated.year, report.dated.month, report.dated.day))
        self.appendix_title.setText(f"附件　{report.appendix_title}（共{report.task_count}项任务）")
        self.appendix_model.set_report(report)
        self.appendix_view.clearSpans()
        for row in self.appendix_model.section_rows:
            self.appendix_view.setSpan(row, 0, 1, 4)
        self._loading = False

    def _apply_permission(self) -> None:
        if self.allowed or self.report is None:
            return
        why = (f"当前账号只能查看和导出落实情况报告（修改和保存需要“{PERMISSION_LABELS[EDIT]}”权限，"
               "由党政办经办人操作）")
        self.date_edit.setEnabled(False)
        for b in (self.save_button, *self.regenerate_buttons.values()):
            b.setEnabled(False)
            b.setToolTip(why)

    # ---- drafts (B9) --------------------------------------------------------------------------

    def _draft_fields(self) -> dict[str, object]:
        return {"texts": {k: s.text() for k, s in self.sections.items()},
                "date": self._date().isoformat()}

    def _apply_draft(self, fields: dict) -> None:
        for key, text in fields["texts"].items():
            if key in self.sections:
                self.sections[key].replace_text(str(text))
        d = date.fromisoformat(fields["date"])
        self.date_edit.setDate(QDate(d.year, d.month, d.day))

    def offer_draft(self) -> bool:
        restored = self.drafts.offer()
        self._update_state()
        return restored

    # ---- state --------------------------------------------------------------------------------

    def _date(self) -> date:
        d = self.date_edit.date()
        return date(d.year(), d.month(), d.day())

    def _dirty_parts(self) -> dict[str, bool]:
        if self.report is None:
            return {}
        return {**{k: s.text() != self._base_texts.get(k, "") for k, s in self.sections.items()},
                "date": self._base_date is not None and self._date() != self._base_date}

    def is_dirty(self) -> bool:
        return any(self._dirty_parts().values())

    def _update_state(self, *_: object) -> None:
        if self._loading or self.report is None:
            return
        dirty = self._dirty_parts()
        for i, (key, section) in enumerate(self.sections.items()):
            kind = self.report.sources[i]
            extra = "，已重新生成，保存后生效" if key in self._regenerated else ""
            if key in self._regenerated:
                kind = "draft"
            section.set_source(kind, dirty[key], extra)
            self.tabs.setTabText(i, TAB_LABELS[i] + (" *" if dirty[key] else ""))
        notes = []
        if not self.allowed:
            notes.append("当前账号只能查看和导出落实情况报告，修改和保存由党政办经办人操作。")
        if any(dirty.values()):
            notes.append("有未保存的修改，点“保存”后生效。")
        self.state_note.setText("".join(notes))
        self.state_note.setVisible(bool(notes))

    # ---- editing ------------------------------------------------------------------------------

    def regenerate(self, key: str) -> None:
        if self.report is None or not self.allowed:
            return
        title = PART_TITLES[TEXT_KEYS.index(key)]
        if not messages.confirm(self, f"按实施方案各项任务的当前状态、进展和登记簿数据重新生成"
                                      f"“{title}”的草稿？编辑框中现有的文字将被替换"
                                      "（可以撤销），保存后才生效。", ok="重新生成"):
            return
        drafts = attempt(self, lambda: ops.plan_report_drafts(self.ctx, self.year))
        if drafts is None:
            return
        text = drafts[TEXT_KEYS.index(key)]
        self._regenerated[key] = text
        self.sections[key].replace_text(text)
        self._update_state()

    def save(self, *, quiet: bool = False) -> bool:
        """Save the changed texts and the 成文日期 in one operation. On any failure the text
        stays, the form is marked unsaved and the draft is on disk."""
        if self.report is None or not self.allowed:
            return False
        dirty = self._dirty_parts()
        if not any(dirty.values()):
            if not quiet:
                messages.info(self, "没有需要保存的修改。")
            return True
        texts: dict[str, str] = {}
        for key, section in self.sections.items():
            if not dirty[key]:
                continue
            text = section.text()
            draft = self._regenerated.get(key)
            if draft is not None and text.strip() == draft.strip():
                text = ""  # the regenerated draft unchanged: keep following the year's data
            texts[key] = text
        dated = self._date() if dirty["date"] else None
        year = self.year
        saved = attempt_save(self.drafts, lambda: ops.save_plan_report(
            self.ctx, year, dated=dated, **texts))
        if saved is None:
            return False
        self._load()
        self.drafts.saved()
        self._update_state()
        if not quiet:
            messages.info(self, f"{year}年实施方案落实情况报告已保存。")
        return True

    # ---- export -------------------------------------------------------------------------------

    def _saved_first(self) -> bool:
        """Exports print what is saved: offer to save the edits first (an account that cannot
        save exports the saved text)."""
        if not self.is_dirty() or not self.allowed:
            return True
        if not messages.confirm(self, "落实情况报告有未保存的修改。导出前先保存这些修改吗？",
                                ok="保存并导出"):
            return False
        return self.save(quiet=True)

    def export_docx(self) -> Path | None:
        report = self.report
        if report is None or not self._saved_first():
            return None
        folder = ui_state.last_dir(LAST_DIR_KEY)
        name = default_file_name(report, "docx")
        start = str(Path(folder) / name) if folder else name
        chosen, _selected = QFileDialog.getSaveFileName(
            self, f"导出 Word（{self.year}年落实情况报告）", start, "Word 文档 (*.docx)")
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".docx":
            path = path.with_name(path.name + ".docx")
        ctx, year = self.ctx, self.year

        def work() -> bool:
            worker = worker_context(ctx)
            try:
                ops.export_plan_report(worker, year, path)
                return True
            finally:
                worker.db.close()

        try:
            done = run_with_progress(self, "正在导出落实情况报告……", work,
                                     raise_user_errors=True)
        except UserError as exc:
            messages.warn(self, exc.message)
            return None
        if done is None:
            return None
        ui_state.set_last_dir(LAST_DIR_KEY, str(path.parent))
        messages.info(self, f"已导出{year}年实施方案落实情况报告到：\n{path}")
        return path

    def preview_pdf(self) -> None:
        report = self.report
        if report is None or not self._saved_first():
            return
        year = self.year
        printing_actions.preview_job(
            self, self.ctx, f"plan-report-{year}", default_file_name(report, "pdf"),
            "正在生成落实情况报告……", lambda w, path: ops.export_plan_report(w, year, path))


class PlanReportDialog(QDialog):
    """The report in its own window; closing with unsaved edits asks first."""

    def __init__(self, parent: QWidget | None, ctx: Context, year: int) -> None:
        super().__init__(parent)
        self.view = PlanReportView(ctx, year, self)
        self.setWindowTitle(self.view.windowTitle())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.setContentsMargins(8, 0, 8, 8)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.view.windowTitleChanged.connect(self.setWindowTitle)
        self.resize(1000, 720)

    def reject(self) -> None:
        view = self.view
        if view.is_dirty() and not messages.confirm(
                self, "落实情况报告有未保存的修改，关闭后将丢失。确定放弃修改吗？", ok="放弃修改"):
            return
        view.drafts.discard()
        super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: Context, year: int) -> None:
        dialog = cls(parent, ctx, year)
        try:
            dialog.view.offer_draft()
            dialog.exec()
        finally:
            dialog.deleteLater()
