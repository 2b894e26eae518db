"""设置 → 热线渠道 on a real temporary database: an admin adds, edits and removes channels
(saved at once through the registers operations), a channel that registered cases use cannot
be removed or renamed, and a non-admin only looks."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import as_user

from govdesk.core.org import Role
from govdesk.core.registers import DEFAULT_HOTLINE_CHANNELS, HotlineCase, HotlineChannel
from govdesk.gui import messages
from govdesk.gui.pages import hotline_channels_tab as tab_module
from govdesk.gui.pages.hotline_channels_tab import ChannelDialog, HotlineChannelsTab
from govdesk.gui.pages.settings_page import SettingsPage
from govdesk.operations import registers as register_ops


@pytest.fixture
def shown(monkeypatch) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name in ("info", "warn", "error"):
        monkeypatch.setattr(messages, name,
                            lambda _p, text, *_a, n=name, **_k: out.append((n, text)))
    monkeypatch.setattr(messages, "confirm",
                        lambda _p, text, *_a, **_k: out.append(("confirm", text)) or True)
    return out


class Answers(list):
    opened: list


@pytest.fixture
def answers(monkeypatch) -> Answers:
    """What the channel dialog returns, in order (and what it was opened with)."""
    queue = Answers()
    opened: list[tuple[HotlineChannel | None, int]] = []

    def ask(cls, parent, channel=None, *, used=0):
        opened.append((channel, used))
        return queue.pop(0)

    monkeypatch.setattr(ChannelDialog, "ask", classmethod(ask))
    queue.opened = opened
    return queue


def make_tab(qtbot, ctx, editable: bool = True) -> HotlineChannelsTab:
    tab = HotlineChannelsTab(ctx)
    qtbot.addWidget(tab)
    tab.set_editable(editable)
    tab.resize(800, 480)
    tab.show()
    return tab


def cells(tab: HotlineChannelsTab) -> list[list[str]]:
    m = tab.model
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_lists_the_channels_with_their_days_and_use(qtbot, ctx, users, org):
    register_ops.add_record(ctx, HotlineCase(date(2025, 11, 19), "12345热线", "噪音扰民",
                                             unit_id=1))
    tab = make_tab(qtbot, as_user(ctx, users[Role.ADMIN]))
    rows = cells(tab)
    assert [r[0] for r in rows] == [c.name for c in DEFAULT_HOTLINE_CHANNELS]
    assert rows[0] == ["12345热线", "5 个工作日", "1 件"]
    assert rows[4] == ["网络舆情", "2 个工作日", "—"]


def test_admin_adds_edits_and_removes_a_channel(qtbot, ctx, users, org, shown, answers):
    admin = as_user(ctx, users[Role.ADMIN])
    tab = make_tab(qtbot, admin)
    changed = []
    tab.changed.connect(lambda: changed.append(1))

    answers.append(HotlineChannel("镇长信箱", 10))
    tab.add_button.click()
    assert register_ops.hotline_channels(ctx)[-1] == HotlineChannel("镇长信箱", 10)
    assert tab.selected() == HotlineChannel("镇长信箱", 10)
    assert cells(tab)[-1][:2] == ["镇长信箱", "10 个工作日"]

    answers.append(HotlineChannel("镇长热线信箱", 7))
    tab.edit_button.click()
    assert answers.opened[-1] == (HotlineChannel("镇长信箱", 10), 0)
    assert register_ops.hotline_channels(ctx)[-1] == HotlineChannel("镇长热线信箱", 7)

    tab.remove_button.click()
    assert shown[-1][0] == "confirm" and "镇长热线信箱" in shown[-1][1]
    assert [c.name for c in register_ops.hotline_channels(ctx)] == \
        [c.name for c in DEFAULT_HOTLINE_CHANNELS]
    assert len(changed) == 3


def test_a_refused_channel_is_not_saved(qtbot, ctx, users, org, shown, answers):
    tab = make_tab(qtbot, as_user(ctx, users[Role.ADMIN]))
    answers.append(HotlineChannel("市长信箱", 3))  # a name already in the list
    assert not tab.add_channel()
    assert shown and shown[-1][0] in ("warn", "error")
    assert register_ops.hotline_channels(ctx) == DEFAULT_HOTLINE_CHANNELS


def test_a_used_channel_cannot_be_removed_or_renamed(qtbot, ctx, users, org, shown, answers):
    register_ops.add_record(ctx, HotlineCase(date(2025, 11, 19), "市长信箱", "道路破损",
                                             unit_id=1))
    admin = as_user(ctx, users[Role.ADMIN])
    tab = make_tab(qtbot, admin)
    tab.select_name("市长信箱")
    assert not tab.remove_selected()
    assert shown[-1] == ("warn", "渠道“市长信箱”已有1件登记事项使用，不能删除。"
                                 "如不再使用，可以保留它；也可以修改它的默认办理时限。")
    assert "市长信箱" in [c.name for c in register_ops.hotline_channels(ctx)]

    # the days can change; the dialog is told the channel is in use
    answers.append(HotlineChannel("市长信箱", 20))
    assert tab.edit_selected()
    assert answers.opened[-1] == (HotlineChannel("市长信箱", 15), 1)
    assert HotlineChannel("市长信箱", 20) in register_ops.hotline_channels(ctx)

    # the operation refuses a rename (or a removal) too, in Chinese
    with pytest.raises(Exception, match="已有1件登记事项使用，不能删除或改名"):
        register_ops.save_hotline_channels(admin, [c for c in register_ops.hotline_channels(ctx)
                                                   if c.name != "市长信箱"])


def test_the_dialog_locks_the_name_of_a_used_channel(qtbot):
    dialog = ChannelDialog(None, HotlineChannel("市长信箱", 15), used=2)
    qtbot.addWidget(dialog)
    assert dialog.name_edit.isReadOnly()
    dialog.days_spin.setValue(12)
    assert dialog.value() == HotlineChannel("市长信箱", 12)


def test_non_admin_only_looks(qtbot, ctx, users, org, answers):
    page = SettingsPage(ctx)  # the clerk
    qtbot.addWidget(page)
    tab = page.hotline_tab
    assert page.tabs.tabText(page.tabs.indexOf(tab)) == "热线渠道"
    tab.view.selectRow(0)
    for b in (tab.add_button, tab.edit_button, tab.remove_button):
        assert not b.isEnabled() and b.toolTip() == tab_module.NO_EDIT_TIP
    assert not tab.add_channel() and not tab.remove_selected()
    assert answers.opened == []
    admin_page = SettingsPage(as_user(ctx, users[Role.ADMIN]))
    qtbot.addWidget(admin_page)
    assert admin_page.hotline_tab.add_button.isEnabled()
