"""The audit log: appending hash-chained entries and reading them back."""

from __future__ import annotations

from collections.abc import Iterator

from sqlite_utils import Database

from govdesk import __version__
from govdesk.core.audit import GENESIS_HASH, AuditEntry, canonical_json, entry_hash, sha256_text


def append(
    db: Database,
    *,
    ts_utc: str,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: object,
    payload: object,
) -> AuditEntry:
    """Append one entry. Call inside the transaction of the change it records (target A4)."""
    last = db.execute(
        "SELECT seq, entry_hash, ts_utc FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    seq = (last[0] + 1) if last else 1
    prev = last[1] if last else GENESIS_HASH
    # A10: a wall clock earlier than the previous entry is recorded, flagged, never refused.
    clock_flag = "时间倒退" if last and ts_utc < last[2] else ""
    payload_text = canonical_json(payload)
    digest = sha256_text(payload_text)
    oid = str(object_id)
    h = entry_hash(
        prev_hash=prev,
        seq=seq,
        ts_utc=ts_utc,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=oid,
        payload_sha256=digest,
        app_version=__version__,
    )
    db.execute(
        "INSERT INTO audit_log (seq, ts_utc, actor_id, action, object_type, object_id, payload,"
        " payload_sha256, app_version, prev_hash, entry_hash, clock_flag)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [seq, ts_utc, actor_id, action, object_type, oid, payload_text, digest, __version__, prev, h,
         clock_flag],
    )
    return AuditEntry(seq, ts_utc, actor_id, action, object_type, oid, payload_text, digest,
                      __version__, prev, h, clock_flag)


def _entry(row: tuple) -> AuditEntry:
    return AuditEntry(*row)


_COLUMNS = (
    "seq, ts_utc, actor_id, action, object_type, object_id, payload, payload_sha256, app_version,"
    " prev_hash, entry_hash, clock_flag"
)


def iter_entries(db: Database) -> Iterator[AuditEntry]:
    for row in db.execute(f"SELECT {_COLUMNS} FROM audit_log ORDER BY seq"):
        yield _entry(row)


def entries_for(db: Database, object_type: str, object_id: object) -> list[AuditEntry]:
    return [
        _entry(r)
        for r in db.execute(
            f"SELECT {_COLUMNS} FROM audit_log WHERE object_type = ? AND object_id = ? ORDER BY seq",
            [object_type, str(object_id)],
        )
    ]


def count(db: Database, action: str | None = None) -> int:
    if action is None:
        return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    return db.execute("SELECT count(*) FROM audit_log WHERE action = ?", [action]).fetchone()[0]


# ---- reading for the 操作日志 page and the verifier -------------------------------------------------


def get_entry(db: Database, seq: int) -> AuditEntry | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM audit_log WHERE seq = ?", [seq]).fetchone()
    return _entry(row) if row else None


def last_entry(db: Database) -> AuditEntry | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return _entry(row) if row else None


def previous_seq(db: Database, seq: int) -> int | None:
    """The highest seq below ``seq`` that exists (to name a gap left by a deleted row)."""
    return db.execute("SELECT max(seq) FROM audit_log WHERE seq < ?", [seq]).fetchone()[0]


def find_by_code(db: Database, code: str) -> AuditEntry | None:
    """The first entry whose entry_hash starts with ``code`` (lower-case hex). No index covers
    entry_hash, so this scans the table once (about 0.2 s at a million rows)."""
    row = db.execute(
        f"SELECT {_COLUMNS} FROM audit_log WHERE substr(entry_hash, 1, ?) = ? ORDER BY seq LIMIT 1",
        [len(code), code.lower()],
    ).fetchone()
    return _entry(row) if row else None


def _where(
    *,
    actor_id: int | None,
    start_utc: str | None,
    end_utc: str | None,
    object_type: str | None,
    object_id: str | None,
    action: str | None,
) -> tuple[str, list[object]]:
    # Indexes on audit_log: the primary key (seq) and audit_object(object_type, object_id).
    # Actor and time filters scan in seq order and stop at the LIMIT.
    given = [
        ("a.actor_id = ?", actor_id), ("a.ts_utc >= ?", start_utc), ("a.ts_utc < ?", end_utc),
        ("a.object_type = ?", object_type), ("a.object_id = ?", object_id),
        ("a.action = ?", action),
    ]
    clauses = [clause for clause, value in given if value is not None]
    params: list[object] = [value for _, value in given if value is not None]
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def query(
    db: Database,
    *,
    actor_id: int | None = None,
    start_utc: str | None = None,
    end_utc: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    action: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[tuple[AuditEntry, str | None]]:
    """Entries matching every given filter, newest first, each with its actor's name (None when
    there was no signed-in user or the account is gone). Times are UTC ISO strings; the end is
    exclusive."""
    where, params = _where(actor_id=actor_id, start_utc=start_utc, end_utc=end_utc,
                           object_type=object_type, object_id=object_id, action=action)
    cols = ", ".join("a." + c.strip() for c in _COLUMNS.split(","))
    sql = (f"SELECT {cols}, u.name FROM audit_log a LEFT JOIN user u ON u.id = a.actor_id"
           f"{where} ORDER BY a.seq DESC LIMIT ? OFFSET ?")
    return [(_entry(r[:-1]), r[-1])
            for r in db.execute(sql, [*params, max(0, int(limit)), max(0, int(offset))])]


def count_matching(
    db: Database,
    *,
    actor_id: int | None = None,
    start_utc: str | None = None,
    end_utc: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    action: str | None = None,
) -> int:
    where, params = _where(actor_id=actor_id, start_utc=start_utc, end_utc=end_utc,
                           object_type=object_type, object_id=object_id, action=action)
    return db.execute(f"SELECT count(*) FROM audit_log a{where}", params).fetchone()[0]
