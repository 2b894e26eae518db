"""Rates, formatting, periods, deadlines and validation of the registers (issue 8 §4)."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdesk.core.calendar import WorkCalendar
from govdesk.core.errors import UserError
from govdesk.core.registers import (
    DEFAULT_HOTLINE_CHANNELS,
    HotlineCase,
    Interpretation,
    Meeting,
    Period,
    Proposal,
    RegisterKind,
    Satisfaction,
    closure_rate,
    default_due,
    format_rate,
    hotline_stats,
    interpretation_stats,
    on_time_rate,
    parse_kind,
    rate,
)

START = date(2025, 1, 1)


@st.composite
def cases(draw):
    received = START + timedelta(days=draw(st.integers(0, 364)))
    due = received + timedelta(days=draw(st.integers(0, 20)))
    closed = draw(st.one_of(st.none(), st.integers(0, 40)))
    closed_on = None if closed is None else received + timedelta(days=closed)
    return HotlineCase(received_on=received, channel=draw(st.sampled_from(["12345热线", "书记信箱"])),
                       subject="事项", unit_id=1, due_on=due, closed_on=closed_on)


@given(st.lists(cases(), max_size=30), st.integers(1, 4))
def test_rates_are_between_0_and_1_and_none_exactly_without_cases(items, quarter):
    period = Period.quarter(2025, quarter)
    chosen = [c for c in items if c.received_on in period]
    closed = [c for c in chosen if c.closed_on is not None]
    r, t = closure_rate(items, period), on_time_rate(items, period)
    assert (r is None) == (not chosen)
    assert (t is None) == (not closed)
    for value in (r, t):
        assert value is None or 0 <= value <= 1
        assert (format_rate(value) == "—") == (value is None)
        assert format_rate(value) != "0%" or value == 0
    stats = hotline_stats(items, period, today=date(2026, 1, 1))
    assert stats.total.closed_on_time <= stats.total.closed <= stats.total.received
    assert stats.total.received == len(chosen)
    assert stats.total.closure_rate == r and stats.total.on_time_rate == t
    assert sum(t.received for _n, t in stats.by_channel) == stats.total.received


@given(st.integers(0, 500).flatmap(lambda w: st.tuples(st.integers(0, w), st.just(w))),
       st.integers(0, 2))
def test_format_shows_100_and_0_only_when_exact(pw, decimals):
    part, whole = pw
    value = rate(part, whole)
    text = format_rate(value, decimals)
    if whole == 0:
        assert text == "—"
    else:
        assert text.endswith("%")
        assert (text == "100%") == (part == whole)
        assert (text == "0%") == (part == 0)


def test_format_examples_from_the_seeds():
    assert format_rate(Fraction(66, 68)) == "97%"  # seed 004: 68 件, 办结 66 件, 办结率97%
    assert format_rate(Fraction(66, 68), 1) == "97.1%"
    assert format_rate(Fraction(1, 2), 1) == "50%"
    assert format_rate(Fraction(999, 1000)) == "99%"
    assert format_rate(Fraction(1, 1000)) == "1%"
    assert format_rate(None) == "—"
    assert format_rate(Fraction(0)) == "0%"
    assert rate(0, 0) is None
    with pytest.raises(ValueError):
        rate(3, 2)


def test_on_time_rate_counts_closed_cases_only():
    due = date(2025, 3, 10)
    items = [HotlineCase(date(2025, 3, 3), "12345热线", "a", unit_id=1, due_on=due,
                         closed_on=date(2025, 3, 10)),  # the deadline day is on time
             HotlineCase(date(2025, 3, 3), "12345热线", "b", unit_id=1, due_on=due,
                         closed_on=date(2025, 3, 11)),
             HotlineCase(date(2025, 3, 3), "12345热线", "c", unit_id=1, due_on=due)]
    year = Period.year(2025)
    assert closure_rate(items, year) == Fraction(2, 3)
    assert on_time_rate(items, year) == Fraction(1, 2)
    assert closure_rate(items, year, as_of=date(2025, 3, 10)) == Fraction(1, 3)
    stats = hotline_stats(items, year, today=date(2025, 3, 20))
    assert stats.total.overdue_open == 1
    assert stats.by_channel[0][0] == "12345热线"


def test_deadline_default_over_national_day():
    cal = WorkCalendar()
    # 2025-09-30 + 5 working days: 1–8 October are off, Saturday 11 October is a make-up day
    assert default_due(date(2025, 9, 30), "12345热线", cal) == date(2025, 10, 14)
    assert default_due(date(2025, 9, 30), "网络舆情", cal) == date(2025, 10, 10)
    # an unknown channel takes 其他's time limit
    assert default_due(date(2025, 3, 3), "来信", cal) == cal.add_workdays(date(2025, 3, 3), 15)
    assert {c.name for c in DEFAULT_HOTLINE_CHANNELS} >= {"12345热线", "51890热线", "市长信箱",
                                                           "书记信箱", "网络舆情", "其他"}


@given(st.dates(date(2024, 1, 1), date(2026, 12, 31)),
       st.sampled_from(DEFAULT_HOTLINE_CHANNELS))
def test_deadline_is_that_many_working_days_later(received, channel):
    cal = WorkCalendar()
    due = default_due(received, channel.name, cal)
    assert due >= received
    assert cal.is_workday(due)
    assert cal.workdays_between(received, due) == max(channel.days, 0 if cal.is_workday(
        received) else 1)


def test_periods():
    assert Period.quarter(2025, 1) == Period(date(2025, 1, 1), date(2025, 3, 31), "2025年第一季度")
    assert Period.month(2024, 2).end == date(2024, 2, 29)
    assert Period.of(2025).label == "2025年"
    assert Period.month(2025, 12).end == date(2025, 12, 31)
    with pytest.raises(UserError):
        Period.quarter(2025, 5)
    with pytest.raises(UserError):
        Period(date(2025, 2, 1), date(2025, 1, 1))


def test_kinds_in_chinese_and_english():
    assert parse_kind("政策解读") is RegisterKind.INTERPRETATION
    assert parse_kind("舆情与热线") is parse_kind("hotline") is RegisterKind.HOTLINE
    assert parse_kind("Proposal") is RegisterKind.PROPOSAL
    assert parse_kind("培训会议") is RegisterKind.MEETING
    with pytest.raises(UserError, match="可选"):
        parse_kind("信访")


def _fields(record) -> set[str | None]:
    return {p.field for p in record.problems()}


def test_validation_names_the_fields():
    assert _fields(HotlineCase(date(2025, 3, 3), "", "", fed_back=True,
                               satisfaction=Satisfaction.SATISFIED,
                               due_on=date(2025, 3, 1))) == {
        "渠道", "事项", "承办单位", "办理时限", "结果是否反馈", "满意度"}
    assert _fields(HotlineCase(date(2025, 3, 3), "12345热线", "x", unit_id=1, community_id=2,
                               closed_on=date(2025, 3, 2))) == {"承办单位", "办结日期"}
    assert _fields(Interpretation(date(2025, 3, 3), "")) == {"解读标题", "解读的政策文件"}
    assert _fields(Proposal("人大代表建议", "", "", date(2025, 3, 3), unit_id=1,
                            satisfaction="满意")) == {"编号", "标题", "满意度"}
    assert _fields(Proposal("人大代表建议", "1", "t", date(2025, 3, 3), unit_id=1,
                            replied_on=date(2025, 3, 4), satisfaction="未评价")) == {"满意度"}
    assert _fields(Meeting("培训", date(2025, 3, 3), "t", participants=-1)) == {"参加人数"}
    assert HotlineCase(date(2025, 3, 3), "12345热线", "x", unit_id=1).problems() == []


def test_counts_by_form_include_zeros():
    items = [Interpretation(date(2025, 3, 3), "a", "图解", policy_title="p"),
             Interpretation(date(2025, 4, 3), "b", "图解", policy_title="p"),
             Interpretation(date(2024, 4, 3), "c", "文字", policy_title="p")]
    stats = interpretation_stats(items, Period.year(2025))
    assert stats.total == 2
    assert dict(stats.by_form) == {"文字": 0, "图解": 2, "音视频": 0, "在线访谈": 0, "新闻发布会": 0}
