"""build_installer.py: the PyInstaller bundle (built and smoke-tested for real, slow), what it
filters out, and the NSIS installer script (compiled when makensis is installed)."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NSI = ROOT / "installer" / "govdesk.nsi"


def _load_build_installer():
    spec = importlib.util.spec_from_file_location("build_installer", ROOT / "build_installer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bi = _load_build_installer()


@pytest.mark.slow
def test_linux_bundle_builds_passes_its_smoke_test_and_stays_small(tmp_path):
    """The CI run of issue 7's "On Linux it builds and smoke-tests the Linux bundle".
    About 40 s on two cores (PyInstaller ~35 s, the bundle's smoke test ~4 s)."""
    dist, work = tmp_path / "dist", tmp_path / "work"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, str(ROOT / "build_installer.py"), "--skip-installer",
         "--dist", str(dist), "--work", str(work)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    # The smoke test ran inside the built program, and reported success.
    assert "smoke test OK" in out.stdout
    assert "PDF 1 页" in out.stdout and "xlsx 台账" in out.stdout

    bundle = dist / "govdesk"
    exe = bundle / ("govdesk.exe" if sys.platform == "win32" else "govdesk")
    assert exe.is_file() and os.access(exe, os.X_OK)
    size_mb = bi.folder_size(bundle) / 1e6
    assert size_mb < bi.DEFAULT_MAX_SIZE_MB, f"bundle is {size_mb:.1f} MB"
    assert f"{size_mb:.1f} MB" in out.stdout  # the size is stated

    files = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*")]
    # Nothing of Qt Quick/QML, WebEngine or the SQL drivers came along …
    unwanted = [f for f in files if re.search(r"qt6(quick|qml|webengine|sql)|/qml/|sqldrivers",
                                              f, re.IGNORECASE)]
    assert unwanted == []
    # … and every symbolic link still points at something.
    assert [p for p in bundle.rglob("*") if p.is_symlink() and not p.exists()] == []
    # The offscreen platform (smoke test) and the PDF module are there.
    assert any("qoffscreen" in f for f in files)
    assert any(re.search(r"qt6pdf\b|qt6pdf\.", f, re.IGNORECASE) for f in files)


@pytest.mark.parametrize("dest, kept", [
    ("PySide6/Qt/lib/libQt6Core.so.6", True),
    ("PySide6/Qt/lib/libQt6Pdf.so.6", True),
    ("PySide6/Qt/lib/libQt6Network.so.6", True),  # QtPdf links to it
    ("PySide6/Qt/lib/libQt6Quick.so.6", False),
    ("PySide6/Qt/lib/libQt6Qml.so.6", False),
    ("libQt6Svg.so.6", False),  # PyInstaller's top-level symlink to a dropped library
    ("PySide6\\Qt6Widgets.dll", True),
    ("PySide6\\Qt6QuickWidgets.dll", False),
    ("PySide6\\opengl32sw.dll", False),
    ("PySide6\\plugins\\platforms\\qwindows.dll", True),
    ("PySide6\\plugins\\platforms\\qoffscreen.dll", True),
    ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
    ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
    ("PySide6/Qt/plugins/imageformats/libqwebp.so", False),
    ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
    ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("PySide6/Qt/qml/QtQuick/Controls/qmldir", False),
    ("reportlab/fonts/Vera.ttf", True),
    ("docx/templates/default.docx", True),
])
def test_keep_entry_drops_what_govdesk_does_not_use(dest, kept):
    assert bi.keep_entry(dest) is kept


def test_windows_version_resource_numbers():
    assert bi.numeric_version("0.1.0") == (0, 1, 0, 0)
    assert bi.numeric_version("1.2rc1") == (1, 2, 0, 0)
    assert bi.numeric_version("2.0.3.4.5+local") == (2, 0, 3, 4)


def _windows_paths(monkeypatch):
    """govdesk.paths as it resolves on Windows (platformdirs' Windows class, the known folders
    injected): the folders the installer must agree with."""
    import platformdirs
    import platformdirs.windows

    folders = {"CSIDL_LOCAL_APPDATA": r"C:\Users\clerk\AppData\Local",
               "CSIDL_APPDATA": r"C:\Users\clerk\AppData\Roaming"}
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", folders.__getitem__)
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.delenv("GOVDESK_CACHE_DIR", raising=False)
    from govdesk import paths

    local = folders["CSIDL_LOCAL_APPDATA"]
    return (os.path.relpath(paths.data_dir(), local).replace("\\", "/"),
            os.path.relpath(paths.cache_dir(), local).replace("\\", "/"))


def test_nsis_script_installs_per_user_with_chinese_shortcuts():
    text = NSI.read_text(encoding="utf-8")
    assert "Unicode true" in text
    assert "RequestExecutionLevel user" in text
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APP_ID}"' in text
    assert '!define SHORTCUT_NAME "政务公开工作台"' in text
    assert '"$SMPROGRAMS\\${SHORTCUT_NAME}.lnk"' in text
    assert '"$DESKTOP\\${SHORTCUT_NAME}.lnk"' in text
    assert '!insertmacro MUI_LANGUAGE "SimpChinese"' in text
    # Per-user: every registry write goes to HKCU, none to HKLM.
    assert "WriteRegStr HKCU \"${UNINST_KEY}\" \"UninstallString\"" in text
    assert "HKLM" not in text


def test_uninstaller_keeps_the_data_folder_unless_the_box_is_ticked(monkeypatch):
    text = NSI.read_text(encoding="utf-8")
    data_rel, cache_rel = _windows_paths(monkeypatch)
    assert data_rel == "govdesk" and cache_rel == "govdesk/Cache"
    assert '!define DATA_DIR "$LOCALAPPDATA\\govdesk"' in text

    sections = re.findall(r'^Section (/o )?"(un\.[^"]*)"[^\n]*\n(.*?)^SectionEnd', text,
                          re.MULTILINE | re.DOTALL)
    assert len(sections) == 2
    removing = [(opt, body) for opt, _name, body in sections
                if 'RMDir /r "${DATA_DIR}"' in body]
    # The only section that deletes the data folder is unticked by default (/o) …
    assert len(removing) == 1 and removing[0][0] == "/o "
    # … and the always-run section removes only the rebuildable cache and an empty folder.
    program = next(body for opt, _n, body in sections if not opt)
    assert 'RMDir /r "${DATA_DIR}\\Cache"' in program
    assert re.findall(r"RMDir /r \"\$\{DATA_DIR\}[^\"]*\"", program) == [
        'RMDir /r "${DATA_DIR}\\Cache"']
    # Ticking the box asks once more, with "no" as the default button.
    assert "MB_DEFBUTTON2" in text and "un.ConfirmDataRemoval" in text


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (NSIS) not installed")
def test_nsis_script_compiles(tmp_path):
    """Compiles the real script against a stand-in bundle (a few files) in seconds; the real
    bundle takes makensis about two minutes to compress."""
    fake = tmp_path / "bundle"
    (fake / "_internal").mkdir(parents=True)
    (fake / "govdesk.exe").write_bytes(b"MZ stand-in")
    (fake / "govdesk-cli.exe").write_bytes(b"MZ stand-in")
    (fake / "_internal" / "base_library.zip").write_bytes(b"PK stand-in")
    setup = bi.build_installer(shutil.which("makensis"), fake, tmp_path, "0.1.0")
    assert setup.is_file() and setup.read_bytes()[:2] == b"MZ"
    assert setup.name.startswith("govdesk-setup-0.1.0")
