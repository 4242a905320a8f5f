"""What the money papers (花名册, 台账, 月报) share: the heading with the period, ruled tables
whose labels never wrap, and the stamped, signed foot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
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


def heading(title: str, period: str, *pairs: tuple[str, str], width: float) -> list[Flowable]:
    """The title, the period centred under it, then lines with one text at the left and one
    at the right (reporting unit, area code, where it goes)."""
    return [para(title, TITLE()), para(period, style(10.5, align=1)), Spacer(1, 2 * mm),
            spread([list(p) for p in pairs], width, size=10.5, first_share=0.7), Spacer(1, 2 * mm)]


def spread(rows: list[list[str]], width: float, *, size: float = 11, first_share: float | None = None) -> Table:
    """Borderless rows of texts spread evenly across ``width`` (or the first taking
    ``first_share`` of it), the first at the left and the last at the right (a paragraph
    would collapse the spaces between them)."""
    n = max(len(r) for r in rows)
    cells = [[para(text, style(size, align=0 if i == 0 else 2 if i == n - 1 else 1)) for i, text in enumerate(row)]
             for row in rows]
    widths = [width / n] * n
    if first_share and n > 1:  # a long reporting unit at the left, a short figure at the right
        widths = [width * first_share] + [width * (1 - first_share) / (n - 1)] * (n - 1)
    table = Table(cells, colWidths=widths)
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return table


class _TailTable(Table):
    """A table whose last ``keep_last`` rows never split from each other: a split may fall
    only before them, and each part split again keeps the rule (ReportLab's rowSplitRange is
    renumbered for the second part in a way that lets its tail split off; it is set afresh here)."""

    keep_last = 0

    def split(self, availWidth: float, availHeight: float) -> list[Table]:  # noqa: N803 - ReportLab's names
        if self.keep_last:
            self._rowSplitRange = (0, max(len(self._cellvalues) - self.keep_last, 1))
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.keep_last = self.keep_last
        return parts


@dataclass
class Grid:
    """A ruled table built row by row: cells are text, right-aligned in money columns;
    ``span`` rows merge cells; ``tall`` rows get a minimum height (a signature and a
    fingerprint need 12 mm: Table's ``minRowHeights``, which ReportLab honours)."""

    header: list[str]
    widths_mm: list[float]
    money_cols: tuple[int, ...] = ()
    center_cols: tuple[int, ...] = ()
    size: float = SIZE
    rows: list[list[str]] = field(default_factory=list)
    heights: list[float] = field(default_factory=list)
    commands: list[tuple] = field(default_factory=list)
    titles: set[int] = field(default_factory=set)  # rows whose text reads from the left

    def add(self, cells: list[str], *, min_height_mm: float = 0, shaded: bool = False,
            span: tuple[int, int] | None = None, with_previous: bool = False, title: bool = False) -> int:
        """Append a row; returns its index in the table (the header is row 0). A row
        ``with_previous`` (a subtotal) never starts a page: it goes with the row above it."""
        self.rows.append(cells)
        self.heights.append(min_height_mm * mm)
        r = len(self.rows)
        if shaded:
            self.commands.append(("BACKGROUND", (0, r), (-1, r), SUM_BG))
        if span:
            self.commands.append(("SPAN", (span[0], r), (span[1], r)))
        if title:
            self.titles.add(r - 1)
        if with_previous and r > 1:
            self.commands.append(("NOSPLIT", (0, r - 1), (-1, r)))
        return r

    def table(self, width: float, *, keep_last: int = 0) -> Table:
        """The table across ``width`` (the last column takes what is left); ``keep_last``
        rows never split from each other (a total is never alone on a page)."""
        widths = [w * mm for w in self.widths_mm]
        widths[-1] = width - sum(widths[:-1])
        spans = {(c[1][1], c[1][0]): c[2][0] for c in self.commands if c[0] == "SPAN"}  # (row, col) → last col

        def align(row: int, col: int) -> int:
            if row in self.titles:
                return 0
            return 2 if col in self.money_cols else 1 if col in self.center_cols else 0

        def cell(row: int, col: int, text: str, how: int) -> object:
            """A plain string where every line fits (the table draws it, several times faster
            than a Paragraph), else a wrapping paragraph."""
            room = sum(widths[col:spans.get((row, col), col) + 1]) - 2 * PAD
            if all(stringWidth(line, FONT, self.size) <= room for line in text.split("\n")):
                return text
            return para(text, style(self.size, align=how))

        head = [cell(0, i, h, 1) for i, h in enumerate(self.header)]
        body = [[cell(r + 1, i, v, align(r, i)) for i, v in enumerate(row)] for r, row in enumerate(self.rows)]
        aligned = [("ALIGN", (0, 0), (-1, 0), "CENTER")]
        aligned += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in self.money_cols]
        aligned += [("ALIGN", (i, 1), (i, -1), "CENTER") for i in self.center_cols]
        aligned += [("ALIGN", (0, r + 1), (-1, r + 1), "LEFT") for r in self.titles]
        table = _TailTable([head, *body], colWidths=widths, repeatRows=1, minRowHeights=[0, *self.heights])
        table.keep_last = keep_last
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), FONT, self.size),
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEADING", (0, 0), (-1, -1), self.size * 1.45),  # as a paragraph's lines
            ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            *aligned,
            *self.commands,
        ]))
        return table


def foot(society: SocietySettings, signers: list[tuple[str, str]], day: dt.date, width: float, *,
         lead: list[Flowable] = (), date_label: str = "") -> Flowable:
    """``lead`` (the totals in words), the stamp line, the signature lines (a name printed
    where known, else a blank to sign) and the date, kept together on one page: whoever signs
    a page that the table left sees the totals signed for."""
    blank = "______________"
    when = f"{date_label}：{format_date_cn(day)}" if date_label else format_date_cn(day)
    return KeepTogether([
        *lead,
        Spacer(1, 6 * mm),
        para(f"{society.name}（盖章）", style(11, align=2)),
        Spacer(1, 8 * mm),
        spread([[f"{label}：{name or blank}" for label, name in signers]], width),
        Spacer(1, 3 * mm),
        para(when, style(11, align=2)),
    ])
