"""年报 operations on a real database: 表三 with carried-over applications (the expected numbers
worked out by hand below, not with tally_table3), 表四 and 表二 from the registers, the
上年结转 check against last year's published 四, texts and figures saved and reloaded, exports
read back (python-docx, pypdf, json), the refusal of an unbalanced final report, permissions."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import docx
import pypdf
import pytest
from conftest import as_user, notice_input

from govdesk.core.annual_report import COLUMN_KEYS, ROW_KEYS, SECTION_TITLES
from govdesk.core.errors import PermissionDenied, UserError, ValidationErrors
from govdesk.core.org import Role, Township
from govdesk.operations import annual_report as ops
from govdesk.store import audit_store, org_store

YEAR = 2025


# ---- test data through SQL (the requests operations are another module's) -----------------------

def add_request(ctx, number: str, kind: str, received: str, closed: str | None = None,
                outcome: str | None = None) -> int:
    y = int(received[:4])
    seq = ctx.db.execute("SELECT coalesce(max(seq), 0) + 1 FROM request WHERE year = ?",
                         [y]).fetchone()[0]
    cur = ctx.db.execute(
        "INSERT INTO request (number, year, seq, channel, submitted_on, received_on,"
        " applicant_kind, applicant_name, content, outcome, closed_on, created_at, updated_at)"
        " VALUES (?, ?, ?, '当面', ?, ?, ?, '申请人', '申请公开某信息', ?, ?, 'x', 'x')",
        [number, y, seq, received, received, kind, outcome, closed])
    return int(cur.lastrowid)


def add_case(ctx, kind: str, filed: str, result: str = "尚未审结", decided: str | None = None,
             number: str = "") -> None:
    ctx.db.execute(
        "INSERT INTO review_case (kind, filed_on, result, decided_on, case_number, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, 'x', 'x')", [kind, filed, result, decided, number])


_seq = iter(range(1, 10_000))


def add_document(ctx, doc_kind: str, published: str | None, expired: str | None = None,
                 status: str | None = None) -> None:
    status = status or ("已失效" if expired else "已公开" if published else "草稿")
    formed = published or "2025-03-01"
    ctx.db.execute(
        "INSERT INTO notice (index_number, title, formed_on, publish_due, status, published_on,"
        " year, created_at, updated_at, doc_kind, expired_on)"
        " VALUES (?, '关于印发某办法的通知', ?, ?, ?, ?, ?, 'x', 'x', ?, ?)",
        [f"T-{next(_seq)}", formed, formed, status, published, int(formed[:4]), doc_kind,
         expired])


# The applications of the 2025 table, with what each one is in 2025 (worked out by hand).
APPLICATIONS = [
    # number, column, received, closed, outcome
    ("A", "自然人", "2023-05-01", "2023-05-20", "1"),  # closed in 2023: not in 2025
    ("B", "自然人", "2024-03-01", "2024-03-15", "1"),  # closed in 2024: not in 2025
    ("C", "自然人", "2024-11-20", "2025-01-10", "2"),  # 二 → （二）部分公开
    ("D", "商业企业", "2024-12-25", None, None),  # 二 → 四
    ("E", "法律服务机构", "2024-12-30", "2025-02-01", "5.2"),  # 二 → （五）2.重复申请
    ("F", "自然人", "2025-01-05", "2025-01-20", "1"),  # 一 → （一）予以公开
    ("G", "科研机构", "2025-06-01", "2025-06-20", "3.1"),  # 一 → （三）1.属于国家秘密
    ("H", "自然人", "2025-12-20", "2026-01-05", "4.1"),  # 一 → 四 (closed after the year)
    ("I", "其他", "2025-12-31", None, None),  # 一 → 四
    ("J", "自然人", "2026-01-02", None, None),  # received after the year: not in 2025
    ("K", "社会公益组织", "2025-03-03", "2025-03-03", "6.3"),  # 一 → （六）3.其他
]

COL = {"自然人": 0, "商业企业": 1, "科研机构": 2, "社会公益组织": 3, "法律服务机构": 4, "其他": 5}


def expected_2025() -> dict[str, tuple[int, ...]]:
    rows = {k: [0] * 7 for k in ROW_KEYS}

    def put(row, col, n=1):
        rows[row][COL[col]] += n
        rows[row][6] += n

    for col in ("自然人", "自然人", "科研机构", "其他", "社会公益组织"):
        put("NEW", col)  # F, H, G, I, K
    for col in ("自然人", "商业企业", "法律服务机构"):
        put("CARRIED", col)  # C, D, E
    for code, col in (("1", "自然人"), ("2", "自然人"), ("3.1", "科研机构"), ("5.2", "法律服务机构"),
                      ("6.3", "社会公益组织")):
        put(code, col)
        put("RESULTS_TOTAL", col)
    for col in ("商业企业", "自然人", "其他"):
        put("CARRY_FORWARD", col)  # D, H, I
    return {k: tuple(v) for k, v in rows.items()}


@pytest.fixture
def township(ctx, users):
    org_store.update_township(ctx.db, Township("青山县云溪镇人民政府", "云溪镇", "",
                                               "云溪镇人民路1号", "0731-8888 1234"))


@pytest.fixture
def requests(ctx, township):
    ids = {}
    for number, col, received, closed, outcome in APPLICATIONS:
        ids[number] = add_request(ctx, number, col, received, closed, outcome)
    return ids


def test_table3_counts_new_carried_results_and_carry_forward(ctx, requests):
    table = ops.build_report(ctx, YEAR).table3
    assert dict(table.values) == expected_2025()
    assert ops.report_problems(ctx, YEAR) == []
    # 2024's 四 is 2025's 二, column by column (C, D, E)
    assert ops.table3_of(ctx, 2024).row("CARRY_FORWARD") == table.row("CARRIED")
    assert ops.previous_carry_over(ctx, YEAR) == table.row("CARRIED")


def test_unknown_outcome_code_is_a_user_error_naming_the_application(ctx, requests):
    ctx.db.execute("UPDATE request SET outcome = '9.9' WHERE number = 'F'")
    with pytest.raises(UserError, match="申请“F”的办理结果编号“9.9”"):
        ops.build_report(ctx, YEAR)


def test_carry_over_mismatch_with_last_years_published_report(ctx, requests, tmp_path):
    ops.export_annual_report(ctx, 2024, tmp_path / "2024.docx")
    assert ops.report_figures(ctx, 2024).carry_forward == (1, 1, 0, 0, 1, 0, 3)
    # 2024's data changed after its report went out: C is now closed within 2024.
    ctx.db.execute("UPDATE request SET closed_on = '2024-12-20' WHERE number = 'C'")
    problems = ops.report_problems(ctx, YEAR)
    assert [p.message for p in problems] == [
        "表三“自然人”列：二、上年结转（0）≠ 上年报告四、结转下年度继续办理（1）",
        "表三“总计”列：二、上年结转（2）≠ 上年报告四、结转下年度继续办理（3）",
    ]
    assert [(c.row, c.column) for p in problems for c in p.cells] == \
        [("CARRIED", "PERSON"), ("CARRIED", "TOTAL")]

    with pytest.raises(ops.UnbalancedReport) as refused:
        ops.export_annual_report(ctx, YEAR, tmp_path / "2025.docx")
    assert all(p.message in refused.value.message for p in problems)
    with pytest.raises(ops.UnbalancedReport):
        ops.export_annual_report(ctx, YEAR, tmp_path / "2025.pdf")
    assert not (tmp_path / "2025.docx").exists() and not (tmp_path / "2025.pdf").exists()

    result = ops.export_annual_report(ctx, YEAR, tmp_path / "2025.json")
    data = json.loads((tmp_path / "2025.json").read_text("utf-8"))
    assert [p["message"] for p in data["problems"]] == [p.message for p in problems]
    assert len(result.problems) == 2
    # a JSON is not the published report: 2025's 四 is not recorded
    assert ops.report_figures(ctx, YEAR).carry_forward is None


def test_carry_forward_entered_for_a_year_reported_on_paper(ctx, township, tmp_path):
    add_request(ctx, "X", "自然人", "2025-02-01")
    assert ops.report_problems(ctx, YEAR) == []  # nothing in 2024 to compare with
    ops.save_report_figures(ctx, 2024, {"carry_forward": [2, 0, 0, 0, 0, 0, 2]})
    problems = ops.report_problems(ctx, YEAR)
    assert [p.cell.column for p in problems] == ["PERSON", "TOTAL"]
    assert "二、上年结转（0）≠ 上年报告四、结转下年度继续办理（2）" in problems[0].message
    with pytest.raises(ValidationErrors, match="总计（3）≠ 自然人至其他各列之和（2）"):
        ops.save_report_figures(ctx, 2024, {"carry_forward": [2, 0, 0, 0, 0, 0, 3]})
    with pytest.raises(ValidationErrors, match="应为7个数字"):
        ops.save_report_figures(ctx, 2024, {"carry_forward": [2, 0]})


def test_table4_from_review_cases(ctx, township):
    add_case(ctx, "行政复议", "2024-10-01", "结果维持", "2025-01-20", "复议〔2024〕1号")
    add_case(ctx, "行政复议", "2025-03-01")
    add_case(ctx, "行政复议", "2024-02-01", "结果纠正", "2024-05-01")  # decided in 2024
    add_case(ctx, "未经复议直接起诉", "2025-05-01", "结果纠正", "2025-09-01")
    add_case(ctx, "复议后起诉", "2025-11-01", "其他结果", "2026-02-01")  # pending on 31 Dec
    add_case(ctx, "复议后起诉", "2026-01-10")  # after the year
    t4 = ops.build_report(ctx, YEAR).table4
    assert t4.numbers() == (1, 0, 0, 1, 2, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1)
    overview = ops.build_report(ctx, YEAR).texts[0]
    assert "全年因政府信息公开被申请行政复议、提起行政诉讼共4件" in overview


def test_table2_register_counts_and_entered_figures(ctx, township):
    add_document(ctx, "行政规范性文件", "2023-06-01")  # in force
    add_document(ctx, "行政规范性文件", "2024-06-01", expired="2025-04-01")  # repealed in 2025
    add_document(ctx, "行政规范性文件", "2025-02-01")  # made and in force
    add_document(ctx, "行政规范性文件", "2025-05-01", expired="2026-03-01")  # in force on 31 Dec
    add_document(ctx, "行政规范性文件", "2026-01-05")  # next year
    add_document(ctx, "行政规范性文件", None)  # a draft is not 制发
    add_document(ctx, "", "2025-02-01")  # not a 规范性文件
    add_document(ctx, "规章", "2025-07-01", status="已撤下")  # taken down is still in force
    ops.save_report_figures(ctx, YEAR, {"licensing_decisions": 14, "penalty_decisions": "3",
                                        "fee_amount": "3.2500"})
    t2 = ops.build_report(ctx, YEAR).table2
    assert (t2.normative_made, t2.normative_repealed, t2.normative_in_force) == (2, 1, 3)
    assert (t2.rules_made, t2.rules_repealed, t2.rules_in_force) == (1, 0, 1)
    assert (t2.licensing_decisions, t2.penalty_decisions, t2.coercion_decisions) == (14, 3, 0)
    assert t2.fee_amount == Decimal("3.25")


def test_figures_are_validated_naming_the_field_and_nothing_is_saved(ctx, township):
    before = audit_store.count(ctx.db)
    with pytest.raises(ValidationErrors) as bad:
        ops.save_report_figures(ctx, YEAR, {"licensing_decisions": -1, "penalty_decisions": 2.5,
                                            "coercion_decisions": "三", "fee_amount": "1.23456",
                                            "fees_collected": True, "surprise": 1})
    problems = bad.value.problems
    assert any("行政许可本年处理决定数量" in p and "不小于0的整数" in p for p in problems)
    assert any("行政处罚本年处理决定数量" in p for p in problems)
    assert any("行政强制本年处理决定数量" in p and "三" in p for p in problems)
    assert any("最多保留4位小数" in p for p in problems)
    assert any("实际收取的信息处理费（元）" in p for p in problems)
    assert any("surprise" in p for p in problems)
    with pytest.raises(ValidationErrors, match="行政事业性收费本年收费金额（万元）”应为不小于0"):
        ops.save_report_figures(ctx, YEAR, {"fee_amount": "-1"})
    with pytest.raises(ValidationErrors, match="没有请填0"):
        ops.save_report_figures(ctx, YEAR, {"licensing_decisions": ""})
    assert ops.report_figures(ctx, YEAR) == ops.ReportFigures()
    assert audit_store.count(ctx.db) == before

    saved = ops.save_report_figures(ctx, YEAR, {"fee_amount": Decimal("12.3456"),
                                                "fees_collected": "400", "trainings": 2,
                                                "trainees": 35})
    assert saved == ops.report_figures(ctx, YEAR)
    assert (saved.fee_amount, saved.fees_collected, saved.trainings) == \
        (Decimal("12.3456"), 400, 2)
    entry = audit_store.last_entry(ctx.db)
    assert (entry.action, entry.object_type, entry.object_id) == ("update", "annual_report", "2025")
    payload = json.loads(entry.payload)
    assert payload["before"]["fee_amount"] == "0" and payload["after"]["fee_amount"] == "12.3456"
    report = ops.build_report(ctx, YEAR)
    assert report.texts[5] == ("依据《政府信息公开信息处理费管理办法》规定，"
                               "本年度实际收取信息处理费共计400元。")
    assert "组织政务公开业务培训2次，参训35人次" in report.texts[0]
    # saving the same again changes and logs nothing
    n = audit_store.count(ctx.db)
    ops.save_report_figures(ctx, YEAR, saved)
    assert audit_store.count(ctx.db) == n
    # an optional figure can be cleared
    assert ops.save_report_figures(ctx, YEAR, {"trainings": None}).trainings is None


def test_texts_saved_reloaded_cleared_and_offered_next_year(ctx, township, tmp_path):
    draft = ops.build_report(ctx, YEAR)
    assert draft.texts[0].startswith("（一）主动公开。2025年，我镇")
    assert draft.texts[4] == ""
    assert draft.texts[5] == "依据《政府信息公开信息处理费管理办法》规定，本年度未收取信息处理费。"
    assert draft.organ == "青山县云溪镇人民政府"
    assert "云溪镇党政办，地址：云溪镇人民路1号，电话：0731-8888 1234" in draft.opening
    assert "本报告中所列数据统计期限为2025年1月1日至12月31日" in draft.opening
    assert draft.dated == date(2025, 11, 20)  # today until a date is saved

    ops.save_report_texts(ctx, YEAR, overview="（一）主动公开。全年公开326条。  \n",
                          problems="一是公开栏更新不及时。\n二是培训不够。")
    entry = audit_store.last_entry(ctx.db)
    assert json.loads(entry.payload)["before"] == {"overview": None, "problems": None}
    report = ops.build_report(ctx, YEAR)
    assert report.texts[0] == "（一）主动公开。全年公开326条。"
    assert report.texts[4] == "一是公开栏更新不及时。\n二是培训不够。"
    assert report.texts[5] == draft.texts[5]  # other: still the draft
    assert ops.text_sources(ctx, YEAR) == {"overview": "saved", "problems": "saved",
                                           "other": "draft"}

    # next year: 五 is offered from this year's text, marked, and cannot be printed unread
    nxt = ops.build_report(ctx, YEAR + 1)
    assert nxt.texts[4] == f"{ops.LAST_YEAR_MARK}\n一是公开栏更新不及时。\n二是培训不够。"
    assert ops.text_sources(ctx, YEAR + 1)["problems"] == "last_year"
    with pytest.raises(UserError, match="仍是上年度报告的内容"):
        ops.export_annual_report(ctx, YEAR + 1, tmp_path / "2026.pdf")
    ops.export_annual_report(ctx, YEAR + 1, tmp_path / "2026.docx")  # the editable draft may

    ops.save_report_texts(ctx, YEAR, overview="")  # back to the draft
    assert ops.build_report(ctx, YEAR).texts[0] == draft.texts[0]
    n = audit_store.count(ctx.db)
    ops.save_report_texts(ctx, YEAR, overview="", problems=None)  # no change, no entry
    assert audit_store.count(ctx.db) == n

    with pytest.raises(UserError, match="成文日期应在2025年12月31日之后"):
        ops.save_report_date(ctx, YEAR, date(2025, 12, 31))
    ops.save_report_date(ctx, YEAR, date(2026, 1, 20))
    assert ops.build_report(ctx, YEAR).dated == date(2026, 1, 20)


def test_overview_figures_from_the_registers(ctx, users, org, township):
    from conftest import approve_all

    from govdesk.operations import notices as notice_ops
    from govdesk.operations import postings, scoring

    n = notice_ops.create_notice(ctx, notice_input(ctx))
    approve_all(ctx, users, n.id)
    posted = postings.post_notice(ctx, n.id, [org["b_gov"], org["b_liuhe"]],
                                  posted_on=date(2025, 11, 10))
    postings.take_down(ctx, posted[0].id, removed_on=date(2025, 11, 17))  # next working day
    postings.take_down(ctx, posted[1].id, removed_on=date(2025, 11, 19))  # late
    admin = as_user(ctx, users[Role.ADMIN])
    scheme = scoring.ensure_scheme(admin, YEAR)
    for month, kind in ((7, "月抽查"), (8, "月抽查"), (8, "季度检查")):
        ctx.db.execute("INSERT INTO spot_check (scheme_id, community_id, year, month, kind,"
                       " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'x', 'x')",
                       [scheme.id, org["liuhe"], YEAR, month, kind])
    add_request(ctx, "R1", "自然人", "2025-04-01", "2025-04-10", "1")
    f = ops.overview_figures(ctx, YEAR)
    assert f.place == "镇"
    assert f.notices == 1
    assert dict(f.by_channel) == {"公开栏": 1, "门户网站": 1}
    assert dict(f.by_category) == {"社会救助": 1}
    assert (f.communities, f.boards, f.postings, f.taken_down) == (2, 3, 2, 1)
    assert (f.slips, f.screened) == (1, 1)
    assert (f.requests_received, f.requests_carried, f.requests_answered) == (1, 0, 1)
    assert (f.spot_checks, f.assessments, f.appeals) == (2, 1, 0)
    text = ops.build_report(ctx, YEAR).texts[0]
    assert "全年共主动公开政府信息1条" in text
    assert "全年张贴公开信息2次，公示期满按时撤栏1次" in text
    assert "月抽查2次、季度考核1次" in text
    assert "全年共收到政府信息公开申请1件，办结1件" in text


def test_exports_read_back(ctx, requests, tmp_path):
    ops.save_report_texts(ctx, YEAR, problems="一是公开栏更新不及时。")
    ops.save_report_figures(ctx, YEAR, {"licensing_decisions": 14, "fee_amount": "3.2"})
    ops.save_report_date(ctx, YEAR, date(2026, 1, 20))
    expected = expected_2025()

    result = ops.export_annual_report(ctx, YEAR, tmp_path / "年报.docx")
    assert (result.format, result.problems) == ("docx", ())
    document = docx.Document(str(tmp_path / "年报.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    for title in SECTION_TITLES:
        assert title in text
    assert "一是公开栏更新不及时。" in text and "2026年1月20日" in text
    assert len(document.tables) == 3
    t3 = document.tables[1]
    for r, key in enumerate(ROW_KEYS, start=3):
        assert [t3.cell(r, 3 + c).text for c in range(7)] == [str(v) for v in expected[key]]
    assert "14" in [c.text for row in document.tables[0].rows for c in row.cells]
    entry = audit_store.last_entry(ctx.db)
    assert (entry.action, entry.object_type, entry.object_id) == ("export", "file", "年报.docx")
    payload = json.loads(entry.payload)
    assert payload["kind"] == "政府信息公开工作年度报告" and payload["format"] == "docx"
    assert payload["carry_forward"] == list(expected["CARRY_FORWARD"])
    # Exported in November: the year is not over, so its 结转下年度 is not published yet.
    assert ops.report_figures(ctx, YEAR).carry_forward is None
    ctx.clock.now = datetime(2026, 1, 21, 2, 0, tzinfo=UTC)
    ops.export_annual_report(ctx, YEAR, tmp_path / "年报.docx")
    assert ops.report_figures(ctx, YEAR).carry_forward == expected["CARRY_FORWARD"]

    result = ops.export_annual_report(ctx, YEAR, tmp_path / "年报.pdf", invariant=True)
    assert result.pages and result.pages >= 3
    reader = pypdf.PdfReader(io.BytesIO((tmp_path / "年报.pdf").read_bytes()))
    assert len(reader.pages) == result.pages
    flat = "".join(p.extract_text() for p in reader.pages).replace(" ", "").replace("\n", "")
    assert "政府信息公开工作年度报告" in flat and "三、收到和处理政府信息公开申请情况" in flat

    ops.export_annual_report(ctx, YEAR, tmp_path / "年报.json")
    data = json.loads((tmp_path / "年报.json").read_text("utf-8"))
    assert data["year"] == YEAR and data["organ"] == "青山县云溪镇人民政府"
    assert data["dated"] == "2026-01-20" and data["problems"] == []
    rows = {r["key"]: r["values"] for r in data["table3"]["rows"]}
    assert rows["CARRIED"] == dict(zip(COLUMN_KEYS, expected["CARRIED"], strict=True))
    fees = [r for r in data["table2"]["rows"] if r["content"] == "行政事业性收费"][0]
    assert fees["本年收费金额（单位：万元）"] == "3.2"

    with pytest.raises(UserError, match=r"\.docx（Word）、\.pdf 或 \.json"):
        ops.export_annual_report(ctx, YEAR, tmp_path / "年报.xlsx")


def test_permissions(ctx, users, requests, tmp_path):
    head = as_user(ctx, users[Role.UNIT_HEAD])
    leader = as_user(ctx, users[Role.PRINCIPAL_LEADER])
    for who in (head, leader):
        with pytest.raises(PermissionDenied, match="编写政府信息公开年度报告"):
            ops.save_report_texts(who, YEAR, overview="x")
        with pytest.raises(PermissionDenied):
            ops.save_report_figures(who, YEAR, {"licensing_decisions": 1})
        with pytest.raises(PermissionDenied):
            ops.export_annual_report(who, YEAR, tmp_path / "r.json")
    assert audit_store.count(ctx.db, "denied") == 6
    # reading needs no permission
    assert ops.build_report(leader, YEAR).table3.row("NEW")[-1] == 5
    assert ops.report_problems(head, YEAR) == []
    admin = as_user(ctx, users[Role.ADMIN])
    ops.save_report_texts(admin, YEAR, other="本年度无其他需要报告的事项。")
    assert ops.build_report(leader, YEAR).texts[5] == "本年度无其他需要报告的事项。"
    assert not ops.build_report(leader, YEAR).texts[0] == ""


def test_bad_year(ctx, township):
    with pytest.raises(UserError, match="年度“1999”不正确"):
        ops.build_report(ctx, 1999)


def test_the_overview_counts_replies_within_the_legal_deadline(ctx, users):
    from govdesk.core.requests import ApplicantKind, Channel, Outcome, RequestInput
    from govdesk.operations import annual_report as report_ops
    from govdesk.operations import requests as request_ops

    def register(day):
        return request_ops.register_request(ctx, RequestInput(
            channel=Channel.IN_PERSON, submitted_on=day, applicant_kind=ApplicantKind.PERSON,
            applicant_name="李四", content="村集体经济收支情况"))

    # Received 2025-09-01: due 20 working days later (2025-09-29); one answered in time, one
    # on 2025-10-20, after the 国庆 holiday and well past the deadline.
    in_time, late = register(date(2025, 9, 1)), register(date(2025, 9, 1))
    request_ops.close_request(ctx, in_time.id, Outcome.DISCLOSED, on=date(2025, 9, 15))
    request_ops.close_request(ctx, late.id, Outcome.DISCLOSED, on=date(2025, 10, 20))
    figures = report_ops.overview_figures(ctx, 2025)
    assert (figures.requests_answered, figures.requests_on_time) == (2, 1)


def test_overview_counts_the_registers_of_the_report_year(ctx, users, org, township):
    from govdesk.core.registers import HotlineCase, Interpretation, Meeting, Proposal
    from govdesk.operations import registers as reg_ops

    reg_ops.add_record(ctx, Interpretation(date(2025, 3, 1), "政策解读一", "文字", policy_title="A"))
    reg_ops.add_record(ctx, Interpretation(date(2025, 4, 1), "政策解读二", "图解", policy_title="B"))
    reg_ops.add_record(ctx, Interpretation(date(2024, 4, 1), "去年的解读", "文字", policy_title="C"))
    for received, closed in ((date(2025, 1, 6), date(2025, 1, 8)),
                             (date(2025, 2, 3), date(2025, 2, 5)),
                             (date(2025, 3, 3), None)):
        reg_ops.add_record(ctx, HotlineCase(received, "12345热线", "路灯", unit_id=1,
                                            closed_on=closed))
    reg_ops.add_record(ctx, HotlineCase(date(2025, 5, 6), "网络舆情", "网传停水", unit_id=1,
                                        closed_on=date(2025, 5, 7)))
    reg_ops.add_record(ctx, Proposal("政协委员提案", "第2号", "村道", date(2025, 3, 1), unit_id=1,
                                     replied_on=date(2025, 4, 1), satisfaction="基本满意"))
    reg_ops.add_record(ctx, Meeting("培训", date(2025, 6, 1), "业务培训", 35))
    reg_ops.add_record(ctx, Meeting("领导小组会议", date(2025, 2, 1), "部署全年工作", 12))
    f = ops.overview_figures(ctx, YEAR)
    assert f.registers is not None
    assert (f.registers.interpretations, f.registers.opinions, f.registers.hotline_received,
            f.registers.hotline_closed) == (2, 1, 3, 2)
    text = ops.build_report(ctx, YEAR).texts[0]
    assert "全年共发布政策解读信息2条（文字解读1条、图解1条）。" in text
    assert "全年共监测处置政务舆情1起，均已妥善处置。" in text
    assert "全年共受理“12345”热线来件3件，办结2件，办结率67%，均在办理时限内办结。" in text
    assert "全年共承办政协委员提案1件，已全部答复，满意率100%。" in text
    assert "召开政务公开工作领导小组会议1次" in text
    assert "组织政务公开业务培训1次，参训35人次" in text
    # another year's registers are empty: no sentence, no 0%
    other = ops.build_report(ctx, 2024).texts[0]
    assert "政策解读信息1条" in other and "热线" not in other and "0%" not in other
