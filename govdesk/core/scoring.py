"""Community assessment (月抽查、季考核): the scheme (考核细则), monthly spot checks with their
deductions, the quarter's score, ranking, 等次, the year-end contribution and the drill-down that
explains every lost point. Pure functions over frozen records: no Qt, no SQL, no I/O.

Where the rules come from (../shared/domain/rules-and-formats.md §5):

* §5.2 A (镇委办村务公开检查考核方法): an indicator tree with points, e.g. 村务公开栏建设 20分,
  财务收支 "每少公开一次扣5分；每发现一处不是逐笔逐项公开的，扣2分".
* §5.2 C: 加分 (通报表彰 +3, 市政府办表彰 +1) and 扣分 (通报批评 −3) outside the 100, and the
  "空白月" deduction; the mixed method "网上考核占80%，现场考核占20%" is the model for the
  weighted :class:`QuarterRule`.
* §5.2 E: four 等次 优秀、良好、合格、不合格.
* §5.3 and seed 004: "月抽查、季考核 … 结果纳入年终综合考核成绩，所占比例为4%，分值为5分" →
  year-end points = mean quarterly score / 100 × weight (default 5).

Arithmetic is exact. Points are :class:`~decimal.Decimal` with at most one decimal place (so a
0.5-point deduction adds exactly); a mean over months or a weighted mix is a
:class:`~fractions.Fraction`; nothing is ever a float. Rounding happens once, for display: scores
to one decimal, year-end points to two, both ROUND_HALF_UP (四舍五入, as the office rounds by hand).

Decisions (documented here because the 通报 depends on them):

* 扣完为止: an indicator never goes below 0 in a check; a deduction rule's cap (每项最多扣N分)
  is applied to that rule's findings in one check before the indicator's floor.
* Months not checked are excluded from the quarter's mean, not counted as zero (a month the
  leading group did not visit is not the community's fault). A community with no check at all
  in the quarter is not assessed (absent from the ranking), not scored 0.
* Weighted rule: if the quarter has monthly checks but no quarterly check (or the reverse), the
  part that exists counts 100% and the score says so (:attr:`QuarterScore.basis`).
* Bonuses are added on top of the 100 (the domain reference adds them), capped by the scheme's
  加分上限 (default: the sum of its bonus items); penalties are subtracted; the total is never
  below 0. So a quarter's score lies in [0, total + bonus cap].
* The quarter's score of record is its one-decimal published figure (:attr:`QuarterScore.total`):
  ranking and 等次 use it (two communities shown as 88.3 are 并列, and 89.96 shown as 90.0 is
  优秀), and the year score is the mean of the published quarter scores.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from math import floor
from typing import Any, TypeVar

from govdesk.core.errors import UserError, ValidationErrors

__all__ = [
    "DEFAULT_AUTO_TARGETS",
    "DEFAULT_GRADES",
    "DEFAULT_YEAR_END_WEIGHT",
    "Adjustment",
    "AdjustmentItem",
    "AdjustmentKind",
    "AutoFinding",
    "CheckRecord",
    "MonthFacts",
    "SchemeVersion",
    "CheckKind",
    "Deduction",
    "DeductionRule",
    "GradeThresholds",
    "Grade",
    "Indicator",
    "LostPoint",
    "QuarterResult",
    "QuarterRule",
    "QuarterScore",
    "Scheme",
    "SpotCheck",
    "VetoFinding",
    "VetoItem",
    "YearScore",
    "applied_deductions",
    "auto_deductions",
    "deduction_for_points",
    "assess_quarter",
    "check_score",
    "competition_ranks",
    "default_scheme",
    "explain",
    "grade_for",
    "leaf_scores",
    "quarter_months",
    "quarter_of",
    "quarter_score",
    "require_valid_scheme",
    "round_half_up",
    "scheme_from_json",
    "scheme_to_json",
    "validate_scheme",
    "validate_spot_check",
    "year_end_points",
    "year_score",
]

DEFAULT_TOTAL = Decimal(100)
# Seed 004: "结果纳入年终综合考核成绩，所占比例为4%，分值为5分".
DEFAULT_YEAR_END_WEIGHT = Decimal(5)
ONE = Fraction(1)


# --------------------------------------------------------------------------- exact numbers

def _points(value: Any, what: str = "分值") -> Decimal:
    """Points as an exact Decimal. Floats are refused: 0.1 as a float is not 0.1."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"{what}必须是整数或 Decimal，不能是浮点数：{value!r}")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        return Decimal(value.strip())
    raise TypeError(f"{what}必须是整数或 Decimal：{value!r}")


def _one_decimal(value: Decimal) -> bool:
    """True if ``value`` is finite with at most one decimal place (e.g. 5, 0.5, 12.0)."""
    if not value.is_finite():
        return False
    tenths = value * 10
    return tenths == tenths.to_integral_value()


def round_half_up(value: Fraction | Decimal | int, places: int = 1) -> Decimal:
    """``value`` rounded to ``places`` decimals, ROUND_HALF_UP (四舍五入: 88.25 → 88.3), exactly:
    a Fraction such as 263/3 is rounded from its true value, not from a truncated decimal."""
    q = Fraction(value) * 10**places
    sign = -1 if q < 0 else 1
    n = floor(abs(q) + Fraction(1, 2))
    return Decimal(sign * n).scaleb(-places)


def _fmt(value: Decimal | Fraction) -> str:
    """Points as printed in a message: 5, 0.5, 12.5 (no trailing .0)."""
    d = round_half_up(value, 1) if isinstance(value, Fraction) else value
    text = f"{d:f}"
    return text[:-2] if text.endswith(".0") else text


# --------------------------------------------------------------------------- the scheme

@dataclass(frozen=True)
class DeductionRule:
    """One 评分标准 line of an indicator, e.g. "每少公开一次扣5分" (points_per_finding 5). ``cap``
    is the most this rule may take from the indicator in one check (每项最多扣N分); None = up to
    the indicator's max (扣完为止)."""

    text: str
    points_per_finding: Decimal
    cap: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "points_per_finding",
                           _points(self.points_per_finding, "每次扣分"))
        if self.cap is not None:
            object.__setattr__(self, "cap", _points(self.cap, "扣分上限"))


@dataclass(frozen=True)
class Indicator:
    """考核指标. A 一级 indicator has 二级 ``children`` and its max is their sum; a leaf carries the
    deduction rules. ``code`` is stable ("2", "2.3") and is what storage and import refer to."""

    code: str
    name: str
    max_points: Decimal
    children: tuple[Indicator, ...] = ()
    rules: tuple[DeductionRule, ...] = ()
    standard: str = ""  # 考核内容 / 评分标准 as printed in the 细则

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_points", _points(self.max_points, "指标分值"))
        object.__setattr__(self, "children", tuple(self.children))
        object.__setattr__(self, "rules", tuple(self.rules))

    @property
    def is_leaf(self) -> bool:
        return not self.children


class AdjustmentKind(enum.StrEnum):
    BONUS = "加分"
    PENALTY = "扣分"


@dataclass(frozen=True)
class AdjustmentItem:
    """A 加分 or 扣分 item outside the indicator tree (§5.2 C): 通报表彰 +3, 通报批评 −3.
    ``points`` is the magnitude (positive); ``kind`` says which way it counts."""

    code: str
    name: str
    points: Decimal
    kind: AdjustmentKind

    def __post_init__(self) -> None:
        object.__setattr__(self, "points", _points(self.points, "加减分分值"))


@dataclass(frozen=True)
class VetoItem:
    """否决项 (一票否决): a finding of this item makes the quarter 不合格 whatever the score."""

    code: str
    name: str


@dataclass(frozen=True)
class Scheme:
    """考核细则 of one year: the indicator tree (totalling ``total``, default 100), the 加分 and
    扣分 items, the 否决项, and the 加分上限 (None = the sum of the bonus items)."""

    year: int
    name: str
    indicators: tuple[Indicator, ...]
    total: Decimal = DEFAULT_TOTAL
    bonuses: tuple[AdjustmentItem, ...] = ()
    penalties: tuple[AdjustmentItem, ...] = ()
    vetoes: tuple[VetoItem, ...] = ()
    bonus_cap: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "total", _points(self.total, "总分"))
        for name in ("indicators", "bonuses", "penalties", "vetoes"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.bonus_cap is not None:
            object.__setattr__(self, "bonus_cap", _points(self.bonus_cap, "加分上限"))

    @cached_property
    def leaves(self) -> tuple[Indicator, ...]:
        """The scored indicators in order: 二级 indicators, and 一级 ones without children."""
        out: list[Indicator] = []

        def walk(ind: Indicator) -> None:
            if ind.is_leaf:
                out.append(ind)
            for child in ind.children:
                walk(child)

        for top in self.indicators:
            walk(top)
        return tuple(out)

    @cached_property
    def _index(self) -> dict[str, tuple[Indicator, tuple[str, ...]]]:
        found: dict[str, tuple[Indicator, tuple[str, ...]]] = {}

        def walk(ind: Indicator, path: tuple[str, ...]) -> None:
            here = (*path, ind.name)
            found.setdefault(ind.code, (ind, here))
            for child in ind.children:
                walk(child, here)

        for top in self.indicators:
            walk(top, ())
        return found

    def indicator(self, code: str) -> Indicator:
        try:
            return self._index[code][0]
        except KeyError:
            raise UserError(f"考核细则中没有编号为“{code}”的指标") from None

    def path(self, code: str) -> tuple[str, ...]:
        """Names from the 一级 indicator down, e.g. ("公开内容", "财务收支公开")."""
        self.indicator(code)
        return self._index[code][1]

    @property
    def effective_bonus_cap(self) -> Decimal:
        if self.bonus_cap is not None:
            return self.bonus_cap
        return sum((b.points for b in self.bonuses), Decimal(0))

    def adjustment_item(self, code: str) -> AdjustmentItem:
        for item in (*self.bonuses, *self.penalties):
            if item.code == code:
                return item
        raise UserError(f"考核细则中没有编号为“{code}”的加分或扣分项")

    def veto_item(self, code: str) -> VetoItem:
        for item in self.vetoes:
            if item.code == code:
                return item
        raise UserError(f"考核细则中没有编号为“{code}”的否决项")


def validate_scheme(scheme: Scheme) -> list[str]:
    """Every problem of ``scheme`` in Chinese, or []: duplicate or malformed codes, empty names,
    non-positive points or points with more than one decimal, a 一级 indicator whose 二级
    indicators do not add up to it, a tree deeper than two levels, rules on a 一级 indicator that
    has children, rule caps above the indicator's max, a total other than the declared one."""
    problems: list[str] = []
    seen: set[str] = set()

    def code_ok(code: str, what: str) -> None:
        if not code or code != code.strip() or any(ch.isspace() for ch in code):
            problems.append(f"{what}编号“{code}”不正确：不能为空或含空格")
        elif code in seen:
            problems.append(f"编号“{code}”重复：每个指标、加分项、扣分项、否决项的编号必须唯一")
        seen.add(code)

    def points_ok(value: Decimal, label: str) -> bool:
        if not value.is_finite() or value <= 0:
            problems.append(f"{label}的分值必须大于0（现为{value}）")
            return False
        if not _one_decimal(value):
            problems.append(f"{label}的分值最多保留一位小数（现为{value}）")
            return False
        return True

    if not scheme.name.strip():
        problems.append("考核细则名称不能为空")
    if not 2000 <= scheme.year <= 2100:
        problems.append(f"考核细则年度“{scheme.year}”不正确")
    if not scheme.indicators:
        problems.append("考核细则至少要有一个一级指标")

    def check(ind: Indicator, parent: Indicator | None, depth: int) -> None:
        label = f"指标{ind.code}“{ind.name}”"
        code_ok(ind.code, "指标")
        if not ind.name.strip():
            problems.append(f"指标{ind.code}的名称不能为空")
        if parent is not None and not ind.code.startswith(parent.code + "."):
            problems.append(f"{label}的编号应以所属一级指标编号“{parent.code}.”开头")
        if depth > 2:
            problems.append(f"{label}超出两级：考核指标只分一级、二级")
        max_ok = points_ok(ind.max_points, label)
        if ind.children:
            if ind.rules:
                problems.append(f"{label}有下级指标，扣分规则应写在二级指标上")
            child_sum = sum((c.max_points for c in ind.children), Decimal(0))
            if max_ok and child_sum != ind.max_points:
                problems.append(f"{label}分值为{_fmt(ind.max_points)}分，"
                                f"但其二级指标合计{_fmt(child_sum)}分")
            for child in ind.children:
                check(child, ind, depth + 1)
        for n, rule in enumerate(ind.rules, 1):
            rule_label = f"{label}第{n}条扣分规则"
            if not rule.text.strip():
                problems.append(f"{rule_label}缺少说明文字")
            points_ok(rule.points_per_finding, rule_label + "每次扣分")
            if rule.cap is not None and points_ok(rule.cap, rule_label + "扣分上限"):
                if max_ok and rule.cap > ind.max_points:
                    problems.append(f"{rule_label}扣分上限{_fmt(rule.cap)}分超过指标分值"
                                    f"{_fmt(ind.max_points)}分")

    for top in scheme.indicators:
        check(top, None, 1)
    total_ok = points_ok(scheme.total, "考核细则总分")
    tops = sum((t.max_points for t in scheme.indicators), Decimal(0))
    if total_ok and scheme.indicators and tops != scheme.total:
        problems.append(f"一级指标合计{_fmt(tops)}分，与考核细则总分{_fmt(scheme.total)}分不符")

    for items, kind in ((scheme.bonuses, AdjustmentKind.BONUS),
                        (scheme.penalties, AdjustmentKind.PENALTY)):
        for item in items:
            label = f"{kind.value}项{item.code}“{item.name}”"
            code_ok(item.code, kind.value + "项")
            if not item.name.strip():
                problems.append(f"{kind.value}项{item.code}的名称不能为空")
            if item.kind is not kind:
                problems.append(f"{label}放错了位置：它是{item.kind.value}项")
            points_ok(item.points, label)
    for veto in scheme.vetoes:
        code_ok(veto.code, "否决项")
        if not veto.name.strip():
            problems.append(f"否决项{veto.code}的名称不能为空")
    if scheme.bonus_cap is not None and (not scheme.bonus_cap.is_finite() or scheme.bonus_cap < 0
                                         or not _one_decimal(scheme.bonus_cap)):
        problems.append(f"加分上限“{scheme.bonus_cap}”不正确：应为不小于0、最多一位小数的分值")
    return problems


def require_valid_scheme(scheme: Scheme) -> Scheme:
    """``scheme`` itself, or :class:`ValidationErrors` listing every problem."""
    problems = validate_scheme(scheme)
    if problems:
        raise ValidationErrors(problems, title="考核细则有误")
    return scheme


def _leaf(code: str, name: str, points: int | str, *rules: DeductionRule,
          standard: str = "") -> Indicator:
    return Indicator(code, name, Decimal(points), rules=rules, standard=standard)


def _rule(text: str, per: int | str, cap: int | str | None = None) -> DeductionRule:
    return DeductionRule(text, Decimal(per), None if cap is None else Decimal(cap))


def default_scheme(year: int) -> Scheme:
    """The seeded 社区政务（居务）公开考核细则 of ``year``, 100 points, after the patterns of
    rules-and-formats.md §5.2 (A: 公开栏建设 and the 财务收支 rule verbatim; C: 空白月, 通报表彰
    +3 / 通报批评 −3; G: 完整性、准确性、及时性、满意度) and §5.3's suggested 一级 indicators.
    No 否决项 by default. The office edits a copy in the tree editor."""
    indicators = (
        Indicator("1", "公开栏建设", Decimal(20), children=(
            _leaf("1.1", "公开栏设置", 10,
                  _rule("公开栏未设在便于群众观看的醒目位置的，扣5分", 5, 5),
                  _rule("无防雨、防损设施或栏面破损、内容脱落的，每处扣2分", 2),
                  standard="在便于群众观看的地方设立固定的公开栏，防雨防损，整洁规范"),
            _leaf("1.2", "监督电话", 5,
                  _rule("公开栏未公布监督举报电话的，扣5分", 5),
                  _rule("监督举报电话有误或无法接通的，扣3分", 3, 3),
                  standard="公开栏醒目位置公布镇、社区两级监督举报电话"),
            _leaf("1.3", "意见箱", 5,
                  _rule("未设置意见箱的，扣5分", 5),
                  _rule("意见箱未定期开启或无开箱记录的，每次扣1分", 1),
                  standard="设置意见箱，定期开启，有开箱登记"),
        )),
        Indicator("2", "公开内容", Decimal(40), children=(
            _leaf("2.1", "内容完整性", 10,
                  _rule("居务公开目录内应公开事项每缺一项扣2分", 2),
                  standard="按居务公开目录全面公开，不漏项"),
            _leaf("2.2", "内容真实准确", 5,
                  _rule("公开内容与实际情况不符的，每处扣2分", 2),
                  _rule("数据、文字有明显错误的，每处扣0.5分，最多扣2分", "0.5", 2),
                  standard="公开内容真实准确，数据无误"),
            _leaf("2.3", "财务收支公开", 15,
                  _rule("财务收支每少公开一次扣5分", 5),
                  _rule("每发现一处不是逐笔逐项公开的，扣2分", 2),
                  standard="财务收支做到一月一公开和分类逐笔逐项公开"),
            _leaf("2.4", "重点事项公开", 10,
                  _rule("低保、救助、补贴、工程项目等重点事项应公开未公开的，每项扣3分", 3),
                  _rule("公示名单中个人信息未按规定去标识化的，每处扣2分", 2),
                  standard="涉及居民利益的重大事项随时公开，公示名单依法去标识化"),
        )),
        Indicator("3", "公开时限", Decimal(15), children=(
            _leaf("3.1", "公开及时性", 10,
                  _rule("超过公开时限公开的，每次扣2分", 2),
                  _rule("当月无任何公开内容（空白月）的，扣5分", 5, 5),
                  standard="一般事项至少每季度公开一次，财务收支每月公开一次，重大事项随时公开"),
            _leaf("3.2", "公示期满及时撤栏", 5,
                  _rule("公示期满未及时撤栏、更新的，每次扣1分", 1),
                  standard="公示期满及时撤栏，公开栏内容及时更新"),
        )),
        Indicator("4", "档案台账", Decimal(15), children=(
            _leaf("4.1", "公开台账", 5,
                  _rule("未建立公开台账的，扣5分", 5),
                  _rule("台账登记不全的，每缺一项扣1分", 1),
                  standard="建立政务（居务）公开台账，逐项登记"),
            _leaf("4.2", "审批记录", 5,
                  _rule("公开前未经审批（无审批单）的，每次扣2分", 2),
                  standard="先审查后公开，每次公开有审批单"),
            _leaf("4.3", "资料归档", 5,
                  _rule("公开资料及张贴照片未归档的，每次扣1分", 1),
                  standard="公开资料、张贴照片及时归档，查阅方便"),
        )),
        Indicator("5", "群众满意度", Decimal(10), children=(
            _leaf("5.1", "意见反馈", 5,
                  _rule("群众意见建议未登记或未答复的，每件扣1分", 1),
                  standard="群众意见建议有登记、有答复、有反馈"),
            _leaf("5.2", "群众满意度", 5,
                  _rule("抽访居民对公开工作不满意的，每人次扣0.5分", "0.5"),
                  standard="抽访居民对居务公开工作的满意情况"),
        )),
    )
    return Scheme(
        year=year,
        name=f"{year}年社区政务公开考核细则",
        indicators=indicators,
        bonuses=(AdjustmentItem("B1", "通报表彰", Decimal(3), AdjustmentKind.BONUS),),
        penalties=(AdjustmentItem("P1", "通报批评", Decimal(3), AdjustmentKind.PENALTY),),
    )


# --------------------------------------------------------------------------- spot checks

class AutoFinding(enum.StrEnum):
    """Findings the app can compute from its own data (issue 5, item 2), tagged on a deduction."""

    OVERDUE_PUBLISH = "过了公开时限"
    OVERDUE_TAKE_DOWN = "逾期未撤栏"
    BLANK_MONTH = "空白月"


# Where the default scheme books each auto-finding: (indicator code, rule number from 0).
DEFAULT_AUTO_TARGETS: Mapping[AutoFinding, tuple[str, int]] = {
    AutoFinding.OVERDUE_PUBLISH: ("3.1", 0),
    AutoFinding.OVERDUE_TAKE_DOWN: ("3.2", 0),
    AutoFinding.BLANK_MONTH: ("3.1", 1),
}


class CheckKind(enum.StrEnum):
    MONTHLY = "月抽查"
    QUARTERLY = "季度检查"


@dataclass(frozen=True)
class Deduction:
    """扣分 on one leaf indicator in one check: either ``count`` findings under the indicator's
    rule number ``rule`` (0-based), or ``points`` taken directly (a judgement not covered by a
    rule). ``reason`` is the 扣分原因 as it will read in the 通报; ``evidence`` refers to a photo
    or posting; ``auto`` tags a finding the app computed."""

    indicator_code: str
    reason: str
    count: int | None = None
    rule: int | None = None
    points: Decimal | None = None
    evidence: str = ""
    auto: AutoFinding | None = None
    posting_id: int | None = None  # the board posting the finding is about, when known

    def __post_init__(self) -> None:
        if self.points is not None:
            object.__setattr__(self, "points", _points(self.points, "扣分"))

    def taken_raw(self, scheme: Scheme) -> Decimal:
        """The points this line asks for before caps and 扣完为止 (count × rule, or points)."""
        return _raw_points(scheme.indicator(self.indicator_code), self)


@dataclass(frozen=True)
class VetoFinding:
    """A 否决项 found in a check, e.g. a leak of personal information on a board."""

    code: str
    reason: str
    evidence: str = ""


@dataclass(frozen=True)
class SpotCheck:
    """One check of one community: a 月抽查 (one per community and month) or a separate 季度检查
    used by the weighted rule. ``month`` is the month checked (for a quarterly check, the month
    it was made in)."""

    community_id: int
    year: int
    month: int
    deductions: tuple[Deduction, ...] = ()
    kind: CheckKind = CheckKind.MONTHLY
    vetoes: tuple[VetoFinding, ...] = ()
    checker: str = ""
    checked_on: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "deductions", tuple(self.deductions))
        object.__setattr__(self, "vetoes", tuple(self.vetoes))

    @property
    def quarter(self) -> int:
        return quarter_of(self.month)


def quarter_of(month: int) -> int:
    if not 1 <= month <= 12:
        raise ValueError(f"月份“{month}”不正确")
    return (month - 1) // 3 + 1


def quarter_months(quarter: int) -> tuple[int, int, int]:
    if not 1 <= quarter <= 4:
        raise ValueError(f"季度“{quarter}”不正确")
    first = quarter * 3 - 2
    return (first, first + 1, first + 2)


def validate_spot_check(scheme: Scheme, check: SpotCheck) -> list[str]:
    """Chinese problems of a check against its scheme (the import and the grid report these):
    an indicator not in the scheme or not a leaf, a rule that does not exist, a count that is not
    a positive whole number, points that are not positive with one decimal, a deduction above
    the indicator's max, a 否决项 not in the scheme, a month out of range."""
    problems: list[str] = []
    if not 1 <= check.month <= 12:
        problems.append(f"月份“{check.month}”不正确")
    if check.year != scheme.year:
        problems.append(f"{check.year}年的检查不能使用{scheme.year}年的考核细则")
    for d in check.deductions:
        where = f"指标“{d.indicator_code}”"
        try:
            ind = scheme.indicator(d.indicator_code)
        except UserError:
            problems.append(f"{where}不在考核细则中")
            continue
        where = f"指标{ind.code}“{ind.name}”"
        if not ind.is_leaf:
            problems.append(f"{where}有下级指标，请在二级指标上扣分")
            continue
        if not d.reason.strip():
            problems.append(f"{where}的扣分缺少扣分原因")
        if (d.count is None) == (d.points is None):
            problems.append(f"{where}的扣分应填写发现次数或扣分分值（二选一）")
            continue
        if d.count is not None:
            if isinstance(d.count, bool) or not isinstance(d.count, int) or d.count <= 0:
                problems.append(f"{where}的发现次数应为正整数（现为{d.count}）")
            if d.rule is None or not 0 <= d.rule < len(ind.rules):
                problems.append(f"{where}没有第{'?' if d.rule is None else d.rule + 1}条扣分规则")
        else:
            assert d.points is not None
            if not d.points.is_finite() or d.points <= 0 or not _one_decimal(d.points):
                problems.append(f"{where}的扣分应为大于0、最多一位小数的分值（现为{d.points}）")
            elif d.points > ind.max_points:
                problems.append(f"{where}扣{_fmt(d.points)}分，超过该指标分值"
                                f"{_fmt(ind.max_points)}分")
            if d.rule is not None and not 0 <= d.rule < len(ind.rules):
                problems.append(f"{where}没有第{d.rule + 1}条扣分规则")
    codes = {v.code for v in scheme.vetoes}
    for v in check.vetoes:
        if v.code not in codes:
            problems.append(f"否决项“{v.code}”不在考核细则中")
    return problems


def _raw_points(ind: Indicator, d: Deduction) -> Decimal:
    if d.points is not None:
        return d.points
    if d.count is None or d.rule is None or not 0 <= d.rule < len(ind.rules):
        raise UserError(f"指标{ind.code}“{ind.name}”的扣分无效：请填写发现次数和扣分规则，或扣分分值")
    return ind.rules[d.rule].points_per_finding * d.count


def applied_deductions(scheme: Scheme, check: SpotCheck) -> tuple[tuple[Deduction, Decimal], ...]:
    """Each deduction of ``check`` with the points it actually takes, in entry order.

    Rule: a rule's cap (每项最多扣N分) is applied first, over that rule's findings in the check;
    then 扣完为止 — the indicator's points are used up and never go below 0. A deduction that
    arrives after the cap or the indicator is exhausted takes 0. So the taken points of a leaf
    sum to exactly max − leaf score, which is what :func:`explain` relies on."""
    rule_left: dict[tuple[str, int], Decimal] = {}
    leaf_left: dict[str, Decimal] = {}
    out: list[tuple[Deduction, Decimal]] = []
    for d in check.deductions:
        ind = scheme.indicator(d.indicator_code)
        if not ind.is_leaf:
            raise UserError(f"指标{ind.code}“{ind.name}”有下级指标，请在二级指标上扣分")
        raw = _raw_points(ind, d)
        if raw < 0:
            raise UserError(f"指标{ind.code}“{ind.name}”的扣分不能为负数")
        take = min(raw, leaf_left.setdefault(ind.code, ind.max_points))
        if d.rule is not None and d.points is None:
            cap = ind.rules[d.rule].cap
            if cap is not None:
                key = (ind.code, d.rule)
                take = min(take, rule_left.setdefault(key, cap))
                rule_left[key] -= take
        leaf_left[ind.code] -= take
        out.append((d, take))
    return tuple(out)


def leaf_scores(scheme: Scheme, check: SpotCheck) -> dict[str, Decimal]:
    """Score of every leaf indicator in ``check``: max(0, max − Σ deductions), each rule's cap
    applied first (扣完为止, §5.2 A). Always within [0, max]."""
    scores = {leaf.code: leaf.max_points for leaf in scheme.leaves}
    for d, taken in applied_deductions(scheme, check):
        scores[d.indicator_code] -= taken
    return scores


def check_score(scheme: Scheme, check: SpotCheck) -> Decimal:
    """The check's score for the community: Σ leaf scores, in [0, scheme.total]."""
    return sum(leaf_scores(scheme, check).values(), Decimal(0))


# --------------------------------------------------------------------------- entry helpers

def deduction_for_points(scheme: Scheme, code: str, points: Decimal, reason: str = "",
                         **extra: Any) -> Deduction:
    """The deduction a typed number means in the month grid: if ``points`` is a whole multiple
    of one of the indicator's rules (the first such rule, in the 细则's order), that many
    findings under the rule, with the rule's text as the default 扣分原因; otherwise ``points``
    taken directly, with ``reason`` (which the user must then give)."""
    ind = scheme.indicator(code)
    points = _points(points, "扣分")
    for n, rule in enumerate(ind.rules):
        per = rule.points_per_finding
        if per > 0 and points > 0 and points % per == 0:
            count = int(points / per)
            if rule.cap is None or per * count <= rule.cap:
                return Deduction(code, reason or rule.text, count=count, rule=n, **extra)
    return Deduction(code, reason, points=points, **extra)


@dataclass(frozen=True)
class MonthFacts:
    """What the app's own register shows of one community in one month, for the auto-findings:
    notices past their 公开时限 (title, due, published on or None), postings left up after their
    planned take-down (title, board, planned, removed on or None; with the posting id), and how
    many notices were published or posted. ``complete`` is False for a month not yet over (no
    空白月 can be concluded from it)."""

    community_id: int
    year: int
    month: int
    late_notices: tuple[tuple[str, date, date | None], ...] = ()
    late_take_downs: tuple[tuple[int, str, str, date, date | None], ...] = ()
    published: int = 0
    complete: bool = True


def _md(d: date) -> str:
    return f"{d.month}月{d.day}日"


def auto_deductions(scheme: Scheme, facts: MonthFacts,
                    targets: Mapping[AutoFinding, tuple[str, int]] = DEFAULT_AUTO_TARGETS,
                    ) -> tuple[tuple[Deduction, ...], tuple[AutoFinding, ...]]:
    """The deductions the register supports for ``facts`` (issue 5, item 2), booked where
    ``targets`` says (indicator code, rule number), and the kinds that were found but have no
    such indicator rule in ``scheme`` (so the grid can say it could not book them). The 扣分原因
    is the same wording for every community, so the 通报 counts it as one common problem; the
    particulars (which notice, which board, which dates) go in the evidence."""
    out: list[Deduction] = []
    unbooked: list[AutoFinding] = []

    def target(kind: AutoFinding) -> tuple[str, int] | None:
        where = targets.get(kind)
        if where is None:
            return None
        try:
            ind = scheme.indicator(where[0])
        except UserError:
            return None
        if not ind.is_leaf or not 0 <= where[1] < len(ind.rules):
            return None
        return where

    found: list[tuple[AutoFinding, int, str, str, int | None]] = []
    if facts.late_notices:
        detail = "；".join(
            f"《{title}》应于{_md(due)}前公开，" + (f"{_md(on)}公开" if on else "至月底未公开")
            for title, due, on in facts.late_notices)
        found.append((AutoFinding.OVERDUE_PUBLISH, len(facts.late_notices),
                      "超过公开时限公开", detail, None))
    if facts.late_take_downs:
        detail = "；".join(
            f"《{title}》（{board}）应于{_md(planned)}撤下，"
            + (f"{_md(removed)}撤下" if removed else "至月底未撤下")
            for _, title, board, planned, removed in facts.late_take_downs)
        posting = facts.late_take_downs[0][0] if len(facts.late_take_downs) == 1 else None
        found.append((AutoFinding.OVERDUE_TAKE_DOWN, len(facts.late_take_downs),
                      "公示期满未及时撤栏", detail, posting))
    if facts.complete and facts.published == 0:
        found.append((AutoFinding.BLANK_MONTH, 1, "当月无任何公开内容（空白月）",
                      f"{facts.year}年{facts.month}月未公开、未张贴任何信息", None))
    for kind, count, reason, detail, posting in found:
        where = target(kind)
        if where is None:
            unbooked.append(kind)
            continue
        out.append(Deduction(where[0], reason, count=count, rule=where[1], evidence=detail,
                             auto=kind, posting_id=posting))
    return tuple(out), tuple(unbooked)


# --------------------------------------------------------------------------- stored forms

@dataclass(frozen=True)
class SchemeVersion:
    """A stored 考核细则 version with what it is applied with: the quarter rule, the 等次
    thresholds and the year-end weight. ``in_use``: a check refers to it, so it is frozen."""

    id: int
    version: int
    scheme: Scheme
    rule: QuarterRule
    grades: GradeThresholds
    year_end_weight: Decimal
    current: bool
    in_use: bool
    copied_from: int | None = None
    updated_at: str = ""

    @property
    def year(self) -> int:
        return self.scheme.year

    @property
    def label(self) -> str:
        return f"{self.scheme.name}（第{self.version}版）"


@dataclass(frozen=True)
class CheckRecord:
    """A stored check: its id, the scheme version it was scored by, and where it came from
    ("" entered in the grid, "import:<sha256>" from a fill-in sheet)."""

    id: int
    scheme_id: int
    check: SpotCheck
    source: str = ""


# --------------------------------------------------------------------------- the quarter

@dataclass(frozen=True)
class QuarterRule:
    """How a quarter's base score is made (issue 5, item 3). ``monthly_weight`` is the share of
    the mean of the quarter's 月抽查; the rest comes from the separate 季度检查 (mean of them, if
    several). 1 (default) = the mean of the monthly checks alone; 0.4 = "月抽查40%、季度检查60%"."""

    monthly_weight: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        w = _points(self.monthly_weight, "月抽查权重")
        object.__setattr__(self, "monthly_weight", w)
        if not w.is_finite() or not 0 <= w <= 1:
            raise ValueError("月抽查权重应在0到1之间（如0.4表示40%）")

    @property
    def quarterly_weight(self) -> Decimal:
        return 1 - self.monthly_weight

    @property
    def label(self) -> str:
        if self.monthly_weight == 1:
            return "月抽查平均分"
        if self.monthly_weight == 0:
            return "季度检查得分"
        m = _fmt(self.monthly_weight * 100)
        q = _fmt(self.quarterly_weight * 100)
        return f"月抽查平均分×{m}%＋季度检查得分×{q}%"


@dataclass(frozen=True)
class Adjustment:
    """A 加分 or 扣分 item awarded to a community for a quarter (e.g. 通报表彰 in the county's
    通报 of 2017-08). Awarding the same item twice counts twice (bonuses up to the cap)."""

    community_id: int
    year: int
    quarter: int
    item_code: str
    reason: str = ""


@dataclass(frozen=True)
class QuarterScore:
    """A community's 季考核. ``base`` is the rule's mix of the checks (0…total); ``exact`` =
    base + bonus − penalty (penalty reduced so exact never goes below 0); ``total`` is ``exact``
    rounded to one decimal, the figure of record. ``indicator_scores`` holds every indicator's
    share of ``base`` by code (leaves and 一级), exact; they add up to ``base``."""

    community_id: int
    name: str
    year: int
    quarter: int
    monthly: tuple[tuple[int, Decimal], ...]  # (month, score) of each 月抽查, months checked only
    monthly_mean: Fraction | None
    quarterly_check: Fraction | None  # mean of the 季度检查 scores, if any
    basis: str  # the rule actually applied, e.g. "月抽查平均分（本季度抽查2个月）"
    base: Fraction
    bonus: Decimal  # applied, after the 加分上限
    penalty: Fraction  # applied, after the floor at 0
    exact: Fraction
    total: Decimal
    vetoes: tuple[VetoFinding, ...]
    indicator_scores: Mapping[str, Fraction] = field(default_factory=dict)
    weights: tuple[tuple[SpotCheck, Fraction], ...] = ()  # each check and its share of base

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)


def _check_weights(rule: QuarterRule, monthly: Sequence[SpotCheck],
                   quarterly: Sequence[SpotCheck]) -> tuple[list[tuple[SpotCheck, Fraction]], str]:
    """Each check's share of the base score (shares add to 1), and the basis in words."""
    wm = Fraction(rule.monthly_weight)
    if not monthly and not quarterly:
        return [], ""
    note = f"（本季度抽查{len(monthly)}个月）" if 0 < len(monthly) < 3 else ""
    if monthly and (wm == 1 or not quarterly):
        basis = "月抽查平均分" + note
        if wm != 1:
            basis += "（无季度检查，按月抽查计100%）"
        return [(c, ONE / len(monthly)) for c in monthly], basis
    if quarterly and (wm == 0 or not monthly):
        basis = "季度检查得分" if wm == 0 else "季度检查得分（本季度无月抽查，按季度检查计100%）"
        return [(c, ONE / len(quarterly)) for c in quarterly], basis
    shares = [(c, wm / len(monthly)) for c in monthly]
    shares += [(c, (1 - wm) / len(quarterly)) for c in quarterly]
    return shares, rule.label + note


def quarter_score(scheme: Scheme, rule: QuarterRule, year: int, quarter: int,
                  community_id: int, name: str, checks: Iterable[SpotCheck],
                  adjustments: Iterable[Adjustment] = ()) -> QuarterScore | None:
    """The community's quarter score, or None if it had no check in the quarter.

    Rule (issue 5, item 3; §5.2 C): base = mean of the quarter's 月抽查 (months not checked are
    left out, not counted as 0), or monthly_weight × that mean + the rest × the 季度检查; then
    + bonuses (at most the scheme's 加分上限) − penalties, never below 0. Checks and adjustments
    of other communities, years or quarters are ignored. Two 月抽查 of the same month are a
    UserError: a month is checked once (replace it, never add)."""
    mine = [c for c in checks
            if c.community_id == community_id and c.year == year and c.quarter == quarter]
    monthly = sorted((c for c in mine if c.kind is CheckKind.MONTHLY), key=lambda c: c.month)
    quarterly = [c for c in mine if c.kind is CheckKind.QUARTERLY]
    for a, b in zip(monthly, monthly[1:], strict=False):
        if a.month == b.month:
            raise UserError(f"{name}{year}年{a.month}月有两次月抽查记录，每月只能有一次")
    shares, basis = _check_weights(rule, monthly, quarterly)
    if not shares:
        return None

    per_check = {id(c): leaf_scores(scheme, c) for c, _ in shares}
    leaf_exact: dict[str, Fraction] = {leaf.code: Fraction(0) for leaf in scheme.leaves}
    for c, share in shares:
        for code, s in per_check[id(c)].items():
            leaf_exact[code] += share * Fraction(s)
    indicator_scores: dict[str, Fraction] = {}
    for top in scheme.indicators:
        if top.is_leaf:
            indicator_scores[top.code] = leaf_exact[top.code]
        else:
            for child in top.children:
                indicator_scores[child.code] = _subtree(child, leaf_exact)
            indicator_scores[top.code] = _subtree(top, leaf_exact)
    base = sum(leaf_exact.values(), Fraction(0))

    bonus = Decimal(0)
    penalty = Decimal(0)
    for adj in adjustments:
        if (adj.community_id, adj.year, adj.quarter) != (community_id, year, quarter):
            continue
        item = scheme.adjustment_item(adj.item_code)
        if item.kind is AdjustmentKind.BONUS:
            bonus += item.points
        else:
            penalty += item.points
    bonus = min(bonus, scheme.effective_bonus_cap)
    applied_penalty = min(Fraction(penalty), base + Fraction(bonus))
    exact = base + Fraction(bonus) - applied_penalty

    def total_of(c: SpotCheck) -> Decimal:
        scores = per_check.get(id(c)) or leaf_scores(scheme, c)
        return sum(scores.values(), Decimal(0))

    month_scores = tuple((c.month, total_of(c)) for c in monthly)
    mean = (Fraction(sum((s for _, s in month_scores), Decimal(0))) / len(month_scores)
            if month_scores else None)
    qscores = [total_of(c) for c in quarterly]
    qcheck = Fraction(sum(qscores, Decimal(0))) / len(qscores) if qscores else None
    vetoes = tuple(v for c in mine for v in c.vetoes)
    return QuarterScore(
        community_id=community_id, name=name, year=year, quarter=quarter,
        monthly=month_scores, monthly_mean=mean, quarterly_check=qcheck, basis=basis,
        base=base, bonus=bonus, penalty=applied_penalty, exact=exact,
        total=round_half_up(exact, 1), vetoes=vetoes, indicator_scores=indicator_scores,
        weights=tuple(shares),
    )


def _subtree(ind: Indicator, leaf_exact: Mapping[str, Fraction]) -> Fraction:
    if ind.is_leaf:
        return leaf_exact[ind.code]
    return sum((_subtree(c, leaf_exact) for c in ind.children), Fraction(0))


# --------------------------------------------------------------------------- rank and 等次

class Grade(enum.StrEnum):
    EXCELLENT = "优秀"
    GOOD = "良好"
    PASS = "合格"
    FAIL = "不合格"


@dataclass(frozen=True)
class GradeThresholds:
    """Lower bounds of the 等次 (§5.2 E): 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, below that 不合格."""

    excellent: Decimal = Decimal(90)
    good: Decimal = Decimal(80)
    passing: Decimal = Decimal(60)

    def __post_init__(self) -> None:
        for name in ("excellent", "good", "passing"):
            object.__setattr__(self, name, _points(getattr(self, name), "等次分数线"))
        if not self.excellent > self.good > self.passing >= 0:
            raise ValueError("等次分数线应为：优秀 > 良好 > 合格 ≥ 0")


DEFAULT_GRADES = GradeThresholds()


def grade_for(score: Decimal, thresholds: GradeThresholds = DEFAULT_GRADES, *,
              vetoed: bool = False) -> Grade:
    """等次 of a published score. A 否决项 finding makes it 不合格 whatever the score."""
    if vetoed:
        return Grade.FAIL
    if score >= thresholds.excellent:
        return Grade.EXCELLENT
    if score >= thresholds.good:
        return Grade.GOOD
    if score >= thresholds.passing:
        return Grade.PASS
    return Grade.FAIL


T = TypeVar("T")


def competition_ranks(items: Iterable[T], score: Callable[[T], Decimal],
                      name: Callable[[T], str]) -> list[tuple[int, T]]:
    """Items best first with their 名次, standard competition ranking: equal scores share a rank
    (并列) and the next rank skips (1, 2, 2, 4). Ties are listed by name (code-point order), so
    the order is the same on every run."""
    ordered = sorted(items, key=lambda it: (-score(it), name(it)))
    out: list[tuple[int, T]] = []
    for i, it in enumerate(ordered):
        if i and score(it) == score(ordered[i - 1]):
            out.append((out[-1][0], it))
        else:
            out.append((i + 1, it))
    return out


@dataclass(frozen=True)
class QuarterResult:
    score: QuarterScore
    rank: int
    grade: Grade


def assess_quarter(scheme: Scheme, rule: QuarterRule, year: int, quarter: int,
                   communities: Mapping[int, str], checks: Iterable[SpotCheck],
                   adjustments: Iterable[Adjustment] = (),
                   thresholds: GradeThresholds = DEFAULT_GRADES) -> tuple[QuarterResult, ...]:
    """The quarter's table: every community of ``communities`` (id → name) that was checked in
    the quarter, scored by :func:`quarter_score`, ranked by its published score (ties by name)
    and graded (否决项 → 不合格). Communities without any check are not assessed and not listed."""
    by_community: dict[int, list[SpotCheck]] = defaultdict(list)
    for c in checks:
        if c.year == year and c.quarter == quarter:
            by_community[c.community_id].append(c)
    adj_by: dict[int, list[Adjustment]] = defaultdict(list)
    for a in adjustments:
        adj_by[a.community_id].append(a)
    scores = [s for cid, name in communities.items()
              if (s := quarter_score(scheme, rule, year, quarter, cid, name,
                                     by_community.get(cid, ()), adj_by.get(cid, ())))]
    ranked = competition_ranks(scores, score=lambda s: s.total,
                               name=lambda s: f"{s.name}\x00{s.community_id:012d}")
    return tuple(QuarterResult(s, r, grade_for(s.total, thresholds, vetoed=s.vetoed))
                 for r, s in ranked)


# --------------------------------------------------------------------------- drill-down

@dataclass(frozen=True)
class LostPoint:
    """One line of the drill-down: where the points went. ``taken`` is what the check deducted
    (as the inspector wrote it, after caps and 扣完为止); ``lost`` is its exact effect on the
    quarter's score (taken × the check's share, e.g. 5 × 1/3 for one of three monthly checks).
    Penalty lines have indicator_path ("扣分项", name) and no month."""

    indicator_code: str
    indicator_path: tuple[str, ...]
    month: int | None
    kind: CheckKind | None
    reason: str
    taken: Decimal
    lost: Fraction
    evidence: str = ""
    auto: AutoFinding | None = None


def explain(scheme: Scheme, score: QuarterScore,
            adjustments: Iterable[Adjustment] = ()) -> tuple[LostPoint, ...]:
    """Every lost point of ``score``'s community in its quarter, by check month then indicator.

    Exactness: Σ lost of the indicator lines = scheme.total − score.base; with the penalty lines
    (from ``adjustments``, limited like the score to what keeps it ≥ 0) Σ lost = total +
    bonus − exact. Deductions that took 0 (past a cap or 扣完为止) are listed with lost 0 so the
    reader sees them."""
    order = {leaf.code: i for i, leaf in enumerate(scheme.leaves)}
    lines: list[tuple[tuple[int, int, int], LostPoint]] = []
    for c, share in score.weights:
        for seq, (d, taken) in enumerate(applied_deductions(scheme, c)):
            lines.append(((c.month, order[d.indicator_code], seq), LostPoint(
                indicator_code=d.indicator_code, indicator_path=scheme.path(d.indicator_code),
                month=c.month, kind=c.kind, reason=d.reason, taken=taken,
                lost=share * Fraction(taken), evidence=d.evidence, auto=d.auto)))
    out = [line for _, line in sorted(lines, key=lambda pair: pair[0])]
    left = score.penalty
    for adj in adjustments:
        if (adj.community_id, adj.year, adj.quarter) != (score.community_id, score.year,
                                                         score.quarter):
            continue
        item = scheme.adjustment_item(adj.item_code)
        if item.kind is not AdjustmentKind.PENALTY:
            continue
        lost = min(Fraction(item.points), left)
        left -= lost
        out.append(LostPoint(indicator_code=item.code, indicator_path=("扣分项", item.name),
                             month=None, kind=None, reason=adj.reason or item.name,
                             taken=item.points, lost=lost))
    return tuple(out)


# --------------------------------------------------------------------------- the year

@dataclass(frozen=True)
class YearScore:
    community_id: int
    name: str
    year: int
    quarters: Mapping[int, Decimal]  # quarter → published score, assessed quarters only
    exact: Fraction
    score: Decimal  # one decimal, ROUND_HALF_UP
    year_end_points: Decimal  # two decimals, ROUND_HALF_UP


def year_end_points(score: Fraction | Decimal,
                    weight: Decimal = DEFAULT_YEAR_END_WEIGHT) -> Decimal:
    """年终综合考核折算分 = year score / 100 × weight (§5.3; seed 004: weight 5 points), from
    the exact year score, rounded once to two decimals ROUND_HALF_UP (e.g. 87.25 → 4.36), and
    never above ``weight``: seed 004's "所占比例为4%，分值为5分" is the most this item can add
    to the year-end assessment, so 加分 beyond 100 count in the ranking but not past it."""
    weight = _points(weight, "年终考核分值")
    return min(round_half_up(Fraction(score) / 100 * Fraction(weight), 2),
               weight.quantize(Decimal("0.01")))


def year_score(community_id: int, name: str, year: int, quarters: Mapping[int, Decimal],
               weight: Decimal = DEFAULT_YEAR_END_WEIGHT) -> YearScore | None:
    """The year's score = mean of the published scores of the quarters assessed (a quarter not
    assessed is left out, not counted as 0), and its year-end points; None if no quarter was
    assessed."""
    if not quarters:
        return None
    for q in quarters:
        quarter_months(q)  # validates 1..4
    exact = Fraction(sum(quarters.values(), Decimal(0))) / len(quarters)
    return YearScore(community_id=community_id, name=name, year=year,
                     quarters=dict(sorted(quarters.items())), exact=exact,
                     score=round_half_up(exact, 1),
                     year_end_points=year_end_points(exact, weight))


# --------------------------------------------------------------------------- storage form

def scheme_to_json(scheme: Scheme) -> dict:
    """A plain dict (points as strings, exact) for the store and for resources/ data files."""

    def ind(i: Indicator) -> dict:
        out: dict[str, Any] = {"code": i.code, "name": i.name, "max_points": str(i.max_points)}
        if i.standard:
            out["standard"] = i.standard
        if i.rules:
            out["rules"] = [{"text": r.text, "points_per_finding": str(r.points_per_finding),
                             **({"cap": str(r.cap)} if r.cap is not None else {})}
                            for r in i.rules]
        if i.children:
            out["children"] = [ind(c) for c in i.children]
        return out

    return {
        "year": scheme.year, "name": scheme.name, "total": str(scheme.total),
        "indicators": [ind(i) for i in scheme.indicators],
        "bonuses": [{"code": b.code, "name": b.name, "points": str(b.points)}
                    for b in scheme.bonuses],
        "penalties": [{"code": p.code, "name": p.name, "points": str(p.points)}
                      for p in scheme.penalties],
        "vetoes": [{"code": v.code, "name": v.name} for v in scheme.vetoes],
        "bonus_cap": None if scheme.bonus_cap is None else str(scheme.bonus_cap),
    }


def scheme_from_json(value: Mapping) -> Scheme:
    def ind(d: Mapping) -> Indicator:
        return Indicator(
            code=str(d["code"]), name=str(d["name"]), max_points=Decimal(str(d["max_points"])),
            standard=str(d.get("standard", "")),
            rules=tuple(DeductionRule(str(r["text"]), Decimal(str(r["points_per_finding"])),
                                      Decimal(str(r["cap"])) if r.get("cap") is not None
                                      else None) for r in d.get("rules", ())),
            children=tuple(ind(c) for c in d.get("children", ())),
        )

    def items(rows: Iterable[Mapping], kind: AdjustmentKind) -> tuple[AdjustmentItem, ...]:
        return tuple(AdjustmentItem(str(r["code"]), str(r["name"]), Decimal(str(r["points"])),
                                    kind) for r in rows)

    cap = value.get("bonus_cap")
    return Scheme(
        year=int(value["year"]), name=str(value["name"]),
        total=Decimal(str(value.get("total", "100"))),
        indicators=tuple(ind(i) for i in value["indicators"]),
        bonuses=items(value.get("bonuses", ()), AdjustmentKind.BONUS),
        penalties=items(value.get("penalties", ()), AdjustmentKind.PENALTY),
        vetoes=tuple(VetoItem(str(v["code"]), str(v["name"])) for v in value.get("vetoes", ())),
        bonus_cap=None if cap is None else Decimal(str(cap)),
    )


# --------------------------------------------------------------------------- editing the scheme
# (issue 5, item 1) The 考核细则 tab edits a copy of a version in a tree. Every edit below is a
# pure function that returns a new Scheme, so the rules hold without Qt: codes are generated
# once and never renumbered (a moved or renamed indicator keeps its code: storage, imports and
# the fill-in sheets refer to codes), the tree stays two levels deep, and a 一级 indicator with
# 二级 children always carries their sum (its points are not edited separately).

EDIT_DEFAULT_POINTS = Decimal(1)
ITEM_PREFIXES = {"bonus": "B", "penalty": "P", "veto": "V"}


def _edit_replace(obj: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(obj, **changes)


def scheme_codes(scheme: Scheme) -> set[str]:
    """Every code used in ``scheme``: indicators at both levels, 加分/扣分/否决 items."""
    codes: set[str] = set()

    def walk(ind: Indicator) -> None:
        codes.add(ind.code)
        for child in ind.children:
            walk(child)

    for top in scheme.indicators:
        walk(top)
    codes.update(i.code for i in (*scheme.bonuses, *scheme.penalties, *scheme.vetoes))
    return codes


def _next_number(used: Iterable[str], prefix: str) -> int:
    numbers = [int(c[len(prefix):]) for c in used
               if c.startswith(prefix) and c[len(prefix):].isdigit()]
    return max(numbers, default=0) + 1


def next_indicator_code(scheme: Scheme, parent_code: str | None = None) -> str:
    """The code for a new indicator: "6" after 一级 1–5, "2.5" after 2.1–2.4 (one past the
    highest number in use, so a gap left by a removed indicator is not refilled in between)."""
    taken = scheme_codes(scheme)
    if parent_code is None:
        prefix, pool = "", [t.code for t in scheme.indicators]
    else:
        parent = _top_indicator(scheme, parent_code)
        prefix, pool = parent.code + ".", [c.code for c in parent.children]
    n = _next_number(pool, prefix)
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def next_item_code(scheme: Scheme, kind: str) -> str:
    """The code for a new 加分项 ("B2"), 扣分项 ("P2") or 否决项 ("V1"); ``kind`` is "bonus",
    "penalty" or "veto"."""
    prefix = ITEM_PREFIXES[kind]
    taken = scheme_codes(scheme)
    n = _next_number(taken, prefix)
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def _top_indicator(scheme: Scheme, code: str) -> Indicator:
    for top in scheme.indicators:
        if top.code == code:
            return top
    raise UserError(f"考核细则中没有编号为“{code}”的一级指标")


def _locate(scheme: Scheme, code: str) -> tuple[int, int | None]:
    """(index of the 一级 indicator, index of the 二级 one or None)."""
    for i, top in enumerate(scheme.indicators):
        if top.code == code:
            return i, None
        for j, child in enumerate(top.children):
            if child.code == code:
                return i, j
    raise UserError(f"考核细则中没有编号为“{code}”的指标")


def _with_summed(top: Indicator, children: Sequence[Indicator]) -> Indicator:
    """``top`` with ``children``; its points become their sum (kept if none are left)."""
    if not children:
        return _edit_replace(top, children=())
    total = sum((c.max_points for c in children), Decimal(0))
    return _edit_replace(top, children=tuple(children), max_points=total)


def _set_top(scheme: Scheme, i: int, top: Indicator | None) -> Scheme:
    tops = list(scheme.indicators)
    if top is None:
        del tops[i]
    else:
        tops[i] = top
    return _edit_replace(scheme, indicators=tuple(tops))


def _get(scheme: Scheme, code: str) -> Indicator:
    i, j = _locate(scheme, code)
    top = scheme.indicators[i]
    return top if j is None else top.children[j]


def _put(scheme: Scheme, code: str, ind: Indicator) -> Scheme:
    i, j = _locate(scheme, code)
    top = scheme.indicators[i]
    if j is None:
        return _set_top(scheme, i, ind)
    children = list(top.children)
    children[j] = ind
    return _set_top(scheme, i, _with_summed(top, children))


def add_indicator(scheme: Scheme, parent_code: str | None = None, name: str = "新指标",
                  max_points: Decimal = EDIT_DEFAULT_POINTS) -> tuple[Scheme, str]:
    """A new 一级 indicator at the end (``parent_code`` None) or a new 二级 one at the end of
    its 一级 indicator; returns the new scheme and the new code. The first 二级 indicator of
    a 一级 indicator that had none takes over its points and deduction rules, so the total and
    the rules stay as they were (rules belong on the 二级 level)."""
    code = next_indicator_code(scheme, parent_code)
    if parent_code is None:
        new = Indicator(code, name, max_points)
        return _edit_replace(scheme, indicators=(*scheme.indicators, new)), code
    i, _ = _locate(scheme, parent_code)
    top = scheme.indicators[i]
    if top.children:
        child = Indicator(code, name, max_points)
        return _set_top(scheme, i, _with_summed(top, (*top.children, child))), code
    child = Indicator(code, name, top.max_points, rules=top.rules)
    return _set_top(scheme, i, _edit_replace(top, children=(child,), rules=())), code


_UNCHANGED: Any = object()


def update_indicator(scheme: Scheme, code: str, *, name: str | None = None,
                     max_points: Decimal | None = None,
                     standard: str | None = None) -> Scheme:
    """Rename, re-point or re-describe an indicator. A 二级 indicator's new points change its
    一级 indicator's sum; a 一级 indicator with 二级 ones has no points of its own to set."""
    ind = _get(scheme, code)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name
    if standard is not None:
        changes["standard"] = standard
    if max_points is not None:
        if ind.children:
            raise UserError(f"指标{code}“{ind.name}”的分值是其二级指标的合计，请修改二级指标的分值")
        changes["max_points"] = max_points
    return _put(scheme, code, _edit_replace(ind, **changes)) if changes else scheme


def remove_indicator(scheme: Scheme, code: str) -> Scheme:
    """Remove an indicator (a 一级 one with its 二级 ones and all their rules)."""
    i, j = _locate(scheme, code)
    if j is None:
        return _set_top(scheme, i, None)
    top = scheme.indicators[i]
    children = [c for c in top.children if c.code != code]
    return _set_top(scheme, i, _with_summed(top, children))


def _moved(items: Sequence[T], index: int, delta: int) -> tuple[tuple[T, ...], int]:
    target = index + delta
    if not 0 <= target < len(items) or delta == 0:
        return tuple(items), index
    out = list(items)
    out.insert(target, out.pop(index))
    return tuple(out), target


def move_indicator(scheme: Scheme, code: str, delta: int) -> Scheme:
    """Move an indicator ``delta`` places among its siblings (-1 up, +1 down); its code stays.
    At either end nothing changes."""
    i, j = _locate(scheme, code)
    if j is None:
        tops, _ = _moved(scheme.indicators, i, delta)
        return _edit_replace(scheme, indicators=tops)
    top = scheme.indicators[i]
    children, _ = _moved(top.children, j, delta)
    return _set_top(scheme, i, _edit_replace(top, children=children))


def add_rule(scheme: Scheme, code: str, text: str = "新扣分规则",
             points_per_finding: Decimal = EDIT_DEFAULT_POINTS,
             cap: Decimal | None = None) -> tuple[Scheme, int]:
    """Append a deduction rule to indicator ``code``; returns the scheme and the rule's index."""
    ind = _get(scheme, code)
    rules = (*ind.rules, DeductionRule(text, points_per_finding, cap))
    return _put(scheme, code, _edit_replace(ind, rules=rules)), len(rules) - 1


def update_rule(scheme: Scheme, code: str, index: int, *, text: str | None = None,
                points_per_finding: Decimal | None = None, cap: Any = _UNCHANGED) -> Scheme:
    """Change a rule's 说明, 每次扣分 or 最多扣 (``cap=None``: no cap of its own)."""
    ind = _get(scheme, code)
    rule = ind.rules[index]
    changes: dict[str, Any] = {}
    if text is not None:
        changes["text"] = text
    if points_per_finding is not None:
        changes["points_per_finding"] = points_per_finding
    if cap is not _UNCHANGED:
        changes["cap"] = cap
    if not changes:
        return scheme
    rules = list(ind.rules)
    rules[index] = _edit_replace(rule, **changes)
    return _put(scheme, code, _edit_replace(ind, rules=tuple(rules)))


def remove_rule(scheme: Scheme, code: str, index: int) -> Scheme:
    ind = _get(scheme, code)
    rules = tuple(r for n, r in enumerate(ind.rules) if n != index)
    return _put(scheme, code, _edit_replace(ind, rules=rules))


def move_rule(scheme: Scheme, code: str, index: int, delta: int) -> tuple[Scheme, int]:
    """Move a rule among the indicator's rules; returns the scheme and the rule's new index.
    (Stored checks refer to rules by index, but a version that has checks is never edited.)"""
    ind = _get(scheme, code)
    rules, new_index = _moved(ind.rules, index, delta)
    return _put(scheme, code, _edit_replace(ind, rules=rules)), new_index


_ITEM_FIELDS = {"bonus": "bonuses", "penalty": "penalties", "veto": "vetoes"}


def item_kind(scheme: Scheme, code: str) -> str:
    """"bonus", "penalty" or "veto": which list item ``code`` is in."""
    for kind, attr in _ITEM_FIELDS.items():
        if any(i.code == code for i in getattr(scheme, attr)):
            return kind
    raise UserError(f"考核细则中没有编号为“{code}”的加分项、扣分项或否决项")


def add_item(scheme: Scheme, kind: str, name: str = "",
             points: Decimal = EDIT_DEFAULT_POINTS) -> tuple[Scheme, str]:
    """Append a 加分项 ("bonus"), 扣分项 ("penalty") or 否决项 ("veto"); returns the scheme
    and the new code (B…, P…, V…)."""
    code = next_item_code(scheme, kind)
    item: AdjustmentItem | VetoItem
    if kind == "veto":
        item = VetoItem(code, name or "新否决项")
    else:
        adj = AdjustmentKind.BONUS if kind == "bonus" else AdjustmentKind.PENALTY
        item = AdjustmentItem(code, name or f"新{adj.value}项", points, adj)
    attr = _ITEM_FIELDS[kind]
    return _edit_replace(scheme, **{attr: (*getattr(scheme, attr), item)}), code


def update_item(scheme: Scheme, code: str, *, name: str | None = None,
                points: Decimal | None = None) -> Scheme:
    attr = _ITEM_FIELDS[item_kind(scheme, code)]
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name
    if points is not None and attr != "vetoes":
        changes["points"] = points
    if not changes:
        return scheme
    items = tuple(_edit_replace(i, **changes) if i.code == code else i
                  for i in getattr(scheme, attr))
    return _edit_replace(scheme, **{attr: items})


def remove_item(scheme: Scheme, code: str) -> Scheme:
    attr = _ITEM_FIELDS[item_kind(scheme, code)]
    return _edit_replace(scheme, **{attr: tuple(i for i in getattr(scheme, attr)
                                                 if i.code != code)})


def move_item(scheme: Scheme, code: str, delta: int) -> Scheme:
    attr = _ITEM_FIELDS[item_kind(scheme, code)]
    items = getattr(scheme, attr)
    index = next(n for n, i in enumerate(items) if i.code == code)
    moved, _ = _moved(items, index, delta)
    return _edit_replace(scheme, **{attr: moved})


__all__ += [
    "add_indicator", "add_item", "add_rule", "item_kind", "move_indicator", "move_item",
    "move_rule", "next_indicator_code", "next_item_code", "remove_indicator", "remove_item",
    "remove_rule", "scheme_codes", "update_indicator", "update_item", "update_rule",
]
