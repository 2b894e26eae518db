"""What every user action runs with: the database, the signed-in user, the calendar, the clock.

Every state-changing operation declares a permission with @requires (deny by default, target S6);
a refused call raises PermissionDenied and leaves an audit row "denied".
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from sqlite_utils import Database

from govdesk.core.calendar import WorkCalendar
from govdesk.core.errors import DiskFull, PermissionDenied
from govdesk.core.org import Role, User
from govdesk.store import audit_store, org_store

P = ParamSpec("P")
R = TypeVar("R")


def utc_now() -> datetime:
    return datetime.now(UTC)


STEP_UP_AFTER = timedelta(minutes=5)


def _redacted(value: object) -> object:
    """A11: the audit log never holds a full 身份证号, mobile or card number — not even in the
    before/after image of a notice that contained one. The content hash in the payload (and in
    the slip) still pins the exact text."""
    from govdesk.core.screening import redact

    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redacted(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redacted(v) for v in value]
    return value


@dataclass
class Context:
    db: Database
    user: User | None = None
    clock: Callable[[], datetime] = utc_now
    files_dir: Path | None = None  # where managed files (board photos) live
    # When the user last typed their password (sign-in or step-up); decisions older than
    # STEP_UP_AFTER ask for it again (target S5).
    authenticated_at: datetime | None = None
    _calendar: WorkCalendar | None = field(default=None, repr=False)

    @property
    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = WorkCalendar(org_store.calendar_overrides(self.db))
        return self._calendar

    def reload_calendar(self) -> None:
        self._calendar = None

    def now_utc(self) -> str:
        return self.clock().astimezone(UTC).isoformat(timespec="seconds")

    def today(self) -> date:
        # Deadlines are in the office's local time; the PC's clock is set to Beijing time.
        return self.clock().astimezone().date()

    def recently_authenticated(self) -> bool:
        return (
            self.authenticated_at is not None
            and timedelta(0) <= self.clock() - self.authenticated_at <= STEP_UP_AFTER
        )

    @property
    def actor_id(self) -> int | None:
        return self.user.id if self.user else None

    def audit(self, action: str, object_type: str, object_id: object, **payload: object) -> None:
        audit_store.append(
            self.db, ts_utc=self.now_utc(), actor_id=self.actor_id, action=action,
            object_type=object_type, object_id=object_id, payload=_redacted(payload),
        )


STAFF = frozenset({Role.ADMIN, Role.CLERK, Role.UNIT_HEAD})
APPROVERS = frozenset(
    {Role.UNIT_HEAD, Role.SECRECY_OFFICER, Role.DEPUTY_LEADER, Role.PRINCIPAL_LEADER}
)

# permission → roles allowed. The admin manages accounts and settings, and in a two-person office
# also does the clerk's registering and posting, but never approves content (相互制约).
PERMISSIONS: dict[str, frozenset[Role]] = {
    "users.manage": frozenset({Role.ADMIN}),
    "settings.manage": frozenset({Role.ADMIN}),
    "notice.edit": STAFF,
    "notice.approve": APPROVERS,
    "notice.publish": STAFF,
    "posting.manage": STAFF,
    # 纸质签批（代录）: the clerk enters what a leader signed on paper; the signer's own rights
    # are checked separately (core.approvals.decide_problem).
    "slip.record_paper": STAFF,
    # 一键遮盖 personal information: the drafter, or the 保密审查员 during the review
    "screening.mask": STAFF | {Role.SECRECY_OFFICER},
    # the monthly 保密审查汇总表: whoever registers, reviews or signs off (not the account admin)
    "report.secrecy": (STAFF - {Role.ADMIN}) | APPROVERS,
    "account.self": frozenset(Role),
    # 操作日志: reading the log shows every account's actions, so only the admin (等保 审计管理).
    "audit.view": frozenset({Role.ADMIN}),
    # 月抽查、季考核: the 党政办 enters checks and keeps the 考核细则; the communities it scores
    # (科室/社区负责人) and the leaders who approve notices do not score.
    "assessment.manage": frozenset({Role.ADMIN, Role.CLERK}),
    # 依申请公开: the 党政办 registers and answers applications and sees the applicant's
    # personal information; everyone else sees the clock and a masked name.
    "request.manage": frozenset({Role.ADMIN, Role.CLERK}),
    # 政府信息公开工作年度报告 (条例第四条: the office compiles it); leaders read it without one.
    "report.annual": frozenset({Role.ADMIN, Role.CLERK}),
    # 年度实施方案: the 党政办 breaks the county's 工作要点 into tasks (seed 003); each unit's
    # progress is reported under "notice.edit" (operations.work_plan).
    "plan.manage": frozenset({Role.ADMIN, Role.CLERK}),
}

PERMISSION_LABELS = {
    "users.manage": "管理用户",
    "settings.manage": "修改设置",
    "notice.edit": "登记和修改信息",
    "notice.approve": "审批信息",
    "notice.publish": "发布信息",
    "posting.manage": "张贴和撤下",
    "slip.record_paper": "代录纸质签批",
    "screening.mask": "遮盖个人信息",
    "report.secrecy": "查看保密审查汇总表",
    "account.self": "修改本人密码",
    "audit.view": "查看和校验操作日志",
    "assessment.manage": "录入考核检查和修改考核细则",
    "request.manage": "登记和办理政府信息公开申请",
    "report.annual": "编写政府信息公开年度报告",
    "plan.manage": "编制政务公开工作实施方案",
}

# Every mutating operation, by qualified name → permission (for the registry test).
REGISTRY: dict[str, str] = {}


DISK_FULL = ("磁盘空间不足，本次操作未完成（未写完的修改已自动撤销）。请清理数据所在的磁盘"
             "（删除不需要的文件、清空回收站）后再试。")


def is_disk_full(exc: BaseException) -> bool:
    """SQLite's SQLITE_FULL ("database or disk is full"): the disk, or max_page_count (D4)."""
    return isinstance(exc, sqlite3.OperationalError) and (
        getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
        or "database or disk is full" in str(exc)
    )


def failure_message(exc: BaseException) -> str | None:
    """The Chinese message for a failure of the disk or of the database file that reached the
    UI as something other than a UserError (an OSError from a file being written, a SQLite I/O
    error); None for anything else, which is a bug for the crash dialog. The caller keeps what
    the user typed (B9)."""
    import errno

    from govdesk.store.database import sqlite_reason

    if is_disk_full(exc):
        return DISK_FULL
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return DISK_FULL
        if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
            reason = "没有写入权限，或文件被其他程序占用"
        else:
            reason = exc.strerror or str(exc)
        where = f"（{Path(exc.filename).name}）" if exc.filename else ""
        return f"读写文件出错{where}：{reason}。本次操作未完成。"
    if isinstance(exc, sqlite3.DatabaseError):
        return f"数据库读写出错：{sqlite_reason(exc)}。本次操作未完成（未写完的修改已自动撤销）。"
    return None


def can(user: User | None, permission: str) -> bool:
    return user is not None and user.active and user.role in PERMISSIONS[permission]


def requires(
    permission: str,
) -> Callable[[Callable[Concatenate[Context, P], R]], Callable[Concatenate[Context, P], R]]:
    assert permission in PERMISSIONS, permission

    def decorate(func: Callable[Concatenate[Context, P], R]) -> Callable[Concatenate[Context, P], R]:
        REGISTRY[f"{func.__module__}.{func.__qualname__}"] = permission

        @functools.wraps(func)
        def wrapper(ctx: Context, *args: P.args, **kwargs: P.kwargs) -> R:
            if not can(ctx.user, permission):
                if ctx.user is None:
                    raise PermissionDenied("请先登录")
                with ctx.db.atomic():
                    ctx.audit("denied", "operation", func.__name__, permission=permission)
                raise PermissionDenied(
                    f"{ctx.user.role.label}“{ctx.user.name}”没有{PERMISSION_LABELS[permission]}的权限"
                )
            try:
                return func(ctx, *args, **kwargs)
            except sqlite3.OperationalError as exc:
                # D4: a full disk rolls the transaction back (db.atomic); the user gets a
                # Chinese message instead of a crash dialog with "database or disk is full".
                if is_disk_full(exc):
                    raise DiskFull(DISK_FULL) from exc
                raise

        wrapper.permission = permission  # type: ignore[attr-defined]
        return wrapper

    return decorate


def open_like(ctx: Context) -> Context:
    """The same user, clock and files on a second connection to the same database, for work
    done on another thread."""
    from govdesk.store.database import connect, path_of

    db = connect(path_of(ctx.db), migrate=False, check=False)
    return Context(db, user=ctx.user, clock=ctx.clock, files_dir=ctx.files_dir,
                   authenticated_at=ctx.authenticated_at)
