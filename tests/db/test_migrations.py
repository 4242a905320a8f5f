"""The schema comes from Alembic: empty to head matches the models; newer files are refused."""

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from jiujinan.cases.clock import FixedClock
from jiujinan.db.engine import database_url, make_engine
from jiujinan.db.migrate import current_revision, head_revision, upgrade
from jiujinan.db.models import Base
from jiujinan.services.context import DatabaseUnavailable, open_context
from tests.conftest import NOW


def test_empty_database_migrates_to_head_matching_the_models(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    assert current_revision(engine) is None
    assert upgrade(engine, NOW) is None  # nothing to back up in a new file
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    engine.dispose()


def test_database_file_is_private(tmp_path) -> None:
    ctx = open_context(str(tmp_path / "p.db"), tmp_path, FixedClock(NOW))
    assert (tmp_path / "p.db").stat().st_mode & 0o077 == 0
    ctx.close()


def test_database_from_a_newer_app_is_refused_untouched(tmp_path) -> None:
    path = tmp_path / "new.db"
    open_context(str(path), tmp_path, FixedClock(NOW)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(DatabaseUnavailable, match="比本程序新"):
        open_context(str(path), tmp_path, FixedClock(NOW))
    assert path.read_bytes() == before


def test_an_older_database_is_copied_aside_before_upgrading(tmp_path, monkeypatch) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, NOW)
    with engine.begin() as conn:  # pretend the file is one step behind a newer app
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    monkeypatch.setattr("jiujinan.db.migrate.head_revision", lambda: "0002")
    monkeypatch.setattr("jiujinan.db.migrate.command.upgrade", lambda cfg, rev: None)
    backup = upgrade(engine, NOW)
    assert backup is not None and backup.exists() and backup.name.startswith("old.before-0002-")
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    engine.dispose()


def test_db_argument_forms(tmp_path) -> None:
    assert database_url(None, tmp_path) == f"sqlite:///{tmp_path.resolve() / 'jiujinan.db'}"
    assert database_url("x.db", tmp_path).startswith("sqlite:////")
    assert database_url("postgresql+psycopg://u@h/db", tmp_path) == "postgresql+psycopg://u@h/db"
