"""The bundled CJK font, registered before any widget so Chinese shows on any machine."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from jiujinan import paths

FONT_FILE = "wqy-microhei.ttc"
_family: str | None = None


def register_bundled_font() -> str:
    """Register WenQuanYi Micro Hei with Qt once; returns its family name."""
    global _family  # noqa: PLW0603 - registered once per process, as Qt's database is
    if _family is None:
        font_id = QFontDatabase.addApplicationFont(str(paths.resources_dir() / "fonts" / FONT_FILE))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _family = families[0] if families else QFont().family()
    return _family


def apply_text_size(app: QApplication, point_size: int) -> None:
    """Set the application font (bundled family) at the clerk's chosen size."""
    font = QFont(register_bundled_font())
    font.setPointSize(point_size)
    app.setFont(font)
    # Qt leaves a widget with its own style sheet (red error lines, warnings) at the old
    # size when its parent has none: tell each again, after the parents have their new font.
    for widget in app.allWidgets():
        if widget.testAttribute(Qt.WidgetAttribute.WA_StyleSheet) and not widget.isWindow():
            app.postEvent(widget, QEvent(QEvent.Type.ApplicationFontChange))


class _TextSizeWatch(QObject):
    """Calls ``on_change`` whenever the application font (the text size) changes, for as
    long as its widget lives (Qt tells only the windows, and widgets whose font follows)."""

    def __init__(self, widget: QWidget, on_change: Callable[[], None]) -> None:
        super().__init__(widget)
        self.on_change = on_change
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self.changed)

    def changed(self, _font: QFont) -> None:
        self.on_change()


def on_text_size_change(widget: QWidget, on_change: Callable[[], None]) -> None:
    """Run ``on_change`` after the clerk picks another text size (设置 → 文字大小), for
    sizes a widget derived from the font (a fixed width, a row height)."""
    _TextSizeWatch(widget, on_change)


def scaled_font(widget: QWidget, factor: float, *, bold: bool = False) -> None:
    """Give ``widget`` the application font ``factor`` times larger, now and after every change
    of text size (a font set on a widget no longer follows the application's by itself)."""

    def apply() -> None:
        font = QFont(QApplication.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * factor)
        else:  # a font sized in pixels
            font.setPixelSize(round(font.pixelSize() * factor))
        font.setBold(bold)
        widget.setFont(font)

    apply()
    on_text_size_change(widget, apply)
