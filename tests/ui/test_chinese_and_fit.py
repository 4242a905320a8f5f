"""Qt's own words in Chinese, and windows that fit a 1366×768 screen (part of issue 14)."""

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QPoint, QRect, Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel

from jiujinan.services import intake
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
    dialog = QFileDialog(None, "另存为PDF")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"查找范围(&L)：", "文件类型(&T)：", "文件名称(&N)："} <= labels  # Qt's words, with the gaps filled
    assert QCoreApplication.translate("CaseTableModel", "案件编号") == "案件编号"  # ours pass through
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
    dialog = SetupDialog(session.ops, session.ctx, user="王会计")
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


def test_the_text_size_scales_labels_fund_figures_and_the_side_menu(qtbot, session, qapp) -> None:  # noqa: ANN001
    from jiujinan.ui.fonts import apply_text_size
    from jiujinan.ui.main_window import MainWindow

    apply_text_size(qapp, 11)
    window = MainWindow(session)
    qtbot.addWidget(window)
    figure = window.fund_page.figures["balance"]
    label = window.case_page.count_label
    warning = window.fund_page.warning  # a label with its own style sheet (red, bold)
    nav_width = window.nav.width()
    table = window.case_page.table
    row_height, name_width = table.verticalHeader().defaultSectionSize(), table.horizontalHeader().sectionSize(1)
    assert figure.font().pointSizeF() == 16.5 and figure.font().bold()
    combo = window.settings_page.text_size
    index = combo.findData(16)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    try:
        qtbot.waitUntil(lambda: label.font().pointSize() == 16)
        qtbot.waitUntil(lambda: warning.font().pointSize() == 16)
        assert figure.font().pointSizeF() == 24 and figure.font().bold()
        assert window.nav.font().pointSize() == 16
        assert window.nav.width() > nav_width
        assert table.verticalHeader().defaultSectionSize() > row_height  # case rows and columns too
        assert table.horizontalHeader().sectionSize(1) > name_width
        # Still on a 1366×768 screen: a page that needs more room scrolls inside the window.
        window.layout().activate()
        assert window.minimumSizeHint().width() <= 1366 - 16 and window.minimumSizeHint().height() <= 728 - 40
        widest = max(window.nav.fontMetrics().horizontalAdvance(window.nav.item(i).text()) for i in range(window.nav.count()))
        assert window.nav.width() > widest + 20  # every entry whole, with its padding
    finally:
        apply_text_size(qapp, 11)


def _arrow_rows(header, section: int) -> list[int]:  # noqa: ANN001
    """How many dark pixels each row of the sort arrow has, top to bottom (the arrow sits in
    the right part of the section)."""
    image = header.grab().toImage()
    right = header.sectionViewportPosition(section) + header.sectionSize(section) - 4
    left = right - 26  # the arrow's corner, right of the title
    assert 0 <= left and right <= image.width(), "the sorted column lies outside the header's view"
    background = image.pixelColor(left, 2).lightness()
    rows = []
    for y in range(2, image.height() - 2):
        dark = sum(1 for x in range(left, right) if image.pixelColor(x, y).lightness() < background - 25)
        if dark:
            rows.append(dark)
    return rows


def test_the_sort_arrow_points_the_way_the_list_runs(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.ui.case_list_page import CaseListPage
    from tests.conftest import make_id

    for seq, day in (("31", 3), ("32", 9), ("33", 6)):
        intake.register_application(session.ctx, session.society_id, application(
            id_number=make_id(seq=seq), applied_on=QDate(2026, 11, day).toPython()), "王会计")
    page = CaseListPage(session)
    qtbot.addWidget(page)
    page.resize(1300, 400)
    page.show()
    qtbot.waitExposed(page)
    header = page.table.horizontalHeader()
    header.resizeSection(6, 260)  # the arrow well clear of the centred title
    model = page.model
    dates = lambda: [model.data(model.index(r, 6)) for r in range(model.rowCount())]  # noqa: E731
    # At first the newest application is on top: ▼ (wide at the top, a point at the bottom).
    assert dates() == ["2026-11-09", "2026-11-06", "2026-11-03"]
    rows = _arrow_rows(header, 6)
    assert len(rows) >= 3 and rows[0] > rows[-1]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().topLeft() + QPoint(header.sectionViewportPosition(6) + 20, 5))
    assert dates() == ["2026-11-03", "2026-11-06", "2026-11-09"]  # the earliest on top: ▲
    rows = _arrow_rows(header, 6)
    assert len(rows) >= 3 and rows[0] < rows[-1]


def test_the_application_form_and_the_case_screen_fit_the_screen(qtbot, session, monkeypatch) -> None:  # noqa: ANN001
    from jiujinan.ui.application_form import ApplicationForm

    monkeypatch.setattr("jiujinan.ui.screen_fit.available_rect", lambda _w: SCREEN_1366)
    case = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    for window in (ApplicationForm(session), CaseDialog(session, case.id)):
        qtbot.addWidget(window)
        assert window.width() <= 1366 - 16 and window.height() <= 728 - 40


def test_the_page_setup_of_the_print_dialog_is_chinese(qtbot) -> None:  # noqa: ANN001
    """The print dialog's 属性 page: Qt's catalogue lacks 'Pages per sheet' and 'Page order'."""
    from PySide6.QtPrintSupport import QPageSetupDialog, QPrinter
    from PySide6.QtWidgets import QGroupBox

    dialog = QPageSetupDialog(QPrinter())
    qtbot.addWidget(dialog)
    words = [label.text() for label in dialog.findChildren(QLabel)] + [g.title() for g in dialog.findChildren(QGroupBox)]
    assert {"每张页数(&P)：", "页序(&O)：", "纸张大小：", "页面布局"} <= set(words)
    assert not [w for w in words if any("a" <= c.lower() <= "z" for c in w.replace("&P", "").replace("&O", ""))]
