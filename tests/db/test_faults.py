"""A database fault is read from the driver's error code, never from its English words: real
errors from SQLite and PostgreSQL where they are cheap to cause, constructed ones (as the
drivers build them) for the rest, and the clerk's message for each."""

import datetime as dt
import errno
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from jiujinan.db.faults import Fault, fault
from jiujinan.services.context import _read_message, _storage_message, open_failure, PasswordNeeded


def raised(action) -> BaseException:  # noqa: ANN001
    """The error ``action`` raises (it must raise)."""
    try:
        action()
    except Exception as err:  # noqa: BLE001 - the error is what is looked at
        return err
    raise AssertionError("no error raised")


def sqlite_error(code: int, message: str = "words that say nothing") -> sqlite3.Error:
    """An error as the sqlite3 module raises it: the result code set, whatever the words."""
    err = sqlite3.OperationalError(message)
    err.sqlite_errorcode = code
    return err


def wrapped(orig: BaseException, invalidated: bool = False) -> OperationalError:
    """The driver's error as SQLAlchemy hands it on."""
    return OperationalError("INSERT …", {}, orig, connection_invalidated=invalidated)


# --- real SQLite errors ---------------------------------------------------------------

def test_a_file_another_program_is_writing_is_busy(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    with closing(sqlite3.connect(db, isolation_level=None)) as other, \
            closing(sqlite3.connect(db, timeout=0, isolation_level=None)) as mine:
        other.execute("CREATE TABLE t (x)")
        other.execute("BEGIN IMMEDIATE")  # another program is writing
        err = raised(lambda: mine.execute("INSERT INTO t VALUES (1)"))
        other.execute("ROLLBACK")
    assert fault(err) is Fault.BUSY
    assert _storage_message(wrapped(err)) == "数据库正被其他程序使用，请稍后再试"


def test_a_file_opened_read_only_is_read_only(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE t (x)")
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as ro:
        err = raised(lambda: ro.execute("INSERT INTO t VALUES (1)"))
    assert fault(err) is Fault.READ_ONLY_FILE
    assert _storage_message(wrapped(err)) == "数据库文件是只读的，无法保存，请检查文件权限"


def test_a_full_file_is_a_full_disk(tmp_path: Path) -> None:
    with closing(sqlite3.connect(tmp_path / "v.db")) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
        err = raised(lambda: conn.execute("INSERT INTO t VALUES (?)", ("困" * 10_000,)))
    assert fault(err) is Fault.DISK_FULL
    assert _storage_message(wrapped(err)) == "磁盘空间不足，未能保存，请清理磁盘后再试"


def test_a_file_that_is_no_database_and_one_that_cannot_be_opened(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with closing(sqlite3.connect(junk)) as conn:
        assert fault(raised(lambda: conn.execute("SELECT * FROM sqlite_master"))) is Fault.DAMAGED
    nowhere = create_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'folder.db'}")
    err = raised(nowhere.connect)  # SQLAlchemy's wrapping of SQLITE_CANTOPEN
    assert fault(err) is Fault.CANNOT_OPEN
    assert str(open_failure("sqlite:///x.db", err)).endswith("无法打开该文件：所在文件夹可能是只读的、不存在，或没有权限")


# --- the rest, as the drivers build them ----------------------------------------------

@pytest.mark.parametrize(("code", "kind"), [
    (sqlite3.SQLITE_BUSY, Fault.BUSY),
    (517, Fault.BUSY),  # SQLITE_BUSY_SNAPSHOT: an extended code keeps its primary one in the low byte
    (sqlite3.SQLITE_LOCKED, Fault.BUSY),
    (sqlite3.SQLITE_READONLY, Fault.READ_ONLY_FILE),
    (1032, Fault.READ_ONLY_FILE),  # SQLITE_READONLY_DBMOVED
    (sqlite3.SQLITE_FULL, Fault.DISK_FULL),
    (sqlite3.SQLITE_IOERR, Fault.DISK_IO),
    (778, Fault.DISK_IO),  # SQLITE_IOERR_WRITE
    (sqlite3.SQLITE_CANTOPEN, Fault.CANNOT_OPEN),
    (sqlite3.SQLITE_CORRUPT, Fault.DAMAGED),
    (267, Fault.DAMAGED),  # SQLITE_CORRUPT_VTAB
    (sqlite3.SQLITE_NOTADB, Fault.DAMAGED),
    (sqlite3.SQLITE_CONSTRAINT, Fault.OTHER),
])
def test_sqlite_result_codes(code: int, kind: Fault) -> None:
    assert fault(sqlite_error(code)) is kind
    assert fault(wrapped(sqlite_error(code))) is kind


@pytest.mark.parametrize(("name", "kind"), [
    ("LockNotAvailable", Fault.BUSY),  # 55P03: lock_timeout
    ("QueryCanceled", Fault.BUSY),  # 57014: statement_timeout
    ("ReadOnlySqlTransaction", Fault.READ_ONLY_SERVER),  # 25006
    ("DiskFull", Fault.DISK_FULL),  # 53100
    ("AdminShutdown", Fault.CONNECTION),  # 57P01
    ("CrashShutdown", Fault.CONNECTION),  # 57P02
    ("CannotConnectNow", Fault.CONNECTION),  # 57P03
    ("ConnectionFailure", Fault.CONNECTION),  # 08006, the 08 class
    ("SqlclientUnableToEstablishSqlconnection", Fault.CONNECTION),  # 08001
    ("InvalidPassword", Fault.WRONG_PASSWORD),  # 28P01
    ("InvalidCatalogName", Fault.NO_DATABASE),  # 3D000
    ("UniqueViolation", Fault.OTHER),
    ("OutOfMemory", Fault.OTHER),  # 53200: a full disk only by 53100
])
def test_postgresql_sqlstates(name: str, kind: Fault) -> None:
    errors = pytest.importorskip("psycopg.errors")
    err = getattr(errors, name)("words that say nothing")
    assert fault(err) is kind and fault(wrapped(err)) is kind


def test_a_postgresql_error_without_sqlstate_is_a_lost_connection() -> None:
    psycopg = pytest.importorskip("psycopg")
    assert fault(psycopg.OperationalError("the connection is lost")) is Fault.CONNECTION
    assert fault(wrapped(ValueError("anything"), invalidated=True)) is Fault.CONNECTION  # SQLAlchemy saw it drop


@pytest.mark.parametrize(("number", "kind"), [
    (errno.ENOSPC, Fault.DISK_FULL), (errno.EROFS, Fault.READ_ONLY_FILE), (errno.EACCES, Fault.CANNOT_OPEN),
    (errno.EIO, Fault.DISK_IO), (errno.EEXIST, Fault.OTHER),
])
def test_file_system_errors_by_errno(number: int, kind: Fault) -> None:
    assert fault(OSError(number, "words")) is kind


def test_the_words_alone_decide_nothing() -> None:
    assert fault(None) is fault(ValueError("database is locked")) is fault(sqlite3.Error()) is Fault.OTHER
    assert fault(sqlite3.OperationalError("database is locked")) is Fault.OTHER  # no result code


# --- what the clerk is told -----------------------------------------------------------

@pytest.mark.parametrize(("code", "saving", "reading"), [
    (sqlite3.SQLITE_BUSY, "数据库正被其他程序使用，请稍后再试", "数据库正被其他程序使用，请稍后再试"),
    (sqlite3.SQLITE_READONLY, "数据库文件是只读的，无法保存，请检查文件权限", "数据库出错，未能读取：words"),
    (sqlite3.SQLITE_FULL, "磁盘空间不足，未能保存，请清理磁盘后再试", "数据库出错，未能读取：words"),
    (sqlite3.SQLITE_IOERR, "磁盘空间不足，未能保存，请清理磁盘后再试", "数据库出错，未能读取：words"),
    (sqlite3.SQLITE_CONSTRAINT, "数据库出错，未能保存：words", "数据库出错，未能读取：words"),
])
def test_sqlite_messages(code: int, saving: str, reading: str) -> None:
    err = wrapped(sqlite_error(code, "words"))
    assert (_storage_message(err), _read_message(err)) == (saving, reading)


@pytest.mark.parametrize(("name", "saving", "reading"), [
    ("ReadOnlySqlTransaction", "数据库服务器只允许读取（只读），无法保存，请联系数据库管理员", "数据库出错，未能读取：words"),
    ("LockNotAvailable", "数据库正被其他程序使用，请稍后再试", "数据库正被其他程序使用，请稍后再试"),
    ("DiskFull", "磁盘空间不足，未能保存，请清理磁盘后再试", "数据库出错，未能读取：words"),
    ("AdminShutdown", "与数据库服务器的连接中断，未能保存，请检查网络后再试",
     "连不上数据库服务器（网络或服务器中断），请稍后再试；恢复后程序会自动重新连接"),
])
def test_postgresql_messages(name: str, saving: str, reading: str) -> None:
    errors = pytest.importorskip("psycopg.errors")
    err = wrapped(getattr(errors, name)("words"))
    assert (_storage_message(err), _read_message(err)) == (saving, reading)


@pytest.mark.parametrize(("err", "shown", "ask"), [
    (sqlite_error(sqlite3.SQLITE_NOTADB), "文件不是数据库或已损坏，可从备份恢复（jiujinan restore 备份文件 --user 管理员姓名）", False),
    (sqlite_error(sqlite3.SQLITE_BUSY), "数据库正被其他程序使用，请稍后再试", False),
    (sqlite_error(sqlite3.SQLITE_READONLY), "数据库文件是只读的，请检查文件权限", False),
    (OSError(errno.EROFS, "Read-only file system"), "数据库文件是只读的，请检查文件权限", False),
    (sqlite_error(sqlite3.SQLITE_CANTOPEN), "无法打开该文件：所在文件夹可能是只读的、不存在，或没有权限", False),
    (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足，请清理磁盘后再试", False),
    (PermissionError(errno.EACCES, "Permission denied"), "无法打开该文件：所在文件夹可能是只读的、不存在，或没有权限", False),
    (sqlite_error(sqlite3.SQLITE_CONSTRAINT, "as the driver said"), "as the driver said", False),
])
def test_opening_messages(err: BaseException, shown: str, ask: bool) -> None:
    failure = open_failure("sqlite:////data/v.db", wrapped(err) if isinstance(err, sqlite3.Error) else err)
    assert str(failure) == f"无法打开数据库 /data/v.db：{shown}"
    assert isinstance(failure, PasswordNeeded) is ask


# --- real PostgreSQL errors (with JIUJINAN_TEST_PG) ------------------------------------

def test_postgresql_faults_from_a_real_server(pg_url) -> None:  # noqa: ANN001
    import psycopg

    url = make_url(pg_url)
    dsn = dict(host=url.host, port=url.port, user=url.username, dbname=url.database)
    with psycopg.connect(**dsn, autocommit=True) as holder, psycopg.connect(**dsn) as other:
        holder.execute("CREATE TABLE t (x int)")
        holder.execute("SET default_transaction_read_only = on")
        assert fault(raised(lambda: holder.execute("INSERT INTO t VALUES (1)"))) is Fault.READ_ONLY_SERVER
        holder.execute("SET default_transaction_read_only = off")
        holder.execute("BEGIN")
        holder.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE")
        other.execute("SET lock_timeout = 100")
        assert fault(raised(lambda: other.execute("INSERT INTO t VALUES (1)"))) is Fault.BUSY  # 55P03
        other.rollback()
        other.execute("SET statement_timeout = 100")
        assert fault(raised(lambda: other.execute("SELECT pg_sleep(1)"))) is Fault.BUSY  # 57014
        other.rollback()
        holder.execute("ROLLBACK")
        holder.execute("SELECT pg_terminate_backend(%s)", (other.info.backend_pid,))
        assert fault(raised(lambda: other.execute("SELECT 1"))) is Fault.CONNECTION  # 57P01
        assert fault(raised(lambda: other.execute("SELECT 1"))) is Fault.CONNECTION  # then no SQLSTATE at all
    missing = raised(lambda: psycopg.connect(**{**dsn, "dbname": "no_such_database"}))
    assert fault(missing) is Fault.NO_DATABASE
    assert fault(raised(lambda: psycopg.connect(host="127.0.0.1", port=9, connect_timeout=2))) is Fault.CONNECTION
    engine = create_engine(pg_url, pool_pre_ping=True)
    with engine.connect() as conn:
        pid = conn.scalar(text("SELECT pg_backend_pid()"))
        with psycopg.connect(**dsn, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        lost = raised(lambda: conn.execute(text("SELECT 1")))
    engine.dispose()
    assert fault(lost) is Fault.CONNECTION
    assert _read_message(lost) == "连不上数据库服务器（网络或服务器中断），请稍后再试；恢复后程序会自动重新连接"


def test_a_server_asking_a_password_by_its_flags(pg_password_server) -> None:  # noqa: ANN001
    import psycopg

    setting, password = pg_password_server
    dsn = dict(host=setting.host, port=setting.port, user=setting.user, dbname=setting.database)
    assert fault(raised(lambda: psycopg.connect(**dsn))) is Fault.NO_PASSWORD  # libpq's needs_password
    assert fault(raised(lambda: psycopg.connect(**dsn, password="wrong"))) is Fault.WRONG_PASSWORD
    psycopg.connect(**dsn, password=password).close()


def test_an_emptied_database_file_is_not_taken_for_a_new_one(tmp_path: Path) -> None:
    """A file cut to 0 bytes (a crash, a full disk) would otherwise start as a new database and
    set up a new administrator; it is refused, with the way back, and left as it was."""
    from jiujinan.cases.clock import FixedClock
    from jiujinan.services.context import DatabaseUnavailable, open_context

    clock = FixedClock(dt.datetime(2026, 12, 1, 2, tzinfo=dt.timezone.utc))
    emptied = tmp_path / "青山村.db"
    emptied.write_bytes(b"")
    with pytest.raises(DatabaseUnavailable, match="是空的（0 字节）.*请从备份恢复"):
        open_context(str(emptied), tmp_path, clock)
    assert emptied.stat().st_size == 0 and not (tmp_path / "青山村.db-wal").exists()
    new = tmp_path / "新.db"  # a file that is not there yet is a new database, as always
    open_context(str(new), tmp_path, clock).close()
    assert new.stat().st_size > 0
    open_context(str(new), tmp_path, clock).close()  # and opens again
