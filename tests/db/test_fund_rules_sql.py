"""The fund's rules that SQL repeats for speed (db/fund.payment_cap and payable, which the fund's
position sums as what is reserved and ``check`` compares payments with) must say exactly what
the Python rules say (cases/fund.payment_cap_fen and payable_fen), on any case: every status,
approved or not, a 先行救助 or not, paid nothing, in part, in full or more, reversals included
(a reversal only lowers what was paid)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import BigInteger, String, literal, select

from jiujinan.cases.enums import CaseStatus
from jiujinan.cases.fund import payable_fen, payment_cap_fen
from jiujinan.db import fund as fund_db

STATUS = st.sampled_from(list(CaseStatus))
AMOUNT = st.one_of(st.none(), st.sampled_from([0, 1, 5_000, 150_000, 200_000, 500_000]),
                   st.integers(min_value=-10**12, max_value=10**12))
PAID = st.one_of(st.sampled_from([0, 1, 5_000, 150_000, 200_000]), st.integers(min_value=-10**12, max_value=10**12))
# The database fixture is only read, so sharing it between examples is safe.
EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@EXAMPLES
@given(status=STATUS, approved=AMOUNT, emergency=AMOUNT, paid=PAID)
def test_payable_and_reserved_in_sql_are_the_rule(ctx, status, approved, emergency, paid) -> None:  # noqa: ANN001
    values = (literal(status.value, String), literal(approved, BigInteger), literal(emergency, BigInteger))
    with ctx.read() as s:
        cap, rest = s.execute(select(fund_db.payment_cap(*values),
                                     fund_db.payable(*values, literal(paid, BigInteger)))).one()
    assert cap == payment_cap_fen(status, approved, emergency)
    assert rest == payable_fen(status, approved, emergency, paid)


def test_the_cases_the_rule_names(ctx) -> None:  # noqa: ANN001
    """A few by name, as the clerk meets them (the property above covers the rest)."""
    cases = [  # status, approved, emergency (先行救助), paid → what may still be paid (= reserved)
        (CaseStatus.AWAITING_PAYMENT, 180_000, None, 100_000, 80_000),
        (CaseStatus.PAID, 180_000, None, 180_000, 0),
        (CaseStatus.ACCEPTED, None, 50_000, 0, 50_000),  # paid first, before the review
        (CaseStatus.NOTICE, None, 50_000, 50_000, 0),
        (CaseStatus.AWAITING_PAYMENT, 150_000, 50_000, 50_000, 100_000),  # the approval counts the advance
        (CaseStatus.REJECTED, None, 50_000, 0, 0),  # a rejected 先行救助 reserves nothing
        (CaseStatus.WITHDRAWN, 180_000, None, 0, 0),
        (CaseStatus.CLOSED, 180_000, None, 100_000, 80_000),  # a closed case's payment reversed: owed again
    ]
    for status, approved, emergency, paid, expected in cases:
        assert payable_fen(status, approved, emergency, paid) == expected, status
        values = (literal(status.value, String), literal(approved, BigInteger), literal(emergency, BigInteger),
                  literal(paid, BigInteger))
        with ctx.read() as s:
            assert s.execute(select(fund_db.payable(*values))).scalar_one() == expected, status
