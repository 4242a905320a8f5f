"""Issue 16, attacked: the papers and their settings. Each test is an attack that worked on the
first version of the new papers; it fails if the attack works again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import sqlite3

import pytest

from jiujinan.cases.clock import FixedClock
from jiujinan.cases.errors import DomainError
from jiujinan.cases.fund import PaymentInput
from jiujinan.cases.enums import PaymentMethod
from jiujinan.cli import main
from jiujinan.db.engine import sqlite_path
from jiujinan.services import fund, printing, societies
from tests.printing.test_approval_form import flat, pages_of
from tests.printing.test_papers import walked

D = dt.date


@pytest.fixture
def later(ctx):  # noqa: ANN001, ANN201
    ctx.clock = FixedClock(dt.datetime(2026, 11, 20, 2, tzinfo=dt.timezone.utc))
    return ctx


def test_a_society_name_is_text_on_the_form_never_markup(later, society_id) -> None:
    record = societies.get_society(later, society_id)
    name = '<img src="/etc/passwd"/>A&B<font size="40">社</font>'
    societies.update_society(later, society_id, dataclasses.replace(record.settings, name=name), "王会计")
    view = walked(later, society_id)
    out = io.BytesIO()
    printing.print_form(later, view.case.case_no, out, "王会计")
    assert flat(name) in flat("".join(pages_of(out.getvalue())))  # printed as typed, nothing embedded


def test_a_paper_never_replaces_the_database_or_a_device(later, society_id, tmp_path) -> None:
    view = walked(later, society_id)
    db = sqlite_path(later.url)
    before = db.read_bytes()[:16]
    with pytest.raises(DomainError, match="不是PDF文件"):
        printing.print_form(later, view.case.case_no, db, "王会计")
    assert db.read_bytes()[:16] == before == b"SQLite format 3\x00"
    with pytest.raises(DomainError, match="不是普通文件"):
        printing.print_form(later, view.case.case_no, tmp_path, "王会计")
    earlier = tmp_path / "form.pdf"
    printing.print_form(later, view.case.case_no, earlier, "王会计")
    printing.print_form(later, view.case.case_no, earlier, "王会计")  # an earlier PDF may be replaced


def test_settings_edited_outside_the_app_are_not_sealed_over_by_the_next_change(later, society_id) -> None:
    db = sqlite_path(later.url)
    with sqlite3.connect(db) as con:
        con.execute("update society set notice_shows_id = 1, appeal_days = 7")
    record = societies.get_society(later, society_id)
    with pytest.raises(DomainError, match="在程序之外被改动"):
        societies.update_society(later, society_id, dataclasses.replace(record.settings, head_name="某某"), "王会计")
    with pytest.raises(DomainError, match="在程序之外被改动"):
        printing.print_notice(later, society_id, io.BytesIO(), "王会计", period=(D(2026, 11, 1), D(2026, 12, 1)))


def test_the_roster_refuses_an_account_planted_in_the_database(later, society_id) -> None:
    view = walked(later, society_id)
    fund.pay(later, view.case.id, PaymentInput(D(2026, 11, 19), PaymentMethod.BANK, 280000, "付-7"), "王会计",
             version=view.version)
    with sqlite3.connect(sqlite_path(later.url)) as con:
        con.execute("update aid_case set account_no = '6222000011112222333'")
    with pytest.raises(DomainError, match="在程序之外被改动"):
        printing.print_roster(later, society_id, io.BytesIO(), "王会计", period=(D(2026, 11, 1), D(2026, 12, 1)))
    with pytest.raises(DomainError, match="在程序之外被改动"):
        printing.print_form(later, view.case.case_no, io.BytesIO(), "王会计")


@pytest.mark.parametrize("month", ["2026-13", "9999-12", "2026-11-01", "0001-01"])
def test_a_bad_month_is_a_message_not_a_crash(later, society_id, tmp_path, capsys, month) -> None:  # noqa: ANN001
    for paper in ("ledger", "monthly"):
        assert main(["--db", str(sqlite_path(later.url)), "print", paper, "--month", month,
                     "--out", str(tmp_path / "x.pdf")]) == 1
        err = capsys.readouterr().err
        assert "月份" in err and "程序出错" not in err, err


def test_a_month_as_clerks_write_it_prints(later, society_id, tmp_path) -> None:
    assert main(["--db", str(sqlite_path(later.url)), "print", "ledger", "--month", "2026年11月",
                 "--out", str(tmp_path / "x.pdf")]) == 0


def test_a_reversal_may_carry_its_own_voucher(later, society_id) -> None:
    view = walked(later, society_id)
    fund.pay(later, view.case.id, PaymentInput(D(2026, 11, 19), PaymentMethod.BANK, 280000, "付-7"), "王会计",
             version=view.version)
    paid = fund.ledger(later, society_id, "王会计", month="2026-11").lines[-1]
    fund.reverse(later, society_id, paid.id, "账号有误，退回", D(2026, 11, 20), "王会计", "红-1")
    lines = fund.ledger(later, society_id, "王会计", month="2026-11").lines
    assert (lines[-2].voucher_no, lines[-1].voucher_no) == ("付-7", "红-1")
    with pytest.raises(DomainError):
        fund.reverse(later, society_id, paid.id, "再冲", D(2026, 11, 20), "王会计", "x\x07" * 30)
