"""Counts of disclosed items by category × channel × month (统计), as the annual reports quote
them (e.g. "通过门户网站公开1880条，微信6200条，公开栏1000条")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class DisclosureStats:
    start: date
    end: date
    categories: tuple[str, ...]
    channels: tuple[str, ...]
    months: tuple[int, ...]
    cells: dict[tuple[str, str, int], int]  # (category, channel, month) → count
    items: int  # distinct notices disclosed (a notice on three channels counts once here)

    @classmethod
    def from_rows(
        cls, start: date, end: date, rows: Iterable[tuple[str, str, int, int]],
        categories: Iterable[str], channels: Iterable[str], items: int,
    ) -> DisclosureStats:
        cells = {(c, ch, m): n for c, ch, m, n in rows}
        months = tuple(_months(start, end))
        cats = list(categories)
        chans = list(channels)
        # Names no longer in the lists (renamed/deleted) still count: append them.
        for c, ch, _m in cells:
            if c not in cats:
                cats.append(c)
            if ch not in chans:
                chans.append(ch)
        return cls(start, end, tuple(cats), tuple(chans), months, cells, items)

    def by_channel(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for (_c, ch, _m), n in self.cells.items():
            out[ch] += n
        return {ch: out.get(ch, 0) for ch in self.channels}

    def by_category(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for (c, _ch, _m), n in self.cells.items():
            out[c] += n
        return {c: out.get(c, 0) for c in self.categories}

    def by_month(self) -> dict[int, int]:
        out: dict[int, int] = defaultdict(int)
        for (_c, _ch, m), n in self.cells.items():
            out[m] += n
        return {m: out.get(m, 0) for m in self.months}

    def category_channel(self, category: str, channel: str) -> int:
        return sum(n for (c, ch, _m), n in self.cells.items() if c == category and ch == channel)

    def category_month(self, category: str, month: int) -> int:
        return sum(n for (c, _ch, m), n in self.cells.items() if c == category and m == month)

    @property
    def total(self) -> int:
        """Channel-items: a notice published on three channels counts three times."""
        return sum(self.cells.values())


def _months(start: date, end: date) -> list[int]:
    # Periods are within one year in practice (a year, a quarter, a month); months are 1–12.
    if start.year != end.year:
        return list(range(1, 13))
    return list(range(start.month, end.month + 1))
