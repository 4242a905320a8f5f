"""设置: the society's settings, another society, the operator, and the text size."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QInputDialog, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from jiujinan import paths
from jiujinan.cases.errors import ValidationError
from jiujinan.cases.society import SocietySettings
from jiujinan.cases.users import Role, roles_label
from jiujinan.services import review, societies, users
from jiujinan.services.users import UserRecord
from jiujinan.ui.backup_box import BackupBox
from jiujinan.ui.check_box import CheckBox
from jiujinan.ui.database_box import DatabaseBox
from jiujinan.ui.errors import show_error
from jiujinan.ui.field_errors import ERROR_STYLE
from jiujinan.ui.fonts import apply_text_size
from jiujinan.ui.key_box import KeyBox
from jiujinan.ui.login_dialog import LoginDialog, session_login
from jiujinan.ui.office_box import OfficeBox
from jiujinan.ui.prefs import TEXT_SIZES
from jiujinan.ui.session import UiSession
from jiujinan.ui.setup_dialog import SetupDialog
from jiujinan.ui.society_form import SocietyForm
from jiujinan.ui.users_box import UsersBox


class SettingsPage(QWidget):
    """Edits go through the society service and are written to the audit trail."""

    def __init__(self, ui: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.form = SocietyForm()
        self.save_button = QPushButton(self.tr("保存互助社设置"))
        self.save_button.clicked.connect(self.save_society)
        self.add_society_button = QPushButton(self.tr("新增互助社…"))
        self.add_society_button.clicked.connect(self.add_society)
        self.saved_label = QLabel()
        society_box = self.society_box = QGroupBox(self.tr("本互助社"))
        society_layout = QVBoxLayout(society_box)
        society_layout.addWidget(self.form)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.add_society_button)
        row.addWidget(self.saved_label, 1)
        society_layout.addLayout(row)

        self.text_size = QComboBox()
        for size in TEXT_SIZES:
            self.text_size.addItem(self.tr("{0} 磅").format(size), size)
        self.text_size.setCurrentIndex(max(0, self.text_size.findData(ui.prefs.text_size)))
        self.text_size.activated.connect(self._text_size_chosen)
        self.user_label = QLabel()
        self.switch_user_button = QPushButton(self.tr("切换用户…"))
        self.switch_user_button.clicked.connect(self.switch_user)
        self.password_button = QPushButton(self.tr("修改密码…"))
        self.password_button.clicked.connect(self.change_password)
        user_row = QHBoxLayout()
        user_row.addWidget(self.user_label, 1)
        for button in (self.switch_user_button, self.password_button):
            user_row.addWidget(button)
        self.users_box = UsersBox(ui)
        prefs_box = QGroupBox(self.tr("本机"))
        prefs = QFormLayout(prefs_box)
        prefs.addRow(self.tr("文字大小"), self.text_size)
        prefs.addRow(self.tr("当前用户"), user_row)

        self.calendar_edit = QPlainTextEdit()
        self.calendar_edit.setPlaceholderText(self.tr("每行一天：日期 休/班 名称，如\n2026-10-01 休 国庆节\n2026-10-10 班 国庆调休"))
        self.calendar_edit.setMinimumHeight(120)
        self.calendar_save = QPushButton(self.tr("保存节假日"))
        self.calendar_save.clicked.connect(self.save_calendar)
        self.calendar_status = QLabel()
        self.calendar_status.setWordWrap(True)
        calendar_box = QGroupBox(self.tr("节假日与调休（计算公示期和先行救助期限的工作日）"))
        calendar_layout = QVBoxLayout(calendar_box)
        calendar_layout.addWidget(self.calendar_edit)
        calendar_row = QHBoxLayout()
        calendar_row.addWidget(self.calendar_save)
        calendar_row.addWidget(self.calendar_status, 1)
        calendar_layout.addLayout(calendar_row)

        inner = QWidget()
        inner.setMaximumWidth(820)  # long rows of fields are hard to read on a wide screen
        layout = QVBoxLayout(inner)
        self.office_box = OfficeBox(ui)  # first: its fingerprint is read out over the phone
        layout.addWidget(self.office_box)
        layout.addWidget(prefs_box)
        layout.addWidget(self.users_box)
        self.check_box = CheckBox(ui)
        layout.addWidget(self.check_box)
        self.backup_box = BackupBox(ui)
        layout.addWidget(self.backup_box)
        self.database_box = DatabaseBox(paths.config_dir(), ui.ctx, ui.user, ops=ui.ops)
        layout.addWidget(self.database_box)
        self.key_box = KeyBox(ui)
        layout.addWidget(self.key_box)
        layout.addWidget(society_box)
        layout.addWidget(calendar_box)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        ui.society_changed.connect(lambda _id: self.reload())
        ui.changed.connect(lambda changes: changes.touches("society", "calendar") and self.reload())
        self.reload()

    def reload(self) -> None:
        """Read the society (a town's or district's office may have none), the user and the
        calendar off the GUI thread, then show them."""
        ctx, society_id, user = self.ui.ctx, self.ui.society_id, self.ui.user
        self.ui.ops.query(self, lambda: (
            societies.get_society(ctx, society_id).settings if society_id is not None else None,
            users.get_user(ctx, user), review.calendar_text(ctx)), done=self._show)

    def _show(self, read: tuple[SocietySettings | None, UserRecord | None, str]) -> None:
        settings, me, calendar = read
        self.society_box.setVisible(settings is not None)
        if settings is not None:
            self.form.set_settings(settings)
            self.form.show_errors([])
        self.saved_label.clear()
        roles = me.roles if me else frozenset()
        self.user_label.setText(f"{self.ui.user}（{roles_label(roles)}）")
        self.users_box.setVisible(Role.ADMIN in roles)
        self.key_box.replace_button.setVisible(Role.ADMIN in roles)
        self.key_box.reload()
        self.office_box.set_admin(Role.ADMIN in roles)
        self.office_box.reload()
        if Role.ADMIN in roles:
            self.users_box.reload()
        self.calendar_edit.setPlainText(calendar)
        self.calendar_status.clear()

    def save_calendar(self) -> None:
        ctx, text, user = self.ui.ctx, self.calendar_edit.toPlainText(), self.ui.user
        self.ui.ops.change(self, lambda: review.set_calendar(ctx, text, user),
                           done=self._calendar_saved, failed=self._calendar_refused)

    def _calendar_saved(self, count: int) -> None:
        self.calendar_status.setStyleSheet("")
        self.calendar_status.setText(self.tr("已保存 {0} 天").format(count))

    def _calendar_refused(self, err: BaseException) -> None:
        if not isinstance(err, ValidationError):
            show_error(self, err)
            return
        self.calendar_status.setStyleSheet(ERROR_STYLE)
        self.calendar_status.setText("；".join(e.message for e in err.errors))

    def save_society(self) -> None:
        try:
            settings = self.form.settings()
        except ValidationError as err:
            self._society_refused(err)
            return
        ctx, society_id, user = self.ui.ctx, self.ui.society_id, self.ui.user
        self.ui.ops.change(self, lambda: societies.update_society(ctx, society_id, settings, user),
                           done=lambda _r: self.saved_label.setText(self.tr("已保存")),
                           failed=self._society_refused)

    def _society_refused(self, err: BaseException) -> None:
        if not isinstance(err, ValidationError):
            show_error(self, err)
            return
        self.form.show_errors(err.errors)
        self.saved_label.setText(self.tr("未保存：请按红字修改"))

    def add_society(self) -> None:
        dialog = SetupDialog(self.ui.ops, self.ui.ctx, user=self.ui.user, parent=self)
        if dialog.exec() and dialog.record:  # saved as a change: the lists of societies take it
            self.ui.switch_society(dialog.record.id)

    def login_dialog(self) -> LoginDialog:
        """Who signs in (tests replace this): nobody is chosen in advance, not even the
        person signed in now."""
        return session_login(self.ui.ops, self.ui.ctx, self)

    def switch_user(self) -> None:
        dialog = self.login_dialog()
        if dialog.exec() and dialog.user:
            try:
                self.ui.switch_user(dialog.user, dialog.visible_societies())
            except Exception as err:  # noqa: BLE001 - nothing in the new user's area: said, nothing switched
                show_error(self, err)
                return
            self.reload()

    def ask_passwords(self) -> tuple[str, str, bool]:
        """The old and the new password (tests replace this)."""
        old, ok = QInputDialog.getText(self, self.tr("修改密码"), self.tr("原密码："), QLineEdit.EchoMode.Password)
        if not ok:
            return "", "", False
        new, ok = QInputDialog.getText(self, self.tr("修改密码"), self.tr("新密码（至少 8 位）："),
                                       QLineEdit.EchoMode.Password)
        return old, new, ok

    def change_password(self) -> None:
        old, new, ok = self.ask_passwords()
        if not ok:
            return
        ctx, user = self.ui.ctx, self.ui.user
        self.ui.ops.change(self, lambda: users.change_password(ctx, user, old, new),
                           done=lambda _r: self.saved_label.setText(self.tr("密码已修改")))

    def _text_size_chosen(self, _index: int) -> None:
        size = int(self.text_size.currentData())
        self.ui.prefs.text_size = size
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_text_size(app, size)
