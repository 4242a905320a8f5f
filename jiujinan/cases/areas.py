"""Which societies a user works on: an area, written as the leading digits of the
statistical area code (统计用区划代码) that every society has.

A society's code has 12 digits: 6 for the district (区/县), 3 more for the town (乡镇/街道),
3 more for the village. A user's area is a prefix of it: empty covers the whole database
(a single village's PC, or the county office that runs a shared one), 6 digits one
district, 9 digits one town, 12 digits one society. Each society sees only its own cases
unless the user's area covers the town or the district."""

from __future__ import annotations

from jiujinan.cases.errors import ValidationError
from jiujinan.cases.users import PermissionDenied

LEVELS = {0: "全部互助社", 6: "区（县）", 9: "乡镇（街道）", 12: "互助社"}


def parse_area(text: str) -> str:
    """An area as typed: empty (everything) or 6, 9 or 12 digits."""
    code = (text or "").strip().replace(" ", "")
    if code in ("", "全部", "*"):
        return ""
    if not code.isdigit() or len(code) not in LEVELS:
        raise ValidationError("范围应为区划代码的前6位（区县）、前9位（乡镇）或12位（互助社），留空为全部", "area")
    return code


def area_label(area: str, name: str = "") -> str:
    """How an area is shown: 全部互助社, or its level with the code (and a place name if known)."""
    if not area:
        return LEVELS[0]
    level = LEVELS.get(len(area), "")
    return f"{level} {area}" + (f"（{name}）" if name else "")


def covers(area: str, society_code: str) -> bool:
    """Whether a user's area includes the society with this area code."""
    return society_code.startswith(area)


def within(area: str, other: str) -> bool:
    """Whether ``other`` is inside ``area`` (an administrator only hands out areas within his own)."""
    return other.startswith(area)


def require_area(user: str, area: str, society_code: str, society_name: str) -> None:
    if not covers(area, society_code):
        raise PermissionDenied(f"{user} 的工作范围是{area_label(area)}，不能办理{society_name}的事务")


def require_whole(user: str, area: str, what: str) -> None:
    """Settings shared by every society in the database (the holiday calendar, restore)."""
    if area:
        raise PermissionDenied(f"{user} 的工作范围是{area_label(area)}，{what}影响整个数据库，须由范围为全部的管理员办理")


def area_choices(own: str, places: list[tuple[str, str, str, str]]) -> list[tuple[str, str]]:
    """The areas an administrator with area ``own`` can hand out, as (code, label): the
    whole database (if his), then each district, town and society among ``places``
    (area code, district, town, society name), in code order."""
    choices: dict[str, str] = {} if own else {"": LEVELS[0]}
    for code, district, town, name in sorted(places):
        if not code.startswith(own):
            continue
        for length, place in ((6, district), (9, town), (12, name)):
            if len(own) <= length:
                choices.setdefault(code[:length], area_label(code[:length], place))
    return list(choices.items())
