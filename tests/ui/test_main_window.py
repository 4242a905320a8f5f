"""The main window and first start: society setup, navigation, status bar, switching society."""

import threading

from PySide6.QtCore import Qt

from jiujinan.services.changes import EVERYTHING
from jiujinan.cases.enums import StepKind
from jiujinan.cases.users import Role
from jiujinan.cases.offices import OfficeKind
from jiujinan.services import offices, societies, users
from jiujinan.ui.app import start_session
from jiujinan.ui.main_window import CASES_INDEX, MainWindow
from jiujinan.ui.login_dialog import LoginDialog
from jiujinan.ui.ops import Ops
from jiujinan.ui.office_dialogs import OfficeDialog
from jiujinan.ui.setup_dialog import SetupDialog
from tests.conftest import make_id, society_settings
from tests.ui.typing import type_text


def test_first_start_sets_up_the_administrator_and_the_society(qtbot, ctx, prefs, monkeypatch) -> None:  # noqa: ANN001
    def set_up_admin(dialog: LoginDialog) -> int:
        qtbot.addWidget(dialog)
        assert dialog.first_admin
        type_text(qtbot, dialog.name_edit, "王会计")
        type_text(qtbot, dialog.new_password, "qingshan-2026")
        type_text(qtbot, dialog.confirm, "qingshan-2025")
        dialog.sign_in()
        assert "不一样" in dialog.banner.text() and users.needs_first_admin(ctx)
        dialog.confirm.clear()
        type_text(qtbot, dialog.confirm, "qingshan-2026")
        dialog.sign_in()
        return dialog.result()

    def set_up_office(dialog: OfficeDialog) -> int:
        qtbot.addWidget(dialog)
        assert dialog.kind_buttons[OfficeKind.VILLAGE].isChecked()  # most installations are villages'
        type_text(qtbot, dialog.code_edit, "341802100000")
        type_text(qtbot, dialog.name_edit, "青山村救急难互助社")
        dialog.save()
        assert "后3位不应全为0" in dialog.boxes["area_code"].error.text() and offices.current_office(ctx) is None
        dialog.code_edit.clear()
        type_text(qtbot, dialog.code_edit, "341802100201")
        dialog.save()
        return dialog.result()

    def fill_and_save(dialog: SetupDialog) -> int:
        qtbot.addWidget(dialog)
        form = dialog.form
        # The village's society is its office: its code and name are filled in already.
        assert (form.area_code.text(), form.name.text()) == ("341802100201", "青山村救急难互助社")
        form.area_code.clear()
        form.name.clear()
        for widget, text in ((form.name, "青山村救急难互助社"), (form.village, "青山村"),
                             (form.area_code, "3418021002"), (form.town, "水阳镇"), (form.district, "宣州区")):
            type_text(qtbot, widget, text)
        form.village_limit.clear()
        type_text(qtbot, form.village_limit, "1500.555")
        dialog.save()
        assert "12位" in form.boxes["area_code"].error.text()
        assert "两位小数" in form.boxes["village_limit_fen"].error.text()
        assert societies.list_societies(ctx) == []  # nothing written while anything is wrong
        type_text(qtbot, form.area_code, "01")
        form.village_limit.clear()
        type_text(qtbot, form.village_limit, "1500")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", set_up_admin)
    monkeypatch.setattr(OfficeDialog, "exec", set_up_office)
    monkeypatch.setattr(SetupDialog, "exec", fill_and_save)
    session = start_session(ctx, prefs)
    assert session is not None and session.user == "王会计"
    assert users.get_user(ctx, "王会计").roles == {Role.CLERK, Role.REVIEWER, Role.ADMIN}
    (record,) = societies.list_societies(ctx)
    assert record.settings.area_code == "341802100201"
    assert record.settings.village_limit_fen == 150000
    assert prefs.last_society(ctx.db_label) == record.id

    # The next start asks for the password, then goes straight in with the same society.
    def sign_in(dialog: LoginDialog) -> int:
        qtbot.addWidget(dialog)
        assert not dialog.first_admin and dialog.name_combo.currentText() == "王会计"
        type_text(qtbot, dialog.password, "wrong-one")
        dialog.sign_in()
        assert "用户名或密码不对" in dialog.banner.text() and dialog.password.text() == ""
        type_text(qtbot, dialog.password, "qingshan-2026")
        dialog.sign_in()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", sign_in)
    monkeypatch.setattr(SetupDialog, "exec", lambda self: (_ for _ in ()).throw(AssertionError("asked again")))
    monkeypatch.setattr(OfficeDialog, "exec", lambda self: (_ for _ in ()).throw(AssertionError("asked again")))
    again = start_session(ctx, prefs)
    assert (again.society_id, again.user) == (record.id, "王会计")


def test_a_user_from_before_passwords_chooses_one_at_sign_in(qtbot, ctx, society_id) -> None:  # noqa: ANN001
    societies.add_user(ctx, "老会计")
    dialog = LoginDialog(Ops(), lambda: ctx, remembered="老会计")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.name_combo.currentText() == "老会计" and not dialog.new_password.isVisible()
    dialog.sign_in()
    assert dialog.new_password.isVisible() and "设置密码" in dialog.intro.text()
    type_text(qtbot, dialog.new_password, "laokuaiji-2026")
    type_text(qtbot, dialog.confirm, "laokuaiji-2026")
    dialog.sign_in()
    assert dialog.user == "老会计" and users.login(ctx, "老会计", "laokuaiji-2026")


def test_window_shows_society_operator_and_database(qtbot, session) -> None:  # noqa: ANN001
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitActive(window):
        window.show()
    assert window.nav.currentRow() == CASES_INDEX
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == ["待办", "案件", "资金", "打印", "导出", "设置"]
    assert "青山村救急难互助社" in window.status_society.text()
    assert "王会计" in window.status_user.text()
    assert "test.db" in window.status_db.text()
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.AltModifier)
    assert window.stack.currentWidget() is window.settings_page


def test_switching_society_switches_the_list(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.services import intake
    from tests.conftest import application

    other = societies.create_society(session.ctx, society_settings("341802101202", "龙泉村救急难互助社"), "王会计")
    intake.register_application(session.ctx, other.id, application(), "王会计")
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.case_page.model.rowCount() == 0
    index = window.society_combo.findData(other.id)
    window.society_combo.setCurrentIndex(index)
    window.society_combo.activated.emit(index)
    assert window.case_page.model.rowCount() == 1
    assert "龙泉村" in window.status_society.text()
    assert session.prefs.last_society(session.ctx.db_label) == other.id


def test_settings_page_saves_limits_and_refuses_bad_ones(qtbot, session) -> None:  # noqa: ANN001
    window = MainWindow(session)
    qtbot.addWidget(window)
    page = window.settings_page
    page.form.town_limit.clear()
    type_text(qtbot, page.form.town_limit, "100")  # below the village limit
    page.save_button.click()
    assert "不能低于" in page.form.boxes["town_limit_fen"].error.text()
    assert societies.get_society(session.ctx, session.society_id).settings.town_limit_fen == 500000
    page.form.town_limit.clear()
    type_text(qtbot, page.form.town_limit, "8000")
    page.save_button.click()
    assert societies.get_society(session.ctx, session.society_id).settings.town_limit_fen == 800000
    assert page.saved_label.text() == "已保存"


def test_text_size_is_a_setting(qtbot, session, qapp) -> None:  # noqa: ANN001
    window = MainWindow(session)
    qtbot.addWidget(window)
    combo = window.settings_page.text_size
    index = combo.findData(16)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert qapp.font().pointSize() == 16
    assert session.prefs.text_size == 16


def test_holidays_are_entered_in_settings_and_move_the_notice_end(qtbot, session) -> None:  # noqa: ANN001
    import datetime as dt

    from jiujinan.services import review

    window = MainWindow(session)
    qtbot.addWidget(window)
    page = window.settings_page
    type_text(qtbot, page.calendar_edit, "2026-11-12 放假")
    page.calendar_save.click()
    assert "第1行" in page.calendar_status.text()
    assert review.calendar(session.ctx).holidays == frozenset()
    page.calendar_edit.clear()
    type_text(qtbot, page.calendar_edit, "2026-11-12 休 地方节日")
    page.calendar_save.click()
    assert page.calendar_status.text() == "已保存 1 天"
    assert review.calendar(session.ctx).holidays == {dt.date(2026, 11, 12)}


def signs_in(qtbot, name: str, password: str):  # noqa: ANN001, ANN201
    """The sign-in dialog's exec, as the person types their name and password."""
    def run(dialog: LoginDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.name_combo.setCurrentText(name)
        type_text(qtbot, dialog.password, password)
        dialog.sign_in()
        return dialog.result()
    return run


def test_switching_user_takes_a_password_and_only_an_administrator_adds_users(qtbot, session, monkeypatch) -> None:  # noqa: ANN001
    from jiujinan.ui.new_user_dialog import NewUserDialog

    window = MainWindow(session)
    qtbot.addWidget(window)
    page = window.settings_page
    assert "王会计（经办人、审核人、管理员）" == page.user_label.text() and not page.users_box.isHidden()
    box = page.users_box

    def add_reviewer(dialog: NewUserDialog) -> int:
        qtbot.addWidget(dialog)
        type_text(qtbot, dialog.name_edit, "钱委员")
        dialog.role_boxes[Role.CLERK].setChecked(False)
        dialog.role_boxes[Role.REVIEWER].setChecked(True)
        type_text(qtbot, dialog.password, "qianweiyuan-1")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(NewUserDialog, "exec", add_reviewer)
    qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)
    names = [box.table.item(r, 0).text() for r in range(box.table.rowCount())]
    assert "钱委员" in names and box.table.item(names.index("钱委员"), 1).text() == "审核人"
    box.table.selectRow(names.index("钱委员"))
    monkeypatch.setattr(box, "ask_new_password", lambda name: ("qianweiyuan-1", True))
    qtbot.mouseClick(box.reset_button, Qt.MouseButton.LeftButton)

    monkeypatch.setattr(LoginDialog, "exec", signs_in(qtbot, "钱委员", "qianweiyuan-1"))
    qtbot.mouseClick(page.switch_user_button, Qt.MouseButton.LeftButton)
    assert session.user == "钱委员" and "钱委员" in window.status_user.text()
    assert page.user_label.text() == "钱委员（审核人）" and page.users_box.isHidden()


def test_separation_of_duties_is_turned_off_only_with_a_reason(qtbot, session) -> None:  # noqa: ANN001
    window = MainWindow(session)
    qtbot.addWidget(window)
    page = window.settings_page
    page.form.entrant_may_approve.setChecked(True)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "请填写允许录入人审批的原因" in page.form.boxes["entrant_may_approve_reason"].error.text()
    assert not societies.get_society(session.ctx, session.society_id).settings.entrant_may_approve
    type_text(qtbot, page.form.entrant_reason, "村里只有一名经办人")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settings = societies.get_society(session.ctx, session.society_id).settings
    assert settings.entrant_may_approve and settings.entrant_may_approve_reason == "村里只有一名经办人"


def test_an_administrator_changes_roles_and_stops_an_account(qtbot, session, monkeypatch) -> None:  # noqa: ANN001
    from jiujinan.ui.users_box import RolesDialog

    window = MainWindow(session)
    qtbot.addWidget(window)
    box = window.settings_page.users_box
    names = [box.table.item(r, 0).text() for r in range(box.table.rowCount())]
    box.table.selectRow(names.index("乙"))

    def stop(dialog: RolesDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.role_boxes[Role.ADMIN].setChecked(False)
        dialog.stopped.setChecked(True)
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(RolesDialog, "exec", stop)
    qtbot.mouseClick(box.roles_button, Qt.MouseButton.LeftButton)
    row = names.index("乙")
    assert box.table.item(row, 1).text() == "经办人、审核人" and box.table.item(row, 3).text() == "已停用"
    assert "乙" not in [u.name for u in users.list_users(session.ctx, "王会计") if u.active]

    box.table.selectRow(names.index("王会计"))

    def demote_the_last_admin(dialog: RolesDialog) -> int:
        qtbot.addWidget(dialog)
        for person in ("李主任", "甲"):
            users.set_roles(session.ctx, person, frozenset({Role.CLERK}), "王会计")
        dialog.role_boxes[Role.ADMIN].setChecked(False)
        dialog.save()
        assert "至少要保留一位" in dialog.banner.text()
        return dialog.result()

    monkeypatch.setattr(RolesDialog, "exec", demote_the_last_admin)
    qtbot.mouseClick(box.roles_button, Qt.MouseButton.LeftButton)
    assert Role.ADMIN in users.get_user(session.ctx, "王会计").roles


def test_another_clerk_s_change_shows_up_without_reopening(qtbot, session, tmp_path, clock) -> None:  # noqa: ANN001
    from jiujinan.services import intake
    from jiujinan.services.context import open_context
    from tests.conftest import application

    window = MainWindow(session)
    qtbot.addWidget(window)
    page = window.case_page
    before = page.model.rowCount()
    session.ops.look()  # where things stand (opening 设置 made the signing key)
    with qtbot.assertNotEmitted(session.changed):
        session.ops.look()  # nothing new since
    other = open_context(str(tmp_path / "test.db"), tmp_path, clock)  # the other clerk's program
    case = intake.register_application(other, session.society_id, application(), "李主任")
    other.close()
    with qtbot.waitSignal(session.changed, timeout=1000) as told:
        session.ops.look()
    assert told.args[0].case_ids == {case.id} and told.args[0].touches("case")
    assert not told.args[0].touches("ledger", "user")
    assert page.model.rowCount() == before + 1
    with qtbot.assertNotEmitted(session.changed):
        session.ops.look()


def test_a_village_clerk_sees_only_his_society(qtbot, session, monkeypatch) -> None:  # noqa: ANN001
    from jiujinan.ui.new_user_dialog import NewUserDialog

    other = societies.create_society(session.ctx, society_settings("341802101201", "金坝村救急难互助社"), "王会计").id
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.society_combo.count() == 2
    session.switch_society(other)
    box = window.settings_page.users_box

    def add_village_clerk(dialog: NewUserDialog) -> int:
        qtbot.addWidget(dialog)
        labels = [dialog.area.itemText(i) for i in range(dialog.area.count())]
        assert labels[0] == "全部互助社" and "乡镇（街道） 341802100（水阳镇）" in labels
        type_text(qtbot, dialog.name_edit, "孙会计")
        dialog.area.setCurrentIndex(labels.index("互助社 341802100201（青山村救急难互助社）"))
        type_text(qtbot, dialog.password, "sunkuaiji-1")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(NewUserDialog, "exec", add_village_clerk)
    qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)
    names = [box.table.item(r, 0).text() for r in range(box.table.rowCount())]
    assert box.table.item(names.index("孙会计"), 2).text() == "互助社 341802100201（青山村救急难互助社）"  # as picked

    monkeypatch.setattr(LoginDialog, "exec", signs_in(qtbot, "孙会计", "sunkuaiji-1"))
    qtbot.mouseClick(window.settings_page.switch_user_button, Qt.MouseButton.LeftButton)
    assert session.user == "孙会计" and session.society_id != other  # 金坝村 is not his: 青山村 is shown
    assert [window.society_combo.itemText(i) for i in range(window.society_combo.count())] == [
        "青山村救急难互助社（341802100201）"]


def test_a_lost_database_is_said_once_and_the_screens_recover(qtbot, session, monkeypatch) -> None:  # noqa: ANN001
    import psycopg
    from PySide6.QtWidgets import QMessageBox
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    from jiujinan.services import intake
    from tests.conftest import application

    for n in range(3):
        intake.register_application(session.ctx, session.society_id, application(id_number=make_id(seq=f"{n}1")),
                                    "王会计")
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.nav.setCurrentRow(CASES_INDEX)
    page = window.case_page
    boxes = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: boxes.append(text))

    def lost(_conn, _cursor, statement, params, *_args) -> None:  # noqa: ANN001, ANN002
        # every statement fails as when the server is gone: psycopg's error, as SQLAlchemy hands it on
        raise OperationalError(statement, params, psycopg.OperationalError("server closed the connection unexpectedly"),
                               connection_invalidated=True)

    event.listen(session.ctx.engine, "before_cursor_execute", lost)
    session.changed.emit(EVERYTHING)  # every screen reloads, and each fails
    assert boxes == ["连不上数据库服务器（网络或服务器中断），请稍后再试；恢复后程序会自动重新连接"]
    assert page.model.rowCount() == 3  # the list keeps what it showed
    page.model.set_query(page.model.query, recount=False)  # pages forgotten: the rows must be read again
    assert page.model.data(page.model.index(0, 0)) is None
    qtbot.waitUntil(lambda: "连不上数据库服务器" in page.count_label.text())
    event.remove(session.ctx.engine, "before_cursor_execute", lost)
    session.changed.emit(EVERYTHING)  # back: the screens read again
    assert page.count_label.text() == "共 3 件" and page.model.data(page.model.index(0, 0))


def test_buttons_a_user_s_roles_do_not_allow_are_greyed_with_the_role_needed(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.services import intake
    from jiujinan.ui.case_dialog import CaseDialog
    from tests.conftest import PASSWORD, application

    users.create_user(session.ctx, "钱委员", frozenset({Role.REVIEWER}), PASSWORD, "王会计")
    case = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    window = MainWindow(session)
    qtbot.addWidget(window)
    new, add_money = window.case_page.new_button, window.fund_page.add_button
    assert new.isEnabled() and add_money.isEnabled()
    session.switch_user("钱委员")
    assert not new.isEnabled() and new.toolTip() == "需要经办人角色（当前用户：钱委员）"
    assert not add_money.isEnabled() and not window.fund_page.reverse_button.isEnabled()
    dialog = CaseDialog(session, case.id)
    qtbot.addWidget(dialog)
    assert dialog.action_buttons[StepKind.VISIT].isEnabled()  # a reviewer records the review
    users.create_user(session.ctx, "孙出纳", frozenset({Role.CLERK}), PASSWORD, "王会计")
    session.switch_user("孙出纳")
    dialog = CaseDialog(session, case.id)
    qtbot.addWidget(dialog)
    assert not dialog.action_buttons[StepKind.VISIT].isEnabled() and "需要审核人角色" in \
        dialog.action_buttons[StepKind.VISIT].toolTip()
    session.switch_user("王会计")
    assert new.isEnabled() and new.toolTip() == "" and add_money.isEnabled()


def test_a_passing_status_message_does_not_overlap_the_labels(qtbot, session) -> None:  # noqa: ANN001
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    window.statusBar().showMessage("已自动备份到 /tmp/x.db")
    assert not window.status_db.isVisible() and not window.status_user.isVisible()
    window.statusBar().clearMessage()
    assert window.status_db.isVisible() and window.status_society.isVisible()


def test_the_society_chooser_filters_as_one_types(qtbot, session) -> None:  # noqa: ANN001
    for n in range(30):
        societies.create_society(session.ctx, society_settings(code=f"3418021003{n:02d}", name=f"第{n}村救急难互助社"),
                                 "王会计")
    societies.create_society(session.ctx, society_settings(code="341802200101", name="黄山村救急难互助社"), "王会计")
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    chooser = window.society_combo
    chooser.lineEdit().selectAll()
    type_text(qtbot, chooser.lineEdit(), "黄山")
    completer = chooser.completer()
    shown = [completer.completionModel().index(r, 0).data() for r in range(completer.completionModel().rowCount())]
    assert shown == ["黄山村救急难互助社（341802200101）"]
    chooser.lineEdit().selectAll()
    type_text(qtbot, chooser.lineEdit(), "100301")  # a fragment of the area code, from the middle
    shown = [completer.completionModel().index(r, 0).data() for r in range(completer.completionModel().rowCount())]
    assert shown == ["第1村救急难互助社（341802100301）"]
    popup = completer.popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    chosen = societies.list_societies(session.ctx)
    assert session.society_id == next(r.id for r in chosen if r.settings.area_code == "341802100301")
    qtbot.waitUntil(lambda: "第1村救急难互助社" in window.status_society.text())
    chooser.lineEdit().selectAll()
    type_text(qtbot, chooser.lineEdit(), "zz")  # matches nothing: leaving it shows the society at work again
    qtbot.keyClick(chooser.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: chooser.currentText() == "第1村救急难互助社（341802100301）")


def test_a_long_society_name_shows_from_its_start(qtbot, session) -> None:  # noqa: ANN001
    """Clerk review at 1366×768: the chooser showed «…互助社（341802100200）», the name cut off."""
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    chooser = window.society_combo
    edit = chooser.lineEdit()
    qtbot.waitUntil(lambda: edit.fontMetrics().horizontalAdvance(edit.text()) <= edit.width())  # it grew to the name
    chooser.setMaximumWidth(160)  # a name longer than the box may grow to (a 33-character one, larger text)
    chooser.set_records(societies.list_societies(session.ctx), session.society_id)
    qtbot.waitUntil(lambda: edit.fontMetrics().horizontalAdvance(edit.text()) > edit.width())
    assert edit.cursorPosition() == 0  # so its start is what shows
    assert edit.cursorRect().left() < edit.width() // 4


def test_switching_user_chooses_nobody_in_advance(qtbot, session) -> None:  # noqa: ANN001
    window = MainWindow(session)
    qtbot.addWidget(window)
    dialog = window.settings_page.login_dialog()
    qtbot.addWidget(dialog)
    assert session.user == "王会计" and dialog.name_combo.currentIndex() == -1
    assert dialog.name_combo.currentText() == "" and dialog.name_combo.findText("王会计") >= 0
    type_text(qtbot, dialog.password, "qingshan-2026")
    dialog.sign_in()
    assert dialog.banner.text() == "请先选择您的名字" and not dialog.user
    dialog.name_combo.setCurrentIndex(dialog.name_combo.findText("李主任"))  # the password typed stays
    dialog.sign_in()
    assert dialog.user == "李主任"


def test_the_wheel_scrolls_past_a_setting_without_changing_it(qtbot, session) -> None:  # noqa: ANN001
    """Scrolling 设置 moved the 公示期 under the pointer from 5 to 3 days; now a spin box takes
    the wheel only once the clerk has clicked or tabbed into it."""
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(5)  # 设置
    spin = window.settings_page.form.notice_days
    before = spin.value()

    def wheel_down() -> None:
        middle = QPointF(spin.rect().center())
        event = QWheelEvent(middle, QPointF(spin.mapToGlobal(QPoint(5, 5))), QPoint(0, -120), QPoint(0, -120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        QApplication.sendEvent(spin, event)

    wheel_down()
    assert spin.value() == before and not spin.hasFocus()
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    wheel_down()
    assert spin.value() == before - 1  # focused: the wheel is the clerk's own choice


def test_the_papers_load_ahead_on_a_thread_of_their_own(caplog) -> None:  # noqa: ANN001
    """ReportLab and the font load behind the window, so the first 打印 does not wait for them."""
    from reportlab.pdfbase import pdfmetrics

    from jiujinan.printing.base import FONT
    from jiujinan.ui.app import warm_up_papers

    thread = warm_up_papers()
    assert thread is not threading.main_thread() and thread.daemon
    thread.join(60)
    assert not thread.is_alive() and FONT in pdfmetrics.getRegisteredFontNames()
    assert "loading the papers ahead failed" not in caplog.text
