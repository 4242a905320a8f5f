"""The command line: ``jiujinan`` opens the GUI; subcommands run the same services headless.

Each command group is a module ``cmd_NAME`` with the same small interface (as calibre's
db/cli/cmd_*.py): ``COMMANDS``, the subcommands it adds; ``add_parsers(sub)``, which adds
them; ``run(ctx, args, user)``, which runs one on the opened database; and, for a group
with commands that must not open it first (restore, db show), ``run_unopened(args, clock)``.
A module imports what its commands need inside them, and this one only argparse: so
``jiujinan --version`` and a lookup do not pay for Qt, ReportLab, Alembic or SQLAlchemy's
whole ORM before they start (tests/test_cli_startup.py holds --version to that)."""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from jiujinan import __version__
from jiujinan.cases.clock import SystemClock
from jiujinan.cases.errors import DomainError, ValidationError
from jiujinan.cli import messages

if TYPE_CHECKING:
    from jiujinan.services.context import AppContext

# The command groups, in the order ``jiujinan -h`` lists their commands (imported when a
# command is parsed, not for ``--version``).
GROUP_NAMES = ("demo", "office", "exchange", "society", "case", "review", "fund", "print", "district", "backup", "keys",
               "users", "connection")


@functools.cache
def groups() -> tuple[ModuleType, ...]:
    return tuple(importlib.import_module(f"jiujinan.cli.cmd_{name}") for name in GROUP_NAMES)


def group_of(command: str) -> ModuleType:
    return next(group for group in groups() if command in group.COMMANDS)


# Bounds of numbers typed on the command line (a larger one is a typing slip, and an unbounded
# one overflowed the lock timeout or the database's integer).
MAX_WAIT = 3600  # seconds


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
    for group in groups():
        group.add_parsers(sub)
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
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:  # scripts ask it first: no parser to build
        print(f"jiujinan {__version__}")
        return 0
    from jiujinan import paths
    from jiujinan.files import restrict_umask

    args = parse_arguments(argv)
    restrict_umask()  # every file written from here on is the user's only
    if args.command is None:
        # Qt only when the GUI is wanted; the database layer loads behind its first window.
        from jiujinan.ui.app import run_gui

        return run_gui(args.db)
    from jiujinan.logging_setup import setup_logging

    log_file = setup_logging(paths.log_dir())
    group = group_of(args.command)
    if hasattr(group, "run_unopened"):
        try:
            done = group.run_unopened(args, SystemClock())
        except DomainError as err:
            print(f"错误：{err}", file=sys.stderr)
            return 1
        if done is not None:
            return done
    if missing := _missing_database(args):
        print(f"错误：找不到数据库文件 {missing}（请检查 --db 的路径；新建数据库用 demo、user add 或 db upgrade）",
              file=sys.stderr)
        return 2
    try:
        from jiujinan.cli.cmd_connection import open_asking_password

        ctx = open_asking_password(args.db, args.wait, reading_only=args.command in READING_ONLY)
    except DomainError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 2
    try:
        return _run(group, ctx, args)
    except BrokenPipeError:  # the reader stopped reading (`| head`): nothing of ours went wrong
        _quiet_stdout()
        return 0
    except Exception:  # noqa: BLE001 - unexpected: logged with its traceback, named briefly
        import logging

        logging.getLogger("jiujinan.cli").exception("unexpected error in %s", args.command)
        print(f"程序出错，操作未完成。详细信息已记录在 {log_file}", file=sys.stderr)
        return 3
    finally:
        ctx.close()


def _run(group: ModuleType, ctx: AppContext, args: argparse.Namespace) -> int:
    """Sign in (reads too: the services refuse what is not the user's) and run the command;
    the domain's refusals are said in Chinese, each field's by its label on the form."""
    from jiujinan.cases.application import FIELD_LABELS
    from jiujinan.cli.cmd_users import acting_user

    try:
        return group.run(ctx, args, acting_user(ctx, args))
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
            ("grant", None), ("calendar", "set"), ("office", "setup")}


def _missing_database(args: argparse.Namespace) -> Path | None:
    """The database file the command names, when it does not exist and the command would
    only read it (None when it exists, is a server, or may be created)."""
    from jiujinan import paths
    from jiujinan.db.engine import database_url, sqlite_path
    from jiujinan.services.connection import startup_database

    if (args.command, getattr(args, "action", None)) in CREATING or (args.command, None) in CREATING:
        return None
    target = startup_database(args.db, paths.config_dir())
    path = sqlite_path(database_url(target, paths.data_dir()))
    return path if path is not None and not path.exists() else None


if __name__ == "__main__":
    raise SystemExit(main())
