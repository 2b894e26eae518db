"""The 落实情况 report of the work plan (issue 8 §3) as files: a GB/T 9704 PDF and an editable
docx. core.implementation_report builds the content; this module lays it out with the machinery
the other documents use — nothing is drawn here that exists elsewhere:

* PDF: the text (title 2号 小标宋, the opening, 一、二、三 in 黑体, （一） in 楷体, 3号 仿宋 on the
  22 × 28 grid, 附件说明, 署名 and 成文日期 kept with the last lines) is a
  :class:`~govdesk.core.documents.NoticeDocument` through :func:`notice_story`, as the 年报's;
  the appendix starts on a new page (7.3.7: "附件" in 3号黑体 on the first line, its title centred
  on the third) with plan_docs' task table (工作任务 | 责任单位 | 完成情况, 4号, header repeated,
  sections as full-width rows).
* docx: the 年报 docx's page setup, faces, paragraphs and closing, and plan_docs' docx table.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from types import SimpleNamespace

from reportlab.platypus import Flowable, PageBreak
from reportlab.platypus.doctemplate import LayoutError

from govdesk.core.documents import NoticeDocument
from govdesk.core.errors import UserError
from govdesk.core.implementation_report import (
    APPENDIX_HEADERS,
    PART_TITLES,
    ImplementationReport,
)
from govdesk.core.notices import BodyBlock, Heading, Paragraph
from govdesk.core.work_plan import PlanDocument, PlanDocumentSection, PlanRow
from govdesk.export.annual_report_pdf import section_blocks
from govdesk.export.fonts import ResolvedFont, resolve_fonts
from govdesk.export.gbt9704 import (
    BODY_WIDTH,
    LINE_PITCH,
    SIZE_2,
    SIZE_3,
    GBT9704DocTemplate,
    GridLines,
    SnapToGrid,
    balanced_lines,
    fontify,
    layout_text,
)
from govdesk.export.notice_pdf import Faces, notice_story
from govdesk.export.pdf_write import write_atomically
from govdesk.export.plan_docs import docx_task_table, task_table

__all__ = [
    "appendix_document",
    "plan_report_docx",
    "plan_report_docx_bytes",
    "plan_report_pdf",
    "plan_report_pdf_bytes",
    "report_document",
]

SUBJECT = "政务公开工作实施方案落实情况"


def appendix_label(report: ImplementationReport) -> str:
    return f"附件：{report.appendix_title}"


def report_document(report: ImplementationReport) -> NoticeDocument:
    """The text of the report (without the appendix) as a NoticeDocument."""
    if report.dated is None:
        raise UserError("请先填写落实情况报告的成文日期，再打印。", field="成文日期")
    blocks: list[BodyBlock] = [Paragraph(report.opening)]
    for title, text in zip(PART_TITLES, report.texts, strict=True):
        blocks.append(Heading(1, title))
        blocks += section_blocks(text)
    if report.task_count:
        blocks.append(Paragraph(appendix_label(report)))  # 7.3.4 附件说明
    return NoticeDocument(index_number="", title=report.title, blocks=tuple(blocks),
                          issuer=report.issuer, dated=report.dated)


def appendix_document(report: ImplementationReport) -> PlanDocument:
    """The appendix table in the shape plan_docs draws: 完成情况 in the third column."""
    sections = tuple(
        PlanDocumentSection(heading, heading.split("、", 1)[-1], tuple(
            PlanRow(r.number, r.text, r.responsible, r.outcome, r.outcome) for r in rows))
        for heading, rows in report.appendix)
    return PlanDocument(report.year, report.appendix_title, (), sections,
                        headers=APPENDIX_HEADERS, state_header="完成情况")


# ---- PDF ------------------------------------------------------------------------------------------


def _appendix_story(report: ImplementationReport, fonts: Mapping[str, ResolvedFont]
                    ) -> list[Flowable]:
    faces = Faces(fonts)
    label = layout_text(fontify("附件", faces.chain(faces.hei)), SIZE_3, BODY_WIDTH,
                        align="left", char_space=0.0)
    title = balanced_lines(report.appendix_title, faces.chain(faces.title), SIZE_2, BODY_WIDTH)
    # 7.3.7: "附件" on the first line, the title centred on the third, a blank line under it
    return [PageBreak(), GridLines([*label, None, *title, None], LINE_PITCH),
            task_table(appendix_document(report), faces, LINE_PITCH), SnapToGrid(LINE_PITCH)]


def plan_report_pdf_bytes(report: ImplementationReport, *,
                          fonts: Mapping[str, ResolvedFont] | None = None,
                          invariant: bool = False) -> tuple[bytes, int]:
    """The report as a PDF in memory, and its number of pages."""
    fonts = resolve_fonts() if fonts is None else fonts
    story = notice_story(report_document(report), fonts)
    if report.task_count:
        story += _appendix_story(report, fonts)
    buf = io.BytesIO()
    template = GBT9704DocTemplate(
        buf, page_number_font=fonts["page_number"].name, footer_font=fonts["body"].name,
        invariant=invariant, title=report.title, author=report.issuer, subject=SUBJECT)
    try:
        template.build(story)
    except LayoutError as exc:
        raise UserError(f"“{report.title}”无法排版：有内容比一整页还长，请拆分后重试。") from exc
    return buf.getvalue(), int(template.page)


def plan_report_pdf(report: ImplementationReport, path: str | os.PathLike[str], *,
                    fonts: Mapping[str, ResolvedFont] | None = None,
                    invariant: bool = False) -> int:
    """Print ``report`` to ``path`` (atomically); the number of pages."""
    data, pages = plan_report_pdf_bytes(report, fonts=fonts, invariant=invariant)
    write_atomically(path, lambda fh: fh.write(data), action="导出")
    return pages


# ---- docx -----------------------------------------------------------------------------------------


def _docx_document(report: ImplementationReport):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    from govdesk.export import annual_report_docx as ar

    meta = SimpleNamespace(title=report.title, organ=report.issuer, dated=report.dated)
    document = Document()
    ar.setup_document(document, meta)
    document.core_properties.subject = SUBJECT

    def title(text: str) -> None:
        for line in ar.title_lines(text, report.issuer):
            p = document.add_paragraph()
            ar.body_format(p, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
            p.paragraph_format.line_spacing = Pt(36)
            ar.styled_run(p, line, ar.FACES["title"], ar.SIZE_TITLE)

    title(report.title)
    ar.body_format(document.add_paragraph(), indent=False)
    ar.text_paragraph(document, report.opening)
    for heading, text in zip(PART_TITLES, report.texts, strict=True):
        p = document.add_paragraph()
        ar.body_format(p)
        p.paragraph_format.keep_with_next = True
        ar.styled_run(p, heading, ar.FACES["heading1"], ar.SIZE_BODY)
        for line in (s.strip() for s in text.splitlines()):
            if line:
                ar.text_paragraph(document, line)
    if report.task_count:
        ar.body_format(document.add_paragraph(), indent=False)
        ar.text_paragraph(document, appendix_label(report))
    ar.closing(document, meta)
    if report.task_count:
        p = document.add_paragraph()
        ar.body_format(p, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)
        p.add_run().add_break(WD_BREAK.PAGE)
        ar.styled_run(p, "附件", ar.FACES["heading1"], ar.SIZE_BODY)
        ar.body_format(document.add_paragraph(), indent=False)
        title(report.appendix_title)
        ar.body_format(document.add_paragraph(), indent=False)
        docx_task_table(document, appendix_document(report))
    return document


def plan_report_docx_bytes(report: ImplementationReport) -> bytes:
    buf = io.BytesIO()
    _docx_document(report).save(buf)
    return buf.getvalue()


def plan_report_docx(report: ImplementationReport, path: str | os.PathLike[str]) -> None:
    """Write the report as an editable .docx, atomically."""
    data = plan_report_docx_bytes(report)
    write_atomically(path, lambda fh: fh.write(data), action="导出")
