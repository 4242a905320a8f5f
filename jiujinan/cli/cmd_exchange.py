"""``jiujinan send`` and ``jiujinan receive``: packets between offices on a USB stick."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jiujinan.services.context import AppContext

COMMANDS = ("send", "receive")


def add_parsers(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    send = sub.add_parser("send", help="为每个有待发内容的已登记单位写一个数据包（.jjnpkt）到文件夹（如U盘）")
    send.add_argument("--out", required=True, help="数据包写到的文件夹")
    send.add_argument("--to", default=None, metavar="AREA_CODE", help="只发给这个单位（区划代码）")
    send.add_argument("--full", action="store_true", help="完整重发：对方尚未确认收到的全部内容")
    receive = sub.add_parser("receive", help="接收发给本单位的数据包")
    receive.add_argument("files", nargs="+", help="数据包文件（.jjnpkt）")
    receive.add_argument("--dry-run", action="store_true", help="只显示会有哪些改动（新案件、新步骤、冲突），不改动")


def run(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    from jiujinan.services import packets

    if args.command == "send":
        sent = packets.send(ctx, Path(args.out), user, to=args.to, full=args.full)
        for note in sent.notes:
            print(f"注意：{note}")
        if not sent:
            print("没有需要发送的内容" if not sent.notes else "没有写出数据包")
            return 0
        for item in sent:
            extra = f"，{item.missing_files} 个附件文件缺失未能带上" if item.missing_files else ""
            print(f"已写出发往{item.to.label}的第 {item.seq} 号数据包：{item.cases} 件案件，{item.files} 个附件{extra}"
                  f" → {item.path}")
        return 0
    code = 0
    for name in args.files:
        try:
            got = packets.receive(ctx, Path(name), user, dry_run=args.dry_run)
        except packets.PacketRejected as err:
            print(f"错误：{err}", file=sys.stderr)
            code = 1
            continue
        print(packets.describe(got))
        for gap in packets.gap_names(got.sender, got.gaps):
            print(f"提示：{gap}")
    return code
