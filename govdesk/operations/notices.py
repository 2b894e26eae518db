"""Registering notices (信息登记) and moving them through their statuses."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from govdesk.core.backup_schedule import Trigger
from govdesk.core.errors import NotFound, UserError
from govdesk.core.notices import (
    DISCLOSED_STATUSES,
    EDITABLE_STATUSES,
    Disclosure,
    Notice,
    NoticeAction,
    NoticeFilter,
    NoticeInput,
    NoticeStatus,
    NoticeSummary,
    compute_publish_due,
    format_index_number,
    next_status,
    validate_notice,
)
from govdesk.operations.backups import backup_first
from govdesk.operations.context import Context, requires
from govdesk.store import notice_store, org_store


def get_notice(ctx: Context, notice_id: int) -> Notice:
    notice = notice_store.get_notice(ctx.db, notice_id)
    if notice is None:
        raise NotFound("这条信息不存在或已被删除")
    return notice


def query(
    ctx: Context, f: NoticeFilter, *, sort: str = "formed_on", descending: bool = True,
    offset: int = 0, limit: int = 200,
) -> list[NoticeSummary]:
    return notice_store.query(ctx.db, f, sort=sort, descending=descending, offset=offset,
                              limit=limit)


def count(ctx: Context, f: NoticeFilter) -> int:
    return notice_store.count(ctx.db, f)


def _validate(ctx: Context, data: NoticeInput) -> None:
    db = ctx.db
    validate_notice(
        data,
        category_ids=[c.id for c in org_store.list_categories(db, active_only=True)],
        unit_ids=[u.id for u in org_store.list_units(db, active_only=True)],
        community_ids=[c.id for c in org_store.list_communities(db, active_only=True)],
        channel_ids=[c.id for c in org_store.list_channels(db, active_only=True)],
    )


def _values(ctx: Context, data: NoticeInput) -> dict:
    assert data.formed_on is not None and data.category_id is not None
    category = next(c for c in org_store.list_categories(ctx.db) if c.id == data.category_id)
    due = data.publish_due or compute_publish_due(
        data.formed_on, category.publish_limit_days, ctx.calendar
    )
    period = data.period
    return {
        "title": data.title.strip(),
        "body": data.body.rstrip(),
        "doc_number": data.doc_number.strip(),
        "category_id": data.category_id,
        "disclosure": data.disclosure.value,
        "withhold_ground": (
            "" if data.disclosure is Disclosure.PROACTIVE else data.withhold_ground.strip()
        ),
        "unit_id": data.unit_id,
        "community_id": data.community_id,
        "formed_on": data.formed_on.isoformat(),
        "publish_due": due.isoformat(),
        "period_start": period.start.isoformat() if period else None,
        "period_end": period.end.isoformat() if period else None,
        "period_unit": period.unit.value if period else None,
        "note": data.note.strip(),
        "year": data.formed_on.year,
    }


def new_index_number(ctx: Context, year: int, category_id: int | None) -> str:
    """Take the next 索引号. The counter only goes up, so a number is never handed out twice."""
    township = org_store.get_township(ctx.db)
    pattern = township.index_pattern
    category = next(
        (c.name for c in org_store.list_categories(ctx.db) if c.id == category_id), ""
    )
    # Without {year} in the pattern one counter must serve all years, or numbers would repeat.
    key = year if "{year" in pattern else 0
    while True:
        seq = notice_store.next_index_seq(ctx.db, key)
        number = format_index_number(
            pattern, code=township.credit_code or "000000000000000000", year=year, seq=seq,
            category=category,
        )
        if not notice_store.index_number_exists(ctx.db, number):
            return number


def preview_index_number(ctx: Context, pattern: str, code: str, year: int,
                         category: str) -> tuple[str, int]:
    """What the next 索引号 would be under ``pattern`` (shown in 设置 before saving it); uses no
    number. Returns the number and its sequence."""
    key = year if "{year" in pattern else 0
    seq = notice_store.peek_index_seq(ctx.db, key)
    return format_index_number(pattern, code=code, year=year, seq=seq, category=category), seq


@requires("notice.edit")
def create_notice(ctx: Context, data: NoticeInput, *, import_key: str | None = None,
                  index_number: str | None = None) -> Notice:
    """Register a notice as a draft. ``index_number`` keeps the 索引号 an imported ledger row
    already has; otherwise the next number is generated."""
    _validate(ctx, data)
    values = _values(ctx, data)
    now = ctx.now_utc()
    if index_number is not None:
        index_number = index_number.strip()
        if not index_number or len(index_number) > 60:
            raise UserError("“索引号”不能为空，最多 60 个字符", field="索引号")
        if notice_store.index_number_exists(ctx.db, index_number):
            raise UserError(f"索引号“{index_number}”已被其他信息使用", field="索引号")
    with ctx.db.atomic():
        values.update(
            index_number=index_number or new_index_number(ctx, values["year"], data.category_id),
            status=NoticeStatus.DRAFT.value, created_by=ctx.actor_id, created_at=now,
            updated_at=now, import_key=import_key,
        )
        notice_id = notice_store.insert_notice(ctx.db, values, data.channel_ids)
        ctx.audit("create", "notice", notice_id,
                  after=notice_store.raw_notice(ctx.db, notice_id))
    return get_notice(ctx, notice_id)


@requires("notice.edit")
def update_notice(ctx: Context, notice_id: int, data: NoticeInput) -> Notice:
    return save_content(ctx, notice_id, data, action="update")


def save_content(ctx: Context, notice_id: int, data: NoticeInput, *, action: str,
                 extra: dict | None = None) -> Notice:
    """Store a new version of a notice's content (the caller checked the permission: editing,
    or masking personal information). A pending or approved notice whose published content
    changes gets a new slip that starts over; the old slip stays on record as 已作废."""
    before = get_notice(ctx, notice_id)
    if before.status not in EDITABLE_STATUSES:
        raise UserError(
            f"“{before.status.value}”的信息不能直接修改；如需修改，请先撤下"
        )
    _validate(ctx, data)
    values = _values(ctx, data)
    values["updated_at"] = ctx.now_utc()
    with ctx.db.atomic():
        old = notice_store.raw_notice(ctx.db, notice_id)
        notice_store.update_notice(ctx.db, notice_id, values, data.channel_ids)
        new = notice_store.raw_notice(ctx.db, notice_id)
        ctx.audit(action, "notice", notice_id, before=old, after=new, **(extra or {}))
        if (before.status in (NoticeStatus.PENDING, NoticeStatus.APPROVED)
                and new["content_hash"] != old["content_hash"]):
            # An edited pending or approved notice is a new version: its slip starts over, the
            # old slip stays on record as 已作废.
            from govdesk.operations.approvals import supersede_for_edit

            supersede_for_edit(ctx, notice_id)
            if before.status is NoticeStatus.APPROVED:
                notice_store.set_status(ctx.db, notice_id, NoticeStatus.PENDING,
                                        published_on=before.published_on,
                                        updated_at=ctx.now_utc())
    return get_notice(ctx, notice_id)


@requires("notice.edit")
@backup_first(Trigger.DELETE)
def delete_draft(ctx: Context, notice_id: int) -> None:
    notice = get_notice(ctx, notice_id)
    if notice.status is not NoticeStatus.DRAFT:
        raise UserError("只能删除草稿；已提交或已公开的信息会保留在台账中")
    with ctx.db.atomic():
        old = notice_store.raw_notice(ctx.db, notice_id)
        notice_store.delete_notice(ctx.db, notice_id)
        ctx.audit("delete", "notice", notice_id, before=old)


def _transition(ctx: Context, notice_id: int, action: NoticeAction, *, on: date | None = None,
                reason: str = "") -> Notice:
    notice = get_notice(ctx, notice_id)
    if action in (NoticeAction.PUBLISH, NoticeAction.REPUBLISH):
        # 先审查后公开, checked first so the message names the missing approval steps (the
        # database checks it again).
        from govdesk.operations.approvals import require_publishable

        require_publishable(ctx, notice_id)
    new_status = next_status(notice.status, action)
    published_on = notice.published_on
    if new_status is NoticeStatus.PUBLISHED and published_on is None:
        published_on = on or ctx.today()
    if notice.disclosure is not Disclosure.PROACTIVE and new_status is NoticeStatus.PUBLISHED:
        raise UserError(f"“{notice.disclosure.value}”的信息不能主动公开发布")
    with ctx.db.atomic():
        notice_store.set_status(ctx.db, notice_id, new_status, published_on=published_on,
                                updated_at=ctx.now_utc(), expired_on=on or ctx.today())
        if new_status in (NoticeStatus.TAKEN_DOWN, NoticeStatus.EXPIRED):
            # A notice taken down or expired comes off every board it is still on.
            for posting in notice_store.postings_of_notice(ctx.db, notice_id):
                if posting.removed_on is None:
                    notice_store.remove_posting(ctx.db, posting.id, on or ctx.today(),
                                                ctx.actor_id)
                    ctx.audit("take_down", "posting", posting.id, board_id=posting.board_id)
        ctx.audit(action.value, "notice", notice_id,
                  before={"status": notice.status.value},
                  after={"status": new_status.value,
                         "published_on": published_on.isoformat() if published_on else None},
                  reason=reason)
    return replace(notice, status=new_status, published_on=published_on)


@requires("notice.edit")
def submit_notice(ctx: Context, notice_id: int) -> Notice:
    """提交审批: opens an approval slip (operations.approvals) for the notice's current content."""
    from govdesk.operations.approvals import submit_for_approval

    submit_for_approval(ctx, notice_id)
    return get_notice(ctx, notice_id)


@requires("notice.publish")
def publish_notice(ctx: Context, notice_id: int, on: date | None = None) -> Notice:
    return _transition(ctx, notice_id, NoticeAction.PUBLISH, on=on)


@requires("notice.publish")
def take_down_notice(ctx: Context, notice_id: int, on: date | None = None) -> Notice:
    return _transition(ctx, notice_id, NoticeAction.TAKE_DOWN, on=on)


@requires("notice.publish")
def expire_notice(ctx: Context, notice_id: int) -> Notice:
    return _transition(ctx, notice_id, NoticeAction.EXPIRE)


@requires("notice.publish")
def republish_notice(ctx: Context, notice_id: int) -> Notice:
    return _transition(ctx, notice_id, NoticeAction.REPUBLISH)


ACTION_FUNCTIONS = {
    NoticeAction.SUBMIT: submit_notice,
    NoticeAction.PUBLISH: publish_notice,
    NoticeAction.TAKE_DOWN: take_down_notice,
    NoticeAction.EXPIRE: expire_notice,
    NoticeAction.REPUBLISH: republish_notice,
}


def is_disclosed(notice: Notice) -> bool:
    return notice.status in DISCLOSED_STATUSES
