"""Rendering the units the audit trail seals (cases/seals.py) as text, in SQL, the same way
on SQLite and PostgreSQL: once when an operation seals what it changed, again when
``check`` compares every unit with its last seal."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from functools import lru_cache

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from jiujinan.cases.seals import (
    BOOL, DATE, INT, MONEY, MOMENT, TEXT, UNITS, WHOLE_TABLE, Column, Seal, Section, Unit, detail, digest,
)

# How a unit's key is computed from its main row (month closes have no id of their own).
QUOTE, QUOTES = "'" * 4, "'" * 6  # SQL literals of one quote and of two
KEY_SQL = {"month": "t.society_id * 1000000 + CAST(replace(t.month, '-', '') AS INTEGER)"}


def _value(alias: str, column: Column) -> str:
    """One value on PostgreSQL as SQLite's printf('%Q') writes it: text in single quotes
    with quotes doubled (numbers and booleans too), NULL bare."""
    col = f"{alias}.{column.name}"
    if column.kind in (INT, MONEY):
        rendered = f"{col}::text"
    elif column.kind == BOOL:
        rendered = f"{col}::int::text"
    elif column.kind == DATE:
        rendered = f"to_char({col}, 'YYYY-MM-DD')"
    elif column.kind == MOMENT:
        rendered = f"to_char({col}, 'YYYY-MM-DD HH24:MI:SS.US')"
    else:
        rendered = col
    return f"coalesce({QUOTE} || replace({rendered}, {QUOTE}, {QUOTES}) || {QUOTE}, 'NULL')"


def _sqlite_row(alias: str, columns: Sequence[Column]) -> str:
    """One printf call for a row on SQLite. Its '%Q' stops at a NUL character and writes a
    BLOB as the text of its bytes, so free text holding either (only ever put there from
    outside the app: its text rule keeps control characters out) would pass for the text it
    was sealed as («王会计» + NUL for the clerk «王会计»). After each free-text value a mark is
    written with a precision that is 0 for clean text (so nothing, and the image of every
    row the app wrote is unchanged) and positive for a NUL or a BLOB. Numbers, dates and times
    are written as they are: a BLOB there is no number or date to any rule."""
    formats, values = [], []
    for column in columns:
        col = f"{alias}.{column.name}"
        values.append(col)
        if column.kind == TEXT:
            formats.append("%Q%.*s")
            values += [f"instr({col}, char(0)) + (typeof({col}) = 'blob')", "'!'"]
        else:
            formats.append("%Q")
    return f"printf('{','.join(formats)}', {', '.join(values)})"


def _row(dialect: str, alias: str, section: Section) -> str:
    """A row's values joined with ','. On SQLite one printf call writes them all into one
    buffer (a chain of || copies the growing text at every step)."""
    columns = (section.key, *section.columns)
    if dialect == "sqlite":
        return _sqlite_row(alias, columns)
    return " || ',' || ".join(_value(alias, c) for c in columns)


def _rows(dialect: str, section: Section, where: str) -> str:
    """All rows of a section joined with ';', in key order ('' for none)."""
    row = _row(dialect, "c", section)
    if dialect == "sqlite":
        return (f"coalesce((SELECT group_concat(r, ';') FROM (SELECT {row} AS r FROM {section.table} c "
                f"{where} ORDER BY c.{section.key.name})), '')")
    return f"coalesce((SELECT string_agg({row}, ';' ORDER BY c.{section.key.name}) FROM {section.table} c {where}), '')"


def key_sql(unit: str) -> str:
    return KEY_SQL.get(unit, "t.id")


@lru_cache(maxsize=None)
def image_select(dialect: str, unit: str, where: str, with_seal: bool = False, spec: Unit | None = None) -> str:
    """SELECT key, image [, last seal's digest, its detail] of the unit's rows matching ``where``
    (on the main table ``t``), in key order. ``spec``: an earlier form of the unit's columns
    (a migration that adds columns compares the rows with their seals in the old form)."""
    spec = spec or UNITS[unit]
    seal_cols = ""
    if with_seal:
        last = (f"FROM audit_seal s WHERE s.unit = '{unit}' AND s.unit_key = {{k}} ORDER BY s.seq DESC LIMIT 1")
        seal_cols = ", (SELECT s.digest {0})".format(last)
    if unit in WHOLE_TABLE:
        section = spec.sections[0]
        image = _rows(dialect, section, "")
        seal_cols = seal_cols.replace("{k}", "0")
        return f"SELECT 0, {image}{seal_cols} WHERE EXISTS (SELECT 1 FROM {section.table})"
    main, *children = spec.sections
    key = key_sql(unit)
    parts = [_row(dialect, "t", main)]
    parts += [_rows(dialect, child, f"WHERE c.{child.parent} = t.id") for child in children]
    image = (f"printf('{'|'.join(['%s'] * len(parts))}', {', '.join(parts)})" if dialect == "sqlite"
             else " || '|' || ".join(parts))
    return (f"SELECT {key}, {image}{seal_cols.replace('{k}', key)} FROM {main.table} t {where} "
            f"ORDER BY {key}")


_cursor_names = itertools.count(1)


def raw_rows(session: Session, sql: str) -> Iterator[tuple]:
    """Stream a large read as the driver's own tuples (no SQLAlchemy row per row): on
    SQLite a plain cursor, on PostgreSQL a server-side one."""
    conn = session.connection()
    dbapi = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        cursor = dbapi.cursor()
    else:
        cursor = dbapi.cursor(name=f"jiujinan_stream_{next(_cursor_names)}")
        cursor.itersize = 5000
    try:
        cursor.execute(sql)
        yield from cursor
    finally:
        cursor.close()


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _keyed_images(session: Session, unit: str, keys: Sequence[int], with_seal: bool) -> list[tuple]:
    """(key, image[, last seal's digest]) of the units with these keys, in one statement;
    units that are gone are left out."""
    if not keys:
        return []
    if unit in WHOLE_TABLE:
        where = ""
    elif len(keys) == 1:
        where = f"WHERE {key_sql(unit)} = :lo"
    else:
        where = f"WHERE {key_sql(unit)} BETWEEN :lo AND :hi"
    rows = session.execute(text(image_select(_dialect(session), unit, where, with_seal)),
                           {"lo": min(keys), "hi": max(keys)})
    wanted = set(keys)
    return [tuple(row) for row in rows if row[0] in wanted]


def images(session: Session, unit: str, keys: Sequence[int]) -> dict[int, str]:
    """The images of the units with these keys (a key whose unit is gone is left out)."""
    return {k: image for k, image in _keyed_images(session, unit, keys, False)}


def images_between(session: Session, unit: str, lo: int, hi: int,
                   form: Unit | None = None) -> Iterator[tuple[int, str]]:
    """(key, image) of every unit with lo ≤ key ≤ hi, in key order (the demo seals in bulk;
    a migration in ``form``, the columns its database has)."""
    where = "" if unit in WHOLE_TABLE else f"WHERE {key_sql(unit)} BETWEEN :lo AND :hi"
    yield from session.execute(text(image_select(_dialect(session), unit, where, False, form)), {"lo": lo, "hi": hi})


def seal_of(unit: str, key: int, image: str | None) -> Seal:
    if image is None:
        return Seal(unit, key, None, "")
    return Seal(unit, key, digest(image), detail(unit, image))


def user_key(session: Session, name: str) -> int:
    return session.execute(text("SELECT id FROM app_user WHERE name = :n"), {"n": name}).scalar_one()


def seals_for(session: Session, units: Sequence[tuple[str, int | str]]) -> list[Seal]:
    """Render and seal the units an operation changed (after its writes, before its commit).
    A user may be named instead of numbered."""
    session.flush()
    out = []
    for unit, key in units:
        if isinstance(key, str):
            key = user_key(session, key)
        out.append(seal_of(unit, key, images(session, unit, [key]).get(key)))
    return out


def write_seals(session: Session, rows: Sequence[dict[str, object]]) -> None:
    """Insert seal rows (seq, pos, unit, unit_key, digest, detail)."""
    if rows:
        session.execute(text("INSERT INTO audit_seal (seq, pos, unit, unit_key, digest, detail) "
                             "VALUES (:seq, :pos, :unit, :unit_key, :digest, :detail)"), rows)


def live_and_sealed(session: Session, unit: str, lo: int | None = None,
                    hi: int | None = None) -> Iterator[tuple[int, str, str | None]]:
    """(key, image, digest of its last seal) of every live unit (with lo ≤ key ≤ hi when
    given), in key order."""
    where = "" if lo is None or unit in WHOLE_TABLE else f"WHERE {key_sql(unit)} BETWEEN {int(lo)} AND {int(hi)}"
    yield from raw_rows(session, image_select(_dialect(session), unit, where, with_seal=True))


def key_range(session: Session, unit: str) -> tuple[int, int] | None:
    """The smallest and largest key of the live units (None when there are none)."""
    if unit in WHOLE_TABLE:
        return None
    table = UNITS[unit].sections[0].table
    lo, hi = session.execute(text(f"SELECT min({key_sql(unit)}), max({key_sql(unit)}) FROM {table} t")).one()
    return None if lo is None else (lo, hi)


def sealed_keys(session: Session, unit: str) -> int:
    """How many units of this kind were ever sealed."""
    return session.execute(text("SELECT count(DISTINCT unit_key) FROM audit_seal WHERE unit = :u"),
                           {"u": unit}).scalar_one()


def gone_units(session: Session, unit: str) -> list[tuple[int, str, int]]:
    """(key, detail, seq) of units whose last seal has a digest but that are no longer there."""
    rows = session.execute(text(
        "SELECT s.unit_key, s.detail, s.seq FROM audit_seal s WHERE s.unit = :u AND s.digest IS NOT NULL "
        "AND s.seq = (SELECT max(s2.seq) FROM audit_seal s2 WHERE s2.unit = s.unit AND s2.unit_key = s.unit_key)"),
        {"u": unit})
    table = UNITS[unit].sections[0].table
    present = {k for (k,) in session.execute(text(f"SELECT {key_sql(unit)} FROM {table} t"))} \
        if unit not in WHOLE_TABLE else ({0} if session.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first() else set())
    return [(k, d, q) for k, d, q in rows if k not in present]


def orphan_seals(session: Session) -> list[int]:
    """The places in the chain named by seals whose audit entry is not there."""
    return list(session.execute(text(
        "SELECT DISTINCT s.seq FROM audit_seal s WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.seq = s.seq) "
        "ORDER BY s.seq")).scalars())


def sealed_detail(session: Session, unit: str, key: int) -> str:
    """The detail of the unit's last seal ("" when it was never sealed)."""
    sealed = last_seal(session, unit, key)
    return sealed[1] if sealed else ""


def unit_names(session: Session, unit: str, keys: Sequence[int]) -> dict[int, str]:
    """How a clerk knows the units: a case by its number, a user by name, a society by its
    area code and name, a month by its society and month."""
    if not keys:
        return {}
    queries = {
        "case": "SELECT id, case_no FROM aid_case WHERE id IN ({})",
        "user": "SELECT id, name FROM app_user WHERE id IN ({})",
        "society": "SELECT id, area_code || ' ' || name FROM society WHERE id IN ({})",
        "import": "SELECT id, society_code || ' ' || source FROM import_batch WHERE id IN ({})",
    }
    names = {k: str(k) for k in keys}
    if unit in queries:
        marks = ", ".join(str(int(k)) for k in keys)
        names.update({k: v for k, v in session.execute(text(queries[unit].format(marks)))})
    elif unit == "month":
        codes = dict(session.execute(text("SELECT id, area_code FROM society")).all())
        names = {k: f"{k % 1_000_000 // 100}-{k % 100:02d}（互助社 {codes.get(k // 1_000_000, k // 1_000_000)}）"
                 for k in keys}
    return names


def images_with_seals(session: Session, unit: str, keys: Sequence[int]) -> dict[int, tuple[str, str | None]]:
    """Each unit's image and its last seal's digest, read in one statement: one snapshot, so a
    writer that commits meanwhile (a row and its seal at once) is seen whole or not at all —
    two statements could see a PostgreSQL writer's new row beside its old seal. Units that
    are gone are left out."""
    return {k: (image, sealed) for k, image, sealed in _keyed_images(session, unit, keys, True)}


def last_seal(session: Session, unit: str, key: int) -> tuple[str | None, str] | None:
    """The digest and detail of the unit's last seal (None: it was never sealed)."""
    row = session.execute(text(
        "SELECT digest, detail FROM audit_seal WHERE unit = :u AND unit_key = :k ORDER BY seq DESC LIMIT 1"),
        {"u": unit, "k": key}).first()
    return None if row is None else (row[0], row[1] or "")


_LAST_SEALS = text(
    "SELECT s.unit_key, s.digest, s.detail FROM audit_seal s WHERE s.unit = :u AND s.unit_key IN :keys "
    "AND s.seq = (SELECT MAX(t.seq) FROM audit_seal t WHERE t.unit = s.unit AND t.unit_key = s.unit_key)"
).bindparams(bindparam("keys", expanding=True))


def last_seals(session: Session, unit: str, keys: Sequence[int]) -> dict[int, tuple[str | None, str]]:
    """last_seal of many units of one kind, a query per 500 keys (a key never sealed is left out)."""
    out: dict[int, tuple[str | None, str]] = {}
    for start in range(0, len(keys), 500):
        rows = session.execute(_LAST_SEALS, {"u": unit, "keys": list(keys[start:start + 500])})
        out.update({key: (digest, detail or "") for key, digest, detail in rows})
    return out
