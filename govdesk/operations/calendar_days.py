"""Reading the office's own working-day entries (节假日 overrides) for the 设置 page.

The GUI may not read the store (gui → operations → store), and operations/org.py only writes
them (set_calendar_day); this is the matching read.
"""

from __future__ import annotations

from datetime import date

from govdesk.operations.context import Context
from govdesk.store import org_store


def list_overrides(ctx: Context) -> list[tuple[date, bool, str]]:
    """The office's own calendar entries in day order: (day, is_workday, note)."""
    return org_store.list_calendar_overrides(ctx.db)
