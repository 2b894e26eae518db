"""D9: where the database may live — a table of paths with an injected drive-type function."""

from __future__ import annotations

import pytest

from govdesk.core.locations import (
    DriveType,
    Verdict,
    classify,
    cloud_folder,
    is_unc,
    mount_of,
    posix_drive_type,
)

# Drive letter (or POSIX mount prefix) → what GetDriveTypeW would say.
DRIVES = {
    "C": DriveType.FIXED, "D": DriveType.FIXED, "E": DriveType.REMOVABLE,
    "F": DriveType.CDROM, "Z": DriveType.REMOTE, "G": DriveType.FIXED,  # Google Drive: virtual
    "R": DriveType.RAMDISK, "/mnt/nas": DriveType.REMOTE, "/media": DriveType.REMOVABLE,
}


def fake_drive_type(path: str) -> DriveType:
    if len(path) >= 2 and path[1] == ":":
        return DRIVES.get(path[0].upper(), DriveType.UNKNOWN)
    for prefix, kind in DRIVES.items():
        if prefix.startswith("/") and path.startswith(prefix):
            return kind
    return DriveType.FIXED


OK, WARN, NO = Verdict.OK, Verdict.WARNING, Verdict.REFUSED

CASES = [
    # local disks
    (r"C:\Users\liu\AppData\Local\govdesk\govdesk.db", OK, ""),
    (r"D:\政务公开\govdesk.db", OK, ""),
    (r"C:\Users\liu\Documents\govdesk.db", OK, ""),
    (r"R:\scratch\govdesk.db", OK, ""),
    ("/home/liu/.local/share/govdesk/govdesk.db", OK, ""),
    (r"\\?\C:\Users\liu\govdesk.db", OK, ""),
    (r"C:\Users\liu\onedrive-notes.db", OK, ""),  # a file's own name is not a sync folder
    # network: UNC in every spelling, mapped drives, network mounts
    (r"\\server\share\govdesk.db", NO, "network"),
    (r"\\192.168.1.10\政务公开\govdesk.db", NO, "network"),
    ("//server/share/govdesk.db", NO, "network"),
    (r"\\?\UNC\server\share\govdesk.db", NO, "network"),
    (r"/\server\share\govdesk.db", NO, "network"),
    (r"Z:\govdesk\govdesk.db", NO, "network"),
    ("/mnt/nas/govdesk.db", NO, "network"),
    (r"F:\govdesk.db", NO, "cdrom"),
    # removable
    (r"E:\govdesk.db", WARN, "removable"),
    ("/media/liu/KINGSTON/govdesk.db", WARN, "removable"),
    # cloud-sync folders
    (r"C:\Users\liu\OneDrive\文档\govdesk.db", WARN, "cloud:OneDrive"),
    (r"C:\Users\liu\OneDrive - 云溪镇人民政府\govdesk.db", WARN, "cloud:OneDrive"),
    (r"C:\Users\liu\Documents\WPSDrive\123456\WPS云文档\govdesk.db", WARN, "cloud:WPS云文档"),
    (r"C:\Users\liu\Nutstore\1\我的坚果云\govdesk.db", WARN, "cloud:坚果云"),
    (r"D:\BaiduSyncdisk\govdesk.db", WARN, "cloud:百度网盘同步空间"),
    (r"D:\百度网盘同步空间\govdesk.db", WARN, "cloud:百度网盘同步空间"),
    (r"D:\BaiduNetdiskWorkspace\govdesk.db", WARN, "cloud:百度网盘同步空间"),
    (r"C:\Users\liu\Dropbox\govdesk.db", WARN, "cloud:Dropbox"),
    (r"C:\Users\liu\iCloudDrive\govdesk.db", WARN, "cloud:iCloud 云盘"),
    ("/Users/liu/Library/Mobile Documents/com~apple~CloudDocs/govdesk.db", WARN,
     "cloud:iCloud 云盘"),
    (r"G:\My Drive\govdesk.db", WARN, "cloud:Google 云端硬盘"),
    (r"G:\我的云端硬盘\govdesk.db", WARN, "cloud:Google 云端硬盘"),
    # a cloud folder on a network drive is refused, not merely warned about
    (r"Z:\OneDrive\govdesk.db", NO, "network"),
]


@pytest.mark.parametrize(("path", "verdict", "kind"), CASES)
def test_each_path_is_classified(path, verdict, kind):
    check = classify(path, fake_drive_type)
    assert (check.verdict, check.kind) == (verdict, kind)
    if verdict is OK:
        assert check.message == "" and check.ok
    else:
        assert path in check.message and not check.ok


def test_the_table_is_big_enough():
    assert len(CASES) >= 20
    assert {v for _p, v, _k in CASES} == {OK, WARN, NO}


def test_messages_explain_in_chinese():
    assert "网络" in classify(r"\\server\share\a.db", fake_drive_type).message
    assert "U盘" in classify(r"E:\a.db", fake_drive_type).message
    assert "坚果云" in classify(r"C:\Nutstore\a.db", fake_drive_type).message


def test_unc_detection():
    assert is_unc(r"\\server\share") and is_unc("//server/share")
    assert not is_unc("/home/x") and not is_unc(r"C:\x") and not is_unc("///x")
    assert cloud_folder(r"C:\Users\x\Dropbox (个人)\a.db") == "Dropbox"


MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
/dev/sdb1 /media/liu/KINGSTON vfat rw 0 0
//nas/share /mnt/share cifs rw 0 0
nas:/export /srv/nfs nfs4 rw 0 0
liu@host:/data /home/liu/remote fuse.sshfs rw 0 0
/dev/sdc1 /data\\040disk ext4 rw 0 0
"""


@pytest.mark.parametrize(("path", "expected"), [
    ("/home/liu/govdesk.db", DriveType.FIXED),
    ("/media/liu/KINGSTON/govdesk.db", DriveType.REMOVABLE),
    ("/mnt/share/govdesk.db", DriveType.REMOTE),
    ("/srv/nfs/a/govdesk.db", DriveType.REMOTE),
    ("/home/liu/remote/govdesk.db", DriveType.REMOTE),
    ("/data disk/govdesk.db", DriveType.REMOVABLE),  # /dev/sdc is removable below
])
def test_linux_fallback_reads_mounts(path, expected):
    assert posix_drive_type(path, MOUNTS, removable=lambda dev: dev == "/dev/sdc1") == expected


def test_mount_of_picks_the_longest_prefix():
    assert mount_of("/srv/nfs/x", MOUNTS)[1] == "/srv/nfs"
    assert mount_of("/srv/nfsx/x", MOUNTS)[1] == "/"
