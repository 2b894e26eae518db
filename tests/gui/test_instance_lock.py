"""D10: one govdesk per database; a lock left by a killed govdesk clears itself."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from govdesk.gui.instance_lock import (
    ActivationServer,
    InstanceLock,
    ask_first_instance_to_show,
    lock_path_for,
    refused_message,
)

HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from govdesk.gui.instance_lock import InstanceLock
    lock = InstanceLock(Path(sys.argv[1]))
    print("locked" if lock.acquire(int(sys.argv[2])) else "refused", flush=True)
    sys.stdin.read()  # hold the lock until killed (or stdin closes)
""")


def _start_holder(db_path, timeout_ms=2000):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path), str(timeout_ms)],
                            stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()  # blocks until the child has tried: no sleeps
    return proc, line


def test_a_second_lock_on_the_same_database_is_refused(tmp_path):
    db = tmp_path / "govdesk.db"
    first, second = InstanceLock(db), InstanceLock(db)
    assert first.acquire()
    assert lock_path_for(db).exists()
    assert not second.acquire(50)
    assert "已经在这台电脑上打开了这个数据库" in refused_message(second, db)
    first.release()
    assert second.acquire(50)
    second.release()
    assert InstanceLock(tmp_path / "other.db").acquire(50)  # another database is independent


def test_another_process_is_refused_while_the_first_lives(tmp_path):
    db = tmp_path / "govdesk.db"
    mine = InstanceLock(db)
    assert mine.acquire()
    proc, line = _start_holder(db, 100)
    try:
        assert line == "refused"
    finally:
        proc.kill()
        proc.wait()
        mine.release()


def _kill_loop(tmp_path, iterations):
    db = tmp_path / "govdesk.db"
    for _ in range(iterations):
        proc, line = _start_holder(db)
        assert line == "locked"
        probe = InstanceLock(db)
        assert not probe.acquire(50)  # alive: refused
        assert probe.holder()[0] == proc.pid
        proc.kill()  # SIGKILL: the lock file stays behind
        proc.wait()
        assert lock_path_for(db).exists()
        again = InstanceLock(db)
        assert again.acquire(50), "a stale lock must clear itself"
        again.release()


def test_a_killed_instance_leaves_no_dead_end(tmp_path):
    _kill_loop(tmp_path, 5)


@pytest.mark.slow
def test_a_killed_instance_leaves_no_dead_end_20_times(tmp_path):
    _kill_loop(tmp_path, 20)


def test_an_unreadable_lock_file_is_not_a_dead_end(tmp_path):
    db = tmp_path / "govdesk.db"
    lock_path_for(db).write_text("garbage", "utf-8")
    lock = InstanceLock(db)
    assert lock.acquire(50)
    lock.release()


def test_the_second_launch_asks_the_first_to_show_its_window(qtbot, tmp_path):
    db = tmp_path / "govdesk.db"
    server = ActivationServer(db)
    if not server.listen():
        pytest.skip("QtNetwork not available")
    with qtbot.waitSignal(server.activate, timeout=3000):
        assert ask_first_instance_to_show(db)
    server.close()
    assert not ask_first_instance_to_show(db, 100)
    server.deleteLater()
    qtbot.wait(0)  # let deleteLater run while the QApplication still exists
