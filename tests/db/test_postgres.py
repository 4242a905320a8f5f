"""What only a real PostgreSQL server shows (skipped without JIUJINAN_TEST_PG): the schema
from empty, the village-to-district round trip, two clerks at once, a long report's
snapshot, a held fund. The rest of the database suite runs here too (tests/db/conftest.py)."""

import datetime as dt
import multiprocessing

from jiujinan.cases.clock import FixedClock
from jiujinan.db import search
from jiujinan.services import district, export, fund, societies
from jiujinan.services.check import run_checks
from jiujinan.services.context import open_context
from jiujinan.services.demo import run_demo
from tests.conftest import NOW, USERS, add_staff_member, schema_diff

CLOCK = FixedClock(NOW)


def test_empty_to_head_matches_the_models(pg_url, tmp_path) -> None:  # noqa: ANN001
    ctx = open_context(pg_url, tmp_path, CLOCK)
    with ctx.engine.connect() as conn:
        assert schema_diff(conn) == []
        indexes = set(conn.exec_driver_sql("SELECT indexname FROM pg_indexes WHERE tablename = 'aid_case'").scalars())
        assert {search.TRGM_INDEX, *(name for name, _sql in search.NAME_TAIL_INDEXES_0009)} <= indexes
    ctx.close()


def test_village_to_district_round_trip(pg_url, tmp_path) -> None:  # noqa: ANN001
    village = open_context(pg_url, tmp_path, CLOCK)
    run_demo(village, n_societies=2, n_cases=300, seed=3)
    assert run_checks(village).ok
    folders = export.export_all(village, tmp_path / "out", user="王会计")
    district_ctx = open_context(str(tmp_path / "district.db"), tmp_path, CLOCK)  # the district on SQLite
    assert {r.outcome for r in district.import_folders(district_ctx, folders, "区")} == {"imported"}
    report = district.reconcile(district_ctx, "王会计")
    for record, line in zip(societies.list_societies(village), report.societies):
        position = fund.position(village, record.id, "王会计")
        assert (line.balance_fen, line.paid_fen) == (position.balance_fen, position.paid_out_fen)
    village.close()
    district_ctx.close()


def test_db_upgrade_creates_the_schema_on_the_server(pg_url, tmp_path, capsys) -> None:  # noqa: ANN001
    from jiujinan.cli import main
    from jiujinan.db.migrate import head_revision

    assert main(["--db", pg_url, "db", "upgrade"]) == 0
    assert f"表结构版本 {head_revision()}" in capsys.readouterr().out


def _office(pg_url, tmp_path, **kw):  # noqa: ANN001, ANN202
    """A shared database with its staff and a society with money in it."""
    from jiujinan.cases.enums import FundSource
    from jiujinan.cases.fund import ContributionInput
    from tests.conftest import society_settings

    ctx = open_context(pg_url, tmp_path, FixedClock(dt.datetime(2026, 12, 21, 2, tzinfo=dt.timezone.utc)), **kw)
    for person in USERS:
        add_staff_member(ctx, person)
    society = societies.create_society(ctx, society_settings(), "王会计").id
    fund.add_contribution(ctx, society, ContributionInput(dt.date(2026, 11, 1), FundSource.DONATION, 500_000,
                                                          "捐款人", ""), "王会计")
    return ctx, society


def test_another_clerk_saving_during_the_seal_check_is_no_tampering(pg_url, tmp_path) -> None:  # noqa: ANN001
    """CI caught it: on the server each statement sees what was committed before it, so a
    check that read a case's row and then its seal in two statements saw another clerk's new
    row beside its old seal, and refused the save as «在程序之外被改动». Here the other clerk
    commits right after the check's first statement."""
    from jiujinan.services import intake
    from jiujinan.services.seal_guard import unit_changes
    from tests.conftest import application

    ctx, society = _office(pg_url, tmp_path)
    other = open_context(pg_url, tmp_path, ctx.clock)
    case = intake.register_application(ctx, society, application(applied_on=dt.date(2026, 11, 2)), "王会计")
    with ctx.write() as s:
        real, statements = s.execute, []

        def execute(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            result = real(*args, **kwargs)
            if not statements:
                intake.update_application(other, case.id, application(requested_yuan="2100"), "李主任", version=1)
            statements.append(args[0])
            return result

        s.execute = execute  # type: ignore[method-assign]
        assert unit_changes(s, "case", case.id) == []
    other.close()


def test_two_clerks_editing_one_case_on_the_server(pg_url, tmp_path) -> None:  # noqa: ANN001
    from jiujinan.services import intake
    from tests.conftest import application
    from tests.db import race_worker

    ctx, society = _office(pg_url, tmp_path)
    case = intake.register_application(ctx, society, application(applied_on=dt.date(2026, 11, 2)), "王会计")
    spawn = multiprocessing.get_context("spawn")
    with spawn.Manager() as manager:
        barrier = manager.Barrier(2)
        with spawn.Pool(2) as pool:
            results = pool.starmap(race_worker.edit, [(pg_url, case.id, 1, "2100", "甲", barrier),
                                                      (pg_url, case.id, 1, "2200", "乙", barrier)])
    assert sorted(r.split(":")[0] for r in results) == ["ok", "refused"], results
    assert any("已被他人修改" in r for r in results), results
    ctx.close()


def test_a_long_report_keeps_its_snapshot_and_a_held_fund_says_busy(pg_url, tmp_path) -> None:  # noqa: ANN001
    import io

    import pytest
    from sqlalchemy import text

    from jiujinan.cases.enums import PaymentMethod
    from jiujinan.cases.fund import PaymentInput
    from jiujinan.services import printing, review
    from jiujinan.services.context import DatabaseUnavailable
    from tests.db.test_fund import approved_case

    ctx, society = _office(pg_url, tmp_path, busy_wait=0.5)
    view = approved_case(ctx, society)
    with ctx.read() as report:  # a long report has read the ledger once ...
        before = report.execute(text("SELECT count(*) FROM ledger_entry")).scalar()
        entry = fund.pay(ctx, view.case.id, PaymentInput(dt.date(2026, 11, 20), PaymentMethod.BANK, 180_000, ""),
                         "王会计", version=review.case_view(ctx, view.case.id, "王会计").version)  # ... a payment commits
        assert report.execute(text("SELECT count(*) FROM ledger_entry")).scalar() == before  # same snapshot
    printing.print_ledger(ctx, society, "2026-11", io.BytesIO(), "王会计")
    other = ctx.engine.connect()  # another clerk's transaction holds the fund
    other.execute(text("SELECT id FROM society WHERE id = :s FOR UPDATE"), {"s": society})
    try:
        with pytest.raises(DatabaseUnavailable, match="正被其他程序使用"):
            fund.reverse(ctx, society, entry, "退回", dt.date(2026, 11, 21), "王会计")
    finally:
        other.rollback()
        other.close()
    fund.reverse(ctx, society, entry, "退回", dt.date(2026, 11, 21), "王会计")  # free again: it goes through
    assert run_checks(ctx).ok
    ctx.close()
