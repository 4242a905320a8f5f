"""``jiujinan user …`` and signing in on the command line.

Every command runs as ``--user NAME`` after its password is checked (from
``JIUJINAN_PASSWORD`` for scripts, or asked for at the terminal), except the few that show
no one's data (OPEN). On a database without users yet (a new file, a demo) nobody can sign
in: whoever holds the file sets it up, and the first ``user add`` creates the administrator.
The services themselves hold the rule for reads (services/access.reader); signing in here
only proves who the name is."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

from jiujinan.cases.errors import DomainError

if TYPE_CHECKING:
    from jiujinan.services.context import AppContext

COMMANDS = ("user",)

# Commands that show no one's personal data and run without signing in: the consistency
# check (it names case numbers and amounts, never a person), the schema upgrade and the
# holidays. Every other command signs in once the database has users, reads included.
OPEN = {"check", "db", ("calendar", "list"), ("key", "show")}  # a fingerprint is read out over the phone


AREA_HELP = "工作范围：区划代码前6位（区县）、前9位（乡镇）或12位（一个互助社），留空为全部"


def add_parsers(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    user = sub.add_parser("user", help="用户：list 列出，add 新增，roles 改角色/停用，passwd 重设密码")
    actions = user.add_subparsers(dest="action", required=True)
    actions.add_parser("list")
    add = actions.add_parser("add", help="新增用户（第一个用户须为管理员）；密码从标准输入读一行或在终端输入")
    add.add_argument("name")
    add.add_argument("--roles", required=True, help="经办人、审核人、管理员，可多个，用逗号分开")
    add.add_argument("--area", default="", help=AREA_HELP)
    roles = actions.add_parser("roles", help="改角色、工作范围，或停用")
    roles.add_argument("name")
    roles.add_argument("--roles", required=True)
    roles.add_argument("--area", default=None, help=AREA_HELP + "；不给则不变")
    roles.add_argument("--disable", action="store_true", help="停用该用户")
    passwd = actions.add_parser("passwd", help="管理员为用户重设密码（并免去登录等待）")
    passwd.add_argument("name")


def is_open(args: argparse.Namespace) -> bool:
    """Whether the command shows no one's data (runs without signing in)."""
    return args.command in OPEN or (args.command, getattr(args, "action", None)) in OPEN


def acting_user(ctx: AppContext, args: argparse.Namespace) -> str:
    """Who the command runs as: a signed-in user once the database has users; before that
    (setting up) the name given, or 命令行."""
    from jiujinan.services import users

    if is_open(args) or users.needs_first_admin(ctx):
        return args.user or "命令行"
    return sign_in(ctx, args)


def _ask(prompt: str) -> str:
    """A password: one line of standard input when it is not a terminal, else asked for."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise DomainError("需要密码：请从标准输入提供，或设置 JIUJINAN_PASSWORD")
        return line.rstrip("\r\n")
    return getpass.getpass(prompt)


def sign_in(ctx: AppContext, args: argparse.Namespace) -> str:
    """The user a changing command runs as, after checking their password."""
    if not args.user:
        raise DomainError("请用 --user 指定操作人（或设置 JIUJINAN_USER），并提供其密码（JIUJINAN_PASSWORD）")
    from jiujinan.services import users

    password = os.environ.get("JIUJINAN_PASSWORD")
    if password is None:
        password = _ask(f"{args.user} 的密码：")
    users.login(ctx, args.user, password)
    return args.user


def run(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    from jiujinan.cases.areas import area_label
    from jiujinan.cases.users import parse_roles, roles_label
    from jiujinan.services import users

    if args.action == "list":
        listed = users.list_users(ctx, user)
        if not listed:
            print("还没有用户：第一位用 jiujinan user add 姓名 --roles 管理员 设立（或在程序里首次启动时设立）",
                  file=sys.stderr)
        for u in listed:
            state = "" if u.active else "\t已停用"
            print(f"{u.name}\t{roles_label(u.roles)}\t{area_label(u.area)}{state}"
                  + ("" if u.has_password else "\t未设密码"))
        return 0
    if args.action == "add":
        new = os.environ.get("JIUJINAN_NEW_PASSWORD") or _ask(f"{args.name} 的新密码：")
        name = users.create_user(ctx, args.name, parse_roles(args.roles), new, user or args.name, args.area)
        print(f"已新增用户 {name}（{roles_label(parse_roles(args.roles))}）")
        return 0
    if args.action == "roles":
        users.set_roles(ctx, args.name, parse_roles(args.roles), user, active=not args.disable, area=args.area)
        print(f"已更新 {args.name}")
        return 0
    new = os.environ.get("JIUJINAN_NEW_PASSWORD") or _ask(f"{args.name} 的新密码：")
    users.reset_password(ctx, args.name, new, user)
    print(f"已重设 {args.name} 的密码")
    return 0
