import threading

import pytest

from govdesk.core.errors import UserError
from govdesk.gui import messages
from govdesk.gui.background import run_with_progress, worker_context
from govdesk.gui.pages.notices_page import NoticesPage


def test_runs_off_the_gui_thread_and_returns_the_result(qtbot):
    main = threading.get_ident()
    assert run_with_progress(None, "请稍候", lambda: threading.get_ident()) != main


def test_user_error_becomes_a_message(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(messages, "warn", lambda _p, text, *a: shown.append(text))

    def fail():
        raise UserError("磁盘空间不足")

    assert run_with_progress(None, "请稍候", fail) is None
    assert shown == ["磁盘空间不足"]


def test_a_bug_is_raised_on_the_gui_thread(qtbot):
    with pytest.raises(ZeroDivisionError):
        run_with_progress(None, "请稍候", lambda: 1 / 0)


def test_import_with_bad_rows_lists_them_and_imports_nothing(qtbot, ctx, users, org, tmp_path,
                                                             monkeypatch):
    shown = []
    monkeypatch.setattr(messages, "warn", lambda _p, text, *a: shown.append(text))
    bad = tmp_path / "bad.csv"
    bad.write_text("标题,类别,责任单位,形成日期\n,财政资金,财政所,2025-03-01\n", encoding="utf-8")
    page = NoticesPage(ctx)
    qtbot.addWidget(page)
    monkeypatch.setattr(page, "_choose_import_file", lambda: str(bad))
    page.import_file()
    assert shown and "第 2 行“标题”" in shown[0]
    assert page.model.rowCount() == 0
    other = worker_context(ctx)
    assert other.db is not ctx.db and other.user == ctx.user
    other.db.close()


def test_user_error_can_be_raised_to_the_caller(qtbot):
    def fail():
        raise UserError("数据库文件已损坏")

    with pytest.raises(UserError, match="损坏"):
        run_with_progress(None, "请稍候", fail, raise_user_errors=True)
