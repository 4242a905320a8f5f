"""月报: the society's monthly report to the town, in the pattern of official statistical
sheets (title and period, reporting unit and area code, numbered rows, 单位负责人 / 填表人 /
报出日期 at the foot). Its money rows reconcile on the sheet itself: 期末余额 = 期初余额 +
本月收入 − 本月发放, and 本月发放 (net of reversals) is the month's 发放花名册."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from jiujinan.cases.dates import format_date_cn
from jiujinan.cases.enums import Cause, FundSource, LedgerKind, Level
from jiujinan.cases.fund import LedgerLine, column_of, month_totals
from jiujinan.cases.money import format_fen, to_daxie
from jiujinan.cases.society import SocietySettings
from jiujinan.printing.base import CONTENT_WIDTH, build, para, style
from jiujinan.printing.sheet import Grid, heading, month_label, spread

HEADER = ["序号", "项目", "单位", "数量", "金额（元）", "说明"]
WIDTHS = [10, 48, 12, 16, 30, 0]  # «其中：慈善协会配套» and «＝期初余额＋本月收入－本月发放» on one line


def _count(lines: list[LedgerLine], kind: LedgerKind, source: FundSource | None = None) -> int:
    """笔 / 人次: entries of ``kind`` not reversed within the same lines (as the roster lists
    them); a reversal of an earlier month's entry is counted on the 冲正 row, not here."""
    here = {line.id for line in lines}
    return sum(1 for line in lines if line.kind is kind and line.reversed_by not in here
               and (source is None or line.source is source))


def _money(fen: int) -> str:
    return format_fen(fen, grouped=True)


def monthly_story(society: SocietySettings, month: str, figures: dict[str, object], opening_fen: int,
                  lines: list[LedgerLine], *, printed_on: dt.date, key_fingerprint: str = "",
                  filled_by: str = "") -> list[Flowable]:
    """The report's flowables: money rows 1–4, case rows 5–10, the stamped foot."""
    totals = month_totals(opening_fen, lines)
    grid = Grid(HEADER, WIDTHS, money_cols=(3, 4), center_cols=(0, 2), size=10)

    def section(title: str) -> None:
        grid.add([title, "", "", "", "", ""], shaded=True, span=(0, -1), title=True)

    section("一、资金收支")
    grid.add(["1", "期初余额", "元", "", _money(opening_fen), "上月期末余额"])
    grid.add(["2", "本月收入", "笔", str(_count(lines, LedgerKind.CONTRIBUTION)), _money(totals.income_fen),
              "按来源分列如下"])
    for source in FundSource:
        grid.add(["", f"其中：{source.label}", "笔", str(_count(lines, LedgerKind.CONTRIBUTION, source)),
                  _money(totals.by_source.get(source, 0)), ""])
    reversed_out = [x for x in lines if x.kind is LedgerKind.REVERSAL and column_of(x) is LedgerKind.PAYMENT]
    grid.add(["3", "本月发放", "人次", str(_count(lines, LedgerKind.PAYMENT)), _money(totals.paid_out_fen),
              "与本月发放花名册合计一致"])
    grid.add(["", "其中：发放冲正", "笔", str(len(reversed_out)), _money(-sum(x.amount_fen for x in reversed_out)),
              "已从本月发放中扣除"])
    grid.add(["4", "期末余额", "元", "", _money(totals.closing_fen), "＝期初余额＋本月收入－本月发放"])

    received_n, received_fen = figures["received"]  # type: ignore[misc]
    approved = figures["approved"]
    returned_n, returned_fen = figures["returned"]  # type: ignore[misc]
    emergency_n, emergency_fen = figures["emergency"]  # type: ignore[misc]
    section("二、案件办理")
    grid.add(["5", "本月受理", "件", str(received_n), _money(received_fen), "申请金额"])
    grid.add(["6", "本月审批同意", "件", str(sum(n for _c, n, _f in approved)),  # type: ignore[union-attr]
              _money(sum(f for _c, _n, f in approved)), "审批金额"])  # type: ignore[union-attr]
    for cause in Cause:
        n, fen = next(((n, f) for c, n, f in approved if c == cause.value), (0, 0))  # type: ignore[union-attr]
        grid.add(["", f"其中：{cause.label}", "件", str(n), _money(fen), ""])
    grid.add(["7", "本月不予救助", "件", str(figures["rejected"]), "", "书面告知理由"])
    grid.add(["8", "本月退回补充材料", "件", str(returned_n), _money(returned_fen), "申请金额，已一次性告知"])
    grid.add(["9", "本月先行救助", "件", str(emergency_n), _money(emergency_fen), "先行救助金额"])
    grid.add(["10", "月末在办", "件", str(figures["pending_at_end"]), "", "尚未审批完毕"])

    closing = totals.closing_fen
    story = heading("救急难工作月报", month_label(month), (f"填报单位：{society.name}（盖章）", f"区划代码：{society.area_code}"),
                    (f"报送：{society.office_name(Level.TOWN)}", "金额单位：元"), width=CONTENT_WIDTH)
    story += [grid.table(CONTENT_WIDTH), Spacer(1, 2 * mm),
              para(f"期末余额（大写）：{to_daxie(closing) if closing >= 0 else '负' + to_daxie(-closing)}", style(10.5))]
    if key_fingerprint:
        story.append(para(f"本社报送数据的签名密钥指纹：{key_fingerprint}（区里首次收到报送时请与此核对）", style(10)))
    blank = "__________"
    story.append(KeepTogether([
        Spacer(1, 8 * mm),
        spread([[f"单位负责人：{society.head_name or blank}", f"填表人：{filled_by or blank}",
                 f"报出日期：{format_date_cn(printed_on)}"]], CONTENT_WIDTH),
    ]))
    return story


def write_monthly(society: SocietySettings, month: str, figures: dict[str, object], opening_fen: int,
                  lines: list[LedgerLine], out: str | Path | IO[bytes], *, printed_on: dt.date,
                  key_fingerprint: str = "", filled_by: str = "") -> None:
    """The monthly report for the town, portrait A4, with the fingerprint of the key its
    exports are signed with (the district compares it on paper); ``filled_by`` who prints it."""
    build(out, monthly_story(society, month, figures, opening_fen, lines, printed_on=printed_on,
                             key_fingerprint=key_fingerprint, filled_by=filled_by),
          title=f"{society.name} 月报 {month_label(month)}", author=society.name)
