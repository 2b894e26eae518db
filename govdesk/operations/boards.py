"""Reads the 公开栏 page needs: every board with what is on it now and how much is overdue."""

from __future__ import annotations

from datetime import date

from govdesk.operations.context import Context
from govdesk.operations.dashboard import BoardStatus
from govdesk.store import notice_store, org_store


def board_statuses(
    ctx: Context, today: date | None = None, *, active_only: bool = False
) -> list[BoardStatus]:
    """Boards by 编号 with (notices on them now, of which past their planned take-down).

    Inactive boards are listed too unless ``active_only``: a board taken out of use may still
    carry postings that have to come down, and its history stays visible.
    """
    today = today or ctx.today()
    counts = notice_store.board_counts(ctx.db, today)
    return [
        BoardStatus(b, *counts.get(b.id, (0, 0)))
        for b in org_store.list_boards(ctx.db, active_only=active_only)
    ]
