"""Command-line fund: ``fund show|add|pay|reverse|ledger|close|reopen`` and ``check``."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from jiujinan.cli import messages
from jiujinan.cases.enums import FundSource, LedgerKind, PaymentMethod

if TYPE_CHECKING:
    from jiujinan.services.context import AppContext

COMMANDS = ("check", "fund")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("check", help="检查全部数据：台账、发放、状态的一致，审计记录完整，每条记录与审计记录一致（有没有在程序之外被改动），表结构与附件文件；有问题时返回非零")
    f = sub.add_parser("fund", help="资金：show 概况，add 收入，pay 发放，reverse 冲正，ledger 台账，close/reopen 月结")
    f.add_argument("--society", help="区划代码（默认第一个互助社）")
    fs = f.add_subparsers(dest="fund_action", required=True)
    fs.add_parser("show")
    add = fs.add_parser("add")
    add.add_argument("--source", required=True, choices=[s.value for s in FundSource])
    add.add_argument("--amount", required=True, help="元")
    add.add_argument("--date", required=True)
    add.add_argument("--payer", required=True)
    add.add_argument("--voucher", default="")
    add.add_argument("--memo", default="")
    pay = fs.add_parser("pay")
    pay.add_argument("case_no")
    pay.add_argument("--amount", help="元（默认：全部待发金额）")
    pay.add_argument("--date", required=True)
    pay.add_argument("--method", choices=[m.value for m in PaymentMethod], help="默认按申请表")
    pay.add_argument("--voucher", default="", help="凭证号（记入台账，与界面发放时填的凭证号相同）")
    pay.add_argument("--receipt-signed", action="store_true", help="现金发放已有领款人签字收据")
    rev = fs.add_parser("reverse")
    rev.add_argument("entry", type=messages.whole_number(1, 2**62))
    rev.add_argument("--reason", required=True)
    rev.add_argument("--date", required=True)
    rev.add_argument("--voucher", default="", help="冲正凭证号（红字凭证；不填则沿用原记录的凭证号）")
    led = fs.add_parser("ledger")
    led.add_argument("--month", help="YYYY-MM")
    led.add_argument("--kind", choices=[k.value for k in LedgerKind])
    close = fs.add_parser("close")
    close.add_argument("month")
    reopen = fs.add_parser("reopen")
    reopen.add_argument("month")
    reopen.add_argument("--reason", required=True)


def run(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    if args.command == "check":
        return check(ctx)
    from jiujinan.services import societies

    return run_fund(ctx, args, user, societies.society_by_code(ctx, args.society, user).id)


def check(ctx: AppContext) -> int:
    from jiujinan.services.check import run_checks

    report = run_checks(ctx)
    for name, found in report.results:
        for violation in found:
            print(f"[{name}] {violation}")
    for note in report.notes:
        print(f"注意：{note}", file=sys.stderr)
    summary = (f"检查了 {report.societies} 个互助社、{report.cases} 件案件、{report.entries} 条台账记录：")
    if report.ok:
        print(summary + "全部一致")
        return 0
    print(summary + f"发现 {len(report.violations)} 处问题", file=sys.stderr)
    return 1


def run_fund(ctx: AppContext, args: argparse.Namespace, user: str, society_id: int) -> int:
    from jiujinan.cases.dates import format_date, parse_date
    from jiujinan.cases.fund import ContributionInput, PaymentInput
    from jiujinan.cases.money import format_fen, parse_yuan
    from jiujinan.services import fund, intake, review

    action = args.fund_action
    if action == "show":
        p = fund.position(ctx, society_id, user)
        print(f"余额\t{format_fen(p.balance_fen)}\n已批未发\t{format_fen(p.reserved_fen)}\n"
              f"可用\t{format_fen(p.available_fen)}\n已发放合计\t{format_fen(p.paid_out_fen)}")
        for source, total in sorted(p.by_source.items(), key=lambda kv: kv[0].value):
            print(f"{source.label}\t{format_fen(total)}")
        if p.under_floor:
            print(f"提示：可用资金低于预警线 {format_fen(p.floor_fen)}", file=sys.stderr)
        return 0
    if action == "add":
        entry = fund.add_contribution(ctx, society_id, ContributionInput(
            parse_date(args.date, field="date", today=ctx.clock.today()), FundSource(args.source),
            parse_yuan(args.amount, field="amount"), args.payer, args.voucher, args.memo), user)
        print(f"已入账，第 {entry} 号记录")
        return 0
    if action == "pay":
        case = intake.load_by_no(ctx, args.case_no, user)
        view = review.case_view(ctx, case.id, user)
        amount = parse_yuan(args.amount, field="amount") if args.amount else view.state.reserved_fen()
        method = PaymentMethod(args.method) if args.method else case.application.payment_method
        entry = fund.pay(ctx, case.id, PaymentInput(parse_date(args.date, field="date", today=ctx.clock.today()), method, amount,
                                                    args.voucher, args.receipt_signed), user,
                         version=view.version)
        print(f"已发放，第 {entry} 号记录；案件状态：{review.case_view(ctx, case.id, user).case.status.label}")
        return 0
    if action == "reverse":
        entry = fund.reverse(ctx, society_id, args.entry, args.reason,
                             parse_date(args.date, field="date", today=ctx.clock.today()), user, args.voucher)
        print(f"已冲正，第 {entry} 号记录")
        return 0
    if action == "ledger":
        view = fund.ledger(ctx, society_id, user, month=args.month, kind=LedgerKind(args.kind) if args.kind else None)
        print(f"期初余额\t{format_fen(view.opening_fen)}")
        for line, bal in zip(view.lines, view.balances):
            what = line.source.label if line.source else line.case_no
            print(f"{line.id}\t{format_date(line.posted_on)}\t{line.kind.label}\t{what}\t{line.party}\t"
                  f"{format_fen(line.amount_fen)}\t{format_fen(bal)}\t{line.voucher_no}\t{line.memo}")
        print(f"期末余额\t{format_fen(view.closing_fen)}")
        return 0
    if action == "close":
        fund.close_month(ctx, society_id, args.month, user)
        print(f"{args.month} 已月结")
        return 0
    fund.reopen_month(ctx, society_id, args.month, args.reason, user)
    print(f"{args.month} 已重新打开")
    return 0
