"""D4 disk full, simulated with ``PRAGMA max_page_count``: the limit is set to the current size
+ k pages for k = 0, 1, 2 … so that the write fails on every page boundary the operation crosses
(a sample of them for the 500-row import, each for the approval). Every failure must give the
Chinese message 磁盘空间不足, leave every table exactly as before (per-table digest),
integrity_check ok and no transaction open; once the limit is lifted the same operation
succeeds on the same connection and is read back through a fresh one (D6)."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from conftest import approve_all, as_user, notice_input
from reliability_world import database_problems, table_digest

from govdesk.core.approvals import Decision
from govdesk.core.errors import UserError
from govdesk.operations import approvals, ledger
from govdesk.operations import notices as notice_ops
from govdesk.operations.context import Context
from govdesk.store.database import close, connect

NO_LIMIT = 1_073_741_823
ROWS = 500


def ledger_csv(path: Path, rows: int = ROWS) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["标题", "类别", "责任单位", "形成日期", "公开方式", "正文"])
        for i in range(rows):
            w.writerow([f"关于柳河村第{i + 1}号事项的公示", "社会救助", "民政办", "2025-03-01",
                        "公开栏", "经村民代表评议、镇人民政府审核，现予以公示。" * 4])
    return path


def pages(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA page_count").fetchone()[0]


def sweep(ctx: Context, run, ks):
    """Run ``run`` with the limit at size + k for each k until it succeeds; returns (k, result,
    number of failures). Checks every failure."""
    conn = ctx.db.conn
    before = table_digest(conn)
    base = pages(conn)
    failures = 0
    for k in ks:
        conn.execute(f"PRAGMA max_page_count={base + k}")
        try:
            result = run()
        except UserError as exc:
            assert "磁盘空间不足" in exc.message, exc.message
            assert not conn.in_transaction, f"k={k}: a transaction was left open"
            assert table_digest(conn) == before, f"k={k}: the failed write changed tables"
            assert database_problems(conn) == [], k
            failures += 1
            continue
        finally:
            conn.execute(f"PRAGMA max_page_count={NO_LIMIT}")
        return k, result, failures
    raise AssertionError(f"still failing at k={k}")


def fresh(ctx: Context):
    """The same database through a new connection (D6)."""
    return connect(ctx.db.conn.execute("PRAGMA database_list").fetchone()[2])


def test_a_500_row_import_fails_cleanly_on_every_page_boundary(ctx, users, tmp_path):
    source = ledger_csv(tmp_path / "台账.csv")
    # How many pages the import needs: a dry run on a copy made with the backup API.
    copy = tmp_path / "copy" / "govdesk.db"
    copy.parent.mkdir()
    dst = sqlite3.connect(copy)
    ctx.db.conn.backup(dst)
    dst.close()
    db2 = connect(copy)
    try:
        before = pages(db2.conn)
        assert ledger.import_notices(as_user(Context(db2, clock=ctx.clock), ctx.user),
                                     source).created == ROWS
        needed = pages(db2.conn) - before
    finally:
        close(db2)
    assert needed > 50  # the import really spans many page boundaries
    ks = sorted({0, 1, 2, 3, *range(5, needed, max(1, needed // 8)), needed - 2, needed - 1,
                 *range(needed, needed + 200)})
    k, result, failures = sweep(ctx, lambda: ledger.import_notices(ctx, source), ks)
    assert result.created == ROWS and failures >= 10
    print(f"import: {needed} pages needed, {failures} failures, succeeded at k={k}")
    db = fresh(ctx)
    try:
        assert db.execute("SELECT count(*) FROM notice").fetchone()[0] == ROWS
        assert database_problems(db.conn) == []
    finally:
        close(db)


def test_an_approval_fails_cleanly_on_every_page_boundary(ctx, users):
    notice = notice_ops.create_notice(ctx, notice_input(ctx))
    notice_ops.submit_notice(ctx, notice.id)
    view = approvals.latest_slip(ctx, notice.id)
    signer = as_user(ctx, users[view.current_stage.role])
    k, view, failures = sweep(ctx, lambda: approvals.decide(signer, view.id, Decision.APPROVE),
                              range(0, 200))
    assert view.state.current == 1 and failures >= 1
    db = fresh(ctx)
    try:
        assert db.execute("SELECT count(*) FROM approval WHERE kind='decide'").fetchone()[0] == 1
        assert db.execute("SELECT count(*) FROM audit_log WHERE action='approve'"
                          ).fetchone()[0] == 1
        assert database_problems(db.conn) == []
    finally:
        close(db)
    approve_all(ctx, users, notice.id, submit=False)  # and the chain goes on from there
