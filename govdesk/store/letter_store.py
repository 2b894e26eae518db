"""依申请公开 letters as the office saved them (table ``request_letter``): the edited text of
each kind of letter of an application, the 办理结果 a reply answers, and when it went out."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from govdesk.core.letters import LetterKind, StoredLetter
from govdesk.core.requests import Outcome

_COLS = "id, request_id, kind, text, outcome, sent_on, updated_at"


def _letter(r: tuple) -> StoredLetter:
    return StoredLetter(id=r[0], request_id=r[1], kind=LetterKind(r[2]), text=r[3],
                        outcome=Outcome.from_code(r[4]) if r[4] else None,
                        sent_on=date.fromisoformat(r[5]) if r[5] else None, updated_at=r[6])


def get_letter(db: Database, letter_id: int) -> StoredLetter | None:
    r = db.execute(f"SELECT {_COLS} FROM request_letter WHERE id = ?", [letter_id]).fetchone()
    return _letter(r) if r else None


def letters_of(db: Database, request_id: int) -> list[StoredLetter]:
    """An application's saved letters, oldest first."""
    return [_letter(r) for r in db.execute(
        f"SELECT {_COLS} FROM request_letter WHERE request_id = ? ORDER BY id", [request_id])]


def find_letter(db: Database, request_id: int, kind: LetterKind,
                outcome: Outcome | None = None) -> StoredLetter | None:
    """The saved letter of ``kind`` (for a reply: the one answering ``outcome``), the newest
    when there are several."""
    r = db.execute(
        f"SELECT {_COLS} FROM request_letter WHERE request_id = ? AND kind = ?"
        " AND outcome IS ? ORDER BY id DESC LIMIT 1",
        [request_id, LetterKind(kind).value, outcome.code if outcome else None],
    ).fetchone()
    return _letter(r) if r else None


def insert_letter(db: Database, request_id: int, kind: LetterKind, text: str,
                  outcome: Outcome | None, *, created_by: int | None, now: str) -> int:
    cur = db.execute(
        "INSERT INTO request_letter (request_id, kind, outcome, text, created_by, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [request_id, LetterKind(kind).value, outcome.code if outcome else None, text,
         created_by, now, now],
    )
    return int(cur.lastrowid)


def update_text(db: Database, letter_id: int, text: str, *, now: str) -> None:
    db.execute("UPDATE request_letter SET text = ?, updated_at = ? WHERE id = ?",
               [text, now, letter_id])


def set_sent(db: Database, letter_id: int, on: date | None, *, now: str) -> None:
    db.execute("UPDATE request_letter SET sent_on = ?, updated_at = ? WHERE id = ?",
               [on.isoformat() if on else None, now, letter_id])


def delete_letter(db: Database, letter_id: int) -> None:
    db.execute("DELETE FROM request_letter WHERE id = ?", [letter_id])
