"""The command line runs the same services: demo, societies, case intake and listing."""

import io
import json
import subprocess
import os
import sys

import pytest

from jiujinan import __version__
from jiujinan.cli import main
from tests.conftest import PASSWORD, make_id


ADD_QINGSHAN = ("society", "add", "--name", "青山村救急难互助社", "--village", "青山村", "--area-code", "341802100201",
                "--town", "水阳镇", "--district", "宣州区")


def run(capsys, *args: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version() -> None:
    result = subprocess.run([sys.executable, "-m", "jiujinan", "--version"], capture_output=True, text=True)
    assert result.stdout.strip() == f"jiujinan {__version__}"


def test_demo_then_list(capsys, tmp_path) -> None:  # noqa: ANN001
    db = str(tmp_path / "demo.db")
    code, out, _ = run(capsys, "--db", db, "demo", "--societies", "4", "--cases", "400", "--seed", "9")
    assert code == 0 and "4 个互助社，400 件案件" in out and "笔发放" in out
    code, out, _ = run(capsys, "--db", db, "check")
    assert code == 0 and "400 件案件" in out and "全部一致" in out
    code, out, _ = run(capsys, "--db", db, "society", "list")
    assert len(out.strip().splitlines()) == 4
    code, out, err = run(capsys, "--db", db, "case", "list", "--limit", "5")
    lines = out.strip().splitlines()
    assert len(lines) == 5 and "共 100 件" in err
    assert all("********" in line.split("\t")[2] for line in lines)  # IDs masked in lists


def add_users(capsys, db: str, monkeypatch, *names: str) -> None:  # noqa: ANN001
    """The first is the administrator (no one signs in yet); the administrator adds the rest."""
    monkeypatch.setenv("JIUJINAN_NEW_PASSWORD", PASSWORD)
    for name in names:
        code, _, err = run(capsys, "--db", db, "--user", names[0], "user", "add", name, "--roles", "经办人,审核人,管理员")
        assert code == 0, err


def test_users_sign_in_on_the_command_line(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    db = str(tmp_path / "u.db")
    add_users(capsys, db, monkeypatch, "王会计")
    monkeypatch.setenv("JIUJINAN_NEW_PASSWORD", "lishi-2026!")
    assert run(capsys, "--db", db, "user", "add", "李委员", "--roles", "审核人")[0] == 0
    code, out, _ = run(capsys, "--db", db, "user", "list")
    assert "王会计\t经办人、审核人、管理员" in out and "李委员\t审核人" in out
    monkeypatch.setenv("JIUJINAN_PASSWORD", "wrong-password")
    code, _, err = run(capsys, "--db", db, *ADD_QINGSHAN)
    assert code == 1 and "用户名或密码不对" in err
    monkeypatch.setenv("JIUJINAN_PASSWORD", "lishi-2026!")
    code, _, err = run(capsys, "--db", db, "--user", "李委员", "society", "add", "--name", "青山村救急难互助社",
                       "--village", "青山村", "--area-code", "341802100201", "--town", "水阳镇", "--district", "宣州区")
    assert code == 1 and "需要管理员角色" in err
    monkeypatch.delenv("JIUJINAN_PASSWORD")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # a script without a password
    code, _, err = run(capsys, "--db", db, *ADD_QINGSHAN)
    assert code == 1 and "需要密码" in err


def test_society_add_and_case_add_show(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    db = str(tmp_path / "c.db")
    add_users(capsys, db, monkeypatch, "王会计")
    code, out, err = run(capsys, "--db", db, "--user", "王会计", "society", "add", "--name", "青山村救急难互助社",
                         "--village", "青山村", "--area-code", "341802100201", "--town", "水阳镇",
                         "--district", "宣州区")
    assert code == 0, err
    app = {"applicant_name": "张三", "id_number": make_id(), "phone": "13905631234",
           "address": "青山村3组", "cause": "illness", "hardship": "住院", "requested_yuan": "1,500.50",
           "payment_method": "cash", "applied_on": "2026-03-01", "members": [["李四", "配偶"]],
           "household_size": "2"}
    path = tmp_path / "app.json"
    path.write_text(json.dumps(app, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "--user", "王会计", "case", "add", str(path))
    assert code == 0, err
    assert out.strip() == "341802100201-2026-00001"
    code, out, err = run(capsys, "--db", db, "case", "add", str(path))  # the same person and cause again
    assert code == 1 and out == ""
    assert "一事一救" in err and "341802100201-2026-00001" in err and "已受理" in err and "--repeat" in err
    code, out, err = run(capsys, "--db", db, "--user", "王会计", "case", "add", "--repeat", "病情复发再次住院", str(path))
    assert code == 0 and out.strip() == "341802100201-2026-00002", err
    code, out, _ = run(capsys, "--db", db, "case", "show", "341802100201-2026-00002")
    assert json.loads(out)["repeat_reason"] == "病情复发再次住院"
    code, out, _ = run(capsys, "--db", db, "case", "show", "341802100201-2026-00001")
    shown = json.loads(out)
    assert shown["requested_yuan"] == "1500.50" and shown["members"] == [["李四", "配偶", "", None, ""]]
    assert shown["id_number"] == make_id()[:6] + "********" + make_id()[-4:]  # masked unless asked and allowed
    code, out, _ = run(capsys, "--db", db, "case", "show", "341802100201-2026-00001", "--full-ids")
    assert code == 0 and json.loads(out)["id_number"] == make_id()
    monkeypatch.setenv("JIUJINAN_PASSWORD", "wrong-password")
    code, out, err = run(capsys, "--db", db, "case", "show", "341802100201-2026-00001", "--full-ids")
    assert code == 1 and out == "" and "密码不对" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "无法读取"), ("{}".encode("gb18030") + b"\xff", "无法读取"),
     (json.dumps({"requested_yuan": "1.001"}).encode(), "requested_yuan"),
     (json.dumps({"foo": 1}).encode(), "不认识的字段"), (b"[]", "JSON 对象"),
     (b"[" * 100_000 + b"]" * 100_000, "无法读取"), (b'{"phone": ' + b"9" * 5000 + b"}", "无法读取"),
     (b'{"hardship": "' + b"x" * 1_000_001 + b'"}', "超过 1 MB")],
)
def test_bad_application_files_are_refused(capsys, tmp_path, monkeypatch, content: bytes, message: str) -> None:  # noqa: ANN001
    db = str(tmp_path / "b.db")
    run(capsys, "--db", db, "demo", "--societies", "1", "--cases", "0")
    add_users(capsys, db, monkeypatch, "王会计")
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    code, out, err = run(capsys, "--db", db, "case", "add", str(path))
    assert code == 1 and message in err and out == ""
    _, out, _ = run(capsys, "--db", db, "case", "list")
    assert out == ""


def test_unopenable_database_is_a_message_not_a_trace(capsys, tmp_path) -> None:  # noqa: ANN001
    not_a_db = tmp_path / "x.db"
    not_a_db.write_bytes(b"this is not sqlite" * 100)
    code, _, err = run(capsys, "--db", str(not_a_db), "society", "list")
    assert code == 2 and "无法打开数据库" in err and "Traceback" not in err


def test_unexpected_errors_are_logged_and_named(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr("jiujinan.services.demo.run_demo", lambda *a, **k: 1 / 0)
    code, _, err = run(capsys, "--db", str(tmp_path / "e.db"), "demo")
    assert code == 3 and "详细信息已记录在" in err and "Traceback" not in err
    from jiujinan import paths

    assert str(tmp_path) in str(paths.log_dir())
    assert "ZeroDivisionError" in (paths.log_dir() / "jiujinan.log").read_text(encoding="utf-8")


def test_review_from_the_command_line(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import datetime as dt

    from jiujinan.cases.clock import FixedClock

    monkeypatch.setattr("jiujinan.cli.SystemClock", lambda: FixedClock(dt.datetime(2026, 11, 20, 2, tzinfo=dt.timezone.utc)))
    db = str(tmp_path / "r.db")
    add_users(capsys, db, monkeypatch, "王会计", "李主任")
    run(capsys, "--db", db, *ADD_QINGSHAN)
    app = {"applicant_name": "张三", "id_number": make_id(), "phone": "13905631234", "address": "青山村",
           "cause": "illness", "hardship": "住院", "requested_yuan": "3000", "payment_method": "cash",
           "applied_on": "2026-11-02"}
    (tmp_path / "a.json").write_text(json.dumps(app, ensure_ascii=False), encoding="utf-8")
    run(capsys, "--db", db, "case", "add", str(tmp_path / "a.json"))
    case = "341802100201-2026-00001"
    steps = [["visit", "date=2026-11-03", "investigators=王会计,李委员", "findings=属实"],
             ["deliberation", "date=20261105", "attendees=张社长,李委员,赵理事", "result=同意", "amount=3000"],
             ["notice", "date=2026年11月9日", "place=村务公开栏"],
             ["decide", "level=village", "date=2026-11-16", "signer=张社长", "amount=3000"]]
    for step in steps:
        code, out, err = run(capsys, "--db", db, "--user", "李主任", "case", "act", case, *step)
        assert code == 0, err
    assert out.strip().endswith("村审核通过")  # 3,000 is over the village limit: on to the town
    code, _, err = run(capsys, "--db", db, "case", "act", case, "decide", "level=district", "date=2026-11-17",
                       "signer=民政局", "amount=3000")
    assert code == 1 and "正等待乡镇（街道）级审核" in err
    code, _, err = run(capsys, "--db", db, "case", "act", case, "visit", "date=2026-11-17")
    assert code == 1 and "缺少" in err
    code, out, _ = run(capsys, "--db", db, "case", "timeline", case)
    assert "[乡镇审核]" in out and "(录入：李主任)" in out and "张社长、李委员、赵理事" in out
    code, out, _ = run(capsys, "--db", db, "todo")
    assert "待乡镇（街道）审核（1 件）" in out and case in out
    assert run(capsys, "--db", db, "fund", "add", "--source", "donation", "--amount", "5000", "--date", "2026-11-10",
               "--payer", "村民")[0] == 0
    code, out, err = run(capsys, "--db", db, "--user", "李主任", "case", "act", case, "decide", "level=town",
                         "date=2026-11-17", "signer=钱镇长", "amount=3000")
    assert code == 0 and out.strip().endswith("待发放"), err
    assert "已批未发\t3000.00" in run(capsys, "--db", db, "fund", "show")[1]
    # 撤回: the reason is required; afterwards nothing is reserved and nothing may be done
    code, _, err = run(capsys, "--db", db, "case", "act", case, "withdraw", "date=2026-11-18")
    assert code == 1 and "撤回（withdraw）缺少：理由（reason=）" in err
    for hidden in ("\u200b", "撤回\x1b[2J", "撤" * 100_000):  # the step's text rule: no invisible or endless reason
        code, _, err = run(capsys, "--db", db, "case", "act", case, "withdraw", "date=2026-11-18", f"reason={hidden}")
        assert code == 1 and "撤回理由" in err and "\x1b" not in err
    code, out, err = run(capsys, "--db", db, "--user", "王会计", "case", "act", case, "withdraw", "date=2026-11-18",
                         "reason=申请人撤回")
    assert code == 0 and out.strip() == f"{case}\t已撤回", err
    assert "已批未发\t0.00" in run(capsys, "--db", db, "fund", "show")[1]
    code, out, _ = run(capsys, "--db", db, "case", "timeline", case)
    assert "!待发放·已撤回!" in out and "(结案)" in out and "撤回\t" in out and "可办理：无" in out
    code, _, err = run(capsys, "--db", db, "case", "act", case, "withdraw", "date=2026-11-19", "reason=重复登记")
    assert code == 1 and "案件已撤回" in err
    code, out, _ = run(capsys, "--db", db, "case", "list", "--status", "withdrawn")
    assert case in out and "已撤回" in out
    assert "全部一致" in run(capsys, "--db", db, "check")[1]


def test_db_upgrade_on_a_file(capsys, tmp_path) -> None:  # noqa: ANN001
    from jiujinan.db.migrate import head_revision

    code, out, _ = run(capsys, "--db", str(tmp_path / "new.db"), "db", "upgrade")
    assert code == 0 and f"表结构版本 {head_revision()}" in out


def test_dates_take_the_forms_the_screens_take(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """A year-less date is this year's; an impossible one is refused in Chinese."""
    import datetime as dt

    db = str(tmp_path / "d.db")
    add_users(capsys, db, monkeypatch, "王会计")
    run(capsys, "--db", db, *ADD_QINGSHAN)
    code, _, err = run(capsys, "--db", db, "fund", "add", "--source", "donation", "--amount", "100",
                       "--date", "2026-02-30", "--payer", "张三")
    assert code == 1 and "2026年2月只有28天" in err
    code, _, err = run(capsys, "--db", db, "fund", "add", "--source", "donation", "--amount", "100", "--date", "1-5",
                       "--payer", "张三")
    assert code == 0, err
    code, out, _ = run(capsys, "--db", db, "fund", "ledger")
    assert f"{dt.date.today().year}-01-05" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["--wait", "inf", "society", "list"], "--wait：'inf' 不是 0 到 3600 之间的秒数"),
    (["society", "list", "--wait", "1e300"], "'1e300' 不是 0 到 3600 之间的秒数"),
    (["--wait", "-1", "society", "list"], "不是 0 到 3600 之间的秒数"),
    (["--wait", "nan", "society", "list"], "不是 0 到 3600 之间的秒数"),
    (["todo", "--limit", "-1"], "--limit：'-1' 不是 0 到 100000 之间的整数"),
    (["case", "list", "--limit", "99999999999999999999"], "不是 0 到 100000 之间的整数"),
    (["case", "list", "--limit", "1" * 5000], "不是 0 到 100000 之间的整数"),
    (["demo", "--cases", "-5"], "--cases：'-5' 不是 0 到"),
    (["demo", "--societies", "0"], "--societies：'0' 不是 1 到"),
    (["backup", "--keep", "0", "folder"], "--keep：'0' 不是 1 到 1000 之间的整数"),
    (["fund", "reverse", "99999999999999999999999", "--reason", "错", "--date", "2026-01-01"], "不是 1 到"),
    (["db", "show", "--port", "70000"], "--port：'70000' 不是 1 到 65535 之间的整数"),
])
def test_numbers_on_the_command_line_are_bounded(capsys, tmp_path, argv: list[str], message: str) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit) as stopped:
        main(["--db", str(tmp_path / "n.db"), *argv])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and message in err and "Traceback" not in err
    assert len(err) < 2000  # no 300-digit number echoed back
    assert not (tmp_path / "n.db").exists()


def test_numbers_in_range_and_full_width_are_taken(capsys, tmp_path) -> None:  # noqa: ANN001
    db = str(tmp_path / "w.db")
    assert run(capsys, "--wait", "3600", "--db", db, "demo", "--societies", "１", "--cases", "3")[0] == 0
    code, out, err = run(capsys, "--db", db, "--wait", "0", "case", "list", "--limit", "0")
    assert code == 0 and out == "" and "共 3 件" in err


@pytest.mark.parametrize("text", ["\U0010FFFF", "\udcff", "\x00", "\x00\x01"])
def test_search_text_that_cannot_match_lists_as_no_search(capsys, tmp_path, text: str) -> None:  # noqa: ANN001
    db = str(tmp_path / "s.db")
    run(capsys, "--db", db, "demo", "--societies", "1", "--cases", "4")
    code, out, err = run(capsys, "--db", db, "case", "list", "--search", text)
    assert code == 0 and len(out.splitlines()) == 4 and "共 4 件" in err


VALID_APPLICATION = {"applicant_name": "张三", "id_number": make_id(), "phone": "13905631234", "address": "青山村3组",
                     "cause": "illness", "hardship": "住院", "requested_yuan": "1500", "payment_method": "cash",
                     "applied_on": "2026-03-01", "members": [["李四", "配偶"]], "household_size": "2"}


@pytest.mark.parametrize(("changes", "message"), [
    ({"members": 5}, "家庭成员：应为列表"),
    ({"members": [5]}, "家庭成员：应为列表"),
    ({"members": [[1, 2, 3, 4]]}, "家庭成员：应为列表"),
    ({"members": [["李四", "配偶", "", 58, "务农", "多余"]]}, "家庭成员：应为列表"),
    ({"members": [["李四", None]]}, "家庭成员：应为列表"),
    ({"agent_has_poa": "false"}, "授权委托书：应为 true 或 false"),
    ({"agent_has_poa": 0}, "授权委托书：应为 true 或 false"),
    ({"applicant_name": {"姓": "张"}}, "姓名：应为文字或数字"),
    ({"hardship": ["住院"]}, "困难情况说明：应为文字或数字"),
    ({"phone": True}, "联系电话：应为文字或数字"),
    ({"applied_on": [2026, 3, 1]}, "申请日期：应为文字或数字"),
])
def test_application_values_of_the_wrong_json_type_are_named(capsys, tmp_path, monkeypatch, changes: dict,  # noqa: ANN001
                                                              message: str) -> None:
    db = str(tmp_path / "t.db")
    run(capsys, "--db", db, "demo", "--societies", "1", "--cases", "0")
    add_users(capsys, db, monkeypatch, "王会计")
    path = tmp_path / "app.json"
    path.write_text(json.dumps({**VALID_APPLICATION, **changes}, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "case", "add", str(path))
    assert code == 1 and message in err and out == "" and "程序出错" not in err
    _, out, _ = run(capsys, "--db", db, "case", "list")
    assert out == ""  # nothing stored


def test_application_numbers_and_booleans_are_taken_as_typed(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    db = str(tmp_path / "ok.db")
    run(capsys, "--db", db, "demo", "--societies", "1", "--cases", "0")
    add_users(capsys, db, monkeypatch, "王会计")
    path = tmp_path / "app.json"
    path.write_text(json.dumps({**VALID_APPLICATION, "household_size": 2, "requested_yuan": 1500.5, "other_aid": None,
                                "agent_has_poa": False}, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "case", "add", str(path))
    assert code == 0, err
    _, shown, _ = run(capsys, "--db", db, "case", "show", out.strip())
    shown = json.loads(shown)
    assert shown["requested_yuan"] == "1500.50" and shown["household_size"] == 2 and shown["agent_has_poa"] is False


@pytest.mark.parametrize(("argv", "message"), [
    (["fund", "add", "--source", "district_budget", "--payer", "区财政", "--amount", "100", "--date", "0001-01-01"], "年份应在 1900 到 2100 之间"),
    (["print", "notice", "--month", "9999-12", "--out", "n.pdf"], "--month的年份应在 1900 到 2100 之间"),
    (["print", "notice", "--month", "2026", "--out", "n.pdf"], "缺少月份"),
])
def test_dates_out_of_range_are_refused(capsys, tmp_path, monkeypatch, argv: list[str], message: str) -> None:  # noqa: ANN001
    db = str(tmp_path / "d.db")
    run(capsys, "--db", db, "demo", "--societies", "1", "--cases", "0")
    add_users(capsys, db, monkeypatch, "王会计")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--db", db, *argv)
    assert code == 1 and message in err and "程序出错" not in err, err


def test_society_amounts_are_set_and_checked_on_the_command_line(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    db = str(tmp_path / "s.db")
    add_users(capsys, db, monkeypatch, "王会计")
    code, _, err = run(capsys, "--db", db, *ADD_QINGSHAN,
                       "--village-limit", "1500")
    assert code == 0, err
    assert "先行救助最高1500.00" in run(capsys, "--db", db, "society", "list")[1]  # unset: the village limit
    for typed, said in (("0", "先行救助最高金额：金额必须大于零"), ("6000", "先行救助最高金额不能高于乡镇审批限额"),
                        ("1.234", "先行救助最高金额：金额最多两位小数")):
        code, _, err = run(capsys, "--db", db, "society", "set", "341802100201", "--emergency-limit", typed)
        assert code == 1 and said in err, err
    code, out, err = run(capsys, "--db", db, "society", "set", "341802100201", "--emergency-limit", "800")
    assert code == 0 and "先行救助最高金额 800.00 元" in out, err
    line = run(capsys, "--db", db, "society", "list")[1]
    assert "村限额1500.00" in line and "先行救助最高800.00" in line
    code, _, err = run(capsys, "--db", db, "society", "set", "341802100299", "--emergency-limit", "800")
    assert code == 1 and "找不到区划代码为 341802100299 的互助社" in err


def test_output_cut_short_by_the_reader_is_no_error(tmp_path, capsys, monkeypatch) -> None:  # noqa: ANN001
    """`jiujinan case list | head`: the reader stops reading; that ends «程序出错» no more."""
    db = str(tmp_path / "d.db")
    assert run(capsys, "--db", db, "demo", "--societies", "1", "--cases", "5")[0] == 0

    class Closed:
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            return devnull.fileno()

    with open(os.devnull, "w") as devnull:
        monkeypatch.setattr(sys, "stdout", Closed())
        code = main(["--db", db, "society", "list"])
    assert code == 0 and "程序出错" not in capsys.readouterr().err
