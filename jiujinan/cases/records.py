"""A stored case as the rest of the program sees it: plain data, no database types."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiujinan.cases.application import Application
from jiujinan.cases.enums import CaseStatus, Level, StepKind
from jiujinan.cases.society import SocietySettings


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


# The village clerk's own steps: who records these handles the case (经办人); a reviewer who only
# recorded a decision, a refusal or a return did not.
_CLERK_STEPS = frozenset({StepKind.ACCEPT, StepKind.VISIT, StepKind.DELIBERATION, StepKind.NOTICE,
                          StepKind.OBJECTION, StepKind.OBJECTION_RESOLVED, StepKind.RESUME})


def handled_by(steps: tuple[StepRecord, ...] | list[StepRecord], created_by: str) -> str:
    """经办人 on the papers: who recorded the case's latest clerk step, else who registered it."""
    for step in reversed(steps):
        if step.kind in _CLERK_STEPS and step.recorded_by:
            return step.recorded_by
    return created_by


def deciding_office(step: StepRecord | None, level: Level, settings: SocietySettings) -> str:
    """The office that decided at ``level``, as it was named when the step was recorded (a
    reprint says what the signed original said, whatever the settings say now), else as the
    society's settings name it today."""
    recorded = step.details.get("office") if step is not None else None
    return str(recorded) if recorded else settings.office_name(level)
