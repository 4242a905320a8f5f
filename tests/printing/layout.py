"""A layout checker for the papers: reads a PDF back (characters with their boxes, ruled
lines) and lists what an official would see as wrong on paper, one readable string each.

    problems(pdf) -> ["第2页 «（盖章）»: text crosses a ruled line (horizontal at 512.3 pt)", ...]

What it looks for (issue 16):
- text crossing a drawn line: a character's box cut by a ruling line, not merely touching it;
- text leaving its table cell: a run of text that starts inside the rectangle of ruling lines
  around it and goes outside it;
- anything drawn or written inside the unprintable margin (5 mm on every side, A4 either way);
- a text line starting with closing punctuation («，» or «）» at the head of a line);
- a lone character on a line after a wrap (a single «分» under a full line);
- a phone number or case number split over two lines;
- text written over other text.

And ``row_boxes``: the rectangle of a table cell found by its text, to measure a row's height
(the approval form's opinion boxes must hold a 42 mm seal).

Only what is visible counts: white lines (and the parts of black lines that a later white
line paints over) are no lines; filled rectangles without a stroke are backgrounds, not rules.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

MM = 72 / 25.4  # points per millimetre
MARGIN_MM = 5.0  # what an office A4 printer cannot print
CLOSING = set("：，。、；）」》！？』】〉”’:;,.!?)]")  # never at the head of a line
SPLIT_PATTERNS = {
    "phone number": re.compile(r"1[3-9]\d{9}|0\d{2,3}-\d{7,8}"),
    "case number": re.compile(r"\d{12}-\d{4}-\d{5}"),
}
EDGE = 0.12  # a line within this share of the font size from a character's edge only touches it
SPACE = set(" \u3000\u00a0\t")


@dataclass(frozen=True)
class Segment:
    """A visible ruling line: horizontal (y fixed, from a to b along x) or vertical."""

    horizontal: bool
    at: float  # y (top-based) of a horizontal line, x of a vertical one
    a: float
    b: float


@dataclass
class Run:
    """Characters on one baseline, close together: one visual line of text."""

    chars: list[dict]

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def ink(self) -> list[dict]:
        return [c for c in self.chars if c["text"] not in SPACE]

    @property
    def x0(self) -> float:
        return min(c["x0"] for c in self.chars)

    @property
    def x1(self) -> float:
        return max(c["x1"] for c in self.chars)

    @property
    def top(self) -> float:
        return min(c["top"] for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c["bottom"] for c in self.chars)

    @property
    def size(self) -> float:
        return max(c["size"] for c in self.chars)


@dataclass(frozen=True)
class Cell:
    """The rectangle of ruling lines around a point (top-based coordinates, points)."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def height_mm(self) -> float:
        return (self.bottom - self.top) / MM

    def holds(self, c: dict, tol: float) -> bool:
        return (c["x0"] >= self.left - tol and c["x1"] <= self.right + tol
                and c["top"] >= self.top - tol and c["bottom"] <= self.bottom + tol)


@dataclass(frozen=True)
class RowBox:
    """A table cell found by its text: where it is and how tall."""

    page: int
    text: str
    cell: Cell

    @property
    def height_mm(self) -> float:
        return self.cell.height_mm


def _white(color: object) -> bool:
    if color is None:
        return False
    values = color if isinstance(color, (tuple, list)) else (color,)
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        return False
    if len(numbers) == 4:  # CMYK: white is no ink
        return all(v <= 0.02 for v in numbers)
    return bool(numbers) and all(v >= 0.98 for v in numbers)


def _subtract(a: float, b: float, cuts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    pieces = [(a, b)]
    for ca, cb in cuts:
        nxt = []
        for pa, pb in pieces:
            if cb <= pa or ca >= pb:
                nxt.append((pa, pb))
                continue
            if ca > pa:
                nxt.append((pa, ca))
            if cb < pb:
                nxt.append((cb, pb))
        pieces = nxt
    return [(pa, pb) for pa, pb in pieces if pb - pa > 0.5]


def segments(page) -> list[Segment]:  # noqa: ANN001 - a pdfplumber page
    """The visible ruling lines of ``page``: stroked lines and rectangle edges, minus what a
    white line drawn later paints over."""
    drawn: list[tuple[Segment, bool]] = []  # (segment, white), in drawing order
    for obj in page.lines:
        white = _white(obj.get("stroking_color"))
        if abs(obj["top"] - obj["bottom"]) < 0.5:
            drawn.append((Segment(True, obj["top"], min(obj["x0"], obj["x1"]), max(obj["x0"], obj["x1"])), white))
        elif abs(obj["x0"] - obj["x1"]) < 0.5:
            drawn.append((Segment(False, obj["x0"], obj["top"], obj["bottom"]), white))
    for obj in page.rects:
        if not obj.get("stroke"):
            continue  # a background, not a rule
        white = _white(obj.get("stroking_color"))
        x0, x1, top, bottom = obj["x0"], obj["x1"], obj["top"], obj["bottom"]
        drawn += [(Segment(True, top, x0, x1), white), (Segment(True, bottom, x0, x1), white),
                  (Segment(False, x0, top, bottom), white), (Segment(False, x1, top, bottom), white)]
    visible: list[Segment] = []
    for i, (seg, white) in enumerate(drawn):
        if white:
            continue
        cuts = [(w.a, w.b) for w, is_white in drawn[i + 1:]
                if is_white and w.horizontal == seg.horizontal and abs(w.at - seg.at) < 0.5]
        visible += [Segment(seg.horizontal, seg.at, a, b) for a, b in _subtract(seg.a, seg.b, cuts)]
    return visible


class Rules:
    """The page's ruling lines, indexed for the questions the checks ask."""

    def __init__(self, segs: list[Segment]) -> None:
        self.h = sorted((s for s in segs if s.horizontal), key=lambda s: s.at)
        self.v = sorted((s for s in segs if not s.horizontal), key=lambda s: s.at)
        self._h_at = [s.at for s in self.h]
        self._v_at = [s.at for s in self.v]

    def crossing(self, c: dict) -> Segment | None:
        """A line cutting through character ``c`` (not just touching an edge of its box)."""
        tol = EDGE * c["size"]
        lo, hi = bisect_right(self._h_at, c["top"] + tol), bisect_left(self._h_at, c["bottom"] - tol)
        for s in self.h[lo:hi]:
            if s.a < c["x1"] - tol and s.b > c["x0"] + tol:
                return s
        lo, hi = bisect_right(self._v_at, c["x0"] + tol), bisect_left(self._v_at, c["x1"] - tol)
        for s in self.v[lo:hi]:
            if s.a < c["bottom"] - tol and s.b > c["top"] + tol:
                return s
        return None

    def separates(self, a: dict, b: dict) -> bool:
        """A vertical line in the gap between characters ``a`` and ``b`` (left to right) at
        their height, clear of both: the padding of two cells. Text that runs on over a border
        with no room around it is one run that leaves its cell, not two."""
        y = (max(a["top"], b["top"]) + min(a["bottom"], b["bottom"])) / 2
        lo, hi = bisect_left(self._v_at, a["x1"] + 0.5), bisect_right(self._v_at, b["x0"] - 0.5)
        return any(s.a <= y <= s.b for s in self.v[lo:hi])

    def cell_at(self, x: float, y: float) -> Cell | None:
        """The rectangle of the nearest lines around the point, or None outside any table."""
        left = max((s.at for s in self.v if s.at <= x and s.a <= y <= s.b), default=None)
        right = min((s.at for s in self.v if s.at >= x and s.a <= y <= s.b), default=None)
        top = max((s.at for s in self.h if s.at <= y and s.a <= x <= s.b), default=None)
        bottom = min((s.at for s in self.h if s.at >= y and s.a <= x <= s.b), default=None)
        if None in (left, right, top, bottom):
            return None
        return Cell(left, top, right, bottom)  # type: ignore[arg-type]

    def between(self, x0: float, x1: float, y0: float, y1: float) -> bool:
        """A horizontal line between heights y0 < y1 under any part of [x0, x1]."""
        lo, hi = bisect_right(self._h_at, y0), bisect_left(self._h_at, y1)
        return any(s.a < x1 and s.b > x0 for s in self.h[lo:hi])


def runs(chars: list[dict], rules: Rules | None = None) -> list[Run]:
    """The visual lines of text: characters sharing a baseline with no wide gap and no ruled
    line between them (two cells of a row are two runs, however close), in reading order."""
    upright = sorted((c for c in chars if c.get("upright", True)), key=lambda c: c["bottom"])
    lines: list[list[dict]] = []
    for c in upright:
        if lines and c["bottom"] - lines[-1][0]["bottom"] < 0.3 * c["size"]:
            lines[-1].append(c)
        else:
            lines.append([c])
    out: list[Run] = []
    for line in lines:
        current: list[dict] = []
        for c in sorted(line, key=lambda c: c["x0"]):
            if current and c["x0"] - current[-1]["x1"] < 0.9 * max(c["size"], current[-1]["size"]) \
                    and not (rules and rules.separates(current[-1], c)):
                current.append(c)
                continue
            if current:
                out.append(Run(current))
            current = [c]
        out.append(Run(current))
    return [r for r in out if r.ink]


def _open(pdf: bytes | str | Path):  # noqa: ANN202
    return pdfplumber.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else str(pdf))


def _show(text: str, limit: int = 24) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


def _wrapped_pairs(line_runs: list[Run], rules: Rules) -> list[tuple[Run, Run]]:
    """(line, the next line of the same paragraph): directly below, overlapping it, with no
    ruled line between them."""
    pairs = []
    for i, r in enumerate(line_runs):
        for nxt in line_runs[i + 1:]:
            gap = nxt.top - r.top
            if gap <= 0.3 * r.size:
                continue  # the same baseline (another cell of the row)
            if gap > 2.2 * r.size:
                break
            if nxt.x0 < r.x1 and nxt.x1 > r.x0 and abs(nxt.size - r.size) < 0.5 \
                    and not rules.between(max(r.x0, nxt.x0), min(r.x1, nxt.x1), r.bottom, nxt.top + 0.3 * nxt.size):
                pairs.append((r, nxt))
                break
    return pairs


def _overlap(a: dict, b: dict) -> float:
    """The share of the smaller of two character boxes that the other covers."""
    w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a["x1"] - a["x0"]) * (a["bottom"] - a["top"]), (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]))
    return w * h / smaller if smaller > 0 else 0.0


def _overlapping(line_runs: list[Run]) -> list[tuple[Run, Run]]:
    """Pairs of lines of text with characters drawn over each other (a quarter of a box or more)."""
    pairs = []
    ordered = sorted(line_runs, key=lambda r: r.top)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.top >= a.bottom:
                break
            if b.x0 >= a.x1 or b.x1 <= a.x0:
                continue
            if any(_overlap(ca, cb) >= 0.25 for ca in a.ink for cb in b.ink):
                pairs.append((a, b))
    return pairs


def page_problems(page, number: int, margin_mm: float = MARGIN_MM) -> list[str]:  # noqa: ANN001, C901
    """What is wrong on one page (``number`` counts from 1)."""
    found: list[str] = []
    where = f"第{number}页"
    rules = Rules(segments(page))
    width, height = float(page.width), float(page.height)
    edge = margin_mm * MM

    # 1. The unprintable margin: ink of any kind within 5 mm of an edge.
    def outside(obj: dict) -> bool:
        return obj["x0"] < edge or obj["x1"] > width - edge or obj["top"] < edge or obj["bottom"] > height - edge

    line_runs = runs(page.chars, rules)
    for r in line_runs:
        stray = [c for c in r.ink if outside(c)]
        if stray:
            found.append(f"{where} «{_show(''.join(c['text'] for c in stray))}» in «{_show(r.text)}»: text inside "
                         f"the {margin_mm:g} mm unprintable margin")
    for kind in ("lines", "rects", "curves", "images"):
        for obj in getattr(page, kind):
            if kind == "rects" and _white(obj.get("non_stroking_color")) and not obj.get("stroke"):
                continue  # white paper on white paper
            if kind == "lines" and _white(obj.get("stroking_color")):
                continue
            if outside(obj):
                found.append(f"{where} {kind[:-1]} at ({obj['x0']:.0f}, {obj['top']:.0f})–({obj['x1']:.0f}, "
                             f"{obj['bottom']:.0f}) pt: drawn inside the {margin_mm:g} mm unprintable margin")

    for r in line_runs:
        ink = r.ink
        # 2. Text crossing a ruled line.
        crossed = [(c, s) for c in ink if (s := rules.crossing(c)) is not None]
        if crossed:
            s = crossed[0][1]
            found.append(f"{where} «{_show(''.join(c['text'] for c, _ in crossed))}» in «{_show(r.text)}»: text "
                         f"crosses a ruled line ({'horizontal' if s.horizontal else 'vertical'} at {s.at:.1f} pt)")
        # 3. Text leaving the cell it starts in.
        first = ink[0]
        cell = rules.cell_at((first["x0"] + first["x1"]) / 2, (first["top"] + first["bottom"]) / 2)
        if cell is not None:
            out = [c for c in ink if not cell.holds(c, EDGE * c["size"])]
            if out:
                found.append(f"{where} «{_show(''.join(c['text'] for c in out))}» in «{_show(r.text)}»: text "
                             f"leaves its table cell")
        # 4. Closing punctuation at the head of a line.
        if ink[0]["text"] in CLOSING:
            found.append(f"{where} «{_show(r.text)}»: line starts with closing punctuation «{ink[0]['text']}»")

    # 7. Text written over other text (on the same line, or on lines that meet).
    for r in line_runs:
        ink = r.ink
        if any(_overlap(a, b) >= 0.25 for a, b in zip(ink, ink[1:])):
            found.append(f"{where} «{_show(r.text)}»: text overlaps other text")
    for a, b in _overlapping(line_runs):
        found.append(f"{where} «{_show(a.text)}» and «{_show(b.text)}»: text overlaps other text")

    for above, below in _wrapped_pairs(line_runs, rules):
        # 5. A lone character carried over by a wrap.
        if len(below.ink) == 1 and len(above.ink) >= 2:
            found.append(f"{where} «{below.ink[0]['text']}» after «{_show(above.text)}»: a lone character "
                         f"on a wrapped line")
        # 6. A number the reader must copy, cut in two.
        joined = above.text.rstrip() + below.text.lstrip()
        cut = len(above.text.rstrip())
        for what, pattern in SPLIT_PATTERNS.items():
            for m in pattern.finditer(joined):
                if m.start() < cut < m.end():
                    found.append(f"{where} «{m.group()}»: {what} split across lines "
                                 f"(«{joined[m.start():cut]}» | «{joined[cut:m.end()]}»)")
    return found


def problems(pdf: bytes | str | Path, *, margin_mm: float = MARGIN_MM) -> list[str]:
    """Every layout problem of every page, as readable strings (empty: the paper is clean)."""
    with _open(pdf) as doc:
        out: list[str] = []
        for number, page in enumerate(doc.pages, start=1):
            out += page_problems(page, number, margin_mm)
        return out


def page_texts(pdf: bytes | str | Path) -> list[str]:
    """The text of each page with all white space removed (to find what is on which page)."""
    with _open(pdf) as doc:
        return [_flat("".join(r.text for r in runs(page.chars))) for page in doc.pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _cells(page) -> list[tuple[Cell | None, str]]:  # noqa: ANN001 - a pdfplumber page
    """Each table cell of the page with its text (wrapped lines joined, white space removed),
    top to bottom; and each line of text outside any table, with None for its cell."""
    rules = Rules(segments(page))
    cells: dict[Cell, list[Run]] = {}
    loose: list[tuple[Cell | None, str]] = []
    for r in runs(page.chars):
        c = r.ink[0]
        cell = rules.cell_at((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2)
        if cell is None:
            loose.append((None, _flat(r.text)))
        else:
            cells.setdefault(cell, []).append(r)
    boxed = [(cell, _flat("".join(r.text for r in in_cell)))
             for cell, in_cell in sorted(cells.items(), key=lambda kv: (kv[0].top, kv[0].left))]
    return boxed + loose


def page_pieces(pdf: bytes | str | Path) -> list[list[str]]:
    """Per page, the texts a reader sees as one piece: each cell's text and each line outside
    the tables (a name wrapped inside its cell is found whole here, not in ``page_texts``)."""
    with _open(pdf) as doc:
        return [[text for _cell, text in _cells(page)] for page in doc.pages]


def row_boxes(pdf: bytes | str | Path, label: str | re.Pattern[str]) -> list[RowBox]:
    """The table cells whose whole text (white space removed, wrapped lines joined) matches
    ``label`` (a regular expression, matched in full), on every page, in page order. A row's
    height is the height of its label cell."""
    pattern = re.compile(label) if isinstance(label, str) else label
    found: list[RowBox] = []
    with _open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            found += [RowBox(number, text, cell) for cell, text in _cells(page)
                      if cell is not None and pattern.fullmatch(text)]
    return found
