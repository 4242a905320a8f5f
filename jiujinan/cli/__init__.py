"""The command line: ``jiujinan`` opens the GUI; subcommands run the same services headless."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import sys
import time
from pathlib import Path

from jiujinan import __version__, paths
from jiujinan.cli import (
    cmd_backup, cmd_connection, cmd_district, cmd_fund, cmd_keys, cmd_print, cmd_review, cmd_society, cmd_users, messages,
)
from jiujinan.cases.application import FIELD_LABELS, ApplicationInput
from jiujinan.cases.clock import SystemClock
from jiujinan.cases.dates import format_date, parse_date
from jiujinan.cases.enums import Cause, CaseStatus
from jiujinan.cases.errors import DomainError, FieldError, ValidationError
from jiujinan.cases.history import RepeatApplication
from jiujinan.cases.listing import CaseListQuery
from jiujinan.cases.disclosure import Kind, Output, disclose
from jiujinan.cases.money import format_fen
from jiujinan.files import restrict_umask
from jiujinan.logging_setup import setup_logging
from jiujinan.services import case_list, intake, societies
from jiujinan.services.context import AppContext
from jiujinan.services.demo import run_demo


# Bounds of numbers typed on the command line (a larger one is a typing slip, and an unbounded
# one overflowed the lock timeout or the database's integer).
MAX_WAIT = 3600  # seconds
MAX_LIMIT = messages.MAX_LIMIT


def _add_common_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """--db, --wait and --user: the same meaning before or after any subcommand. Only the
    top level has defaults; a subcommand sets them only when typed (SUPPRESS), so
    ``jiujinan --db F demo`` and ``jiujinan demo --db F`` are one command."""
    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--db", default=default(None), help="数据库文件路径或 SQLAlchemy URL（默认在用户数据目录）")
    parser.add_argument("--wait", type=messages.seconds(0, MAX_WAIT), default=default(15.0), metavar="SECONDS",
                        help=f"数据库正被其他程序写入时最多等待的秒数（0–{MAX_WAIT}，默认 15）")
    parser.add_argument("--user", default=default(os.environ.get("JIUJINAN_USER", "")),
                        help="操作人姓名（写入审计记录）")


def _common_options_everywhere(parser: argparse.ArgumentParser) -> None:
    """Give every subcommand, at every depth, the common options (calibredb and git take
    options after the command too)."""
    for action in parser._actions:  # noqa: SLF001 - argparse keeps its subparsers here
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for sub in set(action.choices.values()):
                _add_common_options(sub, defaults=False)
                _common_options_everywhere(sub)


def build_parser() -> argparse.ArgumentParser:
    messages.speak_chinese()
    parser = argparse.ArgumentParser(prog="jiujinan", description="救急难互助社 案件与资金管理")
    parser.add_argument("--version", action="version", version=f"jiujinan {__version__}", help="显示版本号并退出")
    _add_common_options(parser, defaults=True)
    sub = parser.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="生成演示数据")
    demo.add_argument("--societies", type=messages.whole_number(1, 1000), default=3)
    demo.add_argument("--cases", type=messages.whole_number(0, 10_000_000), default=300)
    demo.add_argument("--seed", type=messages.whole_number(0, 2**32 - 1), default=1)

    cmd_society.add_parsers(sub)

    case = sub.add_parser("case", help="案件：list 列出，show 查看，add 登记")
    case_sub = case.add_subparsers(dest="action", required=True)
    lst = case_sub.add_parser("list")
    lst.add_argument("--society", help="区划代码（默认第一个互助社）")
    lst.add_argument("--status", choices=[s.value for s in CaseStatus])
    lst.add_argument("--cause", choices=[c.value for c in Cause])
    lst.add_argument("--search", default="", help="姓名、身份证号或案件编号中的一段（3 个字起任意位置；1–2 个字从姓名、名字或号码开头）")
    lst.add_argument("--limit", type=messages.whole_number(0, MAX_LIMIT), default=50)
    show = case_sub.add_parser("show", help="一件案件（JSON）；身份证号脱敏，--full-ids 须登录为经办人或管理员")
    show.add_argument("--full-ids", action="store_true", help="显示完整身份证号、账号")
    show.add_argument("case_no")
    cadd = case_sub.add_parser("add", help="从 JSON 文件登记申请（字段同申请表）")
    cadd.add_argument("--society", help="区划代码（默认第一个互助社）")
    cadd.add_argument("file", help="JSON 文件，- 为标准输入")
    cadd.add_argument("--attach", action="append", default=[], help="附件文件，可重复")
    cadd.add_argument("--repeat", metavar="REASON", default="",
                      help="一事一救：此人本年度已有同一事由的案件时，仍然登记的理由（记入案件和审计记录）")
    cmd_review.add_parsers(case_sub, sub)
    cmd_fund.add_parsers(sub)
    cmd_print.add_parsers(sub)
    cmd_district.add_parsers(sub)
    cmd_backup.add_parsers(sub)
    cmd_keys.add_parsers(sub)
    cmd_users.add_parsers(sub)
    cmd_connection.add_parser(sub)
    _common_options_everywhere(parser)
    return parser


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line, with options anywhere: argparse fills a list of positionals
    (``case act N visit date=… --user U investigators=…``, ``import A --db F B``) only up to
    the first option, so what it leaves over is added to that list."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    listed = "fields" if hasattr(args, "fields") else "folders" if hasattr(args, "folders") else None
    if extra and listed and not any(item.startswith("-") for item in extra):
        getattr(args, listed).extend(extra)
    elif extra:
        parser.error(f"无法识别的参数：{' '.join(extra)}")
    return args


def main(argv: list[str] | None = None) -> int:
    restrict_umask()  # every file written from here on is the user's only
    args = parse_arguments(argv)
    if args.command is None:
        from jiujinan.ui.app import run_gui  # Qt only when the GUI is wanted

        return run_gui(args.db)
    log_file = setup_logging(paths.log_dir())
    if args.command == "restore":
        try:
            return cmd_backup.run_restore(args.db, paths.data_dir(), args, SystemClock(), cmd_users.sign_in)
        except DomainError as err:
            print(f"错误：{err}", file=sys.stderr)
            return 1
    if args.command == "db" and args.action != "upgrade":
        try:
            return cmd_connection.run(args, cmd_users.sign_in)
        except DomainError as err:
            print(f"错误：{err}", file=sys.stderr)
            return 1
    if missing := _missing_database(args):
        print(f"错误：找不到数据库文件 {missing}（请检查 --db 的路径；新建数据库用 demo、user add 或 db upgrade）",
              file=sys.stderr)
        return 2
    try:
        ctx = cmd_connection.open_asking_password(args.db, args.wait, reading_only=args.command in READING_ONLY)
    except DomainError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 2
    try:
        user = cmd_users.acting_user(ctx, args)  # reads too: the services refuse what is not theirs
        handler = {"demo": _demo, "case": _case, "todo": _todo,
                   "society": lambda c, a, u: cmd_society.run(c, a, u, _society_id),
                   "calendar": lambda c, a, u: cmd_review.calendar(c, a.action, a.file, u),
                   "check": lambda c, a, u: cmd_fund.check(c),
                   "print": lambda c, a, u: cmd_print.run(c, a, u, lambda args: _society_id(c, getattr(args, "society", None),
                                                                                             u)),
                   "export": cmd_district.run_export,
                   "import": cmd_district.run_import,
                   "reconcile": cmd_district.run_reconcile,
                   "grant": cmd_district.run_grant,
                   "backup": cmd_backup.run_backup,
                   "user": cmd_users.run,
                   "key": cmd_keys.run,
                   "db": lambda c, a, u: _db_upgraded(c),
                   "fund": lambda c, a, u: cmd_fund.run_fund(c, a, u, _society_id(c, a.society, u))}[args.command]
        return handler(ctx, args, user)
    except ValidationError as err:
        for e in err.errors:
            # The form's word for the field first; its name in the JSON file after, for scripts.
            label = FIELD_LABELS.get(e.field)
            said = e.message if label is None or label in e.message else f"{label}：{e.message}"
            print(f"错误：{said}" + (f"（{e.field}）" if e.field else ""), file=sys.stderr)
        return 1
    except DomainError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader stopped reading (`| head`): nothing of ours went wrong
        _quiet_stdout()
        return 0
    except Exception:  # noqa: BLE001 - unexpected: logged with its traceback, named briefly
        logging.getLogger("jiujinan.cli").exception("unexpected error in %s", args.command)
        print(f"程序出错，操作未完成。详细信息已记录在 {log_file}", file=sys.stderr)
        return 3
    finally:
        ctx.close()


def _quiet_stdout() -> None:
    """Point standard output at nothing, so the interpreter's last flush finds no closed pipe."""
    try:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - kept open until the process ends
    except OSError:
        pass


# Commands that work on a database on read-only media (nothing is written beside it).
READING_ONLY = {"check", "backup"}


# Commands that may start a new database file; every other one only reads or works on an
# existing one, and a mistyped --db must not quietly create an empty file that "checks out".
CREATING = {("demo", None), ("db", "upgrade"), ("user", "add"), ("society", "add"), ("import", None),
            ("grant", None), ("calendar", "set")}


def _missing_database(args: argparse.Namespace) -> Path | None:
    """The database file the command names, when it does not exist and the command would
    only read it (None when it exists, is a server, or may be created)."""
    from jiujinan.db.engine import database_url, sqlite_path
    from jiujinan.services.connection import startup_database

    if (args.command, getattr(args, "action", None)) in CREATING or (args.command, None) in CREATING:
        return None
    target = startup_database(args.db, paths.config_dir())
    path = sqlite_path(database_url(target, paths.data_dir()))
    return path if path is not None and not path.exists() else None


def _db_upgraded(ctx: AppContext) -> int:
    """Opening the database already created or upgraded it (a copy kept first for a file)."""
    from jiujinan.db.migrate import current_revision

    kept = f"；升级前的文件另存为 {ctx.backup_made}" if ctx.backup_made else ""
    print(f"{ctx.db_label}：表结构版本 {current_revision(ctx.engine)}（最新）{kept}")
    return 0


def _demo(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        print(f"\r已生成 {done}/{total} 件", end="", file=sys.stderr, flush=True)

    summary = run_demo(ctx, n_societies=args.societies, n_cases=args.cases, seed=args.seed,
                       progress=progress if sys.stderr.isatty() else None)
    print(f"演示数据：{summary.societies} 个互助社，{summary.cases} 件案件，"
          f"{summary.contributions} 笔收入，{summary.payments} 笔发放，用时 {time.perf_counter() - started:.1f} 秒"
          f"（{ctx.db_label}）")
    return 0


def _society_id(ctx: AppContext, code: str | None, user: str) -> int:
    """The society named by its area code (the first one the user works on by default)."""
    records = societies.list_societies(ctx, user)
    if not records:
        raise DomainError("数据库中还没有互助社，请先 jiujinan society add 或在程序中填写" if not societies.list_societies(ctx)
                          else f"{user} 的工作范围内没有互助社")
    if code is None:
        return records[0].id
    for rec in records:
        if rec.settings.area_code == code:
            return rec.id
    raise DomainError(f"找不到区划代码为 {code} 的互助社")


def _todo(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    return cmd_review.todo(ctx, _society_id(ctx, args.society, user), user, args.limit)


def _case(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    if args.action == "act":
        return cmd_review.act(ctx, args.case_no, args.action_name, args.fields, user)
    if args.action == "timeline":
        return cmd_review.timeline(ctx, args.case_no, user)
    if args.action == "show":  # personal numbers masked unless --full-ids (refused without the right)
        case = intake.load_by_no(ctx, args.case_no, user, full=args.full_ids)
        out = {"case_no": case.case_no, "status": case.status.label, "version": case.version,
               **case.application.as_dict(),
               "attachments": [{"name": a.original_name, "sha256": a.sha256} for a in case.attachments]}
        out["requested_yuan"] = format_fen(case.application.requested_fen)
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
        return 0
    society_id = _society_id(ctx, args.society, user)
    if args.action == "list":
        query = CaseListQuery(
            society_id=society_id,
            status=CaseStatus(args.status) if args.status else None,
            cause=Cause(args.cause) if args.cause else None,
            text=args.search,
        )
        total = case_list.count(ctx, query, user)
        for row in case_list.page(ctx, query, user, limit=args.limit):
            print(f"{row.case_no}\t{row.applicant_name}\t{disclose(row.id_number, Output.LIST, Kind.ID_NUMBER, frozenset())}\t{row.cause.label}\t"
                  f"{format_fen(row.requested_fen)}\t{row.status.label}\t{format_date(row.applied_on)}")
        print(f"共 {total} 件", file=sys.stderr)
        return 0
    data = _read_application(args.file, ctx)
    if args.repeat.strip():
        data = dataclasses.replace(data, repeat_reason=args.repeat)
    try:
        case = intake.register_application(ctx, society_id, data, user,
                                           attachments=[Path(p) for p in args.attach])
    except RepeatApplication as err:  # the same rule as the GUI's intake (cases/history.check_repeat)
        print(f"错误：{err}\n未登记。如确需再次登记，请加上 --repeat 理由，例如："
              f"jiujinan case add --repeat \"病情复发再次住院\" {args.file}", file=sys.stderr)
        return 1
    print(case.case_no)
    return 0


# An application file is a few KB; a larger one is not an application (and is not read whole).
APPLICATION_FILE_MAX = 1_000_000  # bytes


def _read_application(file: str, ctx: AppContext) -> ApplicationInput:
    """An application from JSON: the form's field names, values as typed. Each value's JSON
    type is checked (a file from outside is hostile until checked): every wrong one is named
    at once, and nothing is stored."""
    try:
        if file == "-":
            data = sys.stdin.buffer.read(APPLICATION_FILE_MAX + 1)
        else:
            with Path(file).open("rb") as stream:
                data = stream.read(APPLICATION_FILE_MAX + 1)
        if len(data) > APPLICATION_FILE_MAX:
            raise DomainError(f"申请文件超过 {APPLICATION_FILE_MAX // 1_000_000} MB，不是一份申请")
        raw = json.loads(data.decode("utf-8"))
    except (OSError, ValueError) as err:  # ValueError: bad UTF-8 or JSON, an integer of thousands of digits
        raise DomainError(f"无法读取申请文件：{err}") from err
    except RecursionError:  # thousands of nested brackets
        raise DomainError("无法读取申请文件：JSON 嵌套过深") from None
    if not isinstance(raw, dict):
        raise DomainError("申请文件应为一个 JSON 对象")
    known = set(ApplicationInput.__dataclass_fields__)
    unknown = sorted(set(raw) - known)
    if unknown:
        raise DomainError(f"申请文件中有不认识的字段：{', '.join(unknown)}")
    values: dict[str, object] = {}
    errors: list[FieldError] = []
    for key, value in raw.items():
        try:
            values[key] = _application_value(key, value, ctx)
        except ValidationError as err:
            errors.extend(err.errors)
    if errors:
        raise ValidationError(errors)
    values.setdefault("applied_on", ctx.clock.today())
    return ApplicationInput(**values)  # type: ignore[arg-type]


def _application_value(key: str, value: object, ctx: AppContext) -> object:
    """One field of an application file as the form holds it, or ValidationError naming it."""
    if key == "members":
        return _members_value(value)
    if key == "agent_has_poa":  # "false" is text, and bool("false") is True: only true or false
        if value is None:
            return False
        if not isinstance(value, bool):
            raise ValidationError("应为 true 或 false（不加引号）", field=key)
        return value
    text = _application_text(key, value)
    if key == "applied_on":
        return parse_date(text, field="applied_on", label="申请日期", today=ctx.clock.today())
    return text


# A member in an application file: a list in the form's column order, the last ones optional
# (older files give three), or an object with these names. ``case show`` prints the lists.
MEMBER_KEYS = ("name", "relation", "id_number", "age", "income_source")
MEMBERS_SHAPE = ('应为列表，每人一项 ["姓名", "关系", "身份证号", 年龄, "收入来源"]（后几项可省略；'
                 '或 {"name": …, "relation": …, "id_number": …, "age": …, "income_source": …}）')


def _members_value(value: object) -> list[tuple[str, ...]]:
    """The household members of an application file as the form's rows of text."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError(MEMBERS_SHAPE, field="members")
    rows = []
    for member in value:
        if isinstance(member, dict) and set(member) <= set(MEMBER_KEYS):
            cells = [member.get(k) for k in MEMBER_KEYS]
        elif isinstance(member, list) and len(member) <= len(MEMBER_KEYS):
            cells = list(member) + [None] * (len(MEMBER_KEYS) - len(member))
        else:
            raise ValidationError(MEMBERS_SHAPE, field="members")
        if not all(isinstance(c, str) for c in cells[:2]) or not all(c is None or isinstance(c, str)
                                                                      for c in cells[2:3] + cells[4:]):
            raise ValidationError(MEMBERS_SHAPE, field="members")
        age = cells[3]
        if isinstance(age, bool) or not (age is None or isinstance(age, (str, int))):
            raise ValidationError(MEMBERS_SHAPE, field="members")
        rows.append(tuple("" if c is None else str(c) for c in cells))
    return rows


def _application_text(key: str, value: object) -> str:
    """A text field: a JSON string, or a number written as text (null is empty)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise ValidationError("应为文字或数字", field=key)


if __name__ == "__main__":
    raise SystemExit(main())
