"""Validation messages shown next to the field they are about, not in a popup."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

ERROR_STYLE = "color: #b00020;"
INVALID_STYLE = "border: 1px solid #b00020;"


class FieldBox(QWidget):
    """An input with its error line beneath it; the line is hidden while the input is fine."""

    def __init__(self, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        # Messages are short; wrapping inside a form row would clip the second line.
        self.error.setWordWrap(False)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        layout.addWidget(self.error)

    def set_error(self, message: str | None) -> None:
        """Show ``message`` under the field, or clear it."""
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.field.setProperty("invalid", bool(message))
        self.field.setStyleSheet(INVALID_STYLE if message else "")


def error_banner() -> QLabel:
    """The line under a dialog's fields that shows a rule's refusal (hidden until then)."""
    banner = QLabel()
    banner.setWordWrap(True)
    banner.setStyleSheet(ERROR_STYLE)
    banner.hide()
    return banner


def ok_cancel(dialog: QDialog, on_ok) -> tuple[QDialogButtonBox, QPushButton]:  # noqa: ANN001
    """确定 / 取消 buttons: OK calls ``on_ok`` (which decides whether to close), Cancel closes."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(QCoreApplication.translate("dialogs", "确定"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(QCoreApplication.translate("dialogs", "取消"))
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok
