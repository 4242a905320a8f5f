"""A stored case as the rest of the program sees it: plain data, no database types."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiujinan.cases.application import Application
from jiujinan.cases.enums import CaseStatus, Level, StepKind


@dataclass(frozen=True)
class AttachmentInfo:
    """An attached file as listed on the form."""

    id: int
    original_name: str
    sha256: str
    size_bytes: int
    added_at: dt.datetime
    added_by: str


@dataclass(frozen=True)
class StoredCase:
    """A case as read back: its application, where it stands, and who touched it last."""

    id: int
    society_id: int
    case_no: str
    status: CaseStatus
    version: int
    application: Application
    attachments: tuple[AttachmentInfo, ...]
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    updated_by: str


@dataclass(frozen=True)
class ChangeRecord:
    """One line of a record's audit trail: who did what, when, to which fields."""

    at: dt.datetime
    user: str
    action: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class StepRecord:
    """One recorded step of a case's review, as the timeline shows it."""

    id: int
    kind: StepKind
    level: Level | None
    on: dt.date
    signer: str
    opinion: str
    amount_fen: int | None
    details: dict[str, object]
    status_before: CaseStatus
    status_after: CaseStatus
    recorded_at: dt.datetime
    recorded_by: str
