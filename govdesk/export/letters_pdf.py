"""依申请公开 letters as GB/T 9704 PDFs (issue 6, item 3): core.letters builds the content, the
notice machinery (export.notice_pdf) lays it out — title (2号 小标宋, centred), 主送 flush left
(7.3.2), 正文 in 3号 仿宋, the receipt's registration table with grid lines, 署名 and 成文日期
without a seal (7.3.5.2) kept on a page with the last lines of the body, and the contact line
as 附注 "（联系人：…　联系电话：…）" (7.3.6). The seal is stamped by hand over the 署名 and date.

Nothing here changes the notice layout; a letter is a notice document without 索引号 (so no
footer line) and without 版头.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from govdesk.core.letters import LetterDraft, letter_document, parse_letter_text
from govdesk.export.fonts import ResolvedFont
from govdesk.export.notice_pdf import notice_pdf_bytes
from govdesk.export.pdf_write import write_atomically

__all__ = ["letter_pdf", "letter_pdf_bytes"]


def letter_pdf_bytes(
    draft: LetterDraft | str,
    fonts: Mapping[str, ResolvedFont] | None = None,
    invariant: bool = False,
    footer_code: str = "",
    watermark: tuple[str, str] | None = None,
) -> tuple[bytes, int]:
    """The letter as a PDF in memory and its number of pages. ``draft``: a
    :class:`~govdesk.core.letters.LetterDraft` or its (edited)
    :func:`~govdesk.core.letters.letter_text`. ``fonts`` defaults to the system fonts;
    ``invariant=True`` gives identical bytes for identical input. Raises UserError (Chinese)
    for unparseable text or missing fonts."""
    if isinstance(draft, str):
        draft = parse_letter_text(draft)
    return notice_pdf_bytes(letter_document(draft), fonts=fonts, invariant=invariant,
                            footer_code=footer_code, watermark=watermark)


def letter_pdf(
    draft: LetterDraft | str,
    path: str | os.PathLike[str],
    *,
    fonts: Mapping[str, ResolvedFont] | None = None,
    invariant: bool = False,
    footer_code: str = "",
    watermark: tuple[str, str] | None = None,
) -> int:
    """Print the letter to ``path`` (written atomically; a missing folder or a file locked by a
    viewer gives a Chinese UserError) and return the number of pages."""
    data, pages = letter_pdf_bytes(draft, fonts=fonts, invariant=invariant,
                                   footer_code=footer_code, watermark=watermark)
    write_atomically(path, lambda fh: fh.write(data))
    return pages
