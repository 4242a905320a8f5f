"""Is this schema the app's own? A database file can carry code of its own: a trigger that
rewrites bank accounts or skims a yuan off every contribution, a view, a hidden table that
copies password hashes. SQLite: every object in ``sqlite_master`` (type, name, table, SQL)
is compared with what the app's migrations build for the same revision (kept beside the
code for the newest revision, built in a scratch database for an older one). PostgreSQL:
the tables, views, triggers, rules, functions and indexes of the app's schema against the
models and the search index (db/search.py)."""

from __future__ import annotations

import functools
import hashlib
import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import Connection, text

from jiujinan.db.search import NAME_TAIL_INDEXES_0009, TRGM_INDEX

KINDS = {"table": "表", "index": "索引", "trigger": "触发器", "view": "视图", "rule": "规则", "function": "函数"}


class SchemaObject(NamedTuple):
    """One object of a schema as compared: its kind, name, table and definition."""

    kind: str
    name: str
    table: str
    sql: str


def normalised(sql: str | None) -> str:
    """SQL as compared: white space folded, identifier quotes dropped (ALTER TABLE on
    another SQLite version may quote a name the migration did not), and a table's
    constraints in a fixed order (a batch migration writes them in the order reflection
    happens to give, which differs from one run to the next)."""
    folded = " ".join((sql or "").replace('"', "").replace("`", "").split())
    head, paren, rest = folded.partition("(")
    if not head.upper().startswith("CREATE TABLE") or not paren or not rest.endswith(")"):
        return folded
    parts = [p.strip() for p in _top_level_split(rest[:-1])]
    columns = [p for p in parts if not p.upper().startswith(_CONSTRAINTS)]
    constraints = sorted(p for p in parts if p.upper().startswith(_CONSTRAINTS))
    return f"{head}( {', '.join(columns + constraints)} )"


_CONSTRAINTS = ("CONSTRAINT ", "PRIMARY KEY", "UNIQUE", "FOREIGN KEY", "CHECK")


def _top_level_split(body: str) -> list[str]:
    """``body`` split at the commas outside parentheses and quoted text."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(body):
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch in "()":
            depth += 1 if ch == "(" else -1
        elif not quoted and depth == 0 and ch == ",":
            parts.append(body[start:i])
            start = i + 1
    return [*parts, body[start:]]


# SQLite's own statistics tables (made by ANALYZE or PRAGMA optimize), exactly as SQLite
# defines them. Only these are passed over: a file read from disk may carry any object named
# sqlite_… (SQLite refuses such names in CREATE, not in a schema it reads), so a trigger or a
# differently defined table of that name is compared like any other, and named as foreign.
SQLITE_OWN = frozenset({
    ("table", "sqlite_stat1", "sqlite_stat1", "CREATE TABLE sqlite_stat1(tbl,idx,stat)"),
    ("table", "sqlite_stat4", "sqlite_stat4", "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)"),
})


def sqlite_objects(conn: Connection) -> set[SchemaObject]:
    """Every object of a SQLite database, as it is stored, but SQLite's own statistics
    tables (the sequence table and automatic indexes are compared: the migrations make them)."""
    rows = conn.exec_driver_sql("SELECT type, name, tbl_name, sql FROM sqlite_master").all()
    return {SchemaObject(kind, name, table, normalised(sql)) for kind, name, table, sql in rows
            if (kind, name, table, sql) not in SQLITE_OWN}


# What the migrations create at the newest revision, kept beside the code (like a schema
# dump): building it in a scratch file costs 0.18 s, which every command that writes paid
# once. tests/db/test_migrations.py holds it to a freshly built one; `python -m
# jiujinan.db.schema` writes it again after a new migration.
REFERENCE = Path(__file__).with_name("schema_sqlite_head.json")


@functools.cache
def expected_sqlite(revision: str) -> frozenset[SchemaObject]:
    """What the app's migrations create on SQLite at ``revision``: the reference kept beside
    the code for the newest revision, else built once in a scratch file and kept for the
    process."""
    try:
        kept = json.loads(REFERENCE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    if kept.get("revision") == revision:
        return frozenset(SchemaObject(*o) for o in kept["objects"])
    return built_sqlite(revision)


def built_sqlite(revision: str) -> frozenset[SchemaObject]:
    """What the app's migrations create on SQLite at ``revision``, built in a scratch file."""
    from alembic import command

    from jiujinan.db.engine import make_engine, sqlite_url
    from jiujinan.db.migrate import alembic_config

    with tempfile.TemporaryDirectory(prefix="jiujinan-schema-") as folder:
        engine = make_engine(sqlite_url(Path(folder) / "scratch.db"))
        try:
            command.upgrade(alembic_config(engine), revision)
            with engine.connect() as conn:
                return frozenset(sqlite_objects(conn))
        finally:
            engine.dispose()


def write_reference() -> None:
    """Build the newest revision's schema and keep it as the reference."""
    from jiujinan.db.migrate import head_revision

    head = head_revision()
    objects = sorted(built_sqlite(head))
    lines = ",\n".join("  " + json.dumps(list(o), ensure_ascii=False) for o in objects)
    REFERENCE.write_text(f'{{"revision": "{head}", "objects": [\n{lines}\n]}}\n', encoding="utf-8")


def differences(found: Iterable[SchemaObject], expected: Iterable[SchemaObject]) -> list[str]:
    """What differs, in words: 有程序不认识的触发器 X / 缺少程序的索引 Y / 表 Z 的定义被改动."""
    found_by = {(o.kind, o.name): o for o in found}
    expected_by = {(o.kind, o.name): o for o in expected}
    out = []
    for key in sorted(found_by.keys() - expected_by.keys()):
        out.append(f"有程序不认识的{_kind(key[0])} {key[1]}")
    for key in sorted(expected_by.keys() - found_by.keys()):
        out.append(f"缺少程序的{_kind(key[0])} {key[1]}")
    for key in sorted(found_by.keys() & expected_by.keys()):
        if found_by[key] != expected_by[key]:
            out.append(f"{_kind(key[0])} {key[1]} 的定义被改动")
    return out


def _kind(kind: str) -> str:
    return KINDS.get(kind, kind)


def sqlite_differences(conn: Connection, revision: str) -> list[str]:
    """How a SQLite database at ``revision`` differs from the app's schema there."""
    return differences(sqlite_objects(conn), expected_sqlite(revision))


def revisions(conn: Connection) -> list[str]:
    """The schema-version rows (one in a database of this app)."""
    if not has_tables(conn, "alembic_version"):
        return []
    return [str(r[0]) for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()]


def has_tables(conn: Connection, *names: str) -> bool:
    from sqlalchemy import inspect

    inspector = inspect(conn)
    return all(inspector.has_table(name) for name in names)


def problems(conn: Connection) -> list[str]:
    """``check``: the schema objects of the open database that are not the app's, as
    sentences (an empty list: the schema is exactly the app's)."""
    versions = revisions(conn)
    if len(versions) != 1:
        return [f"表结构版本记录应有 1 条，数据库中有 {len(versions)} 条（可能在程序之外被改动）"]
    found = sqlite_differences(conn, versions[0]) if conn.dialect.name == "sqlite" else postgres_differences(conn)
    return [f"数据库中{d}（不是本程序建立的结构，可能在程序之外被改动；请从可靠的备份恢复或请技术人员查看）"
            for d in found]


# --- PostgreSQL ------------------------------------------------------------------------
# Objects in the app's schema (current_schema()) that belong to no extension (pg_trgm puts
# its functions there). Internal triggers (foreign keys) are the server's own.
_PG_OBJECTS = """
SELECT 'table', c.relname, c.relname FROM pg_class c
 WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'f')
UNION ALL SELECT 'view', c.relname, c.relname FROM pg_class c
 WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('v', 'm')
UNION ALL SELECT 'index', i.relname, t.relname FROM pg_index x
 JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
 WHERE t.relnamespace = current_schema()::regnamespace
UNION ALL SELECT 'trigger', g.tgname, t.relname FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
 WHERE t.relnamespace = current_schema()::regnamespace AND NOT g.tgisinternal
UNION ALL SELECT 'rule', r.rulename, r.tablename FROM pg_rules r WHERE r.schemaname = current_schema()
UNION ALL SELECT 'function', p.proname, '' FROM pg_proc p
 WHERE p.pronamespace = current_schema()::regnamespace AND NOT EXISTS (
   SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
"""


def postgres_objects(conn: Connection) -> set[tuple[str, str, str]]:
    return {(kind, name, table) for kind, name, table in conn.execute(text(_PG_OBJECTS)).all()}


def expected_postgres() -> set[tuple[str, str, str]]:
    """The models' tables and indexes (with those behind primary keys and unique
    constraints), alembic's version table and the search's indexes: nothing else."""
    from jiujinan.db.models import Base

    out = {("table", "alembic_version", "alembic_version"),
           ("index", "alembic_version_pkc", "alembic_version"), ("index", TRGM_INDEX, "aid_case")}
    out |= {("index", name, "aid_case") for name, _sql in NAME_TAIL_INDEXES_0009}
    for table in Base.metadata.sorted_tables:
        out.add(("table", table.name, table.name))
        out |= {("index", str(index.name), table.name) for index in table.indexes}
        out |= {("index", str(c.name), table.name) for c in table.constraints
                if c.__visit_name__ in ("primary_key_constraint", "unique_constraint")}
    return out


def postgres_differences(conn: Connection) -> list[str]:
    """Objects of the app's PostgreSQL schema that are not the app's, or of the app's that
    are missing (the search's trigram index may be: without pg_trgm the search reads rows)."""
    found, expected = postgres_objects(conn), expected_postgres()
    out = [f"有程序不认识的{_kind(kind)} {name}" for kind, name, _table in sorted(found - expected)]
    missing = {(k, n, t) for k, n, t in expected - found if n != TRGM_INDEX}
    out += [f"缺少程序的{_kind(kind)} {name}" for kind, name, _table in sorted(missing)]
    return out


# --- The cheap look before each write ------------------------------------------------------
# Comparing with the app's schema takes about 2 ms on SQLite (with the reference kept beside
# the code) or a catalogue walk (PostgreSQL, about 8 ms); before each write only this
# fingerprint is read, and the full comparison runs again when it moved. SQLite: every
# object's type, name, table and SQL as stored (about 0.07 ms). PostgreSQL: the newest
# object id of tables and indexes, triggers, functions and rules (a new object takes a new
# id, a trigger dropped and made again too) and how many triggers and rules there are,
# read from the catalogues' own indexes (about 0.2 ms, a round trip being 0.08 ms).
_PG_FINGERPRINT = (
    "SELECT (SELECT max(oid) FROM pg_class)::text || '/' || (SELECT max(oid) FROM pg_trigger)::text || '/' || "
    "(SELECT max(oid) FROM pg_proc)::text || '/' || (SELECT max(oid) FROM pg_rewrite)::text || '/' || "
    "(SELECT count(*) FROM pg_trigger) || '/' || (SELECT count(*) FROM pg_rewrite)")


def fingerprint(conn: Connection) -> str:
    """A short text that changes whenever an object is added to, dropped from or redefined
    in the schema; read before every write on the driver's own cursor (SQLAlchemy's
    statement machinery would cost more than the query)."""
    cursor = conn.connection.driver_connection.cursor()
    try:
        if conn.dialect.name == "sqlite":
            cursor.execute("SELECT group_concat(type || char(1) || name || char(1) || tbl_name || char(1) || "
                           "coalesce(sql, ''), char(2)) FROM sqlite_master")
            return hashlib.sha256((cursor.fetchone()[0] or "").encode("utf-8")).hexdigest()
        cursor.execute(_PG_FINGERPRINT)
        return str(cursor.fetchone()[0])
    finally:
        cursor.close()


def not_ours(conn: Connection) -> list[str]:
    """What of the schema is not the app's, in short words for a refusal: «有程序不认识的函数
    （skim）、触发器（skim_contribution）», «缺少程序的索引（ix_case）», «触发器 aid_case_ai 的定义被改动»
    (empty: all the app's)."""
    versions = revisions(conn)
    if len(versions) != 1:
        return [f"表结构版本记录应有 1 条，现有 {len(versions)} 条"]
    found = sqlite_differences(conn, versions[0]) if conn.dialect.name == "sqlite" else postgres_differences(conn)
    grouped: dict[str, dict[str, list[str]]] = {"有程序不认识的": {}, "缺少程序的": {}}
    out = []
    for line in found:
        head, _space, name = line.rpartition(" ")
        prefix = next((p for p in grouped if head.startswith(p)), None)
        if prefix is None:
            out.append(line)
        else:
            grouped[prefix].setdefault(head[len(prefix):], []).append(name)
    said = [prefix + "、".join(f"{kind}（{'、'.join(names)}）" for kind, names in kinds.items())
            for prefix, kinds in grouped.items() if kinds]
    return said + out


if __name__ == "__main__":
    write_reference()
