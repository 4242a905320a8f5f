"""Setting up societies and the people who work in them."""

from __future__ import annotations

import dataclasses

from jiujinan.cases.areas import require_area
from jiujinan.cases.errors import DomainError
from jiujinan.cases.offices import require_holds
from jiujinan.cases.society import SocietyRecord, SocietySettings
from jiujinan.cases.text import clean_text
from jiujinan.cases.users import Permission
from jiujinan.db import audit, societies, users
from jiujinan.db import offices as offices_db
from jiujinan.services.access import authorize, bootstrapping, user_area
from jiujinan.services.context import AppContext
from jiujinan.services.seal_guard import refuse_changed


def create_society(ctx: AppContext, settings: SocietySettings, user: str) -> SocietyRecord:
    """Validate and add a society; written to the audit trail."""
    clean = settings.validated()
    now = ctx.clock.now()
    with ctx.write() as s:
        if not bootstrapping(s):
            require_area(user, authorize(s, user, Permission.SETTINGS).area, clean.area_code, clean.name)
        require_holds(offices_db.office(s), clean.area_code, clean.name)
        record = societies.add_society(s, clean, now)
        audit.record(s, user=user, now=now, entity="society", entity_id=record.id,
                     action="create", society_id=record.id, after=dataclasses.asdict(clean),
                     seals=[("society", record.id)])
    return record


def update_society(ctx: AppContext, society_id: int, settings: SocietySettings, user: str) -> SocietyRecord:
    """Validate and change a society's settings, keeping before and after in the audit trail."""
    clean = settings.validated()
    now = ctx.clock.now()
    with ctx.write() as s:
        require_area(user, authorize(s, user, Permission.SETTINGS, society_id).area, clean.area_code, clean.name)
        # An edit made outside the app is named by 检查, never sealed over by the next change.
        refuse_changed(s, "society", society_id, "不能修改设置")
        require_holds(offices_db.office(s), clean.area_code, clean.name)
        before = societies.update_society(s, society_id, clean)
        audit.record(s, user=user, now=now, entity="society", entity_id=society_id,
                     action="update", society_id=society_id,
                     before=dataclasses.asdict(before.settings), after=dataclasses.asdict(clean),
                     seals=[("society", society_id)])
    return SocietyRecord(society_id, clean)


def list_societies(ctx: AppContext, user: str | None = None) -> list[SocietyRecord]:
    """Every society, or those ``user`` works on (cases/areas.py)."""
    with ctx.read() as s:
        return societies.list_societies(s, user_area(s, user) if user is not None else "")


def society_by_code(ctx: AppContext, code: str | None, user: str) -> SocietyRecord:
    """The society ``user`` names by its area code (the first one they work on when none is
    given), as the command line's --society: among the societies of ``user``'s area only, so
    one of another area is not found, as one that does not exist."""
    with ctx.read() as s:
        area = user_area(s, user)
        records = societies.list_societies(s, area)
        if not records:
            raise DomainError("数据库中还没有互助社，请先 jiujinan society add 或在程序中填写"
                              if not societies.list_societies(s, "") else f"{user} 的工作范围内没有互助社")
    if code is None:
        return records[0]
    for rec in records:
        if rec.settings.area_code == code:
            return rec
    # As the export says it: outside one's area is "not within it", whether or not it exists.
    raise DomainError(f"{user} 的工作范围内找不到区划代码为 {code} 的互助社" if area else f"找不到区划代码为 {code} 的互助社")


def get_society(ctx: AppContext, society_id: int) -> SocietyRecord:
    with ctx.read() as s:
        return societies.get_society(s, society_id)


def add_user(ctx: AppContext, name: str) -> str:
    """A user as versions before passwords added them: a name, every role, no password yet
    (they choose one at their next sign-in). The app itself adds users through
    services.users.create_user (an administrator, roles, a password); this one sets up such
    older databases in tests and the crash harness."""
    clean = clean_text(name, field="user", label="经办人姓名", max_len=30, required=True)
    now = ctx.clock.now()
    with ctx.write() as s:
        if users.ensure_user(s, clean, now):
            audit.record(s, user=clean, now=now, entity="user", entity_id=0, action="create",
                         after={"name": clean}, seals=[("user", clean)])
    return clean
