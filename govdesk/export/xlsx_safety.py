"""The one pre-flight every importer of a user's file runs (reliability-targets §6, I1–I3): the
台账 and 申请台账 imports (operations.ledger.read_table_rows), the 月抽查记分表
(export.score_sheet.read_sheet) and the 首次设置表格 (export.setup_sheet.read_setup_sheet).

* :func:`check_file` — exists, is a file, not empty, ≤ 20 MB (also for CSV).
* :func:`check_xlsx_file` — I1, before openpyxl sees a byte: the above, a ZIP (with specific
  messages for .xls/.et/password-protected OLE files and renamed CSV/text), ≤ 10,000 entries,
  ≤ ``max_unpacked`` bytes unpacked, no entry over 100 KiB inflating more than 100:1. Nested
  archives are never opened.
* :func:`open_xlsx` — the pre-flight, I2 (defusedxml must be active), then the workbook twice:
  the values Excel/WPS last computed (``data_only``) and the formulas, so that
  :func:`uncached_formulas` can name a formula saved without a computed value (I3) instead of
  reading it as an empty cell. Any failure of openpyxl on a hostile or damaged file becomes a
  Chinese :class:`~govdesk.core.errors.UserError` naming the file.

Pure file parsing: no SQL, no Qt; it lives in ``export`` (the xlsx layer) so that both
``export`` readers and ``operations`` can use it.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from govdesk.core.errors import UserError

__all__ = [
    "MAX_ENTRIES",
    "MAX_FILE_BYTES",
    "MAX_RATIO",
    "MAX_UNPACKED_BYTES",
    "RATIO_GRACE_BYTES",
    "check_file",
    "check_xlsx_file",
    "few",
    "open_xlsx",
    "refuse",
    "refuse_uncached_formulas",
    "require_defusedxml",
    "uncached_formulas",
]

# Limits (reliability-targets I1, after Apache POI's ZipSecureFile defaults).
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 10_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
RATIO_GRACE_BYTES = 100 * 1024
MAX_RATIO = 100

RESAVE = "请在 WPS 或 Excel 中打开，“另存为” Excel 工作簿（.xlsx）后再导入"
# Whatever openpyxl fails on (a renamed or truncated file, a damaged sheet, an XML bomb that
# defusedxml stopped): the user only needs to know it cannot be read and what to do.
UNREADABLE = ("文件不是有效的 .xlsx 文件（可能已损坏、含有不安全的内容，或是改了扩展名的其他"
              "文件），无法读取。请在 WPS 或 Excel 中打开后“另存为” .xlsx 再导入")


def refuse(path: Path, why: str) -> UserError:
    """The refusal of a whole file: 无法导入“名称.xlsx”：why."""
    return UserError(f"无法导入“{path.name}”：{why}", field="文件")


def few(items: Iterable[str], n: int = 10) -> str:
    """The first ``n`` items joined with 、, and how many there are in all when more."""
    items = list(items)
    shown = "、".join(items[:n])
    return shown + (f" 等 {len(items)} 处" if len(items) > n else "")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def check_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> Path:
    """A file that exists, is not empty and is at most ``max_bytes`` (20 MB); its size is read
    from the directory, never by reading the file. Returns the path."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise UserError(f"找不到文件：{path}", field="文件") from None
    if not path.is_file():
        raise refuse(path, "这不是一个文件")
    if size == 0:
        raise refuse(path, "文件是空的（0 字节）")
    if size > max_bytes:
        raise refuse(path, f"文件有 {_mb(size)}，超过 {_mb(max_bytes)} 的上限")
    return path


def check_xlsx_file(path: str | os.PathLike[str], *,
                    max_unpacked: int = MAX_UNPACKED_BYTES) -> Path:
    """The xlsx pre-flight of reliability-targets I1 (see the module docstring). Returns the
    path."""
    path = check_file(path)
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE compound file: .xls, .et or an encrypted xlsx
        if path.suffix.lower() == ".et":
            raise refuse(path, f"这是 WPS 表格的 .et 文件。{RESAVE}")
        if path.suffix.lower() == ".xls":
            raise refuse(path, f"这是旧版 Excel 的 .xls 文件。{RESAVE}")
        raise refuse(path, f"文件设置了打开密码（或是旧版 .xls/.et 文件）。请去掉密码，{RESAVE}")
    if not head.startswith(b"PK"):
        if path.suffix.lower() in (".csv", ".txt") or _looks_like_text(path):
            raise refuse(path, f"这是文本（CSV）文件，不是有效的 .xlsx 文件。{RESAVE}")
        raise refuse(path, f"这不是 .xlsx 文件。{RESAVE}")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse(path, f"文件已损坏，不是有效的 .xlsx 文件。{RESAVE}") from None
    if len(infos) > MAX_ENTRIES:
        raise refuse(path, f"文件内含 {len(infos)} 个部件，超过 {MAX_ENTRIES} 个的上限，"
                           "不像是正常的表格")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > max_unpacked:
        raise refuse(path, f"文件解压后有 {_mb(unpacked)}，超过 {_mb(max_unpacked)} 的上限，"
                           "不像是正常的表格")
    for info in infos:
        if info.file_size > RATIO_GRACE_BYTES and \
                info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise refuse(path, "文件中有异常高度压缩的内容（可能是“压缩炸弹”），已拒绝打开")
    return path


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as fh:
        sample = fh.read(4096)
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def require_defusedxml() -> None:
    """I2: defusedxml is a hard dependency; openpyxl silently parses unsafely without it."""
    from openpyxl import xml

    if not xml.DEFUSEDXML:
        raise RuntimeError("defusedxml is not installed: refusing to parse a user's xlsx")


@contextmanager
def open_xlsx(path: str | os.PathLike[str], *, read_only: bool,
              max_unpacked: int = MAX_UNPACKED_BYTES) -> Iterator[tuple[Any, Any]]:
    """``with open_xlsx(path, read_only=…) as (values, formulas):`` the workbook after the
    pre-flight (I1, I2), opened twice: ``values`` as Excel/WPS last computed them, ``formulas``
    as typed (for :func:`uncached_formulas`). A file openpyxl cannot open, or an error other
    than a UserError while reading it (a damaged or hostile sheet inside a valid zip), is
    refused with a Chinese message; both workbooks are closed."""
    path = check_xlsx_file(path, max_unpacked=max_unpacked)
    require_defusedxml()
    from openpyxl import load_workbook

    opened: list[Any] = []
    try:
        for data_only in (True, False):
            opened.append(load_workbook(path, read_only=read_only, data_only=data_only))
        yield opened[0], opened[1]
    except UserError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged or hostile file
        raise refuse(path, UNREADABLE) from None
    finally:
        for wb in opened:
            wb.close()


def _is_formula(value: object) -> bool:
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    return (isinstance(value, str) and value.startswith("=")) or \
        isinstance(value, ArrayFormula | DataTableFormula)


def uncached_formulas(values: Iterable[Sequence[object]], formulas: Iterable[Sequence[object]],
                      *, sheet: str | None = None) -> list[str]:
    """I3: the cells (A2, or 记分表!E9 with ``sheet``) that hold a formula without a computed
    value, given the same rows read with ``data_only`` (``values``) and without (``formulas``).
    Such a cell (written by a script or a converter) would otherwise read as empty."""
    from openpyxl.utils import get_column_letter

    prefix = f"{sheet}!" if sheet else ""
    return [
        f"{prefix}{get_column_letter(c)}{r}"
        for r, (vrow, frow) in enumerate(zip(values, formulas, strict=False), 1)
        for c, (v, f) in enumerate(zip(vrow, frow, strict=False), 1)
        if v is None and _is_formula(f)
    ]


def refuse_uncached_formulas(path: Path, cells: Sequence[str]) -> None:
    """Refuse the file when ``cells`` (from :func:`uncached_formulas`) is not empty."""
    if cells:
        raise refuse(path, f"以下单元格是公式，但没有计算结果（{few(cells)}）。请在 Excel 或 WPS "
                           "中打开并保存一次，或把公式改为直接填写的内容")
