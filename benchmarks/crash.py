"""Crash safety: SIGKILL the writer at random points, many times, then check the database.
Prints figures; exits non-zero if anything committed is missing or anything is broken.

    python benchmarks/crash.py [--kills 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jiujinan.services.check import run_checks  # noqa: E402
from jiujinan.services.context import open_context  # noqa: E402
from tests.faults import crash_worker  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jiujinan-crash-"))
    try:
        db, log = work / "crash.db", work / "done.log"
        society_id = crash_worker.prepare(db)
        started = time.perf_counter()
        delays = crash_worker.kill_rounds(db, log, society_id, args.kills, args.seed)
        elapsed = time.perf_counter() - started
        logged = len(log.read_text(encoding="utf-8").splitlines())
        with sqlite3.connect(db) as conn:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            cases, entries, audit = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                                     for t in ("aid_case", "ledger_entry", "audit_log"))
        missing = crash_worker.missing_work(db, log)
        ctx = open_context(str(db), work, crash_worker.CLOCK)
        report = run_checks(ctx)
        ctx.close()
        print(f"kills: {len(delays)} in {elapsed:.0f} s (each after {min(delays) * 1000:.0f}–{max(delays) * 1000:.0f} ms)")
        print(f"operations logged as committed: {logged:,}; in the database: {cases:,} cases, "
              f"{entries:,} ledger entries, {audit:,} audit entries")
        print(f"PRAGMA integrity_check: {integrity}; jiujinan check: "
              f"{'all consistent' if report.ok else report.violations[:5]}; committed work missing: {len(missing)}")
        return 0 if integrity == "ok" and report.ok and not missing else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
