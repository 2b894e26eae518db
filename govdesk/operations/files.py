"""Managed files (board photos, scans of signed paper slips): copied into the folder beside the
database under a name made from their content (target I8) — the user's own file name is never
used as a path, and the same file stored twice is one file."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Mapping
from pathlib import Path

from govdesk.core.errors import UserError
from govdesk.operations.context import Context

MAX_BYTES = 20 * 1024 * 1024
JPEG, PNG, PDF = b"\xff\xd8\xff", b"\x89PNG", b"%PDF-"


def store_file(ctx: Context, source: str | Path, *, folder: str, kinds: Mapping[str, bytes],
               label: str, allowed: str, noun: str = "文件") -> str:
    """Copy ``source`` into ``files_dir/folder`` and return its stored name. ``kinds`` maps
    the accepted suffixes to the bytes such a file starts with; ``label`` (照片, 扫描件) and
    ``allowed`` (“JPG 或 PNG 图片”) make the Chinese messages."""
    src = Path(source)
    ext = src.suffix.lower()
    if ext not in kinds:
        raise UserError(f"{label}只能是{allowed}", field=label)
    try:
        size = src.stat().st_size
    except OSError:
        raise UserError(f"找不到{label}文件：{src.name}", field=label) from None
    if size > MAX_BYTES:
        raise UserError(f"{label}不能超过 20 MB", field=label)
    data = src.read_bytes()
    if not data.startswith(kinds[ext]):
        raise UserError(f"“{src.name}”不是有效的 {ext[1:].upper()} {noun}", field=label)
    if ctx.files_dir is None:
        raise UserError(f"未设置{label}存放目录")
    name = hashlib.sha256(data).hexdigest() + (".jpg" if ext == ".jpeg" else ext)
    target_dir = ctx.files_dir / folder
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / name
    if not target.exists():
        tmp = target.with_suffix(target.suffix + ".tmp")
        shutil.copyfile(src, tmp)
        tmp.replace(target)
    return name


def stored_path(ctx: Context, folder: str, name: str) -> Path | None:
    """Where a stored file is, or None (never outside its folder)."""
    if not name or ctx.files_dir is None or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = ctx.files_dir / folder / name
    return path if path.is_file() else None
