"""演示数据: a fictional township (青山县云溪镇) with a year of 政务公开 work, for trying the app out
and for screenshots.

Everything goes through the operations layer, so every record is validated and every change is in
the 操作日志 with a plausible timestamp: the build drives a fake clock through a year of working
days (office hours, Beijing working-day calendar) and switches the signed-in account as a real
office would — the 经办人 registers, 分管领导 approves, 党政办 posts on the boards and takes down
when the 公示期 is over. The whole build is one transaction: it either fills the database or
leaves it untouched.

Each notice is planned as a chain of dated steps (登记 → 提交 → 审批 → 张贴/发布 → 撤下 …); the
steps of all notices are then run in time order, and steps falling on or after ``today`` are not
run, so the latest notices are naturally still 草稿, 待审批 or 已批准. A few notices are left
behind on purpose so the 工作台 has something to show: 公示 whose boards were never cleared and
drafts past their 公开时限.

The 政务公开领导小组 checks every community (社区/村) late in every complete month (月抽查), two
of its members at a time; the clerk enters the findings the same afternoon through the month
grid's operation (scoring.save_month), together with what the register itself shows (late
notices, 公示 left up past their take-down day: scoring.auto_findings). Each community has a
steady standard (云溪社区 rarely loses a point, 北坡村 often does); the county's 通报表彰 and one
通报批评 are entered as 加分/扣分 items; and two communities are deliberately brought level in
the first fully checked quarter, so the ranking shows a 并列.

The 依申请公开 register covers last year and this one (the accounts exist from last year's first
week for it): every kind of applicant, the 表三 rows a township meets, 补正 with the clock
restarted, a third-party consultation, an extension approved by the 党政办 head, a withdrawal, a
reply three working days late, an application carried over from December into January, two still
open today, and a 行政复议 against one refusal (年报 表四).

Names in 公示 lists are masked (王*明); no 身份证号, 手机号 or bank account ever appears. All
people, companies and places are made up.
"""

from __future__ import annotations

import random
import struct
import tempfile
import zlib
from calendar import monthrange
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from math import exp
from pathlib import Path

from sqlite_utils import Database

from govdesk.core.annual_report import AppealKind, AppealResult
from govdesk.core.approvals import Decision, Stage
from govdesk.core.errors import UserError
from govdesk.core.letters import LetterKind, letter_text
from govdesk.core.notices import (
    WITHHOLD_GROUNDS,
    Disclosure,
    NoticeFilter,
    NoticeInput,
    PeriodUnit,
    PostingPeriod,
)
from govdesk.core.org import BoardKind, Role, Township, User
from govdesk.core.registers import (
    HotlineCase,
    Interpretation,
    Meeting,
    Proposal,
    default_due,
)
from govdesk.core.requests import (
    ApplicantKind,
    Channel,
    ClockEvent,
    ClockEventKind,
    Consultee,
    Outcome,
    RequestInput,
)
from govdesk.core.scoring import (
    Deduction,
    Scheme,
    SpotCheck,
    applied_deductions,
    deduction_for_points,
    leaf_scores,
    quarter_months,
    quarter_of,
)
from govdesk.core.work_plan import Deadline, TaskInput, TaskState, default_title
from govdesk.operations import approvals as approval_ops
from govdesk.operations import registers as register_ops
from govdesk.operations import request_letters as letter_ops
from govdesk.operations import requests as request_ops
from govdesk.operations import scoring as scoring_ops
from govdesk.operations import work_plan as plan_ops
from govdesk.operations.auth import create_user, sign_in
from govdesk.operations.context import Context
from govdesk.operations.notices import (
    create_notice,
    expire_notice,
    publish_notice,
    submit_notice,
    take_down_notice,
)
from govdesk.operations.org import save_org_item, update_township
from govdesk.operations.postings import (
    post_notice,
    postings_of_notice,
    postings_on_board,
    take_down,
)
from govdesk.store import notice_store, org_store, plan_store, user_store

DEMO_PASSWORD = "govdesk2025"


@dataclass(frozen=True)
class DemoAccount:
    login: str
    name: str
    role: Role


# ---- the township --------------------------------------------------------------------------------

TOWNSHIP = Township(
    full_name="青山县云溪镇人民政府",
    short_name="云溪镇",
    credit_code="11371012MB2853092P",
    address="青山县云溪镇府前街18号",
    phone="0539-7261035",
)
T = TOWNSHIP.short_name
FULL = TOWNSHIP.full_name
PHONE = TOWNSHIP.phone
DOC_PREFIX = "云"

EXTRA_UNITS = ("经管站", "退役军人服务站")

NEIGHBOURHOODS = ("云溪社区", "东关社区", "南苑社区")
VILLAGES = ("柳河村", "石桥村", "杏林村", "王家庄村", "北坡村")

GOV = ("unit", "党政办")
# code, name, kind, location, owner
BOARDS: tuple[tuple[str, str, BoardKind, str, tuple[str, str]], ...] = (
    ("GB-01", "便民服务大厅政务公开栏", BoardKind.GOVERNMENT, "镇政府便民服务大厅一楼", GOV),
    ("GB-02", "镇政府大门电子屏", BoardKind.SCREEN, "镇政府大门东侧", GOV),
    ("GB-03", "便民服务中心收费公示墙", BoardKind.FEE_WALL, "镇便民服务中心二楼收费窗口旁", GOV),
    ("SQ-01", "云溪社区居务公开栏", BoardKind.RESIDENTS, "云溪社区党群服务中心门前",
     ("community", "云溪社区")),
    ("SQ-02", "东关社区居务公开栏", BoardKind.RESIDENTS, "东关社区居委会院内东墙",
     ("community", "东关社区")),
    ("SQ-03", "南苑社区三务公开栏", BoardKind.THREE_AFFAIRS, "南苑小区北门广场",
     ("community", "南苑社区")),
    ("CW-01", "柳河村村务公开栏", BoardKind.VILLAGE, "柳河村村委会门口", ("community", "柳河村")),
    ("CW-02", "石桥村三务公开栏", BoardKind.THREE_AFFAIRS, "石桥村文化广场西侧",
     ("community", "石桥村")),
    ("CW-03", "杏林村村务公开栏", BoardKind.VILLAGE, "杏林村村委会大院", ("community", "杏林村")),
    ("CW-04", "王家庄村村务公开栏", BoardKind.VILLAGE, "王家庄村党群服务中心西墙",
     ("community", "王家庄村")),
    ("CW-05", "北坡村村务公开栏", BoardKind.VILLAGE, "北坡村便民服务站南侧",
     ("community", "北坡村")),
)
COMMUNITY_BOARD = {owner[1]: code for code, _, _, _, owner in BOARDS if owner[0] == "community"}

ADMIN, CLERK, CLERK_MZ, HEAD, SECRECY, DEPUTY, PRINCIPAL = (
    "admin", "liuxin", "wangfang", "zhaojianguo", "chenjing", "lihaitao", "zhouweimin",
)
# login, name, role, unit (None: the leaders belong to no 站所)
ACCOUNTS: tuple[tuple[str, str, Role, str | None], ...] = (
    (ADMIN, "孙立伟", Role.ADMIN, "党政办"),
    (CLERK, "刘欣", Role.CLERK, "党政办"),
    (CLERK_MZ, "王芳", Role.CLERK, "民政办"),
    (HEAD, "赵建国", Role.UNIT_HEAD, "党政办"),
    (SECRECY, "陈静", Role.SECRECY_OFFICER, "党政办"),
    (DEPUTY, "李海涛", Role.DEPUTY_LEADER, None),
    (PRINCIPAL, "周卫民", Role.PRINCIPAL_LEADER, None),
)

# ---- names and small helpers ---------------------------------------------------------------------

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋于杜叶程魏苏吕丁任沈"
_GIVEN = "明华芳英军丽强敏静秀兰桂玉凤春梅海涛峰伟刚勇平杰娟霞红德福贵山林生成荣振国庆"
_QUARTERS = "一二三四"
_CN_NUM = "一二三四五六七八九十"
_COMPANIES = (
    "青山县宏远建设工程有限公司", "青山县鑫达路桥工程有限公司", "青山县恒泰市政工程有限公司",
    "青山县安居建筑安装有限公司", "青山县绿源水利工程有限公司", "青山县顺通建设集团有限公司",
)
_PROJECTS = (
    ("柳河村", "柳河村主街道路硬化工程"), ("石桥村", "石桥村饮水安全巩固提升工程"),
    ("云溪社区", "云溪社区老旧小区改造项目"), ("杏林村", "杏林村排水沟渠整治工程"),
    ("北坡村", "北坡村文化广场建设项目"), ("王家庄村", "王家庄村漫水桥维修加固工程"),
    ("东关社区", "东关社区雨污分流改造工程"), ("南苑社区", "南苑社区路灯亮化工程"),
)


# ---- the assessment (月抽查、季考核) -------------------------------------------------------------------

# Members of the 政务公开领导小组 who go out on a check, two at a time (seed 004: "镇政务公开领导小组
# 采取月抽查、季考核的方式对各社区公开工作进行监督考核").
CHECKERS = ("赵建国、刘欣", "赵建国、陈静", "陈静、刘欣", "李海涛、赵建国", "孙立伟、刘欣")

# Expected findings per monthly check: some communities are steadily better kept than others,
# and the badly kept ones also make the heavier findings (5 points) more often.
QUALITY: Mapping[str, float] = {
    "云溪社区": 0.3, "柳河村": 0.7, "东关社区": 1.2, "南苑社区": 2.0, "石桥村": 2.0,
    "杏林村": 3.2, "王家庄村": 4.4, "北坡村": 5.6,
}
# Brought level in the first quarter checked in all three months (a 并列 in the ranking).
TIE_PAIR = ("南苑社区", "石桥村")


@dataclass(frozen=True)
class _Finding:
    """What an inspector writes down, booked on a rule of the default 考核细则 (indicator code,
    rule number). ``reason`` is the 扣分原因 as the 通报 counts it (the same words for every
    community); ``evidence`` gives the particulars. ``board``: the finding is seen on the 公开栏,
    so the evidence refers to a posting up on it (and its photo): "oldest" (what should have come
    down), "newest", or a word its title must contain (the finding is not made without such a
    posting); ``finance``: only where the register has no 财务收支 公开 for the month."""

    code: str
    rule: int
    reason: str
    evidence: str
    weight: int
    most: int = 1
    board: str = ""
    finance: bool = False


# Wording after rules-and-formats.md §5.2 A (公开栏建设、财务收支 "一月一公开、逐笔逐项") and the
# problems township reports list (seed 001: "公开内容更换不及时"; seed 004: 一月一督查).
_FINDINGS: tuple[_Finding, ...] = (
    _Finding("3.2", 0, "公开栏内容未及时更新", "{board}仍张贴上期已过期内容，本月事项未上栏", 9, 2,
             board="oldest"),
    _Finding("2.3", 0, "财务收支未按月公开", "{pm}月份财务收支情况至检查时未公开", 6, finance=True),
    _Finding("2.3", 1, "财务收支未逐笔逐项公开", "财务收支公开表支出只列合计，未分类逐笔列示", 4, 2,
             board="财务收支"),
    _Finding("2.4", 1, "公示名单未去标识化", "张贴的公示名单中姓名未作遮挡处理，已督促当场撤换",
             2, board="公示"),
    _Finding("1.3", 1, "意见箱未定期开启", "意见箱无本月开箱登记", 6),
    _Finding("1.2", 0, "监督电话未公布", "{board}更换栏面后未重新公布镇、村两级监督举报电话", 1,
             board="newest"),
    _Finding("1.2", 1, "监督举报电话无法接通", "现场拨打公开栏公布的监督电话，无人接听", 1,
             board="newest"),
    _Finding("1.1", 1, "公开栏栏面破损、内容脱落", "{board}玻璃门破损，部分张贴内容受潮脱落", 3, 2,
             board="newest"),
    _Finding("4.1", 1, "台账登记不全", "公开台账缺{n}项张贴内容的登记", 8, 3),
    _Finding("4.3", 0, "公开资料未归档", "已撤下的公示原件和张贴照片{n}份未整理归档", 7, 2),
    _Finding("4.2", 0, "公开前未履行审批手续", "本月张贴的通知无公开审批单", 2),
    _Finding("2.1", 0, "应公开事项未公开", "居务（村务）公开目录中的{n}项本月应公开未公开", 3, 2),
    _Finding("2.2", 1, "公开数据、文字有差错", "财务收支公开表“本月结余”与收支合计不符", 3,
             board="财务收支"),
    _Finding("5.1", 0, "群众意见未登记答复", "意见箱内居民来信{n}封未登记、未答复", 3, 2),
    _Finding("5.2", 0, "抽访居民对公开工作不满意", "抽访居民10人，{n}人表示不了解公开栏内容", 3, 3),
)
# Small findings that make up a difference exactly (no caps on these rules): the tie.
_FILLERS = tuple(f for f in _FINDINGS if (f.code, f.rule) in
                 {("4.3", 0), ("4.1", 1), ("5.1", 0), ("1.3", 1), ("5.2", 0)})


def _poisson(rng: random.Random, mean: float) -> int:
    limit, n, p = exp(-mean), 0, rng.random()
    while p > limit:
        n += 1
        p *= rng.random()
    return n


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _quarter(d: date) -> tuple[int, int]:
    """The quarter just finished before the month of ``d``: (year, 1–4)."""
    q = (d.month - 1) // 3
    return (d.year - 1, 4) if q == 0 else (d.year, q)


def _money(x: float) -> str:
    return f"{x:,.2f}"


def _sign(body: list[str], signer: str, d: date | None) -> str:
    """The body text; empty when the notice is not planned. The signature (发文机关署名) and the
    成文日期 are not part of the body: printing sets them per GB/T 9704 7.3.5."""
    if d is None:
        return ""
    return "\n".join(line for line in body if line and not _print_template_line(line))


def _print_template_line(line: str) -> bool:
    """A 公示's period, objection and 监督电话 lines are printed from the notice's 公示期 and the
    township profile; written into the body as well they would print twice."""
    return (line.startswith(("公示期间，如有异议", "监督电话："))
            or (line.startswith("公示时间：") and len(line) < 45))


def _objection(unit: str) -> str:
    return (
        f"公示期间，如有异议，请以书面、电话等形式向{T}{unit}反映。以个人名义反映的提倡留真实"
        "姓名和联系方式，以单位名义反映的应加盖本单位公章。"
    )


# ---- 依申请公开 (the applications of two years) ---------------------------------------------------

# The 政府信息公开工作机构负责人 who approves an extension (条例第三十三条): the 党政办 head.
ACCOUNT_NAMES = {login: name for login, name, _, _ in ACCOUNTS}


@dataclass(frozen=True)
class _Application:
    """One planned application. ``flow``: what happens on its clock — plain, late (answered 3
    working days after the due date), correction / unclear (补正 requested and received, clock
    restarted), no_correction (never corrected: 其他处理 1), consult (third party asked, the
    pause excluded), extension, withdrawn, carried (received in December, answered in January),
    open_soon / open_new (still open today). ``content`` may name {y} (the year received) and
    {py} (the year before)."""

    kind: ApplicantKind
    name: str
    contact: str
    channel: Channel
    content: str
    outcome: Outcome | None
    flow: str = "plain"
    detail: str = ""
    party: str = ""
    appeal: bool = False  # the applicant applies for 行政复议 after the reply


#: The letter each recorded fact of the clock sends to the applicant (or the third party).
_LETTER_OF_EVENT = {
    ClockEventKind.CORRECTION_REQUESTED: LetterKind.CORRECTION,
    ClockEventKind.EXTENSION: LetterKind.EXTENSION,
    ClockEventKind.CONSULTATION_STARTED: LetterKind.THIRD_PARTY,
}

_P, _B, _R = ApplicantKind.PERSON, ApplicantKind.BUSINESS, ApplicantKind.RESEARCH
_W, _L, _O = ApplicantKind.PUBLIC_WELFARE, ApplicantKind.LEGAL_SERVICE, ApplicantKind.OTHER
_ME, _POST, _LETTER = Channel.IN_PERSON, Channel.REGISTERED_POST, Channel.ORDINARY_LETTER
_WEB, _FAX, _MAIL = Channel.INTERNET, Channel.FAX, Channel.EMAIL
_APPLICATIONS: tuple[tuple[_Application, ...], tuple[_Application, ...]] = ((
    # last year
    _Application(_P, "张明远", "云溪镇柳河村三组", _ME,
                 "柳河村{py}年度农村最低生活保障资金发放名单及发放标准", Outcome.DISCLOSED,
                 detail="提供低保资金发放公示材料复印件"),
    _Application(_B, "青山县鑫达路桥工程有限公司", "xinda@example.com", _MAIL,
                 "石桥村饮水安全巩固提升工程招标公告、中标结果及合同金额", Outcome.DISCLOSED),
    _Application(_P, "李秀兰", "云溪镇柳河村五组", _POST,
                 "本人承包地所在地块土地征收的征地补偿标准及补偿款测算依据",
                 Outcome.PARTLY_DISCLOSED, "correction",
                 "补偿标准予以公开；其他被征收户的补偿明细涉及个人信息，不予公开"),
    _Application(_P, "王建军", "云溪镇北坡村二组", _ME,
                 "北坡村{py}年村集体经济收支明细账", Outcome.NOT_HELD,
                 detail="村集体经济收支由村民委员会管理，告知申请人向北坡村村民委员会查询"),
    _Application(_L, "青山县正衡律师事务所", "青山县城关镇人民路66号", _POST,
                 "王家庄村漫水桥维修加固工程涉及房屋的拆迁安置方案及安置补偿协议",
                 Outcome.PARTLY_DISCLOSED, "consult",
                 "拆迁安置方案予以公开；安置补偿协议中被安置户的个人信息不予公开",
                 party="被安置户代表王某某"),
    _Application(_P, "陈国庆", "chenguoqing@example.com", _WEB,
                 "杏林村{py}年度危房改造对象评议过程中的村民代表会议讨论记录",
                 Outcome.PROCESS_INFO, detail="评议过程中的讨论记录属于过程性信息；评定结果已公示"),
    _Application(_R, "省农村发展研究院乡村治理课题组", "xiangcun@example.com", _MAIL,
                 "全镇{py}年度耕地地力保护补贴发放汇总数据", Outcome.DISCLOSED),
    _Application(_W, "青山县绿野环保志愿者协会", "lvye@example.com", _WEB,
                 "按村分别统计的{py}年以来全镇秸秆焚烧处罚情况", Outcome.NEEDS_CREATION,
                 detail="本机关未按村统计，需另行制作，告知申请人"),
    _Application(_P, "刘春梅", "云溪镇东关社区", _LETTER,
                 "反映东关社区低保评审优亲厚友，要求公开对有关人员的调查处理结果",
                 Outcome.PETITION, detail="属于信访举报投诉类申请，告知申请人通过信访渠道反映"),
    _Application(_P, "王建军", "云溪镇北坡村二组", _ME,
                 "北坡村{py}年村集体经济收支明细账（再次申请）", Outcome.REPEAT,
                 detail="与本年度已答复的申请内容相同"),
    _Application(_P, "赵德福", "zhaodefu@example.com", _WEB, "镇里有关我家的所有文件",
                 Outcome.NO_CORRECTION, "no_correction",
                 "申请人逾期未补正，视为放弃申请（条例第三十条）"),
    _Application(_O, "柳河村股份经济合作社", "云溪镇柳河村村委会", _ME,
                 "云溪镇国土空间总体规划中柳河村村庄规划图及规划说明", Outcome.DISCLOSED),
    _Application(_B, "青山县恒泰市政工程有限公司", "青山县经济开发区纬二路9号", _POST,
                 "东关社区雨污分流改造工程结算审计报告", Outcome.PARTLY_DISCLOSED, "extension",
                 "涉及其他投标人商业信息的部分不予公开"),
    _Application(_P, "孙玉梅", "云溪镇南苑社区", _FAX, "南苑社区路灯亮化工程资金来源及使用情况",
                 None, "withdrawn"),
    _Application(_P, "周海峰", "云溪镇杏林村四组", _ME,
                 "镇综合行政执法办对本人房屋违法建设拆除的执法案卷", Outcome.ENFORCEMENT_FILE,
                 "late", "属于行政执法案卷，告知申请人依照有关法律法规查阅"),
    _Application(_P, "马志刚", "云溪镇石桥村一组", _POST, "邻居马某某的宅基地审批表及附图",
                 Outcome.THIRD_PARTY_RIGHTS, "consult",
                 "第三方不同意公开，公开会损害第三方合法权益（条例第十五条）",
                 party="宅基地使用权人马某某", appeal=True),
    _Application(_P, "何丽娟", "云溪镇云溪社区", _ME,
                 "云溪社区{y}年度临时救助对象名单及救助金额", Outcome.DISCLOSED, "carried",
                 "提供临时救助公示材料（已遮盖个人信息）"),
), (
    # this year
    _Application(_P, "吴桂芳", "云溪镇石桥村三组", _ME,
                 "石桥村{py}年度农村低保和特困供养资金发放明细", Outcome.DISCLOSED),
    _Application(_B, "青山县安居建筑安装有限公司", "anju@example.com", _WEB,
                 "{y}年度农村危房改造项目资金拨付文件", Outcome.DISCLOSED, "correction"),
    _Application(_P, "郭长山", "云溪镇柳河村一组", _POST,
                 "柳河村主街道路硬化工程征占土地补偿标准及补偿款发放情况",
                 Outcome.PARTLY_DISCLOSED, detail="其他村民的补偿款明细涉及个人信息，不予公开"),
    _Application(_R, "青山职业技术学院乡村振兴研究中心", "xczx@example.com", _MAIL,
                 "全镇各村集体经济发展有关情况", Outcome.STILL_UNCLEAR, "unclear",
                 "补正后仍未明确所需信息"),
    _Application(_W, "青山县夕阳红志愿服务协会", "青山县城关镇文化路12号", _ME,
                 "全镇特困供养人员集中供养和分散供养人数", Outcome.DISCLOSED),
    _Application(_L, "青山县明理律师事务所", "mingli@example.com", _MAIL,
                 "东关社区雨污分流改造工程拆迁安置方案及安置房分配结果", Outcome.DISCLOSED),
    _Application(_O, "王家庄村股份经济合作社", "云溪镇王家庄村村委会", _ME,
                 "王家庄村漫水桥维修加固工程竣工验收报告", Outcome.DISCLOSED),
    _Application(_P, "田秀英", "云溪镇东关社区", _ME,
                 "镇政府机关内部考勤管理规定及工作人员请假审批记录", Outcome.INTERNAL_AFFAIRS,
                 detail="属于人事管理、内部管理事务信息"),
    _Application(_P, "杜国强", "duguoqiang@example.com", _WEB,
                 "查询本人{py}年度城乡居民基本养老保险缴费记录", Outcome.ADMIN_QUERY,
                 detail="属于行政查询事项，告知申请人到镇便民服务中心社保窗口查询"),
    _Application(_P, "邓春生", "云溪镇杏林村二组", _ME, "提供《青山县志（1991—2010）》云溪镇部分",
                 Outcome.PUBLICATION, detail="属于公开出版物，告知获取途径"),
    _Application(_B, "青山县顺通建设集团有限公司", "shuntong@example.com", _MAIL,
                 "要求对已取得的北坡村文化广场建设项目中标通知书重新出具并加盖公章",
                 Outcome.CONFIRMATION),
    _Application(_P, "潘玉兰", "云溪镇南苑社区", _POST, "南苑社区老旧小区改造项目资金使用明细",
                 None, "open_soon"),
    _Application(_P, "韩立新", "云溪镇北坡村三组", _ME, "北坡村文化广场建设项目招标及资金拨付情况",
                 None, "open_new"),
))


def _add_review_case(ctx: Context, request_id: int, filed: date, authority: str,
                     case_number: str) -> int:
    """A 行政复议 against the reply to ``request_id`` (年报 表四)."""
    try:
        from govdesk.core.review_cases import ReviewCaseInput
        from govdesk.operations.review_cases import add_review_case
    except ImportError:  # pragma: no cover - before the review-case operations existed
        now = ctx.now_utc()
        cur = ctx.db.execute(
            "INSERT INTO review_case (request_id, kind, filed_on, authority, case_number,"
            " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [request_id, AppealKind.REVIEW.value, filed.isoformat(), authority, case_number,
             ctx.actor_id, now, now])
        ctx.audit("create", "review_case", cur.lastrowid, request_id=request_id,
                  filed_on=filed.isoformat(), case_number=case_number)
        return int(cur.lastrowid)
    return add_review_case(ctx, ReviewCaseInput(
        kind=AppealKind.REVIEW, filed_on=filed, authority=authority, case_number=case_number,
        request_id=request_id)).id


def _decide_review_case(ctx: Context, case_id: int, decided: date) -> None:
    try:
        from govdesk.operations.review_cases import get_review_case, update_review_case
    except ImportError:  # pragma: no cover
        ctx.db.execute("UPDATE review_case SET result = ?, decided_on = ?, updated_at = ?"
                       " WHERE id = ?", [AppealResult.UPHELD.value, decided.isoformat(),
                                         ctx.now_utc(), case_id])
        ctx.audit("update", "review_case", case_id, result=AppealResult.UPHELD.value,
                  decided_on=decided.isoformat())
        return
    from govdesk.core.review_cases import ReviewCaseInput

    case = get_review_case(ctx, case_id)
    update_review_case(ctx, case_id, ReviewCaseInput(
        kind=case.kind, filed_on=case.filed_on, result=AppealResult.UPHELD, decided_on=decided,
        authority=case.authority, case_number=case.case_number, note="复议决定维持原答复",
        request_id=case.request_id))


# ---- planning ------------------------------------------------------------------------------------


@dataclass
class _Step:
    at: datetime  # aware, UTC
    actor: str  # login
    action: str
    args: dict = field(default_factory=dict)

    @property
    def day(self) -> date:
        return self.at.astimezone().date()


@dataclass
class _Plan:
    data: NoticeInput
    steps: list[_Step]
    doc_kind: str = ""
    notice_id: int | None = None


Body = str | Callable[[PostingPeriod | None, date], str]


# ---- the year's work plan and the registers (issue 8 §7) ------------------------------------------

# Sections and tasks modelled on seed 003 (a township's 任务分解表): section, task text, owners
# (units, communities, or the flags "各部门"/"各村（社区）"), 完成时限 as (month, day) or a wording,
# the 公开目录 category the task publishes under (or None).
PLAN_SECTIONS: tuple[tuple[str, tuple[tuple[str, tuple[str, ...], tuple[int, int] | str,
                                           str | None], ...]], ...] = (
    ("围绕深化改革推进公开", (
        ("进一步推进权力清单和责任清单公开：全面公开镇权力清单、责任清单，及时公开取消、下放、保留的"
         "行政审批事项", ("党政办", "社会事务办"), (3, 31), "行政权力运行"),
        ("推进“放管服”改革信息公开：公开便民服务事项办事指南和“只跑一次”事项清单",
         ("社会事务办",), (6, 30), "行政权力运行"),
    )),
    ("围绕民生改善推进公开", (
        ("推进扶贫工作信息公开：公开扶贫政策、扶贫资金、项目安排等信息，公布扶贫工作落实情况",
         ("民政办", "农业农村办"), (9, 30), "重点领域"),
        ("推进社会救助信息公开：按月公开低保、特困人员救助供养、临时救助金发放情况、人数及标准",
         ("民政办", "各村（社区）"), "每月", "社会救助"),
        ("推进就业创业信息公开：公开补贴申领条件、程序，及时发布就业供求信息",
         ("劳动站",), (6, 30), "重点领域"),
        ("推进农村危房改造信息公开：公开改造政策、对象认定过程、补助资金分配和改造结果",
         ("城建办", "各村（社区）"), (10, 31), "农业农村"),
    )),
    ("围绕助力政府建设推进公开", (
        ("积极推进决策公开：重大民生决策事项事前公开征求意见，公开决策草案和依据",
         ("党政办",), (11, 30), "规划计划"),
        ("推进政策执行和落实情况公开：公开重点工作推进情况及督查整改落实情况",
         ("党政办", "综治办"), (12, 15), "政务公开管理"),
        ("深入推进预决算公开：公开镇一般公共预算、“三公”经费预决算，民生支出细化公开",
         ("财政所",), (4, 30), "财政资金"),
    )),
    ("围绕扩大政务参与加强解读回应", (
        ("主动做好政策解读：重要政策文件与解读材料同步发布，运用图解、音视频等形式开展解读",
         ("党政办", "社会事务办"), "长期坚持", None),
        ("积极回应社会关切：做好政务舆情监测、研判和回应，热线、信箱来件按时办结",
         ("党政办", "综治办"), "长期坚持", None),
        ("认真办理人大代表建议和政协委员提案，按时答复并公开办理结果",
         ("党政办",), (8, 31), None),
    )),
    ("围绕增强公开实效加强能力建设", (
        ("加强组织领导：召开政务公开工作领导小组会议，研究部署年度重点工作",
         ("党政办",), (3, 15), None),
        ("推进政府信息公开基本目录建设，严格执行保密审查制度",
         ("党政办", "各部门"), (9, 30), "政务公开管理"),
        ("定期组织政务公开经办人员参加业务培训，提高队伍专业化水平",
         ("党政办", "各村（社区）"), (11, 30), None),
    )),
)

# Progress notes (by task index), and the 原因 of the task this year's office cannot finish
PLAN_NOTES: dict[int, tuple[str, ...]] = {
    0: ("对照县级清单完成镇权力清单、责任清单梳理，共梳理权力事项48项",
        "权力清单、责任清单经镇政府常务会议审议后在门户网站和便民服务大厅公开"),
    1: ("梳理便民服务事项32项，编制办事指南并在服务大厅公开",),
    2: ("在各村公开栏和门户网站公开年度扶贫项目安排和资金使用情况",
        "公开扶贫项目实施进度和验收结果"),
    3: ("每月在各村（社区）公开栏公示低保、特困救助金发放名单，姓名已按规定遮盖",),
    4: ("联合劳动站每季度发布用工信息速递，公开就业补贴申领条件和程序",),
    5: ("各村完成改造对象评议公示，公示期内未收到异议",),
    6: ("镇村道路改造方案在门户网站公开征求意见15天，收到意见建议6条，已逐条研究反馈",),
    7: ("按季度公开重点工作推进情况", "督查发现问题整改情况在政务公开栏公开"),
    8: ("镇年度部门预算和“三公”经费预算在批复后20日内公开",),
    9: ("低保、临时救助等政策文件与解读材料同步发布",),
    10: ("建立舆情日报告制度，对网络舆情做到早发现、早研判、早回应",),
    11: ("建议提案交办后逐件明确承办单位和办理时限",),
    12: ("召开政务公开工作领导小组会议，研究部署全年政务公开重点工作",),
    13: ("完成基本目录梳理，逐项明确公开主体、时限和方式",),
    14: ("组织镇村两级政务公开经办人员开展业务培训",),
}
NOT_DONE_REASON = "县级农村危房改造补助资金下达推迟，改造结果公开顺延至次年一季度"
LAST_YEAR_NOT_DONE = (13, "县级基本目录模板年底才印发，镇基本目录按新模板重新梳理，顺延至次年完成")

HOTLINE_SUBJECTS = (
    "反映小区路灯不亮", "反映村道破损坑洼", "咨询城乡居民医保缴费", "反映垃圾清运不及时",
    "咨询低保申请条件", "反映自来水压力不足", "反映广场舞噪音扰民", "咨询高龄津贴发放时间",
    "反映占道经营", "反映排水沟堵塞", "咨询农村危房改造补助", "反映楼道杂物堆放",
    "咨询就业补贴申领", "反映河道漂浮物", "反映施工扬尘", "咨询宅基地审批流程",
)
OPINION_SUBJECTS = (
    "网传某村征地补偿不到位", "网传镇区停水未提前通知", "短视频平台反映集市交通拥堵",
    "网帖反映学校周边违规摆摊", "网传养殖场异味扰民",
)
INTERPRETATIONS = (
    ("《云溪镇城乡低保实施办法》政策解读", "文字", "社会救助"),
    ("一图读懂农村危房改造补助政策", "图解", "农业农村"),
    ("《云溪镇临时救助实施细则》政策解读", "文字", "社会救助"),
    ("镇年度部门预算公开说明解读", "文字", "财政资金"),
    ("一图读懂耕地地力保护补贴", "图解", "农业农村"),
    ("就业创业扶持政策解读（视频）", "音视频", "重点领域"),
    ("《云溪镇安全生产责任制规定》政策解读", "文字", "应急管理"),
    ("一图读懂城乡居民养老保险", "图解", "重点领域"),
    ("镇长在线访谈：美丽乡村建设", "在线访谈", "规划计划"),
    ("《云溪镇宅基地审批管理办法》政策解读", "文字", "农业农村"),
)
PROPOSALS = (
    ("人大代表建议", "关于修缮柳河村至石桥村道路的建议", "城建办"),
    ("人大代表建议", "关于增设镇区公交站点的建议", "党政办"),
    ("人大代表建议", "关于加强农村饮水安全保障的建议", "农业农村办"),
    ("人大代表建议", "关于改善镇卫生院就医条件的建议", "社会事务办"),
    ("人大代表建议", "关于规范集市秩序的建议", "综治办"),
    ("政协委员提案", "关于发展特色果品产业的提案", "农业农村办"),
    ("政协委员提案", "关于加强留守儿童关爱的提案", "民政办"),
    ("政协委员提案", "关于推进垃圾分类的提案", "城建办"),
)
LEADS = ("王建华", "李秀英", "张国庆", "刘春梅", "陈德福", "杨海涛", "赵玉兰", "孙振国")
MEETINGS = (
    ("领导小组会议", 2, 20, "研究部署年度政务公开重点工作", 12),
    ("培训", 3, 25, "政务公开业务培训（信息发布与保密审查）", 46),
    ("专题会议", 5, 18, "重点领域信息公开推进会", 18),
    ("培训", 6, 24, "村（社区）政务公开经办人员培训", 38),
    ("领导小组会议", 8, 26, "政务公开工作推进情况通报", 13),
    ("培训", 10, 22, "政策解读与舆情回应专题培训", 42),
)


class _Clock:
    """The fake clock: only ever moves forward."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, when: datetime) -> None:
        if when > self.now:
            self.now = when

    def tick(self, rng: random.Random) -> None:
        self.now += timedelta(minutes=rng.randint(1, 4), seconds=rng.randint(0, 59))


def _local(day: date, hour: int, minute: int, second: int = 0) -> datetime:
    # Office hours in the PC's local time (Beijing time in the office), stored as UTC.
    return datetime.combine(day, time(hour, minute, second)).astimezone().astimezone(UTC)


class _Builder:
    def __init__(self, db: Database, password: str, today: date, files_dir: Path | None,
                 seed: int) -> None:
        self.db = db
        self.password = password
        self.today = today
        self.rng = random.Random(seed)
        self.files_dir = files_dir
        self.cal = Context(db).calendar
        # Set up about a year before today; notices are formed from a few days later on.
        self.setup_day = self.cal.add_workdays(today - timedelta(days=372), 0)
        self.first = self.cal.add_workdays(self.setup_day, 2)
        self.last = self.cal.previous_workday(today)
        # The accounts exist from the first week of last year: the 依申请公开 register covers two
        # years (so the annual report of last year is complete and carries over into this one),
        # while the notices start about a year before today.
        self.accounts_day = min(self.setup_day, self.cal.add_workdays(date(today.year - 1, 1, 1), 0))
        self.first_request_day = self.accounts_day + timedelta(days=1)
        self.clock = _Clock(_local(self.accounts_day, 8, 47, 12))
        self.ctx = Context(db, clock=self.clock, files_dir=files_dir)
        self.users: dict[str, User] = {}
        self.units: dict[str, int] = {}
        self.communities: dict[str, int] = {}
        self.boards: dict[str, int] = {}
        self.categories: dict[str, int] = {}
        self.channels: dict[str, int] = {}
        self.plans: list[_Plan] = []
        self.photo_dir: Path | None = None
        self.photos: dict[str, Path] = {}
        self.used_titles: set[tuple[str, int]] = set()
        # the assessment: its own random stream, so the notices are the same with or without it
        self.seed = seed
        self.assessment: list[_Step] = []
        self.saved_checks: dict[tuple[int, int], dict[int, SpotCheck]] = {}
        self.finance_posted: set[tuple[str, int, int]] = set()
        self.tie_quarter: tuple[int, int] | None = None
        # 依申请公开: planned steps, the request id of each planned application, review cases
        self.request_steps: list[_Step] = []
        self.request_ids: list[int | None] = []
        self.review_cases: dict[int, int] = {}
        # the work plan and the registers: steps that call an operation at their time
        self.extra_steps: list[_Step] = []

    # ---- time ----------------------------------------------------------------------------------

    def _time(self, day: date) -> datetime:
        rng = self.rng
        if rng.random() < 0.55:
            hour = rng.randint(8, 11)
            minute = rng.randint(30 if hour == 8 else 0, 59)
        else:
            hour, minute = rng.randint(14, 17), rng.randint(0, 59)
        return _local(day, hour, minute, rng.randint(0, 59))

    def _later(self, prev: datetime, day: date) -> datetime:
        cand = self._time(day)
        if cand <= prev:
            cand = prev + timedelta(minutes=self.rng.randint(4, 40), seconds=self.rng.randint(0, 59))
        return cand

    def _day_in(self, year: int, month: int, lo: int, hi: int) -> date | None:
        last = monthrange(year, month)[1]
        d = self.cal.add_workdays(date(year, month, min(self.rng.randint(lo, hi), last)), 0)
        return d if self.first <= d <= self.last else None

    def _months(self) -> Iterator[tuple[int, int]]:
        y, m = self.first.year, self.first.month
        while (y, m) <= (self.today.year, self.today.month):
            yield y, m
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)

    # ---- setup ---------------------------------------------------------------------------------

    def setup(self) -> None:
        ctx, rng = self.ctx, self.rng
        admin_login, admin_name, _, admin_unit = ACCOUNTS[0]
        units = {u.name: u.id for u in org_store.list_units(self.db)}
        create_user(ctx, admin_login, admin_name, Role.ADMIN, self.password, units.get(admin_unit))
        self.clock.tick(rng)
        sign_in(ctx, admin_login, self.password)
        assert ctx.user is not None
        self.users[admin_login] = ctx.user
        self.clock.tick(rng)
        update_township(ctx, TOWNSHIP)
        for name in EXTRA_UNITS:
            if name not in units:
                self.clock.tick(rng)
                save_org_item(ctx, "unit", {"name": name})
        self.units = {u.name: u.id for u in org_store.list_units(self.db)}
        for name in (*NEIGHBOURHOODS, *VILLAGES):
            self.clock.tick(rng)
            kind = "社区" if name in NEIGHBOURHOODS else "村"
            self.communities[name] = save_org_item(ctx, "community", {"name": name, "kind": kind})
        for code, name, kind, location, (owner_type, owner) in BOARDS:
            self.clock.tick(rng)
            values: dict[str, object] = {
                "code": code, "name": name, "kind": kind.value, "location": location,
            }
            if owner_type == "unit":
                values["unit_id"] = self.units[owner]
            else:
                values["community_id"] = self.communities[owner]
            self.boards[code] = save_org_item(ctx, "board", values)
        for login, name, role, unit in ACCOUNTS[1:]:
            self.clock.tick(rng)
            self.users[login] = create_user(
                ctx, login, name, role, self.password, self.units[unit] if unit else None
            )
        self.categories = {c.name: c.id for c in org_store.list_categories(self.db, active_only=True)}
        self.channels = {c.name: c.id for c in org_store.list_channels(self.db, active_only=True)}

    def _category(self, name: str) -> int:
        if name in self.categories:
            return self.categories[name]
        # The office renamed its 目录 before generating: spread over what there is.
        ids = sorted(self.categories.values())
        return ids[sum(map(ord, name)) % len(ids)]

    # ---- one notice ----------------------------------------------------------------------------

    def add(
        self, title: str, *, category: str, owner: str, formed_on: date | None, body: Body,
        channels: tuple[str, ...] = ("门户网站",), creator: str = CLERK, approver: str = DEPUTY,
        publisher: str = CLERK, period: tuple[int, str] | None = None, boards: tuple[str, ...] = (),
        takedown: str | None = None, hold: int | None = None, doc: str = "",
        disclosure: Disclosure = Disclosure.PROACTIVE, ground: str = "", stall: str | None = None,
        fast: bool = False, expire_on: date | None = None,
    ) -> _Plan | None:
        """Plan one notice's life. ``stall`` stops it at "draft", "pending" or "approved";
        ``takedown`` is "notice" (撤下 the notice) or "boards" (only clear the boards)."""
        if formed_on is None or (title, formed_on.year) in self.used_titles:
            return None
        self.used_titles.add((title, formed_on.year))
        cal, rng = self.cal, self.rng
        if fast:
            create_day = submit_day = approve_day = publish_day = formed_on
        else:
            create_day = formed_on if rng.random() < 0.65 else cal.add_workdays(
                formed_on, rng.randint(1, 2))
            submit_day = create_day if rng.random() < 0.8 else cal.add_workdays(
                create_day, rng.randint(1, 3))
            approve_day = cal.add_workdays(submit_day, rng.choice((0, 1, 1, 1, 2, 2, 3)))
            publish_day = approve_day if rng.random() < 0.4 else cal.add_workdays(
                approve_day, rng.randint(1, 2))
        per = None
        if period is not None:
            n, unit = period
            per = PostingPeriod(publish_day, cal.period_end(publish_day, n, unit), PeriodUnit(unit))
        text = body(per, publish_day) if callable(body) else body
        owner_unit = self.units.get(owner)
        data = NoticeInput(
            title=title, body=text, category_id=self._category(category),
            disclosure=disclosure, withhold_ground=ground,
            unit_id=owner_unit, community_id=None if owner_unit else self.communities[owner],
            formed_on=formed_on,
            channel_ids=tuple(self.channels[c] for c in channels if c in self.channels),
            period=per, note="（此件公开发布）" if doc else "",
        )
        if disclosure is Disclosure.PROACTIVE and not data.channel_ids:
            data = replace(data, channel_ids=(min(self.channels.values()),))
        steps: list[_Step] = []
        t = self._time(create_day)
        steps.append(_Step(t, creator, "create"))
        plan = _Plan(data, steps, doc)
        self.plans.append(plan)
        if stall == "draft":
            return plan
        t = self._later(t, submit_day)
        steps.append(_Step(t, creator, "submit"))
        if stall == "pending":
            return plan
        if stall in ("at_secrecy", "returned"):
            # under way: 科室 has approved (at_secrecy), or 分管领导 sent it back to the drafter
            t = self._later(t, approve_day)
            steps.append(_Step(t, approver, "review", {"stall": stall}))
            return plan
        t = self._later(t, approve_day)
        steps.append(_Step(t, approver, "approve"))
        if stall == "approved" or disclosure is not Disclosure.PROACTIVE:
            return plan
        planned = per.end if per else (publish_day + timedelta(days=hold) if hold else None)
        if boards:
            for code in boards:
                t = self._later(t, publish_day)
                steps.append(_Step(t, publisher, "post", {
                    "board": code, "on": publish_day, "planned": planned,
                    "photo": rng.random() < 0.7,
                }))
        else:
            t = self._later(t, publish_day)
            steps.append(_Step(t, publisher, "publish", {"on": publish_day}))
        if boards and takedown and planned is not None:
            down = cal.add_workdays(planned, rng.choice((1, 1, 1, 1, 2, 3)))
            if takedown == "notice":
                t = self._later(t, down)
                steps.append(_Step(t, CLERK, "take_down_notice", {"on": down}))
            else:
                for code in boards:
                    t = self._later(t, down)
                    steps.append(_Step(t, CLERK, "take_down", {"board": code, "on": down}))
        if expire_on is not None:
            self.expire(plan, expire_on)
        return plan

    def expire(self, plan: _Plan | None, on: date) -> None:
        if plan is None:
            return
        last = plan.steps[-1].at
        t = self._later(last, max(self.cal.add_workdays(on, 0), last.astimezone().date()))
        plan.steps.append(_Step(t, CLERK, "expire"))

    # ---- the year's work -----------------------------------------------------------------------

    def plan_year(self) -> None:
        for y, m in self._months():
            self.monthly(y, m)
            if m in (1, 4, 7, 10):
                self.quarterly(y, m)
            getattr(self, f"month_{m}")(y)
        self.recent_and_overdue()

    # -- monthly

    def monthly(self, y: int, m: int) -> None:
        rng = self.rng
        self.dibao(self._day_in(y, m, 3, 10))
        if m % 2 == 0:
            self.temporary_relief(self._day_in(y, m, 15, 24))
        villages = rng.sample((*NEIGHBOURHOODS, *VILLAGES), 3)
        for v in villages:
            self.village_finance(v, self._day_in(y, m, 1, 8))
        for _ in range(rng.choice((1, 2, 2, 3))):
            self.news(self._day_in(y, m, 1, 28))
        self.jobs(self._day_in(y, m, 1, 12))
        if m % 2 == 1:
            self.homestead(self._day_in(y, m, 12, 22))
        if m in (3, 5, 8, 10, 11):
            self.tender(self._day_in(y, m, 10, 25))
        if m in (2, 5, 8, 11):
            self.withheld(y, m)

    def dibao(self, d: date | None) -> None:
        if d is None:
            return
        rows = []
        for i in range(1, self.rng.randint(4, 7) + 1):
            place = self.rng.choice((*NEIGHBOURHOODS, *VILLAGES))
            urban = place in NEIGHBOURHOODS
            persons = self.rng.randint(1, 4)
            amount = persons * self.rng.randrange(380 if urban else 320, 760 if urban else 660, 10)
            rows.append(f"{i}|{self._masked()}|{place}|{persons}|{'城市低保' if urban else '农村低保'}|{amount}")

        def body(per: PostingPeriod | None, pub: date) -> str:
            assert per is not None
            return _sign([
                "根据《社会救助暂行办法》和《最低生活保障审核确认办法》（民发〔2021〕57号）有关规定，"
                "经本人申请、村（居）民委员会入户调查、民主评议，镇人民政府审核，拟将以下"
                f"{len(rows)}户家庭纳入城乡最低生活保障范围，现予以公示。",
                "序号|户主姓名|村（社区）|保障人数|保障类别|月保障金额（元）",
                *rows,
                f"公示时间：{per.describe(self.cal)}。",
                _objection("民政办"),
                f"监督电话：{PHONE}",
            ], f"{T}民政办", pub)

        boards = ("GB-01", *self.rng.sample(sorted(COMMUNITY_BOARD.values()), 2))
        self.add(
            f"{T}{d.year}年{d.month}月份拟新增城乡最低生活保障对象公示", category="社会救助",
            owner="民政办", formed_on=d, body=body, channels=("公开栏", "门户网站"),
            creator=CLERK_MZ, publisher=self.rng.choice((CLERK, CLERK_MZ)), period=(7, "天"),
            boards=boards, takedown="boards",
        )

    def temporary_relief(self, d: date | None) -> None:
        if d is None:
            return
        kinds = ("急难型", "支出型")
        reasons = ("火灾致房屋受损", "交通事故致家庭生活困难", "家庭主要劳动力意外伤亡",
                   "子女就学支出较大", "自然灾害致生产生活困难", "突发事件致基本生活困难")
        rows = [
            f"{i}|{self._masked()}|{self.rng.choice((*NEIGHBOURHOODS, *VILLAGES))}|"
            f"{self.rng.choice(kinds)}|{self.rng.choice(reasons)}|{self.rng.randrange(800, 5001, 100)}"
            for i in range(1, self.rng.randint(3, 6) + 1)
        ]

        def body(per: PostingPeriod | None, pub: date) -> str:
            assert per is not None
            return _sign([
                "根据《社会救助暂行办法》和县民政局关于进一步加强和改进临时救助工作的有关要求，"
                "经本人申请、村（居）民委员会调查核实、镇人民政府审核，拟对以下对象给予临时救助，"
                "现将有关情况予以公示。",
                "序号|姓名|村（社区）|救助类型|主要困难情形|救助金额（元）",
                *rows,
                f"公示时间：{per.describe(self.cal)}。",
                _objection("民政办"),
                f"监督电话：{PHONE}",
            ], f"{T}民政办", pub)

        self.add(
            f"{T}{d.year}年{d.month}月份临时救助对象公示", category="社会救助", owner="民政办",
            formed_on=d, body=body, channels=("公开栏",), creator=CLERK_MZ, period=(5, "工作日"),
            boards=("GB-01",), takedown="notice",
        )

    def village_finance(self, village: str, d: date | None) -> None:
        if d is None:
            return
        rng = self.rng
        month = 12 if d.month == 1 else d.month - 1
        year = d.year - 1 if d.month == 1 else d.year
        opening = rng.randrange(20000, 180000, 100) + rng.randint(0, 99) / 100
        incomes = [
            ("集体资产资源发包收入", rng.choice((0, 0, rng.randrange(5000, 60000, 100)))),
            ("上级补助收入", rng.randrange(3000, 30000, 100)),
            ("其他收入", rng.randrange(0, 3000, 50)),
        ]
        spending = [
            ("村干部报酬", rng.randrange(6000, 12000, 100)),
            ("办公及水电费", rng.randrange(300, 2500, 10)),
            ("公益事业支出", rng.randrange(0, 20000, 100)),
            ("其他支出", rng.randrange(0, 2000, 10)),
        ]
        inc, out = sum(a for _, a in incomes), sum(a for _, a in spending)
        closing = opening + inc - out
        lines = [f"上月结余|{_money(opening)}", f"本月收入合计|{_money(inc)}"]
        lines += [f"其中：{n}|{_money(a)}" for n, a in incomes]
        lines += [f"本月支出合计|{_money(out)}"]
        lines += [f"其中：{n}|{_money(a)}" for n, a in spending]
        lines += [f"本月结余|{_money(closing)}"]
        kind = "居" if village in NEIGHBOURHOODS else "村"
        signer = f"{village}{'居民' if kind == '居' else '村民'}委员会"

        def body(per: PostingPeriod | None, pub: date) -> str:
            return _sign([
                f"根据{kind}务公开有关规定，经{village}{kind}务监督委员会审核，"
                f"现将{year}年{month}月份{'集体' if kind == '居' else '村级'}财务收支情况公开如下：",
                "项目|金额（元）",
                *lines,
                f"一、本月公益事业支出主要用于{rng.choice(('道路维修', '路灯维护', '环境卫生整治', '排水沟清淤', '文化广场维修'))}。",
                "二、以上收支均有合法票据，经民主理财小组审核。",
                f"如有疑问，请向{village}{kind}务监督委员会或镇经管站反映。",
            ], signer, pub)

        channels = ("公开栏", "会议") if rng.random() < 0.4 else ("公开栏",)
        self.add(
            f"{village}{year}年{month}月份{'集体' if kind == '居' else '村级'}财务收支情况公开",
            category="财政资金", owner=village, formed_on=d, body=body, channels=channels,
            approver=HEAD, period=(30, "天"), boards=(COMMUNITY_BOARD[village],),
            takedown="notice",
        )

    _NEWS: tuple[tuple[frozenset[int], str, str], ...] = (
        (frozenset(range(1, 13)), "{T}召开政务公开工作推进会",
         "会议通报了近期各站所、各社区（村）政务公开工作开展情况，对公开栏更新不及时、公示期满未及时撤栏等问题提出整改要求"),
        (frozenset(range(1, 13)), "{T}开展安全生产隐患大排查大整治行动",
         "镇安监、城建、综治等部门组成联合检查组，深入辖区企业、加油站、沿街门店开展拉网式排查"),
        (frozenset({3}), "{T}组织开展“学雷锋”志愿服务活动",
         "镇机关干部和各社区（村）志愿者走上街头，开展环境清理、政策宣传、义务理发等志愿服务"),
        (frozenset(range(1, 13)), "{T}举办村（社区）政务公开业务培训班",
         "培训围绕公开内容、公开时限、公示期管理和个人信息保护进行讲解，各社区（村）政务公开专职人员参加培训"),
        (frozenset(range(3, 12)), "{T}扎实推进农村人居环境整治",
         "各村集中清理房前屋后柴草堆、建筑垃圾和沟渠杂物，镇里实行每周督查、每月通报"),
        (frozenset({5, 6}), "{T}召开防汛工作部署会议",
         "会议对河道清障、危旧房屋排查、人员转移避险和物资储备等工作作出具体安排"),
        (frozenset({6, 7}), "{T}开展“七一”主题党日活动",
         "全镇各基层党组织通过重温入党誓词、讲专题党课、走访慰问老党员等形式开展主题党日活动"),
        (frozenset({6}), "{T}全力做好“三夏”生产工作",
         "镇里组织农机手和技术人员深入田间地头，协调跨区作业机械，确保夏粮颗粒归仓"),
        (frozenset({9, 10}), "{T}开展秋季秸秆禁烧巡查",
         "镇机关干部包村、村干部包片，实行网格化巡查，同时推广秸秆还田和综合利用"),
        (frozenset({1, 4, 7, 10}), "{T}召开季度经济运行分析会",
         "会议分析了本季度主要经济指标完成情况，查摆了项目建设和招商引资中存在的问题"),
        (frozenset({10}), "{T}开展重阳节走访慰问高龄老人活动",
         "镇领导班子成员分组走访辖区高龄、独居老人，送去慰问品和节日祝福"),
        (frozenset({12, 1}), "{T}开展冬季送温暖活动",
         "镇民政办联合各社区（村）对困难群众、特困供养人员开展走访慰问，发放棉被、米面油等物资"),
        (frozenset({1, 2}), "{T}召开村（社区）“两委”干部述职评议会",
         "各村（社区）党组织书记逐一述职，镇党委班子成员现场点评，党员群众代表进行测评"),
        (frozenset({3, 4}), "{T}开展春季植树造林活动",
         "镇机关干部和群众在北坡村荒山集中植树，栽植侧柏、刺槐等苗木"),
        (frozenset(range(1, 13)), "{T}开展“民法典进乡村”普法宣传活动",
         "普法志愿者通过发放明白纸、现场解答咨询、以案释法等方式向群众宣传民法典"),
        (frozenset(range(1, 13)), "{T}组织开展消防安全应急演练",
         "演练模拟镇便民服务中心发生火情，检验了初期火灾扑救和人员疏散能力"),
        (frozenset({5, 6, 9}), "{T}召开食品安全工作会议",
         "会议部署了校园周边、农村集体聚餐等重点领域食品安全检查工作"),
        (frozenset({11, 12}), "{T}部署冬季清洁取暖安全工作",
         "各村（社区）对使用燃气、燃煤取暖的农户逐户排查，普及一氧化碳中毒防范知识"),
        (frozenset({8, 9}), "{T}开展义务教育阶段入学政策宣传",
         "镇社会事务办联合辖区学校向适龄儿童家长解读入学条件、报名时间和资助政策"),
        (frozenset({2, 3}), "{T}召开农业农村工作会议",
         "会议总结了上年度农业农村工作，对春耕备耕、高标准农田建设和农村改革作出部署"),
    )

    def news(self, d: date | None) -> None:
        if d is None:
            return
        rng = self.rng
        choices = [n for n in self._NEWS if d.month in n[0]
                   and (n[1].format(T=T), d.year) not in self.used_titles]
        if not choices:
            return
        _, title, detail = rng.choice(choices)
        title = title.format(T=T)
        leader = rng.choice(("镇党委副书记、镇长", "镇党委委员、副镇长", "镇党委副书记"))
        text = "\n".join([
            f"{cn_date(d)}，{title}。{detail}。",
            f"{leader}出席并讲话，要求各部门、各社区（村）提高思想认识，压实工作责任，"
            "确保各项工作任务落到实处。",
            "下一步，我镇将持续跟踪督导，及时通报工作进展，切实以工作实效回应群众关切。",
        ])
        channels = ("门户网站", "微信公众号")
        if rng.random() < 0.25 or "经济运行" in title:
            channels += ("电视报纸",)
        self.add(
            title, category="新闻发布", owner="党政办", formed_on=d, body=text,
            channels=channels, creator=rng.choice((CLERK, CLERK, ADMIN)), approver=HEAD,
            publisher=rng.choice((CLERK, ADMIN)),
        )

    def jobs(self, d: date | None) -> None:
        if d is None:
            return
        rng = self.rng
        employers = ("青山县云溪食品有限公司", "青山县溪源农业发展有限公司", "云溪镇中心敬老院",
                     "青山县鑫诚服装厂", "青山县绿野果蔬专业合作社", "青山县恒信物流有限公司")
        posts = ("普工", "分拣员", "护理员", "缝纫工", "果园管理员", "仓库管理员", "保洁员", "叉车司机")
        lines = [
            f"{e}|{rng.choice(posts)}|{rng.randint(2, 30)}|{rng.randrange(2800, 5600, 100)}"
            for e in rng.sample(employers, rng.randint(3, 5))
        ]
        self.add(
            f"{T}{d.year}年{d.month}月就业岗位信息发布", category="重点领域", owner="劳动站",
            formed_on=d,
            body=_sign([
                "为帮助辖区劳动者就近就业，现将本月收集的企业用工信息发布如下：",
                "用工单位|岗位|招用人数|月薪（元）", *lines,
                "有就业意愿的劳动者可到镇劳动站登记，劳动站免费提供职业介绍服务。",
                f"咨询电话：{PHONE}",
            ], f"{T}劳动站", d),
            channels=("门户网站", "电子屏", "微信公众号"), boards=("GB-02",), hold=20,
            takedown="boards",
        )

    def village_affairs(self, village: str, d: date | None, qy: int, qn: str) -> None:
        if d is None:
            return
        rng = self.rng
        kind = "居" if village in NEIGHBOURHOODS else "村"
        items = rng.sample((
            "召开党员大会1次，学习党的创新理论，评议党员",
            f"经{kind}民代表会议表决，通过了{rng.choice(('生产路维修', '排水沟清淤', '路灯更换', '健身器材安装'))}项目实施方案",
            "完成城乡居民基本医疗保险参保动员",
            "开展人居环境整治集中行动，清理垃圾杂物",
            "为困难群众代办低保、临时救助申请",
            "组织开展防溺水、防诈骗宣传",
            "落实网格化管理，排查化解矛盾纠纷",
        ), 4)
        self.add(
            f"{village}{qy}年第{qn}季度{kind}务公开", category="重点领域" if kind == "居" else "农业农村",
            owner=village, formed_on=d,
            body=lambda per, pub: _sign([
                f"现将本{'社区' if kind == '居' else '村'}{qy}年第{qn}季度{kind}务工作情况公开如下：",
                *[f"{i}.{text}。" for i, text in enumerate(items, 1)],
                f"对公开内容有疑问的，请向本{'社区' if kind == '居' else '村'}{kind}务监督委员会反映。",
            ], f"{village}{'居民' if kind == '居' else '村民'}委员会", pub),
            channels=("公开栏", "会议"), approver=HEAD, period=(30, "天"),
            boards=(COMMUNITY_BOARD[village],), takedown="notice",
        )

    def homestead(self, d: date | None) -> None:
        if d is None:
            return
        batch = (d.month + 1) // 2
        rows = [
            f"{i}|{self._masked()}|{self.rng.choice(VILLAGES)}|{self.rng.choice(('新建', '原址翻建', '原址翻建'))}|"
            f"{self.rng.randrange(120, 201, 5)}"
            for i in range(1, self.rng.randint(3, 6) + 1)
        ]

        def body(per: PostingPeriod | None, pub: date) -> str:
            assert per is not None
            return _sign([
                "根据《中华人民共和国土地管理法》和农村宅基地审批管理有关规定，经村民申请、"
                "村级审查、镇级联审，以下农村村民宅基地申请已经镇人民政府审批同意，现将审批结果予以公示。",
                "序号|申请人|村别|建房类型|批准用地面积（平方米）",
                *rows,
                f"公示时间：{per.describe(self.cal)}。",
                _objection("农业农村办"),
            ], FULL, pub)

        villages = tuple(COMMUNITY_BOARD[v] for v in self.rng.sample(VILLAGES, 2))
        self.add(
            f"{T}{d.year}年第{_CN_NUM[batch - 1]}批农村村民宅基地审批结果公示",
            category="行政权力运行", owner="农业农村办", formed_on=d, body=body,
            channels=("公开栏", "门户网站"), period=(7, "工作日"), boards=("GB-01", *villages),
            takedown="boards",
        )

    def tender(self, d: date | None) -> None:
        if d is None:
            return
        rng = self.rng
        place, project = rng.choice(_PROJECTS)
        company = rng.choice(_COMPANIES)
        price = rng.randrange(180000, 2600000, 100)
        title = f"{project}中标结果公示"

        def body(per: PostingPeriod | None, pub: date) -> str:
            assert per is not None
            return _sign([
                f"{project}已按规定程序完成招标，经评标委员会评审、招标人确认，现将中标结果公示如下：",
                "一、项目概况",
                f"项目名称：{project}。建设地点：{T}{place}。资金来源：{rng.choice(('财政衔接推进乡村振兴补助资金', '镇级财政资金', '上级专项资金和村集体自筹'))}。",
                "二、中标信息",
                f"中标单位：{company}。中标价：{_money(price)}元。工期：{rng.choice((60, 90, 120, 150))}日历天。",
                "三、公示期",
                f"公示时间：{per.describe(self.cal)}。投标人或其他利害关系人对中标结果有异议的，"
                "应当在公示期内以书面形式向招标人提出。",
                f"招标人：{FULL}　监督电话：{PHONE}",
            ], FULL, pub)

        self.add(
            title, category="重点领域", owner="城建办", formed_on=d, body=body,
            channels=("公开栏", "门户网站"), period=(3, "工作日"), boards=("GB-01",),
            takedown="boards",
        )

    # -- quarterly (in the month after the quarter)

    def quarterly(self, y: int, m: int) -> None:
        qy, q = _quarter(date(y, m, 1))
        qn = _QUARTERS[q - 1]
        rng = self.rng
        d0 = self._day_in(y, m, 5, 12)
        # 特困人员救助供养金
        rows = [
            f"{i}|{self._masked()}|{rng.choice(VILLAGES)}|{rng.choice(('分散供养', '分散供养', '集中供养'))}|"
            f"{rng.choice((3 * 1020, 3 * 1080, 3 * 1150))}"
            for i in range(1, rng.randint(5, 8) + 1)
        ]

        def tekun(per: PostingPeriod | None, pub: date) -> str:
            assert per is not None
            return _sign([
                f"根据《特困人员认定办法》有关规定，现将我镇{qy}年第{qn}季度特困人员基本生活费发放情况公示如下：",
                "序号|姓名|村别|供养方式|本季度发放金额（元）", *rows,
                f"公示时间：{per.describe(self.cal)}。",
                _objection("民政办"),
            ], f"{T}民政办", pub)

        self.add(
            f"{T}{qy}年第{qn}季度特困人员救助供养金发放情况公示", category="社会救助",
            owner="民政办", formed_on=d0, body=tekun, channels=("公开栏", "门户网站"),
            creator=CLERK_MZ, period=(7, "天"), boards=("GB-01",), takedown="boards",
        )
        # 高龄津贴 (aggregated by village: no names)
        d1 = self._day_in(y, m, 8, 16)
        if d1 is not None:
            table = []
            total = 0
            for place in (*NEIGHBOURHOODS, *VILLAGES):
                a, b, c = rng.randint(20, 90), rng.randint(2, 15), rng.choice((0, 0, 0, 1))
                amount = 3 * (a * 100 + b * 200 + c * 500)
                total += amount
                table.append(f"{place}|{a}|{b}|{c}|{amount}")
            self.add(
                f"{T}{qy}年第{qn}季度高龄津贴发放情况公示", category="社会救助",
                owner="社会事务办", formed_on=d1,
                body=lambda per, pub, table=table, total=total: _sign([
                    "根据县高龄津贴发放有关规定，80—89周岁老年人每人每月100元，90—99周岁每人每月200元，"
                    f"100周岁以上每人每月500元。现将{qy}年第{qn}季度高龄津贴发放情况公示如下：",
                    "村（社区）|80—89周岁（人）|90—99周岁（人）|100周岁以上（人）|发放金额（元）",
                    *table,
                    f"本季度共发放高龄津贴{_money(total)}元。",
                    f"公示时间：{per.describe(self.cal)}。" if per else "",
                    _objection("社会事务办"),
                ], f"{T}社会事务办", pub),
                channels=("公开栏", "门户网站"), creator=CLERK_MZ, period=(7, "天"),
                boards=("GB-01", "SQ-01"), takedown="boards",
            )
        # 优抚对象抚恤补助金 (aggregated)
        d2 = self._day_in(y, m, 10, 20)
        if d2 is not None:
            kinds = (("伤残军人", 2), ("在乡复员军人", 6), ("带病回乡退伍军人", 4),
                     ("参战退役人员", 9), ("烈士遗属", 1))
            lines = []
            for name, base in kinds:
                n = max(1, base + rng.randint(-1, 3))
                lines.append(f"{name}|{n}|{_money(n * rng.randrange(2400, 6000, 50))}")
            self.add(
                f"{T}{qy}年第{qn}季度优抚对象抚恤补助金发放情况公示", category="社会救助",
                owner="退役军人服务站", formed_on=d2,
                body=lambda per, pub, lines=lines: _sign([
                    f"根据《军人抚恤优待条例》有关规定，{qy}年第{qn}季度我镇优抚对象抚恤补助金已足额发放，"
                    "现将发放情况公示如下：",
                    "优抚对象类别|人数|发放金额（元）", *lines,
                    f"公示时间：{per.describe(self.cal)}。" if per else "",
                    _objection("退役军人服务站"),
                ], f"{T}退役军人服务站", pub),
                channels=("公开栏", "门户网站"), creator=CLERK_MZ, period=(5, "工作日"),
                boards=("GB-01",), takedown="notice",
            )
        for v in rng.sample((*NEIGHBOURHOODS, *VILLAGES), 3):
            self.village_affairs(v, self._day_in(y, m, 3, 15), qy, qn)
        # 政务公开季度考核通报
        d3 = self._day_in(y, m, 12, 22)
        if d3 is not None:
            scores = []
            for place in (*NEIGHBOURHOODS, *VILLAGES):
                s = rng.randint(78, 99) + rng.choice((0, 0.5))
                grade = "优秀" if s >= 95 else "良好" if s >= 85 else "合格" if s >= 75 else "不合格"
                scores.append((s, place, grade))
            scores.sort(reverse=True)
            worst = scores[-1][1]
            text = "\n".join([
                "各社区（村），镇直各部门：",
                f"按照《{T}政务公开考核细则》，镇政务公开领导小组办公室采取月抽查、季考核的方式，"
                f"对各社区（村）{qy}年第{qn}季度政务公开工作进行了考核。现将考核情况通报如下：",
                "一、考核结果",
                "社区（村）|得分|等次",
                *[f"{p}|{s:g}|{g}" for s, p, g in scores],
                "二、存在的问题",
                "（一）部分公开栏内容更新不及时，公示期满的信息未及时撤栏。",
                f"（二）个别社区（村）财务公开明细不够完整，{worst}未附原始凭证说明。",
                "（三）公开栏张贴照片留存不全，台账登记不规范。",
                "三、下步要求",
                "1.各社区（村）要对照问题清单逐项整改，整改情况于下月10日前报镇党政办。",
                "2.严格落实公示期管理，公示期满后及时撤栏并登记撤下日期。",
                "3.涉及个人信息的公示内容，须经保密审查并做去标识化处理。",
                "考核结果纳入年终综合考核，所占分值为5分。",
            ])
            self.add(
                f"关于{qy}年第{qn}季度各社区（村）政务公开工作考核情况的通报",
                category="政务公开管理", owner="党政办", formed_on=d3,
                body=_sign(text.split("\n"), FULL, d3), channels=("门户网站", "会议"),
                approver=PRINCIPAL, doc="政办发",
            )
        # 行政处罚 results (aggregated, no names)
        d4 = self._day_in(y, m, 14, 24)
        if d4 is not None:
            cases = [("违法占用耕地", rng.randint(0, 4)), ("违规露天焚烧", rng.randint(0, 6)),
                     ("违法搭建", rng.randint(0, 5)), ("占道经营", rng.randint(1, 9))]
            self.add(
                f"{T}{qy}年第{qn}季度行政执法信息公开", category="行政权力运行", owner="综治办",
                formed_on=d4,
                body=_sign([
                    "根据行政执法公示制度有关规定，现将我镇本季度行政执法情况公开如下：",
                    "案件类型|办结数量（件）", *[f"{n}|{c}" for n, c in cases],
                    "一、所有案件均按照法定程序办理，当事人依法享有陈述、申辩和听证的权利。",
                    "二、行政处罚决定书已按规定在作出决定之日起7个工作日内公示。",
                    f"如对执法行为有异议，可向{T}综治办反映，监督电话：{PHONE}。",
                ], FULL, d4),
                channels=("门户网站",), publisher=CLERK,
            )

    # -- one-offs by month

    def month_1(self, y: int) -> None:
        d = self._day_in(y, 1, 10, 20)
        self.add(
            f"{FULL}{y - 1}年政府信息公开工作年度报告", category="政务公开管理", owner="党政办",
            formed_on=d, body=(lambda per, pub: self._annual_report(y - 1, pub)),
            channels=("门户网站", "公开栏"), approver=PRINCIPAL, boards=("GB-01",), hold=30,
            takedown="boards",
        )
        d = self._day_in(y, 1, 3, 12)
        self.add(
            f"{T}关于{y}年元旦春节期间禁止燃放烟花爆竹的通告", category="应急管理",
            owner="综治办", formed_on=d,
            body=self._notice_body([
                "为预防火灾事故，保障人民群众生命财产安全，根据有关法律法规规定，现就元旦春节期间"
                "烟花爆竹禁放有关事项通告如下：",
                "一、本镇镇区及各社区居民居住区内全年禁止燃放烟花爆竹。",
                "二、任何单位和个人不得非法生产、储存、运输、销售烟花爆竹。",
                "三、对违反本通告的，由公安机关依法处理。",
            ], d),
            channels=("广播", "电子屏", "微信公众号"), boards=("GB-02",), hold=40,
            takedown="boards", expire_on=self.cal.add_workdays(date(y, 2, 20), 0),
        )
        d = self._day_in(y, 1, 6, 16)
        self.add(
            f"{T}便民服务中心收费项目及标准公示", category="行政权力运行", owner="党政办",
            formed_on=d,
            body=_sign([
                "为规范收费行为，接受群众监督，现将镇便民服务中心代收代办事项收费标准公示如下：",
                "事项|收费标准|收费依据",
                "户籍证明、居住证明|不收费|—",
                "城乡居民基本医疗保险|按县医保局当年公布标准代收|县医保局年度通知",
                "城乡居民基本养老保险|按参保人自选缴费档次代收|县人社局年度通知",
                "农村生活用水|按县物价部门核定标准|县发改局价格文件",
                f"以上项目以外，一律不得收费。举报电话：{PHONE}",
            ], FULL, d),
            channels=("公开栏",), boards=("GB-03",),
        )

    def month_2(self, y: int) -> None:
        d = self._day_in(y, 2, 10, 24)
        self.add(
            f"{T}{y}年财政预算公开", category="财政资金", owner="财政所", formed_on=d,
            body=self._budget(y, d), channels=("门户网站", "公开栏"), approver=PRINCIPAL,
            boards=("GB-01",), hold=30, takedown="boards",
        )
        d = self._day_in(y, 2, 10, 24)
        self.add(
            f"{T}{y}年“三公”经费预算情况说明", category="财政资金", owner="财政所", formed_on=d,
            body=self._three_public(y, d, "预算"), channels=("门户网站",), approver=PRINCIPAL,
        )
        d = self._day_in(y, 2, 12, 26)
        self.add(
            f"{T}{y}年政府工作报告", category="规划计划", owner="党政办", formed_on=d,
            body=self._notice_body([
                f"{y - 1}年工作回顾",
                "一、经济运行稳中有进。全镇完成一般公共预算收入同比增长，重点项目建设有序推进。",
                "二、乡村振兴扎实推进。高标准农田建设、农村人居环境整治取得新成效。",
                "三、民生保障持续改善。城乡低保、特困供养、高龄津贴等各项民生资金足额发放。",
                f"{y}年主要任务",
                "一、聚焦产业发展，壮大村级集体经济。",
                "二、聚焦民生实事，办好群众身边的小事。",
                "三、聚焦政务公开，提升政府公信力。",
            ], d),
            channels=("门户网站", "会议", "电视报纸"), approver=PRINCIPAL, doc="政发",
        )
        d = self._day_in(y, 2, 16, 27)
        self.add(
            f"{FULL}政府信息公开指南（{y}年修订）", category="政务公开管理", owner="党政办",
            formed_on=d,
            body=_sign([
                "一、主动公开",
                "（一）公开范围。本机关主动公开的政府信息范围详见《政府信息公开目录》。",
                "（二）公开方式。通过政府门户网站、政务公开栏、微信公众号、电子屏等方式公开。",
                "（三）公开时限。属于主动公开范围的政府信息，自该信息形成或者变更之日起20个工作日内予以公开。",
                "二、依申请公开",
                "（一）受理机构：镇党政办。",
                f"（二）办公地址：{TOWNSHIP.address}。",
                f"（三）联系电话：{PHONE}。",
                "（四）申请方式。申请人可以通过当面提交、邮寄等方式提出申请。",
                "三、监督和救济",
                "公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关"
                "或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。",
            ], FULL, d),
            channels=("门户网站", "公开栏"), boards=("GB-01",),
        )

    def month_3(self, y: int) -> None:
        d = self._day_in(y, 3, 3, 14)
        self.add(
            f"{FULL}关于印发《{T}{y}年政务公开工作要点》的通知", category="政务公开管理",
            owner="党政办", formed_on=d,
            body=self._notice_body([
                "各社区（村），镇直各部门：",
                f"现将《{T}{y}年政务公开工作要点》印发给你们，请认真贯彻落实。",
                "一、围绕重点领域深化公开",
                "（一）做好财政预决算、“三公”经费、涉农补贴等财政资金信息公开。",
                "（二）做好低保、特困供养、临时救助等社会救助信息公开，严格落实去标识化要求。",
                "二、规范公开栏管理",
                "1.各社区（村）公开栏内容每月至少更新一次。",
                "2.公示期满后3个工作日内撤栏，张贴、撤下情况如实登记台账。",
                "三、强化监督考核",
                "镇政务公开领导小组采取月抽查、季考核的方式进行督导，考核结果纳入年终综合考核。",
            ], d),
            channels=("门户网站", "会议"), approver=PRINCIPAL, doc="政办发",
        )
        d = self._day_in(y, 3, 10, 25)
        self.add(
            f"{FULL}关于调整领导班子成员工作分工的通知", category="机构职能", owner="党政办",
            formed_on=d,
            body=self._notice_body([
                "各社区（村），镇直各部门：",
                "因工作需要，经镇党委研究，现将镇政府领导班子成员工作分工调整如下：",
                "一、镇长：主持镇政府全面工作，分管财政、审计工作。",
                "二、副镇长（常务）：负责镇政府日常工作，分管党政办、政务公开、综治、信访工作。",
                "三、副镇长：分管民政、社会事务、退役军人服务、劳动保障工作。",
                "四、副镇长：分管农业农村、经管、城建、应急管理工作。",
            ], d),
            channels=("门户网站", "公开栏"), approver=PRINCIPAL, doc="政发", boards=("GB-01",),
            hold=20, takedown="boards",
        )
        d = self._day_in(y, 3, 12, 28)
        self.add(
            f"{T}{y}年为民办实事项目计划", category="规划计划", owner="党政办", formed_on=d,
            body=self._notice_body([
                f"经镇人民代表大会审议，{y}年镇政府为民办实事项目确定如下：",
                "项目|责任单位|完成时限",
                f"{_PROJECTS[0][1]}|城建办|{y}年9月底",
                f"{_PROJECTS[1][1]}|城建办|{y}年10月底",
                f"{_PROJECTS[2][1]}|城建办|{y}年11月底",
                "村级养老服务站提升|社会事务办|" f"{y}年12月底",
                "各项目实行“一个项目、一名领导、一套班子”推进机制，进展情况按季度公开。",
            ], d),
            channels=("门户网站", "公开栏", "会议"), approver=PRINCIPAL, boards=("GB-01",),
            hold=30, takedown="boards",
        )
        for v in VILLAGES[:3]:
            self._farmland_subsidy(v, self._day_in(y, 3, 15, 30))

    def month_4(self, y: int) -> None:
        d = self._day_in(y, 4, 1, 3)
        self.add(
            f"{T}关于做好清明节期间森林防火工作的紧急通知", category="应急管理", owner="综治办",
            formed_on=d,
            body=self._notice_body([
                "各社区（村），镇直各部门：",
                "清明节期间祭扫活动集中，野外用火增多，森林火险等级高。现就有关工作通知如下：",
                "一、严格落实镇干部包村、村干部包片责任，重点山头、坟地路口设卡值守。",
                "二、倡导文明祭扫，严禁在林区烧纸、燃放鞭炮。",
                "三、严格执行24小时值班和领导带班制度，发现火情立即报告。",
            ], d),
            channels=("广播", "电子屏", "微信公众号"), boards=("GB-02",), hold=10,
            takedown="boards", fast=True,
        )
        d = self._day_in(y, 4, 8, 20)
        self.add(
            f"{FULL}关于印发《{T}政府信息公开保密审查制度》的通知", category="政策法规",
            owner="党政办", formed_on=d,
            body=self._notice_body([
                "各社区（村），镇直各部门：",
                "为规范政府信息公开保密审查工作，坚持“谁公开谁审查、谁审查谁负责”“先审查后公开”原则，"
                "制定本制度。",
                "一、审查范围",
                "拟主动公开的政府信息，在公开前均须经保密审查。",
                "二、审查程序",
                "1.经办人拟稿并提出公开属性意见。",
                "2.科室（社区）负责人审核。",
                "3.保密审查员进行保密审查。",
                "4.分管领导审核，重大事项报主要领导审批。",
                "三、审查要求",
                "涉及个人信息的，应当进行去标识化处理，不得公开身份证号码、银行账号、联系电话等信息。",
            ], d),
            channels=("门户网站",), approver=PRINCIPAL, doc="政办发",
        )
        d = self._day_in(y, 4, 10, 25)
        self._jobs_announcement(y, d)

    def month_5(self, y: int) -> None:
        d = self._day_in(y, 5, 6, 15)
        self.add(
            f"{FULL}关于印发《{T}{y}年防汛应急预案》的通知", category="应急管理",
            owner="综治办", formed_on=d,
            body=self._notice_body([
                "各社区（村），镇直各部门：",
                f"现将《{T}{y}年防汛应急预案》印发给你们，请结合实际认真组织实施。",
                "一、组织指挥体系",
                "镇成立防汛抗旱指挥部，镇长任指挥，分管副镇长任副指挥。",
                "二、预警和响应",
                "（一）按照气象部门预警等级，启动相应级别应急响应。",
                "（二）接到暴雨红色预警后，各村立即组织危险区域人员转移。",
                "三、保障措施",
                "1.镇防汛物资仓库储备编织袋、救生衣、发电机等物资。",
                "2.各村组建不少于20人的防汛抢险队伍。",
            ], d),
            channels=("门户网站", "会议"), approver=PRINCIPAL, doc="政办发",
        )
        d = self._day_in(y, 5, 18, 28)
        self.add(
            f"{T}关于夏季禁止露天焚烧秸秆的通告", category="农业农村", owner="农业农村办",
            formed_on=d,
            body=self._notice_body([
                "为保护大气环境，防止火灾事故，现就夏季秸秆禁烧有关事项通告如下：",
                "一、全镇范围内禁止露天焚烧小麦秸秆、杂草、树叶等。",
                "二、鼓励秸秆机械化还田、离田综合利用。",
                "三、对违规焚烧的，依法依规予以处理。",
            ], d),
            channels=("广播", "其他", "电子屏"), boards=("GB-02",), hold=30, takedown="boards",
            expire_on=date(y, 7, 10),
        )
        for v in VILLAGES[2:5]:
            self._dilapidated_houses(v, self._day_in(y, 5, 10, 28))

    def month_6(self, y: int) -> None:
        d = self._day_in(y, 6, 1, 6)
        self.add(
            f"{T}关于做好{y}年汛期防汛值班工作的通知", category="应急管理", owner="综治办",
            formed_on=d,
            body=self._notice_body([
                "各社区（村），镇直各部门：",
                f"{y}年汛期为6月1日至9月30日。现就汛期值班工作通知如下：",
                "一、汛期实行24小时值班和领导带班制度，值班电话保持畅通。",
                "二、遇强降雨天气，镇村干部全员在岗，重点部位专人值守。",
                "三、值班期间发生险情，按规定第一时间上报，不得迟报、漏报、瞒报。",
            ], d),
            channels=("门户网站", "广播"), approver=PRINCIPAL, expire_on=date(y, 10, 9),
        )
        d = self._day_in(y, 6, 8, 24)
        new_guide = self.add(
            f"{FULL}便民服务中心办事指南（{y}年版）", category="机构职能", owner="党政办",
            formed_on=d, body=self._guide(y, d), channels=("门户网站", "公开栏"),
            boards=("GB-01",),
        )
        if new_guide is not None:
            # The new edition replaces last winter's: 已失效 the day the new one goes up.
            title = f"{FULL}便民服务中心办事指南（{y - 1}年版）"
            for old in self.plans:
                if old.data.title == title:
                    posted = next(s for s in new_guide.steps if s.action in ("post", "publish"))
                    self.expire(old, posted.day)
        d = self._day_in(y, 6, 10, 26)
        self.add(
            f"{T}关于开展城乡居民基本养老保险{y}年度集中缴费工作的通知", category="重点领域",
            owner="劳动站", formed_on=d,
            body=self._notice_body([
                "各社区（村）：",
                f"{y}年度城乡居民基本养老保险集中缴费工作即将开始，现将有关事项通知如下：",
                "一、缴费对象：年满16周岁、不在校、未参加职工基本养老保险的城乡居民。",
                "二、缴费档次：按县人社局公布的缴费档次自愿选择，多缴多得。",
                "三、缴费方式：可通过镇便民服务中心窗口或手机银行缴纳。",
            ], d),
            channels=("广播", "其他", "微信公众号"),
        )
        d = self._day_in(y, 6, 12, 28)
        self.add(
            f"{T}修订村规民约（居民公约）工作情况公开", category="政策法规", owner="党政办",
            formed_on=d,
            body=self._notice_body([
                "按照县民政局工作部署，我镇8个社区（村）已完成村规民约（居民公约）修订工作。",
                "一、修订程序：各社区（村）经征求意见、“两委”会议提议、村（居）民会议表决、镇审核备案。",
                "二、主要内容：移风易俗、环境卫生、邻里和睦、文明祭扫等方面。",
                "三、各社区（村）修订后的村规民约已在本社区（村）公开栏公布。",
            ], d),
            channels=("门户网站", "会议"),
        )

    def month_7(self, y: int) -> None:
        d = self._day_in(y, 7, 10, 22)
        self.add(
            f"{T}{y}年上半年财政收支情况", category="财政资金", owner="财政所", formed_on=d,
            body=self._notice_body([
                f"{y}年1—6月，全镇财政收支运行平稳。",
                "一、收入情况",
                f"一般公共预算收入完成{self.rng.randint(1200, 1900)}万元，完成年度预算的{self.rng.randint(48, 61)}%。",
                "二、支出情况",
                f"一般公共预算支出完成{self.rng.randint(2100, 2900)}万元，其中民生支出占比{self.rng.randint(72, 81)}%。",
                "三、下半年工作打算",
                "加强收入征管，严控一般性支出，保障基本民生和重点项目资金需求。",
            ], d),
            channels=("门户网站",), approver=PRINCIPAL,
        )
        d = self._day_in(y, 7, 1, 25)
        self.add(
            f"{T}关于防范强降雨天气的紧急通知", category="应急管理", owner="综治办",
            formed_on=d,
            body=self._notice_body([
                "各社区（村），镇直各部门：",
                "据县气象台预报，近期我镇将出现强降雨天气过程，局部伴有短时大风和冰雹。现紧急通知如下：",
                "一、立即开展河道、塘坝、危房、低洼地带隐患排查。",
                "二、提前转移危险区域群众，做到应转尽转、不漏一户、不落一人。",
                "三、严格落实值班值守，确保信息畅通。",
            ], d),
            channels=("广播", "电子屏", "微信公众号"), boards=("GB-02",), hold=5,
            takedown="boards", fast=True,
        )
        d = self._day_in(y, 7, 8, 24)
        place, project = _PROJECTS[self.rng.randrange(len(_PROJECTS))]
        self.add(
            f"{T}{project}征收土地补偿安置方案公告", category="重点领域", owner="城建办",
            formed_on=d,
            body=lambda per, pub: _sign([
                f"因{project}建设需要，拟征收{T}{place}集体土地。根据《中华人民共和国土地管理法》"
                "及其实施条例有关规定，现将征收土地补偿安置方案公告如下：",
                "一、征收范围和面积",
                f"征收{place}集体土地{self.rng.randint(8, 40)}.{self.rng.randint(0, 9)}亩，具体四至以勘测定界图为准。",
                "二、补偿标准",
                "土地补偿费和安置补助费按县人民政府公布的区片综合地价执行，地上附着物和青苗补偿按县定标准执行。",
                "三、安置方式",
                "被征地农民按规定纳入社会保障。",
                f"公告时间：{per.describe(self.cal)}。" if per else "",
                "被征地的农村集体经济组织及其成员对方案有异议的，可在公告期内向镇人民政府提出书面意见。",
            ], FULL, pub),
            channels=("公开栏", "门户网站"), approver=PRINCIPAL, period=(30, "天"),
            boards=("GB-01", COMMUNITY_BOARD[place]), takedown="boards",
        )

    def month_8(self, y: int) -> None:
        d = self._day_in(y, 8, 5, 20)
        self.add(
            f"{T}{y - 1}年财政决算公开", category="财政资金", owner="财政所", formed_on=d,
            body=self._notice_body([
                f"{y - 1}年全镇财政决算已经镇人民代表大会审议批准，现予以公开。",
                "一、一般公共预算收支决算",
                f"一般公共预算收入{self.rng.randint(2600, 3600)}万元，一般公共预算支出{self.rng.randint(4800, 6200)}万元。",
                "二、政府性基金收支决算",
                "政府性基金收入主要为上级补助收入，全部用于乡村建设项目。",
                "三、“三公”经费决算",
                "详见《“三公”经费决算情况说明》。",
            ], d),
            channels=("门户网站", "公开栏"), approver=PRINCIPAL, boards=("GB-01",), hold=30,
            takedown="boards",
        )
        d = self._day_in(y, 8, 5, 20)
        self.add(
            f"{T}{y - 1}年“三公”经费决算情况说明", category="财政资金", owner="财政所",
            formed_on=d, body=self._three_public(y - 1, d, "决算"), channels=("门户网站",),
            approver=PRINCIPAL,
        )
        d = self._day_in(y, 8, 12, 28)
        self.add(
            f"{T}{y}年度残疾人两项补贴发放情况公示", category="社会救助", owner="社会事务办",
            formed_on=d,
            body=lambda per, pub: _sign([
                "根据困难残疾人生活补贴和重度残疾人护理补贴制度有关规定，现将我镇本年度两项补贴发放情况公示如下：",
                "补贴类别|享受人数|月标准（元）",
                f"困难残疾人生活补贴|{self.rng.randint(60, 120)}|{self.rng.choice((90, 100, 120))}",
                f"重度残疾人护理补贴|{self.rng.randint(150, 260)}|{self.rng.choice((90, 100, 120))}",
                "个人明细在各社区（村）公开栏公示，不公开残疾类别、等级等个人敏感信息。",
                f"公示时间：{per.describe(self.cal)}。" if per else "",
                _objection("社会事务办"),
            ], f"{T}社会事务办", pub),
            channels=("公开栏", "门户网站"), creator=CLERK_MZ, period=(7, "天"),
            boards=("GB-01", "SQ-02"), takedown="boards",
        )

    def month_9(self, y: int) -> None:
        d = self._day_in(y, 9, 3, 15)
        self.add(
            f"{T}关于秋季禁止露天焚烧秸秆的通告", category="农业农村", owner="农业农村办",
            formed_on=d,
            body=self._notice_body([
                "秋收时节即将到来，为保护大气环境，现就秋季秸秆禁烧有关事项通告如下：",
                "一、全镇范围内禁止露天焚烧玉米秸秆、花生秧、落叶等。",
                "二、各村设立禁烧巡查员，实行24小时巡查。",
                "三、推广秸秆粉碎还田和饲料化利用。",
            ], d),
            channels=("广播", "其他", "电子屏"), boards=("GB-02",), hold=40, takedown="boards",
        )
        d = self._day_in(y, 9, 8, 25)
        self.add(
            f"{T}{y + 1}年度城乡居民基本医疗保险缴费标准公示", category="重点领域",
            owner="社会事务办", formed_on=d,
            body=_sign([
                f"根据县医疗保障局通知，{y + 1}年度城乡居民基本医疗保险个人缴费标准公示如下：",
                "参保人员类别|个人缴费标准（元/年）",
                "一般城乡居民|400",
                "特困人员、低保对象、返贫致贫人口|由医疗救助资金按规定资助",
                "缴费期间：即日起至12月31日。可到镇便民服务中心窗口或通过手机银行缴纳。",
            ], FULL, d),
            channels=("公开栏", "广播", "其他"), creator=CLERK_MZ, boards=("GB-03",), hold=110,
            takedown="boards",
        )
        d = self._day_in(y, 9, 10, 26)
        self.add(
            f"{T}行政规范性文件清理结果公开", category="政策法规", owner="党政办", formed_on=d,
            body=self._notice_body([
                "根据县政府统一部署，镇政府对截至目前制定的行政规范性文件进行了全面清理。",
                "一、继续有效的文件3件。",
                "二、宣布失效的文件2件。",
                "三、宣布废止的文件1件。",
                "清理结果目录附后，宣布失效和废止的文件自公布之日起不再作为行政管理依据。",
            ], d),
            channels=("门户网站",), approver=PRINCIPAL, doc="政发",
        )

    def month_10(self, y: int) -> None:
        d = self._day_in(y, 10, 9, 20)
        names = [self._full_name() for _ in range(3)]
        self.add(
            f"{FULL}关于{names[0]}等同志职务任免的通知", category="人事信息", owner="党政办",
            formed_on=d,
            body=self._notice_body([
                "各社区（村），镇直各部门：",
                "经镇党委研究决定：",
                f"任命{names[0]}同志为{T}民政办主任；",
                f"任命{names[1]}同志为{T}经管站站长；",
                f"免去{names[2]}同志的{T}城建办主任职务，另有任用。",
            ], d),
            channels=("门户网站",), approver=PRINCIPAL, doc="政任",
        )
        d = self._day_in(y, 10, 12, 28)
        self.add(
            f"{T}{y}年高标准农田建设项目公示", category="农业农村", owner="农业农村办",
            formed_on=d,
            body=lambda per, pub: _sign([
                f"{y}年我镇高标准农田建设项目涉及柳河村、石桥村、王家庄村，现将项目有关情况公示如下：",
                "村别|建设面积（亩）|主要建设内容",
                f"柳河村|{self.rng.randint(800, 1600)}|土地平整、机井、田间道路",
                f"石桥村|{self.rng.randint(600, 1400)}|灌溉管道、农田防护林",
                f"王家庄村|{self.rng.randint(500, 1200)}|排水沟渠、田间道路",
                f"公示时间：{per.describe(self.cal)}。" if per else "",
                _objection("农业农村办"),
            ], FULL, pub),
            channels=("公开栏", "门户网站"), period=(7, "天"),
            boards=("CW-01", "CW-02", "CW-04"), takedown="boards",
        )

    def month_11(self, y: int) -> None:
        d = self._day_in(y, 11, 3, 14)
        rows = [
            f"{i}|{self._masked()}|{self.rng.choice(VILLAGES)}|{self.rng.choice(('小麦联合收割机', '玉米收获机', '旋耕机', '植保无人机', '播种机'))}|"
            f"{self.rng.randrange(3000, 42000, 100)}"
            for i in range(1, self.rng.randint(4, 7) + 1)
        ]
        self.add(
            f"{T}{y}年农机购置与应用补贴公示", category="农业农村", owner="农业农村办",
            formed_on=d,
            body=lambda per, pub: _sign([
                "根据县农机购置与应用补贴实施方案，经审核，现将享受补贴的购机者名单公示如下：",
                "序号|购机者|村别|机具品目|补贴金额（元）",
                *rows,
                f"公示时间：{per.describe(self.cal)}。" if per else "",
                _objection("农业农村办"),
            ], f"{T}农业农村办", pub),
            channels=("公开栏", "门户网站"), period=(5, "工作日"), boards=("GB-01",),
            takedown="boards",
        )
        d = self._day_in(y, 11, 5, 18)
        self.add(
            f"{T}关于做好冬春季火灾防控工作的通告", category="应急管理", owner="综治办",
            formed_on=d,
            body=self._notice_body([
                "冬春季节天干物燥，火灾多发。为切实做好火灾防控工作，现通告如下：",
                "一、严禁在林区、草地、田间地头野外用火。",
                "二、规范使用取暖设备，不得私拉乱接电线。",
                "三、发现火情立即拨打119报警。",
            ], d),
            channels=("广播", "电子屏"), boards=("GB-02",), hold=60, takedown="boards",
        )

    def month_12(self, y: int) -> None:
        d = self._day_in(y, 12, 1, 12)
        self.add(
            f"{FULL}便民服务中心办事指南（{y}年版）", category="机构职能", owner="党政办",
            formed_on=d, body=self._guide(y, d) if d else "", channels=("门户网站", "公开栏"),
            boards=("GB-01",),
        )
        d = self._day_in(y, 12, 8, 20)
        self.add(
            f"{T}{y}年度村级财务审计结果公开", category="财政资金", owner="经管站",
            formed_on=d,
            body=self._notice_body([
                f"根据县农业农村局统一安排，镇经管站会同第三方机构对全镇8个社区（村）{y}年度财务收支进行了审计。",
                "一、审计范围：财务收支、资产资源管理、债权债务。",
                "二、审计发现的主要问题：个别村原始凭证审批手续不全、固定资产台账更新不及时。",
                "三、整改要求：相关社区（村）于次年1月底前完成整改，整改情况在本社区（村）公开栏公开。",
            ], d),
            channels=("门户网站", "会议"), approver=PRINCIPAL,
        )
        d = self._day_in(y, 12, 15, 28)
        self.add(
            f"{T}{y}年冬季清洁取暖补贴发放公示", category="重点领域", owner="城建办",
            formed_on=d,
            body=lambda per, pub: _sign([
                "根据县冬季清洁取暖补贴政策，经村级申报、镇级审核，现将补贴发放情况公示如下：",
                "村（社区）|补贴户数|补贴金额（元）",
                *[f"{v}|{self.rng.randint(30, 160)}|{_money(self.rng.randint(30, 160) * 300.0)}"
                  for v in (*NEIGHBOURHOODS, *VILLAGES)],
                f"公示时间：{per.describe(self.cal)}。" if per else "",
                _objection("城建办"),
            ], f"{T}城建办", pub),
            channels=("公开栏", "门户网站"), period=(7, "天"),
            boards=("GB-01", "SQ-03"), takedown="boards",
        )

    def withheld(self, y: int, m: int) -> None:
        """依申请公开 / 不予公开: minutes, complaint files and case files are registered with
        their reason but never published."""
        rng = self.rng
        d = self._day_in(y, m, 5, 25)
        if d is not None:
            n = (m + 1) // 3
            self.add(
                f"{T}镇长办公会议纪要（{y}年第{n}期）", category="行政权力运行",
                owner="党政办", formed_on=d,
                body=self._notice_body([
                    f"{cn_date(d)}，镇长主持召开镇长办公会议，镇政府领导班子成员、有关站所负责人参加。"
                    "会议研究了以下事项：",
                    f"一、{rng.choice(('听取了重点项目推进情况汇报', '研究了防汛物资采购事项', '研究了农村人居环境整治考核办法'))}。",
                    f"二、{rng.choice(('研究了村级组织运转经费拨付事项', '研究了便民服务中心窗口调整事项', '研究了秋冬季安全生产工作'))}。",
                ], d),
                channels=(), creator=CLERK, disclosure=Disclosure.ON_REQUEST,
                ground=WITHHOLD_GROUNDS[5],
            )
        d = self._day_in(y, m, 8, 28)
        if d is None:
            return
        if m == 2:
            self.add(
                f"{T}党政联席会议研究干部考核事项的纪要（{y}年）", category="人事信息",
                owner="党政办", formed_on=d,
                body=self._notice_body(["会议研究了镇机关干部轮岗和年度考核等次评定事项。"], d),
                channels=(), creator=CLERK, disclosure=Disclosure.WITHHELD,
                ground=WITHHOLD_GROUNDS[4],
            )
        elif m == 5:
            village = rng.choice(VILLAGES)
            self.add(
                f"关于{village}土地承包经营权纠纷信访事项的处理意见", category="行政权力运行",
                owner="综治办", formed_on=d,
                body=self._notice_body([
                    f"信访人反映{village}土地承包经营权纠纷问题，经调查核实，现提出处理意见如下：",
                    "一、依据土地承包经营权确权登记结果，维持原承包关系。",
                    "二、由村民委员会组织双方协商，妥善解决地界争议。",
                ], d),
                channels=(), creator=CLERK, disclosure=Disclosure.WITHHELD,
                ground=WITHHOLD_GROUNDS[3],
            )
        elif m == 8:
            self.add(
                f"{T}违法占用耕地案行政执法案卷（{y}年第{rng.randint(2, 6)}号）",
                category="行政权力运行", owner="综治办", formed_on=d,
                body=self._notice_body(["案卷包括立案审批表、现场检查笔录、调查询问笔录和处罚决定书。"], d),
                channels=(), creator=CLERK, disclosure=Disclosure.WITHHELD,
                ground=WITHHOLD_GROUNDS[6],
            )

    # -- special templates

    def _farmland_subsidy(self, village: str, d: date | None) -> None:
        if d is None:
            return
        rows = []
        for i in range(1, self.rng.randint(6, 9) + 1):
            area = self.rng.randint(20, 160) / 10
            rows.append(f"{i}|{self._masked()}|{area:.1f}|{_money(area * 125)}")
        self.add(
            f"{village}{d.year}年耕地地力保护补贴面积及补贴资金公示", category="农业农村",
            owner="农业农村办", formed_on=d,
            body=lambda per, pub: _sign([
                f"根据县{d.year}年耕地地力保护补贴工作方案，补贴标准为每亩125元。经农户申报、村级核实、"
                "镇级审核，现将补贴面积及资金予以公示（以下为部分农户，完整名单在村务公开栏公示）：",
                "序号|农户姓名|补贴面积（亩）|补贴金额（元）",
                *rows,
                f"公示时间：{per.describe(self.cal)}。" if per else "",
                _objection("农业农村办"),
            ], f"{village}村民委员会", pub),
            channels=("公开栏",), approver=HEAD, period=(7, "天"),
            boards=(COMMUNITY_BOARD[village],), takedown="notice",
        )

    def _dilapidated_houses(self, village: str, d: date | None) -> None:
        if d is None:
            return
        rows = [
            f"{i}|{self._masked()}|{self.rng.choice(('低保户', '分散供养特困人员', '低保边缘家庭'))}|"
            f"{self.rng.choice(('C级', 'D级'))}|{self.rng.choice(('加固改造', '拆除重建'))}"
            for i in range(1, self.rng.randint(2, 4) + 1)
        ]
        self.add(
            f"{village}{d.year}年农村危房改造对象公示", category="重点领域", owner="城建办",
            formed_on=d,
            body=lambda per, pub: _sign([
                "根据农村低收入群体等重点对象住房安全保障工作要求，经农户申请、村级评议、镇级审核，"
                "拟将以下农户列为本年度农村危房改造对象，现予以公示：",
                "序号|户主姓名|对象类别|房屋危险等级|改造方式",
                *rows,
                f"公示时间：{per.describe(self.cal)}。" if per else "",
                _objection("城建办"),
            ], FULL, pub),
            channels=("公开栏",), period=(7, "天"), boards=(COMMUNITY_BOARD[village],),
            takedown="notice",
        )

    def _jobs_announcement(self, y: int, d: date | None) -> None:
        if d is None:
            return
        self.add(
            f"{T}{y}年公益性岗位招聘公告", category="人事信息", owner="劳动站", formed_on=d,
            body=self._notice_body([
                f"为做好就业困难人员就业援助工作，{T}拟开发公益性岗位{self.rng.randint(8, 20)}个，现公告如下：",
                "一、岗位设置：保洁、护林、治安巡逻、养老服务。",
                "二、招聘对象：本镇户籍、登记失业的就业困难人员。",
                "三、报名方式：本人持相关证件到镇劳动站报名。",
            ], d),
            channels=("公开栏", "门户网站"), boards=("GB-01", "SQ-01", "SQ-02"), hold=15,
            takedown="boards",
        )
        d2 = self.cal.add_workdays(d, 20)
        if d2 > self.last:
            return
        rows = [
            f"{i}|{self._masked()}|{self.rng.choice(('保洁', '护林', '治安巡逻', '养老服务'))}|"
            f"{self.rng.choice((*NEIGHBOURHOODS, *VILLAGES))}"
            for i in range(1, self.rng.randint(6, 10) + 1)
        ]
        self.add(
            f"{T}{y}年公益性岗位拟聘用人员公示", category="人事信息", owner="劳动站",
            formed_on=d2,
            body=lambda per, pub: _sign([
                "经报名、资格审查、面试，现将拟聘用人员名单公示如下：",
                "序号|姓名|岗位|村（社区）",
                *rows,
                f"公示时间：{per.describe(self.cal)}。" if per else "",
                _objection("劳动站"),
            ], f"{T}劳动站", pub),
            channels=("公开栏", "门户网站"), period=(5, "工作日"), boards=("GB-01",),
            takedown="notice",
        )

    # -- the last weeks: work in progress and what was forgotten

    def recent_and_overdue(self) -> None:
        cal, today, y, m = self.cal, self.today, self.today.year, self.today.month
        prev = [self.last]
        for _ in range(8):
            prev.append(cal.previous_workday(prev[-1]))
        next_m = m % 12 + 1
        # (stall, workdays back, title, category, owner, channels, body lines, 公示期)
        recent = (
            ("draft", 0, f"{T}关于开展燃气安全隐患排查整治的通告", "应急管理", "综治办",
             ("广播", "微信公众号"), [
                 "为切实保障人民群众生命财产安全，根据《城镇燃气管理条例》和县安全生产委员会统一"
                 "部署，现就开展燃气安全隐患排查整治有关事项通告如下：",
                 "一、排查范围。辖区内餐饮经营场所、液化石油气供应站点及使用燃气的居民家庭。",
                 "二、排查内容。燃气器具、连接软管和报警装置是否符合安全要求，是否存在私拉乱接、"
                 "违规存放气瓶等行为。",
                 f"三、时间安排。自即日起至{next_m}月底，由各社区（村）分片逐户开展。",
                 "四、请广大居民和经营户积极配合入户检查。发现燃气泄漏，请立即关闭阀门、开窗通风，"
                 "严禁开关电器，并拨打119或燃气企业抢修电话。",
             ], None),
            ("returned", 1, f"{T}{y}年{m}月份困难群众救助资金发放情况", "社会救助", "民政办",
             ("门户网站",), [
                 f"现将我镇{y}年{m}月份困难群众救助资金发放情况公开如下：",
                 "救助类别|户数|人数|金额（元）",
                 "城乡最低生活保障|126|213|98,640",
                 "特困人员救助供养|18|18|16,020",
                 "临时救助|7|19|10,500",
                 "以上资金已通过惠民惠农财政补贴资金“一卡通”发放到户。",
             ], None),
            ("pending", 1, f"{T}关于做好{y}年度城乡居民养老保险待遇领取资格认证工作的通知",
             "重点领域", "劳动站", ("门户网站", "微信公众号"), [
                 "各社区（村），镇直各部门：",
                 "根据县人力资源和社会保障局工作安排，为确保城乡居民养老保险待遇按时足额发放，"
                 f"现就做好{y}年度待遇领取资格认证工作通知如下：",
                 "一、认证对象。全镇领取城乡居民养老保险待遇的人员。",
                 "二、认证方式。可通过手机“掌上12333”自助认证，也可到所在社区（村）便民服务站"
                 "现场认证；行动不便的，由社区（村）工作人员上门认证。",
                 f"三、时间要求。请于{y}年12月20日前完成认证。逾期未认证的暂停发放待遇，"
                 "完成认证后恢复发放并补发暂停期间的待遇。",
             ], None),
            ("at_secrecy", 2, f"{T}{y}年度农业保险保费补贴情况公示", "农业农村", "农业农村办",
             ("门户网站", "公开栏"), [
                 "根据县财政局、县农业农村局关于做好农业保险保费补贴工作的要求，现将我镇"
                 f"{y}年度农业保险保费补贴情况公示如下：",
                 "险种|参保面积（亩）|参保户数|财政补贴（元）",
                 "水稻完全成本保险|8,420|1,236|101,040",
                 "玉米种植保险|2,150|418|19,350",
                 "能繁母猪保险|—|37|8,880",
                 # a contact mobile the 保密审查员 has to mask or pass with a reason
                 "对公示内容有疑问的，可联系农业农村办经办人王*，手机13905391234。",
             ], (5, "工作日")),
            ("approved", 3, f"{T}关于开展第二轮农村人居环境整治“回头看”的通知", "重点领域",
             "城建办", ("门户网站",), [
                 "各村（社区）：",
                 "为巩固农村人居环境整治成果，经镇党委、政府研究，决定开展第二轮农村人居环境整治"
                 "“回头看”工作。现将有关事项通知如下：",
                 "一、重点内容。村庄清洁、生活垃圾收运、农村改厕后续管护和生活污水治理。",
                 "二、方法步骤。各村（社区）先行自查，镇城建办会同包村干部逐村复查，发现问题建立"
                 "清单、限期整改。",
                 f"三、工作要求。各村（社区）于{next_m}月10日前将自查整改情况报镇城建办。",
             ], None),
        )
        for stall, back, title, category, owner, channels, lines, period in recent:
            d = prev[back]
            self.add(
                title, category=category, owner=owner, formed_on=d,
                body=self._notice_body(lines, d),
                channels=channels, creator=CLERK_MZ if owner == "民政办" else CLERK,
                stall=stall, fast=True, period=period,
            )
        # Two left behind long enough to be past their 公开时限 (条例第二十六条).
        qy, q = _quarter(today)
        overdue = (
            ("draft", 45, f"{T}{qy}年第{_QUARTERS[q - 1]}季度农村集体“三资”管理情况公开",
             "财政资金", "经管站"),
            ("pending", 38, f"{T}关于调整部分站所办公地点和联系电话的公告", "机构职能",
             "党政办"),
        )
        for stall, days, title, category, owner in overdue:
            d = cal.add_workdays(today - timedelta(days=days), 0)
            if d < self.first:
                continue
            self.add(
                title, category=category, owner=owner, formed_on=d,
                body=self._notice_body([
                    "根据工作安排，现将有关情况公开如下：",
                    "一、基本情况。",
                    "二、主要做法。",
                    "三、下步打算。",
                ], d),
                channels=("门户网站", "公开栏"), stall=stall, fast=True,
            )
        # A few 公示 whose boards nobody cleared when the 公示期 ended.
        candidates = [
            p for p in self.plans
            if p.data.period is not None
            and today - timedelta(days=40) <= p.data.period.end < today - timedelta(days=1)
            and any(s.action in ("take_down", "take_down_notice") for s in p.steps)
            and not any(s.action == "expire" for s in p.steps)
        ]
        for p in self.rng.sample(candidates, min(3, len(candidates))):
            p.steps = [s for s in p.steps if s.action not in ("take_down", "take_down_notice")]

    # -- text helpers

    def _masked(self) -> str:
        s = self.rng.choice(_SURNAMES)
        if self.rng.random() < 0.25:
            return s + "*"
        return s + "*" + self.rng.choice(_GIVEN)

    def _full_name(self) -> str:
        return self.rng.choice(_SURNAMES) + "".join(self.rng.sample(_GIVEN, 2))

    def _notice_body(self, lines: list[str], d: date | None) -> str:
        return _sign(lines, FULL, d) if d else ""

    def _budget(self, y: int, d: date | None) -> str:
        if d is None:
            return ""
        r = self.rng
        return _sign([
            f"根据《中华人民共和国预算法》有关规定，现将{T}{y}年财政预算公开如下：",
            "一、收入预算",
            f"（一）一般公共预算收入{r.randint(2600, 3600)}万元。",
            f"（二）上级补助收入{r.randint(2200, 3400)}万元。",
            "二、支出预算",
            f"（一）一般公共服务支出{r.randint(800, 1200)}万元。",
            f"（二）社会保障和就业支出{r.randint(900, 1500)}万元。",
            f"（三）农林水支出{r.randint(1200, 2100)}万元。",
            "三、“三公”经费预算",
            "详见《“三公”经费预算情况说明》。",
            "四、其他说明",
            "本预算已经镇人民代表大会审议批准。",
        ], FULL, d)

    def _three_public(self, y: int, d: date | None, what: str) -> str:
        if d is None:
            return ""
        r = self.rng
        rec = r.randint(30, 80) / 10
        car = r.randint(60, 140) / 10
        return _sign([
            f"{T}{y}年“三公”经费{what}情况说明如下：",
            f"项目|{y}年{what}（万元）",
            "因公出国（境）费|0.00",
            f"公务接待费|{rec:.2f}",
            "公务用车购置费|0.00",
            f"公务用车运行维护费|{car:.2f}",
            f"合计|{rec + car:.2f}",
            "一、因公出国（境）费为零，本年度无因公出国（境）安排。",
            "二、公务接待费严格执行接待标准，无超标准接待。",
            "三、公务用车运行维护费主要用于应急、执法、机要通信用车的燃油、维修和保险。",
        ], FULL, d)

    def _guide(self, y: int, d: date | None) -> str:
        if d is None:
            return ""
        return _sign([
            "一、办公时间",
            "周一至周五（法定节假日除外）上午8:30—12:00，下午14:00—17:30。",
            "二、办理事项",
            "（一）社会救助：低保、特困供养、临时救助申请受理。",
            "（二）社会保障：城乡居民基本养老保险、基本医疗保险参保缴费。",
            "（三）农业农村：耕地地力保护补贴、农村宅基地申请受理。",
            "（四）退役军人服务：优抚对象待遇申请、光荣牌悬挂。",
            "三、办理地点",
            f"{TOWNSHIP.address}镇便民服务中心一楼。",
            f"咨询电话：{PHONE}",
        ], FULL, d)

    def _annual_report(self, year: int, pub: date) -> str:
        r = self.rng
        return _sign([
            f"本报告根据《中华人民共和国政府信息公开条例》要求编制，统计期限为{year}年1月1日至{year}年12月31日。",
            "一、总体情况",
            "（一）主动公开。全年通过政府门户网站、政务公开栏、微信公众号等渠道主动公开政府信息。",
            "（二）依申请公开。全年收到政府信息公开申请" f"{r.randint(0, 4)}件，均在法定期限内答复。",
            "（三）政府信息管理。严格落实保密审查和去标识化处理要求。",
            "（四）平台建设。在镇便民服务大厅、各社区（村）设立公开栏11处。",
            "（五）监督保障。采取月抽查、季考核的方式对各社区（村）公开工作进行考核。",
            "二、存在的主要问题及改进情况",
            "部分社区（村）公开栏更新不及时，公示期满撤栏不及时。下一步将加强日常督导，严格台账管理。",
        ], FULL, pub)

    # ---- the assessment: monthly checks, 加分/扣分 items ------------------------------------------

    def _complete_months(self) -> list[tuple[int, int]]:
        """Months wholly inside the demo's year and over before ``today``."""
        out = []
        for y, m in self._months():
            last = date(y, m, monthrange(y, m)[1])
            if date(y, m, 1) >= self.setup_day and last < self.today:
                out.append((y, m))
        return out

    def plan_assessment(self) -> None:
        """Schedule a 月抽查 of every community in every complete month, entered by the clerk
        on the afternoon of the check day (a working day late in the month), and the quarters'
        通报表彰 / 通报批评 items after the quarter's last check. Uses its own random stream."""
        rng = random.Random(f"{self.seed}:assessment")
        for p in self.plans:
            d = p.data.formed_on
            if d is not None and p.data.community_id is not None and "财务收支" in p.data.title:
                name = next(n for n, i in self.communities.items() if i == p.data.community_id)
                self.finance_posted.add((name, d.year, d.month))
        months = self._complete_months()
        entered: dict[tuple[int, int], datetime] = {}
        for y, m in months:
            last = date(y, m, monthrange(y, m)[1])
            day = self.cal.add_workdays(date(y, m, rng.randint(20, 26)), 0)
            if day > last:
                day = self.cal.previous_workday(last + timedelta(days=1))
            at = _local(day, rng.randint(14, 17), rng.randint(0, 59), rng.randint(0, 59))
            entered[(y, m)] = at
            self.assessment.append(_Step(at, CLERK, "check_month", {
                "year": y, "month": m, "on": day, "checker": rng.choice(CHECKERS)}))
        checked = set(months)
        full = [(y, q) for y, q in sorted({(y, quarter_of(m)) for y, m in months})
                if all((y, mm) in checked for mm in quarter_months(q))]
        self.tie_quarter = full[0] if full else None
        # quarters whose last month was checked: the county's 通报 for them may carry a 表彰
        closed = [(y, q) for y, q in sorted({(y, quarter_of(m)) for y, m in months})
                  if (y, quarter_months(q)[2]) in checked]
        items = (
            (-1, "云溪社区", "B1", "居务公开栏规范化建设经验被县政务公开领导小组办公室通报表彰"),
            (-3, "云溪社区", "B1", "在县政务公开工作督查中被县政务公开领导小组办公室通报表彰"),
            (-2, "柳河村", "B1", "村务公开“一月一公开”做法被县民政局通报表彰"),
            (-2, "北坡村", "P1", "村务公开栏连续两个月未更新，被县政务公开领导小组办公室通报批评"),
        )
        for back, name, code, reason in items:
            if len(closed) < -back:
                continue
            y, q = closed[back]
            at = entered[(y, quarter_months(q)[2])] + timedelta(minutes=rng.randint(20, 50))
            self.assessment.append(_Step(at, CLERK, "adjust", {
                "community": name, "year": y, "quarter": q, "item": code, "reason": reason}))

    def _assess(self, step: _Step) -> None:
        a = step.args
        if step.action == "adjust":
            scoring_ops.add_adjustment(self.ctx, self.communities[a["community"]], a["year"],
                                       a["quarter"], a["item"], a["reason"])
            return
        assert step.action == "check_month", step.action
        self._check_month(a["year"], a["month"], a["on"], a["checker"])

    def _check_month(self, y: int, m: int, on: date, checker: str) -> None:
        ctx = self.ctx
        scheme = scoring_ops.month_sheet(ctx, y, m).preview_scheme
        autos = scoring_ops.auto_findings(ctx, y, m, scheme, self.communities.values())
        tie = self.tie_quarter == (y, quarter_of(m))
        checks: dict[int, SpotCheck] = {}
        for name, cid in self.communities.items():
            paired = tie and name in TIE_PAIR
            # the pair draws the same findings in the tie quarter (no register-dependent ones)
            rng = random.Random(f"{self.seed}:{y}-{m}:{'tie' if paired else name}")
            manual = self._findings(scheme, name, y, m, rng, paired)
            checks[cid] = SpotCheck(cid, y, m, (*manual, *autos[cid].deductions),
                                    checker=checker, checked_on=on)
        if tie and m == quarter_months(quarter_of(m))[2]:
            self._level(scheme, y, m, checks)
        scoring_ops.save_month(ctx, y, m, list(checks.values()))
        self.saved_checks[(y, m)] = checks

    def _findings(self, scheme: Scheme, name: str, y: int, m: int, rng: random.Random,
                  paired: bool) -> list[Deduction]:
        quality = QUALITY[TIE_PAIR[0] if paired else name]
        n = _poisson(rng, quality)
        pool = [f for f in _FINDINGS
                if not (f.finance and (paired or (name, y, m) in self.finance_posted))]
        board = self.boards[COMMUNITY_BOARD[name]]
        board_name = next(b[1] for b in BOARDS if b[0] == COMMUNITY_BOARD[name])
        up = postings_on_board(self.ctx, board)
        pm = 12 if m == 1 else m - 1
        out: list[Deduction] = []
        for _ in range(min(n, len(pool))):
            f = rng.choices(pool, weights=[x.weight * (quality if scheme.indicator(x.code).rules[
                x.rule].points_per_finding >= 3 else 1) for x in pool])[0]
            pool.remove(f)
            count = 1 if f.most == 1 or rng.random() < 0.7 else rng.randint(2, f.most)
            evidence = f.evidence.format(board=board_name, pm=pm, n=count)
            posting_id = None
            if f.board:
                # the inspector's photo of the board: the posting the finding is about
                seen = sorted(up, key=lambda p: (p.posted_on, p.id))
                if f.board not in ("oldest", "newest"):
                    seen = [p for p in seen if f.board in p.notice_title]
                    if not seen:
                        continue
                if seen:
                    p = seen[0] if f.board == "oldest" else seen[-1]
                    posting_id = p.id
                    evidence += f"（见《{p.notice_title}》张贴处" + (
                        f"，照片{p.photo}）" if p.photo else "）")
            per = scheme.indicator(f.code).rules[f.rule].points_per_finding
            # as the month grid enters a typed number; the rule is kept when it maps elsewhere
            d = deduction_for_points(scheme, f.code, per * count, f.reason, evidence=evidence,
                                     posting_id=posting_id)
            if d.rule != f.rule:
                d = Deduction(f.code, f.reason, count=count, rule=f.rule, evidence=evidence,
                              posting_id=posting_id)
            out.append(d)
        return out

    def _level(self, scheme: Scheme, y: int, m: int, checks: dict[int, SpotCheck]) -> None:
        """Bring the tie pair level over the quarter: the one that lost fewer points gets small
        findings (no caps) adding up to exactly the difference. Left as is if they do not fit."""
        a, b = (self.communities[n] for n in TIE_PAIR)
        months = quarter_months(quarter_of(m))

        def lost(cid: int, current: SpotCheck) -> Decimal:
            return sum((taken for mm in months
                        for _, taken in applied_deductions(
                            scheme, current if mm == m else self.saved_checks[(y, mm)][cid])),
                       Decimal(0))

        diff = lost(a, checks[a]) - lost(b, checks[b])
        if diff == 0:
            return
        low, high = (b, a) if diff > 0 else (a, b)
        need, check = abs(diff), checks[low]
        room = leaf_scores(scheme, check)
        extra: list[Deduction] = []
        for f in _FILLERS:
            per = scheme.indicator(f.code).rules[f.rule].points_per_finding
            n = int(min(need, room[f.code]) // per)
            if n:
                extra.append(Deduction(f.code, f.reason, count=n, rule=f.rule,
                                       evidence=f.evidence.format(n=n, board="", pm="")))
                need -= per * n
                room[f.code] -= per * n
        levelled = replace(check, deductions=(*check.deductions, *extra))
        if need == 0 and lost(low, levelled) == lost(high, checks[high]):
            checks[low] = levelled

    # ---- 依申请公开: two years of applications -------------------------------------------------

    def plan_requests(self) -> None:
        """Plan the applications of last year (from its first week) and of this year up to
        today: every kind of applicant, the 表三 rows an office really meets, and the clock's
        events on their days — 补正 (with the clock restarted), a third-party consultation, an
        extension approved by the 党政办 head, a withdrawal, one reply late, one application
        received in December and answered in January (上年结转), two still open today — and a
        行政复议 against one refusal. Its own random stream, so the notices do not change."""
        rng = random.Random(f"{self.seed}:requests")
        cal = self.cal
        y0, y1 = self.today.year - 1, self.today.year
        earlier = [a for a in _APPLICATIONS[0] if a.flow != "carried"]
        start0 = cal.add_workdays(date(y0, 1, 8), 0)
        end0 = date(y0, 12, 1)
        for app, day in zip(earlier, self._spread(start0, end0, len(earlier), rng), strict=True):
            self._plan_application(app, day, rng)
        for app in _APPLICATIONS[0]:
            if app.flow == "carried":
                # received in mid-December, answered in January: 结转下年度 / 上年结转
                self._plan_application(app, cal.add_workdays(date(y0, 12, 15), 0), rng)
        closed = [a for a in _APPLICATIONS[1] if not a.flow.startswith("open")]
        start1 = cal.add_workdays(date(y1, 1, 6), 0)
        end1 = self._workdays_before(45)
        if end1 > start1:
            for app, day in zip(closed, self._spread(start1, end1, len(closed), rng), strict=True):
                self._plan_application(app, day, rng)
        for app in _APPLICATIONS[1]:
            if app.flow == "open_soon":  # due within five working days (the 工作台 shows red)
                self._plan_application(app, self._workdays_before(16), rng)
            elif app.flow == "open_new":
                self._plan_application(app, self._workdays_before(3), rng)

    def _workdays_before(self, n: int) -> date:
        """The working day ``n`` working days before today."""
        d = self.today
        for _ in range(n):
            d = self.cal.previous_workday(d)
        return d

    def _spread(self, start: date, end: date, n: int, rng: random.Random) -> list[date]:
        span = (end - start).days
        out = []
        for i in range(n):
            lo = start + timedelta(days=span * i // n)
            width = max(0, span * (i + 1) // n - span * i // n - 1)
            out.append(self.cal.add_workdays(lo + timedelta(days=rng.randint(0, width)), 0))
        return out

    def _plan_application(self, app: _Application, received: date, rng: random.Random) -> None:
        cal = self.cal
        if received < self.first_request_day:
            return
        index = len(self.request_ids)
        self.request_ids.append(None)
        year = received.year
        py = year - 1
        if app.channel is Channel.IN_PERSON:
            submitted = received
        elif app.channel is Channel.REGISTERED_POST:
            submitted = received - timedelta(days=rng.randint(1, 2))
        else:
            submitted = received - timedelta(days=rng.choice((0, 0, 1)))
        data = RequestInput(
            channel=app.channel, submitted_on=submitted, applicant_kind=app.kind,
            applicant_name=app.name, content=app.content.format(y=year, py=py),
            applicant_contact=app.contact,
            signed_on=received if app.channel is Channel.REGISTERED_POST else None,
            confirmed_on=received if app.channel not in (Channel.IN_PERSON,
                                                         Channel.REGISTERED_POST) else None)
        steps = self.request_steps
        at = _local(received, rng.randint(9, 11), rng.randint(0, 59), rng.randint(0, 59))

        def step(day: date, action: str, **args: object) -> None:
            nonlocal at
            when = _local(day, rng.choice((9, 10, 11, 15, 16)), rng.randint(0, 59),
                          rng.randint(0, 59))
            at = when if when > at else at + timedelta(minutes=rng.randint(5, 30))
            steps.append(_Step(at, CLERK, action, {"app": index, **args}))

        steps.append(_Step(at, CLERK, "register", {"app": index, "data": data}))
        wd = cal.add_workdays
        flow, reply = app.flow, None
        if flow in ("correction", "unclear"):
            asked = wd(received, rng.randint(2, 4))
            step(asked, "event", event=ClockEvent.correction_requested(
                asked, asked + timedelta(days=15),
                note="申请内容不明确，告知申请人写明所需信息的名称、文号或者便于查询的其他特征性描述"))
            back = wd(asked, rng.randint(4, 7))
            step(back, "event", event=ClockEvent.correction_received(back))
            reply = wd(back, rng.randint(8, 14))
        elif flow == "no_correction":
            asked = wd(received, 4)
            until = asked + timedelta(days=10)
            step(asked, "event", event=ClockEvent.correction_requested(
                asked, until, note="申请内容不明确，请写明所需政府信息的名称或者特征性描述"))
            reply = wd(wd(until, 0), 3)
        elif flow == "consult":
            asked = wd(received, 5)
            step(asked, "event", event=ClockEvent.consultation_started(
                asked, app.party, Consultee.THIRD_PARTY))
            answered = wd(asked, rng.randint(7, 10))
            step(answered, "event", event=ClockEvent.consultation_ended(
                answered, app.party, note="第三方书面答复不同意公开"
                if app.outcome is Outcome.THIRD_PARTY_RIGHTS else "第三方同意公开部分内容"))
            reply = wd(answered, rng.randint(5, 8))
        elif flow == "extension":
            told = wd(received, 17)
            step(told, "event", event=ClockEvent.extension(
                told, 15, ACCOUNT_NAMES[HEAD], approved_on=told,
                note="需调取工程结算资料并核对涉及第三方的信息"))
            reply = wd(received, 30)
        elif flow == "withdrawn":
            step(wd(received, 4), "withdraw")
        elif flow == "late":
            reply = wd(received, 23)  # 3 working days late: the ledger shows it
        elif flow == "carried":
            reply = wd(received, 15)
        elif flow == "plain":
            reply = wd(received, rng.randint(6, 16))
        if reply is not None and app.outcome is not None:
            step(reply, "close", outcome=app.outcome, detail=app.detail)
            if app.appeal:
                # 行政复议 within 60 days of the reply (行政复议法第二十条), decided in about two
                # months (第六十二条)
                filed = wd(reply, 18)
                decided = wd(filed, 38)
                step(filed, "review", filed=filed, authority="青山县人民政府",
                     case_number=f"青政复〔{filed.year}〕{rng.randint(20, 60)}号")
                step(decided, "review_decided", decided=decided)

    def _request_step(self, step: _Step) -> None:
        ctx, a = self.ctx, step.args
        index = a["app"]
        if step.action == "register":
            rid = self.request_ids[index] = request_ops.register_request(ctx, a["data"]).id
            if a["data"].channel is Channel.IN_PERSON:  # the 受理回执 is handed over
                self._send_letter(rid, LetterKind.RECEIPT, step)
            return
        rid = self.request_ids[index]
        assert rid is not None
        if step.action == "event":
            request_ops.record_event(ctx, rid, a["event"])
            kind = _LETTER_OF_EVENT.get(a["event"].kind)
            if kind is not None and (kind is not LetterKind.THIRD_PARTY
                                     or a["event"].consultee is Consultee.THIRD_PARTY):
                self._send_letter(rid, kind, step)
        elif step.action == "close":
            request_ops.close_request(ctx, rid, a["outcome"], on=step.day, detail=a["detail"])
            self._send_letter(rid, LetterKind.REPLY, step)
        elif step.action == "withdraw":
            request_ops.withdraw_request(ctx, rid, on=step.day,
                                         note="申请人来电表示已从村务公开栏看到相关信息，撤回申请")
        elif step.action == "review":
            self.review_cases[index] = _add_review_case(ctx, rid, a["filed"], a["authority"],
                                                        a["case_number"])
        elif step.action == "review_decided":
            _decide_review_case(ctx, self.review_cases[index], a["decided"])
        else:  # pragma: no cover
            raise AssertionError(step.action)

    # ---- the work plan and the registers (issue 8 §7) ---------------------------------------

    def _at(self, day: date, rng: random.Random) -> datetime:
        return _local(day, rng.choice((9, 10, 11, 15, 16)), rng.randint(0, 59), rng.randint(0, 59))

    def _later_step(self, day: date, actor: str, fn: Callable[[], None],
                    rng: random.Random) -> None:
        if self.first_request_day <= day < self.today:
            self.extra_steps.append(_Step(self._at(day, rng), actor, "call", {"fn": fn}))

    def _published_notice(self, category: str, by: date, pick: int = 0) -> int | None:
        """A notice published under ``category`` on or before ``by`` (the latest ones first)."""
        rows = self.db.execute(
            "SELECT id FROM notice WHERE category_id = ? AND published_on IS NOT NULL"
            " AND published_on <= ? ORDER BY published_on DESC, id DESC LIMIT 3",
            [self._category(category), by.isoformat()]).fetchall()
        return rows[pick % len(rows)][0] if rows else None

    def _task_input(self, owners: tuple[str, ...], due: tuple[int, int] | str, year: int,
                    category: str | None) -> tuple[Deadline, dict[str, object]]:
        deadline = (Deadline(wording=due) if isinstance(due, str)
                    else Deadline(on=date(year, due[0], due[1])))
        return deadline, {
            "unit_ids": tuple(self.units[o] for o in owners if o in self.units),
            "community_ids": tuple(self.communities[o] for o in owners if o in self.communities),
            "all_units": "各部门" in owners, "all_communities": "各村（社区）" in owners,
            "category_id": self._category(category) if category else None}

    def plan_work(self) -> None:
        """Last year's plan, all closed by its year end (one task 未完成 with its 原因), and this
        year's, copied from it in February and tracked since: tasks in every state — done with
        notes and linked notices, under way, one past its 完成时限 still under way (the 工作台
        shows it), not yet started, and one 未完成 with its 原因. Its own random stream."""
        rng = random.Random(f"{self.seed}:workplan")
        y0, y1 = self.today.year - 1, self.today.year
        cal = self.cal
        state: dict[str, object] = {}
        task_ids: dict[tuple[int, int], int] = {}

        def create_last_year() -> None:
            ctx = self.ctx
            plan = plan_ops.create_plan(
                ctx, y0, default_title(T, y0),
                f"为深入贯彻《中华人民共和国政府信息公开条例》，落实《青山县{y0}年政务公开工作要点》"
                "部署，结合我镇实际，制定本方案。", issued_on=cal.add_workdays(date(y0, 1, 20), 0))
            n = 0
            for title, tasks in PLAN_SECTIONS:
                section = plan_ops.add_section(ctx, plan.id, title)
                for text, owners, due, category in tasks:
                    deadline, kw = self._task_input(owners, due, y0, category)
                    task_ids[(y0, n)] = plan_ops.add_task(
                        ctx, section.id, TaskInput(text, deadline, **kw)).id  # type: ignore[arg-type]
                    n += 1

        def copy_this_year() -> None:
            plan = plan_ops.copy_plan(self.ctx, y0, y1)
            view = plan_ops.plan_view(self.ctx, y1)
            for n, task in enumerate(view.tasks):
                task_ids[(y1, n)] = task.id
            plan_ops.update_plan(self.ctx, plan.id, plan.title, plan.intro.replace(
                str(y0), str(y1)), cal.add_workdays(date(y1, 2, 14), 0))
            state["plan"] = plan.id

        first = cal.add_workdays(date(y0, 1, 15), 0)
        self._later_step(first, CLERK, create_last_year, rng)
        self._later_step(cal.add_workdays(date(y1, 2, 10), 0), CLERK, copy_this_year, rng)

        # one task list per year: (index, what happens, on which days)
        for year in (y0, y1):
            n = 0
            for _title, tasks in PLAN_SECTIONS:
                for _text, _owners, due, category in tasks:
                    self._track(year, n, due, category, task_ids, rng)
                    n += 1

    def _track(self, year: int, n: int, due: tuple[int, int] | str, category: str | None,
               task_ids: dict[tuple[int, int], int], rng: random.Random) -> None:
        cal = self.cal
        y1 = self.today.year
        start = cal.add_workdays(date(year, 1, 20) if year < y1 else date(year, 2, 17), 0)
        end = date(year, due[0], due[1]) if isinstance(due, tuple) else date(year, 12, 10)
        notes = PLAN_NOTES.get(n, ())
        actor = CLERK_MZ if n in (2, 3) else CLERK

        def tid() -> int:
            return task_ids[(year, n)]

        # what this year's office has reached by ``today``: by the task's number
        if year == y1:
            if n == 5:
                outcome = "not_done"
            elif n in (10, 9):
                outcome = "ongoing"  # 长期坚持
            elif n == 7 or n == 6 and end > self.today:
                outcome = "ongoing"
            elif n == 14 and end > self.today:
                outcome = "not_started"
            elif end >= self.today:
                outcome = "ongoing" if n % 2 else "not_started"
            elif n == 4:
                outcome = "overdue"  # past its 完成时限, still 推进中
            else:
                outcome = "done"
        else:
            outcome = "not_done" if n == LAST_YEAR_NOT_DONE[0] else "done"
        if outcome == "not_started":
            return
        span = max(1, (min(end, self.today - timedelta(days=1)) - start).days)
        days = sorted(cal.add_workdays(start + timedelta(days=span * (i + 1) // (len(notes) + 2)), 0)
                      for i in range(len(notes)))
        self._later_step(start, actor, lambda: plan_ops.set_task_state(
            self.ctx, tid(), TaskState.IN_PROGRESS), rng)
        for i, (day, text) in enumerate(zip(days, notes, strict=True)):
            def note(day: date = day, text: str = text, i: int = i) -> None:
                plan_ops.add_progress(self.ctx, tid(), text, day)
                if category is not None:
                    nid = self._published_notice(category, day, i)
                    if nid is not None and not plan_store.has_notice_evidence(
                            self.db, tid(), nid):
                        plan_ops.link_notice(self.ctx, tid(), nid)
            self._later_step(day, actor, note, rng)
        if outcome in ("ongoing", "overdue"):
            return
        close = cal.add_workdays(min(end, date(year, 12, 20)), 0)
        if close <= (days[-1] if days else start):
            close = cal.add_workdays((days[-1] if days else start), 1)
        if outcome == "done":
            self._later_step(close, actor, lambda: plan_ops.set_task_state(
                self.ctx, tid(), TaskState.DONE), rng)
        else:
            reason = NOT_DONE_REASON if year == y1 else LAST_YEAR_NOT_DONE[1]
            self._later_step(close, CLERK, lambda: plan_ops.set_task_state(
                self.ctx, tid(), TaskState.NOT_DONE, reason), rng)

    def plan_registers(self) -> None:
        """A year of each register, last year's whole and this year's up to today: hotline and
        mailbox cases mostly closed within their 办理时限, three a year late, one open past it;
        five 网络舆情 a year; 政策解读 linked to the notice they interpret
        when it is in the register; eight 建议提案 交办 after the 两会 and answered by summer;
        trainings and 领导小组会议. Its own random stream."""
        rng = random.Random(f"{self.seed}:registers")
        cal = self.cal
        for year in (self.today.year - 1, self.today.year):
            start = max(cal.add_workdays(date(year, 1, 5), 0), self.first_request_day)
            end = min(date(year, 12, 28), self._workdays_before(3))
            if end <= start:
                continue
            # hotline and mailbox cases (about 48 a year) and 网络舆情 (5 a year)
            share = ((end - start).days + 1) / 365
            channels = (("12345热线", 22), ("51890热线", 14), ("书记信箱", 6), ("市长信箱", 6))
            cases = [(ch, s) for ch, k in channels for s in range(round(k * share))]
            days = self._spread(start, end, len(cases), rng)
            rng.shuffle(cases)
            late = set(rng.sample(range(len(cases)), min(3, len(cases))))
            for i, ((channel, _), day) in enumerate(zip(cases, days, strict=True)):
                self._hotline_case(day, channel, HOTLINE_SUBJECTS[rng.randrange(
                    len(HOTLINE_SUBJECTS))], i in late, rng, number=f"{year}{i + 1:04d}")
            opinions = self._spread(start, end, max(1, round(5 * share)), rng)
            for i, day in enumerate(opinions):
                self._hotline_case(day, "网络舆情", OPINION_SUBJECTS[i % len(OPINION_SUBJECTS)],
                                   False, rng)
            for i, (title, form, category) in enumerate(INTERPRETATIONS):
                day = cal.add_workdays(date(year, 1 + i * 11 // len(INTERPRETATIONS),
                                            rng.randint(8, 24)), 0)
                self._interpretation(day, title, form, category, rng)
            for i, (kind, title, unit) in enumerate(PROPOSALS):
                received = cal.add_workdays(date(year, 3, 20), i % 3)
                replied = cal.add_workdays(received, rng.randint(35, 60))
                self._proposal(year, i, kind, title, unit, received, replied, rng)
            for kind, month, day_of, topic, people in MEETINGS:
                held = cal.add_workdays(date(year, month, day_of), 0)
                self._later_step(held, CLERK, lambda held=held, kind=kind, topic=topic,
                                 people=people: register_ops.add_record(self.ctx, Meeting(
                                     kind, held, topic, people + rng.randint(-3, 3),
                                     unit_id=self.units["党政办"])), rng)
        # one case past its 办理时限 and still open today (the register shows it red)
        self._hotline_case(self._workdays_before(12), "12345热线", "反映老旧小区屋面漏雨",
                           False, rng, open_=True, number=f"{self.today.year}9001")

    def _owner(self, rng: random.Random) -> dict[str, int | None]:
        if rng.random() < 0.3:
            name = rng.choice(NEIGHBOURHOODS + VILLAGES)
            return {"unit_id": None, "community_id": self.communities[name]}
        name = rng.choice(("城建办", "综治办", "民政办", "社会事务办", "农业农村办", "党政办"))
        return {"unit_id": self.units[name], "community_id": None}

    def _hotline_case(self, day: date, channel: str, subject: str, late: bool,
                      rng: random.Random, *, open_: bool = False, number: str = "") -> None:
        cal = self.cal
        due = default_due(day, channel, cal)
        case = HotlineCase(day, channel, subject, due_on=due,
                           case_number=f"YX{number}" if number else "", **self._owner(rng))
        work = (due - day).days
        if late:
            closed = cal.add_workdays(due, rng.randint(1, 4))
        else:
            closed = cal.add_workdays(day, rng.randint(1, max(1, min(4, work))))
            if closed > due:
                closed = due
        ids: list[int] = []

        def add() -> None:
            saved = register_ops.add_record(self.ctx, case)
            assert saved.id is not None
            ids.append(saved.id)

        def close() -> None:
            satisfaction = rng.choice(("满意",) * 6 + ("基本满意",) * 2 + ("未评价",))
            register_ops.update_record(self.ctx, replace(
                case, id=ids[0], closed_on=closed, fed_back=True, satisfaction=satisfaction))

        self._later_step(day, CLERK, add, rng)
        if not open_ and closed < self.today:
            self._later_step(closed, CLERK, close, rng)

    def _interpretation(self, day: date, title: str, form: str, category: str,
                        rng: random.Random) -> None:
        def add() -> None:
            nid = self._published_notice(category, day) if category in (
                "社会救助", "财政资金", "应急管理") else None
            policy = "" if nid is not None else (
                title.removeprefix("一图读懂").removesuffix("政策解读").removesuffix("解读"))
            register_ops.add_record(self.ctx, Interpretation(
                day, title, form, notice_id=nid, policy_title=policy,
                unit_id=self.units["党政办"]))

        self._later_step(day, CLERK, add, rng)

    def _proposal(self, year: int, i: int, kind: str, title: str, unit: str, received: date,
                  replied: date, rng: random.Random) -> None:
        record = Proposal(kind, f"第{3 + i * 2}号", title, received, lead=LEADS[i],
                          unit_id=self.units[unit])
        ids: list[int] = []

        def add() -> None:
            saved = register_ops.add_record(self.ctx, record)
            assert saved.id is not None
            ids.append(saved.id)

        def reply() -> None:
            register_ops.update_record(self.ctx, replace(
                record, id=ids[0], replied_on=replied,
                satisfaction="基本满意" if i == 6 else "满意"))

        self._later_step(received, CLERK, add, rng)
        if replied < self.today:
            self._later_step(replied, CLERK, reply, rng)

    # ---- running the plans ---------------------------------------------------------------------

    def assign_doc_numbers(self) -> None:
        counters: dict[tuple[str, int], int] = {}
        for plan in sorted((p for p in self.plans if p.doc_kind),
                           key=lambda p: (p.data.formed_on, p.data.title)):
            assert plan.data.formed_on is not None
            key = (plan.doc_kind, plan.data.formed_on.year)
            n = counters.get(key, self.rng.randint(0, 3)) + self.rng.randint(1, 4)
            counters[key] = n
            plan.data = replace(
                plan.data, doc_number=f"{DOC_PREFIX}{plan.doc_kind}〔{key[1]}〕{n}号"
            )

    def run(self) -> None:
        events = []
        for pi, plan in enumerate(self.plans):
            for si, step in enumerate(plan.steps):
                if step.day >= self.today:
                    break
                events.append((step.at, pi, si))
        # the assessment's steps run in the same time line (index past the plans)
        events += [(step.at, len(self.plans), si) for si, step in enumerate(self.assessment)
                   if step.day < self.today]
        # and the applications' steps (index past the assessment)
        events += [(step.at, len(self.plans) + 1, si)
                   for si, step in enumerate(self.request_steps) if step.day < self.today]
        # and the work plan's and the registers' (index past the applications)
        events += [(step.at, len(self.plans) + 2, si)
                   for si, step in enumerate(self.extra_steps) if step.day < self.today]
        events.sort()
        for at, pi, si in events:
            self.clock.set(at)
            if pi == len(self.plans):
                step = self.assessment[si]
                self.ctx.user = self.users[step.actor]
                self._assess(step)
                continue
            if pi == len(self.plans) + 2:
                step = self.extra_steps[si]
                self.ctx.user = self.users[step.actor]
                step.args["fn"]()
                continue
            if pi == len(self.plans) + 1:
                step = self.request_steps[si]
                self.ctx.user = self.users[step.actor]
                self._request_step(step)
                continue
            plan, step = self.plans[pi], self.plans[pi].steps[si]
            self.ctx.user = self.users[step.actor]
            self._do(plan, step)

    def _do(self, plan: _Plan, step: _Step) -> None:
        ctx, a = self.ctx, step.action
        if a == "create":
            plan.notice_id = create_notice(ctx, plan.data).id
            return
        nid = plan.notice_id
        assert nid is not None
        if a == "submit":
            submit_notice(ctx, nid)
        elif a == "approve":
            self._approve(nid, step)
        elif a == "review":
            self._review(nid, step)
        elif a == "publish":
            publish_notice(ctx, nid, on=step.args["on"])
        elif a == "post":
            code = step.args["board"]
            post_notice(ctx, nid, [self.boards[code]], posted_on=step.args["on"],
                        planned_removal=step.args["planned"],
                        photo=self._photo(code) if step.args["photo"] else None)
        elif a == "take_down":
            board_id = self.boards[step.args["board"]]
            for p in postings_of_notice(ctx, nid):
                if p.board_id == board_id and p.removed_on is None:
                    take_down(ctx, p.id, removed_on=step.args["on"])
        elif a == "take_down_notice":
            take_down_notice(ctx, nid, on=step.args["on"])
        elif a == "expire":
            expire_notice(ctx, nid)
        else:  # pragma: no cover
            raise AssertionError(a)

    _SIGNERS = {Stage.UNIT_HEAD: HEAD, Stage.SECRECY: SECRECY, Stage.DEPUTY: DEPUTY,
                Stage.PRINCIPAL: PRINCIPAL}

    def _send_letter(self, rid: int, kind: LetterKind, step: _Step) -> None:
        """The letter as generated, saved, approved through the chain (not the 受理回执) and
        recorded as sent the same day — what a prompt office does."""
        ctx = self.ctx
        text = letter_text(letter_ops.generated_letter(ctx, rid, kind))
        letter_id = letter_ops.save_letter(ctx, rid, kind, text)
        if kind.needs_approval:
            view = approval_ops.submit_letter(ctx, letter_id)
            self._sign(view, step, seed=10_000 + letter_id)
        letter_ops.mark_sent(ctx, letter_id, step.day)

    def _approve(self, nid: int, step: _Step) -> None:
        """The whole chain on the day planned: each holder decides in turn; the 主要领导 signs a
        printed slip by pen for about a third of them, entered by the clerk (纸质签批（代录）)."""
        self._sign(approval_ops.latest_slip(self.ctx, nid), step, seed=nid)

    def _sign(self, view, step: _Step, seed: int) -> None:
        ctx = self.ctx
        paper = random.Random(seed).random() < 0.35
        while view is not None and view.current_stage is not None:
            stage = view.current_stage
            signer = self.users[self._SIGNERS[stage]]
            if stage is Stage.PRINCIPAL and paper:
                ctx.user = self.users[CLERK]
                ctx.authenticated_at = ctx.clock()
                view = approval_ops.record_paper_decision(
                    ctx, view.id, signer_id=signer.id, decision=Decision.APPROVE,
                    opinion="同意", signed_on=ctx.today())
            else:
                ctx.user = signer
                ctx.authenticated_at = ctx.clock()
                view = approval_ops.decide(ctx, view.id, Decision.APPROVE,
                                           "经审查，同意公开" if stage is Stage.SECRECY else "同意")
        ctx.user = self.users[step.actor]


    def _review(self, nid: int, step: _Step) -> None:
        """Slips left under way for the 工作台: waiting for 保密审查, or returned by the 分管领导."""
        ctx = self.ctx
        view = approval_ops.latest_slip(ctx, nid)
        stop = Stage.SECRECY if step.args["stall"] == "at_secrecy" else Stage.DEPUTY
        while view is not None and view.current_stage not in (None, stop):
            ctx.user = self.users[self._SIGNERS[view.current_stage]]
            ctx.authenticated_at = ctx.clock()
            view = approval_ops.decide(ctx, view.id, Decision.APPROVE, "同意")
        if view is not None and step.args["stall"] == "returned":
            ctx.user = self.users[DEPUTY]
            ctx.authenticated_at = ctx.clock()
            approval_ops.decide(ctx, view.id, Decision.RETURN,
                                "请补充资金来源和发放时间，核对后重新提交")
        ctx.user = self.users[step.actor]

    # ---- photos of the boards (only when there is a folder to keep them in) ---------------------

    def _photo(self, code: str) -> Path | None:
        if self.files_dir is None or self.photo_dir is None:
            return None
        if code not in self.photos:
            kind = next(k for c, _, k, _, _ in BOARDS if c == code)
            path = self.photo_dir / f"{code}.png"
            path.write_bytes(_board_png(kind, random.Random(code)))
            self.photos[code] = path
        return self.photos[code]


# ---- a schematic photo of a board: wall, frame, coloured header, sheets of paper -----------------

_HEADER = {
    BoardKind.GOVERNMENT: (178, 34, 34), BoardKind.RESIDENTS: (30, 80, 160),
    BoardKind.VILLAGE: (40, 120, 60), BoardKind.THREE_AFFAIRS: (170, 100, 20),
    BoardKind.SCREEN: (20, 20, 28), BoardKind.FEE_WALL: (110, 40, 120),
}


def _board_png(kind: BoardKind, rng: random.Random, width: int = 480, height: int = 360) -> bytes:
    rows = [bytearray(bytes((196, 198, 190)) * width) for _ in range(height)]

    def rect(x0: int, y0: int, x1: int, y1: int, rgb: tuple[int, int, int]) -> None:
        fill = bytes(rgb) * (x1 - x0)
        for y in range(max(0, y0), min(height, y1)):
            rows[y][x0 * 3:x1 * 3] = fill

    rect(0, height - 50, width, height, (140, 138, 128))  # ground
    rect(36, 36, width - 36, height - 70, (90, 90, 90))  # frame
    screen = kind is BoardKind.SCREEN
    rect(42, 42, width - 42, height - 76, (16, 16, 20) if screen else (236, 234, 222))
    rect(42, 42, width - 42, 80, _HEADER[kind])
    x = 56
    while x < width - 150:
        w = rng.randint(90, 130)
        top = rng.randint(92, 110)
        if screen:
            for y in range(top, height - 100, 14):
                rect(x, y, x + rng.randint(w // 2, w), y + 6, (240, 70, 50))
        else:
            rect(x, top, x + w, height - 92, (252, 252, 250))
            for y in range(top + 14, height - 104, 11):
                rect(x + 8, y, x + rng.randint(w // 2, w - 8), y + 4, (150, 150, 150))
        x += w + rng.randint(12, 24)
    raw = b"".join(b"\x00" + bytes(r) for r in rows)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


# ---- entry point ---------------------------------------------------------------------------------


def build_demo(
    db: Database, *, password: str = DEMO_PASSWORD, today: date | None = None,
    files_dir: Path | None = None, seed: int = 2025,
) -> list[DemoAccount]:
    """Fill an empty database with the demo township and a year of its work ending ``today``.

    Deterministic for a given ``seed`` and ``today`` (audit timestamps also depend on the PC's
    time zone). Runs in one transaction. Returns the accounts, which all use ``password``.

    The last recorded work is on the working day before ``today``, so with the default (the real
    date) nothing in the 操作日志 lies in the future; a ``today`` after the real date would make
    the office's next real action look like 时间倒退. With ``files_dir``, a schematic photo of
    each board is attached to most postings (copied there even if the build fails).
    """
    if user_store.count_users(db) or notice_store.count(db, NoticeFilter()):
        raise UserError("该数据库已有数据，不能再生成演示数据")
    today = today or date.today()
    builder = _Builder(db, password, today, files_dir, seed)
    with tempfile.TemporaryDirectory(prefix="govdesk-demo-") as tmp:
        builder.photo_dir = Path(tmp)
        with db.atomic():
            builder.setup()
            builder.plan_year()
            builder.assign_doc_numbers()
            builder.plan_assessment()
            builder.plan_requests()
            builder.plan_work()
            builder.plan_registers()
            builder.run()
    return [DemoAccount(login, name, role) for login, name, role, _ in ACCOUNTS]

