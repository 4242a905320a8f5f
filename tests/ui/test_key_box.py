"""设置 → 报送签名密钥 and the 接收 side: the clerk reads the fingerprint the monthly report prints,
hands the district the public key file, replaces the key; the district enrols it."""

from PySide6.QtCore import Qt

from jiujinan.services import keys
from jiujinan.ui.exchange_page import ExchangePage
from jiujinan.ui.main_window import MainWindow


def test_settings_show_the_fingerprint_and_export_the_key_file(qtbot, session, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    window = MainWindow(session)
    qtbot.addWidget(window)
    box = window.settings_page.key_box
    shown = box.fingerprint.text()
    assert shown == keys.fingerprint(session.ctx) and len(shown) == 19
    target = tmp_path / "签名公钥.pem"
    monkeypatch.setattr(box, "choose_file_dialog", lambda: str(target))
    qtbot.mouseClick(box.export_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert f"指纹 {shown}" in box.status.text()

    monkeypatch.setattr(box, "confirm_replace", lambda: True)
    assert not box.replace_button.isHidden()  # 王会计 is an administrator here
    qtbot.mouseClick(box.replace_button, Qt.MouseButton.LeftButton)
    assert box.fingerprint.text() != shown and f"原指纹 {shown}" in box.status.text()


def test_a_clerk_cannot_replace_the_key(qtbot, session, monkeypatch) -> None:  # noqa: ANN001
    from jiujinan.cases.users import Role
    from jiujinan.services import users
    from tests.conftest import add_staff_member

    add_staff_member(session.ctx, "李经办")
    users.set_roles(session.ctx, "李经办", frozenset({Role.CLERK}), "王会计")
    session.user = "李经办"
    window = MainWindow(session)
    qtbot.addWidget(window)
    box = window.settings_page.key_box
    window.settings_page.reload()
    assert box.replace_button.isHidden()
    shown = []
    monkeypatch.setattr("jiujinan.ui.ops.show_error", lambda parent, err: shown.append(str(err)))
    monkeypatch.setattr(box, "confirm_replace", lambda: True)
    box.replace_key()  # even if reached: the service refuses, in words
    assert shown and "更换或登记签名密钥：需要管理员角色" in shown[0]


def test_the_district_enrols_a_key_file_on_the_exchange_page(qtbot, session, tmp_path) -> None:  # noqa: ANN001
    page = ExchangePage(session)
    qtbot.addWidget(page)
    key_file = tmp_path / "village.pem"
    made = keys.export_public_key(session.ctx, key_file)
    page.ask_key_file = lambda: (str(key_file), "341802100299")
    asked = []
    page.confirm_fingerprint = lambda code, shown: asked.append((code, shown)) and False  # not read back
    qtbot.mouseClick(page.trust_button, Qt.MouseButton.LeftButton)
    assert asked == [("341802100299", made)] and "未登记：指纹未经核对" in page.log.toPlainText()
    page.confirm_fingerprint = lambda code, shown: True
    qtbot.mouseClick(page.trust_button, Qt.MouseButton.LeftButton)
    assert f"已为 341802100299 登记公钥，指纹 {made}" in page.log.toPlainText()
    bad = tmp_path / "bad.pem"
    bad.write_text("不是密钥")
    page.ask_key_file = lambda: (str(bad), "341802100299")
    qtbot.mouseClick(page.trust_button, Qt.MouseButton.LeftButton)
    assert "不是本程序导出的公钥文件" in page.log.toPlainText() and "程序出错" not in page.log.toPlainText()
