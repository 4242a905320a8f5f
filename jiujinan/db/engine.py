"""Engine setup: the one place that knows which database it talks to.

SQLite in the user's data directory is the embedded default; any SQLAlchemy URL works
(PostgreSQL for a shared office). Backend-specific settings stay in this module.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from jiujinan.files import open_private, private_dir, tighten

DEFAULT_DB_NAME = "jiujinan.db"
WRITE_OPTION = "jiujinan_write"  # execution option marking a transaction that will write


def database_url(db: str | None, data_dir: Path) -> str:
    """The SQLAlchemy URL for ``--db``: a URL as given, a file path as SQLite, None as default.
    A path may hold spaces, Chinese, ``~`` or URL characters (``?``, ``#``, ``%``): it is
    escaped into the URL, never parsed as one."""
    if not db:
        return sqlite_url(data_dir / DEFAULT_DB_NAME)
    if "://" in db:
        return db
    return sqlite_url(Path(db).expanduser())


def sqlite_url(path: Path) -> str:
    """The SQLite URL of a file (made absolute)."""
    return URL.create("sqlite", database=str(path.resolve())).render_as_string(hide_password=False)


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other backends and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def describe(url: str) -> str:
    """The database as shown to a clerk: a file path, or a URL without its password."""
    path = sqlite_path(url)
    return str(path) if path else make_url(url).render_as_string(hide_password=True)


BUSY_WAIT = 15.0  # seconds a writer waits for another one before the clerk is told it is busy
CONNECT_TIMEOUT = 10  # seconds to reach a database server before the clerk is told it cannot


def make_engine(url: str, busy_wait: float = BUSY_WAIT) -> Engine:
    """An engine with the backend's settings (SQLite: WAL, foreign keys, a busy timeout;
    PostgreSQL: a lock timeout of the same length)."""
    path = sqlite_path(url)
    if path is None:
        server = {"options": f"-c lock_timeout={int(busy_wait * 1000)}", "connect_timeout": CONNECT_TIMEOUT}
        return create_engine(url, pool_pre_ping=True, connect_args=server if url.startswith("postgresql") else {})
    # Dates sent straight to the driver (bulk inserts) are stored as SQLAlchemy stores them.
    sqlite3.register_adapter(dt.date, dt.date.isoformat)
    private_dir(path.parent)
    # Personal data: the file is its owner's only; SQLite gives its -wal, -shm and -journal
    # the database's mode, and those left by an older version are tightened as well.
    if not path.exists():
        open_private(path, "ab").close()
    for part in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))):
        if part.exists():
            tighten(part)
    engine = create_engine(url, connect_args={"timeout": busy_wait})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
        # Let SQLAlchemy issue BEGIN itself: the sqlite3 module otherwise commits before
        # DDL, and a failed schema upgrade would leave half a schema behind.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA cache_size=-32768")  # 32 MB of pages: an import's index inserts 25% faster
        cur.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn) -> None:  # noqa: ANN001
        # A writing transaction takes the write lock at once (BEGIN IMMEDIATE), so two
        # processes paying from one fund are serialised instead of racing check-then-write.
        writing = conn.get_execution_options().get(WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def make_session_factory(engine: Engine, *, writing: bool = False) -> sessionmaker[Session]:
    """One Session per user action: ``with factory.begin() as s: ...``; ``writing`` sessions
    lock for writing from their first statement (see WRITE_OPTION)."""
    if writing:
        bind = engine.execution_options(**{WRITE_OPTION: True})
    elif engine.dialect.name == "postgresql":
        # A read (a report, an export) sees one snapshot from its first query to its end,
        # as a read transaction on SQLite does; PostgreSQL's default would let a payment
        # committed halfway through show up in the second half.
        bind = engine.execution_options(isolation_level="REPEATABLE READ")
    else:
        bind = engine
    return sessionmaker(bind, expire_on_commit=False)
