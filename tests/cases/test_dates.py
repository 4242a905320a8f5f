"""Dates typed by clerks, in the forms they use."""

import datetime as dt

import pytest

from jiujinan.cases.dates import AHEAD_DAYS, format_date, format_date_cn, format_month, parse_date, parse_month
from jiujinan.cases.errors import ValidationError

TODAY = dt.date(2026, 11, 20)


@pytest.mark.parametrize("text", ["2026-03-01", "2026/3/1", "2026.3.1", "2026年3月1日", "20260301",
                                  " ２０２６－０３－０１ ", "2026 年 3 月 1 日", "2026年3月1号", "2026. 3. 1",
                                  "2026-3-1", "2026年03月01日"])
def test_accepted_forms(text: str) -> None:
    assert parse_date(text) == dt.date(2026, 3, 1)


@pytest.mark.parametrize(("text", "expected"), [
    ("20261201", dt.date(2026, 12, 1)), ("2026-12-01", dt.date(2026, 12, 1)), ("2026.12.1", dt.date(2026, 12, 1)),
    ("12-1", dt.date(2026, 12, 1)), ("12.1", dt.date(2026, 12, 1)), ("12/1", dt.date(2026, 12, 1)),
    ("1201", dt.date(2026, 12, 1)), ("12月1日", dt.date(2026, 12, 1)), ("3-1", dt.date(2026, 3, 1)),
    ("0301", dt.date(2026, 3, 1)), ("１２－１", dt.date(2026, 12, 1)), ("2025-12-31", dt.date(2025, 12, 31)),
])
def test_forms_with_today(text: str, expected: dt.date) -> None:
    """Without a year the date is in today's year (the clerk's working year)."""
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("", "请填写"), ("  ", "请填写"), ("2026-02-30", "2026年2月只有28天"), ("2024-02-30", "2024年2月只有29天"),
    ("2026-13-01", "没有13月"), ("2026-00-10", "没有0月"), ("2026-04-31", "只有30天"), ("2026-04-00", "只有30天"),
    ("3/1/2026", "格式"), ("2026-3", "格式"), ("二〇二六年三月一日", "格式"), ("12-1-", "格式"), ("abc", "格式"),
    ("202612011", "格式"), ("12345", "格式"), ("0000-01-01", "不存在"), ("1301", "没有13月"), ("2-30", "只有28天"),
    ("2026", "只有年份，缺少月和日"), ("1999", "缺少月和日"), ("0001-01-01", "年份应在 1900 到 2100 之间"),
    ("00010101", "不是 1（"), ("1899-12-31", "1900 到 2100"), ("2101-01-01", "不是 2101"), ("9999年1月1日", "1900 到 2100"),
])
def test_refused_with_reason(text: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason) as caught:
        parse_date(text, field="applied_on", label="申请日期", today=TODAY)
    assert caught.value.errors[0].field == "applied_on"
    assert str(caught.value).startswith("申请日期") or "请填写申请日期" in str(caught.value)


@pytest.mark.parametrize("text", ["12-1", "12月1日", "1201"])
def test_no_year_without_today_is_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="请写上年份"):
        parse_date(text)


def test_every_day_of_a_leap_year_round_trips() -> None:
    day = dt.date(2028, 1, 1)
    while day.year == 2028:
        for text in (format_date(day), format_date_cn(day), day.strftime("%Y%m%d")):
            assert parse_date(text, today=dt.date(2028, 6, 1)) == day
        for typed_on in (day, day + dt.timedelta(days=200), day - dt.timedelta(days=AHEAD_DAYS)):
            assert parse_date(f"{day.month}-{day.day}", today=typed_on) == day  # without the year
        day += dt.timedelta(days=1)


def test_formats() -> None:
    assert format_date(dt.date(2026, 3, 1)) == "2026-03-01"
    assert format_date_cn(dt.date(2026, 3, 1)) == "2026年3月1日"
    assert format_date(None) == format_date_cn(None) == ""


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11", dt.date(2026, 11, 1)), ("2026.3", dt.date(2026, 3, 1)), ("2026/03", dt.date(2026, 3, 1)),
    ("2026年3月", dt.date(2026, 3, 1)), ("202603", dt.date(2026, 3, 1)), ("3", dt.date(2026, 3, 1)),
    ("11月", dt.date(2026, 11, 1)), ("２０２６－１１", dt.date(2026, 11, 1)),
])
def test_month_forms(text: str, expected: dt.date) -> None:
    assert parse_month(text, today=TODAY) == expected
    assert format_month(expected) == f"{expected.year}-{expected.month:02d}"


@pytest.mark.parametrize(("text", "reason"), [("", "请填写"), ("2026-13", "没有13月"), ("0", "没有0月"),
                                              ("2026-11-01", "格式"), ("十一月", "格式")])
def test_month_refused_with_reason(text: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        parse_month(text, today=TODAY)


# A date without its year is the nearest one at most AHEAD_DAYS ahead of today (12-28 typed in
# early January is last December, not a date eleven months ahead).
@pytest.mark.parametrize(("text", "today", "expected"), [
    ("12-28", dt.date(2027, 1, 3), dt.date(2026, 12, 28)),
    ("1228", dt.date(2027, 1, 3), dt.date(2026, 12, 28)),
    ("12月28日", dt.date(2027, 1, 3), dt.date(2026, 12, 28)),
    ("1-3", dt.date(2027, 1, 3), dt.date(2027, 1, 3)),
    ("2-3", dt.date(2027, 1, 3), dt.date(2027, 2, 3)),  # 31 days ahead: a notice's end, this year
    ("2-4", dt.date(2027, 1, 3), dt.date(2026, 2, 4)),  # 32 days ahead: last year's
    ("12-21", dt.date(2026, 11, 20), dt.date(2026, 12, 21)),
    ("12-22", dt.date(2026, 11, 20), dt.date(2025, 12, 22)),
    ("2-29", dt.date(2029, 1, 10), dt.date(2028, 2, 29)),  # last year's, a leap year
    ("1-1", dt.date(2026, 11, 30), dt.date(2026, 1, 1)),
    ("1-2", dt.date(2026, 12, 30), dt.date(2027, 1, 2)),  # early next January, typed at the year's end
    ("1-31", dt.date(2026, 12, 31), dt.date(2027, 1, 31)),
    ("2-1", dt.date(2026, 12, 31), dt.date(2026, 2, 1)),
])
def test_year_less_dates_are_not_far_ahead(text: str, today: dt.date, expected: dt.date) -> None:
    assert parse_date(text, today=today) == expected


@pytest.mark.parametrize(("text", "today", "expected"), [
    ("12", dt.date(2027, 1, 3), dt.date(2026, 12, 1)),
    ("12月", dt.date(2027, 1, 31), dt.date(2026, 12, 1)),
    ("1", dt.date(2027, 1, 3), dt.date(2027, 1, 1)),
    ("2", dt.date(2027, 1, 3), dt.date(2027, 2, 1)),  # next month: this year
    ("3", dt.date(2027, 1, 3), dt.date(2026, 3, 1)),
    ("12", dt.date(2026, 11, 20), dt.date(2026, 12, 1)),
    ("1", dt.date(2026, 12, 5), dt.date(2027, 1, 1)),  # next month, in the next year
    ("2", dt.date(2026, 12, 5), dt.date(2026, 2, 1)),
    ("11", dt.date(2026, 12, 5), dt.date(2026, 11, 1)),
])
def test_year_less_months_are_not_far_ahead(text: str, today: dt.date, expected: dt.date) -> None:
    assert parse_month(text, today=today) == expected


@pytest.mark.parametrize(("text", "reason"), [("2026", "只有年份，缺少月份"), ("2026年", "缺少月份"),
                                              ("0001-01", "1900 到 2100"), ("210101", "不是 2101")])
def test_month_year_is_checked(text: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        parse_month(text, today=TODAY)
