import re
from datetime import UTC, date, datetime, timedelta

import pytest

from govdesk.core.audit import verify_chain
from govdesk.core.errors import UserError
from govdesk.core.org import CommunityKind, Role
from govdesk.core.setup_plan import credit_code_problem
from govdesk.operations.auth import sign_in
from govdesk.operations.context import Context
from govdesk.operations.dashboard import dashboard
from govdesk.operations.demo import DEMO_PASSWORD, build_demo
from govdesk.store import audit_store, org_store
from govdesk.store.database import close, connect

TODAY = date(2025, 11, 20)
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.db"
    db = connect(path)
    accounts = build_demo(db, today=TODAY, files_dir=folder / "files")
    close(db)
    fresh = connect(path)
    yield fresh, accounts, path, folder / "files"
    close(fresh)


def _one(db, sql, params=()):
    return db.execute(sql, list(params)).fetchone()[0]


def test_township_units_communities_and_boards(built):
    db, *_ = built
    township = org_store.get_township(db)
    assert township.full_name.endswith("人民政府") and township.short_name
    assert len(township.credit_code) == 18 and township.credit_code.isalnum()
    assert township.credit_code.upper() == township.credit_code
    assert township.address and township.phone
    # the GB 32100 check character the first-run wizard applies
    assert credit_code_problem(township.credit_code) is None
    units = {u.name for u in org_store.list_units(db)}
    assert {"党政办", "民政办", "财政所"} <= units
    communities = org_store.list_communities(db)
    assert len(communities) >= 8
    assert {c.kind for c in communities} == {CommunityKind.NEIGHBOURHOOD, CommunityKind.VILLAGE}
    boards = org_store.list_boards(db)
    assert len(boards) == 11
    assert all(b.location and (b.community_id or b.unit_id) for b in boards)
    assert {b.community_id for b in boards if b.community_id} == {c.id for c in communities}


def test_every_role_has_an_account_that_can_sign_in(built):
    db, accounts, *_ = built
    assert {a.role for a in accounts} == set(Role)
    assert sum(a.role is Role.CLERK for a in accounts) == 2
    for account in accounts:
        user = sign_in(Context(db), account.login, DEMO_PASSWORD)
        assert (user.login, user.name, user.role) == (account.login, account.name, account.role)
        assert account.role.label


def test_a_year_of_notices_across_categories_and_channels(built):
    db, *_ = built
    assert 150 <= _one(db, "SELECT count(*) FROM notice") <= 250
    months = {r[0] for r in db.execute("SELECT substr(formed_on, 1, 7) FROM notice")}
    assert len(months) >= 10
    assert max(r[0] for r in db.execute("SELECT formed_on FROM notice")) < TODAY.isoformat()
    used_categories = {r[0] for r in db.execute("SELECT DISTINCT category_id FROM notice")}
    assert used_categories == {c.id for c in org_store.list_categories(db)}
    used_channels = {r[0] for r in db.execute("SELECT DISTINCT channel_id FROM notice_channel")}
    assert used_channels == {c.id for c in org_store.list_channels(db)}
    statuses = {r[0] for r in db.execute("SELECT DISTINCT status FROM notice")}
    assert {"草稿", "待审批", "已批准", "已公开", "已撤下", "已失效"} <= statuses
    disclosures = {r[0] for r in db.execute("SELECT DISTINCT disclosure FROM notice")}
    assert disclosures == {"主动公开", "依申请公开", "不予公开"}
    assert _one(db, "SELECT count(*) FROM notice WHERE disclosure != '主动公开'"
                    " AND withhold_ground = ''") == 0
    assert _one(db, "SELECT count(*) FROM notice WHERE doc_number LIKE '云政%〔____〕%号'") >= 5
    assert _one(db, "SELECT count(*) FROM notice WHERE period_unit = '工作日'") > 0
    assert _one(db, "SELECT count(*) FROM notice WHERE period_unit = '天'") > 0


def test_posting_history_and_what_the_dashboard_shows(built):
    db, *_ = built
    assert _one(db, "SELECT count(DISTINCT board_id) FROM posting") == 11
    assert _one(db, "SELECT count(*) FROM posting WHERE removed_on IS NOT NULL") > 50
    overdue_postings = _one(
        db, "SELECT count(*) FROM posting WHERE removed_on IS NULL AND planned_removal < ?",
        [TODAY.isoformat()],
    )
    assert overdue_postings >= 1
    overdue_unpublished = _one(
        db, "SELECT count(*) FROM notice WHERE disclosure = '主动公开'"
            " AND status IN ('草稿', '待审批', '已批准') AND publish_due < ?",
        [TODAY.isoformat()],
    )
    assert overdue_unpublished >= 1
    board = dashboard(Context(db), TODAY)
    assert board.takedowns_overdue and board.overdue_unpublished
    assert board.drafts and board.pending


def test_photos_are_kept_in_the_files_folder(built):
    db, _, _, files = built
    names = {r[0] for r in db.execute("SELECT DISTINCT photo FROM posting WHERE photo != ''")}
    assert names
    for name in names:
        assert (files / "photos" / name).read_bytes().startswith(b"\x89PNG")


def test_no_identity_numbers_anywhere(built):
    db, *_ = built
    texts = [
        " ".join(str(v) for v in row)
        for row in db.execute(
            "SELECT index_number, title, body, doc_number, note, withhold_ground FROM notice"
        )
    ]
    texts += [r[0] for r in db.execute("SELECT payload FROM audit_log")]
    texts += [" ".join(map(str, r)) for r in db.execute("SELECT * FROM township")]
    assert not [t for t in texts if ID_NUMBER.search(t)]
    # 公示 lists name people only masked: 王*明 / 李*
    lists = [r[0] for r in db.execute(
        "SELECT body FROM notice WHERE body LIKE '%户主姓名|%' OR body LIKE '%|姓名|%'"
    )]
    assert lists and all("*" in body for body in lists)


def test_audit_log_is_a_plausible_year_and_verifies(built):
    db, *_ = built
    assert verify_chain(audit_store.iter_entries(db)) is None
    assert _one(db, "SELECT count(*) FROM audit_log WHERE clock_flag != ''") == 0
    stamps = [datetime.fromisoformat(r[0]) for r in db.execute("SELECT ts_utc FROM audit_log")]
    assert stamps == sorted(stamps)
    # (other tests sign in for real, today: leave those out)
    stamps = [datetime.fromisoformat(r[0]) for r in db.execute(
        "SELECT ts_utc FROM audit_log WHERE action NOT LIKE 'login%'"
    )]
    assert stamps[0] < datetime.combine(TODAY - timedelta(days=330), datetime.min.time(), UTC)
    assert stamps[-1] < datetime.combine(TODAY, datetime.min.time(), UTC)
    created = {r[0][:7] for r in db.execute("SELECT created_at FROM notice")}
    assert len(created) >= 10
    # 先审查后公开: every published notice has a complete slip on its current content, and
    # nobody signed a step of a slip they submitted.
    creators = dict(db.execute(
        "SELECT object_id, actor_id FROM audit_log WHERE object_type = 'notice' AND action = 'create'"
    ).fetchall())
    decisions = db.execute(
        "SELECT s.notice_id, s.drafter_id, a.actor_id, a.paper FROM approval a"
        " JOIN approval_slip s ON s.id = a.slip_id WHERE a.kind = 'decide'"
    ).fetchall()
    assert decisions and all(drafter != actor for _, drafter, actor, _ in decisions)
    assert all(creators[str(nid)] != actor for nid, _, actor, _ in decisions
               if nid is not None)
    # The 依申请公开 letters that went out were approved first (the 受理回执 needs none).
    assert any(nid is None for nid, *_ in decisions)
    unapproved = db.execute(
        "SELECT count(*) FROM request_letter l WHERE l.sent_on IS NOT NULL"
        " AND l.kind != '受理回执' AND NOT EXISTS (SELECT 1 FROM approval a JOIN approval_slip s"
        " ON s.id = a.slip_id WHERE s.letter_id = l.id AND a.completes = 1"
        " AND a.content_hash = l.content_hash)").fetchone()[0]
    assert unapproved == 0
    kinds = {r[0] for r in db.execute("SELECT kind FROM request_letter WHERE sent_on IS NOT NULL")}
    assert kinds == {"受理回执", "补正告知书", "延期答复告知书", "第三方意见征询函", "答复书"}
    assert any(paper for *_, paper in decisions)  # some leaders signed on paper
    published = {r[0] for r in db.execute(
        "SELECT id FROM notice WHERE status IN ('已公开', '已撤下', '已失效')"
    )}
    complete = {r[0] for r in db.execute(
        "SELECT n.id FROM notice n JOIN approval_slip s ON s.notice_id = n.id"
        " JOIN approval a ON a.slip_id = s.id WHERE a.completes = 1"
        " AND a.content_hash = n.content_hash")}
    assert published and published <= complete


def test_refuses_a_database_that_already_has_data(built):
    _, _, path, _ = built
    db = connect(path)
    try:
        before = _one(db, "SELECT count(*) FROM audit_log")
        with pytest.raises(UserError, match="已有数据"):
            build_demo(db, today=TODAY)
        assert _one(db, "SELECT count(*) FROM audit_log") == before
    finally:
        close(db)


def test_same_seed_and_day_give_the_same_township(built, tmp_path):
    db, accounts, *_ = built
    other = connect(tmp_path / "again.db")
    try:
        assert build_demo(other, today=TODAY) == accounts
        titles = [r[0] for r in db.execute("SELECT title FROM notice ORDER BY id")]
        again = [r[0] for r in other.execute("SELECT title FROM notice ORDER BY id")]
        assert titles == again
        for sql in (
            "SELECT community_id, year, month, checker, checked_on FROM spot_check ORDER BY id",
            # (evidence left out: this build has no files folder, so no board photos)
            "SELECT check_id, seq, indicator_code, rule, count, points, reason, posting_id, auto"
            " FROM deduction ORDER BY check_id, seq",
            "SELECT community_id, year, quarter, item_code, reason FROM adjustment ORDER BY id",
            "SELECT section_id, seq, text, state, reason FROM plan_task ORDER BY id",
            "SELECT task_id, on_date, text FROM plan_progress ORDER BY id",
            "SELECT received_on, channel, subject, due_on, closed_on, satisfaction"
            " FROM hotline_case ORDER BY id",
            "SELECT published_on, title, form, notice_id FROM policy_interpretation ORDER BY id",
        ):
            assert db.execute(sql).fetchall() == other.execute(sql).fetchall()
    finally:
        close(other)


def test_screening_raises_no_false_alarm_on_the_demo_notices(built):
    """P5 on real-looking notices: 公示 lists with masked names, amounts, dates, 文号, 索引号
    and the township's 监督电话 — none is personal information."""
    from govdesk.operations import screening
    from govdesk.operations.context import Context

    db, *_ = built
    ctx = Context(db)
    ids = [r[0] for r in db.execute("SELECT id FROM notice")]
    assert len(ids) > 150
    found = {}
    for nid in ids:
        fs = screening.screen_notice(ctx, nid)
        if fs:
            title = db.execute("SELECT title FROM notice WHERE id = ?", [nid]).fetchone()[0]
            found[title] = [f.finding.kind.value for f in fs]
    # the one planted on purpose: a contact mobile waiting for 保密审查 to mask or pass it
    assert len(found) == 1
    ((title, kinds),) = found.items()
    assert "农业保险保费补贴" in title and kinds == ["手机号"]


def test_demo_has_slips_in_every_state_worth_showing(built):
    db, *_ = built
    kinds = {r[0] for r in db.execute("SELECT DISTINCT kind FROM approval")}
    assert {"submit", "decide"} <= kinds
    pending = db.execute("SELECT count(*) FROM notice WHERE status = '待审批'").fetchone()[0]
    assert pending >= 2  # the 工作台 shows someone's 待我审批
    returned = db.execute("SELECT count(*) FROM approval WHERE decision = '退回修改'").fetchone()[0]
    assert returned >= 1
    assert db.execute("SELECT count(*) FROM approval WHERE paper = 1").fetchone()[0] >= 10


# ---- the assessment (月抽查、季考核) -----------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")
# TODAY 2025-11-20: the demo's year starts mid-November 2024, so the complete months are
# 2024-12 … 2025-10; 2025 Q1–Q3 are checked in all three months.
CHECKED_MONTHS = [(2024, 12)] + [(2025, m) for m in range(1, 11)]


def test_every_complete_month_has_a_check_of_every_community(built):
    db, *_ = built
    ctx = Context(db)
    communities = {c.id for c in org_store.list_communities(db)}
    rows = db.execute("SELECT year, month, community_id, kind, checker, checked_on, created_by"
                      " FROM spot_check").fetchall()
    months = sorted({(y, m) for y, m, *_ in rows})
    assert months == CHECKED_MONTHS
    clerk = db.execute("SELECT id FROM user WHERE login = 'liuxin'").fetchone()[0]
    for y, m in months:
        mine = [r for r in rows if (r[0], r[1]) == (y, m)]
        assert {r[2] for r in mine} == communities and len(mine) == len(communities)
        assert {r[3] for r in mine} == {"月抽查"}
        # one team on one working day late in the month, entered by the 党政办 clerk
        assert len({(r[4], r[5]) for r in mine}) == 1
        checker, on = mine[0][4], date.fromisoformat(mine[0][5])
        assert "、" in checker and CJK.search(checker)
        assert (on.year, on.month) == (y, m) and on.day >= 20 and ctx.calendar.is_workday(on)
        assert {r[6] for r in mine} == {clerk}


def test_checks_were_entered_on_the_check_day_and_never_in_the_future(built):
    db, *_ = built
    clerk = db.execute("SELECT id FROM user WHERE login = 'liuxin'").fetchone()[0]
    entries = db.execute("SELECT ts_utc, actor_id, object_id, payload FROM audit_log"
                         " WHERE object_type = 'spot_check'").fetchall()
    assert len(entries) == len(CHECKED_MONTHS) * len(org_store.list_communities(db))
    on = dict(db.execute("SELECT id, checked_on FROM spot_check").fetchall())
    for ts, actor, object_id, _ in entries:
        when = datetime.fromisoformat(ts)
        assert actor == clerk
        assert when < datetime.combine(TODAY, datetime.min.time(), UTC)
        assert when.astimezone().date().isoformat() == on[int(object_id)]
    # the scheme came from the default for the first year, then was copied for the next
    schemes = db.execute("SELECT payload FROM audit_log WHERE object_type = 'scheme'"
                         " ORDER BY seq").fetchall()
    assert len(schemes) == 2 and '"default"' in schemes[0][0] and '"copy"' in schemes[1][0]


def test_findings_read_like_inspections_and_include_the_registers_own(built):
    from govdesk.core.scoring import default_scheme

    db, *_ = built
    rows = db.execute("SELECT indicator_code, reason, count, rule, points, photo, posting_id,"
                      " auto FROM deduction").fetchall()
    assert len(rows) > 100
    scheme = default_scheme(2025)
    leaves = {leaf.code: leaf for leaf in scheme.leaves}
    for code, reason, count, rule, points, _evidence, _posting, _auto in rows:
        assert reason.strip() and CJK.search(reason)
        # each tied to a rule of the 细则 (count × rule); none typed as bare points
        assert code in leaves and points is None and count >= 1
        assert 0 <= rule < len(leaves[code].rules)
    reasons = {r[1] for r in rows}
    assert {"公开栏内容未及时更新", "财务收支未按月公开", "台账登记不全", "公开资料未归档",
            "意见箱未定期开启"} <= reasons
    autos = [r for r in rows if r[7]]
    assert autos and {r[7] for r in autos} <= {"逾期未撤栏", "过了公开时限"}
    assert all(r[5] and "撤下" in r[5] for r in autos if r[7] == "逾期未撤栏")
    linked = [r for r in rows if r[6] is not None and not r[7]]
    assert linked and any("照片" in r[5] for r in linked)  # evidence: the board photo
    posting_ids = {r[0] for r in db.execute("SELECT id FROM posting")}
    assert {r[6] for r in rows if r[6] is not None} <= posting_ids


def test_quarters_rank_with_a_tie_and_steady_standards(built):
    from govdesk.operations import scoring
    from govdesk.operations.demo import TIE_PAIR

    db, *_ = built
    ctx = Context(db)
    n = len(org_store.list_communities(db))
    views = {(y, q): scoring.quarter_view(ctx, y, q) for y, q in
             ((2024, 4), (2025, 1), (2025, 2), (2025, 3), (2025, 4))}
    for key, view in views.items():
        assert len(view.results) == n, key
    # the first quarter checked in all three months has the deliberate 并列
    q1 = {r.score.name: r for r in views[(2025, 1)].results}
    a, b = (q1[name] for name in TIE_PAIR)
    assert a.rank == b.rank and a.score.total == b.score.total
    ranks = [r.rank for r in views[(2025, 1)].results]
    assert ranks[ranks.index(a.rank) + 2] == a.rank + 2  # competition ranking skips (4, 4, 6)
    assert all(len(r.score.monthly) == 3 for r in q1.values())
    # a quarter checked in one month only says so
    assert all("抽查1个月" in r.score.basis for r in views[(2024, 4)].results)
    # 加分 (通报表彰) and one 扣分 (通报批评)
    items = [a.item_code for _, a in scoring.adjustments(ctx, 2025)] + \
        [a.item_code for _, a in scoring.adjustments(ctx, 2024)]
    assert items.count("B1") >= 2 and items.count("P1") == 1
    assert any(r.score.bonus > 0 for v in views.values() for r in v.results)
    assert any(r.score.penalty > 0 for v in views.values() for r in v.results)
    # some communities are steadily better kept than others
    year = scoring.year_view(ctx, 2025)
    by_name = {s.name: s.score for s in year.scores}
    assert by_name["云溪社区"] > by_name["杏林村"] > by_name["北坡村"]
    assert by_name["柳河村"] > by_name["王家庄村"]
    grades = {r.grade.value for v in views.values() for r in v.results}
    assert {"优秀", "良好"} <= grades


def test_bulletins_and_exports_work_on_the_demo(built, tmp_path):
    import sqlite3

    from openpyxl import load_workbook

    from govdesk.operations import scoring

    db, *_ = built
    # a copy: exporting writes audit entries with today's real time
    target = sqlite3.connect(tmp_path / "copy.db")
    db.conn.backup(target)
    target.close()
    copy = connect(tmp_path / "copy.db")
    try:
        ctx = Context(copy)
        for quarter in (1, 2, 3):
            bulletin, edited = scoring.bulletin_for(ctx, 2025, quarter)
            assert not edited and bulletin.communities == 8
            assert 3 <= len(bulletin.problems) <= 5
            assert all(p.count >= 1 and CJK.search(p.text) for p in bulletin.problems)
            assert bulletin.ranking[0].rank == 1
        bulletin, _ = scoring.bulletin_for(ctx, 2025, 3)
        assert len(bulletin.charts.quarters) == 3  # the trend chart: the year's quarters so far
        bulletin, _ = scoring.bulletin_for(ctx, 2025, 1)
        ranks = [row.rank for row in bulletin.ranking]
        assert len(set(ranks)) < len(ranks)  # the 并列 is printed as such
        assert scoring.export_quarter(ctx, 2025, 1, tmp_path / "q1.xlsx") == 8
        sheet = load_workbook(tmp_path / "q1.xlsx").active
        cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
        assert "云溪社区" in cells and "北坡村" in cells
        assert scoring.export_year(ctx, 2025, tmp_path / "year.xlsx") == 8
        assert scoring.print_bulletin(ctx, 2025, 3, tmp_path / "q3.pdf", invariant=True) >= 1
        assert (tmp_path / "q3.pdf").read_bytes().startswith(b"%PDF")
    finally:
        close(copy)


# ---- 依申请公开 ------------------------------------------------------------------------------------


def _facts(db):
    from govdesk.core.annual_report import ApplicationFact
    from govdesk.store import request_store

    return [ApplicationFact(r.applicant_kind, r.received_on, r.closed_on, r.outcome, r.number)
            for r in request_store.list_requests(db)]


def test_two_years_of_applications_from_every_kind_of_applicant(built):
    from govdesk.core.requests import ApplicantKind, OutcomeGroup

    db, *_ = built
    facts = _facts(db)
    for year in (TODAY.year - 1, TODAY.year):
        of_year = [f for f in facts if f.received_on.year == year]
        assert 12 <= len(of_year) <= 20
        assert {f.applicant_kind for f in of_year} == set(ApplicantKind)
    outcomes = {f.outcome for f in facts if f.outcome is not None}
    assert {o.group for o in outcomes} == set(OutcomeGroup)
    assert len({o for o in outcomes if o.group is OutcomeGroup.WITHHELD}) >= 4
    # carried over from last year into this one, and still open today
    assert any(f.received_on.year == TODAY.year - 1 and f.closed_on
               and f.closed_on.year == TODAY.year for f in facts)
    assert 1 <= sum(f.closed_on is None for f in facts) <= 2
    assert all(f.received_on < TODAY and (f.closed_on is None or f.closed_on < TODAY)
               for f in facts)


def test_the_clocks_show_correction_consultation_extension_and_one_late_reply(built):
    from govdesk.core.requests import ClockEventKind
    from govdesk.operations import requests as request_ops
    from govdesk.operations.context import Context

    db, *_ = built
    ctx = Context(db, clock=lambda: datetime(TODAY.year, TODAY.month, TODAY.day, 4, tzinfo=UTC))
    summaries = request_ops.request_summaries(ctx)
    kinds = {s.request.id: {e.kind for _, e in request_ops.request_view(ctx, s.request.id).events}
             for s in summaries}
    seen = set().union(*kinds.values())
    assert {ClockEventKind.CORRECTION_REQUESTED, ClockEventKind.CORRECTION_RECEIVED,
            ClockEventKind.CONSULTATION_STARTED, ClockEventKind.CONSULTATION_ENDED,
            ClockEventKind.EXTENSION, ClockEventKind.WITHDRAWN} <= seen
    late = [s for s in summaries if s.ledger.late_days]
    assert len(late) == 1 and late[0].ledger.warnings
    # the extension was approved by the 党政办 head, the office's 政府信息公开工作机构负责人
    approvers = {r[0] for r in db.execute(
        "SELECT approver FROM request_event WHERE kind = 'extension'")}
    assert approvers == {"赵建国"}
    # a corrected application's clock restarted on the day the correction arrived
    restarted = [s for s in summaries
                 if ClockEventKind.CORRECTION_RECEIVED in kinds[s.request.id]]
    assert restarted and all(s.ledger.clock_start > s.ledger.received_on for s in restarted)
    open_now = [s for s in summaries if s.ledger.is_open]
    assert any(s.ledger.due_soon for s in open_now)


def test_last_years_table3_balances_and_carries_into_this_year(built):
    from govdesk.core.annual_report import check_table3, tally_table3

    db, *_ = built
    facts = _facts(db)
    last = tally_table3(facts, TODAY.year - 1)
    this = tally_table3(facts, TODAY.year)
    assert check_table3(last) == []
    assert check_table3(this, last) == []
    assert last.row("CARRY_FORWARD") == this.row("CARRIED")
    assert last.cell("CARRY_FORWARD", "TOTAL") >= 1
    assert last.cell("NEW", "TOTAL") == sum(f.received_on.year == TODAY.year - 1 for f in facts)


def test_a_review_case_against_a_refusal(built):
    db, *_ = built
    cases = db.execute(
        "SELECT c.kind, c.result, c.filed_on, r.outcome, r.closed_on FROM review_case c"
        " JOIN request r ON r.id = c.request_id").fetchall()
    assert len(cases) == 1
    kind, result, filed_on, outcome, closed_on = cases[0]
    assert kind == "行政复议" and outcome.startswith("3.") and filed_on > closed_on
    assert result in ("结果维持", "尚未审结")


def test_applications_were_entered_on_their_days(built):
    db, *_ = built
    rows = db.execute(
        "SELECT e.on_date, e.created_at FROM request_event e").fetchall()
    assert rows
    for on, created in rows:
        assert datetime.fromisoformat(created).astimezone().date().isoformat() == on


# ---- the work plan and the registers (issue 8 §7) ---------------------------------------------


def test_this_years_plan_has_tasks_in_every_state_and_last_years_is_closed(built):
    from govdesk.core.work_plan import TaskState
    from govdesk.operations import work_plan as plan_ops

    db, *_ = built
    ctx = Context(db, clock=lambda: datetime.combine(TODAY, datetime.min.time(), UTC))
    this, last = plan_ops.plan_view(ctx, TODAY.year), plan_ops.plan_view(ctx, TODAY.year - 1)
    assert this.plan.title == f"云溪镇{TODAY.year}年政务公开工作实施方案"
    assert len(this.sections) == 5 and 12 <= len(this.tasks) <= 18
    assert {t.state for t in this.tasks} == set(TaskState)
    assert all(t.reason for t in this.tasks if t.state is TaskState.NOT_DONE)
    assert {t.state for t in last.tasks} == {TaskState.DONE, TaskState.NOT_DONE}
    units = {u.name for u in org_store.list_units(db)}
    communities = {c.name for c in org_store.list_communities(db)}
    for t in this.tasks:
        assert set(t.owner_names) <= units | communities
    notes = sum(len(plan_ops.progress_notes(ctx, t.id)) for t in this.tasks)
    linked = sum(e.is_notice for t in this.tasks for e in plan_ops.evidence(ctx, t.id))
    assert notes >= 10 and linked >= 3
    # the dashboard has an overdue task to show
    assert plan_ops.overdue_tasks(ctx, TODAY)


def test_a_year_of_each_register_with_defined_rates(built):
    from govdesk.core.registers import Period, RegisterKind
    from govdesk.operations.registers import list_records, register_stats

    db, *_ = built
    ctx = Context(db, clock=lambda: datetime.combine(TODAY, datetime.min.time(), UTC))
    for year in (TODAY.year - 1, TODAY.year):
        period = Period.year(year)
        hotline = register_stats(ctx, RegisterKind.HOTLINE, period)
        assert hotline.total.received >= 35
        assert hotline.total.closure_rate is not None and hotline.total.closure_rate > 0.9
        assert hotline.total.on_time_rate is not None and 0.8 < hotline.total.on_time_rate < 1
        opinions = dict(hotline.by_channel)["网络舆情"]
        assert 3 <= opinions.received <= 5
        interpretations = register_stats(ctx, RegisterKind.INTERPRETATION, period)
        assert interpretations.total == 10
        proposals = register_stats(ctx, RegisterKind.PROPOSAL, period)
        assert (proposals.total, proposals.replied) == (8, 8)
        assert proposals.satisfaction_rate is not None
        meetings = dict((k, n) for k, n, _ in register_stats(
            ctx, RegisterKind.MEETING, period).by_kind)
        assert meetings["培训"] == 3 and meetings["领导小组会议"] == 2
    this = register_stats(ctx, RegisterKind.HOTLINE, Period.year(TODAY.year))
    assert this.total.closed < this.total.received and this.total.overdue_open == 1
    linked = [r for r in list_records(ctx, RegisterKind.INTERPRETATION) if r.notice_id]
    assert linked  # 政策解读 linked to the policy notice they interpret


def test_last_years_implementation_report_and_overview_from_the_demo(built, tmp_path):
    from govdesk.operations.annual_report import build_report
    from govdesk.operations.plan_report import build_plan_report, export_plan_report

    db, *_ = built
    ctx = Context(db, clock=lambda: datetime.combine(TODAY, datetime.min.time(), UTC))
    year = TODAY.year - 1
    report = build_plan_report(ctx, year)
    assert report.title == f"云溪镇{year}年政务公开工作实施方案落实情况"
    assert report.task_count == 15
    assert "全年共监测处置政务舆情5起" in report.texts[1]
    assert "办结率100%" in report.texts[1]
    assert "未能按期完成" in report.texts[2]
    assert export_plan_report(ctx, year, tmp_path / "r.pdf") >= 3
    overview = build_report(ctx, year).texts[0]
    assert "全年共发布政策解读信息10条" in overview
    assert "全年共承办人大代表建议5件、政协委员提案3件，已全部答复" in overview
