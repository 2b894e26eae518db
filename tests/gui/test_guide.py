"""The user guide opens inside govdesk (F1 or 使用指南): the index renders from docs/guide,
links between chapters are followed, and the pictures the chapters use exist."""

import os
import re

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QUrl  # noqa: E402

from govdesk.gui.dialogs.guide_dialog import GUIDE_INDEX, GuideDialog, guide_dir  # noqa: E402


def test_the_guide_is_found_and_its_links_resolve():
    folder = guide_dir()
    assert folder is not None and (folder / GUIDE_INDEX).is_file()
    for page in folder.glob("*.md"):
        text = page.read_text("utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)", text):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), (page.name, target)


def test_the_dialog_shows_the_index_and_follows_a_chapter_link(qtbot):
    dialog = GuideDialog()
    qtbot.addWidget(dialog)
    assert "使用指南" in dialog.windowTitle()
    assert dialog.browser.source().toLocalFile().endswith(GUIDE_INDEX)
    assert "登记" in dialog.browser.toPlainText()
    chapter = next(p for p in sorted(dialog.folder.glob("0*.md")))
    dialog._follow(QUrl(chapter.name))
    assert dialog.browser.source().toLocalFile().endswith(chapter.name)
    assert dialog.back_button.isEnabled()
    dialog.back_button.click()
    assert dialog.browser.source().toLocalFile().endswith(GUIDE_INDEX)


def test_a_missing_guide_says_so(qtbot, tmp_path):
    dialog = GuideDialog(folder=tmp_path)
    qtbot.addWidget(dialog)
    assert "没有找到使用指南" in dialog.browser.toPlainText()
    assert not dialog.home_button.isEnabled()
