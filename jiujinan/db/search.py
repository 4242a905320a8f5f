"""Finding a part of a name, ID number or case number among a million cases, by index.

Three characters or more (``SUBSTRING_FROM``) are looked up in a trigram index: on SQLite an
FTS5 table with the ``trigram`` tokenizer over aid_case (external content, kept in step by
triggers, so bulk inserts, edits and restores all keep it right); on PostgreSQL a GIN
``pg_trgm`` index on the same three columns, asked with ILIKE. One or two characters go
through B-tree ranges: the name from its first, second or third character (two expression
indexes beside ix_case_soc_name), the ID number and case number from their start. On
SQLite a small society's cases are read instead when the index would give more.
The rule itself, in plain Python, is ``jiujinan.cases.listing.text_matches``.

The schema objects here are outside the SQLAlchemy models (a virtual table, triggers,
expression and GIN indexes differ by backend); migration 0009 creates them from the
definitions below. Those definitions are frozen as of 0009: a later change adds a new set
and a migration. A backup's schema, and ``check``'s view of the live one, is compared with
a migrated scratch database (db/schema.py). Note for later migrations: a batch-mode rebuild
of aid_case on SQLite drops its triggers; recreate them (``create_sqlite_triggers``) in the
same migration.
"""

from __future__ import annotations

import logging
import sqlite3

from sqlalchemy import ColumnElement, Connection, and_, func, literal_column, or_, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from jiujinan.cases.listing import NAME_STARTS, SUBSTRING_FROM, search_kind, search_needle
from jiujinan.db.models import AidCase

log = logging.getLogger(__name__)

FTS_TABLE = "aid_case_search"
TRGM_INDEX = "ix_case_search_trgm"
_FIELDS = "applicant_name, id_number, case_no"
_NEW = "new.id, new.applicant_name, new.id_number, new.case_no"
_OLD = "'delete', old.id, old.applicant_name, old.id_number, old.case_no"

# (type, name, SQL) as of revision 0009, SQLite. External content: the text lives in
# aid_case only; the FTS table holds the trigram index (trigram folds ASCII case).
SQLITE_FTS_0009 = (
    "table", FTS_TABLE,
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({_FIELDS}, content='aid_case', "
    "content_rowid='id', tokenize='trigram')",
)
SQLITE_TRIGGERS_0009 = (
    ("trigger", "aid_case_search_insert",
     f"CREATE TRIGGER aid_case_search_insert AFTER INSERT ON aid_case BEGIN "
     f"INSERT INTO {FTS_TABLE} (rowid, {_FIELDS}) VALUES ({_NEW}); END"),
    ("trigger", "aid_case_search_delete",
     f"CREATE TRIGGER aid_case_search_delete AFTER DELETE ON aid_case BEGIN "
     f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {_FIELDS}) VALUES ({_OLD}); END"),
    ("trigger", "aid_case_search_update",
     f"CREATE TRIGGER aid_case_search_update AFTER UPDATE OF {_FIELDS} ON aid_case "
     "WHEN old.applicant_name IS NOT new.applicant_name OR old.id_number IS NOT new.id_number "
     "OR old.case_no IS NOT new.case_no BEGIN "
     f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {_FIELDS}) VALUES ({_OLD}); "
     f"INSERT INTO {FTS_TABLE} (rowid, {_FIELDS}) VALUES ({_NEW}); END"),
)
# The given name after a one- or two-character surname: the name from its 2nd and 3rd
# character, for one or two typed characters (both backends).
NAME_TAIL_INDEXES_0009 = tuple(
    (f"ix_case_soc_name_from{start}",
     f"CREATE INDEX ix_case_soc_name_from{start} ON aid_case (society_id, substr(applicant_name, {start}))")
    for start in range(2, NAME_STARTS + 1)
)
PG_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
PG_TRGM_INDEX_0009 = (f"CREATE INDEX {TRGM_INDEX} ON aid_case USING gin "
                      "(applicant_name gin_trgm_ops, id_number gin_trgm_ops, case_no gin_trgm_ops)")


def index_problems(session: Session) -> list[str]:
    """``check``: the SQLite search index holds exactly the cases' names, ID and case numbers
    (FTS5's integrity check against aid_case, about 0.1 s per 10,000 cases). A row of the
    index changed outside the app would hide a case from search, or find it under another
    name. (SQLite only: PostgreSQL's trigram index is kept by the server itself.)"""
    try:
        with session.begin_nested():
            session.execute(text(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"))
    except DBAPIError as err:
        if (getattr(err.orig, "sqlite_errorcode", None) or 0) & 0xFF != sqlite3.SQLITE_CORRUPT:  # SQLITE_CORRUPT_VTAB is one
            raise
        return ["案件搜索索引与案件不一致（可能在程序之外被改动）：搜索可能找不到某些案件，或按别的姓名找到它们"]
    return []


def outside_models(name: str | None) -> bool:
    """Whether a schema object is one of this module's (not in the models): the FTS table,
    its shadow tables and the search indexes, which a models-versus-schema comparison skips."""
    return bool(name) and (name == TRGM_INDEX or name.startswith(FTS_TABLE)
                           or any(name == index for index, _sql in NAME_TAIL_INDEXES_0009))


def create_0009(conn: Connection) -> None:
    """Create the search index and fill it from the cases there are (migration 0009)."""
    for _name, sql in NAME_TAIL_INDEXES_0009:
        conn.exec_driver_sql(sql)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(SQLITE_FTS_0009[2])
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')")
        create_sqlite_triggers(conn)
    elif conn.dialect.name == "postgresql":
        create_pg_trigram_index(conn)


def create_sqlite_triggers(conn: Connection) -> None:
    for _kind, _name, sql in SQLITE_TRIGGERS_0009:
        conn.exec_driver_sql(sql)


def create_pg_trigram_index(conn: Connection) -> bool:
    """The GIN trigram index, after ``CREATE EXTENSION IF NOT EXISTS pg_trgm`` (trusted since
    PostgreSQL 13: the database owner may create it). Where the extension cannot be had, the
    search still finds the same cases by reading them all (slower), and says so in the log;
    ``jiujinan db upgrade`` creates the index once an administrator has added the extension."""
    if conn.scalar(text("SELECT to_regclass(:name)"), {"name": TRGM_INDEX}) is not None:
        return True
    try:
        with conn.begin_nested():
            conn.exec_driver_sql(PG_EXTENSION)
            log.info("建立案件搜索索引（pg_trgm）；百万件约需一两分钟")
            conn.exec_driver_sql(PG_TRGM_INDEX_0009)
    except DBAPIError as err:
        state = getattr(err.orig, "sqlstate", None)
        log.warning("PostgreSQL 扩展 pg_trgm 或其索引无法创建（SQLSTATE %s：%s）；案件搜索不用索引，百万件时较慢。"
                    "请数据库管理员执行 CREATE EXTENSION pg_trgm; 后运行 jiujinan db upgrade", state,
                    str(err.orig).strip().splitlines()[0] if err.orig else err)
        return False
    return True


def drop_0009(conn: Connection) -> None:
    """Undo create_0009 (the pg_trgm extension stays: others may use it)."""
    if conn.dialect.name == "sqlite":
        for _kind, name, _sql in SQLITE_TRIGGERS_0009:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    else:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {TRGM_INDEX}")
    for name, _sql in NAME_TAIL_INDEXES_0009:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")


def _prefix(column, prefix: str) -> ColumnElement[bool]:  # noqa: ANN001
    """``column`` starts with ``prefix``, as an index range (col >= p AND col < p⁺)."""
    if ord(prefix[-1]) >= 0x10FFFF:  # no next character (search_needle drops it anyway)
        return column >= prefix
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


def _name_from(start: int):  # noqa: ANN202
    """The name from its ``start``-th character, spelled as its expression index is (a
    literal position: an index on an expression is only used for the same expression)."""
    return AidCase.applicant_name if start == 1 else func.substr(AidCase.applicant_name, literal_column(str(start)))


# On SQLite, whichever reads fewer cases: the society's own, or those the trigram index
# gives for the text in every society of the database (both are read row by row, about
# 4 µs each). In a district's database text common to all villages (a year, "2026", is in
# 90,000 case numbers of 200,000) would otherwise fetch every village's cases for the 458
# of this one. Both counts are bounded, so deciding costs a few ms at most; a society of
# more than READ_SOCIETY_UP_TO cases always asks the index. (PostgreSQL weighs the two
# itself, from its statistics.)
READ_SOCIETY_UP_TO = 20_000


def society_and_options(session: Session, text_typed: str, society_id: int,
                        area_code: str | None) -> tuple[ColumnElement[bool], list[ColumnElement[bool]]]:
    """(the society's condition, alternative conditions of which a match meets one) for a
    search; each alternative is answered by one index (the caller unites one SELECT each)."""
    needle = search_needle(text_typed)
    dialect = session.get_bind().dialect.name
    society = AidCase.society_id == society_id
    if len(needle) < SUBSTRING_FROM:
        return society, _starts(needle, area_code)
    if dialect != "sqlite":
        return society, [_substring(dialect, needle)]
    cases = _count_up_to(session, select(literal_column("1")).where(society), READ_SOCIETY_UP_TO + 1)
    if cases <= READ_SOCIETY_UP_TO and _count_up_to(session, _fts_rowids(needle[-PROBE:]), cases + 1) > cases:
        return society, [_contains(dialect, needle)]
    # Kept off the society's indexes, so that SQLite starts from the few rows the trigram
    # index gives: without statistics it takes a society for ten rows and would otherwise
    # read all of its million, testing each against the match (seen: 1 s instead of 10 ms).
    return AidCase.society_id + 0 == society_id, [_substring(dialect, needle)]


def _count_up_to(session: Session, rows, limit: int) -> int:  # noqa: ANN001
    """How many rows ``rows`` gives, counting no further than ``limit``."""
    return session.scalar(select(func.count()).select_from(rows.limit(limit).subquery())) or 0


def _fts_rowids(probe: str):  # noqa: ANN202
    """The ids of the cases whose name, ID or case number contains ``probe`` (a quoted FTS5
    phrase: with the trigram tokenizer, exactly "contains this text")."""
    phrase = '"' + probe.replace('"', '""') + '"'
    return select(literal_column("rowid")).select_from(text(FTS_TABLE)).where(
        text(f"{FTS_TABLE} MATCH :phrase").bindparams(phrase=phrase))


def _starts(needle: str, area_code: str | None) -> list[ColumnElement[bool]]:
    """One or two characters: the start of the name at its first characters, or digits the
    start of the ID or case number."""
    if search_kind(needle) == "name":
        return [_prefix(_name_from(start), needle) for start in range(1, NAME_STARTS + 1)]
    digits = needle.upper()
    options = [_prefix(AidCase.id_number, digits), _prefix(AidCase.case_no, digits)]
    if area_code:  # a clerk types "20…" of "2026-00017": the society's own area code is implied
        options.append(_prefix(AidCase.case_no, f"{area_code}-{digits}"))
    return options


# The index is asked for the last PROBE characters of longer text, and each row it gives is
# then checked for the whole text. ID and case numbers begin with what a whole village shares
# (region code, area code, year): their trigrams are in every case, and a 14-digit ID start
# made the trigram index read a million entries per trigram (SQLite: 320 ms; its last six
# digits: 5 ms). The end of what a clerk types is its most telling part.
PROBE = 6


def _substring(dialect: str, needle: str) -> ColumnElement[bool]:
    """``needle`` (three characters or more) is in the name, ID number or case number."""
    probe = needle[-PROBE:]
    if dialect == "sqlite":
        indexed = AidCase.id.in_(_fts_rowids(probe))
    else:
        pattern = "%" + probe.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
        indexed = or_(*(column.ilike(pattern, escape="/") for column in _SEARCHED))
    # The whole text is then checked in a form no index answers (so the planner does not
    # read the trigrams of the whole text after all).
    return indexed if len(needle) == len(probe) else and_(indexed, _contains(dialect, needle))


def _contains(dialect: str, needle: str) -> ColumnElement[bool]:
    """``needle`` is in one of the searched columns, checked row by row (upper() folds Latin
    letters on both backends)."""
    position = func.instr if dialect == "sqlite" else func.strpos
    return or_(*(position(func.upper(column), needle.upper()) > 0 for column in _SEARCHED))


_SEARCHED = (AidCase.applicant_name, AidCase.id_number, AidCase.case_no)
