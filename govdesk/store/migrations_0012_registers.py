"""0012: the four registers that feed the reports (issue 8 §4) — 政策解读, 舆情与热线, 建议提案,
培训与会议. Kept in its own module (registered by one import line at the end of migrations.py)
so that parallel work on later steps does not touch the same lines; the step, once shipped, is
never edited.

Editable registers: rows are corrected and deleted (operations take a backup first), so there are
no append-only triggers. The CHECKs repeat what core.registers validates, so that no code path
can store an impossible row: an entry is handled by a unit or by a community, never both; a case
is closed, fed back and rated in that order; dates are ISO days. ``import_key`` identifies a row
that came from an imported sheet (importing the same sheet again skips it, target I5).
"""

from __future__ import annotations

from sqlite_utils import Database

from govdesk.store.migrations import migrations

_DAY = "GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"

SCHEMA_12 = f"""
CREATE TABLE policy_interpretation (
    id INTEGER PRIMARY KEY,
    published_on TEXT NOT NULL CHECK (published_on {_DAY}),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    form TEXT NOT NULL CHECK (form IN ('文字', '图解', '音视频', '在线访谈', '新闻发布会')),
    notice_id INTEGER REFERENCES notice(id) ON DELETE SET NULL,
    policy_title TEXT NOT NULL DEFAULT '',
    unit_id INTEGER REFERENCES unit(id),
    community_id INTEGER REFERENCES community(id),
    note TEXT NOT NULL DEFAULT '',
    import_key TEXT UNIQUE,
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (unit_id IS NULL OR community_id IS NULL),
    CHECK (notice_id IS NOT NULL OR length(trim(policy_title)) > 0)
);
CREATE INDEX policy_interpretation_date ON policy_interpretation(published_on);
CREATE INDEX policy_interpretation_notice ON policy_interpretation(notice_id);

CREATE TABLE hotline_case (
    id INTEGER PRIMARY KEY,
    received_on TEXT NOT NULL CHECK (received_on {_DAY}),
    channel TEXT NOT NULL CHECK (length(trim(channel)) BETWEEN 1 AND 20),
    case_number TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL CHECK (length(trim(subject)) > 0),
    unit_id INTEGER REFERENCES unit(id),
    community_id INTEGER REFERENCES community(id),
    due_on TEXT NOT NULL CHECK (due_on {_DAY} AND due_on >= received_on),
    closed_on TEXT CHECK (closed_on IS NULL OR (closed_on {_DAY} AND closed_on >= received_on)),
    fed_back INTEGER NOT NULL DEFAULT 0 CHECK (fed_back IN (0, 1)),
    satisfaction TEXT NOT NULL DEFAULT '未评价'
        CHECK (satisfaction IN ('满意', '基本满意', '不满意', '未评价')),
    note TEXT NOT NULL DEFAULT '',
    import_key TEXT UNIQUE,
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((unit_id IS NULL) <> (community_id IS NULL)),
    CHECK (closed_on IS NOT NULL OR (fed_back = 0 AND satisfaction = '未评价'))
);
CREATE INDEX hotline_case_received ON hotline_case(received_on);
CREATE INDEX hotline_case_channel ON hotline_case(channel, received_on);
-- the dashboard's overdue cases: open ones by deadline
CREATE INDEX hotline_case_open ON hotline_case(due_on) WHERE closed_on IS NULL;

CREATE TABLE proposal (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('人大代表建议', '政协委员提案')),
    number TEXT NOT NULL CHECK (length(trim(number)) > 0),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    lead TEXT NOT NULL DEFAULT '',
    received_on TEXT NOT NULL CHECK (received_on {_DAY}),
    unit_id INTEGER REFERENCES unit(id),
    community_id INTEGER REFERENCES community(id),
    replied_on TEXT CHECK (replied_on IS NULL OR (replied_on {_DAY}
                                                   AND replied_on >= received_on)),
    satisfaction TEXT CHECK (satisfaction IS NULL OR (replied_on IS NOT NULL
                             AND satisfaction IN ('满意', '基本满意', '不满意'))),
    note TEXT NOT NULL DEFAULT '',
    import_key TEXT UNIQUE,
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((unit_id IS NULL) <> (community_id IS NULL))
);
CREATE INDEX proposal_received ON proposal(received_on);
-- 编号 restart every year: unique per kind and year of 交办
CREATE UNIQUE INDEX proposal_number ON proposal(kind, substr(received_on, 1, 4), number);

CREATE TABLE meeting (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('培训', '领导小组会议', '专题会议')),
    held_on TEXT NOT NULL CHECK (held_on {_DAY}),
    topic TEXT NOT NULL CHECK (length(trim(topic)) > 0),
    participants INTEGER NOT NULL DEFAULT 0 CHECK (participants >= 0),
    unit_id INTEGER REFERENCES unit(id),
    community_id INTEGER REFERENCES community(id),
    note TEXT NOT NULL DEFAULT '',
    import_key TEXT UNIQUE,
    created_by INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (unit_id IS NULL OR community_id IS NULL)
);
CREATE INDEX meeting_held ON meeting(held_on);
"""


@migrations(name="0012_registers")
def m0012_registers(db: Database) -> None:
    db.executescript(SCHEMA_12)
