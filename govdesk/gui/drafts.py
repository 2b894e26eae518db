"""Keeping what the user typed (target B9), for any form: ``DraftKeeper`` autosaves a draft a
moment after the last edit, writes it at once when a save fails and marks the form unsaved,
deletes it when the save succeeds or the user discards the edits, and offers it back the next
time the same form opens (also after a restart). ``attempt_save`` runs a form's save the way
``guard.attempt`` runs any action, plus that bookkeeping.

A form hands the keeper three functions: ``collect()`` (its values as JSON data), ``apply(fields)``
(fill the widgets from such data) and ``label(fields)`` (how the start-up note names the draft).
The keeper is created after the form has loaded its record, so ``collect()`` at that moment is
the saved state: only values that differ from it are worth a draft.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateTimeEdit,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)

from govdesk.core import drafts as core
from govdesk.core.errors import UserError
from govdesk.gui import guard, messages
from govdesk.operations import drafts as store
from govdesk.operations.context import Context

log = logging.getLogger(__name__)
T = TypeVar("T")

AUTOSAVE_MS = 2000  # after the last keystroke
UNSAVED_SUFFIX = "（未保存）"
FAILED_TEXT = "保存失败，内容未保存；已自动存为草稿，可稍后再保存。"
FAILED_NO_DRAFT_TEXT = ("保存失败，内容未保存；草稿也没能写入磁盘。请不要关闭此窗口，"
                        "腾出磁盘空间后再点“保存”。")
RESTORED_TEXT = "已恢复上次未保存的草稿，核对后请点“保存”。"
_FAILED_STYLE = ("color: #b3261e; background: #fdecea; border: 1px solid #f0b4ae;"
                 " border-radius: 4px; padding: 6px 8px; font-weight: bold;")
_RESTORED_STYLE = ("color: #7a4a00; background: #fff4dc; border: 1px solid #f0d9a8;"
                   " border-radius: 4px; padding: 6px 8px;")

Fields = dict[str, Any]


class DraftKeeper(QObject):
    """The draft of one form. ``enabled=False`` (a read-only form) keeps no drafts."""

    def __init__(self, owner: QWidget, ctx: Context, key: str, *,
                 collect: Callable[[], Fields], apply: Callable[[Fields], None],
                 label: Callable[[Fields], str], existing: bool, enabled: bool = True) -> None:
        super().__init__(owner)
        self.owner = owner
        self.ctx = ctx
        self.key = key
        self.kind = key.split("-", 1)[0]
        self._collect = collect
        self._apply = apply
        self._label = label
        self._existing = existing  # a record already in the database (not a new one)
        self.enabled = enabled
        self.failed = False  # the last save failed and nothing was saved since
        self.restored = False
        self._title = owner.windowTitle()
        self.base_fields: Fields = {}
        self.base = ""
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.autosave)
        self.marker = QLabel()
        self.marker.setWordWrap(True)
        self.marker.setVisible(False)
        self.marker.setObjectName("draftMarker")
        self.rebase()
        # A pending autosave is written when the form closes for any reason (parent window
        # closed, app quit): the last two seconds of typing are not lost either.
        owner.installEventFilter(self)

    # ---- state --------------------------------------------------------------------------------

    def rebase(self) -> None:
        """The form now shows the saved record: what it shows is the state to compare with."""
        self.base_fields = self._collect()
        self.base = core.fingerprint(self.base_fields) if self._existing else ""

    def set_existing(self, existing: bool) -> None:
        self._existing = existing
        self.rebase()

    def is_dirty(self) -> bool:
        return self._collect() != self.base_fields

    def has_draft(self) -> bool:
        return store.load(self.ctx, self.key) is not None

    def watch(self, widgets: Iterable[QWidget]) -> None:
        """Autosave after edits in these widgets (text, choices, dates, numbers, ticks)."""
        for w in widgets:
            if isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit)):
                w.textChanged.connect(self.schedule)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(self.schedule)
            elif isinstance(w, QDateTimeEdit):
                w.dateTimeChanged.connect(self.schedule)
            elif isinstance(w, QSpinBox):
                w.valueChanged.connect(self.schedule)
            elif isinstance(w, (QAbstractButton, QGroupBox)):
                w.toggled.connect(self.schedule)

    def watch_all(self, root: QWidget) -> None:
        self.watch(root.findChildren(QWidget))

    def schedule(self, *_: object) -> None:
        if self.enabled:
            self.timer.start()

    # ---- writing ------------------------------------------------------------------------------

    def _draft(self, fields: Fields) -> core.Draft:
        return core.Draft(
            key=self.key, kind=self.kind, label=self._label(fields), fields=fields,
            saved_at=self.ctx.clock().astimezone(), base=self.base, user_id=self.ctx.actor_id)

    def write(self) -> bool:
        """Write the draft now (whether or not it differs from the saved record)."""
        self.timer.stop()
        if not self.enabled:
            return False
        try:
            fields = self._collect()
            draft = self._draft(fields)
        except Exception:  # noqa: BLE001 - B9: a draft never takes the form down
            log.exception("draft %s: the form's values could not be collected", self.key)
            return False
        return store.save(self.ctx, draft)

    def autosave(self) -> bool:
        """The debounced save: a draft while the form differs from the saved record; none
        (deleted) once it is back to it — unless a failed save is waiting to be retried."""
        self.timer.stop()
        if not self.enabled:
            return False
        if not self.failed and not self.restored and not self.is_dirty():
            store.delete(self.ctx, self.key)
            return True
        return self.write()

    def save_failed(self) -> bool:
        """A save failed: keep everything, write the draft at once, show the red marker."""
        self.failed = True
        wrote = self.write()
        self._show(FAILED_TEXT if wrote else FAILED_NO_DRAFT_TEXT, _FAILED_STYLE)
        return wrote

    def saved(self) -> None:
        """The form's content is in the database: the draft goes, the marker too."""
        self.timer.stop()
        store.delete(self.ctx, self.key)
        self.failed = self.restored = False
        self._hide()
        self.rebase()

    def discard(self) -> None:
        """The user threw the edits away on purpose."""
        self.timer.stop()
        store.delete(self.ctx, self.key)
        self.failed = self.restored = False

    # ---- offering a draft back ----------------------------------------------------------------

    def offer(self) -> bool:
        """If a draft of this form is waiting: ask 恢复 / 放弃. True when it was restored."""
        if not self.enabled:
            return False
        draft = store.load(self.ctx, self.key)
        if draft is None:
            return False
        changed = self._existing and draft.changed_since(self.base)
        if not messages.choose(self.owner, core.restore_question(draft, changed=changed),
                               "恢复草稿", yes="恢复", no="放弃"):
            store.delete(self.ctx, self.key)
            return False
        try:
            self._apply(draft.fields)
        except Exception:  # noqa: BLE001 - an old draft that no longer fits the form
            log.exception("draft %s could not be restored", self.key)
            self.timer.stop()
            messages.warn(self.owner, "草稿的内容与当前表单不符，无法恢复；草稿文件已保留。")
            return False
        self.timer.stop()  # restoring changed the widgets; the draft on disk is the same
        self.restored = True
        self._show(RESTORED_TEXT, _RESTORED_STYLE)
        return True

    # ---- the marker ---------------------------------------------------------------------------

    def _show(self, text: str, style: str) -> None:
        self.marker.setText(text)
        self.marker.setStyleSheet(style)
        self.marker.setVisible(True)
        title = self._title + UNSAVED_SUFFIX
        if self.owner.windowTitle() != title:
            self.owner.setWindowTitle(title)

    def _hide(self) -> None:
        self.marker.setVisible(False)
        self.marker.clear()
        self.owner.setWindowTitle(self._title)

    @property
    def marked_unsaved(self) -> bool:
        return self.owner.windowTitle().endswith(UNSAVED_SUFFIX) and not self.marker.isHidden()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # (getattr: Qt may call in while this object is still being built or torn down)
        if event.type() in (QEvent.Type.Hide, QEvent.Type.Close) \
                and watched is getattr(self, "owner", None) and self.timer.isActive():
            self.autosave()
        return False


def describe(exc: BaseException) -> str:
    """The message for a save that failed below the operations' own checks (in Chinese, the
    same wording guard.attempt gives other actions)."""
    from govdesk.operations.context import failure_message

    why = failure_message(exc) or f"保存失败（{exc}）。"
    return why + "填写的内容仍在窗口中，可稍后再保存。"


def keeping(keeper: DraftKeeper, action: Callable[[], T]) -> T:
    """Run a form's save; on any failure write the draft and mark the form unsaved before the
    error goes on (so the draft is on disk while the message is up). OSError and sqlite3 errors
    become a UserError with a Chinese message; a UserError (refused input, DiskFull) passes."""
    try:
        return action()
    except UserError:
        keeper.save_failed()
        raise
    except (OSError, sqlite3.Error) as exc:
        log.warning("save of %s failed", keeper.key, exc_info=True)
        keeper.save_failed()
        raise UserError(describe(exc)) from exc


def attempt_save(keeper: DraftKeeper, action: Callable[[], T]) -> T | None:
    """``keeping`` through ``guard.attempt``: any failure — a refused input or a full disk
    (UserError, DiskFull), an I/O error (OSError), a database error (sqlite3.Error) — keeps
    the draft, marks the form unsaved, shows the message and returns None. On success the
    caller calls ``keeper.saved()`` once the form shows the saved record again."""
    return guard.attempt(keeper.owner, lambda: keeping(keeper, action))
