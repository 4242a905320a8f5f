"""What the case list asks for and shows: a filter, a sort order, and plain rows."""

from __future__ import annotations

import datetime as dt
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
    """How free text is matched: "digits" (ID or case number prefix) or "name" (name prefix)."""
    stripped = text.strip().upper()
    if stripped and all(ch.isdigit() or ch in "-X" for ch in stripped):
        return "digits"
    return "name"
