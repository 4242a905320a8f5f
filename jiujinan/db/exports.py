"""The rows a village's export holds, read in one snapshot (see AppContext.snapshot)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from jiujinan.cases.enums import LedgerKind
from jiujinan.db.models import AidCase, LedgerEntry


def _in(column, start: dt.date | None, end: dt.date | None):  # noqa: ANN001, ANN202
    conds = []
    if start is not None:
        conds.append(column >= start)
    if end is not None:
        conds.append(column < end)
    return and_(True, *conds)


def case_rows(session: Session, society_id: int, start: dt.date | None, end: dt.date | None) -> list:
    """Cases applied for in the period, or with money moved for them in it."""
    moved = select(LedgerEntry.case_id).where(LedgerEntry.society_id == society_id,
                                              LedgerEntry.case_id.is_not(None),
                                              _in(LedgerEntry.posted_on, start, end))
    stmt = select(AidCase).where(AidCase.society_id == society_id,
                                 or_(_in(AidCase.applied_on, start, end), AidCase.id.in_(moved))) \
        .order_by(AidCase.case_year, AidCase.case_seq)
    return list(session.scalars(stmt))


def ledger_rows(session: Session, society_id: int, start: dt.date | None, end: dt.date | None) -> tuple[int, list]:
    """The opening balance and the entries of the period, in ledger order, with case numbers."""
    from jiujinan.db.fund import balance

    opening = balance(session, society_id, before=start) if start is not None else 0
    stmt = select(LedgerEntry, AidCase.case_no).outerjoin(AidCase, AidCase.id == LedgerEntry.case_id) \
        .where(LedgerEntry.society_id == society_id, _in(LedgerEntry.posted_on, start, end)) \
        .order_by(LedgerEntry.posted_on, LedgerEntry.id)
    return opening, list(session.execute(stmt))


PAYMENT_KINDS = (LedgerKind.PAYMENT.value, LedgerKind.REVERSAL.value)
