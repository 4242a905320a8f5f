"""The district's records of trust: each society's enrolled signing keys, the audit chain it is
held to, and per import whether it was signed and what its history showed."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from jiujinan.cases.chain_history import ChainClaim
from jiujinan.db.models import ImportBatch, SocietyChain, SocietyKey


def current_key(session: Session, code: str) -> SocietyKey | None:
    """The key the society's exports must be signed with: its newest enrolment."""
    return session.scalars(select(SocietyKey).where(SocietyKey.society_code == code)
                           .order_by(SocietyKey.id.desc()).limit(1)).first()


def codes_with_key(session: Session, public_key: str) -> list[str]:
    """The societies whose newest enrolment is this key."""
    codes = session.scalars(select(SocietyKey.society_code).where(SocietyKey.public_key == public_key).distinct())
    return sorted(code for code in codes if (key := current_key(session, code)) and key.public_key == public_key)


def enrol(session: Session, code: str, public_key: str, fingerprint: str, how: str, user: str, now: dt.datetime,
          batch_id: int | None = None) -> int:
    row = SocietyKey(society_code=code, public_key=public_key, fingerprint=fingerprint, how=how, enrolled_at=now,
                     enrolled_by=user, batch_id=batch_id)
    session.add(row)
    session.flush()
    return row.id


def held_chain(session: Session, code: str) -> ChainClaim | None:
    """The chain the society is held to (None: no export with chain data received)."""
    row = session.get(SocietyChain, code)
    if row is None:
        return None
    points = {int(seq): str(digest) for seq, digest in json.loads(row.points)}
    return ChainClaim(row.entries, row.last_hash, points, (), row.exported_at)


def hold_chain(session: Session, code: str, claim: ChainClaim, batch_id: int) -> None:
    """From now on the society is held to ``claim``."""
    points = json.dumps(sorted(claim.points.items()))
    row = session.get(SocietyChain, code)
    if row is None:
        session.add(SocietyChain(society_code=code, entries=claim.entries, last_hash=claim.last_hash, points=points,
                                 exported_at=claim.exported_at, batch_id=batch_id))
    else:
        row.entries, row.last_hash, row.points = claim.entries, claim.last_hash, points
        row.exported_at, row.batch_id = claim.exported_at, batch_id
    session.flush()


def mark_batch(session: Session, batch_id: int, *, signed: bool, fingerprint: str | None, note: str) -> None:
    session.execute(update(ImportBatch).where(ImportBatch.id == batch_id)
                    .values(signed=signed, key_fingerprint=fingerprint, chain_note=note or None))


def trust_notes(session: Session) -> dict[str, tuple[int, list[str]]]:
    """Per society: how many of its exports in force are unsigned, and the history warnings of
    every export received (oldest first; replaced ones too: a warning does not go away)."""
    out: dict[str, tuple[int, list[str]]] = {}
    stmt = select(ImportBatch.society_code, ImportBatch.signed, ImportBatch.replaced_by, ImportBatch.chain_note) \
        .order_by(ImportBatch.society_code, ImportBatch.id)
    for code, signed, replaced_by, note in session.execute(stmt):
        unsigned, notes = out.get(code, (0, []))
        if replaced_by is None and not signed:
            unsigned += 1
        if note and note not in notes:
            notes.append(note)
        out[code] = (unsigned, notes)
    return out
