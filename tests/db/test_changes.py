"""What changed, read from the audit chain: each operation's entries say which screens must
read again (services/changes.py)."""

from __future__ import annotations

import datetime as dt

from jiujinan.cases.enums import FundSource
from jiujinan.cases.fund import ContributionInput
from jiujinan.services import changes, fund, intake
from jiujinan.services.changes import EVERYTHING, NOTHING, Changes, changes_since, of_entries
from tests.conftest import application, make_id
from tests.db.test_fund import approved_case, later, pay  # noqa: F401 - later: a fixture


def look(ctx, seen):  # noqa: ANN001, ANN201
    return changes_since(ctx, seen)


def test_the_first_look_only_learns_where_the_chain_stands(ctx, society_id) -> None:  # noqa: ANN001
    count, found = look(ctx, None)
    assert count > 0 and found == NOTHING and not found
    assert look(ctx, count) == (count, NOTHING)


def test_a_new_case_touches_that_case_and_nothing_of_the_fund(ctx, society_id) -> None:  # noqa: ANN001
    seen, _ = look(ctx, None)
    case = intake.register_application(ctx, society_id, application(id_number=make_id(seq="71")), "王会计")
    _, found = look(ctx, seen)
    assert found.case_ids == {case.id} and found.society_ids == {society_id}
    assert found.touches("case") and not found.touches("ledger", "payment", "user", "society")
    assert found.touches_case(case.id) and not found.touches_case(case.id + 1)


def test_money_in_touches_the_ledger_but_no_case(ctx, society_id) -> None:  # noqa: ANN001
    seen, _ = look(ctx, None)
    fund.add_contribution(ctx, society_id, ContributionInput(dt.date(2026, 11, 20), FundSource.DONATION, 5000,
                                                             "李四", "收-9", ""), "王会计")
    _, found = look(ctx, seen)
    assert found.touches("ledger") and not found.touches("case", "payment")
    assert not found.touches_case(1)


def test_a_payment_touches_the_ledger_and_every_case_screen(later, society_id) -> None:  # noqa: ANN001
    view = approved_case(later, society_id)
    seen, _ = look(later, None)
    pay(later, view, 180000)
    _, found = look(later, seen)
    assert found.touches("ledger", "payment") and found.touches_case(view.case.id)


def test_a_shorter_chain_or_too_many_entries_is_everything(ctx, society_id, monkeypatch) -> None:  # noqa: ANN001
    count, _ = look(ctx, None)
    assert look(ctx, count + 5) == (count, EVERYTHING)  # another database (a restore): all reload
    monkeypatch.setattr(changes, "MAX_LISTED", 1)
    for n in range(2):
        intake.register_application(ctx, society_id, application(id_number=make_id(seq=f"8{n}")), "王会计")
    assert look(ctx, count)[1] == EVERYTHING


def test_changes_add_up_and_a_replaced_database_is_everything() -> None:
    a = of_entries([("case", "create", 3, 1)])
    b = of_entries([("ledger", "contribution", 9, 2)])
    assert (a | b) == Changes(frozenset({"case", "ledger"}), frozenset({3}), frozenset({1, 2}))
    assert of_entries([("case", "create", 3, 1), ("database", "restore", 0, None)]) == EVERYTHING
    assert of_entries([("ledger", "reversal", 4, 1)]).touches("payment")
