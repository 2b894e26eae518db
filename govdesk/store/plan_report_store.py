"""The saved texts of the 落实情况 report (table ``plan_report``, migration 0014)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class SavedPlanReport:
    """What the office saved for a year; a text None means "use the draft"."""

    year: int
    overview: str | None = None
    measures: str | None = None
    problems: str | None = None
    dated: date | None = None
    updated_by: int | None = None
    updated_at: str = ""


def get(db: Database, year: int) -> SavedPlanReport | None:
    r = db.execute(
        "SELECT year, overview, measures, problems, dated, updated_by, updated_at"
        " FROM plan_report WHERE year = ?", [year]).fetchone()
    if r is None:
        return None
    return SavedPlanReport(r[0], r[1], r[2], r[3], date.fromisoformat(r[4]) if r[4] else None,
                           r[5], r[6])


def save(db: Database, report: SavedPlanReport) -> None:
    db.execute(
        "INSERT INTO plan_report (year, overview, measures, problems, dated, updated_by,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (year) DO UPDATE SET overview = excluded.overview,"
        " measures = excluded.measures, problems = excluded.problems, dated = excluded.dated,"
        " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        [report.year, report.overview, report.measures, report.problems,
         report.dated.isoformat() if report.dated else None, report.updated_by,
         report.updated_at])
