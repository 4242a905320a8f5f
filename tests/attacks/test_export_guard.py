"""Issue 15, part 3 (attack review H3): a stolen backup forged the society's signed export.
From the backup alone the thief deleted the users (the database was then "being set up": no
sign-in for any command), raised a donation from ¥777 to ¥77,700 and exported: signed with
the genuine key on the genuine chain, the district replaced the true figures without a
warning. Now an export checks the chain and the seals of what it signs first, and a database
whose users were deleted is not taken for a new one. Each test fails if the attack works
again. (The private key still travels in the backup: a decision kept by the lead.)"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from jiujinan.cases.clock import FixedClock
from jiujinan.cases.enums import FundSource
from jiujinan.cases.errors import DomainError
from jiujinan.cases.export_guard import ChangedOutside
from jiujinan.cases.fund import ContributionInput
from jiujinan.cases.users import USERS_DELETED, Role, UsersDeleted
from jiujinan.cli import main
from jiujinan.services import backups, export, fund, societies, users
from jiujinan.services.check import run_checks
from tests.attacks.test_row_seals import ctx, tamper  # noqa: F401 - its ctx: on SQLite and PostgreSQL
from tests.conftest import NOW, PASSWORD, society_settings
from tests.db.conftest import backend, db_url  # noqa: F401 - each attack on SQLite and on PostgreSQL

CHANGED = "不能导出：数据库中的数据在程序之外被改动过"
WAY_OUT = "请运行“检查”（命令行 jiujinan check）查看全部问题，并从改动之前的备份恢复后再导出"
OTHER = "341802100202"


@pytest.fixture
def village(ctx, society_id):  # noqa: ANN001, ANN201
    """Two societies of one database; a ¥777 donation to the first, recorded by 王会计."""
    societies.create_society(ctx, society_settings(OTHER, "白石村救急难互助社"), "王会计")
    entry = fund.add_contribution(ctx, society_id, ContributionInput(dt.date(2026, 11, 5), FundSource.DONATION,
                                                                     77_700, "张三", ""), "王会计")
    return {"society_id": society_id, "entry": entry}


def _cli(capsys, ctx, *args: str) -> tuple[int, str]:  # noqa: ANN001
    code = main(["--db", ctx.url, *args])
    return code, capsys.readouterr().err


def test_an_edited_amount_is_not_signed(ctx, village, tmp_path, capsys) -> None:  # noqa: ANN001
    tamper(ctx, "UPDATE ledger_entry SET amount_fen = 7770000 WHERE id = :id", id=village["entry"])
    out = tmp_path / "forged"
    with pytest.raises(ChangedOutside) as refused:
        export.export_all(ctx, out, codes=["341802100201"], user="王会计")
    said = str(refused.value)
    assert said.startswith(CHANGED) and WAY_OUT in said
    assert f"台账第 {village['entry']} 条金额：审计记录 ¥777.00，数据库 ¥77,700.00" in said
    assert not out.exists()  # nothing written
    code, err = _cli(capsys, ctx, "--user", "王会计", "export", "--out", str(out), "--society", "341802100201")
    assert code == 1 and CHANGED in err and "¥77,700.00" in err and not out.exists()
    # Another society's export speaks for none of it and still goes out.
    assert export.export_all(ctx, tmp_path / "other", codes=[OTHER], user="王会计")


@pytest.mark.parametrize("sql, found", [
    ("DELETE FROM ledger_entry WHERE id = :id", "不见了：在程序之外被删除"),
    ("UPDATE aid_case SET account_no = '6222020200000000999'", "在程序之外被改动"),
    ("UPDATE society SET village_limit_fen = 99999900 WHERE area_code = '341802100201'", "村级审批限额"),
    ("UPDATE app_user SET roles = 'admin' WHERE name = '乙'", "用户 乙"),
    ("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)", ""),
])
def test_any_change_outside_the_program_stops_the_export(ctx, village, tmp_path, sql, found) -> None:  # noqa: ANN001
    from jiujinan.services import intake
    from tests.conftest import application

    intake.register_application(ctx, village["society_id"], application(), "王会计")
    tamper(ctx, sql, id=village["entry"]) if ":id" in sql else tamper(ctx, sql)
    with pytest.raises(ChangedOutside, match=CHANGED) as refused:
        export.export_society(ctx, village["society_id"], tmp_path / "out", user="王会计")
    assert found in str(refused.value)
    assert not (tmp_path / "out").exists()


def test_a_database_whose_users_were_deleted_is_not_being_set_up(ctx, village, tmp_path, capsys) -> None:  # noqa: ANN001
    """The thief's first step: with no users, no command asked for a sign-in."""
    tamper(ctx, "DELETE FROM app_user")
    out = tmp_path / "forged"
    code, err = _cli(capsys, ctx, "export", "--out", str(out), "--society", "341802100201")
    assert code == 1 and USERS_DELETED in err and not out.exists()
    for args in (("case", "list"), ("fund", "show"), ("user", "list")):
        code, err = _cli(capsys, ctx, *args)
        assert code == 1 and USERS_DELETED in err, args
    with pytest.raises(UsersDeleted, match="用户是在程序之外被删除的"):
        users.create_user(ctx, "贼", frozenset(Role), PASSWORD, "")  # no new first administrator
    with pytest.raises(UsersDeleted):
        export.export_all(ctx, out, user="")
    with pytest.raises(UsersDeleted):  # the door refuses reads as well
        societies.list_societies(ctx, "")
    report = run_checks(ctx)  # check needs no sign-in, and names it
    assert USERS_DELETED in report.violations
    code, err = _cli(capsys, ctx, "check")
    assert code != 0


def test_a_new_database_and_a_demo_are_still_set_up_without_signing_in(tmp_path, capsys, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("JIUJINAN_NEW_PASSWORD", PASSWORD)
    db = str(tmp_path / "demo.db")
    assert main(["--db", db, "demo", "--societies", "1", "--cases", "3"]) == 0
    assert main(["--db", db, "case", "list"]) == 0  # demo data is open until a user is set up
    assert main(["--db", db, "user", "add", "管理员", "--roles", "管理员"]) == 0, capsys.readouterr().err


def test_the_backup_s_administrator_restores_a_database_whose_users_were_deleted(ctx, village, tmp_path) -> None:  # noqa: ANN001
    if not ctx.url.startswith("sqlite"):
        pytest.skip("restore replaces a database file")
    good = backups.back_up_to(ctx, tmp_path / "good.db", "王会计")
    tamper(ctx, "DELETE FROM app_user")
    live = tmp_path / "test.db"
    ctx.close()
    backups.restore(str(live), tmp_path, good, FixedClock(NOW), lambda _ctx: "王会计")
    with sqlite3.connect(live) as conn:
        assert conn.execute("SELECT count(*) FROM app_user").fetchone()[0] == 4
    conn.close()


def test_the_login_dialog_says_so_and_sets_up_no_one(ctx, village, qapp) -> None:  # noqa: ANN001
    from jiujinan.ui.fonts import register_bundled_font
    from jiujinan.ui.login_dialog import LoginDialog
    from jiujinan.ui.ops import Ops

    register_bundled_font()
    tamper(ctx, "DELETE FROM app_user")
    dialog = LoginDialog(Ops(), lambda: ctx)
    assert not dialog.first_admin and dialog.windowTitle() == "登录"
    assert USERS_DELETED in dialog.banner.text() and not dialog.banner.isHidden()
    assert not dialog.ok_button.isEnabled()
    with pytest.raises(DomainError):
        users.needs_first_admin(ctx)


def test_the_exchange_page_shows_why_nothing_was_exported(ctx, village, tmp_path, qtbot) -> None:  # noqa: ANN001
    from jiujinan.ui.exchange_page import ExchangePage
    from jiujinan.ui.prefs import Preferences
    from jiujinan.ui.session import UiSession

    tamper(ctx, "UPDATE ledger_entry SET amount_fen = 7770000 WHERE id = :id", id=village["entry"])
    out = tmp_path / "out"
    out.mkdir()
    page = ExchangePage(UiSession(ctx, Preferences(tmp_path / "prefs.ini"), village["society_id"], "王会计"))
    qtbot.addWidget(page)
    page.choose_folder = lambda title: str(out)
    page.export_button.click()
    with qtbot.waitSignal(page.job.failed, timeout=20000):
        pass
    shown = page.export_status.text()
    assert CHANGED in shown and "¥77,700.00" in shown and "程序出错" not in shown
    assert list(out.iterdir()) == []
