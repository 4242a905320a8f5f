"""The schema comes from Alembic: empty to head matches the models; newer files are refused."""

import json
import sqlite3

import pytest
from sqlalchemy import text

from jiujinan.cases.clock import FixedClock
from jiujinan.db.engine import database_url, make_engine
from jiujinan.db.migrate import current_revision, head_revision, upgrade
from jiujinan.db import schema, search
from jiujinan.services.context import DatabaseUnavailable, open_context
from tests.conftest import NOW, schema_diff


def test_empty_database_migrates_to_head_matching_the_models(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    assert current_revision(engine) is None
    assert upgrade(engine, NOW) is None  # nothing to back up in a new file
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert schema_diff(conn) == []
        # The search index's objects are there exactly as defined (a later batch rebuild of
        # aid_case would drop its triggers: this says so).
        code = {(kind, name, schema.normalised(sql)) for kind, name, sql in conn.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE type = 'trigger' OR sql LIKE 'CREATE VIRTUAL%'")}
        assert code == {(kind, name, schema.normalised(sql))
                        for kind, name, sql in (search.SQLITE_FTS_0009, *search.SQLITE_TRIGGERS_0009)}
        assert schema.sqlite_differences(conn, head_revision()) == []  # what a backup is compared with
        indexes = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {name for name, _sql in search.NAME_TAIL_INDEXES_0009} <= indexes
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
    monkeypatch.setattr("alembic.command.upgrade", lambda cfg, rev: None)
    backup = upgrade(engine, NOW)
    assert backup is not None and backup.exists() and backup.name.startswith("old.before-0002-")
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    engine.dispose()


def test_db_argument_forms(tmp_path) -> None:
    assert database_url(None, tmp_path) == f"sqlite:///{tmp_path.resolve() / 'jiujinan.db'}"
    assert database_url("x.db", tmp_path).startswith("sqlite:////")
    assert database_url("postgresql+psycopg://u@h/db", tmp_path) == "postgresql+psycopg://u@h/db"


def _at_0001_with_a_case(path) -> None:  # noqa: ANN001
    from alembic import command

    from jiujinan.db.migrate import alembic_config

    engine = make_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO society (id, area_code, name, village, town, district, village_limit_fen, "
            "town_limit_fen, fund_floor_fen, notice_days, notice_working_days, emergency_deadline_days, "
            "objection_phone, created_at) VALUES (1, '341802100201', '青山村救急难互助社', '青山村', '水阳镇', "
            "'宣州区', 200000, 500000, 1000000, 5, 1, 10, '', '2026-01-01 00:00:00')"))
        conn.execute(text(
            "INSERT INTO aid_case (id, society_id, case_no, case_year, case_seq, status, applicant_name, sex, "
            "id_number, birth_date, phone, address, residence, hukou_address, household_size, household_type, "
            "cause, hardship, requested_fen, paid_fen, other_aid, payment_method, bank_name, account_no, "
            "account_holder, agent_name, agent_id_number, agent_relation, agent_has_poa, applied_on, "
            "repeat_reason, version, created_at, created_by, updated_at, updated_by) VALUES (1, 1, "
            "'341802100201-2026-00001', 2026, 1, 'accepted', '张三', 'M', '11010519491231002X', '1949-12-31', "
            "'13905631234', '青山村', 'registered', '', 1, 'ordinary', 'illness', '住院', 200000, 0, '', 'cash', "
            "'', '', '', '', '', '', 0, '2026-03-01', '', 1, '2026-03-01 01:00:00', '王会计', "
            "'2026-03-01 01:00:00', '王会计')"))
    engine.dispose()


def test_upgrading_an_older_file_keeps_its_cases_and_starts_their_timelines(tmp_path) -> None:
    path = tmp_path / "v1.db"
    _at_0001_with_a_case(path)
    ctx = open_context(str(path), tmp_path, FixedClock(NOW))
    assert ctx.backup_made is not None and ctx.backup_made.exists()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT kind, acted_on, recorded_by FROM case_step").fetchall() == [
            ("accept", "2026-03-01", "王会计")]
        assert conn.execute("SELECT last_step_on FROM aid_case").fetchall() == [("2026-03-01",)]
    ctx.close()


def test_an_existing_society_gets_its_village_limit_as_its_emergency_limit(tmp_path) -> None:
    path = tmp_path / "v1.db"
    _at_0001_with_a_case(path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE society SET village_limit_fen = 150000")
    ctx = open_context(str(path), tmp_path, FixedClock(NOW))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT village_limit_fen, emergency_limit_fen FROM society").fetchall() == [
            (150000, 150000)]
        user_columns = {r[1] for r in conn.execute("PRAGMA table_info(app_user)")}
    assert "failed_logins" not in user_columns and "locked_until" not in user_columns  # now in login_throttle
    ctx.close()


def test_a_failed_upgrade_leaves_the_file_as_it_was(tmp_path) -> None:
    path = tmp_path / "v1.db"
    _at_0001_with_a_case(path)
    with sqlite3.connect(path) as conn:  # something in the way of the second step
        conn.execute("CREATE TABLE case_step (x INTEGER)")
    with pytest.raises(DatabaseUnavailable):
        open_context(str(path), tmp_path, FixedClock(NOW))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "calendar_day" not in tables and "_alembic_tmp_aid_case" not in tables


def test_audit_entries_written_before_the_chain_are_chained_on_upgrade(tmp_path) -> None:
    from alembic import command

    from jiujinan.db.migrate import alembic_config
    from jiujinan.services.check import run_checks

    path = tmp_path / "v5.db"
    engine = make_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0005")
    with engine.begin() as conn:
        for n, action in enumerate(("create", "update", "create"), start=1):
            conn.execute(text(
                "INSERT INTO audit_log (at, user_name, society_id, entity, entity_id, action, before_json, "
                f"after_json) VALUES ('2026-03-0{n} 01:00:00.123456', '王会计', NULL, 'user', {n}, '{action}', '', "
                "'{\"name\": \"张\"}')"))
    engine.dispose()
    ctx = open_context(str(path), tmp_path, FixedClock(NOW))
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT seq FROM audit_log ORDER BY id")] == [1, 2, 3]
        assert conn.execute("SELECT entries FROM audit_head").fetchone() == (3,)
    assert dict(run_checks(ctx).results)["审计记录完整、未被改动"] == ()
    ctx.close()


def test_head_revision_is_alembics_head() -> None:
    """head_revision reads the newest number from the file names instead of loading every
    migration (6 ms of each start); Alembic's own answer must be the same."""
    from alembic.script import ScriptDirectory

    from jiujinan.db.migrate import MIGRATIONS_DIR

    assert head_revision() == ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def test_two_version_rows_are_left_to_alembic(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'two.db'}")
    upgrade(engine, NOW)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0001')"))
    with pytest.raises(Exception, match="(?i)head|multiple|overlap"):
        current_revision(engine)
    engine.dispose()


def test_the_kept_schema_reference_is_what_the_migrations_build() -> None:
    """The newest revision's schema is kept beside the code (building it cost every writing
    command 0.18 s). After a new migration: `python -m jiujinan.db.schema` writes it again."""
    from jiujinan.db.schema import REFERENCE, built_sqlite, expected_sqlite

    assert json.loads(REFERENCE.read_text(encoding="utf-8"))["revision"] == head_revision(), \
        "run `python -m jiujinan.db.schema` after adding a migration"
    assert expected_sqlite(head_revision()) == built_sqlite(head_revision()), \
        "run `python -m jiujinan.db.schema` after changing a migration"
