"""Draft keys, file names and the JSON payload (B9): pure functions, no files."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from govdesk.core import drafts
from govdesk.core.drafts import Draft, DraftError

BEIJING = timezone(timedelta(hours=8))


def _draft(**over) -> Draft:
    values = dict(key="notice-12", kind="notice", label="信息登记《关于柳河村低保对象的公示》",
                  fields={"title": "关于柳河村低保对象的公示", "channel_ids": [1, 3],
                          "period": {"on": True, "length": 7}},
                  saved_at=datetime(2025, 11, 20, 12, 5, tzinfo=BEIJING), base="abc",
                  user_id=2)
    values.update(over)
    return Draft(**values)


def test_keys_name_the_form_and_the_record():
    assert drafts.draft_key("notice", None) == "notice-new"
    assert drafts.draft_key("notice", 123) == "notice-123"
    assert drafts.draft_key("letter", 5, "extension", "云溪公司") == "letter-5-extension-云溪公司"
    with pytest.raises(ValueError):
        drafts.draft_key("nonsense", 1)


def test_file_names_are_safe_per_user_and_never_shared():
    assert drafts.file_stem(2, "notice-new") == "u2-notice-new"
    assert drafts.file_stem(3, "notice-new") != drafts.file_stem(2, "notice-new")
    odd = drafts.file_stem(2, "letter-5-consultation-A/B:公司")
    assert "/" not in odd and ":" not in odd and odd.startswith("u2-letter-5-consultation-A_B_公司-")
    # two keys that only differ in unsafe characters get different files
    assert drafts.file_stem(2, "letter-1-x-a/b") != drafts.file_stem(2, "letter-1-x-a:b")
    assert len(drafts.file_stem(2, "letter-1-x-" + "长" * 300)) < 120


def test_json_round_trip_is_exact():
    d = _draft()
    assert drafts.from_json(drafts.to_json(d)) == d
    assert "关于柳河村" in drafts.to_json(d)  # readable, not \\u escapes


@pytest.mark.parametrize("text", [
    "", "{", "[]", '{"version": 99, "key": "notice-1", "kind": "notice", "label": "", "fields": {}}',
    '{"version": 1, "key": "notice-1", "kind": "notice", "label": "x"}',
    '{"version": 1, "key": "notice-1", "kind": "spam", "label": "x", "fields": {}}',
    '{"version": 1, "key": "notice-1", "kind": "notice", "label": "x", "fields": {},'
    ' "saved_at": "yesterday"}',
])
def test_anything_but_a_complete_draft_is_refused(text):
    with pytest.raises(DraftError):
        drafts.from_json(text)


def test_a_truncated_draft_is_refused():
    text = drafts.to_json(_draft())
    for cut in range(0, len(text) - 1, 7):
        with pytest.raises(DraftError):
            drafts.from_json(text[:cut])


def test_changed_since_compares_fingerprints_of_existing_records_only():
    fp = drafts.fingerprint({"a": 1, "b": [1, 2]})
    assert fp == drafts.fingerprint({"b": [1, 2], "a": 1})
    assert fp != drafts.fingerprint({"a": 2, "b": [1, 2]})
    assert _draft(base=fp).changed_since(fp) is False
    assert _draft(base=fp).changed_since("other") is True
    assert _draft(base="").changed_since("other") is False  # a new record has nothing to change


def test_wording():
    q = drafts.restore_question(_draft(), changed=False)
    assert q.startswith("发现上次未保存的草稿（保存于 2025-11-20 12:05），是否恢复？")
    assert "已被修改" not in q
    assert "已被修改" in drafts.restore_question(_draft(), changed=True)
    two = [_draft(), _draft(key="bulletin-2025Q3", kind="bulletin", label="2025年第三季度考核通报",
                            saved_at=datetime(2025, 11, 20, 13, 0, tzinfo=BEIJING))]
    assert drafts.summary(two) == ("有 2 份未保存的草稿：2025年第三季度考核通报、"
                                   "信息登记《关于柳河村低保对象的公示》，打开对应的表单即可恢复。")
    assert drafts.summary([]) == ""
    assert drafts.summary([_draft()] * 5, limit=3).count("信息登记") == 3
    assert drafts.quoted("") == "（未填标题）"
    assert drafts.quoted("关于" + "很长" * 30) .endswith("…》")
