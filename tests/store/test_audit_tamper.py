"""The audit log against an attacker with file access (targets A1, A2, A3).

One real database with over a thousand hash-chained entries is built per module; every trial
tampers with its own copy through a plain sqlite3 connection, dropping the append-only triggers
first as an attacker would, and then asks operations.audit what it sees.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from govdesk.core.audit import GENESIS_HASH, canonical_json, entry_hash, sha256_text
from govdesk.core.org import Role
from govdesk.operations import audit as audit_ops
from govdesk.operations import auth
from govdesk.operations.context import Context
from govdesk.store import audit_store, database

PASSWORD = "Tamper-test-pass-1"
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
ENTRIES = 1_100
COLUMNS = ("seq", "ts_utc", "actor_id", "action", "object_type", "object_id", "payload",
           "payload_sha256", "app_version", "prev_hash", "entry_hash", "clock_flag")
# Every column the hash covers (clock_flag is not in the A2 formula, and seq is the key).
HASHED_FIELDS = ("ts_utc", "actor_id", "action", "object_type", "object_id", "payload",
                 "payload_sha256", "app_version", "prev_hash", "entry_hash")


class _Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """(path, admin user, the code a footer printed at the end) of a closed database."""
    path = tmp_path_factory.mktemp("audit-base") / "base.db"
    db = database.connect(path)
    clock = _Clock()
    ctx = Context(db, clock=clock)
    admin = auth.create_user(ctx, "admin", "管理员", Role.ADMIN, PASSWORD)
    ctx.user = admin
    clerk = auth.create_user(ctx, "clerk", "刘欣", Role.CLERK, PASSWORD)
    rng = random.Random(7)
    statuses = ["草稿", "待审批", "已批准", "已公开", "已撤下"]
    with db.atomic():
        while audit_store.count(db) < ENTRIES:
            clock.now += timedelta(minutes=rng.randint(1, 90))
            kind = rng.choice(["create", "update", "submit", "print", "login"])
            nid = rng.randint(1, 300)
            if kind == "create":
                payload = {"after": {"title": f"关于第{nid}号事项的公示", "status": "草稿"}}
            elif kind == "update":
                payload = {"before": {"title": f"旧标题{nid}"}, "after": {"title": f"新标题{nid}"}}
            elif kind == "submit":
                a, b = rng.sample(statuses, 2)
                payload = {"before": {"status": a}, "after": {"status": b}, "reason": ""}
            elif kind == "print":
                payload = {"paper": "A4", "path_name": f"{nid}.pdf"}
            else:
                payload = {}
            actor = rng.choice([admin.id, clerk.id, None])
            audit_store.append(db, ts_utc=ctx.now_utc(), actor_id=actor, action=kind,
                               object_type="user" if kind == "login" else "notice",
                               object_id=nid, payload=payload)
    code = audit_ops.audit_code(ctx)
    database.close(db)
    return path, admin, code


def _copy(base_path: Path, tmp_path: Path, name: str = "copy.db") -> Path:
    target = tmp_path / name
    shutil.copyfile(base_path, target)
    return target


def _attack(path: Path, *statements: tuple[str, list]) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    for sql, params in statements:
        conn.execute(sql, params)
    conn.commit()
    conn.close()


def _rows(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM audit_log ORDER BY seq").fetchall()
    conn.close()
    return rows


def _with_ctx(path: Path, admin, fn):
    db = database.connect(path, check=False)
    try:
        return fn(Context(db, user=admin, clock=lambda: START + timedelta(days=400)))
    finally:
        database.close(db)


def _verify(path: Path, admin) -> audit_ops.AuditVerdict:
    return _with_ctx(path, admin, audit_ops.verify_audit)


def _flip(hex_text: str) -> str:
    return ("1" if hex_text[0] == "0" else "0") + hex_text[1:]


def _mutate(field: str, value, rng: random.Random):
    if field == "ts_utc":
        return (datetime.fromisoformat(value) + timedelta(seconds=rng.randint(1, 3600))
                ).isoformat(timespec="seconds")
    if field == "actor_id":
        return 1 if value is None else value + 1
    if field == "action":
        return rng.choice([a for a in ("delete", "approve", "publish", "update") if a != value])
    if field == "object_type":
        return "user" if value != "user" else "notice"
    if field == "object_id":
        return value + "0"
    if field == "payload":
        return canonical_json({"after": {"title": "伪造的标题", "n": rng.randint(0, 10**6)}})
    if field == "app_version":
        return "0.0.0-forged"
    return _flip(value)  # payload_sha256, prev_hash, entry_hash


# ---- A1 ----------------------------------------------------------------------------------------


def test_append_only_triggers_exist_and_refuse_update_and_delete(base, tmp_path):
    path = _copy(base[0], tmp_path)
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")}
    assert {"audit_log_no_update", "audit_log_no_delete"} <= names
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit_log SET action = 'x' WHERE seq = 5")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_log WHERE seq = 5")
    conn.close()


# ---- A2 ----------------------------------------------------------------------------------------


def test_untouched_copy_verifies(base, tmp_path):
    path, admin, code = base
    verdict = _verify(_copy(path, tmp_path), admin)
    assert verdict.ok and verdict.first_bad_seq is None
    assert verdict.entries == ENTRIES and verdict.head_code == code
    assert code in verdict.message


def test_hundred_single_field_edits_each_name_exactly_the_edited_seq(base, tmp_path):
    path, admin, _code = base
    rows = _rows(path)
    rng = random.Random(20251120)
    seen_fields = set()
    for trial in range(100):
        row = rng.choice(rows)
        seq = row[0]
        field = HASHED_FIELDS[trial % len(HASHED_FIELDS)]
        old = row[COLUMNS.index(field)]
        new = _mutate(field, old, rng)
        assert new != old
        copy = _copy(path, tmp_path, f"edit-{trial}.db")
        _attack(copy, (f"UPDATE audit_log SET {field} = ? WHERE seq = ?", [new, seq]))
        verdict = _verify(copy, admin)
        assert not verdict.ok, (trial, field, seq)
        assert verdict.first_bad_seq == seq, (trial, field, seq, verdict)
        assert f"第{seq}条" in verdict.message
        seen_fields.add(field)
        copy.unlink()
    assert seen_fields == set(HASHED_FIELDS)


def test_consistent_payload_forgery_is_still_caught_by_the_entry_hash(base, tmp_path):
    path, admin, _code = base
    forged = canonical_json({"before": {"status": "草稿"}, "after": {"status": "已公开"}})
    copy = _copy(path, tmp_path)
    _attack(copy, ("UPDATE audit_log SET payload = ?, payload_sha256 = ? WHERE seq = 640",
                   [forged, sha256_text(forged)]))
    assert _verify(copy, admin).first_bad_seq == 640


def test_deleted_middle_row_names_the_row_after_the_gap(base, tmp_path):
    path, admin, _code = base
    copy = _copy(path, tmp_path)
    _attack(copy, ("DELETE FROM audit_log WHERE seq = 500", []))
    verdict = _verify(copy, admin)
    assert verdict.first_bad_seq == 501
    assert "第500条已被删除" in verdict.message and "第501条" in verdict.message


def test_deleted_first_rows_are_named(base, tmp_path):
    path, admin, _code = base
    copy = _copy(path, tmp_path)
    _attack(copy, ("DELETE FROM audit_log WHERE seq <= 3", []))
    verdict = _verify(copy, admin)
    assert verdict.first_bad_seq == 4 and "第1至3条已被删除" in verdict.message


def test_swapped_rows_are_detected_at_the_first(base, tmp_path):
    path, admin, _code = base
    rows = {r[0]: r for r in _rows(path)}
    copy = _copy(path, tmp_path)
    sets = ", ".join(f"{c} = ?" for c in COLUMNS[1:])
    _attack(copy,
            (f"UPDATE audit_log SET {sets} WHERE seq = 300", [*rows[700][1:]]),
            (f"UPDATE audit_log SET {sets} WHERE seq = 700", [*rows[300][1:]]))
    verdict = _verify(copy, admin)
    assert verdict.first_bad_seq == 300 and "调换了顺序" in verdict.message


def _forged_values(seq: int, prev: str, ts: str) -> list:
    payload = canonical_json({"after": {"status": "已公开"}})
    digest = sha256_text(payload)
    version = "0.1.0"
    h = entry_hash(prev_hash=prev, seq=seq, ts_utc=ts, actor_id=1, action="publish",
                   object_type="notice", object_id="42", payload_sha256=digest,
                   app_version=version)
    return [seq, ts, 1, "publish", "notice", "42", payload, digest, version, prev, h, ""]


def test_row_inserted_in_the_middle_is_detected_even_when_correctly_chained(base, tmp_path):
    path, admin, _code = base
    rows = {r[0]: r for r in _rows(path)}
    copy = _copy(path, tmp_path)
    marks = ", ".join("?" * len(COLUMNS))
    # Make room at 600 (in two steps so the key never collides), then forge a row whose own
    # hash is right: it links to 599, but the row that was 600 carries its old seq in its hash.
    _attack(copy,
            ("UPDATE audit_log SET seq = -(seq + 1) WHERE seq >= 600", []),
            ("UPDATE audit_log SET seq = -seq WHERE seq < 0", []),
            (f"INSERT INTO audit_log ({', '.join(COLUMNS)}) VALUES ({marks})",
             _forged_values(600, rows[599][10], rows[599][1])))
    verdict = _verify(copy, admin)
    assert not verdict.ok and verdict.first_bad_seq == 601


def test_forged_row_with_a_made_up_hash_is_detected(base, tmp_path):
    path, admin, _code = base
    rows = _rows(path)
    copy = _copy(path, tmp_path)
    values = _forged_values(len(rows) + 1, rows[-1][10], rows[-1][1])
    values[10] = sha256_text("whatever")
    _attack(copy, (f"INSERT INTO audit_log ({', '.join(COLUMNS)}) VALUES "
                   f"({', '.join('?' * len(COLUMNS))})", values))
    assert _verify(copy, admin).first_bad_seq == len(rows) + 1


# ---- A3: what the chain alone cannot see, the printed code can ---------------------------------------


def _check(path: Path, admin, code: str) -> audit_ops.CodeCheck:
    return _with_ctx(path, admin, lambda c: audit_ops.check_code(c, code))


def test_printed_code_matches_an_untouched_log_and_an_older_entry(base, tmp_path):
    path, admin, code = base
    copy = _copy(path, tmp_path)
    result = _check(copy, admin, code.lower())
    assert result.ok and result.found and result.seq == ENTRIES and "相符" in result.message
    older = audit_store.get_entry  # an entry printed long ago still checks
    db = database.connect(copy, check=False)
    mid = older(db, 200)
    database.close(db)
    assert _check(copy, admin, mid.entry_hash[:12]).seq == 200


def test_truncation_and_rewrite_pass_the_chain_but_fail_the_printed_code(base, tmp_path):
    """A3: 50 trials, 100% reported as a mismatch."""
    path, admin, code = base
    rows = _rows(path)
    rng = random.Random(3)
    for trial in range(50):
        copy = _copy(path, tmp_path, f"cut-{trial}.db")
        if trial % 2 == 0:
            k = rng.randint(1, 60)
            _attack(copy, ("DELETE FROM audit_log WHERE seq > ?", [len(rows) - k]))
        else:
            # Rewrite: change one entry and recompute every hash from there on.
            start = rng.randint(1, len(rows))
            prev = rows[start - 2][10] if start > 1 else GENESIS_HASH
            statements = []
            for r in rows[start - 1:]:
                payload = r[6] if r[0] != start else canonical_json({"forged": trial})
                digest = sha256_text(payload)
                h = entry_hash(prev_hash=prev, seq=r[0], ts_utc=r[1], actor_id=r[2],
                               action=r[3], object_type=r[4], object_id=r[5],
                               payload_sha256=digest, app_version=r[8])
                statements.append(("UPDATE audit_log SET payload = ?, payload_sha256 = ?,"
                                   " prev_hash = ?, entry_hash = ? WHERE seq = ?",
                                   [payload, digest, prev, h, r[0]]))
                prev = h
            _attack(copy, *statements)
        verdict = _verify(copy, admin)
        assert verdict.ok, trial  # the known limit of a bare chain
        result = _check(copy, admin, code)
        assert not result.ok and not result.found, trial
        assert result.message == f"校验码 {code} 与操作日志不符：打印之后日志可能被截断或改写。"
        copy.unlink()


def test_code_of_an_entry_before_an_edit_reports_the_later_damage(base, tmp_path):
    path, admin, _code = base
    rows = {r[0]: r for r in _rows(path)}
    copy = _copy(path, tmp_path)
    _attack(copy, ("UPDATE audit_log SET action = 'delete' WHERE seq = 900", []))
    later = _check(copy, admin, rows[300][10][:12])
    assert later.found and not later.ok and later.first_bad_seq == 900
    assert "第900条" in later.message
    damaged = _check(copy, admin, rows[950][10][:12])
    assert damaged.found and not damaged.ok and damaged.first_bad_seq == 900
