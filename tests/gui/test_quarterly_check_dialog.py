"""季度检查 dialog: a separate quarterly check entered line by line, saved through the operation,
and weighed into the quarter by a 40% / 60% rule."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date  # noqa: E402
from decimal import Decimal  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QDate  # noqa: E402
from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from govdesk.core.scoring import (  # noqa: E402
    CheckKind,
    QuarterRule,
    SpotCheck,
    deduction_for_points,
)
from govdesk.gui import messages  # noqa: E402
from govdesk.gui.dialogs.quarterly_check_dialog import QuarterlyCheckDialog  # noqa: E402
from govdesk.operations import scoring as ops  # noqa: E402


def type_chinese(widget, text):
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def warned(monkeypatch):
    out = []
    monkeypatch.setattr(messages, "warn", lambda parent, text, title="提示": out.append(text))
    return out


def test_quarterly_check_is_saved_and_weighed(qtbot, ctx, users, org, warned):
    version = ops.ensure_scheme(ctx, 2025)
    ops.save_scheme(ctx, version.id, version.scheme, rule=QuarterRule(Decimal("0.4")))
    ops.save_month(ctx, 2025, 7, [SpotCheck(org["liuhe"], 2025, 7)])
    scheme = ops.quarter_scheme(ctx, 2025, 3).scheme
    communities = [(org["liuhe"], "柳河村"), (org["yunxi"], "云溪社区")]
    dlg = QuarterlyCheckDialog(None, scheme, 2025, 3, communities,
                               save=lambda v: ops.save_quarterly_check(ctx, v["check"]))
    qtbot.addWidget(dlg)
    assert dlg.date_edit.minimumDate() == QDate(2025, 7, 1)
    assert dlg.date_edit.maximumDate() == QDate(2025, 9, 30)
    dlg.date_edit.setDate(QDate(2025, 9, 26))

    dlg.accept()  # no checker yet: refused, nothing saved
    assert warned == ["请填写检查人"]
    type_chinese(dlg.checker_edit, "镇政务公开领导小组")
    code, spin, reason = next(line for line in dlg.lines if line[0] == "2.3")
    spin.setValue(10)
    type_chinese(reason, "三季度财务收支两个月未公开")
    dlg.accept()
    assert dlg.result() == dlg.DialogCode.Accepted

    [record] = ops.quarterly_checks(ctx, 2025, 3)
    assert record.check.kind is CheckKind.QUARTERLY
    assert record.check.checked_on == date(2025, 9, 26)
    [d] = record.check.deductions
    assert (d.indicator_code, d.count, d.reason) == ("2.3", 2, "三季度财务收支两个月未公开")
    result = ops.quarter_view(ctx, 2025, 3).result_of(org["liuhe"])
    # 100 × 40% + 90 × 60%
    assert result.score.total == Decimal("94.0")
    assert "40%" in result.score.basis


def test_results_tab_offers_the_quarterly_check_only_under_a_weighted_rule(
        qtbot, ctx, users, org, monkeypatch):
    from govdesk.gui.pages.assessment_results_tab import ResultsTab

    ops.save_month(ctx, 2025, 7, [SpotCheck(org["liuhe"], 2025, 7)])
    tab = ResultsTab(ctx)
    qtbot.addWidget(tab)
    tab.set_period(2025, 3)
    tab.load()
    assert tab.quarterly_button.isHidden()

    version = ops.current_scheme(ctx, 2025)
    copy = ops.copy_scheme(ctx, version.id, make_current=True)
    ops.save_scheme(ctx, copy.id, copy.scheme, rule=QuarterRule(Decimal("0.4")))
    # The quarter already runs on version 1 (mean only); October starts on version 2.
    tab.set_period(2025, 4)
    tab.load()
    assert not tab.quarterly_button.isHidden() and tab.quarterly_button.isEnabled()

    def fake_ask(parent, scheme, year, quarter, communities, *, checker="", save=None):
        assert (year, quarter, checker) == (2025, 4, "刘欣")
        deduction = deduction_for_points(scheme, "1.2", Decimal(5), "未公布监督电话")
        values = {"check": SpotCheck(org["liuhe"], 2025, 12, deductions=(deduction,),
                                     kind=CheckKind.QUARTERLY, checker=checker)}
        save(values)
        return values

    monkeypatch.setattr(QuarterlyCheckDialog, "ask", fake_ask)
    tab.quarterly_button.click()
    tab.quarterly_button.click()  # entered again: replaces, never doubles
    [record] = ops.quarterly_checks(ctx, 2025, 4)
    assert record.check.deductions[0].reason == "未公布监督电话"
    assert tab.view.result_of(org["liuhe"]).score.total == Decimal("95.0")
