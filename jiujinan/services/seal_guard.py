"""Before an operation relies on a row (signing in on the user's, paying or approving on the
case's), the row is compared with its last seal (cases/seals.py): an edit made outside the
app is refused, not obeyed, and never sealed over as if it were audited. One unit costs a
fraction of a millisecond."""

from __future__ import annotations

from sqlalchemy.orm import Session

from jiujinan.cases import seals
from jiujinan.db import seals as seals_db


def unit_changes(session: Session, unit: str, key: int) -> list[str]:
    """What of the unit differs from its last seal, as phrases (empty: as audited)."""
    image = seals_db.images(session, unit, [key]).get(key)
    return seals.unit_changes(unit, image, seals_db.last_seal(session, unit, key))


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
    images = seals_db.images(session, unit, keys)
    last = seals_db.last_seals(session, unit, keys)
    for key in keys:
        if phrases := seals.unit_changes(unit, images.get(key), last.get(key)):
            name = seals_db.unit_names(session, unit, [key]).get(key)
            raise seals.changed_refusal(unit, key, name, phrases, refused)
