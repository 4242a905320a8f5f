"""How the money papers count: a reversal in the column of what it reverses, 期末 = 期初 + 收入
− 支出 whatever the order; the posted roster's address is the 村民组 alone."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from jiujinan.cases.disclosure import Kind, Output, Shown, disclose, shown
from jiujinan.cases.enums import FundSource, LedgerKind
from jiujinan.cases.fund import LedgerLine, column_of, month_totals
from jiujinan.cases.masking import village_group
from jiujinan.cases.users import Role


def line(n: int, kind: LedgerKind, fen: int, source: FundSource | None = None) -> LedgerLine:
    return LedgerLine(n, dt.date(2026, 11, 1), kind, fen, source, None, "", "", "", "", None, None, None, "王会计")


def test_a_reversed_payment_is_negative_outgo_not_income() -> None:
    lines = [line(1, LedgerKind.CONTRIBUTION, 250_000_00, FundSource.DISTRICT_BUDGET),
             line(2, LedgerKind.PAYMENT, -10_000_00), line(3, LedgerKind.REVERSAL, 10_000_00),
             line(4, LedgerKind.CONTRIBUTION, 500_00, FundSource.DONATION), line(5, LedgerKind.REVERSAL, -500_00, FundSource.DONATION)]
    assert [column_of(x) for x in lines[2:]] == [LedgerKind.PAYMENT, LedgerKind.CONTRIBUTION, LedgerKind.CONTRIBUTION]
    totals = month_totals(0, lines)
    assert (totals.income_fen, totals.paid_out_fen) == (250_000_00, 0)  # not 260,000 of income
    assert totals.by_source[FundSource.DONATION] == 0  # 5.00 − 5.00 (the reversal keeps its source)


movements = st.lists(st.tuples(st.sampled_from([LedgerKind.CONTRIBUTION, LedgerKind.PAYMENT]),
                               st.integers(1, 10**9), st.booleans(), st.sampled_from(list(FundSource))), max_size=30)


@given(st.integers(-10**9, 10**12), movements)
def test_closing_is_opening_plus_income_minus_outgo_and_income_is_its_sources(opening: int, moves) -> None:  # noqa: ANN001
    lines = []
    for kind, fen, reversed_, source in moves:
        signed = fen if kind is LedgerKind.CONTRIBUTION else -fen
        src = source if kind is LedgerKind.CONTRIBUTION else None
        lines.append(line(len(lines) + 1, kind, signed, src))
        if reversed_:
            lines.append(line(len(lines) + 1, LedgerKind.REVERSAL, -signed, src))
    totals = month_totals(opening, lines)
    assert totals.closing_fen == opening + sum(x.amount_fen for x in lines)
    assert totals.income_fen == sum(totals.by_source.values())
    assert totals.paid_out_fen == sum(fen for kind, fen, rev, _s in moves if kind is LedgerKind.PAYMENT and not rev)


def test_the_posted_roster_shows_the_village_group_and_masks_the_account() -> None:
    assert village_group("水阳镇青山村3组12号") == "3组"
    assert village_group("青山村十二村民组东大塘128号") == "十二村民组"
    assert village_group("城东社区5栋302室") == ""  # no 组: nothing that points at the door
    everyone = frozenset(Role)
    assert disclose("水阳镇青山村3组12号", Output.POSTED_ROSTER, Kind.ADDRESS, everyone) == "3组"
    assert disclose("6228480012345678901", Output.POSTED_ROSTER, Kind.ACCOUNT, everyone) == "622848*********8901"
    assert shown(Output.ROSTER, Kind.ACCOUNT, frozenset({Role.CLERK})) is Shown.FULL
    assert shown(Output.ROSTER, Kind.ACCOUNT, frozenset({Role.REVIEWER})) is Shown.MASKED  # as the ID
    assert shown(Output.ROSTER, Kind.ADDRESS, frozenset({Role.REVIEWER})) is Shown.FULL
