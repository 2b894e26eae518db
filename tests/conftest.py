"""Shared fixtures: a real migrated database in a temporary folder, accounts for every role and a
fixed clock. GUI tests are auto-marked ``gui`` so ``pytest -m "not gui"`` is the fast loop."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if "GOVDESK_CACHE_DIR" not in os.environ:
    # Parsed font metrics go to a folder of this test run, not the user's cache.
    import tempfile

    os.environ["GOVDESK_CACHE_DIR"] = tempfile.mkdtemp(prefix="govdesk-test-cache-")

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import settings

from govdesk.core.notices import NoticeInput, PeriodUnit, PostingPeriod
from govdesk.core.org import Role
from govdesk.operations import auth
from govdesk.operations.context import Context
from govdesk.store.database import connect

settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True)
settings.register_profile("nightly", max_examples=2000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

PASSWORD = "测试口令-Sentinel-9f3a"
TODAY = date(2025, 11, 20)


def pytest_collection_modifyitems(items):
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        # Everything under tests/gui may build widgets, which needs a QApplication.
        in_gui_folder = "gui" in Path(str(item.fspath)).parent.parts[-1:]
        if in_gui_folder or {"qtbot", "qapp", "qtmodeltester"} & set(fixtures):
            item.add_marker(pytest.mark.gui)


class FixedClock:
    """A settable clock; ctx.today() is its local date."""

    def __init__(self, when: datetime) -> None:
        self.now = when

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "govdesk.db"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 11, 20, 4, 0, tzinfo=UTC))


@pytest.fixture
def ctx(db_path: Path, clock: FixedClock, tmp_path: Path) -> Context:
    db = connect(db_path)
    context = Context(db, clock=clock, files_dir=tmp_path / "files")
    yield context
    db.close()


@pytest.fixture
def users(ctx: Context) -> dict[Role, object]:
    """One account per role; ctx is left signed in as the clerk."""
    made = {Role.ADMIN: auth.create_user(ctx, "admin", "管理员", Role.ADMIN, PASSWORD)}
    ctx.user = made[Role.ADMIN]
    for role, login, name in (
        (Role.CLERK, "clerk", "刘欣"), (Role.UNIT_HEAD, "head", "赵国强"),
        (Role.SECRECY_OFFICER, "secrecy", "孙丽"), (Role.DEPUTY_LEADER, "deputy", "王建华"),
        (Role.PRINCIPAL_LEADER, "leader", "陈志远"),
    ):
        made[role] = auth.create_user(ctx, login, name, role, PASSWORD)
    ctx.user = made[Role.CLERK]
    ctx.authenticated_at = ctx.clock()
    return made


def as_user(ctx: Context, user) -> Context:
    """``user`` signed in just now (so a decision needs no second password within 5 minutes)."""
    return Context(ctx.db, user=user, clock=ctx.clock, files_dir=ctx.files_dir,
                   authenticated_at=ctx.clock())


def approve_all(ctx: Context, users, notice_id: int, *, submit: bool = True):
    """Submit (as ctx's user) and approve through every step of the chain, each step by the
    account of its role. Returns the approved slip."""
    from govdesk.core.approvals import Decision
    from govdesk.operations import approvals
    from govdesk.operations import notices as notice_ops

    if submit:
        notice_ops.submit_notice(ctx, notice_id)
    view = approvals.latest_slip(ctx, notice_id)
    while view.current_stage is not None:
        signer = as_user(ctx, users[view.current_stage.role])
        view = approvals.decide(signer, view.id, Decision.APPROVE)
    return view


def approve_letter(ctx: Context, users, letter_id: int):
    """Submit a saved 依申请公开 letter (as ctx's user) and approve it through every step,
    each by the account of its role. Returns the approved slip."""
    from govdesk.core.approvals import Decision
    from govdesk.operations import approvals

    view = approvals.submit_letter(ctx, letter_id)
    while view.current_stage is not None:
        signer = as_user(ctx, users[view.current_stage.role])
        view = approvals.decide(signer, view.id, Decision.APPROVE)
    return view


@pytest.fixture
def org(ctx: Context, users) -> dict[str, int]:
    """Two communities and three boards, created by the admin."""
    from govdesk.operations.org import save_org_item

    admin = as_user(ctx, users[Role.ADMIN])
    ids = {
        "liuhe": save_org_item(admin, "community", {"name": "柳河村", "kind": "村"}),
        "yunxi": save_org_item(admin, "community", {"name": "云溪社区", "kind": "社区"}),
    }
    ids["b_gov"] = save_org_item(admin, "board", {
        "code": "GB-01", "name": "镇政府政务公开栏", "kind": "政务公开栏",
        "location": "镇政府便民服务大厅一楼", "unit_id": 1})
    ids["b_liuhe"] = save_org_item(admin, "board", {
        "code": "CB-01", "name": "柳河村村务公开栏", "kind": "村务公开栏",
        "location": "柳河村村委会门口", "community_id": ids["liuhe"]})
    ids["b_yunxi"] = save_org_item(admin, "board", {
        "code": "CB-02", "name": "云溪社区居务公开栏", "kind": "居务公开栏",
        "community_id": ids["yunxi"]})
    return ids


def notice_input(ctx: Context, **overrides) -> NoticeInput:
    from govdesk.operations import lists

    cats = {c.name: c.id for c in lists.categories(ctx)}
    chans = {c.name: c.id for c in lists.channels(ctx)}
    values = dict(
        title="关于柳河村2025年第三季度低保对象的公示",
        body="根据《社会救助暂行办法》规定，经村民代表评议、镇人民政府审核，现予以公示。\n"
             "一、公示对象\n姓名|村别|保障人数\n王*明|柳河村|2\n"
             "二、公示期间如有异议，请向镇民政办反映。",
        doc_number="",
        category_id=cats["社会救助"],
        unit_id=2,
        formed_on=date(2025, 11, 3),
        channel_ids=(chans["公开栏"], chans["门户网站"]),
        period=PostingPeriod(date(2025, 11, 10), date(2025, 11, 16), PeriodUnit.DAYS),
    )
    values.update(overrides)
    return NoticeInput(**values)
