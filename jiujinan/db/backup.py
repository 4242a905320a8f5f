"""Backups of the embedded SQLite database through SQLite's online backup API: a consistent
copy of the live file (other connections may keep working), checked before anything is
restored from it. A shared PostgreSQL database is backed up by its administrator instead."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from jiujinan.cases.errors import DomainError
from jiujinan.cases.restore import Administrator, BackupSummary
from jiujinan.cases.users import Role, parse_roles
from jiujinan.files import LinkRefused, new_beside, open_private
from jiujinan.db import schema
from jiujinan.db.models import AidCase, AppUser, AuditEntry, Society
from jiujinan.db.engine import connect_read_only, on_read_only_media, pending_wal, pending_wal_message
from jiujinan.db.faults import Fault, fault


def private_file(path: Path) -> None:
    """Create ``path`` empty and readable by its owner only (on POSIX), or tighten it."""
    open_private(path, "ab").close()


def read_only(path: Path) -> sqlite3.Connection:
    """Open a database file read-only (immutable on read-only media, see engine.read_only_uri);
    one left with unwritten transactions in a -wal file on read-only media is refused, as an
    immutable reader would miss them."""
    if on_read_only_media(Path(path)) and pending_wal(Path(path)):
        raise DomainError(pending_wal_message(Path(path)))
    return connect_read_only(Path(path))


def copy_database(source: Path, target: Path, failed: str = "备份失败") -> None:
    """A consistent copy of the live database ``source`` at ``target`` (owner-only). Written
    under a name of our own first (files.new_beside): ``target`` is either the whole copy or
    absent, and a link at ``target`` is refused, never written through."""
    if target.is_symlink():
        raise LinkRefused(target)
    part = None
    try:
        part = new_beside(target)
        src = read_only(source)
        try:
            dst = sqlite3.connect(part)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(part, target)
    except sqlite3.Error as err:
        raise DomainError(f"{failed}：{reason(err)}") from err
    except OSError as err:
        raise DomainError(f"无法写入 {target}：{err.strerror or err}") from err
    finally:
        if part is not None:
            part.unlink(missing_ok=True)


def copy_bytes(source: Path, target: Path) -> None:
    """``source`` copied byte for byte to ``target`` (owner-only): for a damaged file, which
    the backup API cannot read."""
    try:
        private_file(target)
        shutil.copyfile(source, target)
    except OSError as err:
        raise DomainError(f"无法写入 {target}：{err.strerror or err}") from err


def copy_for_checking(backup: Path, work: Path) -> None:
    """The backup's pages copied into ``work``: it is checked there and restored from there,
    so a file changed after its check is never what is restored."""
    if not backup.is_file():
        raise DomainError(f"找不到备份文件 {backup}")
    copy_database(backup, work, failed="这不是可用的数据库备份")


def backup_revision(conn: Connection) -> str:
    """Check that the database on ``conn`` (a backup) is whole and exactly this app's
    schema: ``integrity_check`` passes, one schema-version row at a revision this app
    knows, every table, index, trigger and view the app's migrations create there and no
    other. Returns the revision; raises DomainError naming what is wrong."""
    from jiujinan.db.migrate import NewerDatabaseError, check_revision  # migrate backs up through this module

    try:
        verdict = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
        if verdict != "ok":
            raise DomainError(f"备份文件已损坏（{verdict}），不能用来恢复")
        versions = schema.revisions(conn)
        if not versions or not schema.has_tables(conn, "society", "aid_case", "ledger_entry"):
            raise DomainError("这不是本程序的数据库备份")
    except sqlite3.DatabaseError as err:
        raise DomainError(f"这不是可用的数据库备份：{reason(err)}") from err
    except DBAPIError as err:
        raise DomainError(f"这不是可用的数据库备份：{reason(err.orig or err)}") from err
    if len(versions) != 1:
        raise DomainError(f"备份中有 {len(versions)} 条表结构版本记录（应为 1 条）：不能从它恢复")
    revision = versions[0]
    try:
        check_revision(revision)
    except NewerDatabaseError as err:
        raise DomainError(f"这份备份的表结构版本（{revision}）本程序不认识，可能来自更新版本的程序：请升级程序后再恢复") from err
    if wrong := schema.sqlite_differences(conn, revision):
        raise DomainError(f"备份中{'；'.join(wrong)}：不能从它恢复")
    return revision


def summary(session: Session) -> BackupSummary:
    """What a database (a checked backup, at this app's schema) holds: its societies, how
    many cases, when it was last changed, its active administrators."""
    societies = tuple((code, name) for code, name in session.execute(
        select(Society.area_code, Society.name).order_by(Society.area_code)))
    last = session.scalar(select(func.max(AuditEntry.at)))
    admins = tuple(Administrator(name, area or "") for name, roles, area in session.execute(
        select(AppUser.name, AppUser.roles, AppUser.area).where(AppUser.active.is_(True)).order_by(AppUser.id))
        if Role.ADMIN in parse_roles(roles or "clerk"))
    return BackupSummary(societies, session.scalar(select(func.count()).select_from(AidCase)) or 0,
                         last.astimezone().date() if last else None, admins)


def restore_into(backup: Path, database: Path) -> None:
    """Write the backup's pages over the live database (through the backup API, so the
    file's locks are respected and no half-copied file is ever opened)."""
    try:
        src = read_only(backup)
        try:
            private_file(database)  # a database made by the restore is its owner's only, like every file
            dst = sqlite3.connect(database, timeout=15)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.DatabaseError as err:
        if fault(err) is not Fault.DAMAGED:
            raise DomainError(f"恢复失败，原数据库未改动：{reason(err)}") from err
        _replace_damaged(backup, database)


def _replace_damaged(backup: Path, database: Path) -> None:
    """A database that is not one (or is corrupt) cannot take the backup's pages: the whole
    checked file takes its place in one rename, and the damaged file's -wal and -shm go
    (SQLite would otherwise replay them onto the restored file)."""
    part = None
    try:
        part = new_beside(database)
        copy_bytes(backup, part)
        with part.open("rb+") as stream:
            os.fsync(stream.fileno())
        for leftover in ("-wal", "-shm", "-journal"):
            database.with_name(database.name + leftover).unlink(missing_ok=True)
        os.replace(part, database)
    except OSError as err:
        raise DomainError(f"恢复失败：{err.strerror or err}") from err
    finally:
        if part is not None:
            part.unlink(missing_ok=True)


_REASONS = {
    Fault.DAMAGED: "文件不是数据库，或已损坏",
    Fault.BUSY: "数据库正被其他程序使用，请关闭后再试",
    Fault.DISK_FULL: "磁盘空间不足",
    Fault.READ_ONLY_FILE: "无法打开或写入该文件，请检查路径和权限",
    Fault.CANNOT_OPEN: "无法打开或写入该文件，请检查路径和权限",
}


def reason(err: BaseException) -> str:
    """A driver error as a clerk reads it: by SQLite's result code (the driver's English
    text changes between versions and means nothing to a clerk)."""
    if (getattr(err, "sqlite_errorcode", None) or 0) & 0xFF == sqlite3.SQLITE_CORRUPT:
        return "文件已损坏"
    return _REASONS.get(fault(err)) or str(err)
