"""台账: the month's ledger statement. Every entry with the balance after it; a reversal in
the column of the kind it reverses, as a negative amount (a reversed payment is −支出, not
+收入), so 本月收入 is the sum by source and 本月支出 the month's 发放花名册."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from jiujinan.cases.enums import FundSource, LedgerKind
from jiujinan.cases.fund import LedgerLine, column_of, month_totals
from jiujinan.cases.money import format_fen, format_yuan_label, to_daxie
from jiujinan.cases.society import SocietySettings
from jiujinan.printing.base import LANDSCAPE_WIDTH, build, para, style
from jiujinan.printing.sheet import Grid, foot, heading, month_label

HEADER = ["日期", "编号", "摘要", "收入（元）", "支出（元）", "余额（元）", "凭证号"]
WIDTHS = [20, 14, 0, 28, 28, 30, 34]  # the 摘要 takes what the others leave; a voucher like 付-2026-11-0003 on one line
MOVED_BEFORE_TOTAL = 2  # entries kept on the page of the 本月合计


def _summary(line: LedgerLine) -> str:
    what = line.source.label if line.source and not line.case_no else line.case_no
    what += f" {line.party}" if line.party else ""
    memo = "" if line.case_no and line.memo.startswith(line.case_no) else line.memo
    note = memo + (f"（冲正第{line.reversal_of}号）" if line.reversal_of else "")
    return "　".join(part for part in (line.kind.label, what, note) if part)


def ledger_story(society: SocietySettings, month: str, opening: int, lines: list[LedgerLine],
                 balances: list[int], *, printed_on: dt.date) -> list[Flowable]:
    """The statement's flowables: 期初余额, the entries, 本月合计 and 收入 by source."""
    totals = month_totals(opening, lines)
    widths = list(WIDTHS)
    widths[2] = LANDSCAPE_WIDTH / mm - sum(widths)
    grid = Grid(HEADER, widths, money_cols=(3, 4, 5), center_cols=(0, 1))
    grid.add(["", "", "期初余额", "", "", format_fen(opening, grouped=True), ""], shaded=True)
    for line, balance in zip(lines, balances):
        income = column_of(line) is LedgerKind.CONTRIBUTION
        shown = format_fen(line.amount_fen if income else -line.amount_fen, grouped=True)
        grid.add([f"{line.posted_on.month}月{line.posted_on.day}日", str(line.id), _summary(line), shown if income else "",
                  "" if income else shown, format_fen(balance, grouped=True), line.voucher_no])
    grid.add(["", "", "本月合计", format_fen(totals.income_fen, grouped=True),
              format_fen(totals.paid_out_fen, grouped=True), format_fen(totals.closing_fen, grouped=True), ""],
             shaded=True)
    sources = [s for s in FundSource if totals.by_source.get(s)]
    for source in sources:
        grid.add(["", "", f"其中：{source.label}", format_fen(totals.by_source[source], grouped=True), "", "", ""])
    closing = totals.closing_fen
    in_words = to_daxie(closing) if closing >= 0 else "负" + to_daxie(-closing)
    story = heading("救急难互助资金台账", month_label(month), (f"填报单位：{society.name}", "金额单位：元"),
                    width=LANDSCAPE_WIDTH)
    story += [
        grid.table(LANDSCAPE_WIDTH, keep_last=MOVED_BEFORE_TOTAL + 1 + len(sources)),
        Spacer(1, 3 * mm),
        foot(society, [("记账人", ""), ("审核人", ""), ("负责人", society.head_name)], printed_on, LANDSCAPE_WIDTH,
             lead=[para(f"{month_label(month)}：期初余额 {format_yuan_label(opening)}，"
                        f"本月收入 {format_yuan_label(totals.income_fen)}，本月支出 {format_yuan_label(totals.paid_out_fen)}，"
                        f"期末余额 {format_yuan_label(closing)}（{in_words}）。", style(10.5)),
                   para("注：冲正记录列在所冲记录的栏内，记为负数。", style(10.5))]),
    ]
    return story


def write_ledger(society: SocietySettings, month: str, opening: int, lines: list[LedgerLine],
                 balances: list[int], out: str | Path | IO[bytes], *, printed_on: dt.date) -> None:
    """The month's ledger statement, landscape A4."""
    build(out, ledger_story(society, month, opening, lines, balances, printed_on=printed_on),
          title=f"{society.name} 台账 {month_label(month)}", author=society.name, landscape=True)
