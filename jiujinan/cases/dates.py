"""Business dates: the one place that parses dates typed by clerks and formats them.

The GUI's date fields and the command line's ``date=`` / ``--date`` take the same forms, so a
clerk who types ``12-1`` in one can type it in the other.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

from jiujinan.cases.errors import ValidationError

_SEP = r"\s*[-/.]\s*"
# 2026-12-01, 2026/12/1, 2026.12.1, 2026年12月1日 (号 as said aloud)
_FULL_RE = re.compile(rf"^(\d{{4}})(?:{_SEP}|\s*年\s*)(\d{{1,2}})(?:{_SEP}|\s*月\s*)(\d{{1,2}})\s*[日号]?$", re.ASCII)
# 12-1, 12/1, 12.1, 12月1日: this year (the year the clerk is working in)
_SHORT_RE = re.compile(rf"^(\d{{1,2}})(?:{_SEP}|\s*月\s*)(\d{{1,2}})\s*[日号]?$", re.ASCII)

FORMS_HINT = "如 2026-12-01、20261201、2026.12.1 或 12-1（不写年份即最近的这一天）"


# Years a business date may have: a slip of the keyboard (0001, 9999) is refused, not stored
# and then printed or filtered on.
FIRST_YEAR, LAST_YEAR = 1900, 2100
# A date or month typed without its year is the nearest one that is at most this far ahead of
# today: 12-28 typed on 2027-01-03 is last December (an application being caught up on), not
# the coming one; a date a few weeks ahead (a notice's end) stays in this year.
AHEAD_DAYS = 31


def parse_date(text: str, *, field: str = "date", label: str = "日期", today: dt.date | None = None) -> dt.date:
    """Parse a date as clerks type it.

    With the year: 2026-12-01, 2026/12/1, 2026.12.1, 2026年12月1日, 20261201. Without it
    (12-1, 12.1, 12/1, 12月1日, 1201) it is the latest such date at most AHEAD_DAYS ahead
    of ``today`` (see _year_of); without ``today`` such a date is
    refused, since the year would be a guess. Raises ValidationError in Chinese.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise ValidationError(f"请填写{label}", field)
    digits = cleaned.isascii() and cleaned.isdigit()
    year: int | None
    if match := _FULL_RE.match(cleaned):
        year, month, day = (int(p) for p in match.groups())
    elif digits and len(cleaned) == 8:
        year, month, day = int(cleaned[:4]), int(cleaned[4:6]), int(cleaned[6:])
    elif digits and len(cleaned) == 4 and int(cleaned[:2]) > 12 and FIRST_YEAR <= int(cleaned) <= LAST_YEAR:
        raise ValidationError(f"{label}只有年份，缺少月和日，如 {cleaned}-12-01", field)
    elif (match := _SHORT_RE.match(cleaned)) or (digits and len(cleaned) == 4):
        parts = match.groups() if match else (cleaned[:2], cleaned[2:])
        if today is None:
            raise ValidationError(f"{label}请写上年份，如 2026-12-01", field)
        month, day = (int(p) for p in parts)
        year = _year_of(today, month, day) if 1 <= month <= 12 else today.year
    else:
        raise ValidationError(f"{label}格式不对，应为 YYYY-MM-DD，{FORMS_HINT}", field)
    if not 1 <= month <= 12:
        raise ValidationError(f"{label}不存在：没有{month}月（{cleaned}）", field)
    if year < 1:
        raise ValidationError(f"{label}不存在：{cleaned}", field)
    _check_year(year, field, label, cleaned)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValidationError(f"{label}不存在：{year}年{month}月只有{last}天（{cleaned}）", field)
    return dt.date(year, month, day)


def _year_of(today: dt.date, month: int, day: int) -> int:
    """The year of a year-less month and day: the latest of next, this and last year whose
    date is at most AHEAD_DAYS ahead of today (1-2 typed on 12-30 is the coming January).
    A 2-29 is placed as if its month ended on the 28th; its year then checks it."""
    for year in (today.year + 1, today.year):
        placed = dt.date(year, month, min(max(day, 1), calendar.monthrange(year, month)[1]))
        if (placed - today).days <= AHEAD_DAYS:
            return year
    return today.year - 1


def _check_year(year: int, field: str, label: str, cleaned: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(f"{label}的年份应在 {FIRST_YEAR} 到 {LAST_YEAR} 之间，不是 {year}（{cleaned}）", field)


_MONTH_RE = re.compile(rf"^(\d{{4}})(?:{_SEP}|\s*年\s*)(\d{{1,2}})\s*月?$", re.ASCII)
_MONTH_SHORT_RE = re.compile(r"^(\d{1,2})\s*月?$", re.ASCII)
_YEAR_ONLY_RE = re.compile(r"^(\d{4})\s*年?$", re.ASCII)


def parse_month(text: str, *, field: str = "month", label: str = "月份", today: dt.date | None = None) -> dt.date:
    """Parse a month as clerks type it (2026-11, 2026.11, 2026年11月, 202611; 11 or 11月 in
    the year of the latest such month at most one month ahead of ``today``'s) into
    the first day of that month. Raises ValidationError in Chinese."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise ValidationError(f"请填写{label}", field)
    if match := _MONTH_RE.match(cleaned):
        year, month = (int(p) for p in match.groups())
    elif cleaned.isascii() and cleaned.isdigit() and len(cleaned) == 6:
        year, month = int(cleaned[:4]), int(cleaned[4:])
    elif match := _MONTH_SHORT_RE.match(cleaned):
        if today is None:
            raise ValidationError(f"{label}请写上年份，如 2026-11", field)
        month = int(match.group(1))
        # the same rule as a year-less date: the latest such month at most one month ahead
        ahead = month - today.month
        year = today.year + 1 if ahead + 12 <= 1 else today.year - 1 if ahead > 1 else today.year
    elif match := _YEAR_ONLY_RE.match(cleaned):
        raise ValidationError(f"{label}只有年份，缺少月份，如 {match.group(1)}-11", field)
    else:
        raise ValidationError(f"{label}格式不对，应为 YYYY-MM，如 2026-11、202611 或 11（最近的这个月）", field)
    if not 1 <= month <= 12 or year < 1:
        raise ValidationError(f"{label}不存在：没有{month}月（{cleaned}）", field)
    _check_year(year, field, label, cleaned)
    return dt.date(year, month, 1)


def format_month(value: dt.date | None) -> str:
    """A month for screens: 2026-11 ("" for none)."""
    return f"{value.year:04d}-{value.month:02d}" if value else ""


def format_date(value: dt.date | None) -> str:
    """ISO form for screens and files: 2026-03-01 ("" for none)."""
    return value.isoformat() if value else ""


def format_date_cn(value: dt.date | None) -> str:
    """The form printed on paper: 2026年3月1日 ("" for none)."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def format_moment(moment: dt.datetime | None) -> str:
    """A stored UTC moment in the PC's local time: 2026-03-01 14:05 ("" for none)."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""
