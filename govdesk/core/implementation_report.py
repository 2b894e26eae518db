"""The year-end 落实情况 report of the work plan (issue 8 §3), in the shape of seed 000:
a title "××镇2025年政务公开工作实施方案落实情况", the opening "现将…落实情况汇报如下：",
一、概述, 二、实施措施 (one （一）… per plan section, and under it what was done for each task —
"一是…。二是…。" — from its progress notes, state and linked notices, with the registers'
figures where they belong), 三、存在的主要问题及改进措施, and an appendix table listing every
task's outcome (工作任务 | 责任单位 | 完成情况).

Pure: the operations layer gives the plan, each task's notes and evidence counts
(:class:`TaskRecord`) and the registers' counts (core.annual_report.RegisterFigures); this
module drafts the three texts and merges the office's saved texts over them.

Decisions:

* The three texts (概述, 实施措施, 存在的主要问题及改进措施) are editable; the opening sentence
  and the appendix table are not — the table is the record of the plan's tasks as tracked.
* A register figure goes under the first task whose text is about it (解读 → 政策解读 count by
  form; 舆情/回应关切 → 舆情 and 热线 办结率; 建议/提案 → 建议提案; 培训 → trainings;
  领导小组/组织领导 → meetings); when no task is about it, under the first section whose title is,
  else at the end of 概述. A figure with no records is not said (never "0件", never "0%").
* The default 存在的主要问题 is drawn from the tasks marked 未完成 (with their 原因) and the tasks
  still open; with none, the usual general shortcomings of a township office, to be edited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from govdesk.core.annual_report import (
    RegisterFigures,
    hotline_sentence,
    interpretation_sentence,
    meeting_phrase,
    opinion_sentence,
    proposal_sentence,
    training_phrase,
)
from govdesk.core.documents import cn_date
from govdesk.core.work_plan import (
    PlanSection,
    PlanTask,
    ProgressNote,
    TaskState,
    WorkPlan,
    section_number,
)

__all__ = [
    "APPENDIX_HEADERS",
    "PART_TITLES",
    "TEXT_KEYS",
    "AppendixRow",
    "ImplementationReport",
    "TaskRecord",
    "build_report",
    "draft_texts",
    "outcome_text",
    "report_title",
]

PART_TITLES = ("一、概述", "二、实施措施", "三、存在的主要问题及改进措施")
TEXT_KEYS = ("overview", "measures", "problems")  # the three editable texts, in order
APPENDIX_HEADERS = ("工作任务", "责任单位", "完成情况")
ORDINALS = "一二三四五六七八九十"
LEAD_MAX = 30  # characters of a task's text used as its lead ("一是推进扶贫工作信息公开。")


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """One task as tracked through the year."""

    task: PlanTask
    notes: tuple[ProgressNote, ...] = ()
    linked_notices: int = 0  # notices linked as evidence
    attachments: int = 0  # files attached as evidence
    published: int | None = None  # notices published in the year under its category


@dataclass(frozen=True, slots=True)
class AppendixRow:
    number: str  # "1.2": section 1, task 2
    section: str
    text: str
    responsible: str
    outcome: str


@dataclass(frozen=True, slots=True)
class ImplementationReport:
    year: int
    title: str
    opening: str
    texts: tuple[str, str, str]  # 概述, 实施措施, 存在的主要问题及改进措施
    appendix_title: str
    appendix: tuple[tuple[str, tuple[AppendixRow, ...]], ...]  # (section heading, rows)
    issuer: str = ""
    dated: date | None = None
    sources: tuple[str, str, str] = ("draft", "draft", "draft")  # "saved" or "draft"

    @property
    def date_text(self) -> str:
        return cn_date(self.dated) if self.dated else ""

    @property
    def note(self) -> str:  # no 附注 (read by the shared closing layouts)
        return ""

    @property
    def task_count(self) -> int:
        return sum(len(rows) for _, rows in self.appendix)


def report_title(plan: WorkPlan, township: str) -> str:
    """Seed 000: "宝山镇2017年政务公开工作实施方案落实情况" — the plan's title with 落实情况."""
    title = plan.title.strip()
    if title.endswith(("实施方案", "工作要点", "工作方案")) and str(plan.year) in title:
        return f"{title}落实情况"
    return f"{township}{plan.year}年政务公开工作实施方案落实情况"


def outcome_text(task: PlanTask) -> str:
    """完成情况 in the appendix: 已完成 / 推进中 / 未开始 / 未完成（原因：…）."""
    if task.state is TaskState.NOT_DONE:
        return f"未完成（原因：{task.reason.strip().rstrip('。')}）"
    return task.state.value


def _lead(text: str) -> str:
    """The task's first clause, as the "一是…" lead of its paragraph."""
    first = text.strip()
    for mark in ("。", "；", ";", "：", ":"):
        first = first.split(mark)[0]
    first = first.strip().rstrip("，,、")
    comma = first.find("，")
    if comma >= 4:  # "积极回应社会关切，做好政务舆情监测" → 积极回应社会关切
        first = first[:comma]
    if len(first) > LEAD_MAX:
        cut = max(first.rfind("，", 0, LEAD_MAX), first.rfind("、", 0, LEAD_MAX))
        first = first[:cut] if cut >= 8 else first[:LEAD_MAX]
    return first


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "”", "）")) else text + "。"


def _ordinal(i: int) -> str:
    return section_number(i) if i > len(ORDINALS) else ORDINALS[i - 1]


# ---- where the register figures go -----------------------------------------------------------

# figure key → words that mark a task (or section) as being about it, most specific first
_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("interpretation", ("政策解读", "解读")),
    ("opinion", ("舆情", "回应社会关切", "回应关切", "回应")),
    ("proposal", ("建议提案", "建议和提案", "提案", "代表建议")),
    ("training", ("培训",)),
    ("meeting", ("领导小组", "组织领导", "加强领导")),
)


def _figure_sentences(figures: RegisterFigures) -> dict[str, str]:
    out = {
        "interpretation": interpretation_sentence(figures),
        "opinion": opinion_sentence(figures) + hotline_sentence(figures),
        "proposal": proposal_sentence(figures),
        "training": (f"全年{training_phrase(figures)}。" if training_phrase(figures) else ""),
        "meeting": (f"全年{meeting_phrase(figures)}，研究部署政务公开重点工作。"
                    if meeting_phrase(figures) else ""),
    }
    return {k: v for k, v in out.items() if v}


def _place_figures(sections: Sequence[PlanSection], records: Sequence[TaskRecord],
                   sentences: Mapping[str, str]) -> tuple[dict[int, list[str]],
                                                          dict[int, list[str]], list[str]]:
    """(task id → sentences, section id → sentences, left over for 概述)."""
    by_task: dict[int, list[str]] = {}
    by_section: dict[int, list[str]] = {}
    left: list[str] = []
    for key, words in _TOPICS:
        sentence = sentences.get(key)
        if not sentence:
            continue
        task = next((r.task for w in words for r in records if w in r.task.text), None)
        if task is not None:
            by_task.setdefault(task.id, []).append(sentence)
            continue
        section = next((s for w in words for s in sections if w in s.title), None)
        if section is not None:
            by_section.setdefault(section.id, []).append(sentence)
        else:
            left.append(sentence)
    return by_task, by_section, left


# ---- the drafts -------------------------------------------------------------------------------


def _task_paragraph(i: int, record: TaskRecord, figures: Sequence[str]) -> str:
    task = record.task
    parts = [f"{_ordinal(i)}是{_lead(task.text)}。"]
    notes = sorted(record.notes, key=lambda n: (n.on, n.id))
    parts += [_sentence(n.text) for n in notes]
    counts = []
    if record.published:
        counts.append(f"全年在{task.category or '相关'}栏目公开信息{record.published}条")
    if record.linked_notices:
        counts.append(f"形成公开信息佐证{record.linked_notices}条")
    if counts:
        parts.append("，".join(counts) + "。")
    parts += list(figures)
    if task.state is TaskState.DONE:
        if not notes and not counts and not figures:
            parts.append("已按方案要求完成。")
    elif task.state is TaskState.IN_PROGRESS:
        parts.append("该项工作正在持续推进。")
    elif task.state is TaskState.NOT_STARTED:
        parts.append("该项工作尚未开展。")
    else:
        parts.append(f"因{task.reason.strip().rstrip('。')}，该项任务未能按期完成。")
    return "".join(parts)


def _tally(records: Sequence[TaskRecord]) -> dict[TaskState, int]:
    return {s: sum(r.task.state is s for r in records) for s in TaskState}


def _overview(plan: WorkPlan, place: str, sections: Sequence[PlanSection],
              records: Sequence[TaskRecord], left: Sequence[str]) -> str:
    we = f"我{place}"
    n = _tally(records)
    scope = (f"确定的{len(sections)}个方面{len(records)}项工作任务，明确责任单位和完成时限，"
             if records else "的部署，")
    text = (f"{plan.year}年，{we}全面贯彻落实《条例》和上级政务公开工作要点部署，按照"
            f"《{plan.title.strip()}》{scope}逐项推进落实，不断提升主动公开信息质量，加大重点领域信息公开"
            "力度，做好政策解读和回应关切，努力保障人民群众的知情权、参与权、表达权和监督权。")
    states = [f"已完成{n[TaskState.DONE]}项"] if n[TaskState.DONE] else []
    if n[TaskState.IN_PROGRESS]:
        states.append(f"正在推进{n[TaskState.IN_PROGRESS]}项")
    if n[TaskState.NOT_STARTED]:
        states.append(f"尚未开展{n[TaskState.NOT_STARTED]}项")
    if n[TaskState.NOT_DONE]:
        states.append(f"未能按期完成{n[TaskState.NOT_DONE]}项")
    if records and n[TaskState.DONE] == len(records):
        text += f"{len(records)}项任务已全部完成。"
    elif states:
        text += f"截至目前，{len(records)}项任务中" + "，".join(states) + "。"
    return text + "".join(left)


def _measures(sections: Sequence[PlanSection], records: Sequence[TaskRecord],
              by_task: Mapping[int, list[str]], by_section: Mapping[int, list[str]]) -> str:
    lines = []
    for i, section in enumerate(sorted(sections, key=lambda s: (s.seq, s.id)), 1):
        lines.append(f"（{section_number(i)}）{section.title}")
        own = sorted((r for r in records if r.task.section_id == section.id),
                     key=lambda r: (r.task.seq, r.task.id))
        for n, record in enumerate(own, 1):
            lines.append(_task_paragraph(n, record, by_task.get(record.task.id, ())))
        if by_section.get(section.id):
            lines.append("".join(by_section[section.id]))
        if not own and not by_section.get(section.id):
            lines.append("本方面未安排具体工作任务。")
    return "\n".join(lines)


def _problems(plan: WorkPlan, place: str, records: Sequence[TaskRecord]) -> str:
    we = f"我{place}"
    not_done = [r.task for r in records if r.task.state is TaskState.NOT_DONE]
    still_open = [r.task for r in records if r.task.is_open]
    issues = []
    for task in not_done:
        issues.append(f"“{_lead(task.text)}”未能按期完成，原因是{task.reason.strip().rstrip('。')}")
    if still_open:
        names = "、".join(f"“{_lead(t.text)}”" for t in still_open[:3])
        more = f"等{len(still_open)}项" if len(still_open) > 3 else ""
        issues.append(f"{names}{more}工作仍在推进，尚未完成")
    if not issues:
        issues = ["主动公开信息的全面性和时效性还需进一步提高",
                  "政策解读的形式还不够丰富，图解、音视频等解读偏少",
                  "村（社区）政务公开工作人员变动较多，业务能力有待加强"]
    numbered = "；".join(f"{_ordinal(i)}是{t}" for i, t in enumerate(issues, 1))
    lines = [f"{plan.year}年，{we}政务公开工作取得了新的进展，但对照实施方案和群众期待，"
             f"还存在一些差距和不足：{numbered}。今后，{we}将采取以下措施积极改进：",
             "（一）加强组织领导，压实工作责任。对未完成和仍在推进的任务逐项明确责任单位和完成时限，"
             "跟踪督办、按期销号，确保实施方案确定的各项任务落到实处。",
             "（二）突出公开重点，提升公开质量。围绕群众关心关注的重点领域，及时、准确、全面公开政府"
             "信息，做好政策解读和回应关切，提高公开实效。",
             "（三）加强队伍建设，强化监督考核。定期组织政务公开业务培训，将政务公开工作纳入年度考核，"
             "对各部门、各村（社区）公开情况开展督查，督促及时更新公开信息。"]
    return "\n".join(lines)


def draft_texts(plan: WorkPlan, sections: Sequence[PlanSection], records: Sequence[TaskRecord],
                figures: RegisterFigures, *, place: str = "镇") -> tuple[str, str, str]:
    """The drafted 概述, 实施措施 and 存在的主要问题及改进措施 (lines starting （一）… are
    level-2 headings)."""
    by_task, by_section, left = _place_figures(sections, records, _figure_sentences(figures))
    return (_overview(plan, place, sections, records, left),
            _measures(sections, records, by_task, by_section),
            _problems(plan, place, records))


def build_report(plan: WorkPlan, sections: Sequence[PlanSection],
                 records: Sequence[TaskRecord], figures: RegisterFigures, *,
                 township: str, place: str = "镇", issuer: str = "",
                 dated: date | None = None,
                 saved: Mapping[str, str | None] | None = None) -> ImplementationReport:
    """The report: the office's saved texts where there are any (by :data:`TEXT_KEYS`; None or
    blank means "use the draft"), the drafts elsewhere, and every task in the appendix."""
    drafts = draft_texts(plan, sections, records, figures, place=place)
    saved = saved or {}
    texts, sources = [], []
    for key, draft in zip(TEXT_KEYS, drafts, strict=True):
        own = (saved.get(key) or "").strip()
        texts.append(own or draft)
        sources.append("saved" if own else "draft")
    appendix = []
    ordered = sorted(sections, key=lambda s: (s.seq, s.id))
    for i, section in enumerate(ordered, 1):
        own = sorted((r.task for r in records if r.task.section_id == section.id),
                     key=lambda t: (t.seq, t.id))
        heading = f"{section_number(i)}、{section.title}"
        appendix.append((heading, tuple(
            AppendixRow(str(n), heading, t.text, t.responsible, outcome_text(t))
            for n, t in enumerate(own, 1))))
    opening = ("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和各级政务公开工作要点精神，"
               f"以及《{plan.title.strip()}》工作要求，现将{plan.year}年政务公开工作实施方案落实情况"
               "汇报如下：")
    return ImplementationReport(
        year=plan.year, title=report_title(plan, township), opening=opening,
        texts=(texts[0], texts[1], texts[2]),
        appendix_title=f"{plan.year}年政务公开工作任务落实情况表",
        appendix=tuple(appendix), issuer=issuer, dated=dated,
        sources=(sources[0], sources[1], sources[2]))
