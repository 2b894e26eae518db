"""Printing: single notices, batches behind a cover list, the board checklist, the ledger."""

from __future__ import annotations

import json
from datetime import date

import pdfplumber
import pypdf
import pytest
from conftest import approve_all, as_user, notice_input

from govdesk.core.errors import UserError
from govdesk.core.notices import NoticeFilter
from govdesk.core.org import Role
from govdesk.operations import notices as ops
from govdesk.operations import postings, printing
from govdesk.store import audit_store, notice_store


def approved(ctx, users, title, **kw):
    n = ops.create_notice(ctx, notice_input(ctx, title=title, **kw))
    approve_all(ctx, users, n.id)
    return n


def texts(path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [(p.extract_text() or "") for p in pdf.pages]


def flat(s: str) -> str:
    return "".join(s.split())


def cells(path, page: int = 0) -> list[list[str]]:
    """The rows of every grid table on a page, each cell without line breaks."""
    with pdfplumber.open(path) as pdf:
        return [[flat(c or "") for c in row]
                for t in pdf.pages[page].extract_tables() for row in t]


@pytest.fixture
def three(ctx, users, org):
    """Three approved notices: A and B posted on 柳河村 (A overdue), C only approved."""
    a = approved(ctx, users, "关于柳河村低保对象的公示")
    b = approved(ctx, users, "关于柳河村道路硬化工程的公示", formed_on=date(2025, 11, 12))
    c = approved(ctx, users, "关于云溪社区临时救助的公示", formed_on=date(2025, 10, 5))
    postings.post_notice(ctx, a.id, [org["b_liuhe"]], posted_on=date(2025, 11, 10))
    postings.post_notice(ctx, b.id, [org["b_liuhe"], org["b_gov"]], posted_on=date(2025, 11, 14),
                         planned_removal=date(2025, 11, 20))
    return a, b, c


@pytest.fixture(autouse=True)
def no_checks():
    saved = list(printing.PRE_PRINT_CHECKS)
    printing.PRE_PRINT_CHECKS.clear()
    yield
    printing.PRE_PRINT_CHECKS[:] = saved


def test_print_notice_writes_pdf_and_audit(ctx, three, tmp_path):
    a = three[0]
    out = tmp_path / "notice.pdf"
    pages = printing.print_notice(ctx, a.id, out, invariant=True)
    assert pages == len(pypdf.PdfReader(out).pages) >= 1
    assert "关于柳河村低保对象的公示" in flat(texts(out)[0])
    rows = [e for e in audit_store.entries_for(ctx.db, "notice", a.id) if e.action == "print"]
    assert len(rows) == 1
    payload = json.loads(rows[0].payload)
    assert payload == {"paper": "A4", "path_name": "notice.pdf"}


def test_print_notice_a3_and_bad_paper(ctx, three, tmp_path):
    out = tmp_path / "a3.pdf"
    printing.print_notice(ctx, three[0].id, out, paper="A3", red_header=True, invariant=True)
    box = pypdf.PdfReader(out).pages[0].mediabox
    assert round(float(box.height)) == 1191
    with pytest.raises(UserError, match="A4"):
        printing.print_notice(ctx, three[0].id, tmp_path / "x.pdf", paper="B5")


def test_pre_print_check_blocks_printing(ctx, three, tmp_path):
    printing.PRE_PRINT_CHECKS.append(lambda c, n: ["含有完整身份证号码"])
    out = tmp_path / "blocked.pdf"
    with pytest.raises(UserError, match="含有完整身份证号码"):
        printing.print_notice(ctx, three[0].id, out)
    with pytest.raises(UserError, match="含有完整身份证号码"):
        printing.print_notices(ctx, [three[0].id, three[1].id], out)
    assert not out.exists()
    assert not [e for e in audit_store.iter_entries(ctx.db) if e.action == "print"]


def test_print_notices_cover_and_restarting_page_numbers(ctx, three, tmp_path):
    a, b, c = three
    out = tmp_path / "batch.pdf"
    calls = []
    pages = printing.print_notices(
        ctx, [a.id, b.id, c.id], out, cover_title="柳河村村务公开栏 待张贴信息",
        progress=lambda done, total: calls.append((done, total)) or True, invariant=True,
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]
    pages_text = texts(out)
    assert pages == len(pages_text)
    cover = flat(pages_text[0])
    assert "柳河村村务公开栏待张贴信息" in cover
    assert cells(out)[1:] == [
        [str(i), n.index_number, n.title, "1", "2025年11月10日至2025年11月16日"]
        for i, n in enumerate((a, b, c), 1)
    ]
    assert "2025年11月20日" in cover  # the date printed
    # every notice starts on a new page: its title at the top of a page; numbers restart
    starts = [i for i, t in enumerate(pages_text) if "—1—" in flat(t)]
    assert len(starts) == 3
    for i, n in zip(starts, (a, b, c), strict=True):
        assert flat(pages_text[i]).startswith(flat(n.title)[:8])
    audited = [e.object_id for e in audit_store.iter_entries(ctx.db) if e.action == "print"]
    assert audited == [str(a.id), str(b.id), str(c.id)]


def test_print_notices_cancel_leaves_no_file(ctx, three, tmp_path):
    out = tmp_path / "cancel.pdf"
    with pytest.raises(UserError, match="已取消打印"):
        printing.print_notices(ctx, [n.id for n in three], out,
                               progress=lambda done, total: done < 2)
    assert not out.exists()
    assert list(tmp_path.glob("*.tmp")) == []


def test_print_batch_by_board_and_by_range(ctx, three, org, tmp_path):
    a, b, c = three
    notices, title = printing.batch_notices(ctx, board_id=org["b_liuhe"])
    assert [n.id for n in notices] == [a.id, b.id]
    assert title == "柳河村村务公开栏 在栏信息"
    notices, _ = printing.batch_notices(ctx, start=date(2025, 10, 1), end=date(2025, 11, 5))
    assert [n.id for n in notices] == [c.id, a.id]  # by formed_on; b formed 11-12
    out = tmp_path / "board.pdf"
    printing.print_batch(ctx, out, board_id=org["b_liuhe"], invariant=True)
    assert [r[2] for r in cells(out)[1:]] == [a.title, b.title]
    out2 = tmp_path / "range.pdf"
    printing.print_batch(ctx, out2, start=date(2025, 10, 1), end=date(2025, 11, 5),
                         invariant=True)
    assert [r[2] for r in cells(out2)[1:]] == [c.title, a.title]
    with pytest.raises(UserError, match="没有需要打印"):
        printing.print_batch(ctx, tmp_path / "none.pdf", board_id=org["b_yunxi"])
    with pytest.raises(UserError):
        printing.print_batch(ctx, tmp_path / "none.pdf")


def test_board_sheet_lists_postings_and_overdue(ctx, three, org, tmp_path):
    a, b, _ = three
    rows, overdue = printing.board_sheet_rows(ctx, org["b_liuhe"])
    assert [r[1] for r in rows] == [a.title, b.title]
    assert [r[4] for r in rows] == ["逾期4天", "今天撤下"]  # today 2025-11-20, a ends 11-16
    assert [r[1] for r in overdue] == [a.title]
    out = tmp_path / "sheet.pdf"
    assert printing.print_board_sheet(ctx, org["b_liuhe"], out, invariant=True) == 1
    page = pypdf.PdfReader(out).pages[0]
    assert float(page.mediabox.height) > float(page.mediabox.width)
    text = flat(texts(out)[0])
    assert "柳河村村务公开栏（CB-01）在栏信息清单" in text
    assert "柳河村村委会门口" in text
    assert "逾期未撤下" in text
    table = cells(out)
    assert table[0] == ["序号", "索引号", "标题", "张贴日期", "计划撤下", "状态"]
    assert table[1] == ["1", a.index_number, a.title, "2025-11-10", "2025-11-16", "逾期4天"]
    assert table[2] == ["2", b.index_number, b.title, "2025-11-14", "2025-11-20", "今天撤下"]
    assert table[3] == ["序号", "索引号", "标题", "计划撤下", "逾期天数"]
    assert table[4] == ["1", a.index_number, a.title, "2025-11-16", "4天"]
    assert "检查人" in text and "检查日期" in text


def test_ledger_pdf_landscape_with_repeated_header(ctx, users, org, tmp_path):
    values = [
        ({"index_number": f"X/{i:04}", "title": f"测试信息{i}", "formed_on": "2025-01-02",
          "publish_due": "2025-02-01", "year": 2025, "status": "草稿", "created_at": "t",
          "updated_at": "t", "category_id": 1, "unit_id": 1}, [1])
        for i in range(70)
    ]
    with ctx.db.atomic():
        notice_store.insert_many(ctx.db, values)
    out = tmp_path / "ledger.pdf"
    pages = printing.print_ledger(ctx, NoticeFilter(year=2025), out, filter_text="年度=2025",
                                  invariant=True)
    reader = pypdf.PdfReader(out)
    assert pages == len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    t = [flat(x) for x in texts(out)]
    assert "测试信息0" in t[0] and "测试信息69" in t[-1]
    assert "索引号" in t[1] and "公开时限" in t[1] and "公开日期" in t[1]  # header repeated
    assert f"第1页共{pages}页" in t[0] and f"第2页共{pages}页" in t[1]
    assert "2025年度" in t[1]


def test_board_batch_uses_the_boards_paper(ctx, users, org, tmp_path):
    from govdesk.operations.org import save_org_item

    admin = as_user(ctx, users[Role.ADMIN])
    save_org_item(admin, "board", {"code": "CB-01", "name": "柳河村村务公开栏", "kind": "村务公开栏",
                                   "location": "柳河村村委会门口", "community_id": org["liuhe"],
                                   "paper": "A3"}, row_id=org["b_liuhe"])
    n = ops.create_notice(ctx, notice_input(ctx))
    approve_all(ctx, users, n.id)
    postings.post_notice(ctx, n.id, [org["b_liuhe"]], posted_on=date(2025, 11, 10))
    path = tmp_path / "batch.pdf"
    printing.print_batch(ctx, path, board_id=org["b_liuhe"], invariant=True)
    last = pypdf.PdfReader(path).pages[-1]
    assert round(float(last.mediabox.width)) == 842  # A3 portrait width in points
    with pytest.raises(UserError, match="A4 或 A3"):
        save_org_item(admin, "board", {"code": "CB-01", "name": "柳河村村务公开栏",
                                       "kind": "村务公开栏", "community_id": org["liuhe"],
                                       "paper": "B5"}, row_id=org["b_liuhe"])
