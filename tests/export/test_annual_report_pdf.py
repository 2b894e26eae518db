"""annual_report_pdf: the 年报 as a GB/T 9704 PDF, read back with pdfplumber (tables with their
merged cells, labels and numbers) and pypdf (fonts, metadata)."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from decimal import Decimal

import pdfplumber
import pypdf
import pytest

from govdesk.core.annual_report import (
    SECTION_TITLES,
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
from govdesk.export.annual_report_pdf import annual_report_pdf, annual_report_pdf_bytes
from govdesk.export.fonts import resolve_fonts


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts()


def sample_report(**kw) -> AnnualReport:
    rng = random.Random(5)
    apps = []
    for _ in range(90):
        received = date(2024, 6, 1) + timedelta(days=rng.randrange(600))
        kind = rng.choice(list(ApplicantKind))
        if rng.random() < 0.2:
            apps.append(ApplicationFact(kind, received))
        else:
            apps.append(ApplicationFact(kind, received, received + timedelta(days=20),
                                        rng.choice(list(Outcome))))
    values = dict(
        year=2025, organ="青山县云溪镇人民政府",
        texts=("（一）主动公开。全年共主动公开政府信息326条。\n（二）依申请公开。全年共收到申请12件。",
               "", "", "", "一是部分社区（村）公开栏更新不及时。",
               "本年度未收取信息处理费。"),
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
def printed(fonts, tmp_path_factory):
    report = sample_report()
    path = tmp_path_factory.mktemp("ar") / "年报.pdf"
    pages = annual_report_pdf(report, path, fonts=fonts, invariant=True)
    return report, path, pages


def extracted_tables(path) -> list[list[list[str | None]]]:
    with pdfplumber.open(path) as pdf:
        return [t for page in pdf.pages for t in page.extract_tables()]


def test_every_table_cell_with_its_merges(printed):
    report, path, _ = printed
    tables = extracted_tables(path)
    grids = [table2_grid(report.table2), table3_grid(report.table3), table4_grid(report.table4)]
    assert len(tables) == 3
    for grid, table in zip(grids, tables, strict=True):
        assert (len(table), len(table[0])) == (grid.rows, grid.cols), grid.name
        covered = {(r, c) for g in grid.cells for r in range(g.row, g.row + g.rowspan)
                   for c in range(g.col, g.col + g.colspan)} - {(g.row, g.col) for g in grid.cells}
        for g in grid.cells:
            # labels character by character (a cell's own line breaks aside), numbers as digits
            assert table[g.row][g.col].replace("\n", "") == g.text, (grid.name, g.row, g.col)
        for r, c in covered:
            assert table[r][c] is None, (grid.name, r, c)


def test_table3_numbers_and_official_labels(printed):
    report, path, _ = printed
    t3 = extracted_tables(path)[1]
    assert t3[0][0].replace("\n", "") == \
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert t3[0][3] == "申请人情况"
    assert t3[1][4] == "法人或其他组织"
    assert t3[9][2] == "3.危及“三安全一稳定”"
    assert t3[5][0].replace("\n", "") == "三、本年度办理结果"
    assert [t3[3][c] for c in range(3, 10)] == [str(v) for v in report.table3.row("NEW")]
    assert [t3[27][c] for c in range(3, 10)] == \
        [str(v) for v in report.table3.row("CARRY_FORWARD")]


def test_text_title_period_headings_and_closing(printed):
    report, path, pages = printed
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == pages
        text = "".join((p.extract_text() or "") for p in pdf.pages)
        first = pdf.pages[0].extract_text().splitlines()
    flat = text.replace("\n", "")
    assert first[:2] == ["青山县云溪镇人民政府", "2025年政府信息公开工作年度报告"]
    assert "本报告中所列数据统计期限为2025年1月1日至12月31日。" in flat
    positions = [flat.index(t) for t in SECTION_TITLES]
    assert positions == sorted(positions)
    with pdfplumber.open(path) as pdf:
        last = pdf.pages[-1].extract_text().splitlines()
    assert last[-3:] == ["青山县云溪镇人民政府", "2026年1月20日", f"— {pages} —"]


def test_table3_sits_on_one_page_under_its_heading(printed):
    _, path, _ = printed
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tables = page.extract_tables()
            if any(len(t) == 28 for t in tables):
                assert "三、收到和处理政府信息公开申请情况" in page.extract_text()
                break
        else:
            pytest.fail("表三 not found whole on one page")


def test_fonts_embedded_and_metadata(printed):
    report, path, _ = printed
    reader = pypdf.PdfReader(path)
    assert reader.metadata.title == report.title
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/BaseFont"] not in ("/Helvetica", "/Times-Roman")
            assert "/FontDescriptor" in font or "/DescendantFonts" in font


def test_invariant_output_is_deterministic(fonts):
    a, pages = annual_report_pdf_bytes(sample_report(), fonts=fonts, invariant=True)
    b, _ = annual_report_pdf_bytes(sample_report(), fonts=fonts, invariant=True)
    assert a == b and pages >= 3
    assert a.startswith(b"%PDF")
    assert len(pypdf.PdfReader(io.BytesIO(a)).pages) == pages


def test_empty_year_and_long_remarks_still_lay_out(fonts, tmp_path):
    from govdesk.core.annual_report import Table3
    long_text = "\n".join(f"（{n}）第{n}项。" + "公开栏更新不及时，" * 30 for n in "一二三四")
    report = sample_report(table3=Table3.zero(), table4=Table4(),
                           texts=(long_text, "本年度主动公开情况如下。", "", "", long_text, "无。"))
    pages = annual_report_pdf(report, tmp_path / "r.pdf", fonts=fonts, invariant=True)
    tables = extracted_tables(tmp_path / "r.pdf")
    assert pages >= 4
    assert tables[1][3][3:] == ["0"] * 7


def test_missing_date_and_bad_path_are_user_errors(fonts, tmp_path):
    with pytest.raises(UserError, match="成文日期"):
        annual_report_pdf_bytes(sample_report(dated=None), fonts=fonts)
    with pytest.raises(UserError):
        annual_report_pdf(sample_report(), tmp_path / "没有这个文件夹" / "r.pdf", fonts=fonts)
    target = tmp_path / "r.pdf"
    target.write_bytes(b"old")
    annual_report_pdf(sample_report(), target, fonts=fonts)
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]  # no temporary file left
