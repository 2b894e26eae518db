"""`govdesk scores …`, `export quarter|year` and `print bulletin` on a real database: the
template → fill → import round trip, exit codes (0, 2 for problems, 5 for a month already
checked), `scores show --json` shape, and the exported files read back."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pypdf
import pytest
from conftest import PASSWORD
from openpyxl import load_workbook

from govdesk import cli
from govdesk.core.scoring import Deduction, SpotCheck
from govdesk.export import score_sheet as ss
from govdesk.operations import scoring as ops


def audit_rows(ctx) -> int:
    """Audit entries other than the command's own sign-in (every signed-in command makes one)."""
    return ctx.db.execute("SELECT count(*) FROM audit_log WHERE action NOT IN"
                          " ('sign_in', 'login')").fetchone()[0]


@pytest.fixture
def signed(monkeypatch):
    monkeypatch.setenv("GOVDESK_USER", "clerk")
    monkeypatch.setenv("GOVDESK_PASSWORD", PASSWORD)


@pytest.fixture
def checked(ctx, users, org):
    """Two communities checked in July and August 2025."""
    for month in (7, 8):
        ops.save_month(ctx, 2025, month, [
            SpotCheck(org["liuhe"], 2025, month, checker="刘欣", checked_on=date(2025, month, 20),
                      deductions=(Deduction("2.3", "财务收支未公开", count=1, rule=0),)),
            SpotCheck(org["yunxi"], 2025, month, checker="刘欣", checked_on=date(2025, month, 20)),
        ])
    return org


def fill(template, out, scores: dict[tuple[str, str], object]):
    wb = load_workbook(template)
    ws = wb[ss.GRID_SHEET]
    meta = {r[2]: r[1] for r in wb[ss.META_SHEET].iter_rows(values_only=True)
            if r[0] == "indicator"}
    rows = {ws.cell(row=r, column=2).value: r for r in range(ss.FIRST_DATA_ROW, ws.max_row + 1)}
    ws["C3"], ws["C4"] = "刘欣", date(2025, 7, 28)
    for (name, code), value in scores.items():
        ws.cell(row=rows[name], column=meta[code], value=value)
    wb.save(out)
    return out


def test_template_fill_import_reimport_and_replace(ctx, users, org, db_path, tmp_path, signed,
                                                   capsys):
    template = tmp_path / "记分表.xlsx"
    assert cli.main(["scores", "template", "--month", "2025-07", "-o", str(template),
                     "--db", str(db_path)]) == 0
    assert "已生成2025年7月抽查记分表" in capsys.readouterr().out
    assert load_workbook(template)[ss.GRID_SHEET]["C2"].value == "2025-07"

    filled = fill(template, tmp_path / "f.xlsx", {("柳河村", "2.3"): 5, ("云溪社区", "1.2"): 5})
    assert cli.main(["scores", "import", str(filled), "--db", str(db_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["year"], result["month"], result["saved"], result["communities"]) == \
        (2025, 7, 2, 2)
    assert len(result["sha256"]) == 64

    before = audit_rows(ctx)
    assert cli.main(["scores", "import", str(filled), "--db", str(db_path)]) == 0
    assert "没有任何改动" in capsys.readouterr().out
    assert audit_rows(ctx) == before

    changed = fill(template, tmp_path / "g.xlsx", {("柳河村", "2.3"): 10})
    assert cli.main(["scores", "import", str(changed), "--db", str(db_path)]) == cli.EXIT_MONTH_CHECKED
    err = capsys.readouterr().err
    assert err.startswith("错误：2025年7月已有2个社区（村）的抽查记录") and "--replace" in err
    assert audit_rows(ctx) == before
    assert cli.main(["scores", "import", str(changed), "--replace", "--db", str(db_path)]) == 0
    assert "已导入2025年7月抽查记录：2 个社区（村）" in capsys.readouterr().out
    stored = ops.month_sheet(ctx, 2025, 7).checks
    assert stored[org["liuhe"]].deductions[0].count == 2 and not stored[org["yunxi"]].deductions


def test_import_lists_every_problem_on_its_own_line(ctx, users, org, db_path, tmp_path, signed,
                                                    capsys):
    template = tmp_path / "t.xlsx"
    assert cli.main(["scores", "template", "--month", "2025-07", "-o", str(template),
                     "--db", str(db_path)]) == 0
    bad = fill(template, tmp_path / "bad.xlsx", {("柳河村", "2.3"): 16, ("云溪社区", "1.1"): "x"})
    capsys.readouterr()
    assert cli.main(["scores", "import", str(bad), "--db", str(db_path)]) == cli.EXIT_USER_ERROR
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "错误：“bad.xlsx”中有2处错误，未导入任何数据："
    assert lines[1].strip().startswith("工作表“记分表”第9行第I列：")
    assert lines[2].strip().startswith("工作表“记分表”第10行第D列：")
    assert not ops.month_sheet(ctx, 2025, 7).checks


def test_broken_file_and_missing_sign_in(ctx, users, org, db_path, tmp_path, signed, capsys,
                                         monkeypatch):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    assert cli.main(["scores", "import", str(fake), "--db", str(db_path)]) == cli.EXIT_USER_ERROR
    assert "不是有效的 .xlsx 文件" in capsys.readouterr().err
    monkeypatch.delenv("GOVDESK_USER")
    assert cli.main(["scores", "template", "--month", "2025-07", "-o", str(tmp_path / "t.xlsx"),
                     "--db", str(db_path)]) == cli.EXIT_USER_ERROR
    assert "请用 --user" in capsys.readouterr().err
    assert cli.main(["scores", "template", "--month", "2025-13", "-o", str(tmp_path / "t.xlsx"),
                     "--db", str(db_path), "--user", "clerk"]) == cli.EXIT_USER_ERROR
    assert "月份“2025-13”不正确" in capsys.readouterr().err


def test_scores_show_json_shape(checked, db_path, capsys):
    assert cli.main(["scores", "show", "2025Q3", "--db", str(db_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["year"], data["quarter"], data["period"]) == (2025, 3, "2025年第三季度")
    assert data["scheme"]["version"] == 1
    rows = {c["name"]: c for c in data["communities"]}
    assert set(rows) == {"柳河村", "云溪社区"}
    liuhe = rows["柳河村"]
    assert (liuhe["total"], liuhe["rank"], liuhe["grade"]) == (95, 2, "优秀")
    assert rows["云溪社区"]["rank"] == 1
    assert liuhe["months"] == {"7": 95, "8": 95}
    assert liuhe["indicators"]["2.3"] == {"name": "财务收支公开", "score": 10, "max": 15}
    assert liuhe["indicators"]["2"]["score"] == 35


def test_scores_show_text_and_an_empty_quarter(checked, db_path, capsys):
    assert cli.main(["scores", "show", "2025Q3", "--db", str(db_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2025年第三季度考核结果（《2025年社区政务公开考核细则》第1版")
    assert lines[1].split("\t")[:5] == ["名次", "社区（村）", "总分", "等次", "公开栏建设（20分）"]
    assert lines[2].split("\t")[:4] == ["1", "云溪社区", "100.0", "优秀"]
    assert lines[3].split("\t")[:4] == ["2", "柳河村", "95.0", "优秀"]
    assert cli.main(["scores", "show", "2025Q1", "--db", str(db_path)]) == 0
    assert "2025年第一季度还没有检查记录" in capsys.readouterr().out
    assert cli.main(["scores", "show", "2025Q5", "--db", str(db_path)]) == cli.EXIT_USER_ERROR
    assert "季度“2025Q5”不正确" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".pdf"])
def test_export_quarter_and_year(checked, db_path, tmp_path, capsys, suffix):
    q = tmp_path / f"季度{suffix}"
    y = tmp_path / f"年度{suffix}"
    assert cli.main(["export", "quarter", "2025Q3", "-o", str(q), "--db", str(db_path)]) == 0
    assert "已导出2025年第三季度考核汇总表" in capsys.readouterr().out
    assert cli.main(["export", "year", "2025", "-o", str(y), "--db", str(db_path)]) == 0
    assert "已导出2025年度考核汇总表" in capsys.readouterr().out
    if suffix == ".xlsx":
        ws = load_workbook(q).active
        assert "2025年第三季度" in ws["A1"].value
        names = [ws.cell(row=r, column=2).value for r in range(4, 6)]
        assert names == ["云溪社区", "柳河村"]
        assert "2025" in load_workbook(y).active["A1"].value
    elif suffix == ".csv":
        rows = list(csv.reader(q.read_text(encoding="utf-8-sig").splitlines()))
        assert rows[1][1] == "云溪社区" and Decimal(rows[2][rows[0].index("总分")]) == 95
        assert len(list(csv.reader(y.read_text(encoding="utf-8-sig").splitlines()))) == 3
    else:
        assert len(pypdf.PdfReader(q).pages) >= 1 and len(pypdf.PdfReader(y).pages) >= 1


def test_export_errors_are_chinese(checked, db_path, tmp_path, capsys):
    assert cli.main(["export", "quarter", "2025Q3", "-o", str(tmp_path / "x.doc"),
                     "--db", str(db_path)]) == cli.EXIT_USER_ERROR
    assert ".xlsx（Excel）、.csv 或 .pdf" in capsys.readouterr().err
    assert cli.main(["export", "quarter", "2025Q1", "-o", str(tmp_path / "x.xlsx"),
                     "--db", str(db_path)]) == cli.EXIT_USER_ERROR
    assert "还没有检查记录" in capsys.readouterr().err
    assert cli.main(["export", "year", "二〇二五", "-o", str(tmp_path / "x.xlsx"),
                     "--db", str(db_path)]) == cli.EXIT_USER_ERROR
    assert "年度“二〇二五”不正确" in capsys.readouterr().err


def test_print_bulletin(checked, ctx, db_path, tmp_path, capsys):
    out = tmp_path / "通报.pdf"
    assert cli.main(["print", "bulletin", "2025Q3", "-o", str(out), "--db", str(db_path)]) == 0
    assert "已打印2025年第三季度考核通报" in capsys.readouterr().out
    assert len(pypdf.PdfReader(out).pages) >= 1
    last = ctx.db.execute("SELECT action, object_type FROM audit_log ORDER BY seq DESC"
                          " LIMIT 1").fetchone()
    assert tuple(last) == ("print", "bulletin")
    assert cli.main(["print", "bulletin", "2025Q3", "-o", str(tmp_path / "x.docx"),
                     "--db", str(db_path)]) == cli.EXIT_USER_ERROR
    assert ".pdf" in capsys.readouterr().err


def test_scores_show_json_as_a_real_process(checked, db_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-m", "govdesk", "scores", "show", "2025Q3", "--json",
                          "--db", str(db_path)], capture_output=True, text=True, env=env,
                         stdin=subprocess.DEVNULL, check=False)
    assert out.returncode == 0, out.stderr
    assert [c["rank"] for c in json.loads(out.stdout)["communities"]] == [1, 2]
