"""The 待办 queries: each group is a count and its first rows, through the status indexes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, func, not_, select
from sqlalchemy.orm import Session

from jiujinan.cases.enums import INACTIVE_STATUSES, CaseStatus
from jiujinan.cases.review import REVIEW_DONE
from jiujinan.cases.todo import STATUS_GROUPS, TodoGroup, TodoList, TodoRow
from jiujinan.db.models import AidCase

_ROW = (AidCase.id, AidCase.case_no, AidCase.applicant_name, AidCase.status, AidCase.requested_fen,
        AidCase.applied_on)


def _group(session: Session, group: TodoGroup, conds: list[ColumnElement[bool]], order, due, limit: int) -> TodoList:  # noqa: ANN001
    count = session.scalar(select(func.count()).select_from(AidCase).where(*conds)) or 0
    stmt = select(*_ROW, due).where(*conds).order_by(*order).limit(limit)
    rows = tuple(TodoRow(r[0], r[1], r[2], CaseStatus(r[3]), r[4], r[5], r[6]) for r in session.execute(stmt))
    return TodoList(group, count, rows)


def todo_lists(session: Session, society_id: int, *, today: dt.date, emergency_until: dt.date,
               limit: int = 200) -> list[TodoList]:
    """Every non-empty group, most urgent first; ``emergency_until`` is the warning horizon.

    A case is in one group only: an emergency case near its deadline is listed under
    先行救助 and not again under its status, so the counts add up to the cases shown. The
    期限 of an emergency case is its paperwork deadline wherever it is listed."""
    mine = AidCase.society_id == society_id
    active = AidCase.status.notin_([s.value for s in REVIEW_DONE | INACTIVE_STATUSES])
    urgent = [AidCase.emergency_deadline.is_not(None), AidCase.emergency_deadline <= emergency_until, active]
    elsewhere = not_(urgent[0] & urgent[1] & urgent[2])
    out = [
        _group(session, TodoGroup.EMERGENCY, [mine, *urgent],
               [AidCase.emergency_deadline, AidCase.id], AidCase.emergency_deadline, limit),
        _group(session, TodoGroup.NOTICE_ENDED,
               [mine, AidCase.status == CaseStatus.NOTICE.value, AidCase.notice_end < today, elsewhere],
               [AidCase.notice_end, AidCase.id], func.coalesce(AidCase.emergency_deadline, AidCase.notice_end), limit),
    ]
    for group, status in STATUS_GROUPS.items():
        out.append(_group(session, group, [mine, AidCase.status == status.value, elsewhere],
                          [AidCase.applied_on, AidCase.id], AidCase.emergency_deadline, limit))
    return [t for t in out if t.count]
