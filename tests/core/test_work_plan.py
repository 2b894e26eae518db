"""The work plan's rules (core.work_plan): due within 15 days, overdue through the WorkCalendar,
state transitions, copying last year's plan (29 February), what each unit owes."""

from __future__ import annotations

import calendar as std_calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdesk.core.calendar import WorkCalendar
from govdesk.core.errors import UserError
from govdesk.core.work_plan import (
    DUE_SOON_DAYS,
    Deadline,
    PlanSection,
    PlanTask,
    TaskInput,
    TaskState,
    WorkPlan,
    allowed_states,
    check_transition,
    copied_plan,
    due_soon,
    effective_due,
    is_due_soon,
    is_overdue,
    open_tasks_by_owner,
    overdue,
    plan_document,
    section_number,
    shift_date,
    task_problems,
)

CAL = WorkCalendar()
days = st.dates(date(2005, 1, 1), date(2026, 12, 31))
states = st.sampled_from(list(TaskState))


def task(on: date | None = None, state: TaskState = TaskState.NOT_STARTED, **kw) -> PlanTask:
    deadline = Deadline(on=on) if on else Deadline(wording="长期坚持")
    return PlanTask(id=kw.pop("id", 1), section_id=kw.pop("section_id", 1), seq=1,
                    text="公开扶贫政策", deadline=deadline, state=state, **kw)


@given(due=days, today=days, state=states)
def test_overdue_means_open_and_past_the_effective_due_date(due, today, state):
    t = task(due, state)
    end = effective_due(t.deadline, CAL)
    assert end >= due and CAL.is_workday(end)
    # every day strictly between the date and its effective end is a day off
    assert all(not CAL.is_workday(due + timedelta(i)) for i in range((end - due).days))
    assert is_overdue(t, today, CAL) == (state in (TaskState.NOT_STARTED, TaskState.IN_PROGRESS)
                                         and today > end)


@given(due=days, today=days, state=states)
def test_due_soon_is_a_window_of_15_calendar_days(due, today, state):
    t = task(due, state)
    soon = is_due_soon(t, today)
    assert soon == (t.is_open and 0 <= (due - today).days <= DUE_SOON_DAYS)
    # never both: the lists the dashboard shows are disjoint
    assert not (t in due_soon([t], today, CAL) and t in overdue([t], today, CAL))


@given(today=days, state=states)
def test_a_wording_deadline_is_never_due_or_overdue(today, state):
    t = task(None, state)
    assert not is_overdue(t, today, CAL) and not is_due_soon(t, today)


def test_a_deadline_on_a_holiday_runs_to_the_next_working_day():
    # 2025-10-01..08 国庆/中秋; 2025-10-11 (Saturday) is a 调休 working day
    t = task(date(2025, 10, 3))
    assert effective_due(t.deadline, CAL) == date(2025, 10, 9)
    assert not is_overdue(t, date(2025, 10, 9), CAL)
    assert is_overdue(t, date(2025, 10, 10), CAL)
    # a due date on a working day is itself
    assert not is_overdue(task(date(2025, 11, 20)), date(2025, 11, 20), CAL)
    assert is_overdue(task(date(2025, 11, 20)), date(2025, 11, 21), CAL)


def test_due_soon_and_overdue_lists_sorted():
    today = date(2025, 11, 20)
    tasks = [task(date(2025, 12, 5), id=1), task(date(2025, 11, 21), id=2),
             task(date(2025, 12, 6), id=3), task(date(2025, 11, 1), id=4),
             task(date(2025, 10, 9), id=5), task(date(2025, 11, 25), TaskState.DONE, id=6)]
    assert [t.id for t in due_soon(tasks, today, CAL)] == [2, 1]
    assert [t.id for t in overdue(tasks, today, CAL)] == [5, 4]


def test_transitions():
    assert allowed_states(TaskState.NOT_STARTED) == (TaskState.IN_PROGRESS, TaskState.DONE,
                                                     TaskState.NOT_DONE)
    assert allowed_states(TaskState.DONE) == (TaskState.IN_PROGRESS,)
    assert check_transition(TaskState.IN_PROGRESS, TaskState.DONE, " 多余 ") == ""
    assert check_transition(TaskState.IN_PROGRESS, TaskState.NOT_DONE, " 经费未落实 ") == "经费未落实"
    with pytest.raises(UserError, match="请填写原因"):
        check_transition(TaskState.IN_PROGRESS, TaskState.NOT_DONE, "  ")
    with pytest.raises(UserError, match="已是"):
        check_transition(TaskState.DONE, TaskState.DONE, "")
    with pytest.raises(UserError, match="不能改为“未开始”"):
        check_transition(TaskState.IN_PROGRESS, TaskState.NOT_STARTED, "")


@given(old=states, new=states)
def test_no_way_back_to_not_started_and_not_done_always_has_a_reason(old, new):
    try:
        reason = check_transition(old, new, "原因")
    except UserError:
        assert new is old or new is TaskState.NOT_STARTED or new not in allowed_states(old)
        return
    assert new is not TaskState.NOT_STARTED and new is not old
    assert (reason == "原因") == (new is TaskState.NOT_DONE)


@given(d=days, years=st.integers(-5, 5))
def test_shift_date_keeps_month_and_day_and_the_end_of_february(d, years):
    moved = shift_date(d, years)
    assert moved.year == d.year + years and moved.month == d.month
    last_feb = d.month == 2 and d.day == std_calendar.monthrange(d.year, 2)[1]
    if last_feb:
        assert moved.day == std_calendar.monthrange(moved.year, 2)[1]
    else:
        assert moved.day == d.day
    if not last_feb and years:
        assert shift_date(moved, -years) == d  # reversible except the end of February


def test_29_february():
    assert shift_date(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert shift_date(date(2025, 2, 28), 3) == date(2028, 2, 29)
    assert shift_date(date(2024, 2, 28), 1) == date(2025, 2, 28)


@given(dates=st.lists(st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2024, 12, 31))),
                      min_size=1, max_size=8),
       state=states, to_year=st.integers(2025, 2030))
def test_copied_plan_same_tasks_dates_moved_states_reset(dates, state, to_year):
    plan = WorkPlan(7, 2024, "青山镇2024年政务公开工作实施方案", "根据（青政办〔2024〕3号）……")
    sections = [PlanSection(2, 7, 2, "围绕民生改善推进公开"), PlanSection(1, 7, 1, "围绕深化改革")]
    tasks = [task(d, state, id=i, section_id=1 + i % 2, unit_ids=(1, 2), category_id=7,
                  reason="原因" if state is TaskState.NOT_DONE else "")
             for i, d in enumerate(dates)]
    title, intro, drafts = copied_plan(plan, sections, tasks, to_year)
    assert title == f"青山镇{to_year}年政务公开工作实施方案"
    assert intro == plan.intro  # the 文号 it quotes keep their year
    assert [d.title for d in drafts] == ["围绕深化改革", "围绕民生改善推进公开"]
    copied = [t for d in drafts for t in d.tasks]
    assert len(copied) == len(tasks)
    originals = sorted(tasks, key=lambda t: (t.section_id, t.seq, t.id))
    for new, old in zip(copied, originals, strict=True):
        assert isinstance(new, TaskInput)  # no state, reason, notes or evidence
        assert (new.text, new.unit_ids, new.category_id) == (old.text, old.unit_ids, 7)
        if old.deadline.on is None:
            assert new.deadline == old.deadline
        else:
            assert new.deadline.on == shift_date(old.deadline.on, to_year - 2024)
            assert new.deadline.on.year == to_year


def test_copy_to_the_same_year_refused():
    with pytest.raises(UserError):
        copied_plan(WorkPlan(1, 2025, "2025年方案"), [], [], 2025)


def test_open_tasks_by_owner():
    tasks = [task(None, id=1, unit_ids=(1,), owner_names=("党政办",)),
             task(None, id=2, all_units=True),
             task(None, TaskState.DONE, id=3, unit_ids=(2,)),
             task(None, id=4, community_ids=(5,)),
             task(None, id=5, all_communities=True)]
    owed = open_tasks_by_owner(tasks, {1: "党政办", 2: "民政办"}, {5: "柳河村", 6: "云溪社区"})
    assert {k: [t.id for t in v] for k, v in owed.items()} == {
        "党政办": [1, 2], "民政办": [2], "柳河村": [4, 5], "云溪社区": [5]}


def test_task_problems_and_deadline_parsing():
    ok = TaskInput("公开低保信息", Deadline(on=date(2026, 6, 30)), unit_ids=(1,))
    assert task_problems(ok, 2026) == []
    assert task_problems(ok, 2027) == ["完成时限2026年6月30日不在2027年度内"]
    bad = TaskInput(" ", Deadline(wording="每季度"))
    assert task_problems(bad, 2026) == ["请填写工作任务", "请至少选择一个责任单位"]
    assert Deadline.parse("2026年6月30日") == Deadline(on=date(2026, 6, 30))
    assert Deadline.parse("2026-06-30").text == "2026年6月30日"
    assert Deadline.parse(" 每季度 ") == Deadline(wording="每季度")
    with pytest.raises(UserError, match="不是有效日期"):
        Deadline.parse("2026-02-30")
    with pytest.raises(ValueError):
        Deadline(on=date(2026, 1, 1), wording="长期坚持")


def test_plan_document_numbers_sections_and_tasks():
    plan = WorkPlan(1, 2026, "方案", "第一段\n\n第二段")
    sections = [PlanSection(1, 1, 1, "甲")] + [PlanSection(i, 1, i, f"S{i}") for i in range(2, 13)]
    tasks = [task(date(2026, 3, 1), id=1, owner_names=("党政办",), all_communities=True),
             task(None, id=2)]
    doc = plan_document(plan, sections, tasks, issuer="某镇人民政府")
    assert doc.intro == ("第一段", "第二段")
    assert doc.sections[0].heading == "一、甲"
    assert [(r.number, r.responsible, r.deadline) for r in doc.sections[0].rows] == [
        ("1", "党政办、各村（社区）", "2026年3月1日"), ("2", "", "长期坚持")]
    assert [section_number(i) for i in (10, 11, 12, 20, 21)] == ["十", "十一", "十二", "二十",
                                                                 "二十一"]
