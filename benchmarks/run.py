"""Every performance figure beside its reference and goal, in one run.

    python benchmarks/run.py [--cases 1000000] [--societies 217] [--db FILE] [--forms 1000]
                             [--list-url postgresql+psycopg://user@host/db]

Builds (or reuses) two demo databases of N cases: one society holding them all (the
hardest case list; start-up, list and printing run on it) and a district of 217 societies
(export, import, reconcile and check run on it). Then runs each benchmark in its own process (start-up,
the case list, printing, export/import/reconcile, check) and prints one table. Exits
non-zero only if a part fails to run, not when a goal is missed: the table says that.
With ``--list-url`` the case-list figures are measured a second time on that PostgreSQL
database (filled with the same one-society demo if empty) and printed beside SQLite's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def run(script: str, *args: str) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, str(HERE / script), *args], check=True, env=env)


def build(db: Path, cases: int, societies: int) -> None:
    """Reuse ``db`` if it exists, else fill it with demo data."""
    if db.exists():
        return
    db.parent.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "jiujinan", "--db", str(db), "demo", "--societies", str(societies),
                    "--cases", str(cases)], check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    print(f"built {db} in {time.perf_counter() - t:.0f} s", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--societies", type=int, default=217)
    parser.add_argument("--db", default="")
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--list-db", default="",
                        help="the database for the screens: all N cases in ONE society, the hardest list "
                             "(default: built beside the other)")
    parser.add_argument("--list-url", default="", help="a PostgreSQL database for the case list on a server too")
    args = parser.parse_args()
    db = Path(args.db or HERE / "data" / f"demo-{args.cases}-{args.societies}.db")
    list_db = Path(args.list_db or db.with_name(f"demo-{args.cases}-1.db"))
    build(db, args.cases, args.societies)
    build(list_db, args.cases, 1)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    figures = Path(tempfile.mkstemp(prefix="jiujinan-figures-", suffix=".jsonl")[1])
    try:
        run("startup.py", "--db", str(list_db), "--json", str(figures))
        run("case_list.py", "--db", str(list_db), "--json", str(figures))
        if args.list_url:
            run("case_list.py", "--db", args.list_url, "--cases", str(args.cases), "--json", str(figures))
        run("printing.py", "--db", str(list_db), "--forms", str(args.forms), "--json", str(figures))
        run("exchange.py", "--db", str(db), "--json", str(figures))
        t = time.perf_counter()
        checked = subprocess.run([sys.executable, "-m", "jiujinan", "--db", str(db), "check"], env=env,
                                 capture_output=True, text=True)
        check_s = time.perf_counter() - t
        with figures.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"figure": "jiujinan check", "value": f"{check_s:.1f} s", "reference": "—",
                                "goal": "≤ 10 s", "ok": check_s <= 10 and checked.returncode == 0},
                               ensure_ascii=False) + "\n")
        rows = [json.loads(line) for line in figures.read_text(encoding="utf-8").splitlines()]
    finally:
        figures.unlink(missing_ok=True)
    print()
    print(f"screens: {args.cases:,} cases in one society ({list_db.stat().st_size / 1e6:.0f} MB); exchange and "
          f"check: {args.cases:,} cases in {args.societies} societies ({db.stat().st_size / 1e6:.0f} MB); "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("| figure | value | reference in the same run | goal | met |")
    print("|---|---:|---|---|---|")
    for r in rows:
        print(f"| {r['figure']} | {r['value']} | {r['reference']} | {r['goal']} | {'yes' if r['ok'] else 'NO'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
