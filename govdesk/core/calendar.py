"""Working-day calendar for deadlines and 公示期 (posting periods).

Combines the ``chinese_calendar`` package (State Council holiday notices) with
an office-editable override table for years the package does not know yet.
Pure Python: no Qt, no SQL.
"""

from __future__ import annotations

import operator
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType

import chinese_calendar
from chinese_calendar.constants import holidays as _PKG_HOLIDAYS
from chinese_calendar.constants import workdays as _PKG_WORKDAYS

__all__ = ["DAY_UNITS", "WorkCalendar"]

#: Units accepted by :meth:`WorkCalendar.period_end`.
DAY_UNITS = ("天", "工作日")


def _as_date(value: object) -> date:
    # datetime is a subclass of date but never compares equal to one, so a
    # datetime key would silently miss every cache and override lookup.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected datetime.date, got {type(value).__name__}")


def _package_knows(year: int) -> bool:
    # chinese_calendar raises NotImplementedError outside the years it has
    # notices for (1.11: 2004-2026). Probe with a single day; the answer is
    # the same for every day of the year.
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """Which days are working days (工作日), and date arithmetic on them.

    Precedence for a single day: override table, then ``chinese_calendar``,
    then (for years nobody has data for) plain Monday-Friday.

    Instances are immutable from the outside; the only internal state that
    changes after construction is lazily filled per-year caches, which are
    pure functions of the constructor arguments.
    """

    __slots__ = (
        "_overrides",
        "_override_years",
        "_today",
        "_pkg_years",
        "_days",
        "_year_workdays",
        "_lock",
    )

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        today: date | None = None,
    ) -> None:
        # Copy so later edits to the caller's dict (e.g. the settings page's
        # working copy) cannot invalidate our caches behind our back.
        normalized: dict[date, bool] = {}
        for key, value in (overrides or {}).items():
            normalized[_as_date(key)] = bool(value)
        set_ = object.__setattr__
        set_(self, "_overrides", MappingProxyType(normalized))
        set_(self, "_override_years", frozenset(d.year for d in normalized))
        set_(self, "_today", None if today is None else _as_date(today))
        # year -> does chinese_calendar cover it (probed once per year).
        set_(self, "_pkg_years", {})
        # date -> is working day, filled a whole year at a time so that the
        # NotImplementedError probe happens once per year, not once per day.
        set_(self, "_days", {})
        # year -> sorted ordinals of that year's working days; lets
        # add_workdays / workdays_between use bisect instead of walking days,
        # which matters when a bulk import computes 100k+ deadlines.
        set_(self, "_year_workdays", {})
        # The GUI may compute deadlines from worker threads; loading a year
        # is idempotent, the lock only avoids doing the work twice.
        set_(self, "_lock", threading.Lock())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("WorkCalendar is immutable; build a new one instead")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("WorkCalendar is immutable; build a new one instead")

    def __repr__(self) -> str:
        return f"WorkCalendar(overrides={len(self._overrides)} entries, today={self._today!r})"

    @property
    def overrides(self) -> Mapping[date, bool]:
        """Read-only view of the override table this calendar was built with."""
        return self._overrides

    # ------------------------------------------------------------------
    # Per-year loading
    # ------------------------------------------------------------------

    def _package_covers(self, year: int) -> bool:
        known = self._pkg_years.get(year)
        if known is None:
            known = _package_knows(year)
            self._pkg_years[year] = known
        return known

    def _workday_ordinals(self, year: int) -> list[int]:
        ordinals = self._year_workdays.get(year)
        if ordinals is None:
            with self._lock:
                ordinals = self._year_workdays.get(year)
                if ordinals is None:
                    ordinals = self._load_year(year)
        return ordinals

    def _load_year(self, year: int) -> list[int]:
        # Caller holds the lock.
        from_package = self._package_covers(year)
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        overrides = self._overrides if year in self._override_years else {}
        flags: dict[date, bool] = {}
        ordinals: list[int] = []
        for ordinal in range(first, last + 1):
            d = date.fromordinal(ordinal)
            flag = overrides.get(d)
            if flag is None:
                if from_package:
                    # chinese_calendar.is_workday() validates its argument on every call;
                    # this is its own rule on its own tables, ~10x faster for a whole year.
                    flag = d in _PKG_WORKDAYS or (d.weekday() < 5 and d not in _PKG_HOLIDAYS)
                else:
                    # No notice for this year: assume an ordinary week rather
                    # than refusing to compute; missing_next_year() lets the
                    # app warn that the real holidays still need entering.
                    flag = d.weekday() < 5
            flags[d] = flag
            if flag:
                ordinals.append(ordinal)
        self._days.update(flags)
        # Publish the ordinal list last: its presence means the year is
        # fully loaded (readers check it without taking the lock).
        self._year_workdays[year] = ordinals
        return ordinals

    # ------------------------------------------------------------------
    # Single-day queries
    # ------------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        """True if ``d`` is a working day (override > package > Mon-Fri)."""
        d = _as_date(d)
        flag = self._days.get(d)
        if flag is None:
            self._workday_ordinals(d.year)
            flag = self._days[d]
        return flag

    def known_year(self, year: int) -> bool:
        """True if the holiday arrangement of ``year`` is known.

        Known means either ``chinese_calendar`` ships that year's notice, or
        the office has entered at least one override for it (i.e. typed in
        the notice). Otherwise :meth:`is_workday` is only a Mon-Fri guess.
        """
        year = operator.index(year)
        return year in self._override_years or self._package_covers(year)

    # ------------------------------------------------------------------
    # Arithmetic (all on ordinals so it stays O(log n) per call)
    # ------------------------------------------------------------------

    def _nth_after(self, ordinal: int, n: int) -> date:
        # The n-th working day (n >= 1) whose ordinal is strictly greater
        # than ``ordinal``. Working on ordinals lets callers pass
        # "start - 1" without risking date underflow.
        year = date.fromordinal(max(ordinal, 1)).year
        days = self._workday_ordinals(year)
        i = bisect_right(days, ordinal)
        remaining = n
        while i + remaining > len(days):
            # Not enough working days left in this year; move on. A year
            # overridden to have no working days at all is simply skipped,
            # and since overrides are finite this terminates.
            remaining -= len(days) - i
            year += 1
            days = self._workday_ordinals(year)
            i = 0
        return date.fromordinal(days[i + remaining - 1])

    def add_workdays(self, start: date, n: int) -> date:
        """The date ``n`` working days after ``start``, not counting ``start``.

        This follows the 民法典 rule that the first day of a period is not
        counted, so ``add_workdays(Friday, 1)`` is the following Monday in a
        normal week. It is the rule for deadlines such as 《政府信息公开条例》
        第二十六条 (主动公开 within 20 working days of the information being
        formed or changed): the deadline is ``add_workdays(formed_on, 20)``.

        ``n == 0`` returns ``start`` if it is a working day, else the next
        working day. Negative ``n`` raises ValueError.
        """
        start = _as_date(start)
        n = operator.index(n)
        if n < 0:
            raise ValueError(f"工作日数不能为负数：{n}")
        if n == 0:
            if self.is_workday(start):
                return start
            return self._nth_after(start.toordinal(), 1)
        return self._nth_after(start.toordinal(), n)

    def workdays_between(self, start: date, end: date) -> int:
        """Number of working days ``d`` with ``start < d <= end`` (0 if end <= start).

        Inverse of :meth:`add_workdays`: for n >= 1,
        ``workdays_between(s, add_workdays(s, n)) == n``.
        """
        start = _as_date(start)
        end = _as_date(end)
        if end <= start:
            return 0
        lo = start.toordinal()
        hi = end.toordinal()
        total = 0
        for year in range(start.year, end.year + 1):
            days = self._workday_ordinals(year)
            total += bisect_right(days, hi) - bisect_right(days, lo)
        return total

    def next_workday(self, d: date) -> date:
        """First working day strictly after ``d``."""
        return self._nth_after(_as_date(d).toordinal(), 1)

    def previous_workday(self, d: date) -> date:
        """Last working day strictly before ``d``."""
        d = _as_date(d)
        ordinal = d.toordinal()
        year = d.year
        days = self._workday_ordinals(year)
        i = bisect_left(days, ordinal)
        while i == 0:
            # date(1, 1, 1) has no predecessor; let date() raise naturally.
            year -= 1
            if year < 1:
                raise ValueError("没有更早的工作日")
            days = self._workday_ordinals(year)
            i = len(days)
        return date.fromordinal(days[i - 1])

    def period_end(self, start: date, length: int, unit: str) -> date:
        """Last day of a 公示期 of ``length`` ``unit`` beginning on ``start``.

        Unlike :meth:`add_workdays`, the start day counts here: a notice is
        on the board from the day it is posted, and that is how the office
        writes the period on the notice itself.

        * ``"天"``: calendar days, ends on ``start + (length - 1)`` days.
          "公示期为7天" posted Monday 1 June ends Sunday 7 June.
        * ``"工作日"``: the ``length``-th working day counting from ``start``
          inclusive. "从2020年3月11日起至13日止，共3个工作日". If ``start`` is
          not a working day (e.g. posted on a Saturday), day 1 is the next
          working day.

        ``length`` must be >= 1 and ``unit`` one of :data:`DAY_UNITS`,
        otherwise ValueError.
        """
        start = _as_date(start)
        length = operator.index(length)
        if length < 1:
            raise ValueError(f"公示期长度必须至少为1，实际为{length}")
        if unit == "天":
            return start + timedelta(days=length - 1)
        if unit == "工作日":
            # "ordinal - 1" makes start itself the first candidate.
            return self._nth_after(start.toordinal() - 1, length)
        raise ValueError(f"公示期单位必须是“天”或“工作日”，实际为“{unit}”")

    # ------------------------------------------------------------------
    # Settings / warnings
    # ------------------------------------------------------------------

    def missing_next_year(self, today: date | None = None) -> int | None:
        """Next year, if its holidays are unknown and it is time to enter them.

        The State Council notice for the next year usually comes out in late
        October or November, so the app only nags ("明年的节假日安排尚未录入")
        in November and December. Returns None otherwise.
        """
        if today is None:
            today = self._today if self._today is not None else date.today()
        today = _as_date(today)
        if today.month < 11:
            return None
        next_year = today.year + 1
        return None if self.known_year(next_year) else next_year

    def days_off_in(self, year: int) -> list[date]:
        """Monday-Friday days of ``year`` that are days off (holidays), sorted.

        Ordinary weekends are not listed: together with
        :meth:`makeup_workdays_in` this is exactly the list of exceptions to
        the Mon-Fri rule, i.e. what a holiday notice changes.
        """
        year = operator.index(year)
        self._workday_ordinals(year)
        return [d for d in self._iter_year(year) if d.weekday() < 5 and not self._days[d]]

    def makeup_workdays_in(self, year: int) -> list[date]:
        """Saturdays/Sundays of ``year`` that are working days (调休上班), sorted."""
        year = operator.index(year)
        self._workday_ordinals(year)
        return [d for d in self._iter_year(year) if d.weekday() >= 5 and self._days[d]]

    @staticmethod
    def _iter_year(year: int) -> Iterator[date]:
        # Ordinal range rather than "d += 1 day" so year 9999 does not overflow.
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        return map(date.fromordinal, range(first, last + 1))
