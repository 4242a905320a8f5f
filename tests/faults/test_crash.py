"""Killing the writer at random moments loses nothing it committed and breaks nothing.
(The benchmark harness does the same a thousand times: benchmarks/crash.py.)"""

import sqlite3
import sys

import pytest

from jiujinan.services.check import run_checks
from jiujinan.services.context import open_context
from tests.faults import crash_worker

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def test_writer_killed_at_random_points(tmp_path) -> None:
    db, log = tmp_path / "crash.db", tmp_path / "done.log"
    society_id = crash_worker.prepare(db)
    done: list[str] = []
    for batch in range(8):  # on a loaded machine the writer does less between kills: more rounds
        crash_worker.kill_rounds(db, log, society_id, rounds=25, seed=7 + batch)
        done = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        if len(done) > 25:
            break
    assert len(done) > 25  # the writer got work done between kills
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert crash_worker.missing_work(db, log) == []
    ctx = open_context(str(db), tmp_path, crash_worker.CLOCK)
    report = run_checks(ctx)
    assert report.ok, report.violations
    ctx.close()
