"""Notices, their channels, the search index and postings on boards."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlite_utils import Database

from govdesk.core import approvals
from govdesk.core.notices import (
    Disclosure,
    Notice,
    NoticeFilter,
    NoticeStatus,
    NoticeSummary,
    PeriodUnit,
    Posting,
    PostingPeriod,
)
from govdesk.store import search

NOTICE_COLUMNS = (
    "index_number", "title", "body", "doc_number", "category_id", "disclosure", "withhold_ground",
    "unit_id", "community_id", "formed_on", "publish_due", "period_start", "period_end",
    "period_unit", "note", "status", "published_on", "year", "import_key", "created_by",
    "created_at", "updated_at", "content_hash", "version",
)


def _content_hash(row: dict, channel_ids: Iterable[int]) -> str:
    # Computed here, on every write of a notice, so no code path can change the published
    # fields without changing the hash a slip approves (and the gate triggers check).
    return approvals.content_hash(approvals.notice_content(row, channel_ids))


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


# ---- 索引号 counter --------------------------------------------------------------------------------


def next_index_seq(db: Database, year: int) -> int:
    db.execute(
        "INSERT INTO index_counter (year, last_seq) VALUES (?, 1)"
        " ON CONFLICT(year) DO UPDATE SET last_seq = last_seq + 1",
        [year],
    )
    return db.execute("SELECT last_seq FROM index_counter WHERE year = ?", [year]).fetchone()[0]


def peek_index_seq(db: Database, key: int) -> int:
    """The sequence number the next notice of ``key`` (a year, or 0) would get; takes nothing."""
    r = db.execute("SELECT last_seq FROM index_counter WHERE year = ?", [key]).fetchone()
    return (r[0] if r else 0) + 1


def index_number_exists(db: Database, index_number: str) -> bool:
    return db.execute(
        "SELECT 1 FROM notice WHERE index_number = ?", [index_number]
    ).fetchone() is not None


# ---- writes --------------------------------------------------------------------------------------


def _search_text(values: dict) -> str:
    return search.grams(
        values.get("title", ""), values.get("body", ""), values.get("doc_number", ""),
        values.get("index_number", ""),
    )


def insert_notice(db: Database, values: dict, channel_ids: Iterable[int]) -> int:
    channel_ids = list(channel_ids)
    values = {**values, "content_hash": _content_hash(values, channel_ids), "version": 1}
    cols = [c for c in NOTICE_COLUMNS if c in values]
    cur = db.execute(
        f"INSERT INTO notice ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [values[c] for c in cols],
    )
    notice_id = int(cur.lastrowid)
    _set_channels(db, notice_id, channel_ids)
    db.execute(
        "INSERT INTO notice_search (rowid, grams) VALUES (?, ?)", [notice_id, _search_text(values)]
    )
    return notice_id


def insert_many(db: Database, rows: list[tuple[dict, Iterable[int]]]) -> list[int]:
    """Bulk insert for imports and generated data; the caller holds the transaction."""
    return [insert_notice(db, values, channels) for values, channels in rows]


def _raw(db: Database, notice_id: int) -> dict | None:
    r = db.execute(
        f"SELECT {', '.join(NOTICE_COLUMNS)} FROM notice WHERE id = ?", [notice_id]
    ).fetchone()
    return dict(zip(NOTICE_COLUMNS, r, strict=True)) if r else None


def raw_notice(db: Database, notice_id: int) -> dict | None:
    """The stored row as a dict, for audit before/after images."""
    row = _raw(db, notice_id)
    if row is not None:
        row["channel_ids"] = channel_ids_of(db, notice_id)
    return row


def update_notice(db: Database, notice_id: int, values: dict, channel_ids: Iterable[int]) -> None:
    old = _raw(db, notice_id)
    assert old is not None
    channel_ids = list(channel_ids)
    digest = _content_hash({**old, **values}, channel_ids)
    values = {**values, "content_hash": digest,
              "version": old["version"] + (digest != old["content_hash"])}
    cols = [c for c in NOTICE_COLUMNS if c in values]
    db.execute(
        f"UPDATE notice SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
        [values[c] for c in cols] + [notice_id],
    )
    _set_channels(db, notice_id, channel_ids)
    new = {**old, **values}
    # A contentless FTS5 row is deleted by repeating exactly the values it was inserted with.
    db.execute(
        "INSERT INTO notice_search (notice_search, rowid, grams) VALUES ('delete', ?, ?)",
        [notice_id, _search_text(old)],
    )
    db.execute(
        "INSERT INTO notice_search (rowid, grams) VALUES (?, ?)", [notice_id, _search_text(new)]
    )


def set_status(
    db: Database, notice_id: int, status: NoticeStatus, *, published_on: date | None,
    updated_at: str, expired_on: date | None = None,
) -> None:
    """Set the status; ``expired_on`` is the day a notice 失效 (年报 表二 counts a 规范性文件's
    废止 by it) and is cleared for any other status."""
    db.execute(
        "UPDATE notice SET status = ?, published_on = ?, updated_at = ?, expired_on = ?"
        " WHERE id = ?",
        [status.value, published_on.isoformat() if published_on else None, updated_at,
         expired_on.isoformat() if expired_on and status is NoticeStatus.EXPIRED else None,
         notice_id],
    )


def delete_notice(db: Database, notice_id: int) -> None:
    old = _raw(db, notice_id)
    if old is None:
        return
    db.execute(
        "INSERT INTO notice_search (notice_search, rowid, grams) VALUES ('delete', ?, ?)",
        [notice_id, _search_text(old)],
    )
    db.execute("DELETE FROM notice_channel WHERE notice_id = ?", [notice_id])
    db.execute("DELETE FROM notice WHERE id = ?", [notice_id])


def _set_channels(db: Database, notice_id: int, channel_ids: Iterable[int]) -> None:
    db.execute("DELETE FROM notice_channel WHERE notice_id = ?", [notice_id])
    for cid in dict.fromkeys(channel_ids):
        db.execute(
            "INSERT INTO notice_channel (notice_id, channel_id) VALUES (?, ?)", [notice_id, cid]
        )


def channel_ids_of(db: Database, notice_id: int) -> list[int]:
    return [
        r[0]
        for r in db.execute(
            "SELECT channel_id FROM notice_channel WHERE notice_id = ? ORDER BY channel_id",
            [notice_id],
        )
    ]


def find_by_import_key(db: Database, key: str) -> int | None:
    r = db.execute("SELECT id FROM notice WHERE import_key = ?", [key]).fetchone()
    return r[0] if r else None


# ---- reads ---------------------------------------------------------------------------------------


def get_notice(db: Database, notice_id: int) -> Notice | None:
    r = db.execute(
        "SELECT n.id, n.index_number, n.title, n.body, n.doc_number, n.category_id,"
        " coalesce(c.name, ''), n.disclosure, n.withhold_ground, n.unit_id, n.community_id,"
        " coalesce(u.name, cm.name, ''), n.formed_on, n.publish_due, n.period_start,"
        " n.period_end, n.period_unit, n.note, n.status, n.published_on, n.created_by,"
        " n.created_at, n.updated_at"
        " FROM notice n LEFT JOIN category c ON c.id = n.category_id"
        " LEFT JOIN unit u ON u.id = n.unit_id LEFT JOIN community cm ON cm.id = n.community_id"
        " WHERE n.id = ?",
        [notice_id],
    ).fetchone()
    if r is None:
        return None
    channels = db.execute(
        "SELECT ch.id, ch.name FROM notice_channel nc JOIN channel ch ON ch.id = nc.channel_id"
        " WHERE nc.notice_id = ? ORDER BY ch.sort, ch.id",
        [notice_id],
    ).fetchall()
    period = (
        PostingPeriod(date.fromisoformat(r[14]), date.fromisoformat(r[15]), PeriodUnit(r[16] or "天"))
        if r[14] and r[15]
        else None
    )
    return Notice(
        id=r[0], index_number=r[1], title=r[2], body=r[3], doc_number=r[4], category_id=r[5],
        category=r[6], disclosure=Disclosure(r[7]), withhold_ground=r[8], unit_id=r[9],
        community_id=r[10], owner=r[11], formed_on=date.fromisoformat(r[12]),
        publish_due=date.fromisoformat(r[13]), channel_ids=tuple(c[0] for c in channels),
        channels=tuple(c[1] for c in channels), period=period, note=r[17],
        status=NoticeStatus(r[18]), published_on=_d(r[19]), created_by=r[20], created_at=r[21],
        updated_at=r[22],
    )


_SORT_SQL = {
    "index_number": "n.index_number",
    "title": "n.title",
    "doc_number": "n.doc_number",
    # Secondary keys make "ORDER BY …, n.id" exactly an index's order (docs/benchmarks.md, R3).
    "category": "n.category_id, n.formed_on",
    "disclosure": "n.disclosure",
    "owner": "n.unit_id, n.community_id",
    "formed_on": "n.formed_on",
    "publish_due": "n.publish_due",
    "channels": "n.id",
    "status": "n.status, n.publish_due",
    "published_on": "n.published_on",
}


def _where(f: NoticeFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if f.year is not None:
        clauses.append("n.year = ?")
        params.append(f.year)
    if f.category_id is not None:
        clauses.append("n.category_id = ?")
        params.append(f.category_id)
    if f.disclosure is not None:
        clauses.append("n.disclosure = ?")
        params.append(f.disclosure.value)
    if f.status is not None:
        clauses.append("n.status = ?")
        params.append(f.status.value)
    if f.unit_id is not None:
        clauses.append("n.unit_id = ?")
        params.append(f.unit_id)
    if f.community_id is not None:
        clauses.append("n.community_id = ?")
        params.append(f.community_id)
    # Membership tests are written "+n.id IN (…)": the unary + keeps SQLite from seeking every
    # listed notice row (each carries its ~1.5 KB body); instead it walks the sort index and
    # probes the list (docs/benchmarks.md, R2).
    if f.channel_id is not None:
        clauses.append("+n.id IN (SELECT notice_id FROM notice_channel WHERE channel_id = ?)")
        params.append(f.channel_id)
    if f.board_id is not None:
        clauses.append("+n.id IN (SELECT notice_id FROM posting WHERE board_id = ?)")
        params.append(f.board_id)
    if f.overdue_on is not None:
        clauses.append(
            "n.status IN ('草稿', '待审批', '已批准') AND n.disclosure = '主动公开'"
            " AND n.publish_due < ?"
        )
        params.append(f.overdue_on.isoformat())
    expr = search.match_expression(f.search)
    if expr is not None:
        clauses.append(
            "+n.id IN (SELECT rowid FROM notice_search WHERE notice_search MATCH ?)"
        )
        params.append(expr)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


_SUMMARY_SELECT = (
    "SELECT n.id, n.index_number, n.title, n.doc_number, coalesce(c.name, ''), n.disclosure,"
    " coalesce(u.name, cm.name, ''), n.formed_on, n.publish_due,"
    " (SELECT group_concat(ch.name, '、') FROM notice_channel nc JOIN channel ch"
    "  ON ch.id = nc.channel_id WHERE nc.notice_id = n.id),"
    " n.status, n.published_on"
    " FROM notice n LEFT JOIN category c ON c.id = n.category_id"
    " LEFT JOIN unit u ON u.id = n.unit_id LEFT JOIN community cm ON cm.id = n.community_id"
)


def _summary(r: tuple) -> NoticeSummary:
    return NoticeSummary(
        id=r[0], index_number=r[1], title=r[2], doc_number=r[3], category=r[4],
        disclosure=Disclosure(r[5]), owner=r[6], formed_on=date.fromisoformat(r[7]),
        publish_due=date.fromisoformat(r[8]), channels=r[9] or "", status=NoticeStatus(r[10]),
        published_on=_d(r[11]),
    )


def query(
    db: Database, f: NoticeFilter, *, sort: str = "formed_on", descending: bool = True,
    offset: int = 0, limit: int = 200,
) -> list[NoticeSummary]:
    where, params = _where(f)
    direction = "DESC" if descending else "ASC"
    order = ", ".join(f"{part} {direction}" for part in _SORT_SQL[sort].split(", "))
    order += f", n.id {direction}"
    # Sort and skip ids only (index entries), then join and format just the page's rows
    # (docs/benchmarks.md, R1): the cost no longer grows with the depth of the page.
    page = f"SELECT n.id FROM notice n{where} ORDER BY {order} LIMIT ? OFFSET ?"
    sql = f"{_SUMMARY_SELECT} WHERE n.id IN ({page}) ORDER BY {order}"
    return [_summary(r) for r in db.execute(sql, [*params, limit, offset])]


def page_plan(db: Database, f: NoticeFilter, *, sort: str, descending: bool) -> list[str]:
    """EXPLAIN QUERY PLAN of the page query, for the plan regression tests."""
    where, params = _where(f)
    direction = "DESC" if descending else "ASC"
    order = ", ".join(f"{part} {direction}" for part in _SORT_SQL[sort].split(", "))
    order += f", n.id {direction}"
    sql = f"SELECT n.id FROM notice n{where} ORDER BY {order} LIMIT 100 OFFSET 0"
    return [r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def count(db: Database, f: NoticeFilter) -> int:
    if f.search.strip() and f == NoticeFilter(search=f.search):
        # Search alone: every row of the index is a notice, so count there (≤ 8 ms at 120k).
        expr = search.match_expression(f.search)
        return db.execute(
            "SELECT count(*) FROM notice_search WHERE notice_search MATCH ?", [expr]
        ).fetchone()[0]
    where, params = _where(f)
    return db.execute(f"SELECT count(*) FROM notice n{where}", params).fetchone()[0]


def ids(db: Database, f: NoticeFilter) -> list[int]:
    where, params = _where(f)
    return [r[0] for r in db.execute(f"SELECT n.id FROM notice n{where}", params)]


def years(db: Database) -> list[int]:
    return [r[0] for r in db.execute("SELECT DISTINCT year FROM notice ORDER BY year DESC")]


def count_by_status(db: Database, status: NoticeStatus, *, proactive_only: bool = False) -> int:
    extra = " AND disclosure = '主动公开'" if proactive_only else ""
    return db.execute(
        f"SELECT count(*) FROM notice WHERE status = ?{extra}", [status.value]
    ).fetchone()[0]


# Proactively disclosed items (主动公开) that have been made public: what the statistics and the
# annual report's "主动公开政府信息 N 条" count.
_DISCLOSED = "n.disclosure = '主动公开' AND n.status IN ('已公开', '已撤下', '已失效')"


def disclosed_counts(
    db: Database, start: date, end: date, by: str
) -> list[tuple[str, int]]:
    """Counts of items made public between start and end (inclusive), by "channel" or "category".

    A notice published through three channels counts once per channel, as the annual reports
    quote (门户网站 1880 条, 微信 6200 条 …).
    """
    disclosed = _DISCLOSED + " AND n.published_on BETWEEN ? AND ?"
    if by == "channel":
        sql = (
            "SELECT ch.name, count(*) FROM notice n JOIN notice_channel nc ON nc.notice_id = n.id"
            f" JOIN channel ch ON ch.id = nc.channel_id WHERE {disclosed}"
            " GROUP BY ch.id ORDER BY ch.sort, ch.id"
        )
    else:
        sql = (
            "SELECT coalesce(c.name, '未分类'), count(*) FROM notice n"
            f" LEFT JOIN category c ON c.id = n.category_id WHERE {disclosed}"
            " GROUP BY c.id ORDER BY c.sort, c.id"
        )
    return [(r[0], r[1]) for r in db.execute(sql, [start.isoformat(), end.isoformat()])]


def disclosed_cube(db: Database, start: date, end: date) -> list[tuple[str, str, int, int]]:
    """(category, channel, month, count) of items made public in [start, end]."""
    sql = (
        "SELECT coalesce(c.name, '未分类'), ch.name, CAST(substr(n.published_on, 6, 2) AS INTEGER),"
        " count(*) FROM notice n JOIN notice_channel nc ON nc.notice_id = n.id"
        " JOIN channel ch ON ch.id = nc.channel_id LEFT JOIN category c ON c.id = n.category_id"
        f" WHERE {_DISCLOSED} AND n.published_on BETWEEN ? AND ?"
        " GROUP BY 1, 2, 3"
    )
    return [tuple(r) for r in db.execute(sql, [start.isoformat(), end.isoformat()])]


def disclosed_total(db: Database, start: date, end: date) -> int:
    return db.execute(
        f"SELECT count(*) FROM notice n WHERE {_DISCLOSED} AND n.published_on BETWEEN ? AND ?",
        [start.isoformat(), end.isoformat()],
    ).fetchone()[0]


# ---- postings ------------------------------------------------------------------------------------

_POSTING_SELECT = (
    "SELECT p.id, p.notice_id, p.board_id, p.posted_on, p.planned_removal, p.removed_on,"
    " p.posted_by, p.removed_by, p.photo, n.title, n.index_number, b.name, coalesce(u.name, '')"
    " FROM posting p JOIN notice n ON n.id = p.notice_id JOIN board b ON b.id = p.board_id"
    " LEFT JOIN user u ON u.id = p.posted_by"
)


def _posting(r: tuple) -> Posting:
    return Posting(
        id=r[0], notice_id=r[1], board_id=r[2], posted_on=date.fromisoformat(r[3]),
        planned_removal=_d(r[4]), removed_on=_d(r[5]), posted_by=r[6], removed_by=r[7],
        photo=r[8], notice_title=r[9], notice_index=r[10], board_name=r[11], posted_by_name=r[12],
    )


def insert_posting(db: Database, values: dict) -> int:
    cols = ("notice_id", "board_id", "posted_on", "planned_removal", "posted_by", "photo",
            "created_at")
    cur = db.execute(
        f"INSERT INTO posting ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [values.get(c) for c in cols],
    )
    return int(cur.lastrowid)


def get_posting(db: Database, posting_id: int) -> Posting | None:
    r = db.execute(_POSTING_SELECT + " WHERE p.id = ?", [posting_id]).fetchone()
    return _posting(r) if r else None


def current_posting(db: Database, notice_id: int, board_id: int) -> Posting | None:
    r = db.execute(
        _POSTING_SELECT + " WHERE p.notice_id = ? AND p.board_id = ? AND p.removed_on IS NULL",
        [notice_id, board_id],
    ).fetchone()
    return _posting(r) if r else None


def remove_posting(db: Database, posting_id: int, removed_on: date, removed_by: int | None) -> None:
    db.execute(
        "UPDATE posting SET removed_on = ?, removed_by = ? WHERE id = ?",
        [removed_on.isoformat(), removed_by, posting_id],
    )


def set_posting_photo(db: Database, posting_id: int, photo: str) -> None:
    db.execute("UPDATE posting SET photo = ? WHERE id = ?", [photo, posting_id])


def postings_on_board(db: Database, board_id: int, *, current_only: bool = True) -> list[Posting]:
    where = " WHERE p.board_id = ?" + (" AND p.removed_on IS NULL" if current_only else "")
    return [
        _posting(r)
        for r in db.execute(
            _POSTING_SELECT + where + " ORDER BY p.removed_on IS NOT NULL, p.posted_on DESC, p.id DESC",
            [board_id],
        )
    ]


def postings_of_notice(db: Database, notice_id: int) -> list[Posting]:
    return [
        _posting(r)
        for r in db.execute(_POSTING_SELECT + " WHERE p.notice_id = ? ORDER BY p.id", [notice_id])
    ]


def postings_due(db: Database, start: date | None, end: date, limit: int = 200) -> list[Posting]:
    """Current postings whose planned take-down is in [start, end] (start None: any time),
    earliest first; at most ``limit`` — a list to work through; count_postings_due counts."""
    return [
        _posting(r)
        for r in db.execute(
            _POSTING_SELECT + " WHERE p.removed_on IS NULL AND p.planned_removal IS NOT NULL"
            " AND p.planned_removal >= ? AND p.planned_removal <= ?"
            " ORDER BY p.planned_removal, b.code LIMIT ?",
            [start.isoformat() if start else "", end.isoformat(), limit],
        )
    ]


def count_postings_due(db: Database, start: date | None, end: date) -> int:
    """Current postings whose planned take-down is in [start, end] (start None: any time)."""
    return db.execute(
        "SELECT count(*) FROM posting WHERE removed_on IS NULL AND planned_removal IS NOT NULL"
        " AND planned_removal >= ? AND planned_removal <= ?",
        [start.isoformat() if start else "", end.isoformat()],
    ).fetchone()[0]


def board_counts(db: Database, today: date) -> dict[int, tuple[int, int]]:
    """board id → (notices on it now, of which overdue to come down)."""
    return {
        r[0]: (r[1], r[2])
        for r in db.execute(
            "SELECT board_id, count(*), sum(planned_removal IS NOT NULL AND planned_removal < ?)"
            " FROM posting WHERE removed_on IS NULL GROUP BY board_id",
            [today.isoformat()],
        )
    }


def overdue_unpublished(db: Database, today: date, limit: int = 200) -> list[NoticeSummary]:
    return query(db, NoticeFilter(overdue_on=today), sort="publish_due", descending=False,
                 limit=limit)


def rebuild_search_index(db: Database, batch: int = 2000) -> int:
    """Rewrite the whole search index from the notices (after the token scheme changes)."""
    db.execute("INSERT INTO notice_search (notice_search) VALUES ('delete-all')")
    n = 0
    last = 0
    while True:
        rows = db.execute(
            "SELECT id, title, body, doc_number, index_number FROM notice WHERE id > ?"
            " ORDER BY id LIMIT ?", [last, batch],
        ).fetchall()
        if not rows:
            return n
        for nid, title, body, doc_number, index_number in rows:
            db.execute(
                "INSERT INTO notice_search (rowid, grams) VALUES (?, ?)",
                [nid, search.grams(title, body, doc_number, index_number)],
            )
        n += len(rows)
        last = rows[-1][0]
