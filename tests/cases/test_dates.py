"""Dates typed by clerks, in the forms they use."""

import datetime as dt

import pytest

from jiujinan.cases.dates import format_date, format_date_cn, format_month, parse_date, parse_month
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
        for text in (format_date(day), format_date_cn(day), day.strftime("%Y%m%d"), f"{day.month}-{day.day}"):
            assert parse_date(text, today=dt.date(2028, 6, 1)) == day
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
