"""A PDF shown page by page (rendered with PDFium), printed, or saved under another name.

Qt's own PDF module is not in the PySide6 wheels this project installs, so the pages are
rendered with pypdfium2 into images: the preview and the printout come from the same PDF.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from jiujinan.cases.errors import DomainError
from jiujinan.files import copy_private, refuse_overwriting_other_than_pdf
from jiujinan.ui.errors import show_error
from jiujinan.ui.screen_fit import resize_to_fit

if TYPE_CHECKING:
    import pypdfium2 as pdfium

SCREEN_DPI = 96  # pages at their printed size on an ordinary screen
PAGE_MARGIN = 24  # grey space beside a page, its border and the scroll bar


def render_page(pdf: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    """One page as an image at ``dpi`` (PDFium renders BGR; Qt reads it as BGR888)."""
    bitmap = pdf[index].render(scale=dpi / 72)
    fmt = QImage.Format.Format_BGR888 if bitmap.n_channels == 3 else QImage.Format.Format_RGB32
    return QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, fmt).copy()


class PdfPreview(QScrollArea):
    """Pages stacked vertically, at screen resolution; a page wider than the view (a
    landscape roster) is shrunk to the view's width, so nothing is cut off at the side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.max_dpi: float = SCREEN_DPI
        self.page_widths: list[float] = []  # in points, to fit each page to the view's width
        self.dpis: list[float] = []  # the resolution each page is shown at
        self._refit = QTimer(self, singleShot=True, interval=120)
        self._refit.timeout.connect(self._render_if_width_changed)
        self.inner = QWidget()
        self.pages = QVBoxLayout(self.inner)
        self.pages.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setWidget(self.inner)
        self.setWidgetResizable(True)
        self.setStyleSheet("QScrollArea { background: #808080; }")

    def page_count(self) -> int:
        return self.pages.count()

    def clear(self) -> None:
        """Show nothing (the paper was another person's or another society's), and forget its file."""
        if self.path is not None:
            self.path.unlink(missing_ok=True)
        self.path = None
        self.page_widths = []
        self._render()

    def show_pdf(self, path: Path, dpi: float = SCREEN_DPI) -> None:
        self.path = path
        self.max_dpi = dpi
        import pypdfium2 as pdfium  # PDFium loads when a PDF is shown, not at start

        pdf = pdfium.PdfDocument(str(path))
        try:
            self.page_widths = [pdf[index].get_width() for index in range(len(pdf))]
        finally:
            pdf.close()
        self._render()
        self.verticalScrollBar().setValue(0)

    def fit_dpi(self, width_pt: float) -> float:
        """The resolution that shows a page ``width_pt`` wide across the view, at most ``max_dpi``."""
        room = self.viewport().width() - PAGE_MARGIN
        if not self.isVisible() or room < 200:  # not laid out yet: showing it fits it
            return self.max_dpi
        return min(self.max_dpi, room * 72 / width_pt)

    def _render(self) -> None:
        while self.pages.count():
            item = self.pages.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        if self.path is None:
            return
        self.dpis = [self.fit_dpi(w) for w in self.page_widths]
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(self.path))
        try:
            for index, dpi in enumerate(self.dpis):
                label = QLabel()
                label.setPixmap(QPixmap.fromImage(render_page(pdf, index, dpi)))
                label.setStyleSheet("border: 1px solid #444; background: white;")
                self.pages.addWidget(label)
        finally:
            pdf.close()

    def _render_if_width_changed(self) -> None:
        wanted = [self.fit_dpi(w) for w in self.page_widths]
        if any(abs(a - b) > 0.5 for a, b in zip(wanted, self.dpis)):
            top = self.verticalScrollBar().value() / max(1, self.verticalScrollBar().maximum())
            self._render()
            self.inner.adjustSize()
            self.verticalScrollBar().setValue(int(top * self.verticalScrollBar().maximum()))

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - a narrower view shrinks wide pages
        super().resizeEvent(event)
        if self.path is not None:
            self._refit.start()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        if self.path is not None:
            self._refit.start()

    def print_pdf(self, parent: QWidget) -> bool:
        """Ask for a printer and print every page at the printer's resolution."""
        if self.path is None:
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, parent).exec() != QPrintDialog.DialogCode.Accepted:
            return False
        return print_to(printer, self.path)

    def save_as(self, parent: QWidget, suggested: str) -> Path | None:
        """Copy the previewed PDF to a file the clerk chooses."""
        if self.path is None:
            return None
        name, _ = QFileDialog.getSaveFileName(parent, self.tr("另存为PDF"), suggested, "PDF (*.pdf)")
        if not name:
            return None
        target = Path(name if name.lower().endswith(".pdf") else name + ".pdf")
        refuse_overwriting_other_than_pdf(target)
        copy_private(self.path, target)
        return target


def print_to(printer: QPrinter, path: Path) -> bool:
    """Draw each page of the PDF onto ``printer``, scaled to its page."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    painter = QPainter()
    try:
        if not painter.begin(printer):
            return False
        dpi = min(printer.resolution(), 300)
        for index in range(len(pdf)):
            if index:
                printer.newPage()
            image = render_page(pdf, index, dpi)
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), scaled.width(), scaled.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
        return True
    finally:
        if painter.isActive():
            painter.end()
        pdf.close()


class PreviewDialog(QDialog):
    """A paper in its own window, with 打印 and 另存为PDF."""

    def __init__(self, path: Path, title: str, parent: QWidget | None = None) -> None:
        """``title`` names the paper for the clerk (「预览：审批表 …」), not the temporary file."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.preview = PdfPreview()
        print_button = QPushButton(self.tr("打印…"))
        print_button.clicked.connect(lambda: self.preview.print_pdf(self))
        save_button = QPushButton(self.tr("另存为PDF…"))
        save_button.clicked.connect(lambda: self._save(path.name))
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(print_button)
        row.addWidget(save_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addLayout(row)
        resize_to_fit(self, 900, 760)
        self.preview.show_pdf(path)

    def _save(self, suggested: str) -> None:
        try:
            self.preview.save_as(self, suggested)
        except (OSError, DomainError) as err:
            show_error(self, err)
