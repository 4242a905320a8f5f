"""Issue 15, part 2: rows edited directly in the database file (with sqlite3, or psql on a
server) are caught by ``check``, which names the row and what differs in words. Each test
here is an attack that worked before: it must fail if the attack works again."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import text

from jiujinan.cases.enums import PaymentMethod
from jiujinan.cases.fund import PaymentInput
from jiujinan.cases.review import Decide, Deliberation, StartNotice, Visit
from jiujinan.cases.enums import Level
from jiujinan.cases.users import Role
from jiujinan.cli import main
from jiujinan.db.engine import sqlite_path
from jiujinan.services import district, export, fund, intake, review, users
from jiujinan.services.check import run_checks
from jiujinan.services.context import open_context
from jiujinan.services.demo import run_demo
from tests.conftest import application, import_folder, make_id
from tests.db.conftest import backend, db_url  # noqa: F401 - each attack on SQLite and on PostgreSQL

D = dt.date
SEALS = "每条记录与其最后的审计记录一致"
CHAIN = "审计记录完整、未被改动"


@pytest.fixture
def ctx(db_url, tmp_path, clock):  # noqa: ANN001, ANN201, F811
    context = open_context(db_url, tmp_path, clock)
    yield context
    context.close()


@pytest.fixture
def world(ctx, society_id):  # noqa: ANN001, ANN201
    """A village with a paid case, its seed money, a closed month, a calendar and a grant,
    and an import of its own export: every kind of unit, all written by the app."""
    case = intake.register_application(ctx, society_id, application(
        applied_on=D(2026, 11, 2), requested_yuan="1800", id_number=make_id(seq="12")), "王会计")
    view = review.case_view(ctx, case.id, "王会计")
    for action in (Visit(D(2026, 11, 3), ("王会计", "李委员"), "属实"),
                   Deliberation(D(2026, 11, 5), ("张社长", "李委员", "赵理事"), "同意", 180000),
                   StartNotice(D(2026, 11, 9), "村务公开栏"),
                   Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意", 180000)):
        view = review.perform(ctx, case.id, action, "李主任", version=view.version)
    fund.pay(ctx, case.id, PaymentInput(D(2026, 11, 20), PaymentMethod.BANK, 180000, "付-001"), "王会计",
             version=review.case_view(ctx, case.id, "王会计").version)
    fund.close_month(ctx, society_id, "2026-10", "王会计")
    review.set_calendar(ctx, "2026-10-01 休 国庆节\n2026-10-10 班 调休", "王会计")
    users.create_user(ctx, "李经办", frozenset({Role.CLERK}), "jingban-2026", "王会计")
    district.add_grant(ctx, "341802100201", "2026-01-05", 2_000_000, "启动资金", "王会计")
    folder = ctx.data_dir / "export"
    export.export_society(ctx, society_id, folder, user="王会计")
    assert import_folder(ctx, folder, "王会计").outcome == "imported"
    assert run_checks(ctx).ok, run_checks(ctx).violations
    return {"case_id": case.id, "case_no": case.case_no, "society_id": society_id}


def tamper(ctx, sql: str, **params: object) -> None:  # noqa: ANN001
    """Edit the database behind the app's back (sqlite3 on a file, the engine on a server)."""
    if ctx.url.startswith("postgresql"):
        with ctx.engine.begin() as conn:
            conn.execute(text(sql), params)
        return
    with sqlite3.connect(sqlite_path(ctx.url)) as conn:
        conn.execute(sql, params)
    conn.close()


def findings(ctx) -> list[str]:  # noqa: ANN001
    report = run_checks(ctx)
    assert not report.ok
    return dict(report.results)[SEALS] + dict(report.results)[CHAIN]


def entry_id(ctx, kind: str, case: bool = False) -> int:  # noqa: ANN001
    with ctx.engine.connect() as conn:
        return conn.scalar(text(f"SELECT min(id) FROM ledger_entry WHERE kind = :k AND case_id IS "
                                f"{'NOT ' if case else ''}NULL"), {"k": kind})


def charity_entry(ctx) -> int:  # noqa: ANN001
    """The charity association's 10,000 yuan of seed money."""
    with ctx.engine.connect() as conn:
        return conn.scalar(text("SELECT id FROM ledger_entry WHERE amount_fen = 1000000 ORDER BY id LIMIT 1"))


def test_a_contribution_raised_names_both_amounts(ctx, world) -> None:  # noqa: ANN001
    first = charity_entry(ctx)
    tamper(ctx, "UPDATE ledger_entry SET amount_fen = 2000000 WHERE id = :i", i=first)
    assert f"台账第 {first} 条金额：审计记录 ¥10,000.00，数据库 ¥20,000.00（在程序之外被改动）" in findings(ctx)


def test_an_approved_and_paid_amount_raised(ctx, world) -> None:  # noqa: ANN001
    tamper(ctx, "UPDATE aid_case SET approved_fen = 280000, paid_fen = 280000 WHERE id = :i", i=world["case_id"])
    found = findings(ctx)
    no = world["case_no"]
    assert f"案件 {no} 的审批金额：审计记录 ¥1,800.00，数据库 ¥2,800.00（在程序之外被改动）" in found
    assert f"案件 {no} 的已发放金额：审计记录 ¥1,800.00，数据库 ¥2,800.00（在程序之外被改动）" in found


def test_an_inserted_payment(ctx, world) -> None:  # noqa: ANN001
    tamper(ctx, "INSERT INTO ledger_entry (id, society_id, posted_on, kind, source, amount_fen, case_id, payer, "
                "voucher_no, memo, method, receipt_signed, created_at, created_by) VALUES (900, :s, '2026-11-20', "
                "'payment', '', -50000, :c, '张三', '', '', 'bank', FALSE, '2026-11-20 02:30:00.000000', '王会计')",
           s=world["society_id"], c=world["case_id"])
    assert "台账第 900 条（金额 ¥-500.00）没有审计记录：在程序之外被添加" in findings(ctx)


def test_an_inserted_contribution(ctx, world) -> None:  # noqa: ANN001
    tamper(ctx, "INSERT INTO ledger_entry (id, society_id, posted_on, kind, source, amount_fen, payer, voucher_no, "
                "memo, method, receipt_signed, created_at, created_by) VALUES (901, :s, '2026-11-20', "
                "'contribution', 'donation', 100000, '某人', '', '', '', FALSE, '2026-11-20 02:30:00.000000', '王会计')",
           s=world["society_id"])
    assert "台账第 901 条（金额 ¥1,000.00）没有审计记录：在程序之外被添加" in findings(ctx)


def test_a_deleted_payment(ctx, world) -> None:  # noqa: ANN001
    paid = entry_id(ctx, "payment", case=True)
    tamper(ctx, "DELETE FROM ledger_entry WHERE id = :i", i=paid)
    assert f"台账第 {paid} 条（金额 ¥-1,800.00）不见了：在程序之外被删除" in findings(ctx)


def test_a_changed_bank_account(ctx, world) -> None:  # noqa: ANN001
    tamper(ctx, "UPDATE aid_case SET account_no = '6222000000000000001' WHERE id = :i", i=world["case_id"])
    assert f"案件 {world['case_no']} 的收款账号在程序之外被改动" in findings(ctx)


def test_a_changed_id_number(ctx, world) -> None:  # noqa: ANN001
    tamper(ctx, "UPDATE aid_case SET id_number = :n WHERE id = :i", n=make_id(seq="77"), i=world["case_id"])
    assert f"案件 {world['case_no']} 的身份证号在程序之外被改动" in findings(ctx)


def test_a_changed_signer_of_a_step(ctx, world) -> None:  # noqa: ANN001
    tamper(ctx, "UPDATE case_step SET signer = '假社长' WHERE case_id = :i AND kind = 'decision'", i=world["case_id"])
    assert f"案件 {world['case_no']} 的第 5 条办理记录的签字人在程序之外被改动" in findings(ctx)


def test_a_user_made_administrator(ctx, world) -> None:  # noqa: ANN001
    tamper(ctx, "UPDATE app_user SET roles = 'admin,clerk' WHERE name = '李经办'")
    assert "用户 李经办 的角色在程序之外被改动" in findings(ctx)


def test_a_society_limit_changed(ctx, world) -> None:  # noqa: ANN001
    tamper(ctx, "UPDATE society SET village_limit_fen = 900000 WHERE id = :i", i=world["society_id"])
    assert ("互助社 341802100201 青山村救急难互助社 的村级审批限额：审计记录 ¥2,000.00，数据库 ¥9,000.00（在程序之外被改动）"
            in findings(ctx))


def test_a_calendar_day_added(ctx, world) -> None:  # noqa: ANN001
    tamper(ctx, "INSERT INTO calendar_day (day, working, name) VALUES ('2026-11-23', FALSE, '假期')")
    assert "节假日表 的多出节假日 2026-11-23在程序之外被改动" in findings(ctx)


def test_a_month_reopened(ctx, world) -> None:  # noqa: ANN001
    tamper(ctx, "UPDATE month_close SET closed = FALSE WHERE month = '2026-10'")
    assert ("月结 2026-10（互助社 341802100201） 的月结状态：审计记录 是，数据库 否（在程序之外被改动）"
            in findings(ctx))


def test_a_grant_changed(ctx, world) -> None:  # noqa: ANN001
    tamper(ctx, "UPDATE district_grant SET amount_fen = 5000000")
    assert "拨款第 1 条金额：审计记录 ¥20,000.00，数据库 ¥50,000.00（在程序之外被改动）" in findings(ctx)


def test_a_reported_case_changed(ctx, world) -> None:  # noqa: ANN001
    tamper(ctx, "UPDATE reported_case SET paid_fen = 990000")
    found = [f for f in findings(ctx) if f.startswith("导入第 1 批")]
    assert found and "第 1 条上报案件的已发放金额：审计记录 ¥1,800.00，数据库 ¥9,900.00" in found[0]


def test_a_row_and_its_last_seal_rewritten_together(ctx, world) -> None:  # noqa: ANN001
    """The attacker recomputes the seal's digest for the forged row: the chain catches it."""
    from jiujinan.db import seals as seals_db
    from jiujinan.cases.seals import detail, digest

    first = charity_entry(ctx)
    tamper(ctx, "UPDATE ledger_entry SET amount_fen = 2000000 WHERE id = :i", i=first)
    with ctx.read() as s:
        image = seals_db.images(s, "ledger", [first])[first]
    tamper(ctx, "UPDATE audit_seal SET digest = :d, detail = :t WHERE unit = 'ledger' AND unit_key = :i",
           d=digest(image), t=detail("ledger", image), i=first)
    report = run_checks(ctx)
    assert dict(report.results)[SEALS] == ()
    (broken,) = dict(report.results)[CHAIN]
    assert "台账" in broken and "内容与校验值不符" in broken


def test_a_newer_seal_of_no_entry_passes_an_edit_off(ctx, world) -> None:  # noqa: ANN001
    """The attacker leaves the chain alone and adds a seal of the forged row under a place
    in the chain that no entry holds (the seal check reads a unit's last seal): the chain
    check names the seal that belongs to nothing."""
    from jiujinan.db import seals as seals_db
    from jiujinan.cases.seals import detail, digest

    tamper(ctx, "UPDATE aid_case SET account_no = '6222000000000000001' WHERE id = :i", i=world["case_id"])
    with ctx.read() as s:
        image = seals_db.images(s, "case", [world["case_id"]])[world["case_id"]]
    tamper(ctx, "INSERT INTO audit_seal (seq, pos, unit, unit_key, digest, detail) VALUES (99999, 0, 'case', :i, :d, :t)",
           i=world["case_id"], d=digest(image), t=detail("case", image))
    report = run_checks(ctx)
    assert dict(report.results)[SEALS] == ()
    assert dict(report.results)[CHAIN] == ("封存记录指向不存在的审计记录（第 99999 条）：在程序之外被添加",)


@pytest.mark.parametrize(("column", "forged", "label"), [
    ("created_by", "created_by || char(0) || 'x'", "登记人"),  # «王会计» + NUL would pass for another clerk
    ("id_number", "CAST(id_number AS BLOB)", "身份证号"),  # the same bytes as a BLOB: out of 一事一救's grouping
])
def test_text_that_renders_like_the_sealed_text(ctx, world, column, forged, label) -> None:  # noqa: ANN001
    """SQLite's printf stops at a NUL and writes a BLOB as its bytes: both used to render
    exactly as the sealed text and pass."""
    if ctx.url.startswith("postgresql"):
        pytest.skip("PostgreSQL text holds no NUL, and a bytea column is not text")
    tamper(ctx, f"UPDATE aid_case SET {column} = {forged} WHERE id = :i", i=world["case_id"])
    assert any(f.startswith(f"案件 {world['case_no']} 的") and "在程序之外被改动" in f and label in f
               for f in findings(ctx)), findings(ctx)


def test_a_value_no_rule_knows_is_named_and_every_check_still_runs(ctx, world, capsys) -> None:  # noqa: ANN001
    """A status the app does not know made ``check`` end in «程序出错» and hid every other edit."""
    tamper(ctx, "UPDATE aid_case SET status = 'bogus' WHERE id = :i", i=world["case_id"])
    tamper(ctx, "UPDATE app_user SET roles = 'admin,clerk' WHERE name = '李经办'")
    report = run_checks(ctx)
    found = report.violations
    assert any("bogus（程序不认识的状态）" in f for f in found), found
    assert "用户 李经办 的角色在程序之外被改动" in found and any("状态" in f for f in dict(report.results)[SEALS])
    assert main(["--db", ctx.url, "check"]) == 1
    out = capsys.readouterr()
    assert "程序出错" not in out.out + out.err and "bogus" in out.out


def test_a_check_that_fails_is_a_finding_and_the_rest_still_run(ctx, world, monkeypatch) -> None:  # noqa: ANN001
    from jiujinan.db import check

    def broken(session):  # noqa: ANN001, ANN202 - a value no rule can read, as an edit from outside leaves
        session.execute(text("SELECT no_such_column FROM aid_case"))

    monkeypatch.setattr(check, "CHECKS", (("坏的检查", broken), *check.CHECKS))
    tamper(ctx, "UPDATE app_user SET roles = 'admin,clerk' WHERE name = '李经办'")
    report = run_checks(ctx)
    (failed,) = dict(report.results)["坏的检查"]
    assert failed.startswith("这一项未能查完：数据库里有程序不认识的值")
    assert dict(report.results)[CHAIN] == () and "用户 李经办 的角色在程序之外被改动" in report.violations


def test_the_cli_names_the_edit(ctx, world, capsys) -> None:  # noqa: ANN001
    tamper(ctx, "UPDATE app_user SET roles = 'admin,clerk' WHERE name = '李经办'")
    assert main(["--db", ctx.url, "check"]) != 0
    assert "用户 李经办 的角色在程序之外被改动" in capsys.readouterr().out


def test_a_demo_database_passes_and_then_catches_an_edit(tmp_path, clock) -> None:  # noqa: ANN001
    demo = open_context(str(tmp_path / "demo.db"), tmp_path, clock)
    try:
        run_demo(demo, n_societies=2, n_cases=300, seed=3)
        assert run_checks(demo).ok, run_checks(demo).violations[:5]
        with demo.engine.connect() as conn:
            case_id, case_no = conn.execute(text("SELECT id, case_no FROM aid_case WHERE account_no != '' "
                                                 "ORDER BY id LIMIT 1")).one()
        tamper(demo, "UPDATE aid_case SET account_no = '6222000000000000001' WHERE id = :i", i=case_id)
        assert f"案件 {case_no} 的收款账号在程序之外被改动" in findings(demo)
    finally:
        demo.close()
