"""The counters of wrong sign-ins per typed name (cases/users.py: a growing delay, no lock)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jiujinan.cases.users import FORGET_AFTER, LoginRecord
from jiujinan.db.models import LoginThrottle


def record_of(session: Session, key: str) -> LoginRecord:
    """The counters under ``key`` (none yet: no failure)."""
    row = session.get(LoginThrottle, key)
    return LoginRecord(row.failures, row.next_try_at) if row else LoginRecord()


def records(session: Session, keys: list[str]) -> dict[str, LoginRecord]:
    rows = session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys))) if keys else []
    return {r.key: LoginRecord(r.failures, r.next_try_at) for r in rows}


def locked_record(session: Session, key: str, now: dt.datetime) -> LoginRecord:
    """The counters under ``key``, its row made and locked for this transaction (two failures
    at once, from two PCs, both count). A row quiet for FORGET_AFTER is forgotten first."""
    from sqlalchemy.dialects import postgresql, sqlite  # here: the PostgreSQL dialect loads only on a server

    session.execute(delete(LoginThrottle).where(LoginThrottle.last_failed_at < now - FORGET_AFTER))
    insert = (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert
    session.execute(insert(LoginThrottle).values(key=key, failures=0, next_try_at=None, last_failed_at=now)
                    .on_conflict_do_nothing())
    row = session.scalar(select(LoginThrottle).where(LoginThrottle.key == key).with_for_update())
    assert row is not None
    return LoginRecord(row.failures, row.next_try_at)


def store(session: Session, key: str, record: LoginRecord, now: dt.datetime) -> None:
    """Keep the counters after a failure (the row locked by locked_record)."""
    row = session.get(LoginThrottle, key)
    assert row is not None
    row.failures, row.next_try_at, row.last_failed_at = record.failures, record.next_try_at, now
    session.flush()


def forget(session: Session, key: str) -> None:
    """A successful sign-in, or a password set by an administrator: the counters start afresh."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
