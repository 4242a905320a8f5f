"""The clerk finds a case by what is in front of them: the last four digits on the masked
list or a paper, or the given name someone says on the phone."""

from jiujinan.services import intake
from jiujinan.ui.case_list_page import CaseListPage
from tests.conftest import application, make_id
from tests.ui.typing import type_text


def test_the_last_four_digits_or_a_given_name_find_the_case(qtbot, session) -> None:  # noqa: ANN001
    for name, number in (("张小五", make_id("19650314", "12", "3")), ("李大勇", make_id("19721109", "45", "1"))):
        intake.register_application(session.ctx, session.society_id,
                                    application(applicant_name=name, id_number=number), "王会计")
    page = CaseListPage(session)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 2
    masked = page.model.data(page.model.index(1, 2))  # as the list shows it: only the last four are readable
    type_text(qtbot, page.search, masked[-4:] + "\n")
    assert page.model.rowCount() == 1 and page.model.data(page.model.index(0, 2)) == masked
    page.search.clear()
    type_text(qtbot, page.search, "小五\n")
    assert page.model.rowCount() == 1 and page.model.data(page.model.index(0, 1)) == "张小五"
