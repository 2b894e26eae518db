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
