"""The society chooser above the work area: with two hundred societies in one database it
filters as one types, by any part of the name or of the area code."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractProxyModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from jiujinan.cases.society import SocietyRecord


MAX_WIDTH = 640  # pixels: a 33-character name at the usual text size, half of a 1366 screen


class SocietyChooser(QComboBox):
    """Pick from the list, or type 青山 or 3418021002 and pick from what matches;
    ``chosen`` carries the society's id."""

    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current_id: int | None = None
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # typing filters; it never adds a society
        self.setMinimumContentsLength(18)
        # The names arrive after the window shows (read on the worker): the box grows to the
        # longest as they come, up to a width that leaves the top bar its user label.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMaximumWidth(MAX_WIDTH)
        self.setMaxVisibleItems(20)
        self.lineEdit().setPlaceholderText(self.tr("输入名称或区划代码筛选"))
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # 青山 finds 青山村…, 1002 finds …100201
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(15)
        self.setCompleter(completer)
        completer.activated[QModelIndex].connect(self._completed)
        # Picked from the list, from the filtered list, or typed in full and Enter: each ends
        # as a new current index (filling the list does not announce: signals are blocked).
        self.currentIndexChanged.connect(self._picked)
        # After the filtered list has had its say (Enter there also ends the editing).
        self.lineEdit().editingFinished.connect(lambda: QTimer.singleShot(0, self, self._show_current))  # dropped with the chooser

    def set_records(self, records: Sequence[SocietyRecord], current_id: int) -> None:
        """Fill the list; show ``current_id`` without announcing a choice. While the clerk is
        picking from the filtered list, a reload (another clerk's change) waits."""
        if self.completer().popup().isVisible():
            return
        self.blockSignals(True)
        self.clear()
        for rec in records:
            self.addItem(rec.label, rec.id)
        self.setCurrentIndex(max(0, self.findData(current_id)))
        self.blockSignals(False)
        self._current_id = current_id
        self._show_name_start()

    def _completed(self, index: QModelIndex) -> None:
        """A society picked from the filtered list becomes the current one."""
        model = self.completer().completionModel()
        source = model.mapToSource(index) if isinstance(model, QAbstractProxyModel) else index
        if source.isValid():
            self.setCurrentIndex(source.row())

    def _picked(self, index: int) -> None:
        society_id = self.itemData(index)
        if society_id is None or int(society_id) == self._current_id:
            return
        self._current_id = int(society_id)
        self.chosen.emit(int(society_id))

    def _show_current(self) -> None:
        """Half-typed text that matches no society goes back to the society at work."""
        if self.completer().popup().isVisible():
            return
        if self.findText(self.currentText()) < 0:
            self.setCurrentIndex(max(0, self.findData(self._current_id)))
        self._show_name_start()

    def _show_name_start(self) -> None:
        """A name longer than the box shows from its start (the society's name, not the tail
        «…互助社（341802100200）»)."""
        self.lineEdit().setCursorPosition(0)
