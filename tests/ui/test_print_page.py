"""The 打印 screen: preview a paper, save it, and a batch behind a progress dialog."""

import datetime as dt

from PySide6.QtCore import Qt

from jiujinan.services import intake
from jiujinan.ui.pdf_preview import print_to
from jiujinan.ui.print_page import PrintPage
from tests.conftest import application, make_id
from tests.ui.typing import type_text


def test_preview_a_form_then_save_it(qtbot, session, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    case = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    page = PrintPage(session)
    qtbot.addWidget(page)
    assert not page.save_button.isEnabled()
    type_text(qtbot, page.case_no, case.case_no)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert page.preview.page_count() == 2 and "共 2 页" in page.status.text()  # particulars, opinion boxes
    pixmap = page.preview.pages.itemAt(0).widget().pixmap()
    assert pixmap.width() > 700 and pixmap.toImage().pixelColor(10, 10).name() == "#ffffff"
    target = tmp_path / "saved.pdf"
    monkeypatch.setattr("jiujinan.ui.pdf_preview.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    page.save_button.click()
    assert target.read_bytes().startswith(b"%PDF") and "已保存" in page.status.text()


def test_a_missing_case_is_explained_beside_the_fields(qtbot, session) -> None:  # noqa: ANN001
    page = PrintPage(session)
    qtbot.addWidget(page)
    type_text(qtbot, page.case_no, "341802100201-2026-09999")
    page.preview_button.click()
    assert "找不到案件" in page.status.text() and page.preview.page_count() == 0


def test_batch_runs_behind_a_progress_dialog(qtbot, session) -> None:  # noqa: ANN001
    for seq in ("41", "42"):
        intake.register_application(session.ctx, session.society_id, application(id_number=make_id(seq=seq)), "王会计")
    page = PrintPage(session)
    qtbot.addWidget(page)
    page.paper.setCurrentIndex(page.paper.findData("forms"))
    page.month.setDate(dt.date(2026, 11, 1))
    page.preview_button.click()
    with qtbot.waitSignal(page.job.finished, timeout=20000):
        pass
    qtbot.waitUntil(lambda: page.preview.page_count() == 4, timeout=5000)  # two forms of two pages


def test_printing_draws_every_page(qtbot, session, tmp_path) -> None:  # noqa: ANN001
    from PySide6.QtPrintSupport import QPrinter

    case = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    from jiujinan.services import printing

    pdf = tmp_path / "f.pdf"
    printing.print_form(session.ctx, case.case_no, pdf, "王会计")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_to(printer, pdf)
    assert (tmp_path / "printed.pdf").stat().st_size > 10000


def test_the_case_screen_prints_its_form(qtbot, session) -> None:  # noqa: ANN001
    from jiujinan.ui.case_dialog import CaseDialog

    case = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    dialog = CaseDialog(session, case.id)
    qtbot.addWidget(dialog)
    assert dialog.letter_button.isHidden()
    preview = dialog.print_paper("form")
    assert preview is not None and preview.preview.page_count() == 2


def test_a_paper_does_not_outlive_its_reader(qtbot, session) -> None:  # noqa: ANN001
    """切换用户 or another society: the paper shown goes (an administrator's form holds full ID
    and account numbers that a reviewer or another village's clerk must not print)."""
    from jiujinan.cases.users import Role
    from jiujinan.services import users

    users.create_user(session.ctx, "钱委员", frozenset({Role.REVIEWER}), "qianweiyuan-1", "王会计")
    case = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    page = PrintPage(session)
    qtbot.addWidget(page)
    type_text(qtbot, page.case_no, case.case_no)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    shown = page.preview.path
    assert page.preview.page_count() == 2 and page.save_button.isEnabled() and shown.exists()
    session.switch_user("钱委员")
    assert page.preview.page_count() == 0 and page.preview.path is None and not shown.exists()
    assert not page.save_button.isEnabled() and not page.print_button.isEnabled() and page.case_no.text() == ""
