"""The facts the 政府信息公开工作年度报告 is built from, and the report's own row.

Reads the 依申请公开 tables (``request``, ``review_case``) directly — only the columns the 年报
needs — so the report does not depend on the requests register's module; the register (notices,
postings, approval slips, spot checks) for 表二 and the 总体情况 draft; and reads and writes the
``annual_report`` row (the office's texts, the figures it enters, the 成文日期).

Decisions (issue 6, item 5):

* An application belongs to a year's 表三 when it was received on or before 31 December and not
  closed before 1 January (core.annual_report.tally_table3 sorts it into 一/二/三/四); review
  cases likewise by filing and decision dates (tally_table4).
* 表二 第二十条第（一）项 counts notices marked 规章 / 行政规范性文件 that were made public
  (status 已公开, 已撤下 or 已失效, with a 公开日期). 本年制发件数 counts by the 公开日期, not the
  成文日期: a document signed in December and issued in January is 制发 in January's year, and
  an unpublished draft is not 制发 at all (a 行政规范性文件 has no effect until published).
  本年废止件数 counts by the 失效日期 (``expired_on``); 现行有效件数 is every one published by
  31 December and not 失效 by then. Taking a notice off a board (已撤下) does not repeal it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from govdesk.core.annual_report import (
    AppealFact,
    AppealKind,
    AppealResult,
    ApplicationFact,
    ProactiveFigures,
)
from govdesk.core.errors import UserError
from govdesk.core.requests import ApplicantKind, Outcome

__all__ = [
    "SavedReport",
    "any_applications",
    "appeal_facts",
    "application_facts",
    "approval_counts",
    "get_report",
    "posting_count",
    "posting_removals",
    "register_figures",
    "save_report",
    "spot_check_rounds",
]


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _bounds(year: int) -> tuple[str, str]:
    return date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()


# ---- 表三: applications ----------------------------------------------------------------------------


def application_facts(db: Database, year: int) -> list[ApplicationFact]:
    """Every application that 表三 of ``year`` counts: received by 31 December and not closed
    before 1 January, oldest first."""
    start, end = _bounds(year)
    facts = []
    for number, kind, received, closed, outcome in db.execute(
        "SELECT number, applicant_kind, received_on, closed_on, outcome FROM request"
        " WHERE received_on <= ? AND (closed_on IS NULL OR closed_on >= ?)"
        " ORDER BY received_on, id",
        [end, start],
    ):
        try:
            result = Outcome.from_code(outcome) if outcome else None
        except ValueError:
            raise UserError(f"申请“{number}”的办理结果编号“{outcome}”无法识别，"
                            "请在依申请公开登记中改正后再生成年报表三。",
                            field="outcome") from None
        facts.append(ApplicationFact(ApplicantKind(kind), date.fromisoformat(received),
                                     _d(closed), result, number))
    return facts


def any_applications(db: Database, year: int) -> bool:
    """Whether 表三 of ``year`` counts any application at all."""
    start, end = _bounds(year)
    return db.execute(
        "SELECT EXISTS (SELECT 1 FROM request WHERE received_on <= ?"
        " AND (closed_on IS NULL OR closed_on >= ?))", [end, start]).fetchone()[0] == 1


# ---- 表四: 行政复议、行政诉讼 -------------------------------------------------------------------


def appeal_facts(db: Database, year: int) -> list[AppealFact]:
    """Every 行政复议 / 行政诉讼 pending at some time in ``year``: filed by 31 December and not
    decided before 1 January."""
    start, end = _bounds(year)
    return [
        AppealFact(AppealKind(kind), date.fromisoformat(filed), AppealResult(result),
                   _d(decided), case_number or f"第{rid}号案件")
        for rid, kind, filed, result, decided, case_number in db.execute(
            "SELECT id, kind, filed_on, result, decided_on, case_number FROM review_case"
            " WHERE filed_on <= ? AND (decided_on IS NULL OR decided_on >= ?)"
            " ORDER BY filed_on, id",
            [end, start],
        )
    ]


# ---- 表二 第二十条第（一）项 -------------------------------------------------------------------------

_MADE_PUBLIC = "status IN ('已公开', '已撤下', '已失效') AND published_on IS NOT NULL"


def register_figures(db: Database, year: int) -> ProactiveFigures:
    """表二's 规章 and 行政规范性文件 rows from the register (the other rows stay 0: they are
    entered by the office)."""
    start, end = _bounds(year)
    counts: dict[str, tuple[int, int, int]] = {}
    for kind in ("规章", "行政规范性文件"):
        made, repealed, in_force = db.execute(
            "SELECT"
            f" coalesce(sum({_MADE_PUBLIC} AND published_on BETWEEN :start AND :end), 0),"
            " coalesce(sum(expired_on BETWEEN :start AND :end), 0),"
            f" coalesce(sum({_MADE_PUBLIC} AND published_on <= :end"
            "   AND (expired_on IS NULL OR expired_on > :end)), 0)"
            " FROM notice WHERE doc_kind = :kind",
            {"start": start, "end": end, "kind": kind},
        ).fetchone()
        counts[kind] = (made, repealed, in_force)
    rules, normative = counts["规章"], counts["行政规范性文件"]
    return ProactiveFigures(
        rules_made=rules[0], rules_repealed=rules[1], rules_in_force=rules[2],
        normative_made=normative[0], normative_repealed=normative[1],
        normative_in_force=normative[2],
    )


# ---- the 总体情况 figures ----------------------------------------------------------------------------


def posting_count(db: Database, year: int) -> int:
    """张贴 records made in the year (one notice on three boards is three)."""
    start, end = _bounds(year)
    return db.execute("SELECT count(*) FROM posting WHERE posted_on BETWEEN ? AND ?",
                      [start, end]).fetchone()[0]


def posting_removals(db: Database, year: int) -> list[tuple[date, date | None]]:
    """(planned take-down day, day taken down or None) of the year's postings that had a
    公示期; whether a take-down was on time needs the working-day calendar (operations)."""
    start, end = _bounds(year)
    return [(date.fromisoformat(planned), _d(removed)) for planned, removed in db.execute(
        "SELECT planned_removal, removed_on FROM posting WHERE posted_on BETWEEN ? AND ?"
        " AND planned_removal IS NOT NULL ORDER BY id", [start, end])]


def approval_counts(db: Database, start_utc: str, end_utc: str) -> tuple[int, int]:
    """(审批单 completed, 保密审查 decisions recorded) in [start_utc, end_utc), the bounds in the
    form approval.at_utc is stored."""
    completed = db.execute(
        "SELECT count(DISTINCT slip_id) FROM approval WHERE completes = 1"
        " AND at_utc >= ? AND at_utc < ?", [start_utc, end_utc]).fetchone()[0]
    screened = db.execute(
        "SELECT count(*) FROM approval WHERE kind = 'decide' AND stage = '保密审查'"
        " AND at_utc >= ? AND at_utc < ?", [start_utc, end_utc]).fetchone()[0]
    return completed, screened


def spot_check_rounds(db: Database, year: int) -> tuple[int, int]:
    """(months with 月抽查, quarters with any check) of the year: 月抽查 and 季度考核 rounds."""
    months = db.execute(
        "SELECT count(DISTINCT month) FROM spot_check WHERE year = ? AND kind = '月抽查'",
        [year]).fetchone()[0]
    quarters = db.execute(
        "SELECT count(DISTINCT (month - 1) / 3) FROM spot_check WHERE year = ?",
        [year]).fetchone()[0]
    return months, quarters


# ---- the annual_report row ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SavedReport:
    """What the office saved for a year: texts of 一、五、六 (None: not written, the draft is
    used), the entered figures as their JSON text (parsed and validated by operations) and the
    成文日期."""

    year: int
    overview: str | None = None
    problems: str | None = None
    other: str | None = None
    figures_json: str = "{}"
    dated: date | None = None
    updated_by: int | None = None
    updated_at: str = ""


def get_report(db: Database, year: int) -> SavedReport | None:
    r = db.execute(
        "SELECT year, overview, problems, other, figures, dated, updated_by, updated_at"
        " FROM annual_report WHERE year = ?", [year]).fetchone()
    if r is None:
        return None
    return SavedReport(r[0], r[1], r[2], r[3], r[4] or "{}", _d(r[5]), r[6], r[7])


def save_report(db: Database, report: SavedReport) -> None:
    db.execute(
        "INSERT INTO annual_report (year, overview, problems, other, figures, dated, updated_by,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (year) DO UPDATE SET overview = excluded.overview,"
        " problems = excluded.problems, other = excluded.other, figures = excluded.figures,"
        " dated = excluded.dated, updated_by = excluded.updated_by,"
        " updated_at = excluded.updated_at",
        [report.year, report.overview, report.problems, report.other, report.figures_json,
         report.dated.isoformat() if report.dated else None, report.updated_by,
         report.updated_at],
    )
