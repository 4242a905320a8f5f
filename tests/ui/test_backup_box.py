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
