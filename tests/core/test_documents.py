from datetime import date

from govdesk.core.calendar import WorkCalendar
from govdesk.core.documents import cn_date, notice_document
from govdesk.core.notices import (
    Disclosure,
    Heading,
    Notice,
    NoticeStatus,
    PeriodUnit,
    PostingPeriod,
)
from govdesk.core.org import CommunityKind, Township

TOWNSHIP = Township(full_name="青山县云溪镇人民政府", short_name="云溪镇", phone="0539-7261035")


def _notice(**kw):
    values = dict(
        id=1, index_number="X/2025-00001", title="关于柳河村低保对象的公示", body="一、对象\n王*明",
        doc_number="", category_id=1, category="社会救助", disclosure=Disclosure.PROACTIVE,
        withhold_ground="", unit_id=None, community_id=3, owner="柳河村",
        formed_on=date(2018, 3, 1), publish_due=date(2018, 3, 29), channel_ids=(),
        channels=(), period=PostingPeriod(date(2018, 3, 11), date(2018, 3, 17), PeriodUnit.DAYS),
        note="", status=NoticeStatus.DRAFT, published_on=None, created_by=None, created_at="",
        updated_at="",
    )
    values.update(kw)
    return Notice(**values)


def test_dates_have_no_leading_zeros():
    assert cn_date(date(2018, 3, 1)) == "2018年3月1日"


def test_public_notice_lines():
    doc = notice_document(_notice(), TOWNSHIP, WorkCalendar(), community_kind=CommunityKind.VILLAGE)
    assert doc.is_public_notice
    assert doc.period_line == "公示时间：2018年3月11日至2018年3月17日（共7天）"
    assert doc.issuer == "柳河村村民委员会"
    assert "向柳河村反映" in doc.objection
    assert doc.phone_line == "监督电话：0539-7261035"
    assert doc.blocks[0] == Heading(1, "一、对象")
    assert doc.date_text == "2018年3月1日"


def test_working_day_period_and_township_issuer():
    period = PostingPeriod(date(2020, 3, 11), date(2020, 3, 13), PeriodUnit.WORKDAYS)
    doc = notice_document(_notice(community_id=None, unit_id=2, owner="民政办", period=period),
                          TOWNSHIP, WorkCalendar(), red_header=True)
    assert doc.period_line.endswith("（共3个工作日）")
    assert doc.issuer == "青山县云溪镇人民政府"
    assert doc.header_name == "青山县云溪镇人民政府文件"


def test_formal_document_is_not_a_public_notice():
    doc = notice_document(_notice(period=None, note="（此件公开发布）"), TOWNSHIP, WorkCalendar())
    assert not doc.is_public_notice and doc.objection == "" and doc.note == "（此件公开发布）"
