"""Reading and writing where a case stands in its review, its steps, and the calendar."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from jiujinan.cases.application import Application
from jiujinan.cases.enums import CaseStatus, Level, StepKind
from jiujinan.cases.errors import ConflictError, NotFoundError
from jiujinan.cases.records import StepRecord
from jiujinan.cases.review import ReviewState, Step
from jiujinan.cases.workdays import WorkCalendar
from jiujinan.db.models import AidCase, CalendarDay, CaseStep


def _level(value: str | None) -> Level | None:
    return Level(value) if value else None


def review_state(session: Session, case_id: int, *, one_event_clash: bool = False) -> tuple[ReviewState, int]:
    """The case as the review rules see it, and its version (for the optimistic check)."""
    row = session.get(AidCase, case_id)
    if row is None:
        raise NotFoundError("找不到该案件")
    state = ReviewState(
        status=CaseStatus(row.status),
        requested_fen=row.requested_fen,
        applied_on=row.applied_on,
        last_step_on=row.last_step_on or row.applied_on,
        proposed_fen=row.proposed_fen,
        approved_fen=row.approved_fen,
        decided_level=_level(row.decided_level),
        notice_start=row.notice_start,
        notice_end=row.notice_end,
        open_objections=row.open_objections,
        resume_status=CaseStatus(row.resume_status) if row.resume_status else None,
        emergency=row.emergency,
        emergency_fen=row.emergency_fen,
        emergency_on=row.emergency_on,
        emergency_deadline=row.emergency_deadline,
        one_event_clash=one_event_clash,
        repeat_reason=row.repeat_reason,
        paid_fen=row.paid_fen,
    )
    return state, row.version


def state_columns(state: ReviewState) -> dict[str, object]:
    """The aid_case columns that hold a review state."""
    return {
        "status": state.status.value,
        "proposed_fen": state.proposed_fen,
        "approved_fen": state.approved_fen,
        "decided_level": state.decided_level.value if state.decided_level else None,
        "notice_start": state.notice_start,
        "notice_end": state.notice_end,
        "open_objections": state.open_objections,
        "resume_status": state.resume_status.value if state.resume_status else None,
        "emergency": state.emergency,
        "emergency_fen": state.emergency_fen,
        "emergency_on": state.emergency_on,
        "emergency_deadline": state.emergency_deadline,
        "last_step_on": state.last_step_on,
        "repeat_reason": state.repeat_reason,
        "paid_fen": state.paid_fen,
    }


def step_columns(case_id: int, step: Step, *, user: str, now: dt.datetime) -> dict[str, object]:
    """A case_step row for ``step`` (also used by the demo's bulk insert)."""
    return {
        "case_id": case_id,
        "kind": step.kind.value,
        "level": step.level.value if step.level else None,
        "acted_on": step.on,
        "signer": step.signer,
        "opinion": step.opinion,
        "amount_fen": step.amount_fen,
        "details_json": json.dumps(step.details, ensure_ascii=False) if step.details else "",
        "status_before": step.status_before.value,
        "status_after": step.status_after.value,
        "recorded_at": now,
        "recorded_by": user,
    }


def decided_by(step: Step) -> bool:
    """Whether ``step`` is the final decision on the case (approval or rejection)."""
    return step.kind in (StepKind.DECISION, StepKind.REJECT) and step.status_after in (
        CaseStatus.AWAITING_PAYMENT, CaseStatus.REJECTED)


def save_step(
    session: Session, case_id: int, state: ReviewState, step: Step, *, version: int, user: str,
    now: dt.datetime,
) -> int:
    """Store the new state (if nobody changed the case since ``version``) and the step."""
    values = state_columns(state)
    if decided_by(step):
        values["decided_on"] = step.on
    result = session.execute(
        update(AidCase)
        .where(AidCase.id == case_id, AidCase.version == version)
        .values(version=version + 1, updated_at=now, updated_by=user, **values)
    )
    if result.rowcount != 1:
        raise ConflictError("该案件刚被他人办理过，请刷新后再操作")
    row = CaseStep(**step_columns(case_id, step, user=user, now=now))
    session.add(row)
    session.flush()
    return row.id


def acceptance_step(applied_on: dt.date, requested_fen: int) -> Step:
    """受理: the first step of every timeline."""
    return Step(StepKind.ACCEPT, applied_on, CaseStatus.ACCEPTED, CaseStatus.ACCEPTED,
                Level.VILLAGE, "", "", requested_fen)


def add_acceptance(session: Session, case_id: int, app: Application, *, user: str, now: dt.datetime) -> None:
    """Record the acceptance of a newly registered case."""
    step = acceptance_step(app.applied_on, app.requested_fen)
    session.add(CaseStep(**step_columns(case_id, step, user=user, now=now)))
    session.execute(update(AidCase).where(AidCase.id == case_id).values(last_step_on=app.applied_on))


def steps_of(session: Session, case_id: int) -> list[StepRecord]:
    """The case's timeline, oldest first."""
    stmt = select(CaseStep).where(CaseStep.case_id == case_id).order_by(CaseStep.id)
    return [
        StepRecord(
            id=r.id, kind=StepKind(r.kind), level=_level(r.level), on=r.acted_on, signer=r.signer,
            opinion=r.opinion, amount_fen=r.amount_fen,
            details=json.loads(r.details_json) if r.details_json else {},
            status_before=CaseStatus(r.status_before), status_after=CaseStatus(r.status_after),
            recorded_at=r.recorded_at, recorded_by=r.recorded_by,
        )
        for r in session.scalars(stmt)
    ]


def emergency_approver(session: Session, case_id: int) -> str | None:
    """The user who recorded the case's 先行救助 step (None: it has none)."""
    return session.scalar(select(CaseStep.recorded_by).where(
        CaseStep.case_id == case_id, CaseStep.kind == StepKind.EMERGENCY.value).order_by(CaseStep.id.desc()).limit(1))


def load_calendar(session: Session) -> WorkCalendar:
    """The holidays and make-up working days entered in the app."""
    rows = session.execute(select(CalendarDay.day, CalendarDay.working)).all()
    return WorkCalendar(
        holidays=frozenset(day for day, working in rows if not working),
        makeup_workdays=frozenset(day for day, working in rows if working),
    )


def replace_calendar(session: Session, days: list[tuple[dt.date, bool, str]]) -> None:
    """Set the holiday list to ``days`` (date, is a working day, name)."""
    session.execute(delete(CalendarDay))
    for day, working, name in days:
        session.add(CalendarDay(day=day, working=working, name=name))
    session.flush()


def calendar_days(session: Session) -> list[tuple[dt.date, bool, str]]:
    return [tuple(r) for r in session.execute(
        select(CalendarDay.day, CalendarDay.working, CalendarDay.name).order_by(CalendarDay.day))]


def notice_cases(session: Session, society_id: int, *, start: dt.date | None = None,
                 end: dt.date | None = None, on_notice_at: dt.date | None = None) -> list[tuple]:
    """Cases whose notice began in [start, end), or that are on notice on ``on_notice_at``:
    (name, ID number, cause, proposed amount, notice start, notice end, place). A withdrawn
    case is not listed: it is no longer proposed for aid."""
    stmt = select(AidCase.id, AidCase.applicant_name, AidCase.id_number, AidCase.cause, AidCase.proposed_fen,
                  AidCase.requested_fen, AidCase.notice_start, AidCase.notice_end) \
        .where(AidCase.society_id == society_id, AidCase.notice_start.is_not(None),
               AidCase.status != CaseStatus.WITHDRAWN.value)
    if start is not None:
        stmt = stmt.where(AidCase.notice_start >= start)
    if end is not None:
        stmt = stmt.where(AidCase.notice_start < end)
    if on_notice_at is not None:
        stmt = stmt.where(AidCase.status == CaseStatus.NOTICE.value, AidCase.notice_start <= on_notice_at,
                          AidCase.notice_end >= on_notice_at)
    rows = session.execute(stmt.order_by(AidCase.notice_start, AidCase.id)).all()
    places = dict(session.execute(
        select(CaseStep.case_id, CaseStep.details_json).where(
            CaseStep.kind == StepKind.NOTICE.value, CaseStep.case_id.in_([r.id for r in rows]))).all())
    return [(r.applicant_name, r.id_number, r.cause, r.proposed_fen or r.requested_fen, r.notice_start,
             r.notice_end, json.loads(places[r.id]).get("place", "") if places.get(r.id) else "") for r in rows]


def signers_used(session: Session, society_id: int, limit: int = 50) -> list[str]:
    """The names signed on this society's review steps, the most recently used first."""
    last = func.max(CaseStep.id).label("last")
    stmt = (select(CaseStep.signer, last).join(AidCase, AidCase.id == CaseStep.case_id)
            .where(AidCase.society_id == society_id, CaseStep.signer != "")
            .group_by(CaseStep.signer).order_by(last.desc()).limit(limit))
    return [row[0] for row in session.execute(stmt)]
