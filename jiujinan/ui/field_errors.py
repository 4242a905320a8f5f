"""Validation messages shown next to the field they are about, not in a popup."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractSpinBox, QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from jiujinan.cases.errors import FieldError, ValidationError
from jiujinan.ui.errors import message_for
from jiujinan.ui.screen_fit import room_height

ERROR_STYLE = "color: #b00020;"
INVALID_STYLE = "border: 1px solid #b00020;"

Check = Callable[[], "str | None"]  # the field's message now, or None when its value is right


# Which signal says a widget's value changed, by kind of widget (first match wins).
_EDITED = ((QLineEdit, "textChanged"), (QPlainTextEdit, "textChanged"), (QSpinBox, "valueChanged"),
           (QComboBox, "currentIndexChanged"), (QAbstractButton, "toggled"))


def edited_signal(field: QWidget):  # noqa: ANN201 - a bound Qt signal
    """The signal a widget sends when its value changes, or None."""
    name = next((signal for kind, signal in _EDITED if isinstance(field, kind)), "changed")
    return getattr(field, name, None)


class FieldBox(QWidget):
    """An input with its error line beneath it; the line is hidden while the input is fine.

    The input keeps its width and height while the line shows (the line takes a row of its
    own, and a red frame does not change a line edit's height). Editing the input checks it
    again with ``check`` and clears the line once the value is right (a form that checks as
    one types by itself, like the application form, gives no check)."""

    def __init__(self, field: QWidget, parent: QWidget | None = None, *, check: Check | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.check = check
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
        signal = edited_signal(field)
        if signal is not None:
            signal.connect(self._edited)

    def has_error(self) -> bool:
        return not self.error.isHidden()

    def set_error(self, message: str | None) -> None:
        """Show ``message`` under the field, or clear it."""
        self.error.setText(message or "")
        self.error.setToolTip(message or "")
        self.error.setVisible(bool(message))
        if isinstance(self.field, (QLineEdit, QComboBox, QAbstractSpinBox)):
            # A styled border gives a line edit a smaller size hint: keep the height it had
            # (measured before the frame turns red; free again once the error goes).
            if message and not self.field.property("invalid"):
                self.field.setMinimumHeight(self.field.sizeHint().height())
            elif not message:
                self.field.setMinimumHeight(0)
        self.field.setProperty("invalid", bool(message))
        self.field.setStyleSheet(INVALID_STYLE if message else "")
        if message:
            grow_window(self)

    def _edited(self, *_args: object) -> None:
        if self.check is not None and self.has_error():
            self.set_error(self.check())


def grow_window(widget: QWidget) -> None:
    """Make the window tall enough for what its layout now holds. Qt grows a window to its
    layout's minimum, but a window with a wrapped line (a word-wrapped explanation) needs
    more than that minimum, and without this the new error line squeezes the fields."""
    window = widget.window()
    layout = window.layout()
    if window is widget or layout is None or not window.isVisible():
        return
    layout.activate()
    width = window.width()
    needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalMinimumSize().height()
    if needed > window.height():
        window.resize(width, min(needed, window.maximumHeight(), room_height(window)))


def message_of(errors: list[FieldError], field: str) -> str | None:
    """The first message about ``field`` in ``errors``."""
    return next((e.message for e in errors if e.field == field), None)


def check_by(boxes: dict[str, FieldBox], errors_now: Callable[[], list[FieldError]]) -> None:
    """Give each box a check that runs the whole form's validation (``errors_now``) and
    picks the box's own message."""
    for name, box in boxes.items():
        box.check = lambda name=name: message_of(errors_now(), name)


def errors_of(build: Callable[[], object]) -> list[FieldError]:
    """The field errors ``build`` raises (none when it succeeds)."""
    try:
        build()
    except ValidationError as err:
        return list(err.errors)
    return []


def show_refusal(err: BaseException, boxes: dict[str, FieldBox], banner: QLabel, *,
                 banner_too: bool = False) -> None:
    """Where an operation's refusal is said in a dialog: each field's message beside its
    field, and in the banner what no field holds (or everything, with ``banner_too``)."""
    beside = False
    if isinstance(err, ValidationError):
        for e in err.errors:
            if e.field in boxes:
                boxes[e.field].set_error(e.message)
                beside = True
    if banner_too or not beside:
        banner.setText(message_for(err))
        banner.show()


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
