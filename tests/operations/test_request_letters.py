"""依申请公开 letters on a real temporary database: each kind drafted with the dates of the
clock ledger, saved and reloaded, printed and read back, recorded as sent; the letter
settings derived from the township's name (today is Thursday 2025-11-20)."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from govdesk.core.errors import PermissionDenied, UserError, ValidationErrors
from govdesk.core.letters import LetterKind, county_of, letter_text
from govdesk.core.org import Role, Township
from govdesk.core.requests import (
    ApplicantKind,
    Channel,
    ClockEvent,
    Consultee,
    Outcome,
    RequestInput,
)
from govdesk.operations import org as org_ops
from govdesk.operations import request_letters as ops
from govdesk.operations import requests as request_ops
from govdesk.store import audit_store, letter_store
from tests.conftest import as_user

TOWNSHIP = "青山县云溪镇人民政府"


@pytest.fixture
def admin(ctx, users):
    return as_user(ctx, users[Role.ADMIN])


@pytest.fixture
def township(admin):
    org_ops.update_township(admin, Township(full_name=TOWNSHIP, short_name="云溪镇",
                                            address="青山县云溪镇府前路1号",
                                            phone="0537-1234567"))


def _register(ctx, **overrides):
    values = dict(channel=Channel.IN_PERSON, submitted_on=date(2025, 11, 3),
                  applicant_kind=ApplicantKind.PERSON, applicant_name="张三",
                  content="2024年度柳河村低保资金发放情况", applicant_contact="13812345678")
    values.update(overrides)
    return request_ops.register_request(ctx, RequestInput(**values))


def _text(ctx, rid, kind) -> str:
    return letter_text(ops.draft_letter(ctx, rid, kind))


# --------------------------------------------------------------------------- settings


@pytest.mark.parametrize(("name", "county"), [
    (TOWNSHIP, "青山县"),
    ("江苏省苏州市吴中区临湖镇人民政府", "苏州市吴中区"),
    ("青山县马市镇人民政府", "青山县"),  # the 市 of 马市镇 is part of the township's name
    ("北京市朝阳区来广营乡人民政府", "北京市朝阳区"),
    ("阿拉善左旗巴彦浩特镇人民政府", "阿拉善左旗"),
    ("云溪镇人民政府", ""),
    ("", ""),
])
def test_county_of_a_township_name(name, county):
    assert county_of(name) == county


def test_settings_default_from_the_township(ctx, users, township):
    settings = ops.letter_settings(ctx)
    assert settings.township == TOWNSHIP
    assert (settings.review_body, settings.court) == ("青山县人民政府", "青山县人民法院")
    assert settings.office == "党政综合办公室"
    assert settings.phone == "0537-1234567" and settings.contact == ""
    assert settings.address == "青山县云溪镇府前路1号"


def test_settings_are_saved_by_the_admin_and_audited(ctx, users, township, admin):
    with pytest.raises(PermissionDenied):
        ops.save_letter_settings(ctx, review_body="青山县人民政府", court="青山县人民法院",
                                 office="", contact="刘欣", phone="")
    with pytest.raises(ValidationErrors) as errs:
        ops.save_letter_settings(admin, review_body=" ", court="", office="", contact="",
                                 phone="")
    assert len(errs.value.problems) == 2
    before = audit_store.count(ctx.db)
    saved = ops.save_letter_settings(admin, review_body="青山县人民政府",
                                     court="青山县  人民法院", office="党政办",
                                     contact="刘欣", phone="0537-7654321")
    assert (saved.court, saved.office, saved.contact) == ("青山县 人民法院", "党政办", "刘欣")
    assert ops.letter_settings(ctx) == saved
    assert audit_store.count(ctx.db) == before + 1
    # A saved value stays when the township is renamed; unsaved ones would follow it.
    org_ops.update_township(admin, Township(full_name="白河县云溪镇人民政府"))
    assert ops.letter_settings(ctx).review_body == "青山县人民政府"
    assert ops.letter_setting_defaults(ctx).review_body == "白河县人民政府"


# --------------------------------------------------------------------------- each kind


def test_receipt_carries_the_reply_date_of_the_clock(ctx, users, township):
    r = _register(ctx)
    facts = ops.letter_facts(ctx, r.id, LetterKind.RECEIPT)
    # 2025-11-03 + 20 working days = Monday 2025-12-01.
    assert facts.reply_due == date(2025, 12, 1) and facts.handler == "刘欣"
    text = _text(ctx, r.id, LetterKind.RECEIPT)
    assert text.startswith("政府信息公开申请受理回执\n")
    assert "| 答复期限 | 2025年12月1日前 |" in text
    assert "| 经办人 | 刘欣 |" in text
    assert text.rstrip().endswith("2025年11月3日\n（联系电话：0537-1234567）")
    assert ops.available_kinds(ctx, r.id) == [LetterKind.RECEIPT]


def test_extension_letter_has_the_new_date(ctx, users, township):
    r = _register(ctx)
    with pytest.raises(UserError, match="请先在办理记录中登记“延期答复”"):
        ops.draft_letter(ctx, r.id, LetterKind.EXTENSION)
    request_ops.record_event(ctx, r.id, ClockEvent.extension(
        date(2025, 11, 20), 10, "李主任", note="需调取多个村的历年档案"))
    facts = ops.letter_facts(ctx, r.id, LetterKind.EXTENSION)
    # 2025-12-01 + 10 working days = Monday 2025-12-15.
    assert facts.new_due == date(2025, 12, 15) and facts.extension_days == 10
    text = _text(ctx, r.id, LetterKind.EXTENSION)
    assert "因需调取多个村的历年档案，" in text
    assert "答复期限延长10个工作日，本机关将于2025年12月15日前作出答复" in text
    assert "2025年11月20日" in text.splitlines()[-2]
    assert LetterKind.EXTENSION in ops.available_kinds(ctx, r.id)


def test_correction_letter_lists_the_items_of_the_note(ctx, users, township):
    r = _register(ctx, submitted_on=date(2025, 11, 10))
    request_ops.record_event(ctx, r.id, ClockEvent.correction_requested(
        date(2025, 11, 12), date(2025, 11, 19),
        note="1.申请内容所指的具体年份\n2、所涉村（社区）名称"))
    facts = ops.letter_facts(ctx, r.id, LetterKind.CORRECTION)
    assert facts.correction_items == ("申请内容所指的具体年份", "所涉村（社区）名称")
    text = _text(ctx, r.id, LetterKind.CORRECTION)
    assert "请您于2025年11月19日前对下列事项作出补正：" in text
    assert "1.申请内容所指的具体年份；\n2.所涉村（社区）名称。" in text
    assert "邮寄至青山县云溪镇府前路1号" in text


def test_correction_without_items_says_where_to_write_them(ctx, users, township):
    r = _register(ctx, submitted_on=date(2025, 11, 10))
    request_ops.record_event(ctx, r.id, ClockEvent.correction_requested(
        date(2025, 11, 12), date(2025, 11, 19)))
    with pytest.raises(UserError, match="备注中写明需要补正的事项"):
        ops.draft_letter(ctx, r.id, LetterKind.CORRECTION)


def test_third_party_letter_gives_fifteen_working_days_from_delivery(ctx, users, township):
    r = _register(ctx)
    request_ops.record_event(ctx, r.id, ClockEvent.consultation_started(
        date(2025, 11, 5), party="云溪建材有限公司", delivered_on=date(2025, 11, 6)))
    facts = ops.letter_facts(ctx, r.id, LetterKind.THIRD_PARTY)
    # 2025-11-06 + 15 working days = Thursday 2025-11-27.
    assert facts.third_party_due == date(2025, 11, 27)
    text = _text(ctx, r.id, LetterKind.THIRD_PARTY)
    assert "\n云溪建材有限公司：\n" in text and "张三" not in text
    assert "15个工作日内（2025年11月27日前）" in text


def test_each_party_consulted_gets_its_own_letter(ctx, users, township):
    r = _register(ctx)
    for party, on in (("云溪建材有限公司", date(2025, 11, 5)), ("柳河村民李某某", date(2025, 11, 6))):
        request_ops.record_event(ctx, r.id, ClockEvent.consultation_started(on, party=party))
    request_ops.record_event(ctx, r.id, ClockEvent.consultation_started(
        date(2025, 11, 6), party="青山县自然资源局", consultee=Consultee.AGENCY))
    assert ops.consulted_parties(ctx, r.id, LetterKind.THIRD_PARTY) == [
        "云溪建材有限公司", "柳河村民李某某"]
    assert ops.consulted_parties(ctx, r.id, LetterKind.AGENCY) == ["青山县自然资源局"]
    assert LetterKind.AGENCY in ops.available_kinds(ctx, r.id)

    first = letter_text(ops.draft_letter(ctx, r.id, LetterKind.THIRD_PARTY, "云溪建材有限公司"))
    assert "\n云溪建材有限公司：\n" in first
    # Without a party: the last one consulted.
    assert "\n柳河村民李某某：\n" in _text(ctx, r.id, LetterKind.THIRD_PARTY)
    a = ops.save_letter(ctx, r.id, LetterKind.THIRD_PARTY, first, "云溪建材有限公司")
    b = ops.save_letter(ctx, r.id, LetterKind.THIRD_PARTY,
                        _text(ctx, r.id, LetterKind.THIRD_PARTY), "柳河村民李某某")
    assert a != b
    assert ops.stored_letter(ctx, r.id, LetterKind.THIRD_PARTY, "云溪建材有限公司").id == a
    assert letter_store.get_letter(ctx.db, b).party == "柳河村民李某某"
    with pytest.raises(UserError, match="没有向“别人”征求意见"):
        ops.draft_letter(ctx, r.id, LetterKind.THIRD_PARTY, "别人")

    # 条例第三十四条: the letter to another agency that made the information with us.
    agency = _text(ctx, r.id, LetterKind.AGENCY)
    assert agency.startswith("政府信息公开申请征求意见函\n\n青山县自然资源局：\n")
    assert "第三十四条" in agency and "逾期未提出意见的，视为同意公开" in agency
    assert "张三" not in agency


def test_a_consultation_letter_of_an_older_version_keeps_its_party(tmp_path):
    from govdesk.store.database import connect
    from govdesk.store.migrations import migrations

    path = tmp_path / "old.db"
    db = connect(path, migrate=False)
    migrations.apply(db, stop_before="0011_letter_party")
    db.execute("INSERT INTO request (id, number, year, seq, channel, submitted_on, received_on,"
               " applicant_kind, applicant_name, content, created_at, updated_at) VALUES"
               " (1, '〔2025〕第1号', 2025, 1, '当面', '2025-11-03', '2025-11-03', '自然人',"
               " '张三', '低保', 'now', 'now')")
    db.execute("INSERT INTO request_letter (request_id, kind, text, content_hash, created_at,"
               " updated_at) VALUES (1, '第三方意见征询函', ?, 'h', 'now', 'now')",
               ["政府信息公开第三方意见征询函\n\n云溪建材有限公司：\n正文\n\n署名\n2025年11月5日\n"])
    db.conn.commit()
    db.conn.close()
    db = connect(path)
    assert db.execute("SELECT party, content_hash FROM request_letter").fetchone() == (
        "云溪建材有限公司", "h")
    db.conn.close()


def test_fee_notice_amount_basis_and_payment_date(ctx, users, township):
    r = _register(ctx)
    request_ops.record_event(ctx, r.id, ClockEvent.fee_notice(
        date(2025, 11, 14), note="信息处理费120元，按量计收共42页"))
    facts = ops.letter_facts(ctx, r.id, LetterKind.FEE)
    # 109号: from the day after 2025-11-14, 20 working days = Friday 2025-12-12.
    assert facts.fee_due == date(2025, 12, 12)
    text = _text(ctx, r.id, LetterKind.FEE)
    assert "人民币120.00元（按量计收共42页）" in text
    assert "20个工作日内（2025年12月12日前）缴纳" in text


def test_reply_follows_the_outcome_when_closed(ctx, users, township):
    r = _register(ctx)
    with pytest.raises(UserError, match="申请尚未办结"):
        ops.draft_letter(ctx, r.id, LetterKind.REPLY)
    request_ops.close_request(ctx, r.id, Outcome.PARTLY_DISCLOSED, on=date(2025, 11, 20),
                              detail="第3页所列低保对象的身份证号码和银行账号")
    text = _text(ctx, r.id, LetterKind.REPLY)
    assert text.startswith("政府信息公开申请答复书\n\n张三：\n")
    assert "您申请获取的政府信息中，第3页所列低保对象的身份证号码和银行账号属于" in text
    assert ("可以自收到本答复之日起60日内向青山县人民政府申请行政复议，"
            "或者自收到本答复之日起6个月内向青山县人民法院提起行政诉讼") in text
    assert "青山县云溪镇人民政府（党政综合办公室）\n2025年11月20日\n" in text
    assert ops.available_kinds(ctx, r.id)[-1] is LetterKind.REPLY


def test_withdrawal_gives_a_notice_with_its_detail(ctx, users, township):
    r = _register(ctx)
    request_ops.withdraw_request(ctx, r.id, on=date(2025, 11, 18))
    text = _text(ctx, r.id, LetterKind.REPLY)
    assert text.startswith("政府信息公开申请告知书\n") and "申请人撤回申请。" in text


# --------------------------------------------------------------------------- saving


def _edited(ctx, rid, kind, extra="（请携带身份证件）") -> str:
    lines = _text(ctx, rid, kind).splitlines()
    body_end = lines.index("青山县云溪镇人民政府（党政综合办公室）") - 1
    lines.insert(body_end, "特别说明" + extra + "。")
    return "\n".join(lines)


def test_edited_text_is_saved_reloaded_and_discarded(ctx, users, township):
    r = _register(ctx)
    generated = _text(ctx, r.id, LetterKind.RECEIPT)
    edited = _edited(ctx, r.id, LetterKind.RECEIPT)
    before = audit_store.count(ctx.db)
    letter_id = ops.save_letter(ctx, r.id, LetterKind.RECEIPT, edited)
    assert "特别说明（请携带身份证件）。" in _text(ctx, r.id, LetterKind.RECEIPT)
    assert ops.stored_letter(ctx, r.id, LetterKind.RECEIPT).id == letter_id
    # Saving the same text again neither adds a row nor an audit entry.
    assert ops.save_letter(ctx, r.id, LetterKind.RECEIPT, edited) == letter_id
    assert audit_store.count(ctx.db) == before + 1
    assert len(letter_store.letters_of(ctx.db, r.id)) == 1
    entry = audit_store.last_entry(ctx.db)
    assert (entry.action, entry.object_type) == ("create", "request_letter")

    with pytest.raises(UserError, match="成文日期"):
        ops.save_letter(ctx, r.id, LetterKind.RECEIPT, "标题\n\n张三：\n正文\n")
    assert ops.discard_letter(ctx, r.id, LetterKind.RECEIPT) is True
    assert _text(ctx, r.id, LetterKind.RECEIPT) == generated
    assert ops.discard_letter(ctx, r.id, LetterKind.RECEIPT) is False


def test_a_reply_saved_for_another_outcome_is_not_offered(ctx, users, township):
    r = _register(ctx)
    request_ops.close_request(ctx, r.id, Outcome.NOT_HELD, on=date(2025, 11, 20))
    ops.save_letter(ctx, r.id, LetterKind.REPLY, _edited(ctx, r.id, LetterKind.REPLY))
    assert "特别说明" in _text(ctx, r.id, LetterKind.REPLY)
    request_ops.reopen_request(ctx, r.id, "办理结果选错")
    request_ops.close_request(ctx, r.id, Outcome.DISCLOSED, on=date(2025, 11, 20))
    text = _text(ctx, r.id, LetterKind.REPLY)
    assert "特别说明" not in text and "予以公开" in text


def test_sent_letters_are_kept_as_sent(ctx, users, township):
    r = _register(ctx)
    letter_id = ops.save_letter(ctx, r.id, LetterKind.RECEIPT,
                                _text(ctx, r.id, LetterKind.RECEIPT))
    with pytest.raises(UserError, match="早于文书的成文日期"):
        ops.mark_sent(ctx, letter_id, date(2025, 11, 1))
    with pytest.raises(UserError, match="晚于今天"):
        ops.mark_sent(ctx, letter_id, date(2025, 11, 21))
    sent = ops.mark_sent(ctx, letter_id, date(2025, 11, 3))
    assert sent.sent_on == date(2025, 11, 3)
    assert audit_store.last_entry(ctx.db).action == "mark_sent"
    with pytest.raises(UserError, match="已于2025年11月3日发出"):
        ops.save_letter(ctx, r.id, LetterKind.RECEIPT, _edited(ctx, r.id, LetterKind.RECEIPT))
    with pytest.raises(UserError, match="不能丢弃"):
        ops.discard_letter(ctx, r.id, LetterKind.RECEIPT)
    ops.mark_sent(ctx, letter_id, None)
    ops.save_letter(ctx, r.id, LetterKind.RECEIPT, _edited(ctx, r.id, LetterKind.RECEIPT))


def test_other_roles_read_a_masked_draft_and_cannot_save_or_print(ctx, users, township,
                                                                   tmp_path):
    r = _register(ctx)
    ops.save_letter(ctx, r.id, LetterKind.RECEIPT, _edited(ctx, r.id, LetterKind.RECEIPT))
    head = as_user(ctx, users[Role.UNIT_HEAD])
    text = _text(head, r.id, LetterKind.RECEIPT)
    assert "张三" not in text and "| 申请人 | 张* |" in text
    with pytest.raises(PermissionDenied):
        ops.save_letter(head, r.id, LetterKind.RECEIPT, text)
    with pytest.raises(PermissionDenied):
        ops.print_letter(head, r.id, LetterKind.RECEIPT, tmp_path / "x.pdf")


# --------------------------------------------------------------------------- printing


def _pdf_text(path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def test_print_reads_back_and_is_audited(ctx, users, township, tmp_path):
    r = _register(ctx)
    request_ops.record_event(ctx, r.id, ClockEvent.extension(date(2025, 11, 20), 10, "李主任"))
    path = tmp_path / "延期.pdf"
    pages = ops.print_letter(ctx, r.id, LetterKind.EXTENSION, path, invariant=True)
    assert pages == 1
    text = _pdf_text(path)
    assert "延期答复告知书" in text and "2025年12月15日前" in text
    entry = audit_store.last_entry(ctx.db)
    assert (entry.action, entry.object_type, entry.object_id) == ("print", "request", str(r.id))

    # The editor's text, unsaved, is what gets printed; identical input gives identical bytes.
    edited = _edited(ctx, r.id, LetterKind.EXTENSION, "（征求意见稿）")
    again = tmp_path / "again.pdf"
    ops.print_letter(ctx, r.id, LetterKind.EXTENSION, again, text=edited, invariant=True)
    assert "征求意见稿" in _pdf_text(again)
    assert ops.stored_letter(ctx, r.id, LetterKind.EXTENSION) is None
    twice = tmp_path / "twice.pdf"
    ops.print_letter(ctx, r.id, LetterKind.EXTENSION, twice, text=edited, invariant=True)
    assert again.read_bytes() == twice.read_bytes()
    with pytest.raises(UserError, match=r"\.pdf"):
        ops.print_letter(ctx, r.id, LetterKind.EXTENSION, tmp_path / "x.docx")


def test_reply_without_settings_says_where_to_fill_them(ctx, users):
    r = _register(ctx)
    request_ops.close_request(ctx, r.id, Outcome.DISCLOSED, on=date(2025, 11, 20))
    with pytest.raises(UserError, match="设置"):
        ops.draft_letter(ctx, r.id, LetterKind.REPLY)
