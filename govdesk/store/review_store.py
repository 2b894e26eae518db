"""行政复议 / 行政诉讼 cases (table ``review_case``), the register 年报 表四 is counted from."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from govdesk.core.annual_report import AppealKind, AppealResult
from govdesk.core.review_cases import ReviewCase, ReviewCaseInput

_COLS = ("id, kind, filed_on, result, decided_on, authority, case_number, note, request_id")


def _case(r: tuple) -> ReviewCase:
    return ReviewCase(id=r[0], kind=AppealKind(r[1]), filed_on=date.fromisoformat(r[2]),
                      result=AppealResult(r[3]),
                      decided_on=date.fromisoformat(r[4]) if r[4] else None,
                      authority=r[5], case_number=r[6], note=r[7], request_id=r[8])


def _values(data: ReviewCaseInput) -> list[object]:
    return [data.kind.value, data.filed_on.isoformat(), data.result.value,
            data.decided_on.isoformat() if data.decided_on else None, data.authority,
            data.case_number, data.note, data.request_id]


def get_case(db: Database, case_id: int) -> ReviewCase | None:
    r = db.execute(f"SELECT {_COLS} FROM review_case WHERE id = ?", [case_id]).fetchone()
    return _case(r) if r else None


def cases_of_request(db: Database, request_id: int) -> list[ReviewCase]:
    """The cases about one application, in the order they were filed."""
    return [_case(r) for r in db.execute(
        f"SELECT {_COLS} FROM review_case WHERE request_id = ? ORDER BY filed_on, id",
        [request_id])]


def cases_pending_in(db: Database, year: int) -> list[ReviewCase]:
    """Cases before the authority at some time in ``year`` (filed by 31 December and not
    decided before 1 January), as 表四 of that year counts them."""
    return [_case(r) for r in db.execute(
        f"SELECT {_COLS} FROM review_case WHERE filed_on <= ?"
        " AND (decided_on IS NULL OR decided_on >= ?) ORDER BY filed_on, id",
        [f"{year}-12-31", f"{year}-01-01"])]


def insert_case(db: Database, data: ReviewCaseInput, *, created_by: int | None,
                now: str) -> int:
    cur = db.execute(
        "INSERT INTO review_case (kind, filed_on, result, decided_on, authority, case_number,"
        " note, request_id, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [*_values(data), created_by, now, now],
    )
    return int(cur.lastrowid)


def update_case(db: Database, case_id: int, data: ReviewCaseInput, *, now: str) -> None:
    db.execute(
        "UPDATE review_case SET kind = ?, filed_on = ?, result = ?, decided_on = ?,"
        " authority = ?, case_number = ?, note = ?, request_id = ?, updated_at = ?"
        " WHERE id = ?",
        [*_values(data), now, case_id],
    )


def delete_case(db: Database, case_id: int) -> None:
    db.execute("DELETE FROM review_case WHERE id = ?", [case_id])
