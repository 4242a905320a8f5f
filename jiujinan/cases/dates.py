"""Business dates: the one place that parses dates typed by clerks and formats them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from jiujinan.cases.errors import ValidationError

_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$", re.ASCII)


def parse_date(text: str, *, field: str = "date", label: str = "日期") -> dt.date:
    """Parse 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日 or 20260301 into a date."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise ValidationError(f"请填写{label}", field)
    match = _DATE_RE.match(cleaned)
    if match:
        parts = match.groups()
    elif len(cleaned) == 8 and cleaned.isascii() and cleaned.isdigit():
        parts = (cleaned[:4], cleaned[4:6], cleaned[6:])
    else:
        raise ValidationError(f"{label}格式不对，应为 YYYY-MM-DD，如 2026-03-01", field)
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValidationError(f"{label}不存在：{cleaned}", field) from None


def format_date(value: dt.date | None) -> str:
    """ISO form for screens and files: 2026-03-01 ("" for none)."""
    return value.isoformat() if value else ""


def format_date_cn(value: dt.date | None) -> str:
    """The form printed on paper: 2026年3月1日 ("" for none)."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def format_moment(moment: dt.datetime | None) -> str:
    """A stored UTC moment in the PC's local time: 2026-03-01 14:05 ("" for none)."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""
