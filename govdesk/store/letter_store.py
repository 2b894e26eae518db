"""依申请公开 letters as the office saved them (table ``request_letter``): the edited text of
each kind of letter of an application, the 办理结果 a reply answers, and when it went out."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from govdesk.core.approvals import content_hash
from govdesk.core.letters import LetterKind, StoredLetter, letter_content
from govdesk.core.requests import Outcome

_COLS = ("id, request_id, kind, text, outcome, sent_on, updated_at, content_hash, version,"
         " party")


def _letter(r: tuple) -> StoredLetter:
    return StoredLetter(id=r[0], request_id=r[1], kind=LetterKind(r[2]), text=r[3],
                        outcome=Outcome.from_code(r[4]) if r[4] else None,
                        sent_on=date.fromisoformat(r[5]) if r[5] else None, updated_at=r[6],
                        content_hash=r[7], version=r[8], party=r[9])


def _hash(request_id: int, kind: LetterKind | str, outcome_code: str | None, text: str) -> str:
    # Computed here on every write, as for notices: the triggers of migration 0010 refuse a new
    # text that comes without a new hash.
    return content_hash(letter_content(request_id, kind, outcome_code, text))


def get_letter(db: Database, letter_id: int) -> StoredLetter | None:
    r = db.execute(f"SELECT {_COLS} FROM request_letter WHERE id = ?", [letter_id]).fetchone()
    return _letter(r) if r else None


def letters_of(db: Database, request_id: int) -> list[StoredLetter]:
    """An application's saved letters, oldest first."""
    return [_letter(r) for r in db.execute(
        f"SELECT {_COLS} FROM request_letter WHERE request_id = ? ORDER BY id", [request_id])]


def find_letter(db: Database, request_id: int, kind: LetterKind,
                outcome: Outcome | None = None, party: str = "") -> StoredLetter | None:
    """The saved letter of ``kind`` (for a reply: the one answering ``outcome``; for a
    consultation letter: the one to ``party``), the newest when there are several."""
    r = db.execute(
        f"SELECT {_COLS} FROM request_letter WHERE request_id = ? AND kind = ?"
        " AND outcome IS ? AND party = ? ORDER BY id DESC LIMIT 1",
        [request_id, LetterKind(kind).value, outcome.code if outcome else None, party],
    ).fetchone()
    return _letter(r) if r else None


def insert_letter(db: Database, request_id: int, kind: LetterKind, text: str,
                  outcome: Outcome | None, *, created_by: int | None, now: str,
                  party: str = "") -> int:
    code = outcome.code if outcome else None
    cur = db.execute(
        "INSERT INTO request_letter (request_id, kind, outcome, party, text, content_hash,"
        " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [request_id, LetterKind(kind).value, code, party, text,
         _hash(request_id, kind, code, text), created_by, now, now],
    )
    return int(cur.lastrowid)


def update_text(db: Database, letter_id: int, text: str, *, now: str) -> None:
    """A new text is a new version with its own hash (the slip of the old one no longer
    covers it)."""
    row = db.execute("SELECT request_id, kind, outcome FROM request_letter WHERE id = ?",
                     [letter_id]).fetchone()
    if row is None:
        return
    db.execute("UPDATE request_letter SET text = ?, content_hash = ?, version = version + 1,"
               " updated_at = ? WHERE id = ?",
               [text, _hash(row[0], row[1], row[2], text), now, letter_id])


def set_sent(db: Database, letter_id: int, on: date | None, *, now: str) -> None:
    db.execute("UPDATE request_letter SET sent_on = ?, updated_at = ? WHERE id = ?",
               [on.isoformat() if on else None, now, letter_id])


def delete_letter(db: Database, letter_id: int) -> None:
    db.execute("DELETE FROM request_letter WHERE id = ?", [letter_id])
