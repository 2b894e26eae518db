"""Approval slips and their append-only events (审批单, 审批记录) and screening passes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from govdesk import __version__
from govdesk.core.approvals import Decision, EventKind, SlipEvent, Stage
from govdesk.core.audit import canonical_json


@dataclass(frozen=True)
class SlipRow:
    id: int
    number: str
    notice_id: int | None  # the slip approves a notice …
    notice_version: int  # (the subject's version: a notice's or a letter's)
    content_hash: str
    content: dict
    chain: tuple[Stage, ...]
    drafter_id: int | None
    created_at: str
    letter_id: int | None = None  # … or a 依申请公开 letter (request_letter), never both


@dataclass(frozen=True)
class EventRow:
    """A stored event, with what the record shows besides what the fold needs."""

    id: int
    event: SlipEvent
    stage: str
    actor_name: str
    actor_role: str
    scan: str
    at_utc: str
    completes: bool


@dataclass(frozen=True)
class PassRow:
    fingerprint: str
    kind: str
    field: str
    reason: str
    reviewer_id: int
    reviewer_name: str
    content_hash: str
    at_utc: str


_SLIP_COLS = ("id, number, notice_id, notice_version, content_hash, content, chain, drafter_id,"
              " created_at, letter_id")


def _slip(r: tuple) -> SlipRow:
    return SlipRow(
        id=r[0], number=r[1], notice_id=r[2], notice_version=r[3], content_hash=r[4],
        content=json.loads(r[5]), chain=tuple(Stage[n] for n in json.loads(r[6])),
        drafter_id=r[7], created_at=r[8], letter_id=r[9],
    )


def next_number(db: Database, year: int) -> str:
    """审批单编号 SP2026-0001, counting per year of creation."""
    prefix = f"SP{year}-"
    last = db.execute(
        "SELECT number FROM approval_slip WHERE number LIKE ? ORDER BY number DESC LIMIT 1",
        [prefix + "%"],
    ).fetchone()
    seq = int(last[0][len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def insert_slip(db: Database, *, number: str, notice_id: int | None = None,
                letter_id: int | None = None, notice_version: int, content_hash: str,
                content: dict, chain: Sequence[Stage], drafter_id: int | None,
                created_at: str) -> int:
    """A new slip for one version of a notice or (``letter_id``) of a letter."""
    if (notice_id is None) == (letter_id is None):
        raise ValueError("a slip approves exactly one notice or one letter")
    cur = db.execute(
        "INSERT INTO approval_slip (number, notice_id, letter_id, notice_version, content_hash,"
        " content, chain, drafter_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [number, notice_id, letter_id, notice_version, content_hash, canonical_json(content),
         json.dumps([s.name for s in chain]), drafter_id, created_at],
    )
    return int(cur.lastrowid)


def append_event(db: Database, slip_id: int, ev: SlipEvent, *, stage: str, actor_name: str,
                 actor_role: str, at_utc: str, completes: bool, scan: str = "") -> int:
    cur = db.execute(
        "INSERT INTO approval (slip_id, kind, step, stage, decision, return_to, opinion, actor_id,"
        " actor_name, actor_role, paper, entered_by, signed_on, scan, content_hash, completes,"
        " at_utc, app_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [slip_id, ev.kind.value, ev.step, stage, ev.decision.value if ev.decision else None,
         ev.return_to, ev.opinion, ev.actor_id, actor_name, actor_role, int(ev.paper),
         ev.entered_by, ev.signed_on.isoformat() if ev.signed_on else None, scan,
         ev.content_hash, int(completes), at_utc, __version__],
    )
    return int(cur.lastrowid)


def get_slip(db: Database, slip_id: int) -> SlipRow | None:
    r = db.execute(f"SELECT {_SLIP_COLS} FROM approval_slip WHERE id = ?", [slip_id]).fetchone()
    return _slip(r) if r else None


def slip_by_number(db: Database, number: str) -> SlipRow | None:
    r = db.execute(f"SELECT {_SLIP_COLS} FROM approval_slip WHERE number = ?",
                   [number]).fetchone()
    return _slip(r) if r else None


def slips_of_notice(db: Database, notice_id: int) -> list[SlipRow]:
    return [_slip(r) for r in db.execute(
        f"SELECT {_SLIP_COLS} FROM approval_slip WHERE notice_id = ? ORDER BY id", [notice_id])]


def latest_slip(db: Database, notice_id: int) -> SlipRow | None:
    r = db.execute(
        f"SELECT {_SLIP_COLS} FROM approval_slip WHERE notice_id = ? ORDER BY id DESC LIMIT 1",
        [notice_id],
    ).fetchone()
    return _slip(r) if r else None


def latest_slips(db: Database, notice_ids: Iterable[int]) -> dict[int, SlipRow]:
    ids = list(notice_ids)
    out: dict[int, SlipRow] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in db.execute(
            f"SELECT {_SLIP_COLS} FROM approval_slip WHERE id IN (SELECT max(id) FROM"
            f" approval_slip WHERE notice_id IN ({', '.join('?' for _ in chunk)})"
            " GROUP BY notice_id)",
            chunk,
        ):
            slip = _slip(r)
            out[slip.notice_id] = slip
    return out


def slips_of_letter(db: Database, letter_id: int) -> list[SlipRow]:
    return [_slip(r) for r in db.execute(
        f"SELECT {_SLIP_COLS} FROM approval_slip WHERE letter_id = ? ORDER BY id", [letter_id])]


def latest_letter_slip(db: Database, letter_id: int) -> SlipRow | None:
    r = db.execute(
        f"SELECT {_SLIP_COLS} FROM approval_slip WHERE letter_id = ? ORDER BY id DESC LIMIT 1",
        [letter_id],
    ).fetchone()
    return _slip(r) if r else None


def latest_letter_slip_ids(db: Database) -> list[int]:
    """The latest slip of every letter that has one (letters keep no status of their own: the
    caller folds the slip's events to see whether it waits for someone)."""
    return [r[0] for r in db.execute(
        "SELECT max(id) FROM approval_slip WHERE letter_id IS NOT NULL GROUP BY letter_id"
        " ORDER BY max(id)")]


def letter_has_completed_approval(db: Database, letter_id: int, content_hash: str) -> bool:
    """The question the letter's send gate trigger asks (migration 0010)."""
    return db.execute(
        "SELECT 1 FROM approval a JOIN approval_slip s ON s.id = a.slip_id"
        " WHERE a.completes = 1 AND a.content_hash = ? AND s.letter_id = ?"
        " AND NOT EXISTS (SELECT 1 FROM approval x WHERE x.slip_id = s.id"
        " AND x.kind = 'supersede') LIMIT 1",
        [content_hash, letter_id],
    ).fetchone() is not None


def events(db: Database, slip_id: int) -> list[EventRow]:
    rows = db.execute(
        "SELECT id, kind, actor_id, step, decision, return_to, content_hash, opinion, paper,"
        " entered_by, signed_on, stage, actor_name, actor_role, scan, at_utc, completes"
        " FROM approval WHERE slip_id = ? ORDER BY id",
        [slip_id],
    ).fetchall()
    return [
        EventRow(
            id=r[0],
            event=SlipEvent(
                kind=EventKind(r[1]), actor_id=r[2], step=r[3],
                decision=Decision(r[4]) if r[4] else None, return_to=r[5], content_hash=r[6],
                opinion=r[7], paper=bool(r[8]), entered_by=r[9],
                signed_on=date.fromisoformat(r[10]) if r[10] else None,
            ),
            stage=r[11], actor_name=r[12], actor_role=r[13], scan=r[14], at_utc=r[15],
            completes=bool(r[16]),
        )
        for r in rows
    ]


def has_completed_approval(db: Database, notice_id: int, content_hash: str) -> bool:
    """The same question the gate triggers ask."""
    return db.execute(
        "SELECT 1 FROM approval a JOIN approval_slip s ON s.id = a.slip_id"
        " WHERE a.completes = 1 AND a.content_hash = ? AND s.notice_id = ?"
        " AND NOT EXISTS (SELECT 1 FROM approval x WHERE x.slip_id = s.id"
        " AND x.kind = 'supersede') LIMIT 1",
        [content_hash, notice_id],
    ).fetchone() is not None


def rejected_by_secrecy(db: Database, notice_id: int, content_hash: str) -> bool:
    """A8: 保密审查 said 不同意 to this exact content, which can therefore never be published."""
    return db.execute(
        "SELECT 1 FROM approval a JOIN approval_slip s ON s.id = a.slip_id"
        " WHERE s.notice_id = ? AND a.content_hash = ? AND a.decision = '不同意'"
        " AND a.stage = ? LIMIT 1",
        [notice_id, content_hash, Stage.SECRECY.value],
    ).fetchone() is not None


def add_pass(db: Database, *, slip_id: int, content_hash: str, fingerprint: str, kind: str,
             field: str, reason: str, reviewer_id: int, at_utc: str) -> int:
    cur = db.execute(
        "INSERT INTO screening_pass (slip_id, content_hash, fingerprint, kind, field, reason,"
        " reviewer_id, at_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [slip_id, content_hash, fingerprint, kind, field, reason, reviewer_id, at_utc],
    )
    return int(cur.lastrowid)


def passes(db: Database, notice_id: int, content_hash: str) -> list[PassRow]:
    """Findings passed unmasked for this notice's content (by any of its slips)."""
    return [
        PassRow(*r)
        for r in db.execute(
            "SELECT p.fingerprint, p.kind, p.field, p.reason, p.reviewer_id, coalesce(u.name, ''),"
            " p.content_hash, p.at_utc FROM screening_pass p"
            " JOIN approval_slip s ON s.id = p.slip_id LEFT JOIN user u ON u.id = p.reviewer_id"
            " WHERE s.notice_id = ? AND p.content_hash = ? ORDER BY p.id",
            [notice_id, content_hash],
        )
    ]


def passes_of_slip(db: Database, slip_id: int) -> list[PassRow]:
    return [
        PassRow(*r)
        for r in db.execute(
            "SELECT p.fingerprint, p.kind, p.field, p.reason, p.reviewer_id, coalesce(u.name, ''),"
            " p.content_hash, p.at_utc FROM screening_pass p LEFT JOIN user u ON"
            " u.id = p.reviewer_id WHERE p.slip_id = ? ORDER BY p.id",
            [slip_id],
        )
    ]


def open_slip_ids(db: Database) -> list[int]:
    """The latest slip of every notice waiting for approval (待审批)."""
    return [r[0] for r in db.execute(
        "SELECT max(s.id) FROM approval_slip s JOIN notice n ON n.id = s.notice_id"
        " WHERE n.status = '待审批' GROUP BY s.notice_id ORDER BY max(s.id)")]


def reviewed_between(db: Database, start: str, end: str) -> list[int]:
    """Slips with a 保密审查 decision in [start, end) (UTC timestamps), for the monthly 汇总表."""
    return [r[0] for r in db.execute(
        "SELECT DISTINCT slip_id FROM approval WHERE kind = 'decide' AND stage = ?"
        " AND at_utc >= ? AND at_utc < ? ORDER BY slip_id",
        [Stage.SECRECY.value, start, end])]
