"""The one check every changing operation makes, inside its own transaction: the user is
registered, active, holds a role that allows it (cases/users.py), and works on the society
concerned (cases/areas.py)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from jiujinan.cases.areas import require_area, require_whole
from jiujinan.cases.users import Permission, PermissionDenied, require
from jiujinan.db import societies, users
from jiujinan.db.users import UserRecord

WHOLE_DATABASE = "whole"  # ``society_id`` for settings every society shares


def authorize(session: Session, user: str, permission: Permission, society_id: int | str | None = None) -> UserRecord:
    """The user's record, or PermissionDenied naming what is missing. ``society_id``: the
    society the operation touches (its area must be the user's), or WHOLE_DATABASE."""
    record = users.get_user(session, user)
    if record is None or not record.active:
        raise PermissionDenied(f"“{user}”不是在用的登记用户，不能{permission.value}")
    require(user, record.roles, permission)
    if society_id == WHOLE_DATABASE:
        require_whole(user, record.area, permission.value)
    elif society_id is not None:
        _require_society(session, user, record.area, int(society_id))
    return record


def _require_society(session: Session, user: str, area: str, society_id: int) -> None:
    if area:
        society = societies.get_society(session, society_id)
        require_area(user, area, society.settings.area_code, society.settings.name)


def user_area(session: Session, user: str) -> str:
    """The area a user sees ("" = all); an unknown or stopped user sees nothing."""
    record = users.get_user(session, user)
    if record is None or not record.active:
        raise PermissionDenied(f"“{user}”不是在用的登记用户")
    return record.area


def check_sees(session: Session, user: str | None, society_id: int) -> None:
    """A read of one society's data by ``user`` (None: the database's operator, who holds
    its credentials and sees all)."""
    if user is not None:
        _require_society(session, user, user_area(session, user), society_id)


def bootstrapping(session: Session) -> bool:
    """No user yet: the first start is setting the app up."""
    return users.count_users(session) == 0
