"""The application form's field table: every field of an application once, and what the form
shows reads back as it was."""

import datetime as dt
from dataclasses import fields

from jiujinan.cases.application import FIELD_LABELS, ApplicationInput
from jiujinan.ui.application_fields import FIELDS, INPUTS
from jiujinan.ui.application_form import ApplicationForm
from tests.conftest import application, make_id


def test_the_table_holds_every_field_of_an_application_once() -> None:
    names = [spec.name for spec in INPUTS]
    assert sorted(names) == sorted(f.name for f in fields(ApplicationInput))  # errors are tied to these names
    assert len({spec.widget_attr for spec in FIELDS}) == len(FIELDS)
    assert all(spec.name in FIELD_LABELS for spec in FIELDS)


def test_what_the_form_shows_reads_back_the_same(qtbot, session) -> None:  # noqa: ANN001
    typed = application(
        sex="F", id_number=make_id(birth="19820917", seq="21", sex_digit="4"), residence="lives_with",
        hukou_address="宣城市宣州区水阳镇", household_size="4", household_type="tekun",
        members=[("李四", "配偶", "", "58", "务农"), ("张小五", "子", "", "", "")], cause="disaster",
        hardship="房屋被洪水冲毁。\n第二行。", requested_yuan="1500.50", other_aid="临时救助500元",
        payment_method="one_card", agent_name="王五", agent_id_number=make_id(birth="19900101", seq="11"),
        agent_relation="女婿", agent_has_poa=True, applied_on=dt.date(2026, 10, 8), repeat_reason="病情加重",
    )
    form = ApplicationForm(session)
    qtbot.addWidget(form)
    form._fill(typed)
    assert form.form_input() == typed
    assert form.birth.text() == "1982-09-17"
    assert (form.name.text(), form.requested.text(), form.sex.currentText()) == ("张三", "1500.50", "女")


def test_a_new_form_starts_from_the_application_s_defaults(qtbot, session) -> None:  # noqa: ANN001
    form = ApplicationForm(session)
    qtbot.addWidget(form)
    assert form.form_input() == ApplicationInput(applied_on=session.ctx.clock.today())
    assert (form.household_type.currentText(), form.payment_method.currentText()) == ("一般", "银行转账")
    assert form.sex.currentText() == "（按身份证号）" and form.cause.currentText() == "（请选择）"
