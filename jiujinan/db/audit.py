"""The audit trail: who changed what, when, with the record before and after."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy.orm import Session

from jiujinan.db.models import AuditEntry


def _json(value: dict[str, object] | None) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(
    session: Session,
    *,
    user: str,
    now: dt.datetime,
    entity: str,
    entity_id: int,
    action: str,
    society_id: int | None = None,
    before: dict[str, object] | None = None,
    after: dict[str, object] | None = None,
) -> None:
    """Append one audit entry in the caller's transaction (so it commits with the change)."""
    session.add(
        AuditEntry(
            at=now,
            user_name=user,
            society_id=society_id,
            entity=entity,
            entity_id=entity_id,
            action=action,
            before_json=_json(before),
            after_json=_json(after),
        )
    )


def entries_for(session: Session, entity: str, entity_id: int) -> list[AuditEntry]:
    """The audit entries of one record, oldest first."""
    return list(
        session.query(AuditEntry)
        .filter(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id)
    )
