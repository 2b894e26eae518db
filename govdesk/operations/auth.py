"""Signing in and managing user accounts (targets S1, S3, S7, S8)."""

from __future__ import annotations

import functools
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from govdesk.core.auth import (
    GENERIC_FAILURE,
    LockState,
    check_login,
    check_new_password,
    normalise_login,
    normalise_password,
)
from govdesk.core.errors import NotFound, UserError
from govdesk.core.org import Role, User
from govdesk.operations.context import Context, requires
from govdesk.store import org_store, user_store

# argon2-cffi's defaults are RFC 9106's low-memory profile (argon2id, 64 MiB, t=3, p=4), above
# OWASP's minimum (S1).
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    # Made on first use, not at import: hashing costs ~0.2 s, which start-up must not pay.
    return _hasher.hash("govdesk-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(normalise_password(password))


def sign_in(ctx: Context, login: str, password: str) -> User:
    """Check a login and password; on success the context's user is set and returned.

    Unknown user and wrong password give the same message and cost the same hashing time, so the
    dialog tells nothing about which logins exist (S3).
    """
    return _check(ctx, login, password, "login")


def confirm_password(ctx: Context, password: str) -> None:
    """Step-up before a decision (S5): the signed-in user types their password again. Wrong
    passwords count towards the lockout like at the login."""
    if ctx.user is None:
        raise UserError("请先登录")
    _check(ctx, ctx.user.login, password, "reauth")


def _check(ctx: Context, login: str, password: str, action: str) -> User:
    norm = normalise_login(login)
    now = ctx.clock()
    found = user_store.find_by_login(ctx.db, norm)
    if found is None or not found[0].active:
        try:
            _hasher.verify(_dummy_hash(), normalise_password(password) + "x")
        except VerificationError:
            pass
        raise UserError(GENERIC_FAILURE)
    user, stored = found
    state = LockState(
        user.failed_count,
        datetime.fromisoformat(user.locked_until) if user.locked_until else None,
    )
    if state.is_locked(now):
        raise UserError(
            f"连续输错密码次数过多，账号已锁定，请 {state.minutes_left(now)} 分钟后再试，"
            "或请管理员解锁"
        )
    try:
        _hasher.verify(stored, normalise_password(password))
    except (VerifyMismatchError, InvalidHashError, VerificationError):
        after = state.after_failure(now)
        with ctx.db.atomic():
            user_store.update_user(
                ctx.db, user.id, failed_count=after.failed_count,
                locked_until=after.locked_until.isoformat() if after.locked_until else None,
            )
            locked = after.locked_until is not None and after.locked_until != state.locked_until
            ctx.audit("login_locked" if locked else "login_failed", "user", user.id)
        if locked:
            raise UserError("连续 5 次密码错误，账号已锁定 15 分钟") from None
        raise UserError(GENERIC_FAILURE) from None
    with ctx.db.atomic():
        values: dict[str, object] = {
            "failed_count": 0, "locked_until": None, "last_login_at": ctx.now_utc()
        }
        if _hasher.check_needs_rehash(stored):
            values["password_hash"] = hash_password(password)
        user_store.update_user(ctx.db, user.id, **values)
        ctx.user = user_store.get_user(ctx.db, user.id)
        ctx.authenticated_at = now
        ctx.audit(action, "user", user.id)
    assert ctx.user is not None
    return ctx.user


def _check_user_fields(ctx: Context, name: str, unit_id: int | None) -> None:
    if not name.strip():
        raise UserError("“姓名”不能为空", field="姓名")
    if len(name.strip()) > 20:
        raise UserError("“姓名”最多 20 个字", field="姓名")
    if unit_id is not None and unit_id not in {u.id for u in org_store.list_units(ctx.db)}:
        raise UserError("“所在单位”不存在", field="所在单位")


def create_user(
    ctx: Context, login: str, name: str, role: Role, password: str, unit_id: int | None = None,
) -> User:
    """Create an account. The first account of an empty database needs no signed-in admin and
    must be an admin, so the office can never lock itself out."""
    if user_store.count_users(ctx.db) == 0:
        if role is not Role.ADMIN:
            raise UserError("第一个账号必须是管理员", field="角色")
        return _create_user(ctx, login, name, role, password, unit_id)
    return _create_user_as_admin(ctx, login, name, role, password, unit_id)


@requires("users.manage")
def _create_user_as_admin(
    ctx: Context, login: str, name: str, role: Role, password: str, unit_id: int | None
) -> User:
    return _create_user(ctx, login, name, role, password, unit_id)


def _create_user(
    ctx: Context, login: str, name: str, role: Role, password: str, unit_id: int | None
) -> User:
    try:
        norm = check_login(login)
    except ValueError as exc:
        raise UserError(str(exc), field="登录名") from None
    _check_user_fields(ctx, name, unit_id)
    try:
        check_new_password(password)
    except ValueError as exc:
        raise UserError(str(exc), field="密码") from None
    if user_store.find_by_login(ctx.db, norm) is not None:
        raise UserError(f"登录名“{norm}”已被使用", field="登录名")
    hashed = hash_password(password)
    with ctx.db.atomic():
        user_id = user_store.insert_user(
            ctx.db, login=norm, name=name.strip(), role=role, unit_id=unit_id,
            password_hash=hashed, created_at=ctx.now_utc(),
        )
        ctx.audit("create", "user", user_id,
                  after={"login": norm, "name": name.strip(), "role": role.value,
                         "unit_id": unit_id})
    user = user_store.get_user(ctx.db, user_id)
    assert user is not None
    return user


@requires("users.manage")
def update_user(
    ctx: Context, user_id: int, *, name: str, role: Role, unit_id: int | None, active: bool
) -> User:
    before = user_store.get_user(ctx.db, user_id)
    if before is None:
        raise NotFound("用户不存在")
    _check_user_fields(ctx, name, unit_id)
    losing_admin = before.role is Role.ADMIN and before.active and (
        role is not Role.ADMIN or not active
    )
    if losing_admin and user_store.count_active_admins(ctx.db, exclude_id=user_id) == 0:
        raise UserError("至少要保留一个启用的管理员账号", field="角色")
    with ctx.db.atomic():
        user_store.update_user(
            ctx.db, user_id, name=name.strip(), role=role, unit_id=unit_id, active=int(active)
        )
        ctx.audit("update", "user", user_id,
                  before={"name": before.name, "role": before.role.value,
                          "unit_id": before.unit_id, "active": before.active},
                  after={"name": name.strip(), "role": role.value, "unit_id": unit_id,
                         "active": active})
    user = user_store.get_user(ctx.db, user_id)
    assert user is not None
    return user


@requires("users.manage")
def reset_password(ctx: Context, user_id: int, new_password: str) -> None:
    if user_store.get_user(ctx.db, user_id) is None:
        raise NotFound("用户不存在")
    try:
        check_new_password(new_password)
    except ValueError as exc:
        raise UserError(str(exc), field="密码") from None
    hashed = hash_password(new_password)
    with ctx.db.atomic():
        user_store.update_user(
            ctx.db, user_id, password_hash=hashed, failed_count=0, locked_until=None
        )
        ctx.audit("reset_password", "user", user_id)


@requires("users.manage")
def unlock_user(ctx: Context, user_id: int) -> None:
    with ctx.db.atomic():
        user_store.update_user(ctx.db, user_id, failed_count=0, locked_until=None)
        ctx.audit("unlock", "user", user_id)


@requires("account.self")
def change_own_password(ctx: Context, old_password: str, new_password: str) -> None:
    assert ctx.user is not None
    found = user_store.find_by_login(ctx.db, ctx.user.login)
    assert found is not None
    try:
        _hasher.verify(found[1], normalise_password(old_password))
    except (VerificationError, InvalidHashError):
        raise UserError("原密码不正确", field="原密码") from None
    try:
        check_new_password(new_password)
    except ValueError as exc:
        raise UserError(str(exc), field="新密码") from None
    hashed = hash_password(new_password)
    with ctx.db.atomic():
        user_store.update_user(ctx.db, ctx.user.id, password_hash=hashed)
        ctx.audit("change_password", "user", ctx.user.id)


def list_users(ctx: Context) -> list[User]:
    return user_store.list_users(ctx.db)


def has_users(ctx: Context) -> bool:
    return user_store.count_users(ctx.db) > 0


def township_name(ctx: Context) -> str:
    return org_store.get_township(ctx.db).full_name
