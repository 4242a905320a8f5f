"""The application form's rules, and the applicant history with 一事一救."""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, strategies as st

from jiujinan.cases.application import (
    application_editable, check_application_editable, check_case_year_kept, validate_application,
)
from jiujinan.cases.enums import Cause, CaseStatus, Sex
from jiujinan.cases.errors import DomainError, ValidationError
from jiujinan.cases.history import PriorCase, RepeatApplication, check_repeat, one_event_clash, summarize_history
from tests.conftest import TODAY, application, make_id


def errors_of(**changes: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        validate_application(application(**changes), TODAY)
    return {e.field: e.message for e in info.value.errors}


def test_a_complete_application_is_valid_and_reads_the_id() -> None:
    app = validate_application(application(), TODAY)
    assert app.sex is Sex.MALE
    assert app.birth_date == dt.date(1965, 3, 14)
    assert app.requested_fen == 200000
    assert [m.name for m in app.members] == ["李四", "张小五"]


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"applicant_name": ""}, "applicant_name", "请填写"),
        ({"applicant_name": "张" * 31}, "applicant_name", "最多30"),
        ({"applicant_name": "张\x07三"}, "applicant_name", "控制字符"),
        ({"applicant_name": "张\u202e三"}, "applicant_name", "控制字符"),
        ({"id_number": make_id()[:-1] + "0" if make_id()[-1] != "0" else make_id()[:-1] + "1"}, "id_number", "校验位"),
        ({"sex": "F"}, "sex", "不符"),
        ({"phone": "12345"}, "phone", "格式"),
        ({"phone": ""}, "phone", "请填写"),
        ({"requested_yuan": "100.005"}, "requested_yuan", "两位小数"),
        ({"requested_yuan": "-100"}, "requested_yuan", "负数"),
        ({"requested_yuan": "0"}, "requested_yuan", "大于零"),
        ({"cause": ""}, "cause", "请选择"),
        ({"hardship": "  "}, "hardship", "请填写"),
        ({"hardship": "难" * 3000}, "hardship", "最多2000"),
        ({"household_size": "2"}, "household_size", "不能少于"),
        ({"household_size": "x"}, "household_size", "整数"),
        ({"account_no": "6228-abc"}, "account_no", "数字"),
        ({"bank_name": ""}, "bank_name", "开户银行"),
        ({"agent_name": "李四"}, "agent_id_number", "身份证"),
        ({"agent_name": "李四", "agent_id_number": make_id(seq="33"), "agent_relation": "配偶"},
         "agent_has_poa", "授权委托书"),
        ({"applied_on": TODAY + dt.timedelta(days=1)}, "applied_on", "晚于今天"),
        ({"members": [("", "子", "")]}, "members", "姓名"),
        ({"members": [("王五", "子", "123")]}, "members", "18位"),
    ],
)
def test_each_bad_field_is_reported_with_its_reason(changes: dict, field: str, reason: str) -> None:
    errors = errors_of(**changes)
    assert field in errors, errors
    assert reason in errors[field]


def test_every_error_is_reported_at_once() -> None:
    errors = errors_of(applicant_name="", phone="1", requested_yuan="1.234", cause="")
    assert {"applicant_name", "phone", "requested_yuan", "cause"} <= set(errors)


def test_cash_needs_no_account_and_drops_one_typed() -> None:
    app = validate_application(application(payment_method="cash", bank_name="", account_no="123"), TODAY)
    assert (app.bank_name, app.account_no) == ("", "")


def test_multiline_hardship_is_kept_and_emoji_refused() -> None:
    app = validate_application(application(hardship="第一行\r\n第二行，体温39℃ ☎"), TODAY)
    assert app.hardship == "第一行\n第二行，体温39℃ ☎"
    with pytest.raises(ValidationError) as info:  # the form's font has no emoji: they would print as boxes
        validate_application(application(hardship="谢谢 🙏"), TODAY)
    assert "表情符号" in info.value.errors[0].message


def prior(case_no: str, cause: Cause, applied: dt.date, paid: int = 0,
          status: CaseStatus = CaseStatus.PAID) -> PriorCase:
    return PriorCase(case_no, cause, applied, status, paid or 100000, paid,
                     applied + dt.timedelta(days=20) if paid else None)


def test_history_counts_aid_received_and_last_payment() -> None:
    history = summarize_history(
        [prior("A-2025-1", Cause.ILLNESS, dt.date(2025, 3, 1), 150000),
         prior("A-2026-3", Cause.DISASTER, dt.date(2026, 6, 1), 80000),
         prior("A-2026-9", Cause.ACCIDENT, dt.date(2026, 9, 1), status=CaseStatus.ACCEPTED)],
        Cause.ILLNESS, dt.date(2026, 10, 1))
    assert (history.case_count, history.times_aided, history.total_paid_fen) == (3, 2, 230000)
    assert (history.last_paid_on, history.last_paid_fen) == (dt.date(2026, 6, 21), 80000)
    assert history.one_event_warning() is None  # the illness was last year


@pytest.mark.parametrize(
    ("status", "warned"),
    [(CaseStatus.PAID, True), (CaseStatus.ACCEPTED, True), (CaseStatus.REJECTED, False)],
)
def test_one_event_one_aid_names_the_earlier_case(status: CaseStatus, warned: bool) -> None:
    paid = 200000 if status is CaseStatus.PAID else 0
    history = summarize_history([prior("341802100201-2026-00003", Cause.ILLNESS, dt.date(2026, 2, 1),
                                       paid, status)], Cause.ILLNESS, dt.date(2026, 3, 1))
    warning = history.one_event_warning()
    assert bool(warning) is warned and one_event_clash(history) is warned  # the flag the review keeps
    if warned:
        assert "341802100201-2026-00003" in warning and "因病" in warning


def test_editing_a_case_does_not_warn_about_itself() -> None:
    cases = [prior("X-1", Cause.ILLNESS, dt.date(2026, 2, 1))]
    assert summarize_history(cases, Cause.ILLNESS, dt.date(2026, 2, 1), "X-1").one_event_warning() is None


def test_only_the_later_case_is_the_repeat() -> None:
    """一事一救 looks back only: the earlier of two cases goes on alone, the later needs a reason."""
    first = prior("A-2026-00001", Cause.ILLNESS, dt.date(2026, 3, 1), status=CaseStatus.ACCEPTED)
    second = prior("A-2026-00002", Cause.ILLNESS, dt.date(2026, 3, 1), status=CaseStatus.ACCEPTED)
    later = prior("A-2026-00003", Cause.ILLNESS, dt.date(2026, 5, 1), status=CaseStatus.ACCEPTED)
    both = [first, second, later]
    assert summarize_history(both, Cause.ILLNESS, first.applied_on, first.case_no).same_cause_this_year == ()
    # the lower running number is the earlier one
    assert summarize_history(both, Cause.ILLNESS, second.applied_on, second.case_no).same_cause_this_year == (first,)
    assert summarize_history(both, Cause.ILLNESS, later.applied_on, later.case_no).same_cause_this_year == (
        first, second)
    # a new application comes after every stored case, even one applied later in the year
    assert len(summarize_history(both, Cause.ILLNESS, dt.date(2026, 3, 1)).same_cause_this_year) == 3
    # a longer running number is a later one
    big = prior("A-2026-100000", Cause.ILLNESS, dt.date(2026, 3, 1), status=CaseStatus.ACCEPTED)
    assert summarize_history([big, first], Cause.ILLNESS, big.applied_on, big.case_no).same_cause_this_year == (first,)


def test_the_repeat_is_the_case_registered_second_whatever_date_was_typed() -> None:
    """一事一救 by registration order: a second case backdated before the first is still the
    repeat, and the first (paid) case is not made one by it."""
    paid = prior("341802100201-2026-00007", Cause.ILLNESS, dt.date(2026, 6, 1), 200000)
    backdated = prior("341802100201-2026-00012", Cause.ILLNESS, dt.date(2026, 1, 5),
                      status=CaseStatus.ACCEPTED)
    both = [paid, backdated]
    assert summarize_history(both, Cause.ILLNESS, backdated.applied_on, backdated.case_no) \
        .same_cause_this_year == (paid,)
    assert summarize_history(both, Cause.ILLNESS, paid.applied_on, paid.case_no).same_cause_this_year == ()
    # a new application backdated before both comes last all the same
    assert len(summarize_history(both, Cause.ILLNESS, dt.date(2026, 1, 1)).same_cause_this_year) == 2


@given(st.lists(st.tuples(st.integers(min_value=1, max_value=5), st.integers(min_value=1, max_value=300)),
                min_size=2, max_size=6, unique_by=lambda t: t[1]))
def test_of_two_cases_exactly_one_is_the_earlier(cases: list[tuple[int, int]]) -> None:
    """Whatever the dates and numbers, of two open cases of one cause and year exactly one
    lists the other as earlier: never both (the old rule blocked both), never neither."""
    priors = [prior(f"A-2026-{seq:05d}", Cause.ILLNESS, dt.date(2026, month, 1), status=CaseStatus.ACCEPTED)
              for month, seq in cases]
    earlier = {p.case_no: {e.case_no for e in summarize_history(priors, Cause.ILLNESS, p.applied_on, p.case_no)
                                                  .same_cause_this_year} for p in priors}
    for a in priors:
        for b in priors:
            if a is not b:
                assert (b.case_no in earlier[a.case_no]) != (a.case_no in earlier[b.case_no])


def test_a_withdrawn_case_counts_in_no_history() -> None:
    gone = prior("A-2026-00001", Cause.ILLNESS, dt.date(2026, 3, 1), status=CaseStatus.WITHDRAWN)
    history = summarize_history([gone], Cause.ILLNESS, dt.date(2026, 6, 1))
    assert (history.case_count, history.times_aided, history.same_cause_this_year) == (0, 0, ())
    check_repeat(history, "")  # nothing earlier: registered without a word


def test_a_repeat_is_registered_only_with_a_reason() -> None:
    earlier = prior("341802100201-2026-00003", Cause.ILLNESS, dt.date(2026, 2, 1), 200000)
    history = summarize_history([earlier], Cause.ILLNESS, dt.date(2026, 6, 1))
    with pytest.raises(RepeatApplication) as info:
        check_repeat(history, "  ")
    assert info.value.earlier == (earlier,)
    assert "341802100201-2026-00003" in str(info.value) and "2,000.00" in str(info.value)
    check_repeat(history, "病情复发再次住院")


def test_application_as_dict_is_plain() -> None:
    values = validate_application(application(), TODAY).as_dict()
    assert values["sex"] == "M" and values["members"][0] == ["李四", "配偶", "", None, ""]
    assert all(not dataclasses.is_dataclass(v) for v in values.values())


def test_a_stored_application_shows_as_typed_and_merges_a_newer_save() -> None:
    from jiujinan.cases.application import as_input, merge_newer

    typed = application(requested_yuan="2000")
    stored = validate_application(typed, TODAY)
    assert validate_application(as_input(stored), TODAY) == stored
    newer = validate_application(application(requested_yuan="3000", bank_name="中国银行"), TODAY)
    mine = application(requested_yuan="2500", phone="13905630000")  # this clerk's edits, not yet saved
    merged, theirs = merge_newer(mine, stored, newer)
    assert theirs == ["requested_yuan", "bank_name"]
    assert (merged.requested_yuan, merged.bank_name, merged.phone) == ("3000.00", "中国银行", "13905630000")


def test_the_history_of_a_case_is_what_came_before_it() -> None:
    """此前: an earlier case, opened or reprinted, does not count the person's later cases."""
    cases = [prior("341802100201-2025-00040", Cause.DISASTER, dt.date(2025, 6, 1), paid=50_000),
             prior("341802100201-2026-00001", Cause.ILLNESS, dt.date(2026, 11, 25)),
             prior("341802100201-2026-00003", Cause.ILLNESS, dt.date(2026, 12, 1), paid=100_000)]
    first = summarize_history(cases, Cause.ILLNESS, dt.date(2026, 11, 25), "341802100201-2026-00001")
    assert (first.case_count, first.times_aided, first.total_paid_fen) == (1, 1, 50_000)  # last year's only
    later = summarize_history(cases, Cause.ILLNESS, dt.date(2026, 12, 1), "341802100201-2026-00003")
    assert (later.case_count, later.times_aided) == (2, 1)
    new = summarize_history(cases, Cause.ILLNESS, dt.date(2026, 12, 1))
    assert (new.case_count, new.times_aided, new.total_paid_fen) == (3, 1, 50_000)  # 00003 is paid on 12-21
    after = summarize_history(cases, Cause.ILLNESS, dt.date(2026, 12, 22))
    assert (after.case_count, after.times_aided, after.total_paid_fen) == (3, 2, 150_000)


def test_aid_paid_after_the_application_is_not_earlier_aid() -> None:
    """此前救助 on a reprinted form: an earlier case paid after this one was applied for is
    an earlier application, not aid the person had received when applying."""
    cases = [prior("341802100201-2026-00001", Cause.DISASTER, dt.date(2026, 3, 1), paid=80_000)]  # paid 3-21
    on_the_tenth = summarize_history(cases, Cause.ILLNESS, dt.date(2026, 3, 10), "341802100201-2026-00002")
    assert (on_the_tenth.case_count, on_the_tenth.times_aided, on_the_tenth.total_paid_fen) == (1, 0, 0)
    in_april = summarize_history(cases, Cause.ILLNESS, dt.date(2026, 4, 1), "341802100201-2026-00002")
    assert (in_april.times_aided, in_april.total_paid_fen, in_april.last_paid_fen) == (1, 80_000, 80_000)


# Until the village decides (and while material is awaited) the application may be edited.
EDITABLE = {CaseStatus.ACCEPTED: True, CaseStatus.INVESTIGATED: True, CaseStatus.DELIBERATED: True,
            CaseStatus.NOTICE: True, CaseStatus.RETURNED: True, CaseStatus.VILLAGE_APPROVED: False,
            CaseStatus.TOWN_APPROVED: False, CaseStatus.AWAITING_PAYMENT: False, CaseStatus.PAID: False,
            CaseStatus.CLOSED: False, CaseStatus.REJECTED: False, CaseStatus.WITHDRAWN: False}


@pytest.mark.parametrize("status", list(CaseStatus))
def test_which_statuses_may_be_edited(status: CaseStatus) -> None:
    assert application_editable(status) is EDITABLE[status]
    if EDITABLE[status]:
        check_application_editable(status)
    else:
        with pytest.raises(DomainError, match=f"^案件已{status.label}，申请内容不能再修改$"):
            check_application_editable(status)


@pytest.mark.parametrize(("old", "new", "kept"), [
    (dt.date(2026, 3, 1), dt.date(2026, 12, 31), True),
    (dt.date(2026, 1, 1), dt.date(2026, 1, 1), True),
    (dt.date(2026, 1, 2), dt.date(2025, 12, 31), False),  # the case number carries 2026
    (dt.date(2026, 12, 31), dt.date(2027, 1, 1), False),
])
def test_the_application_date_stays_in_the_case_year(old: dt.date, new: dt.date, kept: bool) -> None:
    if kept:
        check_case_year_kept(old, new)
    else:
        with pytest.raises(DomainError, match="申请日期不能改到另一年（案件编号含年份）"):
            check_case_year_kept(old, new)
