"""Child of the D2 kill loop (tests/reliability/test_kill_loop.py).

    python kill_child.py SHEET_A SHEET_B
    python kill_child.py --worker DB SHEET_A SHEET_B SEED START

Imports the app once, then serves the parent on stdin: each ``go SEED START DB`` forks a worker
(where fork exists; the parent spawns this script with ``--worker`` otherwise) that opens DB
through the app's ``connect``, prints ``ready PID`` and then runs real operations in a loop —
create a notice, submit it, approve it through the whole chain as each step's account, publish
it, and now and then import a 50-row 月抽查记分表 (replacing the month) — printing one line per
operation *after* the call returned:

    ack create N <notice_id>          ack submit N <notice_id> <slip_id>
    ack decide N <slip_id> <step>     ack publish N <notice_id>
    begin import N <tag>              ack import N <tag>
    begin create N

N counts operations across the whole test (START is where this worker starts), so the parent
can tell which operations were started and which acknowledged. The parent SIGKILLs the worker at
a random moment, then sends ``reap`` and waits for ``reaped``: every line the worker wrote is in
the pipe before that one.
"""

from __future__ import annotations

import os
import random
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from reliability_world import notice_input, signed_in, users_by_role  # noqa: E402

from govdesk.core.approvals import Decision  # noqa: E402
from govdesk.core.org import Role  # noqa: E402
from govdesk.operations import approvals, notices, score_import  # noqa: E402
from govdesk.store.database import connect  # noqa: E402

MAX_OPS = 5000  # a worker never killed (it should be) stops on its own


def say(line: str) -> None:
    # One write(2) per line: lines from the worker and the server never interleave.
    os.write(1, (line + "\n").encode())


def work(db_path: str, sheets: dict[str, str], seed: int, start: int) -> None:
    rng = random.Random(seed)
    db = connect(db_path)
    users = users_by_role(db)
    clerk = signed_in(db, users[Role.CLERK])
    say(f"ready {os.getpid()}")
    n = start
    tags = sorted(sheets)
    for _ in range(MAX_OPS):
        if rng.random() < 0.25:
            n += 1
            tag = rng.choice(tags)
            say(f"begin import {n} {tag}")
            score_import.import_sheet(clerk, sheets[tag], replace=True)
            say(f"ack import {n} {tag}")
            continue
        n += 1
        say(f"begin create {n}")
        notice = notices.create_notice(clerk, notice_input(clerk, n))
        say(f"ack create {n} {notice.id}")
        n += 1
        say(f"begin submit {n}")
        notices.submit_notice(clerk, notice.id)
        view = approvals.latest_slip(clerk, notice.id)
        say(f"ack submit {n} {notice.id} {view.id}")
        while view.current_stage is not None:
            step = view.state.current
            n += 1
            say(f"begin decide {n}")
            view = approvals.decide(signed_in(db, users[view.current_stage.role]), view.id,
                                    Decision.APPROVE)
            say(f"ack decide {n} {view.id} {step}")
        n += 1
        say(f"begin publish {n}")
        notices.publish_notice(clerk, notice.id)
        say(f"ack publish {n} {notice.id}")
    db.close()


def serve(sheets: dict[str, str]) -> None:
    say("server")
    for line in sys.stdin:
        cmd = line.split()
        if cmd[0] == "go":
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    work(cmd[3], sheets, int(cmd[1]), int(cmd[2]))
                except BaseException as exc:  # a bug: the parent fails the test on this line
                    traceback.print_exc()
                    say(f"error {type(exc).__name__}: {exc}".replace("\n", " "))
                    code = 1
                finally:
                    os._exit(code)
            child = pid
        elif cmd[0] == "reap":
            os.waitpid(child, 0)
            say("reaped")
        elif cmd[0] == "quit":
            return


def main() -> None:
    args = sys.argv[1:]
    if args[0] == "--worker":  # no fork (Windows): one process per iteration
        db_path, sheet_a, sheet_b, seed, start = args[1:6]
        work(db_path, {"A": sheet_a, "B": sheet_b}, int(seed), int(start))
    else:
        serve({"A": args[0], "B": args[1]})


if __name__ == "__main__":
    main()
