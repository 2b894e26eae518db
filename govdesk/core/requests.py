"""依申请公开 (disclosure on application): the channels an application arrives by, the kinds of
applicant, and the outcomes — one per row of 年报 表三 (国办公开办函〔2021〕30号). The legal clock
(答复期限) is built on these below.

The outcome labels are the table's own, character for character
(../shared/domain/rules-and-formats.md §2.3): the annual report prints them and the reply letters
quote them, so they are written once, here.
"""

from __future__ import annotations

import enum

__all__ = [
    "ApplicantKind",
    "Channel",
    "Outcome",
    "OutcomeGroup",
]


class Channel(enum.StrEnum):
    """How the application arrived; it decides the receipt date (条例第三十一条)."""

    IN_PERSON = "当面"
    REGISTERED_POST = "邮寄"
    ORDINARY_LETTER = "平常信函"
    INTERNET = "互联网/网上"
    FAX = "传真"
    EMAIL = "电子邮件"

    @property
    def receipt_rule(self) -> str:
        """What 第三十一条 makes the receipt date for this channel."""
        return _RECEIPT_RULES[self]


_RECEIPT_RULES = {
    # 条例第三十一条（一）
    Channel.IN_PERSON: "以提交之日为收到申请之日",
    # 条例第三十一条（二）
    Channel.REGISTERED_POST: "以行政机关签收之日为收到申请之日",
    Channel.ORDINARY_LETTER: "以与申请人确认之日为收到申请之日",
    # 条例第三十一条（三）
    Channel.INTERNET: "以双方确认之日为收到申请之日",
    Channel.FAX: "以双方确认之日为收到申请之日",
    Channel.EMAIL: "以双方确认之日为收到申请之日",
}


class ApplicantKind(enum.StrEnum):
    """The applicant columns of 表三: 自然人, then the five kinds of 法人或其他组织."""

    PERSON = "自然人"
    BUSINESS = "商业企业"
    RESEARCH = "科研机构"
    PUBLIC_WELFARE = "社会公益组织"
    LEGAL_SERVICE = "法律服务机构"
    OTHER = "其他"

    @property
    def is_organisation(self) -> bool:
        return self is not ApplicantKind.PERSON


class OutcomeGroup(enum.StrEnum):
    """The 二级 rows of 表三 三、本年度办理结果 that have 三级 rows or stand alone."""

    DISCLOSED = "（一）予以公开"
    PARTLY = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    WITHHELD = "（三）不予公开"
    UNAVAILABLE = "（四）无法提供"
    NOT_PROCESSED = "（五）不予处理"
    OTHER = "（六）其他处理"


class Outcome(enum.Enum):
    """办理结果: exactly one row of 表三. ``code`` is stable (storage, imports, JSON); ``label``
    is the 三级 row label (or the 二级 one for 予以公开 / 部分公开), as printed in the table."""

    DISCLOSED = ("1", OutcomeGroup.DISCLOSED, "")
    PARTLY_DISCLOSED = ("2", OutcomeGroup.PARTLY, "")
    STATE_SECRET = ("3.1", OutcomeGroup.WITHHELD, "1.属于国家秘密")
    FORBIDDEN_BY_LAW = ("3.2", OutcomeGroup.WITHHELD, "2.其他法律行政法规禁止公开")
    ENDANGERS_SAFETY = ("3.3", OutcomeGroup.WITHHELD, "3.危及“三安全一稳定”")
    THIRD_PARTY_RIGHTS = ("3.4", OutcomeGroup.WITHHELD, "4.保护第三方合法权益")
    INTERNAL_AFFAIRS = ("3.5", OutcomeGroup.WITHHELD, "5.属于三类内部事务信息")
    PROCESS_INFO = ("3.6", OutcomeGroup.WITHHELD, "6.属于四类过程性信息")
    ENFORCEMENT_FILE = ("3.7", OutcomeGroup.WITHHELD, "7.属于行政执法案卷")
    ADMIN_QUERY = ("3.8", OutcomeGroup.WITHHELD, "8.属于行政查询事项")
    NOT_HELD = ("4.1", OutcomeGroup.UNAVAILABLE, "1.本机关不掌握相关政府信息")
    NEEDS_CREATION = ("4.2", OutcomeGroup.UNAVAILABLE, "2.没有现成信息需要另行制作")
    STILL_UNCLEAR = ("4.3", OutcomeGroup.UNAVAILABLE, "3.补正后申请内容仍不明确")
    PETITION = ("5.1", OutcomeGroup.NOT_PROCESSED, "1.信访举报投诉类申请")
    REPEAT = ("5.2", OutcomeGroup.NOT_PROCESSED, "2.重复申请")
    PUBLICATION = ("5.3", OutcomeGroup.NOT_PROCESSED, "3.要求提供公开出版物")
    EXCESSIVE = ("5.4", OutcomeGroup.NOT_PROCESSED, "4.无正当理由大量反复申请")
    CONFIRMATION = ("5.5", OutcomeGroup.NOT_PROCESSED, "5.要求行政机关确认或重新出具已获取信息")
    NO_CORRECTION = ("6.1", OutcomeGroup.OTHER,
                     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    FEE_UNPAID = ("6.2", OutcomeGroup.OTHER,
                  "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
    OTHER = ("6.3", OutcomeGroup.OTHER, "3.其他")

    def __init__(self, code: str, group: OutcomeGroup, row_label: str) -> None:
        self.code = code
        self.group = group
        self.row_label = row_label

    @property
    def label(self) -> str:
        """The row as a reader names it: "不予公开：1.属于国家秘密", or "予以公开"."""
        group = _short(self.group)
        return f"{group}：{self.row_label}" if self.row_label else group

    @classmethod
    def from_code(cls, code: str) -> Outcome:
        for outcome in cls:
            if outcome.code == code.strip():
                return outcome
        allowed = "、".join(o.code for o in cls)
        raise ValueError(f"办理结果编号“{code}”不存在，可选：{allowed}")


def _short(group: OutcomeGroup) -> str:
    # "（二）部分公开（区分处理的，…）" → "部分公开"; "（三）不予公开" → "不予公开".
    text = group.value[3:]
    return text.split("（", 1)[0]
