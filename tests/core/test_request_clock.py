"""The 依申请公开 legal clock (issue 6 item 2): receipt date, 补正 restart, consultation pauses,
extension, 第三十五条 deferral, fee deadline, dashboard flags, re-dating, 信息处理费.

Expected dates are counted by hand from the State Council holiday notices; each carries its
count. 调休 days used below (国办发明电):
  2023 中秋国庆: 9/29-10/6 off, Sat 10/7 and Sun 10/8 worked.
  2024 春节: 2/10-2/17 off, Sun 2/4 and Sun 2/18 worked (除夕 2/9 an ordinary working Friday).
  2024 国庆: 10/1-10/7 off, Sun 9/29 and Sat 10/12 worked.
  2025 春节: 1/28-2/4 off, Sun 1/26 and Sat 2/8 worked.
  2025 国庆中秋: 10/1-10/8 off, Sun 9/28 and Sat 10/11 worked.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdesk.core.calendar import WorkCalendar
from govdesk.core.errors import UserError
from govdesk.core.requests import (
    BASE_DAYS,
    LEDGER_HEADERS,
    Channel,
    ClockEvent,
    ClockEventKind,
    Consultee,
    DeadlineChange,
    FeeMethod,
    Outcome,
    fee_by_items,
    fee_by_pages,
    information_fee,
    ledger,
    receipt_date,
    redated,
)

D = date
E = ClockEvent
CAL = WorkCalendar()
LATER = D(2026, 6, 30)  # a "today" after every table case, for closed or finished histories


def run(*events: ClockEvent, today: date = LATER, calendar: WorkCalendar = CAL):
    return ledger(events, calendar, today)


# ---------------------------------------------------------------------------------------------
# 条例第三十一条: receipt date by channel
# ---------------------------------------------------------------------------------------------

SUBMITTED = D(2024, 9, 27)
SIGNED = D(2024, 9, 29)  # Sunday, a 调休 working day
CONFIRMED = D(2024, 9, 30)


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        (Channel.IN_PERSON, SUBMITTED),  # （一）以提交之日
        (Channel.REGISTERED_POST, SIGNED),  # （二）以签收之日
        (Channel.ORDINARY_LETTER, CONFIRMED),  # （二）平常信函：确认之日
        (Channel.INTERNET, CONFIRMED),  # （三）双方确认之日
        (Channel.FAX, CONFIRMED),
        (Channel.EMAIL, CONFIRMED),
    ],
)
def test_receipt_date_by_channel(channel, expected):
    assert receipt_date(channel, SUBMITTED, signed_on=SIGNED, confirmed_on=CONFIRMED) == expected


def test_receipt_date_in_person_needs_nothing_else():
    assert receipt_date(Channel.IN_PERSON, SUBMITTED) == SUBMITTED


def test_registered_post_needs_the_signed_date():
    with pytest.raises(UserError, match="签收日期") as info:
        receipt_date(Channel.REGISTERED_POST, SUBMITTED, confirmed_on=CONFIRMED)
    assert info.value.field == "signed_on"
    assert "第三十一条" in info.value.message


@pytest.mark.parametrize(
    "channel", [Channel.ORDINARY_LETTER, Channel.INTERNET, Channel.FAX, Channel.EMAIL]
)
def test_unsigned_channels_need_the_confirmation_date(channel):
    with pytest.raises(UserError, match="确认日期") as info:
        receipt_date(channel, SUBMITTED, signed_on=SIGNED)
    assert info.value.field == "confirmed_on"
    assert channel.value in info.value.message


def test_receipt_dates_cannot_precede_submission():
    with pytest.raises(UserError, match="签收日期"):
        receipt_date(Channel.REGISTERED_POST, SUBMITTED, signed_on=SUBMITTED - timedelta(days=1))
    with pytest.raises(UserError, match="确认日期"):
        receipt_date(Channel.EMAIL, SUBMITTED, confirmed_on=SUBMITTED - timedelta(days=1))


# ---------------------------------------------------------------------------------------------
# 条例第三十三条 / 第三十条: base due date and 补正 notice deadline across real holidays
# ---------------------------------------------------------------------------------------------

BASE_CASES = [
    # (received, reply due = +20 wd, 补正 notice by = +7 wd)
    # 2024-01-26 Fri, before 春节 2024:
    #   1/29-2/2 (5), Sun 2/4 (6), 2/5-2/9 (11), [2/10-2/17 off], Sun 2/18 (12),
    #   2/19-2/23 (17), 2/26, 2/27, 2/28 (20).  7 wd: 1/29-2/2 (5), 2/4 (6), 2/5 (7).
    (D(2024, 1, 26), D(2024, 2, 28), D(2024, 2, 5)),
    # 2025-01-20 Mon, before 春节 2025:
    #   1/21-1/24 (4), Sun 1/26 (5), 1/27 (6), [1/28-2/4 off], 2/5-2/7 (9), Sat 2/8 (10),
    #   2/10-2/14 (15), 2/17-2/21 (20).  7 wd: 1/21-1/24 (4), 1/26 (5), 1/27 (6), 2/5 (7).
    (D(2025, 1, 20), D(2025, 2, 21), D(2025, 2, 5)),
    # 2023-09-26 Tue, before 中秋国庆 2023:
    #   9/27, 9/28 (2), [9/29-10/6 off], Sat 10/7 (3), Sun 10/8 (4), 10/9-10/13 (9),
    #   10/16-10/20 (14), 10/23-10/27 (19), 10/30 (20).
    #   7 wd: 9/27, 9/28, 10/7, 10/8, 10/9, 10/10, 10/11.
    (D(2023, 9, 26), D(2023, 10, 30), D(2023, 10, 11)),
    # 2024-09-25 Wed, before 国庆 2024:
    #   9/26, 9/27 (2), Sun 9/29 (3), 9/30 (4), [10/1-10/7 off], 10/8-10/11 (8), Sat 10/12 (9),
    #   10/14-10/18 (14), 10/21-10/25 (19), 10/28 (20).
    #   7 wd: 9/26, 9/27, 9/29, 9/30, 10/8, 10/9, 10/10.
    (D(2024, 9, 25), D(2024, 10, 28), D(2024, 10, 10)),
    # 2025-09-26 Fri, before 国庆中秋 2025:
    #   Sun 9/28 (1), 9/29, 9/30 (3), [10/1-10/8 off], 10/9, 10/10 (5), Sat 10/11 (6),
    #   10/13-10/17 (11), 10/20-10/24 (16), 10/27-10/30 (20).
    #   7 wd: 9/28, 9/29, 9/30, 10/9, 10/10, 10/11, 10/13.
    (D(2025, 9, 26), D(2025, 10, 30), D(2025, 10, 13)),
    # 2024-10-03, confirmed by e-mail on a 国庆 holiday: the count starts after it.
    #   10/8-10/11 (4), Sat 10/12 (5), 10/14-10/18 (10), 10/21-10/25 (15), 10/28-11/1 (20).
    #   7 wd: 10/8-10/11 (4), 10/12 (5), 10/14 (6), 10/15 (7).
    (D(2024, 10, 3), D(2024, 11, 1), D(2024, 10, 15)),
    # 2024-10-12, handed in on the 调休 working Saturday:
    #   10/14-10/18 (5), 10/21-10/25 (10), 10/28-11/1 (15), 11/4-11/8 (20).
    #   7 wd: 10/14-10/18 (5), 10/21 (6), 10/22 (7).
    (D(2024, 10, 12), D(2024, 11, 8), D(2024, 10, 22)),
]


@pytest.mark.parametrize(("received", "due", "notice_by"), BASE_CASES)
def test_base_due_date_and_correction_notice_deadline(received, due, notice_by):
    result = run(E.received(received), today=received)
    assert result.due_on == due
    assert result.correction_notice_by == notice_by
    assert result.clock_start == received
    [line] = result.lines
    assert line.row() == (
        f"{received.year}年{received.month}月{received.day}日",
        "收到申请，自次日起计算20个工作日（条例第三十三条）",
        "20",
        f"{due.year}年{due.month}月{due.day}日",
    )
    assert result.days_left == BASE_DAYS
    assert not result.due_soon and not result.overdue


def test_event_kinds_have_labels_and_storage_codes():
    assert {kind.label for kind in ClockEventKind} >= {
        "收到申请",
        "告知补正",
        "收到补正",
        "延期答复",
    }
    assert all(kind.value.isascii() and kind.value.islower() for kind in ClockEventKind)
    assert len({kind.label for kind in ClockEventKind}) == len(ClockEventKind)
    assert Consultee.THIRD_PARTY.article == "条例第三十二条"
    assert Consultee.AGENCY.label == "其他机关"


def test_events_from_storage_strings():
    event = ClockEvent("consultation_started", D(2024, 3, 6), party="甲", consultee="agency")
    assert event.kind is ClockEventKind.CONSULTATION_STARTED
    assert event.consultee is Consultee.AGENCY
    assert event.describe() == "2024年3月6日 征求意见"
    result = run(ClockEvent("received", D(2024, 3, 4)), event, today=D(2024, 3, 7))
    assert result.paused


def test_ledger_headers():
    assert LEDGER_HEADERS == ("日期", "事项", "天数", "答复期限")


def test_correction_notice_deadline_disappears_once_passed_or_used():
    received = D(2024, 1, 26)
    assert run(E.received(received), today=D(2024, 2, 5)).correction_notice_by == D(2024, 2, 5)
    assert run(E.received(received), today=D(2024, 2, 6)).correction_notice_by is None
    asked = run(
        E.received(received),
        E.correction_requested(D(2024, 1, 29), D(2024, 2, 8)),
        today=D(2024, 1, 30),
    )
    assert asked.correction_notice_by is None


# ---------------------------------------------------------------------------------------------
# 条例第三十条: 补正 restarts the clock
# ---------------------------------------------------------------------------------------------

RECEIVED_2024 = D(2024, 1, 26)


def test_correction_restarts_the_twenty_days_from_the_corrected_application():
    # Notice on 2/5 (7th working day, in time); stated deadline Sat 2/17 is inside 春节 and
    # rolls to the next working day, Sun 2/18 (调休). The correction arrives on 2/18:
    #   2/19-2/23 (5), 2/26-3/1 (10), 3/4-3/8 (15), 3/11-3/15 (20) → 2024-03-15.
    events = [
        E.received(RECEIVED_2024),
        E.correction_requested(D(2024, 2, 5), D(2024, 2, 17)),
        E.correction_received(D(2024, 2, 18)),
    ]
    result = run(*events, today=D(2024, 2, 19))
    assert result.due_on == D(2024, 3, 15)
    assert result.clock_start == D(2024, 2, 18)
    assert result.awaiting_correction is False
    assert result.warnings == ()
    assert [line.row() for line in result.lines] == [
        (
            "2024年1月26日",
            "收到申请，自次日起计算20个工作日（条例第三十三条）",
            "20",
            "2024年2月28日",
        ),
        (
            "2024年2月5日",
            "告知申请人补正，补正期限2024年2月17日（逢休息日顺延至2024年2月18日）；"
            "答复期限自收到补正之日起重新计算（条例第三十条）",
            "",
            "待补正（补正期限2024年2月18日）",
        ),
        (
            "2024年2月18日",
            "收到补正，答复期限自次日起重新计算20个工作日（条例第三十条）",
            "20",
            "2024年3月15日",
        ),
    ]


def test_waiting_for_correction_has_no_reply_deadline():
    events = [E.received(RECEIVED_2024), E.correction_requested(D(2024, 2, 1), D(2024, 2, 17))]
    waiting = run(*events, today=D(2024, 2, 18))  # the rolled deadline itself: still in time
    assert waiting.awaiting_correction
    assert waiting.due_on is None
    assert waiting.correction_by == D(2024, 2, 18)
    assert waiting.days_left is None
    assert not waiting.overdue and not waiting.due_soon
    assert waiting.implied_outcome is None


def test_no_correction_by_the_stated_date_is_other_handling_row_1():
    events = [E.received(RECEIVED_2024), E.correction_requested(D(2024, 2, 1), D(2024, 2, 17))]
    lapsed = run(*events, today=D(2024, 2, 19))
    assert lapsed.implied_outcome is Outcome.NO_CORRECTION
    assert lapsed.implied_outcome.code == "6.1"
    assert not lapsed.overdue


def test_late_correction_notice_and_late_correction_are_warnings():
    # 2/6 is the 8th working day after 1/26 (notice due by 2/5).
    events = [
        E.received(RECEIVED_2024),
        E.correction_requested(D(2024, 2, 6), D(2024, 2, 8)),
        E.correction_received(D(2024, 2, 19)),
    ]
    result = run(*events)
    assert len(result.warnings) == 2
    assert "应于2024年2月5日前告知" in result.warnings[0]
    assert "逾期补正" in result.warnings[1]
    # Accepted by the office, so the clock restarts and no outcome is implied:
    #   2/20-2/23 (4), 2/26-3/1 (9), 3/4-3/8 (14), 3/11-3/15 (19), 3/18 (20).
    assert result.due_on == D(2024, 3, 18)
    assert result.implied_outcome is None


def test_reply_after_correction_lapsed_keeps_the_implied_outcome():
    events = [
        E.received(RECEIVED_2024),
        E.correction_requested(D(2024, 2, 1), D(2024, 2, 8)),
        E.replied(D(2024, 2, 20)),
    ]
    result = run(*events)
    assert result.closed_by is ClockEventKind.REPLIED
    assert result.implied_outcome is Outcome.NO_CORRECTION
    assert result.lines[-1].text == "答复（申请人未补正），办结"


# ---------------------------------------------------------------------------------------------
# 条例第三十二、三十三、三十四条: consultation time is not counted
# ---------------------------------------------------------------------------------------------


def test_consultation_across_national_day_2025_then_extension():
    # Received Mon 2025-09-15: 9/16-9/19 (4), 9/22-9/26 (9), Sun 9/28 (10), 9/29, 9/30 (12),
    #   10/9, 10/10 (14), Sat 10/11 (15), 10/13-10/17 (20) → 10/17.
    # Letter to 县自然资源局 on Fri 9/26 (9 days used), answer Mon 10/13: excluded
    #   9/28, 9/29, 9/30, 10/9, 10/10, 10/11, 10/13 = 7 → 10/17 + 7: 10/20-10/24 (5), 10/27,
    #   10/28 (7) → 10/28.
    # Extension of 20 notified 10/27: 10/29-10/31 (3), 11/3-11/7 (8), 11/10-11/14 (13),
    #   11/17-11/21 (18), 11/24, 11/25 (20) → 11/25.
    events = [
        E.received(D(2025, 9, 15)),
        E.consultation_started(D(2025, 9, 26), "县自然资源局", Consultee.AGENCY),
        E.consultation_ended(D(2025, 10, 13), "县自然资源局"),
        E.extension(D(2025, 10, 27), 20, "李四", approved_on=D(2025, 10, 24)),
    ]
    result = run(*events, today=D(2025, 11, 18))
    assert [(line.days_text, line.due_text) for line in result.lines] == [
        ("20", "2025年10月17日"),
        ("", "暂停计算（尚余11个工作日）"),
        ("+7", "2025年10月28日"),
        ("+20", "2025年11月25日"),
    ]
    assert "条例第三十四条" in result.lines[1].text
    assert "已用9个工作日" in result.lines[1].text
    assert result.due_on == D(2025, 11, 25)
    assert result.excluded_days == 7
    assert result.extension_days == 20
    # 11/18 → 11/19-11/21 (3), 11/24, 11/25 (5): due soon, shown in red.
    assert result.days_left == 5
    assert result.due_soon and not result.overdue


def test_paused_clock_keeps_its_remaining_days():
    # 2024-01-26 received, letter on 2/1 (1/29-2/1 = 4 used, 16 left).
    events = [E.received(RECEIVED_2024), E.consultation_started(D(2024, 2, 1), "某公司")]
    result = run(*events, today=D(2024, 2, 9))
    assert result.paused
    assert result.due_on is None
    assert result.days_left == 16
    assert not result.due_soon and not result.overdue


def test_consultation_over_spring_festival_2024():
    # Letter 2/1, answer 2/20: excluded 2/2, 2/4, 2/5-2/9, 2/18, 2/19, 2/20 = 10.
    #   2/28 + 10: 2/29, 3/1 (2), 3/4-3/8 (7), 3/11-3/13 (10) → 3/13.
    events = [
        E.received(RECEIVED_2024),
        E.consultation_started(D(2024, 2, 1), "某公司"),
        E.consultation_ended(D(2024, 2, 20)),
    ]
    result = run(*events, today=D(2024, 2, 21))
    assert result.due_on == D(2024, 3, 13)
    assert result.lines[-1].days == 10


def test_unanswered_consultation_ends_after_fifteen_working_days():
    # Letter 2/1 → answer due by 15 wd: 2/2, 2/4, 2/5-2/9 (7), 2/18 (8), 2/19-2/23 (13), 2/26,
    #   2/27 (15). The ledger closes it on 2/27: +15 → 2/28 + 15: 2/29, 3/1 (2), 3/4-3/8 (7),
    #   3/11-3/15 (12), 3/18-3/20 (15) → 3/20.
    events = [E.received(RECEIVED_2024), E.consultation_started(D(2024, 2, 1), "某公司")]
    result = run(*events, today=D(2024, 3, 15))
    assert not result.paused
    assert result.due_on == D(2024, 3, 20)
    assert result.lines[-1].row() == (
        "2024年2月27日",
        "征求第三方（某公司）意见期满（条例第三十二条：15个工作日），此后恢复计算答复期限",
        "+15",
        "2024年3月20日",
    )
    # A late answer afterwards changes nothing.
    late = run(*events, E.consultation_ended(D(2024, 3, 1)), today=D(2024, 3, 15))
    assert late.due_on == D(2024, 3, 20)
    assert late.lines[-1].days == 0
    assert "届满" in late.lines[-1].text


def test_delivery_date_starts_the_consultees_fifteen_days():
    # Sent 2/1, delivered 2/5 → 15 wd after 2/5: 2/6-2/9 (4), 2/18 (5), 2/19-2/23 (10),
    #   2/26-3/1 (15) → 3/1, so an answer on 2/29 is within the period and fully excluded.
    events = [
        E.received(RECEIVED_2024),
        E.consultation_started(D(2024, 2, 1), "某公司", delivered_on=D(2024, 2, 5)),
        E.consultation_ended(D(2024, 2, 29)),
    ]
    result = run(*events, today=D(2024, 3, 1))
    # Excluded (2/1, 2/29]: 2/2 (1), 2/4 (2), 2/5-2/9 (7), 2/18 (8), 2/19-2/23 (13),
    #   2/26-2/29 (17).
    assert result.lines[-1].days == 17
    assert result.excluded_days == 17


def test_overlapping_consultations_exclude_their_union_once():
    # Received Mon 2024-03-04: 3/5-3/8 (4), 3/11-3/15 (9), 3/18-3/22 (14), 3/25-3/29 (19),
    #   4/1 (20) → 4/1.  A: 3/6-3/13, B: 3/11-3/15 → union (3/6, 3/15] = 3/7, 3/8, 3/11-3/15 = 7.
    #   4/1 + 7: 4/2, 4/3 (2), [4/4-4/6 清明 off], Sun 4/7 (3), 4/8-4/11 (7) → 4/11.
    events = [
        E.received(D(2024, 3, 4)),
        E.consultation_started(D(2024, 3, 6), "甲公司"),
        E.consultation_started(D(2024, 3, 11), "县住建局", Consultee.AGENCY),
        E.consultation_ended(D(2024, 3, 13), "甲公司"),
        E.consultation_ended(D(2024, 3, 15), "县住建局"),
    ]
    result = run(*events, today=D(2024, 3, 20))
    assert result.due_on == D(2024, 4, 11)
    assert [line.days for line in result.lines] == [20, None, None, 5, 2]
    assert result.lines[3].due_text.startswith("暂停计算")
    assert result.excluded_days == 7


def test_consultation_on_or_after_the_due_date_does_not_extend():
    # Due 2024-04-01 (see above); a letter sent on the due date itself excludes nothing.
    events = [
        E.received(D(2024, 3, 4)),
        E.consultation_started(D(2024, 4, 1), "甲公司"),
        E.consultation_ended(D(2024, 4, 3)),
    ]
    result = run(*events, today=D(2024, 4, 3))
    assert result.due_on == D(2024, 4, 1)
    assert result.overdue and result.days_left == -2
    assert result.lines[-1].days == 0
    assert any("已届满" in w for w in result.warnings)


def test_reply_during_consultation_closes_it():
    events = [
        E.received(D(2024, 3, 4)),
        E.consultation_started(D(2024, 3, 6), "甲公司"),
        E.replied(D(2024, 3, 8)),
    ]
    result = run(*events)
    assert [line.kind for line in result.lines][-2:] == [
        ClockEventKind.CONSULTATION_ENDED,
        ClockEventKind.REPLIED,
    ]
    assert result.late_days == 0
    assert not result.is_open


# ---------------------------------------------------------------------------------------------
# Extension, deferral, reply
# ---------------------------------------------------------------------------------------------


def test_extension_adds_its_working_days_and_records_the_approver():
    # 2023-09-26 → 10/30; +20: 10/31 (1), 11/1-11/3 (4), 11/6-11/10 (9), 11/13-11/17 (14),
    #   11/20-11/24 (19), 11/27 (20).
    result = run(
        E.received(D(2023, 9, 26)), E.extension(D(2023, 10, 27), 20, "王主任"), today=D(2023, 11, 1)
    )
    assert result.due_on == D(2023, 11, 27)
    assert "王主任" in result.lines[-1].text
    assert result.lines[-1].days_text == "+20"


def test_extension_after_the_due_date_does_not_move_it():
    result = run(
        E.received(D(2023, 9, 26)), E.extension(D(2023, 10, 31), 10, "王主任"), today=D(2023, 11, 1)
    )
    assert result.due_on == D(2023, 10, 30)
    assert result.overdue
    assert result.lines[-1].days == 0
    assert "晚于答复期限" in result.warnings[0]


def test_deferral_under_article_35_sets_the_date():
    # Due 2024-10-28 (received 9/25); deferred to Sat 11/30 → rolls to Mon 12/2.
    #   10/28 → 12/2: 10/29-10/31 (3), 11/1 (4), 11/4-11/29 (24), 12/2 (25).
    result = run(
        E.received(D(2024, 9, 25)),
        E.deferred(D(2024, 10, 15), D(2024, 11, 30)),
        E.consultation_started(D(2024, 10, 20), "甲公司"),
        E.consultation_ended(D(2024, 10, 25)),
        today=D(2024, 11, 1),
    )
    assert result.due_on == D(2024, 12, 2)
    assert result.lines[1].days == 25
    assert result.lines[-1].days == 0  # a fixed date is not moved by later consultations
    assert "第三十五条" in result.lines[1].text


def test_reply_in_time_and_late():
    on_time = run(E.received(D(2024, 9, 25)), E.replied(D(2024, 10, 28)))
    assert on_time.late_days == 0
    assert on_time.lines[-1].text == "答复，办结（期限内，用20个工作日）"
    assert on_time.days_left is None and not on_time.overdue
    # 10/28 due; 10/30 is two working days late.
    late = run(E.received(D(2024, 9, 25)), E.replied(D(2024, 10, 30)))
    assert late.late_days == 2
    assert late.lines[-1].text == "答复，办结（逾期2个工作日）"


def test_same_day_reply_in_person():
    result = run(E.replied(D(2024, 10, 12)), E.received(D(2024, 10, 12)))  # order on one day
    assert [line.kind for line in result.lines] == [ClockEventKind.RECEIVED, ClockEventKind.REPLIED]
    assert result.late_days == 0


def test_withdrawal_is_other_handling_row_3():
    result = run(E.received(D(2024, 9, 25)), E.withdrawn(D(2024, 10, 8)))
    assert result.implied_outcome is Outcome.OTHER
    assert result.closed_by is ClockEventKind.WITHDRAWN


# ---------------------------------------------------------------------------------------------
# 国办函〔2020〕109号: fee notice
# ---------------------------------------------------------------------------------------------


def test_fee_payment_deadline_and_unpaid_outcome():
    # Notice received 2023-09-26 → 次日起 20 wd → 10/30 (count as in BASE_CASES).
    events = [E.received(D(2023, 9, 20)), E.fee_notice(D(2023, 9, 26))]
    waiting = run(*events, today=D(2023, 10, 30))
    assert waiting.fee_due_on == D(2023, 10, 30)
    assert waiting.implied_outcome is None
    # The reply clock does not stop for the fee ([UNCONFIRMED] in the reference): received
    # 9/20 → 9/21-9/28 (6), 10/7, 10/8 (8), 10/9-10/13 (13), 10/16-10/20 (18), 10/23, 10/24
    #   (20) → 10/24, before the payment deadline — hence the warning.
    assert waiting.due_on == D(2023, 10, 24)
    assert any("参考资料未能确认" in w for w in waiting.warnings)
    lapsed = run(*events, today=D(2023, 10, 31))
    assert lapsed.implied_outcome is Outcome.FEE_UNPAID
    assert lapsed.implied_outcome.code == "6.2"
    assert not lapsed.overdue and lapsed.days_left is None
    paid = run(*events, E.fee_paid(D(2023, 10, 30)), today=D(2023, 10, 31))
    assert paid.implied_outcome is None
    assert paid.fee_due_on is None


def test_late_payment_is_a_warning():
    events = [E.received(D(2023, 9, 20)), E.fee_notice(D(2023, 9, 26)), E.fee_paid(D(2023, 11, 1))]
    result = run(*events)
    assert any("逾期缴费" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("count", "earlier", "fee"),
    [
        (10, 0, 0),  # 10件以下（含10件）不收费
        (11, 0, 100),
        (30, 0, 2000),  # 20 × 100
        (31, 0, 2200),  # + 200 for the 31st
        (40, 0, 4000),  # 2000 + 10 × 200
        (41, 0, 4300),  # + 300 for the 41st
        (1, 10, 100),  # the 11th of the month
        (1, 30, 200),  # the 31st
        (5, 28, 2 * 100 + 3 * 200),
        (0, 50, 0),
    ],
)
def test_fee_by_items(count, earlier, fee):
    assert fee_by_items(count, earlier_in_month=earlier) == fee
    assert information_fee(FeeMethod.BY_ITEM, count, earlier_in_month=earlier) == fee


@pytest.mark.parametrize(
    ("pages", "fee"),
    [
        (0, 0),
        (30, 0),  # 30页以下（含30页）不收费
        (31, 10),
        (100, 700),  # 70 × 10
        (101, 720),
        (200, 2700),  # 700 + 100 × 20
        (201, 2740),
        (250, 4700),  # 2700 + 50 × 40
    ],
)
def test_fee_by_pages(pages, fee):
    assert fee_by_pages(pages) == fee
    assert information_fee(FeeMethod.BY_PAGE, pages) == fee


def test_fee_helpers_reject_nonsense():
    with pytest.raises(UserError):
        fee_by_pages(-1)
    with pytest.raises(UserError):
        fee_by_items(-1)
    with pytest.raises(UserError, match="按量计收"):
        information_fee(FeeMethod.BY_PAGE, 40, earlier_in_month=3)


# ---------------------------------------------------------------------------------------------
# Dashboard flags (issue 6: due soon ≤ 5 working days, overdue, in red)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "days_left", "due_soon", "overdue"),
    [
        # Received 2024-09-25, due Mon 10/28.
        (D(2024, 10, 18), 6, False, False),  # 10/21-10/25 (5), 10/28 (6)
        (D(2024, 10, 19), 6, False, False),  # Saturday: as on Friday
        (D(2024, 10, 21), 5, True, False),  # 10/22-10/25 (4), 10/28 (5)
        (D(2024, 10, 28), 0, True, False),  # the due date itself
        (D(2024, 10, 29), -1, False, True),
        (D(2024, 11, 2), -4, False, True),  # Saturday: 10/29-11/1
    ],
)
def test_due_soon_and_overdue(today, days_left, due_soon, overdue):
    result = run(E.received(D(2024, 9, 25)), today=today)
    assert (result.days_left, result.due_soon, result.overdue) == (days_left, due_soon, overdue)


def test_weekend_right_after_the_due_date_is_already_overdue():
    # Due Fri 2024-03-15 (correction restart case); Saturday after.
    events = [
        E.received(RECEIVED_2024),
        E.correction_requested(D(2024, 2, 5), D(2024, 2, 17)),
        E.correction_received(D(2024, 2, 18)),
    ]
    result = run(*events, today=D(2024, 3, 16))
    assert result.overdue and result.days_left == -1


# ---------------------------------------------------------------------------------------------
# Validation: Chinese UserError for impossible sequences
# ---------------------------------------------------------------------------------------------

R = D(2024, 3, 4)


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([], "没有收到申请的记录"),
        ([E.replied(R)], "早于收到申请之日"),
        ([E.received(R), E.replied(R - timedelta(days=1))], "早于收到申请之日"),
        ([E.received(R), E.received(R + timedelta(days=1))], "只能有一个收到申请之日"),
        ([E.received(R), E.correction_received(R + timedelta(days=2))], "没有告知补正的记录"),
        (
            [
                E.received(R),
                E.correction_requested(R + timedelta(days=1), R + timedelta(days=9)),
                E.correction_requested(R + timedelta(days=2), R + timedelta(days=9)),
            ],
            "一次性告知",
        ),
        (
            [E.received(R), E.correction_requested(R + timedelta(days=1), R)],
            "补正期限（2024年3月4日）不能早于告知日期",
        ),
        (
            [
                E.received(R),
                E.extension(R + timedelta(days=1), 5, "王主任"),
                E.correction_requested(R + timedelta(days=2), R + timedelta(days=9)),
            ],
            "告知补正应在延期、征求意见、收费通知之前",
        ),
        (
            [
                E.received(R),
                E.correction_requested(R + timedelta(days=1), R + timedelta(days=9)),
                E.extension(R + timedelta(days=2), 5, "王主任"),
            ],
            "申请人尚未补正",
        ),
        ([E.received(R), E.extension(R + timedelta(days=1), 21, "王主任")], "1至20个工作日"),
        ([E.received(R), E.extension(R + timedelta(days=1), 0, "王主任")], "1至20个工作日"),
        ([E.received(R), E.extension(R + timedelta(days=1), 5, " ")], "负责人同意"),
        (
            [
                E.received(R),
                E.extension(R + timedelta(days=1), 5, "王主任"),
                E.extension(R + timedelta(days=2), 5, "王主任"),
            ],
            "只能延长一次",
        ),
        (
            [
                E.received(R),
                E.extension(R + timedelta(days=2), 5, "王主任", approved_on=R + timedelta(days=3)),
            ],
            "不能早于负责人同意的日期",
        ),
        ([E.received(R), E.consultation_ended(R + timedelta(days=1))], "没有正在进行的征求意见"),
        (
            [
                E.received(R),
                E.consultation_started(R + timedelta(days=1), "甲"),
                E.consultation_started(R + timedelta(days=1), "乙"),
                E.consultation_ended(R + timedelta(days=2)),
            ],
            "请写明收到哪一方的意见",
        ),
        (
            [
                E.received(R),
                E.consultation_started(R + timedelta(days=1), "甲"),
                E.consultation_started(R + timedelta(days=2), "甲"),
            ],
            "尚未结束",
        ),
        (
            [
                E.received(R),
                E.consultation_started(R + timedelta(days=2), "甲", delivered_on=R),
            ],
            "送达日期不能早于发出日期",
        ),
        ([E.received(R), E.fee_paid(R + timedelta(days=1))], "没有收费通知的记录"),
        (
            [
                E.received(R),
                E.fee_notice(R + timedelta(days=1)),
                E.fee_notice(R + timedelta(days=2)),
            ],
            "已发出过收费通知",
        ),
        ([E.received(R), E.replied(R), E.replied(R + timedelta(days=1))], "之后不能再有其他事项"),
        ([E.received(R), E.withdrawn(R), E.fee_notice(R + timedelta(days=1))], "撤回申请办结"),
        ([E.received(R), E.deferred(R + timedelta(days=1), R)], "延迟答复期限应晚于告知日期"),
        (
            [
                E.received(R),
                E.deferred(R + timedelta(days=1), R + timedelta(days=60)),
                E.extension(R + timedelta(days=2), 5, "王主任"),
            ],
            "不能再延期",
        ),
        ([E.received(D(2030, 1, 1))], "晚于今天"),
    ],
)
def test_invalid_sequences_are_user_errors(events, message):
    with pytest.raises(UserError, match=message):
        ledger(events, CAL, LATER)


def test_error_names_the_event():
    with pytest.raises(UserError) as info:
        run(E.received(R), E.extension(D(2024, 3, 5), 30, "王主任"))
    assert info.value.message.startswith("“2024年3月5日 延期答复”：")


# ---------------------------------------------------------------------------------------------
# Re-dating when the holiday data changes
# ---------------------------------------------------------------------------------------------


def test_redated_reports_moved_deadlines_of_open_applications():
    # Suppose a (fictional) corrected notice makes Tue 2024-02-27 a day off: the due date
    # 2/28 was the 20th working day, so it becomes 2/29; the fee deadline moves the same way.
    new = WorkCalendar(overrides={D(2024, 2, 27): False})
    events = [E.received(RECEIVED_2024), E.fee_notice(RECEIVED_2024)]
    assert run(*events, today=D(2024, 2, 1), calendar=new).due_on == D(2024, 2, 29)
    changes = redated(events, CAL, new, D(2024, 2, 1))
    assert changes == (
        DeadlineChange("答复期限", D(2024, 2, 28), D(2024, 2, 29)),
        DeadlineChange("缴费期限", D(2024, 2, 28), D(2024, 2, 29)),
    )
    assert changes[0].describe() == "答复期限由2024年2月28日调整为2024年2月29日"


def test_redated_ignores_closed_applications_and_unchanged_ones():
    new = WorkCalendar(overrides={D(2024, 2, 27): False})
    closed = [E.received(RECEIVED_2024), E.replied(D(2024, 2, 20))]
    assert redated(closed, CAL, new, D(2024, 3, 1)) == ()
    elsewhere = WorkCalendar(overrides={D(2024, 6, 3): False})
    assert redated([E.received(RECEIVED_2024)], CAL, elsewhere, D(2024, 2, 1)) == ()


# ---------------------------------------------------------------------------------------------
# Properties (hypothesis)
# ---------------------------------------------------------------------------------------------

FIRST = D(2005, 1, 1)
LAST = D(2025, 6, 30)


@st.composite
def calendars(draw):
    # The real calendar, or one with a few extra days off / make-up days, as an office override.
    if draw(st.booleans()):
        return CAL
    days = draw(st.dictionaries(st.dates(FIRST, D(2026, 12, 31)), st.booleans(), max_size=3))
    return WorkCalendar(overrides=days)


@st.composite
def histories(draw):
    """(received, correction, consultations, extension, fee) of one application.

    correction: None or (requested, correct_by, received | None); consultations:
    [(party, start, end)]; extension: None or (notified, days); fee: None or (notice, paid).
    Everything after a correction is dated from the corrected application.
    """
    received = draw(st.dates(FIRST, LAST))
    start = received
    correction = None
    if draw(st.integers(0, 3)) == 0:
        requested = received + timedelta(days=draw(st.integers(0, 12)))
        correct_by = requested + timedelta(days=draw(st.integers(0, 20)))
        arrived = None
        if draw(st.integers(0, 4)):
            arrived = requested + timedelta(days=draw(st.integers(0, 30)))
            start = arrived
        correction = (requested, correct_by, arrived)
    consultations = []
    extension = None
    fee = None
    if correction is None or correction[2] is not None:
        for i in range(draw(st.integers(0, 3))):
            begin = start + timedelta(days=draw(st.integers(0, 40)))
            end = begin + timedelta(days=draw(st.integers(0, 40)))
            consultations.append((f"第三方{i}", begin, end))
        if draw(st.booleans()):
            extension = (start + timedelta(days=draw(st.integers(0, 25))), draw(st.integers(1, 20)))
        if draw(st.integers(0, 3)) == 0:
            notice = start + timedelta(days=draw(st.integers(0, 20)))
            paid = (
                notice + timedelta(days=draw(st.integers(0, 40))) if draw(st.booleans()) else None
            )
            fee = (notice, paid)
    return received, correction, consultations, extension, fee


def build(received, correction, consultations, extension, fee, with_pauses=True):
    events = [E.received(received)]
    if correction is not None:
        requested, correct_by, arrived = correction
        events.append(E.correction_requested(requested, correct_by))
        if arrived is not None:
            events.append(E.correction_received(arrived))
    if with_pauses:
        for party, start, end in consultations:
            events.append(E.consultation_started(start, party))
            events.append(E.consultation_ended(end, party))
    if extension is not None:
        events.append(E.extension(extension[0], extension[1], "负责人"))
    if fee is not None:
        events.append(E.fee_notice(fee[0]))
        if fee[1] is not None:
            events.append(E.fee_paid(fee[1]))
    return events


TODAY = D(2026, 12, 31)


@settings(max_examples=150, deadline=None)
@given(histories(), calendars())
def test_a_pause_never_shortens_a_deadline(history, cal):
    without = ledger(build(*history, with_pauses=False), cal, TODAY)
    with_pauses = ledger(build(*history), cal, TODAY)
    if without.due_on is None:  # still waiting for the 补正: no reply clock either way
        assert with_pauses.due_on is None
    else:
        assert with_pauses.due_on >= without.due_on


@settings(max_examples=150, deadline=None)
@given(st.dates(FIRST, LAST), st.integers(0, 27), st.integers(1, 20), calendars())
def test_an_extension_adds_exactly_its_working_days(received, offset, days, cal):
    plain = ledger([E.received(received)], cal, TODAY)
    notified = received + timedelta(days=offset)
    extended = ledger([E.received(received), E.extension(notified, days, "负责人")], cal, TODAY)
    if notified <= plain.due_on:
        assert cal.workdays_between(plain.due_on, extended.due_on) == days
        assert extended.lines[-1].days == days
    else:  # notified too late: recorded, but the date stays
        assert extended.due_on == plain.due_on


@settings(max_examples=200, deadline=None)
@given(histories(), calendars(), st.dates(FIRST, TODAY))
def test_deadlines_never_fall_on_a_day_off(history, cal, today):
    events = build(*history)
    if any(e.on > today for e in events):
        today = max(e.on for e in events)
    result = ledger(events, cal, today)
    for label, deadline in result.deadlines().items():
        if deadline is not None:
            assert cal.is_workday(deadline), (label, deadline)
    for line in result.lines:
        if line.due_on is not None:
            assert cal.is_workday(line.due_on)


@settings(max_examples=200, deadline=None)
@given(histories(), calendars())
def test_the_ledger_days_add_up(history, cal):
    result = ledger(build(*history), cal, TODAY)
    if result.awaiting_correction:
        assert result.due_on is None
        return
    span = cal.workdays_between(result.clock_start, result.due_on)
    # 20 + extension + working days the consultations took off == the working days between
    # the (re)start and the due date …
    assert BASE_DAYS + result.extension_days + result.excluded_days == span
    # … and so do the 天数 of the ledger lines from the (re)start on.
    last_start = max(i for i, line in enumerate(result.lines) if line.starts_clock)
    assert sum(line.days or 0 for line in result.lines[last_start:]) == span
    assert result.lines[-1].due_on == result.due_on


@settings(max_examples=100, deadline=None)
@given(histories(), calendars(), st.randoms(use_true_random=False))
def test_ledger_does_not_depend_on_the_order_events_are_given_in(history, cal, rnd):
    events = build(*history)
    shuffled = list(events)
    rnd.shuffle(shuffled)
    assert ledger(shuffled, cal, TODAY) == ledger(events, cal, TODAY)
    assert redated(events, cal, cal, TODAY) == ()
