"""Print fonts: which TrueType file plays which GB/T 9704 role, found once and registered once.

GB/T 9704-2012 names faces, not files: 小标宋体 (title), 仿宋体 (body, 5.2.2), 黑体 (level-1
headings), 楷体 (level-2 headings), 宋体 (page numbers, 7.5). Offices install them as
方正小标宋简体 (FZXBSJW.TTF), 仿宋/仿宋_GB2312 (simfang.ttf), 黑体 (simhei.ttf), 楷体/楷体_GB2312
(simkai.ttf) and 宋体 (simsun.ttc). :func:`resolve_fonts` finds a file for every role:

1. the office's own choice from the settings page (``overrides``: role → file);
2. the Windows font folders — ``%WINDIR%\\Fonts`` *and* the per-user
   ``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts`` where Windows 10+ puts fonts installed "for me
   only" (reportlab searches neither the second nor, reliably, the first);
3. fontconfig (``fc-list``, run once per process) or, without it, the usual font folders;
4. stand-ins when the named face is missing (黑体 for 小标宋; AR PL UMing for 仿宋/宋体;
   AR PL UKai for 楷体; WenQuanYi for 黑体) — marked ``substitute`` so the settings page can say so;
5. otherwise a :class:`UserError` naming the missing face and how to install it.

Only TrueType outlines can be embedded by reportlab: CFF-outline OpenType fonts (Noto CJK, most
.otf) are skipped with a reason (or refused with one when chosen explicitly), and so are fonts
whose licence bits (OS/2 fsType) forbid embedding or subsetting. For .ttc collections the
simplified-Chinese face is chosen (e.g. "AR PL UMing CN" rather than its TW/HK siblings).
No Qt and no database here.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import subprocess
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from govdesk.core.errors import UserError

__all__ = [
    "ROLES",
    "ROLE_LABELS",
    "FaceInfo",
    "FontFileError",
    "FontStatus",
    "ResolvedFont",
    "clear_caches",
    "describe",
    "embedding_problem",
    "faces_from_bytes",
    "read_faces",
    "resolve_fonts",
    "warm_up",
]

ROLES: tuple[str, ...] = ("title", "body", "heading1", "heading2", "page_number")

ROLE_LABELS: Mapping[str, str] = {
    "title": "标题（小标宋）",
    "body": "正文（仿宋）",
    "heading1": "一级标题（黑体）",
    "heading2": "二级标题（楷体）",
    "page_number": "页码（宋体）",
}

_SETTINGS_HINT = "请安装后重试，或在“设置 → 打印字体”中指定字体文件。"


@dataclass(frozen=True, slots=True)
class ResolvedFont:
    name: str  # the name registered with reportlab (use it in setFont / styles)
    path: str
    subfont_index: int  # face inside a .ttc collection, 0 for a plain .ttf
    family: str  # e.g. "FangSong" or "AR PL UMing CN"
    substitute: bool = False  # a stand-in for the face GB/T 9704 asks for
    source: str = ""  # where it was found, in Chinese, for the settings page
    note: str = ""  # why better candidates were passed over (CFF, licence …), if any


@dataclass(frozen=True, slots=True)
class FontStatus:
    """One row of the settings page's "打印字体" list."""

    role: str
    label: str
    font: ResolvedFont | None
    problem: str = ""

    @property
    def text(self) -> str:
        if self.font is None:
            return f"{self.label}：{self.problem}"
        f = self.font
        face = f"{f.family}（{Path(f.path).name}" + (
            f"中的第{f.subfont_index + 1}个字体）" if f.path.lower().endswith(".ttc") else "）"
        )
        sub = "，替代字体" if f.substitute else ""
        why = f"（未采用的字体：{f.note}）" if f.note else ""
        return f"{self.label}：{face} — {f.source}{sub}：{f.path}{why}"


@dataclass(frozen=True, slots=True)
class _RoleSpec:
    wanted: str  # the face's name in messages
    hint: str  # what to install, in the error message
    files: tuple[str, ...]  # Windows file names (lower case)
    families: tuple[str, ...]  # fontconfig family names, lower case
    sub_files: tuple[str, ...] = ()  # stand-ins, by file name
    sub_families: tuple[str, ...] = ()  # stand-ins, by family


_HEI_FILES = ("simhei.ttf",)
_HEI_FAMILIES = ("黑体", "simhei")
_HEI_SUBS_FILES = ("wqy-zenhei.ttc", "wqy-microhei.ttc", "droidsansfallbackfull.ttf")
_HEI_SUBS_FAMILIES = (
    "wenquanyi zen hei",
    "文泉驿正黑",
    "wenquanyi micro hei",
    "文泉驿微米黑",
    "droid sans fallback",
)
_MING_FILES = ("uming.ttc", "gbsn00lp.ttf")
_MING_FAMILIES = ("ar pl uming cn", "ar pl uming", "ar pl sungtil gb")

_SPECS: Mapping[str, _RoleSpec] = {
    "title": _RoleSpec(
        "小标宋",
        "方正小标宋简体 FZXBSJW.TTF 或 黑体 simhei.ttf",
        ("fzxbsjw.ttf", "fzxbsk.ttf", "方正小标宋简体.ttf", "方正小标宋_gbk.ttf"),
        ("方正小标宋简体", "方正小标宋_gbk", "fzxiaobiaosong-b05s", "fzxiaobiaosong-b05"),
        _HEI_FILES + _HEI_SUBS_FILES,
        _HEI_FAMILIES + _HEI_SUBS_FAMILIES,
    ),
    "body": _RoleSpec(
        "仿宋",
        "仿宋_GB2312 或 simfang.ttf",
        ("simfang.ttf", "仿宋_gb2312.ttf", "fs_gb2312.ttf", "fangsong_gb2312.ttf", "stfangso.ttf"),
        ("仿宋", "fangsong", "仿宋_gb2312", "fangsong_gb2312", "华文仿宋", "stfangsong"),
        _MING_FILES,
        _MING_FAMILIES,
    ),
    "heading1": _RoleSpec(
        "黑体", "simhei.ttf", _HEI_FILES, _HEI_FAMILIES, _HEI_SUBS_FILES, _HEI_SUBS_FAMILIES
    ),
    "heading2": _RoleSpec(
        "楷体",
        "楷体_GB2312 或 simkai.ttf",
        ("simkai.ttf", "楷体_gb2312.ttf", "kaiti_gb2312.ttf", "kt_gb2312.ttf", "stkaiti.ttf"),
        ("楷体", "kaiti", "楷体_gb2312", "kaiti_gb2312", "华文楷体", "stkaiti"),
        ("ukai.ttc", "gkai00mp.ttf"),
        ("ar pl ukai cn", "ar pl ukai", "ar pl kaitim gb"),
    ),
    "page_number": _RoleSpec(
        "宋体",
        "simsun.ttc",
        ("simsun.ttc", "simsun.ttf"),
        ("宋体", "simsun"),
        _MING_FILES,
        _MING_FAMILIES,
    ),
}

# Faces in a collection that are the simplified-Chinese member (AR PL UMing CN, not TW/HK).
_CN_MARKERS = (" cn", " sc", " gb", "简", "simplified")


# --------------------------------------------------------------------------- sfnt parsing


class FontFileError(Exception):
    """The file is not a font we can read; the message is Chinese."""


@dataclass(frozen=True, slots=True)
class FaceInfo:
    index: int
    families: tuple[str, ...]  # English first, then other languages (仿宋, 文泉驿正黑 …)
    cff: bool  # PostScript (CFF/CFF2) outlines: reportlab cannot embed these
    truetype: bool  # has 'glyf' outlines
    fs_type: int  # OS/2 embedding-licence bits


def embedding_problem(fs_type: int) -> str:
    """Why the OS/2 fsType bits forbid use in a PDF, or "" (the same test reportlab applies:
    "restricted licence" 0x0002, "no subsetting" 0x0100, "bitmap embedding only" 0x0200)."""
    if fs_type & 0x000F == 0x0002:
        return "字体授权为“受限制”，不允许嵌入"
    if fs_type & 0x0100:
        return "字体授权不允许子集化嵌入"
    if fs_type & 0x0200:
        return "字体授权只允许嵌入位图"
    return ""


def _parse(read: Callable[[int, int], bytes]) -> list[FaceInfo]:
    try:
        head = read(0, 12)
        tag = head[:4]
        if tag == b"ttcf":
            (count,) = struct.unpack(">I", head[8:12])
            if not 0 < count < 256:
                raise FontFileError("字体集合文件头有误")
            offsets = struct.unpack(f">{count}I", read(12, 4 * count))
        elif tag in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
            offsets = (0,)
        else:
            raise FontFileError("不是 TrueType/OpenType 字体文件")
        faces = []
        for index, off in enumerate(offsets):
            version, num_tables = struct.unpack(">4sH", read(off, 6))
            directory = read(off + 12, 16 * num_tables)
            tables: dict[bytes, tuple[int, int]] = {}
            for i in range(num_tables):
                t, _checksum, t_off, t_len = struct.unpack(
                    ">4sIII", directory[16 * i : 16 * i + 16]
                )
                tables[t] = (t_off, t_len)
            cff = version == b"OTTO" or b"CFF " in tables or b"CFF2" in tables
            fs_type = 0
            if b"OS/2" in tables:
                o, n = tables[b"OS/2"]
                if n >= 10:
                    (fs_type,) = struct.unpack(">H", read(o + 8, 2))
            families: tuple[str, ...] = ()
            if b"name" in tables:
                o, n = tables[b"name"]
                families = _family_names(read(o, min(n, 1 << 20)))
            faces.append(FaceInfo(index, families, cff, b"glyf" in tables, fs_type))
        return faces
    except (struct.error, IndexError, ValueError) as exc:
        raise FontFileError("文件已损坏或格式不受支持") from exc


def _family_names(data: bytes) -> tuple[str, ...]:
    _fmt, count, str_off = struct.unpack(">HHH", data[:6])
    english: list[str] = []
    other: list[str] = []
    for i in range(count):
        pid, eid, lang, nid, length, off = struct.unpack(">HHHHHH", data[6 + 12 * i : 18 + 12 * i])
        if nid not in (1, 16):
            continue
        raw = data[str_off + off : str_off + off + length]
        if pid in (0, 3):
            text = raw.decode("utf-16-be", "replace")
        elif pid == 1 and eid == 0:
            text = raw.decode("mac_roman", "replace")
        else:
            continue
        text = text.strip("\x00 ")
        if not text:
            continue
        bucket = english if (pid == 3 and lang == 0x409) or pid == 1 else other
        if text not in english and text not in other:
            bucket.append(text)
    return tuple(english + other)


def faces_from_bytes(data: bytes) -> list[FaceInfo]:
    """The faces of a font file given as bytes (raises FontFileError)."""

    def read(offset: int, length: int) -> bytes:
        chunk = data[offset : offset + length]
        if len(chunk) != length:
            raise FontFileError("文件不完整")
        return chunk

    return _parse(read)


def read_faces(path: str | os.PathLike[str]) -> list[FaceInfo]:
    """The faces of a font file, reading only its headers and name tables (fast on 20 MB .ttc)."""
    with open(path, "rb") as fh:

        def read(offset: int, length: int) -> bytes:
            fh.seek(offset)
            chunk = fh.read(length)
            if len(chunk) != length:
                raise FontFileError("文件不完整")
            return chunk

        return _parse(read)


def _face_problem(face: FaceInfo, name: str) -> str:
    if face.cff:
        return (
            f"字体文件“{name}”是 PostScript（CFF）轮廓的 OpenType 字体，PDF 无法嵌入这种字体。"
            "请改用 TrueType 字体（.ttf 或 .ttc）。"
        )
    if not face.truetype:
        return f"字体文件“{name}”不含 TrueType 轮廓，PDF 无法嵌入。请改用 TrueType 字体（.ttf 或 .ttc）。"
    why = embedding_problem(face.fs_type)
    if why:
        return (
            f"字体文件“{name}”不能用于打印：{why}（fsType=0x{face.fs_type:04X}）。请改用其他字体。"
        )
    return ""


def _pick_face(faces: list[FaceInfo], families: Iterable[str], index: int | None) -> FaceInfo:
    """The face of a collection to use: a given index, else the one whose family is wanted,
    else the simplified-Chinese member, else the first."""
    if index is not None:
        for f in faces:
            if f.index == index:
                return f
        raise FontFileError(f"字体集合中没有第{index + 1}个字体")
    wanted = [w.lower() for w in families]
    for w in wanted:
        for f in faces:
            if any(n.lower() == w for n in f.families):
                return f
    for f in faces:
        if any(m in n.lower() for n in f.families for m in _CN_MARKERS):
            return f
    return faces[0]


# --------------------------------------------------------------------------- where fonts are

_lock = threading.RLock()
_fc_lock = threading.Lock()
_fc_cache: list[tuple[str, int, tuple[str, ...], str]] | None = None
_dir_cache: dict[str, str] | None = None
_win_cache: dict[str, str] | None = None
_registered: dict[tuple[str, int], str] = {}
_resolved: dict[tuple[tuple[str, str], ...], dict[str, ResolvedFont]] = {}


def warm_up() -> None:
    """Start listing the system's fonts (fc-list, where there is one) on a background thread,
    so a command that will print has the answer when it gets there instead of waiting for it
    after its other start-up work."""
    if os.name == "nt" or _fc_cache is not None:
        return
    threading.Thread(target=_fontconfig, name="govdesk-fc-list", daemon=True).start()


def clear_caches() -> None:
    """Forget fc-list output, folder listings and resolutions (tests; the settings page after
    the office installs a font). Fonts already registered with reportlab stay registered."""
    global _fc_cache, _dir_cache, _win_cache
    with _lock:
        _fc_cache = _dir_cache = _win_cache = None
        _resolved.clear()


def _windows_font_dirs() -> list[Path]:
    dirs = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:  # Windows 10 1809+: fonts installed for the current user only
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _list_files(dirs: Iterable[Path], *, recursive: bool) -> dict[str, str]:
    found: dict[str, str] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        try:
            walker = os.walk(d) if recursive else [(str(d), [], os.listdir(d))]
            for root, _subdirs, files in walker:
                for f in files:
                    if f.lower().endswith((".ttf", ".ttc", ".otf")):
                        found.setdefault(f.lower(), os.path.join(root, f))
        except OSError:
            continue
    return found


def _windows_files() -> dict[str, str]:
    global _win_cache
    if _win_cache is None:
        _win_cache = _list_files(_windows_font_dirs(), recursive=False)
    return _win_cache


def _other_dirs_files() -> dict[str, str]:
    global _dir_cache
    if _dir_cache is None:
        home = Path.home()
        _dir_cache = _list_files(
            [
                Path("/usr/share/fonts"),
                Path("/usr/local/share/fonts"),
                home / ".fonts",
                home / ".local/share/fonts",
                Path("/Library/Fonts"),
                home / "Library/Fonts",
            ],
            recursive=True,
        )
    return _dir_cache


def _fontconfig() -> list[tuple[str, int, tuple[str, ...], str]] | None:
    """fc-list's Chinese fonts as (file, index, families, format), once per process; None
    without fontconfig (Windows) or if it fails."""
    with _fc_lock:  # a warm_up() thread may be running it already: wait for its answer
        return _fontconfig_locked()


def _fontconfig_locked() -> list[tuple[str, int, tuple[str, ...], str]] | None:
    global _fc_cache
    if _fc_cache is not None:
        return _fc_cache
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "--format", "%{file}\t%{index}\t%{family}\t%{fontformat}\n", ":lang=zh"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=15,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    rows = []
    for line in sorted(out.splitlines()):  # sorted: the same choice on every run
        parts = line.split("\t")
        if len(parts) < 4 or not parts[0]:
            continue
        try:
            index = int(parts[1] or 0)
        except ValueError:
            index = 0
        families = tuple(f.strip() for f in parts[2].split(",") if f.strip())
        rows.append((parts[0], index, families, parts[3]))
    _fc_cache = rows
    return rows


def _candidates(
    files: tuple[str, ...], families: tuple[str, ...]
) -> Iterable[tuple[str, int | None, str]]:
    """(path, subfont index or None, where) in search order: Windows folders by file name,
    then fontconfig by family, then the usual folders by file name."""
    win = _windows_files()
    for name in files:
        if name in win:
            yield win[name], None, "Windows 字体文件夹"
    fc = _fontconfig()
    if fc is not None:
        for fam in families:
            for path, index, fams, _fmt in fc:
                if any(f.lower() == fam for f in fams):
                    yield path, index, "系统字体"
    others = _other_dirs_files()
    for name in files:
        if name in others:
            yield others[name], None, "系统字体文件夹"


def _register(path: str, index: int) -> str:
    key = (os.path.normcase(os.path.abspath(path)), index)
    with _lock:
        name = _registered.get(key)
        if name is not None:
            return name
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError

        from govdesk.export.font_cache import load_font

        name = "GD" + hashlib.sha1(f"{key[0]}#{index}".encode()).hexdigest()[:12]
        try:
            font = load_font(name, path, index, _metrics_cache_dir())
        except (TTFError, OSError, ValueError) as exc:
            raise UserError(f"字体文件“{Path(path).name}”不能用于打印：{exc}") from exc
        pdfmetrics.registerFont(font)
        _registered[key] = name
        return name


def _metrics_cache_dir() -> Path | None:
    from govdesk.paths import cache_dir

    try:
        return cache_dir() / "font-metrics"
    except Exception:  # noqa: BLE001 - no profile folder at all: parse fonts every time
        return None


def _try(path: str, index: int | None, families: tuple[str, ...]) -> tuple[FaceInfo | None, str]:
    """The usable face of a candidate file, or (None, reason)."""
    name = Path(path).name
    try:
        face = _pick_face(read_faces(path), families, index)
    except FileNotFoundError:
        return None, f"字体文件“{path}”不存在"
    except (OSError, FontFileError) as exc:
        return None, f"字体文件“{name}”无法读取（{exc}）"
    problem = _face_problem(face, name)
    return (None, problem) if problem else (face, "")


def _resolve_override(role: str, value: str) -> ResolvedFont:
    spec = _SPECS[role]
    label = ROLE_LABELS[role]
    path = os.fspath(value)
    if not os.path.isfile(path):
        raise UserError(
            f"未找到打印字体文件：{path}（{label}）。"
            "请在“设置 → 打印字体”中重新选择字体文件，或清除该设置改用系统字体。",
            field="打印字体",
        )
    face, problem = _try(path, None, spec.families + spec.sub_families)
    if face is None:
        raise UserError(f"{label}：{problem}", field="打印字体")
    name = _register(path, face.index)
    family = face.families[0] if face.families else Path(path).stem
    return ResolvedFont(name, path, face.index, family, False, "设置中指定")


def _resolve_role(role: str) -> ResolvedFont:
    spec = _SPECS[role]
    rejected: list[str] = []
    for files, families, substitute in (
        (spec.files, spec.families, False),
        (spec.sub_files, spec.sub_families, True),
    ):
        for path, index, where in _candidates(files, families):
            face, problem = _try(path, index, families)
            if face is not None:
                try:
                    name = _register(path, face.index)
                except UserError as exc:  # reportlab refused it for a reason we did not check
                    face, problem = None, exc.message
            if face is None:
                rejected.append(problem)
                continue
            family = face.families[0] if face.families else Path(path).stem
            note = "；".join(dict.fromkeys(rejected))
            return ResolvedFont(name, path, face.index, family, substitute, where, note)
    extra = f"（找到的字体不可用：{'；'.join(dict.fromkeys(rejected))}）" if rejected else ""
    raise UserError(
        f"未找到{spec.wanted}字体（{spec.hint}）{extra}。{_SETTINGS_HINT}", field="打印字体"
    )


def _key(overrides: Mapping[str, str | os.PathLike[str]] | None) -> tuple[tuple[str, str], ...]:
    if not overrides:
        return ()
    unknown = set(overrides) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown font roles: {sorted(unknown)}")
    return tuple(sorted((r, os.fspath(p)) for r, p in overrides.items() if p))


def resolve_fonts(
    overrides: Mapping[str, str | os.PathLike[str]] | None = None,
) -> dict[str, ResolvedFont]:
    """A registered TrueType font for every role in :data:`ROLES` (cached per overrides).

    Raises UserError (Chinese, naming the face and what to install) when a role has no font,
    or when an override is missing, CFF-outlined or not embeddable."""
    key = _key(overrides)
    with _lock:
        cached = _resolved.get(key)
        if cached is not None:
            return dict(cached)
        chosen = dict(key)
        result: dict[str, ResolvedFont] = {}
        for role in ROLES:
            if role in chosen:
                result[role] = _resolve_override(role, chosen[role])
            elif role == "page_number":
                # 7.5: 宋体 digits; a township PC without 宋体 and UMing prints them in the body face.
                try:
                    result[role] = _resolve_role(role)
                except UserError:
                    result[role] = replace(result["body"], substitute=True)
            else:
                result[role] = _resolve_role(role)
        _resolved[key] = result
        return dict(result)


def describe(
    overrides: Mapping[str, str | os.PathLike[str]] | None = None,
) -> list[FontStatus]:
    """What each role resolved to, for the settings page; never raises for a missing font."""
    chosen = dict(_key(overrides))
    rows: list[FontStatus] = []
    body: ResolvedFont | None = None
    for role in ROLES:
        label = ROLE_LABELS[role]
        try:
            with _lock:
                font = (
                    _resolve_override(role, chosen[role]) if role in chosen else _resolve_role(role)
                )
        except UserError as exc:
            if role == "page_number" and body is not None:
                font = replace(body, substitute=True)
            else:
                rows.append(FontStatus(role, label, None, exc.message))
                continue
        if role == "body":
            body = font
        rows.append(FontStatus(role, label, font))
    return rows
