"""``check``: every row equals its last audited state (the last seal of its unit), every
row has one, and every sealed unit is still there (cases/seals.py)."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from jiujinan.cases import seals
from jiujinan.db import seals as seals_db


def unit_problems(session: Session, unit: str) -> list[str]:
    """Compare every live unit of one kind with its last seal; name what differs."""
    sha256 = hashlib.sha256
    changed, unsealed = [], []
    live = 0
    for key, image, sealed in seals_db.live_and_sealed(session, unit):
        live += 1
        if sealed is None:
            unsealed.append((key, image))
        elif sha256(image.encode("utf-8")).hexdigest() != sealed:
            changed.append((key, image))
    names = seals_db.unit_names(session, unit, [k for k, _ in changed + unsealed])
    out = []
    for key, image in changed:
        phrases = seals.differences(unit, seals_db.sealed_detail(session, unit, key), image)
        out += seals.changed_messages(unit, key, names.get(key), phrases)
    out += [seals.unsealed_message(unit, key, names.get(key), image) for key, image in unsealed]
    if seals_db.sealed_keys(session, unit) > live - len(unsealed):  # some sealed unit may be gone
        out += [seals.gone_message(unit, key, detail) for key, detail, _seq in seals_db.gone_units(session, unit)]
    return out


def rows_match_seals(session: Session) -> list[str]:
    """Every unit of every kind (cases, ledger, users, societies, calendar, month closes,
    grants, imports) against its last seal."""
    return [p for unit in seals.UNITS for p in unit_problems(session, unit)]
