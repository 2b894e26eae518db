"""govdesk requests import|template|list|show, run as a real process on the demo township."""

import csv
import json

import pytest

from tests.test_cli import run

PASSWORD = "Demo-pass-2025"
CLERK = {"GOVDESK_PASSWORD": PASSWORD}
FIELDS = {"id", "number", "received_on", "channel", "applicant_kind", "applicant", "masked",
          "content", "due_on", "days_left", "state", "state_label", "outcome", "outcome_label",
          "closed_on"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-requests") / "demo.db"
    run(["demo", "--db", str(path), "--password", PASSWORD, "--json"])
    return str(path)


def _json(args, env=None):
    return json.loads(run(args, env).stdout)


def test_list_masks_persons_without_sign_in_and_filters(demo):
    rows = _json(["requests", "list", "--db", demo, "--json"])
    assert len(rows) >= 24 and all(set(r) == FIELDS for r in rows)
    persons = [r for r in rows if r["applicant_kind"] == "自然人"]
    assert persons and all(r["masked"] and "*" in r["applicant"] for r in persons)
    assert all(not r["masked"] for r in rows if r["applicant_kind"] != "自然人")
    closed = [r for r in rows if r["state"] == "closed"]
    assert closed and all(r["outcome"] and r["outcome_label"] and r["closed_on"] for r in closed)
    open_rows = _json(["requests", "list", "--db", demo, "--json", "--open"])
    assert open_rows and all(r["closed_on"] is None for r in open_rows)
    assert any(r["days_left"] is not None for r in open_rows)
    years = {r["received_on"][:4] for r in rows}
    assert len(years) == 2
    one = min(years)
    of_year = _json(["requests", "list", "--db", demo, "--json", "--year", one])
    assert of_year and {r["received_on"][:4] for r in of_year} == {one}
    overdue = _json(["requests", "list", "--db", demo, "--json", "--overdue"])
    assert all(r["state"] == "overdue" for r in overdue)
    signed = _json(["requests", "list", "--db", demo, "--json", "--user", "liuxin"], CLERK)
    assert not any(r["masked"] for r in signed)
    text = run(["requests", "list", "--db", demo]).stdout
    assert "编号" in text and "答复期限" in text


def test_show_by_number_has_the_ledger_deadlines_and_warnings(demo):
    rows = _json(["requests", "list", "--db", demo, "--json"])
    late = next(r for r in rows if r["outcome"] == "3.7")
    shown = _json(["requests", "show", late["number"], "--db", demo, "--json"])
    assert shown["id"] == late["id"] and shown["late_days"] == 3
    assert shown["ledger"][0]["days"] == "20" and shown["ledger"][0]["kind"] == "received"
    assert all(set(line) >= {"date", "text", "days", "due"} for line in shown["ledger"])
    assert shown["warnings"] and "答复期限" in shown["deadlines"]
    assert shown["applicant_contact"] == "" and shown["masked"]
    by_id = _json(["requests", "show", str(late["id"]), "--db", demo, "--json",
                   "--user", "liuxin"], CLERK)
    assert not by_id["masked"] and by_id["applicant_contact"]
    text = run(["requests", "show", late["number"], "--db", demo]).stdout
    assert "逾期3个工作日" in text and "注意：" in text
    missing = run(["requests", "show", "〔1999〕第1号", "--db", demo], check=False)
    assert missing.returncode == 2 and "没有编号" in missing.stderr


def _write(path, rows):
    from govdesk.operations.request_import import TEMPLATE_HEADERS

    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(TEMPLATE_HEADERS)
        w.writerows(rows)
    return str(path)


def test_import_lists_every_problem_with_exit_2_then_imports_once(demo, tmp_path):
    bad = _write(tmp_path / "bad.csv", [
        ["", "飞鸽传书", "2025-03-03", "", "", "自然人", "某甲", "", "征地补偿标准", "", "", ""],
        ["", "邮寄", "2025-03-03", "", "", "自然人", "某乙", "", "危房改造名单", "", "", ""],
    ])
    before = len(_json(["requests", "list", "--db", demo, "--json"]))
    out = run(["requests", "import", bad, "--db", demo, "--user", "liuxin"], CLERK, check=False)
    assert out.returncode == 2
    assert "第 2 行“申请方式”" in out.stderr and "第 3 行“签收日期”" in out.stderr
    assert len(_json(["requests", "list", "--db", demo, "--json"])) == before
    good = _write(tmp_path / "good.csv", [
        ["", "当面", "2025-03-03", "", "", "自然人", "某丙", "", "低保资金发放", "2025-03-10",
         "予以公开", ""],
    ])
    result = _json(["requests", "import", good, "--db", demo, "--user", "liuxin", "--json"],
                   CLERK)
    assert (result["created"], result["closed"], result["skipped"]) == (1, 1, 0)
    assert result["numbers"][0].startswith("〔2025〕")
    again = _json(["requests", "import", good, "--db", demo, "--user", "liuxin", "--json"],
                  CLERK)
    assert (again["created"], again["skipped"]) == (0, 1)
    denied = run(["requests", "import", good, "--db", demo, "--user", "zhaojianguo"], CLERK,
                 check=False)
    assert denied.returncode == 2


def test_template_then_import(demo, tmp_path):
    path = str(tmp_path / "模板.xlsx")
    assert _json(["requests", "template", "-o", path, "--json"])["file"] == path
    result = _json(["requests", "import", path, "--db", demo, "--user", "liuxin", "--json"],
                   CLERK)
    assert result["created"] == 1
