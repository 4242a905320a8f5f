"""Societies and their settings; one database may hold the villages of a whole town."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiujinan.cases.errors import NotFoundError, ValidationError
from jiujinan.cases.society import SocietyRecord, SocietySettings
from jiujinan.db.models import Society

_SETTING_FIELDS = [f.name for f in dataclasses.fields(SocietySettings)]


def _record(row: Society) -> SocietyRecord:
    return SocietyRecord(row.id, SocietySettings(**{f: getattr(row, f) for f in _SETTING_FIELDS}))


def _columns(settings: SocietySettings) -> dict[str, object]:
    """The settings as stored: an unset 先行救助最高金额 is the village limit."""
    return {**dataclasses.asdict(settings), "emergency_limit_fen": settings.emergency_limit()}


def add_society(session: Session, settings: SocietySettings, now: dt.datetime) -> SocietyRecord:
    """Insert a society; its area code must be new."""
    if session.scalar(select(Society.id).where(Society.area_code == settings.area_code)):
        raise ValidationError(f"区划代码 {settings.area_code} 已有互助社", "area_code")
    row = Society(created_at=now, **_columns(settings))
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise ValidationError(f"区划代码 {settings.area_code} 已有互助社", "area_code") from None
    return _record(row)


def update_society(session: Session, society_id: int, settings: SocietySettings) -> SocietyRecord:
    """Replace a society's settings; returns the record as it was before."""
    row = session.get(Society, society_id)
    if row is None:
        raise NotFoundError("找不到该互助社")
    before = _record(row)
    if settings.area_code != row.area_code and session.scalar(
        select(Society.id).where(Society.area_code == settings.area_code)
    ):
        raise ValidationError(f"区划代码 {settings.area_code} 已有互助社", "area_code")
    for name, value in _columns(settings).items():
        setattr(row, name, value)
    session.flush()
    return before


def get_society(session: Session, society_id: int) -> SocietyRecord:
    """One society, or NotFoundError."""
    row = session.get(Society, society_id)
    if row is None:
        raise NotFoundError("找不到该互助社")
    return _record(row)


def list_societies(session: Session, area: str = "") -> list[SocietyRecord]:
    """The societies whose area code starts with ``area`` (every one for ""), by area code."""
    stmt = select(Society).order_by(Society.area_code)
    if area:
        stmt = stmt.where(Society.area_code.startswith(area, autoescape=True))
    return [_record(r) for r in session.scalars(stmt)]
