"""Write a file (PDF, xlsx, CSV) atomically: build it into a temporary file in the target's folder, then
``os.replace`` it onto the target. A failed print never leaves a half-written PDF and never
destroys the previous one; a target that is open in a PDF viewer (locked on Windows) gives a
Chinese UserError instead of a traceback."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from govdesk.core.errors import UserError

__all__ = ["write_atomically"]

T = TypeVar("T")


def write_atomically(path: str | os.PathLike[str], write: Callable[[BinaryIO], T], *,
                     action: str = "打印") -> T:
    """Call ``write`` with a binary file object for a temporary file next to ``path``; when it
    returns, flush, fsync and move the file onto ``path``. Returns what ``write`` returned.

    Errors: the folder missing or not writable, the target locked, disk full … → UserError
    (Chinese); the temporary file is removed and an existing target is left as it was.
    Exceptions raised by ``write`` itself propagate unchanged (after the clean-up)."""
    target = Path(os.fspath(path))
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.stem[:40]}.", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:  # missing folder, no write permission, read-only USB stick
        raise UserError(
            f"无法在该文件夹中写入文件：{target.parent}（{exc.strerror or exc}）"
        ) from exc
    try:
        with open(fd, "wb") as fh:
            result = write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if os.name == "posix":  # mkstemp creates 0600; give the PDF the usual permissions
            try:
                mode = os.stat(target).st_mode & 0o777
            except OSError:
                mode = 0o644
            os.chmod(tmp_name, mode)
        try:
            os.replace(tmp_name, target)
        except PermissionError as exc:  # Windows: the PDF is open in a viewer
            raise UserError(f"文件被其他程序占用，请先关闭后再{action}：{target.name}") from exc
        return result
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError) and not isinstance(exc, UserError):
            # Disk full, target is a folder, USB stick pulled out …: the old file is untouched.
            raise UserError(
                f"写入文件失败：{target.name}（{exc.strerror or exc}），原文件未改动"
            ) from exc
        raise
