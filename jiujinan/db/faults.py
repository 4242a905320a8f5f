"""What went wrong with the database, read from the driver's error code, never from its words.

SQLite's result codes (``sqlite_errorcode``) and PostgreSQL's SQLSTATE (``sqlstate``) are
fixed by the engines; the English text beside them changes between driver versions, and a
server configured for Chinese answers in Chinese. Each caller turns a ``Fault`` into the
clerk's message for what it was doing (saving, reading, opening, backing up).

The one exception is a PostgreSQL connection the server turns down: libpq keeps no SQLSTATE
for it (psycopg 3.3: ``sqlstate`` is None and the failed connection keeps only its
``needs_password`` and ``used_password`` flags), so the wrong password and the missing
database are told apart by the server's words (``_SERVER_REFUSALS``); a server answering in
another language is then said to be unreachable, never asked for a password again.
"""

from __future__ import annotations

import errno
import sqlite3
import sys
from enum import Enum, auto


class Fault(Enum):
    """Why a database operation failed, as far as the clerk's message depends on it."""

    BUSY = auto()  # another program holds the lock (SQLite busy/locked, PostgreSQL lock or statement timeout)
    READ_ONLY_SERVER = auto()  # the server allows reading only (a standby, default_transaction_read_only)
    READ_ONLY_FILE = auto()  # the file or its file system may not be written
    DISK_FULL = auto()
    DISK_IO = auto()  # the disk failed a read or write (a removed stick, a lost network share)
    CONNECTION = auto()  # the server cannot be reached, or the connection to it was lost
    CANNOT_OPEN = auto()  # the file cannot be opened: no such folder, no permission
    DAMAGED = auto()  # not a database, or a corrupt one
    NO_PASSWORD = auto()  # the server wants a password and none was given
    WRONG_PASSWORD = auto()
    NO_DATABASE = auto()  # the server has no database of that name
    OTHER = auto()


# Primary SQLite result codes (an extended code such as SQLITE_READONLY_DBMOVED keeps its
# primary code in the low byte).
_SQLITE = {
    sqlite3.SQLITE_BUSY: Fault.BUSY,
    sqlite3.SQLITE_LOCKED: Fault.BUSY,
    sqlite3.SQLITE_READONLY: Fault.READ_ONLY_FILE,
    sqlite3.SQLITE_FULL: Fault.DISK_FULL,
    sqlite3.SQLITE_IOERR: Fault.DISK_IO,
    sqlite3.SQLITE_CANTOPEN: Fault.CANNOT_OPEN,
    sqlite3.SQLITE_CORRUPT: Fault.DAMAGED,
    sqlite3.SQLITE_NOTADB: Fault.DAMAGED,
}

# PostgreSQL SQLSTATEs: whole codes first, then classes (the first two characters).
_SQLSTATE = {
    "55P03": Fault.BUSY,  # lock_not_available: lock_timeout, which make_engine sets to the busy wait
    "57014": Fault.BUSY,  # query_canceled: statement_timeout
    "25006": Fault.READ_ONLY_SERVER,  # read_only_sql_transaction
    "53100": Fault.DISK_FULL,  # disk_full
    "57P01": Fault.CONNECTION,  # admin_shutdown
    "57P02": Fault.CONNECTION,  # crash_shutdown
    "57P03": Fault.CONNECTION,  # cannot_connect_now: starting up or shutting down
    "28P01": Fault.WRONG_PASSWORD,  # invalid_password
    "3D000": Fault.NO_DATABASE,  # invalid_catalog_name
}
_SQLSTATE_CLASS = {"08": Fault.CONNECTION}  # connection_exception

# The server's words for a refused connection, which libpq gives without a SQLSTATE (see above).
_SERVER_REFUSALS = (
    (("password authentication failed",), Fault.WRONG_PASSWORD),  # 28P01
    (("database", "does not exist"), Fault.NO_DATABASE),  # 3D000
)

_ERRNO = {
    errno.ENOSPC: Fault.DISK_FULL,
    errno.EROFS: Fault.READ_ONLY_FILE,
    errno.EACCES: Fault.CANNOT_OPEN,
    errno.EPERM: Fault.CANNOT_OPEN,
    errno.ENOENT: Fault.CANNOT_OPEN,
    errno.EIO: Fault.DISK_IO,
}


def fault(err: BaseException | None) -> Fault:
    """The kind of ``err``: a driver's error, SQLAlchemy's wrapping of one, or an OSError."""
    if err is None:
        return Fault.OTHER
    if getattr(err, "connection_invalidated", False):  # SQLAlchemy saw the connection drop
        return Fault.CONNECTION
    orig = getattr(err, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's error
    if isinstance(orig, BaseException):
        return fault(orig)
    if isinstance(err, sqlite3.Error):
        return _SQLITE.get((getattr(err, "sqlite_errorcode", None) or 0) & 0xFF, Fault.OTHER)
    if _is_psycopg(err):
        return _postgres(err)
    if isinstance(err, OSError):
        return _ERRNO.get(err.errno or 0, Fault.OTHER)
    return Fault.OTHER


def _is_psycopg(err: BaseException) -> bool:
    """Without importing psycopg: an error of it exists only once something imported it."""
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(err, psycopg.Error)


def _postgres(err: BaseException) -> Fault:
    state = getattr(err, "sqlstate", None)
    if state:
        return _SQLSTATE.get(state) or _SQLSTATE_CLASS.get(state[:2], Fault.OTHER)
    # No SQLSTATE: the connection could not be made or was lost on the way.
    pgconn = getattr(err, "pgconn", None)
    if pgconn is not None and getattr(pgconn, "needs_password", False):
        return Fault.NO_PASSWORD
    text = str(err).lower()
    for words, kind in _SERVER_REFUSALS:
        if all(word in text for word in words):
            return kind
    return Fault.CONNECTION
