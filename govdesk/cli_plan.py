"""Command line for the year's work plan (issue 8 §6): ``plan show YEAR [--json]``,
``plan export YEAR -o FILE.xlsx|docx|pdf``, ``plan copy FROM_YEAR TO_YEAR`` and
``plan report YEAR -o FILE.docx|pdf`` (the 落实情况 report, with the office's saved texts). Wired into
govdesk/cli.py with ``add_commands(sub, common)``.

Reading, exporting and the report need no sign-in (exports are audited without an actor, as the ledger's);
copying writes the plan and signs in (--user or GOVDESK_USER, password from GOVDESK_PASSWORD).
Exit codes as the other commands: 0 done; 2 a UserError (the Chinese message on stderr).
"""

from __future__ import annotations

import argparse


def _cli():
    # Imported when a command runs: govdesk.cli imports this module while building its parser.
    from govdesk import cli

    return cli


def _task_json(task, count: int | None, today, calendar) -> dict[str, object]:
    from govdesk.core.work_plan import is_due_soon, is_overdue

    return {
        "id": task.id, "seq": task.seq, "text": task.text, "responsible": task.responsible,
        "unit_ids": list(task.unit_ids), "community_ids": list(task.community_ids),
        "all_units": task.all_units, "all_communities": task.all_communities,
        "deadline": task.deadline.text,
        "due_on": task.deadline.on.isoformat() if task.deadline.on else None,
        "state": task.state.value, "reason": task.reason,
        "category": task.category or None, "published_notices": count,
        "overdue": is_overdue(task, today, calendar), "due_soon": is_due_soon(task, today),
    }


def cmd_plan_show(args: argparse.Namespace) -> int:
    from govdesk.operations.work_plan import plan_view

    cli = _cli()
    year = cli._year_arg(args.year)
    ctx = cli._open(args)
    view = plan_view(ctx, year)
    today = ctx.today()
    if args.json:
        cli._print_json({
            "year": view.plan.year, "title": view.plan.title, "intro": view.plan.intro,
            "issued_on": view.plan.issued_on.isoformat() if view.plan.issued_on else None,
            "sections": [{"id": s.id, "title": s.title, "tasks": [
                _task_json(t, view.notice_counts.get(t.id), today, ctx.calendar)
                for t in view.tasks_of(s.id)]} for s in view.sections],
        })
        return 0
    from govdesk.core.work_plan import is_overdue, section_number

    print(view.plan.title)
    for i, section in enumerate(view.sections, 1):
        print(f"{section_number(i)}、{section.title}")
        for n, t in enumerate(view.tasks_of(section.id), 1):
            flags = "（已逾期）" if is_overdue(t, today, ctx.calendar) else ""
            count = view.notice_counts.get(t.id)
            published = f"；本年已公开{t.category}信息{count}条" if count is not None else ""
            print(f"  {n}. {t.text}\n     责任部门：{t.responsible}；完成时限：{t.deadline.text}；"
                  f"状态：{t.state.value}{flags}{published}")
    return 0


def cmd_plan_export(args: argparse.Namespace) -> int:
    from govdesk.operations.work_plan import export_plan

    cli = _cli()
    year = cli._year_arg(args.year)
    pages = export_plan(cli._open(args), year, args.output)
    if args.json:
        cli._print_json({"file": str(args.output), "year": year, "pages": pages})
    else:
        print(f"已导出{year}年政务公开工作实施方案到 {args.output}"
              + (f"，共 {pages} 页" if pages else ""))
    return 0


def cmd_plan_copy(args: argparse.Namespace) -> int:
    from govdesk.operations.work_plan import copy_plan, plan_view

    cli = _cli()
    source, target = cli._year_arg(args.from_year), cli._year_arg(args.to_year)
    ctx = cli._open(args)
    cli._sign_in(ctx, args.user)
    plan = copy_plan(ctx, source, target)
    view = plan_view(ctx, target)
    if args.json:
        cli._print_json({"year": plan.year, "title": plan.title,
                         "sections": len(view.sections), "tasks": len(view.tasks)})
    else:
        print(f"已按{source}年实施方案生成“{plan.title}”：{len(view.sections)}个板块、"
              f"{len(view.tasks)}项任务（完成时限已顺延到{target}年，状态均为未开始）")
    return 0


def cmd_plan_report(args: argparse.Namespace) -> int:
    from govdesk.operations.plan_report import build_plan_report, export_plan_report

    cli = _cli()
    year = cli._year_arg(args.year)
    ctx = cli._open(args)
    pages = export_plan_report(ctx, year, args.output)
    if args.json:
        report = build_plan_report(ctx, year)
        cli._print_json({"file": str(args.output), "year": year, "title": report.title,
                         "pages": pages, "tasks": report.task_count,
                         "texts": dict(zip(("overview", "measures", "problems"),
                                           report.sources, strict=True))})
    else:
        print(f"已导出{year}年政务公开工作实施方案落实情况报告到 {args.output}"
              + (f"，共 {pages} 页" if pages else ""))
    return 0


def add_commands(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("plan", help="年度政务公开工作实施方案").add_subparsers(
        dest="sub", required=True)
    s = p.add_parser("show", parents=[common], help="查看某年的实施方案及各项任务的状态")
    s.add_argument("year", help="年度，如 2026")
    s.set_defaults(func=cmd_plan_show)
    e = p.add_parser("export", parents=[common],
                     help="导出实施方案：.pdf（公文格式）、.docx（可编辑）或 .xlsx（含状态）")
    e.add_argument("year", help="年度，如 2026")
    e.add_argument("-o", "--output", required=True, help="输出文件（.pdf、.docx 或 .xlsx）")
    e.set_defaults(func=cmd_plan_export)
    c = p.add_parser("copy", parents=[common], help="以上年实施方案为基础生成新一年的方案")
    c.add_argument("from_year", help="复制哪一年的方案")
    c.add_argument("to_year", help="生成哪一年的方案")
    c.add_argument("--user", help="操作人登录名（或 GOVDESK_USER）；密码取自 GOVDESK_PASSWORD")
    c.set_defaults(func=cmd_plan_copy)
    r = p.add_parser("report", parents=[common],
                     help="导出实施方案落实情况报告：.docx（可编辑）或 .pdf（公文格式）")
    r.add_argument("year", help="年度，如 2025")
    r.add_argument("-o", "--output", required=True, help="输出文件（.docx 或 .pdf）")
    r.set_defaults(func=cmd_plan_report)
