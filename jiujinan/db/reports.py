"""Queries behind the printed reports: the roster, the month's figures."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, literal, select
from sqlalchemy.orm import Session, aliased

from jiujinan.cases.enums import INACTIVE_STATUSES, CaseStatus, LedgerKind, StepKind

_WITHDRAWN = CaseStatus.WITHDRAWN.value  # 撤回/作废: never aid, never on a paper as aid
from jiujinan.db.models import AidCase, CaseStep, LedgerEntry, fen_sum


def roster(session: Session, society_id: int, start: dt.date, end: dt.date) -> list[tuple]:
    """The disbursement roster of [start, end), summing to the ledger's 支出 of the same days:
    (name, ID, household type, cause, amount, method, paid on, case number, account, address,
    household size, reversed payment's date or None), in date order.

    A payment made in the period is on it unless reversed in the period too (a pair that nets
    to nothing); a payment reversed later stays on the roster of the month it was paid, as the
    ledger of that month shows it, so a reprint matches the signed original. A reversal in the
    period of a payment made earlier is a negative line (the money came back this month). A
    withdrawn case's payments are all reversed, so it drops out by the same rule."""
    original = aliased(LedgerEntry)
    reversal = aliased(LedgerEntry)
    in_period = lambda col: and_(col >= start, col < end)  # noqa: E731
    person = (AidCase.applicant_name, AidCase.id_number, AidCase.household_type, AidCase.cause)
    where = (AidCase.account_no, AidCase.address, AidCase.household_size)
    paid = (
        select(*person, -LedgerEntry.amount_fen, LedgerEntry.method, LedgerEntry.posted_on, AidCase.case_no,
               *where, literal(None).label("reverses_paid_on"), LedgerEntry.id)
        .join(AidCase, AidCase.id == LedgerEntry.case_id)
        .outerjoin(reversal, and_(reversal.reversal_of == LedgerEntry.id, in_period(reversal.posted_on)))
        .where(LedgerEntry.society_id == society_id, LedgerEntry.kind == LedgerKind.PAYMENT.value,
               in_period(LedgerEntry.posted_on), reversal.id.is_(None))
    )
    returned = (
        select(*person, -LedgerEntry.amount_fen, LedgerEntry.method, LedgerEntry.posted_on, AidCase.case_no,
               *where, original.posted_on, LedgerEntry.id)
        .join(AidCase, AidCase.id == LedgerEntry.case_id)
        .join(original, original.id == LedgerEntry.reversal_of)
        .where(LedgerEntry.society_id == society_id, LedgerEntry.kind == LedgerKind.REVERSAL.value,
               original.kind == LedgerKind.PAYMENT.value, in_period(LedgerEntry.posted_on),
               original.posted_on < start)
    )
    rows = [tuple(r) for stmt in (paid, returned) for r in session.execute(stmt)]
    rows.sort(key=lambda r: (r[6], r[-1]))  # ledger order: date, then entry number
    return [r[:-1] for r in rows]


def case_ids_paid(session: Session, society_id: int, start: dt.date, end: dt.date) -> list[int]:
    """The cases with a payment or a reversal in [start, end): those the roster names."""
    return list(session.scalars(select(LedgerEntry.case_id).distinct().where(
        LedgerEntry.society_id == society_id, LedgerEntry.case_id.is_not(None),
        LedgerEntry.kind.in_([LedgerKind.PAYMENT.value, LedgerKind.REVERSAL.value]),
        LedgerEntry.posted_on >= start, LedgerEntry.posted_on < end)))


def month_events(session: Session, society_id: int, start: dt.date, end: dt.date) -> dict[str, tuple[int, int]]:
    """Steps of the month the monthly report counts, as (cases, amount): returned for more
    material (退回补充材料, with the amount applied for) and emergency advances approved
    (先行救助, with the advance). Withdrawn cases are no aid and are not counted."""
    out: dict[str, tuple[int, int]] = {}
    for key, kind, amount in (("returned", StepKind.RETURN, AidCase.requested_fen),
                              ("emergency", StepKind.EMERGENCY, CaseStep.amount_fen)):
        step_cases = (select(CaseStep.case_id, func.max(amount).label("fen"))
                      .join(AidCase, AidCase.id == CaseStep.case_id)
                      .where(AidCase.society_id == society_id, AidCase.status != _WITHDRAWN,
                             CaseStep.kind == kind.value, CaseStep.acted_on >= start, CaseStep.acted_on < end)
                      .group_by(CaseStep.case_id).subquery())
        n, fen = session.execute(select(func.count(), func.coalesce(fen_sum(step_cases.c.fen), 0))).one()
        out[key] = (int(n), int(fen))
    return out


def month_figures(session: Session, society_id: int, start: dt.date, end: dt.date) -> dict[str, object]:
    """The monthly report's case numbers for [start, end) (its money comes from the ledger,
    summed as the 台账 sums it: cases/fund.month_totals); withdrawn cases (entered twice or by
    mistake, or withdrawn by the applicant) are neither received nor decided."""
    mine = (AidCase.society_id == society_id) & (AidCase.status != _WITHDRAWN)
    in_month = lambda col: and_(col >= start, col < end)  # noqa: E731
    received = session.execute(select(func.count(), func.coalesce(fen_sum(AidCase.requested_fen), 0))
                               .where(mine, in_month(AidCase.applied_on))).one()
    decided = AidCase.decided_on
    approved = session.execute(
        select(AidCase.cause, func.count(), func.coalesce(fen_sum(AidCase.approved_fen), 0))
        .where(mine, in_month(decided), AidCase.status.notin_([s.value for s in INACTIVE_STATUSES]))
        .group_by(AidCase.cause)).all()
    rejected = session.scalar(select(func.count()).select_from(AidCase).where(
        mine, in_month(decided), AidCase.status == CaseStatus.REJECTED.value)) or 0
    # 月末在办: applied for by the month's end and not decided by then (what the case is today
    # does not count, so a report reprinted later says what it said when filed).
    pending = session.scalar(select(func.count()).select_from(AidCase).where(
        mine, AidCase.applied_on < end, (decided.is_(None)) | (decided >= end))) or 0
    return {"received": tuple(received), "approved": [tuple(r) for r in approved], "rejected": rejected,
            "pending_at_end": pending, **month_events(session, society_id, start, end)}


def case_ids_applied(session: Session, society_id: int, start: dt.date, end: dt.date) -> list[int]:
    """The cases applied for in [start, end), in case-number order; not withdrawn ones."""
    return list(session.scalars(select(AidCase.id).where(
        AidCase.society_id == society_id, AidCase.applied_on >= start, AidCase.applied_on < end,
        AidCase.status != _WITHDRAWN)
        .order_by(AidCase.case_year, AidCase.case_seq)))
