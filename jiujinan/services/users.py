"""Users: creating them, signing in (a growing delay after wrong tries), passwords and roles.
Every change is on the audit trail; wrong tries are counted outside it (db/logins.py), and a
sign-in that follows some is noted."""

from __future__ import annotations

from sqlalchemy.orm import Session

from jiujinan.cases.areas import area_label, parse_area, within
from jiujinan.cases.errors import DomainError, NotFoundError, ValidationError
from jiujinan.cases.text import clean_text
from jiujinan.cases.users import (
    PasswordNotSet, Permission, PermissionDenied, Role, after_failure, check_may_try, dummy_hash, failure_message,
    hash_password, roles_label, seconds_to_wait, throttle_key, validate_password, verify_password,
)
from jiujinan.db import audit, logins, users
from jiujinan.db.users import UserRecord
from jiujinan.services.access import authorize, bootstrapping, check_reads
from jiujinan.services.context import AppContext
from jiujinan.services.seal_guard import refuse_own_record_changed


def _clean_name(name: str) -> str:
    return clean_text(name, field="name", label="用户名", max_len=30, required=True, person_name=True)


def needs_first_admin(ctx: AppContext) -> bool:
    """No user yet: the first one is created as administrator."""
    with ctx.read() as s:
        return bootstrapping(s)


def create_user(ctx: AppContext, name: str, roles: frozenset[Role], password: str, by: str, area: str = "") -> str:
    """Add a user with roles, a password and the area they work on. Only an administrator
    may, within his own area, except for the very first user, who must be an administrator
    of the whole database."""
    clean = _clean_name(name)
    area = parse_area(area)
    if not roles:
        raise ValidationError("至少选择一个角色", "roles")
    validate_password(password)
    hashed = hash_password(password)
    now = ctx.clock.now()
    with ctx.write() as s:
        first = bootstrapping(s)
        if first:
            if Role.ADMIN not in roles:
                raise ValidationError("第一个用户必须是管理员", "roles")
            if area:
                raise ValidationError("第一个用户的范围须为全部（由他再设其他用户的范围）", "area")
            by = clean
        else:
            _check_hands_out(by, authorize(s, by, Permission.USERS).area, area)
        if not users.add_user(s, clean, roles, hashed, now, area):
            raise ValidationError(f"已有名为“{clean}”的用户", "name")
        audit.record(s, user=by, now=now, entity="user", entity_id=0, action="create",
                     after={"name": clean, "roles": roles_label(roles), "area": area}, seals=[("user", clean)])
    return clean


def login(ctx: AppContext, name: str, password: str) -> UserRecord:
    """Check a user's password. An unknown name, a stopped user and a wrong password get one
    answer in the same time (the hash is checked against a dummy); after a few wrong tries
    under a name each further one waits longer, up to a cap (cases/users.py: a delay, never a
    lock). Raises LoginRefused (with the seconds to wait) or PasswordNotSet with the reason."""
    now = ctx.clock.now()
    key = throttle_key(name)
    with ctx.read() as s:
        tries = logins.record_of(s, key)
        check_may_try(tries, now)
        record = users.get_user(s, name)
        known = record is not None and record.active
        if known and not record.has_password:
            raise PasswordNotSet(f"{name} 还没有设置密码：请先在程序里用这个名字登录并设置密码，"
                                 "或请管理员重设（jiujinan user passwd 姓名）")
        stored = users.password_hash(s, name) if known else dummy_hash()
    if verify_password(password, stored) and known:
        with ctx.read() as s:
            refuse_own_record_changed(s, name)
        if tries.failures and not ctx.read_only:
            with ctx.write(guarded=False) as s:  # signing in stays open: an administrator must restore
                logins.forget(s, key)
                # Noted once, on success: the failures before it wrote nothing (no entry per failure).
                audit.record(s, user=name, now=now, entity="user", entity_id=0, action="login_after_failures",
                             after={"name": name, "failures": tries.failures})
        return record
    if ctx.read_only:  # a database on read-only media (check, backup): nothing can be noted there
        raise failure_message(after_failure(tries, now), now)
    with ctx.write(guarded=False) as s:
        failed = after_failure(logins.locked_record(s, key, now), now)
        logins.store(s, key, failed, now)
    raise failure_message(failed, now)


def sign_in_waits(ctx: AppContext) -> dict[str, int]:
    """Seconds each user must still wait before a sign-in is heard (only those who must)."""
    now = ctx.clock.now()
    with ctx.read() as s:
        names = {throttle_key(u.name): u.name for u in users.user_records(s)}
        found = logins.records(s, list(names))
    return {names[k]: wait for k, r in found.items() if (wait := seconds_to_wait(r, now))}


def set_first_password(ctx: AppContext, name: str, password: str) -> UserRecord:
    """A user without a password chooses one (the only way in for users from before)."""
    validate_password(password)
    hashed = hash_password(password)
    now = ctx.clock.now()
    with ctx.write() as s:
        record = users.get_user(s, name)
        if record is None or not record.active:
            raise NotFoundError(f"找不到用户“{name}”")
        if record.has_password:
            raise PermissionDenied(f"{name} 已有密码：请用原密码登录后修改，或请管理员重设")
        refuse_own_record_changed(s, name)  # a password cleared outside the app opens nothing
        record = users.update_user(s, name, hashed=hashed)
        logins.forget(s, throttle_key(name))
        audit.record(s, user=name, now=now, entity="user", entity_id=0, action="password", after={"name": name},
                     seals=[("user", name)])
    return record


def change_password(ctx: AppContext, name: str, old: str, new: str) -> None:
    """A user changes their own password (the old one proves it is them)."""
    login(ctx, name, old)
    validate_password(new)
    hashed = hash_password(new)
    now = ctx.clock.now()
    with ctx.write() as s:
        users.update_user(s, name, hashed=hashed)
        audit.record(s, user=name, now=now, entity="user", entity_id=0, action="password", after={"name": name},
                     seals=[("user", name)])


def reset_password(ctx: AppContext, name: str, new: str, by: str) -> None:
    """An administrator sets someone's password (and lifts a lock)."""
    validate_password(new)
    hashed = hash_password(new)
    now = ctx.clock.now()
    with ctx.write() as s:
        _managed_user(s, by, name)
        users.update_user(s, name, hashed=hashed)
        logins.forget(s, throttle_key(name))
        audit.record(s, user=by, now=now, entity="user", entity_id=0, action="password_reset", after={"name": name},
                     seals=[("user", name)])


def set_roles(ctx: AppContext, name: str, roles: frozenset[Role], by: str, *, active: bool = True,
              area: str | None = None) -> None:
    """An administrator changes someone's roles or area (within his own), or stops
    (active=False) their account. The last administrator of the whole database stays one."""
    if not roles:
        raise ValidationError("至少选择一个角色", "roles")
    area = None if area is None else parse_area(area)
    now = ctx.clock.now()
    with ctx.write() as s:
        own, before = _managed_user(s, by, name)
        if area is not None:
            _check_hands_out(by, own, area)
        after = users.update_user(s, name, roles=roles, active=active, area=area)
        if users.count_admins(s) == 0:
            raise PermissionDenied("至少要保留一位范围为全部的在用管理员")
        audit.record(s, user=by, now=now, entity="user", entity_id=0, action="roles",
                     before={"name": name, "roles": roles_label(before.roles), "active": before.active,
                             "area": before.area},
                     after={"name": name, "roles": roles_label(after.roles), "active": after.active,
                            "area": after.area}, seals=[("user", name)])


def _managed_user(session: Session, by: str, name: str) -> tuple[str, UserRecord]:
    """(the administrator's own area, the user he manages), refusing a user outside his area."""
    own = authorize(session, by, Permission.USERS).area
    record = users.get_user(session, name)
    if record is None:
        raise NotFoundError(f"找不到用户“{name}”")
    _check_hands_out(by, own, record.area)
    return own, record


def _check_hands_out(by: str, own: str, area: str) -> None:
    if not within(own, area):
        raise PermissionDenied(f"{by} 的范围是{area_label(own)}，只能管理该范围内的用户")


def areas_in_use(ctx: AppContext) -> bool:
    """Whether some users work on part of the database only (cases/areas.py)."""
    with ctx.read() as s:
        return users.areas_in_use(s)


def list_users(ctx: AppContext, user: str) -> list[UserRecord]:
    """The users an administrator (``user``) manages: those whose area lies within his."""
    with ctx.read() as s:
        own = check_reads(s, user, Permission.USERS).area
        return [r for r in users.user_records(s) if within(own, r.area)]


def sign_in_names(ctx: AppContext) -> list[str]:
    """The names offered in the sign-in dialog (active users; nothing else about them)."""
    with ctx.read() as s:
        return [r.name for r in users.user_records(s) if r.active]


def get_user(ctx: AppContext, name: str) -> UserRecord | None:
    with ctx.read() as s:
        return users.get_user(s, name)
