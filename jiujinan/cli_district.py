"""Command-line export (village side), import and reconcile (district side)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jiujinan.cases.errors import DomainError
from jiujinan.cli_print import period
from jiujinan.exports.csv_format import ENCODINGS
from jiujinan.services import export
from jiujinan.services.context import AppContext


def add_parsers(sub: argparse._SubParsersAction) -> None:
    e = sub.add_parser("export", help="导出CSV（案件、发放、台账）报送区里")
    e.add_argument("--out", required=True, help="文件夹")
    e.add_argument("--society", help="区划代码；不给则每个互助社一个文件夹")
    e.add_argument("--month")
    e.add_argument("--from", dest="date_from")
    e.add_argument("--to", dest="date_to")
    e.add_argument("--full-ids", action="store_true", help="身份证号不脱敏（仅在区里需要时）")
    e.add_argument("--encoding", choices=list(ENCODINGS), default="utf-8", help="utf-8（带BOM，Excel可读）或 gb18030")


def run_export(ctx: AppContext, args: argparse.Namespace) -> int:
    out = Path(args.out)
    span = period(args)
    if args.society:
        from jiujinan.services import societies

        match = [r for r in societies.list_societies(ctx) if r.settings.area_code == args.society]
        if not match:
            raise DomainError(f"找不到区划代码为 {args.society} 的互助社")
        manifest = export.export_society(ctx, match[0].id, out, period=span, full_ids=args.full_ids,
                                         encoding=args.encoding)
        counts = "，".join(f"{name} {info['rows']} 行" for name, info in manifest["files"].items())
        print(f"{out}：{counts}")
        return 0
    folders = export.export_all(ctx, out, period=span, full_ids=args.full_ids, encoding=args.encoding)
    for folder in folders:
        print(folder)
    print(f"共导出 {len(folders)} 个互助社", file=sys.stderr)
    return 0
