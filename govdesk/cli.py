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


def _sign_in(ctx, login: str | None) -> None:
    from govdesk.operations.auth import sign_in

    login = login or os.environ.get("GOVDESK_USER")
    if not login:
        raise UserError("请用 --user 指定操作人（登录名）")
    sign_in(ctx, login, _password("GOVDESK_PASSWORD", f"{login} 的密码："))


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


def cmd_print_notice(args: argparse.Namespace) -> int:
    from govdesk.operations.printing import print_notice

    try:
        notice_id = int(args.id)
    except ValueError:
        raise UserError(f"信息编号“{args.id}”应为数字（见 notices list --json 的 id）") from None
    ctx = _open(args)
    pages = print_notice(ctx, notice_id, args.output, paper=args.paper,
                         red_header=args.red_header)
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
                   help="打开数据库和主窗口后立即退出（用于检查安装）")
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
    for sp, func in ((pn, cmd_print_notice), (pb, cmd_print_board), (pt, cmd_print_batch),
                     (pl, cmd_print_ledger)):
        sp.add_argument("-o", "--output", required=True, help="输出的 PDF 文件")
        if sp is pn:
            sp.add_argument("--paper", choices=("A4", "A3"), default="A4", help="纸张，默认 A4")
        if sp is pt:
            sp.add_argument("--paper", choices=("A4", "A3"),
                            help="纸张；默认按公开栏的设置，按日期打印时为 A4")
        sp.set_defaults(func=func)
    _add_audit_commands(sub, common)
    return p


_PRINT_COMMANDS = (cmd_print_notice, cmd_print_board, cmd_print_batch, cmd_print_ledger)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    for name, default in (("db", None), ("json", False), ("smoke_test", False), ("demo", False)):
        if not hasattr(args, name):
            setattr(args, name, default)
    if args.func in _PRINT_COMMANDS:
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
