"""Quarterly and year assessment tables (issue 5, item 6): real xlsx, CSV and PDF files read back
with openpyxl, csv, pdfplumber/pypdf and, where installed, LibreOffice."""

import csv
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pdfplumber
import pypdf
import pytest

from govdesk.core.errors import UserError
from govdesk.core.scoring import (
    Adjustment,
    Deduction,
    QuarterRule,
    SpotCheck,
    assess_quarter,
    default_scheme,
    year_score,
)
from govdesk.export.assessment_tables import (
    quarter_table,
    write_quarter_csv,
    write_quarter_pdf,
    write_quarter_xlsx,
    write_year_csv,
    write_year_pdf,
    write_year_xlsx,
    year_scores_from_quarters,
    year_table,
)
from govdesk.export.fonts import resolve_fonts

D = Decimal
SCHEME = default_scheme(2017)
MEAN = QuarterRule()


def by_rule(code, rule, count, reason="检查发现问题"):
    return Deduction(code, reason, count=count, rule=rule)


def by_points(code, points, reason="检查发现问题"):
    return Deduction(code, reason, points=D(points))


# The golden quarter of tests/core/test_scoring.py: 东街 and 西城 tie at 91.3, 南关 88.3.
COMMUNITIES = {1: "东街社区", 2: "西城社区", 3: "南关社区"}
GOLDEN_CHECKS = [
    SpotCheck(1, 2017, 7, (by_rule("2.3", 0, 1), by_rule("3.1", 0, 2))),
    SpotCheck(1, 2017, 8, (by_rule("2.2", 1, 6), by_rule("5.2", 0, 1))),
    SpotCheck(2, 2017, 7, (by_rule("2.1", 0, 5),)),
    SpotCheck(2, 2017, 8, (by_rule("3.1", 1, 1), by_rule("4.2", 0, 1), by_rule("4.3", 0, 1))),
    SpotCheck(2, 2017, 9, (by_rule("1.3", 0, 1), by_rule("2.2", 0, 1), by_points("5.1", "1.1"))),
    SpotCheck(3, 2017, 7, (by_rule("1.2", 0, 1), by_rule("2.4", 0, 2), by_rule("3.2", 0, 3),
                           by_rule("1.1", 1, 6))),
    SpotCheck(3, 2017, 8, (by_rule("2.3", 0, 4), by_rule("2.3", 1, 1))),
    SpotCheck(3, 2017, 9, (by_rule("4.1", 0, 1),)),
]
GOLDEN_AWARDS = [Adjustment(1, 2017, 3, "P1"), Adjustment(3, 2017, 3, "B1")]

LEAVES = ["公开栏设置", "监督电话", "意见箱", "内容完整性", "内容真实准确", "财务收支公开",
          "重点事项公开", "公开及时性", "公示期满及时撤栏", "公开台账", "审批记录", "资料归档",
          "意见反馈", "群众满意度"]
# Per community: 序号, 社区, the 14 二级 scores, 加分, 扣分, 总分, 排名, 等次, 备注.
EXPECTED = [
    [1, "东街社区", 10, 5, 5, 10, 4, 12.5, 10, 8, 5, 5, 5, 5, 5, 4.8, 0, 3, 91.3, 1, "优秀",
     "抽查2个月"],
    # 西城: 1.3 (5+5+0)/3, 2.1 (0+10+10)/3, 2.2 (5+5+3)/3, 3.1 (10+5+10)/3, 4.2 (5+3+5)/3,
    # 4.3 (5+4+5)/3, 5.1 (5+5+3.9)/3.
    [2, "西城社区", 10, 5, 3.3, 6.7, 4.3, 15, 10, 8.3, 5, 5, 4.3, 4.7, 4.6, 5, 0, 0, 91.3, 1,
     "优秀", None],
    # 南关: 1.1 (0+10+10)/3, 1.2 (0+5+5)/3, 2.3 (15+0+15)/3, 2.4 (4+10+10)/3, 3.2 (2+5+5)/3,
    # 4.1 (5+5+0)/3.
    [3, "南关社区", 6.7, 3.3, 5, 10, 5, 10, 8, 10, 4, 3.3, 5, 5, 5, 5, 3, 0, 88.3, 3, "良好",
     None],
]


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts()


@pytest.fixture(scope="module")
def golden():
    results = assess_quarter(SCHEME, MEAN, 2017, 3, COMMUNITIES, GOLDEN_CHECKS, GOLDEN_AWARDS)
    return quarter_table(SCHEME, results, township="金星镇", year=2017, quarter=3)


def big_table(n=50):
    communities = {i: f"第{i:02d}社区" for i in range(1, n + 1)}
    checks = [SpotCheck(i, 2017, m, (by_points("2.1", (i * m) % 10 or 1),))
              for i in communities for m in (7, 8, 9)]
    results = assess_quarter(SCHEME, MEAN, 2017, 3, communities, checks)
    return quarter_table(SCHEME, results, township="金星镇", year=2017, quarter=3)


def xlsx_values(ws, first_row=4, rows=3):
    return [[ws.cell(row=r, column=c).value for c in range(1, ws.max_column + 1)]
            for r in range(first_row, first_row + rows)]


def close(a, b):
    return isinstance(a, int | float) and isinstance(b, int | float) and abs(a - b) < 1e-9


def same_row(got, expected):
    return len(got) == len(expected) and all(
        close(g, e) if isinstance(e, int | float) else g == e for g, e in zip(got, expected, strict=True))


# --------------------------------------------------------------------------- the value

def test_quarter_table_value(golden):
    assert golden.title == "金星镇2017年第三季度社区政务公开考核汇总表"
    upper, lower = golden.header_rows
    assert upper[:6] == ("序号", "社区", "公开栏建设", "", "", "公开内容")
    assert lower[:6] == ("", "", "公开栏设置", "监督电话", "意见箱", "内容完整性")
    assert list(lower[2:16]) == LEAVES
    assert golden.flat_headers[7] == "公开内容/财务收支公开"
    assert golden.flat_headers[-6:] == ("加分", "扣分", "总分", "排名", "等次", "备注")
    assert [row[1] for row in golden.rows] == ["东街社区", "西城社区", "南关社区"]
    assert golden.rows[2][18] == D("88.3") and golden.rows[0][17] == D("3.0")
    for title in ("填表单位", "填表人", "审核人", "日期"):
        assert title in golden.footer


def test_rows_follow_rank_then_name_whatever_the_input_order(golden):
    results = assess_quarter(SCHEME, MEAN, 2017, 3, COMMUNITIES, GOLDEN_CHECKS, GOLDEN_AWARDS)
    again = quarter_table(SCHEME, tuple(reversed(results)), township="金星镇", year=2017,
                          quarter=3)
    assert again.rows == golden.rows


# --------------------------------------------------------------------------- xlsx

def test_quarter_xlsx_layout_values_and_print_setup(golden, tmp_path):
    path = tmp_path / "季度.xlsx"
    write_quarter_xlsx(golden, path)
    ws = openpyxl.load_workbook(path).active
    ncols = len(golden.columns)
    assert ws.max_column == ncols == 22
    assert ws["A1"].value == golden.title
    merged = {str(r) for r in ws.merged_cells.ranges}
    last = openpyxl.utils.get_column_letter(ncols)
    assert merged == {
        f"A1:{last}1",                                   # title
        "C2:E2", "F2:I2", "J2:K2", "L2:N2", "O2:P2",      # 一级 over 二级
        "A2:A3", "B2:B3",                                # 序号, 社区
        "Q2:Q3", "R2:R3", "S2:S3", "T2:T3", "U2:U3", "V2:V3",  # 加分 … 备注
        f"A8:{last}8",                                   # footer
    }
    assert [ws.cell(row=2, column=c).value for c in (3, 6, 10, 12, 15)] == [
        "公开栏建设", "公开内容", "公开时限", "档案台账", "群众满意度"]
    assert [ws.cell(row=3, column=c).value for c in range(3, 17)] == LEAVES
    assert [ws.cell(row=2, column=c).value for c in range(17, 23)] == [
        "加分", "扣分", "总分", "排名", "等次", "备注"]

    rows = xlsx_values(ws)
    for got, expected in zip(rows, EXPECTED, strict=True):
        assert same_row(got, expected), (got, expected)
    for r in range(4, 7):
        for c in [1, *range(3, 21)]:
            cell = ws.cell(row=r, column=c)
            assert cell.data_type == "n" and isinstance(cell.value, int | float), cell.coordinate
        assert ws.cell(row=r, column=19).number_format == "0.0"
        assert ws.cell(row=r, column=3).number_format == "0.0"
        assert ws.cell(row=r, column=20).number_format == "0"
    footer = ws["A8"].value
    assert all(word in footer for word in ("填表单位", "填表人", "审核人", "日期"))

    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$1:$3"
    assert ws.freeze_panes == "C4"


def test_xlsx_has_no_formula_anywhere(tmp_path):
    results = assess_quarter(SCHEME, MEAN, 2017, 3, {1: "=HYPERLINK(\"x\")社区", 2: "+1"},
                             [SpotCheck(1, 2017, 7), SpotCheck(2, 2017, 7)])
    table = quarter_table(SCHEME, results, township="=金星镇", year=2017, quarter=3,
                          unit="@镇政务公开办")
    path = tmp_path / "hostile.xlsx"
    write_quarter_xlsx(table, path)
    ws = openpyxl.load_workbook(path).active
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    assert ws["B4"].value == "+1" and ws["B4"].data_type == "s"
    # and the other writers keep the text as text too
    write_quarter_csv(table, tmp_path / "hostile.csv")
    text = (tmp_path / "hostile.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1" in text


def test_year_xlsx(tmp_path):
    scores = [
        year_score(1, "东街社区", 2017, {1: D("88.5"), 2: D("90.0"), 3: D("91.3"), 4: D("89.4")}),
        year_score(2, "西城社区", 2017, {2: D("87.2"), 3: D("87.3")}),
        year_score(3, "南关社区", 2017, {1: D("89.8"), 2: D("89.8"), 3: D("89.8"),
                                         4: D("89.8")}),
    ]
    table = year_table(scores, township="金星镇", year=2017)
    assert table.title == "金星镇2017年度社区政务公开考核汇总表"
    path = tmp_path / "year.xlsx"
    write_year_xlsx(table, path)
    ws = openpyxl.load_workbook(path).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert merged == {"A1:J1", "C2:F2", "A2:A3", "B2:B3", "G2:G3", "H2:H3", "I2:I3", "J2:J3",
                      "A8:J8"}
    assert ws["C2"].value == "季度考核得分" and ws["H2"].value == "年终考核得分（5分）"
    rows = xlsx_values(ws)
    # 东街 and 南关 tie at 89.8 (并列第1, by name: 东 before 南); 西城 87.25 → 87.3, 4.36.
    assert same_row(rows[0], [1, "东街社区", 88.5, 90, 91.3, 89.4, 89.8, 4.49, 1, None])
    assert same_row(rows[1], [2, "南关社区", 89.8, 89.8, 89.8, 89.8, 89.8, 4.49, 1, None])
    assert same_row(rows[2], [3, "西城社区", None, 87.2, 87.3, None, 87.3, 4.36, 3,
                              "第一季度、第四季度未考核"])
    assert ws["H4"].number_format == "0.00" and ws["H4"].data_type == "n"
    assert ws["C6"].value is None


def test_year_scores_from_quarters_uses_the_core():
    q3 = assess_quarter(SCHEME, MEAN, 2017, 3, COMMUNITIES, GOLDEN_CHECKS, GOLDEN_AWARDS)
    q2 = assess_quarter(SCHEME, MEAN, 2017, 2, COMMUNITIES, [SpotCheck(1, 2017, 4)])
    scores = {y.name: y for y in year_scores_from_quarters({2: q2, 3: q3}, 2017)}
    assert scores["东街社区"].quarters == {2: D("100.0"), 3: D("91.3")}
    assert scores["东街社区"].score == D("95.7")  # 95.65 → 95.7
    assert scores["南关社区"].quarters == {3: D("88.3")}


def test_bad_paths_are_user_errors(golden, tmp_path):
    missing = tmp_path / "没有这个文件夹" / "x.xlsx"
    for write in (write_quarter_xlsx, write_quarter_csv):
        with pytest.raises(UserError, match="无法在该文件夹中写入文件"):
            write(golden, missing)
    (tmp_path / "folder.xlsx").mkdir()
    with pytest.raises(UserError):
        write_quarter_xlsx(golden, tmp_path / "folder.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.xlsx"]  # no temp files left


def test_a_failed_write_keeps_the_old_file(golden, tmp_path, fonts):
    path = tmp_path / "t.pdf"
    path.write_bytes(b"old")
    with pytest.raises(UserError):
        write_quarter_pdf(golden, tmp_path / "nope" / "t.pdf", fonts=fonts)
    assert path.read_bytes() == b"old"


# --------------------------------------------------------------------------- csv

def test_quarter_csv(golden, tmp_path):
    path = tmp_path / "季度.csv"
    write_quarter_csv(golden, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["序号", "社区", "公开栏建设/公开栏设置"]
    assert rows[0][7] == "公开内容/财务收支公开"
    assert len(rows) == 4
    for got, expected in zip(rows[1:], EXPECTED, strict=True):
        for g, e in zip(got, expected, strict=True):
            if isinstance(e, int | float):
                assert float(g) == pytest.approx(e), (got, expected)
            else:
                assert g == (e or "")
    assert rows[1][18] == "91.3" and rows[1][17] == "3.0"  # plain decimals


def test_year_csv(tmp_path):
    table = year_table([year_score(1, "东街社区", 2017, {3: D("87.3"), 2: D("87.2")})],
                       township="金星镇", year=2017)
    write_year_csv(table, tmp_path / "y.csv")
    rows = list(csv.reader((tmp_path / "y.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][2] == "季度考核得分/第一季度"
    assert rows[1] == ["1", "东街社区", "", "87.2", "87.3", "", "87.3", "4.36", "1",
                       "第一季度、第四季度未考核"]


# --------------------------------------------------------------------------- pdf

def pdf_pages(path):
    with pdfplumber.open(path) as pdf:
        return ["".join((page.extract_text() or "").split()) for page in pdf.pages]


def pdf_header_cells(path):
    """Per page: the texts of the table's first two rows (wrapped names joined up again)."""
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            rows = page.extract_tables()[0][:2]
            out.append(["".join(cell.split()) for row in rows for cell in row if cell])
    return out


def test_quarter_pdf_golden(golden, tmp_path, fonts):
    path = tmp_path / "季度.pdf"
    assert write_quarter_pdf(golden, path, fonts=fonts, invariant=True) == 1
    page = pypdf.PdfReader(path).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    text = pdf_pages(path)[0]
    assert golden.title in text
    for name in COMMUNITIES.values():
        assert name in text
    for word in ("91.3", "88.3", "优秀", "良好", "填表单位", "填表人", "审核人", "日期",
                 "第1页共1页"):
        assert word in text, word
    [header] = pdf_header_cells(path)
    assert header == ["序号", "社区", "公开栏建设", "公开内容", "公开时限", "档案台账", "群众满意度",
                      "加分", "扣分", "总分", "排名", "等次", "备注", *LEAVES]


def test_quarter_pdf_50_communities_repeats_headers(tmp_path, fonts):
    table = big_table(50)
    path = tmp_path / "big.pdf"
    pages = write_quarter_pdf(table, path, fonts=fonts, invariant=True)
    texts = pdf_pages(path)
    assert pages == len(texts) >= 2
    everything = "".join(texts)
    for row in table.rows:
        assert row[1] in everything
    headers = pdf_header_cells(path)
    assert len(headers) == pages and all(h == headers[0] for h in headers)
    assert {"公开栏建设", "公开栏设置", "公示期满及时撤栏", "总分", "排名", "等次"} <= set(headers[0])
    for n, text in enumerate(texts, 1):
        assert f"第{n}页共{pages}页" in text
        assert "金星镇" in text
    assert table.title in texts[0] and "填表人" in texts[-1]


def test_year_pdf(tmp_path, fonts):
    table = year_table([year_score(1, "东街社区", 2017, {3: D("87.3")})], township="金星镇",
                       year=2017)
    path = tmp_path / "y.pdf"
    assert write_year_pdf(table, path, fonts=fonts, invariant=True) == 1
    text = pdf_pages(path)[0]
    assert "金星镇2017年度社区政务公开考核汇总表" in text and "4.37" in text
    assert "季度考核得分" in text and "第三季度" in text


# --------------------------------------------------------------------------- peer check

@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_same_numbers(golden, tmp_path):
    xlsx = tmp_path / "quarter.xlsx"
    write_quarter_xlsx(golden, xlsx)
    out = tmp_path / "out"
    profile = (tmp_path / "lo-profile").as_uri()


    def convert(source, to):
        subprocess.run([shutil.which("soffice"), f"-env:UserInstallation={profile}", "--headless",
                        "--convert-to", to, "--outdir", str(out), str(source)],
                       capture_output=True, timeout=120, check=False)

    convert(xlsx, "csv:Text - txt - csv (StarCalc):44,34,76")  # UTF-8, comma, quote "
    if not (out / "quarter.csv").exists():
        # Some installs carry soffice without Calc (Writer only): then no spreadsheet loads.
        probe = tmp_path / "probe.csv"
        probe.write_text("1,2\n", encoding="utf-8")
        convert(probe, "xlsx")
        if not (out / "probe.xlsx").exists():
            pytest.skip("LibreOffice Calc is not installed")
        pytest.fail("LibreOffice could not read the exported xlsx")
    rows = list(csv.reader((out / "quarter.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0][0] == golden.title
    data = rows[3:6]
    for got, expected in zip(data, EXPECTED, strict=True):
        for g, e in zip(got, expected, strict=True):
            if isinstance(e, int | float):
                assert float(g) == pytest.approx(e), (got, expected)
            else:
                assert g == (e or "")
    # The number format "0.0" is what LibreOffice shows: 91.3, 3.0, 10.0.
    assert data[0][18] == "91.3" and data[0][17] == "3.0" and data[0][2] == "10.0"
    assert "填表单位" in rows[7][0]
