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


def parse_calendar_lines(text: str) -> list[tuple[dt.date, bool, str]]:
    """Holiday lines as a clerk types them: "2026-10-01 休 国庆节" or "2026-10-10 班 调休".

    Returns (date, is a working day, name); raises ValidationError naming every bad line.
    """
    from jiujinan.cases.dates import parse_date
    from jiujinan.cases.errors import FieldError, ValidationError

    days: dict[dt.date, tuple[dt.date, bool, str]] = {}
    errors: list[FieldError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) < 2 or parts[1] not in ("休", "班"):
            errors.append(FieldError("calendar", f"第{number}行应为“日期 休/班 名称”，如 2026-10-01 休 国庆节"))
            continue
        try:
            day = parse_date(parts[0], field="calendar")
        except ValidationError as err:
            errors.append(FieldError("calendar", f"第{number}行：{err}"))
            continue
        days[day] = (day, parts[1] == "班", " ".join(parts[2:])[:40])
    if errors:
        raise ValidationError(errors)
    return sorted(days.values())


def format_calendar_lines(days: list[tuple[dt.date, bool, str]]) -> str:
    """The holiday list in the form parse_calendar_lines reads."""
    return "\n".join(f"{d.isoformat()} {'班' if working else '休'} {name}".rstrip() for d, working, name in days)
