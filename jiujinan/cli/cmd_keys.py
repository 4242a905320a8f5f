"""``jiujinan key …``: this database's signing key (show, export, replace) and, at the district,
enrolling a society's new key from its key file (trust)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jiujinan.services.context import AppContext

COMMANDS = ("key",)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    key = sub.add_parser("key", help="签名密钥：show 指纹，export 导出公钥文件，replace 更换，trust 区里登记某社的新公钥")
    actions = key.add_subparsers(dest="action", required=True)
    actions.add_parser("show", help="本数据库签名密钥的指纹（印在月报上，供区里核对）")
    export = actions.add_parser("export", help="导出公钥文件，交给区里登记")
    export.add_argument("--out", required=True, help="公钥文件（.pem）")
    actions.add_parser("replace", help="管理员更换签名密钥（记入审计；区里须登记新的公钥文件后才接收报送）")
    trust = actions.add_parser("trust", help="区里登记某互助社的新公钥文件（先与该社核对指纹）")
    trust.add_argument("file", help="该社用 key export 导出的公钥文件")
    trust.add_argument("--society", required=True, help="该社的区划代码")
    trust.add_argument("--fingerprint", default="",
                       help="与该社核对过的指纹（不填则只显示文件的指纹，不登记）")


def run(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    from jiujinan.services import district_trust, keys

    if args.action == "show":
        print(f"签名密钥指纹：{keys.fingerprint(ctx, user)}")
    elif args.action == "export":
        fingerprint = keys.export_public_key(ctx, Path(args.out), user)
        print(f"已导出公钥文件 {args.out}（指纹 {fingerprint}）")
    elif args.action == "replace":
        old, new = keys.replace_key(ctx, user)
        print(f"已更换签名密钥：原指纹 {old or '无'}，新指纹 {new}。"
              "请用 jiujinan key export 导出新的公钥文件交给区里登记，否则区里不接收之后的报送")
    elif not args.fingerprint:
        shown = district_trust.key_file_fingerprint(Path(args.file))
        print(f"公钥文件 {args.file} 的指纹是 {shown}。未登记：请与该社核对（电话，或该社月报、设置页上的指纹），"
              f"一致后加 --fingerprint \"{shown}\" 再运行")
        return 1
    else:
        old, new = district_trust.trust_key_file(ctx, Path(args.file), args.society, user, args.fingerprint)
        print(f"已为 {args.society} 登记公钥，指纹 {new}" + (f"（原指纹 {old}）" if old else ""))
    return 0
