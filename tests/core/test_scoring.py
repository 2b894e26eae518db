"""Scoring core of the community assessment (月抽查、季考核): rules-and-formats.md §5, issue 5."""

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdesk.core.errors import UserError, ValidationErrors
from govdesk.core.scoring import (
    DEFAULT_AUTO_TARGETS,
    Adjustment,
    AdjustmentItem,
    AdjustmentKind,
    AutoFinding,
    CheckKind,
    Deduction,
    DeductionRule,
    Grade,
    GradeThresholds,
    Indicator,
    QuarterRule,
    Scheme,
    SpotCheck,
    VetoFinding,
    VetoItem,
    applied_deductions,
    assess_quarter,
    check_score,
    competition_ranks,
    default_scheme,
    explain,
    grade_for,
    leaf_scores,
    quarter_months,
    quarter_of,
    quarter_score,
    require_valid_scheme,
    round_half_up,
    scheme_from_json,
    scheme_to_json,
    validate_scheme,
    validate_spot_check,
    year_end_points,
    year_score,
)

D = Decimal
SCHEME = default_scheme(2017)
MEAN = QuarterRule()
VETO_SCHEME = replace(SCHEME, vetoes=(VetoItem("V1", "发生泄露居民个人信息事件"),))


def by_rule(code, rule, count, reason="检查发现问题", **kw):
    return Deduction(code, reason, count=count, rule=rule, **kw)


def by_points(code, points, reason="检查发现问题"):
    return Deduction(code, reason, points=D(points))


# --------------------------------------------------------------------------- strategies

@st.composite
def deductions(draw, scheme=SCHEME):
    leaf = draw(st.sampled_from(scheme.leaves))
    if leaf.rules and draw(st.booleans()):
        return by_rule(leaf.code, draw(st.integers(0, len(leaf.rules) - 1)),
                       draw(st.integers(1, 8)))
    tenths = draw(st.integers(1, int(leaf.max_points * 10)))
    return by_points(leaf.code, D(tenths) / 10)


def checks(community_id=1, month=7, kind=CheckKind.MONTHLY):
    return st.lists(deductions(), max_size=12).map(
        lambda ds: SpotCheck(community_id, 2017, month, tuple(ds), kind=kind))


@st.composite
def quarters(draw):
    """One community's third quarter: 0–3 monthly checks, maybe a quarterly one, maybe awards."""
    months = draw(st.lists(st.sampled_from([7, 8, 9]), unique=True, max_size=3))
    found = [draw(checks(month=m)) for m in months]
    if draw(st.booleans()) or not found:
        found.append(draw(checks(month=9, kind=CheckKind.QUARTERLY)))
    awards = draw(st.lists(st.sampled_from(["B1", "P1"]), max_size=4))
    return found, [Adjustment(1, 2017, 3, code) for code in awards]


weights = st.integers(0, 10).map(lambda n: QuarterRule(D(n) / 10))


# --------------------------------------------------------------------------- the scheme

def test_default_scheme_validates_and_totals_100():
    assert validate_scheme(SCHEME) == []
    assert require_valid_scheme(SCHEME) is SCHEME
    assert SCHEME.total == 100
    assert sum(i.max_points for i in SCHEME.indicators) == 100
    assert [i.name for i in SCHEME.indicators] == [
        "公开栏建设", "公开内容", "公开时限", "档案台账", "群众满意度"]
    for top in SCHEME.indicators:
        assert sum(c.max_points for c in top.children) == top.max_points
    assert all(leaf.rules for leaf in SCHEME.leaves)
    finance = SCHEME.indicator("2.3")
    assert [r.text for r in finance.rules] == ["财务收支每少公开一次扣5分",
                                               "每发现一处不是逐笔逐项公开的，扣2分"]
    assert [(b.name, b.points) for b in SCHEME.bonuses] == [("通报表彰", 3)]
    assert [(p.name, p.points) for p in SCHEME.penalties] == [("通报批评", 3)]
    assert SCHEME.vetoes == ()
    assert SCHEME.path("2.3") == ("公开内容", "财务收支公开")
    assert SCHEME.name == "2017年社区政务公开考核细则"


def test_auto_findings_point_at_rules_of_the_default_scheme():
    for kind, (code, rule) in DEFAULT_AUTO_TARGETS.items():
        assert 0 <= rule < len(SCHEME.indicator(code).rules), kind
    assert {a.value for a in AutoFinding} == {"过了公开时限", "逾期未撤栏", "空白月"}


def test_scheme_round_trips_through_json():
    assert scheme_from_json(scheme_to_json(VETO_SCHEME)) == VETO_SCHEME
    assert scheme_to_json(SCHEME)["indicators"][1]["children"][1]["rules"][1] == {
        "text": "数据、文字有明显错误的，每处扣0.5分，最多扣2分",
        "points_per_finding": "0.5", "cap": "2"}


def test_points_refuse_floats():
    with pytest.raises(TypeError):
        Indicator("1", "公开栏建设", 20.0)
    with pytest.raises(TypeError):
        Deduction("1.1", "x", points=0.5)


def _top(code, name, points, *children):
    return Indicator(code, name, D(points), children=tuple(children))


def _one(code, name, points, *rules):
    return Indicator(code, name, D(points), rules=tuple(rules))


def _scheme(*tops, **kw):
    return Scheme(2017, "测试细则", tuple(tops), **kw)


GOOD = (_top("1", "公开栏建设", 40, _one("1.1", "公开栏设置", 40)),
        _top("2", "公开内容", 60, _one("2.1", "内容完整性", 60)))

BROKEN = {
    "children do not add up": (
        _scheme(_top("1", "公开栏建设", 40, _one("1.1", "公开栏设置", 30)), GOOD[1]),
        "其二级指标合计30分"),
    "total differs": (_scheme(*GOOD, total=D(90)), "与考核细则总分90分不符"),
    "top-level sum differs": (_scheme(GOOD[0]), "一级指标合计40分"),
    "duplicate codes": (
        _scheme(_top("1", "公开栏建设", 40, _one("1.1", "a", 20), _one("1.1", "b", 20)), GOOD[1]),
        "编号“1.1”重复"),
    "duplicate across bonus": (
        _scheme(*GOOD, bonuses=(AdjustmentItem("1", "通报表彰", D(3), AdjustmentKind.BONUS),)),
        "编号“1”重复"),
    "zero max": (
        _scheme(_top("1", "公开栏建设", 40, _one("1.1", "a", 40), _one("1.2", "b", 0)), GOOD[1]),
        "分值必须大于0"),
    "negative max": (
        _scheme(_top("1", "公开栏建设", 40, _one("1.1", "a", 45), _one("1.2", "b", -5)), GOOD[1]),
        "分值必须大于0"),
    "two decimals": (
        _scheme(_top("1", "公开栏建设", 40, _one("1.1", "a", "39.95"), _one("1.2", "b", "0.05")),
                GOOD[1]),
        "最多保留一位小数"),
    "cap above max": (
        _scheme(_top("1", "公开栏建设", 40, _one("1.1", "a", 40, DeductionRule("每次扣5分", D(5),
                                                                        D(50)))), GOOD[1]),
        "扣分上限50分超过指标分值40分"),
    "non-positive rule points": (
        _scheme(_top("1", "公开栏建设", 40, _one("1.1", "a", 40, DeductionRule("x", D(0)))),
                GOOD[1]),
        "每次扣分的分值必须大于0"),
    "child code not under parent": (
        _scheme(_top("1", "公开栏建设", 40, _one("2.1x", "a", 40)), GOOD[1]), "应以所属一级指标编号"),
    "three levels": (
        _scheme(_top("1", "公开栏建设", 40, _top("1.1", "a", 40, _one("1.1.1", "b", 40))),
                GOOD[1]),
        "超出两级"),
    "rules on a parent": (
        _scheme(replace(GOOD[0], rules=(DeductionRule("x", D(1)),)), GOOD[1]),
        "扣分规则应写在二级指标上"),
    "empty name": (_scheme(_top("1", " ", 40, _one("1.1", "a", 40)), GOOD[1]), "名称不能为空"),
    "blank code": (_scheme(_top("1", "公开栏建设", 40, _one("1. 1", "a", 40)), GOOD[1]), "不能为空或含空格"),
    "no indicators": (_scheme(), "至少要有一个一级指标"),
    "bonus with zero points": (
        _scheme(*GOOD, bonuses=(AdjustmentItem("B1", "通报表彰", D(0), AdjustmentKind.BONUS),)),
        "加分项B1“通报表彰”的分值必须大于0"),
    "penalty filed as bonus": (
        _scheme(*GOOD, bonuses=(AdjustmentItem("P1", "通报批评", D(3), AdjustmentKind.PENALTY),)),
        "放错了位置"),
    "negative bonus cap": (_scheme(*GOOD, bonus_cap=D(-1)), "加分上限"),
    "empty veto name": (_scheme(*GOOD, vetoes=(VetoItem("V1", ""),)), "否决项V1的名称不能为空"),
}


def test_a_good_small_scheme_validates():
    assert validate_scheme(_scheme(*GOOD)) == []


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_validate_scheme_catches_each_kind_of_broken_scheme(case):
    scheme, expected = BROKEN[case]
    problems = validate_scheme(scheme)
    assert any(expected in p for p in problems), problems
    with pytest.raises(ValidationErrors):
        require_valid_scheme(scheme)


# --------------------------------------------------------------------------- one check

def test_financial_rule_deducts_5_per_missing_month_and_2_per_unitemised_entry():
    # §5.2 A: "每少公开一次扣5分；每发现一处不是逐笔逐项公开的，扣2分" on a 15-point item here.
    check = SpotCheck(1, 2017, 7, (by_rule("2.3", 0, 1), by_rule("2.3", 1, 3)))
    assert leaf_scores(SCHEME, check)["2.3"] == D(15) - 5 - 6
    assert check_score(SCHEME, check) == D(89)


def test_half_points_add_exactly():
    check = SpotCheck(1, 2017, 7, tuple(by_rule("5.2", 0, 1) for _ in range(3)))
    assert check_score(SCHEME, check) == D("98.5")


def test_rule_cap_is_applied_before_the_indicator_floor():
    # 2.2 second rule: "每处扣0.5分，最多扣2分".
    check = SpotCheck(1, 2017, 7, (by_rule("2.2", 1, 6), by_rule("2.2", 1, 2), by_rule("2.2", 0, 1)))
    taken = [t for _, t in applied_deductions(SCHEME, check)]
    assert taken == [D(2), D(0), D(2)]
    assert leaf_scores(SCHEME, check)["2.2"] == D(1)


def test_deductions_stop_when_the_indicator_is_used_up():
    # 扣完为止: 3 missing months × 5 = 15 uses up 2.3; the itemisation finding then takes 0.
    check = SpotCheck(1, 2017, 7, (by_rule("2.3", 0, 4), by_rule("2.3", 1, 1)))
    assert [t for _, t in applied_deductions(SCHEME, check)] == [D(15), D(0)]
    assert leaf_scores(SCHEME, check)["2.3"] == 0


def test_validate_spot_check_reports_bad_entries():
    check = SpotCheck(1, 2017, 7, (
        by_points("9.9", 1), by_points("2", 1), by_rule("2.3", 5, 1), by_rule("2.3", 0, 0),
        by_points("1.2", 6), by_points("1.2", "0.05"), Deduction("1.2", "", points=D(1)),
        Deduction("1.3", "两者都填", count=1, rule=0, points=D(1)),
    ), vetoes=(VetoFinding("V9", "x"),))
    problems = validate_spot_check(SCHEME, check)
    for expected in ("指标“9.9”不在考核细则中", "有下级指标", "没有第6条扣分规则", "应为正整数",
                     "扣6分，超过该指标分值5分", "最多一位小数", "缺少扣分原因", "二选一",
                     "否决项“V9”不在考核细则中"):
        assert any(expected in p for p in problems), (expected, problems)
    assert validate_spot_check(SCHEME, SpotCheck(1, 2017, 7, (by_rule("2.3", 0, 1),))) == []
    assert validate_spot_check(SCHEME, SpotCheck(1, 2018, 7)) == [
        "2018年的检查不能使用2017年的考核细则"]


def test_deduction_on_a_parent_is_refused():
    with pytest.raises(UserError, match="二级指标上扣分"):
        check_score(SCHEME, SpotCheck(1, 2017, 7, (by_points("2", 1),)))


@given(checks())
def test_a_leaf_score_stays_between_0_and_its_max(check):
    scores = leaf_scores(SCHEME, check)
    for leaf in SCHEME.leaves:
        assert 0 <= scores[leaf.code] <= leaf.max_points
    assert 0 <= check_score(SCHEME, check) <= SCHEME.total
    lost = sum(t for _, t in applied_deductions(SCHEME, check))
    assert SCHEME.total - check_score(SCHEME, check) == lost


@given(checks(), deductions())
def test_adding_a_deduction_never_raises_a_score(check, extra):
    more = replace(check, deductions=(*check.deductions, extra))
    before, after = leaf_scores(SCHEME, check), leaf_scores(SCHEME, more)
    assert all(after[code] <= before[code] for code in before)
    assert check_score(SCHEME, more) <= check_score(SCHEME, check)
    # … and wherever it is inserted, the quarter's score does not rise either.
    first = replace(check, deductions=(extra, *check.deductions))
    q_before = quarter_score(SCHEME, MEAN, 2017, 3, 1, "东街社区", [check])
    q_after = quarter_score(SCHEME, MEAN, 2017, 3, 1, "东街社区", [first])
    assert q_after.exact <= q_before.exact


# --------------------------------------------------------------------------- the quarter

@given(quarters(), weights)
def test_quarter_and_indicator_scores_stay_in_bounds(quarter, rule):
    found, awards = quarter
    score = quarter_score(SCHEME, rule, 2017, 3, 1, "东街社区", found, awards)
    assert 0 <= score.base <= SCHEME.total
    assert 0 <= score.exact <= SCHEME.total + SCHEME.effective_bonus_cap
    assert score.total == round_half_up(score.exact)
    for top in SCHEME.indicators:
        assert 0 <= score.indicator_scores[top.code] <= top.max_points
        for child in top.children:
            assert 0 <= score.indicator_scores[child.code] <= child.max_points
    assert sum(score.indicator_scores[t.code] for t in SCHEME.indicators) == score.base


@given(checks(), st.integers(1, 3))
def test_the_mean_of_identical_months_equals_the_month(check, n):
    months = [replace(check, month=m) for m in (7, 8, 9)[:n]]
    score = quarter_score(SCHEME, MEAN, 2017, 3, 1, "东街社区", months)
    assert score.exact == check_score(SCHEME, check)
    assert score.monthly_mean == check_score(SCHEME, check)


@given(quarters())
def test_weighted_rule_with_all_weight_on_the_mean_equals_the_mean_rule(quarter):
    found, awards = quarter
    mean = quarter_score(SCHEME, MEAN, 2017, 3, 1, "东街社区", found, awards)
    weighted = quarter_score(SCHEME, QuarterRule(D("1.0")), 2017, 3, 1, "东街社区", found, awards)
    assert weighted.exact == mean.exact
    assert weighted.indicator_scores == mean.indicator_scores


def test_weighted_rule_mixes_the_monthly_mean_and_the_quarterly_check():
    monthly = [SpotCheck(1, 2017, 7, (by_points("2.1", 10),)), SpotCheck(1, 2017, 8)]  # 90, 100
    quarterly = SpotCheck(1, 2017, 9, (by_points("2.1", 10), by_points("3.1", 10)),
                          kind=CheckKind.QUARTERLY)  # 80
    rule = QuarterRule(D("0.4"))
    score = quarter_score(SCHEME, rule, 2017, 3, 1, "东街社区", [*monthly, quarterly])
    assert score.monthly_mean == 95 and score.quarterly_check == 80
    assert score.exact == D("0.4") * 95 + D("0.6") * 80 == 86
    assert score.basis == "月抽查平均分×40%＋季度检查得分×60%（本季度抽查2个月）"
    # Without a quarterly check the monthly mean counts 100%, and the basis says so.
    alone = quarter_score(SCHEME, rule, 2017, 3, 1, "东街社区", monthly)
    assert alone.exact == 95 and "无季度检查" in alone.basis


def test_months_not_checked_are_left_out_not_zero():
    only_july = [SpotCheck(1, 2017, 7, (by_points("2.1", 4),))]
    score = quarter_score(SCHEME, MEAN, 2017, 3, 1, "东街社区", only_july)
    assert score.exact == 96 and score.monthly == ((7, D(96)),)
    assert score.basis == "月抽查平均分（本季度抽查1个月）"
    assert quarter_score(SCHEME, MEAN, 2017, 3, 2, "西城社区", only_july) is None
    assert quarter_score(SCHEME, MEAN, 2017, 4, 1, "东街社区", only_july) is None


def test_a_month_checked_twice_is_refused():
    twice = [SpotCheck(1, 2017, 7), SpotCheck(1, 2017, 7)]
    with pytest.raises(UserError, match="每月只能有一次"):
        quarter_score(SCHEME, MEAN, 2017, 3, 1, "东街社区", twice)


def test_bonuses_go_above_100_up_to_the_cap_and_penalties_stop_at_0():
    perfect = [SpotCheck(1, 2017, 7)]
    twice = [Adjustment(1, 2017, 3, "B1"), Adjustment(1, 2017, 3, "B1")]
    score = quarter_score(SCHEME, MEAN, 2017, 3, 1, "东街社区", perfect, twice)
    assert score.total == D("103.0") and score.bonus == 3
    bad = [SpotCheck(1, 2017, 7, tuple(by_points(leaf.code, leaf.max_points)
                                       for leaf in SCHEME.leaves if leaf.code != "1.1"))]
    criticised = [Adjustment(1, 2017, 3, "P1")]
    score = quarter_score(SCHEME, MEAN, 2017, 3, 1, "东街社区", bad, criticised)
    assert score.base == 10 and score.exact == 7
    nothing_left = [SpotCheck(1, 2017, 7, tuple(by_points(leaf.code, leaf.max_points)
                                                for leaf in SCHEME.leaves))]
    score = quarter_score(SCHEME, MEAN, 2017, 3, 1, "东街社区", nothing_left, criticised)
    assert score.exact == 0 and score.penalty == 0
    explained = explain(SCHEME, score, criticised)
    assert sum(line.lost for line in explained) == 100


def test_an_unknown_adjustment_item_is_a_user_error():
    with pytest.raises(UserError, match="加分或扣分项"):
        quarter_score(SCHEME, MEAN, 2017, 3, 1, "东街社区", [SpotCheck(1, 2017, 7)],
                      [Adjustment(1, 2017, 3, "B9")])


def test_quarter_rule_refuses_weights_outside_0_to_1():
    with pytest.raises(ValueError):
        QuarterRule(D("1.5"))
    assert QuarterRule().label == "月抽查平均分"
    assert QuarterRule(D(0)).label == "季度检查得分"


# --------------------------------------------------------------------------- rank and 等次

@given(st.lists(st.integers(0, 1030), max_size=30))
def test_ties_rank_equal_and_the_next_rank_skips(tenths):
    items = [(f"社区{i:02d}", D(t) / 10) for i, t in enumerate(tenths)]
    ranked = competition_ranks(items, score=lambda x: x[1], name=lambda x: x[0])
    assert sorted(it for _, it in ranked) == sorted(items)
    for rank, (_name, score) in ranked:
        assert rank == 1 + sum(1 for _, s in items if s > score)
    keys = [(-s, n) for _, (n, s) in ranked]
    assert keys == sorted(keys)


def test_competition_ranking_example():
    items = [("丙", D(80)), ("乙", D(90)), ("甲", D(90)), ("丁", D(95)), ("戊", D(70))]
    ranked = competition_ranks(items, score=lambda x: x[1], name=lambda x: x[0])
    assert [(r, n) for r, (n, _) in ranked] == [(1, "丁"), (2, "乙"), (2, "甲"), (4, "丙"),
                                                 (5, "戊")]


@pytest.mark.parametrize(("score", "grade"), [
    ("100", Grade.EXCELLENT), ("90.0", Grade.EXCELLENT), ("89.9", Grade.GOOD), ("80", Grade.GOOD),
    ("79.9", Grade.PASS), ("60", Grade.PASS), ("59.9", Grade.FAIL), ("0", Grade.FAIL),
    ("103", Grade.EXCELLENT)])
def test_default_grades(score, grade):
    assert grade_for(D(score)) is grade


def test_grade_thresholds_are_configurable_and_ordered():
    strict = GradeThresholds(D(95), D(85), D(70))
    assert grade_for(D(92), strict) is Grade.GOOD
    assert grade_for(D(65), strict) is Grade.FAIL
    with pytest.raises(ValueError):
        GradeThresholds(D(80), D(90), D(60))


@given(quarters())
def test_a_veto_always_gives_fail(quarter):
    found, awards = quarter
    found[0] = replace(found[0], vetoes=(VetoFinding("V1", "公示名单公开完整身份证号码"),))
    results = assess_quarter(VETO_SCHEME, MEAN, 2017, 3, {1: "东街社区"}, found, awards)
    assert [r.grade for r in results] == [Grade.FAIL]
    assert grade_for(D(100), vetoed=True) is Grade.FAIL


# --------------------------------------------------------------------------- drill-down

@given(quarters(), weights)
def test_the_drill_down_sums_to_the_points_lost(quarter, rule):
    found, awards = quarter
    score = quarter_score(SCHEME, rule, 2017, 3, 1, "东街社区", found, awards)
    lines = explain(SCHEME, score, awards)
    indicator_lines = [line for line in lines if line.month is not None]
    total, bonus = Fraction(SCHEME.total), Fraction(score.bonus)  # Decimal and Fraction don't mix
    assert sum(line.lost for line in indicator_lines) == total - score.base
    assert sum(line.lost for line in lines) == total + bonus - score.exact
    assert all(line.lost >= 0 for line in lines)


# --------------------------------------------------------------------------- golden quarter

COMMUNITIES = {1: "东街社区", 2: "西城社区", 3: "南关社区"}
GOLDEN_CHECKS = [
    # 东街社区: July 91, August 97.5, September not checked.
    SpotCheck(1, 2017, 7, (by_rule("2.3", 0, 1, "6月财务收支未公开"),
                           by_rule("3.1", 0, 2, "2件低保公示超过公开时限",
                                   auto=AutoFinding.OVERDUE_PUBLISH)), checker="刘欣"),
    SpotCheck(1, 2017, 8, (by_rule("2.2", 1, 6, "公示数据有6处笔误"),
                           by_rule("5.2", 0, 1, "抽访1名居民不满意"))),
    # 西城社区: 90, 92, 91.9.
    SpotCheck(2, 2017, 7, (by_rule("2.1", 0, 5, "目录内5项事项未公开"),)),
    SpotCheck(2, 2017, 8, (by_rule("3.1", 1, 1, "8月无任何公开内容", auto=AutoFinding.BLANK_MONTH),
                           by_rule("4.2", 0, 1, "1条公告无审批单"),
                           by_rule("4.3", 0, 1, "张贴照片未归档"))),
    SpotCheck(2, 2017, 9, (by_rule("1.3", 0, 1, "未设置意见箱"),
                           by_rule("2.2", 0, 1, "公开的补贴金额与实际不符"),
                           by_points("5.1", "1.1", "群众意见2件未答复，1件答复不及时"))),
    # 南关社区: 76, 85, 95.
    SpotCheck(3, 2017, 7, (by_rule("1.2", 0, 1, "公开栏未公布监督电话"),
                           by_rule("2.4", 0, 2, "危房改造补助名单、临时救助名单未公开"),
                           by_rule("3.2", 0, 3, "3份公示期满未撤栏", auto=AutoFinding.OVERDUE_TAKE_DOWN),
                           by_rule("1.1", 1, 6, "栏面破损6处"))),
    SpotCheck(3, 2017, 8, (by_rule("2.3", 0, 4, "4—7月财务收支均未公开"),
                           by_rule("2.3", 1, 1, "支出未逐笔公开"))),
    SpotCheck(3, 2017, 9, (by_rule("4.1", 0, 1, "未建立公开台账"),)),
    # A check of another quarter and an adjustment of another quarter are ignored.
    SpotCheck(3, 2017, 6, (by_points("2.1", 10),)),
]
GOLDEN_AWARDS = [
    Adjustment(1, 2017, 3, "P1", "8月被镇政府通报批评"),
    Adjustment(3, 2017, 3, "B1", "受到区政务公开领导小组通报表彰"),
    Adjustment(2, 2017, 2, "B1", "二季度表彰"),
]


def test_golden_quarter_for_three_communities_with_a_tie():
    assert all(validate_spot_check(SCHEME, c) == [] for c in GOLDEN_CHECKS)
    results = assess_quarter(SCHEME, MEAN, 2017, 3, COMMUNITIES, GOLDEN_CHECKS, GOLDEN_AWARDS)
    table = [(r.rank, r.score.name, r.score.total, r.grade) for r in results]
    # 东街: (91 + 97.5) / 2 = 94.25, − 3 (通报批评) = 91.25 → 91.3 (ROUND_HALF_UP).
    # 西城: (90 + 92 + 91.9) / 3 = 91.3 exactly. Published scores are equal: 并列第1, ordered by
    #       name (东 U+4E1C before 西 U+897F); 南关 is third, not second.
    # 南关: 1.1 "栏面破损6处" 12 → 扣完为止 10; 5 + 6 + 3 + 10 = 24 → 76; 2.3 4×5 = 20 → 15,
    #       then the itemisation finding takes 0 → 85; 95. (76 + 85 + 95) / 3 = 85.333… + 3 = 88.3.
    assert table == [
        (1, "东街社区", D("91.3"), Grade.EXCELLENT),
        (1, "西城社区", D("91.3"), Grade.EXCELLENT),
        (3, "南关社区", D("88.3"), Grade.GOOD),
    ]
    dongjie, xicheng, nanguan = (r.score for r in results)
    assert dongjie.monthly == ((7, D(91)), (8, D("97.5")))
    assert dongjie.exact == Fraction("91.25") and dongjie.penalty == 3
    assert xicheng.exact == Fraction("91.3") and xicheng.bonus == 0
    assert nanguan.monthly == ((7, D(76)), (8, D(85)), (9, D(95)))
    assert nanguan.base == Fraction(256, 3) and nanguan.exact == Fraction(265, 3)
    assert nanguan.indicator_scores["2"] == 33  # 公开内容: (34 + 25 + 40) / 3


def test_golden_drill_down():
    results = assess_quarter(SCHEME, MEAN, 2017, 3, COMMUNITIES, GOLDEN_CHECKS, GOLDEN_AWARDS)
    nanguan = next(r.score for r in results if r.score.name == "南关社区")
    lines = explain(SCHEME, nanguan, GOLDEN_AWARDS)
    assert [(line.month, line.indicator_path, line.reason, line.taken) for line in lines] == [
        (7, ("公开栏建设", "公开栏设置"), "栏面破损6处", D(10)),
        (7, ("公开栏建设", "监督电话"), "公开栏未公布监督电话", D(5)),
        (7, ("公开内容", "重点事项公开"), "危房改造补助名单、临时救助名单未公开", D(6)),
        (7, ("公开时限", "公示期满及时撤栏"), "3份公示期满未撤栏", D(3)),
        (8, ("公开内容", "财务收支公开"), "4—7月财务收支均未公开", D(15)),
        (8, ("公开内容", "财务收支公开"), "支出未逐笔公开", D(0)),
        (9, ("档案台账", "公开台账"), "未建立公开台账", D(5)),
    ]
    assert [line.lost for line in lines] == [Fraction(10, 3), Fraction(5, 3), Fraction(2),
                                             Fraction(1), Fraction(5), Fraction(0), Fraction(5, 3)]
    assert sum(line.lost for line in lines) == 100 - nanguan.base == Fraction(44, 3)
    dongjie = next(r.score for r in results if r.score.name == "东街社区")
    lines = explain(SCHEME, dongjie, GOLDEN_AWARDS)
    assert lines[-1].indicator_path == ("扣分项", "通报批评") and lines[-1].lost == 3
    assert lines[1].auto is AutoFinding.OVERDUE_PUBLISH
    assert sum(line.lost for line in lines) == 100 - dongjie.exact == Fraction("8.75")


# --------------------------------------------------------------------------- the year

def test_year_score_and_year_end_points():
    # Seed 004: 年终综合考核 5 points. (88.5 + 90 + 91.3 + 89.4) / 4 = 89.8 → 89.8 / 100 × 5 = 4.49.
    year = year_score(1, "东街社区", 2017, {1: D("88.5"), 2: D("90.0"), 3: D("91.3"),
                                             4: D("89.4")})
    assert (year.score, year.year_end_points) == (D("89.8"), D("4.49"))
    # Only quarters assessed count: (87.3 + 87.2) / 2 = 87.25 → shown 87.3; points from the exact
    # 87.25: 4.3625 → 4.36.
    year = year_score(2, "西城社区", 2017, {3: D("87.3"), 2: D("87.2")})
    assert (year.exact, year.score, year.year_end_points) == (Fraction("87.25"), D("87.3"),
                                                               D("4.36"))
    assert list(year.quarters) == [2, 3]
    assert year_score(3, "南关社区", 2017, {}) is None


def test_year_end_points_round_half_up():
    assert year_end_points(D("86.5")) == D("4.33")  # 4.325: half-up, not banker's 4.32
    assert year_end_points(D("86.5"), D(4)) == D("3.46")
    assert year_end_points(D(100)) == D("5.00")
    assert year_end_points(D("101.2")) == D(5)  # 加分 beyond 100: at most the item's 5 points


@given(st.integers(-10**6, 10**6), st.integers(0, 3))
def test_round_half_up_matches_decimal_rounding(thousandths, places):
    value = D(thousandths) / 1000
    expected = value.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)
    assert round_half_up(value, places) == expected


def test_round_half_up_on_fractions():
    assert round_half_up(Fraction(256, 3)) == D("85.3")
    assert round_half_up(Fraction(265, 3)) == D("88.3")
    assert round_half_up(Fraction(1, 6), 2) == D("0.17")


def test_quarter_helpers():
    assert [quarter_of(m) for m in (1, 3, 4, 9, 12)] == [1, 1, 2, 3, 4]
    assert quarter_months(3) == (7, 8, 9)
    with pytest.raises(ValueError):
        quarter_of(13)
