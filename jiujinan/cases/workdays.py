"""Working-day arithmetic: weekends off, public holidays off, make-up working days on.

Holidays and make-up days (调休) are data, set in the app, not constants: the State Council
publishes them each year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days."""

    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    makeup_workdays: frozenset[dt.date] = field(default_factory=frozenset)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.makeup_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (start itself not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        current = start
        remaining = days
        while remaining:
            current += ONE_DAY
            if self.is_working_day(current):
                remaining -= 1
        return current

    def nth_working_day_from(self, start: dt.date, days: int) -> dt.date:
        """The last day of a period of ``days`` working days beginning on ``start``
        (counted from start when start is a working day, else from the next one)."""
        if days < 1:
            raise ValueError("a period has at least one day")
        current = start
        while not self.is_working_day(current):
            current += ONE_DAY
        return self.add_working_days(current, days - 1)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def period_end(start: dt.date, days: int, working_days: bool, calendar: WorkCalendar) -> dt.date:
    """Last day of a notice of ``days`` days from ``start``: working or calendar days."""
    if working_days:
        return calendar.nth_working_day_from(start, days)
    return start + dt.timedelta(days=days - 1)
