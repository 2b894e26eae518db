"""The 月抽查记分表 file format: the template opened with openpyxl (merged headers, protection,
validations, hidden metadata), filled in and read back, and the files it refuses."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from govdesk.core.errors import UserError
from govdesk.core.scoring import default_scheme
from govdesk.export import score_sheet as ss

COMMUNITIES = [(11, "柳河村"), (12, "云溪社区"), (13, "=HYPERLINK(\"x\")")]


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "记分表.xlsx"
    ss.write_template(path, scheme=default_scheme(2017), communities=COMMUNITIES, year=2017,
                      month=7, township="金星镇", scheme_id=4, scheme_version=2)
    return path


def test_template_has_title_info_block_and_merged_two_level_headers(template):
    wb = load_workbook(template)
    assert wb.sheetnames == [ss.GRID_SHEET, ss.RULES_SHEET, ss.REASONS_SHEET, ss.META_SHEET]
    ws = wb[ss.GRID_SHEET]
    assert ws["A1"].value == "金星镇2017年7月社区政务公开月抽查记分表"
    assert (ws["A2"].value, ws["C2"].value) == ("检查月份", "2017-07")
    assert (ws["A3"].value, ws["A4"].value) == ("检查人", "检查日期")
    merged = {str(r) for r in ws.merged_cells.ranges}
    leaves = default_scheme(2017).leaves
    last = ss.column_letter(ss.FIRST_INDICATOR_COL + len(leaves) - 1)
    assert f"A1:{last}1" in merged
    # 一级 "公开栏建设" over its three 二级 columns D:F, 序号/社区/是否抽查 over rows 6-8.
    assert {"D6:F6", "G6:J6", "A6:A8", "B6:B8", "C6:C8"} <= merged
    assert (ws["D6"].value, ws["D7"].value, ws["D8"].value) == ("公开栏建设", "公开栏设置",
                                                                "1.1（10分）")
    assert ws["I8"].value == "2.3（15分）"
    assert [ws.cell(row=ss.FIRST_DATA_ROW + i, column=2).value for i in range(3)] == \
        [name for _, name in COMMUNITIES]
    # A name that looks like a formula is stored as text.
    assert ws.cell(row=ss.FIRST_DATA_ROW + 2, column=2).data_type == "s"
    assert ws.freeze_panes == f"D{ss.FIRST_DATA_ROW}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["I"].width > 8


def test_only_input_cells_are_unlocked_and_sheets_are_protected_without_password(template):
    wb = load_workbook(template)
    for name in (ss.GRID_SHEET, ss.RULES_SHEET, ss.REASONS_SHEET):
        assert wb[name].protection.sheet is True
        assert not wb[name].protection.password
    ws = wb[ss.GRID_SHEET]
    r = ss.FIRST_DATA_ROW
    assert ws.cell(row=r, column=4).protection.locked is False  # a score cell
    assert ws.cell(row=r, column=3).protection.locked is False  # 是否抽查
    assert ws["C3"].protection.locked is False and ws["C4"].protection.locked is False
    assert ws["C2"].protection.locked is True  # the month
    assert ws.cell(row=r, column=2).protection.locked is True  # the name
    assert ws["D8"].protection.locked is True  # a header
    assert ws.cell(row=r, column=4).number_format == ss.SCORE_FORMAT
    assert wb[ss.REASONS_SHEET]["C4"].protection.locked is False


def test_score_cells_validate_between_zero_and_the_indicator_max_in_chinese(template):
    ws = load_workbook(template)[ss.GRID_SHEET]
    first, last = ss.FIRST_DATA_ROW, ss.FIRST_DATA_ROW + len(COMMUNITIES) - 1
    by_range = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    dv = by_range[f"I{first}:I{last}"]  # 2.3 财务收支公开, 15 points
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", "15")
    assert dv.showErrorMessage and "满分15分" in dv.error and "0到15" in dv.error
    leaves = default_scheme(2017).leaves
    scored = [d for d in by_range.values() if d.type == "decimal"]
    assert len(scored) == len(leaves)
    assert by_range[f"C{first}:C{last}"].formula1 == '"是,否"'
    reasons = load_workbook(template)[ss.REASONS_SHEET]
    lists = {str(d.sqref).split(":")[0]: d.formula1 for d in reasons.data_validations.dataValidation}
    assert lists["A4"] == f"'{ss.GRID_SHEET}'!$B${first}:$B${last}"
    assert lists["B4"].startswith(f"'{ss.RULES_SHEET}'!$B$3")


def test_metadata_is_very_hidden_and_maps_columns_to_codes(template):
    wb = load_workbook(template)
    meta = wb[ss.META_SHEET]
    assert meta.sheet_state == "veryHidden"
    rows = [r for r in meta.iter_rows(values_only=True)]
    assert rows[0][:3] == ("format", ss.FORMAT_TAG, 1)
    values = {r[0]: r[1] for r in rows if r[0] != "indicator"}
    assert values["year"] == 2017 and values["month"] == 7 and values["scheme_id"] == 4
    indicators = [r[1:4] for r in rows if r[0] == "indicator"]
    assert indicators[0] == (4, "1.1", "10")
    assert [code for _, code, _ in indicators] == [leaf.code for leaf in
                                                   default_scheme(2017).leaves]


def test_a_filled_template_reads_back_with_cells(template, tmp_path):
    wb = load_workbook(template)
    ws = wb[ss.GRID_SHEET]
    ws["C3"] = "刘欣、王强"
    ws["C4"] = date(2017, 7, 25)
    ws["D9"] = 5
    ws["I10"] = 1.5
    ws["C11"] = "否"
    rs = wb[ss.REASONS_SHEET]
    rs["A4"], rs["B4"], rs["C4"] = "云溪社区", "2.3 财务收支公开", "7月收支未逐笔公开"
    out = tmp_path / "filled.xlsx"
    wb.save(out)
    raw = ss.read_sheet(out)
    assert raw.month == "2017-07" and raw.checker == "刘欣、王强"
    assert raw.checked_on == datetime(2017, 7, 25)
    assert (raw.meta_year, raw.meta_month, raw.scheme_id, raw.scheme_version) == (2017, 7, 4, 2)
    assert [r.community for r in raw.rows] == [name for _, name in COMMUNITIES]
    liuhe, yunxi, third = raw.rows
    assert liuhe.by_code == {"1.1": 5} and liuhe.values[0].where.text == "工作表“记分表”第9行第D列"
    assert yunxi.by_code == {"2.3": 1.5} and yunxi.checked == "是"
    assert third.checked == "否" and not third.values
    (reason,) = raw.reasons
    assert (reason.community, reason.indicator, reason.reason) == ("云溪社区", "2.3 财务收支公开",
                                                                   "7月收支未逐笔公开")
    assert reason.reason_where.text == "工作表“扣分原因”第4行第C列"


def test_values_right_of_the_indicators_are_reported_as_stray(template, tmp_path):
    wb = load_workbook(template)
    ws = wb[ss.GRID_SHEET]
    col = ss.FIRST_INDICATOR_COL + len(default_scheme(2017).leaves)
    ws.cell(row=9, column=col, value="备注")
    wb.save(tmp_path / "stray.xlsx")
    raw = ss.read_sheet(tmp_path / "stray.xlsx")
    assert [(w.row, w.column, v) for w, v in raw.stray] == [(9, col, "备注")]


def _message(path: Path) -> str:
    with pytest.raises(UserError) as err:
        ss.read_sheet(path)
    return err.value.message


def test_refuses_empty_renamed_and_foreign_files(tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert "文件是空的" in _message(empty)
    text = tmp_path / "text.xlsx"
    text.write_text("序号,社区\n1,柳河村\n", encoding="utf-8")
    assert "不是有效的 .xlsx 文件" in _message(text)
    broken_zip = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(broken_zip, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    assert "不是有效的 .xlsx 文件" in _message(broken_zip)
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert "另存为” .xlsx" in _message(xls)
    assert "找不到文件" in _message(tmp_path / "missing.xlsx")
    foreign = tmp_path / "foreign.xlsx"
    wb = Workbook()
    wb.active["A1"] = "随便一个表"
    wb.save(foreign)
    assert "不是本系统生成的月抽查记分表" in _message(foreign)


def test_refuses_a_template_with_a_sheet_removed(template, tmp_path):
    wb = load_workbook(template)
    del wb[ss.REASONS_SHEET]
    wb.save(tmp_path / "no_reasons.xlsx")
    assert "缺少工作表“扣分原因”" in _message(tmp_path / "no_reasons.xlsx")


def test_refuses_a_huge_sheet_without_reading_it_all(template, tmp_path):
    wb = load_workbook(template)
    ws = wb[ss.GRID_SHEET]
    for r in range(ss.FIRST_DATA_ROW + 3, ss.MAX_ROWS + 50):
        ws.cell(row=r, column=2, value=f"村{r}")
    wb.save(tmp_path / "huge.xlsx")
    message = _message(tmp_path / "huge.xlsx")
    assert "工作表“记分表”" in message and f"{ss.MAX_ROWS}行的上限" in message


def test_refuses_a_huge_sheet_whose_dimension_lies(template, tmp_path):
    """A file may omit its <dimension>: the reader reads one row past the cap and refuses."""
    wb = load_workbook(template)
    ws = wb[ss.GRID_SHEET]
    for r in range(ss.FIRST_DATA_ROW + 3, ss.MAX_ROWS + 5):
        ws.cell(row=r, column=5, value=1)
    wb.save(tmp_path / "far.xlsx")
    src = tmp_path / "far.xlsx"
    liar = tmp_path / "liar.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(liar, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b"", data)
            zout.writestr(item, data)
    assert f"{ss.MAX_ROWS}行的上限" in _message(liar)


def test_refuses_a_zip_that_unpacks_to_far_more_than_a_sheet(template, monkeypatch):
    monkeypatch.setattr(ss, "MAX_UNPACKED_BYTES", 10_000)
    assert "解压后" in _message(template)
