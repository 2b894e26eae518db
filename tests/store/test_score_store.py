"""The assessment tables guard themselves: a scheme version in use cannot change or go, a check
must be scored by a scheme of its own year, and a month has one 月抽查 per community."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from govdesk.core.scoring import CheckKind, Deduction, SpotCheck, default_scheme
from govdesk.store import score_store
from govdesk.store.database import connect

NOW = "2025-11-20T04:00:00+00:00"


@pytest.fixture
def db(tmp_path):
    db = connect(tmp_path / "s.db")
    db.execute("INSERT INTO community (name) VALUES ('柳河村')")
    yield db
    db.close()


def _scheme(db, year=2025, version=1):
    from govdesk.core.audit import canonical_json
    from govdesk.core.scoring import scheme_to_json

    s = default_scheme(year)
    return score_store.insert_scheme(db, {
        "year": year, "version": version, "name": s.name,
        "body": canonical_json(scheme_to_json(s)), "current": 1 if version == 1 else 0,
        "created_at": NOW, "updated_at": NOW})


def test_a_scheme_in_use_refuses_change_and_delete(db):
    sid = _scheme(db)
    score_store.update_scheme(db, sid, {"name": "改名前可以改"})
    check = SpotCheck(1, 2025, 7, deductions=(Deduction("1.1", "破损", count=1, rule=1),))
    score_store.insert_check(db, sid, check, source="", created_by=None, now=NOW)
    with pytest.raises(sqlite3.IntegrityError, match="scheme-in-use"):
        score_store.update_scheme(db, sid, {"body": "{}"})
    with pytest.raises(sqlite3.IntegrityError, match="scheme-in-use"):
        score_store.delete_scheme(db, sid)
    # Marking which version is current is not a change of the scheme itself.
    score_store.update_scheme(db, sid, {"current": 0})


def test_a_check_uses_a_scheme_of_its_year(db):
    sid = _scheme(db, 2024)
    with pytest.raises(sqlite3.IntegrityError, match="scheme-year"):
        score_store.insert_check(db, sid, SpotCheck(1, 2025, 7), source="", created_by=None,
                                 now=NOW)


def test_one_monthly_check_per_community_and_month(db):
    sid = _scheme(db)
    score_store.insert_check(db, sid, SpotCheck(1, 2025, 7), source="", created_by=None, now=NOW)
    with pytest.raises(sqlite3.IntegrityError):
        score_store.insert_check(db, sid, SpotCheck(1, 2025, 7), source="", created_by=None,
                                 now=NOW)
    # A separate 季度检查 in the same month is allowed.
    score_store.insert_check(db, sid, SpotCheck(1, 2025, 7, kind=CheckKind.QUARTERLY),
                             source="", created_by=None, now=NOW)


def test_checks_round_trip_exactly(db):
    sid = _scheme(db)
    check = SpotCheck(1, 2025, 7, checker="刘欣", checked_on=date(2025, 7, 28), deductions=(
        Deduction("2.2", "数据有误", count=3, rule=1, evidence="a.jpg"),
        Deduction("5.2", "群众不满意", points=Decimal("0.5"))))
    cid = score_store.insert_check(db, sid, check, source="import:abc", created_by=None, now=NOW)
    back = score_store.get_check(db, cid)
    assert back.check == check and back.source == "import:abc" and back.scheme_id == sid
    score_store.delete_check(db, cid)
    assert db.execute("SELECT count(*) FROM deduction").fetchone()[0] == 0
