"""Working days: weekends, public holidays and make-up days; notice periods."""

import datetime as dt

from hypothesis import given, strategies as st

from jiujinan.cases.workdays import WorkCalendar, period_end

D = dt.date
# 2026 National Day: 1–7 October off, Sunday 27 September and Saturday 10 October worked.
NATIONAL_DAY = WorkCalendar(
    holidays=frozenset(D(2026, 10, d) for d in range(1, 8)),
    makeup_workdays=frozenset({D(2026, 9, 27), D(2026, 10, 10)}),
)


def test_weekends_are_skipped() -> None:
    plain = WorkCalendar()
    assert plain.add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday → Monday
    assert plain.add_working_days(D(2026, 11, 16), 5) == D(2026, 11, 23)
    assert plain.working_days_between(D(2026, 11, 20), D(2026, 11, 23)) == 1


def test_holidays_and_makeup_days() -> None:
    assert NATIONAL_DAY.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert NATIONAL_DAY.is_working_day(D(2026, 10, 10))  # a Saturday worked
    assert NATIONAL_DAY.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)


def test_notice_periods() -> None:
    plain = WorkCalendar()
    # Five working days starting Monday end on Friday; starting on Saturday, next Friday.
    assert period_end(D(2026, 11, 16), 5, True, plain) == D(2026, 11, 20)
    assert period_end(D(2026, 11, 21), 5, True, plain) == D(2026, 11, 27)
    assert period_end(D(2026, 11, 16), 7, False, plain) == D(2026, 11, 22)
    assert period_end(D(2026, 9, 29), 5, True, NATIONAL_DAY) == D(2026, 10, 10)


@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)), st.integers(0, 60))
def test_adding_then_counting_agrees(start: dt.date, days: int) -> None:
    end = NATIONAL_DAY.add_working_days(start, days)
    assert NATIONAL_DAY.working_days_between(start, end) == days
    assert days == 0 or NATIONAL_DAY.is_working_day(end)


def test_calendar_lines_round_trip_and_errors() -> None:
    import pytest

    from jiujinan.cases.errors import ValidationError
    from jiujinan.cases.workdays import format_calendar_lines, parse_calendar_lines

    text = "2026-10-01 休 国庆节\n\n2026/10/10 班 国庆调休\n2026-10-02 休"
    days = parse_calendar_lines(text)
    assert days == [(D(2026, 10, 1), False, "国庆节"), (D(2026, 10, 2), False, ""), (D(2026, 10, 10), True, "国庆调休")]
    assert parse_calendar_lines(format_calendar_lines(days)) == days
    with pytest.raises(ValidationError) as info:
        parse_calendar_lines("2026-10-01 放假\n2026-02-30 休")
    assert [e.message[:3] for e in info.value.errors] == ["第1行", "第2行"]
