"""govdesk print …: each command writes a PDF; mistakes give Chinese errors and exit 2."""

from __future__ import annotations

from datetime import date

import pypdf
import pytest
from conftest import approve_all, notice_input

from govdesk import cli
from govdesk.operations import notices as ops
from govdesk.operations import postings
from govdesk.store import audit_store


@pytest.fixture
def posted(ctx, users, org):
    n = ops.create_notice(ctx, notice_input(ctx))
    approve_all(ctx, users, n.id)
    postings.post_notice(ctx, n.id, [org["b_liuhe"]], posted_on=date(2025, 11, 10))
    return n


def pdf_pages(path) -> int:
    return len(pypdf.PdfReader(path).pages)


@pytest.mark.parametrize("args", [
    ["notice", "{id}", "--paper", "A3", "--red-header"],
    ["notice", "{id}"],
    ["board", "CB-01"],
    ["batch", "--board", "CB-01"],
    ["batch", "--from", "2025-11-01", "--to", "2025-11-30", "--paper", "A4"],
    ["ledger", "--year", "2025", "--status", "已公开"],
])
def test_print_commands_write_pdfs(posted, db_path, tmp_path, capsys, args):
    out = tmp_path / "out.pdf"
    argv = ["print", *(a.replace("{id}", str(posted.id)) for a in args),
            "--db", str(db_path), "-o", str(out)]
    assert cli.main(argv) == 0, capsys.readouterr().err
    assert pdf_pages(out) >= 1
    assert "已打印" in capsys.readouterr().out


def test_print_notice_audited_without_actor(posted, ctx, db_path, tmp_path):
    assert cli.main(["print", "notice", str(posted.id), "--db", str(db_path),
                     "-o", str(tmp_path / "n.pdf")]) == 0
    rows = [e for e in audit_store.entries_for(ctx.db, "notice", posted.id) if e.action == "print"]
    assert len(rows) == 1 and rows[0].actor_id is None


@pytest.mark.parametrize("args, message", [
    (["board", "XX-99"], "公开栏“XX-99”不存在"),
    (["batch", "--board", "XX-99"], "公开栏“XX-99”不存在"),
    (["batch"], "请用 --board"),
    (["batch", "--from", "2025-13-01", "--to", "2025-12-01"], "开始日期"),
    (["notice", "abc"], "应为数字"),
    (["notice", "999"], "不存在"),
    (["ledger", "--board", "XX-99"], "公开栏“XX-99”不存在"),
])
def test_print_errors_are_chinese_and_exit_2(posted, db_path, tmp_path, capsys, args, message):
    out = tmp_path / "bad.pdf"
    code = cli.main(["print", *args, "--db", str(db_path), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("错误：") and message in err
    assert not out.exists()
