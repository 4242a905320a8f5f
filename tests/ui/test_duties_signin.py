"""Where a clerk meets separation of duties, the emergency limit and the sign-in delay: the
refusal is said in words in the dialog, the limit is a setting on the form, and the login
button counts the wait down."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from jiujinan.cases.enums import StepKind
from jiujinan.cases.review import Emergency
from jiujinan.cases.users import FREE_FAILURES
from jiujinan.services import intake, review, societies
from jiujinan.ui.fund_dialogs import PaymentDialog
from jiujinan.ui.login_dialog import LoginDialog
from jiujinan.ui.main_window import MainWindow
from jiujinan.ui.step_dialog import StepDialog
from tests.conftest import PASSWORD, application
from tests.ui.typing import type_text


def _case(session, entered_by: str) -> int:  # noqa: ANN001
    return intake.register_application(session.ctx, session.society_id, application(requested_yuan="3000"),
                                       entered_by).id


def test_the_step_dialog_says_the_limit_and_refuses_the_entrants_own_advance(qtbot, session) -> None:  # noqa: ANN001
    case_id = _case(session, "王会计")  # the signed-in clerk entered it
    dialog = StepDialog(session, review.case_view(session.ctx, case_id, "王会计"), StepKind.EMERGENCY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "本社先行救助最高金额 ¥2,000.00" in dialog.hint.text()
    type_text(qtbot, dialog.inputs["signer"], "张社长")
    type_text(qtbot, dialog.inputs["reason"], "火灾后无处居住")
    type_text(qtbot, dialog.inputs["amount"], "2500")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "先行救助金额 ¥2,500.00 超过本社先行救助最高金额 ¥2,000.00" in dialog.banner.text()
    dialog.inputs["amount"].clear()
    type_text(qtbot, dialog.inputs["amount"], "1000")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "王会计 录入了本案，不能再批准本案的先行救助（职责分离）" in dialog.banner.text()
    assert "程序出错" not in dialog.banner.text() and dialog.result() == 0
    assert not review.case_view(session.ctx, case_id, "王会计").state.emergency


def test_the_payment_dialog_refuses_the_approvers_own_advance(qtbot, session) -> None:  # noqa: ANN001
    case_id = _case(session, "李主任")
    view = review.perform(session.ctx, case_id, Emergency(application().applied_on, "张社长", "火灾", 100_000),
                          "王会计", version=review.case_view(session.ctx, case_id, "王会计").version)
    dialog = PaymentDialog(session, view)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "王会计 批准了本案的先行救助，不能再发放这笔先行救助款（职责分离）" in dialog.banner.text()
    assert dialog.result() == 0 and review.case_view(session.ctx, case_id, "王会计").state.paid_fen == 0


def test_the_emergency_limit_is_shown_and_checked_on_the_settings_form(qtbot, session) -> None:  # noqa: ANN001
    window = MainWindow(session)
    qtbot.addWidget(window)
    form = window.settings_page.form
    assert form.emergency_limit.text() == "2000.00"  # an existing society: its village limit
    form.emergency_limit.clear()
    type_text(qtbot, form.emergency_limit, "6000")
    qtbot.mouseClick(window.settings_page.save_button, Qt.MouseButton.LeftButton)
    assert "先行救助最高金额不能高于乡镇审批限额" in form.boxes["emergency_limit_fen"].error.text()
    assert societies.get_society(session.ctx, session.society_id).settings.emergency_limit_fen == 200_000
    form.emergency_limit.clear()
    type_text(qtbot, form.emergency_limit, "1500")
    qtbot.mouseClick(window.settings_page.save_button, Qt.MouseButton.LeftButton)
    assert not form.boxes["emergency_limit_fen"].has_error()
    assert societies.get_society(session.ctx, session.society_id).settings.emergency_limit_fen == 150_000


def test_the_login_dialog_counts_the_wait_down_and_lets_the_right_password_in(qtbot, session) -> None:  # noqa: ANN001
    dialog = LoginDialog(session.ops, lambda: session.ctx, remembered="王会计")
    qtbot.addWidget(dialog)
    for _ in range(FREE_FAILURES - 1):
        type_text(qtbot, dialog.password, "wrong-password")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.banner.text() == "用户名或密码不对" and dialog.ok_button.isEnabled()
    type_text(qtbot, dialog.password, "wrong-password")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.banner.text() == "用户名或密码不对，请 1 秒后再试"
    assert not dialog.ok_button.isEnabled() and dialog.ok_button.text() == "请 1 秒后再试"
    session.ctx.clock.moment += dt.timedelta(seconds=1)  # the app's clock agrees
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=3000)  # the button's own countdown
    assert dialog.ok_button.text() == "登录"
    type_text(qtbot, dialog.password, PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 1 and dialog.user == "王会计"
