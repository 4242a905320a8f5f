"""The district's 对账表 (reconciliation of the societies' exports). The village papers have modules
of their own: roster, ledger_statement, monthly_report, letters, notice, approval_form."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from jiujinan.cases.dates import format_date_cn
from jiujinan.cases.money import format_fen
from jiujinan.printing.base import CONTENT_WIDTH, FONT, LANDSCAPE_WIDTH, TITLE, build, para, style

HEAD_BG = colors.HexColor("#f2f2f2")


def _table(header: list[str], rows: list[list[str]], widths_mm: list[float], *, money_cols: tuple[int, ...] = (),
           bold_rows: tuple[int, ...] = (), width: float = CONTENT_WIDTH) -> Table:
    cells = [[para(h, style(10, align=1)) for h in header]]
    for row in rows:
        cells.append([para(v, style(10, align=2 if i in money_cols else 0)) for i, v in enumerate(row)])
    widths = [w * mm for w in widths_mm]
    widths[-1] = width - sum(widths[:-1])
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 10),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *[("BACKGROUND", (0, r + 1), (-1, r + 1), colors.HexColor("#fafafa")) for r in bold_rows],
    ]))
    return table


def _signatures(*labels: str) -> Flowable:
    text = "　　　　".join(f"{label}：__________" for label in labels)
    return para(text, style(11, align=2))


# --- 对账表 -------------------------------------------------------------------------------
def write_reconciliation(district: str, societies: list, findings: list, out: str | Path | IO[bytes], *,
                         printed_on: dt.date) -> None:
    """The district's reconciliation: per society, then people aided in two societies."""
    rows = []
    for line in societies:
        rows.append([line.code, line.name, format_fen(line.granted_fen, grouped=True),
                     format_fen(line.reported_district_fen, grouped=True), format_fen(line.grant_gap_fen, grouped=True),
                     str(line.payments), format_fen(line.paid_fen, grouped=True),
                     format_fen(line.balance_fen, grouped=True), "、".join(line.missing_months) or "无"])
    story = [para(district, style(12, align=1)), para("救急难互助社资金对账表", TITLE()),
             para(f"制表日期：{format_date_cn(printed_on)}", style(10.5, align=1)), Spacer(1, 4 * mm),
             _table(["区划代码", "互助社", "区拨款", "上报区财政收入", "差额", "发放笔数", "发放金额", "余额", "缺报月份"],
                    rows, [30, 44, 28, 30, 30, 18, 30, 30, 0], money_cols=(2, 3, 4, 6, 7), width=LANDSCAPE_WIDTH),
             Spacer(1, 5 * mm), para("同一人同一年在两个以上互助社获救助：", style(11.5))]
    if findings:
        story.append(_table(["人员", "年度", "案件"], [[f.person, str(f.year), "；".join(f"{c} {n}" for c, n in f.cases)]
                                                  for f in findings], [70, 20, 0], width=LANDSCAPE_WIDTH))
    else:
        story.append(para("无", style(11)))
    flagged = [line for line in societies if line.audit_note]
    story += [Spacer(1, 5 * mm), para("审计记录异常的互助社：", style(11.5))]
    if flagged:
        story.append(_table(["区划代码", "互助社", "情况"], [[line.code, line.name, line.audit_note] for line in flagged],
                            [30, 44, 0], width=LANDSCAPE_WIDTH))
    else:
        story.append(para("无", style(11)))
    story += [Spacer(1, 10 * mm), _signatures("制表人", "审核人")]
    build(out, story, title="救急难互助社资金对账表", author=district, landscape=True)
