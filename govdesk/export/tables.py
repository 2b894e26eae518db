"""Generic, formatted table export to xlsx (for printing) and csv (for re-import/scripting).

No Qt and no SQL here: callers build a :class:`Table` (title, columns, rows) and pass it to
:func:`write_xlsx` or :func:`write_csv`.  openpyxl is imported lazily inside
:func:`write_xlsx` so that application start-up does not pay for it.

Decisions worth knowing (see also the docstrings):

* Both writers are atomic: the file is written to a temporary file in the target folder and
  moved over the target with ``os.replace`` only when complete.  A failed export never leaves
  a half-written file and never destroys the previous one.  If the target is locked (open in
  WPS/Excel on Windows) a :class:`~govdesk.core.errors.UserError` is raised.
* xlsx: every string is stored as a *string* cell, never as a formula or error value, and is
  otherwise kept exactly as given, except that (1) characters that XML 1.0 cannot carry
  (C0 controls other than TAB/LF/CR, lone surrogates, U+FFFE, U+FFFF) are removed, (2) CR LF
  and lone CR become LF (an XML parser would do that anyway; LF is Excel's in-cell line
  break), (3) text is cut to Excel's cell limit of 32,767 characters and (4) an empty string
  becomes an empty cell.
* csv: text that a spreadsheet would run as a formula gets a leading apostrophe
  (:func:`safe_text`); numbers are written as plain numbers.
* ``Table.rows`` may be a generator; it is consumed once.  Build a new Table (or pass a list)
  if the same rows are written to xlsx and csv.
* Values per column kind: ``text``/``wrap`` accept str, int, Decimal, float, date, datetime
  (non-strings are shown as text: ``2025-03-01``, ``2025-03-01 08:30:00``, ``12.50``);
  ``date`` accepts date/datetime (a datetime is cut to its date); ``int``/``decimal`` accept
  int, Decimal, float.  Every kind accepts None (empty cell) and str (written as text, e.g.
  "长期" in a date column).  bool and other types raise TypeError, NaN/infinity ValueError.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

__all__ = [
    "COLUMN_KINDS",
    "Column",
    "Table",
    "safe_text",
    "write_csv",
    "write_xlsx",
    "xlsx_text",
]

COLUMN_KINDS = frozenset({"text", "date", "int", "decimal", "wrap"})

# Fonts: 宋体 for the body, 黑体 for the title (what township offices use in printed tables).
BODY_FONT = "宋体"
TITLE_FONT = "黑体"
HEADER_FILL = "D9D9D9"
DATE_FORMAT = "yyyy-mm-dd"
INT_FORMAT = "0"
DECIMAL_FORMAT = "0.00"
PAGE_FOOTER = "第 &P 页，共 &N 页"
EXCEL_MAX_CELL_CHARS = 32767
SHEET_NAME_MAX = 31

# Characters XML 1.0 cannot carry: this is a superset of openpyxl's ILLEGAL_CHARACTERS_RE
# (which misses U+FFFE/U+FFFF and lone surrogates; those would make the file unreadable).
ILLEGAL_XML_CHARS_RE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_INVALID_SHEET_CHARS_RE = re.compile(r"[\[\]:*?/\\]")

# CSV/formula injection (OWASP "CSV Injection"): Excel, WPS and LibreOffice evaluate a cell
# whose text starts with one of these as a formula (=HYPERLINK(...), +cmd|' /C calc'!A0, @SUM,
# -1+2 ...); TAB/CR/LF are in the list because spreadsheets strip them before deciding.
# A leading apostrophe makes the spreadsheet treat the rest as literal text.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_text(value: str) -> str:
    """Neutralise spreadsheet formula injection for CSV: prefix dangerous text with ``'``.

    Only text is passed here; numbers (including negative ones) are written as numbers.
    """
    if value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


def xlsx_text(value: str) -> str:
    """The text as it is stored in an xlsx cell (see module docstring, "xlsx")."""
    value = ILLEGAL_XML_CHARS_RE.sub("", value)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value[:EXCEL_MAX_CELL_CHARS]


@dataclass(frozen=True)
class Column:
    """One column: Chinese header, width in Chinese characters and kind of value."""

    title: str
    width: float = 12
    kind: str = "text"  # "text" | "date" | "int" | "decimal" | "wrap" (long text, wrapped)

    def __post_init__(self) -> None:
        if self.kind not in COLUMN_KINDS:
            raise ValueError(
                f"unknown column kind {self.kind!r}; expected one of {sorted(COLUMN_KINDS)}"
            )
        if not (isinstance(self.width, int | float) and 0 < self.width <= 100):
            raise ValueError(f"column width must be a number in (0, 100], got {self.width!r}")


@dataclass(frozen=True)
class Table:
    """A table to export.

    ``header_rows`` are optional grouped-header rows above the column titles, one entry per
    column: a non-empty str starts a group label, ``None`` merges the cell with the cell to its
    left (horizontal run after a label), ``""`` means "no group here": the column's title cell
    is merged upwards to this row (every later header row of that column must be ``""`` too).
    """

    title: str
    columns: tuple[Column, ...]
    rows: Iterable[Sequence[object]]
    subtitle: str = ""
    header_rows: tuple[tuple[str | None, ...], ...] = ()

    def __post_init__(self) -> None:
        columns = tuple(self.columns)
        header_rows = tuple(tuple(r) for r in self.header_rows)
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "header_rows", header_rows)
        if not columns:
            raise ValueError("a table needs at least one column")
        if not all(isinstance(c, Column) for c in columns):
            raise TypeError("columns must be Column instances")
        n = len(columns)
        for r, hrow in enumerate(header_rows):
            if len(hrow) != n:
                raise ValueError(f"header row {r + 1} has {len(hrow)} entries, expected {n}")
            for c, value in enumerate(hrow):
                if value is None:
                    left = next(
                        (hrow[i] for i in range(c - 1, -1, -1) if hrow[i] is not None), None
                    )
                    if not left:  # nothing to the left, or "" (a vertical title cell)
                        raise ValueError(
                            f"header row {r + 1}, column {c + 1}: None must follow a group label"
                        )
                elif not isinstance(value, str):
                    raise TypeError(f"header row {r + 1}, column {c + 1}: expected str or None")
                elif value == "" and any(later[c] != "" for later in header_rows[r + 1 :]):
                    raise ValueError(
                        f"header row {r + 1}, column {c + 1}: below an empty-string entry the"
                        " column's later header rows must be empty strings too"
                    )


# --------------------------------------------------------------------------- value handling

_NUMBER_TYPES = (int, Decimal, float)


def _check(value: object, kind: str, row_no: int, col_no: int) -> object:
    """Validate one value for a column kind; return it (datetime → date in date columns)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TypeError(f"row {row_no}, column {col_no}: bool is not supported (map it to text)")
    if isinstance(value, _NUMBER_TYPES):
        if kind == "date":
            raise TypeError(f"row {row_no}, column {col_no}: number in a date column")
        if not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
            raise ValueError(f"row {row_no}, column {col_no}: {value!r} is not a finite number")
        return value
    if isinstance(value, date):  # datetime is a subclass of date
        if kind in ("int", "decimal"):
            raise TypeError(f"row {row_no}, column {col_no}: date in a number column")
        if kind == "date" and isinstance(value, datetime):
            return value.date()
        return value
    raise TypeError(f"row {row_no}, column {col_no}: unsupported value type {type(value).__name__}")


def _plain_number(value: int | Decimal | float) -> str:
    """A number as plain digits, never in exponent notation (1E+3 → 1000)."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        value = Decimal(repr(value))
    return format(value, "f")


def _as_text(value: object) -> str:
    """A non-str value shown in a text column (and the csv form of every value)."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return _plain_number(value)  # type: ignore[arg-type]


def _rows(table: Table) -> Iterable[tuple[int, Sequence[object]]]:
    n = len(table.columns)
    for row_no, row in enumerate(table.rows, start=1):
        if isinstance(row, str | bytes) or not isinstance(row, Sequence):
            row = tuple(row)  # any iterable row; a str would be a bug caught by the length check
        if len(row) != n:
            raise ValueError(f"row {row_no} has {len(row)} values, expected {n}")
        yield row_no, row


# --------------------------------------------------------------------------- atomic write


def atomic_write(
    path: str | os.PathLike[str], write: Callable[[IO[Any]], None], *, text: bool
) -> None:
    """Write via a temp file in the target folder, then os.replace it onto the target."""
    from govdesk.export.pdf_write import write_atomically

    def write_binary(fh: IO[bytes]) -> None:
        if not text:
            write(fh)
            return
        wrapper = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
        write(wrapper)
        wrapper.flush()
        wrapper.detach()  # leave the binary file to write_atomically to sync and close

    write_atomically(path, write_binary, action="导出")


# --------------------------------------------------------------------------- csv


def write_csv(path: str | os.PathLike[str], table: Table) -> None:
    """Write ``table`` as CSV for re-import/scripting.

    UTF-8 with BOM (Excel/WPS then detect the encoding), CRLF line ends, every field quoted,
    first line = column titles (no title/subtitle/grouped header rows).  Dates are
    ``YYYY-MM-DD`` (datetimes in text columns ``YYYY-MM-DD HH:MM:SS``), numbers plain, text
    through :func:`safe_text`.
    """
    kinds = [c.kind for c in table.columns]

    def write(fh: IO[str]) -> None:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow([safe_text(c.title) for c in table.columns])
        for row_no, row in _rows(table):
            out = []
            for col_no, (kind, raw) in enumerate(zip(kinds, row, strict=True), start=1):
                value = _check(raw, kind, row_no, col_no)
                if value is None:
                    out.append("")
                elif isinstance(value, str):
                    # OWASP CSV injection: text starting with = + - @ TAB CR LF gets a "'".
                    # Numbers are not text, so negative numbers stay plain numbers.
                    out.append(safe_text(value))
                else:
                    out.append(_as_text(value))
            writer.writerow(out)

    atomic_write(path, write, text=True)


# --------------------------------------------------------------------------- xlsx


def excel_width(width: float) -> float:
    """Excel column width (units of the default font's digit) for ``width`` Chinese chars.

    A 宋体 11pt Chinese character is ~15 px, a digit of the default font ~7 px, plus ~5 px
    cell padding; 2.2 units per character and 1 unit of slack keeps the text inside.
    """
    return round(width * 2.2 + 1, 2)


def sheet_names_for(names: Sequence[str]) -> list[str]:
    """Valid, unique Excel sheet names: no []:*?/\\, ≤31 chars, no edge apostrophe."""
    result: list[str] = []
    used: set[str] = set()
    for i, raw in enumerate(names, start=1):
        name = _INVALID_SHEET_CHARS_RE.sub("_", ILLEGAL_XML_CHARS_RE.sub("", str(raw)))
        name = "".join(ch for ch in name if ch >= " ").strip().strip("'").strip()
        if not name or name.casefold() == "history":  # "History" is reserved by Excel
            name = f"Sheet{i}" if not name else f"{name}_"
        name = _truncate_utf16(name, SHEET_NAME_MAX).rstrip("'")
        candidate, n = name, 1
        while candidate.casefold() in used:  # Excel compares sheet names case-insensitively
            n += 1
            suffix = f"({n})"
            candidate = _truncate_utf16(name, SHEET_NAME_MAX - len(suffix)) + suffix
        used.add(candidate.casefold())
        result.append(candidate)
    return result


def _truncate_utf16(text: str, limit: int) -> str:
    # Excel counts UTF-16 code units; characters outside the BMP count twice.
    while len(text.encode("utf-16-le")) // 2 > limit:
        text = text[:-1]
    return text


def write_xlsx(
    path: str | os.PathLike[str],
    tables: Table | Sequence[Table],
    *,
    sheet_names: Sequence[str] | None = None,
) -> None:
    """Write one sheet per table, formatted for printing (A4 landscape, 1 page wide).

    Sheet names default to Sheet1, Sheet2 ...; given names are made valid (see
    :func:`sheet_names_for`).  Strings are stored as text cells, never formulas.
    """
    from openpyxl import Workbook  # lazy: start-up must not import openpyxl

    table_list = [tables] if isinstance(tables, Table) else list(tables)
    if not table_list:
        raise ValueError("no table to export")
    if sheet_names is None:
        sheet_names = [f"Sheet{i}" for i in range(1, len(table_list) + 1)]
    if isinstance(sheet_names, str) or len(sheet_names) != len(table_list):
        raise ValueError("sheet_names must give one name per table")
    names = sheet_names_for(sheet_names)

    wb = Workbook()
    wb.properties.creator = "govdesk"
    wb.properties.title = xlsx_text(table_list[0].title)
    register_styles(wb)
    for i, (table, name) in enumerate(zip(table_list, names, strict=True)):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        fill_sheet(ws, table)
    # Build the whole workbook first (consuming the rows), then write the file atomically.
    atomic_write(path, wb.save, text=False)


STYLE_TITLE = "govdesk 标题"
STYLE_SUBTITLE = "govdesk 副标题"
STYLE_HEADER = "govdesk 表头"
STYLE_DATA = {
    "text": "govdesk 文本",
    "wrap": "govdesk 长文本",
    "date": "govdesk 日期",
    "int": "govdesk 整数",
    "decimal": "govdesk 金额",
}


def register_styles(wb: Any) -> None:
    """Create the named styles once per workbook; cells then only refer to them by name.

    Assigning Font/Border/Alignment objects per cell is ~3x slower on 120,000 cells.
    """
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=BODY_FONT, size=11)

    def add(name: str, **kw: Any) -> None:
        wb.add_named_style(NamedStyle(name=name, **kw))

    add(
        STYLE_TITLE,
        font=Font(name=TITLE_FONT, size=16, bold=True),
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    )
    add(
        STYLE_SUBTITLE,
        font=Font(name=BODY_FONT, size=10),
        alignment=Alignment(horizontal="left", vertical="center"),
    )
    add(
        STYLE_HEADER,
        font=Font(name=BODY_FONT, size=11, bold=True),
        fill=PatternFill(fill_type="solid", fgColor=HEADER_FILL, bgColor=HEADER_FILL),
        border=border,
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    )
    add(
        STYLE_DATA["text"],
        font=body,
        border=border,
        alignment=Alignment(horizontal="left", vertical="center"),
    )
    add(
        STYLE_DATA["wrap"],
        font=body,
        border=border,
        alignment=Alignment(horizontal="left", vertical="top", wrap_text=True),
    )
    add(
        STYLE_DATA["date"],
        font=body,
        border=border,
        number_format=DATE_FORMAT,
        alignment=Alignment(horizontal="center", vertical="center"),
    )
    add(
        STYLE_DATA["int"],
        font=body,
        border=border,
        number_format=INT_FORMAT,
        alignment=Alignment(horizontal="right", vertical="center"),
    )
    add(
        STYLE_DATA["decimal"],
        font=body,
        border=border,
        number_format=DECIMAL_FORMAT,
        alignment=Alignment(horizontal="right", vertical="center"),
    )


def put_text(ws: Any, row: int, column: int, value: str, style: str) -> None:
    cell = ws.cell(row=row, column=column)
    text = xlsx_text(value)
    if text:
        cell.value = text
        cell.data_type = "s"  # openpyxl would make "=..." a formula and "#N/A" an error value
    cell.style = style


def fill_sheet(ws: Any, table: Table) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    ncols = len(table.columns)

    # Row 1: title (merged across all columns).
    put_text(ws, 1, 1, table.title, STYLE_TITLE)
    if ncols > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.row_dimensions[1].height = 30
    row = 2
    if table.subtitle:
        put_text(ws, row, 1, table.subtitle, STYLE_SUBTITLE)
        if ncols > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        ws.row_dimensions[row].height = 20
        row += 1

    # Grouped header rows, then the column-title row.
    first_header = row
    title_row = row + len(table.header_rows)
    merges: list[tuple[int, int, int, int]] = []
    for r, hrow in enumerate(table.header_rows):
        rr = first_header + r
        for c, value in enumerate(hrow, start=1):
            if value:  # a group label: merge the run of None that follows it
                end = c
                while end < ncols and hrow[end] is None:
                    end += 1
                put_text(ws, rr, c, value, STYLE_HEADER)
                if end > c:
                    merges.append((rr, c, rr, end))
    for c, column in enumerate(table.columns, start=1):
        top = title_row
        for r in range(len(table.header_rows) - 1, -1, -1):  # "" entries merge downwards
            if table.header_rows[r][c - 1] != "":
                break
            top = first_header + r
        put_text(ws, top, c, column.title, STYLE_HEADER)
        if top < title_row:
            merges.append((top, c, title_row, c))
        ws.column_dimensions[get_column_letter(c)].width = excel_width(column.width)
    for r1, c1, r2, c2 in merges:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    for r in range(first_header, title_row + 1):  # style every cell, merged ones included
        for c in range(1, ncols + 1):
            ws.cell(row=r, column=c).style = STYLE_HEADER

    # Data rows.
    kinds = [c.kind for c in table.columns]
    col_styles = [STYLE_DATA[k] for k in kinds]
    text_kinds = [k in ("text", "wrap") for k in kinds]
    for row_no, values in _rows(table):
        r = title_row + row_no
        for c, (kind, style, is_text, raw) in enumerate(
            zip(kinds, col_styles, text_kinds, values, strict=True), start=1
        ):
            value = _check(raw, kind, row_no, c)
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                value = xlsx_text(value)
                if value:
                    cell.value = value
                    cell.data_type = "s"  # never a formula/error, whatever the text
            elif value is not None:
                cell.value = _as_text(value) if is_text else value
            cell.style = style

    # Freeze below the headers; print setup.
    ws.freeze_panes = f"A{title_row + 1}"
    ws.print_title_rows = f"1:{title_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    ws.oddFooter.center.text = PAGE_FOOTER
    ws.oddFooter.center.size = 9
