"""Two programs on one database: a busy database is a clear message, never a trace or a
half-written record; two edits of one case never silently overwrite each other."""

import datetime as dt
import multiprocessing
import sqlite3

import pytest

from jiujinan.cases.enums import FundSource
from jiujinan.cases.fund import ContributionInput
from jiujinan.cli import main
from jiujinan.services import fund, intake
from jiujinan.services.context import DatabaseUnavailable, open_context
from tests.conftest import application
from tests.db import race_worker

MONEY = ContributionInput(dt.date(2026, 11, 2), FundSource.DONATION, 10_000, "张三", "")


def rows(path, table: str) -> int:  # noqa: ANN001
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_busy_database_says_so_and_writes_nothing(ctx, society_id, tmp_path, clock) -> None:  # noqa: ANN001
    db = tmp_path / "test.db"
    impatient = open_context(str(db), tmp_path, clock, busy_wait=0.3)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program is writing
    before = rows(db, "ledger_entry"), rows(db, "audit_log")
    with pytest.raises(DatabaseUnavailable, match="正被其他程序使用，请稍后再试"):
        fund.add_contribution(impatient, society_id, MONEY, "王会计")
    other.execute("COMMIT")
    other.close()
    assert (rows(db, "ledger_entry"), rows(db, "audit_log")) == before
    fund.add_contribution(impatient, society_id, MONEY, "王会计")  # and then it works
    assert rows(db, "ledger_entry") == before[0] + 1
    impatient.close()


def test_the_command_line_says_busy_too(ctx, society_id, tmp_path, capsys) -> None:  # noqa: ANN001
    db = tmp_path / "test.db"
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code = main(["--db", str(db), "--wait", "0.2", "--user", "王会计", "fund", "add", "--source", "donation",
                     "--amount", "100", "--date", "2026-11-02", "--payer", "张三"])
    finally:
        other.execute("ROLLBACK")
        other.close()
    err = capsys.readouterr().err
    assert code == 1 and "正被其他程序使用" in err and "Traceback" not in err


def test_two_processes_editing_one_case_never_lose_an_update(ctx, society_id, tmp_path) -> None:  # noqa: ANN001
    case = intake.register_application(ctx, society_id, application(), "王会计")
    spawn = multiprocessing.get_context("spawn")
    with spawn.Manager() as manager:
        barrier = manager.Barrier(2)
        with spawn.Pool(2) as pool:
            results = pool.starmap(race_worker.edit, [(str(tmp_path / "test.db"), case.id, 1, "2100", "甲", barrier),
                                                      (str(tmp_path / "test.db"), case.id, 1, "2200", "乙", barrier)])
    assert sorted(r.split(":")[0] for r in results) == ["ok", "refused"], results
    assert any("已被他人修改" in r for r in results)
    winner = "2100" if results[0] == "ok" else "2200"
    assert intake.load(ctx, case.id, "王会计").application.requested_fen == int(winner) * 100
