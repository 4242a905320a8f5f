"""What the money papers (花名册, 台账, 月报) share: the heading with the period, ruled tables
whose labels never wrap, and the stamped, signed foot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from jiujinan.cases.dates import format_date_cn
from jiujinan.cases.society import SocietySettings
from jiujinan.printing.base import FONT, TITLE, para, style

HEAD_BG = colors.HexColor("#f2f2f2")
SUM_BG = colors.HexColor("#fafafa")
PAD = 2  # points each side of a cell: the widths below are measured with it
SIZE = 9.5  # table text


def month_label(month: str) -> str:
    """"2026-11" → "2026年11月" (how a paper names its month)."""
    year, mon = month.split("-")
    return f"{int(year)}年{int(mon)}月"


def heading(title: str, *lines: str) -> list[Flowable]:
    """The title, then centred lines (period, reporting unit)."""
    out: list[Flowable] = [para(title, TITLE())]
    out += [para(line, style(10.5, align=1)) for line in lines]
    return out + [Spacer(1, 3 * mm)]


@dataclass
class Grid:
    """A ruled table built row by row: cells are text, right-aligned in money columns;
    ``span`` rows merge cells; ``tall`` rows get a minimum height (a signature and a
    fingerprint need 12 mm: Table's ``minRowHeights``, which ReportLab honours)."""

    header: list[str]
    widths_mm: list[float]
    money_cols: tuple[int, ...] = ()
    size: float = SIZE
    rows: list[list[str]] = field(default_factory=list)
    heights: list[float] = field(default_factory=list)
    commands: list[tuple] = field(default_factory=list)

    def add(self, cells: list[str], *, min_height_mm: float = 0, shaded: bool = False,
            span: tuple[int, int] | None = None) -> int:
        """Append a row; returns its index in the table (the header is row 0)."""
        self.rows.append(cells)
        self.heights.append(min_height_mm * mm)
        r = len(self.rows)
        if shaded:
            self.commands.append(("BACKGROUND", (0, r), (-1, r), SUM_BG))
        if span:
            self.commands.append(("SPAN", (span[0], r), (span[1], r)))
        return r

    def table(self, width: float, *, keep_last: int = 0) -> Table:
        """The table across ``width`` (the last column takes what is left); ``keep_last``
        rows never split from each other (a total is never alone on a page)."""
        widths = [w * mm for w in self.widths_mm]
        widths[-1] = width - sum(widths[:-1])
        head = [para(h, style(self.size, align=1)) for h in self.header]
        body = [[para(v, style(self.size, align=2 if i in self.money_cols else 0)) for i, v in enumerate(row)]
                for row in self.rows]
        n = len(body) + 1
        split = (0, n - keep_last) if keep_last and n - keep_last > 1 else None
        table = Table([head, *body], colWidths=widths, repeatRows=1, minRowHeights=[0, *self.heights],
                      rowSplitRange=split)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), FONT, self.size),
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            *self.commands,
        ]))
        return table


def foot(society: SocietySettings, signers: list[tuple[str, str]], day: dt.date, *,
         date_label: str = "") -> Flowable:
    """The stamp line, the signature lines (a name printed where known, else a blank to sign)
    and the date, kept together on one page."""
    blank = "________________"
    names = "　　　　".join(f"{label}：{name or blank}" for label, name in signers)
    when = f"{date_label}：{format_date_cn(day)}" if date_label else format_date_cn(day)
    return KeepTogether([
        Spacer(1, 6 * mm),
        para(f"{society.name}（盖章）", style(11, align=2)),
        Spacer(1, 8 * mm),
        para(names, style(11, align=2)),
        Spacer(1, 3 * mm),
        para(when, style(11, align=2)),
    ])
