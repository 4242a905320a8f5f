"""The tabular papers: 发放花名册, 台账, 月报 (the letters to applicants are in letters.py).
Each is a title block, a ruled table and signature lines."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from jiujinan.cases.dates import format_date, format_date_cn
from jiujinan.cases.enums import Cause, FundSource, HouseholdType, LedgerKind, PaymentMethod
from jiujinan.cases.fund import LedgerLine
from jiujinan.cases.masking import mask_id, mask_name
from jiujinan.cases.money import format_fen, format_yuan_label, to_daxie
from jiujinan.cases.society import SocietySettings
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


def _head(society: SocietySettings, title: str, subtitle: str) -> list[Flowable]:
    return [para(society.name, style(12, align=1)), para(title, TITLE()), para(subtitle, style(10.5, align=1)),
            Spacer(1, 4 * mm)]


def _signatures(*labels: str) -> Flowable:
    text = "　　　　".join(f"{label}：__________" for label in labels)
    return para(text, style(11, align=2))


# --- 发放花名册 ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RosterLine:
    name: str
    id_number: str
    household_type: HouseholdType
    cause: Cause
    amount_fen: int
    method: PaymentMethod | None
    paid_on: dt.date
    case_no: str


def write_roster(society: SocietySettings, lines: list[RosterLine], period: str, out: str | Path | IO[bytes],
                 *, masked: bool, printed_on: dt.date) -> None:
    """The disbursement roster: one line per payment, subtotals per household type, total."""
    by_type: dict[HouseholdType, list[RosterLine]] = defaultdict(list)
    for line in lines:
        by_type[line.household_type].append(line)
    rows: list[list[str]] = []
    bold: list[int] = []
    n = 0
    for htype in HouseholdType:
        group = by_type.get(htype)
        if not group:
            continue
        for line in group:
            n += 1
            rows.append([str(n), mask_name(line.name) if masked else line.name,
                         mask_id(line.id_number) if masked else line.id_number, htype.label, line.cause.label,
                         format_fen(line.amount_fen, grouped=True), line.method.label if line.method else "",
                         format_date(line.paid_on), ""])
        bold.append(len(rows))
        rows.append(["", f"{htype.label}小计", f"{len(group)} 人次", "", "",
                     format_fen(sum(x.amount_fen for x in group), grouped=True), "", "", ""])
    total = sum(x.amount_fen for x in lines)
    bold.append(len(rows))
    rows.append(["", "合计", f"{len(lines)} 人次", "", "", format_fen(total, grouped=True), "", "", ""])
    story = _head(society, "救急难救助金发放花名册", f"发放期间：{period}")
    story += [
        _table(["序号", "姓名", "身份证号", "家庭类别", "事由", "金额（元）", "发放方式", "发放日期", "领款人签字"],
               rows, [12, 22, 46, 26, 18, 28, 22, 26, 0], money_cols=(5,), bold_rows=tuple(bold),
               width=LANDSCAPE_WIDTH),
        Spacer(1, 3 * mm),
        para(f"合计金额（大写）：{to_daxie(total)}", style(11)),
        Spacer(1, 10 * mm),
        _signatures("制表人", "负责人", "审核人"),
        para(format_date_cn(printed_on), style(11, align=2)),
    ]
    build(out, story, title=f"{society.name} 发放花名册 {period}", author=society.name, landscape=True)


# --- 台账 ---------------------------------------------------------------------------------
def write_ledger(society: SocietySettings, month: str, opening: int, lines: list[LedgerLine],
                 balances: list[int], out: str | Path | IO[bytes], *, printed_on: dt.date) -> None:
    """The month's ledger statement: opening balance, every entry, closing, totals by source."""
    rows = [["", "", "期初余额", "", "", format_fen(opening, grouped=True), ""]]
    for line, balance in zip(lines, balances):
        what = (line.source.label if line.source and not line.case_no else line.case_no) + (
            f" {line.party}" if line.party else "")
        memo = "" if line.case_no and line.memo.startswith(line.case_no) else line.memo
        note = memo + (f"（冲正第{line.reversal_of}号）" if line.reversal_of else "")
        rows.append([format_date(line.posted_on), str(line.id), f"{line.kind.label}　{what}　{note}",
                     format_fen(line.amount_fen, grouped=True) if line.amount_fen > 0 else "",
                     format_fen(-line.amount_fen, grouped=True) if line.amount_fen < 0 else "",
                     format_fen(balance, grouped=True), line.voucher_no])
    closing = balances[-1] if balances else opening
    income = sum(x.amount_fen for x in lines if x.amount_fen > 0)
    outgo = -sum(x.amount_fen for x in lines if x.amount_fen < 0)
    rows.append(["", "", "本月合计", format_fen(income, grouped=True), format_fen(outgo, grouped=True),
                 format_fen(closing, grouped=True), ""])
    by_source: dict[FundSource, int] = defaultdict(int)
    for line in lines:
        if line.source:
            by_source[line.source] += line.amount_fen
    sources = "；".join(f"{s.label} {format_yuan_label(by_source[s])}" for s in FundSource if by_source.get(s)) or "无"
    story = _head(society, "救急难互助资金台账", f"{month}")
    story += [
        _table(["日期", "编号", "摘要", "收入（元）", "支出（元）", "余额（元）", "凭证号"], rows,
               [24, 14, 104, 28, 28, 30, 0], money_cols=(3, 4, 5), bold_rows=(0, len(rows) - 1),
               width=LANDSCAPE_WIDTH),
        Spacer(1, 3 * mm),
        para(f"本月收入按来源：{sources}", style(10.5)),
        para(f"期初余额 {format_yuan_label(opening)}，本月收入 {format_yuan_label(income)}，"
             f"本月支出 {format_yuan_label(outgo)}，期末余额 {format_yuan_label(closing)}（{to_daxie(max(closing, 0))}）。",
             style(10.5)),
        Spacer(1, 10 * mm),
        _signatures("记账人", "负责人"),
        para(format_date_cn(printed_on), style(11, align=2)),
    ]
    build(out, story, title=f"{society.name} 台账 {month}", author=society.name, landscape=True)


# --- 月报 ---------------------------------------------------------------------------------
def write_monthly(society: SocietySettings, month: str, figures: dict[str, object], closing_fen: int,
                  out: str | Path | IO[bytes], *, printed_on: dt.date, key_fingerprint: str = "") -> None:
    """The monthly report for the town: cases, amounts by cause, fund movements, balance, and the
    fingerprint of the key its exports are signed with (the district compares it on paper)."""
    received_n, received_fen = figures["received"]  # type: ignore[misc]
    approved = figures["approved"]
    approved_n = sum(n for _c, n, _f in approved)  # type: ignore[union-attr]
    approved_fen = sum(f for _c, _n, f in approved)  # type: ignore[union-attr]
    case_rows = [
        ["本月受理", f"{received_n} 件", format_fen(received_fen, grouped=True), "申请金额"],
        ["本月审批同意", f"{approved_n} 件", format_fen(approved_fen, grouped=True), "审批金额"],
        ["本月不予救助", f"{figures['rejected']} 件", "", ""],
        ["本月发放", f"{figures['paid_cases']} 户", "", "见发放花名册"],
        ["月末在办", f"{figures['pending_now']} 件", "", "尚未审批完毕"],
    ]
    cause_rows = []
    for cause in Cause:
        n, fen = next(((n, f) for c, n, f in approved if c == cause.value), (0, 0))  # type: ignore[union-attr]
        cause_rows.append([cause.label, f"{n} 件", format_fen(fen, grouped=True), ""])
    money_rows = []
    for kind, source, n, fen in figures["movements"]:  # type: ignore[union-attr]
        label = LedgerKind(kind).label + ("　" + FundSource(source).label if source else "")
        money_rows.append([label, f"{n} 笔", format_fen(abs(fen), grouped=True), "收入" if fen > 0 else "支出"])
    money_rows.append(["月末余额", "", format_fen(closing_fen, grouped=True), to_daxie(max(closing_fen, 0))])
    story = _head(society, "救急难工作月报", f"{month}　报{society.town}")
    for title, rows in (("一、案件情况", case_rows), ("二、按救助事由（本月审批同意）", cause_rows),
                        ("三、资金收支", money_rows)):
        story += [para(title, style(11.5)), Spacer(1, 1 * mm),
                  _table(["项目", "数量", "金额（元）", "说明"], rows, [50, 30, 40, 50], money_cols=(2,)),
                  Spacer(1, 4 * mm)]
    if key_fingerprint:
        story.append(para(f"本社报送数据的签名密钥指纹：{key_fingerprint}（区里首次收到报送时请与此核对）", style(10.5)))
    story += [Spacer(1, 8 * mm), _signatures("填报人", "负责人"), para(format_date_cn(printed_on), style(11, align=2))]
    build(out, story, title=f"{society.name} 月报 {month}", author=society.name)


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
