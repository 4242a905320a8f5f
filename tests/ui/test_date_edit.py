"""A date is one field: typed in any of the clerk's forms, left with one Tab, a calendar on F4."""

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from jiujinan.ui.application_form import ApplicationForm
from jiujinan.ui.date_edit import DateEdit, MonthEdit
from jiujinan.ui.field_errors import FieldBox
from tests.conftest import TODAY
from tests.ui.typing import type_text

DEC_1 = dt.date(2026, 12, 1)


def form_with(qtbot, edit: QWidget) -> tuple[QWidget, FieldBox, QLineEdit]:  # noqa: ANN001
    """The date in a FieldBox, between two line edits, in a shown window."""
    window = QWidget()
    layout = QFormLayout(window)
    before, after = QLineEdit(), QLineEdit()
    box = FieldBox(edit)
    layout.addRow("前", before)
    layout.addRow("日期", box)
    layout.addRow("后", after)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    return window, box, after


@pytest.mark.parametrize("typed", ["20261201", "2026-12-01", "2026.12.1", "12-1", "12.1", "1201", "2026年12月1日"])
def test_each_form_then_one_tab(qtbot, typed: str) -> None:  # noqa: ANN001
    edit = DateEdit(lambda: TODAY, TODAY)
    _window, box, after = form_with(qtbot, edit)
    edit.setFocus()
    edit.selectAll()
    type_text(qtbot, edit, typed)  # 年月日 arrive as an input method commits them
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert after.hasFocus()  # one Tab, and the cursor is in the next field
    assert edit.date() == DEC_1 and edit.text() == "2026-12-01"
    assert box.error.text() == ""


def test_a_wrong_date_is_said_beside_the_field_until_fixed(qtbot) -> None:  # noqa: ANN001
    edit = DateEdit(lambda: TODAY, TODAY, label="发放日期")
    _window, box, after = form_with(qtbot, edit)
    changes = []
    edit.textChanged.connect(lambda _t: changes.append(edit.date()))
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "2026-02-30")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert after.hasFocus()
    assert edit.date() is None and edit.text() == "2026-02-30"
    assert box.error.text() == "发放日期不存在：2026年2月只有28天（2026-02-30）" and not box.error.isHidden()
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_End)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, "28")
    assert box.error.text() == "" and edit.date() == dt.date(2026, 2, 28)
    assert changes[0] is None and changes[-1] == dt.date(2026, 2, 28)


def test_required_and_optional(qtbot) -> None:  # noqa: ANN001
    required = DateEdit(lambda: TODAY, label="结案日期")
    optional = DateEdit(lambda: TODAY, optional=True)
    qtbot.addWidget(required)
    qtbot.addWidget(optional)
    assert required.date() is None and required.problem() == "请填写结案日期"
    assert optional.value() is None and optional.problem() == ""
    optional.setDate(DEC_1)
    assert optional.value() == DEC_1
    optional.setDate(None)
    assert optional.text() == "" and optional.date() is None


def test_calendar_on_f4_takes_the_day_with_enter(qtbot) -> None:  # noqa: ANN001
    edit = DateEdit(lambda: TODAY, TODAY)
    _window, _box, _after = form_with(qtbot, edit)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_F4)
    popup = edit.popup
    assert popup is not None and popup.isVisible()
    assert popup.calendar.selectedDate() == QDate(2026, 11, 20)
    qtbot.keyClick(popup.calendar.focusWidget(), Qt.Key.Key_Right)  # the next day
    qtbot.keyClick(popup.calendar.focusWidget(), Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert edit.date() == dt.date(2026, 11, 21) and edit.text() == "2026-11-21"
    qtbot.keyClick(edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert popup.isVisible()
    qtbot.keyClick(popup.calendar.focusWidget(), Qt.Key.Key_Escape)
    assert not popup.isVisible() and edit.date() == dt.date(2026, 11, 21)


def test_up_and_down_move_a_day(qtbot) -> None:  # noqa: ANN001
    edit = DateEdit(lambda: TODAY, dt.date(2026, 11, 30))
    qtbot.addWidget(edit)
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.date() == DEC_1
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert edit.text() == "2026-11-29"


def test_month_field(qtbot) -> None:  # noqa: ANN001
    edit = MonthEdit(lambda: TODAY, dt.date(2026, 11, 1))
    _window, box, after = form_with(qtbot, edit)
    assert edit.text() == "2026-11"
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "3")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert after.hasFocus() and edit.text() == "2026-03" and edit.date() == dt.date(2026, 3, 1)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert edit.text() == "2026-02"


def type_date_then_tab(qtbot, form: ApplicationForm, typed: str) -> None:  # noqa: ANN001
    """Show the form, type over the application date, press Tab once."""
    qtbot.addWidget(form)
    with qtbot.waitActive(form):
        form.show()
    form.applied_on.setFocus()
    form.applied_on.selectAll()
    qtbot.keyClicks(form.applied_on, typed)
    qtbot.keyClick(form.applied_on, Qt.Key.Key_Tab)


@pytest.mark.parametrize("typed", ["20261101", "2026-11-01", "2026.11.1", "11-1", "1101"])
def test_application_date_takes_one_tab(qtbot, session, typed: str) -> None:  # noqa: ANN001
    form = ApplicationForm(session)
    type_date_then_tab(qtbot, form, typed)
    assert form.repeat_reason.hasFocus()
    assert form.form_input().applied_on == dt.date(2026, 11, 1)
    assert form.applied_on.text() == "2026-11-01" and form.error_for("applied_on") == ""


def test_application_date_errors_say_why(qtbot, session) -> None:  # noqa: ANN001
    form = ApplicationForm(session)
    type_date_then_tab(qtbot, form, "2026-11-31")
    assert "2026年11月只有30天" in form.error_for("applied_on")
    form.applied_on.setFocus()
    form.applied_on.selectAll()
    qtbot.keyClicks(form.applied_on, "12-1")  # after today (2026-11-20)
    assert form.error_for("applied_on") == "申请日期不能晚于今天"


def test_the_button_at_the_end_opens_the_calendar_and_a_click_takes_a_day(qtbot) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QToolButton

    edit = DateEdit(lambda: TODAY, TODAY)
    _window, _box, _after = form_with(qtbot, edit)
    (button,) = edit.findChildren(QToolButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    popup = edit.popup
    assert popup is not None and popup.isVisible()
    popup.calendar.clicked.emit(QDate(2026, 11, 2))  # a click on the 2nd
    assert not popup.isVisible() and edit.text() == "2026-11-02" and edit.hasFocus()
