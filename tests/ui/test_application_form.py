"""A clerk types an application, sees it checked as they go, saves with Enter, finds it listed."""

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget
from sqlalchemy import select

from jiujinan.cases.errors import DomainError
from jiujinan.db.models import AidCase, AuditEntry
from jiujinan.services import intake
from jiujinan.ui.application_form import ApplicationForm
from jiujinan.ui.case_dialog import CaseDialog
from jiujinan.ui.case_list_page import CaseListPage
from jiujinan.ui.repeat_dialog import RepeatDialog
from tests.conftest import application, make_id
from tests.ui.typing import type_text


def type_into(qtbot, widget, text: str) -> None:  # noqa: ANN001
    type_text(qtbot, widget, text)


def choose(qtbot, combo, label: str) -> None:  # noqa: ANN001
    """Pick an item with the keyboard, as a clerk tabbing through the form would."""
    combo.setFocus()
    target = combo.findText(label)
    assert target >= 0, label
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)


def shown_errors(form: ApplicationForm) -> dict[str, str]:
    return {name: box.error.text() for name, box in form.boxes.items() if box.error.text()}


def fill_valid_form(qtbot, form: ApplicationForm) -> None:  # noqa: ANN001
    type_into(qtbot, form.name, "赵大勇")
    type_into(qtbot, form.id_number, make_id(birth="19700501", seq="88", sex_digit="5"))
    type_into(qtbot, form.phone, "13905631111")
    type_into(qtbot, form.address, "水阳镇青山村5组8号")
    choose(qtbot, form.household_type, "低保")
    form.members.add_button.click()
    table = form.members.table
    for col, text in ((0, "钱小梅"), (1, "配偶")):
        table.setCurrentCell(0, col)
        qtbot.keyClick(table, Qt.Key.Key_F2)  # F2 edits the cell, as in Excel
        editor = table.indexWidget(table.currentIndex())
        assert isinstance(editor, QLineEdit)
        type_text(qtbot, editor, text)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda c=col, t=text: form.members.rows()[0][c] == t)  # commits are queued
    choose(qtbot, form.cause, "因病")
    type_into(qtbot, form.hardship, "突发心梗住院，自付费用三万余元。")
    type_into(qtbot, form.requested, "3000")
    type_into(qtbot, form.bank_name, "中国农业银行")
    type_into(qtbot, form.account_no, "6228480011112222333")
    type_into(qtbot, form.account_holder, "赵大勇")


def test_id_number_fills_birth_date_and_sex(qtbot, session) -> None:  # noqa: ANN001
    form = ApplicationForm(session)
    qtbot.addWidget(form)
    type_into(qtbot, form.id_number, make_id(birth="19820917", seq="21", sex_digit="4"))
    assert form.birth.text() == "1982-09-17"
    assert form.sex.currentText() == "女"


def test_errors_appear_beside_the_field_as_you_type(qtbot, session) -> None:  # noqa: ANN001
    form = ApplicationForm(session)
    qtbot.addWidget(form)
    type_into(qtbot, form.requested, "100.005")
    assert "两位小数" in form.error_for("requested_yuan")
    assert form.error_for("applicant_name") == ""  # untouched fields are not nagged
    qtbot.keyClick(form.requested, Qt.Key.Key_Backspace)
    assert form.error_for("requested_yuan") == ""
    type_into(qtbot, form.id_number, "34180219650314123")
    assert "18位" in form.error_for("id_number")
    right = make_id()[-1]
    type_into(qtbot, form.id_number, "1" if right != "1" else "2")
    assert f"应为{right}" in form.error_for("id_number")
    qtbot.keyClick(form.id_number, Qt.Key.Key_Backspace)
    type_into(qtbot, form.id_number, right)
    assert form.error_for("id_number") == ""
    assert form.birth.text() == "1965-03-14"


def test_clerk_enters_an_application_and_sees_it_in_the_list(qtbot, session) -> None:  # noqa: ANN001
    page = CaseListPage(session)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 0
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = page.findChild(ApplicationForm)
    assert form is not None and form.isVisible()
    fill_valid_form(qtbot, form)
    type_into(qtbot, form.account_holder, "")
    qtbot.keyClick(form.account_holder, Qt.Key.Key_Return)  # Enter saves
    assert form.result() == ApplicationForm.DialogCode.Accepted, shown_errors(form)
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 1)) == "赵大勇"
    assert page.model.data(page.model.index(0, 0)) == "341802100201-2026-00001"
    assert page.model.data(page.model.index(0, 2)) == "341802********" + make_id("19700501", "88", "5")[-4:]
    case = intake.load_by_no(session.ctx, "341802100201-2026-00001", "王会计")
    assert case.application.household_type.label == "低保"
    assert case.application.members[0].name == "钱小梅"
    assert case.created_by == "王会计"


def test_bad_input_shows_messages_and_writes_nothing(qtbot, session) -> None:  # noqa: ANN001
    form = ApplicationForm(session)
    qtbot.addWidget(form)
    form.show()
    fill_valid_form(qtbot, form)
    form.requested.clear()
    type_into(qtbot, form.requested, "-20")
    form.phone.clear()
    type_into(qtbot, form.phone, "55512")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.result() != ApplicationForm.DialogCode.Accepted
    assert "负数" in form.error_for("requested_yuan")
    assert "格式" in form.error_for("phone")
    assert form.banner.isVisible()
    with session.ctx.read() as s:
        assert s.scalars(select(AidCase.id)).all() == []


def test_history_warns_about_the_same_cause_this_year(qtbot, session) -> None:  # noqa: ANN001
    earlier = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    form = ApplicationForm(session)
    qtbot.addWidget(form)
    form.show()
    type_into(qtbot, form.id_number, make_id())
    assert "申请 1 次" in form.history.summary.text()
    assert not form.history.warning.isVisible()
    choose(qtbot, form.cause, "因病")
    assert form.history.warning.isVisible()
    assert earlier.case_no in form.history.warning.text() and "一事一救" in form.history.warning.text()
    choose(qtbot, form.cause, "因灾")
    assert not form.history.warning.isVisible()


def test_edit_and_attach_a_file(qtbot, session, tmp_path) -> None:  # noqa: ANN001
    case = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    page = CaseListPage(session)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    form = page.open_selected().open_application()
    assert form is not None and form.requested.text() == "2000.00"
    photo = tmp_path / "公示照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff jpeg")
    form.choose_files = lambda: [str(photo)]
    form.add_files_button.click()
    form.requested.selectAll()
    qtbot.keyClicks(form.requested, "2500")
    qtbot.keyClick(form.requested, Qt.Key.Key_Return)
    assert form.result() == ApplicationForm.DialogCode.Accepted, shown_errors(form)
    saved = intake.load(session.ctx, case.id, "王会计")
    assert saved.application.requested_fen == 250000
    assert [a.original_name for a in saved.attachments] == ["公示照片.jpg"]
    assert Path(intake.attachment_path(session.ctx, saved.id, saved.attachments[0], session.user)).read_bytes() == photo.read_bytes()
    assert page.model.data(page.model.index(0, 4)) == "2,500.00"
    # Opening it again lists the file; activating it opens the stored copy.
    again = page.open_selected().open_application()
    assert "王会计 修改：附件、申请金额" in again.changes.text() and "王会计 登记" in again.changes.text()
    opened = []
    again.open_file = opened.append
    again.attachments.setCurrentRow(0)
    again.open_file_button.click()
    assert opened and opened[0].read_bytes() == photo.read_bytes() and opened[0].suffix == ".jpg"
    # A program brought as an attachment is kept, never opened: saved or just chosen.
    program = tmp_path / "住院诊断证明.exe"
    program.write_bytes(b"MZ\x90\x00")
    again.choose_files = lambda: [str(program)]
    again.add_files_button.click()
    again.attachments.setCurrentRow(1)
    again.open_file_button.click()
    assert len(opened) == 1 and "不直接打开“.exe”类型的附件" in again.banner.text()
    qtbot.keyClick(again.requested, Qt.Key.Key_Return)
    saved = intake.load(session.ctx, case.id, "王会计")
    assert [a.original_name for a in saved.attachments] == ["公示照片.jpg", "住院诊断证明.exe"]
    with pytest.raises(DomainError, match="不直接打开"):
        intake.attachment_path(session.ctx, saved.id, saved.attachments[1], session.user)


def test_tab_walks_the_form_in_paper_order(qtbot, session) -> None:  # noqa: ANN001
    form = ApplicationForm(session)
    qtbot.addWidget(form)
    with qtbot.waitActive(form):
        form.show()
    expected = [form.name, form.id_number, form.sex, form.phone, form.address, form.household_size,
                form.cause, form.hardship, form.requested, form.applied_on, form.payment_method,
                form.bank_name, form.account_no, form.agent_name, form.save_button]
    form.name.setFocus()
    reached = [form.name]
    for _ in range(80):
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Tab)
        focused = form.focusWidget()
        for widget in expected:
            if (widget is focused or widget.isAncestorOf(focused)) and widget is not reached[-1]:
                reached.append(widget)
        if focused is form.save_button:
            break
    assert reached == expected


# Every stop of Tab, by field name (buttons by their text), as the paper reads.
PAPER_ORDER = [
    "applicant_name", "id_number", "sex", "phone", "address", "residence", "hukou_address",
    "household_size", "household_type", "members", "添加成员", "删除所选成员",
    "cause", "hardship", "requested_yuan", "other_aid", "applied_on", "repeat_reason",
    "payment_method", "bank_name", "account_no", "account_holder",
    "agent_name", "agent_id_number", "agent_relation", "agent_has_poa",
    "attachments", "添加附件…", "打开所选附件", "保存（Enter）",
]


def tab_stop(form: ApplicationForm, widget: QWidget) -> str:
    """What a clerk would call the focused widget: its field, or a button's text."""
    if widget is form.attachments:
        return "attachments"
    if isinstance(widget, QAbstractButton) and not widget.property("field"):
        return widget.text()
    while widget is not None and not widget.property("field"):
        widget = widget.parentWidget()
        if widget is form.attachments:
            return "attachments"
    return str(widget.property("field")) if widget is not None else "?"


def tab_walk(qtbot, form: ApplicationForm) -> list[str]:  # noqa: ANN001
    """Press Tab from the first field to 保存 and name each stop once."""
    with qtbot.waitActive(form):
        form.show()
    form.name.setFocus()
    stops = [tab_stop(form, form.focusWidget())]
    for _ in range(80):
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Tab)
        stop = tab_stop(form, form.focusWidget())
        if stop != stops[-1]:
            stops.append(stop)
        if form.focusWidget() is form.save_button:
            break
    return stops


def test_tab_stops_at_every_field_in_paper_order(qtbot, session) -> None:  # noqa: ANN001
    form = ApplicationForm(session)
    qtbot.addWidget(form)
    assert tab_walk(qtbot, form) == PAPER_ORDER


def test_tab_skips_the_account_of_a_case_paid_in_cash(qtbot, session) -> None:  # noqa: ANN001
    stored = intake.register_application(session.ctx, session.society_id, application(
        payment_method="cash", bank_name="", account_no="", account_holder=""), "王会计")
    form = ApplicationForm(session, intake.load(session.ctx, stored.id, "王会计"))
    qtbot.addWidget(form)
    assert tab_walk(qtbot, form) == [s for s in PAPER_ORDER if s not in ("bank_name", "account_no", "account_holder")]


def test_a_save_after_another_clerk_s_shows_their_change_and_keeps_mine(qtbot, session) -> None:  # noqa: ANN001
    stored = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    form = ApplicationForm(session, intake.load(session.ctx, stored.id, "王会计"))
    qtbot.addWidget(form)
    form.show()
    # Meanwhile 李主任, at another PC, raises the amount and saves.
    intake.update_application(session.ctx, stored.id, application(requested_yuan="3000", bank_name="中国银行"),
                              "李主任", version=stored.version)
    form.phone.clear()
    type_into(qtbot, form.phone, "13905630000")
    form.requested.clear()
    type_into(qtbot, form.requested, "2500")
    qtbot.keyClick(form.requested, Qt.Key.Key_Return)  # Enter saves
    assert form.result() == 0  # not saved: the clerk first sees what changed
    assert "李主任" in form.banner.text() and "申请金额、开户银行" in form.banner.text()
    assert form.requested.text() == "3000.00" and form.bank_name.text() == "中国银行"
    assert form.phone.text() == "13905630000"  # the clerk's own edit is still there
    assert "李主任 刚改为此内容" in form.boxes["requested_yuan"].error.text() and "最后修改：李主任" in form.header.text()
    assert intake.load(session.ctx, stored.id, "王会计").application.phone == "13905631234"  # nothing written over
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)  # seen and saved again, against the newer version
    saved = intake.load(session.ctx, stored.id, "王会计").application
    assert (saved.requested_fen, saved.bank_name, saved.phone) == (300_000, "中国银行", "13905630000")


def repeat_dialog_after_saving(qtbot, session):  # noqa: ANN001, ANN201
    """An earlier case of the person and cause this year; the clerk fills the form and saves."""
    earlier = intake.register_application(session.ctx, session.society_id, application(
        id_number=make_id(birth="19700501", seq="88", sex_digit="5"), applicant_name="赵大勇"), "王会计")
    form = ApplicationForm(session)
    qtbot.addWidget(form)
    form.show()
    fill_valid_form(qtbot, form)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.result() != ApplicationForm.DialogCode.Accepted
    dialog = form.findChild(RepeatDialog)
    assert dialog is not None and dialog.isVisible()
    return earlier, form, dialog


def test_a_repeat_names_the_earlier_case_and_needs_a_reason(qtbot, session) -> None:  # noqa: ANN001
    earlier, form, dialog = repeat_dialog_after_saving(qtbot, session)
    row = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert row == [earlier.case_no, "2026-11-20", "已受理", "申请 ¥2,000.00"]
    assert "一事一救" in form.banner.text() and earlier.case_no in form.banner.text()
    qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)  # no reason: not yet
    assert dialog.isVisible() and "理由" in dialog.reason_box.error.text()
    type_into(qtbot, dialog.reason_edit, "上次住院后病情复发，再次住院")
    qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    assert form.result() == ApplicationForm.DialogCode.Accepted, shown_errors(form)
    saved = form.saved_case
    assert saved.case_no.endswith("00002") and saved.application.repeat_reason == "上次住院后病情复发，再次住院"
    with session.ctx.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == saved.id,
                                                   AuditEntry.action == "register")).one()
    assert json.loads(entry.after_json)["repeat_of"] == [earlier.case_no]
    screen = CaseDialog(session, saved.id)  # the case screen names the earlier case and the reason
    qtbot.addWidget(screen)
    assert earlier.case_no in screen.details.text() and "上次住院后病情复发，再次住院" in screen.details.text()


def test_a_repeat_can_open_the_earlier_case_instead(qtbot, session) -> None:  # noqa: ANN001
    earlier, form, dialog = repeat_dialog_after_saving(qtbot, session)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert form.result() == ApplicationForm.DialogCode.Rejected  # the form goes, nothing registered
    opened = [w for w in QApplication.topLevelWidgets() if isinstance(w, CaseDialog) and w.isVisible()]
    assert opened and opened[-1].view.case.case_no == earlier.case_no
    with session.ctx.read() as s:
        assert len(s.scalars(select(AidCase.id)).all()) == 1
    opened[-1].close()


def test_a_repeat_can_be_cancelled_back_to_the_form(qtbot, session) -> None:  # noqa: ANN001
    _earlier, form, dialog = repeat_dialog_after_saving(qtbot, session)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert form.isVisible() and form.name.text() == "赵大勇"  # nothing typed is lost
    with session.ctx.read() as s:
        assert len(s.scalars(select(AidCase.id)).all()) == 1


def test_an_edit_that_makes_the_case_a_repeat_asks_for_the_reason(qtbot, session) -> None:  # noqa: ANN001
    """一事一救 on editing: typing the ID number of a person with an earlier case for the same
    cause brings up the same dialog as registering; the case is saved only with a reason."""
    earlier = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    other = intake.register_application(session.ctx, session.society_id,
                                        application(id_number=make_id(seq="77")), "王会计")
    form = ApplicationForm(session, intake.load(session.ctx, other.id, "王会计"))
    qtbot.addWidget(form)
    form.show()
    form.id_number.clear()
    type_into(qtbot, form.id_number, make_id())
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    dialog = form.findChild(RepeatDialog)
    assert dialog is not None and dialog.isVisible(), shown_errors(form)
    assert dialog.table.item(0, 0).text() == earlier.case_no and "保存" in dialog.register_button.text()
    assert intake.load(session.ctx, other.id, "王会计").application.id_number == make_id(seq="77")  # not yet
    type_into(qtbot, dialog.reason_edit, "上次住院后病情复发，再次住院")
    qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    assert form.result() == ApplicationForm.DialogCode.Accepted, shown_errors(form)
    saved = intake.load(session.ctx, other.id, "王会计").application
    assert (saved.id_number, saved.repeat_reason) == (make_id(), "上次住院后病情复发，再次住院")


def test_enter_in_the_reason_registers_anyway(qtbot, session) -> None:  # noqa: ANN001
    """Enter after typing a reason means 仍然登记, not the default 打开原案件."""
    _earlier, form, dialog = repeat_dialog_after_saving(qtbot, session)
    type_into(qtbot, dialog.reason_edit, "病情复发再次住院")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    assert form.result() == ApplicationForm.DialogCode.Accepted, shown_errors(form)
    assert form.saved_case.application.repeat_reason == "病情复发再次住院"


@pytest.mark.skipif(os.name != "posix", reason="POSIX devices and names with line breaks")
def test_a_device_and_a_disguised_name_as_attachments(qtbot, session, tmp_path) -> None:  # noqa: ANN001
    """The clerk picks /dev/zero (through a link named like a photo): the form says why it
    cannot be attached instead of copying without end. A name with a right-to-left mark and
    a line break is listed and kept cleaned."""
    case = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    page = CaseListPage(session)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    form = page.open_selected().open_application()
    link = tmp_path / "照片.jpg"
    link.symlink_to("/dev/zero")
    form.choose_files = lambda: [str(link)]
    form.add_files_button.click()
    form.save_button.click()
    assert form.result() != ApplicationForm.DialogCode.Accepted
    assert "“照片.jpg”不是普通文件" in form.banner.text() and "程序出错" not in form.banner.text()
    assert intake.load(session.ctx, case.id, "王会计").attachments == ()

    again = page.open_selected().open_application()
    disguised = tmp_path / "发票\u202egpj.exe\n"
    disguised.write_bytes(b"MZ not a photo")
    again.choose_files = lambda: [str(disguised)]
    again.add_files_button.click()
    assert again.attachments.item(0).text() == "发票gpj.exe（保存时加入）"
    again.save_button.click()
    assert again.result() == ApplicationForm.DialogCode.Accepted, again.banner.text()
    shown = page.open_selected().open_application()
    assert shown.attachments.item(0).text().startswith("发票gpj.exe（1 KB")
    assert [a.original_name for a in intake.load(session.ctx, case.id, "王会计").attachments] == ["发票gpj.exe"]
