"""The lazy case-list model: passes Qt's model tester and never loads the whole table."""

from PySide6.QtCore import Qt

from jiujinan.cases.listing import CaseListQuery, SortKey
from jiujinan.services.demo import run_demo
from jiujinan.services import societies
from jiujinan.ui.case_table_model import PAGE_SIZE, CaseTableModel


def test_model_tester_passes(qtmodeltester, ctx) -> None:  # noqa: ANN001
    run_demo(ctx, n_societies=1, n_cases=1200, seed=2)
    society = societies.list_societies(ctx)[0].id
    model = CaseTableModel(ctx, CaseListQuery(society_id=society), "王会计")
    qtmodeltester.check(model, force_py=True)


def test_rows_load_in_pages_and_jump_to_the_end(ctx) -> None:  # noqa: ANN001
    run_demo(ctx, n_societies=1, n_cases=2600, seed=2)
    society = societies.list_societies(ctx)[0].id
    model = CaseTableModel(ctx, CaseListQuery(society_id=society), "王会计")
    assert model.rowCount() == 2600 and model.pages_loaded == 0
    first = model.data(model.index(0, 0))
    assert model.pages_loaded == 1
    last = model.data(model.index(2599, 0))
    assert model.pages_loaded == 2  # read from the end, not through the middle
    assert first.endswith("2026-" + first[-5:]) and last.startswith(first[:12])
    model.sort(6, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, 0)) == last  # the oldest case comes first now
    # Walking down page by page continues from the previous page's last key.
    seen = [model.data(model.index(row, 0)) for row in range(0, 2600, 97)]
    assert len(set(seen)) == len(seen)
    assert model.pages_loaded <= 2 + 2600 // PAGE_SIZE + 2


def test_sorting_by_amount(ctx) -> None:  # noqa: ANN001
    run_demo(ctx, n_societies=1, n_cases=300, seed=5)
    society = societies.list_societies(ctx)[0].id
    model = CaseTableModel(ctx, CaseListQuery(society_id=society), "王会计")
    model.sort(4, Qt.SortOrder.DescendingOrder)
    assert model.query.sort is SortKey.AMOUNT
    amounts = [float(model.data(model.index(r, 4)).replace(",", "")) for r in range(model.rowCount())]
    assert amounts == sorted(amounts, reverse=True)
    assert model.data(model.index(0, 4), Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
