"""Approval slips (审批单): the review chain, who may sign which step, and a slip's state as a pure
function of its append-only events. No Qt and no database here.

谁主管谁公开、谁公开谁审查、谁审查谁负责、先审查后公开: every notice is reviewed before it is
published, and the review is on record (条例第十七条: "建立健全政府信息公开审查机制，明确审查的程序
和责任"). A slip is opened for exactly one version of a notice's content (its SHA-256, WYSIWYS) and
walks the chain 经办人拟稿 → 科室（社区）负责人审核 → 保密审查 → 分管领导审核 → 主要领导审批.

A slip's rows are never changed: what happened to it is a list of :class:`SlipEvent` (submit,
decide, withdraw, resubmit, supersede) and :func:`fold` derives where it stands. The database
keeps the same list in an append-only table, so the state shown is always the state recorded.

Return semantics (the issue's "退回 goes back to the drafter or to a named earlier step, and after
the fix the slip resumes at the step that sent it back"): a step that returns to an earlier step
pushes itself on a resume stack; when the earlier step approves again, the slip jumps straight
back to it, skipping the steps in between, whose approvals stand. A return to the drafter
(退回修改) lets the drafter change the content; if the content did change and 保密审查 comes
before the returning step, 保密审查 sees the new version first — screening is about content, and a
fix can add what screening must catch.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from govdesk.core.audit import canonical_json
from govdesk.core.org import Role

__all__ = [
    "DEFAULT_CHAIN",
    "DRAFTER",
    "ChainConfig",
    "Decision",
    "EventKind",
    "SlipEvent",
    "SlipState",
    "SlipStatus",
    "Stage",
    "content_hash",
    "decide_problem",
    "fold",
    "withdraw_problem",
]


class Stage(enum.StrEnum):
    UNIT_HEAD = "科室（社区）负责人审核"
    SECRECY = "保密审查"
    DEPUTY = "分管领导审核"
    PRINCIPAL = "主要领导审批"

    @property
    def role(self) -> Role:
        return STAGE_ROLES[self]

    @property
    def opinion_label(self) -> str:
        return {
            Stage.UNIT_HEAD: "科室（社区）负责人审核意见",
            Stage.SECRECY: "保密审查意见",
            Stage.DEPUTY: "分管领导审核意见",
            Stage.PRINCIPAL: "主要领导审批意见",
        }[self]


STAGE_ROLES: Mapping[Stage, Role] = {
    Stage.UNIT_HEAD: Role.UNIT_HEAD,
    Stage.SECRECY: Role.SECRECY_OFFICER,
    Stage.DEPUTY: Role.DEPUTY_LEADER,
    Stage.PRINCIPAL: Role.PRINCIPAL_LEADER,
}

DEFAULT_CHAIN: tuple[Stage, ...] = (Stage.UNIT_HEAD, Stage.SECRECY, Stage.DEPUTY, Stage.PRINCIPAL)
DRAFTER = -1  # return_to value meaning 退回经办人

# 常用意见 offered in the decision dialog.
COMMON_OPINIONS: Mapping[str, tuple[str, ...]] = {
    "同意": ("同意", "同意公开", "经审查，不涉及国家秘密、工作秘密和个人隐私，同意公开", "同意，请按程序发布"),
    "退回修改": ("请核实数据后重新提交", "个人信息未去标识化，请处理后重新提交", "请补充公示期及监督电话",
              "文字有误，请修改"),
    "不同意": ("涉及工作秘密，不予公开", "属于内部事务信息，不予公开", "内容不宜公开"),
}


class Decision(enum.StrEnum):
    APPROVE = "同意"
    RETURN = "退回修改"
    REJECT = "不同意"


class EventKind(enum.StrEnum):
    SUBMIT = "submit"  # 提交审批 (opens the slip)
    DECIDE = "decide"  # a step's 同意 / 退回修改 / 不同意
    WITHDRAW = "withdraw"  # 取回 by the drafter before the current holder acts
    RESUBMIT = "resubmit"  # the drafter's fix after 退回修改 to the drafter
    SUPERSEDE = "supersede"  # the content was edited outside a return: this slip is void
    RECORD = "record"  # approved before govdesk kept slips (upgrade) or in a ledger imported

    @property
    def label(self) -> str:
        return {
            EventKind.SUBMIT: "提交审批",
            EventKind.DECIDE: "审批",
            EventKind.WITHDRAW: "取回",
            EventKind.RESUBMIT: "修改后重新提交",
            EventKind.SUPERSEDE: "内容修改，审批单作废",
            EventKind.RECORD: "补录原有审批（升级或台账导入前已审批）",
        }[self]


class SlipStatus(enum.StrEnum):
    IN_REVIEW = "审批中"
    RETURNED = "已退回"
    APPROVED = "已批准"
    REJECTED = "不同意"
    WITHDRAWN = "已取回"
    SUPERSEDED = "已作废"


CLOSED = frozenset({SlipStatus.APPROVED, SlipStatus.REJECTED, SlipStatus.WITHDRAWN,
                    SlipStatus.SUPERSEDED})


@dataclass(frozen=True)
class ChainConfig:
    """The office's chain: the default order of stages, the categories whose routine items
    skip 主要领导审批, and whether one person may sign two review stages (small townships).
    Never 保密审查 plus the final approval, whatever the setting."""

    stages: tuple[Stage, ...] = DEFAULT_CHAIN
    routine_categories: frozenset[int] = frozenset()
    allow_double_signing: bool = False

    def __post_init__(self) -> None:
        problem = chain_problem(self.stages)
        if problem:
            raise ValueError(problem)

    def chain_for(self, category_id: int | None) -> tuple[Stage, ...]:
        if category_id is not None and category_id in self.routine_categories:
            routine = tuple(s for s in self.stages if s is not Stage.PRINCIPAL)
            if not chain_problem(routine):
                return routine
        return self.stages

    def chain_for_letter(self, routine: bool) -> tuple[Stage, ...]:
        """The chain of a 依申请公开 letter: procedural letters (routine) skip 主要领导 like the
        office's routine categories; a reply takes the whole chain."""
        if routine:
            shorter = tuple(s for s in self.stages if s is not Stage.PRINCIPAL)
            if not chain_problem(shorter):
                return shorter
        return self.stages

    def to_json(self) -> dict:
        return {
            "stages": [s.name for s in self.stages],
            "routine_categories": sorted(self.routine_categories),
            "allow_double_signing": self.allow_double_signing,
        }

    @classmethod
    def from_json(cls, value: Mapping | None) -> ChainConfig:
        if not value:
            return cls()
        return cls(
            stages=tuple(Stage[n] for n in value.get("stages", [s.name for s in DEFAULT_CHAIN])),
            routine_categories=frozenset(int(c) for c in value.get("routine_categories", ())),
            allow_double_signing=bool(value.get("allow_double_signing", False)),
        )


def chain_problem(stages: Sequence[Stage]) -> str:
    """A Chinese reason why ``stages`` is not a usable chain, or ""."""
    if not stages:
        return "审批流程至少要有一个环节"
    if len(set(stages)) != len(stages):
        return "审批流程中同一环节不能出现两次"
    if Stage.SECRECY not in stages:
        return "审批流程必须包含保密审查（先审查后公开）"
    if stages[-1] not in (Stage.DEPUTY, Stage.PRINCIPAL):
        return "审批流程的最后一个环节必须是分管领导或主要领导"
    if list(stages) != sorted(stages, key=list(Stage).index):
        return "审批流程的环节顺序应为：科室（社区）负责人审核、保密审查、分管领导审核、主要领导审批"
    return ""


@dataclass(frozen=True)
class SlipEvent:
    kind: EventKind
    actor_id: int  # the signer for a decision (the leader, also for a paper slip); else the drafter
    step: int | None = None  # chain index of a decision
    decision: Decision | None = None
    return_to: int | None = None  # DRAFTER or an earlier chain index, for 退回修改
    content_hash: str = ""  # the content the event saw
    opinion: str = ""
    paper: bool = False  # 纸质签批（代录）: entered by ``entered_by`` from a signed paper slip
    entered_by: int | None = None
    signed_on: date | None = None


@dataclass(frozen=True)
class SlipState:
    status: SlipStatus
    current: int | None  # chain index awaiting a decision while 审批中
    content_hash: str  # the version under review
    resume: tuple[int, ...] = ()  # steps that sent the slip back, innermost last
    approvals: Mapping[int, int] = field(default_factory=dict)  # step → signer of its 同意
    approved_hashes: Mapping[int, str] = field(default_factory=dict)  # step → hash it approved
    acted_since_submit: bool = False  # a holder decided since the last (re)submission
    returned_by: int | None = None  # while 已退回: the step that sent it back
    recorded: bool = False  # an approval given before govdesk kept slips (RECORD)

    @property
    def closed(self) -> bool:
        return self.status in CLOSED


class SlipError(ValueError):
    """An event that cannot happen in the slip's state (the operations check first and give the
    user a Chinese message; this guards the fold itself)."""


def fold(chain: Sequence[Stage], events: Iterable[SlipEvent]) -> SlipState:
    """The slip's state after ``events`` (the first must be SUBMIT)."""
    state: SlipState | None = None
    secrecy = chain.index(Stage.SECRECY) if Stage.SECRECY in chain else None
    for ev in events:
        if state is None:
            if ev.kind is EventKind.RECORD:
                state = SlipState(SlipStatus.APPROVED, None, ev.content_hash, recorded=True)
                continue
            if ev.kind is not EventKind.SUBMIT:
                raise SlipError("a slip starts with its submission")
            state = SlipState(SlipStatus.IN_REVIEW, 0, ev.content_hash)
            continue
        if state.closed and not (
            ev.kind is EventKind.SUPERSEDE and state.status is SlipStatus.APPROVED
        ):
            # an approved slip can still be voided by an edit of the notice; nothing else
            raise SlipError(f"slip is closed ({state.status})")
        if ev.kind is EventKind.SUPERSEDE:
            state = _with(state, status=SlipStatus.SUPERSEDED, current=None)
        elif ev.kind is EventKind.WITHDRAW:
            if state.status is not SlipStatus.IN_REVIEW or state.acted_since_submit:
                raise SlipError("withdraw only before the current holder acts")
            state = _with(state, status=SlipStatus.WITHDRAWN, current=None)
        elif ev.kind is EventKind.RESUBMIT:
            if state.status is not SlipStatus.RETURNED:
                raise SlipError("resubmit only after a return to the drafter")
            resume = list(state.resume)
            target = resume.pop() if resume else 0
            if ev.content_hash != state.content_hash and secrecy is not None and secrecy < target:
                resume.append(target)
                target = secrecy
            state = _with(state, status=SlipStatus.IN_REVIEW, current=target,
                          content_hash=ev.content_hash, resume=tuple(resume),
                          acted_since_submit=False, returned_by=None)
        elif ev.kind is EventKind.DECIDE:
            if state.status is not SlipStatus.IN_REVIEW or ev.step != state.current:
                raise SlipError("decision for a step that is not waiting")
            state = _decide(chain, state, ev)
        else:  # pragma: no cover - exhaustive over EventKind
            raise SlipError(f"unknown event {ev.kind}")
    if state is None:
        raise SlipError("no events")
    return state


def _decide(chain: Sequence[Stage], state: SlipState, ev: SlipEvent) -> SlipState:
    step = state.current
    assert step is not None
    if ev.decision is Decision.APPROVE:
        approvals = {**state.approvals, step: ev.actor_id}
        hashes = {**state.approved_hashes, step: state.content_hash}
        resume = list(state.resume)
        if resume and resume[-1] > step:
            nxt = resume.pop()
        else:
            nxt = step + 1
        if nxt >= len(chain):
            return _with(state, status=SlipStatus.APPROVED, current=None, approvals=approvals,
                         approved_hashes=hashes, resume=(), acted_since_submit=True)
        return _with(state, current=nxt, approvals=approvals, approved_hashes=hashes,
                     resume=tuple(resume), acted_since_submit=True)
    if ev.decision is Decision.RETURN:
        target = DRAFTER if ev.return_to is None else ev.return_to
        if target != DRAFTER and not 0 <= target < step:
            raise SlipError("return only to the drafter or an earlier step")
        resume = (*state.resume, step)
        if target == DRAFTER:
            return _with(state, status=SlipStatus.RETURNED, current=None, resume=resume,
                         acted_since_submit=True, returned_by=step)
        # the step returned to must decide again
        approvals = {k: v for k, v in state.approvals.items() if k != target}
        hashes = {k: v for k, v in state.approved_hashes.items() if k != target}
        return _with(state, current=target, resume=resume, approvals=approvals,
                     approved_hashes=hashes, acted_since_submit=True)
    if ev.decision is Decision.REJECT:
        return _with(state, status=SlipStatus.REJECTED, current=None, acted_since_submit=True)
    raise SlipError("a decision needs 同意, 退回修改 or 不同意")


def _with(state: SlipState, **changes) -> SlipState:
    values = {f: getattr(state, f) for f in SlipState.__dataclass_fields__}
    values.update(changes)
    return SlipState(**values)


def is_fully_approved(chain: Sequence[Stage], state: SlipState, current_hash: str) -> bool:
    """The gate for publishing: the slip is 已批准, every stage has a 同意, and the final
    approval and 保密审查 were given on ``current_hash`` (the content about to be published)."""
    if state.status is not SlipStatus.APPROVED or state.content_hash != current_hash:
        return False
    if state.recorded:
        return True
    if set(state.approvals) != set(range(len(chain))):
        return False
    last = len(chain) - 1
    must_see_current = {last} | ({chain.index(Stage.SECRECY)} if Stage.SECRECY in chain else set())
    return all(state.approved_hashes.get(i) == current_hash for i in must_see_current)


# ---- who may do what -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    """The person deciding (for a paper slip: the leader who signed, not the clerk entering it)."""

    id: int
    role: Role
    unit_id: int | None = None
    active: bool = True


def decide_problem(
    chain: Sequence[Stage],
    state: SlipState,
    events: Sequence[SlipEvent],
    signer: Signer,
    *,
    drafter_id: int,
    notice_unit_id: int | None,
    config: ChainConfig,
) -> str:
    """A Chinese reason why ``signer`` may not decide the slip's current step, or "".

    Separation of duties (等保: "形成相互制约的关系"): the drafter never signs any step of their
    own slip; the stage's role is required (the admin never approves content); a 科室负责人
    reviews only their own unit's notices; one person signs two stages only when the office
    allows it, and never 保密审查 together with the final approval."""
    if state.status is not SlipStatus.IN_REVIEW or state.current is None:
        return f"审批单当前状态为“{state.status.value}”，不能审批"
    stage = chain[state.current]
    if not signer.active:
        return "该账号已停用，不能审批"
    if signer.id == drafter_id:
        return "经办人不能审批自己提交的审批单"
    if signer.role is not stage.role:
        return f"“{stage.value}”须由{stage.role.label}审批"
    if (
        stage is Stage.UNIT_HEAD
        and notice_unit_id is not None
        and signer.unit_id is not None
        and signer.unit_id != notice_unit_id
    ):
        return "科室负责人只能审核本科室（社区）的信息"
    others = {step for step, uid in state.approvals.items() if uid == signer.id
              and step != state.current}
    # the same person also decided other steps of this slip (including 退回 and paper entries)
    others |= {ev.step for ev in events if ev.kind is EventKind.DECIDE and ev.actor_id == signer.id
               and ev.step is not None and ev.step != state.current}
    if others:
        last = len(chain) - 1
        secrecy = chain.index(Stage.SECRECY) if Stage.SECRECY in chain else None
        steps = others | {state.current}
        if secrecy is not None and secrecy in steps and last in steps:
            return "同一人不能既作保密审查又作最终审批"
        if not config.allow_double_signing:
            return "同一人不能签署同一审批单的两个环节（如确需，请管理员在设置中允许）"
    return ""


def withdraw_problem(state: SlipState, user_id: int, drafter_id: int) -> str:
    if user_id != drafter_id:
        return "只有经办人本人可以取回审批单"
    if state.status is not SlipStatus.IN_REVIEW:
        return f"审批单当前状态为“{state.status.value}”，不能取回"
    if state.acted_since_submit:
        return "已有审批人处理，不能取回；如需修改，请联系当前审批人退回"
    return ""


# ---- content --------------------------------------------------------------------------------------


def content_hash(content: Mapping[str, object]) -> str:
    """SHA-256 of the canonical JSON of everything that will be published (WYSIWYS)."""
    return hashlib.sha256(canonical_json(dict(content)).encode("utf-8")).hexdigest()


# The notice fields that are published, hence covered by the content hash (the 索引号, status and
# dates of the workflow are not content). Attachments and the masking policy join when notices
# carry them.
CONTENT_FIELDS = (
    "title", "body", "doc_number", "category_id", "disclosure", "withhold_ground", "unit_id",
    "community_id", "formed_on", "period_start", "period_end", "period_unit", "note",
)


def notice_content(row: Mapping[str, object], channel_ids: Iterable[int]) -> dict[str, object]:
    """What a slip approves, from a stored notice row and its channels: every published field,
    the channels, the attachments' SHA-256 and the masking policy."""
    content: dict[str, object] = {f: row.get(f) for f in CONTENT_FIELDS}
    content["channel_ids"] = sorted(int(c) for c in channel_ids)
    content["attachments"] = sorted(row.get("attachment_hashes") or ())  # type: ignore[arg-type]
    content["mask_policy"] = row.get("mask_policy") or "默认"
    return content
