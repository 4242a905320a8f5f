"""Bulk inserts for the demo and benchmarks: Core executemany in batches, one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from jiujinan.db.models import AidCase, CaseStep, HouseholdMemberRow, LedgerEntry

BATCH = 20_000


def _batches(rows: Iterable[dict[str, object]]) -> Iterator[list[dict[str, object]]]:
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield batch


def insert_rows(session: Session, table: Table, rows: Iterable[dict[str, object]]) -> int:
    """Insert plain dict rows into ``table``; returns how many."""
    count = 0
    for batch in _batches(rows):
        session.execute(table.insert(), batch)
        count += len(batch)
    return count


def insert_cases(session: Session, rows: Iterable[dict[str, object]]) -> int:
    return insert_rows(session, AidCase.__table__, rows)


def insert_members(session: Session, rows: Iterable[dict[str, object]]) -> int:
    return insert_rows(session, HouseholdMemberRow.__table__, rows)


def insert_steps(session: Session, rows: Iterable[dict[str, object]]) -> int:
    return insert_rows(session, CaseStep.__table__, rows)


def insert_ledger(session: Session, rows: Iterable[dict[str, object]]) -> int:
    return insert_rows(session, LedgerEntry.__table__, rows)


def max_case_id(session: Session) -> int:
    """The highest case id so far (0 for none), so the demo can number rows itself."""
    return session.scalar(select(func.max(AidCase.id))) or 0


def max_ledger_id(session: Session) -> int:
    """The highest ledger entry id so far (0 for none): the demo numbers its entries itself."""
    return session.scalar(select(func.max(LedgerEntry.id))) or 0


def case_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AidCase)) or 0
