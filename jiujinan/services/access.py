"""The one check every changing operation makes, inside its own transaction: the user is
registered, active, and holds a role that allows it (cases/users.py)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from jiujinan.cases.users import Permission, PermissionDenied, require
from jiujinan.db import users
from jiujinan.db.users import UserRecord


def authorize(session: Session, user: str, permission: Permission) -> UserRecord:
    record = users.get_user(session, user)
    if record is None or not record.active:
        raise PermissionDenied(f"“{user}”不是在用的登记用户，不能{permission.value}")
    require(user, record.roles, permission)
    return record


def bootstrapping(session: Session) -> bool:
    """No user yet: the first start is setting the app up."""
    return users.count_users(session) == 0
