"""Importing the 月抽查记分表 on a real temporary database: a filled-in template scores; every
broken case is reported by sheet, row and column and writes nothing; a month already checked is
never replaced silently; the same file twice changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import as_user
from openpyxl import load_workbook

from govdesk.core.errors import PermissionDenied, UserError, ValidationErrors
from govdesk.core.org import Role
from govdesk.core.scoring import Deduction, SpotCheck
from govdesk.export import score_sheet as ss
from govdesk.operations import score_import
from govdesk.operations import scoring as ops
from govdesk.store import audit_store

YEAR, MONTH = 2025, 7


def counts(ctx) -> tuple[int, int, int, int]:
    return tuple(ctx.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("spot_check", "deduction", "audit_log", "scheme"))


@pytest.fixture
def template(ctx, users, org, tmp_path) -> Path:
    path = tmp_path / "2025-07记分表.xlsx"
    assert score_import.write_template(ctx, YEAR, MONTH, path) == 2
    return path


def fill(template: Path, out: Path, scores: dict[tuple[str, str], object] | None = None, *,
         reasons: list[tuple[str, str, str]] = (), checker: object = "刘欣",
         checked_on: object = date(2025, 7, 25), checked: dict[str, str] | None = None,
         cells: dict[str, object] | None = None) -> Path:
    """Fill the template as a person would in WPS: scores by (community, code)."""
    wb = load_workbook(template)
    ws = wb[ss.GRID_SHEET]
    meta = {r[2]: r[1] for r in wb[ss.META_SHEET].iter_rows(values_only=True)
            if r[0] == "indicator"}
    rows = {ws.cell(row=r, column=2).value: r
            for r in range(ss.FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(row=r, column=2).value}
    ws["C3"], ws["C4"] = checker, checked_on
    for (name, code), value in (scores or {}).items():
        ws.cell(row=rows[name], column=meta[code], value=value)
    for name, flag in (checked or {}).items():
        ws.cell(row=rows[name], column=3, value=flag)
    for ref, value in (cells or {}).items():
        ws[ref] = value
    rs = wb[ss.REASONS_SHEET]
    for i, (name, indicator, why) in enumerate(reasons):
        r = ss.REASON_FIRST_ROW + i
        rs.cell(row=r, column=1, value=name)
        rs.cell(row=r, column=2, value=indicator)
        rs.cell(row=r, column=3, value=why)
    wb.save(out)
    return out


def test_template_is_audited_and_creates_the_years_scheme(ctx, users, org, tmp_path):
    assert ops.current_scheme(ctx, YEAR) is None
    path = tmp_path / "t.xlsx"
    assert score_import.write_template(ctx, YEAR, MONTH, path) == 2
    assert ops.current_scheme(ctx, YEAR) is not None
    last = audit_store.last_entry(ctx.db)
    assert (last.action, last.object_type, last.object_id) == ("export", "file", "t.xlsx")
    assert "月抽查记分表" in last.payload and "2025-07" in last.payload
    raw = ss.read_sheet(path)
    assert [r.community for r in raw.rows] == ["柳河村", "云溪社区"]


def test_template_needs_the_assessment_permission(ctx, users, org, tmp_path):
    with pytest.raises(PermissionDenied):
        score_import.write_template(as_user(ctx, users[Role.UNIT_HEAD]), YEAR, MONTH,
                                    tmp_path / "t.xlsx")
    with pytest.raises(UserError, match=r"\.xlsx"):
        score_import.write_template(ctx, YEAR, MONTH, tmp_path / "t.csv")


def test_a_filled_template_imports_and_scores(ctx, template, tmp_path):
    path = fill(template, tmp_path / "f.xlsx", {
        ("柳河村", "2.3"): 10,            # 2 × "每少公开一次扣5分": reason from the rule
        ("柳河村", "1.1"): "2",           # typed as text: accepted
        ("云溪社区", "2.1"): 1.5,         # no rule multiple: reason from the reasons sheet
        ("云溪社区", "1.3"): 0,           # 0 = nothing deducted
    }, reasons=[("云溪社区", "2.1 内容完整性", "目录外事项漏公开，酌情扣分"),
                ("云溪社区", "2.1", "另有一项不全")])
    plan = score_import.read_plan(ctx, path)
    assert (plan.year, plan.month, plan.existing, plan.identical) == (YEAR, MONTH, 0, False)
    assert len(plan.sha256) == 64
    by_name = {plan.names[c.community_id]: c for c in plan.checks}
    assert by_name["柳河村"].deductions == (
        Deduction("1.1", "无防雨、防损设施或栏面破损、内容脱落的，每处扣2分", count=1, rule=1),
        Deduction("2.3", "财务收支每少公开一次扣5分", count=2, rule=0),
    )
    assert by_name["云溪社区"].deductions == (
        Deduction("2.1", "目录外事项漏公开，酌情扣分；另有一项不全", points=Decimal("1.5")),)
    assert by_name["柳河村"].checker == "刘欣"
    assert by_name["柳河村"].checked_on == date(2025, 7, 25)

    result = score_import.import_sheet(ctx, path)
    assert (result.saved, result.unchanged, result.removed) == (2, 0, 0)
    view = ops.quarter_view(ctx, YEAR, 3)
    assert {r.score.name: r.score.total for r in view.results} == {
        "柳河村": Decimal("88.0"), "云溪社区": Decimal("98.5")}
    stored = ops.month_sheet(ctx, YEAR, MONTH).checks
    assert stored == {c.community_id: c for c in plan.checks}
    last = audit_store.last_entry(ctx.db)
    assert last.action == "import_scores" and plan.sha256 in last.payload
    source = ctx.db.execute("SELECT DISTINCT source FROM spot_check").fetchall()
    assert source == [(f"import:{plan.sha256}",)]


def test_reimporting_the_same_file_changes_nothing(ctx, template, tmp_path):
    path = fill(template, tmp_path / "f.xlsx", {("柳河村", "2.3"): 5})
    score_import.import_sheet(ctx, path)
    before = counts(ctx)
    ids = ctx.db.execute("SELECT id FROM spot_check ORDER BY id").fetchall()
    plan = score_import.read_plan(ctx, path)
    assert plan.identical and plan.existing == 2
    again = score_import.import_sheet(ctx, path)  # no --replace needed: nothing would change
    assert (again.saved, again.unchanged, again.removed) == (0, 2, 0)
    assert counts(ctx) == before
    assert ctx.db.execute("SELECT id FROM spot_check ORDER BY id").fetchall() == ids


def test_a_month_already_checked_is_not_replaced_without_asking(ctx, template, tmp_path):
    ops.save_month(ctx, YEAR, MONTH, [SpotCheck(
        next(iter(ops.month_sheet(ctx, YEAR, MONTH).communities))[0], YEAR, MONTH,
        deductions=(Deduction("1.2", "未公布监督电话", count=1, rule=0),))])
    path = fill(template, tmp_path / "f.xlsx", {("云溪社区", "4.1"): 1},
                checked={"柳河村": "否"})
    before = counts(ctx)
    with pytest.raises(score_import.MonthAlreadyChecked) as err:
        score_import.import_sheet(ctx, path)
    assert (err.value.year, err.value.month, err.value.count) == (YEAR, MONTH, 1)
    assert "2025年7月已有1个社区（村）的抽查记录" in err.value.message
    assert "--replace" in err.value.message
    assert counts(ctx) == before
    result = score_import.import_sheet(ctx, path, replace=True)
    assert (result.saved, result.removed) == (1, 1)  # 柳河村 marked 否 loses its check
    stored = ops.month_sheet(ctx, YEAR, MONTH).checks
    assert [c.deductions[0].indicator_code for c in stored.values()] == ["4.1"]


def test_import_needs_the_assessment_permission(ctx, users, template, tmp_path):
    path = fill(template, tmp_path / "f.xlsx")
    with pytest.raises(PermissionDenied):
        score_import.import_sheet(as_user(ctx, users[Role.UNIT_HEAD]), path)


def _problems(ctx, path) -> list[str]:
    before = counts(ctx)
    with pytest.raises(ValidationErrors) as err:
        score_import.read_plan(ctx, path)
    with pytest.raises(ValidationErrors):
        score_import.import_sheet(ctx, path)
    assert counts(ctx) == before  # nothing written, not even an audit entry
    return err.value.problems


def test_every_problem_is_reported_with_sheet_row_and_column(ctx, template, tmp_path):
    path = fill(template, tmp_path / "bad.xlsx", {
        ("柳河村", "2.3"): 20,          # above 15
        ("柳河村", "1.1"): "两分",      # text
        ("柳河村", "1.2"): -1,          # negative
        ("云溪社区", "2.2"): 1.25,      # two decimals
        ("云溪社区", "2.1"): 1.5,       # no rule multiple, no reason
    }, reasons=[("云溪社区", "3.2 公示期满及时撤栏", "没有扣分的原因"),
                ("不存在村", "2.1", "x")],
        checked_on="七月底")
    problems = _problems(ctx, path)
    text = "\n".join(problems)
    assert "工作表“记分表”第9行第I列：指标2.3“财务收支公开”扣20分，超过该指标分值15分" in text
    assert "工作表“记分表”第9行第D列：“两分”不是数字" in text
    assert "工作表“记分表”第9行第E列：扣分不能是负数" in text
    assert "工作表“记分表”第10行第H列：扣分最多保留一位小数（现为1.25）" in text
    assert "工作表“记分表”第10行第G列：云溪社区指标2.1“内容完整性”扣1.5分，不是任何一条扣分规则" \
        "的整数倍" in text
    assert "工作表“扣分原因”第4行第C列：记分表中云溪社区的指标3.2没有扣分" in text
    assert "工作表“扣分原因”第5行第A列：社区（村）“不存在村”不在记分表中" in text
    assert "工作表“记分表”第4行第C列：检查日期“七月底”不是日期" in text
    assert len(problems) == 8


def test_unknown_and_duplicate_communities(ctx, template, tmp_path):
    path = fill(template, tmp_path / "bad.xlsx", cells={"B9": "不存在村", "B11": "云溪社区",
                                                        "C11": "是", "D11": 2})
    # B9 is a protected cell in WPS, but LibreOffice or an unprotected copy can change it.
    problems = _problems(ctx, path)
    assert "工作表“记分表”第9行第B列：社区（村）“不存在村”不存在" in problems[0]
    assert any(p.startswith("工作表“记分表”第11行第B列：社区（村）“云溪社区”重复（第10行已有）")
               for p in problems)


def test_an_indicator_column_not_in_the_scheme(ctx, template, tmp_path):
    wb = load_workbook(template)
    meta = wb[ss.META_SHEET]
    for row in meta.iter_rows():
        if row[0].value == "indicator" and row[2].value == "2.4":
            row[2].value = "9.9"
            column = row[1].value
    wb[ss.GRID_SHEET].cell(row=9, column=column, value=3)
    wb.save(tmp_path / "old.xlsx")
    problems = _problems(ctx, tmp_path / "old.xlsx")
    letter = ss.column_letter(column)
    assert problems == [f"工作表“记分表”第8行第{letter}列：指标“9.9”不在《2025年社区政务公开考核细则》"
                        "第1版中，这一列的扣分无法导入（考核细则已改动，请重新下载记分表模板后填写）"]


def test_month_missing_invalid_or_not_yet_come(ctx, template, tmp_path):
    for value, expected in ((None, "检查月份为空"), ("七月", "检查月份“七月”不正确"),
                            ("2026-01", "检查月份2026年1月还没有到")):
        wb = load_workbook(template)
        wb[ss.GRID_SHEET]["C2"] = value
        wb.save(tmp_path / "m.xlsx")
        problems = _problems(ctx, tmp_path / "m.xlsx")
        assert problems[0].startswith("工作表“记分表”第2行第C列：" + expected)


def test_marked_not_checked_with_deductions_and_nothing_checked(ctx, template, tmp_path):
    path = fill(template, tmp_path / "b.xlsx", {("柳河村", "2.3"): 5}, checked={"柳河村": "否",
                                                                             "云溪社区": "也许"})
    text = "\n".join(_problems(ctx, path))
    assert "第9行第I列：柳河村标为本月未抽查（“否”），却填写了扣分" in text
    assert "第10行第C列：是否抽查只能填“是”或“否”" in text
    none = fill(template, tmp_path / "n.xlsx", checked={"柳河村": "否", "云溪社区": "否"})
    assert "没有本月抽查的社区（村）" in _problems(ctx, none)[0]


@pytest.mark.parametrize("content, expected", [
    (b"", "文件是空的"),
    (b"PK\x03\x04 definitely not a workbook", "不是有效的 .xlsx 文件"),
    ("社区,扣分\n柳河村,5\n".encode("gbk"), "不是有效的 .xlsx 文件"),
])
def test_broken_files_are_refused_and_write_nothing(ctx, users, org, tmp_path, content, expected):
    path = tmp_path / "记分表.xlsx"
    path.write_bytes(content)
    before = counts(ctx)
    with pytest.raises(UserError, match=expected):
        score_import.import_sheet(ctx, path)
    assert counts(ctx) == before


def test_a_huge_sheet_is_refused_and_writes_nothing(ctx, template, tmp_path):
    wb = load_workbook(template)
    ws = wb[ss.GRID_SHEET]
    for r in range(ss.FIRST_DATA_ROW + 2, ss.MAX_ROWS + 20):
        ws.cell(row=r, column=2, value="柳河村")
    wb.save(tmp_path / "huge.xlsx")
    before = counts(ctx)
    with pytest.raises(UserError, match="上限"):
        score_import.import_sheet(ctx, tmp_path / "huge.xlsx")
    assert counts(ctx) == before
