"""The bundled CJK font, registered before any widget so Chinese shows on any machine."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

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
