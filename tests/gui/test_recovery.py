"""D8: a damaged database opens the 数据恢复 dialog instead of crashing; the newest verified
backup (or a chosen file) replaces it and the damaged file is kept as ``*.damaged-<time>``.
Real temporary databases, really corrupted (bytes flipped in the header and in later pages)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import PASSWORD, notice_input
from PySide6.QtWidgets import QApplication, QDialog

from govdesk import app as app_module
from govdesk.gui import messages
from govdesk.gui.dialogs import recovery_dialog
from govdesk.gui.dialogs.login_dialog import LoginDialog
from govdesk.gui.dialogs.recovery_dialog import RecoveryDialog
from govdesk.gui.main_window import RECOVER, MainWindow
from govdesk.operations import backups
from govdesk.operations import notices as notice_ops
from govdesk.store.database import close, connect

PAGE = 4096


@pytest.fixture
def shown(monkeypatch):
    seen: list[tuple[str, str]] = []
    for kind in ("info", "warn", "error"):
        monkeypatch.setattr(messages, kind,
                            lambda _p, text, _t="", k=kind: seen.append((k, text)))
    # The backups were made on the fixture's fixed clock, long ago for the real one: the
    # 7-day reminder asks at start; "later" here.
    monkeypatch.setattr(messages, "confirm",
                        lambda _p, text, *_a, **_k: seen.append(("confirm", text)) and False)
    return seen


@pytest.fixture
def backed_up(ctx, users, org, db_path):
    """A database with notices and one verified backup, closed cleanly; returns its bytes."""
    for i in range(25):
        notice_ops.create_notice(ctx, notice_input(ctx, title=f"关于第{i + 1}批道路维修的通知",
                                                   body="道路维修期间请绕行。" * 30))
    backups.backup_now(ctx)
    notice_ops.create_notice(ctx, notice_input(ctx, title="备份之后登记的通知"))
    close(ctx.db)
    ctx.db = connect(db_path)  # the fixture's teardown closes this one
    close(ctx.db)
    return db_path.read_bytes()


def _flip(data: bytearray, offset: int, count: int, rng: random.Random) -> None:
    for i in range(offset, min(offset + count, len(data))):
        data[i] ^= rng.randrange(1, 256)


def corrupt_header_and_page(path: Path, seed: int = 7) -> bytes:
    """Bytes flipped in the header (0–99) and across a later page."""
    rng = random.Random(seed)
    data = bytearray(path.read_bytes())
    _flip(data, 0, 16, rng)  # the "SQLite format 3" magic
    _flip(data, rng.randrange(16, 100), 8, rng)
    page = rng.randrange(2, len(data) // PAGE)
    _flip(data, page * PAGE + 8, 600, rng)
    path.write_bytes(bytes(data))
    return bytes(data)


def corrupt_a_page_only(path: Path) -> bytes:
    """A page the quick check reads but opening does not: the file opens, the check fails."""
    original = path.read_bytes()
    for page in range(len(original) // PAGE - 1, 1, -1):
        data = bytearray(original)
        _flip(data, page * PAGE + 8, 3000, random.Random(page))
        path.write_bytes(bytes(data))
        if not backups.check_database(path).ok:
            try:
                close(connect(path, check=False))
            except Exception:  # noqa: BLE001, S112 - this page breaks opening: try another
                continue
            return bytes(data)
    raise AssertionError("no page found")


def _damaged_files(db_path: Path) -> list[Path]:
    return sorted(p for p in db_path.parent.glob(db_path.name + ".damaged-*")
                  if not p.name.endswith(("-wal", "-shm")))


def _restored_is_sound(db_path: Path) -> None:
    report = backups.check_database(db_path, full=True)
    assert report.ok, report.message


def test_the_dialog_restores_the_newest_verified_backup(qtbot, db_path, backed_up, shown):
    damaged = corrupt_header_and_page(db_path)
    dialog = RecoveryDialog(db_path, "数据库文件已损坏")
    qtbot.addWidget(dialog)
    assert dialog.newest is not None and dialog.restore_button.isEnabled()
    assert not dialog.continue_button.isVisibleTo(dialog)
    dialog.restore_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_value is not None
    [aside] = _damaged_files(db_path)
    assert aside.read_bytes() == damaged  # never overwritten, never deleted
    _restored_is_sound(db_path)
    assert shown[-1][0] == "info" and "请重新登录" in shown[-1][1]


def test_without_a_backup_another_file_can_be_chosen(qtbot, tmp_path, db_path, backed_up,
                                                     shown, monkeypatch):
    folder = backups.backup_dir_for(db_path)
    [backup] = [p for p in folder.glob("govdesk-*.db")]
    stick = tmp_path / "U盘"
    stick.mkdir()
    copy = stick / backup.name
    copy.write_bytes(backup.read_bytes())  # a copy that left the PC earlier
    for p in folder.iterdir():
        p.unlink()
    corrupt_header_and_page(db_path, seed=11)
    dialog = RecoveryDialog(db_path, "数据库文件已损坏")
    qtbot.addWidget(dialog)
    assert dialog.newest is None and not dialog.restore_button.isEnabled()
    monkeypatch.setattr(recovery_dialog.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(copy), ""))
    asked = []
    monkeypatch.setattr(recovery_dialog.RestoreDialog, "ask",
                        classmethod(lambda cls, parent, d, row=None, recovery=False:
                                    asked.append((d.township, recovery)) or True))
    dialog.choose_button.click()
    assert asked and asked[0][1] is True
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(_damaged_files(db_path)) == 1
    _restored_is_sound(db_path)


def test_restoring_from_the_damaged_file_itself_is_refused(qtbot, db_path, backed_up, shown):
    corrupt_header_and_page(db_path)
    dialog = RecoveryDialog(db_path, "坏了")
    qtbot.addWidget(dialog)
    assert dialog.restore_from(db_path) is None
    assert shown and "不能用损坏的数据库恢复它自己" in shown[-1][1]
    assert not _damaged_files(db_path)


def _sign_in(dialog):
    dialog.login_edit.setText("admin")
    dialog.password_edit.setText(PASSWORD)
    dialog.accept()
    return dialog.result()


def test_start_on_a_corrupted_file_offers_recovery_then_signs_in(qtbot, db_path, backed_up,
                                                                 shown, monkeypatch):
    corrupt_header_and_page(db_path)
    offered = []

    def recovery_exec(dialog):
        offered.append(dialog.reason)
        dialog.restore_button.click()
        return dialog.result()

    windows = []

    def app_exec():
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w.isVisible())
        windows.append(window.windowTitle())
        window.close()
        return 0

    monkeypatch.setattr(RecoveryDialog, "exec", recovery_exec)
    monkeypatch.setattr(LoginDialog, "exec", _sign_in)
    monkeypatch.setattr(QApplication, "exec", staticmethod(app_exec))
    assert app_module.run(db_path) == 0
    assert offered and "损坏" in offered[0]
    assert windows  # signed in on the restored database
    assert len(_damaged_files(db_path)) == 1
    _restored_is_sound(db_path)


def test_quitting_the_recovery_leaves_the_damaged_file_alone(qtbot, db_path, backed_up,
                                                             shown, monkeypatch):
    damaged = corrupt_header_and_page(db_path)
    monkeypatch.setattr(RecoveryDialog, "exec", lambda d: QDialog.DialogCode.Rejected)
    assert app_module.run(db_path) == 1
    assert db_path.read_bytes() == damaged and not _damaged_files(db_path)


def test_damage_found_by_the_startup_check_ends_the_session_and_offers_recovery(
        qtbot, db_path, backed_up, shown, monkeypatch):
    corrupt_a_page_only(db_path)
    offers = []

    def recovery_exec(dialog):
        offers.append(dialog.continue_button.isVisibleTo(dialog))
        dialog.restore_button.click()
        return dialog.result()

    outcomes = []

    def app_exec():
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w.isVisible())
        if not offers:  # the first session: wait for the background check's verdict
            qtbot.waitUntil(lambda: window.outcome == RECOVER, timeout=10_000)
            outcomes.append(window.outcome)
        else:
            window.close()
        return 0

    # The check may finish before sign-in (recovery without a window) or after (the window
    # closes itself): both end in the dialog.
    monkeypatch.setattr(RecoveryDialog, "exec", recovery_exec)
    monkeypatch.setattr(LoginDialog, "exec", _sign_in)
    monkeypatch.setattr(QApplication, "exec", staticmethod(app_exec))
    assert app_module.run(db_path) == 0
    assert offers == [True]  # the file still opens: 继续使用 is offered too
    assert len(_damaged_files(db_path)) == 1
    _restored_is_sound(db_path)


def test_report_check_turns_a_failed_check_into_the_recovery_offer(qtbot, ctx, users, db_path,
                                                                   shown):
    window = MainWindow(ctx, str(db_path))
    qtbot.addWidget(window)
    window.show()

    class Checker:
        reported = False

    app_module._report_check(window, db_path, "*** in database main *** Page 7: bad", Checker)
    assert window.outcome == RECOVER and "Page 7" in window.recovery_reason
    assert not window.isVisible()
    assert shown and shown[-1][0] == "error" and "数据恢复" in shown[-1][1]


def test_random_corruptions_never_crash(qtbot, tmp_path, db_path, backed_up, shown, monkeypatch):
    """D8 in small: 12 seeded corruptions (header, later pages, one page short), each
    through the start-up open: a recovery offer (or a clean open), never an exception."""
    pristine = backed_up
    backup_folder = backups.backup_dir_for(db_path)
    backup_files = {p.name: p.read_bytes() for p in backup_folder.iterdir()}
    offered = []

    def recovery_exec(dialog):
        offered.append(dialog.db_path)
        dialog.restore_button.click()
        return dialog.result()

    monkeypatch.setattr(RecoveryDialog, "exec", recovery_exec)
    for seed in range(12):
        case = tmp_path / f"case{seed}"
        case.mkdir()
        path = case / "govdesk.db"
        data = bytearray(pristine)
        rng = random.Random(seed)
        kind = seed % 3
        if kind == 0:
            _flip(data, rng.randrange(0, 100), rng.randrange(1, 8), rng)
        elif kind == 1:
            _flip(data, rng.randrange(PAGE, len(data)), rng.randrange(16, 2000), rng)
        else:
            del data[-PAGE:]
        path.write_bytes(bytes(data))
        folder = backups.backup_dir_for(path)
        folder.mkdir()
        for name, content in backup_files.items():
            (folder / name).write_bytes(content)
        db = app_module._open_or_recover(path)
        assert db is not None, seed
        close(db)
        check = backups.check_database(path)  # what the background check does after opening
        if not check.ok:
            db = app_module._open_or_recover(path, check.message)
            assert db is not None, seed
            close(db)
        assert backups.check_database(path).ok, seed
        # flips in free space harm nothing; every offer restored and kept the damaged file
        assert len(_damaged_files(path)) == offered.count(path), seed
    assert len(set(offered)) >= 6  # most of them really were damaged
