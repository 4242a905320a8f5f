"""The people who work in the app: roles, password hashes, areas (wrong sign-ins: db/logins.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiujinan.cases.areas import covers
from jiujinan.cases.users import Permission, Role, allows, parse_roles, store_roles
from jiujinan.db.models import AppUser, AuditEntry, AuditSeal


@dataclass(frozen=True)
class UserRecord:
    name: str
    roles: frozenset[Role]
    has_password: bool
    active: bool
    area: str = ""  # leading digits of the area codes the user works on; "" = all (cases/areas.py)


def _record(row: AppUser) -> UserRecord:
    return UserRecord(row.name, parse_roles(row.roles or "clerk"), bool(row.password_hash), row.active,
                      row.area or "")


def _row(session: Session, name: str, *, lock: bool = False) -> AppUser | None:
    stmt = select(AppUser).where(AppUser.name == name)
    return session.scalar(stmt.with_for_update() if lock else stmt)


def get_user(session: Session, name: str) -> UserRecord | None:
    row = _row(session, name)
    return _record(row) if row else None


def password_hash(session: Session, name: str) -> str:
    row = _row(session, name)
    return row.password_hash if row else ""


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AppUser)) or 0


def ever_had_users(session: Session) -> bool:
    """Whether the audit trail shows a user was ever created, changed or sealed (both by index)."""
    entry = session.scalar(select(AuditEntry.seq).where(AuditEntry.entity == "user").limit(1))
    return entry is not None or session.scalar(select(AuditSeal.seq).where(AuditSeal.unit == "user").limit(1)) is not None


def count_admins(session: Session) -> int:
    """Active administrators of the whole database (someone must be able to manage everyone)."""
    rows = session.scalars(select(AppUser.roles).where(AppUser.active.is_(True), AppUser.area == ""))
    return sum(Role.ADMIN in parse_roles(r) for r in rows)


def add_user(session: Session, name: str, roles: frozenset[Role], hashed: str, now: dt.datetime,
             area: str = "") -> bool:
    """Add the user if new; True when it was added."""
    if _row(session, name) is not None:
        return False
    session.add(AppUser(name=name, created_at=now, roles=store_roles(roles), password_hash=hashed,
                        active=True, area=area))
    session.flush()
    return True


def ensure_user(session: Session, name: str, now: dt.datetime) -> bool:
    """Add a user with every role and no password yet (set at the first login); True when added."""
    return add_user(session, name, frozenset(Role), "", now)


def update_user(session: Session, name: str, *, roles: frozenset[Role] | None = None, hashed: str | None = None,
                active: bool | None = None, area: str | None = None) -> UserRecord:
    row = _row(session, name, lock=True)
    if row is None:
        raise LookupError(name)
    if roles is not None:
        row.roles = store_roles(roles)
    if hashed is not None:
        row.password_hash = hashed
    if active is not None:
        row.active = active
    if area is not None:
        row.area = area
    session.flush()
    return _record(row)


def count_payers(session: Session, area_code: str) -> int:
    """Active users who may record payments for the society with ``area_code`` (their area
    is a prefix of it): whether someone other than a 先行救助's approver could pay it."""
    rows = session.execute(select(AppUser.roles, AppUser.area).where(AppUser.active.is_(True)))
    return sum(allows(parse_roles(roles), Permission.MONEY) and covers(area or "", area_code)
               for roles, area in rows)


def areas_in_use(session: Session) -> bool:
    """Whether any user in use is limited to part of the database (a shared database)."""
    return session.scalar(select(AppUser.id).where(AppUser.active.is_(True), AppUser.area != "").limit(1)) is not None


def user_records(session: Session) -> list[UserRecord]:
    return [_record(r) for r in session.scalars(select(AppUser).order_by(AppUser.id))]
