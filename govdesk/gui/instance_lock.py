"""One govdesk per database (target D10), and no lock file for anyone to delete by hand.

A ``QLockFile`` beside the database (``govdesk.db.lock``) holds the process id, host and
application name of the govdesk using it. Following Qt's advice for locks held for a long time,
``setStaleLockTime(0)`` turns off the age rule (an office keeps govdesk open for days) and
staleness is decided by the process id only: when the process that wrote the lock file is gone
(killed, crashed, power cut), ``removeStaleLockFile`` clears it and the lock is taken again —
the GnuCash/MYOB-style "delete the .LCK file" dead end never reaches the user.

A second launch on the same database is refused. If the first one listens (``ActivationServer``,
a QLocalServer named after the database path), the second asks it to bring its window to the
front before exiting. QtNetwork is imported only here and only when available (the installer
bundle keeps it); without it the refusal message alone tells the user to switch to the open
window.
"""

from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal

from govdesk.processes import pid_alive

LOCK_SUFFIX = ".lock"
ACTIVATE = b"activate\n"


def lock_path_for(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + LOCK_SUFFIX)


class InstanceLock:
    """``acquire()`` → True when this process now owns the database; ``holder()`` says who
    does otherwise."""

    def __init__(self, db_path: Path) -> None:
        self.path = lock_path_for(db_path)
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)

    def acquire(self, timeout_ms: int = 300) -> bool:
        if self._lock.tryLock(timeout_ms):
            return True
        if self._lock.error() != QLockFile.LockError.LockFailedError:
            return False  # no permission or unknown error: not ours to delete
        if self._holder_is_gone():
            # QLockFile's own removal (it re-checks under its own rules), then one more try.
            self._lock.removeStaleLockFile()
            return self._lock.tryLock(timeout_ms)
        return False

    def _holder_is_gone(self) -> bool:
        info = self.holder()
        if info is None:
            return True  # unreadable or empty lock file: nobody can be holding it
        pid, host, _app = info
        if host and host.casefold() != socket.gethostname().casefold():
            return False  # another PC's process cannot be checked (and should not be here)
        return pid != os.getpid() and not pid_alive(pid)

    def holder(self) -> tuple[int, str, str] | None:
        """(pid, host, application) written in the lock file, or None."""
        try:
            info = self._lock.getLockInfo()
        except Exception:  # noqa: BLE001 - treated as no information
            return None
        if not info or len(info) < 3:
            return None
        pid, host, app = info[-3], info[-2], info[-1]
        if not isinstance(pid, int) or pid <= 0:
            return None
        return pid, str(host), str(app)

    def is_locked(self) -> bool:
        return self._lock.isLocked()

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()


def server_name(db_path: Path) -> str:
    digest = hashlib.sha256(str(Path(db_path).resolve()).casefold().encode("utf-8")).hexdigest()
    return f"govdesk-{digest[:24]}"


class ActivationServer(QObject):
    """Listens for a second launch on the same database; emits ``activate``."""

    activate = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = server_name(db_path)
        self._server = None

    def listen(self) -> bool:
        try:
            from PySide6.QtNetwork import QLocalServer
        except ImportError:
            return False
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._on_connection)
        QLocalServer.removeServer(self._name)  # a socket file left by a killed instance
        return self._server.listen(self._name)

    def _on_connection(self) -> None:
        assert self._server is not None
        while (sock := self._server.nextPendingConnection()) is not None:
            sock.readyRead.connect(self._on_ready)
            sock.disconnected.connect(sock.deleteLater)
            if sock.bytesAvailable():
                self._read(sock)

    def _on_ready(self) -> None:
        sock = self.sender()
        if sock is not None:
            self._read(sock)

    def _read(self, sock) -> None:  # QLocalSocket
        if bytes(sock.readAll().data()).startswith(ACTIVATE.strip()):
            self.activate.emit()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()


def ask_first_instance_to_show(db_path: Path, timeout_ms: int = 500) -> bool:
    """From a refused second launch: ask the first govdesk to bring its window forward."""
    try:
        from PySide6.QtNetwork import QLocalSocket
    except ImportError:
        return False
    sock = QLocalSocket()
    sock.connectToServer(server_name(db_path))
    if not sock.waitForConnected(timeout_ms):
        return False
    written = sock.write(ACTIVATE)
    sock.flush()
    if sock.bytesToWrite():
        sock.waitForBytesWritten(timeout_ms)
    sock.disconnectFromServer()
    return written == len(ACTIVATE)


def refused_message(lock: InstanceLock, db_path: Path) -> str:
    info = lock.holder()
    who = f"（进程号 {info[0]}）" if info else ""
    return (f"govdesk 已经在这台电脑上打开了这个数据库{who}：\n{db_path}\n\n"
            "同一个数据库只能在一个窗口里使用，请切换到已经打开的 govdesk 窗口"
            "（看一看任务栏）。如果确认它已经关闭，请稍等几秒再打开。")
