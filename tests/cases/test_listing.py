"""The case list's search text as matched (jiujinan.cases.listing.search_needle)."""

import pytest

from jiujinan.cases.listing import NEEDLE_MAX, search_needle


@pytest.mark.parametrize(("typed", "needle"), [
    ("２７０８", "2708"),  # full-width digits from a Chinese input method
    ("３４１８ ０２", "341802"),
    ("ｘ", "x"),
    ("\x00小五", "小五"),  # NUL: the databases refuse it
    ("\udcff", ""),  # invalid UTF-8 from a terminal (surrogateescape)
    ("\U0010FFFF", ""),  # beyond the prefix range's upper bound
    ("\u200b张\x07", "张"),  # a zero-width space, a bell
    (" \t ", ""),
])
def test_needle(typed: str, needle: str) -> None:
    assert search_needle(typed) == needle


def test_needle_is_capped() -> None:
    assert search_needle("张" * 10_000) == "张" * NEEDLE_MAX
