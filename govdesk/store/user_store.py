"""User accounts."""

from __future__ import annotations

from sqlite_utils import Database

from govdesk.core.org import Role, User

_SELECT = "SELECT id, login, name, role, unit_id, active, failed_count, locked_until FROM user"


def _user(r: tuple) -> User:
    return User(r[0], r[1], r[2], Role(r[3]), r[4], bool(r[5]), r[6], r[7])


def list_users(db: Database) -> list[User]:
    return [_user(r) for r in db.execute(_SELECT + " ORDER BY active DESC, id")]


def get_user(db: Database, user_id: int) -> User | None:
    r = db.execute(_SELECT + " WHERE id = ?", [user_id]).fetchone()
    return _user(r) if r else None


def find_by_login(db: Database, login: str) -> tuple[User, str] | None:
    r = db.execute(
        "SELECT id, login, name, role, unit_id, active, failed_count, locked_until, password_hash"
        " FROM user WHERE login = ?",
        [login],
    ).fetchone()
    return (_user(r[:8]), r[8]) if r else None


def count_users(db: Database) -> int:
    return db.execute("SELECT count(*) FROM user").fetchone()[0]


def count_active_admins(db: Database, exclude_id: int | None = None) -> int:
    return db.execute(
        "SELECT count(*) FROM user WHERE role = 'admin' AND active = 1 AND id IS NOT ?",
        [exclude_id],
    ).fetchone()[0]


def insert_user(
    db: Database, *, login: str, name: str, role: Role, unit_id: int | None, password_hash: str,
    created_at: str,
) -> int:
    cur = db.execute(
        "INSERT INTO user (login, name, role, unit_id, password_hash, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [login, name, role.value, unit_id, password_hash, created_at],
    )
    return int(cur.lastrowid)


def update_user(db: Database, user_id: int, **values: object) -> None:
    allowed = {"name", "role", "unit_id", "active", "password_hash", "failed_count",
               "locked_until", "last_login_at"}
    assert set(values) <= allowed, values
    cols = list(values)
    db.execute(
        f"UPDATE user SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
        [values[c].value if isinstance(values[c], Role) else values[c] for c in cols] + [user_id],
    )
