"""The parsed-font cache: a face rebuilt from it must print exactly what a freshly parsed one does."""

from __future__ import annotations

import io
import mmap
import os
import shutil

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from govdesk.export.font_cache import _CachedFace, _TableView, load_font
from govdesk.export.fonts import resolve_fonts

TEXT = "云溪镇2026年第三季度低保公示（一）ABC abc 123，“引号”《书名》——省略……"


@pytest.fixture(scope="module")
def font_files():
    fonts = resolve_fonts()
    return sorted({(f.path, f.subfont_index) for f in fonts.values()})


def render(font) -> bytes:
    # registerFont keeps the first font registered for a face name and ignores later ones, so the
    # probe is taken out of reportlab's registry again after each render.
    pdfmetrics._fonts.pop(font.fontName, None)
    pdfmetrics._dynFaceNames.pop(font.face.name, None)
    pdfmetrics.registerFont(font)
    assert pdfmetrics.getFont(font.fontName) is font
    try:
        return _render(font)
    finally:
        pdfmetrics._fonts.pop(font.fontName, None)
        pdfmetrics._dynFaceNames.pop(font.face.name, None)


def _render(font) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont(font.fontName, 16)
    y = 800
    for line in (TEXT, TEXT[::-1], "".join(sorted(set(TEXT)))):
        c.drawString(40, y, line)
        # Widths drive every line break in the notice layout: print them too.
        c.drawString(40, y - 20, f"{pdfmetrics.stringWidth(line, font.fontName, 16):.6f}")
        y -= 60
    c.showPage()
    c.save()
    return buf.getvalue()


def test_cached_face_prints_byte_identical_pdf(tmp_path, font_files):
    for path, index in font_files:
        fresh = load_font("GDCacheProbe", path, index, None)
        expected = render(fresh)
        before = set(tmp_path.glob("*.metrics"))
        first = load_font("GDCacheProbe", path, index, tmp_path)  # parses and stores
        assert len(set(tmp_path.glob("*.metrics")) - before) == 1
        assert isinstance(first.face, _CachedFace)  # used in its stored form from the start
        assert render(first) == expected
        cached = load_font("GDCacheProbe", path, index, tmp_path)  # rebuilt from the store
        assert isinstance(cached.face._ttf_data, mmap.mmap), "second load did not use the cache"
        assert set(cached.__dict__) == set(fresh.__dict__)
        assert "hmetrics" not in cached.face.__dict__  # unpacked only when a subset is embedded
        assert render(cached) == expected, f"{path}#{index}: cached face prints differently"
        for attr in ("charToGlyph", "charWidths", "glyphToChar", "hmetrics", "glyphPos",
                     "name", "bbox", "ascent", "descent", "flags", "defaultWidth"):
            assert getattr(cached.face, attr) == getattr(fresh.face, attr), attr
        assert cached.face.name.ustr == fresh.face.name.ustr
        for attr, value in fresh.face.__dict__.items():
            if attr not in ("_ttf_data", "_pdfScale"):
                assert type(getattr(cached.face, attr)) is type(value), attr
        assert set(cached.face.__dict__) - {"_pending"} == set(fresh.face.__dict__)


def test_damaged_or_stale_entries_are_ignored(tmp_path, font_files):
    path, index = font_files[0]
    load_font("GDCacheProbe", path, index, tmp_path)
    (entry,) = tmp_path.glob("*.metrics")
    good = entry.read_bytes()
    entry.write_bytes(good[:1000])  # truncated by a crash or a full disk
    font = load_font("GDCacheProbe", path, index, tmp_path)
    assert entry.read_bytes() == good  # parsed again and stored again
    assert render(font) == render(load_font("GDCacheProbe", path, index, None))
    entry.write_bytes(b"GDFM999\n" + good[6:])  # another format
    load_font("GDCacheProbe", path, index, tmp_path)
    assert entry.read_bytes() == good

    # A font file replaced in place (a newer version installed) gets a new entry.
    copy = tmp_path / "font-copy.ttc"
    shutil.copyfile(path, copy)
    load_font("GDCacheProbe", str(copy), index, tmp_path)
    before = set(tmp_path.glob("*.metrics"))
    st = copy.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    load_font("GDCacheProbe", str(copy), index, tmp_path)
    after = set(tmp_path.glob("*.metrics"))
    assert len(after - before) == 1 and len(after) == len(before)  # replaced, not piled up


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root ignores permissions")
def test_unwritable_cache_folder_still_prints(tmp_path, font_files):
    path, index = font_files[0]
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        font = load_font("GDCacheProbe", path, index, ro)
        assert not isinstance(font.face, _CachedFace)
        assert render(font) == render(load_font("GDCacheProbe", path, index, None))
        assert not list(ro.iterdir())
    finally:
        ro.chmod(0o700)


def test_cache_folder_that_is_a_file_still_prints(tmp_path, font_files):
    # Works as root too: nothing can be created under a regular file.
    path, index = font_files[0]
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    font = load_font("GDCacheProbe", path, index, blocker / "font-metrics")
    assert not isinstance(font.face, _CachedFace)
    assert render(font) == render(load_font("GDCacheProbe", path, index, None))
    assert blocker.read_text() == "not a folder"


def test_table_view_slices_like_bytes():
    data = bytes(range(256)) * 4
    view = _TableView(data, 100, 500)
    table = data[100:600]
    assert len(view) == len(table)
    for a, b in ((0, 10), (490, 520), (-5, None), (None, 3), (30, 20), (499, 500)):
        assert view[a:b] == table[a:b]
    with pytest.raises(TypeError):
        view[3]


def test_lazy_tables_unpack_safely_from_many_threads(tmp_path, font_files):
    # The 考核 charts render on a worker thread while the user may print: both read the same
    # cached faces, and a table being unpacked must never look missing to the other thread.
    import threading

    path, index = font_files[0]
    load_font("GDCacheProbe", path, index, tmp_path)  # store it
    for _round in range(5):
        face = load_font("GDCacheProbe", path, index, tmp_path).face
        barrier = threading.Barrier(8)
        seen, errors = [], []

        def read(face=face, barrier=barrier, seen=seen, errors=errors):
            barrier.wait()
            try:
                seen.append((len(face.hmetrics), len(face.glyphToChar), len(face.glyphPos)))
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                errors.append(repr(exc))

        threads = [threading.Thread(target=read) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(set(seen)) == 1 and len(seen) == 8
