"""Buttons for what the signed-in user's roles do not allow are greyed out, with a tooltip
naming the role needed (the operation itself still checks, inside its transaction)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton

from jiujinan.cases.users import Permission, allows, roles_needed
from jiujinan.services import users
from jiujinan.ui.session import UiSession


def may(ui: UiSession, permission: Permission) -> bool:
    """Whether the signed-in user's roles allow ``permission`` (an unreadable database: yes,
    and the operation says what is wrong)."""
    try:
        record = users.get_user(ui.ctx, ui.user)
    except Exception:  # noqa: BLE001 - the button stays usable; pressing it gives the reason
        return True
    return record is not None and record.active and allows(record.roles, permission)


def guard(ui: UiSession, permission: Permission, buttons: list[QAbstractButton], *, follow_user: bool = True) -> None:
    """Enable ``buttons`` only for users whose roles allow ``permission`` (one look at the
    user for all of them); again whenever another user signs in (``follow_user``)."""
    def apply(*_args: object) -> None:
        allowed = may(ui, permission)
        tip = "" if allowed else f"需要{roles_needed(permission)}角色（当前用户：{ui.user}）"
        for button in buttons:
            button.setEnabled(allowed)
            button.setToolTip(tip)

    apply()
    if follow_user:
        ui.user_changed.connect(apply)
