"""What a printed approval slip (审批单) shows: a plain value, built by operations from a slip and
its notice, printed by export.slip_pdf. No Qt and no database here.

Fields follow the composite slip of the domain reference §4.4 (信息名称, 文号, 承办单位, 公开属性 and
理由, 公开方式, 公开范围, 拟公开时间, 公示期, then one box per step with 意见, 签名, 日期)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class SlipBox:
    """One signature box, in chain order.

    ``opinion``/``signer``/``signed_on`` are empty for a step not yet decided (left blank for a
    pen signature). ``decision`` is 同意 / 退回修改 / 不同意 or "". ``paper`` marks a decision
    entered by a clerk from a signed paper slip: shown as 纸质签批（代录） with ``entered_by``.
    ``note`` carries extra lines for the box, e.g. the 保密审查 step's recorded reasons for
    passing screening findings unmasked."""

    stage: str  # e.g. 科室（社区）负责人审核
    opinion: str = ""
    decision: str = ""
    signer: str = ""
    signed_on: date | None = None
    paper: bool = False
    entered_by: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SlipForm:
    township: str  # 青山县云溪镇人民政府 — printed in the form's title line
    number: str  # 审批单编号, e.g. SP2026-0007
    filled_on: date  # 填表日期 (the slip's submission date)
    title: str  # 信息名称
    doc_number: str  # 文号, "" when none
    unit: str  # 承办单位（科室/社区）
    drafter: str  # 经办人（拟稿人）
    carrier: str  # 载体形式: 公文类 / 非公文类
    summary: str  # 内容摘要 (first characters of the body)
    disclosure: str  # 公开属性: 主动公开 / 依申请公开 / 不予公开
    disclosure_reason: str  # 理由和依据 when not 主动公开, else ""
    channels: tuple[str, ...]  # 公开方式, e.g. ("政务公开栏", "门户网站")
    scope: str  # 公开范围: 全社会 / 特定群众
    planned_on: date | None  # 拟公开时间
    period: str  # 公示期 as text, e.g. "2026年11月18日至2026年11月24日（共5个工作日）", or ""
    content_hash: str  # full SHA-256 hex of the approved content
    boxes: tuple[SlipBox, ...] = field(default_factory=tuple)
    status: str = ""  # 审批中 / 已批准 / 已退回 / 不同意 / 已取回 / 已作废
    audit_code: str = ""  # 审计校验码: first 12 hex digits of the audit chain head at printing

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]
