"""The province-scale benchmark runs end to end on a small database (it only has to run:
figures are for benchmarks/RESULTS.md, not for CI)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_run_prints_every_figure(tmp_path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--cases", "10000", "--societies",
                             "5", "--forms", "20", "--db", str(tmp_path / "smoke.db"),
                             "--list-db", str(tmp_path / "smoke-list.db")],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    table = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    figures = " ".join(table)
    for figure in ("cold start", "case list: open", "scroll the list to the end", "memory", "approval form",
                   "CSV export", "district import", "jiujinan check"):
        assert figure in figures, figure
