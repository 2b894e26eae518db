"""First-run setup (issue 7, item 6): apply a plan to an empty database in one transaction; write
the setup sheet and read it back through the xlsx pre-flight (I1–I4, I7)."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pytest
from conftest import PASSWORD
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from govdesk.core.errors import UserError, ValidationErrors
from govdesk.core.org import Role, Township
from govdesk.core.setup_plan import (
    SUGGESTED_UNITS,
    PlanAccount,
    PlanBoard,
    PlanCommunity,
    PlanUnit,
    SetupPlan,
)
from govdesk.operations import auth, setup
from govdesk.operations.audit import verify_audit
from govdesk.operations.context import Context
from govdesk.store import audit_store, org_store, score_store, user_store
from govdesk.store.database import connect

ADMIN_PASSWORD = "云溪镇党政办-2025 春"


def plan(**changes) -> SetupPlan:
    base = dict(
        township=Township("青山县云溪镇人民政府", "云溪镇", "91350100M000100Y43",
                          "青山县云溪镇府前街18号", "0539-7261035"),
        units=(PlanUnit("党政办"), PlanUnit("民政办"), PlanUnit("应急办")),
        communities=(PlanCommunity("柳河村", "村"), PlanCommunity("云溪社区", "社区")),
        boards=(PlanBoard("CW-01", "柳河村村务公开栏", "村务公开栏", "村委会门口", "柳河村"),
                PlanBoard("GB-01", "便民服务大厅政务公开栏", "政务公开栏", "大厅", "党政办",
                          paper="A3")),
        admin=PlanAccount("Admin", "孙立伟", "管理员", "党政办"),
        accounts=(PlanAccount("liuxin", "刘欣", "经办人", "党政办"),
                  PlanAccount("zhouweimin", "周卫民", "主要领导")),
    )
    base.update(changes)
    return SetupPlan(**base)


def reopen(ctx: Context) -> Context:
    from govdesk.store.database import path_of

    return Context(connect(path_of(ctx.db)), clock=ctx.clock)


def test_apply_sets_up_the_whole_township(ctx):
    result = setup.apply_setup(ctx, plan(), ADMIN_PASSWORD)
    assert ctx.user is None  # the office signs in afterwards, as any day
    fresh = reopen(ctx)
    t = org_store.get_township(fresh.db)
    assert (t.full_name, t.short_name, t.credit_code) == (
        "青山县云溪镇人民政府", "云溪镇", "91350100M000100Y43")
    # The plan's units, in its order; the migration's others are gone.
    assert [u.name for u in org_store.list_units(fresh.db)] == ["党政办", "民政办", "应急办"]
    assert {(c.name, c.kind.value) for c in org_store.list_communities(fresh.db)} == {
        ("柳河村", "村"), ("云溪社区", "社区")}
    boards = {b.code: b for b in org_store.list_boards(fresh.db)}
    assert boards["CW-01"].owner_name == "柳河村" and boards["CW-01"].community_id
    assert boards["GB-01"].owner_name == "党政办" and boards["GB-01"].paper == "A3"
    # The administrator signs in with the typed password; the login is normalised (S8).
    admin = auth.sign_in(fresh, "ADMIN", ADMIN_PASSWORD)
    assert admin.role is Role.ADMIN and admin.name == "孙立伟" and admin.unit_id is not None
    # Further accounts got one-time passwords that work, and are handed back for printing.
    issued = {a.login: a for a in result.accounts}
    assert issued.keys() == {"liuxin", "zhouweimin"}
    assert issued["zhouweimin"].role == "主要领导"
    assert auth.sign_in(fresh, "liuxin", issued["liuxin"].password).role is Role.CLERK
    assert issued["liuxin"].password != issued["zhouweimin"].password
    # The default 考核细则 for the current year, and the 公开目录 of the migration, kept.
    assert score_store.current_scheme(fresh.db, result.scheme_year) is not None
    assert result.scheme_year == ctx.today().year
    assert len(org_store.list_categories(fresh.db)) == 12
    assert len(org_store.list_channels(fresh.db)) == 8
    # Audited, by the new administrator, and the chain verifies.
    actions = [(e.action, e.object_type) for e in audit_store.entries_for(fresh.db, "township", 1)]
    assert ("setup", "township") in actions
    fresh.user = admin
    assert verify_audit(fresh).ok


def test_passwords_never_reach_the_database_or_the_log(ctx, db_path):
    result = setup.apply_setup(ctx, plan(), ADMIN_PASSWORD)
    ctx.db.close()
    raw = db_path.read_bytes()
    for secret in (ADMIN_PASSWORD, *(a.password for a in result.accounts)):
        assert secret.encode() not in raw


def test_refused_once_an_account_exists(ctx):
    auth.create_user(ctx, "admin", "管理员", Role.ADMIN, PASSWORD)
    with pytest.raises(UserError, match="已经设置过"):
        setup.apply_setup(ctx, plan(), ADMIN_PASSWORD)
    assert org_store.list_communities(ctx.db) == []


def test_refused_twice(ctx):
    setup.apply_setup(ctx, plan(), ADMIN_PASSWORD)
    with pytest.raises(UserError, match="已经设置过"):
        setup.apply_setup(ctx, plan(), ADMIN_PASSWORD)


def test_an_invalid_plan_or_password_changes_nothing(ctx):
    before = audit_store.count(ctx.db)
    bad = plan(boards=(PlanBoard("X", "栏", "宣传栏", "", "无此村"),))
    with pytest.raises(ValidationErrors) as info:
        setup.apply_setup(ctx, bad, ADMIN_PASSWORD)
    assert any("公开栏" in p and "第 1 行" in p for p in info.value.problems)
    with pytest.raises(ValidationErrors, match="管理员密码"):
        setup.apply_setup(ctx, plan(), "12345678")
    assert user_store.count_users(ctx.db) == 0
    assert audit_store.count(ctx.db) == before


def test_a_failure_half_way_leaves_the_database_untouched(ctx, monkeypatch):
    units_before = [u.name for u in org_store.list_units(ctx.db)]

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    # The last step fails after everything else has been written inside the transaction.
    monkeypatch.setattr(setup.scoring, "ensure_scheme", broken)
    with pytest.raises(RuntimeError):
        setup.apply_setup(ctx, plan(), ADMIN_PASSWORD)
    fresh = reopen(ctx)
    assert user_store.count_users(fresh.db) == 0
    assert org_store.get_township(fresh.db).full_name == ""
    assert [u.name for u in org_store.list_units(fresh.db)] == units_before
    assert org_store.list_communities(fresh.db) == [] and org_store.list_boards(fresh.db) == []
    assert audit_store.count(fresh.db) == 0
    assert ctx.user is None


# ---------------------------------------------------------------------------- the setup sheet

def test_template_has_the_sheets_drop_downs_and_protected_headers(tmp_path):
    path = setup.write_setup_template(tmp_path / "设置.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[:6] == ["填写说明", "乡镇信息", "科室站所", "社区村", "公开栏", "用户"]
    assert wb["govdesk_meta"].sheet_state == "veryHidden"
    for name in wb.sheetnames[1:6]:
        ws = wb[name]
        assert ws.protection.sheet
        assert ws["A1"].protection.locked
        assert not ws["B2" if name == "乡镇信息" else "A2"].protection.locked
    assert [ws.value for ws in wb["科室站所"]["A"][1:len(SUGGESTED_UNITS) + 1]] == \
        list(SUGGESTED_UNITS)
    lists = {str(dv.sqref)[0]: dv.formula1
             for dv in wb["公开栏"].data_validations.dataValidation}
    assert "村务公开栏" in lists["C"] and "A3" in lists["F"]
    roles = wb["用户"].data_validations.dataValidation
    assert any("主要领导" in (dv.formula1 or "") for dv in roles)
    assert any("科室站所" in (dv.formula1 or "") for dv in roles)
    assert wb["乡镇信息"]["B4"].number_format == "@"  # an 18-digit code stays text


def test_a_filled_sheet_reads_back_to_the_same_plan_and_imports(ctx, tmp_path):
    path = setup.write_setup_template(tmp_path / "设置.xlsx", plan())
    read = setup.read_setup_file(path)
    assert read.township == plan().township
    assert [u.name for u in read.units] == ["党政办", "民政办", "应急办"]
    assert [(b.code, b.owner, b.paper) for b in read.boards] == [
        ("CW-01", "柳河村", "A4"), ("GB-01", "党政办", "A3")]
    assert (read.admin.login, read.admin.unit) == ("Admin", "党政办")
    assert [a.login for a in read.accounts] == ["liuxin", "zhouweimin"]
    result = setup.import_setup_file(ctx, path, ADMIN_PASSWORD)
    assert len(result.accounts) == 2
    assert auth.sign_in(reopen(ctx), "admin", ADMIN_PASSWORD)


def test_an_empty_template_reports_what_is_missing_by_cell(tmp_path):
    path = setup.write_setup_template(tmp_path / "t.xlsx")
    with pytest.raises(ValidationErrors) as info:
        setup.read_setup_file(path)
    assert info.value.problems == [
        "乡镇信息!B2（全称）：不能为空，请填写本乡镇人民政府的全称（如：××县××镇人民政府）",
        "用户!B2（姓名）：不能为空",
    ]


def _edit(path: Path, sheet: str, edits: dict[str, str | None]) -> None:
    wb = load_workbook(path)
    ws = wb[sheet]
    ws.protection.sheet = False
    for ref, value in edits.items():
        ws[ref] = value
    wb.save(path)


def test_content_mistakes_are_reported_with_sheet_and_cell_and_nothing_is_imported(ctx,
                                                                                   tmp_path):
    path = setup.write_setup_template(tmp_path / "t.xlsx", plan())
    _edit(path, "社区村", {"B3": "屯"})
    _edit(path, "公开栏", {"E2": "杏林村", "C3": "宣传栏"})
    _edit(path, "用户", {"A4": "ＬＩＵＸＩＮ"})
    _edit(path, "乡镇信息", {"B4": "91350100M000100Y44"})
    with pytest.raises(ValidationErrors) as info:
        setup.import_setup_file(ctx, path, ADMIN_PASSWORD)
    text = "\n".join(info.value.problems)
    for cell in ("乡镇信息!B4", "社区村!B3", "公开栏!E2", "公开栏!C3", "用户!A4"):
        assert cell in text, cell
    assert "未导入任何内容" in info.value.message
    assert user_store.count_users(ctx.db) == 0


def test_headers_are_found_by_name_and_synonym_in_any_order(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "乡镇信息"
    ws.append(["乡镇全称", "青山县云溪镇人民政府"])
    ws.append(["电话", "0539-7261035"])
    wb.create_sheet("科室站所").append(["部门"])
    wb["科室站所"].append(["党政办"])
    cs = wb.create_sheet("社区村")
    cs.append(["本表由党政办填写"])  # a title row above the header
    cs.append(["类型（社区/村）", "社区/村"])
    cs.append(["村", "柳河村"])
    bs = wb.create_sheet("公开栏")
    bs.append(["所属单位", "公开栏名称", "编号", "类型", "位置"])
    bs.append(["柳河村", "柳河村村务公开栏", "CW-01", "村务公开栏", "门口"])
    us = wb.create_sheet("用户")
    us.append(["姓名", "账号", "角色"])
    us.append(["孙立伟", "admin", "管理员"])
    wb.save(tmp_path / "hand.xlsx")
    read = setup.read_setup_file(tmp_path / "hand.xlsx")
    assert read.township.phone == "0539-7261035"
    assert read.communities == (PlanCommunity("柳河村", "村", row=3),)
    assert read.boards[0].code == "CW-01" and read.boards[0].owner == "柳河村"
    assert read.admin.login == "admin"


def test_full_width_text_is_normalised(tmp_path):
    path = setup.write_setup_template(tmp_path / "t.xlsx", plan())
    _edit(path, "公开栏", {"A2": " ＣＷ－０１ ", "F2": "ａ４"})
    read = setup.read_setup_file(path)
    assert (read.boards[0].code, read.boards[0].paper) == ("CW-01", "A4")


def test_a_sheet_without_an_administrator_says_so(tmp_path):
    path = setup.write_setup_template(tmp_path / "t.xlsx", plan())
    _edit(path, "用户", {"C2": "经办人"})
    with pytest.raises(ValidationErrors, match="至少要有一个角色为“管理员”"):
        setup.read_setup_file(path)


def test_hidden_rows_are_warned_about(tmp_path):
    path = setup.write_setup_template(tmp_path / "t.xlsx", plan())
    wb = load_workbook(path)
    wb["社区村"].row_dimensions[3].hidden = True
    wb.save(path)
    loaded = setup.load_setup_file(path)
    assert any("社区村" in w and "隐藏的行" in w for w in loaded.warnings)


hostile = st.sampled_from(["=HYPERLINK(\"http://x\",\"点我\")", "+cmd|' /C calc'!A0", "@SUM(1)",
                           "\t制表符", "-1+2", "=1+2", "柳河村"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(hostile, min_size=1, max_size=4, unique=True), hostile)
def test_hostile_names_round_trip_as_text_never_as_formulas(tmp_path, names, location):
    # I7: user strings are written as text; reopening finds no formula cell.
    p = plan(units=tuple(PlanUnit(n) for n in names),
             communities=(PlanCommunity("柳河村", "村"),),
             boards=(PlanBoard("CW-01", "栏", "村务公开栏", location, "柳河村"),),
             admin=PlanAccount("admin", "孙立伟", "管理员"), accounts=())
    path = setup.write_setup_template(tmp_path / "h.xlsx", p)
    wb = load_workbook(path)
    assert not [c.coordinate for ws in wb for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    read = setup.load_setup_file(path).plan
    assert [u.name for u in read.units] == [n.strip() for n in names]
    assert read.boards[0].location == location.strip()


# ---------------------------------------------------------------------------- pre-flight (I1–I3)

@pytest.mark.parametrize("name, content, message", [
    ("empty.xlsx", b"", "空的"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel"),
    ("wps.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "WPS"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "密码"),
    ("renamed.xlsx", "名称,类型\n柳河村,村\n".encode("gb18030"), "CSV"),
    ("junk.xlsx", bytes(range(256)) * 4, "不是 .xlsx"),
    ("truncated.xlsx", b"PK\x03\x04" + b"\0" * 100, "损坏"),
])
def test_malformed_files_get_a_clean_chinese_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        setup.read_setup_file(path)


def test_missing_file(tmp_path):
    with pytest.raises(UserError, match="找不到文件"):
        setup.read_setup_file(tmp_path / "nope.xlsx")


def test_a_zip_bomb_is_refused_before_anything_is_inflated(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    started = time.monotonic()
    with pytest.raises(UserError, match="MB|压缩炸弹"):
        setup.read_setup_file(path)
    assert time.monotonic() - started < 2


def test_a_highly_compressed_entry_is_refused(tmp_path):
    path = tmp_path / "ratio.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", b" " * (2 * 1024 * 1024))
    with pytest.raises(UserError, match="压缩炸弹"):
        setup.read_setup_file(path)


def test_too_many_entries_are_refused(tmp_path):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for i in range(10_001):
            z.writestr(f"x/{i}", b"")
    with pytest.raises(UserError, match="10000"):
        setup.read_setup_file(path)


def _rewrite(path: Path, member: str, change) -> None:
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == member:
                data = change(data.decode()).encode()
            z.writestr(info.filename, data)


UNITS_XML = "xl/worksheets/sheet3.xml"  # 填写说明, 乡镇信息, then 科室站所


def test_defusedxml_is_active_and_a_billion_laughs_sheet_is_refused(tmp_path):
    from openpyxl import xml

    assert xml.DEFUSEDXML  # I2
    path = setup.write_setup_template(tmp_path / "t.xlsx", plan())
    lol = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{"&lol;" * 10 if i == 1 else f"&lol{i - 1};" * 10}">'
                     for i in range(1, 10)) + "]>")
    _rewrite(path, UNITS_XML, lambda x: lol + x)
    started = time.monotonic()
    with pytest.raises(UserError, match="不安全"):
        setup.read_setup_file(path)
    assert time.monotonic() - started < 2


def _cell_xml(x: str, ref: str, inner: str, kind: str) -> str:
    return re.sub(rf'<c r="{ref}"([^>]*?) t="\w+"([^>]*)>.*?</c>',
                  rf'<c r="{ref}"\1 t="{kind}"\2>{inner}</c>', x, count=1)


def test_a_formula_without_a_computed_value_is_refused_with_its_cell(tmp_path):
    path = setup.write_setup_template(tmp_path / "t.xlsx", plan())
    _rewrite(path, UNITS_XML, lambda x: _cell_xml(x, "A3", "<f>CONCAT(\"民\",\"政办\")</f>",
                                                  "str"))
    with pytest.raises(UserError, match="科室站所!A3"):
        setup.read_setup_file(path)


def test_a_formula_with_a_computed_value_counts_by_its_value(tmp_path):
    path = setup.write_setup_template(tmp_path / "t.xlsx", plan())
    _rewrite(path, UNITS_XML, lambda x: _cell_xml(
        x, "A3", "<f>CONCAT(\"民\",\"政办\")</f><v>民政办</v>", "str"))
    assert [u.name for u in setup.read_setup_file(path).units] == ["党政办", "民政办", "应急办"]


def test_missing_sheets_and_headers_are_named(tmp_path):
    path = setup.write_setup_template(tmp_path / "t.xlsx", plan())
    wb = load_workbook(path)
    del wb["公开栏"]
    wb.save(path)
    with pytest.raises(UserError, match="缺少工作表“公开栏”"):
        setup.read_setup_file(path)
    path = setup.write_setup_template(tmp_path / "t2.xlsx", plan())
    _edit(path, "社区村", {"B1": None})
    with pytest.raises(UserError, match="缺少表头“类型”"):
        setup.read_setup_file(path)
