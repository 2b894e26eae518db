"""guard.attempt: a failure of the disk or the database file is a Chinese message that keeps the
window and what it holds (B9); anything else is a bug for the crash dialog."""

from __future__ import annotations

import errno
import sqlite3

import pytest

from govdesk.core.errors import UserError
from govdesk.gui import guard, messages


@pytest.fixture
def shown(monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda parent, text, *a, **k: seen.append(text))
    return seen


def _raise(exc):
    def action():
        raise exc
    return action


@pytest.mark.parametrize("exc, expected", [
    (UserError("标题不能为空", field="标题"), "标题不能为空"),
    (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
    (PermissionError(errno.EACCES, "Permission denied", "公开信息.pdf"),
     "读写文件出错（公开信息.pdf）：没有写入权限，或文件被其他程序占用"),
    (OSError(errno.EIO, "Input/output error"), "读写文件出错：Input/output error"),
    (sqlite3.OperationalError("database or disk is full"), "磁盘空间不足"),
    (sqlite3.OperationalError("disk I/O error"), "数据库读写出错"),
])
def test_expected_failures_are_messages(qtbot, shown, exc, expected):
    assert guard.attempt(None, _raise(exc)) is None
    assert expected in shown[-1]
    assert "Traceback" not in shown[-1]


def test_a_bug_still_reaches_the_crash_dialog(qtbot, shown):
    with pytest.raises(KeyError):
        guard.attempt(None, _raise(KeyError("x")))
    assert shown == []


def test_success_returns_the_result(qtbot, shown):
    assert guard.attempt(None, lambda: 42) == 42 and shown == []
