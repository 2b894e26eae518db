"""Print-font resolution: roles, search order, .ttc faces, CFF and licence refusals."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from govdesk.core.errors import UserError
from govdesk.export import fonts
from govdesk.export.fonts import (
    ROLES,
    FontFileError,
    clear_caches,
    describe,
    embedding_problem,
    faces_from_bytes,
    read_faces,
    resolve_fonts,
)

UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")
MICROHEI = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
needs_system_fonts = pytest.mark.skipif(
    not (UMING.exists() and UKAI.exists() and MICROHEI.exists()),
    reason="AR PL UMing/UKai and WenQuanYi Micro Hei are not installed",
)


@pytest.fixture
def fresh():
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def no_system_fonts(fresh, monkeypatch):
    monkeypatch.delenv("WINDIR", raising=False)
    monkeypatch.delenv("SystemRoot", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    monkeypatch.setattr(fonts, "_fontconfig", lambda: [])
    monkeypatch.setattr(fonts, "_other_dirs_files", lambda: {})


# --------------------------------------------------------------------------- fake sfnt files


def _name_table(*families: str) -> bytes:
    records, strings = b"", b""
    for fam in families:
        raw = fam.encode("utf-16-be")
        records += struct.pack(">HHHHHH", 3, 1, 0x409, 1, len(raw), len(strings))
        strings += raw
    return struct.pack(">HHH", 0, len(families), 6 + 12 * len(families)) + records + strings


def _os2(fs_type: int) -> bytes:
    return struct.pack(">HhHHH", 3, 500, 400, 5, fs_type) + bytes(86)


def _face(tables: dict[bytes, bytes], base: int, version: bytes) -> bytes:
    n = len(tables)
    head = version + struct.pack(">HHHH", n, 0, 0, 0)
    offset = base + 12 + 16 * n
    directory, data = b"", b""
    for tag, body in tables.items():
        directory += struct.pack(">4sIII", tag, 0, offset + len(data), len(body))
        data += body + bytes(-len(body) % 4)
    return head + directory + data


def sfnt(family: str, *, cff: bool = False, fs_type: int = 0) -> bytes:
    outline = {b"CFF ": bytes(16)} if cff else {b"glyf": bytes(16)}
    tables = {**outline, b"OS/2": _os2(fs_type), b"name": _name_table(family)}
    return _face(tables, 0, b"OTTO" if cff else b"\x00\x01\x00\x00")


def ttc(*families: str) -> bytes:
    header_len = 12 + 4 * len(families)
    blobs: list[bytes] = []
    offsets = []
    pos = header_len
    for fam in families:
        blob = _face(
            {b"glyf": bytes(16), b"OS/2": _os2(0), b"name": _name_table(fam)},
            pos,
            b"\x00\x01\x00\x00",
        )
        offsets.append(pos)
        blobs.append(blob)
        pos += len(blob)
    head = (
        b"ttcf"
        + struct.pack(">II", 0x00010000, len(families))
        + struct.pack(f">{len(families)}I", *offsets)
    )
    return head + b"".join(blobs)


# --------------------------------------------------------------------------- parsing


def test_cff_outlines_are_detected_from_the_bytes():
    (otf,) = faces_from_bytes(sfnt("Fake Serif CJK SC", cff=True))
    assert otf.cff and not otf.truetype and otf.families == ("Fake Serif CJK SC",)
    (ttf,) = faces_from_bytes(sfnt("Fake Song"))
    assert not ttf.cff and ttf.truetype and ttf.families == ("Fake Song",)


def test_collection_faces_and_the_simplified_chinese_member():
    faces = faces_from_bytes(ttc("Fake Ming TW", "Fake Ming CN", "Fake Ming HK"))
    assert [f.families for f in faces] == [("Fake Ming TW",), ("Fake Ming CN",), ("Fake Ming HK",)]
    assert fonts._pick_face(faces, (), None).index == 1
    assert fonts._pick_face(faces, ("fake ming hk",), None).index == 2


def test_garbage_is_not_a_font():
    with pytest.raises(FontFileError):
        faces_from_bytes(b"not a font at all")
    with pytest.raises(FontFileError):
        faces_from_bytes(sfnt("Cut")[:40])


def test_embedding_licence_bits():
    assert embedding_problem(0) == ""
    assert embedding_problem(0x0004) == ""  # preview & print
    assert embedding_problem(0x0008) == ""  # editable
    assert "受限制" in embedding_problem(0x0002)
    assert "子集" in embedding_problem(0x0100)
    assert "位图" in embedding_problem(0x0200)


@needs_system_fonts
def test_real_collection_faces():
    names = [f.families[0] for f in read_faces(UMING)]
    assert "AR PL UMing CN" in names
    assert fonts._pick_face(read_faces(UMING), (), None).families[0] == "AR PL UMing CN"


# --------------------------------------------------------------------------- resolving


@needs_system_fonts
def test_every_role_resolves_and_is_registered(fresh):
    resolved = resolve_fonts()
    assert set(resolved) == set(ROLES)
    for font in resolved.values():
        assert pdfmetrics.getFont(font.name)  # registered with reportlab
        assert Path(font.path).exists()
    # no Windows fonts here: the stand-ins, with the simplified-Chinese face of each .ttc
    assert resolved["body"].family == "AR PL UMing CN" and resolved["body"].subfont_index == 0
    assert resolved["heading2"].family == "AR PL UKai CN"
    assert resolved["body"].substitute
    assert resolve_fonts() == resolved  # cached


@needs_system_fonts
def test_fc_list_runs_once(fresh, monkeypatch):
    calls = []
    real_run = subprocess.run

    def counting(*args, **kw):
        calls.append(args[0])
        return real_run(*args, **kw)

    monkeypatch.setattr(fonts.subprocess, "run", counting)
    resolve_fonts()
    resolve_fonts({"body": str(MICROHEI)})
    describe()
    assert len(calls) == 1


@needs_system_fonts
def test_override_is_used(fresh):
    resolved = resolve_fonts({"body": str(MICROHEI)})
    assert resolved["body"].path == str(MICROHEI)
    assert resolved["body"].family == "WenQuanYi Micro Hei"
    assert resolved["body"].source == "设置中指定" and not resolved["body"].substitute
    # registering the same file again reuses the font
    assert resolve_fonts({"heading1": str(MICROHEI)})["heading1"].name == resolved["body"].name


def test_override_to_a_missing_file_names_it(fresh, tmp_path):
    missing = tmp_path / "仿宋_GB2312.ttf"
    with pytest.raises(UserError) as err:
        resolve_fonts({"body": str(missing)})
    assert str(missing) in err.value.message
    assert "正文（仿宋）" in err.value.message
    assert "设置 → 打印字体" in err.value.message


def test_override_to_a_cff_font_is_refused_with_the_reason(fresh, tmp_path):
    otf = tmp_path / "NotoSerifCJKsc-Regular.otf"
    otf.write_bytes(sfnt("Noto Serif CJK SC", cff=True))
    with pytest.raises(UserError, match=r"NotoSerifCJKsc-Regular\.otf.*CFF.*TrueType"):
        resolve_fonts({"body": str(otf)})


def test_override_that_forbids_embedding_is_refused(fresh, tmp_path):
    ttf = tmp_path / "locked.ttf"
    ttf.write_bytes(sfnt("Locked Song", fs_type=0x0002))
    with pytest.raises(UserError, match=r"locked\.ttf.*不能用于打印.*受限制"):
        resolve_fonts({"body": str(ttf)})


def test_unknown_role_is_a_programming_error():
    with pytest.raises(ValueError):
        resolve_fonts({"subtitle": "x.ttf"})


def test_nothing_installed_gives_the_install_message(no_system_fonts):
    with pytest.raises(
        UserError, match="^未找到小标宋字体（方正小标宋简体 FZXBSJW.TTF 或 黑体 simhei.ttf）"
    ):
        resolve_fonts()
    rows = {r.role: r for r in describe()}
    assert rows["body"].font is None
    assert rows["body"].problem == (
        "未找到仿宋字体（仿宋_GB2312 或 simfang.ttf）。请安装后重试，或在“设置 → 打印字体”中指定字体文件。"
    )
    assert rows["heading2"].problem.startswith("未找到楷体字体")


def test_cff_fonts_found_on_the_system_are_skipped_with_a_reason(
    no_system_fonts, tmp_path, monkeypatch
):
    otf = tmp_path / "FangSongCFF.otf"
    otf.write_bytes(sfnt("FangSong", cff=True))
    monkeypatch.setattr(fonts, "_fontconfig", lambda: [(str(otf), 0, ("FangSong", "仿宋"), "CFF")])
    with pytest.raises(UserError, match=r"^未找到仿宋字体.*FangSongCFF\.otf.*CFF"):
        fonts._resolve_role("body")


@needs_system_fonts
def test_a_refused_font_is_reported_next_to_its_stand_in(fresh, tmp_path, monkeypatch):
    locked = tmp_path / "FZXBSJW.TTF"
    locked.write_bytes(sfnt("FZXiaoBiaoSong-B05S", fs_type=0x0002))
    real = fonts._fontconfig
    monkeypatch.setattr(
        fonts,
        "_fontconfig",
        lambda: [(str(locked), 0, ("方正小标宋简体", "FZXiaoBiaoSong-B05S"), "TrueType"), *real()],
    )
    title = resolve_fonts()["title"]
    assert title.substitute and title.family.startswith("WenQuanYi")
    assert "FZXBSJW.TTF" in title.note and "受限制" in title.note
    row = next(r for r in describe() if r.role == "title")
    assert "未采用的字体" in row.text and "FZXBSJW.TTF" in row.text


@needs_system_fonts
def test_windows_font_folders_come_first(fresh, tmp_path, monkeypatch):
    windir = tmp_path / "Windows"
    (windir / "Fonts").mkdir(parents=True)
    user = tmp_path / "AppData" / "Local"
    (user / "Microsoft" / "Windows" / "Fonts").mkdir(parents=True)
    (windir / "Fonts" / "SIMFANG.TTF").symlink_to(UMING)  # names match case-insensitively
    (user / "Microsoft" / "Windows" / "Fonts" / "simkai.ttf").symlink_to(UKAI)  # per-user font
    monkeypatch.setenv("WINDIR", str(windir))
    monkeypatch.setenv("LOCALAPPDATA", str(user))
    resolved = resolve_fonts()
    assert resolved["body"].path == str(windir / "Fonts" / "SIMFANG.TTF")
    assert not resolved["body"].substitute and resolved["body"].source == "Windows 字体文件夹"
    assert resolved["heading2"].path == str(user / "Microsoft" / "Windows" / "Fonts" / "simkai.ttf")
    assert resolved["heading1"].substitute  # no simhei.ttf: WenQuanYi stands in


@needs_system_fonts
def test_describe_lists_every_role(fresh):
    rows = describe()
    assert [r.role for r in rows] == list(ROLES)
    assert all(r.font is not None and not r.problem for r in rows)
    body = next(r for r in rows if r.role == "body")
    assert body.text.startswith("正文（仿宋）：AR PL UMing CN（uming.ttc")
    assert "替代字体" in body.text


def test_warm_up_gives_the_same_font_list_as_a_direct_scan():
    from govdesk.export import fonts

    fonts.clear_caches()
    fonts.warm_up()  # fc-list on a background thread; the next call waits for its answer
    warmed = fonts._fontconfig()
    fonts.clear_caches()
    assert warmed == fonts._fontconfig()
