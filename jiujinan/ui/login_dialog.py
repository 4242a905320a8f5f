"""Signing in: the first start sets up the administrator; later starts (and 切换用户) ask for
a user and password; a user without a password yet chooses one."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from jiujinan.cases.users import LoginRefused, Role, UsersDeleted
from jiujinan.services import users
from jiujinan.services.context import AppContext
from jiujinan.ui.area_combo import AreaCombo
from jiujinan.ui.errors import message_for
from jiujinan.ui.field_errors import error_banner, ok_cancel


def _password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


class LoginDialog(QDialog):
    """After ``exec()`` succeeds, ``user`` is the signed-in user's name."""

    def __init__(self, ctx: AppContext, *, remembered: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user = ""
        try:
            self.first_admin, self.refused = users.needs_first_admin(ctx), ""
        except UsersDeleted as err:  # deleted outside the program: no new administrator, no sign-in
            self.first_admin, self.refused = False, str(err)
        self.setWindowTitle(self.tr("首次使用：设立管理员") if self.first_admin else self.tr("登录"))
        self.intro = QLabel(self.tr("第一位用户是管理员，可以再添加其他用户并分配角色。请记住密码。")
                            if self.first_admin else self.tr("请选择您的名字并输入密码。"))
        self.intro.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("您的姓名，将记录在每一步操作上"))
        self.name_combo = QComboBox()
        self.password = _password_edit()
        self.new_password = _password_edit(self.tr("至少 8 位"))
        self.confirm = _password_edit(self.tr("再输一次"))
        self.banner = error_banner()
        form = QFormLayout()
        if self.first_admin:
            form.addRow(self.tr("姓名"), self.name_edit)
            form.addRow(self.tr("密码"), self.new_password)
            form.addRow(self.tr("确认密码"), self.confirm)
        else:
            names = users.sign_in_names(ctx)
            self.name_combo.addItems(names)
            self.name_combo.setPlaceholderText(self.tr("请选择"))
            # The last user on this PC at start; nobody when switching (切换用户 passes ""),
            # so the next person picks their own name instead of typing a password for the last.
            self.name_combo.setCurrentIndex(names.index(remembered) if remembered in names else -1)
            form.addRow(self.tr("用户"), self.name_combo)
            form.addRow(self.tr("密码"), self.password)
            self.new_label = QLabel(self.tr("设置密码"))
            form.addRow(self.new_label, self.new_password)
            self.confirm_label = QLabel(self.tr("确认密码"))
            form.addRow(self.confirm_label, self.confirm)
            self._show_new_password(False)
        buttons, self.ok_button = ok_cancel(self, self.sign_in)
        self.ok_button.setText(self.tr("确定") if self.first_admin else self.tr("登录"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        # After many wrong tries the next one must wait (cases/users.py): the button says so
        # and counts down, instead of taking tries the app would not hear.
        self.wait_left = 0
        self.wait_timer = QTimer(self)
        self.wait_timer.setInterval(1000)
        self.wait_timer.timeout.connect(self._tick)
        if self.refused:  # only 取消: the clerk restores from a backup (or calls whoever can)
            self._say(self.refused)
            self.ok_button.setEnabled(False)
        if self.first_admin:
            self.name_edit.setFocus()
        else:
            (self.password if self.name_combo.currentIndex() >= 0 else self.name_combo).setFocus()

    def _show_new_password(self, shown: bool) -> None:
        for widget in (self.new_label, self.new_password, self.confirm_label, self.confirm):
            widget.setVisible(shown)

    def _say(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def _new_password(self) -> str | None:
        if self.new_password.text() != self.confirm.text():
            self._say(self.tr("两次输入的密码不一样"))
            return None
        return self.new_password.text()

    def sign_in(self) -> None:
        try:
            if self.first_admin:
                password = self._new_password()
                if password is None:
                    return
                self.user = users.create_user(self.ctx, self.name_edit.text(), frozenset(Role), password, "")
            elif self.new_password.isVisible():
                password = self._new_password()
                if password is None:
                    return
                self.user = users.set_first_password(self.ctx, self.name_combo.currentText(), password).name
            elif self.name_combo.currentIndex() < 0:
                self._say(self.tr("请先选择您的名字"))
                self.name_combo.setFocus()
                return
            else:
                self.user = users.login(self.ctx, self.name_combo.currentText(), self.password.text()).name
        except users.PasswordNotSet:
            self.intro.setText(self.tr("这是您第一次用密码登录：请设置密码（至少 8 位），以后用它登录。"))
            self._show_new_password(True)
            self.new_password.setFocus()
            return
        except LoginRefused as err:
            self._say(str(err))
            self.password.clear()
            self._wait(err.seconds)
            return
        except Exception as err:  # noqa: BLE001 - a rule, the database: said
            self._say(message_for(err))
            self.password.clear()
            return
        self.accept()

    def _wait(self, seconds: int) -> None:
        self.wait_left = seconds
        if seconds > 0:
            self.ok_button.setEnabled(False)
            self.wait_timer.start()
        self._show_wait()

    def _tick(self) -> None:
        self.wait_left -= 1
        self._show_wait()

    def _show_wait(self) -> None:
        if self.wait_left > 0:
            self.ok_button.setText(self.tr("请 {0} 秒后再试").format(self.wait_left))
            return
        self.wait_timer.stop()
        self.ok_button.setEnabled(True)
        self.ok_button.setText(self.tr("登录"))


class NewUserDialog(QDialog):
    """An administrator adds a user: name, roles, first password."""

    def __init__(self, ctx: AppContext, admin: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.admin, self.created = ctx, admin, ""
        self.setWindowTitle(self.tr("新增用户"))
        self.name_edit = QLineEdit()
        self.role_boxes = {role: QCheckBox(role.label) for role in Role}
        self.role_boxes[Role.CLERK].setChecked(True)
        self.password = _password_edit(self.tr("至少 8 位；告诉本人，请其登录后修改"))
        self.area = AreaCombo(ctx, admin)
        self.banner = error_banner()
        form = QFormLayout()
        form.addRow(self.tr("姓名"), self.name_edit)
        roles_row = QVBoxLayout()
        for box in self.role_boxes.values():
            roles_row.addWidget(box)
        form.addRow(self.tr("角色"), roles_row)
        form.addRow(self.tr("工作范围"), self.area)
        form.addRow(self.tr("初始密码"), self.password)
        buttons, _ok = ok_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def save(self) -> None:
        roles = frozenset(r for r, box in self.role_boxes.items() if box.isChecked())
        try:
            self.created = users.create_user(self.ctx, self.name_edit.text(), roles, self.password.text(), self.admin,
                                             self.area.area())
        except Exception as err:  # noqa: BLE001 - a rule broken, a name taken: said in the dialog
            self.banner.setText(message_for(err))
            self.banner.show()
            return
        self.accept()
