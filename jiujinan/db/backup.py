"""Backups of the embedded SQLite database through SQLite's online backup API: a consistent
copy of the live file (other connections may keep working), checked before anything is
restored from it. A shared PostgreSQL database is backed up by its administrator instead."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from jiujinan.cases.errors import DomainError
from jiujinan.files import open_private
from jiujinan.db.search import normalised, sqlite_code_objects


def private_file(path: Path) -> None:
    """Create ``path`` empty and readable by its owner only (on POSIX), or tighten it."""
    open_private(path, "ab").close()


def read_only(path: Path) -> sqlite3.Connection:
    """Open a database file read-only. The path goes into an SQLite URI escaped (``#``,
    ``?``, ``%``, spaces and Chinese are ordinary characters in a folder name): unescaped,
    ``救助#2/j.db`` would open ``救助`` and back up an empty database."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of the live database ``source`` at ``target`` (owner-only). Written
    under a temporary name first: ``target`` is either the whole copy or absent."""
    part = target.with_name(target.name + ".part")
    try:
        part.unlink(missing_ok=True)
        private_file(part)
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
        part.unlink(missing_ok=True)
        raise DomainError(f"备份失败：{_reason(err)}") from err
    except OSError as err:
        part.unlink(missing_ok=True)
        raise DomainError(f"无法写入备份 {target}：{err.strerror or err}") from err


def backup_revision(path: Path) -> str:
    """Check that ``path`` is a whole, readable database of this app; returns its schema
    revision. Raises DomainError saying what is wrong with it."""
    if not path.is_file():
        raise DomainError(f"找不到备份文件 {path}")
    try:
        conn = read_only(path)
        try:
            (verdict,) = conn.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise DomainError(f"备份文件已损坏（{verdict}），不能用来恢复")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"alembic_version", "society", "aid_case", "ledger_entry"} <= tables:
                raise DomainError("这不是本程序的数据库备份")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if row is None:
                raise DomainError("这不是本程序的数据库备份")
            _refuse_foreign_code(conn, str(row[0]))
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        raise DomainError(f"这不是可用的数据库备份：{_reason(err)}") from err
    return str(row[0])


def _refuse_foreign_code(conn: sqlite3.Connection, revision: str) -> None:
    """A backup runs nothing this app did not put there: its triggers, views and virtual
    tables must be exactly those of our schema at its revision (the search index's, see
    db/search.py). A trigger slipped into a backup would run on the clerk's every save; a
    missing one would leave the search index behind the cases."""
    found = {(kind, name, normalised(sql or "")) for kind, name, sql in conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view') "
        "OR (type = 'table' AND upper(sql) LIKE 'CREATE VIRTUAL TABLE%')")}
    ours = sqlite_code_objects(revision)
    foreign = sorted(name for _kind, name, _sql in found - ours)
    if foreign:
        raise DomainError(f"备份中有本程序不会创建的触发器、视图或虚拟表（{'、'.join(foreign)}），不能用来恢复")
    if missing := sorted(name for _kind, name, _sql in ours - found):
        raise DomainError(f"备份缺少本程序的触发器或虚拟表（{'、'.join(missing)}），不能用来恢复")


def restore_into(backup: Path, database: Path) -> None:
    """Write the backup's pages over the live database (through the backup API, so the
    file's locks are respected and no half-copied file is ever opened)."""
    try:
        src = read_only(backup)
        try:
            dst = sqlite3.connect(database, timeout=15)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as err:
        raise DomainError(f"恢复失败，原数据库未改动：{_reason(err)}") from err


def _reason(err: Exception) -> str:
    text = str(err).lower()
    if "locked" in text or "busy" in text:
        return "数据库正被其他程序使用，请关闭后再试"
    if "full" in text:
        return "磁盘空间不足"
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return "无法打开或写入该文件，请检查路径和权限"
    return str(err)
