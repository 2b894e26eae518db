"""annual_report_docx: the 年报 as an editable .docx, read back with python-docx — merged cells
(shared <w:tc>, gridSpan, vMerge), labels and numbers cell by cell, fonts, page setup."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from govdesk.core.annual_report import (
    SECTION_TITLES,
    TABLE3_ROWS,
    AnnualReport,
    AppealCounts,
    ApplicationFact,
    ProactiveFigures,
    Table4,
    table2_grid,
    table3_grid,
    table4_grid,
    tally_table3,
)
from govdesk.core.errors import UserError
from govdesk.core.requests import ApplicantKind, Outcome
from govdesk.export.annual_report_docx import FACES, annual_report_docx


def sample_report(**kw) -> AnnualReport:
    apps = [ApplicationFact(kind, date(2025, 1 + i % 12, 1 + i % 28),
                            date(2025, 1 + i % 12, 1 + i % 28) if i % 4 else None,
                            outcome if i % 4 else None)
            for i, (kind, outcome) in enumerate(
                (k, o) for o in Outcome for k in ApplicantKind)]
    apps.append(ApplicationFact(ApplicantKind.PERSON, date(2024, 12, 30)))
    values = dict(
        year=2025, organ="青山县云溪镇人民政府",
        texts=("（一）主动公开。全年共主动公开政府信息326条。", "", "", "",
               "一是部分社区（村）公开栏更新不及时。", "本年度未收取信息处理费。"),
        table2=ProactiveFigures(normative_made=2, normative_repealed=1, normative_in_force=9,
                                licensing_decisions=14, penalty_decisions=3,
                                fee_amount=Decimal("3.20")),
        table3=tally_table3(apps, 2025),
        table4=Table4(AppealCounts(1, 2, 0, 1), AppealCounts(0, 0, 1, 0),
                      AppealCounts(0, 0, 0, 2)),
        dated=date(2026, 1, 20),
    )
    values.update(kw)
    return AnnualReport(**values)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    report = sample_report()
    path = tmp_path_factory.mktemp("docx") / "年报.docx"
    annual_report_docx(report, path)
    return report, path, docx.Document(str(path))


def east_asia(run) -> str | None:
    fonts = run._r.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def test_tables_cell_by_cell_with_merges(written):
    report, _, doc = written
    grids = [table2_grid(report.table2), table3_grid(report.table3), table4_grid(report.table4)]
    assert len(doc.tables) == 3
    for grid, table in zip(grids, doc.tables, strict=True):
        assert (len(table.rows), len(table.columns)) == (grid.rows, grid.cols)
        for g in grid.cells:
            top = table.cell(g.row, g.col)
            assert top.text.replace("\n", "") == g.text, (grid.name, g.row, g.col)
            # every slot a merged cell covers is the same <w:tc> (horizontal) or a vMerge
            # continuation that python-docx resolves to the top cell
            for r in range(g.row, g.row + g.rowspan):
                for c in range(g.col, g.col + g.colspan):
                    assert table.cell(r, c)._tc is top._tc, (grid.name, r, c)
            assert top._tc.grid_span == g.colspan
            if g.rowspan > 1:
                assert top._tc.vMerge == "restart"
                below = table.rows[g.row + g.rowspan - 1]._tr.tc_lst
                assert any(tc.vMerge == "continue" for tc in below)
            if g.kind == "number":
                assert top.text == str(g.value) if not isinstance(g.value, Decimal) \
                    else top.text == "3.2"


def test_table3_official_header_block(written):
    report, _, doc = written
    t = doc.tables[1]
    corner = t.cell(0, 0)
    assert corner._tc is t.cell(2, 2)._tc and corner._tc.grid_span == 3
    assert corner.text == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert t.cell(0, 3)._tc is t.cell(0, 9)._tc and t.cell(0, 3).text == "申请人情况"
    assert t.cell(1, 3)._tc is t.cell(2, 3)._tc and t.cell(1, 3).text == "自然人"
    assert t.cell(1, 4)._tc is t.cell(1, 8)._tc and t.cell(1, 4).text == "法人或其他组织"
    assert t.cell(1, 9)._tc is t.cell(2, 9)._tc and t.cell(1, 9).text == "总计"
    assert [t.cell(2, c).text for c in range(4, 9)] == \
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    results = t.cell(5, 0)
    assert results.text == "三、本年度办理结果"
    assert results._tc is t.cell(26, 0)._tc and t.cell(27, 0)._tc is not results._tc
    assert t.cell(7, 1)._tc is t.cell(14, 1)._tc and t.cell(7, 1).text == "（三）\n不予公开"
    assert t.cell(9, 2).text == "3.危及“三安全一稳定”"
    for i, row in enumerate(TABLE3_ROWS):
        assert [t.cell(3 + i, 3 + c).text for c in range(7)] == \
            [str(v) for v in report.table3.row(row.key)], row.key
    # header rows repeat on a new page; no row breaks across pages
    for r, tr in enumerate(t._tbl.tr_lst):
        assert (tr.trPr.find(qn("w:tblHeader")) is not None) == (r < 3)
        assert tr.trPr.find(qn("w:cantSplit")) is not None


def test_table4_fifteen_columns(written):
    report, _, doc = written
    t = doc.tables[2]
    assert t.cell(0, 0)._tc is t.cell(0, 4)._tc and t.cell(0, 0).text == "行政复议"
    assert t.cell(0, 5)._tc is t.cell(0, 14)._tc and t.cell(0, 5).text == "行政诉讼"
    assert t.cell(1, 0)._tc is t.cell(2, 0)._tc and t.cell(1, 0).text == "结果维持"
    assert t.cell(1, 5).text == "未经复议直接起诉" and t.cell(1, 10).text == "复议后起诉"
    assert [t.cell(3, c).text for c in range(15)] == [str(v) for v in report.table4.numbers()]


def test_text_fonts_and_page_setup(written):
    report, _, doc = written
    paragraphs = [p for p in doc.paragraphs if p.text]
    assert [p.text for p in paragraphs[:2]] == ["青山县云溪镇人民政府",
                                                  "2025年政府信息公开工作年度报告"]
    assert east_asia(paragraphs[0].runs[0]) == FACES["title"]
    assert paragraphs[0].runs[0].font.size == Pt(22)
    opening = paragraphs[2]
    assert "本报告中所列数据统计期限为2025年1月1日至12月31日。" in opening.text
    assert east_asia(opening.runs[0]) == "仿宋" and opening.runs[0].font.size == Pt(16)
    assert opening.paragraph_format.first_line_indent == Pt(32)
    headings = [p for p in paragraphs if p.text in SECTION_TITLES]
    assert [p.text for p in headings] == list(SECTION_TITLES)
    assert all(east_asia(p.runs[0]) == "黑体" for p in headings)
    sub = next(p for p in paragraphs if p.text.startswith("（一）主动公开。"))
    assert [east_asia(r) for r in sub.runs] == ["楷体", "仿宋"]  # only the heading sentence
    assert [p.text for p in paragraphs[-2:]] == ["青山县云溪镇人民政府", "2026年1月20日"]
    # tables: 五号 仿宋 body, 黑体 headers; 表四 9 pt
    t3 = doc.tables[1]
    number = t3.cell(3, 3).paragraphs[0].runs[0]
    assert east_asia(number) == "仿宋" and number.font.size == Pt(10.5)
    assert east_asia(t3.cell(0, 3).paragraphs[0].runs[0]) == "黑体"
    assert doc.tables[2].cell(3, 0).paragraphs[0].runs[0].font.size == Pt(9)
    # GB/T 9704 page: A4, 37/35/28/26 mm
    s = doc.sections[0]
    sizes = (s.page_width, s.page_height, s.top_margin, s.bottom_margin, s.left_margin,
             s.right_margin)
    assert [round(x.mm, 1) for x in sizes] == [210, 297, 37, 35, 28, 26]  # stored in twips
    assert doc.core_properties.title == report.title
    # page numbers: odd right, even left, a PAGE field between 一字线
    assert doc.settings.odd_and_even_pages_header_footer
    odd = s.footer.paragraphs[0]
    assert odd.text == "— 1 —" and "PAGE" in odd._p.xml
    assert s.even_page_footer.paragraphs[0].alignment != odd.alignment


def test_bad_path_and_atomic_replace(tmp_path):
    report = sample_report()
    with pytest.raises(UserError):
        annual_report_docx(report, tmp_path / "不存在的文件夹" / "年报.docx")
    target = tmp_path / "年报.docx"
    target.write_bytes(b"old")
    annual_report_docx(report, target)
    assert docx.Document(str(target)).tables
    assert [p.name for p in tmp_path.iterdir()] == ["年报.docx"]
    (tmp_path / "目录.docx").mkdir()
    with pytest.raises(UserError):
        annual_report_docx(report, tmp_path / "目录.docx")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_it(written, tmp_path):
    _, path, _ = written
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(path)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "年报.pdf"
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages)
    assert "申请人情况" in text and "未经复议直接起诉" in text
