"""The fund's rules without a database: what may be paid and is reserved, no overdraft on any
day, reversals, approvals within the money (量力而行), closed months, contributions, payees."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiujinan.cases.enums import CaseStatus, FundSource, LedgerKind, PaymentMethod
from jiujinan.cases.errors import ValidationError
from jiujinan.cases.fund import (
    ContributionInput, FundError, FundPosition, LedgerLine, LowPoint, PaymentInput, check_approval,
    check_month_open, check_reversal, lowest_balance_from, payable_fen, payee_of, payment_cap_fen, pays_the_advance,
    running_balances, validate_contribution, validate_payment,
)
from jiujinan.cases.review import ReviewState

D = dt.date
TODAY = D(2026, 12, 21)
S = CaseStatus

# status, approved, emergency (先行救助), paid → most ever paid, what may still be paid (= reserved)
CASES = [
    (S.ACCEPTED, None, None, 0, 0, 0),  # nothing approved yet
    (S.NOTICE, 150_000, None, 0, 0, 0),  # an amount proposed but the review not done
    (S.AWAITING_PAYMENT, 180_000, None, 0, 180_000, 180_000),
    (S.AWAITING_PAYMENT, 180_000, None, 100_000, 180_000, 80_000),  # in instalments
    (S.PAID, 180_000, None, 180_000, 180_000, 0),
    (S.CLOSED, 180_000, None, 100_000, 180_000, 80_000),  # its payment reversed after closing: owed again
    (S.ACCEPTED, None, 50_000, 0, 50_000, 50_000),  # pay first, before the review
    (S.INVESTIGATED, None, 50_000, 30_000, 50_000, 20_000),
    (S.AWAITING_PAYMENT, 150_000, 50_000, 50_000, 150_000, 100_000),  # the approval counts the advance
    (S.PAID, 40_000, 50_000, 50_000, 40_000, 0),  # never less than 0 (paid first more than approved)
    (S.REJECTED, None, 50_000, 0, 50_000, 0),  # a rejected 先行救助 is not paid and reserves nothing
    (S.REJECTED, None, 50_000, 50_000, 50_000, 0),  # what was paid first stays paid
    (S.WITHDRAWN, 180_000, None, 0, 0, 0),
    (S.RETURNED, None, 50_000, 0, 50_000, 50_000),  # waiting for material: the advance still holds
]


@pytest.mark.parametrize(("status", "approved", "emergency", "paid", "cap", "payable"), CASES)
def test_what_a_case_may_be_paid_and_reserves(status, approved, emergency, paid, cap, payable) -> None:  # noqa: ANN001
    assert payment_cap_fen(status, approved, emergency) == cap
    assert payable_fen(status, approved, emergency, paid) == payable
    state = ReviewState(status, 200_000, D(2026, 11, 2), D(2026, 11, 2), approved_fen=approved,
                        emergency=emergency is not None, emergency_fen=emergency, paid_fen=paid)
    assert state.reserved_fen() == payable  # the case's own view of it is the same rule


def line(n: int, on: dt.date, kind: LedgerKind, fen: int, reversed_by: int | None = None) -> LedgerLine:
    return LedgerLine(n, on, kind, fen, FundSource.DONATION if fen > 0 else None, None, "", "", "", "", None,
                      None, reversed_by, "王会计")


# Entries (date, signed amount) dated on or after 11-20, in ledger order; before 11-20: 1,000.
LOWS = [
    ([], LowPoint(100_000, D(2026, 11, 20), True)),  # nothing since: today's balance
    ([(D(2026, 11, 20), 50_000)], LowPoint(150_000, D(2026, 11, 20), True)),  # the day's entries count
    ([(D(2026, 11, 25), 200_000)], LowPoint(100_000, D(2026, 11, 20), False)),  # money came in later
    ([(D(2026, 11, 25), -60_000), (D(2026, 11, 26), 500_000)], LowPoint(40_000, D(2026, 11, 25), False)),
    ([(D(2026, 11, 25), 300_000), (D(2026, 11, 28), -350_000)], LowPoint(50_000, D(2026, 11, 28), True)),
    ([(D(2026, 11, 20), -100_000), (D(2026, 12, 1), 1)], LowPoint(0, D(2026, 11, 20), False)),
]


@pytest.mark.parametrize(("entries", "low"), LOWS)
def test_the_lowest_balance_from_a_day_on(entries, low) -> None:  # noqa: ANN001
    assert lowest_balance_from(D(2026, 11, 20), 100_000, entries) == low


ledgers = st.lists(st.tuples(st.integers(0, 40), st.integers(-500_000, 500_000)), max_size=25)


@given(st.integers(0, 10**6), ledgers, st.integers(0, 40), st.integers(0, 10**6))
def test_money_out_within_the_low_point_keeps_every_day_above_zero(opening, moves, day_no, out) -> None:  # noqa: ANN001
    """Insert the money out where the ledger puts it (after the entries of its day) and walk
    the running balances: none from it on drops below zero exactly when out ≤ the low point,
    and the low point is the least of those balances without it."""
    start = D(2026, 11, 1)
    entries = sorted(((start + dt.timedelta(days=d), fen) for d, fen in moves), key=lambda e: e[0])
    day = start + dt.timedelta(days=day_no)
    before = opening + sum(fen for on, fen in entries if on < day)
    low = lowest_balance_from(day, before, [e for e in entries if e[0] >= day])
    at = sum(1 for on, _ in entries if on <= day)
    lines = [line(i, on, LedgerKind.CONTRIBUTION, fen) for i, (on, fen) in enumerate(entries)]
    walked = running_balances(opening, lines[:at] + [line(-1, day, LedgerKind.PAYMENT, -out)] + lines[at:])
    assert low.balance_fen == min(walked[at:]) + out
    assert (min(walked[at:]) >= 0) == (out <= low.balance_fen)
    assert low.is_current == (low.balance_fen == (walked[-1] + out))


PAY = PaymentInput(D(2026, 11, 20), PaymentMethod.BANK, 180_000, " 付-001 ")


@pytest.mark.parametrize(("payment", "payable", "low", "refusal"), [
    (PAY, 180_000, LowPoint(180_000, D(2026, 11, 20), True), None),
    (PAY, 100_000, LowPoint(500_000, D(2026, 11, 20), True), "最多还能发放 ¥1,000.00"),
    (PAY, 180_000, LowPoint(100_000, D(2026, 12, 1), True), "余额不足：账上只有 ¥1,000.00，不能发放 ¥1,800.00"),
    (PAY, 180_000, LowPoint(100_000, D(2026, 11, 20), False),
     "余额不足：2026-11-20 起账上最少时只有 ¥1,000.00（2026-11-20），不能在 2026-11-20 发放 ¥1,800.00："
     "台账余额任何一天都不得为负"),
    (PaymentInput(D(2026, 12, 22), PaymentMethod.BANK, 1, ""), 1, LowPoint(9, TODAY, True), "发放日期不能晚于今天"),
    (PaymentInput(D(2026, 11, 1), PaymentMethod.BANK, 1, ""), 1, LowPoint(9, TODAY, True), "发放日期不能早于申请日期"),
    (PaymentInput(D(2026, 11, 20), PaymentMethod.CASH, 1, ""), 1, LowPoint(9, TODAY, True), "领款人签字的收据"),
    (PaymentInput(D(2026, 11, 20), PaymentMethod.BANK, 0, ""), 1, LowPoint(9, TODAY, True), "金额必须大于零"),
])
def test_payments(payment, payable, low, refusal) -> None:  # noqa: ANN001
    check = lambda: validate_payment(payment, payable=payable, low=low, today=TODAY,  # noqa: E731
                                     applied_on=D(2026, 11, 2))
    if refusal is None:
        assert check().voucher_no == "付-001"
        return
    with pytest.raises((FundError, ValidationError)) as info:
        check()
    assert refusal in str(info.value)


MONEY_IN = line(7, D(2026, 11, 10), LedgerKind.CONTRIBUTION, 100_000)


@pytest.mark.parametrize(("entry", "on", "low", "refusal"), [
    (MONEY_IN, D(2026, 11, 12), LowPoint(100_000, D(2026, 11, 12), True), None),
    (line(8, D(2026, 11, 20), LedgerKind.PAYMENT, -180_000), D(2026, 11, 21), LowPoint(0, TODAY, True), None),
    (line(9, D(2026, 11, 21), LedgerKind.REVERSAL, 180_000), D(2026, 11, 22), LowPoint(10**6, TODAY, True),
     "冲正记录不能再冲正"),
    (line(7, D(2026, 11, 10), LedgerKind.CONTRIBUTION, 100_000, reversed_by=12), D(2026, 11, 12),
     LowPoint(10**6, TODAY, True), "第 7 号记录已被冲正过"),
    (MONEY_IN, D(2026, 11, 9), LowPoint(10**6, TODAY, True), "冲正日期不能早于原记录日期"),
    (MONEY_IN, D(2026, 11, 12), LowPoint(99_999, TODAY, True), "冲正后余额将为负数（当前余额 ¥999.99）"),
    (MONEY_IN, D(2026, 11, 12), LowPoint(0, D(2026, 11, 20), False),
     "冲正后余额将为负数：2026-11-12 起余额最少时只有 ¥0.00（2026-11-20），台账余额任何一天都不得为负"),
])
def test_reversals(entry, on, low, refusal) -> None:  # noqa: ANN001
    if refusal is None:
        assert check_reversal(entry, " 录入错误 ", on, low) == "录入错误"
        return
    with pytest.raises(FundError) as info:
        check_reversal(entry, "录入错误", on, low)
    assert refusal in str(info.value)


def test_a_reversal_needs_its_reason() -> None:
    with pytest.raises(ValidationError, match="请填写冲正理由"):
        check_reversal(MONEY_IN, "  ", D(2026, 11, 12), LowPoint(10**6, TODAY, True))


@pytest.mark.parametrize(("balance", "reserved", "floor", "needed", "refusal", "warning"), [
    (400_000, 100_000, 0, 300_000, None, None),  # exactly what is available
    (400_000, 100_000, 0, 300_001, "资金不足：本次需要 ¥3,000.01，可用资金只有 ¥3,000.00（余额 ¥4,000.00，已批未发 ¥1,000.00）",
     None),
    (400_000, 100_000, 50_000, 260_000, None, "批准后可用资金为 ¥400.00，低于本社资金预警线 ¥500.00"),
    (400_000, 100_000, 40_000, 260_000, None, None),  # at the floor is not under it
    (100_000, 150_000, 0, 1, "可用资金只有 ¥-500.00", None),  # money in reversed after approvals
])
def test_approvals_within_the_money(balance, reserved, floor, needed, refusal, warning) -> None:  # noqa: ANN001
    position = FundPosition(balance, reserved, floor, {}, 0)
    if refusal:
        with pytest.raises(FundError) as info:
            check_approval(position, needed)
        assert refusal in str(info.value)
    else:
        assert check_approval(position, needed) == warning


@pytest.mark.parametrize(("day", "closed", "refused"), [
    (D(2026, 11, 30), {"2026-11"}, True),
    (D(2026, 12, 1), {"2026-11"}, False),
    (D(2026, 11, 1), set(), False),
])
def test_closed_months(day, closed, refused) -> None:  # noqa: ANN001
    if refused:
        with pytest.raises(FundError, match="2026-11 已月结，不能再记入该月"):
            check_month_open(day, closed)
    else:
        check_month_open(day, closed)


@pytest.mark.parametrize(("money", "errors"), [
    (ContributionInput(D(2026, 11, 1), FundSource.DONATION, 5_000, " 爱心人士 ", ""), {}),
    (ContributionInput(D(2026, 11, 1), FundSource.DONATION, 0, "爱心人士", ""), {"amount": "金额必须大于零"}),
    (ContributionInput(D(2026, 12, 22), FundSource.DONATION, 1, "爱心人士", ""), {"posted_on": "入账日期不能晚于今天"}),
    (ContributionInput(D(2026, 11, 1), FundSource.DONATION, -1, " ", "x" * 41),
     {"payer": "请填写缴款单位或个人", "voucher_no": "凭证号最多40个字，现有41个", "amount": "金额必须大于零"}),
])
def test_contributions(money, errors) -> None:  # noqa: ANN001
    if not errors:
        assert validate_contribution(money, TODAY).payer == "爱心人士"
        return
    with pytest.raises(ValidationError) as info:
        validate_contribution(money, TODAY)
    assert {e.field: e.message for e in info.value.errors} == errors  # every error at once


@pytest.mark.parametrize(("status", "emergency", "advance"), [
    (S.ACCEPTED, True, True), (S.RETURNED, True, True), (S.REJECTED, True, True),
    (S.AWAITING_PAYMENT, True, False),  # reviewed: the approved amount is paid, not the advance
    (S.ACCEPTED, False, False),
])
def test_which_payment_pays_the_advance(status, emergency, advance) -> None:  # noqa: ANN001
    assert pays_the_advance(status, emergency) is advance


@pytest.mark.parametrize(("holder", "method", "payee"), [
    ("李四", PaymentMethod.BANK, "李四"),  # the account's holder receives a transfer
    ("", PaymentMethod.ONE_CARD, "张三"),
    ("李四", PaymentMethod.CASH, "张三"),  # cash goes to the applicant, whoever holds the account
])
def test_who_receives_a_payment(holder, method, payee) -> None:  # noqa: ANN001
    assert payee_of(holder, "张三", method) == payee
