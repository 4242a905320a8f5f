"""设置 → 备份与恢复: a clerk backs up, changes something, and restores the backup."""

from PySide6.QtCore import Qt

from jiujinan.services import backups, intake
from jiujinan.cases.listing import CaseListQuery
from jiujinan.services import case_list
from jiujinan.ui.backup_box import automatic_backup
from jiujinan.ui.main_window import MainWindow
from tests.conftest import application


def test_back_up_then_restore_from_settings(qtbot, session, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    window = MainWindow(session)
    qtbot.addWidget(window)
    box = window.settings_page.backup_box
    usb = tmp_path / "usb"
    monkeypatch.setattr(box, "choose_folder_dialog", lambda: str(usb))
    qtbot.mouseClick(box.folder_button, Qt.MouseButton.LeftButton)
    assert box.folder_label.text() == str(usb)
    qtbot.mouseClick(box.backup_button, Qt.MouseButton.LeftButton)
    assert box.existing.count() == 1 and "已备份到" in box.status.text()

    intake.register_application(session.ctx, session.society_id, application(), "王会计")  # after the backup
    assert case_list.count(session.ctx, CaseListQuery(session.society_id), "王会计") == 1
    asked = []
    monkeypatch.setattr(box, "confirm_restore", lambda label: asked.append(label) or True)
    qtbot.mouseClick(box.restore_button, Qt.MouseButton.LeftButton)
    assert asked and "已从备份恢复" in box.status.text()
    assert case_list.count(session.ctx, CaseListQuery(session.society_id), "王会计") == 0  # the app goes on, on the restored data
    aside = box.status.text().split("另存为 ")[1]
    assert aside.endswith(".db")
    import sqlite3
    with sqlite3.connect(session.ctx.url.removeprefix("sqlite:///")) as conn:
        assert conn.execute("SELECT user_name, action FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone() == (
            "王会计", "restore")
    from jiujinan.services.check import run_checks
    assert run_checks(session.ctx).ok


def test_a_refused_restore_changes_nothing(qtbot, session, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    window = MainWindow(session)
    qtbot.addWidget(window)
    box = window.settings_page.backup_box
    junk = tmp_path / "junk.db"
    junk.write_text("这不是数据库", encoding="utf-8")
    errors = []
    monkeypatch.setattr("jiujinan.ui.backup_box.show_error", lambda parent, err: errors.append(str(err)))
    monkeypatch.setattr(box, "choose_file_dialog", lambda: str(junk))
    monkeypatch.setattr(box, "confirm_restore", lambda label: (_ for _ in ()).throw(AssertionError("asked")))
    qtbot.mouseClick(box.restore_file_button, Qt.MouseButton.LeftButton)
    assert errors and "不是可用的数据库备份" in errors[0]


def test_automatic_backups_once_a_day_and_on_close(session, tmp_path) -> None:  # noqa: ANN001
    session.prefs.backup_folder = str(tmp_path / "auto")
    assert "已自动备份" in automatic_backup(session, "daily")
    assert automatic_backup(session, "daily") == ""  # not twice the same day
    assert "已自动备份" in automatic_backup(session, "close")
    assert len(backups.list_backups(session.ctx.url, tmp_path / "auto")) == 2
    (tmp_path / "blocked").write_text("a file where the folder should be")
    session.prefs.backup_folder = str(tmp_path / "blocked")
    assert automatic_backup(session, "close").startswith("自动备份未完成")


def test_a_server_database_is_not_backed_up_by_the_app(qtbot, qapp, pg_url, tmp_path, prefs) -> None:  # noqa: ANN001
    from jiujinan.cases.clock import FixedClock
    from jiujinan.services.context import open_context
    from jiujinan.ui.backup_box import BackupBox
    from jiujinan.ui.session import UiSession
    from tests.conftest import NOW

    ctx = open_context(pg_url, tmp_path, FixedClock(NOW))
    ui = UiSession(ctx, prefs, 0, "王会计")
    assert automatic_backup(ui, "close") == "" and automatic_backup(ui, "daily") == ""  # no warning at every close
    box = BackupBox(ui)
    qtbot.addWidget(box)
    assert "pg_dump" in box.status.text() and not box.backup_button.isEnabled()
    ctx.close()


def test_the_list_shows_the_automatic_backup_the_status_bar_reported(qtbot, session) -> None:  # noqa: ANN001
    window = MainWindow(session)  # as at start: the window is built, then the day's backup is made
    qtbot.addWidget(window)
    said = automatic_backup(session, "daily")
    assert said.startswith("已自动备份到 ")
    window.statusBar().showMessage(said)
    window.show()
    window.nav.setCurrentRow(5)  # 设置
    box = window.settings_page.backup_box
    made = said.removeprefix("已自动备份到 ")
    assert [box.existing.itemData(i) for i in range(box.existing.count())] == [made]
    assert "每日" in box.existing.itemText(0)


def _box(qtbot, session, monkeypatch):  # noqa: ANN001, ANN202
    """设置's backup box, with the error box and the confirmation replaced to record them."""
    window = MainWindow(session)
    qtbot.addWidget(window)
    box = window.settings_page.backup_box
    errors: list[str] = []
    monkeypatch.setattr("jiujinan.ui.backup_box.show_error", lambda parent, err: errors.append(str(err)))
    monkeypatch.setattr(box, "confirm_restore", lambda label: True)
    return box, errors


def test_a_clerk_who_is_not_an_administrator_is_told_and_nothing_is_restored(qtbot, session, tmp_path,
                                                                             monkeypatch) -> None:  # noqa: ANN001
    from jiujinan.cases.users import parse_roles
    from jiujinan.services import users
    from tests.conftest import PASSWORD

    users.create_user(session.ctx, "李经办", parse_roles("经办人"), PASSWORD, "王会计")
    made = backups.back_up_to(session.ctx, tmp_path / "one.db", "王会计")
    intake.register_application(session.ctx, session.society_id, application(), "王会计")  # after the backup
    session.user = "李经办"
    box, errors = _box(qtbot, session, monkeypatch)
    monkeypatch.setattr(box, "choose_file_dialog", lambda: str(made))
    qtbot.mouseClick(box.restore_file_button, Qt.MouseButton.LeftButton)
    assert errors == ["李经办（经办人）不能从备份恢复：需要管理员角色"]
    assert case_list.count(session.ctx, CaseListQuery(session.society_id), "王会计") == 1  # nothing undone


def test_a_backup_with_a_trigger_of_its_own_is_refused_before_asking(qtbot, session, tmp_path,
                                                                     monkeypatch) -> None:  # noqa: ANN001
    import sqlite3

    made = backups.back_up_to(session.ctx, tmp_path / "one.db", "王会计")
    with sqlite3.connect(made) as conn:
        conn.execute("CREATE TRIGGER skim_contribution AFTER INSERT ON ledger_entry BEGIN "
                     "UPDATE ledger_entry SET amount_fen = amount_fen - 100 WHERE id = new.id; END")
    conn.close()
    box, errors = _box(qtbot, session, monkeypatch)
    monkeypatch.setattr(box, "confirm_restore", lambda label: (_ for _ in ()).throw(AssertionError("asked")))
    monkeypatch.setattr(box, "choose_file_dialog", lambda: str(made))
    qtbot.mouseClick(box.restore_file_button, Qt.MouseButton.LeftButton)
    assert errors == ["备份中有程序不认识的触发器 skim_contribution：不能从它恢复"]


def test_the_main_window_warns_of_a_trigger_put_into_the_database_outside_the_app(qtbot, session, tmp_path,
                                                                                  monkeypatch) -> None:  # noqa: ANN001
    import sqlite3

    from jiujinan.db.engine import sqlite_path

    with sqlite3.connect(sqlite_path(session.ctx.url)) as conn:
        conn.execute("CREATE TRIGGER redirect_account AFTER INSERT ON aid_case BEGIN "
                     "UPDATE aid_case SET account_no = '6222020000000000666' WHERE id = new.id; END")
    conn.close()
    clean = MainWindow(session)  # built on the same database: the trigger is seen at once
    qtbot.addWidget(clean)
    clean.show()
    assert clean.schema_warning.isVisible()
    assert "数据库中有程序不认识的触发器 redirect_account" in clean.schema_warning.text()
    with sqlite3.connect(sqlite_path(session.ctx.url)) as conn:
        conn.execute("DROP TRIGGER redirect_account")
    conn.close()
    session.notify_changed()
    assert not clean.schema_warning.isVisible()
