"""Qt's own words in Chinese, and windows that fit a 1366×768 screen (part of issue 14)."""

from PySide6.QtCore import QDate, QLocale, QRect
from PySide6.QtWidgets import QDialogButtonBox

from jiujinan.services import intake, printing
from jiujinan.ui.case_dialog import CaseDialog
from jiujinan.ui.print_page import PrintPage
from tests.conftest import application

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
