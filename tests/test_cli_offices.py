"""``jiujinan office …`` between three databases, as three offices' clerks type it: each sets up
its office, hands out its card, and enrols the others' after the fingerprint is read out. One
walk runs the installed command in subprocesses, as the README tells a user to."""

import re
import subprocess

from tests.test_cli import add_users, run
from tests.test_entry_point import COMMAND, user_env

FINGERPRINT = re.compile(r"[0-9A-F]{4}( [0-9A-F]{4}){3}")
OFFICES = (("village", "341802100201", "青山村救急难互助社"), ("town", "341802100000", "水阳镇人民政府"),
           ("district", "341802000000", "宣州区民政局"))


def test_three_offices_set_up_and_enrol_each_other(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    dbs, cards, prints = {}, {}, {}
    for kind, code, name in OFFICES:
        dbs[kind] = db = str(tmp_path / f"{kind}.db")
        add_users(capsys, db, monkeypatch, "王会计")
        # Options after the subcommand, or before it: one command.
        code_, out, err = run(capsys, "office", "setup", "--kind", kind, "--area-code", code, "--name", name, "--db", db)
        assert code_ == 0 and f"已设立本单位：{name}" in out, err
        code_, out, _ = run(capsys, "--db", db, "office", "show")
        assert code_ == 0 and f"区划代码：{code}" in out
        prints[kind] = FINGERPRINT.search(out).group()
        code_, out, _ = run(capsys, "--db", db, "office", "card", "--out", str(tmp_path / kind))
        cards[kind] = tmp_path / f"{kind}.jjncard"
        assert code_ == 0 and cards[kind].exists() and prints[kind] in out
    # Without the fingerprint read over the phone (no terminal to ask at), nothing is enrolled.
    code_, out, _ = run(capsys, "--db", dbs["town"], "office", "trust", str(cards["village"]))
    assert code_ == 1 and prints["village"] in out and "--fingerprint" in out
    assert "还没有登记" in run(capsys, "--db", dbs["town"], "office", "list")[1]
    code_, _, err = run(capsys, "--db", dbs["town"], "office", "trust", str(cards["village"]), "--fingerprint", "1234")
    assert code_ == 1 and "指纹应为16位" in err
    code_, _, err = run(capsys, "--db", dbs["town"], "office", "trust", str(cards["village"]), "--fingerprint",
                        "1234 5678 9ABC DEF0")
    assert code_ == 1 and "指纹不一致" in err
    for own, others in (("village", ("town", "district")), ("town", ("village", "district")),
                        ("district", ("village", "town"))):
        for other in others:
            code_, out, err = run(capsys, "--db", dbs[own], "office", "trust", str(cards[other]),
                                  "--fingerprint", prints[other].lower())
            assert code_ == 0 and "已登记" in out, err
    code_, out, _ = run(capsys, "--db", dbs["town"], "office", "list")
    assert code_ == 0 and [line.split()[0] for line in out.splitlines()] == ["341802000000", "341802100201"]
    # The village's PC replaced: its new card is taken only when the replacement is confirmed.
    new_db = str(tmp_path / "village2.db")
    add_users(capsys, new_db, monkeypatch, "王会计")
    run(capsys, "--db", new_db, "office", "setup", "--kind", "village", "--area-code", OFFICES[0][1], "--name", OFFICES[0][2])
    code_, out, _ = run(capsys, "--db", new_db, "office", "card", "--out", str(tmp_path / "new"))
    new_print = FINGERPRINT.search(out).group()
    new_card = str(tmp_path / "new.jjncard")
    code_, _, err = run(capsys, "--db", dbs["town"], "office", "trust", new_card, "--fingerprint", new_print)
    assert code_ == 1 and "确认后加 --replace" in err
    code_, out, err = run(capsys, "--db", dbs["town"], "office", "trust", new_card, "--fingerprint", new_print, "--replace")
    assert code_ == 0 and f"原指纹 {prints['village']}，新指纹 {new_print}" in out, err
    # A second setup with other values is refused; the same one says nothing changed.
    code_, _, err = run(capsys, "--db", dbs["town"], "office", "setup", "--kind", "district", "--area-code",
                        "341802000000", "--name", "宣州区民政局")
    assert code_ == 1 and "不能改设" in err
    code_, out, _ = run(capsys, "--db", dbs["town"], "office", "setup", "--kind", "乡镇", "--area-code",
                        "341802100000", "--name", "水阳镇人民政府")
    assert code_ == 0 and "无需改动" in out


def test_the_installed_command_sets_up_a_district_and_enrols_a_town(tmp_path) -> None:  # noqa: ANN001
    env = user_env(tmp_path / "home")

    def jiujinan(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(COMMAND), *args], capture_output=True, text=True, env=env, cwd=tmp_path,
                              stdin=subprocess.DEVNULL, timeout=120)

    for db, kind, code, name in (("d.db", "district", "341802000000", "宣州区民政局"),
                                 ("t.db", "town", "341802100000", "水阳镇人民政府")):
        done = jiujinan("--db", db, "office", "setup", "--kind", kind, "--area-code", code, "--name", name)
        assert done.returncode == 0 and "已设立本单位" in done.stdout, done.stderr
    done = jiujinan("office", "card", "--db", "t.db", "--out", "水阳镇.jjncard")
    shown = FINGERPRINT.search(done.stdout).group()
    done = jiujinan("office", "trust", "水阳镇.jjncard", "--db", "d.db", "--fingerprint", shown)
    assert done.returncode == 0 and "已登记水阳镇人民政府（乡镇，341802100000）" in done.stdout, done.stderr
    (tmp_path / "bad.jjncard").write_bytes(b"\x00\x01 not a card")
    done = jiujinan("--db", "d.db", "office", "trust", "bad.jjncard", "--fingerprint", shown)
    assert done.returncode == 1 and "不是有效的单位卡片" in done.stderr and "程序出错" not in done.stderr
