"""The assessment tables the office hands to leaders and the county (issue 5, item 6): the
quarterly table (季度考核汇总表) and the year table (年度考核汇总表), each as xlsx, CSV and PDF.

Plain data in, files out: the callers pass the scoring core's results (:func:`assess_quarter`,
:func:`year_score`); nothing here touches Qt or the database.

Layout of the quarterly table (xlsx and PDF alike)::

    row 1      金星镇2017年第三季度社区政务公开考核汇总表                      (merged title)
    row 2      序号 | 社区 | 公开栏建设            | 公开内容 …  | 加分 | 扣分 | 总分 | 排名 | 等次 | 备注
    row 3           |      | 公开栏设置|监督电话|…| …           |      |      |      |      |      |
    rows 4…    one row per community, by rank (ties by name, as the core orders them)
    last       填表单位：＿＿  填表人：＿＿  审核人：＿＿  日期：  年  月  日     (merged footer)

一级 indicators are merged across their 二级 indicators; the columns without a 二级 level (序号,
社区, a 一级 indicator without children, 加分 …) are merged vertically over the two header rows.

Decisions:

* Every indicator score is the community's exact share rounded once to one decimal
  (ROUND_HALF_UP). Rounded shares need not add up to the rounded total; the total is the
  figure of record (scoring.QuarterScore.total) and is never recomputed here.
* xlsx cells hold numbers (float/int, number format "0.0", year-end points "0.00", rank "0"),
  never text and never formulas; text goes through :func:`~govdesk.export.tables.xlsx_text`
  and is stored as a string cell. 加分/扣分 of 0 are written as 0.0, not left blank, so every
  data cell of a number column is a number. A quarter a community was not assessed in is an
  empty cell in the year table (not 0: it did not count).
* The CSV has one header line (the two header rows flattened: "公开内容/财务收支公开") and the
  data; no title and no footer, so any program can read it back as a table.
* All writes are atomic (temp file + ``os.replace``); a bad path is a Chinese UserError.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from govdesk.core.scoring import (
    DEFAULT_YEAR_END_WEIGHT,
    QuarterResult,
    Scheme,
    YearScore,
    competition_ranks,
    round_half_up,
    year_score,
)
from govdesk.export import tables as _tables
from govdesk.export.fonts import ResolvedFont

__all__ = [
    "AssessmentColumn",
    "AssessmentTable",
    "quarter_table",
    "write_csv",
    "write_pdf",
    "write_quarter_csv",
    "write_quarter_pdf",
    "write_quarter_xlsx",
    "write_year_csv",
    "write_year_pdf",
    "write_xlsx",
    "write_year_xlsx",
    "year_scores_from_quarters",
    "year_table",
]

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
SCORE_FORMAT = "0.0"
POINTS_FORMAT = "0.00"
RANK_FORMAT = "0"
BLANK = "＿＿＿＿＿＿"
FOOTER_FIELDS = ("填表单位", "填表人", "审核人")

# Column kinds: "text"; "int" (rank, 序号); "score" (one decimal); "points" (two decimals).
_KINDS = frozenset({"text", "int", "score", "points"})
_NUMBER_FORMATS = {"int": RANK_FORMAT, "score": SCORE_FORMAT, "points": POINTS_FORMAT}


@dataclass(frozen=True)
class AssessmentColumn:
    """One column. ``group`` is the label of the upper header row (the 一级 indicator) shared
    by consecutive columns with the same group; "" means the column has one header level and
    its ``label`` spans both header rows. ``width`` is in Chinese characters."""

    label: str
    group: str = ""
    kind: str = "score"
    width: float = 6

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def flat_label(self) -> str:
        """The two header levels in one, for the CSV: "公开内容/财务收支公开"."""
        return f"{self.group}/{self.label}" if self.group else self.label


@dataclass(frozen=True)
class AssessmentTable:
    """A quarterly or year assessment table as plain values. ``rows`` hold str, int, Decimal
    or None (an empty cell), one entry per column, in print order."""

    title: str
    township: str
    period: str  # "2017年第三季度", "2017年度"
    columns: tuple[AssessmentColumn, ...]
    rows: tuple[tuple[object, ...], ...]
    footer: str
    note: str = ""  # one line under the title in the PDF (scheme, method, 等次)

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rows", tuple(tuple(r) for r in self.rows))
        for n, row in enumerate(self.rows, 1):
            if len(row) != len(self.columns):
                raise ValueError(f"row {n} has {len(row)} values, expected {len(self.columns)}")

    @property
    def groups(self) -> tuple[tuple[str, int, int], ...]:
        """Runs of the upper header row: (label, first column, last column), 0-based; a column
        without a group is a run of its own with label ""."""
        out: list[tuple[str, int, int]] = []
        for i, col in enumerate(self.columns):
            if col.group and out and out[-1][0] == col.group and out[-1][2] == i - 1:
                out[-1] = (col.group, out[-1][1], i)
            else:
                out.append((col.group, i, i))
        return tuple(out)

    @property
    def header_rows(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The two header rows as printed (a merged cell's text in its first cell, "" in the
        others)."""
        upper = [""] * len(self.columns)
        lower = [""] * len(self.columns)
        for label, first, last in self.groups:
            if label:
                upper[first] = label
                for i in range(first, last + 1):
                    lower[i] = self.columns[i].label
            else:
                upper[first] = self.columns[first].label
        return tuple(upper), tuple(lower)

    @property
    def flat_headers(self) -> tuple[str, ...]:
        return tuple(c.flat_label for c in self.columns)


def _footer(unit: str) -> str:
    filled = unit.strip() or BLANK * 2
    return (f"填表单位：{filled}　　　填表人：{BLANK}　　　审核人：{BLANK}　　　"
            "日期：　　　　年　　月　　日")


def _score(value: Fraction | Decimal | int) -> Decimal:
    return round_half_up(value, 1)


# --------------------------------------------------------------------------- building

def quarter_table(scheme: Scheme, results: Iterable[QuarterResult], *, township: str, year: int,
                  quarter: int, unit: str = "", subject: str = "社区政务公开") -> AssessmentTable:
    """The 季度考核汇总表 of ``results`` (from :func:`~govdesk.core.scoring.assess_quarter`).
    Rows are in rank order, ties by name (the core's order is re-established here, so any
    order of ``results`` gives the same table). ``unit`` fills 填表单位 (blank to fill by hand
    if empty)."""
    if quarter not in QUARTER_NAMES:
        raise ValueError(f"季度“{quarter}”不正确")
    period = f"{year}年{QUARTER_NAMES[quarter]}"
    columns: list[AssessmentColumn] = [
        AssessmentColumn("序号", kind="int", width=3),
        AssessmentColumn("社区", kind="text", width=6),
    ]
    leaf_codes: list[str] = []
    for top in scheme.indicators:
        if top.is_leaf:
            columns.append(AssessmentColumn(top.name, width=_label_width(top.name)))
            leaf_codes.append(top.code)
        else:
            for child in top.children:
                columns.append(AssessmentColumn(child.name, group=top.name,
                                                width=_label_width(child.name)))
                leaf_codes.append(child.code)
    columns += [
        AssessmentColumn("加分", width=3.5),
        AssessmentColumn("扣分", width=3.5),
        AssessmentColumn("总分", width=4),
        AssessmentColumn("排名", kind="int", width=3.5),
        AssessmentColumn("等次", kind="text", width=4),
        AssessmentColumn("备注", kind="text", width=6),
    ]
    ordered = sorted(results, key=lambda r: (r.rank, r.score.name, r.score.community_id))
    rows: list[tuple[object, ...]] = []
    for n, result in enumerate(ordered, 1):
        s = result.score
        notes: list[str] = []
        if 0 < len(s.monthly) < 3:
            notes.append(f"抽查{len(s.monthly)}个月")
        if s.vetoed:
            names = {v.code: v.code for v in s.vetoes}
            for v in scheme.vetoes:
                if v.code in names:
                    names[v.code] = v.name
            notes.append("否决项：" + "、".join(dict.fromkeys(names.values())))
        rows.append((
            n, s.name,
            *(_score(s.indicator_scores.get(code, Fraction(0))) for code in leaf_codes),
            _score(s.bonus), _score(s.penalty), s.total, result.rank, str(result.grade),
            "；".join(notes) or None,
        ))
    return AssessmentTable(
        title=f"{township}{period}{subject}考核汇总表", township=township, period=period,
        columns=tuple(columns), rows=tuple(rows), footer=_footer(unit),
        note=f"考核细则：{scheme.name}　　满分{_plain(scheme.total)}分，加分、扣分另计",
    )


def year_scores_from_quarters(quarters: Mapping[int, Iterable[QuarterResult]], year: int,
                              weight: Decimal = DEFAULT_YEAR_END_WEIGHT) -> list[YearScore]:
    """Each community's :class:`YearScore` from the quarters' results (quarter → results),
    by :func:`~govdesk.core.scoring.year_score` (quarters not assessed are left out)."""
    per: dict[int, dict[int, Decimal]] = {}
    names: dict[int, str] = {}
    for q, results in quarters.items():
        for r in results:
            per.setdefault(r.score.community_id, {})[q] = r.score.total
            names[r.score.community_id] = r.score.name
    out = [year_score(cid, names[cid], year, qs, weight) for cid, qs in per.items()]
    return [y for y in out if y is not None]


def year_table(scores: Iterable[YearScore], *, township: str, year: int,
               weight: Decimal = DEFAULT_YEAR_END_WEIGHT, unit: str = "",
               subject: str = "社区政务公开") -> AssessmentTable:
    """The 年度考核汇总表: per community the four quarter scores (empty where not assessed),
    the year score (mean of the quarters assessed), the year-end points (年终考核得分 =
    year score / 100 × ``weight``) and the rank by year score (并列 1, 2, 2, 4; ties by name).
    ``weight`` only labels the column: the points are the ones ``scores`` carry."""
    period = f"{year}年度"
    group = "季度考核得分"
    columns = [
        AssessmentColumn("序号", kind="int", width=3),
        AssessmentColumn("社区", kind="text", width=8),
        *(AssessmentColumn(QUARTER_NAMES[q], group=group, width=5) for q in range(1, 5)),
        AssessmentColumn("全年得分", width=5),
        AssessmentColumn(f"年终考核得分（{_plain(weight)}分）", kind="points", width=7),
        AssessmentColumn("排名", kind="int", width=3.5),
        AssessmentColumn("备注", kind="text", width=14),
    ]
    ranked = competition_ranks(list(scores), score=lambda y: y.score,
                               name=lambda y: f"{y.name}\x00{y.community_id:012d}")
    rows: list[tuple[object, ...]] = []
    for n, (rank, y) in enumerate(ranked, 1):
        missing = [QUARTER_NAMES[q] for q in range(1, 5) if q not in y.quarters]
        note = "、".join(missing) + "未考核" if missing else None
        rows.append((n, y.name, *(y.quarters.get(q) for q in range(1, 5)), y.score,
                     y.year_end_points, rank, note))
    return AssessmentTable(
        title=f"{township}{period}{subject}考核汇总表", township=township, period=period,
        columns=tuple(columns), rows=tuple(rows), footer=_footer(unit),
        note=(f"全年得分为已考核季度得分的平均数；年终考核得分＝全年得分÷100×{_plain(weight)}分，"
              f"最高{_plain(weight)}分"),
    )


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _label_width(label: str) -> float:
    """Column width for an indicator (in Chinese characters, one for padding): a name of up to
    four characters stays on one line, a longer one wraps evenly onto two (公开栏/设置)."""
    n = len(label)
    return float((n if n <= 4 else (n + 1) // 2) + 1) if n > 2 else 4.0


# --------------------------------------------------------------------------- xlsx

def _cell_value(value: object, kind: str) -> object:
    if value is None or kind == "text":
        return value
    if isinstance(value, bool):
        raise TypeError("bool is not a number")
    if kind == "int":
        return int(value)  # type: ignore[call-overload]
    return float(value)  # type: ignore[arg-type]


def write_xlsx(table: AssessmentTable, path: str | os.PathLike[str]) -> None:
    """The table as an xlsx sheet (see the module docstring for the layout), A4 landscape,
    one page wide, title and header rows repeated on every printed page."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    ncols = len(table.columns)
    upper = []
    for label, first, last in table.groups:
        upper.append(label)  # a group label, or "" = the column title merges upwards
        upper.extend([None] * (last - first))
    kinds = {"text": "text", "int": "int", "score": "decimal", "points": "decimal"}
    generic = _tables.Table(
        title=table.title,
        columns=tuple(_tables.Column(c.label, width=c.width, kind=kinds[c.kind])
                      for c in table.columns),
        rows=[tuple(_cell_value(v, c.kind) for v, c in zip(row, table.columns, strict=True))
              for row in table.rows],
        header_rows=(tuple(upper),),
    )
    wb = Workbook()
    wb.properties.creator = "govdesk"
    wb.properties.title = _tables.xlsx_text(table.title)
    _tables.register_styles(wb)
    ws = wb.active
    ws.title = _tables.sheet_names_for([table.period + "考核汇总表"])[0]
    _tables.fill_sheet(ws, generic)  # title, merged two-row header, data, print setup

    first_data = 4
    wrap_centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for c, col in enumerate(table.columns, start=1):
        fmt = _NUMBER_FORMATS.get(col.kind)
        for r in range(first_data, first_data + len(table.rows)):
            cell = ws.cell(row=r, column=c)
            if fmt:
                cell.number_format = fmt
                cell.alignment = Alignment(horizontal="center", vertical="center")
            elif col.label in ("等次",):
                cell.alignment = wrap_centre
    ws.row_dimensions[2].height = 22
    ws.row_dimensions[3].height = 48  # 二级 names wrap onto up to three lines

    footer_row = first_data + len(table.rows) + 1
    _tables.put_text(ws, footer_row, 1, table.footer, _tables.STYLE_SUBTITLE)
    if ncols > 1:
        ws.merge_cells(start_row=footer_row, start_column=1, end_row=footer_row,
                       end_column=ncols)
    ws.row_dimensions[footer_row].height = 28
    ws.freeze_panes = "C4"  # header rows and 序号/社区 stay in view
    ws.print_title_rows = "1:3"
    _tables.atomic_write(path, wb.save, text=False)


def write_csv(table: AssessmentTable, path: str | os.PathLike[str]) -> None:
    """The table as CSV: UTF-8 with BOM, one flattened header line, numbers as plain decimals
    (91.3, 4.49), text made formula-safe."""
    kinds = {"text": "text", "int": "int", "score": "decimal", "points": "decimal"}
    generic = _tables.Table(
        title=table.title,
        columns=tuple(_tables.Column(c.flat_label, kind=kinds[c.kind]) for c in table.columns),
        rows=table.rows,
    )
    _tables.write_csv(path, generic)


# --------------------------------------------------------------------------- pdf

def _pdf_text(value: object, kind: str) -> str:
    if value is None:
        return ""
    if kind == "score" and isinstance(value, Decimal):
        return f"{round_half_up(value, 1):f}"
    if kind == "points" and isinstance(value, Decimal):
        return f"{round_half_up(value, 2):f}"
    return str(value)


def write_pdf(table: AssessmentTable, path: Any, *, fonts: Mapping[str, ResolvedFont] | None = None,
              invariant: bool = False) -> int:
    """The table as a landscape A4 PDF: title, note line, the two header rows repeated on every
    page, "第 N 页 共 M 页" at the foot, township and period at the head of every page, and
    the signature line after the table. Returns the number of pages."""
    from reportlab.lib.colors import black
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    from govdesk.export.fonts import resolve_fonts
    from govdesk.export.sheets_pdf import HEADER_FILL, MM, Styles, build, esc, share

    fonts = resolve_fonts() if fonts is None else fonts
    st = Styles(fonts, size=8.0)
    num = ParagraphStyle("num", parent=st.cell_c)
    head = ParagraphStyle("head", parent=st.head, fontSize=8, leading=10)
    pagesize = landscape(A4)
    margin = 12 * MM
    widths = share([c.width for c in table.columns], pagesize[0] - 2 * margin)
    upper, lower = table.header_rows
    data: list[list[Any]] = [
        [Paragraph(esc(t), head) if t else "" for t in upper],
        [Paragraph(esc(t), head) if t else "" for t in lower],
    ]
    for row in table.rows:
        data.append([
            Paragraph(esc(_pdf_text(v, c.kind)),
                      st.cell if c.label in ("社区", "备注") else num)
            for v, c in zip(row, table.columns, strict=True)
        ])
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), st.body_font, 8),
        ("GRID", (0, 0), (-1, -1), 0.5, black),
        ("BACKGROUND", (0, 0), (-1, 1), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for label, first, last in table.groups:
        if label:
            if last > first:
                style.append(("SPAN", (first, 0), (last, 0)))
        else:
            style.append(("SPAN", (first, 0), (first, 1)))
    grid = PdfTable(data, colWidths=widths, repeatRows=2, hAlign="CENTER")
    grid.setStyle(TableStyle(style))
    story: list[Any] = [Paragraph(esc(table.title), st.title)]
    if table.note:
        story.append(Paragraph(esc(table.note), st.cell_c))
    story.append(Spacer(1, 3 * MM))
    if table.rows:
        story.append(grid)
    else:
        story.append(Paragraph("本期没有考核结果。", st.info))
    story += [Spacer(1, 6 * MM), Paragraph(esc(table.footer), st.info)]
    header = "　　".join(p for p in (table.township, table.period + "考核汇总表") if p)
    return build(path, story, pagesize=pagesize, title=table.title, fonts=fonts,
                 invariant=invariant, margins=margin, top=16 * MM, header=header)


# The names the brief and the CLI use; the quarter and year tables share one writer each.
write_quarter_xlsx = write_year_xlsx = write_xlsx
write_quarter_csv = write_year_csv = write_csv
write_quarter_pdf = write_year_pdf = write_pdf
