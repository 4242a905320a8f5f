"""Sealing units in bulk: the demo's rows, and every row of a database made before seals
(migration 0012), each with one audit entry written as ``audit.record`` writes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from collections.abc import Iterator

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from jiujinan.cases.seals import UNITS, WHOLE_TABLE, Seal, Unit, digest
from jiujinan.db import audit
from jiujinan.db import seals as seals_db

SYSTEM_USER = "系统"
RANGE = 20_000


def seals_between(session: Session, unit: str, lo: int, hi: int, form: Unit | None = None) -> dict[int, Seal]:
    """The seals of every unit of this kind with lo ≤ key ≤ hi, rendered as ``record`` renders
    them (in ``form``, when a migration seals in the form its database has)."""
    return {k: seals_db.seal_of(unit, k, image) for k, image in seals_db.images_between(session, unit, lo, hi, form)}


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
    inspector = inspect(session.get_bind())
    for unit in units:
        if not inspector.has_table(UNITS[unit].sections[0].table):
            continue  # a kind a later migration brings: nothing of it to seal yet
        form = form_in_database(session, unit)  # as a migration sees it: later columns are not there yet
        for lo, hi in _key_ranges(session, unit):
            sealed = session.execute(text("SELECT DISTINCT unit_key FROM audit_seal WHERE unit = :u "
                                          "AND unit_key BETWEEN :lo AND :hi"), {"u": unit, "lo": lo, "hi": hi})
            done = {k for (k,) in sealed}
            found = seals_between(session, unit, lo, hi, form)
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


def reseal_new_form(session: Session, now: dt.datetime, unit: str, old: Unit, new: Unit, why: str) -> int:
    """After a migration added columns to a unit (``old`` is its form before): one audited
    «升级后重新封存» entry by 系统 for each unit whose image changed and whose last seal held
    in the old form. A unit edited outside the app before the upgrade keeps its old seal, so
    ``check`` still names it. Returns how many entries were written."""
    written = 0
    dialect = session.get_bind().dialect.name
    for lo, hi in _key_ranges(session, unit):
        where = "" if unit in WHOLE_TABLE else f"WHERE {seals_db.key_sql(unit)} BETWEEN {int(lo)} AND {int(hi)}"
        held = {key: image for key, image, last in
                seals_db.raw_rows(session, seals_db.image_select(dialect, unit, where, True, old))
                if last is not None and last == digest(image)}
        found = {k: seals_db.seal_of(unit, k, image)
                 for k, image in session.execute(text(seals_db.image_select(dialect, unit, where, False, new)))
                 if k in held and image != held[k]}
        society = _societies(session, unit, lo, hi)
        written += audit.record_many(session, (
            audit.BulkEntry(unit, key, "reseal", _society_of(unit, key, society), [seal], {"原因": why})
            for key, seal in found.items()), user=SYSTEM_USER, now=now)
    return written


def form_in_database(session: Session, unit: str, leave_out: frozenset[str] = frozenset()) -> Unit:
    """The unit's form with only the columns this database has now, less ``leave_out``: what
    a migration compares and seals with (a later migration may have added more columns)."""
    inspector = inspect(session.get_bind())
    spec = UNITS[unit]
    sections = []
    for section in spec.sections:
        have = {c["name"] for c in inspector.get_columns(section.table)}
        kept = tuple(c for c in section.columns if c.name in have and c.name not in leave_out)
        sections.append(replace(section, columns=kept))
    return replace(spec, sections=tuple(sections))
