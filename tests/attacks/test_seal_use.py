"""Clerk review of issue 15, findings 2 and 4: a row edited outside the app was obeyed by the
app (a clerk made 管理员 signed in as one, a changed bank account would be paid), and with
a foreign trigger in the schema every write still went through it while daily backups of
the tainted file pushed the good ones out. Each test here is such an attack: it fails if
the attack works again."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import text

from jiujinan.cases.enums import FundSource, Level, PaymentMethod
from jiujinan.cases.fund import ContributionInput, PaymentInput
from jiujinan.cases.review import Decide, Deliberation, StartNotice, Visit
from jiujinan.cases.seals import ChangedOutsideApp
from jiujinan.cases.users import Role
from jiujinan.cli import main
from jiujinan.db.engine import sqlite_path
from jiujinan.services import backups, fund, intake, review, users
from jiujinan.services.check import run_checks
from jiujinan.services.context import ForeignSchema, open_context
from tests.attacks.test_row_seals import ctx, tamper  # noqa: F401 - ctx: a database that may be tampered with
from tests.conftest import PASSWORD, application, make_id
from tests.db.conftest import backend, db_url  # noqa: F401 - each attack on SQLite and on PostgreSQL

D = dt.date
CLERK_PASSWORD = "jingban-2026"


def approved_case(ctx, society_id: int) -> tuple[int, str]:  # noqa: ANN001
    """A case approved by the village for 1,800 yuan, not paid yet."""
    case = intake.register_application(ctx, society_id, application(
        applied_on=D(2026, 11, 2), requested_yuan="1800", id_number=make_id(seq="12")), "王会计")
    view = review.case_view(ctx, case.id, "王会计")
    for action in (Visit(D(2026, 11, 3), ("王会计", "李委员"), "属实"),
                   Deliberation(D(2026, 11, 5), ("张社长", "李委员", "赵理事"), "同意", 180000),
                   StartNotice(D(2026, 11, 9), "村务公开栏")):
        view = review.perform(ctx, case.id, action, "李主任", version=view.version)
    return case.id, case.case_no


def _version(ctx, case_id: int) -> int:  # noqa: ANN001
    return review.case_view(ctx, case_id, "王会计").version


def _decide(ctx, case_id: int):  # noqa: ANN001, ANN202
    return review.perform(ctx, case_id, Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意", 180000), "李主任",
                          version=_version(ctx, case_id))


def _pay(ctx, case_id: int) -> int:  # noqa: ANN001
    return fund.pay(ctx, case_id, PaymentInput(D(2026, 11, 20), PaymentMethod.BANK, 180000, "付-001"), "王会计",
                    version=_version(ctx, case_id))


def _payments(ctx) -> int:  # noqa: ANN001
    with ctx.read() as s:
        return s.execute(text("SELECT count(*) FROM ledger_entry WHERE kind = 'payment'")).scalar_one()


# --- 2a: signing in on one's own record ----------------------------------------------------

def test_a_clerk_made_administrator_outside_the_app_cannot_sign_in(ctx, society_id) -> None:  # noqa: ANN001
    users.create_user(ctx, "李经办", frozenset({Role.CLERK}), CLERK_PASSWORD, "王会计")
    assert users.login(ctx, "李经办", CLERK_PASSWORD).name == "李经办"
    tamper(ctx, "UPDATE app_user SET roles = 'clerk,admin' WHERE name = '李经办'")
    with pytest.raises(ChangedOutsideApp) as err:
        users.login(ctx, "李经办", CLERK_PASSWORD)
    assert str(err.value) == "你的用户记录在程序之外被改动（角色）：不能登录；请管理员运行检查并从备份恢复"
    assert users.login(ctx, "王会计", PASSWORD).name == "王会计"  # everyone else still signs in


def test_a_password_swapped_outside_the_app_does_not_open_the_account(ctx, society_id) -> None:  # noqa: ANN001
    users.create_user(ctx, "李经办", frozenset({Role.CLERK}), CLERK_PASSWORD, "王会计")
    with ctx.read() as s:  # the attacker's own password's hash, put in with sqlite3
        own = s.execute(text("SELECT password_hash FROM app_user WHERE name = '王会计'")).scalar_one()
    tamper(ctx, "UPDATE app_user SET password_hash = :h WHERE name = '李经办'", h=own)
    with pytest.raises(ChangedOutsideApp, match="你的用户记录在程序之外被改动（密码）"):
        users.login(ctx, "李经办", PASSWORD)


def test_a_password_cleared_outside_the_app_cannot_be_chosen_anew(ctx, society_id) -> None:  # noqa: ANN001
    users.create_user(ctx, "李经办", frozenset({Role.CLERK}), CLERK_PASSWORD, "王会计")
    tamper(ctx, "UPDATE app_user SET password_hash = '', roles = 'clerk,admin' WHERE name = '李经办'")
    with pytest.raises(ChangedOutsideApp, match="你的用户记录在程序之外被改动（角色、密码）"):
        users.set_first_password(ctx, "李经办", "attacker-2026")
    assert run_checks(ctx).violations  # nothing was sealed over: check still names the edit


def test_the_command_line_refuses_a_user_made_administrator(ctx, society_id, capsys, monkeypatch) -> None:  # noqa: ANN001
    if not ctx.url.startswith("sqlite"):
        pytest.skip("the command line is walked on a file")
    users.create_user(ctx, "李经办", frozenset({Role.CLERK}), CLERK_PASSWORD, "王会计")
    tamper(ctx, "UPDATE app_user SET roles = 'clerk,admin' WHERE name = '李经办'")
    monkeypatch.setenv("JIUJINAN_PASSWORD", CLERK_PASSWORD)
    assert main(["--db", str(sqlite_path(ctx.url)), "user", "list", "--user", "李经办"]) == 1
    assert "你的用户记录在程序之外被改动（角色）：不能登录" in capsys.readouterr().err


# --- 2b: money goes out only to what was audited --------------------------------------------

def test_a_bank_account_changed_outside_the_app_is_not_paid(ctx, society_id) -> None:  # noqa: ANN001
    case_id, case_no = approved_case(ctx, society_id)
    _decide(ctx, case_id)
    tamper(ctx, "UPDATE aid_case SET account_no = '6228480000011112222' WHERE id = :i", i=case_id)
    with pytest.raises(ChangedOutsideApp) as err:
        _pay(ctx, case_id)
    assert str(err.value) == f"案件 {case_no} 在程序之外被改动（收款账号），不能发放：请管理员运行检查"
    assert _payments(ctx) == 0


def test_an_approved_amount_raised_outside_the_app_is_not_paid(ctx, society_id) -> None:  # noqa: ANN001
    case_id, case_no = approved_case(ctx, society_id)
    _decide(ctx, case_id)
    tamper(ctx, "UPDATE aid_case SET approved_fen = 1800000 WHERE id = :i", i=case_id)
    with pytest.raises(ChangedOutsideApp, match=f"案件 {case_no} 在程序之外被改动（审批金额：审计记录 ¥1,800.00，"
                                                 "数据库 ¥18,000.00），不能发放"):
        _pay(ctx, case_id)
    assert _payments(ctx) == 0


def test_a_case_changed_outside_the_app_takes_no_step_and_no_edit(ctx, society_id) -> None:  # noqa: ANN001
    case_id, case_no = approved_case(ctx, society_id)
    tamper(ctx, "UPDATE aid_case SET account_no = '6228480000011112222' WHERE id = :i", i=case_id)
    with pytest.raises(ChangedOutsideApp, match=f"案件 {case_no} 在程序之外被改动（收款账号），不能办理"):
        _decide(ctx, case_id)
    with pytest.raises(ChangedOutsideApp, match="不能修改"):
        intake.update_application(ctx, case_id, application(applied_on=D(2026, 11, 2), requested_yuan="1800",
                                                            id_number=make_id(seq="12")), "王会计",
                                  version=_version(ctx, case_id))
    assert any("收款账号" in v for v in run_checks(ctx).violations)  # not sealed over


def test_a_limit_raised_outside_the_app_approves_nothing(ctx, society_id) -> None:  # noqa: ANN001
    case_id, _case_no = approved_case(ctx, society_id)
    tamper(ctx, "UPDATE society SET village_limit_fen = 10000000 WHERE id = :i", i=society_id)
    with pytest.raises(ChangedOutsideApp, match="互助社 341802100201 青山村救急难互助社 在程序之外被改动（村级审批限额"):
        _decide(ctx, case_id)


# --- 4: a foreign trigger in the live schema ------------------------------------------------

SKIM = {"sqlite": ["CREATE TRIGGER skim_contribution AFTER INSERT ON ledger_entry WHEN new.kind = 'contribution' "
                   "BEGIN UPDATE ledger_entry SET amount_fen = amount_fen - 100 WHERE id = new.id; END"],
        "postgresql": ["CREATE FUNCTION skim() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                       "NEW.amount_fen := NEW.amount_fen - 100; RETURN NEW; END $$",
                       "CREATE TRIGGER skim_contribution BEFORE INSERT ON ledger_entry FOR EACH ROW EXECUTE FUNCTION skim()"]}


def _skim(ctx) -> None:  # noqa: ANN001
    for sql in SKIM[ctx.engine.dialect.name]:
        tamper(ctx, sql)


def _gift(ctx, society_id: int) -> int:  # noqa: ANN001
    return fund.add_contribution(ctx, society_id, ContributionInput(D(2026, 11, 20), FundSource.DONATION, 10000,
                                                                    "张三", "记-2026-100"), "王会计")


def test_no_write_goes_through_a_foreign_trigger(ctx, society_id) -> None:  # noqa: ANN001
    _skim(ctx)  # slipped in while the app was open: the next write looks again
    with ctx.read() as s:
        before = s.execute(text("SELECT count(*), sum(amount_fen) FROM ledger_entry")).one()
    with pytest.raises(ForeignSchema) as err:
        _gift(ctx, society_id)
    assert str(err.value).startswith("数据库里有程序不认识的")
    assert "触发器（skim_contribution）" in str(err.value)
    assert str(err.value).endswith("：在清除之前不能登记或修改；请管理员从备份恢复")
    with pytest.raises(ForeignSchema):
        intake.register_application(ctx, society_id, application(id_number=make_id(seq="34")), "王会计")
    with ctx.read() as s:
        assert s.execute(text("SELECT count(*), sum(amount_fen) FROM ledger_entry")).one() == before
    assert users.login(ctx, "王会计", PASSWORD).name == "王会计"  # the administrator still signs in
    assert any("skim_contribution" in v for v in run_checks(ctx).violations)  # and checks


def test_a_database_opened_with_a_foreign_trigger_writes_nothing(ctx, society_id, tmp_path, clock) -> None:  # noqa: ANN001
    _skim(ctx)
    again = open_context(ctx.url, tmp_path, clock)
    try:
        with pytest.raises(ForeignSchema, match="skim_contribution"):
            _gift(again, society_id)
    finally:
        again.close()


def test_a_tainted_database_never_pushes_good_backups_out(ctx, society_id, tmp_path) -> None:  # noqa: ANN001
    if not ctx.url.startswith("sqlite"):
        pytest.skip("backups are of a database file")
    folder = tmp_path / "backups"
    good = backups.back_up(ctx, folder, "王会计", "daily", keep=2)
    _skim(ctx)
    with pytest.raises(Exception, match="暂停自动备份"):
        backups.back_up(ctx, folder, "王会计", "daily", keep=2)
    with pytest.raises(Exception, match="暂停自动备份"):
        backups.back_up(ctx, folder, "王会计", "close", keep=2)
    for _ in range(3):  # by hand: made, said, and never counted against the good one
        made = backups.back_up(ctx, folder, "王会计", "manual", keep=1)
        assert made.name.endswith("-tainted.db")
    assert good.exists()
    assert "这份备份照原样复制了它，不能用来恢复" in backups.tainted_note(ctx)
    assert "skim_contribution" in backups.tainted_note(ctx)


def test_restore_from_a_good_backup_clears_the_refusal(ctx, society_id, tmp_path) -> None:  # noqa: ANN001
    if not ctx.url.startswith("sqlite"):
        pytest.skip("restore is of a database file")
    good = backups.back_up(ctx, tmp_path / "backups", "王会计")
    _skim(ctx)
    with pytest.raises(ForeignSchema):
        _gift(ctx, society_id)
    backups.restore_open(ctx, good, "王会计")
    assert fund.ledger(ctx, society_id, "王会计").lines  # reads on
    entry = _gift(ctx, society_id)
    assert [line.amount_fen for line in fund.ledger(ctx, society_id, "王会计").lines if line.id == entry] == [10000]


def test_the_command_line_refuses_a_write_and_says_so_on_a_manual_backup(ctx, society_id, capsys, tmp_path) -> None:  # noqa: ANN001
    if not ctx.url.startswith("sqlite"):
        pytest.skip("the command line is walked on a file")
    _skim(ctx)
    db = str(sqlite_path(ctx.url))
    assert main(["--db", db, "fund", "add", "--source", "donation", "--amount", "100", "--date", "2026-11-20",
                 "--payer", "张三", "--user", "王会计"]) == 1
    assert "在清除之前不能登记或修改" in capsys.readouterr().err
    assert main(["--db", db, "backup", "--out", str(tmp_path / "copy.db"), "--user", "王会计"]) == 0
    assert "不能用来恢复" in capsys.readouterr().err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM ledger_entry WHERE kind = 'contribution'").fetchone() == (3,)
    conn.close()
