"""Run a user action and show an expected UserError as a message instead of crashing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from govdesk.core.errors import UserError
from govdesk.gui import messages

T = TypeVar("T")


def attempt(parent: QWidget | None, action: Callable[[], T]) -> T | None:
    """Call ``action``; on UserError show its Chinese message and return None."""
    try:
        return action()
    except UserError as exc:
        messages.warn(parent, exc.message)
        return None
