"""The people who work in the app (names only for now; passwords and roles come later)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiujinan.db.models import AppUser


def ensure_user(session: Session, name: str, now: dt.datetime) -> bool:
    """Add the user if new; True when it was added."""
    if session.scalar(select(AppUser.id).where(AppUser.name == name)):
        return False
    session.add(AppUser(name=name, created_at=now))
    session.flush()
    return True


def list_users(session: Session) -> list[str]:
    """Every user's name, in the order they were added."""
    return list(session.scalars(select(AppUser.name).order_by(AppUser.id)))
