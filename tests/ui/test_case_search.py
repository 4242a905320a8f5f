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


def test_full_width_digits_find_and_text_that_cannot_match_lists_all(qtbot, session) -> None:  # noqa: ANN001
    """A Chinese input method types ２７０８; NUL, U+10FFFF or a lone surrogate pasted in
    neither fails nor matches: the list is as with an empty box, and Enter opens nothing."""
    for name, number in (("张小五", make_id("19650314", "12", "3")), ("李大勇", make_id("19721109", "45", "1"))):
        intake.register_application(session.ctx, session.society_id,
                                    application(applicant_name=name, id_number=number), "王会计")
    page = CaseListPage(session)
    qtbot.addWidget(page)
    masked = page.model.data(page.model.index(1, 2))
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in masked[-4:])
    type_text(qtbot, page.search, full_width + "\n")
    assert page.model.rowCount() == 1 and page.model.data(page.model.index(0, 2)) == masked
    for text in ("\x00", "\U0010FFFF", "\udcff", "\u200b"):
        page.search.setText(text)
        assert page.open_first_match() is None
        assert page.model.rowCount() == 2 and page.count_label.text() == "共 2 件"
