"""The 资金 screen: money in, the ledger with running balance, reversal, month close."""

import datetime as dt

from PySide6.QtCore import Qt

from jiujinan.services import fund
from jiujinan.ui.fund_page import FundPage
from tests.ui.typing import type_text


def test_clerk_records_money_in_and_sees_it_in_the_ledger(qtbot, session, qtmodeltester) -> None:  # noqa: ANN001
    page = FundPage(session)
    qtbot.addWidget(page)
    assert page.figures["balance"].text() == "¥40,000.00"
    page.month.setCurrentIndex(page.month.findData(None))  # 全部
    qtmodeltester.check(page.model, force_py=True)
    assert page.model.rowCount() == 3

    dialog = page.add_contribution()
    dialog.source.setCurrentIndex(dialog.source.findText("社会捐赠"))
    type_text(qtbot, dialog.payer, "爱心企业")
    type_text(qtbot, dialog.amount, "1000.005")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "两位小数" in dialog.boxes["amount"].error.text()
    assert fund.position(session.ctx, session.society_id, "王会计").balance_fen == 4_000_000
    dialog.amount.clear()
    type_text(qtbot, dialog.amount, "1000")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert page.figures["balance"].text() == "¥41,000.00"
    assert "社会捐赠 ¥1,000.00" in page.sources.text()

    page.month.setCurrentIndex(page.month.findData("2026-11"))
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 7)) == "41,000.00"  # running balance from the opening
    assert "期初余额 ¥40,000.00" in page.totals.text()

    page.table.selectRow(0)
    reversal = page.reverse_selected()
    qtbot.mouseClick(reversal.ok_button, Qt.MouseButton.LeftButton)
    assert "冲正理由" in reversal.boxes["reason"].error.text()
    type_text(qtbot, reversal.reason, "捐款人要求退回")
    qtbot.mouseClick(reversal.ok_button, Qt.MouseButton.LeftButton)
    assert page.figures["balance"].text() == "¥40,000.00"
    assert page.model.rowCount() == 2
    assert page.model.data(page.model.index(1, 10)) == "冲正第4号"


def test_month_close_and_reopen(qtbot, session) -> None:  # noqa: ANN001
    page = FundPage(session)
    qtbot.addWidget(page)
    page.month.setCurrentIndex(page.month.findData("2026-11"))
    page.close_button.click()
    assert "2026-11" in fund.months(session.ctx, session.society_id)[1]
    assert page.close_button.text() == "重新打开该月…"
    dialog = page.add_contribution()
    type_text(qtbot, dialog.payer, "张三")
    type_text(qtbot, dialog.amount, "50")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "已月结" in dialog.banner.text() and dialog.isVisible()
    page.ask_reopen_reason = lambda month: "补录一笔捐款"
    page.close_button.click()
    assert fund.months(session.ctx, session.society_id)[1] == set()
    assert dt.date(2026, 11, 20) == session.ctx.clock.today()
