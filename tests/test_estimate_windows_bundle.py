"""scripts/estimate_windows_bundle.py: its pure logic on made-up file lists (no network, no
wheels, no Linux bundle)."""

from __future__ import annotations

import importlib.util
import struct
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load():
    spec = importlib.util.spec_from_file_location(
        "estimate_windows_bundle", ROOT / "scripts" / "estimate_windows_bundle.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


est = _load()


def test_it_uses_build_installers_own_rules():
    assert Path(est.bi.__file__).resolve() == ROOT / "build_installer.py"
    dests = {dest for _, dest in est.bi.data_folders()}
    assert "docs/guide" in dests and dests <= {"resources", "docs/guide"}


@pytest.mark.parametrize("rel, module", [
    ("lxml/etree.cpython-311-x86_64-linux-gnu.so", "lxml.etree"),
    ("PySide6/QtCore.abi3.so", "PySide6.QtCore"),
    ("_cffi_backend.cpython-311-x86_64-linux-gnu.so", "_cffi_backend"),
    ("python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", "_ssl"),
    ("PySide6/libpyside6.abi3.so.6.12", None),  # a library, not a module
    ("libcrypto.so.3", None),
    ("docx/templates/default.docx", None),
])
def test_linux_extension_modules_are_recognised(rel, module):
    assert est.linux_extension_module(rel) == module


def test_windows_pyd_names():
    assert est.windows_pyd_candidates("lxml.etree") == [
        "lxml/etree.cp311-win_amd64.pyd", "lxml/etree.pyd"]


def test_excluded_packages_follow_build_installer():
    assert est.excluded_module("cryptography.hazmat.bindings._rust")
    assert est.excluded_module("PySide6.QtQml")
    assert est.excluded_module("PIL._avif")
    assert not est.excluded_module("PIL._imaging")
    assert not est.excluded_module("PySide6.QtWidgets")
    assert not est.excluded_module("cryptographyx")  # a prefix of a name is not a package


def test_qt_plugins_translations_and_extras_are_filtered_by_keep_entry():
    wheel = {
        "PySide6/plugins/platforms/qwindows.dll": 1000,
        "PySide6/plugins/platforms/qdirect2d.dll": 900,
        "PySide6/plugins/imageformats/qjpeg.dll": 500,
        "PySide6/plugins/imageformats/qwebp.dll": 400,
        "PySide6/plugins/sqldrivers/qsqlite.dll": 2000,
        "PySide6/plugins/styles/qmodernwindowsstyle.dll": 240,
        "PySide6/translations/qtbase_zh_CN.qm": 150,
        "PySide6/translations/qtbase_de.qm": 150,
        "PySide6/opengl32sw.dll": 20_000,
        "PySide6/d3dcompiler_47.dll": 4000,  # collected only together with libEGL/libGLESv2
        "PySide6/designer.exe": 3000,  # tools: PyInstaller never collects them
        "PySide6/Qt6Core.dll": 10_000,  # libraries come through the dependency closure
    }
    rejected: dict[str, int] = {}
    chosen = est.select_qt_files(wheel, rejected=rejected)
    assert chosen == {
        "PySide6/plugins/platforms/qwindows.dll": 1000,
        "PySide6/plugins/imageformats/qjpeg.dll": 500,
        "PySide6/plugins/styles/qmodernwindowsstyle.dll": 240,
        "PySide6/translations/qtbase_zh_CN.qm": 150,
    }
    assert "PySide6/opengl32sw.dll" in rejected
    assert "PySide6/designer.exe" not in rejected and "PySide6/d3dcompiler_47.dll" not in rejected


def test_windows_only_data_is_the_tzdata_zone_files():
    wheel = {"tzdata/__init__.py": 10, "tzdata/zoneinfo/Asia/Shanghai": 400,
             "tzdata/zoneinfo/Asia/__init__.py": 0, "tzdata-2026.6.dist-info/RECORD": 90,
             "lxml/etree.pyx": 5}
    assert est.windows_only_data(wheel) == {"tzdata/zoneinfo/Asia/Shanghai": 400}


def test_dependency_closure_follows_imports_and_the_rules():
    files = {
        "PySide6/QtWidgets.pyd": 5, "PySide6/Qt6Widgets.dll": 6, "PySide6/Qt6Gui.dll": 7,
        "PySide6/Qt6Core.dll": 8, "PySide6/Qt6Quick.dll": 9, "PySide6/vcruntime140.dll": 1,
        "shiboken6/msvcp140.dll": 2, "shiboken6/shiboken6.abi3.dll": 3,
        "PySide6/pyside6.abi3.dll": 4,
    }
    table = {
        "PySide6/QtWidgets.pyd": ["Qt6Widgets.dll", "pyside6.abi3.dll", "python3.dll",
                                  "KERNEL32.dll"],
        "PySide6/Qt6Widgets.dll": ["Qt6Gui.dll", "Qt6Core.dll", "VCRUNTIME140.dll"],
        "PySide6/Qt6Gui.dll": ["Qt6Core.dll", "Qt6Quick.dll", "MSVCP140.dll"],
        "PySide6/pyside6.abi3.dll": ["shiboken6.abi3.dll"],
    }
    runtime = {"python3.dll": 30, "vcruntime140.dll": 100}
    found, system = est.dependency_closure(
        ["PySide6/QtWidgets.pyd"], lambda p: table.get(p, []), files, runtime)
    assert found == {
        "PySide6/Qt6Widgets.dll": 6, "PySide6/Qt6Gui.dll": 7, "PySide6/Qt6Core.dll": 8,
        "PySide6/pyside6.abi3.dll": 4, "shiboken6/shiboken6.abi3.dll": 3,
        "shiboken6/msvcp140.dll": 2,  # found elsewhere in the wheels
        "PySide6/vcruntime140.dll": 1,  # beside the importer wins over the Python runtime's
        "python3.dll": 30,
    }
    assert "PySide6/Qt6Quick.dll" not in found  # keep_entry drops Qt Quick
    assert system == {"kernel32.dll"}


def _pe_with_imports(names: list[str]) -> bytes:
    """A minimal PE32+ image whose import table names ``names`` (one section, raw = virtual)."""
    data = bytearray(0x400)
    data[:2] = b"MZ"
    pe = 0x80
    struct.pack_into("<I", data, 0x3C, pe)
    data[pe:pe + 4] = b"PE\0\0"
    opt_size = 240
    struct.pack_into("<HH", data, pe + 4, 0x8664, 1)  # machine, one section
    struct.pack_into("<H", data, pe + 20, opt_size)
    opt = pe + 24
    struct.pack_into("<H", data, opt, 0x20B)
    section = opt + opt_size
    struct.pack_into("<IIII", data, section + 8, 0x300, 0x100, 0x300, 0x100)
    descriptors = 0x100
    strings = descriptors + 20 * (len(names) + 1)
    for i, name in enumerate(names):
        struct.pack_into("<IIIII", data, descriptors + 20 * i, 0, 0, 0, strings, 0)
        data[strings:strings + len(name) + 1] = name.encode() + b"\0"
        strings += len(name) + 1
    struct.pack_into("<II", data, opt + 112 + 8, descriptors, 20 * (len(names) + 1))
    return bytes(data)


def test_pe_imports_reads_the_import_table():
    image = _pe_with_imports(["Qt6Core.dll", "KERNEL32.dll"])
    assert est.pe_imports(image) == ["Qt6Core.dll", "KERNEL32.dll"]
    assert est.pe_imports(b"\x7fELF" + b"\0" * 100) == []


def test_pkg_archive_length_reads_pyinstallers_cookie():
    archive = b"x" * 1000
    cookie = struct.pack("!8sIIII64s", b"MEI\014\013\012\013\016", len(archive) + 88, 0, 0, 311,
                         b"python311.dll")
    exe = b"bootloader" + archive + cookie
    assert est.pkg_archive_length(exe) == 1088


def test_sizes_on_disk_and_the_biggest_items():
    assert est.on_disk(0) == 0
    assert est.on_disk(1) == 4096
    assert est.on_disk(4096) == 4096
    assert est.on_disk(4097) == 8192
    items = [est.Item("a.dll", 5000, "wheel"), est.Item("b.zip", 100, "linux"),
             est.Item("c.dll", 9000, "published")]
    s = est.summarize(items)
    assert s == {"files": 3, "bytes": 14_100, "on_disk": 8192 + 4096 + 12_288,
                 "by_source": {"wheel": 5000, "linux": 100, "published": 9000}}
    assert [i.dest for i in est.biggest(items, 2)] == ["c.dll", "a.dll"]


def test_runtime_distributions_come_from_the_installed_metadata():
    dists = est.runtime_distributions()
    for name in ("pyside6-essentials", "pyside6-pdf", "shiboken6", "reportlab", "rl-accel",
                 "openpyxl", "sqlite-utils", "argon2-cffi-bindings", "lxml", "pypdf"):
        assert name in dists, name
    assert "pytest" not in dists and "pyinstaller" not in dists  # extras are not runtime
