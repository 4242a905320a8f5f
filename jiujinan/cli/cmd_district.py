"""Command-line export (village side), import and reconcile (district side)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from jiujinan.cli.cmd_print import period
from jiujinan.exports.csv_format import ENCODINGS, printable

if TYPE_CHECKING:
    from jiujinan.services.context import AppContext

COMMANDS = ("export", "import", "reconcile", "grant")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    e = sub.add_parser("export", help="导出CSV（案件、发放、台账）报送区里")
    e.add_argument("--out", required=True, help="文件夹")
    e.add_argument("--society", help="区划代码；不给则每个互助社一个文件夹")
    e.add_argument("--month")
    e.add_argument("--from", dest="date_from")
    e.add_argument("--to", dest="date_to")
    e.add_argument("--full-ids", action="store_true", help="身份证号不脱敏（仅在区里需要时）")
    e.add_argument("--encoding", choices=list(ENCODINGS), default="utf-8", help="utf-8（带BOM，Excel可读）或 gb18030")
    add_district_parsers(sub)


def add_district_parsers(sub: argparse._SubParsersAction) -> None:
    i = sub.add_parser("import", help="区里导入各村的导出文件夹（逐个校验，有错整包不导入）")
    i.add_argument("folders", nargs="+")
    r = sub.add_parser("reconcile", help="区里对账：拨款与上报、发放、余额、缺月、跨社重复救助")
    r.add_argument("--out", help="对账结果CSV")
    r.add_argument("--pdf", help="对账表PDF")
    g = sub.add_parser("grant", help="区里登记给互助社的拨款（用于对账）")
    g.add_argument("--society", required=True)
    g.add_argument("--amount", required=True)
    g.add_argument("--date", required=True)
    g.add_argument("--memo", default="")


def run(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    return {"export": run_export, "import": run_import, "reconcile": run_reconcile,
            "grant": run_grant}[args.command](ctx, args, user)


def run_import(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    from jiujinan.exports.folder import export_folders_in
    from jiujinan.services import district

    folders = [inner for folder in args.folders for inner in export_folders_in(Path(folder))]
    results = district.import_folders(ctx, folders, user)
    for result in results:
        print(result.message, file=sys.stderr if result.outcome == "rejected" else sys.stdout)
    rejected = sum(r.outcome == "rejected" for r in results)
    print(f"共 {len(results)} 个：导入 {sum(r.outcome == 'imported' for r in results)}，"
          f"替换 {sum(r.outcome == 'replaced' for r in results)}，未变 {sum(r.outcome == 'unchanged' for r in results)}，"
          f"拒收 {rejected}", file=sys.stderr)
    return 1 if rejected else 0


def run_reconcile(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    from jiujinan.cases.money import format_fen
    from jiujinan.services import district

    report = district.reconcile(ctx, user)
    for line in report.societies:
        gap = f"　差额 {format_fen(line.grant_gap_fen)}" if line.grant_gap_fen else ""
        missing = f"　缺月 {'、'.join(line.missing_months)}" if line.missing_months else ""
        missing += f"　审计：{printable(line.audit_note)}" if line.audit_note else ""
        print(f"{printable(line.code)}\t{printable(line.name)}\t拨款 {format_fen(line.granted_fen)}\t上报区财政 "
              f"{format_fen(line.reported_district_fen)}{gap}\t发放 {line.payments} 笔 {format_fen(line.paid_fen)}\t"
              f"余额 {format_fen(line.balance_fen)}{missing}")
    for finding in report.findings:
        cases = printable("、".join(f"{code} {no}" for code, no in finding.cases))
        print(f"发现：{printable(finding.person)} {finding.year} 年在多个互助社获救助：{cases}")
    if args.out:
        district.write_report_csv(report, Path(args.out))
        print(args.out, file=sys.stderr)
    if args.pdf:
        district.write_report_pdf(ctx, report, Path(args.pdf))
        print(args.pdf, file=sys.stderr)
    return 0


def run_grant(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    from jiujinan.cases.money import parse_yuan
    from jiujinan.services import district

    grant_id = district.add_grant(ctx, args.society, args.date, parse_yuan(args.amount, field="amount"),
                                  args.memo, user)
    print(f"已登记拨款，第 {grant_id} 号")
    return 0


def run_export(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    from jiujinan.services import export, societies

    out = Path(args.out)
    span = period(args, ctx.clock.today())
    if args.society:
        society = societies.society_by_code(ctx, args.society, user)
        manifest = export.export_society(ctx, society.id, out, period=span, full_ids=args.full_ids,
                                         encoding=args.encoding, user=user)
        counts = "，".join(f"{name} {info['rows']} 行" for name, info in manifest["files"].items())
        print(f"{out}：{counts}")
        return 0
    folders = export.export_all(ctx, out, period=span, full_ids=args.full_ids, encoding=args.encoding,
                                user=user)
    for folder in folders:
        print(folder)
    print(f"共导出 {len(folders)} 个互助社", file=sys.stderr)
    return 0
