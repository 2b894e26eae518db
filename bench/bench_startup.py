"""App start to an interactive main window, against a bare PySide6 window, measured alternately.

    python bench/bench_startup.py --db bench/out/bench-120k.db [--runs 10] [--pycache DIR]

Each run is a whole fresh process (interpreter start, imports, database open, window shown, one
round of events, exit), timed from the parent: `govdesk --smoke-test --db DB` against a script
that shows an empty QMainWindow the same way. Offscreen, so the numbers exclude the window
manager. bench/startup_timeline.py breaks the app's time down by phase.

Bytecode: with PYTHONDONTWRITEBYTECODE=1 in the environment (as in the development sandbox) and
an editable install, govdesk's own modules have no .pyc and are compiled from source in every
run, while site-packages were compiled by pip. An installed app has bytecode for everything.
``--pycache DIR`` runs both children with PYTHONPYCACHEPREFIX=DIR and without
PYTHONDONTWRITEBYTECODE (the warm-up run writes the cache), i.e. as installed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

BARE = (
    "import sys\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication(sys.argv[:1])\n"
    "w = QMainWindow(); w.resize(1280, 800); w.show(); app.processEvents(); w.close()\n"
)


def child_env(pycache: str | None) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if pycache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = os.path.abspath(pycache)
    return env


def bytecode_note(pycache: str | None) -> str:
    if pycache:
        return f"bytecode: cached for every module (PYTHONPYCACHEPREFIX={pycache})"
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return ("bytecode: PYTHONDONTWRITEBYTECODE is set, so modules without a __pycache__ "
                "(govdesk's own, in an editable install) are compiled in every run")
    return "bytecode: as the environment has it"


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--pycache", metavar="DIR",
                   help="run both with PYTHONPYCACHEPREFIX=DIR (bytecode cached, as installed)")
    args = p.parse_args()
    env = child_env(args.pycache)
    app_cmd = [sys.executable, "-m", "govdesk", "--smoke-test", "--db", args.db]
    bare_cmd = [sys.executable, "-c", BARE]
    timed(app_cmd, env)  # warm the OS file cache (and the bytecode cache) once for both
    timed(bare_cmd, env)
    bare, app = [], []
    for _ in range(args.runs):
        bare.append(timed(bare_cmd, env))
        app.append(timed(app_cmd, env))
    mb, ma = statistics.median(bare), statistics.median(app)
    print(f"bare PySide6 window: median {mb * 1000:.0f} ms (min {min(bare) * 1000:.0f}, max {max(bare) * 1000:.0f})")
    print(f"govdesk main window: median {ma * 1000:.0f} ms (min {min(app) * 1000:.0f}, max {max(app) * 1000:.0f})")
    print(f"ratio: {ma / mb:.2f}x (target <= 2.0x, goal 1.5x)")
    # each app run against the bare run just before it: less sensitive to the machine drifting
    pairs = [a / b for a, b in zip(app, bare, strict=True)]
    print(f"paired ratios: median {statistics.median(pairs):.2f}x "
          f"(min {min(pairs):.2f}, max {max(pairs):.2f})")
    print(f"{args.runs} runs each, alternately; db {args.db}; {bytecode_note(args.pycache)}")


if __name__ == "__main__":
    main()
