"""The year's work plan (tables ``work_plan``, ``plan_section``, ``plan_task``,
``plan_task_owner``, ``plan_progress``, ``plan_evidence``; migration 0013). Rows become
core.work_plan records here; the operations hold the transactions and the rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlite_utils import Database

from govdesk.core.work_plan import (
    Deadline,
    Evidence,
    PlanSection,
    PlanTask,
    ProgressNote,
    TaskInput,
    TaskState,
    WorkPlan,
)

# notice.status values that mean "made public" (core.notices.DISCLOSED_STATUSES)
_DISCLOSED = ("已公开", "已撤下", "已失效")


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


# ---- plans ----------------------------------------------------------------------------------

_PLAN_COLS = "id, year, title, intro, issued_on"


def _plan(r: tuple) -> WorkPlan:
    return WorkPlan(id=r[0], year=r[1], title=r[2], intro=r[3], issued_on=_d(r[4]))


def get_plan(db: Database, plan_id: int) -> WorkPlan | None:
    r = db.execute(f"SELECT {_PLAN_COLS} FROM work_plan WHERE id = ?", [plan_id]).fetchone()
    return _plan(r) if r else None


def plan_of_year(db: Database, year: int) -> WorkPlan | None:
    r = db.execute(f"SELECT {_PLAN_COLS} FROM work_plan WHERE year = ?", [year]).fetchone()
    return _plan(r) if r else None


def plan_years(db: Database) -> list[int]:
    return [r[0] for r in db.execute("SELECT year FROM work_plan ORDER BY year")]


def insert_plan(db: Database, year: int, title: str, intro: str, issued_on: date | None, *,
                created_by: int | None, now: str) -> int:
    cur = db.execute(
        "INSERT INTO work_plan (year, title, intro, issued_on, created_by, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [year, title, intro, issued_on.isoformat() if issued_on else None, created_by, now, now])
    return int(cur.lastrowid)


def update_plan(db: Database, plan_id: int, title: str, intro: str, issued_on: date | None, *,
                now: str) -> None:
    db.execute("UPDATE work_plan SET title = ?, intro = ?, issued_on = ?, updated_at = ?"
               " WHERE id = ?",
               [title, intro, issued_on.isoformat() if issued_on else None, now, plan_id])


# ---- sections -------------------------------------------------------------------------------


def _section(r: tuple) -> PlanSection:
    return PlanSection(id=r[0], plan_id=r[1], seq=r[2], title=r[3])


def sections_of_plan(db: Database, plan_id: int) -> list[PlanSection]:
    return [_section(r) for r in db.execute(
        "SELECT id, plan_id, seq, title FROM plan_section WHERE plan_id = ? ORDER BY seq, id",
        [plan_id])]


def get_section(db: Database, section_id: int) -> PlanSection | None:
    r = db.execute("SELECT id, plan_id, seq, title FROM plan_section WHERE id = ?",
                   [section_id]).fetchone()
    return _section(r) if r else None


def insert_section(db: Database, plan_id: int, title: str) -> int:
    seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM plan_section WHERE plan_id = ?",
                     [plan_id]).fetchone()[0]
    cur = db.execute("INSERT INTO plan_section (plan_id, seq, title) VALUES (?, ?, ?)",
                     [plan_id, seq, title])
    return int(cur.lastrowid)


def rename_section(db: Database, section_id: int, title: str) -> None:
    db.execute("UPDATE plan_section SET title = ? WHERE id = ?", [title, section_id])


def set_section_order(db: Database, section_ids: Sequence[int]) -> None:
    for seq, section_id in enumerate(section_ids, 1):
        db.execute("UPDATE plan_section SET seq = ? WHERE id = ?", [seq, section_id])


def delete_section(db: Database, section_id: int) -> None:
    # (the tasks, their owners, notes and evidence go by ON DELETE CASCADE)
    db.execute("DELETE FROM plan_section WHERE id = ?", [section_id])


# ---- tasks ----------------------------------------------------------------------------------

_TASK_COLS = ("t.id, t.section_id, t.seq, t.text, t.due_on, t.due_text, t.all_units,"
              " t.all_communities, t.category_id, t.state, t.reason, coalesce(c.name, '')")
_TASK_FROM = "plan_task t LEFT JOIN category c ON c.id = t.category_id"


def _owners(db: Database, task_ids: Sequence[int]) -> dict[int, list[tuple[str, int, str]]]:
    """task id → [(kind, id, name)] (put in display order by _tasks)."""
    out: dict[int, list[tuple[str, int, str]]] = {t: [] for t in task_ids}
    if not task_ids:
        return out
    marks = ",".join("?" * len(task_ids))
    for task_id, kind, owner_id, name in db.execute(
        "SELECT o.task_id, 'unit', u.id, u.name FROM plan_task_owner o JOIN unit u"
        f" ON u.id = o.unit_id WHERE o.task_id IN ({marks})"
        " UNION ALL SELECT o.task_id, 'community', m.id, m.name FROM plan_task_owner o"
        f" JOIN community m ON m.id = o.community_id WHERE o.task_id IN ({marks})",
        [*task_ids, *task_ids],
    ):
        out[task_id].append((kind, owner_id, name))
    return out


def _tasks(db: Database, rows: Iterable[tuple]) -> list[PlanTask]:
    rows = list(rows)
    owners = _owners(db, [r[0] for r in rows])
    sort = _owner_sort(db)
    out = []
    for r in rows:
        own = sorted(owners[r[0]], key=lambda o: (o[0] != "unit", sort.get(o[:2], (0, 0)), o[1]))
        out.append(PlanTask(
            id=r[0], section_id=r[1], seq=r[2], text=r[3],
            deadline=Deadline(on=_d(r[4])) if r[4] else Deadline(wording=r[5]),
            unit_ids=tuple(o[1] for o in own if o[0] == "unit"),
            community_ids=tuple(o[1] for o in own if o[0] == "community"),
            all_units=bool(r[6]), all_communities=bool(r[7]), category_id=r[8],
            state=TaskState(r[9]), reason=r[10], owner_names=tuple(o[2] for o in own),
            category=r[11]))
    return out


def _owner_sort(db: Database) -> dict[tuple[str, int], tuple[int, int]]:
    out: dict[tuple[str, int], tuple[int, int]] = {}
    for kind, table in (("unit", "unit"), ("community", "community")):
        for owner_id, sort in db.execute(f"SELECT id, sort FROM {table}"):
            out[(kind, owner_id)] = (sort, owner_id)
    return out


def tasks_of_plan(db: Database, plan_id: int) -> list[PlanTask]:
    """Every task of a plan, by section order then task order."""
    return _tasks(db, db.execute(
        f"SELECT {_TASK_COLS} FROM {_TASK_FROM} JOIN plan_section s ON s.id = t.section_id"
        " WHERE s.plan_id = ? ORDER BY s.seq, s.id, t.seq, t.id", [plan_id]))


def get_task(db: Database, task_id: int) -> PlanTask | None:
    found = _tasks(db, db.execute(f"SELECT {_TASK_COLS} FROM {_TASK_FROM} WHERE t.id = ?",
                                  [task_id]))
    return found[0] if found else None


def plan_id_of_task(db: Database, task_id: int) -> int | None:
    r = db.execute("SELECT s.plan_id FROM plan_task t JOIN plan_section s ON s.id = t.section_id"
                   " WHERE t.id = ?", [task_id]).fetchone()
    return r[0] if r else None


def open_tasks_due_by(db: Database, last: date) -> list[PlanTask]:
    """Open tasks (未开始 / 推进中) with a dated 完成时限 on or before ``last``, across plans:
    the dashboard's candidates for "due within 15 days" and "overdue" (index plan_task_due)."""
    return _tasks(db, db.execute(
        f"SELECT {_TASK_COLS} FROM {_TASK_FROM} WHERE t.state IN ('未开始', '推进中')"
        " AND t.due_on IS NOT NULL AND t.due_on <= ? ORDER BY t.due_on, t.id",
        [last.isoformat()]))


def _write_owners(db: Database, task_id: int, data: TaskInput) -> None:
    db.execute("DELETE FROM plan_task_owner WHERE task_id = ?", [task_id])
    for unit_id in data.unit_ids:
        db.execute("INSERT INTO plan_task_owner (task_id, unit_id) VALUES (?, ?)",
                   [task_id, unit_id])
    for community_id in data.community_ids:
        db.execute("INSERT INTO plan_task_owner (task_id, community_id) VALUES (?, ?)",
                   [task_id, community_id])


def _task_values(data: TaskInput) -> list[object]:
    on = data.deadline.on
    return [data.text, int(data.all_units), int(data.all_communities),
            on.isoformat() if on else None, "" if on else data.deadline.wording.strip(),
            data.category_id]


def insert_task(db: Database, section_id: int, data: TaskInput, *, created_by: int | None,
                now: str) -> int:
    seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM plan_task WHERE section_id = ?",
                     [section_id]).fetchone()[0]
    cur = db.execute(
        "INSERT INTO plan_task (section_id, seq, text, all_units, all_communities, due_on,"
        " due_text, category_id, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [section_id, seq, *_task_values(data), created_by, now, now])
    task_id = int(cur.lastrowid)
    _write_owners(db, task_id, data)
    return task_id


def update_task(db: Database, task_id: int, data: TaskInput, *, now: str) -> None:
    db.execute(
        "UPDATE plan_task SET text = ?, all_units = ?, all_communities = ?, due_on = ?,"
        " due_text = ?, category_id = ?, updated_at = ? WHERE id = ?",
        [*_task_values(data), now, task_id])
    _write_owners(db, task_id, data)


def move_task(db: Database, task_id: int, section_id: int, task_ids_in_order: Sequence[int]
              ) -> None:
    """Put ``task_id`` into ``section_id`` and number that section's tasks as listed."""
    db.execute("UPDATE plan_task SET section_id = ? WHERE id = ?", [section_id, task_id])
    for seq, tid in enumerate(task_ids_in_order, 1):
        db.execute("UPDATE plan_task SET seq = ? WHERE id = ?", [seq, tid])


def set_state(db: Database, task_id: int, state: TaskState, reason: str, on: date, *,
              now: str) -> None:
    db.execute("UPDATE plan_task SET state = ?, reason = ?, state_changed_on = ?, updated_at = ?"
               " WHERE id = ?", [state.value, reason, on.isoformat(), now, task_id])


def delete_task(db: Database, task_id: int) -> None:
    db.execute("DELETE FROM plan_task WHERE id = ?", [task_id])


# ---- progress notes and evidence --------------------------------------------------------------


def progress_of_task(db: Database, task_id: int) -> list[ProgressNote]:
    return [ProgressNote(id=r[0], task_id=r[1], on=date.fromisoformat(r[2]), text=r[3],
                         by_id=r[4], by_name=r[5] or "")
            for r in db.execute(
                "SELECT p.id, p.task_id, p.on_date, p.text, p.created_by, u.name"
                " FROM plan_progress p LEFT JOIN user u ON u.id = p.created_by"
                " WHERE p.task_id = ? ORDER BY p.on_date, p.id", [task_id])]


def insert_progress(db: Database, task_id: int, on: date, text: str, *,
                    created_by: int | None, now: str) -> int:
    cur = db.execute("INSERT INTO plan_progress (task_id, on_date, text, created_by, created_at)"
                     " VALUES (?, ?, ?, ?, ?)", [task_id, on.isoformat(), text, created_by, now])
    return int(cur.lastrowid)


def evidence_of_task(db: Database, task_id: int) -> list[Evidence]:
    return [Evidence(id=r[0], task_id=r[1], notice_id=r[2], file_name=r[3] or "",
                     label=r[5] if r[2] is not None and r[5] is not None else r[4])
            for r in db.execute(
                "SELECT e.id, e.task_id, e.notice_id, e.file_name, e.label, n.title"
                " FROM plan_evidence e LEFT JOIN notice n ON n.id = e.notice_id"
                " WHERE e.task_id = ? ORDER BY e.id", [task_id])]


def has_notice_evidence(db: Database, task_id: int, notice_id: int) -> bool:
    return db.execute("SELECT 1 FROM plan_evidence WHERE task_id = ? AND notice_id = ?",
                      [task_id, notice_id]).fetchone() is not None


def insert_evidence(db: Database, task_id: int, *, notice_id: int | None = None,
                    file_name: str | None = None, label: str = "",
                    created_by: int | None, now: str) -> int:
    cur = db.execute(
        "INSERT INTO plan_evidence (task_id, notice_id, file_name, label, created_by,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [task_id, notice_id, file_name, label, created_by, now])
    return int(cur.lastrowid)


def get_evidence(db: Database, evidence_id: int) -> Evidence | None:
    r = db.execute("SELECT task_id FROM plan_evidence WHERE id = ?", [evidence_id]).fetchone()
    if r is None:
        return None
    return next(e for e in evidence_of_task(db, r[0]) if e.id == evidence_id)


def delete_evidence(db: Database, evidence_id: int) -> None:
    db.execute("DELETE FROM plan_evidence WHERE id = ?", [evidence_id])


# ---- counts -----------------------------------------------------------------------------------


def published_counts_by_category(db: Database, year: int) -> dict[int, int]:
    """category id → notices made public (公开 on a day) in ``year``: what a task linked to
    that 公开目录 category is credited with automatically."""
    return {r[0]: r[1] for r in db.execute(
        "SELECT category_id, count(*) FROM notice WHERE category_id IS NOT NULL"
        f" AND status IN ({','.join('?' * len(_DISCLOSED))})"
        " AND published_on BETWEEN ? AND ? GROUP BY category_id",
        [*_DISCLOSED, f"{year}-01-01", f"{year}-12-31"])}


def notice_title(db: Database, notice_id: int) -> str | None:
    """The notice's title, or None when there is no such notice."""
    r = db.execute("SELECT title FROM notice WHERE id = ?", [notice_id]).fetchone()
    return r[0] if r else None
