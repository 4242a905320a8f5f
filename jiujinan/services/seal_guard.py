"""Before an operation relies on a row (signing in on the user's, paying or approving on the
case's), the row is compared with its last seal (cases/seals.py): an edit made outside the
app is refused, not obeyed, and never sealed over as if it were audited. One unit costs a
fraction of a millisecond."""

from __future__ import annotations

from sqlalchemy.orm import Session

from jiujinan.cases import seals
from jiujinan.db import seals as seals_db


def unit_changes(session: Session, unit: str, key: int) -> list[str]:
    """What of the unit differs from its last seal, as phrases (empty: as audited). The row
    and its seal are compared as one statement read them (another clerk's save committing
    meanwhile is no tampering); only a difference reads the seal's detail to name it."""
    now = seals_db.images_with_seals(session, unit, [key]).get(key)
    if now is not None and now[1] is not None and seals.digest(now[0]) == now[1]:
        return []
    return seals.unit_changes(unit, now[0] if now else None, seals_db.last_seal(session, unit, key))


def refuse_changed(session: Session, unit: str, key: int, refused: str) -> None:
    """Raise «案件 … 在程序之外被改动（收款账号），不能发放：请管理员运行检查» when the unit
    differs from its last seal; ``refused`` says what cannot be done («不能发放»)."""
    if phrases := unit_changes(session, unit, key):
        name = seals_db.unit_names(session, unit, [key]).get(key)
        raise seals.changed_refusal(unit, key, name, phrases, refused)


def refuse_own_record_changed(session: Session, name: str) -> None:
    """A user signs in only on the record the app last wrote for them."""
    if phrases := unit_changes(session, "user", seals_db.user_key(session, name)):
        raise seals.own_record_refusal(phrases)


def refuse_any_changed(session: Session, unit: str, keys: list[int], refused: str) -> None:
    """refuse_changed over many units of one kind (the cases a paper lists), reading their
    images and their last seals in one query each."""
    now = seals_db.images_with_seals(session, unit, keys)
    differ = [k for k in keys if k not in now or now[k][1] is None or seals.digest(now[k][0]) != now[k][1]]
    if not differ:
        return
    last = seals_db.last_seals(session, unit, differ)
    for key in differ:
        if phrases := seals.unit_changes(unit, now[key][0] if key in now else None, last.get(key)):
            name = seals_db.unit_names(session, unit, [key]).get(key)
            raise seals.changed_refusal(unit, key, name, phrases, refused)
