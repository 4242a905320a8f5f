"""Windows sized to the screen they open on, so their buttons stay on it (many office PCs
are 1366×768, with a taskbar)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room for the window frame and title bar, which the window manager adds around the window.
FRAME_WIDTH = 16
FRAME_HEIGHT = 40


def available_rect(widget: QWidget) -> QRect:
    """The part of the widget's screen (or its parent's, or the primary one) not taken by
    taskbars."""
    anchor = widget.parentWidget() or widget
    screen = anchor.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitted_size(wanted: QSize, available: QRect) -> QSize:
    """``wanted``, shrunk where needed so the window with its frame fits in ``available``."""
    return QSize(min(wanted.width(), available.width() - FRAME_WIDTH),
                 min(wanted.height(), available.height() - FRAME_HEIGHT))


def resize_to_fit(widget: QWidget, width: int, height: int) -> QSize:
    """Resize a top-level window to ``width`` × ``height`` or less, as its screen allows."""
    size = fitted_size(QSize(width, height), available_rect(widget))
    widget.resize(size)
    return size


def room_height(widget: QWidget) -> int:
    """The tallest the widget's window may be on its screen, frame included."""
    return available_rect(widget).height() - FRAME_HEIGHT
