"""``jiujinan send`` and ``jiujinan receive`` between a village, a town and a district file, as
district IT staff would script them: the case goes up and its opinions come back down."""

import re

from jiujinan.cases.clock import SystemClock

from tests.test_cli import add_users, run
from tests.test_cli_offices import FINGERPRINT

TODAY = SystemClock().today().isoformat()  # the command line's clock: a step may not be dated later
CASE = re.compile(r"341802100200-\d{4}-\d{5}")


def test_a_case_goes_up_and_comes_back_on_the_command_line(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    v, t, d = (str(tmp_path / f"{name}.db") for name in ("village", "town", "district"))
    assert run(capsys, "--db", v, "demo", "--societies", "1", "--cases", "60", "--seed", "3")[0] == 0
    add_users(capsys, v, monkeypatch, "王会计")
    for db, kind, code, name in ((v, "village", "341802100200", "青山社区救急难互助社"),
                                 (t, "town", "341802100000", "水阳镇人民政府"),
                                 (d, "district", "341802000000", "宣州区民政局")):
        if db != v:
            add_users(capsys, db, monkeypatch, "王会计")
        code_, out, err = run(capsys, "office", "setup", "--kind", kind, "--area-code", code, "--name", name, "--db", db)
        assert code_ == 0, err
    prints, cards = {}, {}
    for db in (v, t, d):
        code_, out, _ = run(capsys, "--db", db, "office", "card", "--out", db + ".card")
        prints[db], cards[db] = FINGERPRINT.search(out).group(), db + ".card.jjncard"
    for own, other in ((v, t), (t, v), (t, d), (d, t)):
        assert run(capsys, "--db", own, "office", "trust", cards[other], "--fingerprint", prints[other])[0] == 0
    usb = tmp_path / "usb"
    usb.mkdir()
    code_, out, err = run(capsys, "send", "--out", str(usb), "--db", v)
    assert code_ == 0 and "发往水阳镇人民政府" in out, err
    (packet,) = usb.glob("*.jjnpkt")
    code_, out, _ = run(capsys, "--db", t, "receive", str(packet), "--dry-run")
    assert code_ == 0 and out.startswith("（试运行，未改动）") and "新案件 1 件" in out
    code_, out, _ = run(capsys, "--db", t, "case", "list")
    assert CASE.search(out) is None
    code_, out, _ = run(capsys, "--db", t, "receive", str(packet))
    assert code_ == 0 and "新案件 1 件" in out
    code_, out, _ = run(capsys, "--db", t, "receive", str(packet))
    assert code_ == 0 and "早已接收" in out
    code_, out, _ = run(capsys, "--db", t, "case", "list", "--status", "村审核通过")
    case_no = CASE.search(out).group()
    code_, _, err = run(capsys, "--db", t, "case", "act", case_no, "审批", "level=town", f"date={TODAY}",
                        "signer=赵镇长", "amount=5413", "opinion=同意报区审批")
    assert code_ == 0, err
    code_, out, _ = run(capsys, "--db", t, "send", "--out", str(usb))
    assert code_ == 0 and "发往宣州区民政局" in out and "发往青山社区救急难互助社" in out
    up = next(usb.glob("水阳镇人民政府至宣州区民政局*"))
    assert run(capsys, "--db", d, "receive", str(up))[0] == 0
    code_, _, err = run(capsys, "--db", d, "case", "act", case_no, "decide", "level=district", f"date={TODAY}",
                        "signer=钱局长", "amount=5413")
    assert code_ == 0, err
    assert run(capsys, "--db", d, "send", "--out", str(usb), "--to", "341802100000")[0] == 0
    assert run(capsys, "--db", d, "send", "--out", str(usb))[1].strip() == "没有需要发送的内容"
    assert run(capsys, "--db", t, "receive", str(next(usb.glob("宣州区民政局至水阳镇人民政府*"))))[0] == 0
    assert run(capsys, "--db", t, "send", "--out", str(usb))[0] == 0
    down = sorted(usb.glob("水阳镇人民政府至青山社区救急难互助社*"))
    assert len(down) == 2
    code_, out, _ = run(capsys, "--db", v, "receive", str(down[1]))  # the later first: the gap is named
    assert code_ == 0 and "缺少来自水阳镇人民政府的第 1 号数据包" in out
    code_, out, _ = run(capsys, "--db", v, "receive", str(down[0]), str(down[1]))
    assert code_ == 0 and "早已接收" in out
    code_, out, _ = run(capsys, "--db", v, "case", "show", case_no)
    assert '"status": "待发放"' in out
    code_, out, _ = run(capsys, "--db", v, "check")
    assert code_ == 0 and "全部一致" in out
    (tmp_path / "junk.jjnpkt").write_bytes(b"\x00" * 100)
    code_, _, err = run(capsys, "--db", v, "receive", str(tmp_path / "junk.jjnpkt"))
    assert code_ == 1 and "不完整或已损坏" in err and "程序出错" not in err
