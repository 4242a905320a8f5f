"""Dates typed by clerks, in the forms they use."""

import datetime as dt

import pytest

from jiujinan.cases.dates import format_date, format_date_cn, parse_date
from jiujinan.cases.errors import ValidationError


@pytest.mark.parametrize("text", ["2026-03-01", "2026/3/1", "2026.3.1", "2026年3月1日", "20260301",
                                  " ２０２６－０３－０１ ", "2026 年 3 月 1 日"])
def test_accepted_forms(text: str) -> None:
    assert parse_date(text) == dt.date(2026, 3, 1)


@pytest.mark.parametrize(("text", "reason"), [("", "请填写"), ("2026-02-30", "不存在"), ("3/1/2026", "格式"),
                                              ("2026-3", "格式"), ("二〇二六年三月一日", "格式")])
def test_refused_with_reason(text: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        parse_date(text, field="applied_on", label="申请日期")


def test_formats() -> None:
    assert format_date(dt.date(2026, 3, 1)) == "2026-03-01"
    assert format_date_cn(dt.date(2026, 3, 1)) == "2026年3月1日"
    assert format_date(None) == format_date_cn(None) == ""
