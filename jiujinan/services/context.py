"""What every operation needs: the database, the data directory and the clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, DBAPIError, InternalError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from jiujinan.cases.clock import Clock
from jiujinan.cases.errors import DomainError
from jiujinan.db.engine import (
    BUSY_WAIT, database_url, describe, make_engine, make_read_only_engine, make_session_factory, on_read_only_media,
    pending_wal, pending_wal_message, sqlite_path,
)
from jiujinan.db import schema
from jiujinan.db.faults import Fault, fault
from jiujinan.db.migrate import NewerDatabaseError, current_revision, head_revision, upgrade


class DatabaseUnavailable(DomainError):
    """The database cannot be opened or written (locked, read-only, full disk)."""


class ForeignSchema(DomainError):
    """The database holds schema objects that are not the app's (a trigger that skims every
    contribution, a table that copies what is saved): nothing is written through them."""


class DatabaseDamaged(DatabaseUnavailable):
    """The file is not a database, or a damaged one: the way back is a backup."""


class PasswordNeeded(DatabaseUnavailable):
    """The database server asks for a password that was not given, or a wrong one: ask
    the person (GUI, terminal) and open again."""


@dataclass
class AppContext:
    """An open database with its data directory and clock, passed to every screen."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    data_dir: Path
    clock: Clock
    backup_made: Path | None = field(default=None)
    write_sessions: sessionmaker[Session] | None = field(default=None)
    read_only: bool = field(default=False)  # opened on read-only media: reads only
    # The schema's fingerprint when last compared with the app's, and what was not the app's.
    schema_seen: tuple[str, tuple[str, ...]] | None = field(default=None)

    @property
    def db_label(self) -> str:
        """The database as shown in the status bar."""
        return describe(self.url)

    @property
    def attachments_dir(self) -> Path:
        """Attachment files, named by their SHA-256, beside the database."""
        path = sqlite_path(self.url)
        base = path.parent if path else self.data_dir
        return base / "attachments"

    @contextmanager
    def write(self, *, guarded: bool = True) -> Iterator[Session]:
        """One transaction for one user action; storage faults become a clerk's message.
        ``guarded``: refused while the schema holds objects that are not the app's (only
        signing in, the search index's check and restoring write regardless)."""
        factory = self.write_sessions or self.sessions
        try:
            with factory.begin() as session:
                if guarded:
                    self._refuse_foreign_schema(session)
                yield session
        except (OperationalError, InternalError) as err:  # InternalError: PostgreSQL's read-only transaction
            raise DatabaseUnavailable(_storage_message(err)) from err

    def foreign_schema(self, session: Session) -> tuple[str, ...]:
        """What of the schema is not the app's, compared again only when its fingerprint
        moved since the last look (about 0.1 ms when it did not)."""
        conn = session.connection()
        now = schema.fingerprint(conn)
        if self.schema_seen is None or self.schema_seen[0] != now:
            self.schema_seen = (now, tuple(schema.not_ours(conn)))
        return self.schema_seen[1]

    def schema_not_ours(self) -> tuple[str, ...]:
        """What of the schema is not the app's, in short words (empty: all the app's)."""
        with self.read() as session:
            return self.foreign_schema(session)

    def _refuse_foreign_schema(self, session: Session) -> None:
        if found := self.foreign_schema(session):
            raise ForeignSchema(f"数据库里{'；'.join(found)}：在清除之前不能登记或修改；请管理员从备份恢复")

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session for one query; a lost server or file becomes a clerk's message."""
        try:
            with self.sessions() as session:
                yield session
        except OperationalError as err:
            raise DatabaseUnavailable(_read_message(err)) from err

    def close(self) -> None:
        self.engine.dispose()


# What the clerk is told for each fault, by what was being done (jiujinan.db.faults reads the
# fault from the driver's error code).
_BUSY = "数据库正被其他程序使用，请稍后再试"
_WRITE_MESSAGES = {
    Fault.BUSY: _BUSY,
    Fault.READ_ONLY_SERVER: "数据库服务器只允许读取（只读），无法保存，请联系数据库管理员",
    Fault.READ_ONLY_FILE: "数据库文件是只读的，无法保存，请检查文件权限",
    Fault.DISK_FULL: "磁盘空间不足，未能保存，请清理磁盘后再试",
    Fault.DISK_IO: "磁盘空间不足，未能保存，请清理磁盘后再试",  # as before codes were read (SQLite: "disk I/O error")
    Fault.CONNECTION: "与数据库服务器的连接中断，未能保存，请检查网络后再试",
}
_READ_MESSAGES = {
    Fault.BUSY: _BUSY,
    Fault.CONNECTION: "连不上数据库服务器（网络或服务器中断），请稍后再试；恢复后程序会自动重新连接",
}
_OPEN_MESSAGES = {
    Fault.WRONG_PASSWORD: "数据库用户名或密码不对",
    Fault.NO_PASSWORD: "服务器要求密码",
    Fault.NO_DATABASE: "服务器上没有这个数据库，请数据库管理员先创建（CREATE DATABASE），或检查数据库名",
    Fault.CONNECTION: "连不上数据库服务器：请检查服务器地址和端口、网络是否通、服务器是否开着",
    Fault.DAMAGED: "文件不是数据库或已损坏，可从备份恢复（jiujinan restore 备份文件 --user 管理员姓名）",
    Fault.CANNOT_OPEN: "无法打开该文件：所在文件夹可能是只读的、不存在，或没有权限",
    Fault.BUSY: _BUSY,
    Fault.READ_ONLY_SERVER: "数据库服务器只允许读取（只读），请联系数据库管理员",
    Fault.READ_ONLY_FILE: "数据库文件是只读的，请检查文件权限",
    Fault.DISK_FULL: "磁盘空间不足，请清理磁盘后再试",
}


def _storage_message(err: DBAPIError) -> str:
    return _WRITE_MESSAGES.get(fault(err)) or f"数据库出错，未能保存：{err.orig or err}"


def _read_message(err: DBAPIError) -> str:
    return _READ_MESSAGES.get(fault(err)) or f"数据库出错，未能读取：{err.orig or err}"


def open_failure(url: str, err: Exception) -> DatabaseUnavailable:
    """Why a database could not be opened, as the clerk is told (PasswordNeeded when the
    server wants a password: the caller asks for it)."""
    kind = fault(err)
    reason = _OPEN_MESSAGES.get(kind) or str(getattr(err, "orig", None) or err)
    message = f"无法打开数据库 {describe(url)}：{reason}"
    if kind in (Fault.NO_PASSWORD, Fault.WRONG_PASSWORD):
        return PasswordNeeded(message)
    return DatabaseDamaged(message) if kind is Fault.DAMAGED else DatabaseUnavailable(message)


def open_context(db: str | None, data_dir: Path, clock: Clock, *, busy_wait: float = BUSY_WAIT) -> AppContext:
    """Open (creating or upgrading) the database named by ``--db`` or the default one.
    ``busy_wait``: how long a write waits for another program's before saying it is busy."""
    url = database_url(db, data_dir)
    refuse_emptied(sqlite_path(url))
    try:
        engine = make_engine(url, busy_wait)
        backup = upgrade(engine, clock.now())
    except NewerDatabaseError as err:
        raise DatabaseUnavailable(str(err)) from err
    except (DatabaseError, OSError) as err:
        raise open_failure(url, err) from err
    return AppContext(url, engine, make_session_factory(engine), data_dir, clock, backup,
                      make_session_factory(engine, writing=True))


def refuse_emptied(path: Path | None) -> None:
    """A database file of 0 bytes (and no write-ahead log with anything in it) is not a new
    database: it was cut short (a crash, a full disk, a copy that failed). Starting on it would
    set up a new administrator on an empty database, and the daily backups would then push the
    good ones out; the clerk is sent to the backups instead."""
    if path is None or not path.is_file() or path.stat().st_size:
        return
    wal = path.with_name(path.name + "-wal")
    if wal.is_file() and wal.stat().st_size:
        return
    raise DatabaseDamaged(f"数据库文件 {path} 是空的（0 字节），可能在写入时被中断：请从备份恢复"
                          "（jiujinan restore 备份文件 --user 管理员姓名）；如果是新装的程序第一次启动就失败了，"
                          "删除这个空文件后再启动即可")


def read_only_file(db: str | None, data_dir: Path) -> Path | None:
    """The database file named by ``--db`` when it sits on read-only media (None otherwise)."""
    path = sqlite_path(database_url(db, data_dir))
    return path if path is not None and path.is_file() and on_read_only_media(path) else None


def open_read_only(db: str | None, data_dir: Path, clock: Clock) -> AppContext:
    """A database file on read-only media (a CD, a locked USB stick, a read-only folder),
    opened to read only, for ``check`` and ``backup``: immutable, so SQLite writes no
    journal, -wal or -shm file beside it; never upgraded."""
    url = database_url(db, data_dir)
    path = sqlite_path(url)
    assert path is not None
    if pending_wal(path):
        raise DatabaseUnavailable(pending_wal_message(path))
    engine = make_read_only_engine(path)
    try:
        revision = current_revision(engine)
    except (DatabaseError, OSError) as err:
        engine.dispose()
        raise open_failure(url, err) from err
    if revision != head_revision():
        engine.dispose()
        raise DatabaseUnavailable(f"数据库 {path} 在只读位置，它的表结构版本（{revision}）不是本程序的（{head_revision()}），"
                                  "无法在原处升级：请复制到可写的文件夹后再打开")
    return AppContext(url, engine, make_session_factory(engine), data_dir, clock, read_only=True)
