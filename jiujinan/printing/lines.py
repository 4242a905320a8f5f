"""Plain text broken into lines the way Chinese is typeset, and a flowable that draws them.

ReportLab's Paragraph parses markup and re-wraps on every call; most text on our papers is
plain, so breaking it once here is several times cheaper, and the rules are ours to hold:
no line starts with closing punctuation or ends with an opening bracket (禁则), a run of
Latin letters or digits (an account, a bill number, a phone) is broken only when it is longer
than a line, and a wrapped text never leaves one character alone on its last line.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from jiujinan.printing.base import CANNOT_END as OPENING  # the 禁则 every paper follows (base.para)
from jiujinan.printing.base import CANNOT_START as CLOSING
from jiujinan.printing.base import FONT, register_font

_TOKEN = re.compile(r"[A-Za-z0-9¥][A-Za-z0-9_\-./@:+#,]*|.", re.DOTALL)  # a word, number, amount, ID…
_widths: dict[tuple[str, float], dict[str, float]] = {}


def _width(token: str, size: float) -> float:
    table = _widths.setdefault((FONT, size), {})
    total = 0.0
    for ch in token:
        w = table.get(ch)
        if w is None:
            w = table[ch] = stringWidth(ch, FONT, size)
        total += w
    return total


@lru_cache(maxsize=4096)
def break_lines(text: str, width: float, size: float = 10.5) -> tuple[str, ...]:
    """``text`` as the lines it takes in ``width`` points at ``size`` (newlines kept)."""
    register_font()
    lines: list[str] = []
    for raw in text.split("\n"):
        lines += _break_one(raw, width, size)
    return tuple(lines)


def _break_one(text: str, width: float, size: float) -> list[str]:
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        if len(token) > 1 and _width(token, size) > width:
            tokens += list(token)  # longer than a line: broken like CJK, character by character
        else:
            tokens.append(token)
    lines: list[list[str]] = [[]]
    used = 0.0
    for token in tokens:
        w = _width(token, size)
        line = lines[-1]
        if used + w <= width or not line:
            line.append(token)
            used += w
            continue
        carried: list[str] = []
        if token[0] in CLOSING:  # the character before it goes down with it, and any marks between
            while not carried or carried[0][0] in CLOSING:
                if len(line) > 1:
                    carried.insert(0, line.pop())
                elif len(line[0]) > 1:  # one run fills the line: its last character goes
                    carried.insert(0, line[0][-1])
                    line[0] = line[0][:-1]
                else:
                    break
        while len(line) > 1 and line[-1][-1] in OPENING:
            carried.insert(0, line.pop())
        lines.append([*carried, token])
        used = sum(_width(t, size) for t in lines[-1])
    if len(lines) > 1 and len(lines[-1]) == 1 and len(lines[-1][0]) == 1 and len(lines[-2]) > 2:
        lines[-1].insert(0, lines[-2].pop())  # no lone character on the last line
    return ["".join(line) for line in lines]


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
