"""Time is passed in: rules take a clock; only the edge of the program reads the real one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


class Clock(Protocol):
    """Where "now" comes from."""

    def now(self) -> dt.datetime:
        """The current moment, aware, in UTC."""

    def today(self) -> dt.date:
        """The local business date (applied on, notice ends, paid on)."""


class SystemClock:
    """The real clock; used only where the program starts."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)

    def today(self) -> dt.date:
        return dt.date.today()


@dataclass
class FixedClock:
    """A clock that says what it is told: what tests pass where the program passes SystemClock."""

    moment: dt.datetime

    def now(self) -> dt.datetime:
        return self.moment

    def today(self) -> dt.date:
        return self.moment.date()
