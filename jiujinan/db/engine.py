"""Engine setup: the one place that knows which database it talks to.

SQLite in the user's data directory is the embedded default; any SQLAlchemy URL works
(PostgreSQL for a shared office). Backend-specific settings stay in this module.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

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
    """The database as shown to a clerk: a file path, or a server's user@host:port/database
    (no driver name, never the password)."""
    path = sqlite_path(url)
    if path:
        return str(path)
    parsed = make_url(url)
    return f"{parsed.username or ''}@{parsed.host or ''}:{parsed.port or 5432}/{parsed.database or ''}"


def on_read_only_media(path: Path) -> bool:
    """Whether a database file sits where nothing may be written: a read-only mount, or a
    file and folder without write permission (judged by their mode bits as well, since
    the administrator ``root`` may write past them, and a CD or a locked USB stick is
    read-only for root too)."""
    folder = path.parent
    for place in (path, folder):
        try:
            if not place.stat().st_mode & 0o222 or not os.access(place, os.W_OK):
                return True
        except OSError:
            return False
    return False


def read_only_uri(path: Path) -> str:
    """The SQLite URI that opens ``path`` for reading only. On read-only media it is opened
    immutable: SQLite then writes no journal, -wal or -shm file and takes no lock (nothing
    can change the file there). The path is escaped (``#``, ``?``, ``%``, spaces and Chinese
    are ordinary characters in a folder name: unescaped, ``救助#2/j.db`` would open ``救助``)."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    return uri + "&immutable=1" if on_read_only_media(Path(path)) else uri


def pending_wal(path: Path) -> bool:
    """A -wal file with transactions not yet written back into the database beside it: an
    immutable reader would not see them."""
    wal = path.with_name(path.name + "-wal")
    return wal.is_file() and wal.stat().st_size > 0


def pending_wal_message(path: Path) -> str:
    """Why a database with a pending -wal file on read-only media is not read there."""
    return (f"{path.name} 旁边有尚未写回的 {path.name}-wal 文件，而它所在的位置只读："
            "请把这两个文件一起复制到可写的文件夹后再检查或备份")


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to ``path`` (see read_only_uri)."""
    return sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)


def make_read_only_engine(path: Path) -> Engine:
    """An engine that only reads ``path``: for ``check`` and ``backup`` of a database on
    read-only media, and for looking into a backup before trusting it."""
    sqlite3.register_adapter(dt.date, dt.date.isoformat)
    engine = create_engine("sqlite://", creator=lambda: connect_read_only(path), poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _no_autobegin(dbapi_conn, _record) -> None:  # noqa: ANN001
        dbapi_conn.isolation_level = None  # SQLAlchemy issues BEGIN itself, as make_engine's do

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # noqa: ANN001
        conn.exec_driver_sql("BEGIN")

    return engine


BUSY_WAIT = 15.0  # seconds a writer waits for another one before the clerk is told it is busy
CONNECT_TIMEOUT = 10  # seconds to reach a database server before the clerk is told it cannot
# libpq's TCP keepalives (an idle connection probed after 10 s, dead after 3 unanswered probes 5 s
# apart) and, on Linux, how long sent data may stay unacknowledged before the connection is dropped.
SERVER_GONE_QUIET = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
                     "tcp_user_timeout": 30_000}


def make_engine(url: str, busy_wait: float = BUSY_WAIT) -> Engine:
    """An engine with the backend's settings (SQLite: WAL, foreign keys, a busy timeout;
    PostgreSQL: a lock timeout of the same length)."""
    path = sqlite_path(url)
    if path is None:
        server = {"options": f"-c lock_timeout={int(busy_wait * 1000)}", "connect_timeout": CONNECT_TIMEOUT,
                  # A server gone quiet after connecting (a cable pulled, a router forgetting the
                  # connection) is noticed within about half a minute instead of never.
                  **SERVER_GONE_QUIET}
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
