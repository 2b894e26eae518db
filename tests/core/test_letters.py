"""依申请公开 letters (issue 6, item 3): one template per kind and per 表三 outcome, the clause each
cites, the remedy sentence where it belongs, the editable-text round trip, personal data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from govdesk.core.errors import UserError
from govdesk.core.letters import (
    REGULATION,
    LetterContext,
    LetterDraft,
    LetterFacts,
    LetterKind,
    build_letter,
    letter_document,
    letter_text,
    parse_letter_text,
)
from govdesk.core.notices import BodyTable, Heading, Paragraph
from govdesk.core.requests import ApplicantKind, Channel, Outcome

CTX = LetterContext(township="柳河镇人民政府", review_body="青山县人民政府",
                    court="青山县人民法院", office="党政综合办公室",
                    address="青山县柳河镇柳河路1号", phone="0551-6612345", contact="王丽")
ID = "110105194912310021"  # a checksum-valid 身份证号 (GB 11643)
MOBILE = "13812345678"
FACTS = LetterFacts(
    number="〔2025〕第3号", applicant="张三", received_on=date(2025, 3, 5),
    asked=f"2024年度柳河村低保资金发放情况（本人身份证{ID}，电话{MOBILE}）",
    dated=date(2025, 3, 28), reply_due=date(2025, 4, 2), handler="李明",
    correction_items=("请明确所需信息的年度", "请说明所需信息涉及的村（社区）"),
    correction_due=date(2025, 3, 21), correction_sent_on=date(2025, 3, 10),
    extension_days=20, new_due=date(2025, 4, 30),
    fee_amount=Decimal("300"), fee_due=date(2025, 4, 10), fee_basis="按量计收，共计60页",
    fee_notice_on=date(2025, 3, 12),
    third_party_due=date(2025, 4, 3),
    withheld_parts="涉及低保对象身份证号码、家庭住址的内容",
    previous_reply_on=date(2025, 2, 10), previous_number="〔2025〕第1号",
)
REMEDY = ("如对本答复不服，可以自收到本答复之日起60日内向青山县人民政府申请行政复议，"
          "或者自收到本答复之日起6个月内向青山县人民法院提起行政诉讼。")

# What each reply must cite (the article of the 条例, or the fee rules) and say.
EXPECTED: dict[Outcome, tuple[str, ...]] = {
    Outcome.DISCLOSED: ("第三十六条第（二）项", "本机关予以公开"),
    Outcome.PARTLY_DISCLOSED: ("第十五条", "第三十七条", "区分处理", "其余内容可以公开"),
    Outcome.STATE_SECRET: ("第十四条", "第三十六条第（三）项", "国家秘密", "不予公开"),
    Outcome.FORBIDDEN_BY_LAW: ("第十四条", "法律、行政法规禁止公开"),
    Outcome.ENDANGERS_SAFETY: ("第十四条", "国家安全、公共安全、经济安全、社会稳定"),
    Outcome.THIRD_PARTY_RIGHTS: ("第十五条", "第三十六条第（三）项", "第三方合法权益"),
    Outcome.INTERNAL_AFFAIRS: ("第十六条第一款", "内部事务信息"),
    Outcome.PROCESS_INFO: ("第十六条第二款", "过程性信息"),
    Outcome.ENFORCEMENT_FILE: ("第十六条第二款", "行政执法案卷信息"),
    Outcome.ADMIN_QUERY: ("第三十六条第（七）项", "工商、不动产登记资料",
                          "依照有关法律、行政法规的规定办理"),
    Outcome.NOT_HELD: ("第三十六条第（四）项", "该政府信息不存在"),
    Outcome.NEEDS_CREATION: ("第三十八条", "加工、分析"),
    Outcome.STILL_UNCLEAR: ("第三十条", "补正后的申请内容仍不明确", "2025年3月10日"),
    Outcome.PETITION: ("第三十九条第一款", "不作为政府信息公开申请处理"),
    Outcome.REPEAT: ("第三十六条第（六）项", "不予重复处理", "2025年2月10日", "〔2025〕第1号"),
    Outcome.PUBLICATION: ("第三十九条第二款", "公开出版物"),
    Outcome.EXCESSIVE: ("第三十五条", "数量、频次明显超过合理范围", "不予处理"),
    Outcome.CONFIRMATION: ("确认或者重新出具", "不予处理"),
    Outcome.NO_CORRECTION: ("第三十条", "逾期未补正", "视为放弃申请", "2025年3月21日"),
    Outcome.FEE_UNPAID: ("国办函〔2020〕109号", "逾期未按收费通知要求缴纳", "视为放弃申请"),
    Outcome.OTHER: ("申请人已撤回申请",),
}
KIND_EXPECTED: dict[LetterKind, tuple[str, ...]] = {
    LetterKind.RECEIPT: ("第三十三条", "7个工作日内一次性告知"),
    LetterKind.CORRECTION: ("第三十条", "2025年3月21日前", "1.请明确所需信息的年度；",
                            "答复期限自本机关收到补正的申请之日起计算",
                            "视为放弃申请", "青山县柳河镇柳河路1号"),
    LetterKind.EXTENSION: ("第三十三条", "因情况复杂，本机关不能在法定期限内作出答复",
                           "政府信息公开工作机构负责人同意", "延长20个工作日",
                           "2025年4月30日前作出答复"),
    LetterKind.THIRD_PARTY: ("第三十二条", "15个工作日内（2025年4月3日前）",
                             "逾期未提出意见的，由本机关依照《条例》的规定决定是否公开"),
    LetterKind.AGENCY: ("第三十四条", "15个工作日内（2025年4月3日前）", "共同制作",
                        "逾期未提出意见的，视为同意公开"),
    LetterKind.FEE: ("国办函〔2020〕109号", "人民币300.00元", "按量计收，共计60页",
                     "次日起20个工作日内（2025年4月10日前）", "逾期未缴纳的，视为放弃申请"),
}


def facts_for(outcome: Outcome) -> LetterFacts:
    if outcome is Outcome.OTHER:
        return replace(FACTS, outcome=outcome, reason="申请人已撤回申请，本机关终止办理")
    return replace(FACTS, outcome=outcome)


def kind_facts(kind: LetterKind) -> LetterFacts:
    if kind is LetterKind.THIRD_PARTY:
        return replace(FACTS, third_party="柳河村股份经济合作社")
    if kind is LetterKind.AGENCY:
        return replace(FACTS, third_party="青山县自然资源局")
    if kind is LetterKind.RECEIPT:
        return replace(FACTS, dated=None)
    return FACTS


def text_of(draft: LetterDraft) -> str:
    return letter_text(draft)


@pytest.mark.parametrize("outcome", list(Outcome), ids=lambda o: o.code)
def test_every_outcome_has_a_reply_citing_its_basis_with_the_remedy(outcome):
    draft = build_letter(LetterKind.REPLY, facts_for(outcome), CTX)
    text = text_of(draft)
    assert draft.kind is LetterKind.REPLY
    assert draft.addressee == "张三"
    assert draft.issuer == "柳河镇人民政府（党政综合办公室）"
    assert draft.dated == date(2025, 3, 28)
    assert draft.note == "联系人：王丽　联系电话：0551-6612345"
    for wanted in EXPECTED[outcome]:
        assert wanted in text, (outcome, wanted)
    assert REMEDY in text
    assert "60日" in text and "6个月" in text
    # the remedy is the last paragraph of the body
    assert draft.blocks[-1] == Paragraph(REMEDY)
    assert "〔2025〕第3号" in text and "2025年3月5日" in text


@pytest.mark.parametrize("outcome", list(Outcome), ids=lambda o: o.code)
def test_reply_title_answer_or_notice(outcome):
    draft = build_letter(LetterKind.REPLY, facts_for(outcome), CTX)
    declines = outcome.code[0] in "56"
    assert draft.title == "政府信息公开申请" + ("告知书" if declines else "答复书")
    assert ("现告知如下：" if declines else "现答复如下：") in text_of(draft)


@pytest.mark.parametrize("kind", [k for k in LetterKind if k is not LetterKind.REPLY],
                         ids=lambda k: k.name)
def test_procedural_letters_cite_their_clause_and_carry_no_remedy(kind):
    draft = build_letter(kind, kind_facts(kind), CTX)
    text = text_of(draft)
    assert draft.kind is kind
    for wanted in KIND_EXPECTED[kind]:
        assert wanted in text, (kind, wanted)
    assert "行政复议" not in text and "行政诉讼" not in text
    assert "60日" not in text


def test_receipt_is_a_registration_table_dated_on_receipt():
    draft = build_letter(LetterKind.RECEIPT, kind_facts(LetterKind.RECEIPT), CTX)
    assert draft.title == "政府信息公开申请受理回执"
    assert draft.dated == date(2025, 3, 5)
    tables = [b for b in draft.blocks if isinstance(b, BodyTable)]
    assert len(tables) == 1
    rows = dict(tables[0].rows)
    assert rows["申请编号"] == "〔2025〕第3号"
    assert rows["申请人"] == "张三"
    assert rows["收到日期"] == "2025年3月5日"
    assert rows["申请方式"] == "当面提交"
    assert rows["答复期限"] == "2025年4月2日前"
    assert rows["经办人"] == "李明"
    no_due = build_letter(LetterKind.RECEIPT, replace(FACTS, reply_due=None, handler=""), CTX)
    rows = dict(next(b for b in no_due.blocks if isinstance(b, BodyTable)).rows)
    assert rows["答复期限"] == "自收到申请之日起20个工作日内"
    assert rows["经办人"] == "王丽"  # the context's contact person


@pytest.mark.parametrize("kind", list(LetterKind), ids=lambda k: k.name)
def test_no_id_number_or_mobile_of_the_applicant_is_printed(kind):
    facts = facts_for(Outcome.DISCLOSED) if kind is LetterKind.REPLY else kind_facts(kind)
    facts = replace(facts, applicant=f"张三 {MOBILE}")
    text = text_of(build_letter(kind, facts, CTX))
    assert ID not in text and MOBILE not in text
    assert "138****5678" in text  # masked, not silently dropped
    assert "0551-6612345" in text  # the township's own phone stays


def test_third_party_letter_is_addressed_to_the_third_party_and_does_not_name_the_applicant():
    draft = build_letter(LetterKind.THIRD_PARTY, kind_facts(LetterKind.THIRD_PARTY), CTX)
    assert draft.addressee == "柳河村股份经济合作社"
    assert "张三" not in text_of(draft)
    with pytest.raises(UserError, match="第三方名称"):
        build_letter(LetterKind.THIRD_PARTY, FACTS, CTX)


def test_organisation_is_addressed_as_gui_danwei():
    facts = replace(facts_for(Outcome.NOT_HELD), applicant="青山律师事务所",
                    applicant_kind=ApplicantKind.LEGAL_SERVICE, channel=Channel.REGISTERED_POST)
    text = text_of(build_letter(LetterKind.REPLY, facts, CTX))
    assert "收到贵单位以邮寄方式提交的政府信息公开申请" in text
    assert "您" not in text


def test_regulation_named_in_full_once_then_short():
    text = text_of(build_letter(LetterKind.REPLY, facts_for(Outcome.PARTLY_DISCLOSED), CTX))
    assert text.count(REGULATION) == 1
    assert f"{REGULATION}（以下简称《条例》）" in text
    single = text_of(build_letter(LetterKind.REPLY, facts_for(Outcome.STATE_SECRET), CTX))
    assert single.count(REGULATION) == 1 and "以下简称" not in single


def test_disclosed_already_public_points_to_where_36_1():
    facts = replace(facts_for(Outcome.DISCLOSED),
                    published_at="柳河镇人民政府门户网站“政府信息公开”栏目（2025年1月10日发布）")
    text = text_of(build_letter(LetterKind.REPLY, facts, CTX))
    assert "第三十六条第（一）项" in text and "门户网站" in text
    assert "第三十六条第（二）项" not in text


def test_not_this_agency_names_the_responsible_agency_36_5():
    facts = replace(facts_for(Outcome.NOT_HELD), responsible_agency="青山县民政局",
                    responsible_contact="0551-6600000")
    text = text_of(build_letter(LetterKind.REPLY, facts, CTX))
    assert "第三十六条第（五）项" in text
    assert "由青山县民政局负责公开" in text and "0551-6600000" in text
    assert "第三十六条第（四）项" not in text


def test_third_party_refusal_cites_32_when_consulted_and_the_named_law():
    facts = replace(facts_for(Outcome.THIRD_PARTY_RIGHTS), third_party="某公司")
    text = text_of(build_letter(LetterKind.REPLY, facts, CTX))
    assert "第三十二条" in text and "第三方不同意公开" in text
    law = replace(facts_for(Outcome.FORBIDDEN_BY_LAW), legal_basis="《中华人民共和国统计法》")
    assert "依照《中华人民共和国统计法》的规定" in text_of(build_letter(LetterKind.REPLY, law, CTX))


def test_extension_reason_is_its_own_fact():
    facts = replace(FACTS, reason="答复用的说明", extension_reason="所申请信息涉及多个村（社区），需逐一核实")
    text = text_of(build_letter(LetterKind.EXTENSION, facts, CTX))
    assert "因所申请信息涉及多个村（社区），需逐一核实，本机关不能在法定期限内作出答复" in text
    assert "答复用的说明" not in text


def test_reason_is_added_and_a_correction_is_mentioned():
    facts = replace(facts_for(Outcome.DISCLOSED), reason="该信息同时在柳河村村务公开栏张贴",
                    corrected_on=date(2025, 3, 14))
    draft = build_letter(LetterKind.REPLY, facts, CTX)
    text = text_of(draft)
    assert "该信息同时在柳河村村务公开栏张贴。" in text
    assert "本机关于2025年3月14日收到您补正后的申请。" in text


# ---- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "facts", "ctx", "message"), [
    (LetterKind.REPLY, FACTS, CTX, "办理结果"),
    (LetterKind.REPLY, facts_for(Outcome.DISCLOSED), replace(CTX, court=""), "人民法院"),
    (LetterKind.REPLY, facts_for(Outcome.DISCLOSED), replace(CTX, review_body=""), "行政复议机关"),
    (LetterKind.REPLY, replace(facts_for(Outcome.DISCLOSED), dated=None), CTX, "成文日期"),
    (LetterKind.REPLY, replace(facts_for(Outcome.DISCLOSED), dated=date(2025, 3, 1)), CTX,
     "早于收到申请日期"),
    (LetterKind.REPLY, replace(FACTS, outcome=Outcome.OTHER), CTX, "处理情况说明"),
    (LetterKind.REPLY, replace(facts_for(Outcome.PARTLY_DISCLOSED), withheld_parts=""), CTX,
     "不予公开的部分"),
    (LetterKind.REPLY, replace(facts_for(Outcome.PARTLY_DISCLOSED),
                               withheld_ground=Outcome.REPEAT), CTX, "不予公开理由"),
    (LetterKind.EXTENSION, replace(FACTS, extension_days=21), CTX, "最长不得超过20个工作日"),
    (LetterKind.EXTENSION, replace(FACTS, extension_days=0), CTX, "最长不得超过20个工作日"),
    (LetterKind.EXTENSION, replace(FACTS, new_due=None), CTX, "延期后的答复期限"),
    (LetterKind.CORRECTION, replace(FACTS, correction_items=("  ",)), CTX, "需要补正的事项"),
    (LetterKind.CORRECTION, replace(FACTS, correction_due=None), CTX, "补正期限"),
    (LetterKind.FEE, replace(FACTS, fee_amount=None), CTX, "收费金额"),
    (LetterKind.FEE, replace(FACTS, fee_amount=Decimal(0)), CTX, "应大于0元"),
    (LetterKind.RECEIPT, replace(FACTS, applicant=" "), CTX, "申请人姓名或名称"),
    (LetterKind.RECEIPT, FACTS, replace(CTX, township=""), "人民政府全称"),
])
def test_missing_or_wrong_facts_are_user_errors(kind, facts, ctx, message):
    with pytest.raises(UserError, match=message):
        build_letter(kind, facts, ctx)


# ---- text round trip -----------------------------------------------------------------------------


ALL_DRAFTS = ([build_letter(LetterKind.REPLY, facts_for(o), CTX) for o in Outcome]
              + [build_letter(k, kind_facts(k), CTX) for k in LetterKind
                 if k is not LetterKind.REPLY])


@pytest.mark.parametrize("draft", ALL_DRAFTS, ids=lambda d: d.title)
def test_text_round_trip_gives_the_same_draft(draft):
    assert parse_letter_text(letter_text(draft)) == draft
    assert draft.with_text(letter_text(draft)) == draft


def test_text_shape():
    draft = build_letter(LetterKind.REPLY, facts_for(Outcome.NOT_HELD), CTX)
    lines = letter_text(draft).splitlines()
    assert lines[0] == draft.title
    assert lines[2] == "张三："
    assert lines[-3:] == ["柳河镇人民政府（党政综合办公室）", "2025年3月28日",
                          "（联系人：王丽　联系电话：0551-6612345）"]
    no_note = replace(draft, note="")
    assert letter_text(no_note).splitlines()[-1] == "2025年3月28日"
    assert parse_letter_text(letter_text(no_note)) == no_note


def test_edited_text_is_kept():
    draft = build_letter(LetterKind.REPLY, facts_for(Outcome.NOT_HELD), CTX)
    text = letter_text(draft)
    edited = (text.replace("经检索，本机关未制作", "经在本机关档案室及各站所检索，本机关未制作")
              .replace(draft.title, "柳河镇人民政府政府信息公开申请答复书")
              .replace("2025年3月28日", "2025年3月31日")
              .replace("张三：", "张三先生："))
    edited = edited.rstrip("\n") + "\n"
    new = draft.with_text(edited)
    assert new.title == "柳河镇人民政府政府信息公开申请答复书"
    assert new.addressee == "张三先生"
    assert new.dated == date(2025, 3, 31)
    assert new.kind is LetterKind.REPLY
    assert any("档案室及各站所检索" in b.text for b in new.blocks if isinstance(b, Paragraph))
    # an added numbered line becomes a heading block, as in every notice body
    more = edited.replace("经审查，现答复如下：", "经审查，现答复如下：\n一、关于检索情况")
    assert Heading(1, "一、关于检索情况") in parse_letter_text(more).blocks
    assert letter_text(parse_letter_text(edited)) == edited


def test_kind_is_read_from_the_title_or_given():
    for draft in ALL_DRAFTS:
        assert parse_letter_text(letter_text(draft)).kind is draft.kind
    text = letter_text(ALL_DRAFTS[-1]).replace(ALL_DRAFTS[-1].title, "通知", 1)
    assert parse_letter_text(text, kind=LetterKind.FEE).kind is LetterKind.FEE


@pytest.mark.parametrize(("text", "message"), [
    ("", "内容为空"),
    ("  \n\n", "内容为空"),
    ("张三：\n正文。\n柳河镇人民政府\n2025年3月5日", "第一行应为标题"),
    ("答复书\n正文。\n柳河镇人民政府\n2025年3月5日", "主送"),
    ("答复书\n：\n正文。\n柳河镇人民政府\n2025年3月5日", "主送不能为空"),
    ("答复书\n张三：\n正文。\n柳河镇人民政府", "最后一行应为成文日期"),
    ("答复书\n张三：\n正文。\n柳河镇人民政府\n2025年2月30日", "不是有效日期"),
    ("答复书\n张三：\n正文。\n特此告知。\n2025年3月5日", "署名"),
    ("答复书\n张三：\n柳河镇人民政府\n2025年3月5日", "正文为空"),
])
def test_unparseable_text_is_a_user_error(text, message):
    with pytest.raises(UserError, match=message):
        parse_letter_text(text)


def test_letter_document_puts_the_addressee_first():
    draft = build_letter(LetterKind.REPLY, facts_for(Outcome.DISCLOSED), CTX)
    doc = letter_document(draft)
    assert doc.blocks[0] == Paragraph("张三：")
    assert doc.blocks[1:] == draft.blocks
    assert (doc.title, doc.issuer, doc.dated) == (draft.title, draft.issuer, draft.dated)
    assert doc.note == draft.note and doc.index_number == ""
