"""Case numbers: readable, unique, and carrying the society's area code and the year."""

from __future__ import annotations

import re

_CASE_NO_RE = re.compile(r"^(\d{12})-(\d{4})-(\d{5,})$")


def format_case_no(area_code: str, year: int, seq: int) -> str:
    """341802100201-2026-00017: area code, year applied, running number within the year."""
    return f"{area_code}-{year:04d}-{seq:05d}"


def parse_case_no(case_no: str) -> tuple[str, int, int] | None:
    """(area code, year, seq) of a well-formed case number, else None."""
    match = _CASE_NO_RE.match(case_no.strip())
    if not match:
        return None
    return match.group(1), int(match.group(2)), int(match.group(3))
