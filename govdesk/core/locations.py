"""Where the database may live (target D9): refused on network shares, a warning on removable
drives and in cloud-sync folders.

Why: SQLite's locking is "subtly broken" on network filesystems ("SQLite Over a Network"); USB
sticks lie about sync; sync clients (OneDrive, 坚果云 …) take over, rename or roll back files
behind the app's back (KeePassXC issues 1724, 6072). A wrong place must be caught before the
file is opened.

``classify`` is pure: the caller passes a drive-type function (``drive_type_of`` below asks the
operating system; tests pass a table). Windows-style paths are understood on every platform so
the rules can be tested anywhere.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, IntEnum
from pathlib import PurePosixPath, PureWindowsPath


class DriveType(IntEnum):
    """GetDriveTypeW's return values, used on every platform."""

    UNKNOWN = 0
    NO_ROOT_DIR = 1
    REMOVABLE = 2
    FIXED = 3
    REMOTE = 4
    CDROM = 5
    RAMDISK = 6


class Verdict(Enum):
    OK = "可以使用"
    WARNING = "不建议"
    REFUSED = "不能使用"


@dataclass(frozen=True, slots=True)
class LocationCheck:
    verdict: Verdict
    message: str  # Chinese, for the user; "" when OK
    kind: str = ""  # network, removable, cdrom, cloud:<name>

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.OK


DriveTypeFn = Callable[[str], DriveType]

# Folder names sync clients create (compared case-insensitively, whole path components;
# "OneDrive - 某单位" is the business flavour). Name shown to the user → names on disk.
CLOUD_FOLDERS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # (shown name, exact component names, component prefixes)
    ("OneDrive", ("onedrive",), ("onedrive - ", "onedrive-")),
    ("WPS云文档", ("wps云文档", "wpsdrive", "wps cloud files", "wps网盘"), ()),
    ("坚果云", ("坚果云", "我的坚果云", "nutstore", "nutstore files"), ()),
    ("百度网盘同步空间", ("百度网盘同步空间", "baidunetdisk", "baidunetdiskworkspace",
                        "baidusyncdisk", "百度网盘"), ()),
    ("Dropbox", ("dropbox",), ("dropbox (",)),
    ("iCloud 云盘", ("icloud drive", "iclouddrive", "com~apple~clouddocs", "mobile documents"),
     ()),
    ("Google 云端硬盘", ("google drive", "googledrive", "我的云端硬盘", "my drive"), ()),
)

NETWORK_MESSAGE = (
    "数据库不能放在网络共享文件夹或映射的网络驱动器上（{where}）。"
    "网络文件夹的文件锁不可靠，两台电脑同时使用或网络中断时，数据库可能损坏，多年的记录会丢失。"
    "请把数据库放在本机硬盘上（例如默认位置），需要给别人时用“备份与恢复”复制一份。"
)
REMOVABLE_MESSAGE = (
    "数据库在U盘或移动硬盘上（{where}）。拔出U盘、松动或断电时数据库可能损坏，"
    "U盘也常常“假装”已经写好。建议把数据库放在本机硬盘上，U盘只用来存放备份副本。"
)
CDROM_MESSAGE = "数据库在光盘上（{where}），光盘不能写入。请先把文件复制到本机硬盘，再从那里打开。"
CLOUD_MESSAGE = (
    "数据库在{name}的同步文件夹里（{where}）。同步软件会在后台改名、锁定或用旧版本覆盖文件，"
    "可能造成数据库损坏或丢失刚录入的记录。建议把数据库放在不同步的本机文件夹里（例如默认位置），"
    "需要异地保存时把备份复制出去。"
)


def _is_windows_style(path: str) -> bool:
    return (len(path) >= 2 and path[1] == ":" and path[0].isalpha()) or "\\" in path


def _strip_long_prefix(path: str) -> str:
    r"""``\\?\C:\x`` → ``C:\x``; ``\\?\UNC\server\share`` → ``\\server\share``."""
    for prefix in ("\\\\?\\", "\\\\.\\", "//?/", "//./"):
        if path.startswith(prefix):
            rest = path[len(prefix):]
            if rest[:4].upper() in ("UNC\\", "UNC/"):
                return "\\\\" + rest[4:]
            return rest
    return path


def is_unc(path: str) -> bool:
    r"""``\\server\share`` or ``//server/share`` (also mixed slashes)."""
    path = _strip_long_prefix(path)
    return len(path) > 2 and path[0] in "\\/" and path[1] in "\\/" and path[2] not in "\\/"


def _components(path: str) -> list[str]:
    pure = PureWindowsPath(path) if _is_windows_style(path) else PurePosixPath(path)
    return [p.casefold() for p in pure.parts]


def cloud_folder(path: str) -> str | None:
    """The sync service whose folder holds ``path``, or None."""
    for part in _components(path)[:-1]:  # folders only, not the file's own name
        for name, exact, prefixes in CLOUD_FOLDERS:
            if part in exact or any(part.startswith(p) for p in prefixes):
                return name
    return None


def classify(path: str | os.PathLike[str], drive_type: DriveTypeFn | None = None) -> LocationCheck:
    """OK, WARNING (removable drive, cloud-sync folder) or REFUSED (network, CD) for a database
    path. ``drive_type(path)`` reports the kind of drive holding ``path`` (default: ask the OS)."""
    text = _strip_long_prefix(os.fspath(path))
    where = os.fspath(path)
    if is_unc(text):
        return LocationCheck(Verdict.REFUSED, NETWORK_MESSAGE.format(where=where), "network")
    kind = (drive_type or drive_type_of)(text)
    if kind is DriveType.REMOTE:
        return LocationCheck(Verdict.REFUSED, NETWORK_MESSAGE.format(where=where), "network")
    if kind is DriveType.CDROM:
        return LocationCheck(Verdict.REFUSED, CDROM_MESSAGE.format(where=where), "cdrom")
    cloud = cloud_folder(text)
    if cloud is not None:
        return LocationCheck(Verdict.WARNING, CLOUD_MESSAGE.format(name=cloud, where=where),
                             f"cloud:{cloud}")
    if kind is DriveType.REMOVABLE:
        return LocationCheck(Verdict.WARNING, REMOVABLE_MESSAGE.format(where=where), "removable")
    return LocationCheck(Verdict.OK, "")


# ---- asking the operating system -----------------------------------------------------------------


def _windows_drive_type(path: str) -> DriveType:
    import ctypes

    drive, _rest = os.path.splitdrive(os.path.abspath(path))
    if not drive:
        return DriveType.UNKNOWN
    root = drive if drive.startswith("\\\\") else drive + "\\"
    if not root.endswith("\\"):
        root += "\\"
    value = ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))  # type: ignore[attr-defined]
    try:
        return DriveType(value)
    except ValueError:
        return DriveType.UNKNOWN


NETWORK_FS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p",
    "afs", "ceph", "glusterfs", "fuse.glusterfs", "davfs", "fuse.davfs2", "ncpfs", "fuse.rclone",
    "webdav", "afpfs", "fuse.s3fs", "lustre", "gpfs",
})


def _unescape_mount(field: str) -> str:
    # /proc/mounts escapes space, tab, newline and backslash as octal
    return (field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n")
            .replace("\\134", "\\"))


def mount_of(path: str, mounts_text: str) -> tuple[str, str, str] | None:
    """(device, mount point, fstype) of the mount holding ``path``, from /proc/mounts text."""
    best: tuple[str, str, str] | None = None
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        device, point, fstype = fields[0], _unescape_mount(fields[1]), fields[2]
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[1])):
            best = (device, point, fstype)
    return best


def posix_drive_type(path: str, mounts_text: str | None = None,
                     removable: Callable[[str], bool] | None = None) -> DriveType:
    """Linux: the filesystem type in /proc/mounts (nfs, cifs, sshfs … → REMOTE); a device
    whose /sys/block/<dev>/removable is 1, or a mount under /media, /run/media → REMOVABLE.
    macOS (no /proc/mounts): anything under /Volumes/ is treated as REMOVABLE."""
    path = os.path.abspath(path)
    if mounts_text is None:
        try:
            with open("/proc/mounts", encoding="utf-8", errors="replace") as f:
                mounts_text = f.read()
        except OSError:
            mounts_text = ""
    found = mount_of(path, mounts_text)
    if found is None:
        if path.startswith("/Volumes/"):
            return DriveType.REMOVABLE
        return DriveType.FIXED
    device, point, fstype = found
    if fstype.lower() in NETWORK_FS or fstype.lower().startswith(("nfs", "smb", "cifs")):
        return DriveType.REMOTE
    if point.startswith(("/media/", "/run/media/", "/mnt/usb")):
        return DriveType.REMOVABLE
    if (removable or _sys_block_removable)(device):
        return DriveType.REMOVABLE
    return DriveType.FIXED


def _sys_block_removable(device: str) -> bool:
    if not device.startswith("/dev/"):
        return False
    name = os.path.basename(os.path.realpath(device))
    # sdb1 → sdb, mmcblk0p1 → mmcblk0, nvme0n1p1 → nvme0n1
    candidates = [name, name.rstrip("0123456789")]
    if "p" in name:
        candidates.append(name.rsplit("p", 1)[0])
    for c in candidates:
        try:
            with open(f"/sys/block/{c}/removable", encoding="ascii") as f:
                return f.read().strip() == "1"
        except OSError:
            continue
    return False


def drive_type_of(path: str) -> DriveType:
    """The kind of drive holding ``path``, asked of the operating system."""
    try:
        if sys.platform == "win32":
            return _windows_drive_type(path)
        return posix_drive_type(path)
    except Exception:  # noqa: BLE001 - an unknown drive is no reason to refuse to start
        return DriveType.UNKNOWN
