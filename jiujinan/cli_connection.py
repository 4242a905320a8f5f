"""``jiujinan db …``: which database this PC works on, and opening it on the command line
(asking for the server's password at a terminal when PGPASSWORD or ~/.pgpass has none)."""

from __future__ import annotations

import argparse
import getpass
import sys

from jiujinan import cli_messages, paths
from jiujinan.cases.clock import SystemClock
from jiujinan.services.connection import (
    DEFAULT_PORT, ServerSetting, open_database, save_server, saved_server, startup_database,
)
from jiujinan.services.context import AppContext, PasswordNeeded, open_read_only, read_only_file


def add_parser(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    db = sub.add_parser("db", help="数据库：upgrade 创建或升级表结构；show 本机用哪个数据库；"
                                   "use-server 改用单位的 PostgreSQL 服务器；use-file 改回本机数据文件")
    db.add_argument("action", choices=["upgrade", "show", "use-server", "use-file"])
    db.add_argument("--host", help="服务器地址（use-server）")
    db.add_argument("--port", type=cli_messages.whole_number(1, 65535), default=DEFAULT_PORT)
    db.add_argument("--name", default="jiujinan", help="数据库名")
    db.add_argument("--db-user", default="", help="数据库用户名（不是本程序的用户）")


def run(args: argparse.Namespace) -> int:
    """show / use-server / use-file: the per-PC setting only; nothing is opened."""
    config = paths.config_dir()
    if args.action == "use-server":
        setting = ServerSetting(args.host or "", args.port, args.name, args.db_user).validated()
        save_server(config, setting)
        print(f"本机今后使用服务器上的数据库 {setting.label}（密码不保存：启动时输入，或用 PGPASSWORD / ~/.pgpass）")
        return 0
    if args.action == "use-file":
        save_server(config, None)
        print("本机今后使用用户数据目录中的数据文件")
        return 0
    server = saved_server(config)
    print(f"PostgreSQL 服务器 {server.label}" if server else f"本机数据文件 {paths.data_dir() / 'jiujinan.db'}")
    return 0


def open_asking_password(db: str | None, busy_wait: float, reading_only: bool = False) -> AppContext:
    """Open ``--db`` or this PC's database; a server that wants a password gets it from
    the terminal (never from a file this program writes). ``reading_only`` (check, backup):
    a file on read-only media is opened without writing anything beside it."""
    if reading_only and db and read_only_file(db, paths.data_dir()):
        return open_read_only(db, paths.data_dir(), SystemClock())
    def ask(err: PasswordNeeded) -> str:
        if not sys.stdin.isatty():
            raise PasswordNeeded(f"{err}；请在终端运行以输入密码，或设置 PGPASSWORD 或 ~/.pgpass") from err
        return getpass.getpass("数据库服务器密码：")

    ctx = open_database(startup_database(db, paths.config_dir()), paths.data_dir(), SystemClock(), ask,
                        busy_wait=busy_wait)
    assert ctx is not None  # the terminal always answers (or the error above is raised)
    return ctx
