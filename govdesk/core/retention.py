"""Which backups to keep (reliability target B6): tiered by time, never by count alone.

Aegis kept "the last 5" and lost a day of data when five backups were made within two minutes;
Anki keeps today's and yesterday's backups, then one a day, a week and a month. govdesk follows
Anki's walk and adds a yearly tier, because "losing a year of records" is what an office fears
most:

* every backup less than 48 hours old;
* then, going back in time, the newest backup of each of 14 days, then of each of 8 weeks, then of
  each of 24 months;
* and the newest backup of every calendar year, for ever (年度归档);
* the newest verified backup, whatever its age.

Only *verified* backups take part in the walk. An unverified one (its checks failed, or it was
interrupted before its manifest was written) never uses up a quota and so never pushes out a
verified one; it is kept while it is less than 48 hours old (someone may want to look at it) or
while no verified backup is newer, and dropped after that.

Thinning is idempotent: the walk's state changes only when it keeps a backup, so removing what it
dropped and walking again keeps exactly the same set.

Days, weeks (Monday to Sunday) and months are those of the datetimes as given: callers pass local
times, since the office's "day" is a Beijing day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

RECENT = timedelta(hours=48)


@dataclass(frozen=True, slots=True)
class Limits:
    daily: int = 14
    weekly: int = 8
    monthly: int = 24


DEFAULT_LIMITS = Limits()


class Reason(Enum):
    """Why a backup is kept (or not); the labels are shown on the backups page."""

    RECENT = "48小时内"
    NEWEST = "最新的已校验备份"
    DAILY = "每日保留"
    WEEKLY = "每周保留"
    MONTHLY = "每月保留"
    YEARLY = "年度归档"
    UNVERIFIED = "未校验，暂留"
    DROP = "可清理"

    @property
    def label(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class BackupInfo:
    time: datetime
    verified: bool
    name: str


@dataclass(frozen=True, slots=True)
class Decision:
    backup: BackupInfo
    reason: Reason

    @property
    def keep(self) -> bool:
        return self.reason is not Reason.DROP


def _week(t: datetime) -> int:
    # date.toordinal() 1 is a Monday (0001-01-01), so this numbers Monday-to-Sunday weeks.
    return (t.date().toordinal() - 1) // 7


def _month(t: datetime) -> int:
    return t.year * 12 + t.month - 1


class _Walk:
    """Anki's BackupFilter (rslib collection/backup.rs), with the yearly tier added."""

    def __init__(self, limits: Limits) -> None:
        self.left = {Reason.DAILY: limits.daily, Reason.WEEKLY: limits.weekly,
                     Reason.MONTHLY: limits.monthly}
        big = 1 << 62
        self.day = self.week = self.month = self.year = big

    def decide(self, t: datetime, recent: bool) -> Reason:
        day, week, month = t.date().toordinal(), _week(t), _month(t)
        reason = Reason.DROP
        if recent:
            reason = Reason.RECENT
        elif self.left[Reason.DAILY] > 0:
            if day < self.day:
                reason = Reason.DAILY
        elif self.left[Reason.WEEKLY] > 0:
            if week < self.week:
                reason = Reason.WEEKLY
        elif self.left[Reason.MONTHLY] > 0:
            if month < self.month:
                reason = Reason.MONTHLY
        if reason is Reason.DROP and t.year < self.year:
            # The newest backup of each calendar year: the walk meets it before any other of its
            # year, so every year that had a verified backup keeps one (年度归档).
            reason = Reason.YEARLY
        if reason is not Reason.DROP:
            self.day, self.week, self.month, self.year = day, week, month, t.year
            if reason in self.left:
                self.left[reason] -= 1
        return reason


def thin(backups: Iterable[BackupInfo], now: datetime,
         limits: Limits = DEFAULT_LIMITS) -> list[Decision]:
    """A decision for every backup, newest first."""
    ordered = sorted(backups, key=lambda b: (b.time, b.name), reverse=True)
    walk = _Walk(limits)
    newest_verified = next((b for b in ordered if b.verified), None)
    out: list[Decision] = []
    for b in ordered:
        recent = now - b.time < RECENT
        if b.verified:
            reason = walk.decide(b.time, recent)
            if b is newest_verified and reason is Reason.DROP:  # only with zero quotas
                reason = Reason.NEWEST
        elif recent or newest_verified is None or b.time > newest_verified.time:
            reason = Reason.RECENT if recent else Reason.UNVERIFIED
        else:
            reason = Reason.DROP
        out.append(Decision(b, reason))
    return out


def to_delete(backups: Iterable[BackupInfo], now: datetime,
              limits: Limits = DEFAULT_LIMITS) -> list[BackupInfo]:
    return [d.backup for d in thin(backups, now, limits) if not d.keep]
