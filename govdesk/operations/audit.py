"""操作日志: reading the audit log, verifying its hash chain (A2) and checking a 审计校验码 printed
on paper against it (A3).

The chain proves "nothing was changed after it was written" only to someone holding a head hash
from before the change: truncating the newest rows, or rewriting the whole chain, leaves a chain
that verifies. That is why the code printed in footers matters; check_code() compares it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from govdesk.core.audit import AuditEntry, audit_code_of, normalise_code, verify_chain
from govdesk.core.errors import UserError
from govdesk.operations.context import Context, requires
from govdesk.store import audit_store

# Every action written through ctx.audit(...) in govdesk/operations (and NoticeAction's values).
# Unknown actions are shown as they are.
ACTION_LABELS: dict[str, str] = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "setup": "首次设置",
    "submit": "提交审批",
    "approve": "批准",
    "return": "退回",
    "reject": "不同意",
    "withdraw": "取回审批单",
    "resubmit": "修改后重新提交",
    "supersede": "内容修改，旧审批单作废",
    "set_approval_chain": "设置审批流程",
    "record_approval": "补录原有审批",
    "reauth": "审批前确认密码",
    "mask": "遮盖个人信息",
    "pass_finding": "保密审查放行",
    "set_screening_lists": "设置敏感词和公开号码",
    "publish": "公开",
    "take_down": "撤下",
    "expire": "失效",
    "republish": "重新公开",
    "post": "张贴",
    "photo": "上传张贴照片",
    "print": "打印",
    "export": "导出",
    "import": "导入台账",
    "import_status": "导入状态",
    "activate": "启用",
    "deactivate": "停用",
    "calendar": "设置节假日",
    "set_print_font": "设置打印字体",
    "login": "登录",
    "sign_in": "登录",
    "login_failed": "登录失败",
    "sign_in_failed": "登录失败",
    "login_locked": "登录失败并锁定",
    "change_password": "修改本人密码",
    "reset_password": "重置密码",
    "unlock": "解除锁定",
    "denied": "越权操作被拒绝",
    "verify_audit": "校验操作日志",
    "check_code": "核验校验码",
    "copy": "复制为新版本",
    "clock": "记录申请办理事项",
    "close": "办结申请",
    "reopen": "撤销办结",
    "redate": "节假日调整后重算期限",
    "import_scores": "导入月抽查记分表",
    "import_requests": "导入申请台账",
    "mark_sent": "登记文书发出日期",
    "backup": "手动备份",
    "backup_failed": "备份失败",
    "verify_backup": "校验备份",
    "copy_backup": "复制备份到U盘或其他文件夹",
    "thin_backups": "清理过期备份",
    "restore": "从备份恢复数据库",
    "restore_failed": "恢复失败",
    "import_register": "导入登记簿（政策解读、舆情热线、建议提案、培训会议）",
    "set_hotline_channels": "设置舆情热线渠道和办理时限",
    "copy_plan": "复制上年实施方案",
    "reorder": "调整顺序",
    "set_task_state": "更改任务状态",
    "add_progress": "记录工作进展",
    "link_notice": "关联信息作为佐证",
    "attach_evidence": "上传佐证材料",
    "remove_evidence": "移除佐证材料",
}

OBJECT_LABELS: dict[str, str] = {
    "notice": "信息",
    "approval_slip": "审批单",
    "posting": "张贴",
    "user": "用户",
    "unit": "站所科室",
    "community": "社区/村",
    "category": "公开目录类别",
    "channel": "公开方式",
    "board": "公开栏",
    "township": "乡镇信息",
    "setting": "设置",
    "calendar_override": "节假日",
    "file": "文件",
    "operation": "操作",
    "audit_log": "操作日志",
    "scheme": "考核细则",
    "spot_check": "考核检查",
    "adjustment": "考核加分/扣分",
    "bulletin": "考核通报",
    "request": "政府信息公开申请",
    "request_event": "申请办理记录",
    "annual_report": "政府信息公开工作年度报告",
    "request_letter": "申请答复文书",
    "review_case": "行政复议/行政诉讼案件",
    "backup": "备份",
    "policy_interpretation": "政策解读",
    "hotline_case": "舆情热线事项",
    "proposal": "建议提案",
    "meeting": "培训会议",
    "work_plan": "政务公开工作实施方案",
    "plan_section": "实施方案板块",
    "plan_task": "实施方案任务",
    "plan_report": "实施方案落实情况报告",
}

FIELD_LABELS: dict[str, str] = {
    "title": "标题",
    "status": "状态",
    "name": "名称",
    "login": "登录名",
    "role": "角色",
    "active": "启用",
    "unit_id": "单位",
    "published_on": "公开日期",
    "reason": "理由",
    "paper": "纸张",
    "board_id": "公开栏",
    "notice_id": "信息",
    "posted_on": "张贴日期",
    "planned_removal": "计划撤下",
    "photo": "照片",
    "index_number": "索引号",
    "doc_number": "文号",
    "permission": "权限",
    "created": "新增",
    "skipped": "跳过",
    "is_workday": "上班",
    "note": "备注",
    "path": "路径",
    "path_name": "文件",
    "ok": "通过",
    "seq": "条号",
    "entries": "条数",
    "first_bad_seq": "首个异常",
    "head_code": "校验码",
    "code": "校验码",
    "slip": "审批单",
    "content_hash": "内容哈希",
    "opinion": "意见",
    "stage": "环节",
    "decision": "决定",
    "notice_status": "信息状态",
    "removed_on": "撤下日期",
    "signer_id": "签批人",
    "sha256": "文件哈希",
}

CLOCK_ROLLBACK = "时间倒退"
REDACTED = "（已隐去）"
SUMMARY_LENGTH = 120
PAGE_SIZE = 200
PROGRESS_EVERY = 2000

# progress(done, total) → False when the user cancelled (gui.background.run_with_steps).
Progress = Callable[[int, int], bool]


@dataclass(frozen=True, slots=True)
class AuditVerdict:
    ok: bool
    entries: int  # entries checked (up to and including the first bad one)
    first_bad_seq: int | None
    head_code: str  # 审计校验码 of the last entry checked; "" for an empty log
    message: str


@dataclass(frozen=True, slots=True)
class CodeCheck:
    ok: bool  # the code is in the log and the chain verifies up to the current head
    code: str
    found: bool
    seq: int | None
    time: str  # local time of the entry with that code, "" when not found
    chain_ok: bool
    first_bad_seq: int | None
    message: str


@dataclass(frozen=True, slots=True)
class AuditRow:
    seq: int
    time: str  # local, "YYYY-MM-DD HH:MM:SS"
    ts_utc: str
    actor_id: int | None
    actor: str
    action: str
    action_label: str
    object_type: str
    object_label: str  # "信息 #12"
    object_id: str
    summary: str
    detail: str  # the payload as indented JSON, passwords hidden
    clock_flag: str


# ---- presentation helpers ------------------------------------------------------------------------


def local_time(ts_utc: str, *, seconds: bool = True) -> str:
    try:
        dt = datetime.fromisoformat(ts_utc)
    except ValueError:
        return ts_utc  # a tampered or foreign value: show what is there
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone().strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def object_label(object_type: str, object_id: str) -> str:
    if object_type == "audit_log":
        return OBJECT_LABELS["audit_log"]
    return f"{OBJECT_LABELS.get(object_type, object_type)} #{object_id}"


def _utc_bound(day: date) -> str:
    """Local midnight at the start of ``day`` as a UTC string comparable with ts_utc."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC).isoformat(timespec="seconds")


def _redact(value: object) -> object:
    # OWASP "data to exclude": no password or password hash is ever shown, whatever the payload.
    if isinstance(value, dict):
        return {k: (REDACTED if "password" in str(k).lower() else _redact(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v) for v in value]
    return value


def _parse(payload: str) -> object:
    try:
        return _redact(json.loads(payload))
    except ValueError:
        return payload


def _short(value: object, width: int = 24) -> str:
    if value is None:
        text = "空"
    elif isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _field(key: str) -> str:
    return FIELD_LABELS.get(key, key)


_HASH = re.compile(r"[0-9a-f]{32,}")
_HEADLINE_KEYS = ("title", "name", "login", "index_number", "code", "status")


def summarise_payload(payload: str) -> str:
    """One line for the table: what changed (before → after), or the main fields."""
    data = _parse(payload)
    if not isinstance(data, dict):
        return _short(data, SUMMARY_LENGTH)
    parts: list[str] = []
    if isinstance(data.get("ok"), bool):  # a check's result (verify_audit, check_code) first
        parts.append("结果：通过" if data["ok"] else "结果：未通过")
    before, after = data.get("before"), data.get("after")
    if isinstance(before, dict) and isinstance(after, dict):
        for key in after:
            if key in before and before[key] != after[key]:
                parts.append(f"{_field(key)}：{_short(before[key])} → {_short(after[key])}")
            elif key not in before and after[key] not in (None, ""):
                parts.append(f"{_field(key)}：{_short(after[key])}")
        if not parts:
            parts.append("无变化")
    else:
        for label, record in (("新建", after), ("删除前", before)):
            if isinstance(record, dict):
                keys = [k for k in _HEADLINE_KEYS if k in record] or list(record)[:3]
                shown = "，".join(f"{_field(k)}：{_short(record[k])}" for k in keys)
                parts.append(f"{label} {shown}")
    for key, value in data.items():
        if key in ("before", "after", "ok") or value in (None, "", [], {}):
            continue
        if isinstance(value, str) and _HASH.fullmatch(value):
            continue  # content and file hashes: in the detail, noise in one line
        if isinstance(value, dict) and set(value) == {"before", "after"}:
            b, a = (v.get("status", v) if isinstance(v, dict) else v
                    for v in (value["before"], value["after"]))
            parts.append(f"{_field(key)}：{_short(b)} → {_short(a)}")
            continue
        parts.append(f"{_field(key)}：{_short(value)}")
    text = "；".join(parts)
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def payload_detail(payload: str) -> str:
    data = _parse(payload)
    if isinstance(data, str):
        return data
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


def _row(entry: AuditEntry, actor_name: str | None) -> AuditRow:
    if entry.actor_id is None:
        actor = "（未登录）"
    else:
        actor = actor_name or f"用户 #{entry.actor_id}"
    return AuditRow(
        seq=entry.seq, time=local_time(entry.ts_utc), ts_utc=entry.ts_utc,
        actor_id=entry.actor_id, actor=actor, action=entry.action,
        action_label=action_label(entry.action), object_type=entry.object_type,
        object_label=object_label(entry.object_type, entry.object_id),
        object_id=entry.object_id, summary=summarise_payload(entry.payload),
        detail=payload_detail(entry.payload), clock_flag=entry.clock_flag,
    )


def _describe(entry: AuditEntry) -> str:
    return f"{local_time(entry.ts_utc, seconds=False)} {action_label(entry.action)}"


# ---- verifying -----------------------------------------------------------------------------------


@dataclass
class _Walk:
    """What the streaming pass saw: count and last entry, for the verdict."""

    count: int = 0
    last: AuditEntry | None = None


def _walk(ctx: Context, progress: Progress | None, walk: _Walk) -> Iterator[AuditEntry]:
    total = audit_store.count(ctx.db) if progress is not None else 0
    for entry in audit_store.iter_entries(ctx.db):
        walk.count += 1
        walk.last = entry
        if progress is not None and walk.count % PROGRESS_EVERY == 0:
            if not progress(walk.count, total):
                raise UserError("已取消校验操作日志")
        yield entry
    if progress is not None:
        progress(walk.count, total)


def _broken_message(ctx: Context, bad_seq: int) -> str:
    entry = audit_store.get_entry(ctx.db, bad_seq)
    assert entry is not None
    what = f"操作日志第{bad_seq}条（{_describe(entry)}）"
    previous = audit_store.previous_seq(ctx.db, bad_seq)
    expected_previous = bad_seq - 1
    if expected_previous >= 1 and previous != expected_previous:
        first_missing = (previous or 0) + 1
        gone = (f"第{first_missing}条" if first_missing == expected_previous
                else f"第{first_missing}至{expected_previous}条")
        return (f"操作日志{gone}已被删除；{what}及其后的记录不可信。")
    return f"{what}被改动、删除或调换了顺序，从这一条起的记录不可信。"


def _check_chain(ctx: Context, progress: Progress | None) -> tuple[int | None, _Walk]:
    walk = _Walk()
    bad = verify_chain(_walk(ctx, progress, walk))
    return bad, walk


@requires("audit.view")
def verify_audit(ctx: Context, progress: Progress | None = None) -> AuditVerdict:
    """Re-check the whole chain, streaming (a million rows never sit in a list), and record the
    check itself as an audit entry written after the check."""
    bad, walk = _check_chain(ctx, progress)
    if bad is not None:
        verdict = AuditVerdict(False, walk.count, bad,
                               audit_code_of(walk.last.entry_hash) if walk.last else "",
                               _broken_message(ctx, bad))
    elif walk.last is None:
        verdict = AuditVerdict(True, 0, None, "", "操作日志为空，没有需要校验的记录。")
    else:
        code = audit_code_of(walk.last.entry_hash)
        verdict = AuditVerdict(
            True, walk.count, None, code,
            f"操作日志完整：共 {walk.count} 条，逐条校验均未被改动、删除或调换顺序。"
            f"最新一条为第{walk.last.seq}条（{_describe(walk.last)}），审计校验码 {code}。",
        )
    with ctx.db.atomic():
        ctx.audit("verify_audit", "audit_log", "chain", ok=verdict.ok, entries=verdict.entries,
                  first_bad_seq=verdict.first_bad_seq, head_code=verdict.head_code)
    return verdict


def audit_code(ctx: Context) -> str:
    """The current 审计校验码 (first 12 hex digits of the chain head), for printed footers (A3);
    "" while the log is empty. It reveals nothing, so it needs no permission."""
    last = audit_store.last_entry(ctx.db)
    return audit_code_of(last.entry_hash) if last else ""


@requires("audit.view")
def check_code(ctx: Context, code: str) -> CodeCheck:
    """核验: does a code printed on paper still match the log, and does the chain from the
    start through that entry up to today's head still verify?"""
    wanted = normalise_code(code)
    if wanted is None:
        raise UserError(f"校验码“{code.strip()}”格式不对：应为 12 位数字或字母 A–F，"
                        "如 3F2A9C1B07DE", field="code")
    shown = wanted.upper()
    entry = audit_store.find_by_code(ctx.db, wanted)
    bad, _walk_seen = _check_chain(ctx, None)
    chain_ok = bad is None
    if entry is None:
        result = CodeCheck(False, shown, False, None, "", chain_ok, bad,
                           f"校验码 {shown} 与操作日志不符：打印之后日志可能被截断或改写。")
    elif bad is not None and bad <= entry.seq:
        result = CodeCheck(False, shown, True, entry.seq, local_time(entry.ts_utc), False, bad,
                           f"校验码 {shown} 对应操作日志第{entry.seq}条，但{_broken_message(ctx, bad)}")
    elif bad is not None:
        result = CodeCheck(
            False, shown, True, entry.seq, local_time(entry.ts_utc), False, bad,
            f"校验码 {shown} 与操作日志第{entry.seq}条（{_describe(entry)}）相符，打印时的记录"
            f"未被改动；但此后{_broken_message(ctx, bad)}")
    else:
        result = CodeCheck(
            True, shown, True, entry.seq, local_time(entry.ts_utc), True, None,
            f"校验码 {shown} 与操作日志相符：对应第{entry.seq}条（{_describe(entry)}），"
            "从第一条到最新一条均校验无误。")
    with ctx.db.atomic():
        ctx.audit("check_code", "audit_log", "chain", code=shown, ok=result.ok,
                  seq=result.seq, first_bad_seq=result.first_bad_seq)
    return result


# ---- listing -------------------------------------------------------------------------------------


def _filters(user_id: int | None, start: date | None, end: date | None, object_type: str | None,
             object_id: object | None, action: str | None) -> dict[str, object]:
    if start is not None and end is not None and end < start:
        raise UserError("结束日期早于开始日期", field="end")
    oid = str(object_id).strip() if object_id is not None else ""
    return {
        "actor_id": user_id,
        # Dates are the office's local dates: [start 00:00, end+1 00:00) local, in UTC.
        "start_utc": _utc_bound(start) if start is not None else None,
        "end_utc": _utc_bound(end + timedelta(days=1)) if end is not None else None,
        "object_type": object_type or None,
        "object_id": oid or None,
        "action": action or None,
    }


@requires("audit.view")
def list_audit(
    ctx: Context,
    *,
    user_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    object_type: str | None = None,
    object_id: object | None = None,
    action: str | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> list[AuditRow]:
    """Entries matching the filters, newest first (start and end are local dates, inclusive)."""
    f = _filters(user_id, start, end, object_type, object_id, action)
    return [_row(e, name) for e, name in
            audit_store.query(ctx.db, limit=limit, offset=offset, **f)]  # type: ignore[arg-type]


@requires("audit.view")
def count_audit(
    ctx: Context,
    *,
    user_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    object_type: str | None = None,
    object_id: object | None = None,
    action: str | None = None,
) -> int:
    f = _filters(user_id, start, end, object_type, object_id, action)
    return audit_store.count_matching(ctx.db, **f)  # type: ignore[arg-type]
