#!/usr/bin/env python3
"""Build govdesk for delivery: a PyInstaller one-folder bundle, on Windows a Chinese installer,
and always a smoke test of what was built.

    python build_installer.py                   # bundle → smoke test → installer (if makensis)
    python build_installer.py --skip-installer  # bundle and smoke test only
    python build_installer.py --clean           # start from nothing (also clears PyInstaller's cache)

Steps:

1. Write a PyInstaller spec into the work folder and build ``dist/govdesk/`` (one folder:
   ``--onefile`` unpacks to %TEMP% at every start and antivirus flags it more often). Qt modules,
   plugins and translations the app does not use are filtered out (see :func:`keep_entry`).
   On Windows the folder holds ``govdesk.exe`` (windowed: no black console window) and
   ``govdesk-cli.exe`` (console: the command line and scheduled tasks need stdout/stderr, which a
   windowed program does not have); both share ``_internal``.
2. Run the built program with ``--smoke-test`` against a temporary ``--db`` (govdesk/smoke.py:
   scratch database, one PDF, one xlsx, the main window offscreen). Any failure → exit status 1.
3. Where ``makensis`` (NSIS 3) is found, compile ``installer/govdesk.nsi`` into
   ``dist/govdesk-setup-<version>.exe``: per-user install, no administrator rights.
4. Print the bundle size (and the installer's); fail if the bundle exceeds ``--max-size-mb``.

PyInstaller cannot cross-compile: the Windows bundle and installer are built on Windows.
Print fonts are not bundled: govdesk/export/fonts.py finds the office's own fonts (Windows
font folders, fontconfig on Linux), whose licences do not allow redistribution anyway.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
APP = "govdesk"
DISPLAY_NAME = "政务公开工作台"
ENTRY = ROOT / "installer" / "govdesk_main.py"
NSIS_SCRIPT = ROOT / "installer" / "govdesk.nsi"
ICON = ROOT / "resources" / "govdesk.ico"  # used when present (none yet)
WINDOWS = sys.platform == "win32"

# The budget: 150 MB installed on Windows. The Linux bundle measured 168 MB (PyInstaller
# 6.22, PySide6 6.12): it carries what Windows provides itself — ICU (39 MB, which QtCore links
# on Linux; Qt on Windows uses the system's), and CUPS, GLib and X libraries — so its bound is
# looser; it is there to catch a Qt module or plugin family creeping back in.
DEFAULT_MAX_SIZE_MB = 150 if WINDOWS else 185
SMOKE_TIMEOUT_S = 300

# Python packages never used at run time (reportlab 5 imports PIL unconditionally: it stays).
EXCLUDED_PACKAGES = [
    # cryptography (14 MB): pypdf's optional AES for encrypted PDFs; govdesk only reads and
    # merges the PDFs it wrote itself.
    "cryptography",
    # Pillow's optional codecs (AVIF alone is 5 MB); reportlab needs only PIL.Image itself.
    "PIL._avif", "PIL.AvifImagePlugin", "PIL._webp", "PIL.WebPImagePlugin", "PIL._imagingcms",
    "PIL.ImageCms", "PIL._imagingtk", "PIL.ImageTk", "PIL.ImageQt",
    "tkinter", "numpy", "pytest", "hypothesis", "pdfplumber", "pypdfium2", "IPython",
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuickControls2",
    "PySide6.QtQuickTest", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtSql",
    "PySide6.QtTest", "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools",
    "PySide6.QtXml", "PySide6.QtConcurrent", "PySide6.QtDBus", "PySide6.QtSvg",
    "PySide6.QtSvgWidgets", "PySide6.QtCharts", "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets", "PySide6.QtMultimedia", "PySide6.Qt3DCore",
    "PySide6.QtLabsStyleKit", "PySide6.QtQmlFeatures",
]

# Qt libraries (libQt6X.so.6 on Linux, Qt6X.dll on Windows) the app does not load. QtNetwork
# stays: QtPdf links to it, and its Python module lets a second launch bring the first
# window forward (gui.instance_lock). QtDBus stays: QtGui links to it on Linux.
_UNUSED_QT_LIBS = re.compile(
    r"^(lib)?qt6(quick|qml|labs|lottie|pdfquick|wayland|designer|help|uitools|sql|test|opengl"
    r"|virtualkeyboard|shadertools|svg|concurrent|xml|statemachine|3d|multimedia|webengine"
    r"|webchannel|websockets|charts|datavisualization|graphs|positioning|location|sensors"
    r"|serialport|bluetooth|nfc|remoteobjects|scxml|spatialaudio|texttospeech|httpserver"
    r"|networkauth|eglfs|wlshell)",
)
# Qt plugins by folder: None keeps the whole folder, a tuple keeps plugins whose file name
# contains one of the words; folders not listed are dropped.
_QT_PLUGINS: dict[str, tuple[str, ...] | None] = {
    # windows: the real thing; offscreen: the smoke test; minimal: diagnostics; xcb: Linux desktops.
    "platforms": ("qwindows", "qoffscreen", "qminimal.", "qxcb"),
    "imageformats": ("qjpeg", "qico", "qgif"),  # board photos are jpg/png (png is built in)
    "styles": None,  # qmodernwindowsstyle: the Windows 10/11 look
    "printsupport": None,  # CUPS on Linux
    "platforminputcontexts": ("compose", "ibus", "fcitx"),  # Chinese input methods on Linux
    # The desktop portal's file dialogs; not qgtk3, which drags GTK's pango/cairo stack along.
    "platformthemes": ("xdgdesktopportal",),
    "xcbglintegrations": None,
}
# Chinese only: Qt's own dialogs (QMessageBox buttons, QPrintDialog) are translated by these.
_QT_TRANSLATIONS = ("qt_zh_cn.qm", "qtbase_zh_cn.qm")


def keep_entry(dest: str) -> bool:
    """Whether a file collected by PyInstaller (its path inside the bundle) is kept."""
    parts = dest.replace("\\", "/").lower().split("/")
    name = parts[-1]
    # Before the PySide6 test: PyInstaller also puts symbolic links to Qt libraries at the top
    # of the bundle, which would dangle if only their targets went.
    if _UNUSED_QT_LIBS.match(name):
        return False
    if parts[0] != "pyside6":
        return True
    if "qml" in parts or "libexec" in parts or "metatypes" in parts or "resources" in parts:
        return False
    if "translations" in parts:
        return name in _QT_TRANSLATIONS
    if name == "opengl32sw.dll":
        # Qt's software OpenGL (20 MB, Windows): only for OpenGL/Quick content, which a widgets
        # app without QOpenGLWidget never creates (windeployqt --no-opengl-sw).
        return False
    if "plugins" in parts:
        i = parts.index("plugins")
        folder = parts[i + 1] if i + 2 < len(parts) else ""
        if folder not in _QT_PLUGINS:
            return False
        wanted = _QT_PLUGINS[folder]
        return wanted is None or any(word in name for word in wanted)
    return True


def read_version() -> str:
    """govdesk.__version__, read without importing the package (the build may run in a venv
    other than the one the app was installed into)."""
    tree = ast.parse((ROOT / "govdesk" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                getattr(t, "id", "") == "__version__" for t in node.targets):
            return str(ast.literal_eval(node.value))
    raise SystemExit("govdesk/__init__.py 中没有 __version__")


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """Windows version resources want four numbers: 0.1.0 → (0, 1, 0, 0); 1.2rc1 → (1, 2, 0, 0)
    (only the release part counts)."""
    release = re.match(r"[\d.]*", version).group(0)
    numbers = [int(m) for m in release.split(".") if m][:4]
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def _version_file(work: Path, version: str) -> Path:
    """The version resource of the .exe files: Task Manager and the file's properties show the
    Chinese product name instead of "govdesk"."""
    nums = numeric_version(version)
    strings = {
        "CompanyName": "", "FileDescription": DISPLAY_NAME, "FileVersion": version,
        "InternalName": APP, "OriginalFilename": f"{APP}.exe", "ProductName": DISPLAY_NAME,
        "ProductVersion": version, "LegalCopyright": "",
    }
    table = ", ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    text = (
        "VSVersionInfo(\n"
        f"  ffi=FixedFileInfo(filevers={nums}, prodvers={nums}, mask=0x3f, flags=0x0,\n"
        "                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),\n"
        f"  kids=[StringFileInfo([StringTable('080404b0', [{table}])]),\n"
        "        VarFileInfo([VarStruct('Translation', [2052, 1200])])]\n"
        ")\n"
    )
    path = work / "version_info.txt"
    path.write_text(text, encoding="utf-8")
    return path


SPEC_TEMPLATE = '''\
# Generated by build_installer.py for this build; edit that script, not this file.
import sys

sys.path.insert(0, {root!r})
from build_installer import EXCLUDED_PACKAGES, keep_entry  # noqa: E402
from PyInstaller.utils.hooks import collect_submodules  # noqa: E402

a = Analysis(
    [{entry!r}],
    pathex=[{root!r}],
    datas={datas!r},
    # Every govdesk module, including those only imported by name at run time, and reportlab's
    # C speed-ups, which reportlab loads by name (PyInstaller cannot see it; the smoke test
    # fails without it).
    hiddenimports=collect_submodules("govdesk") + ["_rl_accel"],
    excludes=EXCLUDED_PACKAGES,
    noarchive=False,
)
a.binaries = [e for e in a.binaries if keep_entry(e[0])]
a.datas = [e for e in a.datas if keep_entry(e[0])]
pyz = PYZ(a.pure)
exes = [EXE(pyz, a.scripts, [], exclude_binaries=True, name={app!r}, console={console!r},
            icon={icon!r}, version={version_file!r}, strip={strip!r}, upx=False)]
if {cli_twin!r}:
    exes.append(EXE(pyz, a.scripts, [], exclude_binaries=True, name={cli_name!r}, console=True,
                    icon={icon!r}, version={version_file!r}, strip={strip!r}, upx=False))
COLLECT(*exes, a.binaries, a.datas, name={app!r}, strip={strip!r}, upx=False)
'''


def data_folders() -> list[tuple[str, str]]:
    """The repository folders the bundle carries as data: (source folder, folder in the bundle).
    Also read by scripts/estimate_windows_bundle.py."""
    datas = []
    resources = ROOT / "resources"
    if resources.is_dir() and any(p.is_file() for p in resources.rglob("*")):
        # paths.resource_path() looks for sys._MEIPASS/resources in a frozen run.
        datas.append((str(resources), "resources"))
    guide = ROOT / "docs" / "guide"
    if (guide / "README.md").is_file():
        # gui.dialogs.guide_dialog looks for sys._MEIPASS/docs/guide (使用指南, F1).
        datas.append((str(guide), "docs/guide"))
    return datas


def write_spec(work: Path, version: str) -> Path:
    datas = data_folders()
    spec = SPEC_TEMPLATE.format(
        root=str(ROOT),
        entry=str(ENTRY),
        datas=datas,
        app=APP,
        cli_name=f"{APP}-cli",
        console=not WINDOWS,
        cli_twin=WINDOWS,
        # Debug symbols: libpython alone drops from 23 MB to a few. Not on Windows, where
        # PyInstaller advises against it (DLLs carry no symbol tables to strip anyway).
        strip=not WINDOWS,
        icon=str(ICON) if ICON.is_file() else None,
        version_file=str(_version_file(work, version)) if WINDOWS else None,
    )
    path = work / f"{APP}.spec"
    path.write_text(spec, encoding="utf-8")
    return path


def build_bundle(dist: Path, work: Path, version: str, *, clean: bool) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit('没有安装 PyInstaller。请先运行：pip install -e ".[build]"') from None
    bundle = dist / APP
    if clean:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(bundle, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    spec = write_spec(work, version)
    cmd = [sys.executable, "-m", "PyInstaller", str(spec), "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work)]
    if clean:
        cmd.append("--clean")
    print(f"==> PyInstaller：{bundle}", flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)
    return bundle


def executables(bundle: Path) -> list[Path]:
    """The programs to smoke-test: the console one first (its messages can be read)."""
    if WINDOWS:
        return [bundle / f"{APP}-cli.exe", bundle / f"{APP}.exe"]
    return [bundle / APP]


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "gbk"):  # a Chinese Windows console pipe is GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return data.decode("utf-8", errors="replace")


def smoke_test(bundle: Path) -> None:
    for exe in executables(bundle):
        if not exe.is_file():
            raise SystemExit(f"冒烟测试失败：找不到 {exe}")
        with tempfile.TemporaryDirectory(prefix="govdesk-bundle-smoke-") as tmp:
            env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
                   "GOVDESK_CACHE_DIR": str(Path(tmp, "cache"))}
            # Not the builder's PYTHONPATH/PYTHONHOME: the bundle must stand on its own.
            for name in ("PYTHONPATH", "PYTHONHOME"):
                env.pop(name, None)
            print(f"==> 冒烟测试：{exe.name} --smoke-test", flush=True)
            started = time.perf_counter()
            try:
                out = subprocess.run(
                    [str(exe), "--smoke-test", "--db", str(Path(tmp, "smoke.db"))],
                    capture_output=True, env=env, cwd=tmp, timeout=SMOKE_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                raise SystemExit(f"冒烟测试失败：{exe.name} 在 {SMOKE_TIMEOUT_S} 秒内没有结束") from None
            stdout, stderr = _decode(out.stdout), _decode(out.stderr)
            sys.stdout.write(stdout)
            if out.returncode != 0:
                sys.stderr.write(stderr)
                raise SystemExit(f"冒烟测试失败：{exe.name} 退出码 {out.returncode}")
            # The windowed Windows program has no stdout: there the exit status is the report.
            if exe.name != f"{APP}.exe" and "smoke test OK" not in stdout:
                sys.stderr.write(stderr)
                raise SystemExit(f"冒烟测试失败：{exe.name} 没有报告结果")
            print(f"    通过（{time.perf_counter() - started:.1f} 秒）", flush=True)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def find_makensis() -> str | None:
    found = shutil.which("makensis")
    if found:
        return found
    if WINDOWS:
        for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles")):
            if base and Path(base, "NSIS", "makensis.exe").is_file():
                return str(Path(base, "NSIS", "makensis.exe"))
    return None


def installer_name(version: str) -> str:
    # makensis runs on Linux too (Debian's nsis), but there the bundle holds Linux programs: the
    # result only proves the script compiles and must never be handed to an office.
    suffix = "" if WINDOWS else "-nsis-check-only"
    return f"{APP}-setup-{version}{suffix}.exe"


def build_installer(makensis: str, bundle: Path, dist: Path, version: str) -> Path:
    setup = dist / installer_name(version)
    nums = ".".join(str(n) for n in numeric_version(version))
    cmd = [
        makensis, "-V2", "-INPUTCHARSET", "UTF8",
        f"-DVERSION={version}", f"-DVI_VERSION={nums}", f"-DBUNDLE_DIR={bundle.resolve()}",
        f"-DOUTFILE={setup.resolve()}",
    ]
    if ICON.is_file():
        cmd.append(f"-DICON={ICON}")
    cmd.append(str(NSIS_SCRIPT))
    print(f"==> NSIS：{setup}", flush=True)
    subprocess.run(cmd, check=True, cwd=NSIS_SCRIPT.parent)
    return setup


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="构建 govdesk 程序文件夹、冒烟测试，以及 Windows 安装程序")
    p.add_argument("--skip-installer", action="store_true", help="不生成安装程序（即使有 makensis）")
    p.add_argument("--no-smoke", action="store_true", help="不运行冒烟测试（不建议）")
    p.add_argument("--clean", action="store_true", help="先删除上次的构建文件")
    p.add_argument("--dist", type=Path, default=ROOT / "dist", help="输出文件夹（默认 dist/）")
    p.add_argument("--work", type=Path, default=ROOT / "build", help="中间文件夹（默认 build/）")
    p.add_argument("--max-size-mb", type=float, default=DEFAULT_MAX_SIZE_MB,
                   help=f"程序文件夹大小上限（MB，默认 {DEFAULT_MAX_SIZE_MB}）")
    args = p.parse_args(argv)

    version = read_version()
    started = time.perf_counter()
    bundle = build_bundle(args.dist.resolve(), args.work.resolve(), version, clean=args.clean)
    built = time.perf_counter() - started
    size_mb = folder_size(bundle) / 1e6
    print(f"==> 程序文件夹：{bundle}，{size_mb:.1f} MB，构建用时 {built:.0f} 秒", flush=True)

    if args.no_smoke:
        print("==> 已跳过冒烟测试（--no-smoke）", flush=True)
    else:
        smoke_test(bundle)

    if size_mb > args.max_size_mb:
        raise SystemExit(f"程序文件夹 {size_mb:.1f} MB，超过上限 {args.max_size_mb:.0f} MB")

    if args.skip_installer:
        print("==> 已跳过安装程序（--skip-installer）", flush=True)
    else:
        makensis = find_makensis()
        if makensis is None:
            print("==> 没有找到 makensis（NSIS 3），不生成安装程序。"
                  "Windows 上请安装 NSIS：https://nsis.sourceforge.io/", flush=True)
        else:
            setup = build_installer(makensis, bundle, args.dist.resolve(), version)
            print(f"==> 安装程序：{setup}，{setup.stat().st_size / 1e6:.1f} MB", flush=True)
            if not WINDOWS:
                print("    注意：这是用 Linux 程序文件夹编译的，只用于检查 NSIS 脚本，不能分发；"
                      "正式的安装程序请在 Windows 上构建。", flush=True)
    print(f"==> 完成，共用时 {time.perf_counter() - started:.0f} 秒", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
