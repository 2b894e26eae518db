"""Migration 0013: the year's work plan (年度政务公开工作实施方案, issue 8 §1–§2) — plans,
sections, tasks with their 责任单位 and 完成时限, progress notes and evidence.

A module of its own (registered by one import line at the end of migrations.py) so that steps
written at the same time do not collide in one file. Never edit once shipped.
"""

from __future__ import annotations

from sqlite_utils import Database

from govdesk.store.migrations import _statements, migrations

SCHEMA_13 = """
CREATE TABLE work_plan (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL UNIQUE CHECK (year BETWEEN 2000 AND 2100),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    intro TEXT NOT NULL DEFAULT '',
    issued_on TEXT CHECK (issued_on IS NULL OR date(issued_on) = issued_on),
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE plan_section (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES work_plan(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0)
);
CREATE INDEX plan_section_plan ON plan_section(plan_id, seq);

-- 完成时限: a date (due_on) or a wording such as 长期坚持 / 每季度 (due_text), exactly one.
-- 未完成 always carries its 原因, and only 未完成 does.
CREATE TABLE plan_task (
    id INTEGER PRIMARY KEY,
    section_id INTEGER NOT NULL REFERENCES plan_section(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    text TEXT NOT NULL CHECK (length(trim(text)) > 0),
    all_units INTEGER NOT NULL DEFAULT 0 CHECK (all_units IN (0, 1)),
    all_communities INTEGER NOT NULL DEFAULT 0 CHECK (all_communities IN (0, 1)),
    due_on TEXT CHECK (due_on IS NULL OR date(due_on) = due_on),
    due_text TEXT NOT NULL DEFAULT '',
    category_id INTEGER REFERENCES category(id),
    state TEXT NOT NULL DEFAULT '未开始' CHECK (state IN ('未开始', '推进中', '已完成', '未完成')),
    reason TEXT NOT NULL DEFAULT '',
    state_changed_on TEXT,
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((due_on IS NULL) <> (trim(due_text) = '')),
    CHECK ((state = '未完成') = (trim(reason) <> ''))
);
CREATE INDEX plan_task_section ON plan_task(section_id, seq);
CREATE INDEX plan_task_due ON plan_task(state, due_on);
CREATE INDEX plan_task_category ON plan_task(category_id);

-- 责任单位: one row per unit or community named on a task.
CREATE TABLE plan_task_owner (
    task_id INTEGER NOT NULL REFERENCES plan_task(id) ON DELETE CASCADE,
    unit_id INTEGER REFERENCES unit(id),
    community_id INTEGER REFERENCES community(id),
    CHECK ((unit_id IS NULL) <> (community_id IS NULL))
);
CREATE UNIQUE INDEX plan_task_owner_unit ON plan_task_owner(task_id, unit_id)
    WHERE unit_id IS NOT NULL;
CREATE UNIQUE INDEX plan_task_owner_community ON plan_task_owner(task_id, community_id)
    WHERE community_id IS NOT NULL;
CREATE INDEX plan_task_owner_by_unit ON plan_task_owner(unit_id) WHERE unit_id IS NOT NULL;
CREATE INDEX plan_task_owner_by_community ON plan_task_owner(community_id)
    WHERE community_id IS NOT NULL;

CREATE TABLE plan_progress (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES plan_task(id) ON DELETE CASCADE,
    on_date TEXT NOT NULL CHECK (date(on_date) = on_date),
    text TEXT NOT NULL CHECK (length(trim(text)) > 0),
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL
);
CREATE INDEX plan_progress_task ON plan_progress(task_id, on_date);

-- Evidence: a notice from the register, or an attached file (a managed file's stored name).
CREATE TABLE plan_evidence (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES plan_task(id) ON DELETE CASCADE,
    notice_id INTEGER REFERENCES notice(id),
    file_name TEXT,
    label TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL,
    CHECK ((notice_id IS NULL) <> (file_name IS NULL))
);
CREATE UNIQUE INDEX plan_evidence_notice ON plan_evidence(task_id, notice_id)
    WHERE notice_id IS NOT NULL;
CREATE INDEX plan_evidence_task ON plan_evidence(task_id);
CREATE INDEX plan_evidence_by_notice ON plan_evidence(notice_id) WHERE notice_id IS NOT NULL;
"""


@migrations(name="0013_work_plan")
def m0013_work_plan(db: Database) -> None:
    # one statement at a time inside the migration's transaction (executescript would commit)
    for statement in _statements(SCHEMA_13):
        db.execute(statement)
