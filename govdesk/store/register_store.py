"""The four registers of issue 8 §4 (tables ``policy_interpretation``, ``hotline_case``,
``proposal``, ``meeting``, migration 0012): the only SQL for them. Rows become core.registers
records here; dicts never leave this module."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from govdesk.core.registers import (
    HotlineCase,
    Interpretation,
    Meeting,
    Proposal,
    RegisterKind,
    RegisterRecord,
)

__all__ = [
    "ListFilter",
    "delete",
    "existing_import_keys",
    "get",
    "insert",
    "list_records",
    "notice_by_index",
    "notice_labels",
    "notice_title",
    "proposal_number_taken",
    "update",
]


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[str, ...]  # besides id, import_key and the bookkeeping columns
    day: str  # the column periods are counted by
    category: str  # the column the list filters by kind/channel/form
    text: tuple[str, ...]  # columns the text filter searches
    to_row: Callable[[RegisterRecord], list[object]]
    from_row: Callable[[tuple], RegisterRecord]


def _interp_row(r: Interpretation) -> list[object]:  # type: ignore[misc]
    return [r.published_on.isoformat(), r.title, r.form.value, r.notice_id, r.policy_title,
            r.unit_id, r.community_id, r.note]


def _hotline_row(r: HotlineCase) -> list[object]:  # type: ignore[misc]
    assert r.due_on is not None, "operations fill the default 办理时限"
    return [r.received_on.isoformat(), r.channel, r.case_number, r.subject, r.unit_id,
            r.community_id, r.due_on.isoformat(), _iso(r.closed_on), int(r.fed_back),
            r.satisfaction.value, r.note]


def _proposal_row(r: Proposal) -> list[object]:  # type: ignore[misc]
    return [r.kind_of.value, r.number, r.title, r.lead, r.received_on.isoformat(), r.unit_id,
            r.community_id, _iso(r.replied_on),
            r.satisfaction.value if r.satisfaction else None, r.note]


def _meeting_row(r: Meeting) -> list[object]:  # type: ignore[misc]
    return [r.kind_of.value, r.held_on.isoformat(), r.topic, r.participants, r.unit_id,
            r.community_id, r.note]


TABLES: dict[RegisterKind, _Table] = {
    RegisterKind.INTERPRETATION: _Table(
        "policy_interpretation",
        ("published_on", "title", "form", "notice_id", "policy_title", "unit_id",
         "community_id", "note"),
        "published_on", "form", ("title", "policy_title", "note"), _interp_row,  # type: ignore[arg-type]
        lambda r: Interpretation(id=r[0], published_on=date.fromisoformat(r[1]), title=r[2],
                                 form=r[3], notice_id=r[4], policy_title=r[5], unit_id=r[6],
                                 community_id=r[7], note=r[8])),
    RegisterKind.HOTLINE: _Table(
        "hotline_case",
        ("received_on", "channel", "case_number", "subject", "unit_id", "community_id",
         "due_on", "closed_on", "fed_back", "satisfaction", "note"),
        "received_on", "channel", ("subject", "case_number", "note"), _hotline_row,  # type: ignore[arg-type]
        lambda r: HotlineCase(id=r[0], received_on=date.fromisoformat(r[1]), channel=r[2],
                              case_number=r[3], subject=r[4], unit_id=r[5], community_id=r[6],
                              due_on=date.fromisoformat(r[7]), closed_on=_d(r[8]),
                              fed_back=bool(r[9]), satisfaction=r[10], note=r[11])),
    RegisterKind.PROPOSAL: _Table(
        "proposal",
        ("kind", "number", "title", "lead", "received_on", "unit_id", "community_id",
         "replied_on", "satisfaction", "note"),
        "received_on", "kind", ("title", "number", "lead", "note"), _proposal_row,  # type: ignore[arg-type]
        lambda r: Proposal(id=r[0], kind_of=r[1], number=r[2], title=r[3], lead=r[4],
                           received_on=date.fromisoformat(r[5]), unit_id=r[6],
                           community_id=r[7], replied_on=_d(r[8]), satisfaction=r[9],
                           note=r[10])),
    RegisterKind.MEETING: _Table(
        "meeting",
        ("kind", "held_on", "topic", "participants", "unit_id", "community_id", "note"),
        "held_on", "kind", ("topic", "note"), _meeting_row,  # type: ignore[arg-type]
        lambda r: Meeting(id=r[0], kind_of=r[1], held_on=date.fromisoformat(r[2]), topic=r[3],
                          participants=r[4], unit_id=r[5], community_id=r[6], note=r[7])),
}


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What the list of a register is filtered by; every part optional."""

    start: date | None = None
    end: date | None = None
    unit_id: int | None = None
    community_id: int | None = None
    category: str | None = None  # 解读形式 / 渠道 / 类型
    state: str | None = None  # 舆情热线: 办理中 / 已超期 / 已办结; 建议提案: 未答复 / 已答复
    text: str = ""
    today: date | None = None  # for 已超期


def _select(t: _Table) -> str:
    return f"SELECT id, {', '.join(t.columns)} FROM {t.name}"


def get(db: Database, kind: RegisterKind, record_id: int) -> RegisterRecord | None:
    t = TABLES[kind]
    r = db.execute(f"{_select(t)} WHERE id = ?", [record_id]).fetchone()
    return t.from_row(r) if r else None


def list_records(db: Database, kind: RegisterKind, f: ListFilter = ListFilter(), *,
                 limit: int | None = None) -> list[RegisterRecord]:
    """The entries matching ``f``, oldest first (by the register's date, then id)."""
    t = TABLES[kind]
    where: list[str] = []
    args: list[object] = []
    if f.start is not None:
        where.append(f"{t.day} >= ?")
        args.append(f.start.isoformat())
    if f.end is not None:
        where.append(f"{t.day} <= ?")
        args.append(f.end.isoformat())
    if f.unit_id is not None:
        where.append("unit_id = ?")
        args.append(f.unit_id)
    if f.community_id is not None:
        where.append("community_id = ?")
        args.append(f.community_id)
    if f.category:
        where.append(f"{t.category} = ?")
        args.append(f.category)
    if f.state and kind is RegisterKind.HOTLINE:
        today = (f.today or date.today()).isoformat()
        where.append({"已办结": "closed_on IS NOT NULL",
                      "已超期": "closed_on IS NULL AND due_on < ?",
                      "办理中": "closed_on IS NULL AND due_on >= ?"}[f.state])
        if f.state != "已办结":
            args.append(today)
    elif f.state and kind is RegisterKind.PROPOSAL:
        where.append({"已答复": "replied_on IS NOT NULL",
                      "未答复": "replied_on IS NULL"}[f.state])
    if f.text.strip():
        like = "%" + f.text.strip().replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        where.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in t.text) + ")")
        args.extend([like] * len(t.text))
    sql = _select(t) + (" WHERE " + " AND ".join(where) if where else "")
    sql += f" ORDER BY {t.day}, id"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    return [t.from_row(r) for r in db.execute(sql, args)]


def insert(db: Database, record: RegisterRecord, *, created_by: int | None, now: str,
           import_key: str | None = None) -> int:
    t = TABLES[record.kind]
    cols = (*t.columns, "import_key", "created_by", "created_at", "updated_at")
    cur = db.execute(
        f"INSERT INTO {t.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [*t.to_row(record), import_key, created_by, now, now])
    return int(cur.lastrowid)


def update(db: Database, record: RegisterRecord, *, now: str) -> None:
    t = TABLES[record.kind]
    sets = ", ".join(f"{c} = ?" for c in (*t.columns, "updated_at"))
    db.execute(f"UPDATE {t.name} SET {sets} WHERE id = ?", [*t.to_row(record), now, record.id])


def delete(db: Database, kind: RegisterKind, record_id: int) -> None:
    db.execute(f"DELETE FROM {TABLES[kind].name} WHERE id = ?", [record_id])


def existing_import_keys(db: Database, kind: RegisterKind, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` an earlier import already wrote."""
    t = TABLES[kind]
    found: set[str] = set()
    chunk: list[str] = []
    for key in [*keys, None]:
        if key is not None:
            chunk.append(key)
        if chunk and (key is None or len(chunk) == 500):
            found.update(r[0] for r in db.execute(
                f"SELECT import_key FROM {t.name} WHERE import_key IN"
                f" ({', '.join('?' * len(chunk))})", chunk))
            chunk = []
    return found


def proposal_number_taken(db: Database, kind: str, year: int, number: str,
                          exclude_id: int | None) -> bool:
    return db.execute(
        "SELECT 1 FROM proposal WHERE kind = ? AND substr(received_on, 1, 4) = ? AND number = ?"
        " AND id IS NOT ?", [kind, f"{year:04d}", number, exclude_id]).fetchone() is not None


def notice_title(db: Database, notice_id: int) -> str | None:
    """The title of a notice of the register, or None when there is no such notice."""
    r = db.execute("SELECT title FROM notice WHERE id = ?", [notice_id]).fetchone()
    return r[0] if r else None


def notice_labels(db: Database, notice_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(索引号, 标题) of the given notices that exist."""
    ids = sorted(set(notice_ids))
    out: dict[int, tuple[str, str]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out.update((r[0], (r[1], r[2])) for r in db.execute(
            "SELECT id, index_number, title FROM notice"
            f" WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
    return out


def notice_by_index(db: Database, index_number: str) -> int | None:
    """The notice with this 索引号 (or, typed as a number, this id), if any."""
    r = db.execute("SELECT id FROM notice WHERE index_number = ?", [index_number]).fetchone()
    if r is None and index_number.isdigit():
        r = db.execute("SELECT id FROM notice WHERE id = ?", [int(index_number)]).fetchone()
    return r[0] if r else None
