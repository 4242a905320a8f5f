"""The province-scale benchmark runs end to end on a small database (it only has to run:
figures are for benchmarks/RESULTS.md, not for CI)."""

import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

from tests.conftest import pg_server, throwaway_pg_database

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_run_prints_every_figure(tmp_path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--cases", "3000", "--societies", "5",
               "--forms", "20", "--db", str(tmp_path / "smoke.db"), "--list-db", str(tmp_path / "smoke-list.db")]
    expected = ["cold start", "case list: open", "search by the last four of an ID", "given name", "scroll the list to the end", "memory", "approval form",
                "CSV export", "district import", "jiujinan check"]
    with ExitStack() as stack:
        if pg_server():  # the case list on a PostgreSQL server too, beside SQLite's
            command += ["--list-url", stack.enter_context(throwaway_pg_database(pg_server()))]
            expected += ["case list — PostgreSQL: open", "memory with the list open — PostgreSQL"]
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    table = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    figures = " ".join(table)
    for figure in expected:
        assert figure in figures, figure
