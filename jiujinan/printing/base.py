"""What every paper shares: A4, the embedded font, styles, and "第 1 页 共 N 页"."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import IO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate
from reportlab.platypus.paragraph import FragLine, ParaLines
from reportlab.rl_config import _FUZZ
from xml.sax.saxutils import escape

from jiujinan import paths
from jiujinan.files import refuse_overwriting_other_than_pdf, replacing

FONT = "WQY"
MARGIN = 18 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
_registered = False
_registering = threading.Lock()  # the GUI loads it ahead on a thread of its own (ui/app.py)


def register_font() -> str:
    """Register WenQuanYi Micro Hei (TrueType outlines, embedded as a subset) once."""
    global _registered  # noqa: PLW0603 - ReportLab's font registry is process-wide
    with _registering:
        if not _registered:
            path = paths.resources_dir() / "fonts" / "wqy-microhei.ttc"
            pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
            _registered = True
    return FONT


@lru_cache(maxsize=None)
def style(size: float = 10.5, *, leading: float | None = None, align: int = 0, bold: bool = False) -> ParagraphStyle:
    """A paragraph style in the embedded font (CJK wrapping on); one object per variant."""
    register_font()
    return ParagraphStyle(
        f"s{size}{align}{bold}", fontName=FONT, fontSize=size, leading=leading or size * 1.45,
        alignment=align, wordWrap="CJK", textColor=colors.black,
    )


TITLE = lambda: style(18, align=TA_CENTER, leading=26)  # noqa: E731
SUBTITLE = lambda: style(11, align=TA_CENTER)  # noqa: E731
BODY = lambda: style(10.5)  # noqa: E731
RIGHT = lambda: style(10.5, align=TA_RIGHT)  # noqa: E731


# 禁则 (line-breaking rules of Chinese typesetting, GB/T 15834 and the W3C clreq note): closing
# punctuation never begins a line, opening punctuation never ends one. ReportLab's own CJK wrapping
# knows only half of these (no ，：；！？》) and hangs one mark past the right edge, out of a cell.
CANNOT_START = frozenset("：，。、；）」》！？’”』】〕〉］｝…—·%,.:;!?)]}")
CANNOT_END = frozenset("（「《‘“『【〔〈［｛([{")


def _glued(a: str, b: str) -> bool:
    """Whether no line may break between ``a`` and ``b``: inside a number, a phone number, a
    case number or a Latin word (any run of printable ASCII without spaces stays whole)."""
    return "!" <= a <= "~" and "!" <= b <= "~"


def _may_break(before: str, after: str, *, runs: bool = True) -> bool:
    """Whether a line may end with ``before`` and the next begin with ``after``; ``runs=False``
    lets a number be cut (when it is longer than the line, or glued to the punctuation after it)."""
    return after not in CANNOT_START and before not in CANNOT_END and not (runs and _glued(before, after))


_widths: dict[tuple[str, float], dict[str, float]] = {}


def _char_width(char: str, font: str, size: float) -> float:
    """A glyph's advance, remembered per font and size (the same few hundred characters recur)."""
    known = _widths.setdefault((font, size), {})
    if (w := known.get(char)) is None:
        w = known[char] = stringWidth(char, font, size)
    return w


def _line(frags: list, chars: list[str], owner: list[int], start: int, stop: int, max_width: float,
          used: float, line_break: bool) -> FragLine:
    """Characters [start, stop) as one line: runs of the same frag become one word each."""
    words = []
    k = start
    while k < stop:
        j = k
        while j < stop and owner[j] == owner[k]:
            j += 1
        word = frags[owner[k]].clone()
        word.text = "".join(chars[k:j])
        words.append(word)
        k = j
    metrics = [getAscentDescent(w.fontName, w.fontSize) for w in words] or [(0, 0)]
    return FragLine(kind=1, extraSpace=max_width - used, wordCount=1, words=words,
                    fontSize=max((w.fontSize for w in words), default=0), ascent=max(m[0] for m in metrics),
                    descent=min(m[1] for m in metrics), maxWidth=max_width, currentWidth=used, lineBreak=line_break)


def _break_before(chars: list[str], start: int, full: int) -> int:
    """Where the line that begins at ``start`` and is full before ``full`` ends: the last place
    all rules allow; else the last that keeps the punctuation rules (cutting a number longer
    than the line); else where the line is full."""
    for runs in (True, False):
        cut = full
        while cut > start + 1 and not _may_break(chars[cut - 1], chars[cut], runs=runs):
            cut -= 1
        if _may_break(chars[cut - 1], chars[cut], runs=runs):
            return cut
    return full


def cjk_lines(frags: list, max_widths: list[float]) -> ParaLines:
    """Fill each line with as many characters as fit, then move the break back to the nearest
    place the rules above allow (the characters go down to the next line, none hangs out). A
    run that cannot break within a whole line is cut where the line is full."""
    chars: list[str] = []
    owner: list[int] = []
    widths: list[float] = []
    for n, f in enumerate(frags):
        text = f.text.decode("utf8") if isinstance(f.text, bytes) else f.text
        if hasattr(f, "lineBreak"):
            chars.append("")
            owner.append(n)
            widths.append(0.0)
            continue
        for char in text:
            chars.append(char)
            owner.append(n)
            widths.append(_char_width(char, f.fontName, f.fontSize))
    lines: list[FragLine] = []
    wrapped_at: int | None = None  # where the last line began, when a wrap (not a newline) ended it
    start = i = 0
    used = 0.0
    max_width = max_widths[0]

    def keep_company(stop: int) -> int:
        """A text's last line of one character (a lone «分» or «件») takes one more from the
        line above, when the rules allow the break there: returns where the last line starts."""
        if wrapped_at is None or stop - start != 1 or start - wrapped_at < 3:
            return start
        cut = start - 1
        if not _may_break(chars[cut - 1], chars[cut]):
            return start
        above = lines.pop()
        lines.append(_line(frags, chars, owner, wrapped_at, cut, above.maxWidth, sum(widths[wrapped_at:cut]), False))
        return cut

    while i < len(chars):
        if hasattr(frags[owner[i]], "lineBreak"):
            start = keep_company(i)
            lines.append(_line(frags, chars, owner, start, i + 1, max_width, sum(widths[start:i]), True))
            start = i = i + 1
            wrapped_at = None
        elif used + widths[i] > max_width + _FUZZ and i > start:
            cut = _break_before(chars, start, i)
            lines.append(_line(frags, chars, owner, start, cut, max_width, sum(widths[start:cut]), False))
            wrapped_at = start
            start = i = cut
        else:
            used += widths[i]
            i += 1
            continue
        used = 0.0
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
    if start < len(chars):
        start = keep_company(len(chars))
        lines.append(_line(frags, chars, owner, start, len(chars), max_width, sum(widths[start:]), False))
    return ParaLines(kind=1, lines=lines)


def _rejoin(bl_para: ParaLines, start: int, stop: int) -> list:
    """The frags of lines [start, stop), for the part of a paragraph split across pages; unlike
    ReportLab's default it adds no space between lines (Chinese has none)."""
    return [w for line in bl_para.lines[start:stop] for w in line.words]


class CJKParagraph(Paragraph):
    """A paragraph that wraps Chinese by the 禁则 above: no line starts with «：，。、；）」》！？»,
    a greeting keeps its colon («张三：»), a number (phone, case number, amount) is never split
    where it fits on a line."""

    def breakLinesCJK(self, maxWidths):  # noqa: ANN001, ANN201, N802, N803 - ReportLab's names
        if (not self.frags or (hasattr(self, "blPara") and getattr(self, "_splitpara", 0))
                or any(hasattr(f, "cbDefn") for f in self.frags)):  # images, anchors: ReportLab's way
            return super().breakLinesCJK(maxWidths)
        return cjk_lines(self.frags, list(maxWidths) if isinstance(maxWidths, (list, tuple)) else [maxWidths])

    def _get_split_blParaFunc(self):  # noqa: ANN202, N802
        return _rejoin if self.blPara.kind == 1 else super()._get_split_blParaFunc()


def para(text: str, st: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of plain text: escaped, newlines kept, wrapped by the 禁则 (CJKParagraph).
    Leading ideographic spaces («　　», the 首行缩进 of Chinese prose) become the first line's
    indent: ReportLab strips leading white space, so they would otherwise vanish."""
    st = st or BODY()
    body = (text or "").lstrip("\u3000")
    if indent := len(text or "") - len(body):
        st = ParagraphStyle(f"{st.name}-i{indent}", parent=st, firstLineIndent=indent * st.fontSize)
    return CJKParagraph(escape(body).replace("\n", "<br/>"), st)


class DocumentStart(Flowable):
    """Marks where one paper of a batch begins, so each keeps its own page numbers; ``head``
    is printed at the top of its continuation pages (a signer of page 2 sees which case)."""

    width = height = 0

    def __init__(self, head: str = "") -> None:
        super().__init__()
        self.head = head

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        self.canv._doc_index = getattr(self.canv, "_doc_index", 0) + 1  # noqa: SLF001
        self.canv._running_head = self.head  # noqa: SLF001


class NumberedCanvas(canvas.Canvas):
    """Writes "第 N 页 共 M 页" at the foot of every page once the page count is known,
    counted within each paper of a batch (see DocumentStart)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._doc_index = 0
        self._running_head = ""

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals: dict[int, int] = {}
        for state in self._pages:
            totals[state["_doc_index"]] = totals.get(state["_doc_index"], 0) + 1
        seen: dict[int, int] = {}
        for state in self._pages:
            self.__dict__.update(state)
            doc = state["_doc_index"]
            seen[doc] = seen.get(doc, 0) + 1
            self.setFont(FONT, 9)
            self.drawCentredString(self._pagesize[0] / 2, 10 * mm, f"第 {seen[doc]} 页 共 {totals[doc]} 页")
            if seen[doc] > 1 and state.get("_running_head"):
                self.drawString(MARGIN, self._pagesize[1] - 12 * mm, f"{state['_running_head']}（续）")
            super().showPage()
        super().save()


LANDSCAPE_WIDTH = A4[1] - 2 * MARGIN  # content width of a landscape page (wide tables)


def build(out: str | Path | IO[bytes], story: list[Flowable], title: str, author: str = "", *,
          landscape: bool = False) -> None:
    """Lay out ``story`` on A4 pages (portrait, or landscape for wide tables) and write the PDF."""
    register_font()
    size = (A4[1], A4[0]) if landscape else A4
    if isinstance(out, (str, Path)):  # owner-only (it holds names, IDs, accounts), whole or not at all
        refuse_overwriting_other_than_pdf(Path(out))
        with replacing(Path(out), "wb") as f:
            build(f, story, title, author, landscape=landscape)
        return
    doc = SimpleDocTemplate(
        out, pagesize=size, leftMargin=MARGIN,
        rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm, title=title,
        author=author, creator="jiujinan",
    )
    doc.build(story, canvasmaker=NumberedCanvas)
