"""Attack M4: someone who can write the folder the user saves into (a shared folder, a stick,
/tmp) plants a link at the name the app will write, pointing at a file of the user's (the
database itself). The app refuses to write through it, names the path, and leaves the linked
file as it was; every file it writes goes whole under its name in one rename."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jiujinan.cases.errors import DomainError
from jiujinan.cli import main
from jiujinan.files import LinkRefused, copy_private, open_private, replacing, write_private
from jiujinan.services import connection, keys

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symbolic links any user can make")
REFUSED = "是指向别处的链接，程序不会通过链接写文件"


@pytest.fixture
def victim(tmp_path) -> Path:  # noqa: ANN001
    """A file of the user's that a planted link points at."""
    path = tmp_path / "victim.db"
    path.write_bytes(b"SQLite format 3\x00 the district's own data")
    return path


def planted(folder: Path, name: str, victim: Path) -> Path:
    folder.mkdir(exist_ok=True)
    link = folder / name
    link.symlink_to(os.path.relpath(victim, folder))
    return link


def untouched(victim: Path, link: Path) -> None:
    assert victim.read_bytes() == b"SQLite format 3\x00 the district's own data"
    assert link.is_symlink()
    assert not [p for p in link.parent.iterdir() if p.name.endswith(".part")]  # nothing left beside it


@pytest.mark.parametrize("option, name", [("--out", "对账.csv"), ("--pdf", "对账.pdf")])
def test_reconcile_refuses_a_planted_link(ctx, society_id, tmp_path, victim, capsys, option, name) -> None:  # noqa: ANN001
    ctx.close()
    link = planted(tmp_path / "shared", name, victim)
    assert main(["--db", str(tmp_path / "test.db"), "reconcile", option, str(link)]) == 1
    assert f"{link} {REFUSED}" in capsys.readouterr().err
    untouched(victim, link)


def test_print_refuses_a_planted_link(ctx, society_id, tmp_path, victim, capsys) -> None:  # noqa: ANN001
    ctx.close()
    link = planted(tmp_path / "shared", "花名册.pdf", victim)
    assert main(["--db", str(tmp_path / "test.db"), "print", "roster", "--month", "2026-01", "--out", str(link)]) == 1
    assert REFUSED in capsys.readouterr().err
    untouched(victim, link)


def test_backup_and_key_files_refuse_a_planted_link(ctx, society_id, tmp_path, victim, capsys) -> None:  # noqa: ANN001
    link = planted(tmp_path / "shared", "备份.db", victim)
    key = planted(tmp_path / "shared", "公钥.pem", victim)
    with pytest.raises(LinkRefused):
        keys.export_public_key(ctx, key, "王会计")
    ctx.close()
    assert main(["--db", str(tmp_path / "test.db"), "backup", "--out", str(link)]) == 1
    assert REFUSED in capsys.readouterr().err
    untouched(victim, link)
    untouched(victim, key)


def test_the_connection_setting_refuses_a_planted_link(tmp_path, victim) -> None:  # noqa: ANN001
    link = planted(tmp_path / "config", connection.SETTING_FILE, victim)
    with pytest.raises(LinkRefused, match=REFUSED):
        connection.save_server(tmp_path / "config", connection.ServerSetting(host="127.0.0.1", user="jiujinan"))
    untouched(victim, link)


@pytest.mark.parametrize("write", [
    lambda path: write_private(path, "张三,2000\n"),
    lambda path: write_private(path, b"%PDF"),
    lambda path: copy_private(Path(__file__), path),
    lambda path: open_private(path, "a", encoding="utf-8").close(),  # the log, preferences, a new database
    lambda path: open_private(path, "wb").close(),
])
def test_no_writer_follows_a_link(tmp_path, victim, write) -> None:  # noqa: ANN001
    link = planted(tmp_path / "shared", "out", victim)
    with pytest.raises(DomainError, match=f"{link} {REFUSED}"):
        write(link)
    untouched(victim, link)


def test_a_dangling_link_makes_no_file_where_it_points(tmp_path) -> None:  # noqa: ANN001
    link = tmp_path / "app.log"
    link.symlink_to(tmp_path / "elsewhere" / "made-by-the-app")
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(LinkRefused):
        open_private(link, "a").close()
    assert not (tmp_path / "elsewhere" / "made-by-the-app").exists()


def test_a_link_planted_while_writing_is_replaced_not_followed(tmp_path, victim) -> None:  # noqa: ANN001
    """The race: the name is free when the write starts and a link when it ends."""
    out = tmp_path / "shared" / "对账.csv"
    out.parent.mkdir()
    with replacing(out, "w", encoding="utf-8") as f:
        f.write("society_code\n")
        planted(out.parent, out.name, victim)
    assert not out.is_symlink() and out.read_text(encoding="utf-8") == "society_code\n"
    assert victim.read_bytes().startswith(b"SQLite format 3")


def test_a_failed_write_leaves_the_earlier_file_whole(tmp_path) -> None:  # noqa: ANN001
    out = tmp_path / "对账.csv"
    out.write_text("the earlier report", encoding="utf-8")
    with pytest.raises(RuntimeError), replacing(out, "w", encoding="utf-8") as f:
        f.write("half")
        raise RuntimeError("stopped")
    assert out.read_text(encoding="utf-8") == "the earlier report" and os.listdir(tmp_path) == ["对账.csv"]


@pytest.mark.parametrize("kind", ["csv", "pdf"])
def test_the_gui_says_why_it_did_not_save_the_reconciliation(qtbot, ctx, society_id, tmp_path, victim,  # noqa: ANN001
                                                              kind) -> None:
    from jiujinan.ui.exchange_page import ExchangePage
    from jiujinan.ui.prefs import Preferences
    from jiujinan.ui.session import UiSession

    page = ExchangePage(UiSession(ctx, Preferences(tmp_path / "prefs.ini"), society_id, "王会计"))
    qtbot.addWidget(page)
    link = planted(tmp_path / "shared", f"对账.{kind}", victim)
    page.choose_file = lambda *a: str(link)
    (page.csv_button if kind == "csv" else page.pdf_button).click()
    assert f"{link} {REFUSED}" in page.log.toPlainText() and "已保存" not in page.log.toPlainText()
    untouched(victim, link)
