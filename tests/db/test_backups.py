"""Backups are consistent private copies; restore checks them and keeps the current file."""

import datetime as dt
import sqlite3

import pytest

from jiujinan.cases.clock import FixedClock
from jiujinan.cases.errors import DomainError
from jiujinan.cli import main
from jiujinan.services import backups, intake
from jiujinan.services.check import run_checks
from jiujinan.services.context import open_context
from tests.conftest import NOW, application, make_id

pytestmark = pytest.mark.sqlite_only  # copies of the file; a PostgreSQL server is backed up with pg_dump


def AS_ADMIN(_ctx) -> str:  # noqa: ANN001, N802 - 王会计 holds every role, the whole database his area
    return "王会计"


def cases_in(path) -> int:  # noqa: ANN001
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM aid_case").fetchone()[0]


def test_backup_of_a_live_database_restores_exactly(ctx, society_id, tmp_path, clock) -> None:  # noqa: ANN001
    intake.register_application(ctx, society_id, application(), "王会计")
    folder = tmp_path / "usb"
    made = backups.back_up(ctx, folder, "王会计", "manual")
    assert made.parent == backups.database_folder(folder, ctx.url) and made.parent.parent == folder
    assert made.stat().st_mode & 0o077 == 0 and made.parent.stat().st_mode & 0o077 == 0  # owner only
    assert not list(folder.glob("*.part")) and not list(folder.glob("*-wal"))
    assert cases_in(made) == 1
    intake.register_application(ctx, society_id, application(applicant_name="李四", id_number=make_id(seq="45")),
                                "王会计")  # after the backup
    ctx.close()
    aside = backups.restore(str(tmp_path / "test.db"), tmp_path, made, FixedClock(NOW), AS_ADMIN)
    assert aside is not None and cases_in(aside) == 2 and aside.stat().st_mode & 0o077 == 0
    again = open_context(str(tmp_path / "test.db"), tmp_path, clock)
    assert cases_in(tmp_path / "test.db") == 1 and run_checks(again).ok
    again.close()


def test_only_the_newest_backups_are_kept_and_daily_is_due_once_a_day(ctx, tmp_path) -> None:  # noqa: ANN001
    folder = tmp_path / "b"
    assert backups.daily_due(ctx, folder)
    for minute in range(5):
        ctx.clock = FixedClock(NOW + dt.timedelta(minutes=minute))
        backups.back_up(ctx, folder, "王会计", "close", keep=3)
    kept = backups.list_backups(ctx.url, folder)
    assert len(kept) == 3 and kept[0].made_at > kept[-1].made_at
    assert not backups.daily_due(ctx, folder)
    ctx.clock = FixedClock(NOW + dt.timedelta(days=1))
    assert backups.daily_due(ctx, folder)


@pytest.mark.parametrize("content, reason", [
    (b"not a database at all, just text" * 100, "^这不是可用的数据库备份：文件不是数据库，或已损坏$"),
    (b"", "不是本程序的数据库备份"),
])
def test_restore_refuses_a_bad_backup_and_changes_nothing(ctx, tmp_path, content, reason) -> None:  # noqa: ANN001
    ctx.close()
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    before = (tmp_path / "test.db").read_bytes()
    with pytest.raises(DomainError, match=reason):
        backups.restore(str(tmp_path / "test.db"), tmp_path, bad, FixedClock(NOW), AS_ADMIN)
    assert (tmp_path / "test.db").read_bytes() == before
    assert not list(tmp_path.glob("*before-restore*"))


def test_a_damaged_backup_is_refused(ctx, society_id, tmp_path) -> None:  # noqa: ANN001
    made = backups.back_up_to(ctx, tmp_path / "copy.db", "王会计")
    data = bytearray(made.read_bytes())
    for offset in range(4096 * 3, len(data), 4096):  # scribble over the header of every later page
        data[offset: offset + 12] = b"\x07" * 12
    made.write_bytes(bytes(data))
    ctx.close()
    with pytest.raises(DomainError, match="损坏|不是可用"):
        backups.restore(str(tmp_path / "test.db"), tmp_path, made, FixedClock(NOW), AS_ADMIN)


def test_a_backup_from_a_newer_app_is_refused(ctx, tmp_path) -> None:  # noqa: ANN001
    made = backups.back_up_to(ctx, tmp_path / "new.db", "王会计")
    with sqlite3.connect(made) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    ctx.close()
    before = (tmp_path / "test.db").read_bytes()
    with pytest.raises(DomainError, match="更新版本"):
        backups.restore(str(tmp_path / "test.db"), tmp_path, made, FixedClock(NOW), AS_ADMIN)
    assert (tmp_path / "test.db").read_bytes() == before


def test_backup_and_restore_from_the_command_line(ctx, society_id, tmp_path, capsys) -> None:  # noqa: ANN001
    db = str(tmp_path / "test.db")
    ctx.close()
    assert main(["--db", db, "backup", "--out", str(tmp_path / "one.db")]) == 0
    assert main(["--db", db, "restore", str(tmp_path / "one.db")]) == 0
    assert "恢复前的数据库另存为" in capsys.readouterr().err
    assert main(["--db", db, "restore", str(tmp_path / "missing.db")]) == 1
    assert "找不到备份文件" in capsys.readouterr().err


def test_a_server_database_is_pointed_to_pg_dump(pg_url, tmp_path, capsys) -> None:  # noqa: ANN001
    assert main(["--db", pg_url, "db", "upgrade"]) == 0
    assert main(["--db", pg_url, "backup", "--out", str(tmp_path / "x.db")]) == 1
    assert "pg_dump" in capsys.readouterr().err and not (tmp_path / "x.db").exists()


def _search(ctx, society_id: int, text: str) -> list[str]:  # noqa: ANN001
    from jiujinan.cases.listing import CaseListQuery
    from jiujinan.services import case_list

    return [r.applicant_name for r in case_list.page(ctx, CaseListQuery(society_id=society_id, text=text), "王会计", limit=50)]


def test_a_restored_backup_keeps_its_search_index_in_step(ctx, society_id, tmp_path, clock) -> None:  # noqa: ANN001
    intake.register_application(ctx, society_id, application(applicant_name="欧阳小五"), "王会计")
    made = backups.back_up_to(ctx, tmp_path / "one.db", "王会计")
    intake.register_application(ctx, society_id, application(applicant_name="张小五", id_number=make_id(seq="71")), "王会计")
    ctx.close()
    backups.restore(str(tmp_path / "test.db"), tmp_path, made, FixedClock(NOW), AS_ADMIN)
    again = open_context(str(tmp_path / "test.db"), tmp_path, clock)
    assert _search(again, society_id, "阳小五") == ["欧阳小五"]  # the backup's index came with it
    intake.register_application(again, society_id, application(applicant_name="李小五", id_number=make_id(seq="72")), "王会计")
    assert sorted(_search(again, society_id, "小五")) == ["李小五", "欧阳小五"]  # and is kept up after it
    again.close()


@pytest.mark.parametrize("change, reason", [
    ("CREATE TRIGGER leak AFTER INSERT ON aid_case BEGIN UPDATE society SET name = new.id_number; END",
     "备份中有程序不认识的触发器 leak：不能从它恢复"),
    ("CREATE VIEW peek AS SELECT id_number FROM aid_case", "程序不认识的视图 peek"),
    ("DROP TRIGGER aid_case_search_insert", "缺少程序的触发器 aid_case_search_insert"),
    ("DROP TRIGGER aid_case_search_update; CREATE TRIGGER aid_case_search_update AFTER UPDATE ON aid_case "
     "BEGIN UPDATE society SET name = new.applicant_name; END", "触发器 aid_case_search_update 的定义被改动"),
])
def test_a_backup_with_code_of_its_own_is_refused(ctx, society_id, tmp_path, change, reason) -> None:  # noqa: ANN001
    made = backups.back_up_to(ctx, tmp_path / "hostile.db", "王会计")
    with sqlite3.connect(made) as conn:
        conn.executescript(change)
    ctx.close()
    before = (tmp_path / "test.db").read_bytes()
    with pytest.raises(DomainError, match=reason):
        backups.restore(str(tmp_path / "test.db"), tmp_path, made, FixedClock(NOW), AS_ADMIN)
    assert (tmp_path / "test.db").read_bytes() == before


@pytest.mark.parametrize("folder", ["救助#2", "q?a=1", "p%20 x%41", "村 互助社"])
def test_a_database_in_a_folder_with_url_characters_backs_up_whole(folder, tmp_path, clock, capsys) -> None:  # noqa: ANN001
    """``#``, ``?``, ``%`` and spaces are ordinary in folder names: the read-only copy escapes
    them (unescaped, '救助#2/j.db' opened '救助' and backed up an empty database)."""
    db = tmp_path / folder / "j.db"
    db.parent.mkdir()
    assert main(["demo", "--db", str(db), "--societies", "1", "--cases", "20"]) == 0
    out = tmp_path / "b.db"
    assert main(["backup", "--db", str(db), "--out", str(out)]) == 0
    assert cases_in(out) == 20 and not (tmp_path / folder.split("#")[0].split("?")[0]).is_file()
    context = open_context(str(db), tmp_path, clock)
    aside = backups.restore(str(db), tmp_path, out, FixedClock(NOW), AS_ADMIN)
    assert aside is not None and cases_in(aside) == 20  # the copy kept before restoring is whole too
    context.close()


def test_a_damaged_or_missing_database_is_restored_by_an_administrator_of_the_backup(ctx, society_id,
                                                                                     tmp_path) -> None:  # noqa: ANN001
    """With no database to sign in to (none, or a damaged one, as 「文件不是数据库或已损坏，可从备份
    恢复」 says), the backup's own administrators decide: whoever can replace such a file on
    disk needs no restore for it."""
    made = backups.back_up_to(ctx, tmp_path / "one.db", "王会计")
    ctx.close()
    live = tmp_path / "test.db"
    live.write_bytes(b"\x00 not a database any more " * 500)
    with pytest.raises(DomainError, match="不是在用的登记用户"):
        backups.restore(str(live), tmp_path, made, FixedClock(NOW), lambda _ctx: "陌生人")
    assert backups.restore(str(live), tmp_path, made, FixedClock(NOW), AS_ADMIN) is not None  # kept aside
    assert cases_in(live) == 0
    live.unlink()
    assert backups.restore(str(live), tmp_path, made, FixedClock(NOW), AS_ADMIN) is None  # nothing to keep
    with sqlite3.connect(live) as conn:
        assert conn.execute("SELECT user_name FROM audit_log WHERE action = 'restore'").fetchall() == [("王会计",)]
    conn.close()


def test_each_database_keeps_its_backups_in_a_folder_of_its_own(ctx, society_id, tmp_path, clock) -> None:  # noqa: ANN001
    """Clerk review #1: every database opened on the PC backed up into one folder, so the
    district's backups sat beside the village's. Now each has its own sub-folder (its file
    name and a hash of its full path), even for two files of the same name; backups made
    before, in the shared folder under this file's name, are still listed and never rotated out."""
    shared = tmp_path / "backups"
    shared.mkdir()
    old = shared / "test-20261101-080000-daily.db"  # made before sub-folders, by this database
    backups.back_up_to(ctx, old, "王会计")
    (shared / "D-20261101-080000-daily.db").write_bytes(old.read_bytes())  # the district's, same folder
    other_dir = tmp_path / "elsewhere"
    other_dir.mkdir()
    same_name = open_context(str(other_dir / "test.db"), other_dir, clock)  # another test.db on the PC
    theirs = backups.back_up(same_name, shared, "系统", "daily")
    for minute in range(3):
        ctx.clock = FixedClock(NOW + dt.timedelta(minutes=minute))
        backups.back_up(ctx, shared, "王会计", "close", keep=2)
    mine = backups.list_backups(ctx.url, shared)
    assert [b.path.parent for b in mine] == [backups.database_folder(shared, ctx.url)] * 2 + [shared]
    assert mine[-1].path == old and old.exists() and theirs.exists()
    assert theirs.parent != mine[0].path.parent and theirs not in [b.path for b in mine]
    assert backups.list_backups(same_name.url, shared)[0].path == theirs
    same_name.close()


def test_the_command_line_shows_what_the_backup_holds_before_restoring(ctx, society_id, tmp_path,
                                                                      capsys) -> None:  # noqa: ANN001
    made = backups.back_up_to(ctx, tmp_path / "one.db", "王会计")
    intake.register_application(ctx, society_id, application(), "王会计")
    ctx.close()
    assert main(["--db", str(tmp_path / "test.db"), "restore", str(made), "--user", "王会计"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == ["备份内容：", "  互助社：青山村救急难互助社（341802100201）", "  案件：0 件",
                                f"  最后一次操作：{NOW.astimezone():%Y-%m-%d}", "  管理员：王会计、李主任、甲、乙"]
