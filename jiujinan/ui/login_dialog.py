"""Signing in: the first start sets up the administrator; later starts (and 切换用户) ask for
a user and password; a user without a password yet chooses one.

The dialog is the app's first window: it shows at once, and the database is opened and its
users read on the runner behind it (the database layer alone takes longer to load than Qt).
Signing in runs there too: the password's hash is slow on purpose, and the sign-in is
recorded, which waits when another program writes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from jiujinan.cases.users import LoginRefused, PasswordNotSet, UsersDeleted
from jiujinan.ui.errors import message_for
from jiujinan.ui.field_errors import error_banner, ok_cancel
from jiujinan.ui.ops import Ops
from jiujinan.ui.probe import mark_reading

if TYPE_CHECKING:
    from jiujinan.cases.offices import Office
    from jiujinan.cases.society import SocietyRecord
    from jiujinan.services.context import AppContext


def password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


@dataclass(frozen=True)
class _Opened:
    """What the dialog needs from the database before anyone can sign in."""

    ctx: AppContext
    first_admin: bool
    refused: str  # why nobody may sign in (users deleted outside the program), or ""
    names: list[str]


@dataclass(frozen=True)
class SignedIn:
    """Who signed in, and the societies in their area (empty: none, or none at all yet)."""

    user: str
    societies: list[SocietyRecord]
    any_society: bool  # whether the database has a society at all (else: the first start)
    office: Office | None = None  # the office set up (or derived from the societies); None: not yet


def _read_users(ctx: AppContext | None) -> _Opened | None:
    """On the runner: whether the first administrator is still to be set up, and who may sign in."""
    from jiujinan.services import users

    if ctx is None:
        return None
    try:
        first_admin, refused = users.needs_first_admin(ctx), ""
    except UsersDeleted as err:  # deleted outside the program: no new administrator, no sign-in
        first_admin, refused = False, str(err)
    return _Opened(ctx, first_admin, refused, [] if first_admin or refused else users.sign_in_names(ctx))


def _signed_in(ctx: AppContext, user: str) -> SignedIn:
    from jiujinan.services import offices, societies

    records = societies.list_societies(ctx, user)
    return SignedIn(user, records, bool(records) or bool(societies.list_societies(ctx)), offices.current_office(ctx))


class LoginDialog(QDialog):
    """After ``exec()`` succeeds, ``user`` is the signed-in user's name and ``signed_in`` says
    which societies they may work on. ``opening`` runs on ``ops`` and gives the database (None:
    the person cancelled, e.g. a server's password prompt); ``ctx`` is it, once open."""

    def __init__(self, ops: Ops, opening: Callable[[], AppContext | None], *, remembered: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.ctx: AppContext | None = None
        self.user = ""
        self.signed_in: SignedIn | None = None
        self.open_failed: BaseException | None = None  # the database could not be opened
        self.first_admin = False
        self.choosing_password = False  # a user without a password yet chooses one
        self.remembered = remembered
        self.setWindowTitle(self.tr("登录"))
        self.intro = QLabel(self.tr("正在打开数据库……"))
        self.intro.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("您的姓名，将记录在每一步操作上"))
        self.name_combo = QComboBox()
        self.password = password_edit()
        self.new_password = password_edit(self.tr("至少 8 位"))
        self.confirm = password_edit(self.tr("再输一次"))
        self.new_label = QLabel(self.tr("设置密码"))
        self.confirm_label = QLabel(self.tr("确认密码"))
        self.banner = error_banner()
        self.form = QFormLayout()
        self.form.addRow(self.tr("姓名"), self.name_edit)
        self.form.addRow(self.tr("用户"), self.name_combo)
        self.form.addRow(self.tr("密码"), self.password)
        self.form.addRow(self.new_label, self.new_password)
        self.form.addRow(self.confirm_label, self.confirm)
        # While the database opens: the sign-in's rows, not yet usable, so the dialog keeps its size.
        self._show_rows(self.name_combo, self.password)
        self.name_combo.setPlaceholderText(self.tr("正在读取……"))
        self.name_combo.setEnabled(False)
        self.password.setEnabled(False)
        buttons, self.ok_button = ok_cancel(self, self.sign_in)
        self.ok_button.setText(self.tr("登录"))
        self.ok_button.setEnabled(False)  # until the names are read
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        # After many wrong tries the next one must wait (cases/users.py): the button says so
        # and counts down, instead of taking tries the app would not hear.
        self.wait_left = 0
        self.wait_timer = QTimer(self)
        self.wait_timer.setInterval(1000)
        self.wait_timer.timeout.connect(self._tick)
        mark_reading(self, True)
        ops.query(self, lambda: _read_users(opening()), done=self._opened, failed=self._could_not_open,
                  busy=self.tr("正在打开数据库……"))

    # --- the database, read behind the dialog ---------------------------------------------

    def _opened(self, opened: _Opened | None) -> None:
        mark_reading(self, False)
        if opened is None:  # the person cancelled (a server's password was not given)
            self.reject()
            return
        self.ctx, self.first_admin = opened.ctx, opened.first_admin
        self.name_combo.setEnabled(True)
        self.password.setEnabled(True)
        if self.first_admin:
            self.setWindowTitle(self.tr("首次使用：设立管理员"))
            self.intro.setText(self.tr("第一位用户是管理员，可以再添加其他用户并分配角色。请记住密码。"))
            self._show_rows(self.name_edit, self.new_password, self.confirm)
            self.new_label.setText(self.tr("密码"))
            self.ok_button.setText(self.tr("确定"))
            self.name_edit.setFocus()
        else:
            self.intro.setText(self.tr("请选择您的名字并输入密码。"))
            self.name_combo.addItems(opened.names)
            self.name_combo.setPlaceholderText(self.tr("请选择"))
            # The last user on this PC at start; nobody when switching (切换用户 passes ""),
            # so the next person picks their own name instead of typing a password for the last.
            known = self.remembered in opened.names
            self.name_combo.setCurrentIndex(opened.names.index(self.remembered) if known else -1)
            (self.password if known else self.name_combo).setFocus()
        self.ok_button.setEnabled(not opened.refused)
        if opened.refused:  # only 取消: the clerk restores from a backup (or calls whoever can)
            self._say(opened.refused)

    def _could_not_open(self, err: BaseException) -> None:
        """The database did not open (or its users could not be read): the dialog ends, as
        there is nobody to sign in (``open_failed`` says why); a session's own database is said
        in the banner."""
        mark_reading(self, False)
        if self.ctx is not None or self.parent() is not None:
            self._say(message_for(err))
            return
        self.open_failed = err  # said by whoever started the dialog (ui/app.py), with the way back
        self.reject()

    # --- signing in ------------------------------------------------------------------------

    def _show_rows(self, *fields: QWidget) -> None:
        """Show the rows of these fields, and hide the others."""
        for field in (self.name_edit, self.name_combo, self.password, self.new_password, self.confirm):
            self.form.setRowVisible(field, field in fields)

    def _show_new_password(self, shown: bool) -> None:
        self.choosing_password = shown
        self._show_rows(self.name_combo, *((self.new_password, self.confirm) if shown else (self.password,)))

    def _say(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def _new_password(self) -> str | None:
        if self.new_password.text() != self.confirm.text():
            self._say(self.tr("两次输入的密码不一样"))
            return None
        return self.new_password.text()

    def sign_in(self) -> None:
        """Check what can be checked here, then sign in on the runner."""
        if self.ctx is None:
            return
        work = self._sign_in_work()
        if work is not None:
            ctx = self.ctx
            # Only the button waits (once): 取消 stays usable while a slow server answers.
            self.ops.query(self.ok_button, lambda: _signed_in(ctx, work()), done=self._done, failed=self._refused,
                           busy=self.tr("正在登录……"), once=True)

    def _sign_in_work(self) -> Callable[[], str] | None:
        """The sign-in to run (it gives the user's name), or None when the typing is not right."""
        from jiujinan.cases.users import Role
        from jiujinan.services import users

        ctx = self.ctx
        if self.first_admin:
            password, name = self._new_password(), self.name_edit.text()
            return None if password is None else lambda: users.create_user(ctx, name, frozenset(Role), password, "")
        if self.choosing_password:
            password, name = self._new_password(), self.name_combo.currentText()
            return None if password is None else lambda: users.set_first_password(ctx, name, password).name
        if self.name_combo.currentIndex() < 0:
            self._say(self.tr("请先选择您的名字"))
            self.name_combo.setFocus()
            return None
        name, password = self.name_combo.currentText(), self.password.text()
        return lambda: users.login(ctx, name, password).name

    def _done(self, signed_in: SignedIn) -> None:
        self.signed_in, self.user = signed_in, signed_in.user
        self.accept()

    def visible_societies(self) -> list[int] | None:
        """The ids of the societies the signed-in user may work on (None before signing in)."""
        return None if self.signed_in is None else [r.id for r in self.signed_in.societies]

    def _refused(self, err: BaseException) -> None:
        if isinstance(err, PasswordNotSet):
            self.intro.setText(self.tr("这是您第一次用密码登录：请设置密码（至少 8 位），以后用它登录。"))
            self._show_new_password(True)
            self.new_password.setFocus()
            return
        self._say(message_for(err))
        self.password.clear()
        if isinstance(err, LoginRefused):
            self._wait(err.seconds)

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
        if self.wait_timer.isActive():  # the wait is over: its «请 N 秒后再试» no longer holds
            self.wait_timer.stop()
            self.banner.hide()
        self.ok_button.setEnabled(True)
        self.ok_button.setText(self.tr("登录"))


def session_login(ops: Ops, ctx: AppContext, parent: QWidget) -> LoginDialog:
    """The sign-in dialog of a running session (切换用户, after a restore): nobody is chosen in
    advance, not even the person signed in now."""
    return LoginDialog(ops, lambda: ctx, remembered="", parent=parent)

