"""The rows a village's export holds, read in one snapshot (see AppContext.snapshot)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

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
    chosen = or_(_in(AidCase.applied_on, start, end), AidCase.id.in_(moved)) if start or end else True
    stmt = select(AidCase.case_no, AidCase.applicant_name, AidCase.id_number, AidCase.household_type,
                  AidCase.cause, AidCase.requested_fen, AidCase.approved_fen, AidCase.paid_fen, AidCase.status,
                  AidCase.applied_on, AidCase.decided_on, AidCase.decided_level, AidCase.emergency) \
        .where(AidCase.society_id == society_id, chosen) \
        .order_by(AidCase.case_year, AidCase.case_seq)
    return session.connection().execute(stmt).all()  # Core rows, fetched at once


def ledger_rows(session: Session, society_id: int, start: dt.date | None, end: dt.date | None) -> tuple[int, list]:
    """The opening balance and the entries of the period, in ledger order, with case numbers
    (plain rows: an export reads hundreds of thousands of them)."""
    from jiujinan.db.fund import balance

    opening = balance(session, society_id, before=start) if start is not None else 0
    stmt = select(LedgerEntry.id, LedgerEntry.posted_on, LedgerEntry.kind, LedgerEntry.source, LedgerEntry.amount_fen,
                  LedgerEntry.voucher_no, LedgerEntry.memo, LedgerEntry.reversal_of, LedgerEntry.case_id,
                  LedgerEntry.method, LedgerEntry.payer, AidCase.case_no) \
        .outerjoin(AidCase, AidCase.id == LedgerEntry.case_id) \
        .where(LedgerEntry.society_id == society_id, _in(LedgerEntry.posted_on, start, end)) \
        .order_by(LedgerEntry.posted_on, LedgerEntry.id)
    return opening, session.connection().execute(stmt).all()

