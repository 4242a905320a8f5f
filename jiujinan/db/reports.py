"""Queries behind the printed reports: the roster, the month's figures."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from jiujinan.cases.enums import INACTIVE_STATUSES, CaseStatus, LedgerKind

_WITHDRAWN = CaseStatus.WITHDRAWN.value  # 撤回/作废: never aid, never on a paper as aid
from jiujinan.db.models import AidCase, LedgerEntry, fen_sum


def roster(session: Session, society_id: int, start: dt.date, end: dt.date) -> list[tuple]:
    """Payments made in [start, end) and not reversed: (name, ID, household type, cause,
    amount, method, paid on, case number), in date order. (A withdrawn case's payments are all
    reversed; it is left out by name as well.)"""
    reversal = aliased(LedgerEntry)
    stmt = (
        select(AidCase.applicant_name, AidCase.id_number, AidCase.household_type, AidCase.cause,
               -LedgerEntry.amount_fen, LedgerEntry.method, LedgerEntry.posted_on, AidCase.case_no)
        .join(AidCase, AidCase.id == LedgerEntry.case_id)
        .outerjoin(reversal, reversal.reversal_of == LedgerEntry.id)
        .where(LedgerEntry.society_id == society_id, LedgerEntry.kind == LedgerKind.PAYMENT.value,
               LedgerEntry.posted_on >= start, LedgerEntry.posted_on < end, reversal.id.is_(None),
               AidCase.status != _WITHDRAWN)
        .order_by(LedgerEntry.posted_on, LedgerEntry.id)
    )
    return [tuple(r) for r in session.execute(stmt)]


def month_figures(session: Session, society_id: int, start: dt.date, end: dt.date) -> dict[str, object]:
    """The monthly report's numbers for [start, end); withdrawn cases (entered twice or by
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
    movements = session.execute(
        select(LedgerEntry.kind, LedgerEntry.source, func.count(), fen_sum(LedgerEntry.amount_fen))
        .where(LedgerEntry.society_id == society_id, in_month(LedgerEntry.posted_on))
        .group_by(LedgerEntry.kind, LedgerEntry.source)).all()
    paid_cases = session.scalar(select(func.count(func.distinct(LedgerEntry.case_id))).where(
        LedgerEntry.society_id == society_id, LedgerEntry.kind == LedgerKind.PAYMENT.value,
        in_month(LedgerEntry.posted_on))) or 0
    pending = session.scalar(select(func.count()).select_from(AidCase).where(
        mine, AidCase.applied_on < end,
        AidCase.status.in_([CaseStatus.ACCEPTED.value, CaseStatus.INVESTIGATED.value, CaseStatus.DELIBERATED.value,
                            CaseStatus.NOTICE.value, CaseStatus.VILLAGE_APPROVED.value,
                            CaseStatus.TOWN_APPROVED.value, CaseStatus.RETURNED.value]))) or 0
    return {"received": tuple(received), "approved": [tuple(r) for r in approved], "rejected": rejected,
            "movements": [tuple(r) for r in movements], "paid_cases": paid_cases, "pending_now": pending}


def case_ids_applied(session: Session, society_id: int, start: dt.date, end: dt.date) -> list[int]:
    """The cases applied for in [start, end), in case-number order; not withdrawn ones."""
    return list(session.scalars(select(AidCase.id).where(
        AidCase.society_id == society_id, AidCase.applied_on >= start, AidCase.applied_on < end,
        AidCase.status != _WITHDRAWN)
        .order_by(AidCase.case_year, AidCase.case_seq)))
