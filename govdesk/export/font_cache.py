"""Parsed TrueType metrics kept on disk, so printing one notice in a fresh process doesn't re-parse
every CJK font.

reportlab's ``TTFontFile`` reads a font's cmap, hmtx and loca tables in pure Python, one
``struct.unpack`` per entry: 85–100 ms for each 13–20 MB CJK collection, three of them for a
notice — more than half of ``govdesk print notice`` as a whole process. What it computes depends
only on the font file and the reportlab version, so the first process to load a face stores the
result, and later processes rebuild the face from it: the character widths at once, the glyph
tables only when a subset is embedded, and the font file mapped rather than read.

The store is a cache, never a source of truth: it is keyed by path, subfont index, size,
modification time, reportlab version and this module's format; anything unreadable, stale or
unexpected is ignored and the font parsed as before. tests/test_font_cache.py checks that a PDF
made with a cached face is byte-identical to one made with a freshly parsed face, which is what
guards the few reportlab internals this relies on (the attributes ``extractInfo`` sets and the
three lines of ``TTFont.__init__`` repeated in :func:`_font_from_face`).
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import mmap
import os
import threading
from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab import Version as _RL_VERSION
from reportlab import rl_config
from reportlab.pdfbase.ttfonts import (
    TTEncoding,
    TTFNameBytes,
    TTFont,
    TTFontFace,
    unShapedFontGlob,
)

__all__ = ["load_font"]

log = logging.getLogger(__name__)

_FORMAT = 3
_MAGIC = b"GDFM%d\n" % _FORMAT

# Needed to lay text out (widths, which characters the face has): unpacked on load.
_EAGER = ("charToGlyph", "charWidths")
# Needed only to embed a subset, or by shaping: unpacked on first use, which for a face that
# lays out a page but is never embedded (or a process that fails before saving) is never.
_LAZY = ("glyphToChar", "hmetrics", "glyphPos")
# Never stored: the file's bytes (mapped again on load) and a lambda (rebuilt from unitsPerEm).
_SKIP = ("_ttf_data", "_pdfScale", "_pos")


_UNPACK_LOCK = threading.Lock()


class _CachedFace(TTFontFace):
    """A TTFontFace rebuilt from the cache, per-glyph tables unpacked when first read."""

    def __getattr__(self, attr: str):
        # Only reached when normal lookup fails, i.e. for a table not yet unpacked. Faces are
        # shared by every thread that prints (the 考核 charts render on a worker while the user
        # may print a notice): unpacking is done once, under a lock, and the table is in place
        # before its pending entry goes, so no thread ever sees it missing.
        pending = self.__dict__.get("_pending")
        if pending is None:
            raise AttributeError(attr)
        with _UNPACK_LOCK:
            if attr in self.__dict__:
                return self.__dict__[attr]
            if attr not in pending:
                raise AttributeError(attr)
            value = marshal.loads(pending[attr])
            setattr(self, attr, value)
            del pending[attr]
            return value

    def get_table(self, tag: str):
        # makeSubset reads the whole 'glyf' table (10–15 MB in a CJK font) to slice a few
        # hundred glyphs out of it: a copy per embedded subset, 100 of them in a batch. A view
        # hands out just the slices.
        if tag == "glyf":
            pos, length = self.get_table_pos(tag)
            return _TableView(self._ttf_data, pos, length)
        return super().get_table(tag)


class _TableView:
    """Read-only slices of one table of the font file, as bytes, without copying the table."""

    __slots__ = ("_data", "_pos", "_len")

    def __init__(self, data, pos: int, length: int) -> None:
        self._data, self._pos, self._len = data, pos, length

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, key: slice) -> bytes:
        if not isinstance(key, slice):
            raise TypeError("font table views are read by slices")
        start, stop, step = key.indices(self._len)
        if step != 1:
            raise ValueError("font table views are read by contiguous slices")
        return bytes(self._data[self._pos + start : self._pos + max(start, stop)])


def load_font(name: str, path: str, subfont_index: int, cache_dir: Path | None) -> TTFont:
    """A reportlab TTFont for one face of ``path``, from the cache when it has it.

    Raises what ``TTFont`` raises for a file reportlab cannot use; cache problems never raise."""
    if cache_dir is None:
        return TTFont(name, path, subfontIndex=subfont_index)
    try:
        st = os.stat(path)
    except OSError:
        return TTFont(name, path, subfontIndex=subfont_index)
    # <which face>-<which version of it>: a font updated in place, a new reportlab or a new
    # format gets a new entry, and writing it removes the face's older ones.
    face_key = _digest(f"{os.path.abspath(path)}|{subfont_index}")
    version_key = _digest(f"{_FORMAT}|{_RL_VERSION}|{st.st_size}|{st.st_mtime_ns}")
    entry = cache_dir / f"{face_key}-{version_key}.metrics"
    face = _read(entry, path)
    if face is not None:
        return _font_from_face(name, face)
    font = TTFont(name, path, subfontIndex=subfont_index)
    if _write(entry, font.face):
        # Use the stored form from the start, so the first process prints as later ones do.
        face = _read(entry, path)
        if face is not None:
            return _font_from_face(name, face)
    return font


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _font_from_face(name: str, face: TTFontFace) -> TTFont:
    # What TTFont.__init__ does after parsing (reportlab 5.1); the byte-identical-PDF test
    # notices if a later reportlab adds to it.
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, g) for g in unShapedFontGlob)
    return font


# -- encoding ---------------------------------------------------------------------------------


def _pack(face: TTFontFace) -> bytes | None:
    state: dict[str, object] = {}
    tables: dict[str, bytes] = {}
    try:
        for attr, value in face.__dict__.items():
            if attr in _SKIP:
                continue
            if attr in _EAGER or attr in _LAZY:
                tables[attr] = marshal.dumps(value)
            elif isinstance(value, TTFNameBytes):
                state[attr] = ("TTFNameBytes", bytes(value), value.ustr)
            else:
                state[attr] = value
        if set(tables) != set(_EAGER + _LAZY):
            return None  # parsed without char info, or a reportlab that names things otherwise
        # The tables follow the header raw, so loading the header doesn't copy them all.
        index, offset = {}, 0
        for attr, data in tables.items():
            index[attr] = (offset, len(data))
            offset += len(data)
        header = marshal.dumps((state, index))
        return b"".join(
            (_MAGIC, len(header).to_bytes(4, "little"), header, *tables.values())
        )
    except ValueError:  # something marshal can't store (a subclass, a function): don't cache
        return None


def _unpack(blob: bytes) -> tuple[dict[str, object], dict[str, memoryview]]:
    view = memoryview(blob)
    start = len(_MAGIC) + 4
    header_len = int.from_bytes(view[len(_MAGIC) : start], "little")
    state, index = marshal.loads(view[start : start + header_len])
    base = start + header_len
    tables = {}
    for attr, (offset, length) in index.items():
        if offset < 0 or length < 0 or base + offset + length > len(view):
            raise ValueError(f"{attr} lies outside the file")
        tables[attr] = view[base + offset : base + offset + length]
    face_state: dict[str, object] = {}
    for attr, value in state.items():
        if isinstance(value, tuple) and len(value) == 3 and value[0] == "TTFNameBytes":
            name = TTFNameBytes(value[1])
            name.ustr = value[2]
            face_state[attr] = name
        else:
            face_state[attr] = value
    for attr in _EAGER:
        value = marshal.loads(tables[attr])
        if not isinstance(value, dict):
            raise ValueError(f"{attr} is {type(value).__name__}, not dict")
        face_state[attr] = value
    if not isinstance(face_state.get("unitsPerEm"), int):
        raise ValueError("no unitsPerEm")
    pending = {attr: tables[attr] for attr in _LAZY}
    return face_state, pending


def _scale(units_per_em: int):
    # Same as TTFontFile.extractInfo: x * 1000 / unitsPerEm, computed the same way so widths
    # round identically.
    if units_per_em == 1000:
        return lambda x: x
    mult = 1000 / units_per_em
    return lambda x: x * mult


def _read(entry: Path, path: str) -> TTFontFace | None:
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    if not blob.startswith(_MAGIC):
        return None
    try:
        state, pending = _unpack(blob)
        with open(path, "rb") as fh:
            try:
                data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):
                data = fh.read()
        face = _CachedFace.__new__(_CachedFace)
        face.__dict__.update(state)
        face._pending = pending
        face._ttf_data = data
        face._pos = 0
        face._pdfScale = _scale(int(state["unitsPerEm"]))
        return face
    except Exception as exc:  # noqa: BLE001 - a bad cache entry is a miss, whatever is wrong
        log.info("font cache entry %s ignored: %s", entry.name, exc)
        return None


def _write(entry: Path, face: TTFontFace) -> bool:
    blob = _pack(face)
    if blob is None:
        return False
    tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(blob)
        os.replace(tmp, entry)
    except OSError as exc:  # a read-only or full profile folder: print without the cache
        log.info("font cache not written: %s", exc)
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return False
    face_key = entry.name.split("-", 1)[0]
    for old in entry.parent.glob(f"{face_key}-*.metrics"):
        if old != entry:
            try:
                old.unlink()
            except OSError:  # another process has it open (Windows): next time
                pass
    return True
