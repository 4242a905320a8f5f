"""``check``: every row equals its last audited state (the last seal of its unit), every
row has one, and every sealed unit is still there (cases/seals.py).

The comparison can be split into parts (a unit's keys in ranges) that run on connections
of their own, one per core: rendering the units is the database's work, done while the
driver steps without Python's lock."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from jiujinan.cases import seals
from jiujinan.db import seals as seals_db

# Units with more than this many keys are split between the parts.
SPLIT_ABOVE = 5_000


@dataclass(frozen=True)
class Part:
    """One unit, or the range lo..hi of its keys."""

    unit: str
    lo: int | None = None
    hi: int | None = None


@dataclass(frozen=True)
class Scanned:
    """What comparing one part found: messages, and how many live and unsealed units."""

    problems: tuple[str, ...]
    live: int
    unsealed: int


def plan(session: Session, parts: int) -> list[list[Part]]:
    """The work of comparing every unit, dealt into ``parts`` lists of about equal size:
    large units split by key range, the rest whole."""
    out: list[list[Part]] = [[] for _ in range(max(1, parts))]
    for unit in seals.UNITS:
        span = seals_db.key_range(session, unit)
        if span is None or span[1] - span[0] < SPLIT_ABOVE or len(out) == 1:
            out[0].append(Part(unit))
            continue
        lo, hi = span
        step = (hi - lo) // len(out) + 1
        for i, part in enumerate(out):
            start = lo + i * step
            part.append(Part(unit, start, min(hi, start + step - 1)))
    return out


def scan(session: Session, part: Part) -> Scanned:
    """Compare every live unit of one part with its last seal; name what differs."""
    sha256 = hashlib.sha256
    unit = part.unit
    changed, unsealed = [], []
    live = 0
    for key, image, sealed in seals_db.live_and_sealed(session, unit, part.lo, part.hi):
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
    return Scanned(tuple(out), live, len(unsealed))


def gathered(session: Session, scans: Sequence[tuple[Part, Scanned]]) -> list[str]:
    """The parts' findings in unit order, and the sealed units that are gone (a unit sealed
    once and no longer there: more sealed keys than live sealed units)."""
    out: list[str] = []
    for unit in seals.UNITS:
        mine = [s for p, s in scans if p.unit == unit]
        for s in mine:
            out += s.problems
        live = sum(s.live - s.unsealed for s in mine)
        if seals_db.sealed_keys(session, unit) > live:
            out += [seals.gone_message(unit, key, detail) for key, detail, _seq in seals_db.gone_units(session, unit)]
    return out


def rows_match_seals(session: Session) -> list[str]:
    """Every unit of every kind (cases, ledger, users, societies, calendar, month closes,
    grants, imports, keys) against its last seal, in one part."""
    (parts,) = plan(session, 1)
    return gathered(session, [(p, scan(session, p)) for p in parts])
