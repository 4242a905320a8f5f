"""A clerk walks one case from application to district approval by clicking and typing."""

import datetime as dt

from PySide6.QtCore import Qt

from jiujinan.cases.enums import CaseStatus, StepKind
from jiujinan.services.check import run_checks
from jiujinan.ui.case_dialog import CaseDialog
from jiujinan.ui.case_list_page import CaseListPage
from jiujinan.ui.fund_dialogs import PaymentDialog
from jiujinan.ui.step_dialog import StepDialog
from tests.ui.test_application_form import fill_valid_form
from tests.ui.typing import type_text


def set_today(session, day: dt.date) -> None:  # noqa: ANN001
    session.ctx.clock.moment = dt.datetime(day.year, day.month, day.day, 2, tzinfo=dt.timezone.utc)


def step(qtbot, case_dialog, kind: StepKind, **typed: str) -> StepDialog:  # noqa: ANN001
    """Click the step's button, type into its fields, press OK."""
    qtbot.mouseClick(case_dialog.action_buttons[kind], Qt.MouseButton.LeftButton)
    dialog = [d for d in case_dialog.findChildren(StepDialog) if d.isVisible()][-1]
    for name, text in typed.items():
        widget = dialog.inputs[name]
        if hasattr(widget, "clear") and name in ("amount",):
            widget.clear()
        type_text(qtbot, widget, text)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    return dialog


def test_application_to_district_approval(qtbot, session) -> None:  # noqa: ANN001
    set_today(session, dt.date(2026, 11, 2))
    page = CaseListPage(session)
    qtbot.addWidget(page)
    page.show()
    form = page.new_application()
    fill_valid_form(qtbot, form)
    form.requested.clear()
    type_text(qtbot, form.requested, "6000")  # above the town's 5,000 limit: the district decides
    qtbot.keyClick(form.requested, Qt.Key.Key_Return)
    assert form.result() == form.DialogCode.Accepted

    page.table.selectRow(0)
    case = page.open_selected()
    assert case.bar.marks()["入户调查"] == "current"
    assert list(case.action_buttons) == [StepKind.VISIT, StepKind.RETURN, StepKind.REJECT, StepKind.EMERGENCY,
                                         StepKind.WITHDRAW]

    set_today(session, dt.date(2026, 11, 3))
    step(qtbot, case, StepKind.VISIT, investigators="李委员", findings="住院属实，家中无劳动力")
    assert case.view.case.status is CaseStatus.INVESTIGATED
    set_today(session, dt.date(2026, 11, 5))
    step(qtbot, case, StepKind.DELIBERATION, attendees="张社长，李委员，赵理事")
    set_today(session, dt.date(2026, 11, 9))
    step(qtbot, case, StepKind.NOTICE)
    assert case.view.state.notice_end == dt.date(2026, 11, 13)

    set_today(session, dt.date(2026, 11, 12))  # too early: the notice runs to the 13th
    refused = step(qtbot, case, StepKind.DECISION, signer="张社长")
    assert refused.isVisible() and "公示期至 2026-11-13 结束" in refused.banner.text()
    refused.reject()
    assert case.view.case.status is CaseStatus.NOTICE

    set_today(session, dt.date(2026, 11, 16))
    separated = step(qtbot, case, StepKind.DECISION, signer="张社长")  # 王会计 entered it: not his to approve
    assert separated.isVisible() and "职责分离" in separated.banner.text()
    separated.reject()
    session.switch_user("李主任")
    village = step(qtbot, case, StepKind.DECISION, signer="张社长")
    assert "报乡镇（街道）级" in village.hint.text()
    assert case.view.case.status is CaseStatus.VILLAGE_APPROVED
    assert case.bar.marks()["乡镇审核"] == "current"
    set_today(session, dt.date(2026, 11, 18))
    step(qtbot, case, StepKind.RETURN, signer="钱镇长", missing="住院发票原件\n诊断证明")
    assert case.view.case.status is CaseStatus.RETURNED and case.bar.marks()["乡镇审核"] == "returned"
    set_today(session, dt.date(2026, 11, 19))
    step(qtbot, case, StepKind.RESUME, note="已补交")
    step(qtbot, case, StepKind.DECISION, signer="钱镇长")
    assert case.view.case.status is CaseStatus.TOWN_APPROVED
    set_today(session, dt.date(2026, 11, 20))
    step(qtbot, case, StepKind.DECISION, signer="区民政局", amount="5800")
    view = case.view
    assert view.case.status is CaseStatus.AWAITING_PAYMENT and view.state.approved_fen == 580000
    assert case.bar.marks()["待发放"] == "current"
    kinds = [case.timeline.item(r, 1).text() for r in range(case.timeline.rowCount())]
    assert kinds == ["受理", "入户调查", "民主评议", "公示", "审核意见", "退回补充材料", "材料补齐",
                     "审核意见", "审核意见"]
    assert case.timeline.item(8, 3).text() == "区民政局" and case.timeline.item(8, 6).text().startswith("李主任")
    assert page.model.data(page.model.index(0, 5)) == "待发放"  # the list follows

    # Pay it in two instalments, then close the case.
    qtbot.mouseClick(case.action_buttons[StepKind.PAYMENT], Qt.MouseButton.LeftButton)
    payment = [d for d in case.findChildren(PaymentDialog) if d.isVisible()][-1]
    assert payment.amount.text() == "5800.00"
    payment.amount.clear()
    type_text(qtbot, payment.amount, "3000")
    type_text(qtbot, payment.voucher, "付-2026-031")
    qtbot.mouseClick(payment.ok_button, Qt.MouseButton.LeftButton)
    assert case.view.state.paid_fen == 300000 and case.view.case.status is CaseStatus.AWAITING_PAYMENT
    qtbot.mouseClick(case.action_buttons[StepKind.PAYMENT], Qt.MouseButton.LeftButton)
    payment = [d for d in case.findChildren(PaymentDialog) if d.isVisible()][-1]
    assert payment.amount.text() == "2800.00"
    qtbot.mouseClick(payment.ok_button, Qt.MouseButton.LeftButton)
    assert case.view.case.status is CaseStatus.PAID and case.bar.marks()["结案"] == "current"
    step(qtbot, case, StepKind.CLOSE)
    assert case.view.case.status is CaseStatus.CLOSED
    assert set(case.bar.marks().values()) <= {"done", "skipped"}
    assert not case.action_buttons[StepKind.ACCEPT].isEnabled()  # nothing more to do here
    # Every row the screens wrote equals its last audited state (issue 15: rows bound to the trail).
    report = run_checks(session.ctx)
    assert report.ok and dict(report.results)["每条记录与其最后的审计记录一致"] == ()


def test_emergency_case_shows_its_countdown(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.services import intake
    from tests.conftest import application

    set_today(session, dt.date(2026, 11, 2))
    registered = intake.register_application(session.ctx, session.society_id,  # entered by another clerk
                                             application(applied_on=dt.date(2026, 11, 2)), "李主任")
    page = CaseListPage(session)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    case = page.open_selected()
    assert case.view.case.id == registered.id
    step(qtbot, case, StepKind.EMERGENCY, signer="张社长", reason="火灾后无处居住", amount="1000")
    assert "剩 10 个工作日" in case.countdown.text()
    set_today(session, dt.date(2026, 11, 19))
    case.reload()
    assert "已超期 3 个工作日" in case.countdown.text()  # deadline Monday 16th; Tuesday to Thursday late


def test_a_step_another_clerk_recorded_first_is_shown_not_doubled(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.cases.review import Visit
    from jiujinan.services import intake, review
    from tests.conftest import application

    case = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    dialog = StepDialog(session, review.case_view(session.ctx, case.id, "王会计"), StepKind.VISIT)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.inputs["investigators"], "王会计、李主任")
    type_text(qtbot, dialog.inputs["findings"], "情况属实")
    view = review.case_view(session.ctx, case.id, "王会计")  # 李主任 records the same visit at another PC
    review.perform(session.ctx, case.id, Visit(view.case.application.applied_on, ("李主任", "甲"), "属实"), "李主任",
                   version=view.version)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0 and "李主任" in dialog.banner.text() and "入户调查" in dialog.banner.text()
    assert "案件现为“已入户调查”" in dialog.banner.text()
    assert dialog.view.version == review.case_view(session.ctx, case.id, "王会计").version  # now against the newer case
    assert [s.kind for s in review.case_view(session.ctx, case.id, "王会计").steps].count(StepKind.VISIT) == 1


def test_a_payment_after_another_clerk_s_change_is_told_not_made(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.services import fund
    from tests.db.test_fund import approved_case, pay

    view = approved_case(session.ctx, session.society_id)
    dialog = PaymentDialog(session, view)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.voucher, "付-009")
    pay(session.ctx, view, 100_000)  # meanwhile another clerk pays part of it at another PC
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0 and "刚记录了“发放”" in dialog.banner.text() and "本次未保存" in dialog.banner.text()
    assert fund.position(session.ctx, session.society_id, "王会计").paid_out_fen == 100_000  # not paid twice
    assert dialog.view.state.paid_fen == 100_000  # the dialog now holds the newer case


def test_a_clerk_withdraws_an_approved_case(qtbot, session) -> None:  # noqa: ANN001
    """撤回 from the case screen: a reason chosen from the usual ones, the reservation freed,
    已撤回 in the list and the step bar, and nothing more to do."""
    from jiujinan.services import fund
    from tests.db.test_fund import approved_case

    set_today(session, dt.date(2026, 11, 18))
    view = approved_case(session.ctx, session.society_id)
    assert fund.position(session.ctx, session.society_id, "王会计").reserved_fen == 180_000
    page = CaseListPage(session)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    case = page.open_selected()
    assert case.view.case.id == view.case.id
    button = case.action_buttons[StepKind.WITHDRAW]
    assert button.text() == "撤回案件…" and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = [d for d in case.findChildren(StepDialog) if d.isVisible()][-1]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no reason yet: refused, said in the dialog
    assert dialog.isVisible() and "撤回的理由" in dialog.banner.text()
    reasons = dialog.inputs["reason"]
    assert [reasons.itemText(i) for i in range(reasons.count())] == ["申请人撤回", "重复登记", "录入错误"]
    reasons.setFocus()
    qtbot.keyClick(reasons, Qt.Key.Key_Down)  # the first of the usual reasons
    assert reasons.currentText() == "申请人撤回"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert case.view.case.status is CaseStatus.WITHDRAWN and "状态：<b>已撤回</b>" in case.header.text()
    marks = case.bar.marks()
    assert marks["待发放"] == "withdrawn" and marks["结案"] == "skipped" and marks["村审核"] == "done"
    assert "已撤回" in next(label.text() for label in case.bar.labels if label.property("step") == "待发放")
    assert list(case.action_buttons) == [StepKind.ACCEPT] and not case.action_buttons[StepKind.ACCEPT].isEnabled()
    assert not case.print_button.isEnabled()
    assert case.timeline.item(case.timeline.rowCount() - 1, 1).text() == "撤回"
    assert page.model.data(page.model.index(0, 5)) == "已撤回"
    assert fund.position(session.ctx, session.society_id, "王会计").reserved_fen == 0


def test_withdraw_is_offered_to_a_clerk_and_not_after_a_payment(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.cases.users import Role
    from jiujinan.services import intake, review, users
    from tests.conftest import PASSWORD, application
    from tests.db.test_fund import approved_case, pay

    users.create_user(session.ctx, "孙经办", frozenset({Role.CLERK}), PASSWORD, "王会计")
    case = intake.register_application(session.ctx, session.society_id, application(), "孙经办")
    session.switch_user("孙经办")
    screen = CaseDialog(session, case.id)
    qtbot.addWidget(screen)
    assert screen.action_buttons[StepKind.WITHDRAW].isEnabled()  # the clerk who registered it may withdraw it
    assert not screen.action_buttons[StepKind.VISIT].isEnabled()  # the review is the 审核人's
    set_today(session, dt.date(2026, 11, 20))
    paid = approved_case(session.ctx, session.society_id, seq="31")
    pay(session.ctx, paid, 50_000)
    assert StepKind.WITHDRAW not in review.case_view(session.ctx, paid.case.id, "王会计").allowed


def test_a_case_rejected_at_acceptance_shows_the_steps_it_never_took(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.services import intake
    from tests.conftest import application

    set_today(session, dt.date(2026, 11, 2))
    registered = intake.register_application(session.ctx, session.society_id,
                                             application(applied_on=dt.date(2026, 11, 2)), "王会计")
    session.switch_user("李主任")
    screen = CaseDialog(session, registered.id)
    qtbot.addWidget(screen)
    step(qtbot, screen, StepKind.REJECT, signer="张社长", reasons="非本村户籍，也不与本村户籍人员共同生活")
    assert screen.view.case.status is CaseStatus.REJECTED
    marks = screen.bar.marks()
    assert marks["受理"] == "done" and marks["村审核"] == "stopped"
    assert {marks[s] for s in ("入户调查", "民主评议", "公示", "乡镇审核", "待发放")} == {"skipped"}
    skipped = next(label for label in screen.bar.labels if label.property("step") == "入户调查")
    assert skipped.text().startswith("—") and "未经此步" in skipped.toolTip()


def test_the_board_of_the_later_case_is_offered_the_clerk_s_reason(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.cases.review import Visit
    from jiujinan.services import intake, review
    from tests.conftest import application

    first = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    later = intake.register_application(session.ctx, session.society_id, application(repeat_reason="病情复发"), "王会计")
    for case in (first, later):
        view = review.case_view(session.ctx, case.id, "王会计")
        review.perform(session.ctx, case.id, Visit(view.case.application.applied_on, ("甲", "乙"), "属实"), "李主任",
                       version=view.version)
    earlier_board = StepDialog(session, review.case_view(session.ctx, first.id, "王会计"), StepKind.DELIBERATION)
    qtbot.addWidget(earlier_board)
    assert "repeat_reason" not in earlier_board.inputs  # the earlier case is asked nothing
    board = StepDialog(session, review.case_view(session.ctx, later.id, "王会计"), StepKind.DELIBERATION)
    qtbot.addWidget(board)
    assert board.value("repeat_reason") == "病情复发"


def test_the_visit_is_not_signed_in_advance_and_signers_are_offered(qtbot, session) -> None:  # noqa: ANN001
    import pytest

    from jiujinan.cases.review import Emergency
    from jiujinan.cases.users import PermissionDenied
    from jiujinan.services import intake, review
    from tests.conftest import application, make_id

    ctx = session.ctx
    first = intake.register_application(ctx, session.society_id, application(id_number=make_id(seq="61")), "王会计")
    review.perform(ctx, first.id, Emergency(dt.date(2026, 11, 20), "张社长", "火灾", 50000), "李主任",
                   version=review.case_view(ctx, first.id, "王会计").version)
    second = intake.register_application(ctx, session.society_id, application(id_number=make_id(seq="62")), "王会计")
    view = review.case_view(ctx, second.id, "王会计")

    visit = StepDialog(session, view, StepKind.VISIT)
    qtbot.addWidget(visit)
    assert not visit.inputs["household_signed"].isChecked()  # ticked by whoever saw the signature

    dialog = StepDialog(session, view, StepKind.EMERGENCY)
    qtbot.addWidget(dialog)
    dialog.show()
    signer = dialog.inputs["signer"]
    type_text(qtbot, signer, "社")
    completer = signer.completer()
    offered = [completer.completionModel().index(r, 0).data() for r in range(completer.completionModel().rowCount())]
    assert offered == ["张社长"]
    with pytest.raises(PermissionDenied):  # the door checks who asks
        review.signers_used(ctx, session.society_id, "路人甲")
    # A wrong amount is said beside it and goes as soon as it is right.
    type_text(qtbot, dialog.inputs["amount"], "300.555")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "两位小数" in dialog.boxes["amount"].error.text() and dialog.boxes["amount"].has_error()
    qtbot.keyClick(dialog.inputs["amount"], Qt.Key.Key_Backspace)
    assert not dialog.boxes["amount"].has_error()


def test_signers_are_offered_one_name_at_a_time(qtbot, session) -> None:  # noqa: ANN001
    """A visit's or deliberation's signer is its list of people (李委员、王会计); the signer
    field offers each person alone, the most recently signed first, at most 30."""
    from jiujinan.cases.review import Deliberation, Emergency, Visit
    from jiujinan.services import intake, review
    from jiujinan.services.review import SIGNERS_OFFERED
    from tests.conftest import application, make_id

    ctx = session.ctx

    def perform(case_id: int, action, user: str = "王会计") -> None:  # noqa: ANN001
        review.perform(ctx, case_id, action, user, version=review.case_view(ctx, case_id, user).version)

    first = intake.register_application(ctx, session.society_id, application(id_number=make_id(seq="71")), "王会计")
    on = first.application.applied_on
    perform(first.id, Visit(on, ("李委员", " 王会计 "), "属实"))
    perform(first.id, Deliberation(on, ("李委员", "赵理事", "钱理事"), "同意", 100_000))
    second = intake.register_application(ctx, session.society_id, application(id_number=make_id(seq="72")), "王会计")
    perform(second.id, Emergency(on, "张社长", "火灾", 50_000), "李主任")  # not who entered it
    assert review.signers_used(ctx, session.society_id, "王会计") == ["张社长", "李委员", "赵理事", "钱理事", "王会计"]

    dialog = StepDialog(session, review.case_view(ctx, first.id, "王会计"), StepKind.DECISION)
    qtbot.addWidget(dialog)
    dialog.show()
    signer = dialog.inputs["signer"]
    type_text(qtbot, signer, "理事")
    model = signer.completer().completionModel()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["赵理事", "钱理事"]

    for n, seq in enumerate(("73", "74")):  # forty more people: only the thirty most recent are offered
        case = intake.register_application(ctx, session.society_id, application(id_number=make_id(seq=seq)), "王会计")
        people = tuple(f"委员{chr(0x4E00 + 20 * n + i)}" for i in range(20))
        perform(case.id, Visit(on, people, "属实"))
    offered = review.signers_used(ctx, session.society_id, "王会计")
    assert len(offered) == SIGNERS_OFFERED == len(set(offered))
    assert offered[:20] == [f"委员{chr(0x4E00 + 20 + i)}" for i in range(20)]
    assert all("、" not in name for name in offered)
