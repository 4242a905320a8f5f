"""Command-line printing: ``jiujinan print form CASE_NO --out FILE.pdf`` and the other papers."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from jiujinan.cases.errors import DomainError

if TYPE_CHECKING:
    from jiujinan.services.context import AppContext

COMMANDS = ("print",)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("print", help="打印：form 审批表，forms 批量审批表，notice 公示，roster 花名册，"
                                     "ledger 台账，monthly 月报，letter 告知书")
    ps = p.add_subparsers(dest="paper", required=True)
    form = ps.add_parser("form", help="救助申请审批表")
    form.add_argument("case_no")
    form.add_argument("--out", required=True)
    notice = ps.add_parser("notice", help="公示（姓名、身份证号脱敏）")
    notice.add_argument("--out", required=True)
    notice.add_argument("--society", help="区划代码（默认第一个互助社）")
    notice.add_argument("--month", help="YYYY-MM：该月开始公示的案件（默认：今天处于公示期的案件）")
    notice.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
    notice.add_argument("--to", dest="date_to", help="YYYY-MM-DD（含）")
    for name, helptext in (("roster", "发放花名册"), ("forms", "该期间申请的全部审批表（一个文件）")):
        paper = ps.add_parser(name, help=helptext)
        paper.add_argument("--out", required=True)
        paper.add_argument("--society")
        paper.add_argument("--month")
        paper.add_argument("--from", dest="date_from")
        paper.add_argument("--to", dest="date_to")
        if name == "roster":
            paper.add_argument("--mask", action="store_true", help="姓名、身份证号脱敏（张贴或外送时）")
    for name, helptext in (("ledger", "台账（月）"), ("monthly", "月报")):
        paper = ps.add_parser(name, help=helptext)
        paper.add_argument("--out", required=True)
        paper.add_argument("--society")
        paper.add_argument("--month", required=True)
    letter = ps.add_parser("letter", help="不予救助告知书或补充材料一次性告知书")
    letter.add_argument("case_no")
    letter.add_argument("--out", required=True)


def period(args: argparse.Namespace, today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """--month YYYY-MM, or --from/--to (inclusive), as [start, end)."""
    from jiujinan.cases.dates import parse_date, parse_month

    if getattr(args, "month", None):
        start = parse_month(args.month, field="month", label="--month", today=today)  # years 1900–2100
        return start, dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    if getattr(args, "date_from", None) or getattr(args, "date_to", None):
        if not (args.date_from and args.date_to):
            raise DomainError("--from 和 --to 须同时给出")
        start = parse_date(args.date_from, field="from", today=today)
        last = parse_date(args.date_to, field="to", today=today)
        if last < start:
            raise DomainError("--to 不能早于 --from")
        return start, last + dt.timedelta(days=1)
    return None


def run(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    from jiujinan.services import printing, societies

    def society_id(args: argparse.Namespace) -> int:
        return societies.society_by_code(ctx, getattr(args, "society", None), user).id

    out = Path(args.out)
    if out.parent and not out.parent.exists():
        raise DomainError(f"文件夹不存在：{out.parent}")
    # Each paper is written whole or not at all and never through a link (files.replacing).
    today = ctx.clock.today()
    span = period(args, today) if args.paper in ("notice", *printing.NEEDS_PERIOD) else None
    if args.paper in printing.NEEDS_PERIOD and span is None:
        raise DomainError("请用 --month 或 --from/--to 指定期间")
    paper = printing.Paper(args.paper, case_no=getattr(args, "case_no", ""),
                           society_id=0 if args.paper in ("form", "letter") else society_id(args),
                           period=span, month=getattr(args, "month", None) or "", masked=getattr(args, "mask", False))
    try:
        printing.print_paper(ctx, paper, out, user)
    except OSError as err:
        raise DomainError(f"无法写入 {out}：{err.strerror or err}") from err
    print(out)
    return 0
