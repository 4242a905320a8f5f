"""打印与告知: a clerk types what the papers print under 设置 (and on first start), and a
household member's age and income source; what is saved is what the database holds."""

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QDialogButtonBox, QScrollArea

from jiujinan.services import intake, societies
from jiujinan.ui.application_form import ApplicationForm
from jiujinan.ui.settings_page import SettingsPage
from jiujinan.ui.setup_dialog import SetupDialog
from tests.ui.test_application_form import fill_valid_form, shown_errors
from tests.ui.typing import type_text

SCREEN_1366 = QRect(0, 0, 1366, 728)  # 1366×768 less a 40-pixel taskbar


def settings_page(qtbot, session) -> SettingsPage:  # noqa: ANN001
    page = SettingsPage(session)
    qtbot.addWidget(page)
    page.resize(1366 - 200, 728 - 60)  # beside the side menu, under the title bar
    page.show()
    qtbot.waitExposed(page)
    return page


def retype(qtbot, widget, text: str) -> None:  # noqa: ANN001
    widget.selectAll() if hasattr(widget, "selectAll") else None
    widget.clear()
    type_text(qtbot, widget, text)


def set_spin(qtbot, spin, value: int) -> None:  # noqa: ANN001
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, str(value))


def test_the_clerk_types_the_paper_settings_and_they_are_saved(qtbot, session) -> None:  # noqa: ANN001
    page = settings_page(qtbot, session)
    form = page.form
    assert not form.notice_shows_id.isChecked()  # off: the notice never shows the ID (DOMAIN)
    assert "身份证号" in form.notice_shows_id.toolTip()
    type_text(qtbot, form.district_office, "宣州区慈善协会")
    type_text(qtbot, form.objection_contact, "青山村村委会 李主任")
    type_text(qtbot, form.contact_phone, "0563-2012399")
    set_spin(qtbot, form.return_days, 7)
    set_spin(qtbot, form.appeal_days, 30)
    type_text(qtbot, form.appeal_to, "水阳镇人民政府民政办（水阳镇政府路1号）")
    type_text(qtbot, form.head_name, "陈国强")
    qtbot.mouseClick(form.notice_shows_id, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.saved_label.text() == "已保存"
    st = societies.get_society(session.ctx, session.society_id).settings
    assert (st.village_office, st.town_office, st.district_office) == ("", "", "宣州区慈善协会")
    assert st.notice_shows_id and st.objection_contact == "青山村村委会 李主任"
    assert (st.contact_phone, st.return_days, st.appeal_days) == ("0563-2012399", 7, 30)
    assert st.appeal_to == "水阳镇人民政府民政办（水阳镇政府路1号）" and st.head_name == "陈国强"
    page.reload()  # read back: the form shows what was stored
    assert form.district_office.text() == "宣州区慈善协会" and form.return_days.value() == 7
    assert form.notice_shows_id.isChecked() and form.head_name.text() == "陈国强"


def test_an_empty_office_shows_what_prints_instead(qtbot, session) -> None:  # noqa: ANN001
    form = settings_page(qtbot, session).form
    assert form.village_office.placeholderText() == "留空则印：青山村救急难互助社"
    assert form.town_office.placeholderText() == "留空则印：水阳镇人民政府"
    assert form.district_office.placeholderText() == "留空则印：宣州区民政局"
    assert form.appeal_to.placeholderText() == "留空则印：水阳镇人民政府"
    retype(qtbot, form.town, "狸桥镇")  # follows what is typed above
    assert form.town_office.placeholderText() == "留空则印：狸桥镇人民政府"
    type_text(qtbot, form.town_office, "狸桥镇民政办")
    assert form.appeal_to.placeholderText() == "留空则印：狸桥镇民政办"


def test_a_bad_value_is_shown_beside_its_field_and_nothing_is_saved(qtbot, session) -> None:  # noqa: ANN001
    page = settings_page(qtbot, session)
    form = page.form
    type_text(qtbot, form.contact_phone, "12345")
    type_text(qtbot, form.head_name, "陈" * 31)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert form.boxes["contact_phone"].error.isVisible()
    assert form.boxes["contact_phone"].error.text() == "联系电话格式不对"
    assert "单位负责人" in form.boxes["head_name"].error.text()
    assert page.saved_label.text() == "未保存：请按红字修改"
    assert societies.get_society(session.ctx, session.society_id).settings.contact_phone == ""
    retype(qtbot, form.contact_phone, "13905630000")  # right now: its line goes as it is typed
    assert not form.boxes["contact_phone"].error.isVisible()


def test_first_start_asks_for_the_paper_settings_too_and_fits_the_screen(qtbot, session, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr("jiujinan.ui.screen_fit.available_rect", lambda _w: SCREEN_1366)
    dialog = SetupDialog(session.ops, session.ctx, user="王会计", first=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.height() <= 728 - 40 and dialog.width() <= 1366 - 16
    form = dialog.form
    for widget, text in ((form.name, "红星村救急难互助社"), (form.village, "红星村"), (form.area_code, "341802100202"),
                         (form.town, "水阳镇"), (form.district, "宣州区"), (form.head_name, "周红")):
        type_text(qtbot, widget, text)
    set_spin(qtbot, form.return_days, 5)
    dialog.scroll.ensureWidgetVisible(form.head_name)  # the group is below the fold: the fields scroll
    assert form.head_name.visibleRegion().boundingRect().height() > 0
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.record is not None
    st = societies.get_society(session.ctx, dialog.record.id).settings
    assert (st.head_name, st.return_days, st.appeal_days, st.notice_shows_id) == ("周红", 5, 60, False)


def test_the_settings_page_scrolls_to_every_paper_field_at_1366(qtbot, session) -> None:  # noqa: ANN001
    page = settings_page(qtbot, session)
    scroll = page.findChild(QScrollArea)
    for widget in (page.form.village_office, page.form.head_name):
        scroll.ensureWidgetVisible(widget)
        shown = widget.visibleRegion().boundingRect()
        assert shown.width() == widget.width() and shown.height() == widget.height()  # whole, not clipped


def type_member_cell(qtbot, table, col: int, text: str) -> None:  # noqa: ANN001
    table.setCurrentCell(0, col)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.indexWidget(table.currentIndex())
    type_text(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_a_member_s_age_and_income_source_are_typed_and_saved(qtbot, session) -> None:  # noqa: ANN001
    form = ApplicationForm(session)
    qtbot.addWidget(form)
    form.show()
    fill_valid_form(qtbot, form)
    table = form.members.table
    assert [table.horizontalHeaderItem(c).text() for c in range(5)] == ["姓名", "关系", "身份证号", "年龄", "收入来源"]
    type_member_cell(qtbot, table, 3, "130")
    qtbot.waitUntil(lambda: form.members.rows()[0][3] == "130")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert "第1位家庭成员年龄应为0到120之间的整数" in form.error_for("members")
    type_member_cell(qtbot, table, 3, "52")
    type_member_cell(qtbot, table, 4, "务农")
    qtbot.waitUntil(lambda: form.members.rows()[0][3:] == ("52", "务农"))
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.result() == ApplicationForm.DialogCode.Accepted, shown_errors(form)
    member = intake.load(session.ctx, form.saved_case.id, "王会计").application.members[0]
    assert (member.name, member.age, member.income_source) == ("钱小梅", 52, "务农")
