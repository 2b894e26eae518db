"""使用指南: the user guide (docs/guide, Markdown with pictures) shown inside govdesk.

Qt renders Markdown itself (QTextBrowser picks the Markdown reader from the .md suffix) and
follows the links between chapters and to the pictures, so the guide needs no converter at
build time and never opens in Notepad, which is what Windows does with a .md file. A link to
anything but a local chapter opens with the system's handler instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

GUIDE_INDEX = "README.md"


def guide_dir() -> Path | None:
    """Where the guide is: beside the program in the installed bundle, or in the source tree."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller's folder of data files
    if bundle:
        candidates.append(Path(bundle) / "docs" / "guide")
    candidates.append(Path(__file__).resolve().parents[3] / "docs" / "guide")
    return next((c for c in candidates if (c / GUIDE_INDEX).is_file()), None)


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("使用指南")
        self.resize(980, 760)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        self.back_button = QPushButton("后退")
        self.home_button = QPushButton("目录")
        close = QPushButton("关闭")
        self.back_button.clicked.connect(self.browser.backward)
        self.home_button.clicked.connect(self.browser.home)
        close.clicked.connect(self.accept)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.back_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.home_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        self.folder = folder if folder is not None else guide_dir()
        if self.folder is None or not (self.folder / GUIDE_INDEX).is_file():
            self.browser.setPlainText("没有找到使用指南（docs/guide）。请重新安装 govdesk。")
            self.home_button.setEnabled(False)
        else:
            self.browser.setSource(QUrl.fromLocalFile(str(self.folder / GUIDE_INDEX)))

    def _follow(self, url: QUrl) -> None:
        if url.isRelative() or url.isLocalFile():
            target = self.browser.source().resolved(url)
            if target.toLocalFile().endswith(".md"):
                self.browser.setSource(target)
                return
        QDesktopServices.openUrl(url)

    @classmethod
    def show_guide(cls, parent: QWidget | None) -> None:
        dialog = cls(parent)
        dialog.exec()
        dialog.deleteLater()
