"""月抽查、季考核 as user actions, on a real temporary database: schemes and their freezing,
saving a month all-or-nothing, auto-findings from the register, quarter and year results, the
drill-down, 加分/扣分 items, the 通报 text, and the exports read back."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from govdesk.core.errors import PermissionDenied, UserError, ValidationErrors
from govdesk.core.org import Role
from govdesk.core.scoring import (
    AutoFinding,
    CheckKind,
    Deduction,
    GradeThresholds,
    QuarterRule,
    SpotCheck,
    VetoItem,
)
from govdesk.operations import audit as audit_ops
from govdesk.operations import scoring as ops
from govdesk.store import score_store
from tests.conftest import approve_all, as_user, notice_input


def _check(cid: int, month: int, *deductions: Deduction, year: int = 2025) -> SpotCheck:
    return SpotCheck(cid, year, month, deductions=deductions, checker="刘欣",
                     checked_on=date(year, month, 20))


def test_first_save_seeds_the_default_scheme_and_scores(ctx, users, org):
    assert ops.current_scheme(ctx, 2025) is None
    result = ops.save_month(ctx, 2025, 7, [
        _check(org["liuhe"], 7, Deduction("2.3", "7月财务收支未公开", count=1, rule=0)),
        _check(org["yunxi"], 7),
    ])
    assert (result.saved, result.unchanged, result.removed) == (2, 0, 0)
    version = ops.current_scheme(ctx, 2025)
    assert version is not None and version.version == 1 and version.in_use
    assert version.scheme.name == "2025年社区政务公开考核细则"
    view = ops.quarter_view(ctx, 2025, 3)
    totals = {r.score.name: (r.score.total, r.rank, r.grade.value) for r in view.results}
    assert totals == {"云溪社区": (Decimal("100.0"), 1, "优秀"),
                      "柳河村": (Decimal("95.0"), 2, "优秀")}


def test_saving_the_same_month_twice_changes_nothing(ctx, users, org):
    checks = [_check(org["liuhe"], 7, Deduction("1.1", "公开栏破损", count=2, rule=1))]
    ops.save_month(ctx, 2025, 7, checks)
    before = ctx.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    ids = score_store.monthly_check_ids(ctx.db, 2025, 7)
    again = ops.save_month(ctx, 2025, 7, checks)
    assert (again.saved, again.unchanged) == (0, 1)
    assert ctx.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
    assert score_store.monthly_check_ids(ctx.db, 2025, 7) == ids


def test_a_bad_month_reports_every_problem_and_writes_nothing(ctx, users, org):
    ops.save_month(ctx, 2025, 7, [_check(org["liuhe"], 7)])
    before = ctx.db.execute("SELECT count(*) FROM deduction").fetchone()[0]
    with pytest.raises(ValidationErrors) as err:
        ops.save_month(ctx, 2025, 7, [
            _check(org["liuhe"], 7, Deduction("9.9", "不存在的指标", points=Decimal(1))),
            _check(org["yunxi"], 7, Deduction("1.2", "", points=Decimal(8))),
            _check(org["yunxi"], 7),
        ])
    text = "\n".join(err.value.problems)
    assert "柳河村：指标“9.9”不在考核细则中" in text
    assert "云溪社区：指标1.2“监督电话”扣8分，超过该指标分值5分" in text
    assert "云溪社区：指标1.2“监督电话”的扣分缺少扣分原因" in text
    assert "云溪社区在本月出现了两次" in text
    assert ctx.db.execute("SELECT count(*) FROM deduction").fetchone()[0] == before
    assert set(score_store.monthly_check_ids(ctx.db, 2025, 7)) == {org["liuhe"]}


def test_a_checked_month_is_never_replaced_silently(ctx, users, org):
    ops.save_month(ctx, 2025, 7, [_check(org["liuhe"], 7)])
    with pytest.raises(UserError, match="已有1个社区（村）的抽查记录"):
        ops.save_month(ctx, 2025, 7, [_check(org["yunxi"], 7)], replace_existing=False)
    result = ops.save_month(ctx, 2025, 7, [_check(org["yunxi"], 7)])
    assert result.removed == 1
    assert set(score_store.monthly_check_ids(ctx.db, 2025, 7)) == {org["yunxi"]}


def test_a_scheme_in_use_is_frozen_and_copies_apply_from_the_next_quarter(ctx, users, org):
    ops.save_month(ctx, 2025, 7, [_check(org["liuhe"], 7)])
    v1 = ops.current_scheme(ctx, 2025)
    with pytest.raises(UserError, match="请先“复制为新版本”"):
        ops.save_scheme(ctx, v1.id, v1.scheme)
    with pytest.raises(sqlite3.IntegrityError, match="scheme-in-use"):
        score_store.update_scheme(ctx.db, v1.id, {"name": "改名"})
    with pytest.raises(UserError, match="不能删除"):
        ops.delete_scheme(ctx, v1.id)

    v2 = ops.copy_scheme(ctx, v1.id, make_current=True)
    assert (v2.version, v2.current, v2.in_use) == (2, True, False)
    from dataclasses import replace

    changed = replace(v2.scheme, vetoes=(VetoItem("V1", "泄露个人隐私"),))
    v2 = ops.save_scheme(ctx, v2.id, changed, rule=QuarterRule(Decimal("0.4")),
                         grades=GradeThresholds(Decimal(95), Decimal(85), Decimal(60)))
    assert v2.scheme.vetoes == (VetoItem("V1", "泄露个人隐私"),)
    assert v2.rule.monthly_weight == Decimal("0.4")

    # August belongs to the quarter already scored by version 1: it stays on version 1.
    sheet = ops.month_sheet(ctx, 2025, 8)
    assert sheet.scheme.id == v1.id and "沿用" in sheet.note
    ops.save_month(ctx, 2025, 8, [_check(org["liuhe"], 8)])
    assert {r.scheme_id for r in score_store.checks_in_months(ctx.db, 2025, [7, 8])} == {v1.id}
    # October starts a new quarter: the current version (2) applies.
    assert ops.month_sheet(ctx, 2025, 10).scheme.id == v2.id
    assert ops.save_month(ctx, 2025, 10, [_check(org["liuhe"], 10)]).scheme.id == v2.id
    with pytest.raises(UserError, match="同一季度的检查须使用同一版"):
        ops.save_month(ctx, 2025, 8, [_check(org["liuhe"], 8)], scheme_id=v2.id)


def test_invalid_scheme_edit_lists_problems_and_keeps_the_old_one(ctx, users, org):
    v1 = ops.ensure_scheme(ctx, 2025)
    from dataclasses import replace

    top = v1.scheme.indicators[0]
    broken = replace(v1.scheme, indicators=(replace(top, max_points=Decimal(25)),
                                            *v1.scheme.indicators[1:]))
    with pytest.raises(ValidationErrors) as err:
        ops.save_scheme(ctx, v1.id, broken)
    assert any("二级指标合计20分" in p for p in err.value.problems)
    assert ops.get_scheme(ctx, v1.id).scheme == v1.scheme


def test_quarter_tie_rank_drilldown_and_adjustments(ctx, users, org):
    from govdesk.operations.org import save_org_item

    admin = as_user(ctx, users[Role.ADMIN])
    third = save_org_item(admin, "community", {"name": "石桥村", "kind": "村"})
    for month in (7, 8, 9):
        ops.save_month(ctx, 2025, month, [
            _check(org["liuhe"], month, Deduction("2.3", "财务收支未按月公开", count=1, rule=0)),
            _check(org["yunxi"], month, Deduction("1.2", "未公布监督电话", count=1, rule=0)),
            _check(third, month, Deduction("3.2", "公示期满未撤栏", count=1, rule=0)),
        ])
    view = ops.quarter_view(ctx, 2025, 3)
    ranks = [(r.rank, r.score.name, r.score.total) for r in view.results]
    assert ranks == [(1, "石桥村", Decimal("99.0")), (2, "云溪社区", Decimal("95.0")),
                     (2, "柳河村", Decimal("95.0"))]
    lost = ops.explain_community(ctx, view, org["liuhe"])
    assert [(p.month, p.indicator_path, p.reason, p.taken) for p in lost] == [
        (m, ("公开内容", "财务收支公开"), "财务收支未按月公开", Decimal(5)) for m in (7, 8, 9)]
    assert sum(p.lost for p in lost) == 5

    aid = ops.add_adjustment(ctx, org["yunxi"], 2025, 3, "B1", "县政府办通报表彰")
    ops.add_adjustment(ctx, third, 2025, 3, "P1", "被县里通报批评")
    view = ops.quarter_view(ctx, 2025, 3)
    ranks = [(r.rank, r.score.name, r.score.total) for r in view.results]
    assert ranks == [(1, "云溪社区", Decimal("98.0")), (2, "石桥村", Decimal("96.0")),
                     (3, "柳河村", Decimal("95.0"))]
    penalty = [p for p in ops.explain_community(ctx, view, third) if p.month is None]
    assert penalty and penalty[0].indicator_path == ("扣分项", "通报批评")
    with pytest.raises(UserError, match="没有编号为“B9”"):
        ops.add_adjustment(ctx, third, 2025, 3, "B9")
    ops.remove_adjustment(ctx, aid)
    assert ops.quarter_view(ctx, 2025, 3).result_of(org["yunxi"]).score.total == Decimal("95.0")

    data = ops.scores_json(ctx, 2025, 3)
    row = next(c for c in data["communities"] if c["name"] == "柳河村")
    assert row["total"] == 95 and row["grade"] == "优秀"
    assert row["indicators"]["2.3"] == {"name": "财务收支公开", "score": 10, "max": 15}
    json.dumps(data, ensure_ascii=False)


def test_year_view_and_exports_read_back(ctx, users, org, tmp_path):
    for month, pts in ((1, 10), (4, 10), (7, 0), (10, 10)):
        ds = (Deduction("2.1", "公开目录缺项", points=Decimal(pts)),) if pts else ()
        ops.save_month(ctx, 2025, month, [_check(org["liuhe"], month, *ds),
                                          _check(org["yunxi"], month)])
    view = ops.year_view(ctx, 2025)
    by_name = {y.name: y for y in view.scores}
    liuhe = by_name["柳河村"]
    assert dict(liuhe.quarters) == {1: Decimal("90.0"), 2: Decimal("90.0"), 3: Decimal("100.0"),
                                    4: Decimal("90.0")}
    assert liuhe.score == Decimal("92.5") and liuhe.year_end_points == Decimal("4.63")

    xlsx = tmp_path / "q.xlsx"
    assert ops.export_quarter(ctx, 2025, 4, xlsx) == 2
    ws = load_workbook(xlsx).active
    assert "2025年第四季度" in ws["A1"].value
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=5)]
    assert values[0][1] == "云溪社区" and values[1][1] == "柳河村"
    assert 90.0 in values[1]
    ops.export_quarter(ctx, 2025, 4, tmp_path / "q.csv")
    with open(tmp_path / "q.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[2][1] == "柳河村"
    assert ops.export_year(ctx, 2025, tmp_path / "y.xlsx") == 2
    ws = load_workbook(tmp_path / "y.xlsx").active
    found = [[c.value for c in r] for r in ws.iter_rows() if r[1].value == "柳河村"][0]
    assert 92.5 in found and 4.63 in found
    assert ops.export_quarter(ctx, 2025, 4, tmp_path / "q.pdf") == 2
    assert (tmp_path / "q.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(UserError, match=r"只能导出为 \.xlsx"):
        ops.export_quarter(ctx, 2025, 4, tmp_path / "q.doc")
    with pytest.raises(UserError, match="还没有检查记录"):
        ops.export_quarter(ctx, 2024, 4, tmp_path / "none.xlsx")


def test_bulletin_text_is_kept_and_printed(ctx, users, org, tmp_path):
    from pypdf import PdfReader

    ops.save_month(ctx, 2025, 7, [
        _check(org["liuhe"], 7, Deduction("2.3", "财务收支未按月公开", count=1, rule=0)),
        _check(org["yunxi"], 7)])
    bulletin, edited = ops.bulletin_for(ctx, 2025, 3)
    assert not edited and bulletin.title == "关于2025年第三季度社区政务公开考核情况的通报"
    from govdesk.core.bulletin import bulletin_text

    text = bulletin_text(bulletin).replace("现将考核情况通报如下：", "现将考核情况通报如下（已修订）：")
    ops.save_bulletin_text(ctx, 2025, 3, text)
    again, edited = ops.bulletin_for(ctx, 2025, 3)
    assert edited
    pdf = tmp_path / "b.pdf"
    pages = ops.print_bulletin(ctx, 2025, 3, pdf)
    content = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert pages >= 1 and "已修订" in content.replace("\n", "")
    with pytest.raises(UserError, match="第一行应为标题"):
        ops.save_bulletin_text(ctx, 2025, 3, "  \n")
    ops.save_bulletin_text(ctx, 2025, 3, None)
    assert not ops.bulletin_for(ctx, 2025, 3)[1]


def test_auto_findings_come_from_the_register(ctx, users, org):
    from govdesk.operations import notices as notice_ops
    from govdesk.operations import postings

    # A notice of 柳河村 due 2025-10-09, published (posted) on 10-15: late. Its posting was to
    # come down on 10-20 and was taken down on 10-24: overdue. 云溪社区 published nothing.
    late = notice_ops.create_notice(ctx, notice_input(
        ctx, community_id=org["liuhe"], unit_id=None, formed_on=date(2025, 10, 1),
        period=None))
    ctx.db.execute("UPDATE notice SET publish_due = '2025-10-09' WHERE id = ?", [late.id])
    approve_all(ctx, users, late.id)
    [posting] = postings.post_notice(ctx, late.id, [org["b_liuhe"]], posted_on=date(2025, 10, 15),
                                     planned_removal=date(2025, 10, 20))
    postings.take_down(ctx, posting.id, removed_on=date(2025, 10, 24))
    scheme = ops.ensure_scheme(ctx, 2025).scheme
    found = ops.auto_findings(ctx, 2025, 10, scheme, [org["liuhe"], org["yunxi"]])
    liuhe = {d.auto: d for d in found[org["liuhe"]].deductions}
    assert set(liuhe) == {AutoFinding.OVERDUE_PUBLISH, AutoFinding.OVERDUE_TAKE_DOWN}
    assert liuhe[AutoFinding.OVERDUE_PUBLISH].indicator_code == "3.1"
    assert "10月15日公开" in liuhe[AutoFinding.OVERDUE_PUBLISH].evidence
    assert liuhe[AutoFinding.OVERDUE_TAKE_DOWN].posting_id == posting.id
    yunxi = found[org["yunxi"]].deductions
    assert [d.auto for d in yunxi] == [AutoFinding.BLANK_MONTH]
    # November is not over on 2025-11-20: no 空白月 can be concluded yet.
    assert ops.auto_findings(ctx, 2025, 11, scheme, [org["yunxi"]])[org["yunxi"]].deductions == ()
    # The findings save like any other and keep their tag.
    ops.save_month(ctx, 2025, 10, [SpotCheck(org["liuhe"], 2025, 10,
                                             deductions=found[org["liuhe"]].deductions)])
    stored = score_store.checks_in_months(ctx.db, 2025, [10])[0].check
    assert {d.auto for d in stored.deductions} == set(liuhe)


def test_copy_last_month_keeps_entered_findings_only(ctx, users, org):
    scheme = ops.ensure_scheme(ctx, 2025).scheme
    ops.save_month(ctx, 2025, 7, [_check(
        org["liuhe"], 7, Deduction("1.1", "公开栏破损", count=1, rule=1),
        Deduction("3.1", "当月无任何公开内容（空白月）", count=1, rule=1,
                  auto=AutoFinding.BLANK_MONTH))])
    copied = ops.copy_last_month(ctx, 2025, 8, scheme)
    assert list(copied) == [org["liuhe"]]
    assert [(d.indicator_code, d.reason) for d in copied[org["liuhe"]].deductions] == [
        ("1.1", "公开栏破损")]
    assert copied[org["liuhe"]].month == 8 and copied[org["liuhe"]].kind is CheckKind.MONTHLY


def test_only_the_office_scores(ctx, users, org):
    head = as_user(ctx, users[Role.UNIT_HEAD])
    with pytest.raises(PermissionDenied, match="没有录入考核检查和修改考核细则的权限"):
        ops.save_month(head, 2025, 7, [_check(org["liuhe"], 7)])
    assert score_store.monthly_check_ids(ctx.db, 2025, 7) == {}


def test_every_change_is_in_the_audit_log(ctx, users, org):
    ops.save_month(ctx, 2025, 7, [_check(org["liuhe"], 7)])
    ops.save_month(ctx, 2025, 7, [_check(org["liuhe"], 7, Deduction(
        "1.3", "未设意见箱", count=1, rule=0))])
    ops.save_month(ctx, 2025, 7, [])
    actions = [(e.action, e.object_type) for e in audit_ops.list_audit(
        as_user(ctx, users[Role.ADMIN]), limit=50)]
    for expected in (("create", "scheme"), ("create", "spot_check"), ("update", "spot_check"),
                     ("delete", "spot_check")):
        assert expected in actions
    assert audit_ops.verify_audit(as_user(ctx, users[Role.ADMIN])).ok


def test_a_refused_first_save_does_not_create_the_years_scheme(ctx, users, org):
    with pytest.raises(ValidationErrors):
        ops.save_month(ctx, 2025, 7, [_check(org["liuhe"], 7, Deduction("9.9", "无此指标",
                                                                        points=Decimal(1)))])
    assert ops.schemes(ctx, 2025) == []
    assert ctx.db.execute("SELECT count(*) FROM audit_log WHERE object_type = 'scheme'"
                          ).fetchone()[0] == 0


def test_a_new_year_is_entered_against_last_years_scheme_carried_forward(ctx, users, org):
    v = ops.ensure_scheme(ctx, 2024)
    from dataclasses import replace

    top = v.scheme.indicators[0]
    renamed = replace(v.scheme, indicators=(replace(top, name="公开栏阵地建设"),
                                            *v.scheme.indicators[1:]))
    ops.save_scheme(ctx, v.id, renamed)
    sheet = ops.month_sheet(ctx, 2025, 1)
    assert sheet.scheme is None and sheet.preview_scheme.indicators[0].name == "公开栏阵地建设"
    result = ops.save_month(ctx, 2025, 1, [_check(org["liuhe"], 1)])
    assert result.scheme.scheme.indicators[0].name == "公开栏阵地建设"
    assert result.scheme.scheme.name == "2025年社区政务公开考核细则"


def test_taking_a_notice_down_the_next_working_day_is_on_time(ctx, users, org):
    from govdesk.operations import notices as notice_ops
    from govdesk.operations import postings

    scheme = ops.ensure_scheme(ctx, 2025).scheme
    notice = notice_ops.create_notice(ctx, notice_input(
        ctx, community_id=org["liuhe"], unit_id=None, formed_on=date(2025, 10, 1), period=None))
    approve_all(ctx, users, notice.id)
    # Planned for Friday 2025-10-17: down on Monday 10-20 is on time, Tuesday 10-21 is late.
    on_time, late = postings.post_notice(ctx, notice.id, [org["b_liuhe"], org["b_yunxi"]],
                                         posted_on=date(2025, 10, 9),
                                         planned_removal=date(2025, 10, 17))
    postings.take_down(ctx, on_time.id, removed_on=date(2025, 10, 20))
    postings.take_down(ctx, late.id, removed_on=date(2025, 10, 21))
    found = ops.auto_findings(ctx, 2025, 10, scheme, [org["liuhe"], org["yunxi"]])
    assert not [d for d in found[org["liuhe"]].deductions
                if d.auto is AutoFinding.OVERDUE_TAKE_DOWN]
    [down] = [d for d in found[org["yunxi"]].deductions
              if d.auto is AutoFinding.OVERDUE_TAKE_DOWN]
    assert down.posting_id == late.id and "10月21日撤下" in down.evidence


def test_dashboard_reminds_of_last_months_check_once_the_office_uses_checks(ctx, users, org):
    from govdesk.operations import dashboard

    # Never entered a check: no reminder (the office may keep its checks elsewhere).
    assert dashboard.dashboard(ctx).spot_check_missing is None
    ops.save_month(ctx, 2025, 9, [_check(org["liuhe"], 9)])
    assert dashboard.dashboard(ctx).spot_check_missing == (2025, 10)  # today is 2025-11-20
    ops.save_month(ctx, 2025, 10, [_check(org["liuhe"], 10)])
    assert dashboard.dashboard(ctx).spot_check_missing is None
    assert dashboard.dashboard(ctx, date(2026, 1, 5)).spot_check_missing == (2025, 12)
