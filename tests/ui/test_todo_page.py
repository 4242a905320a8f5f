"""The 待办 view and the emergency countdown in the case list."""

import datetime as dt

from PySide6.QtCore import Qt

from jiujinan.cases.review import Emergency
from jiujinan.cases.todo import TodoGroup
from jiujinan.services import intake, review
from jiujinan.services.demo import run_demo
from jiujinan.ui.case_dialog import CaseDialog
from jiujinan.ui.case_list_page import CaseListPage
from jiujinan.ui.case_table_model import DEADLINE_COLUMN
from jiujinan.ui.todo_page import CASE_ID_ROLE, TodoPage
from tests.conftest import application, make_id


def test_todo_lists_waiting_cases_and_opens_them(qtbot, session) -> None:  # noqa: ANN001
    run_demo(session.ctx, n_societies=1, n_cases=0, seed=1)  # seed money only
    case = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    page = TodoPage(session)
    qtbot.addWidget(page)
    assert page.group_count(TodoGroup.VISIT) == 1
    group = page.tree.topLevelItem(0)
    assert group.text(0).startswith("待入户调查（1 件）")
    item = group.child(0)
    assert item.text(0) == case.case_no
    page.tree.itemActivated.emit(item, 0)
    (dialog,) = page.findChildren(CaseDialog)
    assert dialog.view.case.id == case.id


def test_overdue_emergency_stands_out(qtbot, session) -> None:  # noqa: ANN001
    ctx = session.ctx
    ctx.clock.moment = dt.datetime(2026, 11, 2, 2, tzinfo=dt.timezone.utc)
    case = intake.register_application(ctx, session.society_id, application(applied_on=dt.date(2026, 11, 2)), "王会计")
    view = review.case_view(ctx, case.id, "王会计")
    review.perform(ctx, case.id, Emergency(dt.date(2026, 11, 2), "张社长", "火灾", 100000), "李主任",
                   version=view.version)
    ctx.clock.moment = dt.datetime(2026, 11, 20, 2, tzinfo=dt.timezone.utc)
    todo = TodoPage(session)
    qtbot.addWidget(todo)
    assert todo.group_count(TodoGroup.EMERGENCY) == 1
    assert todo.tree.topLevelItem(0).child(0).foreground(0).color().name() == "#c62828"
    page = CaseListPage(session)
    qtbot.addWidget(page)
    model = page.model
    assert model.data(model.index(0, DEADLINE_COLUMN)) == "超期4个工作日"
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole) is not None


def _emergency(ctx, society_id: int, on: dt.date, seq: str):  # noqa: ANN001, ANN202
    """A case granted 先行救助 on ``on``; returns its case view."""
    ctx.clock.moment = dt.datetime(on.year, on.month, on.day, 2, tzinfo=dt.timezone.utc)
    case = intake.register_application(ctx, society_id, application(applied_on=on, id_number=make_id(seq=seq)), "王会计")
    view = review.case_view(ctx, case.id, "王会计")
    return review.perform(ctx, case.id, Emergency(on, "张社长", "火灾", 100000), "李主任", version=view.version)


def test_the_count_is_the_cases_shown_and_each_case_is_listed_once(qtbot, session) -> None:  # noqa: ANN001
    ctx = session.ctx
    overdue = _emergency(ctx, session.society_id, dt.date(2026, 11, 2), "51")  # due 11-16: overdue on 11-20
    later = _emergency(ctx, session.society_id, dt.date(2026, 11, 20), "52")  # due in December: not yet near
    ctx.clock.moment = dt.datetime(2026, 11, 20, 2, tzinfo=dt.timezone.utc)
    page = TodoPage(session)
    qtbot.addWidget(page)
    rows = page.case_rows()
    assert [r.data(0, CASE_ID_ROLE) for r in rows].count(overdue.case.id) == 1  # under 先行救助 only
    assert page.summary.text().startswith(f"待办 {len(rows)} 件")
    assert sum(page.tree.topLevelItem(n).childCount() for n in range(page.tree.topLevelItemCount())) == len(rows)
    # 期限 of an emergency case is its paperwork deadline, in whichever group it stands.
    by_id = {r.data(0, CASE_ID_ROLE): r for r in rows}
    assert by_id[overdue.case.id].text(5) == overdue.state.emergency_deadline.isoformat()
    assert by_id[later.case.id].parent().text(0).startswith("待入户调查")
    assert by_id[later.case.id].text(5) == later.state.emergency_deadline.isoformat()


def test_cases_waiting_for_payment_are_not_nothing(qtbot, session) -> None:  # noqa: ANN001
    from tests.db.test_fund import approved_case

    approved_case(session.ctx, session.society_id)
    page = TodoPage(session)
    qtbot.addWidget(page)
    assert page.group_count(TodoGroup.PAYMENT) == 1 and len(page.case_rows()) == 1
    assert page.summary.text().startswith("待办 1 件")
