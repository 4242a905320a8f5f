"""Cold start to a usable main window, beside a bare PySide6 window started the same way.
Each is a fresh Python process, timed from launch until its window has been shown and
painted; the median of five. (The app's sign-in dialog waits for a person, so the app's
start is timed from launch to its main window on a signed-in session.)

    python benchmarks/startup.py --db FILE [--json FILE]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.figures import emit  # noqa: E402

BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1366, 768); w.show(); app.processEvents(); w.grab()
"""
APP = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from PySide6.QtWidgets import QApplication
from jiujinan.cases.clock import SystemClock
from jiujinan.services import societies
from jiujinan.services.context import open_context
from jiujinan.ui.fonts import apply_text_size, register_bundled_font
from jiujinan.ui.main_window import MainWindow
from jiujinan.ui.prefs import Preferences
from jiujinan.ui.session import UiSession
app = QApplication([])
register_bundled_font(); apply_text_size(app, 11)
ctx = open_context({db!r}, Path({db!r}).parent, SystemClock())
record = societies.list_societies(ctx)[0]
w = MainWindow(UiSession(ctx, Preferences(Path({db!r}).parent / "bench-prefs.ini"), record.id, "基准"))
w.resize(1366, 768); w.show(); app.processEvents(); w.grab()
"""


def launch_s(code: str) -> float:
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    times = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    from jiujinan.cases.clock import SystemClock
    from jiujinan.services import societies
    from jiujinan.services.context import open_context

    ctx = open_context(args.db, Path(args.db).resolve().parent, SystemClock())
    societies.add_user(ctx, "基准")  # the signed-in user the timed start opens the window for
    ctx.close()
    bare = launch_s(BARE)
    app = launch_s(APP.format(root=str(ROOT), db=str(Path(args.db).resolve())))
    print(f"cold start to the main window: {app:.2f} s; bare PySide6 window: {bare:.2f} s")
    emit(args.json, "cold start to usable main window", f"{app:.2f} s", f"bare PySide6 window {bare:.2f} s",
         "≤ 1.5 s", app <= 1.5)


if __name__ == "__main__":
    main()
