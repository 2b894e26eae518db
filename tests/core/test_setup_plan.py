"""The rules of a first-run setup plan (issue 7, item 6): every problem reported at once with its
sheet, row and field; the GB 32100 check character; S8 unique logins."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from govdesk.core.org import Township
from govdesk.core.setup_plan import (
    CREDIT_CODE_ALPHABET,
    SHEET_BOARDS,
    SHEET_COMMUNITIES,
    SHEET_TOWNSHIP,
    SHEET_UNITS,
    SHEET_USERS,
    PlanAccount,
    PlanBoard,
    PlanCommunity,
    PlanUnit,
    Problem,
    SetupPlan,
    credit_code_check_char,
    credit_code_problem,
    validate_plan,
)

# Real codes as printed on registration certificates (public company records).
REAL_CODES = ("91350100M000100Y43", "91110000600037341L", "914403001922038216",
              "91310000132149237G")


def good_plan(**changes) -> SetupPlan:
    base = dict(
        township=Township("青山县云溪镇人民政府", "云溪镇", "91350100M000100Y43",
                          "青山县云溪镇府前街18号", "0539-7261035"),
        units=(PlanUnit("党政办"), PlanUnit("民政办")),
        communities=(PlanCommunity("柳河村", "村"), PlanCommunity("云溪社区", "社区")),
        boards=(PlanBoard("CW-01", "柳河村村务公开栏", "村务公开栏", "村委会门口", "柳河村"),
                PlanBoard("GB-01", "便民服务大厅政务公开栏", "政务公开栏", "大厅", "党政办")),
        admin=PlanAccount("admin", "孙立伟", "管理员", "党政办"),
        accounts=(PlanAccount("liuxin", "刘欣", "经办人", "党政办"),
                  PlanAccount("zhou", "周卫民", "主要领导")),
    )
    base.update(changes)
    return SetupPlan(**base)


def where(problems: list[Problem]) -> set[tuple[str, int | None, str]]:
    return {(p.sheet, p.row, p.field) for p in problems}


def test_a_good_plan_has_no_problem():
    assert validate_plan(good_plan()) == []


def test_real_credit_codes_pass_and_their_check_char_is_recomputed():
    for code in REAL_CODES:
        assert credit_code_problem(code) is None
        assert credit_code_check_char(code[:17]) == code[17]


def test_credit_code_problems_say_what_is_wrong():
    assert "18 位" in credit_code_problem("9135010")
    assert "I、O、S、V、Z" in credit_code_problem("91350100M000100YO3")
    assert "校验位" in credit_code_problem("91350100M000100Y44")


@given(st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17),
       st.integers(0, 17), st.sampled_from(CREDIT_CODE_ALPHABET))
def test_any_single_changed_character_of_a_credit_code_is_caught(base, pos, ch):
    # The weights 3^i mod 31 are all non-zero modulo the prime 31, so GB 32100's check
    # character catches every single substitution.
    code = base + credit_code_check_char(base)
    assert credit_code_problem(code) is None
    changed = code[:pos] + ch + code[pos + 1:]
    if changed != code:
        assert credit_code_problem(changed) is not None


def test_every_problem_is_reported_at_once_with_sheet_row_and_field():
    plan = good_plan(
        township=Township("", credit_code="123", phone="请拨打电话"),
        units=(PlanUnit("党政办"), PlanUnit("党政办 ")),
        communities=(PlanCommunity("柳河村", "屯"), PlanCommunity("")),
        boards=(PlanBoard("CW-01", "一号栏", "宣传栏", "", "不存在的村"),
                PlanBoard("cw-01", "", "村务公开栏", "", "柳河村", paper="B5")),
        admin=PlanAccount("", "", "经办人"),
        accounts=(PlanAccount("ADMIN", "某人", "局长", "财政所"),),
    )
    found = where(validate_plan(plan))
    assert found >= {
        (SHEET_TOWNSHIP, None, "全称"), (SHEET_TOWNSHIP, None, "统一社会信用代码"),
        (SHEET_TOWNSHIP, None, "监督电话"),
        (SHEET_UNITS, 2, "名称"),
        (SHEET_COMMUNITIES, 1, "类型"), (SHEET_COMMUNITIES, 2, "名称"),
        (SHEET_BOARDS, 1, "类型"), (SHEET_BOARDS, 1, "所属"), (SHEET_BOARDS, 2, "名称"),
        (SHEET_BOARDS, 2, "编号"), (SHEET_BOARDS, 2, "打印纸张"),
        (SHEET_USERS, None, "登录名"), (SHEET_USERS, None, "姓名"), (SHEET_USERS, None, "角色"),
        (SHEET_USERS, 2, "角色"), (SHEET_USERS, 2, "所在科室站所"),
    }


def test_messages_name_what_is_allowed():
    plan = good_plan(boards=(PlanBoard("X1", "栏", "宣传栏", "", "党政办"),),
                     accounts=(PlanAccount("a1", "某人", "局长"),))
    texts = [p.text for p in validate_plan(plan)]
    assert any("村务公开栏" in t and "电子屏" in t and "第 1 行" in t for t in texts)
    assert any("经办人" in t and "主要领导" in t for t in texts)


def test_an_owner_name_shared_by_a_unit_and_a_community_is_ambiguous():
    plan = good_plan(units=(PlanUnit("党政办"), PlanUnit("柳河村")))
    assert (SHEET_BOARDS, 1, "所属") in where(validate_plan(plan))


def test_the_first_account_must_be_an_administrator():
    plan = good_plan(admin=PlanAccount("admin", "孙立伟", "经办人"))
    assert (SHEET_USERS, None, "角色") in where(validate_plan(plan))


def test_a_plan_needs_at_least_one_unit():
    plan = good_plan(units=(), boards=(), admin=PlanAccount("admin", "孙立伟"),
                     accounts=())
    assert (SHEET_UNITS, None, "名称") in where(validate_plan(plan))


_login_chars = st.sampled_from("abcxyzABCXYZ019_.")


@given(st.text(alphabet=_login_chars, min_size=1, max_size=12), st.booleans(), st.booleans())
def test_logins_equal_after_nfkc_and_casefold_clash(login, upper, wide):
    # S8: "Admin", "ＡＤＭＩＮ" and " admin " are one identity.
    other = login.upper() if upper else login.lower()
    if wide:
        other = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in other)
    other = f" {other} "
    assert unicodedata.normalize("NFKC", other).strip().casefold() == login.casefold()
    plan = good_plan(admin=PlanAccount(login, "孙立伟", "管理员"),
                     accounts=(PlanAccount(other, "刘欣", "经办人"),))
    clashes = [p for p in validate_plan(plan) if p.field == "登录名"]
    assert [(p.sheet, p.row) for p in clashes] == [(SHEET_USERS, 2)]


@given(st.lists(st.sampled_from(["党政办", "民政办", "财政所", "党政办 ", "ＡＢ站", "AB站"]),
                min_size=1, max_size=8))
def test_duplicate_unit_names_are_reported_on_every_repeat_and_only_there(names):
    plan = good_plan(units=tuple(PlanUnit(n) for n in names), boards=(),
                     admin=PlanAccount("admin", "孙立伟"), accounts=())
    reported = sorted(p.row for p in validate_plan(plan) if p.sheet == SHEET_UNITS)
    keys = [unicodedata.normalize("NFKC", n).strip() for n in names]
    expected = [i for i, k in enumerate(keys, 1) if k in keys[: i - 1]]
    assert reported == expected


def test_rows_from_a_file_are_kept_in_problems():
    plan = good_plan(communities=(PlanCommunity("柳河村", "屯", row=7),))
    assert (SHEET_COMMUNITIES, 7, "类型") in where(validate_plan(plan))
    p = Problem(SHEET_COMMUNITIES, 7, "类型", "只能是“社区”或“村”", cell="B7")
    assert p.text == "社区村!B7（类型）：只能是“社区”或“村”"
