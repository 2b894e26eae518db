"""The schema, as named, append-only sqlite-utils migration steps. Never edit a shipped step:
add a new one below it."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("govdesk")

SCHEMA_1 = """
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE township (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    full_name TEXT NOT NULL DEFAULT '',
    short_name TEXT NOT NULL DEFAULT '',
    credit_code TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    index_pattern TEXT NOT NULL DEFAULT '{code}/{year}-{seq:05}'
);
INSERT INTO township (id) VALUES (1);

CREATE TABLE unit (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    active INTEGER NOT NULL DEFAULT 1,
    sort INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE community (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT '社区' CHECK (kind IN ('社区', '村')),
    active INTEGER NOT NULL DEFAULT 1,
    sort INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE board (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    location TEXT NOT NULL DEFAULT '',
    community_id INTEGER REFERENCES community(id),
    unit_id INTEGER REFERENCES unit(id),
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE category (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    publish_limit_days INTEGER NOT NULL DEFAULT 20 CHECK (publish_limit_days BETWEEN 0 AND 365),
    active INTEGER NOT NULL DEFAULT 1,
    sort INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE channel (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    active INTEGER NOT NULL DEFAULT 1,
    sort INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE user (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_id INTEGER REFERENCES unit(id),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    failed_count INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    last_login_at TEXT,
    created_at TEXT NOT NULL
);

-- 索引号 sequence numbers are never reused: the counter only ever goes up, even when a draft is
-- deleted.
CREATE TABLE index_counter (
    year INTEGER PRIMARY KEY,
    last_seq INTEGER NOT NULL
);

CREATE TABLE notice (
    id INTEGER PRIMARY KEY,
    index_number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    doc_number TEXT NOT NULL DEFAULT '',
    category_id INTEGER REFERENCES category(id),
    disclosure TEXT NOT NULL DEFAULT '主动公开'
        CHECK (disclosure IN ('主动公开', '依申请公开', '不予公开')),
    withhold_ground TEXT NOT NULL DEFAULT '',
    unit_id INTEGER REFERENCES unit(id),
    community_id INTEGER REFERENCES community(id),
    formed_on TEXT NOT NULL,
    publish_due TEXT NOT NULL,
    period_start TEXT,
    period_end TEXT,
    period_unit TEXT CHECK (period_unit IS NULL OR period_unit IN ('天', '工作日')),
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '草稿'
        CHECK (status IN ('草稿', '待审批', '已批准', '已公开', '已撤下', '已失效')),
    published_on TEXT,
    year INTEGER NOT NULL,
    import_key TEXT UNIQUE,
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX notice_year ON notice(year, formed_on);
CREATE INDEX notice_formed ON notice(formed_on);
CREATE INDEX notice_status ON notice(status, publish_due);
CREATE INDEX notice_category ON notice(category_id, formed_on);
CREATE INDEX notice_unit ON notice(unit_id, formed_on);
CREATE INDEX notice_community ON notice(community_id, formed_on);
CREATE INDEX notice_published ON notice(published_on);

CREATE TABLE notice_channel (
    notice_id INTEGER NOT NULL REFERENCES notice(id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL REFERENCES channel(id),
    PRIMARY KEY (notice_id, channel_id)
) WITHOUT ROWID;
CREATE INDEX notice_channel_channel ON notice_channel(channel_id, notice_id);

CREATE TABLE posting (
    id INTEGER PRIMARY KEY,
    notice_id INTEGER NOT NULL REFERENCES notice(id),
    board_id INTEGER NOT NULL REFERENCES board(id),
    posted_on TEXT NOT NULL,
    planned_removal TEXT,
    removed_on TEXT,
    posted_by INTEGER REFERENCES user(id),
    removed_by INTEGER REFERENCES user(id),
    photo TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX posting_board ON posting(board_id, removed_on);
CREATE INDEX posting_notice ON posting(notice_id);
CREATE INDEX posting_current ON posting(removed_on, planned_removal);

-- Office-entered working-day data for years the holiday package does not know yet.
CREATE TABLE calendar_override (
    day TEXT PRIMARY KEY,
    is_workday INTEGER NOT NULL CHECK (is_workday IN (0, 1)),
    note TEXT NOT NULL DEFAULT ''
);

-- 操作日志: append-only and hash-chained (targets A1, A2).
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    ts_utc TEXT NOT NULL,
    actor_id INTEGER,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    app_version TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    entry_hash TEXT NOT NULL,
    clock_flag TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_object ON audit_log(object_type, object_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'append-only'); END;

-- Chinese substring search: every notice's searchable text as overlapping character bigrams,
-- each bigram written as an ASCII token, so that a query of n >= 2 characters is an FTS5 phrase
-- of its n-1 bigrams (exact substring semantics, see store/search.py). Contentless: the text
-- lives in notice; this is a rebuildable index.
CREATE VIRTUAL TABLE notice_search USING fts5(
    grams, content='', columnsize=0, tokenize='unicode61'
);
"""


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    db.executescript(SCHEMA_1)




# Defaults a new office starts with, after the seeds' practice (the 2018 息陬镇 report's 类别 and
# the channels township reports quote). Literal here, not imported, so this step never changes.
@migrations(name="0002_default_lists")
def m0002_default_lists(db: Database) -> None:
    categories = [
        ("机构职能", 20), ("政策法规", 20), ("规划计划", 20), ("行政权力运行", 20),
        ("财政资金", 20), ("重点领域", 20), ("社会救助", 20), ("农业农村", 20),
        ("应急管理", 20), ("人事信息", 20), ("新闻发布", 20), ("政务公开管理", 20),
    ]
    for i, (name, days) in enumerate(categories, 1):
        db.execute(
            "INSERT INTO category (name, publish_limit_days, sort) VALUES (?, ?, ?)",
            [name, days, i],
        )
    channels = ["公开栏", "门户网站", "微信公众号", "广播", "电子屏", "会议", "电视报纸", "其他"]
    for i, name in enumerate(channels, 1):
        db.execute("INSERT INTO channel (name, sort) VALUES (?, ?)", [name, i])
    units = ["党政办", "民政办", "财政所", "劳动站", "城建办", "农业农村办", "社会事务办", "综治办"]
    for i, name in enumerate(units, 1):
        db.execute("INSERT INTO unit (name, sort) VALUES (?, ?)", [name, i])


# Every register column gets an index whose order is "column, id", and the planner gets fixed
# statistics measured by ANALYZE on a 120,000-notice database, so that plans do not depend on
# when ANALYZE last ran (SQLite: "manual control of query plans using sqlite_stat tables").
# The app therefore never runs ANALYZE or PRAGMA optimize; a later step that adds an index on
# these tables adds its row here. Figures: docs/benchmarks.md (R4, R5).
@migrations(name="0003_register_indexes")
def m0003_register_indexes(db: Database) -> None:
    db.executescript(
        """
        CREATE INDEX notice_title ON notice(title);
        CREATE INDEX notice_doc_number ON notice(doc_number);
        CREATE INDEX notice_disclosure ON notice(disclosure);
        CREATE INDEX notice_publish_due ON notice(publish_due);
        CREATE INDEX notice_owner ON notice(unit_id, community_id);
        CREATE INDEX posting_board_notice ON posting(board_id, notice_id);
        ANALYZE sqlite_schema;
        DELETE FROM sqlite_stat1 WHERE tbl IN ('notice', 'notice_channel', 'posting');
        INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
          ('notice', 'sqlite_autoindex_notice_1', '120000 1'),
          ('notice', 'sqlite_autoindex_notice_2', '120000 120000'),
          ('notice', 'notice_year', '120000 12000 49'),
          ('notice', 'notice_formed', '120000 49'),
          ('notice', 'notice_status', '120000 20000 11'),
          ('notice', 'notice_category', '120000 10000 5'),
          ('notice', 'notice_unit', '120000 13334 7'),
          ('notice', 'notice_community', '120000 3871 4'),
          ('notice', 'notice_published', '120000 33'),
          ('notice', 'notice_title', '120000 12'),
          ('notice', 'notice_doc_number', '120000 31'),
          ('notice', 'notice_disclosure', '120000 40000'),
          ('notice', 'notice_publish_due', '120000 49'),
          ('notice', 'notice_owner', '120000 13334 3158'),
          ('notice_channel', 'notice_channel', '240043 3 1'),
          ('notice_channel', 'notice_channel_channel', '240043 30006 1'),
          ('posting', 'posting_board', '400000 6667 3'),
          ('posting', 'posting_notice', '400000 5'),
          ('posting', 'posting_current', '400000 110 10'),
          ('posting', 'posting_board_notice', '400000 6667 1');
        ANALYZE sqlite_schema;
        """
    )


# The search index gains a token for each run's last character, which makes one-character
# searches exact FTS prefix queries instead of LIKE scans (docs/benchmarks.md, R7). The index is
# rebuilt from the notices; at 120,000 notices this takes about a minute, once.
@migrations(name="0004_search_single_characters")
def m0004_search_single_characters(db: Database) -> None:
    from govdesk.store.notice_store import rebuild_search_index

    rebuild_search_index(db)


# The dashboard's "past 公开时限 and unpublished" and "approved, waiting to publish" counts read
# only status, disclosure and publish_due: a covering index makes them index-only (25 ms → 0.2 ms
# at 120,000 notices). Its statistics row was measured by ANALYZE on that database.
@migrations(name="0005_dashboard_index")
def m0005_dashboard_index(db: Database) -> None:
    db.executescript(
        """
        CREATE INDEX notice_due ON notice(status, disclosure, publish_due);
        INSERT INTO sqlite_stat1 (tbl, idx, stat)
            VALUES ('notice', 'notice_due', '120000 20000 12000 9');
        ANALYZE sqlite_schema;
        """
    )


# A large board gets its notices printed on A3 (the same layout scaled as a whole).
@migrations(name="0006_board_paper")
def m0006_board_paper(db: Database) -> None:
    db.execute(
        "ALTER TABLE board ADD COLUMN paper TEXT NOT NULL DEFAULT 'A4'"
        " CHECK (paper IN ('A4', 'A3'))"
    )


def known_names() -> list[str]:
    return [m.name for m in migrations._migrations]
