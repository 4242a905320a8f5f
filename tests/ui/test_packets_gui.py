"""数据包 in the GUI: a town's clerk receives a village's packet (after seeing what it would
change), the case pages come in, and the town's opinion goes back in a packet."""

import datetime as dt

import pytest

from jiujinan.cases.enums import Level
from jiujinan.cases.review import Decide
from jiujinan.services import packets
from jiujinan.ui.main_window import MainWindow
from jiujinan.ui.prefs import Preferences
from jiujinan.ui.session import UiSession
from tests.db.test_packets import Offices, decide, sent_up_case


def test_a_town_receives_and_sends_packets_in_the_gui(qtbot, ctx, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    three = Offices(ctx, tmp_path)
    try:
        case_no = sent_up_case(three)
        (packet,) = three.send("village")
        session = UiSession(ctx, Preferences(tmp_path / "prefs.ini"), None, "赵镇长")
        window = MainWindow(session)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        box = window.exchange_page.packet_box
        asked = []
        monkeypatch.setattr(box, "choose_packets", lambda: [str(packet.path)])
        monkeypatch.setattr(box, "confirm", lambda text: asked.append(text) or False)
        box.receive_button.click()
        assert "（试运行，未改动）" in asked[0] and "新案件 1 件" in asked[0] and "未接收" in box.log.toPlainText()
        assert not window.has_society
        monkeypatch.setattr(box, "confirm", lambda text: True)
        box.receive_button.click()
        assert "新案件 1 件" in box.log.toPlainText().splitlines()[-1]
        qtbot.waitUntil(lambda: window.has_society)
        shown = [window.nav.item(i).text() for i in range(window.nav.count()) if not window.nav.item(i).isHidden()]
        assert shown == ["待办", "案件", "资金", "打印", "导出", "设置"] and session.society_id is not None
        qtbot.waitUntil(lambda: window.case_page.model.rowCount() == 1)
        decide(ctx, case_no, "赵镇长", Decide(Level.TOWN, dt.date(2026, 11, 20), "赵镇长", "同意", 600_000))
        monkeypatch.setattr(box, "choose_folder", lambda: str(three.usb))
        box.send_button.click()
        assert "已写出发往宣州区民政局" in box.log.toPlainText() and "已写出发往青山村救急难互助社" in box.log.toPlainText()
        back = next(three.usb.glob("水阳镇人民政府至青山村*"))
        assert packets.receive(three.village, back, "王会计").updated_cases == [case_no]
        # A file that is not a packet is said in the log, in Chinese.
        junk = tmp_path / "junk.jjnpkt"
        junk.write_bytes(b"not a packet")
        monkeypatch.setattr(box, "choose_packets", lambda: [str(junk)])
        monkeypatch.setattr(box, "confirm", lambda text: pytest.fail("nothing to receive: not asked"))
        box.receive_button.click()
        assert "不能接收：junk.jjnpkt：数据包不完整或已损坏" in box.log.toPlainText()
    finally:
        three.close()
