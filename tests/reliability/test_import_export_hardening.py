"""I1–I7 for the importers that read user files through the one xlsx pre-flight
(export.xlsx_safety): operations.ledger.read_table_rows (台账 import, 申请台账 import) and the
月抽查记分表 import (operations.score_import → export.score_sheet.read_sheet); and the 台账
export end to end. What tests/export/test_tables.py, tests/export/test_score_sheet.py
and tests/operations/test_setup.py already cover (hostile strings in CSV/XLSX exports under
hypothesis, renamed files, the setup pre-flight) is not repeated here.

Every refusal must be a Chinese UserError — never a traceback — and write nothing."""

from __future__ import annotations

import io
import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from conftest import notice_input
from openpyxl import Workbook, load_workbook

from govdesk.core.errors import UserError
from govdesk.core.notices import NoticeFilter
from govdesk.export import score_sheet as ss
from govdesk.operations import ledger, request_import, score_import
from govdesk.operations import notices as notice_ops

CJK = re.compile("[\u4e00-\u9fff]")
LEDGER_HEADER = ["标题", "类别", "责任单位", "形成日期", "公开方式"]
LEDGER_ROW = ["关于𠮷祥村道路硬化工程的公示", "社会救助", "民政办", "2025-03-01", "公开栏"]

IMPORTERS = {
    "台账": lambda ctx, p: ledger.import_notices(ctx, p),
    "申请台账": lambda ctx, p: request_import.import_requests(ctx, p),
    "记分表": lambda ctx, p: score_import.import_sheet(ctx, p),
}


@pytest.fixture
def staff(ctx):
    """One account, the administrator, signed in: it may import all three kinds of file (one
    password hash instead of the six of the ``users`` fixture keeps these tests fast)."""
    from conftest import PASSWORD

    from govdesk.core.org import Role
    from govdesk.operations import auth

    ctx.user = auth.create_user(ctx, "admin", "管理员", Role.ADMIN, PASSWORD)
    ctx.authenticated_at = ctx.clock()
    return ctx.user


def written(ctx) -> tuple[int, ...]:
    return tuple(ctx.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("notice", "request", "spot_check"))


def refused(ctx, importer: str, path: Path) -> str:
    before = written(ctx)
    with pytest.raises(UserError) as info:
        IMPORTERS[importer](ctx, path)
    assert CJK.search(info.value.message), info.value.message
    assert written(ctx) == before
    return info.value.message


def workbook_bytes(rows, *, edit=None) -> bytes:
    """An xlsx with ``rows`` on its first sheet; ``edit(xml)`` may rewrite the sheet XML."""
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue() if edit is None else rewritten(buf.getvalue(), edit)


def rewritten(xlsx: bytes, edit) -> bytes:
    """``xlsx`` with the XML of its first sheet passed through ``edit(xml) -> xml``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            dst.writestr(info.filename, data)
    return out.getvalue()


SCORE_CELL = ("柳河村", "2.3")  # 5 points there is one "每少公开一次扣5分": no reason needed


@pytest.fixture
def score_template(ctx, staff, tmp_path) -> Path:
    """A real 月抽查记分表 of 2025-07 for one community, as govdesk writes it."""
    from govdesk.operations.org import save_org_item

    save_org_item(ctx, "community", {"name": SCORE_CELL[0], "kind": "村"})
    path = tmp_path / "记分表模板.xlsx"
    assert score_import.write_template(ctx, 2025, 7, path) == 1
    return path


def score_ref(template: Path) -> str:
    """The grid cell (E9…) of SCORE_CELL in ``template``."""
    wb = load_workbook(template, read_only=True)
    column = next(r[1] for r in wb[ss.META_SHEET].iter_rows(values_only=True)
                  if r[0] == "indicator" and r[2] == SCORE_CELL[1])
    wb.close()
    return f"{ss.column_letter(column)}{ss.FIRST_DATA_ROW}"


def file_with_formula(importer: str, tmp_path: Path, template: Path, formula: str
                      ) -> tuple[Path, str]:
    """A file each importer would accept, with ``formula`` in one cell (openpyxl saves it
    without a computed value, as a script or a converter would), and that cell's name as the
    refusal should give it."""
    path = tmp_path / f"公式-{importer}.xlsx"
    if importer == "台账":
        path.write_bytes(workbook_bytes([LEDGER_HEADER, [formula, *LEDGER_ROW[1:]]]))
        return path, "A2"
    if importer == "申请台账":
        row = list(request_import.EXAMPLE_ROW)
        at = request_import.TEMPLATE_HEADERS.index("申请人")
        row[at] = formula
        path.write_bytes(workbook_bytes([list(request_import.TEMPLATE_HEADERS), row]))
        return path, f"{ss.column_letter(at + 1)}2"
    wb = load_workbook(template)
    ref = score_ref(template)
    wb[ss.GRID_SHEET][ref] = formula
    wb.save(path)
    return path, f"{ss.GRID_SHEET}!{ref}"


# ---------------------------------------------------------------------------- I1 size, zip


@pytest.mark.parametrize("importer", IMPORTERS)
def test_an_oversized_file_is_refused_by_its_size_without_reading_it(ctx, staff, tmp_path,
                                                                       importer):
    path = tmp_path / "大文件.xlsx"
    with path.open("wb") as fh:
        fh.truncate(2 * 1024**3)  # 2 GB sparse: reading it would take far longer than allowed
    started = time.monotonic()
    message = refused(ctx, importer, path)
    assert time.monotonic() - started < 1.0
    assert "MB" in message


@pytest.mark.parametrize("importer", IMPORTERS)
def test_a_file_that_is_not_a_zip_is_refused(ctx, staff, tmp_path, importer):
    path = tmp_path / "改名.xlsx"
    path.write_bytes("这不是表格，是一段文字。\n".encode() * 10)
    refused(ctx, importer, path)


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    """≈1 MB on disk, 1 GB inflated: a workbook whose sheet XML is padded with 1 GB of spaces."""
    head = workbook_bytes([LEDGER_HEADER, LEDGER_ROW])
    path = tmp_path_factory.mktemp("bomb") / "炸弹.xlsx"
    with zipfile.ZipFile(io.BytesIO(head)) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info))
                continue
            xml = src.read(info).decode()
            before, after = xml.split("<sheetData>", 1)
            with dst.open(info.filename, "w", force_zip64=True) as fh:
                fh.write((before + "<sheetData>").encode())
                chunk = b" " * (1 << 20)
                for _ in range(1024):
                    fh.write(chunk)
                fh.write(after.encode())
    assert path.stat().st_size < 2 * 1024 * 1024
    return path


@pytest.fixture
def inflation_guard(monkeypatch):
    """Counts the bytes inflated from any zip entry; past 64 MB the read fails at once, so a
    missing pre-flight shows as a failure here instead of minutes of inflating."""
    seen = {"bytes": 0}
    real = zipfile.ZipExtFile.read

    def read(self, n=-1):
        data = real(self, n)
        seen["bytes"] += len(data)
        if seen["bytes"] > 64 * 1024 * 1024:
            raise AssertionError("more than 64 MB inflated: the zip bomb was not refused")
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", read)
    return seen


@pytest.mark.parametrize("importer", IMPORTERS)
def test_a_zip_bomb_is_refused_quickly_with_little_memory(ctx, staff, zip_bomb, inflation_guard,
                                                          importer):
    tracemalloc.start()
    started = time.monotonic()
    try:
        refused(ctx, importer, zip_bomb)
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 2.0 and peak < 100 * 1024 * 1024, (elapsed, peak)
    assert inflation_guard["bytes"] < 64 * 1024 * 1024


# ------------------------------------------------------------------------------ I2 XML bomb

LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                    for i in range(1, 10))
          + "]>")


def test_defusedxml_is_what_openpyxl_uses():
    from openpyxl import xml

    assert xml.DEFUSEDXML


@pytest.mark.parametrize("importer", IMPORTERS)
def test_a_billion_laughs_worksheet_is_refused(ctx, staff, tmp_path, score_template, importer):
    def bomb(xml: str) -> str:
        # &lol9; in the first cell of row 1 (A1 of a ledger, the title of the 记分表).
        body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
        body = re.sub(r'<c r="A1"[^>]*?(/>|>.*?</c>)',
                      '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>', body, count=1)
        assert "&lol9;" in body
        return LAUGHS + body

    path = tmp_path / "laughs.xlsx"
    if importer == "记分表":  # its first sheet is the grid, read only after the metadata
        path.write_bytes(rewritten(score_template.read_bytes(), bomb))
    else:
        header = LEDGER_HEADER if importer == "台账" else list(request_import.TEMPLATE_HEADERS)
        path.write_bytes(workbook_bytes([header], edit=bomb))
    started = time.monotonic()
    refused(ctx, importer, path)
    assert time.monotonic() - started < 2.0


# ------------------------------------------------------------------------------ I3 formulas


@pytest.mark.parametrize("importer", IMPORTERS)
def test_uncached_formulas_are_refused_naming_the_cells(ctx, staff, tmp_path, score_template,
                                                        importer):
    path, cell = file_with_formula(importer, tmp_path, score_template,
                                   "=2+3" if importer == "记分表" else '="关于"&"道路"')
    assert load_workbook(path, data_only=True).worksheets[0][cell.split("!")[-1]].value is None
    message = refused(ctx, importer, path)
    assert f"（{cell}）" in message and "公式" in message and path.name in message


def cached(ref: str, value: str, xml: str) -> str:
    """What Excel/WPS save: the formula of ``ref`` and the value it computed."""
    kind = "" if value.isdigit() else ' t="str"'
    out, n = re.subn(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?',
                     rf'<c r="{ref}"\1{kind}><f>\2</f><v>{value}</v>', xml, count=1)
    assert n == 1
    return out


def test_ledger_formulas_with_cached_values_import_their_values(ctx, staff, tmp_path):
    path = tmp_path / "公式.xlsx"
    path.write_bytes(workbook_bytes([LEDGER_HEADER, ['="关于"&"道路"&"的公示"', *LEDGER_ROW[1:]]],
                                    edit=lambda xml: cached("A2", "关于道路的公示", xml)))
    assert load_workbook(path, data_only=True).active["A2"].value == "关于道路的公示"
    assert ledger.import_notices(ctx, path).created == 1
    assert ctx.db.execute("SELECT title FROM notice").fetchone()[0] == "关于道路的公示"


def test_score_sheet_formulas_with_cached_values_import_their_values(ctx, staff, tmp_path,
                                                                      score_template):
    path, cell = file_with_formula("记分表", tmp_path, score_template, "=2+3")
    ref = cell.split("!")[1]
    path.write_bytes(rewritten(path.read_bytes(), lambda xml: cached(ref, "5", xml)))
    assert load_workbook(path, data_only=True)[ss.GRID_SHEET][ref].value == 5
    assert score_import.import_sheet(ctx, path).saved == 1
    # 5 points under 2.3 is once its rule "每少公开一次扣5分"
    assert ctx.db.execute("SELECT indicator_code, count FROM deduction").fetchall() == [
        ("2.3", 1)]


# ------------------------------------------------------------------------------ I6 CSV


def csv_text(rows) -> str:
    return "".join(",".join(r) + "\r\n" for r in rows)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding_imports_the_same_rows(ctx, staff, tmp_path, encoding):
    path = tmp_path / f"台账-{encoding}.csv"
    path.write_bytes(csv_text([LEDGER_HEADER, LEDGER_ROW]).encode(encoding))
    if encoding == "gb18030":
        assert "𠮷".encode("gb18030") in path.read_bytes()  # a 4-byte GB18030 character
    header, rows = ledger.read_table_rows(path, header_marks=["标题"], missing_header="x")
    assert header == LEDGER_HEADER and rows == [(2, LEDGER_ROW)]
    assert ledger.import_notices(ctx, path).created == 1
    assert ctx.db.execute("SELECT title FROM notice").fetchone()[0] == LEDGER_ROW[0]


@pytest.mark.parametrize(("importer", "bad"), [
    ("台账", "nul"),
    ("申请台账", "nul"),
    *((importer, bad) for importer in ("台账", "申请台账")
      for bad in ("long_field", "undecodable")),
])
def test_malformed_csv_gives_a_clean_message(ctx, staff, tmp_path, importer, bad):
    row = list(LEDGER_ROW)
    if bad == "nul":
        row[0] = "关于\x00道路的公示"
    elif bad == "long_field":
        row[0] = "长" * 200_000  # over csv.field_size_limit (131,072)
    data = csv_text([LEDGER_HEADER, row]).encode("utf-8")
    if bad == "undecodable":
        data = data.replace("民政办".encode(), b"\xff\xfe\x80\x81")
    path = tmp_path / "坏.csv"
    path.write_bytes(data)
    refused(ctx, importer, path)


# ------------------------------------------------------------------------------ I7 export


HOSTILE = ['=HYPERLINK("http://evil.example","点此")', "+cmd|' /C calc'!A0", "@SUM(1)",
           "\t=1+1", "-2+3", "=1", "'已有引号"]


def test_the_ledger_export_keeps_hostile_titles_as_text(ctx, staff, tmp_path):
    for title in HOSTILE:
        notice_ops.create_notice(ctx, notice_input(ctx, title=title))
    stored = [r[0] for r in ctx.db.execute("SELECT title FROM notice")]  # as saved (trimmed)
    xlsx, csv_path = tmp_path / "台账.xlsx", tmp_path / "台账.csv"
    ledger.export_ledger(ctx, NoticeFilter(), xlsx)
    ledger.export_ledger(ctx, NoticeFilter(), csv_path)
    ws = load_workbook(xlsx).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    titles = {c.value for c in cells if c.column == 2}
    assert set(stored) <= titles
    text = csv_path.read_bytes().decode("utf-8-sig")
    for title in stored:
        if title[0] in "=+-@\t":
            assert '"' + ("'" + title).replace('"', '""') + '"' in text, title
    # and the CSV comes back in through the 台账 import as the same titles
    back = reimported_titles(csv_path)
    assert sorted(back) == sorted(stored)


def reimported_titles(path: Path) -> set[str]:
    header, rows = ledger.read_table_rows(path, header_marks=["标题"], missing_header="x")
    return {r[header.index("标题")] for _, r in rows}


def test_a_title_that_starts_with_an_apostrophe_survives_export_and_import(ctx, staff,
                                                                           tmp_path):
    notice_ops.create_notice(ctx, notice_input(ctx, title="'已有引号"))
    path = tmp_path / "台账.csv"
    ledger.export_ledger(ctx, NoticeFilter(), path)
    assert reimported_titles(path) == {"'已有引号"}
