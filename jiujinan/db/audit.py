"""The audit trail: who changed what, when, with the record before and after."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiujinan.cases.records import ChangeRecord

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


def changes_of(session: Session, entity: str, entity_id: int) -> list[ChangeRecord]:
    """The audit trail of one record, oldest first, with the fields each change touched."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id)
    )
    out = []
    for entry in session.scalars(stmt):
        fields = tuple(json.loads(entry.after_json)) if entry.action != "register" and entry.after_json else ()
        out.append(ChangeRecord(entry.at, entry.user_name, entry.action, fields))
    return out
