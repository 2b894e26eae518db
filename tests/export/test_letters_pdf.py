"""letters_pdf: every kind of 依申请公开 letter printed through the GB/T 9704 notice machinery and
read back with pypdf (title, 主送, key sentences, 署名, date, 附注)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pypdf
import pytest

from govdesk.core.errors import UserError
from govdesk.core.letters import (
    LetterContext,
    LetterFacts,
    LetterKind,
    build_letter,
    letter_text,
)
from govdesk.core.requests import Outcome
from govdesk.export.fonts import resolve_fonts
from govdesk.export.letters_pdf import letter_pdf, letter_pdf_bytes

CTX = LetterContext(township="柳河镇人民政府", review_body="青山县人民政府",
                    court="青山县人民法院", office="党政综合办公室",
                    address="青山县柳河镇柳河路1号", phone="0551-6612345", contact="王丽")
FACTS = LetterFacts(
    number="〔2025〕第3号", applicant="张三", received_on=date(2025, 3, 5),
    asked="2024年度柳河村低保资金发放情况（联系电话13812345678）", dated=date(2025, 3, 28),
    reply_due=date(2025, 4, 2), correction_items=("请明确所需信息的年度",),
    correction_due=date(2025, 3, 21), extension_days=15, new_due=date(2025, 4, 23),
    fee_amount=Decimal("300"), fee_due=date(2025, 4, 10), third_party="柳河村股份经济合作社",
    third_party_due=date(2025, 4, 3), withheld_parts="涉及低保对象家庭住址的内容",
    reason="申请人已撤回申请",
)

# (kind, outcome, key sentence) — the sentence as it reads with all whitespace removed.
CASES = [
    (LetterKind.RECEIPT, None, "答复期限2025年4月2日前"),
    (LetterKind.CORRECTION, None, "请您于2025年3月21日前对下列事项作出补正"),
    (LetterKind.EXTENSION, None, "答复期限延长15个工作日"),
    (LetterKind.THIRD_PARTY, None, "现书面征求贵方意见"),
    (LetterKind.FEE, None, "信息处理费人民币300.00元"),
] + [(LetterKind.REPLY, o, "现答复如下" if o.code[0] in "1234" else "现告知如下")
     for o in Outcome]


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts()


def draft_for(kind, outcome):
    return build_letter(kind, replace(FACTS, outcome=outcome), CTX)


def read_back(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in reader.pages))


@pytest.mark.parametrize(("kind", "outcome", "sentence"), CASES,
                         ids=[f"{k.name}-{o.code if o else ''}" for k, o, _ in CASES])
def test_each_letter_prints_and_reads_back(tmp_path, fonts, kind, outcome, sentence):
    draft = draft_for(kind, outcome)
    path = tmp_path / "letter.pdf"
    pages = letter_pdf(draft, path, fonts=fonts, invariant=True)
    data = path.read_bytes()
    assert pages == len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    text = read_back(data)
    assert draft.title in text
    assert f"{draft.addressee}：" in text
    assert sentence in text
    assert "柳河镇人民政府（党政综合办公室）2025年" in text
    assert draft.date_text in text
    assert "（联系人：王丽联系电话：0551-6612345）" in text
    assert "13812345678" not in text
    if kind is LetterKind.REPLY:
        assert "自收到本答复之日起60日内向青山县人民政府申请行政复议" in text
        assert "自收到本答复之日起6个月内向青山县人民法院提起行政诉讼" in text
    else:
        assert "行政复议" not in text


def test_invariant_output_is_deterministic_and_text_prints_the_same(fonts):
    draft = draft_for(LetterKind.REPLY, Outcome.PARTLY_DISCLOSED)
    a, pages = letter_pdf_bytes(draft, fonts=fonts, invariant=True)
    b, _ = letter_pdf_bytes(draft, fonts=fonts, invariant=True)
    assert a == b and pages == 1
    # the editable text prints exactly as the draft it came from
    c, _ = letter_pdf_bytes(letter_text(draft), fonts=fonts, invariant=True)
    assert c == a


def test_edited_text_is_what_prints(fonts):
    draft = draft_for(LetterKind.REPLY, Outcome.NOT_HELD)
    edited = letter_text(draft).replace("经检索，", "经在本机关档案室检索，")
    text = read_back(letter_pdf_bytes(edited, fonts=fonts, invariant=True)[0])
    assert "经在本机关档案室检索，本机关未制作" in text


def test_receipt_table_cells_are_text(fonts):
    draft = draft_for(LetterKind.RECEIPT, None)
    text = read_back(letter_pdf_bytes(draft, fonts=fonts, invariant=True)[0])
    for cell in ("申请编号〔2025〕第3号", "申请人张三", "收到日期2025年3月5日",
                 "申请方式当面提交", "经办人王丽"):
        assert cell in text


def test_a_long_letter_goes_over_two_pages_with_the_closing_kept(fonts):
    long_reason = "；".join(f"第{i}项信息经逐项核查，确系本机关内部工作流程中形成的材料" for i in range(40))
    draft = build_letter(LetterKind.REPLY, replace(FACTS, outcome=Outcome.INTERNAL_AFFAIRS,
                                                   reason=long_reason), CTX)
    data, pages = letter_pdf_bytes(draft, fonts=fonts, invariant=True)
    assert pages >= 2
    reader = pypdf.PdfReader(io.BytesIO(data))
    last = re.sub(r"\s+", "", reader.pages[-1].extract_text())
    assert "柳河镇人民政府（党政综合办公室）2025年3月28日" in last


def test_bad_path_and_bad_text_are_user_errors(tmp_path, fonts):
    draft = draft_for(LetterKind.RECEIPT, None)
    with pytest.raises(UserError, match="无法在该文件夹中写入文件"):
        letter_pdf(draft, tmp_path / "no such folder" / "回执.pdf", fonts=fonts)
    target = tmp_path / "回执.pdf"
    target.write_bytes(b"old")
    with pytest.raises(UserError, match="成文日期"):
        letter_pdf("答复书\n张三：\n正文。\n柳河镇人民政府", target, fonts=fonts)
    assert target.read_bytes() == b"old"  # a failed print leaves the old file alone
