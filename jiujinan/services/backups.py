"""Backups: made on closing the app, once a day and before every schema upgrade, kept to the
newest N in a folder the clerk chooses. Restoring is an administrator's act: the backup is
checked first (a file someone else wrote: its schema object by object, then every check),
and the current file is kept aside."""

from __future__ import annotations

import dataclasses
import datetime as dt
import glob
import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jiujinan.cases.clock import Clock
from jiujinan.cases.restore import BackupSummary, RestoreDeclined, Society
from jiujinan.cases.errors import DomainError
from jiujinan.cases.users import Permission, UsersDeleted
from jiujinan.db import audit
from jiujinan.db import backup as db_backup
from jiujinan.db import societies as societies_db
from jiujinan.files import private_dir
from jiujinan.db.engine import (
    database_url, make_engine, make_session_factory, sqlite_path, sqlite_url,
)
from jiujinan.db.faults import Fault, fault
from jiujinan.db.migrate import upgrade
from jiujinan.services import keys
from jiujinan.services.access import WHOLE_DATABASE, authorize, bootstrapping, check_whole
from jiujinan.services.check import run_checks
from jiujinan.services.context import AppContext, DatabaseUnavailable, open_context

DEFAULT_KEEP = 10
REASONS = {"manual": "手动", "daily": "每日", "close": "关闭时", "tainted": "带外来结构，不能用来恢复"}
# A copy of a database holding schema objects that are not the app's: named so, never made
# by itself, and never counted when old backups are removed (it must not push out good ones).
TAINTED = "tainted"
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


def database_folder(folder: Path, url: str) -> Path:
    """This database's own sub-folder of the backup folder: named from the file's stem and a
    short hash of its full path, so that databases opened on one PC (a village's, the
    district's, a copy with the same name elsewhere) never share a list or a rotation."""
    path = _database_file(url)
    digest = hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:8]
    return folder / f"{path.stem}-{digest}"


def list_backups(ctx_url: str, folder: Path) -> list[BackupFile]:
    """This database's backups, newest first: those in its own sub-folder of ``folder``,
    then the ones made before there were sub-folders (in ``folder`` itself, named after a
    database with this file name: they may be another folder's same-named database, which
    the restore's summary then shows)."""
    return sorted(_own_backups(ctx_url, folder) + _named_backups(folder, _database_file(ctx_url).stem),
                  key=lambda b: b.made_at, reverse=True)


def _own_backups(ctx_url: str, folder: Path) -> list[BackupFile]:
    return _named_backups(database_folder(folder, ctx_url), _database_file(ctx_url).stem)


def _named_backups(folder: Path, stem: str) -> list[BackupFile]:
    found = []
    for path in folder.glob(f"{glob.escape(stem)}-*.db") if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match and match["stem"] == stem:
            found.append(BackupFile(path, dt.datetime.strptime(match["at"], "%Y%m%d-%H%M%S"), match["reason"]))
    return found


def back_up(ctx: AppContext, folder: Path, user: str, reason: str = "manual", keep: int = DEFAULT_KEEP) -> Path:
    """Copy the live database into its own sub-folder of ``folder`` and keep only the newest
    ``keep`` backups there (for a ``user`` of the whole database: a backup holds every
    society's cases). Backups made before there were sub-folders are never deleted."""
    source = _database_file(ctx.url)
    _check_may_copy(ctx, user)
    if keep < 1:
        raise DomainError("至少保留 1 份备份")
    if (foreign := ctx.schema_not_ours()) and reason != "manual":
        raise DomainError(f"数据库里{'；'.join(foreign)}：暂停自动备份，以免带着它的备份挤掉之前的好备份；"
                          "请管理员从备份恢复")
    own = database_folder(folder, ctx.url)
    _make_folder(folder)
    _make_folder(own)
    target = own / _backup_name(source, ctx.clock.now(), TAINTED if foreign else reason)
    db_backup.copy_database(source, target)
    if not foreign:
        kept = sorted((b for b in _own_backups(ctx.url, folder) if b.reason != TAINTED),
                      key=lambda b: b.made_at, reverse=True)
        for old in kept[keep:]:
            old.path.unlink(missing_ok=True)
    return target


def tainted_note(ctx: AppContext) -> str:
    """What to say beside a backup made by hand of a database holding objects that are not
    the app's ("" when it holds none): the copy carries them and cannot be restored."""
    if not (foreign := ctx.schema_not_ours()):
        return ""
    return (f"注意：数据库里{'；'.join(foreign)}。这份备份照原样复制了它，不能用来恢复；"
            "之前的备份都保留着，请管理员从中恢复")


def back_up_into(ctx: AppContext, folder: Path, user: str) -> Path:
    """A backup named as the app names its own, in a folder of the user's choosing
    (``jiujinan backup --out DIR``); nothing else in the folder is touched."""
    source = _database_file(ctx.url)
    _check_may_copy(ctx, user)
    _make_folder(folder)
    reason = TAINTED if ctx.schema_not_ours() else "manual"
    return _copy_to(source, folder / _backup_name(source, ctx.clock.now(), reason))


def _backup_name(database: Path, now: dt.datetime, reason: str) -> str:
    """jiujinan-20261120-103000-manual.db: the database's name, the local time, why."""
    return f"{database.stem}-{now.astimezone():%Y%m%d-%H%M%S}-{reason}.db"


def back_up_to(ctx: AppContext, target: Path, user: str) -> Path:
    """A backup at a path of the user's choosing (``jiujinan backup --out FILE``)."""
    source = _database_file(ctx.url)
    _check_may_copy(ctx, user)
    return _copy_to(source, target)


def _copy_to(source: Path, target: Path) -> Path:
    if target.resolve() == source.resolve():
        raise DomainError("备份文件不能是数据库文件本身")
    db_backup.copy_database(source, target)
    return target


def _check_may_copy(ctx: AppContext, user: str) -> None:
    with ctx.read() as s:
        check_whole(s, user, "备份数据库")


def _make_folder(folder: Path) -> None:
    """The backup folder, made owner-only if it is new."""
    try:
        private_dir(folder)
    except OSError as err:
        raise DomainError(f"无法创建备份文件夹 {folder}：{err.strerror or err}") from err


def daily_due(ctx: AppContext, folder: Path) -> bool:
    """No backup of this database made today (local time) in ``folder``."""
    today = ctx.clock.now().astimezone().date()
    return not any(b.made_at.date() == today for b in list_backups(ctx.url, folder))


SignIn = Callable[[AppContext], str]  # who restores: signs them in on the database given, returns the name
Ask = Callable[[BackupSummary], bool]  # shown what the backup holds: go on?


def _yes(_summary: BackupSummary) -> bool:
    return True


def _no(_summary: BackupSummary) -> bool:
    return False


def restore_open(ctx: AppContext, backup: Path, user: str, ask: Ask = _yes, ask_other: Ask = _no) -> Path | None:
    """Restore into the database the app has open, as ``user`` (signed in to it): its
    connections are closed first and reopen on the restored file."""
    ctx.engine.dispose()
    aside = restore(ctx.url, ctx.data_dir, backup, ctx.clock, lambda _ctx: user, ask, ask_other)
    upgrade(ctx.engine, ctx.clock.now())  # already at head: the checked copy was upgraded
    return aside


def restore(db: str | None, data_dir: Path, backup: Path, clock: Clock, sign_in: SignIn,
            ask: Ask = _yes, ask_other: Ask = _no) -> Path | None:
    """Restore ``backup`` over the database (an act of an administrator of the whole
    database, on the audit trail). The backup is copied into a private folder beside the
    database and checked there: whole, exactly the app's schema, upgraded to this version,
    passing every ``check`` (the audit chain too). Only then is the current file copied
    aside, the restore written into the checked copy's audit trail, and the copy written
    over the database in one step. Returns where the current file was kept (None when there
    was none). The database must not be open in this process.

    Before anything changes, ``ask`` is shown what the backup holds; a backup of other
    societies than the database's needs ``ask_other`` too (a village's file must not become
    the district's by one 是). Refused whatever they say: a backup in which the administrator
    restoring is not an active administrator of the whole database (he would be locked out)."""
    database = _database_file(database_url(db, data_dir))
    if backup.resolve() == database.resolve():
        raise DomainError("不能用数据库文件本身来恢复")
    user, kept_key, live_societies = _signed_in_to_live(db, data_dir, clock, sign_in)
    try:
        private_dir(database.parent)
        scratch = tempfile.TemporaryDirectory(prefix=".restore-", dir=database.parent)
    except OSError as err:
        raise DomainError(f"无法在 {database.parent} 中准备恢复（原数据库未改动）：{err.strerror or err}") from err
    with scratch as folder:
        work = Path(folder) / "checked.db"
        checked = _checked_copy(backup, work, data_dir, clock)
        try:
            with checked.read() as s:
                summary = dataclasses.replace(db_backup.summary(s), live_societies=live_societies)
            if user is None:  # no usable database to sign in to: the backup's administrators decide
                user = _authorized(checked, sign_in)
            else:
                summary.require_administrator(user)
            _consent(summary, ask, ask_other)
            aside = _keep_aside(database, clock.now())
            with checked.write() as s:  # the restored trail says it was restored, by whom, from what
                audit.record(s, user=user, now=clock.now(), entity="database", entity_id=0, action="restore",
                             after={"backup": str(backup), "previous_kept_at": str(aside) if aside else ""})
            keys.keep_key(checked, kept_key, user)  # the signing key the district enrolled stays
        finally:
            checked.close()
        db_backup.restore_into(work, database)
    return aside


def _consent(summary: BackupSummary, ask: Ask, ask_other: Ask) -> None:
    """The clerk saw what the backup holds and said yes (twice when its societies are others)."""
    if not ask(summary):
        raise RestoreDeclined()
    if summary.other_societies and not ask_other(summary):
        raise RestoreDeclined(f"{summary.other_societies_text()}：没有恢复，现有数据没有改动")


def _signed_in_to_live(db: str | None, data_dir: Path, clock: Clock,
                       sign_in: SignIn) -> tuple[str | None, str | None, tuple[Society, ...]]:
    """The administrator who restores, signed in to the current database, that database's
    signing key (which the restored one keeps) and its societies; no one when there is none to
    sign in to (no file, a damaged one, one without users yet or whose users were deleted), so
    that the backup's own administrators decide (whoever can replace such a file on disk needs
    no restore to do so)."""
    if not (path := _database_file(database_url(db, data_dir))).is_file() or path.stat().st_size == 0:
        return None, None, ()
    try:
        live = open_context(db, data_dir, clock)
    except DatabaseUnavailable as err:
        if _damaged(err):
            return None, None, ()
        raise
    try:
        kept_key = keys.installation_key(live)
        with live.read() as s:
            held = tuple((r.settings.area_code, r.settings.name) for r in societies_db.list_societies(s))
            try:
                if bootstrapping(s):
                    return None, kept_key, held
            except UsersDeleted:  # deleted outside the program: nobody to ask here either
                return None, kept_key, held
        return _authorized(live, sign_in), kept_key, held
    finally:
        live.close()


def _authorized(ctx: AppContext, sign_in: SignIn) -> str:
    """Sign in on ``ctx`` and check the user may restore: an active administrator whose
    area is the whole database. A database without users is still being set up (anyone
    may create its first administrator): there is no one to ask."""
    user = sign_in(ctx)
    with ctx.read() as s:
        if not bootstrapping(s):
            authorize(s, user, Permission.RESTORE, WHOLE_DATABASE)
    return user or "命令行"


def _damaged(err: BaseException) -> bool:
    """``err`` was raised because the database is not one or is corrupt (by SQLite's code)."""
    return fault(err.__cause__) is Fault.DAMAGED


def _checked_copy(backup: Path, work: Path, data_dir: Path, clock: Clock) -> AppContext:
    """The backup copied to ``work`` and checked: its structure at its own revision, then
    upgraded to this version and put through every check. Open on ``work`` when it passes."""
    db_backup.copy_for_checking(backup, work)
    engine = make_engine(sqlite_url(work))
    try:
        with engine.connect() as conn:
            db_backup.backup_revision(conn)
        upgrade(engine, clock.now(), keep_copy=False)
        ctx = AppContext(sqlite_url(work), engine, make_session_factory(engine), data_dir, clock,
                         write_sessions=make_session_factory(engine, writing=True))
        report = run_checks(ctx, whole_index=True, files=False)  # the files are this PC's, not the backup's
    except BaseException:
        engine.dispose()
        raise
    if not report.ok:
        engine.dispose()
        found = report.violations
        more = f"等 {len(found)} 处" if len(found) > 3 else ""
        raise DomainError(f"备份没有通过检查（{'；'.join(found[:3])}{more}）：不能从它恢复")
    return ctx


def _keep_aside(database: Path, now: dt.datetime) -> Path | None:
    """The current database copied aside before a restore (None when there is none)."""
    if not database.exists() or database.stat().st_size == 0:
        return None
    aside = database.with_name(f"{database.stem}.before-restore-{now.astimezone():%Y%m%d-%H%M%S}.db")
    try:
        db_backup.copy_database(database, aside)
    except DomainError as err:
        if not _damaged(err):
            raise
        db_backup.copy_bytes(database, aside)  # a damaged file is kept as it is, for whoever looks at it
    return aside
