"""Typing as a clerk does: ASCII by key presses, Chinese as an input method commits it."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(qtbot, widget: QWidget, text: str) -> None:  # noqa: ANN001
    """Focus ``widget`` and type ``text``; runs of non-ASCII text arrive as IME commits."""
    widget.setFocus()
    run = ""
    for ch in text + "\0":
        if ch != "\0" and not ch.isascii():
            run += ch
            continue
        if run:
            event = QInputMethodEvent()
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)
            run = ""
        if ch == "\n":
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        elif ch != "\0":
            qtbot.keyClicks(widget, ch)
