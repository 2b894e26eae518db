"""Township profile, units, communities, boards, categories, channels and calendar overrides."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from govdesk.core.org import (
    Board,
    BoardKind,
    Category,
    Channel,
    Community,
    CommunityKind,
    Township,
    Unit,
)

TOWNSHIP_FIELDS = ("full_name", "short_name", "credit_code", "address", "phone", "index_pattern")


def get_township(db: Database) -> Township:
    row = db.execute(f"SELECT {', '.join(TOWNSHIP_FIELDS)} FROM township WHERE id = 1").fetchone()
    return Township(*row)


def update_township(db: Database, township: Township) -> None:
    sets = ", ".join(f"{f} = ?" for f in TOWNSHIP_FIELDS)
    db.execute(
        f"UPDATE township SET {sets} WHERE id = 1",
        [getattr(township, f) for f in TOWNSHIP_FIELDS],
    )


# ---- simple named lists --------------------------------------------------------------------------


def list_units(db: Database, *, active_only: bool = False) -> list[Unit]:
    where = "WHERE active = 1" if active_only else ""
    return [
        Unit(r[0], r[1], bool(r[2]), r[3])
        for r in db.execute(f"SELECT id, name, active, sort FROM unit {where} ORDER BY sort, id")
    ]


def list_communities(db: Database, *, active_only: bool = False) -> list[Community]:
    where = "WHERE active = 1" if active_only else ""
    return [
        Community(r[0], r[1], CommunityKind(r[2]), bool(r[3]), r[4])
        for r in db.execute(
            f"SELECT id, name, kind, active, sort FROM community {where} ORDER BY sort, id"
        )
    ]


def list_categories(db: Database, *, active_only: bool = False) -> list[Category]:
    where = "WHERE active = 1" if active_only else ""
    return [
        Category(r[0], r[1], r[2], bool(r[3]), r[4])
        for r in db.execute(
            f"SELECT id, name, publish_limit_days, active, sort FROM category {where}"
            " ORDER BY sort, id"
        )
    ]


def list_channels(db: Database, *, active_only: bool = False) -> list[Channel]:
    where = "WHERE active = 1" if active_only else ""
    return [
        Channel(r[0], r[1], bool(r[2]), r[3])
        for r in db.execute(f"SELECT id, name, active, sort FROM channel {where} ORDER BY sort, id")
    ]


_BOARD_SELECT = (
    "SELECT b.id, b.code, b.name, b.kind, b.location, b.community_id, b.unit_id, b.active,"
    " coalesce(c.name, u.name, ''), b.paper FROM board b"
    " LEFT JOIN community c ON c.id = b.community_id LEFT JOIN unit u ON u.id = b.unit_id"
)


def _board(r: tuple) -> Board:
    return Board(r[0], r[1], r[2], BoardKind(r[3]), r[4], r[5], r[6], bool(r[7]), r[8], r[9])


def list_boards(db: Database, *, active_only: bool = False) -> list[Board]:
    where = " WHERE b.active = 1" if active_only else ""
    return [_board(r) for r in db.execute(_BOARD_SELECT + where + " ORDER BY b.code")]


def get_board(db: Database, board_id: int) -> Board | None:
    r = db.execute(_BOARD_SELECT + " WHERE b.id = ?", [board_id]).fetchone()
    return _board(r) if r else None


# Generic writes for the org tables. Table and column names come from this module only.
ORG_TABLES = {
    "unit": ("name", "active", "sort"),
    "community": ("name", "kind", "active", "sort"),
    "category": ("name", "publish_limit_days", "active", "sort"),
    "channel": ("name", "active", "sort"),
    "board": ("code", "name", "kind", "location", "community_id", "unit_id", "active", "paper"),
}


def get_row(db: Database, table: str, row_id: int) -> dict | None:
    cols = ORG_TABLES[table]
    r = db.execute(f"SELECT id, {', '.join(cols)} FROM {table} WHERE id = ?", [row_id]).fetchone()
    return dict(zip(("id", *cols), r, strict=True)) if r else None


def insert_row(db: Database, table: str, values: dict) -> int:
    cols = [c for c in ORG_TABLES[table] if c in values]
    cur = db.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [values[c] for c in cols],
    )
    return int(cur.lastrowid)


def update_row(db: Database, table: str, row_id: int, values: dict) -> None:
    cols = [c for c in ORG_TABLES[table] if c in values]
    db.execute(
        f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
        [values[c] for c in cols] + [row_id],
    )


def delete_row(db: Database, table: str, row_id: int) -> None:
    db.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])


def name_taken(db: Database, table: str, column: str, value: str, exclude_id: int | None) -> bool:
    r = db.execute(
        f"SELECT 1 FROM {table} WHERE {column} = ? AND id IS NOT ?", [value, exclude_id]
    ).fetchone()
    return r is not None


# Which records refer to an org row: deleting it would orphan them, so it is refused.
# Where a unit, community … is used: deleting it is refused with these counts (the records of
# the registers and the work plan name their 责任单位 too).
_OWNER_RECORDS = (
    ("policy_interpretation", "条政策解读"),
    ("hotline_case", "件舆情与热线事项"),
    ("proposal", "件建议提案"),
    ("meeting", "次培训与会议"),
    ("plan_task_owner", "项实施方案任务"),
)
_USAGE = {
    "unit": (
        ("notice", "unit_id", "条信息"),
        ("board", "unit_id", "个公开栏"),
        ("user", "unit_id", "个用户"),
        *((table, "unit_id", label) for table, label in _OWNER_RECORDS),
    ),
    "community": (
        ("notice", "community_id", "条信息"),
        ("board", "community_id", "个公开栏"),
        *((table, "community_id", label) for table, label in _OWNER_RECORDS),
    ),
    "category": (("notice", "category_id", "条信息"), ("plan_task", "category_id", "项实施方案任务")),
    "channel": (("notice_channel", "channel_id", "条信息"),),
    "board": (("posting", "board_id", "条张贴记录"),),
}


def usage(db: Database, table: str, row_id: int) -> list[str]:
    found = []
    for other, column, label in _USAGE[table]:
        n = db.execute(f"SELECT count(*) FROM {other} WHERE {column} = ?", [row_id]).fetchone()[0]
        if n:
            found.append(f"{n} {label}")
    return found


def max_sort(db: Database, table: str) -> int:
    return db.execute(f"SELECT coalesce(max(sort), 0) FROM {table}").fetchone()[0]


# ---- calendar overrides --------------------------------------------------------------------------


def calendar_overrides(db: Database) -> dict[date, bool]:
    return {
        date.fromisoformat(r[0]): bool(r[1])
        for r in db.execute("SELECT day, is_workday FROM calendar_override")
    }


def list_calendar_overrides(db: Database) -> list[tuple[date, bool, str]]:
    return [
        (date.fromisoformat(r[0]), bool(r[1]), r[2])
        for r in db.execute("SELECT day, is_workday, note FROM calendar_override ORDER BY day")
    ]


def set_calendar_override(db: Database, day: date, is_workday: bool | None, note: str = "") -> None:
    if is_workday is None:
        db.execute("DELETE FROM calendar_override WHERE day = ?", [day.isoformat()])
    else:
        db.execute(
            "INSERT INTO calendar_override (day, is_workday, note) VALUES (?, ?, ?)"
            " ON CONFLICT(day) DO UPDATE SET is_workday = excluded.is_workday, note = excluded.note",
            [day.isoformat(), int(is_workday), note],
        )


# ---- settings key/value --------------------------------------------------------------------------


def get_setting(db: Database, key: str, default: str = "") -> str:
    r = db.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
    return r[0] if r else default


def set_setting(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO setting (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
