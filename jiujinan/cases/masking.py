"""The one masking rule for anything published (mixing rules lets readers rebuild data)."""

from __future__ import annotations

import re


def mask_id(number: str) -> str:
    """Keep the first 6 and last 4 characters: 340102********1234."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(number: str) -> str:
    """Keep the first 3 and last 4 characters: 139****1111 (the first-6 rule of IDs would
    hide one digit of a mobile number's eleven)."""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


_NAME_MARKS = frozenset(" \u3000·•・.-")  # separators a name may hold (张 三, 阿卜杜·热合曼)


def mask_name(name: str) -> str:
    """Star the second character: 张三丰 -> 张*丰, 李四 -> 李*. A separator is no character of
    the name: 张 三 -> 张 * (starring the space would publish the whole name)."""
    for i, ch in enumerate(name[1:], start=1):
        if ch not in _NAME_MARKS:
            return name[:i] + "*" + name[i + 1:]
    return name


_GROUP = re.compile(r"[0-9一二三四五六七八九十百零〇]+(?:村民)?组")


def village_group(address: str) -> str:
    """An address as a posted list shows it: the 村民组 alone ("水阳镇青山村3组12号" -> "3组"),
    nothing when the address names none (a house number would point at the household)."""
    found = _GROUP.search(address)
    return found.group(0) if found else ""


def is_masked(value: str) -> bool:
    """Whether ``value`` was masked by this rule (the app's text rule keeps '*' out of IDs)."""
    return "*" in value
