"""Chinese substring search through an FTS5 index of character bigrams.

FTS5's trigram tokenizer finds nothing for two-character queries, yet 低保, 扶贫 and 公示 are the
searches township offices make most; LIKE finds them but scans every body. So each searchable text
is written to FTS5 as its overlapping bigrams, each encoded as an ASCII token (the code points in
hex), and a query of n >= 2 characters becomes an FTS5 phrase of its n - 1 bigrams: adjacent
positions in the same column, i.e. exactly "the query occurs as a substring". Whitespace splits a
text into runs; a filler token between runs keeps a phrase from matching across them.

A single character is a prefix query "<hex>g*": it matches every bigram that starts with the
character, and each run's last character (which starts no bigram) gets a token "<hex>g" of its
own, so that prefix query too finds exactly the texts containing the character.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_FILLER = "z"


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _token(a: str, b: str) -> str:
    return f"{ord(a):x}g{ord(b):x}"


def grams(*texts: str) -> str:
    """The token string stored for a notice's searchable texts (title, body, 文号, 索引号)."""
    out: list[str] = []
    for text in texts:
        for run in _SPACE.split(normalise(text)):
            if not run:
                continue
            if out:
                out.append(_FILLER)
            out.extend(_token(run[i], run[i + 1]) for i in range(len(run) - 1))
            out.append(f"{ord(run[-1]):x}g")
    return " ".join(out)


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for a query (None for an empty one).

    Several words separated by spaces must all occur (AND).
    """
    terms = [t for t in _SPACE.split(normalise(query)) if t]
    if not terms:
        return None
    parts = []
    for t in terms:
        if len(t) == 1:
            parts.append(f"{ord(t):x}g*")
        else:
            parts.append('"' + " ".join(_token(t[i], t[i + 1]) for i in range(len(t) - 1)) + '"')
    return " AND ".join(parts)
