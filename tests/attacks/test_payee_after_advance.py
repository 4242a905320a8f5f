"""Issue 15, part 5 (attack review M1): after a second person approved a case's 先行救助, its
entrant edited the application, put his own account and name as the payee, and paid the
advance himself (he had not approved it, so the payment duty let him). The approver approved
paying one account; the money went to another. Each test fails if the attack works again."""

from __future__ import annotations

import dataclasses

import pytest

from jiujinan.cases.application import as_input
from jiujinan.cases.enums import PaymentMethod
from jiujinan.cases.errors import DomainError
from jiujinan.cases.fund import PaymentInput
from jiujinan.cases.review import Emergency
from jiujinan.services import fund, intake, review
from tests.conftest import TODAY, application, make_id

REFUSED = "先行救助已批准：收款人和账户不能再改"
MINE = "6222020200000000999"


@pytest.fixture
def case_id(ctx, society_id) -> int:  # noqa: ANN001
    """A case 王会计 entered, whose ¥2,000 advance 李主任 approved for the account on file."""
    case = intake.register_application(ctx, society_id, application(requested_yuan="2000"), "王会计")
    review.perform(ctx, case.id, Emergency(TODAY, "张社长", "火灾后无处居住", 200_000), "李主任",
                   version=review.case_view(ctx, case.id, "王会计").version)
    return case.id


def _edit(ctx, case_id: int, **changes: object):  # noqa: ANN001, ANN202
    stored = intake.load(ctx, case_id, "王会计")
    return intake.update_application(ctx, case_id, dataclasses.replace(as_input(stored.application), **changes),
                                     "王会计", version=stored.version)


@pytest.mark.parametrize("changes", [
    {"account_no": MINE, "account_holder": "王会计"},
    {"account_no": MINE},
    {"applicant_name": "王会计"},
    {"id_number": make_id(seq="77")},
    {"payment_method": PaymentMethod.CASH.value, "bank_name": "", "account_no": "", "account_holder": ""},
    {"bank_name": "中国建设银行"},
    {"agent_name": "王会计", "agent_id_number": make_id(seq="55"), "agent_relation": "亲属",
     "agent_has_poa": True},
])
def test_the_entrant_cannot_redirect_an_approved_advance(ctx, case_id, changes) -> None:  # noqa: ANN001
    before = intake.load(ctx, case_id, "王会计")
    with pytest.raises(DomainError, match=REFUSED):
        _edit(ctx, case_id, **changes)
    after = intake.load(ctx, case_id, "王会计")
    assert after.application == before.application and after.version == before.version
    view = review.case_view(ctx, case_id, "王会计")
    fund.pay(ctx, case_id, PaymentInput(TODAY, PaymentMethod.BANK, 200_000, ""), "王会计", version=view.version)
    paid = review.case_view(ctx, case_id, "王会计").case.application
    assert paid.account_no == before.application.account_no != MINE  # paid to the account approved


def test_the_message_names_the_fields_and_the_way_out(ctx, case_id) -> None:  # noqa: ANN001
    with pytest.raises(DomainError) as refused:
        _edit(ctx, case_id, account_no=MINE, account_holder="王会计")
    assert str(refused.value) == (f"{REFUSED}（账号、户名）；确需更改，请撤回本案后重新登记，由他人再批准先行救助")
    view = review.case_view(ctx, case_id, "王会计")
    fund.pay(ctx, case_id, PaymentInput(TODAY, PaymentMethod.BANK, 200_000, ""), "王会计", version=view.version)
    with pytest.raises(DomainError, match=f"{REFUSED}（账号）；已发放的款项不能改收款人"):
        _edit(ctx, case_id, account_no=MINE)


def test_other_fields_stay_editable_after_the_advance(ctx, case_id) -> None:  # noqa: ANN001
    saved = _edit(ctx, case_id, hardship="火灾烧毁住房两间，现借住亲戚家。", phone="13905639999")
    assert saved.application.hardship == "火灾烧毁住房两间，现借住亲戚家。"


def test_before_any_advance_the_payee_can_still_be_corrected(ctx, society_id) -> None:  # noqa: ANN001
    case = intake.register_application(ctx, society_id, application(requested_yuan="2000"), "王会计")
    assert _edit(ctx, case.id, account_no=MINE).application.account_no == MINE


def test_the_form_shows_the_refusal_beside_it(ctx, society_id, case_id, tmp_path, qapp) -> None:  # noqa: ANN001
    from jiujinan.ui.application_form import ApplicationForm
    from jiujinan.ui.fonts import register_bundled_font
    from jiujinan.ui.prefs import Preferences
    from jiujinan.ui.session import UiSession

    register_bundled_font()
    session = UiSession(ctx, Preferences(tmp_path / "prefs.ini"), society_id, "王会计")
    form = ApplicationForm(session, intake.load(ctx, case_id, "王会计"))
    form.account_no.setText(MINE)
    form.account_holder.setText("王会计")
    form.save()
    assert form.result() != ApplicationForm.DialogCode.Accepted
    assert REFUSED in form.banner.text() and not form.banner.isHidden()
    assert intake.load(ctx, case_id, "王会计").application.account_no != MINE
    form.ask_discard = lambda: True
    form.close()
