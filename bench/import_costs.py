"""What the app's start-up imports cost, two ways.

    python bench/import_costs.py --db bench/out/demo-startup.db [--runs 7] [--pycache DIR]

1. ``python -X importtime -m govdesk --smoke-test --db DB`` (offscreen), --runs times: the
   median *cumulative* time of a few packages as -X importtime reports them (importtime's own
   overhead inflates them somewhat), and the median of the sum of all self times.
2. Without importtime: a fresh process imports the modules below one after the other, in the
   order the smoke test loads them, and times each import; the median *incremental* cost of each
   (what it adds on top of those before it).

--pycache DIR: as bench_startup.py (PYTHONPYCACHEPREFIX=DIR, bytecode cached as when installed).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_startup import bytecode_note, child_env  # noqa: E402

CUMULATIVE = ["PySide6.QtWidgets", "sqlite_utils", "sqlite_utils.utils", "sqlite_utils.plugins",
              "click", "pluggy", "argon2", "chinese_calendar",
              "govdesk.cli", "govdesk.operations.context", "govdesk.operations.auth",
              "govdesk.gui.dialogs.login_dialog", "govdesk.gui.main_window",
              "govdesk.gui.pages.dashboard_page"]

IN_ORDER = ["govdesk.cli", "PySide6.QtWidgets", "govdesk.app", "govdesk.gui.messages",
            "sqlite_utils", "argon2", "govdesk.operations.context", "govdesk.operations.auth",
            "govdesk.gui.dialogs.login_dialog", "govdesk.gui.main_window",
            "govdesk.gui.pages.dashboard_page"]

_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def importtime(db: str, env: dict) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "govdesk", "--smoke-test",
                          "--db", db], env=env, capture_output=True, text=True, check=True)
    cum: dict[str, float] = {}
    total = 0
    for line in out.stderr.splitlines():
        m = _LINE.match(line)
        if m:
            total += int(m.group(1))
            cum.setdefault(m.group(4), int(m.group(2)) / 1000)
    cum["(sum of all self times)"] = total / 1000
    for line in out.stderr.splitlines():  # self times summed by top-level package
        m = _LINE.match(line)
        if m:
            top = _group(m.group(4))
            cum[f"pkg:{top}"] = cum.get(f"pkg:{top}", 0.0) + int(m.group(1)) / 1000
    return cum


def _group(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "govdesk":
        return ".".join(parts[:2]) if len(parts) > 1 else "govdesk"
    if parts[0] in ("PySide6", "shiboken6", "shibokensupport"):
        return "PySide6 + shiboken6"
    if parts[0] in ("argon2", "_argon2_cffi_bindings", "_cffi_backend", "cffi"):
        return "argon2-cffi"
    return parts[0] if parts[0] in THIRD_PARTY else "(standard library)"


THIRD_PARTY = {"sqlite_utils", "click", "pluggy", "dateutil", "sqlite_fts4", "tabulate",
               "chinese_calendar", "six", "openpyxl", "PIL", "__editable___govdesk_0_1_0_finder"}


def in_order(env: dict) -> list[tuple[str, float]]:
    code = ("import importlib, time\n"
            f"for m in {IN_ORDER!r}:\n"
            "    t = time.perf_counter(); importlib.import_module(m)\n"
            "    print(m, (time.perf_counter() - t) * 1000)\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    return [(a, float(b)) for a, b in (line.split() for line in out.stdout.splitlines())]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--pycache", metavar="DIR")
    args = ap.parse_args()
    env = child_env(args.pycache)
    importtime(args.db, env)  # warm-up (and bytecode cache)
    runs = [importtime(args.db, env) for _ in range(args.runs)]
    print(f"`python bench/import_costs.py --db {args.db} --runs {args.runs}"
          f"{' --pycache ' + args.pycache if args.pycache else ''}`; {bytecode_note(args.pycache)}\n")
    print("| module (`-X importtime -m govdesk --smoke-test`) | cumulative ms, median |")
    print("|---|---:|")
    for name in [*CUMULATIVE, "(sum of all self times)"]:
        vals = [r[name] for r in runs if name in r]
        shown = f"{statistics.median(vals):.1f}" if len(vals) == len(runs) else "not imported"
        print(f"| {name} | {shown} |")
    groups = sorted({k for r in runs for k in r if k.startswith("pkg:")},
                    key=lambda k: -statistics.median(r.get(k, 0.0) for r in runs))
    print("\n| package (`-X importtime`), self times summed | ms, median |")
    print("|---|---:|")
    for k in groups:
        print(f"| {k[4:]} | {statistics.median(r.get(k, 0.0) for r in runs):.1f} |")
    orders = [in_order(env) for _ in range(args.runs)]
    print("\n| imported in this order, no importtime | incremental ms, median |")
    print("|---|---:|")
    for i, name in enumerate(IN_ORDER):
        print(f"| {name} | {statistics.median(o[i][1] for o in orders):.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
