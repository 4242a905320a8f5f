"""The office this database is, its encryption key, and the offices it enrolled."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiujinan.cases.offices import Office, OfficeKind, OfficeSettings, TrustedOffice, derived_office
from jiujinan.db.models import AuditHead, Office as OfficeRow, OfficeKey, Society, TrustedOffice as TrustedRow


def society_codes(session: Session) -> list[tuple[str, str]]:
    return [(code, name) for code, name in session.execute(select(Society.area_code, Society.name))]


def office(session: Session) -> Office | None:
    """The office set up, else the one a database from before offices reads as (None: neither)."""
    row = session.get(OfficeRow, 1)
    if row is not None:
        return Office(OfficeKind(row.kind), row.area_code, row.name)
    return derived_office(society_codes(session))


def stored_office(session: Session, *, lock: bool = False) -> OfficeRow | None:
    if lock:
        session.get(AuditHead, 1, with_for_update=True)
    return session.get(OfficeRow, 1, with_for_update=lock)


def put_office(session: Session, settings: OfficeSettings, now: dt.datetime, user: str) -> None:
    session.add(OfficeRow(id=1, kind=settings.kind.value, area_code=settings.area_code, name=settings.name,
                          created_at=now, created_by=user))
    session.flush()


def office_key(session: Session, *, lock: bool = False) -> OfficeKey | None:
    """The encryption key row, or None before first use (``lock``: as keys.signing_key)."""
    if lock:
        session.get(AuditHead, 1, with_for_update=True)
    return session.get(OfficeKey, 1, with_for_update=lock)


def put_office_key(session: Session, identity: str, recipient: str, now: dt.datetime) -> None:
    row = session.get(OfficeKey, 1)
    if row is None:
        session.add(OfficeKey(id=1, identity=identity, recipient=recipient, created_at=now))
    else:
        row.identity, row.recipient, row.created_at = identity, recipient, now
    session.flush()


def _trusted(row: TrustedRow) -> TrustedOffice:
    return TrustedOffice(row.id, OfficeKind(row.kind), row.area_code, row.name, row.fingerprint, row.signing_key,
                         row.recipient, row.enrolled_at, row.enrolled_by)


def trusted_offices(session: Session) -> list[TrustedOffice]:
    """The offices enrolled and in force, by area code."""
    rows = session.scalars(select(TrustedRow).where(TrustedRow.retired_at.is_(None))
                           .order_by(TrustedRow.area_code, TrustedRow.id))
    return [_trusted(row) for row in rows]


def trusted_office(session: Session, area_code: str) -> TrustedOffice | None:
    row = session.scalars(select(TrustedRow).where(TrustedRow.area_code == area_code, TrustedRow.retired_at.is_(None))
                          .order_by(TrustedRow.id.desc()).limit(1)).first()
    return _trusted(row) if row is not None else None


def enrol(session: Session, office: TrustedOffice, made_on: str) -> int:
    row = TrustedRow(kind=office.kind.value, area_code=office.area_code, name=office.name,
                     signing_key=office.signing_key, recipient=office.recipient, fingerprint=office.fingerprint,
                     made_on=made_on, enrolled_at=office.enrolled_at,
                     enrolled_by=office.enrolled_by)
    session.add(row)
    session.flush()
    return row.id


def retire(session: Session, trusted_id: int, now: dt.datetime, user: str) -> None:
    row = session.get(TrustedRow, trusted_id)
    row.retired_at, row.retired_by = now, user
    session.flush()
