"""Child of the B3 (test_backup_kill.py) and restore (test_restore_kill.py) kill loops.

    python backup_child.py

Imports the store and operations.backups once — no Qt, no export, nothing else — and serves
the parent on stdin, forking one worker per command (child_io.ForkServer):

    backup DB FOLDER MINUTE STEP   a worker opens DB through the app's connect and makes
                                   backups of it into FOLDER in a loop (store.backup, STEP
                                   pages a step; clock at 2030-01-01 + MINUTE minutes, one
                                   second more per backup), printing ``done NAME`` after
                                   each backup returned
    restore DB SOURCE              a worker opens DB, signs in its administrator and restores
                                   SOURCE over it (operations.backups.restore, the restore
                                   path of the app's 备份与恢复 page), then prints ``done``
    reap                           wait for the last worker; answers ``reaped``
    quit

Every worker prints ``ready PID`` once the database is open; the parent SIGKILLs it at a random
moment after that."""

from __future__ import annotations

import os
import sys
import traceback
from datetime import UTC, datetime, timedelta
from pathlib import Path

from govdesk.core.org import Role
from govdesk.operations import backups
from govdesk.operations.context import Context
from govdesk.store import backup as bk
from govdesk.store import user_store
from govdesk.store.database import connect

START = datetime(2030, 1, 1, tzinfo=UTC)
MAX_BACKUPS = 10_000  # a worker never killed (it should be) stops on its own


def say(line: str) -> None:
    # One write(2) per line: lines from the worker and the server never interleave.
    os.write(1, (line + "\n").encode())


def make_backups(db_path: str, folder: str, minute: str, step: str) -> None:
    bk.STEP_PAGES = int(step)
    db = connect(db_path, migrate=False)
    start = START + timedelta(minutes=int(minute))
    say(f"ready {os.getpid()}")
    for i in range(MAX_BACKUPS):
        final, _m = bk.backup_database(db.conn, Path(folder), trigger="定时",
                                       now=start + timedelta(seconds=i))
        say(f"done {final.name}")


def restore(db_path: str, source: str) -> None:
    db = connect(db_path, migrate=False)
    admin = next(u for u in user_store.list_users(db) if u.role is Role.ADMIN)
    when = START

    def clock() -> datetime:
        return when

    ctx = Context(db, user=admin, clock=clock, authenticated_at=when)
    say(f"ready {os.getpid()}")
    backups.restore(ctx, Path(source))
    say("done")


def serve() -> None:
    say("server")
    child = 0
    for line in sys.stdin:
        cmd = line.split()
        if cmd[0] in ("backup", "restore"):
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    (make_backups if cmd[0] == "backup" else restore)(*cmd[1:])
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


if __name__ == "__main__":
    serve()
