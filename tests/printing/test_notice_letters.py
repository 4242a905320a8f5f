"""公示 and the letters read back from the PDF: their dates, periods, deadlines and contacts, and
that no printed line begins with closing punctuation (禁则)."""

import dataclasses
import datetime as dt
import io
import re

import pdfplumber
import pytest

from jiujinan.cases.enums import Cause, Level
from jiujinan.cases.masking import mask_id, mask_name
from jiujinan.cases.review import Deliberation, Reject, Return, StartNotice, Visit
from jiujinan.printing.base import CANNOT_START
from jiujinan.printing.notice import NoticeLine, write_notice
from jiujinan.services import intake, printing, review, societies
from tests.conftest import application, make_id, society_settings

D = dt.date


def pages_of(pdf: bytes) -> list[list[str]]:
    """Each page's extracted lines, as a reader's eye meets them (pdfplumber groups by baseline)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [[line.strip() for line in (page.extract_text() or "").splitlines() if line.strip()]
                for page in doc.pages]


def flat(lines: list[str]) -> str:
    return re.sub(r"\s+", "", "".join(lines))


def no_line_starts_with_closing_punctuation(pages: list[list[str]]) -> None:
    for lines in pages:
        for line in lines:
            assert line.lstrip("　 ")[:1] not in CANNOT_START, line


def settle(ctx, society_id, **changes) -> None:  # noqa: ANN001
    """Change the society's paper settings as its 设置 screen would."""
    record = societies.get_society(ctx, society_id)
    societies.update_society(ctx, society_id, dataclasses.replace(record.settings, **changes), "王会计")


def on_notice(ctx, society_id, name: str, seq: str, start: dt.date, amount: int = 180000):  # noqa: ANN001, ANN201
    """A case put on notice on ``start`` (5 working days)."""
    applied = start - dt.timedelta(days=7)
    case = intake.register_application(ctx, society_id, application(applied_on=applied, applicant_name=name,
                                                                   account_holder=name, id_number=make_id(seq=seq),
                                                                   requested_yuan="5000"),
                                       "王会计")
    view = review.case_view(ctx, case.id, "王会计")
    for action in (Visit(applied + dt.timedelta(days=1), ("王会计", "李委员"), "属实"),
                   Deliberation(applied + dt.timedelta(days=2), ("张社长", "李委员", "赵理事"), "同意", amount),
                   StartNotice(start, "村委会公开栏")):
        view = review.perform(ctx, case.id, action, "李主任", version=view.version)
    return view


def decide(ctx, view, on: dt.date):  # noqa: ANN001, ANN201
    from jiujinan.cases.review import Decide

    return review.perform(ctx, view.case.id, Decide(Level.VILLAGE, on, "张社长", "同意", 180000), "李主任",
                          version=view.version)


# --- 公示 -----------------------------------------------------------------------------------
def test_a_month_prints_one_notice_per_period_each_dated_on_its_first_day(ctx, society_id) -> None:
    """Today is 2026-11-20: the 11-09 period is over and decided, the 11-16 one is still up; an
    October notice is not in November's papers."""
    first = on_notice(ctx, society_id, "张三丰", "31", D(2026, 11, 9))
    decide(ctx, first, D(2026, 11, 16))
    second = on_notice(ctx, society_id, "李四光", "32", D(2026, 11, 16), amount=250000)
    third = on_notice(ctx, society_id, "王五福", "33", D(2026, 11, 16), amount=50000)
    october = on_notice(ctx, society_id, "赵六顺", "34", D(2026, 10, 12))
    out = io.BytesIO()
    assert printing.print_notice(ctx, society_id, out, "王会计", period=(D(2026, 11, 1), D(2026, 12, 1))) == 3
    pages = pages_of(out.getvalue())
    assert len(pages) == 2
    one, two = flat(pages[0]), flat(pages[1])
    for text in (one, two):  # each a paper of its own: one heading, its own page count
        assert text.count("现予公示") == 1 and "第1页共1页" in text
        assert mask_name("赵六顺") not in text
    assert mask_name("张三丰") in one and mask_name("李四光") not in one and "拟对以下1户" in one
    assert mask_name("李四光") in two and mask_name("王五福") in two and mask_name("张三丰") not in two
    assert "拟对以下2户" in two and "合计3,000.00元" in two and "叁仟元整" in two
    assert "公示期：2026年11月9日至2026年11月13日" in one
    assert "公示期：2026年11月16日至2026年11月20日" in two
    # dated on the first day of notice, under the stamp: never the day it was printed
    assert pages[0][-2].replace(" ", "") == "2026年11月9日" and pages[1][-2].replace(" ", "") == "2026年11月16日"
    today = io.BytesIO()
    assert printing.print_notice(ctx, society_id, today, "王会计") == 2  # on notice today: the 11-16 period
    t = flat(pages_of(today.getvalue())[0])
    assert mask_name("李四光") in t and mask_name("张三丰") not in t and t.count("现予公示") == 1
    assert second.case.case_no and third.case.case_no and october.case.case_no


def test_the_objection_line_names_office_person_and_a_phone_that_never_wraps(ctx, society_id) -> None:
    on_notice(ctx, society_id, "张三丰", "31", D(2026, 11, 16))
    settle(ctx, society_id, objection_contact="青山村村委会王会计", objection_phone="0563-2012345")
    out = io.BytesIO()
    printing.print_notice(ctx, society_id, out, "王会计")
    lines = pages_of(out.getvalue())[0]
    assert "向青山村村委会王会计反映" in flat(lines)
    assert any("0563-2012345" in line for line in lines)
    # Whatever the length of the contact, the number stays on one line.
    base = society_settings()
    for n in range(0, 40, 1):
        settings = dataclasses.replace(base, objection_contact="青" * n + "王会计", objection_phone="13905631234")
        pdf = io.BytesIO()
        write_notice(settings, [NoticeLine("张三", "", Cause.ILLNESS, 100, D(2026, 11, 16), D(2026, 11, 20), "")], pdf)
        page = pages_of(pdf.getvalue())[0]
        assert any("13905631234" in line for line in page), (n, page)
        no_line_starts_with_closing_punctuation([page])


def test_the_id_column_only_where_the_society_prints_it(ctx, society_id) -> None:
    view = on_notice(ctx, society_id, "张三丰", "31", D(2026, 11, 16))
    idn = view.case.application.id_number
    out = io.BytesIO()
    printing.print_notice(ctx, society_id, out, "王会计")
    t = flat(pages_of(out.getvalue())[0])  # DOMAIN: the notice never shows the ID number
    assert "身份证号" not in t and mask_id(idn) not in t and idn not in t and mask_name("张三丰") in t
    settle(ctx, society_id, notice_shows_id=True)  # where the town's template carries the masked one
    out = io.BytesIO()
    printing.print_notice(ctx, society_id, out, "王会计")
    t = flat(pages_of(out.getvalue())[0])
    assert "身份证号" in t and mask_id(idn) in t and idn not in t and "张三丰" not in t
    assert not re.search(r"\d{17}[\dX]", t)


def test_the_print_page_prints_a_months_notices_one_per_period(qtbot, ctx, society_id, tmp_path) -> None:  # noqa: ANN001
    from jiujinan.ui.fonts import register_bundled_font
    from jiujinan.ui.prefs import Preferences
    from jiujinan.ui.print_page import PrintPage
    from jiujinan.ui.session import UiSession

    on_notice(ctx, society_id, "张三丰", "31", D(2026, 11, 9))
    on_notice(ctx, society_id, "李四光", "32", D(2026, 11, 16))
    register_bundled_font()
    page = PrintPage(UiSession(ctx, Preferences(tmp_path / "prefs.ini"), society_id, "王会计"))
    qtbot.addWidget(page)
    page.paper.setCurrentIndex(page.paper.findData("notices"))
    assert page.month.isEnabled() and not page.case_no.isEnabled()
    page.month.setDate(D(2026, 11, 1))
    page.preview_button.click()
    assert page.preview.page_count() == 2, page.status.text()
    page.paper.setCurrentIndex(page.paper.findData("notice"))  # today's: the 11-16 period only
    page.preview_button.click()
    assert page.preview.page_count() == 1 and not page.month.isEnabled()


# --- letters --------------------------------------------------------------------------------
def test_missing_material_letter_is_dated_on_the_return_and_gives_the_deadline(ctx, society_id) -> None:
    settle(ctx, society_id, contact_phone="0563-2019999", return_days=10)
    review.set_calendar(ctx, "2026-11-10 休 测试假日", "王会计")  # a holiday inside the 10 working days
    case = intake.register_application(ctx, society_id, application(applied_on=D(2026, 11, 2)), "王会计")
    view = review.case_view(ctx, case.id, "王会计")
    review.perform(ctx, case.id, Return(Level.VILLAGE, D(2026, 11, 3), "张社长", ("住院发票原件", "诊断证明")),
                   "王会计", version=view.version)
    out = io.BytesIO()
    assert printing.print_letter(ctx, case.case_no, out, "李主任") == "missing"
    pages = pages_of(out.getvalue())
    t = flat(pages[0])
    assert len(pages) == 1 and "1.住院发票原件" in t and "2.诊断证明" in t
    # 10 working days after Tue 3 Nov, the 10th a holiday: Wed 18 Nov
    assert "请于2026年11月18日前（10个工作日内）" in t and "逾期未补齐的" in t
    assert "2026年11月3日" in t and "2026年11月20日" not in t  # the return's date, not the print date
    assert "经办人：王会计" in t and "联系电话：0563-2019999" in t
    assert "张三：" in pages[0]  # the greeting keeps its colon
    no_line_starts_with_closing_punctuation(pages)


def test_refusal_letter_is_dated_on_the_decision_and_says_where_to_object(ctx, society_id) -> None:
    settle(ctx, society_id, contact_phone="13905631234", appeal_days=60,
           appeal_to="水阳镇人民政府社会事务办公室（水阳镇政府大院2号楼）")
    case = intake.register_application(ctx, society_id, application(applied_on=D(2026, 11, 2)), "王会计")
    view = review.case_view(ctx, case.id, "王会计")
    reasons = "经入户调查，家庭人均收入高于本地救助标准，" * 6 + "不符合救急难救助条件。"
    review.perform(ctx, case.id, Reject(Level.VILLAGE, D(2026, 11, 4), "张社长", reasons), "李主任",
                   version=view.version)
    out = io.BytesIO()
    assert printing.print_letter(ctx, case.case_no, out, "王会计") == "rejection"
    pages = pages_of(out.getvalue())
    t = flat(pages[0])
    assert "不予救助告知书" in t and "不符合救急难救助条件" in t
    assert "自收到本告知书之日起60日内，向水阳镇人民政府社会事务办公室（水阳镇政府大院2号楼）提出" in t
    assert "2026年11月4日" in t and "2026年11月20日" not in t
    # 经办人: the clerk who registered the case, not 李主任 who only recorded the refusal
    assert "经办人：王会计" in t and "联系电话：13905631234" in t
    no_line_starts_with_closing_punctuation(pages)


@pytest.mark.parametrize("name", ["张三", "欧阳明", "阿卜杜热合曼", "张" * 12, "王" * 35])
def test_no_letter_line_starts_with_closing_punctuation(ctx, society_id, name) -> None:  # noqa: ANN001
    """Names of every length move the punctuation of the body about; none may lead a line."""
    case = intake.register_application(ctx, society_id, application(applied_on=D(2026, 11, 2),
                                                                     applicant_name=name[:30],
                                                                     account_holder=name[:30]), "王会计")
    view = review.case_view(ctx, case.id, "王会计")
    missing = tuple(f"{'材' * (i % 7)}证明（原件）、复印件；" for i in range(1, 12))
    review.perform(ctx, case.id, Return(Level.VILLAGE, D(2026, 11, 3), "张社长", missing), "王会计",
                   version=view.version)
    out = io.BytesIO()
    printing.print_letter(ctx, case.case_no, out, "王会计")
    pages = pages_of(out.getvalue())
    assert f"{name[:30]}：" in flat(pages[0])
    no_line_starts_with_closing_punctuation(pages)


# --- 禁则 in base.para ------------------------------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from jiujinan.printing.base import CANNOT_END, para, style  # noqa: E402

PIECES = ["张三", "救助", "申请", "：", "，", "。", "、", "；", "）", "（", "》", "《", "！", "？", "”", "“",
          "电话0563-2012345", "编号341802100201-2026-00017", "计1,800.00元", "2026年11月9日", "\n", "　"]


def wrapped(text: str, width: float, *, breaks: list[bool] | None = None) -> list[str]:
    """The lines ``text`` wraps into; ``breaks`` gets whether each ends at a typed newline."""
    p = para(text, style(10.5))
    p.wrap(width, 10_000)
    if breaks is not None:
        breaks += [bool(getattr(line, "lineBreak", False)) for line in p.blPara.lines]
    return ["".join(w.text for w in line.words) for line in p.blPara.lines]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60), st.floats(min_value=60, max_value=500))
def test_wrapped_lines_keep_the_rules(pieces: list[str], width: float) -> None:
    """Any mix of words, punctuation and numbers at any width: no line starts with closing or ends
    with opening punctuation unless a run longer than the line forced it, no line is wider than
    the column, and no character is lost."""
    text = "".join(pieces)
    breaks: list[bool] = []
    lines = wrapped(text, width, breaks=breaks)
    assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", text)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for before, typed, line in zip([""] + lines, [True] + breaks, lines):
        assert stringWidth(line, "WQY", 10.5) <= width + 0.01 or len(line) == 1
        if not typed:  # a line the wrapping began, not the writer's newline
            # a run of marks (and spaces) wider than the line leaves no allowed break
            forced = len(before) == 1 or all(c in CANNOT_START or c.isspace() for c in before[1:])
            assert line[:1] not in CANNOT_START or forced, (before, line)
            assert before[-1:] not in CANNOT_END or len(before) == 1, (before, line)
    for number in ("0563-2012345", "341802100201-2026-00017", "1,800.00"):
        # never split where it fits on a line with the brackets and marks it may carry along
        if stringWidth(number, "WQY", 10.5) + 4 * 10.5 <= width:
            assert text.count(number) == sum(line.count(number) for line in lines), (number, lines)


def test_a_greeting_keeps_its_colon_at_every_width() -> None:
    for width in range(22, 200, 3):  # from two characters a line
        lines = wrapped("欧阳明月：", width)
        assert all(line[:1] not in CANNOT_START for line in lines), (width, lines)
        assert lines[-1].endswith("月：") or len(lines[-1]) > 1
