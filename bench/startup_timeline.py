"""Where `govdesk --smoke-test` spends its start-up time: a timeline of one process, phase by phase.

    python bench/startup_timeline.py --db bench/out/bench-120k.db [--runs 7]
    python bench/startup_timeline.py --db bench/out/bench-120k.db --try takedown-limit=200 \\
        --try fast-calendar --try no-sqlite-utils         # experiments, see below
    python bench/startup_timeline.py --db DB --runs 15 --variant cal=fast-calendar \\
        --variant all=fast-calendar,no-sqlite-utils       # compare, round robin

Each run is a fresh child process that does what ``govdesk.app.run(db, smoke_test=True)`` does,
in the same order (import the command line, make the QApplication, the imports ``run`` makes,
``database.connect(path, check=False)``, ``Context``, ``MainWindow()``, ``show()``, one round of
events, ``close()``), and records ``time.perf_counter()`` after each step; alternately, a child
that shows a bare QMainWindow like bench_startup.py's. CLOCK_MONOTONIC is system-wide on Linux,
so the parent's reading just before it starts a child is the time origin: the first phase is the
interpreter's own start-up, the last the process's exit. Besides the whole process (what
bench_startup.py compares) this gives the time until the window is painted ("first paint" =
after ``show()`` and one ``processEvents()``), which is what a user waits for.

For attribution only, the child wraps (in its own process) three functions with a timer — the
dashboard's queries (``operations.dashboard.dashboard``), ``DashboardPage.refresh`` and
``DashboardPage._fit_columns`` — and imports ``gui.pages.dashboard_page`` just before
``MainWindow()`` rather than inside it. Offscreen (QT_QPA_PLATFORM=offscreen). Medians over --runs.

``--try`` runs EXPERIMENTS, i.e. not today's code; each replaces something in the child process
only, to measure what a change in govdesk/ would save (docs/benchmarks.md, "Start-up"):

* ``takedown-limit=N``: ``store.notice_store.postings_due`` with ``LIMIT N`` (the dashboard's
  应撤下的公示 list is unbounded today; its 超过公开时限 list is capped at 200);
* ``fast-calendar``: ``core.calendar.WorkCalendar._load_year`` reading chinese_calendar's
  ``holidays``/``workdays`` tables directly instead of calling ``chinese_calendar.is_workday``
  for each of the year's 365 days (which recomputes min/max over the whole holiday table on
  every call); the same flags (checked in the child against the original for 2016–2026);
* ``resize-precision=N``: ``QHeaderView.setResizeContentsPrecision(N)`` on the dashboard's
  tables (Qt's default, 1000, makes every ResizeToContents column ask the model for a size hint
  of up to 1,000 rows, ~20 data() calls per cell, on the first layout);
* ``no-sqlite-utils``: a ~60-line stand-in for the two things govdesk uses from sqlite-utils
  (``Database``: execute/executescript/atomic/conn/close; ``Migrations``: the registry and
  reading ``_sqlite_migrations``) put in ``sys.modules`` before govdesk is imported, so that
  sqlite-utils and what it imports (click, pluggy, dateutil, sqlite_fts4, tabulate…) are not
  loaded. Only valid on an already migrated database (it cannot apply migrations).

``--cold-db`` evicts the database file (not the libraries) from the OS page cache before each
app run, as after a reboot with Python and Qt already in the cache.

``--variant NAME=TRY[,TRY…]`` (repeatable) compares instead: each round runs the bare window,
today's app and every variant once, round robin, so that all share the machine's drifts (on a
shared 2-core VM the bare window alone varies between ~115 and ~200 ms from minute to minute);
it prints one line per variant.
"""

from __future__ import annotations

import time

T_SCRIPT = time.perf_counter()

# A child imports nothing else before its first step (os and sys are loaded at interpreter
# start anyway); argparse, json, statistics and subprocess are the parent's.
import os  # noqa: E402
import sys  # noqa: E402

FIRST_PAINT = "app.processEvents() (first paint)"


# ---- experiments -------------------------------------------------------------------------------


def install_sqlite_utils_stand_in() -> None:
    """Put a minimal ``sqlite_utils`` (what govdesk uses of it) in sys.modules."""
    import contextlib
    import secrets
    import types

    class Database:
        def __init__(self, conn, execute_plugins: bool = True, **_kw) -> None:
            self.conn = conn

        def execute(self, sql, parameters=None):
            return self.conn.execute(sql, parameters) if parameters is not None \
                else self.conn.execute(sql)

        def executescript(self, sql):
            if self.conn.in_transaction:
                raise NotImplementedError("stand-in: executescript inside a transaction")
            return self.conn.executescript(sql)

        @contextlib.contextmanager
        def atomic(self):
            if self.conn.in_transaction:
                sp = f"sp_{secrets.token_hex(8)}"
                self.conn.execute(f"SAVEPOINT {sp}")
                try:
                    yield self
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute(f"ROLLBACK TO SAVEPOINT {sp}")
                        self.conn.execute(f"RELEASE SAVEPOINT {sp}")
                    raise
                else:
                    self.conn.execute(f"RELEASE SAVEPOINT {sp}")
            else:
                self.conn.execute("BEGIN")
                try:
                    yield self
                except BaseException:
                    self.conn.rollback()
                    raise
                else:
                    self.conn.execute("COMMIT")

        def close(self):
            self.conn.close()

    class Migrations:
        class _Applied:
            def __init__(self, name, applied_at):
                self.name, self.applied_at = name, applied_at

        class _Migration:
            def __init__(self, name, fn, transactional):
                self.name, self.fn, self.transactional = name, fn, transactional

        def __init__(self, name):
            self.name = name
            self._migrations = []

        def __call__(self, *, name=None, transactional=True):
            def inner(fn):
                self._migrations.append(self._Migration(name or fn.__name__, fn, transactional))
                return fn
            return inner

        def applied(self, db):
            if not db.execute("SELECT 1 FROM sqlite_schema WHERE name = '_sqlite_migrations'"
                              ).fetchone():
                return []
            return [self._Applied(*r) for r in db.execute(
                "SELECT name, applied_at FROM _sqlite_migrations WHERE migration_set = ?"
                " ORDER BY rowid", [self.name])]

        def pending(self, db):
            done = {m.name for m in self.applied(db)}
            return [m for m in self._migrations if m.name not in done]

        def apply(self, db, **_kw):
            raise NotImplementedError("stand-in: cannot apply migrations")

    pkg = types.ModuleType("sqlite_utils")
    pkg.Database = Database
    mig = types.ModuleType("sqlite_utils.migrations")
    mig.Migrations = Migrations
    pkg.migrations = mig
    sys.modules["sqlite_utils"] = pkg
    sys.modules["sqlite_utils.migrations"] = mig


def install_fast_calendar() -> None:
    from datetime import date

    from chinese_calendar.constants import holidays, workdays

    from govdesk.core import calendar as cal

    original = cal.WorkCalendar._load_year

    def _load_year(self, year: int) -> list[int]:
        if not self._package_covers(year):
            return original(self, year)
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        overrides = self._overrides if year in self._override_years else {}
        flags: dict[date, bool] = {}
        ordinals: list[int] = []
        for ordinal in range(first, last + 1):
            d = date.fromordinal(ordinal)
            flag = overrides.get(d)
            if flag is None:
                flag = d in workdays or (d.weekday() < 5 and d not in holidays)
            flags[d] = flag
            if flag:
                ordinals.append(ordinal)
        self._days.update(flags)
        self._year_workdays[year] = ordinals
        return ordinals

    cal.WorkCalendar._load_year = _load_year
    if os.environ.get("TIMELINE_CHECK_CALENDAR"):  # equivalence check, not timed
        a, b = cal.WorkCalendar({}), cal.WorkCalendar({})
        for y in range(2016, 2027):
            if _load_year(a, y) != original(b, y):
                raise SystemExit(f"fast-calendar differs in {y}")


def install_resize_precision(page_cls, rows: int) -> None:
    from PySide6.QtWidgets import QTableView

    original = page_cls.__init__

    def __init__(self, *a, **kw):
        original(self, *a, **kw)
        for view in self.findChildren(QTableView):
            view.horizontalHeader().setResizeContentsPrecision(rows)

    page_cls.__init__ = __init__


def install_takedown_limit(limit: int) -> None:
    from govdesk.store import notice_store

    def postings_due_limited(db, until):
        return [notice_store._posting(r) for r in db.execute(
            notice_store._POSTING_SELECT + " WHERE p.removed_on IS NULL"
            " AND p.planned_removal IS NOT NULL AND p.planned_removal <= ?"
            " ORDER BY p.planned_removal, b.code LIMIT ?", [until.isoformat(), limit])]

    notice_store.postings_due = postings_due_limited


# ---- the children ------------------------------------------------------------------------------


def child_bare() -> None:
    marks: list[tuple[str, float]] = [("interpreter start (until this script runs)", T_SCRIPT)]

    def mark(label: str) -> None:
        marks.append((label, time.perf_counter()))

    from PySide6.QtWidgets import QApplication, QMainWindow
    mark("import PySide6.QtWidgets")
    app = QApplication(sys.argv[:1])
    mark("QApplication()")
    w = QMainWindow()
    w.resize(1280, 800)
    w.show()
    mark("QMainWindow() + show()")
    app.processEvents()
    mark(FIRST_PAINT)
    w.close()
    mark("close()")
    import json

    print(json.dumps({"marks": marks, "extra": {}, "rows": {}}), flush=True)


def child_app(db_arg: str, tries: list[str]) -> None:
    marks: list[tuple[str, float]] = [("interpreter start (until this script runs)", T_SCRIPT)]
    extra: dict[str, float] = {}

    def mark(label: str) -> None:
        marks.append((label, time.perf_counter()))

    if "no-sqlite-utils" in tries:
        install_sqlite_utils_stand_in()
    import govdesk.cli  # noqa: F401  (what `python -m govdesk` imports first)
    mark("import govdesk.cli (argparse, json …)")
    from PySide6 import QtWidgets  # noqa: F401
    mark("import PySide6.QtWidgets (+ QtCore, QtGui, shiboken)")
    from govdesk.app import make_app

    app = make_app()
    mark("make_app(): QApplication, font lookup")
    from govdesk.gui import messages  # noqa: F401
    mark("import gui.messages")
    from govdesk.gui.dialogs.login_dialog import FirstRunDialog, LoginDialog  # noqa: F401
    mark("import gui.dialogs.login_dialog (auth → argon2; context → sqlite-utils, store, core)")
    from govdesk.gui.main_window import MainWindow
    mark("import gui.main_window")
    from govdesk.operations import auth  # noqa: F401
    from govdesk.operations.context import Context
    from govdesk.paths import files_dir_for
    from govdesk.store.database import close, connect
    mark("import operations.auth/context, paths, store.database (already loaded)")
    from pathlib import Path

    db_path = Path(db_arg)  # as cli._db_path gives it to app.run
    db = connect(db_path, check=False)
    mark("database.connect(path, check=False)")
    ctx = Context(db, files_dir=files_dir_for(db_path))
    mark("Context(…)")

    from govdesk.gui.pages import dashboard_page
    from govdesk.operations import dashboard as dashboard_ops
    mark("import gui.pages.dashboard_page (normally inside MainWindow())")

    for t in tries:
        if t.startswith("takedown-limit="):
            install_takedown_limit(int(t.split("=", 1)[1]))
        elif t == "fast-calendar":
            install_fast_calendar()
        elif t.startswith("resize-precision="):
            install_resize_precision(dashboard_page.DashboardPage, int(t.split("=", 1)[1]))
        elif t != "no-sqlite-utils":  # installed before the first import
            raise SystemExit(f"unknown --try {t}")

    def timed(key, fn):
        def inner(*a, **kw):
            t0 = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                extra[key] = extra.get(key, 0.0) + time.perf_counter() - t0
        return inner

    dashboard_ops.dashboard = timed("queries: operations.dashboard.dashboard()",
                                    dashboard_ops.dashboard)
    page_cls = dashboard_page.DashboardPage
    page_cls.__init__ = timed("DashboardPage.__init__ (widgets, no data)", page_cls.__init__)
    page_cls.refresh = timed("DashboardPage.refresh (queries + models + columns)", page_cls.refresh)
    page_cls._fit_columns = staticmethod(timed("DashboardPage._fit_columns (ResizeToContents)",
                                               page_cls._fit_columns))
    models = dashboard_page.OverdueNoticeModel
    models.set_notices = timed("OverdueNoticeModel.set_notices (workdays over, per row)",
                               models.set_notices)

    window = MainWindow(ctx, str(db_path))
    mark("MainWindow(ctx) (builds the dashboard page)")
    window.show()
    mark("window.show() (the dashboard loads its data in showEvent)")
    app.processEvents()
    mark(FIRST_PAINT)
    window.close()
    mark("window.close() (saves geometry)")
    close(db)
    mark("database.close() (WAL checkpoint)")
    rows = {}
    page = window.pages.get("dashboard")
    if page is not None:
        rows = {"takedown rows": page.takedown_model.rowCount(),
                "overdue rows": page.overdue_model.rowCount()}
    if "no-sqlite-utils" in tries:
        loaded = sorted(m for m in ("click", "pluggy", "dateutil", "sqlite_fts4", "tabulate")
                        if m in sys.modules)
        rows["sqlite-utils' dependencies loaded anyway"] = ", ".join(loaded) or "none"
    import json

    print(json.dumps({"marks": marks, "extra": extra, "rows": rows}), flush=True)


# ---- the parent --------------------------------------------------------------------------------


def run_child(cmd: list[str], env: dict) -> dict:
    import json
    import subprocess

    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    t_end = time.perf_counter()
    r = json.loads(out.stdout.strip().splitlines()[-1])
    steps, prev = [], t0
    for label, t in r["marks"]:
        steps.append((label, (t - prev) * 1000))
        prev = t
    steps.append(("interpreter exit (after the last step)", (t_end - prev) * 1000))
    paint = next(t for label, t in r["marks"] if label == FIRST_PAINT)
    return {"steps": steps, "extra": {k: v * 1000 for k, v in r["extra"].items()},
            "total": (t_end - t0) * 1000, "paint": (paint - t0) * 1000, "rows": r["rows"]}


def table(runs: list[dict]) -> list[str]:
    import statistics

    out = ["| phase | ms (median) | cumulative |", "|---|---:|---:|"]
    cum = 0.0
    for i, (label, _) in enumerate(runs[0]["steps"]):
        ms = statistics.median(run["steps"][i][1] for run in runs)
        cum += ms
        out.append(f"| {label} | {ms:.1f} | {cum:.0f} |")
    out.append(f"| **whole process** (median of the runs' totals) |"
               f" **{statistics.median(r['total'] for r in runs):.0f}** | |")
    return out


def main() -> int:
    import argparse
    import statistics

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--try", dest="tries", action="append", default=[],
                    help="experiment (not today's code): takedown-limit=N, fast-calendar, "
                         "resize-precision=N, no-sqlite-utils; repeatable")
    ap.add_argument("--variant", action="append", default=[], metavar="NAME=TRY[,TRY…]",
                    help="compare today's app with these experiments, round robin")
    ap.add_argument("--pycache", metavar="DIR",
                    help="as bench_startup.py: PYTHONPYCACHEPREFIX=DIR (bytecode cached)")
    ap.add_argument("--cold-db", action="store_true",
                    help="evict the database file (only) from the OS cache before each app run")
    ap.add_argument("--child", choices=["app", "bare"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_startup import bytecode_note, child_env

    env = child_env(args.pycache)
    tries = [x for t in args.tries for x in ("--try", t)]
    app_cmd = [sys.executable, __file__, "--db", args.db, "--child", "app", *tries]
    bare_cmd = [sys.executable, __file__, "--db", args.db, "--child", "bare"]
    if args.variant:
        return compare(args, env, bare_cmd)
    # warm the OS cache once for both; check the fast-calendar stand-in gives the same flags
    run_child(app_cmd, {**env, "TIMELINE_CHECK_CALENDAR": "1"})
    run_child(bare_cmd, env)
    apps, bares = [], []
    for _ in range(args.runs):
        bares.append(run_child(bare_cmd, env))
        if args.cold_db:
            from bench_register import evict_from_os_cache

            evict_from_os_cache(args.db)
        apps.append(run_child(app_cmd, env))
    flags = "".join(f" --try {t}" for t in args.tries)
    flags += f" --pycache {args.pycache}" if args.pycache else ""
    flags += " --cold-db" if args.cold_db else ""
    print(f"`python bench/startup_timeline.py --db {args.db} --runs {args.runs}{flags}`"
          f"{' (EXPERIMENT: not today’s code)' if args.tries else ''}: medians of {args.runs}"
          " fresh processes each, app and bare window alternately, ms; "
          f"{bytecode_note(args.pycache)}\n")
    print("\n".join(table(apps)))
    print("\nInside the steps above (medians, ms):\n")
    for key in apps[0]["extra"]:
        print(f"* {key}: {statistics.median(run['extra'][key] for run in apps):.1f}")
    if apps[0]["rows"]:
        print("* " + ", ".join(f"{k}: {v:,}" if isinstance(v, int) else f"{k}: {v}"
                               for k, v in apps[0]["rows"].items()))
    print("\nBare PySide6 window (bench_startup.py's script, with the same marks):\n")
    print("\n".join(table(bares)))
    ap_, bp = (statistics.median(r["paint"] for r in x) for x in (apps, bares))
    at, bt = (statistics.median(r["total"] for r in x) for x in (apps, bares))
    print(f"\n| measure | govdesk | bare window | ratio |\n|---|---:|---:|---:|\n"
          f"| start to first paint | {ap_:.0f} ms | {bp:.0f} ms | {ap_ / bp:.2f}× |\n"
          f"| whole process | {at:.0f} ms | {bt:.0f} ms | {at / bt:.2f}× |")
    return 0


def compare(args, env: dict, bare_cmd: list[str]) -> int:
    import statistics

    from bench_startup import bytecode_note

    base = [sys.executable, __file__, "--db", args.db, "--child", "app"]
    cmds = {"bare QMainWindow": bare_cmd, "govdesk today": base}
    for v in args.variant:
        name, tries = v.split("=", 1)
        cmds[name] = base + [x for t in tries.split(",") for x in ("--try", t)]
    for cmd in cmds.values():  # warm-up; the calendar stand-in is checked against the original
        run_child(cmd, {**env, "TIMELINE_CHECK_CALENDAR": "1"})
    res: dict[str, list[dict]] = {k: [] for k in cmds}
    for _ in range(args.runs):
        for k, cmd in cmds.items():
            res[k].append(run_child(cmd, env))
    med = {k: (statistics.median(r["paint"] for r in v), statistics.median(r["total"] for r in v))
           for k, v in res.items()}
    bp, bt = med["bare QMainWindow"]
    tp, tt = med["govdesk today"]
    variants = " ".join(f"--variant {v}" for v in args.variant)
    print(f"`python bench/startup_timeline.py --db {args.db} --runs {args.runs} {variants}"
          f"{' --pycache ' + args.pycache if args.pycache else ''}` (EXPERIMENTS): {args.runs} "
          f"rounds, each runs every line once in a fresh process; medians; "
          f"{bytecode_note(args.pycache)}\n")
    print("| variant | start to first paint ms | × bare | saved vs today | whole process ms |"
          " × bare | saved vs today |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for k, (p, t) in med.items():
        saved = "" if k.startswith("bare") else f"{tp - p:.0f}"
        saved_t = "" if k.startswith("bare") else f"{tt - t:.0f}"
        print(f"| {k} | {p:.0f} | {p / bp:.2f} | {saved} | {t:.0f} | {t / bt:.2f} | {saved_t} |")
    return 0


def child_main(argv: list[str]) -> int:
    """``--db DB --child app|bare [--try T]…`` without argparse (not imported by the app)."""
    kind = argv[argv.index("--child") + 1]
    if kind == "bare":
        child_bare()
    else:
        tries = [argv[i + 1] for i, a in enumerate(argv) if a == "--try"]
        child_app(argv[argv.index("--db") + 1], tries)
    return 0


if __name__ == "__main__":
    raise SystemExit(child_main(sys.argv) if "--child" in sys.argv else main())
