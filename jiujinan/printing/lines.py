"""Plain text broken into lines the way Chinese is typeset, and flowables that draw them.

ReportLab's Paragraph parses markup and re-wraps on every call; most text on our papers is
plain, so breaking it once here is several times cheaper. The breaking itself is base's
(the 禁则 every paper follows): no line starts with closing punctuation or ends with an
opening bracket, a number is cut only when longer than a line, no lone last character.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.platypus import Flowable
from reportlab.platypus.paraparser import ParaFrag

from jiujinan.printing.base import FONT, cjk_lines, register_font


@lru_cache(maxsize=4096)
def break_lines(text: str, width: float, size: float = 10.5) -> tuple[str, ...]:
    """``text`` as the lines it takes in ``width`` points at ``size`` (newlines kept), broken
    by the one 禁则 breaker every paper uses (base.cjk_lines), without building a Paragraph."""
    register_font()
    lines: list[str] = []
    for raw in text.split("\n"):
        if not raw:
            lines.append("")
            continue
        frag = ParaFrag(text=raw, fontName=FONT, fontSize=size)
        lines += ["".join(w.text for w in line.words) for line in cjk_lines([frag], [width]).lines]
    return tuple(lines)


class Lines(Flowable):
    """Text drawn as broken by ``break_lines``; splits between pages at a line boundary."""

    def __init__(self, text: str, size: float = 10.5, align: int = 0, leading: float | None = None,
                 *, lines: tuple[str, ...] | None = None) -> None:
        super().__init__()
        self.text, self.size, self.align = text, size, align
        self.leading = leading or size * 1.45
        self._fixed = lines
        self._lines: tuple[str, ...] = lines or ()
        self._width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._width = availWidth
        if self._fixed is None:
            self._lines = break_lines(self.text, availWidth, self.size)
        self.width, self.height = availWidth, len(self._lines) * self.leading  # a table reads these
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # A table splitting a row passes the column's width with its padding, after laying the
        # cell out in the width without it: keep the lines of that layout.
        self.wrap(min(availWidth, self._width or availWidth), availHeight)
        fit = int(availHeight // self.leading)
        if fit <= 0 or fit >= len(self._lines):
            return []
        head, tail = self._lines[:fit], self._lines[fit:]
        return [Lines("", self.size, self.align, self.leading, lines=head),
                Lines("", self.size, self.align, self.leading, lines=tail)]

    def draw(self) -> None:
        canv = self.canv
        canv.setFont(FONT, self.size)
        y = len(self._lines) * self.leading - self.size  # first baseline, a line's height down
        for line in self._lines:
            if self.align == 1:
                canv.drawCentredString(self._width / 2, y, line)
            elif self.align == 2:
                canv.drawRightString(self._width, y, line)
            else:
                canv.drawString(0, y, line)
            y -= self.leading


class Ends(Flowable):
    """One text at the left and a block of lines centred in ``right_width`` at the right, on a
    shared bottom line: a signature beside the office and date a seal goes over, or a form's
    number beside its date. Cheaper than a table of two cells."""

    def __init__(self, left: str, right: str, right_width: float, size: float = 10.5) -> None:
        super().__init__()
        self.left, self.right, self.right_width, self.size = left, right.split("\n"), right_width, size
        self.leading = size * 1.45

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._left = break_lines(self.left, max(availWidth - self.right_width - self.size, self.size), self.size)
        self.width = availWidth
        self.height = max(len(self.right), len(self._left)) * self.leading
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.setFont(FONT, self.size)
        base = self.leading - self.size  # the last line's baseline
        for i, line in enumerate(reversed(self._left)):
            canv.drawString(0, base + i * self.leading, line)
        middle = self.width - self.right_width / 2
        for i, line in enumerate(reversed(self.right)):
            canv.drawCentredString(middle, base + i * self.leading, line)
