"""The 落实情况 report's draft (core.implementation_report): seed 000's shape, every task once
in the appendix, register figures under the task they belong to, never "0件" or "0%"."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from govdesk.core.annual_report import (
    RegisterFigures,
    hotline_sentence,
    interpretation_sentence,
    proposal_sentence,
)
from govdesk.core.implementation_report import (
    PART_TITLES,
    TaskRecord,
    build_report,
    outcome_text,
    report_title,
)
from govdesk.core.work_plan import (
    Deadline,
    PlanSection,
    PlanTask,
    ProgressNote,
    TaskState,
    WorkPlan,
)

# "0件", "0%", "0次", "0条", "0起" as a count of its own (not the 0 of 10件 or 90%)
ZERO = re.compile(r"(?<![\d.])0(?:\.0+)?(?:件|%|次|条|起|人次|项)")
PLAN = WorkPlan(1, 2025, "云溪镇2025年政务公开工作实施方案")
SECTIONS = [PlanSection(10, 1, 1, "围绕民生改善推进公开"),
            PlanSection(11, 1, 2, "围绕扩大政务参与加强解读回应"),
            PlanSection(12, 1, 3, "围绕增强公开实效加强能力建设")]
FIGURES = RegisterFigures(
    interpretations=10, interpretation_forms=(("文字", 6), ("图解", 3), ("音视频", 1)),
    opinions=5, opinions_closed=5, hotline_received=68, hotline_closed=66, hotline_on_time=63,
    hotline_channels=("51890热线", "书记信箱"), proposals=8, proposals_replied=8,
    proposal_kinds=(("人大代表建议", 5), ("政协委员提案", 3)), proposals_satisfied=8,
    proposals_rated=8, trainings=3, trainees=126, leading_group_meetings=2)


def task(tid: int, section: int, seq: int, text: str, state=TaskState.DONE, reason="",
         owners=("党政办",), category="") -> PlanTask:
    return PlanTask(tid, section, seq, text, Deadline(on=date(2025, 12, 31)), unit_ids=(1,),
                    state=state, reason=reason, owner_names=owners, category=category)


RECORDS = [
    TaskRecord(task(1, 10, 1, "推进社会救助信息公开：公开低保、特困救助金发放情况", owners=("民政办",),
                    category="社会救助"),
               notes=(ProgressNote(1, 1, date(2025, 4, 2), "每月在各村公开栏公示低保名单"),),
               linked_notices=3, published=24),
    TaskRecord(task(2, 10, 2, "推进农村危房改造信息公开", TaskState.NOT_DONE,
                    reason="县级补助资金下达推迟", owners=("城建办",))),
    TaskRecord(task(3, 11, 1, "主动做好政策解读：及时发布重要政策解读", owners=("党政办", "宣传组"))),
    TaskRecord(task(4, 11, 2, "积极回应社会关切，做好政务舆情监测、回应工作",
                    TaskState.IN_PROGRESS, owners=("宣传组",))),
    TaskRecord(task(5, 12, 1, "定期组织政务公开经办人员参加业务培训")),
]


def report(**kw):
    return build_report(PLAN, SECTIONS, RECORDS, FIGURES, township="云溪镇",
                        issuer="青山县云溪镇人民政府", dated=date(2026, 1, 10), **kw)


def test_title_and_opening_as_seed_000():
    r = report()
    assert r.title == "云溪镇2025年政务公开工作实施方案落实情况"
    assert report_title(WorkPlan(1, 2025, "工作安排"), "云溪镇") == \
        "云溪镇2025年政务公开工作实施方案落实情况"
    assert r.opening.startswith("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）")
    assert r.opening.endswith("现将2025年政务公开工作实施方案落实情况汇报如下：")
    assert PART_TITLES == ("一、概述", "二、实施措施", "三、存在的主要问题及改进措施")


def test_overview_counts_the_tasks():
    overview = report().texts[0]
    assert "《云溪镇2025年政务公开工作实施方案》确定的3个方面5项工作任务" in overview
    assert "截至目前，5项任务中已完成3项，正在推进1项，未能按期完成1项。" in overview


def test_measures_by_section_with_notes_counts_and_figures_where_they_belong():
    lines = report().texts[1].splitlines()
    assert lines[0] == "（一）围绕民生改善推进公开"
    assert lines[1].startswith("一是推进社会救助信息公开。每月在各村公开栏公示低保名单。")
    assert "全年在社会救助栏目公开信息24条，形成公开信息佐证3条。" in lines[1]
    assert lines[2] == "二是推进农村危房改造信息公开。因县级补助资金下达推迟，该项任务未能按期完成。"
    assert lines[3] == "（二）围绕扩大政务参与加强解读回应"
    # 政策解读 under the 解读 task; 舆情 and 热线 under 回应关切
    assert "全年共发布政策解读信息10条（文字解读6条、图解3条、音视频解读1条）。" in lines[4]
    assert "全年共监测处置政务舆情5起，均已妥善处置。" in lines[5]
    assert "来件68件，办结66件，办结率97%" in lines[5]
    assert "“51890”热线" in lines[5]
    assert lines[5].endswith("该项工作正在持续推进。")
    assert "组织政务公开业务培训3次，参训126人次" in lines[7]
    # no task about 建议提案 or 领导小组: by section title, else in the 概述
    overview = report().texts[0]
    assert "全年共承办人大代表建议5件、政协委员提案3件，已全部答复，满意率100%。" in overview
    assert "政务公开工作领导小组会议2次" in overview


def test_problems_drawn_from_unfinished_tasks():
    problems = report().texts[2]
    assert "“推进农村危房改造信息公开”未能按期完成，原因是县级补助资金下达推迟" in problems
    assert "“积极回应社会关切”工作仍在推进" in problems
    assert "（一）加强组织领导" in problems


def test_saved_texts_replace_the_drafts_and_blank_means_draft():
    r = report(saved={"overview": "办公室改写的概述。", "measures": "  ", "problems": None})
    assert r.texts[0] == "办公室改写的概述。"
    assert r.sources == ("saved", "draft", "draft")
    assert r.texts[1].startswith("（一）围绕民生改善推进公开")


def test_appendix_lists_outcomes():
    r = report()
    assert [h for h, _ in r.appendix] == ["一、围绕民生改善推进公开", "二、围绕扩大政务参与加强解读回应",
                                          "三、围绕增强公开实效加强能力建设"]
    row = r.appendix[0][1][1]
    assert (row.number, row.responsible, row.outcome) == (
        "2", "城建办", "未完成（原因：县级补助资金下达推迟）")
    assert outcome_text(RECORDS[3].task) == "推进中"
    assert r.task_count == 5


def test_empty_registers_say_nothing():
    r = build_report(PLAN, SECTIONS, RECORDS, RegisterFigures(), township="云溪镇")
    text = "\n".join(r.texts)
    assert "政策解读信息" not in text and "舆情" not in text.replace("政务舆情监测", "")
    assert not ZERO.search(text)


# ---- rules ------------------------------------------------------------------------------------

states = st.sampled_from(list(TaskState))


@st.composite
def plans(draw):
    n_sections = draw(st.integers(1, 4))
    sections = [PlanSection(100 + i, 1, i, f"板块{i}") for i in range(n_sections)]
    records = []
    for tid in range(draw(st.integers(0, 12))):
        state = draw(states)
        records.append(TaskRecord(task(
            tid + 1, 100 + draw(st.integers(0, n_sections - 1)), draw(st.integers(1, 5)),
            draw(st.sampled_from(["公开预决算", "做好政策解读", "回应社会关切", "组织培训", "其他任务"]))
            + str(tid), state, reason="原因" if state is TaskState.NOT_DONE else "")))
    return sections, records


counts = st.integers(0, 80)


@st.composite
def figures(draw):
    received, opinions, proposals, rated = draw(counts), draw(counts), draw(counts), draw(counts)
    closed = draw(st.integers(0, received))
    replied = draw(st.integers(0, proposals))
    rated = min(rated, replied)
    return RegisterFigures(
        interpretations=draw(counts), interpretation_forms=(("文字", draw(counts)),),
        opinions=opinions, opinions_closed=draw(st.integers(0, opinions)),
        hotline_received=received, hotline_closed=closed,
        hotline_on_time=draw(st.integers(0, closed)), hotline_channels=("12345热线",),
        proposals=proposals, proposals_replied=replied,
        proposal_kinds=(("人大代表建议", proposals),), proposals_rated=rated,
        proposals_satisfied=draw(st.integers(0, rated)), trainings=draw(counts),
        trainees=draw(counts), leading_group_meetings=draw(counts))


@settings(max_examples=80, deadline=None)
@given(plans(), figures())
def test_every_task_listed_exactly_once_and_never_zero_percent(plan, f):
    sections, records = plan
    r = build_report(PLAN, sections, records, f, township="云溪镇")
    listed = [row.text for _, rows in r.appendix for row in rows]
    assert sorted(listed) == sorted(rec.task.text for rec in records)
    text = "\n".join(r.texts)
    assert not ZERO.search(text)
    assert "None" not in text


@settings(max_examples=200, deadline=None)
@given(figures())
def test_sentences_never_say_zero(f):
    for sentence in (hotline_sentence(f), proposal_sentence(f), interpretation_sentence(f)):
        assert not ZERO.search(sentence), sentence
