"""The demo's review histories: each case walked through the real review rules to a stage
that fits its age, so every timeline is one the app itself would have recorded."""

from __future__ import annotations

import datetime as dt
import random

from jiujinan.cases.enums import CaseStatus, Level
from jiujinan.cases.review import (
    WITHDRAW_REASONS, Decide, Deliberation, Emergency, Objection, Reject, ResolveObjection, Resume, Return,
    ReviewError, ReviewState, Rules, StartNotice, Step, Visit, Withdraw, apply, paid,
)

BOARD = ("张社长", "李委员", "赵理事", "孙理事", "周理事")
TOWN_SIGNERS = ("钱镇长", "吴副镇长")
DISTRICT_SIGNERS = ("区民政局", "区慈善协会")
VISITORS = ("王会计", "李委员", "村网格员陈敏")
FINDINGS = "经入户核实，家庭困难情况属实，无其他收入来源。"
REJECT_REASONS = "经核实，家庭收入高于当地救助标准，不符合救助条件。"
MISSING = (("住院费用发票原件", "出院小结"), ("户口簿复印件",), ("火灾事故认定书",))


def walk(rng: random.Random, state: ReviewState, rules: Rules, today: dt.date,
         pay_first=None) -> tuple[ReviewState, list[Step]]:  # noqa: ANN001 - pay_first(day, fen)
    """Take the steps a case of this age would have had, stopping at today; an emergency
    case is paid the same day (先行救助) through ``pay_first``."""
    cal = rules.calendar
    steps: list[Step] = []
    day = state.applied_on

    def step(action) -> bool:  # noqa: ANN001 - any review action
        nonlocal state
        if action.on > today:
            return False
        try:
            state, done = apply(state, action, rules, today)
        except ReviewError:
            return False
        steps.append(done)
        return True

    def later(lo: int, hi: int) -> dt.date:
        return cal.add_working_days(day, rng.randint(lo, hi))

    if rng.random() < 0.04:  # 先行救助 on the day of application
        # No more than the board will later propose (at least 60 % of the request).
        amount = min(rng.choice([50000, 100000, 200000]), state.requested_fen * 6 // 1000 * 100)
        if amount > 0 and step(Emergency(day, BOARD[0], "突发灾害/重病，基本生活无着，先行救助", amount)) \
                and pay_first is not None:
            state, done = paid(state, amount, day, "")
            steps.append(done)
            pay_first(day, amount)
    day = later(0, 2)
    if not step(Visit(day, rng.sample(VISITORS, 2), FINDINGS)):
        return state, steps
    # A few are withdrawn after the visit (refused for one paid first: then it goes on).
    if rng.random() < 0.02 and step(Withdraw(day, rng.choice(WITHDRAW_REASONS))):
        return state, steps
    if rng.random() < 0.03:
        step(Reject(Level.VILLAGE, day, BOARD[0], REJECT_REASONS))
        return state, steps
    day = later(1, 4)
    proposed = state.requested_fen if rng.random() < 0.7 else max(100, state.requested_fen * rng.randint(6, 9) // 1000 * 100)
    reason = "病情反复再次住院，理事会评议同意再次救助" if state.one_event_clash else ""
    if not step(Deliberation(day, tuple(rng.sample(BOARD, 3)), "同意救助", proposed, reason)):
        return state, steps
    day = later(1, 2)
    if not step(StartNotice(day, "村务公开栏")):
        return state, steps
    if rng.random() < 0.05:
        step(Objection(cal.add_working_days(day, 1), "有村民反映其家中有经营收入"))
        step(ResolveObjection(cal.add_working_days(day, 3), "经核实为亲属经营，与申请人无关，异议不成立"))
    assert state.notice_end is not None
    day = cal.add_working_days(state.notice_end, rng.randint(1, 3))
    signers = {Level.VILLAGE: BOARD, Level.TOWN: TOWN_SIGNERS, Level.DISTRICT: DISTRICT_SIGNERS}
    returned = False
    while state.waiting_level() is not None and state.status is not CaseStatus.RETURNED:
        level = state.waiting_level()
        assert level is not None
        if level is not Level.VILLAGE and not returned and rng.random() < 0.05:
            if not step(Return(level, day, signers[level][0], rng.choice(MISSING))):
                break
            returned = True
            day = later(3, 40)  # some applicants take weeks to bring the material
            if not step(Resume(day, "已补齐材料")):
                break
            day = later(1, 3)
            continue
        if level is not Level.VILLAGE and rng.random() < 0.03:
            step(Reject(level, day, signers[level][0], REJECT_REASONS))
            break
        if not step(Decide(level, day, rng.choice(signers[level]), "同意", state.proposed_fen or proposed)):
            break
        day = later(3, 8)
    return state, steps


REPEAT_REASON = "同一事由再次申请：病情反复再次住院"  # 一事一救: said by the clerk at intake


def base_state(requested_fen: int, applied_on: dt.date, clash: bool) -> ReviewState:
    return ReviewState(status=CaseStatus.ACCEPTED, requested_fen=requested_fen, applied_on=applied_on,
                       last_step_on=applied_on, one_event_clash=clash, repeat_reason=REPEAT_REASON if clash else "")
