"""设置 → 数据库, driven as a clerk would, and the password prompt at start."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from jiujinan import paths
from jiujinan.services.connection import saved_server
from jiujinan.ui.app import open_database
from jiujinan.ui.main_window import MainWindow
from tests.conftest import PASSWORD
from tests.ui.typing import type_text


def test_a_clerk_chooses_the_office_server(qtbot, session) -> None:  # noqa: ANN001
    window = MainWindow(session)
    qtbot.addWidget(window)
    box = window.settings_page.database_box
    assert box.use_file.isChecked() and not box.server_form.isEnabled() and "test.db" in box.current.text()
    box.use_server.click()  # as a mouse click on the radio button does
    assert box.server_form.isEnabled()
    type_text(qtbot, box.host, "192.168.1.10")
    type_text(qtbot, box.port, "54x")
    box.ask_restart = lambda where: pytest.fail("offered a restart for a wrong setting")
    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    assert "端口应为数字" in box.boxes["port"].error.text() and "用户名" in box.boxes["user"].error.text()
    assert saved_server(paths.config_dir()) is None  # nothing saved while a field is wrong
    box.port.clear()
    type_text(qtbot, box.port, "5433")
    assert box.boxes["port"].error.isHidden() and not box.boxes["user"].error.isHidden()  # each goes once right
    type_text(qtbot, box.db_user, "wanghuiji")
    assert box.boxes["user"].error.isHidden()
    asked, restarted = [], []
    box.ask_admin = lambda: ("王会计", PASSWORD)  # the database has users: an administrator confirms
    box.ask_restart = lambda where: asked.append(where) or True
    box.restart = lambda: restarted.append(True)
    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    assert asked == ["wanghuiji@192.168.1.10:5433/jiujinan"] and restarted == [True]  # offered, and taken
    assert box.boxes["port"].error.isHidden() and "下次启动时使用 wanghuiji@192.168.1.10:5433/jiujinan" in box.status.text()
    assert saved_server(paths.config_dir()).port == 5433
    box.use_file.click()
    box.ask_restart = lambda where: False  # later, then
    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    assert "下次启动时使用 本机数据文件" in box.status.text()
    assert saved_server(paths.config_dir()) is None


def test_testing_the_connection_asks_for_the_password(qtbot, session, pg_password_server) -> None:  # noqa: ANN001
    setting, password = pg_password_server
    window = MainWindow(session)
    qtbot.addWidget(window)
    box = window.settings_page.database_box
    box.use_server.setChecked(True)
    for edit, value in ((box.host, setting.host), (box.port, str(setting.port)), (box.database, setting.database),
                        (box.db_user, setting.user)):
        type_text(qtbot, edit, value)
    asked = iter(["wrong-one", password])
    box.ask_password = lambda label, reason: next(asked)
    qtbot.mouseClick(box.test_button, Qt.MouseButton.LeftButton)
    assert box.status.text().startswith("连接成功") and "还是空的" in box.status.text()
    box.ask_password = lambda label, reason: None
    qtbot.mouseClick(box.test_button, Qt.MouseButton.LeftButton)
    assert box.status.text() == "未测试：没有输入密码"


def test_the_app_asks_for_the_server_password_at_start(qapp, pg_password_server) -> None:  # noqa: ANN001
    setting, password = pg_password_server
    reasons = []

    def ask(parent, label, reason):  # noqa: ANN001, ANN202
        reasons.append(reason)
        return "wrong-one" if len(reasons) == 1 else password

    ctx = open_database(setting.url(), ask)
    assert ctx is not None and password not in ctx.db_label
    ctx.close()
    assert "服务器要求密码" in reasons[0] and "用户名或密码不对" in reasons[1]
    assert open_database(setting.url(), lambda *a: None) is None  # cancelled: the app ends quietly


def test_opening_the_local_file_never_asks(qapp, monkeypatch) -> None:  # noqa: ANN001
    ctx = open_database(None, lambda *a: pytest.fail("asked for a password"))
    assert ctx is not None and ctx.db_label.endswith("jiujinan.db")
    ctx.close()


def test_the_password_dialog_says_when_the_last_one_was_wrong(qtbot) -> None:  # noqa: ANN001
    from jiujinan.ui.database_box import ServerPasswordDialog

    first = ServerPasswordDialog("clerk@db:5432/jiujinan", "无法打开数据库 …：服务器要求密码")
    again = ServerPasswordDialog("clerk@db:5432/jiujinan", "无法打开数据库 …：数据库用户名或密码不对")
    for dialog in (first, again):
        qtbot.addWidget(dialog)
    texts = lambda d: " ".join(label.text() for label in d.findChildren(QLabel))  # noqa: E731
    assert "请输入密码" in texts(first) and "不对" not in texts(first)
    assert "密码不对，请重新输入" in texts(again) and "clerk@db:5432/jiujinan" in texts(again)
    type_text(qtbot, again.password, "Fuwuqi-2026")
    assert again.password.echoMode() == QLineEdit.EchoMode.Password and again.password.text() == "Fuwuqi-2026"
