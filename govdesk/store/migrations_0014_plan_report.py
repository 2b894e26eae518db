"""Migration 0014: the office's edited texts of the year-end 落实情况 report of the work plan
(issue 8 §3) — 概述, 实施措施, 存在的主要问题及改进措施 and the 成文日期, one row per year.

Its own table rather than the 年报's ``annual_report``: the two reports have different sections
and are saved by different pages; a text left NULL means "use the draft".

A module of its own (registered by one import line at the end of migrations.py) so that steps
written at the same time do not collide in one file. Never edit once shipped.
"""

from __future__ import annotations

from sqlite_utils import Database

from govdesk.store.migrations import _statements, migrations

SCHEMA_14 = """
CREATE TABLE plan_report (
    year INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    overview TEXT,
    measures TEXT,
    problems TEXT,
    dated TEXT CHECK (dated IS NULL OR date(dated) = dated),
    updated_by INTEGER REFERENCES user(id),
    updated_at TEXT NOT NULL
);
"""


@migrations(name="0014_plan_report")
def m0014_plan_report(db: Database) -> None:
    for statement in _statements(SCHEMA_14):
        db.execute(statement)
