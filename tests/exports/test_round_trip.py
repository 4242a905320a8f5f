"""Export from a village database, import at the district, reconcile: the figures match the
source exactly, in fen. A corpus of bad files is refused whole, with every problem listed."""

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jiujinan.cases.clock import FixedClock
from jiujinan.cases.errors import DomainError
from jiujinan.db.models import ImportBatch, LedgerEntry, ReportedCase
from jiujinan.services import district, export, fund, societies
from jiujinan.services.context import open_context
from jiujinan.services.demo import run_demo
from tests.conftest import import_folder, sign_again

CLOCK = FixedClock(dt.datetime(2026, 11, 20, 2, tzinfo=dt.timezone.utc))


@pytest.fixture
def village(tmp_path):  # noqa: ANN001, ANN201
    ctx = open_context(str(tmp_path / "village.db"), tmp_path, CLOCK)
    run_demo(ctx, n_societies=2, n_cases=400, seed=5)
    for person in ("王会计", "王"):
        societies.add_user(ctx, person)
    yield ctx
    ctx.close()


@pytest.fixture
def district_db(tmp_path):  # noqa: ANN001, ANN201
    ctx = open_context(str(tmp_path / "district.db"), tmp_path, CLOCK)
    yield ctx
    ctx.close()


def rewrite(village, folder: Path, name: str, edit) -> None:  # noqa: ANN001
    """Change a file, fix the manifest's checksum and sign it again with the village's key, as the
    village's own broken program would (a careless editor would not): the contents are checked."""
    path = folder / name
    data = edit(path.read_bytes())
    path.write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][name].update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    sign_again(folder, village)


def test_round_trip_matches_the_source_in_fen(village, district_db, tmp_path) -> None:
    folders = export.export_all(village, tmp_path / "out", user="王会计")
    results = [import_folder(district_db, f, "区民政局") for f in folders]
    assert [r.outcome for r in results] == ["imported", "imported"]
    report = district.reconcile(district_db, "王会计")
    for record, line in zip(societies.list_societies(village), report.societies):
        p = fund.position(village, record.id, "王会计")
        assert line.code == record.settings.area_code
        assert line.balance_fen == p.balance_fen
        assert line.paid_fen == p.paid_out_fen
        from jiujinan.cases.enums import FundSource
        assert line.reported_district_fen == p.by_source[FundSource.DISTRICT_BUDGET]
    with village.read() as s, district_db.read() as d:
        assert d.scalar(select(func.count()).select_from(ReportedCase)) == 400
        assert d.scalar(select(func.sum(ReportedCase.paid_fen))) == s.scalar(
            select(-func.sum(LedgerEntry.amount_fen)).where(LedgerEntry.case_id.is_not(None)))
    # The same export again changes nothing.
    assert import_folder(district_db, folders[0], "区民政局").outcome == "unchanged"


def test_newer_export_replaces_the_older_and_says_so(village, district_db, tmp_path) -> None:
    code = societies.list_societies(village)[0].settings.area_code
    first = export.export_all(village, tmp_path / "a", codes=[code], user="王会计")[0]
    import_folder(district_db, first, "区民政局")
    village.clock = FixedClock(CLOCK.moment + dt.timedelta(hours=3))
    second = export.export_all(village, tmp_path / "b", codes=[code], user="王会计")[0]
    assert import_folder(district_db, second, "区民政局").outcome == "replaced"
    with district_db.read() as d:
        batches = d.scalars(select(ImportBatch).order_by(ImportBatch.id)).all()
        assert batches[0].replaced_by == batches[1].id and batches[1].replaced_by is None
    assert import_folder(district_db, first, "区民政局").outcome == "unchanged"  # older never wins


def test_grants_and_missing_months(village, district_db, tmp_path) -> None:
    code = societies.list_societies(village)[0].settings.area_code
    for month in (dt.date(2026, 8, 1), dt.date(2026, 10, 1)):
        end = (month + dt.timedelta(days=32)).replace(day=1)
        folder = export.export_all(village, tmp_path / month.isoformat(), codes=[code], period=(month, end), user="王会计")[0]
        assert import_folder(district_db, folder, "区民政局").outcome == "imported"
    district.add_grant(district_db, code, "2024-01-05", 2_000_000, "启动资金", "区民政局")
    (line,) = district.reconcile(district_db, "王会计").societies
    assert line.missing_months == ("2026-09",)
    assert line.granted_fen == 2_000_000


def test_same_person_aided_in_two_societies_in_one_year(tmp_path, district_db) -> None:
    from tests.conftest import application, make_id, one_person_society
    from jiujinan.cases.enums import Level, PaymentMethod
    from jiujinan.cases.fund import ContributionInput, PaymentInput
    from jiujinan.cases.enums import FundSource
    from jiujinan.cases.review import Emergency
    from jiujinan.services import intake, review

    folders = []
    for n, code in enumerate(("341802100201", "341802101202")):
        ctx = open_context(str(tmp_path / f"v{n}.db"), tmp_path, CLOCK)
        societies.add_user(ctx, "王")
        sid = societies.create_society(ctx, one_person_society(code, f"村{n}救急难互助社"), "王").id  # 王 does all
        fund.add_contribution(ctx, sid, ContributionInput(dt.date(2026, 1, 5), FundSource.DONATION, 500000, "捐", ""), "王")
        case = intake.register_application(ctx, sid, application(applied_on=dt.date(2026, 3, 2)), "王")
        view = review.perform(ctx, case.id, Emergency(dt.date(2026, 3, 2), "社长", "火灾", 50000), "王",
                              version=review.case_view(ctx, case.id, "王").version)
        fund.pay(ctx, case.id, PaymentInput(dt.date(2026, 3, 2), PaymentMethod.BANK, 50000, ""), "王", version=view.version)
        with pytest.raises(DomainError, match="请先登录"):  # a database with users: nobody reads unsigned
            export.export_all(ctx, tmp_path / f"out{n}", full_ids=True, user="")
        folders.append(export.export_all(ctx, tmp_path / f"out{n}", full_ids=True, user="王")[0])
        ctx.close()
    for folder in folders:
        assert import_folder(district_db, folder, "区").outcome == "imported"
    (finding,) = district.reconcile(district_db, "王会计").findings
    assert finding.year == 2026 and {c for c, _ in finding.cases} == {"341802100201", "341802101202"}
    assert make_id() not in finding.person  # the finding itself is masked
    del Level


def cell(column: str, value: str, row: int = 1):  # noqa: ANN201
    """An edit that sets one cell of a data row (as a hand edit of the file would)."""
    def edit(data: bytes) -> bytes:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        rows[row][rows[0].index(column)] = value
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
    return edit


BAD = {
    "wrong encoding": ("cases.csv", lambda b: b.decode("utf-8-sig").encode("gb18030"), "编码"),
    "missing column": ("payments.csv", lambda b: b.replace(b",reversal_of", b"", 1), "表头"),
    "extra column": ("ledger.csv", lambda b: b.replace(b"\r\n", b"\r\n", 1).replace(b"\r\n", b"@@", 1)
                     .replace(b"\r\n", b",x\r\n", 1).replace(b"@@", b"\r\n", 1), "应有 10 列"),
    "three decimals": ("cases.csv", lambda b: b.replace(b".00,", b".005,", 1), "两位小数"),
    "bad date": ("ledger.csv", lambda b: b.replace(b",2024-01-0", b",2024-13-0", 1), "YYYY-MM-DD"),
    "duplicate rows": ("cases.csv", lambda b: b + b.split(b"\r\n")[1] + b"\r\n", "重复"),
    "formula cell": ("cases.csv", lambda b: b.replace("水阳镇".encode(), "=HYPERLINK(1)".encode(), 1), "公式"),
    "truncated file": ("ledger.csv", lambda b: b[: len(b) // 2], "行数"),
    "control character": ("cases.csv", cell("applicant_name", "张\x07三"), "控制字符"),
    "newline in a name": ("cases.csv", cell("applicant_name", "张\n三"), "控制字符"),
    "name too long": ("cases.csv", cell("applicant_name", "张" * 31), "超过 30 个字"),
    "amount too large": ("cases.csv", cell("requested_yuan", "99999999999999.00"), "两位小数"),
    "full-width digits": ("ledger.csv", cell("entry_no", "１２"), "整数编号"),
    "negative request": ("cases.csv", cell("requested_yuan", "-5.00"), "两位小数"),
    "unknown cause": ("cases.csv", cell("cause", "买彩票"), "不是有效的取值"),
    "wrong balance": ("ledger.csv", cell("balance_yuan", "1.00", row=2), "余额应为"),
    "payment not in ledger": ("payments.csv", cell("payment_no", "999999"), "没有对应的记录"),
    "wrong society": ("payments.csv", cell("society_code", "341802999999"), "区划代码不符"),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_exports_are_refused_whole(village, district_db, tmp_path, kind: str) -> None:
    folder = export.export_all(village, tmp_path / "out", user="王会计")[0]
    name, edit, reason = BAD[kind]
    rewrite(village, folder, name, edit)
    result = import_folder(district_db, folder, "区民政局")
    assert result.outcome == "rejected" and reason in result.message, result.message
    with district_db.read() as d:
        assert d.scalar(select(func.count()).select_from(ImportBatch)) == 0
        assert d.scalar(select(func.count()).select_from(ReportedCase)) == 0


def test_withdrawn_cases_are_accepted_but_not_with_money_paid(village, district_db, tmp_path) -> None:
    """撤回 happens only before any payment: the district takes a withdrawn case with nothing
    paid, and refuses one that says money was paid."""
    folder = export.export_all(village, tmp_path / "out", user="王会计")[0]
    rows = list(csv.reader(io.StringIO((folder / "cases.csv").read_text(encoding="utf-8-sig"), newline="")))
    status, paid = rows[0].index("status"), rows[0].index("paid_yuan")
    withdrawn = [n for n, r in enumerate(rows) if r[status] == "已撤回"]
    assert withdrawn and all(rows[n][paid] == "0.00" for n in withdrawn)  # the demo has a few
    assert import_folder(district_db, folder, "区民政局").outcome == "imported"
    again = export.export_all(village, tmp_path / "again", user="王会计")[0]
    rewrite(village, again, "cases.csv", cell("paid_yuan", "500.00", row=withdrawn[0]))
    result = import_folder(district_db, again, "区民政局")
    assert result.outcome == "rejected" and "已撤回的案件不能有已发放金额" in result.message, result.message


def test_tampering_after_export_breaks_the_checksum(village, district_db, tmp_path) -> None:
    folder = export.export_all(village, tmp_path / "out", user="王会计")[0]
    path = folder / "payments.csv"
    path.write_bytes(path.read_bytes().replace(b"00,", b"01,", 1))
    result = import_folder(district_db, folder, "区民政局")
    assert result.outcome == "rejected" and "校验值与清单不符" in result.message


def test_cells_a_spreadsheet_would_run_are_neutralised(village, district_db, tmp_path) -> None:
    from jiujinan.cases.enums import FundSource
    from jiujinan.cases.fund import ContributionInput

    sid = societies.list_societies(village)[0].id  # (a name cannot start with =; a memo can)
    fund.add_contribution(village, sid, ContributionInput(dt.date(2026, 11, 2), FundSource.DONATION, 10_000, "张三",
                                                          "@SUM(1)", memo="=CMD()"), "王")
    folder = export.export_all(village, tmp_path / "out", user="王会计")[0]
    rows = list(csv.reader((folder / "ledger.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert any(r[7] == "'@SUM(1)" and r[8] == "'=CMD()" for r in rows[1:])
    assert (folder / "cases.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    assert import_folder(district_db, folder, "区").outcome == "imported"  # and read back as written
    with district_db.read() as d:
        from jiujinan.db.models import ReportedEntry
        assert d.scalar(select(ReportedEntry.memo).where(ReportedEntry.voucher_no == "@SUM(1)")) == "=CMD()"


def test_gb18030_exports_import_too(village, district_db, tmp_path) -> None:
    folder = export.export_all(village, tmp_path / "out", encoding="gb18030", user="王会计")[0]
    assert "青山" in (folder / "cases.csv").read_bytes().decode("gb18030")
    assert import_folder(district_db, folder, "区").outcome == "imported"
    shutil.rmtree(folder)


def test_amounts_written_and_read_back_exactly() -> None:
    from hypothesis import given, strategies as st

    from jiujinan.cases.money import format_fen
    from jiujinan.exports.csv_format import read_yuan, yuan

    @given(st.integers(min_value=-10**13, max_value=10**13))
    def check(fen: int) -> None:
        assert yuan(fen) == format_fen(fen)
        assert read_yuan(yuan(fen), signed=True) == fen

    check()


def test_the_district_sees_a_village_audit_trail_changed_outside_the_app(village, district_db, tmp_path,  # noqa: ANN001
                                                                         monkeypatch) -> None:
    """The village's program refuses to sign a trail changed outside it; one altered to sign
    anyway (or an older version) reports the chain broken, and the district says so."""
    import sqlite3

    from jiujinan.cases.export_guard import ChangedOutside

    from jiujinan.cases.enums import FundSource
    from jiujinan.cases.fund import ContributionInput

    record = societies.list_societies(village)[0]
    code = record.settings.area_code
    for n in range(3):  # changes made in the app are on the trail
        fund.add_contribution(village, record.id, ContributionInput(dt.date(2026, 11, 2 + n), FundSource.DONATION,
                                                                    10_000, "张三", ""), "王会计")
    first = export.export_all(village, tmp_path / "a", codes=[code], user="王会计")[0]
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["audit"]["intact"] is True and manifest["audit"]["entries"] > 0
    assert import_folder(district_db, first, "区").outcome == "imported"
    (line,) = district.reconcile(district_db, "王会计").societies
    assert line.audit_note == ""

    with sqlite3.connect(tmp_path / "village.db") as conn:  # somebody edits the trail by hand: the
        # export's own entry and the last contribution before it are deleted
        conn.execute("DELETE FROM audit_seal WHERE seq >= (SELECT max(seq) - 1 FROM audit_log)")
        conn.execute("DELETE FROM audit_log WHERE seq >= (SELECT max(seq) - 1 FROM audit_log)")
        conn.execute("UPDATE audit_head SET entries = entries - 2")
    village.clock = FixedClock(CLOCK.moment + dt.timedelta(hours=1))
    with pytest.raises(ChangedOutside, match="最后一条审计记录与程序记下的链尾不符"):
        export.export_all(village, tmp_path / "b", codes=[code], user="王会计")
    monkeypatch.setattr("jiujinan.services.export.check_unchanged", lambda found: None)
    second = export.export_all(village, tmp_path / "b", codes=[code], user="王会计")[0]
    assert json.loads((second / "manifest.json").read_text(encoding="utf-8"))["audit"]["intact"] is False
    assert import_folder(district_db, second, "区").outcome == "replaced"
    (line,) = district.reconcile(district_db, "王会计").societies
    assert "自检未通过" in line.audit_note and "条数变少" in line.audit_note
    out = tmp_path / "report.pdf"
    district.write_report_pdf(district_db, district.reconcile(district_db, "王会计"), out)
    from pypdf import PdfReader
    assert "审计记录异常" in "".join(page.extract_text() for page in PdfReader(out).pages)


def _paid_case_row(folder: Path) -> tuple[int, str]:
    """A data row of cases.csv (its index in the file's rows) with money paid, and its case number."""
    rows = list(csv.reader(io.StringIO((folder / "cases.csv").read_text(encoding="utf-8-sig"), newline="")))
    paid, no = rows[0].index("paid_yuan"), rows[0].index("case_no")
    n = next(n for n, r in enumerate(rows[1:], start=1) if r[paid] not in ("", "0.00"))
    return n, rows[n][no]


def test_a_paid_case_made_withdrawn_by_hand_is_refused(village, district_db, tmp_path) -> None:
    """Tampered: a paid case set to 已撤回 with paid 0.00 and no approval, its payments left in
    payments.csv; the import names the payment rows and the paid amount that disagree."""
    folder = export.export_all(village, tmp_path / "out", user="王会计")[0]
    row, case_no = _paid_case_row(folder)
    for column, value in (("status", "已撤回"), ("paid_yuan", "0.00"), ("approved_yuan", "")):
        rewrite(village, folder, "cases.csv", cell(column, value, row=row))
    result = import_folder(district_db, folder, "区民政局")
    assert result.outcome == "rejected", result.message
    assert f"案件 {case_no} 已撤回，不能有未冲正的发放记录" in result.message
    assert "与 payments.csv 中该案件的发放合计" in result.message
    with district_db.read() as d:
        assert d.scalar(select(func.count()).select_from(ReportedCase)) == 0


def test_a_paid_amount_that_is_not_the_net_of_the_payments_is_refused(village, district_db, tmp_path) -> None:
    folder = export.export_all(village, tmp_path / "out", user="王会计")[0]
    row, case_no = _paid_case_row(folder)
    rewrite(village, folder, "cases.csv", cell("paid_yuan", "0.00", row=row))
    result = import_folder(district_db, folder, "区民政局")
    assert result.outcome == "rejected" and f"cases.csv 第{row + 1}行 paid_yuan：已发放 0.00 与 payments.csv" in \
        result.message, result.message


def test_reversed_payments_count_against_the_paid_amount(village, district_db, tmp_path) -> None:
    """A reversal is a negative row of payments.csv: a case paid, reversed and withdrawn (its
    net is 0.00) is taken, and its paid amount is compared with the net."""
    folder = export.export_all(village, tmp_path / "out", user="王会计")[0]
    text = (folder / "payments.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    payment = rows[1]
    reversal = list(payment)
    reversal[header.index("payment_no")] = "999999"
    reversal[header.index("amount_yuan")] = "-" + payment[header.index("amount_yuan")]
    reversal[header.index("reversal_of")] = payment[header.index("payment_no")]
    rewrite(village, folder, "payments.csv", lambda b: b + (",".join(reversal) + "\r\n").encode("utf-8"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["payments.csv"]["rows"] += 1
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    sign_again(folder, village)
    result = import_folder(district_db, folder, "区民政局")
    # The reversal is not in the ledger (refused for that), and the case's paid amount is now
    # more than the net of its rows: both are listed.
    assert result.outcome == "rejected" and "没有对应的记录" in result.message
    assert "与 payments.csv 中该案件的发放合计" in result.message, result.message


def test_a_case_paid_reversed_and_withdrawn_is_taken(village, district_db, tmp_path) -> None:
    """撤回 after a payment reversed in full: the payment and its reversal both stand in
    payments.csv, their net is the case's 0.00, and the district takes it."""
    from jiujinan.cases.enums import CaseStatus, LedgerKind
    from jiujinan.cases.review import Withdraw
    from jiujinan.db.models import AidCase
    from jiujinan.services import review

    with village.read() as s:
        once = select(LedgerEntry.case_id).where(LedgerEntry.case_id.is_not(None)) \
            .group_by(LedgerEntry.case_id).having(func.count() == 1)
        case_id, society_id, entry_id = s.execute(
            select(AidCase.id, AidCase.society_id, LedgerEntry.id).join(LedgerEntry, LedgerEntry.case_id == AidCase.id)
            .where(AidCase.id.in_(once), LedgerEntry.kind == LedgerKind.PAYMENT.value,
                   AidCase.status.in_([CaseStatus.PAID.value, CaseStatus.AWAITING_PAYMENT.value]))
            .order_by(LedgerEntry.posted_on.desc())).first()
    today = CLOCK.today()
    fund.reverse(village, society_id, entry_id, "发放对象有误", today, "王会计")
    view = review.case_view(village, case_id, "王会计")
    view = review.perform(village, case_id, Withdraw(today, "录入错误"), "王会计", version=view.version)
    assert view.case.status is CaseStatus.WITHDRAWN
    folder = export.export_all(village, tmp_path / "out", user="王会计")[0]
    text = (folder / "payments.csv").read_text(encoding="utf-8-sig")
    assert text.count(view.case.case_no) == 2  # the payment and its reversal
    result = import_folder(district_db, folder, "区民政局")
    assert result.outcome == "imported", result.message
