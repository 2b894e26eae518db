"""slip_pdf: the one-page approval slip, read back from real PDFs with pdfplumber and pypdf."""

from __future__ import annotations

import dataclasses
import io
import os
from datetime import date
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from reportlab.pdfbase import pdfmetrics

from govdesk.core.errors import UserError
from govdesk.core.slip_form import SlipBox, SlipForm
from govdesk.export.fonts import ResolvedFont, resolve_fonts
from govdesk.export.slip_pdf import (
    slip_pdf,
    slip_qr_drawing,
    slip_qr_payload,
    uses_tick_glyphs,
)

MM = 72 / 25.4
A4_W, A4_H = 595.2756, 841.8898
LEFT_MARGIN = RIGHT_MARGIN = 20 * MM
TOP_MARGIN = BOTTOM_MARGIN = 15 * MM

TOWNSHIP = "青山县云溪镇人民政府"
FORM_TITLE = f"{TOWNSHIP}信息公开审批单"
NUMBER = "SP2026-0007"
HASH = "0123456789abcdef" * 4
NOTE = "筛查提示“身份证号”1处：为公示对象的脱敏号码（前6后4），准予公开。"

BOXES = (
    SlipBox("科室（社区）负责人审核", opinion="内容属实，同意报送保密审查。", decision="同意",
            signer="王建国", signed_on=date(2026, 3, 2)),
    SlipBox("保密审查", opinion="经审查，不涉及国家秘密和工作秘密。", decision="同意",
            signer="李秀梅", signed_on=date(2026, 3, 3),
            notes=(NOTE, "筛查提示“手机号”1处：为单位值班电话，准予公开。")),
    SlipBox("分管领导审核", opinion="同意公开。", decision="同意", signer="赵德明",
            signed_on=date(2026, 3, 4), paper=True, entered_by="陈小燕"),
    SlipBox("主要领导审批"),
)
SIGNERS = ("王建国", "李秀梅", "赵德明")
OPINIONS = ("内容属实，同意报送保密审查。", "不涉及国家秘密和工作秘密", "同意公开。")


def make_form(**kw) -> SlipForm:
    values = dict(
        township=TOWNSHIP,
        number=NUMBER,
        filled_on=date(2026, 3, 1),
        title="关于2026年第一季度农村最低生活保障对象的公示",
        doc_number="云溪府〔2026〕12号",
        unit="社会事务办公室",
        drafter="陈小燕",
        carrier="非公文类",
        summary="根据《城乡居民最低生活保障条例》和县民政局有关规定，经村（居）民委员会民主评议、"
        "镇人民政府审核，拟将下列家庭纳入2026年第一季度农村最低生活保障范围，现予以公示。",
        disclosure="主动公开",
        disclosure_reason="",
        channels=("政务公开栏", "门户网站"),
        scope="全社会",
        planned_on=date(2026, 3, 5),
        period="2026年3月5日至2026年3月11日（共5个工作日）",
        content_hash=HASH,
        boxes=BOXES,
        status="审批中",
        audit_code="fedcba987654",
    )
    values.update(kw)
    return SlipForm(**values)


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts()


def build(tmp_path: Path, form: SlipForm, fonts, name: str = "slip.pdf", **kw) -> Path:
    path = tmp_path / name
    assert slip_pdf(form, path, fonts=fonts, invariant=True, **kw) == 1
    return path


def page_text(path: Path) -> str:
    """The page's characters in drawing order (no spaces added between cells)."""
    with pdfplumber.open(path) as pdf:
        return "".join(c["text"] for c in pdf.pages[0].chars)


def find_chars(page, text: str) -> list[dict]:
    chars = page.chars
    joined = "".join(c["text"] for c in chars)
    at = joined.find(text)
    assert at >= 0, f"{text!r} not on the page"
    return chars[at : at + len(text)]


def grid_rules(page) -> list[float]:
    """y (top-down) of the horizontal rules that span the grid."""
    return sorted({round(e["top"], 2) for e in page.horizontal_edges if e["width"] > 100})


def row_height(page, label: str) -> float:
    """Height of the grid row holding ``label``."""
    ch = find_chars(page, label)[0]
    mid = (ch["top"] + ch["bottom"]) / 2
    rules = grid_rules(page)
    above = max(y for y in rules if y < mid)
    below = min(y for y in rules if y > mid)
    return below - above


# --------------------------------------------------------------------------- one sheet of A4


def test_completed_slip_is_one_a4_portrait_page(tmp_path, fonts):
    path = build(tmp_path, make_form(), fonts)
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(A4_W, abs=0.5)
    assert float(box.height) == pytest.approx(A4_H, abs=0.5)


def test_completed_slip_text_is_extractable(tmp_path, fonts):
    text = page_text(build(tmp_path, make_form(), fonts))
    expected = [
        FORM_TITLE, f"编号：{NUMBER}", "填表日期：2026年3月1日", "状态：审批中",
        "信息名称", "关于2026年第一季度农村最低生活保障对象的公示", "文号", "云溪府〔2026〕12号",
        "承办单位", "社会事务办公室", "经办人", "陈小燕", "载体形式", "公文类", "非公文类",
        "内容摘要", "《城乡居民最低生活保障条例》", "公开属性", "主动公开", "依申请公开",
        "不予公开", "公开方式", "政务公开栏", "门户网站", "公开范围", "全社会", "特定群众",
        "拟公开时间", "2026年3月5日", "公示期", "2026年3月5日至2026年3月11日（共5个工作日）",
        "科室（社区）负责人审核意见", "保密审查意见", "分管领导审核意见", "主要领导审批意见",
        "签名：王建国", "日期：2026年3月2日", "签名：李秀梅", "日期：2026年3月3日",
        "签名：赵德明", "日期：2026年3月4日", "纸质签批（代录）", "录入人：陈小燕", NOTE,
        *OPINIONS,
        f"审批单编号 {NUMBER} · 内容校验码 {HASH[:12]} · 审计校验码 fedcba987654",
    ]
    for s in expected:
        assert s in text, s
    assert "理由和依据" not in text  # only when not 主动公开
    assert "其他" not in text  # channels were given


def test_decision_is_printed_before_the_opinion(tmp_path, fonts):
    text = page_text(build(tmp_path, make_form(), fonts))
    assert "同意。内容属实，同意报送保密审查。" in text
    assert "同意。同意公开。" not in text  # the opinion already says it


def test_dates_have_no_leading_zeros(tmp_path, fonts):
    form = make_form(filled_on=date(2026, 3, 1), planned_on=date(2026, 4, 9))
    text = page_text(build(tmp_path, form, fonts))
    assert "填表日期：2026年3月1日" in text
    assert "2026年4月9日" in text
    assert "03月" not in text and "01日" not in text and "09日" not in text


def test_pending_box_is_left_blank_and_tall_enough_to_sign(tmp_path, fonts):
    path = build(tmp_path, make_form(), fonts)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert row_height(page, "主要领导审批意见") >= 28 * MM
        text = "".join(c["text"] for c in page.chars)
    after = text[text.index("主要领导审批意见") :]
    assert after.startswith("主要领导审批意见签名：____")
    assert "日期：______年____月____日" in after


def test_paper_box_without_entered_by_still_marks_paper(tmp_path, fonts):
    boxes = (SlipBox("主要领导审批", opinion="同意。", decision="同意", signer="孙一",
                     signed_on=None, paper=True),)
    text = page_text(build(tmp_path, make_form(boxes=boxes), fonts))
    assert "签名：孙一" in text
    assert "日期：______年____月____日" in text
    assert "纸质签批（代录），录入人：" in text


# --------------------------------------------------------------------------- blank mode


def test_blank_slip_has_the_fields_but_no_decisions(tmp_path, fonts):
    path = build(tmp_path, make_form(), fonts, blank=True)
    assert len(pypdf.PdfReader(path).pages) == 1
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        text = "".join(c["text"] for c in page.chars)
        heights = [row_height(page, f"{b.stage}意见") for b in BOXES]
    assert FORM_TITLE in text and f"编号：{NUMBER}" in text
    assert "关于2026年第一季度农村最低生活保障对象的公示" in text and "社会事务办公室" in text
    for name in SIGNERS:
        assert name not in text
    for opinion in OPINIONS:
        assert opinion not in text
    assert NOTE not in text and "纸质签批" not in text and "录入人" not in text
    assert "状态：" not in text
    assert text.count("签名：____") == len(BOXES)
    assert HASH[:12] in text
    assert all(h >= 28 * MM for h in heights), heights


def test_status_is_left_out_when_empty(tmp_path, fonts):
    text = page_text(build(tmp_path, make_form(status=""), fonts))
    assert "状态：" not in text


# --------------------------------------------------------------------------- fields


def test_not_active_disclosure_shows_reason_and_no_channels_shows_other(tmp_path, fonts):
    form = make_form(disclosure="依申请公开", channels=(), scope="特定群众", period="",
                     disclosure_reason="涉及第三方合法权益，依据《条例》第十五条征求意见后公开。",
                     doc_number="", planned_on=None)
    text = page_text(build(tmp_path, form, fonts))
    assert "理由和依据涉及第三方合法权益，依据《条例》第十五条征求意见后公开。" in text
    assert "公开方式其他" in text
    assert "公示期—" in text and "拟公开时间—" in text and "文号—" in text


def tick_marks(page) -> list[dict]:
    """Stroked ticks: the non-rectangular paths the slip draws in checked boxes."""
    return [c for c in page.curves if c["width"] < 12 and c["height"] < 12]


def is_ticked(page, label: str) -> bool:
    """Whether the box just left of ``label`` is ticked (a ☑ glyph, or a stroked tick)."""
    chars = find_chars(page, label)
    joined = "".join(c["text"] for c in page.chars)
    before = joined[joined.find(label) - 1] if joined.find(label) > 0 else ""
    if before in "☑□":
        return before == "☑"
    first = chars[0]
    for t in tick_marks(page):
        if first["x0"] - 14 < t["x1"] <= first["x0"] + 0.5 and t["top"] < first["bottom"] \
                and t["bottom"] > first["top"]:
            return True
    return False


def test_chosen_boxes_are_ticked(tmp_path, fonts):
    with pdfplumber.open(build(tmp_path, make_form(), fonts, "default.pdf")) as pdf:
        page = pdf.pages[0]
        assert is_ticked(page, "非公文类") and not is_ticked(page, "公文类")
        assert is_ticked(page, "主动公开") and is_ticked(page, "全社会")
    form = make_form(carrier="公文类", disclosure="不予公开", scope="特定群众",
                     disclosure_reason="属于内部事务信息。")
    path = build(tmp_path, form, fonts)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert is_ticked(page, "公文类")
        assert not is_ticked(page, "非公文类")
        assert is_ticked(page, "不予公开")
        assert not is_ticked(page, "主动公开") and not is_ticked(page, "依申请公开")
        assert is_ticked(page, "特定群众") and not is_ticked(page, "全社会")
        assert is_ticked(page, "政务公开栏") and is_ticked(page, "门户网站")


def test_other_channel_box_is_not_ticked(tmp_path, fonts):
    path = build(tmp_path, make_form(channels=()), fonts)
    with pdfplumber.open(path) as pdf:
        assert not is_ticked(pdf.pages[0], "其他")


def test_tick_boxes_follow_the_body_font_coverage(fonts):
    body = pdfmetrics.getFont(fonts["body"].name).face
    has_both = ord("☑") in body.charToGlyph and ord("□") in body.charToGlyph
    assert uses_tick_glyphs(fonts["body"].name) == has_both


DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def test_a_body_font_with_ballot_box_glyphs_prints_them(tmp_path, fonts):
    """With a body font that has ☑ and □ the boxes are characters (Chinese falls back to 黑体)."""
    if not os.path.exists(DEJAVU):
        pytest.skip("DejaVu Sans (a font with ☑) is not installed")
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("SlipTestDejaVu", DEJAVU))
    assert uses_tick_glyphs("SlipTestDejaVu")
    with_glyphs = {**fonts, "body": ResolvedFont("SlipTestDejaVu", DEJAVU, 0, "DejaVu Sans")}
    path = build(tmp_path, make_form(), with_glyphs)
    text = page_text(path)
    for s in ("□公文类", "☑非公文类", "☑主动公开", "□依申请公开", "□不予公开", "☑政务公开栏",
              "☑门户网站", "☑全社会", "□特定群众"):
        assert s in text, s
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert not tick_marks(page)
        assert is_ticked(page, "非公文类") and not is_ticked(page, "公文类")
    assert_inside_margins(path)


def test_every_character_has_a_glyph_in_its_font(tmp_path, fonts):
    """No missing-glyph boxes: each extracted character is in the font it was set in."""
    faces = {}
    for f in fonts.values():
        face = pdfmetrics.getFont(f.name).face
        faces[(face.name + face.subfontNameX).decode()] = face
    for blank in (False, True):
        path = build(tmp_path, make_form(), fonts, f"g{blank}.pdf", blank=blank)
        with pdfplumber.open(path) as pdf:
            for ch in pdf.pages[0].chars:
                face = faces[ch["fontname"].split("+", 1)[1]]
                assert ord(ch["text"]) in face.charToGlyph, ch["text"]


# --------------------------------------------------------------------------- page furniture


def assert_inside_margins(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert page.chars
        for ch in page.chars:
            assert ch["x0"] >= LEFT_MARGIN - 0.01, ch["text"]
            assert ch["x1"] <= A4_W - RIGHT_MARGIN + 0.01, ch["text"]
            assert ch["top"] >= TOP_MARGIN - 0.01, ch["text"]
            assert ch["bottom"] <= A4_H - BOTTOM_MARGIN + 0.01, ch["text"]
        for obj in page.rects + page.lines + page.curves:
            assert obj["x0"] >= LEFT_MARGIN - 1 and obj["x1"] <= A4_W - RIGHT_MARGIN + 1
            assert obj["top"] >= TOP_MARGIN - 1 and obj["bottom"] <= A4_H - BOTTOM_MARGIN + 1


@pytest.mark.parametrize("blank", [False, True])
def test_everything_is_inside_the_margins(tmp_path, fonts, blank):
    assert_inside_margins(build(tmp_path, make_form(), fonts, blank=blank))


def test_fonts_are_embedded_subsets(tmp_path, fonts):
    reader = pypdf.PdfReader(build(tmp_path, make_form(), fonts))
    font_dict = reader.pages[0]["/Resources"]["/Font"]
    assert len(font_dict) >= 2
    for ref in font_dict.values():
        font = ref.get_object()
        for f in [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]:
            assert "/FontFile2" in f["/FontDescriptor"].get_object(), f["/BaseFont"]
            assert f["/BaseFont"][7:8] == "+"  # AAAAAA+Name: a subset


def test_qr_code_is_drawn_at_the_bottom_right(tmp_path, fonts):
    path = build(tmp_path, make_form(), fonts)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        modules = [r for r in page.rects if r["fill"] and r["height"] < 2 * MM
                   and r["x0"] > A4_W / 2 and r["top"] > A4_H / 2]
    assert len(modules) >= 50
    x0 = min(r["x0"] for r in modules)
    x1 = max(r["x1"] for r in modules)
    top = min(r["top"] for r in modules)
    bottom = max(r["bottom"] for r in modules)
    assert x1 <= A4_W - RIGHT_MARGIN + 0.01 and bottom <= A4_H - BOTTOM_MARGIN + 0.01
    assert 17 * MM <= x1 - x0 <= 22 * MM + 0.01  # 22 mm with its quiet zone
    assert 17 * MM <= bottom - top <= 22 * MM + 0.01
    assert x1 > A4_W - RIGHT_MARGIN - 3 * MM and bottom > A4_H - BOTTOM_MARGIN - 3 * MM


def test_qr_payload_and_widget():
    form = make_form()
    payload = slip_qr_payload(form)
    assert payload == f"govdesk-slip:{NUMBER}:{HASH[:12]}"
    drawing = slip_qr_drawing(form)
    assert drawing.width == drawing.height == pytest.approx(22 * MM)
    (widget,) = drawing.contents
    assert widget.value == payload
    assert widget.barWidth == widget.barHeight == pytest.approx(22 * MM)


def test_footer_without_audit_code(tmp_path, fonts):
    text = page_text(build(tmp_path, make_form(audit_code=""), fonts))
    assert f"审批单编号 {NUMBER} · 内容校验码 {HASH[:12]}" in text
    assert "审计校验码" not in text


# --------------------------------------------------------------------------- one sheet, always


def test_long_title_and_summary_still_fit_one_page(tmp_path, fonts):
    title = "关于" + "青山县云溪镇柳河村第三村民小组道路硬化工程项目资金使用情况" * 4 + "的公示"
    summary = "".join(f"第{i}项：本镇按照有关规定开展了相关工作并形成书面材料。" for i in range(40))
    summary = summary[:600]
    assert len(summary) == 600
    boxes = (*BOXES[:3], dataclasses.replace(BOXES[0], stage="主要领导审批", signer="孙一",
                                               opinion="同意公开。" * 12))
    form = make_form(title=title, summary=summary, boxes=boxes, disclosure="依申请公开",
                     disclosure_reason="涉及第三方合法权益，征求第三方意见后公开。")
    path = build(tmp_path, form, fonts)
    assert len(pypdf.PdfReader(path).pages) == 1
    text = page_text(path)
    assert title in text
    assert summary[:40] in text
    assert "……" in text  # the summary was cut, not spilled onto a second page
    for name in (*SIGNERS, "孙一"):
        assert f"签名：{name}" in text
    assert HASH[:12] in text
    assert_inside_margins(path)


def test_long_content_in_blank_mode_keeps_pen_room(tmp_path, fonts):
    form = make_form(summary="长" * 600, boxes=(*BOXES, SlipBox("党政办复核")))
    path = build(tmp_path, form, fonts, blank=True)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert len(pdf.pages) == 1
        assert row_height(page, "党政办复核意见") >= 28 * MM
    assert_inside_margins(path)


def test_far_too_many_steps_is_a_user_error(tmp_path, fonts):
    boxes = tuple(SlipBox(f"第{i}级审核") for i in range(40))
    with pytest.raises(UserError, match="无法在一页纸上打印"):
        slip_pdf(make_form(boxes=boxes), tmp_path / "x.pdf", fonts=fonts)
    assert not list(tmp_path.iterdir())


# --------------------------------------------------------------------------- output


def test_invariant_output_is_byte_identical(tmp_path, fonts):
    a = build(tmp_path, make_form(), fonts, "a.pdf")
    b = build(tmp_path, make_form(), fonts, "b.pdf")
    assert a.read_bytes() == b.read_bytes()
    c = build(tmp_path, make_form(status="已批准"), fonts, "c.pdf")
    assert c.read_bytes() != a.read_bytes()


def test_writes_to_a_file_object(tmp_path, fonts):
    buf = io.BytesIO()
    assert slip_pdf(make_form(), buf, fonts=fonts, invariant=True) == 1
    assert buf.getvalue() == build(tmp_path, make_form(), fonts).read_bytes()


def test_default_fonts_are_resolved(tmp_path):
    path = tmp_path / "d.pdf"
    assert slip_pdf(make_form(), path) == 1
    assert FORM_TITLE in page_text(path)


def test_missing_folder_gives_user_error_and_no_file(tmp_path, fonts):
    with pytest.raises(UserError, match="无法在该文件夹中写入文件"):
        slip_pdf(make_form(), tmp_path / "没有" / "s.pdf", fonts=fonts)
    assert not list(tmp_path.iterdir())


def test_folder_that_is_a_file_gives_user_error(tmp_path, fonts):
    (tmp_path / "f.txt").write_text("x")
    with pytest.raises(UserError, match="无法在该文件夹中写入文件"):
        slip_pdf(make_form(), tmp_path / "f.txt" / "s.pdf", fonts=fonts)
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_target_that_is_a_folder_gives_user_error_and_no_temp_file(tmp_path, fonts):
    (tmp_path / "s.pdf").mkdir()
    with pytest.raises(UserError, match="写入文件失败：s.pdf"):
        slip_pdf(make_form(), tmp_path / "s.pdf", fonts=fonts)
    assert [p.name for p in tmp_path.iterdir()] == ["s.pdf"]


def test_unwritable_folder_gives_user_error_and_no_file(tmp_path, fonts, monkeypatch):
    # A read-only USB stick or share: creating the temporary file is refused.
    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    with pytest.raises(UserError, match="无法在该文件夹中写入文件.*Permission denied"):
        slip_pdf(make_form(), tmp_path / "s.pdf", fonts=fonts)
    assert not list(tmp_path.iterdir())


def test_read_only_folder_gives_user_error_and_no_file(tmp_path, fonts):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write to read-only folders (root)")
        with pytest.raises(UserError, match="无法在该文件夹中写入文件"):
            slip_pdf(make_form(), folder / "s.pdf", fonts=fonts)
        assert not list(folder.iterdir())
    finally:
        folder.chmod(0o755)
