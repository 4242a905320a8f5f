"""What every paper shares: A4, the embedded font, styles, and "第 1 页 共 N 页"."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import IO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate
from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine
from reportlab.rl_config import _FUZZ
from xml.sax.saxutils import escape

from jiujinan import paths
from jiujinan.files import replacing

FONT = "WQY"
MARGIN = 18 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
_registered = False


def register_font() -> str:
    """Register WenQuanYi Micro Hei (TrueType outlines, embedded as a subset) once."""
    global _registered  # noqa: PLW0603 - ReportLab's font registry is process-wide
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
SMALL = lambda: style(9)  # noqa: E731
RIGHT = lambda: style(10.5, align=TA_RIGHT)  # noqa: E731


# 禁则 (line-breaking rules of Chinese typesetting, GB/T 15834 and the W3C clreq note): closing
# punctuation never begins a line, opening punctuation never ends one. ReportLab's own CJK wrapping
# knows only half of these (no ，：；！？》) and hangs one mark past the right edge, out of a cell.
CANNOT_START = frozenset("：，。、；）」》！？’”』】〕〉］｝…—·%,.:;!?)]}")
CANNOT_END = frozenset("（「《‘“『【〔〈［｛([{")


def _glued(a: str, b: str) -> bool:
    """Whether no line may break between ``a`` and ``b``: inside a number, a phone number, a
    case number or a Latin word (any run of non-CJK, non-space characters stays whole)."""
    return a < "\u2e80" and b < "\u2e80" and not a.isspace() and not b.isspace() and a != "" and b != ""


def _may_break(before: str, after: str) -> bool:
    return after not in CANNOT_START and before not in CANNOT_END and not _glued(before, after)


def _cjk_lines(frags: list, max_widths: list[float], calc_bounds: bool) -> ParaLines:
    """Fill each line with as many characters as fit, then move the break back to the nearest
    place the rules above allow (the characters go down to the next line, none hangs out). A
    run that cannot break within a whole line is cut where the line is full."""
    chars: list[cjkU] = []
    for f in frags:
        text = f.text.decode("utf8") if isinstance(f.text, bytes) else f.text
        chars.extend(cjkU(t, f, "utf8") for t in text) if text else chars.append(cjkU(text, f, "utf8"))
    lines: list = []
    start = i = 0
    used = 0.0
    max_width = max_widths[0]
    while i < len(chars):
        u = chars[i]
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_width  # noqa: SLF001 - ReportLab's own protocol for % widths
            w = w.normalizedValue(max_width)
        if hasattr(u.frag, "lineBreak"):
            lines.append(makeCJKParaLine(chars[start:i + 1], max_width, used, max_width - used, True, calc_bounds))
            start = i = i + 1
        elif used + w > max_width + _FUZZ and i > start:
            cut = i
            while cut > start + 1 and not _may_break(chars[cut - 1], chars[cut]):
                cut -= 1
            if cut == start + 1 and not _may_break(chars[cut - 1], chars[cut]):
                cut = i  # an unbreakable run longer than the line: cut it where the line is full
            width = sum(c.width for c in chars[start:cut])
            lines.append(makeCJKParaLine(chars[start:cut], max_width, width, max_width - width, False, calc_bounds))
            start = i = cut
        else:
            used += w
            i += 1
            continue
        used = 0.0
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
    if start < len(chars):
        lines.append(makeCJKParaLine(chars[start:], max_width, used, max_width - used, False, calc_bounds))
    return ParaLines(kind=1, lines=lines)


def _rejoin(bl_para: ParaLines, start: int, stop: int) -> list:
    """The frags of lines [start, stop), for the part of a paragraph split across pages; unlike
    ReportLab's default it adds no space between lines (Chinese has none)."""
    return [w for line in bl_para.lines[start:stop] for w in line.words]


class CJKParagraph(Paragraph):
    """A paragraph that wraps Chinese by the 禁则 above: no line starts with «：，。、；）」》！？»,
    a greeting keeps its colon («张三：»), numbers are never split."""

    def breakLinesCJK(self, maxWidths):  # noqa: ANN001, ANN201, N802, N803 - ReportLab's names
        if not self.frags or (hasattr(self, "blPara") and getattr(self, "_splitpara", 0)):
            return super().breakLinesCJK(maxWidths)
        widths = list(maxWidths) if isinstance(maxWidths, (list, tuple)) else [maxWidths]
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return _cjk_lines(self.frags, widths, auto not in ("", "off"))

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
    """Marks where one paper of a batch begins, so each keeps its own page numbers."""

    width = height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        self.canv._doc_index = getattr(self.canv, "_doc_index", 0) + 1  # noqa: SLF001


class NumberedCanvas(canvas.Canvas):
    """Writes "第 N 页 共 M 页" at the foot of every page once the page count is known,
    counted within each paper of a batch (see DocumentStart)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._doc_index = 0

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
            super().showPage()
        super().save()


LANDSCAPE_WIDTH = A4[1] - 2 * MARGIN  # content width of a landscape page (wide tables)


def build(out: str | Path | IO[bytes], story: list[Flowable], title: str, author: str = "", *,
          landscape: bool = False) -> None:
    """Lay out ``story`` on A4 pages (portrait, or landscape for wide tables) and write the PDF."""
    register_font()
    size = (A4[1], A4[0]) if landscape else A4
    if isinstance(out, (str, Path)):  # owner-only (it holds names, IDs, accounts), whole or not at all
        with replacing(Path(out), "wb") as f:
            build(f, story, title, author, landscape=landscape)
        return
    doc = SimpleDocTemplate(
        out, pagesize=size, leftMargin=MARGIN,
        rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm, title=title,
        author=author, creator="jiujinan",
    )
    doc.build(story, canvasmaker=NumberedCanvas)
