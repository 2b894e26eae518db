"""保密审查辅助: screen a notice for personal data and secrecy marks before 保密审查 (targets P1–P8).

Pure functions, no I/O. Detection works on a 1:1 character map of the original text (full-width
digits and letters to half-width, ideographic space to space), so every span refers to the
ORIGINAL text and the UI can highlight and mask in place.

Number tokens are built from *groups* (maximal runs of ASCII digits after the map) that may be
chained by short runs of separators (spaces, hyphens, ·). A candidate is a contiguous run of
chained groups; it is accepted only when its digit count AND its group layout fit one kind
(e.g. 6-8-4 for an ID, 3-4-4 for a mobile, 4-4-4-4 for a card), so a row of unrelated numbers
separated by spaces is not glued into a fake ID. Groups touching a latin letter (统一社会信用代码,
索引号) or forming part of a decimal number (amounts) never take part.

Reliability targets: docs ../shared/design/reliability-targets.md §5.3–§5.5.
"""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

__all__ = [
    "DEFAULT_POLICY",
    "Finding",
    "FindingKind",
    "MASKABLE_KINDS",
    "MaskPolicy",
    "id_check_char",
    "is_valid_id",
    "luhn_ok",
    "mask",
    "mask_token",
    "screen",
]


class FindingKind(enum.StrEnum):
    ID_NUMBER = "身份证号"
    MOBILE = "手机号"
    BANK_CARD = "银行卡号"
    SECRET_MARK = "密级标志"
    SENSITIVE_WORD = "敏感词"


MASKABLE_KINDS = frozenset({FindingKind.ID_NUMBER, FindingKind.MOBILE, FindingKind.BANK_CARD})


@dataclass(frozen=True, slots=True)
class Finding:
    kind: FindingKind
    field: str  # the caller's label: "标题", "正文", "附件名" …
    start: int  # span in that field's ORIGINAL text
    end: int
    text: str  # the original substring as written
    normalized: str  # digits only, half-width, upper-case X; the base word for marks and words
    valid: bool = True  # checksum validity where one applies (ID MOD 11-2, card Luhn)

    @property
    def fingerprint(self) -> str:
        """Stable id for "passed with reason" records; never contains the raw number."""
        return hashlib.sha256(f"{self.kind}|{self.normalized}".encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------
# Character map (1:1, so spans on the mapped text are spans on the original)
# ---------------------------------------------------------------------------

# Full-width ASCII block U+FF01–U+FF5E → U+0021–U+007E (same as NFKC for this block, but never
# changes the length); U+3000 ideographic space → space; U+FF65 halfwidth katakana middle dot → ·.
_CHAR_MAP: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_CHAR_MAP[0x3000] = 0x20
_CHAR_MAP[0xFF65] = 0xB7
_CHAR_MAP[0x30FB] = 0xB7  # ・ katakana middle dot, used as · in Chinese text

# Separators that may appear inside a written number: spaces, hyphens/dashes (not the em dash
# of year ranges), and the middle dots.
_SEPARATORS = frozenset(" \u00a0\u2009\u202f-\u2010\u2011\u2012\u2013\u2212·\u2022\u2027")
_MAX_SEP_RUN = 3

_ASCII_LOWER = {cp: cp + 32 for cp in range(ord("A"), ord("Z") + 1)}


def _halfwidth(text: str) -> str:
    return text.translate(_CHAR_MAP)


def _is_ascii_letter(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def _is_ascii_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


# ---------------------------------------------------------------------------
# Check algorithms (§5.3)
# ---------------------------------------------------------------------------

# GB 11643-1999 / ISO 7064:1983 MOD 11-2: weights Wi = 2^(18-i) mod 11 for positions 1–17.
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
# S mod 11 = 0…10 → check character.
_ID_CHECK = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)


def id_check_char(first17: str) -> str:
    """GB 11643-1999 check character (0–9 or X) for the first 17 digits of a 身份证号."""
    digits = _halfwidth(first17)
    if len(digits) != 17 or not all(_is_ascii_digit(c) for c in digits):
        raise ValueError("身份证号前17位必须是17位数字")
    s = sum(int(c) * w for c, w in zip(digits, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[s % 11]


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _plausible_legacy_birth(yymmdd: str) -> bool:
    # Legacy 15-digit numbers (pre-1999) carry YYMMDD of a 19YY birth date; no check digit.
    if len(yymmdd) != 6 or not yymmdd.isascii() or not yymmdd.isdigit():
        return False
    return _real_date(1900 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])) is not None


def is_valid_id(s: str, today: date | None = None) -> bool:
    """True for an 18-character 身份证号 with the right check character and a real birth date
    between 1900-01-01 and ``today``; for a 15-digit legacy number, a real 19YY birth date.

    Full-width digits and a lower-case x are accepted (normalised), separators are not.
    """
    today = today or date.today()
    n = _halfwidth(s).upper()
    if len(n) == 15:
        if not (n.isascii() and n.isdigit()) or not _plausible_legacy_birth(n[6:12]):
            return False
        born = _real_date(1900 + int(n[6:8]), int(n[8:10]), int(n[10:12]))
        return born is not None and born <= today
    if len(n) != 18 or not (n[:17].isascii() and n[:17].isdigit()) or n[17] not in "0123456789X":
        return False
    # GB 11643-1999: positions 7–14 are the birth date YYYYMMDD.
    born = _real_date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    if born is None or not (_EARLIEST_BIRTH <= born <= today):
        return False
    return id_check_char(n[:17]) == n[17]


def luhn_ok(digits: str) -> bool:
    """ISO/IEC 7812 Luhn: from the right, double every second digit (minus 9 if > 9); sum ≡ 0 mod 10."""
    d = _halfwidth(digits)
    if not d or not all(_is_ascii_digit(c) for c in d):
        return False
    total = 0
    for i, c in enumerate(reversed(d)):
        v = int(c)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return total % 10 == 0


# ---------------------------------------------------------------------------
# Masking (§5.4, P8)
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MaskPolicy:
    """How much of each number stays visible. The default is the §5.4 table; an office may only
    configure something stricter (fewer visible digits)."""

    id_keep_head: int = 6
    id_keep_tail: int = 4
    mobile_keep_head: int = 3
    mobile_keep_tail: int = 4
    card_keep_tail: int = 4
    name: str = "默认"

    def __post_init__(self) -> None:
        counts = (
            self.id_keep_head, self.id_keep_tail, self.mobile_keep_head,
            self.mobile_keep_tail, self.card_keep_tail,
        )
        if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in counts):
            raise ValueError("脱敏规则中的保留位数必须是不小于0的整数")
        # P8: for every policy the ID birth date (digits 7–14) stays hidden, i.e. at most the first
        # 6 and the last 4 of 18 characters, which also bounds the visible part to ≤ 10.
        if self.id_keep_head > 6 or self.id_keep_tail > 4:
            raise ValueError(
                f"脱敏规则“{self.name}”不合规：身份证号第7至14位（出生日期）必须隐藏，"
                "最多保留前6位和后4位"
            )
        # §5.4: 138****1234 is the most a notice may show of a mobile number.
        if self.mobile_keep_head > 3 or self.mobile_keep_tail > 4:
            raise ValueError(
                f"脱敏规则“{self.name}”不合规：手机号最多保留前3位和后4位"
            )
        # §5.4 / JR/T 0171-2020 附录A: a notice shows at most the last 4 digits of an account.
        if self.card_keep_tail > 4:
            raise ValueError(f"脱敏规则“{self.name}”不合规：银行卡号最多保留后4位")
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("脱敏规则必须有名称")


DEFAULT_POLICY = MaskPolicy()


def _token_chars(text: str) -> str:
    """Digits, X and already-masked '*' of a written token, separators and a leading '+' dropped."""
    out = []
    for ch in _halfwidth(text):
        if ch in _SEPARATORS or ch == "+":
            continue
        if ch == "x":
            ch = "X"
        if not (_is_ascii_digit(ch) or ch in "X*"):
            raise ValueError(f"“{text}”中含有无法脱敏的字符“{ch}”")
        out.append(ch)
    return "".join(out)


def _keep(chars: str, head: int, tail: int) -> str:
    n = len(chars)
    head = min(head, n)
    tail = min(tail, n - head)
    return chars[:head] + "*" * (n - head - tail) + chars[n - tail:]


def mask_token(kind: FindingKind, text: str, policy: MaskPolicy = DEFAULT_POLICY) -> str:
    """The masked form of one number token (§5.4): separators dropped, one '*' per hidden digit.

    Idempotent: an already-masked token ('*' in place of digits) masks to itself.
    """
    if kind not in MASKABLE_KINDS:
        raise ValueError(f"{kind}不能脱敏，请修改原文或在审查意见中说明理由")
    chars = _token_chars(text)
    if kind is FindingKind.ID_NUMBER:
        if len(chars) == 18 and "X" not in chars[:17]:
            return _keep(chars, policy.id_keep_head, policy.id_keep_tail)
        if len(chars) == 15 and "X" not in chars:
            # Legacy 15-digit: the birth date is digits 7–12, so at most the last 3 are shown.
            return _keep(chars, min(policy.id_keep_head, 6), min(policy.id_keep_tail, 3))
        raise ValueError(f"“{text}”不是18位或15位身份证号，无法按身份证号脱敏")
    if "X" in chars:
        raise ValueError(f"“{text}”含有字母，无法按{kind}脱敏")
    if kind is FindingKind.MOBILE:
        prefix = ""
        if len(chars) == 13 and chars.startswith("86"):
            # +86 / 86 country prefix is kept as written; only the national number is masked.
            prefix = "+86" if "+" in _halfwidth(text) else "86"
            chars = chars[2:]
        if len(chars) != 11:
            raise ValueError(f"“{text}”不是11位手机号，无法按手机号脱敏")
        return prefix + _keep(chars, policy.mobile_keep_head, policy.mobile_keep_tail)
    if not 16 <= len(chars) <= 19:
        raise ValueError(f"“{text}”不是16至19位银行卡号或账号，无法按银行卡号脱敏")
    return _keep(chars, 0, policy.card_keep_tail)


def mask(text: str, findings: Sequence[Finding], policy: MaskPolicy = DEFAULT_POLICY) -> str:
    """Apply the masks for ``findings`` of ONE field; their spans refer to ``text``."""
    ordered = sorted(findings, key=lambda f: (f.start, f.end))
    for f in ordered:
        if f.kind not in MASKABLE_KINDS:
            raise ValueError(f"{f.kind}“{f.text}”不能自动脱敏，请修改原文或说明理由")
        if not (0 <= f.start < f.end <= len(text)) or text[f.start:f.end] != f.text:
            raise ValueError(f"{f.field}中第{f.start + 1}个字处的内容已改变，请重新检查后再脱敏")
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start < a.end:
            raise ValueError(f"{a.field}中有重叠的标记（第{b.start + 1}个字处），请重新检查")
    out = text
    for f in reversed(ordered):
        out = out[:f.start] + mask_token(f.kind, f.text, policy) + out[f.end:]
    return out


# ---------------------------------------------------------------------------
# Number detection (P4 recall, P5 precision)
# ---------------------------------------------------------------------------

_GROUP_RE = re.compile(r"[0-9]+")
_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")

# Accepted group layouts, as the set of cumulative offsets where the written groups break.
# GB 11643 18-char: plain, 6-8-4, 6-4-4-4, 4-4-4-4-2, 3-3-4-4-4, 6-12, 17-1, 6-8-3-1.
_ID18_LAYOUTS = frozenset(
    frozenset(s) for s in ((), (6, 14), (6, 10, 14), (4, 8, 12, 16), (3, 6, 10, 14), (6,), (17,),
                           (6, 14, 17))
)
# Legacy 15-digit: plain, 6-6-3, 6-9.
_ID15_LAYOUTS = frozenset(frozenset(s) for s in ((), (6, 12), (6,)))
# Mobile: plain, 3-4-4, 3-8, 7-4.
_MOBILE_LAYOUTS = frozenset(frozenset(s) for s in ((), (3, 7), (3,), (7,)))


@dataclass(slots=True)
class _Group:
    start: int
    end: int  # exclusive, digits only
    digits: str
    x_suffix: bool  # followed by an X/x that may be an ID check character
    bad: bool  # touches a latin letter or belongs to a decimal number: never PII


def _groups(m: str) -> list[list[_Group]]:
    """Digit groups of the mapped text, as chains joined by short separator runs."""
    n = len(m)
    chains: list[list[_Group]] = []
    prev: _Group | None = None
    for match in _GROUP_RE.finditer(m):
        s, e = match.span()
        before = m[s - 1] if s > 0 else ""
        after = m[e] if e < n else ""
        after2 = m[e + 1] if e + 1 < n else ""
        x_suffix = after in "Xx" and after != "" and not (
            _is_ascii_letter(after2) or _is_ascii_digit(after2)
        )
        bad = (
            _is_ascii_letter(before)  # 统一社会信用代码 / 索引号 such as MB28530924
            or (_is_ascii_letter(after) and not x_suffix)
            or (before == "." and s >= 2 and _is_ascii_digit(m[s - 2]))  # 12345.60
            or (after == "." and _is_ascii_digit(after2))
        )
        g = _Group(s, e, match.group(), x_suffix, bad)
        gap = m[prev.end:s] if prev is not None else ""
        if (
            prev is not None
            and 1 <= len(gap) <= _MAX_SEP_RUN
            and all(c in _SEPARATORS for c in gap)
        ):
            chains[-1].append(g)
        else:
            chains.append([g])
        prev = g
    return chains


def _is_year_list(parts: Sequence[str]) -> bool:
    # "2019-2020-2021-2022": year lists have the 4-4-4-4 shape of a card.
    return all(len(p) == 4 and 1900 <= int(p) <= 2099 for p in parts)


def _classify(
    parts: Sequence[str], with_x: bool, today: date
) -> tuple[FindingKind, str, bool] | None:
    """(kind, normalized, valid) for a candidate made of the digit groups ``parts``."""
    digits = "".join(parts)
    n = len(digits)
    breaks: set[int] = set()
    acc = 0
    for p in parts[:-1]:
        acc += len(p)
        breaks.add(acc)
    if with_x:
        # GB 11643-1999: X stands for check value 10 and only ever appears as the 18th character.
        if n == 17 and frozenset(breaks) in _ID18_LAYOUTS:
            norm = digits + "X"
            return FindingKind.ID_NUMBER, norm, is_valid_id(norm, today)
        return None
    layout = frozenset(breaks)
    if n == 18:
        # Any 18-digit token is an ID; a failed checksum is still personal data (§5.4).
        if layout in _ID18_LAYOUTS:
            return FindingKind.ID_NUMBER, digits, is_valid_id(digits, today)
        return None
    if n == 15:
        # Legacy numbers have no check digit: require a real YYMMDD birth date (P5 precision).
        if layout in _ID15_LAYOUTS and _plausible_legacy_birth(digits[6:12]):
            return FindingKind.ID_NUMBER, digits, True
        return None
    if n == 11:
        if layout in _MOBILE_LAYOUTS and _MOBILE_RE.fullmatch(digits):
            return FindingKind.MOBILE, digits, True
        return None
    if n == 13 and digits.startswith("86"):
        # +86 / 86 country prefix written before a mobile number.
        shifted = frozenset(b - 2 for b in breaks if b != 2)
        if shifted in _MOBILE_LAYOUTS and _MOBILE_RE.fullmatch(digits[2:]):
            return FindingKind.MOBILE, digits[2:], True
        return None
    if 16 <= n <= 19:
        # 银联 cards and 存折/一卡通 accounts: 16–19 digits, written plain or in groups of four.
        # Luhn is recorded, never required (§5.3: accounts need not pass it).
        grouped = frozenset(range(4, n, 4))
        if (not breaks or layout == grouped) and not (breaks and _is_year_list(parts)):
            return FindingKind.BANK_CARD, digits, luhn_ok(digits)
    return None


_MAX_CANDIDATE_DIGITS = 19


def _numbers(field_name: str, text: str, m: str, today: date) -> list[Finding]:
    found: list[Finding] = []
    for chain in _groups(m):
        i = 0
        while i < len(chain):
            hit = None
            if not chain[i].bad:
                # Longest candidate first: "110105 19491231 002X" is one ID, not three numbers.
                last = i
                total = 0
                while last < len(chain) and not chain[last].bad:
                    total += len(chain[last].digits)
                    if total > _MAX_CANDIDATE_DIGITS:
                        break
                    last += 1
                for j in range(last - 1, i - 1, -1):
                    parts = [g.digits for g in chain[i:j + 1]]
                    # An x after anything but 17 digits is a letter, and _classify refuses it.
                    kind_norm = _classify(parts, chain[j].x_suffix, today)
                    if kind_norm is not None:
                        hit = (j, kind_norm)
                        break
            if hit is None:
                i += 1
                continue
            j, (kind, norm, valid) = hit
            start = chain[i].start
            end = chain[j].end + (1 if norm.endswith("X") and chain[j].x_suffix else 0)
            if kind is FindingKind.MOBILE and len("".join(g.digits for g in chain[i:j + 1])) == 13:
                if start > 0 and m[start - 1] == "+":
                    start -= 1
            found.append(Finding(kind, field_name, start, end, text[start:end], norm, valid))
            i = j + 1
    return found


# ---------------------------------------------------------------------------
# 密级标志 (GB/T 9704-2012 7.2.2: 密级和保密期限, e.g. 秘密★1年) and sensitive words
# ---------------------------------------------------------------------------

_STAR_TERM = r"(?:[ ]*(?:[0-9]+|[一二三四五六七八九十]+)[ ]*(?:年|个月|月)|[ ]*长期)?"
_MARK_RE = re.compile(
    # 密级★保密期限: one finding for the whole mark, never a second one for the word inside.
    rf"(?P<star>工作秘密|绝密|机密|秘密|内部)[ ]*★{_STAR_TERM}"
    # Always flagged words (longest first so 工作秘密 wins over 秘密).
    r"|(?P<word>工作秘密|绝密|机密|秘密|不得外传|注意保密|内部资料|内部文件|内部使用|内部传阅)"
    # "内部" alone is common (内部控制, 内部审计); only its marking forms count.
    r"|[(][ ]*(?P<paren>内部)[ ]*[)]"
)


def _marks(field_name: str, text: str, m: str) -> list[Finding]:
    out = []
    for match in _MARK_RE.finditer(m):
        word = match.group("star") or match.group("word") or match.group("paren")
        s, e = match.span()
        out.append(Finding(FindingKind.SECRET_MARK, field_name, s, e, text[s:e], word))
    return out


def _fold(text: str) -> str:
    return _halfwidth(text).translate(_ASCII_LOWER)


def _words(field_name: str, text: str, folded: str, words: Sequence[tuple[str, str]]) -> list[Finding]:
    out = []
    for word, key in words:
        pos = folded.find(key)
        while pos >= 0:
            end = pos + len(key)
            out.append(Finding(FindingKind.SENSITIVE_WORD, field_name, pos, end, text[pos:end], word))
            pos = folded.find(key, end)
    return out


def _number_key(raw: str) -> str:
    digits = "".join(c for c in _halfwidth(raw).upper() if _is_ascii_digit(c) or c == "X")
    if len(digits) == 13 and digits.startswith("86") and _MOBILE_RE.fullmatch(digits[2:]):
        return digits[2:]
    return digits


def screen(
    fields: Mapping[str, str],
    *,
    sensitive_words: Sequence[str] = (),
    allowed_numbers: Sequence[str] = (),
    today: date | None = None,
) -> list[Finding]:
    """Findings in every field, sorted by (field order, start).

    ``allowed_numbers`` are numbers meant to be public (监督电话, office lines, listed mobiles);
    they are compared as normalised digits, so any written form of them is allowed.
    ``today`` bounds the ID birth date check (defaults to the system date).
    """
    today = today or date.today()
    allowed = {k for k in (_number_key(a) for a in allowed_numbers) if k}
    words: list[tuple[str, str]] = []
    seen: set[str] = set()
    for w in sensitive_words:
        word = w.strip()
        key = _fold(word)
        if key and key not in seen:
            seen.add(key)
            words.append((word, key))

    findings: list[Finding] = []
    for name, raw in fields.items():
        text = raw or ""
        m = _halfwidth(text)
        found = [f for f in _numbers(name, text, m, today) if f.normalized not in allowed]
        found += _marks(name, text, m)
        found += _words(name, text, _fold(text), words)
        found.sort(key=lambda f: (f.start, -f.end, list(FindingKind).index(f.kind)))
        findings.extend(found)
    return findings


def redact(text: str, policy: MaskPolicy = DEFAULT_POLICY) -> str:
    """``text`` with every 身份证号, 手机号 and 银行卡号 masked: for logs and audit payloads,
    which must never hold them in full (OWASP Logging Cheat Sheet: "data to exclude")."""
    if not any(ch.isdigit() for ch in text):  # str.isdigit covers full-width digits too
        return text
    found = [f for f in screen({"": text}) if f.kind in MASKABLE_KINDS]
    return mask(text, found, policy) if found else text
