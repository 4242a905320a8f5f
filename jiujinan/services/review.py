"""The review as operations: look at a case, take its next step (one transaction each)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from jiujinan.cases.disclosure import Output, disclose_application
from jiujinan.cases.duties import check_approval_duty
from jiujinan.cases.enums import Level, StepKind
from jiujinan.cases.errors import ConflictError
from jiujinan.cases.history import AidHistory, one_event_clash, summarize_history
from jiujinan.cases.progress import Mark, step_bar
from jiujinan.cases.records import StepRecord, StoredCase
from jiujinan.cases.review import (
    Action, ReviewError, ReviewState, Rules, Withdraw, allowed, apply, emergency_days_left,
)
from jiujinan.cases.text import split_names
from jiujinan.cases.todo import EMERGENCY_WARN_DAYS, TodoList
from jiujinan.cases.workdays import WorkCalendar, format_calendar_lines, parse_calendar_lines
from jiujinan.cases.exchange import refusal_here
from jiujinan.cases.offices import OfficeKind
from jiujinan.db import audit, cases, review, societies
from jiujinan.db import offices as offices_db
from jiujinan.db import packets as packets_db
from jiujinan.db import fund as fund_db
from jiujinan.db import todo as todo_db
from jiujinan.cases.users import Permission
from jiujinan.services.access import WHOLE_DATABASE, authorize, check_sees
from jiujinan.services.context import AppContext
from jiujinan.services.seal_guard import refuse_changed


@dataclass(frozen=True)
class CaseView:
    """Everything the case screen shows: the application, where it stands, what comes next."""

    case: StoredCase
    state: ReviewState
    steps: tuple[StepRecord, ...]
    allowed: tuple[StepKind, ...]
    bar: tuple[tuple[str, Mark], ...]
    emergency_days_left: int | None
    history: AidHistory
    version: int


def case_history(session, society_id: int, case: StoredCase) -> AidHistory:  # noqa: ANN001
    """The applicant's aid in the society as it stands for a stored ``case`` (一事一救: the
    earlier cases that make it a repeat); inside a read the caller has already checked."""
    app = case.application
    prior = cases.prior_cases(session, society_id, app.id_number)
    return summarize_history(prior, app.cause, app.applied_on, case.case_no)


def case_view(ctx: AppContext, case_id: int, user: str) -> CaseView:
    """The case with its review state, timeline and the steps it allows now, for ``user``
    who works on its society (personal numbers as the case screen shows them to their roles)."""
    today = ctx.clock.today()
    with ctx.read() as s:
        case = cases.load_case(s, case_id)
        who = check_sees(s, user, case.society_id)
        history = case_history(s, case.society_id, case)
        state, version = review.review_state(s, case_id,
                                             one_event_clash=one_event_clash(history))
        steps = review.steps_of(s, case_id)
        calendar = review.load_calendar(s)
        refusal = _levels_here(s, case_id, state)
        here = [kind for kind in allowed(state) if refusal(kind, state.waiting_level()) is None]
    app = disclose_application(case.application, Output.SCREEN, who.roles)
    case = case if app == case.application else dataclasses.replace(case, application=app)
    return CaseView(case, state, tuple(steps), tuple(here), tuple(step_bar(state, today)),
                    emergency_days_left(state, calendar, today), history, version)


def perform(ctx: AppContext, case_id: int, action: Action, user: str, *, version: int) -> CaseView:
    """Take one review step: checked by the rules, stored with its step and audit entry."""
    today, now = ctx.clock.today(), ctx.clock.now()
    with ctx.write() as s:
        case = cases.load_case(s, case_id)
        authorize_step(s, user, action, case.society_id)
        # A step seals the case again: taken on an edit made outside the app, it would pass
        # the edit off as audited (an amount, an account); the society's limits decide approvals.
        refuse_changed(s, "case", case_id, "不能办理")
        refuse_changed(s, "society", case.society_id, "不能办理")
        history = case_history(s, case.society_id, case)
        state, current_version = review.review_state(
            s, case_id, one_event_clash=one_event_clash(history))
        if current_version != version:
            raise ConflictError("该案件刚被他人办理过，请刷新后再操作")
        _refuse_other_levels(s, case_id, action, state)
        fund_db.lock_fund(s, case.society_id)
        settings = societies.get_society(s, case.society_id).settings
        # A case owned by a village elsewhere draws on that village's fund, which is checked
        # there when it pays; here the society's ledger is empty.
        position = None if packets_db.is_remote_case(s, case_id) else \
            fund_db.position(s, case.society_id, settings.fund_floor_fen)
        rules = Rules(settings, review.load_calendar(s), position)
        new_state, step = apply(state, action, rules, today)
        check_approval_duty(user, case.created_by, action.kind, getattr(action, "level", None),
                            settings.entrant_may_approve)
        review.save_step(s, case_id, new_state, step, version=version, user=user, now=now)
        before, after = review.state_columns(state), review.state_columns(new_state)
        changed = [k for k in before if before[k] != after[k]]
        audit.record(s, user=user, now=now, entity="case", entity_id=case_id,
                     action=f"step:{step.kind.value}", society_id=case.society_id,
                     before={k: before[k] for k in changed},
                     after={**{k: after[k] for k in changed}, "step": dataclasses.asdict(step)},
                     seals=[("case", case_id)])
    return case_view(ctx, case_id, user)


def _refuse_other_levels(s, case_id: int, action: Action, state) -> None:  # noqa: ANN001
    if reason := _levels_here(s, case_id, state)(action.kind, getattr(action, "level", None)):
        raise ReviewError(reason)


def _levels_here(s, case_id: int, state) -> Callable[[StepKind, Level | None], str | None]:  # noqa: ANN001
    """Why this office may not record a step on the case (cases/exchange.refusal_here): a town
    only the town's opinion on a village's case, a village not the town's on a case it sent up
    by packet. The case screen offers only what it may (case_view); a step is refused anyway."""
    office = offices_db.office(s)
    if office is None or office.derived:
        return lambda _kind, _level: None
    if office.kind is not OfficeKind.VILLAGE and not packets_db.is_remote_case(s, case_id):
        return lambda _kind, _level: None  # a village working on the town's shared server, as before offices
    above = [t for t in offices_db.trusted_offices(s) if t.kind.rank > office.kind.rank]
    sent = packets_db.sent_up(s, case_id, [t.area_code for t in above])
    waiting_above = sent and state.waiting_level() in (Level.TOWN, Level.DISTRICT)
    names = "、".join(t.name for t in above[:2])
    return lambda kind, level: refusal_here(office, kind, level, sent_up=sent, waiting_above=waiting_above,
                                            above_name=names)


def authorize_step(session, user: str, action: Action, society_id: int) -> None:  # noqa: ANN001
    """Review steps need 审核人; 撤回 may be recorded by an 经办人 too (cases/users.GRANTS)."""
    permission = Permission.WITHDRAW if isinstance(action, Withdraw) else Permission.REVIEW
    authorize(session, user, permission, society_id)


def calendar(ctx: AppContext) -> WorkCalendar:
    with ctx.read() as s:
        return review.load_calendar(s)


def todo(ctx: AppContext, society_id: int, user: str, limit: int = 200) -> list[TodoList]:
    """What waits for the clerk in this society, most urgent first (only for a ``user`` who
    works on it)."""
    today = ctx.clock.today()
    with ctx.read() as s:
        check_sees(s, user, society_id)
        horizon = review.load_calendar(s).add_working_days(today, EMERGENCY_WARN_DAYS)
        return todo_db.todo_lists(s, society_id, today=today, emergency_until=horizon, limit=limit)


# Names offered in a signer field: enough for a society's board, committee and town officials.
SIGNERS_OFFERED = 30


def signers_used(ctx: AppContext, society_id: int, user: str) -> list[str]:
    """The single names signed before on this society's steps, most recent first, to offer
    in a signer field; only for a viewer who works on the society. A visit's or a
    deliberation's signer is its list of people (李委员、王会计): each is offered alone."""
    with ctx.read() as s:
        check_sees(s, user, society_id)
        signed = review.signers_used(s, society_id, limit=SIGNERS_OFFERED * 10)
    names: dict[str, None] = {}  # insertion order: the most recent first
    for signer in signed:
        for name in (word for part in split_names(signer) for word in part.split()):
            names.setdefault(name, None)
    return list(names)[:SIGNERS_OFFERED]


def calendar_text(ctx: AppContext) -> str:
    """The holidays and make-up days as editable lines."""
    with ctx.read() as s:
        return format_calendar_lines(review.calendar_days(s))


def set_calendar(ctx: AppContext, text: str, user: str) -> int:
    """Replace the holiday list from lines; returns how many days it holds."""
    days = parse_calendar_lines(text)
    now = ctx.clock.now()
    with ctx.write() as s:
        authorize(s, user, Permission.SETTINGS, WHOLE_DATABASE)
        before = format_calendar_lines(review.calendar_days(s))
        review.replace_calendar(s, days)
        audit.record(s, user=user, now=now, entity="calendar", entity_id=0, action="replace",
                     before={"lines": before}, after={"lines": format_calendar_lines(days)}, seals=[("calendar", 0)])
    return len(days)
