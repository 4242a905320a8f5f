"""The review of a case (三级联动): which step may come next, and what each step changes.

Every rule lives here as plain Python: ``apply(state, action, ...)`` either returns the new
state with the step to record, or raises ReviewError with the reason a clerk reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace

from jiujinan.cases.enums import INACTIVE_STATUSES, REVIEW_DONE, CaseStatus, Level, StepKind
from jiujinan.cases.errors import DomainError, FieldError, ValidationError
from jiujinan.cases.fund import FundPosition, check_approval, payable_fen
from jiujinan.cases.money import format_yuan_label
from jiujinan.cases.society import SocietySettings
from jiujinan.cases.text import clean_text
from jiujinan.cases.workdays import WorkCalendar, period_end


class ReviewError(DomainError):
    """A step the case's state or the society's rules do not allow."""


# Where each level acts: the village from acceptance to the end of the notice.
VILLAGE_STAGE = frozenset({CaseStatus.ACCEPTED, CaseStatus.INVESTIGATED, CaseStatus.DELIBERATED,
                           CaseStatus.NOTICE})
LEVEL_STAGE = {
    Level.VILLAGE: VILLAGE_STAGE,
    Level.TOWN: frozenset({CaseStatus.VILLAGE_APPROVED}),
    Level.DISTRICT: frozenset({CaseStatus.TOWN_APPROVED}),
}
MIN_INVESTIGATORS = 2  # 入户调查 by at least two people
MIN_BOARD = 3  # the board (理事会) has at least three members


@dataclass(frozen=True)
class ReviewState:
    """What the rules need to know about a case."""

    status: CaseStatus
    requested_fen: int
    applied_on: dt.date
    last_step_on: dt.date
    proposed_fen: int | None = None
    approved_fen: int | None = None
    decided_level: Level | None = None
    notice_start: dt.date | None = None
    notice_end: dt.date | None = None
    open_objections: int = 0
    # Where the case stood when it was returned (to resume there), or when it was rejected or
    # withdrawn (for the step bar): the last status of its way.
    resume_status: CaseStatus | None = None
    emergency: bool = False
    emergency_fen: int | None = None
    emergency_on: dt.date | None = None
    emergency_deadline: dt.date | None = None
    one_event_clash: bool = False  # 一事一救: same cause aided or pending this year
    repeat_reason: str = ""
    paid_fen: int = 0

    def reserved_fen(self) -> int:
        """What the fund holds back for this case, which is what may still be paid to it
        (cases/fund.payable_fen; db/fund.reserved sums the same in SQL)."""
        return payable_fen(self.status, self.approved_fen, self.emergency_fen, self.paid_fen)

    def waiting_level(self) -> Level | None:
        """The level whose decision the case waits for, if any."""
        for level, stage in LEVEL_STAGE.items():
            if self.status in stage:
                return level
        return None


# --- actions: what the clerk records ---------------------------------------------------
@dataclass(frozen=True)
class Visit:
    on: dt.date
    investigators: tuple[str, ...]
    findings: str
    household_signed: bool = True
    kind = StepKind.VISIT


@dataclass(frozen=True)
class Deliberation:
    on: dt.date
    attendees: tuple[str, ...]
    result: str
    proposed_fen: int
    repeat_reason: str = ""
    kind = StepKind.DELIBERATION


@dataclass(frozen=True)
class StartNotice:
    on: dt.date
    place: str
    kind = StepKind.NOTICE


@dataclass(frozen=True)
class Objection:
    on: dt.date
    content: str
    resolution: str = ""
    kind = StepKind.OBJECTION


@dataclass(frozen=True)
class ResolveObjection:
    on: dt.date
    resolution: str
    kind = StepKind.OBJECTION_RESOLVED


@dataclass(frozen=True)
class Decide:
    level: Level
    on: dt.date
    signer: str
    opinion: str
    approved_fen: int
    over_request_reason: str = ""
    kind = StepKind.DECISION


@dataclass(frozen=True)
class Reject:
    level: Level
    on: dt.date
    signer: str
    reasons: str
    kind = StepKind.REJECT


@dataclass(frozen=True)
class Return:
    level: Level
    on: dt.date
    signer: str
    missing: tuple[str, ...]
    kind = StepKind.RETURN


@dataclass(frozen=True)
class Resume:
    on: dt.date
    note: str
    kind = StepKind.RESUME


@dataclass(frozen=True)
class Emergency:
    on: dt.date
    signer: str
    reason: str
    approved_fen: int
    kind = StepKind.EMERGENCY


@dataclass(frozen=True)
class Close:
    on: dt.date
    note: str = ""
    kind = StepKind.CLOSE


@dataclass(frozen=True)
class Withdraw:
    """撤回/作废: the case goes no further (the applicant withdrew, or it was entered twice or
    by mistake)."""

    on: dt.date
    reason: str
    kind = StepKind.WITHDRAW


# The usual reasons, offered as choices (any other may be written).
WITHDRAW_REASONS = ("申请人撤回", "重复登记", "录入错误")

Action = (Visit | Deliberation | StartNotice | Objection | ResolveObjection | Decide | Reject
          | Return | Resume | Emergency | Close | Withdraw)


@dataclass(frozen=True)
class Step:
    """One line of the timeline, as the rules produced it."""

    kind: StepKind
    on: dt.date
    status_before: CaseStatus
    status_after: CaseStatus
    level: Level | None = None
    signer: str = ""
    opinion: str = ""
    amount_fen: int | None = None
    details: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Rules:
    """The society's settings and the working calendar the rules run on; with the fund's
    position, approvals are checked against the money available (量力而行)."""

    settings: SocietySettings
    calendar: WorkCalendar
    position: FundPosition | None = None

    def fund_check(self, needed_fen: int) -> str | None:
        """Refuse what the fund cannot cover; a warning when it would go under the floor."""
        if self.position is None or needed_fen <= 0:
            return None
        return check_approval(self.position, needed_fen)

    def limit(self, level: Level) -> int | None:
        """Up to how much ``level`` may approve on its own (None: no limit)."""
        if level is Level.VILLAGE:
            return self.settings.village_limit_fen
        if level is Level.TOWN:
            return self.settings.town_limit_fen
        return None


# --- what may come next ---------------------------------------------------------------
def allowed(state: ReviewState) -> list[StepKind]:
    """The steps the case's state allows now (the UI offers only these)."""
    s = state.status
    out: list[StepKind] = []
    if s is CaseStatus.ACCEPTED:
        out.append(StepKind.VISIT)
    if s is CaseStatus.INVESTIGATED:
        out.append(StepKind.DELIBERATION)
    if s is CaseStatus.DELIBERATED:
        out.append(StepKind.NOTICE)
    if s is CaseStatus.NOTICE:
        out.append(StepKind.OBJECTION)
        if state.open_objections:
            out.append(StepKind.OBJECTION_RESOLVED)
    if state.waiting_level() is not None:
        if s in (CaseStatus.NOTICE, CaseStatus.VILLAGE_APPROVED, CaseStatus.TOWN_APPROVED):
            out.append(StepKind.DECISION)
        out += [StepKind.RETURN, StepKind.REJECT]
        if not state.emergency:
            out.append(StepKind.EMERGENCY)
    if s is CaseStatus.RETURNED:
        out.append(StepKind.RESUME)
    if s is CaseStatus.PAID:
        out.append(StepKind.CLOSE)
    if may_withdraw(state):
        out.append(StepKind.WITHDRAW)
    return out


def may_withdraw(state: ReviewState) -> bool:
    """撤回 is allowed from any status before any money reached the person. What counts is the
    net paid amount: a payment reversed in full (冲正) left nobody paid, and the ledger keeps
    both entries, so such a case may still be withdrawn; one paid in part may not. A rejected
    case keeps its written decision, and a withdrawn one is over."""
    return state.status not in INACTIVE_STATUSES and state.status is not CaseStatus.CLOSED \
        and state.paid_fen == 0


# --- the text of a step: the same rule as the application's fields (cases/text) ---------
# field name → (label, most characters, may hold line breaks). Each step's free text goes on
# the timeline, the printed forms and the district export, so control characters, direction
# marks and zero-width characters are refused (and NUL never reaches the database), text of
# only blanks counts as empty, and every field has a length limit.
TEXT_FIELDS: dict[str, tuple[str, int, bool]] = {
    "findings": ("调查情况", 2000, True),
    "result": ("评议结果", 2000, True),
    "repeat_reason": ("再次救助理由", 500, True),
    "place": ("公示地点", 100, False),
    "content": ("异议内容", 2000, True),
    "resolution": ("处理结果", 2000, True),
    "signer": ("签字人", 50, False),
    "opinion": ("审核意见", 2000, True),
    "over_request_reason": ("超过申请金额的理由", 500, True),
    "reasons": ("不予救助的理由", 2000, True),
    "note": ("说明", 500, True),
    "reason": ("理由", 500, True),
}
# A step's own name for a field shared by several steps.
_LABELS: dict[tuple[StepKind, str], str] = {
    (StepKind.EMERGENCY, "reason"): "紧急情况",
    (StepKind.EMERGENCY, "signer"): "批准人",
    (StepKind.WITHDRAW, "reason"): "撤回理由",
}
# Lists of short texts: field name → (label, most characters of one item).
LIST_FIELDS: dict[str, tuple[str, int]] = {
    "investigators": ("调查人", 50),
    "attendees": ("参会人员", 50),
    "missing": ("需补充的材料", 200),
}
MAX_LIST_ITEMS = 30


def clean_action(action: Action) -> Action:
    """The action with every free-text field trimmed and checked by the application's text
    rule; raises ValidationError naming each field that breaks it (all at once)."""
    errors: list[FieldError] = []
    changes: dict[str, object] = {}
    for f in fields(action):
        value = getattr(action, f.name)
        try:
            if f.name in TEXT_FIELDS:
                label, max_len, multiline = TEXT_FIELDS[f.name]
                label = _LABELS.get((action.kind, f.name), label)
                changes[f.name] = clean_text(value, field=f.name, label=label, max_len=max_len,
                                             multiline=multiline)
            elif f.name in LIST_FIELDS:
                changes[f.name] = _clean_list(value, f.name)
        except ValidationError as err:
            errors += err.errors
    if errors:
        raise ValidationError(errors)
    return replace(action, **changes)


def _clean_list(values: tuple[str, ...], name: str) -> tuple[str, ...]:
    label, max_len = LIST_FIELDS[name]
    if len(values) > MAX_LIST_ITEMS:
        raise ValidationError(f"{label}最多{MAX_LIST_ITEMS}项，现有{len(values)}项", name)
    cleaned = (clean_text(v, field=name, label=label, max_len=max_len) for v in values)
    return tuple(v for v in cleaned if v)


def apply(state: ReviewState, action: Action, rules: Rules, today: dt.date) -> tuple[ReviewState, Step]:
    """Check ``action`` against the state and the rules; the new state and the step to record."""
    if action.kind not in allowed(state):
        raise ReviewError(_not_now(state, action))
    action = clean_action(action)
    _check_date(state, action.on, today)
    handler = _HANDLERS[type(action)]
    new_state, step = handler(state, action, rules)
    return replace(new_state, last_step_on=max(state.last_step_on, action.on)), step


def _not_now(state: ReviewState, action: Action) -> str:
    level = getattr(action, "level", None)
    waiting = state.waiting_level()
    if level is not None and waiting is not None and level is not waiting:
        return f"此案件正等待{waiting.label}级审核，{level.label}级现在不能作出决定"
    if state.status is CaseStatus.RETURNED:
        return "案件已退回补充材料，请先登记材料补齐"
    if state.status is CaseStatus.REJECTED:
        return "案件已决定不予救助，不能再办理"
    if state.status is CaseStatus.WITHDRAWN:
        return "案件已撤回，不能再办理"
    if action.kind is StepKind.WITHDRAW and state.paid_fen:
        return (f"案件已发放 {format_yuan_label(state.paid_fen)}，不能撤回；"
                "如发放有误，请先在资金台账中冲正")
    if state.status in REVIEW_DONE:
        return "案件已审批完毕"
    return f"案件当前状态为“{state.status.label}”，不能办理“{action.kind.label}”"


def _check_date(state: ReviewState, on: dt.date, today: dt.date) -> None:
    if on > today:
        raise ReviewError("日期不能晚于今天")
    if on < state.applied_on:
        raise ReviewError(f"日期不能早于申请日期 {state.applied_on:%Y-%m-%d}")
    if on < state.last_step_on:
        raise ReviewError(f"日期不能早于上一步的日期 {state.last_step_on:%Y-%m-%d}")


def _names(names: tuple[str, ...]) -> list[str]:
    return [n.strip() for n in names if n.strip()]


def _visit(state: ReviewState, a: Visit, rules: Rules) -> tuple[ReviewState, Step]:
    people = _names(a.investigators)
    if len(set(people)) < MIN_INVESTIGATORS:
        raise ReviewError("入户调查须由至少两人进行，请填写两名以上调查人")
    if not a.findings.strip():
        raise ReviewError("请填写调查情况")
    new = replace(state, status=CaseStatus.INVESTIGATED)
    return new, Step(a.kind, a.on, state.status, new.status, Level.VILLAGE, "、".join(people),
                     a.findings.strip(), None,
                     {"investigators": people, "household_signed": a.household_signed})


def _deliberation(state: ReviewState, a: Deliberation, rules: Rules) -> tuple[ReviewState, Step]:
    people = _names(a.attendees)
    if len(set(people)) < MIN_BOARD:
        raise ReviewError("民主评议须有至少三名理事会成员参加，请填写参会人员")
    if a.proposed_fen <= 0:
        raise ReviewError("评议金额必须大于零")
    if a.proposed_fen > state.requested_fen:
        raise ReviewError(f"评议金额 {format_yuan_label(a.proposed_fen)} 超过申请金额 "
                          f"{format_yuan_label(state.requested_fen)}")
    reason = a.repeat_reason.strip()
    if state.one_event_clash and not reason:
        # 一事一救: a second payment for the same cause in a year needs the board's own reason
        # (the clerk's reason for registering it is offered to the board, not taken for it).
        raise ReviewError("一事一救：此人本年度已因同一事由申请或获得救助，须由理事会记录再次救助的理由")
    reason = reason or state.repeat_reason.strip()
    new = replace(state, status=CaseStatus.DELIBERATED, proposed_fen=a.proposed_fen,
                  repeat_reason=reason)
    return new, Step(a.kind, a.on, state.status, new.status, Level.VILLAGE, "、".join(people),
                     a.result.strip(), a.proposed_fen,
                     {"attendees": people, **({"repeat_reason": reason} if reason else {})})


def _notice(state: ReviewState, a: StartNotice, rules: Rules) -> tuple[ReviewState, Step]:
    if not a.place.strip():
        raise ReviewError("请填写公示地点")
    st = rules.settings
    end = period_end(a.on, st.notice_days, st.notice_working_days, rules.calendar)
    new = replace(state, status=CaseStatus.NOTICE, notice_start=a.on, notice_end=end)
    unit = "个工作日" if st.notice_working_days else "天"
    return new, Step(a.kind, a.on, state.status, new.status, Level.VILLAGE, "",
                     f"公示{st.notice_days}{unit}，至{end:%Y-%m-%d}", None,
                     {"place": a.place.strip(), "start": a.on.isoformat(), "end": end.isoformat()})


def _objection(state: ReviewState, a: Objection, rules: Rules) -> tuple[ReviewState, Step]:
    if not a.content.strip():
        raise ReviewError("请填写异议内容")
    open_count = state.open_objections + (0 if a.resolution.strip() else 1)
    new = replace(state, open_objections=open_count)
    return new, Step(a.kind, a.on, state.status, state.status, Level.VILLAGE, "",
                     a.content.strip(), None,
                     {"resolution": a.resolution.strip()} if a.resolution.strip() else {})


def _resolve(state: ReviewState, a: ResolveObjection, rules: Rules) -> tuple[ReviewState, Step]:
    if not a.resolution.strip():
        raise ReviewError("请填写异议的处理结果")
    new = replace(state, open_objections=state.open_objections - 1)
    return new, Step(a.kind, a.on, state.status, state.status, Level.VILLAGE, "",
                     a.resolution.strip())


def _decide(state: ReviewState, a: Decide, rules: Rules) -> tuple[ReviewState, Step]:
    if state.waiting_level() is not a.level:
        raise ReviewError(_not_now(state, a))
    if not a.signer.strip():
        raise ReviewError("请填写签字人")
    if a.approved_fen <= 0:
        raise ReviewError("同意金额必须大于零；不同意请选择“不予救助”")
    if a.level is Level.VILLAGE:
        if state.open_objections:
            raise ReviewError(f"公示中有 {state.open_objections} 条异议尚未处理，处理后才能作出村级意见")
        assert state.notice_end is not None
        if a.on <= state.notice_end:
            raise ReviewError(f"公示期至 {state.notice_end:%Y-%m-%d} 结束，村级意见最早在次日作出")
    if a.approved_fen > state.requested_fen and not a.over_request_reason.strip():
        raise ReviewError(f"同意金额 {format_yuan_label(a.approved_fen)} 超过申请金额 "
                          f"{format_yuan_label(state.requested_fen)}，须写明理由")
    limit = rules.limit(a.level)
    final = limit is None or a.approved_fen <= limit
    warning = None
    if final:
        if a.approved_fen < state.paid_fen:
            raise ReviewError(f"已先行发放 {format_yuan_label(state.paid_fen)}，审批金额不能低于此数")
        # 量力而行: the approval reserves what is not yet paid or held for the emergency payment.
        warning = rules.fund_check(a.approved_fen - state.paid_fen - state.reserved_fen())
        new = replace(state, status=CaseStatus.AWAITING_PAYMENT, approved_fen=a.approved_fen,
                      decided_level=a.level, proposed_fen=a.approved_fen)
        if new.paid_fen >= a.approved_fen:
            new = replace(new, status=CaseStatus.PAID)  # paid in full on the emergency path
        outcome = f"{a.level.label}级审批同意"
    else:
        new = replace(state, status=_FORWARD[a.level], proposed_fen=a.approved_fen)
        outcome = (f"金额超过{a.level.label}级审批限额 {format_yuan_label(limit)}，"
                   f"报{_NEXT[a.level].label}级")
    details: dict[str, object] = {"final": final, "outcome": outcome,
                                  "office": rules.settings.office_name(a.level)}  # as the paper names it
    if warning:
        details["warning"] = warning
    if a.over_request_reason.strip():
        details["over_request_reason"] = a.over_request_reason.strip()
    return new, Step(a.kind, a.on, state.status, new.status, a.level, a.signer.strip(),
                     a.opinion.strip(), a.approved_fen, details)


_FORWARD = {Level.VILLAGE: CaseStatus.VILLAGE_APPROVED, Level.TOWN: CaseStatus.TOWN_APPROVED}
_NEXT = {Level.VILLAGE: Level.TOWN, Level.TOWN: Level.DISTRICT}


def _check_level(state: ReviewState, level: Level, action: Action) -> None:
    if state.waiting_level() is not level:
        raise ReviewError(_not_now(state, action))


def _reject(state: ReviewState, a: Reject, rules: Rules) -> tuple[ReviewState, Step]:
    _check_level(state, a.level, a)
    if not a.reasons.strip():
        raise ReviewError("不予救助须书面写明理由")
    if not a.signer.strip():
        raise ReviewError("请填写签字人")
    new = replace(state, status=CaseStatus.REJECTED, decided_level=a.level, resume_status=state.status)
    return new, Step(a.kind, a.on, state.status, new.status, a.level, a.signer.strip(),
                     a.reasons.strip(), None, {"office": rules.settings.office_name(a.level)})


def _return(state: ReviewState, a: Return, rules: Rules) -> tuple[ReviewState, Step]:
    _check_level(state, a.level, a)
    missing = _names(a.missing)
    if not missing:
        raise ReviewError("请一次性列出需要补充的全部材料（一次性告知）")
    if not a.signer.strip():
        raise ReviewError("请填写签字人")
    new = replace(state, status=CaseStatus.RETURNED, resume_status=state.status)
    return new, Step(a.kind, a.on, state.status, new.status, a.level, a.signer.strip(),
                     "；".join(missing), None, {"missing": missing, "office": rules.settings.office_name(a.level)})


def _resume(state: ReviewState, a: Resume, rules: Rules) -> tuple[ReviewState, Step]:
    assert state.resume_status is not None
    new = replace(state, status=state.resume_status, resume_status=None)
    return new, Step(a.kind, a.on, state.status, new.status, None, "", a.note.strip())


def _emergency(state: ReviewState, a: Emergency, rules: Rules) -> tuple[ReviewState, Step]:
    if not a.reason.strip():
        raise ReviewError("请写明先行救助的紧急情况")
    if not a.signer.strip():
        raise ReviewError("请填写批准人")
    if a.approved_fen <= 0 or a.approved_fen > state.requested_fen:
        raise ReviewError("先行救助金额须大于零且不超过申请金额")
    limit = rules.settings.emergency_limit()
    if a.approved_fen > limit:
        raise ReviewError(f"先行救助金额 {format_yuan_label(a.approved_fen)} 超过本社先行救助最高金额 "
                          f"{format_yuan_label(limit)}：请按最高金额先行救助，其余待审核后发放")
    warning = rules.fund_check(a.approved_fen)
    deadline = rules.calendar.add_working_days(a.on, rules.settings.emergency_deadline_days)
    new = replace(state, emergency=True, emergency_fen=a.approved_fen, emergency_on=a.on,
                  emergency_deadline=deadline)
    details: dict[str, object] = {"deadline": deadline.isoformat()}
    if warning:
        details["warning"] = warning
    return new, Step(a.kind, a.on, state.status, state.status, None, a.signer.strip(),
                     a.reason.strip(), a.approved_fen, details)


def _close(state: ReviewState, a: Close, rules: Rules) -> tuple[ReviewState, Step]:
    new = replace(state, status=CaseStatus.CLOSED)
    return new, Step(a.kind, a.on, state.status, new.status, None, "", a.note.strip())


def _withdraw(state: ReviewState, a: Withdraw, rules: Rules) -> tuple[ReviewState, Step]:
    reason = a.reason.strip()
    if not reason:
        raise ReviewError("请写明撤回的理由（如申请人撤回、重复登记、录入错误）")
    stood = state.resume_status if state.status is CaseStatus.RETURNED else state.status
    new = replace(state, status=CaseStatus.WITHDRAWN, resume_status=stood)
    return new, Step(a.kind, a.on, state.status, new.status, None, "", reason, None, {"reason": reason})


def paid(state: ReviewState, amount_fen: int, on: dt.date, payee: str) -> tuple[ReviewState, Step]:
    """A payment was made: 已发放 once the approved amount is paid in full."""
    total = state.paid_fen + amount_fen
    status = state.status
    if status is CaseStatus.AWAITING_PAYMENT and state.approved_fen and total >= state.approved_fen:
        status = CaseStatus.PAID
    new = replace(state, paid_fen=total, status=status, last_step_on=max(state.last_step_on, on))
    return new, Step(StepKind.PAYMENT, on, state.status, status, None, payee, "", amount_fen)


def payment_reversed(state: ReviewState, amount_fen: int, on: dt.date, reason: str) -> tuple[ReviewState, Step]:
    """A payment was reversed: the case owes it again (已发放 back to 待发放)."""
    total = state.paid_fen - amount_fen
    status = CaseStatus.AWAITING_PAYMENT if state.status is CaseStatus.PAID else state.status
    new = replace(state, paid_fen=total, status=status, last_step_on=max(state.last_step_on, on))
    return new, Step(StepKind.PAYMENT_REVERSED, on, state.status, status, None, "", reason, -amount_fen)


_HANDLERS = {
    Visit: _visit, Deliberation: _deliberation, StartNotice: _notice, Objection: _objection,
    ResolveObjection: _resolve, Decide: _decide, Reject: _reject, Return: _return,
    Resume: _resume, Emergency: _emergency, Close: _close, Withdraw: _withdraw,
}


# --- how the case looks ---------------------------------------------------------------
def emergency_days_left(state: ReviewState, calendar: WorkCalendar, today: dt.date) -> int | None:
    """先行救助: working days until the paperwork deadline (negative when overdue), or None
    when the case is not an emergency or its review is complete."""
    if not state.emergency or state.emergency_deadline is None:
        return None
    if state.status in REVIEW_DONE or state.status in INACTIVE_STATUSES:
        return None
    return calendar.working_days_between(today, state.emergency_deadline)
