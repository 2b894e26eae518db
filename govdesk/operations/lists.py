"""Read-only lists the screens pick from (categories, channels, units and communities, boards)."""

from __future__ import annotations

from govdesk.core.org import Board, Category, Channel, Community, Township, Unit
from govdesk.operations.context import Context
from govdesk.store import notice_store, org_store


def categories(ctx: Context, *, active_only: bool = False) -> list[Category]:
    return org_store.list_categories(ctx.db, active_only=active_only)


def channels(ctx: Context, *, active_only: bool = False) -> list[Channel]:
    return org_store.list_channels(ctx.db, active_only=active_only)


def units(ctx: Context, *, active_only: bool = False) -> list[Unit]:
    return org_store.list_units(ctx.db, active_only=active_only)


def communities(ctx: Context, *, active_only: bool = False) -> list[Community]:
    return org_store.list_communities(ctx.db, active_only=active_only)


def boards(ctx: Context, *, active_only: bool = False) -> list[Board]:
    return org_store.list_boards(ctx.db, active_only=active_only)


def owners(ctx: Context, *, active_only: bool = True) -> list[tuple[str, int | None, int | None]]:
    """(label, unit_id, community_id) for every unit and community, units first."""
    out: list[tuple[str, int | None, int | None]] = [
        (u.name, u.id, None) for u in org_store.list_units(ctx.db, active_only=active_only)
    ]
    out += [(c.name, None, c.id)
            for c in org_store.list_communities(ctx.db, active_only=active_only)]
    return out


def notice_years(ctx: Context) -> list[int]:
    return notice_store.years(ctx.db)


def township(ctx: Context) -> Township:
    return org_store.get_township(ctx.db)
