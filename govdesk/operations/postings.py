"""Posting notices on boards (张贴) and taking them down (撤下)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from govdesk.core.errors import NotFound, UserError
from govdesk.core.notices import NoticeStatus, Posting
from govdesk.operations.context import Context, requires
from govdesk.operations.files import JPEG, PNG, store_file
from govdesk.store import notice_store, org_store

PHOTO_EXTENSIONS = {".jpg": JPEG, ".jpeg": JPEG, ".png": PNG}


def store_photo(ctx: Context, source: str | Path) -> str:
    """Copy a photo into the app's managed folder under a content-derived name (target I8):
    the user's file name is never used as a path."""
    return store_file(ctx, source, folder="photos", kinds=PHOTO_EXTENSIONS, label="照片",
                      allowed="JPG 或 PNG 图片", noun="图片")


def photo_path(ctx: Context, name: str) -> Path | None:
    if not name or ctx.files_dir is None:
        return None
    return ctx.files_dir / "photos" / Path(name).name


@requires("posting.manage")
def post_notice(
    ctx: Context, notice_id: int, board_ids: list[int], *, posted_on: date | None = None,
    planned_removal: date | None = None, photo: str | Path | None = None,
) -> list[Posting]:
    """Post a notice on one or several boards. The planned take-down defaults to the end of its
    公示期. Posting on a board it is already on is refused for that board."""
    notice = notice_store.get_notice(ctx.db, notice_id)
    if notice is None:
        raise NotFound("这条信息不存在")
    from govdesk.operations.approvals import require_publishable

    # 先审查后公开: only the current content with a complete approval goes on a board; the
    # message names the steps still missing.
    require_publishable(ctx, notice_id)
    if notice.status not in (NoticeStatus.APPROVED, NoticeStatus.PUBLISHED):
        raise UserError(f"“{notice.status.value}”的信息不能张贴")
    if not board_ids:
        raise UserError("请至少选择一个公开栏", field="公开栏")
    boards = {b.id: b for b in org_store.list_boards(ctx.db, active_only=True)}
    posted_on = posted_on or ctx.today()
    if planned_removal is None and notice.period is not None:
        planned_removal = notice.period.end
    if planned_removal is not None and planned_removal < posted_on:
        raise UserError("计划撤下日期不能早于张贴日期", field="计划撤下日期")
    problems = []
    for bid in board_ids:
        if bid not in boards:
            problems.append("所选公开栏不存在或已停用")
        elif notice_store.current_posting(ctx.db, notice_id, bid) is not None:
            problems.append(f"这条信息已经张贴在“{boards[bid].name}”上")
    if problems:
        raise UserError("；".join(problems), field="公开栏")
    photo_name = store_photo(ctx, photo) if photo else ""
    ids = []
    with ctx.db.atomic():
        for bid in dict.fromkeys(board_ids):
            pid = notice_store.insert_posting(ctx.db, {
                "notice_id": notice_id, "board_id": bid, "posted_on": posted_on.isoformat(),
                "planned_removal": planned_removal.isoformat() if planned_removal else None,
                "posted_by": ctx.actor_id, "photo": photo_name, "created_at": ctx.now_utc(),
            })
            ctx.audit("post", "posting", pid, notice_id=notice_id, board_id=bid,
                      posted_on=posted_on.isoformat(),
                      planned_removal=planned_removal.isoformat() if planned_removal else None,
                      photo=photo_name)
            ids.append(pid)
        if notice.status is NoticeStatus.APPROVED:
            # Being on a board is being public: the notice becomes 已公开 on the posting day.
            notice_store.set_status(ctx.db, notice_id, NoticeStatus.PUBLISHED,
                                    published_on=posted_on, updated_at=ctx.now_utc())
            ctx.audit("publish", "notice", notice_id, before={"status": notice.status.value},
                      after={"status": NoticeStatus.PUBLISHED.value,
                             "published_on": posted_on.isoformat()})
    return [p for p in (notice_store.get_posting(ctx.db, i) for i in ids) if p is not None]


@requires("posting.manage")
def take_down(ctx: Context, posting_id: int, *, removed_on: date | None = None) -> Posting:
    posting = notice_store.get_posting(ctx.db, posting_id)
    if posting is None:
        raise NotFound("张贴记录不存在")
    if posting.removed_on is not None:
        raise UserError(f"这条信息已于 {posting.removed_on:%Y-%m-%d} 从该公开栏撤下")
    removed_on = removed_on or ctx.today()
    if removed_on < posting.posted_on:
        raise UserError("撤下日期不能早于张贴日期", field="撤下日期")
    with ctx.db.atomic():
        notice_store.remove_posting(ctx.db, posting_id, removed_on, ctx.actor_id)
        ctx.audit("take_down", "posting", posting_id, notice_id=posting.notice_id,
                  board_id=posting.board_id, removed_on=removed_on.isoformat())
    result = notice_store.get_posting(ctx.db, posting_id)
    assert result is not None
    return result


@requires("posting.manage")
def attach_photo(ctx: Context, posting_id: int, photo: str | Path) -> Posting:
    if notice_store.get_posting(ctx.db, posting_id) is None:
        raise NotFound("张贴记录不存在")
    name = store_photo(ctx, photo)
    with ctx.db.atomic():
        notice_store.set_posting_photo(ctx.db, posting_id, name)
        ctx.audit("photo", "posting", posting_id, photo=name)
    result = notice_store.get_posting(ctx.db, posting_id)
    assert result is not None
    return result


def postings_on_board(ctx: Context, board_id: int, *, current_only: bool = True) -> list[Posting]:
    return notice_store.postings_on_board(ctx.db, board_id, current_only=current_only)


def postings_of_notice(ctx: Context, notice_id: int) -> list[Posting]:
    return notice_store.postings_of_notice(ctx.db, notice_id)
