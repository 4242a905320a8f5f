"""The money papers agree with each other and with the ledger, read back from the PDFs:
roster total = 台账 本月支出 = 月报 本月发放, 台账 本月收入 = its sum by source = 月报 本月收入,
with a reversed payment, a reversed contribution, a 先行救助 and a returned case in the month."""

import datetime as dt
import io
import os
import re
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.units import mm

from jiujinan.cases.enums import FundSource, LedgerKind, Level, PaymentMethod
from jiujinan.cases.fund import ContributionInput, LedgerLine, PaymentInput
from jiujinan.cases.money import format_fen
from jiujinan.cases.review import Emergency, Return
from jiujinan.cases.society import SocietySettings
from jiujinan.printing.ledger_statement import write_ledger
from jiujinan.services import fund, intake, printing, review
from tests.conftest import application, make_id
from tests.printing.test_papers import later, walked  # noqa: F401 - the fixture

D = dt.date
NOV = (D(2026, 11, 1), D(2026, 12, 1))
MONEY = r"-?[\d,]+\.\d\d"


def pages_text(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def fen(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    yuan, cents = text.lstrip("-").replace(",", "").split(".")
    return sign * (int(yuan) * 100 + int(cents))


def pay(ctx, case_id: int, amount: int, on: dt.date, voucher: str) -> int:  # noqa: ANN001
    version = review.case_view(ctx, case_id, "王会计").version
    return fund.pay(ctx, case_id, PaymentInput(on, PaymentMethod.ONE_CARD, amount, voucher), "王会计", version=version)


@pytest.fixture
def month(later, society_id):  # noqa: ANN001, ANN201
    """November: two contributions (one reversed), a paid case (防返贫监测户), a paid case whose
    payment is reversed, a 先行救助 paid, a returned case. Returns what was paid."""
    for source, amount, payer in (("donation", 500_000, "青山村乡贤"), ("village_collective", 300_000, "青山村委会")):
        fund.add_contribution(later, society_id, ContributionInput(D(2026, 11, 4), FundSource(source), amount, payer,
                                                                   f"收-{amount}"), "王会计")
    wrong = fund.add_contribution(later, society_id, ContributionInput(D(2026, 11, 6), FundSource.OTHER, 10_000,
                                                                       "误入", "收-9"), "王会计")
    fund.reverse(later, society_id, wrong, "误记", D(2026, 11, 7), "王会计")
    kept = walked(later, society_id, household_type="monitored", id_number=make_id(seq="41"))
    pay(later, kept.case.id, 280_000, D(2026, 11, 19), "付-1")
    undone = walked(later, society_id, id_number=make_id(seq="42"), applicant_name="李大")
    entry = pay(later, undone.case.id, 280_000, D(2026, 11, 19), "付-2")
    fund.reverse(later, society_id, entry, "账号有误，银行退回", D(2026, 11, 20), "王会计")
    urgent = intake.register_application(later, society_id, application(applied_on=D(2026, 11, 10), cause="disaster",
                                                                        id_number=make_id(seq="43"),
                                                                        household_type="ordinary"), "王会计")
    view = review.case_view(later, urgent.id, "王会计")
    review.perform(later, urgent.id, Emergency(D(2026, 11, 10), "张社长", "房屋失火", 100_000), "李主任",
                   version=view.version)
    pay(later, urgent.id, 100_000, D(2026, 11, 11), "付-3")
    returned = intake.register_application(later, society_id, application(applied_on=D(2026, 11, 12),
                                                                          id_number=make_id(seq="44")), "王会计")
    view = review.case_view(later, returned.id, "王会计")
    review.perform(later, returned.id, Return(Level.VILLAGE, D(2026, 11, 13), "张社长", ("住院发票原件",)), "王会计",
                   version=view.version)
    return {"paid": 280_000 + 100_000, "income": 800_000, "kept": kept}


def papers(ctx, society_id) -> tuple[list[str], list[str], list[str]]:  # noqa: ANN001
    outs = [io.BytesIO() for _ in range(3)]
    printing.print_roster(ctx, society_id, outs[0], "王会计", period=NOV)
    printing.print_ledger(ctx, society_id, "2026-11", outs[1], "王会计")
    printing.print_monthly(ctx, society_id, "2026-11", outs[2], "王会计")
    if os.environ.get("JIUJINAN_PAPERS_OUT"):  # to render and look at them
        for name, out in zip(("roster", "ledger", "monthly"), outs):
            (Path(os.environ["JIUJINAN_PAPERS_OUT"]) / f"{name}.pdf").write_bytes(out.getvalue())
    return tuple(pages_text(o.getvalue()) for o in outs)  # type: ignore[return-value]


def test_roster_ledger_and_monthly_agree_with_each_other_and_the_fund(later, society_id, month) -> None:
    roster, ledger, monthly = ("\n".join(p) for p in papers(later, society_id))
    total = re.search(rf"合计\s*(\d+)\s*人次\s*({MONEY})", roster)
    assert total and fen(total.group(2)) == month["paid"] and total.group(1) == "2"
    sums = re.search(rf"本月合计\s*({MONEY})\s+({MONEY})\s+({MONEY})", ledger)
    assert sums, ledger
    income, paid_out, closing = (fen(g) for g in sums.groups())
    assert paid_out == fen(total.group(2)) == month["paid"]  # the reversed payment is −支出, not +收入
    by_source = [fen(m) for m in re.findall(rf"其中：\S+\s*({MONEY})", ledger)]
    assert income == sum(by_source) == month["income"] and len(by_source) == 2  # 其他 nets to 0
    assert "-2,800.00" in ledger and "-100.00" in ledger and "付-1" in ledger
    paid_row = re.search(rf"3\s*本月发放\s*人次\s*(-?\d+)\s*({MONEY})", monthly)
    assert paid_row and (int(paid_row.group(1)), fen(paid_row.group(2))) == (2, month["paid"])
    income_row = re.search(rf"2\s*本月收入\s*笔\s*(-?\d+)\s*({MONEY})", monthly)
    assert income_row and fen(income_row.group(2)) == income
    opening = re.search(rf"1\s*期初余额\s*元\s*({MONEY})", monthly)
    ending = re.search(rf"4\s*期末余额\s*元\s*({MONEY})", monthly)
    assert opening and ending and fen(opening.group(1)) == 4_000_000
    assert fen(ending.group(1)) == closing == 4_000_000 + income - paid_out == fund.ledger(
        later, society_id, "王会计", month="2026-11").closing_fen
    assert re.search(rf"8\s*本月退回补充材料\s*件\s*1\s*{MONEY}", monthly)
    assert re.search(r"9\s*本月先行救助\s*件\s*1\s*1,000\.00", monthly)
    for paper in (roster, ledger, monthly):
        assert "2026年11月" in paper and "2026-11" not in paper and "（盖章）" in paper
    assert "报送：水阳镇人民政府" in monthly and "单位负责人" in monthly and "报出日期：2026年11月20日" in monthly


def test_roster_columns_and_masking(later, society_id, month) -> None:
    app = month["kept"].case.application
    full = "\n".join(papers(later, society_id)[0])
    assert app.account_no in full and "水阳镇青山村3组" in full and "12号" in full and "防返贫监测户小计" in full
    assert month["kept"].case.case_no.split("-", 1)[1] in full
    out = io.BytesIO()
    printing.print_roster(later, society_id, out, "王会计", period=NOV, masked=True)
    posted = "\n".join(pages_text(out.getvalue()))
    assert app.account_no not in posted and app.account_no[:6] + "*" * 9 + app.account_no[-4:] in posted
    assert "12号" not in posted and "3组" in posted and app.id_number not in posted


def test_no_label_wraps_and_signature_rows_hold_a_fingerprint(later, society_id, month) -> None:
    out = io.BytesIO()
    printing.print_roster(later, society_id, out, "王会计", period=NOV)
    with pdfplumber.open(io.BytesIO(out.getvalue())) as doc:
        page = doc.pages[0]
        lines = (page.extract_text() or "").splitlines()
        for label in ("防返贫监测户小计", "领款人签字（捺印）", "住址（村民组）", "发放方式／账号", "姓名／身份证号"):
            assert any(label in line for line in lines), label
        rules = sorted({round(e["top"], 1) for e in page.horizontal_edges if e["width"] > 200})
        name = next(w for w in page.extract_words() if w["text"].startswith(month["kept"].case.application.applicant_name))
        above = max(y for y in rules if y <= name["top"])
        below = min(y for y in rules if y >= name["bottom"])
        assert below - above >= 12 * mm - 0.5


def test_monthly_has_no_lone_character_on_a_line(later, society_id, month) -> None:
    monthly = papers(later, society_id)[2]
    for page in monthly:
        for line in page.splitlines():
            assert not re.fullmatch(r"\s*[\u4e00-\u9fff）」。，]\s*", line), line


def _entry(n: int) -> LedgerLine:
    return LedgerLine(n, D(2026, 11, 1 + n % 28), LedgerKind.CONTRIBUTION, 10_000 + n, FundSource.DONATION, None, "",
                      f"捐款人{n}", f"收-{n}", "", None, None, None, "王会计")


@pytest.mark.parametrize("count", range(16, 40))
def test_the_months_total_is_never_alone_on_a_page(count: int) -> None:
    society = SocietySettings(name="青山村救急难互助社", village="青山村", area_code="341802100201", town="水阳镇",
                              district="宣州区")
    lines = [_entry(n) for n in range(1, count + 1)]
    balances = [sum(x.amount_fen for x in lines[:i + 1]) for i in range(count)]
    out = io.BytesIO()
    write_ledger(society, "2026-11", 0, lines, balances, out, printed_on=D(2026, 11, 30))
    pages = pages_text(out.getvalue())
    page = next(p for p in pages if "本月合计" in p)
    assert len(re.findall(r"捐款人\d+", page)) >= 2, (count, len(pages))
    assert format_fen(sum(x.amount_fen for x in lines), grouped=True) in page


def test_fund_pay_records_the_voucher_number_from_the_command_line(later, society_id, tmp_path, monkeypatch) -> None:
    from jiujinan.cli import main

    view = walked(later, society_id)
    monkeypatch.setattr("jiujinan.cli.SystemClock", lambda: later.clock)
    db = str(tmp_path / "test.db")
    assert main(["--db", db, "fund", "pay", view.case.case_no, "--date", "2026-11-19", "--voucher", "付-2026-118"]) == 0
    lines = fund.ledger(later, society_id, "王会计", month="2026-11").lines
    assert [x.voucher_no for x in lines if x.kind is LedgerKind.PAYMENT] == ["付-2026-118"]
    out = io.BytesIO()
    printing.print_ledger(later, society_id, "2026-11", out, "王会计")
    assert "付-2026-118" in "\n".join(pages_text(out.getvalue()))


def test_a_payment_reversed_next_month_stays_on_its_months_roster_and_comes_back_negative(later, society_id) -> None:
    """Paid in October, the transfer bounced and was reversed in November: October's roster (a
    reprint of what was signed) still lists it, as October's ledger does; November's roster has
    it as a negative line, so each month's roster total is that month's 台账 本月支出."""
    from jiujinan.cases.review import Decide, Deliberation, StartNotice, Visit

    case = intake.register_application(later, society_id, application(applied_on=D(2026, 10, 8)), "王会计")
    view = review.case_view(later, case.id, "王会计")
    for action in (Visit(D(2026, 10, 9), ("王会计", "李委员"), "属实"),
                   Deliberation(D(2026, 10, 12), ("张社长", "李委员", "赵理事"), "同意", 150_000),
                   StartNotice(D(2026, 10, 13), "村务公开栏"),
                   Decide(Level.VILLAGE, D(2026, 10, 21), "张社长", "同意", 150_000)):
        view = review.perform(later, case.id, action, "李主任", version=view.version)
    entry = pay(later, case.id, 150_000, D(2026, 10, 28), "付-10")
    fund.reverse(later, society_id, entry, "银行退回", D(2026, 11, 5), "王会计")
    for month, period, expected in (("2026-10", (D(2026, 10, 1), D(2026, 11, 1)), "1,500.00"),
                                    ("2026-11", NOV, "-1,500.00")):
        roster, ledger = io.BytesIO(), io.BytesIO()
        printing.print_roster(later, society_id, roster, "王会计", period=period)
        printing.print_ledger(later, society_id, month, ledger, "王会计")
        r, led = ("\n".join(pages_text(x.getvalue())) for x in (roster, ledger))
        total = re.search(rf"合计\s*\d+\s*人次.*?({MONEY})", r)
        sums = re.search(rf"本月合计\s*({MONEY})\s+({MONEY})", led)
        assert total and sums and total.group(1) == sums.group(2) == expected, (r, led)
    assert "冲正 1 笔" in r and "原2026年10月28日发放" in r.replace("\n", "")


# --- layout with extreme data: long names and addresses, 0.05 to 999,999.99, many lines -------------
def _extreme_papers() -> dict[str, bytes]:
    from jiujinan.cases.enums import Cause, HouseholdType
    from jiujinan.printing.monthly_report import write_monthly
    from jiujinan.printing.roster import RosterLine, write_roster

    society = SocietySettings(name="宣州区水阳镇青山村救急难互助社", village="青山村", area_code="341802100201",
                              town="水阳镇", district="宣州区", head_name="张社长")
    roster = [RosterLine("欧阳娜娜娜娜" if i % 5 == 0 else "张三", make_id(seq=f"{i:02d}"), list(HouseholdType)[i % 5],
                         list(Cause)[i % 4], (5, 10_000_001, 280_000, 99_999_999)[i % 4], list(PaymentMethod)[i % 3],
                         D(2026, 11, 1 + i), f"341802100201-2026-{i:05d}", "6228480012345678901",
                         "水阳镇青山村十二村民组东大塘自然村128号附3号" if i % 3 == 0 else "青山村3组", 12)
              for i in range(1, 23)]
    roster.append(RosterLine("李大", make_id(seq="99"), HouseholdType.MONITORED, Cause.ILLNESS, -150_000,
                             PaymentMethod.BANK, D(2026, 11, 5), "341802100201-2026-00099", "6228480012345678901",
                             "青山村3组", 3, D(2026, 10, 28)))
    kinds = (LedgerKind.CONTRIBUTION, LedgerKind.PAYMENT, LedgerKind.REVERSAL)
    ledger = [LedgerLine(i, D(2026, 11, 1 + i % 28), kinds[i % 3],
                         {0: 10_000_001, 1: -280_000, 2: 280_000}[i % 3], FundSource.DONATION if i % 3 == 0 else None,
                         None if i % 3 == 0 else i, "" if i % 3 == 0 else f"341802100201-2026-{i:05d}",
                         "宣州区慈善协会（配套资金专户）" if i % 3 == 0 else "欧阳娜娜", f"记-2026-{i:05d}",
                         "账号有误，银行退回，已电话联系本人核实新的一卡通账号" if i % 3 == 2 else "", None,
                         i - 1 if i % 3 == 2 else None, None, "王会计") for i in range(1, 30)]
    balances = [sum(x.amount_fen for x in ledger[:i + 1]) for i in range(len(ledger))]
    figures = {"received": (123, 1_234_567_801), "approved": [("illness", 99, 1_000_000_001)], "rejected": 3,
               "returned": (2, 700_000), "emergency": (4, 400_000), "pending_at_end": 17}
    outs = {name: io.BytesIO() for name in ("roster", "ledger", "monthly")}
    write_roster(society, roster, "2026年11月", outs["roster"], masked=False, printed_on=D(2026, 11, 30))
    write_ledger(society, "2026-11", 0, ledger, balances, outs["ledger"], printed_on=D(2026, 11, 30))
    write_monthly(society, "2026-11", figures, 98_765_432_101, ledger, outs["monthly"], printed_on=D(2026, 11, 30),
                  key_fingerprint="695C 6DB6 8EBB AEED")
    return {name: out.getvalue() for name, out in outs.items()}


@pytest.fixture(scope="module")
def extreme() -> dict[str, bytes]:
    return _extreme_papers()


@pytest.mark.parametrize("paper", ["roster", "ledger", "monthly"])
def test_no_text_crosses_a_rule_or_the_printable_margin(extreme, paper: str) -> None:
    with pdfplumber.open(io.BytesIO(extreme[paper])) as doc:
        for number, page in enumerate(doc.pages, start=1):
            words = page.extract_words(x_tolerance=1.5)
            for edge in page.vertical_edges:
                for w in words:
                    overlaps = w["top"] < edge["bottom"] - 1 and w["bottom"] > edge["top"] + 1
                    assert not (overlaps and w["x0"] + 0.5 < edge["x0"] < w["x1"] - 0.5), (paper, number, w["text"])
            for w in words:  # an office printer cannot print the outer 5 mm
                assert w["x0"] > 5 * mm and w["x1"] < page.width - 5 * mm and w["top"] > 5 * mm, (paper, w["text"])


@pytest.mark.parametrize("paper", ["roster", "ledger", "monthly"])
def test_no_line_is_a_lone_character_or_starts_with_closing_punctuation(extreme, paper: str) -> None:
    for page in pages_text(extreme[paper]):
        for line in page.splitlines():
            assert not re.fullmatch(r"\s*[\u4e00-\u9fff]\s*", line), (paper, line)
            assert not re.match(r"\s*[，。、：；）」]", line), (paper, line)


def test_labels_numbers_and_dates_never_wrap(extreme) -> None:
    """The embedded font breaks CJK text anywhere, so a column too narrow wraps rather than
    overflows: every label, ID, account, amount and date must come back whole on one line."""
    whole = {
        "roster": ["序号", "人口", "家庭类别", "防返贫监测户", "防返贫监测户小计", "领款人签字（捺印）", "姓名／身份证号",
                   "住址（村民组）", "发放方式／账号", make_id(seq="01"), "6228480012345678901", "341802100201-",
                   "2026年11月23日", "999,999.99", "原2026年10月28日发放", "合计　22 人次，冲正 1 笔".replace("　", " ")],
        "ledger": ["11月28日", "本月合计", "其中：社会捐赠", "900,000.09", "记-2026-00027", "收入（元）"],
        "monthly": ["其中：慈善协会配套", "＝期初余额＋本月收入－本月发放", "本月退回补充材料", "987,654,321.01",
                    "12,345,678.01", "单位负责人：张社长", "报出日期：2026年11月30日", "报送：水阳镇人民政府"],
    }
    for paper, tokens in whole.items():
        lines = [line for page in pages_text(extreme[paper]) for line in page.splitlines()]
        for token in tokens:
            assert any(token in line for line in lines), (paper, token)


def test_the_rosters_query_and_the_ledgers_sum_agree_on_random_months(later, society_id) -> None:
    """The roster is chosen in SQL (db/reports.roster), the 台账 支出 summed in Python
    (cases/fund.month_totals): twins, checked on payments in instalments and reversals falling
    in the same month or the next, in a seeded random order."""
    import random

    from jiujinan.db import reports as reports_db

    rng = random.Random(16)
    entries: list[int] = []
    for n in range(6):
        case = intake.register_application(later, society_id, application(applied_on=D(2026, 10, 1), cause="disaster",
                                                                          id_number=make_id(seq=f"{60 + n}")), "王会计")
        version = review.case_view(later, case.id, "王会计").version
        review.perform(later, case.id, Emergency(D(2026, 10, 1), "张社长", "房屋失火", 200_000), "李主任", version=version)
        for part in (120_000, 80_000):
            entries.append(pay(later, case.id, part, D(2026, rng.choice((10, 11)), rng.randint(1, 19)), f"付-{n}"))
    for entry in rng.sample(entries, 7):
        line = fund.ledger(later, society_id, "王会计").lines
        paid_on = next(x.posted_on for x in line if x.id == entry)
        fund.reverse(later, society_id, entry, "银行退回", rng.choice((paid_on, D(2026, 11, 20))), "王会计")
    from jiujinan.cases.fund import month_of, month_totals

    every = {x.id: x for x in fund.ledger(later, society_id, "王会计").lines}
    crossing = {month_of(x.posted_on) != month_of(every[x.reversal_of].posted_on)
                for x in every.values() if x.reversal_of}
    assert crossing == {True, False}  # the seed gives both kinds of reversal
    for month, (start, end) in (("2026-10", (D(2026, 10, 1), D(2026, 11, 1))), ("2026-11", NOV)):
        view = fund.ledger(later, society_id, "王会计", month=month)
        with later.read() as s:
            rows = reports_db.roster(s, society_id, start, end)
        assert sum(r[4] for r in rows) == month_totals(view.opening_fen, view.lines).paid_out_fen, month
        here = {x.id for x in view.lines}
        paid_here = [x for x in view.lines if x.kind is LedgerKind.PAYMENT and x.reversed_by not in here]
        assert sum(1 for r in rows if r[4] > 0) == len(paid_here), month
