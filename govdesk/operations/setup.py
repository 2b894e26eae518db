"""首次使用向导 (issue 7, item 6): set up the real township on an empty database in one go —
profile, units, communities, boards, the administrator and further accounts, the default
考核细则 of the current year — or write/read the setup sheet that carries the same.

Who may do it: nobody is signed in on an empty database, so, as with auth.create_user's first
account, the gate is the database itself — apply_setup refuses once any account exists (S6's
"deny by default" holds: there is no state to protect yet, and afterwards it can never run
again). Everything after the administrator's creation runs as that administrator, through the
ordinary operations with their own checks and audit rows, inside one transaction: a failure
anywhere leaves the database as it was (I5 / D7).

The default 公开目录 (categories and channels) comes from migration 0002 and is kept as it is;
the office edits it under 设置 later. Units of that migration the plan leaves out are deleted
(nothing can use them yet), and the plan's order becomes the units' order.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from pathlib import Path

from govdesk.core.auth import check_new_password
from govdesk.core.errors import UserError, ValidationErrors
from govdesk.core.org import Role, Township, User
from govdesk.core.setup_plan import (
    SetupPlan,
    clean,
    owner_kind,
    problems_text,
    role_of,
    same_name_key,
    validate_plan,
)
from govdesk.operations import auth, org, scoring
from govdesk.operations.context import Context
from govdesk.store import org_store, user_store

# One-time passwords: 12 characters without look-alikes (0/O, 1/l/I), easy to read off paper.
_OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
OTP_LENGTH = 12


@dataclass(frozen=True, slots=True)
class IssuedAccount:
    """An account made by the setup with a one-time password, for the printed hand-out."""

    login: str
    name: str
    role: str  # Chinese label
    password: str


@dataclass(frozen=True, slots=True)
class SetupResult:
    admin: User
    accounts: tuple[IssuedAccount, ...]
    scheme_year: int


def one_time_password() -> str:
    while True:
        pw = "".join(secrets.choice(_OTP_ALPHABET) for _ in range(OTP_LENGTH))
        try:
            check_new_password(pw)
        except ValueError:
            continue
        return pw


def is_empty(ctx: Context) -> bool:
    """No account, community or board yet: the first-run wizard may set the township up."""
    return (user_store.count_users(ctx.db) == 0 and not org_store.list_communities(ctx.db)
            and not org_store.list_boards(ctx.db))


def check_plan(plan: SetupPlan, admin_password: str | None = None) -> None:
    """Raise ValidationErrors listing every problem of ``plan`` (and of the password)."""
    problems = problems_text(validate_plan(plan))
    if admin_password is not None:
        try:
            check_new_password(admin_password)
        except ValueError as exc:
            problems.append(f"管理员密码：{exc}")
    if problems:
        raise ValidationErrors(problems, title="设置内容有误，未做任何修改")


def apply_setup(ctx: Context, plan: SetupPlan, admin_password: str) -> SetupResult:
    """Set up the township of an empty database from ``plan`` (see module docstring).
    ``ctx.user`` is left as it was: the office signs in afterwards like any day."""
    if user_store.count_users(ctx.db) > 0:
        raise UserError("本数据库已经设置过（已有用户账号），不能再次进行首次设置。"
                        "如需修改乡镇信息、社区或公开栏，请以管理员身份登录后在“设置”中修改。")
    if not is_empty(ctx):
        raise UserError("本数据库中已有社区/村或公开栏，不能进行首次设置。"
                        "请换一个新的数据库文件，或以管理员身份登录后在“设置”中修改。")
    check_plan(plan, admin_password)
    year = ctx.today().year
    issued = tuple(
        IssuedAccount(auth.normalise_login(a.login), clean(a.name),
                      role_of(a.role).label,  # type: ignore[union-attr]  # validated above
                      one_time_password())
        for a in plan.accounts
    )
    previous_user = ctx.user
    try:
        with ctx.db.atomic():
            admin = auth.create_user(ctx, plan.admin.login, clean(plan.admin.name), Role.ADMIN,
                                     admin_password)
            ctx.user = admin
            ctx.audit("setup", "township", 1, units=len(plan.units),
                      communities=len(plan.communities), boards=len(plan.boards),
                      accounts=1 + len(plan.accounts), scheme_year=year)
            org.update_township(ctx, _township(plan.township))
            units = _apply_units(ctx, plan)
            communities: dict[str, int] = {}
            for i, c in enumerate(plan.communities, 1):
                communities[same_name_key(c.name)] = org.save_org_item(
                    ctx, "community", {"name": clean(c.name), "kind": clean(c.kind), "sort": i})
            for b in plan.boards:
                values: dict[str, object] = {
                    "code": clean(b.code), "name": clean(b.name), "kind": clean(b.kind),
                    "location": clean(b.location), "paper": clean(b.paper or "A4").upper(),
                }
                key = same_name_key(b.owner)
                if owner_kind(plan, b.owner) == "unit":
                    values["unit_id"] = units[key]
                else:
                    values["community_id"] = communities[key]
                org.save_org_item(ctx, "board", values)
            admin_unit = units.get(same_name_key(plan.admin.unit)) if clean(plan.admin.unit) \
                else None
            if admin_unit is not None:
                admin = auth.update_user(ctx, admin.id, name=admin.name, role=Role.ADMIN,
                                         unit_id=admin_unit, active=True)
            for a, out in zip(plan.accounts, issued, strict=True):
                unit_id = units.get(same_name_key(a.unit)) if clean(a.unit) else None
                auth.create_user(ctx, a.login, out.name, Role.from_text(a.role), out.password,
                                 unit_id)
            scoring.ensure_scheme(ctx, year)
    finally:
        ctx.user = previous_user
    return SetupResult(admin, issued, year)


def _township(t: Township) -> Township:
    return replace(t, full_name=clean(t.full_name), short_name=clean(t.short_name),
                   credit_code=clean(t.credit_code), address=clean(t.address),
                   phone=clean(t.phone))


def _apply_units(ctx: Context, plan: SetupPlan) -> dict[str, int]:
    existing = {same_name_key(u.name): u for u in org_store.list_units(ctx.db)}
    wanted = [clean(u.name) for u in plan.units]
    keys = {same_name_key(n) for n in wanted}
    for key, unit in existing.items():
        if key not in keys:
            org.delete_org_item(ctx, "unit", unit.id)  # unused: the database is empty
    out: dict[str, int] = {}
    for i, name in enumerate(wanted, 1):
        key = same_name_key(name)
        found = existing.get(key)
        if found is None:
            out[key] = org.save_org_item(ctx, "unit", {"name": name, "sort": i})
        else:
            if found.sort != i or found.name != name or not found.active:
                org.save_org_item(ctx, "unit", {"name": name, "sort": i, "active": True},
                                  found.id)
            out[key] = found.id
    return out


# ---------------------------------------------------------------------------- the setup sheet

def write_setup_template(path: str | Path, plan: SetupPlan | None = None) -> Path:
    """Write the 首次设置表格 (empty but for the usual units, or filled from ``plan``)."""
    from govdesk.export.setup_sheet import write_setup_sheet

    write_setup_sheet(path, plan)
    return Path(path)


@dataclass(frozen=True, slots=True)
class LoadedPlan:
    plan: SetupPlan
    problems: tuple[str, ...]  # "社区村!B5（类型）：……", in sheet order
    warnings: tuple[str, ...]


def load_setup_file(path: str | Path) -> LoadedPlan:
    """Read a setup sheet for the wizard: the plan as typed, with every problem located by
    sheet!cell but not refused, so the office can correct it on the wizard's pages. Files that
    cannot be read at all (I1–I3) raise UserError."""
    from govdesk.export.setup_sheet import read_setup_sheet

    loaded = read_setup_sheet(path)
    problems = [*loaded.problems, *validate_plan(loaded.plan)]
    return LoadedPlan(loaded.plan, tuple(loaded.locate(p).text for p in problems),
                      loaded.warnings)


def read_setup_file(path: str | Path) -> SetupPlan:
    """Read a setup sheet, all or nothing: any problem → ValidationErrors listing each with
    its sheet!cell (target I4)."""
    loaded = load_setup_file(path)
    if loaded.problems:
        raise ValidationErrors(list(loaded.problems),
                               title=f"“{Path(path).name}”中有 {len(loaded.problems)} 处需要修改，"
                                     "未导入任何内容")
    return loaded.plan


def import_setup_file(ctx: Context, path: str | Path, admin_password: str) -> SetupResult:
    """``govdesk setup import``: read the sheet and apply it in one transaction."""
    return apply_setup(ctx, read_setup_file(path), admin_password)
