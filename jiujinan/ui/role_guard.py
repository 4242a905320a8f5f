"""Buttons for what the signed-in user's roles do not allow are greyed out, with a tooltip
naming the role needed (the operation itself still checks, inside its transaction)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton

from shiboken6 import isValid

from jiujinan.cases.users import Permission, allows, roles_needed
from jiujinan.services import users
from jiujinan.services.users import UserRecord
from jiujinan.ui.session import UiSession


def guard(ui: UiSession, permission: Permission, buttons: list[QAbstractButton], *, follow_user: bool = True) -> None:
    """Enable ``buttons`` only for users whose roles allow ``permission`` (one look at the
    user for all of them, off the GUI thread); again whenever another user signs in
    (``follow_user``) or the users change. An unreadable database leaves them usable:
    pressing one gives the reason."""
    def show(user: str, record: UserRecord | None) -> None:
        allowed = record is not None and record.active and allows(record.roles, permission)
        tip = "" if allowed else QCoreApplication.translate("role_guard", "需要{0}角色（当前用户：{1}）").format(
            roles_needed(permission), user)
        for button in buttons:
            if isValid(button):
                button.setEnabled(allowed)
                button.setToolTip(tip)

    def apply(*_args: object) -> None:
        ctx, user = ui.ctx, ui.user
        ui.ops.query(None, lambda: users.get_user(ctx, user), done=lambda record: show(user, record),
                     failed=lambda _err: None)

    apply()
    if follow_user:
        ui.user_changed.connect(apply)
        ui.changed.connect(lambda changes: changes.touches("user") and apply())
