"""The step bar: where a case stands on the way 受理 → … → 结案, for the case screen."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from jiujinan.cases.enums import CaseStatus, Level
from jiujinan.cases.review import ReviewState

STEP_LABELS = ("受理", "入户调查", "民主评议", "公示", "村审核", "乡镇审核", "区审批", "待发放", "已发放", "结案")
_VILLAGE, _TOWN, _DISTRICT = 4, 5, 6
_POSITION = {
    CaseStatus.ACCEPTED: 1,
    CaseStatus.INVESTIGATED: 2,
    CaseStatus.DELIBERATED: 3,
    CaseStatus.NOTICE: 3,
    CaseStatus.VILLAGE_APPROVED: _TOWN,
    CaseStatus.TOWN_APPROVED: _DISTRICT,
    CaseStatus.AWAITING_PAYMENT: 7,
    CaseStatus.PAID: 9,
    CaseStatus.CLOSED: 10,
}
_LEVEL_POSITION = {Level.VILLAGE: _VILLAGE, Level.TOWN: _TOWN, Level.DISTRICT: _DISTRICT}


class Mark(str, Enum):
    DONE = "done"
    CURRENT = "current"
    TODO = "todo"
    SKIPPED = "skipped"  # a level the amount did not need
    STOPPED = "stopped"  # rejected here
    RETURNED = "returned"  # sent back for material here


def step_bar(state: ReviewState, today: dt.date) -> list[tuple[str, Mark]]:
    """Each step of the bar with how it is marked."""
    if state.status is CaseStatus.REJECTED:
        stop = _LEVEL_POSITION.get(state.decided_level or Level.VILLAGE, _VILLAGE)
        return [(label, Mark.DONE if i < stop else Mark.STOPPED if i == stop else Mark.TODO)
                for i, label in enumerate(STEP_LABELS)]
    status = state.resume_status if state.status is CaseStatus.RETURNED else state.status
    assert status is not None
    position = _POSITION[status]
    if status is CaseStatus.NOTICE and state.notice_end is not None and today > state.notice_end:
        position = _VILLAGE  # the notice period is over: the village opinion is next
    skipped: set[int] = set()
    if state.decided_level is Level.VILLAGE and position >= 7:
        skipped = {_TOWN, _DISTRICT}
    elif state.decided_level is Level.TOWN and position >= 7:
        skipped = {_DISTRICT}
    out = []
    for i, label in enumerate(STEP_LABELS):
        if i in skipped:
            mark = Mark.SKIPPED
        elif i < position:
            mark = Mark.DONE
        elif i == position:
            mark = Mark.RETURNED if state.status is CaseStatus.RETURNED else Mark.CURRENT
        else:
            mark = Mark.TODO
        out.append((label, mark))
    return out
