"""The district's records of trust: each society's enrolled signing keys, the audit chain it is
held to, and per import whether it was signed and what its history showed."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from jiujinan.cases.chain_history import ChainClaim
from jiujinan.db.models import ImportBatch, SocietyChain, SocietyKey


@dataclass
class TrustIndex:
    """What the district holds each society to, read once per import (a query per export cost
    more than the import itself at 217 villages): its current key and the chain it is held to."""

    keys: dict[str, tuple[str, str]]  # code → (public key, base64; fingerprint) of its newest enrolment
    chains: dict[str, ChainClaim]

    def codes_with_key(self, public_key: str) -> list[str]:
        """The societies whose current key this is."""
        return sorted(code for code, (key, _fp) in self.keys.items() if key == public_key)


def trust_index(session: Session) -> TrustIndex:
    keys = {code: (key, fp) for code, key, fp in session.execute(
        select(SocietyKey.society_code, SocietyKey.public_key, SocietyKey.fingerprint).order_by(SocietyKey.id))}
    chains = {}
    for row in session.execute(select(SocietyChain.society_code, SocietyChain.entries, SocietyChain.last_hash,
                                      SocietyChain.points, SocietyChain.exported_at)):
        points = {int(seq): str(digest) for seq, digest in json.loads(row.points)}
        chains[row.society_code] = ChainClaim(row.entries, row.last_hash, points, (), row.exported_at)
    return TrustIndex(keys, chains)


def enrol(session: Session, index: TrustIndex, code: str, public_key: str, fingerprint: str, how: str, user: str,
          now: dt.datetime, batch_id: int | None = None) -> int:
    key_id = session.connection().execute(insert(SocietyKey).values(
        society_code=code, public_key=public_key, fingerprint=fingerprint, how=how, enrolled_at=now, enrolled_by=user,
        batch_id=batch_id).returning(SocietyKey.id)).scalar_one()
    index.keys[code] = (public_key, fingerprint)
    return key_id


def hold_chain(session: Session, index: TrustIndex, code: str, claim: ChainClaim, batch_id: int) -> None:
    """From now on the society is held to ``claim``."""
    values = {"entries": claim.entries, "last_hash": claim.last_hash, "points": json.dumps(sorted(claim.points.items())),
              "exported_at": claim.exported_at, "batch_id": batch_id}
    if code in index.chains:
        session.connection().execute(update(SocietyChain).where(SocietyChain.society_code == code).values(**values))
    else:
        session.connection().execute(insert(SocietyChain).values(society_code=code, **values))
    index.chains[code] = claim


def mark_batch(session: Session, batch_id: int, *, signed: bool, fingerprint: str | None, note: str) -> None:
    session.connection().execute(update(ImportBatch).where(ImportBatch.id == batch_id)
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
