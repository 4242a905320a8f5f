"""The mouse wheel scrolls the page, not the setting under the pointer: a spin box or a list
box changes by wheel only once the clerk has clicked or tabbed into it. Without this, scrolling
down 设置 turned the 公示期 that passed under the pointer from 5 to 3 days unseen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget

GUARDED = (QAbstractSpinBox, QComboBox)


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Wheel and isinstance(watched, GUARDED) and not watched.hasFocus():
            parent = watched.parentWidget()
            if parent is not None:
                QApplication.sendEvent(parent, event)  # on to the page, which scrolls
            return True
        return False


def guard_wheel(root: QWidget) -> None:
    """Spin boxes and list boxes under ``root`` take the wheel only when focused (call once
    the widgets are built)."""
    guard = root.findChild(_WheelGuard) or _WheelGuard(root)
    for widget in root.findChildren(QWidget):
        if isinstance(widget, GUARDED):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no focus by wheel either
            widget.installEventFilter(guard)
