"""Issue 15, part 1: restore. An attacker with the office PC hands the app a "backup" that
carries code of its own, or restores without being an administrator. Each test fails if
the attack works again; after every refusal the live database is byte for byte the same."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from jiujinan.cases.clock import FixedClock
from jiujinan.cases.errors import DomainError
from jiujinan.cases.users import PermissionDenied, parse_roles
from jiujinan.cli import main
from jiujinan.services import backups, intake, users
from tests.conftest import NOW, PASSWORD, application, make_id


def as_user(name: str):  # noqa: ANN201
    return lambda _ctx: name


@pytest.fixture
def scene(ctx, society_id, tmp_path):  # noqa: ANN001, ANN201
    """A live database with a case, a clerk-only user and an administrator of one town;
    a good backup of it; the app closed (restore works on the closed file)."""
    intake.register_application(ctx, society_id, application(), "王会计")
    users.create_user(ctx, "李经办", parse_roles("经办人"), PASSWORD, "王会计")
    users.create_user(ctx, "赵镇管", parse_roles("管理员"), PASSWORD, "王会计", area="341802100")
    good = backups.back_up_to(ctx, tmp_path / "good.db", "王会计")
    intake.register_application(ctx, society_id, application(applicant_name="李四", id_number=make_id(seq="45")),
                                "王会计")
    ctx.close()
    return tmp_path / "test.db", good


def hostile(good: Path, sql: str) -> Path:
    """A copy of a good backup, changed with ``sql`` as an attacker would with sqlite3."""
    bad = good.with_name("hostile.db")
    bad.write_bytes(good.read_bytes())
    with sqlite3.connect(bad) as conn:
        conn.executescript(sql)
    conn.close()
    return bad


def refused(live: Path, backup: Path, message: str, user: str = "王会计") -> None:
    """The restore is refused with ``message`` and the live database is untouched."""
    before = live.read_bytes()
    with pytest.raises(DomainError, match=message):
        backups.restore(str(live), live.parent, backup, FixedClock(NOW), as_user(user))
    assert live.read_bytes() == before
    assert not list(live.parent.glob("*before-restore*")) and not list(live.parent.glob(".restore-*"))


@pytest.mark.parametrize("sql, message", [
    # bank accounts of new cases redirected
    ("CREATE TRIGGER redirect_account AFTER INSERT ON aid_case BEGIN "
     "UPDATE aid_case SET account_no = '6222020000000000666' WHERE id = new.id; END",
     "备份中有程序不认识的触发器 redirect_account：不能从它恢复"),
    # 1 yuan skimmed off every contribution
    ("CREATE TRIGGER skim_contribution AFTER INSERT ON ledger_entry WHEN new.kind = 'contribution' BEGIN "
     "UPDATE ledger_entry SET amount_fen = amount_fen - 100 WHERE id = new.id; END",
     "备份中有程序不认识的触发器 skim_contribution：不能从它恢复"),
    ("CREATE VIEW people AS SELECT applicant_name, id_number, account_no FROM aid_case",
     "备份中有程序不认识的视图 people：不能从它恢复"),
    # password hashes copied to a hidden table
    ("CREATE TABLE _cache (name TEXT, hash TEXT); CREATE TRIGGER keep AFTER UPDATE ON app_user BEGIN "
     "INSERT INTO _cache VALUES (new.name, new.password_hash); END",
     "备份中有程序不认识的表 _cache；有程序不认识的触发器 keep：不能从它恢复"),
    ("CREATE INDEX ix_extra ON aid_case (phone)", "有程序不认识的索引 ix_extra"),
    ("DROP INDEX ix_ledger_case", "缺少程序的索引 ix_ledger_case"),
    ("DROP TRIGGER aid_case_search_update; CREATE TRIGGER aid_case_search_update AFTER UPDATE ON aid_case "
     "BEGIN UPDATE aid_case SET account_no = '6222020000000000666' WHERE id = new.id; END",
     "触发器 aid_case_search_update 的定义被改动"),
    ("ALTER TABLE app_user ADD COLUMN note TEXT", "表 app_user 的定义被改动"),
    ("INSERT INTO alembic_version VALUES ('0008')", "备份中有 2 条表结构版本记录（应为 1 条）"),
    ("UPDATE alembic_version SET version_num = '0009a'", "表结构版本（0009a）本程序不认识"),
    ("DELETE FROM alembic_version", "这不是本程序的数据库备份"),
])
def test_a_backup_with_objects_or_versions_not_ours_is_refused(scene, sql, message) -> None:  # noqa: ANN001
    live, good = scene
    refused(live, hostile(good, sql), message)


def test_a_backup_with_a_corrupt_page_is_refused(scene) -> None:  # noqa: ANN001
    live, good = scene
    data = bytearray(good.read_bytes())
    for offset in range(4096 * 3, len(data), 4096):  # the header of every later page scribbled over
        data[offset: offset + 12] = b"\x07" * 12
    bad = good.with_name("corrupt.db")
    bad.write_bytes(bytes(data))
    refused(live, bad, "备份文件已损坏|不是可用的数据库备份")


def test_a_backup_whose_audit_trail_was_edited_is_refused(scene) -> None:  # noqa: ANN001
    live, good = scene
    bad = hostile(good, "UPDATE audit_log SET user_name = '李四' WHERE seq = 2")
    refused(live, bad, "备份没有通过检查（.*审计.*）：不能从它恢复")


def test_a_backup_whose_search_index_was_tampered_with_is_refused(scene) -> None:  # noqa: ANN001
    """A row slipped into the search index: the case would be found under another name."""
    live, good = scene
    bad = hostile(good, "INSERT INTO aid_case_search (rowid, applicant_name, id_number, case_no) "
                        "VALUES (1, '假名字', '000000000000000000', 'X')")
    refused(live, bad, "备份没有通过检查（案件搜索索引与案件不一致")


def test_a_backup_whose_data_breaks_a_check_is_refused(scene) -> None:  # noqa: ANN001
    live, good = scene
    bad = hostile(good, "UPDATE aid_case SET paid_fen = 50000")
    refused(live, bad, "备份没有通过检查（案件 .*已发放")


@pytest.mark.parametrize("user, message", [
    ("李经办", "李经办（经办人）不能从备份恢复：需要管理员角色"),
    ("赵镇管", "赵镇管 的工作范围是.*从备份恢复影响整个数据库，须由范围为全部的管理员办理"),
    ("无名氏", "“无名氏”不是在用的登记用户，不能从备份恢复"),
])
def test_only_an_administrator_of_the_whole_database_restores(scene, user, message) -> None:  # noqa: ANN001
    live, good = scene
    before = live.read_bytes()
    with pytest.raises(PermissionDenied, match=message):
        backups.restore(str(live), live.parent, good, FixedClock(NOW), as_user(user))
    assert live.read_bytes() == before


def test_an_unsigned_restore_on_the_command_line_is_refused(scene, monkeypatch, capsys) -> None:  # noqa: ANN001
    live, good = scene
    monkeypatch.delenv("JIUJINAN_USER")
    assert main(["--db", str(live), "restore", str(good)]) == 1
    assert "请用 --user 指定操作人" in capsys.readouterr().err
    monkeypatch.setenv("JIUJINAN_PASSWORD", "not-the-password")
    assert main(["--db", str(live), "restore", str(good), "--user", "王会计"]) == 1
    assert "用户名或密码不对" in capsys.readouterr().err
    monkeypatch.setenv("JIUJINAN_PASSWORD", PASSWORD)
    assert main(["--db", str(live), "restore", str(good), "--user", "李经办"]) == 1
    assert "不能从备份恢复" in capsys.readouterr().err
    with sqlite3.connect(live) as conn:
        assert conn.execute("SELECT count(*) FROM aid_case").fetchone() == (2,)  # nothing undone
    conn.close()


def test_a_signed_in_administrator_restores_and_the_restored_trail_says_so(scene, capsys) -> None:  # noqa: ANN001
    live, good = scene
    assert main(["--db", str(live), "restore", str(good), "--user", "王会计"]) == 0
    with sqlite3.connect(live) as conn:
        assert conn.execute("SELECT count(*) FROM aid_case").fetchone() == (1,)
        user, action, after = conn.execute(
            "SELECT user_name, action, after_json FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    conn.close()
    assert (user, action) == ("王会计", "restore") and "good.db" in after
    assert main(["--db", str(live), "check"]) == 0  # the restored file, with its restore entry, checks out


def test_check_lists_a_trigger_slipped_into_the_live_database(scene, capsys) -> None:  # noqa: ANN001
    live, _good = scene
    with sqlite3.connect(live) as conn:
        conn.execute("CREATE TRIGGER skim_contribution AFTER INSERT ON ledger_entry BEGIN "
                     "UPDATE ledger_entry SET amount_fen = amount_fen - 100 WHERE id = new.id; END")
    conn.close()
    assert main(["--db", str(live), "check"]) == 1
    out = capsys.readouterr().out
    assert "数据库中有程序不认识的触发器 skim_contribution" in out


def test_check_lists_a_tampered_search_index(scene, capsys) -> None:  # noqa: ANN001
    live, _good = scene
    with sqlite3.connect(live) as conn:
        conn.execute("INSERT INTO aid_case_search (aid_case_search, rowid, applicant_name, id_number, case_no) "
                     "SELECT 'delete', id, applicant_name, id_number, case_no FROM aid_case WHERE id = 1")
    conn.close()
    assert main(["--db", str(live), "check"]) == 1
    assert "案件搜索索引与案件不一致" in capsys.readouterr().out


def other_office(tmp_path: Path, admin: str, code: str, name: str, *, roles: str = "管理员", area: str = "") -> Path:
    """A backup of another office's database on the same PC (the district's, another
    village's): its own society and administrator; ``admin`` holds ``roles`` in ``area``."""
    from jiujinan.services import societies
    from jiujinan.services.context import open_context
    from tests.conftest import society_settings

    folder = tmp_path / f"office-{code}"
    folder.mkdir()
    office = open_context(str(folder / "D.db"), folder, FixedClock(NOW))
    users.create_user(office, "孙科长", parse_roles("管理员"), PASSWORD, "孙科长")
    if admin != "孙科长":
        users.create_user(office, admin, parse_roles(roles), PASSWORD, "孙科长", area=area)
    societies.create_society(office, society_settings(code, name), "孙科长")
    made = backups.back_up_to(office, folder / "D-20261201-073132-daily.db", "孙科长")
    office.close()
    return made


def test_a_backup_without_the_restoring_administrator_is_refused(scene, tmp_path) -> None:  # noqa: ANN001
    """Clerk review #1: the district's backup, picked from the shared backup folder, replaced
    the village's data and left 张社长 (here 王会计) unable to sign in and restore it back."""
    live, _good = scene
    district = other_office(tmp_path, "孙科长", "341802101202", "宣州区民政局互助社")
    refused(live, district, "备份里没有管理员“王会计”（范围为全部）：恢复后你将无法登录管理，不能从它恢复")
    # nor when he is in it but not an administrator of the whole database, or stopped
    for roles, area in (("经办人", ""), ("管理员", "341802101")):
        shutil.rmtree(tmp_path / "office-341802100201", ignore_errors=True)
        weaker = other_office(tmp_path, "王会计", "341802100201", "青山村救急难互助社", roles=roles, area=area)
        refused(live, weaker, "备份里没有管理员“王会计”")


def test_a_backup_of_other_societies_needs_a_second_yes(scene, tmp_path, capsys) -> None:  # noqa: ANN001
    """Another village's backup whose administrator has the same name: shown what it holds,
    and restored only after an explicit second yes (--other-societies on the command line)."""
    live, _good = scene
    other = other_office(tmp_path, "王会计", "341802101202", "红星村救急难互助社")
    shown = []
    refused(live, other, "备份里的互助社是 红星村救急难互助社（341802101202），"
                         "现在的数据库是 青山村救急难互助社（341802100201）：没有恢复，现有数据没有改动")
    before = live.read_bytes()
    with pytest.raises(DomainError, match="没有恢复"):
        backups.restore(str(live), live.parent, other, FixedClock(NOW), as_user("王会计"),
                        lambda summary: shown.append(summary.lines()) or True, lambda summary: False)
    assert shown == [["互助社：红星村救急难互助社（341802101202）", "案件：0 件",
                      f"最后一次操作：{NOW.astimezone():%Y-%m-%d}", "管理员：孙科长、王会计"]]
    assert live.read_bytes() == before
    assert main(["--db", str(live), "restore", str(other), "--user", "王会计"]) == 1
    out, err = capsys.readouterr()
    assert "互助社：红星村救急难互助社（341802101202）" in out and "请加 --other-societies 再运行（现有数据没有改动）" in err
    assert live.read_bytes() == before
    assert main(["--db", str(live), "restore", str(other), "--user", "王会计", "--other-societies"]) == 0
    with sqlite3.connect(live) as conn:
        assert conn.execute("SELECT area_code FROM society").fetchall() == [("341802101202",)]
    conn.close()
