"""考核细则 versions, spot checks with their deductions and 否决项, quarterly 加分/扣分 items, the
edited 通报 texts, and the register facts the auto-findings are computed from."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from sqlite_utils import Database

from govdesk.core.audit import canonical_json
from govdesk.core.scoring import (
    Adjustment,
    AutoFinding,
    CheckKind,
    CheckRecord,
    Deduction,
    GradeThresholds,
    MonthFacts,
    QuarterRule,
    SchemeVersion,
    SpotCheck,
    VetoFinding,
    scheme_from_json,
    scheme_to_json,
)

# ---- schemes -------------------------------------------------------------------------------------

_SCHEME_COLS = ("s.id, s.version, s.body, s.monthly_weight, s.grade_excellent, s.grade_good,"
                " s.grade_pass, s.year_end_weight, s.current, s.copied_from, s.updated_at,"
                " EXISTS (SELECT 1 FROM spot_check c WHERE c.scheme_id = s.id)")


def _scheme(r: tuple) -> SchemeVersion:
    return SchemeVersion(
        id=r[0], version=r[1], scheme=scheme_from_json(json.loads(r[2])),
        rule=QuarterRule(Decimal(r[3])),
        grades=GradeThresholds(Decimal(r[4]), Decimal(r[5]), Decimal(r[6])),
        year_end_weight=Decimal(r[7]), current=bool(r[8]), copied_from=r[9], updated_at=r[10],
        in_use=bool(r[11]),
    )


def scheme_values(source: SchemeVersion | None = None, **overrides: object) -> dict:
    """Column values of a scheme version (for insert or update)."""
    values: dict[str, object] = {}
    version = source
    if version is not None:
        values = {
            "year": version.scheme.year, "name": version.scheme.name,
            "body": canonical_json(scheme_to_json(version.scheme)),
            "monthly_weight": str(version.rule.monthly_weight),
            "grade_excellent": str(version.grades.excellent),
            "grade_good": str(version.grades.good),
            "grade_pass": str(version.grades.passing),
            "year_end_weight": str(version.year_end_weight),
        }
    values.update(overrides)
    return values


def next_scheme_version(db: Database, year: int) -> int:
    r = db.execute("SELECT max(version) FROM scheme WHERE year = ?", [year]).fetchone()
    return (r[0] or 0) + 1


def insert_scheme(db: Database, values: dict) -> int:
    cols = list(values)
    cur = db.execute(
        f"INSERT INTO scheme ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [values[c] for c in cols],
    )
    return int(cur.lastrowid)


def update_scheme(db: Database, scheme_id: int, values: dict) -> None:
    """Change a scheme version in place. The database refuses it for a version in use
    (trigger scheme_in_use_frozen: sqlite3.IntegrityError 'scheme-in-use')."""
    sets = ", ".join(f"{c} = ?" for c in values)
    db.execute(f"UPDATE scheme SET {sets} WHERE id = ?", [*values.values(), scheme_id])


def delete_scheme(db: Database, scheme_id: int) -> None:
    db.execute("DELETE FROM scheme WHERE id = ?", [scheme_id])


def set_current_scheme(db: Database, year: int, scheme_id: int) -> None:
    db.execute("UPDATE scheme SET current = 0 WHERE year = ? AND current = 1 AND id != ?",
               [year, scheme_id])
    db.execute("UPDATE scheme SET current = 1 WHERE id = ?", [scheme_id])


def get_scheme(db: Database, scheme_id: int) -> SchemeVersion | None:
    r = db.execute(f"SELECT {_SCHEME_COLS} FROM scheme s WHERE s.id = ?", [scheme_id]).fetchone()
    return _scheme(r) if r else None


def current_scheme(db: Database, year: int) -> SchemeVersion | None:
    r = db.execute(f"SELECT {_SCHEME_COLS} FROM scheme s WHERE s.year = ? AND s.current = 1",
                   [year]).fetchone()
    return _scheme(r) if r else None


def list_schemes(db: Database, year: int | None = None) -> list[SchemeVersion]:
    where, params = ("WHERE s.year = ?", [year]) if year is not None else ("", [])
    return [_scheme(r) for r in db.execute(
        f"SELECT {_SCHEME_COLS} FROM scheme s {where} ORDER BY s.year DESC, s.version DESC",
        params)]


def latest_current_before(db: Database, year: int) -> SchemeVersion | None:
    """The current scheme of the latest year before ``year`` that has one (to copy forward)."""
    r = db.execute(f"SELECT {_SCHEME_COLS} FROM scheme s WHERE s.year < ? AND s.current = 1"
                   " ORDER BY s.year DESC LIMIT 1", [year]).fetchone()
    return _scheme(r) if r else None


# ---- checks --------------------------------------------------------------------------------------

def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _load_checks(db: Database, where: str, params: Sequence[object]) -> list[CheckRecord]:
    rows = db.execute(
        "SELECT id, scheme_id, community_id, year, month, kind, checker, checked_on, source"
        f" FROM spot_check WHERE {where} ORDER BY year, month, community_id, kind, id",
        list(params),
    ).fetchall()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    deductions: dict[int, list[Deduction]] = {i: [] for i in ids}
    vetoes: dict[int, list[VetoFinding]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for r in db.execute(
            "SELECT check_id, indicator_code, reason, count, rule, points, photo, auto,"
            f" posting_id FROM deduction WHERE check_id IN ({marks}) ORDER BY check_id, seq",
            chunk,
        ):
            deductions[r[0]].append(Deduction(
                indicator_code=r[1], reason=r[2], count=r[3], rule=r[4],
                points=Decimal(r[5]) if r[5] is not None else None, evidence=r[6],
                auto=AutoFinding(r[7]) if r[7] else None, posting_id=r[8]))
        for r in db.execute(
            f"SELECT check_id, code, reason, photo FROM check_veto WHERE check_id IN ({marks})"
            " ORDER BY check_id, id", chunk,
        ):
            vetoes[r[0]].append(VetoFinding(r[1], r[2], r[3]))
    return [
        CheckRecord(
            id=r[0], scheme_id=r[1], source=r[8],
            check=SpotCheck(community_id=r[2], year=r[3], month=r[4],
                            deductions=tuple(deductions[r[0]]), kind=CheckKind(r[5]),
                            vetoes=tuple(vetoes[r[0]]), checker=r[6], checked_on=_d(r[7])),
        )
        for r in rows
    ]


def checks_in_months(db: Database, year: int, months: Iterable[int],
                     kind: CheckKind | None = None) -> list[CheckRecord]:
    months = sorted(set(months))
    where = f"year = ? AND month IN ({', '.join('?' for _ in months)})"
    params: list[object] = [year, *months]
    if kind is not None:
        where += " AND kind = ?"
        params.append(kind.value)
    return _load_checks(db, where, params)


def checks_of_year(db: Database, year: int) -> list[CheckRecord]:
    return _load_checks(db, "year = ?", [year])


def get_check(db: Database, check_id: int) -> CheckRecord | None:
    found = _load_checks(db, "id = ?", [check_id])
    return found[0] if found else None


def monthly_check_ids(db: Database, year: int, month: int) -> dict[int, int]:
    """community id → id of its 月抽查 of the month."""
    return {r[0]: r[1] for r in db.execute(
        "SELECT community_id, id FROM spot_check WHERE year = ? AND month = ? AND kind = ?",
        [year, month, CheckKind.MONTHLY.value])}


def any_checks(db: Database) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM spot_check)").fetchone()[0] == 1


def months_checked(db: Database, year: int) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT DISTINCT month FROM spot_check WHERE year = ? AND kind = ? ORDER BY month",
        [year, CheckKind.MONTHLY.value])]


def insert_check(db: Database, scheme_id: int, check: SpotCheck, *, source: str,
                 created_by: int | None, now: str) -> int:
    cur = db.execute(
        "INSERT INTO spot_check (scheme_id, community_id, year, month, kind, checker,"
        " checked_on, source, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [scheme_id, check.community_id, check.year, check.month, check.kind.value,
         check.checker, check.checked_on.isoformat() if check.checked_on else None, source,
         created_by, now, now],
    )
    check_id = int(cur.lastrowid)
    db.conn.executemany(
        "INSERT INTO deduction (check_id, seq, indicator_code, rule, count, points, reason,"
        " photo, posting_id, auto) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(check_id, seq, d.indicator_code, d.rule, d.count,
          str(d.points) if d.points is not None else None, d.reason, d.evidence, d.posting_id,
          d.auto.value if d.auto else None) for seq, d in enumerate(check.deductions)],
    )
    db.conn.executemany(
        "INSERT INTO check_veto (check_id, code, reason, photo) VALUES (?, ?, ?, ?)",
        [(check_id, v.code, v.reason, v.evidence) for v in check.vetoes],
    )
    return check_id


def delete_check(db: Database, check_id: int) -> None:
    db.execute("DELETE FROM deduction WHERE check_id = ?", [check_id])
    db.execute("DELETE FROM check_veto WHERE check_id = ?", [check_id])
    db.execute("DELETE FROM spot_check WHERE id = ?", [check_id])


# ---- 加分 / 扣分 items -------------------------------------------------------------------------------

def adjustments(db: Database, year: int, quarter: int | None = None
                ) -> list[tuple[int, Adjustment]]:
    where, params = "year = ?", [year]
    if quarter is not None:
        where += " AND quarter = ?"
        params.append(quarter)
    return [(r[0], Adjustment(r[1], r[2], r[3], r[4], r[5])) for r in db.execute(
        "SELECT id, community_id, year, quarter, item_code, reason FROM adjustment"
        f" WHERE {where} ORDER BY quarter, community_id, id", params)]


def get_adjustment(db: Database, adjustment_id: int) -> Adjustment | None:
    r = db.execute("SELECT community_id, year, quarter, item_code, reason FROM adjustment"
                   " WHERE id = ?", [adjustment_id]).fetchone()
    return Adjustment(*r) if r else None


def insert_adjustment(db: Database, adj: Adjustment, *, created_by: int | None, now: str) -> int:
    cur = db.execute(
        "INSERT INTO adjustment (community_id, year, quarter, item_code, reason, created_by,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [adj.community_id, adj.year, adj.quarter, adj.item_code, adj.reason, created_by, now],
    )
    return int(cur.lastrowid)


def delete_adjustment(db: Database, adjustment_id: int) -> None:
    db.execute("DELETE FROM adjustment WHERE id = ?", [adjustment_id])


# ---- 通报 text ---------------------------------------------------------------------------------------

def bulletin_text(db: Database, year: int, quarter: int) -> str | None:
    r = db.execute("SELECT text FROM bulletin WHERE year = ? AND quarter = ?",
                   [year, quarter]).fetchone()
    return r[0] if r else None


def save_bulletin_text(db: Database, year: int, quarter: int, text: str | None, *,
                       user_id: int | None, now: str) -> None:
    if text is None:
        db.execute("DELETE FROM bulletin WHERE year = ? AND quarter = ?", [year, quarter])
        return
    db.execute(
        "INSERT INTO bulletin (year, quarter, text, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (year, quarter) DO UPDATE SET text = excluded.text,"
        " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        [year, quarter, text, user_id, now],
    )


# ---- register facts for the auto-findings --------------------------------------------------------

def month_facts(db: Database, community_id: int, year: int, month: int, *,
                first: date, last: date, cutoff: date) -> MonthFacts:
    """What the register shows of ``community_id`` in the month ``first``…``last``, judged on
    ``cutoff`` (the month's last day, or today if the month is not over):

    * late notices: 主动公开 notices of the community (not 已失效) due in the month and published
      after their due date, or still unpublished with the due date before ``cutoff``;
    * late take-downs (candidates: operations applies the working-day grace): postings on the
      community's boards planned to come down in the month and taken down later, or still up
      after the planned day (as of ``cutoff``);
    * published: notices of the community published in the month plus postings on its boards
      posted in the month."""
    f, lst, cut = first.isoformat(), last.isoformat(), cutoff.isoformat()
    late_notices = tuple(
        (r[0], date.fromisoformat(r[1]), _d(r[2])) for r in db.execute(
            "SELECT title, publish_due, published_on FROM notice"
            " WHERE community_id = ? AND disclosure = '主动公开' AND status != '已失效'"
            " AND publish_due BETWEEN ? AND ?"
            " AND ((published_on IS NOT NULL AND published_on > publish_due)"
            "      OR (published_on IS NULL AND publish_due < ?))"
            " ORDER BY publish_due, id",
            [community_id, f, lst, cut]))
    late_take_downs = tuple(
        (r[0], r[1], r[2], date.fromisoformat(r[3]), _d(r[4])) for r in db.execute(
            "SELECT p.id, n.title, b.name, p.planned_removal, p.removed_on"
            " FROM posting p JOIN notice n ON n.id = p.notice_id JOIN board b ON b.id = p.board_id"
            " WHERE b.community_id = ? AND p.planned_removal BETWEEN ? AND ?"
            " AND ((p.removed_on IS NOT NULL AND p.removed_on > p.planned_removal)"
            "      OR (p.removed_on IS NULL AND p.planned_removal < ?))"
            " ORDER BY p.planned_removal, p.id",
            [community_id, f, lst, cut]))
    published = db.execute(
        "SELECT (SELECT count(*) FROM notice WHERE community_id = ? AND published_on BETWEEN ? AND ?)"
        " + (SELECT count(*) FROM posting p JOIN board b ON b.id = p.board_id"
        "    WHERE b.community_id = ? AND p.posted_on BETWEEN ? AND ?)",
        [community_id, f, lst, community_id, f, lst]).fetchone()[0]
    return MonthFacts(community_id=community_id, year=year, month=month,
                      late_notices=late_notices, late_take_downs=late_take_downs,
                      published=int(published), complete=cutoff >= last)


def postings_of_community(db: Database, community_id: int, first: date, last: date
                          ) -> list[tuple[int, str, str, date]]:
    """(posting id, notice title, board name, posted on) of the postings on the community's
    boards that were up at some time in first…last: what a deduction's evidence can link to."""
    return [(r[0], r[1], r[2], date.fromisoformat(r[3])) for r in db.execute(
        "SELECT p.id, n.title, b.name, p.posted_on FROM posting p"
        " JOIN notice n ON n.id = p.notice_id JOIN board b ON b.id = p.board_id"
        " WHERE b.community_id = ? AND p.posted_on <= ?"
        " AND (p.removed_on IS NULL OR p.removed_on >= ?) ORDER BY p.posted_on DESC, p.id",
        [community_id, last.isoformat(), first.isoformat()])]
