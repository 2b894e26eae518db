"""D5 I/O-error sweep on the files govdesk writes outside SQLite, in the style of SQLite's
ioerr tests: an OSError (ENOSPC, EACCES, EIO) is injected at the k-th write, flush, fsync or
replace call, for k = 1, 2 … until the operation gets through. Each time: the destination is
byte-identical to the old file or is the complete new one, no temporary file is left in the
folder, and the user gets a Chinese UserError. The Windows case — ``os.replace`` refused because
the target is open in a viewer — must say 文件被其他程序占用 and keep the old file.

Covered writers: a notice PDF (operations.printing → export.pdf_write), the 台账 export as .xlsx
and .csv (operations.ledger → export.tables → pdf_write), the annual report .docx
(operations.annual_report → pdf_write), and copying a backup to a folder or USB stick
(operations.backups.copy_backup_to → store.backup.copy_verified). The faults are injected
into the file objects that module opens and into os.fsync / os.replace: fault injection at
the OS boundary, the code under test runs unchanged."""

from __future__ import annotations

import builtins
import errno
import io
import os
import re
import stat
import zipfile
from pathlib import Path

import pytest
from conftest import as_user, notice_input

import govdesk.export.annual_report_docx as annual_report_docx
import govdesk.export.pdf_write as pdf_write
import govdesk.store.backup as store_backup
from govdesk.core.errors import UserError
from govdesk.core.notices import NoticeFilter
from govdesk.core.org import Role
from govdesk.operations import annual_report, backups, ledger, printing
from govdesk.operations import notices as notice_ops

ERRNOS = (errno.ENOSPC, errno.EACCES, errno.EIO)
MAX_K = 400
CJK = re.compile("[\u4e00-\u9fff]")


class Injected(Exception):
    pass


class Faults:
    """Counts write/flush/fsync/replace calls and raises OSError(err) at call number ``at``."""

    def __init__(self, at: int, err: int) -> None:
        self.at, self.err, self.calls, self.fired = at, err, 0, None

    def tick(self, what: str) -> None:
        self.calls += 1
        if self.calls == self.at:
            self.fired = what
            raise OSError(self.err, os.strerror(self.err))


class FaultyFile(io.RawIOBase):
    """A file opened for writing whose write and flush calls go through ``faults``."""

    def __init__(self, real, faults: Faults) -> None:
        self._real, self._faults = real, faults

    def write(self, data):
        self._faults.tick("write")
        return self._real.write(data)

    def flush(self):
        if not self._real.closed:
            self._faults.tick("flush")
            self._real.flush()

    def close(self):
        self._real.close()
        super().close()

    def fileno(self):
        return self._real.fileno()

    def writable(self):
        return True

    def seekable(self):
        return self._real.seekable()

    def seek(self, *args):
        return self._real.seek(*args)

    def tell(self):
        return self._real.tell()

    def readable(self):
        return self._real.readable()

    def read(self, *args):
        return self._real.read(*args)

    def readinto(self, b):
        return self._real.readinto(b)


def inject(monkeypatch, module, faults: Faults, folder: Path) -> None:
    """Faults on the files ``module`` opens for writing, and on fsync/replace calls that touch
    ``folder`` (other writes — the font cache, say — are not the subject)."""
    real_open, real_fsync, real_replace = builtins.open, os.fsync, os.replace
    ours = {(st.st_dev, st.st_ino) for st in [os.stat(folder)]}

    def faulty_open(file, mode="r", *args, **kwargs):
        fh = real_open(file, mode, *args, **kwargs)
        if not any(c in mode for c in "wax+"):
            return fh
        st = os.fstat(fh.fileno())
        ours.add((st.st_dev, st.st_ino))
        return FaultyFile(fh, faults)

    def fsync(fd):
        st = os.fstat(fd)
        if (st.st_dev, st.st_ino) in ours:
            faults.tick("fsync-dir" if stat.S_ISDIR(st.st_mode) else "fsync")
        real_fsync(fd)

    def replace(src, dst, **kw):
        if Path(os.fspath(dst)).parent == folder:
            faults.tick("replace")
        real_replace(src, dst, **kw)

    monkeypatch.setattr(module, "open", faulty_open, raising=False)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)


def sweep(monkeypatch, module, target: Path, run, complete, *, allowed=None) -> dict:
    """Run ``run()`` with a fault at call k = 1, 2 … until it succeeds (for each errno).
    ``complete(path)`` checks a complete new file. Returns what the sweep saw."""
    old = b"the previous export \x00\xff keep me"
    allowed = allowed or {target.name}
    seen = {"failures": 0, "where": set(), "replace_messages": set()}
    last = MAX_K
    for err in ERRNOS:
        # Every k for the first errno; for the others the first writes and the last calls
        # (the final write, flush, fsync, replace), where a different errno could matter.
        ks = range(1, MAX_K + 1) if err == ERRNOS[0] else sorted({1, 2, *range(max(3, last - 5), last + 1)})
        for k in ks:
            target.write_bytes(old)
            faults = Faults(k, err)
            with monkeypatch.context() as m:
                inject(m, module, faults, target.parent)
                try:
                    run()
                except UserError as exc:
                    failed = exc
                else:
                    failed = None
            leftovers = sorted(set(os.listdir(target.parent)) - allowed)
            assert not leftovers, f"errno {err}, k={k} ({faults.fired}): left {leftovers}"
            if faults.fired is None:  # no fault was reached: the sweep is over for this errno
                assert failed is None, failed
                complete(target)
                assert k > 3 and (err == ERRNOS[0] or k == last), (err, k, last)
                last = k
                break
            if failed is None and faults.fired == "fsync-dir":
                # Syncing the folder after the rename is best effort (Windows cannot at all):
                # the new file is complete and in place.
                complete(target)
                seen["where"].add(faults.fired)
                continue
            assert failed is not None, f"errno {err}, k={k}: {faults.fired} fault swallowed"
            assert CJK.search(failed.message), failed.message
            if target.read_bytes() != old:
                complete(target)  # the failure came after the new file was in place
            seen["failures"] += 1
            seen["where"].add(faults.fired)
            if faults.fired == "replace" and err == errno.EACCES:
                seen["replace_messages"].add(failed.message)
        else:
            raise AssertionError(f"errno {err}: still failing at k={MAX_K}")
    assert {"write", "fsync", "replace"} <= seen["where"], seen
    return seen


def locked_message(seen: dict) -> None:
    """Windows: the target open in a viewer makes os.replace raise PermissionError."""
    assert seen["replace_messages"], seen
    for message in seen["replace_messages"]:
        assert "文件被其他程序占用" in message, message


# ------------------------------------------------------------------------------ the writers


@pytest.fixture
def folder(tmp_path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    return out


def test_notice_pdf(monkeypatch, ctx, users, folder):
    import pypdf

    notice = notice_ops.create_notice(ctx, notice_input(ctx))
    target = folder / "公示.pdf"

    def complete(path: Path) -> None:
        reader = pypdf.PdfReader(path)
        assert len(reader.pages) >= 1 and "公示" in reader.pages[0].extract_text()

    seen = sweep(monkeypatch, pdf_write, target,
                 lambda: printing.print_notice(ctx, notice.id, target, review_copy=True,
                                               invariant=True), complete)
    locked_message(seen)


# openpyxl leaves its ZipFile to the garbage collector when a write fails; its __del__ then
# trips over the closed file (harmless: the temporary file is already gone).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_ledger_export(monkeypatch, ctx, users, folder, suffix):
    for i in range(5):
        notice_ops.create_notice(ctx, notice_input(ctx, title=f"=HYPERLINK(\"x\")第{i}号公示"))
    target = folder / f"台账{suffix}"

    def complete(path: Path) -> None:
        if suffix == ".csv":
            text = path.read_bytes().decode("utf-8-sig")
            assert text.count("第") >= 5 and text.endswith("\r\n")
        else:
            from openpyxl import load_workbook

            wb = load_workbook(path)
            titles = [c.value for c in wb.active["B"] if c.value and "公示" in str(c.value)]
            assert len(titles) == 5

    seen = sweep(monkeypatch, pdf_write, target,
                 lambda: ledger.export_ledger(ctx, NoticeFilter(), target), complete)
    locked_message(seen)


def test_annual_report_docx(monkeypatch, ctx, users, folder):
    import docx

    from govdesk.core.org import Township
    from govdesk.store import org_store

    org_store.update_township(ctx.db, Township("青山县云溪镇人民政府", "云溪镇", "",
                                               "云溪镇人民路1号", "0731-8888 1234"))
    # Building the document takes python-docx about a second (the writing is what is under
    # test, and it is one bytes write): build it once per report, as the real code would.
    built: dict[int, object] = {}
    real_build = annual_report_docx.build_document
    monkeypatch.setattr(annual_report_docx, "build_document",
                        lambda report: built.setdefault(id(report), real_build(report))
                        if not built else next(iter(built.values())))
    target = folder / "年报.docx"

    def complete(path: Path) -> None:
        assert zipfile.ZipFile(path).testzip() is None
        assert len(docx.Document(str(path)).tables) == 3

    seen = sweep(monkeypatch, pdf_write, target,
                 lambda: annual_report.export_annual_report(ctx, 2025, target), complete)
    locked_message(seen)


def _backup(ctx, users):
    admin = as_user(ctx, users[Role.ADMIN])
    return admin, backups.backup_now(admin)


def test_backup_copy_to_a_folder(monkeypatch, ctx, users, tmp_path):
    """The copy to a USB stick (B8) through store.backup.copy_verified, which the operation
    calls; an error is its BackupFailed, a Chinese UserError."""
    _admin, made = _backup(ctx, users)
    stick = tmp_path / "U盘"
    stick.mkdir()
    target = stick / made.path.name
    source = made.path.read_bytes()

    def complete(path: Path) -> None:
        assert path.read_bytes() == source

    seen = sweep(monkeypatch, store_backup, target,
                 lambda: store_backup.copy_verified(made.path, stick), complete,
                 allowed={target.name, store_backup.sidecar_of(target).name})
    locked_message(seen)


def test_a_failed_backup_copy_shows_its_message(monkeypatch, ctx, users, tmp_path):
    admin, made = _backup(ctx, users)
    stick = tmp_path / "U盘"
    stick.mkdir()
    with monkeypatch.context() as m:
        inject(m, store_backup, Faults(1, errno.ENOSPC), stick)
        with pytest.raises(UserError, match="磁盘空间不足"):
            backups.copy_backup_to(admin, made.path.name, stick)
