"""One reader for what a person types for a step: the step dialog and ``case act`` give the
same step for the same words (cases/step_input.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from jiujinan.cases.enums import Level, StepKind
from jiujinan.cases.errors import DomainError, ValidationError
from jiujinan.cases.review import Decide, Return, Visit
from jiujinan.cases.step_input import BY_COMMAND, FORMS, STEPS, build_step, from_command, split_lines

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize("typed", ["张三、李四", "张三，李四", "张三,李四", "张三；李四", " 张三 , 李四 ,"])
def test_investigators_are_the_same_two_people_in_the_dialog_and_on_the_command_line(typed: str) -> None:
    dialog = build_step(StepKind.VISIT, {"on": TODAY, "investigators": typed, "findings": "属实",
                                         "household_signed": True}, level=Level.VILLAGE, today=TODAY)
    command = from_command("visit", ["date=2026-12-01", f"investigators={typed}", "findings=属实",
                                     "household_signed=是"], level=None, today=TODAY)
    assert dialog == command == Visit(TODAY, ("张三", "李四"), "属实", True)


def test_missing_material_is_one_item_per_line_or_per_key() -> None:
    assert split_lines("住院发票原件（含复印件，盖章）\n\n 诊断证明 ") == ("住院发票原件（含复印件，盖章）", "诊断证明")
    dialog = build_step(StepKind.RETURN, {"on": TODAY, "signer": "钱镇长", "missing": "住院发票原件\n诊断证明"},
                        level=Level.TOWN, today=TODAY)
    command = from_command("return", ["level=town", "date=12-1", "signer=钱镇长", "missing=住院发票原件",
                                      "missing=诊断证明"], level=None, today=TODAY)
    assert dialog == command == Return(Level.TOWN, TODAY, "钱镇长", ("住院发票原件", "诊断证明"))


def test_a_decision_without_an_opinion_says_the_usual_word() -> None:
    step = from_command("decide", ["level=村", "date=2026-12-01", "signer=张社长", "amount=1,800"], level=None,
                        today=TODAY)
    assert step == Decide(Level.VILLAGE, TODAY, "张社长", "同意", 180000, "")


@pytest.mark.parametrize(("command", "pairs", "said"), [
    ("visit", ["date=2026-12-01"], "入户调查（visit）缺少：调查人（investigators=）、调查结论（findings=）"),
    ("decide", ["date=2026-12-01"], "审批（decide）缺少：层级（level=）、签字人（signer=）、金额（amount=）"),
    ("withdraw", [], "撤回（withdraw）缺少：日期（date=）、理由（reason=）"),
    ("notice", ["2026-12-01"], "参数应为 KEY=VALUE：2026-12-01"),
    ("notice", ["date=2026-12-01", "place=甲", "place=乙"], "place= 给了两次，请只给一次"),
    ("decide", ["level=村", "date=2026-12-01", "signer=张", "amuont=1"],
     "审批（decide）没有 amuont= 这一项；可填：date= signer= opinion= amount= over_request_reason= level="),
    ("visit", ["date=2026-12-01", "level=村"], "入户调查（visit）没有 level= 这一项；可填：date= investigators= findings= household_signed="),
    ("decide", ["level=省", "date=2026-12-01", "signer=张", "amount=1"], "level 应为 village/town/district（村/乡镇/区），不是“省”"),
])
def test_what_the_command_line_lacks_is_said_by_the_names_a_clerk_knows(command: str, pairs: list[str],
                                                                         said: str) -> None:
    with pytest.raises(DomainError) as err:
        from_command(command, pairs, level=None, today=TODAY)
    assert str(err.value) == said


def test_a_bad_amount_or_date_is_tied_to_its_field() -> None:
    with pytest.raises(ValidationError) as err:
        build_step(StepKind.EMERGENCY, {"on": TODAY, "signer": "张", "reason": "火灾", "amount": "1.234"},
                   level=Level.VILLAGE, today=TODAY)
    assert [e.field for e in err.value.errors] == ["amount"]
    with pytest.raises(ValidationError) as err:
        from_command("close", ["date=2026-13-01"], level=None, today=TODAY)
    assert [e.field for e in err.value.errors] == ["date"]


def test_every_step_has_one_form_one_command_and_a_date_first() -> None:
    assert set(FORMS) == {form.kind for form in STEPS} and len(BY_COMMAND) == len(STEPS)
    assert all(form.fields[0].name == "on" and form.fields[0].command_key == "date" for form in STEPS)
    for form in STEPS:  # every field the dialog shows reaches the step
        names = [f.name for f in form.fields]
        assert len(names) == len(set(names))
