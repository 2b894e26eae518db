#!/usr/bin/env python3
"""Estimate the installed size of the Windows bundle without Windows.

    python scripts/estimate_windows_bundle.py [--cache DIR] [--linux-bundle DIR] [--offline]

PyInstaller cannot cross-compile and no Windows Python can be fetched here, so the Windows
bundle (``dist\\govdesk\\`` of ``python build_installer.py`` on Windows) is estimated from three
sources, each file labelled with where its size comes from:

``wheel``
    Measured: the win_amd64 / cp311 wheels of every runtime dependency, downloaded with
    ``pip download --only-binary=:all: --platform win_amd64 --python-version 3.11
    --implementation cp --no-deps`` at the versions installed here (the list is resolved from
    this environment's metadata with ``importlib.metadata``, markers evaluated for Windows).
    Which of their files a Windows build collects follows PyInstaller and build_installer.py:
    the extension modules the Linux build collected (``x.abi3.so`` → ``x.pyd``) minus
    ``EXCLUDED_PACKAGES``; the Qt plugins and translations, and the extra DLLs PyInstaller's Qt
    hook adds on Windows (``opengl32sw.dll``), filtered by ``build_installer.keep_entry``; then
    every DLL those import (read from the PE import tables, as PyInstaller does), found in the
    wheels, again filtered by ``keep_entry``. DLLs found in no wheel are Windows' own
    (kernel32, the UCRT …) and are not bundled.
``linux``
    Measured from a Linux bundle built here by build_installer.py (the same spec): the files
    that are the same on Windows — ``base_library.zip``, package data (python-docx templates,
    lxml's schematron files, dist-info), and the PKG archive inside the executable (the PYZ of
    all Python bytecode; on Windows it is in *both* govdesk.exe and govdesk-cli.exe); plus
    ``resources/`` and ``docs/guide/`` counted from the repository (``data_folders()``).
``linux-proxy``
    Assumed equal to a measured Linux size: the standard library's extension modules that
    CPython's Windows build ships as separate ``.pyd`` files (the list in CPython's
    PCbuild/pcbuild.proj), each sized as its Linux ``.so`` plus the Linux libraries it links
    and the Windows build links statically (liblzma, libbz2); ``libcrypto-3.dll``,
    ``libssl-3.dll``, ``sqlite3.dll`` and ``libffi-8.dll`` sized as their Linux counterparts.
``published``
    python311.dll, python3.dll, vcruntime140.dll, vcruntime140_1.dll of the python.org
    CPython 3.11.9 64-bit installer (see :data:`PYTHON_RUNTIME`).
``assumed``
    The rest, each stated where it is added (the executables' resources, _overlapped.pyd).

Linux-only files of the Linux bundle (ICU, X11/xcb, GLib, CUPS, GnuTLS, libstdc++, auditwheel's
``*.libs`` …) are dropped: Windows provides its own, or the Windows wheels link them in.
Downloads and the Linux bundle go to the cache folder (default: a folder in the temp dir),
never into the repository.
"""

from __future__ import annotations

import argparse
import fnmatch
import importlib.metadata as md
import math
import re
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import build_installer as bi  # noqa: E402  (the rules: EXCLUDED_PACKAGES, keep_entry, data_folders)

BUDGET_MB = 150
CLUSTER = 4096
PY_TAG = "cp311"

# python.org CPython 3.11.9 (64-bit), installed: sizes in bytes from a published directory listing
# of such an installation (files dated 2024-04-02, 3.11.9's release day). They are not in any
# wheel or package that can be fetched here, so they are not measured by this script.
PYTHON_RUNTIME = {
    "python311.dll": 5_800_216,
    "python3.dll": 67_352,  # the stable ABI forwarder: PySide6's and shiboken6's abi3 modules import it
    "vcruntime140.dll": 119_192,
    "vcruntime140_1.dll": 49_528,
}
# CPython 3.11's Windows build: the extension modules that are separate .pyd files (PCbuild/
# pcbuild.proj: ExtensionModules and ExternalModules). Every other stdlib C module (_json,
# _pickle, math, zlib, the CJK codecs …) is built into python311.dll; POSIX-only ones (fcntl,
# termios, readline …) do not exist there.
WINDOWS_PYD = {
    "_asyncio", "_zoneinfo", "_decimal", "_elementtree", "_msi", "_multiprocessing",
    "_overlapped", "pyexpat", "_queue", "select", "unicodedata", "winsound", "_uuid", "_ctypes",
    "_bz2", "_lzma", "_sqlite3", "_socket", "_ssl", "_hashlib", "_tkinter",
}
# .pyd → Linux libraries its Linux .so links that the Windows .pyd links statically (counted
# into the proxy) …
STATIC_ON_WINDOWS = {"_lzma": ("liblzma.so",), "_bz2": ("libbz2.so",)}
# … and the separate DLLs the Windows .pyd loads, sized as their Linux counterparts.
WINDOWS_PYD_DLLS = {
    "_ssl": {"libssl-3.dll": "libssl.so", "libcrypto-3.dll": "libcrypto.so"},
    "_hashlib": {"libcrypto-3.dll": "libcrypto.so"},
    "_sqlite3": {"sqlite3.dll": "libsqlite3.so"},
    "_ctypes": {"libffi-8.dll": "libffi.so"},
}
# asyncio imports _overlapped on Windows (windows_events); there is no Linux counterpart.
OVERLAPPED_ASSUMED = 60_000
# Packages only Windows builds collect, with the hook that adds them: their data files (not .py,
# which go into the PYZ) come from the wheel.
WINDOWS_ONLY_DATA = {
    # pyinstaller-hooks-contrib's hook-zoneinfo: Windows has no system time zone database, so
    # zoneinfo (imported here through python-dateutil) needs the tzdata package; hook-tzdata
    # then collects its ~600 zone files.
    "tzdata": "hook-zoneinfo adds tzdata on Windows",
}
# Version resource and manifest PyInstaller writes into each .exe (no icon yet): a few KB.
EXE_RESOURCES_ASSUMED = 8_192

WINDOWS_ENV = {
    "sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
    "platform_machine": "AMD64", "python_version": "3.11", "python_full_version": "3.11.9",
    "implementation_name": "cpython", "platform_python_implementation": "CPython",
}
_EXT_SUFFIX = re.compile(r"(\.cpython-3\d+-[a-z0-9_]+-linux-gnu|\.abi3)?\.so(\.[\d.]+)?$")


@dataclass(frozen=True)
class Item:
    dest: str  # path inside the Windows bundle, "/"-separated
    size: int
    source: str  # wheel | linux | linux-proxy | published | assumed
    note: str = ""


# ---------------------------------------------------------------------------------------------
# Pure logic (tested in tests/test_estimate_windows_bundle.py)


def excluded_module(module: str) -> bool:
    """Whether build_installer's EXCLUDED_PACKAGES keeps a module (dotted name) out."""
    return any(module == e or module.startswith(e + ".") for e in bi.EXCLUDED_PACKAGES)


def linux_extension_module(rel: str) -> str | None:
    """The dotted module name of a Linux extension module's path in the bundle, or None if the
    path is not one: ``lxml/etree.cpython-311-x86_64-linux-gnu.so`` → ``lxml.etree``."""
    if not re.search(r"(\.cpython-3\d+-[a-z0-9_]+-linux-gnu|\.abi3)\.so$", rel):
        return None
    if rel.startswith("python3."):  # python3.11/lib-dynload/: the stdlib's own
        rel = rel.split("/", 2)[-1]
    return _EXT_SUFFIX.sub("", rel).replace("/", ".")


def windows_pyd_candidates(module: str) -> list[str]:
    """The wheel paths a module's Windows extension can have."""
    base = module.replace(".", "/")
    return [f"{base}.{PY_TAG}-win_amd64.pyd", f"{base}.pyd"]


def windows_only_data(wheel_files: dict[str, int]) -> dict[str, int]:
    """The data files (path → size) of the packages only a Windows build collects."""
    return {path: size for path, size in wheel_files.items()
            if path.split("/", 1)[0] in WINDOWS_ONLY_DATA and "/" in path
            and not path.endswith((".py", ".pyc"))
            and not excluded_module(path.split("/", 1)[0])}


def select_qt_files(wheel_files: dict[str, int], *, rejected: dict[str, int] | None = None,
                    ) -> dict[str, int]:
    """From a PySide6 wheel's files (path → size), the plugins, translations and Qt-hook extras
    a Windows build collects before dependency analysis, after build_installer's rules (the
    candidates the rules drop go into ``rejected``)."""
    chosen = {}
    names = {p.lower() for p in wheel_files}
    for path, size in wheel_files.items():
        parts = path.lower().split("/")
        if parts[0] != "pyside6":
            continue
        if len(parts) >= 4 and parts[1] == "plugins" and parts[-1].endswith(".dll"):
            pass  # plugins/<folder>/<plugin>.dll: PyInstaller's Qt hooks collect by folder
        elif len(parts) == 3 and parts[1] == "translations" and parts[-1].endswith(".qm"):
            pass
        elif len(parts) == 2 and (parts[1] == "opengl32sw.dll" or (
                fnmatch.fnmatch(parts[1], "d3dcompiler_??.dll")
                and {"pyside6/libegl.dll", "pyside6/libglesv2.dll"} <= names)):
            pass  # PyInstaller's collect_extra_binaries() on Windows
        else:
            continue
        if bi.keep_entry(path):
            chosen[path] = size
        elif rejected is not None:
            rejected[path] = size
    return chosen


def dependency_closure(roots: list[str], imports: Callable[[str], list[str]],
                       files: dict[str, int], runtime: dict[str, int],
                       ) -> tuple[dict[str, int], set[str]]:
    """Every bundled DLL the roots need, transitively, as PyInstaller's binary analysis finds
    them: an imported name is looked up beside the importer, then in the Python runtime, then
    anywhere in the wheels; not found → Windows' own (returned separately, not bundled).
    Files build_installer's keep_entry drops are not followed."""
    by_name: dict[str, list[str]] = {}
    for path in files:
        by_name.setdefault(path.rsplit("/", 1)[-1].lower(), []).append(path)
    runtime_lower = {k.lower(): k for k in runtime}
    found: dict[str, int] = {}
    system: set[str] = set()
    todo = list(roots)
    seen = set(roots)
    while todo:
        path = todo.pop()
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        for dll in imports(path):
            key = dll.lower()
            candidates = by_name.get(key, [])
            beside = [c for c in candidates if (c.rsplit("/", 1)[0] if "/" in c else "") == folder]
            if beside:
                target = beside[0]
            elif key in runtime_lower:
                found[runtime_lower[key]] = runtime[runtime_lower[key]]
                continue
            elif candidates:
                target = sorted(candidates)[0]
            else:
                system.add(key)
                continue
            if target in seen or not bi.keep_entry(target):
                continue
            seen.add(target)
            found[target] = files[target]
            todo.append(target)
    return found, system


def on_disk(size: int, cluster: int = CLUSTER) -> int:
    """The space a file takes with ``cluster``-byte clusters (NTFS default: 4 KB)."""
    return math.ceil(size / cluster) * cluster if size else 0


def pe_imports(data: bytes) -> list[str]:
    """The DLL names in a PE file's import table (not delay-loaded ones: PyInstaller does not
    follow those either)."""
    if data[:2] != b"MZ":
        return []
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    if data[pe:pe + 4] != b"PE\0\0":
        return []
    n_sections, = struct.unpack_from("<H", data, pe + 6)
    opt_size, = struct.unpack_from("<H", data, pe + 20)
    opt = pe + 24
    magic, = struct.unpack_from("<H", data, opt)
    dirs = opt + (112 if magic == 0x20B else 96)
    import_rva, _ = struct.unpack_from("<II", data, dirs + 8)
    if not import_rva:
        return []
    sections = []
    for i in range(n_sections):
        s = opt + opt_size + 40 * i
        vsize, vaddr, rsize, raw = struct.unpack_from("<IIII", data, s + 8)
        sections.append((vaddr, max(vsize, rsize), raw))

    def offset(rva: int) -> int:
        for vaddr, size, raw in sections:
            if vaddr <= rva < vaddr + size:
                return rva - vaddr + raw
        raise ValueError(rva)

    names = []
    pos = offset(import_rva)
    while True:
        fields = struct.unpack_from("<IIIII", data, pos)
        if not any(fields):
            break
        start = offset(fields[3])
        names.append(data[start:data.index(b"\0", start)].decode("ascii"))
        pos += 20
    return names


def pkg_archive_length(exe: bytes) -> int:
    """Length of the PyInstaller archive (PKG: the PYZ and the entry scripts) appended to a
    bootloader, read from its cookie at the end."""
    magic = b"MEI\014\013\012\013\016"
    at = exe.rfind(magic)
    if at < 0:
        raise ValueError("no PyInstaller archive cookie")
    return struct.unpack_from("!I", exe, at + 8)[0]


def summarize(items: list[Item]) -> dict:
    total = sum(i.size for i in items)
    disk = sum(on_disk(i.size) for i in items)
    by_source: dict[str, int] = {}
    for i in items:
        by_source[i.source] = by_source.get(i.source, 0) + i.size
    return {"files": len(items), "bytes": total, "on_disk": disk, "by_source": by_source}


def biggest(items: list[Item], n: int = 15) -> list[Item]:
    return sorted(items, key=lambda i: (-i.size, i.dest))[:n]


# ---------------------------------------------------------------------------------------------
# Gathering (network and file system)


def runtime_distributions(root: str = "govdesk") -> dict[str, str]:
    """Name → installed version of every distribution the app needs at run time on Windows:
    govdesk's requirements (no extras of its own), transitively, markers evaluated for win32."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    result: dict[str, str] = {}
    extras_done: dict[str, set[str]] = {}
    todo = [(r, "") for r in (md.requires(root) or [])]
    while todo:
        text, parent_extra = todo.pop()
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate({**WINDOWS_ENV, "extra": parent_extra}):
            continue
        name = canonicalize_name(req.name)
        wanted = set(req.extras) | {""}
        if name in extras_done and wanted <= extras_done[name]:
            continue
        extras_done.setdefault(name, set()).update(wanted)
        try:
            dist = md.distribution(req.name)
        except md.PackageNotFoundError:
            result[name] = ""  # Windows-only: pip picks the newest matching wheel
            continue
        result[name] = dist.version
        for extra in wanted:
            todo += [(r, extra) for r in (dist.requires or [])]
    return result


def download_wheels(dists: dict[str, str], folder: Path, offline: bool) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    if not offline:
        specs = [f"{n}=={v}" if v else n for n, v in sorted(dists.items())]
        cmd = [sys.executable, "-m", "pip", "download", "--only-binary=:all:",
               "--platform", "win_amd64", "--python-version", "3.11", "--implementation", "cp",
               "--no-deps", "--quiet", "--dest", str(folder), *specs]
        print("==> pip download (win_amd64, cp311):", len(specs), "wheels", flush=True)
        subprocess.run(cmd, check=True)
    wheels = []
    for name, version in dists.items():
        stem = name.replace("-", "_").lower()
        match = [w for w in folder.glob("*.whl")
                 if w.name.lower().startswith(f"{stem}-{version.lower()}-" if version else f"{stem}-")]
        if not match:
            raise SystemExit(f"no win_amd64 wheel of {name} {version} in {folder}")
        wheels.append(sorted(match)[-1])
    return wheels


def wheel_contents(wheels: list[Path]) -> tuple[dict[str, int], dict[str, Path]]:
    """Every file of the wheels (path inside site-packages → size), and which wheel has it."""
    files: dict[str, int] = {}
    origin: dict[str, Path] = {}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as z:
            for info in z.infolist():
                if info.is_dir() or info.filename.split("/", 1)[0].endswith(".data"):
                    continue  # scripts and headers: not installed into site-packages
                files[info.filename] = info.file_size
                origin[info.filename] = wheel
    return files, origin


def read_member(wheel: Path, name: str) -> bytes:
    with zipfile.ZipFile(wheel) as z:
        return z.read(name)


def build_linux_bundle(cache: Path) -> Path:
    dist = cache / "linux-dist"
    print("==> build_installer.py (Linux bundle, for the measured parts)", flush=True)
    subprocess.run([sys.executable, str(ROOT / "build_installer.py"), "--skip-installer",
                    "--no-smoke", "--dist", str(dist), "--work", str(cache / "linux-work")],
                   check=True, cwd=ROOT)
    return dist / bi.APP


def folder_files(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_size
            for p in folder.rglob("*") if p.is_file() and not p.is_symlink()}


def estimate(linux_bundle: Path, wheels: list[Path], pyinstaller_wheel: Path) -> tuple[list[Item], dict]:
    internal = linux_bundle / "_internal"
    linux = folder_files(internal)
    wfiles, worigin = wheel_contents(wheels)
    items: list[Item] = []
    info: dict = {"linux_only_dropped": 0, "missing_pyd": [], "system_dlls": set()}

    def linux_lib(prefix: str) -> int:
        hits = [s for p, s in linux.items() if "/" not in p and p.startswith(prefix + ".")]
        return max(hits, default=0)

    # 1. The executables: Windows bootloaders (measured, PyInstaller's win_amd64 wheel) with the
    #    PKG archive measured from the Linux executable.
    archive = pkg_archive_length((linux_bundle / bi.APP).read_bytes())
    boot = "PyInstaller/bootloader/Windows-64bit-intel/"
    with zipfile.ZipFile(pyinstaller_wheel) as z:
        runw = z.getinfo(boot + "runw.exe").file_size
        run = z.getinfo(boot + "run.exe").file_size
    for name, loader in ((f"{bi.APP}.exe", runw), (f"{bi.APP}-cli.exe", run)):
        items.append(Item(name, loader, "wheel", "bootloader"))
        items.append(Item(name + " [PKG/PYZ]", archive, "linux", "Python bytecode archive"))
        items.append(Item(name + " [resources]", EXE_RESOURCES_ASSUMED, "assumed"))

    # 2. The Python runtime.
    roots: list[str] = []
    data_dests = {dest for _, dest in bi.data_folders()}
    for rel, size in sorted(linux.items()):
        top = rel.split("/", 1)[0]
        if top in data_dests or rel.startswith("docs/"):
            continue  # from the repository (below)
        module = linux_extension_module(rel)
        if top in ("PySide6", "shiboken6") and module is None:
            continue  # Qt's libraries, plugins, translations: from the Windows wheels (below)
        if rel.startswith("python3.") and "/lib-dynload/" in rel:
            if module in WINDOWS_PYD:
                extra = sum(linux_lib(lib) for lib in STATIC_ON_WINDOWS.get(module, ()))
                items.append(Item(f"{module}.pyd", size + extra, "linux-proxy"))
                for dll, lib in WINDOWS_PYD_DLLS.get(module, {}).items():
                    if not any(i.dest == dll for i in items):
                        items.append(Item(dll, linux_lib(lib), "linux-proxy", f"as {lib}"))
            continue  # built into python311.dll, or POSIX-only
        if module is not None:
            if excluded_module(module):
                continue
            for candidate in windows_pyd_candidates(module):
                if candidate in wfiles:
                    roots.append(candidate)
                    break
            else:
                info["missing_pyd"].append(rel)
                items.append(Item(rel, size, "linux-proxy", "no Windows .pyd found"))
            continue
        if "/" not in rel and (rel.startswith("lib") or ".so" in rel) or ".libs/" in rel:
            info["linux_only_dropped"] += size  # libpython, ICU, X11, GLib, auditwheel libs …
            continue
        items.append(Item(rel, size, "linux"))  # base_library.zip, package data, dist-info
    if any(i.dest == "_asyncio.pyd" for i in items):
        items.append(Item("_overlapped.pyd", OVERLAPPED_ASSUMED, "assumed", "asyncio on Windows"))
    items.append(Item("python311.dll", PYTHON_RUNTIME["python311.dll"], "published"))

    # 3. Data folders build_installer adds, from the repository as it is now.
    for source, dest in bi.data_folders():
        for rel, size in sorted(folder_files(Path(source)).items()):
            items.append(Item(f"{dest}/{rel}", size, "linux", "repository"))

    for path, size in sorted(windows_only_data(wfiles).items()):
        items.append(Item(path, size, "wheel", WINDOWS_ONLY_DATA[path.split("/", 1)[0]]))

    # 4. Qt: extension modules, plugins, translations, then every DLL they import.
    rejected: dict[str, int] = {}
    qt = select_qt_files({p: s for p, s in wfiles.items() if p.startswith("PySide6/")},
                         rejected=rejected)
    info["rejected"] = rejected
    roots += sorted(qt)
    def imports(path: str) -> list[str]:
        return pe_imports(read_member(worigin[path], path)) if path in worigin else []

    deps, system = dependency_closure(roots, imports, wfiles, PYTHON_RUNTIME)
    info["system_dlls"] = system
    for path in roots:
        items.append(Item(path, wfiles[path], "wheel"))
    for path, size in sorted(deps.items()):
        if path in PYTHON_RUNTIME:
            if path != "python311.dll":
                items.append(Item(path, size, "published"))
        elif path not in roots:
            items.append(Item(path, size, "wheel", "dependency"))
    # The MSVC runtime copies PySide6 and shiboken6 carry (vcruntime140*.dll, msvcp140.dll) are
    # counted as well as the Python runtime's: if PyInstaller keeps one per name, the estimate is
    # up to ~0.9 MB high.
    return items, info


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "govdesk-winest",
                   help="downloads, unpacked wheels and the Linux bundle (default: temp folder)")
    p.add_argument("--linux-bundle", type=Path,
                   help="an existing Linux bundle (dist/govdesk) instead of building one")
    p.add_argument("--offline", action="store_true", help="use the wheels already in the cache")
    p.add_argument("--top", type=int, default=15, help="how many of the biggest files to list")
    args = p.parse_args(argv)

    dists = runtime_distributions()
    dists.pop("pip", None)  # sqlite-utils declares pip (for its install command); never imported
    dists["pyinstaller"] = md.version("pyinstaller")  # its Windows bootloaders
    wheels = download_wheels(dists, args.cache / "wheels", args.offline)
    pyinstaller_wheel = next(w for w in wheels if w.name.lower().startswith("pyinstaller-"))
    app_wheels = [w for w in wheels if w is not pyinstaller_wheel]
    bundle = args.linux_bundle or build_linux_bundle(args.cache)

    items, info = estimate(bundle, app_wheels, pyinstaller_wheel)
    s = summarize(items)
    print(f"\nWheels (win_amd64, cp311), {len(app_wheels)}:")
    for w in sorted(app_wheels):
        print(f"  {w.name}")
    print(f"\nEstimated Windows bundle: {s['files']} files")
    print(f"  sum of file sizes  {s['bytes'] / 1e6:8.1f} MB  ({s['bytes'] / 2**20:.1f} MiB)")
    print(f"  on disk (4 KB)     {s['on_disk'] / 1e6:8.1f} MB  ({s['on_disk'] / 2**20:.1f} MiB)")
    print(f"  budget             {BUDGET_MB:8d} MB  → "
          f"{'within' if s['on_disk'] / 1e6 <= BUDGET_MB else 'OVER'}")
    print("  by source of the size:")
    for source, size in sorted(s["by_source"].items(), key=lambda kv: -kv[1]):
        print(f"    {source:12s} {size / 1e6:7.1f} MB")
    groups: dict[str, int] = {}
    for i in items:
        name = i.dest.split(" [")[0]
        key = ("Qt DLLs (PySide6/Qt6*.dll)" if re.match(r"pyside6/qt6", name.lower()) else
               "Qt plugins and translations" if "/plugins/" in name or "/translations/" in name else
               "PySide6/shiboken6 modules and runtime" if name.split("/")[0] in ("PySide6", "shiboken6") else
               "executables (bootloader + PYZ, twice)" if name.endswith(".exe") else
               "Python runtime (dll, stdlib .pyd, OpenSSL, SQLite)" if "/" not in name else
               "docs/guide and resources" if name.startswith(("docs/", "resources/")) else
               "tzdata (Windows only)" if name.startswith("tzdata/") else
               "other packages (lxml, Pillow, …)")
        groups[key] = groups.get(key, 0) + i.size
    print("  by part:")
    for key, size in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"    {key:52s} {size / 1e6:7.1f} MB")
    print(f"\nBiggest {args.top}:")
    for i in biggest(items, args.top):
        print(f"  {i.size / 1e6:7.2f} MB  {i.dest:58s} {i.source}")
    print(f"\nDropped as Linux-only (ICU, X11/xcb, GLib, CUPS, libpython …): "
          f"{info['linux_only_dropped'] / 1e6:.1f} MB of the Linux bundle")
    rejected = info["rejected"]
    gl = sum(size for path, size in rejected.items() if path.lower().endswith("opengl32sw.dll"))
    print(f"Wheel files build_installer.keep_entry drops: opengl32sw.dll {gl / 1e6:.1f} MB "
          f"(which PyInstaller's Qt hook collects on Windows), and {len(rejected) - (1 if gl else 0)}"
          f" Qt plugins and translations, {(sum(rejected.values()) - gl) / 1e6:.1f} MB")
    if info["missing_pyd"]:
        print("No Windows .pyd found (Linux size kept):", ", ".join(info["missing_pyd"]))
    print("Windows' own DLLs imported (not bundled):", ", ".join(sorted(info["system_dlls"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
