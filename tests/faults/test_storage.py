"""The disk: full, read-only, a damaged file. A clear message, nothing half-written."""

import datetime as dt
import os
import sqlite3
import subprocess
from contextlib import closing

import pytest
from sqlalchemy import event

from jiujinan.cases.clock import FixedClock
from jiujinan.cli import main
from jiujinan.services import intake, societies
from jiujinan.services.context import DatabaseUnavailable, open_context
from tests.conftest import NOW, application, society_settings


def counts(path) -> tuple[int, ...]:  # noqa: ANN001
    with closing(sqlite3.connect(path)) as conn:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("aid_case", "household_member", "audit_log"))


def test_a_full_disk_refuses_the_save_whole(ctx, society_id, tmp_path) -> None:  # noqa: ANN001
    # SQLite reports a page limit reached exactly as a full disk (SQLITE_FULL).
    ctx.engine.dispose()

    @event.listens_for(ctx.engine, "connect")
    def _no_room(dbapi_conn, _record) -> None:  # noqa: ANN001
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    before = counts(tmp_path / "test.db")
    with pytest.raises(DatabaseUnavailable, match="磁盘空间不足"):
        intake.register_application(ctx, society_id, application(hardship="困" * 1900), "王会计")
    assert counts(tmp_path / "test.db") == before
    with sqlite3.connect(tmp_path / "test.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_damaged_database_file_is_named_as_such(tmp_path, capsys) -> None:  # noqa: ANN001
    path = tmp_path / "broken.db"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    with pytest.raises(DatabaseUnavailable, match="已损坏|不是数据库"):
        open_context(str(path), tmp_path, FixedClock(NOW))
    assert main(["--db", str(path), "check"]) == 2
    err = capsys.readouterr().err
    assert "备份" in err and "Traceback" not in err


@pytest.fixture
def small_disk(tmp_path):  # noqa: ANN001, ANN201
    """A real 2 MB file system (needs root to mount; skipped elsewhere)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("mounting a small file system needs root")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_really_full_disk_and_a_read_only_one(small_disk) -> None:  # noqa: ANN001
    db = small_disk / "village.db"
    ctx = open_context(str(db), small_disk, FixedClock(NOW))
    societies.add_user(ctx, "王会计")
    sid = societies.create_society(ctx, society_settings(), "王会计").id
    filler = small_disk / "filler"
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)
    with pytest.raises(DatabaseUnavailable, match="磁盘空间不足"):
        for n in range(200):  # until the disk is full
            intake.register_application(ctx, sid, application(applied_on=dt.date(2026, 11, 1), hardship="困" * 1500),
                                        "王会计")
    done = counts(db)
    ctx.close()
    filler.unlink()
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert counts(db) == done  # everything saved before the disk filled is there, nothing half
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(DatabaseUnavailable, match="只读|无法打开该文件"):
        open_context(str(db), small_disk, FixedClock(NOW))
