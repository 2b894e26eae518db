"""A small township on a real database file, built through the app's own operations, for the
reliability tests (kill loop D2, disk full D4): accounts for every role, 50 communities and two
filled-in 月抽查记分表 of 50 rows each. Also the checks those tests share: a per-table digest,
the database checks (integrity, foreign keys, audit chain) and the D2 invariants.

Importable by the kill-loop child too, so it uses nothing from pytest or conftest."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

YEAR, MONTH = 2025, 7
COMMUNITIES = 50
PASSWORD = "测试口令-Sentinel-9f3a"
NOW = datetime(2025, 11, 20, 4, 0, tzinfo=UTC)


class FixedClock:
    def __init__(self, when: datetime = NOW) -> None:
        self.now = when

    def __call__(self) -> datetime:
        return self.now


def signed_in(db, user, *, files_dir: Path | None = None):
    """``user`` signed in just now (a decision needs no second password for 5 minutes)."""
    from govdesk.operations.context import Context

    clock = FixedClock()
    return Context(db, user=user, clock=clock, files_dir=files_dir, authenticated_at=clock())


def users_by_role(db) -> dict:
    from govdesk.store import user_store

    return {u.role: u for u in user_store.list_users(db)}


def notice_input(ctx, n: int):
    from govdesk.core.notices import NoticeInput, PeriodUnit, PostingPeriod
    from govdesk.operations import lists

    cats = {c.name: c.id for c in lists.categories(ctx)}
    chans = {c.name: c.id for c in lists.channels(ctx)}
    return NoticeInput(
        title=f"关于柳河村2025年第三季度低保对象的公示（第{n}批）",
        body="根据《社会救助暂行办法》规定，经村民代表评议、镇人民政府审核，现予以公示。\n"
             f"一、公示对象\n姓名|村别|保障人数\n王*明|柳河村|{n % 5 + 1}\n"
             "二、公示期间如有异议，请向镇民政办反映。",
        doc_number="", category_id=cats["社会救助"], unit_id=2, formed_on=date(2025, 11, 3),
        channel_ids=(chans["公开栏"], chans["门户网站"]),
        period=PostingPeriod(date(2025, 11, 10), date(2025, 11, 16), PeriodUnit.DAYS),
    )


def fill_score_sheet(template: Path, out: Path, points: int) -> Path:
    """Deduct ``points`` on indicator 1.1 for every community (as typed in WPS)."""
    from openpyxl import load_workbook

    from govdesk.export import score_sheet as ss

    wb = load_workbook(template)
    ws = wb[ss.GRID_SHEET]
    column = {r[2]: r[1] for r in wb[ss.META_SHEET].iter_rows(values_only=True)
              if r[0] == "indicator"}["1.1"]
    ws["C3"], ws["C4"] = "刘欣", date(2025, 7, 25)
    for r in range(ss.FIRST_DATA_ROW, ws.max_row + 1):
        if ws.cell(row=r, column=2).value:
            ws.cell(row=r, column=column, value=points)
    wb.save(out)
    return out


@dataclass
class World:
    db_path: Path
    sheets: dict[str, Path] = field(default_factory=dict)  # tag → filled score sheet


def build_world(folder: Path, *, communities: int = COMMUNITIES) -> World:
    """Create ``folder``/govdesk.db through the operations and close it checkpointed."""
    from govdesk.core.org import Role
    from govdesk.operations import auth, score_import
    from govdesk.operations.context import Context
    from govdesk.operations.org import save_org_item
    from govdesk.store.database import close, connect

    folder.mkdir(parents=True, exist_ok=True)
    world = World(folder / "govdesk.db")
    db = connect(world.db_path)
    try:
        ctx = Context(db, clock=FixedClock(), files_dir=folder / "files")
        admin = auth.create_user(ctx, "admin", "管理员", Role.ADMIN, PASSWORD)
        ctx = signed_in(db, admin)
        for role, login, name in (
            (Role.CLERK, "clerk", "刘欣"), (Role.UNIT_HEAD, "head", "赵国强"),
            (Role.SECRECY_OFFICER, "secrecy", "孙丽"), (Role.DEPUTY_LEADER, "deputy", "王建华"),
            (Role.PRINCIPAL_LEADER, "leader", "陈志远"),
        ):
            auth.create_user(ctx, login, name, role, PASSWORD)
        for i in range(communities):
            save_org_item(ctx, "community", {"name": f"第{i + 1:02d}村", "kind": "村"})
        clerk = signed_in(db, users_by_role(db)[Role.CLERK])
        template = folder / "记分表模板.xlsx"
        assert score_import.write_template(clerk, YEAR, MONTH, template) == communities
        # Two different fillings of the same month: importing one after the other (replace)
        # changes every one of the 50 rows.
        for tag, points in (("A", 2), ("B", 4)):
            world.sheets[tag] = fill_score_sheet(template, folder / f"记分表{tag}.xlsx", points)
    finally:
        close(db)
    return world


def sheet_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------- checks


def table_digest(conn: sqlite3.Connection) -> dict[str, str]:
    """SHA-256 of every table's rows (sorted), by table name."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' "
        "ORDER BY name")]
    out = {}
    for name in names:
        rows = sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{name}"'))
        out[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return out


def database_problems(conn: sqlite3.Connection) -> list[str]:
    """integrity_check, foreign_key_check and the audit hash chain (A2)."""
    from sqlite_utils import Database

    from govdesk.core.audit import verify_chain
    from govdesk.store import audit_store

    problems = []
    integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        problems.append(f"integrity_check: {integrity[:5]}")
    fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    if fk:
        problems.append(f"foreign_key_check: {fk[:5]}")
    bad = verify_chain(audit_store.iter_entries(Database(conn, execute_plugins=False)))
    if bad is not None:
        problems.append(f"audit chain breaks at seq {bad}")
    return problems
