"""The register's page queries must walk an index in sort order, never sort the whole table
(docs/benchmarks.md: R1–R5). With fixed planner statistics the plans do not depend on the data,
so a small database shows the plans the 120,000-notice one gets."""

from datetime import date

import pytest

from govdesk.core.notices import REGISTER_COLUMNS, NoticeFilter, NoticeStatus
from govdesk.store import notice_store
from govdesk.store.database import connect


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    db = connect(tmp_path_factory.mktemp("plans") / "p.db")
    rows = []
    for i in range(300):
        rows.append(({
            "index_number": f"X/2025-{i:05}", "title": f"关于第{i}批低保对象的公示",
            "body": "正文" * 20, "doc_number": "", "formed_on": f"2025-{i % 12 + 1:02}-01",
            "publish_due": "2025-12-31", "year": 2025, "status": "已公开",
            "published_on": "2025-12-01", "category_id": i % 5 + 1, "unit_id": 1,
            "created_at": "t", "updated_at": "t",
        }, [1, 2]))
    with db.atomic():
        notice_store.insert_many(db, rows)
    return db


@pytest.mark.parametrize("sort", [k for k, _ in REGISTER_COLUMNS])
@pytest.mark.parametrize("descending", [True, False])
def test_every_sort_walks_an_index(db, sort, descending):
    plan = notice_store.page_plan(db, NoticeFilter(), sort=sort, descending=descending)
    assert not any("TEMP B-TREE" in step for step in plan), plan


@pytest.mark.parametrize("f", [
    NoticeFilter(status=NoticeStatus.PUBLISHED),
    NoticeFilter(search="公示"),
    NoticeFilter(search="低保对象"),
    NoticeFilter(board_id=1),
    NoticeFilter(channel_id=2),
], ids=["status", "search2", "search4", "board", "channel"])
def test_common_filters_walk_the_date_index_and_probe_lists(db, f):
    plan = notice_store.page_plan(db, f, sort="formed_on", descending=True)
    assert not any("TEMP B-TREE" in step for step in plan), plan
    assert not any("SEARCH n USING INTEGER PRIMARY KEY" in step for step in plan), plan


def test_results_are_unchanged_by_the_plan(db):
    got = notice_store.query(db, NoticeFilter(search="低保"), sort="formed_on", limit=5)
    assert [n.formed_on for n in got] == [date(2025, 12, 1)] * 5
    assert notice_store.count(db, NoticeFilter(search="低保")) == 300
    assert notice_store.count(db, NoticeFilter(search="低保", year=2025)) == 300
