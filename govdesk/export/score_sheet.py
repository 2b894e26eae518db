"""The 月抽查记分表 fill-in sheet (issue 5, item 8): an xlsx the office prints or fills in on a
laptop during the check, and imports back. Pure file format: plain data in, a file out; a file
in, plain data out (:class:`RawSheet`). Nothing here reads the database or judges the values
against the scheme — :mod:`govdesk.operations.score_import` does that.

Layout of the workbook::

    记分表      row 1   金星镇2017年7月社区政务公开月抽查记分表                      (merged title)
                row 2   检查月份 | 2017-07        (written by govdesk, locked)
                row 3   检查人   | ________       (input)
                row 4   检查日期 | ________       (input, a date)
                row 5   填写说明 (merged)
                row 6   序号 | 社区 | 是否抽查 | 公开栏建设          | 公开内容 …       (一级, merged)
                row 7        |      |          | 公开栏设置|监督电话|… | …                (二级)
                row 8        |      |          | 1.1（10分）|1.2（5分）|…                (code, max)
                rows 9… one row per community: 序号, name (locked), 是否抽查 (是/否, default 是),
                        then the points deducted (扣分) per leaf indicator; empty = nothing deducted
    扣分原因    rows of (社区, 指标, 扣分原因), both first columns with drop-down lists
    考核细则    the scheme for reference: every leaf indicator with its points and rules (locked)
    govdesk_meta (very hidden) what reading back relies on: format tag and version, year, month,
                scheme id and version, and the indicator code of every grid column

Decisions:

* Reasons go on a separate sheet "扣分原因", not beside every indicator. The grid stays one
  screen and one printed page wide, and the person filling it types a number per finding the
  quickest way. Most deductions need no typing at all: a number that is a whole multiple of one
  of the indicator's rules (扣10分 under "每少公开一次扣5分") takes that rule's text as its 扣分原因
  (:func:`govdesk.core.scoring.deduction_for_points`). Only a judgement that no rule covers needs
  a line on "扣分原因", picked from two drop-down lists (community, indicator), so the pairing is
  unambiguous; several lines for the same pair are joined. The points live only in the grid,
  so the two sheets can never disagree about them.
* "是否抽查" (是/否, prefilled 是) tells a community checked with nothing deducted (是, empty
  row = full marks) from one not visited this month (否): a 月抽查 need not visit every
  community, and a month not checked is left out of the quarter rather than counted as 100.
* Reading back goes by the hidden metadata (column → indicator code), never by header text, so
  a renamed indicator or a re-typed header does not move a score to another indicator. Values
  are returned as typed (number, text, date); judging them is the operation's job, so every
  problem can be reported at once with its sheet, row and column.
* Protection: every sheet is protected without a password (WPS and Excel open and unprotect it
  freely; it guards against slips, not people); only the input cells are unlocked and shaded.
  Score cells carry a data validation (decimal from 0 to the indicator's max) with a Chinese
  message, so most typing errors are caught while typing.
* Reading is bounded: the xlsx pre-flight every importer shares (:mod:`govdesk.export.
  xlsx_safety`: files over 20 MB or over 100 MB unpacked, zip and XML bombs, renamed files),
  and sheets that claim or contain more than 2,000 rows or 200 columns, are refused before
  their content is used; openpyxl reads in streaming mode and never past the limits (a row past
  the limit after a gap, in a file that omits its size, is therefore not seen — it is not read
  either). A formula saved without a computed value is refused with its cell (I3).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from govdesk.core.errors import UserError
from govdesk.core.scoring import Indicator, Scheme
from govdesk.export import tables as _tables
from govdesk.export.xlsx_safety import (
    open_xlsx,
    refuse,
    refuse_uncached_formulas,
    uncached_formulas,
)

__all__ = [
    "CHECKED_NO",
    "CHECKED_YES",
    "FIRST_DATA_ROW",
    "FORMAT_TAG",
    "GRID_SHEET",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "META_SHEET",
    "REASONS_SHEET",
    "RULES_SHEET",
    "RawColumn",
    "RawReason",
    "RawRow",
    "RawSheet",
    "RawValue",
    "Where",
    "column_letter",
    "read_sheet",
    "write_template",
]

FORMAT_TAG = "govdesk-score-sheet"
FORMAT_VERSION = 1
GRID_SHEET = "记分表"
REASONS_SHEET = "扣分原因"
RULES_SHEET = "考核细则"
META_SHEET = "govdesk_meta"

# Grid geometry (1-based, as in the spreadsheet).
ROW_TITLE, ROW_MONTH, ROW_CHECKER, ROW_DATE, ROW_NOTE = 1, 2, 3, 4, 5
ROW_H1, ROW_H2, ROW_H3 = 6, 7, 8
FIRST_DATA_ROW = 9
COL_NO, COL_NAME, COL_CHECKED = 1, 2, 3
FIRST_INDICATOR_COL = 4
VALUE_COL = 3  # the info block's values (C2, C3, C4)

REASON_HEADER_ROW = 3
REASON_FIRST_ROW = 4
RULES_FIRST_ROW = 3

CHECKED_YES = "是"
CHECKED_NO = "否"

# Bounds of what is read (a fill-in sheet of a township has tens of rows): anything larger is
# not our template and is refused before its content is used.
MAX_ROWS = 2000
MAX_COLUMNS = 200
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # the file itself: ≤ 20 MB (export.xlsx_safety)

INPUT_FILL = "FFF9E5"  # light cream: "type here"
_S_INPUT = "govdesk 填写"
_S_INPUT_DATE = "govdesk 填写日期"
_S_INPUT_SCORE = "govdesk 填写扣分"
_S_INPUT_WRAP = "govdesk 填写文字"
_S_LABEL = "govdesk 标签"
_S_LOCKED = "govdesk 文本"  # tables' body text style (locked by default)

SCORE_FORMAT = "0.0"


# --------------------------------------------------------------------------- plain data read back

def column_letter(column: int) -> str:
    """1 → A, 27 → AA (as the spreadsheet shows it)."""
    out = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


@dataclass(frozen=True)
class Where:
    """A cell, for messages: 工作表“记分表”第9行第E列."""

    sheet: str
    row: int
    column: int

    @property
    def text(self) -> str:
        return f"工作表“{self.sheet}”第{self.row}行第{column_letter(self.column)}列"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class RawColumn:
    """A grid column of an indicator, from the metadata: code, max points and name as they were
    when the template was written."""

    column: int
    code: str
    max_points: str
    name: str


@dataclass(frozen=True)
class RawValue:
    """A non-empty score cell: the indicator code of its column and the value as typed (int,
    float, str, datetime, bool …)."""

    code: str
    value: object
    where: Where


@dataclass(frozen=True)
class RawRow:
    """A grid row that has anything in it: the community name as typed, 是否抽查 as typed, and
    the non-empty score cells."""

    community: str
    checked: object
    values: tuple[RawValue, ...]
    where: Where  # the community cell
    checked_where: Where

    @property
    def by_code(self) -> dict[str, object]:
        return {v.code: v.value for v in self.values}


@dataclass(frozen=True)
class RawReason:
    """A line of the 扣分原因 sheet, as typed."""

    community: str
    indicator: str
    reason: str
    community_where: Where
    indicator_where: Where
    reason_where: Where


@dataclass(frozen=True)
class RawSheet:
    file_name: str
    month: object
    month_where: Where
    checker: object
    checker_where: Where
    checked_on: object
    checked_on_where: Where
    meta_year: int | None
    meta_month: int | None
    scheme_id: int | None
    scheme_version: int | None
    columns: tuple[RawColumn, ...]
    rows: tuple[RawRow, ...]
    reasons: tuple[RawReason, ...]
    # Values typed into grid cells that belong to no indicator (right of the last indicator).
    stray: tuple[tuple[Where, object], ...] = ()


# --------------------------------------------------------------------------- writing

def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _leaf_label(leaf: Indicator) -> str:
    """What the 指标 drop-down shows and the reader accepts: "2.3 财务收支公开"."""
    return f"{leaf.code} {leaf.name}"


def _register_styles(wb: Any) -> None:
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side

    _tables.register_styles(wb)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill(fill_type="solid", fgColor=INPUT_FILL, bgColor=INPUT_FILL)
    body = Font(name=_tables.BODY_FONT, size=11)
    unlocked = Protection(locked=False)

    def add(name: str, **kw: Any) -> None:
        wb.add_named_style(NamedStyle(name=name, font=body, border=border, **kw))

    add(_S_INPUT, fill=fill, protection=unlocked,
        alignment=Alignment(horizontal="center", vertical="center"))
    add(_S_INPUT_DATE, fill=fill, protection=unlocked, number_format="yyyy-mm-dd",
        alignment=Alignment(horizontal="center", vertical="center"))
    add(_S_INPUT_SCORE, fill=fill, protection=unlocked, number_format=SCORE_FORMAT,
        alignment=Alignment(horizontal="center", vertical="center"))
    add(_S_INPUT_WRAP, fill=fill, protection=unlocked,
        alignment=Alignment(horizontal="left", vertical="center", wrap_text=True))
    add(_S_LABEL, alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))


def _text(ws: Any, row: int, column: int, value: str, style: str) -> Any:
    cell = ws.cell(row=row, column=column)
    text = _tables.xlsx_text(value)
    if text:
        cell.value = text
        cell.data_type = "s"  # a community called "=…" stays text, never a formula
    cell.style = style
    return cell


def _merge(ws: Any, r1: int, c1: int, r2: int, c2: int, style: str | None = None) -> None:
    if style is not None:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                ws.cell(row=r, column=c).style = style
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _protect(ws: Any) -> None:
    # No password: WPS/Excel open it and anyone can unprotect it; it only prevents typing over
    # a header or a name by mistake. Resizing rows and columns stays allowed.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _print_setup(ws: Any, title_rows: str) -> None:
    from openpyxl.worksheet.page import PageMargins

    ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.7, header=0.3,
                                  footer=0.3)
    ws.oddFooter.center.text = _tables.PAGE_FOOTER
    ws.oddFooter.center.size = 9


def _wrapped() -> Any:
    from openpyxl.styles import Alignment

    return Alignment(horizontal="left", vertical="center", wrap_text=True)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def write_template(path: str | os.PathLike[str], *, scheme: Scheme,
                   communities: Sequence[tuple[int, str]], year: int, month: int,
                   township: str, scheme_id: int | None = None,
                   scheme_version: int | None = None) -> None:
    """Write the fill-in sheet of ``year``/``month`` for ``communities`` ((id, name), in print
    order) scored by ``scheme`` (see the module docstring for the layout). Atomic."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    leaves = scheme.leaves
    if not leaves:
        raise ValueError("the scheme has no indicator")
    if FIRST_INDICATOR_COL + len(leaves) > MAX_COLUMNS:
        raise UserError(f"考核细则有{len(leaves)}个二级指标，超过记分表能容纳的数量")
    if len(communities) + FIRST_DATA_ROW > MAX_ROWS:
        raise UserError(f"社区（村）有{len(communities)}个，超过记分表能容纳的数量")
    last_col = FIRST_INDICATOR_COL + len(leaves) - 1
    last_row = FIRST_DATA_ROW + len(communities) - 1

    wb = Workbook()
    wb.properties.creator = "govdesk"
    title = f"{township}{year}年{month}月社区政务公开月抽查记分表"
    wb.properties.title = _tables.xlsx_text(title)
    _register_styles(wb)

    # ---- 记分表
    ws = wb.active
    ws.title = GRID_SHEET
    _text(ws, ROW_TITLE, 1, title, _tables.STYLE_TITLE)
    _merge(ws, ROW_TITLE, 1, ROW_TITLE, last_col)
    ws.row_dimensions[ROW_TITLE].height = 30
    value_end = min(last_col, VALUE_COL + 3)
    hints = {ROW_MONTH: "检查月份由系统填写，请勿改动",
             ROW_CHECKER: "填写参加检查的人员，多人用顿号分开",
             ROW_DATE: "填写日期，如 " + f"{year}-{month:02d}-25"}
    for row, label, style in ((ROW_MONTH, "检查月份", _S_LABEL), (ROW_CHECKER, "检查人", _S_INPUT),
                              (ROW_DATE, "检查日期", _S_INPUT_DATE)):
        _text(ws, row, 1, label, _tables.STYLE_HEADER)
        _merge(ws, row, 1, row, 2, _tables.STYLE_HEADER)
        _merge(ws, row, VALUE_COL, row, value_end, style)
        if value_end < last_col:
            _text(ws, row, value_end + 1, hints[row], _tables.STYLE_SUBTITLE)
            _merge(ws, row, value_end + 1, row, last_col)
        ws.row_dimensions[row].height = 20
    # The month as text "2017-07": what a person reads and what the reader parses.
    _text(ws, ROW_MONTH, VALUE_COL, f"{year}-{month:02d}", _S_LABEL)
    note = ("填写说明：在浅色格内填写扣分（不扣分留空），每格不超过该指标分值、最多一位小数。"
            "本月未抽查的社区（村）在“是否抽查”中选“否”。扣分正好是某条扣分规则的整数倍时"
            "（如“每少公开一次扣5分”扣10分）按该规则记扣分原因，否则须在“扣分原因”表中写明。"
            "各指标的扣分规则见“考核细则”表。")
    _text(ws, ROW_NOTE, 1, note, _tables.STYLE_SUBTITLE)
    _merge(ws, ROW_NOTE, 1, ROW_NOTE, last_col)
    ws.cell(row=ROW_NOTE, column=1).alignment = _wrapped()
    ws.row_dimensions[ROW_NOTE].height = 48

    # Header: 序号, 社区, 是否抽查 merged over the three header rows; 一级 over its 二级.
    header = _tables.STYLE_HEADER
    for col, label in ((COL_NO, "序号"), (COL_NAME, "社区（村）"), (COL_CHECKED, "是否抽查")):
        _text(ws, ROW_H1, col, label, header)
        _merge(ws, ROW_H1, col, ROW_H3, col, header)
    col = FIRST_INDICATOR_COL
    columns: list[tuple[int, Indicator]] = []
    for top in scheme.indicators:
        group = [top] if top.is_leaf else [leaf for leaf in leaves
                                           if leaf.code.startswith(top.code + ".")]
        if top.is_leaf:
            _text(ws, ROW_H1, col, top.name, header)
            _merge(ws, ROW_H1, col, ROW_H2, col, header)
        else:
            _text(ws, ROW_H1, col, top.name, header)
            _merge(ws, ROW_H1, col, ROW_H1, col + len(group) - 1, header)
            for i, leaf in enumerate(group):
                _text(ws, ROW_H2, col + i, leaf.name, header)
        for i, leaf in enumerate(group):
            _text(ws, ROW_H3, col + i, f"{leaf.code}（{_plain(leaf.max_points)}分）", header)
            columns.append((col + i, leaf))
        col += len(group)
    if [leaf.code for _, leaf in columns] != [leaf.code for leaf in leaves]:
        # A 二级 code not under its 一级 prefix (validate_scheme refuses such schemes): fall
        # back to one leaf per column, so every leaf still has exactly one column.
        columns = [(FIRST_INDICATOR_COL + i, leaf) for i, leaf in enumerate(leaves)]
    ws.row_dimensions[ROW_H1].height = 22
    ws.row_dimensions[ROW_H2].height = 48
    ws.row_dimensions[ROW_H3].height = 20

    ws.column_dimensions[column_letter(COL_NO)].width = _tables.excel_width(2.5)
    longest = max((len(name) for _, name in communities), default=4)
    ws.column_dimensions[column_letter(COL_NAME)].width = _tables.excel_width(
        min(max(longest, 5), 12) + 0.5)
    ws.column_dimensions[column_letter(COL_CHECKED)].width = _tables.excel_width(2.5)
    for c, _leaf in columns:
        ws.column_dimensions[column_letter(c)].width = _tables.excel_width(4.5)

    for i, (_cid, name) in enumerate(communities):
        r = FIRST_DATA_ROW + i
        cell = ws.cell(row=r, column=COL_NO, value=i + 1)
        cell.style = _S_LABEL
        _text(ws, r, COL_NAME, name, _S_LOCKED)
        _text(ws, r, COL_CHECKED, CHECKED_YES, _S_INPUT)
        for c, _leaf in columns:
            ws.cell(row=r, column=c).style = _S_INPUT_SCORE
        ws.row_dimensions[r].height = 20

    if communities:
        checked = DataValidation(
            type="list", formula1=f'"{CHECKED_YES},{CHECKED_NO}"', allow_blank=True,
            showErrorMessage=True, errorTitle="是否抽查",
            error="请选择“是”（本月抽查了这个社区）或“否”（本月未抽查）。")
        checked.add(f"{column_letter(COL_CHECKED)}{FIRST_DATA_ROW}:"
                    f"{column_letter(COL_CHECKED)}{last_row}")
        ws.add_data_validation(checked)
        for c, leaf in columns:
            top = _plain(leaf.max_points)
            dv = DataValidation(
                type="decimal", operator="between", formula1="0", formula2=top,
                allow_blank=True, showErrorMessage=True, showInputMessage=True,
                errorTitle="扣分超出范围",
                error=_cut(f"指标{leaf.code}“{leaf.name}”满分{top}分：请填写0到{top}之间的"
                           "扣分，最多一位小数；不扣分请留空。", 250),
                promptTitle=_cut(f"{leaf.code} 扣分", 30),
                prompt=_cut(f"{leaf.name}：扣0～{top}分，不扣分留空", 250))
            dv.add(f"{column_letter(c)}{FIRST_DATA_ROW}:{column_letter(c)}{last_row}")
            ws.add_data_validation(dv)
    checked_on = DataValidation(
        type="date", operator="between", formula1="36526", formula2="73050",  # 2000…2099
        allow_blank=True, showErrorMessage=True, errorTitle="检查日期",
        error="请填写日期，如 2017-07-25。")
    checked_on.add(f"{column_letter(VALUE_COL)}{ROW_DATE}")
    ws.add_data_validation(checked_on)

    ws.freeze_panes = f"{column_letter(FIRST_INDICATOR_COL)}{FIRST_DATA_ROW}"
    _print_setup(ws, f"{ROW_H1}:{ROW_H3}")
    _protect(ws)

    # ---- 考核细则 (reference; also the source of the 指标 drop-down)
    rules = wb.create_sheet(RULES_SHEET)
    _text(rules, 1, 1, f"{scheme.name}（记分时参照）", _tables.STYLE_TITLE)
    _merge(rules, 1, 1, 1, 5)
    rules.row_dimensions[1].height = 28
    for c, (label, width) in enumerate((("一级指标", 8), ("二级指标", 12), ("分值", 4),
                                        ("扣分规则", 40), ("考核内容", 24)), start=1):
        _text(rules, 2, c, label, header)
        rules.column_dimensions[column_letter(c)].width = _tables.excel_width(width)
    parents = {leaf.code: top.name for top in scheme.indicators for leaf in leaves
               if leaf is top or leaf.code.startswith(top.code + ".")}
    wrap = _tables.STYLE_DATA["wrap"]
    for i, leaf in enumerate(leaves):
        r = RULES_FIRST_ROW + i
        _text(rules, r, 1, parents.get(leaf.code, ""), wrap)
        _text(rules, r, 2, _leaf_label(leaf), wrap)
        _text(rules, r, 3, _plain(leaf.max_points), _S_LABEL)
        _text(rules, r, 4, "\n".join(rule.text for rule in leaf.rules), wrap)
        _text(rules, r, 5, leaf.standard, wrap)
    rules_last = RULES_FIRST_ROW + len(leaves) - 1
    rules.freeze_panes = f"A{RULES_FIRST_ROW}"
    _print_setup(rules, "2:2")
    _protect(rules)

    # ---- 扣分原因
    rs = wb.create_sheet(REASONS_SHEET)
    _text(rs, 1, 1, "扣分原因", _tables.STYLE_TITLE)
    _merge(rs, 1, 1, 1, 3)
    rs.row_dimensions[1].height = 28
    _text(rs, 2, 1, "记分表中的扣分不是扣分规则整数倍的（如酌情扣1.5分），须在此写明原因；"
                    "是整数倍的可不填，默认按该条规则。每行一条：先选社区（村）和指标，再写原因；"
                    "同一社区同一指标可写多行。", _tables.STYLE_SUBTITLE)
    _merge(rs, 2, 1, 2, 3)
    rs.cell(row=2, column=1).alignment = _wrapped()
    rs.row_dimensions[2].height = 48
    for c, (label, width) in enumerate((("社区（村）", 12), ("指标", 14), ("扣分原因", 44)),
                                       start=1):
        _text(rs, REASON_HEADER_ROW, c, label, header)
        rs.column_dimensions[column_letter(c)].width = _tables.excel_width(width)
    reason_rows = min(max(200, 8 * len(communities)), MAX_ROWS - REASON_FIRST_ROW)
    reason_last = REASON_FIRST_ROW + reason_rows - 1
    for r in range(REASON_FIRST_ROW, reason_last + 1):
        rs.cell(row=r, column=1).style = _S_INPUT
        rs.cell(row=r, column=2).style = _S_INPUT
        rs.cell(row=r, column=3).style = _S_INPUT_WRAP
    if communities:
        who = DataValidation(
            type="list", formula1=f"'{GRID_SHEET}'!$B${FIRST_DATA_ROW}:$B${last_row}",
            allow_blank=True, showErrorMessage=True, errorTitle="社区（村）",
            error="请从下拉列表中选择记分表中的社区（村）。")
        who.add(f"A{REASON_FIRST_ROW}:A{reason_last}")
        rs.add_data_validation(who)
    which = DataValidation(
        type="list", formula1=f"'{RULES_SHEET}'!$B${RULES_FIRST_ROW}:$B${rules_last}",
        allow_blank=True, showErrorMessage=True, errorTitle="指标",
        error="请从下拉列表中选择考核指标（二级指标）。")
    which.add(f"B{REASON_FIRST_ROW}:B{reason_last}")
    rs.add_data_validation(which)
    rs.freeze_panes = f"A{REASON_FIRST_ROW}"
    _print_setup(rs, f"{REASON_HEADER_ROW}:{REASON_HEADER_ROW}")
    rs.page_setup.orientation = "portrait"
    _protect(rs)

    # ---- hidden metadata: what reading back relies on
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"  # not even listed under 取消隐藏: nobody edits it by accident
    rows: list[list[object]] = [
        ["format", FORMAT_TAG, FORMAT_VERSION],
        ["year", year], ["month", month],
        ["scheme_id", scheme_id if scheme_id is not None else ""],
        ["scheme_version", scheme_version if scheme_version is not None else ""],
        ["scheme_year", scheme.year],
        ["communities", len(communities)],
    ]
    for c, leaf in columns:
        rows.append(["indicator", c, leaf.code, _plain(leaf.max_points), leaf.name])
    for row in rows:
        meta.append([_tables.xlsx_text(v) if isinstance(v, str) else v for v in row])
    for row_cells in meta.iter_rows():
        for cell in row_cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    _protect(meta)

    wb.active = 0
    _tables.atomic_write(path, wb.save, text=False)


# --------------------------------------------------------------------------- reading

def _value(v: object) -> object:
    """A cell value with empty text treated as empty."""
    if isinstance(v, str):
        return v if v.strip() else None
    return v


def _rows(ws: Any, sheet: str, path: Path, max_col: int = MAX_COLUMNS
          ) -> list[tuple[object, ...]]:
    """The sheet's rows (values, data_only), at most MAX_ROWS × max_col; larger → refused."""
    claimed_rows = getattr(ws, "max_row", None)
    claimed_cols = getattr(ws, "max_column", None)
    if isinstance(claimed_rows, int) and claimed_rows > MAX_ROWS:
        raise refuse(path, f"工作表“{sheet}”有{claimed_rows}行，超过{MAX_ROWS}行的上限，"
                           "不像是本系统的月抽查记分表")
    if isinstance(claimed_cols, int) and claimed_cols > MAX_COLUMNS:
        raise refuse(path, f"工作表“{sheet}”有{claimed_cols}列，超过{MAX_COLUMNS}列的上限，"
                           "不像是本系统的月抽查记分表")
    out: list[tuple[object, ...]] = []
    # The dimension a file claims may be missing or wrong: read one row and column past the
    # limit and refuse if anything is there.
    for n, values in enumerate(ws.iter_rows(min_row=1, max_row=MAX_ROWS + 1,
                                            max_col=max_col + 1, values_only=True), start=1):
        if len(values) > max_col and any(_value(v) is not None for v in values[max_col:]):
            raise refuse(path, f"工作表“{sheet}”超过{max_col}列的上限")
        if n > MAX_ROWS:
            if any(_value(v) is not None for v in values):
                raise refuse(path, f"工作表“{sheet}”超过{MAX_ROWS}行的上限")
            break
        out.append(tuple(values[:max_col]))
    return out


def _at(rows: Sequence[tuple[object, ...]], row: int, column: int) -> object:
    if row - 1 < len(rows) and column - 1 < len(rows[row - 1]):
        return _value(rows[row - 1][column - 1])
    return None


def _int(v: object) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str) and v.strip().isdigit():
        return int(v.strip())
    return None


def _read_meta(rows: Sequence[tuple[object, ...]], path: Path
               ) -> tuple[dict[str, object], list[RawColumn]]:
    broken = refuse(path, "记分表的模板信息已损坏。请重新下载记分表模板，把数据抄过去后再导入。")
    values: dict[str, object] = {}
    columns: list[RawColumn] = []
    for row in rows:
        if not row or not isinstance(row[0], str):
            continue
        key = row[0]
        if key == "indicator":
            col = _int(row[1] if len(row) > 1 else None)
            code = row[2] if len(row) > 2 else None
            if col is None or not FIRST_INDICATOR_COL <= col <= MAX_COLUMNS or \
                    not isinstance(code, str) or not code.strip():
                raise broken
            max_points = row[3] if len(row) > 3 else ""
            name = row[4] if len(row) > 4 else ""
            columns.append(RawColumn(col, code.strip(), str(max_points or ""), str(name or "")))
        else:
            values[key] = row[1] if len(row) > 1 else None
            if key == "format":
                values["format_version"] = row[2] if len(row) > 2 else None
    if values.get("format") != FORMAT_TAG:
        raise refuse(path, "这不是本系统生成的月抽查记分表（缺少模板信息）。"
                           "请在“考核”中下载记分表模板，填写后再导入。")
    version = _int(values.get("format_version"))
    if version is None or version > FORMAT_VERSION:
        raise refuse(path, "这个记分表是较新版本的 govdesk 生成的，请升级本程序后再导入。")
    if not columns or len({c.column for c in columns}) != len(columns):
        raise broken
    return values, sorted(columns, key=lambda c: c.column)


def read_sheet(path: str | os.PathLike[str]) -> RawSheet:
    """Read a filled-in 月抽查记分表 back into plain data (values as typed, with their cells).
    Refuses with a Chinese UserError: anything the shared xlsx pre-flight refuses
    (:mod:`govdesk.export.xlsx_safety`: a missing, empty, oversized or non-xlsx file, a zip
    bomb, an XML bomb), a workbook that is not our template (sheets or metadata missing),
    sheets beyond MAX_ROWS × MAX_COLUMNS, formulas saved without a computed value."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise refuse(path, "只能导入 .xlsx 文件。若是 .xls 或 .et 文件，请在 WPS 或 Excel 中"
                           "“另存为” .xlsx 后再导入")
    # data_only: a formula typed into a cell counts by the value Excel/WPS computed; one saved
    # without a value is refused with its cell.
    with open_xlsx(path, read_only=True, max_unpacked=MAX_UNPACKED_BYTES) as (values, formulas):
        return _read(values, formulas, path)


def _read(wb: Any, fwb: Any, path: Path) -> RawSheet:
    names = wb.sheetnames
    if META_SHEET not in names:
        raise refuse(path, "这不是本系统生成的月抽查记分表（缺少模板信息）。"
                           "请在“考核”中下载记分表模板，填写后再导入。")
    for needed in (GRID_SHEET, REASONS_SHEET):
        if needed not in names:
            raise refuse(path, f"缺少工作表“{needed}”。请不要删除或改名记分表中的工作表；"
                               "可重新下载模板后再填写。")
    meta, columns = _read_meta(_rows(wb[META_SHEET], META_SHEET, path, max_col=8), path)

    uncached: list[str] = []

    def rows_of(sheet: str, max_col: int = MAX_COLUMNS) -> list[tuple[object, ...]]:
        rows = _rows(wb[sheet], sheet, path, max_col)
        uncached.extend(uncached_formulas(rows, _rows(fwb[sheet], sheet, path, max_col),
                                          sheet=sheet))
        return rows

    grid = rows_of(GRID_SHEET)
    rs = rows_of(REASONS_SHEET, max_col=3)
    refuse_uncached_formulas(path, uncached)
    by_col = {c.column: c for c in columns}
    rows: list[RawRow] = []
    stray: list[tuple[Where, object]] = []
    for r in range(FIRST_DATA_ROW, len(grid) + 1):
        name = _at(grid, r, COL_NAME)
        checked = _at(grid, r, COL_CHECKED)
        values: list[RawValue] = []
        for c in range(FIRST_INDICATOR_COL, len(grid[r - 1]) + 1):
            v = _at(grid, r, c)
            if v is None:
                continue
            where = Where(GRID_SHEET, r, c)
            if c in by_col:
                values.append(RawValue(by_col[c].code, v, where))
            else:
                stray.append((where, v))
        if name is None and not values:
            continue  # an empty row (or only a stray 是)
        rows.append(RawRow(
            community=str(name).strip() if name is not None else "",
            checked=checked, values=tuple(values),
            where=Where(GRID_SHEET, r, COL_NAME), checked_where=Where(GRID_SHEET, r, COL_CHECKED)))

    reasons: list[RawReason] = []
    for r in range(REASON_FIRST_ROW, len(rs) + 1):
        who, which, why = (_at(rs, r, c) for c in (1, 2, 3))
        if who is None and which is None and why is None:
            continue
        reasons.append(RawReason(
            community="" if who is None else str(who).strip(),
            indicator="" if which is None else str(which).strip(),
            reason="" if why is None else str(why).strip(),
            community_where=Where(REASONS_SHEET, r, 1), indicator_where=Where(REASONS_SHEET, r, 2),
            reason_where=Where(REASONS_SHEET, r, 3)))

    return RawSheet(
        file_name=path.name,
        month=_at(grid, ROW_MONTH, VALUE_COL), month_where=Where(GRID_SHEET, ROW_MONTH, VALUE_COL),
        checker=_at(grid, ROW_CHECKER, VALUE_COL),
        checker_where=Where(GRID_SHEET, ROW_CHECKER, VALUE_COL),
        checked_on=_at(grid, ROW_DATE, VALUE_COL),
        checked_on_where=Where(GRID_SHEET, ROW_DATE, VALUE_COL),
        meta_year=_int(meta.get("year")), meta_month=_int(meta.get("month")),
        scheme_id=_int(meta.get("scheme_id")), scheme_version=_int(meta.get("scheme_version")),
        columns=tuple(columns), rows=tuple(rows), reasons=tuple(reasons), stray=tuple(stray),
    )
