"""The rules of the review across offices: which steps each level owns, which cases are due to
which office, and how two offices' timelines of one case compare.

A case's timeline is a chain that grows at one office at a time: the village until its decision
sends the case up, then the town, then the district, then back down. Each step is named by a
digest of what it records (``step_token``), so two offices holding the same step name it alike
without a shared counter. One timeline is then the other's beginning (one office is behind and
takes the rest), or they part: two PCs of one office answered the same case differently, a
conflict kept aside, never merged over. Qt-free and SQL-free."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from enum import Enum

from jiujinan.cases.enums import CaseStatus, Level, StepKind
from jiujinan.cases.offices import Office, OfficeKind

LEVEL_OF_KIND = {OfficeKind.VILLAGE: Level.VILLAGE, OfficeKind.TOWN: Level.TOWN, OfficeKind.DISTRICT: Level.DISTRICT}
RANK = {Level.VILLAGE: 0, Level.TOWN: 1, Level.DISTRICT: 2}
# The status in which a case waits for a level above the village: reaching it sends the case up.
SENT_UP_BY = {Level.TOWN: CaseStatus.VILLAGE_APPROVED, Level.DISTRICT: CaseStatus.TOWN_APPROVED}
# Steps a level above the village may record: its opinion (approve, refuse, return for material).
ABOVE_VILLAGE = frozenset({StepKind.DECISION, StepKind.REJECT, StepKind.RETURN})
# A case's review state as a packet carries it (dates as ISO text).
STATE_FIELDS = ("status", "proposed_fen", "approved_fen", "decided_level", "decided_on", "notice_start",
                "notice_end", "open_objections", "resume_status", "emergency", "emergency_fen", "emergency_on",
                "emergency_deadline", "last_step_on", "paid_fen", "paid_on")
DATE_STATE = frozenset({"decided_on", "notice_start", "notice_end", "emergency_on", "emergency_deadline",
                        "last_step_on", "paid_on"})
# What an opinion from above changes of a case: the office below keeps the rest of its state
# as it holds it (what it paid, its 先行救助), whatever a packet from above says of them.
FROM_ABOVE = frozenset({"status", "approved_fen", "decided_level", "decided_on", "resume_status", "last_step_on"})
STEP_FIELDS = ("kind", "level", "acted_on", "signer", "opinion", "amount_fen", "details_json", "status_before",
               "status_after", "recorded_at", "recorded_by")


def step_token(step: dict[str, object]) -> str:
    """The name of a step at every office: SHA-256 of its recorded fields (as a packet carries
    them: dates and times as ISO text), 32 hex digits."""
    canonical = json.dumps([step.get(name) for name in STEP_FIELDS], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def owner_level(kind: StepKind, level: Level | None) -> Level:
    """The level whose office records the step: a decision, refusal or return names its level;
    every other step (visit, notice, payment, resume …) is the village's."""
    if kind in ABOVE_VILLAGE and level is not None:
        return level
    return Level.VILLAGE


class Compared(Enum):
    SAME = "same"
    BEHIND = "behind"  # mine is the beginning of theirs: take the rest
    AHEAD = "ahead"  # theirs is the beginning of mine: they have not seen my last steps
    PARTED = "parted"  # a conflict


def compare(mine: Sequence[str], theirs: Sequence[str]) -> Compared:
    if list(mine) == list(theirs):
        return Compared.SAME
    if list(theirs[:len(mine)]) == list(mine):
        return Compared.BEHIND
    if list(mine[:len(theirs)]) == list(theirs):
        return Compared.AHEAD
    return Compared.PARTED


def may_bring(sender: OfficeKind, receiver: OfficeKind, level: Level) -> bool:
    """Whether a step owned by ``level`` may come to ``receiver`` from ``sender``: upward only
    the sender's own level and those below it (a village cannot bring a town's approval),
    downward only levels above the receiver (a town relays the district's; the village's own
    steps it already has)."""
    if sender.rank < receiver.rank:
        return RANK[level] <= sender.rank
    return RANK[level] > receiver.rank


def refusal_here(office: Office | None, kind: StepKind, level: Level | None, *, sent_up: bool,
                 waiting_above: bool = False, above_name: str = "") -> str | None:
    """Why this office may not record the step (None: it may). A town or district records only
    its own opinions; a village records its own steps, and those of a level above only for a
    case not sent up by packet (the paper way: the clerk copies the town's opinion)."""
    if office is None or office.derived:
        return None
    own = LEVEL_OF_KIND[office.kind]
    step_level = owner_level(kind, level)
    if office.kind is not OfficeKind.VILLAGE:
        if kind not in ABOVE_VILLAGE or level is not own:
            return f"本单位是{office.kind.label}，只办理{own.label}一级的审核意见、不予救助和退回补充材料"
        return None
    if step_level is not Level.VILLAGE and sent_up:
        return f"该案件已用数据包报送{above_name or '上级'}，{step_level.label}的意见由其办理后随数据包返回"
    if waiting_above:  # its timeline grows up there now: a step here would part from it
        return f"该案件已报送{above_name or '上级'}审核，审核意见返回之前村里不能办理（撤回、先行救助也须等意见返回）"
    return None


def next_up(office: Office, trusted: Sequence[tuple[OfficeKind, str]]) -> str | None:
    """The area code of the office above this one that its cases go up to (a village: its
    town; a town: its district), among those enrolled."""
    want = {OfficeKind.VILLAGE: OfficeKind.TOWN, OfficeKind.TOWN: OfficeKind.DISTRICT}.get(office.kind)
    for kind, code in trusted:
        if kind is want and any(own.startswith(code[:kind.digits]) for own in office.codes()):
            return code
    return None


def next_down(office: Office, trusted: Sequence[tuple[OfficeKind, str]], case_code: str) -> str | None:
    """The office below this one that a case of the village ``case_code`` goes down to: the
    district's to the case's town if enrolled, else to the village; a town's to the village."""
    below = [(kind, code) for kind, code in trusted if kind.rank < office.kind.rank
             and case_code.startswith(code[:kind.digits])]
    below.sort(key=lambda item: -item[0].rank)  # the nearest level first
    return below[0][1] if below else None


def adopt_state(mine: dict[str, object], theirs: dict[str, object], *, from_above: bool) -> dict[str, object]:
    """The state a case takes after the rest of its timeline came in: from below (the case sent
    up), the sender's whole; from above, only what an opinion changes."""
    if not from_above:
        return dict(theirs)
    return {name: (theirs[name] if name in FROM_ABOVE else mine[name]) for name in STATE_FIELDS}


# --- a timeline that came from elsewhere must be one the review rules could have made ------------
_VILLAGE_LEVEL = frozenset({StepKind.ACCEPT, StepKind.VISIT, StepKind.DELIBERATION, StepKind.NOTICE,
                            StepKind.OBJECTION, StepKind.OBJECTION_RESOLVED})
_NO_LEVEL = frozenset({StepKind.RESUME, StepKind.EMERGENCY, StepKind.CLOSE, StepKind.WITHDRAW, StepKind.PAYMENT,
                       StepKind.PAYMENT_REVERSED})
_STAGE_BEFORE = {Level.VILLAGE: frozenset({CaseStatus.ACCEPTED, CaseStatus.INVESTIGATED, CaseStatus.DELIBERATED,
                                           CaseStatus.NOTICE}),
                 Level.TOWN: frozenset({CaseStatus.VILLAGE_APPROVED}),
                 Level.DISTRICT: frozenset({CaseStatus.TOWN_APPROVED})}
_FIXED = {  # kind → (status before, status after) for the village stage's own steps
    StepKind.VISIT: (CaseStatus.ACCEPTED, CaseStatus.INVESTIGATED),
    StepKind.DELIBERATION: (CaseStatus.INVESTIGATED, CaseStatus.DELIBERATED),
    StepKind.NOTICE: (CaseStatus.DELIBERATED, CaseStatus.NOTICE),
    StepKind.OBJECTION: (CaseStatus.NOTICE, CaseStatus.NOTICE),
    StepKind.OBJECTION_RESOLVED: (CaseStatus.NOTICE, CaseStatus.NOTICE),
}
_FORWARD = {Level.VILLAGE: CaseStatus.VILLAGE_APPROVED, Level.TOWN: CaseStatus.TOWN_APPROVED}
_DONE = frozenset({CaseStatus.AWAITING_PAYMENT, CaseStatus.PAID})


def chain_problem(steps: Sequence[tuple[StepKind, Level | None, CaseStatus, CaseStatus, int | None]]) -> str | None:
    """Why a timeline (kind, level, status before, status after, amount of each step) is not
    one the review could have recorded (cases/review.apply), or None. A packet's timeline is
    held to it, so no office can bring a status, a level or a step out of turn."""
    if not steps:
        return "没有办理记录"
    first = steps[0]
    if first[:4] != (StepKind.ACCEPT, Level.VILLAGE, CaseStatus.ACCEPTED, CaseStatus.ACCEPTED):
        return "第一步不是受理"
    returned_from: CaseStatus | None = None
    for number, (kind, level, before, after, amount) in enumerate(steps[1:], start=2):
        where = f"第 {number} 步（{kind.label}）"
        if before != steps[number - 2][3]:
            return f"{where}的办理前状态与上一步不接"
        if kind is StepKind.ACCEPT:
            return f"{where}：受理只能是第一步"
        if (kind in _VILLAGE_LEVEL and level is not Level.VILLAGE) or (kind in _NO_LEVEL and level is not None) \
                or (kind in ABOVE_VILLAGE and level is None):
            return f"{where}的层级不对"
        if kind in _FIXED and (before, after) != _FIXED[kind]:
            return f"{where}的状态变化不对"
        if kind in ABOVE_VILLAGE and before not in (frozenset({CaseStatus.NOTICE}) if kind is StepKind.DECISION
                                                    and level is Level.VILLAGE else _STAGE_BEFORE[level]):
            return f"{where}：{level.label}不在此时办理"
        if kind is StepKind.DECISION and (after not in _DONE | {_FORWARD.get(level)} or not amount or amount <= 0):
            return f"{where}的结果或金额不对"
        if kind is StepKind.REJECT and after is not CaseStatus.REJECTED:
            return f"{where}的结果不对"
        if kind is StepKind.RETURN:
            if after is not CaseStatus.RETURNED:
                return f"{where}的结果不对"
            returned_from = before
        if kind is StepKind.RESUME and (before is not CaseStatus.RETURNED or after is not returned_from):
            return f"{where}没有回到退回之前的状态"
        if kind is StepKind.EMERGENCY and (after is not before or before not in _STAGE_BEFORE[Level.VILLAGE]
                                           | _STAGE_BEFORE[Level.TOWN] | _STAGE_BEFORE[Level.DISTRICT]):
            return f"{where}的状态不对"
        if kind is StepKind.PAYMENT and after not in {before, CaseStatus.PAID}:
            return f"{where}的状态变化不对"
        if kind is StepKind.PAYMENT_REVERSED and after not in {before, CaseStatus.AWAITING_PAYMENT}:
            return f"{where}的状态变化不对"
        if kind is StepKind.CLOSE and (before, after) != (CaseStatus.PAID, CaseStatus.CLOSED):
            return f"{where}的状态变化不对"
        if kind is StepKind.WITHDRAW and (after is not CaseStatus.WITHDRAWN or before in (
                CaseStatus.REJECTED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED)):
            return f"{where}的状态变化不对"
    return None


def decision_of(steps: Sequence[tuple[StepKind, Level | None, CaseStatus, CaseStatus, int | None]],
                dates: Sequence[str]) -> dict[str, object]:
    """What the timeline's steps decided, as the case's state holds it: the approved amount, the
    level and the date of the final approval or refusal (None before one). A packet's word for
    these is not taken: the steps say them."""
    out: dict[str, object] = {"approved_fen": None, "decided_level": None, "decided_on": None}
    for (kind, level, _before, after, amount), on in zip(steps, dates):
        if kind is StepKind.DECISION and after in _DONE:
            out = {"approved_fen": amount, "decided_level": level.value, "decided_on": on}
        elif kind is StepKind.REJECT:
            out = {**out, "decided_level": level.value, "decided_on": on}
    return out
