"""notice_pdf: GB/T 9704-2012 layout, read back from the PDF with pdfplumber and pypdf."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdesk.core.documents import NoticeDocument
from govdesk.core.errors import UserError
from govdesk.core.notices import parse_body
from govdesk.export import gbt9704
from govdesk.export.fonts import resolve_fonts
from govdesk.export.gbt9704 import (
    BODY_HEIGHT,
    BODY_WIDTH,
    CHAR_PITCH,
    LEFT_MARGIN,
    LINE_PITCH,
    MM,
    NO_LINE_END,
    NO_LINE_START,
    TOP_MARGIN,
    balanced_lines,
    break_units,
    fontify,
    layout_text,
    text_width,
)
from govdesk.export.notice_pdf import notice_pdf
from govdesk.export.pdf_write import write_atomically

FORBIDDEN_AT_START = "，。、；：！？）》」"
ISSUER = "青山镇人民政府"
PUBLIC_NOTICE_BODY = """根据《城乡居民最低生活保障条例》和县民政局有关规定，经村（居）民委员会民主评议、镇人民政府审核，拟将下列家庭纳入2018年第一季度农村最低生活保障范围，现予以公示。
| 序号 | 姓名 | 所在村（社区） | 家庭人口 | 保障金额（元/月） |
|---|---|---|---|---|
| 1 | 张* | 柳河村 | 3 | 780 |
| 2 | 李** | 云溪社区 | 2 | 520 |"""


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts()


def make_doc(body: str = "", **kw) -> NoticeDocument:
    values = dict(
        index_number="000014349/2018-00012",
        title="关于2018年第一季度农村最低生活保障对象的公示",
        blocks=tuple(parse_body(body)),
        issuer=ISSUER,
        dated=date(2018, 3, 10),
    )
    values.update(kw)
    return NoticeDocument(**values)


def public_notice(body: str = PUBLIC_NOTICE_BODY, **kw) -> NoticeDocument:
    kw.setdefault("note", "此件公开发布")
    kw.setdefault("period_line", "公示时间：2018年3月11日至2018年3月17日（共7天）")
    kw.setdefault(
        "objection",
        "公示期间，如有异议，请以书面、电话等形式向青山镇民政办反映。"
        "以个人名义反映的提倡留真实姓名和联系方式，以单位名义反映的应加盖本单位公章。",
    )
    kw.setdefault("phone_line", "监督电话：0571-88881234")
    return make_doc(body, **kw)


def formal_body(sections: int = 3) -> str:
    paras = []
    for h in ["一、总体要求", "二、主要任务", "三、保障措施", "四、工作要求"][:sections]:
        paras.append(h)
        paras.append(
            "（一）加强组织领导。各村（社区）要把政务公开工作摆上重要议事日程，明确分管领导和"
            "具体工作人员，建立健全信息发布、审核、保密审查等制度，确保公开内容真实、准确、及时。"
        )
        paras.append(
            "1.要按照《中华人民共和国政府信息公开条例》规定，自信息形成或者变更之日起20个工作日内"
            "予以公开；公开栏要设置在群众集中、便于观看的地方，并做到防雨、防晒。"
        )
        paras.append("（1）每季度至少更新一次，重要事项随时公开，公开时间不少于7天。")
    return "\n".join(paras)


def formal_doc(sections: int = 3, **kw) -> NoticeDocument:
    kw.setdefault("title", "青山镇人民政府关于进一步加强和规范村（社区）政务公开工作的通知")
    kw.setdefault("note", "此件公开发布")
    kw.setdefault("doc_number", "青政发〔2025〕5号")
    kw.setdefault("header_name", "青山镇人民政府文件")
    return make_doc(formal_body(sections), **kw)


def build(
    tmp_path: Path, doc: NoticeDocument, fonts, name: str = "n.pdf", **kw
) -> tuple[Path, int]:
    path = tmp_path / name
    kw.setdefault("invariant", True)
    pages = notice_pdf(doc, path, fonts=fonts, **kw)
    return path, pages


def lines_of(page) -> list[list[dict]]:
    """Characters grouped by baseline (fonts with different descents share a baseline), top to
    bottom, each line left to right."""
    rows: dict[float, list[dict]] = {}
    for c in page.chars:
        rows.setdefault(round(c["matrix"][5], 1), []).append(c)
    return [sorted(cs, key=lambda c: c["x0"]) for _, cs in sorted(rows.items(), reverse=True)]


def text(line: list[dict]) -> str:
    return "".join(c["text"] for c in line)


def is_page_number(t: str) -> bool:
    return re.fullmatch(r"— \d+ —", t) is not None


def is_furniture(t: str) -> bool:
    return is_page_number(t) or t.startswith("索引号")


def page_lines(path: Path) -> list[list[str]]:
    with pdfplumber.open(path) as pdf:
        return [[text(ln) for ln in lines_of(p)] for p in pdf.pages]


# --------------------------------------------------------------------------- page and type area


def test_a4_page_size_and_a3_poster(tmp_path, fonts):
    a4, _ = build(tmp_path, public_notice(), fonts, "a4.pdf")
    a3, _ = build(tmp_path, public_notice(), fonts, "a3.pdf", paper="A3")
    with pdfplumber.open(a4) as pdf:
        assert (pdf.pages[0].width, pdf.pages[0].height) == pytest.approx(
            (595.28, 841.89), abs=0.01
        )
    with pdfplumber.open(a3) as pdf:
        assert (pdf.pages[0].width, pdf.pages[0].height) == pytest.approx(
            (841.89, 1190.55), abs=0.01
        )


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_every_character_lies_inside_the_type_area(tmp_path, fonts, paper):
    for i, doc in enumerate((public_notice(), formal_doc(4))):
        path, _ = build(tmp_path, doc, fonts, f"{i}.pdf", paper=paper)
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                s = page.width / gbt9704.A4_SIZE[0]
                left, top = LEFT_MARGIN * s, TOP_MARGIN * s
                right, bottom = left + BODY_WIDTH * s, top + BODY_HEIGHT * s
                body = [ln for ln in lines_of(page) if not is_furniture(text(ln))]
                assert body
                for line in body:
                    for c in line:
                        assert left - 1 <= c["x0"] and c["x1"] <= right + 1, (text(line), c)
                        assert top - 1 <= c["top"] and c["bottom"] <= bottom + 1, (text(line), c)


def test_body_text_sits_on_the_22_by_28_grid(tmp_path, fonts):
    para = "政务公开" * 30  # pure CJK: 26 characters after the indent, then 28 per line
    path, _ = build(tmp_path, make_doc(para), fonts)
    with pdfplumber.open(path) as pdf:
        lines = [ln for ln in lines_of(pdf.pages[0]) if not is_furniture(text(ln))]
    body = [ln for ln in lines if "政务公开" in text(ln)]
    assert [len(ln) for ln in body[:3]] == [26, 28, 28]
    assert body[0][0]["x0"] == pytest.approx(LEFT_MARGIN + 2 * CHAR_PITCH, abs=0.1)  # 首行缩进二字
    assert body[1][0]["x0"] == pytest.approx(LEFT_MARGIN, abs=0.1)
    assert body[1][-1]["x1"] == pytest.approx(LEFT_MARGIN + BODY_WIDTH, abs=0.5)  # 撑满版心
    assert body[1][0]["size"] == pytest.approx(16)  # 3号
    gaps = [a[0]["matrix"][5] - b[0]["matrix"][5] for a, b in zip(body, body[1:], strict=False)]
    assert gaps == pytest.approx([LINE_PITCH] * len(gaps), abs=0.01)
    assert LINE_PITCH * 22 == pytest.approx(225 * MM)


def test_fonts_are_embedded_and_text_is_extractable(tmp_path, fonts):
    path, _ = build(tmp_path, public_notice(), fonts)
    reader = pypdf.PdfReader(path)
    seen = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/TrueType", font
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
            seen += 1
    assert seen
    with pdfplumber.open(path) as pdf:
        flat = "".join(p.extract_text() for p in pdf.pages).replace("\n", "")
    for expected in (
        "关于2018年第一季度农村最低生活保障对象的公示",
        "根据《城乡居民最低生活保障条例》和县民政局有关规定",
        "序号",
        "姓名",
        "所在村（社区）",
        "云溪社区",
        "780",
        "公示期间，如有异议，请以书面、电话等形式向青山镇民政办反映。",
        "公示时间：2018年3月11日至2018年3月17日（共7天）",
        "监督电话：0571-88881234",
        ISSUER,
        "2018年3月10日",
        "（此件公开发布）",
    ):
        assert expected in flat, expected


def test_headings_use_their_faces(tmp_path, fonts):
    body = "一、总体要求\n（一）加强组织领导。各村要明确分管领导。\n1.按时公开。\n（1）每季度更新。"
    path, _ = build(tmp_path, make_doc(body), fonts)
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[0].chars

    def face(ch: str) -> str:
        return next(c["fontname"] for c in chars if c["text"] == ch).split("+", 1)[1]

    # on this machine 黑体, 楷体 and 仿宋 resolve to three different files
    assert len({fonts[r].path for r in ("heading1", "heading2", "body")}) == 3
    assert face("总") != face("按")  # 一、 in 黑体
    assert face("加") not in (face("按"), face("总"))  # （一） in 楷体
    assert face("各") == face("按") == face("每")  # the run-on text and levels 3-4 in 仿宋


# --------------------------------------------------------------------------- title


def test_long_title_lines_are_balanced(tmp_path, fonts):
    title = "青山镇人民政府关于进一步加强和规范村（社区）政务公开工作推进基层政务公开标准化规范化建设的通知"
    path, _ = build(tmp_path, make_doc("正文。", title=title), fonts)
    with pdfplumber.open(path) as pdf:
        lines = [ln for ln in lines_of(pdf.pages[0]) if ln[0]["size"] > 20]
    assert "".join(text(ln) for ln in lines) == title
    widths = [ln[-1]["x1"] - ln[0]["x0"] for ln in lines]
    assert len(lines) == 3
    assert min(widths) >= max(widths) / 3
    centre = LEFT_MARGIN + BODY_WIDTH / 2
    for ln in lines:  # centred
        assert (ln[0]["x0"] + ln[-1]["x1"]) / 2 == pytest.approx(centre, abs=1)


@pytest.mark.parametrize("extra", range(0, 6))
def test_title_just_over_one_line_leaves_no_orphan(fonts, extra):
    title = "关于青山镇柳河村村务公开栏建设情况" + "检查结果公示"[:extra]  # 17 … 23 characters
    lines = balanced_lines(title, [fonts["title"].name], 22, BODY_WIDTH)
    counts = [len(ln.text) for ln in lines]
    assert "".join(ln.text for ln in lines) == title
    if len(title) * 22 > BODY_WIDTH:
        assert len(lines) == 2
        assert min(counts) >= max(counts) / 3
        assert abs(counts[0] - counts[1]) <= 4
    else:
        assert len(lines) == 1


@pytest.mark.parametrize(
    ("title", "whole"),
    [
        (
            "青山镇人民政府关于2025年度城乡居民最低生活保障资金发放情况的公示",
            ["城乡居民", "最低生活保障"],
        ),
        ("关于公布青山镇第一批“最多跑一次”事项清单的通知", ["“最多跑一次”"]),
        ("关于2025年度村（社区）“两委”干部述职评议结果的公示", ["村（社区）", "“两委”"]),
        ("关于2018年第一季度农村最低生活保障对象的公示", ["最低生活保障", "公示"]),
        # the name of a document stays whole when it fits on a line at a fair balance; when it
        # must break, it breaks between words
        ("关于印发《云溪镇2026年政务公开工作要点》的通知", ["云溪镇2026年", "政务公开工作要点"]),
        ("青山县云溪镇人民政府办公室关于转发《政务公开考核细则》的通知",
         ["《政务公开考核细则》"]),
        ("关于青山镇柳河村村务公开栏建设情况检查结果公示", ["村务公开栏"]),
    ],
)
def test_title_keeps_words_and_quotes_whole(fonts, title, whole):
    lines = [ln.text for ln in balanced_lines(title, [fonts["title"].name], 22, BODY_WIDTH)]
    assert len(lines) == 2 and "".join(lines) == title
    for word in whole:
        assert any(word in ln for ln in lines), (word, lines)
    assert not lines[1].startswith("的")


# --------------------------------------------------------------------------- line breaking


def test_no_line_starts_with_closing_punctuation(tmp_path, fonts):
    # each paragraph puts a closing mark exactly where a greedy breaker would start a new line
    paras = ["测" * 26 + p + "试" * 27 + p + "文" * 12 for p in FORBIDDEN_AT_START] + [
        "一二三四五六七八九十" * 2 + "号码0571-88881234、" + "字" * 40
    ]
    path, _ = build(tmp_path, make_doc("\n".join(paras)), fonts)
    with pdfplumber.open(path) as pdf:
        lines = [ln for p in pdf.pages for ln in lines_of(p) if not is_furniture(text(ln))]
    for ln in lines:
        assert text(ln)[0] not in FORBIDDEN_AT_START, text(ln)
    # the line that gave a character away is still justified to the full width
    first = next(ln for ln in lines if text(ln).startswith("测"))
    assert text(first) == "测" * 25
    assert first[-1]["x1"] == pytest.approx(LEFT_MARGIN + BODY_WIDTH, abs=0.5)
    # numbers are not cut
    assert any("0571-88881234" in text(ln) for ln in lines)


def test_line_breaker_rules(fonts):
    body = fonts["body"].name
    for p in FORBIDDEN_AT_START + "”’":
        for n in range(24, 30):
            lines = layout_text(
                fontify("字" * n + p + "字" * 40, [body]),
                16,
                BODY_WIDTH,
                first_indent=2 * CHAR_PITCH,
                char_space=CHAR_PITCH - 16,
            )
            assert all(ln.text[0] not in FORBIDDEN_AT_START + "”’" for ln in lines)
            assert "".join(ln.text for ln in lines) == "字" * n + p + "字" * 40
    for p in "（《「“":
        for n in range(24, 30):
            lines = layout_text(fontify("字" * n + p + "字" * 40, [body]), 16, BODY_WIDTH)
            assert all(not ln.text.endswith(p) for ln in lines)


_ALPHABET = (
    "政务公开镇村民的一二三" + "，。、；：！？）》」”" + "（《「“" + "0123456789" + "ab -" + "　"
)


@given(text=st.text(alphabet=_ALPHABET, min_size=1, max_size=200), indent=st.booleans())
def test_line_breaker_properties(fonts, text, indent):
    body = fonts["body"].name
    size, pitch = 16.0, CHAR_PITCH
    first = 2 * pitch if indent else 0.0
    lines = layout_text(
        fontify(text, [body]), size, BODY_WIDTH, first_indent=first, char_space=pitch - size
    )
    # nothing lost or reordered: only whitespace at the breaks goes
    assert "".join("".join(ln.text.split()) for ln in lines) == "".join(text.split())
    hard_cut = any(
        text_width(text[a:b], body, size, pitch - size) > BODY_WIDTH - first
        for a, b in break_units(text)
    )
    for i, ln in enumerate(lines):
        assert ln.text and not ln.text[0].isspace() and not ln.text[-1].isspace()
        # every line fits (justified lines exactly fill the width)
        avail = BODY_WIDTH - (first if i == 0 else 0.0)
        width = text_width(ln.text, body, size, ln.char_space)
        assert width <= avail + 0.01
        if not hard_cut:
            if i > 0:
                assert ln.text[0] not in NO_LINE_START
            if i < len(lines) - 1:
                assert ln.text[-1] not in NO_LINE_END


def test_reportlab_cjk_wrap_is_patched_too():
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for ch in FORBIDDEN_AT_START:
        assert ch in textsplit.ALL_CANNOT_START
        assert ch in paragraph.ALL_CANNOT_START


# --------------------------------------------------------------------------- pages


def test_three_pages_numbered_odd_right_even_left(tmp_path, fonts):
    path, pages = build(tmp_path, formal_doc(4), fonts)
    assert pages == 3
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            numbers = [ln for ln in lines_of(page) if is_page_number(text(ln))]
            assert [text(ln) for ln in numbers] == [f"— {n} —"]
            ln = numbers[0]
            assert ln[0]["size"] == pytest.approx(14)  # 4号
            if n % 2:  # 单页码居右空一字
                assert ln[-1]["x1"] == pytest.approx(LEFT_MARGIN + BODY_WIDTH - 14, abs=0.5)
            else:  # 双页码居左空一字
                assert ln[0]["x0"] == pytest.approx(LEFT_MARGIN + 14, abs=0.5)
            # the 一字线 (middle of the em box) is 7 mm below the 版心
            middle = (ln[0]["top"] + ln[0]["bottom"]) / 2
            assert middle - (TOP_MARGIN + BODY_HEIGHT) == pytest.approx(7 * MM, abs=1.5)


@pytest.mark.parametrize("count", range(12, 26))
def test_signature_never_alone_on_a_page(tmp_path, fonts, count):
    body = "\n".join(f"第{i}条，按规定公开。" for i in range(count))
    doc = make_doc(body, note="此件公开发布")
    path, _ = build(tmp_path, doc, fonts)
    last = page_lines(path)[-1]
    closing = {ISSUER, "2018年3月10日", "（此件公开发布）"}
    assert [t for t in last if not is_furniture(t) and t not in closing], last
    assert ISSUER in last and "2018年3月10日" in last


@pytest.mark.parametrize("count", range(12, 24))
def test_a_heading_never_ends_a_page(tmp_path, fonts, count):
    lines = [f"第{i}条，按规定公开。" for i in range(count)]
    body = "\n".join([*lines, "二、主要任务",
                      "各村（社区）要把政务公开工作摆上重要议事日程，明确分管领导和具体工作人员，"
                      "建立健全信息发布、审核、保密审查等制度，确保公开内容真实、准确、及时。"
                      "公开栏要设置在群众集中、便于观看的地方。", "三、工作要求", "按时报送。"])
    path, _ = build(tmp_path, make_doc(body), fonts)
    for page in page_lines(path):
        text = [t for t in page if not is_furniture(t)]
        assert text and not text[-1].startswith(("二、", "三、")), (count, text[-3:])


SPILLING_BODY = (
    PUBLIC_NOTICE_BODY
    + "\n| 3 | 王*赟 | 柳河村 | 1 | 300 |\n| 4 | 赵** | 云溪社区 | 4 | 1040 |\n"
    + "以上家庭经入户调查、邻里访问、信息核对和民主评议，家庭人均收入均低于本县2018年农村"
    "最低生活保障标准（每人每月390元）。"
)


def baseline_gaps(page) -> set[float]:
    ys = [ln[0]["matrix"][5] for ln in lines_of(page) if not is_furniture(text(ln))]
    return {round(a - b, 2) for a, b in zip(ys, ys[1:], strict=False)}


def test_closing_that_would_spill_is_pulled_back_by_tighter_line_spacing(tmp_path, fonts):
    # 7.3.5.5: with 22 lines the phone line and the closing would make a second page
    path, pages = build(tmp_path, public_notice(SPILLING_BODY), fonts)
    assert pages == 1
    with pdfplumber.open(path) as pdf:
        gaps = baseline_gaps(pdf.pages[0])
    tight = {round(BODY_HEIGHT / 23, 2), round(BODY_HEIGHT / 24, 2)}
    assert gaps & tight and round(LINE_PITCH, 2) not in gaps
    # the A3 poster makes the same decision
    a3, pages3 = build(tmp_path, public_notice(SPILLING_BODY), fonts, "a3.pdf", paper="A3")
    assert pages3 == 1 and page_lines(a3) == page_lines(path)


def test_long_documents_keep_the_22_line_grid(tmp_path, fonts):
    path, pages = build(tmp_path, formal_doc(4), fonts)
    with pdfplumber.open(path) as pdf:
        gaps = baseline_gaps(pdf.pages[1])  # a full page with no title or table
    assert gaps == {round(LINE_PITCH, 2)}


def test_table_spanning_pages_repeats_its_header(tmp_path, fonts):
    rows = "\n".join(
        f"| {i} | 张{i:02d} | 柳河村 | {i % 5 + 1} | {300 + i} |" for i in range(1, 46)
    )
    body = "拟纳入保障范围的家庭如下。\n| 序号 | 姓名 | 所在村 | 人口 | 金额（元） |\n" + rows
    path, pages = build(tmp_path, public_notice(body), fonts)
    assert pages >= 3
    header = "序号姓名所在村人口金额（元）"
    with_rows = 0
    for lines in page_lines(path):
        table = [t for t in lines if re.match(r"^\d+张", t) or t == header]
        if any(t != header for t in table):
            with_rows += 1
            assert table[0] == header, table[:2]
    assert with_rows >= 2


@pytest.mark.parametrize("count", range(14, 34))
def test_document_ending_in_a_table_keeps_header_rows_and_closing_together(
    tmp_path, fonts, count
):
    # 7.3.5.5 keeps the 署名 with the table's last row; the page that row lands on still needs
    # the header row above it.
    rows = "\n".join(f"| {i} | 张{i:02d} | 柳河村 | {300 + i} |" for i in range(1, count + 1))
    doc = make_doc("名单如下。\n| 序号 | 姓名 | 所在村 | 金额（元） |\n" + rows)
    path, _ = build(tmp_path, doc, fonts)
    header = "序号姓名所在村金额（元）"
    pages = page_lines(path)
    for lines in pages:
        table = [t for t in lines if re.match(r"^\d+张", t) or t == header]
        if any(t != header for t in table):
            assert table[0] == header, (count, table[:2])
    last = pages[-1]
    assert any(re.match(r"^\d+张", t) for t in last), (count, last)
    assert ISSUER in last and "2018年3月10日" in last
    rows_printed = [t for lines in pages for t in lines if re.match(r"^\d+张", t)]
    assert len(rows_printed) == count


def test_too_wide_tables_are_refused_with_their_name(tmp_path, fonts):
    nine = "| " + " | ".join(f"列{i}" for i in range(9)) + " |\n| " + " | ".join("1" * 9) + " |"
    with pytest.raises(UserError, match=r"正文第1个表格（表头：列0、列1、列2、列3……）有9列"):
        build(tmp_path, make_doc(nine), fonts)
    long_numbers = "| 甲 | 乙 | 丙 | 丁 |\n| " + " | ".join(["1234567890" * 3] * 4) + " |"
    with pytest.raises(UserError, match="正文第1个表格.*太宽"):
        build(tmp_path, make_doc("说明。\n" + long_numbers), fonts)
    assert not list(tmp_path.iterdir())


def test_public_notice_lines_and_signature_placement(tmp_path, fonts):
    path, pages = build(tmp_path, public_notice(), fonts)
    with pdfplumber.open(path) as pdf:
        lines = [ln for p in pdf.pages for ln in lines_of(p)]
    texts = [text(ln) for ln in lines]
    i = texts.index(ISSUER)
    issuer, dated = lines[i], lines[i + 1]
    assert text(dated) == "2018年3月10日"
    assert texts[i + 2] == "（此件公开发布）"
    assert texts[i - 1] == "监督电话：0571-88881234"
    # 署名 one blank line under the body, 右空二字; date 2 characters right of the 署名
    assert issuer[0]["matrix"][5] == pytest.approx(
        lines[i - 1][0]["matrix"][5] - 2 * LINE_PITCH, abs=0.01
    )
    assert issuer[-1]["x1"] == pytest.approx(LEFT_MARGIN + BODY_WIDTH - 2 * CHAR_PITCH, abs=0.5)
    assert dated[0]["x0"] == pytest.approx(issuer[0]["x0"] + 2 * CHAR_PITCH, abs=0.5)
    # 附注 居左空二字
    assert lines[i + 2][0]["x0"] == pytest.approx(LEFT_MARGIN + 2 * CHAR_PITCH, abs=0.5)
    # order after the body: objection clause, period line, phone line
    j = next(k for k, t in enumerate(texts) if t.startswith("公示期间"))
    assert texts.index("公示时间：2018年3月11日至2018年3月17日（共7天）") > j
    assert texts.index("监督电话：0571-88881234") > j


def test_date_longer_than_issuer_moves_the_issuer_left(tmp_path, fonts):
    doc = make_doc("正文。", issuer="青山镇", dated=date(2018, 12, 31))
    path, _ = build(tmp_path, doc, fonts)
    with pdfplumber.open(path) as pdf:
        lines = lines_of(pdf.pages[0])
    texts = [text(ln) for ln in lines]
    issuer, dated = lines[texts.index("青山镇")], lines[texts.index("2018年12月31日")]
    assert dated[-1]["x1"] == pytest.approx(LEFT_MARGIN + BODY_WIDTH - 2 * CHAR_PITCH, abs=0.5)
    assert dated[0]["x0"] == pytest.approx(issuer[0]["x0"] + 2 * CHAR_PITCH, abs=0.5)


def test_empty_body_still_prints(tmp_path, fonts):
    path, pages = build(tmp_path, make_doc(""), fonts)
    assert pages == 1
    texts = page_lines(path)[0]
    assert texts[0] + texts[1] == "关于2018年第一季度农村最低生活保障对象的公示"
    assert ISSUER in texts and "2018年3月10日" in texts


def test_red_header(tmp_path, fonts):
    path, _ = build(tmp_path, formal_doc(1), fonts)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        lines = lines_of(page)
        rules = [
            e for e in page.lines + page.rects if e.get("stroking_color") not in (None, (0,), [0])
        ]
    texts = [text(ln) for ln in lines]
    assert texts[:2] == ["青山镇人民政府文件", "青政发〔2025〕5号"]
    mark, number = lines[0], lines[1]
    assert mark[0]["top"] == pytest.approx(TOP_MARGIN + 35 * MM, abs=2)  # 7.2.4
    assert mark[0]["non_stroking_color"] in ((0.9, 0, 0), [0.9, 0, 0])
    assert number[0]["non_stroking_color"] in ((0,), [0], (0, 0, 0), [0, 0, 0], None)
    assert (mark[0]["x0"] + mark[-1]["x1"]) / 2 == pytest.approx(
        LEFT_MARGIN + BODY_WIDTH / 2, abs=1
    )
    assert len(rules) == 1
    rule = rules[0]
    assert rule["x0"] == pytest.approx(LEFT_MARGIN, abs=0.5)
    assert rule["x1"] == pytest.approx(LEFT_MARGIN + BODY_WIDTH, abs=0.5)
    assert rule["top"] - number[0]["bottom"] == pytest.approx(4 * MM, abs=2.5)  # 7.2.7
    title = lines[2]
    assert title[0]["top"] > rule["top"] + 2 * LINE_PITCH - 1  # 空二行


def test_footer_line_is_small_grey_and_outside_the_type_area(tmp_path, fonts):
    path, _ = build(tmp_path, public_notice(), fonts, footer_code="校验码 7F3A")
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            footer = [ln for ln in lines_of(page) if text(ln).startswith("索引号")]
            assert [text(ln) for ln in footer] == ["索引号：000014349/2018-00012　　校验码 7F3A"]
            number = next(ln for ln in lines_of(page) if is_page_number(text(ln)))
            assert footer[0][0]["size"] <= 7
            assert footer[0][0]["top"] > number[0]["bottom"]
            assert footer[0][0]["bottom"] < page.height - 10 * MM


# --------------------------------------------------------------------------- A3, determinism, size


def test_a3_poster_has_the_same_text_and_line_breaks(tmp_path, fonts):
    doc = formal_doc(4)
    a4, n4 = build(tmp_path, doc, fonts, "a4.pdf")
    a3, n3 = build(tmp_path, doc, fonts, "a3.pdf", paper="A3")
    assert n4 == n3 == 3
    assert page_lines(a4) == page_lines(a3)
    with pdfplumber.open(a4) as p4, pdfplumber.open(a3) as p3:
        c4, c3 = p4.pages[1].chars[0], p3.pages[1].chars[0]
        scale = 420 / 297
        assert c3["x0"] == pytest.approx(c4["x0"] * scale, abs=0.2)
        assert c3["size"] == pytest.approx(c4["size"] * scale, abs=0.01)


def test_same_input_gives_identical_bytes(tmp_path, fonts):
    a, _ = build(tmp_path, public_notice(), fonts, "a.pdf")
    b, _ = build(tmp_path, public_notice(), fonts, "b.pdf")
    assert a.read_bytes() == b.read_bytes()


def test_one_page_notice_is_small(tmp_path, fonts):
    path, pages = build(tmp_path, make_doc(PUBLIC_NOTICE_BODY, note="此件公开发布"), fonts)
    assert pages == 1
    assert path.stat().st_size <= 150_000


# --------------------------------------------------------------------------- writing the file


def test_missing_folder_gives_user_error(tmp_path, fonts):
    with pytest.raises(UserError, match="无法在该文件夹中写入文件"):
        notice_pdf(make_doc("正文。"), tmp_path / "没有" / "n.pdf", fonts=fonts)
    assert not list(tmp_path.iterdir())


def test_target_that_cannot_be_replaced_leaves_no_temp_file(tmp_path, fonts):
    (tmp_path / "n.pdf").mkdir()  # a folder where the file should go
    with pytest.raises(UserError, match="写入文件失败：n.pdf"):
        notice_pdf(make_doc("正文。"), tmp_path / "n.pdf", fonts=fonts)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.pdf"]


def test_locked_target_keeps_the_old_file(tmp_path, fonts, monkeypatch):
    target = tmp_path / "n.pdf"
    target.write_bytes(b"old")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(UserError, match="文件被其他程序占用，请先关闭后再打印：n.pdf"):
        notice_pdf(make_doc("正文。"), target, fonts=fonts)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["n.pdf"]


def test_failed_build_keeps_the_old_file(tmp_path):
    target = tmp_path / "n.pdf"
    target.write_bytes(b"old")

    def fail(fh):
        fh.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(UserError, match="原文件未改动"):
        write_atomically(target, fail)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["n.pdf"]
    assert write_atomically(target, lambda fh: fh.write(b"new")) == 3
    assert target.read_bytes() == b"new"


def test_addressee_line_is_flush_left(tmp_path, fonts):
    # GB/T 9704 7.3.2: 主送机关 under the title, flush left; the paragraphs after it indented.
    path, _ = build(tmp_path, make_doc("各社区（村），镇直各部门：\n为切实做好相关工作，现通知如下。"),
                    fonts)
    with pdfplumber.open(path) as pdf:
        lines = [ln for ln in lines_of(pdf.pages[0]) if not is_furniture(text(ln))]
    addressee = next(ln for ln in lines if text(ln).startswith("各社区"))
    paragraph = next(ln for ln in lines if text(ln).startswith("为切实"))
    assert addressee[0]["x0"] == pytest.approx(LEFT_MARGIN, abs=0.1)
    assert paragraph[0]["x0"] == pytest.approx(LEFT_MARGIN + 2 * CHAR_PITCH, abs=0.1)
