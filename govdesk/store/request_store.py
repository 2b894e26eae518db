"""政府信息公开申请 (依申请公开): the applications, their clock facts, letters and review cases."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlite_utils import Database

from govdesk.core.requests import (
    ApplicantKind,
    Channel,
    ClockEvent,
    ClockEventKind,
    Consultee,
    Outcome,
    Request,
    RequestInput,
    request_number,
)

_COLS = ("id, number, channel, submitted_on, received_on, applicant_kind, applicant_name,"
         " content, applicant_contact, signed_on, confirmed_on, handler_id, outcome,"
         " outcome_detail, closed_on")


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _request(r: tuple) -> Request:
    return Request(
        id=r[0], number=r[1], channel=Channel(r[2]), submitted_on=date.fromisoformat(r[3]),
        received_on=date.fromisoformat(r[4]), applicant_kind=ApplicantKind(r[5]),
        applicant_name=r[6], content=r[7], applicant_contact=r[8], signed_on=_d(r[9]),
        confirmed_on=_d(r[10]), handler_id=r[11],
        outcome=Outcome.from_code(r[12]) if r[12] else None, outcome_detail=r[13],
        closed_on=_d(r[14]),
    )


def next_seq(db: Database, year: int) -> int:
    r = db.execute("SELECT max(seq) FROM request WHERE year = ?", [year]).fetchone()
    return (r[0] or 0) + 1


def insert_request(db: Database, data: RequestInput, *, handler_id: int | None,
                   created_by: int | None, now: str, import_key: str | None = None) -> int:
    """A new application numbered in the year of its receipt date (〔2025〕第N号)."""
    received = data.received_on
    seq = next_seq(db, received.year)
    cur = db.execute(
        "INSERT INTO request (number, year, seq, channel, submitted_on, signed_on, confirmed_on,"
        " received_on, applicant_kind, applicant_name, applicant_contact, content, handler_id,"
        " import_key, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [request_number(received.year, seq), received.year, seq, data.channel.value,
         data.submitted_on.isoformat(), _iso(data.signed_on), _iso(data.confirmed_on),
         received.isoformat(), data.applicant_kind.value, data.applicant_name.strip(),
         data.applicant_contact.strip(), data.content.strip(), handler_id, import_key,
         created_by, now, now],
    )
    return int(cur.lastrowid)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def update_request(db: Database, request_id: int, data: RequestInput, *, now: str) -> None:
    """Correct what was registered. The number stays (it was given to the applicant)."""
    db.execute(
        "UPDATE request SET channel = ?, submitted_on = ?, signed_on = ?, confirmed_on = ?,"
        " received_on = ?, applicant_kind = ?, applicant_name = ?, applicant_contact = ?,"
        " content = ?, updated_at = ? WHERE id = ?",
        [data.channel.value, data.submitted_on.isoformat(), _iso(data.signed_on),
         _iso(data.confirmed_on), data.received_on.isoformat(), data.applicant_kind.value,
         data.applicant_name.strip(), data.applicant_contact.strip(), data.content.strip(),
         now, request_id],
    )


def set_outcome(db: Database, request_id: int, outcome: Outcome | None, detail: str,
                closed_on: date | None, *, now: str) -> None:
    db.execute(
        "UPDATE request SET outcome = ?, outcome_detail = ?, closed_on = ?, updated_at = ?"
        " WHERE id = ?",
        [outcome.code if outcome else None, detail, _iso(closed_on), now, request_id],
    )


def get_request(db: Database, request_id: int) -> Request | None:
    r = db.execute(f"SELECT {_COLS} FROM request WHERE id = ?", [request_id]).fetchone()
    return _request(r) if r else None


def find_by_number(db: Database, number: str) -> Request | None:
    r = db.execute(f"SELECT {_COLS} FROM request WHERE number = ?", [number]).fetchone()
    return _request(r) if r else None


def find_by_import_key(db: Database, key: str) -> int | None:
    r = db.execute("SELECT id FROM request WHERE import_key = ?", [key]).fetchone()
    return r[0] if r else None


def list_requests(db: Database, *, year: int | None = None, open_only: bool = False,
                  received_by: date | None = None) -> list[Request]:
    """Applications newest first: received in ``year`` (or any year); ``open_only`` those not
    closed; ``received_by`` only those received on or before that day."""
    where, params = ["1 = 1"], []
    if year is not None:
        where.append("received_on BETWEEN ? AND ?")
        params += [f"{year}-01-01", f"{year}-12-31"]
    if open_only:
        where.append("closed_on IS NULL")
    if received_by is not None:
        where.append("received_on <= ?")
        params.append(received_by.isoformat())
    return [_request(r) for r in db.execute(
        f"SELECT {_COLS} FROM request WHERE {' AND '.join(where)}"
        " ORDER BY received_on DESC, id DESC", params)]


def years(db: Database) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT DISTINCT CAST(substr(received_on, 1, 4) AS INTEGER) FROM request ORDER BY 1")]


# ---- clock facts -----------------------------------------------------------------------------

_EVENT_COLS = ("id, kind, on_date, days, until, approver, approved_on, party, consultee,"
               " delivered_on, note")


def _event(r: tuple) -> tuple[int, ClockEvent]:
    return r[0], ClockEvent(
        kind=ClockEventKind(r[1]), on=date.fromisoformat(r[2]), days=r[3], until=_d(r[4]),
        approver=r[5], approved_on=_d(r[6]), party=r[7],
        consultee=Consultee(r[8]) if r[8] else None, delivered_on=_d(r[9]), note=r[10])


def events(db: Database, request_id: int) -> list[tuple[int, ClockEvent]]:
    """(event id, event) in the order they were recorded."""
    return [_event(r) for r in db.execute(
        f"SELECT {_EVENT_COLS} FROM request_event WHERE request_id = ? ORDER BY on_date, id",
        [request_id])]


def events_of(db: Database, request_ids: Iterable[int]) -> dict[int, list[ClockEvent]]:
    ids = list(request_ids)
    out: dict[int, list[ClockEvent]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for r in db.execute(
            f"SELECT request_id, {_EVENT_COLS} FROM request_event"
            f" WHERE request_id IN ({', '.join('?' for _ in chunk)}) ORDER BY on_date, id",
            chunk,
        ):
            out[r[0]].append(_event(r[1:])[1])
    return out


def insert_event(db: Database, request_id: int, e: ClockEvent, *, created_by: int | None,
                 now: str) -> int:
    cur = db.execute(
        "INSERT INTO request_event (request_id, kind, on_date, days, until, approver,"
        " approved_on, party, consultee, delivered_on, note, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [request_id, e.kind.value, e.on.isoformat(), e.days, _iso(e.until), e.approver,
         _iso(e.approved_on), e.party, e.consultee.value if e.consultee else None,
         _iso(e.delivered_on), e.note, created_by, now],
    )
    return int(cur.lastrowid)


def event_request(db: Database, event_id: int) -> tuple[int, ClockEvent] | None:
    """(request id, event) of a stored event."""
    r = db.execute(f"SELECT request_id, {_EVENT_COLS} FROM request_event WHERE id = ?",
                   [event_id]).fetchone()
    return (r[0], _event(r[1:])[1]) if r else None


def delete_event(db: Database, event_id: int) -> None:
    db.execute("DELETE FROM request_event WHERE id = ?", [event_id])


def replace_received(db: Database, request_id: int, on: date) -> None:
    """Move the RECEIVED fact when a correction of the registration changes the receipt date."""
    db.execute("UPDATE request_event SET on_date = ? WHERE request_id = ? AND kind = ?",
               [on.isoformat(), request_id, ClockEventKind.RECEIVED.value])
