"""bulletin_pdf: the 通报 through the GB/T 9704 notice machinery, with charts; real PDFs read
back with pdfplumber and pypdf."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pdfplumber
import pypdf
import pytest

from govdesk.core.bulletin import build_bulletin, bulletin_text
from govdesk.core.errors import UserError
from govdesk.core.scoring import Deduction, QuarterRule, SpotCheck, assess_quarter, default_scheme
from govdesk.export.bulletin_pdf import bulletin_pdf, bulletin_pdf_bytes
from govdesk.export.fonts import resolve_fonts
from govdesk.export.gbt9704 import BODY_HEIGHT, BODY_WIDTH, LEFT_MARGIN, TOP_MARGIN

SCHEME = default_scheme(2017)
REASONS = (("3.2", "公示期满未及时撤栏"), ("2.3", "财务收支未按月公开"),
           ("4.2", "公开前未经审批"), ("2.2", "公开数据有明显错误"))
EPS = 0.6


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts()


def names(n: int) -> dict[int, str]:
    return {i: f"第{i}{'村' if i % 3 == 0 else '社区'}" for i in range(1, n + 1)}


def sample(n: int, *, previous: bool = False):
    """n communities, community i losing i % 23 points a month (ties for i and i + 23)."""
    communities = names(n)
    checks = []
    for q in (2, 3) if previous else (3,):
        for m in range(3 * q - 2, 3 * q + 1):
            for cid in communities:
                lost = (cid + q) % 23
                ds = []
                for code, reason in REASONS:
                    pts = min(lost, SCHEME.indicator(code).max_points)
                    lost -= pts
                    if pts:
                        ds.append(Deduction(code, reason, points=Decimal(pts)))
                checks.append(SpotCheck(cid, 2017, m, tuple(ds)))
    prev = [assess_quarter(SCHEME, QuarterRule(), 2017, 2, communities, checks)] if previous \
        else None
    results = assess_quarter(SCHEME, QuarterRule(), 2017, 3, communities, checks)
    return build_bulletin(SCHEME, results, checks, township="金星镇", year=2017, quarter=3,
                          issuer="金星镇人民政府", issued_on=date(2017, 10, 12),
                          previous=prev)


def pages_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [re.sub(r"\s+", "", p.extract_text() or "") for p in pdf.pages]


def test_title_and_every_community_are_text(tmp_path, fonts):
    b = sample(12)
    path = tmp_path / "通报.pdf"
    pages = bulletin_pdf(b, path, fonts=fonts)
    data = path.read_bytes()
    assert pages == len(pypdf.PdfReader(io.BytesIO(data)).pages)
    texts = pages_text(data)
    whole = "".join(texts)
    assert b.title in texts[0]
    assert "各社区（村）、镇直各部门：" in texts[0]
    for row in b.ranking:
        assert row.name in whole
    assert "金星镇人民政府2017年10月12日" in texts[-1]
    assert "公示期满未及时撤栏（" in whole


def test_long_table_repeats_its_header_and_charts_follow_it(fonts):
    b = sample(40)
    data, pages = bulletin_pdf_bytes(b, fonts=fonts)
    texts = pages_text(data)
    with_rows = [t for t in texts if re.search(r"第\d+(村|社区)\d+\.\d(优秀|良好|合格|不合格)", t)]
    assert len(with_rows) >= 2  # the table spans pages …
    assert all("排名社区得分等次" in t for t in with_rows)  # … with its header on each
    order = "".join(texts)
    assert order.index("排名社区得分等次") < order.index("图1") < order.index("二、考核等次")


def chart_rects(data: bytes, caption: str) -> tuple[int, list]:
    """(page number, rects) of the page with ``caption``."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            if caption in re.sub(r"\s+", "", page.extract_text() or ""):
                return number, list(page.rects)
    raise AssertionError(f"{caption} not found")


def test_ranking_chart_has_a_bar_per_community(fonts):
    b = sample(40)
    data, _ = bulletin_pdf_bytes(b, fonts=fonts)
    _, rects = chart_rects(data, "图1")
    bars = [r for r in rects if r["height"] < 14 and r["width"] > 20]
    assert len(bars) >= 40
    # the bars grow with the score: the longest is the first community's
    widths = sorted((r["top"], r["width"]) for r in bars)
    assert widths[0][1] == pytest.approx(max(w for _, w in widths), abs=0.5)
    for r in rects:
        assert LEFT_MARGIN - EPS <= r["x0"] and r["x1"] <= LEFT_MARGIN + BODY_WIDTH + EPS


def test_trend_chart_with_previous_quarters(fonts):
    b = sample(10, previous=True)
    data, _ = bulletin_pdf_bytes(b, fonts=fonts)
    whole = "".join(pages_text(data))
    assert "图2" in whole and "第二季度" in whole and "第三季度" in whole
    assert "图2" not in "".join(pages_text(bulletin_pdf_bytes(sample(10), fonts=fonts)[0]))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        drawing_ops = sum(len(p.curves) + len(p.lines) + len(p.rects) for p in pdf.pages)
    assert drawing_ops > 60


def test_no_charts_when_asked(fonts):
    b = sample(10)
    data, _ = bulletin_pdf_bytes(b, charts=None, fonts=fonts)
    assert "图1" not in "".join(pages_text(data))


def font_problems(data: bytes) -> list[str]:
    problems = []
    reader = pypdf.PdfReader(io.BytesIO(data))
    for number, page in enumerate(reader.pages, 1):
        fonts = page.get("/Resources", {}).get("/Font", {})
        for key, ref in fonts.items():
            font = ref.get_object()
            base = str(font.get("/BaseFont"))
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            if "Helvetica" in base or not any(k in desc for k in ("/FontFile", "/FontFile2",
                                                                   "/FontFile3")):
                problems.append(f"page {number}: {key} {base} not embedded")
    return problems


def test_every_font_is_embedded(fonts):
    data, _ = bulletin_pdf_bytes(sample(30, previous=True), fonts=fonts)
    assert font_problems(data) == []
    assert b"Helvetica" not in data


def test_every_glyph_is_inside_the_type_area_except_page_numbers(fonts):
    data, _ = bulletin_pdf_bytes(sample(40, previous=True), fonts=fonts)
    bottom = TOP_MARGIN + BODY_HEIGHT
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for ch in page.chars:
                if ch["top"] >= bottom:  # the page number under the 版心
                    assert ch["text"] in "— 0123456789", ch
                    continue
                assert ch["x0"] >= LEFT_MARGIN - EPS, ch
                assert ch["x1"] <= LEFT_MARGIN + BODY_WIDTH + EPS, ch
                assert ch["top"] >= TOP_MARGIN - EPS, ch
            for obj in page.rects + page.lines:
                assert LEFT_MARGIN - EPS <= obj["x0"] <= obj["x1"] <= \
                    LEFT_MARGIN + BODY_WIDTH + EPS
                assert TOP_MARGIN - EPS <= obj["top"] <= obj["bottom"] <= bottom + EPS


def test_invariant_output_is_byte_identical(tmp_path, fonts):
    b = sample(20, previous=True)
    one, two = tmp_path / "1.pdf", tmp_path / "2.pdf"
    bulletin_pdf(b, one, fonts=fonts, invariant=True)
    bulletin_pdf(b, two, fonts=fonts, invariant=True)
    assert one.read_bytes() == two.read_bytes()


def test_edited_text_renders_with_the_charts(fonts):
    b = sample(8)
    text = bulletin_text(b).replace("逐条认真整改", "逐条认真整改并建立整改台账").replace(
        "金星镇人民政府\n", "金星镇政务公开工作领导小组\n")
    data, _ = bulletin_pdf_bytes(text, charts=b.charts, fonts=fonts)
    whole = "".join(pages_text(data))
    assert "建立整改台账" in whole
    assert "金星镇政务公开工作领导小组2017年10月12日" in whole
    assert whole.index("排名社区得分等次") < whole.index("图1") < whole.index("二、考核等次")
    # a text alone has no data for charts
    assert "图1" not in "".join(pages_text(bulletin_pdf_bytes(text, fonts=fonts)[0]))
    # and an edited Bulletin keeps its charts
    data2, _ = bulletin_pdf_bytes(b.with_text(text), fonts=fonts)
    assert "图1" in "".join(pages_text(data2))


def test_text_without_a_date_is_refused(fonts):
    with pytest.raises(UserError):
        bulletin_pdf_bytes("关于某事的通报\n\n正文。\n", fonts=fonts)


def test_fifty_communities_keep_one_chart_a_page_and_more_are_continued(fonts):
    fifty = "".join(pages_text(bulletin_pdf_bytes(sample(50), fonts=fonts)[0]))
    assert "图1" in fifty and "（续）" not in fifty
    many = sample(120)
    data, _ = bulletin_pdf_bytes(many, fonts=fonts)
    whole = "".join(pages_text(data))
    assert whole.count("考核得分排名（续）") == 2  # 120 rows: three charts of 40
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        bars = sum(1 for p in pdf.pages for r in p.rects if r["height"] < 14 and r["width"] > 20)
    assert bars >= 120
