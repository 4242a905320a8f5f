"""A town's office in the GUI: set up at first start without a society of its own, its main window
keeps to what works without one, and 设置 → 本单位 hands out its card and enrols a village's after
the clerk types the fingerprint read out over the phone."""

from PySide6.QtCore import Qt

from jiujinan.cases.offices import OfficeKind, OfficeSettings
from jiujinan.services import offices, societies
from jiujinan.services.context import open_context
from jiujinan.ui.app import start_session
from jiujinan.ui.login_dialog import LoginDialog
from jiujinan.ui.main_window import SETTINGS_INDEX, MainWindow
from jiujinan.ui.office_dialogs import OfficeDialog, TrustDialog
from jiujinan.ui.setup_dialog import SetupDialog
from tests.ui.typing import type_text


def first_start_as_town(qtbot, ctx, prefs, monkeypatch):  # noqa: ANN001, ANN201
    def set_up_admin(dialog: LoginDialog) -> int:
        qtbot.addWidget(dialog)
        type_text(qtbot, dialog.name_edit, "赵镇长")
        type_text(qtbot, dialog.new_password, "shuiyang-2026")
        type_text(qtbot, dialog.confirm, "shuiyang-2026")
        dialog.sign_in()
        return dialog.result()

    def set_up_office(dialog: OfficeDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.kind_buttons[OfficeKind.TOWN].setChecked(True)
        assert "后3位为0" in dialog.code_edit.placeholderText()
        type_text(qtbot, dialog.code_edit, "341802100201")
        dialog.save()
        assert "乡镇（街道）的区划代码后3位应为0" in dialog.boxes["area_code"].error.text()
        assert "请填写单位名称" in dialog.boxes["name"].error.text()
        dialog.code_edit.clear()
        type_text(qtbot, dialog.code_edit, "341802100000")
        type_text(qtbot, dialog.name_edit, "水阳镇人民政府")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", set_up_admin)
    monkeypatch.setattr(OfficeDialog, "exec", set_up_office)
    monkeypatch.setattr(SetupDialog, "exec", lambda self: (_ for _ in ()).throw(AssertionError("no society asked")))
    return start_session(ctx, prefs)


def test_a_town_starts_without_a_society_of_its_own(qtbot, ctx, prefs, monkeypatch) -> None:  # noqa: ANN001
    session = first_start_as_town(qtbot, ctx, prefs, monkeypatch)
    assert session is not None and session.society_id is None and societies.list_societies(ctx) == []
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    shown = [window.nav.item(i).text() for i in range(window.nav.count()) if not window.nav.item(i).isHidden()]
    assert shown == ["导出", "设置"] and window.nav.currentRow() == SETTINGS_INDEX
    qtbot.waitUntil(lambda: "水阳镇人民政府（乡镇，341802100000）" in window.office_label.text())
    assert "本单位：水阳镇人民政府" in window.status_society.text()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # 案件: not a town's page (yet)
    assert window.nav.currentRow() == SETTINGS_INDEX
    page = window.settings_page
    assert page.society_box.isHidden() and not window.exchange_page.export_box.isVisible()
    box = page.office_box
    qtbot.waitUntil(lambda: box.view is not None)
    assert box.office_label.text() == "水阳镇人民政府（乡镇，341802100000）"
    assert box.fingerprint.text() == offices.own_card(ctx, "赵镇长").fingerprint
    assert box.setup_button.isHidden() and box.trust_button.isVisible()  # set up once; an administrator enrols


def test_the_card_goes_out_and_a_village_card_comes_in(qtbot, ctx, prefs, monkeypatch, tmp_path, clock) -> None:  # noqa: ANN001
    session = first_start_as_town(qtbot, ctx, prefs, monkeypatch)
    window = MainWindow(session)
    qtbot.addWidget(window)
    box = window.settings_page.office_box
    qtbot.waitUntil(lambda: box.view is not None)
    monkeypatch.setattr(box, "choose_card_to_save", lambda suggested: str(tmp_path / "水阳镇"))
    box.card_button.click()
    assert (tmp_path / "水阳镇.jjncard").exists() and box.fingerprint.text() in box.status.text()

    village = open_context(str(tmp_path / "village.db"), tmp_path, clock)
    try:
        offices.setup_office(village, OfficeSettings(OfficeKind.VILLAGE, "341802100201", "青山村救急难互助社"), "")
        made = offices.write_card(village, tmp_path / "青山村", "")
    finally:
        village.close()
    monkeypatch.setattr(box, "choose_card_to_open", lambda: str(tmp_path / "青山村.jjncard"))

    def confirm(dialog: TrustDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.save()
        assert "请输入对方" in dialog.boxes["fingerprint"].error.text()
        type_text(qtbot, dialog.fingerprint_edit, "1234")
        dialog.save()
        assert "指纹应为16位" in dialog.boxes["fingerprint"].error.text()
        dialog.fingerprint_edit.clear()
        type_text(qtbot, dialog.fingerprint_edit, "1234 5678 9ABC DEF0")
        dialog.save()
        assert "不一致" in dialog.boxes["fingerprint"].error.text() and offices.trusted(ctx, "赵镇长") == []
        dialog.fingerprint_edit.clear()
        type_text(qtbot, dialog.fingerprint_edit, made.fingerprint.lower())
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(TrustDialog, "exec", confirm)
    box.trust_button.click()
    assert "已登记青山村救急难互助社" in box.status.text()
    qtbot.waitUntil(lambda: box.table.rowCount() == 1)
    assert [box.table.item(0, c).text() for c in range(4)] == [
        "村（社区）互助社", "341802100201", "青山村救急难互助社", made.fingerprint]


def test_a_file_that_is_not_a_card_is_said_in_chinese(qtbot, session, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    from jiujinan.ui.office_box import OfficeBox

    box = OfficeBox(session)
    qtbot.addWidget(box)
    box.set_admin(True)
    box.reload()
    qtbot.waitUntil(lambda: box.view is not None)
    assert "按本数据库的互助社视为村互助社" in box.office_label.text() and not box.setup_button.isHidden()
    (tmp_path / "x.jjncard").write_bytes(b"PK\x03\x04 not json")
    monkeypatch.setattr(box, "choose_card_to_open", lambda: str(tmp_path / "x.jjncard"))
    said = []
    monkeypatch.setattr("jiujinan.ui.office_box.show_error", lambda _parent, err: said.append(str(err)))
    box.trust_button.click()
    assert said and "不是有效的单位卡片" in said[0]
