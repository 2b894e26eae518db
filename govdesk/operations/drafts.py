"""Draft files (target B9): one JSON file per user and form in ``<stem>-drafts`` beside the
database, like its ``<stem>-backups`` folder.

Why files and not a table: the moment a draft matters most is when SQLite cannot take a write
(disk full, D4) — a draft in the database would fail with the save it is meant to rescue. A
draft is written atomically (temporary file, fsync, ``os.replace``: ``export.pdf_write``), so a
crash or an I/O error mid-write leaves the previous draft or the new one, never a torn file.

Nothing here raises into the caller: a draft that cannot be written or read is logged and
reported as ``False`` / ``None`` — the form stays open with what was typed either way.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from govdesk.core import drafts as core
from govdesk.core.drafts import Draft
from govdesk.export.pdf_write import write_atomically
from govdesk.operations.context import Context

log = logging.getLogger(__name__)

__all__ = ["drafts_dir_for", "drafts_dir", "save", "load", "delete", "list_drafts", "startup_note",
           "cleanup_temp_files"]

STALE_TEMP_SECONDS = 3600  # a draft is written in milliseconds: an hour-old temp file is orphaned


def drafts_dir_for(db_path: Path) -> Path:
    """``govdesk.db`` → ``govdesk-drafts`` in the same folder (a backup copies the database,
    not the drafts: they belong to this PC's unfinished typing)."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + "-drafts")


def cleanup_temp_files(db_path: Path, *, now: float | None = None) -> list[Path]:
    """At start: remove the temporary files of draft writes a killed govdesk left (their names
    carry no process id, unlike the backups' — so by age). Never a draft itself."""
    import time

    folder = drafts_dir_for(db_path)
    if not folder.is_dir():
        return []
    now = time.time() if now is None else now
    removed = []
    for p in folder.glob(".*.tmp"):
        try:
            if now - p.stat().st_mtime > STALE_TEMP_SECONDS:
                p.unlink()
                removed.append(p)
        except OSError:
            continue  # still open somewhere (Windows), or gone: next start
    return removed


def drafts_dir(ctx: Context) -> Path | None:
    """The open database's draft folder; None for an in-memory database (no file to sit by)."""
    try:
        name = ctx.db.conn.execute("PRAGMA database_list").fetchone()[2]
    except Exception:  # noqa: BLE001 - a closed connection: no drafts, no crash
        log.warning("drafts: cannot tell where the database is", exc_info=True)
        return None
    return drafts_dir_for(Path(name)) if name else None


def _path(ctx: Context, key: str) -> Path | None:
    folder = drafts_dir(ctx)
    return folder / (core.file_stem(ctx.actor_id, key) + core.SUFFIX) if folder else None


def save(ctx: Context, draft: Draft) -> bool:
    """Write ``draft`` (replacing the user's previous draft of the same form). False, logged,
    when it cannot be written."""
    path = _path(ctx, draft.key)
    if path is None:
        return False
    data = core.to_json(draft).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, lambda fh: fh.write(data), action="保存草稿")
    except Exception:  # noqa: BLE001 - B9: a draft never takes the form down with it
        log.warning("draft %s not written to %s", draft.key, path, exc_info=True)
        return False
    return True


def _read(path: Path) -> Draft | None:
    try:
        return core.from_json(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, core.DraftError) as exc:
        log.warning("draft %s ignored: %s", path, exc)
        return None


def load(ctx: Context, key: str) -> Draft | None:
    """The signed-in user's draft of ``key``; None when there is none or it cannot be read
    (a corrupt file is logged and left alone, never half-restored)."""
    path = _path(ctx, key)
    if path is None or not path.exists():
        return None
    draft = _read(path)
    if draft is not None and draft.key != key:
        log.warning("draft %s holds key %s, not %s: ignored", path, draft.key, key)
        return None
    return draft


def delete(ctx: Context, key: str) -> None:
    """Forget the user's draft of ``key`` (saved, or deliberately discarded)."""
    path = _path(ctx, key)
    if path is None:
        return
    try:
        path.unlink(missing_ok=True)
    except OSError:
        log.warning("draft %s not deleted", path, exc_info=True)


def list_drafts(ctx: Context) -> list[Draft]:
    """The signed-in user's readable drafts, newest first."""
    folder = drafts_dir(ctx)
    if folder is None or ctx.user is None:
        return []
    prefix = core.file_stem(ctx.actor_id, "x")[:-1]  # "u<id>-"
    found: list[Draft] = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(prefix) and entry.name.endswith(core.SUFFIX):
                draft = _read(Path(entry.path))
                if draft is not None and draft.user_id == ctx.actor_id:
                    found.append(draft)
    found.sort(key=lambda d: (-(d.saved_at.timestamp() if d.saved_at else 0.0), d.key))
    return found


def startup_note(ctx: Context) -> str:
    """What the main window says after sign-in when drafts are waiting ("" when none)."""
    return core.summary(list_drafts(ctx))
