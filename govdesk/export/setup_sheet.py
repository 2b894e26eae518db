"""The 首次设置表格 (issue 7, item 6): an xlsx an office fills in to set up its township without
typing everything into the wizard, and that ``govdesk setup import`` or the wizard reads back.
Pure file format: a :class:`~govdesk.core.setup_plan.SetupPlan` in, a file out; a file in, a
plan out (with where each value came from). Judging the values is core.setup_plan's job.

Sheets: 填写说明 (how to fill it in, the allowed kinds and roles, a grey example row of every
sheet), 乡镇信息 (label | value), 科室站所, 社区村, 公开栏, 用户 (one header row, then one row per
item) and govdesk_meta (very hidden: format tag and version).

Decisions:

* Examples live on 填写说明, never in the data sheets: an example row left in by mistake would
  otherwise become a real 公开栏. The 科室站所 sheet is prefilled with the usual units, as the
  wizard is — a suggestion to delete from, not an example.
* Headers are matched by name, with synonyms, in the first five rows (target I4), so a sheet the
  office rebuilt by hand still reads; the metadata sheet is only used to refuse a file from a
  newer govdesk.
* Headers are locked (the sheets are protected without a password, as the 记分表 is: it guards
  against slips, not people); input cells are unlocked and shaded. Kinds, roles, paper and the
  user's unit have drop-down lists. 统一社会信用代码 and 电话 cells are text-formatted, or Excel
  would turn an 18-digit code into 9.14403E+17.
* Reading runs the xlsx pre-flight every importer shares (export.xlsx_safety: I1 size,
  signature, entry count, unpacked size, inflate ratio; I2 defusedxml; I3 formulas without a
  cached value), then reads NFKC-trimmed text; hidden sheets, rows and columns are reported as
  warnings.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govdesk.core.org import Role, Township
from govdesk.core.setup_plan import (
    SHEET_BOARDS,
    SHEET_COMMUNITIES,
    SHEET_TOWNSHIP,
    SHEET_UNITS,
    SHEET_USERS,
    SUGGESTED_UNITS,
    TOWNSHIP_FIELDS,
    PlanAccount,
    PlanBoard,
    PlanCommunity,
    PlanUnit,
    Problem,
    SetupPlan,
    board_kinds,
    clean,
    community_kinds,
    role_labels,
    role_of,
)
from govdesk.export import tables as _tables
from govdesk.export.xlsx_safety import (
    few,
    open_xlsx,
    refuse,
    refuse_uncached_formulas,
    uncached_formulas,
)

FORMAT_TAG = "govdesk-setup-sheet"
FORMAT_VERSION = 1
GUIDE_SHEET = "填写说明"
META_SHEET = "govdesk_meta"

# A setup sheet unpacks to well under a megabyte; this reader loads whole sheets (to see hidden
# rows and formulas), so it refuses far earlier than the general limit of the pre-flight
# (export.xlsx_safety.MAX_UNPACKED_BYTES).
SETUP_MAX_UNPACKED = 20 * 1024 * 1024
MAX_SHEET_ROWS = 1001  # header + core.setup_plan.MAX_ROWS
MAX_SHEET_COLUMNS = 30
HEADER_SEARCH_ROWS = 5

INPUT_ROWS = 200  # unlocked rows prepared in each list sheet
_S_INPUT = "govdesk 设置填写"
_S_INPUT_TEXT = "govdesk 设置填写文本"
_S_LABEL = "govdesk 设置标签"
_S_EXAMPLE = "govdesk 设置示例"
INPUT_FILL = "FFF9E5"
EXAMPLE_COLOR = "808080"

# Columns of each list sheet: (label, synonyms, width, required)
UNIT_COLUMNS = (("名称", ("科室站所", "科室站所名称", "单位名称", "部门", "科室", "站所"), 24),)
COMMUNITY_COLUMNS = (
    ("名称", ("社区村", "社区/村", "社区名称", "村居", "村名"), 24),
    ("类型", ("社区或村", "类别"), 10),
)
BOARD_COLUMNS = (
    ("编号", ("公开栏编号", "代码"), 10),
    ("名称", ("公开栏名称",), 28),
    ("类型", ("公开栏类型", "类别"), 14),
    ("位置", ("设置位置", "地点", "具体位置"), 30),
    ("所属", ("所属社区村或科室站所", "所属社区/村或科室站所", "所属单位", "所属社区村",
              "所属社区/村"), 22),
    ("打印纸张", ("纸张",), 10),
)
USER_COLUMNS = (
    ("登录名", ("用户名", "账号"), 16),
    ("姓名", (), 12),
    ("角色", (), 14),
    ("所在科室站所", ("所在单位", "科室站所", "科室", "部门"), 18),
)
TOWNSHIP_SYNONYMS = {
    "全称": ("乡镇全称", "政府全称", "名称", "单位全称"),
    "简称": ("乡镇简称",),
    "统一社会信用代码": ("信用代码", "社会信用代码"),
    "地址": ("办公地址", "详细地址"),
    "监督电话": ("电话", "投诉电话", "联系电话", "监督投诉电话"),
}
TOWNSHIP_HINTS = {
    "全称": "如：青山县云溪镇人民政府（必填，打印公文时用作发文机关）",
    "简称": "如：云溪镇",
    "统一社会信用代码": "18 位，见本单位登记证书；用于索引号",
    "地址": "信息公开申请答复书上使用",
    "监督电话": "公开栏和通报上印的监督电话",
}

LIST_SHEETS: dict[str, tuple[tuple[str, tuple[str, ...], int], ...]] = {
    SHEET_UNITS: UNIT_COLUMNS,
    SHEET_COMMUNITIES: COMMUNITY_COLUMNS,
    SHEET_BOARDS: BOARD_COLUMNS,
    SHEET_USERS: USER_COLUMNS,
}

EXAMPLES: dict[str, tuple[str, ...]] = {
    SHEET_UNITS: ("党政办",),
    SHEET_COMMUNITIES: ("柳河村", "村"),
    SHEET_BOARDS: ("CW-01", "柳河村村务公开栏", "村务公开栏", "柳河村村委会门口", "柳河村", "A4"),
    SHEET_USERS: ("liuxin", "刘欣", "经办人", "党政办"),
}


# ---------------------------------------------------------------------------- plain data

@dataclass(frozen=True)
class LoadedSetup:
    """A setup file read back: the plan as typed, the cell of every (sheet, row, field), what
    the file itself got wrong (e.g. no 管理员 row) and warnings (hidden sheets, rows…)."""

    plan: SetupPlan
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet → label → letter
    township_rows: dict[str, int] = field(default_factory=dict)  # label → row on 乡镇信息
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()

    def locate(self, p: Problem) -> Problem:
        """``p`` with its cell (B5) filled in where the file tells it."""
        from dataclasses import replace

        if p.sheet == SHEET_TOWNSHIP:
            row = self.township_rows.get(p.field)
            return replace(p, cell=f"B{row}") if row else p
        letter = self.columns.get(p.sheet, {}).get(p.field)
        if letter and p.row is not None:
            return replace(p, cell=f"{letter}{p.row}")
        return p


# ---------------------------------------------------------------------------- writing

def _register_styles(wb: Any) -> None:
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side

    _tables.register_styles(wb)
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=_tables.BODY_FONT, size=11)
    fill = PatternFill(fill_type="solid", fgColor=INPUT_FILL, bgColor=INPUT_FILL)
    left = Alignment(horizontal="left", vertical="center")
    wb.add_named_style(NamedStyle(name=_S_INPUT, font=body, border=border, fill=fill,
                                  alignment=left, protection=Protection(locked=False)))
    wb.add_named_style(NamedStyle(name=_S_INPUT_TEXT, font=body, border=border, fill=fill,
                                  alignment=left, number_format="@",
                                  protection=Protection(locked=False)))
    wb.add_named_style(NamedStyle(name=_S_LABEL, font=body, alignment=Alignment(
        horizontal="left", vertical="center", wrap_text=True)))
    wb.add_named_style(NamedStyle(name=_S_EXAMPLE, font=Font(
        name=_tables.BODY_FONT, size=11, italic=True, color=EXAMPLE_COLOR), border=border,
        alignment=left))


def _put(ws: Any, row: int, column: int, value: str, style: str) -> None:
    cell = ws.cell(row=row, column=column)
    text = _tables.xlsx_text(value)
    if text:
        cell.value = text
        cell.data_type = "s"  # I7: a unit called "=1+2" stays text, never a formula
    cell.style = style


def _protect(ws: Any) -> None:
    # No password (as the 记分表): it prevents typing over a header by mistake, nothing more.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.sort = False
    ws.protection.autoFilter = False


def _list_validation(ws: Any, values: Sequence[str], ref: str, title: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle=title,
                        error=f"请从下拉列表中选择：{'、'.join(values)}")
    dv.promptTitle = title
    dv.prompt = "请从下拉列表中选择"
    dv.showInputMessage = True
    ws.add_data_validation(dv)
    dv.add(ref)


def _rows_of(plan: SetupPlan) -> dict[str, list[tuple[str, ...]]]:
    return {
        SHEET_UNITS: [(u.name,) for u in plan.units],
        SHEET_COMMUNITIES: [(c.name, c.kind) for c in plan.communities],
        SHEET_BOARDS: [(b.code, b.name, b.kind, b.location, b.owner, b.paper)
                       for b in plan.boards],
        SHEET_USERS: [(a.login, a.name, a.role, a.unit) for a in (plan.admin, *plan.accounts)],
    }


def default_template_plan() -> SetupPlan:
    """What a fresh template holds: the usual units and the administrator's row."""
    return SetupPlan(units=tuple(PlanUnit(n) for n in SUGGESTED_UNITS),
                     admin=PlanAccount("admin", "", Role.ADMIN.label))


def write_setup_sheet(path: str | os.PathLike[str], plan: SetupPlan | None = None) -> None:
    """Write the setup file, filled from ``plan`` (default: :func:`default_template_plan`).
    Atomic: the old file or the complete new one."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    plan = plan or default_template_plan()
    wb = Workbook()
    _register_styles(wb)
    guide = wb.active
    guide.title = GUIDE_SHEET
    _write_guide(guide)

    ws = wb.create_sheet(SHEET_TOWNSHIP)
    for c, (title, width) in enumerate((("项目", 18), ("内容", 40), ("说明", 48)), 1):
        _put(ws, 1, c, title, _tables.STYLE_HEADER)
        ws.column_dimensions[get_column_letter(c)].width = _tables.excel_width(width)
    t = plan.township
    for r, (attr, label) in enumerate(TOWNSHIP_FIELDS, 2):
        _put(ws, r, 1, label, _tables.STYLE_HEADER)
        _put(ws, r, 2, str(getattr(t, attr)), _S_INPUT_TEXT)
        _put(ws, r, 3, TOWNSHIP_HINTS[label], _S_LABEL)
        ws.row_dimensions[r].height = 22
    ws.freeze_panes = "A2"
    _protect(ws)

    data = _rows_of(plan)
    for sheet, columns in LIST_SHEETS.items():
        ws = wb.create_sheet(sheet)
        for c, (label, _syn, width) in enumerate(columns, 1):
            _put(ws, 1, c, label, _tables.STYLE_HEADER)
            ws.column_dimensions[get_column_letter(c)].width = _tables.excel_width(width)
        rows = data[sheet]
        last = max(INPUT_ROWS, len(rows)) + 1
        for r in range(2, last + 1):
            values = rows[r - 2] if r - 2 < len(rows) else ()
            for c in range(1, len(columns) + 1):
                _put(ws, r, c, values[c - 1] if c - 1 < len(values) else "", _S_INPUT_TEXT)
        ws.freeze_panes = "A2"
        letters = {label: get_column_letter(c) for c, (label, _s, _w) in
                   enumerate(columns, 1)}
        if sheet == SHEET_COMMUNITIES:
            _list_validation(ws, community_kinds(), f"{letters['类型']}2:{letters['类型']}{last}",
                             "社区或村")
        elif sheet == SHEET_BOARDS:
            col = letters["类型"]
            _list_validation(ws, board_kinds(), f"{col}2:{col}{last}", "公开栏类型")
            col = letters["打印纸张"]
            _list_validation(ws, ("A4", "A3"), f"{col}2:{col}{last}", "打印纸张")
        elif sheet == SHEET_USERS:
            col = letters["角色"]
            _list_validation(ws, role_labels(), f"{col}2:{col}{last}", "角色")
            _unit_list(ws, f"{letters['所在科室站所']}2:{letters['所在科室站所']}{last}")
        _protect(ws)

    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    meta.append(["format", FORMAT_TAG, FORMAT_VERSION])
    _protect(meta)
    wb.active = 0
    _tables.atomic_write(path, wb.save, text=False)


def _unit_list(ws: Any, ref: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    # The drop-down follows whatever the office typed on 科室站所; a unit typed by hand that is
    # not there is caught on import with its cell.
    dv = DataValidation(type="list", formula1=f"'{SHEET_UNITS}'!$A$2:$A${INPUT_ROWS + 1}",
                        allow_blank=True, showErrorMessage=False)
    dv.promptTitle = "所在科室站所"
    dv.prompt = "从“科室站所”表中选择，领导可留空"
    dv.showInputMessage = True
    ws.add_data_validation(dv)
    dv.add(ref)


def _write_guide(ws: Any) -> None:
    from openpyxl.utils import get_column_letter

    ws.column_dimensions["A"].width = _tables.excel_width(16)
    for c in range(2, 8):
        ws.column_dimensions[get_column_letter(c)].width = _tables.excel_width(18)
    lines = [
        ("govdesk 首次设置表格", _tables.STYLE_TITLE),
        ("填好后，在 govdesk 首次使用向导中选择“从设置表格导入”，或在命令行运行 "
         "govdesk setup import 本文件.xlsx。", _S_LABEL),
        ("1. 在“乡镇信息”中填写本乡镇人民政府的全称、简称等。", _S_LABEL),
        ("2. 在“科室站所”中列出本镇的科室和站所（已按常见情况预填，可删改）。", _S_LABEL),
        ("3. 在“社区村”中列出各社区、村，类型选“社区”或“村”。", _S_LABEL),
        ("4. 在“公开栏”中登记每一块公开栏；“所属”填社区/村或科室站所的名称。", _S_LABEL),
        ("5. 在“用户”中列出使用本系统的人；第一个角色为“管理员”的账号用于首次登录，"
         "其密码在导入时设置，表格中不写任何密码。其他账号导入后会生成一次性密码，"
         "请打印后分发，并提醒本人登录后修改。", _S_LABEL),
        ("公开栏类型：" + "、".join(board_kinds()), _S_LABEL),
        ("角色：" + "、".join(role_labels()), _S_LABEL),
        ("灰色斜体是填写示例，只在本页，不会被导入：", _S_LABEL),
    ]
    r = 1
    for text, style in lines:
        _put(ws, r, 1, text, style)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
        ws.row_dimensions[r].height = 30 if style == _tables.STYLE_TITLE else (
            36 if len(text) > 60 else 20)
        r += 1
    for sheet, columns in LIST_SHEETS.items():
        r += 1
        _put(ws, r, 1, f"“{sheet}”", _S_LABEL)
        for c, (label, _s, _w) in enumerate(columns, 2):
            _put(ws, r, c, label, _tables.STYLE_HEADER)
        r += 1
        for c, value in enumerate(EXAMPLES[sheet], 2):
            _put(ws, r, c, value, _S_EXAMPLE)
    _protect(ws)


# ---------------------------------------------------------------------------- reading

def _norm_header(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    for ch in " *＊\n\t":
        text = text.replace(ch, "")
    # "类型(社区/村)" → "类型": a hint in brackets is not part of the name
    return text.split("(")[0]


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float) and v.is_integer():
        v = int(v)  # a code or phone typed as a number: 12345.0 means 12345
    return clean(v)


def read_setup_sheet(path: str | os.PathLike[str]) -> LoadedSetup:
    """Read a setup file into a plan, after the I1/I2 pre-flight. Refuses (UserError) files
    that cannot be read or are not a setup sheet (sheets or headers missing, formulas without
    a computed value, too many rows); content mistakes go to :attr:`LoadedSetup.problems` and
    core.setup_plan.validate_plan, so every one of them is reported with its cell."""
    path = Path(path)
    # I3: values as Excel/WPS last computed them; the formulas workbook tells which cells are
    # formulas, so one without a computed value is named, not read as empty.
    with open_xlsx(path, read_only=False, max_unpacked=SETUP_MAX_UNPACKED) as (values, formulas):
        return _read(values, formulas, path)


def _read(wb: Any, fwb: Any, path: Path) -> LoadedSetup:
    from openpyxl.utils import get_column_letter

    names = wb.sheetnames
    if META_SHEET in names:
        row = next(wb[META_SHEET].iter_rows(min_row=1, max_row=1, values_only=True), ())
        version = row[2] if len(row) > 2 else None
        if row and row[0] == "format" and row[1] == FORMAT_TAG and isinstance(version, int) \
                and version > FORMAT_VERSION:
            raise refuse(path, "这个设置表格是较新版本的 govdesk 生成的，请升级本程序后再导入")
    missing = [s for s in (SHEET_TOWNSHIP, *LIST_SHEETS) if s not in names]
    if missing:
        raise refuse(path, "缺少工作表“" + "”“".join(missing) + "”。请用 govdesk 生成的设置表格"
                           "填写（govdesk setup template -o 文件名.xlsx），不要删除或改名工作表")
    warnings: list[str] = []
    uncached: list[str] = []
    for sheet in (SHEET_TOWNSHIP, *LIST_SHEETS):
        ws, fws = wb[sheet], fwb[sheet]
        if ws.max_row > MAX_SHEET_ROWS + HEADER_SEARCH_ROWS or ws.max_column > MAX_SHEET_COLUMNS:
            if _has_data_beyond(ws):
                raise refuse(path, f"工作表“{sheet}”超过 {MAX_SHEET_ROWS} 行或 "
                                   f"{MAX_SHEET_COLUMNS} 列，不像是设置表格")
        if ws.sheet_state != "visible":
            warnings.append(f"工作表“{sheet}”是隐藏的，其内容照常导入，请确认")
        hidden_rows = [r for r, d in ws.row_dimensions.items() if d.hidden and r <= ws.max_row]
        hidden_cols = [k for k, d in ws.column_dimensions.items() if d.hidden]
        if hidden_rows:
            warnings.append(f"工作表“{sheet}”有隐藏的行（{few(map(str, hidden_rows))}），"
                            "其内容照常导入，请确认")
        if hidden_cols:
            warnings.append(f"工作表“{sheet}”有隐藏的列（{few(hidden_cols)}），请确认")
        bounds = {"max_row": min(fws.max_row, MAX_SHEET_ROWS + HEADER_SEARCH_ROWS),
                  "max_col": min(fws.max_column, MAX_SHEET_COLUMNS), "values_only": True}
        uncached += uncached_formulas(ws.iter_rows(**bounds), fws.iter_rows(**bounds),
                                      sheet=sheet)
    refuse_uncached_formulas(path, uncached)

    problems: list[Problem] = []
    columns: dict[str, dict[str, str]] = {}
    township, township_rows = _read_township(wb[SHEET_TOWNSHIP], path)
    rows: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for sheet, spec in LIST_SHEETS.items():
        found, body = _read_list(wb[sheet], sheet, spec, path)
        columns[sheet] = {label: get_column_letter(c) for label, c in found.items()}
        rows[sheet] = body

    units = tuple(PlanUnit(v.get("名称", ""), row=r) for r, v in rows[SHEET_UNITS])
    communities = tuple(PlanCommunity(v.get("名称", ""), v.get("类型", ""), row=r)
                        for r, v in rows[SHEET_COMMUNITIES])
    boards = tuple(PlanBoard(v.get("编号", ""), v.get("名称", ""), v.get("类型", ""),
                             v.get("位置", ""), v.get("所属", ""),
                             (v.get("打印纸张", "") or "A4").upper(), row=r)
                   for r, v in rows[SHEET_BOARDS])
    people = [PlanAccount(v.get("登录名", ""), v.get("姓名", ""), v.get("角色", ""),
                          v.get("所在科室站所", ""), row=r) for r, v in rows[SHEET_USERS]]
    admin_at = next((i for i, a in enumerate(people) if role_of(a.role) is Role.ADMIN), None)
    if admin_at is None:
        problems.append(Problem(SHEET_USERS, None, "角色",
                                "至少要有一个角色为“管理员”的账号（用于首次登录和管理用户）"))
        admin = PlanAccount("", "", Role.ADMIN.label)
    else:
        admin = people.pop(admin_at)
    plan = SetupPlan(township=township, units=units, communities=communities, boards=boards,
                     admin=admin, accounts=tuple(people))
    return LoadedSetup(plan, columns, township_rows, tuple(problems), tuple(warnings))


def _has_data_beyond(ws: Any) -> bool:
    for r, row in enumerate(ws.iter_rows(values_only=True), 1):
        if any(v not in (None, "") for v in row[MAX_SHEET_COLUMNS:]):
            return True
        if r > MAX_SHEET_ROWS + HEADER_SEARCH_ROWS and any(v not in (None, "") for v in row):
            return True
    return False


def _read_township(ws: Any, path: Path) -> tuple[Township, dict[str, int]]:
    lookup: dict[str, str] = {}
    for label, synonyms in TOWNSHIP_SYNONYMS.items():
        for name in (label, *synonyms):
            lookup[name] = label
    values: dict[str, str] = {}
    rows: dict[str, int] = {}
    for r, row in enumerate(ws.iter_rows(max_row=40, max_col=3, values_only=True), 1):
        label = lookup.get(_norm_header(row[0] if row else None))
        if label and label not in values:
            values[label] = _cell_text(row[1] if len(row) > 1 else None)
            rows[label] = r
    if "全称" not in rows:
        raise refuse(path, f"工作表“{SHEET_TOWNSHIP}”的第一列中找不到“全称”一行")
    attrs = dict((label, attr) for attr, label in TOWNSHIP_FIELDS)
    return Township(**{attrs[label]: v for label, v in values.items()}), rows


def _read_list(ws: Any, sheet: str, spec: Sequence[tuple[str, tuple[str, ...], int]],
               path: Path) -> tuple[dict[str, int], list[tuple[int, dict[str, str]]]]:
    lookup: dict[str, str] = {}
    for label, synonyms, _w in spec:
        for name in (label, *synonyms):
            lookup[_norm_header(name)] = label
    first = spec[0][0]
    found: dict[str, int] = {}
    header_row = 0
    all_rows = list(ws.iter_rows(max_row=min(ws.max_row, MAX_SHEET_ROWS + HEADER_SEARCH_ROWS),
                                 max_col=MAX_SHEET_COLUMNS, values_only=True))
    for r, row in enumerate(all_rows[:HEADER_SEARCH_ROWS], 1):
        cols = {}
        for c, v in enumerate(row, 1):
            label = lookup.get(_norm_header(v))
            if label and label not in cols:
                cols[label] = c
        if first in cols:
            found, header_row = cols, r
            break
    if not header_row:
        raise refuse(path, f"工作表“{sheet}”的前 {HEADER_SEARCH_ROWS} 行中找不到表头“{first}”")
    needed = [label for label, _s, _w in spec if label not in found and label != "打印纸张"
              and not (sheet == SHEET_USERS and label == "所在科室站所")]
    if needed:
        raise refuse(path, f"工作表“{sheet}”缺少表头“" + "”“".join(needed) + "”")
    body: list[tuple[int, dict[str, str]]] = []
    for r in range(header_row + 1, len(all_rows) + 1):
        row = all_rows[r - 1]
        values = {label: _cell_text(row[c - 1]) if c - 1 < len(row) else ""
                  for label, c in found.items()}
        if any(values.values()):
            body.append((r, values))
    if len(body) > MAX_SHEET_ROWS - 1:
        raise refuse(path, f"工作表“{sheet}”超过 {MAX_SHEET_ROWS - 1} 行数据，不像是设置表格")
    return found, body
