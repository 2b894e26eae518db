"""What a typed number means in the month grid, and the findings the register supports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from govdesk.core.scoring import (
    AutoFinding,
    Indicator,
    MonthFacts,
    Scheme,
    SpotCheck,
    auto_deductions,
    deduction_for_points,
    default_scheme,
    leaf_scores,
)

SCHEME = default_scheme(2025)


def test_a_multiple_of_a_rule_becomes_findings_under_it():
    d = deduction_for_points(SCHEME, "2.3", Decimal(10))
    assert (d.count, d.rule, d.points) == (2, 0, None)
    assert d.reason == "财务收支每少公开一次扣5分"


def test_a_capped_rule_is_not_used_beyond_its_cap():
    # 2.2's second rule is 0.5 a finding, at most 2: 3 points is 6 findings of the first rule
    # only if it divides; 2 per finding → 1.5 is not a multiple of 2, and 0.5 × 3 = 1.5 ≤ 2.
    d = deduction_for_points(SCHEME, "2.2", Decimal("1.5"))
    assert (d.count, d.rule) == (3, 1)
    d = deduction_for_points(SCHEME, "2.2", Decimal("2.5"))
    assert (d.count, d.rule, d.points) == (None, None, Decimal("2.5")) and d.reason == ""


def test_a_number_no_rule_fits_is_taken_directly_with_the_given_reason():
    d = deduction_for_points(SCHEME, "5.1", Decimal("1.5"), "意见未答复")
    assert (d.points, d.reason, d.count) == (Decimal("1.5"), "意见未答复", None)


@given(st.sampled_from([leaf.code for leaf in SCHEME.leaves]), st.integers(1, 200))
def test_the_deduction_takes_what_was_typed_up_to_the_indicator(code, tenths):
    points = Decimal(tenths) / 10
    d = deduction_for_points(SCHEME, code, points, "发现问题")
    check = SpotCheck(1, 2025, 7, deductions=(d,))
    ind = SCHEME.indicator(code)
    assert d.taken_raw(SCHEME) == points
    assert leaf_scores(SCHEME, check)[code] == max(Decimal(0), ind.max_points - points)


def test_register_findings_are_booked_on_the_default_rules():
    facts = MonthFacts(
        community_id=1, year=2025, month=10,
        late_notices=(("十月财务公开", date(2025, 10, 9), date(2025, 10, 15)),
                      ("低保公示", date(2025, 10, 20), None)),
        late_take_downs=((7, "危房改造公示", "柳河村村务公开栏", date(2025, 10, 20), None),),
        published=0)
    found, unbooked = auto_deductions(SCHEME, facts)
    assert unbooked == ()
    by = {d.auto: d for d in found}
    late = by[AutoFinding.OVERDUE_PUBLISH]
    assert (late.indicator_code, late.rule, late.count) == ("3.1", 0, 2)
    assert "《十月财务公开》应于10月9日前公开，10月15日公开" in late.evidence
    assert "《低保公示》应于10月20日前公开，至月底未公开" in late.evidence
    down = by[AutoFinding.OVERDUE_TAKE_DOWN]
    assert (down.indicator_code, down.count, down.posting_id) == ("3.2", 1, 7)
    assert by[AutoFinding.BLANK_MONTH].reason == "当月无任何公开内容（空白月）"


def test_no_blank_month_before_the_month_is_over_and_nothing_when_all_is_well():
    facts = MonthFacts(community_id=1, year=2025, month=11, published=0, complete=False)
    assert auto_deductions(SCHEME, facts) == ((), ())
    assert auto_deductions(SCHEME, MonthFacts(1, 2025, 9, published=3)) == ((), ())


def test_findings_a_scheme_has_no_rule_for_are_reported_not_booked():
    plain = Scheme(2025, "简易细则", (Indicator("1", "公开内容", Decimal(100)),))
    facts = MonthFacts(community_id=1, year=2025, month=9, published=0)
    assert auto_deductions(plain, facts) == ((), (AutoFinding.BLANK_MONTH,))
