"""Run a long operation (export, import) off the GUI thread while a progress dialog shows.

The worker gets its own database connection (``worker_context``) and never touches widgets; the
GUI thread waits in a local event loop, so the window keeps painting and the call still reads
like an ordinary function call to the page that makes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from govdesk.core.errors import UserError
from govdesk.gui import messages
from govdesk.operations.context import Context

T = TypeVar("T")


class _Worker(QObject):
    finished = Signal()
    step = Signal(int, int)  # done, total — emitted from the worker, delivered on the GUI thread

    def __init__(self, fn: Callable[[], object]) -> None:
        super().__init__()
        self._fn = fn
        self.result: object = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._fn()
        except BaseException as exc:  # handed back to the GUI thread below
            self.error = exc
        self.finished.emit()


def worker_context(ctx: Context) -> Context:
    """A context on its own connection to the same database, for use in a worker thread."""
    from govdesk.operations.context import open_like

    return open_like(ctx)


def run_with_progress(parent: QWidget | None, label: str, fn: Callable[[], T], *,
                      raise_user_errors: bool = False) -> T | None:
    """Run ``fn`` on a worker thread; show a busy dialog meanwhile (only if it takes a while).
    A UserError is shown as a message and None returned (or re-raised with
    ``raise_user_errors``); any other exception is re-raised on the GUI thread."""
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setCancelButton(None)
    dialog.setWindowTitle("请稍候")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    worker = _Worker(fn)
    thread = QThread()
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    loop = QEventLoop()
    worker.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    thread.start()
    loop.exec()  # a finish that came first is queued, so this returns at once then
    thread.quit()
    thread.wait()
    dialog.reset()
    dialog.deleteLater()
    if worker.error is not None:
        if isinstance(worker.error, UserError) and not raise_user_errors:
            messages.warn(parent, worker.error.message)
            return None
        raise worker.error
    return worker.result  # type: ignore[return-value]


class _StepRelay(QObject):
    """Receives the worker's progress in the GUI thread. A plain function connected to the
    worker's signal would run in the worker's thread (it has no receiver of its own), and the
    dialog's timers may only be touched from the thread that owns them."""

    def __init__(self, dialog: QProgressDialog) -> None:
        super().__init__(dialog)
        self._dialog = dialog

    @Slot(int, int)
    def on_step(self, done: int, total: int) -> None:
        self._dialog.setMaximum(total)
        self._dialog.setValue(done)


def run_with_steps(parent: QWidget | None, label: str,
                   fn: Callable[[Callable[[int, int], bool]], T]) -> T | None:
    """Like run_with_progress for work done in counted steps: ``fn`` receives a
    ``progress(done, total) -> bool`` callback that moves the bar and returns False once the
    user pressed 取消 (``fn`` then stops, typically by raising UserError("已取消……"))."""
    import threading

    cancelled = threading.Event()
    dialog = QProgressDialog(label, "取消", 0, 0, parent)
    dialog.setWindowTitle("请稍候")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.canceled.connect(cancelled.set)

    worker: _Worker

    def progress(done: int, total: int) -> bool:
        worker.step.emit(done, total)
        return not cancelled.is_set()

    worker = _Worker(lambda: fn(progress))
    relay = _StepRelay(dialog)
    worker.step.connect(relay.on_step, Qt.ConnectionType.QueuedConnection)
    thread = QThread()
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    loop = QEventLoop()
    worker.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    thread.start()
    loop.exec()
    thread.quit()
    thread.wait()
    dialog.reset()
    dialog.deleteLater()
    if worker.error is not None:
        if isinstance(worker.error, UserError):
            messages.warn(parent, worker.error.message)
            return None
        raise worker.error
    return worker.result  # type: ignore[return-value]
