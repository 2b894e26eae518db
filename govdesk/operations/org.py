"""Setting up the organisation (设置): township profile, units, communities, boards, categories,
channels and the working-day calendar overrides. Nothing in use is deleted silently: deleting a
record others refer to is refused with a message that suggests 停用 instead."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from govdesk.core.backup_schedule import Trigger
from govdesk.core.errors import NotFound, UserError
from govdesk.core.notices import check_index_pattern
from govdesk.core.org import BoardKind, CommunityKind, Township
from govdesk.operations.backups import backup_first
from govdesk.operations.context import Context, requires
from govdesk.store import org_store

LABELS = {
    "unit": "站所科室",
    "community": "社区/村",
    "category": "公开目录类别",
    "channel": "公开方式",
    "board": "公开栏",
}


@requires("settings.manage")
def update_township(ctx: Context, township: Township) -> Township:
    cleaned = Township(**{k: str(v).strip() for k, v in asdict(township).items()})
    if not cleaned.full_name:
        raise UserError("“全称”不能为空（如：××县××镇人民政府）", field="全称")
    code = cleaned.credit_code
    # 统一社会信用代码 (GB 32100): 18 characters of digits and capital letters.
    if code and (len(code) != 18 or not code.isalnum() or code.upper() != code):
        raise UserError("“统一社会信用代码”应为 18 位数字或大写字母", field="统一社会信用代码")
    check_index_pattern(cleaned.index_pattern)
    before = org_store.get_township(ctx.db)
    with ctx.db.atomic():
        org_store.update_township(ctx.db, cleaned)
        ctx.audit("update", "township", 1, before=asdict(before), after=asdict(cleaned))
    return cleaned


def _clean(table: str, values: dict, row_id: int | None, ctx: Context) -> dict:
    out = dict(values)
    name_col = "code" if table == "board" else "name"
    for key in ("name", "code", "location"):
        if key in out and out[key] is not None:
            out[key] = str(out[key]).strip()
    if not out.get("name"):
        raise UserError("“名称”不能为空", field="名称")
    if len(out["name"]) > 40:
        raise UserError("“名称”最多 40 个字", field="名称")
    if table == "board":
        if not out.get("code"):
            raise UserError("“编号”不能为空", field="编号")
        try:
            out["kind"] = BoardKind(out.get("kind")).value
        except ValueError:
            allowed = "、".join(k.value for k in BoardKind)
            raise UserError(f"“类型”只能是：{allowed}", field="类型") from None
        if out.get("community_id") is None and out.get("unit_id") is None:
            raise UserError("请选择公开栏的“所属社区/村或单位”", field="所属")
        if out.get("paper", "A4") not in ("A4", "A3"):
            raise UserError("“打印纸张”只能是 A4 或 A3", field="打印纸张")
    if table == "community":
        try:
            out["kind"] = CommunityKind(out.get("kind", "社区")).value
        except ValueError:
            raise UserError("“类型”只能是“社区”或“村”", field="类型") from None
    if table == "category":
        days = out.get("publish_limit_days", 20)
        if not isinstance(days, int) or not 0 <= days <= 365:
            raise UserError("“公开时限”应为 0 到 365 之间的工作日数", field="公开时限")
    if org_store.name_taken(ctx.db, table, name_col, out[name_col], row_id):
        label = "编号" if table == "board" else "名称"
        raise UserError(f"{LABELS[table]}的{label}“{out[name_col]}”已存在", field=label)
    if "active" in out:
        out["active"] = int(bool(out["active"]))
    return out


@requires("settings.manage")
def save_org_item(ctx: Context, table: str, values: dict, row_id: int | None = None) -> int:
    """Create (row_id None) or update one unit/community/category/channel/board."""
    if table not in LABELS:
        raise ValueError(table)
    cleaned = _clean(table, values, row_id, ctx)
    with ctx.db.atomic():
        if row_id is None:
            if table != "board" and "sort" not in cleaned:
                cleaned["sort"] = org_store.max_sort(ctx.db, table) + 1
            row_id = org_store.insert_row(ctx.db, table, cleaned)
            ctx.audit("create", table, row_id, after=cleaned)
        else:
            before = org_store.get_row(ctx.db, table, row_id)
            if before is None:
                raise NotFound(f"{LABELS[table]}不存在")
            org_store.update_row(ctx.db, table, row_id, cleaned)
            ctx.audit("update", table, row_id, before=before, after=cleaned)
    return row_id


@requires("settings.manage")
def set_org_item_active(ctx: Context, table: str, row_id: int, active: bool) -> None:
    before = org_store.get_row(ctx.db, table, row_id)
    if before is None:
        raise NotFound(f"{LABELS[table]}不存在")
    with ctx.db.atomic():
        org_store.update_row(ctx.db, table, row_id, {"active": int(active)})
        ctx.audit("activate" if active else "deactivate", table, row_id)


@requires("settings.manage")
@backup_first(Trigger.DELETE)
def delete_org_item(ctx: Context, table: str, row_id: int) -> None:
    before = org_store.get_row(ctx.db, table, row_id)
    if before is None:
        raise NotFound(f"{LABELS[table]}不存在")
    used = org_store.usage(ctx.db, table, row_id)
    if used:
        name = before.get("name") or before.get("code")
        raise UserError(
            f"{LABELS[table]}“{name}”已被 {'、'.join(used)}使用，不能删除；"
            "如不再使用，请改为“停用”，历史记录会保留。"
        )
    with ctx.db.atomic():
        org_store.delete_row(ctx.db, table, row_id)
        ctx.audit("delete", table, row_id, before=before)


@requires("settings.manage")
def set_calendar_day(ctx: Context, day: date, is_workday: bool | None, note: str = "") -> None:
    """Record a day off / make-up working day from the State Council notice (None clears it)."""
    from govdesk.core.calendar import WorkCalendar
    from govdesk.operations.requests import redate_open_requests

    old = ctx.calendar
    with ctx.db.atomic():
        org_store.set_calendar_override(ctx.db, day, is_workday, note.strip())
        ctx.audit("calendar", "calendar_override", day.isoformat(),
                  after={"is_workday": is_workday, "note": note.strip()})
        # 依申请公开 deadlines are working days: the open ones move with the holiday data, and
        # the log says from what to what (issue 6, item 2).
        redate_open_requests(ctx, old, WorkCalendar(org_store.calendar_overrides(ctx.db)))
    ctx.reload_calendar()
