"""What a printed notice says, before anything decides how it looks (PDF step one of three:
content here → flowables in export → page geometry in the GB/T 9704 page template)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from govdesk.core.calendar import WorkCalendar
from govdesk.core.notices import BodyBlock, Notice, PeriodUnit, parse_body
from govdesk.core.org import CommunityKind, Township


def cn_date(d: date) -> str:
    """GB/T 9704 7.3.5.4: Arabic numerals, the year in full, no leading zeros (2018年3月1日)."""
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True, slots=True)
class NoticeDocument:
    index_number: str
    title: str
    blocks: tuple[BodyBlock, ...]
    issuer: str  # 发文机关署名
    dated: date  # 成文日期
    note: str = ""  # 附注, e.g. （此件公开发布）
    doc_number: str = ""  # 发文字号, printed under the red 版头
    header_name: str = ""  # 发文机关标志 for the optional red 版头, e.g. ××镇人民政府文件
    period_line: str = ""  # 公示时间：…（共7天）
    objection: str = ""  # 公示期间，如有异议……
    phone_line: str = ""  # 监督电话：…

    @property
    def is_public_notice(self) -> bool:
        """A 公示: printed with its period, objection clause and 监督电话."""
        return bool(self.period_line)

    @property
    def date_text(self) -> str:
        return cn_date(self.dated)


def issuer_for(notice: Notice, township: Township, community_kind: CommunityKind | None) -> str:
    """Who signs: a community's notice is signed by its 居民委员会/村民委员会, everything else by
    the township government (units are its internal offices, not 发文机关)."""
    if notice.community_id is not None and notice.owner:
        # 柳河村 → 柳河村村民委员会, 云溪社区 → 云溪社区居民委员会
        suffix = "村民委员会" if community_kind is CommunityKind.VILLAGE else "居民委员会"
        return notice.owner + suffix
    return township.full_name or township.short_name


def notice_document(
    notice: Notice,
    township: Township,
    calendar: WorkCalendar,
    *,
    community_kind: CommunityKind | None = None,
    red_header: bool = False,
) -> NoticeDocument:
    issuer = issuer_for(notice, township, community_kind)
    period_line = objection = phone_line = ""
    if notice.period is not None:
        p = notice.period
        length = p.length(calendar)
        unit = "天" if p.unit is PeriodUnit.DAYS else "个工作日"
        period_line = f"公示时间：{cn_date(p.start)}至{cn_date(p.end)}（共{length}{unit}）"
        # A unit is an office of the township: "云溪镇民政办", as people know it.
        contact = (f"{township.short_name}{notice.owner}"
                   if notice.unit_id is not None and notice.owner and township.short_name
                   else notice.owner or issuer)
        objection = (
            f"公示期间，如有异议，请以书面、电话等形式向{contact}反映。"
            "以个人名义反映的提倡留真实姓名和联系方式，以单位名义反映的应加盖本单位公章。"
        )
        if township.phone:
            phone_line = f"监督电话：{township.phone}"
    header = ""
    if red_header:
        header = f"{township.full_name or township.short_name}文件"
    return NoticeDocument(
        index_number=notice.index_number,
        title=notice.title,
        blocks=tuple(parse_body(notice.body)),
        issuer=issuer,
        dated=notice.formed_on,
        note=notice.note,
        doc_number=notice.doc_number,
        header_name=header,
        period_line=period_line,
        objection=objection,
        phone_line=phone_line,
    )
