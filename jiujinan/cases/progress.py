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
    SKIPPED = "skipped"  # a step the case never took: a level the amount did not need, or after it stopped
    STOPPED = "stopped"  # rejected here
    RETURNED = "returned"  # sent back for material here
    WITHDRAWN = "withdrawn"  # withdrawn (撤回) here


def step_bar(state: ReviewState, today: dt.date) -> list[tuple[str, Mark]]:
    """Each step of the bar with how it is marked."""
    if state.status is CaseStatus.REJECTED:
        return _stopped_bar(state)
    if state.status is CaseStatus.WITHDRAWN:
        # Where it stood is kept in resume_status; the steps it never took are skipped.
        # (on the day it was withdrawn, not today: the bar stays where the case stopped)
        position = _position(state, state.resume_status or CaseStatus.ACCEPTED, state.last_step_on)
        skipped = _levels_not_needed(state, position)
        return [(label, Mark.WITHDRAWN if i == position else Mark.DONE if i < position and i not in skipped
                 else Mark.SKIPPED) for i, label in enumerate(STEP_LABELS)]
    status = state.resume_status if state.status is CaseStatus.RETURNED else state.status
    assert status is not None
    position = _position(state, status, today)
    skipped = _levels_not_needed(state, position)
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


def _levels_not_needed(state: ReviewState, position: int) -> set[int]:
    """The levels an approval within a lower level's limit did not need."""
    if state.decided_level is Level.VILLAGE and position >= 7:
        return {_TOWN, _DISTRICT}
    if state.decided_level is Level.TOWN and position >= 7:
        return {_DISTRICT}
    return set()


def _position(state: ReviewState, status: CaseStatus, today: dt.date) -> int:
    """The bar's index of the step a case in ``status`` waits for."""
    position = _POSITION[status]
    if status is CaseStatus.NOTICE and state.notice_end is not None and today > state.notice_end:
        position = _VILLAGE  # the notice period is over: the village opinion is next
    return position


def _stopped_bar(state: ReviewState) -> list[tuple[str, Mark]]:
    """Rejected: stopped at the deciding level's box; the steps before it that the case took
    are done, the ones it never took (a rejection at 受理 skips the visit, the board and the
    notice) and everything after are skipped."""
    stop = _LEVEL_POSITION.get(state.decided_level or Level.VILLAGE, _VILLAGE)
    # Cases rejected before this was recorded have no resume_status: as if the village steps were taken.
    reached = _POSITION[state.resume_status] if state.resume_status in _POSITION else stop
    if state.resume_status is CaseStatus.NOTICE:
        reached = _VILLAGE  # rejected on or after the notice: the notice was taken
    out = []
    for i, label in enumerate(STEP_LABELS):
        if i == stop:
            mark = Mark.STOPPED
        elif i < min(reached, stop):
            mark = Mark.DONE
        else:
            mark = Mark.SKIPPED
        out.append((label, mark))
    return out
