"""行政复议 / 行政诉讼 cases about the office's 政府信息公开 work (issue 6, item 4): the register
that 年报 表四 is counted from (core.annual_report.tally_table4 reads them as AppealFact).

A case is filed (申请复议 / 起诉) on a day and, once decided, has a result and the day of the
decision: 尚未审结 exactly while there is no decision date (the table's CHECK says the same).
It usually concerns one application (request_id), but a case about the office's disclosure
work in general (e.g. 主动公开) is kept without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from govdesk.core.annual_report import AppealFact, AppealKind, AppealResult
from govdesk.core.errors import UserError

__all__ = ["ReviewCase", "ReviewCaseInput", "pending_in"]

MAX_TEXT = 200
MAX_NOTE = 2000


@dataclass(frozen=True, slots=True)
class ReviewCaseInput:
    """What the clerk types for a case (新增 / 修改)."""

    kind: AppealKind
    filed_on: date
    result: AppealResult = AppealResult.PENDING
    decided_on: date | None = None
    authority: str = ""  # 复议机关 or 人民法院
    case_number: str = ""  # 案号, e.g. 青政复〔2025〕12号 / （2025）青0102行初45号
    note: str = ""
    request_id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", AppealKind(self.kind))
        object.__setattr__(self, "result", AppealResult(self.result))

    def problems(self) -> list[UserError]:
        """Every problem of the input, each naming its field."""
        out: list[UserError] = []
        pending = self.result is AppealResult.PENDING
        if pending and self.decided_on is not None:
            out.append(UserError("尚未审结的案件不填审结日期；已审结的请选择审理结果",
                                 field="审结日期"))
        if not pending and self.decided_on is None:
            out.append(UserError(f"审理结果为“{self.result.value}”的案件请填写审结日期",
                                 field="审结日期"))
        if self.decided_on is not None and self.decided_on < self.filed_on:
            out.append(UserError(
                f"审结日期（{_cn(self.decided_on)}）不能早于立案日期（{_cn(self.filed_on)}）",
                field="审结日期"))
        for value, label in ((self.authority, "复议机关或法院"), (self.case_number, "案号")):
            if len(value.strip()) > MAX_TEXT:
                out.append(UserError(f"{label}最多{MAX_TEXT}个字", field=label))
        if len(self.note.strip()) > MAX_NOTE:
            out.append(UserError(f"备注最多{MAX_NOTE}个字", field="备注"))
        return out

    def cleaned(self) -> ReviewCaseInput:
        return ReviewCaseInput(kind=self.kind, filed_on=self.filed_on, result=self.result,
                               decided_on=self.decided_on, authority=self.authority.strip(),
                               case_number=self.case_number.strip(), note=self.note.strip(),
                               request_id=self.request_id)


@dataclass(frozen=True, slots=True)
class ReviewCase:
    """A stored case (table ``review_case``)."""

    id: int
    kind: AppealKind
    filed_on: date
    result: AppealResult = AppealResult.PENDING
    decided_on: date | None = None
    authority: str = ""
    case_number: str = ""
    note: str = ""
    request_id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", AppealKind(self.kind))
        object.__setattr__(self, "result", AppealResult(self.result))

    @property
    def is_pending(self) -> bool:
        return self.result is AppealResult.PENDING

    def as_input(self) -> ReviewCaseInput:
        return ReviewCaseInput(kind=self.kind, filed_on=self.filed_on, result=self.result,
                               decided_on=self.decided_on, authority=self.authority,
                               case_number=self.case_number, note=self.note,
                               request_id=self.request_id)

    def fact(self) -> AppealFact:
        """The case as 表四 counts it."""
        return AppealFact(self.kind, self.filed_on, self.result, self.decided_on,
                          ref=self.case_number)

    def describe(self) -> str:
        """Names the case in a message: “行政复议 青政复〔2025〕12号”."""
        return f"{self.kind.value} {self.case_number or _cn(self.filed_on) + '立案'}"


def pending_in(case: ReviewCase | ReviewCaseInput, year: int) -> bool:
    """Whether ``case`` was before the authority at some time in ``year`` (filed by 31
    December, not decided before 1 January): the cases 表四 of that year counts."""
    return case.filed_on <= date(year, 12, 31) and (
        case.decided_on is None or case.decided_on >= date(year, 1, 1))


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
