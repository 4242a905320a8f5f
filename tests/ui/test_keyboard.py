"""The keyboard as a clerk uses it all day: members table, case list, shortcuts, one window
per case, and no edits thrown away without asking."""

import datetime as dt
import itertools

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from jiujinan.ui.application_form import ApplicationForm
from jiujinan.ui.case_table_model import CASE_ID_ROLE
from tests.ui.typing import type_text


def shown(qtbot, widget):  # noqa: ANN001, ANN201
    qtbot.addWidget(widget)
    with qtbot.waitActive(widget):
        widget.show()
    return widget


def test_add_member_puts_the_cursor_in_the_new_row_and_tab_leaves_the_table(qtbot, session) -> None:  # noqa: ANN001
    form = shown(qtbot, ApplicationForm(session))
    members = form.members
    qtbot.mouseClick(members.add_button, Qt.MouseButton.LeftButton)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and members.table.isAncestorOf(editor)  # typing in the cell
    assert (members.table.currentRow(), members.table.currentColumn()) == (0, 0)
    type_text(qtbot, editor, "钱小梅")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    editor = QApplication.focusWidget()
    assert members.table.currentColumn() == 1 and members.table.isAncestorOf(editor)
    type_text(qtbot, editor, "配偶")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    for _empty in ("身份证号", "年龄", "收入来源"):  # each may stay empty
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is members.add_button  # out of the table, not back to row 1
    assert members.rows() == [("钱小梅", "配偶", "", "", "")]
    qtbot.keyClick(members.add_button, Qt.Key.Key_Space)  # another member, from the keyboard
    assert members.table.currentRow() == 1 and members.table.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert members.table.currentRow() == 0 and members.table.currentColumn() == 4  # Shift+Tab goes back


def test_tab_without_editing_leaves_the_table(qtbot, session) -> None:  # noqa: ANN001
    form = shown(qtbot, ApplicationForm(session))
    form.members.set_rows([("李四", "配偶", ""), ("张小五", "子", "")])
    form.members.table.setFocus()
    qtbot.keyClick(form.members.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.members.add_button


def open_case_windows(page) -> list:  # noqa: ANN001
    from jiujinan.ui.case_dialog import CaseDialog

    return [d for d in page.findChildren(CaseDialog) if d.isVisible()]


def test_double_click_opens_a_case_once_and_again_brings_it_forward(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.ui.case_list_page import CaseListPage

    first, _second = two_cases(session)
    page = shown(qtbot, CaseListPage(session))
    row = next(r for r in range(page.model.rowCount())
               if page.model.index(r, 0).data() == first.case_no)
    rect = page.table.visualRect(page.model.index(row, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    (window,) = open_case_windows(page)  # one window, not two
    assert window.view.case.id == first.id
    other = page.model.index(1 - row, 0)
    page.table.setCurrentIndex(other)
    second = page.open_selected()  # another case: its own window
    assert len(open_case_windows(page)) == 2 and second is not window
    page.table.setCurrentIndex(page.model.index(row, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # the first case again: the same window, in front
    assert len(open_case_windows(page)) == 2
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.close()
    assert open_case_windows(page) == [second]
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # closed windows are opened anew
    assert len(open_case_windows(page)) == 2


def test_todo_opens_the_case_window_the_list_opened(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.services import intake
    from jiujinan.ui.case_list_page import CaseListPage
    from jiujinan.ui.todo_page import TodoPage
    from tests.conftest import application

    case = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    page = shown(qtbot, CaseListPage(session))
    page.table.selectRow(0)
    window = page.open_selected()
    todo = TodoPage(session)
    qtbot.addWidget(todo)
    item = todo.tree.topLevelItem(0).child(0)
    todo.tree.itemActivated.emit(item, 0)
    assert open_case_windows(todo) == [] and open_case_windows(page) == [window]
    assert window.view.case.id == case.id


def two_cases(session):  # noqa: ANN001, ANN201
    from jiujinan.services import intake
    from tests.conftest import application, make_id

    zhang = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    zhao = intake.register_application(session.ctx, session.society_id,
                                       application(applicant_name="赵大勇", id_number=make_id(seq="77")), "王会计")
    return zhang, zhao


def test_enter_in_search_opens_the_match_and_down_goes_into_the_list(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.ui.case_list_page import CaseListPage

    _zhang, zhao = two_cases(session)
    page = shown(qtbot, CaseListPage(session))
    type_text(qtbot, page.search, "赵大勇")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    (window,) = open_case_windows(page)
    assert window.view.case.id == zhao.id
    window.close()
    page.search.clear()
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus() and page.table.currentIndex().row() == 0
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.table.currentIndex().row() == 1
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    (window,) = open_case_windows(page)
    assert window.view.case.id == page.model.data(page.model.index(1, 0), CASE_ID_ROLE)
    window.close()
    type_text(qtbot, page.search, "钱")  # no match: Enter opens nothing
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert open_case_windows(page) == [] and page.model.rowCount() == 0


def test_ctrl_n_opens_a_new_application_from_every_page(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.cases.users import Role
    from jiujinan.services import users
    from jiujinan.ui.main_window import MainWindow
    from tests.conftest import PASSWORD

    window = shown(qtbot, MainWindow(session))
    window.nav.setCurrentRow(2)  # 资金
    assert window.stack.currentWidget().isAncestorOf(window.fund_page)  # the page, in its scroll area
    qtbot.keyClick(window.fund_page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = QApplication.activeModalWidget()
    assert isinstance(form, ApplicationForm) and form.isVisible() and form.case is None
    form.reject()
    from jiujinan.services import intake
    from jiujinan.ui.case_dialog import CaseDialog
    from tests.conftest import application

    case = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    case_window = shown(qtbot, CaseDialog(session, case.id))  # not modal: the clerk works in it
    qtbot.keyClick(case_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = QApplication.activeModalWidget()
    assert isinstance(form, ApplicationForm) and form.case is None  # a new one, from the case window too
    form.reject()
    case_window.close()
    with qtbot.waitActive(window):  # back in the main window
        window.activateWindow()
    users.create_user(session.ctx, "钱委员", frozenset({Role.REVIEWER}), PASSWORD, "王会计")
    session.switch_user("钱委员")
    window.nav.setCurrentRow(0)  # 待办
    qtbot.keyClick(window.todo_page.tree, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.activeModalWidget() is None  # no form: as the greyed-out button, with the reason
    assert window.statusBar().currentMessage() == "需要经办人角色（当前用户：钱委员）"


PEOPLE = itertools.count(40)


def visit_dialog(qtbot, session):  # noqa: ANN001, ANN201
    """The 入户调查 dialog of a new case, opened from its case window."""
    from jiujinan.cases.enums import StepKind
    from jiujinan.services import intake
    from jiujinan.ui.case_dialog import CaseDialog
    from jiujinan.ui.step_dialog import StepDialog
    from tests.conftest import application, make_id

    person = make_id(seq=f"{next(PEOPLE):02d}")  # another person each time: no 一事一救 repeat
    case = intake.register_application(session.ctx, session.society_id, application(id_number=person), "王会计")
    window = shown(qtbot, CaseDialog(session, case.id))
    qtbot.mouseClick(window.action_buttons[StepKind.VISIT], Qt.MouseButton.LeftButton)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, StepDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    return window, dialog


def test_ctrl_enter_saves_a_step_dialog_with_a_typed_date(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.cases.enums import StepKind
    from tests.conftest import TODAY

    window, dialog = visit_dialog(qtbot, session)
    on = dialog.inputs["on"]
    on.selectAll()
    type_text(qtbot, on, "11-20")
    qtbot.keyClick(on, Qt.Key.Key_Tab)
    assert dialog.inputs["investigators"].hasFocus()  # one Tab past the date
    type_text(qtbot, dialog.inputs["investigators"], "李委员，张社长")  # Tab selected the default: typed over
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    type_text(qtbot, dialog.inputs["findings"], "住院属实")
    qtbot.keyClick(dialog.inputs["findings"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == dialog.DialogCode.Accepted and not dialog.isVisible()
    assert window.view.steps[-1].kind is StepKind.VISIT and window.view.steps[-1].on == TODAY


def test_esc_asks_only_when_something_changed(qtbot, session) -> None:  # noqa: ANN001
    _window, dialog = visit_dialog(qtbot, session)
    asked: list[bool] = []
    answer = {"discard": False}
    dialog.ask_discard = lambda: asked.append(True) or answer["discard"]
    type_text(qtbot, dialog.inputs["findings"], "住院")
    qtbot.keyClick(dialog.inputs["findings"], Qt.Key.Key_Escape)
    assert asked == [True] and dialog.isVisible()  # 继续编辑: still open, text kept
    assert dialog.inputs["findings"].toPlainText() == "住院"
    answer["discard"] = True
    dialog.close()  # the window's close button asks the same
    assert asked == [True, True] and not dialog.isVisible()
    assert dialog.result() == dialog.DialogCode.Rejected

    _window, unchanged = visit_dialog(qtbot, session)
    unchanged.ask_discard = lambda: pytest.fail("asked with nothing changed")
    qtbot.keyClick(unchanged.inputs["findings"], Qt.Key.Key_Escape)
    assert not unchanged.isVisible()


def test_application_form_asks_before_throwing_typing_away(qtbot, session) -> None:  # noqa: ANN001
    form = shown(qtbot, ApplicationForm(session))
    form.ask_discard = lambda: pytest.fail("asked with nothing changed")
    qtbot.keyClick(form.name, Qt.Key.Key_Escape)
    assert not form.isVisible()

    form = shown(qtbot, ApplicationForm(session))
    asked: list[bool] = []
    form.ask_discard = lambda: asked.append(True) or False
    type_text(qtbot, form.name, "赵大勇")
    qtbot.keyClick(form.name, Qt.Key.Key_Escape)
    assert asked == [True] and form.isVisible() and form.name.text() == "赵大勇"
    qtbot.mouseClick(form.buttons.button(form.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert asked == [True, True] and form.isVisible()
    form.ask_discard = lambda: True
    qtbot.keyClick(form.name, Qt.Key.Key_Escape)
    assert not form.isVisible()


def test_the_question_offers_discard_and_keep_editing(qtbot, monkeypatch) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QMessageBox

    from jiujinan.ui.dialog_keys import ask_discard

    seen = {}

    def answer(box: QMessageBox) -> int:
        seen["text"] = box.text()
        seen["buttons"] = sorted(b.text() for b in box.buttons())  # the order is the platform's
        seen["default"] = box.defaultButton().text()
        box.escapeButton().click()  # Esc: 继续编辑
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    assert ask_discard(None) is False
    assert seen == {"text": "有未保存的修改，确定放弃吗？", "buttons": sorted(["放弃修改", "继续编辑"]), "default": "继续编辑"}


def test_money_in_with_a_year_less_date_and_ctrl_enter(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.services import fund
    from jiujinan.ui.fund_dialogs import ContributionDialog

    dialog = shown(qtbot, ContributionDialog(session))
    dialog.posted_on.setFocus()
    dialog.posted_on.selectAll()
    qtbot.keyClicks(dialog.posted_on, "11-31")
    qtbot.keyClick(dialog.posted_on, Qt.Key.Key_Tab)
    assert dialog.payer.hasFocus()
    assert dialog.boxes["posted_on"].error.text() == "入账日期不存在：2026年11月只有30天（11-31）"
    type_text(qtbot, dialog.payer, "爱心企业")
    type_text(qtbot, dialog.amount, "500")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and "只有30天" in dialog.boxes["posted_on"].error.text()  # nothing written
    dialog.posted_on.setFocus()
    dialog.posted_on.selectAll()
    qtbot.keyClicks(dialog.posted_on, "11.3")
    qtbot.keyClick(dialog.posted_on, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)  # the keypad's Enter
    assert dialog.result() == dialog.DialogCode.Accepted
    lines = fund.ledger(session.ctx, session.society_id, "王会计", month="2026-11").lines
    assert [(line.posted_on, line.amount_fen) for line in lines] == [(dt.date(2026, 11, 3), 50000)]


def test_month_fields_take_a_typed_month_and_say_what_is_wrong(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.ui.exchange_page import ExchangePage
    from jiujinan.ui.print_page import PrintPage

    page = PrintPage(session)
    qtbot.addWidget(page)
    page.paper.setCurrentIndex(page.paper.findData("ledger"))
    page.month.selectAll()
    type_text(qtbot, page.month, "13")
    page.preview_button.click()
    assert page.status.text() == "月份不存在：没有13月（13）" and page.preview.page_count() == 0
    page.month.selectAll()
    type_text(qtbot, page.month, "10")
    page.preview_button.click()
    assert page.preview.page_count() >= 1 and page.month.date().isoformat() == "2026-10-01"

    exchange = ExchangePage(session)
    qtbot.addWidget(exchange)
    exchange.scope.setCurrentIndex(exchange.scope.findData("range"))
    exchange.date_from.selectAll()
    type_text(qtbot, exchange.date_from, "3.1")
    exchange.date_to.selectAll()
    type_text(qtbot, exchange.date_to, "20260331")
    assert exchange.period() == (dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    exchange.date_to.selectAll()
    type_text(qtbot, exchange.date_to, "2026-3-32")
    exchange.choose_folder = lambda title: pytest.fail("asked for a folder with a wrong date")
    exchange.export()
    assert "截止日期不存在：2026年3月只有31天" in exchange.export_status.text()


def test_closing_the_main_window_asks_for_a_changed_form_in_a_case_window(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.ui.main_window import MainWindow

    two_cases(session)
    window = shown(qtbot, MainWindow(session))
    window.case_page.table.selectRow(0)
    form = window.case_page.open_selected().open_application()
    type_text(qtbot, form.phone, "13905630000")
    asked: list[bool] = []
    form.ask_discard = lambda: asked.append(True) or False  # 继续编辑
    window.close()
    assert asked == [True] and window.isVisible() and form.isVisible()
    form.ask_discard = lambda: True
    window.close()
    assert not window.isVisible()


def test_another_person_signing_in_does_not_inherit_open_case_windows(qtbot, session) -> None:  # noqa: ANN001
    """Case windows are not modal: at 切换用户 they close (asking for typed changes first), so a
    clerk of another village never sees the cases left on screen."""
    from jiujinan.cases.errors import DomainError
    from jiujinan.cases.users import Role
    from jiujinan.services import intake, societies, users
    from jiujinan.ui.case_list_page import CaseListPage
    from tests.conftest import PASSWORD, application, society_settings

    societies.create_society(session.ctx, society_settings(code="341802101201", name="西岭村救急难互助社"), "王会计")
    users.create_user(session.ctx, "外村会计", frozenset({Role.CLERK}), PASSWORD, "王会计", area="341802101201")
    intake.register_application(session.ctx, session.society_id, application(), "王会计")
    page = CaseListPage(session)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    window = page.open_selected()
    form = window.open_application()
    type_text(qtbot, form.phone, "1")  # typed, not saved
    form.ask_discard = lambda: False  # 继续编辑
    with pytest.raises(DomainError, match="未保存"):
        session.switch_user("外村会计")
    assert session.user == "王会计" and window.isVisible() and form.isVisible()
    form.ask_discard = lambda: True  # 放弃修改
    session.switch_user("外村会计")
    assert session.user == "外村会计" and not window.isVisible() and not form.isVisible()


def test_a_step_text_with_a_control_character_is_said_beside_its_field(qtbot, session) -> None:  # noqa: ANN001
    """The step's text rule (cases/review.clean_action) speaks in the dialog, next to the field,
    and nothing is recorded."""
    from jiujinan.cases.enums import StepKind

    window, dialog = visit_dialog(qtbot, session)
    dialog.inputs["findings"].setPlainText("住院属实\u202e实属院住")
    qtbot.keyClick(dialog.inputs["findings"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and "调查情况含有不可见的控制字符" in dialog.boxes["findings"].error.text()
    assert window.view.steps[-1].kind is not StepKind.VISIT
    dialog.reject()


def test_tab_into_the_prefilled_investigators_adds_a_name(qtbot, session) -> None:  # noqa: ANN001
    """调查人 starts as 「王会计，」: Tab into it and the next name follows, not replaces it."""
    _window, dialog = visit_dialog(qtbot, session)
    investigators = dialog.inputs["investigators"]
    dialog.inputs["on"].setFocus()
    qtbot.keyClick(dialog.inputs["on"], Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: investigators.hasFocus() and not investigators.hasSelectedText())
    type_text(qtbot, investigators, "李委员")
    assert investigators.text() == "王会计，李委员"
    dialog.mark_unchanged()
    dialog.reject()
