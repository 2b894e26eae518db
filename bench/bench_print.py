"""Printing speed: one notice in-process (after the first), a 100-notice batch into one PDF,
one notice as a whole process, and the peer — LibreOffice converting the same notices written
as .docx — for the ratios the issue asks for.

    python bench/bench_print.py [--db bench/out/print-demo.db] [--runs 5] [--no-peer]
                                [--source-bytecode]

Needs `python-docx` (bench only) and `soffice` (Debian: libreoffice-writer-nogui) for the peer.

The whole-process runs are timed as installed: the children get a bytecode cache of their own
(PYTHONPYCACHEPREFIX, written by a warm-up run), because with PYTHONDONTWRITEBYTECODE=1 and an
editable install govdesk's own modules are otherwise compiled from source in every run, which an
installed app never does (40–50 ms here). ``--source-bytecode`` measures the latter instead.
One govdesk run and one LibreOffice run alternate, so drift in the machine's load hits both.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from govdesk.core.notices import NoticeFilter
from govdesk.operations import printing
from govdesk.operations.context import Context
from govdesk.operations.demo import build_demo
from govdesk.operations.notices import get_notice, query
from govdesk.store.database import connect


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def write_docx(notice, path: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.add_heading(notice.title, level=1)
    for line in notice.body.splitlines():
        if line.strip():
            p = doc.add_paragraph(line)
            p.runs[0].font.size = Pt(16)
    doc.add_paragraph(notice.owner)
    doc.add_paragraph(f"{notice.formed_on.year}年{notice.formed_on.month}月{notice.formed_on.day}日")
    doc.save(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="bench/out/print-demo.db")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--source-bytecode", action="store_true")
    args = ap.parse_args()
    db_path = Path(args.db)
    if not db_path.exists():
        db_path.parent.mkdir(parents=True, exist_ok=True)
        build_demo(connect(db_path))
    ctx = Context(connect(db_path, check=False))
    # printing for posting needs fully approved content: the 100 newest that have it
    printable = ("已批准", "已公开", "已撤下", "已失效")
    ids = [n.id for n in query(ctx, NoticeFilter(), limit=400) if n.status.value in printable]
    ids = ids[:100]
    out = Path(tempfile.mkdtemp(prefix="govdesk-bench-print-"))
    try:
        t = time.perf_counter()
        printing.print_notice(ctx, ids[0], out / "first.pdf")
        first = time.perf_counter() - t
        singles = []
        for i in range(args.runs * 4):
            t = time.perf_counter()
            printing.print_notice(ctx, ids[i % len(ids)], out / "one.pdf")
            singles.append(time.perf_counter() - t)
        size = (out / "one.pdf").stat().st_size
        batches = []
        for _ in range(args.runs):
            t = time.perf_counter()
            pages = printing.print_notices(ctx, ids, out / "batch.pdf", cover_title="基准测试")
            batches.append(time.perf_counter() - t)
        cmd = [sys.executable, "-m", "govdesk", "print", "notice", str(ids[0]), "-o",
               str(out / "proc.pdf"), "--db", str(db_path)]
        env = dict(os.environ)
        if not args.source_bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(out / "pycache")
        subprocess.run(cmd, check=True, capture_output=True, env=env)  # warm: bytecode, fonts

        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        peer = soffice and not args.no_peer
        if peer:
            docs = out / "docx"
            docs.mkdir()
            for i, nid in enumerate(ids):
                write_docx(get_notice(ctx, nid), docs / f"n{i:03}.docx")
            profile = f"-env:UserInstallation=file://{out / 'lo-profile'}"
            base = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir",
                    str(out / "lo")]
            subprocess.run(base + [str(docs / "n000.docx")], check=True, capture_output=True)

        procs, one = [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=env)
            procs.append(time.perf_counter() - t)
            if peer:
                t = time.perf_counter()
                subprocess.run(base + [str(docs / "n000.docx")], check=True, capture_output=True)
                one.append(time.perf_counter() - t)
        print(f"first notice in a process: {ms(first)}")
        print(f"one notice, after the first: median {ms(statistics.median(singles))}, "
              f"max {ms(max(singles))} (last PDF {size / 1024:.0f} KB)")
        print(f"100 notices into one PDF ({pages} pages): median {statistics.median(batches):.2f} s")
        print(f"one notice as a whole process (govdesk print notice): median "
              f"{ms(statistics.median(procs))}, min {ms(min(procs))} "
              f"({'bytecode compiled from source' if args.source_bytecode else 'as installed'})")
        if not peer:
            print("peer: skipped (no soffice)" if not soffice else "peer: skipped")
            return
        many = []
        for _ in range(max(1, args.runs // 2)):
            t = time.perf_counter()
            subprocess.run(base + sorted(str(p) for p in docs.glob("*.docx")), check=True,
                           capture_output=True)
            many.append(time.perf_counter() - t)
        lo1, lo100 = statistics.median(one), statistics.median(many)
        print(f"peer, one .docx → PDF as a process: median {ms(lo1)}, min {ms(min(one))} "
              f"→ ratio {lo1 / statistics.median(procs):.1f}× (target ≥ 3×)")
        print(f"peer, 100 .docx → PDF in one call: median {lo100:.2f} s "
              f"→ ratio {lo100 / statistics.median(batches):.1f}× (target ≥ 5×)")
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
