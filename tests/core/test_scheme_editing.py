"""Editing a 考核细则 as pure functions (issue 5, item 1): the tree editor's rules without Qt."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdesk.core import scoring as s
from govdesk.core.errors import UserError
from govdesk.core.scoring import AdjustmentKind, default_scheme, validate_scheme


@pytest.fixture
def scheme():
    return default_scheme(2025)


def test_new_codes_follow_the_existing_ones(scheme):
    assert s.next_indicator_code(scheme) == "6"
    assert s.next_indicator_code(scheme, "2") == "2.5"
    assert s.next_item_code(scheme, "bonus") == "B2"
    assert s.next_item_code(scheme, "penalty") == "P2"
    assert s.next_item_code(scheme, "veto") == "V1"
    added, code = s.add_indicator(scheme)
    assert code == "6"
    _, child = s.add_indicator(added, "6")
    assert child == "6.1"


def test_a_second_level_edit_changes_the_first_level_sum_and_the_total_problem(scheme):
    edited = s.update_indicator(scheme, "1.1", max_points=Decimal(5))
    assert edited.indicator("1").max_points == Decimal(15)
    assert validate_scheme(edited) == ["一级指标合计95分，与考核细则总分100分不符"]
    fixed = s.update_indicator(edited, "2.3", max_points=Decimal("20"))
    assert validate_scheme(fixed) == []
    assert fixed.indicator("2").max_points == Decimal(45)


def test_first_level_points_with_children_are_not_set_directly(scheme):
    with pytest.raises(UserError, match="二级指标的合计"):
        s.update_indicator(scheme, "1", max_points=Decimal(30))


def test_first_child_takes_over_points_and_rules():
    scheme, code = s.add_indicator(default_scheme(2025), None, "创新工作", Decimal(5))
    scheme, rule = s.add_rule(scheme, code, "未开展的，扣5分", Decimal(5))
    assert rule == 0
    scheme = s.update_indicator(scheme, "1.1", max_points=Decimal(5))  # total back to 100
    assert validate_scheme(scheme) == []
    scheme, child = s.add_indicator(scheme, code, "特色做法")
    top = scheme.indicator(code)
    assert child == "6.1"
    assert top.rules == () and top.max_points == Decimal(5)
    assert scheme.indicator("6.1").rules[0].text == "未开展的，扣5分"
    assert validate_scheme(scheme) == []


def test_move_keeps_codes_and_stops_at_the_ends(scheme):
    moved = s.move_indicator(scheme, "2", -1)
    assert [t.code for t in moved.indicators] == ["2", "1", "3", "4", "5"]
    assert s.move_indicator(moved, "2", -1) == moved
    moved = s.move_indicator(scheme, "2.1", +1)
    assert [c.code for c in moved.indicator("2").children] == ["2.2", "2.1", "2.3", "2.4"]
    assert validate_scheme(moved) == []


def test_rules_are_added_changed_moved_and_removed(scheme):
    scheme, n = s.add_rule(scheme, "1.2", "电话号码字迹不清的，扣1分", Decimal("0.5"))
    assert n == 2
    scheme = s.update_rule(scheme, "1.2", 2, points_per_finding=Decimal(1), cap=Decimal(2))
    rule = scheme.indicator("1.2").rules[2]
    assert (rule.points_per_finding, rule.cap) == (Decimal(1), Decimal(2))
    scheme = s.update_rule(scheme, "1.2", 2, cap=None)
    assert scheme.indicator("1.2").rules[2].cap is None
    scheme, n = s.move_rule(scheme, "1.2", 2, -1)
    assert n == 1 and scheme.indicator("1.2").rules[1].text == "电话号码字迹不清的，扣1分"
    scheme = s.remove_rule(scheme, "1.2", 1)
    assert len(scheme.indicator("1.2").rules) == 2


def test_items(scheme):
    scheme, code = s.add_item(scheme, "bonus", "市级表彰", Decimal(1))
    assert code == "B2" and scheme.bonuses[-1].kind is AdjustmentKind.BONUS
    scheme, code = s.add_item(scheme, "veto", "泄露个人隐私")
    assert code == "V1" and scheme.vetoes[0].name == "泄露个人隐私"
    scheme = s.update_item(scheme, "B2", points=Decimal("1.5"), name="县级表彰")
    assert scheme.adjustment_item("B2").points == Decimal("1.5")
    scheme = s.move_item(scheme, "B2", -1)
    assert [b.code for b in scheme.bonuses] == ["B2", "B1"]
    scheme = s.remove_item(scheme, "B1")
    assert [b.code for b in scheme.bonuses] == ["B2"]
    assert s.item_kind(scheme, "P1") == "penalty"
    assert validate_scheme(scheme) == []


def test_removing_indicators(scheme):
    scheme = s.remove_indicator(scheme, "2.3")
    assert scheme.indicator("2").max_points == Decimal(25)
    scheme = s.remove_indicator(scheme, "5")
    assert [t.code for t in scheme.indicators] == ["1", "2", "3", "4"]
    assert s.next_indicator_code(scheme) == "5"
    assert "一级指标合计75分" in validate_scheme(scheme)[0]


# ---- properties ------------------------------------------------------------------------------

def _op(scheme, choice, a, b):
    """Apply one editing step picked by ``choice`` to some existing node picked by a and b."""
    tops = scheme.indicators
    leaves = scheme.leaves
    items = [i.code for i in (*scheme.bonuses, *scheme.penalties, *scheme.vetoes)]
    if choice == 0:
        return s.add_indicator(scheme)[0]
    if choice == 1 and tops:
        return s.add_indicator(scheme, tops[a % len(tops)].code)[0]
    if choice == 2 and tops:
        top = tops[a % len(tops)]
        codes = [top.code, *(c.code for c in top.children)]
        return s.remove_indicator(scheme, codes[b % len(codes)])
    if choice == 3 and tops:
        top = tops[a % len(tops)]
        codes = [top.code, *(c.code for c in top.children)]
        return s.move_indicator(scheme, codes[b % len(codes)], 1 if b % 2 else -1)
    if choice == 4 and leaves:
        return s.add_rule(scheme, leaves[a % len(leaves)].code)[0]
    if choice == 5 and leaves:
        return s.update_indicator(scheme, leaves[a % len(leaves)].code,
                                  max_points=Decimal(b % 30 + 1))
    if choice == 6:
        return s.add_item(scheme, ("bonus", "penalty", "veto")[a % 3])[0]
    if choice == 7 and items:
        return s.remove_item(scheme, items[a % len(items)])
    if choice == 8 and items:
        return s.move_item(scheme, items[a % len(items)], 1 if b % 2 else -1)
    return scheme


STRUCTURAL = ("重复", "超出两级", "开头", "但其二级指标合计", "有下级指标")


@given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 50), st.integers(0, 50)),
                max_size=40))
def test_any_edit_sequence_keeps_codes_unique_and_the_tree_two_level(steps):
    scheme = default_scheme(2025)
    before = {}
    for choice, a, b in steps:
        old_codes = s.scheme_codes(scheme)
        scheme = _op(scheme, choice, a, b)
        # Codes are never renumbered: an existing code still names the same-named node.
        for top in scheme.indicators:
            for ind in (top, *top.children):
                if ind.code in old_codes and ind.code in before:
                    assert before[ind.code] == ind.name
        before = {ind.code: ind.name for top in scheme.indicators
                  for ind in (top, *top.children)}
    codes = [t.code for t in scheme.indicators]
    codes += [c.code for t in scheme.indicators for c in t.children]
    codes += [i.code for i in (*scheme.bonuses, *scheme.penalties, *scheme.vetoes)]
    assert len(codes) == len(set(codes))
    for top in scheme.indicators:
        for child in top.children:
            assert not child.children
            assert child.code.startswith(top.code + ".")
        if top.children:
            assert top.max_points == sum((c.max_points for c in top.children), Decimal(0))
            assert not top.rules
    assert not [p for p in validate_scheme(scheme) if any(w in p for w in STRUCTURAL)]
