"""The fund's queries: entries, the position (balance, reserved, by source), month close."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from jiujinan.cases.enums import INACTIVE_STATUSES, REVIEW_DONE, FundSource, LedgerKind, PaymentMethod
from jiujinan.cases.errors import NotFoundError
from jiujinan.cases.fund import FundPosition, LedgerLine, LowPoint, lowest_balance_from
from jiujinan.db.models import AidCase, LedgerEntry, MonthClose, Society

_DONE = [s.value for s in REVIEW_DONE]
_INACTIVE = [s.value for s in INACTIVE_STATUSES]


def lock_fund(session: Session, society_id: int) -> None:
    """Hold the society's row for the rest of the transaction (PostgreSQL: a row lock; on
    SQLite the writing transaction already holds the database's write lock)."""
    session.execute(select(Society.id).where(Society.id == society_id).with_for_update())


def balance(session: Session, society_id: int, *, before: dt.date | None = None) -> int:
    """The sum of all entries (optionally of those dated before ``before``)."""
    stmt = select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0)).where(LedgerEntry.society_id == society_id)
    if before is not None:
        stmt = stmt.where(LedgerEntry.posted_on < before)
    return int(session.scalar(stmt) or 0)


def payment_cap(status: ColumnElement[str], approved_fen: ColumnElement[int],
                emergency_fen: ColumnElement[int]) -> ColumnElement[int]:
    """cases/fund.payment_cap_fen in SQL, on any columns or values: the approved amount once the
    review is done, else the 先行救助 amount, else 0 (tests/db/test_fund_rules_sql holds the two
    together)."""
    return case((and_(status.in_(_DONE), func.coalesce(approved_fen, 0) != 0), approved_fen),
                else_=func.coalesce(emergency_fen, 0))


def payable(status: ColumnElement[str], approved_fen: ColumnElement[int], emergency_fen: ColumnElement[int],
            paid_fen: ColumnElement[int]) -> ColumnElement[int]:
    """cases/fund.payable_fen in SQL: what may still be paid, which the fund reserves; nothing
    for a rejected or withdrawn case."""
    cap = payment_cap(status, approved_fen, emergency_fen)
    return case((status.in_(_INACTIVE), 0), (cap > paid_fen, cap - paid_fen), else_=0)


def low_point(session: Session, society_id: int, day: dt.date) -> LowPoint:
    """The lowest the running balance stands from ``day`` on (cases/fund.lowest_balance_from,
    on the entries dated ``day`` or later): what money out dated ``day`` may take."""
    entries = session.execute(select(LedgerEntry.posted_on, LedgerEntry.amount_fen)
                              .where(LedgerEntry.society_id == society_id, LedgerEntry.posted_on >= day)
                              .order_by(LedgerEntry.posted_on, LedgerEntry.id)).all()
    return lowest_balance_from(day, balance(session, society_id, before=day), [tuple(e) for e in entries])


def reserved(session: Session, society_id: int) -> int:
    """Approved but unpaid: what may still be paid to each of the society's cases (the sum of
    ReviewState.reserved_fen, by the same rule in SQL)."""
    rest = payable(AidCase.status, AidCase.approved_fen, AidCase.emergency_fen, AidCase.paid_fen)
    return int(session.scalar(select(func.coalesce(func.sum(rest), 0)).where(AidCase.society_id == society_id)) or 0)


def position(session: Session, society_id: int, floor_fen: int) -> FundPosition:
    """Balance, reserved and the totals by source, derived from the entries."""
    by_source = {FundSource(src): int(total) for src, total in session.execute(
        select(LedgerEntry.source, func.sum(LedgerEntry.amount_fen))
        .where(LedgerEntry.society_id == society_id, LedgerEntry.source != "")
        .group_by(LedgerEntry.source))}
    paid_out = -int(session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0)).where(
            LedgerEntry.society_id == society_id, LedgerEntry.case_id.is_not(None))) or 0)
    return FundPosition(balance(session, society_id), reserved(session, society_id), floor_fen,
                        by_source, paid_out)


def add_entry(
    session: Session, *, society_id: int, posted_on: dt.date, kind: LedgerKind, amount_fen: int,
    user: str, now: dt.datetime, source: FundSource | None = None, case_id: int | None = None,
    party: str = "", voucher_no: str = "", memo: str = "", reversal_of: int | None = None,
    method: PaymentMethod | None = None, receipt_signed: bool = False,
) -> int:
    """Append one entry; returns its number."""
    row = LedgerEntry(
        society_id=society_id, posted_on=posted_on, kind=kind.value, amount_fen=amount_fen,
        source=source.value if source else "", case_id=case_id, payer=party, voucher_no=voucher_no,
        memo=memo, reversal_of=reversal_of, method=method.value if method else "",
        receipt_signed=receipt_signed, created_at=now, created_by=user,
    )
    session.add(row)
    session.flush()
    return row.id


def _lines(session: Session, *conds) -> list[LedgerLine]:  # noqa: ANN002
    reversal = aliased(LedgerEntry)
    stmt = (
        select(LedgerEntry, AidCase.case_no, reversal.id)
        .outerjoin(AidCase, AidCase.id == LedgerEntry.case_id)
        .outerjoin(reversal, reversal.reversal_of == LedgerEntry.id)
        .where(*conds)
        .order_by(LedgerEntry.posted_on, LedgerEntry.id)
    )
    return [
        LedgerLine(
            id=e.id, posted_on=e.posted_on, kind=LedgerKind(e.kind), amount_fen=e.amount_fen,
            source=FundSource(e.source) if e.source else None, case_id=e.case_id, case_no=case_no or "",
            party=e.payer, voucher_no=e.voucher_no, memo=e.memo,
            method=PaymentMethod(e.method) if e.method else None, reversal_of=e.reversal_of,
            reversed_by=reversed_by, created_by=e.created_by,
        )
        for e, case_no, reversed_by in session.execute(stmt)
    ]


def entry(session: Session, society_id: int, entry_id: int) -> LedgerLine:
    """One entry of this society's ledger, or NotFoundError."""
    lines = _lines(session, LedgerEntry.id == entry_id, LedgerEntry.society_id == society_id)
    if not lines:
        raise NotFoundError(f"本社台账中没有第 {entry_id} 号记录")
    return lines[0]


def ledger(
    session: Session, society_id: int, *, start: dt.date | None = None, end: dt.date | None = None,
    kind: LedgerKind | None = None,
) -> tuple[int, list[LedgerLine]]:
    """The opening balance before ``start`` and the entries from ``start`` up to ``end``
    (exclusive), in ledger order."""
    conds = [LedgerEntry.society_id == society_id]
    if start is not None:
        conds.append(LedgerEntry.posted_on >= start)
    if end is not None:
        conds.append(LedgerEntry.posted_on < end)
    if kind is not None:
        conds.append(LedgerEntry.kind == kind.value)
    opening = balance(session, society_id, before=start) if start is not None else 0
    return opening, _lines(session, *conds)


def months_with_entries(session: Session, society_id: int) -> list[str]:
    """Every month that has entries, newest first (for the ledger's month filter)."""
    days = session.scalars(select(LedgerEntry.posted_on).where(LedgerEntry.society_id == society_id)
                           .distinct())
    return sorted({f"{d.year:04d}-{d.month:02d}" for d in days}, reverse=True)


def closed_months(session: Session, society_id: int) -> set[str]:
    return set(session.scalars(select(MonthClose.month).where(
        and_(MonthClose.society_id == society_id, MonthClose.closed.is_(True)))))


def set_month(session: Session, society_id: int, month: str, *, closed: bool, user: str,
              now: dt.datetime, reason: str) -> bool:
    """Close or reopen a month; returns whether it was closed before."""
    row = session.get(MonthClose, (society_id, month))
    was = bool(row and row.closed)
    if row is None:
        row = MonthClose(society_id=society_id, month=month)
        session.add(row)
    row.closed, row.changed_at, row.changed_by, row.reason = closed, now, user, reason
    session.flush()
    return was
