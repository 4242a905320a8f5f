"""``jiujinan db …``: which database this PC works on, and opening it on the command line
(asking for the server's password at a terminal when PGPASSWORD or ~/.pgpass has none)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from jiujinan.cli import messages
from jiujinan.cases.clock import Clock, SystemClock

if TYPE_CHECKING:
    from jiujinan.services.context import AppContext

COMMANDS = ("db",)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    db = sub.add_parser("db", help="数据库：upgrade 创建或升级表结构；show 本机用哪个数据库；"
                                   "use-server 改用单位的 PostgreSQL 服务器；use-file 改回本机数据文件")
    db.add_argument("action", choices=["upgrade", "show", "use-server", "use-file"])
    db.add_argument("--host", help="服务器地址（use-server）")
    db.add_argument("--port", type=messages.whole_number(1, 65535), default=None)  # connection.DEFAULT_PORT
    db.add_argument("--name", default="jiujinan", help="数据库名")
    db.add_argument("--db-user", default="", help="数据库用户名（不是本程序的用户）")


def run_unopened(args: argparse.Namespace, clock: Clock) -> int | None:
    """show / use-server / use-file: the per-PC setting (None: upgrade opens the database
    first). Switching opens the database this PC uses now (never ``--db``: a file of no
    users would let anyone through), where an administrator signs in (``--user``) when it
    has users."""
    if args.action == "upgrade":
        return None
    from jiujinan import paths
    from jiujinan.cli.cmd_users import sign_in
    from jiujinan.db.engine import DEFAULT_DB_NAME
    from jiujinan.services.connection import DEFAULT_PORT, ServerSetting, saved_server, switch_database

    config = paths.config_dir()
    if args.action in ("use-server", "use-file"):
        port = DEFAULT_PORT if args.port is None else args.port
        setting = ServerSetting(args.host or "", port, args.name, args.db_user).validated() \
            if args.action == "use-server" else None
        current = _current_database(config, args.wait, clock)
        try:
            switch_database(current, config, setting, lambda ctx: sign_in(ctx, args))
        finally:
            if current is not None:
                current.close()
        print(f"本机今后使用服务器上的数据库 {setting.label}（密码不保存：启动时输入，或用 PGPASSWORD / ~/.pgpass）"
              if setting else "本机今后使用用户数据目录中的数据文件")
        return 0
    server = saved_server(config)
    print(f"PostgreSQL 服务器 {server.label}" if server else f"本机数据文件 {paths.data_dir() / DEFAULT_DB_NAME}")
    return 0


def run(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    """``db upgrade``: opening the database already created or upgraded it (a copy kept
    first for a file)."""
    from jiujinan.db.migrate import current_revision

    kept = f"；升级前的文件另存为 {ctx.backup_made}" if ctx.backup_made else ""
    print(f"{ctx.db_label}：表结构版本 {current_revision(ctx.engine)}（最新）{kept}")
    return 0


def _current_database(config: Path, busy_wait: float, clock: Clock) -> AppContext | None:
    """The database this PC uses now, open (None: its data file was never made). One that
    cannot be opened is no reason to let anyone switch: the switch is refused, saying how
    to get on."""
    from jiujinan import paths
    from jiujinan.db.engine import DEFAULT_DB_NAME
    from jiujinan.services.connection import SETTING_FILE, saved_server
    from jiujinan.services.context import DatabaseUnavailable, PasswordNeeded

    if saved_server(config) is None and not (paths.data_dir() / DEFAULT_DB_NAME).exists():
        return None
    try:
        return open_asking_password(None, busy_wait, clock=clock)
    except PasswordNeeded:
        raise
    except DatabaseUnavailable as err:
        raise DatabaseUnavailable(
            f"{err}。打不开本机现在使用的数据库，就无法确认由它的管理员改用：请恢复连接后再改；"
            f"那台服务器已不再使用时，请技术人员删除本机的设置文件 {config / SETTING_FILE}") from err


def open_asking_password(db: str | None, busy_wait: float, reading_only: bool = False,
                         clock: Clock | None = None) -> AppContext:
    """Open ``--db`` or this PC's database; a server that wants a password gets it from
    the terminal (never from a file this program writes). ``reading_only`` (check, backup):
    a file on read-only media is opened without writing anything beside it."""
    from jiujinan import paths
    from jiujinan.services.connection import open_database, startup_database
    from jiujinan.services.context import PasswordNeeded, open_read_only, read_only_file

    clock = clock or SystemClock()
    if reading_only and db and read_only_file(db, paths.data_dir()):
        return open_read_only(db, paths.data_dir(), clock)
    def ask(err: PasswordNeeded) -> str:
        if not sys.stdin.isatty():
            raise PasswordNeeded(f"{err}；请在终端运行以输入密码，或设置 PGPASSWORD 或 ~/.pgpass") from err
        return getpass.getpass("数据库服务器密码：")

    ctx = open_database(startup_database(db, paths.config_dir()), paths.data_dir(), clock, ask,
                        busy_wait=busy_wait)
    assert ctx is not None  # the terminal always answers (or the error above is raised)
    return ctx
