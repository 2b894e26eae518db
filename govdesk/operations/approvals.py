"""Approval slips (审批单): submit, decide (on screen or from a signed paper slip), withdraw, and
the publication gate. One function per user action; each checks permissions and separation of
duties itself, runs in one transaction and leaves its audit row.

The rules live in core.approvals (pure); the database keeps the slip's events append-only and
enforces the gate a second time with triggers (migrations 0007 and 0010).

A slip approves one version of a notice or of a 依申请公开 letter (答复书、告知书; issue 6: "letters
go through the approvals workflow like notices"). The chain, the decisions, 取回, paper
signatures and the printed slip are the same; what differs is read off ``SlipView.notice`` /
``SlipView.letter``: a notice has a status the decisions move, a letter has none (whether it may
go out is read off its latest slip), and the personal-information screening before 保密审查 is a
check of what will be published, so it applies to notices only — a letter is addressed to the
applicant by name.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from govdesk.core.approvals import (
    DRAFTER,
    ChainConfig,
    Decision,
    EventKind,
    Signer,
    SlipEvent,
    SlipState,
    SlipStatus,
    Stage,
    decide_problem,
    fold,
    is_fully_approved,
    withdraw_problem,
)
from govdesk.core.errors import NotFound, PermissionDenied, UserError
from govdesk.core.letters import LetterKind, StoredLetter
from govdesk.core.notices import Notice, NoticeStatus
from govdesk.operations.context import Context, can, requires
from govdesk.store import (
    approval_store,
    letter_store,
    notice_store,
    org_store,
    request_store,
    user_store,
)
from govdesk.store.approval_store import EventRow, SlipRow

CHAIN_SETTING = "approval.chain"
LETTER_PERMISSION = "request.manage"  # who drafts, submits and sends 依申请公开 letters


@dataclass(frozen=True)
class LetterSubject:
    """The letter a slip approves, as it stands now."""

    letter: StoredLetter
    request_number: str  # 〔2025〕第3号

    @property
    def id(self) -> int:
        return self.letter.id

    @property
    def kind(self) -> LetterKind:
        return self.letter.kind

    @property
    def title(self) -> str:
        to = f"致{self.letter.party}，" if self.letter.party else ""
        return f"{self.kind.value}（{to}申请{self.request_number}）"


@dataclass(frozen=True)
class SlipView:
    """A slip with its events and derived state, for the pages, the CLI and the printed form.
    Exactly one of ``notice`` and ``letter`` is set: what the slip approves."""

    slip: SlipRow
    events: tuple[EventRow, ...]
    state: SlipState
    notice: Notice | None
    drafter_name: str
    letter: LetterSubject | None = None

    @property
    def title(self) -> str:
        """The notice's title, or the letter's kind and application (答复书（申请〔2025〕第3号）)."""
        if self.notice is not None:
            return self.notice.title
        assert self.letter is not None
        return self.letter.title

    @property
    def reference(self) -> str:
        """索引号 of a notice, 申请编号 of a letter."""
        if self.notice is not None:
            return f"索引号：{self.notice.index_number}"
        assert self.letter is not None
        return f"申请编号：{self.letter.request_number}"

    @property
    def subject_kind(self) -> str:
        return "信息" if self.notice is not None else "文书"

    @property
    def id(self) -> int:
        return self.slip.id

    @property
    def number(self) -> str:
        return self.slip.number

    @property
    def chain(self) -> tuple[Stage, ...]:
        return self.slip.chain

    @property
    def current_stage(self) -> Stage | None:
        s = self.state.current
        return self.chain[s] if s is not None else None

    @property
    def status_text(self) -> str:
        if self.state.status is SlipStatus.IN_REVIEW and self.current_stage is not None:
            return f"待{self.current_stage.value}"
        if self.state.status is SlipStatus.RETURNED:
            return "已退回经办人修改"
        return self.state.status.value

    def missing_stages(self) -> list[str]:
        """Stages without a valid 同意 — what the publication gate names."""
        if self.state.recorded:
            return []
        return [s.value for i, s in enumerate(self.chain) if i not in self.state.approvals]


# ---- configuration -------------------------------------------------------------------------------


def chain_config(ctx: Context) -> ChainConfig:
    raw = org_store.get_setting(ctx.db, CHAIN_SETTING)
    try:
        return ChainConfig.from_json(json.loads(raw) if raw else None)
    except (ValueError, KeyError, TypeError):
        return ChainConfig()  # a damaged setting never blocks approvals: the default applies


@requires("settings.manage")
def set_chain_config(ctx: Context, config: ChainConfig) -> None:
    with ctx.db.atomic():
        before = org_store.get_setting(ctx.db, CHAIN_SETTING)
        org_store.set_setting(ctx.db, CHAIN_SETTING, json.dumps(config.to_json()))
        ctx.audit("set_approval_chain", "setting", CHAIN_SETTING,
                  before=json.loads(before) if before else None, after=config.to_json())


# ---- reading -------------------------------------------------------------------------------------


def _view(ctx: Context, slip: SlipRow) -> SlipView:
    rows = approval_store.events(ctx.db, slip.id)
    state = fold(slip.chain, [r.event for r in rows])
    drafter = user_store.get_user(ctx.db, slip.drafter_id) if slip.drafter_id else None
    name = drafter.name if drafter else ""
    if slip.letter_id is not None:
        letter = letter_store.get_letter(ctx.db, slip.letter_id)
        assert letter is not None  # a letter on a slip is never deleted (migration 0010)
        request = request_store.get_request(ctx.db, letter.request_id)
        assert request is not None
        return SlipView(slip, tuple(rows), state, None, name,
                        LetterSubject(letter, request.number))
    assert slip.notice_id is not None
    notice = notice_store.get_notice(ctx.db, slip.notice_id)
    assert notice is not None
    return SlipView(slip, tuple(rows), state, notice, name)


def current_hash(ctx: Context, view: SlipView) -> str:
    """The content hash of the slip's subject as it is now (the slip signs the version it was
    opened on; an edit since then makes a new version)."""
    if view.letter is not None:
        found = letter_store.get_letter(ctx.db, view.letter.id)
        return found.content_hash if found else ""
    assert view.notice is not None
    return _content(ctx, view.notice.id)[1]


def get_slip(ctx: Context, slip_id: int) -> SlipView:
    slip = approval_store.get_slip(ctx.db, slip_id)
    if slip is None:
        raise NotFound(f"审批单（编号 {slip_id}）不存在")
    return _view(ctx, slip)


def find_slip(ctx: Context, key: str) -> SlipView:
    """A slip by 审批单编号 (SP2026-0001) or by its numeric id."""
    key = key.strip()
    slip = approval_store.slip_by_number(ctx.db, key.upper())
    if slip is None and key.isdigit():
        slip = approval_store.get_slip(ctx.db, int(key))
    if slip is None:
        raise NotFound(f"审批单“{key}”不存在")
    return _view(ctx, slip)


def slips_of_notice(ctx: Context, notice_id: int) -> list[SlipView]:
    return [_view(ctx, s) for s in approval_store.slips_of_notice(ctx.db, notice_id)]


def latest_slip(ctx: Context, notice_id: int) -> SlipView | None:
    slip = approval_store.latest_slip(ctx.db, notice_id)
    return _view(ctx, slip) if slip else None


def _letter_slips(ctx: Context, *statuses: SlipStatus) -> list[SlipView]:
    """The latest slip of each letter, when its state is one of ``statuses``."""
    views = [get_slip(ctx, i) for i in approval_store.latest_letter_slip_ids(ctx.db)]
    return [v for v in views if v.state.status in statuses]


def my_queue(ctx: Context) -> list[SlipView]:
    """待我审批: open slips (of notices and of letters) whose current step the signed-in user
    may decide, oldest first."""
    user = ctx.user
    if user is None:
        return []
    out = []
    views = [get_slip(ctx, i) for i in approval_store.open_slip_ids(ctx.db)]
    views += _letter_slips(ctx, SlipStatus.IN_REVIEW)
    for view in sorted(views, key=lambda v: v.id):
        if view.state.status is SlipStatus.IN_REVIEW and not _problem(ctx, view, user.id):
            out.append(view)
    return out


def open_slips(ctx: Context) -> list[SlipView]:
    """Every slip waiting for someone (审批中 or 已退回), oldest first: notices', then
    letters'."""
    views = [get_slip(ctx, i) for i in approval_store.open_slip_ids(ctx.db)]
    returned = [
        v for v in (latest_slip(ctx, n.id) for n in _drafts_with_returned_slips(ctx)) if v
    ]
    letters = _letter_slips(ctx, SlipStatus.IN_REVIEW, SlipStatus.RETURNED)
    return views + [v for v in returned if v.state.status is SlipStatus.RETURNED] + letters


def _drafts_with_returned_slips(ctx: Context) -> list[Notice]:
    ids = [r[0] for r in ctx.db.execute(
        "SELECT n.id FROM notice n WHERE n.status = '草稿' AND EXISTS"
        " (SELECT 1 FROM approval_slip s WHERE s.notice_id = n.id)")]
    found = [notice_store.get_notice(ctx.db, i) for i in ids]
    return [n for n in found if n is not None]


def why_not_decide(ctx: Context, view: SlipView, user_id: int | None = None) -> str:
    """"" when ``user_id`` (default: the signed-in user) may decide the slip's current step;
    otherwise the Chinese reason (for enabling buttons and explaining why they are disabled).
    The operations check again on every call."""
    uid = user_id if user_id is not None else ctx.actor_id
    if uid is None:
        return "请先登录"
    if view.state.status is not SlipStatus.IN_REVIEW:
        return f"审批单当前为“{view.status_text}”"
    return _problem(ctx, view, uid)


def _signer(ctx: Context, user_id: int) -> Signer:
    user = user_store.get_user(ctx.db, user_id)
    if user is None:
        raise NotFound("签批人不存在")
    return Signer(user.id, user.role, user.unit_id, user.active)


def _problem(ctx: Context, view: SlipView, user_id: int) -> str:
    # A 科室 without a head of its own (no active 科室负责人 account in that unit) is reviewed by
    # any 科室负责人, as small townships do (党政办主任 for the 站所). A letter is the office's
    # (政府信息公开工作机构): any 科室负责人.
    unit_id = view.notice.unit_id if view.notice is not None else None
    if unit_id is not None and not any(
        u.active and u.role.value == "unit_head" and u.unit_id == unit_id
        for u in user_store.list_users(ctx.db)
    ):
        unit_id = None
    return decide_problem(
        view.chain, view.state, [r.event for r in view.events], _signer(ctx, user_id),
        drafter_id=view.slip.drafter_id if view.slip.drafter_id is not None else -1,
        notice_unit_id=unit_id, config=chain_config(ctx),
    )


# ---- submitting ----------------------------------------------------------------------------------


def _content(ctx: Context, notice_id: int) -> tuple[dict, str, int]:
    row = notice_store.raw_notice(ctx.db, notice_id)
    assert row is not None
    from govdesk.core.approvals import notice_content

    content = notice_content(row, row["channel_ids"])
    return content, row["content_hash"], row["version"]


@requires("notice.edit")
def submit_for_approval(ctx: Context, notice_id: int) -> SlipView:
    """提交审批: open a slip for the notice's current content on the office's chain (or, after
    a 退回修改 to the drafter, send the fixed version back to the step that returned it)."""
    notice = notice_store.get_notice(ctx.db, notice_id)
    if notice is None:
        raise NotFound("信息不存在")
    if notice.status is not NoticeStatus.DRAFT:
        raise UserError(f"“{notice.status.value}”的信息不能提交审批")
    content, digest, version = _content(ctx, notice_id)
    if approval_store.rejected_by_secrecy(ctx.db, notice_id, digest):
        raise UserError("保密审查已认定这一内容不予公开，不能再次提交；请修改内容后重新提交")
    assert ctx.user is not None
    latest = latest_slip(ctx, notice_id)
    with ctx.db.atomic():
        if latest is not None and latest.state.status is SlipStatus.RETURNED:
            if ctx.user.id != latest.slip.drafter_id:
                raise PermissionDenied("只有经办人本人可以把退回的审批单修改后重新提交")
            slip = latest.slip
            ev = SlipEvent(EventKind.RESUBMIT, ctx.user.id, content_hash=digest)
            approval_store.append_event(ctx.db, slip.id, ev, stage="", actor_name=ctx.user.name,
                                        actor_role=ctx.user.role.label, at_utc=ctx.now_utc(),
                                        completes=False)
            action = "resubmit"
        else:
            chain = chain_config(ctx).chain_for(notice.category_id)
            number = approval_store.next_number(ctx.db, ctx.today().year)
            slip_id = approval_store.insert_slip(
                ctx.db, number=number, notice_id=notice_id, notice_version=version,
                content_hash=digest, content=content, chain=chain, drafter_id=ctx.user.id,
                created_at=ctx.now_utc(),
            )
            ev = SlipEvent(EventKind.SUBMIT, ctx.user.id, content_hash=digest)
            approval_store.append_event(ctx.db, slip_id, ev, stage="", actor_name=ctx.user.name,
                                        actor_role=ctx.user.role.label, at_utc=ctx.now_utc(),
                                        completes=False)
            slip = approval_store.get_slip(ctx.db, slip_id)
            assert slip is not None
            action = "submit"
        notice_store.set_status(ctx.db, notice_id, NoticeStatus.PENDING,
                                published_on=notice.published_on, updated_at=ctx.now_utc())
        ctx.audit(action, "notice", notice_id, slip=slip.number, content_hash=digest,
                  before={"status": notice.status.value}, after={"status": "待审批"})
    return get_slip(ctx, slip.id)


def supersede_for_edit(ctx: Context, notice_id: int) -> SlipView | None:
    """Called by update_notice, inside its transaction, when a pending or approved notice is
    edited: its open slip is void (the old one stays on record) and a new one starts over.
    Returns the new slip, or None when there was nothing to supersede."""
    latest = latest_slip(ctx, notice_id)
    if latest is None or latest.state.closed and latest.state.status is not SlipStatus.APPROVED:
        return None
    assert ctx.user is not None
    ev = SlipEvent(EventKind.SUPERSEDE, ctx.user.id, content_hash=latest.state.content_hash)
    approval_store.append_event(ctx.db, latest.id, ev, stage="", actor_name=ctx.user.name,
                                actor_role=ctx.user.role.label, at_utc=ctx.now_utc(),
                                completes=False)
    ctx.audit("supersede", "approval_slip", latest.id, slip=latest.number)
    content, digest, version = _content(ctx, notice_id)
    notice = latest.notice
    chain = chain_config(ctx).chain_for(notice.category_id)
    number = approval_store.next_number(ctx.db, ctx.today().year)
    # The new version keeps its drafter (经办人): whoever edited it — a 保密审查员 masking a
    # number, say — must still be able to review it.
    drafter = latest.slip.drafter_id if latest.slip.drafter_id is not None else ctx.user.id
    slip_id = approval_store.insert_slip(
        ctx.db, number=number, notice_id=notice_id, notice_version=version, content_hash=digest,
        content=content, chain=chain, drafter_id=drafter, created_at=ctx.now_utc(),
    )
    ev = SlipEvent(EventKind.SUBMIT, drafter, content_hash=digest)
    approval_store.append_event(ctx.db, slip_id, ev, stage="", actor_name=ctx.user.name,
                                actor_role=ctx.user.role.label, at_utc=ctx.now_utc(),
                                completes=False)
    ctx.audit("submit", "notice", notice_id, slip=number, content_hash=digest,
              reason="内容修改后重新审批")
    return get_slip(ctx, slip_id)


# ---- deciding ------------------------------------------------------------------------------------


# Registered by operations.screening: problems that stop 保密审查 from saying 同意 (unmasked
# personal information not passed with a reason).
SECRECY_CHECKS: list = []


def _check_opinion(decision: Decision, opinion: str) -> str:
    opinion = opinion.strip()
    if decision is Decision.APPROVE:
        return opinion or "同意"
    if not opinion:
        raise UserError(f"选择“{decision.value}”时须填写意见（理由）", field="意见")
    return opinion


def _record_decision(ctx: Context, view: SlipView, signer_id: int, decision: Decision,
                     opinion: str, *, return_to: int | None, paper: bool,
                     signed_on: date | None, scan: str = "") -> SlipView:
    state = view.state
    if state.status is not SlipStatus.IN_REVIEW or state.current is None:
        raise UserError(f"审批单 {view.number} 当前为“{view.status_text}”，不能审批")
    step = state.current
    stage = view.chain[step]
    problem = _problem(ctx, view, signer_id)
    if problem:
        with ctx.db.atomic():
            ctx.audit("denied", "approval_slip", view.id, reason=problem, signer_id=signer_id)
        raise PermissionDenied(problem)
    digest = current_hash(ctx, view)
    if digest != state.content_hash:
        raise UserError(f"{view.subject_kind}内容已被修改，与提交审批的版本不一致；"
                        "请刷新后重新审批")
    opinion = _check_opinion(decision, opinion)
    if decision is Decision.RETURN:
        target = DRAFTER if return_to is None else return_to
        if target != DRAFTER and not 0 <= target < step:
            raise UserError("只能退回给经办人或之前的审批环节", field="退回到")
        return_to = target
    else:
        return_to = None
    if decision is Decision.APPROVE and stage is Stage.SECRECY and view.notice is not None:
        import govdesk.operations.screening  # noqa: F401 - registers its check

        for check in SECRECY_CHECKS:
            problems = check(ctx, view)
            if problems:
                raise UserError("保密审查前须先处理以下问题：\n" + "\n".join(problems))
    signer = user_store.get_user(ctx.db, signer_id)
    assert signer is not None and ctx.user is not None
    ev = SlipEvent(
        EventKind.DECIDE, signer_id, step=step, decision=decision, return_to=return_to,
        content_hash=digest, opinion=opinion, paper=paper,
        entered_by=ctx.user.id if paper else None, signed_on=signed_on,
    )
    after = fold(view.chain, [*(r.event for r in view.events), ev])
    completes = after.status is SlipStatus.APPROVED
    notice = view.notice
    with ctx.db.atomic():
        approval_store.append_event(
            ctx.db, view.id, ev, stage=stage.value, actor_name=signer.name,
            actor_role=signer.role.label, at_utc=ctx.now_utc(), completes=completes, scan=scan,
        )
        subject: dict[str, object]
        if notice is not None:
            new_status = {
                SlipStatus.APPROVED: NoticeStatus.APPROVED,
                SlipStatus.REJECTED: NoticeStatus.DRAFT,
                SlipStatus.RETURNED: NoticeStatus.DRAFT,
            }.get(after.status, NoticeStatus.PENDING)
            if new_status is not notice.status:
                notice_store.set_status(ctx.db, notice.id, new_status,
                                        published_on=notice.published_on,
                                        updated_at=ctx.now_utc())
            subject = {"notice_id": notice.id, "notice_status": {
                "before": notice.status.value, "after": new_status.value}}
        else:
            assert view.letter is not None
            subject = {"letter_id": view.letter.id, "letter": view.letter.title}
        ctx.audit(
            {Decision.APPROVE: "approve", Decision.RETURN: "return",
             Decision.REJECT: "reject"}[decision],
            "approval_slip", view.id, slip=view.number, **subject,
            stage=stage.value, decision=decision.value, opinion=opinion,
            signer_id=signer_id, paper=paper,
            signed_on=signed_on.isoformat() if signed_on else None,
            return_to=return_to, content_hash=digest,
        )
    return get_slip(ctx, view.id)


def _step_up(ctx: Context, password: str | None) -> None:
    """S5: a decision needs a password typed within the last few minutes."""
    from govdesk.operations.auth import confirm_password

    if password is not None:
        confirm_password(ctx, password)
    elif not ctx.recently_authenticated():
        raise UserError("请输入本人登录密码确认身份后再审批", field="密码")


@requires("notice.approve")
def decide(ctx: Context, slip_id: int, decision: Decision, opinion: str = "", *,
           password: str | None = None, return_to: int | None = None) -> SlipView:
    """审批: the signed-in user decides the slip's current step. The password is asked again
    unless it was typed in the last five minutes (S5; the decision dialog always asks). 同意
    needs no opinion (it is recorded as 同意); 退回修改 and 不同意 need one."""
    view = get_slip(ctx, slip_id)
    assert ctx.user is not None
    # Check what can be checked before asking for the password, so a refusal is immediate.
    problem = _problem(ctx, view, ctx.user.id) if view.state.current is not None else ""
    if problem:
        with ctx.db.atomic():
            ctx.audit("denied", "approval_slip", view.id, reason=problem)
        raise PermissionDenied(problem)
    _step_up(ctx, password)
    return _record_decision(ctx, view, ctx.user.id, Decision(decision), opinion,
                            return_to=return_to, paper=False, signed_on=None)


def store_scan(ctx: Context, source) -> str:
    """Copy the scan of a signed paper slip into the managed files (scans/) under a name made
    from its content. JPG, PNG or PDF."""
    from govdesk.operations.files import JPEG, PDF, PNG, store_file

    return store_file(ctx, source, folder="scans",
                      kinds={".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".pdf": PDF},
                      label="扫描件", allowed="JPG、PNG 图片或 PDF 文件")


def scan_path(ctx: Context, name: str):
    """Where a stored scan is, or None."""
    from govdesk.operations.files import stored_path

    return stored_path(ctx, "scans", name)


@requires("slip.record_paper")
def record_paper_decision(ctx: Context, slip_id: int, *, signer_id: int, decision: Decision,
                          opinion: str, signed_on: date, password: str | None = None,
                          return_to: int | None = None, scan=None) -> SlipView:
    """纸质签批（代录）: a clerk enters the decision a leader wrote and signed on a printed slip
    — the signer, the date on the paper, the opinion as written, optionally a scan. The signer
    must be allowed to decide the step exactly as if deciding on screen; the record and the
    audit row say who entered it. ``scan`` is the path of the scanned page (JPG/PNG/PDF), copied
    into the managed files."""
    if signed_on > ctx.today():
        raise UserError("签批日期不能晚于今天", field="签批日期")
    view = get_slip(ctx, slip_id)
    if view.slip.created_at[:10] > signed_on.isoformat():
        raise UserError("签批日期不能早于审批单提交日期", field="签批日期")
    _step_up(ctx, password)
    stored = store_scan(ctx, scan) if scan else ""
    return _record_decision(ctx, view, signer_id, Decision(decision), opinion,
                            return_to=return_to, paper=True, signed_on=signed_on, scan=stored)


@requires("notice.edit")
def withdraw(ctx: Context, slip_id: int) -> SlipView:
    """取回: the drafter takes the slip back before its current holder has acted. A letter's
    slip is taken back by whoever handles applications (request.manage)."""
    view = get_slip(ctx, slip_id)
    assert ctx.user is not None
    if view.letter is not None and not can(ctx.user, LETTER_PERMISSION):
        with ctx.db.atomic():
            ctx.audit("denied", "approval_slip", view.id, permission=LETTER_PERMISSION)
        raise PermissionDenied(f"{ctx.user.role.label}“{ctx.user.name}”没有办理政府信息公开"
                               "申请的权限，不能取回文书的审批单")
    problem = withdraw_problem(view.state, ctx.user.id, view.slip.drafter_id or -1)
    if problem:
        raise UserError(problem)
    ev = SlipEvent(EventKind.WITHDRAW, ctx.user.id, content_hash=view.state.content_hash)
    with ctx.db.atomic():
        approval_store.append_event(ctx.db, view.id, ev, stage="", actor_name=ctx.user.name,
                                    actor_role=ctx.user.role.label, at_utc=ctx.now_utc(),
                                    completes=False)
        if view.notice is not None:
            notice_store.set_status(ctx.db, view.notice.id, NoticeStatus.DRAFT,
                                    published_on=view.notice.published_on,
                                    updated_at=ctx.now_utc())
            ctx.audit("withdraw", "approval_slip", view.id, slip=view.number,
                      notice_id=view.notice.id)
        else:
            assert view.letter is not None
            ctx.audit("withdraw", "approval_slip", view.id, slip=view.number,
                      letter_id=view.letter.id)
    return get_slip(ctx, view.id)


# ---- the gate ------------------------------------------------------------------------------------


def publication_problem(ctx: Context, notice_id: int) -> str:
    """"" when the notice's current content has a fully approved slip; else a Chinese sentence
    naming what is missing (the message for posting, publishing and printing for a board)."""
    row = notice_store.raw_notice(ctx.db, notice_id)
    if row is None:
        return "信息不存在"
    digest = row["content_hash"]
    title = row["title"]
    if approval_store.has_completed_approval(ctx.db, notice_id, digest):
        view = latest_approved(ctx, notice_id, digest)
        if view is None or is_fully_approved(view.chain, view.state, digest):
            return ""
    return _missing_approval(latest_slip(ctx, notice_id), digest, f"“{title}”", "公开", "内容")


def _missing_approval(latest: SlipView | None, digest: str, subject: str, act: str,
                      what: str) -> str:
    """Why the current version (``digest``) of a notice or letter may not be published or sent
    (``act``: 公开 / 发出) yet, going by its latest slip — the gate's message."""
    if latest is None or latest.state.content_hash != digest and latest.state.closed:
        return f"{subject}还没有提交审批，未经审批不能{act}（先审查后{act}）"
    status = latest.state.status
    if status is SlipStatus.IN_REVIEW:
        missing = "、".join(latest.missing_stages()) or "审批"
        return f"{subject}尚未审批完成，还差：{missing}（审批单 {latest.number}）"
    if status is SlipStatus.RETURNED:
        return f"{subject}已退回经办人修改，修改后须重新提交审批（审批单 {latest.number}）"
    if status is SlipStatus.REJECTED:
        return f"{subject}审批未通过（审批单 {latest.number}），不能{act}"
    if status is SlipStatus.WITHDRAWN:
        return f"{subject}的审批单 {latest.number} 已取回，须重新提交审批后才能{act}"
    return f"{subject}的当前{what}没有经过完整审批，不能{act}；请提交审批"


def latest_approved(ctx: Context, notice_id: int, digest: str) -> SlipView | None:
    for slip in reversed(approval_store.slips_of_notice(ctx.db, notice_id)):
        view = _view(ctx, slip)
        if view.state.status is SlipStatus.APPROVED and view.state.content_hash == digest:
            return view
    return None


def require_publishable(ctx: Context, notice_id: int) -> None:
    problem = publication_problem(ctx, notice_id)
    if problem:
        raise UserError(problem)


def stage_choices(view: SlipView) -> Sequence[tuple[int, str]]:
    """Where the current step may send the slip back: the drafter and the earlier steps."""
    current = view.state.current or 0
    return [(DRAFTER, f"经办人（{view.drafter_name}）")] + [
        (i, view.chain[i].value) for i in range(current)
    ]


def record_prior_approval(ctx: Context, notice_id: int, reason: str) -> SlipView:
    """For a notice approved before govdesk kept slips (a historical ledger imported): a slip
    that records that approval, saying so (补录), by the user importing it. Call inside the
    caller's transaction; the caller holds the permission (notice.edit) and writes its audit."""
    content, digest, version = _content(ctx, notice_id)
    assert ctx.user is not None
    number = approval_store.next_number(ctx.db, ctx.today().year)
    slip_id = approval_store.insert_slip(
        ctx.db, number=number, notice_id=notice_id, notice_version=version, content_hash=digest,
        content=content, chain=(), drafter_id=ctx.user.id, created_at=ctx.now_utc(),
    )
    ev = SlipEvent(EventKind.RECORD, ctx.user.id, content_hash=digest, opinion=reason)
    approval_store.append_event(ctx.db, slip_id, ev, stage="", actor_name=ctx.user.name,
                                actor_role=ctx.user.role.label, at_utc=ctx.now_utc(),
                                completes=True)
    ctx.audit("record_approval", "approval_slip", slip_id, slip=number, notice_id=notice_id,
              reason=reason, content_hash=digest)
    return get_slip(ctx, slip_id)


# ---- letters (依申请公开 答复书、告知书) ----------------------------------------------------------------


def _letter_content(letter: StoredLetter) -> dict[str, object]:
    from govdesk.core.letters import letter_content

    return letter_content(letter.request_id, letter.kind,
                          letter.outcome.code if letter.outcome else None, letter.text)


def _stored_letter(ctx: Context, letter_id: int) -> StoredLetter:
    found = letter_store.get_letter(ctx.db, letter_id)
    if found is None:
        raise NotFound("这份文书不存在，请先保存文书")
    return found


def slips_of_letter(ctx: Context, letter_id: int) -> list[SlipView]:
    return [_view(ctx, s) for s in approval_store.slips_of_letter(ctx.db, letter_id)]


def latest_letter_slip(ctx: Context, letter_id: int) -> SlipView | None:
    slip = approval_store.latest_letter_slip(ctx.db, letter_id)
    return _view(ctx, slip) if slip else None


def slips_of_subject(ctx: Context, view: SlipView) -> list[SlipView]:
    """Every slip of the same notice or letter, oldest first (the slip dialog's history)."""
    if view.letter is not None:
        return slips_of_letter(ctx, view.letter.id)
    assert view.notice is not None
    return slips_of_notice(ctx, view.notice.id)


def _new_letter_slip(ctx: Context, letter: StoredLetter, drafter_id: int) -> SlipRow:
    assert ctx.user is not None
    chain = chain_config(ctx).chain_for_letter(letter.kind.routine)
    number = approval_store.next_number(ctx.db, ctx.today().year)
    slip_id = approval_store.insert_slip(
        ctx.db, number=number, letter_id=letter.id, notice_version=letter.version,
        content_hash=letter.content_hash, content=_letter_content(letter), chain=chain,
        drafter_id=drafter_id, created_at=ctx.now_utc(),
    )
    ev = SlipEvent(EventKind.SUBMIT, drafter_id, content_hash=letter.content_hash)
    approval_store.append_event(ctx.db, slip_id, ev, stage="", actor_name=ctx.user.name,
                                actor_role=ctx.user.role.label, at_utc=ctx.now_utc(),
                                completes=False)
    slip = approval_store.get_slip(ctx.db, slip_id)
    assert slip is not None
    return slip


@requires(LETTER_PERMISSION)
def submit_letter(ctx: Context, letter_id: int) -> SlipView:
    """提交审批 of a saved letter: a slip for its current text on the office's chain
    (ChainConfig.chain_for_letter), or, after a 退回修改 to the drafter, the fixed text sent
    back to the step that returned it."""
    letter = _stored_letter(ctx, letter_id)
    title = f"{letter.kind.value}"
    if not letter.kind.needs_approval:
        raise UserError(f"{title}不需要审批，可以直接打印、发出")
    if letter.sent_on is not None:
        raise UserError(f"该{title}已发出，不能再提交审批")
    latest = latest_letter_slip(ctx, letter_id)
    if latest is not None and latest.state.content_hash == letter.content_hash:
        if latest.state.status is SlipStatus.IN_REVIEW:
            raise UserError(f"该{title}已在审批中（审批单 {latest.number}，{latest.status_text}）")
        if latest.state.status is SlipStatus.APPROVED:
            raise UserError(f"该{title}已审批完成（审批单 {latest.number}），可以打印、发出")
        if latest.state.status is SlipStatus.REJECTED:
            raise UserError(f"该{title}的这一文本审批未通过（审批单 {latest.number}），"
                            "请修改后再提交")
    assert ctx.user is not None
    with ctx.db.atomic():
        if latest is not None and latest.state.status is SlipStatus.RETURNED:
            if ctx.user.id != latest.slip.drafter_id:
                raise PermissionDenied("只有经办人本人可以把退回的审批单修改后重新提交")
            slip = latest.slip
            ev = SlipEvent(EventKind.RESUBMIT, ctx.user.id, content_hash=letter.content_hash)
            approval_store.append_event(ctx.db, slip.id, ev, stage="", actor_name=ctx.user.name,
                                        actor_role=ctx.user.role.label, at_utc=ctx.now_utc(),
                                        completes=False)
            action = "resubmit"
        else:
            slip = _new_letter_slip(ctx, letter, ctx.user.id)
            action = "submit"
        ctx.audit(action, "request_letter", letter_id, slip=slip.number, kind=letter.kind.value,
                  request_id=letter.request_id, content_hash=letter.content_hash)
    return get_slip(ctx, slip.id)


def supersede_letter_for_edit(ctx: Context, letter_id: int) -> SlipView | None:
    """Called by request_letters.save_letter, inside its transaction, after a letter's text
    changed: a slip in review or approved for the old text is void (kept on record) and a new
    one starts over for the new text, keeping its 经办人 — as for notices. A slip returned to
    the drafter is left for the drafter to resubmit. Returns the new slip, or None."""
    latest = latest_letter_slip(ctx, letter_id)
    if latest is None or latest.state.status not in (SlipStatus.IN_REVIEW, SlipStatus.APPROVED):
        return None
    assert ctx.user is not None
    ev = SlipEvent(EventKind.SUPERSEDE, ctx.user.id, content_hash=latest.state.content_hash)
    approval_store.append_event(ctx.db, latest.id, ev, stage="", actor_name=ctx.user.name,
                                actor_role=ctx.user.role.label, at_utc=ctx.now_utc(),
                                completes=False)
    ctx.audit("supersede", "approval_slip", latest.id, slip=latest.number)
    letter = _stored_letter(ctx, letter_id)
    drafter = latest.slip.drafter_id if latest.slip.drafter_id is not None else ctx.user.id
    slip = _new_letter_slip(ctx, letter, drafter)
    ctx.audit("submit", "request_letter", letter_id, slip=slip.number, kind=letter.kind.value,
              request_id=letter.request_id, content_hash=letter.content_hash,
              reason="文书修改后重新审批")
    return get_slip(ctx, slip.id)


def letter_send_problem(ctx: Context, letter_id: int) -> str:
    """"" when the saved letter may be printed as final and recorded as sent (a 受理回执
    always; any other letter once its current text has a completed approval); otherwise the
    Chinese sentence naming what is missing (先审查后发出)."""
    letter = _stored_letter(ctx, letter_id)
    if not letter.kind.needs_approval:
        return ""
    name = letter.kind.value
    if approval_store.letter_has_completed_approval(ctx.db, letter_id, letter.content_hash):
        return ""
    return _missing_approval(latest_letter_slip(ctx, letter_id), letter.content_hash,
                             f"该{name}", "发出", "文本")


# ---- the slip on paper ---------------------------------------------------------------------------


def slip_form(ctx: Context, slip_id: int):
    """What the printed 审批单 shows (core.slip_form.SlipForm) for this slip: the content as
    submitted (the slip's own snapshot, or the fixed version resubmitted after a 退回修改; not
    the notice as it may be now), the chain's boxes with
    the latest decision of each step, and the 保密审查 passes as notes of that box."""
    from govdesk.core.slip_form import SlipForm
    from govdesk.operations.audit import audit_code

    view = get_slip(ctx, slip_id)
    content, digest = _decided_content(ctx, view)
    township = org_store.get_township(ctx.db)
    boxes = _slip_boxes(ctx, view)
    if view.letter is not None:
        return _letter_slip_form(ctx, view, township.full_name or township.short_name, boxes)
    channels = {c.id: c.name for c in org_store.list_channels(ctx.db)}
    units = {u.id: u.name for u in org_store.list_units(ctx.db)}
    communities = {c.id: c.name for c in org_store.list_communities(ctx.db)}
    unit = units.get(content.get("unit_id")) or communities.get(content.get("community_id"), "")
    period = ""
    if content.get("period_start") and content.get("period_end"):
        from govdesk.core.notices import PeriodUnit, PostingPeriod

        period = PostingPeriod(
            date.fromisoformat(str(content["period_start"])),
            date.fromisoformat(str(content["period_end"])),
            PeriodUnit(content.get("period_unit") or "天"),
        ).describe(ctx.calendar)
    body = str(content.get("body") or "")
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    table_rows = sum(1 for line in lines if "|" in line)
    summary = "".join(line for line in lines if "|" not in line)
    if table_rows:
        summary += f"（附表{table_rows - 1}行）" if table_rows > 1 else ""
    disclosure = str(content.get("disclosure") or "主动公开")
    assert view.notice is not None
    return SlipForm(
        township=township.full_name or township.short_name,
        number=view.number,
        filled_on=_local_date(view.slip.created_at),
        title=str(content.get("title") or ""),
        doc_number=str(content.get("doc_number") or ""),
        unit=unit,
        drafter=view.drafter_name,
        carrier="公文类" if content.get("doc_number") else "非公文类",
        summary=summary[:400],
        disclosure=disclosure,
        disclosure_reason=str(content.get("withhold_ground") or "") if disclosure != "主动公开"
        else "",
        channels=tuple(channels.get(c, "") for c in content.get("channel_ids") or ()),
        scope="全社会" if disclosure == "主动公开" else "特定群众",
        planned_on=view.notice.publish_due,
        period=period,
        content_hash=digest,
        boxes=boxes,
        status=view.status_text,
        audit_code=audit_code(ctx),
    )


def _decided_content(ctx: Context, view: SlipView) -> tuple[dict, str]:
    """The content the slip's decisions are about, and its hash: the snapshot taken when the
    slip was opened, unless the drafter fixed the content after a 退回修改 and resubmitted it —
    then the version now under review (the slip itself is append-only; the resubmission
    records only the new hash, and the notice or letter still holds that version)."""
    wanted = view.state.content_hash
    if not wanted or wanted == view.slip.content_hash:
        return view.slip.content, view.slip.content_hash
    if view.letter is not None:
        found = letter_store.get_letter(ctx.db, view.letter.id)
        if found is not None and found.content_hash == wanted:
            return _letter_content(found), wanted
    elif view.notice is not None:
        content, digest, _ = _content(ctx, view.notice.id)
        if digest == wanted:
            return content, wanted
    return view.slip.content, view.slip.content_hash


def _letter_slip_form(ctx: Context, view: SlipView, township: str, boxes):
    """The printed slip of a letter: the same form, filled in for a letter to one applicant
    (依申请公开, 特定群众, 送达申请人), its text as submitted summarised without the title and the
    主送 line."""
    from govdesk.core.letters import parse_letter_text
    from govdesk.core.requests import Outcome
    from govdesk.core.slip_form import SlipForm
    from govdesk.operations.audit import audit_code
    from govdesk.operations.request_letters import letter_settings

    assert view.letter is not None
    content, digest = _decided_content(ctx, view)
    kind = LetterKind(str(content["kind"]))
    try:
        draft = parse_letter_text(str(content["text"]), kind=kind)
        summary = "".join("".join(str(getattr(b, "text", "")).split()) for b in draft.blocks)
    except UserError:
        summary = "".join(str(content["text"]).split())
    reason = f"依申请公开文书：{kind.value}"
    if content.get("outcome"):
        reason += f"，办理结果：{Outcome.from_code(str(content['outcome'])).label}"
    return SlipForm(
        township=township,
        number=view.number,
        filled_on=_local_date(view.slip.created_at),
        title=view.letter.title,
        doc_number="",
        unit=letter_settings(ctx).office,
        drafter=view.drafter_name,
        carrier="公文类",
        summary=summary[:400],
        disclosure="依申请公开",
        disclosure_reason=reason,
        channels=("送达申请人",),
        scope="特定群众",
        planned_on=None,
        period="",
        content_hash=digest,
        boxes=boxes,
        status=view.status_text,
        audit_code=audit_code(ctx),
    )


def _slip_boxes(ctx: Context, view: SlipView) -> tuple:
    """The chain's boxes, each with the latest decision of its step; the 保密审查 passes as
    notes of that box."""
    from govdesk.core.approvals import Decision as _D
    from govdesk.core.slip_form import SlipBox

    latest: dict[int, EventRow] = {}
    for row in view.events:
        ev = row.event
        if ev.kind is EventKind.DECIDE and ev.step is not None:
            latest[ev.step] = row  # the box shows each step's latest decision
    passes = approval_store.passes_of_slip(ctx.db, view.id)
    boxes = []
    for i, stage in enumerate(view.chain):
        row = latest.get(i)
        notes: tuple[str, ...] = ()
        if stage is Stage.SECRECY and passes:
            notes = tuple(f"筛查提示“{p.kind}”（{p.field}）：{p.reason}，准予公开。" for p in passes)
        if row is None:
            boxes.append(SlipBox(stage.value, notes=notes))
            continue
        ev = row.event
        entered = user_store.get_user(ctx.db, ev.entered_by) if ev.entered_by else None
        signed = ev.signed_on or _local_date(row.at_utc)
        boxes.append(SlipBox(
            stage.value, opinion=ev.opinion,
            decision="" if ev.decision is _D.APPROVE and ev.opinion.startswith("同意")
            else (ev.decision.value if ev.decision else ""),
            signer=row.actor_name, signed_on=signed, paper=ev.paper,
            entered_by=entered.name if entered else "", notes=notes,
        ))
    return tuple(boxes)


def _local_date(utc_iso: str) -> date:
    from datetime import datetime

    return datetime.fromisoformat(utc_iso.replace("Z", "+00:00")).astimezone().date()


def print_slip(ctx: Context, slip_id: int, path, *, blank: bool = False,
               invariant: bool = False) -> int:
    """The slip as a one-page PDF form: completed, or ``blank`` for pen signatures (the
    information filled in, every box empty). Printing changes nothing; it is audited."""
    from govdesk.export.fonts import resolve_fonts
    from govdesk.export.slip_pdf import slip_pdf
    from govdesk.operations.printing import font_overrides

    form = slip_form(ctx, slip_id)
    pages = slip_pdf(form, path, blank=blank, fonts=resolve_fonts(font_overrides(ctx)),
                     invariant=invariant)
    from pathlib import Path as _P

    with ctx.db.atomic():
        ctx.audit("print", "approval_slip", slip_id, blank=blank,
                  path_name=_P(str(path)).name)
    return pages
