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


def para(text: str, st: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of plain text: escaped, newlines kept."""
    safe = escape(text or "").replace("\n", "<br/>")
    return Paragraph(safe, st or BODY())


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
        with replacing(Path(out), "wb") as f:
            build(f, story, title, author, landscape=landscape)
        return
    doc = SimpleDocTemplate(
        out, pagesize=size, leftMargin=MARGIN,
        rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm, title=title,
        author=author, creator="jiujinan",
    )
    doc.build(story, canvasmaker=NumberedCanvas)
