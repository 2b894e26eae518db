"""GB/T 9704-2012 page geometry and the 22-line × 28-character text grid (PDF step three of
three: core builds content → notice_pdf maps it to flowables → this module owns geometry).

What lives here:

* the page constants (A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm, 5.2.3: 22 lines of 28
  characters of 3号 仿宋 that 撑满版心) and the page number rule (7.5);
* Chinese line breaking: no line starts with ，。、；：！？）》」 etc. and none ends with （《「
  (the 避头尾 rules every Chinese word processor applies), numbers and Latin words are not
  cut, and a full line is justified to the exact 版心 width by character spacing;
* flowables that put text on the grid (:class:`GridLines`, :class:`CellText`,
  :class:`SnapToGrid`) and the document template (:class:`GBT9704DocTemplate`) that owns the
  frame, draws "— 1 —" page numbers and, for A3 posters, scales the whole A4 layout.

Why our own line breaker rather than reportlab's ``Paragraph(wordWrap='CJK')``: (1) reportlab
paragraphs have no character spacing, so 28 characters of 3号 (16 pt × 28 = 448 pt) cannot be
set in the 442.2 pt 版心 as 5.2.3 asks; (2) its CJK wrap does not justify CJK lines (it only
stretches spaces), so the right edge is ragged; (3) for a character that must not start a line
it *hangs* that character in the right margin, outside the 版心. Here a forbidden character
instead takes the preceding character with it to the next line (推出), and the shortened
line is justified.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

__all__ = [
    "A3_SIZE",
    "A4_SIZE",
    "BODY_HEIGHT",
    "BODY_WIDTH",
    "BOTTOM_MARGIN",
    "CHAR_PITCH",
    "CHAR_SPACE",
    "LEFT_MARGIN",
    "LINE_PITCH",
    "NO_LINE_END",
    "NO_LINE_START",
    "RED",
    "RIGHT_MARGIN",
    "TOP_MARGIN",
    "CellText",
    "GBT9704DocTemplate",
    "GridLines",
    "Line",
    "SnapToGrid",
    "MM",
    "SIZE_2",
    "SIZE_3",
    "SIZE_4",
    "balanced_lines",
    "break_units",
    "fontify",
    "layout_text",
    "text_width",
]

MM = 72 / 25.4

# ---- 3.1 page and type area (GB/T 9704-2012 5.2.1, 5.2.3) ----------------------------------------
A4_SIZE = (210 * MM, 297 * MM)  # 595.28 × 841.89 pt (GB/T 148)
A3_SIZE = (297 * MM, 420 * MM)
TOP_MARGIN = 37 * MM  # 天头 37 mm ± 1 mm
LEFT_MARGIN = 28 * MM  # 订口 28 mm ± 1 mm
BODY_WIDTH = 156 * MM  # 版心 156 mm × 225 mm
BODY_HEIGHT = 225 * MM
BOTTOM_MARGIN = A4_SIZE[1] - TOP_MARGIN - BODY_HEIGHT  # 35 mm
RIGHT_MARGIN = A4_SIZE[0] - LEFT_MARGIN - BODY_WIDTH  # 26 mm

# 5.2.3 "一般每面排22行，每行排28个字，并撑满版心"
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH = BODY_HEIGHT / LINES_PER_PAGE  # 28.99 pt
CHAR_PITCH = BODY_WIDTH / CHARS_PER_LINE  # 15.79 pt

SIZE_2 = 22.0  # 2号: title
SIZE_3 = 16.0  # 3号: everything else by default (5.2.2)
SIZE_4 = 14.0  # 4号: page numbers, tables that need it
# 3号 glyphs are 16 pt wide but the grid gives each 15.79 pt: a slightly negative character
# spacing (PDF Tc) puts exactly 28 of them on a line.
CHAR_SPACE = CHAR_PITCH - SIZE_3  # -0.21 pt

# 7.5 页码: 4号半角宋体阿拉伯数字, "— 1 —", 一字线 7 mm below the 版心, 单页居右空一字, 双页居左空一字.
PAGE_NUMBER_SIZE = SIZE_4
PAGE_NUMBER_DROP = 7 * MM
FOOTER_SIZE = 6.5  # 索引号 / audit code, grey, in the bottom margin below the page number
FOOTER_BASELINE = 12 * MM  # from the bottom edge of the (A4) page

RED = Color(0.9, 0.0, 0.0)  # 发文机关标志 and the separator line (7.2.4, 7.2.7)

# ---- 避头尾 (line-start / line-end rules) -------------------------------------------------------
# Closing punctuation never starts a line, opening brackets never end one (GB/T 15834 practice,
# what WPS/Word/LibreOffice do for Chinese). "——" and "……" are kept whole instead.
NO_LINE_START = (
    "，。、；：！？）》」』】〕〗〉”’·％‰℃°′″,.;:!?)]}%\u3005\u309d\u309e\u30fd\u30fe\uff5e"
)
NO_LINE_END = "（《「『【〔〖〈“‘([{"


def _extend_reportlab_kinsoku() -> None:
    """reportlab's wordWrap='CJK' only knows the *Japanese* list of characters that may not start
    a line, so ，：；！？》 could begin a line in any reportlab Paragraph (table cells, slips
    built elsewhere in govdesk). Add the Chinese ones. paragraph.py imported the string by value
    (``from reportlab.lib.textsplit import ALL_CANNOT_START``), so both modules need the new one.
    Idempotent: applied once, at import of this module (notice_pdf imports it)."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    missing = "".join(
        c for c in dict.fromkeys(NO_LINE_START) if c not in textsplit.ALL_CANNOT_START
    )
    if missing:
        textsplit.ALL_CANNOT_START = textsplit.ALL_CANNOT_START + missing
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START  # type: ignore[attr-defined]


_extend_reportlab_kinsoku()

# ---- measuring ---------------------------------------------------------------------------------
_widths: dict[str, dict[str, float]] = {}  # font name → char → width per 1000 units
_covers: dict[str, Callable[[str], bool]] = {}


def _char_width(font: str, ch: str) -> float:
    table = _widths.get(font)
    if table is None:
        table = _widths[font] = {}
    w = table.get(ch)
    if w is None:
        w = table[ch] = pdfmetrics.stringWidth(ch, font, 1000)
    return w


def _covered(font: str) -> Callable[[str], bool]:
    f = _covers.get(font)
    if f is None:
        face = getattr(pdfmetrics.getFont(font), "face", None)
        table = getattr(face, "charToGlyph", None)
        f = _covers[font] = (lambda ch: ord(ch) in table) if table else (lambda ch: True)
    return f


def text_width(text: str, font: str, size: float, char_space: float = 0.0) -> float:
    """Drawn width: glyph advances plus char_space between (not after) the characters."""
    if not text:
        return 0.0
    return sum(_char_width(font, c) for c in text) * size / 1000 + char_space * (len(text) - 1)


def fontify(text: str, fonts: Sequence[str]) -> list[tuple[str, str]]:
    """Runs of (text, font): each character in the first font that has a glyph for it.

    仿宋_GB2312 covers only GB 2312, so names such as 赟、喆、堃、昇 print as empty boxes in it;
    those characters fall back to the next font (宋体/黑体 cover GBK)."""
    runs: list[tuple[str, str]] = []
    primary = fonts[0]
    for ch in text:
        font = primary
        if not ch.isspace() and not _covered(primary)(ch):
            font = next((f for f in fonts[1:] if _covered(f)(ch)), primary)
        if runs and runs[-1][1] == font:
            runs[-1] = (runs[-1][0] + ch, font)
        else:
            runs.append((ch, font))
    return runs


# ---- line breaking -----------------------------------------------------------------------------
_TOKEN = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9.,:/\-_@#+&=~']*[A-Za-z0-9%]"  # numbers, dates, phones, words, URLs
    r"|——+|…+|\s+|.",
    re.S,
)


def break_units(text: str) -> list[tuple[int, int]]:
    """Spans of text between which a line may break."""
    spans: list[tuple[int, int]] = []
    glue_next = False
    for m in _TOKEN.finditer(text):
        a, b = m.span()
        tok = m.group()
        space = tok.isspace()
        if spans and (glue_next or (tok[0] in NO_LINE_START)):
            if not space and len(spans) > 1 and text[spans[-1][0] : spans[-1][1]].isspace():
                spans.pop()  # a space before a closing mark: glue both to what precedes it
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
        # an opening bracket holds on to what follows it, across spaces
        glue_next = (glue_next and space) or tok[-1] in NO_LINE_END
    return spans


@dataclass(frozen=True, slots=True)
class Line:
    """One laid-out line: runs of (text, font) drawn from ``x`` with PDF character spacing."""

    runs: tuple[tuple[str, str], ...]
    size: float
    x: float = 0.0  # from the left edge of the 版心 (or cell)
    char_space: float = 0.0
    color: Color | None = None

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


def _runs_slice(chars: str, fonts: list[str], a: int, b: int) -> tuple[tuple[str, str], ...]:
    runs: list[tuple[str, str]] = []
    for i in range(a, b):
        if runs and runs[-1][1] == fonts[i]:
            runs[-1] = (runs[-1][0] + chars[i], fonts[i])
        else:
            runs.append((chars[i], fonts[i]))
    return tuple(runs)


def layout_text(
    runs: Sequence[tuple[str, str]],
    size: float,
    width: float,
    *,
    first_indent: float = 0.0,
    char_space: float = 0.0,
    align: str = "justify",  # justify | left | center | right
    max_stretch: float = 3 * CHAR_PITCH,
) -> list[Line]:
    """Break runs of text into lines no wider than ``width``.

    A line is full when one more break unit (a character, or a number/word, with any closing
    punctuation glued to it) would not fit at ``char_space``. ``justify`` then spreads the
    line to exactly ``width`` by character spacing (not the last line, and not when that would
    add more than ``max_stretch`` — a long number pushed to the next line)."""
    chars = "".join(t for t, _ in runs)
    fonts = [f for t, f in runs for _ in t]
    if not chars.strip():
        return []
    w = [_char_width(fonts[i], c) * size / 1000 for i, c in enumerate(chars)]
    units = break_units(chars)
    lines: list[tuple[int, int, float]] = []  # (start, end, available width)
    k = 0
    while k < len(units):
        avail = width - (first_indent if not lines else 0.0)
        while k < len(units) and chars[units[k][0] : units[k][1]].isspace():
            k += 1  # no spaces at a line start
        if k >= len(units):
            break
        start = units[k][0]
        used = 0.0
        end = start
        while k < len(units):
            a, b = units[k]
            uw = sum(w[a:b]) + char_space * (b - a)
            if used + uw <= avail + 1e-6:
                used += uw
                end = b
                k += 1
                continue
            if end == start:  # one unit wider than the line: cut it by characters
                i = a + 1  # at least one character, so that the loop always progresses
                used += w[a] + char_space
                while i < b and used + w[i] + char_space <= avail + 1e-6:
                    used += w[i] + char_space
                    i += 1
                end = i
                units[k] = (i, b)
            break
        lines.append((start, end, avail))
    out: list[Line] = []
    for n, (a, b, avail) in enumerate(lines):
        while b > a and chars[b - 1].isspace():
            b -= 1
        while a < b and chars[a].isspace():  # a space a closing mark was glued to
            a += 1
        last = n == len(lines) - 1
        glyphs = sum(w[a:b])
        count = b - a
        natural = glyphs + char_space * (count - 1)
        x = first_indent if n == 0 else 0.0
        tc = char_space
        if align == "justify" and not last and count > 1 and avail - natural <= max_stretch:
            tc = (avail - glyphs) / (count - 1)
        elif align == "center":
            x += (avail - natural) / 2
        elif align == "right":
            x += avail - natural
        out.append(Line(_runs_slice(chars, fonts, a, b), size, x, tc))
    return out


# Title line breaks (7.3.1: "回行时，要做到词意完整，排列对称，长短适宜，间距恰当，标题排列应当使用
# 梯形或菱形"). Without a dictionary these hints stand in for "词意完整".
_KEEP_WHOLE = tuple(
    """
    关于 印发 转发 进一步 加强 规范 推进 做好 开展 深化 完善 健全 建立 落实 实施 组织 调整 确定
    公示 公告 通知 通告 决定 意见 报告 请示 批复 方案 办法 细则 规定 制度 纪要 计划 总结 规划
    人民 政府 委员会 办公室 党委 党支部 街道 办事处 乡镇 社区 村民 居民 村委会 居委会 工作
    情况 名单 结果 年度 季度 上半年 下半年 第一 第二 第三 第四 资金 项目 低保 特困 最低 生活
    保障 补贴 补助 救助 对象 家庭 人员 评选 评议 审核 审批 审查 拟 发放 建设 管理 服务 公开
    信息 政务 基层 标准化 规范化 信息化 实施 推荐 人选 候选人 先进 个人 集体 优秀 表彰 农村
    城乡 城镇 医疗 养老 保险 教育 住房 危房 改造 土地 征收 征用 补偿 安置 财政 预算 决算
    民生 实事 环境 整治 卫生 安全 生产 防汛 抗旱 森林 防火 疫情 防控 产业 发展 乡村 振兴
    脱贫 扶贫 攻坚 巩固 成果 合作社 经济 选举 换届 民主 监督 检查 考核 任务 措施 要求 相关
    有关 事项 问题 专项 行动 活动 实施 方面 标准 统一 全面 重点 领域 平台 中心 便民 群众
    政务公开 城乡居民 农村居民 最低生活保障 生活保障 资金发放 共产党员 村级 乡级 镇级 县级
    耕地 地力 保护 财务 收支 述职 述廉 两委 干部 同志 试行 暂行 第一批 第二批 清单 目录
    要点 工作要点 实施方案 工作方案 管理办法 考核办法 实施细则 考核细则 实施意见 指导意见
    公开栏 公示栏 政务公开栏 村务公开栏 居务公开栏 党务公开 村务公开 居务公开 财务公开
    集体经济 组织 执行 参保 缴费 基本 资格 认证 待遇 领取 临时 困难 群众 残疾人 退役 军人
    优抚 高龄 津贴 独生子女 计划生育 奖励 扶助 耕地 种粮 农机 购置 惠农 一卡通 道路 交通
    饮水 工程 招标 采购 中标 成交 结果 公示期 异议 举报 电话 燃气 隐患 排查 消防 地质 灾害
    """.split()
)
_GOOD_BEFORE = ("关于",)
_GOOD_AFTER = (
    "人民政府",
    "政府",
    "委员会",
    "办公室",
    "党委",
    "办事处",
    "、",
    "，",
    "；",
    "：",
    "年度",
)


def _break_costs(text: str) -> list[float]:
    """costs[pos]: cost of breaking the title between text[pos-1] and text[pos] (negative = a
    good place): inside a known word is bad, before 关于 / after an issuing body is good."""
    costs = [0.0] * (len(text) + 1)
    for word in _KEEP_WHOLE:
        start = text.find(word)
        while start >= 0:
            for pos in range(start + 1, start + len(word)):
                costs[pos] += 5.0
            start = text.find(word, start + 1)
    # Inside 《…》 or “…” a break splits the name of a document or a quoted term: allowed only
    # when the name is too long for one line, so it must outweigh any imbalance of lengths.
    # Inside （…） almost as bad. Right before 《 or after 》 is a natural place.
    depth = {"《": ("》", 20.0), "“": ("”", 20.0), "「": ("」", 20.0), "（": ("）", 8.0)}
    stack: list[tuple[str, float]] = []
    for pos, ch in enumerate(text):
        if stack and ch == stack[-1][0]:
            stack.pop()
        elif ch in depth:
            stack.append(depth[ch])
        if stack and pos + 1 < len(text):
            costs[pos + 1] += stack[-1][1]
    for pos in range(1, len(text)):
        if text[pos] in "《“" or text[pos - 1] in "》”":
            costs[pos] -= 3.0
    for pos in range(1, len(text)):
        head, tail = text[:pos], text[pos:]
        if head.endswith("关于"):
            costs[pos] += 3.0
        if any(tail.startswith(w) for w in _GOOD_BEFORE):
            costs[pos] -= 2.5
        if any(head.endswith(w) for w in _GOOD_AFTER):
            costs[pos] -= 2.0
        if tail.startswith("的"):
            costs[pos] += 3.0
        if head.endswith("的"):
            costs[pos] -= 0.5
    return costs


def balanced_lines(
    text: str,
    fonts: Sequence[str],
    size: float,
    width: float,
    *,
    min_size: float = 18.0,
    min_ratio: float = 0.5,
) -> list[Line]:
    """A centred multi-line title with lines of near-equal length (never one orphan character):
    the fewest lines that fit, break points chosen to balance the lengths and keep words
    whole; only if no balanced split exists (long unbreakable runs) is the size reduced, by
    0.5 pt steps down to ``min_size``."""
    text = " ".join(text.split())
    runs = fontify(text, fonts)
    chars = "".join(t for t, _ in runs)
    fnt = [f for t, f in runs for _ in t]
    units = break_units(chars)
    s = size
    while True:
        w = [_char_width(fnt[i], c) * s / 1000 for i, c in enumerate(chars)]
        breaks = _balance(chars, units, w, width, min_ratio)
        if breaks is not None or s - 0.5 < min_size:
            break
        s -= 0.5
    if breaks is None:  # give up balancing: greedy at the smallest size
        return layout_text(runs, s, width, align="center")
    out = []
    for a, b in breaks:
        while b > a and chars[b - 1].isspace():
            b -= 1
        while a < b and chars[a].isspace():
            a += 1
        natural = sum(w[a:b])
        out.append(Line(_runs_slice(chars, fnt, a, b), s, (width - natural) / 2, 0.0))
    return out


def _balance(
    chars: str, units: list[tuple[int, int]], w: list[float], width: float, min_ratio: float
) -> list[tuple[int, int]] | None:
    total = sum(w)
    if total <= width + 1e-6:
        return [(0, len(chars))]
    bounds = [u[0] for u in units] + [len(chars)]  # possible line starts/ends
    m = len(bounds)
    prefix = [0.0]
    for x in w:
        prefix.append(prefix[-1] + x)
    em = max(w) if w else 1.0
    costs = _break_costs(chars)
    for n in range(max(2, math.ceil(total / width)), len(units) + 1):
        target = total / n
        # best[j][k]: cheapest way to set chars[:bounds[j]] in k lines
        inf = float("inf")
        best = [[inf] * (n + 1) for _ in range(m)]
        back = [[-1] * (n + 1) for _ in range(m)]
        best[0][0] = 0.0
        for k in range(1, n + 1):
            for j in range(1, m):
                for i in range(j - 1, -1, -1):
                    lw = prefix[bounds[j]] - prefix[bounds[i]]
                    if lw > width + 1e-6:
                        break
                    if best[i][k - 1] == inf:
                        continue
                    c = best[i][k - 1] + ((lw - target) / em) ** 2
                    if j < m - 1:
                        c += costs[bounds[j]]
                    if c < best[j][k]:
                        best[j][k] = c
                        back[j][k] = i
        if best[m - 1][n] == inf:
            continue
        spans = []
        j, k = m - 1, n
        while k > 0:
            i = back[j][k]
            spans.append((bounds[i], bounds[j]))
            j, k = i, k - 1
        spans.reverse()
        widths = [prefix[b] - prefix[a] for a, b in spans]
        if min(widths) < min_ratio * max(widths):
            return None
        return spans
    return None


# ---- flowables -----------------------------------------------------------------------------------


# Chinese faces put the bottom of the ideographic em box about 0.12 em below the baseline,
# whatever their (very different) descent metrics say; centring that box in the line cell
# gives every face — 仿宋, 黑体 headings, 楷体 — the same baseline on the grid.
IDEOGRAPHIC_DESCENT = 0.12


def _baseline_offset(line: Line, pitch: float) -> float:
    """Baseline above the bottom of a line cell, centring the em box in the cell."""
    return (pitch - line.size) / 2 + IDEOGRAPHIC_DESCENT * line.size


def _draw_line(canv: Any, line: Line, x0: float, baseline: float) -> None:
    if not line.runs:
        return
    tx = canv.beginText(x0 + line.x, baseline)
    if line.color is not None:
        tx.setFillColor(line.color)
    tx.setCharSpace(line.char_space)
    for text, font in line.runs:
        tx.setFont(font, line.size)
        tx.textOut(text)
    canv.drawText(tx)


class GridLines(Flowable):
    """Lines on the grid, each ``pitch`` tall (None is a blank line); splits between lines, and
    a blank line left at the top of a new page is dropped. The first ``keep_first`` lines are
    never split apart (a heading with the first lines of its paragraph)."""

    def __init__(self, lines: Sequence[Line | None], pitch: float = LINE_PITCH,
                 keep_first: int = 0) -> None:
        super().__init__()
        self.lines = list(lines)
        self.pitch = pitch
        self.keep_first = keep_first

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = BODY_WIDTH
        self.height = len(self.lines) * self.pitch
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        n = int((availHeight + 1e-6) // self.pitch)
        if n <= 0 or n >= len(self.lines) or n < self.keep_first:
            return []
        rest = self.lines[n:]
        while rest and rest[0] is None:
            rest = rest[1:]
        head = GridLines(self.lines[:n], self.pitch)
        return [head, GridLines(rest, self.pitch)] if rest else [head]

    def draw(self) -> None:
        top = len(self.lines) * self.pitch
        for i, line in enumerate(self.lines):
            if line is None:
                continue
            bottom = top - (i + 1) * self.pitch
            _draw_line(self.canv, line, 0.0, bottom + _baseline_offset(line, self.pitch))


class SnapToGrid(Flowable):
    """Blank space down to the next grid line (after a table, whose rows are not multiples of
    the line pitch), so the text below stays on the grid."""

    def __init__(self, pitch: float = LINE_PITCH) -> None:
        super().__init__()
        self.pitch = pitch

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        r = math.fmod(availHeight, self.pitch)
        self.height = 0.0 if r < 0.01 or self.pitch - r < 0.01 else r
        return 0.0, self.height

    def draw(self) -> None:
        pass


class CellText(Flowable):
    """Text in a table cell: pre-broken lines at a fixed leading."""

    def __init__(self, lines: Sequence[Line], leading: float, width: float) -> None:
        super().__init__()
        self.lines = list(lines)
        self.leading = leading
        self.width = width
        self.height = max(1, len(self.lines)) * leading

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        for i, line in enumerate(self.lines):
            bottom = self.height - (i + 1) * self.leading
            _draw_line(self.canv, line, 0.0, bottom + _baseline_offset(line, self.leading))


# ---- page template -------------------------------------------------------------------------------


class GBT9704DocTemplate(BaseDocTemplate):
    """An A4 GB/T 9704 page: one frame exactly the 版心, page numbers per 7.5, and an optional
    grey footer line (索引号, audit code) in the bottom margin.

    ``paper="A3"`` gives a poster for a 公开栏: the *same* A4 layout scaled by 420/297 (≈ √2)
    onto A3. The flowables are laid out in A4 coordinates exactly as for A4 and the canvas is
    scaled at the start of each page, so the line and page breaks are identical by
    construction. (The alternative, building the A4 file and placing each page scaled on A3
    with pypdf, gives the same picture but needs pypdf at run time — here it is only a test
    dependency — and a second pass over the file.)"""

    def __init__(
        self,
        filename: Any,
        *,
        page_number_font: str,
        footer_font: str,
        footer: str = "",
        paper: str = "A4",
        invariant: bool = False,
        watermark: tuple[str, str] | None = None,
        **meta: Any,
    ) -> None:
        if paper not in ("A4", "A3"):
            raise ValueError(f"paper must be 'A4' or 'A3', not {paper!r}")
        self.paper = paper
        self.watermark = watermark
        self.page_number_font = page_number_font
        self.footer_font = footer_font
        self.footer = footer
        pagesize = A4_SIZE if paper == "A4" else A3_SIZE
        # Uniform scale; A3 is 297 × 420 and A4 × √2 is 296.98 × 420.02, so fit the height and
        # centre the 0.02 mm difference.
        self.scale = pagesize[1] / A4_SIZE[1]
        self.offset_x = (pagesize[0] - A4_SIZE[0] * self.scale) / 2
        super().__init__(
            filename,
            pagesize=pagesize,
            leftMargin=LEFT_MARGIN,
            rightMargin=RIGHT_MARGIN,
            topMargin=TOP_MARGIN,
            bottomMargin=BOTTOM_MARGIN,
            invariant=1 if invariant else 0,
            creator="govdesk",
            # The canvas otherwise starts every page with Helvetica selected: a font resource
            # that is never used but is not embedded (preflight tools flag it).
            initialFontName=footer_font,
            initialFontSize=SIZE_3,
            **meta,
        )
        frame = Frame(
            LEFT_MARGIN,
            BOTTOM_MARGIN,
            BODY_WIDTH,
            BODY_HEIGHT,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="版心",
        )
        self.addPageTemplates(
            [PageTemplate("gbt9704", [frame], onPage=self._on_page, pagesize=pagesize)]
        )

    @property
    def last_page_fill(self) -> float:
        """Height used in the 版心 of the last page (after build)."""
        frame = self.pageTemplates[0].frames[0]
        return float(frame._y2 - frame._y)

    def _on_page(self, canv: Any, doc: Any) -> None:
        # Runs before the page's flowables are drawn, outside any saveState: the scale applies
        # to everything on this page until showPage() resets the graphics state.
        if self.scale != 1.0:
            canv.translate(self.offset_x, 0)
            canv.scale(self.scale, self.scale)
        self._draw_page_number(canv, canv.getPageNumber())
        if self.watermark:
            self._draw_watermark(canv, *self.watermark)
        if self.footer:
            canv.saveState()
            canv.setFillGray(0.45)
            canv.setFont(self.footer_font, FOOTER_SIZE)
            canv.drawString(LEFT_MARGIN, FOOTER_BASELINE, self.footer)
            canv.restoreState()

    def _draw_watermark(self, canv: Any, big: str, small: str) -> None:
        """A 审阅稿 must not pass for the real thing on a board or in an envelope: a large,
        light diagonal mark across every page, drawn before (so under) the text."""
        canv.saveState()
        canv.setFillColorRGB(0.78, 0.1, 0.1)
        canv.setFillAlpha(0.16)
        canv.translate(A4_SIZE[0] / 2, A4_SIZE[1] / 2)
        canv.rotate(35)
        canv.setFont(self.footer_font, 96)
        canv.drawCentredString(0, 10, big)
        if small:
            canv.setFont(self.footer_font, 26)
            canv.drawCentredString(0, -40, small)
        canv.restoreState()

    def _draw_page_number(self, canv: Any, number: int) -> None:
        font = self.page_number_font
        size = PAGE_NUMBER_SIZE
        text = f"— {number} —"
        width = pdfmetrics.stringWidth(text, font, size)
        face = getattr(pdfmetrics.getFont(font), "face", None)
        ascent = getattr(face, "ascent", 880) / 1000
        descent = getattr(face, "descent", -120) / 1000
        # The 一字线 sits at the middle of the em box: put that 7 mm below the 版心.
        baseline = BOTTOM_MARGIN - PAGE_NUMBER_DROP - (ascent + descent) / 2 * size
        if number % 2:  # odd: right, 空一字
            x = LEFT_MARGIN + BODY_WIDTH - size - width
        else:  # even: left, 空一字
            x = LEFT_MARGIN + size
        canv.setFont(font, size)
        canv.drawString(x, baseline, text)
