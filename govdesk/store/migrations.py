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


# 审批单 (approval slips). A slip is opened for one version of a notice's content; what happens
# to it is a list of append-only rows in `approval` (submit, decide, withdraw, resubmit,
# supersede, record), from which core.approvals.fold derives its state. `screening_pass` keeps
# the 保密审查 signer's reasons for passing a screening finding unmasked. All three refuse UPDATE
# and DELETE (target A1). The publication gate (A6) is enforced here as well as in operations:
# a notice becomes 已公开, and a posting goes up, only when a completed approval exists for the
# notice's current content hash, and a change to the published fields must come with a new hash.
SCHEMA_7 = """
ALTER TABLE notice ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE notice ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE approval_slip (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    notice_id INTEGER NOT NULL REFERENCES notice(id),
    notice_version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    content TEXT NOT NULL,
    chain TEXT NOT NULL,
    drafter_id INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL
);
CREATE INDEX approval_slip_notice ON approval_slip(notice_id, id);

CREATE TABLE approval (
    id INTEGER PRIMARY KEY,
    slip_id INTEGER NOT NULL REFERENCES approval_slip(id),
    kind TEXT NOT NULL
        CHECK (kind IN ('submit', 'decide', 'withdraw', 'resubmit', 'supersede', 'record')),
    step INTEGER,
    stage TEXT NOT NULL DEFAULT '',
    decision TEXT CHECK (decision IS NULL OR decision IN ('同意', '退回修改', '不同意')),
    return_to INTEGER,
    opinion TEXT NOT NULL DEFAULT '',
    actor_id INTEGER REFERENCES user(id),
    actor_name TEXT NOT NULL DEFAULT '',
    actor_role TEXT NOT NULL DEFAULT '',
    paper INTEGER NOT NULL DEFAULT 0 CHECK (paper IN (0, 1)),
    entered_by INTEGER REFERENCES user(id),
    signed_on TEXT,
    scan TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    completes INTEGER NOT NULL DEFAULT 0 CHECK (completes IN (0, 1)),
    at_utc TEXT NOT NULL,
    app_version TEXT NOT NULL,
    -- 条例第二十二条 (公文处理): a decision carries 意见, 姓名 and a complete date (A7)
    CHECK (kind != 'decide' OR (decision IS NOT NULL AND step IS NOT NULL
                                AND actor_id IS NOT NULL AND actor_name != '')),
    CHECK (decision IS NULL OR decision = '同意' OR length(trim(opinion)) > 0),
    CHECK (paper = 0 OR (entered_by IS NOT NULL AND signed_on IS NOT NULL))
);
CREATE INDEX approval_slip_events ON approval(slip_id, id);
CREATE INDEX approval_completes ON approval(content_hash) WHERE completes = 1;

CREATE TABLE screening_pass (
    id INTEGER PRIMARY KEY,
    slip_id INTEGER NOT NULL REFERENCES approval_slip(id),
    content_hash TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    kind TEXT NOT NULL,
    field TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    reviewer_id INTEGER NOT NULL REFERENCES user(id),
    at_utc TEXT NOT NULL
);
CREATE INDEX screening_pass_slip ON screening_pass(slip_id);

CREATE TRIGGER approval_slip_no_update BEFORE UPDATE ON approval_slip
BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER approval_slip_no_delete BEFORE DELETE ON approval_slip
BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER approval_no_update BEFORE UPDATE ON approval
BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER approval_no_delete BEFORE DELETE ON approval
BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER screening_pass_no_update BEFORE UPDATE ON screening_pass
BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER screening_pass_no_delete BEFORE DELETE ON screening_pass
BEGIN SELECT RAISE(ABORT, 'append-only'); END;
"""

GATE_TRIGGERS_7 = """
CREATE TRIGGER notice_publish_gate BEFORE UPDATE OF status ON notice
WHEN NEW.status = '已公开' AND NOT EXISTS (
    SELECT 1 FROM approval a JOIN approval_slip s ON s.id = a.slip_id
    WHERE a.completes = 1 AND a.content_hash = NEW.content_hash AND s.notice_id = NEW.id
      AND NOT EXISTS (SELECT 1 FROM approval x WHERE x.slip_id = s.id AND x.kind = 'supersede'))
BEGIN SELECT RAISE(ABORT, 'unapproved-content'); END;

CREATE TRIGGER posting_publish_gate BEFORE INSERT ON posting
WHEN NOT EXISTS (
    SELECT 1 FROM notice n JOIN approval_slip s ON s.notice_id = n.id
    JOIN approval a ON a.slip_id = s.id
    WHERE n.id = NEW.notice_id AND a.completes = 1 AND a.content_hash = n.content_hash
      AND NOT EXISTS (SELECT 1 FROM approval x WHERE x.slip_id = s.id AND x.kind = 'supersede'))
BEGIN SELECT RAISE(ABORT, 'unapproved-content'); END;

CREATE TRIGGER notice_content_needs_new_hash BEFORE UPDATE ON notice
WHEN NEW.content_hash = OLD.content_hash AND (
    NEW.title IS NOT OLD.title OR NEW.body IS NOT OLD.body
    OR NEW.doc_number IS NOT OLD.doc_number OR NEW.category_id IS NOT OLD.category_id
    OR NEW.disclosure IS NOT OLD.disclosure OR NEW.withhold_ground IS NOT OLD.withhold_ground
    OR NEW.unit_id IS NOT OLD.unit_id OR NEW.community_id IS NOT OLD.community_id
    OR NEW.formed_on IS NOT OLD.formed_on OR NEW.period_start IS NOT OLD.period_start
    OR NEW.period_end IS NOT OLD.period_end OR NEW.period_unit IS NOT OLD.period_unit
    OR NEW.note IS NOT OLD.note)
BEGIN SELECT RAISE(ABORT, 'content-changed-without-hash'); END;

CREATE TRIGGER notice_published_content_frozen BEFORE UPDATE OF content_hash ON notice
WHEN OLD.status = '已公开' AND NEW.content_hash IS NOT OLD.content_hash
BEGIN SELECT RAISE(ABORT, 'published-content'); END;
"""


@migrations(name="0007_approval_slips")
def m0007_approval_slips(db: Database) -> None:
    from govdesk import __version__
    from govdesk.core.approvals import content_hash, notice_content
    from govdesk.core.audit import canonical_json

    db.executescript(SCHEMA_7)
    now = db.execute("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')").fetchone()[0]
    cols = ("id", "title", "body", "doc_number", "category_id", "disclosure", "withhold_ground",
            "unit_id", "community_id", "formed_on", "period_start", "period_end", "period_unit",
            "note", "status", "created_by")
    channels: dict[int, list[int]] = {}
    for nid, cid in db.execute("SELECT notice_id, channel_id FROM notice_channel"):
        channels.setdefault(nid, []).append(cid)
    rows = [dict(zip(cols, r, strict=True))
            for r in db.execute(f"SELECT {', '.join(cols)} FROM notice ORDER BY id")]
    seq_by_year: dict[str, int] = {}
    for row in rows:
        content = notice_content(row, channels.get(row["id"], ()))
        digest = content_hash(content)
        db.execute("UPDATE notice SET content_hash = ? WHERE id = ?", [digest, row["id"]])
        if row["status"] in ("草稿",):
            continue
        # Notices approved before slips existed keep their approval as a recorded one; notices
        # waiting for approval get a slip on the default chain, as if submitted now.
        year = now[:4]
        seq_by_year[year] = seq_by_year.get(year, 0) + 1
        number = f"SP{year}-{seq_by_year[year]:04d}"
        pending = row["status"] == "待审批"
        chain = ["UNIT_HEAD", "SECRECY", "DEPUTY", "PRINCIPAL"] if pending else []
        cur = db.execute(
            "INSERT INTO approval_slip (number, notice_id, notice_version, content_hash, content,"
            " chain, drafter_id, created_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?)",
            [number, row["id"], digest, canonical_json(content), canonical_json(chain),
             row["created_by"], now],
        )
        db.execute(
            "INSERT INTO approval (slip_id, kind, opinion, actor_id, content_hash, completes,"
            " at_utc, app_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [cur.lastrowid, "submit" if pending else "record",
             "" if pending else "升级前已审批", row["created_by"], digest,
             0 if pending else 1, now, __version__],
        )
    db.executescript(GATE_TRIGGERS_7)


# 月抽查、季考核 (community assessment). A `scheme` (考核细则) is one version of a year's indicator
# tree, stored whole as canonical JSON (core.scoring.scheme_to_json) with the quarter rule, the
# 等次 thresholds and the year-end weight it is applied with; `current` marks the version new
# checks use. A scheme that a check refers to is frozen (copy it to change it): the triggers
# refuse to change or delete it, so an old quarter always recomputes to what was circulated.
# `spot_check` is one check of one community (a 月抽查: at most one per community and month; or
# a separate 季度检查), `deduction` its 扣分 lines in entry order and `check_veto` its 否决项
# findings; `adjustment` holds a quarter's 加分 and 扣分 items, and `bulletin` the office's
# edited 通报 text of a quarter so nothing typed is lost.
SCHEMA_8 = """
CREATE TABLE scheme (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    version INTEGER NOT NULL CHECK (version >= 1),
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    monthly_weight TEXT NOT NULL DEFAULT '1',
    grade_excellent TEXT NOT NULL DEFAULT '90',
    grade_good TEXT NOT NULL DEFAULT '80',
    grade_pass TEXT NOT NULL DEFAULT '60',
    year_end_weight TEXT NOT NULL DEFAULT '5',
    current INTEGER NOT NULL DEFAULT 0 CHECK (current IN (0, 1)),
    copied_from INTEGER REFERENCES scheme(id),
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (year, version)
);
CREATE UNIQUE INDEX scheme_current ON scheme(year) WHERE current = 1;

CREATE TABLE spot_check (
    id INTEGER PRIMARY KEY,
    scheme_id INTEGER NOT NULL REFERENCES scheme(id),
    community_id INTEGER NOT NULL REFERENCES community(id),
    year INTEGER NOT NULL,
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    kind TEXT NOT NULL DEFAULT '月抽查' CHECK (kind IN ('月抽查', '季度检查')),
    checker TEXT NOT NULL DEFAULT '',
    checked_on TEXT,
    source TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX spot_check_monthly ON spot_check(community_id, year, month)
    WHERE kind = '月抽查';
CREATE INDEX spot_check_period ON spot_check(year, month);
CREATE INDEX spot_check_scheme ON spot_check(scheme_id);

CREATE TABLE deduction (
    id INTEGER PRIMARY KEY,
    check_id INTEGER NOT NULL REFERENCES spot_check(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    indicator_code TEXT NOT NULL,
    rule INTEGER,
    count INTEGER,
    points TEXT,
    reason TEXT NOT NULL,
    photo TEXT NOT NULL DEFAULT '',
    posting_id INTEGER REFERENCES posting(id),
    auto TEXT,
    CHECK ((count IS NULL) <> (points IS NULL))
);
CREATE INDEX deduction_check ON deduction(check_id, seq);

CREATE TABLE check_veto (
    id INTEGER PRIMARY KEY,
    check_id INTEGER NOT NULL REFERENCES spot_check(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    photo TEXT NOT NULL DEFAULT ''
);
CREATE INDEX check_veto_check ON check_veto(check_id);

CREATE TABLE adjustment (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES community(id),
    year INTEGER NOT NULL,
    quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    item_code TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL
);
CREATE INDEX adjustment_period ON adjustment(year, quarter);

CREATE TABLE bulletin (
    year INTEGER NOT NULL,
    quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    text TEXT NOT NULL,
    updated_by INTEGER REFERENCES user(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (year, quarter)
);

CREATE TRIGGER scheme_in_use_frozen
BEFORE UPDATE OF year, name, body, monthly_weight, grade_excellent, grade_good, grade_pass,
    year_end_weight ON scheme
WHEN EXISTS (SELECT 1 FROM spot_check WHERE scheme_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'scheme-in-use'); END;
CREATE TRIGGER scheme_in_use_kept BEFORE DELETE ON scheme
WHEN EXISTS (SELECT 1 FROM spot_check WHERE scheme_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'scheme-in-use'); END;
CREATE TRIGGER spot_check_scheme_year BEFORE INSERT ON spot_check
WHEN (SELECT year FROM scheme WHERE id = NEW.scheme_id) IS NOT NEW.year
BEGIN SELECT RAISE(ABORT, 'scheme-year'); END;
CREATE TRIGGER spot_check_scheme_year_update BEFORE UPDATE OF scheme_id, year ON spot_check
WHEN (SELECT year FROM scheme WHERE id = NEW.scheme_id) IS NOT NEW.year
BEGIN SELECT RAISE(ABORT, 'scheme-year'); END;
"""


@migrations(name="0008_assessment")
def m0008_assessment(db: Database) -> None:
    db.executescript(SCHEMA_8)


# 依申请公开 and the annual report. `request` is one 政府信息公开申请: how and when it arrived
# (the 收到申请之日 of 条例第三十一条 is stored as computed, for the queries and the 年报), who
# applied (personal information: shown only to the roles that handle applications, never in
# statistics), what was asked, and, once closed, its 办理结果 as a 表三 row code. The legal clock
# is not stored: `request_event` holds its dated facts and core.requests.ledger derives the due
# dates from them and the working-day calendar, so a change of holiday data re-dates open
# applications by itself. `request_letter` keeps each letter's edited text; `review_case` the
# 行政复议 / 行政诉讼 cases (年报 表四); `annual_report` a year's edited texts and the figures the
# office enters for 表二. A notice may be a 规章 or 行政规范性文件 (表二 counts them) and records
# the day it 失效 (本年废止件数).
SCHEMA_9 = """
CREATE TABLE request (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    channel TEXT NOT NULL
        CHECK (channel IN ('当面', '邮寄', '平常信函', '互联网/网上', '传真', '电子邮件')),
    submitted_on TEXT NOT NULL,
    signed_on TEXT,
    confirmed_on TEXT,
    received_on TEXT NOT NULL,
    applicant_kind TEXT NOT NULL CHECK (applicant_kind IN
        ('自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他')),
    applicant_name TEXT NOT NULL,
    applicant_contact TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL,
    handler_id INTEGER REFERENCES user(id),
    outcome TEXT,
    outcome_detail TEXT NOT NULL DEFAULT '',
    closed_on TEXT,
    import_key TEXT UNIQUE,
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (year, seq),
    CHECK ((outcome IS NULL) = (closed_on IS NULL))
);
CREATE INDEX request_received ON request(received_on);
CREATE INDEX request_closed ON request(closed_on);

CREATE TABLE request_event (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES request(id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    days INTEGER NOT NULL DEFAULT 0,
    until TEXT,
    approver TEXT NOT NULL DEFAULT '',
    approved_on TEXT,
    party TEXT NOT NULL DEFAULT '',
    consultee TEXT,
    delivered_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL
);
CREATE INDEX request_event_request ON request_event(request_id, on_date);

CREATE TABLE request_letter (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES request(id),
    kind TEXT NOT NULL,
    outcome TEXT,
    text TEXT NOT NULL,
    sent_on TEXT,
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX request_letter_request ON request_letter(request_id);

CREATE TABLE review_case (
    id INTEGER PRIMARY KEY,
    request_id INTEGER REFERENCES request(id),
    kind TEXT NOT NULL CHECK (kind IN ('行政复议', '未经复议直接起诉', '复议后起诉')),
    filed_on TEXT NOT NULL,
    result TEXT NOT NULL DEFAULT '尚未审结'
        CHECK (result IN ('结果维持', '结果纠正', '其他结果', '尚未审结')),
    decided_on TEXT,
    authority TEXT NOT NULL DEFAULT '',
    case_number TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((result = '尚未审结') = (decided_on IS NULL))
);
CREATE INDEX review_case_filed ON review_case(filed_on);

CREATE TABLE annual_report (
    year INTEGER PRIMARY KEY,
    overview TEXT,
    problems TEXT,
    other TEXT,
    figures TEXT NOT NULL DEFAULT '{}',
    dated TEXT,
    updated_by INTEGER REFERENCES user(id),
    updated_at TEXT NOT NULL
);

ALTER TABLE notice ADD COLUMN doc_kind TEXT NOT NULL DEFAULT ''
    CHECK (doc_kind IN ('', '规章', '行政规范性文件'));
ALTER TABLE notice ADD COLUMN expired_on TEXT;
"""


@migrations(name="0009_requests_and_annual_report")
def m0009_requests_and_annual_report(db: Database) -> None:
    db.executescript(SCHEMA_9)
    # Notices that 失效 before this version have no date of it: the day they were last changed
    # is the best the record holds (the 操作日志 has the exact one).
    db.execute("UPDATE notice SET expired_on = substr(updated_at, 1, 10)"
               " WHERE status = '已失效' AND expired_on IS NULL")


# 依申请公开 letters go through approval slips like notices (issue 6, item 3). A slip's subject
# is now either a notice or a saved letter (request_letter), never both: approval_slip is rebuilt
# with a nullable notice_id and a letter_id (SQLite cannot change a column's NOT NULL in place).
# A letter carries the content hash of its text and a version, computed by the store on every
# write like a notice's. The gate is enforced here too: a letter that needs approval is recorded
# as sent only when a completed, not superseded approval exists for its current hash; its text
# changes only with a new hash; a sent letter's text is frozen; a letter on a slip is never
# deleted. Letters already recorded as sent before this version keep that as a recorded (补录)
# approval, as notices did in 0007.
SCHEMA_10_SLIPS = """
CREATE TABLE approval_slip_new (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    notice_id INTEGER REFERENCES notice(id),
    letter_id INTEGER REFERENCES request_letter(id),
    notice_version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    content TEXT NOT NULL,
    chain TEXT NOT NULL,
    drafter_id INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL,
    CHECK ((notice_id IS NULL) <> (letter_id IS NULL))
);
INSERT INTO approval_slip_new (id, number, notice_id, letter_id, notice_version, content_hash,
    content, chain, drafter_id, created_at)
    SELECT id, number, notice_id, NULL, notice_version, content_hash, content, chain, drafter_id,
    created_at FROM approval_slip;
DROP TABLE approval_slip;
ALTER TABLE approval_slip_new RENAME TO approval_slip;
CREATE INDEX approval_slip_notice ON approval_slip(notice_id, id);
CREATE INDEX approval_slip_letter ON approval_slip(letter_id, id);
CREATE TRIGGER approval_slip_no_update BEFORE UPDATE ON approval_slip
BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER approval_slip_no_delete BEFORE DELETE ON approval_slip
BEGIN SELECT RAISE(ABORT, 'append-only'); END;
ALTER TABLE request_letter ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE request_letter ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
"""

LETTER_GATE_TRIGGERS_10 = """
CREATE TRIGGER request_letter_send_gate BEFORE UPDATE OF sent_on ON request_letter
WHEN NEW.sent_on IS NOT NULL AND NEW.kind != '受理回执' AND NOT EXISTS (
    SELECT 1 FROM approval a JOIN approval_slip s ON s.id = a.slip_id
    WHERE a.completes = 1 AND a.content_hash = NEW.content_hash AND s.letter_id = NEW.id
      AND NOT EXISTS (SELECT 1 FROM approval x WHERE x.slip_id = s.id AND x.kind = 'supersede'))
BEGIN SELECT RAISE(ABORT, 'unapproved-letter'); END;

CREATE TRIGGER request_letter_text_needs_new_hash BEFORE UPDATE ON request_letter
WHEN NEW.content_hash = OLD.content_hash AND (NEW.text IS NOT OLD.text
    OR NEW.kind IS NOT OLD.kind OR NEW.outcome IS NOT OLD.outcome
    OR NEW.request_id IS NOT OLD.request_id)
BEGIN SELECT RAISE(ABORT, 'content-changed-without-hash'); END;

CREATE TRIGGER request_letter_sent_frozen BEFORE UPDATE OF content_hash ON request_letter
WHEN OLD.sent_on IS NOT NULL AND NEW.content_hash IS NOT OLD.content_hash
BEGIN SELECT RAISE(ABORT, 'sent-letter'); END;

CREATE TRIGGER request_letter_on_slip_kept BEFORE DELETE ON request_letter
WHEN EXISTS (SELECT 1 FROM approval_slip s WHERE s.letter_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'letter-on-slip'); END;
"""


def _statements(script: str) -> list[str]:
    """A script split into complete statements (trigger bodies included), so a migration can
    run them one by one inside its transaction: executescript would commit first."""
    import sqlite3

    out: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            out.append(pending.strip())
            pending = ""
    assert not pending.strip(), pending
    return out


@migrations(name="0010_letter_approval_slips")
def m0010_letter_approval_slips(db: Database) -> None:
    from govdesk import __version__
    from govdesk.core.approvals import content_hash
    from govdesk.core.audit import canonical_json
    from govdesk.core.letters import letter_content

    # The renamed table keeps the name the gate triggers of 0007 (on notice and posting) and
    # the foreign keys of approval and screening_pass refer to: with the legacy behaviour the
    # rename does not try to rewrite (or validate) those references.
    db.execute("PRAGMA legacy_alter_table=ON")
    try:
        for statement in _statements(SCHEMA_10_SLIPS):
            db.execute(statement)
    finally:
        db.execute("PRAGMA legacy_alter_table=OFF")
    now = db.execute("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')").fetchone()[0]
    year = now[:4]
    last = db.execute("SELECT number FROM approval_slip WHERE number LIKE ?"
                      " ORDER BY number DESC LIMIT 1", [f"SP{year}-%"]).fetchone()
    seq = int(last[0][len(f"SP{year}-"):]) if last else 0
    rows = db.execute("SELECT id, request_id, kind, outcome, text, sent_on, created_by"
                      " FROM request_letter ORDER BY id").fetchall()
    for letter_id, request_id, kind, outcome, text, sent_on, created_by in rows:
        content = letter_content(request_id, kind, outcome, text)
        digest = content_hash(content)
        db.execute("UPDATE request_letter SET content_hash = ? WHERE id = ?", [digest, letter_id])
        if sent_on is None or kind == "受理回执":
            continue
        seq += 1
        cur = db.execute(
            "INSERT INTO approval_slip (number, letter_id, notice_version, content_hash, content,"
            " chain, drafter_id, created_at) VALUES (?, ?, 1, ?, ?, '[]', ?, ?)",
            [f"SP{year}-{seq:04d}", letter_id, digest, canonical_json(content), created_by, now],
        )
        db.execute(
            "INSERT INTO approval (slip_id, kind, opinion, actor_id, content_hash, completes,"
            " at_utc, app_version) VALUES (?, 'record', '升级前已发出', ?, ?, 1, ?, ?)",
            [cur.lastrowid, created_by, digest, now, __version__],
        )
    for statement in _statements(LETTER_GATE_TRIGGERS_10):
        db.execute(statement)


# Consultation letters (第三方意见征询函, and the 征求意见函 to another agency under 条例第三十四条)
# go to each party consulted: a letter names its party, and the office keeps one letter per
# application, kind and party (a reply stays one per 办理结果). Existing consultation letters
# are addressed on their 主送 line, which is the party's name.
@migrations(name="0011_letter_party")
def m0011_letter_party(db: Database) -> None:
    db.execute("ALTER TABLE request_letter ADD COLUMN party TEXT NOT NULL DEFAULT ''")
    rows = db.execute("SELECT id, text FROM request_letter WHERE kind = '第三方意见征询函'").fetchall()
    for letter_id, text in rows:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        party = lines[1].rstrip("：:").strip() if len(lines) > 1 else ""
        # (the text and its hash are unchanged: the trigger of 0010 only asks for a new hash
        # when the text changes)
        db.execute("UPDATE request_letter SET party = ? WHERE id = ?", [party, letter_id])


def known_names() -> list[str]:
    return [m.name for m in migrations._migrations]
from govdesk.store import migrations_0012_registers  # noqa: E402,F401,I001  (0012)
from govdesk.store import migrations_0013_work_plan  # noqa: E402,F401  (0013)
from govdesk.store import migrations_0014_plan_report  # noqa: E402,F401  (0014)
