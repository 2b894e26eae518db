from datetime import timedelta

import pytest
from conftest import PASSWORD

from govdesk.core.errors import PermissionDenied, UserError
from govdesk.core.org import Role
from govdesk.operations import auth
from govdesk.operations.context import Context
from govdesk.store.database import connect


def test_first_account_must_be_admin(ctx):
    with pytest.raises(UserError, match="管理员"):
        auth.create_user(ctx, "clerk", "刘欣", Role.CLERK, PASSWORD)
    admin = auth.create_user(ctx, "admin", "管理员", Role.ADMIN, PASSWORD)
    assert admin.role is Role.ADMIN


def test_password_is_argon2id_and_never_stored_in_clear(ctx, db_path):
    auth.create_user(ctx, "admin", "管理员", Role.ADMIN, PASSWORD)
    stored = ctx.db.execute("SELECT password_hash FROM user").fetchone()[0]
    assert stored.startswith("$argon2id$v=19$")
    ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert PASSWORD.encode() not in db_path.read_bytes()


def test_only_admin_creates_users(ctx, users):
    with pytest.raises(PermissionDenied):
        auth.create_user(ctx, "x1", "某某", Role.CLERK, PASSWORD)  # ctx is the clerk


def test_duplicate_login_after_normalisation_is_refused(ctx, users):
    ctx.user = users[Role.ADMIN]
    with pytest.raises(UserError, match="已被使用"):
        auth.create_user(ctx, "ＣＬＥＲＫ", "重名", Role.CLERK, PASSWORD)


def test_weak_password_refused(ctx, users):
    ctx.user = users[Role.ADMIN]
    for weak in ("1234567", "12345678", "88888888"):
        with pytest.raises(UserError, match="密码"):
            auth.create_user(ctx, "newone", "新人", Role.CLERK, weak)


def test_full_width_password_verifies(ctx, users):
    login_ctx = Context(ctx.db, clock=ctx.clock)
    full_width = PASSWORD.replace("S", "Ｓ")
    assert auth.sign_in(login_ctx, "clerk", full_width).login == "clerk"


def test_five_failures_lock_for_fifteen_minutes_and_survive_restart(ctx, users, db_path, clock):
    c = Context(ctx.db, clock=clock)
    for _ in range(4):
        with pytest.raises(UserError, match="用户名或密码错误"):
            auth.sign_in(c, "clerk", "wrong-password")
    with pytest.raises(UserError, match="锁定"):
        auth.sign_in(c, "clerk", "wrong-password")
    clock.now += timedelta(minutes=1)
    restarted = Context(connect(db_path), clock=clock)
    with pytest.raises(UserError, match="锁定"):
        auth.sign_in(restarted, "clerk", PASSWORD)  # right password, still locked
    clock.now += timedelta(minutes=15)
    assert auth.sign_in(restarted, "clerk", PASSWORD).login == "clerk"
    actions = [r[0] for r in restarted.db.execute("SELECT action FROM audit_log")]
    assert "login_locked" in actions


def test_unknown_user_gets_the_same_message(ctx, users):
    with pytest.raises(UserError) as info:
        auth.sign_in(Context(ctx.db, clock=ctx.clock), "nobody", PASSWORD)
    assert info.value.message == "用户名或密码错误"


def test_last_admin_cannot_be_demoted(ctx, users):
    ctx.user = users[Role.ADMIN]
    with pytest.raises(UserError, match="管理员"):
        auth.update_user(ctx, users[Role.ADMIN].id, name="管理员", role=Role.CLERK,
                         unit_id=None, active=True)
