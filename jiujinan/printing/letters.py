"""The letters to an applicant: 不予救助告知书 (a refusal, with its reasons and how to object) and
补充材料一次性告知书 (everything missing, listed at once, and by when to bring it). Each is dated
on the decision it tells of, not on the day it is printed, and names who handled the case and
the phone to call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from jiujinan.cases.dates import format_date_cn
from jiujinan.cases.society import SocietySettings
from jiujinan.printing.base import CONTENT_WIDTH, TITLE, build, para, style


@dataclass(frozen=True)
class Letter:
    """What one letter says; the service fills it from the case's REJECT or RETURN step."""

    title: str
    to_name: str
    case_no: str
    body: tuple[str, ...]
    dated: dt.date  # the decision's date (the step's), which the letter is issued under
    handler: str  # 经办人: who recorded the step, else who signed it
    items: tuple[str, ...] = ()
    closing: tuple[str, ...] = field(default=())


def _text(line: str) -> Flowable:
    return para("　　" + line, style(12, leading=22))


def _pair(left: str, right: str) -> Table:
    """Two items on one line in two columns (a paragraph would collapse the space between)."""
    table = Table([[para(left, style(11)), para(right, style(11))]], colWidths=[CONTENT_WIDTH / 2] * 2)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def write_letter(society: SocietySettings, letter: Letter, out: str | Path | IO[bytes]) -> None:
    """Write ``letter`` as one A4 paper: heading, greeting, body, the numbered items, the closing
    lines, the society's stamp and the decision's date, then 经办人 / 联系电话 and the receipt."""
    story: list[Flowable] = [
        para(society.name, style(12, align=1)), para(letter.title, TITLE()),
        para(f"编号：{letter.case_no}", style(10.5, align=1)), Spacer(1, 6 * mm),
        para(f"{letter.to_name}：", style(12)),
    ]
    story += [_text(line) for line in letter.body]
    story += [_text(f"{i}. {item}") for i, item in enumerate(letter.items, start=1)]
    story += [_text(line) for line in letter.closing]
    foot = [
        Spacer(1, 14 * mm),
        para(f"{society.name}（盖章）", style(12, align=2)),
        para(format_date_cn(letter.dated), style(12, align=2)),
        Spacer(1, 8 * mm),
        _pair(f"经办人：{letter.handler or '__________'}", f"联系电话：{society.contact_phone or '__________'}"),
        Spacer(1, 8 * mm),
        _pair("申请人（代理人）签收：__________", "签收日期：______年____月____日"),
    ]
    story.append(KeepTogether(foot))  # the stamp, date and receipt never stand alone on a page
    build(out, story, title=f"{letter.title} {letter.case_no}", author=society.name)
