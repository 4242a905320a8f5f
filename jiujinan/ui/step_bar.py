"""The step bar across the top of a case: done, current, skipped, stopped."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from jiujinan.cases.progress import Mark

_STYLE = {
    Mark.DONE: "background:#d8ecd8; color:#1d5e20;",
    Mark.CURRENT: "background:#1f6fbf; color:white; font-weight:bold;",
    Mark.TODO: "background:#eeeeee; color:#777777;",
    Mark.SKIPPED: "background:#f7f7f7; color:#aaaaaa; text-decoration:line-through;",
    Mark.STOPPED: "background:#c62828; color:white; font-weight:bold;",
    Mark.RETURNED: "background:#ef8f00; color:white; font-weight:bold;",
    Mark.WITHDRAWN: "background:#616161; color:white; font-weight:bold;",
}
_HINT = {
    Mark.DONE: QT_TRANSLATE_NOOP("StepBar", "已完成"),
    Mark.CURRENT: QT_TRANSLATE_NOOP("StepBar", "当前"),
    Mark.TODO: QT_TRANSLATE_NOOP("StepBar", "未到"),
    Mark.SKIPPED: QT_TRANSLATE_NOOP("StepBar", "未经此步（金额在下级限额内不需要，或案件已在前面结束）"),
    Mark.STOPPED: QT_TRANSLATE_NOOP("StepBar", "在此不予救助"),
    Mark.RETURNED: QT_TRANSLATE_NOOP("StepBar", "在此退回补充材料"),
    Mark.WITHDRAWN: QT_TRANSLATE_NOOP("StepBar", "在此撤回"),
}


# Where a case ended, said in the box itself (colour alone is not enough to read).
_SAID = {
    Mark.WITHDRAWN: QT_TRANSLATE_NOOP("StepBar", "已撤回"),
    Mark.STOPPED: QT_TRANSLATE_NOOP("StepBar", "不予救助"),
}


class StepBar(QWidget):
    """A row of labelled boxes, one per step; colours say where the case stands."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.labels: list[QLabel] = []

    def set_steps(self, steps: list[tuple[str, Mark]] | tuple[tuple[str, Mark], ...]) -> None:
        while self.labels:
            old = self.labels.pop()
            old.hide()  # gone at once, not when the event loop gets round to deleting it
            self._layout.removeWidget(old)
            old.deleteLater()
        for text, mark in steps:
            # A skipped step is drawn with a dash; the step where the case ended says how.
            shown = f"— {text} —" if mark is Mark.SKIPPED else f"{text}\n{self.tr(_SAID[mark])}" \
                if mark in _SAID else text
            label = QLabel(shown, self)
            label.setProperty("step", text)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet(_STYLE[mark] + "padding:6px 4px; border-radius:3px;")
            label.setToolTip(self.tr(_HINT[mark]))
            label.setProperty("mark", mark.value)
            self._layout.addWidget(label, 1)
            self.labels.append(label)

    def marks(self) -> dict[str, str]:
        """Step label → mark, as shown (for tests and accessibility)."""
        return {label.property("step"): label.property("mark") for label in self.labels}
