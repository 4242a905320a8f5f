"""``check``: every row equals its last audited state (the last seal of its unit), every
row has one, and every sealed unit is still there (cases/seals.py).

The comparison can be split into parts (a unit's keys in ranges) that run on connections
of their own, one per core: rendering the units is the database's work, done while the
driver steps without Python's lock."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import text
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
    return _compared(session, part.unit, seals_db.live_and_sealed(session, part.unit, part.lo, part.hi))


def _compared(session: Session, unit: str, rows: Iterable[tuple[int, str, str | None]]) -> Scanned:
    """Compare (key, image, last seal's digest) rows of one kind of unit; name what differs."""
    sha256 = hashlib.sha256
    changed, unsealed = [], []
    live = 0
    for key, image, sealed in rows:
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


# What a society's export speaks for (services/export.py checks it before signing): the units
# whose main row names the society (its cases, ledger entries, own row, month closes), and the
# users and signing key behind the signature, whole (they are few).
OF_SOCIETY = {"case": "t.society_id", "ledger": "t.society_id", "society": "t.id", "month": "t.society_id"}
SIGNING = ("user", "key")


def society_problems(session: Session, society_ids: Sequence[int]) -> list[str]:
    """The seal check of what an export of these societies signs: each of their units against
    its last seal, their sealed units that are gone (a unit's society is that of the audit
    entry that sealed it last; an entry of no society counts for all), and the users and the
    signing key. Only the societies' own rows are rendered, so an export of one village of
    217 costs a 217th of ``check``'s seal work."""
    ids = sorted({int(i) for i in society_ids})
    if not ids:
        return []
    dialect = session.get_bind().dialect.name
    every = _count(session, "society") == len(ids)  # all of them: no filter to apply
    out: list[str] = []
    for unit in (*OF_SOCIETY, *SIGNING):
        column = OF_SOCIETY.get(unit)
        where = f"WHERE {column} IN ({', '.join(map(str, ids))})" if column and not every else ""
        rows = seals_db.raw_rows(session, seals_db.image_select(dialect, unit, where, with_seal=True))
        out += _compared(session, unit, rows).problems
        if seals_db.sealed_keys(session, unit) > _count(session, unit):  # something sealed is gone
            gone = seals_db.gone_units(session, unit)
            ours = _societies_of(session, [seq for _k, _d, seq in gone]) if column else {}
            out += [seals.gone_message(unit, key, detail) for key, detail, seq in gone
                    if not column or ours.get(seq) is None or ours[seq] in ids]
    return out


def _count(session: Session, unit: str) -> int:
    table = seals.UNITS[unit].sections[0].table
    return session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def _societies_of(session: Session, seqs: Sequence[int]) -> dict[int, int | None]:
    """The society of each of these audit entries."""
    if not seqs:
        return {}
    marks = ", ".join(str(int(q)) for q in seqs)
    return dict(session.execute(text(f"SELECT seq, society_id FROM audit_log WHERE seq IN ({marks})")).all())
