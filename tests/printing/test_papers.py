"""Papers read back from the PDF and compared with the database."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from jiujinan.cases.clock import FixedClock
from jiujinan.cases.enums import Level
from jiujinan.cases.masking import mask_id, mask_name
from jiujinan.cases.money import format_yuan_label, to_daxie
from jiujinan.cases.review import Decide, Deliberation, StartNotice, Visit
from jiujinan.services import intake, printing, review
from tests.conftest import application, make_id

D = dt.date


def text_of(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def later(ctx):  # noqa: ANN001, ANN201
    ctx.clock = FixedClock(dt.datetime(2026, 11, 20, 2, tzinfo=dt.timezone.utc))
    return ctx


def walked(ctx, society_id, **changes):  # noqa: ANN001, ANN201
    changes.setdefault("requested_yuan", "3500")
    case = intake.register_application(ctx, society_id, application(applied_on=D(2026, 11, 2), **changes), "王会计")
    view = review.case_view(ctx, case.id, "王会计")
    for action in (Visit(D(2026, 11, 3), ("王会计", "李委员"), "住院属实"),
                   Deliberation(D(2026, 11, 5), ("张社长", "李委员", "赵理事"), "同意救助", 300000),
                   StartNotice(D(2026, 11, 9), "村务公开栏"),
                   Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意上报", 300000),
                   Decide(Level.TOWN, D(2026, 11, 18), "钱镇长", "同意救助", 280000)):
        view = review.perform(ctx, case.id, action, "李主任", version=view.version)
    return view


def test_approval_form_holds_what_the_database_holds(later, society_id) -> None:
    view = walked(later, society_id, requested_yuan="3500")
    out = io.BytesIO()
    printing.print_form(later, view.case.case_no, out, "王会计")
    text, pages = text_of(out.getvalue())
    t = flat(text)
    app = view.case.application
    for expected in (view.case.case_no, app.applicant_name, app.id_number, "青山村救急难互助社", "救助申请审批表",
                     format_yuan_label(350000), to_daxie(350000), format_yuan_label(280000), to_daxie(280000),
                     "张社长", "钱镇长", "同意上报", "同意救助", "住院属实", "王会计、李委员",
                     "公示5个工作日", "区（县）", "审批意见", "水阳镇人民政府（盖章）", f"第1页共{pages}页"):
        assert flat(expected) in t, expected


def test_long_text_flows_onto_a_second_page_without_losing_a_word(later, society_id) -> None:
    hardship = "".join(f"第{i}句：家中突发重病，自付医疗费用高昂，生活陷入困境。" for i in range(1, 70))
    assert len(hardship) <= 2000
    view = walked(later, society_id, hardship=hardship)
    out = io.BytesIO()
    printing.print_form(later, view.case.case_no, out, "王会计")
    text, pages = text_of(out.getvalue())
    assert pages >= 2 and f"第1页共{pages}页" in flat(text)
    for i in (1, 35, 69):
        assert f"第{i}句" in flat(text)


def test_notice_masks_names_and_ids_and_publishes_nothing_private(later, society_id) -> None:
    case = intake.register_application(later, society_id, application(applied_on=D(2026, 11, 2)), "王会计")
    view = review.case_view(later, case.id, "王会计")
    for action in (Visit(D(2026, 11, 3), ("王会计", "李委员"), "属实"),
                   Deliberation(D(2026, 11, 5), ("张社长", "李委员", "赵理事"), "同意", 180000),
                   StartNotice(D(2026, 11, 16), "村委会公开栏")):
        view = review.perform(later, case.id, action, "李主任", version=view.version)
    out = io.BytesIO()
    assert printing.print_notice(later, society_id, out, "王会计") == 1
    text, _ = text_of(out.getvalue())
    t = flat(text)
    app = view.case.application
    assert mask_name(app.applicant_name) in t and mask_id(app.id_number) not in t  # no ID unless set (notice_shows_id)
    assert app.id_number not in t and app.applicant_name not in t
    assert app.phone not in t and app.account_no not in t and "脑梗" not in t
    assert "1,800.00" in t and to_daxie(180000) in t and "村委会公开栏" in t and "0563-2012345" in t
    assert not re.search(r"\d{17}[\dX]", t)  # no full ID number anywhere


def test_no_case_on_notice_is_a_message(later, society_id) -> None:
    with pytest.raises(Exception, match="没有需要公示的案件"):
        printing.print_notice(later, society_id, io.BytesIO(), "王会计")


def test_print_from_the_command_line(later, society_id, tmp_path, capsys, monkeypatch) -> None:
    from jiujinan.cli import main

    view = walked(later, society_id)
    monkeypatch.setattr("jiujinan.cli.SystemClock", lambda: later.clock)
    db = str(tmp_path / "test.db")
    out = tmp_path / "form.pdf"
    assert main(["--db", db, "print", "form", view.case.case_no, "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF") and not list(tmp_path.glob("*.part"))
    assert main(["--db", db, "print", "notice", "--month", "2026-11", "--out", str(tmp_path / "n.pdf")]) == 0
    assert main(["--db", db, "print", "form", view.case.case_no, "--out", str(tmp_path / "no" / "f.pdf")]) == 1
    assert "文件夹不存在" in capsys.readouterr().err
    assert main(["--db", db, "print", "form", "341802100201-2026-09999", "--out", str(out)]) == 1


def paid_case(ctx, society_id):  # noqa: ANN001, ANN201
    from jiujinan.cases.enums import PaymentMethod
    from jiujinan.cases.fund import PaymentInput
    from jiujinan.services import fund

    view = walked(ctx, society_id)
    fund.pay(ctx, view.case.id, PaymentInput(D(2026, 11, 19), PaymentMethod.ONE_CARD, 280000, "付-7"), "王会计",
             version=review.case_view(ctx, view.case.id, "王会计").version)
    return review.case_view(ctx, view.case.id, "王会计")


def test_roster_lists_payments_with_subtotals_and_masks_on_request(later, society_id) -> None:
    view = paid_case(later, society_id)
    app = view.case.application
    out = io.BytesIO()
    assert printing.print_roster(later, society_id, out, "王会计", period=(D(2026, 11, 1), D(2026, 12, 1))) == 1
    t = flat(text_of(out.getvalue())[0])
    assert app.applicant_name in t and app.id_number in t and "低保小计" in t and "2,800.00" in t
    assert to_daxie(280000) in t and "一卡通" in t and "制表人" in t and "负责人" in t
    masked = io.BytesIO()
    printing.print_roster(later, society_id, masked, "王会计", period=(D(2026, 11, 1), D(2026, 12, 1)), masked=True)
    m = flat(text_of(masked.getvalue())[0])
    assert mask_name(app.applicant_name) in m and app.id_number not in m


def test_ledger_statement_and_monthly_report_match_the_fund(later, society_id) -> None:
    from jiujinan.services import fund

    paid_case(later, society_id)
    view = fund.ledger(later, society_id, "王会计", month="2026-11")
    out = io.BytesIO()
    assert printing.print_ledger(later, society_id, "2026-11", out, "王会计") == len(view.lines) == 1
    t = flat(text_of(out.getvalue())[0])
    assert "期初余额" in t and "40,000.00" in t and "37,200.00" in t and "2,800.00" in t
    report = io.BytesIO()
    printing.print_monthly(later, society_id, "2026-11", report, "王会计")
    r = flat(text_of(report.getvalue())[0])
    assert "本月受理件1" in r and "本月审批同意件1" in r and "37,200.00" in r and to_daxie(3720000) in r
    assert "2026年11月" in r and "2026-11" not in r and "报送：水阳镇人民政府" in r
    from jiujinan.services import keys  # the key's fingerprint, to compare with the district's on paper
    assert f"签名密钥指纹：{keys.fingerprint(later)}".replace(" ", "") in r


def test_letters_to_the_applicant(later, society_id) -> None:
    from jiujinan.cases.review import Reject, Return

    case = intake.register_application(later, society_id, application(applied_on=D(2026, 11, 2)), "王会计")
    view = review.case_view(later, case.id, "王会计")
    review.perform(later, case.id, Return(Level.VILLAGE, D(2026, 11, 3), "张社长", ("住院发票原件", "诊断证明")),
                   "王会计", version=view.version)
    out = io.BytesIO()
    assert printing.print_letter(later, case.case_no, out, "王会计") == "missing"
    t = flat(text_of(out.getvalue())[0])
    assert "一次性告知" in t and "1.住院发票原件" in t and "2.诊断证明" in t
    other = intake.register_application(later, society_id, application(applied_on=D(2026, 11, 2),
                                                                        cause="disaster"), "王会计")
    view = review.case_view(later, other.id, "王会计")
    review.perform(later, other.id, Reject(Level.VILLAGE, D(2026, 11, 3), "张社长", "家庭收入高于救助标准"),
                   "王会计", version=view.version)
    out = io.BytesIO()
    assert printing.print_letter(later, other.case_no, out, "王会计") == "rejection"
    assert "家庭收入高于救助标准" in flat(text_of(out.getvalue())[0])


def test_batch_of_forms_keeps_each_forms_page_numbers_and_can_be_cancelled(later, society_id) -> None:
    for seq in ("31", "32", "33"):
        intake.register_application(later, society_id, application(applied_on=D(2026, 11, 2),
                                                                    id_number=make_id(seq=seq)),
                                    "王会计")
    seen = []
    out = io.BytesIO()
    assert printing.print_forms(later, society_id, out, "王会计", period=(D(2026, 11, 1), D(2026, 12, 1)),
                                progress=lambda done, total: seen.append((done, total))) == 3
    text, pages = text_of(out.getvalue())
    assert pages == 6 and flat(text).count("第1页共2页") == 3  # particulars, then the three opinion boxes and seen[-1] == (4, 4)
    with pytest.raises(Exception, match="已取消"):
        printing.print_forms(later, society_id, io.BytesIO(), "王会计", period=(D(2026, 11, 1), D(2026, 12, 1)),
                             cancelled=lambda: True)


def test_a_withdrawn_case_is_on_no_paper_as_aid(later, society_id) -> None:
    """撤回: no approval form, no letter, not on the notice or in a batch of forms."""
    from jiujinan.cases.review import Withdraw

    case = intake.register_application(later, society_id, application(applied_on=D(2026, 11, 2)), "王会计")
    view = review.case_view(later, case.id, "王会计")
    for action in (Visit(D(2026, 11, 3), ("王会计", "李委员"), "属实"),
                   Deliberation(D(2026, 11, 5), ("张社长", "李委员", "赵理事"), "同意", 180000),
                   StartNotice(D(2026, 11, 16), "村委会公开栏"),
                   Withdraw(D(2026, 11, 17), "重复登记")):
        view = review.perform(later, case.id, action, "李主任", version=view.version)
    kept = intake.register_application(later, society_id, application(applied_on=D(2026, 11, 2),
                                                                       id_number=make_id(seq="31")), "王会计")
    for paper in (printing.print_form, printing.print_letter):
        with pytest.raises(Exception, match="已撤回"):
            paper(later, case.case_no, io.BytesIO(), "王会计")
    with pytest.raises(Exception, match="没有需要公示的案件"):
        printing.print_notice(later, society_id, io.BytesIO(), "王会计")
    out = io.BytesIO()
    assert printing.print_forms(later, society_id, out, "王会计", period=(D(2026, 11, 1), D(2026, 12, 1))) == 1
    t = flat(text_of(out.getvalue())[0])
    assert kept.case_no in t and case.case_no not in t
