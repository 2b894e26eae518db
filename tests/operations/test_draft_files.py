"""Draft files beside the database (B9): written atomically, per user, never raising; a corrupt
file is ignored with a log line; an I/O error in the middle of a write leaves the old draft or
the new one, never a torn file (the D5 "increase the failure point" loop)."""

from __future__ import annotations

import errno
import logging
import os

import pytest

import govdesk.export.pdf_write as pdf_write
from govdesk.core import drafts as core
from govdesk.core.drafts import Draft
from govdesk.core.org import Role
from govdesk.operations import drafts
from govdesk.operations.context import Context


def _draft(ctx: Context, text: str, key: str = "notice-new") -> Draft:
    return Draft(key=key, kind=key.split("-")[0], label=f"信息登记《{text[:10]}》",
                 fields={"title": text, "body": text * 50}, saved_at=ctx.clock().astimezone(),
                 user_id=ctx.actor_id)


def test_drafts_live_beside_the_database_one_file_per_user_and_form(ctx, users, db_path):
    assert drafts.drafts_dir(ctx) == db_path.parent / "govdesk-drafts"
    assert drafts.save(ctx, _draft(ctx, "甲"))
    assert drafts.save(ctx, _draft(ctx, "乙", key="bulletin-2025Q3"))
    assert sorted(p.name for p in drafts.drafts_dir(ctx).iterdir()) == [
        "u2-bulletin-2025Q3.json", "u2-notice-new.json"]
    assert drafts.load(ctx, "notice-new").fields["title"] == "甲"
    assert len(drafts.list_drafts(ctx)) == 2
    assert drafts.startup_note(ctx).startswith("有 2 份未保存的草稿：")

    # another account neither sees nor overwrites them
    other = Context(ctx.db, user=users[Role.ADMIN], clock=ctx.clock)
    assert drafts.load(other, "notice-new") is None and drafts.list_drafts(other) == []
    assert drafts.save(other, _draft(other, "丙"))
    assert drafts.load(ctx, "notice-new").fields["title"] == "甲"

    drafts.delete(ctx, "notice-new")
    drafts.delete(ctx, "notice-new")  # twice is fine
    assert drafts.load(ctx, "notice-new") is None
    assert drafts.load(other, "notice-new").fields["title"] == "丙"


def test_a_corrupt_draft_is_ignored_with_a_log_line(ctx, users, caplog):
    assert drafts.save(ctx, _draft(ctx, "甲"))
    path = drafts.drafts_dir(ctx) / "u2-notice-new.json"
    path.write_bytes(path.read_bytes()[:40])
    (drafts.drafts_dir(ctx) / "u2-letter-1-fee.json").write_bytes(b"\xff\xfe not utf-8")
    with caplog.at_level(logging.WARNING, logger="govdesk.operations.drafts"):
        assert drafts.load(ctx, "notice-new") is None
        assert drafts.list_drafts(ctx) == []
        assert drafts.startup_note(ctx) == ""
    assert "ignored" in caplog.text and "u2-notice-new.json" in caplog.text
    assert path.exists()  # left for a person to look at, never deleted behind their back


def test_a_draft_that_cannot_be_written_is_logged_not_raised(ctx, users, db_path, caplog):
    db_path.with_name("govdesk-drafts").write_text("a file where the folder should be")
    with caplog.at_level(logging.WARNING, logger="govdesk.operations.drafts"):
        assert drafts.save(ctx, _draft(ctx, "甲")) is False
    assert "not written" in caplog.text
    assert drafts.load(ctx, "notice-new") is None
    assert drafts.list_drafts(ctx) == []


class Faulty:
    """Raise OSError(code) at the k-th call of write, flush, fsync or replace (D5)."""

    def __init__(self, k: int, code: int) -> None:
        self.k, self.code, self.calls = k, code, 0

    def tick(self) -> None:
        self.calls += 1
        if self.calls == self.k:
            raise OSError(self.code, os.strerror(self.code))


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EIO])
def test_an_io_error_at_any_step_leaves_the_old_draft_or_the_new_one(ctx, users, monkeypatch,
                                                                     code):
    assert drafts.save(ctx, _draft(ctx, "旧的草稿"))
    folder = drafts.drafts_dir(ctx)
    path = folder / "u2-notice-new.json"
    old = path.read_bytes()
    new = core.to_json(_draft(ctx, "新的草稿")).encode("utf-8")
    real_fsync, real_replace = os.fsync, os.replace
    k = 0
    while True:
        k += 1
        fault = Faulty(k, code)

        def fsync(fd, fault=fault):
            fault.tick()
            real_fsync(fd)

        def replace(a, b, fault=fault):
            fault.tick()
            real_replace(a, b)

        def save_with_faulty_write(fault=fault):
            draft = _draft(ctx, "新的草稿")
            real_write = pdf_write.write_atomically

            def write_atomically(target, write, **kw):
                def faulty(fh):
                    fault.tick()
                    fh.write(new[: len(new) // 2])
                    fh.flush()
                    fault.tick()
                    return fh.write(new[len(new) // 2:])
                return real_write(target, faulty, **kw)

            monkeypatch.setattr(drafts, "write_atomically", write_atomically)
            try:
                return drafts.save(ctx, draft)
            finally:
                monkeypatch.setattr(drafts, "write_atomically", real_write)

        monkeypatch.setattr(pdf_write.os, "fsync", fsync)
        monkeypatch.setattr(pdf_write.os, "replace", replace)
        ok = save_with_faulty_write()
        monkeypatch.setattr(pdf_write.os, "fsync", real_fsync)
        monkeypatch.setattr(pdf_write.os, "replace", real_replace)
        on_disk = path.read_bytes()
        assert on_disk in (old, new), f"k={k}: a torn draft"
        assert [p.name for p in folder.iterdir()] == ["u2-notice-new.json"], k  # no temp left
        assert drafts.load(ctx, "notice-new") is not None
        if ok:
            assert on_disk == new and fault.calls < k
            break
        assert on_disk == old, k
    assert k == 5  # write, write, fsync, replace failed in turn; the fifth try went through


def test_startup_cleanup_removes_orphaned_draft_temp_files_only(tmp_path):
    """A kill in the middle of a draft write leaves a hidden temp file: removed at the next
    start once it is old (a write takes milliseconds), never a draft or a fresh temp file."""
    import os
    import time

    from govdesk.operations.backups import startup_cleanup
    from govdesk.operations.drafts import drafts_dir_for

    db_path = tmp_path / "govdesk.db"
    folder = drafts_dir_for(db_path)
    folder.mkdir()
    draft = folder / "u2-notice-new.json"
    old_tmp = folder / ".u2-notice-new.x1y2z3.tmp"
    fresh_tmp = folder / ".u2-notice-7.a1b2c3.tmp"
    for p in (draft, old_tmp, fresh_tmp):
        p.write_text("{}")
    hour_ago = time.time() - 2 * 3600
    os.utime(old_tmp, (hour_ago, hour_ago))
    os.utime(draft, (hour_ago, hour_ago))
    assert old_tmp in startup_cleanup(db_path)
    assert not old_tmp.exists() and draft.exists() and fresh_tmp.exists()
