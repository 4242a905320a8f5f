"""The 导出 screen: a clerk exports; the district imports many folders and reconciles."""

import csv

from jiujinan.services import intake
from jiujinan.ui.exchange_page import ExchangePage
from tests.conftest import application


def test_export_then_import_then_reconcile(qtbot, session, tmp_path) -> None:  # noqa: ANN001
    intake.register_application(session.ctx, session.society_id, application(), "王会计")
    page = ExchangePage(session)
    qtbot.addWidget(page)
    out = tmp_path / "out"
    out.mkdir()
    page.choose_folder = lambda title: str(out)
    page.export_button.click()
    with qtbot.waitSignal(page.job.finished, timeout=20000):
        pass
    folder = out / "341802100201"
    assert (folder / "manifest.json").exists() and "已导出" in page.export_status.text()  # beside the export

    page.import_button.click()  # the same database plays the district here
    with qtbot.waitSignal(page.job.finished, timeout=20000):
        pass
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert "已导入（1 件案件" in page.log.toPlainText()
    assert page.table.item(0, 0).text() == "341802100201"
    assert page.table.item(0, 3).text() == "20,000.00"  # the district budget's seed money reported
    target = tmp_path / "recon.csv"
    page.choose_file = lambda *a: str(target)
    page.csv_button.click()
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][0] == "341802100201" and rows[1][3] == "20000.00"
    pdf = tmp_path / "recon.pdf"
    page.choose_file = lambda *a: str(pdf)
    page.pdf_button.click()
    assert pdf.read_bytes().startswith(b"%PDF")
    said = []
    page._said = lambda err: said.append(err)  # noqa: SLF001 - any error the button ends in
    page.table.setRowCount(0)
    page.reconcile_button.click()  # the button itself (clicked(bool) once ended in «程序出错»)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert said == []


def test_district_records_a_grant(qtbot, session) -> None:  # noqa: ANN001
    from tests.ui.typing import type_text

    page = ExchangePage(session)
    qtbot.addWidget(page)
    dialog = page.grant_dialog()
    type_text(qtbot, dialog.code, "341802100201")
    type_text(qtbot, dialog.amount, "-5")
    dialog.ok_button.click()
    assert "负数" in dialog.banner.text()
    dialog.amount.clear()
    type_text(qtbot, dialog.amount, "20000")
    dialog.ok_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.summary == "341802100201 20,000.00"


def test_export_into_a_folder_of_the_clerks_documents_is_refused(qtbot, session, tmp_path) -> None:  # noqa: ANN001
    """The folder chosen holds the clerk's own files: the page says why nothing was written
    there, and the files are as they were."""
    folder = tmp_path / "桌面"
    folder.mkdir()
    (folder / "工作总结.docx").write_bytes(b"the clerk's report")
    page = ExchangePage(session)
    qtbot.addWidget(page)
    page.choose_folder = lambda title: str(folder)
    page.export_button.click()
    with qtbot.waitSignal(page.job.failed, timeout=20000):
        pass
    shown = page.export_status.text()
    assert "不是本程序导出的内容（工作总结.docx）" in shown and "请选择一个空文件夹或新文件夹" in shown
    assert "程序出错" not in shown
    assert [p.name for p in folder.iterdir()] == ["工作总结.docx"]
    assert (folder / "工作总结.docx").read_bytes() == b"the clerk's report"
