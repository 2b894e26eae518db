"""政府信息公开工作年度报告 (条例第五十条) in the national format of 国办公开办函〔2021〕30号:
the six sections, 表二 (主动公开), 表三 (依申请公开, tallied from the year's applications) and
表四 (行政复议、行政诉讼), with the 勾稽关系 checks of 表三.

Every label is written as in ../shared/domain/rules-and-formats.md §2 (inspectors compare them
character by character); the 表三 办理结果 rows come from :class:`~govdesk.core.requests.Outcome`.

Input is plain facts (:class:`ApplicationFact`, :class:`AppealFact`, :class:`ProactiveFigures`,
:class:`OverviewFigures`) that the operations layer builds from the registers; nothing here reads
a database. The official table layouts (merged header cells) are described once, here, as
:class:`Grid` values, so the .docx and the PDF exporters draw the same tables.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from govdesk.core.errors import UserError
from govdesk.core.registers import (
    HotlineStats,
    InterpretationStats,
    MeetingKind,
    MeetingStats,
    ProposalStats,
    format_rate,
    rate,
)
from govdesk.core.requests import ApplicantKind, Outcome

__all__ = [
    "APPEAL_RESULT_LABELS",
    "COLUMN_KEYS",
    "COLUMN_LABELS",
    "OUTCOME_KEYS",
    "ROW_KEYS",
    "SECTION_TITLES",
    "TABLE2_LABELS",
    "TABLE3_CORNER",
    "TABLE3_ROWS",
    "TOTAL",
    "AnnualReport",
    "AppealCounts",
    "AppealFact",
    "AppealKind",
    "AppealResult",
    "ApplicationFact",
    "CellRef",
    "Grid",
    "GridCell",
    "OverviewFigures",
    "ProactiveFigures",
    "Problem",
    "RegisterFigures",
    "Table3",
    "Table3Row",
    "Table4",
    "check_table3",
    "draft_overview",
    "format_amount",
    "hotline_sentence",
    "interpretation_sentence",
    "meeting_phrase",
    "opinion_sentence",
    "proposal_sentence",
    "training_phrase",
    "period_line",
    "report_json",
    "table2_grid",
    "table3_grid",
    "table4_grid",
    "tally_table3",
    "tally_table4",
]

# ---- the six sections (§2.1) ---------------------------------------------------------------------

SECTION_TITLES: tuple[str, ...] = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


def period_line(year: int) -> str:
    """The statistics-period sentence real reports open with (§2.1, [PRACTICE]), no full stop."""
    return f"本报告中所列数据统计期限为{year}年1月1日至12月31日"


# ---- 表二 主动公开政府信息情况 (§2.2, 2021 format) -----------------------------------------------

TABLE2_LABELS: Mapping[str, str] = MappingProxyType({
    "item_1": "第二十条第（一）项",
    "item_5": "第二十条第（五）项",
    "item_6": "第二十条第（六）项",
    "item_8": "第二十条第（八）项",
    "content": "信息内容",
    "made": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量",
    "fee_amount": "本年收费金额（单位：万元）",
    "rules": "规章",
    "normative": "行政规范性文件",
    "licensing": "行政许可",
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
})


@dataclass(frozen=True, slots=True)
class ProactiveFigures:
    """表二's numbers. 规章/行政规范性文件 come from the document register; 行政许可, 行政处罚,
    行政强制 (本年处理决定数量) and the 行政事业性收费 amount are entered by the office from the
    units' own registers. A township government makes no 规章 (立法法第九十三条), so those three
    stay 0 unless entered."""

    rules_made: int = 0
    rules_repealed: int = 0
    rules_in_force: int = 0
    normative_made: int = 0
    normative_repealed: int = 0
    normative_in_force: int = 0
    licensing_decisions: int = 0
    penalty_decisions: int = 0
    coercion_decisions: int = 0
    fee_amount: Decimal = Decimal("0")  # 万元

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name == "fee_amount":
                if not isinstance(value, Decimal) or not value.is_finite():
                    raise UserError("表二“本年收费金额（单位：万元）”应为数字。", field=name)
            elif isinstance(value, bool) or not isinstance(value, int):
                raise UserError(f"表二的件数应为整数：{name}={value!r}", field=name)
            if value < 0:
                raise UserError("表二中的数字不能为负数。", field=name)

    def numbers(self) -> dict[str, int | Decimal]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def format_amount(amount: Decimal) -> str:
    """万元 as written in the table: no exponent, no trailing zeros beyond the cents of 万元
    (12.5, 0, 3.2468)."""
    text = f"{amount:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


# ---- 表三 收到和处理政府信息公开申请情况 (§2.3) ---------------------------------------------------

TOTAL = "总计"
TABLE3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE3_APPLICANTS = "申请人情况"
TABLE3_ORGANISATIONS = "法人或其他组织"

# Column keys are stable (JSON, cell references); labels are the table's.
COLUMN_KEYS: tuple[str, ...] = tuple(k.name for k in ApplicantKind) + ("TOTAL",)
COLUMN_LABELS: Mapping[str, str] = MappingProxyType(
    {k.name: k.value for k in ApplicantKind} | {"TOTAL": TOTAL}
)


@dataclass(frozen=True, slots=True)
class Table3Row:
    """One data row of 表三: its stable ``key`` (outcome rows use :attr:`Outcome.code`) and the
    labels of its three label columns as printed ("" where a merged cell above/left covers it)."""

    key: str
    level1: str
    level2: str = ""
    level3: str = ""
    outcome: Outcome | None = None

    @property
    def name(self) -> str:
        """The row as a message names it: "（三）不予公开 1.属于国家秘密", "一、本年新收…"."""
        if self.outcome is not None or self.key == "RESULTS_TOTAL":
            return " ".join(p for p in (self.level2, self.level3) if p)
        return self.level1

    @property
    def short(self) -> str:
        """The row's number as the 勾稽关系 names it: 一, 二, 三（七）总计, 四."""
        return _SHORT.get(self.key, self.name)


RESULTS = "三、本年度办理结果"


def _outcome_rows() -> tuple[Table3Row, ...]:
    rows = []
    for outcome in Outcome:
        if outcome.row_label:
            rows.append(Table3Row(outcome.code, RESULTS, outcome.group.value, outcome.row_label,
                                  outcome))
        else:  # （一）予以公开 / （二）部分公开 span the 二级 and 三级 columns
            rows.append(Table3Row(outcome.code, RESULTS, outcome.group.value, "", outcome))
    return tuple(rows)


TABLE3_ROWS: tuple[Table3Row, ...] = (
    Table3Row("NEW", "一、本年新收政府信息公开申请数量"),
    Table3Row("CARRIED", "二、上年结转政府信息公开申请数量"),
    *_outcome_rows(),
    Table3Row("RESULTS_TOTAL", RESULTS, "（七）总计"),
    Table3Row("CARRY_FORWARD", "四、结转下年度继续办理"),
)
ROW_KEYS: tuple[str, ...] = tuple(r.key for r in TABLE3_ROWS)
OUTCOME_KEYS: tuple[str, ...] = tuple(o.code for o in Outcome)
_ROWS_BY_KEY = {r.key: r for r in TABLE3_ROWS}
_SHORT = {"NEW": "一", "CARRIED": "二", "RESULTS_TOTAL": "三（七）总计", "CARRY_FORWARD": "四"}


@dataclass(frozen=True, slots=True)
class Table3:
    """表三's numbers: row key (:data:`ROW_KEYS`) → the 7 columns 自然人, 商业企业, 科研机构,
    社会公益组织, 法律服务机构, 其他, 总计. Built by :func:`tally_table3` (always consistent)
    or by hand / from an import (then :func:`check_table3` says what does not add up)."""

    values: Mapping[str, tuple[int, ...]]

    def __post_init__(self) -> None:
        missing = [k for k in ROW_KEYS if k not in self.values]
        unknown = [k for k in self.values if k not in _ROWS_BY_KEY]
        if missing or unknown:
            raise ValueError(f"表三 rows missing {missing} / unknown {unknown}")
        for key, row in self.values.items():
            if len(row) != len(COLUMN_KEYS):
                raise ValueError(f"表三 row {key}: {len(row)} values, 7 expected")
        object.__setattr__(self, "values", MappingProxyType(
            {k: tuple(int(v) for v in self.values[k]) for k in ROW_KEYS}))

    @classmethod
    def zero(cls) -> Table3:
        return cls({k: (0,) * len(COLUMN_KEYS) for k in ROW_KEYS})

    def cell(self, row: str, column: str) -> int:
        return self.values[row][COLUMN_KEYS.index(column)]

    def row(self, key: str) -> tuple[int, ...]:
        return self.values[key]

    def with_cell(self, row: str, column: str, value: int) -> Table3:
        """A copy with one cell changed (corrections typed in the GUI; tests)."""
        values = dict(self.values)
        cells = list(values[row])
        cells[COLUMN_KEYS.index(column)] = value
        values[row] = tuple(cells)
        return Table3(values)


@dataclass(frozen=True, slots=True)
class ApplicationFact:
    """One 政府信息公开申请 as the annual report sees it.

    ``received_on`` is the 收到申请之日 of 条例第三十一条; ``closed_on`` the day the reply (or the
    告知 that ends the procedure) went out, None while it is open; ``outcome`` the 表三 row it
    was closed with. A closed application must have an outcome and an open one none — a
    withdrawn application (申请人撤回) is closed as （六）3.其他 by the requests register.
    ``ref`` (e.g. the 申请编号) only names the application in error messages."""

    applicant_kind: ApplicantKind
    received_on: date
    closed_on: date | None = None
    outcome: Outcome | None = None
    ref: str = ""

    def __post_init__(self) -> None:
        who = f"申请“{self.ref}”" if self.ref else f"{self.received_on:%Y-%m-%d}收到的申请"
        if self.closed_on is not None and self.outcome is None:
            # Counting it as still open would carry it forward for ever; counting it under
            # （六）3.其他 would invent a result. The register has to say what it was.
            raise UserError(f"{who}已办结但未填写办理结果，请补填后再生成年报表三。",
                            field="outcome")
        if self.closed_on is None and self.outcome is not None:
            raise UserError(f"{who}填写了办理结果但没有办结日期，请补填办结日期。",
                            field="closed_on")
        if self.closed_on is not None and self.closed_on < self.received_on:
            raise UserError(f"{who}的办结日期早于收到申请日期。", field="closed_on")


def tally_table3(applications: Iterable[ApplicationFact], year: int) -> Table3:
    """表三 of ``year`` from every application ever received (older ones are simply skipped).

    * 一、本年新收: received within the year;
    * 二、上年结转: received before 1 January and still open on that day (closed in or after
      the year, or not yet) — so it equals last year's 四 by construction;
    * 三、本年度办理结果: by outcome, the applications (new or carried over) closed within the
      year; （七）总计 is their sum;
    * 四、结转下年度继续办理: received by 31 December and still open at its end (closed later,
      or not yet).

    An application received after the year is not counted; one closed after the year counts
    as open (四), whatever its later outcome — the report states the position on 31 December."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    counts: dict[str, list[int]] = {k: [0] * len(COLUMN_KEYS) for k in ROW_KEYS}
    columns = {kind: i for i, kind in enumerate(ApplicantKind)}
    total = COLUMN_KEYS.index("TOTAL")

    def add(row: str, col: int) -> None:
        counts[row][col] += 1
        counts[row][total] += 1

    for app in applications:
        if app.received_on > end:
            continue
        col = columns[app.applicant_kind]
        if app.closed_on is not None and app.closed_on < start:
            continue  # closed in an earlier year
        add("NEW" if app.received_on >= start else "CARRIED", col)
        if app.closed_on is not None and app.closed_on <= end:
            assert app.outcome is not None  # ApplicationFact guarantees it
            add(app.outcome.code, col)
            add("RESULTS_TOTAL", col)
        else:
            add("CARRY_FORWARD", col)
    return Table3({k: tuple(v) for k, v in counts.items()})


@dataclass(frozen=True, slots=True)
class CellRef:
    """A cell of a report table, for the GUI to highlight: ``table`` is "表三" (or "表四"),
    ``row`` a key of :data:`ROW_KEYS`, ``column`` a key of :data:`COLUMN_KEYS`."""

    table: str
    row: str
    column: str


@dataclass(frozen=True, slots=True)
class Problem:
    """One 勾稽关系 that does not hold: the Chinese message names the cells; ``cells`` are all
    the cells involved, the one to correct most likely first."""

    message: str
    cells: tuple[CellRef, ...]

    @property
    def cell(self) -> CellRef:
        return self.cells[0]

    def __str__(self) -> str:
        return self.message


def check_table3(table: Table3, previous_carry_over: Table3 | Sequence[int] | None = None
                 ) -> list[Problem]:
    """The 勾稽关系 of 表三, as a list of problems (empty when everything adds up):

    1. no cell is negative;
    2. every row: 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他;
    3. every column: 三（七）总计 = the sum of every 办理结果 row （一）…（六）;
    4. every column: 一 + 二 = 三（七）总计 + 四 (stated in the table itself);
    5. with last year's table (or its row 四 as 7 numbers): 二 = last year's 四, per column.
    """
    problems: list[Problem] = []
    ref = lambda row, col: CellRef("表三", row, col)  # noqa: E731
    cell = table.cell
    for row in TABLE3_ROWS:
        for col in COLUMN_KEYS:
            if cell(row.key, col) < 0:
                problems.append(Problem(
                    f"表三“{row.name}”行“{COLUMN_LABELS[col]}”列：数字不能为负数"
                    f"（{cell(row.key, col)}）", (ref(row.key, col),)))
    parts = COLUMN_KEYS[:-1]
    for row in TABLE3_ROWS:
        values = table.row(row.key)
        if values[-1] != sum(values[:-1]):
            problems.append(Problem(
                f"表三“{row.name}”行：总计（{values[-1]}）≠ 自然人至其他各列之和"
                f"（{sum(values[:-1])}）",
                (ref(row.key, "TOTAL"), *(ref(row.key, c) for c in parts))))
    for col in COLUMN_KEYS:
        label = COLUMN_LABELS[col]
        results = cell("RESULTS_TOTAL", col)
        summed = sum(cell(k, col) for k in OUTCOME_KEYS)
        if results != summed:
            problems.append(Problem(
                f"表三“{label}”列：三（七）总计（{results}）≠ （一）至（六）各项之和（{summed}）",
                (ref("RESULTS_TOTAL", col), *(ref(k, col) for k in OUTCOME_KEYS))))
        new, carried, carry = cell("NEW", col), cell("CARRIED", col), cell("CARRY_FORWARD", col)
        if new + carried != results + carry:
            problems.append(Problem(
                f"表三“{label}”列：一（{new}）＋二（{carried}）≠ 三（七）总计（{results}）"
                f"＋四（{carry}）",
                (ref("NEW", col), ref("CARRIED", col), ref("RESULTS_TOTAL", col),
                 ref("CARRY_FORWARD", col))))
    if previous_carry_over is not None:
        last = (previous_carry_over.row("CARRY_FORWARD")
                if isinstance(previous_carry_over, Table3) else tuple(previous_carry_over))
        if len(last) != len(COLUMN_KEYS):
            raise ValueError("previous_carry_over: 7 numbers expected")
        for col, before in zip(COLUMN_KEYS, last, strict=True):
            if cell("CARRIED", col) != before:
                problems.append(Problem(
                    f"表三“{COLUMN_LABELS[col]}”列：二、上年结转（{cell('CARRIED', col)}）≠ "
                    f"上年报告四、结转下年度继续办理（{before}）", (ref("CARRIED", col),)))
    return problems


# ---- 表四 政府信息公开行政复议、行政诉讼情况 (§2.4) ----------------------------------------------


class AppealKind(enum.StrEnum):
    """The three groups of 表四."""

    REVIEW = "行政复议"
    DIRECT_SUIT = "未经复议直接起诉"
    SUIT_AFTER_REVIEW = "复议后起诉"


class AppealResult(enum.StrEnum):
    UPHELD = "结果维持"
    CORRECTED = "结果纠正"
    OTHER = "其他结果"
    PENDING = "尚未审结"


APPEAL_RESULT_LABELS: tuple[str, ...] = tuple(r.value for r in AppealResult) + (TOTAL,)
LITIGATION = "行政诉讼"


@dataclass(frozen=True, slots=True)
class AppealFact:
    """A 行政复议 or 行政诉讼 about this office's 政府信息公开 work: when it was filed
    (申请复议 / 起诉) and, once decided, when and with what result (``result`` PENDING with
    ``decided_on`` None while undecided)."""

    kind: AppealKind
    filed_on: date
    result: AppealResult = AppealResult.PENDING
    decided_on: date | None = None
    ref: str = ""

    def __post_init__(self) -> None:
        who = f"“{self.ref}”" if self.ref else f"{self.filed_on:%Y-%m-%d}的{self.kind.value}"
        if (self.result is AppealResult.PENDING) != (self.decided_on is None):
            raise UserError(f"{who}：已审结的案件须同时填写结果和审结日期，未审结的两项都不填。",
                            field="result")
        if self.decided_on is not None and self.decided_on < self.filed_on:
            raise UserError(f"{who}的审结日期早于立案日期。", field="decided_on")


@dataclass(frozen=True, slots=True)
class AppealCounts:
    upheld: int = 0
    corrected: int = 0
    other: int = 0
    pending: int = 0

    @property
    def total(self) -> int:
        return self.upheld + self.corrected + self.other + self.pending

    def numbers(self) -> tuple[int, int, int, int, int]:
        """In the table's order: 结果维持, 结果纠正, 其他结果, 尚未审结, 总计."""
        return (self.upheld, self.corrected, self.other, self.pending, self.total)


@dataclass(frozen=True, slots=True)
class Table4:
    review: AppealCounts = field(default_factory=AppealCounts)
    direct_suit: AppealCounts = field(default_factory=AppealCounts)
    suit_after_review: AppealCounts = field(default_factory=AppealCounts)

    def numbers(self) -> tuple[int, ...]:
        """The 15 numbers of the data row, left to right."""
        return (*self.review.numbers(), *self.direct_suit.numbers(),
                *self.suit_after_review.numbers())

    def group(self, kind: AppealKind) -> AppealCounts:
        return {AppealKind.REVIEW: self.review, AppealKind.DIRECT_SUIT: self.direct_suit,
                AppealKind.SUIT_AFTER_REVIEW: self.suit_after_review}[kind]


def tally_table4(appeals: Iterable[AppealFact], year: int) -> Table4:
    """表四 of ``year``: every case pending at some time in the year — filed by 31 December and
    not decided before 1 January — as 表三 counts new and carried-over applications. A case
    decided within the year counts under its result, one still undecided on 31 December (or
    decided later) under 尚未审结. A case filed in 2024 and decided in 2025 thus shows as
    尚未审结 in the 2024 report and with its result in the 2025 one."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    tallies = {k: {r: 0 for r in AppealResult} for k in AppealKind}
    for case in appeals:
        if case.filed_on > end or (case.decided_on is not None and case.decided_on < start):
            continue
        decided = case.decided_on is not None and case.decided_on <= end
        tallies[case.kind][case.result if decided else AppealResult.PENDING] += 1

    def counts(kind: AppealKind) -> AppealCounts:
        t = tallies[kind]
        return AppealCounts(t[AppealResult.UPHELD], t[AppealResult.CORRECTED],
                            t[AppealResult.OTHER], t[AppealResult.PENDING])

    return Table4(counts(AppealKind.REVIEW), counts(AppealKind.DIRECT_SUIT),
                  counts(AppealKind.SUIT_AFTER_REVIEW))


# ---- the official layouts as grids (for .docx and PDF) --------------------------------------------


@dataclass(frozen=True, slots=True)
class GridCell:
    """One (possibly merged) cell of a printed table. ``kind``: "caption" (a 第二十条第（X）项
    line across the table), "header", "label" (row labels) or "number" (``value`` set)."""

    row: int
    col: int
    text: str
    kind: str = "label"
    rowspan: int = 1
    colspan: int = 1
    value: int | Decimal | None = None

    @property
    def lines(self) -> tuple[str, ...]:
        """The lines the text is forced onto when printed: a tall merged label "（三）不予公开"
        reads "（三）" / "不予公开" in its narrow column instead of breaking inside a word."""
        text = self.text
        if self.kind == "label" and self.rowspan > 1 and text.startswith("（") and "）" in text:
            cut = text.index("）") + 1
            return (text[:cut], text[cut:])
        return (text,)


@dataclass(frozen=True, slots=True)
class Grid:
    """A table in its official layout: ``rows`` × ``cols`` slots covered exactly once by the
    cells; the first ``header_rows`` rows repeat when the table continues on a new page.
    ``widths`` are relative column widths that suit the labels."""

    name: str
    rows: int
    cols: int
    header_rows: int
    cells: tuple[GridCell, ...]
    widths: tuple[float, ...]

    def at(self, row: int, col: int) -> GridCell | None:
        """The cell whose top-left slot is (row, col)."""
        for c in self.cells:
            if c.row == row and c.col == col:
                return c
        return None


def table2_grid(figures: ProactiveFigures) -> Grid:
    """表二: 4 columns; each 第二十条第（X）项 caption spans them all, and the single
    本年处理决定数量 / 本年收费金额 column spans the three number columns."""
    L = TABLE2_LABELS  # noqa: N806
    cells: list[GridCell] = []
    r = 0

    def caption(text: str) -> None:
        nonlocal r
        cells.append(GridCell(r, 0, text, "caption", colspan=4))
        r += 1

    def header(*texts: str) -> None:
        nonlocal r
        cells.append(GridCell(r, 0, L["content"], "header"))
        if len(texts) == 1:
            cells.append(GridCell(r, 1, texts[0], "header", colspan=3))
        else:
            cells.extend(GridCell(r, 1 + i, t, "header") for i, t in enumerate(texts))
        r += 1

    def data(label: str, *values: int | Decimal) -> None:
        nonlocal r
        cells.append(GridCell(r, 0, L[label], "label"))
        if len(values) == 1:
            v = values[0]
            text = format_amount(v) if isinstance(v, Decimal) else str(v)
            cells.append(GridCell(r, 1, text, "number", colspan=3, value=v))
        else:
            cells.extend(GridCell(r, 1 + i, str(v), "number", value=v)
                         for i, v in enumerate(values))
        r += 1

    f = figures
    caption(L["item_1"])
    header(L["made"], L["repealed"], L["in_force"])
    data("rules", f.rules_made, f.rules_repealed, f.rules_in_force)
    data("normative", f.normative_made, f.normative_repealed, f.normative_in_force)
    caption(L["item_5"])
    header(L["decisions"])
    data("licensing", f.licensing_decisions)
    caption(L["item_6"])
    header(L["decisions"])
    data("penalty", f.penalty_decisions)
    data("coercion", f.coercion_decisions)
    caption(L["item_8"])
    header(L["fee_amount"])
    data("fees", f.fee_amount)
    return Grid("表二", r, 4, 0, tuple(cells), (1.6, 1.0, 1.0, 1.0))


def table3_grid(table: Table3) -> Grid:
    """表三 in the official layout: a 3 × 3 corner with the 勾稽关系 note; 申请人情况 over the 7
    data columns; 自然人 and 总计 spanning header rows 2–3, 法人或其他组织 over 5 columns; in the
    body 三、本年度办理结果 spans its 22 rows, （三）…（六） their 三级 rows, and 一、二、四
    (3 columns) and （一）（二）（七） (2 columns) span the label columns."""
    cells = [
        GridCell(0, 0, TABLE3_CORNER, "header", rowspan=3, colspan=3),
        GridCell(0, 3, TABLE3_APPLICANTS, "header", colspan=7),
        GridCell(1, 3, ApplicantKind.PERSON.value, "header", rowspan=2),
        GridCell(1, 4, TABLE3_ORGANISATIONS, "header", colspan=5),
        GridCell(1, 9, TOTAL, "header", rowspan=2),
        *(GridCell(2, 4 + i, k.value, "header")
          for i, k in enumerate(k for k in ApplicantKind if k.is_organisation)),
    ]
    r = 3
    results_top = None
    group_top: dict[str, int] = {}
    group_size: dict[str, int] = {}
    for row in TABLE3_ROWS:
        if row.level1 == RESULTS:
            if results_top is None:
                results_top = r
            if row.level3:
                group_top.setdefault(row.level2, r)
                group_size[row.level2] = group_size.get(row.level2, 0) + 1
                cells.append(GridCell(r, 2, row.level3, "label"))
            else:
                cells.append(GridCell(r, 1, row.level2, "label", colspan=2))
        else:
            cells.append(GridCell(r, 0, row.level1, "label", colspan=3))
        for i, v in enumerate(table.row(row.key)):
            cells.append(GridCell(r, 3 + i, str(v), "number", value=v))
        r += 1
    assert results_top is not None
    n_results = sum(1 for row in TABLE3_ROWS if row.level1 == RESULTS)
    cells.append(GridCell(results_top, 0, RESULTS, "label", rowspan=n_results))
    for label, top in group_top.items():
        cells.append(GridCell(top, 1, label, "label", rowspan=group_size[label]))
    cells.sort(key=lambda c: (c.row, c.col))
    return Grid("表三", r, 10, 3, tuple(cells), (0.9, 1.8, 5.0) + (1.0,) * 7)


def table4_grid(table: Table4) -> Grid:
    """表四: 行政复议 over 5 columns and 行政诉讼 over 10; 未经复议直接起诉 and 复议后起诉 over 5
    each; the 行政复议 result headers span header rows 2–3; one row of 15 numbers."""
    results = APPEAL_RESULT_LABELS
    cells = [
        GridCell(0, 0, AppealKind.REVIEW.value, "header", colspan=5),
        GridCell(0, 5, LITIGATION, "header", colspan=10),
        *(GridCell(1, i, t, "header", rowspan=2) for i, t in enumerate(results)),
        GridCell(1, 5, AppealKind.DIRECT_SUIT.value, "header", colspan=5),
        GridCell(1, 10, AppealKind.SUIT_AFTER_REVIEW.value, "header", colspan=5),
        *(GridCell(2, 5 + i, t, "header") for i, t in enumerate(results)),
        *(GridCell(2, 10 + i, t, "header") for i, t in enumerate(results)),
        *(GridCell(3, i, str(v), "number", value=v) for i, v in enumerate(table.numbers())),
    ]
    cells.sort(key=lambda c: (c.row, c.col))
    return Grid("表四", 4, 15, 3, tuple(cells), (1.0,) * 15)


# ---- the registers' sentences (issue 8 §5; also quoted by the 落实情况 report) ----------------

# A channel whose name says 舆情 holds 政务舆情 incidents, counted in 起 (seed 000: "共对5起舆情进行
# 妥善处置"); every other channel holds hotline and mailbox cases, counted in 件 with 办结率 (seed
# 004: "共收到“51890”来访件68件，办结66件，办结率97%").
OPINION_MARK = "舆情"


@dataclass(frozen=True, slots=True)
class RegisterFigures:
    """A year's counts from the four registers (core.registers), for the sentences of the
    年报 总体情况 and the 落实情况 report. A register with nothing in the year gives no
    sentence: 0 here means "nothing to say", never "0件" or "0%"."""

    interpretations: int = 0  # 政策解读
    interpretation_forms: tuple[tuple[str, int], ...] = ()  # (文字, 6), (图解, 3) …
    opinions: int = 0  # 舆情 incidents (channels named …舆情)
    opinions_closed: int = 0
    hotline_received: int = 0  # 热线、信箱 cases (the other channels)
    hotline_closed: int = 0
    hotline_on_time: int = 0  # of the closed, within their 办理时限
    hotline_channels: tuple[str, ...] = ()  # the channels that had cases, in order
    proposals: int = 0  # 建议提案 handled
    proposals_replied: int = 0
    proposal_kinds: tuple[tuple[str, int], ...] = ()  # (人大代表建议, 5), (政协委员提案, 3)
    proposals_satisfied: int = 0  # 满意 + 基本满意
    proposals_rated: int = 0
    trainings: int = 0  # 培训 sessions
    trainees: int = 0  # 参训人次
    leading_group_meetings: int = 0  # 领导小组会议
    topical_meetings: int = 0  # 专题会议

    @classmethod
    def of(cls, interpretations: InterpretationStats | None = None,
           hotline: HotlineStats | None = None, proposals: ProposalStats | None = None,
           meetings: MeetingStats | None = None) -> RegisterFigures:
        """From the registers' statistics of one period (core.registers)."""
        values: dict[str, Any] = {}
        if interpretations is not None:
            values.update(interpretations=interpretations.total,
                          interpretation_forms=tuple((f, n) for f, n in interpretations.by_form
                                                     if n))
        if hotline is not None:
            opinion = [t for name, t in hotline.by_channel if OPINION_MARK in name]
            cases = [(name, t) for name, t in hotline.by_channel
                     if OPINION_MARK not in name and t.received]
            values.update(
                opinions=sum(t.received for t in opinion),
                opinions_closed=sum(t.closed for t in opinion),
                hotline_received=sum(t.received for _, t in cases),
                hotline_closed=sum(t.closed for _, t in cases),
                hotline_on_time=sum(t.closed_on_time for _, t in cases),
                hotline_channels=tuple(name for name, _ in cases))
        if proposals is not None:
            values.update(proposals=proposals.total, proposals_replied=proposals.replied,
                          proposal_kinds=tuple((k, n) for k, n, _ in proposals.by_kind if n),
                          proposals_satisfied=proposals.satisfied,
                          proposals_rated=proposals.rated)
        if meetings is not None:
            kinds = {k: (n, p) for k, n, p in meetings.by_kind}
            values.update(
                trainings=kinds.get(MeetingKind.TRAINING.value, (0, 0))[0],
                trainees=kinds.get(MeetingKind.TRAINING.value, (0, 0))[1],
                leading_group_meetings=kinds.get(MeetingKind.LEADING_GROUP.value, (0, 0))[0],
                topical_meetings=kinds.get(MeetingKind.TOPICAL.value, (0, 0))[0])
        return cls(**values)


def _share(part: int, whole: int) -> str:
    """"办结率97%" — only for a rate above 0 (a rate of nothing, or nothing done, is not said
    as a percentage: the sentence says it in words)."""
    return format_rate(rate(part, whole))


def interpretation_sentence(f: RegisterFigures) -> str:
    """"全年共发布政策解读信息10条（文字解读6条、图解3条、音视频解读1条）。" ('' with none)."""
    if f.interpretations <= 0:
        return ""
    names = {"文字": "文字解读", "音视频": "音视频解读"}
    forms = [(names.get(k, k), n) for k, n in f.interpretation_forms if n > 0]
    text = f"全年共发布政策解读信息{f.interpretations}条"
    if len(forms) == 1 and forms[0][1] == f.interpretations:
        text += f"，均为{forms[0][0]}"
    elif forms:
        text += "（" + "、".join(f"{k}{n}条" for k, n in forms) + "）"
    return text + "。"


def opinion_sentence(f: RegisterFigures) -> str:
    """"全年共监测处置政务舆情5起，均已妥善处置。" ('' with none)."""
    if f.opinions <= 0:
        return ""
    if f.opinions_closed >= f.opinions:
        done = "均已妥善处置"
    elif f.opinions_closed:
        done = f"已妥善处置{f.opinions_closed}起，其余正在跟踪处置"
    else:
        done = "目前正在跟踪处置"
    return f"全年共监测处置政务舆情{f.opinions}起，{done}。"


def _quoted_number(channel: str) -> str:
    """51890热线 → “51890”热线, as the seed reports write a hotline's number."""
    digits = len(channel) - len(channel.lstrip("0123456789"))
    return f"“{channel[:digits]}”{channel[digits:]}" if digits else channel


def hotline_sentence(f: RegisterFigures) -> str:
    """"全年共受理12345热线、书记信箱等来件68件，办结66件，办结率97%，按时办结率95%。"
    ('' with none). A rate is said only when something was closed (never "0%")."""
    if f.hotline_received <= 0:
        return ""
    names = "、".join(_quoted_number(n) for n in f.hotline_channels[:3])
    via = f"{names}{'等' if len(f.hotline_channels) > 1 else ''}" if names else "热线、信箱"
    text = f"全年共受理{via}来件{f.hotline_received}件"
    if f.hotline_closed <= 0:
        return text + "，目前均在办理中。"
    text += f"，办结{f.hotline_closed}件，办结率{_share(f.hotline_closed, f.hotline_received)}"
    if f.hotline_on_time >= f.hotline_closed:
        text += "，均在办理时限内办结"
    elif f.hotline_on_time > 0:
        text += f"，按时办结率{_share(f.hotline_on_time, f.hotline_closed)}"
    return text + "。"


def proposal_sentence(f: RegisterFigures) -> str:
    """"全年共承办人大代表建议5件、政协委员提案3件，已全部答复，满意率100%。" ('' with none)."""
    if f.proposals <= 0:
        return ""
    kinds = "、".join(f"{k}{n}件" for k, n in f.proposal_kinds if n) \
        or f"建议提案{f.proposals}件"
    text = f"全年共承办{kinds}"
    if f.proposals_replied >= f.proposals:
        text += "，已全部答复"
    elif f.proposals_replied > 0:
        text += f"，已答复{f.proposals_replied}件，其余正在办理"
    else:
        text += "，目前正在办理"
    if f.proposals_rated > 0 and f.proposals_satisfied > 0:
        text += f"，满意率{_share(f.proposals_satisfied, f.proposals_rated)}"
    return text + "。"


def training_phrase(f: RegisterFigures) -> str:
    """"组织政务公开业务培训4次，参训160人次" ('' with none; no full stop)."""
    if f.trainings <= 0:
        return ""
    return f"组织政务公开业务培训{f.trainings}次" + (f"，参训{f.trainees}人次" if f.trainees > 0
                                                    else "")


def meeting_phrase(f: RegisterFigures) -> str:
    """"召开政务公开工作领导小组会议2次、专题会议3次" ('' with none; no full stop)."""
    parts = []
    if f.leading_group_meetings > 0:
        parts.append(f"政务公开工作领导小组会议{f.leading_group_meetings}次")
    if f.topical_meetings > 0:
        parts.append(f"政务公开专题会议{f.topical_meetings}次")
    return "召开" + "、".join(parts) if parts else ""


# ---- 一、总体情况 draft -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OverviewFigures:
    """What the year's registers say, for the 一、总体情况 draft. ``None`` means "not known":
    the sentence is left out rather than written with a guessed number; 0 is a fact and is
    said as one ("全年未收到…")."""

    place: str = "镇"  # 镇 / 乡 / 街道: "我镇", "全镇"
    notices: int | None = None  # 主动公开政府信息, items (a notice on three channels counts once)
    by_channel: tuple[tuple[str, int], ...] = ()  # (公开栏, 320), (门户网站, 150) …
    by_category: tuple[tuple[str, int], ...] = ()  # (财政资金, 40) …
    communities: int | None = None  # 社区（村）
    boards: int | None = None  # 公开栏
    postings: int | None = None  # 张贴 records in the year
    taken_down: int | None = None  # of which taken down when the 公示期 ended
    slips: int | None = None  # 信息公开审批单 completed (notices and letters), as printed
    screened: int | None = None  # 保密审查 done (审批单 through the secrecy step)
    requests_received: int | None = None  # 本年新收 (表三 一)
    requests_carried: int = 0  # 上年结转 (表三 二)
    requests_answered: int | None = None  # 办结 in the year (表三 三（七）)
    requests_on_time: int | None = None  # of those, answered within the 法定期限
    appeals: int | None = None  # 行政复议 + 行政诉讼 cases (表四 总计s)
    spot_checks: int | None = None  # 月抽查 of communities
    assessments: int | None = None  # 季度考核 rounds
    trainings: int | None = None  # 业务培训 sessions
    trainees: int | None = None  # 参训人次
    accountability: int | None = None  # 责任追究 cases
    # the four registers of issue 8 (政策解读, 舆情与热线, 建议提案, 培训与会议); None: not asked
    registers: RegisterFigures | None = None


def _list(pairs: Sequence[tuple[str, int]], unit: str) -> str:
    return "、".join(f"{name}{n}{unit}" for name, n in pairs if n)


def draft_overview(year: int, figures: OverviewFigures) -> str:
    """A draft of 一、总体情况 from the year's figures, in the five parts the 2021 format asks
    for (主动公开、依申请公开、政府信息管理、平台建设、监督保障) and in the voice of the seed
    reports ("我镇", "全镇", counts per channel). Lines starting with （一）… are level-2
    headings; the office edits the text before it is printed."""
    f = figures
    we, whole = f"我{f.place}", f"全{f.place}"
    parts: list[str] = []

    text = [f"{year}年，{we}深入贯彻《中华人民共和国政府信息公开条例》，坚持以公开为常态、"
            "不公开为例外，扎实推进决策、执行、管理、服务、结果“五公开”。"]
    if f.notices is not None:
        text.append(f"全年共主动公开政府信息{f.notices}条。")
        channels = "，".join(f"{name}公开{n}条" for name, n in f.by_channel if n)
        if channels:
            # the seed reports count per channel: "网站公开1880余条；公开栏公开1000余条"
            text.append(f"分渠道看，通过{channels}"
                        + ("（同一信息通过多个渠道公开的分别计算）。" if len(f.by_channel) > 1
                           else "。"))
        cats = _list(f.by_category, "条")
        if cats:
            text.append(f"按信息类别分，{cats}。")
    reg = f.registers or RegisterFigures()
    # 解读回应 and 建议提案 belong to 主动公开 in the 2021 format's 总体情况 (seed 002 reports
    # them as "围绕扩大政务参与加强解读回应" and "建议和提案办理结果").
    text += [s for s in (interpretation_sentence(reg), opinion_sentence(reg),
                         hotline_sentence(reg), proposal_sentence(reg)) if s]
    parts.append("（一）主动公开。" + "".join(text))

    if f.requests_received is not None:
        if f.requests_received == 0 and f.requests_carried == 0:
            req = "全年未收到政府信息公开申请。"
        else:
            req = f"全年共收到政府信息公开申请{f.requests_received}件"
            if f.requests_carried:
                req += f"，上年结转{f.requests_carried}件"
            if f.requests_answered is not None:
                req += f"，办结{f.requests_answered}件"
                if f.requests_on_time is not None and f.requests_answered:
                    req += ("，均在法定期限内答复" if f.requests_on_time == f.requests_answered
                            else f"，其中在法定期限内答复{f.requests_on_time}件")
                open_ = f.requests_received + f.requests_carried - f.requests_answered
                if open_ > 0:
                    req += f"，结转下年度继续办理{open_}件"
            req += "。"
        parts.append("（二）依申请公开。严格按照《条例》规定的程序和时限受理、办理政府信息公开申请。"
                     + req)

    mgmt = ["严格落实“先审查、后公开”和“谁公开谁审查、谁审查谁负责”制度"]
    if f.slips is not None:
        mgmt.append(f"全年办理《信息公开审批单》{f.slips}份")
    if f.screened is not None:
        mgmt.append(f"开展保密审查{f.screened}件次")
    parts.append("（三）政府信息管理。" + "，".join(mgmt) + "，确保公开内容准确、规范。")

    platform = []
    if f.boards is not None:
        where = f"{whole}{f.communities}个社区（村）" if f.communities is not None else whole
        platform.append(f"{where}共设置政务（村务、居务）公开栏{f.boards}个")
    if f.postings is not None:
        post = f"全年张贴公开信息{f.postings}次"
        if f.taken_down is not None:
            post += f"，公示期满按时撤栏{f.taken_down}次"
        platform.append(post)
    if platform or f.by_channel:
        names = "、".join(name for name, n in f.by_channel if n)
        head = f"用好{names}等公开渠道，" if names else ""
        parts.append("（四）政府信息公开平台建设。" + head + "，".join(platform or ["不断拓宽公开渠道"])
                     + "。")

    sup = []
    if f.spot_checks is not None or f.assessments is not None:
        checks = []
        if f.spot_checks is not None:
            checks.append(f"月抽查{f.spot_checks}次")
        if f.assessments is not None:
            checks.append(f"季度考核{f.assessments}次")
        sup.append("采取月抽查、季考核的方式对各社区（村）公开工作进行监督考核，全年开展"
                   + "、".join(checks) + "，考核结果在全" + f.place + "范围内通报")
    meetings = meeting_phrase(reg)
    if meetings:
        sup.append(f"全年{meetings}，研究部署政务公开重点工作")
    if f.trainings is not None:  # entered by the office: said as entered, 0 included
        if f.trainings:
            t = f"组织政务公开业务培训{f.trainings}次"
            if f.trainees:
                t += f"，参训{f.trainees}人次"
            sup.append(t)
        else:
            sup.append("全年未单独组织政务公开业务培训")
    elif training_phrase(reg):  # else the 培训 register's count, when it has any
        sup.append(training_phrase(reg))
    if f.appeals is not None:
        sup.append("全年未发生因政府信息公开被申请行政复议、提起行政诉讼的情况" if f.appeals == 0
                   else f"全年因政府信息公开被申请行政复议、提起行政诉讼共{f.appeals}件")
    if f.accountability is not None:
        sup.append("未发生政府信息公开工作责任追究情况" if f.accountability == 0
                   else f"政府信息公开工作责任追究{f.accountability}起")
    if sup:
        parts.append("（五）监督保障。" + "；".join(sup) + "。")
    return "\n".join(parts)


# ---- the report --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnnualReport:
    """政府信息公开工作年度报告 of one 行政机关 for one year. ``organ`` is the name the title and
    the 署名 carry (e.g. 青山县云溪镇人民政府); ``texts`` are the six sections' texts in order
    — for 二、三、四 an optional remark printed above the table (the format has only the table
    there); lines starting with （一）/1. are headings. ``intro`` replaces the default opening
    paragraph (which carries the statistics-period line)."""

    year: int
    organ: str
    texts: tuple[str, str, str, str, str, str]
    table2: ProactiveFigures
    table3: Table3
    table4: Table4
    dated: date | None = None  # 成文日期 under the 署名; None: no 署名 block
    intro: str = ""
    contact: str = ""  # e.g. 云溪镇党政办，地址：…，电话：…

    def __post_init__(self) -> None:
        if len(self.texts) != len(SECTION_TITLES):
            raise ValueError("texts: one per section, six in all")
        if not self.organ.strip():
            raise UserError("请填写报告机关名称（如××县××镇人民政府）。", field="organ")

    @property
    def title(self) -> str:
        return f"{self.organ}{self.year}年政府信息公开工作年度报告"

    @property
    def period_line(self) -> str:
        return period_line(self.year)

    @property
    def opening(self) -> str:
        """The paragraph under the title: the default names the 条例, the statistics period and
        where to ask (when ``contact`` is given)."""
        if self.intro.strip():
            return self.intro.strip()
        text = (f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条规定编制。"
                f"{self.period_line}。")
        if self.contact.strip():
            text += f"如对本报告有疑问，请与{self.contact.strip().rstrip('。')}联系。"
        return text

    def problems(self, previous: Table3 | Sequence[int] | None = None) -> list[Problem]:
        return check_table3(self.table3, previous)


def _grid_json(grid: Grid) -> dict[str, Any]:
    return {
        "name": grid.name,
        "rows": grid.rows,
        "cols": grid.cols,
        "header_rows": grid.header_rows,
        "cells": [
            {"row": c.row, "col": c.col, "rowspan": c.rowspan, "colspan": c.colspan,
             "kind": c.kind, "text": c.text,
             **({"value": str(c.value) if isinstance(c.value, Decimal) else c.value}
                if c.value is not None else {})}
            for c in grid.cells
        ],
    }


def report_json(report: AnnualReport) -> dict[str, Any]:
    """Everything in the report as JSON-ready values: texts, and every table cell with its
    labels and number (amounts as strings, so 12.30 万元 is not turned into a float), plus the
    layout grids and any 勾稽关系 problem (`govdesk report annual YEAR -o FILE.json`)."""
    t2 = report.table2
    L = TABLE2_LABELS  # noqa: N806
    amount = format_amount(t2.fee_amount)
    table2 = {
        "name": "表二",
        "rows": [
            {"item": L["item_1"], "content": L["rules"],
             L["made"]: t2.rules_made, L["repealed"]: t2.rules_repealed,
             L["in_force"]: t2.rules_in_force},
            {"item": L["item_1"], "content": L["normative"],
             L["made"]: t2.normative_made, L["repealed"]: t2.normative_repealed,
             L["in_force"]: t2.normative_in_force},
            {"item": L["item_5"], "content": L["licensing"],
             L["decisions"]: t2.licensing_decisions},
            {"item": L["item_6"], "content": L["penalty"], L["decisions"]: t2.penalty_decisions},
            {"item": L["item_6"], "content": L["coercion"],
             L["decisions"]: t2.coercion_decisions},
            {"item": L["item_8"], "content": L["fees"], L["fee_amount"]: amount},
        ],
    }
    table3 = {
        "name": "表三",
        "columns": [{"key": k, "label": COLUMN_LABELS[k]} for k in COLUMN_KEYS],
        "rows": [
            {"key": row.key, "labels": [row.level1, row.level2, row.level3],
             "values": dict(zip(COLUMN_KEYS, report.table3.row(row.key), strict=True))}
            for row in TABLE3_ROWS
        ],
    }
    t4 = report.table4
    table4 = {
        "name": "表四",
        "groups": [
            {"label": AppealKind.REVIEW.value, "parent": "",
             "values": dict(zip(APPEAL_RESULT_LABELS, t4.review.numbers(), strict=True))},
            {"label": AppealKind.DIRECT_SUIT.value, "parent": LITIGATION,
             "values": dict(zip(APPEAL_RESULT_LABELS, t4.direct_suit.numbers(), strict=True))},
            {"label": AppealKind.SUIT_AFTER_REVIEW.value, "parent": LITIGATION,
             "values": dict(zip(APPEAL_RESULT_LABELS, t4.suit_after_review.numbers(),
                                strict=True))},
        ],
        "numbers": list(t4.numbers()),
    }
    return {
        "year": report.year,
        "organ": report.organ,
        "title": report.title,
        "period_line": report.period_line,
        "opening": report.opening,
        "dated": report.dated.isoformat() if report.dated else None,
        "sections": [{"title": t, "text": x}
                     for t, x in zip(SECTION_TITLES, report.texts, strict=True)],
        "table2": table2,
        "table3": table3,
        "table4": table4,
        "grids": [_grid_json(g) for g in (table2_grid(report.table2), table3_grid(report.table3),
                                          table4_grid(report.table4))],
        "problems": [
            {"message": p.message,
             "cells": [{"table": c.table, "row": c.row, "column": c.column} for c in p.cells]}
            for p in report.problems()
        ],
    }
