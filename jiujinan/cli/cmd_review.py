"""Command-line review: ``case act``, ``case timeline``, ``todo`` and ``calendar`` over the
review service."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from jiujinan.cli import messages
from jiujinan.cases.errors import DomainError

if TYPE_CHECKING:
    from jiujinan.services.context import AppContext

COMMANDS = ("calendar", "todo")


def add_case_parsers(case_sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    """``case act`` and ``case timeline``."""
    from jiujinan.cases.step_input import STEPS  # the steps as the step dialog offers them

    # A step by its command, by its name in the step dialog, or as 案件进度 lists it (its kind).
    steps = {form.command: list(dict.fromkeys((form.label, form.kind.label))) for form in STEPS}
    act = case_sub.add_parser("act", help="办理下一步：" + messages.listing(steps))
    act.add_argument("case_no", help="案件编号，如 341802100201-2026-00017")
    act.add_argument("action_name", metavar="ACTION", type=messages.one_of(steps),
                     help="哪一步，中文或英文：" + messages.listing(steps))
    act.add_argument("fields", nargs="*", metavar="KEY=VALUE",
                     help="如 date=2026-03-02 investigators=张三,李四 findings=属实；需补充的材料每项一个 "
                          "missing=…；一事一救的后一案件，deliberation 须加 repeat_reason=理事会的理由；"
                          "withdraw 须有 date= reason=")
    timeline = case_sub.add_parser("timeline", help="案件进度与办理记录")
    timeline.add_argument("case_no")


def add_parsers(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    cal = sub.add_parser("calendar", help="节假日与调休：list 列出，set FILE 以文件内容替换（每行：日期 休/班 名称）")
    cal.add_argument("action", choices=["list", "set"])
    cal.add_argument("file", nargs="?")
    todo = sub.add_parser("todo", help="待办事项")
    todo.add_argument("--society", help="区划代码（默认第一个互助社）")
    todo.add_argument("--limit", type=messages.whole_number(0, messages.MAX_LIMIT), default=20)


def run(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    if args.command == "todo":
        from jiujinan.services import societies

        return todo(ctx, societies.society_by_code(ctx, args.society, user).id, user, args.limit)
    return calendar(ctx, args.action, args.file, user)


def run_case(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    """``case act`` and ``case timeline``."""
    if args.action == "act":
        return act(ctx, args.case_no, args.action_name, args.fields, user)
    return timeline(ctx, args.case_no, user)


def act(ctx: AppContext, case_no: str, name: str, pairs: list[str], user: str) -> int:
    from jiujinan.services import intake, review

    case = intake.load_by_no(ctx, case_no, user)
    view = review.case_view(ctx, case.id, user)
    from jiujinan.cases.step_input import from_command

    step = from_command(name, pairs, level=None, today=ctx.clock.today())
    view = review.perform(ctx, case.id, step, user, version=view.version)
    print(f"{case_no}\t{view.case.status.label}")
    return 0


def timeline(ctx: AppContext, case_no: str, user: str) -> int:
    from jiujinan.cases.dates import format_date
    from jiujinan.cases.money import format_fen
    from jiujinan.cases.step_input import STEPS
    from jiujinan.services import intake, review

    view = review.case_view(ctx, intake.load_by_no(ctx, case_no, user).id, user)
    bar = " → ".join(f"[{label}]" if mark.value == "current" else
                     f"({label})" if mark.value in ("skipped",) else
                     f"!{label}!" if mark.value in ("stopped", "returned") else
                     f"!{label}·已撤回!" if mark.value == "withdrawn" else label
                     for label, mark in view.bar)
    print(f"{view.case.case_no}  {view.case.application.applicant_name}  {view.case.status.label}")
    print(bar)
    if view.emergency_days_left is not None:
        left = view.emergency_days_left
        print(f"先行救助：{'剩' + str(left) + '个工作日' if left >= 0 else '已超期' + str(-left) + '个工作日'}")
    for step in view.steps:
        amount = format_fen(step.amount_fen) if step.amount_fen is not None else ""
        level = step.level.label if step.level else ""
        print(f"{format_date(step.on)}\t{step.kind.label}\t{level}\t{step.signer}\t{amount}\t"
              f"{step.opinion}\t(录入：{step.recorded_by})")
    commands = {form.kind: form.command for form in STEPS}  # what `case act` calls each
    print("可办理：" + ("、".join(f"{k.label}（{commands[k]}）" if k in commands else k.label for k in view.allowed)
                      or "无"))
    return 0


def todo(ctx: AppContext, society_id: int, user: str, limit: int) -> int:
    from jiujinan.cases.dates import format_date
    from jiujinan.cases.money import format_fen
    from jiujinan.services import review

    lists = review.todo(ctx, society_id, user, limit=limit)
    for t in lists:
        print(f"== {t.group.label}（{t.count} 件）")
        for r in t.rows:
            due = f"\t期限 {format_date(r.due)}" if r.due else ""
            print(f"{r.case_no}\t{r.applicant_name}\t{r.status.label}\t{format_fen(r.requested_fen)}{due}")
    if not lists:
        print("没有待办事项", file=sys.stderr)
    return 0


def calendar(ctx: AppContext, action: str, file: str | None, user: str) -> int:
    from jiujinan.services import review

    if action == "list":
        print(review.calendar_text(ctx))
        return 0
    if not file:
        raise DomainError("calendar set 需要一个文件（每行：日期 休/班 名称）")
    try:
        text = sys.stdin.read() if file == "-" else open(file, encoding="utf-8").read()  # noqa: SIM115
    except (OSError, UnicodeDecodeError) as err:
        raise DomainError(f"无法读取文件：{err}") from err
    print(f"已保存 {review.set_calendar(ctx, text, user)} 天")
    return 0
