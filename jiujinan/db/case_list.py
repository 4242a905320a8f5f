"""The case list's queries: a count and pages by key range, so a million rows stay instant.

Every order is (sort column, id), backed by an index led by the society. A page is read
either after a known key (keyset: the next page when scrolling) or by offset from the
nearer end of the list (a jump with the scroll bar), never by loading the whole list.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, literal, select, tuple_, union
from sqlalchemy.orm import Session

from jiujinan.cases.enums import Cause, CaseStatus
from jiujinan.cases.listing import CaseListQuery, CaseListRow, search_needle
from jiujinan.db import search
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
    AidCase.emergency_deadline,
)


def _filters(session: Session, q: CaseListQuery) -> tuple[list[ColumnElement[bool]], list[ColumnElement[bool]]]:
    """(conditions every row meets, alternative search conditions of which one must hold)."""
    options: list[ColumnElement[bool]] = []
    society = AidCase.society_id == q.society_id
    if search_needle(q.text):
        area = session.scalar(select(Society.area_code).where(Society.id == q.society_id))
        society, options = search.society_and_options(session, q.text, q.society_id, area)
    conds = [society]
    if q.status is not None:
        conds.append(AidCase.status == q.status.value)
    if q.cause is not None:
        conds.append(AidCase.cause == q.cause.value)
    if q.date_from is not None:
        conds.append(AidCase.applied_on >= q.date_from)
    if q.date_to is not None:
        conds.append(AidCase.applied_on <= q.date_to)
    return conds, options


def _matches(session: Session, q: CaseListQuery, keep: tuple):  # noqa: ANN202
    """The rows a search selects (their ``keep`` columns), as a fenced CTE: one indexed
    SELECT per alternative, united.

    A search matches few rows: they are gathered through the search indexes first and
    ordered afterwards; only the key and sort value are kept, the page's rows are read
    last (a whole row for each of 4,000 matches doubled the time of a page). Without the
    fence the planner walks the whole list in display order looking for matches (seen:
    420 ms instead of 4 ms at a million cases).
    """
    conds, options = _filters(session, q)
    if not options:
        return None, conds
    selects = [select(*keep).where(*conds, option) for option in options]
    united = selects[0] if len(selects) == 1 else union(*selects)
    return united.cte("matches").prefix_with("MATERIALIZED"), []


def count_cases(session: Session, q: CaseListQuery) -> int:
    """How many cases match the filter."""
    source, conds = _matches(session, q, (AidCase.id,))
    if source is None:
        stmt = select(func.count()).select_from(AidCase).where(*conds)
    else:
        stmt = select(func.count()).select_from(source)
    return session.scalar(stmt) or 0


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
    descending = q.descending != from_end
    sort_key = getattr(AidCase, q.sort.value)
    source, conds = _matches(session, q, (AidCase.id, sort_key))
    sort_col, id_col = (sort_key, AidCase.id) if source is None else (source.c[q.sort.value], source.c.id)
    if after is not None:
        value, row_id = after
        if value is None:
            raise ValueError("a page is read after a row with a sort value")
        # A row-value comparison is one range of the (society, sort column, id) index on
        # both SQLite and PostgreSQL; the equivalent OR form made PostgreSQL filter half a
        # million rows (110 ms instead of under 1 ms).
        key, start = tuple_(sort_col, id_col), tuple_(literal(value, sort_col.type), literal(row_id, id_col.type))
        conds.append(key < start if descending else key > start)
    order = (sort_col.desc(), id_col.desc()) if descending else (sort_col.asc(), id_col.asc())
    rows_order = (sort_key.desc(), AidCase.id.desc()) if descending else (sort_key.asc(), AidCase.id.asc())
    if offset or source is not None:
        # A jump deep into the list: skip rows in the index alone (an index-only scan of
        # (society, sort column, id)), then read just the page's rows. Skipping whole rows
        # cost 280 ms at the middle of a million on PostgreSQL, 84 ms on SQLite. A search
        # likewise orders its matches' keys and reads the page's rows only.
        keys = select(id_col).select_from(AidCase if source is None else source).where(*conds) \
            .order_by(*order).limit(limit).offset(offset).subquery("page")
        stmt = select(*_LIST_COLUMNS).join(keys, keys.c.id == AidCase.id).order_by(*rows_order)
    else:
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
            emergency_deadline=r.emergency_deadline,
        )
        for r in session.execute(stmt)
    ]
    if from_end:
        rows.reverse()
    return rows
