"""Each screen reads again only what an operation changed (the runner's look at the audit
chain after each change), not everything after every save."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt

from jiujinan.ui.fund_dialogs import ContributionDialog
from jiujinan.ui.main_window import MainWindow
from tests.ui.test_application_form import fill_valid_form
from tests.ui.typing import type_text


@pytest.fixture
def window(qtbot, session, monkeypatch):  # noqa: ANN001, ANN201
    window = MainWindow(session)
    qtbot.addWidget(window)
    session.ops.look()  # where things stand once the window is up
    window.reads = Counter()
    for name, screen, method in (("cases", window.case_page, "refresh"), ("fund", window.fund_page, "reload"),
                                 ("todo", window.todo_page, "reload"), ("settings", window.settings_page, "reload")):
        original = getattr(screen, method)
        monkeypatch.setattr(screen, method, lambda *a, n=name, f=original: (window.reads.update([n]), f(*a)))
    return window


def test_money_in_reloads_the_fund_and_no_case_screen(qtbot, window) -> None:  # noqa: ANN001
    dialog = ContributionDialog(window.ui, window.fund_page)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.payer, "青山村村委会")
    type_text(qtbot, dialog.amount, "300.00")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == ContributionDialog.DialogCode.Accepted
    assert window.reads == Counter({"fund": 1})


def test_a_new_application_reloads_the_cases_and_the_fund_not_the_settings(qtbot, window) -> None:  # noqa: ANN001
    form = window.case_page.new_application()
    fill_valid_form(qtbot, form)
    form.save()
    assert form.saved_case is not None
    assert window.reads == Counter({"cases": 1, "fund": 1, "todo": 1})


def test_a_refused_save_reloads_nothing(qtbot, window) -> None:  # noqa: ANN001
    dialog = ContributionDialog(window.ui, window.fund_page)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.amount, "300.00")  # no payer: refused by the fund's rules
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.banner.isVisible() or any(box.has_error() for box in dialog.boxes.values())
    assert window.reads == Counter()
