"""备份与恢复 on real temporary databases: the page (list, 立即备份, 重新校验, copy, thin,
restore with a restart of the main window), the restore dialog, the status-bar health (B7) on a
fake clock, automatic backups on a worker thread (B5) and their failure notice."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest
from conftest import as_user, notice_input

from govdesk.core.backup_schedule import Health
from govdesk.core.org import Role
from govdesk.gui import messages
from govdesk.gui.backup_status import AutoBackup, BackupStatus, when_text
from govdesk.gui.dialogs import restore_dialog
from govdesk.gui.dialogs.restore_dialog import RestoreDialog
from govdesk.gui.main_window import RESTART, MainWindow
from govdesk.gui.pages import backups_page
from govdesk.gui.pages.backups_page import BackupsPage
from govdesk.operations import backups
from govdesk.operations import notices as notice_ops
from govdesk.operations.context import Context
from govdesk.store.database import connect

SCREENSHOT_DIR = os.environ.get("GOVDESK_SCREENSHOT_DIR")


@pytest.fixture
def shown(monkeypatch):
    """Messages as (kind, text); confirm answers yes (a test can flip ``answer``)."""
    class Seen(list):
        confirm = None

    seen = Seen()
    for kind in ("info", "warn", "error"):
        monkeypatch.setattr(messages, kind,
                            lambda _p, text, _t="", k=kind: seen.append((k, text)))

    def confirm(_p, text, *_a, **_k):
        seen.append(("confirm", text))
        return confirm.answer

    confirm.answer = True
    monkeypatch.setattr(messages, "confirm", confirm)
    seen.confirm = confirm  # type: ignore[attr-defined]
    return seen


@pytest.fixture
def admin(ctx, users, org):
    notice_ops.create_notice(ctx, notice_input(ctx))
    return as_user(ctx, users[Role.ADMIN])


def _later(clock, **delta) -> None:
    clock.now = clock.now + timedelta(**delta)


def _page(qtbot, ctx) -> BackupsPage:
    page = BackupsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    return page


def _texts(page: BackupsPage, column: int) -> list[str]:
    m = page.model
    return [m.data(m.index(r, column)) for r in range(m.rowCount())]


# ---- the page -----------------------------------------------------------------------------------


def test_the_page_lists_backups_and_makes_one_now(qtbot, admin, clock, shown):
    page = _page(qtbot, admin)
    assert page.model.rowCount() == 0 and page.empty_label.isVisibleTo(page)
    result = page.backup_now()
    assert result is not None
    assert shown[-1][0] == "info" and "校验通过" in shown[-1][1]
    assert _texts(page, 2) == ["✓ 已校验"]
    assert _texts(page, 3) == ["手动"]
    assert _texts(page, 4) == ["48小时内"]
    assert _texts(page, 5) == [result.path.name]
    assert not page.empty_label.isVisibleTo(page)
    assert str(backups.backup_dir_for(result.path.parent.parent / "govdesk.db")) in \
        page.folder_label.text()


def test_a_clerk_sees_the_page_but_not_the_admin_actions(qtbot, ctx, users, org, shown):
    clerk = as_user(ctx, users[Role.CLERK])
    window = MainWindow(clerk)
    qtbot.addWidget(window)
    labels = [window.nav.item(i).text() for i in range(window.nav.count())
              if not window.nav.item(i).isHidden()]
    assert "备份与恢复" in labels
    page = window.show_page("backups")
    assert page.backup_now() is not None  # anyone may back up
    page.refresh()
    for button in (page.copy_button, page.restore_button, page.thin_button):
        assert not button.isEnabled() and button.toolTip().startswith("只有管理员可以")
    assert page.verify_button.isEnabled() and page.admin_note.isVisibleTo(page)


def test_verify_again_reports_a_tampered_backup(qtbot, admin, shown):
    result = backups.backup_now(admin)
    page = _page(qtbot, admin)
    assert page.verify_selected().ok
    assert shown[-1][0] == "info"
    data = bytearray(result.path.read_bytes())
    data[-100] ^= 0xFF
    result.path.write_bytes(bytes(data))
    verdict = page.verify_selected()
    assert verdict is not None and not verdict.ok
    assert shown[-1][0] == "error" and "校验未通过" in shown[-1][1]
    assert _texts(page, 2) == ["✗ 未通过/未校验"]


def test_copy_to_a_stick_reads_back_and_says_eject_safely(qtbot, admin, tmp_path, shown):
    result = backups.backup_now(admin)
    stick = tmp_path / "KINGSTON"
    page = _page(qtbot, admin)
    copied = page.copy_selected(str(stick))
    assert copied == stick / result.path.name
    assert copied.read_bytes() == result.path.read_bytes()
    assert "读回校验通过" in shown[-1][1] and "“安全弹出”U盘" in shown[-1][1]


def test_thinning_asks_first_and_reports(qtbot, admin, clock, shown):
    backups.backup_now(admin)
    page = _page(qtbot, admin)
    shown.confirm.answer = False
    assert page.thin() is None
    shown.confirm.answer = True
    assert page.thin() == []
    assert shown[-1] == ("info", "没有需要删除的旧备份。")


# ---- restore ------------------------------------------------------------------------------------


def test_restore_dialog_shows_what_the_file_holds(qtbot, admin, shown):
    result = backups.backup_now(admin)
    description = backups.describe(result.path)
    row = backups.list_backups(admin)[0]
    dialog = RestoreDialog(description, row)
    qtbot.addWidget(dialog)
    dialog.show()
    text = " ".join(w.text() for w in dialog.findChildren(restore_dialog.QLabel))
    assert description.township in text and "第 " in text and "手动" in text
    assert "信息" in text and "操作日志" in text and "恢复前" in text
    assert not dialog.ok_button.isEnabled()
    dialog.accept()
    assert dialog.result() == 0  # not without the tick
    dialog.confirm_box.setChecked(True)
    assert dialog.ok_button.isEnabled()
    dialog.accept()
    assert dialog.result() == 1
    if SCREENSHOT_DIR:
        dialog.grab().save(os.path.join(SCREENSHOT_DIR, "restore_dialog.png"))


def test_a_newer_schema_file_is_refused(qtbot, admin, tmp_path, shown):
    result = backups.backup_now(admin)
    newer = tmp_path / "newer.db"
    newer.write_bytes(result.path.read_bytes())
    db = connect(newer, migrate=False, check=False)
    db["_sqlite_migrations"].insert({"migration_set": "govdesk", "name": "9999_future",
                                     "applied_at": "2030-01-01"})
    db.close()
    dialog = RestoreDialog(backups.describe(newer))
    qtbot.addWidget(dialog)
    assert dialog.refused and dialog.ok_button is None
    text = " ".join(w.text() for w in dialog.findChildren(restore_dialog.QLabel))
    assert "更新版本的 govdesk" in text and "升级" in text
    dialog.accept()
    assert dialog.result() == 0
    # and the engine refuses it too, with its own message
    page = _page(qtbot, admin)
    with pytest.raises(Exception, match="更新版本"):
        backups.restore(admin, newer)
    assert page.isVisible()


def test_restore_from_the_page_signs_everyone_out_and_restarts(qtbot, ctx, admin, db_path,
                                                              shown, monkeypatch):
    before = backups.backup_now(admin)
    later = notice_ops.create_notice(admin, notice_input(admin, title="备份之后登记的通知"))
    window = MainWindow(admin, str(db_path))
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("backups")
    asked = []
    monkeypatch.setattr(backups_page.RestoreDialog, "ask",
                        classmethod(lambda cls, parent, d, row=None, **_k:
                                    asked.append((d, row)) or True))
    result = page.restore_from(before.path)
    assert result is not None
    assert asked and asked[0][1] is not None and asked[0][1].name == before.path.name
    assert window.outcome == RESTART and not window.isVisible()
    assert admin.user is None  # sign in again
    assert any(k == "info" and "请重新登录" in t for k, t in shown)
    fresh = Context(connect(db_path), clock=admin.clock)
    try:
        assert fresh.db.execute("SELECT count(*) FROM notice WHERE id = ?",
                                [later.id]).fetchone()[0] == 0
    finally:
        fresh.db.close()
    triggers = [r.trigger for r in backups.list_backups(admin)]
    assert "恢复前" in triggers  # the replaced data was backed up first


# ---- status bar (B7) and automatic backups (B5) ---------------------------------------------------


def test_when_text_reads_like_people_talk():
    now = datetime(2025, 11, 20, 15, 0).astimezone()
    assert when_text(now, None) == "还没有备份"
    assert when_text(now, now - timedelta(seconds=20)) == "刚刚"
    assert when_text(now, now - timedelta(minutes=10)) == "10分钟前"
    assert when_text(now, now.replace(hour=9, minute=30)) == "今天 09:30"
    assert when_text(now, (now - timedelta(days=1)).replace(hour=18, minute=2)) == "昨天 18:02"
    assert when_text(now, now.replace(month=11, day=3, hour=9)) == "11月3日 09:00"
    assert when_text(now, now.replace(year=2024, month=11, day=3)) == "2024年11月3日"


def test_status_turns_yellow_after_a_day_with_changes_and_red_after_a_week(qtbot, admin, clock,
                                                                          shown):
    window = MainWindow(admin)
    qtbot.addWidget(window)
    status = window.backup_status
    assert isinstance(status, BackupStatus)
    assert status.level is Health.BLOCKING  # data and no backup yet
    backups.backup_now(admin)
    _later(clock, minutes=10)
    status.refresh()
    assert status.text() == "上次备份：10分钟前" and status.level is Health.OK
    _later(clock, hours=25)
    status.refresh()
    assert status.level is Health.OK  # a day old, but nothing changed
    notice_ops.create_notice(admin, notice_input(admin, title="关于柳河村道路硬化工程的公示"))
    status.refresh()
    assert status.level is Health.WARNING and status.text().startswith("⚠ 上次备份：")
    assert "fff4ce" in status.styleSheet()
    _later(clock, days=7)
    status.refresh()
    assert status.level is Health.BLOCKING and "超过 7 天" in status.toolTip()
    # the blocking reminder at start offers 立即备份
    shown.confirm.answer = True
    assert window.remind_if_stale()
    assert any(k == "confirm" and "超过 7 天" in t for k, t in shown)
    assert status.level is Health.OK and status.text() == "上次备份：刚刚"
    if SCREENSHOT_DIR:
        window.resize(1280, 800)
        window.grab().save(os.path.join(SCREENSHOT_DIR, "main_window_backup_status.png"))


def test_automatic_backup_runs_on_a_worker_and_only_when_due(qtbot, admin, clock, shown):
    auto = AutoBackup(admin, interval_ms=60_000)
    results = []
    auto.succeeded.connect(results.append)
    with qtbot.waitSignal(auto.finished, timeout=10_000):
        assert auto.tick()
    assert len(results) == 1 and results[0].manifest.trigger == "定时"
    _later(clock, minutes=31)
    with qtbot.waitSignal(auto.finished, timeout=10_000):
        auto.tick()
    assert len(results) == 1  # nothing changed: nothing due
    notice_ops.create_notice(admin, notice_input(admin, title="关于云溪社区道路维修的通知"))
    with qtbot.waitSignal(auto.finished, timeout=10_000):
        auto.tick()
    assert len(results) == 2  # changed, and the last backup is 31 minutes old
    notice_ops.create_notice(admin, notice_input(admin, title="关于柳河村道路硬化工程的公示"))
    _later(clock, minutes=10)
    with qtbot.waitSignal(auto.finished, timeout=10_000):
        auto.tick()
    assert len(results) == 2  # changed, but only 10 minutes since the last one
    _later(clock, minutes=25)
    with qtbot.waitSignal(auto.finished, timeout=10_000):
        auto.tick()
    assert len(results) == 3
    auto.stop()


def test_a_failing_automatic_backup_is_reported_at_once(qtbot, admin, db_path, clock, shown):
    backups.backup_dir_for(db_path).write_text("a file where the folder should be", "utf-8")
    window = MainWindow(admin)
    qtbot.addWidget(window)
    auto = AutoBackup(admin, window)
    with qtbot.waitSignal(auto.finished, timeout=10_000):
        window.start_backups(remind=False, auto=auto)
    qtbot.waitUntil(lambda: any(k == "warn" for k, _t in shown))
    kind, text = next((k, t) for k, t in shown if k == "warn")
    assert text.startswith("自动备份没有成功") and "备份文件夹" in text
    assert "上次自动备份失败" in window.backup_status.text()
    assert window.backup_status.level in (Health.WARNING, Health.BLOCKING)
    window.stop_backups()
    assert not auto.timer.isActive()


def test_screenshot_of_the_page(qtbot, admin, clock, shown):
    for minutes in (0, 40, 80):
        _later(clock, minutes=minutes)
        notice_ops.create_notice(admin, notice_input(admin, title=f"关于第{minutes}号的通知"))
        backups.backup_now(admin)
    page = _page(qtbot, admin)
    assert page.model.rowCount() == 3
    if SCREENSHOT_DIR:
        page.grab().save(os.path.join(SCREENSHOT_DIR, "backups_page.png"))


def test_after_a_restore_the_app_asks_to_sign_in_again_on_a_new_window(
        qtbot, ctx, admin, db_path, shown, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from govdesk import app as app_module
    from govdesk.gui.dialogs.login_dialog import LoginDialog
    from govdesk.store.database import close

    before = backups.backup_now(admin)
    notice_ops.create_notice(admin, notice_input(admin, title="备份之后登记的通知"))
    close(ctx.db)  # the app opens its own connection
    sign_ins = []

    def login_exec(dialog):
        from conftest import PASSWORD

        sign_ins.append(dialog)
        dialog.login_edit.setText("admin")
        dialog.password_edit.setText(PASSWORD)
        dialog.accept()
        return dialog.result()

    windows = []

    def app_exec():
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w.isVisible())
        windows.append(window)
        if len(windows) == 1:
            window.auto_backup.stop()
            page = window.show_page("backups")
            assert page.restore_from(before.path) is not None
        else:
            window.close()
        return 0

    monkeypatch.setattr(backups_page.RestoreDialog, "ask",
                        classmethod(lambda cls, *a, **k: True))
    monkeypatch.setattr(LoginDialog, "exec", login_exec)
    monkeypatch.setattr(QApplication, "exec", staticmethod(app_exec))
    assert app_module.run(db_path) == 0
    assert len(sign_ins) == 2 and len(windows) == 2  # signed in again, on a new window
