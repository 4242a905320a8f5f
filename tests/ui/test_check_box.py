"""设置 → 数据检查 (clerk review of issue 15, finding 2): a clerk finds out in the GUI that rows
were edited outside the app; the check runs off the GUI thread, its findings are listed, and
the main window's red band points at the button. A user whose own record was edited is told
at sign-in."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from jiujinan.cases.users import Role
from jiujinan.db.engine import sqlite_path
from jiujinan.services import users
from jiujinan.ui.login_dialog import LoginDialog
from jiujinan.ui.main_window import MainWindow
from tests.ui.typing import type_text


def _tamper(session, sql: str) -> None:  # noqa: ANN001
    with sqlite3.connect(sqlite_path(session.ctx.url)) as conn:
        conn.execute(sql)
    conn.close()


def _run_check(qtbot, window):  # noqa: ANN001, ANN202
    box = window.settings_page.check_box
    with qtbot.waitSignal(window.ui.checked, timeout=60_000) as report:
        qtbot.mouseClick(box.button, Qt.MouseButton.LeftButton)
        assert box.button.text() == "正在检查…" and not box.button.isEnabled()  # the window goes on
    qtbot.waitUntil(lambda: box.dialog is not None and box.dialog.isVisible())
    assert box.button.text() == "检查数据" and box.button.isEnabled()
    return box, report.args[0]


def test_a_clean_database_checks_out_and_shows_no_band(qtbot, session) -> None:  # noqa: ANN001
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    box, report = _run_check(qtbot, window)
    assert report.ok
    assert "全部一致" in box.dialog.summary.text()
    assert not window.schema_warning.isVisible()


def test_rows_edited_outside_the_app_are_listed_and_the_band_points_at_the_button(qtbot, session) -> None:  # noqa: ANN001
    users.create_user(session.ctx, "李经办", frozenset({Role.CLERK}), "jingban-2026", "王会计")
    _tamper(session, "UPDATE ledger_entry SET amount_fen = 4000000 WHERE id = 1")
    _tamper(session, "UPDATE app_user SET roles = 'clerk,admin' WHERE name = '李经办'")
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    assert not window.schema_warning.isVisible()  # nothing known before the check
    box, _report = _run_check(qtbot, window)
    listed = [box.dialog.findings.item(i).text() for i in range(box.dialog.findings.count())]
    assert "台账第 1 条金额：审计记录 ¥20,000.00，数据库 ¥40,000.00（在程序之外被改动）" in listed
    assert "用户 李经办 的角色在程序之外被改动" in listed
    assert "发现 2 处问题" in box.dialog.summary.text()
    assert box.dialog.width() <= 1366 and box.dialog.height() <= 768
    band = window.schema_warning
    assert band.isVisible()
    assert "数据检查发现 2 处" in band.text() and "“设置 → 数据检查”中点“检查数据”" in band.text()
    assert "jiujinan check" not in band.text()
    assert "用户 李经办 的角色在程序之外被改动" in band.text()


def test_a_clerk_made_administrator_outside_the_app_is_told_at_sign_in(qtbot, session) -> None:  # noqa: ANN001
    users.create_user(session.ctx, "李经办", frozenset({Role.CLERK}), "jingban-2026", "王会计")
    _tamper(session, "UPDATE app_user SET roles = 'clerk,admin' WHERE name = '李经办'")
    dialog = LoginDialog(session.ops, lambda: session.ctx, remembered="李经办")
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.password, "jingban-2026")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.banner.text() == "你的用户记录在程序之外被改动（角色）：不能登录；请管理员运行检查并从备份恢复"
    assert dialog.result() != dialog.DialogCode.Accepted and not dialog.user
