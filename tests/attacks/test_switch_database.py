"""Attack L2b: a passer-by at an unlocked PC points the app at a server of his own
(``db use-server``, or 设置 → 数据库); the next clerk is offered «首次使用» there and types new
applicants' IDs and accounts into it. Once the database in use has users, only a signed-in
administrator of the whole database switches, and the switch is on its audit trail."""

from __future__ import annotations

import re
import sqlite3

import pytest

from jiujinan import paths
from jiujinan.cases.users import Role
from jiujinan.cli import main
from jiujinan.db.engine import DEFAULT_DB_NAME
from jiujinan.services import users
from jiujinan.services.connection import saved_server
from jiujinan.services.context import open_context
from tests.conftest import PASSWORD

EVIL = ["db", "use-server", "--host", "192.168.1.66", "--name", "evil", "--db-user", "x"]


@pytest.fixture
def office(clock):  # noqa: ANN001, ANN201
    """This PC's own data file, with an administrator, a clerk and a town's administrator."""
    ctx = open_context(None, paths.data_dir(), clock)
    users.create_user(ctx, "管理员", frozenset({Role.ADMIN}), PASSWORD, "管理员")
    users.create_user(ctx, "李经办", frozenset({Role.CLERK}), PASSWORD, "管理员")
    users.create_user(ctx, "赵镇管", frozenset({Role.ADMIN}), PASSWORD, "管理员", area="341802100")
    yield ctx
    ctx.close()


def last_entry() -> tuple[str, str, str]:
    with sqlite3.connect(paths.data_dir() / DEFAULT_DB_NAME) as conn:
        row = conn.execute("SELECT user_name, action, after_json FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    conn.close()
    return row


@pytest.mark.parametrize("user, password, message", [
    (None, PASSWORD, "请用 --user 指定操作人"),
    ("管理员", "not-the-password", "用户名或密码不对"),
    ("李经办", PASSWORD, "李经办（经办人）不能改用另一个数据库：需要管理员角色"),
    ("赵镇管", PASSWORD, "赵镇管 的工作范围是.*改用另一个数据库影响整个数据库，须由范围为全部的管理员办理"),
])
def test_switching_needs_an_administrator_of_the_whole_database(office, monkeypatch, capsys, user, password,  # noqa: ANN001
                                                                message) -> None:
    office.close()
    monkeypatch.delenv("JIUJINAN_USER")
    monkeypatch.setenv("JIUJINAN_PASSWORD", password)
    for action in (EVIL, ["db", "use-file"]):
        assert main([*action, *(["--user", user] if user else [])]) == 1
        assert re.search(message, capsys.readouterr().err)
    assert saved_server(paths.config_dir()) is None


def test_another_file_named_with_db_is_no_way_round(office, tmp_path, monkeypatch, capsys) -> None:  # noqa: ANN001
    """An empty file has no users; the switch asks the database this PC uses, not --db's."""
    office.close()
    monkeypatch.delenv("JIUJINAN_USER")
    assert main(["--db", str(tmp_path / "empty.db"), *EVIL]) == 1
    assert "请用 --user 指定操作人" in capsys.readouterr().err
    assert saved_server(paths.config_dir()) is None


def test_an_administrator_switches_and_the_trail_says_so(office, capsys) -> None:  # noqa: ANN001
    office.close()
    assert main([*EVIL, "--user", "管理员"]) == 0
    assert saved_server(paths.config_dir()).label == "x@192.168.1.66:5432/evil"
    user, action, after = last_entry()
    assert (user, action) == ("管理员", "switch") and "x@192.168.1.66:5432/evil" in after
    assert main(["--db", str(paths.data_dir() / DEFAULT_DB_NAME), "check"]) == 0  # the entry checks out


def test_a_pc_with_no_database_yet_is_set_up_freely(capsys) -> None:  # noqa: ANN001
    assert main(EVIL) == 0 and saved_server(paths.config_dir()) is not None
    assert not (paths.data_dir() / DEFAULT_DB_NAME).exists()  # nothing made to ask in


def test_the_gui_asks_for_an_administrators_password(qtbot, office, tmp_path) -> None:  # noqa: ANN001
    from jiujinan.ui.database_box import DatabaseBox

    box = DatabaseBox(paths.config_dir(), office, "李经办")
    qtbot.addWidget(box)
    box.use_server.setChecked(True)
    box.host.setText("192.168.1.66")
    box.db_user.setText("x")
    box.ask_restart = lambda where: pytest.fail("offered a restart for a refused switch")
    for answer, message in ((None, "未改用：改用另一个数据库须由管理员输入密码确认"),
                            (("李经办", PASSWORD), "李经办（经办人）不能改用另一个数据库：需要管理员角色"),
                            (("管理员", "wrong"), "用户名或密码不对")):
        box.ask_admin = lambda answer=answer: answer
        box.save_button.click()
        assert message in box.status.text()
        assert saved_server(paths.config_dir()) is None
    box.ask_admin = lambda: ("管理员", PASSWORD)
    box.ask_restart = lambda where: False
    box.save_button.click()
    assert "下次启动时使用 x@192.168.1.66:5432/jiujinan" in box.status.text()
    assert last_entry()[:2] == ("管理员", "switch")
