"""D2 process-kill durability: a child runs the app's real operations (create a notice, submit
it, approve it step by step through the whole chain, publish it, import a 50-row 月抽查记分表)
and acknowledges each call after it returned; it is SIGKILLed at a uniform random 50–250 ms.
After every kill the database is opened again through the app's ``connect`` (its quick_check
included) and must show: integrity_check ok, no foreign-key violation, an audit chain that
verifies, every acknowledged operation present, and no half-applied one (A4: one audit row per
state change, the notice's status agrees with its slip, an import has all 50 rows or none).

The child imports the app once and forks a fresh worker per iteration (on a system without
fork, one process per iteration is spawned), so the random delay counts from the moment the
worker has the database open, not from interpreter start-up. One database is reused for
RESET_EVERY iterations, so state accumulates, then a fresh copy of the prepared one is used.

200 iterations in CI; GOVDESK_RELIABILITY_FULL=1 runs 1,000 (nightly or before a release, as
for the B3 and restore kill loops); GOVDESK_KILL_ITERATIONS sets any other number."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from child_io import Lines
from reliability_world import (
    COMMUNITIES,
    MONTH,
    YEAR,
    build_world,
    database_problems,
    sheet_sha,
)

from govdesk.store.database import close, connect

HERE = Path(__file__).resolve().parent
FULL = os.environ.get("GOVDESK_RELIABILITY_FULL") == "1"
ITERATIONS = int(os.environ.get("GOVDESK_KILL_ITERATIONS", "1000" if FULL else "200"))
RESET_EVERY = 50
KILL_AFTER = (0.050, 0.250)
FORK = hasattr(os, "fork")

pytestmark = pytest.mark.skipif(sys.platform == "win32" and not FORK, reason="select on pipes")


@dataclass
class Ledger:
    """What the workers started and acknowledged on one database."""

    begun: Counter = field(default_factory=Counter)
    acked: Counter = field(default_factory=Counter)
    notices: set[int] = field(default_factory=set)
    slips: dict[int, int] = field(default_factory=dict)  # slip → notice
    decisions: set[tuple[int, int]] = field(default_factory=set)  # (slip, step)
    published: set[int] = field(default_factory=set)
    last_import: str | None = None  # tag of the last acknowledged import
    imports_since: set[str] = field(default_factory=set)  # tags begun after it
    n: int = 0
    cut_mid_operation: int = 0

    def take(self, lines: list[str]) -> None:
        pending = None
        for line in lines:
            assert not line.startswith("error"), f"the worker failed: {line}"
            kind, what, *rest = line.split()
            if kind == "begin":
                self.n = int(rest[0])
                self.begun[what] += 1
                pending = what
                if what == "import":
                    self.imports_since.add(rest[1])
            elif kind == "ack":
                assert int(rest[0]) == self.n, line
                self.acked[what] += 1
                pending = None
                args = [int(x) for x in rest[1:]] if what != "import" else []
                if what == "create":
                    self.notices.add(args[0])
                elif what == "submit":
                    self.slips[args[1]] = args[0]
                elif what == "decide":
                    self.decisions.add((args[0], args[1]))
                elif what == "publish":
                    self.published.add(args[0])
                elif what == "import":
                    self.last_import = rest[1]
                    self.imports_since = set()
        if pending is not None:
            self.cut_mid_operation += 1


def problems_after_kill(path: Path, ledger: Ledger, sha: dict[str, str]) -> list[str]:
    db = connect(path)  # the app's own start-up: quick_check, migrations, pragmas
    try:
        conn = db.conn
        problems = database_problems(conn)

        def one(sql: str, *params) -> int:
            return conn.execute(sql, params).fetchone()[0]

        def audits(action: str, object_type: str) -> int:
            return one("SELECT count(*) FROM audit_log WHERE action=? AND object_type=?",
                       action, object_type)

        # Every acknowledged operation is there …
        notices = dict(conn.execute("SELECT id, status FROM notice"))
        slips = dict(conn.execute("SELECT id, notice_id FROM approval_slip"))
        decided = set(conn.execute("SELECT slip_id, step FROM approval WHERE kind='decide'"))
        if missing := ledger.notices - notices.keys():
            problems.append(f"acknowledged notices missing: {sorted(missing)}")
        if lost := {s for s, nid in ledger.slips.items() if slips.get(s) != nid}:
            problems.append(f"acknowledged submissions missing: {sorted(lost)}")
        if lost := ledger.decisions - decided:
            problems.append(f"acknowledged decisions missing: {sorted(lost)}")
        if lost := {i for i in ledger.published if notices.get(i) != "已公开"}:
            problems.append(f"acknowledged publications missing: {sorted(lost)}")
        # … and nothing that was never started.
        for what, count in (("create", len(notices)), ("submit", len(slips)),
                            ("decide", len(decided))):
            if not ledger.acked[what] <= count <= ledger.begun[what]:
                problems.append(f"{what}: {count} in the database, {ledger.acked[what]} "
                                f"acknowledged, {ledger.begun[what]} started")
        # No operation half-applied (A4: one audit row per state change, same transaction).
        pairs = {
            "notice rows vs create audits": (len(notices), audits("create", "notice")),
            "slips vs submit audits": (len(slips), audits("submit", "notice")),
            "slips vs submit events": (len(slips), one(
                "SELECT count(*) FROM approval WHERE kind='submit'")),
            "decisions vs approve audits": (len(decided), audits("approve", "approval_slip")),
            "published vs publish audits": (
                sum(s == "已公开" for s in notices.values()), audits("publish", "notice")),
        }
        problems += [f"{k}: {a} != {b}" for k, (a, b) in pairs.items() if a != b]
        complete = {r[0] for r in conn.execute(
            "SELECT slip_id FROM approval WHERE completes=1")}
        for nid, status in notices.items():
            mine = [s for s, n in slips.items() if n == nid]
            expected = ("草稿",) if not mine else ("已批准", "已公开") if set(mine) & complete \
                else ("待审批",)
            if status not in expected:
                problems.append(f"notice {nid} is {status}, its slips say {expected}")
        # An import: all 50 checks of the month from one file, or none.
        checks = conn.execute(
            "SELECT source, count(*) FROM spot_check WHERE year=? AND month=? GROUP BY source",
            (YEAR, MONTH)).fetchall()
        per_check = conn.execute(
            "SELECT count(*) FROM spot_check s WHERE year=? AND month=? AND "
            "(SELECT count(*) FROM deduction d WHERE d.check_id=s.id) != 1",
            (YEAR, MONTH)).fetchone()[0]
        if checks and (len(checks) != 1 or checks[0][1] != COMMUNITIES or per_check):
            problems.append(f"partial import: {checks}, {per_check} checks without 1 deduction")
        allowed = {f"import:{sha[t]}" for t in ledger.imports_since}
        if ledger.last_import is not None:
            allowed.add(f"import:{sha[ledger.last_import]}")
            if not checks or checks[0][0] not in allowed:
                problems.append(f"acknowledged import {ledger.last_import} lost: {checks}")
        elif checks and checks[0][0] not in allowed:
            problems.append(f"import from nowhere: {checks}")
        if audits("import_scores", "file") > ledger.begun["import"]:
            problems.append("more import audits than imports started")
        return problems
    finally:
        close(db)


def fresh_copy(pristine: Path, target: Path) -> Path:
    """A copy of the prepared database through SQLite's backup API (never a file copy)."""
    target.parent.mkdir(parents=True)
    src, dst = sqlite3.connect(pristine), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


@pytest.mark.slow
def test_killing_the_app_at_random_moments_loses_nothing_acknowledged(tmp_path):
    started = time.monotonic()
    world = build_world(tmp_path / "pristine")
    sheets = [str(world.sheets["A"]), str(world.sheets["B"])]
    sha = {tag: sheet_sha(p) for tag, p in world.sheets.items()}
    seed = int(os.environ.get("GOVDESK_KILL_SEED", random.SystemRandom().randrange(2**32)))
    print(f"kill loop seed {seed} (GOVDESK_KILL_SEED to repeat)")
    rng = random.Random(seed)
    server = None
    if FORK:
        server = subprocess.Popen([sys.executable, str(HERE / "kill_child.py"), *sheets],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=False)
        lines = Lines(server.stdout)
        assert lines.read(time.monotonic() + 60, stop="server")[1], "child did not start"
    failures: list[str] = []
    totals: Counter = Counter()
    begun: Counter = Counter()
    cut = 0
    try:
        for i in range(ITERATIONS):
            if i % RESET_EVERY == 0:
                path = fresh_copy(world.db_path, tmp_path / f"run{i}" / "govdesk.db")
                ledger = Ledger()
            worker_seed = rng.randrange(2**32)
            if FORK:
                server.stdin.write(f"go {worker_seed} {ledger.n} {path}\n".encode())
                server.stdin.flush()
                reader = lines
            else:
                proc = subprocess.Popen(
                    [sys.executable, str(HERE / "kill_child.py"), "--worker", str(path),
                     *sheets, str(worker_seed), str(ledger.n)], stdout=subprocess.PIPE)
                reader = Lines(proc.stdout)
            got, ready = reader.read(time.monotonic() + 60, stop="ready")
            assert ready, f"worker did not open the database: {got}"
            pid = int(got[-1].split()[1])
            got, _ = reader.read(time.monotonic() + rng.uniform(*KILL_AFTER))
            if FORK:
                os.kill(pid, signal.SIGKILL)
                server.stdin.write(b"reap\n")
                server.stdin.flush()
                rest, reaped = reader.read(time.monotonic() + 60, stop="reaped")
                assert reaped, rest
                got += rest[:-1]
            else:
                proc.kill()  # TerminateProcess on Windows
                proc.wait()
                rest, _ = reader.read(time.monotonic() + 5)
                got += rest
                proc.stdout.close()
            ledger.take(got)
            problems = problems_after_kill(path, ledger, sha)
            if problems:
                failures.append(f"iteration {i} (seed {seed}): " + "; ".join(problems))
                break
            if i % RESET_EVERY == RESET_EVERY - 1 or i == ITERATIONS - 1:
                totals += ledger.acked
                begun += ledger.begun
                cut += ledger.cut_mid_operation
    finally:
        if server is not None:
            server.stdin.write(b"quit\n")
            server.stdin.close()
            server.wait(timeout=30)
    elapsed = time.monotonic() - started
    print(f"{ITERATIONS} kills in {elapsed:.1f} s; acknowledged {dict(totals)}; "
          f"imports started {begun['import']}; "
          f"{cut} kills landed inside an operation")
    assert not failures, failures[0]
    # The loop really exercised the operations and really cut some of them in half.
    assert totals["create"] >= ITERATIONS // 2 and totals["decide"] >= ITERATIONS
    # Imports were started often (a quarter of the operations); how many of them finish
    # inside the 50–250 ms window depends on the machine's load (on a busy 2-core CI box
    # hardly any), so the acknowledged count is reported, not asserted.
    assert begun["import"] >= ITERATIONS // 20, dict(begun)
    assert cut >= ITERATIONS // 2
