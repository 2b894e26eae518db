"""Sign-in rules that do not depend on a hashing library: lockout (target S3) and login names."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_FAILURES = 5
LOCK_MINUTES = 15
PASSWORD_MIN = 8
PASSWORD_MAX = 128
LOGIN_MAX = 32
GENERIC_FAILURE = "用户名或密码错误"


def normalise_login(login: str) -> str:
    # S8: one identity per person; 全角 and 半角, upper and lower case are the same login.
    return unicodedata.normalize("NFKC", login).strip().casefold()


def normalise_password(password: str) -> str:
    # S7: full-width and half-width input of the same password must both verify.
    return unicodedata.normalize("NFKC", password)


def check_login(login: str) -> str:
    norm = normalise_login(login)
    if not norm:
        raise ValueError("“登录名”不能为空")
    if len(norm) > LOGIN_MAX:
        raise ValueError(f"“登录名”最多 {LOGIN_MAX} 个字符")
    if any(ch.isspace() for ch in norm):
        raise ValueError("“登录名”不能包含空格")
    return norm


COMMON_PASSWORDS = frozenset(
    {
        "12345678", "123456789", "1234567890", "88888888", "66666666", "11111111", "00000000",
        "password", "password1", "passw0rd", "qwertyui", "qwerty123", "woaini1314", "woaini520",
        "a1234567", "abc12345", "abcd1234", "admin123", "admin888", "iloveyou", "zhang123",
        "wang1234", "11223344", "12341234", "1qaz2wsx", "asdfghjk", "zxcvbnm1", "aa123456",
    }
)


def check_new_password(password: str) -> None:
    pw = normalise_password(password)
    if len(pw) < PASSWORD_MIN:
        raise ValueError(f"密码至少 {PASSWORD_MIN} 位")
    if len(pw) > PASSWORD_MAX:
        raise ValueError(f"密码最多 {PASSWORD_MAX} 位")
    if pw.casefold() in COMMON_PASSWORDS or len(set(pw)) <= 2:
        raise ValueError("密码过于简单（如 12345678、88888888），请换一个")


@dataclass(frozen=True, slots=True)
class LockState:
    failed_count: int
    locked_until: datetime | None

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def after_failure(self, now: datetime) -> LockState:
        # S3: 5 consecutive failures lock the account for 15 minutes; the counter lives in the
        # database, so a restart does not reset it.
        count = self.failed_count + 1
        if count >= MAX_FAILURES:
            return LockState(0, now + timedelta(minutes=LOCK_MINUTES))
        return LockState(count, self.locked_until)

    def minutes_left(self, now: datetime) -> int:
        if self.locked_until is None:
            return 0
        seconds = (self.locked_until - now).total_seconds()
        return max(1, int(seconds // 60) + (1 if seconds % 60 else 0))
