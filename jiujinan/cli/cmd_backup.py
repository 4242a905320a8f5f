"""``jiujinan backup`` and ``jiujinan restore``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from jiujinan.cli import messages
from jiujinan.cases.clock import Clock
from jiujinan.cases.errors import DomainError

if TYPE_CHECKING:
    from jiujinan.cases.restore import BackupSummary
    from jiujinan.services.context import AppContext

COMMANDS = ("backup", "restore")


def add_parsers(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    backup = sub.add_parser("backup", help="备份数据库（SQLite 在线备份，不必关闭程序）")
    backup.add_argument("--out", help="备份文件路径，或一个文件夹（在其中按时间命名）；默认在备份文件夹")
    backup.add_argument("--keep", type=messages.whole_number(1, 1000), default=None,  # services.backups.DEFAULT_KEEP
                        help="备份文件夹中保留的份数")
    restore = sub.add_parser("restore", help="从备份恢复（须由范围为全部的管理员 --user 登录）：先逐项核对备份，当前数据库另存一份后再恢复")
    restore.add_argument("file", help="备份文件")
    restore.add_argument("--other-societies", action="store_true",
                         help="备份里的互助社与现在数据库里的不同（例如别的村或区里的数据库）时，确认仍用它替换现在的全部数据；"
                              "恢复前总会列出备份里的互助社、案件数、最后一次操作的日期和管理员")


def run_unopened(args: argparse.Namespace, clock: Clock) -> int | None:
    """``restore`` runs on no opened database (None: ``backup`` opens it first)."""
    if args.command != "restore":
        return None
    from jiujinan import paths
    from jiujinan.cli.cmd_users import sign_in

    return run_restore(args.db, paths.data_dir(), args, clock, sign_in)


def run(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    return run_backup(ctx, args, user)


def run_backup(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    from jiujinan.services import backups

    if args.out and Path(args.out).is_dir():  # a folder: the backup is named as the app names its own
        target = backups.back_up_into(ctx, Path(args.out), user)
    elif args.out:
        target = backups.back_up_to(ctx, Path(args.out), user)
    else:
        keep = backups.DEFAULT_KEEP if args.keep is None else args.keep
        target = backups.back_up(ctx, backups.default_folder(ctx.data_dir), user, "manual", keep)
    print(target)
    if note := backups.tainted_note(ctx):
        print(note, file=sys.stderr)
    return 0


def run_restore(db: str | None, data_dir: Path, args: argparse.Namespace, clock: Clock,
                sign_in: Callable[[AppContext, argparse.Namespace], str]) -> int:
    """Runs without opening the database for a command first: it may be the damaged one.
    The administrator signs in (``--user``, the password from JIUJINAN_PASSWORD or asked at
    the terminal) to the current database, or to the backup when there is none to sign in to."""
    from jiujinan.services import backups

    def show(summary: BackupSummary) -> bool:
        print("备份内容：\n" + "\n".join(f"  {line}" for line in summary.lines()))
        return True

    def other(summary: BackupSummary) -> bool:
        if not args.other_societies:
            raise DomainError(f"{summary.other_societies_text()}。确认要用它替换现在的全部数据时，"
                              "请加 --other-societies 再运行（现有数据没有改动）")
        return True

    aside = backups.restore(db, data_dir, Path(args.file), clock, lambda ctx: sign_in(ctx, args), show, other)
    print(f"已从 {args.file} 恢复。" + (f"恢复前的数据库另存为 {aside}" if aside else ""), file=sys.stderr)
    return 0
