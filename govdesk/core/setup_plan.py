"""What the 首次使用向导 (issue 7, item 6) sets up, as plain data: the township's profile, its
units, communities and boards, the administrator and any further accounts. The wizard fills a
:class:`SetupPlan` from what is typed, the setup sheet reader from an xlsx file; both are
checked here, by one set of rules, so the two ways in agree.

Values are kept as typed (kinds and roles as text) so a plan can hold a mistake and
:func:`validate_plan` can report every mistake at once, each with the sheet (the wizard's page
has the same name), the row and the field, and what is allowed (target I4: "the row report
gives sheet!cell for every error"). Passwords are never part of a plan: the administrator's is
typed in the wizard or at the command line, never written into a file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from govdesk.core.auth import check_login, normalise_login
from govdesk.core.org import BoardKind, CommunityKind, Role, Township

# Sheet names of the setup file; the wizard's pages and the error reports use the same words.
SHEET_TOWNSHIP = "乡镇信息"
SHEET_UNITS = "科室站所"
SHEET_COMMUNITIES = "社区村"
SHEET_BOARDS = "公开栏"
SHEET_USERS = "用户"
SHEETS = (SHEET_TOWNSHIP, SHEET_UNITS, SHEET_COMMUNITIES, SHEET_BOARDS, SHEET_USERS)

# The rows of the 乡镇信息 sheet: field → label.
TOWNSHIP_FIELDS = (
    ("full_name", "全称"),
    ("short_name", "简称"),
    ("credit_code", "统一社会信用代码"),
    ("address", "地址"),
    ("phone", "监督电话"),
)

NAME_MAX = 40  # as operations.org allows for unit/community/board names
TOWNSHIP_NAME_MAX = 60
SHORT_NAME_MAX = 20
PERSON_NAME_MAX = 20  # as operations.auth allows
CODE_MAX = 20
TEXT_MAX = 100
MAX_ROWS = 1000  # a township has tens of each; anything near this is not a setup sheet (I4)
PAPERS = ("A4", "A3")

# Suggestions the wizard and the template start from (the office deletes or renames freely):
# the units of migration 0002 plus the two the seeds' townships name most often.
SUGGESTED_UNITS = (
    "党政办", "民政办", "财政所", "劳动站", "城建办", "农业农村办", "社会事务办", "综治办",
    "经管站", "退役军人服务站",
)

# GB 32100-2015 统一社会信用代码: 18 characters from this alphabet (no I, O, S, V, Z); the last
# is a check character: 31 − (Σ value × 3^i mod 31) mod 31 over the first 17.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_PHONE_RE = re.compile(r"[0-9０-９\-－—()（）+ ,，、/转]*")


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters (which must be valid)."""
    total = sum(CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, _CREDIT_WEIGHTS,
                                                                      strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid 统一社会信用代码, or None."""
    if len(code) != 18:
        return f"应为 18 位（现在是 {len(code)} 位）"
    bad = sorted({ch for ch in code if ch not in CREDIT_CODE_ALPHABET})
    if bad:
        return ("含有不允许的字符“" + "".join(bad) + "”（只能是数字和大写字母，"
                "且不含 I、O、S、V、Z）")
    if credit_code_check_char(code[:17]) != code[17]:
        return "校验位不对，请对照营业执照或登记证书逐位核对"
    return None


def same_name_key(name: str) -> str:
    """Two names the office would take for the same: full-width/half-width and surrounding
    spaces ignored (NFKC + trim, target I4)."""
    return unicodedata.normalize("NFKC", name).strip()


def clean(text: object) -> str:
    """A typed or imported value as the plan keeps it: NFKC, trimmed (I4)."""
    if text is None:
        return ""
    return unicodedata.normalize("NFKC", str(text)).strip()


# ---------------------------------------------------------------------------------- the plan

@dataclass(frozen=True, slots=True)
class PlanUnit:
    name: str
    row: int | None = None  # where it came from (sheet or wizard table row, 1-based)


@dataclass(frozen=True, slots=True)
class PlanCommunity:
    name: str
    kind: str = CommunityKind.NEIGHBOURHOOD.value
    row: int | None = None


@dataclass(frozen=True, slots=True)
class PlanBoard:
    code: str
    name: str
    kind: str
    location: str = ""
    owner: str = ""  # the name of a unit or a community of the plan
    paper: str = "A4"
    row: int | None = None


@dataclass(frozen=True, slots=True)
class PlanAccount:
    login: str
    name: str
    role: str = Role.ADMIN.label  # a Role value or its Chinese label
    unit: str = ""  # the name of a unit of the plan, or empty
    row: int | None = None


@dataclass(frozen=True, slots=True)
class SetupPlan:
    township: Township = field(default_factory=Township)
    units: tuple[PlanUnit, ...] = ()
    communities: tuple[PlanCommunity, ...] = ()
    boards: tuple[PlanBoard, ...] = ()
    admin: PlanAccount = field(default_factory=lambda: PlanAccount("admin", ""))
    accounts: tuple[PlanAccount, ...] = ()  # more accounts; they get one-time passwords


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake: the sheet (= wizard page), the row (None for 乡镇信息 and the
    administrator), the field's Chinese label, and what is wrong and allowed."""

    sheet: str
    row: int | None
    field: str
    message: str
    cell: str | None = None  # "B5" when the plan came from a file

    @property
    def text(self) -> str:
        if self.cell:
            return f"{self.sheet}!{self.cell}（{self.field}）：{self.message}"
        if self.row is not None:
            return f"“{self.sheet}”第 {self.row} 行“{self.field}”：{self.message}"
        return f"“{self.sheet}”的“{self.field}”：{self.message}"


def board_kinds() -> tuple[str, ...]:
    return tuple(k.value for k in BoardKind)


def community_kinds() -> tuple[str, ...]:
    return tuple(k.value for k in CommunityKind)


def role_labels() -> tuple[str, ...]:
    return tuple(r.label for r in Role)


def role_of(text: str) -> Role | None:
    try:
        return Role.from_text(text)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------- validation

def _row(item_row: int | None, index: int) -> int:
    return item_row if item_row is not None else index


def _check_name(out: list[Problem], sheet: str, row: int | None, label: str, value: str,
                limit: int, *, required: bool = True) -> None:
    if not value:
        if required:
            out.append(Problem(sheet, row, label, "不能为空"))
    elif len(value) > limit:
        out.append(Problem(sheet, row, label, f"最多 {limit} 个字（现在 {len(value)} 个字）"))


def _duplicates(out: list[Problem], sheet: str, label: str,
                items: Iterable[tuple[int, str]], key=same_name_key) -> None:
    seen: dict[str, int] = {}
    for row, value in items:
        if not value:
            continue
        k = key(value)
        if k in seen:
            out.append(Problem(sheet, row, label,
                               f"“{value}”与第 {seen[k]} 行重复，每个{label}只能出现一次"))
        else:
            seen[k] = row


def _check_township(out: list[Problem], t: Township) -> None:
    s = SHEET_TOWNSHIP
    full = clean(t.full_name)
    if not full:
        out.append(Problem(s, None, "全称", "不能为空，请填写本乡镇人民政府的全称"
                                            "（如：××县××镇人民政府）"))
    elif len(full) > TOWNSHIP_NAME_MAX:
        out.append(Problem(s, None, "全称", f"最多 {TOWNSHIP_NAME_MAX} 个字"))
    _check_name(out, s, None, "简称", clean(t.short_name), SHORT_NAME_MAX, required=False)
    code = clean(t.credit_code)
    if code:
        why = credit_code_problem(code)
        if why:
            out.append(Problem(s, None, "统一社会信用代码", why))
    _check_name(out, s, None, "地址", clean(t.address), TEXT_MAX, required=False)
    phone = clean(t.phone)
    if len(phone) > 40:
        out.append(Problem(s, None, "监督电话", "最多 40 个字符"))
    elif not _PHONE_RE.fullmatch(phone):
        out.append(Problem(s, None, "监督电话",
                           "只能填写电话号码（数字、短横线、括号；几个号码用顿号分开）"))


def _check_account(out: list[Problem], sheet: str, row: int | None, a: PlanAccount,
                   units: set[str], *, admin: bool) -> None:
    try:
        check_login(a.login)
    except ValueError as exc:
        out.append(Problem(sheet, row, "登录名", str(exc).replace("“登录名”", "")
                           or "格式不对"))
    _check_name(out, sheet, row, "姓名", clean(a.name), PERSON_NAME_MAX)
    role = role_of(a.role)
    if role is None:
        out.append(Problem(sheet, row, "角色",
                           f"“{a.role}”不是可选的角色，可选：{'、'.join(role_labels())}"))
    elif admin and role is not Role.ADMIN:
        out.append(Problem(sheet, row, "角色", "第一个账号必须是管理员"))
    unit = clean(a.unit)
    if unit and same_name_key(unit) not in units:
        out.append(Problem(sheet, row, "所在科室站所",
                           f"“{unit}”不在“{SHEET_UNITS}”中，请先在那里添加，或留空"))


def validate_plan(plan: SetupPlan) -> list[Problem]:
    """Every problem of ``plan``, in sheet order, or [] when it can be applied."""
    out: list[Problem] = []
    _check_township(out, plan.township)

    for sheet, items in ((SHEET_UNITS, plan.units), (SHEET_COMMUNITIES, plan.communities),
                         (SHEET_BOARDS, plan.boards), (SHEET_USERS, plan.accounts)):
        if len(items) > MAX_ROWS:
            out.append(Problem(sheet, None, "行数", f"最多 {MAX_ROWS} 行（现在 {len(items)} 行）"))
    if out and any(p.field == "行数" for p in out):
        return out

    s = SHEET_UNITS
    if not plan.units:
        out.append(Problem(s, None, "名称", "至少要有一个科室站所（如党政办）"))
    for i, u in enumerate(plan.units, 1):
        _check_name(out, s, _row(u.row, i), "名称", clean(u.name), NAME_MAX)
    _duplicates(out, s, "名称", ((_row(u.row, i), clean(u.name))
                                 for i, u in enumerate(plan.units, 1)))

    s = SHEET_COMMUNITIES
    kinds = community_kinds()
    for i, c in enumerate(plan.communities, 1):
        row = _row(c.row, i)
        _check_name(out, s, row, "名称", clean(c.name), NAME_MAX)
        if clean(c.kind) not in kinds:
            out.append(Problem(s, row, "类型", f"“{c.kind}”不可用，只能是“社区”或“村”"))
    _duplicates(out, s, "名称", ((_row(c.row, i), clean(c.name))
                                 for i, c in enumerate(plan.communities, 1)))

    unit_names = {same_name_key(u.name) for u in plan.units if clean(u.name)}
    community_names = {same_name_key(c.name) for c in plan.communities if clean(c.name)}
    s = SHEET_BOARDS
    kinds = board_kinds()
    for i, b in enumerate(plan.boards, 1):
        row = _row(b.row, i)
        code = clean(b.code)
        _check_name(out, s, row, "编号", code, CODE_MAX)
        if code and any(ch.isspace() for ch in code):
            out.append(Problem(s, row, "编号", "不能包含空格（如 CW-01）"))
        _check_name(out, s, row, "名称", clean(b.name), NAME_MAX)
        if clean(b.kind) not in kinds:
            out.append(Problem(s, row, "类型",
                               f"“{b.kind}”不可用，可选：{'、'.join(kinds)}" if clean(b.kind)
                               else f"不能为空，可选：{'、'.join(kinds)}"))
        _check_name(out, s, row, "位置", clean(b.location), TEXT_MAX, required=False)
        owner = same_name_key(b.owner)
        if not owner:
            out.append(Problem(s, row, "所属", "请填写公开栏所属的社区/村或科室站所"))
        elif owner in unit_names and owner in community_names:
            out.append(Problem(s, row, "所属", f"“{owner}”既是科室站所又是社区/村的名称，"
                                             "请把其中一个改名以便区分"))
        elif owner not in unit_names and owner not in community_names:
            out.append(Problem(s, row, "所属", f"“{owner}”既不在“{SHEET_COMMUNITIES}”中，"
                                             f"也不在“{SHEET_UNITS}”中"))
        if clean(b.paper or "A4").upper() not in PAPERS:
            out.append(Problem(s, row, "打印纸张", "只能是 A4 或 A3"))
    # Board codes are what people type and print: one code, whatever its case or width.
    _duplicates(out, s, "编号", ((_row(b.row, i), clean(b.code))
                                 for i, b in enumerate(plan.boards, 1)),
                key=lambda v: same_name_key(v).casefold())

    s = SHEET_USERS
    _check_account(out, s, plan.admin.row, plan.admin, unit_names, admin=True)
    for i, a in enumerate(plan.accounts, 1):
        _check_account(out, s, _row(a.row, i + 1), a, unit_names, admin=False)
    # S8: one identity per person — logins equal after NFKC, case-folding and trimming clash.
    admin_key = normalise_login(plan.admin.login)
    seen: dict[str, int] = {}
    for i, a in enumerate(plan.accounts, 1):
        key, row = normalise_login(a.login), _row(a.row, i + 1)
        if not key:
            continue
        if key == admin_key:
            out.append(Problem(s, row, "登录名", f"“{clean(a.login)}”与管理员的登录名相同"
                                               "（不分大小写、全角半角），每人的登录名只能用一次"))
        elif key in seen:
            out.append(Problem(s, row, "登录名", f"“{clean(a.login)}”与第 {seen[key]} 行重复"
                                               "（不分大小写、全角半角），每人的登录名只能用一次"))
        else:
            seen[key] = row
    return out


def problems_text(problems: Iterable[Problem]) -> list[str]:
    return [p.text for p in problems]


def owner_kind(plan: SetupPlan, owner: str) -> str:
    """"unit" or "community" for a board's owner name (of a valid plan)."""
    key = same_name_key(owner)
    return "unit" if key in {same_name_key(u.name) for u in plan.units} else "community"
