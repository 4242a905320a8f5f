"""Backups: made on closing the app, once a day and before every schema upgrade, kept to the
newest N in a folder the clerk chooses; restoring checks the backup first and keeps the
current file aside."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from jiujinan.cases.errors import DomainError
from jiujinan.db import audit
from jiujinan.db import backup as db_backup
from jiujinan.db.engine import database_url, sqlite_path
from jiujinan.db.migrate import NewerDatabaseError, check_revision, upgrade
from jiujinan.cases.users import Permission
from jiujinan.services.access import WHOLE_DATABASE, authorize, check_whole
from jiujinan.services.context import AppContext

DEFAULT_KEEP = 10
REASONS = {"manual": "手动", "daily": "每日", "close": "关闭时"}
_NAME = re.compile(r"^(?P<stem>.+)-(?P<at>\d{8}-\d{6})-(?P<reason>[a-z]+)\.db$")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: dt.datetime  # local time, from the name
    reason: str

    @property
    def label(self) -> str:
        return f"{self.made_at:%Y-%m-%d %H:%M:%S}（{REASONS.get(self.reason, self.reason)}）"


def default_folder(data_dir: Path) -> Path:
    return data_dir / "backups"


def applies(url: str) -> bool:
    """Whether the app backs this database up itself (a file; a server is backed up with pg_dump)."""
    return sqlite_path(url) is not None


def _database_file(url: str) -> Path:
    path = sqlite_path(url)
    if path is None:
        raise DomainError("备份与恢复只适用于本机的数据库文件；共享的 PostgreSQL 数据库请由管理员用 pg_dump 备份")
    return path


def list_backups(ctx_url: str, folder: Path) -> list[BackupFile]:
    """This database's backups in ``folder``, newest first."""
    stem = _database_file(ctx_url).stem
    found = []
    for path in folder.glob(f"{stem}-*.db") if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match and match["stem"] == stem:
            found.append(BackupFile(path, dt.datetime.strptime(match["at"], "%Y%m%d-%H%M%S"), match["reason"]))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def back_up(ctx: AppContext, folder: Path, user: str, reason: str = "manual", keep: int = DEFAULT_KEEP) -> Path:
    """Copy the live database into ``folder`` and keep only the newest ``keep`` backups there
    (for a ``user`` of the whole database: a backup holds every society's cases)."""
    source = _database_file(ctx.url)
    _check_may_copy(ctx, user)
    if keep < 1:
        raise DomainError("至少保留 1 份备份")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DomainError(f"无法创建备份文件夹 {folder}：{err.strerror or err}") from err
    now = ctx.clock.now().astimezone()
    target = folder / f"{source.stem}-{now:%Y%m%d-%H%M%S}-{reason}.db"
    db_backup.copy_database(source, target)
    for old in list_backups(ctx.url, folder)[keep:]:
        old.path.unlink(missing_ok=True)
    return target


def back_up_to(ctx: AppContext, target: Path, user: str) -> Path:
    """A backup at a path of the user's choosing (``jiujinan backup --out FILE``)."""
    source = _database_file(ctx.url)
    _check_may_copy(ctx, user)
    if target.resolve() == source.resolve():
        raise DomainError("备份文件不能是数据库文件本身")
    db_backup.copy_database(source, target)
    return target


def _check_may_copy(ctx: AppContext, user: str) -> None:
    with ctx.read() as s:
        check_whole(s, user, "备份数据库")


def daily_due(ctx: AppContext, folder: Path) -> bool:
    """No backup of this database made today (local time) in ``folder``."""
    today = ctx.clock.now().astimezone().date()
    return not any(b.made_at.date() == today for b in list_backups(ctx.url, folder))


def check_backup(path: Path) -> str:
    """Whether ``path`` can be restored by this app; returns its schema revision."""
    revision = db_backup.backup_revision(path)
    try:
        check_revision(revision)
    except NewerDatabaseError as err:
        raise DomainError(f"这份备份来自更新版本的程序（{revision}），请升级程序后再恢复") from err
    return revision


def restore_open(ctx: AppContext, backup: Path, user: str) -> Path | None:
    """Restore into the database the app has open (an administrator's act): its connections
    are closed first and reopen on the restored file, upgraded if the backup came from an
    older version."""
    with ctx.read() as s:
        authorize(s, user, Permission.RESTORE, WHOLE_DATABASE)
    ctx.engine.dispose()  # restore() checks the backup before it touches anything
    aside = restore(ctx.url, ctx.data_dir, backup, ctx.clock.now())
    upgrade(ctx.engine, ctx.clock.now())
    with ctx.write() as s:  # the restored trail says it was restored, by whom, from what
        audit.record(s, user=user, now=ctx.clock.now(), entity="database", entity_id=0, action="restore",
                     after={"backup": str(backup), "previous_kept_at": str(aside) if aside else ""})
    return aside


def restore(db: str | None, data_dir: Path, backup: Path, now: dt.datetime) -> Path | None:
    """Check ``backup``, copy the current database aside, then restore the backup over it.
    Returns where the current file was kept (None when there was none). The database must
    not be open in this process; the app reopens it afterwards (and upgrades it if the
    backup is from an older version)."""
    database = _database_file(database_url(db, data_dir))
    check_backup(backup)
    if backup.resolve() == database.resolve():
        raise DomainError("不能用数据库文件本身来恢复")
    aside = None
    if database.exists():
        aside = database.with_name(f"{database.stem}.before-restore-{now.astimezone():%Y%m%d-%H%M%S}.db")
        db_backup.copy_database(database, aside)
    else:
        database.parent.mkdir(parents=True, exist_ok=True)
        db_backup.private_file(database)
    db_backup.restore_into(backup, database)
    return aside
