"""发放花名册: one line per payment, each signed (and thumb-printed) by whoever took the money,
subtotals per household type, the total in figures and in 大写, stamped and signed.

Its total is the ledger's 支出 of the same days: a reversal in the period of an earlier
payment is a negative line (db/reports.roster says which payments are on it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from jiujinan.cases.dates import format_date_cn
from jiujinan.cases.enums import Cause, HouseholdType, PaymentMethod
from jiujinan.cases.money import format_fen, to_daxie
from jiujinan.cases.society import SocietySettings
from jiujinan.printing.base import LANDSCAPE_WIDTH, build, para, style
from jiujinan.printing.sheet import Grid, foot, heading

SIGN_ROW_MM = 12  # a signature beside a fingerprint


@dataclass(frozen=True)
class RosterLine:
    """One payment (or, negative, the reversal of an earlier one), as the reader may see it."""

    name: str
    id_number: str
    household_type: HouseholdType
    cause: Cause
    amount_fen: int
    method: PaymentMethod | None
    paid_on: dt.date
    case_no: str
    account_no: str = ""
    address: str = ""
    household_size: int | None = None
    reverses_paid_on: dt.date | None = None  # a reversal: when the payment it cancels was made


def count_label(lines: list[RosterLine]) -> str:
    """How many were paid (人次), and how many earlier payments came back (冲正 笔)."""
    paid = sum(1 for line in lines if line.amount_fen > 0)
    back = sum(1 for line in lines if line.amount_fen < 0)
    return f"{paid} 人次" + (f"，冲正 {back} 笔" if back else "")


# 序号 案件编号 姓名/身份证号 住址 人口 家庭类别 事由 金额 方式/账号 日期 签字: measured in the
# embedded font at 9 pt (an 18-digit ID 31.5 mm, a 19-digit account 33.2 mm, «防返贫监测户» 19.0 mm,
# «2026年11月19日» 23.5 mm) plus 2 × 2 pt padding, so no label wraps; the signature takes the rest.
HEADER = ["序号", "案件编号", "姓名／身份证号", "住址（村民组）", "人口", "家庭类别", "事由", "金额（元）",
          "发放方式／账号", "发放日期", "领款人签字（捺印）"]
WIDTHS = [9, 25, 34, 27, 9, 21.5, 12, 22, 36, 26, 0]
AMOUNT = 7


def _case_no(case_no: str, prefix: str) -> str:
    """The case number after the society's area code, which the column's head carries once
    (a number is never cut in two: 341802100201- | 2026-00001 would be copied wrong)."""
    return case_no[len(prefix):] if prefix and case_no.startswith(prefix) else case_no


def _common_prefix(lines: list[RosterLine]) -> str:
    prefixes = {line.case_no.partition("-")[0] + "-" for line in lines if "-" in line.case_no}
    return prefixes.pop() if len(prefixes) == 1 and all("-" in line.case_no for line in lines) else ""


def _line_cells(n: int, line: RosterLine, prefix: str) -> list[str]:
    how = line.method.label if line.method else ""
    if line.reverses_paid_on is not None:
        how = f"冲正\n原{format_date_cn(line.reverses_paid_on)}发放"
    elif line.account_no and line.method is not PaymentMethod.CASH:
        how += f"\n{line.account_no}"
    return [str(n), _case_no(line.case_no, prefix), f"{line.name}\n{line.id_number}", line.address,
            "" if line.household_size is None else str(line.household_size), line.household_type.label,
            line.cause.label, format_fen(line.amount_fen, grouped=True), how, format_date_cn(line.paid_on), ""]


def roster_story(society: SocietySettings, lines: list[RosterLine], period: str, *,
                 printed_on: dt.date) -> list[Flowable]:
    """The roster's flowables: lines grouped by household type, each group's 小计, the 合计."""
    prefix = _common_prefix(lines)
    grid = Grid(HEADER, WIDTHS, money_cols=(AMOUNT,), center_cols=(0, 4), size=9)
    n = 0
    for htype in HouseholdType:
        group = [line for line in lines if line.household_type is htype]
        if not group:
            continue
        for line in group:
            n += 1
            grid.add(_line_cells(n, line, prefix), min_height_mm=SIGN_ROW_MM)
        # The subtotal's label spans four columns: «防返贫监测户小计» never wraps.
        grid.add(["", f"{htype.label}小计　{count_label(group)}", "", "", "", "", "",
                  format_fen(sum(x.amount_fen for x in group), grouped=True), "", "", ""], shaded=True, span=(1, 4),
                 with_previous=True)
    total = sum(x.amount_fen for x in lines)
    grid.add(["", f"合计　{count_label(lines)}", "", "", "", "", "", format_fen(total, grouped=True), "", "", ""],
             shaded=True, span=(1, 4))
    pairs = [(f"填报单位：{society.name}", "金额单位：元")]
    if prefix:  # said once here, so no case number is cut in two in its narrow column
        pairs.append((f"案件编号前缀：{prefix}（表中略去）", ""))
    story = heading("救急难救助金发放花名册", f"发放期间：{period}", *pairs, width=LANDSCAPE_WIDTH)
    story += [
        grid.table(LANDSCAPE_WIDTH, keep_last=3),
        Spacer(1, 3 * mm),
        foot(society, [("制表人", ""), ("审核人", ""), ("负责人", society.head_name)], printed_on, LANDSCAPE_WIDTH,
             lead=[para(f"{period}合计：{count_label(lines)}，金额 {format_fen(total, grouped=True)} 元（大写："
                        f"{to_daxie(total) if total >= 0 else '负' + to_daxie(-total)}）", style(11))]),
    ]
    return story


def write_roster(society: SocietySettings, lines: list[RosterLine], period: str, out: str | Path | IO[bytes],
                 *, masked: bool, printed_on: dt.date) -> None:
    """The disbursement roster, landscape A4 (``masked``: the lines come masked; the title says
    nothing different, the posted copy is the same paper)."""
    build(out, roster_story(society, lines, period, printed_on=printed_on),
          title=f"{society.name} 发放花名册 {period}", author=society.name, landscape=True)
