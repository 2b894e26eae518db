"""Command line for backups (issue 7): ``backup -o FILE``, ``restore FILE``, ``check [--full]``,
``backups list|verify|thin``. Wired into govdesk/cli.py with ``add_commands(sub, common)``.

Exit codes: 0 ok; 2 a UserError (cli.main prints it on stderr); 3 a check or verification that
ran and found a problem (the Chinese findings go to stderr), so scheduled tasks can tell them
apart. ``backup`` and ``check`` need no account (an office's scheduled task runs them);
``restore`` and ``backups thin`` sign in as the administrator (--user or GOVDESK_USER, the
password from GOVDESK_PASSWORD), except a restore over a database that cannot be opened at all,
which is the recovery path.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_CHECK_FAILED = 3


def _cli():
    # Imported when a command runs: govdesk.cli imports this module while building its parser.
    from govdesk import cli

    return cli


def _open(args: argparse.Namespace, *, migrate: bool = True):
    from govdesk.operations.context import Context
    from govdesk.paths import files_dir_for
    from govdesk.store.database import connect

    path = _cli()._db_path(args)
    return Context(connect(path, migrate=migrate), files_dir=files_dir_for(path))


def _fail(message: str) -> int:
    sys.stderr.write(f"错误：{message}\n")
    return EXIT_CHECK_FAILED


def cmd_backup(args: argparse.Namespace) -> int:
    from govdesk.core.backup_schedule import Trigger
    from govdesk.operations.backups import backup_now
    from govdesk.store.database import close

    # As it is: a scheduled backup must not upgrade the database behind the office's back.
    ctx = _open(args, migrate=False)
    try:
        result = backup_now(ctx, Trigger.MANUAL, target=Path(args.output).resolve())
    finally:
        close(ctx.db)
    if args.json:
        _cli()._print_json({"path": str(result.path), "size": result.manifest.size,
                            "sha256": result.manifest.sha256,
                            "schema_version": result.manifest.schema_version})
    else:
        print(result.message)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from govdesk.core.errors import UserError
    from govdesk.operations.backups import restore, startup_cleanup
    from govdesk.store.database import close

    path = _cli()._db_path(args)
    source = Path(args.file).resolve()
    startup_cleanup(path)
    ctx = None
    if path.exists():
        try:
            ctx = _open(args)
        except UserError as exc:
            sys.stderr.write(f"数据库无法打开（{exc.message}），按数据恢复处理："
                             "损坏的文件将改名保存，不会删除。\n")
    if ctx is None:
        result = restore(path, source)
    else:
        try:
            _cli()._sign_in(ctx, args.user)
            result = restore(ctx, source)
        finally:
            close(ctx.db)
    if args.json:
        _cli()._print_json({
            "source": str(result.source),
            "pre_backup": str(result.pre_backup) if result.pre_backup else None,
            "moved_aside": str(result.moved_aside) if result.moved_aside else None,
            "schema_version": result.schema_after, "message": result.message})
    else:
        print(result.message)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from govdesk.operations.backups import check_database

    report = check_database(_cli()._db_path(args), full=args.full)
    if args.json:
        _cli()._print_json({"ok": report.ok, "problems": report.problems,
                            "audit_entries": report.audit_entries, "message": report.message})
    elif report.ok:
        print(report.message)
    if not report.ok:
        return _fail(report.message)
    return 0


def cmd_backups_list(args: argparse.Namespace) -> int:
    from govdesk.operations.backups import backup_dir_for, list_backups
    from govdesk.store.database import close

    ctx = _open(args, migrate=False)
    try:
        rows = list_backups(ctx)
    finally:
        close(ctx.db)
    if args.json:
        _cli()._print_json([{"name": r.name, "time": r.time, "size": r.size,
                             "verified": r.verified, "trigger": r.trigger,
                             "schema_version": r.schema_version, "keep": r.keep} for r in rows])
        return 0
    if not rows:
        print(f"还没有备份（备份文件夹：{backup_dir_for(_cli()._db_path(args))}）")
    for r in rows:
        mark = "已校验" if r.verified else "未校验"
        print(f"{r.time:<19}  {r.name:<32} {r.size_text:>9}  {mark}  {r.trigger:<4} {r.keep}")
    return 0


def cmd_backups_verify(args: argparse.Namespace) -> int:
    from govdesk.operations.backups import verify_backup
    from govdesk.store.database import close

    ctx = _open(args, migrate=False)
    try:
        result = verify_backup(ctx, args.name)
    finally:
        close(ctx.db)
    if args.json:
        _cli()._print_json({"ok": result.ok, "problems": result.problems,
                            "message": result.message})
    if not result.ok:
        return _fail(result.message)
    if not args.json:
        print(result.message)
    return 0


def cmd_backups_thin(args: argparse.Namespace) -> int:
    from govdesk.operations.backups import thin_backups
    from govdesk.store.database import close

    ctx = _open(args, migrate=False)
    try:
        _cli()._sign_in(ctx, args.user)
        deleted = thin_backups(ctx)
    finally:
        close(ctx.db)
    if args.json:
        _cli()._print_json({"deleted": deleted})
    elif deleted:
        print(f"已按保留规则清理 {len(deleted)} 个过期备份：" + "、".join(deleted))
    else:
        print("没有需要清理的备份")
    return 0


def add_commands(sub, common: argparse.ArgumentParser) -> None:
    user_help = "管理员登录名（或 GOVDESK_USER）；密码取自 GOVDESK_PASSWORD"
    b = sub.add_parser("backup", parents=[common],
                       help="备份数据库到指定文件（备份后校验；无需登录，可用于计划任务）")
    b.add_argument("-o", "--output", required=True, help="备份文件，如 D:\\备份\\govdesk.db")
    b.set_defaults(func=cmd_backup)

    r = sub.add_parser("restore", parents=[common],
                       help="从备份文件恢复数据库（先校验备份，并自动备份当前数据库）")
    r.add_argument("file", help="备份文件（govdesk-YYYYMMDD-HHMMSS.db 或任何 govdesk 数据库文件）")
    r.add_argument("--user", help=user_help)
    r.set_defaults(func=cmd_restore)

    c = sub.add_parser("check", parents=[common],
                       help="检查数据库（默认快速检查；--full 完整检查，含外键和操作日志；"
                            "发现问题时退出码 3）")
    c.add_argument("--full", action="store_true",
                   help="完整检查：integrity_check、外键、操作日志哈希链")
    c.set_defaults(func=cmd_check)

    bs = sub.add_parser("backups", help="备份管理").add_subparsers(dest="sub", required=True)
    bl = bs.add_parser("list", parents=[common], help="列出备份：时间、大小、是否校验、原因、保留情况")
    bl.set_defaults(func=cmd_backups_list)
    bv = bs.add_parser("verify", parents=[common], help="重新校验一个备份（未通过时退出码 3）")
    bv.add_argument("name", help="备份文件名（在备份列表中）或路径")
    bv.set_defaults(func=cmd_backups_verify)
    bt = bs.add_parser("thin", parents=[common], help="按保留规则清理过期备份（需管理员）")
    bt.add_argument("--user", help=user_help)
    bt.set_defaults(func=cmd_backups_thin)
