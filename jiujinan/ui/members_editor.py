"""The household-members table of the application form."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate, QAbstractItemView, QHBoxLayout, QHeaderView, QLineEdit, QPushButton, QStyledItemDelegate,
    QStyleOptionViewItem, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from jiujinan.cases.application import MAX_AGE, MEMBER_CELLS

# One table drives the columns: header, the text that sizes it, the longest value typed
# (the form's rules say what is wrong with a value; this only stops a slip of the keyboard).
COLUMNS = (
    (QT_TRANSLATE_NOOP("MembersEditor", "姓名"), "欧阳小五", 30),  # a four-character name
    (QT_TRANSLATE_NOOP("MembersEditor", "关系"), "外孙女婿", 20),
    (QT_TRANSLATE_NOOP("MembersEditor", "身份证号"), "340000000000000000", 18),
    (QT_TRANSLATE_NOOP("MembersEditor", "年龄"), "年龄", len(str(MAX_AGE))),
    (QT_TRANSLATE_NOOP("MembersEditor", "收入来源"), "", 40),  # takes what the others leave
)
HEADERS = tuple(c[0] for c in COLUMNS)  # short: the table is a third of the form wide
assert len(HEADERS) == MEMBER_CELLS
AGE_COLUMN = 3

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


class _CellDelegate(QStyledItemDelegate):
    """Each column's editor takes no more characters than its value may have."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            editor.setMaxLength(COLUMNS[index.column()][2])
        return editor


class MembersEditor(QWidget):
    """Rows of (name, relation, ID number, age, income source); emits ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = MembersTable(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the income source takes what the others leave
        metrics = header.fontMetrics()
        for col, (_title, sample, _max) in enumerate(COLUMNS[:-1]):
            header.resizeSection(col, metrics.horizontalAdvance(sample) + 16)
        header.setMinimumSectionSize(metrics.horizontalAdvance(self.tr("年龄")) + 12)
        self.table.horizontalHeaderItem(2).setToolTip(self.tr("成员的身份证号可不填"))
        self.table.horizontalHeaderItem(AGE_COLUMN).setToolTip(
            self.tr("周岁，0到120；填了身份证号可不填，按出生日期计算"))
        self.table.horizontalHeaderItem(4).setToolTip(self.tr("如：务工、务农、养老金、低保金、无"))
        self.table.setItemDelegate(_CellDelegate(self.table))
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

    def add_row(self, values: tuple[str, ...] = (), *, edit: bool = False) -> None:
        """Append a row (empty by default); with ``edit`` the cursor goes into its name, ready to type."""
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        for col, value in enumerate((tuple(values) + ("",) * MEMBER_CELLS)[:MEMBER_CELLS]):
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

    def rows(self) -> list[tuple[str, ...]]:
        """The rows as typed, five cells each (姓名, 关系, 身份证号, 年龄, 收入来源)."""
        out = []
        for row in range(self.table.rowCount()):
            cells = []
            for col in range(len(HEADERS)):
                item = self.table.item(row, col)
                cells.append(item.text() if item else "")
            out.append(tuple(cells))
        return out

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self.table.setRowCount(0)
        for values in rows:
            self.add_row(values)
