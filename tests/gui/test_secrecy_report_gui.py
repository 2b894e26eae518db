"""The 保密审查汇总表 section of the 统计 page: a month, the button, a real file from a worker thread
on the real database; refusals shown as messages."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import UTC, datetime  # noqa: E402

import pytest  # noqa: E402
from conftest import approve_all, as_user, notice_input  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from PySide6.QtCore import QSettings, Qt  # noqa: E402

from govdesk.core.org import Role  # noqa: E402
from govdesk.gui import messages  # noqa: E402
from govdesk.gui.pages.stats_page import LAST_DIR_KEY, StatsPage  # noqa: E402
from govdesk.operations import notices as notice_ops  # noqa: E402
from govdesk.store import audit_store  # noqa: E402


@pytest.fixture(autouse=True)
def shown(tmp_path, monkeypatch):
    """QSettings in the test's folder, and no real message box ever."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    out: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "info", lambda parent, text, title="提示": out.append(("info", text)))
    monkeypatch.setattr(messages, "warn", lambda parent, text, title="提示": out.append(("warn", text)))
    monkeypatch.setattr(messages, "error",
                        lambda parent, text, title="出错了": out.append(("error", text)))
    return out


@pytest.fixture
def reviewed(ctx, users, org, clock):
    """Two notices through 保密审查 in October 2025; the clock then in November."""
    clock.now = datetime(2025, 10, 14, 3, 0, tzinfo=UTC)
    for title in ("十月第一份公示", "十月第二份公示"):
        approve_all(ctx, users, notice_ops.create_notice(ctx, notice_input(ctx, title=title)).id)
    clock.now = datetime(2025, 11, 20, 4, 0, tzinfo=UTC)
    return ctx


def test_the_month_defaults_to_last_month(qtbot, reviewed):
    page = StatsPage(reviewed)
    qtbot.addWidget(page)
    assert page.secrecy_period() == (2025, 10)
    assert page.secrecy_button.isEnabled()


@pytest.mark.parametrize("name, kind", [("保密审查汇总表.pdf", "pdf"), ("汇总.xlsx", "xlsx"),
                                        ("没有扩展名", "pdf")])
def test_button_writes_the_chosen_month(qtbot, reviewed, tmp_path, shown, name, kind):
    page = StatsPage(reviewed)
    qtbot.addWidget(page)
    page.set_secrecy_month(2025, 10)
    out_dir = tmp_path / "归档"
    out_dir.mkdir()
    page._choose_secrecy_path = lambda: str(out_dir / name)
    qtbot.mouseClick(page.secrecy_button, Qt.MouseButton.LeftButton)

    path = out_dir / (name if name.endswith((".pdf", ".xlsx")) else name + ".pdf")
    assert shown == [("info", f"已导出2025年10月保密审查汇总表（2 条审查记录）到：\n{path}")]
    assert QSettings("govdesk", "govdesk").value(LAST_DIR_KEY) == str(out_dir)
    if kind == "pdf":
        text = "".join(p.extract_text() for p in PdfReader(path).pages)
        assert "2025年10月保密审查汇总表" in text
        assert "十月第一份公示" in text and "十月第二份公示" in text
    else:
        wb = load_workbook(path, read_only=True)
        values = [r for r in wb.active.iter_rows(values_only=True)]
        wb.close()
        assert values[0][0].endswith("2025年10月保密审查汇总表")
        assert [r[2] for r in values if isinstance(r[0], int)] == ["十月第一份公示", "十月第二份公示"]
    entry = audit_store.last_entry(reviewed.db)
    assert (entry.action, entry.object_id) == ("export", path.name)


def test_another_month_and_a_cancelled_dialog(qtbot, reviewed, tmp_path, shown):
    page = StatsPage(reviewed)
    qtbot.addWidget(page)
    page._choose_secrecy_path = lambda: None  # 取消
    qtbot.mouseClick(page.secrecy_button, Qt.MouseButton.LeftButton)
    assert shown == []
    page.set_secrecy_month(2025, 9)
    page._choose_secrecy_path = lambda: str(tmp_path / "九月.xlsx")
    qtbot.mouseClick(page.secrecy_button, Qt.MouseButton.LeftButton)
    assert shown == [("info", f"已导出2025年9月保密审查汇总表（0 条审查记录）到：\n"
                              f"{tmp_path / '九月.xlsx'}")]


def test_unwritable_folder_is_a_message(qtbot, reviewed, tmp_path, shown):
    page = StatsPage(reviewed)
    qtbot.addWidget(page)
    page._choose_secrecy_path = lambda: str(tmp_path / "没有这个文件夹" / "汇总.pdf")
    qtbot.mouseClick(page.secrecy_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1 and shown[0][0] == "warn" and "写入文件" in shown[0][1]


def test_without_the_permission_the_button_is_off(qtbot, reviewed, users, shown):
    page = StatsPage(as_user(reviewed, users[Role.ADMIN]))
    qtbot.addWidget(page)
    assert not page.secrecy_button.isEnabled()
    assert "没有" in page.secrecy_button.toolTip()
