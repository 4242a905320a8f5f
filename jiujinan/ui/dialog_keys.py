"""Keys every editing dialog shares: Ctrl+Enter saves, and Esc, 取消 or closing the window
ask before throwing typed changes away (and do not ask when nothing changed)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton, QComboBox, QDialog, QLineEdit, QMessageBox, QPlainTextEdit, QSpinBox, QWidget,
)


def save_keys(dialog: QDialog, save: Callable[[], object]) -> None:
    """Ctrl+Enter (either Enter key) saves, from any field, a multi-line one included."""
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        QShortcut(QKeySequence(keys), dialog, activated=save)


def ask_discard(parent: QWidget) -> bool:
    """「有未保存的修改，确定放弃吗？」: True for 放弃修改; 继续编辑 is the default and Esc."""
    box = QMessageBox(QMessageBox.Icon.Question, QCoreApplication.translate("dialogs", "未保存的修改"),
                      QCoreApplication.translate("dialogs", "有未保存的修改，确定放弃吗？"),
                      QMessageBox.StandardButton.NoButton, parent)
    discard = box.addButton(QCoreApplication.translate("dialogs", "放弃修改"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(QCoreApplication.translate("dialogs", "继续编辑"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


def field_values(widgets: Iterable[QWidget]) -> tuple[object, ...]:
    """What the clerk can change in ``widgets``, to compare with how the dialog opened."""
    values: list[object] = []
    for widget in widgets:
        if isinstance(widget, QPlainTextEdit):
            values.append(widget.toPlainText())
        elif isinstance(widget, QLineEdit):
            values.append(widget.text())
        elif isinstance(widget, QComboBox):
            values.append((widget.currentIndex(), widget.currentText()))  # an editable one: typed text too
        elif isinstance(widget, QSpinBox):
            values.append(widget.value())
        elif isinstance(widget, QAbstractButton):
            values.append(widget.isChecked())
    return tuple(values)


class AsksBeforeDiscarding:
    """Mixin for a QDialog (listed before it): reject() — Esc, 取消, the window's close
    button — asks first when ``current_values()`` differs from when the dialog opened."""

    _opened_with: object = None

    def current_values(self) -> object:
        """What the clerk typed (each dialog says what counts)."""
        raise NotImplementedError

    def mark_unchanged(self) -> None:
        """What is in the fields now is what the dialog opened with (after filling them)."""
        self._opened_with = self.current_values()

    def has_changes(self) -> bool:
        return self._opened_with is not None and self.current_values() != self._opened_with

    def ask_discard(self) -> bool:
        """Whether to throw the changes away (tests replace this)."""
        return ask_discard(self)  # type: ignore[arg-type]

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self._opened_with is None:
            self.mark_unchanged()
        super().showEvent(event)  # type: ignore[misc]

    def reject(self) -> None:
        ui = getattr(self, "ui", None)
        if ui is not None and ui.ops.saving(self):
            return  # its save is under way: it closes when the save lands, or says why not
        if self.has_changes() and not self.ask_discard():
            return  # 继续编辑
        super().reject()  # type: ignore[misc]


class _TypeOn(QObject):
    """Entering the field puts the cursor after its text instead of selecting it all."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            QTimer.singleShot(0, watched, lambda: watched.end(False))  # after Qt's select-all on Tab (dropped with the field)
        return False


def type_on(edit: QLineEdit) -> None:
    """For a field filled in advance to be added to (调查人 「王会计，」): Tab into it and type
    the next name, instead of the first key wiping the prefilled one."""
    edit.installEventFilter(_TypeOn(edit))
