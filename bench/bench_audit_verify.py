"""Verifying the audit hash chain (target A2: 10,000 entries in under 1 s).

    python bench/bench_audit_verify.py [--sizes 10000 100000] [--repeat 3] [--keep DIR]

For each size, builds a fresh database of that many entries written through
``audit_store.append`` (payloads shaped like the app's: before/after notice fields in Chinese),
closes it, reopens it, and times ``operations.audit.verify_audit`` (streaming, plus its own audit
row) and the bare ``core.audit.verify_chain`` over ``audit_store.iter_entries``: the first call
and the best of --repeat more.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from govdesk.core.audit import verify_chain
from govdesk.core.org import Role, User
from govdesk.operations import audit as audit_ops
from govdesk.operations.context import Context
from govdesk.store import audit_store, database

START = datetime(2024, 1, 2, 1, 0, tzinfo=UTC)
ADMIN = User(1, "admin", "管理员", Role.ADMIN)


def build(path: Path, n: int) -> None:
    db = database.connect(path)
    rng = random.Random(n)
    ts = START
    with db.atomic():
        db.execute("INSERT INTO user (id, login, name, role, password_hash, created_at)"
                   " VALUES (1, 'admin', '管理员', 'admin', 'x', ?)", [ts.isoformat()])
        for i in range(n):
            ts += timedelta(seconds=rng.randint(5, 900))
            nid = rng.randint(1, max(1, n // 10))
            payload = {
                "before": {"status": "草稿", "title": f"关于第{nid}号事项的公示"},
                "after": {"status": "待审批", "title": f"关于第{nid}号事项的公示",
                          "body": "根据有关规定，现予以公示。" * rng.randint(1, 20)},
            } if i % 3 else {"paper": "A4", "path_name": f"{nid}.pdf"}
            audit_store.append(db, ts_utc=ts.isoformat(timespec="seconds"), actor_id=1,
                               action="update" if i % 3 else "print", object_type="notice",
                               object_id=nid, payload=payload)
    database.close(db)


def timed(fn, repeat: int) -> tuple[float, float]:
    t0 = time.perf_counter()
    fn()
    first = time.perf_counter() - t0
    best = first
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return first, best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", help="build the databases in this folder and keep them")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-audit-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'entries':>9}  {'build s':>8}  {'verify_audit first/best s':>26}  "
          f"{'verify_chain best s':>20}  {'µs/entry':>8}")
    for n in args.sizes:
        path = folder / f"audit-{n}.db"
        path.unlink(missing_ok=True)
        t0 = time.perf_counter()
        build(path, n)
        built = time.perf_counter() - t0
        db = database.connect(path, check=False)
        ctx = Context(db, user=ADMIN, clock=lambda: START + timedelta(days=3650))
        verdict = audit_ops.verify_audit(ctx)
        assert verdict.ok and verdict.entries >= n, verdict
        first, best = timed(lambda c=ctx: audit_ops.verify_audit(c), args.repeat)
        _f, chain_best = timed(lambda d=db: verify_chain(audit_store.iter_entries(d)),
                               args.repeat)
        database.close(db)
        print(f"{n:>9,}  {built:>8.2f}  {first:>12.3f} / {best:<11.3f}  {chain_best:>20.3f}"
              f"  {best / n * 1e6:>8.1f}")
        if not args.keep:
            path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
