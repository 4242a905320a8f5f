"""``check`` and ``backup`` of a database on read-only media (a CD, a write-protected USB
stick, a read-only folder): nothing is written beside it, and the backup is whole."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess

import pytest

from jiujinan.cli import main
from jiujinan.db.engine import on_read_only_media

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def read_only_folder(tmp_path):  # noqa: ANN001, ANN201
    """A demo database in a folder made read-only (file and folder without write bits: the
    mode is what counts, so this holds when the tests run as root too)."""
    folder = tmp_path / "cd"
    folder.mkdir()
    db = folder / "village.db"
    assert main(["demo", "--db", str(db), "--societies", "2", "--cases", "40"]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["village.db"]  # no -wal left behind
    db.chmod(0o444)
    folder.chmod(0o555)
    yield db
    folder.chmod(0o755)
    db.chmod(0o644)


def listing(folder) -> list[tuple[str, int, float]]:  # noqa: ANN001
    return sorted((p.name, p.stat().st_size, p.stat().st_mtime) for p in folder.iterdir())


def test_check_and_backup_of_a_database_in_a_read_only_folder(read_only_folder, tmp_path, capsys) -> None:  # noqa: ANN001
    db = read_only_folder
    assert on_read_only_media(db)
    before = listing(db.parent)
    assert main(["check", "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert "全部一致" in out and "搜索索引" in err  # said plainly what could not be checked there
    out_dir = tmp_path / "usb"
    out_dir.mkdir()
    assert main(["backup", "--db", str(db), "--out", str(out_dir)]) == 0
    made = out_dir / capsys.readouterr().out.strip().split("/")[-1]
    assert made.is_file() and made.name.startswith("village-") and made.name.endswith("-manual.db")
    assert listing(db.parent) == before  # no journal, -wal or -shm; the file untouched
    with sqlite3.connect(made) as conn:
        assert conn.execute("SELECT count(*) FROM aid_case").fetchone() == (40,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert main(["check", "--db", str(made)]) == 0  # the backup itself is whole and checks out


def test_pending_transactions_on_read_only_media_are_not_silently_left_out(read_only_folder, capsys) -> None:  # noqa: ANN001
    db = read_only_folder
    (db.parent).chmod(0o755)
    wal = db.with_name(db.name + "-wal")
    wal.write_bytes(b"\0" * 4096)  # as a crash leaves it: an immutable reader would not see it
    (db.parent).chmod(0o555)
    assert main(["check", "--db", str(db)]) == 2
    assert "尚未写回的 village.db-wal" in capsys.readouterr().err


def test_on_a_read_only_mount(tmp_path, capsys) -> None:  # noqa: ANN001
    """A real read-only file system (root only: mount needs it)."""
    source = tmp_path / "village.db"
    assert main(["demo", "--db", str(source), "--societies", "1", "--cases", "10"]) == 0
    mount = tmp_path / "mnt"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("mounting a file system needs root")
    try:
        (mount / "village.db").write_bytes(source.read_bytes())
        (mount / "village.db").chmod(stat.S_IRUSR | stat.S_IWUSR)  # writable bits: only the mount forbids
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        assert main(["check", "--db", str(mount / "village.db")]) == 0
        assert main(["backup", "--db", str(mount / "village.db"), "--out", str(tmp_path / "b.db")]) == 0
        assert sorted(p.name for p in mount.iterdir()) == ["village.db"]
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
    capsys.readouterr()


def test_a_backup_by_a_signed_in_administrator_on_read_only_media(tmp_path, capsys, monkeypatch) -> None:  # noqa: ANN001
    """A database with users asks who backs it up; signing in there writes nothing, a wrong
    password included (its delay cannot be noted on a CD, and is not needed to refuse it)."""
    folder = tmp_path / "cd"
    folder.mkdir()
    db = folder / "village.db"
    assert main(["demo", "--db", str(db), "--societies", "1", "--cases", "5"]) == 0
    monkeypatch.setenv("JIUJINAN_NEW_PASSWORD", "guanli-2026")
    assert main(["user", "add", "管理员", "--roles", "管理员", "--db", str(db)]) == 0
    db.chmod(0o444)
    folder.chmod(0o555)
    try:
        before = listing(folder)
        out_dir = tmp_path / "usb"
        out_dir.mkdir()
        monkeypatch.setenv("JIUJINAN_PASSWORD", "wrong-password")
        assert main(["backup", "--db", str(db), "--out", str(out_dir), "--user", "管理员"]) == 1
        assert "用户名或密码不对" in capsys.readouterr().err
        monkeypatch.setenv("JIUJINAN_PASSWORD", "guanli-2026")
        assert main(["backup", "--db", str(db), "--out", str(out_dir), "--user", "管理员"]) == 0
        assert len(list(out_dir.iterdir())) == 1
        assert listing(folder) == before
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)
