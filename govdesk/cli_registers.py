"""Command line for the registers of issue 8 §4/§6: ``registers import KIND FILE.xlsx``,
``registers stats KIND --year YEAR [--quarter Q | --month M] [--json]``,
``registers export KIND --year YEAR [--quarter Q | --month M] -o FILE.xlsx`` and
``registers template KIND -o FILE.xlsx``. Wired into govdesk/cli.py with
``add_commands(sub, common)``.

KIND is the register's Chinese name or its English alias: 政策解读 (interpretation), 舆情热线 or
舆情与热线 (hotline), 建议提案 (proposal), 培训会议 or 培训与会议 (meeting). Reading (stats,
export, template) needs no account; import signs in (--user or GOVDESK_USER, the password from
GOVDESK_PASSWORD). Exit codes as cli.main: 0 ok, 2 a UserError (an import's problems one per
line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from fractions import Fraction

KINDS_HELP = "登记簿：政策解读(interpretation)、舆情热线(hotline)、建议提案(proposal)、培训会议(meeting)"


def _cli():
    # Imported when a command runs: govdesk.cli imports this module while building its parser.
    from govdesk import cli

    return cli


def _kind(args: argparse.Namespace):
    from govdesk.core.registers import parse_kind

    return parse_kind(args.kind)


def _period(args: argparse.Namespace):
    from govdesk.core.registers import Period

    return Period.of(args.year, quarter=args.quarter, month=args.month)


def _percent(value: Fraction | None) -> float | None:
    """A rate for JSON: a percentage with one decimal, null when undefined (no cases)."""
    return None if value is None else round(float(value) * 100, 1)


def cmd_registers_import(args: argparse.Namespace) -> int:
    from govdesk.core.errors import ValidationErrors
    from govdesk.operations.registers import import_register
    from govdesk.store.database import close

    cli = _cli()
    kind = _kind(args)
    ctx = cli._open(args)
    try:
        cli._sign_in(ctx, args.user)
        try:
            result = import_register(ctx, kind, args.file)
        except ValidationErrors as exc:
            sys.stderr.write(f"错误：{exc.message.splitlines()[0]}\n")
            for problem in exc.problems:
                sys.stderr.write(f"  {problem}\n")
            return cli.EXIT_USER_ERROR
    finally:
        close(ctx.db)
    if args.json:
        cli._print_json({"register": kind.label, "file": str(args.file),
                         "created": result.created, "skipped": result.skipped})
    else:
        print(f"{kind.label}导入完成：新增 {result.created} 条，已导入过而跳过 {result.skipped} 条")
    return 0


def stats_json(stats) -> dict[str, object]:
    """The statistics of a register as plain JSON (rates in percent, null when undefined)."""
    from govdesk.core.registers import (
        HotlineStats,
        HotlineTally,
        InterpretationStats,
        ProposalStats,
        format_rate,
    )

    out: dict[str, object] = {"period": stats.period.label,
                              "start": stats.period.start.isoformat(),
                              "end": stats.period.end.isoformat()}

    def tally(t: HotlineTally) -> dict[str, object]:
        return {"received": t.received, "closed": t.closed, "closed_on_time": t.closed_on_time,
                "overdue_open": t.overdue_open, "fed_back": t.fed_back,
                "closure_rate": _percent(t.closure_rate),
                "closure_rate_text": format_rate(t.closure_rate),
                "on_time_rate": _percent(t.on_time_rate),
                "on_time_rate_text": format_rate(t.on_time_rate),
                "satisfaction_rate": _percent(t.satisfaction_rate),
                "satisfaction_rate_text": format_rate(t.satisfaction_rate)}

    if isinstance(stats, InterpretationStats):
        out.update(total=stats.total, by_form=dict(stats.by_form))
    elif isinstance(stats, HotlineStats):
        out.update(tally(stats.total))
        out["by_channel"] = {name: tally(t) for name, t in stats.by_channel}
    elif isinstance(stats, ProposalStats):
        out.update(total=stats.total, replied=stats.replied,
                   reply_rate=_percent(stats.reply_rate),
                   reply_rate_text=format_rate(stats.reply_rate),
                   satisfaction_rate=_percent(stats.satisfaction_rate),
                   satisfaction_rate_text=format_rate(stats.satisfaction_rate),
                   by_kind={k: {"total": n, "replied": r} for k, n, r in stats.by_kind})
    else:
        out.update(total=stats.total, participants=stats.participants,
                   by_kind={k: {"total": n, "participants": p} for k, n, p in stats.by_kind})
    return out


def cmd_registers_stats(args: argparse.Namespace) -> int:
    from govdesk.operations.registers import register_stats, stats_summary
    from govdesk.store.database import close

    cli = _cli()
    kind, period = _kind(args), _period(args)
    ctx = cli._open(args)
    try:
        stats = register_stats(ctx, kind, period)
    finally:
        close(ctx.db)
    if args.json:
        cli._print_json({"register": kind.label, **stats_json(stats)})
    else:
        print(stats_summary(stats))
    return 0


def cmd_registers_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.operations.registers import export_register
    from govdesk.store.database import close

    cli = _cli()
    kind, period = _kind(args), _period(args)
    ctx = cli._open(args)
    try:
        n = export_register(ctx, kind, period, Path(args.output))
    finally:
        close(ctx.db)
    if args.json:
        cli._print_json({"register": kind.label, "file": str(args.output), "rows": n})
    else:
        print(f"已导出{period.label}{kind.label} {n} 条：{args.output}")
    return 0


def cmd_registers_template(args: argparse.Namespace) -> int:
    from govdesk.operations.registers import write_register_template

    kind = _kind(args)
    path = write_register_template(kind, args.output)
    print(f"已生成{kind.label}导入模板：{path}")
    return 0


def add_commands(sub, common: argparse.ArgumentParser) -> None:
    r = sub.add_parser("registers", help="政策解读、舆情热线、建议提案、培训会议登记簿").add_subparsers(
        dest="sub", required=True)

    ri = r.add_parser("import", parents=[common],
                      help="从 xlsx 导入登记簿（有任何错误则不导入，逐行逐列列出错误）")
    ri.add_argument("kind", help=KINDS_HELP)
    ri.add_argument("file", help="xlsx 文件（可先用 registers template 生成模板）")
    ri.add_argument("--user", help="操作人登录名（或 GOVDESK_USER）；密码取自 GOVDESK_PASSWORD")
    ri.set_defaults(func=cmd_registers_import)

    for name, func, helptext in (
            ("stats", cmd_registers_stats, "按期间统计（舆情热线含办结率、按时办结率）"),
            ("export", cmd_registers_export, "按期间导出登记表（xlsx）")):
        sp = r.add_parser(name, parents=[common], help=helptext)
        sp.add_argument("kind", help=KINDS_HELP)
        sp.add_argument("--year", type=int, required=True, help="年度，如 2025")
        when = sp.add_mutually_exclusive_group()
        when.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), help="季度 1–4")
        when.add_argument("--month", type=int, choices=range(1, 13), metavar="1-12", help="月份")
        if name == "export":
            sp.add_argument("-o", "--output", required=True, help="输出的 xlsx 文件")
        sp.set_defaults(func=func)

    rt = r.add_parser("template", parents=[common], help="生成登记簿的 xlsx 导入模板")
    rt.add_argument("kind", help=KINDS_HELP)
    rt.add_argument("-o", "--output", required=True, help="输出的 xlsx 文件")
    rt.set_defaults(func=cmd_registers_template)
