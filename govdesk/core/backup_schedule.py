"""When a backup is due (B5) and how healthy the backups are (B7). Pure: the caller supplies the
clock and what changed.

"Changed" is a *change marker*: any value that grows with every change to the data. govdesk uses
the sequence number of the newest audit entry that is not about backups themselves (every state
change writes exactly one audit row, A4), and stores the marker of each backup in its manifest.
Anki's rule: "skip backup if modification time has not changed", so an office PC left on overnight
does not fill the folder with identical copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

PERIOD = timedelta(minutes=30)
WARN_AFTER = timedelta(hours=24)
BLOCK_AFTER = timedelta(days=7)


class Trigger(Enum):
    """What made a backup; the value is stored in the manifest and shown on the backups page."""

    PERIODIC = "定时"
    EXIT = "退出时"
    MIGRATION = "迁移前"
    RESTORE = "恢复前"
    IMPORT = "导入前"
    DELETE = "删除前"
    MANUAL = "手动"

    @classmethod
    def from_text(cls, text: str) -> Trigger:
        for t in cls:
            if text in (t.value, t.name, t.name.lower()):
                return t
        allowed = "、".join(t.value for t in cls)
        raise ValueError(f"备份原因“{text}”不对，可选：{allowed}")


@dataclass(frozen=True, slots=True)
class LastBackup:
    """The newest backup as far as scheduling is concerned (verified or not: a failed attempt
    still waits a full period before the next one, so a broken folder is not hammered)."""

    time: datetime
    marker: int


def changed_since(last: LastBackup | None, marker: int) -> bool:
    if marker <= 0:
        return False  # an empty database: nothing worth a copy
    return last is None or marker != last.marker


def periodic_due(now: datetime, last: LastBackup | None, marker: int,
                 period: timedelta = PERIOD) -> bool:
    """Every 30 minutes, and only if something changed since the last backup."""
    if not changed_since(last, marker):
        return False
    # A clock set back (last.time in the future) must not stop backups for good.
    return last is None or now - last.time >= period or now < last.time


def exit_due(last: LastBackup | None, marker: int) -> bool:
    """On exit, if anything changed since the last backup, however recent it is."""
    return changed_since(last, marker)


class Health(Enum):
    OK = "正常"
    WARNING = "提醒"
    BLOCKING = "必须处理"


@dataclass(frozen=True, slots=True)
class HealthReport:
    health: Health
    message: str


def _age_text(age: timedelta) -> str:
    hours = int(age.total_seconds() // 3600)
    if hours < 1:
        return f"{max(0, int(age.total_seconds() // 60))} 分钟"
    if hours < 48:
        return f"{hours} 小时"
    return f"{hours // 24} 天"


def health(now: datetime, last_verified: datetime | None, changed: bool) -> HealthReport:
    """B7 (Vorta's lesson: a backup that fails silently is as bad as none).

    * older than 7 days (or none at all while there is data) → blocking reminder at start;
    * older than 24 hours and the data changed since → warning in the status bar;
    * otherwise ok.
    """
    if last_verified is None:
        if not changed:
            return HealthReport(Health.OK, "还没有需要备份的数据")
        return HealthReport(Health.BLOCKING, "还没有任何校验通过的备份，请立即备份")
    age = now - last_verified
    when = last_verified.strftime("%Y-%m-%d %H:%M")
    if age > BLOCK_AFTER:
        return HealthReport(Health.BLOCKING,
                            f"最近一次校验通过的备份是 {when}，已超过 7 天（{_age_text(age)}），"
                            "请立即备份并检查备份文件夹")
    if age > WARN_AFTER and changed:
        return HealthReport(Health.WARNING,
                            f"最近一次校验通过的备份是 {when}（{_age_text(age)}前），"
                            "此后数据有改动，请备份")
    return HealthReport(Health.OK, f"最近备份：{when}（{_age_text(age)}前）")
