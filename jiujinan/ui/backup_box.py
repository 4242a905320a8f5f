"""备份与恢复 in 设置: where backups go, how many are kept, back up now, restore."""

from __future__ import annotations

from collections.abc import Callable

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QSpinBox,
    QWidget,
)

from jiujinan.cases.restore import BackupSummary, RestoreDeclined, restore_refusal
from jiujinan.services import backups, societies, users
from jiujinan.services.users import UserRecord
from jiujinan.ui.errors import show_error
from jiujinan.ui.login_dialog import LoginDialog, session_login
from jiujinan.services.context import AppContext
from jiujinan.ui.session import UiSession

log = logging.getLogger("jiujinan.backup")


def backup_folder(ui: UiSession) -> Path:
    """The folder the clerk chose, or the default one in the user data directory."""
    return Path(ui.prefs.backup_folder) if ui.prefs.backup_folder else backups.default_folder(ui.ctx.data_dir)


def automatic_backup(ui: UiSession, reason: str) -> str:
    """A backup made by the app itself (on closing, once a day); returns what to tell the
    clerk. A failure never stops the app: it is said, and logged."""
    return automatic_backup_job(ui, reason)()


def automatic_backup_job(ui: UiSession, reason: str) -> Callable[[], str]:
    """The same as a plain function for the operations' worker (the daily one runs there, so
    a large database's copy does not hold the window up): the settings are read here."""
    ctx, user, folder, keep = ui.ctx, ui.user, backup_folder(ui), ui.prefs.backup_keep
    return lambda: _automatic_backup(ctx, user, folder, keep, reason)


def _automatic_backup(ctx: AppContext, user: str, folder: Path, keep: int, reason: str) -> str:
    if not backups.applies(ctx.url):
        return ""  # a server database: its administrator backs it up (设置 says so)
    try:
        if reason == "daily" and not backups.daily_due(ctx, folder):
            return ""
        made = backups.back_up(ctx, folder, user, reason, keep)
    except Exception as err:  # noqa: BLE001
        log.warning("automatic backup (%s) failed: %s", reason, err)
        return backup_failed(err)
    return QCoreApplication.translate("backup", "已自动备份到 {0}").format(made)


def backup_failed(err: object) -> str:
    """What the clerk is told when an automatic backup failed (app.py warns on its start)."""
    return QCoreApplication.translate("backup", "自动备份未完成：{0}").format(err)


class BackupBox(QGroupBox):
    """Backups are made on closing the app and once a day by themselves; this box shows them
    and makes or restores one by hand."""

    def __init__(self, ui: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("备份与恢复"), parent)
        self.ui = ui
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_button = QPushButton(self.tr("选择文件夹…"))
        self.folder_button.clicked.connect(self.choose_folder)
        self.keep = QSpinBox()
        self.keep.setRange(1, 365)
        self.keep.setValue(ui.prefs.backup_keep)
        self.keep.setSuffix(self.tr(" 份"))
        self.keep.setMinimumWidth(90)
        self.keep.valueChanged.connect(self._keep_changed)
        self.backup_button = QPushButton(self.tr("立即备份"))
        self.backup_button.clicked.connect(self.back_up_now)
        self.existing = QComboBox()
        self.restore_button = QPushButton(self.tr("从所选备份恢复…"))
        self.restore_button.clicked.connect(self.restore_chosen)
        self.restore_file_button = QPushButton(self.tr("从其他文件恢复…"))
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.status = QLabel()
        self.status.setWordWrap(True)

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.folder_button)
        restore_row = QHBoxLayout()
        restore_row.addWidget(self.existing, 1)
        restore_row.addWidget(self.restore_button)
        restore_row.addWidget(self.restore_file_button)
        keep_row = QHBoxLayout()
        keep_row.addWidget(self.keep)
        keep_row.addStretch(1)
        keep_row.addWidget(self.backup_button)
        form = QFormLayout(self)
        form.addRow(self.tr("备份文件夹"), folder_row)
        form.addRow(self.tr("保留最近"), keep_row)
        form.addRow(self.tr("已有备份"), restore_row)
        form.addRow(self.status)
        form.addRow(QLabel(self.tr("关闭程序时和每天第一次打开时会自动备份。可选 U 盘上的文件夹。")))
        ui.user_changed.connect(lambda _user: self.reload())
        self.reload()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        """Read the folder again each time 设置 is shown: the app backs up by itself (once a
        day, just after the window opens), and the list shows those backups too."""
        super().showEvent(event)
        self.reload()

    def reload(self) -> None:
        folder = backup_folder(self.ui)
        self.folder_label.setText(str(folder))
        self.existing.clear()
        try:
            found = backups.list_backups(self.ui.ctx.url, folder)
        except Exception as err:  # noqa: BLE001 - e.g. a shared database: say why, keep the rest usable
            self.status.setText(str(err))
            for widget in (self.backup_button, self.restore_button, self.restore_file_button, self.folder_button):
                widget.setEnabled(False)
            return
        for item in found:
            self.existing.addItem(item.label, str(item.path))
        # Who may restore: the signed-in user's record, read on the worker (an unreadable
        # database leaves the buttons usable: restoring may be the way out, and restore checks).
        ctx, user = self.ui.ctx, self.ui.user
        self.ui.ops.query(self, lambda: users.get_user(ctx, user),
                          done=lambda record: self._may_restore(bool(found), user, record),
                          failed=lambda _err: self._may_restore(bool(found), user, None, unreadable=True))

    def _may_restore(self, found: bool, user: str, record: UserRecord | None, *, unreadable: bool = False) -> None:
        """Grey the restore buttons with why the user may not restore ("" when he may), so a
        经办人 is never asked to confirm what he cannot do (restore checks again)."""
        if unreadable:
            refusal = ""
        elif record is None:
            refusal = restore_refusal(False, frozenset(), "")
        else:
            refusal = restore_refusal(record.active, record.roles, record.area)
        tip = self.tr("{0}（当前用户：{1}）").format(refusal, user) if refusal else ""
        self.restore_button.setEnabled(found and not refusal)
        self.restore_file_button.setEnabled(not refusal)
        for button in (self.restore_button, self.restore_file_button):
            button.setToolTip(tip)

    def choose_folder_dialog(self) -> str:
        """Ask for a folder (tests replace this)."""
        return QFileDialog.getExistingDirectory(self, self.tr("选择备份文件夹"), str(backup_folder(self.ui)))

    def choose_file_dialog(self) -> str:
        """Ask for a backup file (tests replace this)."""
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择备份文件"), str(backup_folder(self.ui)),
                                              self.tr("数据库备份 (*.db);;所有文件 (*)"))
        return name

    def confirm_restore(self, label: str, summary: BackupSummary) -> bool:
        """Ask before replacing the data, showing what the backup holds (tests replace this)."""
        answer = QMessageBox.question(
            self, self.tr("从备份恢复"),
            self.tr("用备份“{0}”替换现在的全部数据？\n\n备份里有：\n{1}\n\n现在的数据库会先另存一份，恢复后仍可找回。")
            .format(label, "\n".join(summary.lines())))
        return answer == QMessageBox.StandardButton.Yes

    def confirm_other_societies(self, summary: BackupSummary) -> bool:
        """The second, explicit question when the backup holds other societies (tests replace this)."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("备份里是别的互助社"),
                          self.tr("{0}。\n\n这很可能是别的村或区里的数据库的备份。确定要用它替换本数据库的全部数据吗？")
                          .format(summary.other_societies_text()),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("仍然替换"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def login_dialog(self) -> LoginDialog:
        """Who signs in after a restore that left the user out (tests replace this)."""
        return session_login(self.ui.ops, self.ui.ctx, self)

    def choose_folder(self) -> None:
        chosen = self.choose_folder_dialog()
        if chosen:
            self.ui.prefs.backup_folder = chosen
            self.status.setText(self.tr("以后的备份将存到 {0}").format(chosen))
            self.reload()

    def _keep_changed(self, value: int) -> None:
        self.ui.prefs.backup_keep = value

    def back_up_now(self) -> None:
        """Back up off the GUI thread; the folder's list and what was made are shown after."""
        ctx, folder, user, keep = self.ui.ctx, backup_folder(self.ui), self.ui.user, self.keep.value()
        self.ui.ops.change(self, lambda: (backups.back_up(ctx, folder, user, "manual", keep), backups.tainted_note(ctx)),
                           done=self._backed_up, busy=self.tr("正在备份……"))

    def _backed_up(self, made_and_note: tuple[Path, str]) -> None:
        made, note = made_and_note
        self.reload()
        self.status.setText(self.tr("已备份到 {0}").format(made) + (f"\n{note}" if note else ""))

    def restore_chosen(self) -> None:
        path = self.existing.currentData()
        if path:
            self._restore(Path(path), self.existing.currentText())

    def restore_from_file(self) -> None:
        name = self.choose_file_dialog()
        if name:
            self._restore(Path(name), Path(name).name)

    def _restore(self, path: Path, label: str) -> None:
        """Restore after the backup has passed every check and the clerk has seen what it
        holds: off the GUI thread, with the questions asked on it."""
        ctx, user, ops = self.ui.ctx, self.ui.user, self.ui.ops

        def restore() -> tuple[Path | None, bool, list[int]]:
            aside = backups.restore_open(
                ctx, path, user, lambda summary: ops.on_main(lambda: self.confirm_restore(label, summary)),
                lambda summary: ops.on_main(lambda: self.confirm_other_societies(summary)))
            # The users and societies are the backup's now: is the person still one, and where to look.
            record = users.get_user(ctx, user)
            if record is None or not record.active:
                return aside, False, []
            return aside, True, [r.id for r in societies.list_societies(ctx, user)]

        self.ui.ops.change(self, restore, done=self._restored, failed=self._not_restored,
                           busy=self.tr("正在检查并恢复备份……"), look=False)

    def _not_restored(self, err: BaseException) -> None:
        if isinstance(err, RestoreDeclined):
            self.status.setText(str(err))
        else:
            show_error(self, err)

    def _restored(self, restored: tuple[Path | None, bool, list[int]]) -> None:
        aside, still_a_user, society_ids = restored
        done = self.tr("已从备份恢复。恢复前的数据库另存为 {0}").format(aside)
        self.status.setText(done)
        if not still_a_user:
            self._sign_in_again(done)
            return
        if society_ids and self.ui.society_id not in society_ids:
            self.ui.switch_society(society_ids[0])
        self.ui.database_replaced()
        self.ui.society_changed.emit(self.ui.society_id)
        self.reload()
        self.status.setText(done)

    def _sign_in_again(self, done: str) -> None:
        """After a restore the users are the backup's: one who is no longer an active user
        there is told once and signs in again (the screens would otherwise each refuse him
        in a box of its own); without a sign-in the window closes."""
        self.tell(self.tr("{0}\n\n恢复后的数据库里没有在用的用户“{1}”，请重新登录。").format(done, self.ui.user))
        dialog = self.login_dialog()
        if dialog.exec() and dialog.user:
            try:
                self.ui.switch_user(dialog.user, dialog.visible_societies())
            except Exception as err:  # noqa: BLE001 - nothing in the new user's area
                show_error(self, err)
            else:
                self.ui.database_replaced()
                self.reload()
                return
        self.window().close()

    def tell(self, text: str) -> None:
        """One message box (tests replace this)."""
        QMessageBox.information(self, self.tr("从备份恢复"), text)
