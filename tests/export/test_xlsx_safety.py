"""The shared xlsx pre-flight (export.xlsx_safety) on real files: which cells count as formulas
without a computed value (I3), and that a refusal names the file. The pre-flight's I1/I2 cases
run through every importer in tests/reliability/test_import_export_hardening.py and through the
setup sheet in tests/operations/test_setup.py."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from govdesk.core.errors import UserError
from govdesk.export import xlsx_safety


def uncached_in(path: Path, *, read_only: bool) -> list[str]:
    with xlsx_safety.open_xlsx(path, read_only=read_only) as (values, formulas):
        return xlsx_safety.uncached_formulas(
            values["表"].iter_rows(values_only=True), formulas["表"].iter_rows(values_only=True),
            sheet="表")


@pytest.fixture
def workbook(tmp_path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "表"
    ws["A1"] = "=1+1"  # a formula, saved without a value (as openpyxl always does)
    ws["B1"] = "=文字"  # text that merely starts with "=" …
    ws["B1"].data_type = "s"  # … stored as text: not a formula
    ws["C2"] = ArrayFormula("C2:C2", "=SUM(A1:A1)")
    ws["D3"] = 7
    ws["E3"] = "=2+3"
    buf = io.BytesIO()
    wb.save(buf)
    # E3 as Excel/WPS would save it: the formula with the value it computed.
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'(<c r="E3"[^>]*><f>2\+3</f>)<v\s*/?>(</v>)?', rb"\1<v>5</v>",
                                  data)
                assert n == 1
            dst.writestr(info.filename, data)
    path = tmp_path / "公式.xlsx"
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("read_only", [True, False])
def test_only_formulas_without_a_value_are_named(workbook, read_only):
    assert uncached_in(workbook, read_only=read_only) == ["表!A1", "表!C2"]


def test_the_refusal_names_the_file_and_at_most_ten_cells(tmp_path):
    cells = [f"A{i}" for i in range(1, 13)]
    with pytest.raises(UserError) as err:
        xlsx_safety.refuse_uncached_formulas(tmp_path / "名单.xlsx", cells)
    message = err.value.message
    assert message.startswith("无法导入“名单.xlsx”：以下单元格是公式，但没有计算结果（A1、")
    assert "A10 等 12 处" in message and "A11" not in message
    xlsx_safety.refuse_uncached_formulas(tmp_path / "名单.xlsx", [])  # nothing to refuse


def test_an_error_while_reading_becomes_a_chinese_refusal(workbook):
    with pytest.raises(UserError) as err, \
            xlsx_safety.open_xlsx(workbook, read_only=True) as (values, _formulas):
        values["没有这张表"]  # KeyError from openpyxl, as a damaged file would give
    assert "公式.xlsx" in err.value.message and "无法读取" in err.value.message
