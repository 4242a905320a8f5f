"""The demo: realistic, repeatable, and every timeline one the review rules allow."""

from collections import Counter

from sqlalchemy import func, select

from jiujinan.cases.enums import CaseStatus, FundSource, LedgerKind
from jiujinan.cases.idcard import is_valid_id
from jiujinan.db import fund, review
from jiujinan.db.models import AidCase, CaseStep, LedgerEntry
from jiujinan.services.check import run_checks
from jiujinan.services.demo import run_demo
from tests.conftest import TODAY


def test_demo_covers_every_stage_with_consistent_timelines(ctx) -> None:  # noqa: ANN001
    run_demo(ctx, n_societies=3, n_cases=4000, seed=11)
    with ctx.read() as s:
        cases = s.execute(select(AidCase.id, AidCase.status, AidCase.emergency, AidCase.id_number,
                                 AidCase.requested_fen, AidCase.approved_fen, AidCase.applied_on)).all()
        last = dict(s.execute(select(CaseStep.case_id, CaseStep.status_after)
                              .where(CaseStep.id.in_(select(func.max(CaseStep.id)).group_by(CaseStep.case_id)))).all())
        first_kinds = Counter(s.scalars(select(CaseStep.kind).where(
            CaseStep.id.in_(select(func.min(CaseStep.id)).group_by(CaseStep.case_id)))))
        seed = s.execute(select(LedgerEntry.society_id, LedgerEntry.source, LedgerEntry.amount_fen)
                         .where(LedgerEntry.kind == LedgerKind.CONTRIBUTION.value,
                                LedgerEntry.memo == "互助社启动资金")).all()
        payments = s.scalar(select(func.count()).select_from(LedgerEntry).where(
            LedgerEntry.kind == LedgerKind.PAYMENT.value))
    statuses = Counter(c.status for c in cases)
    for status in (CaseStatus.ACCEPTED, CaseStatus.NOTICE, CaseStatus.VILLAGE_APPROVED,
                   CaseStatus.AWAITING_PAYMENT, CaseStatus.PAID, CaseStatus.CLOSED, CaseStatus.REJECTED,
                   CaseStatus.RETURNED, CaseStatus.WITHDRAWN):
        assert statuses[status.value] > 0, status
    assert sum(c.emergency for c in cases) > 0
    assert first_kinds == {"accept": 4000}
    for c in cases:
        assert last[c.id] == c.status  # the timeline ends where the case stands
        assert is_valid_id(c.id_number, TODAY)
        assert 10000 <= c.requested_fen <= 1000000
        assert c.applied_on <= TODAY
    per_society = Counter()
    for society_id, source, fen in seed:
        per_society[society_id] += fen
        assert source in {FundSource.DISTRICT_BUDGET.value, FundSource.CHARITY_MATCH.value,
                          FundSource.VILLAGE_COLLECTIVE.value}
    assert len(per_society) == 3 and min(per_society.values()) >= 3_000_000  # ≥ 30,000 yuan each
    assert payments > 3000 * 0.8
    report = run_checks(ctx)  # every invariant of `jiujinan check` holds for the demo
    assert report.ok, report.violations[:5]
    # The reservation in SQL (db/fund.reserved) sums what the rule (ReviewState.reserved_fen) says.
    with ctx.read() as s:
        for society_id in s.scalars(select(AidCase.society_id).distinct()):
            ids = s.scalars(select(AidCase.id).where(AidCase.society_id == society_id)).all()
            by_rule = sum(review.review_state(s, i)[0].reserved_fen() for i in ids)
            assert fund.reserved(s, society_id) == by_rule
