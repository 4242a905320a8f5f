"""Sealing units in bulk: the demo's rows, and every row of a database made before seals
(migration 0012), each with one audit entry written as ``audit.record`` writes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import text
from sqlalchemy.orm import Session

from jiujinan.cases.seals import UNITS, WHOLE_TABLE, Seal
from jiujinan.db import audit
from jiujinan.db import seals as seals_db

SYSTEM_USER = "系统"
RANGE = 20_000


def seals_between(session: Session, unit: str, lo: int, hi: int) -> dict[int, Seal]:
    """The seals of every unit of this kind with lo ≤ key ≤ hi, rendered as ``record`` renders them."""
    return {k: seals_db.seal_of(unit, k, image) for k, image in seals_db.images_between(session, unit, lo, hi)}


def _society_of(unit: str, key: int, image_society: dict[int, int | None]) -> int | None:
    if unit == "society":
        return key
    if unit == "month":
        return key // 1_000_000
    return image_society.get(key)


def _key_ranges(session: Session, unit: str) -> Iterator[tuple[int, int]]:
    if unit in WHOLE_TABLE:
        yield 0, 0
        return
    table = UNITS[unit].sections[0].table
    lo, hi = session.execute(text(f"SELECT min({seals_db.key_sql(unit)}), max({seals_db.key_sql(unit)}) "
                                  f"FROM {table} t")).one()
    if lo is None:
        return
    for start in range(lo, hi + 1, RANGE):
        yield start, min(start + RANGE - 1, hi)


def _societies(session: Session, unit: str, lo: int, hi: int) -> dict[int, int | None]:
    if unit not in ("case", "ledger"):
        return {}
    table = UNITS[unit].sections[0].table
    return dict(session.execute(text(f"SELECT id, society_id FROM {table} WHERE id BETWEEN :lo AND :hi"),
                                {"lo": lo, "hi": hi}).all())


def seal_everything(session: Session, now: dt.datetime, units: tuple[str, ...] = tuple(UNITS)) -> int:
    """One audited «封存现状» entry by 系统 per unit (of these kinds) that has no seal yet (a
    database from before seals); returns how many entries were written."""
    written = 0
    for unit in units:
        for lo, hi in _key_ranges(session, unit):
            sealed = session.execute(text("SELECT DISTINCT unit_key FROM audit_seal WHERE unit = :u "
                                          "AND unit_key BETWEEN :lo AND :hi"), {"u": unit, "lo": lo, "hi": hi})
            done = {k for (k,) in sealed}
            found = seals_between(session, unit, lo, hi)
            society = _societies(session, unit, lo, hi)
            written += audit.record_many(session, (
                audit.BulkEntry(unit, key, "seal", _society_of(unit, key, society), [seal])
                for key, seal in found.items() if key not in done), user=SYSTEM_USER, now=now)
    return written


def seal_demo_rows(session: Session, *, now: dt.datetime, user: str, societies: tuple[int, int] | None = None,
                   cases: tuple[int, int] | None = None, ledger: tuple[int, int] | None = None) -> int:
    """One entry per new society, per new case (sealing it with its payments, as ``pay``
    seals both) and per other new ledger entry, for rows the demo bulk-inserted with keys
    in these ranges."""
    entries: list[audit.BulkEntry] = []
    if societies:
        entries += [audit.BulkEntry("society", k, "demo", k, [seal])
                    for k, seal in seals_between(session, "society", *societies).items()]
    paid: dict[int, list[Seal]] = {}
    if ledger:
        found = seals_between(session, "ledger", *ledger)
        rows = session.execute(text("SELECT id, society_id, case_id FROM ledger_entry WHERE id BETWEEN :lo AND :hi"),
                               {"lo": ledger[0], "hi": ledger[1]})
        for key, society_id, case_id in rows:
            if case_id is not None and cases and cases[0] <= case_id <= cases[1]:
                paid.setdefault(case_id, []).append(found[key])
            else:
                entries.append(audit.BulkEntry("ledger", key, "demo", society_id, [found[key]]))
    if cases:
        society = _societies(session, "case", *cases)
        entries += [audit.BulkEntry("case", k, "demo", society.get(k), [seal, *paid.get(k, ())])
                    for k, seal in seals_between(session, "case", *cases).items()]
    return audit.record_many(session, entries, user=user, now=now)
