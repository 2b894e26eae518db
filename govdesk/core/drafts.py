"""Autosaved drafts of forms (target B9: never lose what the user typed).

A draft is what one user typed into one form — a new notice, the edit of notice 123, one
依申请公开 letter, one quarter's 通报 … — kept outside the database as a small JSON file, so that
a save that fails (disk full, an I/O error, a refused input) or a crash costs nothing: the next
time the same form is opened, the draft is offered back.

This module is the pure part: keys and file names, the payload and its version, JSON in and out,
the fingerprint that tells whether the record changed since the draft was taken, and the
wording shown to the user. Reading and writing the files is ``govdesk.operations.drafts``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

VERSION = 1
SUFFIX = ".json"

# Form kind → what the user calls it (the start-up note and the restore question name it).
KIND_LABELS: dict[str, str] = {
    "notice": "信息登记",
    "letter": "依申请公开文书",
    "bulletin": "考核通报",
    "request": "申请登记",
    "annual_report": "年度报告",
    "plan_report": "落实情况报告",
    "plan_task": "实施方案任务",
}

_UNSAFE = re.compile(r"[^\w\-]+")  # \w is Unicode: 汉字 stay readable in the file name
MAX_STEM = 80


class DraftError(ValueError):
    """A draft file that cannot be read back (corrupt, truncated, another version)."""


def draft_key(kind: str, *parts: object) -> str:
    """The form and record a draft belongs to: ``notice-new``, ``notice-123``,
    ``letter-5-extension-某公司``. ``None`` parts read as ``new``."""
    if kind not in KIND_LABELS:
        raise ValueError(f"unknown draft kind: {kind}")
    return "-".join([kind, *("new" if p is None else str(p) for p in parts)])


def file_stem(user_id: int | None, key: str) -> str:
    """A file name (without suffix) safe on Windows and Linux for one user's draft of ``key``.
    Each account has its own drafts: on a shared office PC one person's unsaved text must not
    be offered to (or overwritten by) another. A key that had to be changed to be a safe name
    (a party's name with ``/`` or ``:`` …) gets a short hash, so two keys never share a file."""
    safe = _UNSAFE.sub("_", key)[:MAX_STEM]
    if safe != key:
        safe += "-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    return f"u{user_id if user_id is not None else 0}-{safe}"


def fingerprint(fields: Mapping[str, Any]) -> str:
    """A short hash of a form's values: taken when a record is loaded into the form, stored
    with the draft, compared when the draft is offered (has the record changed since?)."""
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                           default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Draft:
    key: str
    kind: str
    label: str  # e.g. 信息登记《关于……的公示》: the user recognises the form by it
    fields: dict[str, Any] = field(default_factory=dict)  # JSON values only
    saved_at: datetime | None = None  # local time, when the draft was written
    base: str = ""  # fingerprint of the record when the form loaded it ("" for a new record)
    user_id: int | None = None
    version: int = VERSION

    def changed_since(self, current_base: str) -> bool:
        """True when the record in the database is no longer the one this draft started from."""
        return bool(self.base) and bool(current_base) and self.base != current_base


def to_json(draft: Draft) -> str:
    return json.dumps({
        "version": draft.version,
        "key": draft.key,
        "kind": draft.kind,
        "label": draft.label,
        "user_id": draft.user_id,
        "saved_at": draft.saved_at.isoformat(timespec="seconds") if draft.saved_at else None,
        "base": draft.base,
        "fields": draft.fields,
    }, ensure_ascii=False, indent=1, sort_keys=True)


def from_json(text: str) -> Draft:
    """The draft in ``text``; DraftError for anything that is not a complete draft of this
    version (a half-written file after a crash is never half-restored)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DraftError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise DraftError("not an object")
    if data.get("version") != VERSION:
        raise DraftError(f"unsupported version: {data.get('version')!r}")
    key, kind, label, fields = (data.get("key"), data.get("kind"), data.get("label"),
                                data.get("fields"))
    if not (isinstance(key, str) and isinstance(kind, str) and isinstance(label, str)
            and isinstance(fields, dict)):
        raise DraftError("missing key, kind, label or fields")
    if kind not in KIND_LABELS:
        raise DraftError(f"unknown kind: {kind}")
    saved_at = None
    if data.get("saved_at"):
        try:
            saved_at = datetime.fromisoformat(str(data["saved_at"]))
        except ValueError as exc:
            raise DraftError(f"bad saved_at: {exc}") from exc
    user_id = data.get("user_id")
    if user_id is not None and not isinstance(user_id, int):
        raise DraftError("bad user_id")
    return Draft(key=key, kind=kind, label=label, fields=fields, saved_at=saved_at,
                 base=str(data.get("base") or ""), user_id=user_id)


# ---- what the user reads ----------------------------------------------------------------------


def when_text(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "时间不详"


def restore_question(draft: Draft, *, changed: bool) -> str:
    text = f"发现上次未保存的草稿（保存于 {when_text(draft.saved_at)}），是否恢复？"
    if changed:
        text += ("\n\n注意：草稿保存之后，这条记录在数据库中已被修改过。恢复草稿将用草稿的内容"
                 "替换这些修改（点“保存”后才生效）；选“放弃”则保留数据库中的内容。")
    text += "\n\n选“放弃”将删除这份草稿。"
    return text


def summary(drafts: Iterable[Draft], *, limit: int = 3) -> str:
    """The start-up note: 有 2 份未保存的草稿：信息登记《……》、考核通报……，打开对应的表单即可恢复。"""
    items = sorted(drafts, key=lambda d: (-(d.saved_at.timestamp() if d.saved_at else 0.0),
                                          d.key))
    if not items:
        return ""
    names = "、".join(d.label for d in items[:limit])
    more = "等" if len(items) > limit else ""
    return f"有 {len(items)} 份未保存的草稿：{names}{more}，打开对应的表单即可恢复。"


def quoted(title: str, *, empty: str = "（未填标题）", width: int = 24) -> str:
    """《title》 shortened for a one-line label."""
    title = " ".join(title.split())
    if not title:
        return empty
    if len(title) > width:
        title = title[: width - 1] + "…"
    return f"《{title}》"
