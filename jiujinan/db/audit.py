"""The audit trail: who changed what, when, with the record before and after."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiujinan.cases import audit_chain
from jiujinan.cases.audit_chain import GENESIS, ChainLink, StoredLink
from jiujinan.cases.records import ChangeRecord
from jiujinan.db.models import AuditEntry, AuditHead


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
    """Append one audit entry in the caller's transaction (so it commits with the change),
    chained to the one before it. The chain's end is locked until the transaction ends, so
    two writers append one after the other (SQLite's write lock does the same)."""
    head = session.get(AuditHead, 1, with_for_update=True)
    if head is None:
        head = AuditHead(id=1, entries=0, last_hash=GENESIS)
        session.add(head)
    link = ChainLink(head.entries + 1, head.last_hash, now, user, society_id, entity, entity_id, action,
                     _json(before), _json(after))
    digest = link.digest()
    session.add(
        AuditEntry(
            at=now,
            user_name=user,
            society_id=society_id,
            entity=entity,
            entity_id=entity_id,
            action=action,
            before_json=link.before_json,
            after_json=link.after_json,
            seq=link.seq,
            prev_hash=link.prev_hash,
            entry_hash=digest,
        )
    )
    head.entries, head.last_hash = link.seq, digest


def head(session: Session) -> tuple[int, str]:
    """(entries, last hash) of the chain as the app last wrote it."""
    row = session.get(AuditHead, 1)
    return (row.entries, row.last_hash) if row else (0, GENESIS)


def chain_problems(session: Session, batch: int = 5000) -> list[str]:
    """Walk the whole audit chain (streamed in order) and say what was changed outside the app."""
    entries, last_hash = head(session)
    stmt = select(AuditEntry.seq, AuditEntry.prev_hash, AuditEntry.at, AuditEntry.user_name, AuditEntry.society_id,
                  AuditEntry.entity, AuditEntry.entity_id, AuditEntry.action, AuditEntry.before_json,
                  AuditEntry.after_json, AuditEntry.entry_hash).order_by(AuditEntry.seq)
    rows = session.execute(stmt.execution_options(yield_per=batch))
    links = (StoredLink(ChainLink(*r[:10]), r[10]) for r in rows)
    return audit_chain.chain_problems(links, entries, last_hash)


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
