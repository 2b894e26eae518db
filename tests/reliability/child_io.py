"""Talking to the kill loops' children: lines read from a pipe with a deadline (select, never
blocking past it), and a fork server that imports what its workers need once and forks one
worker per iteration, so that a random kill delay counts from the moment the worker is at
work, not from interpreter start-up. POSIX only (fork, select on a pipe)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path


class Lines:
    """Lines from a pipe, read with a deadline (select), never blocking past it."""

    def __init__(self, stream) -> None:
        self.fd = stream.fileno()
        self.buf = b""

    def read(self, until: float, stop: str | None = None) -> tuple[list[str], bool]:
        """Lines up to the deadline ``until`` (time.monotonic) or up to and including the
        first one starting with ``stop``; the flag says whether ``stop`` was seen."""
        out: list[str] = []
        while True:
            while b"\n" in self.buf:
                raw, self.buf = self.buf.split(b"\n", 1)
                line = raw.decode()
                out.append(line)
                if stop is not None and line.startswith(stop):
                    return out, True
            left = until - time.monotonic()
            if left <= 0:
                return out, False
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                chunk = os.read(self.fd, 65536)
                if not chunk:
                    return out, False
                self.buf += chunk


class ForkServer:
    """``script`` run as a server: it prints ``server``, then for each command line forks a
    worker that prints ``ready PID`` and works; ``reap`` waits for that worker and answers
    ``reaped`` (every line the worker wrote is in the pipe before that one)."""

    def __init__(self, script: Path, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, str(script), *args],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.lines = Lines(self.proc.stdout)
        got, ok = self.lines.read(time.monotonic() + 120, stop="server")
        assert ok, f"the child server did not start: {got}"

    def send(self, *words: object) -> None:
        self.proc.stdin.write((" ".join(str(w) for w in words) + "\n").encode())
        self.proc.stdin.flush()

    def start(self, *words: object) -> int:
        """Start a worker; returns its pid once it reported ready."""
        self.send(*words)
        got, ready = self.lines.read(time.monotonic() + 120, stop="ready")
        assert ready, f"the worker did not start: {got}"
        errors = [line for line in got if line.startswith("error")]
        assert not errors, errors
        return int(got[-1].split()[1])

    def run_for(self, seconds: float, stop: str | None = None) -> tuple[list[str], bool]:
        return self.lines.read(time.monotonic() + seconds, stop=stop)

    def kill(self, pid: int) -> list[str]:
        """SIGKILL the worker (a no-op if it already ended) and reap it; returns the lines it
        wrote that were not read yet."""
        os.kill(pid, signal.SIGKILL)  # not reaped yet, so the pid is still this worker's
        self.send("reap")
        rest, reaped = self.lines.read(time.monotonic() + 120, stop="reaped")
        assert reaped, rest
        return rest[:-1]

    def close(self) -> None:
        try:
            self.send("quit")
            self.proc.stdin.close()
            self.proc.wait(timeout=60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.proc.stdout.close()

