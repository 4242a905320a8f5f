"""设置 → 数据库 (this PC): the data file in the user's folder, or the office's PostgreSQL
server. The choice applies from the next start (the app offers to restart at once); the
password is never saved (asked at start, or PGPASSWORD / ~/.pgpass)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QProcess
from PySide6.QtWidgets import (
    QApplication, QButtonGroup, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
    QPushButton, QRadioButton, QVBoxLayout, QWidget,
)

from jiujinan.cases.errors import DomainError, FieldError, ValidationError
from jiujinan.services import users
from jiujinan.services.connection import (
    DEFAULT_PORT, ServerSetting, parse_port, saved_server, switch_database, try_server,
)
from jiujinan.services.context import AppContext, PasswordNeeded
from jiujinan.ui.errors import message_for, show_error
from jiujinan.ui.field_errors import ERROR_STYLE, FieldBox, check_by, ok_cancel
from jiujinan.ui.ops import Ops


class ServerPasswordDialog(QDialog):
    """Asks for the database server's password at start (again, saying so, after a wrong one)."""

    def __init__(self, label: str, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("连接数据库服务器"))
        wrong = "不对" in reason
        intro = QLabel(self.tr("密码不对，请重新输入。") if wrong else self.tr("本机使用单位的数据库服务器，请输入密码。"))
        if wrong:
            intro.setStyleSheet(ERROR_STYLE)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("服务器"), QLabel(label))
        form.addRow(self.tr("密码"), self.password)
        hint = QLabel(self.tr("密码只在本次运行中使用，不会保存在电脑上。"))
        buttons, _ok = ok_cancel(self, self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)


def ask_server_password(parent: QWidget | None, label: str, reason: str) -> str | None:
    """The server's password, typed by the person (None if they cancel)."""
    dialog = ServerPasswordDialog(label, reason, parent)
    return dialog.password.text() if dialog.exec() else None


class AdminPasswordDialog(QDialog):
    """An administrator of the database in use confirms a switch to another database."""

    def __init__(self, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("管理员确认"))
        self.name, self.password = QLineEdit(user), QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("管理员"), self.name)
        form.addRow(self.tr("密码"), self.password)
        buttons, _ok = ok_cancel(self, self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("改用另一个数据库须由本数据库的管理员确认。")))
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(400)
        self.password.setFocus()


class DatabaseBox(QGroupBox):
    def __init__(self, config_dir: Path, ctx: AppContext, user: str, parent: QWidget | None = None, *,
                 ops: Ops | None = None) -> None:
        """``ops``: the session's runner; connecting to a server and the switch run on it."""
        super().__init__(self.tr("数据库（本机使用哪个数据库，下次启动时生效）"), parent)
        self.config_dir, self.ctx, self.user = config_dir, ctx, user
        self.ops = ops or Ops(parent=self)
        # 测试连接 has a runner of its own: a server that does not answer holds up only the test,
        # not the case list or a case window reading on the session's runner meanwhile.
        self.probe = Ops(parent=self)
        self.current = QLabel(self.tr("正在使用：{0}").format(ctx.db_label))
        self.current.setWordWrap(True)
        self.use_file = QRadioButton(self.tr("本机数据文件（一台电脑单独使用）"))
        self.use_server = QRadioButton(self.tr("单位的 PostgreSQL 服务器（多人共用）"))
        group = QButtonGroup(self)
        group.addButton(self.use_file)
        group.addButton(self.use_server)
        self.host, self.port = QLineEdit(), QLineEdit()
        self.database, self.db_user = QLineEdit(), QLineEdit()
        self.host.setPlaceholderText("192.168.1.10")
        self.port.setPlaceholderText(str(DEFAULT_PORT))
        self.database.setPlaceholderText("jiujinan")
        self.db_user.setPlaceholderText(self.tr("服务器上的用户名"))
        self.boxes = {name: FieldBox(edit) for name, edit in
                      (("host", self.host), ("port", self.port), ("database", self.database), ("user", self.db_user))}
        check_by(self.boxes, lambda: self.checked()[1])  # a red line goes once its field is right
        self.server_form = QWidget()
        form = QFormLayout(self.server_form)
        form.setContentsMargins(24, 0, 0, 0)
        for name, label in (("host", QT_TRANSLATE_NOOP("DatabaseBox", "服务器地址")),
                            ("port", QT_TRANSLATE_NOOP("DatabaseBox", "端口")),
                            ("database", QT_TRANSLATE_NOOP("DatabaseBox", "数据库名")),
                            ("user", QT_TRANSLATE_NOOP("DatabaseBox", "用户名"))):
            form.addRow(self.tr(label), self.boxes[name])
        form.addRow("", QLabel(self.tr("密码不保存在本机：每次启动时输入（或由管理员设置 PGPASSWORD / .pgpass）")))
        self.test_button = QPushButton(self.tr("测试连接"))
        self.test_button.clicked.connect(self.test_connection)
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addWidget(self.save_button)
        row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addWidget(self.use_file)
        layout.addWidget(self.use_server)
        layout.addWidget(self.server_form)
        layout.addLayout(row)
        self.use_server.toggled.connect(self._server_chosen)
        self.load()

    def load(self) -> None:
        server = saved_server(self.config_dir)
        (self.use_server if server else self.use_file).setChecked(True)
        if server:
            self.host.setText(server.host)
            self.port.setText(str(server.port))
            self.database.setText(server.database)
            self.db_user.setText(server.user)
        self._server_chosen(bool(server))

    def _server_chosen(self, on: bool) -> None:
        self.server_form.setEnabled(on)
        self.test_button.setEnabled(on)

    def checked(self) -> tuple[ServerSetting, list[FieldError]]:
        """The server as typed and every field error, without showing anything."""
        errors: list[FieldError] = []
        try:
            port = parse_port(self.port.text())
        except ValidationError as err:
            errors, port = list(err.errors), DEFAULT_PORT
        setting = ServerSetting(self.host.text(), port, self.database.text() or "jiujinan", self.db_user.text())
        try:
            setting = setting.validated()
        except ValidationError as err:
            errors += err.errors
        return setting, errors

    def setting(self) -> ServerSetting:
        """The server as typed; errors go under their fields."""
        setting, errors = self.checked()
        for name, box in self.boxes.items():
            box.set_error(next((e.message for e in errors if e.field == name), None))
        if errors:
            raise ValidationError(errors)
        return setting

    def ask_password(self, label: str, reason: str) -> str | None:
        """Tests replace this."""
        return ask_server_password(self, label, reason)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)

    def test_connection(self) -> None:
        """Connect to the server typed, on the runner (a server that does not answer takes
        its time), asking for its password here when it wants one."""
        try:
            setting = self.setting()
        except ValidationError:
            return
        self._say(self.tr("正在连接……"))
        self.test_button.setEnabled(False)  # no busy cursor: everything else goes on meanwhile

        def tested(text: str, error: bool = False) -> None:
            self.test_button.setEnabled(self.use_server.isChecked())
            self._say(text, error)

        self.probe.query(self.test_button, lambda: self._try_server(setting), done=tested,
                         failed=lambda err: tested(message_for(err), True), busy=None, once=True)

    def _try_server(self, setting: ServerSetting) -> str:
        """On the runner: what the server says, again with a password while it wants one."""
        password = None
        while True:
            try:
                return try_server(setting, password)
            except PasswordNeeded as err:
                reason = str(err)
                password = self.probe.on_main(lambda: self.ask_password(setting.label, reason))
                if password is None:
                    raise DomainError(QCoreApplication.translate("DatabaseBox", "未测试：没有输入密码")) from None

    def save(self) -> None:
        """Keep the choice for the next start, once an administrator of the database in use
        has confirmed it (on the runner: his password is checked there)."""
        try:
            setting = self.setting() if self.use_server.isChecked() else None
        except ValidationError:
            return
        ctx, config_dir = self.ctx, self.config_dir
        self.ops.change(self, lambda: switch_database(ctx, config_dir, setting, self.admin_signs_in),
                        done=lambda _r: self._saved(setting), failed=self._not_saved)

    def _saved(self, setting: ServerSetting | None) -> None:
        where = setting.label if setting else self.tr("本机数据文件")
        self._say(self.tr("已保存：下次启动时使用 {0}").format(where))
        if self.ask_restart(where):
            self.restart()

    def _not_saved(self, err: BaseException) -> None:
        if isinstance(err, DomainError):  # no administrator, a wrong password, or the file could not be written
            self._say(message_for(err), error=True)
        elif isinstance(err, OSError):
            self._say(self.tr("未能保存设置：{0}").format(err.strerror or err), error=True)
        else:
            show_error(self, err)

    def admin_signs_in(self, ctx: AppContext) -> str:
        """On the runner: an administrator's name and password, asked for here and checked
        on the database in use (the switch then checks the role and area)."""
        answer = self.ops.on_main(self.ask_admin)
        if answer is None:
            raise DomainError(QCoreApplication.translate("DatabaseBox", "未改用：改用另一个数据库须由管理员输入密码确认"))
        users.login(ctx, *answer)
        return answer[0]

    def ask_admin(self) -> tuple[str, str] | None:
        """(name, password) typed by an administrator, None if cancelled (tests replace this)."""
        dialog = AdminPasswordDialog(self.user, self)
        return (dialog.name.text().strip(), dialog.password.text()) if dialog.exec() else None

    def ask_restart(self, where: str) -> bool:
        """Whether to restart now (tests replace this)."""
        answer = QMessageBox.question(self, self.tr("数据库"), self.tr("已保存。现在重新启动程序，改用 {0} 吗？").format(where))
        return answer == QMessageBox.StandardButton.Yes

    def restart(self) -> None:
        """Start the app again (it opens the database just chosen) and close this one; the
        closing backup and window position are saved as on any close."""
        if QProcess.startDetached(sys.executable, ["-m", "jiujinan"]):
            QApplication.closeAllWindows()
            QApplication.quit()
        else:
            self._say(self.tr("未能重新启动，请关闭程序后再打开"), error=True)
