"""App start to an interactive main window, against a bare PySide6 window, measured alternately.

    python bench/bench_startup.py [--db bench/out/bench-120k.db] [--runs 10]

Each run is a whole fresh process (interpreter start, imports, database open, window shown, one
round of events), timed from the parent: `govdesk --smoke-test --db DB` against a script that
shows an empty QMainWindow the same way. Offscreen, so the numbers exclude the window manager.
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


def timed(cmd: list[str]) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--runs", type=int, default=10)
    args = p.parse_args()
    app_cmd = [sys.executable, "-m", "govdesk", "--smoke-test", "--db", args.db]
    bare_cmd = [sys.executable, "-c", BARE]
    timed(app_cmd)  # warm the OS file cache once for both
    timed(bare_cmd)
    bare, app = [], []
    for _ in range(args.runs):
        bare.append(timed(bare_cmd))
        app.append(timed(app_cmd))
    mb, ma = statistics.median(bare), statistics.median(app)
    print(f"bare PySide6 window: median {mb * 1000:.0f} ms (min {min(bare) * 1000:.0f}, max {max(bare) * 1000:.0f})")
    print(f"govdesk main window: median {ma * 1000:.0f} ms (min {min(app) * 1000:.0f}, max {max(app) * 1000:.0f})")
    print(f"ratio: {ma / mb:.2f}x (target <= 2.0x, goal 1.5x)")


if __name__ == "__main__":
    main()
