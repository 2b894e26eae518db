"""依申请公开 letters (issue 6, item 3): the receipt, the procedural notices and the reply for
every 办理结果, as editable text and as a document printed by the GB/T 9704 notice machinery.
Pure: no I/O, no reportlab; export.letters_pdf prints a :class:`LetterDraft`.

Kinds (:class:`LetterKind`) and the clauses of 《中华人民共和国政府信息公开条例》 they rest on
(article texts checked against the 2019 revision, ../shared/domain/rules-and-formats.md §1):

* 受理回执 — a registration form (编号, 申请人, 收到日期, 申请方式, 申请内容, 答复期限, 经办人)
  and the 第三十三条 reply period;
* 补正告知书 — 第三十条: the items to correct, a deadline, "答复期限自收到补正的申请之日起计算",
  and that an unjustified failure to correct counts as abandoning the application;
* 延期答复告知书 — 第三十三条: at most 20 more working days, approved by the
  政府信息公开工作机构负责人, with the new due date;
* 第三方意见征询函 — 第三十二条: addressed to the third party (the applicant is not named to
  them), 15 working days to reply, and what happens if they do not;
* 收费通知 — 国办函〔2020〕109号 (《政府信息公开信息处理费管理办法》): the amount, payment
  within 20 working days from the day after receipt, else the application counts as abandoned;
* 答复书 / 告知书 — one template per :class:`~govdesk.core.requests.Outcome` (the 21 rows of 年报
  表三), each with its legal basis, and the remedy sentence (行政复议 60日 / 行政诉讼 6个月).

Decisions:

* Only the reply carries the remedy sentence. The receipt, 补正, 延期, 征询 and 收费 letters are
  procedural steps and do not (the reply that ends the matter does).
* "要求行政机关确认或重新出具已获取信息" (表三 五.5) has no article of its own in the 条例, so
  its letter cites none; the office may add one when the county prescribes it.
* Letters about outcomes 一 to 四 are titled 答复书, those about 五 and 六 告知书 (they decline to
  process rather than answer); all carry "如对本答复不服……".
* Titles name the letter only ("政府信息公开申请答复书"): with the township's name in front
  they no longer fit one 2号 line and break inside a word; the 署名 (and the seal) say who.
* The 署名 is the township's full name, followed by its 政府信息公开工作机构 in parentheses when
  one is set: the reply is the township's act (it is the 复议/诉讼 respondent).
* Personal data: the applicant's name is printed (the letter is addressed to them), but no
  field for their ID number or phone exists, and 身份证号, 手机号 and 银行卡号 written into the
  name or the 申请内容 are masked (core.screening.redact). The 征询函 does not name the applicant.
* The first citation of the 条例 is written in full with "（以下简称《条例》）", later ones as
  《条例》; items are cited "第三十六条第（四）项", paragraphs "第十六条第二款".

Editing: :func:`letter_text` gives the letter as plain text — the title on the first line, the
主送 on the second (ending in "："), the body in the notice body markup (``|``-tables for the
receipt), then the 署名 and the 成文日期 as the last two lines, optionally followed by one 附注
line in parentheses. :func:`parse_letter_text` reads it back.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from govdesk.core.documents import NoticeDocument, cn_date
from govdesk.core.errors import UserError
from govdesk.core.notices import BodyBlock, BodyTable, Paragraph, parse_body
from govdesk.core.requests import ApplicantKind, Channel, Outcome, OutcomeGroup
from govdesk.core.screening import redact

__all__ = [
    "REGULATION",
    "LetterContext",
    "LetterDraft",
    "LetterFacts",
    "LetterKind",
    "build_letter",
    "letter_document",
    "letter_text",
    "parse_letter_text",
    "remedy_text",
]

REGULATION = "《中华人民共和国政府信息公开条例》"
_SHORT = "《条例》"
_FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号印发）"
MAX_EXTENSION_DAYS = 20  # 条例第三十三条: 延长的期限最长不得超过20个工作日
THIRD_PARTY_DAYS = 15  # 条例第三十二条
FEE_DAYS = 20  # 国办函〔2020〕109号: 收到收费通知次日起20个工作日内缴纳
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


class LetterKind(enum.StrEnum):
    RECEIPT = "受理回执"
    CORRECTION = "补正告知书"
    EXTENSION = "延期答复告知书"
    THIRD_PARTY = "第三方意见征询函"
    AGENCY = "征求意见函"  # to another agency that made the information with us (第三十四条)
    FEE = "收费通知"
    REPLY = "答复书"

    @property
    def has_remedy(self) -> bool:
        """Only the reply tells the applicant how to appeal (see the module's decisions)."""
        return self is LetterKind.REPLY

    @property
    def per_party(self) -> bool:
        """Consultation letters go to each party consulted: one letter per 征求对象."""
        return self in (LetterKind.THIRD_PARTY, LetterKind.AGENCY)

    @property
    def needs_approval(self) -> bool:
        """Whether the letter goes out only after an approval slip (谁公开谁审查、先审查后公开).
        The 受理回执 does not: it is handed over or sent the day an application arrives,
        says only that it was received and when the reply is due, and waiting for leaders'
        signatures would defeat its purpose."""
        return self is not LetterKind.RECEIPT

    @property
    def routine(self) -> bool:
        """Procedural letters (补正、延期、征询、收费) follow the office's chain for routine items
        (no 主要领导审批); the reply, which decides the application, takes the full chain."""
        return self is not LetterKind.REPLY


_TITLES = {
    LetterKind.RECEIPT: "政府信息公开申请受理回执",
    LetterKind.CORRECTION: "政府信息公开申请补正告知书",
    LetterKind.EXTENSION: "政府信息公开申请延期答复告知书",
    LetterKind.THIRD_PARTY: "政府信息公开第三方意见征询函",
    LetterKind.AGENCY: "政府信息公开申请征求意见函",
    LetterKind.FEE: "政府信息公开申请收费通知书",
}
_REPLY_TITLE = "政府信息公开申请答复书"
_NOTICE_TITLE = "政府信息公开申请告知书"

# How the application arrived, as the opening sentence says it ("收到您当面提交的……申请").
_CHANNEL_PHRASES = {
    Channel.IN_PERSON: "当面提交",
    Channel.REGISTERED_POST: "以邮寄方式提交",
    Channel.ORDINARY_LETTER: "以平常信函方式提交",
    Channel.INTERNET: "通过互联网提交",
    Channel.FAX: "以传真方式提交",
    Channel.EMAIL: "以电子邮件方式提交",
}
_CHANNEL_SHORT = {
    Channel.IN_PERSON: "当面提交",
    Channel.REGISTERED_POST: "邮寄",
    Channel.ORDINARY_LETTER: "平常信函",
    Channel.INTERNET: "互联网",
    Channel.FAX: "传真",
    Channel.EMAIL: "电子邮件",
}

# 不予公开 grounds: (what the information is, the article). 条例第十四、十五、十六条.
_GROUNDS: dict[Outcome, tuple[str, str]] = {
    Outcome.STATE_SECRET: ("属于依法确定为国家秘密的政府信息", "第十四条"),
    Outcome.FORBIDDEN_BY_LAW: ("属于法律、行政法规禁止公开的政府信息", "第十四条"),
    Outcome.ENDANGERS_SAFETY: (
        "属于公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息", "第十四条"),
    Outcome.THIRD_PARTY_RIGHTS: (
        "属于涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息", "第十五条"),
    Outcome.INTERNAL_AFFAIRS: (
        "属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等方面的信息）",
        "第十六条第一款"),
    Outcome.PROCESS_INFO: (
        "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等"
        "过程性信息", "第十六条第二款"),
    Outcome.ENFORCEMENT_FILE: ("属于行政执法案卷信息", "第十六条第二款"),
}


@dataclass(frozen=True, slots=True)
class LetterContext:
    """The township's details, from its settings. ``review_body`` (复议机关, e.g. ××县人民政府)
    and ``court`` (e.g. ××县人民法院) are needed for replies."""

    township: str  # full name, e.g. 柳河镇人民政府
    review_body: str = ""
    court: str = ""
    office: str = ""  # 政府信息公开工作机构, e.g. 党政综合办公室
    address: str = ""
    phone: str = ""
    contact: str = ""  # contact person


@dataclass(frozen=True, slots=True)
class LetterFacts:
    """One application and what the letter must say about it. Only the fields a kind or an
    outcome uses are read; :func:`build_letter` says (UserError) which one is missing."""

    number: str  # 申请编号, e.g. 〔2025〕第3号
    applicant: str  # natural person's name or organisation's name
    received_on: date  # 收到申请之日 (条例第三十一条)
    asked: str  # 申请内容
    channel: Channel = Channel.IN_PERSON
    applicant_kind: ApplicantKind = ApplicantKind.PERSON
    outcome: Outcome | None = None  # the reply's 办理结果
    dated: date | None = None  # 成文日期 (the receipt defaults to received_on)
    reason: str = ""  # the reply's particular explanation: a sentence or two, added where it fits
    # receipt
    reply_due: date | None = None  # 答复期限 from the clock
    handler: str = ""  # 经办人 (defaults to the context's contact)
    # 予以公开 / 部分公开 / 公开出版物
    published_at: str = ""  # where it is already public (第三十六条（一）) or obtainable
    provided_by: str = ""  # how it is provided, e.g. 电子邮件; default: with the letter
    withheld_parts: str = ""  # 部分公开: which parts are withheld
    withheld_ground: Outcome = Outcome.THIRD_PARTY_RIGHTS  # 部分公开: why (a 不予公开 row)
    legal_basis: str = ""  # the law for 其他法律行政法规禁止公开 / 行政查询事项
    # 本机关不掌握 (第三十六条（五）)
    responsible_agency: str = ""
    responsible_contact: str = ""
    # 补正 (第三十条)
    correction_items: tuple[str, ...] = ()
    correction_due: date | None = None
    correction_sent_on: date | None = None
    corrected_on: date | None = None
    # 延期 (第三十三条)
    extension_days: int = 0
    new_due: date | None = None
    extension_reason: str = ""  # why the 20 working days are not enough (default: 情况复杂)
    # 收费 (国办函〔2020〕109号)
    fee_amount: Decimal | None = None
    fee_basis: str = ""  # e.g. 按量计收，共计120页
    fee_payment: str = ""  # how to pay
    fee_due: date | None = None
    fee_notice_on: date | None = None
    # 第三方 (第三十二条)
    third_party: str = ""
    third_party_due: date | None = None
    # 重复申请 (第三十六条（六）)
    previous_reply_on: date | None = None
    previous_number: str = ""


@dataclass(frozen=True, slots=True)
class LetterDraft:
    """A letter ready to edit or print: title, 主送 (without the colon), body, 署名, 成文日期
    and an optional 附注 (without parentheses)."""

    kind: LetterKind
    title: str
    addressee: str
    blocks: tuple[BodyBlock, ...]
    issuer: str
    dated: date
    note: str = ""

    @property
    def date_text(self) -> str:
        return cn_date(self.dated)

    def with_text(self, text: str) -> LetterDraft:
        """This letter as edited in ``text``; the kind is kept."""
        return replace(parse_letter_text(text), kind=self.kind)


# ---- building ------------------------------------------------------------------------------------


def remedy_text(ctx: LetterContext) -> str:
    """The remedy sentence of every reply (行政复议法 60日; 行政诉讼法 6个月)."""
    if not ctx.review_body.strip() or not ctx.court.strip():
        raise UserError("答复书须写明行政复议机关和人民法院：请先在设置中填写"
                        "“行政复议机关”（如××县人民政府）和“人民法院”（如××县人民法院）。")
    return (f"如对本答复不服，可以自收到本答复之日起60日内向{ctx.review_body.strip()}申请行政复议，"
            f"或者自收到本答复之日起6个月内向{ctx.court.strip()}提起行政诉讼。")


def _clean(text: str) -> str:
    """One line of letter text: whitespace collapsed, ``|`` (the table mark) made full-width,
    trailing sentence punctuation dropped (the template adds its own)."""
    return " ".join(text.split()).replace("|", "｜").rstrip("。；;，,")


def _private(text: str) -> str:
    """Applicant-supplied text: 身份证号, 手机号, 银行卡号 masked (never printed in full)."""
    return redact(_clean(text))


def _need(value: object, what: str, kind: str) -> None:
    if value is None or value == "" or value == ():
        raise UserError(f"生成{kind}需要填写{what}。")


def _you(facts: LetterFacts) -> str:
    return "贵单位" if facts.applicant_kind.is_organisation else "您"


def _opening(facts: LetterFacts) -> str:
    asked = _private(facts.asked)
    return (f"本机关于{cn_date(facts.received_on)}收到{_you(facts)}"
            f"{_CHANNEL_PHRASES[facts.channel]}的政府信息公开申请（申请编号：{_clean(facts.number)}），"
            f"申请内容为“{asked}”。")


def _note(ctx: LetterContext) -> str:
    parts = []
    if ctx.contact.strip():
        parts.append(f"联系人：{ctx.contact.strip()}")
    if ctx.phone.strip():
        parts.append(f"联系电话：{ctx.phone.strip()}")
    return "　".join(parts)


def _issuer(ctx: LetterContext) -> str:
    name = ctx.township.strip()
    if not name:
        raise UserError("请先在设置中填写本镇（乡）人民政府全称，用于答复书署名。")
    return f"{name}（{ctx.office.strip()}）" if ctx.office.strip() else name


def _cite(lines: list[str]) -> list[str]:
    """First mention of the 条例 in full with （以下简称《条例》）, the rest as 《条例》."""
    total = sum(line.count(_SHORT) for line in lines)
    if not total:
        return lines
    full = REGULATION + ("（以下简称《条例》）" if total > 1 else "")
    out = []
    done = False
    for line in lines:
        if not done and _SHORT in line:
            line = line.replace(_SHORT, full, 1)
            done = True
        out.append(line)
    return out


def build_letter(kind: LetterKind, facts: LetterFacts, ctx: LetterContext) -> LetterDraft:
    """The letter of ``kind`` for ``facts``. Raises UserError (Chinese) when a fact it needs is
    missing or out of range (e.g. an extension over 20 working days)."""
    _need(facts.applicant.strip(), "申请人姓名或名称", kind.value)
    _need(facts.number.strip(), "申请编号", kind.value)
    if kind is LetterKind.REPLY:
        _need(facts.outcome, "办理结果", "答复书")
    dated = facts.dated or (facts.received_on if kind is LetterKind.RECEIPT else None)
    _need(dated, "成文日期", kind.value)
    assert dated is not None
    if dated < facts.received_on:
        raise UserError(f"成文日期{cn_date(dated)}早于收到申请日期{cn_date(facts.received_on)}，"
                        "请核对。")
    addressee = _private(facts.applicant)
    if kind is LetterKind.RECEIPT:
        lines = _receipt(facts, ctx)
    elif kind is LetterKind.CORRECTION:
        lines = _correction(facts, ctx)
    elif kind is LetterKind.EXTENSION:
        lines = _extension(facts)
    elif kind is LetterKind.THIRD_PARTY:
        _need(facts.third_party.strip(), "第三方名称", kind.value)
        addressee = _clean(facts.third_party)
        lines = _third_party(facts)
    elif kind is LetterKind.AGENCY:
        _need(facts.third_party.strip(), "被征求意见机关名称", kind.value)
        addressee = _clean(facts.third_party)
        lines = _agency(facts)
    elif kind is LetterKind.FEE:
        lines = _fee(facts)
    else:
        assert facts.outcome is not None
        lines = _reply(facts.outcome, facts, ctx)
    title = _TITLES.get(kind)
    if title is None:
        assert facts.outcome is not None
        title = (_NOTICE_TITLE if facts.outcome.group in (OutcomeGroup.NOT_PROCESSED,
                                                          OutcomeGroup.OTHER)
                 else _REPLY_TITLE)
    blocks = tuple(parse_body("\n".join(_cite(lines))))
    return LetterDraft(kind=kind, title=title, addressee=addressee,
                       blocks=blocks, issuer=_issuer(ctx), dated=dated, note=_note(ctx))


def _receipt(facts: LetterFacts, ctx: LetterContext) -> list[str]:
    you = _you(facts)
    due = (f"{cn_date(facts.reply_due)}前" if facts.reply_due
           else "自收到申请之日起20个工作日内")
    handler = _clean(facts.handler or ctx.contact)
    rows = [
        ("申请编号", _clean(facts.number)),
        ("申请人", _private(facts.applicant)),
        ("收到日期", cn_date(facts.received_on)),  # ≤ 4 characters: the label column never wraps
        ("申请方式", _CHANNEL_SHORT[facts.channel]),
        ("申请内容", _private(facts.asked)),
        ("答复期限", due),
        ("经办人", handler),
    ]
    table = "\n".join(f"| {a} | {b} |" for a, b in rows)
    return [
        f"{you}提交的政府信息公开申请本机关已收到，登记如下：",
        "",
        table,
        "",
        f"根据《条例》第三十三条的规定，本机关将在上述答复期限内作出答复；需要延长答复期限的，"
        f"将另行书面告知{you}。征求第三方和其他机关意见所需时间不计算在答复期限内。"
        f"申请内容不明确需要补正的，本机关将自收到申请之日起7个工作日内一次性告知{you}，"
        "答复期限自本机关收到补正的申请之日起计算。",
    ]


def _correction(facts: LetterFacts, ctx: LetterContext) -> list[str]:
    kind = LetterKind.CORRECTION.value
    items = [_clean(i) for i in facts.correction_items if _clean(i)]
    _need(tuple(items), "需要补正的事项", kind)
    _need(facts.correction_due, "补正期限", kind)
    assert facts.correction_due is not None
    you = _you(facts)
    lines = [
        _opening(facts),
        f"经审查，{you}的申请内容不明确，本机关无法据此确定{you}所需的政府信息。"
        f"根据《条例》第三十条的规定，请{you}于{cn_date(facts.correction_due)}前"
        "对下列事项作出补正：",
    ]
    for i, item in enumerate(items, 1):
        lines.append(f"{i}.{item}{'。' if i == len(items) else '；'}")
    where = (f"当面提交或者邮寄至{_clean(ctx.address)}" if ctx.address.strip()
             else "当面提交或者邮寄至本机关")
    lines += [
        f"补正材料可{where}。答复期限自本机关收到补正的申请之日起计算。"
        f"{you}无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
        "特此告知。",
    ]
    return lines


def _extension(facts: LetterFacts) -> list[str]:
    kind = LetterKind.EXTENSION.value
    _need(facts.new_due, "延期后的答复期限", kind)
    assert facts.new_due is not None
    days = facts.extension_days
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise UserError(f"延长答复期限为{days}个工作日：根据条例第三十三条，延长的期限最长不得超过"
                        f"{MAX_EXTENSION_DAYS}个工作日，且至少1个工作日。")
    why = (f"因{_clean(facts.extension_reason)}，" if facts.extension_reason.strip()
           else "因情况复杂，")
    return [
        _opening(facts),
        f"{why}本机关不能在法定期限内作出答复。根据《条例》第三十三条的规定，"
        f"经本机关政府信息公开工作机构负责人同意，答复期限延长{days}个工作日，"
        f"本机关将于{cn_date(facts.new_due)}前作出答复。",
        "特此告知。",
    ]


def _third_party(facts: LetterFacts) -> list[str]:
    due = (f"（{cn_date(facts.third_party_due)}前）" if facts.third_party_due else "")
    return [
        # the applicant is not named to the third party: their identity is not the question
        f"本机关于{cn_date(facts.received_on)}收到一份政府信息公开申请"
        f"（申请编号：{_clean(facts.number)}），申请内容为“{_private(facts.asked)}”。"
        "经审查，该政府信息可能涉及贵方的商业秘密、个人隐私等合法权益，公开可能对贵方合法权益"
        "造成损害。",
        f"根据《条例》第三十二条的规定，现书面征求贵方意见。请贵方自收到本函之日起"
        f"{THIRD_PARTY_DAYS}个工作日内{due}，以书面形式提出是否同意公开的意见；"
        "不同意公开的，请说明理由。",
        "贵方逾期未提出意见的，由本机关依照《条例》的规定决定是否公开。贵方不同意公开且有合理理由的，"
        "本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，"
        "并将决定公开的政府信息内容和理由书面告知贵方。",
        "特此函告。",
    ]


def _agency(facts: LetterFacts) -> list[str]:
    due = (f"（{cn_date(facts.third_party_due)}前）" if facts.third_party_due else "")
    return [
        f"本机关于{cn_date(facts.received_on)}收到一份政府信息公开申请"
        f"（申请编号：{_clean(facts.number)}），申请内容为“{_private(facts.asked)}”。"
        "经审查，申请公开的政府信息由本机关与贵机关共同制作。",
        f"根据《条例》第三十四条的规定，现征求贵机关意见。请贵机关自收到本函之日起"
        f"{THIRD_PARTY_DAYS}个工作日内{due}提出是否同意公开的意见；不同意公开的，请说明理由和依据。"
        "逾期未提出意见的，视为同意公开。",
        "特此函告。",
    ]


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _fee(facts: LetterFacts) -> list[str]:
    kind = LetterKind.FEE.value
    _need(facts.fee_amount, "收费金额", kind)
    assert facts.fee_amount is not None
    if facts.fee_amount <= 0:
        raise UserError("收费金额应大于0元；不收费的申请无需发出收费通知。")
    you = _you(facts)
    basis = f"（{_clean(facts.fee_basis)}）" if facts.fee_basis.strip() else ""
    until = f"（{cn_date(facts.fee_due)}前）" if facts.fee_due else ""
    pay = (f"缴费方式：{_clean(facts.fee_payment)}。" if facts.fee_payment.strip()
           else "")
    return [
        _opening(facts),
        f"经审查，{you}申请公开政府信息的数量、频次明显超过合理范围。根据《条例》第四十二条和"
        f"{_FEE_RULES}的规定，本机关对{you}的申请收取信息处理费人民币{_money(facts.fee_amount)}元"
        f"{basis}。",
        f"请{you}自收到本通知次日起{FEE_DAYS}个工作日内{until}缴纳。{pay}"
        f"逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。",
        "特此通知。",
    ]


def _reply(outcome: Outcome, facts: LetterFacts, ctx: LetterContext) -> list[str]:
    you = _you(facts)
    lines = [_opening(facts)]
    if facts.corrected_on and outcome not in (Outcome.STILL_UNCLEAR, Outcome.NO_CORRECTION):
        lines[0] += f"本机关于{cn_date(facts.corrected_on)}收到{you}补正后的申请。"
    answers = outcome.group not in (OutcomeGroup.NOT_PROCESSED, OutcomeGroup.OTHER)
    lines.append("经审查，现答复如下：" if answers else "经审查，现告知如下：")
    body, reason_used = _outcome_text(outcome, facts)
    lines += body
    if facts.reason.strip() and not reason_used:
        lines.append(_clean(facts.reason) + "。")
    lines.append(remedy_text(ctx))
    return lines


def _withheld_sentence(ground: Outcome, facts: LetterFacts) -> tuple[str, str]:
    """(what the information is, the articles) for a 不予公开 ground."""
    what, article = _GROUNDS[ground]
    if ground is Outcome.FORBIDDEN_BY_LAW and facts.legal_basis.strip():
        what = f"依照{_clean(facts.legal_basis)}的规定，{what}"
    return what, article


def _outcome_text(outcome: Outcome, facts: LetterFacts) -> tuple[list[str], bool]:
    """The answer paragraphs for ``outcome`` and whether they used ``facts.reason``."""
    you = _you(facts)
    reason = _clean(facts.reason)
    if outcome is Outcome.DISCLOSED:
        if facts.published_at.strip():  # 第三十六条（一）
            return [f"{you}申请获取的政府信息本机关已主动公开，公开途径为：{_clean(facts.published_at)}。"
                    f"根据《条例》第三十六条第（一）项的规定，请{you}通过上述途径查阅、获取。"], False
        how = (f"通过{_clean(facts.provided_by)}提供给{you}" if facts.provided_by.strip()
               else f"随本答复书一并提供给{you}（见附件）")
        return [f"{you}申请获取的政府信息属于可以公开的政府信息。根据《条例》第三十六条第（二）项的"
                f"规定，本机关予以公开，现将该政府信息{how}。"], False
    if outcome is Outcome.PARTLY_DISCLOSED:
        _need(facts.withheld_parts.strip(), "不予公开的部分", "部分公开答复书")
        if facts.withheld_ground not in _GROUNDS:
            raise UserError("部分公开的不予公开理由应为不予公开情形之一"
                            "（国家秘密、第三方合法权益、内部事务信息、过程性信息等）。")
        what, article = _withheld_sentence(facts.withheld_ground, facts)
        how = (f"通过{_clean(facts.provided_by)}提供给{you}" if facts.provided_by.strip()
               else f"随本答复书一并提供给{you}（见附件）")
        return [f"{you}申请获取的政府信息中，{_clean(facts.withheld_parts)}{what}，"
                f"根据《条例》{article}的规定不予公开；其余内容可以公开。",
                f"根据《条例》第三十七条的规定，本机关对该政府信息作区分处理，现将可以公开的内容{how}。"
                ], False
    if outcome in _GROUNDS:
        what, article = _withheld_sentence(outcome, facts)
        lines = []
        if outcome is Outcome.THIRD_PARTY_RIGHTS and facts.third_party.strip():
            lines.append("本机关已根据《条例》第三十二条的规定书面征求第三方意见，第三方不同意公开"
                         "且有合理理由。")
        lines.insert(0, f"{you}申请获取的政府信息{what}。")
        if reason:
            lines.append(reason + "。")
        lines.append(f"根据《条例》{article}、第三十六条第（三）项的规定，本机关决定不予公开。")
        return ["".join(lines)], True
    if outcome is Outcome.ADMIN_QUERY:
        law = _clean(facts.legal_basis) or "有关法律、行政法规"
        return [f"{you}申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取"
                f"有特别规定。根据《条例》第三十六条第（七）项的规定，请{you}依照{law}的规定办理。"], False
    if outcome is Outcome.NOT_HELD:
        if facts.responsible_agency.strip():  # 第三十六条（五）
            why = reason or "该政府信息不是本机关制作或者获取的"
            contact = (f"（联系方式：{_clean(facts.responsible_contact)}）"
                       if facts.responsible_contact.strip() else "")
            return [f"经核查，{you}申请获取的政府信息不属于本机关负责公开的政府信息，{why}。"
                    f"根据《条例》第三十六条第（五）项的规定，该政府信息由"
                    f"{_clean(facts.responsible_agency)}负责公开，{you}可以向其提出申请{contact}。"
                    ], True
        return [f"经检索，本机关未制作、获取{you}申请获取的政府信息。根据《条例》第三十六条第（四）项"
                f"的规定，现告知{you}：该政府信息不存在。"], False
    if outcome is Outcome.NEEDS_CREATION:
        return [f"{you}申请获取的信息本机关没有现成的政府信息，需要本机关对现有政府信息进行加工、"
                f"分析后方能形成。根据《条例》第三十八条的规定，本机关不予提供。"], False
    if outcome is Outcome.STILL_UNCLEAR:
        sent = (f"本机关于{cn_date(facts.correction_sent_on)}告知{you}对申请作出补正，"
                if facts.correction_sent_on else f"本机关已告知{you}对申请作出补正，")
        got = (f"{you}于{cn_date(facts.corrected_on)}提交了补正材料，" if facts.corrected_on
               else f"{you}提交了补正材料，")
        return [f"{sent}{got}但补正后的申请内容仍不明确，本机关无法据此确定{you}所需的政府信息。"
                f"根据《条例》第三十条的规定，本机关无法提供。{you}可以在明确所需政府信息的名称、"
                "文号或者其他特征性描述后重新提出申请。"], False
    if outcome is Outcome.PETITION:
        return [f"{you}提出的申请实质上是以政府信息公开申请的形式进行信访、投诉、举报等活动。"
                f"根据《条例》第三十九条第一款的规定，本机关不作为政府信息公开申请处理，"
                f"{you}可以通过信访、投诉、举报等相应渠道提出。"], False
    if outcome is Outcome.REPEAT:
        when = f"于{cn_date(facts.previous_reply_on)}" if facts.previous_reply_on else ""
        number = (f"（申请编号：{_clean(facts.previous_number)}）"
                  if facts.previous_number.strip() else "")
        return [f"本机关已{when}就{you}提出的政府信息公开申请{number}作出答复，{you}本次申请公开的"
                f"政府信息与该申请相同。根据《条例》第三十六条第（六）项的规定，本机关不予重复处理。"
                ], False
    if outcome is Outcome.PUBLICATION:
        where = _clean(facts.published_at) or "出版发行渠道或者公共图书馆等政府信息查阅场所"
        return [f"{you}申请获取的是政府公报、报刊、书籍等公开出版物。根据《条例》第三十九条第二款"
                f"的规定，本机关不予处理，{you}可以通过{where}获取。"], False
    if outcome is Outcome.EXCESSIVE:
        found = f"经审查，{reason}，" if reason else "经审查，"
        return [f"{you}申请公开政府信息的数量、频次明显超过合理范围，本机关已要求{you}说明理由。"
                f"{found}本机关认为申请理由不合理。根据《条例》第三十五条的规定，本机关不予处理。"
                ], True
    if outcome is Outcome.CONFIRMATION:
        # 表三 五.5 has no article of its own in the 条例: none is cited.
        return [f"{you}的申请内容是要求本机关对{you}已获取的信息予以确认或者重新出具，"
                "不属于获取政府信息的申请，本机关不予处理。"], False
    if outcome is Outcome.NO_CORRECTION:
        sent = (f"本机关于{cn_date(facts.correction_sent_on)}告知{you}对申请作出补正"
                if facts.correction_sent_on else f"本机关已告知{you}对申请作出补正")
        due = (f"，补正期限至{cn_date(facts.correction_due)}" if facts.correction_due else "")
        return [f"{sent}{due}。{you}无正当理由逾期未补正。根据《条例》第三十条的规定，视为放弃申请，"
                "本机关不再处理该政府信息公开申请。"], False
    if outcome is Outcome.FEE_UNPAID:
        sent = (f"本机关于{cn_date(facts.fee_notice_on)}向{you}发出收费通知"
                if facts.fee_notice_on else f"本机关已向{you}发出收费通知")
        return [f"{sent}，{you}逾期未按收费通知要求缴纳信息处理费。根据{_FEE_RULES}的规定，"
                "视为放弃申请，本机关不再处理该政府信息公开申请。"], False
    # Outcome.OTHER: the office says what happened; no clause is assumed.
    _need(reason, "处理情况说明（办理结果为“其他处理”）", "告知书")
    return [reason + "。"], True


# ---- document and text round trip ------------------------------------------------------------


def letter_document(draft: LetterDraft) -> NoticeDocument:
    """The letter as a notice document: the 主送 line first, then the body (GB/T 9704 7.3.2)."""
    return NoticeDocument(index_number="", title=draft.title,
                          blocks=(Paragraph(draft.addressee + "："), *draft.blocks),
                          issuer=draft.issuer, dated=draft.dated, note=draft.note)


def _block_text(block: BodyBlock) -> str:
    if isinstance(block, BodyTable):
        return "\n".join("| " + " | ".join(row) + " |" for row in block.rows)
    return block.text


def letter_text(draft: LetterDraft) -> str:
    """The letter as editable text (title, 主送, body, 署名, date, optional 附注 line)."""
    parts = [draft.title, "", draft.addressee + "："]
    for block in draft.blocks:
        if isinstance(block, BodyTable):
            parts += ["", _block_text(block), ""]
        else:
            parts.append(_block_text(block))
    parts += ["", draft.issuer, draft.date_text]
    if draft.note:
        parts.append(f"（{draft.note}）")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(parts)) + "\n"


def _kind_of(title: str) -> LetterKind:
    for kind, suffix in ((LetterKind.RECEIPT, "回执"), (LetterKind.CORRECTION, "补正告知书"),
                         (LetterKind.EXTENSION, "延期答复告知书"),
                         (LetterKind.THIRD_PARTY, "征询函"), (LetterKind.AGENCY, "征求意见函"),
                         (LetterKind.THIRD_PARTY, "征求意见"),
                         (LetterKind.FEE, "收费通知")):
        if suffix in title:
            return kind
    return LetterKind.REPLY


def parse_letter_text(text: str, *, kind: LetterKind | None = None) -> LetterDraft:
    """A letter from its (edited) text: the title on the first line, the 主送 on the next line
    ending in "：", the 署名 and the 成文日期 as the last two lines (an 附注 line in
    parentheses may follow the date). ``kind`` defaults to what the title says. Raises
    UserError (Chinese) when the text does not have that shape."""
    lines = [ln.strip() for ln in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        raise UserError("文书内容为空：第一行应为标题。")
    title = lines.pop(0)
    if "|" in title or title.endswith(("：", ":")):
        raise UserError("文书的第一行应为标题。")
    while lines and not lines[0]:
        lines.pop(0)
    if not lines or not lines[0].endswith(("：", ":")) or len(lines[0]) > 60:
        raise UserError("标题下一行应为主送（申请人姓名或名称），以“：”结尾，如“张三：”。")
    addressee = lines.pop(0)[:-1].strip()
    if not addressee:
        raise UserError("主送不能为空：请在“：”前写明申请人姓名或名称。")
    note = ""
    if (len(lines) >= 3 and lines[-1].startswith(("（", "(")) and lines[-1].endswith(("）", ")"))
            and _DATE_LINE.match(lines[-2])):
        note = lines.pop()[1:-1].strip()
    if not lines or not (m := _DATE_LINE.match(lines[-1])):
        raise UserError("文书最后一行应为成文日期（如2025年3月5日），其上一行为署名。")
    try:
        dated = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise UserError(f"成文日期“{lines[-1]}”不是有效日期。") from None
    lines.pop()
    if not lines or not lines[-1] or "|" in lines[-1] or "。" in lines[-1] or len(lines[-1]) > 40:
        raise UserError("成文日期上一行应为署名（如××镇人民政府）。")
    issuer = lines.pop()
    blocks = tuple(parse_body("\n".join(lines)))
    if not blocks:
        raise UserError("文书正文为空：请在主送与署名之间填写正文。")
    return LetterDraft(kind=kind or _kind_of(title), title=title, addressee=addressee,
                       blocks=blocks, issuer=issuer, dated=dated, note=note)


# Every outcome has a template (checked at import, so a new 表三 row cannot be forgotten).
_HANDLED = set(_GROUNDS) | {
    Outcome.DISCLOSED, Outcome.PARTLY_DISCLOSED, Outcome.ADMIN_QUERY, Outcome.NOT_HELD,
    Outcome.NEEDS_CREATION, Outcome.STILL_UNCLEAR, Outcome.PETITION, Outcome.REPEAT,
    Outcome.PUBLICATION, Outcome.EXCESSIVE, Outcome.CONFIRMATION, Outcome.NO_CORRECTION,
    Outcome.FEE_UNPAID, Outcome.OTHER,
}
assert _HANDLED == set(Outcome), set(Outcome) - _HANDLED


# ---- stored letters and the township's letter settings (issue 6, item 3) ---------------------


@dataclass(frozen=True, slots=True)
class StoredLetter:
    """A letter as the office saved it (table ``request_letter``): its edited text, the
    办理结果 it answers (replies only: a reply written for another outcome is not this
    one's), and the day it went out (None until recorded)."""

    id: int
    request_id: int
    kind: LetterKind
    text: str
    outcome: Outcome | None = None
    sent_on: date | None = None
    updated_at: str = ""
    #: SHA-256 of letter_content (what an approval slip signs) and the saved version's number.
    content_hash: str = ""
    version: int = 1
    party: str = ""  # consultation letters: the party consulted (LetterKind.per_party)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", LetterKind(self.kind))


def letter_content(request_id: int, kind: LetterKind | str, outcome_code: str | None,
                   text: str) -> dict[str, object]:
    """What an approval slip of a letter approves: the exact text, which letter of which
    application it is, and (for a reply) the 办理结果 it answers. Its SHA-256
    (core.approvals.content_hash) is the letter's content hash."""
    return {"request_id": int(request_id), "kind": LetterKind(kind).value,
            "outcome": outcome_code, "text": text}


#: 政府信息公开工作机构 when the office has not named one (a township's 党政办 does the work).
DEFAULT_OFFICE = "党政综合办公室"
_TOWNSHIP_WORDS = ("镇", "乡", "街道", "苏木")
_PROVINCE = re.compile(r"^.+?(?:省|自治区)(?=.)")


def county_of(township: str) -> str:
    """The county-level part of a township's full name: 青山县云溪镇人民政府 → 青山县,
    苏州市吴中区临湖镇人民政府 → 苏州市吴中区; a leading province is dropped (河北省青山县… →
    青山县). "" when the name does not show one. The longest prefix ending in 县/区/市/旗 that
    still leaves a township name (e.g. 马市镇 keeps its 市) is taken."""
    name = re.sub(r"(?:人民政府|办事处)$", "", "".join(township.split()))
    if not name.endswith(_TOWNSHIP_WORDS):
        return ""
    best = ""
    for m in re.finditer(r"[县区市旗]", name):
        stem = name[m.end():]
        for word in _TOWNSHIP_WORDS:
            if stem.endswith(word):
                stem = stem[: -len(word)]
                break
        if stem and not stem.endswith(_TOWNSHIP_WORDS):
            best = name[: m.end()]
    return _PROVINCE.sub("", best) if best else ""


def default_letter_context(township: str, *, address: str = "", phone: str = "") -> LetterContext:
    """The letter settings an office starts from: 复议机关 and 人民法院 of its county
    (行政复议法: a township's acts are reviewed by the county-level 人民政府; the basic-level
    court of the county hears the suit), the 党政综合办公室 as 政府信息公开工作机构, and the
    township's own phone. Empty where the name shows no county."""
    county = county_of(township)
    return LetterContext(
        township=township.strip(),
        review_body=f"{county}人民政府" if county else "",
        court=f"{county}人民法院" if county else "",
        office=DEFAULT_OFFICE,
        address=address.strip(),
        phone=phone.strip(),
    )
