"""设置 → 备份与恢复: a clerk backs up, changes something, and restores the backup."""

from PySide6.QtCore import Qt

from jiujinan.services.changes import EVERYTHING
from jiujinan.services import backups, intake, societies
from jiujinan.cases.listing import CaseListQuery
from jiujinan.services import case_list
from jiujinan.ui.backup_box import automatic_backup
from jiujinan.ui.main_window import MainWindow
from tests.conftest import NOW, application


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
    monkeypatch.setattr(box, "confirm_restore", lambda label, summary: asked.append((label, summary.lines())) or True)
    qtbot.mouseClick(box.restore_button, Qt.MouseButton.LeftButton)
    assert asked and "已从备份恢复" in box.status.text()
    assert asked[0][1][1:3] == ["案件：0 件", f"最后一次操作：{NOW.astimezone():%Y-%m-%d}"]
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
    monkeypatch.setattr(box, "confirm_restore", lambda label, summary: (_ for _ in ()).throw(AssertionError("asked")))
    qtbot.mouseClick(box.restore_file_button, Qt.MouseButton.LeftButton)
    assert errors == ["这不是可用的数据库备份：文件不是数据库，或已损坏"]  # no SQLite English


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
    monkeypatch.setattr(box, "confirm_restore", lambda label, summary: True)
    return box, errors


def test_a_clerk_who_is_not_an_administrator_cannot_start_a_restore(qtbot, session, tmp_path,
                                                                     monkeypatch) -> None:  # noqa: ANN001
    """Clerk review #17: a 经办人 was asked to confirm replacing all data, then refused."""
    from jiujinan.cases.users import parse_roles
    from jiujinan.services import users
    from tests.conftest import PASSWORD

    users.create_user(session.ctx, "李经办", parse_roles("经办人"), PASSWORD, "王会计")
    made = backups.back_up_to(session.ctx, tmp_path / "one.db", "王会计")
    intake.register_application(session.ctx, session.society_id, application(), "王会计")  # after the backup
    box, errors = _box(qtbot, session, monkeypatch)
    assert box.restore_file_button.isEnabled() and box.restore_file_button.toolTip() == ""
    session.switch_user("李经办")
    monkeypatch.setattr(box, "choose_file_dialog", lambda: str(made))
    for button in (box.restore_button, box.restore_file_button):
        assert not button.isEnabled()
        assert button.toolTip() == "需要管理员角色才能从备份恢复（当前用户：李经办）"
    qtbot.mouseClick(box.restore_file_button, Qt.MouseButton.LeftButton)
    assert errors == []
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
    monkeypatch.setattr(box, "confirm_restore", lambda label, summary: (_ for _ in ()).throw(AssertionError("asked")))
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
    session.changed.emit(EVERYTHING)  # a change: the window looks at the schema again
    assert not clean.schema_warning.isVisible()


def test_another_offices_backup_is_shown_refused_or_asked_about_twice(qtbot, session, tmp_path,
                                                                      monkeypatch) -> None:  # noqa: ANN001
    """Clerk review #1 in 设置: the district's backup is refused before any question (its
    administrators do not include the one restoring); another village's backup whose
    administrator has his name is shown, then asked about a second time, naming both."""
    from tests.attacks.test_restore import other_office

    box, errors = _box(qtbot, session, monkeypatch)
    district = other_office(tmp_path, "孙科长", "341802101202", "宣州区民政局互助社")
    asked: list[object] = []
    monkeypatch.setattr(box, "confirm_restore", lambda label, summary: asked.append(summary) or True)
    monkeypatch.setattr(box, "choose_file_dialog", lambda: str(district))
    qtbot.mouseClick(box.restore_file_button, Qt.MouseButton.LeftButton)
    assert errors == ["备份里没有管理员“王会计”（范围为全部）：恢复后你将无法登录管理，不能从它恢复。现有数据没有改动"]
    assert asked == []

    (tmp_path / "v").mkdir()
    village = other_office(tmp_path / "v", "王会计", "341802101202", "红星村救急难互助社")
    second: list[str] = []
    monkeypatch.setattr(box, "confirm_other_societies", lambda summary: second.append(summary.other_societies_text()))
    monkeypatch.setattr(box, "choose_file_dialog", lambda: str(village))
    qtbot.mouseClick(box.restore_file_button, Qt.MouseButton.LeftButton)
    assert asked[0].lines()[0] == "互助社：红星村救急难互助社（341802101202）"
    assert second == ["备份里的互助社是 红星村救急难互助社（341802101202），现在的数据库是 青山村救急难互助社（341802100201）"]
    assert box.status.text() == ("备份里的互助社是 红星村救急难互助社（341802101202），现在的数据库是 青山村救急难互助社"
                                 "（341802100201）：没有恢复，现有数据没有改动")
    assert [s.settings.area_code for s in societies.list_societies(session.ctx)] == ["341802100201"]

    monkeypatch.setattr(box, "confirm_other_societies", lambda summary: True)
    qtbot.mouseClick(box.restore_file_button, Qt.MouseButton.LeftButton)
    assert errors == errors[:1] and box.status.text().startswith("已从备份恢复")
    assert [s.settings.area_code for s in societies.list_societies(session.ctx)] == ["341802101202"]


def test_a_restore_that_signs_the_user_out_goes_to_the_sign_in_dialog(qtbot, session, tmp_path,
                                                                      monkeypatch) -> None:  # noqa: ANN001
    """Clerk review #1 (d): after the restore, one message and the sign-in dialog, not a box
    from every screen. (The restore itself refuses a backup without him; here he is stopped
    in the restored file, as a backup restored by another program could leave him.)"""
    from jiujinan.cases.users import parse_roles
    from jiujinan.services import users

    made = backups.back_up_to(session.ctx, tmp_path / "one.db", "王会计")
    box, errors = _box(qtbot, session, monkeypatch)
    restore_open = backups.restore_open

    def restore_then_stop(ctx, path, user, ask, ask_other):  # noqa: ANN001, ANN202
        aside = restore_open(ctx, path, user, ask, ask_other)
        users.set_roles(ctx, "王会计", parse_roles("管理员"), "李主任", active=False)
        return aside

    monkeypatch.setattr(backups, "restore_open", restore_then_stop)
    told: list[str] = []
    monkeypatch.setattr(box, "tell", told.append)

    class SignIn:
        user = "李主任"

        def exec(self) -> bool:  # noqa: A003
            return True

        def visible_societies(self) -> None:  # not read by the sign-in: the session reads them
            return None

    monkeypatch.setattr(box, "login_dialog", SignIn)
    monkeypatch.setattr(box, "choose_file_dialog", lambda: str(made))
    qtbot.mouseClick(box.restore_file_button, Qt.MouseButton.LeftButton)
    assert len(told) == 1 and told[0].endswith("恢复后的数据库里没有在用的用户“王会计”，请重新登录。")
    assert errors == [] and session.user == "李主任"
