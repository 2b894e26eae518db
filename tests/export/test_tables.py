import csv
import os
import re
import subprocess
import sys
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from govdesk.core.errors import UserError
from govdesk.export import tables
from govdesk.export.tables import (
    ILLEGAL_XML_CHARS_RE,
    Column,
    Table,
    excel_width,
    safe_text,
    sheet_names_for,
    write_csv,
    write_xlsx,
    xlsx_text,
)

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "-1+2",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    "\n=1",
    "=",
    "=1",
    "#N/A",
    "#DIV/0!",
    "-",
    "=1+1\n第二行",
]

COLUMNS = (
    Column("索引号", 14),
    Column("信息名称", 24),
    Column("公开日期", 8, "date"),
    Column("件数", 5, "int"),
    Column("金额（元）", 9, "decimal"),
    Column("内容摘要", 40, "wrap"),
)
ROWS = [
    (
        "000014349/2025-00001",
        "关于财政资金使用情况的公告",
        date(2025, 3, 1),
        3,
        Decimal("1234.5"),
        "长" * 200,
    ),
    ("000014349/2025-00002", "-1+2", datetime(2025, 3, 2, 8, 30), -3, Decimal("-0.5"), None),
    ("000014349/2025-00003", "=SUM(A1:A2)", "长期", None, 7.25, "第一行\r\n第二行"),
]
TITLE = "政府信息主动公开台账（2025年）"
SUBTITLE = "导出时间：2025年3月1日  筛选：类别=财政资金"


def sample_table(**kw):
    args = dict(title=TITLE, columns=COLUMNS, rows=ROWS, subtitle=SUBTITLE)
    args.update(kw)
    return Table(**args)


def formula_cells(wb):
    return [c.coordinate for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


# --------------------------------------------------------------------------- module hygiene


def test_importing_the_module_does_not_import_openpyxl():
    code = "import sys, govdesk.export.tables; print('openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_our_illegal_character_set_covers_openpyxls():
    for code in range(0x20):
        ch = chr(code)
        if ILLEGAL_CHARACTERS_RE.match(ch):
            assert ILLEGAL_XML_CHARS_RE.match(ch)
    for ch in "\t\n\r a中\U0001f600":
        assert not ILLEGAL_XML_CHARS_RE.match(ch)
    for ch in "\ufffe\uffff\ud800\udfff":
        assert ILLEGAL_XML_CHARS_RE.match(ch)


# --------------------------------------------------------------------------- xlsx layout


def test_xlsx_title_subtitle_headers_and_fonts(tmp_path):
    path = tmp_path / "台账.xlsx"
    write_xlsx(path, sample_table())
    ws = openpyxl.load_workbook(path).active

    assert ws["A1"].value == TITLE
    assert "A1:F1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].font.name == "黑体" and ws["A1"].font.b and ws["A1"].font.sz == 16
    assert ws["A1"].alignment.horizontal == "center"
    assert ws["A2"].value == SUBTITLE
    assert "A2:F2" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].font.name == "宋体" and ws["A2"].font.sz == 10

    assert [c.value for c in ws[3]] == [c.title for c in COLUMNS]
    head = ws["B3"]
    assert head.font.b and head.font.name == "宋体"
    assert head.fill.fill_type == "solid" and head.fill.fgColor.rgb.endswith("D9D9D9")
    assert head.border.left.style == head.border.bottom.style == "thin"
    assert head.alignment.horizontal == "center" and head.alignment.wrap_text

    data = ws["A4"]
    assert data.font.name == "宋体"
    assert data.border.top.style == "thin"
    assert data.alignment.horizontal == "left" and data.alignment.vertical == "center"
    assert ws["F4"].alignment.wrap_text and ws["F4"].alignment.vertical == "top"
    assert ws["F5"].border.right.style == "thin"  # empty cells keep their borders


def test_xlsx_without_subtitle_starts_headers_on_row_2(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx(path, sample_table(subtitle=""))
    ws = openpyxl.load_workbook(path).active
    assert ws["A2"].value == "索引号"
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$1:$2"


def test_xlsx_column_widths_fit_chinese_text(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx(path, sample_table())
    ws = openpyxl.load_workbook(path).active
    for letter, column in zip("ABCDEF", COLUMNS, strict=True):
        width = ws.column_dimensions[letter].width
        assert width == pytest.approx(excel_width(column.width))
        assert width >= 2 * column.width + 1  # a Chinese character is ~2 digit widths


def test_xlsx_print_setup_and_freeze_panes(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx(path, sample_table())
    ws = openpyxl.load_workbook(path).active
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$1:$3"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_options.horizontalCentered is True
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert 0 < ws.page_margins.left < 1 and 0 < ws.page_margins.bottom < 1


def test_xlsx_values_and_number_formats(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx(path, sample_table())
    ws = openpyxl.load_workbook(path).active

    c = ws["C4"]
    assert c.is_date and c.value == datetime(2025, 3, 1) and c.number_format == "yyyy-mm-dd"
    assert ws["C5"].value == datetime(2025, 3, 2)  # datetime in a date column: date only
    assert ws["C6"].value == "长期" and ws["C6"].data_type == "s"

    assert ws["D4"].value == 3 and ws["D4"].data_type == "n"
    assert ws["D5"].value == -3 and ws["D5"].data_type == "n"
    assert ws["D6"].value is None

    assert ws["E4"].value == pytest.approx(1234.5) and ws["E4"].number_format == "0.00"
    assert ws["E5"].value == pytest.approx(-0.5) and ws["E5"].data_type == "n"
    assert ws["E6"].value == pytest.approx(7.25)
    assert ws["E4"].alignment.horizontal == "right"

    assert ws["F4"].value == "长" * 200
    assert ws["F5"].value is None
    assert ws["F6"].value == "第一行\n第二行"  # CR LF → LF (Excel's in-cell line break)


def test_xlsx_non_strings_in_text_columns_are_shown_as_text(tmp_path):
    path = tmp_path / "t.xlsx"
    cols = (Column("甲"), Column("乙"), Column("丙"), Column("丁"))
    rows = [(12, Decimal("1E+3"), date(2025, 1, 2), datetime(2025, 1, 2, 3, 4, 5))]
    write_xlsx(path, Table("表", cols, rows))
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[3]] == ["12", "1000", "2025-01-02", "2025-01-02 03:04:05"]
    assert {c.data_type for c in ws[3]} == {"s"}


def test_xlsx_grouped_header_rows_are_merged(tmp_path):
    path = tmp_path / "t.xlsx"
    table = sample_table(header_rows=(("", "基本信息", None, "统计", None, ""),))
    write_xlsx(path, table)
    ws = openpyxl.load_workbook(path).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert merged == {"A1:F1", "A2:F2", "B3:C3", "D3:E3", "A3:A4", "F3:F4"}
    assert [c.value for c in ws[3]] == ["索引号", "基本信息", None, "统计", None, "内容摘要"]
    assert [c.value for c in ws[4]] == [None, "信息名称", "公开日期", "件数", "金额（元）", None]
    assert ws["C3"].border.top.style == "thin"
    # openpyxl drops the fill of merged cells when reading, so check the stored style ids:
    # every cell of a merged header range carries the header style (fill + borders in WPS).
    with zipfile.ZipFile(path) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode()
    style_ids = dict(re.findall(r'<c r="([A-F][34])" s="(\d+)"', sheet_xml))
    assert len(style_ids) == 12 and len(set(style_ids.values())) == 1
    assert ws.freeze_panes == "A5"
    assert ws.print_title_rows == "$1:$4"
    assert ws["A5"].value == "000014349/2025-00001"


def test_xlsx_two_level_grouped_header(tmp_path):
    path = tmp_path / "t.xlsx"
    cols = tuple(Column(t) for t in ("序号", "一月", "二月", "三月", "备注"))
    header_rows = (("", "第一季度", None, None, ""), ("", "财政", None, "其他", ""))
    write_xlsx(path, Table("表", cols, [], header_rows=header_rows))
    ws = openpyxl.load_workbook(path).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert merged == {"A1:E1", "B2:D2", "B3:C3", "A2:A4", "E2:E4"}
    assert ws["A2"].value == "序号" and ws["E2"].value == "备注"
    assert ws["D3"].value == "其他" and ws["D4"].value == "三月"
    assert ws.print_title_rows == "$1:$4"


@pytest.mark.parametrize(
    "header_rows",
    [
        ((None, "甲", None),),  # None with nothing to the left
        (("", None, "乙"),),  # None after a vertical title cell
        (("甲", None),),  # wrong length
        (("", "甲", "乙"), ("丙", "丁", "戊")),  # label below an empty-string entry
    ],
)
def test_invalid_header_rows_are_rejected(header_rows):
    with pytest.raises(ValueError):
        Table("表", (Column("a"), Column("b"), Column("c")), [], header_rows=header_rows)


def test_column_validation():
    with pytest.raises(ValueError):
        Column("甲", kind="money")
    with pytest.raises(ValueError):
        Column("甲", width=0)
    with pytest.raises(ValueError):
        Table("表", (), [])


def test_several_tables_become_several_sheets(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx(path, [sample_table(), sample_table(title="第二张")])
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Sheet1", "Sheet2"]
    assert wb["Sheet2"]["A1"].value == "第二张"

    write_xlsx(path, [sample_table(), sample_table()], sheet_names=["台账/2025", "台账:2025"])
    assert openpyxl.load_workbook(path).sheetnames == ["台账_2025", "台账_2025(2)"]

    with pytest.raises(ValueError):
        write_xlsx(path, [sample_table()], sheet_names=["a", "b"])


def test_sheet_names_are_made_valid():
    raw = ["a/b\\c[d]e:f*g?h", "长" * 40, "'引号'", "", "History", "ABC", "abc", "x" * 31, "x" * 31]
    names = sheet_names_for(raw)
    assert names[0] == "a_b_c_d_e_f_g_h"
    assert names[1] == "长" * 31
    assert names[2] == "引号"
    assert names[3] == "Sheet4"
    assert names[4] == "History_"
    assert names[5:7] == ["ABC", "abc(2)"]
    assert names[8] == "x" * 28 + "(2)"
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)


# --------------------------------------------------------------------------- xlsx: text safety


def test_xlsx_hostile_strings_stay_text(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx(path, Table(HOSTILE[0], (Column("文本"),), [(s,) for s in HOSTILE], subtitle="=1"))
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert formula_cells(wb) == []
    assert ws["A1"].value == HOSTILE[0] and ws["A2"].value == "=1"
    got = [ws.cell(row=4 + i, column=1) for i in range(len(HOSTILE))]
    assert [c.value for c in got] == [xlsx_text(s) for s in HOSTILE]
    assert {c.data_type for c in got} == {"s"}
    assert got[0].value == HOSTILE[0]  # no prefix added in xlsx


def test_xlsx_illegal_characters_are_removed(tmp_path):
    # Documented behaviour: characters XML 1.0 cannot carry are stripped, CR/CRLF become LF,
    # an empty result is an empty cell.
    path = tmp_path / "t.xlsx"
    rows = [("a\x00b\x1fc\x0bd",), ("x\ufffe\uffffy",), ("\x01\x02",), ("1\r\n2\r3",), ("",)]
    write_xlsx(path, Table("标题\x07", (Column("文本"),), rows))
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "标题"
    assert [ws.cell(row=r, column=1).value for r in range(3, 8)] == [
        "abcd",
        "xy",
        None,
        "1\n2\n3",
        None,
    ]


# Independent restatement of the documented xlsx text rules (blacklist instead of whitelist).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def expected_xlsx_text(s):
    s = _XML_BAD.sub("", s).replace("\r\n", "\n").replace("\r", "\n")
    return s[:32767] or None


@pytest.fixture(scope="module")
def hyp_dir(tmp_path_factory):
    # Module-scoped: hypothesis runs many examples per test call; each overwrites the file.
    return tmp_path_factory.mktemp("hyp")


hostile_text = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(["", "=", "+", "-", "@", "\t", "#"]),
    st.text(),
)


@settings(max_examples=200, deadline=None)
@given(strings=st.lists(hostile_text, min_size=1, max_size=8))
def test_xlsx_any_text_round_trips_as_text(hyp_dir, strings):
    path = hyp_dir / "t.xlsx"
    write_xlsx(
        path,
        Table(
            "表",
            (Column("文本"), Column("数", kind="int"), Column("金额", kind="decimal")),
            [(s, -i, Decimal(-i) / 4) for i, s in enumerate(strings)],
        ),
    )
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert formula_cells(wb) == []
    for i, s in enumerate(strings):
        text, number, money = (ws.cell(row=3 + i, column=c) for c in (1, 2, 3))
        assert text.value == expected_xlsx_text(s)
        if text.value is not None:
            assert text.data_type == "s"
        assert number.value == -i and number.data_type == "n"
        assert money.value == pytest.approx(-i / 4) and money.data_type == "n"


# --------------------------------------------------------------------------- csv


def test_safe_text():
    for s in ["=1", "+1", "-1", "@x", "\tx", "\rx", "\nx", "=", "-"]:
        assert safe_text(s) == "'" + s
    for s in ["", "a=1", " =1", "'=1", "索引号", "#N/A", "1-2"]:
        assert safe_text(s) == s


def test_csv_format_bom_crlf_quoting(tmp_path):
    path = tmp_path / "台账.csv"
    write_csv(path, sample_table())
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8")
    first_line = text.split("\r\n", 1)[0]
    assert first_line == ",".join(f'"{c.title}"' for c in COLUMNS)
    assert text.endswith("\r\n")
    assert text.count("\r\n") == 4 + 1  # 4 records + the CRLF kept inside "第一行\r\n第二行"
    assert '"3",' in text and '"-3",' in text  # numbers quoted too (QUOTE_ALL)
    assert TITLE not in text and SUBTITLE not in text


def test_csv_values(tmp_path):
    path = tmp_path / "t.csv"
    write_csv(path, sample_table())
    assert read_csv(path) == [
        [c.title for c in COLUMNS],
        [
            "000014349/2025-00001",
            "关于财政资金使用情况的公告",
            "2025-03-01",
            "3",
            "1234.5",
            "长" * 200,
        ],
        ["000014349/2025-00002", "'-1+2", "2025-03-02", "-3", "-0.5", ""],
        ["000014349/2025-00003", "'=SUM(A1:A2)", "长期", "", "7.25", "第一行\r\n第二行"],
    ]


def test_csv_numbers_are_plain_and_never_prefixed(tmp_path):
    path = tmp_path / "t.csv"
    cols = (
        Column("整数", kind="int"),
        Column("金额", kind="decimal"),
        Column("浮点", kind="decimal"),
        Column("文本中的数"),
        Column("时间"),
    )
    rows = [
        (-5, Decimal("-1E+3"), 1e-7, -12, datetime(2025, 1, 2, 3, 4, 5)),
        (0, Decimal("0.00"), -2.5, Decimal("-0.10"), date(2025, 1, 2)),
    ]
    write_csv(path, Table("表", cols, rows))
    assert read_csv(path)[1:] == [
        ["-5", "-1000", "0.0000001", "-12", "2025-01-02 03:04:05"],
        ["0", "0.00", "-2.5", "-0.10", "2025-01-02"],
    ]


@settings(max_examples=200, deadline=None)
@given(strings=st.lists(hostile_text, min_size=1, max_size=8))
def test_csv_any_text_round_trips_with_apostrophe(hyp_dir, strings):
    path = hyp_dir / "t.csv"
    write_csv(
        path,
        Table(
            "表",
            (Column("=标题"), Column("数", kind="int")),
            [(s, -i) for i, s in enumerate(strings)],
        ),
    )
    rows = read_csv(path)
    assert rows[0] == ["'=标题", "数"]
    assert rows[1:] == [[safe_text(s), str(-i)] for i, s in enumerate(strings)]
    for (text, _), s in zip(rows[1:], strings, strict=True):
        assert not text.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
        dangerous = s[:1] != "" and s[:1] in "=+-@\t\r\n"
        assert text == ("'" + s if dangerous else s)


# --------------------------------------------------------------------------- bad values


@pytest.mark.parametrize(
    ("column", "value", "error"),
    [
        (Column("a"), object(), TypeError),
        (Column("a"), True, TypeError),
        (Column("a", kind="int"), date(2025, 1, 1), TypeError),
        (Column("a", kind="date"), 5, TypeError),
        (Column("a", kind="decimal"), float("nan"), ValueError),
        (Column("a", kind="decimal"), Decimal("Infinity"), ValueError),
    ],
)
@pytest.mark.parametrize("writer", [write_xlsx, write_csv])
def test_unsupported_values_raise(tmp_path, writer, column, value, error):
    with pytest.raises(error):
        writer(tmp_path / "t.out", Table("表", (column,), [(value,)]))
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("writer", [write_xlsx, write_csv])
def test_rows_of_the_wrong_length_raise(tmp_path, writer):
    with pytest.raises(ValueError, match="row 2"):
        writer(tmp_path / "t.out", Table("表", (Column("a"), Column("b")), [("1", "2"), ("3",)]))


# --------------------------------------------------------------------------- atomic writing


def _rows_then_failure(n):
    for i in range(n):
        yield ("索引号", f"第{i}行", date(2025, 1, 1), i, Decimal(i), "摘要")
    yield ("索引号", object(), date(2025, 1, 1), 1, Decimal(1), "摘要")


@pytest.mark.parametrize(("writer", "name"), [(write_xlsx, "台账.xlsx"), (write_csv, "台账.csv")])
def test_failed_export_keeps_the_old_file_and_leaves_no_temp(tmp_path, writer, name):
    target = tmp_path / name
    old = b"old export \x00\xff"
    target.write_bytes(old)
    with pytest.raises(TypeError):
        writer(target, sample_table(rows=_rows_then_failure(2000)))
    assert target.read_bytes() == old
    assert os.listdir(tmp_path) == [name]


@pytest.mark.parametrize(("writer", "name"), [(write_xlsx, "台账.xlsx"), (write_csv, "台账.csv")])
def test_successful_export_replaces_the_old_file(tmp_path, writer, name):
    target = tmp_path / name
    target.write_bytes(b"old")
    writer(str(target), sample_table())
    assert target.read_bytes() != b"old"
    assert os.listdir(tmp_path) == [name]


@pytest.mark.parametrize(("writer", "name"), [(write_xlsx, "台账.xlsx"), (write_csv, "台账.csv")])
def test_locked_target_gives_a_user_error(tmp_path, monkeypatch, writer, name):
    target = tmp_path / name
    target.write_bytes(b"old")

    def locked(src, dst):
        raise PermissionError(13, "The process cannot access the file", str(dst))

    monkeypatch.setattr(tables.os, "replace", locked)
    with pytest.raises(UserError) as info:
        writer(target, sample_table())
    assert info.value.message == f"文件被其他程序占用，请先关闭后再导出：{name}"
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == [name]


# --------------------------------------------------------------------------- volume


def test_ten_thousand_rows(tmp_path):
    text = ("乡镇党政办政务公开信息登记台账测试文本内容示例" * 2)[:30]
    wrap = ("关于进一步做好政务公开工作的通知内容摘要" * 10)[:200]
    cols = tuple(Column(f"列{i}", 16) for i in range(11)) + (Column("内容", 40, "wrap"),)

    def rows():
        for i in range(10_000):
            yield [f"{i:05d}"] + [text] * 10 + [wrap]

    path = tmp_path / "big.xlsx"
    write_xlsx(path, Table("台账", cols, rows(), subtitle="导出时间"))
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb.active
    assert ws.max_row == 3 + 10_000
    last = next(ws.iter_rows(min_row=ws.max_row, values_only=True))
    assert last == ("09999",) + (text,) * 10 + (wrap,)
    wb.close()

    csv_path = tmp_path / "big.csv"
    write_csv(csv_path, Table("台账", cols, rows()))
    got = read_csv(csv_path)
    assert len(got) == 1 + 10_000 and got[-1][0] == "09999"
