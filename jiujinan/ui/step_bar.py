"""The step bar across the top of a case: done, current, skipped, stopped."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from jiujinan.cases.progress import Mark

_STYLE = {
    Mark.DONE: "background:#d8ecd8; color:#1d5e20;",
    Mark.CURRENT: "background:#1f6fbf; color:white; font-weight:bold;",
    Mark.TODO: "background:#eeeeee; color:#777777;",
    Mark.SKIPPED: "background:#f7f7f7; color:#aaaaaa; text-decoration:line-through;",
    Mark.STOPPED: "background:#c62828; color:white; font-weight:bold;",
    Mark.RETURNED: "background:#ef8f00; color:white; font-weight:bold;",
}
_HINT = {
    Mark.DONE: "已完成",
    Mark.CURRENT: "当前",
    Mark.TODO: "未到",
    Mark.SKIPPED: "金额在下级限额内，不需要",
    Mark.STOPPED: "在此不予救助",
    Mark.RETURNED: "在此退回补充材料",
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
            self.labels.pop().deleteLater()
        for text, mark in steps:
            label = QLabel(text, self)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet(_STYLE[mark] + "padding:6px 4px; border-radius:3px;")
            label.setToolTip(self.tr(_HINT[mark]))
            label.setProperty("mark", mark.value)
            self._layout.addWidget(label, 1)
            self.labels.append(label)

    def marks(self) -> dict[str, str]:
        """Step label → mark, as shown (for tests and accessibility)."""
        return {label.text(): label.property("mark") for label in self.labels}
