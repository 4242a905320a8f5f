"""Qt's own words in Chinese, and windows that fit a 1366×768 screen (part of issue 14)."""

from PySide6.QtCore import QDate, QLocale, QRect, Qt
from PySide6.QtWidgets import QDialogButtonBox

from jiujinan.services import intake, printing
from jiujinan.ui.case_dialog import CaseDialog
from jiujinan.ui.print_page import PrintPage
from tests.conftest import application
from tests.ui.typing import type_text

SCREEN_1366 = QRect(0, 0, 1366, 728)  # 1366×768 less a 40-pixel taskbar


def test_standard_buttons_and_dates_are_chinese(qtbot) -> None:  # noqa: ANN001
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                               | QDialogButtonBox.StandardButton.Save)
    qtbot.addWidget(buttons)
    assert sorted(b.text() for b in buttons.buttons()) == sorted(["确定", "取消", "保存"])
    assert QLocale().language() == QLocale.Language.Chinese
    assert QLocale().monthName(11) == "十一月" and QLocale().toString(QDate(2026, 11, 20), "dddd") == "星期五"


def test_the_form_preview_fits_the_screen_and_names_the_paper(qtbot, session, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr("jiujinan.ui.screen_fit.available_rect", lambda _w: SCREEN_1366)
    case = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    dialog = CaseDialog(session, case.id)
    qtbot.addWidget(dialog)
    preview = dialog.print_paper("form")
    assert preview is not None
    assert preview.windowTitle() == f"预览：审批表 {case.case_no}"
    assert preview.width() <= 1366 - 16 and preview.height() <= 728 - 40
    preview.show()
    qtbot.waitExposed(preview)
    for button in preview.findChildren(type(dialog.letter_button)):
        if button.isVisible():  # 打印… 另存为PDF… 关闭: inside the window, so on the screen
            assert preview.rect().contains(button.geometry().translated(button.parentWidget().pos()))


def test_a_landscape_roster_is_shown_at_the_width_of_the_view(qtbot, session, tmp_path) -> None:  # noqa: ANN001
    page = PrintPage(session)
    qtbot.addWidget(page)
    page.resize(1100, 650)
    page.show()
    qtbot.waitExposed(page)
    page.paper.setCurrentIndex(page.paper.findData("roster"))
    page.make_preview()
    view = page.preview
    qtbot.waitUntil(lambda: view.page_count() == 1)
    pixmap = view.pages.itemAt(0).widget().pixmap()
    assert pixmap.width() > pixmap.height()  # landscape
    assert pixmap.width() <= view.viewport().width()  # all of it across, no sideways scrolling
    assert view.horizontalScrollBar().maximum() == 0
    # A narrower window shrinks it again.
    page.resize(900, 650)
    qtbot.waitUntil(lambda: view.pages.itemAt(0).widget().pixmap().width() <= view.viewport().width())


def test_an_error_line_keeps_the_amount_box_and_goes_once_the_amount_is_right(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(2)
    dialog = window.fund_page.add_contribution()  # 资金 → 登记收入…, as a clerk opens it
    qtbot.waitExposed(dialog)
    before = dialog.amount.size()
    dialog.ok_button.click()
    box = dialog.boxes["amount"]
    qtbot.waitUntil(lambda: box.error.isVisible())
    assert box.error.text() == "请填写金额"
    assert dialog.amount.size() == before  # neither squeezed nor narrowed
    assert dialog.height() >= dialog.layout().totalHeightForWidth(dialog.width())  # room for every line
    error_top = box.error.mapTo(dialog, box.error.rect().topLeft()).y()
    field_bottom = dialog.amount.mapTo(dialog, dialog.amount.rect().bottomLeft()).y()
    assert error_top > field_bottom  # the line is beside the box, not drawn over it
    assert box.error.mapTo(dialog, box.error.rect().bottomLeft()).y() < dialog.ok_button.mapTo(dialog, dialog.ok_button.rect().topLeft()).y()
    type_text(qtbot, dialog.amount, "12.345")
    assert not box.error.isVisible()  # "1" was right: the line went while typing, before any save
    dialog.ok_button.click()
    assert box.error.isVisible() and "两位小数" in box.error.text()
    assert dialog.amount.size() == before
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Backspace)  # 12.34 is right: the line goes
    assert not box.error.isVisible() and dialog.amount.size() == before


def test_the_society_form_fits_the_screen_after_errors(qtbot, session, monkeypatch) -> None:  # noqa: ANN001
    from jiujinan.ui.setup_dialog import SetupDialog

    monkeypatch.setattr("jiujinan.ui.screen_fit.available_rect", lambda _w: SCREEN_1366)
    dialog = SetupDialog(session.ctx, user="王会计")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_text(qtbot, dialog.form.village_limit, "x")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.form.boxes["name"].error.text() == "请填写互助社名称"
    assert dialog.height() <= 728 - 40 and dialog.width() <= 1366 - 16
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.rect().contains(save.mapTo(dialog, save.rect().bottomRight()))
    type_text(qtbot, dialog.form.name, "青山村救急难互助社")
    assert not dialog.form.boxes["name"].error.isVisible()  # right now: its line is gone
    assert dialog.form.boxes["area_code"].error.isVisible()  # the others stay until they are right
