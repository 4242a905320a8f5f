"""``jiujinan office …``: the office this installation is (setup, show), its card for other
offices (card), and enrolling theirs (trust, list)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jiujinan.services.context import AppContext

COMMANDS = ("office",)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    office = sub.add_parser("office", help="本单位：setup 设立，show 查看，card 导出卡片，trust 登记其他单位的卡片，list 已登记的单位")
    actions = office.add_subparsers(dest="action", required=True)
    setup = actions.add_parser("setup", help="设立本单位（只设立一次）：村互助社、乡镇（街道）或区（县）")
    setup.add_argument("--kind", required=True, help="village（村互助社）、town（乡镇/街道）或 district（区/县）")
    setup.add_argument("--area-code", required=True, help="本单位的12位统计用区划代码（乡镇后3位为0，区县后6位为0）")
    setup.add_argument("--name", required=True, help="单位名称，如 水阳镇人民政府")
    actions.add_parser("show", help="本单位的类别、区划代码、名称和卡片指纹")
    card = actions.add_parser("card", help="导出本单位卡片（.jjncard），交给上级或下级单位登记")
    card.add_argument("--out", required=True, help="卡片文件")
    trust = actions.add_parser("trust", help="登记上级或下级单位的卡片（先电话核对指纹）")
    trust.add_argument("file", help="对方导出的卡片文件（.jjncard）")
    trust.add_argument("--fingerprint", default="", help="对方在电话中读出的指纹（不填则在终端上询问）")
    trust.add_argument("--replace", action="store_true", help="对方已更换密钥：以这张卡片替换已登记的")
    actions.add_parser("list", help="已登记的上级和下级单位")


def run(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    from jiujinan.services import offices

    if args.action == "setup":
        return _setup(ctx, args, user)
    if args.action == "show":
        office = offices.current_office(ctx)
        if office is None:
            print(offices.NOT_SET_UP)
            return 1
        print(f"本单位：{office.name}")
        print(f"类别：{office.kind.label}")
        print(f"区划代码：{office.area_code}")
        if office.derived:
            print("（本数据库早于“单位”设立，按其互助社视为村互助社；可用 office setup 正式设立）")
        print(f"卡片指纹：{offices.own_card(ctx, user).fingerprint}")
        return 0
    if args.action == "card":
        made = offices.write_card(ctx, Path(args.out), user)
        print(f"已导出{made.office.name}的卡片 {offices.card_path(Path(args.out))}（指纹 {made.fingerprint}）。"
              "交给对方后，请在电话中向对方读出指纹")
        return 0
    if args.action == "trust":
        return _trust(ctx, args, user)
    listed = offices.trusted(ctx, user)
    if not listed:
        print("还没有登记其他单位：用 jiujinan office trust 卡片文件 登记")
        return 0
    for entry in listed:
        print(f"{entry.area_code}  {entry.kind.label}  {entry.name}  指纹 {entry.fingerprint}  "
              f"{entry.enrolled_at:%Y-%m-%d} {entry.enrolled_by} 登记")
    return 0


def _setup(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    from jiujinan.cases.offices import OfficeSettings, parse_kind
    from jiujinan.services import offices

    office, changed = offices.setup_office(ctx, OfficeSettings(parse_kind(args.kind), args.area_code, args.name), user)
    if not changed:
        print(f"本单位已设立为{office.label}，无需改动")
        return 0
    print(f"已设立本单位：{office.label}")
    print(f"卡片指纹：{offices.own_card(ctx, user).fingerprint}")
    print("下一步：jiujinan office card --out 本单位.jjncard 导出卡片，交给上级和下级单位登记")
    return 0


def _trust(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    from jiujinan.services import offices

    card = offices.read_card(Path(args.file))
    typed = args.fingerprint
    if not typed:
        if not sys.stdin.isatty():
            print(f"卡片 {args.file}：{card.label}，指纹 {card.fingerprint}。未登记：请打电话请对方读出其指纹并核对，"
                  f"一致后加 --fingerprint \"对方读出的指纹\" 再运行")
            return 1
        # At a terminal the clerk types what the other office reads out: a check, not a "y".
        print(f"卡片：{card.label}")
        try:
            typed = input("请打电话请对方读出其卡片指纹（16位），在此输入：")
        except EOFError:
            return 1
    try:
        done = offices.trust_card(ctx, Path(args.file), user, typed, replace=args.replace)
    except offices.ReplacementNeeded as err:
        print(f"错误：{err}（确认后加 --replace 再运行）", file=sys.stderr)
        return 1
    if done.already:
        print(f"{done.office.label}的这张卡片早已登记（指纹 {done.office.fingerprint}），无需改动")
    elif done.replaced:
        print(f"已替换{done.office.label}的卡片：原指纹 {done.replaced}，新指纹 {done.office.fingerprint}")
    else:
        print(f"已登记{done.office.label}，指纹 {done.office.fingerprint}")
    return 0
