"""The two kinds of error: UserError is expected and shown to the user; anything else is a bug."""

from __future__ import annotations


class UserError(Exception):
    """Expected error with a Chinese message for the user (which row, which field, what to do)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(UserError):
    """The signed-in user's role does not allow the action (deny by default, target S6)."""


class DiskFull(UserError):
    """The disk (or the database's page limit) is full: nothing was written, and no row or
    field is to blame (target D4)."""


class NotFound(UserError):
    """A record the user refers to does not exist (any more)."""


class ValidationErrors(UserError):
    """Several invalid fields or rows at once, e.g. an import: every problem is listed."""

    def __init__(self, problems: list[str], *, title: str = "数据有误，未做任何修改") -> None:
        self.problems = list(problems)
        shown = "\n".join(self.problems[:50])
        more = f"\n……另有 {len(self.problems) - 50} 处问题" if len(self.problems) > 50 else ""
        super().__init__(f"{title}：\n{shown}{more}")
