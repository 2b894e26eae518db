"""`govdesk slip …`, `notices publish`, `screen` and `print slip`, run as real processes on one
real database (built once for the module; each test works on its own notices). Passwords come
from the environment, never from an argument."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime

import pypdf
import pytest
from conftest import PASSWORD, notice_input

from govdesk.core.org import Role
from govdesk.operations import auth
from govdesk.operations import notices as notice_ops
from govdesk.operations.context import Context
from govdesk.operations.org import save_org_item
from govdesk.paths import files_dir_for
from govdesk.store.database import connect

PY = [sys.executable, "-m", "govdesk"]
ID_NUMBER = "11010519491231002X"  # a valid 身份证号 (checksum), the kind screening must mask
STAGES = ["科室（社区）负责人审核", "保密审查", "分管领导审核", "主要领导审批"]
SIGNERS = ["head", "secrecy", "deputy", "leader"]


def run(args: list[str], login: str | None = None, password: str | None = PASSWORD):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("GOVDESK_USER", None)
    env.pop("GOVDESK_PASSWORD", None)
    if login:
        env["GOVDESK_USER"] = login
    if password is not None:
        env["GOVDESK_PASSWORD"] = password
    return subprocess.run(PY + args, capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL)


def ok(out) -> str:
    assert out.returncode == 0, out.stderr
    return out.stdout


def refused(out, message: str) -> None:
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert out.stderr.startswith("错误："), out.stderr
    assert message in out.stderr, out.stderr


@dataclass
class Town:
    db: str
    notices: dict[str, int]

    def cli(self, *args: str, login: str | None = None, password: str | None = PASSWORD):
        return run([*args, "--db", self.db], login, password)

    def show(self, slip: str) -> dict:
        return json.loads(ok(self.cli("slip", "show", slip, "--json", login="clerk")))


@pytest.fixture(scope="module")
def town(tmp_path_factory) -> Town:
    path = tmp_path_factory.mktemp("cli-slips") / "town.db"
    db = connect(path)
    ctx = Context(db, files_dir=files_dir_for(path))
    ctx.user = auth.create_user(ctx, "admin", "管理员", Role.ADMIN, PASSWORD)
    made = {}
    for role, login, name in (
        (Role.CLERK, "clerk", "刘欣"), (Role.UNIT_HEAD, "head", "赵国强"),
        (Role.SECRECY_OFFICER, "secrecy", "孙丽"), (Role.DEPUTY_LEADER, "deputy", "王建华"),
        (Role.PRINCIPAL_LEADER, "leader", "陈志远"),
    ):
        made[login] = auth.create_user(ctx, login, name, role, PASSWORD)
    save_org_item(ctx, "board", {"code": "GB-01", "name": "镇政府政务公开栏",
                                 "kind": "政务公开栏", "unit_id": 1})
    today = date.today()
    notices = {}
    for key, drafter, extra in (
        ("full", "clerk", {}), ("returned", "clerk", {}), ("paper", "clerk", {}),
        ("own", "head", {}),
        ("personal", "clerk", {"body": f"申请人王某某，公民身份号码{ID_NUMBER}，经审核符合条件。"}),
    ):
        ctx.user = made[drafter]
        # no 公示期: the posting runs until taken down, whatever day the tests run
        data = notice_input(ctx, title=f"命令行审批测试（{key}）", formed_on=today, period=None,
                            **extra)
        notices[key] = notice_ops.create_notice(ctx, data).id
    db.close()
    return Town(str(path), notices)


def test_submit_approve_every_step_then_publish_and_print(town, tmp_path):
    nid = str(town.notices["full"])
    slip = json.loads(ok(town.cli("slip", "submit", nid, "--json", login="clerk")))
    number = slip["number"]
    assert re.fullmatch(r"SP\d{4}-\d{4}", number)
    assert slip["status_text"] == f"待{STAGES[0]}" and slip["current_step"] == 1
    assert [s["stage"] for s in slip["chain"]] == STAGES

    # 先审查后公开: posting before the approval names every step still missing
    refused(town.cli("notices", "publish", nid, "--board", "GB-01", login="clerk"),
            "还差：" + "、".join(STAGES))

    for i, login in enumerate(SIGNERS):
        key = slip["id"] if i == 2 else number.lower()  # by id, and by 编号 in any case
        who = {"login": login} if i else {}  # GOVDESK_USER, or --user (password from env)
        out = town.cli("slip", "decide", str(key), "--approve", "--opinion", "同意公开",
                       *([] if i else ["--user", login]), **who)
        assert f"{STAGES[i]} 同意" in ok(out)

    shown = town.show(number)
    assert shown["status"] == "已批准" and shown["status_text"] == "已批准"
    assert shown["missing_stages"] == [] and shown["current_step"] is None
    assert [s["decision"]["decision"] for s in shown["chain"]] == ["同意"] * 4
    assert [s["decision"]["signer"] for s in shown["chain"]] == ["赵国强", "孙丽", "王建华", "陈志远"]
    assert all(s["decision"]["paper"] is False and s["approved"] for s in shown["chain"])
    assert [e["kind"] for e in shown["events"]] == ["submit"] + ["decide"] * 4
    assert all(datetime.fromisoformat(e["time"]).tzinfo for e in shown["events"])
    assert re.fullmatch(r"[0-9a-f]{64}", shown["content_hash"])
    assert shown["notice"] == {"id": int(nid), "index_number": shown["notice"]["index_number"],
                               "title": "命令行审批测试（full）", "status": "已批准"}

    out = json.loads(ok(town.cli("notices", "publish", nid, "--board", "GB-01", "--json",
                                 login="clerk")))
    assert out["notice"]["status"] == "已公开"
    assert [p["board_code"] for p in out["postings"]] == ["GB-01"]

    pdf = tmp_path / "slip.pdf"
    assert "共 1 页" in ok(town.cli("print", "slip", number, "--blank", "-o", str(pdf),
                                   login="clerk"))
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) == 1
    assert number in reader.pages[0].extract_text()


def test_return_to_an_earlier_step_and_to_the_drafter(town):
    nid = str(town.notices["returned"])
    number = json.loads(ok(town.cli("slip", "submit", nid, "--json", login="clerk")))["number"]
    ok(town.cli("slip", "decide", number, "--approve", login="head"))
    refused(town.cli("slip", "decide", number, "--return-to", "9", "--opinion", "x",
                     login="secrecy"), "1 科室（社区）负责人审核")
    refused(town.cli("slip", "decide", number, "--return-to", "经办人", login="secrecy"),
            "须填写意见")
    out = ok(town.cli("slip", "decide", number, "--return-to", "1", "--opinion", "请核实人数",
                      login="secrecy"))
    assert f"退回{STAGES[0]}" in out
    assert town.show(number)["status_text"] == f"待{STAGES[0]}"
    ok(town.cli("slip", "decide", number, "--approve", login="head"))
    # back at the step that returned it, which now returns to the drafter
    mine = json.loads(ok(town.cli("slip", "list", "--mine", "--json", login="secrecy")))
    assert number in [s["number"] for s in mine]
    assert number not in [s["number"] for s in json.loads(
        ok(town.cli("slip", "list", "--mine", "--json", login="deputy")))]
    ok(town.cli("slip", "decide", number, "--return-to", "经办人", "--opinion", "请补充监督电话",
                login="secrecy"))
    listed = json.loads(ok(town.cli("slip", "list", "--json", login="clerk")))
    assert {"number": number, "status": "已退回"}.items() <= next(
        s for s in listed if s["number"] == number).items()

    again = ok(town.cli("slip", "submit", nid, login="clerk"))
    assert f"已修改后重新提交：审批单编号 {number}" in again and STAGES[1] in again
    shown = town.show(number)
    assert [e["kind"] for e in shown["events"]] == [
        "submit", "decide", "decide", "decide", "decide", "resubmit"]
    returns = [(e["return_to"], e["return_to_step"]) for e in shown["events"]
               if e["decision"] == "退回修改"]
    assert returns == [(STAGES[0], 1), ("经办人", None)]
    assert shown["status_text"] == f"待{STAGES[1]}" and shown["current_step"] == 2
    assert shown["missing_stages"] == STAGES[1:]


def test_paper_decision_records_signer_and_clerk(town, tmp_path):
    nid = str(town.notices["paper"])
    number = json.loads(ok(town.cli("slip", "submit", nid, "--json", login="clerk")))["number"]
    today = date.today().isoformat()
    paper = ["slip", "decide", number, "--approve", "--opinion", "同意公开", "--paper"]
    refused(town.cli(*paper, "--signed-by", "nobody", "--signed-on", today, login="clerk"),
            "签批人“nobody”不存在")
    refused(town.cli(*paper, "--signed-by", "head", login="clerk"), "--signed-on")
    scan = tmp_path / "我的扫描.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    out = json.loads(ok(town.cli(*paper, "--signed-by", "head", "--signed-on", today,
                                 "--scan", str(scan), "--json", login="clerk")))
    box = out["chain"][0]["decision"]
    assert box["paper"] is True and box["signer"] == "赵国强" and box["entered_by"] == "刘欣"
    assert box["signed_on"] == today and box["opinion"] == "同意公开"
    assert box["scan"].endswith(".png") and "扫描" not in box["scan"]
    assert out["current_step"] == 2
    assert town.show(number)["chain"][0]["decision"] == box
    text = ok(town.cli("slip", "show", number, login="clerk"))
    assert "纸质签批，刘欣代录" in text and number in text


def test_drafter_and_non_approvers_cannot_decide(town):
    nid = str(town.notices["own"])
    number = json.loads(ok(town.cli("slip", "submit", nid, "--json", login="head")))["number"]
    refused(town.cli("slip", "decide", number, "--approve", login="head"),
            "经办人不能审批自己提交的审批单")
    refused(town.cli("slip", "decide", number, "--approve", login="clerk"), "没有审批信息的权限")
    refused(town.cli("slip", "decide", number, "--approve", login="deputy"),
            f"“{STAGES[0]}”须由")
    refused(town.cli("slip", "decide", number, "--approve", "--user", "head", password=None),
            "GOVDESK_PASSWORD")
    shown = town.show(number)
    assert [e["kind"] for e in shown["events"]] == ["submit"]
    assert shown["current_step"] == 1 and all(s["decision"] is None for s in shown["chain"])
    refused(town.cli("slip", "show", "SP1999-0001", login="clerk"), "不存在")
    refused(town.cli("notices", "publish", nid, "--board", "XX-99", login="clerk"),
            "公开栏“XX-99”不存在")


def test_screen_shows_personal_numbers_masked_only(town):
    nid = str(town.notices["personal"])
    out = town.cli("screen", nid, "--json", login="clerk")
    assert out.returncode == 4, out.stderr
    result = json.loads(out.stdout)
    assert result["unresolved"] == 1
    (finding,) = result["findings"]
    assert finding["kind"] == "身份证号" and finding["field"] == "正文" and finding["valid"]
    assert finding["text"] == "110105********002X" and finding["passed_reason"] is None
    assert re.fullmatch(r"[0-9a-f]{16}", finding["fingerprint"])
    text = town.cli("screen", nid, login="clerk")
    assert text.returncode == 4 and "110105********002X" in text.stdout
    for each in (out, text):
        assert ID_NUMBER not in each.stdout + each.stderr
        assert ID_NUMBER[6:14] not in each.stdout + each.stderr  # not even the birth date

    clean = town.cli("screen", str(town.notices["full"]), "--json", login="clerk")
    assert clean.returncode == 0 and json.loads(clean.stdout)["findings"] == []


def test_help_is_chinese():
    out = ok(run(["slip", "decide", "--help"]))
    assert "纸质签批" in out and "--return-to" in out
