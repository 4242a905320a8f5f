"""The one masking rule for anything published (mixing rules lets readers rebuild data)."""

from __future__ import annotations


def mask_id(number: str) -> str:
    """Keep the first 6 and last 4 characters: 340102********1234."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_name(name: str) -> str:
    """Star the second character: 张三丰 -> 张*丰, 李四 -> 李*."""
    if len(name) < 2:
        return name
    return name[0] + "*" + name[2:]
