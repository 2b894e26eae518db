"""B5 (when a backup is due) and B7 (backup health), on a fake clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from govdesk.core.backup_schedule import (
    Health,
    LastBackup,
    Trigger,
    exit_due,
    health,
    periodic_due,
)

MORNING = datetime(2025, 11, 20, 8, 30)


def _simulate_day(edit_every: timedelta | None, *, check_every=timedelta(minutes=1),
                  hours: int = 8) -> tuple[int, bool]:
    """An office day: the app checks once a minute (as a QTimer would); edits bump the marker.
    Returns (periodic backups made, whether a backup is due on exit)."""
    marker = 7  # the data as it was at the start of the day, already backed up
    last = LastBackup(MORNING - timedelta(hours=15), marker)
    made = 0
    t = MORNING
    end = MORNING + timedelta(hours=hours)
    next_edit = MORNING + edit_every if edit_every else None
    while t < end:
        if next_edit is not None and t >= next_edit:
            marker += 1
            next_edit += edit_every
        if periodic_due(t, last, marker):
            last = LastBackup(t, marker)
            made += 1
        t += check_every
    return made, exit_due(last, marker)


def test_a_busy_day_gets_a_backup_every_half_hour_not_one_per_edit():
    made, on_exit = _simulate_day(timedelta(minutes=5))
    assert 16 <= made <= 17  # not 96
    assert on_exit  # the last edits came after the last periodic backup


def test_an_idle_day_gets_no_backup_at_all():
    assert _simulate_day(None) == (0, False)


def test_a_single_edit_is_backed_up_once():
    last = LastBackup(MORNING, 3)
    assert not periodic_due(MORNING + timedelta(minutes=29), last, 4)
    assert periodic_due(MORNING + timedelta(minutes=30), last, 4)
    done = LastBackup(MORNING + timedelta(minutes=30), 4)
    assert not periodic_due(MORNING + timedelta(hours=5), done, 4)
    assert not exit_due(done, 4)


def test_no_backup_of_an_empty_database_and_a_first_backup_once_there_is_data():
    assert not periodic_due(MORNING, None, 0)
    assert periodic_due(MORNING, None, 1)
    assert exit_due(None, 1)


def test_a_clock_set_back_does_not_stop_backups():
    last = LastBackup(MORNING + timedelta(days=30), 3)
    assert periodic_due(MORNING, last, 4)


def test_health_ok_warning_blocking():
    now = MORNING
    assert health(now, now - timedelta(hours=23), True).health is Health.OK
    # over 24 hours, but nothing changed since: nothing to warn about
    assert health(now, now - timedelta(hours=30), False).health is Health.OK
    warn = health(now, now - timedelta(hours=30), True)
    assert warn.health is Health.WARNING and "30 小时" in warn.message
    block = health(now, now - timedelta(days=8), False)
    assert block.health is Health.BLOCKING and "7 天" in block.message
    assert health(now, None, True).health is Health.BLOCKING
    assert health(now, None, False).health is Health.OK


def test_triggers_parse_from_chinese_or_english():
    assert Trigger.from_text("退出时") is Trigger.EXIT
    assert Trigger.from_text("manual") is Trigger.MANUAL
    with pytest.raises(ValueError, match="可选：定时"):
        Trigger.from_text("随便")
