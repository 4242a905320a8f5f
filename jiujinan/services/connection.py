"""Which database this PC works on: the data file in the user's data directory (the
default), or the office's PostgreSQL server, chosen in 设置 and kept per PC in the config
directory. The saved setting never holds a password: it is typed when the app starts (and
kept in memory only), or comes from libpq's PGPASSWORD or ~/.pgpass."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DatabaseError

from jiujinan.cases.clock import Clock
from jiujinan.cases.errors import FieldError, ValidationError
from jiujinan.cases.users import Permission
from jiujinan.db import audit
from jiujinan.db.engine import BUSY_WAIT, database_url, describe, make_engine
from jiujinan.files import private_dir, write_private
from jiujinan.db.migrate import NewerDatabaseError, check_revision, current_revision, head_revision
from jiujinan.services.access import WHOLE_DATABASE, authorize, bootstrapping
from jiujinan.services.context import AppContext, DatabaseUnavailable, PasswordNeeded, open_context, open_failure

SETTING_FILE = "database.json"
DEFAULT_PORT = 5432


@dataclass(frozen=True)
class ServerSetting:
    """A PostgreSQL server as an office's IT person names it."""

    host: str
    port: int = DEFAULT_PORT
    database: str = "jiujinan"
    user: str = ""

    def validated(self) -> ServerSetting:
        host, database, user = self.host.strip(), self.database.strip(), self.user.strip()
        errors = []
        if not host or any(c.isspace() or c in "/@?#" for c in host):
            errors.append(FieldError("host", "请填写服务器地址（如 192.168.1.10 或 db.mzj.local）"))
        if not 1 <= int(self.port) <= 65535:
            errors.append(FieldError("port", "端口应为 1～65535（PostgreSQL 默认 5432）"))
        if not database or len(database) > 63 or any(c.isspace() or c in "/?#" for c in database):
            errors.append(FieldError("database", "请填写数据库名（不含空格和 /）"))
        if not user or len(user) > 63 or any(c.isspace() or c in "/@:" for c in user):
            errors.append(FieldError("user", "请填写数据库用户名（不含空格、/、@、:）"))
        if errors:
            raise ValidationError(errors)
        return ServerSetting(host, int(self.port), database, user)

    def url(self, password: str | None = None) -> str:
        """The SQLAlchemy URL (with the password only when given, for this process only)."""
        return URL.create("postgresql+psycopg", username=self.user, password=password or None, host=self.host,
                          port=self.port, database=self.database).render_as_string(hide_password=False)

    @property
    def label(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


def parse_port(text: str) -> int:
    try:
        return int(text.strip() or DEFAULT_PORT)
    except ValueError:
        raise ValidationError("端口应为数字（PostgreSQL 默认 5432）", "port") from None


def saved_server(config_dir: Path) -> ServerSetting | None:
    """The server chosen on this PC, or None for the data file (also when the setting
    cannot be read: the app then opens the local file and says nothing is lost)."""
    try:
        raw = json.loads((config_dir / SETTING_FILE).read_text(encoding="utf-8"))
        return ServerSetting(str(raw["host"]), int(raw["port"]), str(raw["database"]), str(raw["user"])).validated()
    except (OSError, ValueError, KeyError, TypeError, ValidationError):
        return None


def save_server(config_dir: Path, setting: ServerSetting | None) -> None:
    """Remember the server for the next start (None: back to the local data file). Written
    whole or not at all."""
    path = config_dir / SETTING_FILE
    if setting is None:
        path.unlink(missing_ok=True)
        return
    clean = setting.validated()
    private_dir(config_dir, owned=True)
    write_private(path, json.dumps(asdict(clean), ensure_ascii=False, indent=1))


def switch_database(current: AppContext | None, config_dir: Path, setting: ServerSetting | None,
                    sign_in: Callable[[AppContext], str]) -> str:
    """Point this PC at another database from its next start (None: the local data file).
    When the database in use (``current``; None: there is none yet) has users, an
    administrator of the whole database signs in to it and the switch goes on its audit
    trail first: a passer-by at an unlocked PC cannot send the next clerk's applicants to a
    server of his own. Returns who switched ("" when no one had to)."""
    clean = setting.validated() if setting is not None else None
    who = ""
    if current is not None:
        with current.read() as s:
            guarded = not bootstrapping(s)
        if guarded:
            who = sign_in(current)
            with current.write() as s:
                authorize(s, who, Permission.SWITCH_DATABASE, WHOLE_DATABASE)
                audit.record(s, user=who, now=current.clock.now(), entity="database", entity_id=0, action="switch",
                             before={"database": current.db_label},
                             after={"database": clean.label if clean else "本机数据文件"})
    save_server(config_dir, clean)
    return who


def startup_database(db: str | None, config_dir: Path) -> str | None:
    """What to open: ``--db`` when given, else the server chosen on this PC, else None
    (the data file in the user data directory)."""
    if db:
        return db
    server = saved_server(config_dir)
    return server.url() if server else None


def with_password(url: str, password: str) -> str:
    """The same server URL with a password typed at start (kept in memory only)."""
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def database_label(target: str) -> str:
    """A database as shown to a person: a file path, or user@host:port/database.
    ``target`` is ``--db`` as typed: a file path or a URL."""
    url = database_url(target, Path.cwd())  # a path becomes its SQLite URL (the folder is not used)
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return describe(url)
    return ServerSetting(parsed.host or "", parsed.port or DEFAULT_PORT, parsed.database or "", parsed.username or "").label


def open_database(target: str | None, data_dir: Path, clock: Clock, ask: Callable[[PasswordNeeded], str | None],
                  *, busy_wait: float = BUSY_WAIT) -> AppContext | None:
    """Open ``target`` (None: the data file); a server that wants a password gets it from
    ``ask`` (the GUI's dialog, the terminal), again after a wrong one. None if ``ask`` gives
    none (the person cancelled)."""
    url = target
    while True:
        try:
            return open_context(url, data_dir, clock, busy_wait=busy_wait)
        except PasswordNeeded as err:
            password = ask(err) if target else None
            if password is None:
                return None
            url = with_password(target, password)


def try_server(setting: ServerSetting, password: str | None = None) -> str:
    """Connect to the server as the app would and say what is there (the clerk's 测试连接).
    Raises PasswordNeeded (ask for it) or DatabaseUnavailable with the reason."""
    clean = setting.validated()
    engine = make_engine(clean.url(password))
    try:
        revision = current_revision(engine)
        check_revision(revision)
    except NewerDatabaseError as err:
        raise DatabaseUnavailable(str(err)) from err
    except (DatabaseError, OSError) as err:
        raise open_failure(clean.url(), err) from err
    finally:
        engine.dispose()
    if revision is None:
        return f"连接成功：{clean.label} 还是空的，保存后下次启动时会建好表"
    state = "最新" if revision == head_revision() else "较旧，启动时会自动升级"
    return f"连接成功：{clean.label}，表结构版本 {revision}（{state}）"
