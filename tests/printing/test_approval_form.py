"""The 审批表 as officials sign it: read back from the PDF, words and ruled lines."""

import dataclasses
import datetime as dt
import io

import pdfplumber
from reportlab.lib.units import mm

from jiujinan.cases.enums import Level
from jiujinan.cases.money import format_yuan_label
from jiujinan.cases.review import Decide, Deliberation, Emergency, Reject, StartNotice, Visit
from jiujinan.services import intake, printing, review, societies
from tests.conftest import application, make_id
from tests.printing.test_papers import flat, later, walked  # noqa: F401 - the fixture

D = dt.date


def pages_of(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def form_pdf(ctx, case_no: str) -> bytes:  # noqa: ANN001
    out = io.BytesIO()
    printing.print_form(ctx, case_no, out, "王会计")
    return out.getvalue()


def box_heights(pdf: bytes) -> list[tuple[int, float]]:
    """(page, height in mm) of each opinion box: from the ruled line above its label to the
    one below it."""
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for n, page in enumerate(doc.pages, start=1):
            rules = sorted({round(e["top"], 1) for e in page.edges if e["orientation"] == "h"})
            for label in ("村（社区）", "乡镇（街道）", "区（县）"):
                for word in page.search(label):
                    if word["x0"] > 60 * mm:  # a label sits in the left column
                        continue
                    above = max(t for t in rules if t <= word["top"])
                    below = min(t for t in rules if t >= word["bottom"])
                    found.append((n, (below - above) / mm))
    return found


def test_a_long_form_names_the_case_on_every_page_and_keeps_the_boxes_together(later, society_id) -> None:
    hardship = "".join(f"第{i}句：家中突发重病，自付医疗费用高昂，Hospital-bill-No.{i:04d}，生活陷入困境。"
                       for i in range(1, 40))
    address = "水阳镇青山村第三村民组西头老粮站后面巷子里的第十二号院子东厢房" * 2
    view = walked(later, society_id, hardship=hardship[:2000], address=address[:100])
    pdf = form_pdf(later, view.case.case_no)
    pages = pages_of(pdf)
    assert len(pages) >= 2
    for n, text in enumerate(pages, start=1):
        t = flat(text)
        assert "救助申请审批表" in t and view.case.case_no in t and "张三" in t, n
        assert f"第{n}页共{len(pages)}页" in t
    whole = flat("".join(pages))
    for i in (1, 20, 39):  # the account flows on: nothing lost at a page or row boundary
        assert f"Hospital-bill-No.{i:04d}" in whole
    boxes = box_heights(pdf)
    assert len(boxes) == 3 and len({page for page, _h in boxes}) == 1, boxes
    assert all(h >= 42 for _p, h in boxes), boxes


def test_the_form_has_what_forms_in_use_have(later, society_id) -> None:
    view = walked(later, society_id, other_aid="享受低保，每月520元",
                  members=[("李四", "配偶", "", "58", "务农"), ("张小五", "子", "", "17", "在校学生")])
    t = flat("".join(pages_of(form_pdf(later, view.case.case_no))))
    for expected in ("本人承诺以上情况属实", "签字或按手印", "调查人签字", "被调查人（户主）签字", "受理人：王会计",
                     "经办人：李主任", "其他社会救助", "政策享受情况", "享受低保，每月520元", "58岁", "务农", "在校学生",
                     "与申请人关系", "2026年11月9日至2026年11月13日", "公示5个工作日"):
        assert expected in t, expected
    assert "2026-11" not in t  # one way of writing dates on the paper


def test_office_names_come_from_the_settings_and_the_district_approves(later, society_id) -> None:
    record = societies.get_society(later, society_id)
    societies.update_society(later, society_id, dataclasses.replace(
        record.settings, district_office="宣州区慈善协会", town_office="水阳镇社会事务办"), "王会计")
    case = intake.register_application(later, society_id, application(applied_on=D(2026, 11, 2),
                                                                      requested_yuan="8000"), "王会计")
    view = review.case_view(later, case.id, "王会计")
    for action in (Visit(D(2026, 11, 3), ("王会计", "李委员"), "住院属实"),
                   Deliberation(D(2026, 11, 5), ("张社长", "李委员", "赵理事"), "同意救助", 700000),
                   StartNotice(D(2026, 11, 9), "村务公开栏"),
                   Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意上报", 700000),
                   Decide(Level.TOWN, D(2026, 11, 17), "钱主任", "同意上报", 600000),
                   Decide(Level.DISTRICT, D(2026, 11, 19), "周会长", "同意", 600000)):
        view = review.perform(later, case.id, action, "李主任", version=view.version)
    t = flat("".join(pages_of(form_pdf(later, case.case_no))))
    assert "宣州区慈善协会（盖章）" in t and "水阳镇社会事务办（盖章）" in t and "民政局" not in t
    assert f"审批金额：{format_yuan_label(600000)}" in t and f"审核金额：{format_yuan_label(600000)}" in t
    assert "报区级" in t  # the town said why it went up


def test_a_rejected_case_leaves_no_box_waiting_for_a_signature(later, society_id) -> None:
    case = intake.register_application(later, society_id, application(applied_on=D(2026, 11, 2)), "王会计")
    view = review.case_view(later, case.id, "王会计")
    review.perform(later, case.id, Reject(Level.VILLAGE, D(2026, 11, 3), "张社长", "家庭收入高于救助标准"),
                   "王会计", version=view.version)
    t = flat("".join(pages_of(form_pdf(later, case.case_no))))
    assert "不予救助。理由：家庭收入高于救助标准" in t
    assert t.count("本级无需审核") == 2 and "____年____月____日" not in t.split("申请人（代理人）")[1][40:]


def test_the_advance_and_the_boards_repeat_reason_are_printed(later, society_id) -> None:
    first = intake.register_application(later, society_id, application(applied_on=D(2026, 11, 2)), "王会计")
    again = intake.register_application(later, society_id, application(
        applied_on=D(2026, 11, 4), id_number=first.application.id_number, repeat_reason="病情反复再次住院"), "王会计")
    view = review.case_view(later, again.id, "王会计")
    for action in (Emergency(D(2026, 11, 4), "张社长", "病情危急需立即手术", 100000),
                   Visit(D(2026, 11, 5), ("王会计", "李委员"), "属实"),
                   Deliberation(D(2026, 11, 6), ("张社长", "李委员", "赵理事"), "同意", 180000,
                                repeat_reason="二次手术，与前次不是同一次住院")):
        view = review.perform(later, again.id, action, "李主任", version=view.version)
    t = flat("".join(pages_of(form_pdf(later, again.case_no))))
    assert "2026年11月4日经张社长批准先行救助¥1,000.00（壹仟元整）" in t and "病情危急" in t  # label beside
    assert "理事会记录再次救助的理由：二次手术，与前次不是同一次住院" in t
    assert "在本社此前申请1次，获救助0次" in t  # the first case is not paid: no aid before


def test_a_batch_repeats_each_forms_head_on_its_own_pages(later, society_id) -> None:
    long = "".join(f"第{i}句：家中突发重病，生活陷入困境。" for i in range(1, 120))
    for seq, name in (("31", "甲某"), ("32", "乙某")):
        intake.register_application(later, society_id, application(
            applied_on=D(2026, 11, 2), id_number=make_id(seq=seq), applicant_name=name, hardship=long[:2000]),
            "王会计")
    out = io.BytesIO()
    printing.print_forms(later, society_id, out, "王会计", period=(D(2026, 11, 1), D(2026, 12, 1)))
    pages = [flat(p) for p in pages_of(out.getvalue())]
    second = [p for p in pages if "乙某" in p]
    assert len(second) >= 2 and all("甲某" not in p for p in second)
    assert all("救助申请审批表" in p for p in pages)


def test_a_reprint_names_the_offices_as_they_were_when_they_decided(later, society_id) -> None:
    view = walked(later, society_id)  # village and town decided under the usual names
    record = societies.get_society(later, society_id)
    societies.update_society(later, society_id, dataclasses.replace(
        record.settings, town_office="水阳镇社会事务办", village_office="青山村互助社理事会"), "王会计")
    t = flat("".join(pages_of(form_pdf(later, view.case.case_no))))
    assert "水阳镇人民政府（盖章）" in t and "青山村救急难互助社（盖章）" in t and "社会事务办" not in t
    assert "签字人：钱镇长签字：__________" in t  # the recorded name, and room for the hand


def test_a_cash_payment_names_the_applicant_not_the_holder_of_an_unused_account(later, society_id) -> None:
    from jiujinan.cases.enums import PaymentMethod
    from jiujinan.cases.fund import PaymentInput
    from jiujinan.services import fund

    view = walked(later, society_id, account_holder="李四")
    fund.pay(later, view.case.id, PaymentInput(D(2026, 11, 19), PaymentMethod.CASH, 280000, "付-1", receipt_signed=True), "王会计",
             version=view.version)
    line = fund.ledger(later, society_id, "王会计", month="2026-11").lines[-1]
    assert line.party == "张三"
