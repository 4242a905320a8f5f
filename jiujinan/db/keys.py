"""The village side of signed exports: this database's signing key, and the audit chain's end at
each export of a society (export heads) with the chain's hashes there now."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiujinan.db.models import AuditEntry, AuditHead, ExportHead, SigningKey


def signing_key(session: Session, *, lock: bool = False) -> SigningKey | None:
    """The key row, or None before first use. ``lock``: for making or replacing it, after the
    audit chain's end is locked (as every writer that audits does), so two programs making the
    first key on a shared database make it one after the other."""
    if lock:
        session.get(AuditHead, 1, with_for_update=True)
    return session.get(SigningKey, 1, with_for_update=lock)


def put_key(session: Session, private_pem: str, public_key: str, fingerprint: str, now: dt.datetime) -> None:
    """Store a new key in place of the old one (if any)."""
    row = session.get(SigningKey, 1)
    if row is None:
        session.add(SigningKey(id=1, private_pem=private_pem, public_key=public_key, fingerprint=fingerprint,
                               created_at=now))
    else:
        row.private_pem, row.public_key, row.fingerprint, row.created_at = private_pem, public_key, fingerprint, now
    session.flush()


def remember_export(session: Session, society_id: int, seq: int, entry_hash: str, now: dt.datetime) -> int | None:
    """Note where the chain ended at this export (once per position); returns the new row's
    key, or None when this position was noted before."""
    known = session.scalar(select(ExportHead.id).where(ExportHead.society_id == society_id, ExportHead.seq == seq))
    if known is not None:
        return None
    row = ExportHead(society_id=society_id, seq=seq, entry_hash=entry_hash, exported_at=now)
    session.add(row)
    session.flush()
    return row.id


def export_heads(session: Session, end: int) -> dict[int, set[int]]:
    """Per society, the chain positions (up to ``end``) where its earlier exports ended."""
    out: dict[int, set[int]] = {}
    for society_id, seq in session.execute(select(ExportHead.society_id, ExportHead.seq).where(ExportHead.seq <= end)):
        out.setdefault(society_id, set()).add(seq)
    return out


def hashes_at(session: Session, seqs: set[int]) -> dict[int, str]:
    """The hash the trail has now at each of ``seqs``: read from the trail itself, so a trail
    rewritten outside the app shows its new hashes, whatever the heads table says."""
    wanted = sorted(seq for seq in seqs if seq > 0)
    out: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        out.update(session.execute(select(AuditEntry.seq, AuditEntry.entry_hash)
                                   .where(AuditEntry.seq.in_(wanted[start:start + 500]))).all())
    return out


def restores(session: Session) -> list[tuple[int, dt.datetime]]:
    """(seq, when) of each restore from a backup on the trail: a history that went back to a
    backup says so to the district."""
    stmt = select(AuditEntry.seq, AuditEntry.at).where(AuditEntry.entity == "database",
                                                        AuditEntry.action == "restore").order_by(AuditEntry.seq)
    return [(int(seq), at) for seq, at in session.execute(stmt)]
