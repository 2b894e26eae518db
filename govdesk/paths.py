"""The one place that decides where files are: resources for source, installed and frozen runs;
the per-user data folder for the database and managed files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "govdesk"


def resource_path(*parts: str) -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root, "resources", *parts)
    here = Path(__file__).resolve().parent
    for root in (here.parent / "resources", here / "resources"):
        if root.exists():
            return root.joinpath(*parts)
    return here.parent.joinpath("resources", *parts)


def data_dir() -> Path:
    # Per-user local application data (e.g. %LOCALAPPDATA%\govdesk on Windows): never Documents or
    # the Desktop, which "Controlled folder access" and cloud sync clients interfere with.
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


def cache_dir() -> Path:
    """Per-user cache (%LOCALAPPDATA%\\govdesk\\Cache on Windows): things govdesk can always
    make again, such as parsed font metrics. ``GOVDESK_CACHE_DIR`` points it elsewhere (tests)."""
    override = os.environ.get("GOVDESK_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "govdesk.db"


def files_dir_for(db_path: Path) -> Path:
    """Managed files (board photos) live beside the database they belong to."""
    return db_path.with_name(db_path.stem + "-files")
