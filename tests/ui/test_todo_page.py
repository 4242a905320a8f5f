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
from jiujinan.ui.todo_page import TodoPage
from tests.conftest import application


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
    view = review.case_view(ctx, case.id)
    review.perform(ctx, case.id, Emergency(dt.date(2026, 11, 2), "张社长", "火灾", 100000), "王会计",
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
