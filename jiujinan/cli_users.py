"""``jiujinan user …`` and signing in on the command line.

A command that changes data runs as ``--user NAME`` after its password is checked: from
``JIUJINAN_PASSWORD`` (for scripts), or asked for at the terminal. On a database without
users the first ``user add`` creates the administrator."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from jiujinan.cases.areas import area_label
from jiujinan.cases.errors import DomainError
from jiujinan.cases.users import Permission, Role, parse_roles, require, roles_label
from jiujinan.services import users
from jiujinan.services.context import AppContext

# Commands (and sub-actions) that only read; every other one needs a signed-in user.
READ_ONLY = {"check", "todo", "print", "export", "reconcile", "backup", "db", ("society", "list"), ("case", "list"),
             ("case", "show"), ("case", "timeline"), ("calendar", "list"), ("fund", "show"), ("fund", "ledger"),
             ("user", "list"), ("key", "show"), ("key", "export")}


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


UNSCOPED = {"db", "backup", "restore", "check", "import", "reconcile", "grant", "key"}  # the database as a whole


def reads_are_scoped(ctx: AppContext, args: argparse.Namespace) -> bool:
    """On a database where some users work on part of it only (a shared one), reading a
    society's cases needs signing in too, so each sees only their own."""
    return args.command not in UNSCOPED and users.areas_in_use(ctx)


def needs_sign_in(args: argparse.Namespace) -> bool:
    if getattr(args, "full_ids", False):
        return True
    return not (args.command in READ_ONLY or (args.command, getattr(args, "action", None)) in READ_ONLY)


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
    if args.command in ("user", "society", "demo", "restore") and users.needs_first_admin(ctx):
        return args.user or ""  # setting up: no one to sign in as yet
    if not args.user:
        raise DomainError("请用 --user 指定操作人（或设置 JIUJINAN_USER），并提供其密码（JIUJINAN_PASSWORD）")
    password = os.environ.get("JIUJINAN_PASSWORD")
    if password is None:
        password = _ask(f"{args.user} 的密码：")
    record = users.login(ctx, args.user, password)
    if args.command == "case" and getattr(args, "full_ids", False):
        require(args.user, record.roles, Permission.INTAKE if Role.CLERK in record.roles else Permission.FULL_IDS)
    return args.user


def run(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    if args.action == "list":
        for u in users.list_users(ctx):
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
