"""The keyboard as a clerk uses it all day: members table, case list, shortcuts, one window
per case, and no edits thrown away without asking."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from jiujinan.ui.application_form import ApplicationForm
from tests.ui.typing import type_text


def shown(qtbot, widget):  # noqa: ANN001, ANN201
    qtbot.addWidget(widget)
    with qtbot.waitActive(widget):
        widget.show()
    return widget


def test_add_member_puts_the_cursor_in_the_new_row_and_tab_leaves_the_table(qtbot, session) -> None:  # noqa: ANN001
    form = shown(qtbot, ApplicationForm(session))
    members = form.members
    qtbot.mouseClick(members.add_button, Qt.MouseButton.LeftButton)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and members.table.isAncestorOf(editor)  # typing in the cell
    assert (members.table.currentRow(), members.table.currentColumn()) == (0, 0)
    type_text(qtbot, editor, "钱小梅")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    editor = QApplication.focusWidget()
    assert members.table.currentColumn() == 1 and members.table.isAncestorOf(editor)
    type_text(qtbot, editor, "配偶")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # the ID number may stay empty
    assert QApplication.focusWidget() is members.add_button  # out of the table, not back to row 1
    assert members.rows() == [("钱小梅", "配偶", "")]
    qtbot.keyClick(members.add_button, Qt.Key.Key_Space)  # another member, from the keyboard
    assert members.table.currentRow() == 1 and members.table.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert members.table.currentRow() == 0 and members.table.currentColumn() == 2  # Shift+Tab goes back


def test_tab_without_editing_leaves_the_table(qtbot, session) -> None:  # noqa: ANN001
    form = shown(qtbot, ApplicationForm(session))
    form.members.set_rows([("李四", "配偶", ""), ("张小五", "子", "")])
    form.members.table.setFocus()
    qtbot.keyClick(form.members.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.members.add_button
