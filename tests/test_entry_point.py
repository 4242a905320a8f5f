"""The installed ``jiujinan`` command, started as the README tells a user to: on every kind
of database name a clerk types, with options before or after the subcommand, and the GUI
offscreen and on a real X server. Tests that build windows from the inside never see the
entry point break; these start the real thing in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jiujinan.ui.system_libraries import XCB_PLUGIN_LIBRARIES, missing_message, missing_packages, uses_xcb
from tests.conftest import PASSWORD

COMMAND = Path(sys.executable).with_name("jiujinan")  # the console script pip installed beside python
README = Path(__file__).resolve().parent.parent / "README.md"
FIRST_DIALOG = {"kind": "LoginDialog", "title": "首次使用：设立管理员", "text": ""}


def user_env(home: Path, **extra: str) -> dict[str, str]:
    """A clean user: own home and XDG folders, nothing remembered."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "JIUJINAN_", "QT_"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_STATE_HOME=str(home / "state"), XDG_CACHE_HOME=str(home / "cache"), **extra)
    return env


def log_text(home: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in home.rglob("*.log"))


def start_gui(db: str, home: Path, cwd: Path, platform: str = "offscreen", **extra: str) -> dict:
    """Start ``jiujinan --db DB`` and return what its first window showed."""
    report = home / "probe.json"
    env = user_env(home, QT_QPA_PLATFORM=platform, JIUJINAN_PROBE=str(report), **extra)
    result = subprocess.run([str(COMMAND), "--db", db], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in log_text(home)
    return json.loads(report.read_text(encoding="utf-8"))


def test_the_command_is_installed() -> None:
    result = subprocess.run([str(COMMAND), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("jiujinan ")


@pytest.mark.parametrize("kind", ["absolute", "spaces and Chinese", "relative", "home", "sqlite url"])
def test_gui_reaches_its_first_dialog_on_any_file_name(kind: str, tmp_path: Path) -> None:
    home, work = tmp_path / "home", tmp_path / "工作 目录"
    work.mkdir()
    db, expected = {
        "absolute": (str(tmp_path / "a.db"), tmp_path / "a.db"),
        "spaces and Chinese": (str(work / "青山村 互助社.db"), work / "青山村 互助社.db"),
        "relative": ("互助社.db", work / "互助社.db"),
        "home": ("~/jjn.db", home / "jjn.db"),
        "sqlite url": (f"sqlite:///{tmp_path / 'url.db'}", tmp_path / "url.db"),
    }[kind]
    shown = start_gui(db, home, work)
    assert shown["windows"] == [FIRST_DIALOG]  # no error box before it
    assert expected.is_file()  # the database named, not another


def test_gui_reaches_its_first_dialog_on_a_postgresql_url(pg_url: str, tmp_path: Path) -> None:
    shown = start_gui(pg_url, tmp_path / "home", tmp_path)
    assert shown["windows"] == [FIRST_DIALOG]


def test_gui_on_a_real_x_server(tmp_path: Path) -> None:
    """The xcb platform plugin with the system libraries the README names (.ci/run installs
    exactly that list, and Xvfb)."""
    xvfb = shutil.which("Xvfb")
    if not xvfb:
        pytest.skip("Xvfb is not installed (.ci/run installs it)")
    read, write = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            display = pipe.readline().strip()
        assert display, "Xvfb did not start"
        shown = start_gui(str(tmp_path / "x.db"), tmp_path / "home", tmp_path, platform="xcb",
                          DISPLAY=f":{display}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert shown["platform"] == "xcb" and shown["windows"] == [FIRST_DIALOG]


def run_cli(home: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = user_env(home, JIUJINAN_USER="王会计", JIUJINAN_PASSWORD=PASSWORD, JIUJINAN_NEW_PASSWORD=PASSWORD)
    return subprocess.run([str(COMMAND), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_options_before_or_after_the_subcommand(tmp_path: Path) -> None:
    home, work = tmp_path / "home", tmp_path / "有 空格"
    work.mkdir()
    db = "村 互助社.db"  # relative, with a space and Chinese
    made = run_cli(home, work, "demo", "--db", db, "--societies", "1", "--cases", "30", "--wait", "5")
    assert made.returncode == 0 and "30 件案件" in made.stdout, made.stderr
    assert (work / db).is_file()
    listed = run_cli(home, work, "case", "list", "--limit", "1", "--db", db)
    case_no = listed.stdout.split("\t")[0]
    assert listed.returncode == 0 and case_no.count("-") == 2, listed.stderr
    printed = run_cli(home, work, "print", "form", case_no, "--db", db, "--out", "审批表.pdf")
    assert printed.returncode == 0 and (work / "审批表.pdf").read_bytes().startswith(b"%PDF"), printed.stderr
    checked = run_cli(home, work, "check", "--db", db, "--user", "王会计")
    assert checked.returncode == 0 and "全部一致" in checked.stdout, checked.stderr
    before = run_cli(home, work, "--db", db, "--user", "王会计", "--wait", "5", "check")
    assert before.stdout == checked.stdout
    wrong = run_cli(home, work, "check", "--db", db, "--no-such-option")
    assert wrong.returncode == 2 and "--no-such-option" in wrong.stderr


def test_a_step_with_options_among_its_fields(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """``case act N visit date=… --user U investigators=…``: the fields after an option count too."""
    from jiujinan.cli import parse_arguments

    args = parse_arguments(["case", "act", "X-2026-00001", "visit", "date=2026-11-20", "--user", "李主任",
                            "investigators=张三,李四", "--db", "f.db", "findings=属实"])
    assert args.fields == ["date=2026-11-20", "investigators=张三,李四", "findings=属实"]
    assert (args.user, args.db, args.wait) == ("李主任", "f.db", 15.0)
    args = parse_arguments(["--db", "a.db", "import", "dir1", "--wait", "3", "dir2"])
    assert args.folders == ["dir1", "dir2"] and args.db == "a.db" and args.wait == 3.0


def test_missing_x11_libraries_are_named_in_chinese() -> None:
    missing = missing_packages(find=lambda name: None if name in ("xcb-icccm", "xcb-keysyms") else f"lib{name}.so")
    assert missing == ["libxcb-icccm4", "libxcb-keysyms1"]
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in missing_message(missing)
    assert uses_xcb({}, "linux") and uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not uses_xcb({"WAYLAND_DISPLAY": "wayland-0"}, "linux") and not uses_xcb({}, "win32")
    assert not uses_xcb({"QT_QPA_PLATFORM": "offscreen"}, "linux")


def test_readme_names_every_package_the_x11_plugin_needs() -> None:
    """.ci/run installs the README's list and starts the GUI on Xvfb with it: the list is proved."""
    line = next(l for l in README.read_text(encoding="utf-8").splitlines() if "apt-get install libegl1" in l)
    assert line.split("apt-get install", 1)[1].split() == list(XCB_PLUGIN_LIBRARIES.values())


def test_command_line_mistakes_are_told_in_chinese(tmp_path: Path) -> None:
    wrong = run_cli(tmp_path / "home", tmp_path, "case", "lst")
    assert wrong.returncode == 2
    assert "错误：action：'lst' 不是可选的值" in wrong.stderr and "用法：jiujinan case" in wrong.stderr
    assert "error" not in wrong.stderr and "usage" not in wrong.stderr
    missing = run_cli(tmp_path / "home", tmp_path, "fund", "add", "--amount")
    assert "--amount：后面应跟一个值" in missing.stderr


def test_a_mistyped_database_path_is_said_not_created(tmp_path: Path) -> None:
    """A read on a file that is not there says so; it does not make an empty one that 'checks out'."""
    for args in (["check"], ["case", "list"], ["print", "roster", "--month", "2026-11", "--out", "r.pdf"]):
        result = run_cli(tmp_path / "home", tmp_path, "--db", "typo/青山村.db", *args)
        assert result.returncode == 2 and "找不到数据库文件" in result.stderr and "typo" in result.stderr
    assert not (tmp_path / "typo").exists()
    made = run_cli(tmp_path / "home", tmp_path, "--db", "new.db", "db", "upgrade")
    assert made.returncode == 0 and (tmp_path / "new.db").is_file()  # creating one is still a command away


def test_a_file_that_is_not_a_database_is_said_behind_the_first_window(tmp_path: Path) -> None:
    """The sign-in dialog shows before the database opens; a file that is no database ends in
    a Chinese box that says so, and the app exits with 2 (no traceback, no «程序出错»)."""
    home = tmp_path / "home"
    (tmp_path / "旧表格.db").write_bytes(b"PK\x03\x04 this is a spreadsheet, not a database" * 50)
    report = home / "probe.json"
    env = user_env(home, QT_QPA_PLATFORM="offscreen", JIUJINAN_PROBE=str(report))
    result = subprocess.run([str(COMMAND), "--db", "旧表格.db"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in log_text(home)
    (box,) = json.loads(report.read_text(encoding="utf-8"))["windows"]
    assert box["kind"] == "QMessageBox" and box["title"] == "无法打开数据库" and "程序出错" not in box["text"]
    assert "文件不是数据库或已损坏" in box["text"] and str(home / "data") in box["text"]  # where the backups are
    assert 'jiujinan --db "旧表格.db" restore 备份文件 --user 管理员姓名' in box["text"]  # and how to restore one
