"""Seals (cases/seals.py, db/seals.py): the image of a unit is the same text on SQLite and
PostgreSQL, every write path seals what it wrote, and an upgraded database gets a baseline."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from jiujinan.cases.seals import differences, detail, parse_image
from jiujinan.db import seals as seals_db
from jiujinan.services import fund
from jiujinan.services.check import run_checks
from jiujinan.services.context import open_context
from tests.conftest import application, pg_server, society_settings, add_staff_member
from jiujinan.services import intake, societies


def _fill(ctx) -> dict[str, dict[int, str]]:  # noqa: ANN001
    from jiujinan.cases.enums import FundSource
    from jiujinan.cases.fund import ContributionInput

    add_staff_member(ctx, "王会计")
    society = societies.create_society(ctx, society_settings(), "王会计").id
    fund.add_contribution(ctx, society, ContributionInput(dt.date(2026, 1, 5), FundSource.DONATION, 123_456,
                                                          "张'三\"", "记-1"), "王会计")
    intake.register_application(ctx, society, application(hardship="引号' 和逗号, 分号; 竖线| 反斜杠\\ 完"), "王会计")
    with ctx.read() as s:
        return {unit: seals_db.images(s, unit, [1]) for unit in ("case", "ledger", "society")}


def test_a_unit_renders_the_same_on_sqlite_and_postgresql(tmp_path, clock, pg_url) -> None:  # noqa: ANN001
    lite = open_context(str(tmp_path / "a.db"), tmp_path, clock)
    server = open_context(pg_url, tmp_path, clock)
    try:
        a, b = _fill(lite), _fill(server)
    finally:
        lite.close()
        server.close()
    for unit in a:  # the password hash is salted: users differ by design and are left out
        assert a[unit] == b[unit], unit


def test_text_with_separators_parses_back(tmp_path, clock) -> None:  # noqa: ANN001
    ctx = open_context(str(tmp_path / "a.db"), tmp_path, clock)
    try:
        images = _fill(ctx)
    finally:
        ctx.close()
    case = images["case"][1]
    main, members, attachments, steps = parse_image(case)
    assert len(main) == 1 and len(members) == 2 and attachments == [] and len(steps) == 1
    assert "'引号'' 和逗号, 分号; 竖线| 反斜杠\\ 完'" in main[0]
    assert differences("case", detail("case", case), case) == []


def test_an_upgraded_database_gets_a_baseline_and_passes(tmp_path, clock) -> None:  # noqa: ANN001
    """A database from before 0012 (rows without seals): the upgrade seals each row once, by
    系统, so check passes; an edit afterwards is caught."""
    from alembic import command

    from jiujinan.db.engine import make_engine, sqlite_url
    from jiujinan.db.migrate import alembic_config

    path = tmp_path / "old.db"
    engine = make_engine(sqlite_url(path))
    command.upgrade(alembic_config(engine), "0009")
    with engine.begin() as conn:  # rows as the app before seals wrote them
        conn.execute(text(
            "INSERT INTO society (id, area_code, name, village, town, district, village_limit_fen, town_limit_fen, "
            "fund_floor_fen, notice_days, notice_working_days, emergency_deadline_days, objection_phone, "
            "entrant_may_approve, entrant_may_approve_reason, created_at) VALUES (1, '341802100201', '青山村救急难互助社', "
            "'青山村', '水阳镇', '宣州区', 200000, 500000, 1000000, 5, 1, 10, '', 0, '', '2026-11-20 02:30:00.000000')"))
        conn.execute(text(
            "INSERT INTO ledger_entry (id, society_id, posted_on, kind, source, amount_fen, payer, voucher_no, memo, "
            "method, receipt_signed, created_at, created_by) VALUES (7, 1, '2026-01-05', 'contribution', 'donation', "
            "1000000, '某人', '', '', '', 0, '2026-11-20 02:30:00.000000', '王会计')"))
        conn.execute(text("INSERT INTO calendar_day (day, working, name) VALUES ('2026-10-01', 0, '国庆节')"))
    engine.dispose()
    ctx = open_context(str(path), tmp_path, clock)
    try:
        assert run_checks(ctx).ok, run_checks(ctx).violations
        with ctx.engine.connect() as conn:
            sealed = conn.execute(text("SELECT entity, entity_id FROM audit_log WHERE action = 'seal' "
                                       "AND user_name = '系统' ORDER BY seq")).all()
        assert [tuple(r) for r in sealed] == [("ledger", 7), ("society", 1), ("calendar", 0)]
        with ctx.engine.begin() as conn:
            conn.execute(text("UPDATE ledger_entry SET amount_fen = 2000000"))
        assert "台账第 7 条金额：审计记录 ¥10,000.00，数据库 ¥20,000.00（在程序之外被改动）" in run_checks(ctx).violations
    finally:
        ctx.close()


@pytest.mark.skipif(not pg_server(), reason="no PostgreSQL server (set JIUJINAN_TEST_PG)")
def test_postgresql_catches_a_changed_account(pg_url, tmp_path, clock) -> None:  # noqa: ANN001
    ctx = open_context(pg_url, tmp_path, clock)
    try:
        _fill(ctx)
        assert run_checks(ctx).ok
        with ctx.engine.begin() as conn:
            conn.execute(text("UPDATE aid_case SET account_no = '6222000000000000001'"))
        no = intake.load(ctx, 1, "王会计").case_no
        assert f"案件 {no} 的收款账号在程序之外被改动" in run_checks(ctx).violations
    finally:
        ctx.close()


@pytest.mark.tampers
def test_a_split_check_finds_what_a_whole_one_does(tmp_path, clock, monkeypatch) -> None:  # noqa: ANN001
    """The seal check split in parts (one per core) by key range: an edit in each part, an
    added and a deleted case are all named once, as the check in one part names them."""
    from jiujinan.db import seal_check

    ctx = open_context(str(tmp_path / "a.db"), tmp_path, clock)
    try:
        add_staff_member(ctx, "王会计")
        society = societies.create_society(ctx, society_settings(), "王会计").id
        ids = [intake.register_application(ctx, society, application(repeat_reason="多次求助，经评议同意"), "王会计").id
               for _ in range(6)]
        with ctx.write() as s:
            s.execute(text("UPDATE aid_case SET account_no = '6222000011112222' WHERE id = :i"), {"i": ids[0]})
            s.execute(text("UPDATE aid_case SET requested_fen = requested_fen + 1 WHERE id = :i"), {"i": ids[-1]})
            for table in ("household_member", "case_step", "attachment"):
                s.execute(text(f"DELETE FROM {table} WHERE case_id = :i"), {"i": ids[2]})
            s.execute(text("DELETE FROM aid_case WHERE id = :i"), {"i": ids[2]})
        with ctx.read() as s:
            whole = sorted(seal_check.rows_match_seals(s))
        monkeypatch.setattr(seal_check, "SPLIT_ABOVE", 0)
        with ctx.read() as s:
            parts = seal_check.plan(s, 2)
        first, second = ([p for p in part if p.unit == "case"] for part in parts)
        assert first[0].lo == min(ids) and first[0].hi + 1 == second[0].lo and second[0].hi == max(ids)
        report = run_checks(ctx)
        found = sorted(dict(report.results)["每条记录与其最后的审计记录一致"])
    finally:
        ctx.close()
    assert found == whole and len(found) == 3, found
    assert any("收款账号" in f for f in found) and any("申请金额" in f for f in found)
    assert any("不见了" in f for f in found)


@pytest.mark.tampers
def test_an_export_is_audited_and_seals_where_the_chain_ended(tmp_path, clock) -> None:  # noqa: ANN001
    """Each export of a society is an audited «导出» entry sealing its export_head row (the
    place the next export holds the chain to); a database from 0012 gets them sealed by 系统."""
    from alembic import command

    from jiujinan.db.engine import make_engine, sqlite_url
    from jiujinan.db.migrate import alembic_config
    from jiujinan.services import export

    ctx = open_context(str(tmp_path / "v.db"), tmp_path, clock)
    try:
        _fill(ctx)
        export.export_all(ctx, tmp_path / "out", user="王会计")
        with ctx.engine.connect() as conn:
            entry = conn.execute(text("SELECT user_name, entity, action FROM audit_log ORDER BY seq DESC LIMIT 1")).one()
            head_id = conn.execute(text("SELECT id FROM export_head")).scalar_one()
        assert tuple(entry) == ("王会计", "society", "export") and run_checks(ctx).ok
        with ctx.engine.begin() as conn:  # the next export would hold the chain to another place
            conn.execute(text("UPDATE export_head SET seq = seq - 1"))
        assert any(v.startswith(f"导出记录第 {head_id} 条") for v in run_checks(ctx).violations)
    finally:
        ctx.close()

    path = tmp_path / "old.db"  # the upgrade from 0012 seals the rows already there
    engine = make_engine(sqlite_url(path))
    command.upgrade(alembic_config(engine), "0012")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO society (id, area_code, name, village, town, district, village_limit_fen, town_limit_fen, "
            "fund_floor_fen, notice_days, notice_working_days, emergency_deadline_days, objection_phone, "
            "entrant_may_approve, entrant_may_approve_reason, created_at, emergency_limit_fen) VALUES (1, "
            "'341802100201', '青山村救急难互助社', '青山村', '水阳镇', '宣州区', 200000, 500000, 1000000, 5, 1, 10, '', "
            "0, '', '2026-11-20 02:30:00.000000', 200000)"))
        conn.execute(text("INSERT INTO export_head (id, society_id, seq, entry_hash, exported_at) "
                          "VALUES (3, 1, 0, 'x', '2026-11-20 02:30:00.000000')"))
    engine.dispose()
    old = open_context(str(path), tmp_path, clock)
    try:
        violations = run_checks(old).violations
        with old.engine.connect() as conn:
            sealed = conn.execute(text("SELECT entity, entity_id FROM audit_log WHERE action = 'seal'")).all()
    finally:
        old.close()
    assert ("export", 3) in [tuple(r) for r in sealed] and not [v for v in violations if "导出记录" in v]


def test_every_unit_name_fits_the_seal_column() -> None:
    """audit_seal.unit is 10 characters: a longer name fails on PostgreSQL, not on SQLite."""
    from jiujinan.cases.seals import UNITS
    from jiujinan.db.models import AuditSeal

    assert max(len(name) for name in UNITS) <= AuditSeal.__table__.c.unit.type.length
