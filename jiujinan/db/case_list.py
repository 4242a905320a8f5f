"""The case list's queries: a count and pages by key range, so a million rows stay instant.

Every order is (sort column, id), backed by an index led by the society. A page is read
either after a known key (keyset: the next page when scrolling) or by offset from the
nearer end of the list (a jump with the scroll bar), never by loading the whole list.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from jiujinan.cases.enums import Cause, CaseStatus
from jiujinan.cases.listing import CaseListQuery, CaseListRow, search_kind
from jiujinan.db.models import AidCase, Society

_LIST_COLUMNS = (
    AidCase.id,
    AidCase.case_no,
    AidCase.applicant_name,
    AidCase.id_number,
    AidCase.cause,
    AidCase.requested_fen,
    AidCase.status,
    AidCase.applied_on,
    AidCase.updated_at,
)


def _prefix(column, prefix: str) -> ColumnElement[bool]:  # noqa: ANN001
    """``column`` starts with ``prefix``, as an index range (col >= p AND col < p⁺)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


def _conditions(session: Session, q: CaseListQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [AidCase.society_id == q.society_id]
    if q.status is not None:
        conds.append(AidCase.status == q.status.value)
    if q.cause is not None:
        conds.append(AidCase.cause == q.cause.value)
    if q.date_from is not None:
        conds.append(AidCase.applied_on >= q.date_from)
    if q.date_to is not None:
        conds.append(AidCase.applied_on <= q.date_to)
    text = "".join(q.text.split()).upper()
    if text:
        if search_kind(text) == "digits":
            area = session.scalar(select(Society.area_code).where(Society.id == q.society_id))
            options = [_prefix(AidCase.id_number, text), _prefix(AidCase.case_no, text)]
            if area and not text.startswith(area):
                # A clerk types "2026-00017": the society's own area code is implied.
                options.append(_prefix(AidCase.case_no, f"{area}-{text}"))
            conds.append(or_(*options))
        else:
            conds.append(_prefix(AidCase.applicant_name, q.text.strip()))
    return conds


def count_cases(session: Session, q: CaseListQuery) -> int:
    """How many cases match the filter."""
    return session.scalar(select(func.count()).select_from(AidCase).where(*_conditions(session, q))) or 0


def fetch_page(
    session: Session,
    q: CaseListQuery,
    *,
    limit: int,
    offset: int = 0,
    from_end: bool = False,
    after: tuple[object, int] | None = None,
) -> list[CaseListRow]:
    """Up to ``limit`` rows in list order.

    ``after`` = (sort value, id) starts right after that row (keyset); ``from_end`` reads
    the list backwards (offset counted from the last row) and still returns list order.
    """
    sort_col = getattr(AidCase, q.sort.value)
    descending = q.descending != from_end
    conds = _conditions(session, q)
    if after is not None:
        value, row_id = after
        if descending:
            conds.append(or_(sort_col < value, and_(sort_col == value, AidCase.id < row_id)))
        else:
            conds.append(or_(sort_col > value, and_(sort_col == value, AidCase.id > row_id)))
    order = (sort_col.desc(), AidCase.id.desc()) if descending else (sort_col.asc(), AidCase.id.asc())
    stmt = select(*_LIST_COLUMNS).where(*conds).order_by(*order).limit(limit).offset(offset)
    rows = [
        CaseListRow(
            id=r.id,
            case_no=r.case_no,
            applicant_name=r.applicant_name,
            id_number=r.id_number,
            cause=Cause(r.cause),
            requested_fen=r.requested_fen,
            status=CaseStatus(r.status),
            applied_on=r.applied_on,
            updated_at=r.updated_at,
        )
        for r in session.execute(stmt)
    ]
    if from_end:
        rows.reverse()
    return rows
