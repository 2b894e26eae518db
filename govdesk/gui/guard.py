"""Run a user action and show an expected failure as a message instead of crashing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from govdesk.core.errors import UserError
from govdesk.gui import messages
from govdesk.operations.context import failure_message

T = TypeVar("T")
log = logging.getLogger(__name__)


def attempt(parent: QWidget | None, action: Callable[[], T]) -> T | None:
    """Call ``action``; on a UserError show its Chinese message and return None. A failure of
    the disk or the database file (OSError, SQLite I/O errors: the D4/D5 faults) is shown the
    same way, never as a crash, so the form that asked keeps what the user typed (B9); it is
    logged with its traceback. Anything else is a bug and goes on to the crash dialog."""
    try:
        return action()
    except UserError as exc:
        messages.warn(parent, exc.message)
        return None
    except Exception as exc:  # noqa: BLE001 - narrowed by failure_message below
        message = failure_message(exc)
        if message is None:
            raise
        log.warning("action failed: %s", exc, exc_info=True)
        messages.warn(parent, message)
        return None
