"""保密审查辅助: screening a notice for personal information and 密级 marks before 保密审查 and
again before it is printed for a board; masking findings by the office's policy; passing a
finding unmasked (the 保密审查 signer only, with a recorded reason printed on the slip).

The detectors are pure (core.screening). This module says what is screened (title, body with
its tables, 文号, 附注), which numbers are meant to be public (the township's 监督电话 and the
office's listed numbers), and keeps the passes append-only (screening_pass).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from govdesk.core.approvals import SlipStatus, Stage
from govdesk.core.errors import NotFound, PermissionDenied, UserError
from govdesk.core.notices import NoticeInput, NoticeStatus
from govdesk.core.screening import (
    DEFAULT_POLICY,
    MASKABLE_KINDS,
    Finding,
    FindingKind,
    mask,
    screen,
)
from govdesk.operations import approvals
from govdesk.operations.context import Context, requires
from govdesk.store import approval_store, notice_store, org_store

SENSITIVE_WORDS_SETTING = "screening.sensitive_words"
PUBLIC_NUMBERS_SETTING = "screening.public_numbers"

# Screened fields, in the order findings are listed.
FIELDS = ("标题", "正文", "文号", "附注")


@dataclass(frozen=True)
class ScreenedFinding:
    finding: Finding
    passed_reason: str = ""  # the 保密审查 signer's reason for letting it through unmasked
    passed_by: str = ""

    @property
    def maskable(self) -> bool:
        return self.finding.kind in MASKABLE_KINDS

    @property
    def resolved(self) -> bool:
        return bool(self.passed_reason)

    def describe(self) -> str:
        f = self.finding
        what = f.kind.value + ("（校验位不符，疑似录入错误）" if not f.valid else "")
        return f"{f.field}第{f.start + 1}个字起：{what}“{shown(f)}”"


def shown(f: Finding) -> str:
    """How a finding is shown on screen and in messages: masked, never in full (OWASP: no
    government identifiers in logs and messages)."""
    if f.kind in MASKABLE_KINDS:
        return mask(f.text, [Finding(f.kind, f.field, 0, len(f.text), f.text, f.normalized,
                                     f.valid)])
    return f.text


def sensitive_words(ctx: Context) -> list[str]:
    raw = org_store.get_setting(ctx.db, SENSITIVE_WORDS_SETTING)
    return [w.strip() for w in raw.splitlines() if w.strip()]


def listed_public_numbers(ctx: Context) -> list[str]:
    """The office's own list of numbers meant to be public (set in 设置 → 保密审查)."""
    listed = org_store.get_setting(ctx.db, PUBLIC_NUMBERS_SETTING).splitlines()
    return [n.strip() for n in listed if n.strip()]


def public_numbers(ctx: Context) -> list[str]:
    """Numbers meant to be public: the 监督电话 in the township profile and the office's list."""
    phone = org_store.get_township(ctx.db).phone.strip()
    return ([phone] if phone else []) + listed_public_numbers(ctx)


@requires("settings.manage")
def set_screening_lists(ctx: Context, *, words: Sequence[str], numbers: Sequence[str]) -> None:
    """The office-editable sensitive-word list and list of public numbers."""
    words_text = "\n".join(dict.fromkeys(w.strip() for w in words if w.strip()))
    numbers_text = "\n".join(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    with ctx.db.atomic():
        org_store.set_setting(ctx.db, SENSITIVE_WORDS_SETTING, words_text)
        org_store.set_setting(ctx.db, PUBLIC_NUMBERS_SETTING, numbers_text)
        ctx.audit("set_screening_lists", "setting", "screening",
                  words=len(words_text.splitlines()), numbers=numbers_text.splitlines())


def _fields(row: dict) -> dict[str, str]:
    return {"标题": row["title"] or "", "正文": row["body"] or "",
            "文号": row["doc_number"] or "", "附注": row["note"] or ""}


def screen_notice(ctx: Context, notice_id: int) -> list[ScreenedFinding]:
    """Every finding in the notice's current content, with the pass recorded for it if any."""
    row = notice_store.raw_notice(ctx.db, notice_id)
    if row is None:
        raise NotFound("信息不存在")
    findings = screen(_fields(row), sensitive_words=sensitive_words(ctx),
                      allowed_numbers=public_numbers(ctx), today=ctx.today())
    passes = {p.fingerprint: p for p in approval_store.passes(ctx.db, notice_id,
                                                               row["content_hash"])}
    return [
        ScreenedFinding(f, passes[f.fingerprint].reason, passes[f.fingerprint].reviewer_name)
        if f.fingerprint in passes else ScreenedFinding(f)
        for f in findings
    ]


def unresolved(ctx: Context, notice_id: int) -> list[ScreenedFinding]:
    return [s for s in screen_notice(ctx, notice_id) if not s.resolved]


def screen_typed(ctx: Context, fields: dict[str, str]) -> list[ScreenedFinding]:
    """The 信息登记 editor's 个人信息检查: the same screening 保密审查 runs, on what is typed
    (``fields`` keyed by FIELDS), before anything is saved. Reads the office's lists only."""
    typed = {name: fields.get(name, "") for name in FIELDS}
    return [ScreenedFinding(f) for f in screen(typed, sensitive_words=sensitive_words(ctx),
                                                allowed_numbers=public_numbers(ctx),
                                                today=ctx.today())]


def mask_typed(fields: dict[str, str], found: Sequence[ScreenedFinding]) -> dict[str, str]:
    """一键遮盖 in the editor: the typed fields with every maskable finding masked by the
    office's policy (as mask_findings does to a saved notice); nothing is stored — the masked
    text is saved with the form, as an ordinary edit."""
    out = dict(fields)
    for name in FIELDS:
        mine = [s.finding for s in found if s.maskable and s.finding.field == name]
        if mine:
            out[name] = mask(out.get(name, ""), mine, DEFAULT_POLICY)
    return out


@requires("screening.mask")
def mask_findings(ctx: Context, notice_id: int, fingerprints: Sequence[str] | None = None):
    """一键遮盖: mask the given findings (default: every maskable one) in the title, body, 文号
    and 附注 by the office's policy (身份证号 110105********002X, 手机号 138****1234, 银行卡
    ************1234). The masked text is a new version of the notice: a pending or approved
    one starts a new slip, and goes through 保密审查 again (区分处理, A8)."""
    from govdesk.operations.notices import save_content

    row = notice_store.raw_notice(ctx.db, notice_id)
    if row is None:
        raise NotFound("信息不存在")
    notice = notice_store.get_notice(ctx.db, notice_id)
    assert notice is not None
    if notice.status not in (NoticeStatus.DRAFT, NoticeStatus.PENDING, NoticeStatus.APPROVED):
        raise UserError(f"“{notice.status.value}”的信息不能修改")
    found = [s.finding for s in screen_notice(ctx, notice_id) if s.maskable]
    if fingerprints is not None:
        wanted = set(fingerprints)
        found = [f for f in found if f.fingerprint in wanted]
    if not found:
        raise UserError("没有需要遮盖的个人信息")
    fields = _fields(row)
    for name in FIELDS:
        mine = [f for f in found if f.field == name]
        if mine:
            fields[name] = mask(fields[name], mine, DEFAULT_POLICY)
    data = NoticeInput(
        title=fields["标题"], body=fields["正文"], doc_number=fields["文号"],
        category_id=notice.category_id, disclosure=notice.disclosure,
        withhold_ground=notice.withhold_ground, unit_id=notice.unit_id,
        community_id=notice.community_id, formed_on=notice.formed_on,
        channel_ids=notice.channel_ids, period=notice.period, note=fields["附注"],
        publish_due=notice.publish_due,
    )
    kinds = sorted({f.kind.value for f in found})
    return save_content(ctx, notice_id, data, action="mask",
                        extra={"masked": len(found), "kinds": kinds,
                               "policy": DEFAULT_POLICY.name})


@requires("notice.approve")
def pass_finding(ctx: Context, slip_id: int, fingerprint: str, reason: str) -> ScreenedFinding:
    """放行: the 保密审查 signer lets one finding through unmasked, with a reason (printed on the
    slip). Only while the slip waits for 保密审查, and only by someone who may decide it."""
    reason = reason.strip()
    if not reason:
        raise UserError("不遮盖而放行须填写理由", field="理由")
    view = approvals.get_slip(ctx, slip_id)
    if view.state.status is not SlipStatus.IN_REVIEW or view.current_stage is not Stage.SECRECY:
        raise UserError("只有在保密审查环节才能放行筛查发现的内容")
    assert ctx.user is not None
    problem = approvals._problem(ctx, view, ctx.user.id)
    if problem:
        with ctx.db.atomic():
            ctx.audit("denied", "approval_slip", slip_id, reason=problem)
        raise PermissionDenied(problem)
    match = [s for s in screen_notice(ctx, view.notice.id)
             if s.finding.fingerprint == fingerprint]
    if not match:
        raise UserError("该筛查结果已不存在（内容可能已修改），请重新筛查")
    f = match[0].finding
    digest = view.state.content_hash
    with ctx.db.atomic():
        approval_store.add_pass(ctx.db, slip_id=slip_id, content_hash=digest,
                                fingerprint=fingerprint, kind=f.kind.value, field=f.field,
                                reason=reason, reviewer_id=ctx.user.id, at_utc=ctx.now_utc())
        # the fingerprint, not the number: the log never holds personal information (A11)
        ctx.audit("pass_finding", "approval_slip", slip_id, fingerprint=fingerprint,
                  kind=f.kind.value, field=f.field, reason=reason)
    return ScreenedFinding(f, reason, ctx.user.name)


def _problems(ctx: Context, notice_id: int) -> list[str]:
    left = unresolved(ctx, notice_id)
    return [s.describe() + ("，请遮盖或由保密审查人填写理由放行" if s.maskable
                            else "，须修改或由保密审查人填写理由放行") for s in left]


def _before_secrecy_approval(ctx: Context, view) -> list[str]:
    return _problems(ctx, view.notice.id)


def _before_printing(ctx: Context, notice) -> list[str]:
    return _problems(ctx, notice.id)


approvals.SECRECY_CHECKS.append(_before_secrecy_approval)


def register_print_check() -> None:
    from govdesk.operations import printing

    if _before_printing not in printing.PRE_PRINT_CHECKS:
        printing.PRE_PRINT_CHECKS.append(_before_printing)


register_print_check()

__all__ = [
    "FIELDS",
    "FindingKind",
    "ScreenedFinding",
    "listed_public_numbers",
    "mask_findings",
    "pass_finding",
    "public_numbers",
    "screen_notice",
    "sensitive_words",
    "set_screening_lists",
    "shown",
    "unresolved",
]
