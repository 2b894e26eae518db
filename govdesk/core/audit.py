"""Audit entries (操作日志) and their hash chain (target A2).

entry_hash = SHA-256(prev_hash ‖ canonical JSON(seq, ts_utc, actor_id, action, object_type,
object_id, payload_sha256, app_version)); canonical JSON = sorted keys, UTF-8, no spaces; the
genesis prev_hash is 64 zeros. Every change in the app writes one entry in its own transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS_HASH = "0" * 64


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    ts_utc: str
    actor_id: int | None
    action: str
    object_type: str
    object_id: str
    payload: str  # canonical JSON: {"before": …, "after": …} or other details
    payload_sha256: str
    app_version: str
    prev_hash: str
    entry_hash: str
    clock_flag: str = ""  # "时间倒退" when the wall clock went backwards (target A10)


def entry_hash(
    *,
    prev_hash: str,
    seq: int,
    ts_utc: str,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    payload_sha256: str,
    app_version: str,
) -> str:
    body = canonical_json(
        {
            "seq": seq,
            "ts_utc": ts_utc,
            "actor_id": actor_id,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "payload_sha256": payload_sha256,
            "app_version": app_version,
        }
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def verify_chain(entries: Iterable[AuditEntry]) -> int | None:
    """Return the seq of the first entry that breaks the chain, or None when all verify."""
    prev = GENESIS_HASH
    expected_seq: int | None = None
    for e in entries:
        if expected_seq is not None and e.seq != expected_seq:
            return e.seq
        if e.prev_hash != prev or sha256_text(e.payload) != e.payload_sha256:
            return e.seq
        computed = entry_hash(
            prev_hash=e.prev_hash,
            seq=e.seq,
            ts_utc=e.ts_utc,
            actor_id=e.actor_id,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            payload_sha256=e.payload_sha256,
            app_version=e.app_version,
        )
        if computed != e.entry_hash:
            return e.seq
        prev = e.entry_hash
        expected_seq = e.seq + 1
    return None


# The 审计校验码 printed in footers (target A3): the first 12 hex digits of an entry_hash, shown
# in upper case so that 0/O and 1/l are not confused on paper.
CODE_LENGTH = 12
_HEX = frozenset("0123456789abcdef")


def audit_code_of(entry_hash_hex: str) -> str:
    return entry_hash_hex[:CODE_LENGTH].upper()


def normalise_code(text: str) -> str | None:
    """A code as typed from paper ("3F2A 9C1B-07DE") → 12 lower-case hex digits, or None."""
    cleaned = "".join(ch for ch in text.strip().lower() if ch not in " -_　")
    if len(cleaned) != CODE_LENGTH or not set(cleaned) <= _HEX:
        return None
    return cleaned
