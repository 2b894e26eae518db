"""Regenerate tests/fixtures/schemas/: one small database for every schema version (target D11).

    python scripts/make_schema_fixtures.py [--out tests/fixtures/schemas]

Each fixture ``<migration name>.db`` is built the way an office's database grew: the migrations
are applied one at a time (``migrations.apply(db, stop_before=...)``) and, after each, rows of
the kinds that version introduced are written with plain SQL against *that* version's schema
(never through today's store code, whose columns may be newer): the township, units,
communities, boards, users, notices (draft, published, withdrawn) with channels, postings and
search rows, index counters, a calendar override and hash-chained audit entries from 0001; an
approval slip in progress from 0007 (the published notices get theirs from 0007's own backfill);
a scoring scheme, spot checks with deductions, an adjustment and a bulletin from 0008;
applications with events and letters (a sent reply, an acknowledgement, a consultation letter)
and an annual report from 0009; a row in each register from 0012 (a closed and an open hotline
case); a plan with sections, tasks in two states, owners, a note and evidence from 0013; an edited
落实情况 report from 0014. So the fixture of version N holds everything written up to N, and
migrating it exercises every later step on real rows.

Deterministic: fixed dates, fixed password hashes, fixed migration timestamps; rerunning gives
the same rows (the files may differ in free pages). Each file is VACUUMed, in rollback-journal
mode and well under 1 MB. Add the newest migration's fixture when a migration is added.
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from govdesk.store import audit_store, search
from govdesk.store.migrations import known_names, migrations

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "schemas"
TS = "2024-03-0{}T0{}:00:00+00:00"
HASH = "pbkdf2_sha256$1$fixture$not-a-real-password"


def _audit(db: Database, n: int, action: str, object_type: str, object_id: object,
           **payload: object) -> None:
    audit_store.append(db, ts_utc=f"2024-03-{1 + n // 20:02d}T{n % 20:02d}:00:00+00:00",
                       actor_id=1, action=action, object_type=object_type,
                       object_id=object_id, payload=payload)


def _next_audit(db: Database) -> int:
    return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def stage_0001(db: Database) -> None:
    x = db.execute
    x("UPDATE township SET full_name = '青山镇人民政府', short_name = '青山镇',"
      " credit_code = '11370000MB1234567X', address = '青山镇人民路1号', phone = '0537-1234567'"
      " WHERE id = 1")
    x("INSERT INTO setting (key, value) VALUES ('office_name', '青山镇党政办公室')")
    x("INSERT INTO unit (id, name, sort) VALUES (101, '青山镇便民服务中心', 90)")
    x("INSERT INTO community (id, name, kind) VALUES (1, '柳河村', '村'), (2, '云溪社区', '社区')")
    x("INSERT INTO board (id, code, name, kind, location, community_id) VALUES"
      " (1, 'LH-01', '柳河村村务公开栏', '村务公开栏', '村委会门口', 1),"
      " (2, 'YX-01', '云溪社区居务公开栏', '居务公开栏', '社区服务中心', 2)")
    x("INSERT INTO category (id, name, publish_limit_days) VALUES (101, '村务公开', 20)")
    x("INSERT INTO channel (id, name) VALUES (101, '政务服务网')")
    for uid, login, name, role in ((1, "admin", "管理员", "admin"), (2, "clerk", "刘欣", "clerk"),
                                   (3, "leader", "陈志远", "principal_leader")):
        x("INSERT INTO user (id, login, name, role, unit_id, password_hash, created_at)"
          " VALUES (?, ?, ?, ?, 101, ?, '2024-03-01T00:00:00+00:00')",
          [uid, login, name, role, HASH])
    notices = [
        (1, "QS/2024-00001", "关于柳河村2024年低保对象的公示", "经村民代表会议评议，拟定低保对象3户。",
         "已公开", "2024-03-02"),
        (2, "QS/2024-00002", "关于云溪社区道路维修的通知", "3月10日至3月20日维修云溪路。", "已撤下",
         "2024-03-03"),
        (3, "QS/2024-00003", "青山镇2024年财政预算公开", "", "草稿", None),
        (4, "QS/2024-00004", "关于柳河村集体资产租赁的公示", "租赁期限三年。", "已公开", "2024-03-05"),
    ]
    for nid, index, title, body, status, published in notices:
        x("INSERT INTO notice (id, index_number, title, body, category_id, unit_id, community_id,"
          " formed_on, publish_due, period_start, period_end, period_unit, status, published_on,"
          " year, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 101, 101, ?,"
          " '2024-03-01', '2024-03-21', ?, ?, ?, ?, ?, 2024, 2, '2024-03-01T02:00:00+00:00',"
          " '2024-03-01T02:00:00+00:00')",
          [nid, index, title, body, 1 + nid % 2, published, "2024-03-12" if published else None,
           "天" if published else None, status, published])
        x("INSERT INTO notice_channel (notice_id, channel_id) VALUES (?, 101)", [nid])
        x("INSERT INTO notice_search (rowid, grams) VALUES (?, ?)",
          [nid, search.grams(title, body, "", index)])
    x("INSERT INTO index_counter (year, last_seq) VALUES (2024, 4)")
    x("INSERT INTO posting (id, notice_id, board_id, posted_on, planned_removal, removed_on,"
      " posted_by, removed_by, created_at) VALUES"
      " (1, 1, 1, '2024-03-02', '2024-03-12', NULL, 2, NULL, '2024-03-02T01:00:00+00:00'),"
      " (2, 2, 2, '2024-03-03', '2024-03-13', '2024-03-13', 2, 2, '2024-03-03T01:00:00+00:00'),"
      " (3, 4, 1, '2024-03-05', '2024-03-15', NULL, 2, NULL, '2024-03-05T01:00:00+00:00')")
    x("INSERT INTO calendar_override (day, is_workday, note) VALUES ('2024-02-04', 1, '调休上班')")
    for nid, *_ in notices:
        _audit(db, _next_audit(db), "create", "notice", nid, title=notices[nid - 1][2])
    for pid in (1, 2, 3):
        _audit(db, _next_audit(db), "post", "posting", pid)


def stage_0007(db: Database) -> None:
    # A draft submitted for approval: a slip in progress (published notices got 'record' slips
    # from 0007's backfill).
    from govdesk.core.approvals import content_hash, notice_content
    from govdesk.core.audit import canonical_json

    x = db.execute
    x("INSERT INTO notice (id, index_number, title, body, category_id, unit_id, community_id,"
      " formed_on, publish_due, status, year, created_by, created_at, updated_at) VALUES"
      " (5, 'QS/2024-00005', '关于云溪社区老旧小区改造的公示', '改造范围为云溪小区1至6号楼。', 101,"
      " 101, 2, '2024-04-01', '2024-04-21', '待审批', 2024, 2, '2024-04-01T02:00:00+00:00',"
      " '2024-04-01T02:00:00+00:00')")
    x("INSERT INTO notice_search (rowid, grams) VALUES (5, ?)",
      [search.grams("关于云溪社区老旧小区改造的公示", "改造范围为云溪小区1至6号楼。", "",
                    "QS/2024-00005")])
    x("UPDATE index_counter SET last_seq = 5 WHERE year = 2024")
    row = db.execute("SELECT * FROM notice WHERE id = 5").fetchone()
    cols = [d[0] for d in db.execute("SELECT * FROM notice LIMIT 0").description]
    content = notice_content(dict(zip(cols, row, strict=True)), [101])
    x("INSERT INTO notice_channel (notice_id, channel_id) VALUES (5, 101)")
    digest = content_hash(content)
    x("UPDATE notice SET content_hash = ? WHERE id = 5", [digest])
    cur = x("INSERT INTO approval_slip (number, notice_id, notice_version, content_hash, content,"
            " chain, drafter_id, created_at) VALUES ('SP2024-0101', 5, 1, ?, ?, '[]', 2,"
            " '2024-04-01T03:00:00+00:00')", [digest, canonical_json(content)])
    x("INSERT INTO approval (slip_id, kind, opinion, actor_id, content_hash, completes, at_utc,"
      " app_version) VALUES (?, 'submit', '请审批', 2, ?, 0, '2024-04-01T03:00:00+00:00',"
      " 'fixture')", [cur.lastrowid, digest])
    _audit(db, _next_audit(db), "submit", "approval_slip", cur.lastrowid)


def stage_0008(db: Database) -> None:
    x = db.execute
    x("INSERT INTO scheme (id, year, version, name, body, current, created_by, created_at,"
      " updated_at) VALUES (1, 2024, 1, '青山镇2024年村务公开考核办法', '{}', 1, 1,"
      " '2024-01-05T00:00:00+00:00', '2024-01-05T00:00:00+00:00')")
    for cid, community, month in ((1, 1, 3), (2, 2, 3)):
        x("INSERT INTO spot_check (id, scheme_id, community_id, year, month, kind, checker,"
          " checked_on, created_by, created_at, updated_at) VALUES (?, 1, ?, 2024, ?, '月抽查',"
          " '刘欣', '2024-03-28', 2, '2024-03-28T02:00:00+00:00', '2024-03-28T02:00:00+00:00')",
          [cid, community, month])
    x("INSERT INTO deduction (check_id, seq, indicator_code, rule, count, points, reason,"
      " posting_id) VALUES (1, 1, 'A1', '逾期未撤', 1, NULL, '公示期满未撤下', 1),"
      " (2, 1, 'B2', '', NULL, 0.5, '公开栏破损', NULL)")
    x("INSERT INTO adjustment (community_id, year, quarter, item_code, reason, created_by,"
      " created_at) VALUES (2, 2024, 1, 'B2', '已整改', 1, '2024-04-02T00:00:00+00:00')")
    x("INSERT INTO bulletin (year, quarter, text, updated_by, updated_at) VALUES"
      " (2024, 1, '一季度村务公开考核情况通报。', 1, '2024-04-03T00:00:00+00:00')")
    _audit(db, _next_audit(db), "score", "spot_check", 1)


def stage_0009(db: Database) -> None:
    x = db.execute
    x("INSERT INTO request (id, number, year, seq, channel, submitted_on, received_on,"
      " applicant_kind, applicant_name, applicant_contact, content, handler_id, outcome,"
      " closed_on, created_by, created_at, updated_at) VALUES"
      " (1, '依申请〔2024〕1号', 2024, 1, '当面', '2024-05-06', '2024-05-06', '自然人', '张某',"
      " '138****0000', '申请公开柳河村2023年集体收支明细。', 2, '1', '2024-05-20', 2,"
      " '2024-05-06T01:00:00+00:00', '2024-05-20T01:00:00+00:00'),"
      " (2, '依申请〔2024〕2号', 2024, 2, '邮寄', '2024-06-01', '2024-06-03', '商业企业',"
      " '青山建材有限公司', '', '申请公开云溪路维修工程合同。', 2, NULL, NULL, 2,"
      " '2024-06-03T01:00:00+00:00', '2024-06-03T01:00:00+00:00')")
    x("INSERT INTO request_event (request_id, kind, on_date, party, note, created_by, created_at)"
      " VALUES (1, '受理', '2024-05-06', '', '', 2, '2024-05-06T01:00:00+00:00'),"
      " (2, '征求第三方意见', '2024-06-05', '云溪路施工单位', '', 2, '2024-06-05T01:00:00+00:00')")
    letters = [
        (1, "受理回执", None, "张某：\n您的申请已收到。", "2024-05-06"),
        (1, "答复书", "1", "张某：\n经审查，现予以公开。", "2024-05-20"),
        (2, "第三方意见征询函", None, "关于征求意见的函\n云溪路施工单位：\n请于十五个工作日内回复。", None),
    ]
    for request_id, kind, outcome, text, sent_on in letters:
        x("INSERT INTO request_letter (request_id, kind, outcome, text, sent_on, created_by,"
          " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 2, '2024-05-06T01:00:00+00:00',"
          " '2024-05-06T01:00:00+00:00')", [request_id, kind, outcome, text, sent_on])
    x("INSERT INTO annual_report (year, overview, updated_by, updated_at) VALUES"
      " (2024, '2024年青山镇政府信息公开工作总体情况。', 1, '2025-01-10T00:00:00+00:00')")
    _audit(db, _next_audit(db), "create", "request", 1)
    _audit(db, _next_audit(db), "create", "request", 2)


def stage_0012(db: Database) -> None:
    x = db.execute
    t = "2024-07-01T01:00:00+00:00"
    x("INSERT INTO policy_interpretation (id, published_on, title, form, notice_id, unit_id,"
      " created_by, created_at, updated_at) VALUES"
      " (1, '2024-07-01', '图解：柳河村集体收支公开', '图解', 1, 101, 2, ?, ?)", [t, t])
    x("INSERT INTO hotline_case (id, received_on, channel, case_number, subject, community_id,"
      " due_on, closed_on, fed_back, satisfaction, created_by, created_at, updated_at) VALUES"
      " (1, '2024-07-02', '12345热线', 'GD2024070201', '云溪路路灯不亮', 2, '2024-07-09',"
      " '2024-07-05', 1, '满意', 2, ?, ?),"
      " (2, '2024-07-03', '书记信箱', '', '柳河村垃圾清运不及时', 1, '2024-07-24', NULL, 0,"
      " '未评价', 2, ?, ?)", [t, t, t, t])
    x("INSERT INTO proposal (id, kind, number, title, lead, received_on, unit_id, replied_on,"
      " satisfaction, created_by, created_at, updated_at) VALUES"
      " (1, '人大代表建议', '3', '关于完善村务公开栏的建议', '王代表', '2024-03-10', 101,"
      " '2024-05-08', '满意', 2, ?, ?)", [t, t])
    x("INSERT INTO meeting (id, kind, held_on, topic, participants, unit_id, created_by,"
      " created_at, updated_at) VALUES (1, '培训', '2024-04-12', '政务公开业务培训', 36, 101,"
      " 2, ?, ?)", [t, t])
    _audit(db, _next_audit(db), "create", "hotline_case", 1)


def stage_0013(db: Database) -> None:
    x = db.execute
    t = "2024-02-01T01:00:00+00:00"
    x("INSERT INTO work_plan (id, year, title, intro, created_by, created_at, updated_at)"
      " VALUES (1, 2024, '青山镇2024年政务公开工作实施方案', '为做好2024年政务公开工作……', 2, ?, ?)",
      [t, t])
    x("INSERT INTO plan_section (id, plan_id, seq, title) VALUES"
      " (1, 1, 1, '围绕深化改革推进公开'), (2, 1, 2, '围绕民生改善推进公开')")
    x("INSERT INTO plan_task (id, section_id, seq, text, all_units, all_communities, due_on,"
      " due_text, category_id, state, reason, state_changed_on, created_by, created_at,"
      " updated_at) VALUES"
      " (1, 1, 1, '及时公开村级集体收支情况', 0, 1, '2024-12-31', '', 101, '已完成', '',"
      " '2024-12-20', 2, ?, ?),"
      " (2, 2, 1, '做好低保对象公示', 0, 0, NULL, '长期坚持', NULL, '未完成', '系统调整',"
      " '2024-12-30', 2, ?, ?)", [t, t, t, t])
    x("INSERT INTO plan_task_owner (task_id, unit_id, community_id) VALUES (2, 101, NULL),"
      " (2, NULL, 1)")
    x("INSERT INTO plan_progress (id, task_id, on_date, text, created_by, created_at) VALUES"
      " (1, 1, '2024-06-30', '上半年按月公开', 2, ?)", [t])
    x("INSERT INTO plan_evidence (id, task_id, notice_id, file_name, label, created_by,"
      " created_at) VALUES (1, 1, 1, NULL, '', 2, ?)", [t])
    _audit(db, _next_audit(db), "create", "work_plan", 1)


def stage_0014(db: Database) -> None:
    db.execute("INSERT INTO plan_report (year, overview, measures, problems, dated, updated_by,"
                " updated_at) VALUES (2024, NULL, NULL, '个别任务未按期完成。', '2025-01-15', 2,"
                " '2025-01-15T01:00:00+00:00')")
    _audit(db, _next_audit(db), "update", "plan_report", 2024)


STAGES = {"0001_initial": stage_0001, "0007_approval_slips": stage_0007,
          "0008_assessment": stage_0008, "0009_requests_and_annual_report": stage_0009,
          "0012_registers": stage_0012, "0013_work_plan": stage_0013,
          "0014_plan_report": stage_0014}


def build(target: str, path: Path) -> None:
    """A database at schema ``target`` holding the rows every version up to it wrote."""
    names = known_names()
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(str(path))
    db = Database(conn, execute_plugins=False)
    for i, name in enumerate(names[: names.index(target) + 1]):
        migrations.apply(db, stop_before=names[i + 1] if i + 1 < len(names) else None)
        # fixed timestamps for the migrations table: reproducible files
        conn.execute("UPDATE _sqlite_migrations SET applied_at = ? WHERE name = ?",
                     [f"2024-01-01 00:00:{i:02d}+00:00", name])
        if name in STAGES:
            with db.atomic():
                STAGES[name](db)
        conn.commit()
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("VACUUM")
    conn.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name in known_names():
        path = args.out / f"{name}.db"
        build(name, path)
        print(f"{path}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
