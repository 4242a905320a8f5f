"""Choosing the database on this PC: the setting is kept without a password; a server that
wants one is asked for it (terminal, or the GUI's prompt), and says clearly what is wrong."""

import json

import pytest

from jiujinan import paths
from jiujinan.cases.clock import FixedClock
from jiujinan.cases.errors import ValidationError
from jiujinan.cli import main
from jiujinan.db.migrate import head_revision
from jiujinan.services.connection import (
    SETTING_FILE, ServerSetting, save_server, saved_server, startup_database, try_server, with_password,
)
from jiujinan.services.context import DatabaseUnavailable, PasswordNeeded, open_context
from tests.conftest import NOW

SERVER = ServerSetting("192.168.1.10", 5432, "jiujinan", "wanghuiji")


def test_the_setting_is_kept_per_pc_without_a_password(tmp_path) -> None:  # noqa: ANN001
    assert saved_server(tmp_path) is None and startup_database(None, tmp_path) is None
    save_server(tmp_path, SERVER)
    assert saved_server(tmp_path) == SERVER
    assert startup_database(None, tmp_path) == "postgresql+psycopg://wanghuiji@192.168.1.10:5432/jiujinan"
    assert startup_database("other.db", tmp_path) == "other.db"  # --db wins
    url = with_password(SERVER.url(), "p@ss:w/rd")
    assert "p%40ss%3Aw%2Frd@" in url and "p@ss" not in (tmp_path / SETTING_FILE).read_text(encoding="utf-8")
    (tmp_path / SETTING_FILE).write_text("{not json", encoding="utf-8")
    assert saved_server(tmp_path) is None  # unreadable: the local file, nothing crashes
    save_server(tmp_path, None)
    assert not (tmp_path / SETTING_FILE).exists()


def test_bad_server_fields_are_named() -> None:
    with pytest.raises(ValidationError) as caught:
        ServerSetting("", 70000, "my db", "a@b").validated()
    assert {e.field for e in caught.value.errors} == {"host", "port", "database", "user"}


def test_command_line_chooses_the_database(tmp_path, capsys) -> None:  # noqa: ANN001
    assert main(["db", "use-server", "--host", "db.mzj.local", "--name", "xuanzhou", "--db-user", "clerk"]) == 0
    stored = json.loads((paths.config_dir() / SETTING_FILE).read_text(encoding="utf-8"))
    assert stored == {"host": "db.mzj.local", "port": 5432, "database": "xuanzhou", "user": "clerk"}
    assert main(["db", "show"]) == 0 and "clerk@db.mzj.local:5432/xuanzhou" in capsys.readouterr().out
    assert main(["db", "use-server", "--host", "bad host"]) == 1
    # A server that cannot be reached has no administrator to ask: the switch is refused,
    # naming the setting file that IT removes when that server is gone for good.
    assert main(["db", "use-file"]) == 1
    assert f"请技术人员删除本机的设置文件 {paths.config_dir() / SETTING_FILE}" in capsys.readouterr().err
    (paths.config_dir() / SETTING_FILE).unlink()
    assert main(["db", "use-file"]) == 0 and main(["db", "show"]) == 0
    assert "本机数据文件" in capsys.readouterr().out


def test_a_server_that_wants_a_password_is_asked(pg_password_server, tmp_path, monkeypatch, capsys) -> None:  # noqa: ANN001
    setting, password = pg_password_server
    with pytest.raises(PasswordNeeded, match="服务器要求密码"):
        try_server(setting)
    with pytest.raises(PasswordNeeded, match="用户名或密码不对"):
        try_server(setting, "wrong")
    assert "还是空的" in try_server(setting, password)
    save_server(paths.config_dir(), setting)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["db", "upgrade"]) == 2  # no terminal to ask at: told where a password can come from
    assert "PGPASSWORD" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: password)
    assert main(["db", "upgrade"]) == 0 and f"{head_revision()}（最新）" in capsys.readouterr().out
    assert "表结构版本" in try_server(setting, password)
    monkeypatch.setenv("PGPASSWORD", password)  # a script: libpq's environment
    ctx = open_context(setting.url(), tmp_path, FixedClock(NOW))
    ctx.close()


def test_unreachable_server_and_missing_database_say_so(pg_url, tmp_path) -> None:  # noqa: ANN001
    from sqlalchemy.engine import make_url

    url = make_url(pg_url)
    with pytest.raises(DatabaseUnavailable, match="连不上数据库服务器"):
        try_server(ServerSetting("127.0.0.1", 9, "x", "postgres"))
    with pytest.raises(DatabaseUnavailable, match="没有这个数据库"):
        try_server(ServerSetting(url.host, url.port, "no_such_database", url.username))
