from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdesk.core.calendar import WorkCalendar

D = date
CAL = WorkCalendar()

# Unknown to chinese_calendar 1.11 (which covers 2004-2026).
UNKNOWN = 2099


# ---------------------------------------------------------------------------
# Package facts (checked against chinese_calendar 1.11 and the notices)
# ---------------------------------------------------------------------------


def test_2025_national_day_and_mid_autumn():
    for day in range(1, 9):
        assert CAL.is_workday(D(2025, 10, day)) is False, day
    assert CAL.is_workday(D(2025, 9, 28)) is True  # Sunday, 调休上班
    assert CAL.is_workday(D(2025, 10, 11)) is True  # Saturday, 调休上班
    assert CAL.is_workday(D(2025, 10, 9)) is True
    assert CAL.is_workday(D(2025, 10, 12)) is False  # ordinary Sunday


def test_2025_spring_festival():
    d = D(2025, 1, 28)
    while d <= D(2025, 2, 4):
        assert CAL.is_workday(d) is False, d
        d += timedelta(days=1)
    assert CAL.is_workday(D(2025, 1, 26)) is True  # Sunday
    assert CAL.is_workday(D(2025, 2, 8)) is True  # Saturday
    assert CAL.is_workday(D(2025, 1, 27)) is True  # 除夕前一天, Monday
    assert CAL.is_workday(D(2025, 2, 5)) is True


def test_2024_facts():
    # 春节 2024: 2/10-2/17 off, Sundays 2/4 and 2/18 worked; 除夕 2/9 was a working day.
    assert CAL.is_workday(D(2024, 2, 4)) is True
    assert CAL.is_workday(D(2024, 2, 9)) is True
    assert CAL.is_workday(D(2024, 2, 12)) is False  # Monday
    assert CAL.is_workday(D(2024, 2, 18)) is True
    # 国庆 2024: 10/1-10/7 off, 9/29 (Sun) and 10/12 (Sat) worked.
    assert CAL.is_workday(D(2024, 10, 7)) is False
    assert CAL.is_workday(D(2024, 9, 29)) is True
    assert CAL.is_workday(D(2024, 10, 12)) is True


def test_known_years_of_installed_package():
    assert CAL.known_year(2004)
    assert CAL.known_year(2025)
    assert CAL.known_year(2026)
    assert not CAL.known_year(2003)
    assert not CAL.known_year(2027)
    assert not CAL.known_year(UNKNOWN)


def test_datetime_is_treated_as_its_date():
    assert CAL.is_workday(datetime(2025, 10, 1, 9, 30)) is False
    assert WorkCalendar({datetime(UNKNOWN, 1, 5, 8): False}).is_workday(D(UNKNOWN, 1, 5)) is False


def test_rejects_non_dates():
    with pytest.raises(TypeError):
        CAL.is_workday("2025-10-01")


def test_days_off_and_makeup_days_2025():
    off = CAL.days_off_in(2025)
    october = [d for d in off if d.month == 10]
    # Weekend days inside the holiday (10/4, 10/5) are ordinary weekends.
    assert october == [D(2025, 10, n) for n in (1, 2, 3, 6, 7, 8)]
    assert D(2025, 1, 28) in off and D(2025, 2, 4) in off
    assert all(d.weekday() < 5 and d.year == 2025 for d in off)
    assert CAL.makeup_workdays_in(2025) == [
        D(2025, 1, 26),
        D(2025, 2, 8),
        D(2025, 4, 27),
        D(2025, 9, 28),
        D(2025, 10, 11),
    ]


# ---------------------------------------------------------------------------
# add_workdays / workdays_between / neighbours
# ---------------------------------------------------------------------------


def test_add_one_workday_across_national_day():
    assert CAL.add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)


def test_friday_plus_one_is_monday_in_normal_week():
    assert CAL.add_workdays(D(2025, 11, 14), 1) == D(2025, 11, 17)


def test_twenty_workdays_spanning_national_day():
    # 条例第二十六条: 20 working days, first day not counted. Counted by hand from
    # Fri 2025-09-26: 9/28(Sun) 1, 9/29 2, 9/30 3, 10/9 4, 10/10 5, 10/11(Sat) 6,
    # 10/13-17 7..11, 10/20-24 12..16, 10/27-30 17..20.
    assert CAL.add_workdays(D(2025, 9, 26), 20) == D(2025, 10, 30)
    assert CAL.workdays_between(D(2025, 9, 26), D(2025, 10, 30)) == 20
    assert CAL.workdays_between(D(2025, 9, 26), D(2025, 10, 29)) == 19


def test_add_zero_workdays():
    assert CAL.add_workdays(D(2025, 10, 9), 0) == D(2025, 10, 9)
    assert CAL.add_workdays(D(2025, 10, 1), 0) == D(2025, 10, 9)
    assert CAL.add_workdays(D(2025, 10, 11), 0) == D(2025, 10, 11)  # makeup Saturday


def test_add_negative_workdays_rejected():
    with pytest.raises(ValueError):
        CAL.add_workdays(D(2025, 1, 1), -1)


def test_add_workdays_across_year_end_into_unknown_year():
    # 2026-12-31 is Thursday; 2027 is unknown so Mon-Fri is assumed.
    assert CAL.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)
    assert CAL.add_workdays(D(2026, 12, 31), 2) == D(2027, 1, 4)
    assert CAL.workdays_between(D(2026, 12, 30), D(2027, 1, 4)) == 3


def test_add_many_workdays_spans_years():
    # 2025 by hand: 261 weekdays - 18 holiday weekdays (1/1; 1/28-31, 2/3-4; 4/4;
    # 5/1-2, 5/5; 6/2; 10/1-3, 10/6-8) + 5 makeup weekend days = 248.
    assert len(CAL.days_off_in(2025)) == 18
    n = CAL.workdays_between(D(2024, 12, 31), D(2025, 12, 31))
    assert n == 248
    assert CAL.add_workdays(D(2024, 12, 31), n) == D(2025, 12, 31)


def test_workdays_between_empty_and_reversed():
    assert CAL.workdays_between(D(2025, 5, 1), D(2025, 5, 1)) == 0
    assert CAL.workdays_between(D(2025, 5, 6), D(2025, 5, 1)) == 0
    # 5/1-5/5 off; 5/6 Tuesday is the first working day after.
    assert CAL.workdays_between(D(2025, 4, 30), D(2025, 5, 5)) == 0
    assert CAL.workdays_between(D(2025, 4, 30), D(2025, 5, 6)) == 1


def test_next_and_previous_workday():
    assert CAL.next_workday(D(2025, 9, 30)) == D(2025, 10, 9)
    assert CAL.next_workday(D(2025, 10, 9)) == D(2025, 10, 10)
    assert CAL.previous_workday(D(2025, 10, 9)) == D(2025, 9, 30)
    assert CAL.previous_workday(D(2025, 9, 29)) == D(2025, 9, 28)  # makeup Sunday
    assert CAL.previous_workday(D(2025, 1, 2)) == D(2024, 12, 31)  # across year start
    assert CAL.previous_workday(D(2026, 1, 5)) == D(2026, 1, 4)  # 2026 makeup Sunday


# ---------------------------------------------------------------------------
# Unknown years and overrides
# ---------------------------------------------------------------------------


def test_unknown_year_falls_back_to_weekdays():
    # 2099-01-01 is a Thursday; without an override it is assumed worked.
    assert D(UNKNOWN, 1, 1).weekday() == 3
    assert CAL.is_workday(D(UNKNOWN, 1, 1)) is True
    assert CAL.is_workday(D(UNKNOWN, 1, 3)) is False  # Saturday
    assert CAL.known_year(UNKNOWN) is False
    assert CAL.add_workdays(D(UNKNOWN, 1, 2), 1) == D(UNKNOWN, 1, 5)
    assert CAL.days_off_in(UNKNOWN) == []
    assert CAL.makeup_workdays_in(UNKNOWN) == []


def test_override_makes_year_known_and_is_respected():
    cal = WorkCalendar({D(UNKNOWN, 1, 1): False, D(UNKNOWN, 1, 3): True})
    assert cal.known_year(UNKNOWN) is True
    assert cal.is_workday(D(UNKNOWN, 1, 1)) is False
    assert cal.is_workday(D(UNKNOWN, 1, 3)) is True
    # Wed 12/31/2098 + 1: Thu 1/1 is off, Fri 1/2 is the next working day.
    assert cal.add_workdays(D(UNKNOWN - 1, 12, 31), 1) == D(UNKNOWN, 1, 2)
    assert cal.add_workdays(D(UNKNOWN - 1, 12, 31), 2) == D(UNKNOWN, 1, 3)
    assert cal.workdays_between(D(UNKNOWN - 1, 12, 31), D(UNKNOWN, 1, 5)) == 3
    assert cal.days_off_in(UNKNOWN) == [D(UNKNOWN, 1, 1)]
    assert cal.makeup_workdays_in(UNKNOWN) == [D(UNKNOWN, 1, 3)]
    # Other years are untouched.
    assert cal.known_year(UNKNOWN + 1) is False


def test_override_beats_package_data():
    cal = WorkCalendar({D(2025, 10, 8): True, D(2025, 10, 9): False})
    assert cal.is_workday(D(2025, 10, 8)) is True
    assert cal.is_workday(D(2025, 10, 9)) is False
    assert cal.add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 8)
    assert cal.add_workdays(D(2025, 9, 30), 2) == D(2025, 10, 10)
    # The default calendar is unaffected.
    assert CAL.is_workday(D(2025, 10, 9)) is True


def test_overrides_are_copied_and_read_only():
    source = {D(UNKNOWN, 3, 2): False}
    cal = WorkCalendar(source)
    source[D(UNKNOWN, 3, 3)] = False
    assert cal.is_workday(D(UNKNOWN, 3, 3)) is True
    assert dict(cal.overrides) == {D(UNKNOWN, 3, 2): False}
    with pytest.raises(TypeError):
        cal.overrides[D(UNKNOWN, 3, 4)] = False  # type: ignore[index]
    with pytest.raises(AttributeError):
        cal._overrides = {}  # type: ignore[misc]


def test_whole_year_off_is_skipped():
    year = 2098
    cal = WorkCalendar({D(year, 1, 1) + timedelta(days=i): False for i in range(365)})
    assert cal.add_workdays(D(year - 1, 12, 31), 1) == D(year + 1, 1, 1)
    assert cal.previous_workday(D(year + 1, 1, 1)) == D(year - 1, 12, 31)


# ---------------------------------------------------------------------------
# missing_next_year
# ---------------------------------------------------------------------------


def test_missing_next_year():
    assert CAL.missing_next_year(D(2026, 11, 1)) == 2027
    assert CAL.missing_next_year(D(2026, 12, 31)) == 2027
    assert CAL.missing_next_year(D(2026, 10, 31)) is None  # too early to nag
    assert CAL.missing_next_year(D(2025, 11, 20)) is None  # 2026 ships with the package
    entered = WorkCalendar({D(2027, 1, 1): False})
    assert entered.missing_next_year(D(2026, 11, 15)) is None


def test_missing_next_year_uses_constructor_today():
    assert WorkCalendar(today=D(2026, 11, 15)).missing_next_year() == 2027
    assert WorkCalendar(today=D(2026, 6, 15)).missing_next_year() is None
    # An explicit argument wins over the constructor's today.
    assert WorkCalendar(today=D(2026, 6, 15)).missing_next_year(D(2026, 12, 1)) == 2027


# ---------------------------------------------------------------------------
# period_end (公示期)
# ---------------------------------------------------------------------------


def test_period_end_calendar_days():
    assert D(2020, 6, 1).weekday() == 0
    assert CAL.period_end(D(2020, 6, 1), 7, "天") == D(2020, 6, 7)
    assert CAL.period_end(D(2025, 9, 30), 1, "天") == D(2025, 9, 30)
    # Holidays do not matter for 天.
    assert CAL.period_end(D(2025, 9, 30), 5, "天") == D(2025, 10, 4)


def test_period_end_workdays():
    # "从2020年3月11日起至13日止，共3个工作日"
    assert CAL.period_end(D(2020, 3, 11), 3, "工作日") == D(2020, 3, 13)
    assert CAL.period_end(D(2025, 9, 30), 1, "工作日") == D(2025, 9, 30)
    assert CAL.period_end(D(2025, 9, 30), 2, "工作日") == D(2025, 10, 9)
    assert CAL.period_end(D(2025, 9, 26), 5, "工作日") == D(2025, 10, 9)


def test_period_end_workdays_starting_on_saturday():
    # Sat 2025-11-15: day 1 is Mon 11/17, day 3 is Wed 11/19.
    assert CAL.period_end(D(2025, 11, 15), 1, "工作日") == D(2025, 11, 17)
    assert CAL.period_end(D(2025, 11, 15), 3, "工作日") == D(2025, 11, 19)
    # A makeup Saturday is itself a working day and counts as day 1.
    assert CAL.period_end(D(2025, 10, 11), 1, "工作日") == D(2025, 10, 11)
    assert CAL.period_end(D(2025, 10, 11), 2, "工作日") == D(2025, 10, 13)


@pytest.mark.parametrize("length", [0, -3])
def test_period_end_rejects_bad_length(length):
    with pytest.raises(ValueError, match="公示期长度"):
        CAL.period_end(D(2025, 1, 6), length, "天")


@pytest.mark.parametrize("unit", ["日", "days", "", "工作天"])
def test_period_end_rejects_bad_unit(unit):
    with pytest.raises(ValueError, match="公示期单位"):
        CAL.period_end(D(2025, 1, 6), 3, unit)


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2026, 12, 31))
counts = st.integers(min_value=0, max_value=60)
positive = st.integers(min_value=1, max_value=60)


@settings(max_examples=200, deadline=None)
@given(dates, positive)
def test_prop_result_is_workday_after_start(s, n):
    result = CAL.add_workdays(s, n)
    assert CAL.is_workday(result)
    assert result > s


@settings(max_examples=200, deadline=None)
@given(dates, counts, counts)
def test_prop_monotone_in_n(s, n1, n2):
    n1, n2 = sorted((n1, n2))
    assert CAL.add_workdays(s, n1) <= CAL.add_workdays(s, n2)


@settings(max_examples=200, deadline=None)
@given(dates, dates, counts)
def test_prop_monotone_in_start(s1, s2, n):
    s1, s2 = sorted((s1, s2))
    assert CAL.add_workdays(s1, n) <= CAL.add_workdays(s2, n)


@settings(max_examples=200, deadline=None)
@given(dates, positive)
def test_prop_workdays_between_inverts_add(s, n):
    assert CAL.workdays_between(s, CAL.add_workdays(s, n)) == n


@settings(max_examples=200, deadline=None)
@given(dates, positive)
def test_prop_add_matches_day_by_day_walk(s, n):
    # Reference implementation: step one day at a time using is_workday.
    d, left = s, n
    while left:
        d += timedelta(days=1)
        if CAL.is_workday(d):
            left -= 1
    assert CAL.add_workdays(s, n) == d


@settings(max_examples=200, deadline=None)
@given(dates, positive)
def test_prop_period_end_workdays(start, length):
    end = CAL.period_end(start, length, "工作日")
    assert end >= start
    assert CAL.is_workday(end)
    # Exactly `length` working days in [start, end].
    assert CAL.workdays_between(start - timedelta(days=1), end) == length


@settings(max_examples=200, deadline=None)
@given(dates)
def test_prop_next_previous_roundtrip(d):
    nxt = CAL.next_workday(d)
    assert nxt > d and CAL.is_workday(nxt)
    assert CAL.workdays_between(d, nxt) == 1
    if CAL.is_workday(d):
        assert CAL.previous_workday(nxt) == d
