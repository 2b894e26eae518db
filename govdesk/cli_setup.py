"""Command line for the first-run setup (issue 7, item 6): ``setup template -o FILE.xlsx`` writes
the 首次设置表格, ``setup import FILE.xlsx`` sets up an empty database from it. Wired into
govdesk/cli.py with ``add_commands(sub, common)``.

The administrator's password never goes into the file or onto the command line (where other
users and the shell history would see it): it comes from ``--admin-password-file`` (first line)
or is asked twice with getpass. The one-time passwords of the other accounts are printed once,
to be handed out on paper.

Exit codes as the other commands: 0 done; 2 a UserError (the Chinese message on stderr, from
cli.main, listing every sheet!cell to correct).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path


def _cli():
    # Imported when a command runs: govdesk.cli imports this module while building its parser.
    from govdesk import cli

    return cli


def cmd_setup_template(args: argparse.Namespace) -> int:
    from govdesk.operations.setup import write_setup_template

    path = write_setup_template(Path(args.output))
    if args.json:
        _cli()._print_json({"path": str(path.resolve())})
    else:
        print(f"已生成首次设置表格：{path}\n填好后运行：govdesk setup import {path.name}")
    return 0


def _admin_password(args: argparse.Namespace) -> str:
    from govdesk.core.errors import UserError

    if args.admin_password_file:
        try:
            text = Path(args.admin_password_file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            raise UserError(f"无法读取密码文件：{args.admin_password_file}") from None
        password = text.splitlines()[0] if text else ""
        if not password:
            raise UserError("密码文件是空的")
        return password
    if not sys.stdin.isatty():
        raise UserError("请用 --admin-password-file 指定存放管理员密码的文件，"
                        "或在终端中运行本命令以输入密码")
    first = getpass.getpass("为管理员设置密码（至少 8 位）：")
    if getpass.getpass("再次输入密码：") != first:
        raise UserError("两次输入的密码不一致")
    return first


def cmd_setup_import(args: argparse.Namespace) -> int:
    from govdesk.operations.setup import import_setup_file, load_setup_file, read_setup_file
    from govdesk.store.database import close

    path = Path(args.file)
    # Read and check the file before asking for a password: mistakes in it are reported first.
    read_setup_file(path)
    for warning in load_setup_file(path).warnings:
        sys.stderr.write(f"提醒：{warning}\n")
    password = _admin_password(args)
    ctx = _cli()._open(args)
    try:
        result = import_setup_file(ctx, path, password)
    finally:
        close(ctx.db)
    if args.json:
        _cli()._print_json({
            "admin": result.admin.login,
            "scheme_year": result.scheme_year,
            "accounts": [{"login": a.login, "name": a.name, "role": a.role,
                          "password": a.password} for a in result.accounts],
        })
        return 0
    print(f"设置完成。管理员登录名：{result.admin.login}；已建立 {result.scheme_year} 年考核细则"
          "（默认，可在“考核”中修改）。")
    if result.accounts:
        print("\n以下账号的一次性密码只显示这一次，请打印或抄录后分发给本人，"
              "并提醒其登录后在“修改密码”中改为自己的密码：")
        print(f"{'登录名':<16}{'姓名':<8}{'角色':<8}一次性密码")
        for a in result.accounts:
            print(f"{a.login:<18}{a.name:<9}{a.role:<9}{a.password}")
    return 0


def add_commands(sub, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("setup", help="首次设置：生成设置表格，或从表格设置本乡镇"
                       ).add_subparsers(dest="sub", required=True)
    t = s.add_parser("template", parents=[common],
                     help="生成首次设置表格（乡镇信息、科室站所、社区村、公开栏、用户）")
    t.add_argument("-o", "--output", required=True, help="要生成的 .xlsx 文件")
    t.set_defaults(func=cmd_setup_template)
    i = s.add_parser("import", parents=[common],
                     help="从填好的设置表格设置本乡镇（只能用于还没有任何账号的新数据库）")
    i.add_argument("file", help="填好的首次设置表格（.xlsx）")
    i.add_argument("--admin-password-file", metavar="F",
                   help="存放管理员密码的文本文件（第一行）；不指定时在终端中输入")
    i.set_defaults(func=cmd_setup_import)
