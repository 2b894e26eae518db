"""保密审查汇总表 as a PDF for filing: a landscape A4 ledger like the register (sheets_pdf.ledger_pdf)
— township and month at the head of every page, the header row repeated on every page, "第 N 页
共 M 页" at the foot — followed by the totals and the lines the 审查人 and the 分管领导 sign.

Plain data in (an export.tables.Table and a few strings), a PDF out; nothing here reads the
database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from govdesk.export.fonts import ResolvedFont, resolve_fonts
from govdesk.export.sheets_pdf import MM, Styles, Target, build, cell_text, esc, grid, share

__all__ = ["SIGNATURE_LINE", "column_widths", "secrecy_summary_pdf"]

SIGNATURE_LINE = ("审查人（签字）：＿＿＿＿＿＿＿＿　　分管领导（签字）：＿＿＿＿＿＿＿＿　　"
                  "日期：＿＿＿＿年＿＿月＿＿日")

# Columns of short, predictable text get a fixed width in points (9 pt type: a Chinese character
# is 9 pt, a digit or latin letter about 5, plus 6 pt of padding) so that SP2025-0001,
# 2025-11-05 and 可以公开 stay on one line; the long-text columns share what is left in
# proportion to their export widths.
FIXED_POINTS = {
    "序号": 26, "审批单编号": 64, "文号": 84, "承办单位": 62, "审查日期": 60, "审查人": 44,
    "结论": 46, "纸质签批": 30,
}


def column_widths(columns: Sequence[Any], total: float) -> list[float]:
    fixed = [FIXED_POINTS.get(c.title) for c in columns]
    free = [c.width for c, f in zip(columns, fixed, strict=True) if f is None]
    rest = share(free, total - sum(f for f in fixed if f is not None)) if free else []
    out = []
    for f in fixed:
        out.append(rest.pop(0) if f is None else float(f))
    return out


def secrecy_summary_pdf(
    table: Any,
    path: Target,
    *,
    township: str,
    period_text: str,
    totals: str,
    invariant: bool = False,
    fonts: Mapping[str, ResolvedFont] | None = None,
) -> int:
    """``table`` is the summary as an export Table (its rows without a 合计 row: ``totals`` is
    printed as a line under the grid). Returns pages."""
    fonts = resolve_fonts() if fonts is None else fonts
    st = Styles(fonts, size=9.0)
    pagesize = landscape(A4)
    margin = 12 * MM
    width = pagesize[0] - 2 * margin - 12  # the frame keeps 6 pt of padding each side
    columns = table.columns
    rows = [[cell_text(v) for v in row] for row in table.rows]
    centred = [i for i, c in enumerate(columns) if c.kind in ("date", "int")]
    centred += [i for i, c in enumerate(columns) if c.title in ("结论", "纸质签批", "审查人")]
    story: list[Any] = [Paragraph(esc(table.title), st.title)]
    if table.subtitle:
        story.append(Paragraph(esc(table.subtitle), st.info))
    story.append(Spacer(1, 2 * MM))
    if rows:
        story.append(grid(rows, [c.title for c in columns],
                          column_widths(columns, width), st, centred=centred))
    else:
        story.append(Paragraph("本月没有保密审查记录。", st.info))
    story.append(KeepTogether([
        Spacer(1, 3 * MM),
        Paragraph(esc(f"合计：{totals}。"), st.info),
        Spacer(1, 12 * MM),
        Paragraph(esc(SIGNATURE_LINE), st.info),
    ]))
    header = "　　".join(p for p in (township, f"{period_text}保密审查汇总表") if p)
    return build(path, story, pagesize=pagesize, title=table.title, fonts=fonts,
                 invariant=invariant, margins=margin, top=16 * MM, header=header)
