from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdesk.core.calendar import WorkCalendar
from govdesk.core.errors import UserError, ValidationErrors
from govdesk.core.notices import (
    TRANSITIONS,
    BodyTable,
    Disclosure,
    Heading,
    NoticeAction,
    NoticeInput,
    NoticeStatus,
    Paragraph,
    check_index_pattern,
    compute_publish_due,
    format_index_number,
    next_status,
    parse_body,
    validate_notice,
)


def test_publish_due_is_20_working_days_across_national_day():
    # 条例第二十六条; 2025 国庆/中秋: 10-01..10-08 off, 09-28 and 10-11 worked.
    cal = WorkCalendar()
    assert compute_publish_due(date(2025, 9, 26), 20, cal) == date(2025, 10, 30)


def test_transition_table_reaches_published_only_through_approval():
    # 先审查后公开: every path from 草稿 to 已公开 passes 已批准.
    def paths(status, seen):
        if status is NoticeStatus.PUBLISHED:
            yield seen
            return
        for nxt in TRANSITIONS[status].values():
            if nxt not in seen:
                yield from paths(nxt, seen + [nxt])

    found = list(paths(NoticeStatus.DRAFT, [NoticeStatus.DRAFT]))
    assert found
    assert all(NoticeStatus.APPROVED in p for p in found)


@given(st.sampled_from(list(NoticeStatus)), st.sampled_from(list(NoticeAction)))
def test_next_status_follows_the_table_or_refuses(status, action):
    if action in TRANSITIONS[status]:
        assert next_status(status, action) is TRANSITIONS[status][action]
    else:
        with pytest.raises(UserError):
            next_status(status, action)


def _validate(data):
    validate_notice(data, category_ids=[1], unit_ids=[1], community_ids=[5], channel_ids=[1, 2])


def test_validation_lists_every_bad_field_in_chinese():
    with pytest.raises(ValidationErrors) as info:
        _validate(NoticeInput(title=" ", category_id=None, formed_on=None,
                              disclosure=Disclosure.WITHHELD))
    text = info.value.message
    for label in ("标题", "类别", "责任单位", "信息形成（变更）日期", "不予公开"):
        assert label in text


def test_valid_input_passes():
    _validate(NoticeInput(title="关于2025年财政预算的公告", category_id=1, unit_id=1,
                          formed_on=date(2025, 1, 3), channel_ids=(1,)))


def test_index_pattern_must_have_seq_and_known_fields():
    check_index_pattern("{code}/{year}-{seq:05}")
    with pytest.raises(UserError):
        check_index_pattern("{code}/{year}")
    with pytest.raises(UserError):
        check_index_pattern("{code}/{foo}-{seq}")
    assert format_index_number("{code}/{year}-{seq:05}", code="11371012MB28530924", year=2025,
                               seq=7, category="财政资金") == "11371012MB28530924/2025-00007"


def test_parse_body_recognises_headings_paragraphs_and_tables():
    blocks = parse_body("一、基本情况\n（一）对象\n1.王*明\n（1）备注\n正文段落。\n"
                        "姓名|金额\n|---|---|\n王*明|300\n\n结尾。")
    assert blocks[0] == Heading(1, "一、基本情况")
    assert blocks[1] == Heading(2, "（一）对象")
    assert blocks[2] == Heading(3, "1.王*明")
    assert blocks[3] == Heading(4, "（1）备注")
    assert blocks[4] == Paragraph("正文段落。")
    assert blocks[5] == BodyTable((("姓名", "金额"), ("王*明", "300")))
    assert blocks[6] == Paragraph("结尾。")


def test_addressee_lines():
    from govdesk.core.notices import is_addressee

    assert is_addressee("各社区（村），镇直各部门：")
    assert not is_addressee("为切实做好相关工作，现就有关事项通知如下：这是一个很长的句子。")
    assert not is_addressee("一、总体要求")
