"""The household-members table of the application form."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate, QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

HEADERS = ("姓名", "关系", "身份证号")  # short: the table is a third of the form wide

EditHint = QAbstractItemDelegate.EndEditHint


class MembersTable(QTableWidget):
    """While a cell is typed in, Tab goes to the next cell; past the last cell (or before the
    first, with Shift+Tab) it leaves the table for the next field instead of wrapping round
    to the first row, where a clerk would be stuck."""

    def closeEditor(self, editor: QWidget, hint: EditHint) -> None:  # noqa: N802
        row, col = self.currentRow(), self.currentColumn()
        last = (row, col) == (self.rowCount() - 1, self.columnCount() - 1)
        first = (row, col) == (0, 0)
        if (hint == EditHint.EditNextItem and last) or (hint == EditHint.EditPreviousItem and first):
            super().closeEditor(editor, EditHint.NoHint)
            self.focusNextPrevChild(hint == EditHint.EditNextItem)
            return
        super().closeEditor(editor, hint)


class MembersEditor(QWidget):
    """Rows of (name, relation, ID number); emits ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = MembersTable(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the ID number takes what the name and relation leave
        metrics = header.fontMetrics()
        header.resizeSection(0, metrics.horizontalAdvance("欧阳小五") + 16)  # a four-character name
        header.resizeSection(1, metrics.horizontalAdvance("外孙女婿") + 16)
        self.table.horizontalHeaderItem(2).setToolTip(self.tr("成员的身份证号可不填"))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(110)
        self.table.setMaximumHeight(170)
        self.table.setTabKeyNavigation(False)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.add_button = QPushButton(self.tr("添加成员"), self)
        self.remove_button = QPushButton(self.tr("删除所选成员"), self)
        self.add_button.clicked.connect(lambda: self.add_row(edit=True))
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add_row(self, values: tuple[str, str, str] = ("", "", ""), *, edit: bool = False) -> None:
        """Append a row (empty by default); with ``edit`` the cursor goes into its name, ready to type."""
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        for col, value in enumerate(values):
            self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.blockSignals(False)
        self.table.setCurrentCell(row, 0)
        self.changed.emit()
        if edit:
            self.table.setFocus()
            self.table.editItem(self.table.item(row, 0))

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.changed.emit()

    def rows(self) -> list[tuple[str, str, str]]:
        """The rows as typed."""
        out = []
        for row in range(self.table.rowCount()):
            cells = []
            for col in range(len(HEADERS)):
                item = self.table.item(row, col)
                cells.append(item.text() if item else "")
            out.append((cells[0], cells[1], cells[2]))
        return out

    def set_rows(self, rows: list[tuple[str, str, str]]) -> None:
        self.table.setRowCount(0)
        for values in rows:
            self.add_row(values)
