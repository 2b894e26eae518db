"""Command line: the other face over the same operations as the GUI. No arguments → the GUI."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import date
from pathlib import Path

from govdesk import __version__
from govdesk.core.errors import UserError

EXIT_USER_ERROR = 2


def _notice_json(n) -> dict:
    from govdesk.core.notices import Notice

    d = {
        "id": n.id,
        "index_number": n.index_number,
        "title": n.title,
        "doc_number": n.doc_number,
        "category": n.category,
        "disclosure": n.disclosure.value,
        "unit": n.owner,
        "formed_on": n.formed_on.isoformat(),
        "publish_due": n.publish_due.isoformat(),
        "channels": list(n.channels) if isinstance(n, Notice) else
        [c for c in n.channels.split("、") if c],
        "status": n.status.value,
        "published_on": n.published_on.isoformat() if n.published_on else None,
    }
    if isinstance(n, Notice):
        d.update(
            body=n.body,
            withhold_ground=n.withhold_ground,
            note=n.note,
            posting_period=(
                {"start": n.period.start.isoformat(), "end": n.period.end.isoformat(),
                 "unit": n.period.unit.value} if n.period else None
            ),
        )
    return d


def _print_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _db_path(args: argparse.Namespace) -> Path:
    from govdesk.paths import default_db_path

    return Path(args.db) if args.db else default_db_path()


def _open(args: argparse.Namespace):
    from govdesk.operations.context import Context
    from govdesk.paths import files_dir_for
    from govdesk.store.database import connect

    path = _db_path(args)
    return Context(connect(path), files_dir=files_dir_for(path))


def _password(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UserError(f"请通过环境变量 {env} 提供密码（不要写在命令参数里）")
    return getpass.getpass(prompt)


def _sign_in(ctx, login: str | None) -> str:
    """Sign in (--user or GOVDESK_USER; the password from GOVDESK_PASSWORD or a prompt) and
    return the password, for a step-up (审批) in the same command without asking twice."""
    from govdesk.operations.auth import sign_in

    login = login or os.environ.get("GOVDESK_USER")
    if not login:
        raise UserError("请用 --user 指定操作人（登录名）")
    password = _password("GOVDESK_PASSWORD", f"{login} 的密码：")
    sign_in(ctx, login, password)
    return password


def _lookup(items, name: str, label: str):
    for item in items:
        if name in (item.name, str(item.id)):
            return item
    allowed = "、".join(i.name for i in items)
    raise UserError(f"{label}“{name}”不存在，可选：{allowed}")


# ---- commands ------------------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from govdesk.operations.demo import DEMO_PASSWORD, build_demo

    ctx = _open(args)
    accounts = build_demo(ctx.db, password=args.password or DEMO_PASSWORD,
                          files_dir=ctx.files_dir)
    if args.json:
        _print_json([{"login": a.login, "name": a.name, "role": a.role.value,
                      "role_label": a.role.label} for a in accounts])
    else:
        print(f"已在 {_db_path(args)} 生成演示乡镇。演示账号（密码均为 {args.password or DEMO_PASSWORD}）：")
        for a in accounts:
            print(f"  {a.login:<12} {a.name:<6} {a.role.label}")
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    from govdesk.core.org import Role
    from govdesk.operations.auth import create_user
    from govdesk.store import org_store, user_store

    ctx = _open(args)
    try:
        role = Role.from_text(args.role)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if user_store.count_users(ctx.db) > 0:
        _sign_in(ctx, args.user)
    unit_id = None
    if args.unit:
        unit_id = _lookup(org_store.list_units(ctx.db), args.unit, "单位").id
    password = _password("GOVDESK_NEW_PASSWORD", f"新账号 {args.login} 的密码：")
    user = create_user(ctx, args.login, args.name, role, password, unit_id)
    if args.json:
        _print_json({"id": user.id, "login": user.login, "name": user.name,
                     "role": user.role.value, "role_label": user.role.label})
    else:
        print(f"已创建账号 {user.login}（{user.name}，{user.role.label}）")
    return 0


def cmd_notices_add(args: argparse.Namespace) -> int:
    from govdesk.core.notices import Disclosure, NoticeInput
    from govdesk.operations.notices import create_notice
    from govdesk.store import org_store

    ctx = _open(args)
    _sign_in(ctx, args.user)
    body = ""
    if args.body_file:
        try:
            body = Path(args.body_file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"无法读取正文文件 {args.body_file}：{exc}") from None
    category = _lookup(org_store.list_categories(ctx.db, active_only=True), args.category, "类别")
    unit_id = community_id = None
    units = org_store.list_units(ctx.db, active_only=True)
    communities = org_store.list_communities(ctx.db, active_only=True)
    if any(args.unit in (u.name, str(u.id)) for u in units):
        unit_id = _lookup(units, args.unit, "责任单位").id
    else:
        community_id = _lookup([*units, *communities], args.unit, "责任单位").id
    channels = org_store.list_channels(ctx.db, active_only=True)
    channel_ids = tuple(
        _lookup(channels, c, "公开方式").id for c in (args.channel or ["门户网站"])
    )
    try:
        formed_on = date.fromisoformat(args.formed_on) if args.formed_on else ctx.today()
        disclosure = Disclosure.from_text(args.disclosure)
    except ValueError as exc:
        raise UserError(f"参数有误：{exc}") from None
    notice = create_notice(ctx, NoticeInput(
        title=args.title, body=body, doc_number=args.doc_number or "", category_id=category.id,
        disclosure=disclosure, withhold_ground=args.reason or "", unit_id=unit_id,
        community_id=community_id, formed_on=formed_on, channel_ids=channel_ids,
        note=args.note or "",
    ))
    if args.json:
        _print_json(_notice_json(notice))
    else:
        print(f"已登记：{notice.index_number}  {notice.title}（公开时限 {notice.publish_due}）")
    return 0


def cmd_notices_import(args: argparse.Namespace) -> int:
    from govdesk.operations.ledger import import_notices

    ctx = _open(args)
    _sign_in(ctx, args.user)
    result = import_notices(ctx, args.file)
    if args.json:
        _print_json({"created": result.created, "skipped": result.skipped})
    else:
        print(f"导入完成：新增 {result.created} 条，已存在而跳过 {result.skipped} 条")
    return 0


def _filter(ctx, args: argparse.Namespace):
    from govdesk.core.notices import NoticeFilter, NoticeStatus
    from govdesk.store import org_store

    category_id = board_id = None
    if args.category:
        category_id = _lookup(org_store.list_categories(ctx.db), args.category, "类别").id
    if args.board:
        boards = org_store.list_boards(ctx.db)
        match = [b for b in boards if args.board in (b.code, b.name, str(b.id))]
        if not match:
            raise UserError(f"公开栏“{args.board}”不存在")
        board_id = match[0].id
    try:
        status = NoticeStatus.from_text(args.status) if args.status else None
    except ValueError as exc:
        raise UserError(str(exc)) from None
    return NoticeFilter(year=args.year, category_id=category_id, status=status,
                        board_id=board_id, search=args.search or "")


def cmd_notices_list(args: argparse.Namespace) -> int:
    from govdesk.operations.notices import query

    ctx = _open(args)
    f = _filter(ctx, args)
    rows = query(ctx, f, sort="formed_on", descending=True, limit=args.limit)
    if args.json:
        _print_json([_notice_json(n) for n in rows])
    else:
        for n in rows:
            print(f"{n.index_number}\t{n.formed_on}\t{n.status.value}\t{n.title}")
    return 0


def cmd_notices_export(args: argparse.Namespace) -> int:
    from govdesk.operations.ledger import export_ledger

    ctx = _open(args)
    f = _filter(ctx, args)
    n = export_ledger(ctx, f, args.file, filter_text=f.describe())
    print(f"已导出 {n} 条到 {args.file}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from govdesk.operations.dashboard import disclosure_stats
    from govdesk.operations.ledger import export_stats

    ctx = _open(args)
    year = args.year or ctx.today().year
    stats = disclosure_stats(ctx, date(year, 1, 1), date(year, 12, 31))
    if args.xlsx:
        export_stats(ctx, stats, args.xlsx)
    if args.json:
        _print_json({
            "year": year,
            "items": stats.items,
            "total": stats.total,
            "by_channel": stats.by_channel(),
            "by_category": stats.by_category(),
            "by_month": {str(m): n for m, n in stats.by_month().items()},
            "cells": [
                {"category": c, "channel": ch, "month": m, "count": n}
                for (c, ch, m), n in sorted(stats.cells.items())
            ],
        })
    else:
        print(f"{year}年主动公开信息 {stats.items} 条，各渠道发布 {stats.total} 条次：")
        for ch, n in stats.by_channel().items():
            print(f"  {ch}：{n} 条")
    return 0


# ---- print ---------------------------------------------------------------------------------------


def _board_id(ctx, text: str) -> int:
    from govdesk.store import org_store

    match = [b for b in org_store.list_boards(ctx.db) if text in (b.code, b.name, str(b.id))]
    if not match:
        codes = "、".join(b.code for b in org_store.list_boards(ctx.db))
        raise UserError(f"公开栏“{text}”不存在" + (f"，可选：{codes}" if codes else ""))
    return match[0].id


def _date_arg(text: str, label: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{label}“{text}”格式不对，应为 YYYY-MM-DD") from None


def _notice_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UserError(f"信息编号“{text}”应为数字（见 notices list --json 的 id）") from None


def cmd_print_notice(args: argparse.Namespace) -> int:
    from govdesk.operations.printing import print_notice

    notice_id = _notice_id(args.id)
    ctx = _open(args)
    pages = print_notice(ctx, notice_id, args.output, paper=args.paper,
                         red_header=args.red_header, review_copy=args.review_copy)
    print(f"已打印到 {args.output}，共 {pages} 页")
    return 0


def cmd_print_board(args: argparse.Namespace) -> int:
    from govdesk.operations.printing import print_board_sheet

    ctx = _open(args)
    pages = print_board_sheet(ctx, _board_id(ctx, args.code), args.output)
    print(f"已打印公开栏清单到 {args.output}，共 {pages} 页")
    return 0


def cmd_print_batch(args: argparse.Namespace) -> int:
    from govdesk.operations.printing import print_batch

    ctx = _open(args)
    if args.board:
        pages = print_batch(ctx, args.output, board_id=_board_id(ctx, args.board),
                            paper=args.paper)
    else:
        if not (args.date_from and args.date_to):
            raise UserError("请用 --board 指定公开栏，或同时用 --from 和 --to 指定日期范围")
        pages = print_batch(ctx, args.output, start=_date_arg(args.date_from, "开始日期"),
                            end=_date_arg(args.date_to, "结束日期"), paper=args.paper)
    print(f"已打印到 {args.output}，共 {pages} 页（含封面清单）")
    return 0


def cmd_print_ledger(args: argparse.Namespace) -> int:
    from govdesk.operations.printing import print_ledger

    ctx = _open(args)
    f = _filter(ctx, args)
    pages = print_ledger(ctx, f, args.output, filter_text=f.describe())
    print(f"已打印台账到 {args.output}，共 {pages} 页")
    return 0


# ---- slips (审批单), publishing, screening ---------------------------------------------------------

# Screening found personal information or marks not yet masked or passed: the notice cannot pass
# 保密审查 as it is. Neither a usage error (2) nor a broken log (3), so scripts can tell them apart.
EXIT_FINDINGS = 4


def _signed_in(args: argparse.Namespace):
    """Slips are the office's internal review record (opinions, signers): reading them needs a
    signed-in user, like changing them."""
    ctx = _open(args)
    _sign_in(ctx, args.user)
    return ctx


def _time_text(utc_iso: str) -> str:
    from datetime import datetime

    return datetime.fromisoformat(utc_iso).astimezone().strftime("%Y-%m-%d %H:%M")


def _user_name(ctx, user_id: int | None, cache: dict) -> str | None:
    from govdesk.store import user_store

    if user_id is None:
        return None
    if user_id not in cache:
        user = user_store.get_user(ctx.db, user_id)
        cache[user_id] = user.name if user else ""
    return cache[user_id]


def _target_text(view, target: int | None) -> str | None:
    from govdesk.core.approvals import DRAFTER

    if target is None:
        return None
    return "经办人" if target == DRAFTER else view.chain[target].value


def _event_json(ctx, view, row, names: dict) -> dict:
    from govdesk.core.approvals import DRAFTER

    ev = row.event
    return {
        "id": row.id,
        "kind": ev.kind.value,
        "kind_label": ev.kind.label,
        "time": row.at_utc,
        "step": ev.step + 1 if ev.step is not None else None,
        "stage": row.stage or None,
        "decision": ev.decision.value if ev.decision else None,
        "opinion": ev.opinion,
        "return_to": _target_text(view, ev.return_to),
        "return_to_step": (ev.return_to + 1 if ev.return_to is not None
                           and ev.return_to != DRAFTER else None),
        "actor_id": ev.actor_id,
        "actor": row.actor_name,
        "actor_role": row.actor_role,
        "paper": ev.paper,
        "entered_by_id": ev.entered_by,
        "entered_by": _user_name(ctx, ev.entered_by, names),
        "signed_on": ev.signed_on.isoformat() if ev.signed_on else None,
        "scan": row.scan or None,
        "content_hash": ev.content_hash,
    }


def _slip_json(ctx, view) -> dict:
    from govdesk.core.approvals import EventKind

    names: dict = {}
    events = [_event_json(ctx, view, row, names) for row in view.events]
    latest: dict[int, dict] = {}
    for row, data in zip(view.events, events, strict=True):
        if row.event.kind is EventKind.DECIDE and row.event.step is not None:
            latest[row.event.step] = data
    chain = []
    for i, stage in enumerate(view.chain):
        d = latest.get(i)
        chain.append({
            "step": i + 1,
            "stage": stage.value,
            "stage_code": stage.name,
            "current": view.state.current == i,
            "approved": i in view.state.approvals,
            # the step's latest decision; for a paper slip the signer is the leader who signed,
            # entered_by the clerk who entered it
            "decision": None if d is None else {
                "decision": d["decision"], "opinion": d["opinion"], "return_to": d["return_to"],
                "return_to_step": d["return_to_step"], "signer_id": d["actor_id"],
                "signer": d["actor"], "signer_role": d["actor_role"], "time": d["time"],
                "paper": d["paper"], "entered_by_id": d["entered_by_id"],
                "entered_by": d["entered_by"], "signed_on": d["signed_on"], "scan": d["scan"],
            },
        })
    current = view.state.current
    return {
        "id": view.id,
        "number": view.number,
        "notice": {"id": view.notice.id, "index_number": view.notice.index_number,
                   "title": view.notice.title, "status": view.notice.status.value}
        if view.notice is not None else None,
        "letter": {"id": view.letter.id, "kind": view.letter.kind.value,
                   "request_id": view.letter.letter.request_id,
                   "request_number": view.letter.request_number, "title": view.letter.title}
        if view.letter is not None else None,
        "status": view.state.status.value,
        "status_text": view.status_text,
        "current_step": current + 1 if current is not None else None,
        "current_stage": view.chain[current].value if current is not None else None,
        "drafter_id": view.slip.drafter_id,
        "drafter": view.drafter_name,
        "created_at": view.slip.created_at,
        "content_hash": view.state.content_hash,
        "submitted_content_hash": view.slip.content_hash,
        "chain": chain,
        "missing_stages": view.missing_stages(),
        "events": events,
    }


def _slip_summary_json(view) -> dict:
    current = view.state.current
    return {
        "id": view.id, "number": view.number,
        "notice_id": view.notice.id if view.notice is not None else None,
        "letter_id": view.letter.id if view.letter is not None else None,
        "title": view.title, "notice_title": view.title, "status": view.state.status.value,
        "status_text": view.status_text,
        "current_step": current + 1 if current is not None else None,
        "current_stage": view.chain[current].value if current is not None else None,
        "drafter": view.drafter_name, "created_at": view.slip.created_at,
    }


def _print_slip_text(ctx, view) -> None:
    data = _slip_json(ctx, view)
    if view.notice is not None:
        print(f"审批单 {view.number}  信息 {view.notice.id}（{view.notice.index_number}）"
              f"《{view.notice.title}》")
    else:
        print(f"审批单 {view.number}  文书《{view.title}》")
    print(f"状态：{view.status_text}    经办人：{view.drafter_name}    "
          f"提交时间：{_time_text(view.slip.created_at)}")
    print("审批环节：")
    for step in data["chain"]:
        mark = "▶" if step["current"] else " "
        d = step["decision"]
        if d is None:
            print(f" {mark}{step['step']}. {step['stage']}：未审批")
            continue
        how = ""
        if d["paper"]:
            how = f"（纸质签批，{d['entered_by']}代录，签批日期 {d['signed_on']}）"
        back = f"，退回{d['return_to']}" if d["return_to"] else ""
        print(f" {mark}{step['step']}. {step['stage']}：{d['decision']}{back}  {d['signer']}  "
              f"{_time_text(d['time'])}{how}")
        print(f"      意见：{d['opinion']}")
    print("办理记录：")
    for e in data["events"]:
        what = e["kind_label"]
        if e["decision"]:
            what = f"{e['stage']} {e['decision']}" + (
                f"（退回{e['return_to']}）" if e["return_to"] else "")
            if e["paper"]:
                what += f"，纸质签批，{e['entered_by']}代录"
        print(f"  {_time_text(e['time'])}  {e['actor']}  {what}"
              + (f"：{e['opinion']}" if e["opinion"] else ""))
    if data["missing_stages"]:
        print("尚缺：" + "、".join(data["missing_stages"]))
    print(f"内容摘要（SHA-256）：{data['content_hash']}")


def _return_target(view, text: str) -> int:
    """``--return-to``: 经办人/drafter, a stage (中文名 or UNIT_HEAD …), or a step number (1-based)."""
    import unicodedata

    from govdesk.core.approvals import DRAFTER

    def norm(s: str) -> str:
        return unicodedata.normalize("NFKC", s).strip().casefold()

    key = norm(text)
    if key in ("经办人", "drafter"):
        return DRAFTER
    if key.isdigit():
        step = int(key)
        if 1 <= step <= len(view.chain):
            return step - 1
    for i, stage in enumerate(view.chain):
        if key in (norm(stage.value), stage.name.casefold()):
            return i
    steps = "、".join(f"{i + 1} {s.value}" for i, s in enumerate(view.chain))
    raise UserError(f"退回到“{text}”不明确：可填 经办人，或审批单 {view.number} 的环节名称或序号"
                    f"（{steps}）")


def _user_id(ctx, login: str) -> int:
    from govdesk.core.auth import normalise_login
    from govdesk.store import user_store

    found = user_store.find_by_login(ctx.db, normalise_login(login))
    if found is None:
        raise UserError(f"签批人“{login}”不存在，请填写签批领导的登录名")
    return found[0].id


def cmd_slip_submit(args: argparse.Namespace) -> int:
    from govdesk.core.approvals import EventKind
    from govdesk.operations.approvals import submit_for_approval

    notice_id = _notice_id(args.notice_id)
    ctx = _signed_in(args)
    view = submit_for_approval(ctx, notice_id)
    if args.json:
        _print_json(_slip_json(ctx, view))
    else:
        again = view.events[-1].event.kind is EventKind.RESUBMIT
        step = view.state.current
        print(f"{'已修改后重新提交' if again else '已提交审批'}：审批单编号 {view.number}，"
              f"下一步：{view.chain[step].value}（第 {step + 1} 步，共 {len(view.chain)} 步）")
    return 0


def cmd_slip_decide(args: argparse.Namespace) -> int:
    from govdesk.core.approvals import Decision
    from govdesk.operations.approvals import decide, find_slip, record_paper_decision
    from govdesk.operations.context import can

    ctx = _open(args)
    password = _sign_in(ctx, args.user)
    view = find_slip(ctx, args.slip)
    if args.approve:
        decision, return_to = Decision.APPROVE, None
    elif args.reject:
        decision, return_to = Decision.REJECT, None
    else:
        decision, return_to = Decision.RETURN, _return_target(view, args.return_to)
    opinion = args.opinion or ""
    if args.paper:
        if not args.signed_by or not args.signed_on:
            raise UserError("纸质签批须用 --signed-by 填写签批领导的登录名，"
                            "用 --signed-on 填写纸上的签批日期")
        signer_id = _user_id(ctx, args.signed_by)
        signed_on = _date_arg(args.signed_on, "签批日期")
        # stored only for someone who may enter paper slips (the operation refuses the rest)
        scan = args.scan if args.scan and can(ctx.user, "slip.record_paper") \
            else ""
        view = record_paper_decision(ctx, view.id, signer_id=signer_id, decision=decision,
                                     opinion=opinion, signed_on=signed_on, password=password,
                                     return_to=return_to, scan=scan)
    else:
        if args.signed_by or args.signed_on or args.scan:
            raise UserError("--signed-by、--signed-on、--scan 只用于纸质签批，请同时加 --paper")
        view = decide(ctx, view.id, decision, opinion, password=password, return_to=return_to)
    if args.json:
        _print_json(_slip_json(ctx, view))
    else:
        last = view.events[-1]
        back = f"，退回{_target_text(view, last.event.return_to)}" if last.event.return_to \
            is not None else ""
        print(f"已记录：{last.stage} {decision.value}{back}（{last.actor_name}"
              f"{'，纸质签批代录' if args.paper else ''}）。审批单 {view.number} 现为"
              f"“{view.status_text}”")
    return 0


def cmd_slip_show(args: argparse.Namespace) -> int:
    from govdesk.operations.approvals import find_slip

    ctx = _signed_in(args)
    view = find_slip(ctx, args.slip)
    if args.json:
        _print_json(_slip_json(ctx, view))
    else:
        _print_slip_text(ctx, view)
    return 0


def cmd_slip_list(args: argparse.Namespace) -> int:
    from govdesk.operations.approvals import my_queue, open_slips

    ctx = _signed_in(args)
    views = my_queue(ctx) if args.mine else open_slips(ctx)
    if args.json:
        _print_json([_slip_summary_json(v) for v in views])
    else:
        if not views:
            print("没有待我审批的审批单" if args.mine else "没有审批中或已退回的审批单")
        for v in views:
            what = f"信息{v.notice.id}" if v.notice is not None else "文书"
            print(f"{v.number}\t{v.status_text}\t{v.drafter_name}\t{what}\t{v.title}")
    return 0


def cmd_print_slip(args: argparse.Namespace) -> int:
    from govdesk.operations.approvals import find_slip, print_slip

    ctx = _signed_in(args)
    view = find_slip(ctx, args.slip)
    pages = print_slip(ctx, view.id, args.output, blank=args.blank)
    kind = "空白审批单（供手写签批）" if args.blank else "审批单"
    print(f"已打印{kind} {view.number} 到 {args.output}，共 {pages} 页")
    return 0


def cmd_notices_publish(args: argparse.Namespace) -> int:
    from govdesk.operations.notices import get_notice, publish_notice
    from govdesk.operations.postings import post_notice
    from govdesk.store import org_store

    notice_id = _notice_id(args.notice_id)
    ctx = _open(args)
    _sign_in(ctx, args.user)
    on = _date_arg(args.on, "日期") if args.on else None
    posted = []
    if args.board:
        board_ids = [_board_id(ctx, code) for code in args.board]
        posted = post_notice(ctx, notice_id, board_ids, posted_on=on)
        notice = get_notice(ctx, notice_id)
    else:
        notice = publish_notice(ctx, notice_id, on=on)
    boards = {b.id: b for b in org_store.list_boards(ctx.db)}
    if args.json:
        _print_json({"notice": _notice_json(notice), "postings": [
            {"id": p.id, "board_id": p.board_id, "board_code": boards[p.board_id].code,
             "board_name": boards[p.board_id].name, "posted_on": p.posted_on.isoformat(),
             "planned_removal": p.planned_removal.isoformat() if p.planned_removal else None}
            for p in posted]})
    elif posted:
        where = "、".join(f"{boards[p.board_id].code} {boards[p.board_id].name}" for p in posted)
        print(f"已张贴：{notice.index_number}  {notice.title} → {where}"
              f"（{posted[0].posted_on}，状态 {notice.status.value}）")
    else:
        print(f"已公开：{notice.index_number}  {notice.title}（{notice.published_on}，"
              f"公开方式 {'、'.join(notice.channels)}）")
    return 0


def cmd_screen(args: argparse.Namespace) -> int:
    # Findings are shown masked (shown()) and identified by their fingerprint: a full ID, phone
    # or card number never reaches the terminal, a log or a JSON file.
    from govdesk.operations.notices import get_notice
    from govdesk.operations.screening import screen_notice, shown

    notice_id = _notice_id(args.notice_id)
    ctx = _signed_in(args)
    notice = get_notice(ctx, notice_id)
    found = screen_notice(ctx, notice_id)
    left = [s for s in found if not s.resolved]
    if args.json:
        _print_json({
            "notice_id": notice.id, "index_number": notice.index_number,
            "findings": [{
                "kind": s.finding.kind.value, "field": s.finding.field,
                "position": s.finding.start + 1, "length": s.finding.end - s.finding.start,
                "text": shown(s.finding), "valid": s.finding.valid, "maskable": s.maskable,
                "resolved": s.resolved, "passed_reason": s.passed_reason or None,
                "passed_by": s.passed_by or None, "fingerprint": s.finding.fingerprint,
            } for s in found],
            "unresolved": len(left),
        })
    else:
        if not found:
            print(f"信息 {notice.index_number}：未发现个人信息、密级标志或敏感词")
        for s in found:
            passed = f"  已放行（{s.passed_by}：{s.passed_reason}）" if s.resolved else ""
            print(f"{s.describe()}  [{s.finding.fingerprint}]{passed}")
        if left:
            print(f"共 {len(found)} 处，其中 {len(left)} 处尚未处理：请遮盖，"
                  "或由保密审查人填写理由放行")
    return EXIT_FINDINGS if left else 0


def _add_slip_commands(sub, common: argparse.ArgumentParser) -> None:
    user_help = "操作人登录名（或 GOVDESK_USER）；密码取自 GOVDESK_PASSWORD"
    sl = sub.add_parser("slip", help="审批单").add_subparsers(dest="sub", required=True)
    ss = sl.add_parser("submit", parents=[common],
                       help="提交审批（退回经办人修改后再次运行即为重新提交）")
    ss.add_argument("notice_id", help="信息编号（id）")
    ss.add_argument("--user", help="经办人登录名（或 GOVDESK_USER）；密码取自 GOVDESK_PASSWORD")
    ss.set_defaults(func=cmd_slip_submit)

    sd = sl.add_parser("decide", parents=[common], help="审批当前环节（或代录纸质签批）")
    sd.add_argument("slip", help="审批单编号（如 SP2026-0001）或 id")
    sd.add_argument("--user", help="审批人登录名（纸质签批时为代录人）；密码取自 GOVDESK_PASSWORD，"
                    "同时用作审批前的身份确认")
    what = sd.add_mutually_exclusive_group(required=True)
    what.add_argument("--approve", action="store_true", help="同意")
    what.add_argument("--return-to", metavar="STEP",
                      help="退回修改：经办人（drafter），或之前环节的名称、英文名（UNIT_HEAD 等）或序号")
    what.add_argument("--reject", action="store_true", help="不同意")
    sd.add_argument("--opinion", help="审批意见；退回修改、不同意时必填，同意时默认“同意”")
    sd.add_argument("--paper", action="store_true", help="代录领导在纸质审批单上的签批")
    sd.add_argument("--signed-by", metavar="LOGIN", help="纸质签批：签批领导的登录名")
    sd.add_argument("--signed-on", metavar="YYYY-MM-DD", help="纸质签批：纸上的签批日期")
    sd.add_argument("--scan", metavar="FILE", help="纸质签批：审批单扫描件或照片（JPG/PNG）")
    sd.set_defaults(func=cmd_slip_decide)

    sw = sl.add_parser("show", parents=[common], help="查看审批单：各环节意见和全部办理记录")
    sw.add_argument("slip", help="审批单编号（如 SP2026-0001）或 id")
    sw.add_argument("--user", help=user_help)
    sw.set_defaults(func=cmd_slip_show)

    sli = sl.add_parser("list", parents=[common], help="审批中和已退回的审批单")
    sli.add_argument("--mine", action="store_true", help="只列待我审批的")
    sli.add_argument("--user", help=user_help)
    sli.set_defaults(func=cmd_slip_list)

    sc = sub.add_parser("screen", parents=[common],
                        help="筛查信息中的个人信息、密级标志和敏感词（有未处理的退出码 4）")
    sc.add_argument("notice_id", help="信息编号（id）")
    sc.add_argument("--user", help=user_help)
    sc.set_defaults(func=cmd_screen)


# ---- audit (操作日志) -------------------------------------------------------------------------------

# The log was checked and found altered: not a usage error (2), so scripts can tell them apart.
EXIT_AUDIT_BROKEN = 3


def _audit_context(args: argparse.Namespace):
    ctx = _open(args)
    _sign_in(ctx, args.user)
    return ctx


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from govdesk.operations.audit import verify_audit

    verdict = verify_audit(_audit_context(args))
    if args.json:
        _print_json({"ok": verdict.ok, "entries": verdict.entries,
                     "first_bad_seq": verdict.first_bad_seq, "head_code": verdict.head_code,
                     "message": verdict.message})
    else:
        print(verdict.message)
    return 0 if verdict.ok else EXIT_AUDIT_BROKEN


def cmd_audit_check_code(args: argparse.Namespace) -> int:
    from govdesk.operations.audit import check_code

    result = check_code(_audit_context(args), args.code)
    if args.json:
        _print_json({"ok": result.ok, "code": result.code, "found": result.found,
                     "seq": result.seq, "time": result.time, "chain_ok": result.chain_ok,
                     "first_bad_seq": result.first_bad_seq, "message": result.message})
    else:
        print(result.message)
    return 0 if result.ok else EXIT_AUDIT_BROKEN


def _add_audit_commands(sub, common: argparse.ArgumentParser) -> None:
    a = sub.add_parser("audit", help="操作日志").add_subparsers(dest="sub", required=True)
    av = a.add_parser("verify", parents=[common],
                      help="逐条校验操作日志（完整时退出码 0，被改动时 3）")
    av.add_argument("--user", help="管理员登录名；密码取自 GOVDESK_PASSWORD")
    av.set_defaults(func=cmd_audit_verify)
    ac = a.add_parser("check-code", parents=[common],
                      help="核验打印件上的审计校验码（相符时退出码 0，不符时 3）")
    ac.add_argument("code", help="12 位审计校验码，如 3F2A9C1B07DE")
    ac.add_argument("--user", help="管理员登录名；密码取自 GOVDESK_PASSWORD")
    ac.set_defaults(func=cmd_audit_check_code)


# ---- assessment (月抽查、季考核) --------------------------------------------------------------------

# The month already has different checks and --replace was not given: nothing was imported. Not a
# usage error (2), so a script can tell it apart, ask, and run again with --replace.
EXIT_MONTH_CHECKED = 5


def _year_arg(text: str) -> int:
    text = text.strip().removesuffix("年")
    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise UserError(f"年度“{text}”不正确，应写成如 2017")
    return int(text)


def _quarter_label(year: int, quarter: int) -> str:
    from govdesk.core.bulletin import quarter_label

    return quarter_label(year, quarter)


def cmd_scores_template(args: argparse.Namespace) -> int:
    from govdesk.operations.score_import import write_template
    from govdesk.operations.scoring import parse_month

    year, month = parse_month(args.month)
    ctx = _open(args)
    _sign_in(ctx, args.user)
    n = write_template(ctx, year, month, args.output)
    if args.json:
        _print_json({"file": str(args.output), "year": year, "month": month, "communities": n})
    else:
        print(f"已生成{year}年{month}月抽查记分表 {args.output}（{n} 个社区（村））。"
              f"填好后用 govdesk scores import 导入")
    return 0


def cmd_scores_import(args: argparse.Namespace) -> int:
    from govdesk.core.errors import ValidationErrors
    from govdesk.operations.score_import import MonthAlreadyChecked, import_sheet, read_plan

    ctx = _open(args)
    _sign_in(ctx, args.user)
    try:
        plan = read_plan(ctx, args.file)
        result = import_sheet(ctx, args.file, replace=args.replace)
    except MonthAlreadyChecked as exc:
        sys.stderr.write(f"错误：{exc.message}\n")
        return EXIT_MONTH_CHECKED
    except ValidationErrors as exc:
        # Every problem on its own line (the message itself stops after 50).
        sys.stderr.write(f"错误：{exc.message.splitlines()[0]}\n")
        for problem in exc.problems:
            sys.stderr.write(f"  {problem}\n")
        return EXIT_USER_ERROR
    if args.json:
        _print_json({"file": str(args.file), "sha256": plan.sha256, "year": plan.year,
                     "month": plan.month, "communities": len(plan.checks),
                     "saved": result.saved, "unchanged": result.unchanged,
                     "removed": result.removed,
                     "scheme": {"id": result.scheme.id, "name": result.scheme.scheme.name,
                                "version": result.scheme.version}})
    elif plan.identical:
        print(f"{plan.period}的抽查记录与文件完全相同，没有任何改动")
    else:
        removed = f"，删除 {result.removed} 个" if result.removed else ""
        print(f"已导入{plan.period}抽查记录：{len(plan.checks)} 个社区（村），其中新增或修改 "
              f"{result.saved} 个，未变 {result.unchanged} 个{removed}"
              f"（按《{result.scheme.scheme.name}》第{result.scheme.version}版记分）")
    return 0


def _fmt_score(value: float | int) -> str:
    return f"{value:.1f}"


def cmd_scores_show(args: argparse.Namespace) -> int:
    from govdesk.operations.scoring import parse_quarter, scores_json

    year, quarter = parse_quarter(args.quarter)
    ctx = _open(args)
    data = scores_json(ctx, year, quarter)
    if args.json:
        _print_json(data)
        return 0
    if not data["communities"]:
        print(f"{data['period']}还没有检查记录")
        return 0
    scheme = data["scheme"]
    print(f"{data['period']}考核结果（《{scheme['name']}》第{scheme['version']}版，{scheme['rule']}）")
    # 一级 indicators only, so a line fits a terminal; --json has every indicator.
    codes = list(data["communities"][0]["indicators"])
    tops = [c for c in codes if not any(c.startswith(o + ".") for o in codes if o != c)]
    first = data["communities"][0]["indicators"]
    print("\t".join(["名次", "社区（村）", "总分", "等次",
                     *(f"{first[c]['name']}（{first[c]['max']}分）" for c in tops)]))
    for row in data["communities"]:
        cells = [str(row["rank"]), row["name"], _fmt_score(row["total"]), row["grade"],
                 *(_fmt_score(row["indicators"][c]["score"]) for c in tops)]
        print("\t".join(cells))
    return 0


def cmd_export_quarter(args: argparse.Namespace) -> int:
    from govdesk.operations.scoring import export_quarter, parse_quarter

    year, quarter = parse_quarter(args.quarter)
    ctx = _open(args)
    n = export_quarter(ctx, year, quarter, args.output)
    print(f"已导出{_quarter_label(year, quarter)}考核汇总表到 {args.output}，共 {n} 个社区（村）")
    return 0


def cmd_export_year(args: argparse.Namespace) -> int:
    from govdesk.operations.scoring import export_year

    year = _year_arg(args.year)
    ctx = _open(args)
    n = export_year(ctx, year, args.output)
    print(f"已导出{year}年度考核汇总表到 {args.output}，共 {n} 个社区（村）")
    return 0


def cmd_print_bulletin(args: argparse.Namespace) -> int:
    from govdesk.operations.scoring import parse_quarter, print_bulletin

    year, quarter = parse_quarter(args.quarter)
    ctx = _open(args)
    pages = print_bulletin(ctx, year, quarter, args.output)
    print(f"已打印{_quarter_label(year, quarter)}考核通报到 {args.output}，共 {pages} 页")
    return 0


def _add_score_commands(sub, common: argparse.ArgumentParser) -> None:
    user_help = "操作人登录名（或 GOVDESK_USER）；密码取自 GOVDESK_PASSWORD"
    sc = sub.add_parser("scores", help="月抽查、季考核").add_subparsers(dest="sub", required=True)
    st = sc.add_parser("template", parents=[common],
                       help="生成某月的月抽查记分表（.xlsx），填好后用 scores import 导入")
    st.add_argument("--month", required=True, metavar="YYYY-MM", help="检查月份，如 2017-07")
    st.add_argument("-o", "--output", required=True, help="输出的 .xlsx 文件")
    st.add_argument("--user", help=user_help)
    st.set_defaults(func=cmd_scores_template)
    si = sc.add_parser("import", parents=[common],
                       help="导入填好的月抽查记分表（有错则全不导入；该月已有不同记录时退出码 5）")
    si.add_argument("file", help="填好的 .xlsx 记分表")
    si.add_argument("--replace", action="store_true",
                    help="该月已有不同的抽查记录时，用文件中的数据替换该月全部记录")
    si.add_argument("--user", help=user_help)
    si.set_defaults(func=cmd_scores_import)
    sw = sc.add_parser("show", parents=[common],
                       help="季度考核结果：总分、名次、等次和各指标得分")
    sw.add_argument("quarter", help="季度，如 2017Q3")
    sw.set_defaults(func=cmd_scores_show)

    ex = sub.add_parser("export", help="导出考核汇总表").add_subparsers(dest="sub", required=True)
    eq = ex.add_parser("quarter", parents=[common], help="季度考核汇总表")
    eq.add_argument("quarter", help="季度，如 2017Q3")
    eq.set_defaults(func=cmd_export_quarter)
    ey = ex.add_parser("year", parents=[common], help="年度考核汇总表（四个季度、年度得分、年终折算分）")
    ey.add_argument("year", help="年度，如 2017")
    ey.set_defaults(func=cmd_export_year)
    for sp in (eq, ey):
        sp.add_argument("-o", "--output", required=True,
                        help="输出文件：.xlsx（Excel）、.csv 或 .pdf，按扩展名")


# ---- 政府信息公开工作年度报告 ----------------------------------------------------------------------

# 表三 does not balance (勾稽关系): `report check` found problems, or `report annual` refused to
# write a final .docx/.pdf. Not a usage error (2), so a script can tell them apart.
EXIT_UNBALANCED = 6


def _problem_json(p) -> dict:
    return {"message": p.message,
            "cells": [{"table": c.table, "row": c.row, "column": c.column} for c in p.cells]}


def cmd_report_annual(args: argparse.Namespace) -> int:
    from govdesk.operations.annual_report import UnbalancedReport, export_annual_report

    year = _year_arg(args.year)
    ctx = _open(args)
    _sign_in(ctx, args.user)
    try:
        result = export_annual_report(ctx, year, args.output)
    except UnbalancedReport as exc:
        sys.stderr.write(f"错误：{exc.message}\n")
        return EXIT_UNBALANCED
    if args.json:
        _print_json({"file": str(args.output), "year": year, "format": result.format,
                     "pages": result.pages,
                     "problems": [_problem_json(p) for p in result.problems]})
    else:
        pages = f"，共 {result.pages} 页" if result.pages else ""
        print(f"已导出{year}年政府信息公开工作年度报告到 {args.output}{pages}")
    if result.problems:
        sys.stderr.write(f"注意：表三勾稽关系有 {len(result.problems)} 处不符（已写入文件），"
                         "改正前不能导出 .docx 或 .pdf\n")
    return 0


def cmd_report_check(args: argparse.Namespace) -> int:
    from govdesk.operations.annual_report import report_problems

    year = _year_arg(args.year)
    problems = report_problems(_open(args), year)
    if args.json:
        _print_json({"year": year, "balanced": not problems,
                     "problems": [_problem_json(p) for p in problems]})
    elif problems:
        for p in problems:
            print(p.message)
    else:
        print("表三勾稽关系正确")
    return EXIT_UNBALANCED if problems else 0


def _add_report_commands(sub, common: argparse.ArgumentParser) -> None:
    r = sub.add_parser("report", help="政府信息公开工作年度报告").add_subparsers(
        dest="sub", required=True)
    ra = r.add_parser("annual", parents=[common],
                      help="导出年度报告：.docx（可编辑）、.pdf（打印）或 .json，按扩展名；"
                           "表三勾稽关系不符时不导出 .docx/.pdf（退出码 6）")
    ra.add_argument("year", help="年度，如 2025")
    ra.add_argument("-o", "--output", required=True, help="输出文件：.docx、.pdf 或 .json")
    ra.add_argument("--user", help="操作人登录名（或 GOVDESK_USER）；密码取自 GOVDESK_PASSWORD")
    ra.set_defaults(func=cmd_report_annual)
    rc = r.add_parser("check", parents=[common],
                      help="检查年报表三勾稽关系（正确时退出码 0，不符时 6，逐条列出）")
    rc.add_argument("year", help="年度，如 2025")
    rc.set_defaults(func=cmd_report_check)


# ---- 依申请公开 (政府信息公开申请) ------------------------------------------------------------------


def _request_state(lg) -> tuple[str, str]:
    """(code, 中文) of where an application stands, as the list and the dashboard show it."""
    if not lg.is_open:
        return "closed", "已办结"
    if lg.implied_outcome is not None:
        return "lapsed", f"视为放弃（{lg.implied_outcome.label}），待办结"
    if lg.awaiting_correction:
        return "awaiting_correction", "待补正"
    if lg.paused:
        return "paused", "征求意见中，暂停计算"
    if lg.overdue:
        return "overdue", f"已逾期{-lg.days_left}个工作日"
    if lg.due_soon:
        return "due_soon", f"即将到期（剩{lg.days_left}个工作日）"
    return "open", "办理中"


def _request_json(r, lg) -> dict:
    code, label = _request_state(lg)
    return {
        "id": r.id,
        "number": r.number,
        "received_on": r.received_on.isoformat(),
        "channel": r.channel.value,
        "applicant_kind": r.applicant_kind.value,
        "applicant": r.applicant_name,
        "masked": r.masked,
        "content": r.content,
        "due_on": lg.due_on.isoformat() if lg.due_on else None,
        "days_left": lg.days_left,
        "state": code,
        "state_label": label,
        "outcome": r.outcome.code if r.outcome else None,
        "outcome_label": r.outcome.label if r.outcome else None,
        "closed_on": r.closed_on.isoformat() if r.closed_on else None,
    }


def _sign_in_if_asked(ctx, login: str | None) -> None:
    # Reading works without an account (personal information is then masked); --user signs in.
    if login:
        _sign_in(ctx, login)


def cmd_requests_import(args: argparse.Namespace) -> int:
    from govdesk.core.errors import ValidationErrors
    from govdesk.operations.request_import import import_requests

    ctx = _open(args)
    _sign_in(ctx, args.user)
    try:
        result = import_requests(ctx, args.file)
    except ValidationErrors as exc:
        # Every problem on its own line (the message itself stops after 50).
        sys.stderr.write(f"错误：{exc.message.splitlines()[0]}\n")
        for problem in exc.problems:
            sys.stderr.write(f"  {problem}\n")
        return EXIT_USER_ERROR
    if args.json:
        _print_json({"file": str(args.file), "created": result.created, "closed": result.closed,
                     "skipped": result.skipped, "numbers": list(result.numbers)})
    else:
        print(f"导入完成：新登记 {result.created} 件，办结 {result.closed} 件，"
              f"已导入过而跳过 {result.skipped} 件")
    return 0


def cmd_requests_template(args: argparse.Namespace) -> int:
    from govdesk.operations.request_import import write_import_template

    path = write_import_template(args.output)
    if args.json:
        _print_json({"file": str(path)})
    else:
        print(f"已生成申请台账导入模板 {path}，填好后用 govdesk requests import 导入")
    return 0


def cmd_requests_list(args: argparse.Namespace) -> int:
    from govdesk.operations.requests import request_summaries

    ctx = _open(args)
    _sign_in_if_asked(ctx, args.user)
    year = _year_arg(str(args.year)) if args.year is not None else None
    rows = request_summaries(ctx, year=year, open_only=args.open or args.overdue)
    if args.overdue:
        rows = [s for s in rows if s.ledger.overdue]
    if args.json:
        _print_json([_request_json(s.request, s.ledger) for s in rows])
        return 0
    if not rows:
        print("没有符合条件的申请")
        return 0
    print("\t".join(["编号", "收到日期", "申请人", "申请内容", "答复期限", "状态", "办理结果"]))
    for s in rows:
        r, lg = s.request, s.ledger
        content = r.content if len(r.content) <= 24 else r.content[:23] + "…"
        print("\t".join([r.number, r.received_on.isoformat(), r.applicant_name, content,
                         lg.due_on.isoformat() if lg.due_on else "", _request_state(lg)[1],
                         r.outcome.label if r.outcome else ""]))
    return 0


def cmd_requests_show(args: argparse.Namespace) -> int:
    from govdesk.operations.requests import find_request, request_view

    ctx = _open(args)
    _sign_in_if_asked(ctx, args.user)
    view = request_view(ctx, find_request(ctx, args.ref).id)
    r, lg = view.request, view.ledger
    lines = [{"date": line.on.isoformat(), "kind": line.kind.value, "text": line.text,
              "days": line.days_text, "due_on": line.due_on.isoformat() if line.due_on else None,
              "due": line.due_text} for line in lg.lines]
    deadlines = {k: v.isoformat() if v else None for k, v in lg.deadlines().items()}
    if args.json:
        data = _request_json(r, lg)
        data.update(
            submitted_on=r.submitted_on.isoformat(),
            signed_on=r.signed_on.isoformat() if r.signed_on else None,
            confirmed_on=r.confirmed_on.isoformat() if r.confirmed_on else None,
            applicant_contact=r.applicant_contact, receipt_rule=r.channel.receipt_rule,
            outcome_detail=r.outcome_detail, clock_start=lg.clock_start.isoformat(),
            extension_days=lg.extension_days, excluded_days=lg.excluded_days,
            late_days=lg.late_days, ledger=lines, deadlines=deadlines,
            warnings=list(lg.warnings))
        _print_json(data)
        return 0
    print(f"{r.number}　{r.applicant_kind.value}　{r.applicant_name}")
    print(f"申请内容：{r.content}")
    print(f"申请方式：{r.channel.value}（{r.channel.receipt_rule}）　收到申请：{r.received_on}")
    print(f"状态：{_request_state(lg)[1]}" + (f"　答复期限：{lg.due_on}" if lg.due_on else ""))
    if r.outcome is not None:
        detail = f"（{r.outcome_detail}）" if r.outcome_detail else ""
        print(f"办理结果：{r.outcome.label}{detail}　办结日期：{r.closed_on}")
    print("\t".join(("日期", "事项", "天数", "答复期限")))
    for line in lg.lines:
        print("\t".join(line.row()))
    for label, value in deadlines.items():
        if value and lg.is_open:
            print(f"{label}：{value}")
    for w in lg.warnings:
        print(f"注意：{w}")
    return 0


def _add_request_commands(sub, common: argparse.ArgumentParser) -> None:
    user_help = "操作人登录名（或 GOVDESK_USER）；密码取自 GOVDESK_PASSWORD"
    read_help = "以该账号登录后查看（可看到自然人申请人的姓名）；不填则姓名遮盖"
    rq = sub.add_parser("requests", help="依申请公开（政府信息公开申请）").add_subparsers(
        dest="sub", required=True)
    ri = rq.add_parser("import", parents=[common],
                       help="从 .xlsx/.csv 申请台账导入（有错则全不导入，逐行列出，退出码 2）")
    ri.add_argument("file", help="申请台账 .xlsx 或 .csv（UTF-8 或 GBK）")
    ri.add_argument("--user", help=user_help)
    ri.set_defaults(func=cmd_requests_import)
    rt = rq.add_parser("template", parents=[common], help="生成申请台账导入模板（.xlsx）")
    rt.add_argument("-o", "--output", required=True, help="输出的 .xlsx 文件")
    rt.set_defaults(func=cmd_requests_template)
    rl = rq.add_parser("list", parents=[common], help="申请列表：答复期限、剩余工作日、状态")
    rl.add_argument("--year", help="收到申请的年度，如 2025")
    rl.add_argument("--open", action="store_true", help="只列未办结的")
    rl.add_argument("--overdue", action="store_true", help="只列已超过答复期限的")
    rl.add_argument("--user", help=read_help)
    rl.set_defaults(func=cmd_requests_list)
    rs = rq.add_parser("show", parents=[common],
                       help="一件申请：登记内容、答复期限的计算过程（台账）、各项期限和提示")
    rs.add_argument("ref", help="申请 id 或编号，如 〔2025〕第3号、2025-3")
    rs.add_argument("--user", help=read_help)
    rs.set_defaults(func=cmd_requests_show)


# ---- gui -----------------------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    from govdesk.app import run

    return run(_db_path(args), smoke_test=args.smoke_test, demo=args.demo)


def build_parser() -> argparse.ArgumentParser:
    # SUPPRESS: "govdesk --db X demo" and "govdesk demo --db X" both work; a subparser's default
    # would otherwise overwrite the value given before the command.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--db", metavar="PATH", help="数据库文件（默认在本用户的数据目录中）")
    common.add_argument("--json", action="store_true", help="以 JSON 输出")

    p = argparse.ArgumentParser(prog="govdesk", description="govdesk 政务公开工作台",
                                parents=[common])
    p.add_argument("--version", action="version", version=f"govdesk {__version__}")
    p.add_argument("--smoke-test", action="store_true",
                   help="在临时数据库中生成一份 PDF 和一份 xlsx、打开主窗口后退出"
                        "（用于检查安装；不修改现有数据库）")
    p.add_argument("--demo", action="store_true", help="数据库为空时先生成演示乡镇再打开")
    p.set_defaults(func=cmd_gui)
    sub = p.add_subparsers(dest="command", metavar="命令")

    d = sub.add_parser("demo", parents=[common], help="生成演示乡镇")
    d.add_argument("--password", help="演示账号的共同密码")
    d.set_defaults(func=cmd_demo)

    u = sub.add_parser("users", help="用户管理").add_subparsers(dest="sub", required=True)
    ua = u.add_parser("add", parents=[common], help="新增用户")
    ua.add_argument("login")
    ua.add_argument("--name", required=True)
    ua.add_argument("--role", required=True, help="admin/clerk/unit_head/secrecy_officer/"
                    "deputy_leader/principal_leader 或中文角色名")
    ua.add_argument("--unit")
    ua.add_argument("--user", help="操作人（管理员）登录名；密码取自 GOVDESK_PASSWORD")
    ua.set_defaults(func=cmd_users_add)

    n = sub.add_parser("notices", help="信息登记").add_subparsers(dest="sub", required=True)
    na = n.add_parser("add", parents=[common], help="登记一条信息")
    na.add_argument("--title", required=True)
    na.add_argument("--body-file")
    na.add_argument("--category", required=True)
    na.add_argument("--unit", required=True, help="责任单位或社区/村")
    na.add_argument("--formed-on", help="信息形成（变更）日期，YYYY-MM-DD，默认今天")
    na.add_argument("--doc-number")
    na.add_argument("--channel", action="append", help="公开方式，可重复；默认门户网站")
    na.add_argument("--disclosure", default="主动公开")
    na.add_argument("--reason", help="依申请公开/不予公开的理由")
    na.add_argument("--note")
    na.add_argument("--user")
    na.set_defaults(func=cmd_notices_add)

    ni = n.add_parser("import", parents=[common], help="从 CSV/xlsx 台账导入")
    ni.add_argument("file")
    ni.add_argument("--user")
    ni.set_defaults(func=cmd_notices_import)

    npub = n.add_parser("publish", parents=[common],
                        help="公开发布（须审批完成）；用 --board 张贴到公开栏")
    npub.add_argument("notice_id", help="信息编号（id）")
    npub.add_argument("--board", nargs="+", action="extend", metavar="CODE",
                      help="公开栏编号，如 GB-01，可填多个；不填则只在所选公开方式发布")
    npub.add_argument("--on", metavar="YYYY-MM-DD", help="张贴（公开）日期，默认今天")
    npub.add_argument("--user", help="操作人登录名（或 GOVDESK_USER）；密码取自 GOVDESK_PASSWORD")
    npub.set_defaults(func=cmd_notices_publish)

    for name, func, helptext in (("list", cmd_notices_list, "查询信息"),
                                 ("export", cmd_notices_export, "导出台账")):
        nl = n.add_parser(name, parents=[common], help=helptext)
        if name == "export":
            nl.add_argument("file", help=".xlsx 或 .csv")
        nl.add_argument("--year", type=int)
        nl.add_argument("--category")
        nl.add_argument("--status")
        nl.add_argument("--board")
        nl.add_argument("--search")
        nl.add_argument("--limit", type=int, default=1000)
        nl.set_defaults(func=func)

    s = sub.add_parser("stats", parents=[common], help="公开统计")
    s.add_argument("--year", type=int)
    s.add_argument("--xlsx", help="同时导出到 xlsx 文件")
    s.set_defaults(func=cmd_stats)

    pr = sub.add_parser("print", help="打印（生成 PDF）").add_subparsers(dest="sub", required=True)
    pn = pr.add_parser("notice", parents=[common], help="按公文格式打印一条信息")
    pn.add_argument("id", help="信息编号（id）")
    pn.add_argument("--red-header", action="store_true", help="加红色版头")
    pn.add_argument("--review-copy", action="store_true",
                    help="打印审阅稿（任何版本，每页标明未经审批、不得张贴），供纸质签批时阅看")
    pb = pr.add_parser("board", parents=[common], help="打印公开栏在栏信息清单")
    pb.add_argument("code", help="公开栏编号，如 CB-01")
    pt = pr.add_parser("batch", parents=[common], help="批量打印（带封面清单）")
    pt.add_argument("--board", help="公开栏编号：打印该栏在栏的全部信息")
    pt.add_argument("--from", dest="date_from", help="形成日期起，YYYY-MM-DD")
    pt.add_argument("--to", dest="date_to", help="形成日期止，YYYY-MM-DD")
    pl = pr.add_parser("ledger", parents=[common], help="打印台账（A4 横向）")
    pl.add_argument("--year", type=int)
    pl.add_argument("--category")
    pl.add_argument("--status")
    pl.add_argument("--board")
    pl.add_argument("--search")
    ps = pr.add_parser("slip", parents=[common], help="打印审批单（一页；--blank 为空白签批用）")
    ps.add_argument("slip", help="审批单编号（如 SP2026-0001）或 id")
    ps.add_argument("--blank", action="store_true", help="各审批栏留空，供领导手写签批")
    ps.add_argument("--user", help="操作人登录名（或 GOVDESK_USER）；密码取自 GOVDESK_PASSWORD")
    pbl = pr.add_parser("bulletin", parents=[common],
                        help="打印季度考核通报（公文版式，含排名图；有修改过的通报文字时按修改后的）")
    pbl.add_argument("quarter", help="季度，如 2017Q3")
    for sp, func in ((pn, cmd_print_notice), (pb, cmd_print_board), (pt, cmd_print_batch),
                     (pl, cmd_print_ledger), (ps, cmd_print_slip), (pbl, cmd_print_bulletin)):
        sp.add_argument("-o", "--output", required=True, help="输出的 PDF 文件")
        if sp is pn:
            sp.add_argument("--paper", choices=("A4", "A3"), default="A4", help="纸张，默认 A4")
        if sp is pt:
            sp.add_argument("--paper", choices=("A4", "A3"),
                            help="纸张；默认按公开栏的设置，按日期打印时为 A4")
        sp.set_defaults(func=func)
    _add_slip_commands(sub, common)
    _add_audit_commands(sub, common)
    _add_score_commands(sub, common)
    _add_report_commands(sub, common)
    _add_request_commands(sub, common)
    from govdesk.cli_backup import add_commands as add_backup_commands
    from govdesk.cli_plan import add_commands as add_plan_commands
    from govdesk.cli_registers import add_commands as add_register_commands
    from govdesk.cli_setup import add_commands as add_setup_commands

    add_backup_commands(sub, common)
    add_setup_commands(sub, common)
    add_register_commands(sub, common)
    add_plan_commands(sub, common)
    return p


_PRINT_COMMANDS = (cmd_print_notice, cmd_print_board, cmd_print_batch, cmd_print_ledger,
                   cmd_print_slip, cmd_print_bulletin)
_EXPORT_COMMANDS = (cmd_export_quarter, cmd_export_year)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    for name, default in (("db", None), ("json", False), ("smoke_test", False), ("demo", False)):
        if not hasattr(args, name):
            setattr(args, name, default)
    if args.func in _PRINT_COMMANDS or (
            args.func in (*_EXPORT_COMMANDS, cmd_report_annual)
            and str(args.output).lower().endswith(".pdf")):
        from govdesk.export.fonts import warm_up

        warm_up()  # find the system's fonts while the database opens
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        sys.stderr.write(f"错误：{exc.message}\n")
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
