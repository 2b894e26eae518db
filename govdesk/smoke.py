"""``govdesk --smoke-test``: prove that this installation can do real work, then quit.

Run by ``build_installer.py`` on every freshly built bundle and by office IT after installing.
It exercises what a bundle most often gets wrong — the database layer and its migrations, the
CJK print fonts, reportlab, openpyxl, QtPdf and the Qt platform plugin — through the same
operations the GUI uses:

1. a scratch database in a temporary folder is opened through the app's factory (which
   migrates it) and filled with the demo township;
2. one approved notice is printed to a PDF and the 台账 is exported to an xlsx; both files are
   read back (pypdf and QtPdf for the PDF, openpyxl for the workbook);
3. the main window is opened offscreen and closed;
4. a one-line summary goes to stdout and the exit status is 0. Any failure: a message naming
   the failed step on stderr and exit status 1.

The user's own database is never written: if ``db_path`` exists it is copied with SQLite's
backup API into the temporary folder and the *copy* is opened and migrated, which shows that
this version can open that data. A smoke test run by IT on a user's account therefore leaves
no demo township, audit row or migration behind in the real file.

Qt is imported only inside functions: the layer test imports this module and requires that
lower layers load no Qt.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from govdesk.core.errors import UserError

__all__ = ["SmokeFailure", "run_smoke_test"]

T = TypeVar("T")


class SmokeFailure(Exception):
    """A check whose result was wrong (as opposed to an exception from the code under test)."""


def _write(stream, text: str) -> None:
    # A windowed (no console) Windows build has sys.stdout/sys.stderr set to None: the exit
    # status is then the only report, so writing must never be what fails.
    if stream is None:
        return
    try:
        stream.write(text)
        stream.flush()
    except (OSError, UnicodeError, ValueError):
        pass


def _copy_existing(source: Path, target: Path) -> None:
    """Copy the user's database through SQLite's backup API: a consistent snapshot even while
    govdesk has it open, and never a raw file copy of a WAL database. The source connection only
    reads; it is not opened with mode=ro because a read-only connection to a WAL database leaves
    empty -wal/-shm files behind, where a normal one removes them when it closes last."""
    src = sqlite3.connect(str(source))
    try:
        dest = sqlite3.connect(str(target))
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()


def _check_existing(db_path: Path, work: Path) -> str:
    from govdesk.core.notices import NoticeFilter
    from govdesk.store import notice_store
    from govdesk.store.database import close, connect

    copy = work / "existing-copy.db"
    try:
        _copy_existing(db_path, copy)
    except sqlite3.Error as exc:
        raise UserError(f"无法读取数据库文件：{db_path}（{exc}）") from None
    db = connect(copy)  # quick_check, refuses newer schemas, migrates the copy
    try:
        count = notice_store.count(db, NoticeFilter())
    finally:
        close(db)
    return f"现有数据库可打开（{count} 条信息）"


def _check_pdf(path: Path, pages: int) -> None:
    import io

    from pypdf import PdfReader

    data = path.read_bytes()  # read once and let go: Windows cannot delete a file still open
    if not data.startswith(b"%PDF-"):
        raise SmokeFailure(f"{path.name} 不是 PDF 文件")
    reader = PdfReader(io.BytesIO(data))
    if len(reader.pages) < 1 or len(reader.pages) != pages:
        raise SmokeFailure(f"PDF 页数为 {len(reader.pages)}，应为 {pages}")
    # The CJK strategy of export/fonts.py must have found a TrueType font to embed: a notice
    # printed with a substituted, non-embedded font would come out differently on every PC.
    embedded = False
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            font = font.get_object()
            for desc in [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]:
                descriptor = desc.get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    embedded = True
    if not embedded:
        raise SmokeFailure("PDF 中没有嵌入任何 TrueType 字体")


def _check_rl_accel() -> None:
    """pyproject asks for reportlab[accel] (batch printing ~15 % faster). reportlab loads the C
    module by name at run time, so a bundle misses it silently unless it is a hidden import."""
    from reportlab.lib import rl_accel

    if not rl_accel._c_funcs:
        raise SmokeFailure("没有 reportlab 的 C 加速模块 _rl_accel（打包时漏掉了）")


def _check_xlsx(path: Path, rows: int) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        if "台账" not in wb.sheetnames:
            raise SmokeFailure(f"xlsx 中没有“台账”工作表（有：{wb.sheetnames}）")
        found = sum(1 for _ in wb["台账"].iter_rows(values_only=True))
    finally:
        wb.close()
    if found < rows + 1:
        raise SmokeFailure(f"xlsx 只有 {found} 行，应至少有 {rows + 1} 行")


def _check_qt(ctx, db_label: str, pdf: Path, pages: int) -> None:
    """QtPdf (the print preview) reads the PDF, and the main window opens and closes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from govdesk.app import make_app

    app = make_app()
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    status = doc.load(str(pdf))
    if status != QPdfDocument.Error.None_ or doc.pageCount() != pages:
        raise SmokeFailure(f"QtPdf 无法读取 PDF（{status}，{doc.pageCount()} 页）")
    doc.close()

    from govdesk.gui.main_window import MainWindow

    window = MainWindow(ctx, db_label)
    window.show()
    app.processEvents()
    # hide() rather than close(): closeEvent stores the window geometry in the user's settings,
    # and an offscreen run must not decide the size of the user's next real window.
    window.hide()
    window.deleteLater()
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def run_smoke_test(db_path: str | os.PathLike[str] | None = None, *, out=None, err=None) -> int:
    """Run the smoke test; 0 if everything worked, 1 otherwise (the failed step on ``err``)."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    started = time.perf_counter()
    step = "准备"

    def do(name: str, action: Callable[[], T]) -> T:
        nonlocal step
        step = name
        return action()

    try:
        with tempfile.TemporaryDirectory(prefix="govdesk-smoke-",
                                         ignore_cleanup_errors=True) as tmp:
            work = Path(tmp)
            existing = ""
            if db_path is not None and Path(db_path).is_file() and Path(db_path).stat().st_size:
                existing = do("打开现有数据库的副本", lambda: _check_existing(Path(db_path), work))
            summary = do("演示数据库", lambda: _scratch_run(work, do))
            elapsed = time.perf_counter() - started
            parts = [summary, existing] if existing else [summary]
            _write(out, f"govdesk 冒烟测试通过 / smoke test OK：{'；'.join(parts)}；"
                        f"用时 {elapsed:.1f} 秒\n")
            return 0
    except UserError as exc:
        _write(err, f"govdesk 冒烟测试失败 / smoke test FAILED（{step}）：{exc.message}\n")
    except Exception as exc:  # noqa: BLE001 - any failure is the result, reported as such
        details = "".join(traceback.format_exception(exc))
        _write(err, f"govdesk 冒烟测试失败 / smoke test FAILED（{step}）：{exc}\n{details}")
    return 1


def _scratch_run(work: Path, do) -> str:
    from govdesk.core.notices import NoticeFilter, NoticeStatus
    from govdesk.operations import auth
    from govdesk.operations.context import Context
    from govdesk.operations.demo import DEMO_PASSWORD, build_demo
    from govdesk.operations.ledger import export_ledger
    from govdesk.operations.printing import print_notice
    from govdesk.paths import files_dir_for
    from govdesk.store import notice_store
    from govdesk.store.database import close, connect

    path = work / "smoke.db"
    db = do("创建并迁移数据库", lambda: connect(path))
    try:
        ctx = Context(db, files_dir=files_dir_for(path))
        do("生成演示乡镇", lambda: build_demo(db, files_dir=ctx.files_dir))
        do("登录", lambda: auth.sign_in(ctx, "admin", DEMO_PASSWORD))
        published = notice_store.ids(db, NoticeFilter(status=NoticeStatus.PUBLISHED))
        if not published:
            raise SmokeFailure("演示乡镇中没有已公开的信息")
        do("reportlab 的 C 加速模块", _check_rl_accel)
        pdf = work / "公开信息.pdf"
        pages = do("打印公开信息（PDF）", lambda: print_notice(ctx, published[-1], pdf))
        do("读取 PDF", lambda: _check_pdf(pdf, pages))
        xlsx = work / "台账.xlsx"
        rows = do("导出台账（xlsx）", lambda: export_ledger(ctx, NoticeFilter(), xlsx))
        do("读取 xlsx", lambda: _check_xlsx(xlsx, rows))
        do("打开主窗口", lambda: _check_qt(ctx, str(path), pdf, pages))
    finally:
        close(db)
    return (f"数据库已创建并迁移；PDF {pages} 页（{pdf.stat().st_size // 1024} KB）；"
            f"xlsx 台账 {rows} 行；主窗口已打开并关闭")
