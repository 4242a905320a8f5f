"""公示: the cases the society proposes to aid, names masked by the one rule (DOMAIN: 张*三).
Never the phone, account or diagnosis; the masked ID number (340102********1234) only where
the society prints it (SocietySettings.notice_shows_id, off by default: DOMAIN says the notice
never shows the ID, but some towns' templates carry the masked one).

One notice per notice period: the cases put on notice together, under their own «现予公示»,
dated on the period's first day (the day it is posted, whenever it is printed again)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import IO

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from jiujinan.cases.dates import format_date_cn
from jiujinan.cases.enums import Cause, Level
from jiujinan.cases.masking import mask_id, mask_name
from jiujinan.cases.money import format_fen, to_daxie
from jiujinan.cases.society import SocietySettings
from jiujinan.printing.base import CONTENT_WIDTH, FONT, PAGE_HEIGHT, TITLE, DocumentStart, build, para, style


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


@dataclass(frozen=True)
class Notice:
    """One notice period and the cases on it."""

    start: dt.date
    end: dt.date
    lines: tuple[NoticeLine, ...]


def by_period(lines: list[NoticeLine]) -> list[Notice]:
    """The lines grouped into one notice per notice period (first day, last day), earliest first."""
    key = lambda line: (line.start, line.end)  # noqa: E731
    return [Notice(start, end, tuple(group)) for (start, end), group in groupby(sorted(lines, key=key), key=key)]


def _table(society: SocietySettings, notice: Notice) -> Table:
    centre, right = style(10.5, align=1), style(10.5, align=2)
    with_id = society.notice_shows_id
    head = ["序号", "姓名", *(["身份证号"] if with_id else []), "救助事由", "拟救助金额（元）"]
    rows: list[list[Flowable]] = [[para(t, centre) for t in head]]
    for n, line in enumerate(notice.lines, start=1):
        rows.append([para(str(n), centre), para(mask_name(line.name), centre),
                     *([para(mask_id(line.id_number), centre)] if with_id else []),
                     para(line.cause.label, centre), para(format_fen(line.amount_fen, grouped=True), right)])
    total = sum(line.amount_fen for line in notice.lines)
    rows.append([para("合计", centre), para(f"{len(notice.lines)} 户", centre), *([para("")] if with_id else []),
                 para(""), para(format_fen(total, grouped=True), right)])
    widths = [14 * mm, 34 * mm, 52 * mm, 30 * mm] if with_id else [16 * mm, 50 * mm, 50 * mm]
    widths.append(CONTENT_WIDTH - sum(widths))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 10.5),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _objections(society: SocietySettings, st: ParagraphStyle) -> Flowable:
    """Where objections go: the office and person, then the phone. The number never breaks
    (base's 禁则 keeps a digit run whole), and «联系电话：» stays with it: when the two would
    fall on different lines, the line breaks before «联系电话»."""
    to = society.objection_contact or f"{society.name}或{society.office_name(Level.TOWN)}"
    head = f"　　公示期内如有异议，请以书面或口头方式向{to}反映，"
    tail = f"联系电话：{society.objection_phone or '__________'}。"
    whole = para(head + tail, st)
    whole.wrap(CONTENT_WIDTH, PAGE_HEIGHT)
    last = "".join(w.text for w in whole.blPara.lines[-1].words)
    return whole if tail in last else para(f"{head}\n{tail}", st)


def notice_story(society: SocietySettings, notice: Notice) -> list[Flowable]:
    """One notice: heading, the period's cases, where it is posted, whom to tell, stamp and date."""
    total = sum(line.amount_fen for line in notice.lines)
    places = "、".join(sorted({line.place for line in notice.lines if line.place})) or "村务公开栏"
    body = style(11.5, leading=19)
    return [
        para(society.name, style(12, align=1)),
        para("救急难救助公示", TITLE()),
        Spacer(1, 4 * mm),
        para(f"　　经本人申请、入户调查、民主评议，本社拟对以下 {len(notice.lines)} 户困难群众给予救急难救助，"
             f"合计 {format_fen(total, grouped=True)} 元（{to_daxie(total)}），现予公示。", body),
        Spacer(1, 3 * mm),
        _table(society, notice),
        Spacer(1, 5 * mm),
        para(f"　　公示期：{format_date_cn(notice.start)}至{format_date_cn(notice.end)}。公示地点：{places}。", body),
        _objections(society, body),
        KeepTogether([Spacer(1, 12 * mm), para(f"{society.name}（盖章）", style(11.5, align=2)),
                      para(format_date_cn(notice.start), style(11.5, align=2))]),
    ]


def write_notice(society: SocietySettings, lines: list[NoticeLine], out: str | Path | IO[bytes]) -> int:
    """Write one notice per notice period into one PDF, each with its own 第 N 页 共 M 页; the
    masking happens here, on the way to paper. Returns how many notices."""
    notices = by_period(lines)
    story: list[Flowable] = []
    for n, notice in enumerate(notices):
        if n:
            story.append(PageBreak())
        story.append(DocumentStart())
        story += notice_story(society, notice)
    build(out, story, title=f"{society.name} 救助公示", author=society.name)
    return len(notices)
