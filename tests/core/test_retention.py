"""B6: retention tiered by time, with hypothesis over random timelines and Anki-style scenarios."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from govdesk.core.retention import RECENT, BackupInfo, Reason, thin, to_delete

NOW = datetime(2025, 6, 30, 13, 0)  # a Monday
THREE_YEARS = timedelta(days=3 * 366)


def _daily(first: date, last: date, hour: int = 12, verified: bool = True) -> list[BackupInfo]:
    out = []
    d = first
    while d <= last:
        t = datetime(d.year, d.month, d.day, hour)
        out.append(BackupInfo(t, verified, t.strftime("govdesk-%Y%m%d-%H%M%S.db")))
        d += timedelta(days=1)
    return out


def _kept_days(backups: list[BackupInfo], now: datetime = NOW) -> list[date]:
    return sorted(d.backup.time.date() for d in thin(backups, now) if d.keep)


def test_a_year_of_daily_backups_keeps_the_expected_set():
    backups = _daily(date(2024, 7, 1), date(2025, 6, 30))
    assert len(backups) == 365
    recent = [date(2025, 6, 30), date(2025, 6, 29)]  # 1 h and 25 h old; 6-28 12:00 is 49 h
    daily = [date(2025, 6, d) for d in range(15, 29)]  # 14 days
    # then the newest of each earlier week (Monday-Sunday): the Sundays before 6-15's week
    weekly = [date(2025, 6, 8), date(2025, 6, 1), date(2025, 5, 25), date(2025, 5, 18),
              date(2025, 5, 11), date(2025, 5, 4), date(2025, 4, 27), date(2025, 4, 20)]
    # then the last day of each earlier month, back to the first month with backups
    monthly = [date(2025, 3, 31), date(2025, 2, 28), date(2025, 1, 31), date(2024, 12, 31),
               date(2024, 11, 30), date(2024, 10, 31), date(2024, 9, 30), date(2024, 8, 31),
               date(2024, 7, 31)]
    assert _kept_days(backups) == sorted(recent + daily + weekly + monthly)
    reasons = Counter(d.reason for d in thin(backups, NOW))
    assert reasons == {Reason.RECENT: 2, Reason.DAILY: 14, Reason.WEEKLY: 8, Reason.MONTHLY: 9,
                       Reason.DROP: 365 - 33}


def test_four_and_a_half_years_keep_one_backup_per_year_after_the_monthly_quota():
    backups = _daily(date(2021, 1, 1), date(2025, 6, 30))
    decisions = thin(backups, NOW)
    monthly = sorted(d.backup.time.date() for d in decisions if d.reason is Reason.MONTHLY)
    assert len(monthly) == 24
    assert monthly[0] == date(2023, 4, 30) and monthly[-1] == date(2025, 3, 31)
    yearly = sorted(d.backup.time.date() for d in decisions if d.reason is Reason.YEARLY)
    assert yearly == [date(2021, 12, 31), date(2022, 12, 31)]
    assert sum(d.keep for d in decisions) == 2 + 14 + 8 + 24 + 2


def test_unverified_backups_change_nothing_for_the_verified_ones():
    verified = _daily(date(2024, 7, 1), date(2025, 6, 30))
    unverified = _daily(date(2024, 7, 1), date(2025, 6, 30), hour=6, verified=False)
    decisions = thin(verified + unverified, NOW)
    assert _kept_days(verified) == sorted(
        d.backup.time.date() for d in decisions if d.keep and d.backup.verified)
    kept_unverified = [d.backup.time for d in decisions if d.keep and not d.backup.verified]
    # 6-30 06:00 and 6-29 06:00 are under 48 h old; every older one is dropped
    assert kept_unverified == [datetime(2025, 6, 30, 6), datetime(2025, 6, 29, 6)]


def test_unverified_backups_newer_than_every_verified_one_are_kept():
    old = datetime(2025, 1, 1, 12)
    backups = [BackupInfo(old, True, "a"), BackupInfo(old + timedelta(days=3), False, "b")]
    assert to_delete(backups, NOW) == []
    assert to_delete(backups + [BackupInfo(old + timedelta(days=5), True, "c")], NOW) == [
        backups[1]]


# ---- properties over random timelines -------------------------------------------------------------

backup_lists = st.lists(
    st.tuples(st.integers(0, int(THREE_YEARS.total_seconds())), st.booleans()),
    max_size=300,
).map(lambda items: [
    BackupInfo(NOW - timedelta(seconds=s), v, f"b{i}") for i, (s, v) in enumerate(items)])


@settings(max_examples=500, deadline=None)
@given(backup_lists)
def test_retention_properties(backups):
    decisions = thin(backups, NOW)
    assert len(decisions) == len(backups)
    kept = [d.backup for d in decisions if d.keep]
    dropped = [d.backup for d in decisions if not d.keep]

    # the newest verified backup is never deleted
    verified = [b for b in backups if b.verified]
    if verified:
        newest = max(verified, key=lambda b: (b.time, b.name))
        assert newest in kept
    # nothing under 48 hours old is deleted
    assert all(NOW - b.time >= RECENT for b in dropped)
    # quotas hold, and each tier keeps one backup per period
    by_reason: dict[Reason, list[BackupInfo]] = {}
    for d in decisions:
        by_reason.setdefault(d.reason, []).append(d.backup)
    assert len(by_reason.get(Reason.DAILY, [])) <= 14
    assert len(by_reason.get(Reason.WEEKLY, [])) <= 8
    assert len(by_reason.get(Reason.MONTHLY, [])) <= 24
    for reason, key in ((Reason.DAILY, lambda t: t.date()),
                        (Reason.WEEKLY, lambda t: t.isocalendar()[:2]),
                        (Reason.MONTHLY, lambda t: (t.year, t.month)),
                        (Reason.YEARLY, lambda t: t.year)):
        periods = [key(b.time) for b in by_reason.get(reason, [])]
        assert len(periods) == len(set(periods)), reason
    # quota tiers and the yearly archive hold verified backups only
    for reason in (Reason.DAILY, Reason.WEEKLY, Reason.MONTHLY, Reason.YEARLY):
        assert all(b.verified for b in by_reason.get(reason, []))
    # every calendar year that had a verified backup keeps one (年度归档)
    assert {b.time.year for b in verified} == {b.time.year for b in kept if b.verified}
    # unverified backups never count toward a quota nor push out a verified one
    alone = {d.backup.name: d.reason for d in thin(verified, NOW)}
    assert alone == {d.backup.name: d.reason for d in decisions if d.backup.verified}
    # thinning twice equals thinning once
    again = thin(kept, NOW)
    assert all(d.keep for d in again)
    assert [(d.backup.name, d.reason) for d in again] == [
        (d.backup.name, d.reason) for d in decisions if d.keep]
