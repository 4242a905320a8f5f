"""What the case list asks for and shows: a filter, a sort order, and plain rows."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from enum import Enum

from jiujinan.cases.enums import Cause, CaseStatus


class SortKey(str, Enum):
    """Columns the case list can be sorted by (each backed by an index)."""

    CASE_NO = "case_no"
    NAME = "applicant_name"
    ID_NUMBER = "id_number"
    CAUSE = "cause"
    AMOUNT = "requested_fen"
    STATUS = "status"
    APPLIED_ON = "applied_on"
    UPDATED_AT = "updated_at"


@dataclass(frozen=True)
class CaseListQuery:
    """The clerk's filter and order; ``text`` matches name, ID number or case number."""

    society_id: int
    status: CaseStatus | None = None
    cause: Cause | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str = ""
    sort: SortKey = SortKey.APPLIED_ON
    descending: bool = True


@dataclass(frozen=True)
class CaseListRow:
    """One line of the case list."""

    id: int
    case_no: str
    applicant_name: str
    id_number: str
    cause: Cause
    requested_fen: int
    status: CaseStatus
    applied_on: dt.date
    updated_at: dt.datetime
    emergency_deadline: dt.date | None = None  # 先行救助: paperwork due by

    def sort_value(self, key: SortKey) -> object:
        """The value of this row in the sort column (the key for keyset paging)."""
        value = getattr(self, key.value)
        return value.value if isinstance(value, Enum) else value


def search_kind(text: str) -> str:
    """What short free text is matched against: "digits" (ID or case number) or "name"."""
    stripped = text.strip().upper()
    if stripped and all(ch.isdigit() or ch in "-X" for ch in stripped):
        return "digits"
    return "name"


# From this many characters the search finds any part of a value (a substring index answers
# it: three characters are one trigram). Shorter text would match most of a million cases by
# its digits alone, and no index finds one or two characters anywhere in a value quickly.
SUBSTRING_FROM = 3
# Short text is looked for where a clerk's one or two characters begin: the start of the
# name or of the given name after a one- or two-character surname (小五 in 张小五 and in
# 欧阳小五), or the start of the ID number or case number.
NAME_STARTS = 3


# At most this many characters of the search text are matched (no name, ID or case number is
# longer): a pasted page is not passed to the database.
NEEDLE_MAX = 100
# Characters no stored value holds, dropped from the text: control characters and NUL (the
# databases refuse NUL), format characters, surrogates (a terminal's invalid UTF-8 arrives as
# lone surrogates), private-use and unassigned code points (among them U+10FFFF, beyond which
# the prefix range of a one- or two-character search has no upper bound).
_UNMATCHABLE = {"Cc", "Cf", "Cs", "Co", "Cn"}


def search_needle(text: str) -> str:
    """The search box's text as matched: NFKC (an input method's full-width ２７０８ or ｘ is
    2708 or x, as IDs are stored), without spaces (clerks type ID numbers in groups) or
    characters no value holds, at most NEEDLE_MAX characters; "" searches for nothing."""
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in _UNMATCHABLE)
    needle = "".join(unicodedata.normalize("NFKC", kept).split())
    return "".join(ch for ch in needle if unicodedata.category(ch) not in _UNMATCHABLE)[:NEEDLE_MAX]


def text_matches(text: str, *, name: str, id_number: str, case_no: str, area_code: str) -> bool:
    """Whether a case with these values is found by ``text`` (the rule the SQL search
    follows; a parity test holds the two together).

    Three characters or more: anywhere in the name, the ID number or the case number (the
    last four digits of an ID number, a case's running number, a given name), Latin letters
    in either case (a typed x is the X of an ID number). One or two characters: the start
    of the name at one of its first NAME_STARTS characters; digits (and - or X) the start of
    the ID number or the case number, the society's area code implied.
    """
    needle = search_needle(text)
    if not needle:
        return True
    if len(needle) >= SUBSTRING_FROM:
        return any(needle.upper() in value.upper() for value in (name, id_number, case_no))
    if search_kind(needle) == "name":
        return any(name[i:].startswith(needle) for i in range(NAME_STARTS))
    digits = needle.upper()
    return (id_number.startswith(digits) or case_no.startswith(digits)
            or case_no.startswith(f"{area_code}-{digits}"))
