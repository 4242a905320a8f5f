"""One field per date: typed as the clerk likes (20261201, 2026.12.1, 12-1 …), one Tab leaves
it, and a calendar pops up on demand (the button at its end, F4 or Alt+↓).

QDateEdit split a date into three sections, each a Tab stop, and typed digits landed in
whichever section the cursor was in; this field reads the whole text with the domain's
``parse_date``, the same rule the command line uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QLocale, QPoint, Qt
from PySide6.QtGui import QAction, QColor, QFocusEvent, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import QCalendarWidget, QFrame, QLineEdit, QVBoxLayout, QWidget

from jiujinan.cases.dates import format_date, format_month, parse_date, parse_month
from jiujinan.cases.errors import ValidationError
from jiujinan.ui.field_errors import FieldBox

Today = Callable[[], dt.date]


def _calendar_icon() -> QIcon:
    """A small calendar drawn here (no icon files to ship)."""
    pix = QPixmap(16, 16)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setPen(QColor("#555555"))
    p.drawRect(1, 2, 13, 12)
    p.fillRect(2, 3, 12, 3, QColor("#c62828"))
    for x in (4, 7, 10):
        for y in (8, 11):
            p.drawPoint(x, y)
    p.end()
    return QIcon(pix)


class _CalendarPopup(QFrame):
    """The calendar under the field; Enter or a click takes the day, Esc closes it."""

    def __init__(self, owner: DateEdit) -> None:
        super().__init__(owner, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.Box)
        self.owner = owner
        self.calendar = QCalendarWidget(self)
        self.calendar.setGridVisible(True)
        self.calendar.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))  # 十一月, 周一
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.clicked.connect(self._take)
        self.calendar.activated.connect(self._take)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)

    def _take(self, day: QDate) -> None:
        self.close()
        self.owner.setDate(day.toPython())
        self.owner.setFocus(Qt.FocusReason.PopupFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            self.owner.setFocus(Qt.FocusReason.PopupFocusReason)
            return
        super().keyPressEvent(event)


class DateEdit(QLineEdit):
    """A date typed in one go; ``date()`` is a ``datetime.date`` (None while empty or wrong).

    ``optional`` fields may be left empty. A wrong date is said beside the field when the
    field sits in a FieldBox (the form's error line), else in the tooltip and a red border.
    Users follow it with QLineEdit's own textChanged / textEdited and read ``date()``: no
    signal of its own, because PySide6 6.12.0 drops a reference to True on every emit()
    made from Python, and a field emits on every keystroke.
    """

    def __init__(self, today: Today, value: dt.date | None = None, *, optional: bool = False,
                 field: str = "date", label: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.optional = optional
        self.field = field
        self.label = label if label is not None else self.tr("日期")
        self._date: dt.date | None = None
        self._shown_error = ""
        self.popup: _CalendarPopup | None = None
        self.setPlaceholderText(self._placeholder())
        self.setToolTip(self._hint())
        self.calendar_action = QAction(_calendar_icon(), self.tr("选择日期（F4）"), self)
        self.calendar_action.triggered.connect(self.show_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.textChanged.connect(self._on_text)
        self.editingFinished.connect(self._tidy)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("2026-12-01") + 48)
        if value is not None:
            self.setDate(value)

    # --- what the rule is: a date (MonthEdit overrides these two) -----------------------------
    def _parse(self, text: str) -> dt.date:
        return parse_date(text, field=self.field, label=self.label, today=self._today())

    def _format(self, value: dt.date | None) -> str:
        return format_date(value)

    def _placeholder(self) -> str:
        return self.tr("如 2026-12-01 或 12-1")

    def _hint(self) -> str:
        return self.tr("可输入 20261201、2026-12-01、2026.12.1 或 12-1（不写年份即最近的这一天）；F4 打开日历")

    # --- the QDateEdit-like API ---------------------------------------------------------------
    def date(self) -> dt.date | None:
        """The date typed, or None while the field is empty or not a date."""
        return self._date

    def setDate(self, value: dt.date | None) -> None:  # noqa: N802 - as QDateEdit
        """Show ``value`` as 2026-12-01 (None empties the field)."""
        self.setText(self._format(value))

    def value(self) -> dt.date | None:
        """The date, or a ValidationError in Chinese naming this field (None only when optional)."""
        if not self.text().strip() and self.optional:
            return None
        return self._parse(self.text())

    def problem(self) -> str:
        """What is wrong with the text ("" when it is a date, or empty and optional)."""
        try:
            self.value()
        except ValidationError as err:
            return str(err)
        return ""

    # --- as the clerk types -------------------------------------------------------------------
    def _on_text(self, _text: str) -> None:
        try:
            self._date = self.value()
        except ValidationError:
            self._date = None
        if self._shown_error and not self.problem():
            self._say("")  # fixed: the message goes as soon as the date is right

    def _tidy(self) -> None:
        """Leaving the field: a date is shown as 2026-12-01, a wrong one is said beside it."""
        if self._date is not None and self.text() != self._format(self._date):
            self.setText(self._format(self._date))
        self._say(self.problem() if self.text().strip() or not self.optional else "")

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self._tidy()

    def _say(self, message: str) -> None:
        box = self.parentWidget()
        if isinstance(box, FieldBox) and box.field is self:
            if message or self._shown_error:
                box.set_error(message or None)
        else:
            self.setStyleSheet("border: 1px solid #b00020;" if message else "")
            self.setToolTip(message or self._hint())
        self._shown_error = message

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier):
            self.show_calendar()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self._date is not None and not mods:
            self._step(1 if key == Qt.Key.Key_Up else -1)
            return
        super().keyPressEvent(event)

    def _step(self, direction: int) -> None:
        """↑/↓ move the date by a day, as in QDateEdit."""
        assert self._date is not None
        self.setDate(self._date + dt.timedelta(days=direction))

    def show_calendar(self) -> _CalendarPopup:
        """Open the calendar under the field at the date typed (today when none)."""
        if self.popup is None:
            self.popup = _CalendarPopup(self)
        day = self._date or self._today()
        self.popup.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self.popup.adjustSize()
        self.popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self.popup.show()
        self.popup.calendar.setFocus()
        return self.popup


class MonthEdit(DateEdit):
    """A month in one field (2026-11, 202611, or 11: the latest November); ``date()`` is its
    first day."""

    def __init__(self, today: Today, value: dt.date | None = None, *, optional: bool = False,
                 field: str = "month", label: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(today, value, optional=optional, field=field,
                         label=label if label is not None else self.tr("月份"), parent=parent)

    def _parse(self, text: str) -> dt.date:
        return parse_month(text, field=self.field, label=self.label, today=self._today())

    def _format(self, value: dt.date | None) -> str:
        return format_month(value)

    def _placeholder(self) -> str:
        return self.tr("如 2026-11 或 11")

    def _hint(self) -> str:
        return self.tr("可输入 2026-11、202611 或 11（最近的这个月）；F4 打开日历")

    def _step(self, direction: int) -> None:
        """↑/↓ move by a month."""
        assert self._date is not None
        month = self._date.year * 12 + self._date.month - 1 + direction
        self.setDate(dt.date(month // 12, month % 12 + 1, 1))
