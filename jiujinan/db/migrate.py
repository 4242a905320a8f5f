"""Schema upgrades with Alembic, run from code; an existing file is backed up first.

Alembic (and Mako and Pygments under it) is imported only when a schema must be changed or
an odd version table read: opening a database already at head, every start but the first
after an update, reads its revision with one query and does not pay for it."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from jiujinan.db.backup import copy_database
from jiujinan.db.engine import sqlite_path

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine, now: dt.datetime | None = None) -> Config:
    """An Alembic config that runs on ``engine`` (no alembic.ini needed); ``now`` is the time
    a migration writes on the audit trail (0012's baseline)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    cfg.attributes["now"] = now or dt.datetime.now(dt.timezone.utc)  # the edge of the program
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest schema revision this version of the app knows: the highest number that
    starts a file name in versions/ (each revision is named by its file's number; a test
    holds this to Alembic's own answer, which costs 6 ms of every start to compute)."""
    numbers = [p.name[:4] for p in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")]
    return max(numbers, default="")


def current_revision(engine: Engine) -> str | None:
    """The schema revision of the database, or None for an empty database. The usual case,
    one row that names a revision, is read with one query; anything else (no table, several
    rows) is Alembic's to answer."""
    with engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except DBAPIError:
            rows = []
            conn.rollback()
        if len(rows) == 1:
            return rows[0]
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(conn).get_current_revision()


class NewerDatabaseError(RuntimeError):
    """The database was written by a newer version of the app."""


def upgrade(engine: Engine, now: dt.datetime, *, keep_copy: bool = True) -> Path | None:
    """Bring the schema to head; a non-empty SQLite file is copied aside first (unless
    ``keep_copy`` is False: a scratch copy being checked needs none).

    Returns the backup's path when one was made.
    """
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        _trigram_index(engine)
        return None
    check_revision(current)
    backup = None
    path = sqlite_path(str(engine.url))
    if keep_copy and current is not None and path is not None and path.exists():
        backup = path.with_name(f"{path.stem}.before-{head}-{now:%Y%m%d%H%M%S}{path.suffix}")
        copy_database(path, backup)
    from alembic import command

    command.upgrade(alembic_config(engine, now), "head")
    return backup


def _trigram_index(engine: Engine) -> None:
    """On PostgreSQL, the search's trigram index if migration 0009 could not make it (the
    pg_trgm extension was missing then): an administrator adds the extension and the next
    start or ``jiujinan db upgrade`` builds the index."""
    if engine.dialect.name == "postgresql":
        from jiujinan.db.search import create_pg_trigram_index

        with engine.begin() as conn:
            create_pg_trigram_index(conn)


def check_revision(revision: str | None) -> None:
    """Refuse a schema revision this app does not know (a newer app wrote it)."""
    from alembic.script import ScriptDirectory

    if revision is not None and not _known(ScriptDirectory(str(MIGRATIONS_DIR)), revision):
        raise NewerDatabaseError(f"数据库版本（{revision}）比本程序新，请升级程序后再打开")


def _known(script: ScriptDirectory, revision: str) -> bool:
    from alembic.util.exc import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False
