"""公示: the cases the society proposes to aid, with names and ID numbers masked by the one
rule (DOMAIN: 张*三, 340102********1234). Never the full ID, phone, account or diagnosis."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from jiujinan.cases.dates import format_date_cn
from jiujinan.cases.enums import Cause
from jiujinan.cases.masking import mask_id, mask_name
from jiujinan.cases.money import format_fen, to_daxie
from jiujinan.cases.society import SocietySettings
from jiujinan.printing.base import CONTENT_WIDTH, FONT, TITLE, build, para, style


@dataclass(frozen=True)
class NoticeLine:
    """One case on the notice: only what may be published."""

    name: str
    id_number: str
    cause: Cause
    amount_fen: int
    start: dt.date
    end: dt.date
    place: str


def write_notice(society: SocietySettings, lines: list[NoticeLine], out: str | Path | IO[bytes],
                 printed_on: dt.date) -> None:
    """Write the public notice; the masking happens here, on the way to paper."""
    head = [para(t, style(10.5, align=1)) for t in ("序号", "姓名", "身份证号", "救助事由", "拟救助金额（元）", "公示期")]
    rows = [head]
    for n, line in enumerate(lines, start=1):
        rows.append([para(str(n), style(10.5, align=1)), para(mask_name(line.name)), para(mask_id(line.id_number)),
                     para(line.cause.label), para(format_fen(line.amount_fen, grouped=True), style(10.5, align=2)),
                     para(f"{line.start:%m.%d}—{line.end:%m.%d}", style(10, align=1))])
    widths = [12 * mm, 24 * mm, 48 * mm, 22 * mm, 32 * mm]
    widths.append(CONTENT_WIDTH - sum(widths))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 10.5),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    total = sum(line.amount_fen for line in lines)
    starts = min((line.start for line in lines), default=printed_on)
    ends = max((line.end for line in lines), default=printed_on)
    places = "、".join(sorted({line.place for line in lines if line.place})) or "村务公开栏"
    story = [
        para(f"{society.name}", style(12, align=1)),
        para("救急难救助公示", TITLE()),
        Spacer(1, 4 * mm),
        para(f"　　经本人申请、入户调查、民主评议，本社拟对以下 {len(lines)} 户困难群众给予救急难救助，"
             f"合计 {format_fen(total, grouped=True)} 元（{to_daxie(total)}），现予公示。", style(11.5)),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 5 * mm),
        para(f"　　公示期：{format_date_cn(starts)}至{format_date_cn(ends)}。公示地点：{places}。", style(11.5)),
        para("　　公示期内如有异议，请以书面或电话方式向本社或乡镇（街道）反映。"
             f"监督电话：{society.objection_phone or '__________'}。", style(11.5)),
        Spacer(1, 12 * mm),
        para(f"{society.name}（盖章）", style(11.5, align=2)),
        para(format_date_cn(printed_on), style(11.5, align=2)),
    ]
    build(out, story, title=f"{society.name} 救助公示", author=society.name)
