"""The door every operation goes through, inside its own transaction: the user is
registered, active, holds a role that allows it (cases/users.py), and works on the society
concerned (cases/areas.py). Writes call ``authorize``; reads of personal data ``reader``,
``check_sees`` or ``check_reads`` (one rule for who may read, in ``reader``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from jiujinan.cases.areas import area_label, require_area, require_whole
from jiujinan.cases.users import (
    ALL_ROLES, USERS_DELETED, Permission, PermissionDenied, Role, UsersDeleted, require,
)
from jiujinan.db import packets, societies, users
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
        if permission in OWNERS_ONLY and packets.owner_elsewhere(session, int(society_id)):
            society = societies.get_society(session, int(society_id)).settings
            raise PermissionDenied(f"{society.name}的案件由其本社登记和办理，资金由其本社管理（本单位凭数据包审核），"
                                   f"不能在本单位{permission.value}")
    return record


# What only the office that owns a society does: at a town or district its cases come by packet
# and it adds its own level's opinion, nothing else.
OWNERS_ONLY = frozenset({Permission.INTAKE, Permission.MONEY, Permission.MONTH_CLOSE, Permission.WITHDRAW,
                         Permission.SETTINGS})


def _require_society(session: Session, user: str, area: str, society_id: int) -> None:
    if area:
        society = societies.get_society(session, society_id)
        require_area(user, area, society.settings.area_code, society.settings.name)


@dataclass(frozen=True)
class Reader:
    """Who reads, as the door sees them: a name, the roles that decide what is shown in full
    (cases/disclosure.py), and the area of the societies they see ("" = all)."""

    name: str
    roles: frozenset[Role]
    area: str


def reader(session: Session, user: str) -> Reader:
    """THE rule for every read of personal data, in one place: a database that has users is
    read only by a signed-in, active one of them (the GUI's and the command line's user; the
    database's operator holding its credentials gets no way around it in the app). A
    database with no user yet (a new file, a demo) is being set up by whoever holds it: they
    read it whole, as they could with any SQLite tool. Users are stopped, never deleted, so
    stopping them all does not open it again."""
    record = users.get_user(session, user) if user else None
    if record is not None and record.active:
        return Reader(record.name, record.roles, record.area)
    if bootstrapping(session):
        return Reader(user, ALL_ROLES, "")
    if not user:
        raise PermissionDenied("数据库已有用户：请先登录（命令行用 --user 和 JIUJINAN_PASSWORD）再查看")
    raise PermissionDenied(f"“{user}”不是在用的登记用户，不能查看案件和资金信息")


def user_area(session: Session, user: str) -> str:
    """The area a user sees ("" = all); an unknown or stopped user sees nothing."""
    return reader(session, user).area


def check_sees(session: Session, user: str, society_id: int) -> Reader:
    """A read of one society's data by ``user``: refused outside their area; returns the
    reader, whose roles decide what is shown in full (cases/disclosure.py)."""
    who = reader(session, user)
    _require_society(session, who.name, who.area, society_id)
    return who


def check_reads(session: Session, user: str, permission: Permission) -> Reader:
    """A read across societies that needs ``permission``; the caller keeps to ``reader.area``."""
    who = reader(session, user)
    require(who.name, who.roles, permission)
    return who


def check_whole(session: Session, user: str, what: str) -> Reader:
    """A read of the whole database (a backup holds every society's cases and every user):
    only for a user whose area is all of it."""
    who = reader(session, user)
    if who.area:
        raise PermissionDenied(f"{who.name} 的工作范围是{area_label(who.area)}，{what}包含整个数据库的案件和用户，"
                               "须由范围为全部的用户办理")
    return who


def bootstrapping(session: Session) -> bool:
    """No user yet: the first start is setting the app up. THE place that decides it: a
    database whose users were deleted outside the program (its trail shows it had some) is
    not being set up, or whoever deleted them would need no sign-in for anything (and could
    sign the society's exports): UsersDeleted, for every command that needs a user."""
    if users.count_users(session):
        return False
    if users.ever_had_users(session):
        raise UsersDeleted(USERS_DELETED)
    return True
