"""年报 core: the three tables' labels against the domain reference (typed here as literals),
表三 tallied from applications against a separately written naive count, the 勾稽关系 checks,
表四, the 一、总体情况 draft and the JSON."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdesk.core.annual_report import (
    COLUMN_KEYS,
    SECTION_TITLES,
    TABLE2_LABELS,
    TABLE3_CORNER,
    TABLE3_ROWS,
    AnnualReport,
    AppealCounts,
    AppealFact,
    AppealKind,
    AppealResult,
    ApplicationFact,
    CellRef,
    OverviewFigures,
    ProactiveFigures,
    Table3,
    Table4,
    check_table3,
    draft_overview,
    period_line,
    report_json,
    table2_grid,
    table3_grid,
    table4_grid,
    tally_table3,
    tally_table4,
)
from govdesk.core.errors import UserError
from govdesk.core.requests import ApplicantKind, Outcome

# ---- labels, copied from ../shared/domain/rules-and-formats.md §2 -----------------------------

REFERENCE_SECTIONS = (
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

# (level 1, level 2, level 3) of every 表三 data row, top to bottom.
REFERENCE_TABLE3_ROWS = [
    ("一、本年新收政府信息公开申请数量", "", ""),
    ("二、上年结转政府信息公开申请数量", "", ""),
    ("三、本年度办理结果", "（一）予以公开", ""),
    ("三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"),
    ("三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益"),
    ("三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息"),
    ("三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息"),
    ("三、本年度办理结果", "（三）不予公开", "7.属于行政执法案卷"),
    ("三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项"),
    ("三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请"),
    ("三、本年度办理结果", "（五）不予处理", "2.重复申请"),
    ("三、本年度办理结果", "（五）不予处理", "3.要求提供公开出版物"),
    ("三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("三、本年度办理结果", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ("三、本年度办理结果", "（六）其他处理",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("三、本年度办理结果", "（六）其他处理",
     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("三、本年度办理结果", "（六）其他处理", "3.其他"),
    ("三、本年度办理结果", "（七）总计", ""),
    ("四、结转下年度继续办理", "", ""),
]
REFERENCE_TABLE3_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
                            "总计"]
REFERENCE_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def grid_texts(grid) -> dict[tuple[int, int], tuple[str, int, int]]:
    return {(c.row, c.col): (c.text, c.rowspan, c.colspan) for c in grid.cells}


def test_section_titles_and_period_line():
    assert SECTION_TITLES == REFERENCE_SECTIONS
    assert period_line(2025) == "本报告中所列数据统计期限为2025年1月1日至12月31日"


def test_table3_row_labels_character_by_character():
    assert [(r.level1, r.level2, r.level3) for r in TABLE3_ROWS] == REFERENCE_TABLE3_ROWS
    assert "3.危及\u201c三安全一稳定\u201d" in [r.level3 for r in TABLE3_ROWS]  # full-width quotes
    assert TABLE3_CORNER == REFERENCE_CORNER
    assert [ApplicantKind[k].value for k in COLUMN_KEYS[:-1]] + ["总计"] == \
        REFERENCE_TABLE3_COLUMNS
    # every Outcome has exactly one row, in the order of the table
    assert [r.outcome for r in TABLE3_ROWS if r.outcome] == list(Outcome)


def test_table3_grid_is_the_official_layout():
    g = table3_grid(Table3.zero())
    cells = grid_texts(g)
    assert (g.rows, g.cols, g.header_rows) == (28, 10, 3)
    assert cells[(0, 0)] == (REFERENCE_CORNER, 3, 3)
    assert cells[(0, 3)] == ("申请人情况", 1, 7)
    assert cells[(1, 3)] == ("自然人", 2, 1)
    assert cells[(1, 4)] == ("法人或其他组织", 1, 5)
    assert cells[(1, 9)] == ("总计", 2, 1)
    assert [cells[(2, c)][0] for c in range(4, 9)] == \
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert cells[(3, 0)] == ("一、本年新收政府信息公开申请数量", 1, 3)
    assert cells[(4, 0)] == ("二、上年结转政府信息公开申请数量", 1, 3)
    assert cells[(5, 0)] == ("三、本年度办理结果", 22, 1)
    assert cells[(5, 1)] == ("（一）予以公开", 1, 2)
    assert cells[(6, 1)] == ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2)
    assert cells[(7, 1)] == ("（三）不予公开", 8, 1)
    assert cells[(15, 1)] == ("（四）无法提供", 3, 1)
    assert cells[(18, 1)] == ("（五）不予处理", 5, 1)
    assert cells[(23, 1)] == ("（六）其他处理", 3, 1)
    assert cells[(26, 1)] == ("（七）总计", 1, 2)
    assert cells[(27, 0)] == ("四、结转下年度继续办理", 1, 3)
    assert_covers_exactly_once(g)


def test_table2_labels_and_layout():
    g = table2_grid(ProactiveFigures(normative_made=3, normative_repealed=1, normative_in_force=12,
                                     licensing_decisions=5, penalty_decisions=2,
                                     fee_amount=Decimal("12.50")))
    rows: dict[int, list[tuple[str, int]]] = {}
    for c in g.cells:
        rows.setdefault(c.row, []).append((c.text, c.colspan))
    assert list(rows.values()) == [
        [("第二十条第（一）项", 4)],
        [("信息内容", 1), ("本年制发件数", 1), ("本年废止件数", 1), ("现行有效件数", 1)],
        [("规章", 1), ("0", 1), ("0", 1), ("0", 1)],
        [("行政规范性文件", 1), ("3", 1), ("1", 1), ("12", 1)],
        [("第二十条第（五）项", 4)],
        [("信息内容", 1), ("本年处理决定数量", 3)],
        [("行政许可", 1), ("5", 3)],
        [("第二十条第（六）项", 4)],
        [("信息内容", 1), ("本年处理决定数量", 3)],
        [("行政处罚", 1), ("2", 3)],
        [("行政强制", 1), ("0", 3)],
        [("第二十条第（八）项", 4)],
        [("信息内容", 1), ("本年收费金额（单位：万元）", 3)],
        [("行政事业性收费", 1), ("12.5", 3)],
    ]
    assert TABLE2_LABELS["fee_amount"] == "本年收费金额（单位：万元）"
    assert_covers_exactly_once(g)


def test_table4_labels_and_layout():
    t4 = Table4(AppealCounts(1, 2, 0, 1), AppealCounts(0, 1, 0, 0), AppealCounts(0, 0, 0, 3))
    g = table4_grid(t4)
    cells = grid_texts(g)
    assert (g.rows, g.cols, g.header_rows) == (4, 15, 3)
    assert cells[(0, 0)] == ("行政复议", 1, 5)
    assert cells[(0, 5)] == ("行政诉讼", 1, 10)
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [cells[(1, c)] for c in range(5)] == [(t, 2, 1) for t in results]
    assert cells[(1, 5)] == ("未经复议直接起诉", 1, 5)
    assert cells[(1, 10)] == ("复议后起诉", 1, 5)
    assert [cells[(2, c)][0] for c in range(5, 15)] == results * 2
    assert [cells[(3, c)][0] for c in range(15)] == \
        ["1", "2", "0", "1", "4", "0", "1", "0", "0", "1", "0", "0", "0", "3", "3"]
    assert_covers_exactly_once(g)


def assert_covers_exactly_once(g):
    seen: dict[tuple[int, int], int] = {}
    for c in g.cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                seen[(r, k)] = seen.get((r, k), 0) + 1
    assert seen == {(r, k): 1 for r in range(g.rows) for k in range(g.cols)}


# ---- tallying 表三 -----------------------------------------------------------------------------

YEAR = 2025


def generated_year(seed: int, n: int = 400) -> list[ApplicationFact]:
    """Applications received from 2023 to 2026, closed a few days to several months later or not
    at all, with every applicant kind and outcome."""
    rng = random.Random(seed)
    apps = []
    for i in range(n):
        received = date(2023, 1, 1) + timedelta(days=rng.randrange(4 * 365))
        if rng.random() < 0.2:
            closed, outcome = None, None
        else:
            closed = received + timedelta(days=rng.choice([0, 3, 15, 20, 40, 120, 400]))
            outcome = rng.choice(list(Outcome))
        apps.append(ApplicationFact(rng.choice(list(ApplicantKind)), received, closed, outcome,
                                    ref=f"YSQ-{i}"))
    # edges: first and last day of the year, closed on 1 January / 31 December
    apps += [
        ApplicationFact(ApplicantKind.PERSON, date(2024, 12, 31), date(2025, 1, 1), Outcome.REPEAT),
        ApplicationFact(ApplicantKind.BUSINESS, date(2025, 1, 1), date(2025, 12, 31),
                        Outcome.NOT_HELD),
        ApplicationFact(ApplicantKind.OTHER, date(2025, 12, 31), date(2026, 1, 1), Outcome.OTHER),
        ApplicationFact(ApplicantKind.RESEARCH, date(2024, 6, 1), date(2024, 12, 31),
                        Outcome.DISCLOSED),
        ApplicationFact(ApplicantKind.LEGAL_SERVICE, date(2026, 1, 1)),
    ]
    return apps


def naive_table(apps: list[ApplicationFact], year: int) -> dict[tuple[str, str], int]:
    """A second count, written separately: one pass per cell, straight from the definitions."""
    first, last = date(year, 1, 1), date(year, 12, 31)

    def open_on(a: ApplicationFact, day: date) -> bool:
        return a.received_on <= day and (a.closed_on is None or a.closed_on >= day)

    def kinds(col: str) -> list[ApplicantKind]:
        return list(ApplicantKind) if col == "TOTAL" else [ApplicantKind[col]]

    out = {}
    for col in COLUMN_KEYS:
        mine = [a for a in apps if a.applicant_kind in kinds(col)]
        out[("NEW", col)] = len([a for a in mine if first <= a.received_on <= last])
        # open on the morning of 1 January: received before it, not closed before it
        out[("CARRIED", col)] = len([a for a in mine if a.received_on < first and open_on(a, first)])
        closed = [a for a in mine if a.closed_on is not None and first <= a.closed_on <= last]
        for outcome in Outcome:
            out[(outcome.code, col)] = len([a for a in closed if a.outcome is outcome])
        out[("RESULTS_TOTAL", col)] = len(closed)
        out[("CARRY_FORWARD", col)] = len(
            [a for a in mine if a.received_on <= last and (a.closed_on is None or a.closed_on > last)])
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_year_every_cell(seed):
    apps = generated_year(seed)
    table = tally_table3(apps, YEAR)
    expected = naive_table(apps, YEAR)
    for row in TABLE3_ROWS:
        for col in COLUMN_KEYS:
            assert table.cell(row.key, col) == expected[(row.key, col)], (row.key, col)
    assert check_table3(table) == []
    # this year's 四 is next year's 二
    assert check_table3(tally_table3(apps, YEAR + 1), previous_carry_over=table) == []
    assert table.cell("NEW", "TOTAL") > 50 and table.cell("CARRIED", "TOTAL") > 5


def test_edges_by_hand():
    apps = [
        ApplicationFact(ApplicantKind.PERSON, date(2024, 12, 31), date(2025, 1, 1), Outcome.REPEAT),
        ApplicationFact(ApplicantKind.PERSON, date(2024, 11, 1), date(2024, 12, 31),
                        Outcome.DISCLOSED),  # closed last year: not in 2025
        ApplicationFact(ApplicantKind.BUSINESS, date(2025, 12, 31), date(2026, 1, 5),
                        Outcome.DISCLOSED),  # open on 31 December: 四, not 予以公开
        ApplicationFact(ApplicantKind.BUSINESS, date(2026, 1, 1)),  # next year: nowhere
        ApplicationFact(ApplicantKind.OTHER, date(2025, 5, 5), date(2025, 5, 5),
                        Outcome.ENDANGERS_SAFETY),  # same-day answer
    ]
    t = tally_table3(apps, 2025)
    assert t.row("NEW") == (0, 1, 0, 0, 0, 1, 2)
    assert t.row("CARRIED") == (1, 0, 0, 0, 0, 0, 1)
    assert t.row("5.2") == (1, 0, 0, 0, 0, 0, 1)
    assert t.row("3.3") == (0, 0, 0, 0, 0, 1, 1)
    assert t.row("1") == (0,) * 7
    assert t.row("RESULTS_TOTAL") == (1, 0, 0, 0, 0, 1, 2)
    assert t.row("CARRY_FORWARD") == (0, 1, 0, 0, 0, 0, 1)


def test_inconsistent_facts_are_refused_in_chinese():
    with pytest.raises(UserError, match="已办结但未填写办理结果"):
        ApplicationFact(ApplicantKind.PERSON, date(2025, 1, 2), date(2025, 1, 9), None, ref="7号")
    with pytest.raises(UserError, match="没有办结日期"):
        ApplicationFact(ApplicantKind.PERSON, date(2025, 1, 2), None, Outcome.DISCLOSED)
    with pytest.raises(UserError, match="早于收到申请日期"):
        ApplicationFact(ApplicantKind.PERSON, date(2025, 1, 2), date(2025, 1, 1),
                        Outcome.DISCLOSED)


days = st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def applications(draw):
    received = draw(days)
    if draw(st.booleans()):
        return ApplicationFact(draw(st.sampled_from(ApplicantKind)), received)
    closed = received + timedelta(days=draw(st.integers(0, 800)))
    return ApplicationFact(draw(st.sampled_from(ApplicantKind)), received, closed,
                           draw(st.sampled_from(Outcome)))


@given(st.lists(applications(), max_size=60), st.integers(2023, 2027))
def test_any_applications_give_a_consistent_table(apps, year):
    table = tally_table3(apps, year)
    assert check_table3(table) == []
    assert check_table3(tally_table3(apps, year + 1), previous_carry_over=table) == []
    assert all(v >= 0 for row in table.values.values() for v in row)


# ---- broken tables are caught, with the right cell named -----------------------------------------


def good_table() -> Table3:
    return tally_table3(generated_year(7, 120), YEAR)


def test_broken_column_balance_names_the_column():
    t = good_table()
    broken = t.with_cell("NEW", "BUSINESS", t.cell("NEW", "BUSINESS") + 1).with_cell(
        "NEW", "TOTAL", t.cell("NEW", "TOTAL") + 1)
    problems = check_table3(broken)
    assert len(problems) == 2  # 商业企业 and 总计 columns no longer balance
    p = problems[0]
    n, c, r, f = (broken.cell(k, "BUSINESS") for k in
                  ("NEW", "CARRIED", "RESULTS_TOTAL", "CARRY_FORWARD"))
    assert p.message == f"表三“商业企业”列：一（{n}）＋二（{c}）≠ 三（七）总计（{r}）＋四（{f}）"
    assert p.cell == CellRef("表三", "NEW", "BUSINESS")
    assert CellRef("表三", "CARRY_FORWARD", "BUSINESS") in p.cells
    assert problems[1].message.startswith("表三“总计”列：一（")


def test_the_example_message():
    t = Table3.zero().with_cell("NEW", "BUSINESS", 3).with_cell("NEW", "TOTAL", 3)
    t = t.with_cell("1", "BUSINESS", 2).with_cell("1", "TOTAL", 2)
    t = t.with_cell("RESULTS_TOTAL", "BUSINESS", 2).with_cell("RESULTS_TOTAL", "TOTAL", 2)
    messages = [p.message for p in check_table3(t)]
    assert "表三“商业企业”列：一（3）＋二（0）≠ 三（七）总计（2）＋四（0）" in messages


def test_broken_row_total_names_the_row():
    t = good_table()
    broken = t.with_cell("3.3", "TOTAL", t.cell("3.3", "TOTAL") + 2)
    problems = check_table3(broken)
    first = problems[0]
    assert first.message.startswith("表三“（三）不予公开 3.危及“三安全一稳定””行：总计（")
    assert first.cell == CellRef("表三", "3.3", "TOTAL")
    # the 总计 column's （七） and 一＋二 balance are off as well
    assert any(p.cell == CellRef("表三", "RESULTS_TOTAL", "TOTAL") for p in problems)


def test_broken_results_total_and_outcome_rows():
    t = good_table()
    broken = t.with_cell("6.2", "PERSON", t.cell("6.2", "PERSON") + 1).with_cell(
        "6.2", "TOTAL", t.cell("6.2", "TOTAL") + 1)
    problems = check_table3(broken)
    assert [p.cell for p in problems] == [CellRef("表三", "RESULTS_TOTAL", "PERSON"),
                                         CellRef("表三", "RESULTS_TOTAL", "TOTAL")]
    assert problems[0].message.startswith("表三“自然人”列：三（七）总计（")
    assert CellRef("表三", "6.2", "PERSON") in problems[0].cells


def test_negative_cell_and_carry_over_mismatch():
    t = Table3.zero().with_cell("CARRIED", "RESEARCH", -1).with_cell("CARRIED", "TOTAL", -1)
    problems = check_table3(t, previous_carry_over=(0, 0, 2, 0, 0, 0, 2))
    cells = [p.cell for p in problems]
    assert cells[0] == CellRef("表三", "CARRIED", "RESEARCH")
    assert "数字不能为负数" in problems[0].message
    carried = [p for p in problems if "上年报告" in p.message]
    assert [p.cell.column for p in carried] == ["RESEARCH", "TOTAL"]
    assert carried[0].message == \
        "表三“科研机构”列：二、上年结转（-1）≠ 上年报告四、结转下年度继续办理（2）"


# ---- 表四 ----------------------------------------------------------------------------------------


def test_tally_table4():
    K, R = AppealKind, AppealResult  # noqa: N806
    cases = [
        AppealFact(K.REVIEW, date(2025, 3, 1), R.UPHELD, date(2025, 5, 1)),
        AppealFact(K.REVIEW, date(2025, 11, 1), R.CORRECTED, date(2026, 1, 10)),  # open on 12-31
        AppealFact(K.REVIEW, date(2024, 11, 1), R.OTHER, date(2025, 2, 1)),  # carried in, decided
        AppealFact(K.REVIEW, date(2024, 1, 1), R.UPHELD, date(2024, 3, 1)),  # last year's
        AppealFact(K.DIRECT_SUIT, date(2025, 6, 1)),
        AppealFact(K.SUIT_AFTER_REVIEW, date(2025, 7, 1), R.CORRECTED, date(2025, 12, 31)),
        AppealFact(K.SUIT_AFTER_REVIEW, date(2026, 1, 1)),  # next year's
    ]
    t = tally_table4(cases, 2025)
    assert t.numbers() == (1, 0, 1, 1, 3, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1)
    with pytest.raises(UserError):
        AppealFact(K.REVIEW, date(2025, 3, 1), R.UPHELD)  # decided without a date
    with pytest.raises(UserError):
        AppealFact(K.REVIEW, date(2025, 3, 1), R.UPHELD, date(2025, 2, 1))


def test_table2_refuses_negative_and_non_numbers():
    with pytest.raises(UserError):
        ProactiveFigures(normative_made=-1)
    with pytest.raises(UserError):
        ProactiveFigures(fee_amount=Decimal("NaN"))


# ---- the report ----------------------------------------------------------------------------------


def sample_report() -> AnnualReport:
    apps = generated_year(11, 60)
    return AnnualReport(
        year=YEAR, organ="青山县云溪镇人民政府",
        texts=("（一）主动公开。全年公开320条。", "", "", "", "一是公开栏更新不及时。", "无。"),
        table2=ProactiveFigures(normative_made=2, normative_in_force=9, licensing_decisions=14,
                                fee_amount=Decimal("3.20")),
        table3=tally_table3(apps, YEAR),
        table4=Table4(review=AppealCounts(upheld=1)),
        dated=date(2026, 1, 20), contact="云溪镇党政办（电话：0571-12345678）",
    )


def test_report_title_opening_and_json_round_trip():
    r = sample_report()
    assert r.title == "青山县云溪镇人民政府2025年政府信息公开工作年度报告"
    assert "本报告中所列数据统计期限为2025年1月1日至12月31日。" in r.opening
    assert r.opening.endswith("如对本报告有疑问，请与云溪镇党政办（电话：0571-12345678）联系。")
    data = json.loads(json.dumps(report_json(r), ensure_ascii=False))
    assert data["title"] == r.title
    assert [s["title"] for s in data["sections"]] == list(REFERENCE_SECTIONS)
    rows = {row["key"]: row for row in data["table3"]["rows"]}
    assert rows["3.3"]["labels"] == list(REFERENCE_TABLE3_ROWS[6])
    for row in TABLE3_ROWS:
        assert tuple(rows[row.key]["values"][c] for c in COLUMN_KEYS) == r.table3.row(row.key)
    assert [c["label"] for c in data["table3"]["columns"]] == REFERENCE_TABLE3_COLUMNS
    assert data["table2"]["rows"][5] == {"item": "第二十条第（八）项", "content": "行政事业性收费",
                                         "本年收费金额（单位：万元）": "3.2"}
    assert data["table4"]["numbers"] == [1, 0, 0, 0, 1] + [0] * 10
    assert data["table4"]["groups"][1]["label"] == "未经复议直接起诉"
    assert data["problems"] == []
    assert len(data["grids"]) == 3


def test_report_json_lists_problems_with_cells():
    r = sample_report()
    bad = AnnualReport(r.year, r.organ, r.texts, r.table2,
                       r.table3.with_cell("CARRIED", "PERSON", 99), r.table4)
    problems = report_json(bad)["problems"]
    assert problems[0]["cells"][0] == {"table": "表三", "row": "CARRIED", "column": "TOTAL"}


# ---- 一、总体情况 draft --------------------------------------------------------------------------


def test_draft_overview_says_what_the_figures_say():
    text = draft_overview(2025, OverviewFigures(
        notices=320, by_channel=(("公开栏", 200), ("门户网站", 150), ("微信公众号", 0)),
        by_category=(("财政资金", 40),), communities=11, boards=14, postings=260, taken_down=250,
        slips=300, requests_received=3, requests_carried=1, requests_answered=3,
        requests_on_time=3, appeals=0, spot_checks=132, assessments=4, trainings=2, trainees=45,
        accountability=0))
    lines = text.splitlines()
    assert [line[:3] for line in lines] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert "2025年，我镇" in lines[0]
    assert "全年共主动公开政府信息320条" in lines[0]
    assert "通过公开栏公开200条，门户网站公开150条" in lines[0]
    assert "微信公众号" not in lines[0]  # nothing published there
    assert "全年共收到政府信息公开申请3件，上年结转1件，办结3件，均在法定期限内答复，" \
        "结转下年度继续办理1件。" in lines[1]
    assert "《信息公开审批单》300份" in lines[2]
    assert "全镇11个社区（村）共设置政务（村务、居务）公开栏14个" in lines[3]
    assert "月抽查132次、季度考核4次" in lines[4]
    assert "参训45人次" in lines[4]
    assert "未发生因政府信息公开被申请行政复议、提起行政诉讼的情况" in lines[4]


def test_draft_overview_leaves_out_what_is_unknown():
    text = draft_overview(2024, OverviewFigures(place="乡", requests_received=0))
    assert "我乡" in text
    assert "全年未收到政府信息公开申请。" in text
    assert "（五）" not in text  # no supervision figure given: nothing claimed
    assert "培训" not in text and "None" not in text


def test_draft_overview_quotes_the_registers_in_the_seed_style():
    from govdesk.core.annual_report import RegisterFigures

    registers = RegisterFigures(
        interpretations=10, interpretation_forms=(("文字", 7), ("图解", 3)), opinions=5,
        opinions_closed=5, hotline_received=68, hotline_closed=66, hotline_on_time=60,
        hotline_channels=("51890热线", "书记信箱"), proposals=8, proposals_replied=8,
        proposal_kinds=(("人大代表建议", 8),), trainings=3, trainees=120,
        leading_group_meetings=2)
    text = draft_overview(2025, OverviewFigures(notices=320, registers=registers))
    lines = text.splitlines()
    assert "全年共发布政策解读信息10条（文字解读7条、图解3条）。" in lines[0]
    assert "全年共监测处置政务舆情5起，均已妥善处置。" in lines[0]
    assert "全年共受理“51890”热线、书记信箱等来件68件，办结66件，办结率97%，按时办结率91%。" \
        in lines[0]
    assert "全年共承办人大代表建议8件，已全部答复。" in lines[0]  # nobody rated: no 满意率
    assert "全年召开政务公开工作领导小组会议2次" in lines[-1]
    assert "组织政务公开业务培训3次，参训120人次" in lines[-1]
    # the office's entered training count wins over the register's
    entered = draft_overview(2025, OverviewFigures(trainings=0, registers=registers))
    assert "全年未单独组织政务公开业务培训" in entered and "培训3次" not in entered


def test_draft_overview_with_empty_registers_says_nothing_of_them():
    from govdesk.core.annual_report import RegisterFigures

    text = draft_overview(2025, OverviewFigures(notices=3, registers=RegisterFigures()))
    assert text == draft_overview(2025, OverviewFigures(notices=3))
    for word in ("政策解读", "舆情", "办结率", "建议", "培训", "0%"):
        assert word not in text


def test_a_hotline_with_nothing_closed_gives_no_rate():
    from govdesk.core.annual_report import RegisterFigures, hotline_sentence

    assert hotline_sentence(RegisterFigures(hotline_received=2, hotline_channels=("12345热线",))) \
        == "全年共受理“12345”热线来件2件，目前均在办理中。"
    late = RegisterFigures(hotline_received=2, hotline_closed=2, hotline_on_time=0,
                           hotline_channels=("市长信箱",))
    assert hotline_sentence(late) == "全年共受理市长信箱来件2件，办结2件，办结率100%。"
