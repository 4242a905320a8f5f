"""The review rules: the path of a case, limits per level, returns, rejections, emergencies."""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from jiujinan.cases.enums import CaseStatus, Level, StepKind
from jiujinan.cases.errors import ValidationError
from jiujinan.cases.progress import Mark, step_bar
from jiujinan.cases.review import (
    REVIEW_DONE, Close, Decide, Deliberation, Emergency, Objection, ReviewError, ReviewState, Resume,
    ResolveObjection, Reject, Return, Rules, StartNotice, Visit, Withdraw, allowed, apply, emergency_days_left,
    clean_action, paid, payment_reversed,
)
from jiujinan.cases.workdays import WorkCalendar
from tests.conftest import society_settings

D = dt.date
RULES = Rules(society_settings(), WorkCalendar())  # village ≤ 2,000, town ≤ 5,000 yuan; 5 working days
TODAY = D(2026, 12, 31)


def new_case(requested: int = 300000, **kw: object) -> ReviewState:
    return ReviewState(status=CaseStatus.ACCEPTED, requested_fen=requested, applied_on=D(2026, 11, 2),
                       last_step_on=D(2026, 11, 2), **kw)


def run(state: ReviewState, *actions, today: dt.date = TODAY) -> tuple[ReviewState, list]:
    steps = []
    for action in actions:
        state, step = apply(state, action, RULES, today)
        steps.append(step)
    return state, steps


VISIT = Visit(D(2026, 11, 3), ("王会计", "李委员"), "住院属实，家庭无其他收入")
BOARD = Deliberation(D(2026, 11, 5), ("张社长", "李委员", "赵理事"), "同意救助", 250000)
NOTICE = StartNotice(D(2026, 11, 9), "村务公开栏")  # Monday: five working days end Friday 13th


def through_notice(requested: int = 300000, proposed: int = 250000) -> ReviewState:
    board = dataclasses.replace(BOARD, proposed_fen=proposed)
    state, _ = run(new_case(requested), VISIT, board, NOTICE)
    return state


def test_the_village_path_and_the_notice_period() -> None:
    state = through_notice()
    assert (state.status, state.notice_end) == (CaseStatus.NOTICE, D(2026, 11, 13))
    with pytest.raises(ReviewError, match="公示期至 2026-11-13 结束"):
        apply(state, Decide(Level.VILLAGE, D(2026, 11, 13), "张社长", "同意", 150000), RULES, TODAY)
    final, (step,) = run(state, Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意", 150000))
    assert final.status is CaseStatus.AWAITING_PAYMENT
    assert (final.decided_level, final.approved_fen) == (Level.VILLAGE, 150000)
    assert step.details["final"] is True


@pytest.mark.parametrize(
    ("amount", "levels", "decided"),
    [(200000, [Level.VILLAGE], Level.VILLAGE),  # exactly the village limit
     (200001, [Level.VILLAGE, Level.TOWN], Level.TOWN),
     (500000, [Level.VILLAGE, Level.TOWN], Level.TOWN),
     (500001, [Level.VILLAGE, Level.TOWN, Level.DISTRICT], Level.DISTRICT)],
)
def test_the_amount_decides_which_level_approves(amount: int, levels: list, decided: Level) -> None:
    state = through_notice(requested=amount, proposed=amount)
    day = D(2026, 11, 16)
    for level in levels:
        assert state.waiting_level() is level
        state, _ = run(state, Decide(level, day, "签字人", "同意", amount))
        day += dt.timedelta(days=1)
    assert state.status is CaseStatus.AWAITING_PAYMENT and state.decided_level is decided


def test_a_level_that_may_not_decide_is_refused() -> None:
    state = through_notice(requested=600000, proposed=600000)
    with pytest.raises(ReviewError, match="正等待村级审核，乡镇（街道）级现在不能"):
        apply(state, Decide(Level.TOWN, D(2026, 11, 16), "钱镇长", "同意", 600000), RULES, TODAY)
    state, _ = run(state, Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意", 600000))
    with pytest.raises(ReviewError, match="正等待乡镇（街道）级审核，区级"):
        apply(state, Decide(Level.DISTRICT, D(2026, 11, 17), "民政局", "同意", 600000), RULES, TODAY)


def test_approving_more_than_requested_needs_a_reason() -> None:
    state = through_notice(requested=100000, proposed=100000)
    with pytest.raises(ReviewError, match="须写明理由"):
        apply(state, Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意", 120000), RULES, TODAY)
    state, (step,) = run(state, Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意", 120000,
                                       over_request_reason="另发现子女学费困难"))
    assert state.approved_fen == 120000 and step.details["over_request_reason"]


def test_objections_block_the_village_opinion_until_resolved() -> None:
    state, _ = run(through_notice(), Objection(D(2026, 11, 10), "有村民反映其家有车"))
    with pytest.raises(ReviewError, match="1 条异议尚未处理"):
        apply(state, Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意", 150000), RULES, TODAY)
    state, _ = run(state, ResolveObjection(D(2026, 11, 12), "核实为借用亲戚车辆，异议不成立"),
                   Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意", 150000))
    assert state.status is CaseStatus.AWAITING_PAYMENT


def test_return_resumes_where_it_stopped() -> None:
    state = through_notice(requested=300000, proposed=300000)
    state, _ = run(state, Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意", 300000))
    state, (ret,) = run(state, Return(Level.TOWN, D(2026, 11, 18), "钱镇长", ("住院发票原件", "", "诊断证明")))
    assert state.status is CaseStatus.RETURNED and ret.details["missing"] == ["住院发票原件", "诊断证明"]
    assert allowed(state) == [StepKind.RESUME, StepKind.WITHDRAW]
    with pytest.raises(ReviewError, match="请先登记材料补齐"):
        apply(state, Decide(Level.TOWN, D(2026, 11, 20), "钱镇长", "同意", 300000), RULES, TODAY)
    state, _ = run(state, Resume(D(2026, 11, 20), "已补交"))
    assert state.status is CaseStatus.VILLAGE_APPROVED


def test_reject_needs_reasons_and_ends_the_case() -> None:
    with pytest.raises(ReviewError, match="书面写明理由"):
        apply(new_case(), Reject(Level.VILLAGE, D(2026, 11, 3), "张社长", " "), RULES, TODAY)
    state, _ = run(new_case(), Reject(Level.VILLAGE, D(2026, 11, 3), "张社长", "家庭收入高于标准"))
    assert state.status is CaseStatus.REJECTED and allowed(state) == []


def test_visit_and_board_minimums_and_one_event_one_aid() -> None:
    with pytest.raises(ReviewError, match="至少两人"):
        apply(new_case(), Visit(D(2026, 11, 3), ("王会计", "王会计"), "属实"), RULES, TODAY)
    state, _ = run(new_case(one_event_clash=True), VISIT)
    with pytest.raises(ReviewError, match="一事一救"):
        apply(state, BOARD, RULES, TODAY)
    state, (step,) = run(state, dataclasses.replace(BOARD, repeat_reason="病情复发再次住院"))
    assert step.details["repeat_reason"] == "病情复发再次住院"


def test_dates_never_run_backwards_or_ahead() -> None:
    with pytest.raises(ReviewError, match="晚于今天"):
        apply(new_case(), VISIT, RULES, D(2026, 11, 2))
    state, _ = run(new_case(), VISIT)
    with pytest.raises(ReviewError, match="上一步的日期"):
        apply(state, dataclasses.replace(BOARD, on=D(2026, 11, 2)), RULES, TODAY)


def test_emergency_pays_first_and_counts_down() -> None:
    state, (step,) = run(new_case(), Emergency(D(2026, 11, 3), "张社长", "火灾后无处居住", 100000))
    assert state.emergency_deadline == D(2026, 11, 17)  # ten working days
    assert emergency_days_left(state, RULES.calendar, D(2026, 11, 10)) == 5
    assert emergency_days_left(state, RULES.calendar, D(2026, 11, 19)) == -2
    assert StepKind.EMERGENCY not in allowed(state)
    done = dataclasses.replace(state, status=CaseStatus.AWAITING_PAYMENT)
    assert emergency_days_left(done, RULES.calendar, D(2026, 11, 19)) is None


def test_step_bar() -> None:
    state = through_notice()
    marks = dict(step_bar(state, D(2026, 11, 10)))
    assert marks["公示"] is Mark.CURRENT and marks["民主评议"] is Mark.DONE
    assert dict(step_bar(state, D(2026, 11, 14)))["村审核"] is Mark.CURRENT
    final, _ = run(state, Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意", 150000))
    marks = dict(step_bar(final, TODAY))
    assert marks["乡镇审核"] is Mark.SKIPPED and marks["区审批"] is Mark.SKIPPED
    assert marks["待发放"] is Mark.CURRENT
    returned, _ = run(state, Return(Level.VILLAGE, D(2026, 11, 10), "张社长", ("户口簿",)))
    assert dict(step_bar(returned, D(2026, 11, 10)))["公示"] is Mark.RETURNED


def test_a_rejection_at_acceptance_skips_the_steps_never_taken() -> None:
    state, _ = run(new_case(), Reject(Level.VILLAGE, D(2026, 11, 3), "张社长", "非本村户籍"))
    marks = dict(step_bar(state, TODAY))
    assert marks["受理"] is Mark.DONE and marks["村审核"] is Mark.STOPPED
    assert {marks[s] for s in ("入户调查", "民主评议", "公示", "乡镇审核", "区审批", "待发放", "结案")} == {Mark.SKIPPED}
    after_notice, _ = run(through_notice(), Reject(Level.VILLAGE, D(2026, 11, 16), "张社长", "公示有异议属实"))
    marks = dict(step_bar(after_notice, TODAY))
    assert marks["公示"] is Mark.DONE and marks["村审核"] is Mark.STOPPED and marks["乡镇审核"] is Mark.SKIPPED
    # rejected before the stopping point was recorded: as before, the village steps done
    old = dataclasses.replace(state, resume_status=None)
    assert dict(step_bar(old, TODAY))["公示"] is Mark.DONE


WITHDRAW = Withdraw(D(2026, 11, 20), "重复登记")


def test_withdraw_before_any_payment_ends_the_case() -> None:
    state = through_notice()
    assert StepKind.WITHDRAW in allowed(state)
    with pytest.raises(ReviewError, match="撤回的理由"):
        apply(state, Withdraw(D(2026, 11, 20), " "), RULES, TODAY)
    gone, (step,) = run(state, dataclasses.replace(WITHDRAW, on=D(2026, 11, 10)))  # during the notice
    assert (gone.status, step.status_before, step.opinion) == (CaseStatus.WITHDRAWN, CaseStatus.NOTICE, "重复登记")
    assert allowed(gone) == []
    with pytest.raises(ReviewError, match="案件已撤回"):
        apply(gone, Resume(D(2026, 11, 21), ""), RULES, TODAY)
    marks = dict(step_bar(gone, TODAY))
    assert marks["公示"] is Mark.WITHDRAWN and marks["民主评议"] is Mark.DONE and marks["村审核"] is Mark.SKIPPED
    after_notice, _ = run(state, WITHDRAW)  # after the notice ended: stopped at the village opinion
    assert dict(step_bar(after_notice, TODAY))["村审核"] is Mark.WITHDRAWN


def test_withdraw_frees_the_reservation_and_is_refused_once_paid() -> None:
    approved, _ = run(through_notice(), Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意", 150000))
    assert approved.reserved_fen() == 150000
    gone, _ = run(approved, WITHDRAW)
    assert gone.reserved_fen() == 0
    emergency, _ = run(new_case(), Emergency(D(2026, 11, 3), "张社长", "火灾", 100000))
    gone, _ = run(emergency, WITHDRAW)
    assert gone.reserved_fen() == 0 and emergency_days_left(gone, RULES.calendar, D(2026, 11, 10)) is None
    partly, _ = paid(approved, 50000, D(2026, 11, 17), "李四")
    assert StepKind.WITHDRAW not in allowed(partly)
    with pytest.raises(ReviewError, match="已发放 ¥500.00，不能撤回"):
        apply(partly, WITHDRAW, RULES, TODAY)
    # a payment reversed in full left nobody paid: the case may still be withdrawn
    reversed_, _ = payment_reversed(partly, 50000, D(2026, 11, 18), "账号错误")
    gone, _ = run(reversed_, WITHDRAW)
    assert gone.status is CaseStatus.WITHDRAWN


def test_a_returned_case_withdrawn_shows_where_it_stood() -> None:
    returned, _ = run(new_case(), VISIT, Return(Level.VILLAGE, D(2026, 11, 4), "张社长", ("户口簿",)))
    gone, _ = run(returned, WITHDRAW)
    assert dict(step_bar(gone, TODAY))["民主评议"] is Mark.WITHDRAWN
    rejected, _ = run(new_case(), Reject(Level.VILLAGE, D(2026, 11, 3), "张社长", "非本村户籍"))
    assert StepKind.WITHDRAW not in allowed(rejected)


# --- property: any sequence of actions keeps the case in a valid state ----------------
amounts = st.integers(min_value=-100, max_value=800000)
levels = st.sampled_from(list(Level))
def test_an_advance_is_at_most_the_societys_emergency_limit() -> None:
    with pytest.raises(ReviewError, match="先行救助金额 ¥2,000.01 超过本社先行救助最高金额 ¥2,000.00"):
        run(new_case(), Emergency(D(2026, 11, 3), "张社长", "火灾", 200_001))  # unset: the village limit
    assert run(new_case(), Emergency(D(2026, 11, 3), "张社长", "火灾", 200_000))[0].emergency_fen == 200_000
    lower = Rules(dataclasses.replace(RULES.settings, emergency_limit_fen=50_000), RULES.calendar)
    with pytest.raises(ReviewError, match="最高金额 ¥500.00"):
        apply(new_case(), Emergency(D(2026, 11, 3), "张社长", "火灾", 50_001), lower, TODAY)


text = st.sampled_from(["", " ", "属实", "同意"])
names = st.lists(st.sampled_from(["", "甲", "乙", "丙", "丁"]), max_size=4).map(tuple)
actions = st.one_of(
    st.builds(Visit, st.just(D(2026, 1, 1)), names, text),
    st.builds(Deliberation, st.just(D(2026, 1, 1)), names, text, amounts, text),
    st.builds(StartNotice, st.just(D(2026, 1, 1)), text),
    st.builds(Objection, st.just(D(2026, 1, 1)), text, text),
    st.builds(ResolveObjection, st.just(D(2026, 1, 1)), text),
    st.builds(Decide, levels, st.just(D(2026, 1, 1)), text, text, amounts, text),
    st.builds(Reject, levels, st.just(D(2026, 1, 1)), text, text),
    st.builds(Return, levels, st.just(D(2026, 1, 1)), text, names),
    st.builds(Resume, st.just(D(2026, 1, 1)), text),
    st.builds(Emergency, st.just(D(2026, 1, 1)), text, text, amounts),
    st.builds(Withdraw, st.just(D(2026, 1, 1)), text),
)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=100, max_value=700000), st.booleans(),
       st.lists(st.tuples(actions, st.integers(min_value=0, max_value=6)), max_size=25))
def test_random_sequences_never_reach_an_invalid_state(requested: int, clash: bool, seq: list) -> None:
    state = ReviewState(status=CaseStatus.ACCEPTED, requested_fen=requested, applied_on=D(2026, 1, 1),
                        last_step_on=D(2026, 1, 1), one_event_clash=clash)
    day = D(2026, 1, 1)
    for action, gap in seq:
        day += dt.timedelta(days=gap)
        action = dataclasses.replace(action, on=day)
        try:
            new, step = apply(state, action, RULES, TODAY)
        except ReviewError:
            continue
        assert step.status_before is state.status and step.status_after is new.status
        state = new
        assert state.open_objections >= 0
        if state.status in REVIEW_DONE:
            limit = RULES.limit(state.decided_level)
            assert state.approved_fen is not None and state.approved_fen > 0
            assert limit is None or state.approved_fen <= limit
        if state.status is CaseStatus.NOTICE:
            assert state.notice_start <= state.notice_end
        if state.status is CaseStatus.RETURNED:
            assert state.resume_status is not None and state.resume_status is not CaseStatus.RETURNED
        if clash and state.status not in (CaseStatus.ACCEPTED, CaseStatus.INVESTIGATED,
                                          CaseStatus.REJECTED, CaseStatus.RETURNED, CaseStatus.WITHDRAWN):
            assert state.repeat_reason or state.status is CaseStatus.RETURNED
        if state.status is CaseStatus.WITHDRAWN:
            assert allowed(state) == [] and state.reserved_fen() == 0 and state.paid_fen == 0
        assert step_bar(state, TODAY)  # every reachable state can be shown


# --- the text of every step: the application's text rule (cases/text) ------------------
def _all_steps_with(text: str) -> list:
    """One action of every kind with ``text`` in every free-text field and name list."""
    on = D(2026, 11, 3)
    return [
        Visit(on, ("王会计", text), text), Deliberation(on, ("张社长", "李委员", text), text, 1, text),
        StartNotice(on, text), Objection(on, text, text), ResolveObjection(on, text),
        Decide(Level.VILLAGE, on, text, text, 1, text), Reject(Level.VILLAGE, on, text, text),
        Return(Level.VILLAGE, on, text, (text,)), Resume(on, text), Emergency(on, text, text, 1),
        Close(on, text), Withdraw(on, text),
    ]


@pytest.mark.parametrize("bad", ["属实\x1b[2J", "属实\u202e实属", "属实\x00", "\u200b"])
def test_control_characters_in_any_step_text_are_refused_naming_the_field(bad: str) -> None:
    for action in _all_steps_with(bad):
        with pytest.raises(ValidationError) as info:
            clean_action(action)
        assert all("不可见的控制字符" in e.message for e in info.value.errors), action
        texts = [f.name for f in dataclasses.fields(action) if f.name not in ("on", "level", "proposed_fen",
                                                                            "approved_fen", "household_signed")]
        assert {e.field for e in info.value.errors} == set(texts), action


def test_apply_refuses_an_invisible_repeat_reason_and_withdraw_reason() -> None:
    state, _ = run(new_case(one_event_clash=True), VISIT)
    with pytest.raises(ValidationError, match="再次救助理由"):
        apply(state, dataclasses.replace(BOARD, repeat_reason="\u200b"), RULES, TODAY)
    with pytest.raises(ReviewError, match="一事一救"):  # blank-looking letters count as empty
        apply(state, dataclasses.replace(BOARD, repeat_reason="\u3164\u3000 "), RULES, TODAY)
    with pytest.raises(ValidationError, match="撤回理由"):
        apply(state, Withdraw(D(2026, 11, 20), "\u200b"), RULES, TODAY)


def test_step_texts_have_length_limits_and_are_trimmed() -> None:
    state = through_notice()
    with pytest.raises(ValidationError, match="撤回理由最多500个字"):
        apply(state, Withdraw(D(2026, 11, 20), "撤" * 5_000_000), RULES, TODAY)
    with pytest.raises(ValidationError, match="签字人最多50个字"):
        apply(state, Decide(Level.VILLAGE, D(2026, 11, 16), "张" * 51, "同意", 250000), RULES, TODAY)
    with pytest.raises(ValidationError, match="调查人最多30项"):
        apply(new_case(), Visit(D(2026, 11, 3), tuple(f"人{i}" for i in range(31)), "属实"), RULES, TODAY)
    _, (step,) = run(state, Decide(Level.VILLAGE, D(2026, 11, 16), "  张社长 ", "同意\r\n按评议金额", 250000))
    assert (step.signer, step.opinion) == ("张社长", "同意\n按评议金额")
