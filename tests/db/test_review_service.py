"""Review steps through the service on a real file: timeline, audit, versions, 一事一救."""

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import select

from jiujinan.cases.clock import FixedClock
from jiujinan.cases.enums import CaseStatus, Level, StepKind
from jiujinan.cases.errors import ConflictError
from jiujinan.cases.review import Decide, Deliberation, Emergency, ReviewError, StartNotice, Visit
from jiujinan.db.models import AuditEntry
from jiujinan.services import intake, review
from tests.conftest import application

D = dt.date


@pytest.fixture
def later(ctx):  # noqa: ANN001, ANN201
    """Move the clock to a month after the application, so every step date is in the past."""
    ctx.clock = FixedClock(dt.datetime(2026, 12, 21, 2, 0, tzinfo=dt.timezone.utc))
    return ctx


def register(ctx, society_id, **changes):  # noqa: ANN001, ANN201
    return intake.register_application(ctx, society_id, application(applied_on=D(2026, 11, 2), **changes), "王会计")


def walk_to_notice(ctx, case_id, proposed=200000):  # noqa: ANN001, ANN201
    view = review.case_view(ctx, case_id, "王会计")
    for action in (Visit(D(2026, 11, 3), ("王会计", "李委员"), "属实"),
                   Deliberation(D(2026, 11, 5), ("张社长", "李委员", "赵理事"), "同意", proposed),
                   StartNotice(D(2026, 11, 9), "村务公开栏")):
        view = review.perform(ctx, case_id, action, "王会计", version=view.version)
    return view


def test_a_case_walks_to_approval_with_its_timeline(later, society_id) -> None:
    case = register(later, society_id)
    first = review.case_view(later, case.id, "王会计")
    assert [s.kind for s in first.steps] == [StepKind.ACCEPT]
    assert first.allowed[0] is StepKind.VISIT
    view = walk_to_notice(later, case.id)
    assert view.state.notice_end == D(2026, 11, 13)
    view = review.perform(later, case.id, Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意救助", 180000),
                          "李主任", version=view.version)
    assert view.case.status is CaseStatus.AWAITING_PAYMENT
    assert [s.kind for s in view.steps] == [StepKind.ACCEPT, StepKind.VISIT, StepKind.DELIBERATION,
                                            StepKind.NOTICE, StepKind.DECISION]
    decision = view.steps[-1]
    assert (decision.signer, decision.amount_fen, decision.recorded_by) == ("张社长", 180000, "李主任")
    with later.read() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "step:decision")).all()
    (entry,) = entries
    assert json.loads(entry.before_json)["status"] == "notice"
    assert json.loads(entry.after_json)["status"] == "awaiting_payment"
    with pytest.raises(Exception, match="不能再修改"):
        intake.update_application(later, case.id, application(applied_on=D(2026, 11, 2)), "王会计",
                                  version=view.case.version)


def test_a_stale_screen_cannot_overwrite_a_newer_step(later, society_id) -> None:
    case = register(later, society_id)
    seen = review.case_view(later, case.id, "王会计")
    review.perform(later, case.id, Visit(D(2026, 11, 3), ("王会计", "李委员"), "属实"), "王会计", version=seen.version)
    with pytest.raises(ConflictError):
        review.perform(later, case.id, Visit(D(2026, 11, 4), ("甲", "乙"), "属实"), "李主任", version=seen.version)
    assert len(review.case_view(later, case.id, "王会计").steps) == 2


def test_refused_steps_write_nothing(later, society_id) -> None:
    case = register(later, society_id)
    view = walk_to_notice(later, case.id)
    before = len(view.steps)
    with pytest.raises(ReviewError, match="公示期"):
        review.perform(later, case.id, Decide(Level.VILLAGE, D(2026, 11, 12), "张社长", "同意", 100000),
                       "王会计", version=view.version)
    after = review.case_view(later, case.id, "王会计")
    assert len(after.steps) == before and after.version == view.version


def test_one_event_one_aid_asks_the_board_of_the_later_case_only(later, society_id) -> None:
    first = register(later, society_id)
    second = register(later, society_id, repeat_reason="病情复发再次住院")
    board = Deliberation(D(2026, 11, 5), ("甲", "乙", "丙"), "同意", 100000)
    # the earlier case goes on as if alone: no reason asked at 民主评议
    view = review.case_view(later, first.id, "王会计")
    assert not view.state.one_event_clash and view.history.one_event_warning() is None
    view = review.perform(later, first.id, Visit(D(2026, 11, 3), ("甲", "乙"), "属实"), "王会计", version=view.version)
    assert review.perform(later, first.id, board, "王会计", version=view.version).case.status is CaseStatus.DELIBERATED
    # the later one names the earlier case, and its board must record its own reason
    view = review.case_view(later, second.id, "王会计")
    assert view.state.one_event_clash and first.case_no in view.history.one_event_warning()
    view = review.perform(later, second.id, Visit(D(2026, 11, 3), ("甲", "乙"), "属实"), "王会计", version=view.version)
    with pytest.raises(ReviewError, match="一事一救"):
        review.perform(later, second.id, board, "王会计", version=view.version)
    view = review.perform(later, second.id, dataclasses.replace(board, repeat_reason="理事会同意再次救助"),
                          "王会计", version=view.version)
    assert view.steps[-1].details["repeat_reason"] == "理事会同意再次救助"


def test_emergency_case_counts_down(later, society_id) -> None:
    case = register(later, society_id)
    view = review.case_view(later, case.id, "王会计")
    view = review.perform(later, case.id, Emergency(D(2026, 12, 14), "张社长", "火灾", 100000), "李主任",
                          version=view.version)
    assert view.state.emergency_deadline == D(2026, 12, 28)
    assert view.emergency_days_left == 5  # from Monday 21 December
