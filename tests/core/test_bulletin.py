"""The quarter's 通报 built from the scoring core (issue 5, item 7)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from govdesk.core.bulletin import (
    ADDRESSEE,
    RANKING_HEADER,
    Problem,
    build_bulletin,
    bulletin_text,
    common_problems,
    parse_bulletin_text,
    quarter_label,
)
from govdesk.core.errors import UserError
from govdesk.core.notices import BodyTable, Heading, Paragraph, parse_body
from govdesk.core.scoring import (
    Adjustment,
    AdjustmentItem,
    AdjustmentKind,
    CheckKind,
    Deduction,
    Grade,
    QuarterRule,
    SpotCheck,
    assess_quarter,
    default_scheme,
)

D = Decimal
SCHEME = default_scheme(2017)
COMMUNITIES = {1: "东风社区", 2: "柳河村", 3: "云溪社区", 4: "青山社区", 5: "未检查村"}
LATE = "公示期满未及时撤栏"
FINANCE = "财务收支未按月公开"


def month_findings(cid: int) -> tuple[Deduction, ...]:
    """东风 96, 柳河 and 云溪 85 (a tie), 青山 70; 未检查村 has no check at all."""
    if cid == 1:
        return (Deduction("3.2", LATE, count=2, rule=0),
                Deduction("1.3", "意见箱未定期开启。", points=D(2)))
    if cid in (2, 3):
        return (Deduction("2.3", FINANCE, points=D(15)),)
    return (Deduction("2.3", f" {FINANCE}；", points=D(15)),
            Deduction("2.4", "重点事项未公开", points=D(10)),
            Deduction("3.2", LATE, count=5, rule=0))


def third_quarter_checks() -> list[SpotCheck]:
    checks = [SpotCheck(cid, 2017, m, month_findings(cid)) for cid in (1, 2, 3, 4)
              for m in (7, 8, 9)]
    # another quarter's finding must not count in the third quarter's 通报
    checks.append(SpotCheck(1, 2017, 4, (Deduction("1.1", "其他季度的问题", points=D(5)),)))
    return checks


CHECKS = third_quarter_checks()
RESULTS = assess_quarter(SCHEME, QuarterRule(), 2017, 3, COMMUNITIES, CHECKS)


def make(**kw):
    values = dict(township="金星镇", year=2017, quarter=3, issuer="金星镇人民政府",
                  issued_on=date(2017, 10, 12))
    values.update(kw)
    return build_bulletin(SCHEME, RESULTS, CHECKS, **values)


def paragraphs(b):
    return [blk.text for blk in b.blocks if not isinstance(blk, BodyTable)]


def test_title_addressee_and_opening_counts():
    b = make()
    assert b.title == "关于2017年第三季度社区政务公开考核情况的通报"
    assert b.blocks[0] == Paragraph(ADDRESSEE)
    opening = b.blocks[1].text
    assert "《2017年社区政务公开考核细则》" in opening
    assert "金星镇" in opening
    assert "2017年7月至9月" in opening
    assert "全镇4个社区（村）" in opening  # 未检查村 was not assessed
    assert "月抽查3次（7月、8月、9月）" in opening
    assert "累计检查12个社区（村）次" in opening
    assert opening.endswith("现将考核情况通报如下：")
    assert (b.communities, b.checks) == (4, 12)


def test_opening_counts_months_actually_checked_and_quarterly_checks():
    checks = [c for c in CHECKS if c.month != 8] + [
        SpotCheck(2, 2017, 9, (), kind=CheckKind.QUARTERLY)]
    results = assess_quarter(SCHEME, QuarterRule(D("0.4")), 2017, 3, COMMUNITIES, checks)
    b = build_bulletin(SCHEME, results, checks, township="金星镇", year=2017, quarter=3,
                       issuer="金星镇人民政府", issued_on=date(2017, 10, 12))
    opening = b.blocks[1].text
    assert "月抽查2次（7月、9月）" in opening
    assert "累计检查8个社区（村）次" in opening
    assert "另开展季度检查1个社区（村）次" in opening


def test_ranking_table_with_a_tie():
    b = make()
    table = next(blk for blk in b.blocks if isinstance(blk, BodyTable))
    assert table.rows == (
        RANKING_HEADER,
        ("1", "东风社区", "96.0", "优秀"),
        ("2", "云溪社区", "85.0", "良好"),
        ("2", "柳河村", "85.0", "良好"),
        ("4", "青山社区", "70.0", "合格"),
    )
    assert [r.rank for r in b.ranking] == [1, 2, 2, 4]
    # the table comes under 一、考核结果
    i = b.blocks.index(Heading(1, "一、考核结果"))
    assert b.blocks.index(table) > i


def test_grade_lists_with_none():
    b = make()
    assert b.grades[Grade.EXCELLENT] == ("东风社区",)
    assert b.grades[Grade.GOOD] == ("云溪社区", "柳河村")
    texts = paragraphs(b)
    assert "优秀：东风社区。" in texts
    assert "良好：云溪社区、柳河村。" in texts
    assert "合格：青山社区。" in texts
    assert "不合格：无。" in texts


def test_problems_counted_by_findings_and_ordered_ties_by_text():
    b = make()
    assert b.problems == (
        Problem(LATE, 2 * 3 + 5 * 3),  # counted by findings: 发现2次 counts 2
        Problem(FINANCE, 9),  # " 财务收支未按月公开；" is the same reason
        Problem("意见箱未定期开启", 3),  # ties (3) in code-point order: 意 < 重
        Problem("重点事项未公开", 3),
    )
    texts = paragraphs(b)
    assert f"1.{LATE}（21次）；" in texts
    assert "4.重点事项未公开（3次）。" in texts
    assert "其他季度的问题" not in bulletin_text(b)


def test_common_problems_keeps_the_top_five():
    checks = [SpotCheck(1, 2017, 7, tuple(
        Deduction("1.1", f"问题{k}", points=D(1)) for k in range(7) for _ in range(k % 3 + 1)))]
    got = common_problems(checks)
    assert len(got) == 5
    assert [p.count for p in got] == [3, 3, 2, 2, 1]
    assert [p.reason for p in got] == ["问题2", "问题5", "问题1", "问题4", "问题0"]
    assert common_problems([]) == ()


def test_no_problems_and_no_results():
    checks = [SpotCheck(1, 2017, 7)]
    results = assess_quarter(SCHEME, QuarterRule(), 2017, 3, {1: "东风社区"}, checks)
    b = build_bulletin(SCHEME, results, checks, township="金星镇", year=2017, quarter=3,
                       issuer="金星镇人民政府", issued_on=date(2017, 10, 12))
    assert "本季度检查中未发现扣分问题。" in paragraphs(b)
    empty = build_bulletin(SCHEME, (), (), township="金星镇", year=2017, quarter=3,
                           issuer="金星镇人民政府", issued_on=date(2017, 10, 12))
    assert "全镇0个社区（村）" in empty.blocks[1].text
    assert not any(isinstance(blk, BodyTable) for blk in empty.blocks)
    assert empty.charts.ranking == ()


def test_closing_paragraph_asks_for_rectification():
    b = make()
    last = b.blocks[-1].text
    assert "整改" in last
    assert b.blocks[-2] == Heading(1, "四、下一步工作要求")


def test_text_round_trip_keeps_everything():
    b = make()
    text = bulletin_text(b)
    lines = text.strip().splitlines()
    assert lines[0] == b.title
    assert lines[-2:] == ["金星镇人民政府", "2017年10月12日"]
    tables = [blk for blk in parse_body(text) if isinstance(blk, BodyTable)]
    assert len(tables) == 1
    assert tables[0].rows == next(blk for blk in b.blocks if isinstance(blk, BodyTable)).rows
    title, blocks, issuer, dated = parse_bulletin_text(text)
    assert (title, blocks, issuer, dated) == (b.title, b.blocks, b.issuer, b.issued_on)


def test_edited_text_is_taken_back():
    b = make()
    text = bulletin_text(b).replace("逐条认真整改", "逐条认真整改并建立台账").replace(
        "2017年10月12日", "2017年10月16日")
    edited = b.with_text(text)
    assert edited.issued_on == date(2017, 10, 16)
    assert "建立台账" in edited.blocks[-1].text
    assert edited.ranking == b.ranking  # the data stays for the charts
    assert replace(edited, blocks=b.blocks, issued_on=b.issued_on) == b


def test_parse_text_without_signature_and_errors():
    title, blocks, issuer, dated = parse_bulletin_text("\n标题\n\n正文一段。\n")
    assert (title, issuer, dated) == ("标题", "", None)
    assert blocks == (Paragraph("正文一段。"),)
    with pytest.raises(UserError):
        parse_bulletin_text("  \n\n")
    with pytest.raises(UserError):
        parse_bulletin_text("| 排名 | 社区 |\n")
    with pytest.raises(UserError):
        parse_bulletin_text("标题\n正文。\n2017年2月30日")


def test_charts_data_and_trend_from_previous_quarters():
    b = make()
    assert b.charts.period == "2017年第三季度"
    assert b.charts.ranking == (("东风社区", D("96.0")), ("云溪社区", D("85.0")),
                                ("柳河村", D("85.0")), ("青山社区", D("70.0")))
    assert not b.charts.has_trend
    q2_checks = [SpotCheck(cid, 2017, m) for cid in (1, 2) for m in (4, 5, 6)]
    q2 = assess_quarter(SCHEME, QuarterRule(), 2017, 2, COMMUNITIES, q2_checks)
    with_prev = make(previous=[q2])
    assert with_prev.charts.quarters == ("第二季度", "第三季度")
    trend = dict(with_prev.charts.trend)
    assert list(trend) == ["东风社区", "云溪社区", "柳河村", "青山社区"]
    assert trend["东风社区"] == (D("100.0"), D("96.0"))
    assert trend["青山社区"] == (None, D("70.0"))
    q4_2016 = assess_quarter(default_scheme(2016), QuarterRule(), 2016, 4, COMMUNITIES,
                             [SpotCheck(1, 2016, 12)])
    other_year = make(previous=[q4_2016, q2])
    assert other_year.charts.quarters == ("2016年第四季度", "2017年第二季度", "2017年第三季度")


def test_axis_goes_past_100_with_bonuses():
    scheme = replace(SCHEME, bonuses=(AdjustmentItem("B1", "通报表彰", D(3),
                                                     AdjustmentKind.BONUS),))
    checks = [SpotCheck(1, 2017, 7)]
    results = assess_quarter(scheme, QuarterRule(), 2017, 3, {1: "东风社区"}, checks,
                             [Adjustment(1, 2017, 3, "B1")])
    b = build_bulletin(scheme, results, checks, township="金星镇", year=2017, quarter=3,
                       issuer="金星镇人民政府", issued_on=date(2017, 10, 12))
    assert b.ranking[0].score == D("103.0")
    assert b.charts.axis_max == 110
    assert make().charts.axis_max == 100


def test_quarter_label():
    assert quarter_label(2017, 1) == "2017年第一季度"
    assert quarter_label(2017, 4, with_year=False) == "第四季度"
    with pytest.raises(ValueError):
        quarter_label(2017, 5)
