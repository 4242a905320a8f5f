"""Issue 15, part 1, again: objects that borrow SQLite's own names. SQLite refuses a name
starting with sqlite_ in CREATE but not in a schema it reads from a file, so an attacker
writes one straight into sqlite_master (PRAGMA writable_schema). Only SQLite's own
statistics tables, defined as SQLite defines them, may be passed over; anything else is
foreign, named by ``check`` and refused by ``restore``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from jiujinan.cli import main
from tests.attacks.test_restore import refused, scene  # noqa: F401  (the fixture)

SKIM = ("CREATE TRIGGER sqlite_stat9 AFTER INSERT ON ledger_entry WHEN new.kind='contribution' BEGIN "
        "UPDATE ledger_entry SET amount_fen = new.amount_fen - 100 WHERE id = new.id; END")
REDIRECT = ("CREATE TRIGGER sqlite_stat8 AFTER INSERT ON aid_case BEGIN "
            "UPDATE aid_case SET account_no = '6222000011112222333' WHERE id = new.id; END")


def planted(path: Path, kind: str, name: str, table: str, sql: str | None) -> Path:
    """``path`` with an object written straight into sqlite_master, as the sqlite3 shell can."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA writable_schema=ON")
        conn.execute("INSERT INTO sqlite_master(type, name, tbl_name, rootpage, sql) VALUES (?, ?, ?, 0, ?)",
                     (kind, name, table, sql))
    conn.close()
    with sqlite3.connect(path) as conn:  # SQLite loads it as its own and still calls the file sound
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = ?", (name,)).fetchone() == (1,)
    conn.close()
    return path


def hostile_copy(good: Path) -> Path:
    bad = good.with_name("hostile.db")
    bad.write_bytes(good.read_bytes())
    return bad


@pytest.mark.parametrize("kind, name, table, sql, message", [
    ("trigger", "sqlite_stat9", "ledger_entry", SKIM, "有程序不认识的触发器 sqlite_stat9"),
    ("trigger", "sqlite_stat8", "aid_case", REDIRECT, "有程序不认识的触发器 sqlite_stat8"),
    ("view", "sqlite_stat2", "sqlite_stat2", "CREATE VIEW sqlite_stat2 AS SELECT id_number FROM aid_case",
     "有程序不认识的视图 sqlite_stat2"),
    ("trigger", "sqlite_autoindex_aid_case_9", "aid_case", REDIRECT.replace("sqlite_stat8", "sqlite_autoindex_aid_case_9"),
     "有程序不认识的触发器 sqlite_autoindex_aid_case_9"),
    ("trigger", "sqlite_sequence", "aid_case", REDIRECT.replace("sqlite_stat8", "sqlite_sequence"),
     "有程序不认识的触发器 sqlite_sequence"),
])
def test_a_backup_with_an_object_under_sqlites_name_is_refused(scene, kind, name, table, sql,  # noqa: ANN001, F811
                                                               message) -> None:
    live, good = scene
    bad = planted(hostile_copy(good), kind, name, table, sql)
    refused(live, bad, f"备份中{message}：不能从它恢复")


def test_a_statistics_table_defined_otherwise_is_foreign(scene) -> None:  # noqa: ANN001, F811
    """sqlite_stat1 with a column of its own is not SQLite's table: a place to hide copies."""
    live, good = scene
    bad = hostile_copy(good)
    with sqlite3.connect(bad) as conn:
        conn.execute("ANALYZE")
        conn.execute("PRAGMA writable_schema=ON")
        conn.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE sqlite_stat1(tbl,idx,stat,hash)' "
                     "WHERE name = 'sqlite_stat1'")
    conn.close()
    refused(live, bad, "备份中有程序不认识的表 sqlite_stat1：不能从它恢复")


def test_check_names_the_object_in_the_live_database(scene, capsys) -> None:  # noqa: ANN001, F811
    live, _good = scene
    planted(live, "trigger", "sqlite_stat9", "ledger_entry", SKIM)
    assert main(["--db", str(live), "check"]) == 1
    assert "数据库中有程序不认识的触发器 sqlite_stat9" in capsys.readouterr().out


def test_sqlites_own_statistics_still_pass(scene, capsys) -> None:  # noqa: ANN001, F811
    """ANALYZE's sqlite_stat1 is SQLite's own: a database that ran it checks out and restores."""
    live, good = scene
    for path in (live, good):
        with sqlite3.connect(path) as conn:
            conn.execute("ANALYZE")
            assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone() == (1,)
        conn.close()
    assert main(["--db", str(live), "check"]) == 0
    assert main(["--db", str(live), "restore", str(good), "--user", "王会计"]) == 0
